// SPDX-License-Identifier: GPL-2.0
/*
 * Provider transports: byte streams the host opens, drives on its ring
 * and reports to the provider (cti_provider.h, transport_*). A provider
 * never touches a socket or a tty itself.
 *
 * Each transport has at most one connect, one receive and one send in
 * flight. Closing (by the provider, by the peer, on unload) first cancels
 * what is in flight; the object is freed when the last completion is in,
 * so that no completion ever points at freed memory. Once a transport is
 * closed no callback reaches the provider.
 *
 * Names given to transport_open_tcp() must be numeric addresses (or
 * "localhost"): resolving other names would block the loop, and an
 * asynchronous resolver is left for later.
 *
 * A TLS transport is a TCP one with a tls_link (host/tls.c) between the
 * socket and the provider: received bytes go through the link, which
 * hands the plaintext on; what the provider sends is encrypted into the
 * same outgoing queue. The provider hears "connected" after the
 * handshake, not after the TCP connect.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "ctid.h"
#include "host/tls.h"
#include "log.h"

#define TRANSPORT_RX	16384		/* bytes per receive */
#define TRANSPORT_TX_MAX (1u << 20)	/* queued bytes before -ENOBUFS */

struct transport {
	struct loop_op conn_op, recv_op, send_op;
	struct transport *next;
	struct provider *p;		/* NULL once the provider is gone */
	int64_t id;
	uint64_t cookie;
	int fd;
	bool is_tty, connected, closed;
	bool conn_armed, recv_armed, send_armed;
	bool in_cb;			/* a provider callback is running */
	struct sockaddr_storage sa;
	socklen_t salen;
	uint8_t *rx;
	struct tls_link *tls;		/* NULL: plain bytes */
	uint8_t *tx, *txq;		/* in flight, queued */
	uint32_t tx_len, tx_off, txq_len, txq_cap;
};

#define T_OF(op, member) \
	((struct transport *)((char *)(op) - offsetof(struct transport, member)))

static void t_maybe_free(struct transport *t)
{
	if (!t->closed || t->conn_armed || t->recv_armed || t->send_armed ||
	    t->in_cb)
		return;
	if (t->fd >= 0)
		close(t->fd);
	free(t->rx);
	tls_link_free(t->tls);
	free(t->tx);
	free(t->txq);
	free(t);
}

static void t_unlink(struct transport *t)
{
	struct transport **pp;

	if (!t->p)
		return;
	for (pp = &t->p->transports; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
}

/* No callback after this; in-flight operations are cancelled. */
static void t_close(struct ctid *ctx, struct transport *t)
{
	if (t->closed)
		return;
	t->closed = true;
	t_unlink(t);
	/*
	 * A write prepared in this loop pass (a provider's goodbye just
	 * before it closes) still goes out: the cancel below only stops it
	 * if it had to wait for room. Without one, shutdown ends the stream.
	 */
	if (!t->is_tty && t->fd >= 0 && !t->send_armed)
		shutdown(t->fd, SHUT_RDWR);
	if (t->conn_armed)
		io_uring_prep_cancel(loop_sqe(&ctx->loop, NULL), &t->conn_op, 0);
	if (t->recv_armed)
		io_uring_prep_cancel(loop_sqe(&ctx->loop, NULL), &t->recv_op, 0);
	if (t->send_armed)
		io_uring_prep_cancel(loop_sqe(&ctx->loop, NULL), &t->send_op, 0);
	t_maybe_free(t);
}

static bool t_live(struct transport *t)
{
	return !t->closed && t->p && !t->p->in_shutdown;
}

/* Completions after the provider went away only free the transport. */

/* The peer closed or the link failed: tell the provider, then close. */
static void t_fail(struct ctid *ctx, struct transport *t, int error)
{
	struct provider *p = t->p;
	bool tell = t_live(t), was_connected = t->connected;
	int64_t id = t->id;
	uint64_t cookie = t->cookie;

	t_close(ctx, t);	/* may free t: only the copies are used below */
	if (tell && was_connected && p->ops->transport_closed)
		p->ops->transport_closed(p->state, id, cookie, error);
	else if (tell && !was_connected && p->ops->transport_connected)
		p->ops->transport_connected(p->state, id, cookie,
					    error ? error : -ECONNRESET);
}

static void t_tls_input(struct ctid *ctx, struct transport *t, size_t len);
static int t_tls_start(struct ctid *ctx, struct transport *t);

static void t_arm_recv(struct ctid *ctx, struct transport *t)
{
	struct io_uring_sqe *sqe = loop_sqe(&ctx->loop, &t->recv_op);

	io_uring_prep_read(sqe, t->fd, t->rx, TRANSPORT_RX, -1);
	t->recv_armed = true;
}

static void t_recv_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct ctid *ctx = ctid_of_loop(lp);
	struct transport *t = T_OF(op, recv_op);

	t->recv_armed = false;
	if (t->closed) {
		t_maybe_free(t);
		return;
	}
	if (cqe->res <= 0) {
		if (cqe->res == -EINTR || cqe->res == -EAGAIN) {
			t_arm_recv(ctx, t);
			return;
		}
		t_fail(ctx, t, cqe->res);
		return;
	}
	if (t->tls) {
		/* a failure closes t in there: keep it until we are done */
		t->in_cb = true;
		t_tls_input(ctx, t, (size_t)cqe->res);
		t->in_cb = false;
	} else if (t->p->ops->transport_data) {
		/* the provider may close the transport from its callback */
		t->in_cb = true;
		t->p->ops->transport_data(t->p->state, t->id, t->cookie, t->rx,
					  (size_t)cqe->res);
		t->in_cb = false;
	}
	if (!t->closed)
		t_arm_recv(ctx, t);
	else
		t_maybe_free(t);
}

