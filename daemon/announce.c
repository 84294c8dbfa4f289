// SPDX-License-Identifier: GPL-2.0
/* announce: line changes in batches, O(lines + sessions) (announce.h). */
#include "announce.h"
#include "authz.h"
#include "ctid.h"
#include "phone_fanout.h"

static void line_event(struct ctid *ctx, struct line *l, bool added)
{
	struct cti_wire_frame f = { .hdr.type = added ? CTI_WIRE_EV_LINE_ADDED :
						       CTI_WIRE_EV_LINE_REMOVED };

	if (!added) {
		f.u.line_removed.line = l->id;
		f.u.line_removed.timestamp_ns = loop_realtime_ns(&ctx->loop);
	}
	fanout_visible(ctx, l, NULL, &f);
	if (added)
		fanout_phone_added(ctx, l);
}

void announce_batch(struct ctid *ctx, bool begin)
{
	if (begin)
		ctx->announce.depth++;
	else if (ctx->announce.depth && !--ctx->announce.depth)
		announce_flush(ctx);
}

/* Lines are announced before their events: a pending batch goes first. */
void announce_line_event(struct ctid *ctx, struct line *l, const struct call *c,
			 const struct cti_wire_frame *f)
{
	announce_flush(ctx);
	fanout_line(ctx, l, c, f);
}

void announce_provider_event(struct ctid *ctx, struct provider *p, const struct cti_wire_frame *f)
{
	announce_flush(ctx);
	fanout_visible(ctx, NULL, p, f);
}

void announce_flush(struct ctid *ctx)
{
	struct announce_batch *a = &ctx->announce;

	if (!a->count)
		return;
	if (a->count <= ANNOUNCE_BATCH_EVENTS) {
		for (uint32_t i = 0; i < a->count; i++) {
			struct line *l = line_get(ctx, a->ev[i].line);

			/* it may have gone and come back within the batch */
			if (l && a->ev[i].added == !l->removed)
				line_event(ctx, l, a->ev[i].added);
		}
	} else {
		for (struct session *s = ctx->sessions; s; s = s->next)
			if (authz_may_see_any(&s->pr, a->masks))
				session_lines_changed(ctx, s);
	}
	a->count = 0;
	a->masks = 0;
}

void announce_line(struct ctid *ctx, struct line *l, bool added)
{
	struct announce_batch *a = &ctx->announce;

	if (ctx->stopping)
		return;		/* nobody is left to tell */
	if (!a->depth) {
		line_event(ctx, l, added);
		return;
	}
	if (a->count < ANNOUNCE_BATCH_EVENTS) {
		a->ev[a->count].line = l->id;
		a->ev[a->count].added = added;
	}
	a->count++;
	a->masks |= l->own_mask | l->mon_mask;
}
