// SPDX-License-Identifier: GPL-2.0
/*
 * kcard_bench: events from the kernel to a client program, three ways, in
 * one guest boot (issue 8, "Benchmarks"):
 *
 *   raw    the card's mmap'd ring drained by this program (no ctid);
 *   kcard  the same card's records through ctid (its card host drains
 *          the ring from its io_uring loop, kcard turns them into ctid
 *          events) to this program, a libcti client owning the line;
 *   user   the same records made by ctid's userspace sim provider
 *          (providers/sim, its DEV_SPECIFIC "flood N", asked for by this
 *          program as an admin), to the same client.
 *
 * Each round floods ROUND records (cti_sim's "N dtmf" flood: DIGITS with
 * valid DTMF symbols, which ctid's wire accepts; the sim provider's flood
 * makes the same records: line, call 1, the index as four symbols) and
 * waits until all have arrived; ROUND is well below every ring and
 * queue, so nothing is lost (lost records are counted and printed).
 * The two floods are built alike: cti_sim.ko posts from a work item
 * after the debugfs write returns, the sim provider from its record
 * FIFO's zero-delay timer after the REPLY; neither runs the switch.
 * Records/s is records over the rounds' summed time, from the request
 * to the last record; latency is from each record's timestamp (the
 * kernel's post, or ctid's when the provider posts) to its receipt by
 * the client, p50 and p99. Figures under TCG mean little alone: the
 * ratios are the result. Goal: kcard >= 0.5 x user.
 *
 * Usage: kcard_bench [ROUNDS]   (default 40)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cti_test.h"
#include "e2e_ctid.h"

#define ROUND		1000
#define ROUND_MS	20000

struct figures {
	uint64_t *lat;			/* ns, one per record received */
	size_t n, lost;
	uint64_t busy_ns;		/* summed round times */
};

