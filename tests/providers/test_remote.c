// SPDX-License-Identifier: GPL-2.0
/*
 * test_remote: a desktop ctid (providers/remote) using a server ctid's
 * lines (sim) through a test proxy on loopback that breaks the link on
 * command (tests/providers/proxy.c). Programs on the desktop are raw wire
 * clients, so what they see is checked frame by frame:
 *
 *  - the server's lines appear as hq/PROVIDER/LINE, calls work through;
 *  - server-side rights that exclude a line hide it on the desktop, also
 *    when they change while the desktop is connected; the desktop's own
 *    rules narrow further;
 *  - a broken link puts the lines OUT_OF_SERVICE; a command in flight
 *    fails with ECONNRESET, one sent during the outage with ENOTCONN, at
 *    once;
 *  - stall, drop and a cut in the middle of a frame, while the server's
 *    calls come and go: the desktop sees exactly the server's CALL_STATE
 *    sequence (nothing lost, nothing twice) with contiguous seqs;
 *  - the server killed with -9 and restarted, or an outage longer than its
 *    replay log: the desktop is brought in line (calls that ended are
 *    IDLE, calls that began are shown), the lines come back.
 */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"
#include "proxy.h"
#include "rawclient.h"

#define NLINES 4

static int desk_calls(struct rc *c, uint32_t line);

struct rig {
	struct t_ctid srv, desk;
	struct proxy *px;
	char proxy_sock[256];
};

static const char *me(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw ? pw->pw_name : "root";
}

/* The server: sim with ext100..ext103, our user limited to @lines. */
static const char *srv_conf(const char *lines, const char *server_keys)
{
	static char buf[2048];

	snprintf(buf, sizeof(buf),
		 "[server]\nsocket = @SOCK@\nsocket_mode = 0666\nprovider_dir = @PROVIDERS@\n%s\n"
		 "[provider sim]\nso = sim\nlines = %d\n\n"
		 "[user %s]\nlines = %s\nadmin = yes\n",
		 server_keys ? server_keys : "", NLINES, me(), lines);
	return buf;
}

/*
 * The desktop: the remote provider "hq" through the proxy, quick timers;
 * the first address leads nowhere, so every test also tries the next.
 * Our user may use @lines there; admin only with all of them ("*").
 */
static const char *desk_conf(const char *proxy_sock, const char *lines)
{
	static char buf[2048];

	snprintf(buf, sizeof(buf),
		 "[server]\nsocket = @SOCK@\nsocket_mode = 0666\nprovider_dir = @PROVIDERS@\n\n"
		 "[provider hq]\nso = remote\naddress = unix:%s.absent, unix:%s\n"
		 "keepalive_ms = 100\ndead_ms = 500\nretry_min_ms = 20\nretry_max_ms = 200\n\n"
		 "[user %s]\nlines = %s\nadmin = %s\n",
		 proxy_sock, proxy_sock, me(), lines, strchr(lines, '*') ? "yes" : "no");
	return buf;
}

/* Lines listed on @sock and IN_SERVICE; -errno on failure. */
static int count_lines(const char *sock, struct cti_wire_line *out, size_t max, bool in_service)
{
	struct cti_wire_line lines[32];
	struct rc c;
	int n, ok = 0;

	if (rc_connect(&c, sock) || rc_hello(&c, "count", 0, 0)) {
		rc_close(&c);
		return -ECONNREFUSED;
	}
	n = rc_list_lines(&c, lines, 32);
	rc_close(&c);
	if (n < 0)
		return n;
	for (int i = 0; i < n && i < 32; i++) {
		if (in_service && lines[i].status != CTI_LINE_IN_SERVICE)
			continue;
		if (out && (size_t)ok < max)
			out[ok] = lines[i];
		ok++;
	}
	return ok;
}

static bool wait_lines(const char *sock, int want, int ms)
{
	int64_t end = t_now_ms() + ms;

	while (t_now_ms() < end) {
		if (count_lines(sock, NULL, 0, true) == want)
			return true;
		t_sleep_ms(20);
	}
	return false;
}

static void rig_up_with(struct rig *r, const char *srv, const char *desk_lines, int want)
{
	memset(r, 0, sizeof(*r));
	T_ASSERT(t_ctid_start(&r->srv, srv) == 0, "server ctid starts");
	snprintf(r->proxy_sock, sizeof(r->proxy_sock), "%s/proxy.sock", r->srv.dir);
	r->px = proxy_start(r->proxy_sock, r->srv.sock);
	T_ASSERT(r->px, "proxy starts");
	T_ASSERT(t_ctid_start(&r->desk, desk_conf(r->proxy_sock, desk_lines)) == 0,
		 "desktop ctid starts");
	if (!wait_lines(r->desk.sock, want, 5000)) {
		t_ctid_dump_log(&r->desk);
		T_ASSERT(0, "the desktop shows %d lines in service", want);
	}
}

static void rig_up(struct rig *r)
{
	rig_up_with(r, srv_conf("*", NULL), "*", NLINES);
}

/*
 * What the desktop's ctid says of the provider's manners: a request
 * completed twice (or one it never gave) and a record it refused are
 * provider bugs, whatever the programs saw.
 */
static void check_manners(struct t_ctid *desk)
{
	T_EXPECT_EQ(t_ctid_log_count(desk, "which is unknown or timed out"), 0);
	T_EXPECT_EQ(t_ctid_log_count(desk, " refused: "), 0);	/* a record, not a connection */
}

static void rig_down(struct rig *r)
{
	check_manners(&r->desk);
	T_EXPECT(t_ctid_stop(&r->desk) == 0, "desktop ctid exits cleanly");
	proxy_stop(r->px);
	T_EXPECT(t_ctid_stop(&r->srv) == 0, "server ctid exits cleanly");
}

static void client(struct rc *c, const char *sock, const char *name)
{
	T_ASSERT(rc_connect(c, sock) == 0, "connect %s", sock);
	T_ASSERT(rc_hello(c, name, 0, 0) == 0, "HELLO");
}

/* Wait for EV_LINE_STATUS of @line with @status; frames on the way dropped. */
static bool wait_status(struct rc *c, uint32_t line, uint32_t status, int ms)
{
	int64_t end = t_now_ms() + ms;
	struct cti_wire_frame f;

	while (t_now_ms() < end) {
		int rc = rc_next_event(c, &f, (int)(end - t_now_ms()));

		if (rc <= 0)
			return false;
		if (f.hdr.type == CTI_WIRE_EV_LINE_STATUS && f.u.line_status.line == line &&
		    f.u.line_status.status == status)
			return true;
	}
	return false;
}

