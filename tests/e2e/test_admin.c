// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_admin: live administration (issue 11): users, groups, line access,
 * sessions, all through the protocol while ctid runs.
 *
 * ctid runs as root with the sim's 4 lines; root is admin (t_conf), the
 * system user "daemon" is an ordinary user who may only pick up on line 4
 * (so it sees no line), and "bin" has no section at first. Each test
 * checks what a request does for an admin, that it is refused (EACCES)
 * for anyone else, that a connected session feels it at once, that it is
 * in the audit log, and that it outlives a kill -9 of ctid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin_util.h"
#include "harness.h"

#define USER	CTI_WIRE_ACCT_USER
#define GROUP	CTI_WIRE_ACCT_GROUP

static struct t_ctid d;
static uid_t uid_daemon, uid_bin;
static gid_t gid_daemon, gid_bin;
static char audit[256], state[256];

static void start(void)
{
	t_need_root();
	t_lookup_user("daemon", &uid_daemon, &gid_daemon);
	t_lookup_user("bin", &uid_bin, &gid_bin);
	T_ASSERT(t_ctid_start(&d, t_conf(4, NULL, NULL,
					 "[user daemon]\npickup = 4\n")) == 0,
		 "start");
	snprintf(audit, sizeof(audit), "%s/audit.log", d.dir);
	snprintf(state, sizeof(state), "%s/ctid.state", d.dir);
}