static __attribute__((noreturn)) void die(const char *what, int err)
{
	fprintf(stderr, "kcard_bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double rate(const struct figures *f)
{
	return f->busy_ns ? (double)f->n * 1e9 / (double)f->busy_ns : 0;
}

static void report(const char *name, struct figures *f)
{
	uint64_t p50 = 0, p99 = 0;

	qsort(f->lat, f->n, sizeof(*f->lat), cmp_u64);
	if (f->n) {
		p50 = f->lat[f->n / 2];
		p99 = f->lat[f->n * 99 / 100];
	}
	printf("# %-6s %9.0f records/s  p50 %8.1f us  p99 %8.1f us  (%zu records, %zu lost)\n",
	       name, rate(f), p50 / 1e3, p99 / 1e3, f->n, f->lost);
}

/* raw: drain the card's own ring, CLOCK_MONOTONIC as the kernel stamps. */
static void bench_raw(struct figures *f, unsigned int rounds)
{
	struct cti_sim sim;
	struct cti_ring ring;
	const struct cti_event *ev = NULL;
	int ret;

	ret = cti_sim_create(&sim, 1, 0, "call");
	if (ret)
		die("raw: card", ret);
	ret = cti_ring_map(sim.fd, &ring);
	if (ret)
		die("raw: mmap", ret);
	cti_stream_init(&sim.st, sim.fd, &ring);
	for (unsigned int r = 0; r < rounds; r++) {
		uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
		unsigned int got = 0;

		ret = cti_sim_ctl(&sim, "flood", "%u dtmf", ROUND);
		if (ret)
			die("raw: flood", ret);
		while (got < ROUND) {
			ret = cti_stream_next(&sim.st, &ev, ROUND_MS);
			if (ret <= 0)
				die("raw: drain", ret ? ret : -ETIMEDOUT);
			if (ev->type == CTI_EV_OVERFLOW) {
				uint64_t lost = ((const struct cti_ev_overflow *)ev)->lost;

				f->lost += lost;
				got += lost;
				continue;
			}
			if (ev->type != CTI_EV_DIGITS)
				continue;
			f->lat[f->n++] = clock_ns(CLOCK_MONOTONIC) - ev->timestamp_ns;
			got++;
		}
		f->busy_ns += clock_ns(CLOCK_MONOTONIC) - t0;
	}
	cti_ring_unmap(&ring);
	cti_sim_destroy(&sim);
}

/*
 * Receive ROUND DIGITS records on line @id; a GAP counts its records as
 * lost (ctid's resync follows). Latency on the wall clock, as the
 * client sees event times.
 */
static void receive(struct cti_session *s, uint32_t id, struct figures *f)
{
	int64_t end = cti_now_ms() + ROUND_MS;
	unsigned int got = 0;
	struct cti_msg *m;

	while (got < ROUND) {
		if (cti_now_ms() > end)
			die("receive", -ETIMEDOUT);
		cti_session_wait(s, 100);
		while (got < ROUND && cti_session_next_msg(s, &m) > 0) {
			uint64_t now = clock_ns(CLOCK_REALTIME);

			if (cti_msg_get_type(m) == CTI_MSG_GAP) {
				uint64_t lost = cti_msg_get_gap(m, NULL, NULL);

				f->lost += lost;
				got += lost;
			} else if (cti_msg_get_type(m) == CTI_MSG_DIGITS &&
				   cti_msg_get_line_id(m) == id) {
				f->lat[f->n++] = now - cti_msg_get_timestamp_ns(m);
				got++;
			}
			cti_msg_free(m);
		}
	}
}

static struct cti_line *line_open(struct cti_session *s, const char *name)
{
	int64_t end = cti_now_ms() + 15000;
	struct cti_line *l = NULL;
	uint64_t req;
	int ret;

	while (cti_session_find_line(s, name, &l) || cti_line_is_removed(l)) {
		if (cti_now_ms() > end)
			die(name, -ETIMEDOUT);
		cti_session_wait(s, 50);
		cti_session_dispatch(s);
	}
	ret = cti_line_open(l, CTI_PRIV_OWNER, &req);
	if (!ret)
		ret = cti_session_wait_reply(s, req, 5000, NULL);
	if (ret)
		die("open line", ret);
	return l;
}

/* kcard and user, alternating round by round in one ctid. */
static void bench_ctid(struct figures *kc, struct figures *us,
		       unsigned int rounds)
{
	struct cti_sim sim;
	struct e2e_ctid d;
	struct cti_session *s;
	struct cti_line *lk, *lu;
	char keys[160], name[CTI_NAME_MAX + 8], cmd[32];
	int ret;

	ret = cti_sim_setup(&sim, 1, 0, "call");
	if (!ret)
		ret = cti_sim_set_live(&sim, 1);
	if (ret)
		die("kcard: card", ret);
	snprintf(keys, sizeof(keys),
		 "card = %s\n\n[provider sim]\nso = sim\nlines = 1\n", sim.name);
	ret = e2e_ctid_write(&d, keys);
	if (!ret)
		ret = e2e_ctid_spawn(&d);
	if (!ret)
		ret = e2e_session(&d, 15000, &s);
	if (ret)
		die("ctid", ret);
	snprintf(name, sizeof(name), "%s.line0", sim.name);
	lk = line_open(s, name);
	lu = line_open(s, "ext100");
	snprintf(cmd, sizeof(cmd), "flood %u", ROUND);
	for (unsigned int r = 0; r < rounds; r++) {
		uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
		uint64_t req;

		ret = cti_sim_ctl(&sim, "flood", "%u dtmf", ROUND);
		if (ret)
			die("kcard: flood", ret);
		receive(s, cti_line_get_id(lk), kc);
		kc->busy_ns += clock_ns(CLOCK_MONOTONIC) - t0;

		t0 = clock_ns(CLOCK_MONOTONIC);
		ret = cti_line_dev_specific(lu, cmd, strlen(cmd), &req);
		if (ret)
			die("user: flood", ret);
		receive(s, cti_line_get_id(lu), us);
		us->busy_ns += clock_ns(CLOCK_MONOTONIC) - t0;
	}
	cti_session_close(s);
	if (e2e_ctid_stop(&d, 0))
		e2e_ctid_dump(&d);
	cti_sim_destroy(&sim);
}

int main(int argc, char **argv)
{
	unsigned int rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 40;
	struct figures raw = { 0 }, kc = { 0 }, us = { 0 };
	double ratio;

	if (!rounds || rounds > 10000)
		die("usage: kcard_bench [ROUNDS 1..10000]", EINVAL);
	raw.lat = calloc((size_t)rounds * ROUND, sizeof(uint64_t));
	kc.lat = calloc((size_t)rounds * ROUND, sizeof(uint64_t));
	us.lat = calloc((size_t)rounds * ROUND, sizeof(uint64_t));
	if (!raw.lat || !kc.lat || !us.lat)
		die("calloc", ENOMEM);
	printf("# kcard_bench: %u rounds of %u DIGITS records\n", rounds, ROUND);
	bench_raw(&raw, rounds);
	bench_ctid(&kc, &us, rounds);
	report("raw", &raw);
	report("kcard", &kc);
	report("user", &us);
	ratio = rate(&us) ? rate(&kc) / rate(&us) : 0;
	printf("# ratio kcard/user %.2f  kcard/raw %.2f  user/raw %.2f\n", ratio,
	       rate(&raw) ? rate(&kc) / rate(&raw) : 0,
	       rate(&raw) ? rate(&us) / rate(&raw) : 0);
	printf("# goal: kcard >= 0.5 x user: %s\n", ratio >= 0.5 ? "met" : "NOT MET");
	return 0;
}
