// SPDX-License-Identifier: GPL-2.0
/*
 * ring: the per-file event ring
 *
 * Ordering and gap-free sequence numbers, the OVERFLOW record under the
 * flood generator, several openers, read() and mmap on one file, poll
 * wakeups, a bad head written by userspace, the snapshot after an
 * overflow, the event filter, read() with a short buffer, and link
 * frames wrapping the ring with PAD records down to 8 bytes.
 *
 * The flood generator (the sim's "flood" control) posts DIGITS records
 * on line 0 carrying their index as 4 little-endian bytes, so a reader
 * can tell exactly which records it got and which were lost.
 */
#include <pthread.h>

#include "cti_test.h"
#include "kselftest_harness.h"

#define WAIT_MS		20000

/* The flood index carried by a DIGITS record. */
static uint32_t flood_index(const struct cti_event *ev)
{
	const struct cti_ev_digits *d = (const void *)ev;
	uint32_t idx;

	memcpy(&idx, d->digits, 4);
	return idx;	/* the guest is x86: little-endian */
}

/* Start a flood of @n records and wait until the sim has posted them. */
static int flood(struct cti_sim *sim, unsigned int n)
{
	int64_t end = cti_now_ms() + WAIT_MS;
	uint64_t left;
	int ret;

	ret = cti_sim_ctl(sim, "flood", "%u", n);
	if (ret)
		return ret;
	do {
		ret = cti_sim_ctl_read_u64(sim, "flood", &left);
		if (ret)
			return ret;
		if (!left)
			return 0;
		cti_sleep_ms(2);
	} while (cti_now_ms() < end);
	return -ETIMEDOUT;
}

/* Records of DIGITS size that fit in the ring of @fd. */
static unsigned int ring_capacity(int fd)
{
	struct cti_ring_info ri;

	if (cti_ring_get_info(fd, &ri))
		return 0;
	return ri.ring_size / sizeof(struct cti_ev_digits);
}

/**
 * struct tally - what a reader saw of a flood
 * @digits: DIGITS records
 * @overflows: OVERFLOW records
 * @lost: their total count of lost records
 * @others: records of other types
 * @types: records per type
 * @ovf_at: DIGITS records seen before the last OVERFLOW
 * @last_seq: the seq of the last record
 * @last_ts: the timestamp of the last record
 * @next_idx: the flood index expected next, once @synced
 * @synced: @next_idx is known (clear it when a new flood starts, as the
 *	sim may number each flood from 0)
 * @noidx: do not check flood indices (several floods back to back)
 * @one_flood: the records after an OVERFLOW continue the same flood
 * @err: the first inconsistency, as text
 * @err_got: for an index out of order: the index seen
 * @err_want: the index expected
 * @err_at: the DIGITS records before it
 */
struct tally {
	uint64_t digits, overflows, lost, others, ovf_at, last_seq, last_ts;
	uint64_t types[CTI_EV_MAX + 1];
	uint32_t next_idx;
	bool synced, noidx, one_flood;
	const char *err;
	uint32_t err_got, err_want, err_at;
};

/*
 * Check one record against the flood's rules: seq one more than the last,
 * timestamps monotonic, DIGITS indices consecutive except right after an
 * OVERFLOW, which skips exactly the lost ones.
 */
static void tally_add(struct tally *t, const struct cti_event *ev)
{
	if (ev->seq != t->last_seq + 1 && !t->err)
		t->err = "sequence gap";
	t->last_seq = ev->seq;
	if (ev->timestamp_ns < t->last_ts && !t->err)
		t->err = "timestamp went back";
	t->last_ts = ev->timestamp_ns;

	switch (ev->type) {
	case CTI_EV_DIGITS:
		if (ev->line != 0 || ev->size != sizeof(struct cti_ev_digits) ||
		    ((const struct cti_ev_digits *)ev)->count != 4 ||
		    ((const struct cti_ev_digits *)ev)->call != CTI_CALL_NONE) {
			if (!t->err)
				t->err = "malformed DIGITS";
		}
		if (t->synced && !t->noidx && flood_index(ev) != t->next_idx &&
		    !t->err) {
			t->err = "flood index out of order";
			t->err_got = flood_index(ev);
			t->err_want = t->next_idx;
			t->err_at = t->digits;
		}
		t->synced = true;
		t->next_idx = flood_index(ev) + 1;
		t->digits++;
		break;
	case CTI_EV_OVERFLOW:
		if (ev->line != CTI_LINE_NONE && !t->err)
			t->err = "OVERFLOW not card-wide";
		if (!((const struct cti_ev_overflow *)ev)->lost && !t->err)
			t->err = "OVERFLOW of nothing";
		t->overflows++;
		t->ovf_at = t->digits;
		t->lost += ((const struct cti_ev_overflow *)ev)->lost;
		/*
		 * Within one flood the next record skips exactly the lost
		 * ones; otherwise it may belong to a new flood.
		 */
		if (t->one_flood)
			t->next_idx += ((const struct cti_ev_overflow *)ev)->lost;
		else
			t->synced = false;
		break;
	default:
		t->others++;
		break;
	}
	t->types[ev->type < CTI_EV_MAX ? ev->type : CTI_EV_MAX]++;
}

/* The tally has seen nothing wrong. */
#define ASSERT_TALLY_OK(t)						\
	ASSERT_EQ(NULL, (t).err)					\
		TH_LOG("%s (index %u, not %u, after %u records)", (t).err, \
		       (t).err_got, (t).err_want, (t).err_at)

