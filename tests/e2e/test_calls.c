// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_calls: every call operation through libcti -> ctid -> sim, with the
 * exact call-state sequence every party sees.
 *
 * Four parties A, B, C, D, each a session of its own owning one line of
 * the sim, as four desktop programs would. The sequences are the sim's
 * (providers/sim/README.md); the sim is the reference every provider must
 * match, so they are spelled out here state by state, with the
 * disconnect and offering reasons. Every request must get exactly one
 * REPLY (checked when a party closes), and a call's first record on a line
 * is its CALL_INFO.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "cti_provider.h"
#include "session.h"
#include "seqfile.h"

static struct t_ctid d;
static struct party A, B, C, D;

/* @sim_keys: "key = value\n" lines for [provider sim], or NULL. */
static void setup(const char *sim_keys)
{
	T_ASSERT(t_ctid_start(&d, t_conf(6, NULL, sim_keys, NULL)) == 0,
		 "start");
	p_open(&A, "A", 0, CTI_PRIV_OWNER);
	p_open(&B, "B", 1, CTI_PRIV_OWNER);
	p_open(&C, "C", 2, CTI_PRIV_OWNER);
	p_open(&D, "D", 3, CTI_PRIV_OWNER);
}

static void teardown(void)
{
	EXPECT_QUIET(&A, 50);
	EXPECT_QUIET(&B, 0);
	EXPECT_QUIET(&C, 0);
	EXPECT_QUIET(&D, 0);
	p_close(&A);
	p_close(&B);
	p_close(&C);
	p_close(&D);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/* Requests: send, note, and wait for the REPLY; return its error. */
static int make_call(struct party *p, const char *number, uint32_t *call)
{
	uint64_t req;
	int rc = cti_line_make_call(p->line, number, &req);

	p_sent(p, rc, req, "make_call");
	return p_reply(p, req, call);
}

#define CALL_OP(fn, p, ...) ({						\
	uint64_t _req;							\
	int _rc = fn((p)->line, __VA_ARGS__, &_req);			\
	p_sent((p), _rc, _req, #fn);					\
	p_reply((p), _req, NULL);					\
})

#define CALL_OP_NEW(fn, p, callp, ...) ({				\
	uint64_t _req;							\
	int _rc = fn((p)->line, __VA_ARGS__, &_req);			\
	p_sent((p), _rc, _req, #fn);					\
	p_reply((p), _req, (callp));					\
})

/* @x hangs up its call @cx; the far end @y sees it and hangs up @cy. */
static void hang_up(struct party *x, uint32_t cx, struct party *y,
		    uint32_t cy)
{
	T_ASSERT_EQ(CALL_OP(cti_call_drop, x, cx), 0);
	EXPECT_STATES(x, &cx, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	EXPECT_STATES(y, &cy, SR(CTI_CALL_DISCONNECTED, CTI_DISC_NORMAL));
	T_ASSERT_EQ(CALL_OP(cti_call_drop, y, cy), 0);
	EXPECT_STATES(y, &cy, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
}

/* A calls B and B answers: returns both ends. */
static void connect_ab(struct party *a, struct party *b, uint32_t *ca,
		       uint32_t *cb)
{
	*ca = *cb = 0;
	T_ASSERT_EQ(make_call(a, b->number, ca), 0);
	T_ASSERT(*ca != CTI_CALL_NONE, "MAKE_CALL reply without a call");
	EXPECT_STATES(a, ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK));
	EXPECT_STATES(b, cb, SR(CTI_CALL_OFFERING, CTI_REASON_DIRECT));
	T_ASSERT_EQ(CALL_OP(cti_call_answer, b, *cb), 0);
	EXPECT_STATES(b, cb, ST(CTI_CALL_CONNECTED));
	EXPECT_STATES(a, ca, ST(CTI_CALL_CONNECTED));
}

static void basic_call(void)
{
	const struct p_rec *info;
	uint32_t ca = 0, cb = 0;

	setup(NULL);
	T_ASSERT_EQ(make_call(&A, B.number, &ca), 0);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK));
	EXPECT_STATES(&B, &cb, SR(CTI_CALL_OFFERING, CTI_REASON_DIRECT));

	info = p_info(&A, ca);
	T_ASSERT(info, "A: no CALL_INFO for its call");
	T_EXPECT(info < &A.recs[A.n] && info->origin == CTI_ORIGIN_INTERNAL,
		 "A origin %u", info->origin);
	T_EXPECT(!strcmp(info->caller, A.number), "A caller %s", info->caller);
	T_EXPECT(!strcmp(info->called, B.number), "A called %s", info->called);
	info = p_info(&B, cb);
	T_ASSERT(info, "B: no CALL_INFO for its call");
	T_EXPECT_EQ(info->origin, CTI_ORIGIN_INTERNAL);
	T_EXPECT(!strcmp(info->caller, A.number), "B caller %s", info->caller);
	T_EXPECT(!strcmp(info->called, B.number), "B called %s", info->called);

	T_ASSERT_EQ(CALL_OP(cti_call_answer, &B, cb), 0);
	EXPECT_STATES(&B, &cb, ST(CTI_CALL_CONNECTED));
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_CONNECTED));
	hang_up(&A, ca, &B, cb);
	/* the handle is gone */
	T_EXPECT_EQ(CALL_OP(cti_call_drop, &A, ca), -ENOENT);
	teardown();
}

/* The first record of a new call on a line is its CALL_INFO. */
static void call_info_comes_first(void)
{
	uint32_t ca = 0, cb = 0;
	size_t i;
	bool state_seen = false, info_first = false;

	setup(NULL);
	connect_ab(&A, &B, &ca, &cb);
	for (i = 0; i < B.n; i++) {
		if (B.recs[i].call != cb)
			continue;
		if (B.recs[i].type == CTI_MSG_CALL_INFO && !state_seen)
			info_first = true;
		if (B.recs[i].type == CTI_MSG_CALL_STATE)
			state_seen = true;
	}
	T_EXPECT(info_first, "B's first record of call %u is not CALL_INFO", cb);
	CALL_OP(cti_call_drop, &A, ca);
	CALL_OP(cti_call_drop, &B, cb);
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	EXPECT_STATES(&B, &cb, SR(CTI_CALL_DISCONNECTED, CTI_DISC_NORMAL),
		      SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	teardown();
}

/* A line at max_calls is busy (with more room, a second call waits). */
static void busy(void)
{
	uint32_t cc, cb, ca = 0;

	setup("max_calls = 1\n");
	connect_ab(&C, &B, &cc, &cb);
	T_ASSERT_EQ(make_call(&A, B.number, &ca), 0);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_BUSY),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_BUSY));
	EXPECT_QUIET(&B, 50);
	T_ASSERT_EQ(CALL_OP(cti_call_drop, &A, ca), 0);
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	hang_up(&C, cc, &B, cb);
	teardown();
}

