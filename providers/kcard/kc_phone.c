// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kcard's phones: the state the kernel keeps no records for.
 *
 * A card reports hook switches and buttons in its ring, but a lamp, the
 * ringer or the display changed by a command leaves only the command's
 * REPLY. So kcard remembers each phone command with its request and,
 * when the card's REPLY says it succeeded, posts what a userspace switch
 * would have posted (CTI_UEV_PHONE_LAMP, _RING, _DISPLAY): ctid's phone
 * state, and every client's, then matches the sim provider's. The
 * display needs the row's whole text, hence a row buffer per phone,
 * blank like the switch's until written.
 */
#include <stdlib.h>
#include <string.h>

#include "kcard.h"

void kc_phone_desc(struct kc_phone *p, const struct cti_provider_phone_desc *d)
{
	memset(p, 0, sizeof(*p));
	if (!d->hookswitches)
		return;		/* no phone on the line */
	p->lamps = d->num_lamps;
	p->rows = d->display_rows;
	p->cols = d->display_cols < CTI_DISPLAY_MAX ? d->display_cols :
						      CTI_DISPLAY_MAX;
	if (!p->cols)
		p->rows = 0;
}

void kc_phones_free(struct kc_card *c)
{
	for (uint32_t l = 0; c->phones && l < c->nlines; l++)
		free(c->phones[l].display);
	free(c->phones);
	c->phones = NULL;
}

static bool kc_phone_cmd(uint32_t cmd)
{
	return cmd == CTI_CMD_SET_DISPLAY || cmd == CTI_CMD_SET_LAMP ||
	       cmd == CTI_CMD_SET_RING;
}

void kc_phone_remember(struct kc_req *q, const struct cti_provider_request *req,
		       uint32_t line)
{
	q->cmd = req->cmd;
	q->line = line;
	q->arg = req->arg;
	q->arg2 = req->arg2;
	if (req->cmd != CTI_CMD_SET_DISPLAY)
		return;
	q->text_len = req->data_len < sizeof(q->text) ? req->data_len :
							sizeof(q->text);
	if (q->text_len)
		memcpy(q->text, req->data, q->text_len);
}

/*
 * The row after the write, as the switch cuts it: what passes the row's
 * end is dropped. False if the write does not fit the phone's display
 * (the card accepted what its descriptor says it cannot show).
 */
static bool kc_display_write(struct kc_phone *p, const struct kc_req *q)
{
	uint32_t len = q->text_len;

	if (q->arg >= p->rows || q->arg2 >= p->cols)
		return false;
	if (!p->display) {
		p->display = malloc((size_t)p->rows * p->cols);
		if (!p->display)
			return false;
		memset(p->display, ' ', (size_t)p->rows * p->cols);
	}
	if (len > p->cols - q->arg2)
		len = p->cols - q->arg2;
	memcpy(p->display + q->arg * p->cols + q->arg2, q->text, len);
	return true;
}

/* The record of a phone command that succeeded; false: none to post. */
static bool kc_phone_record(struct kc_phone *p, const struct kc_req *q,
			    union kc_phone_uev *u)
{
	switch (q->cmd) {
	case CTI_CMD_SET_LAMP:
		if (q->arg >= p->lamps || q->arg2 > CTI_LAMP_FLUTTER)
			return false;
		u->hdr.type = CTI_UEV_PHONE_LAMP;
		u->hdr.size = sizeof(u->lamp);
		u->lamp.lamp = q->arg;
		u->lamp.mode = q->arg2;
		return true;
	case CTI_CMD_SET_RING:
		if (q->arg2 > 100)
			return false;
		u->hdr.type = CTI_UEV_PHONE_RING;
		u->hdr.size = sizeof(u->ring);
		u->ring.pattern = q->arg;
		u->ring.volume = q->arg2;
		return true;
	default:
		if (!kc_display_write(p, q))
			return false;
		u->hdr.type = CTI_UEV_PHONE_DISPLAY;
		u->hdr.size = sizeof(u->display);
		u->display.row = q->arg;
		u->display.col = q->arg2;
		memcpy(u->display.text, p->display + q->arg * p->cols, p->cols);
		return true;
	}
}

void kc_phone_done(struct kc *kc, const struct kc_req *q)
{
	struct kc_card *c = &kc->cards[q->slot];
	union kc_phone_uev u;

	if (!kc_phone_cmd(q->cmd) || !c->used || !c->phones ||
	    q->line >= c->nlines || !c->present[q->line])
		return;
	memset(&u, 0, sizeof(u));
	if (!kc_phone_record(&c->phones[q->line], q, &u))
		return;
	u.hdr.line = kc_local(kc, c, q->line);
	if (kc->api->post_event(kc->host, &u.hdr))
		kc_log(kc, CTI_LOG_WARNING, "card %s: line %u: phone state not posted",
		       c->name, q->line);
}
