// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * conn.c - the session's socket: connect, buffered send, framed receive
 *
 * Sends never block: a frame is encoded into the output buffer and written
 * as far as the socket takes it; the rest waits for EPOLLOUT. Receives read
 * into one buffer and cut it into frames with cti_wire_peek(); a frame the
 * codec rejects means ctid and libcti disagree about the protocol, so the
 * connection is dropped (and resumed) rather than guessed at.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"

int cti_conn_connect(const char *path, int *sockp)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = strlen(path);
	socklen_t len;
	int fd, err;

	if (n >= sizeof(sa.sun_path))
		return -EINVAL;
	memcpy(sa.sun_path, path, n);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	if (path[0] == '@') {
		sa.sun_path[0] = '\0';	/* abstract: no trailing NUL */
		len--;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/*
	 * A local connect completes or fails at once (EAGAIN when the backlog
	 * is full, which the caller retries like any failure); only then is
	 * the socket made non-blocking for the loop.
	 */
	if (connect(fd, (struct sockaddr *)&sa, len) < 0 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	*sockp = fd;
	return 0;
}

int cti_conn_update_epoll(struct cti_session *s)
{
	struct epoll_event ev = { .data.fd = s->sock };
	bool want = s->out_len > 0;

	if (s->sock < 0 || want == s->want_out)
		return 0;
	ev.events = EPOLLIN | (want ? EPOLLOUT : 0);
	if (epoll_ctl(s->epfd, EPOLL_CTL_MOD, s->sock, &ev) < 0)
		return -errno;
	s->want_out = want;
	return 0;
}

int cti_conn_flush(struct cti_session *s)
{
	size_t done = 0;
	int err = 0;

	while (s->sock >= 0 && done < s->out_len) {
		ssize_t n = send(s->sock, s->out + done, s->out_len - done,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				err = -errno;
			break;
		}
		done += (size_t)n;
	}
	memmove(s->out, s->out + done, s->out_len - done);
	s->out_len -= done;
	if (err) {
		cti_reconnect_down(s, err);
		return err;
	}
	return cti_conn_update_epoll(s);
}

/* Encode @f at the end of the output buffer and try to send it. */
int cti_conn_queue(struct cti_session *s, const struct cti_wire_frame *f)
{
	ssize_t n;

	if (s->out_len >= CTI_OUTBUF_MAX)
		return -EAGAIN;
	if (s->out_cap - s->out_len < CTI_WIRE_FRAME_MAX) {
		size_t cap = s->out_cap ? s->out_cap * 2 : 4 * CTI_WIRE_FRAME_MAX;
		uint8_t *p = realloc(s->out, cap);

		if (!p)
			return -ENOMEM;
		s->out = p;
		s->out_cap = cap;
	}
	n = cti_wire_encode(f, s->out + s->out_len, s->out_cap - s->out_len,
			    NULL);
	if (n < 0)
		return (int)n;
	s->out_len += (size_t)n;
	/*
	 * A failed send is not the request's failure: the connection is
	 * down, and the pending request completes with ECONNRESET from
	 * cti_reconnect_down() like every other request in flight.
	 */
	cti_conn_flush(s);
	return 0;
}

/* Cut complete frames off the input buffer and handle them. */
static int conn_parse(struct cti_session *s)
{
	struct cti_wire_frame *f = malloc(sizeof(*f));
	size_t off = 0;
	int err = 0;

	if (!f)
		return -ENOMEM;
	while (s->sock >= 0) {
		struct cti_wire_hdr hdr;
		ssize_t len = cti_wire_peek(s->in + off, s->in_len - off, &hdr);

		if (len == 0 || (len > 0 && (size_t)len > s->in_len - off))
			break;
		if (len > 0)
			len = cti_wire_decode(s->in + off, s->in_len - off,
					      CTI_WIRE_FROM_SERVER, f, NULL);
		if (len < 0) {
			cti_reconnect_down(s, -EPROTO);
			off = s->in_len;
			break;
		}
		off += (size_t)len;
		err = cti_session_handle_frame(s, f);
		if (err < 0)
			break;
	}
	free(f);
	if (s->sock < 0)
		s->in_len = 0;	/* the connection went away meanwhile */
	else {
		memmove(s->in, s->in + off, s->in_len - off);
		s->in_len -= off;
	}
	return err;
}

int cti_conn_read(struct cti_session *s)
{
	size_t budget = CTI_READ_BUDGET;

	while (s->sock >= 0 && budget) {
		size_t room = CTI_INBUF_SIZE - s->in_len;
		ssize_t n = recv(s->sock, s->in + s->in_len, room,
				 MSG_DONTWAIT);
		int err;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			cti_reconnect_down(s, -errno);
			return 0;
		}
		if (n == 0) {
			cti_reconnect_down(s, -ECONNRESET);
			return 0;
		}
		s->in_len += (size_t)n;
		budget -= (size_t)n < budget ? (size_t)n : budget;
		err = conn_parse(s);
		if (err < 0)
			return err;
		/*
		 * A short read drained the socket (almost always): stop
		 * rather than pay for a recv() that says EAGAIN. If more came
		 * meanwhile, the fd is still readable and the program's poll
		 * brings us back.
		 */
		if ((size_t)n < room)
			return 0;
	}
	return 0;
}
