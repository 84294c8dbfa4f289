// SPDX-License-Identifier: GPL-2.0
/*
 * ctid's sockets: the listening unix socket, client connections, signals.
 *
 * A connection has at most one receive and one send in flight. Receives
 * take a buffer from the shared provided-buffer ring; complete frames are
 * handed to session.c straight from that buffer and only a partial frame
 * is copied into the connection. Sends go from a private buffer that
 * collects everything queued during a batch of completions (see
 * before_wait()), so that one send carries many frames.
 *
 * Flow control: events beyond the configured queue_limit are dropped by
 * session.c (GAP, RESYNC, snapshot); replies are never dropped, instead a
 * connection whose queue is over the limit is "paused": its receive is not
 * re-armed and unprocessed frames wait in its rx buffer until the queue
 * drains, so a client that sends requests and never reads costs at most
 * the limit plus one frame's worth of replies.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "conn_internal.h"
#include "ctid.h"
#include "log.h"
#include "tls_server.h"

/* The loop's signal handling: the only state of conn.c outside ctx->srv. */
static int signal_fd = -1;
static struct loop_op signal_op;
static struct signalfd_siginfo siginfo;

/*
 * Send buffers come and go with every batch (an idle connection keeps
 * none), so buffers of the common size are recycled through a pool
 * instead of going back to malloc each time. The pool holds up to one
 * buffer per connection (at least 64, at most 4096): a fixed 64 was
 * smaller than the connections that one event makes busy at 1,000
 * subscribers, and the rest went to malloc and back every batch. It
 * never holds more than were in use at the same time, and an idle
 * connection still costs none. The pool is an array of pointers, not a
 * list threaded through the buffers: taking a buffer must not touch its
 * memory (a free list measured slower at 1,000 subscribers).
 */
#define OUTBUF_BASE	16384

static bool outbuf_pool_room(struct ctid *ctx)
{
	unsigned int max = ctx->nconns < OUTBUF_POOL_MIN ? OUTBUF_POOL_MIN :
			   ctx->nconns > OUTBUF_POOL_MAX ? OUTBUF_POOL_MAX :
			   ctx->nconns;
	unsigned int ncap;
	uint8_t **n;

	if (ctx->srv.outbuf_pooled >= max)
		return false;
	if (ctx->srv.outbuf_pooled < ctx->srv.outbuf_pool_cap)
		return true;
	ncap = ctx->srv.outbuf_pool_cap ? ctx->srv.outbuf_pool_cap * 2 :
	       OUTBUF_POOL_MIN;
	n = realloc(ctx->srv.outbuf_pool, (ncap < max ? ncap : max) * sizeof(*n));
	if (!n)
		return false;
	ctx->srv.outbuf_pool = n;
	ctx->srv.outbuf_pool_cap = ncap < max ? ncap : max;
	return true;
}

