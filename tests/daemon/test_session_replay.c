// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions without a loop: the shared replay log keeps the last
 * replay_log events, each once, and a resumable session finds its own
 * seqs in it (a session that cannot resume keeps nothing); a connection's event
 * queue never grows past queue_limit; an overflow discards the unsent
 * events (never replies), and once the queue drains the client gets GAP
 * with the exact range, RESYNC (OVERFLOW) and a snapshot ending at the
 * session's sequence number.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctid.h"
#include "harness.h"

/* the context a ctid would make at start-up (main.c) */
static struct ctid the_ctx;
static struct ctid *const ctx = &the_ctx;

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	printf("# %s\n", msg);
}

static struct blob *status_blob(uint32_t line)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_EV_LINE_STATUS };

	f.u.line_status.line = line;
	f.u.line_status.num_calls = 1;
	return blob_encode(&ctx->blobs, &f);
}

/* Decodes the frames of @buf into @types; returns how many. */
static int frames(const struct outbuf *b, struct cti_wire_frame *out, int max)
{
	uint32_t off = 0;
	int n = 0;

	while (off < b->len && n < max) {
		ssize_t r = cti_wire_decode(b->data + off, b->len - off,
					    CTI_WIRE_FROM_SERVER, &out[n], NULL);

		if (r <= 0)
			return -1;
		off += (uint32_t)r;
		n++;
	}
	return n;
}

static struct cti_wire_frame fr[4096];

static struct session *new_session(uint64_t id, uint64_t features)
{
	struct session *s = calloc(1, sizeof(*s));

	s->id = id;
	s->features = features;
	return s;
}

/* One new event (a blob of its own, as fan-out makes) to @s. */
static void one_event(struct session *s)
{
	struct blob *b = status_blob(7);

	session_event(ctx, s, b, 0);
	blob_put(&ctx->blobs, b);
}

static enum replay_result held(struct session *s, uint64_t seq)
{
	struct blob *b;
	uint32_t priv;

	return replay_get(&ctx->replay, &s->replay, seq, NULL, &b, &priv);
}

/* The context a ctid would make at start-up, with small bounds. */
static void ctx_init(void)
{
	struct config *cfg;

	cfg = config_load_string("t.conf",
				 "[server]\nsocket = /tmp/unused.sock\n"
				 "replay_log = 16\nqueue_limit = 4096\n",
				 quiet, NULL);
	T_ASSERT(cfg != NULL, "config");
	ctx->cfg = cfg;
	ctx->blobs.log = &ctx->log;
	ctx->requests.log = &ctx->log;
	ctx->requests.ctx = ctx;
	T_ASSERT(!replay_log_init(&ctx->replay, cfg->replay_log, &ctx->blobs), "replay log");
}

static void ctx_exit(void)
{
	replay_log_exit(&ctx->replay);
	blob_pool_drain(&ctx->blobs);
	config_free(ctx->cfg);
}

/* replay: a detached session, 40 events, the last 16 (replay_log) kept */
static void replay_bounded(void)
{
	struct session *s;

	ctx_init();
	s = new_session(42, CTI_WIRE_FEAT_RESUME);

	for (int i = 0; i < 40; i++)
		one_event(s);
	T_EXPECT(s->seq == 40, "seq %llu", (unsigned long long)s->seq);
	T_EXPECT(held(s, 24) == REPLAY_GONE, "seq 24 should be gone");
	T_EXPECT(held(s, 25) == REPLAY_OK, "seq 25 should be kept");
	T_EXPECT(held(s, 40) == REPLAY_OK, "seq 40 should be kept");
	T_EXPECT(held(s, 41) == REPLAY_GONE, "seq 41 does not exist");
	T_EXPECT(held(s, 0) == REPLAY_GONE, "seq 0 does not exist");
	session_destroy(ctx, s);
	ctx_exit();
}

/*
 * Hole 4: every session kept a replay ring, also those that cannot
 * resume, and each kept a reference per event. Now a session without
 * FEAT_RESUME keeps nothing, and an event fanned out to many resumable
 * sessions is stored once, each session's cursor one run.
 */
