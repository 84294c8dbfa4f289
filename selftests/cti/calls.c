// SPDX-License-Identifier: GPL-2.0
/*
 * calls: every call-control command through the cti_sim switch.
 *
 * Each test makes its own card (4 lines numbered 100..103, 4 phones) and
 * checks the exact sequence of CALL_STATE records on every line, written
 * as a string: "0:DIALING 1:OFFERING 0:RINGBACK" is line 0 DIALING, then
 * line 1 OFFERING (reason DIRECT, which is 0 and so not shown), then line 0
 * RINGBACK; a non-zero reason follows a slash ("1:IDLE/NORMAL"). The
 * sequences are the ones kernel/sim/README.md documents. Every request id
 * must be answered by exactly one REPLY, failed commands included: the
 * teardown drains the card and counts them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "cti_test.h"

#define QUIET_MS	150	/* no record for this long: the switch is idle */
#define WAIT_MS		3000	/* the longest a record may take */
#define MAX_IDS		1024

static const char *const state_names[CTI_CALL_STATE_MAX] = {
	"IDLE", "OFFERING", "ACCEPTED", "DIALTONE", "DIALING", "RINGBACK",
	"BUSY", "SPECIALINFO", "CONNECTED", "PROCEEDING", "ONHOLD",
	"CONFERENCED", "ONHOLDPENDCONF", "ONHOLDPENDTRANSFER",
	"DISCONNECTED", "UNKNOWN",
};

static const char *const disc_names[] = {
	"NONE", "NORMAL", "BUSY", "NO_ANSWER", "REJECTED", "UNREACHABLE",
	"BAD_ADDRESS", "CONGESTION", "PICKUP", "FORWARDED", "TRANSFERRED",
	"REDIRECTED", "OUT_OF_ORDER", "DND",
};

static const char *const offer_names[] = {
	"DIRECT", "TRANSFER", "FORWARD", "PICKUP", "REDIRECT", "UNPARK",
};

FIXTURE(calls) {
	struct cti_sim sim;
	struct cti_evlog log;		/* records since the last request */
	uint64_t next_id;
	unsigned int replies[MAX_IDS];	/* REPLY records seen per id */
	unsigned char made[MAX_IDS];	/* the submit made a request */
	int submit_err;			/* the last submit's own error */
	char buf[4096];
};

FIXTURE_SETUP(calls)
{
	memset(self->replies, 0, sizeof(self->replies));
	memset(self->made, 0, sizeof(self->made));
	memset(&self->log, 0, sizeof(self->log));
	self->next_id = 0;
	ASSERT_EQ(0, cti_sim_create(&self->sim, 4, 4, "call"));
}

/* Keep a record: REPLY records are counted per id. */
static int take(FIXTURE_DATA(calls) *self, const struct cti_event *ev)
{
	if (ev->type == CTI_EV_REPLY) {
		const struct cti_ev_reply *r = (const void *)ev;

		if (r->id < MAX_IDS)
			self->replies[r->id]++;
	}
	return cti_evlog_add(&self->log, ev);
}

/* Collect records until the card has been quiet for @quiet_ms. */
static int pump(FIXTURE_DATA(calls) *self, int quiet_ms)
{
	const struct cti_event *ev;
	int ret;

	for (;;) {
		ret = cti_stream_next(&self->sim.st, &ev, quiet_ms);
		if (ret <= 0)
			return ret;
		ret = take(self, ev);
		if (ret)
			return ret;
	}
}

FIXTURE_TEARDOWN(calls)
{
	uint64_t id;

	if (self->sim.fd >= 0 && _metadata->passed) {
		pump(self, QUIET_MS);
		for (id = 1; id <= self->next_id && id < MAX_IDS; id++) {
			if (self->replies[id] != self->made[id])
				TH_LOG("request %llu: %u REPLY records",
				       (unsigned long long)id, self->replies[id]);
			EXPECT_EQ(self->made[id], self->replies[id]);
		}
	}
	cti_evlog_free(&self->log);
	cti_sim_destroy(&self->sim);
}

/*
 * Submit a command and wait for its REPLY and for the switch to go quiet.
 * The records from before are forgotten, those that follow are in
 * self->log. Return: the REPLY's error (0 or -errno), or 1 when the submit
 * itself failed (its errno is in self->submit_err). *@call gets the REPLY's
 * call.
 */
static int do_req(FIXTURE_DATA(calls) *self, uint16_t cmd, uint32_t line,
		  uint32_t call, uint32_t call2, uint32_t arg, uint32_t arg2,
		  const char *s, uint32_t *newcall)
{
	const struct cti_event *ev;
	const struct cti_ev_reply *r;
	uint64_t id = ++self->next_id;
	int64_t end = cti_now_ms() + WAIT_MS;
	int ret, error = 0, got = 0;

	cti_evlog_free(&self->log);
	self->submit_err = cti_submit_cmd(self->sim.fd, cmd, id, line, call,
					  call2, arg, arg2, s);
	if (self->submit_err) {
		/* No request was made: nothing may answer this id. */
		pump(self, QUIET_MS);
		return 1;
	}
	if (id < MAX_IDS)
		self->made[id] = 1;
	while (!got) {
		int left = (int)(end - cti_now_ms());

		ret = cti_stream_next(&self->sim.st, &ev, left > 0 ? left : 0);
		if (ret <= 0)
			return ret ? ret : -ETIMEDOUT * 1000;
		take(self, ev);
		r = (const void *)ev;
		if (ev->type == CTI_EV_REPLY && r->id == id) {
			got = 1;
			error = r->error;
			if (newcall)
				*newcall = r->call;
		}
	}
	pump(self, QUIET_MS);
	return error;
}

#define REQ(cmd, line, call, call2, arg, arg2, s, newcall) \
	do_req(self, cmd, line, call, call2, arg, arg2, s, newcall)

/* Wait until line @line posts CALL_STATE @state, then for quiet. */
static int wait_state(FIXTURE_DATA(calls) *self, uint32_t line,
		      uint32_t state)
{
	const struct cti_ev_call_state *cs;
	const struct cti_event *ev;
	int64_t end = cti_now_ms() + WAIT_MS;
	int ret;

	cti_evlog_for_each(&self->log, ev) {
		cs = (const void *)ev;
		if (ev->type == CTI_EV_CALL_STATE && ev->line == line &&
		    cs->state == state)
			return pump(self, QUIET_MS);
	}
	for (;;) {
		int left = (int)(end - cti_now_ms());

		ret = cti_stream_next(&self->sim.st, &ev, left > 0 ? left : 0);
		if (ret <= 0)
			return ret ? ret : -ETIMEDOUT;
		take(self, ev);
		cs = (const void *)ev;
		if (ev->type == CTI_EV_CALL_STATE && ev->line == line &&
		    cs->state == state)
			return pump(self, QUIET_MS);
	}
}

/* The CALL_STATE records of self->log as "L:STATE[/REASON] ..." */
static const char *states(FIXTURE_DATA(calls) *self)
{
	const struct cti_ev_call_state *cs;
	const struct cti_event *ev;
	size_t len = 0;

	self->buf[0] = '\0';
	cti_evlog_for_each(&self->log, ev) {
		const char *name = "?", *reason = NULL;

		if (ev->type != CTI_EV_CALL_STATE)
			continue;
		cs = (const void *)ev;
		if (cs->state < CTI_CALL_STATE_MAX)
			name = state_names[cs->state];
		if (cs->reason && (cs->state == CTI_CALL_IDLE ||
				   cs->state == CTI_CALL_DISCONNECTED))
			reason = cs->reason < sizeof(disc_names) /
					      sizeof(disc_names[0]) ?
				 disc_names[cs->reason] : "?";
		else if (cs->reason && cs->state == CTI_CALL_OFFERING)
			reason = cs->reason < sizeof(offer_names) /
					      sizeof(offer_names[0]) ?
				 offer_names[cs->reason] : "?";
		else if (cs->reason)
			reason = "BAD";
		len += snprintf(self->buf + len, sizeof(self->buf) - len,
				"%s%u:%s%s%s", len ? " " : "", ev->line, name,
				reason ? "/" : "", reason ? reason : "");
		if (len >= sizeof(self->buf))
			break;
	}
	return self->buf;
}

/* The @n-th (from 0) CALL_STATE record of self->log, or NULL. */
static const struct cti_ev_call_state *nth_state(FIXTURE_DATA(calls) *self,
						 unsigned int n)
{
	const struct cti_event *ev;

	cti_evlog_for_each(&self->log, ev)
		if (ev->type == CTI_EV_CALL_STATE && !n--)
			return (const void *)ev;
	return NULL;
}

/* The first record of @type about @line in self->log, or NULL. */
static const void *find_ev(FIXTURE_DATA(calls) *self, uint16_t type,
			   uint32_t line)
{
	const struct cti_event *ev;

	cti_evlog_for_each(&self->log, ev)
		if (ev->type == type && ev->line == line)
			return ev;
	return NULL;
}

