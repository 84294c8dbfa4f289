// SPDX-License-Identifier: GPL-2.0
/*
 * kcard_e2e: the whole kernel path, end to end. A libcti program (this
 * test) talks to ctid, which runs the kcard provider over a cti_sim card:
 * every reference sequence of switch/sequences.txt (make, answer, hold,
 * transfer, conference, drop, digits ...), the phone (hook, display,
 * buttons; its lamp and display state as a client sees it), a card unplugged mid-call, a card that appears later, a ring
 * overflow flood, ctid killed and restarted while the card runs, and
 * module unload while ctid holds a card.
 *
 * Each test makes its own card (6 lines numbered 100..105, 6 phones) and
 * its own ctid (e2e_ctid.h); only the card's lines are the test's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "kselftest_harness.h"
#include "cti_test.h"
#include "seqfile.h"
#include "seq_card.h"
#include "e2e_ctid.h"

#define E2E_RECS	4096

/* A message as this test keeps it. */
struct rec {
	uint32_t type, line, call, state, reason, related, origin, arg;
	uint64_t changed, req, gap, ts;
	int error;
	char caller[32], called[32], text[64];
};

struct e2e {
	struct cti_sim sim;
	struct cti_sim peer;		/* the switch's end of a link card */
	struct e2e_ctid d;
	struct cti_session *s;
	struct cti_line *line[SEQ_LINES];
	uint32_t id[SEQ_LINES];
	struct rec recs[E2E_RECS];
	size_t n, cursor;
};

static void keep(struct e2e *e, struct cti_msg *m)
{
	struct rec *r;

	if (e->n == E2E_RECS)
		return;		/* a test never needs that many */
	r = &e->recs[e->n++];
	memset(r, 0, sizeof(*r));
	r->type = cti_msg_get_type(m);
	r->line = cti_msg_get_line_id(m);
	r->call = cti_msg_get_call(m);
	r->state = cti_msg_get_state(m);
	r->reason = cti_msg_get_reason(m);
	r->related = cti_msg_get_related_call(m);
	r->origin = cti_msg_get_origin(m);
	r->changed = cti_msg_get_changed(m);
	r->arg = cti_msg_get_arg(m);
	r->req = cti_msg_get_request(m);
	r->error = cti_msg_get_error(m);
	r->ts = cti_msg_get_timestamp_ns(m);
	if (r->type == CTI_MSG_GAP)
		r->gap = cti_msg_get_gap(m, NULL, NULL);
	snprintf(r->caller, sizeof(r->caller), "%s", cti_msg_get_caller(m));
	snprintf(r->called, sizeof(r->called), "%s", cti_msg_get_called(m));
	snprintf(r->text, sizeof(r->text), "%s", cti_msg_get_text(m));
	if (r->type == CTI_MSG_DEV_SPECIFIC) {
		const void *data;
		size_t len = cti_msg_get_data(m, &data);

		if (len < sizeof(r->text)) {
			memcpy(r->text, data, len);
			r->text[len] = '\0';
		}
	}
}

/* Take what the session has, waiting up to @ms for the first message. */
static void pump(struct e2e *e, int ms)
{
	struct cti_msg *m;

	if (ms)
		cti_session_wait(e->s, ms);
	while (cti_session_next_msg(e->s, &m) > 0) {
		keep(e, m);
		cti_msg_free(m);
	}
}

/* The first record of @type (and @line_id unless 0) after @from, waiting. */
static const struct rec *wait_rec(struct e2e *e, size_t from, uint32_t type,
				  uint32_t line_id, int ms)
{
	int64_t end = cti_now_ms() + ms;

	for (;;) {
		for (size_t i = from; i < e->n; i++)
			if (e->recs[i].type == type &&
			    (!line_id || e->recs[i].line == line_id))
				return &e->recs[i];
		if (cti_now_ms() > end)
			return NULL;
		pump(e, 50);
	}
}

/* A state of @call on line @l after @from, waiting. */
static int wait_state_ms(struct e2e *e, size_t from, int l, uint32_t call,
			 uint32_t state, int ms)
{
	int64_t end = cti_now_ms() + ms;

	for (;;) {
		for (size_t i = from; i < e->n; i++) {
			const struct rec *r = &e->recs[i];

			if (r->type == CTI_MSG_CALL_STATE && r->line == e->id[l] &&
			    (!call || r->call == call) && r->state == state)
				return 0;
		}
		if (cti_now_ms() > end)
			return -ETIMEDOUT;
		pump(e, 50);
	}
}