/* Read every record until the ring stays empty for @quiet_ms. */
static int tally_drain(struct cti_stream *st, struct tally *t, int quiet_ms)
{
	const struct cti_event *ev;
	int ret;

	for (;;) {
		ret = cti_stream_next(st, &ev, quiet_ms);
		if (ret <= 0)
			return ret;
		tally_add(t, ev);
	}
}

FIXTURE(ring) {
	struct cti_sim sim;
	struct cti_ring ring;
	struct cti_stream st;
	unsigned int cap;
};

FIXTURE_VARIANT(ring) {
	bool mmap;
};

FIXTURE_VARIANT_ADD(ring, read) { .mmap = false };
FIXTURE_VARIANT_ADD(ring, mmap) { .mmap = true };

FIXTURE_SETUP(ring)
{
	ASSERT_EQ(0, cti_sim_create(&self->sim, 4, 0, NULL));
	/* Mapped in both variants: the overflow word is read from it. */
	ASSERT_EQ(0, cti_ring_map(self->sim.fd, &self->ring));
	cti_stream_init(&self->st, self->sim.fd,
			variant->mmap ? &self->ring : NULL);
	self->cap = ring_capacity(self->sim.fd);
	ASSERT_LE(16, self->cap);
}

FIXTURE_TEARDOWN(ring)
{
	cti_ring_unmap(&self->ring);
	cti_sim_destroy(&self->sim);
}

TEST_F_TIMEOUT(ring, order_and_seq, 120)
{
	unsigned int n = self->cap / 2;
	struct tally t = { 0 };

	ASSERT_EQ(0, flood(&self->sim, n));
	ASSERT_EQ(0, tally_drain(&self->st, &t, 300));
	ASSERT_TALLY_OK(t);
	ASSERT_EQ(n, t.digits);
	ASSERT_EQ(0, t.overflows);
	ASSERT_EQ(0, t.others);
	ASSERT_EQ(n, t.last_seq);	/* the first record is seq 1 */
	ASSERT_EQ(0, cti_ring_overflow(&self->ring));

	/* A second flood continues the same sequence. */
	ASSERT_EQ(0, flood(&self->sim, 10));
	t.synced = false;
	ASSERT_EQ(0, tally_drain(&self->st, &t, 300));
	ASSERT_TALLY_OK(t);
	ASSERT_EQ(n + 10, t.last_seq);
}

/*
 * "N dtmf": the same flood as call 1 with the index modulo 65536 as four
 * DTMF symbols, one hex digit each (what ctid's wire carries); any other
 * word after N is EINVAL.
 */
TEST_F_TIMEOUT(ring, flood_dtmf, 120)
{
	static const char *const want[] = { "0000", "0001", "0002" };
	const struct cti_event *ev;
	const struct cti_ev_digits *d;

	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "flood", "3 binary"));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "flood", "3 dtmfx"));
	EXPECT_EQ(-EINVAL, cti_sim_ctl(&self->sim, "flood", "0 dtmf"));
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "flood", "3 dtmf"));
	for (int i = 0; i < 3; i++) {
		ASSERT_LT(0, cti_stream_next(&self->st, &ev, WAIT_MS));
		ASSERT_EQ(CTI_EV_DIGITS, ev->type);
		d = (const void *)ev;
		EXPECT_EQ(1, d->call);
		ASSERT_EQ(4, d->count);
		EXPECT_EQ(0, memcmp(d->digits, want[i], 4))
			TH_LOG("record %d: '%.4s'", i, d->digits);
	}
	/* past 9 the symbols are * # A B C D: 0xab, 0xcd, 0xef */
	ASSERT_LE(0xf0, self->cap / 2);
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "flood", "%u dtmf", 0xf0));
	for (unsigned int i = 0; i < 0xf0; i++) {
		ASSERT_LT(0, cti_stream_next(&self->st, &ev, WAIT_MS));
		ASSERT_EQ(CTI_EV_DIGITS, ev->type);
		d = (const void *)ev;
		if (i == 0xab || i == 0xcd || i == 0xef)
			EXPECT_EQ(0, memcmp(d->digits, i == 0xab ? "00*#" :
					    i == 0xcd ? "00AB" : "00CD", 4))
				TH_LOG("record %#x: '%.4s'", i, d->digits);
	}
}

TEST_F_TIMEOUT(ring, overflow, 120)
{
	unsigned int n = 3 * self->cap + 17;
	struct tally t = { 0 };
	uint64_t kept;

	/* Nobody drains: all but about a ring's worth are lost. */
	ASSERT_EQ(0, flood(&self->sim, n));
	ASSERT_LT(0, cti_ring_overflow(&self->ring));
	ASSERT_EQ(0, tally_drain(&self->st, &t, 200));
	ASSERT_TALLY_OK(t);
	kept = t.digits;
	ASSERT_LT(0, kept);
	ASSERT_GE(self->cap, kept);
	/*
	 * The loss is reported as soon as the drain makes room (see
	 * overflow_on_drain); one more record must come after it.
	 */
	ASSERT_EQ(0, flood(&self->sim, 1));
	ASSERT_EQ(0, tally_drain(&self->st, &t, 300));
	ASSERT_TALLY_OK(t);

	/* Exactly one OVERFLOW, after the kept records, before the new one. */
	ASSERT_EQ(1, t.overflows);
	ASSERT_EQ(kept, t.ovf_at);
	ASSERT_EQ(kept + 1, t.digits);
	ASSERT_EQ(n, kept + t.lost);
	ASSERT_EQ(n + 1, t.digits + t.lost)
		TH_LOG("digits %llu lost %llu", (unsigned long long)t.digits,
		       (unsigned long long)t.lost);
	ASSERT_LE(n - self->cap, t.lost);
	ASSERT_EQ(t.lost, cti_ring_overflow(&self->ring));
	ASSERT_EQ(t.digits + t.overflows, t.last_seq);
	ASSERT_EQ(0, t.others);

	/* A second overflow is counted apart, the total word adds up. */
	t.synced = false;
	ASSERT_EQ(0, flood(&self->sim, 2 * self->cap));
	ASSERT_EQ(0, tally_drain(&self->st, &t, 200));
	ASSERT_EQ(0, flood(&self->sim, 1));
	ASSERT_EQ(0, tally_drain(&self->st, &t, 300));
	ASSERT_TALLY_OK(t);
	ASSERT_EQ(2, t.overflows);
	ASSERT_EQ(n + 1 + 2 * self->cap + 1, t.digits + t.lost);
	ASSERT_EQ(t.lost, cti_ring_overflow(&self->ring));
}

