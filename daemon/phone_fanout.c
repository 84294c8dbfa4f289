// SPDX-License-Identifier: GPL-2.0
/* phone_fanout: phone events to the phone's sessions (phone_fanout.h). */
#include "authz.h"
#include "ctid.h"
#include "phone_fanout.h"
#include "phone_state.h"

void fanout_phone_event(struct ctid *ctx, struct line *l, struct blob *b)
{
	struct phone *p = l->phone;

	for (uint32_t i = 0; p && i < p->nopeners; i++) {
		struct session *s = p->openers[i].s;

		/* an opener of the line with phone events had it already */
		if ((s->features & CTI_WIRE_FEAT_PHONES) &&
		    session_line_priv(s, l) != CTI_WIRE_PRIV_NONE)
			continue;
		if (b)
			session_event(ctx, s, b, p->openers[i].priv);
		else
			session_event_lost(ctx, s);
	}
}

/*
 * As EV_LINE_ADDED (fanout.c): one blob per kind of "allowed" (at most
 * four), the session's privilege patched per copy, so that announcing a
 * phone costs a few encodes, not one per session.
 */
void fanout_phone_added(struct ctid *ctx, const struct line *l)
{
	struct blob *cache[4] = { NULL };
	bool tried[4] = { false };
	struct cti_wire_frame f;

	if (!phone_present(l))
		return;
	for (struct session *s = ctx->sessions; s; s = s->next) {
		uint32_t k;

		if (!(s->features & CTI_WIRE_FEAT_PHONE_DEV) ||
		    !authz_may_see(&s->pr, l))
			continue;
		memset(&f, 0, sizeof(f));
		f.hdr.type = CTI_WIRE_EV_PHONE_ADDED;
		phone_fill_for(l, s, &f.u.phone);
		k = (f.u.phone.allowed >> CTI_WIRE_PRIV_MONITOR) & 3;
		if (!tried[k]) {
			tried[k] = true;
			cache[k] = blob_encode(&ctx->blobs, &f);
		}
		if (cache[k])
			session_event(ctx, s, cache[k], f.u.phone.privilege);
		else
			session_event_lost(ctx, s);
	}
	for (int k = 0; k < 4; k++)
		blob_put(&ctx->blobs, cache[k]);
}

void fanout_phone_privilege(struct ctid *ctx, struct session *s, uint32_t phone,
			    uint32_t priv)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_EV_PHONE_PRIVILEGE };

	if (!(s->features & CTI_WIRE_FEAT_PHONE_DEV))
		return;
	f.u.phone_privilege.phone = phone;
	f.u.phone_privilege.privilege = priv;
	f.u.phone_privilege.timestamp_ns = loop_realtime_ns(&ctx->loop);
	session_event_frame(ctx, s, &f, priv);
}
