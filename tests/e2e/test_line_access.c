// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_line_access: per-user line access, enforced where it takes effect.
 *
 * The daemon runs as root with a configuration that names other users;
 * clients are forked children that drop to those uids, so that ctid sees
 * them through SO_PEERCRED exactly as it would see real users. The users
 * are accounts every Debian system has (daemon, bin, sys), plus a uid with
 * no account at all:
 *
 *   line A  daemon owns or monitors, bin monitors only
 *   line B  daemon monitors only
 *   line C  group sys (user sys through its primary group) owns; the
 *           group is also admin
 *   line D  nobody but root
 *   uid 60001, unknown to NSS: sees no line
 *
 * Checked (doc/protocol.md, "Which events a session receives" and "Errors
 * in REPLY"): an invisible line is never listed, never announced, and every
 * request naming it fails with ENOENT exactly as a line that does not
 * exist; owning without the right is EACCES; controlling a call with only
 * MONITOR privilege is EPERM; events of other lines never reach a session;
 * provider administration is EACCES for non-admins.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "rawclient.h"

#define UNKNOWN_UID	60001

enum { A, B, C, D, NLINES };

static struct t_ctid d;
static struct cti_wire_line lines[NLINES];	/* as root sees them */
static uid_t uid_daemon, uid_bin, uid_sys;
static gid_t gid_daemon, gid_bin, gid_sys;

/* The name ctid matches ACL patterns against. */
static const char *full_name(const struct cti_wire_line *l, char *buf,
			     size_t size)
{
	if (strchr(l->name, '/'))
		snprintf(buf, size, "%s", l->name);
	else
		snprintf(buf, size, "%s/%s", l->provider_name, l->name);
	return buf;
}

/*
 * Learn the lines' names from a first ctid with the default configuration,
 * then start the one under test with the ACL written in those names.
 */
static void start(void)
{
	char conf[2048], na[80], nb[80], nc[80], gsys[64];
	struct rc c;
	struct group *gr;
	int n;

	t_need_root();
	t_lookup_user("daemon", &uid_daemon, &gid_daemon);
	t_lookup_user("bin", &uid_bin, &gid_bin);
	t_lookup_user("sys", &uid_sys, &gid_sys);
	gr = getgrgid(gid_sys);
	if (!gr)
		t_skip("no group %u", (unsigned int)gid_sys);
	snprintf(gsys, sizeof(gsys), "%s", gr->gr_name);

	T_ASSERT(t_ctid_start(&d, t_conf_default(NLINES, NULL)) == 0, "start");
	rc_root_lines(d.sock, lines, NLINES);
	T_ASSERT(t_ctid_stop(&d) == 0, "stop");

	snprintf(conf, sizeof(conf),
		 "[user daemon]\nlines = %s\nmonitor = %s\n\n"
		 "[user bin]\nmonitor = %s\n\n"
		 "[group %s]\nlines = %s\nadmin = yes\n",
		 full_name(&lines[A], na, sizeof(na)),
		 full_name(&lines[B], nb, sizeof(nb)),
		 na, gsys, full_name(&lines[C], nc, sizeof(nc)));
	T_ASSERT(t_ctid_start(&d, t_conf_default(NLINES, conf)) == 0, "start");
	/* The ids are stable: the same lines, the same ids. */
	rc_session(&c, d.sock, "root");
	n = rc_list_lines(&c, lines, NLINES);
	T_ASSERT(n == NLINES, "root sees %d lines", n);
	T_EXPECT(c.ack.flags & CTI_WIRE_ACK_F_ADMIN, "root is not admin");
	rc_close(&c);
}

static void stop(void)
{
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/* The lines a session sees: a bitmask of A..D, and the count listed. */
static unsigned int visible(struct rc *c, int *count)
{
	struct cti_wire_line got[16];
	unsigned int mask = 0;
	int n, i, j;

	n = rc_list_lines(c, got, 16);
	T_ASSERT(n >= 0, "list: %s", strerror(-n));
	*count = n;
	for (i = 0; i < n && i < 16; i++)
		for (j = 0; j < NLINES; j++)
			if (got[i].line == lines[j].line) {
				mask |= 1u << j;
				if (j == A && c->ack.uid == uid_daemon)
					T_EXPECT_EQ(got[i].allowed, 6);
				if (j == B && c->ack.uid == uid_daemon)
					T_EXPECT_EQ(got[i].allowed, 2);
				if (j == A && c->ack.uid == uid_bin)
					T_EXPECT_EQ(got[i].allowed, 2);
			}
	return mask;
}

/* Every kind of request on an invisible line fails as for no line at all. */
static void expect_invisible(struct rc *c, uint32_t line)
{
	struct cti_wire_frame f;
	int64_t id;

	T_EXPECT_EQ(rc_open_line(c, line, CTI_WIRE_PRIV_MONITOR), -ENOENT);
	T_EXPECT_EQ(rc_open_line(c, line, CTI_WIRE_PRIV_OWNER), -ENOENT);
	T_EXPECT_EQ(rc_command_sync(c, CTI_CMD_MAKE_CALL, line, 0, 0, 0, 0,
				    "2001", NULL), -ENOENT);
	T_EXPECT_EQ(rc_command_sync(c, CTI_CMD_SET_DND, line, 0, 0, 1, 0,
				    NULL, NULL), -ENOENT);
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_LIST_CALLS;
	f.u.list_calls.line = line;
	id = rc_send(c, &f);
	T_ASSERT(id > 0, "send");
	T_EXPECT_EQ(rc_wait_reply(c, (uint64_t)id, NULL, 5000), -ENOENT);
}

static int daemon_client(void *arg)
{
	struct rc c;
	int n;

	(void)arg;
	rc_session(&c, d.sock, "daemon");
	T_EXPECT_EQ(c.ack.uid, uid_daemon);
	T_EXPECT(!(c.ack.flags & CTI_WIRE_ACK_F_ADMIN), "daemon is admin");
	T_EXPECT_EQ(visible(&c, &n), (1u << A) | (1u << B));
	T_EXPECT_EQ(n, 2);
	expect_invisible(&c, lines[C].line);
	expect_invisible(&c, lines[D].line);
	/* an id that never existed fails the same way */
	expect_invisible(&c, 0x7ffffff0);
	/* B: monitor only */
	T_EXPECT_EQ(rc_open_line(&c, lines[B].line, CTI_WIRE_PRIV_OWNER),
		    -EACCES);
	T_EXPECT_EQ(rc_open_line(&c, lines[B].line, CTI_WIRE_PRIV_MONITOR), 0);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_MAKE_CALL, lines[B].line, 0, 0,
				    0, 0, lines[A].addresses[0], NULL), -EPERM);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_SET_DND, lines[B].line, 0, 0,
				    1, 0, NULL, NULL), -EPERM);
	/* A: owner */
	T_EXPECT_EQ(rc_open_line(&c, lines[A].line, CTI_WIRE_PRIV_OWNER), 0);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_SET_DND, lines[A].line, 0, 0,
				    1, 0, NULL, NULL), 0);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_SET_DND, lines[A].line, 0, 0,
				    0, 0, NULL, NULL), 0);
	rc_close(&c);
	return 0;
}

