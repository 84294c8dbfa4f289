// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kcard's records: what a card's ring says, mapped onto ctid's lines and
 * posted to the host; and the mirror of the card's calls, which is what
 * makes a gap recoverable.
 *
 * When the ring overflowed (an OVERFLOW record) or the card is new, kcard
 * takes the card's snapshot and posts the difference between it and its
 * mirror: IDLE for the calls that ended unseen, CALL_INFO and CALL_STATE
 * for the calls it never saw, CALL_STATE for the ones whose state moved,
 * LINE_STATUS for every line. The host's mirror is then right again, and
 * after an overflow kcard asks the host to resync its clients (GAP,
 * RESYNC, snapshot): nothing was lost in silence. Records numbered up to
 * the snapshot's sequence are already in it and are skipped (REPLY
 * records excepted: requests still complete).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kcard.h"

void kc_mirror_free(struct kc_card *c)
{
	free(c->calls);
	c->calls = NULL;
	c->ncalls = c->calls_cap = 0;
}

static struct kc_call *kc_call_find(struct kc_card *c, uint32_t line,
				    uint32_t call)
{
	for (size_t i = 0; i < c->ncalls; i++)
		if (c->calls[i].line == line && c->calls[i].call == call)
			return &c->calls[i];
	return NULL;
}

/* The mirror follows CALL_STATE: a call exists until its IDLE. */
void kc_call_note(struct kc_card *c, uint32_t line, uint32_t call,
		  uint32_t state)
{
	struct kc_call *k = kc_call_find(c, line, call);

	if (state == CTI_CALL_IDLE) {
		if (k)
			*k = c->calls[--c->ncalls];
		return;
	}
	if (k) {
		k->state = state;
		return;
	}
	if (c->ncalls == c->calls_cap) {
		size_t cap = c->calls_cap ? c->calls_cap * 2 : 16;
		struct kc_call *n = realloc(c->calls, cap * sizeof(*n));

		if (!n)
			return;	/* the next resync finds it */
		c->calls = n;
		c->calls_cap = cap;
	}
	c->calls[c->ncalls++] = (struct kc_call){ line, call, state };
}

/* One state record about card line @line, posted as ctid's line. */
static void kc_post(struct kc *kc, struct kc_card *c, uint32_t line,
		    struct cti_event *ev)
{
	if (line >= c->nlines || !c->present[line])
		return;		/* not a line we present: untrusted, dropped */
	ev->line = kc_local(kc, c, line);
	ev->seq = 0;	/* the card's timestamp stays: when it happened */
	if (ev->type == CTI_EV_CALL_STATE) {
		const struct cti_ev_call_state *cs = (const void *)ev;

		kc_call_note(c, line, cs->call, cs->state);
	}
	kc->api->post_event(kc->host, ev);
}

static void kc_record(struct kc *kc, struct kc_card *c, struct cti_event *ev)
{
	switch (ev->type) {
	case CTI_EV_REPLY: {
		const struct cti_ev_reply *r = (const void *)ev;

		kc_complete(kc, (uint32_t)(c - kc->cards), r->id, r->error,
			    r->error ? CTI_CALL_NONE : r->call);
		return;
	}
	case CTI_EV_OVERFLOW:
		c->lost += ((const struct cti_ev_overflow *)ev)->lost;
		kc_log(kc, CTI_LOG_WARNING, "card %s: its ring lost %llu records; resynchronising",
		       c->name, (unsigned long long)((const struct cti_ev_overflow *)ev)->lost);
		if (kc_resync(kc, c, true))
			kc_log(kc, CTI_LOG_ERR, "card %s: no snapshot", c->name);
		return;
	default:
		break;
	}
	if (ev->seq && ev->seq <= c->skip_upto)
		return;		/* the snapshot had it */
	switch (ev->type) {
	case CTI_EV_CALL_STATE:
	case CTI_EV_CALL_INFO:
	case CTI_EV_DIGITS:
	case CTI_EV_LINE_STATUS:
		kc_post(kc, c, ev->line, ev);
		break;
	case CTI_EV_PHONE_HOOK:
	case CTI_EV_PHONE_BUTTON:
		if (ev->line < c->nphones &&
		    c->line_of_phone[ev->line] != CTI_LINE_NONE)
			kc_post(kc, c, c->line_of_phone[ev->line], ev);
		break;
	default:
		break;		/* link records, types this kcard does not know */
	}
}

void kc_records(struct kc *kc, struct kc_card *c, const void *recs, size_t len)
{
	/* the host hands us a private batch; a copy lets us rewrite lines */
	uint64_t buf[CTI_EVENT_MAX_SIZE / 8];
	const uint8_t *p = recs;
	size_t off = 0;

	while (off + sizeof(struct cti_event) <= len && c->used) {
		const struct cti_event *h = (const void *)(p + off);

		if (h->size < sizeof(*h) || h->size % 8 || h->size > len - off ||
		    h->size > sizeof(buf))
			break;
		memcpy(buf, h, h->size);
		kc_record(kc, c, (struct cti_event *)buf);
		off += h->size;
	}
}
