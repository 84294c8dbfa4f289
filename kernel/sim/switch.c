// SPDX-License-Identifier: GPL-2.0
/*
 * cti_sim: the switch inside a simulated card.
 *
 * Lines call each other by number; numbers that are not on the card go to
 * a scriptable far end. Every call-control command of enum cti_cmd runs
 * here, in the card's worker, with the card's spinlock held: the state
 * sequences it produces are the reference that kernel/sim/README.md writes
 * down and every provider follows.
 *
 * A call is one *leg*: a call handle on one line. A two-party call between
 * two lines is two legs that point at each other (@peer); a call with an
 * outside party is one leg whose far end (@far) lives in the leg itself.
 * A conference is the set of legs that carry its id (@conf): the legs of
 * the controlling line (@conf_ctl) and the legs of their internal parties.
 */
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "sim.h"

/**
 * struct sim_call - one call leg
 * @node: in &sim_dev.calls, oldest first
 * @handle: the call's handle, unique on the card, never 0
 * @line: the line it is on
 * @state: its &enum cti_call_state
 * @reason: the reason posted with @state
 * @origin: an &enum cti_call_origin
 * @info_reason: an &enum cti_call_reason (why it arrived)
 * @related: the related call (consultation, conference id), or 0
 * @conf: the conference it belongs to, or 0
 * @conf_ctl: a leg of the conference's controlling line
 * @peer: the internal party's leg, or NULL
 * @far: the other party is the far end described by the @far_* fields
 * @far_answered: the far end has answered
 * @far_action: the far end's &enum sim_far_action
 * @far_arg: the far end rule's argument
 * @far_digits: digits the far end sends when it answers
 * @far_number: the far end's number
 * @parked: the slot this leg's party waits in, or NULL
 * @caller: calling party number
 * @called: called party number
 */
struct sim_call {
	struct list_head node;
	u32 handle;
	u32 line;
	u32 state;
	u32 reason;
	u32 origin;
	u32 info_reason;
	u32 related;
	u32 conf;
	bool conf_ctl;
	struct sim_call *peer;
	bool far;
	bool far_answered;
	u32 far_action;
	u32 far_arg;
	char far_digits[CTI_DIGITS_MAX + 1];
	char far_number[CTI_NUMBER_MAX];
	struct sim_park *parked;
	char caller[CTI_NUMBER_MAX];
	char called[CTI_NUMBER_MAX];
};

enum sim_timer_kind {
	SIM_T_FAR_ANSWER,	/* the far end answers */
	SIM_T_FAR_NOANSWER,	/* the far end gives up ringing */
	SIM_T_FAR_HANGUP,	/* the far end hangs up */
	SIM_T_FWD_NOANSWER,	/* forward an unanswered call */
};

/**
 * struct sim_timer - a timed switch event, in &sim_dev.timers
 * @node: list node, ordered by @expires
 * @expires: jiffies at which it fires
 * @call: the handle of the call it is about
 * @kind: an &enum sim_timer_kind
 */
struct sim_timer {
	struct list_head node;
	unsigned long expires;
	u32 call;
	u32 kind;
};

static const struct sim_rule sim_default_rule = {
	.number = "*",
	.action = SIM_FAR_ANSWER,
	.arg = SIM_FAR_ANSWER_MS,
};

void sim_switch_init(struct sim_dev *sd)
{
	spin_lock_init(&sd->lock);
	INIT_LIST_HEAD(&sd->reqs);
	INIT_LIST_HEAD(&sd->timers);
	INIT_LIST_HEAD(&sd->calls);
	sd->next_handle = 1;
}

/* ---- records ---------------------------------------------------------- */

static void sim_state(struct sim_dev *sd, struct sim_call *c, u32 state,
		      u32 reason)
{
	struct cti_ev_call_state ev = {
		.hdr.type = CTI_EV_CALL_STATE,
		.hdr.size = sizeof(ev),
		.hdr.line = c->line,
		.call = c->handle,
		.state = state,
		.reason = reason,
		.related_call = c->related,
	};

	c->state = state;
	c->reason = reason;
	cti_card_post(sd->card, &ev.hdr);
}

#define SIM_INFO_ALL	(CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON | \
			 CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED | \
			 CTI_CALL_INFO_RELATED)

static void sim_info(struct sim_dev *sd, struct sim_call *c, u64 changed)
{
	struct cti_ev_call_info ev = {
		.hdr.type = CTI_EV_CALL_INFO,
		.hdr.size = sizeof(ev),
		.hdr.line = c->line,
		.call = c->handle,
		.origin = c->origin,
		.changed = changed,
		.reason = c->info_reason,
		.related_call = c->related,
	};

	strscpy(ev.caller, c->caller, sizeof(ev.caller));
	strscpy(ev.called, c->called, sizeof(ev.called));
	cti_card_post(sd->card, &ev.hdr);
}

/* DIGITS records for @c, CTI_DIGITS_MAX digits at most in each. */
static void sim_digits(struct sim_dev *sd, struct sim_call *c,
		       const char *digits, size_t len)
{
	struct cti_ev_digits ev = {
		.hdr.type = CTI_EV_DIGITS,
		.hdr.size = sizeof(ev),
		.hdr.line = c->line,
		.call = c->handle,
	};

	while (len) {
		size_t n = min_t(size_t, len, CTI_DIGITS_MAX);

		memset(ev.digits, 0, sizeof(ev.digits));
		memcpy(ev.digits, digits, n);
		ev.count = n;
		cti_card_post(sd->card, &ev.hdr);
		digits += n;
		len -= n;
	}
}

static u32 sim_line_calls(struct sim_dev *sd, u32 line)
{
	struct sim_call *c;
	u32 n = 0;

	list_for_each_entry(c, &sd->calls, node)
		n += c->line == line;
	return n;
}