static void do_not_disturb(void)
{
	const struct p_rec *st;
	uint64_t req;
	uint32_t ca = 0;

	setup(NULL);
	P_SEND(&B, req, "dnd",
	       cti_line_set_dnd(B.line, 1, &req));
	T_ASSERT_EQ(p_reply(&B, req, NULL), 0);
	st = p_wait_msg(&B, CTI_MSG_LINE_STATUS, 2000);
	T_EXPECT(st, "B: no LINE_STATUS after DND");
	T_EXPECT_EQ(cti_line_get_dnd(B.line), 1);
	T_ASSERT_EQ(make_call(&A, B.number, &ca), 0);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_DND));
	EXPECT_QUIET(&B, 50);
	CALL_OP(cti_call_drop, &A, ca);
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	P_SEND(&B, req, "dnd off",
	       cti_line_set_dnd(B.line, 0, &req));
	T_ASSERT_EQ(p_reply(&B, req, NULL), 0);
	p_wait_msg(&B, CTI_MSG_LINE_STATUS, 2000);
	T_EXPECT_EQ(cti_line_get_dnd(B.line), 0);
	teardown();
}

static void park_unpark(void)
{
	const struct p_rec *info;
	char slot[CTI_NUMBER_MAX];
	uint32_t ca, cb, cc = 0;

	setup(NULL);
	connect_ab(&A, &B, &ca, &cb);
	T_ASSERT_EQ(CALL_OP(cti_call_park, &B, cb, ""), 0);
	EXPECT_STATES(&B, &cb, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_ONHOLD));
	/* The slot is where B's call went: its called number. */
	info = p_info(&B, cb);
	T_ASSERT(info && info->called[0], "B: no park slot in CALL_INFO");
	snprintf(slot, sizeof(slot), "%s", info->called);
	t_note("parked at %s", slot);
	T_ASSERT_EQ(CALL_OP_NEW(cti_line_unpark, &C, &cc, slot), 0);
	T_ASSERT(cc, "UNPARK reply without a call");
	/* CONNECTED carries no reason (uapi): the why is in CALL_INFO */
	EXPECT_STATES(&C, &cc, SR(CTI_CALL_CONNECTED, 0));
	info = p_info(&C, cc);
	T_ASSERT(info, "C: no CALL_INFO for the unparked call");
	T_EXPECT_EQ(info->reason, CTI_REASON_UNPARK);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_CONNECTED));
	/* an empty slot */
	T_EXPECT_EQ(CALL_OP_NEW(cti_line_unpark, &D, NULL, slot), -ENOENT);
	hang_up(&A, ca, &C, cc);
	teardown();
}

static void forward_unconditional(void)
{
	const struct p_rec *st, *info;
	uint32_t ca = 0, cc = 0;

	setup(NULL);
	T_ASSERT_EQ(CALL_OP(cti_line_set_forward, &B,
			    CTI_FORWARD_UNCONDITIONAL, C.number), 0);
	st = p_wait_msg(&B, CTI_MSG_LINE_STATUS, 2000);
	T_EXPECT(st, "B: no LINE_STATUS for forwarding");
	T_EXPECT_EQ(cti_line_get_forward_mode(B.line), CTI_FORWARD_UNCONDITIONAL);
	T_EXPECT(!strcmp(cti_line_get_forward_to(B.line), C.number),
		 "forward_to %s", cti_line_get_forward_to(B.line));
	T_ASSERT_EQ(make_call(&A, B.number, &ca), 0);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK));
	EXPECT_STATES(&C, &cc, SR(CTI_CALL_OFFERING, CTI_REASON_FORWARD));
	info = p_info(&C, cc);
	T_ASSERT(info, "C: no CALL_INFO");
	T_EXPECT(!strcmp(info->caller, A.number), "caller %s", info->caller);
	EXPECT_QUIET(&B, 50);
	T_ASSERT_EQ(CALL_OP(cti_call_answer, &C, cc), 0);
	EXPECT_STATES(&C, &cc, ST(CTI_CALL_CONNECTED));
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_CONNECTED));
	hang_up(&A, ca, &C, cc);
	T_ASSERT_EQ(CALL_OP(cti_line_set_forward, &B, CTI_FORWARD_NONE, ""), 0);
	p_wait_msg(&B, CTI_MSG_LINE_STATUS, 2000);
	T_EXPECT_EQ(cti_line_get_forward_mode(B.line), CTI_FORWARD_NONE);
	teardown();
}

static void forward_on_no_answer(void)
{
	uint32_t ca = 0, cb = 0, cc = 0;
	int64_t t0;

	/* the sim's no-answer timer is configurable: keep the test short */
	setup("forward_noanswer_ms = 500\n");
	T_ASSERT_EQ(CALL_OP(cti_line_set_forward, &B, CTI_FORWARD_NO_ANSWER,
			    C.number), 0);
	t0 = t_now_ms();
	T_ASSERT_EQ(make_call(&A, B.number, &ca), 0);
	EXPECT_STATES(&B, &cb, SR(CTI_CALL_OFFERING, CTI_REASON_DIRECT));
	p_timeout_ms = 10000;
	EXPECT_STATES(&C, &cc, SR(CTI_CALL_OFFERING, CTI_REASON_FORWARD));
	p_timeout_ms = 3000;
	t_note("forwarded after %lld ms", (long long)(t_now_ms() - t0));
	T_EXPECT(t_now_ms() - t0 >= 450, "forwarded too early");
	EXPECT_STATES(&B, &cb, SR(CTI_CALL_IDLE, CTI_DISC_FORWARDED));
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK));
	T_ASSERT_EQ(CALL_OP(cti_call_answer, &C, cc), 0);
	EXPECT_STATES(&C, &cc, ST(CTI_CALL_CONNECTED));
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_CONNECTED));
	hang_up(&A, ca, &C, cc);
	teardown();
}

static void digits_and_tones(void)
{
	const struct p_rec *dg;
	uint32_t ca, cb;
	uint64_t req;
	int64_t t0;

	setup(NULL);
	connect_ab(&A, &B, &ca, &cb);
	T_ASSERT_EQ(CALL_OP(cti_call_generate_digits, &A, ca, "12#*9"), 0);
	dg = p_wait_msg(&B, CTI_MSG_DIGITS, 2000);
	T_ASSERT(dg, "B: no DIGITS");
	T_EXPECT(!strcmp(dg->text, "12#*9"), "digits \"%s\"", dg->text);
	T_EXPECT_EQ(dg->call, cb);
	/* the sim plays no audio: a tone completes at once */
	t0 = t_now_ms();
	P_SEND(&A, req, "tone",
	       cti_call_generate_tone(A.line, ca, CTI_TONE_BEEP, 300, &req));
	T_ASSERT_EQ(p_reply(&A, req, NULL), 0);
	t_note("tone replied after %lld ms", (long long)(t_now_ms() - t0));
	T_EXPECT_EQ(cti_call_generate_tone(A.line, ca, 99, 10, &req), -EINVAL);
	/* digits need a talking call */
	CALL_OP(cti_call_hold, &A, ca);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_ONHOLD));
	T_EXPECT_EQ(CALL_OP(cti_call_generate_digits, &A, ca, "1"), -EBUSY);
	hang_up(&A, ca, &B, cb);
	teardown();
}

