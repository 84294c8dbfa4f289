// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_orphan_calls: a call does not outlive the last program that owned it
 * (issue 7). TAPI drops a call whose last owner goes away; ctid tells the
 * provider (the call_orphaned op) when the last session that owned a call
 * ends or leaves the line, and the sim drops it unless its line keeps
 * orphans (orphan = keep).
 *
 * - a program like `ctictl call 100 101` (libcti, no reconnect) makes the
 *   call and exits: 101 stops ringing;
 * - with orphan = keep, 101 goes on ringing;
 * - closing the line drops the calls only that session owned;
 * - a resumable program that closes its session (libcti says BYE) is
 *   not waited for: 101 stops ringing at once; one killed with SIGKILL
 *   still keeps its call for the resume window;
 * - a resumable session keeps its calls while it may resume, and they go
 *   when the session is dropped (here by max_detached_per_user);
 * - while another session owns the line, the call stays.
 *
 * A watcher monitors both lines with raw frames and sees 101's call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "orphan_caller.h"
#include "rawclient.h"

enum { L100, L101, NLINES };

static struct t_ctid d;
static struct cti_wire_line lines[NLINES];

/* ctid with the sim's lines 100 and 101; @w watches both. */
static void start(const char *server_keys, const char *sim_keys,
		  struct rc *w)
{
	int n;

	T_ASSERT(t_ctid_start(&d, t_conf(NLINES, server_keys, sim_keys,
					 NULL)) == 0, "start");
	rc_session(w, d.sock, "watcher");
	n = rc_list_lines(w, lines, NLINES);
	T_ASSERT(n == NLINES, "%d lines", n);
	T_ASSERT(!strcmp(lines[L100].addresses[0], "100") &&
		 !strcmp(lines[L101].addresses[0], "101"),
		 "lines %s and %s", lines[L100].addresses[0],
		 lines[L101].addresses[0]);
	for (int i = 0; i < NLINES; i++)
		T_ASSERT_EQ(rc_open_line(w, lines[i].line,
					 CTI_WIRE_PRIV_MONITOR), 0);
}

static void stop(struct rc *w)
{
	rc_close(w);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/* Whether a call on line @i reaches @state within @ms. */
static bool wait_state(struct rc *w, int i, uint32_t state, int ms)
{
	int64_t deadline = t_now_ms() + ms;
	struct cti_wire_frame f;

	for (int64_t left = ms; left > 0; left = deadline - t_now_ms()) {
		if (rc_next_event(w, &f, (int)left) != 1)
			return false;
		if (f.hdr.type == CTI_WIRE_EV_CALL_STATE &&
		    f.u.call_state.line == lines[i].line &&
		    f.u.call_state.state == state)
			return true;
	}
	return false;
}

/* ---- a program that makes a call and exits ---- */

static void run_caller(void)
{
	pid_t pid = fork();
	int st;

	T_ASSERT(pid >= 0, "fork");
	if (!pid)
		_exit(orphan_call_and_exit("100", "101"));
	T_ASSERT(waitpid(pid, &st, 0) == pid, "waitpid");
	T_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		 "the caller failed at step %d", WEXITSTATUS(st));
}

static void made_call_dropped_at_exit(void)
{
	struct rc w;

	start(NULL, NULL, &w);
	run_caller();
	T_EXPECT(wait_state(&w, L101, CTI_CALL_OFFERING, 3000),
		 "101 never rang");
	/* as DROP: the caller's call IDLE, 101's DISCONNECTED, then IDLE */
	T_EXPECT(wait_state(&w, L100, CTI_CALL_IDLE, 3000),
		 "100's call outlived the program that made it");
	T_EXPECT(wait_state(&w, L101, CTI_CALL_DISCONNECTED, 3000),
		 "101 was not told");
	T_EXPECT(wait_state(&w, L101, CTI_CALL_IDLE, 3000),
		 "101 still holds the call after its caller exited");
	stop(&w);
}

static void orphan_keep_keeps_call(void)
{
	struct rc w;

	start(NULL, "orphan = keep\n", &w);
	run_caller();
	T_EXPECT(wait_state(&w, L101, CTI_CALL_OFFERING, 3000),
		 "101 never rang");
	T_EXPECT(!wait_state(&w, L101, CTI_CALL_IDLE, 1500),
		 "the call was dropped although the line keeps orphans");
	stop(&w);
}

/*
 * A resumable program that closes its session (cti_session_close() says
 * BYE) is not waited for: its call goes at once, not after the 60 s a
 * resume could take.
 */
static void closed_session_not_resumed(void)
{
	struct rc w;
	int64_t t0;
	pid_t pid;
	int st;

	start(NULL, NULL, &w);
	pid = fork();
	T_ASSERT(pid >= 0, "fork");
	if (!pid)
		_exit(orphan_call_and_close("100", "101"));
	T_ASSERT(waitpid(pid, &st, 0) == pid, "waitpid");
	T_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		 "the caller failed at step %d", WEXITSTATUS(st));
	t0 = t_now_ms();
	T_EXPECT(wait_state(&w, L101, CTI_CALL_OFFERING, 3000),
		 "101 never rang");
	T_EXPECT(wait_state(&w, L101, CTI_CALL_IDLE, 3000),
		 "101 still rings after its caller closed its session");
	T_EXPECT(t_now_ms() - t0 < 3000, "101 went idle after %lld ms",
		 (long long)(t_now_ms() - t0));
	stop(&w);
}

