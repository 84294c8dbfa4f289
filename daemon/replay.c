// SPDX-License-Identifier: GPL-2.0
/* replay: one shared event log, a cursor of runs per session (replay.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

int replay_log_init(struct replay_log *log, uint32_t cap, struct blob_pool *pool)
{
	memset(log, 0, sizeof(*log));
	log->ents = calloc(cap, sizeof(*log->ents));
	if (!log->ents)
		return -ENOMEM;
	log->cap = cap;
	log->tail = log->next = 1;
	log->pool = pool;
	return 0;
}

void replay_log_exit(struct replay_log *log)
{
	for (uint64_t p = log->tail; p < log->next; p++)
		blob_put(log->pool, log->ents[p % log->cap]);
	free(log->ents);
	log->ents = NULL;
}

static uint64_t log_push(struct replay_log *log, struct blob *b)
{
	if (log->next - log->tail == log->cap) {
		struct blob *old = log->ents[log->tail % log->cap];

		old->log_pos = 0;
		blob_put(log->pool, old);
		log->tail++;
	}
	log->ents[log->next % log->cap] = blob_get(b);
	b->log_pos = log->next;
	return log->next++;
}

/*
 * Run @i of the cursor, oldest first: the ring holds runs 0 .. count - 2,
 * the newest (count - 1) is the open one kept inline.
 */
static const struct replay_run *run_at(const struct replay_cursor *cur, uint32_t i)
{
	uint32_t k = cur->head + i;

	if (i + 1 == cur->count)
		return &cur->open;
	return &cur->runs[k >= cur->cap ? k - cur->cap : k];
}

static struct replay_run *ring_slot(struct replay_cursor *cur, uint32_t i)
{
	uint32_t k = cur->head + i;

	return &cur->runs[k >= cur->cap ? k - cur->cap : k];
}

static void ring_drop_oldest(struct replay_cursor *cur)
{
	if (++cur->head == cur->cap)
		cur->head = 0;
	cur->count--;
}

/* Closed runs whose events have all left the log are of no use. */
static void trim(const struct replay_log *log, struct replay_cursor *cur)
{
	while (cur->count > 1) {
		const struct replay_run *r = ring_slot(cur, 0);
		uint64_t end = r->lost ? r->pos + 1 : r->pos + r->len;

		if (end > log->tail)
			break;
		ring_drop_oldest(cur);
	}
}

/* Room in the ring for one more run; false if there is none at all. */
static bool ring_room(const struct replay_log *log, struct replay_cursor *cur)
{
	uint32_t n = cur->count - 1, ncap;
	struct replay_run *nr;

	if (n < cur->cap)
		return true;
	/* never more runs than the log has events */
	ncap = cur->cap ? cur->cap * 2 : 4;
	if (ncap > log->cap)
		ncap = log->cap;
	nr = ncap > cur->cap ? malloc(ncap * sizeof(*nr)) : NULL;
	if (nr) {
		for (uint32_t i = 0; i < n; i++)
			nr[i] = *ring_slot(cur, i);
		free(cur->runs);
		cur->runs = nr;
		cur->cap = ncap;
		cur->head = 0;
		return true;
	}
	if (!n)
		return false;
	ring_drop_oldest(cur);	/* full: the oldest run goes */
	return true;
}

/*
 * The open run stops growing: it moves into the ring (or, with no memory
 * for it, is forgotten: a resume there then gets RESYNC).
 */
static void close_open(const struct replay_log *log, struct replay_cursor *cur)
{
	trim(log, cur);
	if (ring_room(log, cur))
		*ring_slot(cur, cur->count - 1) = cur->open;
	else
		cur->count--;
}

/*
 * Called per session per event: the common case (the session's newest run
 * grows by one) reads and writes only the cursor's inline open run, which
 * sits in the session's first cache line beside its seq, and the blob that
 * fan-out has just touched.
 */
void replay_note(struct replay_log *log, struct replay_cursor *cur,
		 uint64_t seq, struct blob *b, uint32_t priv)
{
	struct replay_run *r = &cur->open;
	uint64_t pos = 0;

	if (b)
		pos = b->log_pos >= log->tail ? b->log_pos : log_push(log, b);
	if (cur->count && r->seq + r->len == seq &&
	    (b ? !r->lost && r->priv == priv && r->pos + r->len == pos : r->lost)) {
		r->len++;
		return;
	}
	if (cur->count)
		close_open(log, cur);
	cur->count++;
	r->seq = seq;
	r->pos = b ? pos : log->next;
	r->len = 1;
	r->priv = (uint8_t)priv;
	r->lost = !b;
}

enum replay_result replay_get(const struct replay_log *log,
			      const struct replay_cursor *cur, uint64_t seq,
			      uint32_t *hint, struct blob **b, uint32_t *priv)
{
	for (uint32_t i = hint && *hint < cur->count ? *hint : 0;
	     i < cur->count; i++) {
		const struct replay_run *r = run_at(cur, i);
		uint64_t pos;

		if (seq < r->seq || seq - r->seq >= r->len)
			continue;
		if (hint)
			*hint = i;
		if (r->lost)
			return r->pos >= log->tail ? REPLAY_LOST : REPLAY_GONE;
		pos = r->pos + (seq - r->seq);
		if (pos < log->tail)
			return REPLAY_GONE;
		*b = log->ents[pos % log->cap];
		*priv = r->priv;
		return REPLAY_OK;
	}
	return REPLAY_GONE;
}

void replay_cursor_free(struct replay_cursor *cur)
{
	free(cur->runs);
	memset(cur, 0, sizeof(*cur));
}