/* A monitor of B sees B's calls exactly as B does, with MONITOR privilege. */
static void monitor_sees_owner_states(void)
{
	struct party M;
	uint32_t ca, cb, cm = 0;
	size_t i;

	setup(NULL);
	p_open(&M, "M", 1, CTI_PRIV_MONITOR);
	connect_ab(&A, &B, &ca, &cb);
	hang_up(&A, ca, &B, cb);
	EXPECT_STATES(&M, &cm, SR(CTI_CALL_OFFERING, CTI_REASON_DIRECT),
		      ST(CTI_CALL_CONNECTED),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_NORMAL),
		      SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	T_EXPECT_EQ(cm, cb);
	for (i = 0; i < M.n; i++)
		if (M.recs[i].type == CTI_MSG_CALL_STATE)
			T_EXPECT_EQ(M.recs[i].priv, CTI_PRIV_MONITOR);
	/* and cannot touch them */
	T_EXPECT_EQ(make_call(&M, A.number, NULL), -EPERM);
	p_close(&M);
	teardown();
}

static void bad_requests(void)
{
	uint32_t ca;
	uint64_t req;
	int rc;

	setup(NULL);
	/*
	 * refused by libcti before anything is sent (lib/cti.h): EILSEQ a
	 * character a number may not hold, EINVAL a missing number,
	 * ENAMETOOLONG one of more than 31 bytes
	 */
	rc = cti_line_make_call(A.line, "12a", &req);
	T_EXPECT_EQ(rc, -EILSEQ);
	rc = cti_line_make_call(A.line, "", &req);
	T_EXPECT_EQ(rc, -EINVAL);
	rc = cti_line_make_call(A.line, "12345678901234567890123456789012",
				&req);
	T_EXPECT_EQ(rc, -ENAMETOOLONG);
	rc = cti_line_make_call(A.line, NULL, &req);
	T_EXPECT_EQ(rc, -EINVAL);
	/* a line calling itself gets busy, like any busy line */
	T_EXPECT_EQ(make_call(&A, A.number, &ca), 0);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_BUSY),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_BUSY));
	CALL_OP(cti_call_drop, &A, ca);
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	/* refused by the switch: forwarding to oneself */
	T_EXPECT_EQ(CALL_OP(cti_line_set_forward, &A, CTI_FORWARD_UNCONDITIONAL,
			    A.number), -EINVAL);
	T_EXPECT_EQ(CALL_OP(cti_call_answer, &A, 4242), -ENOENT);
	T_EXPECT_EQ(CALL_OP(cti_call_hold, &A, 4242), -ENOENT);
	T_EXPECT_EQ(CALL_OP(cti_call_drop, &A, 4242), -ENOENT);
	EXPECT_QUIET(&A, 50);
	teardown();
}

static void phone(void)
{
	const struct p_rec *r;

	setup(NULL);
	T_ASSERT_EQ(CALL_OP(cti_phone_set_hook, &A, CTI_HOOKSWITCH_HANDSET,
			    CTI_HOOK_MICSPEAKER), 0);
	r = p_wait_msg(&A, CTI_MSG_PHONE_HOOK, 2000);
	T_ASSERT(r, "no PHONE_HOOK");
	T_EXPECT_EQ(r->arg, CTI_HOOKSWITCH_HANDSET);
	T_EXPECT_EQ(r->state, CTI_HOOK_MICSPEAKER);
	T_ASSERT_EQ(CALL_OP(cti_phone_set_display, &A, 0, 0, "Hello"), 0);
	r = p_wait_msg(&A, CTI_MSG_PHONE_DISPLAY, 2000);
	T_ASSERT(r, "no PHONE_DISPLAY");
	T_EXPECT(!strncmp(r->text, "Hello", 5), "display \"%s\"", r->text);
	T_ASSERT_EQ(CALL_OP(cti_phone_set_lamp, &A, 1, CTI_LAMP_FLASH), 0);
	r = p_wait_msg(&A, CTI_MSG_PHONE_LAMP, 2000);
	T_ASSERT(r, "no PHONE_LAMP");
	T_EXPECT_EQ(r->arg, 1);
	T_EXPECT_EQ(r->state, CTI_LAMP_FLASH);
	T_ASSERT_EQ(CALL_OP(cti_phone_set_ring, &A, 2, 60), 0);
	r = p_wait_msg(&A, CTI_MSG_PHONE_RING, 2000);
	T_ASSERT(r, "no PHONE_RING");
	T_EXPECT_EQ(r->arg, 2);
	T_EXPECT_EQ(r->state, 60);
	teardown();
}

static void agent_states(void)
{
	const struct p_rec *r;
	uint64_t req;

	setup(NULL);
	P_SEND(&A, req, "agent ready",
	       cti_agent_set_state(A.line, CTI_AGENT_READY, 0, &req));
	T_ASSERT_EQ(p_reply(&A, req, NULL), 0);
	r = p_wait_msg(&A, CTI_MSG_AGENT_STATE, 2000);
	T_ASSERT(r, "no AGENT_STATE");
	T_EXPECT_EQ(r->state, CTI_AGENT_READY);
	P_SEND(&A, req, "agent not ready",
	       cti_agent_set_state(A.line, CTI_AGENT_NOT_READY, 7, &req));
	T_ASSERT_EQ(p_reply(&A, req, NULL), 0);
	r = p_wait_msg(&A, CTI_MSG_AGENT_STATE, 2000);
	T_ASSERT(r, "no AGENT_STATE");
	T_EXPECT_EQ(r->state, CTI_AGENT_NOT_READY);
	T_EXPECT_EQ(r->reason, 7);
	P_SEND(&A, req, "groups",
	       cti_agent_set_groups(A.line, "sales,support", &req));
	T_ASSERT_EQ(p_reply(&A, req, NULL), 0);
	r = p_wait_msg(&A, CTI_MSG_AGENT_STATE, 2000);
	T_ASSERT(r, "no AGENT_STATE for groups");
	T_EXPECT(strstr(r->text, "sales"), "groups \"%s\"", r->text);
	P_SEND(&A, req, "activity",
	       cti_agent_set_activity(A.line, 12, &req));
	T_ASSERT_EQ(p_reply(&A, req, NULL), 0);
	r = p_wait_msg(&A, CTI_MSG_AGENT_STATE, 2000);
	T_ASSERT(r, "no AGENT_STATE for the activity");
	T_EXPECT_EQ(r->arg, 12);
	teardown();
}

