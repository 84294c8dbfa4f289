// SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later
/*
 * The switch's calls and routing: creating and ending call appearances,
 * linking the two legs of an internal call, conferences coming apart, and
 * offering a call to a dialled number: a line (with DND, forwarding and
 * busy) or the scriptable far end. The sequences are the reference of
 * kernel/sim/README.md and providers/sim/README.md.
 */
#include "sw_impl.h"

static void sw_fwd_fn(struct sw *sw, struct sw_tmr *tmr);

struct sw_call *sw_call_new(struct sw *sw, u32 line)
{
	struct sw_line *l = &sw->lines[line];
	struct sw_call *c, **pp;

	c = sw_zalloc(sw, sizeof(*c));
	if (!c)
		return NULL;
	/* Handles are never 0 (CTI_CALL_NONE) and not reused until wrap. */
	if (!++sw->next_handle)
		++sw->next_handle;
	c->handle = sw->next_handle;
	c->line = line;
	c->state = CTI_CALL_IDLE;
	c->fwd_tmr.fn = sw_fwd_fn;
	/* Append, so that a line's calls are listed oldest first. */
	for (pp = &l->calls; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	l->ncalls++;
	return c;
}

/* Unlink and free @c; nothing is posted. */
void sw_call_free(struct sw *sw, struct sw_call *c)
{
	struct sw_line *l = &sw->lines[c->line];
	struct sw_call **pp, *o;

	for (pp = &l->calls; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			l->ncalls--;
			break;
		}
	}
	sw_tmr_cancel(sw, &c->fwd_tmr);
	for (o = l->calls; o; o = o->next)
		if (o->related == c->handle && !o->conf)
			o->related = 0;
	if (c->peer)
		c->peer->peer = NULL;
	if (c->fe)
		sw_farend_free(sw, c->fe);
	if (c->parked)
		memset(c->parked, 0, sizeof(*c->parked));
	sw_mfree(sw, c);
}

struct sw_call *sw_call_find(const struct sw *sw, u32 line,
			     u32 handle)
{
	struct sw_call *c;

	if (handle == CTI_CALL_NONE)
		return NULL;
	for (c = sw->lines[line].calls; c; c = c->next)
		if (c->handle == handle)
			return c;
	return NULL;
}

void sw_call_set(struct sw *sw, struct sw_call *c, u8 state,
		 u8 reason)
{
	c->state = state;
	c->reason = reason;
	sw_post_state(sw, c, state, reason);
	sw_agent_call_changed(sw, c->line);
}

/* Conference @conf of @line lost a controlling call: one left dissolves it. */
void sw_conf_check(struct sw *sw, u32 line, u32 conf)
{
	struct sw_call *c;
	unsigned int n = 0;

	for (c = sw->lines[line].calls; c; c = c->next)
		n += c->conf == conf && c->conf_ctl;
	if (n > 1)
		return;
	for (c = sw->lines[line].calls; c; c = c->next) {
		struct sw_call *p = c->peer;

		if (c->conf != conf)
			continue;
		c->conf = 0;
		c->conf_ctl = false;
		c->related = 0;
		if (c->state == CTI_CALL_CONFERENCED)
			sw_call_set(sw, c, CTI_CALL_CONNECTED, 0);
		if (p && p->conf == conf) {
			p->conf = 0;
			p->related = 0;
			if (p->state == CTI_CALL_CONFERENCED)
				sw_call_set(sw, p, CTI_CALL_CONNECTED, 0);
		}
	}
}

/* Calls held pending a transfer or conference with @gone fall back. */
static void sw_unpend(struct sw *sw, struct sw_call *gone)
{
	struct sw_call *c;

	for (c = sw->lines[gone->line].calls; c; c = c->next) {
		if (c == gone || c->related != gone->handle || c->conf)
			continue;
		c->related = 0;
		if (c->state == CTI_CALL_ONHOLDPENDTRANSFER ||
		    c->state == CTI_CALL_ONHOLDPENDCONF)
			sw_call_set(sw, c, CTI_CALL_ONHOLD, 0);
	}
}

/*
 * The other party of @c went away: @c is DISCONNECTED with @reason and
 * stays until its line drops it. A conference call leaves its conference.
 */