/*
 * The position in self->log of the first CALL_STATE or CALL_INFO (@type)
 * record about @call, or -1.
 */
static int first_about(FIXTURE_DATA(calls) *self, uint16_t type,
		       uint32_t call)
{
	const struct cti_event *ev;
	int i = 0;

	cti_evlog_for_each(&self->log, ev) {
		const struct cti_ev_call_state *cs = (const void *)ev;
		const struct cti_ev_call_info *ci = (const void *)ev;

		if (ev->type == type &&
		    (type == CTI_EV_CALL_STATE ? cs->call : ci->call) == call)
			return i;
		i++;
	}
	return -1;
}

/* A new call's parties come first: its CALL_INFO before any CALL_STATE. */
#define EXPECT_INFO_FIRST(call) do { \
	int _info = first_about(self, CTI_EV_CALL_INFO, call); \
	int _state = first_about(self, CTI_EV_CALL_STATE, call); \
	EXPECT_LE(0, _info); \
	EXPECT_LT(_info, _state) \
		TH_LOG("call %u: CALL_INFO at %d, CALL_STATE at %d", \
		       (unsigned int)(call), _info, _state); \
} while (0)

/* The last CALL_INFO about @call in self->log, or NULL. */
static const struct cti_ev_call_info *last_info(FIXTURE_DATA(calls) *self,
						uint32_t call)
{
	const struct cti_ev_call_info *ci, *last = NULL;
	const struct cti_event *ev;

	cti_evlog_for_each(&self->log, ev) {
		ci = (const void *)ev;
		if (ev->type == CTI_EV_CALL_INFO && ci->call == call)
			last = ci;
	}
	return last;
}

/*
 * Whenever a call's other party changes (transfer, redirect, pickup,
 * unpark), its line is told who it now talks to: a CALL_INFO that changes
 * only the party's field, "called" for the call that dialled (@out), else
 * "caller".
 */
#define EXPECT_PARTY(call, out, number) do { \
	const struct cti_ev_call_info *_ci = last_info(self, call); \
	ASSERT_NE(NULL, _ci) TH_LOG("call %u: no CALL_INFO", \
				    (unsigned int)(call)); \
	EXPECT_EQ((out) ? CTI_CALL_INFO_CALLED : CTI_CALL_INFO_CALLER, \
		  _ci->changed); \
	EXPECT_STREQ(number, (out) ? _ci->called : _ci->caller); \
} while (0)

/*
 * A party joining a conference learns that it talks to the conference: a
 * CALL_INFO with RELATED alone, related_call the conference's id (@conf).
 */
#define EXPECT_CONF_RELATED(call, conf) do { \
	const struct cti_ev_call_info *_ci = last_info(self, call); \
	ASSERT_NE(NULL, _ci) TH_LOG("call %u: no CALL_INFO", \
				    (unsigned int)(call)); \
	EXPECT_EQ(CTI_CALL_INFO_RELATED, _ci->changed); \
	EXPECT_EQ(conf, _ci->related_call); \
} while (0)

static unsigned int count_ev(FIXTURE_DATA(calls) *self, uint16_t type)
{
	const struct cti_event *ev;
	unsigned int n = 0;

	cti_evlog_for_each(&self->log, ev)
		n += ev->type == type;
	return n;
}

/* The handle of the newest call on @line seen in self->log (0: none). */
static uint32_t call_on(FIXTURE_DATA(calls) *self, uint32_t line)
{
	const struct cti_ev_call_state *cs;
	const struct cti_event *ev;
	uint32_t call = 0;

	cti_evlog_for_each(&self->log, ev) {
		cs = (const void *)ev;
		if (ev->type == CTI_EV_CALL_STATE && ev->line == line)
			call = cs->call;
	}
	return call;
}

#define EXPECT_STATES(want) do { \
	const char *_seen = states(self); \
	if (strcmp(want, _seen)) \
		TH_LOG("want \"%s\"\n  saw \"%s\"", want, _seen); \
	EXPECT_STREQ(want, _seen); \
} while (0)

/*
 * A command refused with @err, by the core at submit (no REPLY) or by the
 * card (a REPLY with @err): which one is the core's business.
 */
#define EXPECT_REFUSED(err, ret) do { \
	int _ret = (ret); \
	EXPECT_EQ(err, _ret == 1 ? self->submit_err : _ret); \
} while (0)

/*
 * Line @from calls line @to (numbers 100 + line) and @to answers: *@a is
 * @from's call, *@b @to's.
 */
static int connect_lines(struct __test_metadata *_metadata,
			 FIXTURE_DATA(calls) *self, uint32_t from, uint32_t to,
			 uint32_t *a, uint32_t *b)
{
	char number[16];

	snprintf(number, sizeof(number), "%u", 100 + to);
	if (REQ(CTI_CMD_MAKE_CALL, from, 0, 0, 0, 0, number, a))
		return -1;
	*b = call_on(self, to);
	if (!*a || !*b || REQ(CTI_CMD_ANSWER, to, *b, 0, 0, 0, NULL, NULL))
		return -1;
	return 0;
}

#define CONNECT(from, to, a, b) \
	ASSERT_EQ(0, connect_lines(_metadata, self, from, to, a, b))

/* ---- make, answer, drop ---------------------------------------------- */

TEST_F(calls, make_answer_drop)
{
	const struct cti_ev_call_info *ci;
	const struct cti_ev_call_state *cs;
	uint32_t c0 = 0, c1;

	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c0));
	EXPECT_STATES("0:DIALING 1:OFFERING 0:RINGBACK");
	ASSERT_NE(0, c0);
	cs = nth_state(self, 0);
	ASSERT_NE(NULL, cs);
	EXPECT_EQ(c0, cs->call);
	c1 = call_on(self, 1);
	ASSERT_NE(0, c1);
	EXPECT_NE(c0, c1);
	EXPECT_INFO_FIRST(c0);
	EXPECT_INFO_FIRST(c1);

	ci = find_ev(self, CTI_EV_CALL_INFO, 1);
	ASSERT_NE(NULL, ci);
	EXPECT_EQ(c1, ci->call);
	EXPECT_EQ(CTI_ORIGIN_INTERNAL, ci->origin);
	EXPECT_EQ(CTI_REASON_DIRECT, ci->reason);
	EXPECT_STREQ("100", ci->caller);
	EXPECT_STREQ("101", ci->called);
	ci = find_ev(self, CTI_EV_CALL_INFO, 0);
	ASSERT_NE(NULL, ci);
	EXPECT_EQ(c0, ci->call);
	EXPECT_EQ(CTI_ORIGIN_INTERNAL, ci->origin);

	ASSERT_EQ(0, REQ(CTI_CMD_ANSWER, 1, c1, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("1:CONNECTED 0:CONNECTED");

	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 0, c0, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:IDLE/NORMAL 1:DISCONNECTED/NORMAL");
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 1, c1, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("1:IDLE/NORMAL");

	/* The handles are gone. */
	EXPECT_EQ(-ENOENT, REQ(CTI_CMD_DROP, 0, c0, 0, 0, 0, NULL, NULL));
	EXPECT_EQ(-ENOENT, REQ(CTI_CMD_DROP, 1, c1, 0, 0, 0, NULL, NULL));
}

TEST_F(calls, caller_abandons)
{
	uint32_t c0 = 0;

	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c0));
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 0, c0, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:IDLE/NORMAL 1:DISCONNECTED/NORMAL");
}

TEST_F(calls, handles_unique)
{
	uint32_t h[6] = { 0 };
	int i, j;

	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &h[0]));
	h[1] = call_on(self, 1);
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 2, 0, 0, 0, 0, "103", &h[2]));
	h[3] = call_on(self, 3);
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "555", &h[4]));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 1, 0, 0, 0, 0, "556", &h[5]));
	for (i = 0; i < 6; i++) {
		EXPECT_NE(CTI_CALL_NONE, h[i]);
		for (j = 0; j < i; j++)
			EXPECT_NE(h[i], h[j]);
	}
}

TEST_F(calls, accept_then_answer)
{
	uint32_t c0 = 0, c1;

	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c0));
	c1 = call_on(self, 1);
	ASSERT_EQ(0, REQ(CTI_CMD_ACCEPT, 1, c1, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("1:ACCEPTED");
	EXPECT_EQ(-EBUSY, REQ(CTI_CMD_ACCEPT, 1, c1, 0, 0, 0, NULL, NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_ANSWER, 1, c1, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("1:CONNECTED 0:CONNECTED");
}

TEST_F(calls, busy)
{
	uint32_t c = 0;

	/* Line 1 takes SIM_MAX_CALLS (3) calls, then it is busy. */
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 2, 0, 0, 0, 0, "101", &c));
	EXPECT_STATES("2:DIALING 1:OFFERING 2:RINGBACK");
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 3, 0, 0, 0, 0, "101", &c));
	EXPECT_STATES("3:DIALING 1:OFFERING 3:RINGBACK");
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c));
	EXPECT_STATES("0:DIALING 0:BUSY 0:DISCONNECTED/BUSY");
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 0, c, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:IDLE/NORMAL");
	/* Calling yourself is busy too. */
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 2, 0, 0, 0, 0, "102", &c));
	EXPECT_STATES("2:DIALING 2:BUSY 2:DISCONNECTED/BUSY");
}

