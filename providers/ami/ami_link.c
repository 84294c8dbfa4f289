// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The AMI link's life: connect through the host's TCP transport, read the
 * greeting, log in (MD5 challenge or plain), ask for our events only, list
 * the channels and queue members to rebuild state, keep the link alive
 * with Ping, and reconnect with a doubling backoff when it fails. While
 * the link is down the lines are OUT_OF_SERVICE and requests fail at once
 * with -EIO; the calls are kept, since Asterisk keeps them, and are
 * checked against CoreShowChannels when the link is back.
 *
 * Every action carries an ActionID, a number of ours, and is answered by
 * exactly one Response with that id or by its timer: a request completes
 * exactly once, whichever comes first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ami.h"
#include "common/link_state.h"

/* The events the provider reads; everything else is not sent at all. */
static const char ami_filter[] =
	"Event: (Newchannel|Newstate|Hangup|DialBegin|DialEnd|BridgeEnter|"
	"BridgeLeave|NewConnectedLine|NewCallerid|BlindTransfer|"
	"AttendedTransfer|ParkedCall|UnParkedCall|ParkedCallGiveUp|"
	"ParkedCallTimeOut|Pickup|DTMFEnd|OriginateResponse|Hold|Unhold|"
	"CoreShowChannel|CoreShowChannelsComplete|QueueMember|"
	"QueueMemberAdded|QueueMemberRemoved|QueueMemberPause|"
	"QueueMemberStatus|QueueStatusComplete|QueueParams|AgentCalled|"
	"AgentConnect|AgentComplete|AgentRingNoAnswer|FullyBooted)";

bool ami_value_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			return false;
	return true;
}

struct ami_action *ami_action_new(struct ami *a, enum ami_act_kind kind)
{
	struct ami_action *act = calloc(1, sizeof(*act));

	if (!act)
		return NULL;
	act->id = a->next_id++;
	act->kind = kind;
	act->pending = 1;
	act->call = CTI_CALL_NONE;
	return act;
}

/*
 * Send one action: @fmt gives its "Key: value\r\n" lines, the ActionID
 * follows. On success @act is owned by the link (it waits for its answer
 * with a timer); on failure the caller still owns it.
 */
int ami_send(struct ami *a, struct ami_action *act, const char *fmt, ...)
{
	char buf[AMI_OUT_MAX];
	va_list ap;
	int n, m, ret;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -EINVAL;
	m = snprintf(buf + n, sizeof(buf) - n, "ActionID: %llu\r\n\r\n",
		     (unsigned long long)act->id);
	if (m < 0 || (size_t)m >= sizeof(buf) - n)
		return -EINVAL;
	if (!a->tid)
		return -EIO;
	ret = a->api->transport_send(a->host, a->tid, buf, n + m);
	if (ret)
		return ret == -ENOBUFS ? -EBUSY : -EIO;
	if (!act->timer) {
		act->timer = a->api->timer_start(a->host, a->cfg.timeout_ms,
						 act->id);
		if (act->timer < 0)
			act->timer = 0;
		act->next = a->acts;
		a->acts = act;
	}
	return 0;
}

static struct ami_action *ami_action_take(struct ami *a, uint64_t id)
{
	struct ami_action **pp, *act;

	for (pp = &a->acts; (act = *pp); pp = &act->next) {
		if (act->id == id) {
			*pp = act->next;
			return act;
		}
	}
	return NULL;
}

static struct ami_action *ami_action_find(struct ami *a, uint64_t id)
{
	struct ami_action *act;

	for (act = a->acts; act; act = act->next)
		if (act->id == id)
			return act;
	return NULL;
}

/* @act is answered (or has failed): complete its request, free it. */
void ami_action_done(struct ami *a, struct ami_action *act, int error)
{
	ami_action_take(a, act->id);
	if (act->timer)
		a->api->timer_cancel(a->host, act->timer);
	if (act->kind == AMI_ACT_REQ)
		a->api->complete(a->host, act->handle, error, error ? CTI_CALL_NONE :
				 act->call);
	free(act);
}

void ami_fail_all(struct ami *a, int error)
{
	while (a->acts)
		ami_action_done(a, a->acts, error);
}

