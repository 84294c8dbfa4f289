// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_kcard: the kcard provider (providers/kcard) against a fake host
 * whose card API is a scripted card: three lines with numbers 100-102, a
 * phone on line 1, a snapshot the test sets. The kernel path itself is
 * tested in the guest (selftests/cti); this suite pins down kcard's own
 * rules: line names and ids, records remapped and deduplicated against
 * the snapshot, one completion per request, authorisation of other
 * lines, resynchronisation after an overflow, a card going away, and the
 * lamp, ring and display records kcard posts when a phone command's
 * REPLY says it succeeded (the kernel keeps no such records).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cti_provider.h"
#include "../harness.h"

extern const struct cti_provider_ops cti_provider_ops;
static const struct cti_provider_ops *ops = &cti_provider_ops;

#define MAXN 64

struct posted {
	uint16_t type;
	uint32_t line, call, state;
	uint64_t seq, ts;
	uint32_t a, b;			/* a phone record's two numbers */
	char text[CTI_DISPLAY_MAX + 8];	/* and a display's row */
};

static struct {
	/* what the provider did */
	uint32_t added[MAXN], nadded;
	char names[MAXN][CTI_NAME_MAX];
	uint32_t removed[MAXN], nremoved;
	struct posted ev[MAXN];
	uint32_t nev;
	uint64_t done_h[MAXN];
	int done_err[MAXN];
	uint32_t done_call[MAXN], ndone;
	uint32_t nev_at_done[MAXN];	/* records posted before each completion */
	struct cti_provider_request sub[MAXN];
	uint32_t nsub;
	uint32_t asked_line[MAXN], asked_reach[MAXN], nasked;
	int authz_answer;
	uint32_t resyncs, watches, closes;
	int order;			/* ndone when the first line went */
	/* the card */
	struct cti_provider_card_snapshot snap;
	struct cti_provider_card_line sl[4];
	struct cti_provider_card_call sc[4];
} H;

static int fake_host_storage;
#define fake_host (*(struct cti_host *)&fake_host_storage)

static void h_log(struct cti_host *h, int level, const char *fmt, ...)
{
	(void)h; (void)level; (void)fmt;
}

static uint64_t h_now(struct cti_host *h) { (void)h; return 0; }

static int h_line_add(struct cti_host *h, uint32_t line,
		      const struct cti_provider_line_desc *d, uint32_t *id)
{
	(void)h; (void)id;
	H.added[H.nadded] = line;
	memcpy(H.names[H.nadded++], d->name, CTI_NAME_MAX);
	return 0;
}

static int h_line_remove(struct cti_host *h, uint32_t line)
{
	(void)h;
	if (!H.nremoved)
		H.order = (int)H.ndone;
	H.removed[H.nremoved++] = line;
	return 0;
}

static int h_post(struct cti_host *h, const struct cti_event *ev)
{
	struct posted *p = &H.ev[H.nev++];
	const struct cti_ev_call_state *cs = (const void *)ev;

	(void)h;
	p->type = ev->type;
	p->line = ev->line;
	p->seq = ev->seq;
	p->ts = ev->timestamp_ns;
	if (ev->type == CTI_EV_CALL_STATE || ev->type == CTI_EV_CALL_INFO)
		p->call = cs->call;
	if (ev->type == CTI_EV_CALL_STATE)
		p->state = cs->state;
	if (ev->type == CTI_UEV_PHONE_LAMP || ev->type == CTI_UEV_PHONE_RING ||
	    ev->type == CTI_UEV_PHONE_DISPLAY) {
		/* lamp/mode, pattern/volume and row/col share the layout */
		const struct cti_uev_phone_lamp *l = (const void *)ev;

		p->a = l->lamp;
		p->b = l->mode;
	}
	if (ev->type == CTI_UEV_PHONE_DISPLAY)
		memcpy(p->text, ((const struct cti_uev_phone_display *)ev)->text,
		       sizeof(p->text));
	return 0;
}

static void h_complete(struct cti_host *h, uint64_t handle, int error,
		       uint32_t call)
{
	(void)h;
	H.nev_at_done[H.ndone] = H.nev;
	H.done_h[H.ndone] = handle;
	H.done_err[H.ndone] = error;
	H.done_call[H.ndone++] = call;
}

static int64_t h_timer_start(struct cti_host *h, uint64_t ms, uint64_t c)
{
	(void)h; (void)ms; (void)c;
	return 1;
}

