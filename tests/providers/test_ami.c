// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_ami: the Asterisk Manager Interface provider (providers/ami)
 * against AMI traffic recorded from a real Asterisk 22 (ami/transcripts,
 * re-recorded by ami/record.py). The replay peer plays Asterisk's side
 * and checks every action the provider sends; the fake host of
 * tests/providers/fake_host.c checks the provider's rules (one completion
 * per request, CALL_INFO before states, authorize before other lines).
 *
 * Lines: 100..103 are Local/1XX@phones; 102 is an agent of queue sales.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "ami_replay.h"
#include "../../providers/ami/ami_reader.h"

#define L100	0
#define L101	1
#define L102	2
#define L103	3
#define NONE	CTI_CALL_NONE

static const char *const conf_md5[] = {
	"host=127.0.0.1", "port=15038", "username=cti", "secret=ctisecret",
	"line=line100 100 Local/100@phones", "line=line101 101 Local/101@phones",
	"line=line102 102 Local/102@phones sales",
	"line=line103 103 Local/103@phones", "timeout_ms=2000", NULL,
};

/* The same with ConfBridge rooms in cti-conf: conferences offered. */
static const char *const conf_rooms[] = {
	"host=127.0.0.1", "port=15038", "username=cti", "secret=ctisecret",
	"line=line100 100 Local/100@phones", "line=line101 101 Local/101@phones",
	"line=line102 102 Local/102@phones sales",
	"line=line103 103 Local/103@phones", "timeout_ms=2000",
	"conf_context=cti-conf", NULL,
};

static const char *const conf_wrong[] = {
	"host=127.0.0.1", "port=15038", "username=cti", "secret=wrong",
	"line=line100 100 Local/100@phones", NULL,
};

static const char *const conf_plain[] = {
	"host=127.0.0.1", "port=15038", "username=cti", "secret=ctisecret",
	"auth=plain", "line=line100 100 Local/100@phones", NULL,
};

struct ta {
	struct th th;
	struct replay r;
};

/* Start the provider on @conf and play @name up to its first action. */
static void ta_start(struct ta *x, const char *name, const char *const *conf)
{
	T_ASSERT(!rp_load(&x->r, name), "%s", x->r.err);
	T_ASSERT_EQ(th_start_tr(&x->th, conf), 0);
}

/* Play on; the next action the provider must send is @want. */
static void ta_next(struct ta *x, const char *want)
{
	const char *got = rp_play(&x->r, &x->th);

	T_ASSERT(got, "replay: %s", x->r.err);
	T_ASSERT(!strcmp(got, want), "transcript waits for '%s', not '%s'",
		 got, want);
}

static void ta_stop(struct ta *x)
{
	T_EXPECT_EQ(x->th.violations, 0);
	th_stop(&x->th);
	T_EXPECT_EQ(x->th.violations, 0);
	rp_free(&x->r);
}

/* Log in as the transcript did and stop at @first. */
static void ta_login(struct ta *x, const char *name, const char *first)
{
	ta_start(x, name, conf_md5);
	ta_next(x, first);
	T_EXPECT_EQ(((const struct cti_ev_line_status *)
		     th_last(&x->th, CTI_EV_LINE_STATUS, L100))->status,
		    CTI_LINE_IN_SERVICE);
}

static uint64_t ta_cmd(struct ta *x, uint32_t cmd, uint32_t line,
		       uint32_t call, uint32_t arg, const char *data)
{
	return th_submit(&x->th, cmd, line, call, NONE, arg, 0, data);
}

/* The request completed once with @err; its call. */
static uint32_t ta_done(struct ta *x, uint64_t h, int err)
{
	uint32_t call = NONE;

	T_EXPECT_EQ(th_result(&x->th, h, &call), err);
	T_EXPECT_EQ(th_completions(&x->th, h), 1);
	return call;
}

/* Play on to @next; the request @h completed with success: its call. */
static uint32_t ta_run(struct ta *x, uint64_t h, const char *next)
{
	ta_next(x, next);
	return ta_done(x, h, 0);
}

#define EXPECT_STATES(x, line, want) do {				\
	const char *_s = th_states(&(x)->th, (line));			\
	T_EXPECT(!strcmp(_s, (want)), "line %u: '%s', want '%s'",	\
		 (unsigned int)(line), _s, (want));			\
} while (0)

/* ---- the reader ------------------------------------------------------ */

struct rd_log {
	int n;
	char last[256];
};

static int rd_cb(void *arg, const struct ami_msg *m)
{
	struct rd_log *l = arg;
	size_t i, off = 0;

	l->n++;
	l->last[0] = '\0';
	for (i = 0; i < m->n && off < sizeof(l->last); i++)
		off += snprintf(l->last + off, sizeof(l->last) - off, "%s=%s;",
				m->f[i].key, m->f[i].value);
	return 0;
}

static void feed(struct ami_reader *r, const char *s)
{
	ami_reader_feed(r, s, strlen(s));
}

static void reader_bounds(void)
{
	static struct ami_reader r;
	struct rd_log l = { 0 };
	char big[3000];
	int i;

	ami_reader_init(&r, rd_cb, &l);
	feed(&r, "Asterisk Call Manager/9.0.0\r\n");
	T_EXPECT_EQ(l.n, 1);
	T_EXPECT(!strcmp(l.last, "Banner=Asterisk Call Manager/9.0.0;"), "%s",
		 l.last);
	/* Garbage lines are dropped, the message survives. */
	feed(&r, "Event: A\r\nno colon here\r\n: nokey\r\n"
			"Bad\x01: x\r\nK: v\x02\r\nX:\r\n\r\n");
	T_EXPECT_EQ(l.n, 2);
	T_EXPECT(!strcmp(l.last, "Event=A;X=;"), "%s", l.last);
	T_EXPECT_EQ(r.st.bad_lines, 4);
	/* An over-long line spoils its whole message. */
	memset(big, 'x', sizeof(big));
	feed(&r, "Event: B\r\nLong: ");
	ami_reader_feed(&r, big, sizeof(big));
	feed(&r, "\r\nMore: 1\r\n\r\nEvent: C\n\n");
	T_EXPECT_EQ(l.n, 3);
	T_EXPECT(!strcmp(l.last, "Event=C;"), "%s", l.last);
	T_EXPECT_EQ(r.st.long_lines, 1);
	T_EXPECT_EQ(r.st.long_msgs, 1);
	/* More fields than a message may hold: dropped whole. */
	for (i = 0; i < AMI_FIELDS_MAX + 1; i++)
		feed(&r, "K: v\r\n");
	feed(&r, "\r\n");
	T_EXPECT_EQ(l.n, 3);
	T_EXPECT_EQ(r.st.long_msgs, 2);
	/* Byte by byte gives the same message; blank lines are nothing. */
	for (i = 0; "\r\n\r\nEvent: D\r\nUniqueid: 1.5\r\n\r\n"[i]; i++)
		ami_reader_feed(&r, &"\r\n\r\nEvent: D\r\nUniqueid: 1.5\r\n\r\n"[i], 1);
	T_EXPECT_EQ(l.n, 4);
	T_EXPECT(!strcmp(l.last, "Event=D;Uniqueid=1.5;"), "%s", l.last);
}

