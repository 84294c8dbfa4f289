// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_slow: a client that never reads.
 *
 * The peers' failure (ESL's unbounded queue, AMI's write timeout) is what
 * this guards against: ctid's memory stays bounded however long a client
 * sleeps, the other clients' events keep flowing at their pace, and the
 * sleeper, once it reads again, learns exactly what it lost (GAP with the
 * lost range, then RESYNC and a snapshot), or is disconnected and then
 * resumes like any client (doc/protocol.md, "Slow clients").
 *
 * The traffic is SET_DND on and off on one line, each one a LINE_STATUS
 * event to every session that has the line open: cheap for the sim, so the
 * daemon's queueing is what is measured.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "rawclient.h"
#include "session.h"

#define QUEUE_LIMIT	(64 * 1024)	/* bytes per client, in the config */

static struct t_ctid d;

static void start(void)
{
	char keys[96];

	/* a small replay log, so that its (bounded) growth does not hide
	 * the queues' */
	snprintf(keys, sizeof(keys), "queue_limit = %d\nreplay_log = 4096\n",
		 QUEUE_LIMIT);
	T_ASSERT(t_ctid_start(&d, t_conf(4, keys, NULL, NULL)) == 0, "start");
}

static uint32_t first_line(struct rc *c)
{
	struct cti_wire_line l;
	int n = rc_list_lines(c, &l, 1);

	T_ASSERT(n >= 1, "no lines (%d)", n);
	return l.line;
}

/*
 * Toggle DND @n times with up to @window requests in flight, reading
 * replies and events as they come. Returns the events received; *@p99_ms
 * gets the 99th percentile of the request latencies.
 */
static long traffic(struct rc *c, uint32_t line, int n, int window,
		    double *p99_ms)
{
	uint64_t *sent_at = calloc((size_t)n + 1, sizeof(*sent_at));
	double *lat = calloc((size_t)n + 1, sizeof(*lat));
	struct cti_wire_frame f;
	int sent = 0, done = 0, nlat = 0;
	long events = 0;
	uint64_t base = 0;

	T_ASSERT(sent_at && lat, "oom");
	while (done < n) {
		while (sent < n && sent - done < window) {
			int64_t id = rc_command(c, CTI_CMD_SET_DND, line, 0, 0,
						(uint32_t)(sent & 1), 0, NULL);

			T_ASSERT(id > 0, "send: %s", strerror((int)-id));
			if (!base)
				base = (uint64_t)id;
			sent_at[id - base] = t_now_ns();
			sent++;
		}
		T_ASSERT(rc_next_event(c, &f, 5000) == 1,
			 "traffic stalled after %d of %d replies", done, n);
		if (f.hdr.type == CTI_WIRE_REPLY) {
			uint64_t i = f.hdr.id - base;

			T_ASSERT(f.hdr.id >= base && i < (uint64_t)n,
				 "reply to unknown id %llu",
				 (unsigned long long)f.hdr.id);
			T_EXPECT_EQ(f.u.reply.error, 0);
			lat[nlat++] = (double)(t_now_ns() - sent_at[i]) / 1e6;
			done++;
		} else if (cti_wire_type_is_event(f.hdr.type)) {
			events++;
		} else {
			T_EXPECT(0, "unexpected %s", cti_wire_type_name(f.hdr.type));
		}
	}
	/* the events of the last requests may trail their replies */
	events += rc_drain(c, 200);
	if (p99_ms)
		*p99_ms = t_percentile(lat, (size_t)nlat, 99);
	free(sent_at);
	free(lat);
	return events;
}

/*
 * Five sleepers hold the line open and never read; a worker drives the
 * line. ctid's RSS must not grow with the traffic, and the worker must
 * get every event with no gap and in good time.
 */