TEST_F(calls, wrong_state_and_unknown_call)
{
	uint32_t c0, c1;

	CONNECT(0, 1, &c0, &c1);
	EXPECT_EQ(-EBUSY, REQ(CTI_CMD_ANSWER, 1, c1, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("");
	EXPECT_EQ(-EBUSY, REQ(CTI_CMD_UNHOLD, 0, c0, 0, 0, 0, NULL, NULL));
	EXPECT_EQ(-EBUSY, REQ(CTI_CMD_REDIRECT, 1, c1, 0, 0, 0, "102", NULL));
	EXPECT_EQ(-ENOENT, REQ(CTI_CMD_ANSWER, 1, 0x7fffffff, 0, 0, 0, NULL,
			       NULL));
	/* A call of another line is no call of this one. */
	EXPECT_EQ(-ENOENT, REQ(CTI_CMD_HOLD, 2, c0, 0, 0, 0, NULL, NULL));
	EXPECT_EQ(-ENOENT, REQ(CTI_CMD_DROP, 1, c0, 0, 0, 0, NULL, NULL));
	EXPECT_EQ(-ENOENT, REQ(CTI_CMD_SWAP_HOLD, 0, c0, 12345, 0, 0, NULL,
			       NULL));
	EXPECT_EQ(-EBUSY, REQ(CTI_CMD_COMPLETE_TRANSFER, 0, c0, c0, 0, 0,
			      NULL, NULL));
	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_COMPLETE_TRANSFER, 0, c0, c0, 7, 0,
				    NULL, NULL));
	EXPECT_EQ(-EBUSY, REQ(CTI_CMD_ADD_TO_CONFERENCE, 0, c0, c0, 0, 0,
			      NULL, NULL));
	EXPECT_EQ(-EBUSY, REQ(CTI_CMD_REMOVE_FROM_CONFERENCE, 0, c0, 0, 0, 0,
			      NULL, NULL));
	EXPECT_STATES("");
	/* Nothing changed: the call still works. */
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 1, c1, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("1:IDLE/NORMAL 0:DISCONNECTED/NORMAL");
}

/* ---- hold ------------------------------------------------------------- */