static int wait_state(struct e2e *e, size_t from, int l, uint32_t call,
		      uint32_t state)
{
	return wait_state_ms(e, from, l, call, state, 5000);
}

static uint64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Make the card (6 lines, 6 phones), not live yet. */
static int sim_make(struct e2e *e)
{
	return cti_sim_setup(&e->sim, SEQ_LINES, SEQ_LINES, "call");
}

/* Wait until the card's @n first lines are present, and open them. */
static int lines_open(struct e2e *e, unsigned int n)
{
	int64_t end = cti_now_ms() + 10000;
	uint64_t req;
	int ret;

	for (unsigned int i = 0; i < n; i++) {
		while (!(e->line[i] = e2e_line(e->s, e->sim.name, i))) {
			if (cti_now_ms() > end)
				return -ETIMEDOUT;
			pump(e, 50);
		}
		e->id[i] = cti_line_get_id(e->line[i]);
		ret = cti_line_open(e->line[i], CTI_PRIV_OWNER, &req);
		if (!ret)
			ret = cti_session_wait_reply(e->s, req, 5000, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/* ctid with kcard, and a session on it. */
static int e2e_start(struct e2e *e, const char *kcard_keys)
{
	int ret;

	ret = e2e_ctid_write(&e->d, kcard_keys ? kcard_keys : "");
	if (!ret)
		ret = e2e_ctid_spawn(&e->d);
	if (!ret)
		ret = e2e_session(&e->d, 15000, &e->s);
	return ret;
}

/* ctid, then the card made and live: what most tests start from. */
static int live_card(struct e2e *e)
{
	int ret = e2e_start(e, NULL);

	if (!ret)
		ret = sim_make(e);
	if (!ret)
		ret = cti_sim_set_live(&e->sim, 1);
	return ret;
}

static void e2e_end(struct e2e *e)
{
	if (e->s)
		cti_session_close(e->s);
	e->s = NULL;
	if (e->d.pid > 0 && e2e_ctid_stop(&e->d, 0) != 0)
		e2e_ctid_dump(&e->d);
	cti_sim_destroy(&e->sim);
	if (e->peer.dir[0])	/* made by this test (fd is not -1 before) */
		cti_sim_destroy(&e->peer);
}

/* A request on line @l, waited for: its result; @call gets its call. */
static int req(struct e2e *e, int l, unsigned int cmd, uint32_t call,
	       uint32_t call2, uint32_t arg, uint32_t arg2, const char *data,
	       uint32_t *newcall)
{
	uint64_t id;
	int ret;

	ret = cti_line_submit(e->line[l], cmd, call, call2, arg, arg2,
			      data ? data : "", data ? strlen(data) : 0, &id);
	if (ret)
		return ret;
	return cti_session_wait_reply(e->s, id, 5000, newcall);
}

/* A connected call from line @a to line @b: both calls' handles. */
static int connect(struct e2e *e, int a, int b, uint32_t *ca, uint32_t *cb)
{
	char num[8];
	size_t from = e->n;
	const struct rec *r;
	int ret;

	snprintf(num, sizeof(num), "%d", 100 + b);
	ret = req(e, a, CTI_CMD_MAKE_CALL, 0, 0, 0, 0, num, ca);
	if (ret)
		return ret;
	for (;;) {
		r = wait_rec(e, from, CTI_MSG_CALL_STATE, e->id[b], 5000);
		if (!r)
			return -ETIMEDOUT;
		if (r->state == CTI_CALL_OFFERING)
			break;
		from = (size_t)(r - e->recs) + 1;
	}
	*cb = r->call;
	from = e->n;
	ret = req(e, b, CTI_CMD_ANSWER, *cb, 0, 0, 0, NULL, NULL);
	if (!ret)
		ret = wait_state(e, from, a, *ca, CTI_CALL_CONNECTED);
	return ret;
}

/* The calls ctid lists for line @l now: their count; states into @st. */
static int list_calls(struct e2e *e, int l, uint32_t *calls, uint32_t *st,
		      int max)
{
	size_t from = e->n;
	uint64_t id;
	int ret, n = 0;

	ret = cti_session_list_calls(e->s, e->line[l], &id);
	if (!ret)
		ret = cti_session_wait_reply(e->s, id, 5000, NULL);
	if (ret)
		return ret;
	pump(e, 0);
	for (size_t i = from; i < e->n; i++) {
		const struct rec *r = &e->recs[i];

		if (r->type != CTI_MSG_CALL || r->req != id || n >= max)
			continue;
		calls[n] = r->call;
		st[n++] = r->state;
	}
	return n;
}

/* ---- the reference sequences through ctid and kcard ------------------- */

static int s_start(void *ctx, const struct seq_scenario *sc, char *why,
		   size_t len)
{
	struct e2e *e = ctx;
	int ret = seq_card_can(sc, why, len);

	/*
	 * "skip e2e:" is not consulted: it names what the userspace sim's
	 * far end (DEV_SPECIFIC) cannot do; here the far end is the card's
	 * own, played through debugfs as the kernel runner does.
	 */
	if (ret)
		return ret;
	ret = sim_make(e);
	if (!ret)
		ret = seq_card_far_end(&e->sim, sc);
	if (!ret)
		ret = cti_sim_set_live(&e->sim, 1);
	if (!ret)
		ret = lines_open(e, SEQ_LINES);
	if (ret) {
		snprintf(why, len, "%s: setting up: %s", sc->name, strerror(-ret));
		return SEQ_ERROR;
	}
	e->cursor = e->n;
	return 0;
}

static int s_act(void *ctx, const struct seq_step *st, uint32_t call,
		 uint32_t call2, uint32_t *newcall, char *why, size_t len)
{
	struct e2e *e = ctx;
	int ret;

	if (st->kind == SEQ_CMD) {
		ret = req(e, st->line, st->cmd, call, call2, st->arg, st->arg2,
			  st->data, newcall);
		/* libcti refuses a bad number itself (-EILSEQ): the same
		 * refusal as the switch's -EINVAL, one layer earlier */
		if (ret == -EILSEQ && st->result == -EINVAL)
			ret = -EINVAL;
		if (ret == -ENAMETOOLONG && !st->result) {
			snprintf(why, len, "line %d: libcti refuses '%s' as too long",
				 st->lineno, st->data);
			return SEQ_SKIP;
		}
		return ret;
	}
	ret = seq_card_far_act(&e->sim, st, call);
	if (ret)
		snprintf(why, len, "the far end's control failed: %s",
			 strerror(-ret));
	return ret ? SEQ_ERROR : 0;
}

static int s_party(const struct e2e *e, uint32_t line_id)
{
	for (int i = 0; i < SEQ_LINES; i++)
		if (e->id[i] == line_id)
			return i;
	return -1;
}

static int s_next(void *ctx, int timeout_ms, struct seq_rec *x)
{
	struct e2e *e = ctx;
	int64_t end = cti_now_ms() + timeout_ms;

	for (;;) {
		while (e->cursor < e->n) {
			const struct rec *r = &e->recs[e->cursor++];
			int p = s_party(e, r->line);

			if (p < 0 || (r->type != CTI_MSG_CALL_STATE &&
				      r->type != CTI_MSG_CALL_INFO &&
				      r->type != CTI_MSG_DIGITS))
				continue;
			memset(x, 0, sizeof(*x));
			x->type = r->type == CTI_MSG_CALL_STATE ? CTI_EV_CALL_STATE :
				  r->type == CTI_MSG_CALL_INFO ? CTI_EV_CALL_INFO :
				  CTI_EV_DIGITS;
			x->line = (uint8_t)p;
			x->call = r->call;
			x->state = r->state;
			x->reason = r->reason;
			x->related = r->related;
			x->origin = r->origin;
			x->changed = r->changed;
			snprintf(x->caller, sizeof(x->caller), "%s", r->caller);
			snprintf(x->called, sizeof(x->called), "%s", r->called);
			snprintf(x->digits, sizeof(x->digits), "%s", r->text);
			return 1;
		}
		if (cti_now_ms() >= end)
			return 0;
		pump(e, (int)(end - cti_now_ms()));
	}
}

static void s_stop(void *ctx)
{
	(void)ctx;	/* the fixture's teardown ends ctid and the card */
}

static const struct seq_host s_host = {
	.start = s_start,
	.act = s_act,
	.next = s_next,
	.stop = s_stop,
	.quiet_ms = 300,	/* TCG, and one more hop than the card's own */
};

FIXTURE(scenario) {
	struct seq_file file;
	struct e2e *e;
};

FIXTURE_VARIANT(scenario) {
	const char *name;
};

/* seq_text[], then one FIXTURE_VARIANT_ADD per scenario. */
#include "sequences.inc"

FIXTURE_SETUP(scenario)
{
	char err[256];

	self->e = calloc(1, sizeof(*self->e));
	ASSERT_NE(NULL, self->e);
	self->e->sim.fd = -1;
	ASSERT_EQ(0, seq_parse(&self->file, seq_text, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, e2e_start(self->e, NULL));
}

FIXTURE_TEARDOWN(scenario)
{
	e2e_end(self->e);
	free(self->e);
	seq_free(&self->file);
}

TEST_F_TIMEOUT(scenario, run, 120)
{
	const struct seq_scenario *sc = seq_find(&self->file, variant->name);
	enum seq_result res;
	char msg[512];

	ASSERT_NE(NULL, sc);
	res = seq_run(&self->file, sc, &s_host, self->e, msg, sizeof(msg));
	if (res == SEQ_SKIPPED)
		SKIP(return, "%s", msg);
	if (res == SEQ_FAIL) {
		TH_LOG("%s", msg);
		e2e_ctid_dump(&self->e->d);
	}
	ASSERT_EQ(SEQ_PASS, res);
}

/* ---- the card's life under ctid ---------------------------------------- */

FIXTURE(card) {
	struct e2e *e;
};

FIXTURE_SETUP(card)
{
	self->e = calloc(1, sizeof(*self->e));
	ASSERT_NE(NULL, self->e);
	self->e->sim.fd = -1;
}

FIXTURE_TEARDOWN(card)
{
	e2e_end(self->e);
	free(self->e);
}

/* A card that appears after ctid started: its lines come, as LINE_ADDED. */
TEST_F(card, appears_later)
{
	struct e2e *e = self->e;

	ASSERT_EQ(0, e2e_start(e, NULL));
	ASSERT_EQ(0, sim_make(e));
	pump(e, 300);
	ASSERT_EQ(NULL, e2e_line(e->s, e->sim.name, 0));
	ASSERT_EQ(0, cti_sim_set_live(&e->sim, 1));
	ASSERT_EQ(0, lines_open(e, SEQ_LINES));
	ASSERT_NE(NULL, wait_rec(e, 0, CTI_MSG_LINE_ADDED, e->id[5], 5000));
	EXPECT_EQ(0, strcmp(cti_line_get_address(e->line[2], 0), "102"));
}

/* The phone: hook and display commands, and a person pressing a button. */
TEST_F(card, phone)
{
	struct e2e *e = self->e;
	const struct rec *r;
	struct cti_phone *p;
	uint64_t t0, t1, lr;
	size_t from;

	ASSERT_EQ(0, live_card(e));
	ASSERT_EQ(0, lines_open(e, 2));
	from = e->n;
	ASSERT_EQ(0, req(e, 1, CTI_CMD_SET_HOOK, 0, 0, CTI_HOOKSWITCH_HANDSET,
			 CTI_HOOK_MICSPEAKER, NULL, NULL));
	r = wait_rec(e, from, CTI_MSG_PHONE_HOOK, e->id[1], 5000);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(CTI_HOOKSWITCH_HANDSET, r->arg);
	EXPECT_EQ(CTI_HOOK_MICSPEAKER, r->state);
	EXPECT_EQ(0, req(e, 1, CTI_CMD_SET_DISPLAY, 0, 0, 1, 3, "hello", NULL));
	EXPECT_EQ(0, req(e, 1, CTI_CMD_SET_LAMP, 0, 0, 1, CTI_LAMP_FLASH, NULL,
			 NULL));
	EXPECT_EQ(-EINVAL, req(e, 1, CTI_CMD_SET_LAMP, 0, 0, 1, 99, NULL, NULL));
	/* No kernel record holds lamps or the display: kcard posts them. */
	ASSERT_EQ(0, cti_session_list_phones(e->s, &lr));
	ASSERT_EQ(0, cti_session_wait_reply(e->s, lr, 5000, NULL));
	p = cti_line_get_phone(e->line[1]);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(CTI_LAMP_FLASH, cti_phone_get_lamp(p, 1));
	EXPECT_EQ(0, strncmp(cti_phone_get_display_row(p, 1), "   hello", 8));

	from = e->n;
	t0 = real_ns();
	ASSERT_EQ(0, cti_sim_ctl(&e->sim, "button", "1 11 1"));
	t1 = real_ns();
	r = wait_rec(e, from, CTI_MSG_PHONE_BUTTON, e->id[1], 5000);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(11, r->arg);
	EXPECT_EQ(1, r->state);
	/* stamped when the card posted it (during the write), not later
	 * when ctid read it; 1 ms of slack for the two clocks' conversion */
	EXPECT_LE(t0 - 1000000, r->ts);
	EXPECT_GE(t1 + 1000000, r->ts);
}

/*
 * Unplugged mid-call: the lines go (LINE_REMOVED), requests end (a REPLY
 * in flight completes once, with 0 or ENODEV; later ones get ENODEV),
 * ctid stays up, and the card back again brings the same line ids.
 */
TEST_F(card, unplug_mid_call)
{
	struct e2e *e = self->e;
	uint32_t ca, cb, id0;
	uint64_t inflight;
	int ret;

	ASSERT_EQ(0, live_card(e));
	ASSERT_EQ(0, lines_open(e, 2));
	ASSERT_EQ(0, connect(e, 0, 1, &ca, &cb));
	id0 = e->id[0];
	ASSERT_EQ(0, cti_line_hold_call(e->line[0], ca, &inflight));
	ASSERT_EQ(0, cti_sim_set_live(&e->sim, 0));
	ret = cti_session_wait_reply(e->s, inflight, 5000, NULL);
	EXPECT_TRUE(ret == 0 || ret == -ENODEV) TH_LOG("in flight: %d", ret);
	ASSERT_NE(NULL, wait_rec(e, 0, CTI_MSG_LINE_REMOVED, e->id[0], 5000));
	ASSERT_NE(NULL, wait_rec(e, 0, CTI_MSG_LINE_REMOVED, e->id[1], 5000));
	ret = req(e, 0, CTI_CMD_DROP, ca, 0, 0, 0, NULL, NULL);
	EXPECT_EQ(-ENODEV, ret);
	ASSERT_EQ(0, cti_sim_set_live(&e->sim, 1));
	ASSERT_EQ(0, lines_open(e, 2));
	EXPECT_EQ(id0, e->id[0]);
	EXPECT_EQ(1, e->d.pid > 0 && kill(e->d.pid, 0) == 0);
}

/* Run ctictl (from the e2e payload) against ctid with @args; 0 or -1. */
static int ctictl_out(struct e2e *e, const char *args, char *out, size_t size)
{
	char cmd[512];
	size_t len = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "E2E=%s; . \"$E2E/env.sh\" && ctictl -u %s %s",
		 e2e_dir(), e->d.uri, args);
	out[0] = '\0';
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (len < size - 1 && fgets(out + len, size - len, f))
		len += strlen(out + len);
	return pclose(f) ? -1 : 0;
}

/*
 * The "lost" of card @name in `ctictl --json cards` output: the number
 * after "lost": in the card's object (the keys follow "name"), or -1.
 */
static long long json_card_lost(const char *out, const char *name)
{
	char want[128];
	const char *p;

	snprintf(want, sizeof(want), "\"name\":\"%s\"", name);
	p = strstr(out, want);
	p = p ? strstr(p, "\"lost\":") : NULL;
	return p ? strtoll(p + strlen("\"lost\":"), NULL, 10) : -1;
}

/*
 * A flood overflows ctid's ring of the card: the client gets GAP and
 * RESYNC, and the call set up before is still right afterwards.
 */
TEST_F_TIMEOUT(card, overflow, 300)
{
	struct e2e *e = self->e;
	uint32_t ca, cb, calls[4], st[4];
	char out[16384], path[96], num[32];
	size_t from;
	int n;

	ASSERT_EQ(0, live_card(e));
	ASSERT_EQ(0, lines_open(e, 2));
	ASSERT_EQ(0, connect(e, 0, 1, &ca, &cb));
	from = e->n;
	ASSERT_EQ(0, cti_sim_ctl(&e->sim, "flood", "200000"));
	ASSERT_NE(NULL, wait_rec(e, from, CTI_MSG_GAP, 0, 120000))
		e2e_ctid_dump(&e->d);
	ASSERT_NE(NULL, wait_rec(e, from, CTI_MSG_RESYNC, 0, 30000));
	ASSERT_NE(NULL, wait_rec(e, from, CTI_MSG_LIST_END, 0, 30000));
	n = list_calls(e, 0, calls, st, 4);
	ASSERT_EQ(1, n);
	EXPECT_EQ(ca, calls[0]);
	EXPECT_EQ(CTI_CALL_CONNECTED, st[0]);
	/*
	 * and the call still works, once the flood is over: while it runs,
	 * the REPLY of a request can itself be lost in the ring (the kernel
	 * keeps no room for it), and the request then ends with ctid's
	 * request timeout (ETIMEDOUT), not here
	 */
	for (uint64_t left = 1; left;) {
		ASSERT_EQ(0, cti_sim_ctl_read_u64(&e->sim, "flood", &left));
		pump(e, 50);
	}
	pump(e, 500);
	/* ctictl cards reports the loss, as the kernel counted it */
	ASSERT_EQ(0, ctictl_out(e, "--json cards", out, sizeof(out)))
		TH_LOG("%s", out);
	snprintf(path, sizeof(path), "/sys/class/cti/%s/lost", e->sim.dev);
	ASSERT_LT(0, cti_read_file(path, num, sizeof(num)));
	TH_LOG("ctictl cards: lost %lld, sysfs %s",
	       json_card_lost(out, e->sim.name), num);
	EXPECT_LT(0, json_card_lost(out, e->sim.name)) TH_LOG("%s", out);
	EXPECT_EQ(strtoll(num, NULL, 10), json_card_lost(out, e->sim.name));
	from = e->n;
	ASSERT_EQ(0, req(e, 0, CTI_CMD_DROP, ca, 0, 0, 0, NULL, NULL));
	/*
	 * The far side's call ends: DISCONNECTED, or IDLE alone when the
	 * end fell into a resync that kcard still ran for the flood's last
	 * overflow (a snapshot shows a call that has gone as IDLE). Under
	 * TCG on a loaded machine that can take more than the usual 5 s.
	 */
	EXPECT_TRUE(!wait_state_ms(e, from, 1, cb, CTI_CALL_DISCONNECTED, 30000) ||
		    !wait_state_ms(e, from, 1, cb, CTI_CALL_IDLE, 1000));
}

/* ctid killed and started again while the card runs: state from snapshot. */
TEST_F(card, ctid_restart)
{
	struct e2e *e = self->e;
	uint32_t ca, cb, calls[4], st[4];
	size_t from;

	ASSERT_EQ(0, live_card(e));
	ASSERT_EQ(0, lines_open(e, 2));
	ASSERT_EQ(0, connect(e, 0, 1, &ca, &cb));
	cti_session_close(e->s);
	e->s = NULL;
	e2e_ctid_stop(&e->d, 1);
	ASSERT_EQ(0, e2e_ctid_spawn(&e->d));
	ASSERT_EQ(0, e2e_session(&e->d, 15000, &e->s));
	ASSERT_EQ(0, lines_open(e, 2));
	ASSERT_EQ(1, list_calls(e, 0, calls, st, 4));
	EXPECT_EQ(ca, calls[0]);
	EXPECT_EQ(CTI_CALL_CONNECTED, st[0]);
	ASSERT_EQ(1, list_calls(e, 1, calls, st, 4));
	EXPECT_EQ(cb, calls[0]);
	from = e->n;
	ASSERT_EQ(0, req(e, 0, CTI_CMD_DROP, ca, 0, 0, 0, NULL, NULL));
	EXPECT_EQ(0, wait_state(e, from, 0, ca, CTI_CALL_IDLE));
	EXPECT_EQ(0, wait_state(e, from, 1, cb, CTI_CALL_DISCONNECTED));
}

/* ctictl cards --json: the card, its kind and link, and ctid's lines. */
TEST_F(card, ctictl_cards)
{
	struct e2e *e = self->e;
	char out[16384], want[128];

	ASSERT_EQ(0, live_card(e));
	ASSERT_EQ(0, lines_open(e, SEQ_LINES));
	ASSERT_EQ(0, ctictl_out(e, "--json cards", out, sizeof(out)))
		TH_LOG("%s", out);
	snprintf(want, sizeof(want), "\"name\":\"%s\"", e->sim.name);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"kind\":\"call\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"link\":\"up\"")) TH_LOG("%s", out);
	/* a fresh card, read in time: nothing lost */
	EXPECT_EQ(0, json_card_lost(out, e->sim.name)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "\"name\":\"%s.line5\"", e->sim.name);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "\"id\":%u", e->id[5]);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	/* the table has the LOST column */
	ASSERT_EQ(0, ctictl_out(e, "cards", out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " LOST ")) TH_LOG("%s", out);
}

