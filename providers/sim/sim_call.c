// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim's calls and its switch: creating and ending call appearances,
 * linking the two legs of an internal call, conferences coming apart, and
 * offering a call to a dialled number: a line (with DND, forwarding and
 * busy) or the scriptable far end. The sequences are those of the kernel's
 * cti_sim (kernel/sim/switch.c), so that every provider looks alike.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static void sim_fwd_fn(struct sim *sim, struct sim_tmr *tmr);

struct sim_call *sim_call_new(struct sim *sim, uint32_t line)
{
	struct sim_line *l = &sim->lines[line];
	struct sim_call *c, **pp;

	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	/* Handles are never 0 (CTI_CALL_NONE) and not reused until wrap. */
	if (!++sim->next_handle)
		++sim->next_handle;
	c->handle = sim->next_handle;
	c->line = line;
	c->state = CTI_CALL_IDLE;
	c->fwd_tmr.fn = sim_fwd_fn;
	/* Append, so that a line's calls are listed oldest first. */
	for (pp = &l->calls; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	l->ncalls++;
	return c;
}

/* Unlink and free @c; nothing is posted. */
void sim_call_free(struct sim *sim, struct sim_call *c)
{
	struct sim_line *l = &sim->lines[c->line];
	struct sim_call **pp, *o;

	for (pp = &l->calls; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			l->ncalls--;
			break;
		}
	}
	sim_tmr_cancel(sim, &c->fwd_tmr);
	for (o = l->calls; o; o = o->next)
		if (o->related == c->handle && !o->conf)
			o->related = 0;
	if (c->peer)
		c->peer->peer = NULL;
	if (c->fe)
		sim_farend_free(sim, c->fe);
	if (c->parked)
		memset(c->parked, 0, sizeof(*c->parked));
	free(c);
}

struct sim_call *sim_call_find(const struct sim *sim, uint32_t line,
			       uint32_t handle)
{
	struct sim_call *c;

	if (handle == CTI_CALL_NONE)
		return NULL;
	for (c = sim->lines[line].calls; c; c = c->next)
		if (c->handle == handle)
			return c;
	return NULL;
}

void sim_call_set(struct sim *sim, struct sim_call *c, uint8_t state,
		  uint8_t reason)
{
	c->state = state;
	c->reason = reason;
	sim_post_state(sim, c, state, reason);
	sim_agent_call_changed(sim, c->line);
}

/* Conference @conf of @line lost a controlling call: one left dissolves it. */
void sim_conf_check(struct sim *sim, uint32_t line, uint32_t conf)
{
	struct sim_call *c;
	unsigned int n = 0;

	for (c = sim->lines[line].calls; c; c = c->next)
		n += c->conf == conf && c->conf_ctl;
	if (n > 1)
		return;
	for (c = sim->lines[line].calls; c; c = c->next) {
		struct sim_call *p = c->peer;

		if (c->conf != conf)
			continue;
		c->conf = 0;
		c->conf_ctl = false;
		c->related = 0;
		if (c->state == CTI_CALL_CONFERENCED)
			sim_call_set(sim, c, CTI_CALL_CONNECTED, 0);
		if (p && p->conf == conf) {
			p->conf = 0;
			if (p->state == CTI_CALL_CONFERENCED)
				sim_call_set(sim, p, CTI_CALL_CONNECTED, 0);
		}
	}
}

/* Calls held pending a transfer or conference with @gone fall back. */
static void sim_unpend(struct sim *sim, struct sim_call *gone)
{
	struct sim_call *c;

	for (c = sim->lines[gone->line].calls; c; c = c->next) {
		if (c == gone || c->related != gone->handle || c->conf)
			continue;
		c->related = 0;
		if (c->state == CTI_CALL_ONHOLDPENDTRANSFER ||
		    c->state == CTI_CALL_ONHOLDPENDCONF)
			sim_call_set(sim, c, CTI_CALL_ONHOLD, 0);
	}
}