/*
 * The loss is reported as soon as the reader makes room, with no further
 * event: read() writes the OVERFLOW record once it has consumed, poll()
 * once an mmap reader has moved its head.
 */
TEST_F_TIMEOUT(ring, overflow_on_drain, 120)
{
	unsigned int n = 2 * self->cap + 5;
	struct tally t = { 0 };

	ASSERT_EQ(0, flood(&self->sim, n));
	ASSERT_LT(0, cti_ring_overflow(&self->ring));
	t.one_flood = true;
	ASSERT_EQ(0, tally_drain(&self->st, &t, 300));
	ASSERT_TALLY_OK(t);

	ASSERT_EQ(1, t.overflows);
	ASSERT_EQ(t.digits, t.ovf_at);	/* after every kept record */
	ASSERT_LT(0, t.digits);
	ASSERT_GE(self->cap, t.digits);
	ASSERT_EQ(n, t.digits + t.lost)
		TH_LOG("digits %llu lost %llu", (unsigned long long)t.digits,
		       (unsigned long long)t.lost);
	ASSERT_EQ(t.lost, cti_ring_overflow(&self->ring));
	ASSERT_EQ(t.digits + 1, t.last_seq);
	ASSERT_EQ(0, t.others);

	/* Drained and reported: nothing more comes. */
	ASSERT_EQ(0, tally_drain(&self->st, &t, 100));
	ASSERT_EQ(1, t.overflows);
}

/*
 * A reader drains while a flood much larger than the ring runs: it loses
 * some, and every loss must be accounted for where it happened.
 */
struct drainer {
	struct cti_stream *st;
	struct tally *t;
	volatile bool stop;
	int ret;
};

static void *drain_fn(void *arg)
{
	struct drainer *d = arg;
	const struct cti_event *ev;
	int ret;

	while (!d->stop) {
		ret = cti_stream_next(d->st, &ev, 20);
		if (ret < 0) {
			d->ret = ret;
			break;
		}
		if (ret)
			tally_add(d->t, ev);
	}
	return NULL;
}

TEST_F_TIMEOUT(ring, overflow_while_draining, 300)
{
	unsigned int n = 30 * self->cap;
	struct drainer d = { .st = &self->st };
	struct tally t = { .one_flood = true };
	pthread_t thr;

	d.t = &t;
	ASSERT_EQ(0, pthread_create(&thr, NULL, drain_fn, &d));
	ASSERT_EQ(0, flood(&self->sim, n));
	cti_sleep_ms(300);		/* the reader empties the ring */
	d.stop = true;
	ASSERT_EQ(0, pthread_join(thr, NULL));
	ASSERT_EQ(0, d.ret);
	ASSERT_TALLY_OK(t);

	/* The last loss, if any is pending, comes with the next record. */
	t.one_flood = false;
	t.synced = false;
	ASSERT_EQ(0, flood(&self->sim, 1));
	ASSERT_EQ(0, tally_drain(&self->st, &t, 300));
	ASSERT_TALLY_OK(t);
	TH_LOG("%u flooded: %llu read, %llu lost in %llu OVERFLOW records", n,
	       (unsigned long long)t.digits, (unsigned long long)t.lost,
	       (unsigned long long)t.overflows);
	ASSERT_EQ(n + 1, t.digits + t.lost);
	ASSERT_EQ(t.lost, cti_ring_overflow(&self->ring));
	ASSERT_EQ(t.digits + t.overflows, t.last_seq);
	ASSERT_EQ(0, t.others);
}

FIXTURE(card) {
	struct cti_sim sim;
};

FIXTURE_SETUP(card)
{
	ASSERT_EQ(0, cti_sim_create(&self->sim, 4, 0, NULL));
}

FIXTURE_TEARDOWN(card)
{
	cti_sim_destroy(&self->sim);
}

