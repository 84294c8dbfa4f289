// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * reconnect.c - losing ctid and finding it again
 *
 * When the connection breaks, every request in flight completes with
 * ECONNRESET (REPLY messages: no request is left hanging), the program
 * gets CTI_MSG_DISCONNECTED, and a timerfd retries the connection with
 * exponential backoff. The new HELLO names the old session and the last
 * event processed. ctid then either resumes (it replays what we missed:
 * CTI_MSG_RECONNECTED, nothing lost) or resyncs (CTI_MSG_RESYNC, the
 * snapshot's lines and calls, and libcti opens again the lines the program
 * had open, as it had opened them).
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "internal.h"

static void arm_timer(struct cti_session *s)
{
	struct itimerspec its = { 0 };

	its.it_value.tv_sec = s->backoff_ms / 1000;
	its.it_value.tv_nsec = (long)(s->backoff_ms % 1000) * 1000000L;
	timerfd_settime(s->tfd, 0, &its, NULL);
	s->backoff_ms *= 2;
	if (s->backoff_ms > CTI_BACKOFF_MAX_MS)
		s->backoff_ms = CTI_BACKOFF_MAX_MS;
}

static void fail_pending(struct cti_session *s, int error)
{
	while (s->num_pend) {
		struct cti_pending p = s->pend[s->num_pend - 1];
		struct cti_wire_frame f = { .hdr.type = CTI_WIRE_REPLY };
		struct cti_msg *m;

		s->num_pend--;
		if (p.internal)
			continue;
		f.hdr.id = p.id;
		f.u.reply.error = error;
		f.u.reply.line = p.line;
		f.u.reply.req_type = p.type;
		f.u.reply.cmd = p.cmd;
		m = cti_msg_new(CTI_MSG_REPLY, &f);
		if (!m)
			continue;	/* ENOMEM: wait_reply still sees -ENOENT */
		m->request = p.id;
		m->error = error;
		m->line = cti_session_get_line_by_id(s, p.line);
		cti_msg_queue(s, m);
	}
	s->resync_req = 0;
}

void cti_reconnect_down(struct cti_session *s, int error)
{
	bool was_up = s->state == CONN_UP;
	struct cti_msg *m;

	if (s->sock < 0)
		return;
	s->down_error = error;
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, s->sock, NULL);
	close(s->sock);
	s->sock = -1;
	s->state = CONN_DOWN;
	s->want_out = false;
	s->out_len = 0;
	s->in_len = 0;
	s->resyncing = false;
	fail_pending(s, -ECONNRESET);
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

int cti_reconnect_send_hello(struct cti_session *s)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_HELLO };

	f.u.hello.version = CTI_WIRE_VERSION;
	f.u.hello.features = CTI_WIRE_FEAT_ALL;
	f.u.hello.resume_session = s->session_id;
	f.u.hello.resume_seq = s->last_seq;
	memcpy(f.u.hello.client_name, s->client_name,
	       sizeof(f.u.hello.client_name));
	s->state = CONN_HELLO;
	return cti_conn_queue(s, &f);
}

int cti_reconnect_timer(struct cti_session *s)
{
	struct epoll_event ev = { .events = EPOLLIN };
	uint64_t ticks;
	int err;

	if (read(s->tfd, &ticks, sizeof(ticks)) < 0 || s->sock >= 0)
		return 0;
	err = cti_conn_connect(s->path, &s->sock);
	if (err) {
		arm_timer(s);	/* still not there: try again later */
		return 0;
	}
	ev.data.fd = s->sock;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->sock, &ev) < 0) {
		err = -errno;
		close(s->sock);
		s->sock = -1;
		return err;
	}
	return cti_reconnect_send_hello(s);
}

/* Open again, as the program had them, the lines a new session lacks. */
int cti_reconnect_reopen(struct cti_session *s)
{
	for (size_t i = 0; i < s->num_lines; i++) {
		struct cti_line *line = s->lines[i];
		struct cti_wire_frame f = { .hdr.type = CTI_WIRE_OPEN_LINE };
		int err;

		if (line->removed || line->want == CTI_PRIV_NONE ||
		    line->info.privilege == line->want)
			continue;
		f.u.open_line.line = line->info.line;
		f.u.open_line.privilege = line->want;
		err = cti_session_request(s, &f, line->info.line, line->want,
					  true, NULL);
		if (err)
			return err;
	}
	return 0;
}

static int start_resync(struct cti_session *s)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_RESYNC };
	struct cti_msg *m;
	uint64_t req;
	int err;

	f.u.resync.reason = CTI_WIRE_RESYNC_UNKNOWN_SESSION;
	m = cti_msg_new(CTI_MSG_RESYNC, &f);
	if (!m)
		return -ENOMEM;
	cti_msg_queue(s, m);
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_SNAPSHOT;
	s->resyncing = true;
	for (size_t i = 0; i < s->num_lines; i++)
		s->lines[i]->seen = false;
	err = cti_session_request(s, &f, CTI_LINE_NONE, 0, true, &req);
	if (!err)
		s->resync_req = req;
	return err;
}

int cti_reconnect_hello_ack(struct cti_session *s,
			    const struct cti_wire_hello_ack *ack)
{
	bool resumed = s->ever_up;
	struct cti_msg *m;

	if (ack->version != CTI_WIRE_VERSION) {
		cti_reconnect_down(s, -EPROTONOSUPPORT);
		return 0;
	}
	s->state = CONN_UP;
	s->backoff_ms = CTI_BACKOFF_MIN_MS;
	s->session_id = ack->session;
	s->features = ack->features;
	s->uid = ack->uid;
	s->admin = ack->flags & CTI_WIRE_ACK_F_ADMIN;
	s->ever_up = true;
	if (!resumed) {
		s->last_seq = ack->seq;
		return 0;
	}

	for (size_t i = 0; i < s->num_lines; i++)
		if (ack->resume != CTI_WIRE_RESUME_OK)
			s->lines[i]->info.privilege = CTI_PRIV_NONE;

	switch (ack->resume) {
	case CTI_WIRE_RESUME_OK:
		m = cti_msg_new(CTI_MSG_RECONNECTED, NULL);
		if (!m)
			return -ENOMEM;
		cti_msg_queue(s, m);
		return 0;
	case CTI_WIRE_RESUME_RESYNC:
		/* RESYNC and the snapshot follow; END reopens the lines */
		s->last_seq = 0;
		return 0;
	default:
		/* a server that could not resume at all: ask for the state */
		s->last_seq = ack->seq;
		return start_resync(s);
	}
}