void conn_outbuf_free(struct ctid *ctx, struct outbuf *b)
{
	if (b->data && b->cap == OUTBUF_BASE && outbuf_pool_room(ctx))
		ctx->srv.outbuf_pool[ctx->srv.outbuf_pooled++] = b->data;
	else
		free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static uint8_t *outbuf_reserve(struct ctid *ctx, struct outbuf *b, uint32_t n)
{
	if (!b->data && n <= OUTBUF_BASE && ctx->srv.outbuf_pooled) {
		b->data = ctx->srv.outbuf_pool[--ctx->srv.outbuf_pooled];
		b->cap = OUTBUF_BASE;
	}
	if (b->len + n > b->cap) {
		uint32_t ncap = b->cap ? b->cap : OUTBUF_BASE;
		uint8_t *d;

		while (ncap < b->len + n)
			ncap *= 2;
		d = realloc(b->data, ncap);
		if (!d)
			return NULL;
		b->data = d;
		b->cap = ncap;
	}
	return b->data + b->len;
}

static void outbuf_pool_drain(struct ctid *ctx)
{
	while (ctx->srv.outbuf_pooled)
		free(ctx->srv.outbuf_pool[--ctx->srv.outbuf_pooled]);
	free(ctx->srv.outbuf_pool);
	ctx->srv.outbuf_pool = NULL;
	ctx->srv.outbuf_pool_cap = 0;
}

void conn_mark_dirty(struct ctid *ctx, struct conn *c)
{
	if (!c->dirty) {
		c->dirty = true;
		c->dirty_next = ctx->srv.dirty;
		ctx->srv.dirty = c;
	}
}

static void conn_maybe_free(struct ctid *ctx, struct conn *c)
{
	/* busy: a handler further up the stack still uses it */
	if (!c->closing || c->recv_armed || c->send_armed || c->dirty ||
	    c->busy)
		return;
	if (c->xport)
		c->xport->release(ctx, c);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		ctx->srv.conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	conn_outbuf_free(ctx, &c->pending);
	conn_outbuf_free(ctx, &c->inflight);
	free(c->rx);
	ctx->nconns--;
	free(c);
}

void conn_close(struct ctid *ctx, struct conn *c, const char *why)
{
	if (c->closing)
		return;
	log_debug(&ctx->log, "connection %d (uid %u%s%s) closed: %s", c->fd,
		  (unsigned int)c->uid, c->tls ? ", TLS from " : "", c->tls ? c->peer : "", why);
	c->closing = true;
	/* Wakes the receive and any send the kernel holds: both complete. */
	shutdown(c->fd, SHUT_RDWR);
	ctx->conn_ops->closed(ctx, c);
	conn_outbuf_free(ctx, &c->pending);
	conn_maybe_free(ctx, c);
}

static void conn_arm_recv(struct ctid *ctx, struct conn *c);
static void arm_recv(struct ctid *ctx, struct conn *c, bool poll_first);

int conn_add_listener(struct ctid *ctx, int fd, void (*accepted)(struct ctid *ctx, int fd))
{
	struct conn_listener *l;

	if (!ctx->srv.nls)
		ctx->srv.nls = 1;	/* [0] is the unix socket's */
	if (ctx->srv.nls == CONN_MAX_LISTENERS)
		return -ENOSPC;
	l = &ctx->srv.ls[ctx->srv.nls++];
	l->fd = fd;
	l->accepted = accepted;
	return 0;
}

void conn_close_after_send(struct ctid *ctx, struct conn *c, const char *why)
{
	if (c->closing)
		return;
	c->fatal = true;
	c->paused = true;
	c->fatal_why = why;
	conn_mark_dirty(ctx, c);
}

static const char *fatal_why(const struct conn *c)
{
	return c->fatal_why ? c->fatal_why : "bad frame length";
}

bool conn_idle(const struct conn *c)
{
	return !c->send_armed && !c->pending.len && !(c->xport && c->xport->has_output(c));
}

uint32_t conn_queued(const struct conn *c)
{
	return c->pending.len;
}

/*
 * The session stops (or starts again) reading requests: while a listing
 * is being produced, the next requests wait in the socket (or in rx), so
 * that replies keep the order of requests and rx cannot grow.
 */
void conn_hold_input(struct ctid *ctx, struct conn *c, bool hold)
{
	if (c->held == hold)
		return;
	c->held = hold;
	if (hold || c->closing || c->fatal)
		return;
	if (c->rx_len)
		conn_process(ctx, c, NULL, 0);
	if (!c->closing && !c->paused && !c->held && !c->recv_armed)
		conn_arm_recv(ctx, c);
}

void conn_queue_frame(struct ctid *ctx, struct conn *c, const struct cti_wire_frame *f)
{
	struct cti_wire_diag diag = { 0 };
	uint8_t *p;
	ssize_t n;

	if (c->closing)
		return;
	p = outbuf_reserve(ctx, &c->pending, CTI_WIRE_FRAME_MAX);
	if (!p) {
		conn_close(ctx, c, "out of memory");
		return;
	}
	n = cti_wire_encode(f, p, CTI_WIRE_FRAME_MAX, &diag);
	if (n < 0) {
		/* Our own frame is invalid: a bug, not the client's fault. */
		log_rl(&ctx->log, LOG_LVL_ERR, "cannot encode %s: %s at %s",
		       cti_wire_type_name(f->hdr.type), strerror((int)-n),
		       diag.field ? diag.field : "?");
		return;
	}
	c->pending.len += n;
	if (c->pending.len > ctx->cfg->queue_limit)
		c->paused = true;
	conn_mark_dirty(ctx, c);
}

/*
 * Appends a shared event frame with this session's sequence number (and
 * privilege) patched in. Returns false when the queue has no room: the
 * caller declares the overflow.
 */
bool conn_queue_event(struct ctid *ctx, struct conn *c, const struct blob *b, uint64_t seq,
		      uint32_t priv)
{
	uint8_t *p;

	if (c->closing)
		return true;
	if (c->pending.len + b->len > ctx->cfg->queue_limit)
		return false;
	p = outbuf_reserve(ctx, &c->pending, b->len);
	if (!p)
		return false;
	memcpy(p, b->data, b->len);
	cti_wire_frame_set_id(p, seq);
	if (b->priv_off)
		cti_wire_frame_patch_privilege(p, b->priv_off, priv);
	c->pending.len += b->len;
	conn_mark_dirty(ctx, c);
	return true;
}

/*
 * Drops the event frames not yet handed to the kernel; replies and list
 * items stay. Returns the lowest sequence number dropped, 0 if none.
 */
uint64_t conn_discard_events(struct conn *c)
{
	uint64_t first = 0;
	uint32_t r = 0, w = 0;

	while (r + CTI_WIRE_HDR_SIZE <= c->pending.len) {
		uint8_t *f = c->pending.data + r;
		uint32_t len = cti_wire_frame_len(f);

		if (cti_wire_type_is_event(cti_wire_frame_type(f))) {
			if (!first)
				first = cti_wire_frame_id(f);
		} else {
			memmove(c->pending.data + w, f, len);
			w += len;
		}
		r += len;
	}
	c->pending.len = w;
	return first;
}

static void send_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe);

