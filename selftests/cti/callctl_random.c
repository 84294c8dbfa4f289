// SPDX-License-Identifier: GPL-2.0
/*
 * callctl_random: seeded random call control on a cti_sim card
 *
 * Issue 13, finding 1: the kernel's old switch freed a call leg that a
 * party still pointed at when a transfer was completed from a leg whose
 * party waited in a park slot (PARK, then UNHOLD or SETUP_TRANSFER, then
 * COMPLETE_TRANSFER), and a later DROP wrote through the pointer. The
 * exact sequences are in switch/sequences.txt (park_then_transfer_*);
 * this walk reaches such states at random: MAKE_CALL, ANSWER, DROP,
 * HOLD, UNHOLD, PARK, UNPARK, SETUP_TRANSFER and COMPLETE_TRANSFER on
 * four lines, with the calls the records name (mostly one in the state
 * the command wants). Every request must get
 * its REPLY with a documented errno; at the end every call can be
 * dropped and the snapshot is empty. A memory error shows in the guest's
 * kernel log (slub_debug, KASAN), which fails the run.
 *
 * CTI_SEED=n walks one seed; a failure names its seed and step.
 */
#include "cti_test.h"
#include "kselftest_harness.h"

#define LINES		4
#define STEPS		400
#define MAX_CALLS	64

struct walk_call {
	uint32_t line, call, state, related;
};

struct walk {
	unsigned int seed;
	unsigned int ok[CTI_CMD_MAX];	/* successes per command */
	struct walk_call calls[MAX_CALLS];
	unsigned int ncalls;
	uint64_t id;
};

static unsigned int walk_rand(struct walk *w, unsigned int n)
{
	return rand_r(&w->seed) % n;
}

/* Follow the calls the CALL_STATE records announce and end. */
static void walk_track(struct walk *w, const struct cti_event *ev)
{
	const struct cti_ev_call_state *cs = (const void *)ev;
	unsigned int i;

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
		if (w->ncalls == MAX_CALLS)
			return;
		w->ncalls++;
	}
	w->calls[i] = (struct walk_call){ ev->line, cs->call, cs->state,
					  cs->related_call };
}

static bool walk_match(const struct walk_call *c, uint32_t line,
		       uint32_t state)
{
	return c->line == line && (state == ~0u || c->state == state);
}

/*
 * A call of @line the walk knows, in @state if it has one (~0u: any), or
 * a made-up handle now and then, so that errors are walked too.
 */
static const struct walk_call *walk_pick(struct walk *w, uint32_t line,
					 uint32_t state)
{
	static const struct walk_call none = { 0, 0, ~0u, 0 };
	static struct walk_call made_up;
	unsigned int i, n = 0, k;

	for (i = 0; i < w->ncalls; i++)
		n += walk_match(&w->calls[i], line, state);
	if (!n && state != ~0u)
		return walk_pick(w, line, ~0u);
	if (!n || !walk_rand(w, 16)) {
		made_up = none;
		made_up.call = 1 + walk_rand(w, 200);
		return &made_up;
	}
	k = walk_rand(w, n);
	for (i = 0; i < w->ncalls; i++)
		if (walk_match(&w->calls[i], line, state) && !k--)
			return &w->calls[i];
	return &none;
}

static bool errno_documented(int32_t err)
{
	return !err || err == -EBUSY || err == -ENOENT || err == -EINVAL ||
	       err == -EOPNOTSUPP;
}

/*
 * Submit one command and wait for its REPLY, tracking the calls in the
 * records on the way. Return: the REPLY's error, or a test failure as
 * -EPROTO (the ioctl failed) or the stream's error.
 */
static int walk_do(struct walk *w, struct cti_sim *sim, uint16_t cmd,
		   uint32_t line, uint32_t call, uint32_t call2,
		   const char *data)
{
	struct cti_evlog log = { 0 };
	const struct cti_event *ev;
	struct cti_ev_reply rep;
	int ret;

	if (cti_submit_cmd(sim->fd, cmd, ++w->id, line, call, call2, 0, 0,
			   data))
		return -EPROTO;
	ret = cti_wait_reply(&sim->st, w->id, &rep, &log, 5000);
	cti_evlog_for_each(&log, ev)
		walk_track(w, ev);
	cti_evlog_free(&log);
	return ret ? ret : rep.error;
}

/* Take the records that follow the last REPLY (a DROP's IDLE, ...). */
static int walk_settle(struct walk *w, struct cti_sim *sim)
{
	struct cti_evlog log = { 0 };
	const struct cti_event *ev;
	int ret = cti_drain(&sim->st, &log, 100);

	cti_evlog_for_each(&log, ev)
		walk_track(w, ev);
	cti_evlog_free(&log);
	return ret < 0 ? ret : 0;
}

