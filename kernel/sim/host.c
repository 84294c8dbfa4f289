// SPDX-License-Identifier: GPL-2.0
/*
 * cti_sim: the card's host for the reference switch.
 *
 * The switch itself (calls, far ends, hold, transfer, conference, park,
 * pickup, forwarding, phones) is the portable core in switch/ (built in by
 * core.c), the one that the userspace sim provider runs too. This file is
 * what the core needs from a card (&struct sw_host_ops): memory, timers,
 * records, the numbering plan and a log; and what the switch does not
 * know: SEND_LINK_FRAME, DEV_SPECIFIC, the link state, the configfs
 * far-end rules and the debugfs actions on the far end.
 *
 * Locking: the core is single-threaded. Every call into it, from the
 * request work, the timer work, a debugfs write or a configfs rule, holds
 * the card's spinlock @lock, and so does every callback it makes: memory
 * is GFP_ATOMIC and nothing here sleeps. The core exists (@sw) only
 * between sim_switch_start() and sim_switch_stop(), both under @lock.
 */
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "sim.h"
#include "../../switch/sw.h"

/**
 * struct sim_timer - a timer the core armed, in &sim_dev.timers
 * @node: list node, ordered by @expires, equal expiries in arming order
 * @expires: jiffies at which it fires
 * @id: the id the core knows it by (> 0, never reused while live)
 * @tmr: the core's timer; its owner cancels it before freeing it, so
 *	the pointer is valid while this entry is listed
 */
struct sim_timer {
	struct list_head node;
	unsigned long expires;
	s64 id;
	struct sw_tmr *tmr;
};

/*
 * A record the core emitted, waiting for the end of the command (or timer,
 * or action) that made it: the REPLY of a command must come before its
 * records, and the core emits them while the command runs.
 */
struct sim_rec {
	struct list_head node;
	u8 data[] __aligned(8);		/* struct cti_event and its payload */
};

void sim_switch_init(struct sim_dev *sd)
{
	spin_lock_init(&sd->lock);
	INIT_LIST_HEAD(&sd->reqs);
	INIT_LIST_HEAD(&sd->timers);
	INIT_LIST_HEAD(&sd->recs);
}

/* The directory number of @line: the numbers attribute, or 100 + @line. */
void sim_number_of(const struct sim_dev *sd, u32 line, char *buf)
{
	if (sd->numbers)
		strscpy(buf, sd->numbers[line], CTI_NUMBER_MAX);
	else
		snprintf(buf, CTI_NUMBER_MAX, "%u", SIM_FIRST_NUMBER + line);
}

/* ---- the core's host -------------------------------------------------- */

static void *sim_sw_alloc(void *ctx, size_t size)
{
	/* Atomic: the core runs under the card's spinlock. */
	return kzalloc(size, GFP_ATOMIC);
}

static void sim_sw_free(void *ctx, void *p)
{
	kfree(p);
}

/* Run the timer work when the earliest timer is due. */
static void sim_timer_kick(struct sim_dev *sd)
{
	struct sim_timer *t;

	t = list_first_entry_or_null(&sd->timers, struct sim_timer, node);
	if (!t || !sd->running)
		return;
	mod_delayed_work(system_wq, &sd->timer_work,
			 time_after(t->expires, jiffies) ?
			 t->expires - jiffies : 0);
}

static s64 sim_sw_timer_arm(void *ctx, u64 ms, struct sw_tmr *tmr)
{
	struct sim_dev *sd = ctx;
	struct sim_timer *t, *pos;

	lockdep_assert_held(&sd->lock);
	t = kzalloc(sizeof(*t), GFP_ATOMIC);
	if (!t)
		return -ENOMEM;
	t->expires = jiffies + msecs_to_jiffies(min_t(u64, ms, UINT_MAX));
	t->id = ++sd->timer_id;
	t->tmr = tmr;
	/* Equal expiries fire in the order they were armed (sw.h). */
	list_for_each_entry(pos, &sd->timers, node)
		if (time_after(pos->expires, t->expires))
			break;
	list_add_tail(&t->node, &pos->node);
	if (list_first_entry(&sd->timers, struct sim_timer, node) == t)
		sim_timer_kick(sd);
	return t->id;
}

static void sim_sw_timer_cancel(void *ctx, s64 id)
{
	struct sim_dev *sd = ctx;
	struct sim_timer *t;

	lockdep_assert_held(&sd->lock);
	list_for_each_entry(t, &sd->timers, node) {
		if (t->id == id) {
			list_del(&t->node);
			kfree(t);
			return;
		}
	}
}