/* Wait up to 5 s for the line called @name, and open it; NULL if not. */
static struct cti_line *named_line_open(struct e2e *e, const char *name)
{
	struct cti_line *l = NULL;
	uint64_t id;

	for (int i = 0; i < 100 && !l; i++) {
		pump(e, 50);
		if (cti_session_find_line(e->s, name, &l))
			l = NULL;
	}
	if (!l || cti_line_open(l, CTI_PRIV_OWNER, &id) ||
	    cti_session_wait_reply(e->s, id, 5000, NULL))
		return NULL;
	return l;
}

/*
 * A link card as a host transport: a provider (linkprov.so) opens it with
 * transport_open_card(); its frames go out and come back (the sim echoes
 * them), and the card's removal closes the transport.
 */
TEST_F(card, link_transport)
{
	struct e2e *e = self->e;
	struct cti_line *l = NULL;
	const struct rec *r;
	char keys[160];
	uint64_t id;
	size_t from;

	ASSERT_EQ(0, cti_sim_setup(&e->sim, 1, 0, "link"));
	ASSERT_EQ(0, cti_sim_set_live(&e->sim, 1));
	snprintf(keys, sizeof(keys), "\n[provider lp]\nso = linkprov\ncard = %s\n",
		 e->sim.name);
	ASSERT_EQ(0, e2e_start(e, keys));
	l = named_line_open(e, "link");
	ASSERT_NE(NULL, l);
	from = e->n;
	ASSERT_EQ(0, cti_line_dev_specific(l, "hello\r\n", 7, &id));
	ASSERT_EQ(0, cti_session_wait_reply(e->s, id, 5000, NULL));
	r = wait_rec(e, from, CTI_MSG_DEV_SPECIFIC, cti_line_get_id(l), 5000);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(0, strcmp(r->text, "hello\r\n")) TH_LOG("'%s'", r->text);
	/* unplugged: the transport closes, the provider's line goes */
	ASSERT_EQ(0, cti_sim_set_live(&e->sim, 0));
	EXPECT_NE(NULL, wait_rec(e, from, CTI_MSG_LINE_REMOVED,
				 cti_line_get_id(l), 5000));
}

