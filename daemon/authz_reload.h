/* SPDX-License-Identifier: GPL-2.0 */
/*
 * authz_reload: new access rules applied while ctid runs (authz_reload.c),
 * after a reload (reload.c) or a live change of users and groups
 * (admin_accounts.c).
 */
#ifndef CTID_AUTHZ_RELOAD_H
#define CTID_AUTHZ_RELOAD_H

struct ctid;
struct acct_set;

/*
 * The [user]/[group] sections in force become @set's (taken: @set is left
 * empty) and are applied at once to every line, session and request: a
 * line a session may no longer see is closed (EV_PRIVILEGE NONE), one it
 * may no longer own drops to MONITOR, and a session whose visible lines
 * changed gets GAP, RESYNC (OVERFLOW) and a snapshot, in which lines it
 * lost are gone and lines it gained are there.
 */
void authz_apply(struct ctid *ctx, struct acct_set *set);

#endif
