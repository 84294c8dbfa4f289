/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conn_internal: what conn.c lends conn_tls.c, and what run.c calls of
 * conn_tls.c. A TLS connection is a conn whose bytes pass through
 * conn_tls.c (its struct conn_xport) on the way in (ciphertext -> frames)
 * and on the way out (frames -> ciphertext).
 */
#ifndef CTID_CONN_INTERNAL_H
#define CTID_CONN_INTERNAL_H

#include <stdint.h>

#include "conn.h"

struct ctid;

/* conn.c */
void conn_mark_dirty(struct ctid *ctx, struct conn *c);
/* Frees @b's buffer (or keeps it in the pool for the next batch). */
void conn_outbuf_free(struct ctid *ctx, struct outbuf *b);
/* Frames in @data (plaintext) to the session layer; the rest kept in rx. */
void conn_process(struct ctid *ctx, struct conn *c, const uint8_t *data, uint32_t len);
/* A linked-in connection for @fd, or NULL (refused, @fd closed). */
struct conn *conn_link_new(struct ctid *ctx, int fd);
/* Arms its first receive. */
void conn_start(struct ctid *ctx, struct conn *c);

/* conn_tls.c (above conn.c: conn.c reaches it only through c->xport) */
/* Opens the tls_listen sockets, before server_start(); says why not. */
int conn_tls_listen(struct ctid *ctx);
/* Once a second: connections past the login timeout go. */
void conn_tls_expire(struct ctid *ctx);

#endif
