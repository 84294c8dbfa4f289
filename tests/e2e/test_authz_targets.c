// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_authz_targets: authorisation reaches every line a request touches, not only
 * the line it names (issue 6, hole 1; providers/cti_provider.h, "Rules").
 *
 * A user allowed one line must not act on others through a command's
 * data: unplug or plug them with the sim's DEV_SPECIFIC commands, pick up
 * their calls, or script the far end that every user's outside calls
 * reach. As in test_line_access, ctid runs as root and clients are forked
 * children that drop to other uids (daemon, bin), seen through
 * SO_PEERCRED:
 *
 *   line A  daemon owns it
 *   line B  daemon monitors it (visible, no right to control it)
 *   line C  daemon may pick up there (its pickup group), nothing else
 *   line D  bin owns it; invisible to daemon
 *   line E  bin owns it; invisible to daemon
 *   root owns every line and is admin
 *
 * A refused request answers ENOENT for a line the user may not see
 * (exactly as for a number that is no line) and EACCES for a visible line
 * without the right; the target is left untouched. The legitimate uses
 * still work: an owner's pickup, a pickup group's, an admin's script.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "rawclient.h"

enum { A, B, C, D, E, NLINES };

static struct t_ctid d;
static struct cti_wire_line lines[NLINES];	/* as root sees them */
static uid_t uid_daemon, uid_bin;
static gid_t gid_daemon, gid_bin;

/* The name ctid matches ACL patterns against. */
static const char *full_name(int i, char *buf, size_t size)
{
	const struct cti_wire_line *l = &lines[i];

	if (strchr(l->name, '/'))
		snprintf(buf, size, "%s", l->name);
	else
		snprintf(buf, size, "%s/%s", l->provider_name, l->name);
	return buf;
}

static const char *num(int i)
{
	return lines[i].addresses[0];
}

/*
 * Learn the lines' names from a first ctid with the default configuration,
 * then start the one under test with the ACL written in those names.
 */
static void start(void)
{
	char conf[2048], na[80], nb[80], nc[80], nd[80], ne[80];

	t_need_root();
	t_lookup_user("daemon", &uid_daemon, &gid_daemon);
	t_lookup_user("bin", &uid_bin, &gid_bin);
	T_ASSERT(t_ctid_start(&d, t_conf_default(NLINES, NULL)) == 0, "start");
	rc_root_lines(d.sock, lines, NLINES);
	T_ASSERT(t_ctid_stop(&d) == 0, "stop");

	snprintf(conf, sizeof(conf),
		 "[user daemon]\nlines = %s\nmonitor = %s\npickup = %s\n\n"
		 "[user bin]\nlines = %s, %s\n",
		 full_name(A, na, sizeof(na)), full_name(B, nb, sizeof(nb)),
		 full_name(C, nc, sizeof(nc)), full_name(D, nd, sizeof(nd)),
		 full_name(E, ne, sizeof(ne)));
	T_ASSERT(t_ctid_start(&d, t_conf_default(NLINES, conf)) == 0, "start");
	rc_root_lines(d.sock, lines, NLINES);
}

