// SPDX-License-Identifier: GPL-2.0
/* phone_state: a line's phone as ctid mirrors it (phone_state.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "cti_provider.h"
#include "phone_state.h"
#include "registry.h"
#include "session.h"

static void state_reset(struct phone *p)
{
	memset(p->hook, CTI_HOOK_ONHOOK, sizeof(p->hook));
	p->pattern = 0;
	p->volume = 0;
	p->last_button = CTI_WIRE_BUTTON_NONE;
	p->last_pressed = 0;
	if (p->lamps)
		memset(p->lamps, CTI_LAMP_OFF, p->num_lamps);
	if (p->display)
		memset(p->display, 0, (size_t)p->rows * (p->cols + 1u));
}

void phone_detach(struct phone *p)
{
	if (!p)
		return;
	free(p->lamps);
	free(p->display);
	p->lamps = NULL;
	p->display = NULL;
	p->hookswitches = 0;
	p->num_lamps = p->rows = p->cols = 0;
	p->num_buttons = p->num_ring_patterns = 0;
	state_reset(p);
}

void phone_free(struct phone *p)
{
	if (!p)
		return;
	phone_detach(p);
	free(p->openers);
	free(p);
}

static int check_caps(const struct cti_provider_phone_desc *d)
{
	uint64_t all = CTI_HOOKSWITCH_HANDSET | CTI_HOOKSWITCH_SPEAKER |
		       CTI_HOOKSWITCH_HEADSET;

	if (d->hookswitches & ~all)
		return -EINVAL;
	if (d->num_lamps > CTI_WIRE_PHONE_LAMPS_MAX ||
	    d->display_rows > CTI_WIRE_PHONE_ROWS_MAX ||
	    d->display_cols > CTI_DISPLAY_MAX ||
	    (d->display_rows && !d->display_cols))
		return -EINVAL;
	return 0;
}

int phone_attach(struct phone **pp, const struct cti_provider_phone_desc *d)
{
	struct phone *p = *pp;
	int ret;

	if (p)
		phone_detach(p);
	if (!d->hookswitches)
		return 0;	/* no phone; openers of an old one stay (ENODEV) */
	ret = check_caps(d);
	if (ret)
		return ret;
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return -ENOMEM;
		*pp = p;
	}
	p->hookswitches = d->hookswitches;
	p->num_buttons = d->num_buttons;
	p->num_ring_patterns = d->num_ring_patterns;
	p->num_lamps = (uint8_t)d->num_lamps;
	p->rows = (uint8_t)d->display_rows;
	p->cols = (uint8_t)d->display_cols;
	state_reset(p);
	return 0;
}

int phone_hook_index(const struct phone *p, uint32_t hookswitch)
{
	if (!hookswitch || (hookswitch & (hookswitch - 1)) ||
	    !(p->hookswitches & hookswitch))
		return -1;
	return __builtin_ctz(hookswitch);
}

/*
 * The record has the row's whole text: cut to the display's width, and
 * back to a character boundary so that the row stays valid UTF-8.
 */
static int set_row(struct phone *p, uint32_t r, const char *text)
{
	size_t n = strnlen(text, p->cols);
	char *row;

	if (!p->display)
		p->display = calloc(p->rows, p->cols + 1u);
	if (!p->display)
		return -ENOMEM;
	row = p->display + r * (p->cols + 1u);

	while (n && n < strlen(text) && ((uint8_t)text[n] & 0xc0) == 0x80)
		n--;
	memcpy(row, text, n);
	row[n] = '\0';
	return 0;
}

static int set_lamp(struct phone *p, uint32_t lamp, uint32_t mode)
{
	if (!p->lamps)
		p->lamps = calloc(p->num_lamps, 1);
	if (!p->lamps)
		return -ENOMEM;
	p->lamps[lamp] = (uint8_t)mode;
	return 0;
}

/*
 * Records the codec accepted but that do not fit the phone (a lamp it
 * does not have, a row past the display) are passed on to the clients
 * as they came and left out of the mirror: the mirror stays within the
 * capabilities the clients were told.
 */
