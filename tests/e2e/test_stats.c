// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_stats: the admin-only SERVER_STATS request (doc/protocol.md,
 * server_stats), which the web console's /metrics serves.
 *
 * The gauges must match what the test itself made (lines, a call in a
 * known state, its own connections), the counters must move by what the
 * test did (requests, errors, connections), and the request must be
 * refused to a non-admin (EACCES) and to a session that did not ask for
 * FEAT_STATS (EOPNOTSUPP: it could not decode the answer).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "rawclient.h"

#define NLINES 4

static struct t_ctid d;

/* HELLO with @features (rc_hello() asks for FEAT_ALL only). */
static void hello(struct rc *c, const char *name, uint64_t features)
{
	struct cti_wire_frame f;

	T_ASSERT(rc_connect(c, d.sock) == 0, "connect");
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_HELLO;
	f.u.hello.version = CTI_WIRE_VERSION;
	f.u.hello.features = features;
	snprintf(f.u.hello.client_name, sizeof(f.u.hello.client_name), "%s", name);
	T_ASSERT(rc_send(c, &f) >= 0, "HELLO");
	T_ASSERT(rc_wait_type(c, CTI_WIRE_HELLO_ACK, &f, 15000) == 1, "HELLO_ACK");
	c->ack = f.u.hello_ack;
}

/* SERVER_STATS: the REPLY's error, with @st filled when it is 0. */
static int ask(struct rc *c, struct cti_wire_stats *st)
{
	struct cti_wire_frame f;
	bool got = false;
	int64_t id;
	int ret;

	id = rc_simple(c, CTI_WIRE_SERVER_STATS);
	T_ASSERT(id > 0, "send SERVER_STATS");
	for (;;) {
		ret = rc_recv(c, &f, 5000);
		T_ASSERT(ret == 1, "no answer: %d", ret);
		if (f.hdr.type == CTI_WIRE_STATS) {
			T_EXPECT_EQ(f.hdr.id, (uint64_t)id);
			*st = f.u.stats;
			got = true;
		} else if (f.hdr.type == CTI_WIRE_REPLY && f.hdr.id == (uint64_t)id) {
			T_EXPECT_EQ(f.u.reply.req_type, CTI_WIRE_SERVER_STATS);
			T_EXPECT(got == !f.u.reply.error,
				 "STATS %s, reply %d", got ? "sent" : "missing",
				 f.u.reply.error);
			return f.u.reply.error;
		}
	}
}

static void start(void)
{
	T_ASSERT(t_ctid_start(&d, t_conf_default(NLINES, NULL)) == 0, "start");
}

static void gauges_match_what_is_there(void)
{
	struct cti_wire_stats st;
	struct rc a, b;
	uint32_t l0, call = 0, states = 0;

	start();
	hello(&a, "stats", CTI_WIRE_FEAT_ALL | CTI_WIRE_FEAT_STATS);
	T_ASSERT(a.ack.features & CTI_WIRE_FEAT_STATS, "FEAT_STATS not granted");
	T_ASSERT(ask(&a, &st) == 0, "stats");
	T_EXPECT_EQ(st.lines, NLINES);
	T_EXPECT_EQ(st.providers_up, 1);
	T_EXPECT_EQ(st.providers_down, 0);
	T_EXPECT_EQ(st.connections, 1);
	T_EXPECT_EQ(st.sessions_attached, 1);
	T_EXPECT_EQ(st.sessions_detached, 0);
	T_EXPECT(st.uptime_ms < 600000, "uptime %llu ms", (unsigned long long)st.uptime_ms);
	T_EXPECT_EQ(st.card_overflows, 0);	/* no card here */
	for (unsigned int i = 0; i < CTI_WIRE_STATS_STATES; i++)
		T_EXPECT_EQ(st.calls[i], 0);

	/* a second client and a call from the first line to the second */
	rc_session(&b, d.sock, "other");
	l0 = rc_line_of_number(&a, "100");
	T_ASSERT(l0 != CTI_LINE_NONE, "no line 100");
	T_ASSERT(rc_open_line(&a, l0, CTI_WIRE_PRIV_OWNER) == 0, "open");
	T_ASSERT(rc_command_sync(&a, CTI_CMD_MAKE_CALL, l0, 0, 0, 0, 0, "101",
				 &call) == 0, "make call");
	rc_drain(&a, 300);
	T_ASSERT(ask(&a, &st) == 0, "stats");
	T_EXPECT_EQ(st.connections, 2);
	T_EXPECT_EQ(st.sessions_attached, 2);
	T_EXPECT(st.connections_total >= 2, "connections_total %llu",
		 (unsigned long long)st.connections_total);
	for (unsigned int i = 1; i < CTI_WIRE_STATS_STATES; i++)
		states += st.calls[i];
	/* the caller's call and the callee's offering one, both on the sim */
	T_EXPECT_EQ(states, 2);
	T_EXPECT(st.events_total > 0, "no events counted");
	rc_close(&b);
	rc_close(&a);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

static void counters_move(void)
{
	struct cti_wire_stats s1, s2;
	struct rc a;

	start();
	hello(&a, "stats", CTI_WIRE_FEAT_ALL | CTI_WIRE_FEAT_STATS);
	T_ASSERT(ask(&a, &s1) == 0, "stats");
	/* one request that succeeds, one that fails */
	T_EXPECT_EQ(rc_wait_reply(&a, (uint64_t)rc_simple(&a, CTI_WIRE_LIST_PROVIDERS),
				  NULL, 5000), 0);
	T_EXPECT_EQ(rc_provider(&a, CTI_WIRE_PROVIDER_LOAD, "nosuch"), -ENOENT);
	T_ASSERT(ask(&a, &s2) == 0, "stats");
	/* LIST_PROVIDERS, PROVIDER_LOAD and the first SERVER_STATS */
	T_EXPECT_EQ(s2.requests_total - s1.requests_total, 3);
	T_EXPECT_EQ(s2.errors_total - s1.errors_total, 1);
	T_EXPECT(s2.uptime_ms >= s1.uptime_ms, "uptime went back");
	rc_close(&a);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

static int refused_client(void *arg)
{
	struct cti_wire_stats st;
	struct rc c;

	(void)arg;
	hello(&c, "daemon", CTI_WIRE_FEAT_ALL | CTI_WIRE_FEAT_STATS);
	T_EXPECT(!(c.ack.flags & CTI_WIRE_ACK_F_ADMIN), "daemon is admin");
	T_EXPECT_EQ(ask(&c, &st), -EACCES);
	rc_close(&c);
	return 0;
}

static void refused_to_non_admin(void)
{
	uid_t uid;
	gid_t gid;

	t_need_root();
	t_lookup_user("daemon", &uid, &gid);
	start();
	T_EXPECT_EQ(t_run_as(uid, gid, refused_client, NULL), 0);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

static void refused_without_the_feature(void)
{
	struct cti_wire_stats st;
	struct rc a;

	start();
	hello(&a, "old", CTI_WIRE_FEAT_ALL);
	T_EXPECT(!(a.ack.features & CTI_WIRE_FEAT_STATS), "granted unasked");
	T_EXPECT_EQ(ask(&a, &st), -EOPNOTSUPP);
	rc_close(&a);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

static const struct t_case cases[] = {
	T_CASE(gauges_match_what_is_there),
	T_CASE(counters_move),
	T_CASE(refused_to_non_admin),
	T_CASE(refused_without_the_feature),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
