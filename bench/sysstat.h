/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysstat.h - what the benchmarks count beside the clock: system calls
 * made by a thread, CPU time of a process, the machine's load
 *
 * A shared machine makes wall-clock figures noisy; counts and CPU time are
 * not (or much less), so every bench reports them next to its rates.
 */
#ifndef BENCH_SYSSTAT_H
#define BENCH_SYSSTAT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * A counter of the system calls the calling thread makes, read from the
 * kernel's raw_syscalls:sys_enter tracepoint through perf_event_open():
 * counted, not estimated. Returns an fd, or a negative errno (no tracefs,
 * no permission, no perf events in this kernel); sys_why() says why.
 */
int sys_counter_open(void);
/* The count so far, or -1. */
int64_t sys_counter_read(int fd);
const char *sys_counter_why(int err);

/* CPU time (user + system) of @pid in ns from /proc/PID/stat, or -1. */
int64_t proc_cpu_ns(pid_t pid);
/* CPU time of the calling process (all threads), in ns. */
int64_t self_cpu_ns(void);
/* The 1-minute load average, or -1. */
double load_avg(void);

/*
 * Where the benchmark runs: the calling process (the clients) on the
 * first CPU it may use, each server (every thread of @pid) on the last.
 * Left to itself, the scheduler often wakes a unix-socket peer on the
 * waker's CPU, so that client and server share one CPU while the other
 * idles, in some runs and not others: a bimodal figure. Pinned, each run
 * measures the same placement. Returns false (and pins nothing) with
 * fewer than two CPUs.
 */
bool pin_clients(void);
void pin_server(pid_t pid);
/*
 * A second client process (bench_fanout's receiver) calls pin_helper():
 * with three CPUs or more it gets one between the clients' and the
 * servers', with two it stays on the clients'. pin_helper_cpu(): that
 * CPU, or -1.
 */
void pin_helper(void);
int pin_helper_cpu(void);
/* "clients on CPU 0, servers on CPU 1", or why nothing is pinned */
const char *pin_describe(void);

#endif /* BENCH_SYSSTAT_H */