/* Wait for the provider-wide EV_LINK_STATE of "hq" (the server up/down). */
static bool wait_link(struct rc *c, uint32_t state, int ms)
{
	int64_t end = t_now_ms() + ms;
	struct cti_wire_frame f;

	while (t_now_ms() < end) {
		if (rc_next_event(c, &f, (int)(end - t_now_ms())) <= 0)
			return false;
		if (f.hdr.type == CTI_WIRE_EV_LINK_STATE && f.u.link_state.line == CTI_LINE_NONE &&
		    !strcmp(f.u.link_state.provider_name, "hq") && f.u.link_state.state == state)
			return true;
	}
	return false;
}

static void remote_lines_and_calls(void)
{
	struct cti_wire_line lines[8];
	struct cti_wire_frame f;
	struct rig r;
	struct rc d, s;
	uint32_t l100, call = 0;
	int n, states = 0;

	rig_up(&r);
	n = count_lines(r.desk.sock, lines, 8, true);
	T_ASSERT_EQ(n, NLINES);
	for (int i = 0; i < n; i++) {
		T_EXPECT(!strcmp(lines[i].provider_name, "hq"), "provider %s", lines[i].provider_name);
		T_EXPECT(!strncmp(lines[i].name, "sim/ext10", 9), "name %s", lines[i].name);
	}
	client(&d, r.desk.sock, "desk");
	client(&s, r.srv.sock, "srv");
	l100 = rc_line_of_number(&d, "100");
	T_ASSERT(l100 != CTI_LINE_NONE, "line 100 on the desktop");
	T_ASSERT_EQ(rc_open_line(&d, l100, CTI_PRIV_OWNER), 0);
	T_ASSERT_EQ(rc_open_line(&s, rc_line_of_number(&s, "100"), CTI_PRIV_MONITOR), 0);
	T_ASSERT_EQ(rc_command_sync(&d, CTI_CMD_MAKE_CALL, l100, 0, 0, 0, 0, "101", &call), 0);
	T_EXPECT(call != CTI_CALL_NONE, "REPLY carries the call");
	/* the server's handle passes through: the server's own client sees it */
	while (rc_next_event(&s, &f, 1000) == 1)
		if (f.hdr.type == CTI_WIRE_EV_CALL_STATE && f.u.call_state.call == call)
			states++;
	T_EXPECT(states >= 2, "the server saw call %u (%d states)", call, states);
	T_EXPECT_EQ(rc_command_sync(&d, CTI_CMD_DROP, l100, call, 0, 0, 0, NULL, NULL), 0);
	/* a bad number is refused as the server would: EINVAL */
	T_EXPECT_EQ(rc_command_sync(&d, CTI_CMD_MAKE_CALL, l100, 0, 0, 0, 0, "", NULL), -EINVAL);
	rc_close(&d);
	rc_close(&s);
	/* a desktop that stops says BYE: the server need not keep its session */
	T_EXPECT(t_ctid_stop(&r.desk) == 0, "desktop ctid exits cleanly");
	T_EXPECT(t_ctid_log_wait(&r.srv, "closed: BYE", 1, 2000) == 1, "the server got BYE");
	proxy_stop(r.px);
	T_EXPECT(t_ctid_stop(&r.srv) == 0, "server ctid exits cleanly");
}

/* Give our user @lines on the server, and SIGHUP it. */
static void srv_rights(struct rig *r, const char *lines)
{
	char cmd[1024];
	FILE *fp = fopen(r->srv.conf, "w");

	T_ASSERT(fp, "rewrite the server's config");
	fputs(srv_conf(lines, NULL), fp);
	fclose(fp);
	/* the harness filled the placeholders once: fill them again */
	snprintf(cmd, sizeof(cmd), "sed -i 's|@SOCK@|%s|; s|@PROVIDERS@|%s|' %s",
		 r->srv.sock, t_provider_dir(), r->srv.conf);
	T_ASSERT(system(cmd) == 0, "sed");
	kill(r->srv.pid, SIGHUP);
}

static void remote_server_rights_exclude_line(void)
{
	struct cti_wire_line lines[8];
	struct rig r;
	int n;

	rig_up_with(&r, srv_conf("sim/ext100, sim/ext101, sim/ext102", NULL), "*", 3);
	n = count_lines(r.desk.sock, lines, 8, false);
	T_ASSERT_EQ(n, 3);
	for (int i = 0; i < n; i++)
		T_EXPECT(strcmp(lines[i].addresses[0], "103"), "line 103 is hidden");
	/* the server takes ext102 away while the desktop is connected */
	srv_rights(&r, "sim/ext100, sim/ext101");
	T_EXPECT(wait_lines(r.desk.sock, 2, 5000), "the desktop drops line 102");
	n = count_lines(r.desk.sock, lines, 8, false);
	for (int i = 0; i < n && i < 8; i++)
		T_EXPECT(strcmp(lines[i].addresses[0], "102"), "line 102 is gone");
	/*
	 * and gives 102 and 103 back: the server announces no line that a
	 * SIGHUP makes visible, so they appear with the next listing, here
	 * a reload of the instance on the desktop
	 */
	srv_rights(&r, "*");
	t_sleep_ms(300);
	{
		struct rc c;

		client(&c, r.desk.sock, "admin");
		T_EXPECT_EQ(rc_provider(&c, CTI_WIRE_PROVIDER_RELOAD, "hq"), 0);
		rc_close(&c);
	}
	T_EXPECT(wait_lines(r.desk.sock, NLINES, 5000), "the desktop shows all 4 again");
	rig_down(&r);
}

/* The server unloads and loads its sim: the lines go and come back. */
static void remote_server_lines_come_and_go(void)
{
	struct rig r;
	struct rc s;

	rig_up(&r);
	client(&s, r.srv.sock, "admin");
	T_ASSERT_EQ(rc_provider(&s, CTI_WIRE_PROVIDER_UNLOAD, "sim"), 0);
	T_EXPECT(wait_lines(r.desk.sock, 0, 5000), "the desktop drops the lines");
	T_EXPECT_EQ(count_lines(r.desk.sock, NULL, 0, false), 0);
	T_ASSERT_EQ(rc_provider(&s, CTI_WIRE_PROVIDER_LOAD, "sim"), 0);
	T_EXPECT(wait_lines(r.desk.sock, NLINES, 5000), "and shows them again");
	rc_close(&s);
	rig_down(&r);
}

