// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_restart: sessions survive broken connections and a killed daemon.
 *
 * The rule under test (doc/protocol.md, "The session"): a client that comes
 * back with its session id and last sequence number either gets every
 * event it missed, replayed with the original sequence numbers (resume OK),
 * or is told explicitly that it cannot (RESYNC with a reason) and gets a
 * snapshot. Nothing in between: an event sequence with a hole and no GAP
 * or RESYNC is a failure.
 *
 * Traffic is DND on and off on one line: each change is one LINE_STATUS
 * event to every session with the line open, and the worker knows how
 * many it caused, so a replay can be counted exactly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"
#include "rawclient.h"
#include "session.h"

static struct t_ctid d;

static void start(const char *server_keys)
{
	T_ASSERT(t_ctid_start(&d, t_conf(4, server_keys, NULL, NULL)) == 0,
		 "start");
}

static uint32_t line0(struct rc *c)
{
	struct cti_wire_line l[4];
	int n = rc_list_lines(c, l, 4);

	T_ASSERT(n >= 1, "lines: %d", n);
	return l[0].line;
}

/* @n DND changes on @line, each waited for; returns how many succeeded. */
static int toggle(struct rc *w, uint32_t line, int n)
{
	int i, ok = 0;

	for (i = 0; i < n; i++)
		ok += rc_command_sync(w, CTI_CMD_SET_DND, line, 0, 0,
				      (uint32_t)(i & 1), 0, NULL, NULL) == 0;
	return ok;
}

/*
 * Read what a resumed session gets until @ms of silence and check it:
 * contiguous events from @from + 1 (resume OK), or RESYNC and a snapshot.
 * Returns the number of events replayed.
 */
static int read_resumed(struct rc *c, uint64_t from, int ms)
{
	struct cti_wire_frame f;
	uint64_t expect = from + 1;
	bool resync = c->ack.resume == CTI_WIRE_RESUME_RESYNC;
	bool snap_end = false, got_resync = false;
	int events = 0, rc;

	if (resync)
		T_EXPECT(c->ack.session != 0, "new session id 0");
	while ((rc = rc_next_event(c, &f, ms)) == 1) {
		if (cti_wire_type_is_event(f.hdr.type)) {
			T_ASSERT(f.hdr.id == expect,
				 "event seq %llu, expected %llu (silent loss)",
				 (unsigned long long)f.hdr.id,
				 (unsigned long long)expect);
			expect++;
			events++;
		} else if (f.hdr.type == CTI_WIRE_RESYNC) {
			T_EXPECT(resync, "RESYNC after a resume OK");
			got_resync = true;
		} else if (f.hdr.type == CTI_WIRE_END && f.hdr.id == 0) {
			T_EXPECT(got_resync, "snapshot without RESYNC");
			snap_end = true;
			expect = f.u.end.seq + 1;
		} else if (f.hdr.type == CTI_WIRE_GAP) {
			T_EXPECT(0, "GAP on a resume");
		}
	}
	T_ASSERT(rc == 0, "read: %d", rc);
	if (resync)
		T_EXPECT(got_resync && snap_end, "RESYNC %d snapshot %d",
			 got_resync, snap_end);
	return events;
}

