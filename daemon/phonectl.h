/* SPDX-License-Identifier: GPL-2.0 */
/*
 * phonectl: the requests that act on phones (phonectl.c): LIST_PHONES,
 * OPEN_PHONE, CLOSE_PHONE, PHONE_COMMAND, and what a session's end or a
 * change of its rights does to the phones it opened. A phone's access
 * follows its line's grant (doc/protocol.md, phones): a user sees the
 * phone of a line it may see and may own it if it may own the line; a
 * hidden phone answers ENOENT like a missing one.
 */
#ifndef CTID_PHONECTL_H
#define CTID_PHONECTL_H

#include <stdint.h>

#include "wire.h"

struct ctid;

struct conn;
struct session;

/* Each returns 0 or a negative errno for the REPLY, or 1: answered. */
int phonectl_list(struct ctid *ctx, struct session *s, uint64_t id, uint32_t phone);
int phonectl_open(struct ctid *ctx, struct session *s, uint32_t phone, uint32_t priv);
int phonectl_close(struct ctid *ctx, struct session *s, uint32_t phone);
int phonectl_command(struct ctid *ctx, struct conn *c, struct session *s,
		     const struct cti_wire_phone_command *pc, uint64_t id);
/* @s ends: it leaves every phone it opened. */
void phonectl_drop_session(struct ctid *ctx, struct session *s);
/*
 * @s's rights changed (session_revalidate()): a phone it may no longer
 * see is closed, one it may no longer own drops to MONITOR, each told
 * with EV_PHONE_PRIVILEGE.
 */
void phonectl_revalidate(struct ctid *ctx, struct session *s);

#endif
