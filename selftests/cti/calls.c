// SPDX-License-Identifier: GPL-2.0
/*
 * calls: what the cti_sim card does around its calls, not the calls
 * themselves.
 *
 * The call sequences (make, answer, hold, transfer, conference, redirect,
 * forward, park, pickup, digits, the far end, the errnos a wrong state
 * gets) live once in switch/sequences.txt, which the sequences test runs
 * on a card here and the provider and end-to-end tests run in userspace;
 * a sequence is changed or added there, not here. This file keeps what
 * that notation does not compare: that call handles are unique, the
 * LINE_STATUS records of forwarding and do-not-disturb and their bad
 * arguments, tones, the phone commands, DEV_SPECIFIC, link frames on a
 * call card, the fault knobs (fail_next, link), that every request id
 * gets exactly one REPLY in a burst, the far_end rules and the debugfs
 * controls' errnos, SNAPSHOT against the switch, and the card's configfs
 * properties and debugfs directory.
 *
 * Each TEST_F makes its own card (4 lines numbered 100..103, 4 phones);
 * CALL_STATE records are compared as a string: "0:DIALING 1:OFFERING
 * 0:RINGBACK" is line 0 DIALING, then line 1 OFFERING (reason DIRECT,
 * which is 0 and so not shown), then line 0 RINGBACK; a non-zero reason
 * follows a slash ("1:IDLE/NORMAL"). Every request id must be answered by
 * exactly one REPLY, failed commands included: the teardown drains the
 * card and counts them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "cti_test.h"
#include "../../switch/call_names.h"

#define QUIET_MS	150	/* no record for this long: the switch is idle */
#define WAIT_MS		3000	/* the longest a record may take */
#define MAX_IDS		1024

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
			name = cti_state_names[cs->state];
		if (cs->reason && (cs->state == CTI_CALL_IDLE ||
				   cs->state == CTI_CALL_DISCONNECTED))
			reason = cs->reason < sizeof(cti_disc_names) /
					      sizeof(cti_disc_names[0]) ?
				 cti_disc_names[cs->reason] : "?";
		else if (cs->reason && cs->state == CTI_CALL_OFFERING)
			reason = cs->reason < sizeof(cti_offer_names) /
					      sizeof(cti_offer_names[0]) ?
				 cti_offer_names[cs->reason] : "?";
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

/* ---- handles ---------------------------------------------------------- */

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

/* ---- forward and do-not-disturb: LINE_STATUS and bad arguments --------- */

/*
 * What a line's forwarding is, it says in LINE_STATUS (the sequences do
 * not compare those records); a mode the ABI does not know is EINVAL.
 */
TEST_F(calls, forward_line_status)
{
	const struct cti_ev_line_status *ls;

	ASSERT_EQ(0, REQ(CTI_CMD_SET_FORWARD, 1, 0, 0,
			 CTI_FORWARD_UNCONDITIONAL, 0, "102", NULL));
	ls = find_ev(self, CTI_EV_LINE_STATUS, 1);
	ASSERT_NE(NULL, ls);
	EXPECT_EQ(CTI_FORWARD_UNCONDITIONAL, ls->forward_mode);
	EXPECT_STREQ("102", ls->forward_to);
	EXPECT_EQ(0, ls->dnd);
	EXPECT_EQ(CTI_LINE_IN_SERVICE, ls->status);

	ASSERT_EQ(0, REQ(CTI_CMD_SET_FORWARD, 1, 0, 0, CTI_FORWARD_NONE, 0,
			 NULL, NULL));
	ls = find_ev(self, CTI_EV_LINE_STATUS, 1);
	ASSERT_NE(NULL, ls);
	EXPECT_EQ(CTI_FORWARD_NONE, ls->forward_mode);
	EXPECT_STREQ("", ls->forward_to);

	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_SET_FORWARD, 1, 0, 0, 9, 0, "102",
				    NULL));
	EXPECT_STATES("");
}

TEST_F(calls, dnd_line_status)
{
	const struct cti_ev_line_status *ls;

	ASSERT_EQ(0, REQ(CTI_CMD_SET_DND, 1, 0, 0, 1, 0, NULL, NULL));
	ls = find_ev(self, CTI_EV_LINE_STATUS, 1);
	ASSERT_NE(NULL, ls);
	EXPECT_EQ(1, ls->dnd);
	ASSERT_EQ(0, REQ(CTI_CMD_SET_DND, 1, 0, 0, 0, 0, NULL, NULL));
	ls = find_ev(self, CTI_EV_LINE_STATUS, 1);
	ASSERT_NE(NULL, ls);
	EXPECT_EQ(0, ls->dnd);
	EXPECT_REFUSED(-EINVAL, REQ(CTI_CMD_SET_DND, 1, 0, 0, 2, 0, NULL, NULL));
	EXPECT_STATES("");
}

/* ---- tones, phones, escape hatch --------------------------------------- */

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

/* ---- the far end's controls and rules ---------------------------------- */

/* far_hangup names a call whose far end is there: not gone, not dropped. */
TEST_F(calls, far_hangup_control)
{
	uint32_t c = 0;

	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "5550 answer 50"));
	ASSERT_EQ(0, REQ(CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "5550", &c));
	ASSERT_EQ(0, wait_state(self, 0, CTI_CALL_CONNECTED));
	cti_evlog_free(&self->log);
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "far_hangup", "%u", c));
	ASSERT_EQ(0, wait_state(self, 0, CTI_CALL_DISCONNECTED));
	EXPECT_STATES("0:DISCONNECTED/NORMAL");
	/* It is gone: no far end to hang up any more. */
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "far_hangup", "%u", c));
	ASSERT_EQ(0, REQ(CTI_CMD_DROP, 0, c, 0, 0, 0, NULL, NULL));
	EXPECT_STATES("0:IDLE/NORMAL");
	EXPECT_EQ(-ENOENT, cti_sim_ctl(&self->sim, "far_hangup", "%u", c));
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

/* The inbound, far_hangup and far_digits controls refuse what is wrong. */
TEST_F(calls, inbound_controls)
{
	const struct cti_ev_call_info *ci;

	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "inbound", "2 5551234"));
	ASSERT_EQ(0, wait_state(self, 2, CTI_CALL_OFFERING));
	ci = find_ev(self, CTI_EV_CALL_INFO, 2);
	ASSERT_NE(NULL, ci);

	EXPECT_EQ(-ENOENT, cti_sim_ctl(&self->sim, "inbound", "4 555"));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "inbound", "1 5a5"));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "inbound", "1"));
	EXPECT_EQ(-ENOENT, cti_sim_ctl(&self->sim, "far_hangup", "123456"));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "far_digits", "%u 5x",
				       ci->call));
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
