// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim's call-control commands. Each checks its arguments and the call
 * states first and refuses with nothing changed (-EINVAL a bad argument,
 * -ENOENT no such call, -EBUSY a wrong state), then changes the model and
 * queues the records. The checks and sequences follow the kernel's cti_sim;
 * README.md lists them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static bool sim_ringing(const struct sim_call *c)
{
	return c->state == CTI_CALL_OFFERING || c->state == CTI_CALL_ACCEPTED;
}

static bool sim_dtmf_ok(const char *s, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (!s[i] || !strchr("0123456789*#ABCD", s[i]))
			return false;
	return len > 0 && len <= CTI_DIGITS_MAX;
}

/* Place a new call on @line to @number; a consultation names @related. */
static uint32_t sim_dial(struct sim *sim, uint32_t line, const char *number,
			 struct sim_call *related)
{
	struct sim_call *c = sim_call_new(sim, line);
	uint32_t t;

	if (!c)
		return CTI_CALL_NONE;
	c->origin = sim_line_find(sim, number, &t) ? CTI_ORIGIN_OUTBOUND :
						     CTI_ORIGIN_INTERNAL;
	c->call_reason = CTI_REASON_DIRECT;
	sim_line_number(sim, line, c->caller);
	snprintf(c->called, sizeof(c->called), "%s", number);
	if (related) {
		c->related = related->handle;
		related->related = c->handle;
	}
	sim_post_info(sim, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED |
			      (related ? CTI_CALL_INFO_RELATED : 0));
	sim_call_set(sim, c, CTI_CALL_DIALING, 0);
	sim_offer(sim, c, NULL, c->caller, number, CTI_REASON_DIRECT, 0);
	return c->handle;
}

/* A number a command dials: the line it rings, if any, is the host's to vet. */
static int sim_dial_check(struct sim *sim,
			  const struct cti_provider_request *req)
{
	uint32_t t;

	if (!sim_number_valid(req->data, false))
		return -EINVAL;
	return sim_reach(sim, req, req->data, CTI_REACH_CALL, &t);
}

static int sim_make_call(struct sim *sim,
			 const struct cti_provider_request *req, uint32_t *out)
{
	int ret = sim_dial_check(sim, req);

	if (ret)
		return ret;
	if (sim->lines[req->line].ncalls >= sim->cfg.max_calls)
		return -EBUSY;
	*out = sim_dial(sim, req->line, req->data, NULL);
	return *out ? 0 : -ENOMEM;
}

/* SETUP_TRANSFER and SETUP_CONFERENCE: hold @h, dial a consultation. */
static int sim_setup_consult(struct sim *sim,
			     const struct cti_provider_request *req,
			     struct sim_call *h, uint32_t *out)
{
	int ret = sim_dial_check(sim, req);

	if (ret)
		return ret;
	if ((h->state != CTI_CALL_CONNECTED && h->state != CTI_CALL_ONHOLD) ||
	    h->conf || sim->lines[req->line].ncalls >= sim->cfg.max_calls)
		return -EBUSY;
	sim_call_set(sim, h, req->cmd == CTI_CMD_SETUP_CONFERENCE ?
			     CTI_CALL_ONHOLDPENDCONF :
			     CTI_CALL_ONHOLDPENDTRANSFER, 0);
	*out = sim_dial(sim, req->line, req->data, h);
	return *out ? 0 : -ENOMEM;
}

/* Put the controlling call @c and its internal party into conference @id. */
static void sim_conf_join(struct sim *sim, struct sim_call *c, uint32_t id)
{
	c->conf = id;
	c->conf_ctl = true;
	c->related = id;
	sim_call_set(sim, c, CTI_CALL_CONFERENCED, 0);
	if (c->peer) {
		c->peer->conf = id;
		c->peer->related = 0;
		sim_call_set(sim, c->peer, CTI_CALL_CONFERENCED, 0);
	}
}

static void sim_new_conf(struct sim *sim, struct sim_call *h,
			 struct sim_call *c)
{
	uint32_t id = h->handle;

	sim_conf_join(sim, h, id);
	sim_conf_join(sim, c, id);
}

