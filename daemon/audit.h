/* SPDX-License-Identifier: GPL-2.0 */
/*
 * audit: every administration request, done or refused, as one line in
 * the audit log (`audit = PATH`, default /var/lib/cti/audit.log) and in
 * ctid's log: when, who (user, uid, and pid on the unix socket or the TLS
 * peer's address), which session, what, and the outcome.
 */
#ifndef CTID_AUDIT_H
#define CTID_AUDIT_H

#include <stdbool.h>

struct ctid;
struct conn;

/*
 * The audit log can take a line now: 0, or -errno (why in @why). A
 * change is made only after this, so that none goes unrecorded.
 */
int audit_check(struct ctid *ctx, char *why, size_t n);
/*
 * One line: "@what: ok" or "@what: refused (errno name): @detail".
 * 0, or -errno when the line could not be written (also logged).
 */
int audit_write(struct ctid *ctx, const struct conn *c, const char *what,
		int result, const char *detail);

#endif
