// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_reload: providers load, unload and reload while ctid runs.
 *
 * Two instances of the sim: "sim" (4 lines) is reloaded, unloaded and
 * loaded during the tests; "pbx" (2 lines) must not notice anything. The
 * TAPI operators' complaint was that reconfiguring one provider meant
 * restarting the whole service; here a call on "pbx" survives the reload of
 * "sim", the lines of "sim" come back with the same ids, a call cut by the
 * reload ends with an explicit IDLE (never a call stuck in CONNECTED), and
 * requests in flight complete exactly once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rawclient.h"
#include "session.h"

static struct t_ctid d;
static struct cti_wire_line sim[4], pbx[2];

static void list(struct rc *c, struct cti_wire_line *s, int *ns,
		 struct cti_wire_line *p, int *np)
{
	struct cti_wire_line all[16];
	int n, i;

	n = rc_list_lines(c, all, 16);
	T_ASSERT(n >= 0 && n <= 16, "list: %d", n);
	*ns = *np = 0;
	for (i = 0; i < n; i++) {
		if (!strcmp(all[i].provider_name, "sim") && *ns < 4)
			s[(*ns)++] = all[i];
		else if (!strcmp(all[i].provider_name, "pbx") && *np < 2)
			p[(*np)++] = all[i];
	}
}

static void start(struct rc *admin)
{
	int ns, np;

	T_ASSERT(t_ctid_start(&d, t_conf(4, NULL, NULL,
					 "[provider pbx]\nso = sim\nlines = 2\n"
					 "first_number = 300\n")) == 0,
		 "start");
	rc_session(admin, d.sock, "admin");
	T_ASSERT(admin->ack.flags & CTI_WIRE_ACK_F_ADMIN, "not admin");
	list(admin, sim, &ns, pbx, &np);
	T_ASSERT(ns == 4 && np == 2, "lines: sim %d pbx %d", ns, np);
}

/* Make an internal call between two lines and answer it: both handles. */
static void talk(struct rc *c, uint32_t from, uint32_t to, const char *num,
		 uint32_t *cf, uint32_t *ct)
{
	struct cti_wire_frame f;

	T_ASSERT(rc_command_sync(c, CTI_CMD_MAKE_CALL, from, 0, 0, 0, 0, num,
				 cf) == 0, "make call");
	*ct = 0;
	while (rc_next_event(c, &f, 3000) == 1)
		if (f.hdr.type == CTI_WIRE_EV_CALL_STATE &&
		    f.u.call_state.line == to &&
		    f.u.call_state.state == CTI_CALL_OFFERING) {
			*ct = f.u.call_state.call;
			break;
		}
	T_ASSERT(*ct, "no OFFERING on line %u", to);
	T_ASSERT(rc_command_sync(c, CTI_CMD_ANSWER, to, *ct, 0, 0, 0, NULL,
				 NULL) == 0, "answer");
	rc_drain(c, 100);
}

/*
 * What the user is told about a reload of "sim" during one call on sim
 * (@s_from to @s_to) and one on pbx: the sim call goes IDLE, the lines
 * go and come back, the provider goes down and up; nothing of pbx.
 */