/* Outside numbers: the far end follows its configured script. */
#define OUTSIDE_KEYS							\
	"outside.5550001 = answer 100, digits 42, hangup 300\n"		\
	"outside.5550002 = busy\n"					\
	"outside.5550003 = unreachable\n"				\
	"outside.5550004 = reject 100\n"				\
	"outside.5550005 = noanswer\n"					\
	"noanswer_ms = 400\n"

static void outside_call(const char *number, uint32_t *ca)
{
	const struct p_rec *info;

	*ca = 0;
	T_ASSERT_EQ(make_call(&A, number, ca), 0);
	info = p_info(&A, *ca);
	if (!info) {
		p_pump(&A, 100);
		info = p_info(&A, *ca);
	}
	T_ASSERT(info, "no CALL_INFO");
	T_EXPECT_EQ(info->origin, CTI_ORIGIN_OUTBOUND);
	T_EXPECT(!strcmp(info->called, number), "called %s", info->called);
}

static void drop_a(uint32_t ca)
{
	T_ASSERT_EQ(CALL_OP(cti_call_drop, &A, ca), 0);
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
}

static void outside_answers_and_hangs_up(void)
{
	const struct p_rec *dg;
	uint32_t ca;

	setup(OUTSIDE_KEYS);
	outside_call("5550001", &ca);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK),
		      ST(CTI_CALL_CONNECTED),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_NORMAL));
	dg = p_wait_msg(&A, CTI_MSG_DIGITS, 1000);
	T_ASSERT(dg, "no DIGITS from the far end");
	T_EXPECT(!strcmp(dg->text, "42"), "digits %s", dg->text);
	drop_a(ca);
	teardown();
}

static void outside_busy_unreachable_reject(void)
{
	uint32_t ca;

	setup(OUTSIDE_KEYS);
	outside_call("5550002", &ca);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_BUSY),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_BUSY));
	drop_a(ca);
	outside_call("5550003", &ca);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_SPECIALINFO),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_UNREACHABLE));
	drop_a(ca);
	outside_call("5550004", &ca);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_REJECTED));
	drop_a(ca);
	outside_call("5550005", &ca);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_NO_ANSWER));
	drop_a(ca);
	teardown();
}

/* An outside caller rings A (the sim's DEV_SPECIFIC "inbound"). */
static void inbound_call(void)
{
	static const char cmd[] = "inbound 5557777 hangup 300";
	const struct p_rec *info;
	uint32_t ca = 0;
	uint64_t req;

	setup(NULL);
	P_SEND(&A, req, "dev_specific",
	       cti_line_dev_specific(A.line, cmd, strlen(cmd), &req));
	T_ASSERT_EQ(p_reply(&A, req, NULL), 0);
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_OFFERING, CTI_REASON_DIRECT));
	info = p_info(&A, ca);
	T_ASSERT(info, "no CALL_INFO");
	T_EXPECT_EQ(info->origin, CTI_ORIGIN_INBOUND);
	T_EXPECT(!strcmp(info->caller, "5557777"), "caller %s", info->caller);
	T_EXPECT(!strcmp(info->called, A.number), "called %s", info->called);
	T_ASSERT_EQ(CALL_OP(cti_call_answer, &A, ca), 0);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_CONNECTED),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_NORMAL));
	drop_a(ca);
	teardown();
}

/*
 * Two programs own line B ("B" and "B2"): both are offered the call; B
 * hands it off to B2 and keeps MONITOR; then only B2 controls it: B cannot
 * take ownership back with SET_PRIVILEGE, but B2 may hand it back.
 */
static void handoff(void)
{
	struct party B2;
	const struct p_rec *pr;
	uint32_t ca = 0, cb = 0, cb2 = 0;
	size_t i;

	setup(NULL);
	p_open(&B2, "B2", 1, CTI_PRIV_OWNER);
	T_ASSERT_EQ(make_call(&A, B.number, &ca), 0);
	EXPECT_STATES(&B, &cb, SR(CTI_CALL_OFFERING, CTI_REASON_DIRECT));
	EXPECT_STATES(&B2, &cb2, SR(CTI_CALL_OFFERING, CTI_REASON_DIRECT));
	T_ASSERT_EQ(cb, cb2);
	for (i = 0; i < B2.n; i++)
		if (B2.recs[i].type == CTI_MSG_CALL_STATE)
			T_EXPECT_EQ(B2.recs[i].priv, CTI_PRIV_OWNER);

	T_EXPECT_EQ(CALL_OP(cti_call_handoff, &B, cb, "nobody"), -ENOENT);
	T_ASSERT_EQ(CALL_OP(cti_call_handoff, &B, cb, "B2"), 0);
	pr = p_wait_msg(&B, CTI_MSG_PRIVILEGE, 2000);
	T_ASSERT(pr, "B: no PRIVILEGE message");
	T_EXPECT_EQ(pr->call, cb);
	T_EXPECT_EQ(pr->priv, CTI_PRIV_MONITOR);
	pr = p_wait_msg(&B2, CTI_MSG_PRIVILEGE, 2000);
	T_ASSERT(pr, "B2: no PRIVILEGE message");
	T_EXPECT_EQ(pr->priv, CTI_PRIV_OWNER);

	T_EXPECT_EQ(CALL_OP(cti_call_answer, &B, cb), -EPERM);
	T_EXPECT_EQ(CALL_OP(cti_call_handoff, &B, cb, "B2"), -EPERM);
	T_ASSERT_EQ(CALL_OP(cti_call_answer, &B2, cb), 0);
	EXPECT_STATES(&B2, &cb2, ST(CTI_CALL_CONNECTED));
	EXPECT_STATES(&B, &cb, ST(CTI_CALL_CONNECTED));
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK),
		      ST(CTI_CALL_CONNECTED));
	for (i = 0; i < B.n; i++)
		if (B.recs[i].type == CTI_MSG_CALL_STATE &&
		    B.recs[i].state == CTI_CALL_CONNECTED)
			T_EXPECT_EQ(B.recs[i].priv, CTI_PRIV_MONITOR);

	/* the sender cannot take the call back; the receiver hands it back */
	T_EXPECT_EQ(CALL_OP(cti_call_set_privilege, &B, cb, CTI_PRIV_OWNER),
		    -EPERM);
	T_ASSERT_EQ(CALL_OP(cti_call_handoff, &B2, cb2, "B"), 0);
	T_ASSERT_EQ(CALL_OP(cti_call_drop, &B, cb), 0);
	EXPECT_STATES(&B, &cb, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	EXPECT_STATES(&B2, &cb2, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_DISCONNECTED, CTI_DISC_NORMAL));
	CALL_OP(cti_call_drop, &A, ca);
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	p_close(&B2);
	teardown();
}

