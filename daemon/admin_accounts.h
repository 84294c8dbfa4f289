/* SPDX-License-Identifier: GPL-2.0 */
/*
 * admin_accounts: the live administration requests (admin_accounts.c):
 * LIST_ACCOUNTS, ACCOUNT_ADD, ACCOUNT_DEL, GRANT, REVOKE, SET_PASSWORD,
 * LIST_SESSIONS, KICK and SERVER_RELOAD. Admins only: anyone else gets
 * EACCES, and every attempt is in the audit log (audit.h).
 */
#ifndef CTID_ADMIN_ACCOUNTS_H
#define CTID_ADMIN_ACCOUNTS_H

struct ctid;
struct conn;
struct session;
struct cti_wire_frame;

/*
 * One of those requests: 0 or a negative errno for the REPLY that the
 * caller sends (items, END and an ADMIN_NOTE with the reason are queued
 * before it).
 */
int admin_accounts_request(struct ctid *ctx, struct conn *c, struct session *s,
			   const struct cti_wire_frame *f);

#endif