int phone_apply(struct phone *p, const struct cti_wire_frame *f)
{
	int i;

	if (!p || !p->hookswitches)
		return 0;
	switch (f->hdr.type) {
	case CTI_WIRE_EV_PHONE_HOOK:
		i = phone_hook_index(p, f->u.phone_hook.hookswitch);
		if (i >= 0 && f->u.phone_hook.mode <= CTI_HOOK_MICSPEAKER)
			p->hook[i] = (uint8_t)f->u.phone_hook.mode;
		break;
	case CTI_WIRE_EV_PHONE_BUTTON:
		if (f->u.phone_button.button < p->num_buttons &&
		    f->u.phone_button.pressed <= 1) {
			p->last_button = f->u.phone_button.button;
			p->last_pressed = (uint8_t)f->u.phone_button.pressed;
		}
		break;
	case CTI_WIRE_EV_PHONE_DISPLAY:
		if (f->u.phone_display.row < p->rows)
			return set_row(p, f->u.phone_display.row, f->u.phone_display.text);
		break;
	case CTI_WIRE_EV_PHONE_LAMP:
		if (f->u.phone_lamp.lamp < p->num_lamps &&
		    f->u.phone_lamp.mode <= CTI_LAMP_FLUTTER)
			return set_lamp(p, f->u.phone_lamp.lamp, f->u.phone_lamp.mode);
		break;
	case CTI_WIRE_EV_PHONE_RING:
		if (f->u.phone_ring.volume > 100)
			break;
		p->pattern = f->u.phone_ring.pattern;
		p->volume = (uint8_t)f->u.phone_ring.volume;
		break;
	default:
		break;
	}
	return 0;
}

uint32_t phone_priv(const struct phone *p, const struct session *s)
{
	for (uint32_t i = 0; p && i < p->nopeners; i++)
		if (p->openers[i].s == s)
			return p->openers[i].priv;
	return CTI_WIRE_PRIV_NONE;
}

void phone_fill_wire(const struct phone *p, struct cti_wire_phone *w)
{
	w->hookswitches = p->hookswitches;
	w->num_buttons = p->num_buttons;
	w->num_lamps = p->num_lamps;
	w->display_rows = p->rows;
	w->display_cols = p->cols;
	w->num_ring_patterns = p->num_ring_patterns;
	for (int i = 0; i < 3; i++)
		w->hook[i] = p->hook[i];
	w->ring_pattern = p->pattern;
	w->ring_volume = p->volume;
	w->last_button = p->last_button;
	w->last_pressed = p->last_pressed;
	/* lamps never lit and a display never written are not allocated */
	w->num_lamps_state = p->num_lamps;
	if (p->lamps)
		memcpy(w->lamps, p->lamps, p->num_lamps);
	else
		memset(w->lamps, CTI_LAMP_OFF, p->num_lamps);
	w->num_rows = p->rows;
	for (uint32_t r = 0; r < p->rows; r++) {
		if (p->display)
			memcpy(w->display[r], p->display + r * (p->cols + 1u), p->cols + 1u);
		else
			w->display[r][0] = '\0';
	}
}

bool phone_present(const struct line *l)
{
	return l && !l->removed && l->phone && l->phone->hookswitches;
}

void phone_fill_for(const struct line *l, const struct session *s,
		    struct cti_wire_phone *w)
{
	memset(w, 0, sizeof(*w));
	w->phone = l->id;
	w->line = l->id;
	memcpy(w->name, l->name, sizeof(w->name));
	phone_fill_wire(l->phone, w);
	/* a phone's access is its line's (doc/protocol.md, phones) */
	if (authz_may_see(&s->pr, l))
		w->allowed |= 1u << CTI_WIRE_PRIV_MONITOR;
	if (authz_may_own(&s->pr, l))
		w->allowed |= 1u << CTI_WIRE_PRIV_OWNER;
	w->privilege = phone_priv(l->phone, s);
}
