// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tls.c - libcti's TLS transport (tls:// URIs)
 *
 * Connecting is synchronous, as a unix connect is: TCP connect, TLS 1.3
 * handshake with the server's certificate checked against the CA and the
 * server name (always: there is no switch to turn it off), then LOGIN if
 * a user is configured, all bounded by the session's timeout. After that
 * the socket is non-blocking and conn.c drives it through
 * cti_tls_send()/cti_tls_recv(), which behave as send(2) and recv(2).
 *
 * Errors say who can act: -EKEYEXPIRED and -EKEYREJECTED (the server's
 * certificate: expired, or not from the CA / not for that name), -EACCES
 * (the server refused us: no certificate, a certificate it does not
 * know, a wrong login), -EAGAIN (too many failed logins: wait), each
 * with OpenSSL's or the server's words for cti_session_error_detail().
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tls.h"
#include "tls_opts.h"
#include "wire.h"

struct cti_tls {
	SSL_CTX *ctx;
	SSL *ssl;
};

void cti_tls_free(struct cti_tls *t)
{
	if (!t)
		return;
	SSL_free(t->ssl);
	SSL_CTX_free(t->ctx);
	free(t);
}

/* The errno a TLS failure stands for, and its words kept. */
static int tls_errno(struct cti_tls *t, int r, const char *when)
{
	int e = SSL_get_error(t->ssl, r);
	unsigned long err = ERR_peek_last_error();
	long v = SSL_get_verify_result(t->ssl);
	char buf[200] = "";

	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return -EAGAIN;
	if (e == SSL_ERROR_ZERO_RETURN ||
	    (e == SSL_ERROR_SYSCALL && !err)) {
		cti_error_detail_set("%s: the server closed the connection", when);
		return -ECONNRESET;
	}
	if (err)
		ERR_error_string_n(err, buf, sizeof(buf));
	ERR_clear_error();
	if (v != X509_V_OK) {
		cti_error_detail_set("%s: the server's certificate: %s", when,
				     X509_verify_cert_error_string(v));
		return v == X509_V_ERR_CERT_HAS_EXPIRED ? -EKEYEXPIRED : -EKEYREJECTED;
	}
	cti_error_detail_set("%s: %s", when, buf[0] ? buf : "TLS failure");
	/* an alert from the server about our certificate, or its absence */
	if (err && ERR_GET_LIB(err) == ERR_LIB_SSL &&
	    ERR_GET_REASON(err) >= SSL_AD_REASON_OFFSET)
		return -EACCES;
	return -EPROTO;
}

static int tcp_connect(const struct cti_tls_opts *o, int timeout_ms)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG };
	struct addrinfo *res, *ai;
	int fd = -1, err = -EHOSTUNREACH, r;

	r = getaddrinfo(o->host, o->port, &hints, &res);
	if (r) {
		cti_error_detail_set("%s: %s", o->host, gai_strerror(r));
		return -EHOSTUNREACH;
	}
	/* each address in turn, as getaddrinfo orders them */
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		struct pollfd p = { .events = POLLOUT };
		socklen_t len = sizeof(r);

		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			continue;
		p.fd = fd;
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		err = -errno;
		if (errno == EINPROGRESS) {
			r = poll(&p, 1, timeout_ms);
			err = r == 0 ? -ETIMEDOUT : r < 0 ? -errno : 0;
			if (!err && !getsockopt(fd, SOL_SOCKET, SO_ERROR, &r, &len))
				err = -r;
			if (!err)
				break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		cti_error_detail_set("connect to %s:%s: %s", o->host, o->port, strerror(-err));
		return err;
	}
	/* requests are small frames: never wait for a delayed ACK (Nagle) */
	r = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &r, sizeof(r));
	return fd;
}

static int make_ctx(struct cti_tls *t, const struct cti_tls_opts *o)
{
	t->ctx = SSL_CTX_new(TLS_client_method());
	if (!t->ctx)
		return -ENOMEM;
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_3_VERSION);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	if (o->ca[0] ? SSL_CTX_load_verify_locations(t->ctx, o->ca, NULL) != 1 :
		       SSL_CTX_set_default_verify_paths(t->ctx) != 1) {
		cti_error_detail_set("CA %s: cannot load it", o->ca[0] ? o->ca : "(system)");
		return -EINVAL;
	}
	if (o->cert[0] &&
	    (SSL_CTX_use_certificate_chain_file(t->ctx, o->cert) != 1 ||
	     SSL_CTX_use_PrivateKey_file(t->ctx, o->key, SSL_FILETYPE_PEM) != 1 ||
	     SSL_CTX_check_private_key(t->ctx) != 1)) {
		cti_error_detail_set("client certificate %s / key %s: cannot load them, or they do not match",
				     o->cert, o->key);
		ERR_clear_error();
		return -EINVAL;
	}
	return 0;
}

/* The server's certificate must name @servername (a DNS name or an address). */
static int set_peer_name(struct cti_tls *t, const struct cti_tls_opts *o)
{
	unsigned char ip[16];
	bool literal = inet_pton(AF_INET, o->servername, ip) == 1 ||
		       inet_pton(AF_INET6, o->servername, ip) == 1;

	if (literal) {
		X509_VERIFY_PARAM *p = SSL_get0_param(t->ssl);

		return X509_VERIFY_PARAM_set1_ip_asc(p, o->servername) == 1 ? 0 : -EINVAL;
	}
	if (SSL_set_tlsext_host_name(t->ssl, o->servername) != 1 ||
	    SSL_set1_host(t->ssl, o->servername) != 1)
		return -EINVAL;
	return 0;
}