/* The switch's side of a link: one frame out on card @sw, its REPLY. */
static int sw_send(struct cti_sim *sw, uint64_t id, const char *text)
{
	struct cti_ev_reply reply;
	struct cti_request req;
	int ret;

	cti_req_init(&req, CTI_CMD_SEND_LINK_FRAME, id, 0);
	cti_req_data(&req, text);
	ret = cti_submit(sw->fd, &req);
	if (!ret)
		ret = cti_wait_reply(&sw->st, id, &reply, NULL, 5000);
	return ret ? ret : reply.error;
}

/* The next frame the provider sent, as it reaches card @sw, as text. */
static int sw_frame(struct cti_sim *sw, char *got, size_t size)
{
	union {
		struct cti_ev_link_frame lf;
		uint8_t raw[CTI_EVENT_MAX_SIZE];
	} u;
	int ret;

	got[0] = '\0';
	ret = cti_wait_event(&sw->st, CTI_EV_LINK_FRAME, CTI_ANY_LINE, &u,
			     sizeof(u), NULL, 5000);
	if (!ret)
		snprintf(got, size, "%.*s", (int)u.lf.len,
			 (const char *)u.lf.data);
	return ret;
}

/* The next frame is @want: 0, -EPROTO, or sw_frame()'s error. */
static int sw_expect(struct cti_sim *sw, const char *want, char *got,
		     size_t size)
{
	int ret = sw_frame(sw, got, size);

	return ret ? ret : strcmp(got, want) ? -EPROTO : 0;
}