static void ami_lines_status(struct ami *a, uint32_t status)
{
	size_t i;

	for (i = 0; i < a->cfg.nlines; i++) {
		a->lines[i].status = status;
		ami_line_status(a, i);
	}
}

static void ami_retry_arm(struct ami *a)
{
	int64_t id;

	if (a->retry_timer)
		return;
	id = a->api->timer_start(a->host, a->retry_ms, AMI_COOKIE_RETRY);
	a->retry_timer = id > 0 ? id : 0;
	/* Doubling backoff: an Asterisk that restarts is not hammered. */
	a->retry_ms = a->retry_ms * 2 > a->cfg.retry_max_ms ?
		a->cfg.retry_max_ms : a->retry_ms * 2;
}

/* Close our side; no callback follows from the host. */
void ami_link_close(struct ami *a)
{
	if (a->tid)
		a->api->transport_close(a->host, a->tid);
	a->tid = 0;
	if (a->ka_timer)
		a->api->timer_cancel(a->host, a->ka_timer);
	a->ka_timer = 0;
}

void ami_link_lost(struct ami *a, int error)
{
	bool was_up = a->link == AMI_UP;

	ami_link_close(a);
	a->link = AMI_DOWN;
	a->resyncing = false;
	ami_fail_all(a, -EIO);
	if (was_up) {
		ami_lines_status(a, CTI_LINE_OUT_OF_SERVICE);
		prov_post_link_state(a->api, a->host, CTI_LINK_DOWN);
	}
	ami_log(a, CTI_LOG_WARNING, "AMI link to %s:%u lost (%d), retry in %u ms",
		a->cfg.host, a->cfg.port, error, a->retry_ms);
	ami_retry_arm(a);
}

/* TLS through the host (the provider opens no files and links no TLS). */
static int64_t ami_open_tls(struct ami *a)
{
	struct cti_transport_tls tls = {
		.size = sizeof(tls),
		.flags = a->cfg.tls_no_verify_name ? CTI_TLS_F_NO_VERIFY_NAME : 0,
		.ca_file = a->cfg.tls_ca[0] ? a->cfg.tls_ca : NULL,
		.cert_file = a->cfg.tls_cert[0] ? a->cfg.tls_cert : NULL,
		.key_file = a->cfg.tls_key[0] ? a->cfg.tls_key : NULL,
		.server_name = a->cfg.tls_name[0] ? a->cfg.tls_name : NULL,
	};

	return a->api->transport_open_tls(a->host, a->cfg.host, a->cfg.port,
					  &tls, 0);
}

bool ami_tls_ok(const struct cti_host_api *api)
{
	return CTI_HOST_API_HAS(api, transport_open_tls) &&
	       api->transport_open_tls;
}

void ami_connect(struct ami *a)
{
	int64_t tid = a->cfg.tls ? ami_open_tls(a) :
		a->api->transport_open_tcp(a->host, a->cfg.host, a->cfg.port,
					   0);

	if (tid <= 0) {
		ami_link_lost(a, (int)tid);
		return;
	}
	a->tid = tid;
	a->link = AMI_CONNECTING;
}

static void ami_ka_arm(struct ami *a)
{
	int64_t id = a->api->timer_start(a->host, a->cfg.keepalive_ms,
					 AMI_COOKIE_KA);

	a->ka_timer = id > 0 ? id : 0;
}

void ami_connected(struct ami *a, int error)
{
	if (error) {
		a->tid = 0;	/* the host has dropped it */
		if (error == -EKEYREJECTED || error == -EKEYEXPIRED ||
		    error == -EACCES) {
			/* A certificate does not heal fast: say so, wait long. */
			ami_log(a, CTI_LOG_ERR, "TLS to %s:%u refused (%d): "
				"check tls_ca, tls_server_name and the "
				"certificates", a->cfg.host, a->cfg.port, error);
			a->retry_ms = a->cfg.retry_max_ms;
		}
		ami_link_lost(a, error);
		return;
	}
	a->link = AMI_BANNER;
	ami_reader_init(&a->rd, ami_on_msg, a);
	a->last_rx_ns = a->api->now_ns(a->host);
	ami_ka_arm(a);
}