static void conn_send(struct ctid *ctx, struct conn *c)
{
	struct io_uring_sqe *sqe = loop_sqe(&ctx->loop, &c->send_op);

	io_uring_prep_send(sqe, c->fd, c->inflight.data + c->inflight_off,
			   c->inflight.len - c->inflight_off, MSG_NOSIGNAL);
	c->send_armed = true;
}

static void conn_flush(struct ctid *ctx, struct conn *c)
{
	if (c->send_armed || c->closing)
		return;
	if (c->xport) {
		/* what the kernel sends is, say, the ciphertext of @pending */
		if (c->xport->seal(ctx, c, &c->pending, &c->inflight)) {
			conn_close(ctx, c, "TLS: cannot encrypt");
			return;
		}
		if (c->inflight.len) {
			c->inflight_off = 0;
			conn_send(ctx, c);
		}
		return;
	}
	if (!c->pending.len)
		return;
	/* Swap: the kernel sends @inflight while new frames collect. */
	conn_outbuf_free(ctx, &c->inflight);
	c->inflight = c->pending;
	c->inflight_off = 0;
	memset(&c->pending, 0, sizeof(c->pending));
	conn_send(ctx, c);
}

static void send_complete(struct ctid *ctx, struct conn *c, struct io_uring_cqe *cqe);

static void send_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct ctid *ctx = ctid_of_loop(lp);
	struct conn *c = (struct conn *)((char *)op - offsetof(struct conn, send_op));

	/* Anything below may close the connection; it is freed only here,
	 * once nothing uses it any more. */
	c->busy = true;
	send_complete(ctx, c, cqe);
	c->busy = false;
	conn_maybe_free(ctx, c);
}

