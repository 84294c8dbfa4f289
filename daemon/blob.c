// SPDX-License-Identifier: GPL-2.0
/* blob: events encoded once, shared by reference (see blob.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "log.h"

#define BLOB_SMALL	128	/* data bytes of every small blob */
#define BLOB_SLAB_N	128	/* small blobs per slab (one malloc) */
/* a small blob's footprint; a multiple of 8, so each one is aligned */
#define BLOB_STRIDE	(sizeof(struct blob) + BLOB_SMALL)

/*
 * Small blobs are cut from slabs of BLOB_SLAB_N, so that filling the
 * replay log (one live blob per logged event) costs one malloc per
 * BLOB_SLAB_N events instead of one per event. A freed small blob goes
 * back on the free list and is never given back to libc before
 * blob_pool_drain(): the pool stays at its peak, which the replay log's
 * size bounds (the log holds most live blobs; fan-out holds one at a
 * time).
 */
struct blob_slab {
	struct blob_slab *next;
	uint64_t pad;		/* the blobs that follow stay 16-byte aligned */
	uint8_t mem[];
};

static struct blob *pool_pop(struct blob_pool *pool)
{
	struct blob *b = pool->head;

	memcpy(&pool->head, b->data, sizeof(b));
	pool->n--;
	return b;
}

static void pool_push(struct blob_pool *pool, struct blob *b)
{
	memcpy(b->data, &pool->head, sizeof(b));
	pool->head = b;
	pool->n++;
}

static int slab_add(struct blob_pool *pool)
{
	struct blob_slab *sl = malloc(sizeof(*sl) + BLOB_SLAB_N * BLOB_STRIDE);

	if (!sl)
		return -ENOMEM;
	sl->next = pool->slabs;
	pool->slabs = sl;
	/* pushed last to first, so that they are handed out in address order */
	for (size_t i = BLOB_SLAB_N; i-- > 0;) {
		struct blob *b = (struct blob *)(sl->mem + i * BLOB_STRIDE);

		b->len = 0;
		pool_push(pool, b);
	}
	return 0;
}

static struct blob *blob_alloc(struct blob_pool *pool, size_t len)
{
	if (len > BLOB_SMALL)
		return malloc(sizeof(struct blob) + len);
	if (!pool->head && slab_add(pool))
		return NULL;
	return pool_pop(pool);
}

static void blob_free(struct blob_pool *pool, struct blob *b)
{
	if (b->len > BLOB_SMALL)
		free(b);
	else
		pool_push(pool, b);
}

static uint16_t priv_offset(struct blob_pool *pool, unsigned int type)
{
	if (type >= BLOB_TYPES)
		return (uint16_t)cti_wire_privilege_offset(type);
	if (!pool->priv_off1[type])
		pool->priv_off1[type] =
			(uint16_t)(cti_wire_privilege_offset(type) + 1);
	return pool->priv_off1[type] - 1;
}

/* The bytes of f->u the encoder reads for @type, remembered per type. */
static size_t body_size(struct blob_pool *pool, unsigned int type)
{
	if (type >= BLOB_TYPES)
		return cti_wire_body_size(type);
	if (!pool->body1[type])
		pool->body1[type] = (uint16_t)(cti_wire_body_size(type) + 1);
	return pool->body1[type] - 1U;
}

/*
 * Encodes @tmp into a small blob straight away, the common case; a frame
 * longer than BLOB_SMALL goes through @buf and a blob of its size.
 */
static struct blob *encode_into(struct blob_pool *pool,
				const struct cti_wire_frame *tmp, uint8_t *buf,
				size_t bufsize, struct cti_wire_diag *diag,
				ssize_t *np)
{
	struct blob *b = blob_alloc(pool, BLOB_SMALL);
	ssize_t n;

	if (!b)
		return NULL;
	n = cti_wire_encode(tmp, b->data, BLOB_SMALL, diag);
	if (n >= 0) {
		*np = n;
		return b;
	}
	b->len = 0;		/* a small blob, back on the free list */
	blob_free(pool, b);
	*np = n = cti_wire_encode(tmp, buf, bufsize, diag);
	if (n < 0)
		return NULL;
	b = blob_alloc(pool, (size_t)n);
	if (b)
		memcpy(b->data, buf, (size_t)n);
	return b;
}

struct blob *blob_encode(struct blob_pool *pool, const struct cti_wire_frame *f)
{
	struct cti_wire_frame tmp;
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	struct cti_wire_diag diag = { 0 };
	struct blob *b;
	ssize_t n = -ENOMEM;

	/*
	 * The id must be valid to encode, and is patched per session; only
	 * the header and the bytes of the body that the type uses are
	 * copied (the union is 1 KiB, an event's body a few dozen bytes).
	 */
	memcpy(&tmp.hdr, &f->hdr, sizeof(tmp.hdr));
	tmp.hdr.id = 1;		/* an event's seq is never 0; patched per session */
	tmp.hdr.flags = 0;
	memcpy(&tmp.u, &f->u, body_size(pool, f->hdr.type));
	b = encode_into(pool, &tmp, buf, sizeof(buf), &diag, &n);
	if (!b) {
		if (n < 0 && n != -ENOMEM)
			log_rl(pool->log, LOG_LVL_WARN,
			       "cannot encode a %s event: %s at %s",
			       cti_wire_type_name(f->hdr.type),
			       strerror((int)-n),
			       diag.field ? diag.field : "?");
		return NULL;
	}
	b->refs = 1;
	b->len = (uint16_t)n;
	b->log_pos = 0;
	b->priv_off = priv_offset(pool, f->hdr.type);
	return b;
}

struct blob *blob_get(struct blob *b)
{
	b->refs++;
	return b;
}

void blob_put(struct blob_pool *pool, struct blob *b)
{
	if (b && !--b->refs)
		blob_free(pool, b);
}

void blob_pool_drain(struct blob_pool *pool)
{
	while (pool->slabs) {
		struct blob_slab *sl = pool->slabs;

		pool->slabs = sl->next;
		free(sl);
	}
	pool->head = NULL;
	pool->n = 0;
}
