/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tls.h - the TLS transport under a session (tls.c, tls_opts.c)
 *
 * conn.c calls these for a "tls://" URI and nothing else changes above
 * it. They are weak references there: a static program that links
 * libcti.a without tls.o (and so without OpenSSL) gets EPROTONOSUPPORT
 * for tls:// instead of a link failure.
 */
#ifndef CTI_TLS_H
#define CTI_TLS_H

#include <stddef.h>
#include <sys/types.h>

struct cti_tls;

#define CTI_TLS_WEAK __attribute__((weak))

/*
 * Connects to @uri ("tls://host:port[?options]"), verifies the server,
 * and logs in (client certificate or LOGIN with a password), all with
 * the socket blocking and bounded by @timeout_ms; then the socket is
 * made non-blocking. Returns the socket, or a negative errno; the reason
 * in words is kept for cti_session_error_detail().
 */
int cti_tls_connect(const char *uri, int timeout_ms, struct cti_tls **tlsp) CTI_TLS_WEAK;
/* send(2) and recv(2) through TLS: -1 with errno (EAGAIN, EPROTO...). */
ssize_t cti_tls_send(struct cti_tls *t, const void *buf, size_t len) CTI_TLS_WEAK;
ssize_t cti_tls_recv(struct cti_tls *t, void *buf, size_t len) CTI_TLS_WEAK;
void cti_tls_free(struct cti_tls *t) CTI_TLS_WEAK;

/* The reason of the last failure in this thread ("" if none known). */
void cti_error_detail_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* CTI_TLS_H */