static void sim_line_status(struct sim_dev *sd, u32 line)
{
	struct sim_line *ln = &sd->lines[line];
	struct cti_ev_line_status ev = {
		.hdr.type = CTI_EV_LINE_STATUS,
		.hdr.size = sizeof(ev),
		.hdr.line = line,
		.status = CTI_LINE_IN_SERVICE,
		.num_calls = sim_line_calls(sd, line),
		.forward_mode = ln->fwd_mode,
		.dnd = ln->dnd,
	};

	strscpy(ev.forward_to, ln->fwd_to, sizeof(ev.forward_to));
	cti_card_post(sd->card, &ev.hdr);
}

/* ---- calls and timers ------------------------------------------------- */

struct sim_call *sim_call_find(struct sim_dev *sd, u32 handle)
{
	struct sim_call *c;

	lockdep_assert_held(&sd->lock);
	if (handle == CTI_CALL_NONE)
		return NULL;
	list_for_each_entry(c, &sd->calls, node)
		if (c->handle == handle)
			return c;
	return NULL;
}

bool sim_call_is_far(const struct sim_call *c)
{
	return c->far;
}

/* The call @handle if it is on @line, else NULL. */
static struct sim_call *sim_line_call(struct sim_dev *sd, u32 line, u32 handle)
{
	struct sim_call *c = sim_call_find(sd, handle);

	return c && c->line == line ? c : NULL;
}

static int sim_line_by_number(struct sim_dev *sd, const char *number)
{
	u32 i;

	for (i = 0; i < sd->num_lines; i++)
		if (!strcmp(sd->lines[i].number, number))
			return i;
	return -1;
}

static struct sim_call *sim_call_new(struct sim_dev *sd, u32 line)
{
	struct sim_call *c;
	u32 h;

	/* Atomic: the switch runs under its spinlock. */
	c = kzalloc(sizeof(*c), GFP_ATOMIC);
	if (!c)
		return NULL;
	do {
		h = sd->next_handle++;
	} while (h == CTI_CALL_NONE || sim_call_find(sd, h));
	c->handle = h;
	c->line = line;
	c->state = CTI_CALL_IDLE;
	list_add_tail(&c->node, &sd->calls);
	return c;
}

static void sim_timer_arm(struct sim_dev *sd)
{
	struct sim_timer *t;

	t = list_first_entry_or_null(&sd->timers, struct sim_timer, node);
	if (!t || !sd->running)
		return;
	mod_delayed_work(system_wq, &sd->timer_work,
			 time_after(t->expires, jiffies) ?
			 t->expires - jiffies : 0);
}

static void sim_timer_add(struct sim_dev *sd, struct sim_call *c, u32 kind,
			  u32 ms)
{
	struct sim_timer *t, *pos;

	/* Atomic: under the switch lock. Without memory the event is lost. */
	t = kzalloc(sizeof(*t), GFP_ATOMIC);
	if (!t)
		return;
	t->expires = jiffies + msecs_to_jiffies(ms);
	t->call = c->handle;
	t->kind = kind;
	/* Keep the list ordered, equal expiries in the order they were set. */
	list_for_each_entry(pos, &sd->timers, node)
		if (time_after(pos->expires, t->expires))
			break;
	list_add_tail(&t->node, &pos->node);
	if (list_first_entry(&sd->timers, struct sim_timer, node) == t)
		sim_timer_arm(sd);
}

static void sim_timers_drop(struct sim_dev *sd, u32 handle)
{
	struct sim_timer *t, *tmp;

	list_for_each_entry_safe(t, tmp, &sd->timers, node) {
		if (t->call == handle) {
			list_del(&t->node);
			kfree(t);
		}
	}
}

static void sim_timers_move(struct sim_dev *sd, u32 from, u32 to)
{
	struct sim_timer *t;

	list_for_each_entry(t, &sd->timers, node)
		if (t->call == from)
			t->call = to;
}

static void sim_call_free(struct sim_dev *sd, struct sim_call *c)
{
	sim_timers_drop(sd, c->handle);
	list_del(&c->node);
	kfree(c);
}

/* Free every call, timer and park slot: the card is not running. */
void sim_switch_reset(struct sim_dev *sd)
{
	struct sim_timer *t, *ttmp;
	struct sim_call *c, *ctmp;

	list_for_each_entry_safe(t, ttmp, &sd->timers, node) {
		list_del(&t->node);
		kfree(t);
	}
	list_for_each_entry_safe(c, ctmp, &sd->calls, node) {
		list_del(&c->node);
		kfree(c);
	}
	memset(sd->park, 0, sizeof(sd->park));
	sd->next_handle = 1;
}

static const struct sim_rule *sim_rule_find(struct sim_dev *sd,
					    const char *number)
{
	const struct sim_rule *any = &sim_default_rule;
	u32 i;

	for (i = 0; i < sd->num_rules; i++) {
		if (!strcmp(sd->rules[i].number, number))
			return &sd->rules[i];
		if (!strcmp(sd->rules[i].number, "*"))
			any = &sd->rules[i];
	}
	return any;
}

/* ---- parties coming and going ----------------------------------------- */

/* Conference @conf lost a controller leg: with one left, it dissolves. */
static void sim_conf_check(struct sim_dev *sd, u32 conf)
{
	struct sim_call *c;
	u32 n = 0;

	list_for_each_entry(c, &sd->calls, node)
		n += c->conf == conf && c->conf_ctl;
	if (n > 1)
		return;
	list_for_each_entry(c, &sd->calls, node) {
		if (c->conf != conf)
			continue;
		c->conf = 0;
		c->conf_ctl = false;
		c->related = 0;
		if (c->state == CTI_CALL_CONFERENCED)
			sim_state(sd, c, CTI_CALL_CONNECTED, 0);
	}
}

/* Calls waiting on @c (held pending a transfer or conference) fall back. */
static void sim_unpend(struct sim_dev *sd, struct sim_call *gone)
{
	struct sim_call *c;

	list_for_each_entry(c, &sd->calls, node) {
		if (c == gone || c->related != gone->handle || c->conf)
			continue;
		c->related = 0;
		if (c->state == CTI_CALL_ONHOLDPENDTRANSFER ||
		    c->state == CTI_CALL_ONHOLDPENDCONF)
			sim_state(sd, c, CTI_CALL_ONHOLD, 0);
	}
}

