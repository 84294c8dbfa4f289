// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * session.c - a session to ctid: open, close, the program's loop
 *
 * The top of libcti. The fd a program polls is an epoll instance holding
 * the socket, a timerfd (reconnect backoff) and an eventfd (messages
 * waiting), so it stays the same fd across reconnects and is readable
 * whenever there is something to do. All work happens inside
 * cti_proto_process(), called by dispatch, next_msg and the wait helpers;
 * nothing runs behind the program's back and no threads are created.
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

#include "session.h"

#define DEFAULT_TIMEOUT_MS 5000

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
		{ .fd = s->conn.sock, .events = POLLIN },
	};
	int timeout = -1;

	if (cti_conn_has_output(&s->conn))
		p[1].events |= POLLOUT;
	if (deadline >= 0) {
		int64_t left = deadline - now_ms();

		timeout = left > 0 ? (int)(left > 60000 ? 60000 : left) : 0;
	}
	/* a negative fd (no socket while reconnecting) is ignored by poll */
	if (poll(p, 2, timeout) < 0)
		return -errno;
	return cti_proto_process(s);
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

	err = cti_proto_connect(s);
	if (err)
		return err;
	while (s->state == PROTO_HELLO) {
		if (past(deadline))
			return -ETIMEDOUT;
		err = wait_until(s, deadline);
		if (err)
			return err;
	}
	if (s->state != PROTO_UP)
		return s->down_error ? s->down_error : -EPROTO;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_LIST_LINES;
	err = cti_request_send(s, &f, CTI_LINE_NONE, 0, true, &req);
	if (err)
		return err;
	while (cti_pending_find(s, req)) {
		if (s->state != PROTO_UP)
			return -ECONNRESET;
		if (past(deadline))
			return -ETIMEDOUT;
		err = wait_until(s, deadline);
		if (err)
			return err;
	}
	/*
	 * A connection lost while listing fails the request (proto_drop())
	 * and so ends the loop above: the open did not complete.
	 */
	if (s->state != PROTO_UP)
		return s->down_error ? s->down_error : -ECONNRESET;
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
		if (o.flags & ~(CTI_SESSION_NO_RECONNECT |
				CTI_SESSION_EXCLUSIVE))
			return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->epfd = s->evfd = s->tfd = s->conn.sock = -1;
	s->tail = &s->head;
	s->flags = o.flags;
	name = o.client_name ? o.client_name : program_invocation_short_name;
	if (!name)
		name = "";
	/* a name ctid would refuse is cut or replaced, never sent as is */
	strncpy(s->client_name, name, sizeof(s->client_name) - 1);
	if (cti_wire_check_name(s->client_name, strlen(s->client_name)))
		strcpy(s->client_name, "libcti");

	err = cti_uri_parse(uri, &s->path);
	if (!err)
		err = session_init_fds(s);
	if (!err)
		err = cti_proto_init(s);
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
	/*
	 * The program is done with the session: say so, and ctid ends it at
	 * once instead of keeping it (and the calls it owns) for a resume
	 * that will not come. Best effort: if the socket does not take it
	 * now, ctid sees only the close and keeps the session for a while.
	 */
	if (s->state == PROTO_UP && (s->features & CTI_WIRE_FEAT_BYE)) {
		struct cti_wire_frame bye = { .hdr.type = CTI_WIRE_BYE };

		cti_conn_send(&s->conn, &bye);
	}
	cti_conn_fini(&s->conn);
	if (s->epfd >= 0)
		close(s->epfd);
	if (s->evfd >= 0)
		close(s->evfd);
	if (s->tfd >= 0)
		close(s->tfd);
	cti_msgs_free(s);
	cti_phones_free(s);
	cti_lines_free(s);
	free(s->pend);
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

	session->in_drain = false;
	err = cti_proto_process(session);
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

/*
 * A program drains with next_msg until it answers 0, then polls. Within
 * such a drain two system calls per wakeup are avoidable, and avoided:
 *  - the last, empty call does not read when the drain's read was short
 *    (it would only hear EAGAIN; whatever came since keeps the socket,
 *    and so the fd, readable);
 *  - the eventfd is not armed for the messages still queued behind the
 *    one returned (the program takes them in its next calls), only
 *    disarmed when the queue empties after a wait that armed it.
 * So a round trip costs the program's poll, one recv and one send.
 */
CTI_API int cti_session_next_msg(struct cti_session *session,
				 struct cti_msg **msgp)
{
	bool skip_read = !session->head && session->in_drain &&
			 cti_conn_take_drained(&session->conn);
	int err;

	*msgp = NULL;
	session->in_drain = false;
	if (!session->head && !skip_read) {
		err = cti_proto_process(session);
		if (err < 0) {
			cti_msg_sync_fd(session);
			return err;
		}
	}
	*msgp = cti_msg_pop(session);
	if (*msgp)
		session->in_drain = true;
	if (!session->head)
		cti_msg_sync_fd(session);
	return *msgp ? 1 : 0;
}

static int session_wait(struct cti_session *session, int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	int err;

	session->in_drain = false;
	for (;;) {
		if (session->head)
			return 1;
		err = cti_proto_process(session);
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
	session->in_drain = false;
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
	return session->state == PROTO_UP;
}

/* Session-wide requests. */

static int simple_request(struct cti_session *s, uint16_t type,
			  uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = type };

	return cti_request_send(s, &f, CTI_LINE_NONE, 0, false, req);
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
	return cti_request_send(session, &f, f.u.list_calls.line, 0, false,
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
	return cti_request_send(s, &f, CTI_LINE_NONE, 0, false, req);
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

CTI_API int cti_session_reload_server(struct cti_session *session, uint64_t *req)
{
	return simple_request(session, CTI_WIRE_SERVER_RELOAD, req);
}
