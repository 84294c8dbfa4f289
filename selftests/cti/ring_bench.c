// SPDX-License-Identifier: GPL-2.0
/*
 * ring_bench: how fast a reader drains cti records, three ways
 *
 *   (a) the mmap'd ring, a whole batch per head update, no system call;
 *   (b) read() of one record per call;
 *   (c) read() of many records per call (a 64 KiB buffer).
 *
 * Each method drains the same work: the sim's flood generator fills the
 * file's ring (just below its capacity, so nothing is lost) while nobody
 * reads, then only the drain is timed; that is repeated FILLS times. A
 * second figure streams a long flood while draining concurrently and
 * reports what arrived and what was lost.
 *
 * Under TCG absolute figures mean little; the ratios, measured in one boot
 * side by side, are the result. Goal: ring >= 10 x one-record read().
 *
 * Usage: ring_bench [FILLS]   (default 100)
 */
#include <sched.h>

#include "cti_test.h"

#define REC_SIZE	sizeof(struct cti_ev_digits)

static int die(const char *what, int err)
{
	fprintf(stderr, "ring_bench: %s: %s\n", what, strerror(-err));
	exit(1);
}

/* Fill the ring with @n flood records and wait until they are posted. */
static void fill(struct cti_sim *sim, unsigned int n)
{
	uint64_t left;
	int ret;

	ret = cti_sim_ctl(sim, "flood", "%u", n);
	if (ret)
		die("write flood", ret);
	for (;;) {
		ret = cti_sim_ctl_read_u64(sim, "flood", &left);
		if (ret)
			die("read flood", ret);
		if (!left)
			break;
		sched_yield();
	}
}

/*
 * (a) Everything between head and tail in one pass, one head store.
 * Return: the records drained; OVERFLOW records are counted apart, in
 * *@overflows, so that the streaming run can account for every record.
 */
static uint64_t drain_ring(struct cti_ring *r, uint64_t *seqsum,
			   uint64_t *overflows)
{
	uint32_t head = __atomic_load_n(r->head, __ATOMIC_RELAXED);
	uint32_t tail = __atomic_load_n(r->tail, __ATOMIC_ACQUIRE);
	uint32_t mask = *r->mask;
	uint64_t n = 0;

	while (head != tail) {
		const struct cti_event *ev =
			(const void *)(r->data + (head & mask));

		if (ev->type == CTI_EV_OVERFLOW) {
			*seqsum += ev->seq;
			(*overflows)++;
		} else if (ev->type != CTI_EV_PAD) {
			*seqsum += ev->seq;
			n++;
		}
		head += ev->size;
	}
	__atomic_store_n(r->head, head, __ATOMIC_RELEASE);
	return n;
}

/* (b) and (c): read() with a buffer of @len bytes until EAGAIN. */
static uint64_t drain_read(int fd, void *buf, size_t len, uint64_t *seqsum)
{
	uint64_t n = 0;
	ssize_t got;

	while ((got = read(fd, buf, len)) > 0) {
		const uint8_t *p = buf, *end = p + got;

		while (p < end) {
			const struct cti_event *ev = (const void *)p;

			*seqsum += ev->seq;
			n++;
			p += ev->size;
		}
	}
	if (errno != EAGAIN)
		die("read", -errno);
	return n;
}

struct result {
	const char *name;
	uint64_t records, ns;
};

static double rate(const struct result *r)
{
	return r->ns ? r->records * 1e9 / r->ns : 0;
}

