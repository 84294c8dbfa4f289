// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests of the textlink provider: the test plays the switch on the
 * other end of a fake transport (fake_host.c) and checks what the
 * provider sends, what it posts, and that every request completes once:
 * by DONE, by timeout, by link failure or at shutdown.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "harness.h"

static const char *const cfg[] = {
	"connect=unix:/run/pbx.sock", "retry_ms=500", "timeout_ms=100", NULL,
};

/* Start, connect, and let the switch announce two lines. */
static struct th_transport *up(struct th *th)
{
	struct th_transport *t;

	T_EXPECT_EQ(th_start_tr(th, cfg), 0);
	t = th_tr_last(th);
	T_EXPECT(t && t->kind == 'u' && !strcmp(t->target, "/run/pbx.sock"));
	th_tr_connect(th, t, 0);
	T_EXPECT_STR(th_tr_sent(th, t), "HELLO 1\n");
	th_tr_data(th, t, "LINE 0 ext200 200\nLINE 1 ext201 201 2\n");
	T_EXPECT_EQ(th->nadded, 2);
	return t;
}

static void test_config(void)
{
	static const char *const none[] = { "retry_ms=100", NULL };
	static const char *const bad[] = { "connect=ftp://x", NULL };
	static const char *const rel[] = { "connect=unix:pbx.sock", NULL };
	static const char *const port[] = { "connect=tcp:pbx:70000", NULL };
	static const char *const key[] = { "connect=tcp:pbx:4000", "x=1", NULL };
	static const char *const tcp[] = { "connect=tcp:pbx.example:4000",
					   NULL };
	static const char *const ser[] = { "connect=serial:/dev/ttyS0:19200",
					   NULL };
	char msg[256];
	struct th th;

	T_EXPECT_EQ(th_check_config(none, msg, sizeof(msg)), -EINVAL);
	T_EXPECT(strstr(msg, "'connect' is missing"));
	T_EXPECT_EQ(th_check_config(bad, msg, sizeof(msg)), -EINVAL);
	T_EXPECT(strstr(msg, "test.conf:2: connect:"));
	T_EXPECT_EQ(th_check_config(rel, msg, sizeof(msg)), -EINVAL);
	T_EXPECT_EQ(th_check_config(port, msg, sizeof(msg)), -EINVAL);
	T_EXPECT_EQ(th_check_config(key, msg, sizeof(msg)), -EINVAL);
	T_EXPECT_STR(msg, "test.conf:3: x: unknown key");

	T_EXPECT_EQ(th_start_tr(&th, tcp), 0);
	T_EXPECT(th_tr_last(&th)->kind == 't' && th_tr_last(&th)->port == 4000 &&
	      !strcmp(th_tr_last(&th)->target, "pbx.example"));
	th_stop(&th);
	T_EXPECT_EQ(th.violations, 0);
	T_EXPECT_EQ(th_start_tr(&th, ser), 0);
	T_EXPECT(th_tr_last(&th)->kind == 's' && th_tr_last(&th)->port == 19200 &&
	      !strcmp(th_tr_last(&th)->target, "/dev/ttyS0"));
	th_stop(&th);
	T_EXPECT_EQ(th.violations, 0);
}

static void test_call(void)
{
	const struct cti_event *ls;
	struct th_transport *t;
	uint32_t call = 0;
	uint64_t h;
	struct th th;

	t = up(&th);
	ls = th_last(&th, CTI_EV_LINK_STATE, CTI_LINE_NONE);
	T_EXPECT(ls && ((const struct cti_ev_link_state *)ls)->state == CTI_LINK_UP);
	T_EXPECT_EQ(th.descs[1].max_calls, 2);
	T_EXPECT_STR(th.descs[1].addresses[0], "201");

	h = th_submit(&th, CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "201");
	T_EXPECT_STR(th_tr_sent(&th, t), "CMD 1 0 0 0 0 0 0 =201\n");
	T_EXPECT_EQ(th_completions(&th, h), 0);
	th_tr_data(&th, t, "INFO 0 7 3 0 0 200 201\nSTATE 0 7 4 0 0\nDONE 1 0 7\n");
	T_EXPECT_EQ(th_result(&th, h, &call), 0);
	T_EXPECT_EQ(call, 7);
	/* A record split over two reads. */
	th_tr_data(&th, t, "STA");
	th_tr_data(&th, t, "TE 0 7 5 0 0\r\nDIGITS 0 7 12#\n");
	T_EXPECT_STR(th_states(&th, 0), "7:DIALING 7:RINGBACK");
	T_EXPECT_STR(th_info(&th, 0, 7), "200>201 o=3 r=DIRECT rel=0");
	T_EXPECT_EQ(th_count(&th, CTI_EV_DIGITS, 0), 1);

	/* The switch refuses: its errno reaches the client. */
	h = th_submit(&th, CTI_CMD_HOLD, 0, 7, 0, 0, 0, NULL);
	T_EXPECT_STR(th_tr_sent(&th, t), "CMD 2 4 0 7 0 0 0 =\n");
	th_tr_data(&th, t, "DONE 2 16 0\n");
	T_EXPECT_EQ(th_result(&th, h, NULL), -EBUSY);
	th_stop(&th);
	T_EXPECT_EQ(th.violations, 0);
}

