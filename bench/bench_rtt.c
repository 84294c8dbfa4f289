// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_rtt: request/reply through libcti -> ctid (-> sim), each figure
 * beside its bound, a minimal echo server with the same framing, measured
 * in the same run.
 *
 * Clients: libcti sessions, each owning a sim line of its own, taking
 * replies with poll + cti_session_next_msg() or with epoll +
 * cti_session_dispatch(); and raw echo clients (send a PING frame, count
 * the frames that come back). One thread drives all clients of a run, so
 * that 1,000 clients measure the server's fan-in, not the scheduler's.
 * Requests: PING (ctid alone, the like of the echo) and SET_DND (ctid
 * authorises it, the sim runs it, a REPLY and a LINE_STATUS come back).
 *
 * Runs: closed loop (one request in flight per client) at 1, 100 and
 * 1,000 clients; a pipelined client (16 in flight); an open loop at 1,000
 * clients at half of the closed loop's measured capacity, latency counted
 * from each request's intended send time. Every figure is min/median/max
 * over REPEAT interleaved repeats, its ratio to the bound is taken within
 * each repeat; server throughput is also given per second of the server's
 * own CPU time (/proc/PID/stat), and the client's system calls per round
 * trip are counted by the kernel (perf tracepoint), not estimated.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cticlients.h"
#include "echo.h"
#include "harness.h"
#include "rawclient.h"
#include "stats.h"
#include "sysstat.h"

#define REPEAT		5
#define REPEAT_OPEN	9	/* the p99 goal: see open_goals() */
#define MAX_CLIENTS	1000
#define PIPE_DEPTH	16
#define CLOSED_ROWS	6
#define RAW_ROW		3	/* PING from the bound's clients, to ctid */

struct row {
	const char *name;
	const struct rtt_ops *ops;	/* NULL: an echo server */
	bool ping, use_epoll;
	bool uring;			/* the echo on io_uring, not the bound */
	bool raw;			/* the bound's own clients, to ctid */
	struct series rps, p50, p99, per_cpu, sys, cli, ratio, cpu_ratio;
	struct series p99_ratio;
};

struct env {
	struct t_ctid d;
	struct echo_server e, eu;	/* the bound; the echo on io_uring */
	struct cti_clients *cti;
	struct echo_clients *echo, *echo_u;
	struct echo_clients *raw;	/* the echo's clients, connected to ctid */
};

static void run_row(struct env *v, struct row *r, struct rtt_spec sp,
		    struct rtt_result *out)
{
	sp.use_epoll = r->use_epoll;
	sp.server = r->ops || r->raw ? v->d.pid :
		    r->uring ? v->eu.pid : v->e.pid;
	if (r->ops) {
		cti_clients_set_ping(v->cti, r->ping);
		rtt_run(r->ops, v->cti, &sp, out);
	} else {
		rtt_run(&echo_ops, r->raw ? v->raw : r->uring ? v->echo_u :
			v->echo, &sp, out);
	}
	series_add(&r->rps, out->rps);
	series_add(&r->p50, out->p50_us);
	series_add(&r->p99, out->p99_us);
	series_add(&r->per_cpu, out->per_cpu);
	series_add(&r->sys, out->sys_per_rt);
	series_add(&r->cli, out->cli_us_per_rt);
}

/* Repeat every row of @rows (the last is the bound) @repeat times. */
static void run_rows(struct env *v, struct row *rows, size_t n,
		     struct rtt_spec sp, unsigned int repeat)
{
	struct rtt_result res[8];
	size_t k, i;

	for (k = 0; k < repeat; k++) {
		for (i = 0; i < n; i++)
			run_row(v, &rows[i], sp, &res[i]);
		for (i = 0; i + 1 < n; i++) {
			const struct rtt_result *b = &res[n - 1];

			series_add(&rows[i].ratio, res[i].rps / b->rps);
			series_add(&rows[i].cpu_ratio,
				   b->per_cpu ? res[i].per_cpu / b->per_cpu : 0);
			series_add(&rows[i].p99_ratio,
				   b->p99_us ? res[i].p99_us / b->p99_us : 0);
		}
	}
}