static int sim_complete_transfer(struct sim *sim,
				 const struct cti_provider_request *req,
				 struct sim_call *h, struct sim_call *c)
{
	struct sim_call *hp = h->peer, *cp = c->peer;
	struct sim_farend *hf = h->fe, *cf = c->fe;

	if (req->arg > CTI_TRANSFER_MODE_CONFERENCE)
		return -EINVAL;
	if (h->state != CTI_CALL_ONHOLDPENDTRANSFER || h->related != c->handle)
		return -EBUSY;
	if (req->arg == CTI_TRANSFER_MODE_CONFERENCE) {
		if (c->state != CTI_CALL_CONNECTED)
			return -EBUSY;
		sim_new_conf(sim, h, c);
		return 0;
	}
	if (c->state != CTI_CALL_CONNECTED && c->state != CTI_CALL_RINGBACK)
		return -EBUSY;
	if (hf && cf)
		return -EOPNOTSUPP;	/* no trunk-to-trunk connections */

	h->peer = NULL;
	c->peer = NULL;
	h->fe = NULL;
	c->fe = NULL;
	if (hp && cf) {
		/* The held party now waits for the consulted far end. */
		hp->peer = NULL;
		hp->fe = cf;
		cf->leg = hp;
		cf = NULL;
	} else if (cp && hf) {
		cp->peer = NULL;
		cp->fe = hf;
		hf->leg = cp;
		hf = NULL;
	} else if (hp && cp) {
		hp->peer = cp;
		cp->peer = hp;
	} else if (hp) {
		hp->peer = NULL;
	} else if (cp) {
		cp->peer = NULL;
	}
	/*
	 * A far end that nobody took over (the other call had no party of
	 * its own: say it waits in a park slot) hangs up. It is no longer
	 * any call's, so nothing else would free it or cancel its timers.
	 */
	if (hf)
		sim_farend_free(sim, hf);
	if (cf)
		sim_farend_free(sim, cf);
	sim_release(sim, h, CTI_DISC_TRANSFERRED);
	sim_release(sim, c, CTI_DISC_TRANSFERRED);
	if (hp && hp->state != CTI_CALL_RINGBACK &&
	    ((hp->fe && !hp->fe->connected) ||
	     (hp->peer && sim_ringing(hp->peer))))
		sim_call_set(sim, hp, CTI_CALL_RINGBACK, 0);
	return 0;
}

static int sim_add_to_conference(struct sim *sim, struct sim_call *h,
				 struct sim_call *c)
{
	if (h->state == CTI_CALL_ONHOLDPENDCONF && h->related == c->handle &&
	    c->state == CTI_CALL_CONNECTED) {
		sim_new_conf(sim, h, c);
		return 0;
	}
	if (h->conf && h->conf_ctl && h->state == CTI_CALL_CONFERENCED &&
	    !c->conf && (c->state == CTI_CALL_CONNECTED ||
			 c->state == CTI_CALL_ONHOLD)) {
		sim_conf_join(sim, c, h->conf);
		return 0;
	}
	return -EBUSY;
}

/* The party of @c leaves the conference: @c holds it, it talks alone. */
static int sim_remove_from_conference(struct sim *sim, struct sim_call *c)
{
	uint32_t conf = c->conf;

	if (!c->conf || !c->conf_ctl || c->state != CTI_CALL_CONFERENCED)
		return -EBUSY;
	c->conf = 0;
	c->conf_ctl = false;
	c->related = 0;
	sim_call_set(sim, c, CTI_CALL_ONHOLD, 0);
	if (c->peer && c->peer->conf) {
		c->peer->conf = 0;
		sim_call_set(sim, c->peer, CTI_CALL_CONNECTED, 0);
	}
	sim_conf_check(sim, c->line, conf);
	return 0;
}

static int sim_blind_transfer(struct sim *sim,
			      const struct cti_provider_request *req,
			      struct sim_call *c)
{
	char caller[CTI_NUMBER_MAX];
	struct sim_call *p = c->peer;
	struct sim_farend *fe = c->fe;
	uint32_t t;
	int ret = sim_dial_check(sim, req);

	if (ret)
		return ret;
	if ((c->state != CTI_CALL_CONNECTED && c->state != CTI_CALL_ONHOLD) ||
	    c->conf || (!p && !fe))
		return -EBUSY;
	if (fe && sim_line_find(sim, req->data, &t))
		return -EOPNOTSUPP;	/* no trunk-to-trunk connections */