/* A clean exit too: a sanitized ctid (CTID=) fails it on a leak. */
static void stop(void)
{
	if (t_failed())
		t_ctid_dump_log(&d);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/* The lines LIST_LINES shows the session. */
static int visible(struct rc *c)
{
	struct cti_wire_line l[8];

	return rc_list_lines(c, l, 8);
}

/* Waits for RESYNC and the snapshot after it: the LINE frames in it. */
static int snapshot_lines(struct rc *c, uint32_t *ids, int max)
{
	struct cti_wire_frame f;
	int n = 0;

	T_ASSERT(rc_wait_type(c, CTI_WIRE_RESYNC, &f, 3000) == 1, "no RESYNC");
	while (rc_next_event(c, &f, 3000) == 1) {
		if (f.hdr.type == CTI_WIRE_LINE && n < max)
			ids[n++] = f.u.line.line;
		if (f.hdr.type == CTI_WIRE_END)
			return n;
	}
	T_EXPECT(0, "no END after the RESYNC");
	return -1;
}

/* Every request refused for an ordinary user: EACCES and a reason. */
static void non_admin_refused(void)
{
	struct au_answer a;
	struct rc root, user;
	int before;

	start();
	au_session(&root, d.sock, "root");
	au_session_as(&user, d.sock, uid_daemon, gid_daemon, "user", 0);
	T_EXPECT(!(user.ack.flags & CTI_WIRE_ACK_F_ADMIN), "daemon is admin");
	before = au_file_count(audit, "refused (EACCES)");

	T_EXPECT_EQ(au_list_accounts(&user, USER, &a), -EACCES);
	T_EXPECT(!strcmp(a.note, "administrators only"), "note: %s", a.note);
	T_EXPECT_EQ(a.nacct, 0u);
	T_EXPECT_EQ(au_list_sessions(&user, &a), -EACCES);
	T_EXPECT_EQ(a.nsess, 0u);
	/* a user cannot grant itself a line, directly or through a group */
	T_EXPECT_EQ(au_grant(&user, CTI_WIRE_GRANT, USER, "daemon",
			     CTI_WIRE_RIGHT_OWNER, "*", &a), -EACCES);
	T_EXPECT_EQ(au_grant(&user, CTI_WIRE_GRANT, USER, "daemon",
			     CTI_WIRE_RIGHT_ADMIN, "", &a), -EACCES);
	T_EXPECT_EQ(au_account(&user, CTI_WIRE_ACCOUNT_ADD, GROUP,
			       CTI_WIRE_ACCT_F_ADMIN, "mine", &a), -EACCES);
	T_EXPECT_EQ(au_grant(&user, CTI_WIRE_REVOKE, USER, "root",
			     CTI_WIRE_RIGHT_ADMIN, "", &a), -EACCES);
	T_EXPECT_EQ(au_account(&user, CTI_WIRE_ACCOUNT_DEL, USER, 0, "root", &a),
		    -EACCES);
	T_EXPECT_EQ(au_set_password(&user, "daemon", "*", &a), -EACCES);
	T_EXPECT_EQ(au_kick(&user, root.ack.session, &a), -EACCES);
	T_EXPECT_EQ(au_reload(&user, &a), -EACCES);

	/* nothing changed: the user still sees no line, root is admin */
	T_EXPECT_EQ(visible(&user), 0);
	T_EXPECT_EQ(rc_open_line(&user, 1, CTI_WIRE_PRIV_OWNER), -ENOENT);
	T_EXPECT_EQ(au_list_accounts(&root, USER, &a), 0);
	T_EXPECT(au_find(&a, USER, "root") &&
		 (au_find(&a, USER, "root")->flags & CTI_WIRE_ACCT_F_ADMIN),
		 "root lost admin");
	T_EXPECT(au_find(&a, USER, "daemon") && !au_find(&a, USER, "daemon")->lines[0],
		 "daemon got lines");
	T_EXPECT_EQ(au_list_accounts(&root, GROUP, &a), 0);
	T_EXPECT_EQ(a.nacct, 0u);
	/* the eight attempts at a change are in the audit log, with who */
	T_EXPECT_EQ(au_file_count(audit, "refused (EACCES)") - before, 8);
	T_EXPECT_EQ(au_file_count(audit, "user daemon ("), 8);
	T_EXPECT(au_file_count(audit, "GRANT user daemon lines \"*\": refused") == 1,
		 "the grant attempt is not in the audit log");
	rc_close(&user);
	rc_close(&root);
	stop();
}

/* A grant reaches a connected session at once; so does a revoke. */
static void grant_and_revoke_live(void)
{
	struct au_answer a;
	struct rc root, user;
	struct cti_wire_frame f;
	uint32_t ids[8];
	bool lost = false;

	start();
	au_session(&root, d.sock, "root");
	au_session_as(&user, d.sock, uid_daemon, gid_daemon, "user", 0);
	T_EXPECT_EQ(visible(&user), 0);

	T_ASSERT_EQ(au_grant(&root, CTI_WIRE_GRANT, USER, "daemon",
			     CTI_WIRE_RIGHT_OWNER, "2", &a), 0);
	T_ASSERT_EQ(snapshot_lines(&user, ids, 8), 1);
	T_EXPECT_EQ(ids[0], 2u);
	T_EXPECT_EQ(rc_open_line(&user, 2, CTI_WIRE_PRIV_OWNER), 0);
	T_EXPECT_EQ(rc_command_sync(&user, CTI_CMD_SET_DND, 2, 0, 0, 1, 0, NULL,
				    NULL), 0);

	/* monitor only on 3: visible, not to own */
	T_ASSERT_EQ(au_grant(&root, CTI_WIRE_GRANT, USER, "daemon",
			     CTI_WIRE_RIGHT_MONITOR, "3", &a), 0);
	T_EXPECT_EQ(snapshot_lines(&user, ids, 8), 2);
	T_EXPECT_EQ(rc_open_line(&user, 3, CTI_WIRE_PRIV_OWNER), -EACCES);
	T_EXPECT_EQ(rc_open_line(&user, 3, CTI_WIRE_PRIV_MONITOR), 0);

	/* revoked: the open line is closed for it and leaves its view */
	T_ASSERT_EQ(au_grant(&root, CTI_WIRE_REVOKE, USER, "daemon",
			     CTI_WIRE_RIGHT_OWNER, "2", &a), 0);
	while (!lost && rc_next_event(&user, &f, 3000) == 1)
		lost = f.hdr.type == CTI_WIRE_EV_PRIVILEGE &&
		       f.u.privilege.line == 2 && f.u.privilege.call == 0 &&
		       f.u.privilege.privilege == CTI_WIRE_PRIV_NONE;
	T_EXPECT(lost, "no EV_PRIVILEGE NONE for the revoked line");
	T_EXPECT_EQ(snapshot_lines(&user, ids, 8), 1);
	T_EXPECT_EQ(ids[0], 3u);
	T_EXPECT_EQ(rc_command_sync(&user, CTI_CMD_SET_DND, 2, 0, 0, 0, 0, NULL,
				    NULL), -ENOENT);
	T_EXPECT_EQ(rc_open_line(&user, 2, CTI_WIRE_PRIV_MONITOR), -ENOENT);
	/* and the line it kept still works */
	T_EXPECT_EQ(visible(&user), 1);
	rc_close(&user);
	rc_close(&root);
	stop();
}

/*
 * After a kill -9 the old listening socket may take a connection for a
 * moment (the kernel tears an io_uring down asynchronously): a HELLO
 * that meets the dead one is tried again, as libcti would.
 */
static void reconnect(struct rc *c)
{
	for (int i = 0; i < 50; i++) {
		if (!rc_connect(c, d.sock) && !rc_hello(c, "root", 0, 0))
			return;
		rc_close(c);
		t_sleep_ms(100);
	}
	T_ASSERT(0, "no HELLO_ACK from the restarted ctid");
}

/* Users and groups made while ctid runs outlive a kill -9. */
static void survives_kill9(void)
{
	const struct cti_wire_account *x;
	struct au_answer a;
	struct rc root, user;

	start();
	au_session(&root, d.sock, "root");
	T_ASSERT_EQ(au_account(&root, CTI_WIRE_ACCOUNT_ADD, USER, 0, "bin", &a), 0);
	T_ASSERT_EQ(au_grant(&root, CTI_WIRE_GRANT, USER, "bin",
			     CTI_WIRE_RIGHT_OWNER, "1-2, 4", &a), 0);
	T_ASSERT_EQ(au_account(&root, CTI_WIRE_ACCOUNT_ADD, GROUP,
			       CTI_WIRE_ACCT_F_ADMIN, "ops", &a), 0);
	T_ASSERT_EQ(au_grant(&root, CTI_WIRE_GRANT, GROUP, "ops",
			     CTI_WIRE_RIGHT_MEMBER, "alice bob", &a), 0);
	/* a section of the configuration file taken away */
	T_ASSERT_EQ(au_account(&root, CTI_WIRE_ACCOUNT_DEL, USER, 0, "daemon", &a), 0);
	rc_close(&root);

	t_ctid_kill9(&d);
	T_ASSERT(t_ctid_restart(&d) == 0, "restart");
	reconnect(&root);
	T_ASSERT_EQ(au_list_accounts(&root, USER, &a), 0);
	x = au_find(&a, USER, "bin");
	T_ASSERT(x, "bin is gone after the restart");
	T_EXPECT(!strcmp(x->lines, "1-2, 4"), "bin's lines: \"%s\"", x->lines);
	T_EXPECT(!au_find(&a, USER, "daemon"), "daemon is back");
	T_ASSERT_EQ(au_list_accounts(&root, GROUP, &a), 0);
	x = au_find(&a, GROUP, "ops");
	T_ASSERT(x, "ops is gone after the restart");
	T_EXPECT(!strcmp(x->members, "alice,bob"), "members: \"%s\"", x->members);
	T_EXPECT(x->flags & CTI_WIRE_ACCT_F_ADMIN, "ops lost admin");
	T_EXPECT_EQ(au_file_count(state, "removed = yes"), 1);
	/* and bin's rights are in force */
	au_session_as(&user, d.sock, uid_bin, gid_bin, "bin", 0);
	T_EXPECT_EQ(visible(&user), 3);
	T_EXPECT_EQ(rc_open_line(&user, 4, CTI_WIRE_PRIV_OWNER), 0);
	T_EXPECT_EQ(rc_open_line(&user, 3, CTI_WIRE_PRIV_MONITOR), -ENOENT);
	rc_close(&user);
	rc_close(&root);
	stop();
}

/* Each change is one line of the audit log: when, who, from where, what. */
static void audit_log(void)
{
	struct au_answer a;
	struct rc root;
	char pid[32];

	start();
	au_session(&root, d.sock, "root");
	T_ASSERT_EQ(au_grant(&root, CTI_WIRE_GRANT, USER, "daemon",
			     CTI_WIRE_RIGHT_PICKUP, "1-3", &a), 0);
	T_EXPECT_EQ(au_grant(&root, CTI_WIRE_REVOKE, USER, "daemon",
			     CTI_WIRE_RIGHT_OWNER, "1", &a), -ENOENT);
	T_EXPECT_EQ(au_file_count(audit, "GRANT user daemon pickup \"1-3\": ok"), 1);
	T_EXPECT_EQ(au_file_count(audit,
				  "REVOKE user daemon lines \"1\": refused (ENOENT): not granted"), 1);
	snprintf(pid, sizeof(pid), "user root (uid 0) pid %d", (int)getpid());
	T_EXPECT_EQ(au_file_count(audit, pid), 2);
	T_EXPECT_EQ(au_file_count(audit, "Z user root"), 2);	/* ISO 8601, UTC */
	/* and in ctid's log */
	T_EXPECT(t_ctid_log_wait(&d, "GRANT user daemon pickup", 1, 3000) == 1,
		 "not in ctid's log");
	/* a revoke cuts a range: 1-3 less 2 */
	T_ASSERT_EQ(au_grant(&root, CTI_WIRE_REVOKE, USER, "daemon",
			     CTI_WIRE_RIGHT_PICKUP, "2", &a), 0);
	T_ASSERT_EQ(au_list_accounts(&root, USER, &a), 0);
	T_EXPECT(!strcmp(au_find(&a, USER, "daemon")->pickup, "4, 1, 3"),
		 "pickup: %s", au_find(&a, USER, "daemon")->pickup);
	rc_close(&root);
	stop();
}

/* Wrong requests: each refused with its errno and a reason; nothing changes. */
static void bad_requests(void)
{
	struct au_answer a;
	struct rc root;
	int changes;

	start();
	au_session(&root, d.sock, "root");
	T_EXPECT_EQ(au_account(&root, CTI_WIRE_ACCOUNT_ADD, USER, 0, "daemon", &a), -EEXIST);
	T_EXPECT(strstr(a.note, "exists") != NULL, "note: %s", a.note);
	T_EXPECT_EQ(au_account(&root, CTI_WIRE_ACCOUNT_ADD, USER, 0, "a/b", &a), -EINVAL);
	T_EXPECT_EQ(au_account(&root, CTI_WIRE_ACCOUNT_DEL, GROUP, 0, "nobody", &a), -ENOENT);
	T_EXPECT_EQ(au_grant(&root, CTI_WIRE_GRANT, USER, "nobody",
			     CTI_WIRE_RIGHT_OWNER, "1", &a), -ENOENT);
	T_EXPECT_EQ(au_grant(&root, CTI_WIRE_GRANT, USER, "daemon",
			     CTI_WIRE_RIGHT_OWNER, "5-2", &a), -EINVAL);
	T_EXPECT(strstr(a.note, "5-2") != NULL, "note: %s", a.note);
	T_EXPECT_EQ(au_grant(&root, CTI_WIRE_GRANT, USER, "daemon",
			     CTI_WIRE_RIGHT_MEMBER, "x", &a), -EINVAL);
	T_EXPECT_EQ(au_grant(&root, CTI_WIRE_REVOKE, USER, "daemon",
			     CTI_WIRE_RIGHT_ADMIN, "", &a), -ENOENT);
	T_EXPECT_EQ(au_set_password(&root, "daemon", "$y$x", &a), -EOPNOTSUPP);
	T_EXPECT_EQ(au_kick(&root, root.ack.session, &a), -EINVAL);
	/* root is the only administrator: it cannot lock everyone out */
	T_EXPECT_EQ(au_grant(&root, CTI_WIRE_REVOKE, USER, "root",
			     CTI_WIRE_RIGHT_ADMIN, "", &a), -EBUSY);
	T_EXPECT(!strcmp(a.note, "that would leave no administrator"), "note: %s", a.note);
	T_EXPECT_EQ(au_account(&root, CTI_WIRE_ACCOUNT_DEL, USER, 0, "root", &a), -EBUSY);
	T_EXPECT_EQ(au_kick(&root, 12345, &a), -ENOENT);
	/* malformed: the codec answers ERROR, ctid never sees them */
	T_EXPECT_EQ(au_grant(&root, CTI_WIRE_GRANT, USER, "daemon",
			     CTI_WIRE_RIGHT_ADMIN, "1", &a), -EINVAL);
	T_EXPECT_EQ(au_grant(&root, CTI_WIRE_GRANT, USER, "",
			     CTI_WIRE_RIGHT_OWNER, "1", &a), -EINVAL);
	T_EXPECT_EQ(au_grant(&root, CTI_WIRE_GRANT, USER, "daemon", 9, "1", &a), -EINVAL);
	T_EXPECT_EQ(au_account(&root, CTI_WIRE_ACCOUNT_ADD, 2, 0, "x", &a), -EINVAL);
	/* none of it reached the state file */
	T_EXPECT(access(state, F_OK) != 0, "a refused change wrote the state");
	changes = au_file_count(audit, ": ok");
	T_EXPECT_EQ(changes, 0);
	T_EXPECT_EQ(au_list_accounts(&root, USER, &a), 0);
	T_EXPECT_EQ(a.nacct, 2u);
	T_EXPECT_EQ(a.end_count, 2u);
	rc_close(&root);
	stop();
}

/* ctid started, root's session, and "daemon" (resumable) owning line 1. */
static void owner_of_line1(struct rc *root, struct rc *user, const char *name)
{
	struct au_answer a;

	au_session(root, d.sock, "root");
	T_ASSERT_EQ(au_grant(root, CTI_WIRE_GRANT, USER, "daemon",
			     CTI_WIRE_RIGHT_OWNER, "1", &a), 0);
	au_session_as(user, d.sock, uid_daemon, gid_daemon, name,
		      CTI_WIRE_FEAT_RESUME);
	T_ASSERT_EQ(rc_open_line(user, 1, CTI_WIRE_PRIV_OWNER), 0);
}

static const struct cti_wire_session_info *session_named(const struct au_answer *a,
							  const char *name)
{
	for (size_t i = 0; i < a->nsess; i++)
		if (!strcmp(a->sess[i].client_name, name))
			return &a->sess[i];
	return NULL;
}

/* Sessions are listed with who and where; one is ended without resume. */
static void sessions_and_kick(void)
{
	const struct cti_wire_session_info *si;
	struct au_answer a;
	struct rc root, user, again;
	struct cti_wire_frame f;
	uint64_t id;
	int rc;

	start();
	owner_of_line1(&root, &user, "victim");
	T_ASSERT_EQ(au_list_sessions(&root, &a), 0);
	T_EXPECT_EQ(a.nsess, 2u);
	si = session_named(&a, "victim");
	T_ASSERT(si, "the user's session is not listed");
	T_EXPECT(!strcmp(si->user, "daemon"), "user %s", si->user);
	T_EXPECT_EQ(si->uid, (uint32_t)uid_daemon);
	T_EXPECT_EQ(si->lines_open, 1u);
	T_EXPECT_EQ(si->session, user.ack.session);
	T_EXPECT(si->flags & CTI_WIRE_SESS_F_ATTACHED, "not attached");
	T_EXPECT(!(si->flags & (CTI_WIRE_SESS_F_ADMIN | CTI_WIRE_SESS_F_TLS)), "flags");
	T_EXPECT(!strncmp(si->peer, "pid ", 4) && si->pid, "peer %s", si->peer);
	T_EXPECT(si->since_ns > 1500000000ull * 1000000000ull, "since %llu",
		 (unsigned long long)si->since_ns);
	si = session_named(&a, "root");
	T_ASSERT(si, "root's session is not listed");
	T_EXPECT(si->flags & CTI_WIRE_SESS_F_ADMIN, "root not admin");

	id = user.ack.session;
	T_ASSERT_EQ(au_kick(&root, id, &a), 0);
	rc = rc_wait_type(&user, CTI_WIRE_ERROR, &f, 3000);
	T_EXPECT(rc == 1 && f.u.error.error == -ECONNABORTED, "no ERROR: %d", rc);
	T_EXPECT_EQ(rc_recv(&user, &f, 3000), -EPIPE);
	rc_close(&user);
	T_ASSERT_EQ(au_list_sessions(&root, &a), 0);
	T_EXPECT(!session_named(&a, "victim"), "the session is still there");
	T_EXPECT_EQ(au_kick(&root, id, &a), -ENOENT);
	/* it cannot be resumed */
	au_connect_as(&again, d.sock, uid_daemon, gid_daemon);
	T_ASSERT_EQ(rc_hello(&again, "victim", id, 0), 0);
	T_EXPECT_EQ(again.ack.resume, (uint32_t)CTI_WIRE_RESUME_RESYNC);
	T_EXPECT_EQ(au_file_count(audit, "KICK session"), 2);
	rc_close(&again);
	rc_close(&root);
	stop();
}

/* A detached session that resumes after a revoke finds the line closed. */
static void resume_rechecked(void)
{
	struct au_answer a;
	struct rc root, user;
	struct cti_wire_frame f;
	uint64_t id, seq;
	bool lost = false;

	start();
	owner_of_line1(&root, &user, "desk");
	rc_drain(&user, 100);
	id = user.ack.session;
	seq = user.last_seq;
	rc_close(&user);		/* detached, may resume */
	T_ASSERT_EQ(au_grant(&root, CTI_WIRE_REVOKE, USER, "daemon",
			     CTI_WIRE_RIGHT_OWNER, "1", &a), 0);
	au_connect_as(&user, d.sock, uid_daemon, gid_daemon);
	T_ASSERT_EQ(rc_hello(&user, "desk", id, seq), 0);
	T_EXPECT_EQ(user.ack.resume, (uint32_t)CTI_WIRE_RESUME_OK);
	while (!lost && rc_next_event(&user, &f, 2000) == 1)
		lost = f.hdr.type == CTI_WIRE_EV_PRIVILEGE && f.u.privilege.line == 1 &&
		       f.u.privilege.privilege == CTI_WIRE_PRIV_NONE;
	T_EXPECT(lost, "the resumed session was not told the line is gone");
	T_EXPECT_EQ(rc_command_sync(&user, CTI_CMD_SET_DND, 1, 0, 0, 1, 0, NULL,
				    NULL), -ENOENT);
	rc_close(&user);
	rc_close(&root);
	stop();
}

/* A broken state file stops ctid from starting (it would lose changes). */
static void broken_state_refused(void)
{
	struct au_answer a;
	struct rc root;
	FILE *f;

	start();
	au_session(&root, d.sock, "root");
	T_ASSERT_EQ(au_account(&root, CTI_WIRE_ACCOUNT_ADD, USER, 0, "bin", &a), 0);
	rc_close(&root);
	t_ctid_kill9(&d);
	f = fopen(state, "w");
	T_ASSERT(f, "open the state");
	fputs("[user bin]\nlines = 0\n", f);
	fclose(f);
	/* (the killed one's socket may still answer a moment: see reconnect()) */
	t_ctid_restart(&d);
	for (int i = 0; i < 50 && t_ctid_alive(&d); i++)
		t_sleep_ms(100);
	T_EXPECT(!t_ctid_alive(&d), "ctid runs on a broken state");
	T_EXPECT(t_ctid_log_wait(&d, "ctid.state:", 1, 3000) >= 1, "the state's line is not named");
	T_EXPECT(t_ctid_log_count(&d, "lines: bad line id") >= 1, "the reason is not said");
	t_ctid_stop(&d);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(non_admin_refused),
		T_CASE(grant_and_revoke_live),
		T_CASE(survives_kill9),
		T_CASE(audit_log),
		T_CASE(bad_requests),
		T_CASE(sessions_and_kick),
		T_CASE(resume_rechecked),
		T_CASE(broken_state_refused),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
