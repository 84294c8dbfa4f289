// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The link to the server: the addresses are tried in order, HELLO asks to
 * resume the session the instance had, frames are cut out of the byte
 * stream and decoded by the project's codec (lib/wire.c), and silence is
 * noticed by a keepalive (a stalled link shows no error by itself).
 *
 * A link that was up and breaks is tried again at once, from the first
 * address; a link that could not come up waits retry_min_ms, doubling up
 * to retry_max_ms, so a server that refuses us is not hammered.
 */
#include <errno.h>
#include <string.h>

#include "remote.h"

enum { RM_T_RETRY = 1, RM_T_ALIVE = 2 };

#define RM_FEATURES (CTI_WIRE_FEAT_RESUME | CTI_WIRE_FEAT_PHONES | \
		     CTI_WIRE_FEAT_AGENT | CTI_WIRE_FEAT_BYE)

static uint64_t ms_ns(uint32_t ms)
{
	return (uint64_t)ms * 1000000ull;
}

static int64_t rm_open(struct remote *rm, const struct rm_addr *a)
{
	const struct rm_config *c = &rm->cfg;
	struct cti_transport_tls o = {
		.size = sizeof(o),
		.flags = c->verify_name ? 0 : CTI_TLS_F_NO_VERIFY_NAME,
		.ca_file = c->ca[0] ? c->ca : NULL,
		.cert_file = c->cert[0] ? c->cert : NULL,
		.key_file = c->key[0] ? c->key : NULL,
		.server_name = c->server_name[0] ? c->server_name : NULL,
	};

	if (a->kind == RM_UNIX)
		return rm->api->transport_open_unix(rm->host, a->host, 0);
	if (!CTI_HOST_API_HAS(rm->api, transport_open_tls) || !rm->api->transport_open_tls)
		return -EPROTONOSUPPORT;	/* a ctid without TLS transports */
	return rm->api->transport_open_tls(rm->host, a->host, a->port, &o, 0);
}

static void rm_retry_later(struct remote *rm)
{
	int64_t t;

	rm->state = RM_DOWN;
	t = rm->api->timer_start(rm->host, rm->retry_ms, RM_T_RETRY);
	rm->retry_timer = t > 0 ? t : 0;
	if (rm->retry_ms < rm->cfg.retry_max_ms / 2)
		rm->retry_ms *= 2;
	else
		rm->retry_ms = rm->cfg.retry_max_ms;
}

/* Try the current address; on a synchronous failure, the next ones. */
static void rm_try(struct remote *rm)
{
	while (rm->tries < rm->cfg.naddrs) {
		const struct rm_addr *a = &rm->cfg.addrs[rm->addr_idx];
		int64_t tid = rm_open(rm, a);

		if (tid > 0) {
			rm->tid = tid;
			rm->state = RM_CONNECTING;
			rm->last_rx_ns = rm->api->now_ns(rm->host);
			return;
		}
		rm->api->log(rm->host, CTI_LOG_WARNING, "%s:%s: %s",
			     a->kind == RM_UNIX ? "unix" : "tls", a->host, strerror((int)-tid));
		rm->tries++;
		rm->addr_idx = (rm->addr_idx + 1) % rm->cfg.naddrs;
	}
	rm_retry_later(rm);
}

void rm_link_start(struct remote *rm)
{
	rm->addr_idx = 0;
	rm->tries = 0;
	rm_try(rm);
}

int rm_send(struct remote *rm, struct cti_wire_frame *f)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	struct cti_wire_diag diag = { 0 };
	ssize_t n;

	if (!rm->tid)
		return -ENOTCONN;
	n = cti_wire_encode(f, buf, sizeof(buf), &diag);
	if (n < 0) {
		rm->api->log(rm->host, CTI_LOG_WARNING, "cannot encode %s: %s (%s)",
			     cti_wire_type_name(f->hdr.type), strerror((int)-n),
			     diag.field ? diag.field : "?");
		return (int)n;
	}
	return rm->api->transport_send(rm->host, rm->tid, buf, (size_t)n);
}