/*
 * textlink, unchanged, over a link card (connect = card:NAME): the test
 * is the switch on a second sim card, the link's peer, so frames from
 * ctid's card reach the test's and back. A line announced over the link
 * becomes a ctid line; a request goes out as a CMD frame and completes
 * with the DONE the switch sends; the card unplugged takes the line away.
 */
TEST_F(card, textlink)
{
	struct e2e *e = self->e;
	struct cti_sim *sw = &e->peer;
	struct cti_line *l = NULL;
	char keys[200], got[CTI_LINK_FRAME_MAX + 1], done[64], end;
	unsigned long long tag;
	uint64_t id;
	size_t from;
	int ret;

	ASSERT_EQ(0, cti_sim_setup(&e->sim, 1, 0, "link"));
	ASSERT_EQ(0, cti_sim_create(sw, 1, 0, "link"));
	ASSERT_EQ(0, cti_sim_write(&e->sim, "link_peer", "%s", sw->name));
	ASSERT_EQ(0, cti_sim_write(sw, "link_peer", "%s", e->sim.name));
	ASSERT_EQ(0, cti_sim_set_live(&e->sim, 1));
	snprintf(keys, sizeof(keys),
		 "\n[provider tl]\nso = textlink\nconnect = card:%s\nretry_ms = 100\n",
		 e->sim.name);
	ASSERT_EQ(0, e2e_start(e, keys));
	ret = sw_expect(sw, "HELLO 1\n", got, sizeof(got));
	ASSERT_EQ(0, ret) TH_LOG("got '%s'", got);
	ASSERT_EQ(0, sw_send(sw, 1, "LINE 0 tl200 200\n"));
	l = named_line_open(e, "tl200");
	ASSERT_NE(NULL, l);

	from = e->n;
	ASSERT_EQ(0, cti_line_submit(l, CTI_CMD_MAKE_CALL, 0, 0, 0, 0, "201",
				     3, &id));
	/* the tag is ctid's request handle: echoed in the DONE */
	ASSERT_EQ(0, sw_frame(sw, got, sizeof(got)));
	ASSERT_EQ(2, sscanf(got, "CMD %llu 0 0 0 0 0 0 =201%c", &tag, &end))
		TH_LOG("got '%s'", got);
	/* one line, ending the frame */
	EXPECT_EQ('\n', end);
	EXPECT_EQ(strlen(got) - 1, strcspn(got, "\n")) TH_LOG("got '%s'", got);
	/* Two records in one frame, the DONE alone in the next. */
	ASSERT_EQ(0, sw_send(sw, 2, "INFO 0 7 3 0 0 200 201\nSTATE 0 7 4 0 0\n"));
	snprintf(done, sizeof(done), "DONE %llu 0 7\n", tag);
	ASSERT_EQ(0, sw_send(sw, 3, done));
	ASSERT_EQ(0, cti_session_wait_reply(e->s, id, 5000, NULL));
	EXPECT_NE(NULL, wait_rec(e, from, CTI_MSG_CALL_STATE,
				 cti_line_get_id(l), 5000));

	/* unplugged: the link is down, the provider's line goes */
	ASSERT_EQ(0, cti_sim_set_live(&e->sim, 0));
	EXPECT_NE(NULL, wait_rec(e, from, CTI_MSG_LINE_REMOVED,
				 cti_line_get_id(l), 5000));
}