static void sim_unpark(struct sim_call *c)
{
	if (c->parked) {
		memset(c->parked, 0, sizeof(*c->parked));
		c->parked = NULL;
	}
}

/*
 * The other party of @c went away: @c is DISCONNECTED with @reason and
 * stays until its line drops it.
 */
static void sim_party_gone(struct sim_dev *sd, struct sim_call *c, u32 reason)
{
	u32 conf = c->conf;
	bool ctl = c->conf_ctl;

	if (c->peer)
		c->peer->peer = NULL;
	c->peer = NULL;
	c->far = false;
	sim_timers_drop(sd, c->handle);
	sim_unpark(c);
	if (conf) {
		c->conf = 0;
		c->conf_ctl = false;
		c->related = 0;
	}
	if (c->state != CTI_CALL_DISCONNECTED)
		sim_state(sd, c, CTI_CALL_DISCONNECTED, reason);
	if (conf && ctl)
		sim_conf_check(sd, conf);
}

/*
 * @c goes IDLE with @reason and is freed; its party, if it still has one,
 * is DISCONNECTED (NORMAL). Detach the party first to hand it elsewhere.
 */
static void sim_release(struct sim_dev *sd, struct sim_call *c, u32 reason)
{
	struct sim_call *p = c->peer;
	u32 conf = c->conf;
	bool ctl = c->conf_ctl;

	if (p)
		p->peer = NULL;
	c->peer = NULL;
	c->far = false;
	sim_unpark(c);
	sim_state(sd, c, CTI_CALL_IDLE, reason);
	sim_unpend(sd, c);
	sim_call_free(sd, c);
	if (p)
		sim_party_gone(sd, p, CTI_DISC_NORMAL);
	if (conf && ctl)
		sim_conf_check(sd, conf);
}

static void sim_busy(struct sim_dev *sd, struct sim_call *c)
{
	sim_state(sd, c, CTI_CALL_BUSY, 0);
	sim_state(sd, c, CTI_CALL_DISCONNECTED, CTI_DISC_BUSY);
}

/* @src calls the outside number @number: the far end's rule decides. */
static void sim_offer_far(struct sim_dev *sd, struct sim_call *src,
			  const char *number)
{
	const struct sim_rule *r = sim_rule_find(sd, number);

	src->far = true;
	src->far_answered = false;
	src->far_action = r->action;
	src->far_arg = r->arg;
	strscpy(src->far_digits, r->digits, sizeof(src->far_digits));
	strscpy(src->far_number, number, sizeof(src->far_number));

	switch (r->action) {
	case SIM_FAR_BUSY:
		src->far = false;
		sim_busy(sd, src);
		return;
	case SIM_FAR_REJECT:
		src->far = false;
		sim_state(sd, src, CTI_CALL_DISCONNECTED, CTI_DISC_REJECTED);
		return;
	case SIM_FAR_NOANSWER:
		if (r->arg)
			sim_timer_add(sd, src, SIM_T_FAR_NOANSWER, r->arg);
		break;
	case SIM_FAR_ANSWER:
		sim_timer_add(sd, src, SIM_T_FAR_ANSWER, r->arg);
		break;
	default:
		sim_timer_add(sd, src, SIM_T_FAR_ANSWER, SIM_FAR_ANSWER_MS);
		break;
	}
	if (src->state != CTI_CALL_RINGBACK)
		sim_state(sd, src, CTI_CALL_RINGBACK, 0);
}

/*
 * Offer a call to @number. The calling party is the leg @src (which then
 * waits in RINGBACK or learns why not), or, when @src is NULL, the far end
 * @far_number. @caller is the calling number shown to the called line.
 */
static void sim_offer(struct sim_dev *sd, struct sim_call *src,
		      const char *far_number, const char *caller,
		      const char *number, u32 reason, int hops)
{
	struct sim_line *ln;
	struct sim_call *c;
	int t;

	t = sim_line_by_number(sd, number);
	if (t < 0) {
		if (src)
			sim_offer_far(sd, src, number);
		return;
	}
	ln = &sd->lines[t];
	if (src && src->line == t) {
		sim_busy(sd, src);
		return;
	}
	if (ln->dnd) {
		if (src)
			sim_state(sd, src, CTI_CALL_DISCONNECTED, CTI_DISC_DND);
		return;
	}
	if (ln->fwd_mode == CTI_FORWARD_UNCONDITIONAL ||
	    (ln->fwd_mode == CTI_FORWARD_BUSY && sim_line_calls(sd, t))) {
		if (hops < SIM_MAX_HOPS) {
			sim_offer(sd, src, far_number, caller, ln->fwd_to,
				  CTI_REASON_FORWARD, hops + 1);
		} else if (src) {
			sim_state(sd, src, CTI_CALL_DISCONNECTED,
				  CTI_DISC_UNREACHABLE);
		}
		return;
	}
	if (sim_line_calls(sd, t) >= SIM_MAX_CALLS) {
		if (src)
			sim_busy(sd, src);
		return;
	}
	c = sim_call_new(sd, t);
	if (!c) {
		if (src)
			sim_state(sd, src, CTI_CALL_DISCONNECTED,
				  CTI_DISC_CONGESTION);
		return;
	}
	c->origin = src ? CTI_ORIGIN_INTERNAL : CTI_ORIGIN_INBOUND;
	c->info_reason = reason;
	strscpy(c->caller, caller, sizeof(c->caller));
	strscpy(c->called, number, sizeof(c->called));
	if (src) {
		src->peer = c;
		src->far = false;
		c->peer = src;
	} else {
		c->far = true;
		c->far_answered = true;
		strscpy(c->far_number, far_number, sizeof(c->far_number));
	}
	sim_info(sd, c, SIM_INFO_ALL);
	sim_state(sd, c, CTI_CALL_OFFERING, reason);
	if (src && src->state != CTI_CALL_RINGBACK)
		sim_state(sd, src, CTI_CALL_RINGBACK, 0);
	if (ln->fwd_mode == CTI_FORWARD_NO_ANSWER)
		sim_timer_add(sd, c, SIM_T_FWD_NOANSWER, SIM_NOANSWER_MS);
}

