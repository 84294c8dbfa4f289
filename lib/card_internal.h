/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * card_internal.h - what the files of the card layer share
 *
 * The public types of cti_card.h are defined here, over the kernel's
 * structs: the kernel ABI stays private to the build, programs see only
 * accessors (see lib/README.md).
 */
#ifndef CTI_CARD_INTERNAL_H
#define CTI_CARD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"	/* <linux/cti.h> first, then cti.h; CTI_API */
#include "cti_card.h"

struct cti_card_desc {
	struct cti_card_info info;
	bool has_lost;		/* netlink carried CTI_NL_A_CARD_LOST */
	uint64_t lost;		/* records the card's rings lost, all files */
};

struct cti_card_line_info {
	struct cti_line_info info;
};

struct cti_card_phone_info {
	struct cti_phone_info info;
};

/*
 * One event: a private copy of its record, so that the ring's space can
 * be handed back to the kernel as soon as the batch is copied. The union
 * is as large as the largest record; a shorter record (an older kernel)
 * reads as zeros past its end, a longer one (a newer kernel) is cut.
 */
struct cti_card_event {
	union {
		struct cti_event hdr;
		struct cti_ev_reply reply;
		struct cti_ev_call_state call_state;
		struct cti_ev_call_info call_info;
		struct cti_ev_digits digits;
		struct cti_ev_line_status line_status;
		struct cti_ev_phone_hook phone_hook;
		struct cti_ev_phone_button phone_button;
		struct cti_ev_link_frame link_frame;
		struct cti_ev_link_state link_state;
		struct cti_ev_overflow overflow;
		uint64_t raw[CTI_EVENT_MAX_SIZE / 8];
	} rec;
	uint32_t len;			/* bytes of rec the record filled */
	/* DIGITS' digits or LINE_STATUS' forward_to, NUL-terminated */
	char text[CTI_NUMBER_MAX + 1];
};

struct cti_card_event_buffer {
	size_t capacity;
	size_t num;
	struct cti_card_event events[];
};

/*
 * card_ring.c: the consumer side of the ring protocol, over plain memory
 * so that the unit tests can drive it with a fake ring.
 */
struct cti_card_ring {
	uint32_t *head;			/* ours to store (release) */
	const uint32_t *tail;		/* the kernel's (load acquire) */
	const uint64_t *overflow;	/* records lost since the open */
	const uint32_t *flags;		/* CTI_RING_F_* */
	const uint8_t *data;		/* the data area */
	uint32_t size;			/* bytes of it, a power of two */
};

/*
 * Called for every record but PAD with a private copy of it (@size bytes,
 * 8-byte aligned). Returns 0 to go on, 1 to stop after this record (a
 * CARD_REMOVED), or a negative errno to stop before consuming it.
 */
typedef int (*cti_card_record_fn)(void *arg, const void *rec, uint32_t size);

int cti_card_record_check(const void *rec, uint32_t avail, uint32_t *sizep);
int cti_card_ring_drain(struct cti_card_ring *r, size_t max,
			cti_card_record_fn fn, void *arg);
uint64_t cti_card_ring_lost(const struct cti_card_ring *r);

/* card_info.c: cut the strings of a freshly filled value */
void cti_card_desc_seal(struct cti_card_desc *desc);
void cti_card_line_info_seal(struct cti_card_line_info *li);
void cti_card_phone_info_seal(struct cti_card_phone_info *pi);

/* card_event.c */
void cti_card_event_store(struct cti_card_event *ev, const void *rec,
			  uint32_t size);

#endif /* CTI_CARD_INTERNAL_H */