TEST_F(calls, hold_unhold)
{
	uint32_t c0, c1;

	CONNECT(0, 1, &c0, &c1);
	ASSERT_EQ(0, REQ(CTI_CMD_HOLD, 0, c0, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:ONHOLD");
	EXPECT_EQ(-EBUSY, REQ(CTI_CMD_HOLD, 0, c0, 0, 0, 0, NULL, NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_UNHOLD, 0, c0, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:CONNECTED");
}

TEST_F(calls, swap_hold)
{
	uint32_t a0, a1, b0, b2;
	const struct cti_ev_call_state *cs;

	CONNECT(0, 1, &a0, &a1);
	ASSERT_EQ(0, REQ(CTI_CMD_HOLD, 0, a0, 0, 0, 0, NULL, NULL));
	CONNECT(0, 2, &b0, &b2);
	ASSERT_EQ(0, REQ(CTI_CMD_SWAP_HOLD, 0, b0, a0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:ONHOLD 0:CONNECTED");
	cs = nth_state(self, 0);
	ASSERT_NE(NULL, cs);
	EXPECT_EQ(b0, cs->call);
	cs = nth_state(self, 1);
	ASSERT_NE(NULL, cs);
	EXPECT_EQ(a0, cs->call);
	/* The active call must be CONNECTED and the other ONHOLD. */
	EXPECT_EQ(-EBUSY, REQ(CTI_CMD_SWAP_HOLD, 0, b0, a0, 0, 0, NULL, NULL));
}

/* ---- transfer --------------------------------------------------------- */

TEST_F(calls, blind_transfer)
{
	const struct cti_ev_call_state *cs;
	uint32_t c0, c1, c2;

	CONNECT(0, 1, &c0, &c1);
	ASSERT_EQ(0, REQ(CTI_CMD_BLIND_TRANSFER, 0, c0, 0, 0, 0, "102", NULL));
	EXPECT_STATES("0:IDLE/TRANSFERRED 2:OFFERING/TRANSFER 1:RINGBACK");
	cs = nth_state(self, 2);
	ASSERT_NE(NULL, cs);
	EXPECT_EQ(c1, cs->call);
	/* Line 1, called by 100, now waits for 102. */
	EXPECT_PARTY(c1, 0, "102");
	c2 = call_on(self, 2);
	ASSERT_EQ(0, REQ(CTI_CMD_ANSWER, 2, c2, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("2:CONNECTED 1:CONNECTED");
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 2, c2, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("2:IDLE/NORMAL 1:DISCONNECTED/NORMAL");
}

TEST_F(calls, blind_transfer_to_busy)
{
	uint32_t c0, c1;

	CONNECT(0, 1, &c0, &c1);
	ASSERT_EQ(0, REQ(CTI_CMD_SET_DND, 2, 0, 0, 1, 0, NULL, NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_BLIND_TRANSFER, 0, c0, 0, 0, 0, "102", NULL));
	EXPECT_STATES("0:IDLE/TRANSFERRED 1:DISCONNECTED/DND");
}

static void setup_consult(struct __test_metadata *_metadata,
			  FIXTURE_DATA(calls) *self, uint16_t cmd,
			  uint32_t *c0, uint32_t *c1, uint32_t *k0,
			  uint32_t *k2)
{
	const struct cti_ev_call_state *cs;
	const char *pend = cmd == CTI_CMD_SETUP_TRANSFER ?
		"0:ONHOLDPENDTRANSFER 0:DIALING 2:OFFERING 0:RINGBACK" :
		"0:ONHOLDPENDCONF 0:DIALING 2:OFFERING 0:RINGBACK";

	CONNECT(0, 1, c0, c1);
	*k0 = 0;
	ASSERT_EQ(0, REQ(cmd, 0, *c0, 0, 0, 0, "102", k0));
	EXPECT_STATES(pend);
	ASSERT_NE(0, *k0);
	cs = nth_state(self, 0);
	ASSERT_NE(NULL, cs);
	EXPECT_EQ(*c0, cs->call);
	EXPECT_EQ(*k0, cs->related_call);
	cs = nth_state(self, 1);
	ASSERT_NE(NULL, cs);
	EXPECT_EQ(*k0, cs->call);
	EXPECT_EQ(*c0, cs->related_call);
	*k2 = call_on(self, 2);
	ASSERT_EQ(0, REQ(CTI_CMD_ANSWER, 2, *k2, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("2:CONNECTED 0:CONNECTED");
}

TEST_F(calls, consultation_transfer)
{
	uint32_t c0, c1, k0, k2;

	setup_consult(_metadata, self, CTI_CMD_SETUP_TRANSFER, &c0, &c1, &k0,
		      &k2);
	ASSERT_EQ(0, REQ(CTI_CMD_COMPLETE_TRANSFER, 0, c0, k0,
			 CTI_TRANSFER_MODE_TRANSFER, 0, NULL, NULL));
	EXPECT_STATES("0:IDLE/TRANSFERRED 0:IDLE/TRANSFERRED");
	/* Lines 1 and 2 now talk to each other, and each is told so. */
	EXPECT_PARTY(c1, 0, "102");
	EXPECT_PARTY(k2, 0, "101");
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 1, c1, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("1:IDLE/NORMAL 2:DISCONNECTED/NORMAL");
}

TEST_F(calls, consultation_transfer_while_ringing)
{
	uint32_t c0, c1, k0 = 0, k2;

	CONNECT(0, 1, &c0, &c1);
	ASSERT_EQ(0, REQ(CTI_CMD_SETUP_TRANSFER, 0, c0, 0, 0, 0, "102", &k0));
	k2 = call_on(self, 2);
	ASSERT_EQ(0, REQ(CTI_CMD_COMPLETE_TRANSFER, 0, c0, k0,
			 CTI_TRANSFER_MODE_TRANSFER, 0, NULL, NULL));
	EXPECT_STATES("0:IDLE/TRANSFERRED 0:IDLE/TRANSFERRED 1:RINGBACK");
	ASSERT_EQ(0, REQ(CTI_CMD_ANSWER, 2, k2, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("2:CONNECTED 1:CONNECTED");
}

TEST_F(calls, consultation_dropped)
{
	uint32_t c0, c1, k0, k2;

	setup_consult(_metadata, self, CTI_CMD_SETUP_TRANSFER, &c0, &c1, &k0,
		      &k2);
	/* The consulted party hangs up: the held call is plainly held. */
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 2, k2, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("2:IDLE/NORMAL 0:DISCONNECTED/NORMAL");
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 0, k0, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:IDLE/NORMAL 0:ONHOLD");
	ASSERT_EQ(0, REQ(CTI_CMD_UNHOLD, 0, c0, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:CONNECTED");
}

TEST_F(calls, consultation_transfer_as_conference)
{
	uint32_t c0, c1, k0, k2;

	setup_consult(_metadata, self, CTI_CMD_SETUP_TRANSFER, &c0, &c1, &k0,
		      &k2);
	ASSERT_EQ(0, REQ(CTI_CMD_COMPLETE_TRANSFER, 0, c0, k0,
			 CTI_TRANSFER_MODE_CONFERENCE, 0, NULL, NULL));
	EXPECT_STATES("0:CONFERENCED 1:CONFERENCED 0:CONFERENCED 2:CONFERENCED");
	EXPECT_CONF_RELATED(c1, c0);
	EXPECT_CONF_RELATED(k2, c0);
	/* One party leaves: the conference falls back to a two-party call. */
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 1, c1, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("1:IDLE/NORMAL 0:DISCONNECTED/NORMAL 0:CONNECTED 2:CONNECTED");
}

/* ---- conference ------------------------------------------------------- */

TEST_F(calls, conference)
{
	const struct cti_ev_call_state *cs;
	uint32_t c0, c1, k0, k2, d0, d3;

	setup_consult(_metadata, self, CTI_CMD_SETUP_CONFERENCE, &c0, &c1,
		      &k0, &k2);
	ASSERT_EQ(0, REQ(CTI_CMD_ADD_TO_CONFERENCE, 0, c0, k0, 0, 0, NULL,
			 NULL));
	EXPECT_STATES("0:CONFERENCED 1:CONFERENCED 0:CONFERENCED 2:CONFERENCED");
	cs = nth_state(self, 2);
	ASSERT_NE(NULL, cs);
	EXPECT_EQ(k0, cs->call);
	EXPECT_EQ(c0, cs->related_call);
	/* The parties talk to the conference now, named by its id. */
	EXPECT_CONF_RELATED(c1, c0);
	EXPECT_CONF_RELATED(k2, c0);

	/* A third party: call it, then add it. */
	CONNECT(0, 3, &d0, &d3);
	ASSERT_EQ(0, REQ(CTI_CMD_ADD_TO_CONFERENCE, 0, c0, d0, 0, 0, NULL,
			 NULL));
	EXPECT_STATES("0:CONFERENCED 3:CONFERENCED");
	EXPECT_CONF_RELATED(d3, c0);
	EXPECT_EQ(-EBUSY, REQ(CTI_CMD_ADD_TO_CONFERENCE, 0, c0, d0, 0, 0,
			      NULL, NULL));

	/* Remove it again: it is a held two-party call of the controller. */
	ASSERT_EQ(0, REQ(CTI_CMD_REMOVE_FROM_CONFERENCE, 0, d0, 0, 0, 0,
			 NULL, NULL));
	EXPECT_STATES("0:ONHOLD 3:CONNECTED");
	/* Removing the next-to-last party dissolves the conference. */
	ASSERT_EQ(0, REQ(CTI_CMD_REMOVE_FROM_CONFERENCE, 0, k0, 0, 0, 0,
			 NULL, NULL));
	EXPECT_STATES("0:ONHOLD 2:CONNECTED 0:CONNECTED 1:CONNECTED");
}

TEST_F(calls, conference_controller_drops_party)
{
	uint32_t c0, c1, k0, k2, d0, d3;

	setup_consult(_metadata, self, CTI_CMD_SETUP_CONFERENCE, &c0, &c1,
		      &k0, &k2);
	ASSERT_EQ(0, REQ(CTI_CMD_ADD_TO_CONFERENCE, 0, c0, k0, 0, 0, NULL,
			 NULL));
	CONNECT(0, 3, &d0, &d3);
	ASSERT_EQ(0, REQ(CTI_CMD_ADD_TO_CONFERENCE, 0, c0, d0, 0, 0, NULL,
			 NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 0, d0, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:IDLE/NORMAL 3:DISCONNECTED/NORMAL");
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 2, k2, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("2:IDLE/NORMAL 0:DISCONNECTED/NORMAL 0:CONNECTED 1:CONNECTED");
}

/* ---- redirect, park, pickup ------------------------------------------- */

TEST_F(calls, redirect)
{
	const struct cti_ev_call_info *ci;
	uint32_t c0 = 0, c1, c2;

	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c0));
	c1 = call_on(self, 1);
	ASSERT_EQ(0, REQ(CTI_CMD_REDIRECT, 1, c1, 0, 0, 0, "102", NULL));
	EXPECT_STATES("1:IDLE/REDIRECTED 2:OFFERING/REDIRECT");
	ci = find_ev(self, CTI_EV_CALL_INFO, 2);
	ASSERT_NE(NULL, ci);
	EXPECT_EQ(CTI_REASON_REDIRECT, ci->reason);
	EXPECT_STREQ("100", ci->caller);
	/* The caller dialled 101 and now rings 102. */
	EXPECT_PARTY(c0, 1, "102");
	c2 = call_on(self, 2);
	ASSERT_EQ(0, REQ(CTI_CMD_ANSWER, 2, c2, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("2:CONNECTED 0:CONNECTED");
}

TEST_F(calls, park_unpark)
{
	const struct cti_ev_call_info *ci;
	uint32_t c0, c1, u2 = 0;

	CONNECT(0, 1, &c0, &c1);
	ASSERT_EQ(0, REQ(CTI_CMD_PARK, 0, c0, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:IDLE/NORMAL 1:ONHOLD");
	EXPECT_EQ(-ENOENT, REQ(CTI_CMD_UNPARK, 2, 0, 0, 0, 0, "709", NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_UNPARK, 2, 0, 0, 0, 0, "700", &u2));
	EXPECT_STATES("2:CONNECTED 1:CONNECTED");
	EXPECT_NE(0, u2);
	EXPECT_EQ(u2, call_on(self, 2));
	EXPECT_INFO_FIRST(u2);
	ci = find_ev(self, CTI_EV_CALL_INFO, 2);
	ASSERT_NE(NULL, ci);
	EXPECT_EQ(CTI_REASON_UNPARK, ci->reason);
	EXPECT_STREQ("101", ci->caller);
	EXPECT_STREQ("700", ci->called);
	/* The parked party, called by 100, now talks to 102. */
	EXPECT_PARTY(c1, 0, "102");
	/* The slot is free again. */
	EXPECT_EQ(-ENOENT, REQ(CTI_CMD_UNPARK, 3, 0, 0, 0, 0, "700", NULL));
}

TEST_F(calls, park_named_slot)
{
	uint32_t c0, c1, u3 = 0;

	CONNECT(0, 1, &c0, &c1);
	ASSERT_EQ(0, REQ(CTI_CMD_PARK, 1, c1, 0, 0, 0, "42", NULL));
	EXPECT_STATES("1:IDLE/NORMAL 0:ONHOLD");
	ASSERT_EQ(0, REQ(CTI_CMD_UNPARK, 3, 0, 0, 0, 0, "42", &u3));
	EXPECT_STATES("3:CONNECTED 0:CONNECTED");
	/* A line's own number is no park slot. */
	EXPECT_EQ(-EINVAL, REQ(CTI_CMD_PARK, 3, u3, 0, 0, 0, "102", NULL));
}

TEST_F(calls, pickup)
{
	const struct cti_ev_call_info *ci;
	uint32_t c0 = 0, p2 = 0;

	EXPECT_EQ(-ENOENT, REQ(CTI_CMD_PICKUP, 2, 0, 0, 0, 0, "101", NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c0));
	ASSERT_EQ(0, REQ(CTI_CMD_PICKUP, 2, 0, 0, 0, 0, "101", &p2));
	EXPECT_STATES("1:IDLE/PICKUP 2:CONNECTED 0:CONNECTED");
	EXPECT_NE(0, p2);
	EXPECT_EQ(p2, call_on(self, 2));
	EXPECT_INFO_FIRST(p2);
	ci = find_ev(self, CTI_EV_CALL_INFO, 2);
	ASSERT_NE(NULL, ci);
	EXPECT_EQ(CTI_REASON_PICKUP, ci->reason);
	EXPECT_STREQ("100", ci->caller);
	EXPECT_STREQ("101", ci->called);
	/* The caller dialled 101 and talks to 102, which picked it up. */
	EXPECT_PARTY(c0, 1, "102");
}

/* An empty number picks up the oldest call ringing on another line. */
TEST_F(calls, group_pickup)
{
	uint32_t c0 = 0, p2 = 0;

	EXPECT_EQ(-ENOENT, REQ(CTI_CMD_PICKUP, 2, 0, 0, 0, 0, "", NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c0));
	ASSERT_EQ(0, REQ(CTI_CMD_PICKUP, 2, 0, 0, 0, 0, "", &p2));
	EXPECT_STATES("1:IDLE/PICKUP 2:CONNECTED 0:CONNECTED");
	EXPECT_EQ(p2, call_on(self, 2));
}

/* ---- forward and do-not-disturb ---------------------------------------- */

TEST_F(calls, forward_unconditional)
{
	const struct cti_ev_line_status *ls;
	uint32_t c0 = 0;

	ASSERT_EQ(0, REQ(CTI_CMD_SET_FORWARD, 1, 0, 0,
			 CTI_FORWARD_UNCONDITIONAL, 0, "102", NULL));
	ls = find_ev(self, CTI_EV_LINE_STATUS, 1);
	ASSERT_NE(NULL, ls);
	EXPECT_EQ(CTI_FORWARD_UNCONDITIONAL, ls->forward_mode);
	EXPECT_STREQ("102", ls->forward_to);
	EXPECT_EQ(0, ls->dnd);
	EXPECT_EQ(CTI_LINE_IN_SERVICE, ls->status);

	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c0));
	EXPECT_STATES("0:DIALING 2:OFFERING/FORWARD 0:RINGBACK");

	ASSERT_EQ(0, REQ(CTI_CMD_SET_FORWARD, 1, 0, 0, CTI_FORWARD_NONE, 0,
			 NULL, NULL));
	ls = find_ev(self, CTI_EV_LINE_STATUS, 1);
	ASSERT_NE(NULL, ls);
	EXPECT_EQ(CTI_FORWARD_NONE, ls->forward_mode);
	EXPECT_STREQ("", ls->forward_to);
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 3, 0, 0, 0, 0, "101", &c0));
	EXPECT_STATES("3:DIALING 1:OFFERING 3:RINGBACK");

	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_SET_FORWARD, 1, 0, 0, 9, 0, "102",
				    NULL));
	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_SET_FORWARD, 1, 0, 0,
				    CTI_FORWARD_BUSY, 0, NULL, NULL));
	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_SET_FORWARD, 1, 0, 0,
				    CTI_FORWARD_BUSY, 0, "101", NULL));
}

TEST_F(calls, forward_busy)
{
	uint32_t c = 0;

	ASSERT_EQ(0, REQ(CTI_CMD_SET_FORWARD, 1, 0, 0, CTI_FORWARD_BUSY, 0,
			 "102", NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 3, 0, 0, 0, 0, "101", &c));
	EXPECT_STATES("3:DIALING 1:OFFERING 3:RINGBACK");
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c));
	EXPECT_STATES("0:DIALING 2:OFFERING/FORWARD 0:RINGBACK");
}

TEST_F(calls, forward_no_answer)
{
	uint32_t c0 = 0, c2;

	ASSERT_EQ(0, REQ(CTI_CMD_SET_FORWARD, 1, 0, 0,
			 CTI_FORWARD_NO_ANSWER, 0, "102", NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c0));
	ASSERT_EQ(0, wait_state(self, 2, CTI_CALL_OFFERING));
	EXPECT_STATES("0:DIALING 1:OFFERING 0:RINGBACK 1:IDLE/FORWARDED 2:OFFERING/FORWARD");
	c2 = call_on(self, 2);
	ASSERT_EQ(0, REQ(CTI_CMD_ANSWER, 2, c2, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("2:CONNECTED 0:CONNECTED");
}

TEST_F(calls, dnd)
{
	const struct cti_ev_line_status *ls;
	uint32_t c = 0;

	ASSERT_EQ(0, REQ(CTI_CMD_SET_DND, 1, 0, 0, 1, 0, NULL, NULL));
	ls = find_ev(self, CTI_EV_LINE_STATUS, 1);
	ASSERT_NE(NULL, ls);
	EXPECT_EQ(1, ls->dnd);
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c));
	EXPECT_STATES("0:DIALING 0:DISCONNECTED/DND");
	ASSERT_EQ(0, REQ(CTI_CMD_SET_DND, 1, 0, 0, 0, 0, NULL, NULL));
	ls = find_ev(self, CTI_EV_LINE_STATUS, 1);
	ASSERT_NE(NULL, ls);
	EXPECT_EQ(0, ls->dnd);
	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_SET_DND, 1, 0, 0, 2, 0, NULL, NULL));
}

/* ---- digits, tones, phones, escape hatch ------------------------------- */

TEST_F(calls, generate_digits)
{
	const struct cti_ev_digits *d;
	uint32_t c0, c1;

	CONNECT(0, 1, &c0, &c1);
	ASSERT_EQ(0, REQ(CTI_CMD_GENERATE_DIGITS, 0, c0, 0, 0, 0, "123#",
			 NULL));
	d = find_ev(self, CTI_EV_DIGITS, 1);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(c1, d->call);
	ASSERT_EQ(4, d->count);
	EXPECT_EQ(0, memcmp(d->digits, "123#", 4));
	EXPECT_EQ(1, count_ev(self, CTI_EV_DIGITS));
	EXPECT_STATES("");
	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_GENERATE_DIGITS, 0, c0, 0, 0, 0,
				    "12x", NULL));
	/* More than a record holds: records of CTI_DIGITS_MAX, in order. */
	ASSERT_EQ(0, REQ(CTI_CMD_GENERATE_DIGITS, 0, c0, 0, 0, 0,
			 "0123456789012345678901234567890123456789", NULL));
	EXPECT_EQ(2, count_ev(self, CTI_EV_DIGITS));
	d = find_ev(self, CTI_EV_DIGITS, 1);
	ASSERT_NE(NULL, d);
	ASSERT_EQ(CTI_DIGITS_MAX, d->count);
	EXPECT_EQ(0, memcmp(d->digits, "01234567890123456789012345678901",
			    CTI_DIGITS_MAX));
	ASSERT_EQ(0, REQ(CTI_CMD_HOLD, 0, c0, 0, 0, 0, NULL, NULL));
	EXPECT_EQ(-EBUSY, REQ(CTI_CMD_GENERATE_DIGITS, 0, c0, 0, 0, 0, "1",
			      NULL));
}

TEST_F(calls, generate_tone)
{
	uint32_t c0, c1;

	CONNECT(0, 1, &c0, &c1);
	ASSERT_EQ(0, REQ(CTI_CMD_GENERATE_TONE, 0, c0, 0, CTI_TONE_BEEP, 100,
			 NULL, NULL));
	EXPECT_STATES("");
	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_GENERATE_TONE, 0, c0, 0, 99, 100, NULL,
				    NULL));
}

