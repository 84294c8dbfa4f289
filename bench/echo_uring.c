// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * echo_uring.c - the echo server again, on io_uring the way ctid uses it
 *
 * The epoll echo (echo.c) is the bound of bench_rtt's goals; this one
 * tells how much of the distance to it is the mechanism's: one ring with
 * ctid's setup flags, a receive per connection re-armed as soon as it
 * completes (IORING_RECVSEND_POLL_FIRST unless the kernel said more is
 * queued), whole frames copied to an output buffer and sent with one send
 * in flight per connection. No decoding, no sessions: what is left
 * between this figure and ctid's is ctid's own work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "echo.h"

#define BUF	(16u * 1024)

enum op_kind { OP_ACCEPT, OP_RECV, OP_SEND };

struct uconn {
	int fd;
	unsigned int ops;	/* in flight: freed when the last one ends */
	bool dead;
	size_t in_len, out_len, out_inflight;
	uint8_t in[BUF], out[BUF];
};

static struct io_uring ring;

static void *tag(struct uconn *c, enum op_kind k)
{
	return (void *)((uintptr_t)c | k);	/* a uconn is 8-byte aligned */
}

static struct io_uring_sqe *sqe_get(void)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

	while (!sqe) {
		io_uring_submit(&ring);
		sqe = io_uring_get_sqe(&ring);
	}
	return sqe;
}

static void arm_accept(int lfd)
{
	struct io_uring_sqe *sqe = sqe_get();

	io_uring_prep_accept(sqe, lfd, NULL, NULL, SOCK_CLOEXEC);
	io_uring_sqe_set_data(sqe, tag(NULL, OP_ACCEPT));
}

static void arm_recv(struct uconn *c, bool poll_first)
{
	struct io_uring_sqe *sqe = sqe_get();

	c->ops++;
	io_uring_prep_recv(sqe, c->fd, c->in + c->in_len, BUF - c->in_len, 0);
	if (poll_first)
		sqe->ioprio |= IORING_RECVSEND_POLL_FIRST;
	io_uring_sqe_set_data(sqe, tag(c, OP_RECV));
}

static void send_out(struct uconn *c)
{
	struct io_uring_sqe *sqe;

	if (c->out_inflight || !c->out_len)
		return;
	sqe = sqe_get();
	c->ops++;
	io_uring_prep_send(sqe, c->fd, c->out, c->out_len, MSG_NOSIGNAL);
	io_uring_sqe_set_data(sqe, tag(c, OP_SEND));
	c->out_inflight = c->out_len;
}

/* An operation of @c ended: @ok false ends the connection. */
static void op_done(struct uconn *c, bool ok)
{
	c->ops--;
	if (!ok && !c->dead) {
		c->dead = true;
		shutdown(c->fd, SHUT_RDWR);	/* the other op completes */
	}
	if (c->dead && !c->ops) {
		close(c->fd);
		free(c);
	}
}

/* Whole frames go to the output buffer; false: a bad frame or no room. */
static bool received(struct uconn *c, int res, unsigned int flags)
{
	size_t k;
	ssize_t w;

	if (res <= 0)
		return false;
	c->in_len += (size_t)res;
	w = echo_whole_frames(c->in, c->in_len, &k);
	if (w < 0 || c->out_len + (size_t)w > BUF)
		return false;
	memcpy(c->out + c->out_len, c->in, (size_t)w);
	c->out_len += (size_t)w;
	memmove(c->in, c->in + w, c->in_len - (size_t)w);
	c->in_len -= (size_t)w;
	arm_recv(c, !(flags & IORING_CQE_F_SOCK_NONEMPTY));
	send_out(c);
	return true;
}

static bool sent(struct uconn *c, int res)
{
	if (res != (int)c->out_inflight)
		return false;
	memmove(c->out, c->out + c->out_inflight,
		c->out_len - c->out_inflight);
	c->out_len -= c->out_inflight;
	c->out_inflight = 0;
	send_out(c);
	return true;
}

static void complete(struct io_uring_cqe *cqe, int lfd)
{
	uintptr_t ud = (uintptr_t)io_uring_cqe_get_data(cqe);
	struct uconn *c = (struct uconn *)(ud & ~(uintptr_t)7);

	switch ((enum op_kind)(ud & 7)) {
	case OP_ACCEPT:
		arm_accept(lfd);
		if (cqe->res < 0)
			return;
		c = calloc(1, sizeof(*c));
		if (!c)
			_exit(1);
		c->fd = cqe->res;
		arm_recv(c, true);
		return;
	case OP_RECV:
		op_done(c, !c->dead && received(c, cqe->res, cqe->flags));
		return;
	case OP_SEND:
		op_done(c, !c->dead && sent(c, cqe->res));
		return;
	}
}

static void serve(int lfd)
{
	static const unsigned int try_flags[] = {
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
		IORING_SETUP_COOP_TASKRUN,
		0,
	};
	struct io_uring_params p;
	int ret = -EINVAL;

	for (size_t i = 0; ret == -EINVAL && i < 3; i++) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_CQSIZE | try_flags[i];
		p.cq_entries = 16384;
		ret = io_uring_queue_init_params(4096, &ring, &p);
	}
	if (ret < 0)
		_exit(1);
	arm_accept(lfd);
	for (;;) {
		struct io_uring_cqe *cqe;
		unsigned int head, n = 0;

		io_uring_submit_and_wait(&ring, 1);
		io_uring_for_each_cqe(&ring, head, cqe) {
			complete(cqe, lfd);
			n++;
		}
		io_uring_cq_advance(&ring, n);
	}
}

int echo_start_uring(struct echo_server *e, const char *dir)
{
	return echo_spawn(e, dir, "echo-uring.sock", serve);
}