/* A program killed (no BYE) still gets its resume window. */
static void killed_program_may_resume(void)
{
	struct rc w;
	int pfd[2];
	pid_t pid;
	char b;
	int st;

	start(NULL, NULL, &w);
	T_ASSERT(pipe(pfd) == 0, "pipe");
	pid = fork();
	T_ASSERT(pid >= 0, "fork");
	if (!pid) {
		close(pfd[0]);
		_exit(orphan_call_and_wait("100", "101", pfd[1]));
	}
	close(pfd[1]);
	T_ASSERT(read(pfd[0], &b, 1) == 1, "the caller did not make its call");
	close(pfd[0]);
	T_EXPECT(wait_state(&w, L101, CTI_CALL_OFFERING, 3000),
		 "101 never rang");
	kill(pid, SIGKILL);
	T_ASSERT(waitpid(pid, &st, 0) == pid, "waitpid");
	T_EXPECT(!wait_state(&w, L101, CTI_CALL_IDLE, 1500),
		 "dropped although the killed program may still resume");
	stop(&w);
}

/* ---- raw sessions ---- */

static uint32_t call_101(struct rc *c)
{
	uint32_t call = CTI_CALL_NONE;

	T_ASSERT_EQ(rc_open_line(c, lines[L100].line, CTI_WIRE_PRIV_OWNER), 0);
	T_ASSERT_EQ(rc_command_sync(c, CTI_CMD_MAKE_CALL, lines[L100].line,
				    CTI_CALL_NONE, CTI_CALL_NONE, 0, 0, "101",
				    &call), 0);
	return call;
}

static void close_line_drops_calls(void)
{
	struct rc w, a;

	start(NULL, NULL, &w);
	rc_session(&a, d.sock, "a");
	call_101(&a);
	T_EXPECT(wait_state(&w, L101, CTI_CALL_OFFERING, 3000),
		 "101 never rang");
	T_EXPECT_EQ(rc_close_line(&a, lines[L100].line), 0);
	T_EXPECT(wait_state(&w, L101, CTI_CALL_IDLE, 3000),
		 "101 still rings after its caller closed the line");
	rc_close(&a);
	stop(&w);
}

/*
 * A resumable session keeps its calls while it may come back; when ctid
 * drops it (here: a second detached session of the same user beyond
 * max_detached_per_user = 1), its calls go with it.
 */
static void detached_session_dropped(void)
{
	struct rc w, a, b;

	start("max_detached_per_user = 1\n", NULL, &w);
	rc_session(&a, d.sock, "a");
	T_ASSERT(a.ack.features & CTI_WIRE_FEAT_RESUME, "no resume");
	call_101(&a);
	T_EXPECT(wait_state(&w, L101, CTI_CALL_OFFERING, 3000),
		 "101 never rang");
	rc_close(&a);
	T_EXPECT(!wait_state(&w, L101, CTI_CALL_IDLE, 1000),
		 "dropped while its session may still resume");
	rc_session(&b, d.sock, "b");
	rc_close(&b);
	T_EXPECT(wait_state(&w, L101, CTI_CALL_IDLE, 3000),
		 "101 still rings after its caller's session was dropped");
	stop(&w);
}

/* The call stays while another session owns the line. */
static void other_owner_keeps_call(void)
{
	struct rc w, a, b;

	start(NULL, NULL, &w);
	rc_session(&a, d.sock, "a");
	rc_session(&b, d.sock, "b");
	T_ASSERT_EQ(rc_open_line(&b, lines[L100].line, CTI_WIRE_PRIV_OWNER), 0);
	call_101(&a);
	T_EXPECT(wait_state(&w, L101, CTI_CALL_OFFERING, 3000),
		 "101 never rang");
	T_EXPECT_EQ(rc_close_line(&a, lines[L100].line), 0);
	T_EXPECT(!wait_state(&w, L101, CTI_CALL_IDLE, 1000),
		 "dropped while another session owns the line");
	T_EXPECT_EQ(rc_close_line(&b, lines[L100].line), 0);
	T_EXPECT(wait_state(&w, L101, CTI_CALL_IDLE, 3000),
		 "101 still rings after the last owner closed the line");
	rc_close(&a);
	rc_close(&b);
	stop(&w);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(made_call_dropped_at_exit),
		T_CASE(orphan_keep_keeps_call),
		T_CASE(closed_session_not_resumed),
		T_CASE(killed_program_may_resume),
		T_CASE(close_line_drops_calls),
		T_CASE(detached_session_dropped),
		T_CASE(other_owner_keeps_call),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