static void send_complete(struct ctid *ctx, struct conn *c, struct io_uring_cqe *cqe)
{
	c->send_armed = false;
	if (c->closing) {
		conn_maybe_free(ctx, c);
		return;
	}
	if (cqe->res < 0) {
		conn_close(ctx, c, strerror(-cqe->res));
		return;
	}
	c->inflight_off += cqe->res;
	if (c->inflight_off < c->inflight.len) {
		conn_send(ctx, c);
		return;
	}
	conn_outbuf_free(ctx, &c->inflight);
	if (c->fatal) {
		if (!c->pending.len)
			conn_close(ctx, c, fatal_why(c));
		else
			conn_flush(ctx, c);
		return;
	}
	if (c->paused && c->pending.len < ctx->cfg->queue_limit / 2) {
		c->paused = false;
		if (c->rx_len)
			conn_process(ctx, c, NULL, 0);
		if (!c->paused && !c->held && !c->recv_armed && !c->closing)
			conn_arm_recv(ctx, c);
	}
	if (!c->pending.len && !c->closing)
		ctx->conn_ops->drained(ctx, c);
	conn_flush(ctx, c);
}

static int rx_append(struct conn *c, const uint8_t *data, uint32_t len)
{
	if (c->rx_len + len > c->rx_cap) {
		uint32_t ncap = c->rx_len + len;
		uint8_t *n = realloc(c->rx, ncap);

		if (!n)
			return -ENOMEM;
		c->rx = n;
		c->rx_cap = ncap;
	}
	memcpy(c->rx + c->rx_len, data, len);
	c->rx_len += len;
	return 0;
}

/* Handles the complete frames at @buf; returns the bytes consumed. */
static uint32_t conn_frames(struct ctid *ctx, struct conn *c, const uint8_t *buf, uint32_t len)
{
	uint32_t off = 0;

	while (!c->closing && !c->paused && !c->held &&
	       len - off >= CTI_WIRE_HDR_SIZE) {
		struct cti_wire_hdr hdr;
		ssize_t flen = cti_wire_peek(buf + off, len - off, &hdr);

		if (flen < 0) {
			struct cti_wire_frame f = { .hdr.type = CTI_WIRE_ERROR };

			f.u.error.error = -EMSGSIZE;
			f.u.error.bad_type = hdr.type;
			snprintf(f.u.error.message, sizeof(f.u.error.message),
				 "frame length %u outside 16..%u", hdr.len,
				 CTI_WIRE_FRAME_MAX);
			conn_queue_frame(ctx, c, &f);
			log_rl(&ctx->log, LOG_LVL_WARN, "uid %u: bad frame length %u; closing",
			       (unsigned int)c->uid, hdr.len);
			/* The frame boundary is lost: let the ERROR go out,
			 * read nothing more, then close. */
			c->fatal = true;
			c->paused = true;
			return len;
		}
		if (flen == 0 || (uint32_t)flen > len - off)
			break;
		off += (uint32_t)flen;
		/* false: the session will read nothing more from it */
		if (!ctx->conn_ops->frame(ctx, c, buf + off - flen, (uint32_t)flen))
			break;
	}
	return off;
}

void conn_process(struct ctid *ctx, struct conn *c, const uint8_t *data, uint32_t len)
{
	uint32_t used;

	if (c->rx_len) {
		if (len && rx_append(c, data, len)) {
			conn_close(ctx, c, "out of memory");
			return;
		}
		used = conn_frames(ctx, c, c->rx, c->rx_len);
		if (c->closing)
			return;
		memmove(c->rx, c->rx + used, c->rx_len - used);
		c->rx_len -= used;
		if (!c->rx_len) {
			free(c->rx);
			c->rx = NULL;
			c->rx_cap = 0;
		}
		return;
	}
	used = conn_frames(ctx, c, data, len);
	if (!c->closing && used < len && rx_append(c, data + used, len - used))
		conn_close(ctx, c, "out of memory");
}

static void recv_complete(struct ctid *ctx, struct conn *c, struct io_uring_cqe *cqe);