static void user_sees_only_its_lines(void)
{
	start();
	T_EXPECT_EQ(t_run_as(uid_daemon, gid_daemon, daemon_client, NULL), 0);
	stop();
}

static int bin_client(void *arg)
{
	struct rc c;
	int n;

	(void)arg;
	rc_session(&c, d.sock, "bin");
	T_EXPECT_EQ(visible(&c, &n), 1u << A);
	T_EXPECT_EQ(n, 1);
	T_EXPECT_EQ(rc_open_line(&c, lines[A].line, CTI_WIRE_PRIV_OWNER),
		    -EACCES);
	T_EXPECT_EQ(rc_open_line(&c, lines[A].line, CTI_WIRE_PRIV_MONITOR), 0);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_MAKE_CALL, lines[A].line, 0, 0,
				    0, 0, lines[B].addresses[0], NULL), -EPERM);
	expect_invisible(&c, lines[B].line);
	rc_close(&c);
	return 0;
}

static void monitor_only_user(void)
{
	start();
	T_EXPECT_EQ(t_run_as(uid_bin, gid_bin, bin_client, NULL), 0);
	stop();
}

static int sys_client(void *arg)
{
	struct rc c;
	int n;

	(void)arg;
	rc_session(&c, d.sock, "sys");
	T_EXPECT_EQ(visible(&c, &n), 1u << C);
	T_EXPECT_EQ(rc_open_line(&c, lines[C].line, CTI_WIRE_PRIV_OWNER), 0);
	rc_close(&c);
	return 0;
}

