// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim's call-control commands: each checks its arguments and the call
 * states first (-EINVAL, -ENOENT, -EBUSY, nothing changed), then changes
 * the model and queues the records. README.md lists the sequences.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static bool sim_held(const struct sim_call *c)
{
	return c->state == CTI_CALL_ONHOLD ||
	       c->state == CTI_CALL_ONHOLDPENDCONF ||
	       c->state == CTI_CALL_ONHOLDPENDTRANSFER;
}

static bool sim_has_party(const struct sim_call *c)
{
	return c->peer || c->fe;
}

/* A number this line may dial: valid, not a park slot, not its own. */
static int sim_dialable(const struct sim *sim, uint32_t line,
			const char *number)
{
	char self[CTI_NUMBER_MAX];

	if (!sim_number_valid(number, false))
		return -EINVAL;
	if (!strncmp(number, sim->cfg.park_prefix,
		     strlen(sim->cfg.park_prefix)))
		return -EINVAL;
	sim_line_number(sim, line, self);
	if (!strcmp(number, self))
		return -EINVAL;
	return 0;
}

/* Place a new call from @line to @number; @related links a consultation. */
static int sim_dial(struct sim *sim, uint32_t line, const char *number,
		    uint32_t related, uint32_t *out)
{
	struct sim_call *c, *n;
	uint32_t t;
	int ret;

	c = sim_call_new(sim, line);
	if (!c)
		return -ENOMEM;
	c->origin = sim_line_find(sim, number, &t) ? CTI_ORIGIN_OUTBOUND :
						     CTI_ORIGIN_INTERNAL;
	c->call_reason = CTI_REASON_DIRECT;
	c->related = related;
	sim_line_number(sim, line, c->caller);
	snprintf(c->called, sizeof(c->called), "%s", number);
	sim_post_info(sim, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED |
			      (related ? CTI_CALL_INFO_RELATED : 0));
	sim_call_set(sim, c, CTI_CALL_DIALING, 0);
	*out = c->handle;

	ret = sim_route(sim, c, number, CTI_REASON_DIRECT, 0, &n);
	if (ret == CTI_DISC_BUSY)
		sim_call_set(sim, c, CTI_CALL_BUSY, 0);
	if (ret < 0)
		ret = CTI_DISC_UNREACHABLE;	/* a forwarding loop, say */
	if (ret)
		sim_call_disconnect(sim, c, ret);
	return 0;
}

static int sim_make_call(struct sim *sim, const struct cti_provider_request *req,
			 uint32_t *out)
{
	int ret = sim_dialable(sim, req->line, req->data);

	if (ret)
		return ret;
	if (sim_line_has_active(sim, req->line) ||
	    sim->lines[req->line].ncalls >= sim->cfg.max_calls)
		return -EBUSY;
	return sim_dial(sim, req->line, req->data, 0, out);
}

static void sim_conf_members_set(struct sim *sim, uint32_t line,
				 uint32_t conf, uint8_t state)
{
	struct sim_call *c;

	for (c = sim->lines[line].calls; c; c = c->next)
		if (c->conf == conf)
			sim_call_set(sim, c, state, 0);
}

/* SETUP_TRANSFER and SETUP_CONFERENCE: hold @call, dial a consultation. */
static int sim_setup_consult(struct sim *sim,
			     const struct cti_provider_request *req,
			     struct sim_call *c, uint32_t *out)
{
	bool conf = req->cmd == CTI_CMD_SETUP_CONFERENCE;
	int ret;

	if (!(c->state == CTI_CALL_CONNECTED ||
	      (conf && c->state == CTI_CALL_CONFERENCED) ||
	      (!conf && c->state == CTI_CALL_ONHOLD)))
		return -EBUSY;
	ret = sim_dialable(sim, req->line, req->data);
	if (ret)
		return ret;
	if (sim->lines[req->line].ncalls >= sim->cfg.max_calls)
		return -EBUSY;

