/* SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later */
/*
 * sw_walk.h - a seeded random walk of call-control commands, for tests.
 *
 * Not part of the switch: the two tests that walk it at random share it,
 * tests/providers/test_switch_walk.c (the core with a fake host, under
 * ASan) and selftests/cti/callctl_random.c (a cti_sim card in the guest).
 * Issue 13, finding 1 was reached by such walks: a transfer completed from
 * a leg whose party waits in a park slot. The walk picks MAKE_CALL,
 * ANSWER, DROP, HOLD, UNHOLD, PARK, UNPARK, SETUP_TRANSFER and
 * COMPLETE_TRANSFER on @lines lines numbered 100 and up, mostly for a call
 * in the state the command wants, which it learns from the CALL_STATE
 * records the caller hands to sw_walk_track(); now and then a handle that
 * does not exist, so that the errors are walked too.
 */
#ifndef _SW_WALK_H
#define _SW_WALK_H

#include "sw_port.h"

#define SW_WALK_CALLS	64
#define SW_WALK_ANY	0xffffffffU
#define SW_WALK_NCMDS	15	/* entries of sw_walk_next()'s table */

struct sw_walk_call {
	u32 line;
	u32 call;
	u32 state;
	u32 related;
};

/**
 * struct sw_walk - the walk's state
 * @seed: the generator's state; set it, then zero the rest
 * @lines: lines to walk (1 .. 9)
 * @calls: the calls the records announced and did not end
 * @ncalls: entries of @calls
 * @ok: successes per command, counted by the caller
 */
struct sw_walk {
	u32 seed;
	u32 lines;
	struct sw_walk_call calls[SW_WALK_CALLS];
	u32 ncalls;
	u32 ok[CTI_CMD_MAX];
};

/* One command the walk chose; @data is NUL-terminated. */
struct sw_walk_cmd {
	u16 cmd;
	u32 line;
	u32 call;
	u32 call2;
	char data[8];
};

/* xorshift32: the same walk for a seed on every host. */
static inline u32 sw_walk_rand(struct sw_walk *w, u32 n)
{
	u32 x = w->seed ? w->seed : 0x9e3779b9U;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	w->seed = x;
	return x % n;
}

/* Follow a record: CALL_STATE adds, updates or (IDLE) ends a call. */
static inline void sw_walk_track(struct sw_walk *w, const struct cti_event *ev)
{
	const struct cti_ev_call_state *cs = (const void *)ev;
	u32 i;

	if (ev->type != CTI_EV_CALL_STATE)
		return;
	for (i = 0; i < w->ncalls; i++)
		if (w->calls[i].line == ev->line && w->calls[i].call == cs->call)
			break;
	if (cs->state == CTI_CALL_IDLE) {
		if (i < w->ncalls)
			w->calls[i] = w->calls[--w->ncalls];
		return;
	}
	if (i == w->ncalls) {
		if (w->ncalls == SW_WALK_CALLS)
			return;
		w->ncalls++;
	}
	w->calls[i].line = ev->line;
	w->calls[i].call = cs->call;
	w->calls[i].state = cs->state;
	w->calls[i].related = cs->related_call;
}

static inline bool sw_walk_match(const struct sw_walk_call *c, u32 line,
				 u32 state)
{
	return c->line == line && (state == SW_WALK_ANY || c->state == state);
}

/*
 * A call of @line in @state (SW_WALK_ANY: any state; another when none is
 * in @state), or, now and then or when @line has none, a made-up handle.
 */
static inline struct sw_walk_call sw_walk_pick(struct sw_walk *w, u32 line,
					       u32 state)
{
	struct sw_walk_call none = { line, 0, SW_WALK_ANY, 0 };
	u32 i, n = 0, k;

	for (i = 0; i < w->ncalls; i++)
		n += sw_walk_match(&w->calls[i], line, state);
	if (!n && state != SW_WALK_ANY)
		return sw_walk_pick(w, line, SW_WALK_ANY);
	if (!n || !sw_walk_rand(w, 16)) {
		none.call = 1 + sw_walk_rand(w, 200);
		return none;
	}
	k = sw_walk_rand(w, n);
	for (i = 0; i < w->ncalls; i++)
		if (sw_walk_match(&w->calls[i], line, state) && !k--)
			return w->calls[i];
	return none;
}

/* The state a command wants its call in, or SW_WALK_ANY. */
static inline u32 sw_walk_wants(u16 cmd)
{
	switch (cmd) {
	case CTI_CMD_ANSWER:
		return CTI_CALL_OFFERING;
	case CTI_CMD_UNHOLD:
		return CTI_CALL_ONHOLD;
	case CTI_CMD_COMPLETE_TRANSFER:
		return CTI_CALL_ONHOLDPENDTRANSFER;
	case CTI_CMD_DROP:
		return SW_WALK_ANY;
	default:
		return CTI_CALL_CONNECTED;
	}
}

/* Choose the next command into @out. */
static inline void sw_walk_next(struct sw_walk *w, struct sw_walk_cmd *out)
{
	static const u16 cmds[SW_WALK_NCMDS] = {
		CTI_CMD_MAKE_CALL, CTI_CMD_MAKE_CALL, CTI_CMD_ANSWER,
		CTI_CMD_ANSWER, CTI_CMD_ANSWER, CTI_CMD_DROP, CTI_CMD_DROP,
		CTI_CMD_HOLD, CTI_CMD_UNHOLD, CTI_CMD_PARK, CTI_CMD_UNPARK,
		CTI_CMD_SETUP_TRANSFER, CTI_CMD_SETUP_TRANSFER,
		CTI_CMD_COMPLETE_TRANSFER, CTI_CMD_COMPLETE_TRANSFER,
	};
	u16 cmd = cmds[sw_walk_rand(w, SW_WALK_NCMDS)];
	u32 line = sw_walk_rand(w, w->lines);
	u32 state = sw_walk_rand(w, 4) ? sw_walk_wants(cmd) : SW_WALK_ANY;
	struct sw_walk_call c = sw_walk_pick(w, line, state);

	memset(out, 0, sizeof(*out));
	out->cmd = cmd;
	out->line = line;
	if (cmd == CTI_CMD_MAKE_CALL || cmd == CTI_CMD_SETUP_TRANSFER) {
		out->data[0] = '1';
		out->data[1] = '0';
		out->data[2] = '0' + sw_walk_rand(w, w->lines);
	} else if (cmd == CTI_CMD_UNPARK) {
		memcpy(out->data, sw_walk_rand(w, 2) ? "700" : "701", 4);
	}
	if (cmd != CTI_CMD_MAKE_CALL && cmd != CTI_CMD_UNPARK)
		out->call = c.call;
	if (cmd == CTI_CMD_COMPLETE_TRANSFER)
		out->call2 = c.related && sw_walk_rand(w, 4) ? c.related :
			     sw_walk_pick(w, line, SW_WALK_ANY).call;
}

#endif /* _SW_WALK_H */