static void recv_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct ctid *ctx = ctid_of_loop(lp);
	struct conn *c = (struct conn *)((char *)op - offsetof(struct conn, recv_op));

	c->busy = true;		/* see send_done() */
	recv_complete(ctx, c, cqe);
	c->busy = false;
	conn_maybe_free(ctx, c);
}

static void recv_complete(struct ctid *ctx, struct conn *c, struct io_uring_cqe *cqe)
{
	int res = cqe->res;

	c->recv_armed = false;
	if (cqe->flags & IORING_CQE_F_BUFFER) {
		unsigned int bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;

		if (res > 0 && !c->closing && !c->fatal && c->xport)
			c->xport->input(ctx, c, loop_buf(&ctx->loop, bid), (uint32_t)res);
		else if (res > 0 && !c->closing && !c->fatal)
			conn_process(ctx, c, loop_buf(&ctx->loop, bid), (uint32_t)res);
		loop_buf_return(&ctx->loop, bid);
	}
	if (c->closing) {
		conn_maybe_free(ctx, c);
		return;
	}
	if (res == 0) {
		conn_close(ctx, c, "end of file");
		return;
	}
	if (res < 0 && res != -ENOBUFS && res != -EINTR && res != -EAGAIN) {
		conn_close(ctx, c, strerror(-res));
		return;
	}
	if (c->fatal) {
		/* after a fatal frame error: wait for the ERROR to leave */
		if (conn_idle(c))
			conn_close(ctx, c, fatal_why(c));
		return;
	}
	/*
	 * A client mostly sends a request and waits for its answer: once a
	 * receive has drained the socket, an immediate retry would fail and
	 * only then arm the poll. Poll first, unless the kernel said more is
	 * queued (a pipelining client).
	 */
	if (!c->paused && !c->held)
		arm_recv(ctx, c, !(cqe->flags & IORING_CQE_F_SOCK_NONEMPTY));
}

static void arm_recv(struct ctid *ctx, struct conn *c, bool poll_first)
{
	struct io_uring_sqe *sqe = loop_sqe(&ctx->loop, &c->recv_op);

	io_uring_prep_recv(sqe, c->fd, NULL, LOOP_BUF_SIZE, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = LOOP_BGID;
	if (poll_first)
		sqe->ioprio |= IORING_RECVSEND_POLL_FIRST;
	c->recv_armed = true;
}

/* Data may be waiting (a new or resumed connection): try it at once. */
static void conn_arm_recv(struct ctid *ctx, struct conn *c)
{
	arm_recv(ctx, c, false);
}

static void before_wait(struct loop *lp)
{
	struct ctid *ctx = ctid_of_loop(lp);

	ctx->conn_ops->before_wait(ctx);
	while (ctx->srv.dirty) {
		struct conn *c = ctx->srv.dirty;

		ctx->srv.dirty = c->dirty_next;
		c->dirty = false;
		c->dirty_next = NULL;
		if (c->closing) {
			conn_maybe_free(ctx, c);
			continue;
		}
		conn_flush(ctx, c);
		if (c->fatal && conn_idle(c))
			conn_close(ctx, c, fatal_why(c));
	}
}

/* A connection object for @fd, linked in, its receive not yet armed. */
struct conn *conn_link_new(struct ctid *ctx, int fd)
{
	struct conn *c;

	if (ctx->stopping || ctx->nconns >= ctx->cfg->max_clients) {
		log_rl(&ctx->log, LOG_LVL_WARN, "refusing a connection: %s",
		       ctx->stopping ? "stopping" : "max_clients reached");
		close(fd);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return NULL;
	}
	c->fd = fd;
	c->recv_op.done = recv_done;
	c->send_op.done = send_done;
	c->next = ctx->srv.conns;
	if (ctx->srv.conns)
		ctx->srv.conns->prev = c;
	ctx->srv.conns = c;
	ctx->nconns++;
	ctx->stats.connections++;
	return c;
}

void conn_start(struct ctid *ctx, struct conn *c)
{
	conn_arm_recv(ctx, c);
}

static void conn_new(struct ctid *ctx, int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct conn *c;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len)) {
		close(fd);
		return;
	}
	/* those uids name ctid's remote users (auth.h), never a local peer */
	if (cred.uid >= RUID_BASE) {
		log_rl(&ctx->log, LOG_LVL_WARN, "refusing a local connection of uid %u: ctid keeps uids from %u for remote users",
		       (unsigned int)cred.uid, RUID_BASE);
		close(fd);
		return;
	}
	c = conn_link_new(ctx, fd);
	if (!c)
		return;
	c->uid = cred.uid;
	c->pid = cred.pid;
	c->authed = true;
	log_debug(&ctx->log, "connection %d from pid %d uid %u", fd, (int)cred.pid,
		  (unsigned int)cred.uid);
	conn_arm_recv(ctx, c);
}