int main(int argc, char **argv)
{
	static uint64_t big[65536 / 8];
	unsigned int fills = argc > 1 ? atoi(argv[1]) : 100, i, m;
	struct result res[3] = {
		{ .name = "mmap ring, batch drain" },
		{ .name = "read(), 1 record/call" },
		{ .name = "read(), 64 KiB buffer" },
	};
	struct cti_ring ring;
	struct cti_sim sim;
	unsigned int per_fill;
	uint64_t seqsum = 0, expect_seqsum = 0, seq = 0, ovf = 0;
	int ret, fd;

	ret = cti_sim_create(&sim, 1, 0, NULL);
	if (ret)
		die("create sim card (are cti.ko and cti_sim.ko loaded?)", ret);
	/* A non-blocking file so that read() says EAGAIN when drained. */
	fd = cti_sim_open(&sim, O_RDWR | O_NONBLOCK);
	if (fd < 0)
		die("open", fd);
	ret = cti_ring_map(fd, &ring);
	if (ret)
		die("mmap", ret);
	/* Two records' room spare: the ring must never overflow here. */
	per_fill = ring.info.ring_size / REC_SIZE - 2;
	printf("ring_bench: ring %u bytes, %u records of %zu bytes per fill, %u fills per method\n",
	       ring.info.ring_size, per_fill, REC_SIZE, fills);

	for (m = 0; m < 3; m++) {
		for (i = 0; i < fills; i++) {
			uint64_t t0, t1, n;

			fill(&sim, per_fill);
			t0 = cti_now_ns();
			if (m == 0)
				n = drain_ring(&ring, &seqsum, &ovf);
			else if (m == 1)
				n = drain_read(fd, big, REC_SIZE, &seqsum);
			else
				n = drain_read(fd, big, sizeof(big), &seqsum);
			t1 = cti_now_ns();
			if (n != per_fill) {
				fprintf(stderr, "ring_bench: %s drained %llu of %u records\n",
					res[m].name, (unsigned long long)n,
					per_fill);
				return 1;
			}
			/* The seqs are 1, 2, 3... in this file. */
			expect_seqsum += n * seq + n * (n + 1) / 2;
			seq += n;
			res[m].records += n;
			res[m].ns += t1 - t0;
		}
	}
	if (cti_ring_overflow(&ring) || seqsum != expect_seqsum) {
		fprintf(stderr, "ring_bench: records lost or out of order (overflow %llu)\n",
			(unsigned long long)cti_ring_overflow(&ring));
		return 1;
	}

	for (m = 0; m < 3; m++)
		printf("  %-24s %12.0f records/s  (%llu records in %.3f ms)\n",
		       res[m].name, rate(&res[m]),
		       (unsigned long long)res[m].records, res[m].ns / 1e6);
	printf("  ratio ring/read1 = %.1f\n", rate(&res[0]) / rate(&res[1]));
	printf("  ratio ring/readN = %.1f\n", rate(&res[0]) / rate(&res[2]));
	printf("  goal ring >= 10 x read1: %s\n",
	       rate(&res[0]) >= 10 * rate(&res[1]) ? "met" : "NOT met");

	/* Streaming: a long flood drained from the ring while it runs. */
	{
		unsigned int n = 50 * per_fill;
		uint64_t got = 0, lost0 = cti_ring_overflow(&ring), t0, t1;
		uint64_t left = 1, ovf0 = ovf, lost;
		unsigned int idle = 0;

		t0 = cti_now_ns();
		ret = cti_sim_ctl(&sim, "flood", "%u", n);
		if (ret)
			die("write flood", ret);
		/* Ask the sim (a slow configfs read) only when idle a while. */
		while (left) {
			uint64_t k = drain_ring(&ring, &seqsum, &ovf);

			got += k;
			if (k || ++idle % 256)
				continue;
			if (cti_sim_ctl_read_u64(&sim, "flood", &left))
				break;
		}
		got += drain_ring(&ring, &seqsum, &ovf);
		t1 = cti_now_ns();
		lost = cti_ring_overflow(&ring) - lost0;
		printf("  streaming: %u flooded, %llu drained from the ring, %llu lost (%llu OVERFLOW records), %.0f records/s\n",
		       n, (unsigned long long)got, (unsigned long long)lost,
		       (unsigned long long)(ovf - ovf0),
		       got * 1e9 / (t1 - t0));
		/* Every flooded record was either drained or counted lost. */
		if (left || got + lost != n) {
			fprintf(stderr, "ring_bench: streaming: %llu drained + %llu lost != %u flooded\n",
				(unsigned long long)got,
				(unsigned long long)lost, n);
			return 1;
		}
	}

	cti_ring_unmap(&ring);
	close(fd);
	cti_sim_destroy(&sim);
	return 0;
}