static void remote_desktop_rules_narrow(void)
{
	struct cti_wire_line lines[8];
	struct rig r;

	rig_up_with(&r, srv_conf("*", NULL), "hq/sim/ext101", 1);
	T_ASSERT_EQ(count_lines(r.desk.sock, lines, 8, false), 1);
	T_EXPECT(!strcmp(lines[0].addresses[0], "101"), "only 101: %s", lines[0].addresses[0]);
	rig_down(&r);
}

/*
 * What a command's data reaches is vetted with the desktop user's rights
 * before it leaves the desktop: this user may use hq/sim/ext100 only and
 * is no admin on the desktop (the server would allow everything).
 */
static void remote_desktop_vets_reach(void)
{
	struct rig r;
	struct rc d, s;
	uint32_t l100, l101, l102, call = 0;

	rig_up_with(&r, srv_conf("*", NULL), "hq/sim/ext100", 1);
	client(&d, r.desk.sock, "desk");
	client(&s, r.srv.sock, "server-side");
	l100 = rc_line_of_number(&d, "100");
	T_ASSERT_EQ(rc_open_line(&d, l100, CTI_PRIV_OWNER), 0);
	/* 101 rings (called from 102 on the server): the server would let us take it */
	l102 = rc_line_of_number(&s, "102");
	T_ASSERT_EQ(rc_open_line(&s, l102, CTI_PRIV_OWNER), 0);
	T_ASSERT_EQ(rc_command_sync(&s, CTI_CMD_MAKE_CALL, l102, 0, 0, 0, 0, "101", NULL), 0);
	t_sleep_ms(100);
	/* taking a call from a line it may not see: as if 101 did not exist */
	T_EXPECT_EQ(rc_command_sync(&d, CTI_CMD_PICKUP, l100, 0, 0, 0, 0, "101", NULL), -ENOENT);
	l101 = rc_line_of_number(&s, "101");
	T_ASSERT_EQ(rc_open_line(&s, l101, CTI_PRIV_MONITOR), 0);
	T_EXPECT_EQ(desk_calls(&s, l101), 1);	/* still ringing there */
	/* group pickup: the server would choose among lines: admins only */
	T_EXPECT_EQ(rc_command_sync(&d, CTI_CMD_PICKUP, l100, 0, 0, 0, 0, "", NULL), -EACCES);
	/* opaque to the desktop, could reach anything on the server's switch */
	T_EXPECT_EQ(rc_command_sync(&d, CTI_CMD_DEV_SPECIFIC, l100, 0, 0, 0, 0, "x", NULL), -EACCES);
	/* ringing another line is what any phone may do */
	T_EXPECT_EQ(rc_command_sync(&d, CTI_CMD_MAKE_CALL, l100, 0, 0, 0, 0, "101", &call), 0);
	T_EXPECT_EQ(rc_command_sync(&d, CTI_CMD_DROP, l100, call, 0, 0, 0, NULL, NULL), 0);
	rc_close(&d);
	rc_close(&s);
	rig_down(&r);
}

/* Lines of @sock's ctid by provider name and status. */
static int lines_of(const char *sock, const char *provider, uint32_t status)
{
	struct cti_wire_line lines[32];
	int n = count_lines(sock, lines, 32, false), k = 0;

	for (int i = 0; i < n && i < 32; i++)
		k += !strcmp(lines[i].provider_name, provider) && lines[i].status == status;
	return k;
}

/*
 * Two servers, two instances: each server's lines under its own name, and
 * one server down leaves the other's lines alone.
 */
static void remote_two_servers(void)
{
	struct t_ctid s1, s2, desk;
	char conf[2048];
	int64_t end;

	T_ASSERT(t_ctid_start(&s1, srv_conf("*", NULL)) == 0, "server 1");
	T_ASSERT(t_ctid_start(&s2, srv_conf("sim/ext100", NULL)) == 0, "server 2");
	snprintf(conf, sizeof(conf),
		 "[server]\nsocket = @SOCK@\nsocket_mode = 0666\nprovider_dir = @PROVIDERS@\n\n"
		 "[provider hq]\nso = remote\naddress = unix:%s\nkeepalive_ms = 100\ndead_ms = 500\n\n"
		 "[provider branch]\nso = remote\naddress = unix:%s\nkeepalive_ms = 100\ndead_ms = 500\n"
		 "retry_min_ms = 20\nretry_max_ms = 100\n\n"
		 "[user %s]\nlines = *\nadmin = yes\n", s1.sock, s2.sock, me());
	T_ASSERT(t_ctid_start(&desk, conf) == 0, "desktop");
	T_EXPECT(wait_lines(desk.sock, NLINES + 1, 5000), "4 lines of hq and 1 of branch");
	T_EXPECT_EQ(lines_of(desk.sock, "hq", CTI_LINE_IN_SERVICE), NLINES);
	T_EXPECT_EQ(lines_of(desk.sock, "branch", CTI_LINE_IN_SERVICE), 1);
	t_ctid_kill9(&s2);
	for (end = t_now_ms() + 3000; t_now_ms() < end; t_sleep_ms(20))
		if (lines_of(desk.sock, "branch", CTI_LINE_OUT_OF_SERVICE) == 1)
			break;
	T_EXPECT_EQ(lines_of(desk.sock, "branch", CTI_LINE_OUT_OF_SERVICE), 1);
	T_EXPECT_EQ(lines_of(desk.sock, "hq", CTI_LINE_IN_SERVICE), NLINES);
	T_ASSERT(t_ctid_restart(&s2) == 0, "server 2 restarts");
	T_EXPECT(wait_lines(desk.sock, NLINES + 1, 5000), "branch is back");
	check_manners(&desk);
	if (t_failed())
		t_ctid_dump_log(&desk);
	T_EXPECT(t_ctid_stop(&desk) == 0, "desktop exits cleanly");
	t_ctid_stop(&s2);
	t_ctid_stop(&s1);
}

