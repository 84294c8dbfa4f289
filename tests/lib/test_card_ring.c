// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_card_ring.c - the card layer's ring consumer against a fake ring in
 * memory: index arithmetic across the 2^32 wrap, PAD at the end of the
 * data area, batches, and every malformed size reported as corruption
 * (-EBADMSG) instead of being looped on or walked past. Then the record
 * copy (cti_card_event_store()): strings cut, counts clamped.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "harness.h"
#include "card_internal.h"

#define RING_SIZE 256

/* The mapping as the kernel lays it out, with a data area of 256 bytes. */
static struct {
	uint32_t head, tail;
	uint64_t overflow;
	uint32_t flags;
	uint64_t data[RING_SIZE / 8];
} fake;
static struct cti_card_ring ring;

static void fake_reset(uint32_t start)
{
	memset(&fake, 0xa5, sizeof(fake));	/* garbage past the tail */
	fake.head = fake.tail = start;
	fake.overflow = 0;
	fake.flags = 0;
	ring = (struct cti_card_ring){
		.head = &fake.head, .tail = &fake.tail,
		.overflow = &fake.overflow, .flags = &fake.flags,
		.data = (const uint8_t *)fake.data, .size = RING_SIZE,
	};
}

static uint8_t *at(uint32_t pos)
{
	return (uint8_t *)fake.data + (pos & (RING_SIZE - 1));
}

/* The producer: one record of @size bytes at the tail, as the kernel
 * writes it (PAD first when it would not fit before the end). */
static uint64_t seq;
static void produce(uint16_t type, uint16_t size, uint32_t line)
{
	uint32_t off = fake.tail & (RING_SIZE - 1);
	struct cti_event *h;

	if (off + size > RING_SIZE) {
		struct cti_event *pad = (struct cti_event *)at(fake.tail);

		pad->type = CTI_EV_PAD;
		pad->size = RING_SIZE - off;
		fake.tail += RING_SIZE - off;
	}
	h = (struct cti_event *)at(fake.tail);
	memset(h, 0, size);
	h->type = type;
	h->size = size;
	h->line = line;
	h->seq = ++seq;
	fake.tail += size;
}

struct got {
	unsigned int n;
	uint64_t seq[256];
	uint16_t type[256];
	int stop_at;		/* return 1 (stop) at this record, or -1 */
};

static int collect(void *arg, const void *rec, uint32_t size)
{
	struct got *g = arg;
	const struct cti_event *h = rec;

	T_EXPECT(size == h->size, "size passed %u, record says %u", size, h->size);
	T_EXPECT(h->type != CTI_EV_PAD, "PAD handed up");
	g->seq[g->n] = h->seq;
	g->type[g->n] = h->type;
	g->n++;
	return (int)g->n == g->stop_at ? 1 : 0;
}

static void t_empty(void)
{
	struct got g = { .stop_at = -1 };

	fake_reset(0);
	T_EXPECT_EQ(cti_card_ring_drain(&ring, 16, collect, &g), 0, "empty ring");
	T_EXPECT_EQ(fake.head, 0, "head unchanged");
}

static void t_batches(void)
{
	struct got g = { .stop_at = -1 };

	fake_reset(0);
	seq = 0;
	for (int i = 0; i < 5; i++)
		produce(CTI_EV_CALL_STATE, sizeof(struct cti_ev_call_state), 1);
	T_EXPECT_EQ(cti_card_ring_drain(&ring, 2, collect, &g), 2, "first batch");
	T_EXPECT_EQ(fake.head, 2 * sizeof(struct cti_ev_call_state), "head");
	T_EXPECT_EQ(cti_card_ring_drain(&ring, 16, collect, &g), 3, "the rest");
	T_EXPECT_EQ(fake.head, fake.tail, "head reaches tail");
	for (unsigned int i = 0; i < g.n; i++)
		T_EXPECT_EQ(g.seq[i], i + 1, "in order");
}

/* head and tail are free-running: a ring whose counters wrap 2^32 in the
 * middle of a batch, with a PAD at the end of the data area. */
