// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * conn.c - the session's socket: connect, buffered send, framed receive
 *
 * Sends never block: a frame is encoded into the output buffer and written
 * as far as the socket takes it; the rest waits for EPOLLOUT. Receives read
 * into one buffer and cut it into frames with cti_wire_peek(); a frame the
 * codec rejects means ctid and libcti disagree about the protocol, so the
 * connection is dropped (and resumed) rather than guessed at.
 *
 * Everything that goes up (a frame, the connection breaking) goes through
 * the ops the protocol layer registered, and only from cti_conn_pump().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include "conn.h"
#include "tls.h"
#include "wire.h"

/* Bytes read from the socket per pump at most, so one session cannot
 * starve the rest of the program's loop. */
#define READ_BUDGET	(1u << 20)
#define INBUF_SIZE	(16u * 1024)
/* Bytes of requests waiting for ctid to read them before new requests
 * fail with EAGAIN: backpressure instead of unbounded memory. */
#define OUTBUF_MAX	(1u << 20)

int cti_conn_init(struct cti_conn *c, int epfd,
		  const struct cti_conn_ops *ops, void *data)
{
	memset(c, 0, sizeof(*c));
	c->sock = -1;
	c->epfd = epfd;
	c->ops = ops;
	c->data = data;
	c->in = malloc(INBUF_SIZE);
	return c->in ? 0 : -ENOMEM;
}

void cti_conn_fini(struct cti_conn *c)
{
	cti_conn_close(c);
	free(c->in);
	free(c->out);
	c->in = c->out = NULL;
	c->out_cap = 0;
}

static int unix_connect(const char *path)
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
	return fd;
}

/* How long a tls:// connect, handshake and login may take. */
#define TLS_CONNECT_MS	5000

/* The TLS transport (tls.c), if linked in: see tls.h. */
static int tls_connect(struct cti_conn *c, const char *uri)
{
	if (!cti_tls_connect)
		return -EPROTONOSUPPORT;
	return cti_tls_connect(uri, TLS_CONNECT_MS, &c->tls);
}

static ssize_t io_send(struct cti_conn *c, const void *buf, size_t len)
{
	if (c->tls)
		return cti_tls_send(c->tls, buf, len);
	return send(c->sock, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static ssize_t io_recv(struct cti_conn *c, void *buf, size_t len)
{
	if (c->tls)
		return cti_tls_recv(c->tls, buf, len);
	return recv(c->sock, buf, len, MSG_DONTWAIT);
}

/* Connect to @path and add the socket to the session's epoll set. */
int cti_conn_connect(struct cti_conn *c, const char *path)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fd = !strncmp(path, "tls://", 6) ? tls_connect(c, path) : unix_connect(path);
	int err;

	if (fd < 0)
		return fd;
	ev.data.fd = fd;
	if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		err = -errno;
		close(fd);
		if (c->tls)
			cti_tls_free(c->tls);
		c->tls = NULL;
		return err;
	}
	c->sock = fd;
	c->want_out = false;
	c->rx_drained = false;
	c->send_error = 0;
	c->in_len = c->out_len = 0;
	return 0;
}

/* Close the socket and drop what was buffered; reports nothing. */
void cti_conn_close(struct cti_conn *c)
{
	if (c->sock < 0)
		return;
	epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->sock, NULL);
	if (c->tls)
		cti_tls_free(c->tls);
	c->tls = NULL;
	close(c->sock);
	c->sock = -1;
	c->want_out = false;
	c->rx_drained = false;
	c->send_error = 0;
	c->in_len = c->out_len = 0;
}

/* Close, then tell the layer above why. */
static void conn_down(struct cti_conn *c, int error)
{
	cti_conn_close(c);
	c->ops->down(c->data, error);
}

static int update_epoll(struct cti_conn *c)
{
	struct epoll_event ev = { .data.fd = c->sock };
	bool want = c->out_len > 0;

	if (c->sock < 0 || want == c->want_out)
		return 0;
	ev.events = EPOLLIN | (want ? EPOLLOUT : 0);
	if (epoll_ctl(c->epfd, EPOLL_CTL_MOD, c->sock, &ev) < 0)
		return -errno;
	c->want_out = want;
	return 0;
}

