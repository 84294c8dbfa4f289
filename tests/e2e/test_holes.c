// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_holes: ownership is exclusive where doc/protocol.md says so
 * (issue 6, hole 8), checked from outside with raw frames:
 *
 * - a session that asked for exclusive ownership (feature bit 4) gets
 *   EBUSY for an OWNER open of a line another session owns, and while it
 *   owns a line nobody else may open it as OWNER (EBUSY);
 * - after HANDOFF the sender cannot take the call back with
 *   SET_PRIVILEGE (EPERM) unless the receiver hands it back;
 * - HANDOFF never guesses among sessions with the same client-chosen
 *   name (ENOTUNIQ), and names only sessions that may own the line;
 * - a right taken away (the access rules reloaded with SIGHUP) is gone
 *   for a detached session when it resumes, as for one connected.
 *
 * The last case needs root (SKIP otherwise): its client runs as "daemon".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "rawclient.h"

/* doc/protocol.md: OWNER opens of the session are exclusive. */
#define FEAT_EXCLUSIVE	(1ULL << 4)

enum { A, B, C, NLINES };

static struct t_ctid d;
static struct cti_wire_line lines[NLINES];

/* A session that asks for exclusive ownership on top of the usual. */
static void session_exclusive(struct rc *c, const char *name)
{
	struct cti_wire_frame f;
	int rc = rc_connect(c, d.sock);

	T_ASSERT(rc == 0, "connect: %s", strerror(-rc));
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_HELLO;
	f.u.hello.version = CTI_WIRE_VERSION;
	f.u.hello.features = CTI_WIRE_FEAT_ALL | FEAT_EXCLUSIVE;
	snprintf(f.u.hello.client_name, sizeof(f.u.hello.client_name), "%s",
		 name);
	T_ASSERT(rc_send(c, &f) >= 0, "send");
	T_ASSERT(rc_wait_type(c, CTI_WIRE_HELLO_ACK, &f, 15000) == 1,
		 "no HELLO_ACK");
	c->ack = f.u.hello_ack;
	T_EXPECT(c->ack.features & FEAT_EXCLUSIVE, "exclusive not granted");
}

static void start(const char *extra)
{
	T_ASSERT(t_ctid_start(&d, t_conf_default(NLINES, extra)) == 0,
		 "start");
	rc_root_lines(d.sock, lines, NLINES);
}