/*
 * The other party of @c went away: @c is DISCONNECTED with @reason and
 * stays until its line drops it. A conference call leaves its conference.
 */
void sim_party_gone(struct sim *sim, struct sim_call *c, uint8_t reason)
{
	uint32_t conf = c->conf;
	bool ctl = c->conf_ctl;

	if (c->peer)
		c->peer->peer = NULL;
	c->peer = NULL;
	if (c->fe) {
		sim_farend_free(sim, c->fe);
		c->fe = NULL;
	}
	sim_tmr_cancel(sim, &c->fwd_tmr);
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
		sim_call_set(sim, c, CTI_CALL_DISCONNECTED, reason);
	if (conf && ctl)
		sim_conf_check(sim, c->line, conf);
}

/*
 * @c goes IDLE with @reason and is freed; its party, if it still has one,
 * is DISCONNECTED (NORMAL). Detach the party first to hand it elsewhere.
 */
void sim_release(struct sim *sim, struct sim_call *c, uint8_t reason)
{
	struct sim_call *p = c->peer;
	uint32_t conf = c->conf, line = c->line;
	bool ctl = c->conf_ctl;

	if (p)
		p->peer = NULL;
	c->peer = NULL;
	sim_call_set(sim, c, CTI_CALL_IDLE, reason);
	sim_unpend(sim, c);
	sim_call_free(sim, c);
	sim_agent_call_changed(sim, line);
	if (p)
		sim_party_gone(sim, p, CTI_DISC_NORMAL);
	if (conf && ctl)
		sim_conf_check(sim, line, conf);
}

void sim_busy(struct sim *sim, struct sim_call *c)
{
	sim_call_set(sim, c, CTI_CALL_BUSY, 0);
	sim_call_set(sim, c, CTI_CALL_DISCONNECTED, CTI_DISC_BUSY);
}

/* @src calls the outside number @number: the far end's script decides. */
static int sim_offer_far(struct sim *sim, struct sim_call *src,
			 const char *number)
{
	struct sim_farend *fe;

	fe = sim_farend_new(sim, number, sim_config_script(&sim->cfg, number),
			    false);
	if (!fe) {
		sim_call_set(sim, src, CTI_CALL_DISCONNECTED,
			     CTI_DISC_CONGESTION);
		return -ENOMEM;
	}
	fe->leg = src;
	src->fe = fe;
	sim_farend_start(sim, fe);
	return 0;
}

/*
 * Offer a call to @number. The calling party is the call @src (which then
 * waits in RINGBACK or learns why not from its states), or, when @src is
 * NULL, the outside party @fe. @caller is the number the called line
 * sees. Returns 0 when the party now rings somewhere (or reached the far
 * end), else a negative errno: then @src has been told why, and an @fe is
 * still the caller's to free.
 */