/* ---- configuration and the link ------------------------------------- */

static void config_refused(void)
{
	static const char *const bad[][4] = {
		{ "host=h", "username=u", "secret=s", NULL },	/* no line */
		{ "host=h", "username=u", "secret=s", "line=a 1x Local/1@p" },
		{ "host=h", "username=u", "secret=s", "line=a 100 nodevice" },
		{ "host=h", "username=u", "secret=a b", "line=a 100 SIP/1" },
		{ "host=h", "username=u", "port=0", "line=a 100 SIP/1" },
		{ "host=h", "username=u", "auth=sha", "line=a 100 SIP/1" },
		{ "host=h", "username=u", "nosuch=1", "line=a 100 SIP/1" },
		{ "host=h", "username=u", "conf_context=a:b", "line=a 100 SIP/1" },
	};
	const char *kv[6];
	char msg[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(kv, bad[i], sizeof(bad[i]));
		kv[4] = i ? "secret=s" : NULL;
		if (i == 3)
			kv[4] = NULL;
		kv[5] = NULL;
		T_EXPECT_EQ(th_check_config(kv, msg, sizeof(msg)), -EINVAL);
	}
	T_EXPECT_EQ(th_check_config(conf_md5, msg, sizeof(msg)), 0);
	T_EXPECT_EQ(th_check_config(conf_rooms, msg, sizeof(msg)), 0);
	/* "line" is a list and may repeat; a single-valued key may not. */
	kv[0] = "host=h";
	kv[1] = "username=u";
	kv[2] = "secret=s";
	kv[3] = "line=alice 100 PJSIP/100";
	kv[4] = "line=bob 101 PJSIP/101";
	kv[5] = NULL;
	T_EXPECT_EQ(th_check_config(kv, msg, sizeof(msg)), 0);
	kv[4] = "host=h2";
	T_EXPECT_EQ(th_check_config(kv, msg, sizeof(msg)), -EINVAL);
	T_EXPECT(strstr(msg, "host: given twice (first at line"), "%s", msg);
	/* The named form: one key a line. */
	kv[0] = "host=h";
	kv[1] = "username=u";
	kv[2] = "secret=s";
	kv[3] = "line.alice=100 PJSIP/100 sales";
	kv[4] = "line.bob=101 PJSIP/101";
	kv[5] = NULL;
	T_EXPECT_EQ(th_check_config(kv, msg, sizeof(msg)), 0);
	kv[4] = "line.bob=100 PJSIP/101";	/* the same extension */
	T_EXPECT_EQ(th_check_config(kv, msg, sizeof(msg)), -EINVAL);
	/* TLS: files absolute, a certificate with its key. */
	kv[4] = "tls_ca=/etc/ssl/ami-ca.pem";
	T_EXPECT_EQ(th_check_config(kv, msg, sizeof(msg)), 0);
	kv[4] = "tls_ca=ami-ca.pem";
	T_EXPECT_EQ(th_check_config(kv, msg, sizeof(msg)), -EINVAL);
	kv[4] = "tls_cert=/etc/ssl/ctid.pem";
	T_EXPECT_EQ(th_check_config(kv, msg, sizeof(msg)), -EINVAL);
	kv[4] = "tls=maybe";
	T_EXPECT_EQ(th_check_config(kv, msg, sizeof(msg)), -EINVAL);
}

/* tls = yes on a host without a TLS transport: refused, not downgraded. */
static void tls_needs_the_host(void)
{
	static const char *const conf[] = {
		"host=pbx.example", "username=cti", "secret=s", "tls=yes",
		"line=a 100 PJSIP/100", NULL,
	};
	struct th th;

	T_EXPECT_EQ(th_start_tr(&th, conf), -EOPNOTSUPP);
	T_EXPECT_EQ(th.ntr, 0);		/* no plain TCP instead */
	T_EXPECT(strstr(th.last_log, "TLS") != NULL, "%s", th.last_log);
}

static void down_fails_at_once(void)
{
	struct ta x;
	uint64_t h;

	memset(&x.r, 0, sizeof(x.r));
	T_ASSERT_EQ(th_start_tr(&x.th, conf_md5), 0);
	/* Lines exist but are out of service until the login. */
	T_EXPECT_EQ(x.th.descs[L100].status, CTI_LINE_OUT_OF_SERVICE);
	T_EXPECT(!(x.th.descs[L100].ops & (1u << CTI_CMD_HOLD)), "no hold");
	T_EXPECT(!(x.th.descs[L100].ops & (1u << CTI_CMD_ANSWER)), "no answer");
	T_EXPECT(x.th.descs[L102].uops != 0, "102 is an agent");
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101");
	ta_done(&x, h, -EIO);
	/* A failed connect backs off and tries again. */
	th_tr_connect(&x.th, th_tr_last(&x.th), -ECONNREFUSED);
	T_EXPECT_EQ(x.th.ntr, 1);
	th_run(&x.th, 600);
	T_EXPECT_EQ(x.th.ntr, 2);
	th_tr_connect(&x.th, th_tr_last(&x.th), -ECONNREFUSED);
	th_run(&x.th, 600);
	T_EXPECT_EQ(x.th.ntr, 2);	/* 1000 ms now */
	th_run(&x.th, 500);
	T_EXPECT_EQ(x.th.ntr, 3);
	th_stop(&x.th);
	T_EXPECT_EQ(x.th.violations, 0);
}

static void login_refused(void)
{
	struct ta x;
	uint64_t h;

	ta_start(&x, "login_refused", conf_wrong);
	T_ASSERT_EQ(th_tr_last(&x.th)->port, 15038);
	ta_next(&x, "");
	T_EXPECT(strstr(x.th.last_log, "retry") != NULL, "%s", x.th.last_log);
	T_EXPECT_EQ(x.th.log_errors, 1);
	T_EXPECT_EQ(th_count(&x.th, CTI_EV_LINK_STATE, CTI_LINE_NONE), 0);
	T_EXPECT(!th_tr_last(&x.th)->open, "the link is closed");
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101");
	ta_done(&x, h, -EIO);
	/* Refused credentials wait the longest backoff. */
	th_run(&x.th, 29000);
	T_EXPECT_EQ(x.th.ntr, 1);
	th_run(&x.th, 1000);
	T_EXPECT_EQ(x.th.ntr, 2);
	th_stop(&x.th);
	T_EXPECT_EQ(x.th.violations, 0);
	rp_free(&x.r);
}