static void stop(void)
{
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/* ---- exclusive owner open ---- */

static void exclusive_owner_open(void)
{
	struct rc x, y;

	start(NULL);
	session_exclusive(&x, "exclusive");
	rc_session(&y, d.sock, "shared");
	T_EXPECT_EQ(rc_open_line(&x, lines[A].line, CTI_WIRE_PRIV_OWNER), 0);
	/* A is owned exclusively: nobody else owns it, monitors may come */
	T_EXPECT_EQ(rc_open_line(&y, lines[A].line, CTI_WIRE_PRIV_OWNER),
		    -EBUSY);
	T_EXPECT_EQ(rc_open_line(&y, lines[A].line, CTI_WIRE_PRIV_MONITOR), 0);
	T_EXPECT_EQ(rc_open_line(&y, lines[A].line, CTI_WIRE_PRIV_OWNER),
		    -EBUSY);
	/* B is owned (shared): an exclusive open of it is "already owned" */
	T_EXPECT_EQ(rc_open_line(&y, lines[B].line, CTI_WIRE_PRIV_OWNER), 0);
	T_EXPECT_EQ(rc_open_line(&x, lines[B].line, CTI_WIRE_PRIV_OWNER),
		    -EBUSY);
	T_EXPECT_EQ(rc_open_line(&x, lines[B].line, CTI_WIRE_PRIV_MONITOR), 0);
	/* once the exclusive owner closes A, others may own it */
	T_EXPECT_EQ(rc_close_line(&x, lines[A].line), 0);
	T_EXPECT_EQ(rc_open_line(&y, lines[A].line, CTI_WIRE_PRIV_OWNER), 0);
	rc_close(&x);
	rc_close(&y);
	stop();
}

/* ---- handoff ---- */

static int64_t send_handoff(struct rc *c, uint32_t line, uint32_t call,
			    const char *target)
{
	struct cti_wire_frame f;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_HANDOFF;
	f.u.handoff.line = line;
	f.u.handoff.call = call;
	snprintf(f.u.handoff.target, sizeof(f.u.handoff.target), "%s",
		 target);
	return rc_send(c, &f);
}

static int handoff(struct rc *c, uint32_t line, uint32_t call,
		   const char *target)
{
	int64_t id = send_handoff(c, line, call, target);

	T_ASSERT(id > 0, "send");
	return rc_wait_reply(c, (uint64_t)id, NULL, 5000);
}

static int set_privilege(struct rc *c, uint32_t line, uint32_t call,
			 uint32_t priv)
{
	struct cti_wire_frame f;
	int64_t id;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_SET_PRIVILEGE;
	f.u.set_privilege.line = line;
	f.u.set_privilege.call = call;
	f.u.set_privilege.privilege = priv;
	id = rc_send(c, &f);
	T_ASSERT(id > 0, "send");
	return rc_wait_reply(c, (uint64_t)id, NULL, 5000);
}

/* Call B from A; returns the call as B's owners see it, offering. */
static uint32_t call_b(struct rc *caller, struct rc *b)
{
	struct cti_wire_frame f;

	T_ASSERT_EQ(rc_open_line(caller, lines[A].line, CTI_WIRE_PRIV_OWNER),
		    0);
	T_ASSERT_EQ(rc_command_sync(caller, CTI_CMD_MAKE_CALL, lines[A].line,
				    0, 0, 0, 0, lines[B].addresses[0], NULL),
		    0);
	while (rc_next_event(b, &f, 3000) == 1)
		if (f.hdr.type == CTI_WIRE_EV_CALL_STATE &&
		    f.u.call_state.line == lines[B].line &&
		    f.u.call_state.state == CTI_CALL_OFFERING)
			return f.u.call_state.call;
	T_ASSERT(0, "no OFFERING on B");
	return 0;
}

static void handoff_cannot_be_taken_back(void)
{
	struct rc a, b1, b2;
	uint32_t call;

	start(NULL);
	rc_session(&a, d.sock, "A");
	rc_session(&b1, d.sock, "B1");
	rc_session(&b2, d.sock, "B2");
	T_ASSERT_EQ(rc_open_line(&b1, lines[B].line, CTI_WIRE_PRIV_OWNER), 0);
	T_ASSERT_EQ(rc_open_line(&b2, lines[B].line, CTI_WIRE_PRIV_OWNER), 0);
	call = call_b(&a, &b1);
	T_ASSERT_EQ(handoff(&b1, lines[B].line, call, "B2"), 0);
	/* the sender gave the call away: it cannot take it back */
	T_EXPECT_EQ(set_privilege(&b1, lines[B].line, call,
				  CTI_WIRE_PRIV_OWNER), -EPERM);
	T_EXPECT_EQ(rc_command_sync(&b1, CTI_CMD_ANSWER, lines[B].line, call,
				    0, 0, 0, NULL, NULL), -EPERM);
	/* ... nor by opening the line again */
	T_EXPECT_EQ(rc_close_line(&b1, lines[B].line), 0);
	T_EXPECT_EQ(rc_open_line(&b1, lines[B].line, CTI_WIRE_PRIV_OWNER), 0);
	T_EXPECT_EQ(rc_command_sync(&b1, CTI_CMD_ANSWER, lines[B].line, call,
				    0, 0, 0, NULL, NULL), -EPERM);
	T_EXPECT_EQ(set_privilege(&b1, lines[B].line, call,
				  CTI_WIRE_PRIV_OWNER), -EPERM);
	/* the receiver may hand it back; then it is the sender's again */
	T_EXPECT_EQ(handoff(&b2, lines[B].line, call, "B1"), 0);
	T_EXPECT_EQ(rc_command_sync(&b1, CTI_CMD_ANSWER, lines[B].line, call,
				    0, 0, 0, NULL, NULL), 0);
	T_EXPECT_EQ(rc_command_sync(&b1, CTI_CMD_DROP, lines[B].line, call, 0,
				    0, 0, NULL, NULL), 0);
	rc_close(&a);
	rc_close(&b1);
	rc_close(&b2);
	stop();
}

static void handoff_target_is_not_guessed(void)
{
	struct rc a, b1, b2, impostor;
	uint32_t call;

	start(NULL);
	rc_session(&a, d.sock, "A");
	rc_session(&b1, d.sock, "B1");
	rc_session(&b2, d.sock, "B2");
	rc_session(&impostor, d.sock, "B2");
	T_ASSERT_EQ(rc_open_line(&b1, lines[B].line, CTI_WIRE_PRIV_OWNER), 0);
	T_ASSERT_EQ(rc_open_line(&b2, lines[B].line, CTI_WIRE_PRIV_OWNER), 0);
	T_ASSERT_EQ(rc_open_line(&impostor, lines[B].line,
				 CTI_WIRE_PRIV_OWNER), 0);
	call = call_b(&a, &b1);
	/* two sessions call themselves "B2": ctid does not pick one */
	T_EXPECT_EQ(handoff(&b1, lines[B].line, call, "B2"), -ENOTUNIQ);
	T_EXPECT_EQ(handoff(&b1, lines[B].line, call, ""), -ENOTUNIQ);
	/* a monitor is never a target, whatever its name */
	rc_close(&impostor);
	rc_session(&impostor, d.sock, "B3");
	T_ASSERT_EQ(rc_open_line(&impostor, lines[B].line,
				 CTI_WIRE_PRIV_MONITOR), 0);
	T_EXPECT_EQ(handoff(&b1, lines[B].line, call, "B3"), -ENOENT);
	T_EXPECT_EQ(handoff(&b1, lines[B].line, call, "B2"), 0);
	T_EXPECT_EQ(rc_command_sync(&b2, CTI_CMD_DROP, lines[B].line, call, 0,
				    0, 0, NULL, NULL), 0);
	rc_close(&a);
	rc_close(&b1);
	rc_close(&b2);
	rc_close(&impostor);
	stop();
}

/* ---- a resumed session after its rights were taken away ---- */

static uid_t uid_daemon;
static gid_t gid_daemon;
static char acl_owner[256], acl_monitor[256], acl_none[256];

/* Replace the [user daemon] section (the file's last) and SIGHUP ctid. */
static void set_rules(const char *section)
{
	char buf[16384], *p;
	size_t n;
	FILE *f = fopen(d.conf, "r");
	int before;

	T_ASSERT(f, "open %s", d.conf);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strstr(buf, "[user daemon]");
	T_ASSERT(p, "no [user daemon] in %s", d.conf);
	*p = '\0';
	f = fopen(d.conf, "w");
	T_ASSERT(f, "write %s", d.conf);
	fprintf(f, "%s%s", buf, section);
	fclose(f);
	before = t_ctid_log_count(&d, "access rules of");
	T_ASSERT(kill(d.pid, SIGHUP) == 0, "kill");
	T_ASSERT(t_ctid_log_wait(&d, "access rules of", before + 1, 5000) >
		 before, "ctid did not apply the rules");
}

struct resume_state {
	struct t_sync sync;
};

static int revoked_client(void *arg)
{
	struct resume_state *st = arg;
	struct cti_wire_frame f;
	uint64_t sess, seq;
	bool told = false;
	struct rc c;

	rc_session(&c, d.sock, "agent");
	T_ASSERT_EQ(rc_open_line(&c, lines[A].line, CTI_WIRE_PRIV_OWNER), 0);
	sess = c.ack.session;
	seq = c.last_seq;
	rc_close(&c);			/* detached: it may resume */
	t_signal(&st->sync);
	T_ASSERT(t_await(&st->sync, 10000), "no revocation");

	/* owner right taken away, monitor left: resumes as a monitor */
	T_ASSERT_EQ(rc_connect(&c, d.sock), 0);
	T_ASSERT_EQ(rc_hello(&c, "agent", sess, seq), 0);
	T_EXPECT_EQ(c.ack.resume, CTI_WIRE_RESUME_OK);
	while (rc_next_event(&c, &f, 500) == 1)
		if (f.hdr.type == CTI_WIRE_EV_PRIVILEGE &&
		    f.u.privilege.line == lines[A].line && !f.u.privilege.call)
			told = f.u.privilege.privilege == CTI_WIRE_PRIV_MONITOR;
	T_EXPECT(told, "no EV_PRIVILEGE MONITOR for the line");
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_SET_DND, lines[A].line, 0, 0,
				    1, 0, NULL, NULL), -EPERM);
	T_EXPECT_EQ(rc_open_line(&c, lines[A].line, CTI_WIRE_PRIV_OWNER),
		    -EACCES);
	sess = c.ack.session;
	seq = c.last_seq;
	rc_close(&c);
	t_signal(&st->sync);
	T_ASSERT(t_await(&st->sync, 10000), "no second revocation");

	/* every right to the line taken away: it is as if there were none */
	T_ASSERT_EQ(rc_connect(&c, d.sock), 0);
	T_ASSERT_EQ(rc_hello(&c, "agent", sess, seq), 0);
	T_EXPECT_EQ(c.ack.resume, CTI_WIRE_RESUME_OK);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_SET_DND, lines[A].line, 0, 0,
				    1, 0, NULL, NULL), -ENOENT);
	rc_close(&c);
	return 0;
}