	if (p)
		sim_line_number(sim, p->line, caller);
	else
		memcpy(caller, fe->number, sizeof(caller));
	c->peer = NULL;
	c->fe = NULL;
	if (p)
		p->peer = NULL;
	else
		fe->leg = NULL;
	sim_release(sim, c, CTI_DISC_TRANSFERRED);
	if (sim_offer(sim, p, p ? NULL : fe, caller, req->data,
		      CTI_REASON_TRANSFER, 0) && !p)
		sim_farend_free(sim, fe);
	return 0;
}

static struct sim_park *sim_park_lookup(struct sim *sim, const char *number)
{
	uint32_t i;

	for (i = 0; i < sim->cfg.park_slots; i++)
		if (sim->park[i].used && !strcmp(sim->park[i].number, number))
			return &sim->park[i];
	return NULL;
}

static int sim_park(struct sim *sim, const struct cti_provider_request *req,
		    struct sim_call *c)
{
	char name[CTI_NUMBER_MAX];
	struct sim_park *slot = NULL;
	struct sim_call *p = c->peer;
	struct sim_farend *fe = c->fe;
	uint32_t i, n, t;

	if ((c->state != CTI_CALL_CONNECTED && c->state != CTI_CALL_ONHOLD) ||
	    c->conf || (!p && !fe))
		return -EBUSY;
	if (req->data_len) {
		if (!sim_number_valid(req->data, false) ||
		    !sim_line_find(sim, req->data, &t))
			return -EINVAL;
		snprintf(name, sizeof(name), "%s", req->data);
	} else {
		/* The lowest free default slot that is not a line's number. */
		for (n = 0; n < sim->cfg.park_slots; n++) {
			snprintf(name, sizeof(name), "%lu",
				 (unsigned long)sim->cfg.park_first + n);
			if (!sim_park_lookup(sim, name) &&
			    sim_line_find(sim, name, &t))
				break;
		}
		if (n == sim->cfg.park_slots)
			return -EBUSY;
	}
	if (sim_park_lookup(sim, name))
		return -EBUSY;
	for (i = 0; i < sim->cfg.park_slots && !slot; i++)
		if (!sim->park[i].used)
			slot = &sim->park[i];
	if (!slot)
		return -EBUSY;

	slot->used = true;
	memcpy(slot->number, name, sizeof(slot->number));
	c->peer = NULL;
	c->fe = NULL;
	if (p) {
		p->peer = NULL;
		p->parked = slot;
		slot->call = p;
	} else {
		sim_farend_park(sim, fe);
		slot->fe = fe;
	}
	/* Tell the parker where its party waits (a sim addition). */
	memcpy(c->called, name, sizeof(c->called));
	sim_post_info(sim, c, CTI_CALL_INFO_CALLED);
	sim_release(sim, c, CTI_DISC_NORMAL);
	if (p && p->state != CTI_CALL_ONHOLD)
		sim_call_set(sim, p, CTI_CALL_ONHOLD, 0);
	return 0;
}

/* A new call on @line for one that arrives there: EBUSY if it is full. */
static int sim_call_arrive(struct sim *sim, uint32_t line,
			   struct sim_call **cp)
{
	if (sim->lines[line].ncalls >= sim->cfg.max_calls)
		return -EBUSY;
	*cp = sim_call_new(sim, line);
	return *cp ? 0 : -ENOMEM;
}