static void replay_shared(void)
{
	enum { N = 100, EVENTS = 1000 };
	struct session *plain, *rs[N];
	struct blob *last = NULL;

	ctx_init();
	plain = new_session(1, 0);
	for (int i = 0; i < N; i++)
		rs[i] = new_session(100 + i, CTI_WIRE_FEAT_RESUME);
	for (int e = 0; e < EVENTS; e++) {
		struct blob *b = status_blob(7);

		session_event(ctx, plain, b, 0);
		for (int i = 0; i < N; i++)
			session_event(ctx, rs[i], b, 1);
		blob_put(&ctx->blobs, last);
		last = b;
	}
	T_EXPECT(!plain->replay.count && !plain->replay.runs,
	      "a session that cannot resume keeps a replay log");
	T_EXPECT(rs[0]->replay.count == 1 && rs[N - 1]->replay.count == 1,
	      "a subscriber's cursor has %u runs, want 1", rs[0]->replay.count);
	T_EXPECT(last->refs == 2, "the last event is held %u times (want ours + the log's)",
	      last->refs);
	T_EXPECT(held(rs[N - 1], EVENTS) == REPLAY_OK && held(rs[0], EVENTS - 15) == REPLAY_OK,
	      "the last events are not replayable");
	blob_put(&ctx->blobs, last);
	for (int i = 0; i < N; i++)
		session_destroy(ctx, rs[i]);
	session_destroy(ctx, plain);
	ctx_exit();
}

/* queue bound and overflow: the unsent events go, the reply stays */
static uint64_t overflow(struct session *s, struct conn *c)
{
	struct cti_wire_frame r = { .hdr.type = CTI_WIRE_REPLY, .hdr.id = 5 };
	uint64_t gap_first;
	int n, i;

	r.u.reply.req_type = CTI_WIRE_LIST_LINES;
	r.u.reply.line = CTI_LINE_NONE;
	conn_queue_frame(ctx, c, &r);	/* a reply queued first */
	for (i = 0; i < 1000 && !s->overflow; i++)
		one_event(s);
	T_EXPECT(s->overflow, "no overflow after %d events", i);
	T_EXPECT(c->pending.len <= ctx->cfg->queue_limit, "queue %u > limit", c->pending.len);
	gap_first = s->gap_first;
	T_EXPECT(gap_first == 41, "gap starts at %llu, want 41 (the first unsent)",
	      (unsigned long long)gap_first);
	n = frames(&c->pending, fr, 4096);
	T_EXPECT(n == 1 && fr[0].hdr.type == CTI_WIRE_REPLY && fr[0].hdr.id == 5,
	      "after the overflow only the reply stays (%d frames)", n);
	for (i = 0; i < 100; i++)
		one_event(s);	/* more while overflowed: not queued */
	T_EXPECT(frames(&c->pending, fr, 4096) == 1, "events queued while overflowed");
	return gap_first;
}

/* the queue drains: GAP, RESYNC, snapshot; then events flow again */
static void drained(struct session *s, struct conn *c, uint64_t gap_first)
{
	int n;

	free(c->pending.data);
	memset(&c->pending, 0, sizeof(c->pending));
	session_drained(ctx, c);
	T_EXPECT(!s->overflow, "still overflowed");
	n = frames(&c->pending, fr, 4096);
	T_EXPECT(n == 3, "want GAP RESYNC END, got %d frames", n);
	if (n == 3) {
		T_EXPECT(fr[0].hdr.type == CTI_WIRE_GAP, "first %u", fr[0].hdr.type);
		T_EXPECT(fr[0].u.gap.first_seq == gap_first &&
		      fr[0].u.gap.last_seq == s->seq &&
		      fr[0].u.gap.count == s->seq - gap_first + 1,
		      "gap %llu..%llu", (unsigned long long)fr[0].u.gap.first_seq,
		      (unsigned long long)fr[0].u.gap.last_seq);
		T_EXPECT(fr[1].hdr.type == CTI_WIRE_RESYNC &&
		      fr[1].u.resync.reason == CTI_WIRE_RESYNC_OVERFLOW, "resync");
		T_EXPECT(fr[2].hdr.type == CTI_WIRE_END && fr[2].u.end.item_type == 0 &&
		      fr[2].u.end.seq == s->seq, "snapshot END seq");
	}
	one_event(s);
	n = frames(&c->pending, fr, 4096);
	T_EXPECT(n == 4 && fr[3].hdr.id == s->seq && s->seq == fr[2].u.end.seq + 1,
	      "event after the snapshot has seq END.seq + 1");
}

/*
 * An event the wire cannot carry (a CALL_INFO reason out of range, as a
 * buggy provider might post) is not dropped silently: it takes a sequence
 * number, is counted, and the session gets GAP for it, RESYNC and a
 * snapshot; a resume replays up to it, then says GAP.
 */
