// SPDX-License-Identifier: GPL-2.0
/*
 * ctid's event loop: one io_uring does all of the daemon's I/O.
 *
 * Design:
 * - One thread, one ring. Every operation in flight is a struct loop_op
 *   embedded in the object it serves (listener, connection, timer, signal
 *   reader, provider transport); the SQE's user_data points at it and its
 *   done() handler runs when the CQE arrives. There is no other dispatch
 *   table and no allocation per operation.
 * - loop_run() submits what the handlers queued and waits for at least one
 *   completion in a single io_uring_submit_and_wait() call, then drains
 *   every CQE that is ready with io_uring_for_each_cqe() and releases them
 *   with one io_uring_cq_advance(): one syscall carries a whole batch of
 *   submissions and completions.
 * - Handlers never block: sockets are driven by ring operations (multishot
 *   accept, recv with provided buffers, send), timers are IORING_OP_TIMEOUT,
 *   SIGINT/SIGTERM arrive as reads from a signalfd. The only blocking calls
 *   ctid makes at run time are the NSS lookups of a new uid at accept time
 *   (cached per uid, see acl.h), dlopen() of a provider on an admin's
 *   request, and reading the TLS certificate, key and users files on a
 *   reload. TLS runs on memory (tls_server.c): OpenSSL never touches a socket;
 *   password hashing runs on a worker thread (pwcheck.c).
 * - Work per completion is bounded: a receive completion carries at most
 *   one 4 KiB buffer (a handful of frames); an event is fanned out to the
 *   sessions that opened its line, each getting one copy in its bounded
 *   queue; a client's replies are bounded by pausing its receives while its
 *   queue is over the limit.
 * - Receives use a ring of provided buffers shared by all connections
 *   (IOSQE_BUFFER_SELECT), so an idle connection owns no receive memory;
 *   a buffer goes back to the ring as soon as its frames are parsed (a
 *   partial frame is copied into a small per-connection buffer).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "log.h"
#include "ctid.h"
#include "loop.h"


uint64_t loop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * The clocks as of this loop pass, read at most once per pass: the
 * per-event paths (request start, provider timers, event timestamps)
 * would otherwise read them several times per event, a tenth of ctid's
 * time in the fan-out profile. A pass is short (bounded work), so the
 * error is that of one batch; a timer armed from a stale time is also
 * waited for from that time, so it never fires early.
 */
uint64_t loop_time_ns(struct loop *lp)
{
	if (!(lp->clocks_valid & 1)) {
		lp->mono_ns = loop_now_ns();
		lp->clocks_valid |= 1;
	}
	return lp->mono_ns;
}

uint64_t loop_realtime_ns(struct loop *lp)
{
	if (!(lp->clocks_valid & 2)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		lp->real_ns = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
		lp->clocks_valid |= 2;
	}
	return lp->real_ns;
}

int loop_init(struct loop *lp, struct log_state *log, unsigned int entries)
{
	struct io_uring_params p = { 0 };
	struct io_uring_buf_reg reg = { 0 };
	int ret;

	/*
	 * A large CQ: fan-out to thousands of clients completes many sends
	 * at once; the kernel keeps overflowed CQEs (FEAT_NODROP) anyway.
	 *
	 * Only this thread ever touches the ring (run.c forks before it
	 * exists), so ask for SINGLE_ISSUER and DEFER_TASKRUN (6.1): the
	 * kernel then runs our completions' task work only when we wait in
	 * io_uring_submit_and_wait(), in one batch, instead of interrupting
	 * the handlers with it after every syscall. Older kernels refuse the
	 * flags with EINVAL: try COOP_TASKRUN (5.19), then nothing.
	 */
	static const unsigned int try_flags[] = {
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
		IORING_SETUP_COOP_TASKRUN,
		0,
	};
	lp->log = log;
	for (unsigned int i = 0; i < sizeof(try_flags) / sizeof(try_flags[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_CQSIZE | try_flags[i];
		p.cq_entries = entries * 4;
		ret = io_uring_queue_init_params(entries, &lp->ring, &p);
		if (ret != -EINVAL)
			break;
	}
	if (ret < 0)
		return ret;
	lp->setup_flags = p.flags;
	log_debug(lp->log, "io_uring: %s task work",
		  p.flags & IORING_SETUP_DEFER_TASKRUN ? "deferred" :
		  p.flags & IORING_SETUP_COOP_TASKRUN ? "cooperative" : "immediate");

	lp->br = mmap(NULL, LOOP_BUF_COUNT * sizeof(struct io_uring_buf),
			 PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE,
			 -1, 0);
	if (lp->br == MAP_FAILED) {
		ret = -errno;
		goto err_ring;
	}
	lp->bufs = malloc((size_t)LOOP_BUF_COUNT * LOOP_BUF_SIZE);
	if (!lp->bufs) {
		ret = -ENOMEM;
		goto err_map;
	}
	reg.ring_addr = (unsigned long)lp->br;
	reg.ring_entries = LOOP_BUF_COUNT;
	reg.bgid = LOOP_BGID;
	ret = io_uring_register_buf_ring(&lp->ring, &reg, 0);
	if (ret < 0) {
		log_err(lp->log, "io_uring: provided buffer rings need Linux 5.19 or later (%s)",
			strerror(-ret));
		goto err_bufs;
	}
	io_uring_buf_ring_init(lp->br);
	for (unsigned int i = 0; i < LOOP_BUF_COUNT; i++)
		io_uring_buf_ring_add(lp->br, loop_buf(lp, i), LOOP_BUF_SIZE, i,
				      io_uring_buf_ring_mask(LOOP_BUF_COUNT), i);
	io_uring_buf_ring_advance(lp->br, LOOP_BUF_COUNT);
	return 0;

err_bufs:
	free(lp->bufs);
err_map:
	munmap(lp->br, LOOP_BUF_COUNT * sizeof(struct io_uring_buf));
err_ring:
	io_uring_queue_exit(&lp->ring);
	return ret;
}

void loop_exit(struct loop *lp)
{
	io_uring_unregister_buf_ring(&lp->ring, LOOP_BGID);
	io_uring_queue_exit(&lp->ring);
	munmap(lp->br, LOOP_BUF_COUNT * sizeof(struct io_uring_buf));
	free(lp->bufs);
}

void loop_buf_return(struct loop *lp, unsigned int bid)
{
	io_uring_buf_ring_add(lp->br, loop_buf(lp, bid), LOOP_BUF_SIZE, bid,
			      io_uring_buf_ring_mask(LOOP_BUF_COUNT),
			      lp->buf_returns++);
}

/* Buffers returned during a batch become visible to the kernel at once. */
static void loop_buf_publish(struct loop *lp)
{
	if (lp->buf_returns) {
		io_uring_buf_ring_advance(lp->br, lp->buf_returns);
		lp->buf_returns = 0;
	}
}

struct io_uring_sqe *loop_sqe(struct loop *lp, struct loop_op *op)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&lp->ring);

	while (!sqe) {
		/* buffers must be visible before a receive that needs them */
		loop_buf_publish(lp);
		io_uring_submit(&lp->ring);
		sqe = io_uring_get_sqe(&lp->ring);
	}
	io_uring_sqe_set_data(sqe, op);
	return sqe;
}

