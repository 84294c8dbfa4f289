/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The io_uring loop of ctid. See the comment at the top of loop.c.
 */
#ifndef CTID_LOOP_H
#define CTID_LOOP_H

#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Every submission carries a pointer to one of these as its user_data; the
 * completion is handed to @done. Objects embed as many as they have
 * operations in flight.
 */
struct loop;
struct log_state;

struct loop_op {
	void (*done)(struct loop *lp, struct loop_op *op,
		     struct io_uring_cqe *cqe);
};

/* A one-shot timer (IORING_OP_TIMEOUT). */
struct loop_timer {
	struct loop_op op;
	struct __kernel_timespec ts;
	void (*fire)(struct loop *lp, struct loop_timer *t);
	bool armed;		/* a TIMEOUT is in the ring */
	bool cancelled;		/* fire() must not run */
	bool free_on_done;	/* free(t) when the TIMEOUT completes */
};

/* Group id of the provided-buffer ring used by client receives. */
#define LOOP_BGID		1
#define LOOP_BUF_SIZE		4096
#define LOOP_BUF_COUNT		512

struct loop {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	uint8_t *bufs;
	bool stop;
	unsigned int buf_returns;	/* returned, not yet advanced */
	void (*before_wait)(struct loop *lp);	/* flushes what a batch queued */
	unsigned int setup_flags;	/* IORING_SETUP_* the kernel took */
	uint64_t mono_ns, real_ns;	/* this pass's clocks, see loop_time_ns() */
	unsigned int clocks_valid;	/* bit 0: mono_ns, bit 1: real_ns */
	uint64_t cqes;			/* statistics */
	uint64_t batches;
	struct log_state *log;		/* where its errors go */
};

int loop_init(struct loop *lp, struct log_state *log, unsigned int entries);
/* CLOCK_MONOTONIC and CLOCK_REALTIME as of this loop pass, in ns. */
uint64_t loop_time_ns(struct loop *lp);
uint64_t loop_realtime_ns(struct loop *lp);
void loop_exit(struct loop *lp);
/* Never NULL: submits what is queued when the SQ ring is full. */
struct io_uring_sqe *loop_sqe(struct loop *lp, struct loop_op *op);
/* Runs until loop_stop(); returns 0 or a negative errno. */
int loop_run(struct loop *lp);
void loop_stop(struct loop *lp);

/* Provided buffers: the data of buffer @bid, and giving it back. */
uint8_t *loop_buf(struct loop *lp, unsigned int bid);
void loop_buf_return(struct loop *lp, unsigned int bid);

void loop_timer_init(struct loop_timer *t,
		     void (*fire)(struct loop *lp, struct loop_timer *t));
/* (Re)arms @t to fire after @ns nanoseconds. */
void loop_timer_arm(struct loop *lp, struct loop_timer *t, uint64_t ns);
void loop_timer_cancel(struct loop *lp, struct loop_timer *t);
/* Cancels @t and frees it once the ring no longer refers to it. */
void loop_timer_release(struct loop *lp, struct loop_timer *t);

uint64_t loop_now_ns(void);

#endif
