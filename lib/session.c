// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * session.c - a session to ctid: open, the program's loop, frame handling
 *
 * The fd a program polls is an epoll instance holding the socket, a
 * timerfd (reconnect backoff) and an eventfd (messages waiting), so it
 * stays the same fd across reconnects and is readable whenever there is
 * something to do. All work happens inside cti_session_process(), called
 * by dispatch, next_msg and the wait helpers; nothing runs behind the
 * program's back and no threads are created.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define DEFAULT_TIMEOUT_MS 5000

/* Pending requests: few at a time, so a small array searched linearly. */

struct cti_pending *cti_pending_find(struct cti_session *s, uint64_t id)
{
	for (size_t i = 0; i < s->num_pend; i++)
		if (s->pend[i].id == id)
			return &s->pend[i];
	return NULL;
}

void cti_pending_remove(struct cti_session *s, struct cti_pending *p)
{
	*p = s->pend[--s->num_pend];
}

static int pending_add(struct cti_session *s, const struct cti_pending *p)
{
	if (s->num_pend == s->pend_cap) {
		size_t cap = s->pend_cap ? s->pend_cap * 2 : 16;
		struct cti_pending *n = realloc(s->pend, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->pend = n;
		s->pend_cap = cap;
	}
	s->pend[s->num_pend++] = *p;
	return 0;
}

uint64_t cti_session_new_req(struct cti_session *s)
{
	return ++s->next_req;	/* from 1; 2^64 requests never wrap */
}

/*
 * Send request @f (its hdr.type and body filled) with a fresh id and
 * remember it. A request that cannot be encoded is the caller's bad
 * argument and nothing is remembered.
 */
int cti_session_request(struct cti_session *s, struct cti_wire_frame *f,
			uint32_t line, uint32_t priv, bool internal,
			uint64_t *req)
{
	struct cti_pending p = {
		.type = f->hdr.type,
		.line = line,
		.priv = priv,
		.internal = internal,
	};
	int err;

	if (s->state != CONN_UP)
		return -ENOTCONN;
	if (f->hdr.type == CTI_WIRE_COMMAND)
		p.cmd = f->u.command.cmd;
	f->hdr.flags = 0;
	f->hdr.id = p.id = cti_session_new_req(s);
	err = pending_add(s, &p);
	if (err)
		return err;
	err = cti_conn_queue(s, f);
	if (err) {
		cti_pending_remove(s, cti_pending_find(s, p.id));
		return err == -ENOSPC ? -EINVAL : err;
	}
	if (req)
		*req = p.id;
	/* a send that found the connection gone queued messages */
	cti_msg_sync_fd(s);
	return 0;
}

/* Queue a message made from frame @f, attached to @line. */
static int queue_frame(struct cti_session *s, enum cti_msg_type type,
		       const struct cti_wire_frame *f, struct cti_line *line)
{
	struct cti_msg *m = cti_msg_new(type, f);

	if (!m)
		return -ENOMEM;
	m->line = line;
	if (type == CTI_MSG_REPLY || type == CTI_MSG_LIST_END ||
	    type == CTI_MSG_CALL || type == CTI_MSG_PROVIDER)
		m->request = f->hdr.id;
	if (type == CTI_MSG_REPLY)
		m->error = f->u.reply.error;
	cti_msg_queue(s, m);
	return 0;
}

static void apply_reply(struct cti_session *s, const struct cti_pending *p,
			int error)
{
	struct cti_line *line = cti_session_get_line_by_id(s, p->line);

	if (error || !line)
		return;
	if (p->type == CTI_WIRE_OPEN_LINE) {
		line->info.privilege = p->priv;
		line->want = p->priv;	/* to be opened again after a resync */
	} else if (p->type == CTI_WIRE_CLOSE_LINE) {
		line->info.privilege = CTI_PRIV_NONE;
	}
}

/* A REPLY, or an ERROR that answers a request in its place. */
static int handle_reply(struct cti_session *s, const struct cti_wire_frame *f)
{
	struct cti_pending *pp = cti_pending_find(s, f->hdr.id);
	struct cti_wire_frame r;
	struct cti_pending p;
	int error;

	if (!pp)
		return 0;	/* not ours (a stale id): nothing to complete */
	p = *pp;
	cti_pending_remove(s, pp);

	if (f->hdr.type == CTI_WIRE_REPLY) {
		r = *f;
	} else {
		memset(&r, 0, sizeof(r));
		r.hdr.type = CTI_WIRE_REPLY;
		r.hdr.id = f->hdr.id;
		r.u.reply.error = f->hdr.type == CTI_WIRE_ERROR ?
				  f->u.error.error : 0;
		r.u.reply.line = p.line;
		r.u.reply.req_type = p.type;
		r.u.reply.cmd = p.cmd;
	}
	error = r.u.reply.error;
	apply_reply(s, &p, error);
	if (p.internal) {
		if (p.id == s->resync_req)
			s->resync_req = 0;
		return 0;
	}
	return queue_frame(s, CTI_MSG_REPLY, &r,
			   cti_session_get_line_by_id(s, p.line));
}

static bool is_internal(struct cti_session *s, uint64_t id)
{
	struct cti_pending *p;

	if (id == 0)
		return true;	/* a resync snapshot: nobody asked */
	p = cti_pending_find(s, id);
	return p && p->internal;
}

static int handle_line_item(struct cti_session *s,
			    const struct cti_wire_frame *f, bool added)
{
	bool created = false;
	struct cti_line *line = cti_line_update(s, &f->u.line, &created);

	if (!line)
		return -ENOMEM;
	line->seen = true;
	/* ctid keeps a session's opens across a provider reload: follow it,
	 * so that a later resync opens the line again */
	if (line->info.privilege != CTI_PRIV_NONE)
		line->want = (enum cti_privilege)line->info.privilege;
	/* a line that a resync found is announced: it came while we were
	 * away; lines of a list the program asked for are not events */
	if (added || (created && s->resyncing))
		return queue_frame(s, CTI_MSG_LINE_ADDED, f, line);
	return 0;
}

/* Lines a resync snapshot did not list went away while we were gone. */
static int forget_unseen_lines(struct cti_session *s)
{
	for (size_t i = 0; i < s->num_lines; i++) {
		struct cti_line *line = s->lines[i];
		struct cti_msg *m;

		if (line->seen || line->removed)
			continue;
		line->removed = true;
		line->want = CTI_PRIV_NONE;
		line->info.privilege = CTI_PRIV_NONE;
		m = cti_msg_new(CTI_MSG_LINE_REMOVED, NULL);
		if (!m)
			return -ENOMEM;
		m->line = line;
		cti_msg_queue(s, m);
	}
	return 0;
}

static int handle_end(struct cti_session *s, const struct cti_wire_frame *f)
{
	bool resync = f->hdr.id == 0 || f->hdr.id == s->resync_req;

	if (resync && f->u.end.item_type == 0 && s->resyncing) {
		int err;

		s->last_seq = f->u.end.seq;
		s->resyncing = false;
		err = forget_unseen_lines(s);
		if (!err)
			err = cti_reconnect_reopen(s);
		if (err)
			return err;
		return queue_frame(s, CTI_MSG_LIST_END, f, NULL);
	}
	if (is_internal(s, f->hdr.id))
		return 0;
	return queue_frame(s, CTI_MSG_LIST_END, f, NULL);
}

/*
 * Events: drop what a resume replayed twice, report a jump that no GAP
 * announced (a server bug, but the program must know), keep line state.
 */
static int handle_event(struct cti_session *s, const struct cti_wire_frame *f)
{
	static const enum cti_msg_type map[] = {
		[CTI_WIRE_EV_CALL_STATE - 96] = CTI_MSG_CALL_STATE,
		[CTI_WIRE_EV_CALL_INFO - 96] = CTI_MSG_CALL_INFO,
		[CTI_WIRE_EV_DIGITS - 96] = CTI_MSG_DIGITS,
		[CTI_WIRE_EV_LINE_STATUS - 96] = CTI_MSG_LINE_STATUS,
		[CTI_WIRE_EV_PHONE_HOOK - 96] = CTI_MSG_PHONE_HOOK,
		[CTI_WIRE_EV_PHONE_BUTTON - 96] = CTI_MSG_PHONE_BUTTON,
		[CTI_WIRE_EV_LINK_STATE - 96] = CTI_MSG_LINK_STATE,
		[CTI_WIRE_EV_LINE_ADDED - 96] = CTI_MSG_LINE_ADDED,
		[CTI_WIRE_EV_LINE_REMOVED - 96] = CTI_MSG_LINE_REMOVED,
		[CTI_WIRE_EV_PRIVILEGE - 96] = CTI_MSG_PRIVILEGE,
		[CTI_WIRE_EV_AGENT_STATE - 96] = CTI_MSG_AGENT_STATE,
		[CTI_WIRE_EV_PROVIDER_STATE - 96] = CTI_MSG_PROVIDER_STATE,
		[CTI_WIRE_EV_PHONE_DISPLAY - 96] = CTI_MSG_PHONE_DISPLAY,
		[CTI_WIRE_EV_PHONE_LAMP - 96] = CTI_MSG_PHONE_LAMP,
		[CTI_WIRE_EV_PHONE_RING - 96] = CTI_MSG_PHONE_RING,
		[CTI_WIRE_EV_DEV_SPECIFIC - 96] = CTI_MSG_DEV_SPECIFIC,
	};
	uint64_t seq = f->hdr.id;
	struct cti_line *line = NULL;
	uint32_t id = CTI_LINE_NONE;
	int err;

	if (seq <= s->last_seq)
		return 0;
	if (seq != s->last_seq + 1 && !s->resyncing) {
		struct cti_wire_frame g = { .hdr.type = CTI_WIRE_GAP };

		g.u.gap.first_seq = s->last_seq + 1;
		g.u.gap.last_seq = seq - 1;
		g.u.gap.count = seq - 1 - s->last_seq;
		err = queue_frame(s, CTI_MSG_GAP, &g, NULL);
		if (err)
			return err;
	}
	s->last_seq = seq;

	switch (f->hdr.type) {
	case CTI_WIRE_EV_LINE_ADDED:
		return handle_line_item(s, f, true);
	case CTI_WIRE_EV_LINE_STATUS:
		line = cti_session_get_line_by_id(s, f->u.line_status.line);
		if (line) {
			line->info.status = f->u.line_status.status;
			line->info.num_calls = f->u.line_status.num_calls;
			line->info.forward_mode = f->u.line_status.forward_mode;
			line->info.dnd = f->u.line_status.dnd;
			memcpy(line->info.forward_to,
			       f->u.line_status.forward_to,
			       sizeof(line->info.forward_to));
		}
		break;
	case CTI_WIRE_EV_LINE_REMOVED:
		line = cti_session_get_line_by_id(s, f->u.line_removed.line);
		if (line) {
			line->removed = true;
			line->want = CTI_PRIV_NONE;
			line->info.privilege = CTI_PRIV_NONE;
		}
		break;
	case CTI_WIRE_EV_PRIVILEGE:
		line = cti_session_get_line_by_id(s, f->u.privilege.line);
		if (line && f->u.privilege.call == CTI_CALL_NONE)
			line->info.privilege = f->u.privilege.privilege;
		break;
	default:
		break;
	}
	if (!line) {
		/* every event body but the provider's starts with its line */
		if (f->hdr.type != CTI_WIRE_EV_PROVIDER_STATE)
			memcpy(&id, &f->u, sizeof(id));
		line = cti_session_get_line_by_id(s, id);
	}
	return queue_frame(s, map[f->hdr.type - 96], f, line);
}

int cti_session_handle_frame(struct cti_session *s,
			     const struct cti_wire_frame *f)
{
	struct cti_msg *m;

	if (s->state == CONN_HELLO && f->hdr.type != CTI_WIRE_HELLO_ACK) {
		/* ctid refused the HELLO itself (version, overload) */
		cti_reconnect_down(s, f->hdr.type == CTI_WIRE_ERROR ?
				   f->u.error.error : -EPROTO);
		return 0;
	}
	if (cti_wire_type_is_event(f->hdr.type))
		return handle_event(s, f);

	switch (f->hdr.type) {
	case CTI_WIRE_HELLO_ACK:
		return cti_reconnect_hello_ack(s, &f->u.hello_ack);
	case CTI_WIRE_REPLY:
	case CTI_WIRE_PONG:
		return handle_reply(s, f);
	case CTI_WIRE_ERROR:
		if (f->hdr.id && cti_pending_find(s, f->hdr.id))
			return handle_reply(s, f);
		return 0;	/* nothing of ours to complete */
	case CTI_WIRE_LINE:
		return handle_line_item(s, f, false);
	case CTI_WIRE_CALL:
		if (f->hdr.id && is_internal(s, f->hdr.id) &&
		    f->hdr.id != s->resync_req)
			return 0;
		return queue_frame(s, CTI_MSG_CALL, f,
				   cti_session_get_line_by_id(s, f->u.call.line));
	case CTI_WIRE_PROVIDER:
		return queue_frame(s, CTI_MSG_PROVIDER, f, NULL);
	case CTI_WIRE_END:
		return handle_end(s, f);
	case CTI_WIRE_GAP:
		if (f->u.gap.last_seq > s->last_seq)
			s->last_seq = f->u.gap.last_seq;
		return queue_frame(s, CTI_MSG_GAP, f, NULL);
	case CTI_WIRE_RESYNC:
		s->resyncing = true;
		for (size_t i = 0; i < s->num_lines; i++)
			s->lines[i]->seen = false;
		m = cti_msg_new(CTI_MSG_RESYNC, f);
		if (!m)
			return -ENOMEM;
		cti_msg_queue(s, m);
		return 0;
	default:
		return 0;	/* the codec let a client frame through: ignore */
	}
}

/*
 * Do whatever I/O and timers are ready, without blocking. The reconnect
 * timer runs only while there is no socket, so a connected session costs
 * one recv() here and nothing else.
 */
int cti_session_process(struct cti_session *s)
{
	int err;

	if (s->sock < 0) {
		err = cti_reconnect_timer(s);
		if (err < 0)
			return err;
	}
	if (s->sock >= 0 && s->out_len)
		cti_conn_flush(s);
	if (s->sock >= 0) {
		err = cti_conn_read(s);
		if (err < 0)
			return err;
	}
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Sleep until the socket or the reconnect timer is ready, or @deadline.
 * Not on the session's fd: its eventfd stays readable while messages
 * wait, and a helper waiting for a reply would spin on it.
 */
static int wait_until(struct cti_session *s, int64_t deadline)
{
	struct pollfd p[2] = {
		{ .fd = s->tfd, .events = POLLIN },
		{ .fd = s->sock, .events = POLLIN },
	};
	int timeout = -1;

	if (s->sock >= 0 && s->out_len)
		p[1].events |= POLLOUT;
	if (deadline >= 0) {
		int64_t left = deadline - now_ms();

		timeout = left > 0 ? (int)(left > 60000 ? 60000 : left) : 0;
	}
	/* a negative fd (no socket while reconnecting) is ignored by poll */
	if (poll(p, 2, timeout) < 0)
		return -errno;
	return cti_session_process(s);
}

static int64_t deadline_of(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
}

static bool past(int64_t deadline)
{
	return deadline >= 0 && now_ms() >= deadline;
}

/* Open: connect, hello, list lines. */

static int session_init_fds(struct cti_session *s)
{
	struct epoll_event ev = { .events = EPOLLIN };

	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	s->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (s->epfd < 0 || s->evfd < 0 || s->tfd < 0)
		return -errno;
	ev.data.fd = s->evfd;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->evfd, &ev) < 0)
		return -errno;
	ev.data.fd = s->tfd;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->tfd, &ev) < 0)
		return -errno;
	return 0;
}