static void login_plain(void)
{
	struct ta x;

	ta_start(&x, "login_plain", conf_plain);
	ta_next(&x, "");
	T_EXPECT_EQ(th_count(&x.th, CTI_EV_LINK_STATE, CTI_LINE_NONE), 1);
	T_EXPECT_EQ(((const struct cti_ev_line_status *)
		     th_last(&x.th, CTI_EV_LINE_STATUS, L100))->status,
		    CTI_LINE_IN_SERVICE);
	th_stop(&x.th);
	T_EXPECT_EQ(x.th.violations, 0);
	rp_free(&x.r);
}

/* ---- calls ----------------------------------------------------------- */

/* Line 100 calls 101, which answers; 100 hangs up. */
static void click_to_dial(void)
{
	struct ta x;
	uint32_t a1;
	uint64_t h;

	ta_login(&x, "click_to_dial", "Originate");
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101");
	ta_next(&x, "Hangup");
	a1 = ta_done(&x, h, 0);
	T_ASSERT(a1 != NONE, "a call");
	T_EXPECT(!strcmp(th_info(&x.th, L100, a1), "100>101 o=3 r=DIRECT rel=0"),
		 "%s", th_info(&x.th, L100, a1));
	h = ta_cmd(&x, CTI_CMD_DROP, L100, a1, 0, NULL);
	ta_next(&x, "");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:DIALING 1:RINGBACK 1:CONNECTED 1:IDLE/NORMAL");
	EXPECT_STATES(&x, L101, "2:OFFERING 2:CONNECTED 2:DISCONNECTED/NORMAL");
	T_EXPECT(!strncmp(th_info(&x.th, L101, 2), "100>101 o=3", 11), "%s",
		 th_info(&x.th, L101, 2));
	/* The client drops the dead call: no action, IDLE from a timer. */
	h = ta_cmd(&x, CTI_CMD_DROP, L101, 2, 0, NULL);
	ta_done(&x, h, 0);
	th_run(&x.th, 1);
	EXPECT_STATES(&x, L101, "2:OFFERING 2:CONNECTED 2:DISCONNECTED/NORMAL "
		      "2:IDLE/NORMAL");
	T_EXPECT_EQ(x.th.tr[0].nsent, 0);
	h = ta_cmd(&x, CTI_CMD_DROP, L101, 2, 0, NULL);
	ta_done(&x, h, -ENOENT);
	ta_stop(&x);
}

static void busy(void)
{
	struct ta x;
	uint64_t h;

	ta_login(&x, "busy", "Originate");
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101");
	ta_next(&x, "");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:DIALING 1:RINGBACK 1:BUSY 1:DISCONNECTED/BUSY");
	ta_stop(&x);
}

static void no_answer(void)
{
	struct ta x;
	uint64_t h;

	ta_login(&x, "no_answer", "Originate");
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101");
	ta_next(&x, "");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:DIALING 1:RINGBACK 1:DISCONNECTED/NO_ANSWER");
	EXPECT_STATES(&x, L101, "2:OFFERING 2:DISCONNECTED/NORMAL");
	ta_stop(&x);
}

/* 5551234 calls 100, which answers; the caller hangs up. */
static void inbound_answered(void)
{
	struct ta x;

	ta_login(&x, "inbound_answered", "");
	EXPECT_STATES(&x, L100, "1:OFFERING 1:CONNECTED 1:DISCONNECTED/NORMAL");
	T_EXPECT(!strcmp(th_info(&x.th, L100, 1), "5551234>100 o=2 r=DIRECT rel=0"),
		 "%s", th_info(&x.th, L100, 1));
	ta_stop(&x);
}

static void caller_hangup_ringing(void)
{
	struct ta x;

	ta_login(&x, "caller_hangup_ringing", "");
	EXPECT_STATES(&x, L100, "1:OFFERING 1:DISCONNECTED/NORMAL");
	ta_stop(&x);
}

static void callee_hangup(void)
{
	struct ta x;
	uint64_t h;

	ta_login(&x, "callee_hangup", "Originate");
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101");
	ta_next(&x, "");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:DIALING 1:RINGBACK 1:CONNECTED "
		      "1:DISCONNECTED/NORMAL");
	EXPECT_STATES(&x, L101, "2:OFFERING 2:CONNECTED 2:DISCONNECTED/NORMAL");
	ta_stop(&x);
}

/* Line 100's own phone hangs up while 101 still rings. */
static void caller_hangup_ringback(void)
{
	struct ta x;
	uint64_t h;

	ta_login(&x, "caller_hangup_ringback", "Originate");
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101");
	ta_next(&x, "");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:DIALING 1:RINGBACK 1:DISCONNECTED/NORMAL");
	EXPECT_STATES(&x, L101, "2:OFFERING 2:DISCONNECTED/NORMAL");
	ta_stop(&x);
}

/* Line 100's phone rings for the click-to-dial and is hung up. */
static void caller_hangup_dialing(void)
{
	struct ta x;
	uint64_t h;

	ta_login(&x, "caller_hangup_dialing", "Originate");
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101");
	ta_next(&x, "");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:DIALING 1:DISCONNECTED/NORMAL");
	EXPECT_STATES(&x, L101, "");
	ta_stop(&x);
}

static void blind_transfer(void)
{
	struct ta x;
	uint64_t h;

	ta_login(&x, "blind_transfer", "BlindTransfer");
	h = ta_cmd(&x, CTI_CMD_BLIND_TRANSFER, L100, 1, 0, "101");
	T_EXPECT_EQ(th_asked(&x.th, L101, CTI_REACH_CALL), 1);
	ta_next(&x, "");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:OFFERING 1:CONNECTED 1:IDLE/TRANSFERRED");
	EXPECT_STATES(&x, L101, "2:OFFERING/TRANSFER 2:CONNECTED "
		      "2:DISCONNECTED/NORMAL");
	T_EXPECT(!strcmp(th_info(&x.th, L101, 2),
			 "5551234>101 o=2 r=TRANSFER rel=0"), "%s",
		 th_info(&x.th, L101, 2));
	ta_stop(&x);
}