/* The caller of the ringing @c is offered to @number instead. */
static void sim_deflect(struct sim_dev *sd, struct sim_call *c,
			const char *number, u32 idle_reason, u32 offer_reason)
{
	char far_number[CTI_NUMBER_MAX], caller[CTI_NUMBER_MAX];
	struct sim_call *src = c->peer;
	bool far = c->far;

	strscpy(far_number, c->far_number, sizeof(far_number));
	strscpy(caller, c->caller, sizeof(caller));
	c->peer = NULL;
	if (src)
		src->peer = NULL;
	sim_release(sd, c, idle_reason);
	if (src || far)
		sim_offer(sd, src, far_number, caller, number, offer_reason, 1);
}

/* A new leg on @line that takes over the party of @from (or a parked one). */
static void sim_take_party(struct sim_call *c, struct sim_call *from)
{
	c->peer = from->peer;
	if (c->peer)
		c->peer->peer = c;
	c->far = from->far;
	c->far_answered = from->far_answered;
	c->far_action = from->far_action;
	c->far_arg = from->far_arg;
	strscpy(c->far_digits, from->far_digits, sizeof(c->far_digits));
	strscpy(c->far_number, from->far_number, sizeof(c->far_number));
	from->peer = NULL;
	from->far = false;
}

/* ---- timers ----------------------------------------------------------- */

static void sim_timer_fire(struct sim_dev *sd, const struct sim_timer *t)
{
	struct sim_call *c = sim_call_find(sd, t->call);
	const struct sim_line *ln;

	if (!c)
		return;
	switch (t->kind) {
	case SIM_T_FAR_ANSWER:
		if (!c->far || c->far_answered)
			return;
		c->far_answered = true;
		if (c->state == CTI_CALL_RINGBACK)
			sim_state(sd, c, CTI_CALL_CONNECTED, 0);
		if (c->far_action == SIM_FAR_DIGITS)
			sim_digits(sd, c, c->far_digits, strlen(c->far_digits));
		else if (c->far_action == SIM_FAR_HANGUP)
			sim_timer_add(sd, c, SIM_T_FAR_HANGUP, c->far_arg);
		break;
	case SIM_T_FAR_NOANSWER:
		if (c->far && !c->far_answered)
			sim_party_gone(sd, c, CTI_DISC_NO_ANSWER);
		break;
	case SIM_T_FAR_HANGUP:
		if (c->far)
			sim_party_gone(sd, c, CTI_DISC_NORMAL);
		break;
	case SIM_T_FWD_NOANSWER:
		ln = &sd->lines[c->line];
		if ((c->state == CTI_CALL_OFFERING ||
		     c->state == CTI_CALL_ACCEPTED) &&
		    ln->fwd_mode == CTI_FORWARD_NO_ANSWER)
			sim_deflect(sd, c, ln->fwd_to, CTI_DISC_FORWARDED,
				    CTI_REASON_FORWARD);
		break;
	}
}

/* Run the timers that are due; called by the timer work with the lock. */
void sim_switch_timers(struct sim_dev *sd)
{
	struct sim_timer *t;

	lockdep_assert_held(&sd->lock);
	while ((t = list_first_entry_or_null(&sd->timers, struct sim_timer,
					     node)) &&
	       !time_before(jiffies, t->expires)) {
		list_del(&t->node);
		sim_timer_fire(sd, t);
		kfree(t);
	}
	sim_timer_arm(sd);
}

/* ---- commands --------------------------------------------------------- */

static bool sim_dtmf_ok(const u8 *s, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (!strchr("0123456789*#ABCD", s[i]) || !s[i])
			return false;
	return len > 0;
}

static void sim_done(struct sim_dev *sd, const struct sim_req *req, int err,
		     u32 call)
{
	if (req->token)
		cti_card_complete(sd->card, req->token, err, call);
}

static int sim_make_call(struct sim_dev *sd, const struct sim_req *req)
{
	const char *number = (const char *)req->data;
	struct sim_call *c;

	if (!req->data_len)
		return -EINVAL;
	if (sim_line_calls(sd, req->line) >= SIM_MAX_CALLS)
		return -EBUSY;
	c = sim_call_new(sd, req->line);
	if (!c)
		return -ENOMEM;
	c->origin = sim_line_by_number(sd, number) < 0 ?
		    CTI_ORIGIN_OUTBOUND : CTI_ORIGIN_INTERNAL;
	c->info_reason = CTI_REASON_DIRECT;
	strscpy(c->caller, sd->lines[req->line].number, sizeof(c->caller));
	strscpy(c->called, number, sizeof(c->called));
	sim_done(sd, req, 0, c->handle);
	sim_info(sd, c, SIM_INFO_ALL);
	sim_state(sd, c, CTI_CALL_DIALING, 0);
	sim_offer(sd, c, NULL, c->caller, number, CTI_REASON_DIRECT, 0);
	return 0;
}