	if (conf && c->conf)
		sim_conf_members_set(sim, c->line, c->conf,
				     CTI_CALL_ONHOLDPENDCONF);
	else
		sim_call_set(sim, c, conf ? CTI_CALL_ONHOLDPENDCONF :
					    CTI_CALL_ONHOLDPENDTRANSFER, 0);
	ret = sim_dial(sim, req->line, req->data, c->handle, out);
	if (!ret)
		c->related = *out;
	return ret;
}

/* Join @y to the conference of @x (made now if @x has none). */
static void sim_conf_join(struct sim *sim, struct sim_call *x,
			  struct sim_call *y)
{
	uint32_t conf = x->conf ? x->conf : x->handle;

	x->conf = conf;
	x->related = 0;
	y->related = 0;
	sim_conf_members_set(sim, x->line, conf, CTI_CALL_CONFERENCED);
	y->conf = conf;
	sim_call_set(sim, y, CTI_CALL_CONFERENCED, 0);
}

/* Move the party of @from (a call's leg or a far end) over to @to. */
static void sim_party_move(struct sim_call *from, struct sim_call *to)
{
	if (from->peer) {
		to->peer = from->peer;
		to->peer->peer = to;
		from->peer = NULL;
	} else if (from->fe) {
		to->fe = from->fe;
		to->fe->leg = to;
		from->fe = NULL;
	}
}

static int sim_complete_transfer(struct sim *sim,
				 const struct cti_provider_request *req,
				 struct sim_call *h, struct sim_call *c)
{
	struct sim_call *p1 = h->peer, *p2 = c->peer;
	struct sim_farend *f1 = h->fe, *f2 = c->fe;

	if (req->arg > CTI_TRANSFER_MODE_CONFERENCE || h == c)
		return -EINVAL;
	if (!sim_held(h))
		return -EBUSY;

	if (req->arg == CTI_TRANSFER_MODE_CONFERENCE) {
		if (c->state != CTI_CALL_CONNECTED || c->conf)
			return -EBUSY;
		sim_conf_join(sim, h, c);
		return 0;
	}

	if ((c->state != CTI_CALL_CONNECTED &&
	     c->state != CTI_CALL_RINGBACK) ||
	    !sim_has_party(h) || !sim_has_party(c) || h->conf)
		return -EBUSY;
	if (f1 && f2)
		return -EOPNOTSUPP;	/* no trunk-to-trunk connections */

	h->peer = c->peer = NULL;
	h->fe = c->fe = NULL;
	if (p1 && p2) {
		p1->peer = p2;
		p2->peer = p1;
		if (p2->state == CTI_CALL_OFFERING ||
		    p2->state == CTI_CALL_ACCEPTED)
			sim_call_set(sim, p1, CTI_CALL_RINGBACK, 0);
	} else if (f1) {
		f1->leg = p2;
		p2->fe = f1;
	} else {
		f2->leg = p1;
		p1->fe = f2;
		if (!f2->connected)
			sim_call_set(sim, p1, CTI_CALL_RINGBACK, 0);
	}
	sim_call_idle(sim, h, CTI_DISC_TRANSFERRED);
	sim_call_idle(sim, c, CTI_DISC_TRANSFERRED);
	return 0;
}

/* Drop @c here: IDLE(NORMAL); its party is DISCONNECTED. */
static void sim_drop(struct sim *sim, struct sim_call *c)
{
	struct sim_call *p = c->peer;
	uint32_t conf = c->conf, line = c->line;
	bool unanswered = c->state == CTI_CALL_OFFERING ||
			  c->state == CTI_CALL_ACCEPTED;

	if (p) {
		p->peer = NULL;
		c->peer = NULL;
	}
	sim_call_idle(sim, c, CTI_DISC_NORMAL);
	/* A call refused before it was answered is REJECTED for the caller. */
	if (p)
		sim_call_disconnect(sim, p, unanswered ? CTI_DISC_REJECTED :
							 CTI_DISC_NORMAL);
	if (conf)
		sim_conf_shrink(sim, line, conf);
}

