/* SPDX-License-Identifier: GPL-2.0 */
/*
 * blob: an event frame encoded once and shared, by reference count, by
 * everything that sends or keeps it (fan-out copies its bytes into each
 * connection's queue; the replay log keeps a reference). Each copy gets
 * its session's seq and privilege patched in with the codec's helpers.
 *
 * Blobs are made and freed at the event rate: the small ones are cut from
 * slabs and recycled through a free list, kept in a struct blob_pool that
 * the owner of the loop makes (blob.c says how its memory is bounded).
 */
#ifndef CTID_BLOB_H
#define CTID_BLOB_H

#include <stdint.h>

#include "wire.h"

struct blob {
	uint32_t refs;
	uint16_t len;
	uint16_t priv_off;	/* of its privilege field (codec's), or 0 */
	uint64_t log_pos;	/* its position in the replay log, 0: none */
	uint8_t data[];
};

struct log_state;

/* Frame types whose privilege offset the pool remembers (events are < 128). */
#define BLOB_TYPES	128

struct blob_slab;

struct blob_pool {
	struct blob *head;	/* free small blobs, linked through data */
	uint32_t n;		/* on that list */
	struct blob_slab *slabs;	/* where all small blobs live */
	struct log_state *log;	/* the context's, set at start-up */
	/*
	 * The codec finds a type's privilege field by scanning its field
	 * table by name: too slow for every event, so each type's answer is
	 * kept here, plus one so that 0 (the zeroed pool) means "not asked".
	 */
	uint16_t priv_off1[BLOB_TYPES];
	/* cti_wire_body_size() of each type, plus one, the same way */
	uint16_t body1[BLOB_TYPES];
};

/* Encodes @f (hdr.id is patched per copy); NULL if it cannot be encoded. */
struct blob *blob_encode(struct blob_pool *pool, const struct cti_wire_frame *f);
struct blob *blob_get(struct blob *b);
void blob_put(struct blob_pool *pool, struct blob *b);
/* Frees the pool's memory: every small blob must have been put by now. */
void blob_pool_drain(struct blob_pool *pool);

#endif