/* 100 consults 101 about the outside caller, then hands it over. */
static void consult_transfer(void)
{
	struct ta x;
	uint64_t h;
	uint32_t a2;

	ta_login(&x, "consult_transfer", "Atxfer");
	h = ta_cmd(&x, CTI_CMD_SETUP_TRANSFER, L100, 1, 0, "101");
	T_EXPECT_EQ(th_asked(&x.th, L101, CTI_REACH_CALL), 1);
	ta_next(&x, "Hangup");
	a2 = ta_done(&x, h, 0);
	T_ASSERT(a2 != NONE && a2 != 1, "a consultation call");
	T_EXPECT(!strcmp(th_info(&x.th, L100, a2), "100>101 o=3 r=DIRECT rel=1"),
		 "%s", th_info(&x.th, L100, a2));
	/* The held call comes first; a conference AMI cannot make. */
	h = th_submit(&x.th, CTI_CMD_COMPLETE_TRANSFER, L100, a2, 1, 0, 0, NULL);
	ta_done(&x, h, -EBUSY);
	h = th_submit(&x.th, CTI_CMD_COMPLETE_TRANSFER, L100, 1, a2, 1, 0, NULL);
	ta_done(&x, h, -EOPNOTSUPP);
	h = th_submit(&x.th, CTI_CMD_COMPLETE_TRANSFER, L100, 1, a2, 0, 0, NULL);
	ta_next(&x, "");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:OFFERING 1:CONNECTED 1:ONHOLDPENDTRANSFER "
		      "2:DIALING 2:RINGBACK 2:CONNECTED 2:IDLE/TRANSFERRED "
		      "1:IDLE/TRANSFERRED");
	EXPECT_STATES(&x, L101, "3:OFFERING 3:CONNECTED 3:DISCONNECTED/NORMAL");
	/* 101 was called by 100; after the transfer it talks to 5551234. */
	T_EXPECT(!strncmp(th_info(&x.th, L101, 3), "5551234>101", 11), "%s",
		 th_info(&x.th, L101, 3));
	ta_stop(&x);
}

/*
 * 100 consults 101, then drops the consultation: the held call is ONHOLD
 * (as the sim has it) until Asterisk's Unhold says 100 is back with the
 * outside caller.
 */
static void consult_dropped(void)
{
	struct ta x;
	uint64_t h;
	uint32_t a2;

	ta_login(&x, "consult_dropped", "Atxfer");
	h = ta_cmd(&x, CTI_CMD_SETUP_TRANSFER, L100, 1, 0, "101");
	ta_next(&x, "Hangup");
	a2 = ta_done(&x, h, 0);
	T_ASSERT(a2 != NONE && a2 != 1, "a consultation call");
	h = ta_cmd(&x, CTI_CMD_DROP, L100, a2, 0, NULL);
	ta_next(&x, "");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:OFFERING 1:CONNECTED 1:ONHOLDPENDTRANSFER "
		      "2:DIALING 2:RINGBACK 2:CONNECTED 2:IDLE/NORMAL "
		      "1:ONHOLD 1:CONNECTED 1:DISCONNECTED/NORMAL");
	T_EXPECT(strstr(th_info(&x.th, L100, 1), "rel=0") != NULL, "%s",
		 th_info(&x.th, L100, 1));
	EXPECT_STATES(&x, L101, "3:OFFERING 3:CONNECTED 3:DISCONNECTED/NORMAL");
	ta_stop(&x);
}

/*
 * 101 forwards to 102, then on busy to 103: the dialplan's REDIRECTING,
 * shown by channelvars, makes the offered calls FORWARD.
 */
static void forward_calls(void)
{
	struct ta x;
	uint32_t a1;

	ta_login(&x, "forward_calls", "DBPut");
	ta_run(&x, ta_cmd(&x, CTI_CMD_SET_FORWARD, L101, NONE,
			  CTI_FORWARD_UNCONDITIONAL, "102"), "Originate");
	a1 = ta_run(&x, ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101"),
		    "Hangup");
	ta_run(&x, ta_cmd(&x, CTI_CMD_DROP, L100, a1, 0, NULL), "DBPut");
	ta_run(&x, ta_cmd(&x, CTI_CMD_SET_FORWARD, L101, NONE,
			  CTI_FORWARD_BUSY, "103"), "Originate");
	a1 = ta_run(&x, ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101"),
		    "Hangup");
	ta_run(&x, ta_cmd(&x, CTI_CMD_DROP, L100, a1, 0, NULL), "");
	T_EXPECT(!strncmp(th_states(&x.th, L102), "2:OFFERING/FORWARD ", 19),
		 "%s", th_states(&x.th, L102));
	T_EXPECT(!strcmp(th_info(&x.th, L102, 2), "100>102 o=3 r=FORWARD rel=0"),
		 "%s", th_info(&x.th, L102, 2));
	/* The caller rings on through the forward: no BUSY on its call. */
	EXPECT_STATES(&x, L100, "1:DIALING 1:RINGBACK 1:CONNECTED 1:IDLE/NORMAL "
		      "3:DIALING 3:RINGBACK 3:CONNECTED 3:IDLE/NORMAL");
	/* Asterisk rang the busy 101, which forwarded the call to 103. */
	EXPECT_STATES(&x, L101, "4:OFFERING 4:IDLE/FORWARDED");
	T_EXPECT(strstr(th_states(&x.th, L101), "OFFERING/FORWARD") == NULL,
		 "%s", th_states(&x.th, L101));
	T_EXPECT(strstr(th_states(&x.th, L103), "OFFERING/FORWARD") != NULL,
		 "%s", th_states(&x.th, L103));
	ta_stop(&x);
}

/*
 * 100 talks to the outside, sets up a conference with 101 and joins the
 * three in a ConfBridge; then drops 101's party, the outside leaves,
 * 100 hangs up. Without conf_context conferences are not offered.
 */
static void conference(void)
{
	const uint64_t confs = (1ull << CTI_CMD_SETUP_CONFERENCE) |
		(1ull << CTI_CMD_ADD_TO_CONFERENCE);
	struct ta x;
	uint64_t h;
	uint32_t b2;

	ta_login(&x, "conference", "Atxfer");
	T_EXPECT_EQ(x.th.descs[L100].ops & confs, 0);
	h = ta_cmd(&x, CTI_CMD_SETUP_CONFERENCE, L100, 1, 0, "101");
	ta_done(&x, h, -EOPNOTSUPP);
	ta_stop(&x);

	ta_start(&x, "conference", conf_rooms);
	ta_next(&x, "Atxfer");
	T_EXPECT_EQ(x.th.descs[L100].ops & confs, confs);
	h = ta_cmd(&x, CTI_CMD_SETUP_CONFERENCE, L100, 1, 0, "101");
	ta_next(&x, "Redirect");
	b2 = ta_done(&x, h, 0);
	T_ASSERT(b2 != NONE && b2 != 1, "a consultation call");
	T_EXPECT(!strcmp(th_info(&x.th, L100, b2), "100>101 o=3 r=DIRECT rel=1"),
		 "%s", th_info(&x.th, L100, b2));
	/* The held call first; the consultation must be this one's. */
	h = th_submit(&x.th, CTI_CMD_ADD_TO_CONFERENCE, L100, b2, 1, 0, 0,
		      NULL);
	ta_done(&x, h, -EBUSY);
	h = th_submit(&x.th, CTI_CMD_ADD_TO_CONFERENCE, L100, 1, b2, 0, 0,
		      NULL);
	ta_next(&x, "Hangup");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:OFFERING 1:CONNECTED 1:ONHOLDPENDCONF "
		      "2:DIALING 2:RINGBACK 2:CONNECTED 1:CONFERENCED "
		      "2:CONFERENCED");
	EXPECT_STATES(&x, L101, "3:OFFERING 3:CONNECTED 3:CONFERENCED");
	T_EXPECT(strstr(th_info(&x.th, L101, 3), "rel=1") != NULL, "%s",
		 th_info(&x.th, L101, 3));
	/* 100 drops 101's party: its channel goes, the call with it. */
	h = ta_cmd(&x, CTI_CMD_DROP, L100, b2, 0, NULL);
	ta_next(&x, "Hangup");
	ta_done(&x, h, 0);
	h = ta_cmd(&x, CTI_CMD_DROP, L100, 1, 0, NULL);
	ta_next(&x, "");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:OFFERING 1:CONNECTED 1:ONHOLDPENDCONF "
		      "2:DIALING 2:RINGBACK 2:CONNECTED 1:CONFERENCED "
		      "2:CONFERENCED 2:IDLE/NORMAL 1:IDLE/NORMAL");
	EXPECT_STATES(&x, L101, "3:OFFERING 3:CONNECTED 3:CONFERENCED "
		      "3:DISCONNECTED/NORMAL");
	ta_stop(&x);
}

