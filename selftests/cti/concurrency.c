// SPDX-License-Identifier: GPL-2.0
/*
 * concurrency: threads submitting and draining while the card goes away
 *
 * Several threads, each with its own file (half read through the mapped
 * ring, half with read()), keep a window of requests in flight and drain
 * their replies; another hammers the info ioctls; injected faults make
 * some requests fail. Then the card is unplugged under them. Every
 * request that a submit accepted must get exactly one REPLY (success,
 * the injected error, or -ENODEV) before CARD_REMOVED; every refused
 * submit must be refused with ENODEV, after the unplug; nothing may hang.
 */
#include <pthread.h>

#include "cti_test.h"
#include "kselftest_harness.h"

#define WORKERS		4
#define ROUNDS		8
#define WINDOW		16
#define MAX_REQ		20000
#define ROUND_MS	20000	/* a round that takes longer has hung */

enum { REQ_NONE, REQ_PENDING, REQ_DONE };

struct worker {
	struct cti_sim *sim;
	int idx, fd;
	bool use_ring;
	struct cti_ring ring;
	struct cti_stream st;
	uint8_t state[MAX_REQ];
	uint32_t next;
	unsigned int submitted, replied, failed_replies, refused, outstanding;
	uint32_t drop_queue[WINDOW * 2];
	unsigned int ndrop;
	bool removed;
	const char *err;
	uint32_t err_arg;
	int64_t deadline;
};

/* Set just before live=0 is written, and just after it returned. */
static volatile int unplugged, unplug_done;

/*
 * Workers that have had a submit accepted in this round: the unplug waits
 * for all of them, so that every worker races it with requests in flight.
 */
static unsigned int started;

static void fail(struct worker *w, const char *msg, uint32_t arg)
{
	if (!w->err) {
		w->err = msg;
		w->err_arg = arg;
	}
}

/* Submit one request: a drop of a call we made, else DND or a call. */
static int submit_one(struct worker *w, bool *dead)
{
	uint32_t n = w->next;
	uint64_t id = ((uint64_t)w->idx << 32) | n;
	uint32_t line = w->idx % 4;
	int ret;

	if (n >= MAX_REQ)
		return 0;
	if (w->ndrop)
		ret = cti_submit_cmd(w->fd, CTI_CMD_DROP, id, line,
				     w->drop_queue[--w->ndrop], 0, 0, 0, NULL);
	else if (n % 4 == 1)
		ret = cti_submit_cmd(w->fd, CTI_CMD_MAKE_CALL, id, line, 0, 0,
				     0, 0, "5559");
	else
		ret = cti_submit_cmd(w->fd, CTI_CMD_SET_DND, id, line, 0, 0,
				     n & 1, 0, NULL);
	if (ret == 0) {
		w->state[n] = REQ_PENDING;
		w->next++;
		w->outstanding++;
		if (!w->submitted++)
			__atomic_fetch_add(&started, 1, __ATOMIC_SEQ_CST);
		return 0;
	}
	if (ret != -ENODEV) {
		fail(w, "submit refused with", -ret);
		return ret;
	}
	if (!unplugged)
		fail(w, "ENODEV before the unplug", 0);
	w->refused++;
	*dead = true;
	return 0;
}

static void handle(struct worker *w, const struct cti_event *ev)
{
	const struct cti_ev_reply *rep = (const void *)ev;
	uint32_t n;

	if (w->removed) {
		fail(w, "record after CARD_REMOVED, type", ev->type);
		return;
	}
	if (ev->type == CTI_EV_CARD_REMOVED) {
		w->removed = true;
		return;
	}
	if (ev->type != CTI_EV_REPLY)
		return;
	if (rep->id >> 32 != (uint64_t)w->idx) {
		fail(w, "REPLY for another file's request", (uint32_t)rep->id);
		return;
	}
	n = (uint32_t)rep->id;
	if (n >= MAX_REQ || w->state[n] == REQ_NONE) {
		fail(w, "REPLY for an unknown id", n);
		return;
	}
	if (w->state[n] == REQ_DONE) {
		fail(w, "second REPLY for", n);
		return;
	}
	w->state[n] = REQ_DONE;
	w->replied++;
	w->outstanding--;
	if (rep->error) {
		/* Injected -EIO, the card going (-ENODEV), or the sim's own. */
		w->failed_replies++;
		if (rep->error == -ENODEV && !unplugged)
			fail(w, "-ENODEV reply before the unplug", n);
	} else if (rep->cmd == CTI_CMD_MAKE_CALL && rep->call != CTI_CALL_NONE &&
		   w->ndrop < ARRAY_SIZE(w->drop_queue)) {
		w->drop_queue[w->ndrop++] = rep->call;
	}
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	const struct cti_event *ev = NULL;
	bool dead = false;
	int ret;

	while (!w->removed && !w->err) {
		if (cti_now_ms() > w->deadline) {
			fail(w, "no CARD_REMOVED in time", 0);
			break;
		}
		if (!dead && w->outstanding < WINDOW && submit_one(w, &dead))
			break;
		ret = cti_stream_next(&w->st, &ev,
				      dead || w->outstanding >= WINDOW ? 100 : 0);
		if (ret > 0) {
			handle(w, ev);
			continue;
		}
		if (ret == -ENODEV && !w->use_ring && unplugged) {
			/* read() may end the stream with ENODEV alone. */
			w->removed = true;
			break;
		}
		if (ret < 0) {
			fail(w, "stream error", -ret);
			break;
		}
	}
	return NULL;
}