/*
 * Requests whose data reaches another line of the switch are vetted with
 * the host before anything goes to the switch; refused, nothing is sent.
 */
static void test_authorize(void)
{
	struct th_transport *t;
	uint64_t h;
	struct th th;

	t = up(&th);
	th_tr_data(&th, t, "LINE 2 ext202 202\n");
	th_authz_set(&th, 1, TH_ANY, -ENOENT);
	th_authz_set(&th, CTI_LINE_NONE, CTI_REACH_SWITCH, -EACCES);
	h = th_submit(&th, CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "201");
	T_EXPECT_EQ(th_result(&th, h, NULL), -ENOENT);
	T_EXPECT_EQ(th_asked(&th, 1, CTI_REACH_CALL), 1);
	h = th_submit(&th, CTI_CMD_PICKUP, 0, 0, 0, 0, 0, "201");
	T_EXPECT_EQ(th_result(&th, h, NULL), -ENOENT);
	T_EXPECT_EQ(th_asked(&th, 1, CTI_REACH_PICKUP), 1);
	/* Group pickup: the switch chooses, so every line must be allowed. */
	h = th_submit(&th, CTI_CMD_PICKUP, 0, 0, 0, 0, 0, "");
	T_EXPECT_EQ(th_result(&th, h, NULL), -EACCES);
	h = th_submit(&th, CTI_CMD_DEV_SPECIFIC, 0, 0, 0, 0, 0, "anything");
	T_EXPECT_EQ(th_result(&th, h, NULL), -EACCES);
	T_EXPECT_EQ(th_asked(&th, CTI_LINE_NONE, CTI_REACH_SWITCH), 1);
	T_EXPECT_STR(th_tr_sent(&th, t), "");
	/* Outside numbers and allowed lines go to the switch. */
	th_submit(&th, CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "5551234");
	th_submit(&th, CTI_CMD_BLIND_TRANSFER, 0, 7, 0, 0, 0, "202");
	T_EXPECT_EQ(th_asked(&th, 2, CTI_REACH_CALL), 1);
	T_EXPECT_STR(th_tr_sent(&th, t), "CMD 5 0 0 0 0 0 0 =5551234\n"
		  "CMD 6 7 0 7 0 0 0 =202\n");
	th_tr_data(&th, t, "DONE 5 0 0\nDONE 6 0 0\n");
	th_stop(&th);
	T_EXPECT_EQ(th.violations, 0);
}