/* A consultation completed as a conference: the same two Redirects. */
static void transfer_as_conference(void)
{
	struct ta x;
	uint64_t h;
	uint32_t b2;

	ta_start(&x, "conference", conf_rooms);
	ta_next(&x, "Atxfer");
	h = ta_cmd(&x, CTI_CMD_SETUP_TRANSFER, L100, 1, 0, "101");
	ta_next(&x, "Redirect");
	b2 = ta_done(&x, h, 0);
	h = th_submit(&x.th, CTI_CMD_COMPLETE_TRANSFER, L100, 1, b2, 7, 0,
		      NULL);
	ta_done(&x, h, -EINVAL);	/* no such mode */
	h = th_submit(&x.th, CTI_CMD_COMPLETE_TRANSFER, L100, 1, b2,
		      CTI_TRANSFER_MODE_CONFERENCE, 0, NULL);
	ta_next(&x, "Hangup");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:OFFERING 1:CONNECTED 1:ONHOLDPENDTRANSFER "
		      "2:DIALING 2:RINGBACK 2:CONNECTED 1:CONFERENCED "
		      "2:CONFERENCED");
	T_EXPECT_EQ(((const struct cti_ev_call_state *)
		     th_last(&x.th, CTI_EV_CALL_STATE, L100))->related_call, 1);
	EXPECT_STATES(&x, L101, "3:OFFERING 3:CONNECTED 3:CONFERENCED");
	ta_stop(&x);
}

/*
 * 101 forwards on no answer to 102: 101 rings for Dial's 6 s, its call
 * ends IDLE/FORWARDED and 102 is offered the call as FORWARD.
 */
static void forward_noanswer(void)
{
	struct ta x;
	uint32_t a1;

	ta_login(&x, "forward_noanswer", "DBPut");
	ta_run(&x, ta_cmd(&x, CTI_CMD_SET_FORWARD, L101, NONE,
			  CTI_FORWARD_NO_ANSWER, "102"), "Originate");
	a1 = ta_run(&x, ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101"),
		    "Hangup");
	ta_run(&x, ta_cmd(&x, CTI_CMD_DROP, L100, a1, 0, NULL), "");
	EXPECT_STATES(&x, L101, "2:OFFERING 2:IDLE/FORWARDED");
	EXPECT_STATES(&x, L102, "3:OFFERING/FORWARD 3:CONNECTED "
		      "3:DISCONNECTED/NORMAL");
	EXPECT_STATES(&x, L100, "1:DIALING 1:RINGBACK 1:CONNECTED "
		      "1:IDLE/NORMAL");
	ta_stop(&x);
}

static void redirect(void)
{
	struct ta x;
	uint64_t h;

	ta_login(&x, "redirect", "Redirect");
	h = ta_cmd(&x, CTI_CMD_REDIRECT, L101, 1, 0, "102");
	T_EXPECT_EQ(th_asked(&x.th, L102, CTI_REACH_CALL), 1);
	ta_next(&x, "");
	ta_done(&x, h, 0);
	EXPECT_STATES(&x, L101, "1:OFFERING 1:IDLE/REDIRECTED");
	EXPECT_STATES(&x, L102, "2:OFFERING/REDIRECT 2:CONNECTED "
		      "2:DISCONNECTED/NORMAL");
	T_EXPECT(!strcmp(th_info(&x.th, L102, 2),
			 "5551234>102 o=2 r=REDIRECT rel=0"), "%s",
		 th_info(&x.th, L102, 2));
	ta_stop(&x);
}

static void park_unpark(void)
{
	struct ta x;
	char slot[16];
	uint64_t h;
	uint32_t b1;

	ta_login(&x, "park_unpark", "Park");
	h = ta_cmd(&x, CTI_CMD_PARK, L100, 1, 0, NULL);
	ta_next(&x, "Originate");
	ta_done(&x, h, 0);
	T_ASSERT(rp_find(&x.r, "ParkedCall", "ParkingSpace", slot,
			 sizeof(slot)), "parked");
	h = ta_cmd(&x, CTI_CMD_UNPARK, L101, NONE, 0, slot);
	ta_next(&x, "");
	b1 = ta_done(&x, h, 0);
	EXPECT_STATES(&x, L100, "1:OFFERING 1:CONNECTED 1:IDLE/NORMAL");
	T_EXPECT(strstr(th_states(&x.th, L101), "2:DIALING 2:CONNECTED") != NULL,
		 "%s", th_states(&x.th, L101));
	T_EXPECT(strstr(th_info(&x.th, L101, b1), "r=UNPARK") != NULL, "%s",
		 th_info(&x.th, L101, b1));
	ta_stop(&x);
}

static void pickup(void)
{
	struct ta x;
	uint64_t h;
	uint32_t a1;

	ta_login(&x, "pickup", "Originate");
	h = ta_cmd(&x, CTI_CMD_PICKUP, L100, NONE, 0, "101");
	T_EXPECT_EQ(th_asked(&x.th, L101, CTI_REACH_PICKUP), 1);
	ta_next(&x, "");
	a1 = ta_done(&x, h, 0);
	EXPECT_STATES(&x, L101, "1:OFFERING 1:IDLE/PICKUP");
	T_EXPECT(strstr(th_states(&x.th, L100), "2:DIALING 2:CONNECTED") != NULL,
		 "%s", th_states(&x.th, L100));
	T_EXPECT(strstr(th_info(&x.th, L100, a1), "r=PICKUP") != NULL, "%s",
		 th_info(&x.th, L100, a1));
	ta_stop(&x);
}