TEST_F_TIMEOUT(card, several_openers, 120)
{
	unsigned int n = ring_capacity(self->sim.fd) / 2, i;
	struct cti_stream st[4];
	struct tally t;
	int fd[4];

	fd[0] = self->sim.fd;
	for (i = 1; i < 4; i++) {
		fd[i] = cti_sim_open(&self->sim, i == 3 ? O_RDONLY : O_RDWR);
		ASSERT_LE(0, fd[i]);
	}
	for (i = 0; i < 4; i++)
		cti_stream_init(&st[i], fd[i], NULL);
	ASSERT_EQ(0, flood(&self->sim, n));
	for (i = 0; i < 4; i++) {
		memset(&t, 0, sizeof(t));
		ASSERT_EQ(0, tally_drain(&st[i], &t, 200));
		ASSERT_EQ(NULL, t.err) TH_LOG("opener %u: %s", i, t.err);
		ASSERT_EQ(n, t.digits);
		ASSERT_EQ(n, t.last_seq);
		ASSERT_EQ(0, t.overflows);
	}
	/* A file opened later starts at seq 1 with what follows. */
	for (i = 1; i < 4; i++)
		close(fd[i]);
	fd[1] = cti_sim_open(&self->sim, O_RDWR);
	ASSERT_LE(0, fd[1]);
	cti_stream_init(&st[1], fd[1], NULL);
	ASSERT_EQ(0, flood(&self->sim, 5));
	memset(&t, 0, sizeof(t));
	ASSERT_EQ(0, tally_drain(&st[1], &t, 200));
	ASSERT_EQ(5, t.digits);
	ASSERT_EQ(5, t.last_seq);
	close(fd[1]);
}

TEST_F_TIMEOUT(card, read_and_mmap_same_file, 120)
{
	unsigned int n = 64, i;
	struct cti_ring ring;
	struct tally t = { 0 };
	const struct cti_event *ev;
	uint64_t buf[8];
	int err;

	ASSERT_EQ(0, cti_ring_map(self->sim.fd, &ring));
	ASSERT_EQ(0, flood(&self->sim, n));
	for (i = 0; i < n; i++) {
		if (i % 2) {
			ev = cti_ring_peek(&ring, &err);
			ASSERT_EQ(0, err);
			ASSERT_NE(NULL, ev);
			memcpy(buf, ev, sizeof(struct cti_ev_digits));
			cti_ring_advance(&ring, ev->size);
		} else {
			/* Exactly one record fits: read() takes just it. */
			ASSERT_EQ(sizeof(struct cti_ev_digits),
				  read(self->sim.fd, buf,
				       sizeof(struct cti_ev_digits)));
		}
		tally_add(&t, (const struct cti_event *)buf);
	}
	ASSERT_TALLY_OK(t);
	ASSERT_EQ(n, t.digits);
	/* Both consumed the ring: it is empty now for both. */
	ASSERT_EQ(NULL, cti_ring_peek(&ring, &err));
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, cti_poll(self->sim.fd, POLLIN, 50));
	cti_ring_unmap(&ring);
}

struct poster {
	struct cti_sim *sim;
	unsigned int delay_ms;
	int ret;
};

static void *post_later(void *arg)
{
	struct poster *p = arg;

	cti_sleep_ms(p->delay_ms);
	p->ret = cti_sim_ctl(p->sim, "flood", "1");
	return NULL;
}

TEST_F_TIMEOUT(card, poll_wakeup, 120)
{
	struct poster p = { .sim = &self->sim, .delay_ms = 200 };
	struct cti_ev_reply rep;
	struct cti_ev_call_state cs;
	struct cti_evlog log = { 0 };
	pthread_t thr;
	int64_t t0;
	int ret;

	/* Empty: poll times out, no spurious readiness. */
	ASSERT_EQ(0, cti_poll(self->sim.fd, POLLIN, 100));

	/* Woken by a record posted from another thread. */
	ASSERT_EQ(0, pthread_create(&thr, NULL, post_later, &p));
	t0 = cti_now_ms();
	ret = cti_poll(self->sim.fd, POLLIN, 10000);
	ASSERT_EQ(0, pthread_join(thr, NULL));
	ASSERT_EQ(0, p.ret);
	ASSERT_EQ(POLLIN, ret & POLLIN);
	ASSERT_EQ(0, ret & (POLLHUP | POLLERR));
	ASSERT_LE(150, cti_now_ms() - t0);
	ASSERT_EQ(1, cti_drain(&self->sim.st, NULL, 50));
	ASSERT_EQ(0, cti_poll(self->sim.fd, POLLIN, 0));

	/* Woken by the sim's timer: the far end answers 300 ms later. */
	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "5550 answer 300"));
	ASSERT_EQ(0, cti_submit_cmd(self->sim.fd, CTI_CMD_MAKE_CALL, 7, 0, 0,
				    0, 0, 0, "5550"));
	ASSERT_EQ(0, cti_wait_reply(&self->sim.st, 7, &rep, &log, 5000));
	ASSERT_EQ(0, rep.error);
	for (;;) {
		ret = cti_wait_event(&self->sim.st, CTI_EV_CALL_STATE, 0, &cs,
				     sizeof(cs), &log, 10000);
		ASSERT_EQ(0, ret);
		if (cs.call == rep.call && cs.state == CTI_CALL_CONNECTED)
			break;
	}
	cti_evlog_free(&log);
}