/* Administration granted through a group: sys may manage providers. */
static int sys_admin(void *arg)
{
	struct rc c;
	int64_t id;

	(void)arg;
	rc_session(&c, d.sock, "sysadmin");
	T_EXPECT(c.ack.flags & CTI_WIRE_ACK_F_ADMIN, "sys is not admin");
	id = rc_simple(&c, CTI_WIRE_LIST_PROVIDERS);
	T_ASSERT(id > 0, "send");
	T_EXPECT_EQ(rc_wait_reply(&c, (uint64_t)id, NULL, 5000), 0);
	T_EXPECT_EQ(rc_provider(&c, CTI_WIRE_PROVIDER_RELOAD, "sim"), 0);
	rc_close(&c);
	return 0;
}

static void group_grants_admin(void)
{
	start();
	T_EXPECT_EQ(t_run_as(uid_sys, gid_sys, sys_admin, NULL), 0);
	stop();
}

static void group_grants(void)
{
	start();
	T_EXPECT_EQ(t_run_as(uid_sys, gid_sys, sys_client, NULL), 0);
	stop();
}

static int unknown_client(void *arg)
{
	struct rc c;
	int n, i;

	(void)arg;
	rc_session(&c, d.sock, "stranger");
	T_EXPECT_EQ(c.ack.uid, UNKNOWN_UID);
	T_EXPECT_EQ(visible(&c, &n), 0);
	T_EXPECT_EQ(n, 0);
	for (i = 0; i < NLINES; i++)
		expect_invisible(&c, lines[i].line);
	rc_close(&c);
	return 0;
}

static void unknown_uid_sees_nothing(void)
{
	start();
	T_EXPECT_EQ(t_run_as(UNKNOWN_UID, UNKNOWN_UID, unknown_client, NULL), 0);
	stop();
}

static int admin_refused(void *arg)
{
	const char *who = arg;
	struct rc c;
	int64_t id;

	rc_session(&c, d.sock, who);
	id = rc_simple(&c, CTI_WIRE_LIST_PROVIDERS);
	T_ASSERT(id > 0, "send");
	T_EXPECT_EQ(rc_wait_reply(&c, (uint64_t)id, NULL, 5000), -EACCES);
	T_EXPECT_EQ(rc_provider(&c, CTI_WIRE_PROVIDER_RELOAD, "sim"), -EACCES);
	T_EXPECT_EQ(rc_provider(&c, CTI_WIRE_PROVIDER_UNLOAD, "sim"), -EACCES);
	T_EXPECT_EQ(rc_provider(&c, CTI_WIRE_PROVIDER_LOAD, "sim"), -EACCES);
	/* the lines are all still there */
	rc_close(&c);
	return 0;
}

static void non_admin_cannot_manage_providers(void)
{
	struct rc c;
	int n;

	start();
	T_EXPECT_EQ(t_run_as(uid_daemon, gid_daemon, admin_refused, "daemon"), 0);
	T_EXPECT_EQ(t_run_as(UNKNOWN_UID, UNKNOWN_UID, admin_refused,
			     "stranger"), 0);
	rc_session(&c, d.sock, "root");
	n = rc_list_lines(&c, lines, NLINES);
	T_EXPECT_EQ(n, NLINES);
	T_EXPECT_EQ(t_ctid_log_count(&d, "reload"), 0);
	rc_close(&c);
	stop();
}

/*
 * Events never leak: daemon watches A and B while root runs calls on C and
 * D (and C calls D); daemon must receive nothing at all, and then, when
 * root calls A from D, daemon sees A's side of it and only that.
 */
struct watch {
	struct t_sync sync;
};

static int watcher(void *arg)
{
	struct watch *w = arg;
	struct cti_wire_frame f;
	struct rc c;
	int rc, seen_a = 0;

	rc_session(&c, d.sock, "watcher");
	T_EXPECT_EQ(rc_open_line(&c, lines[A].line, CTI_WIRE_PRIV_OWNER), 0);
	T_EXPECT_EQ(rc_open_line(&c, lines[B].line, CTI_WIRE_PRIV_MONITOR), 0);
	t_signal(&w->sync);
	/* phase 1: root's calls between C and D */
	T_ASSERT(t_await(&w->sync, 20000), "no phase 2");
	while ((rc = rc_next_event(&c, &f, 300)) == 1) {
		T_EXPECT(0, "leak: %s on line %u",
			 cti_wire_type_name(f.hdr.type), f.u.call_state.line);
	}
	t_signal(&w->sync);
	/* phase 2: D calls A; see A's call states only */
	T_ASSERT(t_await(&w->sync, 20000), "no end");
	while ((rc = rc_next_event(&c, &f, 300)) == 1) {
		if (f.hdr.type == CTI_WIRE_EV_CALL_STATE ||
		    f.hdr.type == CTI_WIRE_EV_CALL_INFO) {
			T_EXPECT(f.u.call_state.line == lines[A].line,
				 "event of line %u", f.u.call_state.line);
			seen_a++;
		}
	}
	T_EXPECT(seen_a >= 2, "saw %d events of A's call", seen_a);
	rc_close(&c);
	return 0;
}

