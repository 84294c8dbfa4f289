// SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later
/*
 * The switch's call-control commands. Each checks its arguments and the call
 * states first and refuses with nothing changed (-EINVAL a bad argument,
 * -ENOENT no such call, -EBUSY a wrong state), then changes the model and
 * queues the records. The checks and sequences follow the kernel's cti_sim;
 * README.md lists them.
 */
#include "sw_impl.h"

static bool sw_ringing(const struct sw_call *c)
{
	return c->state == CTI_CALL_OFFERING || c->state == CTI_CALL_ACCEPTED;
}

static bool sw_dtmf_ok(const char *s, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (!s[i] || !strchr("0123456789*#ABCD", s[i]))
			return false;
	return len > 0;
}

/*
 * A new call on @line to @number, not announced yet; a consultation names
 * @related and is named by it, so that the held call's record carries it.
 */
static struct sw_call *sw_dial_new(struct sw *sw, u32 line,
				   const char *number, struct sw_call *related)
{
	struct sw_call *c = sw_call_new(sw, line);
	u32 t;

	if (!c)
		return NULL;
	c->origin = sw_line_find(sw, number, &t) ? CTI_ORIGIN_OUTBOUND :
						     CTI_ORIGIN_INTERNAL;
	c->call_reason = CTI_REASON_DIRECT;
	sw_line_number(sw, line, c->caller);
	sw_strlcpy(c->called, number, sizeof(c->called));
	c->outgoing = true;
	if (related) {
		c->related = related->handle;
		related->related = c->handle;
	}
	return c;
}

/* Announce the call sw_dial_new() made and offer it to its number. */
static u32 sw_dial_start(struct sw *sw, struct sw_call *c)
{
	sw_post_info(sw, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED |
			      (c->related ? CTI_CALL_INFO_RELATED : 0));
	sw_call_set(sw, c, CTI_CALL_DIALING, 0);
	sw_offer(sw, c, NULL, c->caller, c->called, c->called,
		 CTI_REASON_DIRECT, 0);
	return c->handle;
}

/* A number a command dials: the line it rings, if any, is the host's to vet. */
static int sw_dial_check(struct sw *sw,
			 const struct sw_req *req)
{
	u32 t;

	if (!sw_number_valid(req->data, false))
		return -EINVAL;
	return sw_reach(sw, req, req->data, SW_REACH_CALL, &t);
}

static int sw_make_call(struct sw *sw,
			const struct sw_req *req, u32 *out)
{
	struct sw_call *c;
	int ret = sw_dial_check(sw, req);

	if (ret)
		return ret;
	if (sw->lines[req->line].ncalls >= sw->cfg.max_calls)
		return -EBUSY;
	c = sw_dial_new(sw, req->line, req->data, NULL);
	if (!c)
		return -ENOMEM;
	*out = sw_dial_start(sw, c);
	return 0;
}

/* SETUP_TRANSFER and SETUP_CONFERENCE: hold @h, dial a consultation. */
static int sw_setup_consult(struct sw *sw, const struct sw_req *req,
			    struct sw_call *h, u32 *out)
{
	struct sw_call *c;
	int ret = sw_dial_check(sw, req);

	if (ret)
		return ret;
	if ((h->state != CTI_CALL_CONNECTED && h->state != CTI_CALL_ONHOLD) ||
	    h->conf || sw->lines[req->line].ncalls >= sw->cfg.max_calls)
		return -EBUSY;
	/* The consultation first: the held call's record names it. */
	c = sw_dial_new(sw, req->line, req->data, h);
	if (!c)
		return -ENOMEM;
	sw_call_set(sw, h, req->cmd == CTI_CMD_SETUP_CONFERENCE ?
		    CTI_CALL_ONHOLDPENDCONF : CTI_CALL_ONHOLDPENDTRANSFER, 0);
	*out = sw_dial_start(sw, c);
	return 0;
}

/*
 * Put the controlling call @c and its internal party into conference @id.
 * The party's call names the conference as its related call (a CALL_INFO
 * says so): its line learns that it now talks to the conference, not to
 * the controller alone.
 */
