// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tls_raw: test_tls_server's raw TLS client (see tls_raw.h). OpenSSL on a
 * blocking socket with 5 s timeouts, frames from lib/wire.h: what it
 * sends reaches ctid exactly as written, garbage included.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "harness.h"
#include "tls_raw.h"

int raw_tcp(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { 5, 0 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	T_ASSERT(fd >= 0, "socket");
	T_ASSERT(!connect(fd, (struct sockaddr *)&a, sizeof(a)), "connect: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

int raw_open(int port, const char *pki, const char *stem, struct raw *r)
{
	char path[512], key[512];

	memset(r, 0, sizeof(*r));
	r->ctx = SSL_CTX_new(TLS_client_method());
	snprintf(path, sizeof(path), "%s/ca.crt", pki);
	T_ASSERT(SSL_CTX_load_verify_locations(r->ctx, path, NULL) == 1, "CA");
	SSL_CTX_set_verify(r->ctx, SSL_VERIFY_PEER, NULL);
	if (stem) {
		snprintf(path, sizeof(path), "%s/%s.crt", pki, stem);
		snprintf(key, sizeof(key), "%s/%s.key", pki, stem);
		T_ASSERT(SSL_CTX_use_certificate_file(r->ctx, path, SSL_FILETYPE_PEM) == 1 &&
			 SSL_CTX_use_PrivateKey_file(r->ctx, key, SSL_FILETYPE_PEM) == 1, "client cert");
	}
	r->fd = raw_tcp(port);
	r->ssl = SSL_new(r->ctx);
	SSL_set_fd(r->ssl, r->fd);
	SSL_set1_host(r->ssl, "localhost");
	return SSL_connect(r->ssl) == 1 ? 0 : -EPROTO;
}

void raw_close(struct raw *r)
{
	SSL_free(r->ssl);
	SSL_CTX_free(r->ctx);
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

int raw_send(struct raw *r, const struct cti_wire_frame *f)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	ssize_t n = cti_wire_encode(f, buf, sizeof(buf), NULL);

	T_ASSERT(n > 0, "encode");
	return SSL_write(r->ssl, buf, (int)n) == n ? 0 : -EPIPE;
}

/* The next frame: 0, -ECONNRESET at the end, -ETIMEDOUT, -EPROTO. */
int raw_recv(struct raw *r, struct cti_wire_frame *f)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	size_t have = 0;

	for (;;) {
		struct cti_wire_hdr hdr;
		ssize_t n = cti_wire_peek(buf, have, &hdr);
		int got;

		if (n < 0)
			return -EPROTO;
		if (n > 0 && (size_t)n <= have)
			return cti_wire_decode(buf, (size_t)n, CTI_WIRE_FROM_SERVER, f, NULL) < 0 ?
			       -EPROTO : 0;
		got = SSL_read(r->ssl, buf + have, (int)((n > 0 ? (size_t)n : CTI_WIRE_HDR_SIZE) - have));
		if (got <= 0) {
			int e = SSL_get_error(r->ssl, got);

			ERR_clear_error();
			return e == SSL_ERROR_WANT_READ ? -ETIMEDOUT : -ECONNRESET;
		}
		have += (size_t)got;
	}
}

int raw_login(struct raw *r, const char *user, const char *pw, uint64_t id)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LOGIN, .hdr.id = id };
	int ret;

	snprintf(f.u.login.user, sizeof(f.u.login.user), "%s", user);
	f.u.login.password_len = (uint32_t)strlen(pw);
	memcpy(f.u.login.password, pw, strlen(pw));
	T_ASSERT(!raw_send(r, &f), "send LOGIN");
	ret = raw_recv(r, &f);
	if (ret)
		return ret;
	T_ASSERT_EQ(f.hdr.type, CTI_WIRE_REPLY);
	T_ASSERT_EQ(f.hdr.id, id);
	T_EXPECT_EQ(f.u.reply.req_type, CTI_WIRE_LOGIN);
	return f.u.reply.error;
}

int raw_hello(struct raw *r, struct cti_wire_frame *f)
{
	memset(f, 0, sizeof(*f));
	f->hdr.type = CTI_WIRE_HELLO;
	f->u.hello.version = CTI_WIRE_VERSION;
	strcpy(f->u.hello.client_name, "raw");
	T_ASSERT(!raw_send(r, f), "send HELLO");
	return raw_recv(r, f);
}

/* True once the server has closed @r (EOF, or reset). */
bool raw_closed(struct raw *r)
{
	struct cti_wire_frame f;
	int ret;

	while (!(ret = raw_recv(r, &f)))
		;
	return ret == -ECONNRESET;
}