static void test_bad_input(void)
{
	struct th_transport *t;
	char big[2100];
	struct th th;

	t = up(&th);
	th_clear(&th);
	/* Every one of these is dropped; none becomes a record. */
	th_tr_data(&th, t, "STATE 0 0 4 0 0\n");		/* call 0 */
	th_tr_data(&th, t, "STATE 0 7 99 0 0\n");		/* no such state */
	th_tr_data(&th, t, "STATE 0 7 4 0\n");			/* short */
	th_tr_data(&th, t, "STATE 0 7 4 0 0 9\n");		/* long */
	th_tr_data(&th, t, "STATE 0 -7 4 0 0\n");
	th_tr_data(&th, t, "INFO 0 7 3 0 0 200 123456789012345678901234567890123\n");
	th_tr_data(&th, t, "DIGITS 0 7 12x\n");
	th_tr_data(&th, t, "FROB 1 2 3\n");
	th_tr_data(&th, t, "DONE 99 0 0\n");			/* unknown request */
	th_tr_data(&th, t, "LINE 5 bad\n");
	memset(big, 'A', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	th_tr_data(&th, t, big);
	T_EXPECT_EQ(th.nevents, 0);
	/* ... and the stream goes on after them. */
	th_tr_data(&th, t, "INFO 1 3 2 0 0 555 201\nSTATE 1 3 1 0 0\n");
	T_EXPECT_STR(th_states(&th, 1), "3:OFFERING");
	/* A request whose data would break the line protocol. */
	T_EXPECT_EQ(th_result(&th, th_submit(&th, CTI_CMD_DEV_SPECIFIC, 0, 0, 0,
					   0, 0, "a\nDONE 1 0 0"), NULL),
		  -EINVAL);
	T_EXPECT_STR(th_tr_sent(&th, t), "");
	th_stop(&th);
	T_EXPECT_EQ(th.violations, 0);
}

static void test_timeout(void)
{
	struct th_transport *t;
	uint64_t h;
	struct th th;

	t = up(&th);
	h = th_submit(&th, CTI_CMD_DROP, 0, 7, 0, 0, 0, NULL);
	th_run(&th, 99);
	T_EXPECT_EQ(th_completions(&th, h), 0);
	th_run(&th, 1);
	T_EXPECT_EQ(th_result(&th, h, NULL), -ETIMEDOUT);
	/* A late answer completes nothing twice. */
	th_tr_data(&th, t, "DONE 1 0 0\n");
	T_EXPECT_EQ(th_completions(&th, h), 1);
	th_stop(&th);
	T_EXPECT_EQ(th.violations, 0);
}

static void test_link_loss(void)
{
	const struct cti_ev_link_state *ls;
	struct th_transport *t;
	uint64_t h;
	struct th th;

	t = up(&th);
	th_tr_data(&th, t, "INFO 1 3 2 0 0 555 201\nSTATE 1 3 1 0 0\n");
	h = th_submit(&th, CTI_CMD_ANSWER, 1, 3, 0, 0, 0, NULL);
	th_tr_close(&th, t, -ECONNRESET);
	T_EXPECT_EQ(th_result(&th, h, NULL), -EIO);
	T_EXPECT_EQ(th.nadded, 0);
	/* The line's calls end before the line goes. */
	T_EXPECT_STR(th_states(&th, 1), "3:OFFERING 3:IDLE/OUT_OF_ORDER");
	ls = th_last(&th, CTI_EV_LINK_STATE, CTI_LINE_NONE);
	T_EXPECT(ls && ls->state == CTI_LINK_DOWN);
	/* While down, requests fail at once. */
	T_EXPECT_EQ(th_result(&th, th_submit(&th, CTI_CMD_DROP, 1, 3, 0, 0, 0,
					   NULL), NULL), -EIO);
	/* It reconnects after retry_ms, and again when that fails. */
	T_EXPECT_EQ(th.ntr, 1);
	th_run(&th, 500);
	T_EXPECT_EQ(th.ntr, 2);
	th_tr_connect(&th, th_tr_last(&th), -ECONNREFUSED);
	th_run(&th, 499);
	T_EXPECT_EQ(th.ntr, 2);
	th_run(&th, 1);
	T_EXPECT_EQ(th.ntr, 3);
	t = th_tr_last(&th);
	th_tr_connect(&th, t, 0);
	T_EXPECT_STR(th_tr_sent(&th, t), "HELLO 1\n");
	th_tr_data(&th, t, "LINE 0 ext200 200\n");
	T_EXPECT_EQ(th.nadded, 1);
	/* Shutdown completes what is held and closes the link. */
	h = th_submit(&th, CTI_CMD_DROP, 0, 9, 0, 0, 0, NULL);
	th.ops->shutdown(th.state);
	th.state = NULL;
	T_EXPECT_EQ(th_result(&th, h, NULL), -ECANCELED);
	th_stop(&th);
	T_EXPECT_EQ(th.violations, 0);
}

static void test_shutdown(void)
{
	struct th_transport *t;
	struct th th;

	t = up(&th);
	th_submit(&th, CTI_CMD_DROP, 0, 9, 0, 0, 0, NULL);
	th_submit(&th, CTI_CMD_DROP, 1, 9, 0, 0, 0, NULL);
	th.ops->shutdown(th.state);
	th.state = NULL;
	T_EXPECT_EQ(th.reqs[0].completions, 1);
	T_EXPECT_EQ(th.reqs[0].error, -ECANCELED);
	T_EXPECT_EQ(th.reqs[1].error, -ECANCELED);
	T_EXPECT(!t->open);
	th_stop(&th);
	T_EXPECT_EQ(th.violations, 0);
}

/* Garbage and near-valid lines in random pieces: nothing breaks a rule. */
static void test_random_input(void)
{
	static const char *const pieces[] = {
		"LINE 3 ext3 3\n", "GONE 3\n", "INFO 3 5 3 0 0 1 2\n",
		"STATE 3 5 8 0 0\n", "STATE 3 5 0 1 0\n", "DIGITS 3 5 1\n",
		"STATUS 3 0 1 0 1 9\n", "DONE 1 0 0\n", "DONE 2 5 0\n",
		"STATE 99 5 8 0 0\n", "\n", "\r\n", " ", "-", "4294967295",
		"LINE", "STATE", "\0", "\xff\xfe", "99999999999999999999",
	};
	struct th_transport *t;
	unsigned int seed = 7, i;
	char buf[256];
	struct th th;

	t = up(&th);
	for (i = 0; i < 20000; i++) {
		size_t n = 0, k;

		if (i % 50 == 0)
			th_submit(&th, CTI_CMD_DROP, 0, 1, 0, 0, 0, NULL);
		while (n < 128) {
			const char *p;

			if (rand_r(&seed) % 3) {
				p = pieces[rand_r(&seed) %
					   (sizeof(pieces) / sizeof(pieces[0]))];
				k = strlen(p);
				if (!k)		/* the "\0" piece */
					k = 1;
				memcpy(buf + n, p, k);
			} else {
				k = 1;
				buf[n] = (char)(rand_r(&seed) % 256);
			}
			n += k;
		}
		th.ops->transport_data(th.state, t->id, t->cookie, buf, n);
		if (rand_r(&seed) % 100 == 0)
			th_run(&th, 150);	/* timeouts */
		if (th.nevents > 50000)
			th_clear(&th);
	}
	T_EXPECT(th_count(&th, CTI_EV_CALL_STATE, CTI_LINE_NONE) >= 0);
	th_stop(&th);
	T_EXPECT_EQ(th.violations, 0);
}

/*
 * connect = card:...: the link is a kernel link card; frames carry the
 * same lines (a line may straddle frames), each send is one frame, and a
 * line longer than a frame is refused rather than cut.
 */
static void test_card(void)
{
	static const char *const name[] = { "connect=card:link0",
					    "retry_ms=100", NULL };
	static const char *const dev[] = { "connect=card:/dev/cti3", NULL };
	static const char *const bad[][2] = {
		{ "connect=card:", NULL }, { "connect=card:/dev/tty0", NULL },
		{ "connect=card:/dev/cti", NULL },
		{ "connect=card:/dev/cti0x", NULL },
		{ "connect=card:a/b", NULL }, { "connect=card:a b", NULL },
		{ "connect=card:0123456789abcdef0123456789abcdef", NULL },
	};
	char msg[256], big[CTI_DATA_MAX];
	struct th_transport *t;
	uint64_t h;
	struct th th;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		T_EXPECT_EQ(th_check_config(bad[i], msg, sizeof(msg)), -EINVAL);
	T_EXPECT(strstr(msg, "card:NAME or card:/dev/ctiN"));
	T_EXPECT_EQ(th_check_config(dev, msg, sizeof(msg)), 0);
	/* A host older than transport_open_card: refused, said why. */
	th_api_size = offsetof(struct cti_host_api, transport_open_card);
	T_EXPECT_EQ(th_check_config(dev, msg, sizeof(msg)), -EINVAL);
	T_EXPECT(strstr(msg, "cannot open kernel link cards"));
	th_api_size = 0;

	T_EXPECT_EQ(th_start_tr(&th, name), 0);
	t = th_tr_last(&th);
	T_EXPECT(t && t->kind == 'c' && !strcmp(t->target, "link0"));
	th_tr_connect(&th, t, 0);
	T_EXPECT_STR(th_tr_sent(&th, t), "HELLO 1\n");
	th_tr_data(&th, t, "LINE 0 ext200 200\nLINE 1 ext");
	th_tr_data(&th, t, "201 201\n");
	T_EXPECT_EQ(th.nadded, 2);
	h = th_submit(&th, CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0, "201");
	T_EXPECT_STR(th_tr_sent(&th, t), "CMD 1 0 0 0 0 0 0 =201\n");
	T_EXPECT_EQ(t->nsends, 2);
	th_tr_data(&th, t, "DONE 1 0 9\n");
	T_EXPECT_EQ(th_result(&th, h, NULL), 0);

	/* 1023 bytes of data make a line over CTI_LINK_FRAME_MAX. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	h = th_submit(&th, CTI_CMD_DEV_SPECIFIC, 0, 0, 0, 0, 0, big);
	T_EXPECT_EQ(th_result(&th, h, NULL), -E2BIG);
	T_EXPECT_STR(th_tr_sent(&th, t), "");

	/* Frames lost by the ring: the link is down, the card reopened. */
	th_tr_close(&th, t, -EIO);
	T_EXPECT_EQ(th.nadded, 0);
	th_run(&th, 100);
	T_EXPECT(th_tr_last(&th) != t && th_tr_last(&th)->kind == 'c');
	th_stop(&th);
	T_EXPECT_EQ(th.violations, 0);
}

static const struct t_case tests[] = {
	{ "config", test_config },
	{ "call", test_call },
	{ "authorize", test_authorize },
	{ "bad_input", test_bad_input },
	{ "timeout", test_timeout },
	{ "link_loss", test_link_loss },
	{ "shutdown", test_shutdown },
	{ "random_input", test_random_input },
	{ "card", test_card },
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