void sw_party_gone(struct sw *sw, struct sw_call *c, u8 reason)
{
	u32 conf = c->conf;
	bool ctl = c->conf_ctl;

	if (c->peer)
		c->peer->peer = NULL;
	c->peer = NULL;
	if (c->fe) {
		sw_farend_free(sw, c->fe);
		c->fe = NULL;
	}
	sw_tmr_cancel(sw, &c->fwd_tmr);
	if (c->parked) {
		memset(c->parked, 0, sizeof(*c->parked));
		c->parked = NULL;
	}
	if (conf) {
		c->conf = 0;
		c->conf_ctl = false;
		c->related = 0;
	}
	if (c->state != CTI_CALL_DISCONNECTED)
		sw_call_set(sw, c, CTI_CALL_DISCONNECTED, reason);
	if (conf && ctl)
		sw_conf_check(sw, c->line, conf);
}

/*
 * @c goes IDLE with @reason and is freed; its party, if it still has one,
 * is DISCONNECTED (NORMAL). Detach the party first to hand it elsewhere.
 */
void sw_release(struct sw *sw, struct sw_call *c, u8 reason)
{
	struct sw_call *p = c->peer;
	u32 conf = c->conf, line = c->line;
	bool ctl = c->conf_ctl;

	if (p)
		p->peer = NULL;
	c->peer = NULL;
	sw_call_set(sw, c, CTI_CALL_IDLE, reason);
	sw_unpend(sw, c);
	sw_call_free(sw, c);
	sw_agent_call_changed(sw, line);
	if (p)
		sw_party_gone(sw, p, CTI_DISC_NORMAL);
	if (conf && ctl)
		sw_conf_check(sw, line, conf);
}

void sw_busy(struct sw *sw, struct sw_call *c)
{
	sw_call_set(sw, c, CTI_CALL_BUSY, 0);
	sw_call_set(sw, c, CTI_CALL_DISCONNECTED, CTI_DISC_BUSY);
}

/* @src calls the outside number @number: the far end's script decides. */
static int sw_offer_far(struct sw *sw, struct sw_call *src,
			const char *number)
{
	struct sw_farend *fe;

	fe = sw_farend_new(sw, number, sw_script_find(sw, number),
			   false);
	if (!fe) {
		sw_call_set(sw, src, CTI_CALL_DISCONNECTED,
			    CTI_DISC_CONGESTION);
		return -ENOMEM;
	}
	fe->leg = src;
	src->fe = fe;
	sw_farend_start(sw, fe);
	return 0;
}

/*
 * Offer a call to @number. The calling party is the call @src (which then
 * waits in RINGBACK or learns why not from its states), or, when @src is
 * NULL, the outside party @fe. @caller is the number the called line
 * sees; @called the number the caller dialled, which a forwarded or
 * deflected call keeps (TAPI's called ID), so that the line it lands on
 * sees whose call it takes. Returns 0 when the party now rings somewhere
 * (or reached the far end), else a negative errno: then @src has been
 * told why, and an @fe is still the caller's to free.
 */
