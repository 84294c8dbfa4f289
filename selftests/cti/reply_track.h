/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reply_track.h - one REPLY for every accepted SUBMIT, for the fuzzer
 *
 * The ABI promises that every request the kernel accepts (SUBMIT returned
 * 0) gets exactly one REPLY record in the submitting file's ring: with the
 * backend's answer, or -ENODEV when the card goes away first. A tracker
 * follows one open file: each accepted request id is noted (rt_sent()),
 * each REPLY read is matched (rt_reply()), and at the end rt_missing()
 * says how many went unanswered. Loss in the ring is the one excuse: a
 * REPLY may be among the records an OVERFLOW record counts, so up to
 * @lost missing REPLYs are allowed (never a duplicate or an unknown id).
 *
 * Ids are not unique (the fuzzer also submits random bytes), so each id
 * keeps how often it was accepted and answered: a REPLY beyond that count
 * is a duplicate, one for an id never accepted on this file is unknown.
 * A tracker that cannot see every record of its file (another process
 * read from it, a head written into the mapped ring skipped records, a
 * read() into a bad buffer) is blind and checks nothing until reset.
 */
#ifndef CTI_REPLY_TRACK_H
#define CTI_REPLY_TRACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/cti.h>

#define RT_MAX	1024	/* distinct ids one file may have; then blind */

struct rt_entry {
	uint64_t id;
	uint32_t sent;		/* accepted SUBMITs with this id */
	uint32_t replied;	/* REPLYs read with this id */
};

/**
 * struct reply_track - the requests of one open file
 * @e: one entry per distinct id
 * @n: used entries of @e
 * @lost: records lost to overflow, from the OVERFLOW records read
 * @blind: records were consumed out of sight: nothing is checked
 */
struct reply_track {
	struct rt_entry e[RT_MAX];
	unsigned int n;
	uint64_t lost;
	bool blind;
};

static inline void rt_reset(struct reply_track *t)
{
	t->n = 0;
	t->lost = 0;
	t->blind = false;
}

static inline struct rt_entry *rt_find(struct reply_track *t, uint64_t id)
{
	for (unsigned int i = 0; i < t->n; i++)
		if (t->e[i].id == id)
			return &t->e[i];
	return NULL;
}

/* rt_sent() - SUBMIT with @id was accepted (returned 0). */
static inline void rt_sent(struct reply_track *t, uint64_t id)
{
	struct rt_entry *e = rt_find(t, id);

	if (!e) {
		if (t->n == RT_MAX) {
			t->blind = true;
			return;
		}
		e = &t->e[t->n++];
		*e = (struct rt_entry){ .id = id };
	}
	e->sent++;
}

/*
 * rt_record() - one record read from the file
 * Return: 0, or -1 with @why set for a REPLY that is duplicated or carries
 * an id no accepted SUBMIT of this file had.
 */
static inline int rt_record(struct reply_track *t, const struct cti_event *ev,
			    char *why, size_t why_size)
{
	const struct cti_ev_reply *r = (const void *)ev;
	struct rt_entry *e;

	if (t->blind)
		return 0;
	if (ev->type == CTI_EV_OVERFLOW && ev->size >= sizeof(struct cti_ev_overflow)) {
		t->lost += ((const struct cti_ev_overflow *)ev)->lost;
		return 0;
	}
	if (ev->type != CTI_EV_REPLY || ev->size < sizeof(*r))
		return 0;
	e = rt_find(t, r->id);
	if (!e) {
		snprintf(why, why_size,
			 "REPLY (seq %llu, error %d) for request id %#llx, which no accepted SUBMIT of this file had",
			 (unsigned long long)ev->seq, r->error,
			 (unsigned long long)r->id);
		return -1;
	}
	if (e->replied >= e->sent) {
		snprintf(why, why_size,
			 "REPLY (seq %llu, error %d) for request id %#llx duplicated: %u accepted, this is REPLY %u",
			 (unsigned long long)ev->seq, r->error,
			 (unsigned long long)r->id, e->sent, e->replied + 1);
		return -1;
	}
	e->replied++;
	return 0;
}

/*
 * rt_missing() - accepted requests without a REPLY so far; *@first is the
 * id of one of them (when any).
 */
static inline uint64_t rt_missing(const struct reply_track *t, uint64_t *first)
{
	uint64_t missing = 0;

	for (unsigned int i = 0; i < t->n; i++) {
		if (t->e[i].sent > t->e[i].replied && !missing)
			*first = t->e[i].id;
		missing += t->e[i].sent - t->e[i].replied;
	}
	return missing;
}

#endif /* CTI_REPLY_TRACK_H */