/* SETUP_TRANSFER and SETUP_CONFERENCE: hold @call, dial a consultation. */
static int sim_setup_consult(struct sim_dev *sd, const struct sim_req *req,
			     u32 hold_state)
{
	const char *number = (const char *)req->data;
	struct sim_call *h, *c;

	h = sim_line_call(sd, req->line, req->call);
	if (!h)
		return -ENOENT;
	if (!req->data_len)
		return -EINVAL;
	if ((h->state != CTI_CALL_CONNECTED && h->state != CTI_CALL_ONHOLD) ||
	    h->conf || sim_line_calls(sd, req->line) >= SIM_MAX_CALLS)
		return -EBUSY;
	c = sim_call_new(sd, req->line);
	if (!c)
		return -ENOMEM;
	c->origin = sim_line_by_number(sd, number) < 0 ?
		    CTI_ORIGIN_OUTBOUND : CTI_ORIGIN_INTERNAL;
	c->info_reason = CTI_REASON_DIRECT;
	c->related = h->handle;
	h->related = c->handle;
	strscpy(c->caller, sd->lines[req->line].number, sizeof(c->caller));
	strscpy(c->called, number, sizeof(c->called));
	sim_done(sd, req, 0, c->handle);
	sim_state(sd, h, hold_state, 0);
	sim_info(sd, c, SIM_INFO_ALL);
	sim_state(sd, c, CTI_CALL_DIALING, 0);
	sim_offer(sd, c, NULL, c->caller, number, CTI_REASON_DIRECT, 0);
	return 0;
}

/* Put the controller leg @c and its internal party into conference @id. */
static void sim_conf_join(struct sim_dev *sd, struct sim_call *c, u32 id)
{
	c->conf = id;
	c->conf_ctl = true;
	c->related = id;
	sim_state(sd, c, CTI_CALL_CONFERENCED, 0);
	if (c->peer) {
		c->peer->conf = id;
		c->peer->related = 0;
		sim_state(sd, c->peer, CTI_CALL_CONFERENCED, 0);
	}
}

static void sim_new_conf(struct sim_dev *sd, struct sim_call *h,
			 struct sim_call *c)
{
	u32 id = h->handle;

	sim_conf_join(sd, h, id);
	sim_conf_join(sd, c, id);
}

static int sim_complete_transfer(struct sim_dev *sd, const struct sim_req *req)
{
	struct sim_call *h, *c, *hp, *cp;

	if (req->arg > CTI_TRANSFER_MODE_CONFERENCE)
		return -EINVAL;
	h = sim_line_call(sd, req->line, req->call);
	c = sim_line_call(sd, req->line, req->call2);
	if (!h || !c)
		return -ENOENT;
	if (h->state != CTI_CALL_ONHOLDPENDTRANSFER ||
	    h->related != c->handle)
		return -EBUSY;
	if (req->arg == CTI_TRANSFER_MODE_CONFERENCE) {
		if (c->state != CTI_CALL_CONNECTED)
			return -EBUSY;
		sim_done(sd, req, 0, CTI_CALL_NONE);
		sim_new_conf(sd, h, c);
		return 0;
	}
	if (c->state != CTI_CALL_CONNECTED && c->state != CTI_CALL_RINGBACK)
		return -EBUSY;

	sim_done(sd, req, 0, CTI_CALL_NONE);
	hp = h->peer;
	cp = c->peer;
	if (hp && c->far) {
		/* The held party now waits for the consulted far end. */
		sim_take_party(hp, c);
		hp->peer = NULL;
		sim_timers_move(sd, c->handle, hp->handle);
	} else if (cp && h->far) {
		sim_take_party(cp, h);
		cp->peer = NULL;
	} else if (hp && cp) {
		hp->peer = cp;
		cp->peer = hp;
	}
	h->peer = NULL;
	h->far = false;
	c->peer = NULL;
	c->far = false;
	sim_release(sd, h, CTI_DISC_TRANSFERRED);
	sim_release(sd, c, CTI_DISC_TRANSFERRED);
	if (hp && hp->state != CTI_CALL_RINGBACK &&
	    ((hp->far && !hp->far_answered) ||
	     (hp->peer && (hp->peer->state == CTI_CALL_OFFERING ||
			   hp->peer->state == CTI_CALL_ACCEPTED))))
		sim_state(sd, hp, CTI_CALL_RINGBACK, 0);
	return 0;
}

static int sim_add_to_conference(struct sim_dev *sd, const struct sim_req *req)
{
	struct sim_call *h, *c;

	h = sim_line_call(sd, req->line, req->call);
	c = sim_line_call(sd, req->line, req->call2);
	if (!h || !c)
		return -ENOENT;
	if (h->state == CTI_CALL_ONHOLDPENDCONF && h->related == c->handle &&
	    c->state == CTI_CALL_CONNECTED) {
		sim_done(sd, req, 0, CTI_CALL_NONE);
		sim_new_conf(sd, h, c);
		return 0;
	}
	if (h->conf && h->conf_ctl && h->state == CTI_CALL_CONFERENCED &&
	    !c->conf && (c->state == CTI_CALL_CONNECTED ||
			 c->state == CTI_CALL_ONHOLD)) {
		sim_done(sd, req, 0, CTI_CALL_NONE);
		sim_conf_join(sd, c, h->conf);
		return 0;
	}
	return -EBUSY;
}

static int sim_remove_from_conference(struct sim_dev *sd,
				      const struct sim_req *req)
{
	struct sim_call *c = sim_line_call(sd, req->line, req->call);
	u32 conf;

	if (!c)
		return -ENOENT;
	if (!c->conf || !c->conf_ctl || c->state != CTI_CALL_CONFERENCED)
		return -EBUSY;
	sim_done(sd, req, 0, CTI_CALL_NONE);
	conf = c->conf;
	c->conf = 0;
	c->conf_ctl = false;
	c->related = 0;
	sim_state(sd, c, CTI_CALL_ONHOLD, 0);
	if (c->peer && c->peer->conf) {
		c->peer->conf = 0;
		sim_state(sd, c->peer, CTI_CALL_CONNECTED, 0);
	}
	sim_conf_check(sd, conf);
	return 0;
}