/* LIST_CALLS and SNAPSHOT: each call once, then the end, then the REPLY. */
static void list_calls_and_snapshot(void)
{
	uint32_t ca, cb;
	uint64_t req;
	const struct p_rec *r, *end;
	size_t i, calls = 0;
	int rc;

	setup(NULL);
	connect_ab(&A, &B, &ca, &cb);
	p_mark_all(&A);
	rc = cti_session_list_calls(A.s, A.line, &req);
	p_sent(&A, rc, req, "list_calls");
	T_ASSERT_EQ(p_reply(&A, req, NULL), 0);
	end = NULL;
	for (i = 0; i < A.n; i++) {
		r = &A.recs[i];
		if (r->checked)
			continue;
		if (r->type == CTI_MSG_CALL) {
			T_EXPECT(!end, "CALL after LIST_END");
			T_EXPECT_EQ(r->call, ca);
			T_EXPECT_EQ(r->state, CTI_CALL_CONNECTED);
			T_EXPECT(!strcmp(r->called, B.number), "called %s",
				 r->called);
			calls++;
		} else if (r->type == CTI_MSG_LIST_END) {
			end = r;
			T_EXPECT_EQ(r->req, req);
			T_EXPECT_EQ(r->arg, 1);
		} else if (r->type == CTI_MSG_REPLY && r->req == req) {
			T_EXPECT(end, "REPLY before LIST_END");
		}
	}
	T_EXPECT_EQ(calls, 1);
	T_EXPECT(end, "no LIST_END");

	p_mark_all(&B);
	rc = cti_session_snapshot(B.s, &req);
	p_sent(&B, rc, req, "snapshot");
	T_ASSERT_EQ(p_reply(&B, req, NULL), 0);
	calls = 0;
	for (i = 0; i < B.n; i++)
		if (!B.recs[i].checked && B.recs[i].type == CTI_MSG_CALL) {
			T_EXPECT_EQ(B.recs[i].call, cb);
			T_EXPECT_EQ(B.recs[i].state, CTI_CALL_CONNECTED);
			calls++;
		}
	T_EXPECT_EQ(calls, 1);
	hang_up(&A, ca, &B, cb);
	teardown();
}

/* A READY agent's call connects: BUSY; its last call ends: after-call work. */
static void agent_follows_calls(void)
{
	const struct p_rec *r;
	uint32_t ca, cb;
	uint64_t req;

	setup(NULL);
	P_SEND(&B, req, "agent ready",
	       cti_agent_set_state(B.line, CTI_AGENT_READY, 0, &req));
	T_ASSERT_EQ(p_reply(&B, req, NULL), 0);
	r = p_wait_msg(&B, CTI_MSG_AGENT_STATE, 2000);
	T_ASSERT(r && r->state == CTI_AGENT_READY, "not READY");
	connect_ab(&A, &B, &ca, &cb);
	r = p_wait_msg(&B, CTI_MSG_AGENT_STATE, 2000);
	T_ASSERT(r, "no AGENT_STATE when the call connected");
	T_EXPECT_EQ(r->state, CTI_AGENT_BUSY);
	hang_up(&A, ca, &B, cb);
	r = p_wait_msg(&B, CTI_MSG_AGENT_STATE, 2000);
	T_ASSERT(r, "no AGENT_STATE when the call ended");
	T_EXPECT_EQ(r->state, CTI_AGENT_AFTER_CALL_WORK);
	teardown();
}

/* Two park slots: an explicit slot that is taken is EBUSY. */
static void park_slot_taken(void)
{
	uint32_t ca, cb, cc, cd;

	setup(NULL);
	connect_ab(&A, &B, &ca, &cb);
	connect_ab(&C, &D, &cc, &cd);
	T_ASSERT_EQ(CALL_OP(cti_call_park, &B, cb, "705"), 0);
	EXPECT_STATES(&B, &cb, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_ONHOLD));
	T_EXPECT_EQ(CALL_OP(cti_call_park, &D, cd, "705"), -EBUSY);
	EXPECT_QUIET(&D, 50);
	/* the parked party hangs up: the slot is free again */
	CALL_OP(cti_call_drop, &A, ca);
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	T_EXPECT_EQ(CALL_OP_NEW(cti_line_unpark, &B, NULL, "705"), -ENOENT);
	T_ASSERT_EQ(CALL_OP(cti_call_park, &D, cd, "705"), 0);
	EXPECT_STATES(&D, &cd, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	EXPECT_STATES(&C, &cc, ST(CTI_CALL_ONHOLD));
	CALL_OP(cti_call_drop, &C, cc);
	EXPECT_STATES(&C, &cc, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	teardown();
}

/* The line goes out of service: LINE_STATUS, and calls to it fail. */
static void line_out_of_service(void)
{
	static const char out[] = "status out", in[] = "status in";
	const struct p_rec *st;
	uint32_t ca = 0;
	uint64_t req;

	setup(NULL);
	P_SEND(&B, req, "status out",
	       cti_line_dev_specific(B.line, out, strlen(out), &req));
	T_ASSERT_EQ(p_reply(&B, req, NULL), 0);
	st = p_wait_msg(&B, CTI_MSG_LINE_STATUS, 2000);
	T_ASSERT(st, "no LINE_STATUS");
	T_EXPECT_EQ(st->state, CTI_LINE_OUT_OF_SERVICE);
	T_EXPECT_EQ(cti_line_get_status(B.line), CTI_LINE_OUT_OF_SERVICE);
	T_ASSERT_EQ(make_call(&A, B.number, &ca), 0);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_OUT_OF_ORDER));
	CALL_OP(cti_call_drop, &A, ca);
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	P_SEND(&B, req, "status in",
	       cti_line_dev_specific(B.line, in, strlen(in), &req));
	T_ASSERT_EQ(p_reply(&B, req, NULL), 0);
	st = p_wait_msg(&B, CTI_MSG_LINE_STATUS, 2000);
	T_ASSERT(st, "no LINE_STATUS");
	T_EXPECT_EQ(cti_line_get_status(B.line), CTI_LINE_IN_SERVICE);
	teardown();
}

/* A phone button: pressed, then released; a link frame is not for the sim. */
static void phone_button_and_link(void)
{
	static const char cmd[] = "button 11";
	const struct p_rec *r;
	uint64_t req;

	setup(NULL);
	P_SEND(&A, req, "button",
	       cti_line_dev_specific(A.line, cmd, strlen(cmd), &req));
	T_ASSERT_EQ(p_reply(&A, req, NULL), 0);
	r = p_wait_msg(&A, CTI_MSG_PHONE_BUTTON, 2000);
	T_ASSERT(r, "no PHONE_BUTTON");
	T_EXPECT_EQ(r->arg, 11);
	T_EXPECT_EQ(r->state, 1);
	r = p_wait_msg(&A, CTI_MSG_PHONE_BUTTON, 2000);
	T_ASSERT(r, "no release");
	T_EXPECT_EQ(r->state, 0);
	/* the sim is no link card (ctid may refuse it before the sim does) */
	P_SEND(&A, req, "link frame",
	       cti_line_send_link_frame(A.line, "\x01\x02", 2, &req));
	T_EXPECT_EQ(p_reply(&A, req, NULL), -EOPNOTSUPP);
	teardown();
}