/* Write what the socket takes; an error is kept for the next pump. */
static void flush(struct cti_conn *c)
{
	size_t done = 0;

	while (c->sock >= 0 && !c->send_error && done < c->out_len) {
		ssize_t n = io_send(c, c->out + done, c->out_len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/*
			 * EPIPE: ctid closed its end (killed, restarted),
			 * which a receive reports as ECONNRESET; one errno
			 * for one event, whichever direction saw it first.
			 */
			if (errno == EPIPE)
				c->send_error = -ECONNRESET;
			else if (errno != EAGAIN)
				c->send_error = -errno;
			break;
		}
		done += (size_t)n;
	}
	memmove(c->out, c->out + done, c->out_len - done);
	c->out_len -= done;
	if (!c->send_error)
		c->send_error = update_epoll(c);
}

/*
 * Encode @f at the end of the output buffer and try to send it. -ENOTCONN:
 * no socket, or one whose failure the next pump reports; -EAGAIN: ctid
 * is not reading; -ENOSPC and the codec's errors: @f cannot be encoded.
 * A send that fails after this returned 0 is the connection's failure,
 * not the frame's: the layer above hears of it through ops->down.
 */
int cti_conn_send(struct cti_conn *c, const struct cti_wire_frame *f)
{
	ssize_t n;

	if (c->sock < 0 || c->send_error)
		return -ENOTCONN;
	if (c->out_len >= OUTBUF_MAX)
		return -EAGAIN;
	if (c->out_cap - c->out_len < CTI_WIRE_FRAME_MAX) {
		size_t cap = c->out_cap ? c->out_cap * 2 : 4 * CTI_WIRE_FRAME_MAX;
		uint8_t *p = realloc(c->out, cap);

		if (!p)
			return -ENOMEM;
		c->out = p;
		c->out_cap = cap;
	}
	n = cti_wire_encode(f, c->out + c->out_len, c->out_cap - c->out_len,
			    NULL);
	if (n < 0)
		return (int)n;
	c->out_len += (size_t)n;
	flush(c);
	return 0;
}

/*
 * Cut complete frames off the input buffer and hand them up. The frame
 * is decoded on the stack (about 1 KiB): a heap frame cost a malloc and
 * a free for every batch of input, on every round trip of a client.
 */
static int parse(struct cti_conn *c)
{
	struct cti_wire_frame frame, *f = &frame;
	size_t off = 0;
	int err = 0;

	while (c->sock >= 0) {
		struct cti_wire_hdr hdr;
		ssize_t len = cti_wire_peek(c->in + off, c->in_len - off, &hdr);

		if (len == 0 || (len > 0 && (size_t)len > c->in_len - off))
			break;
		if (len > 0)
			len = cti_wire_decode(c->in + off, c->in_len - off,
					      CTI_WIRE_FROM_SERVER, f, NULL);
		if (len < 0) {
			conn_down(c, -EPROTO);
			break;
		}
		off += (size_t)len;
		err = c->ops->frame(c->data, f);
		if (err < 0)
			break;
	}
	/* the layer above may have closed the connection meanwhile */
	if (c->sock >= 0) {
		memmove(c->in, c->in + off, c->in_len - off);
		c->in_len -= off;
	}
	return err;
}

static int read_frames(struct cti_conn *c)
{
	size_t budget = READ_BUDGET;

	while (c->sock >= 0 && budget) {
		size_t room = INBUF_SIZE - c->in_len;
		ssize_t n = io_recv(c, c->in + c->in_len, room);
		bool short_read;
		int err;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				conn_down(c, -errno);
			else
				c->rx_drained = true;
			return 0;
		}
		if (n == 0) {
			conn_down(c, -ECONNRESET);
			return 0;
		}
		c->in_len += (size_t)n;
		short_read = (size_t)n < room;
		c->rx_drained = short_read;
		budget -= (size_t)n < budget ? (size_t)n : budget;
		err = parse(c);
		if (err < 0)
			return err;
		/*
		 * A short read drained the socket (almost always): stop
		 * rather than pay for a recv() that says EAGAIN. If more came
		 * meanwhile, or (over TLS, which returns one record a read)
		 * more records wait, the fd is still readable and the program's poll
		 * brings us back.
		 */
		if (short_read)
			return 0;
	}
	return 0;
}

/*
 * Do the socket's work: report a failed send, write what waits, read and
 * hand up what came. Returns a negative errno only from ops->frame.
 */
int cti_conn_pump(struct cti_conn *c)
{
	if (c->sock >= 0 && c->out_len && !c->send_error)
		flush(c);
	if (c->sock >= 0 && c->send_error) {
		conn_down(c, c->send_error);
		return 0;
	}
	return read_frames(c);
}