static void arm_accept(struct ctid *ctx, struct conn_listener *l)
{
	struct io_uring_sqe *sqe = loop_sqe(&ctx->loop, &l->op);

	io_uring_prep_multishot_accept(sqe, l->fd, NULL, NULL, SOCK_CLOEXEC);
	l->armed = true;
}

static void accept_retry_fire(struct loop *lp, struct loop_timer *t)
{
	struct ctid *ctx = ctid_of_loop(lp);
	(void)t;
	for (unsigned int i = 0; i < ctx->srv.nls; i++) {
		struct conn_listener *l = &ctx->srv.ls[i];

		if (!ctx->stopping && l->fd >= 0 && !l->armed)
			arm_accept(ctx, l);
	}
}

static void accept_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct ctid *ctx = ctid_of_loop(lp);
	struct conn_listener *l = (struct conn_listener *)op;

	if (cqe->res >= 0 && l->accepted)
		l->accepted(ctx, cqe->res);
	else if (cqe->res >= 0)
		conn_new(ctx, cqe->res);
	else if (cqe->res != -ECANCELED)
		log_rl(&ctx->log, LOG_LVL_WARN, "accept: %s", strerror(-cqe->res));
	if (!(cqe->flags & IORING_CQE_F_MORE)) {
		l->armed = false;
		if (ctx->stopping || l->fd < 0)
			return;
		/* Multishot ended. After an error (EMFILE, ENFILE, ENOMEM)
		 * wait a little rather than spin on it; otherwise (a kernel
		 * without multishot) re-arm at once: the plain accept is the
		 * fallback. */
		if (cqe->res < 0 && cqe->res != -ECANCELED)
			loop_timer_arm(&ctx->loop, &ctx->srv.accept_retry, 100 * 1000000ull);
		else
			arm_accept(ctx, l);
	}
}

static void stop_fire(struct loop *lp, struct loop_timer *t)
{
	struct ctid *ctx = ctid_of_loop(lp);
	(void)t;
	loop_stop(&ctx->loop);
}

static void begin_stop(struct ctid *ctx, const char *why)
{
	if (ctx->stopping)
		return;
	log_info(&ctx->log, "%s: stopping", why);
	ctx->stopping = true;
	for (unsigned int i = 0; i < ctx->srv.nls; i++) {
		struct io_uring_sqe *sqe;

		if (ctx->srv.ls[i].fd < 0)
			continue;
		sqe = loop_sqe(&ctx->loop, NULL);
		io_uring_prep_cancel(sqe, &ctx->srv.ls[i].op, 0);
	}
	/* Providers complete what they hold; the replies get a moment to
	 * leave before the loop ends. */
	ctx->conn_ops->stopping(ctx);
	loop_timer_init(&ctx->srv.stop_timer, stop_fire);
	loop_timer_arm(&ctx->loop, &ctx->srv.stop_timer, 100 * 1000000ull);
}

static void signal_arm(struct ctid *ctx)
{
	struct io_uring_sqe *sqe = loop_sqe(&ctx->loop, &signal_op);

	io_uring_prep_read(sqe, signal_fd, &siginfo, sizeof(siginfo), 0);
}

