// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions without a loop: the replay ring keeps exactly the last
 * replay_log events with their sequence numbers; a connection's event
 * queue never grows past queue_limit; an overflow discards the unsent
 * events (never replies), and once the queue drains the client gets GAP
 * with the exact range, RESYNC (OVERFLOW) and a snapshot ending at the
 * session's sequence number.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctid.h"
#include "test.h"

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
	return blob_encode(&f, 0);
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

int main(void)
{
	struct config *cfg;
	struct session *s;
	struct conn c;
	struct blob *b;
	uint64_t gap_first;
	int n, i;

	cfg = config_load_string("t.conf",
				 "[server]\nsocket = /tmp/unused.sock\n"
				 "replay_log = 16\nqueue_limit = 4096\n",
				 quiet, NULL);
	CHECK(cfg != NULL, "config");
	if (!cfg)
		return test_done("test_session");
	g.cfg = cfg;

	/* replay ring: detached session, 40 events, the last 16 kept */
	s = calloc(1, sizeof(*s));
	s->id = 42;
	b = status_blob(7);
	CHECK(b != NULL, "blob");
	for (i = 0; i < 40; i++)
		session_event(s, b, 0);
	CHECK(s->seq == 40, "seq %llu", (unsigned long long)s->seq);
	CHECK(s->ring_count == 16, "ring holds %u", s->ring_count);
	CHECK(session_replay_get(s, 24) == NULL, "seq 24 should be gone");
	CHECK(session_replay_get(s, 25) != NULL, "seq 25 should be kept");
	CHECK(session_replay_get(s, 40) != NULL, "seq 40 should be kept");
	CHECK(session_replay_get(s, 41) == NULL, "seq 41 does not exist");
	CHECK(session_replay_get(s, 0) == NULL, "seq 0 does not exist");
	CHECK(b->refs == 17, "blob refs %u (ring 16 + ours)", b->refs);

	/* queue bound and overflow */
	memset(&c, 0, sizeof(c));
	c.fd = -1;
	c.s = s;
	s->conn = &c;
	{
		struct cti_wire_frame r = { .hdr.type = CTI_WIRE_REPLY, .hdr.id = 5 };

		r.u.reply.req_type = CTI_WIRE_LIST_LINES;
		r.u.reply.line = CTI_LINE_NONE;
		conn_queue_frame(&c, &r);	/* a reply queued first */
	}
	for (i = 0; i < 1000 && !s->overflow; i++)
		session_event(s, b, 0);
	CHECK(s->overflow, "no overflow after %d events", i);
	CHECK(c.pending.len <= cfg->queue_limit, "queue %u > limit", c.pending.len);
	gap_first = s->gap_first;
	CHECK(gap_first == 41, "gap starts at %llu, want 41 (the first unsent)",
	      (unsigned long long)gap_first);
	n = frames(&c.pending, fr, 4096);
	CHECK(n == 1 && fr[0].hdr.type == CTI_WIRE_REPLY && fr[0].hdr.id == 5,
	      "after the overflow only the reply stays (%d frames)", n);
	for (i = 0; i < 100; i++)
		session_event(s, b, 0);	/* more while overflowed: not queued */
	CHECK(frames(&c.pending, fr, 4096) == 1, "events queued while overflowed");

	/* the queue drains: GAP, RESYNC, snapshot */
	free(c.pending.data);
	memset(&c.pending, 0, sizeof(c.pending));
	session_drained(&c);
	CHECK(!s->overflow, "still overflowed");
	n = frames(&c.pending, fr, 4096);
	CHECK(n == 3, "want GAP RESYNC END, got %d frames", n);
	if (n == 3) {
		CHECK(fr[0].hdr.type == CTI_WIRE_GAP, "first %u", fr[0].hdr.type);
		CHECK(fr[0].u.gap.first_seq == gap_first &&
		      fr[0].u.gap.last_seq == s->seq &&
		      fr[0].u.gap.count == s->seq - gap_first + 1,
		      "gap %llu..%llu", (unsigned long long)fr[0].u.gap.first_seq,
		      (unsigned long long)fr[0].u.gap.last_seq);
		CHECK(fr[1].hdr.type == CTI_WIRE_RESYNC &&
		      fr[1].u.resync.reason == CTI_WIRE_RESYNC_OVERFLOW, "resync");
		CHECK(fr[2].hdr.type == CTI_WIRE_END && fr[2].u.end.item_type == 0 &&
		      fr[2].u.end.seq == s->seq, "snapshot END seq");
	}
	/* events flow again with the next sequence number */
	session_event(s, b, 0);
	n = frames(&c.pending, fr, 4096);
	CHECK(n == 4 && fr[3].hdr.id == s->seq && s->seq == fr[2].u.end.seq + 1,
	      "event after the snapshot has seq END.seq + 1");

	/*
	 * An event the wire cannot carry (a CALL_INFO reason out of range,
	 * as a buggy provider might post) is not dropped silently: it takes
	 * a sequence number, is counted, and the session gets GAP for it,
	 * RESYNC and a snapshot; a resume replays up to it, then says GAP.
	 */
	{
		struct cti_wire_frame bad = { .hdr.type = CTI_WIRE_EV_CALL_INFO };
		struct opener op = { .s = s, .priv = CTI_WIRE_PRIV_MONITOR };
		struct line l = { .id = 7, .nopeners = 1, .openers = &op };
		uint64_t lost_seq, before = g.events_lost;

		bad.u.call_info.line = 7;
		bad.u.call_info.call = 1;
		bad.u.call_info.reason = 0xffff;
		CHECK(blob_encode(&bad, 0) == NULL, "a bad event should not encode");
		free(c.pending.data);
		memset(&c.pending, 0, sizeof(c.pending));
		fanout_line(&l, NULL, &bad, 0);
		lost_seq = s->seq;
		CHECK(g.events_lost == before + 1, "lost events %llu",
		      (unsigned long long)g.events_lost);
		CHECK(lost_seq == fr[3].hdr.id + 1, "the lost event has no seq");
		CHECK(session_replay_get(s, lost_seq) &&
		      !replay_blob(session_replay_get(s, lost_seq)),
		      "its replay slot should be empty");
		n = frames(&c.pending, fr, 4096);
		CHECK(n == 3 && fr[0].hdr.type == CTI_WIRE_GAP &&
		      fr[0].u.gap.first_seq == lost_seq &&
		      fr[0].u.gap.last_seq == lost_seq &&
		      fr[0].u.gap.count == 1, "want GAP of the lost event (%d frames)", n);
		CHECK(n == 3 && fr[1].hdr.type == CTI_WIRE_RESYNC &&
		      fr[2].hdr.type == CTI_WIRE_END && fr[2].u.end.seq == lost_seq,
		      "RESYNC and a snapshot after the GAP");
		CHECK(!s->overflow, "still overflowed after the GAP");
		/* events flow again */
		session_event(s, b, 0);
		n = frames(&c.pending, fr, 4096);
		CHECK(n == 4 && fr[3].hdr.id == lost_seq + 1,
		      "the next event has seq %llu", (unsigned long long)lost_seq + 1);
	}

	free(c.pending.data);
	s->conn = NULL;
	blob_put(b);
	session_destroy(s);
	config_free(cfg);
	return test_done("test_session");
}
