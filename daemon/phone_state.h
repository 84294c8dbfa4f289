/* SPDX-License-Identifier: GPL-2.0 */
/*
 * phone_state: a line's phone as ctid mirrors it (phone_state.c): its
 * capabilities from the provider's line description, its state (hook
 * switches, lamps, display, ringer, last button) from the phone records
 * the registry sees, and the sessions that opened it. Part of the
 * registry: lines.c attaches and frees it, registry_line_event() feeds
 * it; it calls nothing above it.
 *
 * A phone has no id of its own: the provider ABI gives a line at most one
 * phone, so the phone's id is its line's stable id and is kept exactly as
 * long (across reloads and hot-plug).
 */
#ifndef CTID_PHONE_STATE_H
#define CTID_PHONE_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "wire.h"

struct cti_provider_phone_desc;
struct opener;
struct session;

struct phone {
	uint64_t hookswitches;		/* CTI_HOOKSWITCH_* */
	uint32_t num_buttons;
	uint32_t num_ring_patterns;
	uint8_t num_lamps;		/* <= CTI_WIRE_PHONE_LAMPS_MAX */
	uint8_t rows, cols;		/* display, <= ROWS_MAX x CTI_DISPLAY_MAX */
	uint8_t hook[3];		/* enum cti_hook_mode: handset, speaker, headset */
	uint8_t last_pressed;
	uint8_t volume;
	uint32_t pattern;
	uint32_t last_button;		/* CTI_WIRE_BUTTON_NONE: none yet */
	/*
	 * Allocated at the first record that needs them (most phones of a
	 * large switch never light a lamp): NULL is all OFF, all rows empty.
	 */
	uint8_t *lamps;			/* num_lamps modes */
	char *display;			/* rows x (cols + 1), each NUL-ended */
	/* sessions that opened the phone (they stay while the line is away) */
	struct opener *openers;
	uint32_t nopeners, capopeners;
};

/*
 * Gives @pp the phone @d describes (a fresh state: the provider's phone
 * starts as it says in its records), keeping the openers of a phone that
 * comes back with its line. @d with no hook switch: no phone (NULL).
 * Returns 0, -EINVAL (a display or lamp count ctid cannot mirror: the
 * line is added without its phone) or -ENOMEM.
 */
int phone_attach(struct phone **pp, const struct cti_provider_phone_desc *d);
/* The line is gone: its phone's state is, its openers stay. */
void phone_detach(struct phone *p);
void phone_free(struct phone *p);
/*
 * Mirrors a phone event (EV_PHONE_*) of the phone's line; others: nothing.
 * Returns 0, or -ENOMEM when the state could not keep it (the event still
 * goes to the clients).
 */
int phone_apply(struct phone *p, const struct cti_wire_frame *f);
/* @s's privilege on the phone (CTI_WIRE_PRIV_NONE: not open). */
uint32_t phone_priv(const struct phone *p, const struct session *s);
/* The capabilities and state; @w->phone, line, name, allowed, privilege are the caller's. */
void phone_fill_wire(const struct phone *p, struct cti_wire_phone *w);
struct line;
/*
 * The PHONE body of @l's phone as @s sees it: capabilities, state, what
 * its user may open (the line's rights) and its privilege on the phone.
 */
void phone_fill_for(const struct line *l, const struct session *s,
		    struct cti_wire_phone *w);
/* @l has a phone a client can use now (present, with its capabilities). */
bool phone_present(const struct line *l);
/* Whether a hook device bit (one CTI_HOOKSWITCH_*) is the phone's: its index, or -1. */
int phone_hook_index(const struct phone *p, uint32_t hookswitch);

#endif
