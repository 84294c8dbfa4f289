/* SPDX-License-Identifier: GPL-2.0 */
/*
 * phone_fanout: phone events to the sessions that opened the phone, and
 * a phone's arrival to the sessions that may see it (phone_fanout.c).
 * Part of the registry's observer, beside fanout.c.
 */
#ifndef CTID_PHONE_FANOUT_H
#define CTID_PHONE_FANOUT_H

#include <stdint.h>

struct blob;
struct ctid;
struct line;
struct session;

/*
 * Event @b (an EV_PHONE_*, NULL if it could not be encoded: GAP) of
 * @l's phone to the sessions that opened the phone and did not get it as
 * an opener of the line already.
 */
void fanout_phone_event(struct ctid *ctx, struct line *l, struct blob *b);
/* EV_PHONE_ADDED to the sessions that asked for phones and may see @l. */
void fanout_phone_added(struct ctid *ctx, const struct line *l);
/* EV_PHONE_PRIVILEGE to @s: its privilege on phone @phone is now @priv. */
void fanout_phone_privilege(struct ctid *ctx, struct session *s, uint32_t phone,
			    uint32_t priv);

#endif