static void remote_outage_fails_fast(void)
{
	struct cti_wire_frame f;
	struct rig r;
	struct rc d;
	uint32_t l100;
	int64_t t0, id;
	int err;

	rig_up(&r);
	client(&d, r.desk.sock, "desk");
	l100 = rc_line_of_number(&d, "100");
	T_ASSERT_EQ(rc_open_line(&d, l100, CTI_PRIV_OWNER), 0);

	/* in flight when the link stalls: ECONNRESET once the link is dead */
	proxy_stall(r.px, true);
	t_sleep_ms(50);
	id = rc_command(&d, CTI_CMD_MAKE_CALL, l100, 0, 0, 0, 0, "101");
	T_ASSERT(id > 0, "MAKE_CALL sent");
	err = rc_wait_reply(&d, (uint64_t)id, &f, 3000);
	T_EXPECT_EQ(err, -ECONNRESET);
	T_EXPECT(wait_status(&d, l100, CTI_LINE_OUT_OF_SERVICE, 2000), "line out of service");
	T_EXPECT(wait_link(&d, CTI_LINK_DOWN, 1000), "the server shows as down");

	/* during the outage: ENOTCONN at once */
	proxy_refuse(r.px, true);
	proxy_stall(r.px, false);
	t0 = t_now_ms();
	err = rc_command_sync(&d, CTI_CMD_MAKE_CALL, l100, 0, 0, 0, 0, "101", NULL);
	T_EXPECT_EQ(err, -ENOTCONN);
	T_EXPECT(t_now_ms() - t0 < 200, "refused within %lld ms", (long long)(t_now_ms() - t0));

	/* the server is back: the line too, and calls work */
	proxy_refuse(r.px, false);
	T_EXPECT(wait_status(&d, l100, CTI_LINE_IN_SERVICE, 5000), "line back in service");
	T_EXPECT(wait_link(&d, CTI_LINK_UP, 1000), "the server shows as up");
	T_EXPECT_EQ(rc_command_sync(&d, CTI_CMD_MAKE_CALL, l100, 0, 0, 0, 0, "101", NULL), 0);
	rc_close(&d);
	rig_down(&r);
}

/*
 * The link of provider @name as LIST_PROVIDERS on @sock shows it, to a
 * client that asks for CTI_WIRE_FEAT_LINK or (@feat_link false) not;
 * @state gets its state. -errno on failure, -ENOENT if it is not listed.
 */
static int listed_link(const char *sock, const char *name, bool feat_link, uint32_t *state)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_HELLO };
	int ret = -ENOENT;
	struct rc c;
	int64_t id;

	if (rc_connect(&c, sock))
		return -ECONNREFUSED;
	f.u.hello.version = CTI_WIRE_VERSION;
	f.u.hello.features = CTI_WIRE_FEAT_ALL | (feat_link ? CTI_WIRE_FEAT_LINK : 0);
	snprintf(f.u.hello.client_name, sizeof(f.u.hello.client_name), "links");
	if (rc_send(&c, &f) < 0 || rc_wait_type(&c, CTI_WIRE_HELLO_ACK, &f, 5000) != 1) {
		rc_close(&c);
		return -EPROTO;
	}
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_LIST_PROVIDERS;
	id = rc_send(&c, &f);
	while (id > 0 && rc_recv(&c, &f, 2000) == 1 && f.hdr.id == (uint64_t)id) {
		if (f.hdr.type == CTI_WIRE_PROVIDER && !strcmp(f.u.provider.name, name)) {
			*state = f.u.provider.state;
			ret = (int)f.u.provider.link;
		}
		if (f.hdr.type != CTI_WIRE_PROVIDER)
			break;
	}
	rc_close(&c);
	return ret;
}

/*
 * The server's up/down is the remote provider's link state in the
 * desktop's provider listing: the provider stays loaded (state UP) while
 * its link is DOWN; a client that did not ask for the field gets 0.
 */
static void remote_link_in_provider_list(void)
{
	struct rig r;
	struct rc d;
	uint32_t state = 99;

	rig_up(&r);
	client(&d, r.desk.sock, "desk");
	T_EXPECT_EQ(listed_link(r.desk.sock, "hq", true, &state), CTI_WIRE_LINK_UP);
	T_EXPECT_EQ(state, CTI_WIRE_PROVIDER_UP);
	T_EXPECT_EQ(listed_link(r.desk.sock, "hq", false, &state), CTI_WIRE_LINK_NONE);
	/* the server's own sim has no link to report */
	T_EXPECT_EQ(listed_link(r.srv.sock, "sim", true, &state), CTI_WIRE_LINK_NONE);
	proxy_refuse(r.px, true);
	proxy_drop(r.px);
	T_EXPECT(wait_link(&d, CTI_LINK_DOWN, 3000), "the server shows as down");
	state = 99;
	T_EXPECT_EQ(listed_link(r.desk.sock, "hq", true, &state), CTI_WIRE_LINK_DOWN);
	T_EXPECT_EQ(state, CTI_WIRE_PROVIDER_UP);
	proxy_refuse(r.px, false);
	T_EXPECT(wait_link(&d, CTI_LINK_UP, 5000), "the server shows as up");
	T_EXPECT_EQ(listed_link(r.desk.sock, "hq", true, &state), CTI_WIRE_LINK_UP);
	rc_close(&d);
	rig_down(&r);
}

/* CALL_STATE events as (number, call, state), in order. */
struct seen {
	char num[8][CTI_NUMBER_MAX];
	uint32_t ids[8];
	int nlines;
	uint32_t ev[4096][3];
	int n;
	uint64_t last_seq;
	int seq_errors, markers;
};

static void seen_lines(struct seen *sn, struct rc *c, const char *const *nums, int k)
{
	memset(sn, 0, sizeof(*sn));
	for (int i = 0; i < k; i++) {
		snprintf(sn->num[i], sizeof(sn->num[i]), "%s", nums[i]);
		sn->ids[i] = rc_line_of_number(c, nums[i]);
		T_ASSERT(sn->ids[i] != CTI_LINE_NONE, "line %s", nums[i]);
		T_ASSERT_EQ(rc_open_line(c, sn->ids[i], CTI_PRIV_MONITOR), 0);
	}
	sn->nlines = k;
}

static void seen_take(struct seen *sn, const struct cti_wire_frame *f)
{
	if (f->hdr.type == CTI_WIRE_GAP || f->hdr.type == CTI_WIRE_RESYNC)
		sn->markers++;
	if (!cti_wire_type_is_event(f->hdr.type))
		return;
	if (sn->last_seq && f->hdr.id != sn->last_seq + 1)
		sn->seq_errors++;
	sn->last_seq = f->hdr.id;
	if (f->hdr.type != CTI_WIRE_EV_CALL_STATE || sn->n == 4096)
		return;
	for (int i = 0; i < sn->nlines; i++)
		if (sn->ids[i] == f->u.call_state.line) {
			sn->ev[sn->n][0] = (uint32_t)atoi(sn->num[i]);
			sn->ev[sn->n][1] = f->u.call_state.call;
			sn->ev[sn->n][2] = f->u.call_state.state;
			sn->n++;
		}
}

static void seen_drain(struct seen *sn, struct rc *c, int quiet_ms)
{
	struct cti_wire_frame f;

	while (rc_next_event(c, &f, quiet_ms) == 1)
		seen_take(sn, &f);
}

enum fault { F_STALL, F_DROP, F_CUT };

