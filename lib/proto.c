// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proto.c - the protocol state machine: HELLO, resume, losing ctid
 *
 * The one place where the session's connection state changes. It
 * registers itself with the transport (frames and breakage come up
 * through struct cti_conn_ops), says HELLO on every new connection and
 * reads the HELLO_ACK; after that each frame goes to frames.c.
 *
 * When the connection breaks, every request in flight completes with
 * ECONNRESET (REPLY messages: no request is left hanging), the program
 * gets CTI_MSG_DISCONNECTED, and a timerfd retries the connection with
 * exponential backoff. The new HELLO names the old session and the last
 * event processed. ctid then either resumes (it replays what we missed:
 * CTI_MSG_RECONNECTED, nothing lost) or resyncs (resync.c).
 */
#include <errno.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "session.h"
#include "tls.h"

/* Reconnect backoff: first delay and ceiling, in milliseconds. */
#define BACKOFF_MIN_MS	50
#define BACKOFF_MAX_MS	2000

static void arm_timer(struct cti_session *s)
{
	struct itimerspec its = { 0 };

	its.it_value.tv_sec = s->backoff_ms / 1000;
	its.it_value.tv_nsec = (long)(s->backoff_ms % 1000) * 1000000L;
	timerfd_settime(s->tfd, 0, &its, NULL);
	s->backoff_ms *= 2;
	if (s->backoff_ms > BACKOFF_MAX_MS)
		s->backoff_ms = BACKOFF_MAX_MS;
}

/* The transport is gone (closed by itself or by us): complete and retry. */
static void proto_down(void *data, int error)
{
	struct cti_session *s = data;
	bool was_up = s->state == PROTO_UP;
	struct cti_msg *m;

	s->down_error = error;
	s->state = PROTO_DOWN;
	s->resyncing = false;
	cti_request_fail_all(s, -ECONNRESET);
	if (was_up) {
		m = cti_msg_new(CTI_MSG_DISCONNECTED, NULL);
		if (m) {
			m->error = error;
			cti_msg_queue(s, m);
		}
	}
	if (!(s->flags & CTI_SESSION_NO_RECONNECT))
		arm_timer(s);
}

/* Drop a connection whose peer broke the protocol. */
static void proto_drop(struct cti_session *s, int error)
{
	cti_conn_close(&s->conn);
	proto_down(s, error);
}

static int send_hello(struct cti_session *s)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_HELLO };

	f.u.hello.version = CTI_WIRE_VERSION;
	/* ACCOUNTS: the reasons of refused administration (CTI_MSG_NOTE) */
	f.u.hello.features = CTI_WIRE_FEAT_ALL | CTI_WIRE_FEAT_LINK |
			     CTI_WIRE_FEAT_ACCOUNTS;
	/*
	 * A session that never reconnects never resumes: without RESUME,
	 * ctid ends it when the connection closes instead of keeping it
	 * (and the calls it owns) for a resume that cannot come.
	 */
	if (s->flags & CTI_SESSION_NO_RECONNECT)
		f.u.hello.features &= ~CTI_WIRE_FEAT_RESUME;
	if (s->flags & CTI_SESSION_EXCLUSIVE)
		f.u.hello.features |= CTI_WIRE_FEAT_EXCLUSIVE;
	/* cti_session_close() then says BYE: nothing waits for a resume */
	f.u.hello.features |= CTI_WIRE_FEAT_BYE;
	f.u.hello.features |= CTI_WIRE_FEAT_PHONE_DEV;
	/* an admin may ask for ctid's figures (cti_session_server_stats()) */
	f.u.hello.features |= CTI_WIRE_FEAT_STATS;
	f.u.hello.resume_session = s->session_id;
	f.u.hello.resume_seq = s->last_seq;
	memcpy(f.u.hello.client_name, s->client_name,
	       sizeof(f.u.hello.client_name));
	s->state = PROTO_HELLO;
	return cti_conn_send(&s->conn, &f);
}

