// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kcard's resynchronisation from a card's snapshot (see kc_mirror.c for
 * when and why): the difference between the snapshot and the mirror,
 * posted as the records that would have said it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kcard.h"

static void kc_post_line(struct kc *kc, struct kc_card *c,
			 const struct cti_provider_card_line *l)
{
	struct cti_ev_line_status ev = {
		.hdr.type = CTI_EV_LINE_STATUS,
		.hdr.size = sizeof(ev),
		.hdr.line = kc_local(kc, c, l->line),
		.status = l->status,
		.num_calls = l->num_calls,
		.forward_mode = l->forward_mode,
		.dnd = l->dnd,
	};

	memcpy(ev.forward_to, l->forward_to, sizeof(ev.forward_to));
	ev.forward_to[sizeof(ev.forward_to) - 1] = '\0';
	kc->api->post_event(kc->host, &ev.hdr);
}

static void kc_post_state(struct kc *kc, struct kc_card *c, uint32_t line,
			  uint32_t call, uint32_t state, uint32_t reason,
			  uint32_t related)
{
	struct cti_ev_call_state ev = {
		.hdr.type = CTI_EV_CALL_STATE,
		.hdr.size = sizeof(ev),
		.hdr.line = kc_local(kc, c, line),
		.call = call,
		.state = state,
		.reason = reason,
		.related_call = related,
	};

	kc_call_note(c, line, call, state);
	kc->api->post_event(kc->host, &ev.hdr);
}

static void kc_post_info(struct kc *kc, struct kc_card *c,
			 const struct cti_provider_card_call *k)
{
	struct cti_ev_call_info ev = {
		.hdr.type = CTI_EV_CALL_INFO,
		.hdr.size = sizeof(ev),
		.hdr.line = kc_local(kc, c, k->line),
		.call = k->call,
		.origin = k->origin,
		.changed = CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_CALLER |
			   CTI_CALL_INFO_CALLED |
			   (k->related ? CTI_CALL_INFO_RELATED : 0),
		.related_call = k->related,
	};

	memcpy(ev.caller, k->caller, sizeof(ev.caller));
	memcpy(ev.called, k->called, sizeof(ev.called));
	ev.caller[sizeof(ev.caller) - 1] = '\0';
	ev.called[sizeof(ev.called) - 1] = '\0';
	kc->api->post_event(kc->host, &ev.hdr);
}

/* The snapshot, in arrays that grow until they hold it. */
static int kc_take(struct kc *kc, struct kc_card *c,
		   struct cti_provider_card_snapshot *s)
{
	uint32_t ml = c->nlines ? c->nlines : 1, mc = 16;
	int ret;

	for (int tries = 0; tries < 8; tries++) {
		memset(s, 0, sizeof(*s));
		s->max_lines = ml;
		s->max_calls = mc;
		s->lines = calloc(ml, sizeof(*s->lines));
		s->calls = calloc(mc, sizeof(*s->calls));
		if (!s->lines || !s->calls)
			ret = -ENOMEM;
		else
			ret = kc->api->card_snapshot(kc->host, c->cid, s);
		if (ret != -ENOSPC)
			return ret;
		free(s->lines);
		free(s->calls);
		ml = s->num_lines > ml ? s->num_lines : ml;
		mc = s->num_calls > mc ? s->num_calls + 16 : mc * 2;
	}
	s->lines = NULL;
	s->calls = NULL;
	return -EAGAIN;
}

static bool kc_snap_has(const struct cti_provider_card_snapshot *s,
			uint32_t line, uint32_t call)
{
	for (uint32_t i = 0; i < s->num_calls; i++)
		if (s->calls[i].line == line && s->calls[i].call == call)
			return true;
	return false;
}

static void kc_apply(struct kc *kc, struct kc_card *c,
		     const struct cti_provider_card_snapshot *s)
{
	/* calls that ended in the gap: IDLE (which takes them off the
	 * mirror, moving the last entry here: hence backwards) */
	for (size_t i = c->ncalls; i-- > 0;) {
		struct kc_call k = c->calls[i];

		if (!kc_snap_has(s, k.line, k.call) && c->present[k.line]) {
			kc_post_state(kc, c, k.line, k.call, CTI_CALL_IDLE,
				      CTI_DISC_NORMAL, CTI_CALL_NONE);
		}
	}
	for (uint32_t i = 0; i < s->num_calls; i++) {
		const struct cti_provider_card_call *k = &s->calls[i];
		struct kc_call *m = NULL;

		if (k->line >= c->nlines || !c->present[k->line])
			continue;
		for (size_t j = 0; j < c->ncalls && !m; j++)
			if (c->calls[j].line == k->line && c->calls[j].call == k->call)
				m = &c->calls[j];
		if (m && m->state == k->state)
			continue;
		if (!m)
			kc_post_info(kc, c, k);
		kc_post_state(kc, c, k->line, k->call, k->state, k->reason,
			      k->related);
	}
	for (uint32_t i = 0; i < s->num_lines; i++)
		if (s->lines[i].line < c->nlines && c->present[s->lines[i].line])
			kc_post_line(kc, c, &s->lines[i]);
}

int kc_resync(struct kc *kc, struct kc_card *c, bool tell)
{
	struct cti_provider_card_snapshot s;
	int ret = kc_take(kc, c, &s);

	if (!ret) {
		/* kc_post_state() keeps the mirror: it posts through the card */
		kc_apply(kc, c, &s);
		c->skip_upto = s.seq;
		c->resyncs++;
	}
	free(s.lines);
	free(s.calls);
	if (tell && CTI_HOST_API_HAS(kc->api, resync))
		kc->api->resync(kc->host);
	return ret;
}
