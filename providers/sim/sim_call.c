// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim's calls and its switch: creating and ending call appearances,
 * linking the two legs of an internal call, and routing a dialled number to
 * a line (with DND, busy and forwarding) or to the scriptable far end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static void sim_fwd_fn(struct sim *sim, struct sim_tmr *tmr);
static void sim_tone_fn(struct sim *sim, struct sim_tmr *tmr);

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
	c->fwd_tmr.fn = sim_fwd_fn;
	c->tone_tmr.fn = sim_tone_fn;
	/* Append, so that a line's calls are listed oldest first. */
	for (pp = &l->calls; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	l->ncalls++;
	return c;
}

/* Unlink and free @c; nothing is posted. Its party must be detached. */
void sim_call_free(struct sim *sim, struct sim_call *c)
{
	struct sim_line *l = &sim->lines[c->line];
	struct sim_call **pp, *o;
	uint32_t i;

	for (pp = &l->calls; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			l->ncalls--;
			break;
		}
	}
	sim_tmr_cancel(sim, &c->fwd_tmr);
	sim_tmr_cancel(sim, &c->tone_tmr);
	if (c->tone_req) {
		/* The tone ends with its call; the request still completes. */
		sim->api->complete(sim->host, c->tone_req,
				   sim->shutting_down ? -ECANCELED : 0,
				   CTI_CALL_NONE);
		c->tone_req = 0;
	}
	for (o = l->calls; o; o = o->next)
		if (o->related == c->handle)
			o->related = 0;
	if (c->peer)
		c->peer->peer = NULL;
	if (c->fe)
		sim_farend_free(sim, c->fe);
	for (i = 0; i < sim->cfg.park_slots; i++)
		if (sim->park[i].call == c)
			sim->park[i].call = NULL;
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
	/* A state a call is already in is not reported again. */
	if (c->state == state && c->reason == reason)
		return;
	c->state = state;
	c->reason = reason;
	sim_post_state(sim, c, state, reason);
	sim_agent_call_changed(sim, c->line);
}

/* The call is over here: IDLE, then its handle is freed. */
void sim_call_idle(struct sim *sim, struct sim_call *c, uint8_t reason)
{
	uint32_t line = c->line;

	c->state = CTI_CALL_IDLE;
	c->reason = reason;
	sim_post_state(sim, c, CTI_CALL_IDLE, reason);
	sim_call_free(sim, c);
	sim_agent_call_changed(sim, line);
}

/* A conference lost a member: with one left, it is a plain call again. */
void sim_conf_shrink(struct sim *sim, uint32_t line, uint32_t conf)
{
	struct sim_call *c, *last = NULL;
	unsigned int n = 0;

	for (c = sim->lines[line].calls; c; c = c->next) {
		if (c->conf == conf) {
			n++;
			last = c;
		}
	}
	if (n == 1) {
		last->conf = 0;
		last->related = 0;
		sim_call_set(sim, last, CTI_CALL_CONNECTED, 0);
	}
}

/*
 * The far end of @c went away (or the call failed). A call that never
 * rang to an answer here is cleared at once: nobody took it, so nobody
 * needs to drop it. A conference member leaves its conference.
 */
void sim_call_disconnect(struct sim *sim, struct sim_call *c, uint8_t reason)
{
	uint32_t conf = c->conf, line = c->line;
	bool ringing_here = c->state == CTI_CALL_OFFERING ||
			    c->state == CTI_CALL_ACCEPTED;

	if (c->peer) {
		c->peer->peer = NULL;
		c->peer = NULL;
	}
	if (c->fe) {
		sim_farend_free(sim, c->fe);
		c->fe = NULL;
	}
	sim_call_set(sim, c, CTI_CALL_DISCONNECTED, reason);
	if (ringing_here || conf) {
		sim_call_idle(sim, c, reason);
		if (conf)
			sim_conf_shrink(sim, line, conf);
	}
}

static void sim_party_number(const struct sim *sim, const struct sim_call *p,
			     const struct sim_farend *fe, char *buf)
{
	if (p)
		sim_line_number(sim, p->line, buf);
	else
		memcpy(buf, fe->number, CTI_NUMBER_MAX);
}

/* Where a call to line @t goes: to @t itself, or along its forwarding. */
static int sim_route_line(struct sim *sim, uint32_t t, uint8_t *reason,
			  uint8_t depth, const char **fwd)
{
	const struct sim_line *l = &sim->lines[t];
	bool busy = sim_line_busy(sim, t);

	*fwd = NULL;
	if (l->status != CTI_LINE_IN_SERVICE)
		return CTI_DISC_OUT_OF_ORDER;
	if (l->fwd_to && depth < SIM_FORWARD_DEPTH &&
	    (l->fwd_mode == CTI_FORWARD_UNCONDITIONAL ||
	     (l->fwd_mode == CTI_FORWARD_BUSY && busy))) {
		*fwd = l->fwd_to;
		*reason = CTI_REASON_FORWARD;
		return 0;
	}
	if (l->dnd)
		return CTI_DISC_DND;
	if (busy)
		return CTI_DISC_BUSY;
	return 0;
}