TEST_F(calls, phone)
{
	const struct cti_ev_phone_hook *ph;

	ASSERT_EQ(0, REQ(CTI_CMD_SET_HOOK, 2, 0, 0, CTI_HOOKSWITCH_HANDSET,
			 CTI_HOOK_MICSPEAKER, NULL, NULL));
	ph = find_ev(self, CTI_EV_PHONE_HOOK, 2);
	ASSERT_NE(NULL, ph);
	EXPECT_EQ(CTI_HOOKSWITCH_HANDSET, ph->hookswitch);
	EXPECT_EQ(CTI_HOOK_MICSPEAKER, ph->mode);
	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_SET_HOOK, 2, 0, 0,
				    CTI_HOOKSWITCH_HANDSET | CTI_HOOKSWITCH_SPEAKER,
				    CTI_HOOK_ONHOOK, NULL, NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_SET_DISPLAY, 2, 0, 0, 1, 3, "hello", NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_SET_LAMP, 2, 0, 0, 1, CTI_LAMP_FLASH, NULL,
			 NULL));
	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_SET_LAMP, 2, 0, 0, 1, 99, NULL, NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_SET_RING, 2, 0, 0, 1, 50, NULL, NULL));
	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_SET_RING, 2, 0, 0, 1, 101, NULL, NULL));
	EXPECT_STATES("");
}

TEST_F(calls, dev_specific)
{
	ASSERT_EQ(0, REQ(CTI_CMD_DEV_SPECIFIC, 0, 0, 0, 0, 0, "anything",
			 NULL));
	EXPECT_EQ(1, self->log.count);
}

TEST_F(calls, link_frame_on_call_card)
{
	/* Refused by the line's ops mask at submit, or by the card. */
	EXPECT_REFUSED(-EOPNOTSUPP, REQ(CTI_CMD_SEND_LINK_FRAME, 0, 0, 0, 0, 0,
					"frame", NULL));
}

/* ---- fault injection --------------------------------------------------- */

TEST_F(calls, fail_next)
{
	char buf[64];
	uint32_t c = 0;

	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "fail_next", "2 5"));
	ASSERT_LT(0, cti_sim_ctl_read(&self->sim, "fail_next", buf, sizeof(buf)));
	EXPECT_STREQ("2 5", buf);
	EXPECT_EQ(-EIO, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c));
	EXPECT_STATES("");
	ASSERT_LT(0, cti_sim_ctl_read(&self->sim, "fail_next", buf, sizeof(buf)));
	EXPECT_STREQ("1 5", buf);
	EXPECT_EQ(-EIO, REQ(CTI_CMD_DEV_SPECIFIC, 0, 0, 0, 0, 0, NULL, NULL));
	ASSERT_LT(0, cti_sim_ctl_read(&self->sim, "fail_next", buf, sizeof(buf)));
	EXPECT_STREQ("0 0", buf);
	EXPECT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c));
	EXPECT_STATES("0:DIALING 1:OFFERING 0:RINGBACK");

	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "fail_next", "1 110"));
	EXPECT_EQ(-ETIMEDOUT, REQ(CTI_CMD_DROP, 0, c, 0, 0, 0, NULL, NULL));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "fail_next", "1"));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "fail_next", "1 0"));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "fail_next", "x 5"));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "fail_next", "1 5000"));
}