static void print_head(void)
{
	printf("%-22s %5s %-26s %-18s %8s %9s %-24s %-18s %6s %6s\n",
	       "request (client)", "cli", "round trips/s", "x bound",
	       "p50 us", "p99 us", "per server CPU-s", "x bound",
	       "sys/rt", "us/rt");
}

static void print_rows(const struct row *rows, size_t n, size_t clients)
{
	char a[64], b[64], c[64], d[64];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		bool bound = i + 1 == n;

		printf("%-22s %5zu %-26s %-18s %8.1f %9.1f %-24s %-18s %6.2f %6.2f\n",
		       r->name, clients, series_rate(a, sizeof(a), &r->rps),
		       bound ? "(bound)" : series_fmt(b, sizeof(b), &r->ratio,
						      "%.2f"),
		       series_med(&r->p50), series_med(&r->p99),
		       series_rate(c, sizeof(c), &r->per_cpu),
		       bound ? "(bound)" : series_fmt(d, sizeof(d),
						      &r->cpu_ratio, "%.2f"),
		       series_med(&r->sys), series_med(&r->cli));
	}
}

#define ROWS(x) (sizeof(x) / sizeof((x)[0]))

static void closed_rows(struct row *rows)
{
	static const struct row tmpl[] = {
		{ .name = "PING (next_msg)", .ops = &cti_next_msg_ops,
		  .ping = true },
		{ .name = "SET_DND (next_msg)", .ops = &cti_next_msg_ops },
		{ .name = "SET_DND (epoll+disp)", .ops = &cti_dispatch_ops,
		  .use_epoll = true },
		{ .name = "PING (raw client)", .raw = true },
		{ .name = "echo on io_uring", .uring = true },
		{ .name = "echo bound", .ops = NULL },
	};

	memcpy(rows, tmpl, sizeof(tmpl));
}

static bool sys_goals(const struct row *r1)
{
	char buf[160];
	bool met = true;
	size_t i;

	if (series_min(&r1[0].sys) < 0) {
		printf("goal: libcti <= 3 system calls per round trip: not "
		       "measured (%s)\n", sys_counter_why(sys_counter_open()));
		return false;
	}
	for (i = 0; i < 3; i++) {
		snprintf(buf, sizeof(buf), "%s, 1 client: %.2f counted, "
			 "the bound's client %.2f", r1[i].name,
			 series_med(&r1[i].sys),
			 series_med(&r1[CLOSED_ROWS - 1].sys));
		/* to two decimals: a stray call of the loop in a window
		 * of thousands of round trips is not libcti's */
		met &= goal("libcti <= 3 system calls per round trip",
			    series_med(&r1[i].sys) < 3.005, buf);
	}
	return met;
}

static bool closed_goals(struct row (*c)[CLOSED_ROWS], const size_t *counts)
{
	char buf[160], s[64];
	bool met;
	size_t k;

	snprintf(buf, sizeof(buf), "PING, 1 client: %s x echo; SET_DND %.2fx",
		 series_fmt(s, sizeof(s), &c[0][0].ratio, "%.2f"),
		 series_med(&c[0][1].ratio));
	met = goal("1-client round trips >= 0.8x the echo bound",
		   series_med(&c[0][0].ratio) >= 0.8, buf);
	/* judged with the bound's own clients (RAW_ROW): with libcti's the
	 * closed loop's pace, and so ctid's batches, are the client's */
	for (k = 0; k < 3; k++) {
		snprintf(buf, sizeof(buf), "PING, %zu clients, the bound's "
			 "clients: %s x echo; through libcti PING %.2fx, "
			 "SET_DND %.2fx", counts[k],
			 series_fmt(s, sizeof(s), &c[k][RAW_ROW].cpu_ratio,
				    "%.2f"),
			 series_med(&c[k][0].cpu_ratio),
			 series_med(&c[k][1].cpu_ratio));
		met &= goal("round trips per ctid CPU-second >= 0.9x the "
			    "echo bound's",
			    series_med(&c[k][RAW_ROW].cpu_ratio) >= 0.9, buf);
	}
	return sys_goals(c[0]) && met;
}