static void dtmf(void)
{
	struct ta x;
	const struct cti_ev_digits *d;
	uint64_t h;

	ta_login(&x, "dtmf", "PlayDTMF");
	h = ta_cmd(&x, CTI_CMD_GENERATE_DIGITS, L100, 1, 0, "12");
	ta_next(&x, "");
	ta_done(&x, h, 0);
	T_EXPECT_EQ(th_count(&x.th, CTI_EV_DIGITS, L100), 2);
	d = th_last(&x.th, CTI_EV_DIGITS, L100);
	T_EXPECT(d && d->digits[0] == '5', "the phone's 45");
	h = ta_cmd(&x, CTI_CMD_GENERATE_DIGITS, L100, 1, 0, "1x");
	ta_done(&x, h, -EBUSY);
	ta_stop(&x);
}

static const struct cti_uev_agent_state *agent(struct ta *x)
{
	return th_last(&x->th, CTI_UEV_AGENT_STATE, L102);
}

/* SET_AGENT_STATE @state (@reason) on 102; play on to @next. */
static void agent_set(struct ta *x, uint32_t state, uint32_t reason,
		      const char *next)
{
	uint64_t h = th_submit(&x->th, CTI_UCMD_SET_AGENT_STATE, L102, NONE,
			       NONE, state, reason, NULL);

	ta_next(x, next);
	ta_done(x, h, 0);
}

/* After-call work: a pause of the agent's queues with the reason "acw". */
static void queue_acw(void)
{
	struct ta x;
	uint64_t h;

	ta_login(&x, "queue_acw", "QueueAdd");
	h = th_submit(&x.th, CTI_UCMD_SET_AGENT_STATE, L102, NONE, NONE,
		      CTI_AGENT_AFTER_CALL_WORK, 0, NULL);
	ta_done(&x, h, -EBUSY);		/* logged out: no work to wrap up */
	agent_set(&x, CTI_AGENT_READY, 0, "QueuePause");
	T_ASSERT(agent(&x), "agent state");
	T_EXPECT_EQ(agent(&x)->state, CTI_AGENT_READY);
	agent_set(&x, CTI_AGENT_AFTER_CALL_WORK, 0, "QueuePause");
	T_EXPECT_EQ(agent(&x)->state, CTI_AGENT_AFTER_CALL_WORK);
	T_EXPECT_EQ(agent(&x)->reason, 0);
	agent_set(&x, CTI_AGENT_READY, 0, "QueueRemove");
	T_EXPECT_EQ(agent(&x)->state, CTI_AGENT_READY);
	agent_set(&x, CTI_AGENT_LOGGED_OUT, 0, "");
	T_EXPECT_EQ(agent(&x)->state, CTI_AGENT_LOGGED_OUT);
	ta_stop(&x);
}

static void queue_agent(void)
{
	struct ta x;

	ta_login(&x, "queue_agent", "QueueAdd");
	agent_set(&x, CTI_AGENT_NOT_READY, 0, "QueuePause");
	T_ASSERT(agent(&x), "agent state");
	T_EXPECT_EQ(agent(&x)->state, CTI_AGENT_NOT_READY);
	T_EXPECT(!strcmp(agent(&x)->groups, "sales"), "%s", agent(&x)->groups);
	agent_set(&x, CTI_AGENT_READY, 0, "QueuePause");
	T_EXPECT_EQ(agent(&x)->state, CTI_AGENT_READY);
	agent_set(&x, CTI_AGENT_NOT_READY, 3, "QueuePause");
	T_EXPECT_EQ(agent(&x)->state, CTI_AGENT_NOT_READY);
	T_EXPECT_EQ(agent(&x)->reason, 3);
	agent_set(&x, CTI_AGENT_READY, 0, "QueueRemove");
	/* The queue call: 102 rings, answers, the caller hangs up. */
	T_EXPECT(strstr(th_states(&x.th, L102), "1:OFFERING 1:CONNECTED") != NULL,
		 "%s", th_states(&x.th, L102));
	T_EXPECT(th_count(&x.th, CTI_UEV_AGENT_STATE, L102) >= 5, "busy seen");
	T_EXPECT_EQ(agent(&x)->state, CTI_AGENT_READY);
	agent_set(&x, CTI_AGENT_LOGGED_OUT, 0, "");
	T_EXPECT_EQ(agent(&x)->state, CTI_AGENT_LOGGED_OUT);
	ta_stop(&x);
}

static void dnd_forward(void)
{
	const struct cti_ev_line_status *st;
	struct ta x;
	uint64_t h;

	ta_login(&x, "dnd_forward", "DBPut");
	h = ta_cmd(&x, CTI_CMD_SET_DND, L101, NONE, 1, NULL);
	ta_next(&x, "DBPut");
	ta_done(&x, h, 0);
	st = th_last(&x.th, CTI_EV_LINE_STATUS, L101);
	T_EXPECT(st && st->dnd == 1, "dnd on");
	h = ta_cmd(&x, CTI_CMD_SET_FORWARD, L102, NONE,
		   CTI_FORWARD_UNCONDITIONAL, "103");
	T_EXPECT_EQ(th_asked(&x.th, L103, CTI_REACH_CALL), 1);
	ta_next(&x, "");
	ta_done(&x, h, 0);
	st = th_last(&x.th, CTI_EV_LINE_STATUS, L102);
	T_EXPECT(st && st->forward_mode == CTI_FORWARD_UNCONDITIONAL &&
		 !strcmp(st->forward_to, "103"), "forwarded");
	ta_stop(&x);
}

/* The AstDB convention with the test dialplan: DND busy, forwarding. */
static void dnd_forward_calls(void)
{
	struct ta x;
	uint64_t h;
	uint32_t a1, a2;

	ta_login(&x, "dnd_forward_calls", "DBPut");
	h = ta_cmd(&x, CTI_CMD_SET_DND, L101, NONE, 1, NULL);
	ta_next(&x, "Originate");
	ta_done(&x, h, 0);
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101");
	ta_next(&x, "DBPut");
	a1 = ta_done(&x, h, 0);
	h = ta_cmd(&x, CTI_CMD_SET_FORWARD, L102, NONE,
		   CTI_FORWARD_UNCONDITIONAL, "103");
	ta_next(&x, "Originate");
	ta_done(&x, h, 0);
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "102");
	ta_next(&x, "Hangup");
	a2 = ta_done(&x, h, 0);
	h = ta_cmd(&x, CTI_CMD_DROP, L100, a2, 0, NULL);
	ta_next(&x, "");
	ta_done(&x, h, 0);
	/* 101 never rang; 102 neither: 103 took its call. */
	EXPECT_STATES(&x, L101, "");
	EXPECT_STATES(&x, L102, "");
	/*
	 * DND answers Busy() before any Dial: the Local "phone" of 100 hangs
	 * up on the busy signal (cause 0), as a person would.
	 */
	T_EXPECT(!strncmp(th_states(&x.th, L100),
			  "1:DIALING 1:DISCONNECTED/NORMAL 2:DIALING 2:RINGBACK "
			  "2:CONNECTED 2:IDLE/NORMAL", 80), "%s",
		 th_states(&x.th, L100));
	T_EXPECT(a1 != a2, "two calls");
	T_EXPECT(strstr(th_states(&x.th, L103), "OFFERING/FORWARD") != NULL &&
		 strstr(th_states(&x.th, L103), "CONNECTED") != NULL, "%s",
		 th_states(&x.th, L103));
	ta_stop(&x);
}

