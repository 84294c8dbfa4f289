/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtt.h - the request/reply load generator shared by every client kind of
 * bench_rtt (libcti with next_msg, libcti with dispatch, the raw echo
 * client), so that each figure and its bound are driven by the same loop.
 */
#ifndef BENCH_RTT_H
#define BENCH_RTT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What the loop needs of a client kind; @i is the client's index. */
struct rtt_ops {
	int (*fd)(void *ctx, size_t i);		/* the fd to wait on */
	void (*send)(void *ctx, size_t i);	/* one request, or exit(1) */
	/* do the client's I/O; returns how many replies it completed */
	size_t (*drain)(void *ctx, size_t i);
};

enum rtt_mode {
	RTT_CLOSED,		/* one request in flight per client */
	RTT_PIPELINED,		/* @depth requests in flight per client */
	RTT_OPEN,		/* requests at @rate per second in all */
};

struct rtt_spec {
	size_t clients;
	enum rtt_mode mode;
	unsigned int depth;	/* RTT_PIPELINED */
	double rate;		/* RTT_OPEN: requests per second, all clients */
	bool use_epoll;		/* wait with epoll, not poll */
	pid_t server;		/* whose CPU time to measure */
};

struct rtt_result {
	double rps;		/* completed round trips per second */
	double p50_us, p99_us;	/* from the (intended) send to the reply */
	double per_cpu;		/* round trips per second of server CPU */
	double sys_per_rt;	/* system calls of this thread per round trip */
	double cli_us_per_rt;	/* this process's CPU per round trip */
	uint64_t late;		/* RTT_OPEN: sends due while 64 were pending */
};

/* Run the loop for warm-up plus the measured time; fills @r. */
void rtt_run(const struct rtt_ops *ops, void *ctx,
	     const struct rtt_spec *sp, struct rtt_result *r);

#endif /* BENCH_RTT_H */