static int h_timer_cancel(struct cti_host *h, int64_t id)
{
	(void)h; (void)id;
	return 0;
}

static int h_authorize(struct cti_host *h, uint64_t handle, uint32_t line,
		       uint32_t reach)
{
	(void)h; (void)handle;
	H.asked_line[H.nasked] = line;
	H.asked_reach[H.nasked++] = reach;
	return H.authz_answer;
}

static int64_t h_card_open(struct cti_host *h, const char *card, uint64_t c)
{
	(void)h; (void)c;
	return strcmp(card, "gone") ? 5 : -ENOENT;
}

static int h_card_info(struct cti_host *h, int64_t cid,
		       struct cti_provider_card_info *info)
{
	(void)h;
	if (cid != 5)
		return -ENOENT;
	memset(info, 0, sizeof(*info));
	info->num_lines = 3;
	info->num_phones = 1;
	info->caps = CTI_CARD_CAP_CALL_CONTROL | CTI_CARD_CAP_PHONES;
	strcpy(info->name, "simA");
	return 0;
}

static int h_card_line(struct cti_host *h, int64_t cid, uint32_t line,
		       struct cti_provider_line_desc *d, uint32_t *phone)
{
	(void)h;
	if (cid != 5 || line >= 3)
		return -ENOENT;
	memset(d, 0, sizeof(*d));
	d->size = sizeof(*d);
	d->max_calls = 2;
	d->ops = ~0ULL;
	d->num_addresses = 1;
	snprintf(d->name, sizeof(d->name), "l%u", line);
	snprintf(d->addresses[0], CTI_NUMBER_MAX, "10%u", line);
	if (phone)
		*phone = line == 1 ? 0 : CTI_LINE_NONE;
	if (line == 1)	/* its phone: 4 lamps, a 2 x 8 display */
		d->phone = (struct cti_provider_phone_desc){
			.hookswitches = CTI_HOOKSWITCH_HANDSET, .num_buttons = 16,
			.num_lamps = 4, .display_rows = 2, .display_cols = 8,
		};
	return 0;
}

static int h_card_submit(struct cti_host *h, int64_t cid,
			 const struct cti_provider_request *req)
{
	(void)h;
	if (cid != 5)
		return -ENOENT;
	H.sub[H.nsub++] = *req;
	return 0;
}

static int h_card_snapshot(struct cti_host *h, int64_t cid,
			   struct cti_provider_card_snapshot *s)
{
	(void)h; (void)cid;
	s->seq = H.snap.seq;
	s->num_lines = H.snap.num_lines;
	s->num_calls = H.snap.num_calls;
	if (s->max_lines < s->num_lines || s->max_calls < s->num_calls)
		return -ENOSPC;
	memcpy(s->lines, H.sl, s->num_lines * sizeof(H.sl[0]));
	memcpy(s->calls, H.sc, s->num_calls * sizeof(H.sc[0]));
	return 0;
}

static int h_card_close(struct cti_host *h, int64_t cid)
{
	(void)h; (void)cid;
	H.closes++;
	return 0;
}

static int h_card_watch(struct cti_host *h, int on)
{
	(void)h;
	H.watches += on;
	return 0;
}

static int h_resync(struct cti_host *h)
{
	(void)h;
	H.resyncs++;
	return 0;
}

static const struct cti_host_api api = {
	.size = sizeof(api),
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.log = h_log, .now_ns = h_now,
	.line_add = h_line_add, .line_remove = h_line_remove,
	.post_event = h_post, .complete = h_complete,
	.timer_start = h_timer_start, .timer_cancel = h_timer_cancel,
	.authorize = h_authorize,
	.card_open = h_card_open, .card_get_info = h_card_info,
	.card_get_line = h_card_line, .card_submit = h_card_submit,
	.card_snapshot = h_card_snapshot, .card_close = h_card_close,
	.card_watch = h_card_watch, .resync = h_resync,
};

#define LOCAL(l)	(l)	/* slot 0: local index = card line */

static void *start(const struct cti_provider_kv *kv, size_t n)
{
	struct cti_provider_config cfg = { "kc", "test.conf", n, kv };
	struct cti_provider_card_info info = {
		.caps = CTI_CARD_CAP_CALL_CONTROL, .num_lines = 3,
	};
	void *st = NULL;

	memset(&H, 0, sizeof(H));
	H.snap.num_lines = 3;
	for (uint32_t i = 0; i < 3; i++)
		H.sl[i].line = i;
	T_ASSERT_EQ(ops->init(&api, &fake_host, &cfg, &st), 0);
	T_ASSERT_EQ(H.watches, 1);
	strcpy(info.name, "simA");
	ops->card_changed(st, CTI_PROVIDER_CARD_ADDED, &info);
	return st;
}