static void events_do_not_leak(void)
{
	struct watch w;
	struct rc c;
	uint32_t call;
	pid_t pid;
	int rc;

	start();
	T_ASSERT(t_sync_init(&w.sync) == 0, "pipe");
	pid = t_spawn_as(uid_daemon, gid_daemon, watcher, &w, &w.sync);
	T_ASSERT(pid > 0, "fork");
	T_ASSERT(t_await(&w.sync, 10000), "watcher not ready");
	rc_session(&c, d.sock, "root");
	T_ASSERT(rc_open_line(&c, lines[C].line, CTI_WIRE_PRIV_OWNER) == 0, "C");
	T_ASSERT(rc_open_line(&c, lines[D].line, CTI_WIRE_PRIV_OWNER) == 0, "D");
	rc = rc_command_sync(&c, CTI_CMD_MAKE_CALL, lines[C].line, 0, 0, 0, 0,
			     lines[D].addresses[0], &call);
	T_EXPECT_EQ(rc, 0);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_SET_DND, lines[D].line, 0, 0,
				    1, 0, NULL, NULL), 0);
	t_sleep_ms(300);
	if (call)
		rc_command_sync(&c, CTI_CMD_DROP, lines[C].line, call, 0, 0, 0,
				NULL, NULL);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_SET_DND, lines[D].line, 0, 0,
				    0, 0, NULL, NULL), 0);
	t_sleep_ms(200);
	t_signal(&w.sync);
	T_ASSERT(t_await(&w.sync, 10000), "watcher stuck");
	rc = rc_command_sync(&c, CTI_CMD_MAKE_CALL, lines[D].line, 0, 0, 0, 0,
			     lines[A].addresses[0], &call);
	T_EXPECT_EQ(rc, 0);
	t_sleep_ms(500);
	if (call)
		rc_command_sync(&c, CTI_CMD_DROP, lines[D].line, call, 0, 0, 0,
				NULL, NULL);
	t_sleep_ms(200);
	t_signal(&w.sync);
	T_EXPECT_EQ(t_wait(pid), 0);
	rc_close(&c);
	stop();
}

/*
 * A monitor sees an offered call but cannot answer or take it; the owner
 * can. Root owns B; daemon monitors B.
 */
struct offer {
	struct t_sync sync;
};

static int monitor_of_b(void *arg)
{
	struct offer *o = arg;
	struct cti_wire_frame f;
	uint32_t call = 0;
	struct rc c;
	int rc;

	rc_session(&c, d.sock, "monitor");
	T_EXPECT_EQ(rc_open_line(&c, lines[B].line, CTI_WIRE_PRIV_MONITOR), 0);
	t_signal(&o->sync);
	while ((rc = rc_next_event(&c, &f, 5000)) == 1) {
		if (f.hdr.type == CTI_WIRE_EV_CALL_STATE &&
		    f.u.call_state.state == CTI_CALL_OFFERING) {
			call = f.u.call_state.call;
			T_EXPECT_EQ(f.u.call_state.privilege,
				    CTI_WIRE_PRIV_MONITOR);
			break;
		}
	}
	T_ASSERT(call, "no OFFERING seen by the monitor (rc %d)", rc);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_ANSWER, lines[B].line, call, 0,
				    0, 0, NULL, NULL), -EPERM);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_DROP, lines[B].line, call, 0,
				    0, 0, NULL, NULL), -EPERM);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_REDIRECT, lines[B].line, call,
				    0, 0, 0, lines[A].addresses[0], NULL),
		    -EPERM);
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_SET_PRIVILEGE;
	f.u.set_privilege.line = lines[B].line;
	f.u.set_privilege.call = call;
	f.u.set_privilege.privilege = CTI_WIRE_PRIV_OWNER;
	rc = (int)rc_send(&c, &f);
	T_ASSERT(rc > 0, "send");
	rc = rc_wait_reply(&c, (uint64_t)rc, NULL, 5000);
	T_EXPECT(rc == -EACCES || rc == -EPERM,
		 "monitor-only user took ownership: %d", rc);
	t_signal(&o->sync);
	T_ASSERT(t_await(&o->sync, 10000), "owner did not finish");
	rc_close(&c);
	return 0;
}