static void fault(struct rig *r, enum fault kind)
{
	switch (kind) {
	case F_STALL:
		proxy_stall(r->px, true);	/* undone after the burst */
		break;
	case F_DROP:
		proxy_drop(r->px);
		break;
	case F_CUT:
		proxy_cut(r->px);
		break;
	}
}

/*
 * Calls come and go on the server (its own client calls the sim's far end
 * from ext102 and ext103 and hangs up) while @kind breaks the desktop's
 * link in the middle. A monitor on the server and one on the desktop must
 * see the same CALL_STATE sequence, and the desktop's seqs must run
 * without a hole. (Far-end calls: a call between two lines would leave
 * its DISCONNECTED half to the line's owner, which on the server is the
 * desktop's session: README.md, ownership.)
 */
static void churn_round(struct rc *s, const uint32_t *lines)
{
	uint32_t calls[2];

	for (int i = 0; i < 2; i++)
		T_ASSERT_EQ(rc_command_sync(s, CTI_CMD_MAKE_CALL, lines[i], 0, 0, 0, 0,
					    "5551234", &calls[i]), 0);
	t_sleep_ms(10);
	for (int i = 0; i < 2; i++)
		T_ASSERT_EQ(rc_command_sync(s, CTI_CMD_DROP, lines[i], calls[i], 0, 0, 0,
					    NULL, NULL), 0);
}

static void churn(enum fault kind)
{
	static const char *const nums[] = { "102", "103" };
	static struct seen on_srv, on_desk;
	struct rig r;
	struct rc s, m, d;
	uint32_t lines[2];
	unsigned int before;

	rig_up(&r);
	client(&s, r.srv.sock, "maker");
	client(&m, r.srv.sock, "srv-monitor");
	client(&d, r.desk.sock, "desk-monitor");
	for (int i = 0; i < 2; i++) {
		lines[i] = rc_line_of_number(&s, nums[i]);
		T_ASSERT_EQ(rc_open_line(&s, lines[i], CTI_PRIV_OWNER), 0);
	}
	seen_lines(&on_srv, &m, nums, 2);
	seen_lines(&on_desk, &d, nums, 2);
	before = proxy_accepted(r.px);
	for (int k = 0; k < 30; k++) {
		if (k == 10)
			fault(&r, kind);
		if (k == 20 && kind == F_STALL) {
			t_sleep_ms(700);	/* past dead_ms: the desktop gives up */
			proxy_stall(r.px, false);
		}
		churn_round(&s, lines);
		seen_drain(&on_srv, &m, 0);
		seen_drain(&on_desk, &d, 0);
	}
	T_EXPECT(wait_lines(r.desk.sock, NLINES, 5000), "the desktop is back");
	T_EXPECT(proxy_accepted(r.px) > before, "the desktop reconnected");
	if (kind == F_CUT)
		T_EXPECT_EQ(proxy_cuts(r.px), 1);
	seen_drain(&on_srv, &m, 800);
	seen_drain(&on_desk, &d, 800);
	t_note("server saw %d call states, desktop %d", on_srv.n, on_desk.n);
	T_EXPECT(on_srv.n >= 30 * 2 * 3, "the server's calls made events (%d)", on_srv.n);
	T_EXPECT_EQ(on_desk.n, on_srv.n);
	for (int i = 0; i < on_srv.n && i < on_desk.n; i++)
		if (memcmp(on_srv.ev[i], on_desk.ev[i], sizeof(on_srv.ev[i]))) {
			t_fail_at(__FILE__, __LINE__, "event %d: server %u/%u/%u, desktop %u/%u/%u", i,
				  on_srv.ev[i][0], on_srv.ev[i][1], on_srv.ev[i][2],
				  on_desk.ev[i][0], on_desk.ev[i][1], on_desk.ev[i][2]);
			break;
		}
	T_EXPECT_EQ(on_desk.seq_errors, 0);
	T_EXPECT_EQ(on_desk.markers, 0);
	if (t_failed())
		t_ctid_dump_log(&r.desk);
	rc_close(&s);
	rc_close(&m);
	rc_close(&d);
	rig_down(&r);
}

static void remote_stall_no_loss(void)
{
	churn(F_STALL);
}

static void remote_drop_no_loss(void)
{
	churn(F_DROP);
}

static void remote_cut_mid_frame_no_loss(void)
{
	churn(F_CUT);
}

/* The calls of line @line as @c's ctid lists them. */
static int desk_calls(struct rc *c, uint32_t line)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LIST_CALLS };
	int64_t id;
	int n = 0;

	f.u.list_calls.line = line;
	id = rc_send(c, &f);
	if (id < 0)
		return (int)id;
	while (rc_recv(c, &f, 2000) == 1) {
		if (f.hdr.id == (uint64_t)id && f.hdr.type == CTI_WIRE_CALL)
			n++;
		if (f.hdr.id == (uint64_t)id && f.hdr.type == CTI_WIRE_REPLY)
			return f.u.reply.error ? f.u.reply.error : n;
	}
	return -ETIMEDOUT;
}

static void remote_server_kill9_restart(void)
{
	struct cti_wire_frame f;
	struct rig r;
	struct rc d;
	uint32_t l100, call = 0;
	bool idle = false;

	rig_up(&r);
	client(&d, r.desk.sock, "desk");
	l100 = rc_line_of_number(&d, "100");
	T_ASSERT_EQ(rc_open_line(&d, l100, CTI_PRIV_OWNER), 0);
	T_ASSERT_EQ(rc_command_sync(&d, CTI_CMD_MAKE_CALL, l100, 0, 0, 0, 0, "101", &call), 0);
	T_ASSERT_EQ(desk_calls(&d, l100), 1);
	t_ctid_kill9(&r.srv);
	T_EXPECT(wait_status(&d, l100, CTI_LINE_OUT_OF_SERVICE, 3000), "out of service");
	T_EXPECT_EQ(rc_command_sync(&d, CTI_CMD_DROP, l100, call, 0, 0, 0, NULL, NULL), -ENOTCONN);
	T_ASSERT(t_ctid_restart(&r.srv) == 0, "server restarts");
	/* the server lost the call: the desktop is told, then the line is back */
	for (int64_t end = t_now_ms() + 5000; t_now_ms() < end && !idle;)
		if (rc_next_event(&d, &f, 500) == 1 && f.hdr.type == CTI_WIRE_EV_CALL_STATE &&
		    f.u.call_state.call == call && f.u.call_state.state == CTI_CALL_IDLE)
			idle = true;
	T_EXPECT(idle, "the lost call went IDLE on the desktop");
	T_EXPECT(wait_lines(r.desk.sock, NLINES, 5000), "lines back in service");
	T_EXPECT_EQ(desk_calls(&d, l100), 0);
	T_EXPECT_EQ(rc_command_sync(&d, CTI_CMD_MAKE_CALL, l100, 0, 0, 0, 0, "101", NULL), 0);
	rc_close(&d);
	rig_down(&r);
}