/* The name ctid matches ACL patterns against. */
static const char *full_name(int i, char *buf, size_t size)
{
	if (strchr(lines[i].name, '/'))
		snprintf(buf, size, "%s", lines[i].name);
	else
		snprintf(buf, size, "%s/%s", lines[i].provider_name,
			 lines[i].name);
	return buf;
}

static void resume_after_revocation(void)
{
	struct resume_state st;
	struct passwd *pw;
	char na[80], nb[80];
	pid_t pid;

	t_need_root();
	pw = getpwnam("daemon");
	if (!pw)
		t_skip("no user daemon on this system");
	uid_daemon = pw->pw_uid;
	gid_daemon = pw->pw_gid;
	start(NULL);
	stop();
	full_name(A, na, sizeof(na));
	snprintf(acl_owner, sizeof(acl_owner), "[user daemon]\nlines = %s\n",
		 na);
	snprintf(acl_monitor, sizeof(acl_monitor),
		 "[user daemon]\nmonitor = %s\n", na);
	snprintf(acl_none, sizeof(acl_none), "[user daemon]\nmonitor = %s\n",
		 full_name(B, nb, sizeof(nb)));
	start(acl_owner);

	T_ASSERT(t_sync_init(&st.sync) == 0, "pipe");
	pid = t_spawn_as(uid_daemon, gid_daemon, revoked_client, &st,
			 &st.sync);
	T_ASSERT(pid > 0, "fork");
	T_ASSERT(t_await(&st.sync, 10000), "client not ready");
	set_rules(acl_monitor);
	t_signal(&st.sync);
	T_ASSERT(t_await(&st.sync, 15000), "client did not resume");
	set_rules(acl_none);
	t_signal(&st.sync);
	T_EXPECT_EQ(t_wait(pid), 0);
	stop();
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(exclusive_owner_open),
		T_CASE(handoff_cannot_be_taken_back),
		T_CASE(handoff_target_is_not_guessed),
		T_CASE(resume_after_revocation),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