static int session_handshake(struct cti_session *s, int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	struct cti_wire_frame f;
	uint64_t req;
	int err;

	err = cti_conn_connect(s->path, &s->sock);
	if (err)
		return err;
	{
		struct epoll_event ev = { .events = EPOLLIN,
					  .data.fd = s->sock };

		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->sock, &ev) < 0)
			return -errno;
	}
	err = cti_reconnect_send_hello(s);
	if (err)
		return err;
	while (s->state == CONN_HELLO) {
		if (past(deadline))
			return -ETIMEDOUT;
		err = wait_until(s, deadline);
		if (err)
			return err;
	}
	if (s->state != CONN_UP)
		return s->down_error ? s->down_error : -EPROTO;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_LIST_LINES;
	err = cti_session_request(s, &f, CTI_LINE_NONE, 0, true, &req);
	if (err)
		return err;
	while (cti_pending_find(s, req)) {
		if (s->state != CONN_UP)
			return -ECONNRESET;
		if (past(deadline))
			return -ETIMEDOUT;
		err = wait_until(s, deadline);
		if (err)
			return err;
	}
	return 0;
}

CTI_API int cti_session_open(const char *uri,
			     const struct cti_session_options *opts,
			     struct cti_session **sessionp)
{
	struct cti_session_options o = {
		.timeout_ms = DEFAULT_TIMEOUT_MS,
	};
	struct cti_session *s;
	const char *name;
	int err;