static void sw_conf_join(struct sw *sw, struct sw_call *c, u32 id)
{
	c->conf = id;
	c->conf_ctl = true;
	c->related = id;
	sw_call_set(sw, c, CTI_CALL_CONFERENCED, 0);
	if (c->peer) {
		c->peer->conf = id;
		c->peer->related = id;
		sw_call_set(sw, c->peer, CTI_CALL_CONFERENCED, 0);
		sw_post_info(sw, c->peer, CTI_CALL_INFO_RELATED);
	}
}

static void sw_new_conf(struct sw *sw, struct sw_call *h,
			struct sw_call *c)
{
	u32 id = h->handle;

	sw_conf_join(sw, h, id);
	sw_conf_join(sw, c, id);
}

static int sw_complete_transfer(struct sw *sw,
				const struct sw_req *req,
				 struct sw_call *h, struct sw_call *c)
{
	struct sw_call *hp = h->peer, *cp = c->peer;
	struct sw_farend *hf = h->fe, *cf = c->fe;

	if (req->arg > CTI_TRANSFER_MODE_CONFERENCE)
		return -EINVAL;
	if (h->state != CTI_CALL_ONHOLDPENDTRANSFER || h->related != c->handle)
		return -EBUSY;
	if (req->arg == CTI_TRANSFER_MODE_CONFERENCE) {
		if (c->state != CTI_CALL_CONNECTED)
			return -EBUSY;
		sw_new_conf(sw, h, c);
		return 0;
	}
	if (c->state != CTI_CALL_CONNECTED && c->state != CTI_CALL_RINGBACK)
		return -EBUSY;
	if (hf && cf)
		return -EOPNOTSUPP;	/* no trunk-to-trunk connections */

	if (hp && cf) {
		/* The held party now waits for the consulted far end. */
		h->peer = NULL;
		c->fe = NULL;
		hp->peer = NULL;
		hp->fe = cf;
		cf->leg = hp;
	} else if (cp && hf) {
		c->peer = NULL;
		h->fe = NULL;
		cp->peer = NULL;
		cp->fe = hf;
		hf->leg = cp;
	} else if (hp && cp) {
		h->peer = NULL;
		c->peer = NULL;
		hp->peer = cp;
		cp->peer = hp;
	} else {
		/*
		 * A call without a party of its own (the party waits in a
		 * park slot) joins nobody with the other call's party. That
		 * party stays on its leg, so that releasing the leg below
		 * hangs it up: a far end is freed with its timers, a line's
		 * call is DISCONNECTED. Detached instead, a line's call would
		 * talk to no one, and the kernel's old switch kept a pointer
		 * to the freed leg there, which a DROP then wrote through.
		 */
		hp = NULL;
		cp = NULL;
	}
	sw_release(sw, h, CTI_DISC_TRANSFERRED);
	sw_release(sw, c, CTI_DISC_TRANSFERRED);
	if (hp && hp->state != CTI_CALL_RINGBACK &&
	    ((hp->fe && !hp->fe->connected) ||
	     (hp->peer && sw_ringing(hp->peer))))
		sw_call_set(sw, hp, CTI_CALL_RINGBACK, 0);
	/* The two remaining parties now talk to each other: tell both. */
	if (hp)
		sw_party_changed(sw, hp);
	if (cp)
		sw_party_changed(sw, cp);
	return 0;
}

static int sw_add_to_conference(struct sw *sw, struct sw_call *h,
				struct sw_call *c)
{
	if (h->state == CTI_CALL_ONHOLDPENDCONF && h->related == c->handle &&
	    c->state == CTI_CALL_CONNECTED) {
		sw_new_conf(sw, h, c);
		return 0;
	}
	if (h->conf && h->conf_ctl && h->state == CTI_CALL_CONFERENCED &&
	    !c->conf && (c->state == CTI_CALL_CONNECTED ||
			 c->state == CTI_CALL_ONHOLD)) {
		sw_conf_join(sw, c, h->conf);
		return 0;
	}
	return -EBUSY;
}

