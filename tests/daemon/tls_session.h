/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tls_session: libcti over tls:// for test_tls_server (tls_session.c): cti.h
 * and wire.h do not mix in one file, so the suite's libcti side is here.
 */
#ifndef CTI_TESTS_TLS_SESSION_H
#define CTI_TESTS_TLS_SESSION_H

#include <stddef.h>
#include <stdint.h>

struct cti_session;

/*
 * Opens a session at @uri. Returns 0 with the session in *sp, or the
 * negative errno of cti_session_open() with its detail in @detail.
 */
int ts_open(const char *uri, struct cti_session **sp, char *detail, size_t n);
/* The ids of the lines the session sees, ascending; how many. */
size_t ts_line_ids(struct cti_session *s, uint32_t *ids, size_t max);
/* A PING round trip over the session: 0 or -errno. */
int ts_ping(struct cti_session *s);
/* SERVER_RELOAD (admin): the REPLY's errno. */
int ts_reload(struct cti_session *s);
void ts_close(struct cti_session *s);

#endif