static void feed_state(void *st, uint64_t seq, uint32_t line, uint32_t call,
		       uint32_t state)
{
	struct cti_ev_call_state ev = {
		.hdr = { CTI_EV_CALL_STATE, sizeof(ev), line, seq, 1 },
		.call = call, .state = state,
	};

	ops->card_records(st, 5, 0, &ev, sizeof(ev));
}

static void feed_reply(void *st, uint64_t id, int error, uint32_t call)
{
	struct cti_ev_reply ev = {
		.hdr = { CTI_EV_REPLY, sizeof(ev), 0, 50, 1 },
		.id = id, .error = error, .call = call,
	};

	ops->card_records(st, 5, 0, &ev, sizeof(ev));
}

static int submit(void *st, uint64_t handle, uint32_t cmd, uint32_t line,
		  const char *data)
{
	struct cti_provider_request r = {
		.handle = handle, .cmd = cmd, .line = line,
		.data = data ? data : "", .data_len = data ? strlen(data) : 0,
	};

	return ops->submit(st, &r);
}

/* Submits phone command @cmd (@arg, @arg2, @text) and the card's REPLY. */
static void phone_cmd(void *st, uint64_t handle, uint32_t cmd, uint32_t arg,
		      uint32_t arg2, const char *text, int error)
{
	struct cti_provider_request r = {
		.handle = handle, .cmd = cmd, .line = LOCAL(1),
		.arg = arg, .arg2 = arg2,
		.data = text ? text : "", .data_len = text ? strlen(text) : 0,
	};
	uint32_t nev = H.nev;

	T_ASSERT_EQ(ops->submit(st, &r), 0);
	T_EXPECT_EQ(H.nev, nev);		/* nothing until the REPLY */
	feed_reply(st, handle, error, 0);
}

static void lines_named_and_seeded(void)
{
	void *st = start(NULL, 0);

	T_ASSERT_EQ(H.nadded, 3);
	T_EXPECT(!strcmp(H.names[0], "simA.l0"), "name %s", H.names[0]);
	T_EXPECT(!strcmp(H.names[2], "simA.l2"), "name %s", H.names[2]);
	T_EXPECT_EQ(H.nev, 3);		/* LINE_STATUS for each line */
	for (uint32_t i = 0; i < H.nev; i++)
		T_EXPECT_EQ(H.ev[i].type, CTI_EV_LINE_STATUS);
	ops->shutdown(st);
}

static void snapshot_seeds_calls_and_skips_old(void)
{
	void *st = start(NULL, 0);
	struct cti_provider_card_info info = {
		.caps = CTI_CARD_CAP_CALL_CONTROL, .num_lines = 3,
	};

	ops->shutdown(st);
	/* a card that has a call when kcard starts */
	memset(&H, 0, sizeof(H));
	H.snap.seq = 10;
	H.snap.num_lines = 3;
	H.snap.num_calls = 1;
	H.sc[0] = (struct cti_provider_card_call){ .line = 2, .call = 4,
		.state = CTI_CALL_CONNECTED };
	{
		struct cti_provider_config cfg = { "kc", "t", 0, NULL };

		T_ASSERT_EQ(ops->init(&api, &fake_host, &cfg, &st), 0);
	}
	strcpy(info.name, "simA");
	ops->card_changed(st, CTI_PROVIDER_CARD_ADDED, &info);
	T_ASSERT(H.nev >= 2, "posted %u", H.nev);
	T_EXPECT_EQ(H.ev[0].type, CTI_EV_CALL_INFO);
	T_EXPECT_EQ(H.ev[1].type, CTI_EV_CALL_STATE);
	T_EXPECT_EQ(H.ev[1].line, LOCAL(2));
	T_EXPECT_EQ(H.ev[1].state, CTI_CALL_CONNECTED);
	H.nev = 0;
	feed_state(st, 9, 2, 4, CTI_CALL_ONHOLD);		/* in the snapshot */
	T_EXPECT_EQ(H.nev, 0);
	feed_state(st, 11, 2, 4, CTI_CALL_ONHOLD);	/* after it */
	T_ASSERT_EQ(H.nev, 1);
	T_EXPECT_EQ(H.ev[0].line, LOCAL(2));
	T_EXPECT_EQ(H.ev[0].seq, 0);			/* the host numbers */
	T_EXPECT_EQ(H.ev[0].ts, 1);			/* the card's time */
	/* the same card reported again is not taken twice */
	ops->card_changed(st, CTI_PROVIDER_CARD_ADDED, &info);
	T_EXPECT_EQ(H.nadded, 3);
	ops->shutdown(st);
}

