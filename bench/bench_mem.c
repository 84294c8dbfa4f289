// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_mem: resident memory of ctid per line and per idle client.
 *
 * Per line: VmRSS of a ctid whose sim has 100,000 lines minus that of one
 * with 8 lines, divided by the difference (the daemon's line table, the
 * ACL masks and the sim's own line state, everything a line costs).
 * Per idle client: 10,000 sessions connect to the 100,000-line ctid, say
 * HELLO, list nothing and open nothing; VmRSS after minus before, divided
 * by 10,000. Per client receiving events: the same 10,000 sessions
 * monitor one line whose owner toggles DND EVENTS times; VmRSS while
 * every event waits in every queue, and again once all were read, minus
 * the VmRSS before the clients came, divided by 10,000. Each figure is
 * read when the daemon is idle again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "memevents.h"
#include "rawclient.h"

#define LINES		100000
#define SMALL		8
#define CLIENTS		10000
#define EVENTS		100

struct rss_at {
	struct t_ctid *d;
	long queued;
};

static long settled_rss(struct t_ctid *d);

static void at_queued(void *arg)
{
	struct rss_at *r = arg;

	r->queued = settled_rss(r->d);
}

/* The clients receive events; print VmRSS per client, queued and read. */
static void receiving(struct t_ctid *d, const int *fds, int n, long base)
{
	struct rss_at r = { .d = d };
	long read_rss;

	if (!n || mem_events(d->sock, fds, n, EVENTS, at_queued, &r))
		return;
	read_rss = settled_rss(d);
	printf("%-44s %12ld %10.0f B %8s\n", "... receiving, 100 events queued",
	       r.queued, (double)(r.queued - base) * 1024.0 / n, "< 64 KiB");
	printf("%-44s %12ld %10.0f B %8s\n", "... receiving, all events read",
	       read_rss, (double)(read_rss - base) * 1024.0 / n, "< 64 KiB");
	printf("goal: under 64 KiB per client receiving events: %s\n",
	       (double)(r.queued - base) * 1024.0 / n < 65536 &&
	       (double)(read_rss - base) * 1024.0 / n < 65536 ?
	       "met" : "NOT MET");
}

static long settled_rss(struct t_ctid *d)
{
	long prev = -1, rss = t_ctid_rss_kb(d);
	int i;

	/* wait until two readings 100 ms apart agree */
	for (i = 0; i < 50 && rss != prev; i++) {
		t_sleep_ms(100);
		prev = rss;
		rss = t_ctid_rss_kb(d);
	}
	return rss;
}

/* A whole HELLO exchange on a bare socket: no client-side buffers kept. */
static int hello(int fd)
{
	struct cti_wire_frame f;
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	size_t got = 0;
	ssize_t n;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_HELLO;
	f.u.hello.version = CTI_WIRE_VERSION;
	f.u.hello.features = CTI_WIRE_FEAT_ALL;
	strcpy(f.u.hello.client_name, "idle");
	n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
	if (n < 0 || write(fd, buf, (size_t)n) != n)
		return -1;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t len;

		if (poll(&p, 1, 10000) != 1)
			return -1;
		n = read(fd, buf + got, sizeof(buf) - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
		len = cti_wire_peek(buf, got, &f.hdr);
		if (len < 0)
			return -1;
		if (len > 0 && got >= (size_t)len)
			return f.hdr.type == CTI_WIRE_HELLO_ACK ? 0 : -1;
	}
}

int main(void)
{
	struct t_ctid small, big;
	long rss_small, rss_big, rss_idle;
	int *fds, i, n = 0;
	unsigned long lim;
	int64_t t0;

	lim = t_raise_nofile(CLIENTS + 1024);
	t_ctid_verbose = false;
	if (t_ctid_start(&small, t_conf(SMALL, "log_level = warn\n", NULL, NULL)))
		return 1;
	rss_small = settled_rss(&small);
	t_ctid_stop(&small);

	t0 = t_now_ms();
	if (t_ctid_start(&big, t_conf(LINES, "log_level = warn\n"
					  "max_clients = 12000\n", NULL, NULL)))
		return 1;
	rss_big = settled_rss(&big);
	printf("\n(3) resident memory (VmRSS of ctid)\n");
	printf("%-44s %12s %14s %8s\n", "", "VmRSS kB", "per item", "goal");
	printf("%-44s %12ld\n", "ctid, sim with 8 lines", rss_small);
	printf("%-44s %12ld %10.0f B %8s\n", "ctid, sim with 100,000 lines",
	       rss_big, (double)(rss_big - rss_small) * 1024.0 / (LINES - SMALL),
	       "< 1 KiB");
	printf("  (100,000 lines up and listening in %lld ms)\n",
	       (long long)(t_now_ms() - t0));

	fds = calloc(CLIENTS, sizeof(*fds));
	if (!fds)
		return 1;
	if (lim < CLIENTS + 100)
		printf("SKIP: idle clients: RLIMIT_NOFILE is %lu\n", lim);
	for (i = 0; i < CLIENTS && lim >= CLIENTS + 100; i++) {
		fds[i] = t_unix_connect(big.sock);
		if (fds[i] < 0 || hello(fds[i]) < 0) {
			printf("# client %d: %s\n", i, strerror(errno));
			if (fds[i] >= 0)
				close(fds[i]);
			break;
		}
		n++;
	}
	rss_idle = settled_rss(&big);
	if (n)
		printf("%-44s %12ld %10.0f B %8s\n", "... plus 10,000 idle clients",
		       rss_idle, (double)(rss_idle - rss_big) * 1024.0 / n,
		       "< 16 KiB");
	if (n != CLIENTS)
		printf("# only %d of %d clients connected\n", n, CLIENTS);
	receiving(&big, fds, n, rss_big);
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	/* stop once ctid has seen the clients go, so that only the stop is timed */
	t_sleep_ms(1000);
	t0 = t_now_ms();
	i = t_ctid_stop(&big);
	/* a slow exit is a finding to print, not a failed measurement */
	printf("  (ctid with 100,000 lines and %d closed clients: SIGTERM to "
	       "exit %lld ms%s)\n", n, (long long)(t_now_ms() - t0),
	       i == 0 ? "" : ", not clean: killed after 5 s");
	return 0;
}
