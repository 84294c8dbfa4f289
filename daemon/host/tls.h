/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tls: the client side of TLS 1.3 on memory buffers (host/tls.c), for
 * transport_open_tls(). It never touches a socket: the transport hands it
 * the bytes it received and sends the bytes it produces, so all I/O stays
 * on the io_uring loop and nothing here can block.
 */
#ifndef CTID_HOST_TLS_H
#define CTID_HOST_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cti_provider.h"

struct tls_link;

/*
 * Called with each piece of plaintext that arrived; a non-zero return
 * stops the delivery (the transport was closed from inside the callback).
 */
typedef int (*tls_plain_fn)(void *arg, const void *buf, size_t len);

/*
 * tls_link_new() - a client link to a server reached as @peer (the name
 * checked when @o->server_name is NULL). Reads the files of @o now.
 * Returns 0 and the link in @out, or a negative errno (see
 * cti_transport_tls in cti_provider.h) with a message in @err.
 */
int tls_link_new(struct tls_link **out, const struct cti_transport_tls *o,
		 const char *peer, char *err, size_t errlen);
void tls_link_free(struct tls_link *l);

/* Start the handshake: the ClientHello is then ready in tls_link_take(). */
int tls_link_start(struct tls_link *l);

/*
 * tls_link_input() - bytes from the server. Plaintext goes to @fn.
 * Returns 1 if the handshake completed during this call, 0, or a negative
 * errno once the link failed (then tls_link_error() says why; bytes ready
 * in tls_link_take() may hold an alert for the server).
 */
int tls_link_input(struct tls_link *l, const void *buf, size_t len,
		   tls_plain_fn fn, void *arg);

/* Plaintext to send; only after the handshake. 0 or a negative errno. */
int tls_link_write(struct tls_link *l, const void *buf, size_t len);

/* Copies up to @cap bytes of ciphertext to send into @buf; returns how many. */
size_t tls_link_take(struct tls_link *l, void *buf, size_t cap);

bool tls_link_ready(const struct tls_link *l);
const char *tls_link_error(const struct tls_link *l);

#endif
