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
 * side by side, are the result. Goals: ring >= 10 x one-record read(),
 * and the kernel ring streaming at >= 0.5 x a userspace SPSC ring of the
 * same size and records (d), its producer a thread on another CPU: the
 * limit of any ring. Emulation inflates a system call to microseconds, so
 * the read() figures are lower here than on hardware. The two streams
 * are run STREAMS times, interleaved, and the median of the ratios taken
 * pair by pair is judged: under TCG either one alone swung 2.5x between
 * boots.
 *
 * Usage: ring_bench [FILLS]   (default 100)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>

#include "cti_test.h"

#define REC_SIZE	sizeof(struct cti_ev_digits)
#define STREAMS		5	/* interleaved kernel/userspace stream pairs */

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

/*
 * (d) The bound: a userspace SPSC ring of the same size and record
 * layout, filled by a producer thread on another CPU (when there is one)
 * with the same release/acquire protocol, drained by drain_ring() itself
 * through a struct cti_ring that points at it. What the kernel ring costs
 * beyond this is the kernel's: its producer (the sim's flood) and the
 * wake-ups. Records are 64 bytes and the ring a power of two: no PAD.
 */
struct spsc {
	uint32_t head __attribute__((aligned(64)));
	uint32_t tail __attribute__((aligned(64)));
	uint32_t mask;
	uint8_t *data;
	uint64_t count;			/* records to produce */
	uint64_t first_seq;
	int cpu;			/* the producer's, or -1 */
};

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *spsc_produce(void *arg)
{
	struct spsc *q = arg;
	uint32_t size = q->mask + 1, tail = q->tail;
	uint64_t i;

	pin(q->cpu);
	for (i = 0; i < q->count; i++) {
		struct cti_event *ev;

		while (tail - __atomic_load_n(&q->head, __ATOMIC_ACQUIRE) >
		       size - REC_SIZE)
			sched_yield();
		ev = (void *)(q->data + (tail & q->mask));
		memset(ev, 0, REC_SIZE);
		ev->type = CTI_EV_DIGITS;
		ev->size = REC_SIZE;
		ev->seq = q->first_seq + i;
		tail += REC_SIZE;
		__atomic_store_n(&q->tail, tail, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* A struct cti_ring over @q, so that drain_ring() drains it unchanged. */
static void spsc_view(struct spsc *q, struct cti_ring *r)
{
	memset(r, 0, sizeof(*r));
	r->head = &q->head;
	r->tail = &q->tail;
	r->mask = &q->mask;
	r->data = q->data;
}

/*
 * Produce @n records (streaming: while draining), drain them all; returns
 * the ns the drain took (fill-then-drain) or the whole stream took.
 */
static uint64_t spsc_run(struct spsc *q, uint64_t n, bool streaming)
{
	uint64_t seqsum = 0, ovf = 0, got = 0, t0;
	struct cti_ring r;
	pthread_t th;

	spsc_view(q, &r);
	q->count = n;
	q->first_seq = 1;
	t0 = cti_now_ns();
	if (pthread_create(&th, NULL, spsc_produce, q))
		die("pthread_create", -EAGAIN);
	if (!streaming) {
		pthread_join(th, NULL);
		t0 = cti_now_ns();
	}
	while (got < n)
		got += drain_ring(&r, &seqsum, &ovf);
	t0 = cti_now_ns() - t0;
	if (streaming)
		pthread_join(th, NULL);
	if (seqsum != n * (n + 1) / 2)
		die("userspace ring: records lost", -EIO);
	return t0;
}

/* The read() buffer: 64 KiB, whole records. */
static uint64_t big[65536 / 8];

struct result {
	const char *name;
	uint64_t records, ns;
};

static double rate(const struct result *r)
{
	return r->ns ? r->records * 1e9 / r->ns : 0;
}

struct bench {
	struct cti_ring ring;
	struct cti_sim sim;
	int fd;
	unsigned int fills, per_fill;
	uint64_t seqsum, expect_seqsum, seq, ovf;
	struct result res[3];
	double stream_rate;	/* the kernel ring, streaming */
};

/* (a), (b), (c): fill, then time the drain, @b->fills times each. */
static int run_methods(struct bench *b)
{
	unsigned int i, m;

	for (m = 0; m < 3; m++) {
		for (i = 0; i < b->fills; i++) {
			uint64_t t0, t1, n;

			fill(&b->sim, b->per_fill);
			t0 = cti_now_ns();
			if (m == 0)
				n = drain_ring(&b->ring, &b->seqsum, &b->ovf);
			else
				n = drain_read(b->fd, big, m == 1 ? REC_SIZE :
					       sizeof(big), &b->seqsum);
			t1 = cti_now_ns();
			if (n != b->per_fill) {
				fprintf(stderr, "ring_bench: %s drained %llu of %u records\n",
					b->res[m].name, (unsigned long long)n,
					b->per_fill);
				return 1;
			}
			/* The seqs are 1, 2, 3... in this file. */
			b->expect_seqsum += n * b->seq + n * (n + 1) / 2;
			b->seq += n;
			b->res[m].records += n;
			b->res[m].ns += t1 - t0;
		}
	}
	if (cti_ring_overflow(&b->ring) || b->seqsum != b->expect_seqsum) {
		fprintf(stderr, "ring_bench: records lost or out of order (overflow %llu)\n",
			(unsigned long long)cti_ring_overflow(&b->ring));
		return 1;
	}
	for (m = 0; m < 3; m++)
		printf("  %-24s %12.0f records/s  (%llu records in %.3f ms)\n",
		       b->res[m].name, rate(&b->res[m]),
		       (unsigned long long)b->res[m].records,
		       b->res[m].ns / 1e6);
	printf("  ratio ring/read1 = %.1f\n", rate(&b->res[0]) / rate(&b->res[1]));
	printf("  ratio ring/readN = %.1f\n", rate(&b->res[0]) / rate(&b->res[2]));
	printf("  goal ring >= 10 x read1: %s\n",
	       rate(&b->res[0]) >= 10 * rate(&b->res[1]) ? "met" : "NOT met");
	return 0;
}

/* Streaming: a long flood drained from the ring while it runs. */
static int run_stream(struct bench *b)
{
	unsigned int n = 50 * b->per_fill, idle = 0;
	uint64_t got = 0, lost0 = cti_ring_overflow(&b->ring), t0, t1;
	uint64_t left = 1, ovf0 = b->ovf, lost;
	int ret;

	t0 = cti_now_ns();
	ret = cti_sim_ctl(&b->sim, "flood", "%u", n);
	if (ret)
		die("write flood", ret);
	/* Ask the sim (a slow configfs read) only when idle a while. */
	while (left) {
		uint64_t k = drain_ring(&b->ring, &b->seqsum, &b->ovf);

		got += k;
		if (k || ++idle % 256)
			continue;
		if (cti_sim_ctl_read_u64(&b->sim, "flood", &left))
			break;
	}
	got += drain_ring(&b->ring, &b->seqsum, &b->ovf);
	t1 = cti_now_ns();
	lost = cti_ring_overflow(&b->ring) - lost0;
	b->stream_rate = got * 1e9 / (t1 - t0);
	printf("  streaming: %u flooded, %llu drained from the ring, %llu lost (%llu OVERFLOW records), %.0f records/s\n",
	       n, (unsigned long long)got, (unsigned long long)lost,
	       (unsigned long long)(b->ovf - ovf0), b->stream_rate);
	/* Every flooded record was either drained or counted lost. */
	if (left || got + lost != n) {
		fprintf(stderr, "ring_bench: streaming: %llu drained + %llu lost != %u flooded\n",
			(unsigned long long)got, (unsigned long long)lost, n);
		return 1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static struct spsc *spsc_new(const struct bench *b)
{
	struct spsc *q = aligned_alloc(64, sizeof(*q));

	if (!q)
		die("malloc", -ENOMEM);
	memset(q, 0, sizeof(*q));
	q->mask = b->ring.info.ring_size - 1;
	q->data = aligned_alloc(64, b->ring.info.ring_size);
	if (!q->data)
		die("malloc", -ENOMEM);
	return q;
}

/*
 * (d) the userspace SPSC ring: fill-then-drain, then STREAMS streams
 * interleaved with the kernel ring's (run_stream()).
 */
static int run_spsc(struct bench *b)
{
	struct spsc *q = spsc_new(b);
	uint64_t n = b->per_fill, drain_ns = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	double drain_rate, kr[STREAMS], ur[STREAMS], ratio[STREAMS], ratio_med;
	unsigned int i;

	/* the consumer on CPU 0, the producer on CPU 1, if there are two */
	q->cpu = cpus > 1 ? 1 : -1;
	pin(cpus > 1 ? 0 : -1);
	for (i = 0; i < b->fills; i++)
		drain_ns += spsc_run(q, n, false);
	drain_rate = (double)n * b->fills * 1e9 / (double)drain_ns;
	for (i = 0; i < STREAMS; i++) {
		if (run_stream(b))
			goto out;
		kr[i] = b->stream_rate;
		ur[i] = 50.0 * (double)n * 1e9 / (double)spsc_run(q, 50 * n, true);
		ratio[i] = kr[i] / ur[i];
	}
	/* sorted in place: [0] and [STREAMS - 1] are the extremes after */
	ratio_med = median(ratio, STREAMS);
	printf("  userspace SPSC ring (bound), producer thread on %s:\n"
	       "    batch drain %12.0f records/s; streaming %12.0f records/s (median of %d)\n",
	       cpus > 1 ? "CPU 1, consumer on CPU 0" :
	       "the same CPU (1 CPU online: the streaming bound is the scheduler's)",
	       drain_rate, median(ur, STREAMS), STREAMS);
	printf("  kernel ring streaming %12.0f records/s (median of %d)\n",
	       median(kr, STREAMS), STREAMS);
	printf("  ratio kernel/userspace: batch drain %.2f, streaming %.2f "
	       "(median of %d pairs, %.2f-%.2f)\n",
	       rate(&b->res[0]) / drain_rate, ratio_med, STREAMS,
	       ratio[0], ratio[STREAMS - 1]);
	printf("  goal kernel ring >= 0.5 x userspace SPSC ring (streaming): %s\n",
	       ratio_med >= 0.5 ? "met" : "NOT met");
out:
	free(q->data);
	free(q);
	return i < STREAMS;
}

int main(int argc, char **argv)
{
	static struct bench b = {
		.res = {
			{ .name = "mmap ring, batch drain" },
			{ .name = "read(), 1 record/call" },
			{ .name = "read(), 64 KiB buffer" },
		},
	};
	int ret;

	b.fills = argc > 1 ? atoi(argv[1]) : 100;
	ret = cti_sim_create(&b.sim, 1, 0, NULL);
	if (ret)
		die("create sim card (are cti.ko and cti_sim.ko loaded?)", ret);
	/* A non-blocking file so that read() says EAGAIN when drained. */
	b.fd = cti_sim_open(&b.sim, O_RDWR | O_NONBLOCK);
	if (b.fd < 0)
		die("open", b.fd);
	ret = cti_ring_map(b.fd, &b.ring);
	if (ret)
		die("mmap", ret);
	/* Two records' room spare: the ring must never overflow here. */
	b.per_fill = b.ring.info.ring_size / REC_SIZE - 2;
	printf("ring_bench: ring %u bytes, %u records of %zu bytes per fill, %u fills per method\n",
	       b.ring.info.ring_size, b.per_fill, REC_SIZE, b.fills);
	printf("  (emulation inflates system calls: here one costs microseconds,\n"
	       "   so read() figures are lower, and ring/read ratios higher,\n"
	       "   than on hardware; the ring and the SPSC bound make none)\n");
	if (run_methods(&b) || run_spsc(&b))
		return 1;
	cti_ring_unmap(&b.ring);
	close(b.fd);
	cti_sim_destroy(&b.sim);
	return 0;
}