static void signal_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct ctid *ctx = ctid_of_loop(lp);
	(void)op;
	if (cqe->res == sizeof(siginfo) && siginfo.ssi_signo == SIGHUP) {
		/* the access rules changed; a stopping ctid has no use for them */
		if (!ctx->stopping)
			ctx->conn_ops->reload(ctx);
	} else if (cqe->res == sizeof(siginfo)) {
		if (ctx->stopping)
			loop_stop(&ctx->loop);	/* a second signal means now */
		else
			begin_stop(ctx, strsignal(siginfo.ssi_signo));
	}
	signal_arm(ctx);
}

static void housekeeping_fire(struct loop *lp, struct loop_timer *t)
{
	struct ctid *ctx = ctid_of_loop(lp);
	ctx->conn_ops->tick(ctx);
	loop_timer_arm(&ctx->loop, t, 1000000000ull);
}

static void raise_nofile(struct ctid *ctx)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)ctx->cfg->max_clients + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur >= want)
		return;
	if (rl.rlim_max < want) {
		struct rlimit r2 = { want, want };

		if (!setrlimit(RLIMIT_NOFILE, &r2))
			return;
	}
	rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < want)
		log_warn(&ctx->log, "RLIMIT_NOFILE is %llu: fewer than max_clients = %u connections fit",
			 (unsigned long long)rl.rlim_cur, ctx->cfg->max_clients);
}

static int mkdir_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * Connect to @sa without blocking: the connected fd, or -1 with errno
 * (ECONNREFUSED: a socket file nobody listens on). EAGAIN (a full
 * backlog) also means that something listens: it gives errno 0.
 */
static int probe_listener(const struct sockaddr_un *sa)
{
	int fd, err;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (!connect(fd, (const struct sockaddr *)sa, sizeof(*sa)))
		return fd;
	err = errno == EAGAIN ? 0 : errno;
	close(fd);
	errno = err;
	return -1;
}

/*
 * A ctid killed a moment ago may still listen: the kernel releases the
 * files of a dead process's io_uring from a worker after the process is
 * reaped, and meanwhile (about 5 to 10 ms here) its socket takes
 * connections. A restart by a supervisor or a test right after SIGKILL
 * landed there and exited with "another ctid is listening there" (found
 * by tests/soak). So a connection that was taken is watched: when that
 * listener closes, our connection hangs up, and a second probe is then
 * refused. A live ctid neither hangs up on a new idle client so soon nor
 * refuses the second probe. Returns 0 if something listens, else the
 * errno of the probe (ECONNREFUSED: stale).
 */
#define STALE_LISTENER_WAIT_MS	1000

static int listener_errno(const struct sockaddr_un *sa)
{
	struct pollfd pfd = { .events = POLLIN };
	int n;

	pfd.fd = probe_listener(sa);
	if (pfd.fd < 0)
		return errno;
	do
		n = poll(&pfd, 1, STALE_LISTENER_WAIT_MS);
	while (n < 0 && errno == EINTR);
	close(pfd.fd);
	if (n <= 0 || !(pfd.revents & (POLLHUP | POLLERR)))
		return 0;	/* still there after the wait, or it spoke */
	pfd.fd = probe_listener(sa);
	if (pfd.fd < 0)
		return errno;
	close(pfd.fd);
	return 0;
}

/*
 * The socket path may hold only a socket that nobody listens on (left by a
 * ctid that died): that one is replaced. A live socket means another ctid;
 * anything else (a regular file, a directory: a typo in "socket =") is not
 * ours to delete.
 */
