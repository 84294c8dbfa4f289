// SPDX-License-Identifier: GPL-2.0
/*
 * conn_tls: the TCP listeners and what makes a conn a TLS connection.
 *
 * The socket I/O stays conn.c's (io_uring receives into the shared
 * provided buffers, sends from the connection's buffer); this file sits
 * between the socket bytes and the frames: a receive's bytes go through
 * tls_conn_feed() and the plaintext on to conn_process(); at flush time
 * the queued frames go through tls_conn_seal() and the ciphertext out.
 *
 * Until it is authenticated (a client certificate at the handshake, or
 * LOGIN, see auth.c) a TLS connection is on srv.unauth, oldest first: it
 * goes at the login timeout, and when more than max_unauthenticated wait
 * the oldest goes, so that connections that never log in cannot keep
 * others out or make ctid hold more than that many handshakes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config.h"
#include "conn_internal.h"
#include "ctid.h"
#include "log.h"
#include "tls_server.h"

static void conn_tls_new(struct ctid *ctx, int fd);

/* ---- listening ---- */

static int listen_one(struct ctid *ctx, const struct addrinfo *ai, const char *what)
{
	int fd, one = 1, zero = 0, ret;

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* "*:port" is one dual-stack socket: IPv4 arrives as ::ffff:a.b.c.d */
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 4096)) {
		ret = -errno;
		log_err(&ctx->log, "tls_listen %s: %s", what, strerror(errno));
		close(fd);
		return ret;
	}
	ret = conn_add_listener(ctx, fd, conn_tls_new);
	if (ret) {
		log_err(&ctx->log, "tls_listen %s: too many listeners", what);
		close(fd);
	}
	return ret;
}

static int listen_addr(struct ctid *ctx, const char *spec)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct addrinfo *res, *ai;
	char host[256], port[8];
	uint16_t p;
	int ret;

	if (cfg_tls_split_addr(spec, host, sizeof(host), &p))
		return -EINVAL;	/* the configuration checked it */
	snprintf(port, sizeof(port), "%u", p);
	/* any address: IPv6 first (dual-stack), IPv4 alone without IPv6 */
	hints.ai_family = host[0] ? AF_UNSPEC : AF_INET6;
	ret = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (ret && !host[0]) {
		hints.ai_family = AF_INET;
		ret = getaddrinfo(NULL, port, &hints, &res);
	}
	if (ret) {
		log_err(&ctx->log, "tls_listen %s: %s", spec, gai_strerror(ret));
		return -EADDRNOTAVAIL;
	}
	/* a name: its first address (say two tls_listen for two) */
	ai = res;
	ret = listen_one(ctx, ai, spec);
	if (ret == -EAFNOSUPPORT && !host[0]) {
		freeaddrinfo(res);
		hints.ai_family = AF_INET;
		if (getaddrinfo(NULL, port, &hints, &res))
			return ret;
		ret = listen_one(ctx, res, spec);
	}
	freeaddrinfo(res);
	return ret;
}