TEST_F(calls, link_down)
{
	const struct cti_ev_link_state *ls;
	uint32_t c = 0;

	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "link", "down"));
	ASSERT_EQ(0, pump(self, QUIET_MS));
	ls = find_ev(self, CTI_EV_LINK_STATE, CTI_LINE_NONE);
	ASSERT_NE(NULL, ls);
	EXPECT_EQ(CTI_LINK_DOWN, ls->state);
	EXPECT_EQ(-EIO, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c));
	EXPECT_STATES("");
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "link", "up"));
	cti_evlog_free(&self->log);
	ASSERT_EQ(0, pump(self, QUIET_MS));
	ls = find_ev(self, CTI_EV_LINK_STATE, CTI_LINE_NONE);
	ASSERT_NE(NULL, ls);
	EXPECT_EQ(CTI_LINK_UP, ls->state);
	EXPECT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "link", "sideways"));
}

TEST_F(calls, replies_exactly_once)
{
	uint64_t first = self->next_id + 1, id;
	int i, ret;

	/* A burst of good and bad requests, then count the REPLY records. */
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "fail_next", "3 16"));
	for (i = 0; i < 60; i++) {
		id = ++self->next_id;
		switch (i % 4) {
		case 0:
			ret = cti_submit_cmd(self->sim.fd, CTI_CMD_MAKE_CALL,
					     id, i % 4, 0, 0, 0, 0, "101");
			break;
		case 1:
			ret = cti_submit_cmd(self->sim.fd, CTI_CMD_DROP, id, 1,
					     0x7ffffff0, 0, 0, 0, NULL);
			break;
		case 2:
			ret = cti_submit_cmd(self->sim.fd, CTI_CMD_SET_DND, id,
					     2, 0, 0, i & 1, 0, NULL);
			break;
		default:
			ret = cti_submit_cmd(self->sim.fd,
					     CTI_CMD_DEV_SPECIFIC, id, 3, 0, 0,
					     0, 0, NULL);
			break;
		}
		ASSERT_EQ(0, ret);
		self->made[id] = 1;
	}
	cti_evlog_free(&self->log);
	ASSERT_EQ(0, pump(self, 500));
	for (id = first; id <= self->next_id; id++)
		EXPECT_EQ(1, self->replies[id]);
}

/* ---- the far end ------------------------------------------------------ */

TEST_F(calls, far_answer_and_hangup)
{
	const struct cti_ev_call_info *ci;
	uint32_t c = 0;

	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "5550 answer 50"));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "5550", &c));
	ASSERT_EQ(0, wait_state(self, 0, CTI_CALL_CONNECTED));
	EXPECT_STATES("0:DIALING 0:RINGBACK 0:CONNECTED");
	ci = find_ev(self, CTI_EV_CALL_INFO, 0);
	ASSERT_NE(NULL, ci);
	EXPECT_EQ(CTI_ORIGIN_OUTBOUND, ci->origin);
	EXPECT_STREQ("100", ci->caller);
	EXPECT_STREQ("5550", ci->called);

	/* The far end sends digits, then hangs up. */
	cti_evlog_free(&self->log);
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "far_digits", "%u 9*", c));
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "far_hangup", "%u", c));
	ASSERT_EQ(0, wait_state(self, 0, CTI_CALL_DISCONNECTED));
	EXPECT_STATES("0:DISCONNECTED/NORMAL");
	ASSERT_NE(NULL, find_ev(self, CTI_EV_DIGITS, 0));
	/* It is gone: no far end to hang up any more. */
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "far_hangup", "%u", c));
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 0, c, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:IDLE/NORMAL");
	EXPECT_EQ(-ENOENT, cti_sim_ctl(&self->sim, "far_hangup", "%u", c));
}

TEST_F(calls, far_busy)
{
	uint32_t c = 0;

	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "5551 busy"));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "5551", &c));
	EXPECT_STATES("0:DIALING 0:BUSY 0:DISCONNECTED/BUSY");
}

TEST_F(calls, far_noanswer)
{
	uint32_t c = 0;

	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "5552 noanswer 100"));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 1, 0, 0, 0, 0, "5552", &c));
	ASSERT_EQ(0, wait_state(self, 1, CTI_CALL_DISCONNECTED));
	EXPECT_STATES("1:DIALING 1:RINGBACK 1:DISCONNECTED/NO_ANSWER");
}

TEST_F(calls, far_reject)
{
	uint32_t c = 0;

	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "5553 reject"));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "5553", &c));
	EXPECT_STATES("0:DIALING 0:DISCONNECTED/REJECTED");
}

TEST_F(calls, far_digits_rule)
{
	const struct cti_ev_digits *d;
	uint32_t c = 0;

	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "5554 digits 42#"));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "5554", &c));
	ASSERT_EQ(0, wait_state(self, 0, CTI_CALL_CONNECTED));
	EXPECT_STATES("0:DIALING 0:RINGBACK 0:CONNECTED");
	d = find_ev(self, CTI_EV_DIGITS, 0);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(c, d->call);
	ASSERT_EQ(3, d->count);
	EXPECT_EQ(0, memcmp(d->digits, "42#", 3));
	/* Digits to an outside party are consumed. */
	ASSERT_EQ(0, REQ(CTI_CMD_GENERATE_DIGITS, 0, c, 0, 0, 0, "1", NULL));
	EXPECT_EQ(1, self->log.count);
}

TEST_F(calls, far_hangup_rule)
{
	uint32_t c = 0;

	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "5555 hangup 60"));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "5555", &c));
	ASSERT_EQ(0, wait_state(self, 0, CTI_CALL_DISCONNECTED));
	EXPECT_STATES("0:DIALING 0:RINGBACK 0:CONNECTED 0:DISCONNECTED/NORMAL");
}

TEST_F(calls, far_default_rule)
{
	char buf[512];
	uint32_t c = 0;

	/* The built-in default answers. */
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "999", &c));
	ASSERT_EQ(0, wait_state(self, 0, CTI_CALL_CONNECTED));
	EXPECT_STATES("0:DIALING 0:RINGBACK 0:CONNECTED");
	/* "*" replaces it, a number's own rule wins over "*". */
	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "* reject"));
	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "777 busy"));
	ASSERT_LT(0, cti_sim_read(&self->sim, "far_end", buf, sizeof(buf)));
	EXPECT_STREQ("* reject\n777 busy", buf);
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 1, 0, 0, 0, 0, "998", &c));
	EXPECT_STATES("1:DIALING 1:DISCONNECTED/REJECTED");
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 2, 0, 0, 0, 0, "777", &c));
	EXPECT_STATES("2:DIALING 2:BUSY 2:DISCONNECTED/BUSY");
	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "clear"));
	ASSERT_EQ(0, cti_sim_read(&self->sim, "far_end", buf, sizeof(buf)));

	EXPECT_EQ(-EINVAL, cti_sim_write(&self->sim, "far_end", "555 explode"));
	EXPECT_EQ(-EINVAL, cti_sim_write(&self->sim, "far_end", "55x busy"));
	EXPECT_EQ(-EINVAL, cti_sim_write(&self->sim, "far_end", "555 busy 3"));
	EXPECT_EQ(-EINVAL, cti_sim_write(&self->sim, "far_end", "555 digits"));
	EXPECT_EQ(-EINVAL, cti_sim_write(&self->sim, "far_end", "555 answer x"));
}

TEST_F(calls, far_end_transfer_out)
{
	uint32_t c0, c1;

	/* An internal party blind-transferred to an outside number. */
	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "600 answer 30"));
	CONNECT(0, 1, &c0, &c1);
	ASSERT_EQ(0, REQ(CTI_CMD_BLIND_TRANSFER, 0, c0, 0, 0, 0, "600", NULL));
	ASSERT_EQ(0, wait_state(self, 1, CTI_CALL_CONNECTED));
	EXPECT_STATES("0:IDLE/TRANSFERRED 1:RINGBACK 1:CONNECTED");
}