int sw_offer(struct sw *sw, struct sw_call *src, struct sw_farend *fe,
	     const char *caller, const char *called, const char *number,
	     u8 reason, unsigned int hops)
{
	struct sw_line *l;
	struct sw_call *c;
	u32 t;

	if (sw_line_find(sw, number, &t)) {
		if (!src)
			return -EOPNOTSUPP;	/* no trunk-to-trunk calls */
		return sw_offer_far(sw, src, number);
	}
	l = &sw->lines[t];
	if (l->unplugged) {
		if (src)
			sw_call_set(sw, src, CTI_CALL_DISCONNECTED,
				    CTI_DISC_UNREACHABLE);
		return -ENODEV;
	}
	if (src && src->line == t) {
		sw_busy(sw, src);
		return -EBUSY;
	}
	if (l->dnd) {
		if (src)
			sw_call_set(sw, src, CTI_CALL_DISCONNECTED,
				    CTI_DISC_DND);
		return -EBUSY;
	}
	if (l->status != CTI_LINE_IN_SERVICE) {
		if (src)
			sw_call_set(sw, src, CTI_CALL_DISCONNECTED,
				    CTI_DISC_OUT_OF_ORDER);
		return -EIO;
	}
	if (l->fwd_to && (l->fwd_mode == CTI_FORWARD_UNCONDITIONAL ||
			  (l->fwd_mode == CTI_FORWARD_BUSY && l->ncalls))) {
		if (hops < SW_FORWARD_DEPTH)
			return sw_offer(sw, src, fe, caller, called,
					l->fwd_to, CTI_REASON_FORWARD,
					hops + 1);
		if (src)
			sw_call_set(sw, src, CTI_CALL_DISCONNECTED,
				    CTI_DISC_UNREACHABLE);
		return -ELOOP;
	}
	if (l->ncalls >= sw->cfg.max_calls) {
		if (src)
			sw_busy(sw, src);
		return -EBUSY;
	}
	c = sw_call_new(sw, t);
	if (!c) {
		if (src)
			sw_call_set(sw, src, CTI_CALL_DISCONNECTED,
				    CTI_DISC_CONGESTION);
		return -ENOMEM;
	}
	c->origin = src ? CTI_ORIGIN_INTERNAL : CTI_ORIGIN_INBOUND;
	c->call_reason = reason;
	sw_strlcpy(c->caller, caller, sizeof(c->caller));
	sw_strlcpy(c->called, called, sizeof(c->called));
	if (src) {
		src->peer = c;
		c->peer = src;
	} else {
		c->fe = fe;
		fe->leg = c;
	}
	/* The record order of cti_provider.h: CALL_INFO first. */
	sw_post_info(sw, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	sw_call_set(sw, c, CTI_CALL_OFFERING, reason);
	if (src && src->state != CTI_CALL_RINGBACK)
		sw_call_set(sw, src, CTI_CALL_RINGBACK, 0);
	if (l->fwd_to && l->fwd_mode == CTI_FORWARD_NO_ANSWER)
		sw_tmr_arm(sw, &c->fwd_tmr, sw->cfg.forward_noanswer_ms);
	return 0;
}

/* The caller of the ringing @c is offered to @number instead. */
void sw_deflect(struct sw *sw, struct sw_call *c, const char *number,
		u8 idle_reason, u8 offer_reason)
{
	char caller[CTI_NUMBER_MAX], called[CTI_NUMBER_MAX];
	struct sw_call *src = c->peer;
	struct sw_farend *fe = c->fe;

	memcpy(caller, c->caller, sizeof(caller));
	memcpy(called, c->called, sizeof(called));
	c->peer = NULL;
	c->fe = NULL;
	if (src)
		src->peer = NULL;
	if (fe)
		fe->leg = NULL;
	sw_release(sw, c, idle_reason);
	if (!src && !fe)
		return;
	if (!sw_offer(sw, src, src ? NULL : fe, caller, called, number,
		      offer_reason, 1)) {
		if (src)
			sw_party_changed(sw, src);	/* it rings elsewhere */
	} else if (!src) {
		sw_farend_free(sw, fe);	/* the outside caller gives up */
	}
}

/* A new call @c on some line takes over the party of @from. */
void sw_take_party(struct sw_call *c, struct sw_call *from)
{
	c->peer = from->peer;
	if (c->peer)
		c->peer->peer = c;
	c->fe = from->fe;
	if (c->fe)
		c->fe->leg = c;
	from->peer = NULL;
	from->fe = NULL;
}

/*
 * The other party of @c changed (a transfer, pickup or unpark joined it
 * to someone else): tell @c's line who it talks to now, in the party
 * field of its CALL_INFO (@called if @c placed the call, else @caller).
 * Without it a program keeps showing the party that left.
 */
void sw_party_changed(struct sw *sw, struct sw_call *c)
{
	char *field = c->outgoing ? c->called : c->caller;
	char number[CTI_NUMBER_MAX];

	if (c->peer)
		sw_line_number(sw, c->peer->line, number);
	else if (c->fe)
		sw_strlcpy(number, c->fe->number, sizeof(number));
	else
		return;
	if (!strcmp(field, number))
		return;
	memcpy(field, number, sizeof(number));
	sw_post_info(sw, c, c->outgoing ? CTI_CALL_INFO_CALLED :
					  CTI_CALL_INFO_CALLER);
}

/* Forward on no answer: the call rang long enough here. */
static void sw_fwd_fn(struct sw *sw, struct sw_tmr *tmr)
{
	struct sw_call *c = sw_container_of(tmr, struct sw_call, fwd_tmr);
	struct sw_line *l = &sw->lines[c->line];
	char to[CTI_NUMBER_MAX];

	if ((c->state != CTI_CALL_OFFERING && c->state != CTI_CALL_ACCEPTED) ||
	    l->fwd_mode != CTI_FORWARD_NO_ANSWER || !l->fwd_to)
		return;
	/* The deflection may change forwarding; keep our own copy. */
	sw_strlcpy(to, l->fwd_to, sizeof(to));
	sw_deflect(sw, c, to, CTI_DISC_FORWARDED, CTI_REASON_FORWARD);
}