/* Hand the party of @c (blind transfer, redirect) to @number. */
static int sim_move_to(struct sim *sim, struct sim_call *c, const char *number,
		       uint8_t reason, uint8_t disc)
{
	struct sim_call *p = c->peer, *n;
	struct sim_farend *fe = c->fe;
	int ret;

	if (!sim_number_valid(number, false))
		return -EINVAL;
	c->peer = NULL;
	c->fe = NULL;
	if (p)
		p->peer = NULL;
	else
		fe->leg = NULL;
	ret = p ? sim_route(sim, p, number, reason, 0, &n) :
		  sim_route_farend(sim, fe, number, reason, &n);
	if (ret) {
		/* Refused: nothing changed, put the party back. */
		c->peer = p;
		c->fe = fe;
		if (p)
			p->peer = c;
		else
			fe->leg = c;
		return ret < 0 ? ret : -EBUSY;
	}
	sim_call_idle(sim, c, disc);
	return 0;
}

static int sim_park_slot(const struct sim *sim, const char *number,
			 uint32_t *slot)
{
	size_t plen = strlen(sim->cfg.park_prefix);
	unsigned long n = 0;
	const char *p;

	if (!sim_number_valid(number, false) ||
	    strncmp(number, sim->cfg.park_prefix, plen) || !number[plen] ||
	    strlen(number + plen) > 6)
		return -EINVAL;
	for (p = number + plen; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	if (n >= sim->cfg.park_slots)
		return -EINVAL;
	*slot = n;
	return 0;
}

static void sim_park_number(const struct sim *sim, uint32_t slot, char *buf)
{
	snprintf(buf, CTI_NUMBER_MAX, "%s%u", sim->cfg.park_prefix, slot);
}

static int sim_park(struct sim *sim, const struct cti_provider_request *req,
		    struct sim_call *c)
{
	struct sim_call *p = c->peer;
	struct sim_farend *fe = c->fe;
	uint32_t slot;

	if ((c->state != CTI_CALL_CONNECTED && c->state != CTI_CALL_ONHOLD) ||
	    !sim_has_party(c) || c->conf)
		return -EBUSY;
	if (req->data_len) {
		if (sim_park_slot(sim, req->data, &slot))
			return -EINVAL;
		if (sim->park[slot].call || sim->park[slot].fe)
			return -EBUSY;
	} else {
		for (slot = 0; slot < sim->cfg.park_slots; slot++)
			if (!sim->park[slot].call && !sim->park[slot].fe)
				break;
		if (slot == sim->cfg.park_slots)
			return -EBUSY;
	}

	c->peer = NULL;
	c->fe = NULL;
	sim_park_number(sim, slot, c->called);
	sim_post_info(sim, c, CTI_CALL_INFO_CALLED);
	if (p) {
		p->peer = NULL;
		sim->park[slot].call = p;
	} else {
		sim_farend_park(sim, fe);
		sim->park[slot].fe = fe;
	}
	sim_call_idle(sim, c, CTI_DISC_NORMAL);
	if (p)
		sim_call_set(sim, p, CTI_CALL_ONHOLD, 0);
	return 0;
}

static int sim_unpark(struct sim *sim, const struct cti_provider_request *req,
		      uint32_t *out)
{
	struct sim_park *slot;
	struct sim_call *u;
	uint32_t i;

	if (sim_park_slot(sim, req->data, &i))
		return -EINVAL;
	slot = &sim->park[i];
	if (!slot->call && !slot->fe)
		return -ENOENT;
	if (slot->call && slot->call->line == req->line)
		return -EINVAL;
	if (sim_line_has_active(sim, req->line) ||
	    sim->lines[req->line].ncalls >= sim->cfg.max_calls)
		return -EBUSY;
	u = sim_call_new(sim, req->line);
	if (!u)
		return -ENOMEM;
	u->call_reason = CTI_REASON_UNPARK;
	sim_park_number(sim, i, u->called);
	if (slot->call) {
		u->origin = CTI_ORIGIN_INTERNAL;
		sim_line_number(sim, slot->call->line, u->caller);
		u->peer = slot->call;
		slot->call->peer = u;
	} else {
		u->origin = CTI_ORIGIN_INBOUND;
		memcpy(u->caller, slot->fe->number, sizeof(u->caller));
		u->fe = slot->fe;
		slot->fe->leg = u;
	}
	sim_post_info(sim, u, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	sim_call_set(sim, u, CTI_CALL_CONNECTED, CTI_REASON_UNPARK);
	if (slot->call)
		sim_call_set(sim, slot->call, CTI_CALL_CONNECTED, 0);
	else
		sim_farend_resume(sim, slot->fe);
	slot->call = NULL;
	slot->fe = NULL;
	*out = u->handle;
	return 0;
}

static struct sim_call *sim_ringing_call(const struct sim *sim, uint32_t line)
{
	struct sim_call *c;

	for (c = sim->lines[line].calls; c; c = c->next)
		if (c->state == CTI_CALL_OFFERING ||
		    c->state == CTI_CALL_ACCEPTED)
			return c;
	return NULL;
}

static int sim_pickup(struct sim *sim, const struct cti_provider_request *req,
		      uint32_t *out)
{
	struct sim_call *r = NULL, *k;
	uint32_t t;

	if (!req->data_len) {
		/* Group pickup: the first line (but this one) that rings. */
		for (t = 0; t < sim->cfg.lines && !r; t++)
			if (t != req->line)
				r = sim_ringing_call(sim, t);
	} else {
		if (!sim_number_valid(req->data, false))
			return -EINVAL;
		if (sim_line_find(sim, req->data, &t))
			return -ENOENT;
		if (t == req->line)
			return -EINVAL;
		r = sim_ringing_call(sim, t);
	}
	if (!r)
		return -ENOENT;
	if (sim_line_has_active(sim, req->line) ||
	    sim->lines[req->line].ncalls >= sim->cfg.max_calls)
		return -EBUSY;
	if (r->peer && r->peer->line == req->line)
		return -EINVAL;		/* picking up one's own call */

	k = sim_call_new(sim, req->line);
	if (!k)
		return -ENOMEM;
	k->origin = r->origin;
	k->call_reason = CTI_REASON_PICKUP;
	memcpy(k->caller, r->caller, sizeof(k->caller));
	memcpy(k->called, r->called, sizeof(k->called));
	sim_party_move(r, k);
	sim_call_idle(sim, r, CTI_DISC_PICKUP);
	sim_post_info(sim, k, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	sim_call_set(sim, k, CTI_CALL_CONNECTED, CTI_REASON_PICKUP);
	if (k->peer)
		sim_call_set(sim, k->peer, CTI_CALL_CONNECTED, 0);
	else if (k->fe)
		sim_farend_answered(sim, k->fe);
	*out = k->handle;
	return 0;
}

static bool sim_talking(const struct sim_call *c)
{
	return c->state == CTI_CALL_CONNECTED ||
	       c->state == CTI_CALL_CONFERENCED;
}

static int sim_digits(struct sim *sim, const struct cti_provider_request *req,
		      struct sim_call *c)
{
	uint32_t i;

	if (!req->data_len || req->data_len > CTI_DIGITS_MAX)
		return -EINVAL;
	for (i = 0; i < req->data_len; i++)
		if (!req->data[i] || !strchr("0123456789*#ABCD", req->data[i]))
			return -EINVAL;
	if (!sim_talking(c))
		return -EBUSY;
	if (c->peer)
		sim_post_digits(sim, c->peer, req->data);
	return 0;
}

static int sim_tone(struct sim *sim, const struct cti_provider_request *req,
		    struct sim_call *c)
{
	if (req->arg > CTI_TONE_RINGBACK)
		return -EINVAL;
	if (!sim_talking(c) || c->tone_req)
		return -EBUSY;
	if (!req->arg2)
		return 0;
	/* The REPLY says the tone has been played. */
	c->tone_req = req->handle;
	sim_tmr_arm(sim, &c->tone_tmr, req->arg2);
	return SIM_PENDING;
}

/* Commands that act on one existing call, @c. */
static int sim_call_cmd(struct sim *sim, const struct cti_provider_request *req,
			struct sim_call *c, uint32_t *out)
{
	struct sim_call *c2;

	switch (req->cmd) {
	case CTI_CMD_ANSWER:
		if (c->state != CTI_CALL_OFFERING &&
		    c->state != CTI_CALL_ACCEPTED)
			return -EBUSY;
		if (sim_line_has_active(sim, c->line))
			return -EBUSY;
		sim_offer_answered(sim, c);
		return 0;
	case CTI_CMD_ACCEPT:
		if (c->state != CTI_CALL_OFFERING)
			return -EBUSY;
		sim_call_set(sim, c, CTI_CALL_ACCEPTED, 0);
		return 0;
	case CTI_CMD_DROP:
		sim_drop(sim, c);
		return 0;
	case CTI_CMD_HOLD:
		if (c->state != CTI_CALL_CONNECTED)
			return -EBUSY;
		sim_call_set(sim, c, CTI_CALL_ONHOLD, 0);
		return 0;
	case CTI_CMD_UNHOLD:
		if (c->state != CTI_CALL_ONHOLD)
			return -EBUSY;
		if (sim_line_has_active(sim, c->line))
			return -EBUSY;
		sim_call_set(sim, c, CTI_CALL_CONNECTED, 0);
		return 0;
	case CTI_CMD_SWAP_HOLD: {
		uint8_t held;

		c2 = sim_call_find(sim, req->line, req->call2);
		if (!c2)
			return -ENOENT;
		if (c->state != CTI_CALL_CONNECTED || !sim_held(c2))
			return -EBUSY;
		held = c2->state;
		sim_call_set(sim, c, held, 0);
		sim_call_set(sim, c2, CTI_CALL_CONNECTED, 0);
		return 0;
	}
	case CTI_CMD_BLIND_TRANSFER:
		if ((c->state != CTI_CALL_CONNECTED &&
		     c->state != CTI_CALL_ONHOLD) || !sim_has_party(c) ||
		    c->conf)
			return -EBUSY;
		return sim_move_to(sim, c, req->data, CTI_REASON_TRANSFER,
				   CTI_DISC_TRANSFERRED);
	case CTI_CMD_REDIRECT:
		if ((c->state != CTI_CALL_OFFERING &&
		     c->state != CTI_CALL_ACCEPTED) || !sim_has_party(c))
			return -EBUSY;
		return sim_move_to(sim, c, req->data, CTI_REASON_REDIRECT,
				   CTI_DISC_REDIRECTED);
	case CTI_CMD_SETUP_TRANSFER:
	case CTI_CMD_SETUP_CONFERENCE:
		return sim_setup_consult(sim, req, c, out);
	case CTI_CMD_COMPLETE_TRANSFER:
		c2 = sim_call_find(sim, req->line, req->call2);
		if (!c2)
			return -ENOENT;
		return sim_complete_transfer(sim, req, c, c2);
	case CTI_CMD_ADD_TO_CONFERENCE:
		c2 = sim_call_find(sim, req->line, req->call2);
		if (!c2)
			return -ENOENT;
		if (c == c2)
			return -EINVAL;
		if ((c->state != CTI_CALL_ONHOLDPENDCONF &&
		     c->state != CTI_CALL_CONFERENCED) || c2->conf ||
		    (c2->state != CTI_CALL_CONNECTED &&
		     c2->state != CTI_CALL_ONHOLD))
			return -EBUSY;
		sim_conf_join(sim, c, c2);
		return 0;
	case CTI_CMD_REMOVE_FROM_CONFERENCE:
		if (!c->conf || c->state != CTI_CALL_CONFERENCED)
			return -EBUSY;
		sim_drop(sim, c);
		return 0;
	case CTI_CMD_PARK:
		return sim_park(sim, req, c);
	case CTI_CMD_GENERATE_DIGITS:
		return sim_digits(sim, req, c);
	case CTI_CMD_GENERATE_TONE:
		return sim_tone(sim, req, c);
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * Run one call-control command. Returns 0 when done (*@out is the call it
 * created, if any), SIM_PENDING when the sim completes it later, or a
 * negative errno with nothing changed.
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