static void t_send_next(struct ctid *ctx, struct transport *t)
{
	struct io_uring_sqe *sqe;

	if (t->send_armed || t->closed)
		return;
	if (t->tx_off >= t->tx_len) {
		if (!t->txq_len)
			return;
		free(t->tx);
		t->tx = t->txq;
		t->tx_len = t->txq_len;
		t->tx_off = 0;
		t->txq = NULL;
		t->txq_len = t->txq_cap = 0;
	}
	sqe = loop_sqe(&ctx->loop, &t->send_op);
	io_uring_prep_write(sqe, t->fd, t->tx + t->tx_off, t->tx_len - t->tx_off, -1);
	t->send_armed = true;
}

static void t_send_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct ctid *ctx = ctid_of_loop(lp);
	struct transport *t = T_OF(op, send_op);

	t->send_armed = false;
	if (t->closed) {
		t_maybe_free(t);
		return;
	}
	if (cqe->res < 0) {
		if (cqe->res == -EINTR || cqe->res == -EAGAIN) {
			t_send_next(ctx, t);
			return;
		}
		t_fail(ctx, t, cqe->res);
		return;
	}
	t->tx_off += cqe->res;
	t_send_next(ctx, t);
}

static void t_conn_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct ctid *ctx = ctid_of_loop(lp);
	struct transport *t = T_OF(op, conn_op);
	struct provider *p = t->p;

	t->conn_armed = false;
	if (t->closed) {
		t_maybe_free(t);
		return;
	}
	if (!t->is_tty && cqe->res < 0) {
		t_fail(ctx, t, cqe->res);
		return;
	}
	t->rx = malloc(TRANSPORT_RX);
	if (!t->rx) {
		t_fail(ctx, t, -ENOMEM);
		return;
	}
	if (t->tls) {
		/* "connected" waits for the handshake */
		if (!t_tls_start(ctx, t))
			t_arm_recv(ctx, t);
		return;
	}
	t->connected = true;
	if (p->ops->transport_connected) {
		t->in_cb = true;
		p->ops->transport_connected(p->state, t->id, t->cookie, 0);
		t->in_cb = false;
	}
	if (t->closed) {
		t_maybe_free(t);
		return;
	}
	t_arm_recv(ctx, t);
	t_send_next(ctx, t);
}

static struct transport *t_new(struct provider *p, uint64_t cookie)
{
	struct transport *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->p = p;
	t->id = ++p->next_transport_id;
	t->cookie = cookie;
	t->fd = -1;
	t->conn_op.done = t_conn_done;
	t->recv_op.done = t_recv_done;
	t->send_op.done = t_send_done;
	t->next = p->transports;
	p->transports = t;
	return t;
}

static int64_t t_connect(struct ctid *ctx, struct provider *p, int family, uint64_t cookie,
			 const void *sa, socklen_t salen)
{
	struct transport *t;
	int one = 1;

	t = t_new(p, cookie);
	if (!t)
		return -ENOMEM;
	t->fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (t->fd < 0) {
		int err = -errno;

		t->closed = true;
		t_unlink(t);
		t_maybe_free(t);
		return err;
	}
	if (family != AF_UNIX)
		setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memcpy(&t->sa, sa, salen);
	t->salen = salen;
	io_uring_prep_connect(loop_sqe(&ctx->loop, &t->conn_op), t->fd,
			      (struct sockaddr *)&t->sa, t->salen);
	t->conn_armed = true;
	return t->id;
}