static void phone_records_go_to_their_line(void)
{
	void *st = start(NULL, 0);
	struct cti_ev_phone_button ev = {
		.hdr = { CTI_EV_PHONE_BUTTON, sizeof(ev), 0, 20, 1 },
		.button = 5, .pressed = 1,
	};
	struct cti_ev_phone_button bad = ev;

	H.nev = 0;
	ops->card_records(st, 5, 0, &ev, sizeof(ev));
	T_ASSERT_EQ(H.nev, 1);
	T_EXPECT_EQ(H.ev[0].type, CTI_EV_PHONE_BUTTON);
	T_EXPECT_EQ(H.ev[0].line, LOCAL(1));
	bad.hdr.line = 7;	/* no such phone: dropped */
	ops->card_records(st, 5, 0, &bad, sizeof(bad));
	T_EXPECT_EQ(H.nev, 1);
	/* a phone command goes to the line's phone, or is refused */
	T_EXPECT_EQ(submit(st, 30, CTI_CMD_SET_DISPLAY, LOCAL(1), "hi"), 0);
	T_ASSERT_EQ(H.nsub, 1);
	T_EXPECT_EQ(H.sub[0].line, 0);
	T_EXPECT_EQ(submit(st, 31, CTI_CMD_SET_DISPLAY, LOCAL(0), "hi"),
		    -EOPNOTSUPP);
	ops->shutdown(st);
}

static void phone_state_posted_on_success(void)
{
	void *st = start(NULL, 0);

	H.nev = 0;
	phone_cmd(st, 40, CTI_CMD_SET_LAMP, 2, CTI_LAMP_FLASH, NULL, 0);
	T_ASSERT_EQ(H.nev, 1);
	T_EXPECT_EQ(H.ev[0].type, CTI_UEV_PHONE_LAMP);
	T_EXPECT_EQ(H.ev[0].line, LOCAL(1));
	T_EXPECT_EQ(H.ev[0].a, 2);
	T_EXPECT_EQ(H.ev[0].b, CTI_LAMP_FLASH);
	T_ASSERT_EQ(H.ndone, 1);
	T_EXPECT_EQ(H.done_err[0], 0);
	T_EXPECT_EQ(H.nev_at_done[0], 1);	/* the state before the REPLY */
	/* refused by the card: no state changed */
	phone_cmd(st, 41, CTI_CMD_SET_RING, 7, 55, NULL, -EINVAL);
	T_EXPECT_EQ(H.nev, 1);
	T_EXPECT_EQ(H.done_err[1], -EINVAL);
	phone_cmd(st, 42, CTI_CMD_SET_RING, 7, 55, NULL, 0);
	T_ASSERT_EQ(H.nev, 2);
	T_EXPECT_EQ(H.ev[1].type, CTI_UEV_PHONE_RING);
	T_EXPECT_EQ(H.ev[1].a, 7);
	T_EXPECT_EQ(H.ev[1].b, 55);
	/* the display record carries the whole row, blank where unwritten */
	phone_cmd(st, 43, CTI_CMD_SET_DISPLAY, 1, 3, "Hallo", 0);
	T_ASSERT_EQ(H.nev, 3);
	T_EXPECT_EQ(H.ev[2].type, CTI_UEV_PHONE_DISPLAY);
	T_EXPECT_EQ(H.ev[2].a, 1);
	T_EXPECT_EQ(H.ev[2].b, 3);
	T_EXPECT(!strcmp(H.ev[2].text, "   Hallo"), "row \"%s\"", H.ev[2].text);
	/* a later write keeps the row and is cut at its end */
	phone_cmd(st, 44, CTI_CMD_SET_DISPLAY, 1, 6, "XYZW", 0);
	T_ASSERT_EQ(H.nev, 4);
	T_EXPECT(!strcmp(H.ev[3].text, "   HalXY"), "row \"%s\"", H.ev[3].text);
	/* what the phone cannot show, though the card said yes: no record */
	phone_cmd(st, 45, CTI_CMD_SET_DISPLAY, 2, 0, "x", 0);
	phone_cmd(st, 46, CTI_CMD_SET_LAMP, 4, CTI_LAMP_STEADY, NULL, 0);
	phone_cmd(st, 47, CTI_CMD_SET_RING, 1, 101, NULL, 0);
	/* a hook switch: the card's own PHONE_HOOK record says it */
	phone_cmd(st, 48, CTI_CMD_SET_HOOK, CTI_HOOKSWITCH_HANDSET,
		  CTI_HOOK_MIC, NULL, 0);
	T_EXPECT_EQ(H.nev, 4);
	T_EXPECT_EQ(H.ndone, 9);
	ops->shutdown(st);
}