/* The party of @c leaves the conference: @c holds it, it talks alone. */
static int sw_remove_from_conference(struct sw *sw, struct sw_call *c)
{
	u32 conf = c->conf;

	if (!c->conf || !c->conf_ctl || c->state != CTI_CALL_CONFERENCED)
		return -EBUSY;
	c->conf = 0;
	c->conf_ctl = false;
	c->related = 0;
	sw_call_set(sw, c, CTI_CALL_ONHOLD, 0);
	if (c->peer && c->peer->conf) {
		c->peer->conf = 0;
		c->peer->related = 0;
		sw_call_set(sw, c->peer, CTI_CALL_CONNECTED, 0);
	}
	sw_conf_check(sw, c->line, conf);
	return 0;
}

static int sw_blind_transfer(struct sw *sw, const struct sw_req *req,
			     struct sw_call *c)
{
	char caller[CTI_NUMBER_MAX];
	struct sw_call *p = c->peer;
	struct sw_farend *fe = c->fe;
	u32 t;
	int ret = sw_dial_check(sw, req);

	if (ret)
		return ret;
	if ((c->state != CTI_CALL_CONNECTED && c->state != CTI_CALL_ONHOLD) ||
	    c->conf || (!p && !fe))
		return -EBUSY;
	if (fe && sw_line_find(sw, req->data, &t))
		return -EOPNOTSUPP;	/* no trunk-to-trunk connections */

	if (p)
		sw_line_number(sw, p->line, caller);
	else
		memcpy(caller, fe->number, sizeof(caller));
	c->peer = NULL;
	c->fe = NULL;
	if (p)
		p->peer = NULL;
	else
		fe->leg = NULL;
	sw_release(sw, c, CTI_DISC_TRANSFERRED);
	if (sw_offer(sw, p, p ? NULL : fe, caller, req->data, req->data,
		     CTI_REASON_TRANSFER, 0) && !p)
		sw_farend_free(sw, fe);
	else if (p)
		sw_party_changed(sw, p);
	return 0;
}

static struct sw_park *sw_park_lookup(struct sw *sw, const char *number)
{
	u32 i;

	for (i = 0; i < sw->cfg.park_slots; i++)
		if (sw->park[i].used && !strcmp(sw->park[i].number, number))
			return &sw->park[i];
	return NULL;
}

static int sw_park(struct sw *sw, const struct sw_req *req,
		   struct sw_call *c)
{
	char name[CTI_NUMBER_MAX];
	struct sw_park *slot = NULL;
	struct sw_call *p = c->peer;
	struct sw_farend *fe = c->fe;
	u32 i, n, t;

	if ((c->state != CTI_CALL_CONNECTED && c->state != CTI_CALL_ONHOLD) ||
	    c->conf || (!p && !fe))
		return -EBUSY;
	if (req->data_len) {
		if (!sw_number_valid(req->data, false) ||
		    !sw_line_find(sw, req->data, &t))
			return -EINVAL;
		sw_strlcpy(name, req->data, sizeof(name));
	} else {
		/* The lowest free default slot that is not a line's number. */
		for (n = 0; n < sw->cfg.park_slots; n++) {
			sw_utoa(sw->cfg.park_first + n, name);
			if (!sw_park_lookup(sw, name) &&
			    sw_line_find(sw, name, &t))
				break;
		}
		if (n == sw->cfg.park_slots)
			return -EBUSY;
	}
	if (sw_park_lookup(sw, name))
		return -EBUSY;
	for (i = 0; i < sw->cfg.park_slots && !slot; i++)
		if (!sw->park[i].used)
			slot = &sw->park[i];
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
		sw_farend_park(sw, fe);
		slot->fe = fe;
	}
	/* Tell the parker where its party waits (a sim addition). */
	memcpy(c->called, name, sizeof(c->called));
	sw_post_info(sw, c, CTI_CALL_INFO_CALLED);
	sw_release(sw, c, CTI_DISC_NORMAL);
	if (p && p->state != CTI_CALL_ONHOLD)
		sw_call_set(sw, p, CTI_CALL_ONHOLD, 0);
	return 0;
}

/* A new call on @line for one that arrives there: EBUSY if it is full. */
static int sw_call_arrive(struct sw *sw, u32 line,
			  struct sw_call **cp)
{
	if (sw->lines[line].ncalls >= sw->cfg.max_calls)
		return -EBUSY;
	*cp = sw_call_new(sw, line);
	return *cp ? 0 : -ENOMEM;
}

