/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tls_raw: a raw TLS client for test_tls_server (tls_raw.c), to send ctid what
 * libcti never would. Failures of the test's own making (no socket, no
 * CA) end the test through T_ASSERT.
 */
#ifndef CTI_TESTS_TLS_RAW_H
#define CTI_TESTS_TLS_RAW_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "wire.h"

struct raw {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
};

/* A TCP connection to 127.0.0.1:@port, with 5 s send/receive timeouts. */
int raw_tcp(int port);
/*
 * TLS to 127.0.0.1:@port, verifying "localhost" against @pki/ca.crt, with
 * the client certificate @pki/@stem.crt (or none): 0 or -EPROTO.
 */
int raw_open(int port, const char *pki, const char *stem, struct raw *r);
void raw_close(struct raw *r);
int raw_send(struct raw *r, const struct cti_wire_frame *f);
/* The next frame: 0, -ECONNRESET at the end, -ETIMEDOUT, -EPROTO. */
int raw_recv(struct raw *r, struct cti_wire_frame *f);
/* LOGIN and its REPLY's errno (or raw_recv()'s). */
int raw_login(struct raw *r, const char *user, const char *pw, uint64_t id);
/* HELLO; the answer in @f. */
int raw_hello(struct raw *r, struct cti_wire_frame *f);
/* True once the server has closed @r (EOF, or reset). */
bool raw_closed(struct raw *r);

#endif