static void sleepers_bounded(void)
{
	enum { SLEEPERS = 5, N = 60000 };
	struct rc sleepers[SLEEPERS], worker;
	long rss0, rss_mid, rss1, events;
	double p99, p99_base;
	uint32_t line;
	int64_t t0;
	int i;

	start();
	rc_session(&worker, d.sock, "worker");
	line = first_line(&worker);
	T_ASSERT(rc_open_line(&worker, line, CTI_WIRE_PRIV_OWNER) == 0, "open");
	/* a baseline without sleepers */
	t0 = t_now_ms();
	events = traffic(&worker, line, 5000, 32, &p99_base);
	t_note("baseline: 5000 requests, %ld events in %lld ms, p99 %.2f ms",
	       events, (long long)(t_now_ms() - t0), p99_base);
	T_EXPECT(events >= 4900, "only %ld events for 5000 DND changes",
		 events);

	for (i = 0; i < SLEEPERS; i++) {
		int small = 4096;

		rc_session(&sleepers[i], d.sock, "sleeper");
		setsockopt(sleepers[i].fd, SOL_SOCKET, SO_RCVBUF, &small,
			   sizeof(small));
		T_ASSERT(rc_open_line(&sleepers[i], line,
				      CTI_WIRE_PRIV_MONITOR) == 0, "open");
	}
	rc_drain(&worker, 100);
	/*
	 * Two rounds: the first fills every bounded structure (the replay log,
	 * the sleepers' queues up to their limit, allocator caches); the
	 * second must not grow ctid at all. Each round sends each sleeper
	 * about N * 50 bytes (3 MB): unbounded queues would add 15 MB.
	 */
	rss0 = t_ctid_rss_kb(&d);
	events = traffic(&worker, line, N, 32, &p99);
	rss_mid = t_ctid_rss_kb(&d);
	t0 = t_now_ms();
	events = traffic(&worker, line, N, 32, &p99);
	rss1 = t_ctid_rss_kb(&d);
	t_note("with %d sleepers: %d requests, %ld events in %lld ms, p99 %.2f ms",
	       SLEEPERS, N, events, (long long)(t_now_ms() - t0), p99);
	t_note("ctid VmRSS %ld kB -> %ld kB -> %ld kB", rss0, rss_mid, rss1);
#ifdef __SANITIZE_ADDRESS__
	/* ASan keeps freed memory in quarantine: RSS says nothing here. */
	t_note("RSS bounds not checked under AddressSanitizer");
#else
	T_EXPECT(rss1 - rss_mid < 2048, "ctid grew by %ld kB in round 2",
		 rss1 - rss_mid);
	T_EXPECT(rss1 - rss0 < 8192, "ctid grew by %ld kB", rss1 - rss0);
#endif
	T_EXPECT(events >= N - N / 50, "worker got %ld events for %d changes",
		 events, N);
	T_EXPECT_EQ(worker.gaps, 0);
	T_EXPECT(p99 < 250.0, "worker p99 latency %.1f ms", p99);

	for (i = 0; i < SLEEPERS; i++)
		rc_close(&sleepers[i]);
	rc_close(&worker);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * The sleeper wakes up: everything it is told is consistent. Events are
 * contiguous in sequence, except across a GAP whose range covers exactly
 * the jump; a GAP is followed by RESYNC (OVERFLOW) and a snapshot ending
 * with END (item_type 0) whose seq the next event follows. A disconnect is
 * allowed, and then a resume must succeed explicitly.
 */
static void sleeper_learns_the_gap(void)
{
	struct rc sleeper, worker;
	struct cti_wire_frame f;
	uint64_t session_id, last = 0;
	bool gap = false, resync = false, snap_end = false, closed = false;
	uint32_t line;
	int small = 4096, rc, n = 0;

	start();
	rc_session(&worker, d.sock, "worker");
	line = first_line(&worker);
	T_ASSERT(rc_open_line(&worker, line, CTI_WIRE_PRIV_OWNER) == 0, "open");
	rc_session(&sleeper, d.sock, "sleeper");
	session_id = sleeper.ack.session;
	setsockopt(sleeper.fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	T_ASSERT(rc_open_line(&sleeper, line, CTI_WIRE_PRIV_MONITOR) == 0,
		 "open");
	traffic(&worker, line, 30000, 32, NULL);

	/* wake up */
	for (;;) {
		rc = rc_recv(&sleeper, &f, 1000);
		if (rc == 0)
			break;
		if (rc == -EPIPE) {
			closed = true;
			break;
		}
		T_ASSERT(rc == 1, "bad frame from ctid (%d)", rc);
		n++;
		if (cti_wire_type_is_event(f.hdr.type)) {
			T_ASSERT(!last || f.hdr.id == last + 1,
				 "silent loss: seq %llu after %llu",
				 (unsigned long long)f.hdr.id,
				 (unsigned long long)last);
			last = f.hdr.id;
		} else if (f.hdr.type == CTI_WIRE_GAP) {
			T_ASSERT(!gap || resync, "second GAP before RESYNC");
			T_EXPECT_EQ(f.u.gap.first_seq, last + 1);
			T_EXPECT_EQ(f.u.gap.count,
				    f.u.gap.last_seq - f.u.gap.first_seq + 1);
			last = f.u.gap.last_seq;
			gap = true;
		} else if (f.hdr.type == CTI_WIRE_RESYNC) {
			T_EXPECT(gap, "RESYNC without GAP");
			T_EXPECT_EQ(f.u.resync.reason, CTI_WIRE_RESYNC_OVERFLOW);
			resync = true;
		} else if (f.hdr.type == CTI_WIRE_END && f.hdr.id == 0) {
			T_EXPECT(resync, "snapshot END without RESYNC");
			T_EXPECT_EQ(f.u.end.item_type, 0);
			T_EXPECT(f.u.end.seq >= last, "snapshot seq %llu < %llu",
				 (unsigned long long)f.u.end.seq,
				 (unsigned long long)last);
			last = f.u.end.seq;
			snap_end = true;
		}
	}
	t_note("sleeper read %d frames: gap %d resync %d snapshot %d closed %d",
	       n, gap, resync, snap_end, closed);
	if (closed) {
		struct rc again;

		T_ASSERT(rc_connect(&again, d.sock) == 0, "reconnect");
		T_ASSERT(rc_hello(&again, "sleeper", session_id, last) == 0,
			 "resume");
		t_note("resume answer %u", again.ack.resume);
		T_EXPECT(again.ack.resume == CTI_WIRE_RESUME_OK ||
			 again.ack.resume == CTI_WIRE_RESUME_RESYNC,
			 "resume %u", again.ack.resume);
		rc_close(&again);
	} else {
		T_EXPECT(gap && resync && snap_end,
			 "the sleeper was not told of its loss");
	}
	/* The session goes on: a new change reaches the sleeper in order. */
	if (!closed) {
		rc = rc_command_sync(&worker, CTI_CMD_SET_DND, line, 0, 0, 1, 0,
				     NULL, NULL);
		T_EXPECT_EQ(rc, 0);
		rc = rc_wait_type(&sleeper, CTI_WIRE_EV_LINE_STATUS, &f, 3000);
		T_EXPECT(rc == 1, "no event after the resync (%d)", rc);
	}
	rc_close(&sleeper);
	rc_close(&worker);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/* Many sleepers that connect and do nothing at all: the daemon is fine. */
static void idle_connections(void)
{
	enum { N = 500 };
	static struct rc idle[N];
	struct rc worker;
	long rss0, rss1;
	int i;

	t_raise_nofile(4096);
	start();
	rss0 = t_ctid_rss_kb(&d);
	for (i = 0; i < N; i++)
		T_ASSERT(rc_connect(&idle[i], d.sock) == 0, "connect %d", i);
	rc_session(&worker, d.sock, "worker");
	rss1 = t_ctid_rss_kb(&d);
	t_note("%d connections without HELLO: %ld kB", N, rss1 - rss0);
	first_line(&worker);
	for (i = 0; i < N; i++)
		rc_close(&idle[i]);
	rc_close(&worker);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * A client that sends requests without end and never reads the replies:
 * ctid stops reading it once its replies back up (doc/protocol.md), so
 * ctid's memory stays bounded and the other clients are served on time.
 */
static void writer_never_reads(void)
{
	static uint8_t batch[256 * 16];
	struct rc flood, worker;
	long rss0, rss1;
	int64_t t0, sent = 0;
	double p99;
	uint32_t line;
	int i, small = 4096;

	start();
	rc_session(&worker, d.sock, "worker");
	line = first_line(&worker);
	T_ASSERT(rc_open_line(&worker, line, CTI_WIRE_PRIV_OWNER) == 0, "open");
	rc_session(&flood, d.sock, "flood");
	setsockopt(flood.fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	/* PINGs, 256 to a write, until the socket stops taking them */
	for (i = 0; i < 256; i++) {
		batch[16 * i] = 16;
		batch[16 * i + 4] = CTI_WIRE_PING;
		batch[16 * i + 8] = (uint8_t)(i + 1);
		batch[16 * i + 9] = 1;
	}
	rss0 = t_ctid_rss_kb(&d);
	t0 = t_now_ms();
	while (t_now_ms() - t0 < 3000) {
		ssize_t n = send(flood.fd, batch, sizeof(batch),
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n > 0)
			sent += n / 16;
		else
			t_sleep_ms(10);
	}
	rss1 = t_ctid_rss_kb(&d);
	t_note("%lld PINGs written in 3 s; ctid VmRSS %ld -> %ld kB",
	       (long long)sent, rss0, rss1);
#ifndef __SANITIZE_ADDRESS__
	T_EXPECT(rss1 - rss0 < 8192, "ctid grew by %ld kB", rss1 - rss0);
#endif
	/* the worker does not notice */
	traffic(&worker, line, 2000, 16, &p99);
	t_note("worker p99 with the flood going: %.2f ms", p99);
	T_EXPECT(p99 < 250.0, "worker p99 %.1f ms", p99);
	T_ASSERT(t_ctid_alive(&d), "ctid died");
	rc_close(&flood);
	rc_close(&worker);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * The same through libcti: a program that stops taking messages for a
 * while is told, when it comes back, GAP (with the lost range) and then
 * RESYNC with fresh state, its line still open; never a silent hole.
 */
static void libcti_sleeper(void)
{
	struct party p;
	struct rc worker;
	const struct p_rec *gap, *resync;
	uint32_t line;
	size_t i;

	start();
	rc_session(&worker, d.sock, "worker");
	line = first_line(&worker);
	T_ASSERT(rc_open_line(&worker, line, CTI_WIRE_PRIV_OWNER) == 0, "open");
	p_open(&p, "sleeper", 0, CTI_PRIV_MONITOR);
	T_ASSERT_EQ(p.line_id, line);
	/*
	 * libcti does its I/O only when called: not calling it is sleeping.
	 * 30000 events (1.5 MB) overflow the socket and the 64 KiB queue.
	 */
	traffic(&worker, line, 30000, 32, NULL);
	p_pump(&p, 1500);
	gap = p_wait_msg(&p, CTI_MSG_GAP, 100);
	resync = p_wait_msg(&p, CTI_MSG_RESYNC, 2000);
	t_note("sleeper: %zu messages, gap %s, resync %s", p.n,
	       gap ? "yes" : "no", resync ? "yes" : "no");
	T_EXPECT(gap && resync, "libcti did not report the loss");
	if (gap && resync)
		T_EXPECT(gap < resync, "RESYNC before GAP");
	/* no LINE_STATUS between GAP and RESYNC */
	for (i = 0; gap && resync && i < p.n; i++)
		if (&p.recs[i] > gap && &p.recs[i] < resync)
			T_EXPECT(p.recs[i].type != CTI_MSG_LINE_STATUS,
				 "an event inside the gap");
	/* and the line is still watched */
	T_EXPECT_EQ(cti_line_get_privilege(p.line), CTI_PRIV_MONITOR);
	p_mark_all(&p);
	T_ASSERT_EQ(rc_command_sync(&worker, CTI_CMD_SET_DND, line, 0, 0, 1, 0,
				    NULL, NULL), 0);
	rc_drain(&worker, 0);
	T_ASSERT_EQ(rc_command_sync(&worker, CTI_CMD_SET_DND, line, 0, 0, 0, 0,
				    NULL, NULL), 0);
	T_EXPECT(p_wait_msg(&p, CTI_MSG_LINE_STATUS, 3000),
		 "no event after the resync");
	p_close(&p);
	rc_close(&worker);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * max_clients: the connection over the limit is turned away at once
 * (closed, or an ERROR then closed), the others are not disturbed, and a
 * place freed is a place taken again.
 */
static void max_clients_enforced(void)
{
	struct rc c[5], extra;
	struct cti_wire_frame f;
	int i, rc;

	T_ASSERT(t_ctid_start(&d, t_conf(4, "max_clients = 5\n", NULL,
					 NULL)) == 0, "start");
	/* the harness's own probe connection is closed: all five are ours */
	t_sleep_ms(100);
	for (i = 0; i < 5; i++)
		rc_session(&c[i], d.sock, "member");
	rc = rc_connect(&extra, d.sock);
	if (rc == 0) {
		rc = rc_hello(&extra, "extra", 0, 0);
		T_EXPECT(rc < 0, "a sixth session was accepted");
		while (rc_recv(&extra, &f, 500) == 1)
			;
		rc_close(&extra);
	}
	for (i = 0; i < 5; i++)
		T_EXPECT(first_line(&c[i]) != CTI_LINE_NONE, "member %d", i);
	rc_close(&c[4]);
	t_sleep_ms(100);
	rc_session(&c[4], d.sock, "newcomer");
	T_EXPECT(first_line(&c[4]) != CTI_LINE_NONE, "newcomer");
	for (i = 0; i < 5; i++)
		rc_close(&c[i]);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE_TIMEOUT(sleepers_bounded, 120),
		T_CASE_TIMEOUT(sleeper_learns_the_gap, 60),
		T_CASE(idle_connections),
		T_CASE(writer_never_reads),
		T_CASE_TIMEOUT(libcti_sleeper, 60),
		T_CASE(max_clients_enforced),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