TEST_F(calls, inbound)
{
	const struct cti_ev_call_info *ci;
	const struct cti_ev_digits *d;
	uint32_t c;

	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "inbound", "2 5551234"));
	ASSERT_EQ(0, wait_state(self, 2, CTI_CALL_OFFERING));
	EXPECT_STATES("2:OFFERING");
	ci = find_ev(self, CTI_EV_CALL_INFO, 2);
	ASSERT_NE(NULL, ci);
	EXPECT_EQ(CTI_ORIGIN_INBOUND, ci->origin);
	EXPECT_STREQ("5551234", ci->caller);
	EXPECT_STREQ("102", ci->called);
	c = ci->call;
	EXPECT_INFO_FIRST(c);
	ASSERT_EQ(0, REQ(CTI_CMD_ANSWER, 2, c, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("2:CONNECTED");

	cti_evlog_free(&self->log);
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "far_digits", "%u 0#", c));
	ASSERT_EQ(0, pump(self, QUIET_MS));
	d = find_ev(self, CTI_EV_DIGITS, 2);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(c, d->call);
	ASSERT_EQ(2, d->count);
	EXPECT_EQ(0, memcmp(d->digits, "0#", 2));

	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "far_hangup", "%u", c));
	ASSERT_EQ(0, wait_state(self, 2, CTI_CALL_DISCONNECTED));
	EXPECT_STATES("2:DISCONNECTED/NORMAL");

	EXPECT_EQ(-ENOENT, cti_sim_ctl(&self->sim, "inbound", "4 555"));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "inbound", "1 5a5"));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "inbound", "1"));
	EXPECT_EQ(-ENOENT, cti_sim_ctl(&self->sim, "far_hangup", "123456"));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "far_digits", "%u 5x", c));
}

TEST_F(calls, inbound_transfer_and_pickup)
{
	uint32_t c2, p3 = 0;

	/* An outside caller rings at 101, line 3 picks it up, then blind
	 * transfers it to 100.
	 */
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "inbound", "1 4711"));
	ASSERT_EQ(0, wait_state(self, 1, CTI_CALL_OFFERING));
	ASSERT_EQ(0, REQ(CTI_CMD_PICKUP, 3, 0, 0, 0, 0, "101", &p3));
	EXPECT_STATES("1:IDLE/PICKUP 3:CONNECTED");
	ASSERT_EQ(0, REQ(CTI_CMD_BLIND_TRANSFER, 3, p3, 0, 0, 0, "100", NULL));
	EXPECT_STATES("3:IDLE/TRANSFERRED 0:OFFERING/TRANSFER");
	c2 = call_on(self, 0);
	ASSERT_EQ(0, REQ(CTI_CMD_ANSWER, 0, c2, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:CONNECTED");
}

TEST_F(calls, park_outside_party)
{
	const struct cti_ev_call_info *ci;
	uint32_t c, u2 = 0;

	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "inbound", "1 8080"));
	ASSERT_EQ(0, wait_state(self, 1, CTI_CALL_OFFERING));
	c = call_on(self, 1);
	ASSERT_EQ(0, REQ(CTI_CMD_ANSWER, 1, c, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("1:CONNECTED");
	ASSERT_EQ(0, REQ(CTI_CMD_PARK, 1, c, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("1:IDLE/NORMAL");
	ASSERT_EQ(0, REQ(CTI_CMD_UNPARK, 2, 0, 0, 0, 0, "700", &u2));
	EXPECT_STATES("2:CONNECTED");
	ci = find_ev(self, CTI_EV_CALL_INFO, 2);
	ASSERT_NE(NULL, ci);
	EXPECT_EQ(u2, ci->call);
	EXPECT_EQ(CTI_ORIGIN_INBOUND, ci->origin);
	EXPECT_EQ(CTI_REASON_UNPARK, ci->reason);
	EXPECT_STREQ("8080", ci->caller);
	/* The outside party is still there, now on line 2. */
	cti_evlog_free(&self->log);
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "far_hangup", "%u", u2));
	ASSERT_EQ(0, wait_state(self, 2, CTI_CALL_DISCONNECTED));
	EXPECT_STATES("2:DISCONNECTED/NORMAL");
}

TEST_F(calls, redirect_outside)
{
	uint32_t c0 = 0, c1;

	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "4242 busy"));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "101", &c0));
	c1 = call_on(self, 1);
	ASSERT_EQ(0, REQ(CTI_CMD_REDIRECT, 1, c1, 0, 0, 0, "4242", NULL));
	EXPECT_STATES("1:IDLE/REDIRECTED 0:BUSY 0:DISCONNECTED/BUSY");
}

/* The core's snapshot, built from the sim's records, matches the switch. */
TEST_F(calls, snapshot_matches)
{
	struct cti_line_snapshot lines[4];
	struct cti_call_snapshot calls[16];
	struct cti_snapshot snap;
	uint32_t c0, c1, d2 = 0, i;
	int seen = 0;

	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "5000 noanswer"));
	CONNECT(0, 1, &c0, &c1);
	ASSERT_EQ(0, REQ(CTI_CMD_HOLD, 0, c0, 0, 0, 0, NULL, NULL));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 2, 0, 0, 0, 0, "5000", &d2));
	ASSERT_EQ(0, REQ(CTI_CMD_SET_DND, 3, 0, 0, 1, 0, NULL, NULL));

	memset(&snap, 0, sizeof(snap));
	snap.size = sizeof(snap);
	snap.num_lines = 4;
	snap.lines = (uintptr_t)lines;
	snap.num_calls = 16;
	snap.calls = (uintptr_t)calls;
	ASSERT_EQ(0, cti_ioctl(self->sim.fd, CTI_IOC_SNAPSHOT, &snap));
	ASSERT_EQ(4, snap.num_lines);
	ASSERT_EQ(3, snap.num_calls);
	for (i = 0; i < snap.num_calls; i++) {
		const struct cti_call_snapshot *cs = &calls[i];

		if (cs->call == c0) {
			EXPECT_EQ(0, cs->line);
			EXPECT_EQ(CTI_CALL_ONHOLD, cs->state);
			EXPECT_EQ(CTI_ORIGIN_INTERNAL, cs->origin);
			EXPECT_STREQ("100", cs->caller);
			EXPECT_STREQ("101", cs->called);
			seen |= 1;
		} else if (cs->call == c1) {
			EXPECT_EQ(1, cs->line);
			EXPECT_EQ(CTI_CALL_CONNECTED, cs->state);
			seen |= 2;
		} else if (cs->call == d2) {
			EXPECT_EQ(2, cs->line);
			EXPECT_EQ(CTI_CALL_RINGBACK, cs->state);
			EXPECT_EQ(CTI_ORIGIN_OUTBOUND, cs->origin);
			EXPECT_STREQ("5000", cs->called);
			seen |= 4;
		}
	}
	EXPECT_EQ(7, seen);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(i, lines[i].line);
		EXPECT_EQ(i == 3, lines[i].dnd);
		EXPECT_EQ(i < 3, lines[i].num_calls);
	}
}

TEST_F(calls, card_properties_busy_while_live)
{
	EXPECT_EQ(-EBUSY, cti_sim_write(&self->sim, "num_lines", "8"));
	EXPECT_EQ(-EBUSY, cti_sim_write(&self->sim, "num_phones", "1"));
	EXPECT_EQ(-EBUSY, cti_sim_write(&self->sim, "numbers",
					"200 201 202 203"));
	EXPECT_EQ(-EBUSY, cti_sim_write(&self->sim, "mode", "link"));
}

/*
 * What a card is lives in configfs, what a test does to it in debugfs: the
 * run-time actions and fault knobs are in the card's debugfs directory and
 * not in its configfs one, and they work (or say ENODEV) whether or not
 * the card is live.
 */
TEST(controls_in_debugfs)
{
	static const char *const ctls[] = {
		"inbound", "far_hangup", "far_digits", "fail_next", "link",
		"flood",
	};
	static const char *const props[] = {
		"num_lines", "num_phones", "numbers", "mode", "link_peer",
		"live", "dev_name", "far_end",
	};
	char path[CTI_SIM_PATH_MAX + 32], buf[64];
	struct cti_sim sim;
	unsigned int i;

	ASSERT_EQ(0, cti_sim_setup(&sim, 2, 0, NULL));
	for (i = 0; i < ARRAY_SIZE(ctls); i++) {
		snprintf(path, sizeof(path), "%s/%s", sim.dir, ctls[i]);
		EXPECT_EQ(-1, access(path, F_OK)) TH_LOG("%s", path);
		snprintf(path, sizeof(path), "%s/%s", sim.ctl, ctls[i]);
		EXPECT_EQ(0, access(path, F_OK)) TH_LOG("%s", path);
	}
	for (i = 0; i < ARRAY_SIZE(props); i++) {
		snprintf(path, sizeof(path), "%s/%s", sim.dir, props[i]);
		EXPECT_EQ(0, access(path, F_OK)) TH_LOG("%s", path);
		snprintf(path, sizeof(path), "%s/%s", sim.ctl, props[i]);
		EXPECT_EQ(-1, access(path, F_OK)) TH_LOG("%s", path);
	}

	/* Not live: the knobs keep their value, the actions have no card. */
	ASSERT_EQ(0, cti_sim_ctl(&sim, "fail_next", "1 5"));
	ASSERT_LT(0, cti_sim_ctl_read(&sim, "fail_next", buf, sizeof(buf)));
	EXPECT_STREQ("1 5", buf);
	ASSERT_EQ(0, cti_sim_ctl(&sim, "link", "down"));
	ASSERT_LT(0, cti_sim_ctl_read(&sim, "link", buf, sizeof(buf)));
	EXPECT_STREQ("down", buf);
	ASSERT_EQ(0, cti_sim_ctl(&sim, "link", "up"));
	EXPECT_EQ(-ENODEV, cti_sim_ctl(&sim, "inbound", "0 555"));
	EXPECT_EQ(-ENODEV, cti_sim_ctl(&sim, "far_hangup", "1"));
	EXPECT_EQ(-ENODEV, cti_sim_ctl(&sim, "far_digits", "1 5"));
	EXPECT_EQ(-ENODEV, cti_sim_ctl(&sim, "flood", "1"));
	/* A write is one command, of bounded length. */
	memset(buf, '1', sizeof(buf));
	buf[sizeof(buf) - 1] = '\0';
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&sim, "fail_next", "%s %s %s", buf, buf,
				       buf));

	/* The directory goes with the card. */
	ASSERT_EQ(0, cti_sim_destroy(&sim));
	EXPECT_EQ(-1, access(sim.ctl, F_OK));
	EXPECT_EQ(ENOENT, errno);
}

