// SPDX-License-Identifier: GPL-2.0
/*
 * callctl_random: seeded random call control on a cti_sim card
 *
 * Issue 13, finding 1: the kernel's old switch freed a call leg that a
 * party still pointed at when a transfer was completed from a leg whose
 * party waited in a park slot (PARK, then UNHOLD or SETUP_TRANSFER, then
 * COMPLETE_TRANSFER), and a later DROP wrote through the pointer. The
 * exact sequences are in switch/sequences.txt (park_then_transfer_*);
 * this walk (switch/sw_walk.h, shared with tests/providers/
 * test_switch_walk) reaches such states at random: MAKE_CALL, ANSWER, DROP,
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
#include "../../switch/sw_walk.h"

#define LINES		4
#define STEPS		400

static uint64_t walk_id;	/* the last request id */


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
static int walk_do(struct sw_walk *w, struct cti_sim *sim, uint16_t cmd,
		   uint32_t line, uint32_t call, uint32_t call2,
		   const char *data)
{
	struct cti_evlog log = { 0 };
	const struct cti_event *ev;
	struct cti_ev_reply rep;
	int ret;

	if (cti_submit_cmd(sim->fd, cmd, ++walk_id, line, call, call2, 0, 0,
			   data))
		return -EPROTO;
	ret = cti_wait_reply(&sim->st, walk_id, &rep, &log, 5000);
	cti_evlog_for_each(&log, ev)
		sw_walk_track(w, ev);
	cti_evlog_free(&log);
	return ret ? ret : rep.error;
}

/* Take the records that follow the last REPLY (a DROP's IDLE, ...). */
static int walk_settle(struct sw_walk *w, struct cti_sim *sim)
{
	struct cti_evlog log = { 0 };
	const struct cti_event *ev;
	int ret = cti_drain(&sim->st, &log, 100);

	cti_evlog_for_each(&log, ev)
		sw_walk_track(w, ev);
	cti_evlog_free(&log);
	return ret < 0 ? ret : 0;
}

static int walk_step(struct sw_walk *w, struct cti_sim *sim, uint16_t *cmdp)
{
	struct sw_walk_cmd c;

	sw_walk_next(w, &c);
	*cmdp = c.cmd;
	return walk_do(w, sim, c.cmd, c.line, c.call, c.call2,
		       c.data[0] ? c.data : NULL);
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
	struct sw_walk w = { .seed = seed, .lines = LINES };
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
		struct sw_walk_call c[SW_WALK_CALLS];
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