/*
 * Offer the party (@p, a call on a line, or @fe, an outside far end) a
 * call to @number, arriving with @reason. Returns a negative errno for a
 * number that cannot be dialled (nothing changed), a positive
 * CTI_DISC_* when the target refuses (nothing changed), or 0 when the
 * target rings: then *@out is the new call on the target line (NULL for an
 * outside number) and @p's side is RINGBACK.
 */
static int sim_route_party(struct sim *sim, struct sim_call *p,
			   struct sim_farend *fe, const char *number,
			   uint8_t reason, uint8_t depth,
			   struct sim_call **out)
{
	const struct sim_script *script;
	struct sim_farend *nfe;
	const char *fwd;
	struct sim_call *c;
	uint32_t t;
	int ret;

	*out = NULL;
	if (!sim_number_valid(number, false))
		return -EINVAL;
	if (!strncmp(number, sim->cfg.park_prefix,
		     strlen(sim->cfg.park_prefix)))
		return -EINVAL;	/* park slots are reached with UNPARK */

	if (sim_line_find(sim, number, &t)) {
		/* Outside: the far end's script decides. */
		if (!p)
			return -EOPNOTSUPP;	/* no trunk-to-trunk calls */
		script = sim_config_script(&sim->cfg, number);
		nfe = sim_farend_new(sim, number, script, false);
		if (!nfe)
			return -ENOMEM;
		nfe->leg = p;
		p->fe = nfe;
		sim_farend_start(sim, nfe);
		return 0;
	}
	if (p && p->line == t)
		return -EINVAL;		/* a line cannot call itself */

	ret = sim_route_line(sim, t, &reason, depth, &fwd);
	if (ret)
		return ret;
	if (fwd)
		return sim_route_party(sim, p, fe, fwd, reason, depth + 1, out);

	c = sim_call_new(sim, t);
	if (!c)
		return -ENOMEM;
	c->origin = p ? CTI_ORIGIN_INTERNAL : CTI_ORIGIN_INBOUND;
	c->call_reason = reason;
	c->fwd_depth = depth;
	sim_party_number(sim, p, fe, c->caller);
	sim_line_number(sim, t, c->called);
	if (p) {
		c->peer = p;
		p->peer = c;
	} else {
		c->fe = fe;
		fe->leg = c;
	}
	sim_post_info(sim, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	sim_call_set(sim, c, CTI_CALL_OFFERING, reason);
	if (sim->lines[t].fwd_mode == CTI_FORWARD_NO_ANSWER &&
	    sim->lines[t].fwd_to && depth < SIM_FORWARD_DEPTH)
		sim_tmr_arm(sim, &c->fwd_tmr, sim->cfg.forward_noanswer_ms);
	if (p)
		sim_call_set(sim, p, CTI_CALL_RINGBACK, 0);
	*out = c;
	return 0;
}

int sim_route(struct sim *sim, struct sim_call *from, const char *number,
	      uint8_t reason, uint8_t depth, struct sim_call **out)
{
	return sim_route_party(sim, from, NULL, number, reason, depth, out);
}

/* Offer the outside party @fe to @number (an inbound or transferred call). */
int sim_route_farend(struct sim *sim, struct sim_farend *fe,
		     const char *number, uint8_t reason, struct sim_call **out)
{
	return sim_route_party(sim, NULL, fe, number, reason, 0, out);
}

/* The offering call @c was answered here. */
void sim_offer_answered(struct sim *sim, struct sim_call *c)
{
	sim_tmr_cancel(sim, &c->fwd_tmr);
	sim_call_set(sim, c, CTI_CALL_CONNECTED, 0);
	if (c->peer)
		sim_call_set(sim, c->peer, CTI_CALL_CONNECTED, 0);
	else if (c->fe)
		sim_farend_answered(sim, c->fe);
}

/* Forward on no answer: the call rang long enough here. */
static void sim_fwd_fn(struct sim *sim, struct sim_tmr *tmr)
{
	struct sim_call *c = sim_container_of(tmr, struct sim_call, fwd_tmr);
	struct sim_line *l = &sim->lines[c->line];
	struct sim_call *p = c->peer, *n;
	struct sim_farend *fe = c->fe;
	int ret;

	if ((c->state != CTI_CALL_OFFERING && c->state != CTI_CALL_ACCEPTED) ||
	    l->fwd_mode != CTI_FORWARD_NO_ANSWER || !l->fwd_to)
		return;
	/* Detach the party first: the target must not see @c as busy. */
	c->peer = NULL;
	c->fe = NULL;
	if (p)
		p->peer = NULL;
	ret = sim_route_party(sim, p, p ? NULL : fe, l->fwd_to,
			      CTI_REASON_FORWARD, c->fwd_depth + 1, &n);
	if (ret) {
		/* The destination refuses: keep ringing here. */
		c->peer = p;
		c->fe = fe;
		if (p)
			p->peer = c;
		return;
	}
	sim_call_idle(sim, c, CTI_DISC_FORWARDED);
}

static void sim_tone_fn(struct sim *sim, struct sim_tmr *tmr)
{
	struct sim_call *c = sim_container_of(tmr, struct sim_call, tone_tmr);
	uint64_t req = c->tone_req;

	c->tone_req = 0;
	if (req)
		sim->api->complete(sim->host, req, 0, CTI_CALL_NONE);
}