TEST(numbers)
{
	struct cti_sim sim;
	char buf[256];
	uint64_t id = 1;
	int fd;

	ASSERT_EQ(0, cti_sim_setup(&sim, 3, 0, NULL));
	EXPECT_EQ(-EINVAL, cti_sim_write(&sim, "numbers", "200 201"));
	EXPECT_EQ(-EINVAL, cti_sim_write(&sim, "numbers", "200 201 20a"));
	EXPECT_EQ(-EINVAL, cti_sim_write(&sim, "numbers", "200 201 200"));
	EXPECT_EQ(-EINVAL, cti_sim_write(&sim, "numbers", "200 201 202 203"));
	ASSERT_EQ(0, cti_sim_write(&sim, "numbers", "200 201 3000\n"));
	ASSERT_LT(0, cti_sim_read(&sim, "numbers", buf, sizeof(buf)));
	EXPECT_STREQ("200 201 3000", buf);
	EXPECT_EQ(-EINVAL, cti_sim_write(&sim, "num_lines", "0"));
	EXPECT_EQ(-EINVAL, cti_sim_write(&sim, "num_lines", "257"));
	EXPECT_EQ(-EINVAL, cti_sim_write(&sim, "mode", "phone"));
	ASSERT_EQ(0, cti_sim_set_live(&sim, 1));

	/* Line 0 (200) calls 3000 (line 2). */
	fd = cti_sim_open(&sim, O_RDWR);
	ASSERT_LE(0, fd);
	cti_stream_init(&sim.st, fd, NULL);
	ASSERT_EQ(0, cti_submit_cmd(fd, CTI_CMD_MAKE_CALL, id, 0, 0, 0, 0, 0,
				    "3000"));
	ASSERT_EQ(0, cti_wait_event(&sim.st, CTI_EV_CALL_STATE, 2, NULL, 0,
				    NULL, WAIT_MS));
	close(fd);
	ASSERT_EQ(0, cti_sim_set_live(&sim, 0));
	/* Changing the count brings the defaults back. */
	ASSERT_EQ(0, cti_sim_write(&sim, "num_lines", "2"));
	ASSERT_LT(0, cti_sim_read(&sim, "numbers", buf, sizeof(buf)));
	EXPECT_STREQ("100 101", buf);
	cti_sim_destroy(&sim);
}

/* A link taken down before the card goes live is down from the start. */
TEST(link_down_before_live)
{
	struct cti_card_info ci;
	struct cti_ev_reply reply;
	struct cti_sim sim;
	int fd;

	ASSERT_EQ(0, cti_sim_setup(&sim, 2, 0, NULL));
	ASSERT_EQ(0, cti_sim_ctl(&sim, "link", "down"));
	ASSERT_EQ(0, cti_sim_set_live(&sim, 1));
	fd = cti_sim_open(&sim, O_RDWR);
	ASSERT_LE(0, fd);
	sim.fd = fd;
	cti_stream_init(&sim.st, fd, NULL);
	ASSERT_EQ(0, cti_card_info(fd, &ci));
	EXPECT_EQ(CTI_LINK_DOWN, ci.link_state);
	ASSERT_EQ(0, cti_submit_cmd(fd, CTI_CMD_MAKE_CALL, 1, 0, 0, 0, 0, 0,
				    "101"));
	ASSERT_EQ(0, cti_wait_reply(&sim.st, 1, &reply, NULL, WAIT_MS));
	EXPECT_EQ(-EIO, reply.error);
	ASSERT_EQ(0, cti_sim_ctl(&sim, "link", "up"));
	ASSERT_EQ(0, cti_wait_event(&sim.st, CTI_EV_LINK_STATE, CTI_LINE_NONE,
				    NULL, 0, NULL, WAIT_MS));
	ASSERT_EQ(0, cti_card_info(fd, &ci));
	EXPECT_EQ(CTI_LINK_UP, ci.link_state);
	cti_sim_destroy(&sim);
}

/* Link cards: frames echo back, or go to the peer card's readers. */
TEST(link_frames)
{
	static const char frame[] = "\x02CSTA\x00frame\x03";
	union {
		struct cti_ev_link_frame lf;
		uint8_t raw[CTI_EVENT_MAX_SIZE];
	} u;
	struct cti_ev_reply reply;
	struct cti_sim a, b;
	struct cti_request req;

	ASSERT_EQ(0, cti_sim_create(&a, 2, 0, "link"));
	ASSERT_EQ(0, cti_sim_create(&b, 1, 0, "both"));

	/* Echo: the frame comes back on the same channel, byte for byte. */
	cti_req_init(&req, CTI_CMD_SEND_LINK_FRAME, 1, 1);
	req.data = (uintptr_t)frame;
	req.data_len = sizeof(frame) - 1;
	ASSERT_EQ(0, cti_submit(a.fd, &req));
	ASSERT_EQ(0, cti_wait_reply(&a.st, 1, &reply, NULL, WAIT_MS));
	EXPECT_EQ(0, reply.error);
	ASSERT_EQ(0, cti_wait_event(&a.st, CTI_EV_LINK_FRAME, 1, &u, sizeof(u),
				    NULL, WAIT_MS));
	ASSERT_EQ(sizeof(frame) - 1, u.lf.len);
	EXPECT_EQ(0, memcmp(u.lf.data, frame, sizeof(frame) - 1));
	EXPECT_EQ(0, u.lf.hdr.size % 8);

	/* A call-control command on a link-only card is refused. */
	cti_req_init(&req, CTI_CMD_MAKE_CALL, 2, 0);
	cti_req_data(&req, "101");
	if (!cti_submit(a.fd, &req)) {
		ASSERT_EQ(0, cti_wait_reply(&a.st, 2, &reply, NULL, WAIT_MS));
		EXPECT_EQ(-EOPNOTSUPP, reply.error);
	} else {
		EXPECT_EQ(EOPNOTSUPP, errno);
	}

	/* With a peer, b's readers get a's frames; a gets only the REPLY. */
	ASSERT_EQ(0, cti_sim_write(&a, "link_peer", "%s", b.name));
	cti_req_init(&req, CTI_CMD_SEND_LINK_FRAME, 3, 0);
	cti_req_data(&req, "hello b");
	ASSERT_EQ(0, cti_submit(a.fd, &req));
	ASSERT_EQ(0, cti_wait_reply(&a.st, 3, &reply, NULL, WAIT_MS));
	EXPECT_EQ(0, reply.error);
	ASSERT_EQ(0, cti_wait_event(&b.st, CTI_EV_LINK_FRAME, 0, &u, sizeof(u),
				    NULL, WAIT_MS));
	ASSERT_EQ(7, u.lf.len);
	EXPECT_EQ(0, memcmp(u.lf.data, "hello b", 7));
	EXPECT_EQ(-ETIMEDOUT, cti_wait_event(&a.st, CTI_EV_LINK_FRAME,
					     CTI_ANY_LINE, NULL, 0, NULL, 200));

	/* A peer that is not live: the frame cannot be delivered. */
	ASSERT_EQ(0, cti_sim_write(&a, "link_peer", "no-such-card"));
	cti_req_init(&req, CTI_CMD_SEND_LINK_FRAME, 4, 0);
	cti_req_data(&req, "lost");
	ASSERT_EQ(0, cti_submit(a.fd, &req));
	ASSERT_EQ(0, cti_wait_reply(&a.st, 4, &reply, NULL, WAIT_MS));
	EXPECT_EQ(-EHOSTUNREACH, reply.error);

	cti_sim_destroy(&b);
	cti_sim_destroy(&a);
}

TEST_HARNESS_MAIN