static int ami_send_new(struct ami *a, enum ami_act_kind kind,
			const char *fmt, const char *arg1, const char *arg2)
{
	struct ami_action *act = ami_action_new(a, kind);
	int ret;

	if (!act)
		return -ENOMEM;
	ret = ami_send(a, act, fmt, arg1, arg2);
	if (ret)
		free(act);
	return ret;
}

static void ami_login(struct ami *a, const char *challenge)
{
	char key[33];
	int ret;

	a->link = AMI_LOGIN;
	if (a->cfg.md5 && !challenge) {
		ret = ami_send_new(a, AMI_ACT_CHALLENGE,
				   "Action: Challenge\r\nAuthType: MD5\r\n%s%s",
				   "", "");
	} else if (challenge) {
		ami_md5_hex(challenge, a->cfg.secret, key);
		ret = ami_send_new(a, AMI_ACT_LOGIN,
				   "Action: Login\r\nAuthType: MD5\r\n"
				   "Username: %s\r\nKey: %s\r\nEvents: on\r\n",
				   a->cfg.user, key);
	} else {
		ret = ami_send_new(a, AMI_ACT_LOGIN,
				   "Action: Login\r\nUsername: %s\r\n"
				   "Secret: %s\r\nEvents: on\r\n",
				   a->cfg.user, a->cfg.secret);
	}
	if (ret)
		ami_link_lost(a, ret);
}

/* Logged in: filter, rebuild the state, tell the clients. */
static void ami_logged_in(struct ami *a)
{
	int ret = 0;

	a->link = AMI_UP;
	a->retry_ms = a->cfg.retry_min_ms;
	ami_log(a, CTI_LOG_NOTICE, "AMI link to %s:%u up%s", a->cfg.host,
		a->cfg.port, a->cfg.tls ? " (TLS)" : "");
	if (a->cfg.filter)
		ret = ami_send_new(a, AMI_ACT_SETUP,
				   "Action: Filter\r\nOperation: Add\r\n"
				   "Filter: %s%s\r\n", ami_filter, "");
	ami_calls_resync_begin(a);
	if (!ret)
		ret = ami_send_new(a, AMI_ACT_LIST,
				   "Action: CoreShowChannels\r\n%s%s", "", "");
	if (!ret)
		ret = ami_send_new(a, AMI_ACT_LIST,
				   "Action: QueueStatus\r\n%s%s", "", "");
	if (ret) {
		ami_link_lost(a, ret);
		return;
	}
	ami_lines_status(a, CTI_LINE_IN_SERVICE);
	prov_post_link_state(a->api, a->host, CTI_LINK_UP);
}

static void ami_response(struct ami *a, const struct ami_msg *msg,
			 const char *resp)
{
	const char *ids = ami_get(msg, "ActionID");
	bool ok = !strcasecmp(resp, "Success") || !strcasecmp(resp, "Pong");
	struct ami_action *act;
	char *end;
	uint64_t id;

	if (!ids || !*ids)
		return;
	id = strtoull(ids, &end, 10);
	if (*end || !(act = ami_action_find(a, id)))
		return;		/* late (timed out) or not ours */
	switch (act->kind) {
	case AMI_ACT_CHALLENGE:
		ami_action_done(a, act, 0);
		if (!ok || !ami_get(msg, "Challenge") ||
		    !ami_value_safe(ami_get(msg, "Challenge")))
			goto refused;
		ami_login(a, ami_get(msg, "Challenge"));
		return;
	case AMI_ACT_LOGIN:
		ami_action_done(a, act, 0);
		if (!ok)
			goto refused;
		ami_logged_in(a);
		return;
	case AMI_ACT_REQ:
		ami_req_response(a, act, msg, ok);
		return;
	case AMI_ACT_LIST:
		/* The items and their Complete event follow. */
		if (!ok)
			ami_action_done(a, act, -EIO);
		return;
	default:
		ami_action_done(a, act, ok ? 0 : -EIO);
		return;
	}
refused:
	ami_log(a, CTI_LOG_ERR, "AMI login as %s refused: %s", a->cfg.user,
		ami_get(msg, "Message") ? ami_get(msg, "Message") : "?");
	/* Wrong credentials do not heal fast: back off to the longest. */
	a->retry_ms = a->cfg.retry_max_ms;
	ami_link_lost(a, -EACCES);
}