void loop_stop(struct loop *lp)
{
	lp->stop = true;
}

int loop_run(struct loop *lp)
{
	while (!lp->stop) {
		struct io_uring_cqe *cqe;
		unsigned int head, n = 0;
		int ret;

		if (lp->before_wait)
			lp->before_wait(lp);
		if (lp->stop)
			break;
		loop_buf_publish(lp);
		ret = io_uring_submit_and_wait(&lp->ring, 1);
		lp->clocks_valid = 0;	/* time has passed */
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY) {
			log_err(lp->log, "io_uring_submit_and_wait: %s", strerror(-ret));
			return ret;
		}
		io_uring_for_each_cqe(&lp->ring, head, cqe) {
			struct loop_op *op = io_uring_cqe_get_data(cqe);

			n++;
			if (op)
				op->done(lp, op, cqe);
		}
		io_uring_cq_advance(&lp->ring, n);
		lp->cqes += n;
		lp->batches++;
	}
	return 0;
}

static void timer_done(struct loop *lp, struct loop_op *op,
		       struct io_uring_cqe *cqe)
{
	struct loop_timer *t = (struct loop_timer *)op;

	/* A TIMEOUT_REMOVE completes with user_data NULL: only the TIMEOUT's
	 * own completion (-ETIME when it expired, -ECANCELED when removed)
	 * gets here. */
	t->armed = false;
	if (t->free_on_done) {
		free(t);
		return;
	}
	if (cqe->res == -ETIME && !t->cancelled)
		t->fire(lp, t);
}

void loop_timer_init(struct loop_timer *t,
		     void (*fire)(struct loop *lp, struct loop_timer *t))
{
	memset(t, 0, sizeof(*t));
	t->op.done = timer_done;
	t->fire = fire;
}

void loop_timer_arm(struct loop *lp, struct loop_timer *t, uint64_t ns)
{
	struct io_uring_sqe *sqe;

	if (t->armed) {
		/* Re-arming an armed timer: update it in place. */
		t->ts.tv_sec = ns / 1000000000ull;
		t->ts.tv_nsec = ns % 1000000000ull;
		t->cancelled = false;
		sqe = loop_sqe(lp, NULL);
		io_uring_prep_timeout_update(sqe, &t->ts, (uint64_t)(uintptr_t)t, 0);
		return;
	}
	t->ts.tv_sec = ns / 1000000000ull;
	t->ts.tv_nsec = ns % 1000000000ull;
	t->cancelled = false;
	t->armed = true;
	sqe = loop_sqe(lp, &t->op);
	io_uring_prep_timeout(sqe, &t->ts, 0, 0);
}

void loop_timer_cancel(struct loop *lp, struct loop_timer *t)
{
	struct io_uring_sqe *sqe;

	if (!t->armed || t->cancelled)
		return;
	t->cancelled = true;
	sqe = loop_sqe(lp, NULL);
	io_uring_prep_timeout_remove(sqe, (uint64_t)(uintptr_t)t, 0);
}

void loop_timer_release(struct loop *lp, struct loop_timer *t)
{
	if (!t->armed) {
		free(t);
		return;
	}
	loop_timer_cancel(lp, t);
	t->free_on_done = true;
}

uint8_t *loop_buf(struct loop *lp, unsigned int bid)
{
	return lp->bufs + (size_t)bid * LOOP_BUF_SIZE;
}