/* What libcti says of a line's calls follows them. */
static void line_num_calls(void)
{
	uint32_t ca, cb;

	setup(NULL);
	T_EXPECT_EQ(cti_line_get_num_calls(A.line), 0);
	connect_ab(&A, &B, &ca, &cb);
	p_pump(&A, 100);
	p_pump(&B, 0);
	T_EXPECT_EQ(cti_line_get_num_calls(A.line), 1);
	T_EXPECT_EQ(cti_line_get_num_calls(B.line), 1);
	hang_up(&A, ca, &B, cb);
	p_pump(&A, 100);
	p_pump(&B, 0);
	T_EXPECT_EQ(cti_line_get_num_calls(A.line), 0);
	T_EXPECT_EQ(cti_line_get_num_calls(B.line), 0);
	teardown();
}

/*
 * A random walk: four parties fire random operations at random calls for
 * a few seconds without waiting for answers. Whatever the sim accepts or
 * refuses, every request is answered exactly once, no call changes state
 * after its IDLE, every state and reason is in range, and when everybody
 * hangs up no call is left anywhere, as ctid's own call list confirms.
 * CTI_TEST_SEED picks the walk.
 */
static void random_walk(void)
{
	struct party *ps[] = { &A, &B, &C, &D };
	const char *seed_env = getenv("CTI_TEST_SEED");
	unsigned int seed = seed_env ? (unsigned int)atoi(seed_env) :
				       (unsigned int)t_now_ns();
	unsigned int i, steps = 0;
	int64_t t0;

	setup("outside_default = answer 50, digits 5, hangup 400\n");
	t_note("CTI_TEST_SEED=%u", seed);
	srandom(seed);
	t0 = t_now_ms();
	while (t_now_ms() - t0 < 4000) {
		p_walk_step(ps, 4);
		steps++;
		if (steps % 16 == 0)
			for (i = 0; i < 4; i++)
				p_pump(ps[i], 1);
	}
	p_walk_end(ps, 4);
	t_note("%u operations", steps);
	/* ctid's own view: no call left on any line */
	{
		uint64_t req;
		const struct p_rec *r;
		size_t k, n = 0;

		P_SEND(&A, req, "list", cti_session_list_calls(A.s, NULL, &req));
		T_ASSERT_EQ(p_reply(&A, req, NULL), 0);
		for (k = 0; k < A.n; k++) {
			r = &A.recs[k];
			if (!r->checked && r->type == CTI_MSG_CALL) {
				t_note("left: line %u call %u %s", r->line,
				       r->call, p_state_name(r->state));
				n++;
			}
		}
		T_EXPECT_EQ(n, 0);
	}
	teardown();
}

/*
 * The other two ways to use libcti: messages by callback from
 * cti_session_dispatch() in the program's own poll loop, and the blocking
 * cti_session_wait_reply(), whose reply is then not delivered again.
 */
struct cb_log {
	unsigned int replies, offering, total;
	uint64_t waited;
	uint32_t call;
};

static void cb(struct cti_session *s, struct cti_msg *m, void *data)
{
	struct cb_log *log = data;

	(void)s;
	log->total++;
	if (cti_msg_get_type(m) == CTI_MSG_REPLY) {
		log->replies++;
		T_EXPECT(cti_msg_get_request(m) != log->waited,
			 "a waited-for reply was delivered again");
	}
	if (cti_msg_get_type(m) == CTI_MSG_CALL_STATE &&
	    cti_msg_get_state(m) == CTI_CALL_OFFERING) {
		log->offering++;
		log->call = cti_msg_get_call(m);
	}
}

static void callback_and_wait_reply(void)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.flags = CTI_SESSION_NO_RECONNECT,
		.timeout_ms = 5000,
		.client_name = "cb",
	};
	struct cb_log log = { 0 };
	struct cti_session *s;
	struct cti_line *l;
	struct pollfd pfd;
	uint64_t req;
	uint32_t ca = 0;
	int64_t t0;
	int rc;

	setup(NULL);
	rc = cti_session_open(NULL, &o, &s);
	T_ASSERT(rc == 0, "open: %s", strerror(-rc));
	cti_session_set_callback(s, cb, &log);
	/* line 4, by index, then found again by its number */
	l = cti_session_get_line(s, 4);
	T_ASSERT(l, "no line 4");
	{
		struct cti_line *again;

		T_ASSERT_EQ(cti_session_find_line(s, cti_line_get_address(l, 0),
						  &again), 0);
		T_EXPECT(again == l, "find_line found another line");
		T_EXPECT_EQ(cti_session_find_line(s, "999999", &again), -ENOENT);
	}
	T_ASSERT_EQ(cti_line_open(l, CTI_PRIV_OWNER, &req), 0);
	log.waited = req;
	T_ASSERT_EQ(cti_session_wait_reply(s, req, 5000, NULL), 0);
	T_EXPECT_EQ(cti_session_wait_reply(s, req, 100, NULL), -ENOENT);
	T_ASSERT_EQ(make_call(&A, cti_line_get_address(l, 0), &ca), 0);
	/* the program's poll loop */
	pfd.fd = cti_session_get_fd(s);
	pfd.events = POLLIN;
	t0 = t_now_ms();
	while (!log.offering && t_now_ms() - t0 < 3000) {
		if (poll(&pfd, 1, 100) > 0)
			T_ASSERT(cti_session_dispatch(s) >= 0, "dispatch");
	}
	T_EXPECT_EQ(log.offering, 1);
	T_EXPECT_EQ(log.replies, 0);
	/* answer, blocking */
	T_ASSERT_EQ(cti_call_answer(l, log.call, &req), 0);
	log.waited = req;
	T_EXPECT_EQ(cti_session_wait_reply(s, req, 5000, NULL), 0);
	T_ASSERT_EQ(cti_call_drop(l, log.call, &req), 0);
	log.waited = req;
	T_EXPECT_EQ(cti_session_wait_reply(s, req, 5000, NULL), 0);
	cti_session_dispatch(s);
	cti_session_close(s);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK),
		      ST(CTI_CALL_CONNECTED),
		      SR(CTI_CALL_DISCONNECTED, CTI_DISC_NORMAL));
	CALL_OP(cti_call_drop, &A, ca);
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	teardown();
}