static long mod_refcnt(const char *mod)
{
	char path[96], buf[32];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", mod);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtol(buf, NULL, 10);
	fclose(f);
	return v;
}

static int mod_load(const char *env)
{
	const char *path = getenv(env);
	int fd, ret;

	if (!path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * cti.ko cannot go while ctid holds a card (its open file pins the
 * module); once the card is gone and ctid let go, the modules unload
 * (and are loaded again for the tests after this one).
 */
TEST_F(card, module_unload)
{
	struct e2e *e = self->e;
	long base;

	ASSERT_EQ(0, e2e_start(e, NULL));
	ASSERT_EQ(0, sim_make(e));
	base = mod_refcnt("cti");
	ASSERT_LE(0, base);
	ASSERT_EQ(0, cti_sim_set_live(&e->sim, 1));
	ASSERT_EQ(0, lines_open(e, 1));
	EXPECT_LT(base, mod_refcnt("cti"));
	EXPECT_EQ(-1, syscall(SYS_delete_module, "cti", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	/* unplug: kcard's host closes the card, the reference goes */
	ASSERT_EQ(0, cti_sim_destroy(&e->sim));
	ASSERT_NE(NULL, wait_rec(e, 0, CTI_MSG_LINE_REMOVED, e->id[0], 5000));
	EXPECT_EQ(base, mod_refcnt("cti"));
	cti_session_close(e->s);
	e->s = NULL;
	EXPECT_EQ(0, e2e_ctid_stop(&e->d, 0));
	ASSERT_EQ(0, syscall(SYS_delete_module, "cti_sim", O_NONBLOCK))
		TH_LOG("rmmod cti_sim: %s", strerror(errno));
	EXPECT_EQ(0, syscall(SYS_delete_module, "cti", O_NONBLOCK))
		TH_LOG("rmmod cti: %s", strerror(errno));
	ASSERT_EQ(0, mod_load("CTI_KO"));
	ASSERT_EQ(0, mod_load("CTI_SIM_KO"));
}

TEST_HARNESS_MAIN