/* Say how much malformed input was dropped, at most once a minute. */
static void ami_log_bad(struct ami *a)
{
	const struct ami_reader_stats *st = &a->rd.st;
	uint64_t bad = st->bad_lines + st->long_lines + st->long_msgs;
	uint64_t now = a->api->now_ns(a->host);

	if (bad == a->logged_bad ||
	    (a->log_ns && now - a->log_ns < 60000000000ull))
		return;
	ami_log(a, CTI_LOG_WARNING,
		"dropped from Asterisk: %llu malformed lines, %llu overlong "
		"lines, %llu overlong messages",
		(unsigned long long)st->bad_lines,
		(unsigned long long)st->long_lines,
		(unsigned long long)st->long_msgs);
	a->logged_bad = bad;
	a->log_ns = now;
}

/* One message from Asterisk; non-zero: the link closed in it. */
int ami_on_msg(void *arg, const struct ami_msg *msg)
{
	struct ami *a = arg;
	int64_t tid = a->tid;
	const char *v;

	if ((v = ami_get(msg, "Banner"))) {
		if (a->link != AMI_BANNER)
			return 0;
		if (strncmp(v, "Asterisk Call Manager/", 22)) {
			ami_log(a, CTI_LOG_ERR, "not an AMI greeting");
			ami_link_lost(a, -EPROTO);
			return 1;
		}
		ami_login(a, NULL);
	} else if ((v = ami_get(msg, "Response"))) {
		ami_response(a, msg, v);
	} else if ((v = ami_get(msg, "Event")) && a->link == AMI_UP) {
		ami_event(a, msg, v);
		ami_agent_event(a, msg, v);
	}
	return a->tid != tid;
}

void ami_data(struct ami *a, const void *buf, size_t len)
{
	a->last_rx_ns = a->api->now_ns(a->host);
	ami_reader_feed(&a->rd, buf, len);
	if (a->tid)
		ami_log_bad(a);
}

static void ami_keepalive(struct ami *a)
{
	uint64_t idle = a->api->now_ns(a->host) - a->last_rx_ns;

	a->ka_timer = 0;
	if (!a->tid)
		return;
	/* A Ping only after silence; its timer catches a dead peer. */
	if (idle >= (uint64_t)a->cfg.keepalive_ms * 1000000ull &&
	    a->link == AMI_UP &&
	    ami_send_new(a, AMI_ACT_PING, "Action: Ping\r\n%s%s", "", "")) {
		ami_link_lost(a, -EIO);
		return;
	}
	ami_ka_arm(a);
}

void ami_timer_fired(struct ami *a, int64_t id, uint64_t cookie)
{
	struct ami_action *act;

	if (cookie == AMI_COOKIE_RETRY) {
		if (id == a->retry_timer) {
			a->retry_timer = 0;
			ami_connect(a);
		}
		return;
	}
	if (cookie == AMI_COOKIE_REAP) {
		if (id == a->reap_timer) {
			a->reap_timer = 0;
			ami_calls_reap(a);
		}
		return;
	}
	if (cookie == AMI_COOKIE_KA) {
		if (id == a->ka_timer)
			ami_keepalive(a);
		return;
	}
	act = ami_action_find(a, cookie);
	if (!act || act->timer != id)
		return;
	act->timer = 0;		/* it has fired: do not cancel it */
	if (act->kind == AMI_ACT_REQ) {
		ami_action_done(a, act, -ETIMEDOUT);
		return;
	}
	if (act->kind == AMI_ACT_SETUP) {
		ami_action_done(a, act, 0);
		return;
	}
	ami_log(a, CTI_LOG_WARNING, "Asterisk did not answer in %u ms",
		a->cfg.timeout_ms);
	ami_link_lost(a, -ETIMEDOUT);
}

void ami_list_done(struct ami *a, const struct ami_msg *msg)
{
	const char *ids = ami_get(msg, "ActionID");
	struct ami_action *act;
	char *end;
	uint64_t id;

	if (!ids)
		return;
	id = strtoull(ids, &end, 10);
	if (*end || !(act = ami_action_find(a, id)) ||
	    act->kind != AMI_ACT_LIST)
		return;
	ami_action_done(a, act, 0);
}