/* Each outage is told once: lines out of service, the link down. */
void rm_link_broken(struct remote *rm, int error, const char *why)
{
	bool was_up = rm->state == RM_UP;

	if (rm->tid)
		rm->api->transport_close(rm->host, rm->tid);
	rm->tid = 0;
	rm->in_snapshot = false;
	rm->sync_waits = 0;
	rm->ping_out = false;
	rm->rx_len = 0;
	rm->breaks++;
	rm->api->log(rm->host, was_up ? CTI_LOG_WARNING : CTI_LOG_INFO,
		     "link to the server %s: %s (%s)", was_up ? "lost" : "failed",
		     why, strerror(-error));
	/* what is in flight may or may not have happened on the server */
	rm_reqs_fail(rm, -ECONNRESET, CTI_LINE_NONE);
	if (rm->ever_up) {
		for (uint32_t i = 0; i < rm->nlines; i++)
			if (rm->lines[i].present)
				rm_line_post_status(rm, &rm->lines[i], CTI_LINE_OUT_OF_SERVICE);
		rm_post_link(rm, CTI_LINK_DOWN);
		rm->ever_up = false;
	}
	if (was_up)
		rm_link_start(rm);
	else
		rm_retry_later(rm);
}

static void rm_hello(struct remote *rm)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_HELLO };

	f.u.hello.version = CTI_WIRE_VERSION;
	f.u.hello.features = RM_FEATURES;
	f.u.hello.resume_session = rm->session;
	f.u.hello.resume_seq = rm->session ? rm->last_seq : 0;
	memcpy(f.u.hello.client_name, rm->cfg.client_name, sizeof(f.u.hello.client_name));
	rm->state = RM_HELLO;
	if (rm_send(rm, &f))
		rm_link_broken(rm, -EIO, "HELLO not sent");
}

void rm_on_connected(struct remote *rm, int64_t tid, int error)
{
	const struct rm_addr *a = &rm->cfg.addrs[rm->addr_idx];

	if (tid != rm->tid)
		return;
	if (!error) {
		rm->last_rx_ns = rm->api->now_ns(rm->host);
		rm_hello(rm);
		return;
	}
	rm->tid = 0;
	rm->api->log(rm->host, CTI_LOG_INFO, "%s:%s: %s",
		     a->kind == RM_UNIX ? "unix" : "tls", a->host, strerror(-error));
	rm->tries++;
	rm->addr_idx = (rm->addr_idx + 1) % rm->cfg.naddrs;
	rm_try(rm);
}

/* The session is back as it was: the replay follows, deduplicated by seq. */
static void rm_resumed(struct remote *rm)
{
	rm->resumes++;
	rm->state = RM_UP;
	rm->retry_ms = rm->cfg.retry_min_ms;
	rm->api->log(rm->host, CTI_LOG_NOTICE, "session resumed after seq %llu",
		     (unsigned long long)rm->last_seq);
	for (uint32_t i = 0; i < rm->nlines; i++)
		if (rm->lines[i].present)
			rm_line_post_status(rm, &rm->lines[i], rm->lines[i].status);
	rm->ever_up = true;
	rm_post_link(rm, CTI_LINK_UP);
}

static int rm_hello_ack(struct remote *rm, const struct cti_wire_hello_ack *a)
{
	if (rm->state != RM_HELLO)
		return -EPROTO;
	rm->features = a->features;
	if (a->resume == CTI_WIRE_RESUME_OK && rm->session == a->session) {
		rm_resumed(rm);
		return 0;
	}
	/*
	 * A new session: its events count from its own seq. If we had one,
	 * what the server sent since our last event is gone (a restart, or
	 * an outage its replay could not cover): the programs must be told.
	 */
	if (rm->session)
		rm->lost = true;
	rm->session = a->session;
	rm->last_seq = a->seq;
	if (a->resume == CTI_WIRE_RESUME_RESYNC)
		rm->resyncs++;
	rm_sync_start(rm, a->resume == CTI_WIRE_RESUME_NEW);
	return 0;
}

static int rm_frame(struct remote *rm, const struct cti_wire_frame *f)
{
	unsigned int t = f->hdr.type;

	if (t == CTI_WIRE_HELLO_ACK)
		return rm_hello_ack(rm, &f->u.hello_ack);
	if (rm->state < RM_SYNC)
		return -EPROTO;		/* nothing comes before HELLO_ACK */
	if (cti_wire_type_is_event(t))
		return rm_event(rm, f);
	switch (t) {
	case CTI_WIRE_PONG:
		return 0;
	case CTI_WIRE_REPLY:
	case CTI_WIRE_ERROR:
		rm_reply(rm, f);
		return 0;
	case CTI_WIRE_GAP:
		rm->api->log(rm->host, CTI_LOG_WARNING, "server lost events %llu..%llu for us",
			     (unsigned long long)f->u.gap.first_seq,
			     (unsigned long long)f->u.gap.last_seq);
		return 0;
	default:
		return rm_sync_frame(rm, f);
	}
}

