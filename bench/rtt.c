// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * rtt.c - the request/reply loop of bench_rtt
 *
 * Latency runs from the moment a request was meant to be sent: in the
 * closed and pipelined loops that is the clock read just before the send
 * (not after it returns), in the open loop it is the request's slot in a
 * fixed schedule, so a request that waits behind a slow reply, or behind
 * the bench itself, counts its wait (no coordinated omission).
 *
 * System calls are counted in a window of their own after the timed one:
 * the raw_syscalls tracepoint that counts them, once enabled, sends every
 * system call of every process through the tracing path, which would tax
 * the epoll-based echo bound (three calls per round trip) more than ctid
 * (io_uring) and skew their ratio.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "rtt.h"
#include "sysstat.h"

#define WARMUP_MS	200
#define DURATION_MS	1000
#define COUNT_MS	200	/* the system call counting window */
/*
 * The open loop's clients poll without sleeping when the next request is
 * due sooner than this. Sleeping until each slot (20 us apart at 50,000
 * requests/s) cost a timer, a context switch and a wakeup per request:
 * the single client thread was then over 90% busy at "half capacity",
 * and the p99 measured the queue in the client, not the server. The
 * clients have a CPU of their own (pin_clients()).
 */
#define OPEN_SPIN_NS	1000000u
#define FIFO		64	/* requests in flight per client at most */
#define LAT_CAP		(1u << 22)

struct inflight {
	uint64_t t[FIFO];	/* intended send times, oldest first */
	unsigned int head, n;
};

struct loop {
	const struct rtt_ops *ops;
	void *ctx;
	const struct rtt_spec *sp;
	struct inflight *fl;
	double *lat;
	size_t nlat;
	bool measuring;
	bool counting;		/* in the system call counting window */
	bool stopping;		/* settling: no new requests */
	uint64_t done, late, counted;
};

static void die(const char *what, int err)
{
	fprintf(stderr, "bench_rtt: %s: %s\n", what, strerror(err));
	exit(1);
}

static void push(struct loop *l, size_t i, uint64_t t)
{
	struct inflight *f = &l->fl[i];

	f->t[(f->head + f->n) % FIFO] = t;
	f->n++;
	l->ops->send(l->ctx, i);
}

/* @k replies of client @i arrived at @now: record, and send the next. */
static void complete(struct loop *l, size_t i, size_t k, uint64_t now)
{
	struct inflight *f = &l->fl[i];

	while (k-- && f->n) {
		uint64_t t = f->t[f->head];

		f->head = (f->head + 1) % FIFO;
		f->n--;
		l->counted += l->counting;
		if (l->measuring) {
			l->done++;
			if (l->nlat < LAT_CAP)
				l->lat[l->nlat++] = (double)(now - t) / 1e3;
		}
		if (l->sp->mode != RTT_OPEN && !l->stopping)
			push(l, i, t_now_ns());
	}
}

/* Open loop: send every request whose slot has come; the next slot. */
static uint64_t send_due(struct loop *l, uint64_t t0, uint64_t *j)
{
	double gap = 1e9 / l->sp->rate;
	uint64_t now = t_now_ns();

	for (;;) {
		uint64_t due = t0 + (uint64_t)((double)*j * gap);
		size_t i = *j % l->sp->clients;

		if (due > now)
			return due;
		if (l->fl[i].n < FIFO)
			push(l, i, due);
		else if (l->measuring)
			l->late++;
		(*j)++;
	}
}

struct waiter {
	int epfd;
	struct pollfd *pfd;
	struct epoll_event *evs;
};

static void wait_init(struct loop *l, struct waiter *w)
{
	size_t i, n = l->sp->clients;

	w->pfd = calloc(n, sizeof(*w->pfd));
	w->evs = calloc(n, sizeof(*w->evs));
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!w->pfd || !w->evs || w->epfd < 0)
		die("wait_init", ENOMEM);
	for (i = 0; i < n; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = i };

		w->pfd[i].fd = l->ops->fd(l->ctx, i);
		w->pfd[i].events = POLLIN;
		if (l->sp->use_epoll &&
		    epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->pfd[i].fd, &ev) < 0)
			die("epoll_ctl", errno);
	}
}

static void wait_fini(struct waiter *w)
{
	close(w->epfd);
	free(w->pfd);
	free(w->evs);
}

/* Wait until @until (ns) at most, then drain every client that is ready. */
static void wait_and_drain(struct loop *l, struct waiter *w, uint64_t until)
{
	uint64_t now = t_now_ns(), left = until > now ? until - now : 0;
	struct timespec ts = { (time_t)(left / 1000000000u),
			       (long)(left % 1000000000u) };
	size_t i, n = l->sp->clients;
	int k;

	if (l->sp->use_epoll) {
		k = epoll_pwait2(w->epfd, w->evs, (int)n, &ts, NULL);
		if (k < 0 && errno != EINTR)
			die("epoll_pwait2", errno);
		now = t_now_ns();
		for (i = 0; k > 0 && i < (size_t)k; i++) {
			size_t c = (size_t)w->evs[i].data.u64;

			complete(l, c, l->ops->drain(l->ctx, c), now);
		}
		return;
	}
	k = ppoll(w->pfd, n, &ts, NULL);
	if (k < 0 && errno != EINTR)
		die("ppoll", errno);
	now = t_now_ns();
	for (i = 0; k > 0 && i < n; i++)
		if (w->pfd[i].revents)
			complete(l, i, l->ops->drain(l->ctx, i), now);
}

