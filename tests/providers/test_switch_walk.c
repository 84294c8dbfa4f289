// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_switch_walk: the portable switch core (switch/) on its own, with a
 * fake host, under seeded random call control.
 *
 * Issue 13, finding 1: the kernel's old switch freed a call leg that a
 * party still pointed at, when a transfer was completed from a leg whose
 * party waited in a park slot (PARK, then UNHOLD or SETUP_TRANSFER, then
 * COMPLETE_TRANSFER), and a later DROP wrote through it. The exact
 * sequences are in switch/sequences.txt (park_then_transfer_*); here the
 * same commands, mostly aimed at calls in the state each wants
 * (switch/sw_walk.h, shared with the guest's selftests/cti/callctl_random),
 * walk four lines at random for many seeds. After every command the core's own
 * invariant checker (sw_check(): mutual peers, park slots holding their
 * parties, counts) must find nothing, nor may a call talk to no one; `make -C tests asan` runs the walk
 * under ASan and UBSan, which see any use after free. At the end every
 * call is dropped and nothing is left allocated.
 *
 * TH_SEED=n walks one seed; a failure names its seed and step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_impl.h"
#include "sw_walk.h"
#include "../harness.h"

#define LINES		4
#define STEPS		2000
#define SEEDS		200
#define MAX_TIMERS	256

/* The fake host: memory count, a timer list on a fake clock, the calls. */
struct walk {
	long allocs;
	u64 now;
	s64 next_timer;
	struct { s64 id; u64 due; struct sw_tmr *tmr; } timers[MAX_TIMERS];
	unsigned int ntimers;
	struct sw_walk walk;
	struct sw *sw;
};

static void *h_alloc(void *ctx, size_t size)
{
	struct walk *w = ctx;
	void *p = calloc(1, size);

	w->allocs += p != NULL;
	return p;
}

static void h_free(void *ctx, void *p)
{
	struct walk *w = ctx;

	w->allocs -= p != NULL;
	free(p);
}

static s64 h_timer_arm(void *ctx, u64 ms, struct sw_tmr *tmr)
{
	struct walk *w = ctx;

	if (w->ntimers == MAX_TIMERS)
		return -ENOMEM;
	w->timers[w->ntimers].id = ++w->next_timer;
	w->timers[w->ntimers].due = w->now + ms;
	w->timers[w->ntimers].tmr = tmr;
	w->ntimers++;
	return w->next_timer;
}

static void h_timer_cancel(void *ctx, s64 id)
{
	struct walk *w = ctx;
	unsigned int i;

	for (i = 0; i < w->ntimers; i++) {
		if (w->timers[i].id == id) {
			memmove(&w->timers[i], &w->timers[i + 1],
				(w->ntimers - i - 1) * sizeof(w->timers[0]));
			w->ntimers--;
			return;
		}
	}
}

/* The records tell the walk which calls there are. */
static void h_emit(void *ctx, const struct cti_event *ev)
{
	struct walk *w = ctx;

	sw_walk_track(&w->walk, ev);
}

static int h_line_find(void *ctx, const char *number, u32 *line)
{
	(void)ctx;
	char *end;
	unsigned long n = strtoul(number, &end, 10);

	if (*number && !*end && n >= 100 && n < 100 + LINES) {
		*line = n - 100;
		return 0;
	}
	return -ENOENT;
}

static void h_line_number(void *ctx, u32 line, char *buf)
{
	(void)ctx;
	snprintf(buf, CTI_NUMBER_MAX, "%u", 100 + line);
}

static int h_authorize(void *ctx, const struct sw_req *req, u32 line,
		       u32 reach)
{
	(void)ctx, (void)req, (void)line, (void)reach;
	return 0;	/* one trusted caller, as a kernel card */
}

static void h_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	if (level <= SW_LOG_ERR)
		fprintf(stderr, "  switch: %s\n", msg);
}

static const struct sw_host_ops walk_ops = {
	.alloc = h_alloc,
	.free = h_free,
	.timer_arm = h_timer_arm,
	.timer_cancel = h_timer_cancel,
	.emit = h_emit,
	.line_find = h_line_find,
	.line_number = h_line_number,
	.authorize = h_authorize,
	.log = h_log,
};

/* Let @ms pass on the fake clock, firing what falls due, in order. */
static void walk_run(struct walk *w, u64 ms)
{
	u64 end = w->now + ms;

	for (;;) {
		unsigned int i, first = 0;
		struct sw_tmr *tmr;
		s64 id;

		if (!w->ntimers)
			break;
		for (i = 1; i < w->ntimers; i++)
			if (w->timers[i].due < w->timers[first].due)
				first = i;
		if (w->timers[first].due > end)
			break;
		w->now = w->timers[first].due;
		tmr = w->timers[first].tmr;
		id = w->timers[first].id;
		h_timer_cancel(w, id);
		sw_tmr_fire(w->sw, tmr, id);
	}
	w->now = end;
}