int conn_tls_listen(struct ctid *ctx)
{
	const struct cfg_tls *t = &ctx->cfg->tls;
	int ret;

	if (!cfg_tls_enabled(t))
		return 0;
	for (size_t i = 0; i < t->nlisten; i++) {
		ret = listen_addr(ctx, t->listen[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- the unauthenticated ---- */

static void unauth_unlink(struct ctid *ctx, struct conn *c)
{
	if (!c->accepted_ns)
		return;
	if (c->unauth_prev)
		c->unauth_prev->unauth_next = c->unauth_next;
	else
		ctx->srv.unauth = c->unauth_next;
	if (c->unauth_next)
		c->unauth_next->unauth_prev = c->unauth_prev;
	else
		ctx->srv.unauth_tail = c->unauth_prev;
	c->unauth_next = c->unauth_prev = NULL;
	c->accepted_ns = 0;
	ctx->srv.nunauth--;
}

static void unauth_append(struct ctid *ctx, struct conn *c)
{
	c->accepted_ns = loop_time_ns(&ctx->loop);
	c->unauth_prev = ctx->srv.unauth_tail;
	if (ctx->srv.unauth_tail)
		ctx->srv.unauth_tail->unauth_next = c;
	else
		ctx->srv.unauth = c;
	ctx->srv.unauth_tail = c;
	ctx->srv.nunauth++;
}

/* Tells a client that got as far as TLS why it goes, then closes. */
static void refuse(struct ctid *ctx, struct conn *c, int err, const char *msg)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_ERROR };

	if (c->tls->established) {
		f.u.error.error = err;
		snprintf(f.u.error.message, sizeof(f.u.error.message), "%s", msg);
		conn_queue_frame(ctx, c, &f);
	}
	conn_close_after_send(ctx, c, msg);
}

void conn_tls_expire(struct ctid *ctx)
{
	uint64_t now = loop_time_ns(&ctx->loop);
	uint64_t limit = (uint64_t)ctx->cfg->tls.login_timeout * 1000000000ull;

	while (ctx->srv.unauth && now - ctx->srv.unauth->accepted_ns >= limit) {
		struct conn *c = ctx->srv.unauth;

		unauth_unlink(ctx, c);
		log_rl(&ctx->log, LOG_LVL_INFO, "TLS %s: no login within %u s; closing", c->peer,
		       ctx->cfg->tls.login_timeout);
		refuse(ctx, c, -ETIMEDOUT, "login timed out");
	}
}

void conn_authenticated(struct ctid *ctx, struct conn *c, uid_t uid)
{
	unauth_unlink(ctx, c);
	c->uid = uid;
	c->authed = true;
}

/* ---- a connection's life ---- */

static void peer_name(int fd, char *buf, size_t n)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	const void *a = NULL;

	buf[0] = '\0';
	if (getpeername(fd, (struct sockaddr *)&ss, &len))
		return;
	if (ss.ss_family == AF_INET)
		a = &((struct sockaddr_in *)&ss)->sin_addr;
	else if (ss.ss_family == AF_INET6)
		a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
	if (a && !inet_ntop(ss.ss_family, a, buf, (socklen_t)n))
		buf[0] = '\0';
	/* ::ffff:a.b.c.d is the IPv4 peer a.b.c.d: one key for rate limits */
	if (!strncmp(buf, "::ffff:", 7) && strchr(buf, '.'))
		memmove(buf, buf + 7, strlen(buf + 7) + 1);
}

static const struct conn_xport tls_xport;

static void conn_tls_new(struct ctid *ctx, int fd)
{
	int one = 1;
	struct conn *c;

	/* the oldest that has not logged in makes room for the new one */
	if (ctx->srv.nunauth >= ctx->cfg->tls.max_unauthenticated) {
		struct conn *old = ctx->srv.unauth;

		unauth_unlink(ctx, old);
		log_rl(&ctx->log, LOG_LVL_WARN, "TLS: %u connections have not logged in; closing the oldest (%s)",
		       ctx->cfg->tls.max_unauthenticated, old->peer);
		refuse(ctx, old, -EBUSY, "too many connections waiting to log in");
	}
	c = conn_link_new(ctx, fd);
	if (!c)
		return;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	peer_name(fd, c->peer, sizeof(c->peer));
	c->uid = (uid_t)-1;		/* nobody until authenticated */
	c->tls = calloc(1, sizeof(*c->tls));
	if (!c->tls || tls_conn_init(&ctx->auth.tls, c->tls)) {
		free(c->tls);
		c->tls = NULL;
		conn_close(ctx, c, "out of memory");
		return;
	}
	c->xport = &tls_xport;
	unauth_append(ctx, c);
	log_debug(&ctx->log, "TLS connection %d from %s", fd, c->peer);
	conn_start(ctx, c);
}

static void conn_tls_release(struct ctid *ctx, struct conn *c)
{
	unauth_unlink(ctx, c);
	tls_conn_fini(c->tls);
	free(c->tls);
	c->tls = NULL;
}

struct feed_arg {
	struct ctid *ctx;
	struct conn *c;
};

static bool feed_established(void *arg)
{
	struct conn *c = ((struct feed_arg *)arg)->c;
	struct ctid *ctx = ((struct feed_arg *)arg)->ctx;

	ctx->conn_ops->tls_established(ctx, c);
	return !c->closing && !c->fatal;
}

static bool feed_plaintext(void *arg, const uint8_t *p, uint32_t n)
{
	struct conn *c = ((struct feed_arg *)arg)->c;
	struct ctid *ctx = ((struct feed_arg *)arg)->ctx;

	conn_process(ctx, c, p, n);
	return !c->closing && !c->fatal;
}

static const struct tls_feed_ops feed_ops = {
	.established = feed_established,
	.plaintext = feed_plaintext,
};

static void conn_tls_input(struct ctid *ctx, struct conn *c, const uint8_t *data, uint32_t len)
{
	struct feed_arg a = { ctx, c };
	int ret = tls_conn_feed(&ctx->auth.tls, c->tls, data, len, &feed_ops, &a);

	if (ret == -ECONNRESET) {
		conn_close(ctx, c, ctx->auth.tls.why);
	} else if (ret) {
		log_rl(&ctx->log, LOG_LVL_INFO, "TLS %s: %s", c->peer, ctx->auth.tls.why);
		/* the alert OpenSSL wrote goes out first */
		conn_close_after_send(ctx, c, "TLS failure");
	} else if (c->tls->out_len) {
		conn_mark_dirty(ctx, c);	/* handshake records to send */
	}
}

static int conn_tls_seal(struct ctid *ctx, struct conn *c, struct outbuf *plain, struct outbuf *out)
{
	int ret = 0;

	if (plain->len && c->tls->established && !c->tls->broken)
		ret = tls_conn_seal(c->tls, plain->data, plain->len);
	conn_outbuf_free(ctx, plain);
	conn_outbuf_free(ctx, out);
	out->data = tls_conn_take_out(c->tls, &out->len, &out->cap);
	return ret;
}

static bool conn_tls_has_output(const struct conn *c)
{
	return c->tls->out_len > 0;
}

static const struct conn_xport tls_xport = {
	.input = conn_tls_input,
	.seal = conn_tls_seal,
	.has_output = conn_tls_has_output,
	.release = conn_tls_release,
};