	if (!sessionp)
		return -EINVAL;
	if (opts) {
		/* only the fields the program's struct has; the rest default */
		size_t n = opts->size < sizeof(o) ? opts->size : sizeof(o);

		if (opts->size < offsetof(struct cti_session_options, flags) +
				 sizeof(opts->flags))
			return -EINVAL;
		memcpy(&o, opts, n);
		if (n < offsetof(struct cti_session_options, timeout_ms) +
			sizeof(o.timeout_ms) || o.timeout_ms == 0)
			o.timeout_ms = DEFAULT_TIMEOUT_MS;
		if (o.flags & ~CTI_SESSION_NO_RECONNECT)
			return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->epfd = s->evfd = s->tfd = s->sock = -1;
	s->tail = &s->head;
	s->flags = o.flags;
	s->backoff_ms = CTI_BACKOFF_MIN_MS;
	name = o.client_name ? o.client_name : program_invocation_short_name;
	if (!name)
		name = "";
	/* a name ctid would refuse is cut or replaced, never sent as is */
	strncpy(s->client_name, name, sizeof(s->client_name) - 1);
	if (cti_wire_check_name(s->client_name, strlen(s->client_name)))
		strcpy(s->client_name, "libcti");

	err = cti_uri_parse(uri, &s->path);
	if (!err) {
		s->in = malloc(CTI_INBUF_SIZE);
		err = s->in ? session_init_fds(s) : -ENOMEM;
	}
	if (!err)
		err = session_handshake(s, o.timeout_ms);
	if (err) {
		/* no reconnect loop for a session that never came up */
		s->flags |= CTI_SESSION_NO_RECONNECT;
		cti_session_close(s);
		return err;
	}
	cti_msg_sync_fd(s);
	*sessionp = s;
	return 0;
}

CTI_API void cti_session_close(struct cti_session *session)
{
	struct cti_session *s = session;

	if (!s)
		return;
	if (s->sock >= 0)
		close(s->sock);
	if (s->epfd >= 0)
		close(s->epfd);
	if (s->evfd >= 0)
		close(s->evfd);
	if (s->tfd >= 0)
		close(s->tfd);
	cti_msgs_free(s);
	cti_lines_free(s);
	free(s->pend);
	free(s->in);
	free(s->out);
	free(s->path);
	free(s);
}

CTI_API int cti_session_get_fd(struct cti_session *session)
{
	return session->epfd;
}

CTI_API void cti_session_set_callback(struct cti_session *session,
				      cti_msg_cb cb, void *userdata)
{
	session->cb = cb;
	session->cb_data = userdata;
}

CTI_API int cti_session_dispatch(struct cti_session *session)
{
	struct cti_msg *m;
	size_t count = 0;
	int err, n = 0;

	err = cti_session_process(session);
	if (err < 0 || !session->cb) {
		cti_msg_sync_fd(session);
		return err < 0 ? err : 0;
	}
	/* only what is queued now: a callback that makes requests must not
	 * keep this loop going forever */
	for (m = session->head; m; m = m->next)
		count++;
	while (count-- && (m = cti_msg_pop(session))) {
		session->cb(session, m, session->cb_data);
		cti_msg_free(m);
		n++;
	}
	cti_msg_sync_fd(session);
	return n;
}

CTI_API int cti_session_next_msg(struct cti_session *session,
				 struct cti_msg **msgp)
{
	int err;