static void sim_sw_emit(void *ctx, const struct cti_event *ev)
{
	struct sim_dev *sd = ctx;
	struct sim_rec *r;

	/* Without memory the record is lost; the allocator says so. */
	r = kmalloc(struct_size(r, data, ev->size), GFP_ATOMIC);
	if (!r)
		return;
	memcpy(r->data, ev, ev->size);
	list_add_tail(&r->node, &sd->recs);
}

/* Post the records of what just ran, in the order they were emitted. */
static void sim_recs_flush(struct sim_dev *sd)
{
	struct sim_rec *r, *tmp;

	list_for_each_entry_safe(r, tmp, &sd->recs, node) {
		list_del(&r->node);
		if (sd->running)
			cti_card_post(sd->card, (const struct cti_event *)r->data);
		kfree(r);
	}
}

static int sim_sw_line_find(void *ctx, const char *number, u32 *line)
{
	struct sim_dev *sd = ctx;
	char buf[CTI_NUMBER_MAX];
	u32 i;

	for (i = 0; i < sd->num_lines; i++) {
		sim_number_of(sd, i, buf);
		if (!strcmp(buf, number)) {
			*line = i;
			return 0;
		}
	}
	return -ENOENT;
}

static void sim_sw_line_number(void *ctx, u32 line, char *buf)
{
	sim_number_of(ctx, line, buf);
}

/* A card has no users: whoever opened it may act on every line. */
static int sim_sw_authorize(void *ctx, const struct sw_req *req,
			    u32 line, u32 reach)
{
	return 0;
}

/* Users trigger these (a lost timer, a breach): rate-limited. */
static void sim_sw_log(void *ctx, int level, const char *msg)
{
	struct sim_dev *sd = ctx;
	const char *name = config_item_name(&sd->group.cg_item);

	if (level <= SW_LOG_ERR)
		pr_err_ratelimited("cti_sim %s: %s\n", name, msg);
	else if (level <= SW_LOG_WARNING)
		pr_warn_ratelimited("cti_sim %s: %s\n", name, msg);
	else
		pr_info_ratelimited("cti_sim %s: %s\n", name, msg);
}

/* No note op: the kernel ABI has no records for agents, lamps, ringer. */
static const struct sw_host_ops sim_sw_ops = {
	.alloc = sim_sw_alloc,
	.free = sim_sw_free,
	.timer_arm = sim_sw_timer_arm,
	.timer_cancel = sim_sw_timer_cancel,
	.emit = sim_sw_emit,
	.line_find = sim_sw_line_find,
	.line_number = sim_sw_line_number,
	.authorize = sim_sw_authorize,
	.log = sim_sw_log,
};

/* ---- the far-end rules ------------------------------------------------ */

static struct sw_step *sim_step_add(struct sw_script *s, u8 op, u32 ms)
{
	struct sw_step *st = &s->steps[s->count++];

	st->op = op;
	st->ms = ms;
	return st;
}

/* A configfs far_end rule as a core script (switch/README.md's table). */
static void sim_rule_script(const struct sim_rule *r, struct sw_script *s)
{
	struct sw_step *st;

	memset(s, 0, sizeof(*s));
	switch (r->action) {
	case SIM_FAR_ANSWER:
		sim_step_add(s, SW_STEP_ANSWER, r->arg);
		break;
	case SIM_FAR_BUSY:
		sim_step_add(s, SW_STEP_BUSY, 0);
		break;
	case SIM_FAR_NOANSWER:
		/* Its ms is the ring limit, 0 rings for ever. */
		sim_step_add(s, SW_STEP_NOANSWER, r->arg);
		break;
	case SIM_FAR_REJECT:
		sim_step_add(s, SW_STEP_REJECT, 0);
		break;
	case SIM_FAR_DIGITS:
		sim_step_add(s, SW_STEP_ANSWER, SIM_FAR_ANSWER_MS);
		st = sim_step_add(s, SW_STEP_DIGITS, 0);
		strscpy(st->digits, r->digits, sizeof(st->digits));
		break;
	case SIM_FAR_HANGUP:
		sim_step_add(s, SW_STEP_ANSWER, SIM_FAR_ANSWER_MS);
		sim_step_add(s, SW_STEP_HANGUP, r->arg);
		break;
	}
}