static void t_wrap(void)
{
	struct got g = { .stop_at = -1 };
	int n = 0;

	fake_reset(UINT32_MAX - 95);	/* 8-aligned: 2^32 - 96 */
	seq = 0;
	for (int round = 0; round < 40; round++) {
		/* two records a batch: never more than the ring holds */
		produce(CTI_EV_REPLY, sizeof(struct cti_ev_reply), 0);
		produce(CTI_EV_OVERFLOW, sizeof(struct cti_ev_overflow),
			CTI_LINE_NONE);
		n += cti_card_ring_drain(&ring, 64, collect, &g);
		produce(CTI_EV_CALL_INFO, sizeof(struct cti_ev_call_info), 2);
		n += cti_card_ring_drain(&ring, 64, collect, &g);
	}
	T_EXPECT_EQ(n, 120, "records across the wrap");
	T_EXPECT_EQ(g.n, 120, "collected");
	for (unsigned int i = 0; i < g.n; i++)
		if (g.seq[i] != i + 1) {
			T_EXPECT_EQ(g.seq[i], i + 1, "sequence");
			break;
		}
	T_EXPECT(fake.head < 0x10000000, "head wrapped: %u", fake.head);
}

/* CARD_REMOVED: the callback stops the batch after it. */
static void t_stop(void)
{
	struct got g = { .stop_at = 2 };

	fake_reset(0);
	produce(CTI_EV_REPLY, sizeof(struct cti_ev_reply), 0);
	produce(CTI_EV_CARD_REMOVED, sizeof(struct cti_event), CTI_LINE_NONE);
	produce(CTI_EV_REPLY, sizeof(struct cti_ev_reply), 0);
	T_EXPECT_EQ(cti_card_ring_drain(&ring, 16, collect, &g), 2, "stopped");
	T_EXPECT_EQ(fake.head, sizeof(struct cti_ev_reply) + sizeof(struct cti_event),
		 "head after the stopping record");
}

/* Corruption: a record with size @bad after one good record. The good
 * one comes out, the head stops before the bad one, the next drain
 * reports -EBADMSG and stays put (no loop, no walk into garbage). */
static void corrupt_after_good(uint16_t bad_size, uint16_t type,
			       const char *what)
{
	struct got g = { .stop_at = -1 };
	struct cti_event *h;
	uint32_t before;

	fake_reset(0);
	produce(CTI_EV_REPLY, sizeof(struct cti_ev_reply), 0);
	produce(CTI_EV_REPLY, sizeof(struct cti_ev_reply), 0);
	h = (struct cti_event *)at(sizeof(struct cti_ev_reply));
	h->size = bad_size;
	h->type = type;
	T_EXPECT_EQ(cti_card_ring_drain(&ring, 16, collect, &g), 1, "%s", what);
	before = fake.head;
	T_EXPECT_EQ(before, sizeof(struct cti_ev_reply), "%s", what);
	T_EXPECT_EQ(cti_card_ring_drain(&ring, 16, collect, &g), -EBADMSG, "%s", what);
	T_EXPECT_EQ(fake.head, before, "%s", what);
	T_EXPECT_EQ(cti_card_ring_drain(&ring, 16, collect, &g), -EBADMSG, "%s", what);
	T_EXPECT_EQ(g.n, 1, "%s", what);
}

static void t_bad_sizes(void)
{
	corrupt_after_good(0, CTI_EV_REPLY, "size 0");
	corrupt_after_good(0, CTI_EV_PAD, "PAD of size 0");
	corrupt_after_good(44, CTI_EV_REPLY, "size not a multiple of 8");
	corrupt_after_good(4, CTI_EV_PAD, "PAD of 4 bytes");
	corrupt_after_good(16, CTI_EV_REPLY, "shorter than a header");
	corrupt_after_good(sizeof(struct cti_ev_reply) + 8, CTI_EV_REPLY,
			   "past the tail");
}

/* A record that would run past the end of the data area. */
static void t_past_end(void)
{
	struct got g = { .stop_at = -1 };
	struct cti_event *h;

	fake_reset(RING_SIZE - 48);
	fake.tail = RING_SIZE + 64;	/* 112 bytes claimed */
	h = (struct cti_event *)at(fake.head);
	h->type = CTI_EV_REPLY;
	h->size = 96;			/* 48 bytes left before the end */
	T_EXPECT_EQ(cti_card_ring_drain(&ring, 16, collect, &g), -EBADMSG,
		 "record across the end");
	T_EXPECT_EQ(g.n, 0, "nothing handed up");
}

/* Head and tail that cannot be. */
static void t_bad_indexes(void)
{
	struct got g = { .stop_at = -1 };

	fake_reset(0);
	fake.tail = RING_SIZE + 8;
	T_EXPECT_EQ(cti_card_ring_drain(&ring, 16, collect, &g), -EBADMSG,
		 "more than the ring holds");
	fake_reset(0);
	fake.tail = 12;
	T_EXPECT_EQ(cti_card_ring_drain(&ring, 16, collect, &g), -EBADMSG,
		 "tail not 8-aligned");
	fake_reset(0);
	fake.head = UINT32_MAX - 7;	/* tail behind head */
	T_EXPECT_EQ(cti_card_ring_drain(&ring, 16, collect, &g), -EBADMSG,
		 "tail behind head");
	T_EXPECT_EQ(g.n, 0, "nothing handed up");
}