/*
 * What the desktop's program saw after an outage its server could not
 * replay: each CALL_STATE of @old and @new_call counted, the markers, and
 * whether its event seqs ran without a hole but the one GAP declares.
 */
struct resync_seen {
	int old_idle, new_states, new_in_snapshot;
	int gaps, resyncs, snap_ends, seq_errors;
	uint64_t last_seq;
	bool gap_then_resync;
};

static void resync_take(struct resync_seen *rs, const struct cti_wire_frame *f,
			uint32_t old, uint32_t new_call)
{
	if (f->hdr.type == CTI_WIRE_GAP) {
		rs->gaps++;
		if (rs->last_seq && f->u.gap.first_seq != rs->last_seq + 1)
			rs->seq_errors++;
		rs->last_seq = f->u.gap.last_seq;
		return;
	}
	if (f->hdr.type == CTI_WIRE_RESYNC) {
		rs->resyncs++;
		rs->gap_then_resync = rs->gaps == rs->resyncs;
		return;
	}
	if (!f->hdr.id && f->hdr.type == CTI_WIRE_CALL && rs->resyncs &&
	    f->u.call.call == new_call && f->u.call.state != CTI_CALL_IDLE)
		rs->new_in_snapshot++;
	if (!f->hdr.id && f->hdr.type == CTI_WIRE_END && rs->resyncs)
		rs->snap_ends++;
	if (!cti_wire_type_is_event(f->hdr.type))
		return;
	if (rs->last_seq && f->hdr.id != rs->last_seq + 1)
		rs->seq_errors++;
	rs->last_seq = f->hdr.id;
	if (f->hdr.type != CTI_WIRE_EV_CALL_STATE)
		return;
	if (f->u.call_state.call == old && f->u.call_state.state == CTI_CALL_IDLE)
		rs->old_idle++;
	if (f->u.call_state.call == new_call)
		rs->new_states++;
}

/*
 * An outage longer than the server's replay log (replay_log = 16): the
 * server answers RESYNC and the desktop is brought in line from listings:
 * the call that ended meanwhile is IDLE, the one that began is shown, each
 * once; then the desktop's programs get GAP, RESYNC and a snapshot that
 * holds the new call, since what happened in between is lost to them.
 */
static void remote_replay_too_old_resyncs(void)
{
	struct cti_wire_frame f;
	struct resync_seen rs = { 0 };
	struct rig r;
	struct rc s, d;
	uint32_t l102, d102, old_call, new_call = 0, call;

	rig_up_with(&r, srv_conf("*", "replay_log = 16\n"), "*", NLINES);
	client(&s, r.srv.sock, "maker");
	client(&d, r.desk.sock, "desk");
	l102 = rc_line_of_number(&s, "102");
	d102 = rc_line_of_number(&d, "102");
	T_ASSERT_EQ(rc_open_line(&s, l102, CTI_PRIV_OWNER), 0);
	T_ASSERT_EQ(rc_open_line(&d, d102, CTI_PRIV_MONITOR), 0);
	T_ASSERT_EQ(rc_command_sync(&s, CTI_CMD_MAKE_CALL, l102, 0, 0, 0, 0, "103", &old_call), 0);
	t_sleep_ms(200);
	while (rc_next_event(&d, &f, 100) == 1)
		resync_take(&rs, &f, old_call, new_call);
	proxy_stall(r.px, true);
	t_sleep_ms(100);
	T_ASSERT_EQ(rc_command_sync(&s, CTI_CMD_DROP, l102, old_call, 0, 0, 0, NULL, NULL), 0);
	for (int k = 0; k < 12; k++) {
		T_ASSERT_EQ(rc_command_sync(&s, CTI_CMD_MAKE_CALL, l102, 0, 0, 0, 0, "103", &call), 0);
		T_ASSERT_EQ(rc_command_sync(&s, CTI_CMD_DROP, l102, call, 0, 0, 0, NULL, NULL), 0);
	}
	T_ASSERT_EQ(rc_command_sync(&s, CTI_CMD_MAKE_CALL, l102, 0, 0, 0, 0, "103", &new_call), 0);
	t_sleep_ms(700);
	proxy_stall(r.px, false);
	for (int64_t end = t_now_ms() + 5000; t_now_ms() < end && !rs.snap_ends;)
		if (rc_next_event(&d, &f, 500) == 1)
			resync_take(&rs, &f, old_call, new_call);
	while (rc_next_event(&d, &f, 300) == 1)		/* nothing twice after it */
		resync_take(&rs, &f, old_call, new_call);
	T_EXPECT_EQ(rs.old_idle, 1);
	T_EXPECT(rs.new_states >= 1, "the call that began in the outage is posted");
	T_EXPECT_EQ(rs.gaps, 1);
	T_EXPECT_EQ(rs.resyncs, 1);
	T_EXPECT(rs.gap_then_resync, "GAP comes before RESYNC");
	T_EXPECT_EQ(rs.snap_ends, 1);
	T_EXPECT_EQ(rs.new_in_snapshot, 1);
	T_EXPECT_EQ(rs.seq_errors, 0);
	T_EXPECT(t_ctid_log_wait(&r.desk, "resync", 1, 2000) >= 1, "the desktop logged the resync");
	/* and the desktop's list is the server's (a ring may end meanwhile) */
	for (int64_t end = t_now_ms() + 2000;; t_sleep_ms(50)) {
		int nd = desk_calls(&d, d102), ns = desk_calls(&s, l102);

		if (nd == ns || t_now_ms() > end) {
			T_EXPECT_EQ(nd, ns);
			break;
		}
	}
	rc_close(&s);
	rc_close(&d);
	rig_down(&r);
}

/* ---- TLS: the desktop's transport_open_tls against a TLS proxy ---- */

struct tls_rig {
	struct t_ctid srv, desk;
	struct proxy *px;
	char certs[200];
	unsigned short port;
};

static const char *certf(struct tls_rig *r, const char *name)
{
	static char buf[8][320];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", r->certs, name);
	return buf[i];
}