int64_t transport_open_tcp(struct ctid *ctx, struct provider *p, const char *name, uint16_t port,
			   uint64_t cookie)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in s4 = { .sin_family = AF_INET };

	if (!name || !port)
		return -EINVAL;
	if (!strcmp(name, "localhost"))
		name = "127.0.0.1";
	if (inet_pton(AF_INET, name, &s4.sin_addr) == 1) {
		s4.sin_port = htons(port);
		return t_connect(ctx, p, AF_INET, cookie, &s4, sizeof(s4));
	}
	if (inet_pton(AF_INET6, name, &s6.sin6_addr) == 1) {
		s6.sin6_port = htons(port);
		return t_connect(ctx, p, AF_INET6, cookie, &s6, sizeof(s6));
	}
	log_rl(&ctx->log, LOG_LVL_WARN, "provider %s: \"%s\": only numeric addresses can be used (name resolution would block)",
	       p->name, name);
	return -EADDRNOTAVAIL;
}

int64_t transport_open_unix(struct ctid *ctx, struct provider *p, const char *path,
			    uint64_t cookie)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (!path || path[0] != '/' || strlen(path) >= sizeof(sun.sun_path))
		return -EINVAL;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	return t_connect(ctx, p, AF_UNIX, cookie, &sun, sizeof(sun));
}

static speed_t baud_flag(uint32_t baud)
{
	switch (baud) {
	case 1200: return B1200;
	case 2400: return B2400;
	case 4800: return B4800;
	case 9600: return B9600;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	case 230400: return B230400;
	default: return 0;
	}
}