static void set_timeouts(int fd, int timeout_ms)
{
	struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };

	if (timeout_ms < 0)
		tv.tv_sec = tv.tv_usec = 0;	/* forever */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* Reads one frame during the login, blocking (bounded by SO_RCVTIMEO). */
static int read_frame(struct cti_tls *t, struct cti_wire_frame *f)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	size_t have = 0;

	for (;;) {
		struct cti_wire_hdr hdr;
		ssize_t n = cti_wire_peek(buf, have, &hdr);
		int r;

		if (n < 0)
			return -EPROTO;
		if (n > 0 && (size_t)n <= have)
			return cti_wire_decode(buf, (size_t)n, CTI_WIRE_FROM_SERVER, f, NULL) < 0 ?
			       -EPROTO : 0;
		r = SSL_read(t->ssl, buf + have, (int)((n > 0 ? (size_t)n : CTI_WIRE_HDR_SIZE) - have));
		if (r <= 0) {
			r = tls_errno(t, r, "login");
			return r == -EAGAIN ? -ETIMEDOUT : r;
		}
		have += (size_t)r;
	}
}

static int login(struct cti_tls *t, const struct cti_tls_opts *o)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LOGIN, .hdr.id = 1 };
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	ssize_t n;
	int r;

	strcpy(f.u.login.user, o->user);
	memcpy(f.u.login.password, o->password, o->password_len);
	f.u.login.password_len = (uint32_t)o->password_len;
	n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
	explicit_bzero(&f, sizeof(f));
	if (n < 0)
		return (int)n;
	r = SSL_write(t->ssl, buf, (int)n);
	explicit_bzero(buf, sizeof(buf));
	if (r <= 0)
		return tls_errno(t, r, "login");
	r = read_frame(t, &f);
	if (r)
		return r;
	if (f.hdr.type == CTI_WIRE_ERROR) {
		cti_error_detail_set("login: the server says: %s", f.u.error.message);
		return f.u.error.error < 0 ? f.u.error.error : -EPROTO;
	}
	if (f.hdr.type != CTI_WIRE_REPLY || f.hdr.id != 1)
		return -EPROTO;
	if (f.u.reply.error)
		cti_error_detail_set("login as %s: %s", o->user,
				     f.u.reply.error == -EACCES ? "wrong user name or password" :
				     f.u.reply.error == -EAGAIN ? "too many failed logins; try again later" :
				     strerror(-f.u.reply.error));
	return f.u.reply.error;
}

static int handshake(struct cti_tls *t, const struct cti_tls_opts *o, int fd)
{
	int r = make_ctx(t, o);

	if (r)
		return r;
	t->ssl = SSL_new(t->ctx);
	if (!t->ssl)
		return -ENOMEM;
	SSL_set_mode(t->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (set_peer_name(t, o) || SSL_set_fd(t->ssl, fd) != 1)
		return -EINVAL;
	r = SSL_connect(t->ssl);
	if (r != 1) {
		r = tls_errno(t, r, "TLS handshake");
		return r == -EAGAIN ? -ETIMEDOUT : r;
	}
	return o->user[0] ? login(t, o) : 0;
}

int cti_tls_connect(const char *uri, int timeout_ms, struct cti_tls **tlsp)
{
	struct cti_tls_opts *o = calloc(1, sizeof(*o));
	struct cti_tls *t = calloc(1, sizeof(*t));
	int fd = -ENOMEM, r;

	if (!o || !t)
		goto out;
	fd = cti_tls_opts_parse(uri, o);
	if (fd)
		goto out;
	fd = tcp_connect(o, timeout_ms);
	if (fd < 0)
		goto out;
	r = fcntl(fd, F_SETFL, 0);	/* blocking, bounded, until logged in */
	set_timeouts(fd, timeout_ms);
	r = r < 0 ? -errno : handshake(t, o, fd);
	if (!r && fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		r = -errno;
	if (r) {
		close(fd);
		fd = r;
		goto out;
	}
	*tlsp = t;
	t = NULL;
out:
	if (o) {
		cti_tls_opts_wipe(o);
		free(o);
	}
	cti_tls_free(t);
	return fd;
}

ssize_t cti_tls_send(struct cti_tls *t, const void *buf, size_t len)
{
	int r = SSL_write(t->ssl, buf, len > INT32_MAX ? INT32_MAX : (int)len);

	if (r > 0)
		return r;
	errno = -tls_errno(t, r, "send");
	return -1;
}

ssize_t cti_tls_recv(struct cti_tls *t, void *buf, size_t len)
{
	int r = SSL_read(t->ssl, buf, len > INT32_MAX ? INT32_MAX : (int)len);

	if (r > 0)
		return r;
	r = tls_errno(t, r, "receive");
	if (r == -ECONNRESET)
		return 0;	/* the end of the stream, as recv(2) says it */
	errno = -r;
	return -1;
}
