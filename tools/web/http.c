// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * http.c - the HTTPS server: libmicrohttpd with GnuTLS, a thread per
 * connection (an event stream blocks its thread while it waits for the
 * board to change, which that model allows), the static files, and the
 * routing to api.c and sse.c.
 *
 * Requests that change something are POSTs with a JSON body; the session
 * cookie is SameSite=Strict, so another site cannot make a browser send
 * them with it, and a JSON Content-Type is required as well (a plain HTML
 * form cannot send one).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"

#define BODY_MAX	8192
#define STATIC_MAX	(1 << 20)

static struct MHD_Daemon *daemon_;
static char *tls_key, *tls_cert;

static struct static_file {
	const char *path, *file, *type;
	char *data;
	size_t len;
} statics[] = {
	{ "/", "index.html", "text/html; charset=utf-8" },
	{ "/app.js", "app.js", "text/javascript; charset=utf-8" },
	{ "/style.css", "style.css", "text/css; charset=utf-8" },
};

/* Read @path whole (at most @max bytes); NULL with errno. */
static char *slurp(const char *path, size_t max, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size < 0 || (size_t)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	buf = calloc(1, (size_t)st.st_size + 1);
	if (buf && read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
		errno = EIO;
	}
	close(fd);
	if (buf && len)
		*len = (size_t)st.st_size;
	return buf;
}

void http_headers(struct MHD_Response *r, const char *type)
{
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; frame-ancestors 'none'");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
}

enum MHD_Result http_send(struct MHD_Connection *conn, unsigned int status,
			  struct MHD_Response *r, const char *type)
{
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	http_headers(r, type);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result http_json(struct MHD_Connection *conn, unsigned int status,
			  struct json_object *o)
{
	const char *s = json_object_to_json_string_ext(o, HTTP_JSON_FLAGS);
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(strlen(s), (void *)s, MHD_RESPMEM_MUST_COPY);
	json_object_put(o);
	return http_send(conn, status, r, "application/json");
}

enum MHD_Result http_error(struct MHD_Connection *conn, unsigned int status,
			   const char *msg)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "error", json_object_new_string(msg));
	return http_json(conn, status, o);
}

unsigned int http_status_of(int err)
{
	switch (err) {
	case -EACCES:
	case -EPERM:
		return MHD_HTTP_FORBIDDEN;
	case -ENOENT:
	case -ENODEV:
		return MHD_HTTP_NOT_FOUND;
	case -EINVAL:
		return MHD_HTTP_BAD_REQUEST;
	case -ENOSYS:
	case -EOPNOTSUPP:
		return MHD_HTTP_NOT_IMPLEMENTED;
	case -EAGAIN:
	case -EUSERS:
		return MHD_HTTP_TOO_MANY_REQUESTS;
	case -ENOTCONN:
		return MHD_HTTP_UNAUTHORIZED;
	case -EBUSY:
		return MHD_HTTP_CONFLICT;	/* e.g. the last administrator */
	default:
		return MHD_HTTP_BAD_GATEWAY;	/* ctid failed us */
	}
}

struct websess *http_session(struct MHD_Connection *conn)
{
	return websess_get(MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "ctiweb"));
}