static void stop(void)
{
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

/* Root's session with every line open as owner. */
static void root_session(struct rc *c)
{
	rc_session(c, d.sock, "root");
	for (int i = 0; i < NLINES; i++)
		T_ASSERT_EQ(rc_open_line(c, lines[i].line, CTI_WIRE_PRIV_OWNER),
			    0);
}

/* Line @i as root sees it now; false if it is not listed (unplugged). */
static bool root_line(struct rc *c, int i, struct cti_wire_line *out)
{
	struct cti_wire_line got[16];
	int n = rc_list_lines(c, got, 16);

	T_ASSERT(n >= 0, "list: %s", strerror(-n));
	for (int j = 0; j < n && j < 16; j++)
		if (got[j].line == lines[i].line) {
			if (out)
				*out = got[j];
			return true;
		}
	return false;
}

/* Root rings line @to from line @from: the call rings on (no answer). */
static void ring(struct rc *c, int from, int to)
{
	struct cti_wire_line l;
	uint32_t before = root_line(c, to, &l) ? l.num_calls : 0;
	int64_t end = t_now_ms() + 5000;

	T_ASSERT_EQ(rc_command_sync(c, CTI_CMD_MAKE_CALL, lines[from].line, 0,
				    0, 0, 0, num(to), NULL), 0);
	while (root_line(c, to, &l) && l.num_calls == before &&
	       t_now_ms() < end)
		t_sleep_ms(10);
	T_ASSERT(l.num_calls == before + 1, "no call rings on line %c",
		 'A' + to);
}

/* The uid "daemon": owner of A only. */
static struct rc dc;

static void daemon_session(void)
{
	rc_session(&dc, d.sock, "daemon");
	T_ASSERT_EQ(rc_open_line(&dc, lines[A].line, CTI_WIRE_PRIV_OWNER), 0);
}

static int dev_specific(struct rc *c, int on, const char *fmt, int target)
{
	char text[64];

	snprintf(text, sizeof(text), fmt, num(target));
	return rc_command_sync(c, CTI_CMD_DEV_SPECIFIC, lines[on].line, 0, 0,
			       0, 0, text, NULL);
}

/* ---- unplug / plug another line ---- */

static int daemon_unplugs(void *arg)
{
	(void)arg;
	daemon_session();
	/* D: invisible, answered as if there were no such line */
	T_EXPECT_EQ(dev_specific(&dc, A, "unplug %s", D), -ENOENT);
	/* B: visible, but only to monitor */
	T_EXPECT_EQ(dev_specific(&dc, A, "unplug %s", B), -EACCES);
	/* E was unplugged by root: plugging lines back is for admins */
	T_EXPECT_EQ(dev_specific(&dc, A, "plug %s", E), -EACCES);
	rc_close(&dc);
	return 0;
}

static void unplug_other_line_refused(void)
{
	struct rc c;

	start();
	root_session(&c);
	T_ASSERT_EQ(dev_specific(&c, E, "unplug", E), 0);
	T_ASSERT(!root_line(&c, E, NULL), "E still there");
	T_EXPECT_EQ(t_run_as(uid_daemon, gid_daemon, daemon_unplugs, NULL), 0);
	T_EXPECT(root_line(&c, B, NULL), "B was unplugged");
	T_EXPECT(root_line(&c, D, NULL), "D was unplugged");
	T_EXPECT(!root_line(&c, E, NULL), "E was plugged back");
	/* the admin who owns every line may */
	T_EXPECT_EQ(dev_specific(&c, A, "plug %s", E), 0);
	T_EXPECT_EQ(dev_specific(&c, A, "unplug %s", D), 0);
	t_sleep_ms(100);
	T_EXPECT(root_line(&c, E, NULL), "E not back");
	T_EXPECT(!root_line(&c, D, NULL), "D not gone");
	rc_close(&c);
	stop();
}

/* ---- pickup ---- */

static int daemon_picks_up_forbidden(void *arg)
{
	(void)arg;
	daemon_session();
	T_EXPECT_EQ(rc_command_sync(&dc, CTI_CMD_PICKUP, lines[A].line, 0, 0,
				    0, 0, num(D), NULL), -ENOENT);
	T_EXPECT_EQ(rc_command_sync(&dc, CTI_CMD_PICKUP, lines[A].line, 0, 0,
				    0, 0, num(B), NULL), -EACCES);
	/* group pickup skips both: nothing this user may pick up rings */
	T_EXPECT_EQ(rc_command_sync(&dc, CTI_CMD_PICKUP, lines[A].line, 0, 0,
				    0, 0, "", NULL), -ENOENT);
	rc_close(&dc);
	return 0;
}

static void pickup_other_line_refused(void)
{
	struct cti_wire_line l;
	struct rc c;

	start();
	root_session(&c);
	ring(&c, E, D);
	ring(&c, E, B);
	T_EXPECT_EQ(t_run_as(uid_daemon, gid_daemon, daemon_picks_up_forbidden,
			     NULL), 0);
	/* both calls ring on where they rang */
	T_EXPECT(root_line(&c, D, &l) && l.num_calls == 1, "D lost its call");
	T_EXPECT(root_line(&c, B, &l) && l.num_calls == 1, "B lost its call");
	T_EXPECT(root_line(&c, A, &l) && l.num_calls == 0, "A has a call");
	rc_close(&c);
	stop();
}

static int daemon_picks_up_group(void *arg)
{
	uint32_t call = 0;

	(void)arg;
	daemon_session();
	T_EXPECT_EQ(rc_command_sync(&dc, CTI_CMD_PICKUP, lines[A].line, 0, 0,
				    0, 0, num(C), &call), 0);
	T_EXPECT(call != 0, "no call");
	rc_close(&dc);
	return 0;
}

static int daemon_picks_up_any(void *arg)
{
	uint32_t call = 0;

	(void)arg;
	daemon_session();
	/* the oldest call rings on D (not its group): C's is taken */
	T_EXPECT_EQ(rc_command_sync(&dc, CTI_CMD_PICKUP, lines[A].line, 0, 0,
				    0, 0, "", &call), 0);
	T_EXPECT(call != 0, "no call");
	rc_close(&dc);
	return 0;
}

static void pickup_group_allowed(void)
{
	struct cti_wire_line l;
	struct rc c;

	start();
	root_session(&c);
	ring(&c, E, C);
	T_EXPECT_EQ(t_run_as(uid_daemon, gid_daemon, daemon_picks_up_group,
			     NULL), 0);
	T_EXPECT(root_line(&c, C, &l) && l.num_calls == 0, "C kept its call");
	/* group pickup: skips D's older call, takes C's */
	ring(&c, E, D);
	ring(&c, B, C);
	T_EXPECT_EQ(t_run_as(uid_daemon, gid_daemon, daemon_picks_up_any, NULL),
		    0);
	T_EXPECT(root_line(&c, C, &l) && l.num_calls == 0, "C kept its call");
	T_EXPECT(root_line(&c, D, &l) && l.num_calls == 1, "D lost its call");
	rc_close(&c);
	stop();
}

static int bin_picks_up_own(void *arg)
{
	struct rc c;
	uint32_t call = 0;

	(void)arg;
	rc_session(&c, d.sock, "bin");
	T_ASSERT_EQ(rc_open_line(&c, lines[D].line, CTI_WIRE_PRIV_OWNER), 0);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_PICKUP, lines[D].line, 0, 0,
				    0, 0, num(E), &call), 0);
	T_EXPECT(call != 0, "no call");
	rc_close(&c);
	return 0;
}