static int hello_ack(struct cti_session *s,
		     const struct cti_wire_hello_ack *ack)
{
	bool resumed = s->ever_up;

	if (ack->version != CTI_WIRE_VERSION) {
		proto_drop(s, -EPROTONOSUPPORT);
		return 0;
	}
	/* opens the program believes exclusive must not be shared */
	if ((s->flags & CTI_SESSION_EXCLUSIVE) &&
	    !(ack->features & CTI_WIRE_FEAT_EXCLUSIVE)) {
		proto_drop(s, -EOPNOTSUPP);
		return 0;
	}
	s->state = PROTO_UP;
	s->backoff_ms = BACKOFF_MIN_MS;
	s->session_id = ack->session;
	s->features = ack->features;
	s->uid = ack->uid;
	s->admin = ack->flags & CTI_WIRE_ACK_F_ADMIN;
	s->ever_up = true;
	if (!resumed) {
		s->last_seq = ack->seq;
		return 0;
	}

	if (ack->resume != CTI_WIRE_RESUME_OK)
		for (size_t i = 0; i < s->num_lines; i++)
			s->lines[i]->info.privilege = CTI_PRIV_NONE;

	switch (ack->resume) {
	case CTI_WIRE_RESUME_OK:
		return cti_msg_queue_frame(s, CTI_MSG_RECONNECTED, NULL, NULL);
	case CTI_WIRE_RESUME_RESYNC:
		/* RESYNC and the snapshot follow; END reopens the lines */
		s->last_seq = 0;
		return 0;
	default:
		/* a server that could not resume at all: ask for the state */
		s->last_seq = ack->seq;
		return cti_resync_request(s);
	}
}

/* Every frame from ctid enters here. */
int cti_proto_frame(struct cti_session *s, const struct cti_wire_frame *f)
{
	if (s->state == PROTO_HELLO) {
		if (f->hdr.type == CTI_WIRE_HELLO_ACK)
			return hello_ack(s, &f->u.hello_ack);
		/* ctid refused the HELLO itself (version, overload, no login) */
		if (f->hdr.type == CTI_WIRE_ERROR)
			cti_error_detail_set("ctid: %s", f->u.error.message);
		proto_drop(s, f->hdr.type == CTI_WIRE_ERROR ?
			   f->u.error.error : -EPROTO);
		return 0;
	}
	if (f->hdr.type == CTI_WIRE_HELLO_ACK)
		return hello_ack(s, &f->u.hello_ack);
	return cti_frames_handle(s, f);
}

static int conn_frame(void *data, const struct cti_wire_frame *f)
{
	return cti_proto_frame(data, f);
}

static const struct cti_conn_ops proto_conn_ops = {
	.frame = conn_frame,
	.down = proto_down,
};

int cti_proto_init(struct cti_session *s)
{
	s->state = PROTO_DOWN;
	s->backoff_ms = BACKOFF_MIN_MS;
	return cti_conn_init(&s->conn, s->epfd, &proto_conn_ops, s);
}

/* Connect and say HELLO; the HELLO_ACK arrives through the pump. */
int cti_proto_connect(struct cti_session *s)
{
	int err = cti_conn_connect(&s->conn, s->path);

	if (err)
		return err;
	err = send_hello(s);
	if (err)
		cti_conn_close(&s->conn);
	return err;
}

/* The reconnect timer fired: try again, or arm it for later. */
static void reconnect(struct cti_session *s)
{
	uint64_t ticks;

	if (read(s->tfd, &ticks, sizeof(ticks)) < 0)
		return;
	if (cti_proto_connect(s))
		arm_timer(s);	/* still not there: try again later */
}

/*
 * Do whatever I/O and timers are ready, without blocking. The reconnect
 * timer runs only while there is no socket, so a connected session costs
 * one recv() here and nothing else.
 */
int cti_proto_process(struct cti_session *s)
{
	if (!cti_conn_is_open(&s->conn))
		reconnect(s);
	return cti_conn_pump(&s->conn);
}