static void reply_completes_exactly_once(void)
{
	void *st = start(NULL, 0);

	T_ASSERT_EQ(submit(st, 77, CTI_CMD_MAKE_CALL, LOCAL(0), "555"), 0);
	T_ASSERT_EQ(H.nsub, 1);
	T_EXPECT_EQ(H.sub[0].handle, 77);
	T_EXPECT_EQ(H.sub[0].line, 0);
	T_EXPECT_EQ(H.nasked, 0);	/* not a number of this card */
	T_EXPECT_EQ(H.ndone, 0);
	feed_reply(st, 77, 0, 12);
	T_ASSERT_EQ(H.ndone, 1);
	T_EXPECT_EQ(H.done_h[0], 77);
	T_EXPECT_EQ(H.done_call[0], 12);
	feed_reply(st, 77, 0, 12);	/* the card says it again */
	feed_reply(st, 78, 0, 12);	/* or names no request of ours */
	T_EXPECT_EQ(H.ndone, 1);
	T_EXPECT_EQ(submit(st, 79, CTI_CMD_MAKE_CALL, 0x50000, "555"), -ENODEV);
	ops->shutdown(st);
}

static void other_lines_are_authorised(void)
{
	void *st = start(NULL, 0);

	H.authz_answer = -EACCES;
	T_EXPECT_EQ(submit(st, 1, CTI_CMD_MAKE_CALL, LOCAL(0), "102"), -EACCES);
	T_ASSERT_EQ(H.nasked, 1);
	T_EXPECT_EQ(H.asked_line[0], LOCAL(2));
	T_EXPECT_EQ(H.asked_reach[0], CTI_REACH_CALL);
	T_EXPECT_EQ(H.nsub, 0);
	T_EXPECT_EQ(submit(st, 2, CTI_CMD_PICKUP, LOCAL(0), "101"), -EACCES);
	T_EXPECT_EQ(H.asked_reach[1], CTI_REACH_PICKUP);
	T_EXPECT_EQ(submit(st, 3, CTI_CMD_DEV_SPECIFIC, LOCAL(0), "x"), -EACCES);
	T_EXPECT_EQ(H.asked_line[2], CTI_LINE_NONE);
	T_EXPECT_EQ(H.asked_reach[2], CTI_REACH_SWITCH);
	/* a group pickup needs every line of the card */
	H.nasked = 0;
	H.authz_answer = 0;
	T_EXPECT_EQ(submit(st, 4, CTI_CMD_PICKUP, LOCAL(0), NULL), 0);
	T_EXPECT_EQ(H.nasked, 2);	/* lines 1 and 2; its own is vetted */
	T_EXPECT_EQ(H.nsub, 1);
	ops->shutdown(st);
	T_EXPECT_EQ(H.ndone, 1);	/* the pickup, cancelled */
	T_EXPECT_EQ(H.done_err[0], -ECANCELED);
}