static int sim_blind_transfer(struct sim_dev *sd, const struct sim_req *req)
{
	char far_number[CTI_NUMBER_MAX], caller[CTI_NUMBER_MAX];
	struct sim_call *c, *p;
	bool far;

	c = sim_line_call(sd, req->line, req->call);
	if (!c)
		return -ENOENT;
	if (!req->data_len)
		return -EINVAL;
	if ((c->state != CTI_CALL_CONNECTED && c->state != CTI_CALL_ONHOLD) ||
	    c->conf || (!c->peer && !c->far))
		return -EBUSY;
	sim_done(sd, req, 0, CTI_CALL_NONE);
	p = c->peer;
	far = c->far;
	strscpy(far_number, c->far_number, sizeof(far_number));
	strscpy(caller, p ? sd->lines[p->line].number : c->far_number,
		sizeof(caller));
	c->peer = NULL;
	c->far = false;
	if (p)
		p->peer = NULL;
	sim_release(sd, c, CTI_DISC_TRANSFERRED);
	if (p || far)
		sim_offer(sd, p, far_number, caller, (const char *)req->data,
			  CTI_REASON_TRANSFER, 0);
	return 0;
}

static int sim_park(struct sim_dev *sd, const struct sim_req *req)
{
	const char *number = (const char *)req->data;
	struct sim_park *slot = NULL;
	char name[CTI_NUMBER_MAX];
	struct sim_call *c, *p;
	u32 i, n;

	c = sim_line_call(sd, req->line, req->call);
	if (!c)
		return -ENOENT;
	if ((c->state != CTI_CALL_CONNECTED && c->state != CTI_CALL_ONHOLD) ||
	    c->conf || (!c->peer && !c->far))
		return -EBUSY;
	if (req->data_len) {
		if (sim_line_by_number(sd, number) >= 0)
			return -EINVAL;
		strscpy(name, number, sizeof(name));
	} else {
		/* The lowest free default slot number. */
		for (n = SIM_PARK_FIRST; n < SIM_PARK_FIRST + SIM_PARK_SLOTS; n++) {
			snprintf(name, sizeof(name), "%u", n);
			for (i = 0; i < SIM_PARK_SLOTS; i++)
				if (sd->park[i].used &&
				    !strcmp(sd->park[i].number, name))
					break;
			if (i == SIM_PARK_SLOTS)
				break;
		}
	}
	for (i = 0; i < SIM_PARK_SLOTS; i++) {
		if (sd->park[i].used && !strcmp(sd->park[i].number, name))
			return -EBUSY;
		if (!sd->park[i].used && !slot)
			slot = &sd->park[i];
	}
	if (!slot)
		return -EBUSY;

	sim_done(sd, req, 0, CTI_CALL_NONE);
	slot->used = true;
	strscpy(slot->number, name, sizeof(slot->number));
	p = c->peer;
	slot->party = p;
	if (p) {
		p->peer = NULL;
		p->parked = slot;
	} else {
		strscpy(slot->far_number, c->far_number,
			sizeof(slot->far_number));
	}
	c->peer = NULL;
	c->far = false;
	sim_release(sd, c, CTI_DISC_NORMAL);
	if (p && p->state != CTI_CALL_ONHOLD)
		sim_state(sd, p, CTI_CALL_ONHOLD, 0);
	return 0;
}

static int sim_unpark_cmd(struct sim_dev *sd, const struct sim_req *req)
{
	const char *number = (const char *)req->data;
	struct sim_park *slot = NULL;
	struct sim_call *c, *p;
	u32 i;

	if (!req->data_len)
		return -EINVAL;
	for (i = 0; i < SIM_PARK_SLOTS; i++)
		if (sd->park[i].used && !strcmp(sd->park[i].number, number))
			slot = &sd->park[i];
	if (!slot)
		return -ENOENT;
	if (sim_line_calls(sd, req->line) >= SIM_MAX_CALLS)
		return -EBUSY;
	c = sim_call_new(sd, req->line);
	if (!c)
		return -ENOMEM;
	p = slot->party;
	c->info_reason = CTI_REASON_UNPARK;
	strscpy(c->called, slot->number, sizeof(c->called));
	if (p) {
		c->origin = CTI_ORIGIN_INTERNAL;
		strscpy(c->caller, sd->lines[p->line].number,
			sizeof(c->caller));
		c->peer = p;
		p->peer = c;
		p->parked = NULL;
	} else {
		c->origin = CTI_ORIGIN_INBOUND;
		strscpy(c->caller, slot->far_number, sizeof(c->caller));
		c->far = true;
		c->far_answered = true;
		strscpy(c->far_number, slot->far_number,
			sizeof(c->far_number));
	}
	memset(slot, 0, sizeof(*slot));
	sim_done(sd, req, 0, c->handle);
	sim_info(sd, c, SIM_INFO_ALL);
	sim_state(sd, c, CTI_CALL_CONNECTED, 0);
	if (p)
		sim_state(sd, p, CTI_CALL_CONNECTED, 0);
	return 0;
}

static int sim_pickup(struct sim_dev *sd, const struct sim_req *req)
{
	const char *number = (const char *)req->data;
	struct sim_call *r = NULL, *c, *it;
	int t = -1;

	if (req->data_len) {
		t = sim_line_by_number(sd, number);
		if (t < 0)
			return -ENOENT;
		if (t == req->line)
			return -EINVAL;
	}
	/* The oldest call ringing there (anywhere else, for an empty number). */
	list_for_each_entry(it, &sd->calls, node) {
		if ((it->state == CTI_CALL_OFFERING ||
		     it->state == CTI_CALL_ACCEPTED) &&
		    (t < 0 ? it->line != req->line : it->line == t)) {
			r = it;
			break;
		}
	}
	if (!r)
		return -ENOENT;
	if (sim_line_calls(sd, req->line) >= SIM_MAX_CALLS)
		return -EBUSY;
	c = sim_call_new(sd, req->line);
	if (!c)
		return -ENOMEM;
	c->origin = r->origin;
	c->info_reason = CTI_REASON_PICKUP;
	strscpy(c->caller, r->caller, sizeof(c->caller));
	strscpy(c->called, r->called, sizeof(c->called));
	sim_take_party(c, r);
	sim_done(sd, req, 0, c->handle);
	sim_release(sd, r, CTI_DISC_PICKUP);
	sim_info(sd, c, SIM_INFO_ALL);
	sim_state(sd, c, CTI_CALL_CONNECTED, 0);
	if (c->peer)
		sim_state(sd, c->peer, CTI_CALL_CONNECTED, 0);
	return 0;
}