/* Server ctid, and a TLS proxy presenting @srv_cert in front of it. */
static void tls_rig_up(struct tls_rig *r, const char *srv_cert)
{
	struct proxy_tls pt;
	char cmd[512];

	memset(r, 0, sizeof(*r));
	T_ASSERT(t_ctid_start(&r->srv, srv_conf("*", NULL)) == 0, "server ctid starts");
	snprintf(r->certs, sizeof(r->certs), "%s/certs", r->srv.dir);
	snprintf(cmd, sizeof(cmd), "%s %s", MKCERTS, r->certs);
	T_ASSERT(system(cmd) == 0, "mkcerts.sh");
	pt.cert = certf(r, srv_cert);
	pt.key = certf(r, "server.key");
	pt.ca = certf(r, "ca.pem");
	r->px = proxy_start_tls(&pt, r->srv.sock, &r->port);
	T_ASSERT(r->px, "TLS proxy starts");
}

/* The desktop with @keys (TLS material) reaching the proxy as @host. */
static void tls_desk(struct tls_rig *r, const char *host, const char *keys)
{
	char conf[2048];

	snprintf(conf, sizeof(conf),
		 "[server]\nsocket = @SOCK@\nsocket_mode = 0666\nprovider_dir = @PROVIDERS@\n\n"
		 "[provider hq]\nso = remote\naddress = tls:%s:%u\n%s"
		 "keepalive_ms = 200\ndead_ms = 1000\nretry_min_ms = 50\nretry_max_ms = 300\n\n"
		 "[user %s]\nlines = *\nadmin = yes\n", host, r->port, keys, me());
	T_ASSERT(t_ctid_start(&r->desk, conf) == 0, "desktop ctid starts");
}

static void tls_rig_down(struct tls_rig *r)
{
	check_manners(&r->desk);
	T_EXPECT(t_ctid_stop(&r->desk) == 0, "desktop ctid exits cleanly");
	proxy_stop(r->px);
	T_EXPECT(t_ctid_stop(&r->srv) == 0, "server ctid exits cleanly");
}

static const char *tls_keys(struct tls_rig *r, const char *ca, bool with_cert)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "ca = %s\n%s%s%s%s", certf(r, ca),
		 with_cert ? "cert = " : "", with_cert ? certf(r, "client.pem") : "",
		 with_cert ? "\nkey = " : "", with_cert ? certf(r, "client.key") : "");
	strcat(buf, "\n");
	return buf;
}

static void remote_tls_lines_and_resume(void)
{
	struct tls_rig r;
	struct rc d;
	uint32_t l100;
	unsigned int before;

	tls_rig_up(&r, "server.pem");
	tls_desk(&r, "127.0.0.1", tls_keys(&r, "ca.pem", true));
	if (!wait_lines(r.desk.sock, NLINES, 5000)) {
		t_ctid_dump_log(&r.desk);
		T_ASSERT(0, "the server's lines over TLS");
	}
	client(&d, r.desk.sock, "desk");
	l100 = rc_line_of_number(&d, "100");
	T_ASSERT_EQ(rc_open_line(&d, l100, CTI_PRIV_OWNER), 0);
	T_EXPECT_EQ(rc_command_sync(&d, CTI_CMD_MAKE_CALL, l100, 0, 0, 0, 0, "101", NULL), 0);
	if (t_failed())
		t_ctid_dump_log(&r.desk);
	/* a dropped TLS connection: a new handshake, the session resumes */
	before = proxy_accepted(r.px);
	proxy_drop(r.px);
	T_EXPECT(wait_status(&d, l100, CTI_LINE_OUT_OF_SERVICE, 3000), "out of service");
	T_EXPECT(wait_status(&d, l100, CTI_LINE_IN_SERVICE, 5000), "back in service");
	T_EXPECT(proxy_accepted(r.px) > before, "a new TLS connection");
	T_EXPECT(t_ctid_log_wait(&r.desk, "session resumed", 1, 2000) >= 1, "resumed");
	T_EXPECT_EQ(proxy_tls_failures(r.px), 0);
	rc_close(&d);
	tls_rig_down(&r);
}

/* A TLS setup that must fail: no lines, and @needle in the desktop's log. */
static void tls_refused(const char *srv_cert, const char *host, const char *ca,
			bool with_cert, const char *needle)
{
	struct tls_rig r;

	tls_rig_up(&r, srv_cert);
	tls_desk(&r, host, tls_keys(&r, ca, with_cert));
	T_EXPECT(t_ctid_log_wait(&r.desk, needle, 1, 5000) >= 1, "desktop log says \"%s\"", needle);
	T_EXPECT_EQ(count_lines(r.desk.sock, NULL, 0, false), 0);
	T_EXPECT(t_ctid_alive(&r.srv) && t_ctid_alive(&r.desk), "both stay up");
	if (t_failed())
		t_ctid_dump_log(&r.desk);
	tls_rig_down(&r);
}

static void remote_tls_wrong_ca(void)
{
	tls_refused("server.pem", "127.0.0.1", "other-ca.pem", true, "server certificate");
}

static void remote_tls_wrong_name(void)
{
	tls_refused("other.pem", "localhost", "ca.pem", true, "hostname mismatch");
}

static void remote_tls_expired(void)
{
	tls_refused("expired.pem", "localhost", "ca.pem", true, "certificate has expired");
}

static void remote_tls_no_client_cert(void)
{
	tls_refused("server.pem", "localhost", "ca.pem", false, "certificate required");
}

/* A listening unix socket at @path: the fake server of a hostile case. */
static int fake_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	T_ASSERT(fd >= 0 && strlen(path) < sizeof(sa.sun_path), "socket");
	strcpy(sa.sun_path, path);
	T_ASSERT(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(fd, 4) == 0, "listen");
	return fd;
}

/* Accept within @ms; -1 on timeout. */
static int fake_accept(int lfd, int ms)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -1;
	return accept(lfd, NULL, NULL);
}

/*
 * A "server" that answers HELLO with what no ctid sends: a 1 GB frame
 * length, then bytes that are no frame at all. The desktop drops each
 * connection, tries again later (not in a tight loop), shows no line and
 * stays up.
 */