static void user_told(struct rc *user, uint32_t s_from, uint32_t s_to)
{
	bool idle_from = false, idle_to = false, removed = false, added = false;
	bool prov_down = false, prov_up = false;
	struct cti_wire_frame f;

	while (rc_next_event(user, &f, 1000) == 1) {
		switch (f.hdr.type) {
		case CTI_WIRE_EV_CALL_STATE:
			T_EXPECT(f.u.call_state.line != pbx[0].line &&
				 f.u.call_state.line != pbx[1].line,
				 "pbx call %u changed to %u",
				 f.u.call_state.call, f.u.call_state.state);
			if (f.u.call_state.state != CTI_CALL_IDLE)
				break;
			idle_from |= f.u.call_state.call == s_from &&
				     f.u.call_state.line == sim[0].line;
			idle_to |= f.u.call_state.call == s_to &&
				   f.u.call_state.line == sim[1].line;
			break;
		case CTI_WIRE_EV_LINE_REMOVED:
			T_EXPECT(f.u.line_removed.line != pbx[0].line &&
				 f.u.line_removed.line != pbx[1].line,
				 "pbx line removed");
			removed = true;
			break;
		case CTI_WIRE_EV_LINE_ADDED:
			added = true;
			break;
		case CTI_WIRE_EV_PROVIDER_STATE:
			T_EXPECT(!strcmp(f.u.provider_state.name, "sim"),
				 "provider %s changed", f.u.provider_state.name);
			if (f.u.provider_state.state == CTI_WIRE_PROVIDER_DOWN)
				prov_down = true;
			else
				prov_up = true;
			break;
		default:
			break;
		}
	}
	t_note("idle %d/%d removed %d added %d provider down %d up %d",
	       idle_from, idle_to, removed, added, prov_down, prov_up);
	T_EXPECT(idle_from && idle_to, "a sim call cut by the reload never "
		 "went IDLE (%d %d)", idle_from, idle_to);
	T_EXPECT(removed && added, "no hot-plug events");
}