/* Lines, as libcti lists them, carry what ctid knows. */
static void line_listing(void)
{
	size_t n, i;

	setup(NULL);
	n = cti_session_get_num_lines(A.s);
	T_EXPECT_EQ(n, 6);
	for (i = 0; i < n; i++) {
		struct cti_line *l = cti_session_get_line(A.s, i);

		T_EXPECT(cti_line_get_num_addresses(l) >= 1, "no address");
		T_EXPECT(cti_line_supports(l, CTI_CMD_MAKE_CALL), "no MAKE_CALL");
		T_EXPECT_EQ(cti_line_get_status(l), CTI_LINE_IN_SERVICE);
		T_EXPECT(cti_line_get_name(l)[0], "no name");
		T_EXPECT(!strcmp(cti_line_get_provider_name(l), "sim"),
			 "provider %s", cti_line_get_provider_name(l));
	}
	T_EXPECT_EQ(cti_session_is_admin(A.s), 1);
	teardown();
}

/* ---- the reference sequences (switch/sequences.txt) ------------------ */

/*
 * Every scenario of switch/sequences.txt through ctid and libcti: a
 * private ctid with the scenario's sim keys, six parties A..F each owning
 * its line, commands through cti_line_submit(). A party's records are
 * compared in the order its session delivered them; the order between
 * parties is not ctid's to keep. The far end is played with the sim's
 * device-specific commands ("inbound", "farend CALL hangup|digits D").
 * Each scenario is its own case, seq_<name>.
 */
static struct seq_file seqf;
static struct party P[SEQ_LINES];
static size_t seq_cursor[SEQ_LINES];	/* next record of P[i] to hand out */

static int e2e_start(void *ctx, const struct seq_scenario *sc, char *why,
		     size_t len)
{
	static const char *const names[SEQ_LINES] = { "A", "B", "C", "D",
						       "E", "F" };
	char keys[2048] = "";
	size_t i, n = 0;

	(void)ctx;
	if (sc->skip_e2e[0]) {
		snprintf(why, len, "%s: %s", sc->name, sc->skip_e2e);
		return SEQ_SKIP;
	}
	for (i = 0; i < sc->nset; i++)
		n += snprintf(keys + n, sizeof(keys) - n, "%s = %s\n",
			      sc->set_key[i], sc->set_val[i]);
	for (i = 0; i < sc->nscript; i++)
		n += snprintf(keys + n, sizeof(keys) - n, "outside.%s = %s\n",
			      sc->script_num[i], sc->script[i]);
	T_ASSERT(n < sizeof(keys), "sim keys too long");
	T_ASSERT(t_ctid_start(&d, t_conf(SEQ_LINES, NULL, keys, NULL)) == 0,
		 "start");
	for (i = 0; i < SEQ_LINES; i++) {
		p_open(&P[i], names[i], i, CTI_PRIV_OWNER);
		seq_cursor[i] = 0;
	}
	return 0;
}

/*
 * Send @st with libcti's function for its command, so that the file also
 * covers the library's request helpers; cti_line_submit() only for the
 * device-specific text. Returns libcti's result (0 or -errno).
 */
static int e2e_send(struct party *p, const struct seq_step *st, uint32_t call,
		    uint32_t call2, uint64_t *req)
{
	struct cti_line *l = p->line;
	const char *n = st->data;

	switch (st->cmd) {
	case CTI_CMD_MAKE_CALL: return cti_line_make_call(l, n, req);
	case CTI_CMD_ANSWER: return cti_line_answer_call(l, call, req);
	case CTI_CMD_ACCEPT: return cti_line_accept_call(l, call, req);
	case CTI_CMD_DROP: return cti_line_drop_call(l, call, req);
	case CTI_CMD_HOLD: return cti_line_hold_call(l, call, req);
	case CTI_CMD_UNHOLD: return cti_line_unhold_call(l, call, req);
	case CTI_CMD_SWAP_HOLD: return cti_line_swap_hold(l, call, call2, req);
	case CTI_CMD_BLIND_TRANSFER:
		return cti_line_blind_transfer(l, call, n, req);
	case CTI_CMD_SETUP_TRANSFER:
		return cti_line_setup_transfer(l, call, n, req);
	case CTI_CMD_COMPLETE_TRANSFER:
		return cti_line_complete_transfer(l, call, call2, st->arg, req);
	case CTI_CMD_SETUP_CONFERENCE:
		return cti_line_setup_conference(l, call, n, req);
	case CTI_CMD_ADD_TO_CONFERENCE:
		return cti_line_add_to_conference(l, call, call2, req);
	case CTI_CMD_REMOVE_FROM_CONFERENCE:
		return cti_line_remove_from_conference(l, call, req);
	case CTI_CMD_REDIRECT: return cti_line_redirect_call(l, call, n, req);
	case CTI_CMD_PARK: return cti_line_park_call(l, call, n, req);
	case CTI_CMD_UNPARK: return cti_line_unpark(l, n, req);
	case CTI_CMD_PICKUP: return cti_line_pickup(l, n, req);
	case CTI_CMD_SET_FORWARD:
		return cti_line_set_forward(l, st->arg, n, req);
	case CTI_CMD_SET_DND: return cti_line_set_dnd(l, st->arg, req);
	case CTI_CMD_GENERATE_DIGITS:
		return cti_line_generate_digits(l, call, n, req);
	}
	return cti_line_submit(l, st->cmd, call, call2, st->arg, st->arg2, n,
			       strlen(n), req);
}

/* A request on @p; its REPLY's error, or libcti's own refusal. */
static int e2e_request(struct party *p, const struct seq_step *st,
		       uint32_t call, uint32_t call2, uint32_t *newcall)
{
	uint64_t req = 0;
	int rc;

	rc = e2e_send(p, st, call, call2, &req);
	/*
	 * Refused before it left: no REPLY. libcti checks the characters of
	 * numbers and digits itself and answers -EILSEQ (lib/cti.h) where
	 * the switch, reached through the kernel or a provider, answers
	 * -EINVAL: the same refusal one layer earlier, so the file's EINVAL
	 * holds for it.
	 */
	if (rc == -EILSEQ && st->result == -EINVAL)
		return -EINVAL;
	if (rc < 0)
		return rc;
	p_sent(p, rc, req, "seq");
	return p_reply(p, req, newcall);
}