/* Let what is still in flight finish, so that the next run starts clean. */
static void settle(struct loop *l, struct waiter *w)
{
	uint64_t stop = t_now_ns() + 3000000000u;
	size_t i, left;

	l->measuring = false;
	l->stopping = true;
	do {
		for (i = left = 0; i < l->sp->clients; i++)
			left += l->fl[i].n;
		if (!left)
			return;
		wait_and_drain(l, w, t_now_ns() + 10000000u);
	} while (t_now_ns() < stop);
	die("settle: replies missing", ETIMEDOUT);
}

struct snap {
	uint64_t t;
	int64_t srv_cpu, cli_cpu;
};

static void snap(struct snap *s, pid_t server)
{
	s->srv_cpu = proc_cpu_ns(server);
	s->cli_cpu = self_cpu_ns();
	s->t = t_now_ns();
}

static void result(struct loop *l, const struct snap *a,
		   const struct snap *b, struct rtt_result *r)
{
	double secs = (double)(b->t - a->t) / 1e9;
	double rt = l->done ? (double)l->done : 1;

	memset(r, 0, sizeof(*r));
	r->rps = (double)l->done / secs;
	r->p50_us = t_percentile(l->lat, l->nlat, 50);
	r->p99_us = t_percentile(l->lat, l->nlat, 99);
	r->per_cpu = b->srv_cpu > a->srv_cpu ?
		     (double)l->done / ((double)(b->srv_cpu - a->srv_cpu) / 1e9) :
		     0;
	r->cli_us_per_rt = (double)(b->cli_cpu - a->cli_cpu) / 1e3 / rt;
	r->late = l->late;
}

/* The loop, sending and draining, until @until (ns). */
static void run_until(struct loop *l, struct waiter *w, uint64_t t0,
		      uint64_t *j, uint64_t until)
{
	for (;;) {
		uint64_t now = t_now_ns(), next;

		if (now >= until)
			return;
		next = l->sp->mode == RTT_OPEN ? send_due(l, t0, j) : until;
		/* open loop: poll without sleeping (see OPEN_SPIN_NS) */
		if (l->sp->mode == RTT_OPEN && next - now < OPEN_SPIN_NS)
			next = now;
		wait_and_drain(l, w, next < until ? next : until);
	}
}

/*
 * The client's system calls per round trip, over COUNT_MS after the timed
 * window. The counter is read last at the start and first at the end, so
 * that its own reads are not counted.
 */
static double count_syscalls(struct loop *l, struct waiter *w, uint64_t t0,
			     uint64_t *j)
{
	int sfd = sys_counter_open();
	int64_t a, b;

	if (sfd < 0)
		return -1;
	l->counting = true;
	a = sys_counter_read(sfd);
	run_until(l, w, t0, j, t_now_ns() + COUNT_MS * 1000000ull);
	b = sys_counter_read(sfd);
	l->counting = false;
	close(sfd);
	return l->counted && a >= 0 && b >= a ?
	       (double)(b - a) / (double)l->counted : -1;
}

void rtt_run(const struct rtt_ops *ops, void *ctx,
	     const struct rtt_spec *sp, struct rtt_result *r)
{
	struct loop l = { .ops = ops, .ctx = ctx, .sp = sp };
	uint64_t t0, j = 0;
	struct snap a, b;
	struct waiter w;
	size_t i;

	l.fl = calloc(sp->clients, sizeof(*l.fl));
	l.lat = malloc(LAT_CAP * sizeof(*l.lat));
	if (!l.fl || !l.lat)
		die("malloc", ENOMEM);
	wait_init(&l, &w);
	t0 = t_now_ns();
	for (i = 0; sp->mode != RTT_OPEN && i < sp->clients; i++) {
		unsigned int d = sp->mode == RTT_PIPELINED ? sp->depth : 1;

		while (d--)
			push(&l, i, t_now_ns());
	}
	run_until(&l, &w, t0, &j, t0 + WARMUP_MS * 1000000ull);
	snap(&a, sp->server);
	l.measuring = true;
	run_until(&l, &w, t0, &j, a.t + DURATION_MS * 1000000ull);
	l.measuring = false;
	snap(&b, sp->server);
	result(&l, &a, &b, r);
	r->sys_per_rt = count_syscalls(&l, &w, t0, &j);
	settle(&l, &w);
	wait_fini(&w);
	free(l.fl);
	free(l.lat);
}