static void t_record_check(void)
{
	uint64_t rec[4] = { 0 };
	struct cti_event *h = (struct cti_event *)rec;
	uint32_t size = 0;

	h->type = CTI_EV_PAD;
	h->size = 8;
	T_EXPECT_EQ(cti_card_record_check(rec, 8, &size), 0, "PAD of 8");
	T_EXPECT_EQ(size, 8, "its size");
	T_EXPECT_EQ(cti_card_record_check(rec, 0, &size), -EBADMSG, "nothing left");
	h->type = CTI_EV_LINK_STATE;
	h->size = 32;
	T_EXPECT_EQ(cti_card_record_check(rec, 32, &size), 0, "LINK_STATE");
	T_EXPECT_EQ(cti_card_record_check(rec, 24, &size), -EBADMSG, "past avail");
}

/* The copy of a record: short, long, and with strings that fill their
 * arrays. */
static void t_store(void)
{
	static struct cti_card_event ev;
	uint64_t raw[CTI_EVENT_MAX_SIZE / 8 + 8];
	struct cti_ev_call_info *ci = (struct cti_ev_call_info *)raw;
	struct cti_ev_digits *dg = (struct cti_ev_digits *)raw;
	struct cti_ev_link_frame *lf = (struct cti_ev_link_frame *)raw;
	const void *data;

	memset(raw, 'x', sizeof(raw));
	ci->hdr.type = CTI_EV_CALL_INFO;
	ci->hdr.size = sizeof(*ci);
	ci->call = 7;
	cti_card_event_store(&ev, ci, sizeof(*ci));
	T_EXPECT_EQ(strlen(cti_card_event_get_caller(&ev)), CTI_NUMBER_MAX - 1,
		 "caller cut");
	T_EXPECT_EQ(strlen(cti_card_event_get_called_name(&ev)), CTI_NAME_MAX - 1,
		 "called name cut");
	T_EXPECT_EQ(cti_card_event_get_call(&ev), 7, "call");
	T_EXPECT_EQ(cti_card_event_get_lost(&ev), 0, "lost of CALL_INFO");

	memset(raw, 0, sizeof(raw));
	dg->hdr.type = CTI_EV_DIGITS;
	dg->hdr.size = sizeof(*dg);
	dg->count = 1000;
	memset(dg->digits, '5', sizeof(dg->digits));
	cti_card_event_store(&ev, dg, sizeof(*dg));
	T_EXPECT_EQ(strlen(cti_card_event_get_text(&ev)), CTI_DIGITS_MAX,
		 "digit count clamped");

	/* a record from an older kernel: shorter than the struct */
	memset(raw, 0x77, sizeof(raw));
	dg->hdr.type = CTI_EV_DIGITS;
	dg->hdr.size = 32;
	dg->count = 2;
	cti_card_event_store(&ev, dg, 32);
	T_EXPECT_EQ(cti_card_event_get_text(&ev)[0], 0, "unsent digits are zero");

	/* a link frame claiming more than its record holds */
	memset(raw, 0, sizeof(raw));
	lf->hdr.type = CTI_EV_LINK_FRAME;
	lf->hdr.size = sizeof(*lf) + 8;
	lf->len = 500;
	cti_card_event_store(&ev, lf, sizeof(*lf) + 8);
	T_EXPECT_EQ(cti_card_event_get_data(&ev, &data), 8, "frame clamped");

	/* a record longer than any we know (a newer kernel) */
	lf->hdr.size = sizeof(raw);
	lf->len = CTI_LINK_FRAME_MAX;
	cti_card_event_store(&ev, lf, sizeof(raw));
	T_EXPECT_EQ(cti_card_event_get_data(&ev, &data), CTI_LINK_FRAME_MAX,
		 "long record cut to what we know");

	T_EXPECT(!strcmp(cti_card_event_type_name(CTI_EV_OVERFLOW), "OVERFLOW"),
	      "type name");
	T_EXPECT(!strcmp(cti_card_event_type_name(99), "?"), "unknown type name");
}

static const struct t_case cases[] = {
	{ "empty", t_empty },
	{ "batches", t_batches },
	{ "wrap", t_wrap },
	{ "stop", t_stop },
	{ "bad_sizes", t_bad_sizes },
	{ "past_end", t_past_end },
	{ "bad_indexes", t_bad_indexes },
	{ "record_check", t_record_check },
	{ "store", t_store },
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