/*
 * Hand the card's rules to the core: "*" is the default script, the others
 * are per number. Calls already placed keep the script they started with,
 * as they kept their rule before.
 */
static void sim_rules_install(struct sim_dev *sd)
{
	static const struct sim_rule answer = {
		.action = SIM_FAR_ANSWER,
		.arg = SIM_FAR_ANSWER_MS,
	};
	struct sw_script script;
	u32 i;

	lockdep_assert_held(&sd->lock);
	sw_script_clear(sd->sw);
	sim_rule_script(&answer, &script);
	sw_script_default(sd->sw, &script);
	for (i = 0; i < sd->num_rules; i++) {
		sim_rule_script(&sd->rules[i], &script);
		if (!strcmp(sd->rules[i].number, "*"))
			sw_script_default(sd->sw, &script);
		else if (sw_script_set(sd->sw, sd->rules[i].number, &script))
			sim_sw_log(sd, SW_LOG_ERR, "a far_end rule is lost");
	}
}

/* configfs changed the rules, under @lock: a live switch takes them now. */
void sim_rules_changed(struct sim_dev *sd)
{
	lockdep_assert_held(&sd->lock);
	if (sd->sw)
		sim_rules_install(sd);
}

/* ---- start and stop --------------------------------------------------- */

/*
 * Make the switch of a card going live, under @lock (nothing runs yet).
 * The shape is the kernel card's: three calls a line, ten park slots from
 * 700, forward on no answer after 100 ms, an outside party rings until it
 * is answered or dropped, and a phone on each line that has one.
 */
int sim_switch_start(struct sim_dev *sd)
{
	struct sw_config cfg = {
		.lines = sd->num_lines,
		.phones = min(sd->num_phones, sd->num_lines),
		.max_calls = SIM_MAX_CALLS,
		.noanswer_ms = 0,
		.forward_noanswer_ms = SIM_NOANSWER_MS,
		.park_slots = SIM_PARK_SLOTS,
		.park_first = SIM_PARK_FIRST,
	};

	lockdep_assert_held(&sd->lock);
	sd->sw = sw_new(&sim_sw_ops, sd, &cfg);
	if (!sd->sw)
		return -ENOMEM;
	sim_rules_install(sd);
	return 0;
}

/*
 * Free the switch, its calls and their timers, and the records nobody
 * will post. The card is stopped (@running false, the works cancelled
 * synchronously), so no timer fires and no command runs any more.
 */
void sim_switch_stop(struct sim_dev *sd)
{
	struct sim_timer *t, *ttmp;

	spin_lock(&sd->lock);
	sw_free(sd->sw);
	sd->sw = NULL;
	/* The core cancelled its timers; these would be a leak otherwise. */
	list_for_each_entry_safe(t, ttmp, &sd->timers, node) {
		list_del(&t->node);
		kfree(t);
	}
	sim_recs_flush(sd);
	sd->timer_id = 0;
	spin_unlock(&sd->lock);
}

/* ---- running it ------------------------------------------------------- */

/* Run the timers that are due; called by the timer work with @lock. */
void sim_switch_timers(struct sim_dev *sd)
{
	struct sim_timer *t;
	struct sw_tmr *tmr;
	s64 id;

	lockdep_assert_held(&sd->lock);
	while ((t = list_first_entry_or_null(&sd->timers, struct sim_timer,
					     node)) &&
	       !time_before(jiffies, t->expires)) {
		list_del(&t->node);
		tmr = t->tmr;
		id = t->id;
		kfree(t);
		sw_tmr_fire(sd->sw, tmr, id);
	}
	sim_recs_flush(sd);
	sim_timer_kick(sd);
}

/*
 * SEND_LINK_FRAME: the frame goes to the link peer (or back to this card),
 * after the REPLY. Completes the request itself.
 */
static void sim_link_frame(struct sim_dev *sd, const struct sim_req *req)
{
	struct cti_ev_link_frame *ev;
	struct cti_card *to = sd->card;
	u32 size, line = req->line;
	struct sim_dev *peer;

	if (req->data_len > CTI_LINK_FRAME_MAX) {
		cti_card_complete(sd->card, req->token, -EINVAL, CTI_CALL_NONE);
		return;
	}
	size = ALIGN(sizeof(*ev) + req->data_len, 8);
	ev = kzalloc(size, GFP_ATOMIC);
	if (!ev) {
		cti_card_complete(sd->card, req->token, -ENOMEM, CTI_CALL_NONE);
		return;
	}
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
	cti_card_complete(sd->card, req->token, to ? 0 : -EHOSTUNREACH,
			  CTI_CALL_NONE);
	if (to) {
		ev->hdr.line = line;
		cti_card_post(to, &ev->hdr);
	}
	spin_unlock(&sim_devs_lock);
	kfree(ev);
}

