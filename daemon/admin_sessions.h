/* SPDX-License-Identifier: GPL-2.0 */
/* admin_sessions: LIST_SESSIONS and KICK (admin_sessions.c); admins only. */
#ifndef CTID_ADMIN_SESSIONS_H
#define CTID_ADMIN_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

struct ctid;
struct conn;
struct session;

/* END of the @count items of type @item_type for request @id. */
void admin_list_end(struct ctid *ctx, struct conn *c, uint64_t id,
		    uint16_t item_type, uint32_t count);
/* SESSION_INFO items and END for request @id: 0. */
int admin_list_sessions(struct ctid *ctx, struct conn *c, uint64_t id);
/*
 * Ends session @id at once, without a resume: an attached one gets ERROR
 * (ECONNABORTED) and its connection closes. 0, -ENOENT (no such session),
 * -EINVAL (the caller's own session: it says BYE instead).
 */
int admin_kick(struct ctid *ctx, struct session *self, uint64_t id,
	       char *why, size_t n);

#endif