static int walk_step(struct walk *w, struct cti_sim *sim, uint16_t *cmdp)
{
	static const uint16_t cmds[] = {
		CTI_CMD_MAKE_CALL, CTI_CMD_MAKE_CALL, CTI_CMD_ANSWER,
		CTI_CMD_ANSWER, CTI_CMD_ANSWER, CTI_CMD_DROP, CTI_CMD_DROP,
		CTI_CMD_HOLD, CTI_CMD_UNHOLD, CTI_CMD_PARK, CTI_CMD_UNPARK,
		CTI_CMD_SETUP_TRANSFER, CTI_CMD_SETUP_TRANSFER,
		CTI_CMD_COMPLETE_TRANSFER, CTI_CMD_COMPLETE_TRANSFER,
	};
	uint16_t cmd = cmds[walk_rand(w, ARRAY_SIZE(cmds))];
	uint32_t line = walk_rand(w, LINES), state = ~0u, call, call2;
	const struct walk_call *c;
	char number[8];

	*cmdp = cmd;
	/* Mostly a call in the state the command wants: deeper states. */
	if (walk_rand(w, 4)) {
		if (cmd == CTI_CMD_ANSWER)
			state = CTI_CALL_OFFERING;
		else if (cmd == CTI_CMD_UNHOLD)
			state = CTI_CALL_ONHOLD;
		else if (cmd == CTI_CMD_COMPLETE_TRANSFER)
			state = CTI_CALL_ONHOLDPENDTRANSFER;
		else if (cmd != CTI_CMD_DROP)
			state = CTI_CALL_CONNECTED;
	}
	c = walk_pick(w, line, state);
	call = c->call;
	call2 = c->related && walk_rand(w, 4) ? c->related :
		walk_pick(w, line, ~0u)->call;
	snprintf(number, sizeof(number), "%u", 100 + walk_rand(w, LINES));
	switch (cmd) {
	case CTI_CMD_MAKE_CALL:
		return walk_do(w, sim, cmd, line, 0, 0, number);
	case CTI_CMD_SETUP_TRANSFER:
		return walk_do(w, sim, cmd, line, call, 0, number);
	case CTI_CMD_PARK:
		return walk_do(w, sim, cmd, line, call, 0, "");
	case CTI_CMD_UNPARK:
		return walk_do(w, sim, cmd, line, 0, 0,
			       walk_rand(w, 2) ? "700" : "701");
	case CTI_CMD_COMPLETE_TRANSFER:
		return walk_do(w, sim, cmd, line, call, call2, NULL);
	default:
		return walk_do(w, sim, cmd, line, call, 0, NULL);
	}
}

static int snapshot_calls(int fd)
{
	struct cti_line_snapshot lines[LINES];
	struct cti_call_snapshot calls[LINES * 8];
	struct cti_snapshot s;

	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.num_lines = LINES;
	s.num_calls = ARRAY_SIZE(calls);
	s.lines = (uintptr_t)lines;
	s.calls = (uintptr_t)calls;
	if (cti_ioctl(fd, CTI_IOC_SNAPSHOT, &s))
		return -1;
	return s.num_calls;
}

static void walk_seed(struct __test_metadata *_metadata, unsigned int seed)
{
	struct walk w = { .seed = seed };
	struct cti_sim sim;
	unsigned int step, pass;
	uint16_t cmd;
	int err;

	ASSERT_EQ(0, cti_sim_create(&sim, LINES, 0, "call"));
	for (step = 0; step < STEPS; step++) {
		err = walk_step(&w, &sim, &cmd);
		ASSERT_TRUE(errno_documented(err))
			TH_LOG("seed %u step %u: cmd %u answered %d", seed,
			       step, cmd, err);
		w.ok[cmd] += !err;
	}
	TH_LOG("seed %u: %u calls made, %u answered, %u parked, %u unparked, %u consultations, %u transfers",
	       seed, w.ok[CTI_CMD_MAKE_CALL], w.ok[CTI_CMD_ANSWER],
	       w.ok[CTI_CMD_PARK], w.ok[CTI_CMD_UNPARK],
	       w.ok[CTI_CMD_SETUP_TRANSFER], w.ok[CTI_CMD_COMPLETE_TRANSFER]);
	/* The walk went past the errors into real call states. */
	ASSERT_LT(0, w.ok[CTI_CMD_ANSWER]);
	ASSERT_LT(0, w.ok[CTI_CMD_PARK] + w.ok[CTI_CMD_SETUP_TRANSFER]);
	ASSERT_EQ(0, walk_settle(&w, &sim));
	/* Every call ends; a party-less one as well as any other. */
	for (pass = 0; pass < 4 && w.ncalls; pass++) {
		struct walk_call c[MAX_CALLS];
		unsigned int i, n = w.ncalls;

		memcpy(c, w.calls, sizeof(c));
		for (i = 0; i < n; i++) {
			err = walk_do(&w, &sim, CTI_CMD_DROP, c[i].line,
				      c[i].call, 0, NULL);
			ASSERT_TRUE(!err || err == -ENOENT)
				TH_LOG("seed %u: DROP at the end: %d", seed,
				       err);
		}
		ASSERT_EQ(0, walk_settle(&w, &sim));
	}
	ASSERT_EQ(0, w.ncalls) TH_LOG("seed %u: calls left", seed);
	ASSERT_EQ(0, snapshot_calls(sim.fd)) TH_LOG("seed %u", seed);
	cti_sim_destroy(&sim);
}

FIXTURE(walk) {
};

FIXTURE_SETUP(walk)
{
}

FIXTURE_TEARDOWN(walk)
{
}

TEST_F_TIMEOUT(walk, random_call_control, 600)
{
	const char *env = getenv("CTI_SEED");
	unsigned int seed;

	if (env) {
		walk_seed(_metadata, strtoul(env, NULL, 0));
		return;
	}
	for (seed = 1; seed <= 4; seed++)
		walk_seed(_metadata, seed);
}

TEST_HARNESS_MAIN