static void reload_during_calls(void)
{
	struct cti_wire_line s2[4], p2[2];
	struct rc admin, user;
	uint32_t s_from, s_to, p_from, p_to;
	int i, ns, np, rc;

	start(&admin);
	rc_session(&user, d.sock, "user");
	for (i = 0; i < 4; i++)
		T_ASSERT(rc_open_line(&user, sim[i].line, CTI_WIRE_PRIV_OWNER) == 0,
			 "open sim");
	for (i = 0; i < 2; i++)
		T_ASSERT(rc_open_line(&user, pbx[i].line, CTI_WIRE_PRIV_OWNER) == 0,
			 "open pbx");
	talk(&user, sim[0].line, sim[1].line, sim[1].addresses[0], &s_from,
	     &s_to);
	talk(&user, pbx[0].line, pbx[1].line, pbx[1].addresses[0], &p_from,
	     &p_to);

	rc = rc_provider(&admin, CTI_WIRE_PROVIDER_RELOAD, "sim");
	T_ASSERT(rc == 0, "reload: %s", strerror(-rc));

	user_told(&user, s_from, s_to);

	/* same lines, same ids */
	list(&admin, s2, &ns, p2, &np);
	T_ASSERT(ns == 4 && np == 2, "after reload: sim %d pbx %d", ns, np);
	for (i = 0; i < 4; i++) {
		T_EXPECT_EQ(s2[i].line, sim[i].line);
		T_EXPECT(!strcmp(s2[i].name, sim[i].name), "name %s", s2[i].name);
		T_EXPECT_EQ(s2[i].num_calls, 0);
	}
	/* the pbx call is still up and still works */
	T_EXPECT_EQ(p2[0].num_calls, 1);
	T_EXPECT_EQ(rc_command_sync(&user, CTI_CMD_HOLD, pbx[0].line, p_from, 0,
				    0, 0, NULL, NULL), 0);
	T_EXPECT_EQ(rc_command_sync(&user, CTI_CMD_DROP, pbx[0].line, p_from, 0,
				    0, 0, NULL, NULL), 0);
	/*
	 * A line that was removed and added again is a new line for the
	 * session: it opens it again (EBADF until then), and the old call
	 * handles are gone.
	 */
	rc = rc_command_sync(&user, CTI_CMD_SET_DND, sim[2].line, 0, 0, 1, 0,
			     NULL, NULL);
	T_EXPECT(rc == 0 || rc == -EBADF, "DND after reload: %d", rc);
	for (i = 0; i < 4; i++)
		T_ASSERT(rc_open_line(&user, sim[i].line, CTI_WIRE_PRIV_OWNER) == 0 ||
			 rc == 0, "reopen");
	T_EXPECT_EQ(rc_command_sync(&user, CTI_CMD_DROP, sim[0].line, s_from, 0,
				    0, 0, NULL, NULL), -ENOENT);
	T_EXPECT_EQ(rc_command_sync(&user, CTI_CMD_SET_DND, sim[2].line, 0, 0,
				    1, 0, NULL, NULL), 0);
	/* and calls work on them */
	talk(&user, sim[2].line, sim[3].line, sim[3].addresses[0], &s_from,
	     &s_to);
	rc_close(&user);
	rc_close(&admin);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

static void unload_and_load(void)
{
	struct cti_wire_line s2[4], p2[2];
	struct rc admin;
	int ns, np, rc, i;

	start(&admin);
	T_ASSERT(rc_open_line(&admin, sim[0].line, CTI_WIRE_PRIV_OWNER) == 0,
		 "open");
	rc = rc_provider(&admin, CTI_WIRE_PROVIDER_UNLOAD, "sim");
	T_ASSERT(rc == 0, "unload: %s", strerror(-rc));
	list(&admin, s2, &ns, p2, &np);
	T_EXPECT_EQ(ns, 0);
	T_EXPECT_EQ(np, 2);
	/* a removed line answers every later request with ENODEV */
	rc = rc_command_sync(&admin, CTI_CMD_SET_DND, sim[0].line, 0, 0, 1, 0,
			     NULL, NULL);
	T_EXPECT_EQ(rc, -ENODEV);
	T_EXPECT_EQ(rc_open_line(&admin, sim[1].line, CTI_WIRE_PRIV_OWNER),
		    -ENODEV);
	T_EXPECT_EQ(rc_provider(&admin, CTI_WIRE_PROVIDER_UNLOAD, "sim"),
		    -ENOENT);
	rc = rc_provider(&admin, CTI_WIRE_PROVIDER_LOAD, "sim");
	T_ASSERT(rc == 0, "load: %s", strerror(-rc));
	list(&admin, s2, &ns, p2, &np);
	T_ASSERT_EQ(ns, 4);
	for (i = 0; i < 4; i++)
		T_EXPECT_EQ(s2[i].line, sim[i].line);
	T_EXPECT_EQ(rc_provider(&admin, CTI_WIRE_PROVIDER_LOAD, "sim"), -EEXIST);
	rc_close(&admin);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

static void unknown_provider(void)
{
	struct rc admin;
	int rc;

	start(&admin);
	rc = rc_provider(&admin, CTI_WIRE_PROVIDER_RELOAD, "nosuch");
	T_EXPECT_EQ(rc, -ENOENT);
	rc = rc_provider(&admin, CTI_WIRE_PROVIDER_LOAD, "nosuch");
	T_EXPECT(rc < 0, "loaded a provider that does not exist");
	T_EXPECT(t_ctid_alive(&d), "ctid died");
	rc_close(&admin);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/* Requests in flight across a reload: each answered exactly once. */
static void reload_under_traffic(void)
{
	enum { N = 3000 };
	static unsigned char answers[N + 64];
	struct cti_wire_frame f;
	struct rc admin, user;
	int64_t reload_id = 0, first = 0;
	int i, rc, got = 0, errors = 0;

	start(&admin);
	rc_session(&user, d.sock, "user");
	T_ASSERT(rc_open_line(&user, sim[0].line, CTI_WIRE_PRIV_OWNER) == 0,
		 "open");
	for (i = 0; i < N; i++) {
		int64_t id = rc_command(&user, CTI_CMD_SET_DND, sim[0].line, 0,
					0, (uint32_t)(i & 1), 0, NULL);

		T_ASSERT(id > 0, "send");
		if (!first)
			first = id;
		if (i == N / 3) {
			struct cti_wire_frame r;

			memset(&r, 0, sizeof(r));
			r.hdr.type = CTI_WIRE_PROVIDER_RELOAD;
			strcpy(r.u.provider_req.name, "sim");
			reload_id = rc_send(&admin, &r);
			T_ASSERT(reload_id > 0, "reload");
		}
	}
	while (got < N && (rc = rc_next_event(&user, &f, 5000)) == 1) {
		if (f.hdr.type != CTI_WIRE_REPLY)
			continue;
		T_ASSERT(f.hdr.id >= (uint64_t)first &&
			 f.hdr.id < (uint64_t)first + N, "stray reply %llu",
			 (unsigned long long)f.hdr.id);
		T_EXPECT(!answers[f.hdr.id - first], "request %llu answered twice",
			 (unsigned long long)f.hdr.id);
		answers[f.hdr.id - first] = 1;
		if (f.u.reply.error) {
			int e = f.u.reply.error;

			/* the line went away under it, or was closed */
			T_EXPECT(e == -ENODEV || e == -EBADF || e == -ECANCELED,
				 "request %llu: %s", (unsigned long long)f.hdr.id,
				 strerror(-e));
			errors++;
		}
		got++;
	}
	t_note("%d of %d answered, %d with an error", got, N, errors);
	T_EXPECT_EQ(got, N);
	T_EXPECT_EQ(rc_wait_reply(&admin, (uint64_t)reload_id, NULL, 5000), 0);
	rc_drain(&user, 300);
	rc_close(&user);
	rc_close(&admin);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * Through libcti: a program with a sim line open sees its call end, the
 * line removed and added (same id, the line object valid throughout), and
 * can open it again and call; the pbx line it also holds is untouched.
 */
static void libcti_sees_reload(void)
{
	struct rc admin;
	struct party A, P;
	const struct p_rec *r;
	uint32_t ca = 0, cp = 0, cq = 0;
	uint64_t req;
	size_t i;
	bool removed = false, added = false, down = false, up = false;
	int rc;

	start(&admin);
	p_open(&A, "A", 0, CTI_PRIV_OWNER);	/* sim line 0 */
	p_open(&P, "P", 4, CTI_PRIV_OWNER);	/* pbx line 0 */
	T_ASSERT(!strcmp(cti_line_get_provider_name(P.line), "pbx"),
		 "line 4 is %s's", cti_line_get_provider_name(P.line));
	P_SEND(&A, req, "call", cti_line_make_call(A.line, sim[1].addresses[0],
						   &req));
	T_ASSERT_EQ(p_reply(&A, req, &ca), 0);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK));
	P_SEND(&P, req, "call", cti_line_make_call(P.line, pbx[1].addresses[0],
						   &req));
	T_ASSERT_EQ(p_reply(&P, req, &cp), 0);
	EXPECT_STATES(&P, &cp, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK));

	rc = rc_provider(&admin, CTI_WIRE_PROVIDER_RELOAD, "sim");
	T_ASSERT(rc == 0, "reload: %s", strerror(-rc));
	p_pump(&A, 500);
	/* the cut call ends explicitly: possibly DISCONNECTED, then IDLE */
	for (i = 0; i < A.n; i++) {
		r = &A.recs[i];
		if (r->checked)
			continue;
		if (r->type == CTI_MSG_CALL_STATE && r->call == ca) {
			A.recs[i].checked = true;
			if (r->state == CTI_CALL_IDLE)
				cq = 1;
		}
		removed |= r->type == CTI_MSG_LINE_REMOVED &&
			   r->line == A.line_id;
		added |= r->type == CTI_MSG_LINE_ADDED && r->line == A.line_id;
		down |= r->type == CTI_MSG_PROVIDER_STATE && r->state == 0;
		up |= r->type == CTI_MSG_PROVIDER_STATE && r->state == 1;
	}
	t_note("IDLE %u removed %d added %d provider down %d up %d", cq,
	       removed, added, down, up);
	T_EXPECT(cq, "the cut call never went IDLE");
	T_EXPECT(removed && added, "no LINE_REMOVED/LINE_ADDED for the line");
	T_EXPECT_EQ(cti_line_is_removed(A.line), 0);
	T_EXPECT_EQ(cti_session_get_line_by_id(A.s, A.line_id), A.line);
	/* the pbx call did not notice */
	EXPECT_QUIET(&P, 0);
	P_SEND(&P, req, "drop", cti_call_drop(P.line, cp, &req));
	T_EXPECT_EQ(p_reply(&P, req, NULL), 0);
	EXPECT_STATES(&P, &cp, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	/* open again (if the reload closed it) and call */
	if (cti_line_get_privilege(A.line) != CTI_PRIV_OWNER) {
		P_SEND(&A, req, "reopen",
		       cti_line_open(A.line, CTI_PRIV_OWNER, &req));
		T_ASSERT_EQ(p_reply(&A, req, NULL), 0);
	}
	ca = 0;
	P_SEND(&A, req, "call", cti_line_make_call(A.line, sim[1].addresses[0],
						   &req));
	T_ASSERT_EQ(p_reply(&A, req, &ca), 0);
	EXPECT_STATES(&A, &ca, ST(CTI_CALL_DIALING), ST(CTI_CALL_RINGBACK));
	P_SEND(&A, req, "drop", cti_call_drop(A.line, ca, &req));
	T_EXPECT_EQ(p_reply(&A, req, NULL), 0);
	EXPECT_STATES(&A, &ca, SR(CTI_CALL_IDLE, CTI_DISC_NORMAL));
	p_close(&P);
	p_close(&A);
	rc_close(&admin);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * A provider built for another ABI is refused with a message that says
 * so, at start and when an admin loads it; the sim serves regardless.
 */
static void wrong_abi_refused(void)
{
	struct cti_wire_line l[8];
	struct cti_wire_frame f;
	struct rc admin;
	char extra[256];
	int n, rc, down = 0;
	int64_t id;

	/* optional: without it, such a provider stops ctid from starting */
	snprintf(extra, sizeof(extra), "[provider future]\nso = %s\noptional = yes\n",
		 TESTS_O "/tests/e2e/bad_abi.so");
	T_ASSERT(t_ctid_start(&d, t_conf(4, NULL, NULL, extra)) == 0, "start");
	T_EXPECT(t_ctid_log_wait(&d, "provider ABI", 1, 3000) >= 1,
		 "no message about the provider ABI");
	rc_session(&admin, d.sock, "admin");
	n = rc_list_lines(&admin, l, 8);
	T_EXPECT_EQ(n, 4);
	id = rc_simple(&admin, CTI_WIRE_LIST_PROVIDERS);
	T_ASSERT(id > 0, "send");
	while ((rc = rc_recv(&admin, &f, 3000)) == 1 && f.hdr.type != CTI_WIRE_END)
		if (f.hdr.type == CTI_WIRE_PROVIDER &&
		    !strcmp(f.u.provider.name, "future"))
			down += f.u.provider.state == CTI_WIRE_PROVIDER_DOWN;
	T_EXPECT_EQ(down, 1);
	T_EXPECT_EQ(rc_wait_reply(&admin, (uint64_t)id, NULL, 3000), 0);
	rc = rc_provider(&admin, CTI_WIRE_PROVIDER_LOAD, "future");
	T_EXPECT(rc < 0, "loaded a provider of another ABI");
	T_EXPECT(t_ctid_log_wait(&d, "provider ABI", 2, 3000) >= 2,
		 "no message when loading it again");
	T_EXPECT(t_ctid_alive(&d), "ctid died");
	T_EXPECT_EQ(rc_list_lines(&admin, l, 8), 4);
	rc_close(&admin);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * Reloads in the middle of a random walk on the reloaded provider's lines:
 * every request answered once, no state after an IDLE, no crash, and once
 * everybody hangs up no call is left, as far as the parties can tell.
 */
static void reload_during_walk(void)
{
	struct party A, B, C, D, *ps[] = { &A, &B, &C, &D };
	struct rc admin;
	unsigned int i, steps = 0, reloads = 0;
	int64_t t0, next;

	start(&admin);
	for (i = 0; i < 4; i++)
		p_open(ps[i], (const char *[]){ "A", "B", "C", "D" }[i], i,
		       CTI_PRIV_OWNER);
	srandom(7);
	t0 = t_now_ms();
	next = t0 + 500;
	while (t_now_ms() - t0 < 3000) {
		p_walk_step(ps, 4);
		steps++;
		if (t_now_ms() >= next) {
			T_ASSERT_EQ(rc_provider(&admin, CTI_WIRE_PROVIDER_RELOAD,
						"sim"), 0);
			reloads++;
			next = t_now_ms() + 500;
			/* lines come back closed: the parties open them again */
			for (i = 0; i < 4; i++) {
				uint64_t req;

				p_pump(ps[i], 20);
				if (cti_line_get_privilege(ps[i]->line) ==
				    CTI_PRIV_OWNER)
					continue;
				if (!cti_line_open(ps[i]->line, CTI_PRIV_OWNER,
						   &req))
					p_sent(ps[i], 0, req, "reopen");
			}
		}
	}
	t_note("%u operations, %u reloads", steps, reloads);
	p_walk_end(ps, 4);
	for (i = 0; i < 4; i++)
		p_close(ps[i]);
	T_EXPECT(t_ctid_alive(&d), "ctid died");
	rc_close(&admin);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * A provider that never answers: ctid answers ETIMEDOUT after
 * request_timeout, and when the provider is unloaded still holding
 * requests, ECANCELED; each request exactly once, ctid unharmed.
 */
static void host_completes_what_providers_drop(void)
{
	static unsigned char seen[64];
	struct cti_wire_line l[8];
	struct cti_wire_frame f;
	struct rc admin;
	char extra[256];
	uint32_t mute = CTI_LINE_NONE;
	int64_t first = 0, id;
	int n, i, timedout = 0, cancelled = 0, rc;

	snprintf(extra, sizeof(extra), "[provider silent]\nso = %s\n",
		 TESTS_O "/tests/e2e/silent.so");
	T_ASSERT(t_ctid_start(&d, t_conf(2, "request_timeout = 1\n", NULL,
					 extra)) == 0, "start");
	rc_session(&admin, d.sock, "admin");
	n = rc_list_lines(&admin, l, 8);
	for (i = 0; i < n; i++)
		if (!strcmp(l[i].provider_name, "silent"))
			mute = l[i].line;
	T_ASSERT(mute != CTI_LINE_NONE, "no silent line");
	T_ASSERT(rc_open_line(&admin, mute, CTI_WIRE_PRIV_OWNER) == 0, "open");
	/* 8 requests wait for the timeout */
	for (i = 0; i < 8; i++) {
		id = rc_command(&admin, CTI_CMD_SET_DND, mute, 0, 0, 1, 0, NULL);
		T_ASSERT(id > 0, "send");
		if (!first)
			first = id;
	}
	while (timedout < 8 && (rc = rc_next_event(&admin, &f, 5000)) == 1) {
		if (f.hdr.type != CTI_WIRE_REPLY)
			continue;
		T_ASSERT(f.hdr.id >= (uint64_t)first && f.hdr.id < (uint64_t)first + 8,
			 "stray reply");
		T_EXPECT(!seen[f.hdr.id - first]++, "answered twice");
		T_EXPECT_EQ(f.u.reply.error, -ETIMEDOUT);
		timedout++;
	}
	T_EXPECT_EQ(timedout, 8);
	/* 8 more are held when the provider is unloaded */
	first = 0;
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 8; i++) {
		id = rc_command(&admin, CTI_CMD_SET_DND, mute, 0, 0, 1, 0, NULL);
		if (!first)
			first = id;
	}
	T_EXPECT_EQ(rc_provider(&admin, CTI_WIRE_PROVIDER_UNLOAD, "silent"), 0);
	while (cancelled < 8 && (rc = rc_next_event(&admin, &f, 3000)) == 1) {
		if (f.hdr.type != CTI_WIRE_REPLY)
			continue;
		T_ASSERT(f.hdr.id >= (uint64_t)first && f.hdr.id < (uint64_t)first + 8,
			 "stray reply %llu", (unsigned long long)f.hdr.id);
		T_EXPECT(!seen[f.hdr.id - first]++, "answered twice");
		T_EXPECT(f.u.reply.error == -ECANCELED ||
			 f.u.reply.error == -ENODEV, "error %d",
			 f.u.reply.error);
		cancelled++;
	}
	T_EXPECT_EQ(cancelled, 8);
	/* no late answer after the timeout window either */
	t_sleep_ms(1200);
	while (rc_next_event(&admin, &f, 100) == 1)
		T_EXPECT(f.hdr.type != CTI_WIRE_REPLY, "late reply %llu",
			 (unsigned long long)f.hdr.id);
	T_EXPECT(t_ctid_alive(&d), "ctid died");
	T_EXPECT_EQ(rc_list_lines(&admin, l, 8), 2);
	rc_close(&admin);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/*
 * max_requests bounds what one client has in flight: with 16 requests
 * held by the silent provider, the 17th and later are answered EAGAIN at
 * once; when the held ones time out, there is room again.
 */
static void request_bound(void)
{
	struct cti_wire_line l[8];
	struct cti_wire_frame f;
	struct rc admin;
	char extra[256];
	uint32_t mute = CTI_LINE_NONE;
	int n, i, eagain = 0, timedout = 0, rc;

	snprintf(extra, sizeof(extra), "[provider silent]\nso = %s\n",
		 TESTS_O "/tests/e2e/silent.so");
	T_ASSERT(t_ctid_start(&d, t_conf(2, "request_timeout = 1\n"
					 "max_requests = 16\n", NULL, extra)) == 0,
		 "start");
	rc_session(&admin, d.sock, "admin");
	n = rc_list_lines(&admin, l, 8);
	for (i = 0; i < n; i++)
		if (!strcmp(l[i].provider_name, "silent"))
			mute = l[i].line;
	T_ASSERT(mute != CTI_LINE_NONE, "no silent line");
	T_ASSERT(rc_open_line(&admin, mute, CTI_WIRE_PRIV_OWNER) == 0, "open");
	for (i = 0; i < 20; i++)
		T_ASSERT(rc_command(&admin, CTI_CMD_SET_DND, mute, 0, 0, 1, 0,
				    NULL) > 0, "send");
	while (eagain + timedout < 20 &&
	       (rc = rc_next_event(&admin, &f, 5000)) == 1) {
		if (f.hdr.type != CTI_WIRE_REPLY)
			continue;
		if (f.u.reply.error == -EAGAIN) {
			T_EXPECT(!timedout, "EAGAIN after the timeouts began");
			eagain++;
		} else {
			T_EXPECT_EQ(f.u.reply.error, -ETIMEDOUT);
			timedout++;
		}
	}
	T_EXPECT_EQ(eagain, 4);
	T_EXPECT_EQ(timedout, 16);
	/* room again */
	T_ASSERT(rc_command(&admin, CTI_CMD_SET_DND, mute, 0, 0, 1, 0, NULL) > 0,
		 "send");
	T_ASSERT(rc_wait_type(&admin, CTI_WIRE_REPLY, &f, 5000) == 1, "reply");
	T_EXPECT_EQ(f.u.reply.error, -ETIMEDOUT);
	rc_close(&admin);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(reload_during_calls),
		T_CASE(unload_and_load),
		T_CASE(unknown_provider),
		T_CASE(libcti_sees_reload),
		T_CASE(wrong_abi_refused),
		T_CASE(host_completes_what_providers_drop),
		T_CASE(request_bound),
		T_CASE_TIMEOUT(reload_during_walk, 60),
		T_CASE_TIMEOUT(reload_under_traffic, 60),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