TEST_F_TIMEOUT(card, bad_head, 120)
{
	struct cti_ring ring;
	struct tally t = { 0 };
	uint32_t head, tail;
	uint64_t buf[8];
	const struct cti_event *ev;
	struct cti_stream st;
	int err;

	ASSERT_EQ(0, cti_ring_map(self->sim.fd, &ring));
	ASSERT_EQ(0, cti_ring_flags(&ring) & CTI_RING_F_BAD_HEAD);
	ASSERT_EQ(0, flood(&self->sim, 4));
	head = __atomic_load_n(ring.head, __ATOMIC_RELAXED);
	tail = __atomic_load_n(ring.tail, __ATOMIC_ACQUIRE);
	ASSERT_EQ(4 * sizeof(struct cti_ev_digits), tail - head);

	/*
	 * Past the tail: would free records the kernel has not written.
	 * (Far past it: a head just past the tail becomes valid once the
	 * tail has moved beyond it.)
	 */
	__atomic_store_n(ring.head, tail + 0x10000000, __ATOMIC_RELEASE);
	ASSERT_EQ(0, flood(&self->sim, 4));
	ASSERT_NE(0, cti_ring_flags(&ring) & CTI_RING_F_BAD_HEAD);
	/* Nothing was taken as consumed: all eight records are there. */
	ASSERT_EQ(8 * sizeof(struct cti_ev_digits),
		  __atomic_load_n(ring.tail, __ATOMIC_ACQUIRE) - head);

	/* Misaligned, and behind the kernel's last known head. */
	__atomic_store_n(ring.head, head + 4, __ATOMIC_RELEASE);
	ASSERT_EQ(0, flood(&self->sim, 1));
	__atomic_store_n(ring.head, head - 64, __ATOMIC_RELEASE);
	ASSERT_EQ(0, flood(&self->sim, 1));
	/* read() works from the kernel's own head, not the bad one. */
	__atomic_store_n(ring.head, head + 1000000, __ATOMIC_RELEASE);
	ASSERT_EQ(sizeof(struct cti_ev_digits),
		  read(self->sim.fd, buf, sizeof(struct cti_ev_digits)));
	tally_add(&t, (const struct cti_event *)buf);

	/* Repair the head: the rest drains intact and in order. */
	__atomic_store_n(ring.head, head + sizeof(struct cti_ev_digits),
			 __ATOMIC_RELEASE);
	cti_stream_init(&st, self->sim.fd, &ring);
	t.noidx = true;		/* four floods, each may count from 0 */
	ASSERT_EQ(0, tally_drain(&st, &t, 200));
	ASSERT_TALLY_OK(t);
	ASSERT_EQ(10, t.digits);
	ASSERT_EQ(10, t.last_seq);
	ASSERT_EQ(0, t.overflows);
	ev = cti_ring_peek(&ring, &err);
	ASSERT_EQ(NULL, ev);
	ASSERT_EQ(0, err);
	cti_ring_unmap(&ring);
}

/* A call as the events described it. */
struct call_rec {
	uint32_t call, line, state;
};

static struct call_rec *find_call(struct call_rec *c, unsigned int n,
				  uint32_t call)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (c[i].call == call)
			return &c[i];
	return NULL;
}

TEST_F_TIMEOUT(card, snapshot_after_overflow, 120)
{
	struct cti_line_snapshot lines[4];
	struct cti_call_snapshot calls[32];
	struct call_rec seen[32];
	unsigned int nseen = 0, i, j, connected = 0, live = 0;
	struct cti_stream st;
	uint64_t last = 0;
	struct cti_evlog log = { 0 };
	const struct cti_event *ev;
	struct cti_stream watch;
	struct cti_snapshot snap;
	struct cti_ev_reply rep;
	struct cti_ring ring;
	int fd2, ret;

	/* A second file sees every call event (no DIGITS), never overflows. */
	fd2 = cti_sim_open(&self->sim, O_RDWR);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, cti_set_filter(fd2, CTI_EV_ALL & ~(1ull << CTI_EV_DIGITS),
				    NULL, 0));
	cti_stream_init(&watch, fd2, NULL);
	ASSERT_EQ(0, cti_ring_map(self->sim.fd, &ring));

	/* An internal call 100 -> 101, and two outside calls that connect. */
	ASSERT_EQ(0, cti_sim_write(&self->sim, "far_end", "5551 answer 0"));
	ASSERT_EQ(0, cti_submit_cmd(self->sim.fd, CTI_CMD_MAKE_CALL, 1, 0, 0,
				    0, 0, 0, "101"));
	ASSERT_EQ(0, cti_wait_reply(&self->sim.st, 1, &rep, NULL, 5000));
	ASSERT_EQ(0, rep.error);
	ASSERT_EQ(0, cti_submit_cmd(self->sim.fd, CTI_CMD_MAKE_CALL, 2, 2, 0,
				    0, 0, 0, "5551"));
	ASSERT_EQ(0, cti_wait_reply(&self->sim.st, 2, &rep, NULL, 5000));
	ASSERT_EQ(0, rep.error);
	ASSERT_EQ(0, cti_submit_cmd(self->sim.fd, CTI_CMD_MAKE_CALL, 3, 3, 0,
				    0, 0, 0, "5551"));
	ASSERT_EQ(0, cti_wait_reply(&self->sim.st, 3, &rep, NULL, 5000));
	ASSERT_EQ(0, rep.error);

	/* Follow the calls on the watcher until both outside calls talk. */
	while (connected < 2) {
		const struct cti_ev_call_state *cs;
		struct call_rec *c;

		ret = cti_stream_next(&watch, &ev, 10000);
		ASSERT_LT(0, ret);
		if (ev->type != CTI_EV_CALL_STATE)
			continue;
		cs = (const void *)ev;
		c = find_call(seen, nseen, cs->call);
		if (!c) {
			ASSERT_GT(32, nseen);
			c = &seen[nseen++];
			c->call = cs->call;
		}
		c->line = ev->line;
		c->state = cs->state;
		if (cs->state == CTI_CALL_CONNECTED && ev->line >= 2)
			connected++;
	}

	/* Overflow the first file. */
	ASSERT_EQ(0, flood(&self->sim, 2 * ring_capacity(self->sim.fd) + 5));
	ASSERT_LT(0, cti_ring_overflow(&ring));

	/* Whatever else the watcher has, fold it in. */
	for (;;) {
		const struct cti_ev_call_state *cs;
		struct call_rec *c;

		ret = cti_stream_next(&watch, &ev, 300);
		ASSERT_LE(0, ret);
		if (!ret)
			break;
		if (ev->type != CTI_EV_CALL_STATE)
			continue;
		cs = (const void *)ev;
		c = find_call(seen, nseen, cs->call);
		if (!c) {
			ASSERT_GT(32, nseen);
			c = &seen[nseen++];
			c->call = cs->call;
		}
		c->line = ev->line;
		c->state = cs->state;
	}

	memset(&snap, 0, sizeof(snap));
	snap.size = sizeof(snap);
	snap.num_lines = 4;
	snap.lines = (uintptr_t)lines;
	snap.num_calls = 32;
	snap.calls = (uintptr_t)calls;
	ASSERT_EQ(0, cti_ioctl(self->sim.fd, CTI_IOC_SNAPSHOT, &snap));
	ASSERT_EQ(4, snap.num_lines);

	/* Every live call the events described is in the snapshot, as is. */
	for (i = 0; i < nseen; i++) {
		if (seen[i].state == CTI_CALL_IDLE)
			continue;
		live++;
		for (j = 0; j < snap.num_calls; j++)
			if (calls[j].call == seen[i].call)
				break;
		ASSERT_GT(snap.num_calls, j)
			TH_LOG("call %u missing", seen[i].call);
		EXPECT_EQ(seen[i].line, calls[j].line);
		EXPECT_EQ(seen[i].state, calls[j].state);
	}
	ASSERT_EQ(live, snap.num_calls);
	ASSERT_LE(4, live);	/* 100, 101 ringing; 102, 103 talking */
	for (i = 0; i < snap.num_calls; i++) {
		if (calls[i].line >= 2) {
			ASSERT_EQ(CTI_CALL_CONNECTED, calls[i].state);
			ASSERT_STREQ("5551", calls[i].called);
			ASSERT_EQ(CTI_ORIGIN_OUTBOUND, calls[i].origin);
		}
		if (calls[i].line == 1) {
			ASSERT_EQ(CTI_CALL_OFFERING, calls[i].state);
			ASSERT_STREQ("100", calls[i].caller);
		}
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(i, lines[i].line);
		ASSERT_EQ(CTI_LINE_IN_SERVICE, lines[i].status);
		ASSERT_EQ(1, lines[i].num_calls);
	}

	/*
	 * seq: the last record written before the snapshot, nothing newer.
	 * An OVERFLOW written as room returned is newer than the snapshot;
	 * every other record is older.
	 */
	cti_stream_init(&st, self->sim.fd, &ring);
	while ((ret = cti_stream_next(&st, &ev, 200)) > 0)
		if (ev->type != CTI_EV_OVERFLOW)
			last = ev->seq;
	ASSERT_EQ(0, ret);
	ASSERT_EQ(last, snap.seq);
	cti_evlog_free(&log);
	cti_ring_unmap(&ring);
	close(fd2);
}