/*
 * The p99 goal is judged on the median of the ratios taken within each
 * of REPEAT_OPEN repeats: the host stalls this guest for milliseconds now
 * and then, and a stall decides the p99 of the window it falls in (and
 * of a pool of all windows); interleaved repeats let most pairs of
 * windows go unhit, and with five the median still swung from 0.9 to 3.
 */
static bool open_goals(struct row *rows)
{
	char buf[200], s[64];
	bool met;

	snprintf(buf, sizeof(buf), "SET_DND p99 %s x echo's; PING %.2fx",
		 series_fmt(s, sizeof(s), &rows[0].p99_ratio, "%.2f"),
		 series_med(&rows[1].p99_ratio));
	met = goal("p99 at 1,000 clients (open loop) <= 1.5x the echo "
		   "bound's", series_med(&rows[0].p99_ratio) <= 1.5, buf);
	/* the same offered load for both: CPU per request compared alike */
	snprintf(buf, sizeof(buf), "SET_DND: %s x echo; PING %.2fx",
		 series_fmt(s, sizeof(s), &rows[0].cpu_ratio, "%.2f"),
		 series_med(&rows[1].cpu_ratio));
	return goal("round trips per ctid CPU-second at equal offered load "
		    "(open loop, 1,000 clients) >= 0.9x the echo bound's",
		    series_med(&rows[0].cpu_ratio) >= 0.9, buf) && met;
}

/* @rate requests/s in all; @why says where the rate came from. */
static bool open_loop(struct env *v, double rate, const char *why)
{
	struct row rows[] = {
		{ .name = "SET_DND (next_msg)", .ops = &cti_next_msg_ops },
		{ .name = "PING (next_msg)", .ops = &cti_next_msg_ops,
		  .ping = true },
		{ .name = "echo on io_uring", .uring = true },
		{ .name = "echo bound", .ops = NULL },
	};
	struct rtt_spec sp = { .clients = MAX_CLIENTS, .mode = RTT_OPEN,
			       .rate = rate, .use_epoll = true };
	char s[64];
	size_t i;

	printf("\n(1c) open loop, %d clients, %.0f requests/s (%s), latency "
	       "from the intended send time, %d repeats\n", MAX_CLIENTS,
	       sp.rate, why, REPEAT_OPEN);
	for (i = 0; i < ROWS(rows); i++)
		rows[i].use_epoll = true;
	run_rows(v, rows, ROWS(rows), sp, REPEAT_OPEN);
	print_head();
	print_rows(rows, ROWS(rows), MAX_CLIENTS);
	for (i = 0; i < ROWS(rows); i++)
		printf("  %s p99 us: %s\n", rows[i].name,
		       series_fmt(s, sizeof(s), &rows[i].p99, "%.0f"));
	return open_goals(rows);
}

static void pipelined(struct env *v)
{
	struct row rows[] = {
		{ .name = "PING (next_msg)", .ops = &cti_next_msg_ops,
		  .ping = true },
		{ .name = "SET_DND (next_msg)", .ops = &cti_next_msg_ops },
		{ .name = "echo on io_uring", .uring = true },
		{ .name = "echo bound", .ops = NULL },
	};
	struct rtt_spec sp = { .clients = 1, .mode = RTT_PIPELINED,
			       .depth = PIPE_DEPTH };

	printf("\n(1b) pipelined: 1 client, %d requests in flight\n",
	       PIPE_DEPTH);
	run_rows(v, rows, ROWS(rows), sp, REPEAT);
	print_head();
	print_rows(rows, ROWS(rows), 1);
}

/* ctid's HELLO on a raw connection, so that the echo's clients can PING */
static int ctid_greet(int fd)
{
	struct rc c = { .fd = fd };
	int rc = rc_hello(&c, "bench-raw", 0, 0);

	free(c.queue);
	return rc;
}