static int e2e_act(void *ctx, const struct seq_step *st, uint32_t call,
		   uint32_t call2, uint32_t *newcall, char *why, size_t len)
{
	struct party *p = &P[st->line];
	char text[SEQ_TEXT + 32];
	uint64_t req = 0;
	int err, rc;

	(void)ctx;
	switch (st->kind) {
	case SEQ_CMD:
		err = e2e_request(p, st, call, call2, newcall);
		/* libcti sends no more than one record's worth of digits. */
		if (err == -ENAMETOOLONG && !st->result) {
			snprintf(why, len, "line %d: libcti refuses '%s' as too long",
				 st->lineno, st->data);
			return SEQ_SKIP;
		}
		return err;
	case SEQ_INBOUND:
		snprintf(text, sizeof(text), "inbound %s", st->data);
		break;
	case SEQ_FAR_HANGUP:
		snprintf(text, sizeof(text), "farend %u hangup", call);
		break;
	case SEQ_FAR_DIGITS:
		snprintf(text, sizeof(text), "farend %u digits %s", call,
			 st->data);
		break;
	default:
		return 0;
	}
	rc = cti_line_dev_specific(p->line, text, strlen(text), &req);
	p_sent(p, rc, req, text);
	err = p_reply(p, req, NULL);
	if (err)
		snprintf(why, len, "'%s' on %s: %s", text, p->name,
			 strerror(-err));
	return err ? SEQ_ERROR : 0;
}

/* The next unseen record of any party, as the kernel ABI names it. */
static bool e2e_take(struct seq_rec *x)
{
	size_t i;

	for (i = 0; i < SEQ_LINES; i++) {
		struct party *p = &P[i];

		while (seq_cursor[i] < p->n) {
			struct p_rec *r = &p->recs[seq_cursor[i]++];

			if (r->type != CTI_MSG_CALL_STATE &&
			    r->type != CTI_MSG_CALL_INFO &&
			    r->type != CTI_MSG_DIGITS)
				continue;
			r->checked = true;
			memset(x, 0, sizeof(*x));
			x->type = r->type == CTI_MSG_CALL_STATE ?
				  CTI_EV_CALL_STATE :
				  r->type == CTI_MSG_CALL_INFO ?
				  CTI_EV_CALL_INFO : CTI_EV_DIGITS;
			x->line = i;
			x->call = r->call;
			x->state = r->state;
			x->reason = r->reason;
			x->related = r->related;
			x->origin = r->origin;
			x->changed = r->changed;
			snprintf(x->caller, sizeof(x->caller), "%s", r->caller);
			snprintf(x->called, sizeof(x->called), "%s", r->called);
			snprintf(x->digits, sizeof(x->digits), "%.*s",
				 (int)sizeof(x->digits) - 1, r->text);
			return true;
		}
	}
	return false;
}

static int e2e_next(void *ctx, int timeout_ms, struct seq_rec *x)
{
	int64_t end = t_now_ms() + timeout_ms;
	size_t i;

	(void)ctx;
	for (;;) {
		if (e2e_take(x))
			return 1;
		if (t_now_ms() >= end)
			return 0;
		for (i = 0; i < SEQ_LINES; i++)
			p_pump(&P[i], 0);
		if (!e2e_take(x))
			p_pump(&P[0], 2);
		else
			return 1;
	}
}

static void e2e_stop(void *ctx)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < SEQ_LINES; i++)
		p_close(&P[i]);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

static const struct seq_host e2e_host = {
	.start = e2e_start,
	.act = e2e_act,
	.next = e2e_next,
	.stop = e2e_stop,
	.quiet_ms = 100,
};

static void seq_case(size_t i)
{
	char msg[512];
	enum seq_result res;

	res = seq_run(&seqf, &seqf.sc[i], &e2e_host, NULL, msg, sizeof(msg));
	if (res == SEQ_SKIPPED)
		t_skip("%s", msg);
	T_ASSERT(res == SEQ_PASS, "%s", msg);
}

/* One case function per scenario slot: t_main's cases take no argument. */
#define SEQ_MAX_CASES	64
#define SEQ_FN(n, k) \
	static void seq_##n##k(void) { seq_case(8 * n + k); }
#define SEQ_FN8(n) SEQ_FN(n, 0) SEQ_FN(n, 1) SEQ_FN(n, 2) SEQ_FN(n, 3) \
	SEQ_FN(n, 4) SEQ_FN(n, 5) SEQ_FN(n, 6) SEQ_FN(n, 7)
SEQ_FN8(0) SEQ_FN8(1) SEQ_FN8(2) SEQ_FN8(3)
SEQ_FN8(4) SEQ_FN8(5) SEQ_FN8(6) SEQ_FN8(7)
#define SEQ_REF8(n) seq_##n##0, seq_##n##1, seq_##n##2, seq_##n##3, \
	seq_##n##4, seq_##n##5, seq_##n##6, seq_##n##7
static void (*const seq_fns[SEQ_MAX_CASES])(void) = {
	SEQ_REF8(0), SEQ_REF8(1), SEQ_REF8(2), SEQ_REF8(3),
	SEQ_REF8(4), SEQ_REF8(5), SEQ_REF8(6), SEQ_REF8(7),
};

int main(int argc, char **argv)
{
	static const struct t_case fixed[] = {
		T_CASE(line_listing),
		T_CASE(line_num_calls),
		T_CASE(basic_call),
		T_CASE(call_info_comes_first),
		T_CASE(busy),
		T_CASE(do_not_disturb),
		T_CASE(park_unpark),
		T_CASE(forward_unconditional),
		T_CASE_TIMEOUT(forward_on_no_answer, 60),
		T_CASE(park_slot_taken),
		T_CASE(line_out_of_service),
		T_CASE(phone_button_and_link),
		T_CASE(digits_and_tones),
		T_CASE(monitor_sees_owner_states),
		T_CASE(bad_requests),
		T_CASE(outside_answers_and_hangs_up),
		T_CASE(outside_busy_unreachable_reject),
		T_CASE(inbound_call),
		T_CASE(phone),
		T_CASE(agent_states),
		T_CASE(agent_follows_calls),
		T_CASE(handoff),
		T_CASE(list_calls_and_snapshot),
		T_CASE(callback_and_wait_reply),
		T_CASE_TIMEOUT(random_walk, 60),
	};
	static struct t_case cases[sizeof(fixed) / sizeof(fixed[0]) +
				   SEQ_MAX_CASES];
	static char names[SEQ_MAX_CASES][64];
	size_t n = sizeof(fixed) / sizeof(fixed[0]), i;
	char err[256];

	memcpy(cases, fixed, sizeof(fixed));
	if (seq_load(&seqf, getenv("CTI_SEQ_FILE") ?: SEQ_FILE, err,
		     sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (seqf.nsc > SEQ_MAX_CASES) {
		fprintf(stderr, "%zu scenarios, room for %d\n", seqf.nsc,
			SEQ_MAX_CASES);
		return 1;
	}
	for (i = 0; i < seqf.nsc; i++, n++) {
		snprintf(names[i], sizeof(names[i]), "seq_%s", seqf.sc[i].name);
		cases[n].name = names[i];
		cases[n].fn = seq_fns[i];
		cases[n].timeout_s = 60;
	}
	return t_main(argc, argv, cases, n);
}
