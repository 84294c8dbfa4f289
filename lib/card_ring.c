// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * card_ring.c - the consumer side of a card's event ring
 *
 * The protocol of <linux/cti.h> ("The event ring"): load the tail with
 * acquire ordering, so that the records before it are complete; read from
 * head to tail; store the new head with release ordering, so that the
 * kernel reuses the space only after our copies are done. head and tail
 * are free-running byte counters, so every difference is taken modulo
 * 2^32 and a record's place is head & (size - 1).
 *
 * Nothing here trusts the ring: a record whose size is zero, not a
 * multiple of 8, shorter than a header, or reaching past the tail or the
 * end of the data area is corruption (-EBADMSG). A reader that skipped it
 * would loop for ever on a size of zero or walk into garbage on any other.
 * This file touches only memory, so the unit tests run it on a fake ring.
 */
#include <errno.h>

#include "card_internal.h"

/**
 * cti_card_record_check() - is this a record that can be?
 * @rec: the record (8-byte aligned)
 * @avail: bytes from @rec to the tail or the end of the data area, the
 *	nearer (a multiple of 8 and not 0)
 * @sizep: out: the record's size
 *
 * Reads only type and size (the first 4 bytes) before it knows that the
 * record is not PAD, which may be as short as 8 bytes.
 *
 * Return: 0, or -EBADMSG.
 */
int cti_card_record_check(const void *rec, uint32_t avail, uint32_t *sizep)
{
	const uint16_t *w = rec;
	uint16_t type, size;

	if (avail < 8)
		return -EBADMSG;
	/* read once: the checks and the caller use the same value */
	type = __atomic_load_n(&w[0], __ATOMIC_RELAXED);
	size = __atomic_load_n(&w[1], __ATOMIC_RELAXED);
	if (size == 0 || size % 8 || size > avail)
		return -EBADMSG;
	if (type != CTI_EV_PAD && size < sizeof(struct cti_event))
		return -EBADMSG;
	*sizep = size;
	return 0;
}

/**
 * cti_card_ring_drain() - hand up to @max records to @fn and release them
 * @r: the ring
 * @max: records to take at most (PAD does not count)
 * @fn: called for each record, see cti_card_record_fn
 * @arg: for @fn
 *
 * Head is stored once, after the batch: one release store per batch, not
 * per record. If a corrupt record follows good ones, the good ones are
 * returned and head stops before the bad one, so that the next call
 * reports it.
 *
 * Return: the number of records given to @fn, or -EBADMSG (the first
 * record is corrupt, or head and tail cannot be), or @fn's errno.
 */
int cti_card_ring_drain(struct cti_card_ring *r, size_t max,
			cti_card_record_fn fn, void *arg)
{
	uint32_t mask = r->size - 1;
	uint32_t head = __atomic_load_n(r->head, __ATOMIC_RELAXED);
	uint32_t tail = __atomic_load_n(r->tail, __ATOMIC_ACQUIRE);
	uint32_t start = head;
	size_t n = 0;
	int ret = 0;

	/* The kernel keeps head <= tail <= head + size, all 8-aligned. */
	if (tail - head > r->size || (tail - head) % 8 || head % 8)
		return -EBADMSG;
	while (head != tail && n < max) {
		uint32_t off = head & mask, avail = tail - head, size;
		const uint8_t *p = r->data + off;

		/* A record never wraps: PAD fills the end of the area. */
		if (avail > r->size - off)
			avail = r->size - off;
		ret = cti_card_record_check(p, avail, &size);
		if (ret)
			break;
		if (*(const uint16_t *)p != CTI_EV_PAD) {
			ret = fn(arg, p, size);
			if (ret < 0)
				break;
			n++;
		}
		head += size;
		if (ret == 1)
			break;
	}
	if (head != start)
		__atomic_store_n(r->head, head, __ATOMIC_RELEASE);
	if (ret < 0 && n == 0)
		return ret;
	return (int)n;
}

/* cti_card_ring_lost() - the records the kernel has lost since the open. */
uint64_t cti_card_ring_lost(const struct cti_card_ring *r)
{
	return __atomic_load_n(r->overflow, __ATOMIC_ACQUIRE);
}