	*msgp = NULL;
	if (!session->head) {
		err = cti_session_process(session);
		if (err < 0) {
			cti_msg_sync_fd(session);
			return err;
		}
	}
	*msgp = cti_msg_pop(session);
	cti_msg_sync_fd(session);
	return *msgp ? 1 : 0;
}

static int session_wait(struct cti_session *session, int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	int err;

	for (;;) {
		if (session->head)
			return 1;
		err = cti_session_process(session);
		if (err < 0)
			return err;
		if (session->head)
			return 1;
		if (past(deadline))
			return 0;
		err = wait_until(session, deadline);
		if (err < 0)
			return err;
	}
}

CTI_API int cti_session_wait(struct cti_session *session, int timeout_ms)
{
	int ret = session_wait(session, timeout_ms);

	cti_msg_sync_fd(session);
	return ret;
}

static int session_wait_reply(struct cti_session *session, uint64_t req,
			      int timeout_ms, uint32_t *call)
{
	int64_t deadline = deadline_of(timeout_ms);
	struct cti_msg *m;
	int err;

	if (call)
		*call = CTI_CALL_NONE;
	for (;;) {
		m = cti_msg_take_reply(session, req);
		if (m) {
			err = m->error;
			if (call)
				*call = cti_msg_get_call(m);
			cti_msg_free(m);
			return err;
		}
		if (!cti_pending_find(session, req))
			return -ENOENT;
		if (past(deadline))
			return -ETIMEDOUT;
		err = wait_until(session, deadline);
		if (err < 0)
			return err;
	}
}

CTI_API int cti_session_wait_reply(struct cti_session *session, uint64_t req,
				   int timeout_ms, uint32_t *call)
{
	int ret = session_wait_reply(session, req, timeout_ms, call);

	cti_msg_sync_fd(session);
	return ret;
}

CTI_API uint64_t cti_session_get_id(struct cti_session *session)
{
	return session->session_id;
}

CTI_API uint64_t cti_session_get_seq(struct cti_session *session)
{
	return session->last_seq;
}

CTI_API int cti_session_is_admin(struct cti_session *session)
{
	return session->admin;
}

CTI_API int cti_session_is_connected(struct cti_session *session)
{
	return session->state == CONN_UP;
}

/* Session-wide requests. */

static int simple_request(struct cti_session *s, uint16_t type,
			  uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = type };

