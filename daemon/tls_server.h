/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tls_server: TLS 1.3 through OpenSSL on memory, never on a socket
 * (tls_server.c): the server side of ctid's TLS listener.
 * The loop hands in the bytes a receive brought and takes out the bytes
 * to send; OpenSSL never reads or writes a socket, so it never blocks the
 * loop thread and every byte still goes through io_uring.
 */
#ifndef CTID_TLS_SERVER_H
#define CTID_TLS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "config_tls.h"

struct log_state;

/* The server's context: certificate, key, CA; replaced whole on reload. */
struct tls_server {
	SSL_CTX *ssl_ctx;
	BIO_METHOD *bio_meth;
	uint8_t plain[16384];		/* one record's plaintext at a time */
	char why[256];			/* OpenSSL's reason for the last failure */
};

/* A connection's TLS state; @out holds ciphertext waiting to be sent. */
struct tls_conn {
	SSL *ssl;
	const uint8_t *in;		/* ciphertext being fed, see tls_conn_feed() */
	uint32_t in_len;
	uint8_t *out;
	uint32_t out_len, out_cap;
	bool established;		/* the handshake is over */
	bool failed;			/* out of memory while writing */
	bool broken;			/* a TLS failure: only its alert goes out */
};

/* What a feed hands up: the handshake ended, then plaintext. */
struct tls_feed_ops {
	/* false: stop (the connection is closing) */
	bool (*established)(void *arg);
	bool (*plaintext)(void *arg, const uint8_t *p, uint32_t n);
};

/*
 * Loads certificate, key and CA into a new context. On success the old
 * context (if any) is released: connections made with it keep their
 * reference and stay up. On failure the old one stays and -errno comes
 * back, the reason logged.
 */
int tls_server_load(struct tls_server *ts, const struct cfg_tls *t, struct log_state *log);
void tls_server_exit(struct tls_server *ts);

int tls_conn_init(struct tls_server *ts, struct tls_conn *tc);
void tls_conn_fini(struct tls_conn *tc);
/*
 * Feeds @len bytes of ciphertext: runs the handshake, then decrypts.
 * Returns 0 (all consumed), -ECONNRESET (the peer closed the TLS
 * session), -EPROTO (a TLS failure: ts->why says why, and @tc->out may
 * hold the alert for the peer) or -ENOMEM.
 */
int tls_conn_feed(struct tls_server *ts, struct tls_conn *tc, const uint8_t *in, uint32_t len,
		  const struct tls_feed_ops *ops, void *arg);
/* Encrypts @len bytes of plaintext into @tc->out; 0 or -ENOMEM/-EPROTO. */
int tls_conn_seal(struct tls_conn *tc, const uint8_t *plain, uint32_t len);
/* Takes @tc->out (the caller frees it); its length in *len. */
uint8_t *tls_conn_take_out(struct tls_conn *tc, uint32_t *len, uint32_t *cap);

/*
 * The user the peer's (verified) certificate names by @rule, into @name;
 * for CFG_CERT_USER_FINGERPRINT the SHA-256 digest into @fp instead.
 * -ENOENT: no certificate; -EINVAL: it names no valid user.
 */
int tls_conn_cert_user(struct tls_conn *tc, enum cfg_cert_user rule, char *name,
		       size_t len, uint8_t fp[32]);

#endif