/* Hammers the read-only ioctls: 0 before the unplug, ENODEV after. */
struct hammer {
	int fd;
	volatile bool stop;
	const char *err;
	unsigned int calls;
};

static void *hammer_fn(void *arg)
{
	struct hammer *h = arg;
	struct cti_line_snapshot lines[4];
	struct cti_call_snapshot calls[64];
	struct cti_snapshot snap;
	struct cti_card_info ci;
	int ret, was_unplugged;

	while (!h->stop) {
		was_unplugged = unplug_done;
		memset(&snap, 0, sizeof(snap));
		snap.size = sizeof(snap);
		snap.num_lines = 4;
		snap.lines = (uintptr_t)lines;
		snap.num_calls = 64;
		snap.calls = (uintptr_t)calls;
		ret = cti_ioctl(h->fd, CTI_IOC_SNAPSHOT, &snap);
		if (ret && ret != -ENODEV && ret != -ENOSPC)
			h->err = "snapshot failed";
		if (ret == -ENODEV && !unplugged)
			h->err = "snapshot ENODEV before the unplug";
		ret = cti_card_info(h->fd, &ci);
		if (ret && ret != -ENODEV)
			h->err = "card info failed";
		if (ret == 0 && was_unplugged)
			h->err = "card info worked after the unplug";
		h->calls++;
		if (h->err || (ret == -ENODEV && was_unplugged))
			break;
	}
	return NULL;
}

FIXTURE(conc) {
	int unused;
};

FIXTURE_SETUP(conc)
{
}

FIXTURE_TEARDOWN(conc)
{
}

TEST_F_TIMEOUT(conc, submit_while_unplugging, 400)
{
	static struct worker w[WORKERS];
	unsigned int round, i, total = 0, failed = 0;
	int64_t end;

	for (round = 0; round < ROUNDS; round++) {
		struct hammer h = { 0 };
		pthread_t thr[WORKERS], hthr;
		struct cti_sim sim;

		unplugged = unplug_done = 0;
		__atomic_store_n(&started, 0, __ATOMIC_SEQ_CST);
		ASSERT_EQ(0, cti_sim_create(&sim, 4, 0, NULL));
		ASSERT_EQ(0, cti_sim_write(&sim, "far_end", "5559 answer 5"));
		for (i = 0; i < WORKERS; i++) {
			memset(&w[i], 0, sizeof(w[i]));
			w[i].sim = &sim;
			w[i].idx = i + 1;
			w[i].use_ring = i % 2;
			w[i].deadline = cti_now_ms() + ROUND_MS;
			w[i].fd = cti_sim_open(&sim, O_RDWR);
			ASSERT_LE(0, w[i].fd);
			/* Only replies: no other traffic can overflow it. */
			ASSERT_EQ(0, cti_set_filter(w[i].fd, 0, NULL, 0));
			if (w[i].use_ring)
				ASSERT_EQ(0, cti_ring_map(w[i].fd, &w[i].ring));
			cti_stream_init(&w[i].st, w[i].fd,
					w[i].use_ring ? &w[i].ring : NULL);
		}
		h.fd = sim.fd;
		for (i = 0; i < WORKERS; i++)
			ASSERT_EQ(0, pthread_create(&thr[i], NULL, worker_fn,
						    &w[i]));
		ASSERT_EQ(0, pthread_create(&hthr, NULL, hammer_fn, &h));

		/* Every worker has a request in flight before anything else. */
		end = cti_now_ms() + ROUND_MS;
		while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < WORKERS) {
			ASSERT_GT(end, cti_now_ms())
				TH_LOG("round %u: only %u workers submitted",
				       round, started);
			cti_sleep_ms(1);
		}
		/* Then a varying amount of traffic before the unplug. */
		cti_sleep_ms(20 + round * 17);
		/* Some requests fail on the way: their replies say so. */
		ASSERT_EQ(0, cti_sim_ctl(&sim, "fail_next", "7 5"));
		cti_sleep_ms(30 + round * 11);
		unplugged = 1;
		ASSERT_EQ(0, cti_sim_set_live(&sim, 0));
		unplug_done = 1;

		for (i = 0; i < WORKERS; i++)
			ASSERT_EQ(0, pthread_join(thr[i], NULL));
		h.stop = true;
		ASSERT_EQ(0, pthread_join(hthr, NULL));
		ASSERT_EQ(NULL, h.err) TH_LOG("round %u: %s", round, h.err);

		for (i = 0; i < WORKERS; i++) {
			ASSERT_EQ(NULL, w[i].err)
				TH_LOG("round %u worker %u: %s %u", round, i,
				       w[i].err, w[i].err_arg);
			ASSERT_TRUE(w[i].removed);
			ASSERT_EQ(0, w[i].outstanding)
				TH_LOG("round %u worker %u: %u without REPLY",
				       round, i, w[i].outstanding);
			ASSERT_EQ(w[i].submitted, w[i].replied);
			ASSERT_LT(0, w[i].submitted);
			total += w[i].submitted;
			failed += w[i].failed_replies;
			if (w[i].use_ring)
				cti_ring_unmap(&w[i].ring);
			close(w[i].fd);
		}
		ASSERT_EQ(0, cti_sim_destroy(&sim));
	}
	TH_LOG("%u requests, %u completed with an error", total, failed);
	/* The injected faults at least must have shown up. */
	ASSERT_LT(0, failed);
}