static void pickup_own_line_allowed(void)
{
	struct cti_wire_line l;
	struct rc c;

	start();
	root_session(&c);
	ring(&c, A, E);
	T_EXPECT_EQ(t_run_as(uid_bin, gid_bin, bin_picks_up_own, NULL), 0);
	T_EXPECT(root_line(&c, E, &l) && l.num_calls == 0, "E kept its call");
	T_EXPECT(root_line(&c, D, &l) && l.num_calls == 1, "D has no call");
	rc_close(&c);
	stop();
}

/* ---- the far end's script: switch-wide, admins only ---- */

/* Call @number from line @on and return the first state after DIALING. */
static uint32_t outside_call_state(struct rc *c, int on, const char *number)
{
	struct cti_wire_frame f;
	uint32_t call = 0;

	T_ASSERT_EQ(rc_command_sync(c, CTI_CMD_MAKE_CALL, lines[on].line, 0, 0,
				    0, 0, number, &call), 0);
	while (rc_next_event(c, &f, 3000) == 1)
		if (f.hdr.type == CTI_WIRE_EV_CALL_STATE &&
		    f.u.call_state.call == call &&
		    f.u.call_state.state != CTI_CALL_DIALING) {
			rc_command_sync(c, CTI_CMD_DROP, lines[on].line, call,
					0, 0, 0, NULL, NULL);
			return f.u.call_state.state;
		}
	T_ASSERT(0, "no state of call %u", call);
	return 0;
}

static int daemon_scripts(void *arg)
{
	(void)arg;
	daemon_session();
	T_EXPECT_EQ(rc_command_sync(&dc, CTI_CMD_DEV_SPECIFIC, lines[A].line,
				    0, 0, 0, 0, "script 5550002 busy", NULL),
		    -EACCES);
	/* the admin's script holds; the refused one changed nothing */
	T_EXPECT_EQ(outside_call_state(&dc, A, "5550001"), CTI_CALL_BUSY);
	T_EXPECT_EQ(outside_call_state(&dc, A, "5550002"), CTI_CALL_RINGBACK);
	rc_close(&dc);
	return 0;
}

static void script_is_admin_only(void)
{
	struct rc c;

	start();
	root_session(&c);
	T_ASSERT_EQ(rc_command_sync(&c, CTI_CMD_DEV_SPECIFIC, lines[E].line,
				    0, 0, 0, 0, "script 5550001 busy", NULL), 0);
	T_EXPECT_EQ(t_run_as(uid_daemon, gid_daemon, daemon_scripts, NULL), 0);
	rc_close(&c);
	stop();
}

/* ---- dialling reaches any line, as on a phone ---- */

static int daemon_dials(void *arg)
{
	uint32_t call = 0;

	(void)arg;
	daemon_session();
	T_EXPECT_EQ(rc_command_sync(&dc, CTI_CMD_MAKE_CALL, lines[A].line, 0,
				    0, 0, 0, num(D), &call), 0);
	T_EXPECT(call != 0, "no call");
	rc_close(&dc);
	return 0;
}

static void dial_invisible_line_allowed(void)
{
	struct cti_wire_line l;
	struct rc c;

	start();
	root_session(&c);
	T_EXPECT_EQ(t_run_as(uid_daemon, gid_daemon, daemon_dials, NULL), 0);
	/* it rings there */
	T_EXPECT(root_line(&c, D, &l) && l.num_calls == 1, "no call on D");
	rc_close(&c);
	stop();
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(unplug_other_line_refused),
		T_CASE(pickup_other_line_refused),
		T_CASE(pickup_group_allowed),
		T_CASE(pickup_own_line_allowed),
		T_CASE(script_is_admin_only),
		T_CASE(dial_invisible_line_allowed),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