static int sim_set_forward(struct sim_dev *sd, const struct sim_req *req)
{
	struct sim_line *ln = &sd->lines[req->line];
	const char *number = (const char *)req->data;

	if (req->arg > CTI_FORWARD_NO_ANSWER)
		return -EINVAL;
	if (req->arg == CTI_FORWARD_NONE ? req->data_len : !req->data_len)
		return -EINVAL;
	if (req->data_len && !strcmp(number, ln->number))
		return -EINVAL;
	sim_done(sd, req, 0, CTI_CALL_NONE);
	ln->fwd_mode = req->arg;
	strscpy(ln->fwd_to, req->data_len ? number : "", sizeof(ln->fwd_to));
	sim_line_status(sd, req->line);
	return 0;
}

static int sim_phone_cmd(struct sim_dev *sd, const struct sim_req *req)
{
	struct sim_phone *ph;
	u32 n;

	if (req->line >= sd->num_phones)
		return -ENOENT;
	ph = &sd->phones[req->line];
	switch (req->cmd) {
	case CTI_CMD_SET_HOOK: {
		struct cti_ev_phone_hook ev = {
			.hdr.type = CTI_EV_PHONE_HOOK,
			.hdr.size = sizeof(ev),
			.hdr.line = req->line,
			.hookswitch = req->arg,
			.mode = req->arg2,
		};

		if (!req->arg || req->arg & (req->arg - 1) ||
		    req->arg > CTI_HOOKSWITCH_HEADSET ||
		    req->arg2 > CTI_HOOK_MICSPEAKER)
			return -EINVAL;
		sim_done(sd, req, 0, CTI_CALL_NONE);
		ph->hook[ilog2(req->arg)] = req->arg2;
		cti_card_post(sd->card, &ev.hdr);
		return 0;
	}
	case CTI_CMD_SET_DISPLAY:
		if (req->arg >= SIM_DISPLAY_ROWS ||
		    req->arg2 >= SIM_DISPLAY_COLS)
			return -EINVAL;
		n = min_t(u32, req->data_len, SIM_DISPLAY_COLS - req->arg2);
		memcpy(ph->display + req->arg * SIM_DISPLAY_COLS + req->arg2,
		       req->data, n);
		break;
	case CTI_CMD_SET_LAMP:
		if (req->arg >= SIM_PHONE_LAMPS || req->arg2 > CTI_LAMP_FLUTTER)
			return -EINVAL;
		ph->lamps[req->arg] = req->arg2;
		break;
	default: /* CTI_CMD_SET_RING */
		if (req->arg2 > 100)
			return -EINVAL;
		ph->ring_pattern = req->arg;
		ph->ring_volume = req->arg2;
		break;
	}
	sim_done(sd, req, 0, CTI_CALL_NONE);
	return 0;
}

static int sim_link_frame(struct sim_dev *sd, const struct sim_req *req)
{
	struct cti_ev_link_frame *ev;
	struct cti_card *to = sd->card;
	u32 size, line = req->line;
	struct sim_dev *peer;
	int err = 0;

	if (sd->mode == SIM_MODE_CALL)
		return -EOPNOTSUPP;
	if (req->data_len > CTI_LINK_FRAME_MAX)
		return -EINVAL;
	size = ALIGN(sizeof(*ev) + req->data_len, 8);
	ev = kzalloc(size, GFP_ATOMIC);
	if (!ev)
		return -ENOMEM;
	ev->hdr.type = CTI_EV_LINK_FRAME;
	ev->hdr.size = size;
	ev->len = req->data_len;
	memcpy(ev->data, req->data, req->data_len);

	/* sim_devs_lock nests inside a card's lock, never the other way. */
	spin_lock(&sim_devs_lock);
	if (sd->link_peer_name[0]) {
		to = NULL;
		list_for_each_entry(peer, &sim_devs, node) {
			if (peer->link_card &&
			    !strcmp(config_item_name(&peer->group.cg_item),
				    sd->link_peer_name)) {
				to = peer->link_card;
				if (line >= peer->link_lines)
					line = 0;
				break;
			}
		}
	}
	if (to) {
		sim_done(sd, req, 0, CTI_CALL_NONE);
		ev->hdr.line = line;
		cti_card_post(to, &ev->hdr);
	} else {
		err = -EHOSTUNREACH;
	}
	spin_unlock(&sim_devs_lock);
	kfree(ev);
	return err;
}