static void monitor_cannot_control(void)
{
	struct cti_wire_frame f;
	struct offer o;
	struct rc c;
	uint32_t call, offered = 0;
	pid_t pid;
	int rc;

	start();
	T_ASSERT(t_sync_init(&o.sync) == 0, "pipe");
	pid = t_spawn_as(uid_daemon, gid_daemon, monitor_of_b, &o, &o.sync);
	T_ASSERT(t_await(&o.sync, 10000), "monitor not ready");
	rc_session(&c, d.sock, "root");
	T_ASSERT(rc_open_line(&c, lines[B].line, CTI_WIRE_PRIV_OWNER) == 0, "B");
	T_ASSERT(rc_open_line(&c, lines[D].line, CTI_WIRE_PRIV_OWNER) == 0, "D");
	rc = rc_command_sync(&c, CTI_CMD_MAKE_CALL, lines[D].line, 0, 0, 0, 0,
			     lines[B].addresses[0], &call);
	T_ASSERT(rc == 0, "make call: %d", rc);
	T_ASSERT(t_await(&o.sync, 15000), "monitor did not finish");
	/* the owner still has the call, offering, and answers it */
	while (rc_next_event(&c, &f, 2000) == 1)
		if (f.hdr.type == CTI_WIRE_EV_CALL_STATE &&
		    f.u.call_state.line == lines[B].line &&
		    f.u.call_state.state == CTI_CALL_OFFERING) {
			offered = f.u.call_state.call;
			T_EXPECT_EQ(f.u.call_state.privilege,
				    CTI_WIRE_PRIV_OWNER);
			break;
		}
	T_ASSERT(offered, "the owner saw no OFFERING");
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_ANSWER, lines[B].line, offered,
				    0, 0, 0, NULL, NULL), 0);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_DROP, lines[B].line, offered,
				    0, 0, 0, NULL, NULL), 0);
	t_signal(&o.sync);
	T_EXPECT_EQ(t_wait(pid), 0);
	rc_close(&c);
	stop();
}

/*
 * Hot-plug announcements follow visibility: when root reloads the sim,
 * daemon is told of A and B going and coming back, and of nothing else.
 */
static int hotplug_watcher(void *arg)
{
	struct watch *w = arg;
	struct cti_wire_frame f;
	unsigned int removed = 0, added = 0;
	struct rc c;
	int i;

	rc_session(&c, d.sock, "hotplug");
	t_signal(&w->sync);
	T_ASSERT(t_await(&w->sync, 20000), "no reload");
	while (rc_next_event(&c, &f, 500) == 1) {
		uint32_t id = f.hdr.type == CTI_WIRE_EV_LINE_REMOVED ?
			      f.u.line_removed.line :
			      f.hdr.type == CTI_WIRE_EV_LINE_ADDED ?
			      f.u.line.line : CTI_LINE_NONE;

		if (id == CTI_LINE_NONE)
			continue;
		for (i = 0; i < NLINES; i++) {
			if (lines[i].line != id)
				continue;
			T_EXPECT(i == A || i == B, "told of line %c", 'A' + i);
			if (f.hdr.type == CTI_WIRE_EV_LINE_REMOVED)
				removed |= 1u << i;
			else
				added |= 1u << i;
		}
	}
	T_EXPECT_EQ(removed, (1u << A) | (1u << B));
	T_EXPECT_EQ(added, (1u << A) | (1u << B));
	rc_close(&c);
	return 0;
}

static void hotplug_follows_visibility(void)
{
	struct watch w;
	struct rc c;
	pid_t pid;

	start();
	T_ASSERT(t_sync_init(&w.sync) == 0, "pipe");
	pid = t_spawn_as(uid_daemon, gid_daemon, hotplug_watcher, &w, &w.sync);
	T_ASSERT(pid > 0, "fork");
	T_ASSERT(t_await(&w.sync, 10000), "watcher not ready");
	rc_session(&c, d.sock, "root");
	T_ASSERT_EQ(rc_provider(&c, CTI_WIRE_PROVIDER_RELOAD, "sim"), 0);
	t_signal(&w.sync);
	T_EXPECT_EQ(t_wait(pid), 0);
	rc_close(&c);
	stop();
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(user_sees_only_its_lines),
		T_CASE(monitor_only_user),
		T_CASE(group_grants),
		T_CASE(group_grants_admin),
		T_CASE(unknown_uid_sees_nothing),
		T_CASE(non_admin_cannot_manage_providers),
		T_CASE(events_do_not_leak),
		T_CASE(monitor_cannot_control),
		T_CASE(hotplug_follows_visibility),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