TEST_F_TIMEOUT(card, filter_by_type, 120)
{
	struct cti_stream st2;
	struct tally t1 = { 0 };
	const struct cti_event *ev;
	unsigned int links = 0;
	int fd2, ret;

	fd2 = cti_sim_open(&self->sim, O_RDWR);
	ASSERT_LE(0, fd2);
	cti_stream_init(&st2, fd2, NULL);
	ASSERT_EQ(0, cti_set_filter(fd2, 1ull << CTI_EV_LINK_STATE, NULL, 0));

	ASSERT_EQ(0, flood(&self->sim, 10));
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "link", "down"));
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "link", "up"));

	/* The unfiltered file has it all. */
	ASSERT_EQ(0, tally_drain(&self->sim.st, &t1, 300));
	ASSERT_TALLY_OK(t1);
	ASSERT_EQ(10, t1.digits);
	ASSERT_EQ(2, t1.types[CTI_EV_LINK_STATE]);

	/* The filtered one only the link changes, seq still gap-free. */
	while ((ret = cti_stream_next(&st2, &ev, 300)) > 0) {
		ASSERT_EQ(CTI_EV_LINK_STATE, ev->type);
		ASSERT_EQ(CTI_LINE_NONE, ev->line);
		links++;
		ASSERT_EQ(links, ev->seq);
		ASSERT_EQ(links == 1 ? CTI_LINK_DOWN : CTI_LINK_UP,
			  ((const struct cti_ev_link_state *)ev)->state);
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(2, links);

	/* REPLY is always delivered, whatever the filter. */
	ASSERT_EQ(0, cti_set_filter(fd2, 0, NULL, 0));
	ASSERT_EQ(0, cti_submit_cmd(fd2, CTI_CMD_SET_DND, 9, 1, 0, 0, 1, 0,
				    NULL));
	ASSERT_EQ(0, cti_wait_reply(&st2, 9, NULL, NULL, 5000));
	close(fd2);
}