static int sim_unpark(struct sim *sim, const struct cti_provider_request *req,
		      uint32_t *out)
{
	struct sim_park *slot;
	struct sim_call *c, *p;
	struct sim_farend *fe;
	int ret;

	if (!req->data_len || !sim_number_valid(req->data, false))
		return -EINVAL;
	slot = sim_park_lookup(sim, req->data);
	if (!slot)
		return -ENOENT;
	ret = sim_call_arrive(sim, req->line, &c);
	if (ret)
		return ret;
	p = slot->call;
	fe = slot->fe;
	c->call_reason = CTI_REASON_UNPARK;
	memcpy(c->called, slot->number, sizeof(c->called));
	if (p) {
		c->origin = CTI_ORIGIN_INTERNAL;
		sim_line_number(sim, p->line, c->caller);
		c->peer = p;
		p->peer = c;
		p->parked = NULL;
	} else {
		c->origin = CTI_ORIGIN_INBOUND;
		memcpy(c->caller, fe->number, sizeof(c->caller));
		c->fe = fe;
		fe->leg = c;
	}
	memset(slot, 0, sizeof(*slot));
	sim_post_info(sim, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	sim_call_set(sim, c, CTI_CALL_CONNECTED, 0);
	if (p)
		sim_call_set(sim, p, CTI_CALL_CONNECTED, 0);
	else
		sim_farend_resume(sim, fe);
	*out = c->handle;
	return 0;
}

static struct sim_call *sim_ringing_call(const struct sim *sim, uint32_t line)
{
	struct sim_call *c;

	for (c = sim->lines[line].calls; c; c = c->next)
		if (sim_ringing(c))
			return c;
	return NULL;
}

static int sim_pickup(struct sim *sim, const struct cti_provider_request *req,
		      uint32_t *out)
{
	struct sim_call *r = NULL, *c;
	uint32_t t;
	int ret;

	if (req->data_len) {
		if (!sim_number_valid(req->data, false))
			return -EINVAL;
		ret = sim_reach(sim, req, req->data, CTI_REACH_PICKUP, &t);
		if (ret)
			return ret;
		if (t == CTI_LINE_NONE)
			return -ENOENT;
		if (t == req->line)
			return -EINVAL;
		r = sim_ringing_call(sim, t);
	} else {
		/*
		 * Group pickup: the oldest call ringing on any other line, as
		 * on the kernel's sim. Handles grow with age (short of a wrap).
		 * Lines the client may not pick up from are skipped as if
		 * nothing rang there; only candidates are asked about.
		 */
		for (t = 0; t < sim->cfg.lines; t++) {
			struct sim_call *o;

			if (t == req->line)
				continue;
			o = sim_ringing_call(sim, t);
			if (o && (!r || o->handle < r->handle) &&
			    !sim_authorize(sim, req, t, CTI_REACH_PICKUP))
				r = o;
		}
	}
	if (!r)
		return -ENOENT;
	ret = sim_call_arrive(sim, req->line, &c);
	if (ret)
		return ret;
	c->origin = r->origin;
	c->call_reason = CTI_REASON_PICKUP;
	memcpy(c->caller, r->caller, sizeof(c->caller));
	memcpy(c->called, r->called, sizeof(c->called));
	sim_take_party(c, r);
	sim_release(sim, r, CTI_DISC_PICKUP);
	sim_post_info(sim, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	sim_call_set(sim, c, CTI_CALL_CONNECTED, 0);
	if (c->peer)
		sim_call_set(sim, c->peer, CTI_CALL_CONNECTED, 0);
	else if (c->fe)
		sim_farend_answered(sim, c->fe);
	*out = c->handle;
	return 0;
}

static int sim_answer(struct sim *sim, struct sim_call *c)
{
	if (!sim_ringing(c))
		return -EBUSY;
	sim_tmr_cancel(sim, &c->fwd_tmr);
	sim_call_set(sim, c, CTI_CALL_CONNECTED, 0);
	if (c->peer && c->peer->state == CTI_CALL_RINGBACK)
		sim_call_set(sim, c->peer, CTI_CALL_CONNECTED, 0);
	else if (c->fe)
		sim_farend_answered(sim, c->fe);
	return 0;
}

/* Commands that act on one existing call, @c. */
static int sim_call_cmd(struct sim *sim, const struct cti_provider_request *req,
			struct sim_call *c, uint32_t *out)
{
	struct sim_call *c2 = NULL;
	int ret;

	switch (req->cmd) {
	case CTI_CMD_SWAP_HOLD:
	case CTI_CMD_COMPLETE_TRANSFER:
	case CTI_CMD_ADD_TO_CONFERENCE:
		c2 = sim_call_find(sim, req->line, req->call2);
		if (!c2)
			return -ENOENT;
		break;
	default:
		break;
	}

	switch (req->cmd) {
	case CTI_CMD_ANSWER:
		return sim_answer(sim, c);
	case CTI_CMD_ACCEPT:
		if (c->state != CTI_CALL_OFFERING)
			return -EBUSY;
		sim_call_set(sim, c, CTI_CALL_ACCEPTED, 0);
		return 0;
	case CTI_CMD_DROP:
		sim_release(sim, c, CTI_DISC_NORMAL);
		return 0;
	case CTI_CMD_HOLD:
		if (c->state != CTI_CALL_CONNECTED)
			return -EBUSY;
		sim_call_set(sim, c, CTI_CALL_ONHOLD, 0);
		return 0;
	case CTI_CMD_UNHOLD:
		if (c->state != CTI_CALL_ONHOLD)
			return -EBUSY;
		sim_call_set(sim, c, CTI_CALL_CONNECTED, 0);
		return 0;
	case CTI_CMD_SWAP_HOLD:
		if (c->state != CTI_CALL_CONNECTED ||
		    c2->state != CTI_CALL_ONHOLD)
			return -EBUSY;
		sim_call_set(sim, c, CTI_CALL_ONHOLD, 0);
		sim_call_set(sim, c2, CTI_CALL_CONNECTED, 0);
		return 0;
	case CTI_CMD_BLIND_TRANSFER:
		return sim_blind_transfer(sim, req, c);
	case CTI_CMD_REDIRECT:
		ret = sim_dial_check(sim, req);
		if (ret)
			return ret;
		if (!sim_ringing(c))
			return -EBUSY;
		sim_deflect(sim, c, req->data, CTI_DISC_REDIRECTED,
			    CTI_REASON_REDIRECT);
		return 0;
	case CTI_CMD_SETUP_TRANSFER:
	case CTI_CMD_SETUP_CONFERENCE:
		return sim_setup_consult(sim, req, c, out);
	case CTI_CMD_COMPLETE_TRANSFER:
		return sim_complete_transfer(sim, req, c, c2);
	case CTI_CMD_ADD_TO_CONFERENCE:
		return sim_add_to_conference(sim, c, c2);
	case CTI_CMD_REMOVE_FROM_CONFERENCE:
		return sim_remove_from_conference(sim, c);
	case CTI_CMD_PARK:
		return sim_park(sim, req, c);
	case CTI_CMD_GENERATE_DIGITS:
		if (!sim_dtmf_ok(req->data, req->data_len))
			return -EINVAL;
		if (c->state != CTI_CALL_CONNECTED &&
		    c->state != CTI_CALL_CONFERENCED)
			return -EBUSY;
		if (c->peer)
			sim_post_digits(sim, c->peer, req->data);
		return 0;
	case CTI_CMD_GENERATE_TONE:
		/* The sim plays no audio: the tone "plays" at once. */
		if (req->arg > CTI_TONE_RINGBACK)
			return -EINVAL;
		if (c->state != CTI_CALL_CONNECTED &&
		    c->state != CTI_CALL_CONFERENCED)
			return -EBUSY;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * Run one call-control command. Returns 0 when done (*@out is the call it
 * created, if any) or a negative errno with nothing changed.
 */
int sim_callctl(struct sim *sim, const struct cti_provider_request *req,
		uint32_t *out)
{
	struct sim_call *c;

	*out = CTI_CALL_NONE;
	switch (req->cmd) {
	case CTI_CMD_MAKE_CALL:
		return sim_make_call(sim, req, out);
	case CTI_CMD_UNPARK:
		return sim_unpark(sim, req, out);
	case CTI_CMD_PICKUP:
		return sim_pickup(sim, req, out);
	case CTI_CMD_SET_FORWARD:
		/* The destination is offered every call the line gets. */
		if (req->arg != CTI_FORWARD_NONE &&
		    sim_number_valid(req->data, false)) {
			int ret = sim_dial_check(sim, req);

			if (ret)
				return ret;
		}
		return sim_line_set_forward(sim, req->line, req->arg,
					    req->data);
	case CTI_CMD_SET_DND:
		return sim_line_set_dnd(sim, req->line, req->arg);
	default:
		break;
	}
	c = sim_call_find(sim, req->line, req->call);
	if (!c)
		return -ENOENT;
	return sim_call_cmd(sim, req, c, out);
}
