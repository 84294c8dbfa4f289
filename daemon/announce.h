/* SPDX-License-Identifier: GPL-2.0 */
/*
 * announce: telling sessions that lines came or went, in batches.
 *
 * A provider load, unload or reload adds or removes all its lines at
 * once: one event per line per session is lines x sessions of work on the
 * loop (20,000 lines and 300 sessions blocked ctid for 4 s), and most of
 * it overflows the clients' queues anyway. So line changes made during a
 * provider operation are collected; at its end a small batch (up to
 * ANNOUNCE_BATCH_EVENTS) goes out as events, one per line, while a larger
 * one reaches each session that may see any of its lines as one skipped
 * sequence number: GAP, RESYNC (OVERFLOW) and a snapshot that is made as
 * the client reads. Either way the loop does O(lines + sessions).
 */
#ifndef CTID_ANNOUNCE_H
#define CTID_ANNOUNCE_H

#include <stdbool.h>
#include <stdint.h>

struct ctid;

#define ANNOUNCE_BATCH_EVENTS	32

struct line;

struct announce_batch {
	uint32_t depth;		/* nested begin() calls */
	uint32_t count;		/* changes collected */
	uint64_t masks;		/* OR of the changed lines' ACL masks */
	struct {
		uint32_t line;
		bool added;
	} ev[ANNOUNCE_BATCH_EVENTS];
};

struct call;
struct provider;
struct cti_wire_frame;

/* registry_ops: a provider operation begins or ends (batches nest) */
void announce_batch(struct ctid *ctx, bool begin);
/* registry_ops: other events, after what is collected */
void announce_line_event(struct ctid *ctx, struct line *l, const struct call *c,
			 const struct cti_wire_frame *f);
void announce_provider_event(struct ctid *ctx, struct provider *p, const struct cti_wire_frame *f);
/* Line @l was added or removed: told now, or collected in a batch. */
void announce_line(struct ctid *ctx, struct line *l, bool added);
/* What is collected goes out now (before another event, to keep order). */
void announce_flush(struct ctid *ctx);

#endif