static void env_start(struct env *v)
{
	t_ctid_verbose = false;
	t_raise_nofile(16384);
	pin_clients();
	if (t_ctid_start(&v->d, t_conf(MAX_CLIENTS, "log_level = warn\n",
				       NULL, NULL)))
		exit(1);
	if (echo_start(&v->e, v->d.dir) || echo_start_uring(&v->eu, v->d.dir))
		exit(1);
	pin_server(v->d.pid);
	pin_server(v->e.pid);
	pin_server(v->eu.pid);
	v->cti = cti_clients_open(MAX_CLIENTS);
	v->echo = echo_clients_open(v->e.path, MAX_CLIENTS, NULL);
	v->echo_u = echo_clients_open(v->eu.path, MAX_CLIENTS, NULL);
	v->raw = echo_clients_open(v->d.sock, MAX_CLIENTS, ctid_greet);
}

/*
 * One part alone, for profiling: "--open RATE" (requests/s in all) or
 * "--closed N" (1 to MAX_CLIENTS clients); 0 with no arguments, -1 after
 * printing why for anything else.
 */
static int parse_args(int argc, char **argv, double *rate, size_t *clients)
{
	char *end = NULL;

	*rate = 0;
	*clients = 0;
	if (argc == 1)
		return 0;
	if (argc == 3 && !strcmp(argv[1], "--open")) {
		errno = 0;
		*rate = strtod(argv[2], &end);
		if (!errno && *end == '\0' && *rate >= 1 && *rate <= 1e7)
			return 0;
	} else if (argc == 3 && !strcmp(argv[1], "--closed")) {
		unsigned long n;

		errno = 0;
		n = strtoul(argv[2], &end, 10);
		if (!errno && *end == '\0' && n >= 1 && n <= MAX_CLIENTS) {
			*clients = n;
			return 0;
		}
	}
	fprintf(stderr, "usage: bench_rtt [--open RATE | --closed N]\n"
		"  RATE: requests/s in all, 1 to 10000000; N: clients, 1 to %d\n",
		MAX_CLIENTS);
	return -1;
}

int main(int argc, char **argv)
{
	static const size_t counts[] = { 1, 100, MAX_CLIENTS };
	struct row closed[3][CLOSED_ROWS];
	struct env v;
	size_t only_clients;
	double only_rate;
	bool met;
	size_t k;

	if (parse_args(argc, argv, &only_rate, &only_clients))
		return 2;
	env_start(&v);
	if (only_rate) {
		open_loop(&v, only_rate, "as asked");
		goto out;
	}
	if (only_clients) {
		struct rtt_spec sp = { .clients = only_clients,
				       .mode = RTT_CLOSED };

		closed_rows(closed[0]);
		run_rows(&v, closed[0], CLOSED_ROWS, sp, REPEAT);
		print_head();
		print_rows(closed[0], CLOSED_ROWS, sp.clients);
		goto out;
	}
	printf("\n(1) request/reply round trips, libcti -> ctid (-> sim) "
	       "against a minimal echo server with the same framing\n"
	       "    median (min-max) of %d interleaved repeats; x bound: the "
	       "ratio within each repeat; load average %.2f; %s\n", REPEAT,
	       load_avg(), pin_describe());
	printf("(1a) closed loop, one request in flight per client\n");
	print_head();
	for (k = 0; k < 3; k++) {
		struct rtt_spec sp = { .clients = counts[k],
				       .mode = RTT_CLOSED };

		closed_rows(closed[k]);
		run_rows(&v, closed[k], CLOSED_ROWS, sp, REPEAT);
		print_rows(closed[k], CLOSED_ROWS, counts[k]);
		fflush(stdout);
	}
	pipelined(&v);
	met = open_loop(&v, series_med(&closed[2][1].rps) / 2,
			"half of the closed loop's SET_DND capacity");
	met = closed_goals(closed, counts) && met;
	printf("load average after (1): %.2f\n", load_avg());
out:
	cti_clients_close(v.cti);
	echo_clients_close(v.echo);
	echo_clients_close(v.echo_u);
	echo_clients_close(v.raw);
	echo_stop(&v.e);
	echo_stop(&v.eu);
	printf("ctid VmRSS after the run: %ld kB\n", t_ctid_rss_kb(&v.d));
	return t_ctid_stop(&v.d) == 0 ? 0 : 1;
	(void)met;
}