int64_t transport_open_serial(struct ctid *ctx, struct provider *p, const char *tty,
			      uint32_t baud, uint64_t cookie)
{
	struct transport *t;
	struct termios tio;
	speed_t speed = baud_flag(baud);
	int fd, err;

	/* A tty under /dev only: the provider's configuration names it,
	 * but it must never become a way to open arbitrary files. */
	if (!tty || strncmp(tty, "/dev/", 5) || strstr(tty, "/../") || !speed)
		return -EINVAL;
	fd = open(tty, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (!isatty(fd) || tcgetattr(fd, &tio)) {
		close(fd);
		return -ENOTTY;
	}
	cfmakeraw(&tio);
	tio.c_cflag |= CLOCAL | CREAD;
	cfsetispeed(&tio, speed);
	cfsetospeed(&tio, speed);
	if (tcsetattr(fd, TCSANOW, &tio)) {
		err = -errno;
		close(fd);
		return err;
	}
	t = t_new(p, cookie);
	if (!t) {
		close(fd);
		return -ENOMEM;
	}
	t->fd = fd;
	t->is_tty = true;
	/* "connected" arrives from the loop, never inside the caller */
	io_uring_prep_nop(loop_sqe(&ctx->loop, &t->conn_op));
	t->conn_armed = true;
	return t->id;
}

static struct transport *t_find(struct provider *p, int64_t tid)
{
	for (struct transport *t = p->transports; t; t = t->next)
		if (t->id == tid)
			return t;
	return NULL;
}

/* Appends to the outgoing queue (the bound is the caller's). */
static int t_queue(struct transport *t, const void *buf, size_t len)
{
	if (t->txq_len + len > t->txq_cap) {
		uint32_t ncap = t->txq_cap ? t->txq_cap : 4096;
		uint8_t *n;

		while (ncap < t->txq_len + len)
			ncap *= 2;
		n = realloc(t->txq, ncap);
		if (!n)
			return -ENOMEM;
		t->txq = n;
		t->txq_cap = ncap;
	}
	memcpy(t->txq + t->txq_len, buf, len);
	t->txq_len += (uint32_t)len;
	return 0;
}

/* ---- TLS (host/tls.c does the protocol; this moves its bytes) ---- */

/* What the link produced (handshake, records, alerts) goes out in order. */
static int t_tls_flush(struct ctid *ctx, struct transport *t)
{
	uint8_t buf[4096];
	size_t n;
	int ret = 0;

	while (!ret && (n = tls_link_take(t->tls, buf, sizeof(buf))))
		ret = t_queue(t, buf, n);
	t_send_next(ctx, t);
	return ret;
}

static void t_tls_fail(struct ctid *ctx, struct transport *t, int error)
{
	if (error != -ESHUTDOWN)
		log_rl(&ctx->log, LOG_LVL_WARN, "provider %s: TLS transport %lld: %s",
		       t->p ? t->p->name : "?", (long long)t->id, tls_link_error(t->tls));
	t_tls_flush(ctx, t);	/* the alert, if any, may still reach the server */
	t_fail(ctx, t, error == -ESHUTDOWN ? 0 : error);
}

static int t_tls_start(struct ctid *ctx, struct transport *t)
{
	int ret = tls_link_start(t->tls);

	if (!ret)
		ret = t_tls_flush(ctx, t);
	if (ret)
		t_tls_fail(ctx, t, ret);
	return ret;
}

/* The handshake is done: now the provider hears of the transport. */
static void t_tls_connected(struct transport *t)
{
	bool was = t->in_cb;

	t->connected = true;
	if (t_live(t) && t->p->ops->transport_connected) {
		t->in_cb = true;
		t->p->ops->transport_connected(t->p->state, t->id, t->cookie, 0);
		t->in_cb = was;
	}
}

static int t_tls_plain(void *arg, const void *buf, size_t len)
{
	struct transport *t = arg;

	if (!t->connected)
		t_tls_connected(t);
	if (!t->closed && t_live(t) && t->p->ops->transport_data) {
		bool was = t->in_cb;

		t->in_cb = true;
		t->p->ops->transport_data(t->p->state, t->id, t->cookie, buf, len);
		t->in_cb = was;
	}
	return t->closed;
}

static void t_tls_input(struct ctid *ctx, struct transport *t, size_t len)
{
	int ret = tls_link_input(t->tls, t->rx, len, t_tls_plain, t);

	if (t->closed)
		return;
	if (ret == 1 && !t->connected)
		t_tls_connected(t);
	if (t->closed)
		return;
	if (ret < 0)
		t_tls_fail(ctx, t, ret);
	else if (t_tls_flush(ctx, t))
		t_tls_fail(ctx, t, -ENOMEM);
}

static int t_tls_send(struct ctid *ctx, struct transport *t, const void *buf, size_t len)
{
	int ret = tls_link_write(t->tls, buf, len);

	if (!ret)
		ret = t_tls_flush(ctx, t);
	return ret;
}

int64_t transport_open_tls(struct ctid *ctx, struct provider *p, const char *name, uint16_t port,
			   const struct cti_transport_tls *tls, uint64_t cookie)
{
	struct tls_link *l;
	struct transport *t;
	char err[200] = "";
	int64_t id;
	int ret;

	if (!name)
		return -EINVAL;
	ret = tls_link_new(&l, tls, name, err, sizeof(err));
	if (ret) {
		log_rl(&ctx->log, LOG_LVL_WARN, "provider %s: TLS to %s: %s", p->name, name, err);
		return ret;
	}
	id = transport_open_tcp(ctx, p, name, port, cookie);
	t = id > 0 ? t_find(p, id) : NULL;
	if (!t) {
		tls_link_free(l);
		return id > 0 ? -EIO : id;
	}
	t->tls = l;
	return id;
}

int transport_send(struct ctid *ctx, struct provider *p, int64_t tid, const void *buf, size_t len)
{
	struct transport *t = t_find(p, tid);
	int ret;

	if (!t)
		return -ENOTCONN;
	if (!buf || !len || len > CTI_TRANSPORT_CHUNK_MAX)
		return -EINVAL;
	if (!t->connected || t->closed)
		return -ENOTCONN;
	if ((t->tx_len - t->tx_off) + t->txq_len + len > TRANSPORT_TX_MAX)
		return -ENOBUFS;
	if (t->tls)
		ret = t_tls_send(ctx, t, buf, len);
	else
		ret = t_queue(t, buf, len);
	if (!ret)
		t_send_next(ctx, t);
	return ret;
}

int transport_close(struct ctid *ctx, struct provider *p, int64_t tid)
{
	struct transport *t = t_find(p, tid);

	if (!t)
		return -ENOENT;
	t_close(ctx, t);
	return 0;
}

/* Unload: every transport goes, silently. */
void transports_close_all(struct ctid *ctx, struct provider *p)
{
	while (p->transports) {
		struct transport *t = p->transports;

		p->transports = t->next;
		t->p = NULL;	/* before t_close(), which may free it */
		t_close(ctx, t);
	}
}