TEST_F_TIMEOUT(card, filter_by_line, 120)
{
	uint64_t only1 = 1ull << 1, only0 = 1ull << 0;
	struct cti_stream st2;
	struct tally t = { 0 };
	int fd2;

	fd2 = cti_sim_open(&self->sim, O_RDWR);
	ASSERT_LE(0, fd2);
	cti_stream_init(&st2, fd2, NULL);

	/* Line 1 only: the flood (line 0) is not delivered... */
	ASSERT_EQ(0, cti_set_filter(fd2, CTI_EV_ALL, &only1, 64));
	ASSERT_EQ(0, flood(&self->sim, 10));
	/* ... but card-wide records are. */
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "link", "down"));
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "link", "up"));
	ASSERT_EQ(0, tally_drain(&st2, &t, 300));
	ASSERT_TALLY_OK(t);
	ASSERT_EQ(0, t.digits);
	ASSERT_EQ(2, t.types[CTI_EV_LINK_STATE]);

	/* Line 0: the flood arrives. */
	ASSERT_EQ(0, cti_set_filter(fd2, CTI_EV_ALL, &only0, 64));
	ASSERT_EQ(0, flood(&self->sim, 10));
	t.synced = false;
	ASSERT_EQ(0, tally_drain(&st2, &t, 300));
	ASSERT_TALLY_OK(t);
	ASSERT_EQ(10, t.digits);

	/* Back to everything. */
	ASSERT_EQ(0, cti_set_filter(fd2, CTI_EV_ALL, NULL, 0));
	ASSERT_EQ(0, flood(&self->sim, 3));
	t.synced = false;
	ASSERT_EQ(0, tally_drain(&st2, &t, 300));
	ASSERT_EQ(13, t.digits);
	close(fd2);
}

/*
 * Link frames of every length wrap the ring many times; every other wrap
 * the frame lengths are chosen so that exactly 0, 8, 16, 24 or 32 bytes
 * are left at the end of the data area, shorter than any record, so the
 * PAD that fills them is as short as the ABI allows (or, for 0, there is
 * none). Both readers must skip the PADs and hand out every frame intact,
 * in order, with gap-free seq; the end of the data area, walked record by
 * record after each wrap, must end in a PAD reaching exactly to its end.
 */
FIXTURE(link) {
	struct cti_sim sim;
	struct cti_ring ring;
	struct cti_stream st;
};

FIXTURE_VARIANT(link) {
	bool mmap;
};

FIXTURE_VARIANT_ADD(link, read) { .mmap = false };
FIXTURE_VARIANT_ADD(link, mmap) { .mmap = true };

FIXTURE_SETUP(link)
{
	ASSERT_EQ(0, cti_sim_create(&self->sim, 1, 0, "link"));
	ASSERT_EQ(0, cti_ring_map(self->sim.fd, &self->ring));
	cti_stream_init(&self->st, self->sim.fd,
			variant->mmap ? &self->ring : NULL);
}

FIXTURE_TEARDOWN(link)
{
	cti_ring_unmap(&self->ring);
	cti_sim_destroy(&self->sim);
}

#define LF_HDR		sizeof(struct cti_ev_link_frame)
#define LF_MIN		((LF_HDR + 1 + 7) / 8 * 8)	/* smallest frame */
#define LF_MAX		((LF_HDR + CTI_LINK_FRAME_MAX + 7) / 8 * 8)
#define REPLY_SIZE	sizeof(struct cti_ev_reply)
#define LINK_WRAPS	20

/*
 * Walk the records of a data area from @off to its end, as written by the
 * last wrap. Return: the size of the PAD that ends it, 0 if a record ends
 * exactly at the end, or -1 (and *@why) if the area is malformed.
 */
static int walk_to_end(const struct cti_ring *r, uint32_t off, int *why)
{
	uint32_t end = r->info.ring_size;

	while (off < end) {
		const uint8_t *p = r->data + off;
		uint16_t type, size;

		memcpy(&type, p, 2);
		memcpy(&size, p + 2, 2);
		if (size < 8 || size % 8 || size > end - off) {
			*why = 1;
			return -1;
		}
		if (type == CTI_EV_PAD) {
			/* A PAD is only ever the last thing in the area. */
			if (off + size != end) {
				*why = 2;
				return -1;
			}
			return size;
		}
		if ((type != CTI_EV_REPLY && type != CTI_EV_LINK_FRAME) ||
		    size < sizeof(struct cti_event)) {
			*why = 3;
			return -1;
		}
		off += size;
	}
	return 0;
}