static int sim_call_cmd(struct sim_dev *sd, const struct sim_req *req)
{
	struct sim_call *c, *c2;

	c = sim_line_call(sd, req->line, req->call);
	if (!c)
		return -ENOENT;

	switch (req->cmd) {
	case CTI_CMD_ANSWER:
		if (c->state != CTI_CALL_OFFERING &&
		    c->state != CTI_CALL_ACCEPTED)
			return -EBUSY;
		sim_done(sd, req, 0, CTI_CALL_NONE);
		sim_timers_drop(sd, c->handle);
		sim_state(sd, c, CTI_CALL_CONNECTED, 0);
		if (c->peer && c->peer->state == CTI_CALL_RINGBACK)
			sim_state(sd, c->peer, CTI_CALL_CONNECTED, 0);
		return 0;
	case CTI_CMD_ACCEPT:
		if (c->state != CTI_CALL_OFFERING)
			return -EBUSY;
		sim_done(sd, req, 0, CTI_CALL_NONE);
		sim_state(sd, c, CTI_CALL_ACCEPTED, 0);
		return 0;
	case CTI_CMD_DROP:
		sim_done(sd, req, 0, CTI_CALL_NONE);
		sim_release(sd, c, CTI_DISC_NORMAL);
		return 0;
	case CTI_CMD_HOLD:
		if (c->state != CTI_CALL_CONNECTED)
			return -EBUSY;
		sim_done(sd, req, 0, CTI_CALL_NONE);
		sim_state(sd, c, CTI_CALL_ONHOLD, 0);
		return 0;
	case CTI_CMD_UNHOLD:
		if (c->state != CTI_CALL_ONHOLD)
			return -EBUSY;
		sim_done(sd, req, 0, CTI_CALL_NONE);
		sim_state(sd, c, CTI_CALL_CONNECTED, 0);
		return 0;
	case CTI_CMD_SWAP_HOLD:
		c2 = sim_line_call(sd, req->line, req->call2);
		if (!c2)
			return -ENOENT;
		if (c->state != CTI_CALL_CONNECTED ||
		    c2->state != CTI_CALL_ONHOLD)
			return -EBUSY;
		sim_done(sd, req, 0, CTI_CALL_NONE);
		sim_state(sd, c, CTI_CALL_ONHOLD, 0);
		sim_state(sd, c2, CTI_CALL_CONNECTED, 0);
		return 0;
	case CTI_CMD_REDIRECT:
		if (!req->data_len)
			return -EINVAL;
		if (c->state != CTI_CALL_OFFERING &&
		    c->state != CTI_CALL_ACCEPTED)
			return -EBUSY;
		sim_done(sd, req, 0, CTI_CALL_NONE);
		sim_deflect(sd, c, (const char *)req->data,
			    CTI_DISC_REDIRECTED, CTI_REASON_REDIRECT);
		return 0;
	case CTI_CMD_GENERATE_DIGITS:
		if (!sim_dtmf_ok(req->data, req->data_len))
			return -EINVAL;
		if (c->state != CTI_CALL_CONNECTED &&
		    c->state != CTI_CALL_CONFERENCED)
			return -EBUSY;
		sim_done(sd, req, 0, CTI_CALL_NONE);
		if (c->peer)
			sim_digits(sd, c->peer, (const char *)req->data,
				   req->data_len);
		return 0;
	case CTI_CMD_GENERATE_TONE:
		if (req->arg > CTI_TONE_RINGBACK)
			return -EINVAL;
		if (c->state != CTI_CALL_CONNECTED &&
		    c->state != CTI_CALL_CONFERENCED)
			return -EBUSY;
		sim_done(sd, req, 0, CTI_CALL_NONE);
		return 0;
	}
	return -EOPNOTSUPP;
}

static int sim_cmd(struct sim_dev *sd, const struct sim_req *req)
{
	switch (req->cmd) {
	case CTI_CMD_MAKE_CALL:
		return sim_make_call(sd, req);
	case CTI_CMD_SETUP_TRANSFER:
		return sim_setup_consult(sd, req, CTI_CALL_ONHOLDPENDTRANSFER);
	case CTI_CMD_SETUP_CONFERENCE:
		return sim_setup_consult(sd, req, CTI_CALL_ONHOLDPENDCONF);
	case CTI_CMD_COMPLETE_TRANSFER:
		return sim_complete_transfer(sd, req);
	case CTI_CMD_ADD_TO_CONFERENCE:
		return sim_add_to_conference(sd, req);
	case CTI_CMD_REMOVE_FROM_CONFERENCE:
		return sim_remove_from_conference(sd, req);
	case CTI_CMD_BLIND_TRANSFER:
		return sim_blind_transfer(sd, req);
	case CTI_CMD_PARK:
		return sim_park(sd, req);
	case CTI_CMD_UNPARK:
		return sim_unpark_cmd(sd, req);
	case CTI_CMD_PICKUP:
		return sim_pickup(sd, req);
	case CTI_CMD_SET_FORWARD:
		return sim_set_forward(sd, req);
	case CTI_CMD_SET_DND:
		if (req->arg > 1)
			return -EINVAL;
		sim_done(sd, req, 0, CTI_CALL_NONE);
		sd->lines[req->line].dnd = req->arg;
		sim_line_status(sd, req->line);
		return 0;
	case CTI_CMD_SET_HOOK:
	case CTI_CMD_SET_DISPLAY:
	case CTI_CMD_SET_LAMP:
	case CTI_CMD_SET_RING:
		return sim_phone_cmd(sd, req);
	case CTI_CMD_SEND_LINK_FRAME:
		return sim_link_frame(sd, req);
	case CTI_CMD_DEV_SPECIFIC:
		sim_done(sd, req, 0, CTI_CALL_NONE);
		return 0;
	default:
		return sim_call_cmd(sd, req);
	}
}

/* The configfs actions: the far end and the link. */
static void sim_action(struct sim_dev *sd, const struct sim_req *req)
{
	struct sim_call *c;

	switch (req->cmd) {
	case SIM_ACT_INBOUND:
		sim_offer(sd, NULL, (const char *)req->data,
			  (const char *)req->data,
			  sd->lines[req->line].number, CTI_REASON_DIRECT, 0);
		break;
	case SIM_ACT_FAR_HANGUP:
		c = sim_call_find(sd, req->call);
		if (c && c->far)
			sim_party_gone(sd, c, CTI_DISC_NORMAL);
		break;
	case SIM_ACT_FAR_DIGITS:
		c = sim_call_find(sd, req->call);
		if (c && c->far)
			sim_digits(sd, c, (const char *)req->data,
				   req->data_len);
		break;
	case SIM_ACT_LINK:
		cti_card_set_link_state(sd->card, req->arg);
		break;
	}
}

/* Run one queued request; called by the request work with the lock held. */
void sim_switch_run(struct sim_dev *sd, struct sim_req *req)
{
	int err;

	lockdep_assert_held(&sd->lock);
	if (req->cmd >= SIM_ACT_INBOUND) {
		sim_action(sd, req);
		return;
	}
	if (sd->mode == SIM_MODE_LINK &&
	    req->cmd != CTI_CMD_SEND_LINK_FRAME &&
	    req->cmd != CTI_CMD_DEV_SPECIFIC)
		err = -EOPNOTSUPP;
	else
		err = sim_cmd(sd, req);
	/* A command that failed has not completed yet: it does so here. */
	if (err)
		sim_done(sd, req, err, CTI_CALL_NONE);
}