/* Readers sharing one file: each record goes to exactly one of them. */
#define SHARED_READERS	3
#define SHARED_FLOOD	20000
#define SHARED_SEQ_MAX	(2 * SHARED_FLOOD)

struct shared {
	int fd;
	volatile bool stop;
	uint8_t *seen;		/* by seq: how many readers got it */
	uint64_t digits, lost;	/* atomically added */
	const char *err;
};

static void *shared_reader(void *arg)
{
	struct shared *sh = arg;
	uint64_t buf[4096 / 8];
	ssize_t n;

	while (!sh->stop) {
		const uint8_t *p = (const void *)buf;

		if (cti_poll(sh->fd, POLLIN, 20) <= 0)
			continue;
		n = read(sh->fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno != EAGAIN)
				sh->err = "read failed";
			continue;
		}
		while (p < (const uint8_t *)buf + n) {
			const struct cti_event *ev = (const void *)p;

			if (ev->seq == 0 || ev->seq >= SHARED_SEQ_MAX) {
				sh->err = "seq out of range";
				return NULL;
			}
			__atomic_fetch_add(&sh->seen[ev->seq], 1,
					   __ATOMIC_RELAXED);
			if (ev->type == CTI_EV_DIGITS)
				__atomic_fetch_add(&sh->digits, 1,
						   __ATOMIC_RELAXED);
			else if (ev->type == CTI_EV_OVERFLOW)
				__atomic_fetch_add(&sh->lost,
					((const struct cti_ev_overflow *)ev)->lost,
					__ATOMIC_RELAXED);
			p += ev->size;
		}
	}
	return NULL;
}

TEST_F_TIMEOUT(conc, shared_file_readers, 300)
{
	struct shared sh = { 0 };
	pthread_t thr[SHARED_READERS];
	struct cti_sim sim;
	uint64_t left = 1, seqs = 0, i;

	sh.seen = calloc(SHARED_SEQ_MAX, 1);
	ASSERT_NE(NULL, sh.seen);
	ASSERT_EQ(0, cti_sim_create(&sim, 1, 0, NULL));
	sh.fd = cti_sim_open(&sim, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, sh.fd);
	for (i = 0; i < SHARED_READERS; i++)
		ASSERT_EQ(0, pthread_create(&thr[i], NULL, shared_reader, &sh));

	ASSERT_EQ(0, cti_sim_ctl(&sim, "flood", "%u", SHARED_FLOOD));
	while (left) {
		cti_sleep_ms(5);
		ASSERT_EQ(0, cti_sim_ctl_read_u64(&sim, "flood", &left));
	}
	cti_sleep_ms(200);
	/* A last record carries any loss still pending. */
	ASSERT_EQ(0, cti_sim_ctl(&sim, "flood", "1"));
	cti_sleep_ms(300);
	sh.stop = true;
	for (i = 0; i < SHARED_READERS; i++)
		ASSERT_EQ(0, pthread_join(thr[i], NULL));
	ASSERT_EQ(NULL, sh.err) TH_LOG("%s", sh.err);

	/* Every seq from 1 on exactly once, none missing, none twice. */
	for (i = 1; i < SHARED_SEQ_MAX && sh.seen[i]; i++) {
		ASSERT_EQ(1, sh.seen[i]) TH_LOG("seq %llu", (unsigned long long)i);
		seqs++;
	}
	for (; i < SHARED_SEQ_MAX; i++)
		ASSERT_EQ(0, sh.seen[i]) TH_LOG("gap before seq %llu",
						 (unsigned long long)i);
	ASSERT_EQ(SHARED_FLOOD + 1, sh.digits + sh.lost);
	ASSERT_LT(0, seqs);
	TH_LOG("%llu records, %llu lost", (unsigned long long)sh.digits,
	       (unsigned long long)sh.lost);
	close(sh.fd);
	cti_sim_destroy(&sim);
	free(sh.seen);
}

TEST_HARNESS_MAIN