static int clear_stale_socket(struct ctid *ctx, const struct sockaddr_un *sa)
{
	const char *path = sa->sun_path;
	struct stat st;
	int ret;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		ret = -errno;
		log_err(&ctx->log, "%s: %s", path, strerror(errno));
		return ret;
	}
	if (!S_ISSOCK(st.st_mode)) {
		log_err(&ctx->log, "%s exists and is not a socket: refusing to replace it (check \"socket =\")",
			path);
		return -EEXIST;
	}
	ret = listener_errno(sa);
	if (!ret) {
		log_err(&ctx->log, "%s: another ctid is listening there", path);
		return -EADDRINUSE;
	}
	if (ret != ECONNREFUSED) {
		log_err(&ctx->log, "%s: cannot tell whether a ctid listens there: %s",
			path, strerror(ret));
		return -ret;
	}
	if (unlink(path) && errno != ENOENT) {
		ret = -errno;
		log_err(&ctx->log, "%s: cannot remove the stale socket: %s", path,
			strerror(errno));
		return ret;
	}
	return 0;
}

static int listen_socket(struct ctid *ctx)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = ctx->cfg->socket_path;
	int fd, ret;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ret = mkdir_parent(path);
	if (ret) {
		log_err(&ctx->log, "%s: cannot create its directory: %s", path, strerror(-ret));
		return ret;
	}
	ret = clear_stale_socket(ctx, &sa);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		log_err(&ctx->log, "socket: %s", strerror(errno));
		return ret;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		log_err(&ctx->log, "%s: bind: %s", path, strerror(errno));
		close(fd);
		return ret;
	}
	chmod(path, ctx->cfg->socket_mode);
	if (ctx->cfg->socket_group) {
		struct group *gr = getgrnam(ctx->cfg->socket_group);

		if (!gr || chown(path, (uid_t)-1, gr->gr_gid))
			log_warn(&ctx->log, "%s: cannot give it group %s", path,
				 ctx->cfg->socket_group);
	}
	if (listen(fd, 4096)) {
		ret = -errno;
		log_err(&ctx->log, "%s: listen: %s", path, strerror(errno));
		close(fd);
		return ret;
	}
	ctx->srv.ls[0].fd = fd;
	return 0;
}

int server_start(struct ctid *ctx, const struct conn_ops *ops)
{
	ctx->conn_ops = ops;
	sigset_t mask;
	int ret;

	signal(SIGPIPE, SIG_IGN);
	raise_nofile(ctx);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (signal_fd < 0) {
		ret = -errno;
		log_err(&ctx->log, "signalfd: %s", strerror(errno));
		return ret;
	}
	/*
	 * The other listeners were added before (conn_add_listener()): once
	 * the unix socket takes connections (what a service manager or a
	 * test waits for) every listener is up.
	 */
	if (!ctx->srv.nls)
		ctx->srv.nls = 1;
	ret = listen_socket(ctx);
	if (ret)
		return ret;
	ctx->loop.before_wait = before_wait;
	loop_timer_init(&ctx->srv.accept_retry, accept_retry_fire);
	signal_op.done = signal_done;
	for (unsigned int i = 0; i < ctx->srv.nls; i++) {
		ctx->srv.ls[i].op.done = accept_done;
		arm_accept(ctx, &ctx->srv.ls[i]);
	}
	signal_arm(ctx);
	loop_timer_init(&ctx->srv.housekeeping, housekeeping_fire);
	loop_timer_arm(&ctx->loop, &ctx->srv.housekeeping, 1000000000ull);
	return 0;
}

void server_stop(struct ctid *ctx)
{
	if (ctx->srv.ls[0].fd >= 0)
		unlink(ctx->cfg->socket_path);
	for (unsigned int i = 0; i < ctx->srv.nls; i++) {
		if (ctx->srv.ls[i].fd >= 0)
			close(ctx->srv.ls[i].fd);
		ctx->srv.ls[i].fd = -1;
	}
	while (ctx->srv.conns) {
		struct conn *c = ctx->srv.conns;

		/* The ring is gone: nothing refers to the connection now. */
		c->closing = true;
		ctx->conn_ops->closed(ctx, c);
		c->recv_armed = c->send_armed = c->dirty = false;
		conn_maybe_free(ctx, c);
	}
	ctx->srv.dirty = NULL;
	outbuf_pool_drain(ctx);
	if (signal_fd >= 0)
		close(signal_fd);
}