/* ---- the link -------------------------------------------------------- */

/* The link drops while 100 talks; after the reconnect the call is kept. */
static void link_cut(void)
{
	struct ta x;

	ta_login(&x, "link_cut", "");
	EXPECT_STATES(&x, L100, "1:OFFERING 1:CONNECTED 1:DISCONNECTED/NORMAL");
	/* Down once, up twice; lines out of service in between. */
	T_EXPECT_EQ(th_count(&x.th, CTI_EV_LINK_STATE, CTI_LINE_NONE), 3);
	T_EXPECT(x.th.ntr == 2, "reconnected");
	/* The call kept its handle: no second CALL_INFO after the resync. */
	T_EXPECT_EQ(th_count(&x.th, CTI_EV_CALL_INFO, L100), 1);
	ta_stop(&x);
}

/*
 * Across a link cut: a call whose channel is still listed keeps its
 * handle and state, one whose channel went is DISCONNECTED, a channel
 * that appeared meanwhile becomes a call.
 */
static void resync_after_cut(void)
{
	static const char *const offer[] = {
		"Event: DialBegin\r\nChannel: PJSIP/trunk-1\r\n"
		"Uniqueid: 9.1\r\nCallerIDNum: 555\r\n"
		"DestChannel: Local/100@phones-00000001;1\r\n"
		"DestUniqueid: 9.2\r\n\r\n",
		"Event: DialBegin\r\nChannel: PJSIP/trunk-2\r\n"
		"Uniqueid: 9.3\r\nCallerIDNum: 556\r\n"
		"DestChannel: Local/101@phones-00000002;1\r\n"
		"DestUniqueid: 9.4\r\n\r\n",
	};
	struct ta x;

	memset(&x.r, 0, sizeof(x.r));	/* no transcript: nothing recorded */
	T_ASSERT_EQ(th_start_tr(&x.th, conf_md5), 0);
	rp_fake_login(&x.th, "");
	th_tr_data(&x.th, th_tr_last(&x.th), offer[0]);
	th_tr_data(&x.th, th_tr_last(&x.th), offer[1]);
	EXPECT_STATES(&x, L100, "1:OFFERING");
	th_tr_close(&x.th, th_tr_last(&x.th), -ECONNRESET);
	th_run(&x.th, 500);
	/* 9.2 still rings, 9.4 is gone, 9.6 is new and up. */
	rp_fake_login(&x.th,
		      "Event: CoreShowChannel\r\n"
		      "Channel: Local/100@phones-00000001;1\r\n"
		      "Uniqueid: 9.2\r\nChannelState: 5\r\n\r\n"
		      "Event: CoreShowChannel\r\n"
		      "Channel: Local/103@phones-00000003;1\r\n"
		      "Uniqueid: 9.6\r\nChannelState: 6\r\n"
		      "CallerIDNum: 103\r\nConnectedLineNum: 777\r\n\r\n");
	EXPECT_STATES(&x, L100, "1:OFFERING");
	EXPECT_STATES(&x, L101, "2:OFFERING 2:DISCONNECTED/NORMAL");
	EXPECT_STATES(&x, L103, "3:CONNECTED");
	T_EXPECT(!strcmp(th_info(&x.th, L103, 3), "103>777 o=0 r=DIRECT rel=0"),
		 "%s", th_info(&x.th, L103, 3));
	T_EXPECT_EQ(th_count(&x.th, CTI_EV_LINK_STATE, CTI_LINE_NONE), 3);
	ta_stop(&x);
}

/* A silent Asterisk is pinged, then given up and reconnected. */
static void keepalive_dead_peer(void)
{
	const struct cti_ev_line_status *st;
	struct ta x;
	uint64_t h;

	ta_login(&x, "dnd_forward", "DBPut");
	th_run(&x.th, 9999);
	T_EXPECT(!strstr(th_tr_sent(&x.th, x.r.t), "Ping"), "no Ping yet");
	th_run(&x.th, 1);
	T_EXPECT(strstr(th_tr_sent(&x.th, x.r.t), "Action: Ping\r\n") != NULL,
		 "a Ping after 10 s of silence");
	h = ta_cmd(&x, CTI_CMD_SET_DND, L101, NONE, 1, NULL);
	th_run(&x.th, 2000);		/* neither answered */
	ta_done(&x, h, -EIO);		/* failed with the link, once */
	T_EXPECT(!x.r.t->open, "the dead link is closed");
	st = th_last(&x.th, CTI_EV_LINE_STATUS, L100);
	T_EXPECT(st && st->status == CTI_LINE_OUT_OF_SERVICE, "out of service");
	T_EXPECT_EQ(th_count(&x.th, CTI_EV_LINK_STATE, CTI_LINE_NONE), 2);
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101");
	ta_done(&x, h, -EIO);		/* at once while down */
	th_run(&x.th, 500);
	T_EXPECT_EQ(x.th.ntr, 2);	/* and it tries again */
	ta_stop(&x);
}

/* Slow Asterisk: -ETIMEDOUT once; the late answer changes nothing. */
static void slow_asterisk(void)
{
	struct ta x;
	uint64_t h;

	ta_login(&x, "dnd_forward", "DBPut");
	h = ta_cmd(&x, CTI_CMD_SET_DND, L101, NONE, 1, NULL);
	th_run(&x.th, 1999);
	T_EXPECT_EQ(th_completions(&x.th, h), 0);
	th_run(&x.th, 1);
	ta_done(&x, h, -ETIMEDOUT);
	ta_next(&x, "DBPut");
	ta_done(&x, h, -ETIMEDOUT);
	T_EXPECT(((const struct cti_ev_line_status *)
		  th_last(&x.th, CTI_EV_LINE_STATUS, L101))->dnd == 0,
		 "a timed-out request has no effect here");
	ta_stop(&x);
}

/* Asterisk refuses an action: the REPLY says why, once. */
static void error_response(void)
{
	static const char *const why[][2] = {
		{ "Permission denied", "EACCES" },
		{ "No such channel", "ENOENT" },
		{ "Something else", "EIO" },
	};
	const int err[] = { -EACCES, -ENOENT, -EIO };
	char resp[256];
	const char *sent;
	struct ta x;
	uint64_t h;
	int i;

	ta_login(&x, "dnd_forward", "DBPut");
	for (i = 0; i < 3; i++) {
		h = ta_cmd(&x, CTI_CMD_SET_DND, L101, NONE, 1, NULL);
		sent = strstr(th_tr_sent(&x.th, x.r.t), "ActionID: ");
		T_ASSERT(sent, "an ActionID");
		snprintf(resp, sizeof(resp), "Response: Error\r\n%.*s\r\n"
			 "Message: %s\r\n\r\n", (int)strcspn(sent, "\r"),
			 sent, why[i][0]);
		th_tr_data(&x.th, x.r.t, resp);
		T_EXPECT(th_result(&x.th, h, NULL) == err[i], "%s", why[i][1]);
		th_tr_data(&x.th, x.r.t, resp);	/* twice: ignored */
		T_EXPECT_EQ(th_completions(&x.th, h), 1);
	}
	T_EXPECT(!((const struct cti_ev_line_status *)
		   th_last(&x.th, CTI_EV_LINE_STATUS, L101))->dnd, "not set");
	ta_stop(&x);
}