/* Connection dropped, daemon alive: every missed event is replayed. */
static void resume_after_disconnect(void)
{
	struct rc w, m;
	uint64_t sess, last;
	uint32_t line;
	int before, during, replayed;

	start(NULL);
	rc_session(&w, d.sock, "worker");
	line = line0(&w);
	T_ASSERT(rc_open_line(&w, line, CTI_WIRE_PRIV_OWNER) == 0, "open");
	rc_session(&m, d.sock, "watcher");
	T_ASSERT(rc_open_line(&m, line, CTI_WIRE_PRIV_MONITOR) == 0, "open");
	before = toggle(&w, line, 50);
	T_ASSERT(rc_drain(&m, 300) >= before, "watcher missed live events");
	sess = m.ack.session;
	last = m.last_seq;
	rc_close(&m);

	during = toggle(&w, line, 200);
	T_ASSERT(rc_connect(&m, d.sock) == 0, "reconnect");
	T_ASSERT(rc_hello(&m, "watcher", sess, last) == 0, "hello");
	T_EXPECT_EQ(m.ack.resume, CTI_WIRE_RESUME_OK);
	T_EXPECT_EQ(m.ack.session, sess);
	replayed = read_resumed(&m, last, 500);
	t_note("%d changes while away, %d events replayed", during, replayed);
	T_EXPECT_EQ(replayed, during);
	/* and the session still has its line open: live events follow */
	T_ASSERT_EQ(toggle(&w, line, 1), 1);
	T_EXPECT(rc_drain(&m, 300) == 1, "no live event after the resume");
	rc_close(&m);
	rc_close(&w);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/* The replay log is too short for the absence: RESYNC TOO_OLD. */
static void resume_too_old(void)
{
	struct cti_wire_frame f;
	struct rc w, m;
	uint64_t sess, last;
	uint32_t line;

	start("replay_log = 16\n");
	rc_session(&w, d.sock, "worker");
	line = line0(&w);
	T_ASSERT(rc_open_line(&w, line, CTI_WIRE_PRIV_OWNER) == 0, "open");
	rc_session(&m, d.sock, "watcher");
	T_ASSERT(rc_open_line(&m, line, CTI_WIRE_PRIV_MONITOR) == 0, "open");
	toggle(&w, line, 4);
	rc_drain(&m, 200);
	sess = m.ack.session;
	last = m.last_seq;
	rc_close(&m);
	toggle(&w, line, 300);
	T_ASSERT(rc_connect(&m, d.sock) == 0, "reconnect");
	T_ASSERT(rc_hello(&m, "watcher", sess, last) == 0, "hello");
	T_EXPECT_EQ(m.ack.resume, CTI_WIRE_RESUME_RESYNC);
	T_ASSERT(rc_wait_type(&m, CTI_WIRE_RESYNC, &f, 3000) == 1, "no RESYNC");
	T_EXPECT_EQ(f.u.resync.reason, CTI_WIRE_RESYNC_TOO_OLD);
	T_ASSERT(rc_wait_type(&m, CTI_WIRE_END, &f, 3000) == 1, "no snapshot");
	T_EXPECT_EQ(f.u.end.item_type, 0);
	rc_close(&m);
	rc_close(&w);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/* A session id the daemon never gave: RESYNC UNKNOWN_SESSION. */
static void resume_unknown_session(void)
{
	struct cti_wire_frame f;
	struct rc m;

	start(NULL);
	T_ASSERT(rc_connect(&m, d.sock) == 0, "connect");
	T_ASSERT(rc_hello(&m, "stranger", 0x5eed5eed5eedull, 77) == 0, "hello");
	T_EXPECT_EQ(m.ack.resume, CTI_WIRE_RESUME_RESYNC);
	T_EXPECT(m.ack.session != 0x5eed5eed5eedull, "took a foreign session");
	T_ASSERT(rc_wait_type(&m, CTI_WIRE_RESYNC, &f, 3000) == 1, "no RESYNC");
	T_EXPECT_EQ(f.u.resync.reason, CTI_WIRE_RESYNC_UNKNOWN_SESSION);
	T_ASSERT(rc_wait_type(&m, CTI_WIRE_END, &f, 3000) == 1, "no snapshot");
	rc_close(&m);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * kill -9 under traffic, restart: the watcher's resume is answered
 * explicitly (a restarted daemon cannot know the session: RESYNC), the
 * snapshot shows the line as it is now, and live events flow again.
 */
static void kill9_under_traffic(void)
{
	struct cti_wire_line before[4], after[4];
	struct cti_wire_frame f;
	struct rc w, m;
	uint64_t sess, last;
	uint32_t line;
	int i, rc, lines = 0;

	start(NULL);
	rc_session(&w, d.sock, "worker");
	T_ASSERT(rc_list_lines(&w, before, 4) == 4, "lines");
	line = line0(&w);
	T_ASSERT(rc_open_line(&w, line, CTI_WIRE_PRIV_OWNER) == 0, "open");
	rc_session(&m, d.sock, "watcher");
	T_ASSERT(rc_open_line(&m, line, CTI_WIRE_PRIV_MONITOR) == 0, "open");
	/* traffic in flight: requests sent and not waited for */
	for (i = 0; i < 2000; i++)
		rc_command(&w, CTI_CMD_SET_DND, line, 0, 0, (uint32_t)(i & 1), 0,
			   NULL);
	t_sleep_ms(5);
	t_ctid_kill9(&d);
	/* the watcher reads what it got until the socket closes */
	while (rc_next_event(&m, &f, 2000) == 1)
		;
	sess = m.ack.session;
	last = m.last_seq;
	t_note("watcher had seq %llu when ctid died",
	       (unsigned long long)last);
	rc_close(&m);
	rc_close(&w);

	T_ASSERT(t_ctid_restart(&d) == 0, "restart");
	T_ASSERT(rc_connect(&m, d.sock) == 0, "reconnect");
	rc = rc_hello(&m, "watcher", sess, last);
	if (rc) {
		t_ctid_dump_log(&d);
		T_ASSERT(rc == 0, "hello: %d (%s)", rc, strerror(-rc));
	}
	T_EXPECT(m.ack.resume == CTI_WIRE_RESUME_RESYNC ||
		 m.ack.resume == CTI_WIRE_RESUME_OK, "resume %u",
		 m.ack.resume);
	if (m.ack.resume == CTI_WIRE_RESUME_RESYNC) {
		T_ASSERT(rc_wait_type(&m, CTI_WIRE_RESYNC, &f, 3000) == 1,
			 "no RESYNC");
		T_EXPECT_EQ(f.u.resync.reason, CTI_WIRE_RESYNC_UNKNOWN_SESSION);
		while (rc_next_event(&m, &f, 3000) == 1) {
			if (f.hdr.type == CTI_WIRE_LINE)
				lines++;
			if (f.hdr.type == CTI_WIRE_END)
				break;
		}
		T_EXPECT_EQ(f.hdr.type, CTI_WIRE_END);
		T_EXPECT_EQ(lines, 4);
		/* a resync session has no line open: open it again */
		T_ASSERT(rc_open_line(&m, line, CTI_WIRE_PRIV_MONITOR) == 0,
			 "reopen");
	} else {
		read_resumed(&m, last, 500);
	}
	rc_session(&w, d.sock, "worker");
	/* the restarted daemon gives the lines the same ids and names */
	T_ASSERT(rc_list_lines(&w, after, 4) == 4, "lines");
	for (i = 0; i < 4; i++) {
		T_EXPECT_EQ(after[i].line, before[i].line);
		T_EXPECT(!strcmp(after[i].name, before[i].name), "%s != %s",
			 after[i].name, before[i].name);
	}
	T_ASSERT(rc_open_line(&w, line, CTI_WIRE_PRIV_OWNER) == 0, "open");
	T_ASSERT_EQ(toggle(&w, line, 3), 3);
	T_EXPECT(rc_drain(&m, 300) >= 2, "no live events after the restart");
	rc_close(&m);
	rc_close(&w);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * The same through libcti: the program is told DISCONNECTED, then either
 * RECONNECTED or RESYNC with the fresh state, its line is open again, and
 * its requests in flight at the crash completed exactly once.
 */
static void libcti_reconnects(void)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.timeout_ms = 5000,
		.client_name = "survivor",
	};
	struct party p, q;
	const struct p_rec *r;
	uint32_t call = 0, qc = 0;
	uint64_t req;
	int i, rc;

	start(NULL);
	memset(&p, 0, sizeof(p));
	p.name = "survivor";
	rc = cti_session_open(NULL, &o, &p.s);
	T_ASSERT(rc == 0, "open: %s", strerror(-rc));
	p.line = cti_session_get_line(p.s, 0);
	p.line_id = cti_line_get_id(p.line);
	rc = cti_line_open(p.line, CTI_PRIV_OWNER, &req);
	p_sent(&p, rc, req, "open");
	T_ASSERT_EQ(p_reply(&p, req, NULL), 0);
	/* requests in flight when ctid dies */
	for (i = 0; i < 50; i++) {
		rc = cti_line_set_dnd(p.line, i & 1, &req);
		p_sent(&p, rc, req, "dnd");
	}
	t_ctid_kill9(&d);
	r = p_wait_msg(&p, CTI_MSG_DISCONNECTED, 5000);
	T_EXPECT(r, "no DISCONNECTED");
	T_ASSERT(t_ctid_restart(&d) == 0, "restart");
	/* libcti reconnects with backoff */
	for (i = 0; i < 100; i++) {
		p_pump(&p, 100);
		if (cti_session_is_connected(p.s))
			break;
	}
	T_ASSERT(cti_session_is_connected(p.s), "libcti did not reconnect");
	p_pump(&p, 500);
	{
		bool resync = false, reconnected = false;
		size_t k;

		for (k = 0; k < p.n; k++) {
			resync |= p.recs[k].type == CTI_MSG_RESYNC;
			reconnected |= p.recs[k].type == CTI_MSG_RECONNECTED;
		}
		T_EXPECT(resync || reconnected, "neither RESYNC nor RECONNECTED");
		t_note("after restart: %s", resync ? "RESYNC" : "RECONNECTED");
	}
	/* every request completed exactly once (with ECONNRESET or not) */
	p_expect_replies_once(&p);
	/* the line is open again: a call to it offers */
	p_open(&q, "caller", 1, CTI_PRIV_OWNER);
	p_mark_all(&p);
	rc = cti_line_make_call(q.line, cti_line_get_address(p.line, 0), &req);
	p_sent(&q, rc, req, "make call");
	T_ASSERT_EQ(p_reply(&q, req, &qc), 0);
	EXPECT_STATES(&p, &call, SR(CTI_CALL_OFFERING, CTI_REASON_DIRECT));
	rc = cti_call_drop(p.line, call, &req);
	p_sent(&p, rc, req, "drop");
	T_EXPECT_EQ(p_reply(&p, req, NULL), 0);
	p_close(&q);
	p_close(&p);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/* SIGTERM with clients connected and calls up: a clean, quick exit. */
static void sigterm_is_clean(void)
{
	struct rc c[20];
	int i;
	int64_t t0;

	start(NULL);
	for (i = 0; i < 20; i++) {
		rc_session(&c[i], d.sock, "idle");
		T_ASSERT(rc_open_line(&c[i], line0(&c[i]),
				      CTI_WIRE_PRIV_MONITOR) == 0, "open");
	}
	T_ASSERT(rc_command_sync(&c[0], CTI_CMD_SET_DND, line0(&c[0]), 0, 0, 1,
				 0, NULL, NULL) == -EPERM, "monitor");
	t0 = t_now_ms();
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
	t_note("stopped in %lld ms", (long long)(t_now_ms() - t0));
	T_EXPECT(t_now_ms() - t0 < 2000, "slow shutdown");
	for (i = 0; i < 20; i++)
		rc_close(&c[i]);
}

/*
 * Clients that vanish with requests in flight and calls up: the daemon
 * completes what the provider answers into nowhere, keeps the calls, and
 * a new session finds them in its snapshot. The sim keeps orphaned calls
 * here (orphan = keep): by default a call whose owner vanished is dropped
 * (test_orphan_calls), and whether the drop comes before the snapshot would
 * depend on timing.
 */
static void clients_vanish_mid_request(void)
{
	struct cti_wire_line l[4];
	struct cti_wire_frame f;
	struct rc c;
	int i, k, calls = 0;

	T_ASSERT(t_ctid_start(&d, t_conf(4, NULL, "orphan = keep\n", NULL)) == 0,
		 "start");
	for (k = 0; k < 20; k++) {
		rc_session(&c, d.sock, "ghost");
		T_ASSERT(rc_list_lines(&c, l, 4) == 4, "lines");
		T_ASSERT(rc_open_line(&c, l[0].line, CTI_WIRE_PRIV_OWNER) == 0,
			 "open");
		/*
		 * The call is made before the burst and its reply awaited:
		 * requests still unread when a client vanishes may or may not
		 * run (ctid stops reading once a reply to the peer fails), so
		 * only the in-flight ones are left to chance.
		 */
		if (k == 0)
			T_ASSERT(rc_command_sync(&c, CTI_CMD_MAKE_CALL,
						 l[0].line, 0, 0, 0, 0,
						 l[1].addresses[0], NULL) == 0,
				 "make call");
		for (i = 0; i < 100; i++)
			rc_command(&c, CTI_CMD_SET_DND, l[0].line, 0, 0,
				   (uint32_t)(i & 1), 0, NULL);
		rc_close(&c);
	}
	T_ASSERT(t_ctid_alive(&d), "ctid died");
	rc_session(&c, d.sock, "heir");
	T_ASSERT(rc_open_line(&c, l[0].line, CTI_WIRE_PRIV_OWNER) == 0, "open");
	T_ASSERT(rc_simple(&c, CTI_WIRE_SNAPSHOT) > 0, "snapshot");
	while (rc_next_event(&c, &f, 3000) == 1 && f.hdr.type != CTI_WIRE_END)
		if (f.hdr.type == CTI_WIRE_CALL && f.u.call.line == l[0].line)
			calls++;
	T_EXPECT_EQ(f.hdr.type, CTI_WIRE_END);
	T_EXPECT_EQ(calls, 1);
	rc_close(&c);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * Cut libcti's connection under it (shutdown() of its socket, found among
 * this process's fds by its peer address) while ctid lives on: libcti must
 * reconnect, resume the session, report DISCONNECTED then RECONNECTED, and
 * hand over every event of the meantime exactly once, in order.
 */
static int find_session_socket(const char *path, int except)
{
	int fd;

	for (fd = 3; fd < 1024; fd++) {
		struct sockaddr_un sa;
		socklen_t len = sizeof(sa);
		struct stat st;

		if (fd == except || fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
			continue;
		if (getpeername(fd, (struct sockaddr *)&sa, &len) < 0 ||
		    sa.sun_family != AF_UNIX)
			continue;
		if (!strcmp(sa.sun_path, path))
			return fd;
	}
	return -1;
}

static void libcti_resumes_after_drop(void)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.timeout_ms = 5000,
		.client_name = "dropped",
	};
	struct party p;
	struct rc w;
	uint32_t line;
	uint64_t req;
	size_t i, status = 0;
	bool disc = false, reco = false, resync = false;
	int fd, rc, k;

	start(NULL);
	rc_session(&w, d.sock, "worker");
	line = line0(&w);
	T_ASSERT(rc_open_line(&w, line, CTI_WIRE_PRIV_OWNER) == 0, "open");
	memset(&p, 0, sizeof(p));
	p.name = "dropped";
	rc = cti_session_open(NULL, &o, &p.s);
	T_ASSERT(rc == 0, "open: %s", strerror(-rc));
	p.line = cti_session_get_line_by_id(p.s, line);
	T_ASSERT(p.line, "no line %u", line);
	rc = cti_line_open(p.line, CTI_PRIV_MONITOR, &req);
	p_sent(&p, rc, req, "open");
	T_ASSERT_EQ(p_reply(&p, req, NULL), 0);
	T_ASSERT_EQ(toggle(&w, line, 20), 20);
	p_pump(&p, 300);

	fd = find_session_socket(d.sock, w.fd);
	T_ASSERT(fd >= 0, "libcti's socket not found");
	shutdown(fd, SHUT_RDWR);
	T_ASSERT_EQ(toggle(&w, line, 50), 50);
	for (k = 0; k < 100 && !(reco || resync); k++) {
		p_pump(&p, 50);
		for (i = 0; i < p.n; i++) {
			disc |= p.recs[i].type == CTI_MSG_DISCONNECTED;
			reco |= p.recs[i].type == CTI_MSG_RECONNECTED;
			resync |= p.recs[i].type == CTI_MSG_RESYNC;
		}
	}
	p_pump(&p, 500);
	for (i = 0; i < p.n; i++)
		status += p.recs[i].type == CTI_MSG_LINE_STATUS;
	t_note("disconnected %d reconnected %d resync %d, %zu LINE_STATUS",
	       disc, reco, resync, status);
	T_EXPECT(disc, "no DISCONNECTED");
	T_EXPECT(reco && !resync, "not resumed without loss");
	T_EXPECT_EQ(status, 70);
	p_close(&p);
	rc_close(&w);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(resume_after_disconnect),
		T_CASE(resume_too_old),
		T_CASE(resume_unknown_session),
		T_CASE_TIMEOUT(kill9_under_traffic, 60),
		T_CASE_TIMEOUT(libcti_reconnects, 60),
		T_CASE_TIMEOUT(libcti_resumes_after_drop, 60),
		T_CASE(clients_vanish_mid_request),
		T_CASE(sigterm_is_clean),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