/* Cut frames out of rx; returns the bytes used or a negative errno. */
static ssize_t rm_parse(struct remote *rm)
{
	struct cti_wire_frame f;
	size_t off = 0;

	while (rm->tid && off < rm->rx_len) {
		struct cti_wire_hdr h;
		ssize_t n = cti_wire_peek(rm->rx + off, rm->rx_len - off, &h), ret;

		if (n < 0)
			return n;
		if (n == 0 || (size_t)n > rm->rx_len - off)
			break;
		ret = cti_wire_decode(rm->rx + off, (size_t)n, CTI_WIRE_FROM_SERVER, &f, NULL);
		if (ret < 0)
			return ret;
		off += (size_t)n;
		ret = rm_frame(rm, &f);
		if (ret < 0)
			return ret;
	}
	return (ssize_t)off;
}

void rm_on_data(struct remote *rm, int64_t tid, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (tid != rm->tid)
		return;
	rm->last_rx_ns = rm->api->now_ns(rm->host);
	rm->ping_out = false;
	while (len && rm->tid == tid) {
		size_t room = sizeof(rm->rx) - rm->rx_len, take = len < room ? len : room;
		ssize_t used;

		memcpy(rm->rx + rm->rx_len, p, take);
		rm->rx_len += take;
		p += take;
		len -= take;
		used = rm_parse(rm);
		if (rm->tid != tid)
			return;		/* the link broke while handling a frame */
		if (used < 0) {
			rm_link_broken(rm, (int)used, "bad frame from the server");
			return;
		}
		memmove(rm->rx, rm->rx + used, rm->rx_len - (size_t)used);
		rm->rx_len -= (size_t)used;
	}
}

void rm_on_closed(struct remote *rm, int64_t tid, int error)
{
	if (tid != rm->tid)
		return;
	rm->tid = 0;		/* the host has closed it already */
	rm_link_broken(rm, error ? error : -ECONNRESET, "closed by the server");
}

/* Silence: PING after keepalive_ms, give up after dead_ms. */
static void rm_alive(struct remote *rm)
{
	uint64_t idle = rm->api->now_ns(rm->host) - rm->last_rx_ns;
	int64_t t;

	if (rm->tid && idle >= ms_ns(rm->cfg.dead_ms)) {
		rm_link_broken(rm, -ETIMEDOUT, rm->state == RM_CONNECTING ?
			       "connect timed out" : "the server went silent");
	} else if (rm->tid && rm->state >= RM_SYNC && !rm->ping_out &&
		   idle >= ms_ns(rm->cfg.keepalive_ms)) {
		struct cti_wire_frame f = { .hdr.type = CTI_WIRE_PING, .hdr.id = ++rm->next_id };

		rm->ping_out = !rm_send(rm, &f);
	}
	t = rm->api->timer_start(rm->host, rm->cfg.keepalive_ms / 4 + 1, RM_T_ALIVE);
	rm->alive_timer = t > 0 ? t : 0;
}

void rm_on_timer(struct remote *rm, int64_t timer_id, uint64_t cookie)
{
	if (cookie == RM_T_RETRY && timer_id == rm->retry_timer) {
		rm->retry_timer = 0;
		rm_link_start(rm);
	} else if (cookie == RM_T_ALIVE && timer_id == rm->alive_timer) {
		rm_alive(rm);
	}
}

void rm_link_stop(struct remote *rm)
{
	if (rm->retry_timer)
		rm->api->timer_cancel(rm->host, rm->retry_timer);
	if (rm->alive_timer)
		rm->api->timer_cancel(rm->host, rm->alive_timer);
	rm->retry_timer = rm->alive_timer = 0;
	if (rm->tid && rm->state >= RM_SYNC && (rm->features & CTI_WIRE_FEAT_BYE)) {
		struct cti_wire_frame f = { .hdr.type = CTI_WIRE_BYE };

		rm_send(rm, &f);	/* best effort: the server ends our session */
	}
	if (rm->tid)
		rm->api->transport_close(rm->host, rm->tid);
	rm->tid = 0;
	rm->state = RM_DOWN;
}

void rm_alive_start(struct remote *rm)
{
	rm_alive(rm);
}
