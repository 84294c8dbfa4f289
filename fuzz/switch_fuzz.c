// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * switch_fuzz.c - libFuzzer target for the switch core (switch/sw_*.c)
 *
 * The input is a program: a few bytes shape the switch (lines, phones,
 * calls per line, park slots, orphans), then every op byte picks an action
 * with its arguments: a command of any kind on any line with calls taken
 * from those the switch announced, an inbound call, the far end hanging up
 * or sending digits or running a script, a line unplugged or plugged, a
 * status, an orphaned call, a phone button, time passing (the timers fire
 * in order), an allocation failing.  The same core runs in cti_sim.ko
 * under a spinlock, so a crash here is a crash in the kernel.
 *
 * What must hold, or the target aborts: sw_check() finds no broken
 * invariant after any action; a refused command emitted nothing (sw.h:
 * "a negative errno with nothing changed and nothing emitted"); every
 * record is well formed; after sw_free() no timer is left armed and no
 * allocation is left (ASan's leak check sees the rest).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_TIMERS	128
#define FZ_CALLS	64
#define FZ_FIRST_NUMBER	100

struct fz_timer {
	s64 id;
	u64 due;
	struct sw_tmr *tmr;
};

/* The host: a fake clock, the calls seen, counters for the checks. */
struct fz {
	struct sw *sw;
	u32 lines;
	u64 now;
	s64 next_id;
	struct fz_timer timers[FZ_TIMERS];
	size_t ntimers;
	u32 calls[FZ_CALLS];		/* line << 8 | handle, not IDLE yet */
	size_t ncalls;
	unsigned long emitted;
	long live_allocs;
	int fail_alloc_in;		/* > 0: the Nth allocation from now fails */
	u32 deny_line;			/* authorize() refuses this line */
	const uint8_t *in;
	size_t left;
};

static void die(const char *what)
{
	fprintf(stderr, "switch_fuzz: %s\n", what);
	abort();
}

static uint8_t next(struct fz *fz)
{
	if (!fz->left)
		return 0;
	fz->left--;
	return *fz->in++;
}

static u32 next32(struct fz *fz)
{
	return next(fz) | (u32)next(fz) << 8;
}

/* ---- host ops -------------------------------------------------------- */

static void *fz_alloc(void *ctx, size_t size)
{
	struct fz *fz = ctx;
	void *p;

	if (fz->fail_alloc_in > 0 && --fz->fail_alloc_in == 0)
		return NULL;
	p = calloc(1, size);
	if (p)
		fz->live_allocs++;
	return p;
}

static void fz_free(void *ctx, void *p)
{
	struct fz *fz = ctx;

	if (p)
		fz->live_allocs--;
	free(p);
}

static s64 fz_timer_arm(void *ctx, u64 ms, struct sw_tmr *tmr)
{
	struct fz *fz = ctx;
	struct fz_timer *t;

	if (fz->ntimers == FZ_TIMERS)
		return -ENOSPC;
	t = &fz->timers[fz->ntimers++];
	t->id = ++fz->next_id;
	t->due = fz->now + ms;
	t->tmr = tmr;
	return t->id;
}

static void fz_timer_cancel(void *ctx, s64 id)
{
	struct fz *fz = ctx;
	size_t i;

	for (i = 0; i < fz->ntimers; i++) {
		if (fz->timers[i].id == id) {
			fz->timers[i] = fz->timers[--fz->ntimers];
			return;
		}
	}
	die("a timer cancelled that is not armed");
}

static void fz_track_call(struct fz *fz, const struct cti_ev_call_state *cs)
{
	u32 key = cs->hdr.line << 8 | (cs->call & 0xff);
	size_t i;

	for (i = 0; i < fz->ncalls; i++)
		if (fz->calls[i] == key)
			break;
	if (cs->state == CTI_CALL_IDLE) {
		if (i < fz->ncalls)
			fz->calls[i] = fz->calls[--fz->ncalls];
	} else if (i == fz->ncalls && fz->ncalls < FZ_CALLS) {
		fz->calls[fz->ncalls++] = key;
	}
}

static void fz_emit(void *ctx, const struct cti_event *ev)
{
	struct fz *fz = ctx;

	if (ev->size < sizeof(*ev) || ev->size % 8 || ev->size > 4096)
		die("a record of a bad size");
	if (ev->type == CTI_EV_PAD || ev->type >= CTI_EV_MAX)
		die("a record of a bad type");
	if (ev->line >= fz->lines && ev->line != CTI_LINE_NONE)
		die("a record for a line that does not exist");
	if (ev->type == CTI_EV_CALL_STATE) {
		const struct cti_ev_call_state *cs = (const void *)ev;

		if (cs->state >= CTI_CALL_STATE_MAX || cs->call == CTI_CALL_NONE)
			die("a CALL_STATE with a bad state or no call");
		fz_track_call(fz, cs);
	}
	fz->emitted++;
}

static int fz_line_find(void *ctx, const char *number, u32 *line)
{
	struct fz *fz = ctx;
	char *end;
	unsigned long n = strtoul(number, &end, 10);

	if (*number < '0' || *number > '9' || *end ||
	    n < FZ_FIRST_NUMBER || n >= FZ_FIRST_NUMBER + fz->lines)
		return -ENOENT;
	*line = n - FZ_FIRST_NUMBER;
	return 0;
}

static void fz_line_number(void *ctx, u32 line, char *buf)
{
	snprintf(buf, CTI_NUMBER_MAX, "%u", FZ_FIRST_NUMBER + line);
}

static int fz_authorize(void *ctx, const struct sw_req *req, u32 line,
			u32 reach)
{
	struct fz *fz = ctx;

	return line == fz->deny_line ? -EPERM : 0;
}

static void fz_log(void *ctx, int level, const char *msg)
{
	if (level <= SW_LOG_ERR && !strncmp(msg, "invariant", 9))
		die(msg);
}

static void fz_note(void *ctx, u32 line, const struct sw_note *note)
{
	struct fz *fz = ctx;

	if (line >= fz->lines || (note->text_len && !note->text) ||
	    note->text_len > 256)
		die("a bad note");
}

static const struct sw_host_ops fz_ops = {
	.alloc = fz_alloc,
	.free = fz_free,
	.timer_arm = fz_timer_arm,
	.timer_cancel = fz_timer_cancel,
	.emit = fz_emit,
	.line_find = fz_line_find,
	.line_number = fz_line_number,
	.authorize = fz_authorize,
	.log = fz_log,
	.note = fz_note,
};

/* ---- the world --------------------------------------------------------- */

/* Time passes: the timers due fire in order of due time, then arming. */
static void fz_advance(struct fz *fz, u64 ms)
{
	u64 end = fz->now + ms;

	for (;;) {
		struct fz_timer t;
		size_t i, best = fz->ntimers;

		for (i = 0; i < fz->ntimers; i++)
			if (fz->timers[i].due <= end &&
			    (best == fz->ntimers ||
			     fz->timers[i].due < fz->timers[best].due ||
			     (fz->timers[i].due == fz->timers[best].due &&
			      fz->timers[i].id < fz->timers[best].id)))
				best = i;
		if (best == fz->ntimers)
			break;
		t = fz->timers[best];
		fz->timers[best] = fz->timers[--fz->ntimers];
		fz->now = t.due;
		sw_tmr_fire(fz->sw, t.tmr, t.id);
		if (sw_check(fz->sw))
			die("an invariant broke after a timer");
	}
	fz->now = end;
}

static const char *const fz_texts[] = {
	"", "100", "101", "102", "103", "104", "105", "555", "556", "700",
	"701", "702", "12", "*#", "1", "0123456789*#ABCD", "answer 10",
	"busy", "noanswer 300", "reject", "unreachable", "digits 12",
	"hangup 50", "answer 5, digits 9, hangup 20", "wait 10", "7",
	"99999999999999999999999999999999", "+15551234", "grp1,grp2",
};

/* A text: from the table, or up to 15 raw bytes (no NUL, none inside). */
static const char *fz_text(struct fz *fz, char *buf)
{
	uint8_t b = next(fz);
	size_t i, n;

	if (b < 0xf0)
		return fz_texts[b % (sizeof(fz_texts) / sizeof(fz_texts[0]))];
	n = b & 0x0f;
	for (i = 0; i < n; i++) {
		buf[i] = (char)next(fz);
		if (!buf[i])
			buf[i] = '1';
	}
	buf[n] = '\0';
	return buf;
}

/* A call: one the switch announced (most of the time), else any. */
static u32 fz_call(struct fz *fz, u32 *line)
{
	uint8_t b = next(fz);

	if (b < 0xe0 && fz->ncalls) {
		u32 key = fz->calls[b % fz->ncalls];

		if (line)
			*line = key >> 8;
		return key & 0xff;
	}
	return b & 0x1f;
}

static void fz_submit(struct fz *fz)
{
	static u64 handle;
	char buf[16];
	struct sw_req req = { .handle = ++handle };
	unsigned long before = fz->emitted;
	uint8_t c = next(fz);
	u32 call;
	int ret;

	req.cmd = c & 0x80 ? SW_UCMD_BASE + c % 4 : c % (CTI_CMD_MAX + 1);
	req.line = next(fz) % fz->lines;
	req.call = fz_call(fz, &req.line);
	req.call2 = fz_call(fz, NULL);
	req.arg = next(fz) % 8;
	req.arg2 = next(fz) % 8;
	if (next(fz) & 1)
		req.arg = next32(fz);
	req.data = fz_text(fz, buf);
	req.data_len = strlen(req.data);
	ret = sw_submit(fz->sw, &req, &call);
	if (ret < 0 && fz->emitted != before)
		die("a refused command emitted records");
	if (ret > 0)
		die("sw_submit() returned a positive value");
}

/* One action; returns false at the end of the input. */
static bool fz_step(struct fz *fz)
{
	char buf[16], buf2[16];
	u32 line, call;
	uint8_t op;

	if (!fz->left)
		return false;
	op = next(fz);
	line = next(fz) % fz->lines;
	switch (op % 12) {
	case 0: case 1: case 2: case 3:
		fz_submit(fz);
		break;
	case 4: {
		/* Every host passes a script (empty: the caller just rings). */
		struct sw_script script = { 0 };
		const char *from = fz_text(fz, buf);

		sw_script_parse(fz_text(fz, buf2), &script);
		sw_inbound(fz->sw, line, from, &script);
		break;
	}
	case 5:
		call = fz_call(fz, &line);
		if (next(fz) & 1)
			sw_farend_hangup(fz->sw, next(fz) & 1 ? SW_LINE_NONE : line, call);
		else
			sw_farend_digits(fz->sw, SW_LINE_NONE, call, fz_text(fz, buf));
		break;
	case 6:
		call = fz_call(fz, &line);
		sw_farend_script(fz->sw, next(fz) & 1 ? SW_LINE_NONE : line,
				 call, fz_text(fz, buf));
		break;
	case 7:
		if (next(fz) & 1)
			sw_line_unplug(fz->sw, line);
		else
			sw_line_plug(fz->sw, line);
		break;
	case 8:
		sw_line_set_status(fz->sw, line, next32(fz));
		sw_line_set_orphan(fz->sw, line, next(fz) & 1);
		break;
	case 9:
		call = fz_call(fz, &line);
		sw_call_orphaned(fz->sw, line, call);
		break;
	case 10:
		sw_phone_button(fz->sw, line, next(fz) % 16, next(fz) % 3);
		break;
	default:
		switch (next(fz) % 4) {
		case 0:
			fz->fail_alloc_in = 1 + next(fz) % 8;
			break;
		case 1:
			fz->deny_line = next(fz) % 8;
			break;
		default:
			fz_advance(fz, (u64)next(fz) * 40);
		}
	}
	if (sw_check(fz->sw))
		die("an invariant broke");
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz fz = { .in = data, .left = size, .deny_line = ~0u };
	struct sw_config cfg = { 0 };
	uint8_t b;

	fz.lines = 2 + next(&fz) % 5;
	b = next(&fz);
	cfg.lines = fz.lines;
	cfg.phones = b % (fz.lines + 1);
	cfg.max_calls = 1 + (b >> 4) % 4;
	b = next(&fz);
	cfg.park_slots = b % 4;
	cfg.park_first = 700;
	cfg.orphan_keep = b & 0x10;
	cfg.after_call_work = b & 0x20;
	cfg.noanswer_ms = (b >> 6) * 1000;
	cfg.forward_noanswer_ms = 100 + next(&fz) * 10;
	sw_script_parse("answer 20", &cfg.outside_default);
	fz.sw = sw_new(&fz_ops, &fz, &cfg);
	if (!fz.sw)
		die("sw_new() failed");
	while (fz_step(&fz))
		;
	/* Let every pending timer run, as a switch left alone would. */
	fz_advance(&fz, 600 * 1000);
	sw_free(fz.sw);
	if (fz.ntimers)
		die("timers left armed after sw_free()");
	if (fz.live_allocs)
		die("allocations left after sw_free()");
	return 0;
}