static int sw_unpark(struct sw *sw, const struct sw_req *req,
		     u32 *out)
{
	struct sw_park *slot;
	struct sw_call *c, *p;
	struct sw_farend *fe;
	int ret;

	if (!req->data_len || !sw_number_valid(req->data, false))
		return -EINVAL;
	slot = sw_park_lookup(sw, req->data);
	if (!slot)
		return -ENOENT;
	ret = sw_call_arrive(sw, req->line, &c);
	if (ret)
		return ret;
	p = slot->call;
	fe = slot->fe;
	c->call_reason = CTI_REASON_UNPARK;
	memcpy(c->called, slot->number, sizeof(c->called));
	if (p) {
		c->origin = CTI_ORIGIN_INTERNAL;
		sw_line_number(sw, p->line, c->caller);
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
	sw_post_info(sw, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	sw_call_set(sw, c, CTI_CALL_CONNECTED, 0);
	if (p) {
		sw_call_set(sw, p, CTI_CALL_CONNECTED, 0);
		sw_party_changed(sw, p);
	} else {
		sw_farend_resume(sw, fe);
	}
	*out = c->handle;
	return 0;
}

static struct sw_call *sw_ringing_call(const struct sw *sw, u32 line)
{
	struct sw_call *c;

	for (c = sw->lines[line].calls; c; c = c->next)
		if (sw_ringing(c))
			return c;
	return NULL;
}

static int sw_pickup(struct sw *sw, const struct sw_req *req,
		     u32 *out)
{
	struct sw_call *r = NULL, *c;
	u32 t;
	int ret;

	if (req->data_len) {
		if (!sw_number_valid(req->data, false))
			return -EINVAL;
		ret = sw_reach(sw, req, req->data, SW_REACH_PICKUP, &t);
		if (ret)
			return ret;
		if (t == CTI_LINE_NONE)
			return -ENOENT;
		if (t == req->line)
			return -EINVAL;
		r = sw_ringing_call(sw, t);
	} else {
		/*
		 * Group pickup: the oldest call ringing on any other line, as
		 * on the kernel's sim. Handles grow with age (short of a wrap).
		 * Lines the client may not pick up from are skipped as if
		 * nothing rang there; only candidates are asked about.
		 */
		for (t = 0; t < sw->cfg.lines; t++) {
			struct sw_call *o;

			if (t == req->line)
				continue;
			o = sw_ringing_call(sw, t);
			if (o && (!r || o->handle < r->handle) &&
			    !sw_authorize(sw, req, t, SW_REACH_PICKUP))
				r = o;
		}
	}
	if (!r)
		return -ENOENT;
	ret = sw_call_arrive(sw, req->line, &c);
	if (ret)
		return ret;
	c->origin = r->origin;
	c->call_reason = CTI_REASON_PICKUP;
	memcpy(c->caller, r->caller, sizeof(c->caller));
	memcpy(c->called, r->called, sizeof(c->called));
	sw_take_party(c, r);
	sw_release(sw, r, CTI_DISC_PICKUP);
	sw_post_info(sw, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
			      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	sw_call_set(sw, c, CTI_CALL_CONNECTED, 0);
	if (c->peer) {
		sw_call_set(sw, c->peer, CTI_CALL_CONNECTED, 0);
		sw_party_changed(sw, c->peer);
	} else if (c->fe) {
		sw_farend_answered(sw, c->fe);
	}
	*out = c->handle;
	return 0;
}

static int sw_answer(struct sw *sw, struct sw_call *c)
{
	if (!sw_ringing(c))
		return -EBUSY;
	sw_tmr_cancel(sw, &c->fwd_tmr);
	sw_call_set(sw, c, CTI_CALL_CONNECTED, 0);
	if (c->peer && c->peer->state == CTI_CALL_RINGBACK)
		sw_call_set(sw, c->peer, CTI_CALL_CONNECTED, 0);
	else if (c->fe)
		sw_farend_answered(sw, c->fe);
	return 0;
}

/* Commands that act on one existing call, @c. */
static int sw_call_cmd(struct sw *sw, const struct sw_req *req,
		       struct sw_call *c, u32 *out)
{
	struct sw_call *c2 = NULL;
	int ret;

	switch (req->cmd) {
	case CTI_CMD_SWAP_HOLD:
	case CTI_CMD_COMPLETE_TRANSFER:
	case CTI_CMD_ADD_TO_CONFERENCE:
		c2 = sw_call_find(sw, req->line, req->call2);
		if (!c2)
			return -ENOENT;
		break;
	default:
		break;
	}

	switch (req->cmd) {
	case CTI_CMD_ANSWER:
		return sw_answer(sw, c);
	case CTI_CMD_ACCEPT:
		if (c->state != CTI_CALL_OFFERING)
			return -EBUSY;
		sw_call_set(sw, c, CTI_CALL_ACCEPTED, 0);
		return 0;
	case CTI_CMD_DROP:
		sw_release(sw, c, CTI_DISC_NORMAL);
		return 0;
	case CTI_CMD_HOLD:
		if (c->state != CTI_CALL_CONNECTED)
			return -EBUSY;
		sw_call_set(sw, c, CTI_CALL_ONHOLD, 0);
		return 0;
	case CTI_CMD_UNHOLD:
		if (c->state != CTI_CALL_ONHOLD)
			return -EBUSY;
		sw_call_set(sw, c, CTI_CALL_CONNECTED, 0);
		return 0;
	case CTI_CMD_SWAP_HOLD:
		if (c->state != CTI_CALL_CONNECTED ||
		    c2->state != CTI_CALL_ONHOLD)
			return -EBUSY;
		sw_call_set(sw, c, CTI_CALL_ONHOLD, 0);
		sw_call_set(sw, c2, CTI_CALL_CONNECTED, 0);
		return 0;
	case CTI_CMD_BLIND_TRANSFER:
		return sw_blind_transfer(sw, req, c);
	case CTI_CMD_REDIRECT:
		ret = sw_dial_check(sw, req);
		if (ret)
			return ret;
		if (!sw_ringing(c))
			return -EBUSY;
		sw_deflect(sw, c, req->data, CTI_DISC_REDIRECTED,
			   CTI_REASON_REDIRECT);
		return 0;
	case CTI_CMD_SETUP_TRANSFER:
	case CTI_CMD_SETUP_CONFERENCE:
		return sw_setup_consult(sw, req, c, out);
	case CTI_CMD_COMPLETE_TRANSFER:
		return sw_complete_transfer(sw, req, c, c2);
	case CTI_CMD_ADD_TO_CONFERENCE:
		return sw_add_to_conference(sw, c, c2);
	case CTI_CMD_REMOVE_FROM_CONFERENCE:
		return sw_remove_from_conference(sw, c);
	case CTI_CMD_PARK:
		return sw_park(sw, req, c);
	case CTI_CMD_GENERATE_DIGITS:
		if (!sw_dtmf_ok(req->data, req->data_len))
			return -EINVAL;
		if (c->state != CTI_CALL_CONNECTED &&
		    c->state != CTI_CALL_CONFERENCED)
			return -EBUSY;
		if (c->peer)
			sw_post_digits(sw, c->peer, req->data,
				       req->data_len);
		return 0;
	case CTI_CMD_GENERATE_TONE:
		/* The switch plays no audio: the tone "plays" at once. */
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
int sw_callctl(struct sw *sw, const struct sw_req *req,
	       u32 *out)
{
	struct sw_call *c;

	*out = CTI_CALL_NONE;
	switch (req->cmd) {
	case CTI_CMD_MAKE_CALL:
		return sw_make_call(sw, req, out);
	case CTI_CMD_UNPARK:
		return sw_unpark(sw, req, out);
	case CTI_CMD_PICKUP:
		return sw_pickup(sw, req, out);
	case CTI_CMD_SET_FORWARD:
		/* The destination is offered every call the line gets. */
		if (req->arg != CTI_FORWARD_NONE &&
		    sw_number_valid(req->data, false)) {
			int ret = sw_dial_check(sw, req);

			if (ret)
				return ret;
		}
		return sw_line_set_forward(sw, req->line, req->arg,
					    req->data);
	case CTI_CMD_SET_DND:
		return sw_line_set_dnd(sw, req->line, req->arg);
	default:
		break;
	}
	c = sw_call_find(sw, req->line, req->call);
	if (!c)
		return -ENOENT;
	return sw_call_cmd(sw, req, c, out);
}
