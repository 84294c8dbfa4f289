// SPDX-License-Identifier: GPL-2.0
/*
 * fanout: events to the sessions concerned, encoded once.
 *
 * An event becomes one shared blob (blob.c); each session gets a copy in
 * its queue with its own sequence number and privilege patched in by the
 * codec's helpers, and a place in the shared replay log if it can resume,
 * so fan-out to N sessions costs N memcpy of ~60 bytes. It is the
 * registry's observer (through announce.c, which batches line changes).
 */
#include "authz.h"
#include "ctid.h"
#include "fanout.h"
#include "phone_fanout.h"
#include "phone_state.h"

static uint64_t type_feature(uint16_t type)
{
	switch (type) {
	case CTI_WIRE_EV_PHONE_HOOK:
	case CTI_WIRE_EV_PHONE_BUTTON:
	case CTI_WIRE_EV_PHONE_DISPLAY:
	case CTI_WIRE_EV_PHONE_LAMP:
	case CTI_WIRE_EV_PHONE_RING:
		return CTI_WIRE_FEAT_PHONES;
	case CTI_WIRE_EV_AGENT_STATE:
		return CTI_WIRE_FEAT_AGENT;
	default:
		return 0;
	}
}

void fanout_line(struct ctid *ctx, struct line *l, const struct call *c,
		 const struct cti_wire_frame *f)
{
	uint64_t feat = type_feature(f->hdr.type);
	bool to_phone = feat == CTI_WIRE_FEAT_PHONES && l->phone &&
			l->phone->nopeners;
	struct blob *b;

	if (!l->nopeners && !to_phone)
		return;
	b = blob_encode(&ctx->blobs, f);	/* NULL: each session gets a GAP */
	for (uint32_t i = 0; i < l->nopeners; i++) {
		struct session *s = l->openers[i].s;
		uint32_t priv = l->openers[i].priv;

		if (feat && !(s->features & feat))
			continue;
		if (c) {
			priv = call_priv_of(c, s, priv);
			if (priv == CTI_WIRE_PRIV_NONE)
				continue;
		}
		if (b)
			session_event(ctx, s, b, priv);
		else
			session_event_lost(ctx, s);
	}
	if (to_phone)
		fanout_phone_event(ctx, l, b);
	blob_put(&ctx->blobs, b);
}

/*
 * EV_LINE_ADDED's body says what the user may do with the line (its
 * "allowed" bits) and the session's privilege: one blob per kind of
 * "allowed" (at most four), the privilege patched per session, so that
 * announcing a line costs one encode, not one per session.
 */
static struct blob *line_added_blob(struct ctid *ctx, const struct line *l, struct session *s,
				    struct blob *cache[4], bool tried[4],
				    uint32_t *priv)
{
	struct cti_wire_frame lf = { .hdr.type = CTI_WIRE_EV_LINE_ADDED };
	uint32_t k;

	line_fill_wire(l, s, &lf.u.line);
	*priv = lf.u.line.privilege;
	k = (lf.u.line.allowed >> CTI_WIRE_PRIV_MONITOR) & 3;
	if (!tried[k]) {
		tried[k] = true;
		cache[k] = blob_encode(&ctx->blobs, &lf);
	}
	return cache[k];
}

void fanout_visible(struct ctid *ctx, const struct line *l, struct provider *p,
		    const struct cti_wire_frame *f)
{
	struct blob *cache[4] = { NULL }, *shared = NULL;
	bool tried[4] = { false }, encoded = false;

	for (struct session *s = ctx->sessions; s; s = s->next) {
		struct blob *b;
		uint32_t priv = 0;

		if (l ? !authz_may_see(&s->pr, l)
		      : !authz_may_see_any(&s->pr, p->acl_union))
			continue;
		if (f->hdr.type == CTI_WIRE_EV_LINE_ADDED) {
			b = line_added_blob(ctx, l, s, cache, tried, &priv);
		} else {
			if (!encoded) {
				shared = blob_encode(&ctx->blobs, f);
				encoded = true;
			}
			b = shared;
		}
		if (b)
			session_event(ctx, s, b, priv);
		else
			session_event_lost(ctx, s);
	}
	blob_put(&ctx->blobs, shared);
	for (int k = 0; k < 4; k++)
		blob_put(&ctx->blobs, cache[k]);
}