/* A command for the core: its REPLY, then the records it made. */
static void sim_switch_cmd(struct sim_dev *sd, const struct sim_req *req)
{
	const struct sw_req sr = {
		.handle = req->token,
		.cmd = req->cmd,
		.line = req->line,
		.call = req->call,
		.call2 = req->call2,
		.arg = req->arg,
		.arg2 = req->arg2,
		.data_len = req->data_len,
		.data = (const char *)req->data,
	};
	u32 call = CTI_CALL_NONE;
	int err;

	/* The core takes text; a NUL inside a number or digits is malformed. */
	if (memchr(req->data, '\0', req->data_len))
		err = -EINVAL;
	else
		err = sw_submit(sd->sw, &sr, &call);
	cti_card_complete(sd->card, req->token, err,
			  err ? CTI_CALL_NONE : call);
	sim_recs_flush(sd);
}

/* Run one queued request; called by the request work with @lock held. */
void sim_switch_run(struct sim_dev *sd, struct sim_req *req)
{
	lockdep_assert_held(&sd->lock);
	if (req->cmd == SIM_ACT_LINK) {
		cti_card_set_link_state(sd->card, req->arg);
		return;
	}
	if (sd->mode == SIM_MODE_LINK &&
	    req->cmd != CTI_CMD_SEND_LINK_FRAME &&
	    req->cmd != CTI_CMD_DEV_SPECIFIC)
		cti_card_complete(sd->card, req->token, -EOPNOTSUPP,
				  CTI_CALL_NONE);
	else if (req->cmd == CTI_CMD_SEND_LINK_FRAME)
		sim_link_frame(sd, req);
	else if (req->cmd == CTI_CMD_DEV_SPECIFIC)
		cti_card_complete(sd->card, req->token, 0, CTI_CALL_NONE);
	else
		sim_switch_cmd(sd, req);
}

/*
 * A debugfs action on the far end, run at once in the writer's context
 * (under @lock, as every entry into the core), so that the write answers
 * whether it happened: -ENODEV (not live), -ENOENT (no such call),
 * -EINVAL (a call without an outside party, or bad digits).
 */
int sim_far_action(struct sim_dev *sd, u32 act, u32 arg, const char *text)
{
	static const struct sw_script ring = { };
	int ret;

	spin_lock(&sd->lock);
	if (!sd->running) {
		ret = -ENODEV;
	} else if (act == SIM_FAR_ACT_INBOUND) {
		/* An inbound caller with no script: it waits to be answered. */
		ret = sw_inbound(sd->sw, arg, text, &ring);
		/* Turned away (busy, DND, a forward loop): not the write's error. */
		if (ret == -EBUSY || ret == -EIO || ret == -ELOOP ||
		    ret == -EOPNOTSUPP)
			ret = 0;
	} else if (act == SIM_FAR_ACT_HANGUP) {
		ret = sw_farend_hangup(sd->sw, SW_LINE_NONE, arg);
	} else {
		ret = sw_farend_digits(sd->sw, SW_LINE_NONE, arg, text);
	}
	sim_recs_flush(sd);
	spin_unlock(&sd->lock);
	return ret == -EBUSY ? -EINVAL : ret;
}

/**
 * sim_phone_button() - a button of a line's phone is pressed or released
 * @sd: the card
 * @line: the line whose phone it is
 * @button: the button (0-9 digits, 10 '*', 11 '#', then features)
 * @pressed: 1 pressed, 0 released
 *
 * What a person does at the phone: the switch posts PHONE_BUTTON.
 *
 * Return: 0, -ENODEV (not running), -ENOENT (the line has no phone),
 * -EINVAL (no such button, or @pressed not 0 or 1).
 */
int sim_phone_button(struct sim_dev *sd, u32 line, u32 button, u32 pressed)
{
	int ret;

	spin_lock(&sd->lock);
	ret = sd->running ? sw_phone_button(sd->sw, line, button, pressed) :
			    -ENODEV;
	sim_recs_flush(sd);
	spin_unlock(&sd->lock);
	return ret;
}