static void remote_hostile_server(void)
{
	static const uint8_t huge[16] = { 0x00, 0x00, 0x00, 0x40, 0x40 };	/* len 1 GB */
	static const char junk[] = "HTTP/1.1 200 OK\r\n\r\n<html>";
	char path[256], conf[1024], buf[256];
	struct t_ctid desk;
	int lfd, fd;
	int64_t t0;

	snprintf(path, sizeof(path), "/tmp/cti-hostile.%d.sock", (int)getpid());
	unlink(path);
	lfd = fake_listen(path);
	snprintf(conf, sizeof(conf),
		 "[server]\nsocket = @SOCK@\nsocket_mode = 0666\nprovider_dir = @PROVIDERS@\n"
		 "[provider hq]\nso = remote\naddress = unix:%s\nretry_min_ms = 200\n"
		 "retry_max_ms = 400\n[user %s]\nlines = *\nadmin = yes\n", path, me());
	T_ASSERT(t_ctid_start(&desk, conf) == 0, "desktop");
	for (int round = 0; round < 2; round++) {
		fd = fake_accept(lfd, 3000);
		T_ASSERT(fd >= 0, "the desktop connects (round %d)", round);
		T_EXPECT(read(fd, buf, sizeof(buf)) > 0, "its HELLO");
		T_EXPECT(write(fd, round ? (const void *)junk : (const void *)huge,
			       round ? sizeof(junk) - 1 : sizeof(huge)) > 0, "write");
		t0 = t_now_ms();
		T_EXPECT(read(fd, buf, sizeof(buf)) == 0, "the desktop hangs up");
		close(fd);
		/* it comes back, after its backoff */
		fd = fake_accept(lfd, 3000);
		T_EXPECT(fd >= 0 && t_now_ms() - t0 >= 150, "retry after %lld ms",
			 (long long)(t_now_ms() - t0));
		if (fd >= 0)
			close(fd);
	}
	T_EXPECT(t_ctid_alive(&desk), "the desktop stays up");
	T_EXPECT_EQ(count_lines(desk.sock, NULL, 0, false), 0);
	T_EXPECT(t_ctid_stop(&desk) == 0, "desktop exits cleanly");
	close(lfd);
	unlink(path);
}

/* examples/remote-demo.sh as a user runs it after make: dial works. */
/* examples/remote-demo.sh @mode: dial's calls go through the desktop. */
static void run_demo(const char *mode)
{
	char dial[300], cmd[900], out[] = "/tmp/cti-remote-demo-out.XXXXXX";
	int fd = mkstemp(out), ret, port = t_free_port();

	T_ASSERT(fd >= 0, "mkstemp");
	T_ASSERT(port > 0, "a free port");
	close(fd);
	snprintf(dial, sizeof(dial), "%s/examples/dial", TESTS_O);
	if (access(dial, X_OK)) {
		unlink(out);
		t_skip("%s is not built (make -C examples)", dial);
	}
	snprintf(cmd, sizeof(cmd), "CTI_BUILD=%s REMOTE_DEMO_PORT=%d sh %s %s > %s 2>&1",
		 TESTS_O, port, DEMO, mode, out);
	ret = system(cmd);
	if (ret) {
		snprintf(cmd, sizeof(cmd), "sed 's/^/#   | /' %s", out);
		T_EXPECT(system(cmd) == 0, "show the output");
	}
	T_EXPECT_EQ(ret, 0);
	snprintf(cmd, sizeof(cmd), "grep -q 'IDLE' %s && grep -q 'dial exited with 0' %s", out, out);
	T_EXPECT(system(cmd) == 0, "dial's calls went through the desktop");
	/* the desktop lists the server as its provider's link, up */
	snprintf(cmd, sizeof(cmd), "grep -Eq '^hq +up +up +4$' %s", out);
	T_EXPECT(system(cmd) == 0, "ctictl providers shows hq's link up");
	if (!strcmp(mode, "tls")) {
		snprintf(cmd, sizeof(cmd), "grep -q 'user desktop logged in by certificate' %s", out);
		T_EXPECT(system(cmd) == 0, "the server's TLS listener took the desktop's certificate");
	}
	unlink(out);
}

static void remote_demo_script(void)
{
	run_demo("unix");
}

/* The demo over the server's real TLS listener, with fresh certificates. */
static void remote_demo_script_tls(void)
{
	run_demo("tls");
}

/* ctid --check-config on a desktop section: 0 if it passes. */
static int check_config(const char *keys)
{
	char path[] = "/tmp/cti-remote-conf.XXXXXX", cmd[1024];
	int fd = mkstemp(path), ret;
	FILE *fp;

	T_ASSERT(fd >= 0, "mkstemp");
	fp = fdopen(fd, "w");
	T_ASSERT(fp, "fdopen");
	fprintf(fp, "[server]\nsocket = /tmp/unused.sock\nprovider_dir = %s\n"
		"[provider hq]\nso = remote\n%s", t_provider_dir(), keys);
	fclose(fp);
	snprintf(cmd, sizeof(cmd), "%s --check-config -c %s >/dev/null 2>&1", t_ctid_path(), path);
	ret = system(cmd);
	unlink(path);
	return ret;
}

static void remote_bad_config(void)
{
	static const char *const bad[] = {
		"address = tcp:1.2.3.4:5\n",		/* plain TCP is not offered */
		"address = unix:relative\n",
		"address = tls:localhost:0\n",
		"address = tls:server.example:4443\nverify_name = maybe\n",
		"address = unix:/x\nkeepalive_ms = 1000\ndead_ms = 500\n",
		"address = tls:127.0.0.1:4443\ncert = /a.pem\n",	/* no key */
		"address = unix:/x\nca = /ca.pem\n",	/* TLS keys without TLS */
		"address = unix:/x\nbogus = 1\n",
		"address = unix:/x,\n",
		"address = unix:/x,,unix:/y\n",
		"",						/* no address */
	};

	T_ASSERT_EQ(check_config("address = unix:/x, tls:[::1]:4443 ,tls:127.0.0.1:1\n"
				 "ca = /ca.pem\ncert = /c.pem\nkey = /c.key\n"), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		T_EXPECT(check_config(bad[i]) != 0, "config %zu refused: %s", i, bad[i]);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(remote_lines_and_calls),
		T_CASE(remote_server_rights_exclude_line),
		T_CASE(remote_server_lines_come_and_go),
		T_CASE(remote_desktop_rules_narrow),
		T_CASE(remote_desktop_vets_reach),
		T_CASE(remote_two_servers),
		T_CASE(remote_outage_fails_fast),
		T_CASE(remote_link_in_provider_list),
		T_CASE(remote_stall_no_loss),
		T_CASE(remote_drop_no_loss),
		T_CASE(remote_cut_mid_frame_no_loss),
		T_CASE(remote_server_kill9_restart),
		T_CASE(remote_replay_too_old_resyncs),
		T_CASE(remote_tls_lines_and_resume),
		T_CASE(remote_tls_wrong_ca),
		T_CASE(remote_tls_wrong_name),
		T_CASE(remote_tls_expired),
		T_CASE(remote_tls_no_client_cert),
		T_CASE(remote_hostile_server),
		T_CASE(remote_demo_script),
		T_CASE(remote_demo_script_tls),
		T_CASE(remote_bad_config),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