int sim_offer(struct sim *sim, struct sim_call *src, struct sim_farend *fe,
	      const char *caller, const char *number, uint8_t reason,
	      unsigned int hops)
{
	struct sim_line *l;
	struct sim_call *c;
	uint32_t t;

	if (sim_line_find(sim, number, &t)) {
		if (!src)
			return -EOPNOTSUPP;	/* no trunk-to-trunk calls */
		return sim_offer_far(sim, src, number);
	}
	l = &sim->lines[t];
	if (l->unplugged) {
		if (src)
			sim_call_set(sim, src, CTI_CALL_DISCONNECTED,
				     CTI_DISC_UNREACHABLE);
		return -ENODEV;
	}
	if (src && src->line == t) {
		sim_busy(sim, src);
		return -EBUSY;
	}
	if (l->dnd) {
		if (src)
			sim_call_set(sim, src, CTI_CALL_DISCONNECTED,
				     CTI_DISC_DND);
		return -EBUSY;
	}
	if (l->status != CTI_LINE_IN_SERVICE) {
		if (src)
			sim_call_set(sim, src, CTI_CALL_DISCONNECTED,
				     CTI_DISC_OUT_OF_ORDER);
		return -EIO;
	}
	if (l->fwd_to && (l->fwd_mode == CTI_FORWARD_UNCONDITIONAL ||
			  (l->fwd_mode == CTI_FORWARD_BUSY && l->ncalls))) {
		if (hops < SIM_FORWARD_DEPTH)
			return sim_offer(sim, src, fe, caller, l->fwd_to,
					 CTI_REASON_FORWARD, hops + 1);
		if (src)
			sim_call_set(sim, src, CTI_CALL_DISCONNECTED,
				     CTI_DISC_UNREACHABLE);
		return -ELOOP;
	}
	if (l->ncalls >= sim->cfg.max_calls) {
		if (src)
			sim_busy(sim, src);
		return -EBUSY;
	}
	c = sim_call_new(sim, t);
	if (!c) {
		if (src)
			sim_call_set(sim, src, CTI_CALL_DISCONNECTED,
				     CTI_DISC_CONGESTION);
		return -ENOMEM;
	}
	c->origin = src ? CTI_ORIGIN_INTERNAL : CTI_ORIGIN_INBOUND;
	c->call_reason = reason;
	strncpy(c->caller, caller, sizeof(c->caller) - 1);
	strncpy(c->called, number, sizeof(c->called) - 1);
	if (src) {
		src->peer = c;
		c->peer = src;
	} else {
		c->fe = fe;
		fe->leg = c;
	}
	/* The record order of cti_provider.h: CALL_INFO first. */
	sim_post_info(sim, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	sim_call_set(sim, c, CTI_CALL_OFFERING, reason);
	if (src && src->state != CTI_CALL_RINGBACK)
		sim_call_set(sim, src, CTI_CALL_RINGBACK, 0);
	if (l->fwd_to && l->fwd_mode == CTI_FORWARD_NO_ANSWER)
		sim_tmr_arm(sim, &c->fwd_tmr, sim->cfg.forward_noanswer_ms);
	return 0;
}

/* The caller of the ringing @c is offered to @number instead. */
void sim_deflect(struct sim *sim, struct sim_call *c, const char *number,
		 uint8_t idle_reason, uint8_t offer_reason)
{
	char caller[CTI_NUMBER_MAX];
	struct sim_call *src = c->peer;
	struct sim_farend *fe = c->fe;

	memcpy(caller, c->caller, sizeof(caller));
	c->peer = NULL;
	c->fe = NULL;
	if (src)
		src->peer = NULL;
	if (fe)
		fe->leg = NULL;
	sim_release(sim, c, idle_reason);
	if ((src || fe) &&
	    sim_offer(sim, src, src ? NULL : fe, caller, number, offer_reason,
		      1) && !src)
		sim_farend_free(sim, fe);	/* the outside caller gives up */
}

/* A new call @c on some line takes over the party of @from. */
void sim_take_party(struct sim_call *c, struct sim_call *from)
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

/* Forward on no answer: the call rang long enough here. */
static void sim_fwd_fn(struct sim *sim, struct sim_tmr *tmr)
{
	struct sim_call *c = sim_container_of(tmr, struct sim_call, fwd_tmr);
	struct sim_line *l = &sim->lines[c->line];
	char to[CTI_NUMBER_MAX];

	if ((c->state != CTI_CALL_OFFERING && c->state != CTI_CALL_ACCEPTED) ||
	    l->fwd_mode != CTI_FORWARD_NO_ANSWER || !l->fwd_to)
		return;
	/* The deflection may change forwarding; keep our own copy. */
	strncpy(to, l->fwd_to, sizeof(to) - 1);
	to[sizeof(to) - 1] = '\0';
	sim_deflect(sim, c, to, CTI_DISC_FORWARDED, CTI_REASON_FORWARD);
}
