// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_rtt: request/reply round trips through libcti -> ctid -> sim.
 *
 * Each client is a libcti session that owns a line of its own and keeps
 * exactly one request in flight (a closed loop, as a program that waits
 * for each answer): SET_DND on and off, which ctid authorises, hands to
 * the sim, and answers with a REPLY (and a LINE_STATUS event the client
 * also takes). PING, which ctid answers itself, is measured the same way
 * to show the provider's share. One thread drives all clients with poll(),
 * so 100 clients measure ctid's fan-in, not the scheduler's.
 *
 * Prints one table row per (request, clients): round trips/s, p50, p99.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cti.h"
#include "harness.h"

#define DURATION_MS	2000
#define WARMUP_MS	300

struct client {
	struct cti_session *s;
	struct cti_line *line;
	uint64_t req;		/* in flight, 0 when none */
	uint64_t sent_ns;
	int on;
};

struct result {
	double rps, p50_us, p99_us;
	size_t n;
};

static int die(const char *what, int err)
{
	fprintf(stderr, "bench_rtt: %s: %s\n", what, strerror(-err));
	exit(1);
}

static int send_one(struct client *c, bool ping)
{
	int rc;

	c->on ^= 1;
	rc = ping ? cti_session_ping(c->s, &c->req) :
		    cti_line_set_dnd(c->line, c->on, &c->req);
	if (rc)
		die("request", rc);
	c->sent_ns = t_now_ns();
	return 0;
}

static struct result run(struct client *cl, size_t n, bool ping)
{
	size_t cap = 1 << 22, nlat = 0, i;
	double *lat = malloc(cap * sizeof(*lat));
	struct pollfd *pfd = calloc(n, sizeof(*pfd));
	uint64_t t0, t_start = 0, t_end;
	struct result r = { 0 };
	bool measuring = false;

	if (!lat || !pfd)
		die("malloc", -ENOMEM);
	for (i = 0; i < n; i++) {
		pfd[i].fd = cti_session_get_fd(cl[i].s);
		pfd[i].events = POLLIN;
		send_one(&cl[i], ping);
	}
	t0 = t_now_ns();
	t_end = t0 + (uint64_t)(WARMUP_MS + DURATION_MS) * 1000000u;
	for (;;) {
		uint64_t now = t_now_ns();

		if (!measuring && now >= t0 + (uint64_t)WARMUP_MS * 1000000u) {
			measuring = true;
			t_start = now;
			nlat = 0;
		}
		if (now >= t_end)
			break;
		if (poll(pfd, n, 100) < 0 && errno != EINTR)
			die("poll", -errno);
		for (i = 0; i < n; i++) {
			struct cti_msg *m;
			int rc;

			if (!pfd[i].revents)
				continue;
			while ((rc = cti_session_next_msg(cl[i].s, &m)) == 1) {
				if (cti_msg_get_type(m) == CTI_MSG_REPLY &&
				    cti_msg_get_request(m) == cl[i].req) {
					if (cti_msg_get_error(m))
						die("reply", cti_msg_get_error(m));
					if (nlat < cap)
						lat[nlat++] = (double)(t_now_ns() -
							cl[i].sent_ns) / 1e3;
					send_one(&cl[i], ping);
				}
				cti_msg_free(m);
			}
			if (rc < 0)
				die("next_msg", rc);
		}
	}
	/* let the last requests finish so the next run starts clean */
	for (i = 0; i < n; i++)
		cti_session_wait_reply(cl[i].s, cl[i].req, 2000, NULL);
	r.n = nlat;
	r.rps = (double)nlat / ((double)(t_end - t_start) / 1e9);
	r.p50_us = t_percentile(lat, nlat, 50);
	r.p99_us = t_percentile(lat, nlat, 99);
	free(lat);
	free(pfd);
	return r;
}

static void open_clients(struct client *cl, size_t n)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.flags = CTI_SESSION_NO_RECONNECT,
		.timeout_ms = 10000,
		.client_name = "bench",
	};
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		uint64_t req;

		rc = cti_session_open(NULL, &o, &cl[i].s);
		if (rc)
			die("session open", rc);
		cl[i].line = cti_session_get_line(cl[i].s, i);
		if (!cl[i].line)
			die("no line", -ENOENT);
		rc = cti_line_open(cl[i].line, CTI_PRIV_OWNER, &req);
		if (!rc)
			rc = cti_session_wait_reply(cl[i].s, req, 5000, NULL);
		if (rc)
			die("line open", rc);
	}
}

int main(void)
{
	static const size_t counts[] = { 1, 100 };
	struct client *cl;
	struct t_ctid d;
	size_t k;

	t_raise_nofile(4096);
	if (t_ctid_start(&d, t_conf(100, "log_level = warn\n", NULL, NULL)))
		return 1;
	cl = calloc(100, sizeof(*cl));
	open_clients(cl, 100);
	printf("\n(1) request/reply round trips, libcti -> ctid -> sim "
	       "(closed loop, one request in flight per client)\n");
	printf("%-26s %8s %14s %10s %10s\n", "request", "clients",
	       "round trips/s", "p50 us", "p99 us");
	for (k = 0; k < 2; k++) {
		int ping;

		for (ping = 0; ping <= 1; ping++) {
			struct result r = run(cl, counts[k], ping);

			printf("%-26s %8zu %14.0f %10.1f %10.1f\n",
			       ping ? "PING (ctid only)" : "SET_DND (ctid + sim)",
			       counts[k], r.rps, r.p50_us, r.p99_us);
			fflush(stdout);
		}
	}
	for (k = 0; k < 100; k++)
		cti_session_close(cl[k].s);
	free(cl);
	printf("ctid VmRSS after the run: %ld kB\n", t_ctid_rss_kb(&d));
	return t_ctid_stop(&d) == 0 ? 0 : 1;
}