static void lost_event(struct session *s, struct conn *c)
{
	struct cti_wire_frame bad = { .hdr.type = CTI_WIRE_EV_CALL_INFO };
	struct opener op = { .s = s, .priv = CTI_WIRE_PRIV_MONITOR };
	struct line l = { .id = 7, .nopeners = 1, .openers = &op };
	uint64_t lost_seq, prev = s->seq, before = ctx->events_lost;
	int n;

	bad.u.call_info.line = 7;
	bad.u.call_info.call = 1;
	bad.u.call_info.reason = 0xffff;
	T_EXPECT(blob_encode(&ctx->blobs, &bad) == NULL, "a bad event should not encode");
	free(c->pending.data);
	memset(&c->pending, 0, sizeof(c->pending));
	fanout_line(ctx, &l, NULL, &bad);
	lost_seq = s->seq;
	T_EXPECT(ctx->events_lost == before + 1, "lost events %llu",
	      (unsigned long long)ctx->events_lost);
	T_EXPECT(lost_seq == prev + 1, "the lost event has no seq");
	T_EXPECT(held(s, lost_seq) == REPLAY_LOST, "its replay slot should say lost");
	n = frames(&c->pending, fr, 4096);
	T_EXPECT(n == 3 && fr[0].hdr.type == CTI_WIRE_GAP &&
	      fr[0].u.gap.first_seq == lost_seq &&
	      fr[0].u.gap.last_seq == lost_seq &&
	      fr[0].u.gap.count == 1, "want GAP of the lost event (%d frames)", n);
	T_EXPECT(n == 3 && fr[1].hdr.type == CTI_WIRE_RESYNC &&
	      fr[2].hdr.type == CTI_WIRE_END && fr[2].u.end.seq == lost_seq,
	      "RESYNC and a snapshot after the GAP");
	T_EXPECT(!s->overflow, "still overflowed after the GAP");
	one_event(s);
	n = frames(&c->pending, fr, 4096);
	T_EXPECT(n == 4 && fr[3].hdr.id == lost_seq + 1,
	      "the next event has seq %llu", (unsigned long long)lost_seq + 1);
}

/* The codec helpers fan-out patches copies with (lib/wire.c). */
static void codec_patch(void)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_EV_CALL_STATE }, out;
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	uint32_t off = cti_wire_privilege_offset(CTI_WIRE_EV_CALL_STATE);
	ssize_t n;

	f.hdr.id = 1;
	f.u.call_state.line = 3;
	f.u.call_state.call = 9;
	n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
	T_EXPECT(n > 0 && off > CTI_WIRE_HDR_SIZE && off + 4 <= (uint32_t)n,
	      "CALL_STATE has a privilege field (offset %u)", off);
	T_EXPECT(cti_wire_privilege_offset(CTI_WIRE_EV_DIGITS) == 0, "DIGITS has none");
	cti_wire_frame_set_id(buf, 77);
	T_EXPECT(!cti_wire_frame_set_privilege(buf, off, CTI_WIRE_PRIV_OWNER), "set");
	T_EXPECT(cti_wire_frame_set_privilege(buf, off + 4, 1) == -EINVAL,
	      "a wrong offset is refused");
	T_EXPECT(cti_wire_decode(buf, (size_t)n, CTI_WIRE_FROM_SERVER, &out, NULL) == n &&
	      out.hdr.id == 77 && out.u.call_state.privilege == CTI_WIRE_PRIV_OWNER &&
	      out.u.call_state.call == 9, "patched frame decodes as patched");
	T_EXPECT(cti_wire_frame_len(buf) == (uint32_t)n &&
	      cti_wire_frame_type(buf) == CTI_WIRE_EV_CALL_STATE &&
	      cti_wire_frame_id(buf) == 77, "header readers");
}

/*
 * A resumable session with 40 events sent, on a connection of its own;
 * overflow(), drained() and lost_event() take it one step further each.
 */
static struct session *connected(struct conn *c)
{
	struct session *s;

	ctx_init();
	s = new_session(43, CTI_WIRE_FEAT_RESUME);
	for (int i = 0; i < 40; i++)
		one_event(s);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->s = s;
	s->conn = c;
	return s;
}

static void disconnect(struct session *s, struct conn *c)
{
	free(c->pending.data);
	s->conn = NULL;
	session_destroy(ctx, s);
	ctx_exit();
}

static void queue_overflow(void)
{
	struct conn c;
	struct session *s = connected(&c);

	overflow(s, &c);
	disconnect(s, &c);
}

static void gap_after_drain(void)
{
	struct conn c;
	struct session *s = connected(&c);

	drained(s, &c, overflow(s, &c));
	disconnect(s, &c);
}

static void event_lost(void)
{
	struct conn c;
	struct session *s = connected(&c);

	drained(s, &c, overflow(s, &c));
	lost_event(s, &c);
	disconnect(s, &c);
}

static const struct t_case cases[] = {
	T_CASE(codec_patch),
	T_CASE(replay_bounded),
	T_CASE(replay_shared),
	T_CASE(queue_overflow),
	T_CASE(gap_after_drain),
	T_CASE(event_lost),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