static void overflow_resynchronises(void)
{
	void *st = start(NULL, 0);
	struct cti_ev_overflow ov = {
		.hdr = { CTI_EV_OVERFLOW, sizeof(ov), CTI_LINE_NONE, 0, 1 },
		.lost = 40,
	};
	int idle = 0, info = 0, state = 0, status = 0;

	feed_state(st, 1, 0, 7, CTI_CALL_CONNECTED);
	T_EXPECT_EQ(H.resyncs, 0);
	/* in the gap, call 7 ended and call 9 came to line 1 */
	H.snap.seq = 60;
	H.snap.num_calls = 1;
	H.sc[0] = (struct cti_provider_card_call){ .line = 1, .call = 9,
		.state = CTI_CALL_OFFERING };
	H.nev = 0;
	ops->card_records(st, 5, 0, &ov, sizeof(ov));
	T_EXPECT_EQ(H.resyncs, 1);
	for (uint32_t i = 0; i < H.nev; i++) {
		if (H.ev[i].type == CTI_EV_CALL_STATE && H.ev[i].call == 7 &&
		    H.ev[i].state == CTI_CALL_IDLE)
			idle++;
		if (H.ev[i].type == CTI_EV_CALL_INFO && H.ev[i].call == 9)
			info++;
		if (H.ev[i].type == CTI_EV_CALL_STATE && H.ev[i].call == 9)
			state++;
		status += H.ev[i].type == CTI_EV_LINE_STATUS;
	}
	T_EXPECT_EQ(idle, 1);
	T_EXPECT_EQ(info, 1);
	T_EXPECT_EQ(state, 1);
	T_EXPECT_EQ(status, 3);
	/* records the snapshot already had are not posted again */
	H.nev = 0;
	feed_state(st, 55, 1, 9, CTI_CALL_CONNECTED);
	T_EXPECT_EQ(H.nev, 0);
	/* a second resync with nothing changed posts only the lines */
	ops->card_records(st, 5, 0, &ov, sizeof(ov));
	T_EXPECT_EQ(H.nev, 3);
	ops->shutdown(st);
}

static void card_gone_ends_requests_then_lines(void)
{
	void *st = start(NULL, 0);

	T_ASSERT_EQ(submit(st, 5, CTI_CMD_MAKE_CALL, LOCAL(0), "555"), 0);
	T_ASSERT_EQ(submit(st, 6, CTI_CMD_DROP, LOCAL(1), NULL), 0);
	ops->card_closed(st, 5, 0, -ENODEV);
	T_ASSERT_EQ(H.ndone, 2);
	T_EXPECT_EQ(H.done_err[0], -ENODEV);
	T_EXPECT_EQ(H.done_err[1], -ENODEV);
	T_EXPECT_EQ(H.nremoved, 3);
	T_EXPECT_EQ(H.order, 2);	/* completions came first */
	T_EXPECT_EQ(submit(st, 7, CTI_CMD_MAKE_CALL, LOCAL(0), "555"), -ENODEV);
	ops->shutdown(st);
	T_EXPECT_EQ(H.ndone, 2);	/* nothing completes twice */
}

static void config_is_checked(void)
{
	struct cti_provider_kv bad[] = { { "cards", "all", 3 } };
	struct cti_provider_kv twice[] = { { "card", "a", 1 }, { "card", "a", 2 } };
	struct cti_provider_kv space[] = { { "card", "a b", 1 } };
	struct cti_provider_kv retry[] = { { "retry_ms", "5", 1 } };
	struct cti_provider_kv other[] = { { "card", "other", 1 } };
	struct cti_provider_config cfg = { "kc", "t", 1, bad };
	void *st;

	T_EXPECT_EQ(ops->check_config(&api, &fake_host, &cfg), -EINVAL);
	cfg.kv = twice; cfg.count = 2;
	T_EXPECT_EQ(ops->check_config(&api, &fake_host, &cfg), -EINVAL);
	cfg.kv = space; cfg.count = 1;
	T_EXPECT_EQ(ops->check_config(&api, &fake_host, &cfg), -EINVAL);
	cfg.kv = retry;
	T_EXPECT_EQ(ops->check_config(&api, &fake_host, &cfg), -EINVAL);
	/* only the named card is taken */
	st = start(other, 1);
	T_EXPECT_EQ(H.nadded, 0);
	ops->shutdown(st);
}

static void old_host_is_refused(void)
{
	struct cti_host_api old = api;
	struct cti_provider_config cfg = { "kc", "t", 0, NULL };
	void *st = NULL;

	old.size = offsetof(struct cti_host_api, transport_open_card);
	T_EXPECT_EQ(ops->init(&old, &fake_host, &cfg, &st), -EPROTO);
}

static const struct t_case cases[] = {
	T_CASE(lines_named_and_seeded),
	T_CASE(snapshot_seeds_calls_and_skips_old),
	T_CASE(phone_records_go_to_their_line),
	T_CASE(phone_state_posted_on_success),
	T_CASE(reply_completes_exactly_once),
	T_CASE(other_lines_are_authorised),
	T_CASE(overflow_resynchronises),
	T_CASE(card_gone_ends_requests_then_lines),
	T_CASE(config_is_checked),
	T_CASE(old_host_is_refused),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