void http_peer(struct MHD_Connection *conn, char *buf, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(buf, n, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			  buf, (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  buf, (socklen_t)n);
}

static enum MHD_Result serve_static(struct MHD_Connection *conn, const char *url)
{
	for (size_t i = 0; i < sizeof(statics) / sizeof(statics[0]); i++)
		if (!strcmp(statics[i].path, url))
			return http_send(conn, MHD_HTTP_OK,
					 MHD_create_response_from_buffer(statics[i].len,
									 statics[i].data,
									 MHD_RESPMEM_PERSISTENT),
					 statics[i].type);
	return http_error(conn, MHD_HTTP_NOT_FOUND, "no such page");
}

/* A POST's body, gathered over the calls MHD makes for it. */
struct body {
	size_t len;
	bool too_big;
	char data[BODY_MAX + 1];
};

static enum MHD_Result route_post(struct MHD_Connection *conn, const char *url,
				  struct body *b)
{
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");

	if (b->too_big)
		return http_error(conn, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
	if (!ct || strncmp(ct, "application/json", 16))
		return http_error(conn, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
				  "send application/json");
	b->data[b->len] = '\0';
	if (!strcmp(url, "/api/login"))
		return api_login(conn, b->data);
	if (!strcmp(url, "/api/logout"))
		return api_logout(conn);
	if (!strcmp(url, "/api/action"))
		return api_action(conn, b->data);
	return http_error(conn, MHD_HTTP_NOT_FOUND, "no such request");
}

static enum MHD_Result route_get(struct MHD_Connection *conn, const char *url)
{
	if (!strcmp(url, "/api/board"))
		return api_board(conn);
	if (!strcmp(url, "/api/events"))
		return sse_start(conn);
	if (!strcmp(url, "/metrics"))
		return api_metrics(conn);
	return serve_static(conn, url);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **state)
{
	struct body *b = *state;

	(void)cls;
	(void)version;
	if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
		return route_get(conn, url);
	if (strcmp(method, "POST"))
		return http_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "GET or POST only");
	if (!b) {
		b = calloc(1, sizeof(*b));
		*state = b;
		return b ? MHD_YES : MHD_NO;
	}
	if (*upload_size) {
		if (b->len + *upload_size > BODY_MAX)
			b->too_big = true;
		else
			memcpy(b->data + b->len, upload, *upload_size);
		if (!b->too_big)
			b->len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	return route_post(conn, url, b);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **state,
		    enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)conn;
	(void)why;
	free(*state);
	*state = NULL;
}

static int load(const struct web_config *cfg)
{
	char path[4096];

	for (size_t i = 0; i < sizeof(statics) / sizeof(statics[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", cfg->static_dir, statics[i].file);
		statics[i].data = slurp(path, STATIC_MAX, &statics[i].len);
		if (!statics[i].data) {
			fprintf(stderr, "ctiweb: %s: %s\n", path, strerror(errno));
			return -1;
		}
	}
	tls_cert = slurp(cfg->cert_file, STATIC_MAX, NULL);
	if (!tls_cert)
		fprintf(stderr, "ctiweb: certificate %s: %s\n", cfg->cert_file, strerror(errno));
	tls_key = tls_cert ? slurp(cfg->key_file, STATIC_MAX, NULL) : NULL;
	if (tls_cert && !tls_key)
		fprintf(stderr, "ctiweb: key %s: %s\n", cfg->key_file, strerror(errno));
	return tls_key ? 0 : -1;
}

int http_start(const struct web_config *cfg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port) };

	if (cfg->listen_addr && inet_pton(AF_INET, cfg->listen_addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "ctiweb: --listen: %s is not an IPv4 address\n", cfg->listen_addr);
		return -1;
	}
	if (load(cfg))
		return -1;
	daemon_ = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
				   MHD_USE_TLS | MHD_USE_ERROR_LOG,
				   (uint16_t)cfg->port, NULL, NULL, on_request, NULL,
				   MHD_OPTION_SOCK_ADDR, &sa,
				   MHD_OPTION_HTTPS_MEM_KEY, tls_key,
				   MHD_OPTION_HTTPS_MEM_CERT, tls_cert,
				   MHD_OPTION_CONNECTION_LIMIT, 128u,
				   MHD_OPTION_CONNECTION_TIMEOUT, 60u,
				   MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
				   MHD_OPTION_END);
	if (!daemon_) {
		fprintf(stderr, "ctiweb: cannot serve HTTPS on port %u\n", cfg->port);
		return -1;
	}
	return 0;
}

void http_stop(void)
{
	if (daemon_)
		MHD_stop_daemon(daemon_);
	daemon_ = NULL;
}