	return cti_session_request(s, &f, CTI_LINE_NONE, 0, false, req);
}

CTI_API int cti_session_list_lines(struct cti_session *session,
				   uint64_t *req)
{
	return simple_request(session, CTI_WIRE_LIST_LINES, req);
}

CTI_API int cti_session_list_calls(struct cti_session *session,
				   struct cti_line *line, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LIST_CALLS };

	f.u.list_calls.line = line ? line->info.line : CTI_LINE_NONE;
	return cti_session_request(session, &f, f.u.list_calls.line, 0, false,
				   req);
}

CTI_API int cti_session_snapshot(struct cti_session *session, uint64_t *req)
{
	return simple_request(session, CTI_WIRE_SNAPSHOT, req);
}

CTI_API int cti_session_ping(struct cti_session *session, uint64_t *req)
{
	return simple_request(session, CTI_WIRE_PING, req);
}

CTI_API int cti_session_list_providers(struct cti_session *session,
				       uint64_t *req)
{
	return simple_request(session, CTI_WIRE_LIST_PROVIDERS, req);
}

static int provider_request(struct cti_session *s, uint16_t type,
			    const char *name, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = type };

	if (!name || strlen(name) >= sizeof(f.u.provider_req.name) ||
	    cti_wire_check_ident(name, strlen(name)))
		return -EINVAL;
	strcpy(f.u.provider_req.name, name);
	return cti_session_request(s, &f, CTI_LINE_NONE, 0, false, req);
}

CTI_API int cti_session_load_provider(struct cti_session *session,
				      const char *name, uint64_t *req)
{
	return provider_request(session, CTI_WIRE_PROVIDER_LOAD, name, req);
}

CTI_API int cti_session_unload_provider(struct cti_session *session,
					const char *name, uint64_t *req)
{
	return provider_request(session, CTI_WIRE_PROVIDER_UNLOAD, name, req);
}

CTI_API int cti_session_reload_provider(struct cti_session *session,
					const char *name, uint64_t *req)
{
	return provider_request(session, CTI_WIRE_PROVIDER_RELOAD, name, req);
}