TEST_F_TIMEOUT(link, frames_wrap_the_ring, 300)
{
	static const int gaps[] = { 0, 8, 16, 24, 32 };
	static uint8_t frame[CTI_LINK_FRAME_MAX];
	unsigned int pads[LF_MAX / 8 + 1] = { 0 };
	const uint32_t ring_size = self->ring.info.ring_size;
	const uint32_t mask = ring_size - 1;
	unsigned int i, k, len, wraps = 0, exact = 0;
	uint32_t rnd = 12345, tail0, tail;
	uint64_t seq = 0;
	struct cti_request req;

	ASSERT_LT(gaps[ARRAY_SIZE(gaps) - 1], LF_MIN);
	ASSERT_LT(gaps[ARRAY_SIZE(gaps) - 1], REPLY_SIZE);
	ASSERT_EQ(ring_size, *self->ring.mask + 1);
	for (i = 0; wraps < LINK_WRAPS; i++) {
		/* Even wraps aim at a short gap, odd ones take what comes. */
		int gap = wraps % 2 ? -1 : gaps[wraps / 2 % ARRAY_SIZE(gaps)];
		bool got_reply = false, got_frame = false;
		uint32_t pos, room, fsize;
		int64_t need;

		ASSERT_GT(200000, i) TH_LOG("%u wraps only", wraps);
		tail0 = __atomic_load_n(self->ring.tail, __ATOMIC_ACQUIRE);
		pos = tail0 & mask;
		room = ring_size - pos;

		rnd = rnd * 1103515245 + 12345;
		len = i < 64 ? i + 1 : 1 + (rnd >> 8) % CTI_LINK_FRAME_MAX;
		fsize = (LF_HDR + len + 7) / 8 * 8;
		/* What the frame record must take to leave @gap bytes. */
		need = (int64_t)room - REPLY_SIZE - gap;
		if (gap >= 0 && need >= LF_MIN && need <= LF_MAX) {
			fsize = need;
			len = fsize - LF_HDR - (rnd >> 4) % 8;
			if (len > CTI_LINK_FRAME_MAX)
				len = CTI_LINK_FRAME_MAX;
		} else if (gap >= 0 && need > LF_MAX &&
			   fsize > need - REPLY_SIZE - LF_MIN) {
			/* Not too close, so the next frame can still aim. */
			fsize = (need - REPLY_SIZE - LF_MIN) / 8 * 8;
			len = fsize - LF_HDR;
		}
		ASSERT_LE(1, len);
		ASSERT_GE(CTI_LINK_FRAME_MAX, len);
		for (k = 0; k < len; k++)
			frame[k] = i * 31 + k * 7 + (k >> 8);

		cti_req_init(&req, CTI_CMD_SEND_LINK_FRAME, i + 1, 0);
		req.data = (uintptr_t)frame;
		req.data_len = len;
		ASSERT_EQ(0, cti_submit(self->sim.fd, &req));

		/* The REPLY and the echo, in either order, nothing else. */
		while (!got_reply || !got_frame) {
			const struct cti_event *ev;
			int ret = cti_stream_next(&self->st, &ev, WAIT_MS);

			ASSERT_LT(0, ret) TH_LOG("frame %u: %d", i, ret);
			ASSERT_NE(CTI_EV_PAD, ev->type);
			if (seq)
				ASSERT_EQ(seq + 1, ev->seq);
			seq = ev->seq;
			if (ev->type == CTI_EV_REPLY) {
				const struct cti_ev_reply *rep =
					(const void *)ev;

				ASSERT_FALSE(got_reply);
				ASSERT_EQ(REPLY_SIZE, ev->size);
				ASSERT_EQ(i + 1, rep->id);
				ASSERT_EQ(0, rep->error);
				got_reply = true;
			} else {
				const struct cti_ev_link_frame *lf =
					(const void *)ev;

				ASSERT_EQ(CTI_EV_LINK_FRAME, ev->type);
				ASSERT_FALSE(got_frame);
				ASSERT_EQ(len, lf->len);
				ASSERT_EQ((LF_HDR + len + 7) / 8 * 8, ev->size);
				ASSERT_EQ(0, memcmp(lf->data, frame, len))
					TH_LOG("frame %u, %u bytes", i, len);
				got_frame = true;
			}
		}

		/* Did these two records reach or pass the end of the area? */
		tail = __atomic_load_n(self->ring.tail, __ATOMIC_ACQUIRE);
		if ((tail & ~mask) == (tail0 & ~mask)) {
			ASSERT_EQ(REPLY_SIZE + fsize, tail - tail0);
		} else {
			int why = 0, pad = walk_to_end(&self->ring, pos, &why);

			ASSERT_LE(0, pad) TH_LOG("wrap %u at %u: check %d",
						 wraps, pos, why);
			/* The PAD is all that came besides the two records. */
			ASSERT_EQ(REPLY_SIZE + fsize + pad, tail - tail0);
			if (pad)
				pads[pad / 8]++;
			else
				exact++;
			wraps++;
		}
	}
	TH_LOG("%u frames, %u wraps, %u without PAD, PADs of 8-32 bytes: %u %u %u %u",
	       i, wraps, exact, pads[1], pads[2], pads[3], pads[4]);
	/* Every aimed gap happened: the aim is checked, not assumed. */
	ASSERT_LE(1, exact);
	for (k = 1; k < ARRAY_SIZE(gaps); k++)
		ASSERT_LE(1, pads[gaps[k] / 8]) TH_LOG("no PAD of %d", gaps[k]);
	ASSERT_EQ(0, cti_ring_overflow(&self->ring));
	ASSERT_FALSE(cti_ring_flags(&self->ring) & CTI_RING_F_BAD_HEAD);
}

TEST_F_TIMEOUT(card, read_buffer_size, 120)
{
	uint64_t buf[64];
	const struct cti_event *ev = (const void *)buf;
	void *volatile bad = (void *)8;
	int fd;

	ASSERT_EQ(0, flood(&self->sim, 3));
	/* Shorter than the next record: nothing is consumed. */
	ASSERT_EQ(-1, read(self->sim.fd, buf, 8));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, read(self->sim.fd, buf, sizeof(struct cti_ev_digits) - 1));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, read(self->sim.fd, buf, 0));
	ASSERT_EQ(EINVAL, errno);
	/* Whole records only: 1.5 records' room gives one. */
	ASSERT_EQ(sizeof(struct cti_ev_digits),
		  read(self->sim.fd, buf, sizeof(struct cti_ev_digits) * 3 / 2));
	ASSERT_EQ(1, ev->seq);
	ASSERT_EQ(2 * sizeof(struct cti_ev_digits),
		  read(self->sim.fd, buf, sizeof(buf)));
	ASSERT_EQ(2, ev->seq);
	/* Bad buffer: EFAULT, and the record is not lost. */
	ASSERT_EQ(0, flood(&self->sim, 1));
	ASSERT_EQ(-1, read(self->sim.fd, bad, sizeof(buf)));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(sizeof(struct cti_ev_digits),
		  read(self->sim.fd, buf, sizeof(buf)));
	ASSERT_EQ(4, ev->seq);

	/* Empty and non-blocking: EAGAIN. */
	fd = cti_sim_open(&self->sim, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	close(fd);
}

TEST_HARNESS_MAIN