static int walk_submit(struct walk *w, u32 cmd, u32 line, u32 call,
		       u32 call2, const char *data)
{
	struct sw_req req = {
		.cmd = cmd, .line = line, .call = call, .call2 = call2,
		.data = data, .data_len = strlen(data),
	};
	u32 made;

	return sw_submit(w->sw, &req, &made);
}

static int walk_step(struct walk *w, u32 *cmdp)
{
	struct sw_walk_cmd c;

	sw_walk_next(&w->walk, &c);
	*cmdp = c.cmd;
	return walk_submit(w, c.cmd, c.line, c.call, c.call2, c.data);
}

/*
 * Beyond sw_check(): a call that talks (CONNECTED, RINGBACK) has someone
 * to talk to, a line's call or a far end, unless its own party waits in a
 * park slot. A transfer that joined a party with nobody left one talking
 * to no one (issue 13, finding 1). Returns the breaches.
 */
static unsigned int walk_lonely(const struct walk *w)
{
	unsigned int line, bad = 0;
	const struct sw_call *c;

	for (line = 0; line < LINES; line++)
		for (c = w->sw->lines[line].calls; c; c = c->next)
			if ((c->state == CTI_CALL_CONNECTED ||
			     c->state == CTI_CALL_RINGBACK) &&
			    !c->peer && !c->fe && !c->parked && !c->conf)
				bad++;
	return bad;
}

/* One seed; returns false (after saying why) on the first breach. */
static bool walk_seed(unsigned int seed, unsigned int *ok)
{
	const struct sw_config cfg = {
		.lines = LINES, .max_calls = 3, .park_slots = 4,
		.park_first = 700, .forward_noanswer_ms = 3000,
	};
	struct walk *w = calloc(1, sizeof(*w));
	unsigned int step, i;
	bool good = true;
	u32 cmd;
	int err;

	T_ASSERT(w, "calloc");
	w->walk.seed = seed;
	w->walk.lines = LINES;
	w->sw = sw_new(&walk_ops, w, &cfg);
	T_ASSERT(w->sw, "sw_new");
	for (step = 0; step < STEPS && good; step++) {
		err = walk_step(w, &cmd);
		if (err && err != -EBUSY && err != -ENOENT && err != -EINVAL &&
		    err != -EOPNOTSUPP) {
			t_note("seed %u step %u: cmd %u: errno %d", seed, step,
			       cmd, err);
			good = false;
		}
		w->walk.ok[cmd] += !err;
		walk_run(w, sw_walk_rand(&w->walk, 4) ? 0 :
			 sw_walk_rand(&w->walk, 4000));
		if (sw_check(w->sw) || walk_lonely(w)) {
			t_note("seed %u step %u: cmd %u broke an invariant",
			       seed, step, cmd);
			good = false;
		}
	}
	/* Every call can be dropped, the disconnected parties too. */
	for (i = 0; i < 4 && w->walk.ncalls && good; i++) {
		struct sw_walk_call calls[SW_WALK_CALLS];
		unsigned int j, n = w->walk.ncalls;

		memcpy(calls, w->walk.calls, sizeof(calls));
		for (j = 0; j < n; j++)
			walk_submit(w, CTI_CMD_DROP, calls[j].line,
				    calls[j].call, 0, "");
	}
	if (good && w->walk.ncalls) {
		t_note("seed %u: %u calls left after dropping all", seed,
		       w->walk.ncalls);
		good = false;
	}
	for (i = 0; i < CTI_CMD_MAX; i++)
		ok[i] += w->walk.ok[i];
	sw_free(w->sw);
	if (good && w->allocs) {
		t_note("seed %u: %ld allocations left", seed, w->allocs);
		good = false;
	}
	free(w);
	return good;
}

static void random_call_control(void)
{
	unsigned int ok[CTI_CMD_MAX] = { 0 }, seed, first = 1, last = SEEDS;

	if (getenv("TH_SEED"))
		first = last = strtoul(getenv("TH_SEED"), NULL, 0);
	for (seed = first; seed <= last; seed++)
		T_ASSERT(walk_seed(seed, ok), "seed %u (TH_SEED=%u repeats it)",
			 seed, seed);
	t_note("%u seeds x %u steps: %u answered, %u parked, %u unparked, %u consultations, %u transfers",
	       last - first + 1, STEPS, ok[CTI_CMD_ANSWER], ok[CTI_CMD_PARK],
	       ok[CTI_CMD_UNPARK], ok[CTI_CMD_SETUP_TRANSFER],
	       ok[CTI_CMD_COMPLETE_TRANSFER]);
	/* The walk reached the states of the finding, not only errors. */
	T_EXPECT(ok[CTI_CMD_PARK] > 0 && ok[CTI_CMD_COMPLETE_TRANSFER] > 0,
		 "no park or no transfer succeeded");
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE_TIMEOUT(random_call_control, 120),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