/* Garbage and over-long lines from the peer are dropped and logged. */
static void garbage_from_peer(void)
{
	static char big[5000];
	struct ta x;
	uint64_t h;

	ta_login(&x, "dnd_forward", "DBPut");
	memset(big, 'A', sizeof(big) - 1);
	th_tr_data(&x.th, x.r.t, "\x01\x02garbage\r\nEvent: Hangup\r\n");
	th_tr_data(&x.th, x.r.t, big);
	th_tr_data(&x.th, x.r.t, "\r\n\r\n: x\r\n\r\nEvent: Nonsense\r\n\r\n");
	T_EXPECT(strstr(x.th.last_log, "dropped") != NULL, "%s",
		 x.th.last_log);
	/* The link still works. */
	h = ta_cmd(&x, CTI_CMD_SET_DND, L101, NONE, 1, NULL);
	ta_next(&x, "DBPut");
	ta_done(&x, h, 0);
	T_EXPECT_EQ(th_count(&x.th, CTI_EV_LINK_STATE, CTI_LINE_NONE), 1);
	ta_stop(&x);
}

/* A user allowed line 100 only: no transfer, redirect, pickup elsewhere. */
static void acl_other_line(void)
{
	struct ta x;
	uint64_t h;

	ta_login(&x, "blind_transfer", "BlindTransfer");
	th_authz_set(&x.th, L101, TH_ANY, -EACCES);
	h = ta_cmd(&x, CTI_CMD_BLIND_TRANSFER, L100, 1, 0, "101");
	ta_done(&x, h, -EACCES);
	h = ta_cmd(&x, CTI_CMD_PICKUP, L100, NONE, 0, "101");
	ta_done(&x, h, -ENOENT);	/* nothing rings there */
	h = ta_cmd(&x, CTI_CMD_SET_FORWARD, L100, NONE,
		   CTI_FORWARD_UNCONDITIONAL, "101");
	ta_done(&x, h, -EACCES);
	h = ta_cmd(&x, CTI_CMD_MAKE_CALL, L100, NONE, 0, "101\r\nAction: x");
	ta_done(&x, h, -EINVAL);
	T_EXPECT_EQ(x.th.tr[0].nsent, 0);	/* nothing reached Asterisk */
	th_authz_reset(&x.th);
	ta_stop(&x);
	/* Redirect and pickup of a call ringing at 101. */
	ta_login(&x, "pickup", "Originate");
	th_authz_set(&x.th, L101, TH_ANY, -EACCES);
	h = ta_cmd(&x, CTI_CMD_PICKUP, L100, NONE, 0, "101");
	ta_done(&x, h, -EACCES);
	h = ta_cmd(&x, CTI_CMD_PICKUP, L100, NONE, 0, NULL);
	ta_done(&x, h, -ENOENT);	/* group pickup skips 101 */
	th_authz_reset(&x.th);
	ta_stop(&x);
	ta_login(&x, "redirect", "Redirect");
	th_authz_set(&x.th, L102, TH_ANY, -EACCES);
	h = ta_cmd(&x, CTI_CMD_REDIRECT, L101, 1, 0, "102");
	ta_done(&x, h, -EACCES);
	T_EXPECT_EQ(x.th.tr[0].nsent, 0);
	th_authz_reset(&x.th);
	ta_stop(&x);
}

/*
 * Everything Asterisk said in every recording, with random bytes
 * changed, fed to a logged-in provider: it may drop what it cannot use,
 * but never crash, break a rule of the host, or lose the link.
 */
static void mutated_input(void)
{
	static const char *const names[] = {
		"click_to_dial", "blind_transfer", "park_unpark", "pickup",
		"queue_agent", "dtmf", "redirect", "link_cut",
	};
	unsigned int seed = 12345, n, k;
	size_t i, j;
	struct ta x;

	memset(&x.r, 0, sizeof(x.r));
	T_ASSERT_EQ(th_start_tr(&x.th, conf_md5), 0);
	rp_fake_login(&x.th, "");
	for (n = 0; n < 40; n++) {
		struct replay r;

		T_ASSERT(!rp_load(&r, names[n % 8]), "%s", r.err);
		for (i = 0; i < r.n; i++) {
			char *t = r.m[i].text;
			size_t len = strlen(t);

			if (r.m[i].dir != '<' || !len)
				continue;
			for (k = 0; k < 1 + n % 4; k++) {
				seed = seed * 1103515245 + 12345;
				j = (seed >> 8) % len;
				seed = seed * 1103515245 + 12345;
				t[j] = (char)((seed >> 16) & 0xff ? (seed >> 16) : 1);
			}
			th_tr_data(&x.th, th_tr_last(&x.th), t);
		}
		rp_free(&r);
		th_run(&x.th, 100);
		th_clear(&x.th);
	}
	T_EXPECT(th_tr_last(&x.th)->open || x.th.ntr > 1, "a link");
	ta_stop(&x);
}

static const struct t_case cases[] = {
	T_CASE(reader_bounds),
	T_CASE(config_refused),
	T_CASE(tls_needs_the_host),
	T_CASE(down_fails_at_once),
	T_CASE(login_refused),
	T_CASE(login_plain),
	T_CASE(click_to_dial),
	T_CASE(busy),
	T_CASE(no_answer),
	T_CASE(inbound_answered),
	T_CASE(caller_hangup_ringing),
	T_CASE(callee_hangup),
	T_CASE(caller_hangup_ringback),
	T_CASE(caller_hangup_dialing),
	T_CASE(blind_transfer),
	T_CASE(consult_transfer),
	T_CASE(consult_dropped),
	T_CASE(conference),
	T_CASE(transfer_as_conference),
	T_CASE(redirect),
	T_CASE(park_unpark),
	T_CASE(pickup),
	T_CASE(dtmf),
	T_CASE(queue_agent),
	T_CASE(queue_acw),
	T_CASE(dnd_forward),
	T_CASE(dnd_forward_calls),
	T_CASE(forward_calls),
	T_CASE(forward_noanswer),
	T_CASE(link_cut),
	T_CASE(resync_after_cut),
	T_CASE(keepalive_dead_peer),
	T_CASE(slow_asterisk),
	T_CASE(error_response),
	T_CASE(garbage_from_peer),
	T_CASE(mutated_input),
	T_CASE(acl_other_line),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
