// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kcard's cards: one slot each, opened when the host reports them
 * (card_changed: ADDED, at the start of the watch and on hot-plug) and
 * freed when the host says they are gone (card_closed). A card's lines
 * become ctid lines named "CARD.LINE", so that a line keeps its stable id
 * when its card comes back (the host keys ids by instance and line name).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcard.h"

struct kc_card *kc_card_by_cid(struct kc *kc, int64_t cid)
{
	for (size_t i = 0; i < KC_CARDS_MAX; i++)
		if (kc->cards[i].used && kc->cards[i].cid == cid)
			return &kc->cards[i];
	return NULL;
}

struct kc_card *kc_line(struct kc *kc, uint32_t local, uint32_t *line)
{
	uint32_t slot = local >> KC_LINE_BITS;
	struct kc_card *c;

	if (slot >= KC_CARDS_MAX)
		return NULL;
	c = &kc->cards[slot];
	*line = local & (KC_LINES_MAX - 1);
	if (!c->used || *line >= c->nlines || !c->present[*line])
		return NULL;
	return c;
}

static struct kc_card *kc_card_by_name(struct kc *kc, const char *name)
{
	for (size_t i = 0; i < KC_CARDS_MAX; i++)
		if (kc->cards[i].used && !strcmp(kc->cards[i].name, name))
			return &kc->cards[i];
	return NULL;
}

void kc_card_free(struct kc_card *c)
{
	kc_phones_free(c);
	free(c->phone_of_line);
	free(c->line_of_phone);
	free(c->present);
	kc_mirror_free(c);
	memset(c, 0, sizeof(*c));
}

/*
 * "CARD.LINE"; when that does not fit, "CARD.N" with the line's number,
 * which is unique on the card (a cut name might not be).
 */
static void kc_line_name(char *out, const char *card, const char *line,
			 uint32_t l)
{
	size_t cl = strlen(card), ll = strlen(line);

	if (cl + 1 + ll < CTI_NAME_MAX) {
		memcpy(out, card, cl);
		out[cl] = '.';
		memcpy(out + cl + 1, line, ll + 1);
		return;
	}
	snprintf(out, CTI_NAME_MAX, "%.20s.%u", card, l);
}

/* The phone of every line, and the line of every phone. */
static int kc_card_lines(struct kc *kc, struct kc_card *c)
{
	char base[CTI_NAME_MAX];
	int ret;
	/* at least one entry each: a card may have no lines or phones */
	size_t nl = c->nlines ? c->nlines : 1, np = c->nphones ? c->nphones : 1;

	c->phone_of_line = malloc(nl * sizeof(uint32_t));
	c->line_of_phone = malloc(np * sizeof(uint32_t));
	c->present = calloc(nl, sizeof(bool));
	c->phones = calloc(nl, sizeof(*c->phones));
	if (!c->phone_of_line || !c->line_of_phone || !c->present || !c->phones)
		return -ENOMEM;
	memset(c->line_of_phone, 0xff, np * sizeof(uint32_t));
	for (uint32_t l = 0; l < c->nlines; l++) {
		struct cti_provider_line_desc d;
		uint32_t phone;

		ret = kc->api->card_get_line(kc->host, c->cid, l, &d, &phone);
		if (ret)
			return ret;
		c->phone_of_line[l] = phone;
		if (phone < c->nphones) {
			c->line_of_phone[phone] = l;
			kc_phone_desc(&c->phones[l], &d.phone);
		}
		kc_line_name(base, c->name, d.name, l);
		memcpy(d.name, base, sizeof(d.name));
		ret = kc->api->line_add(kc->host, kc_local(kc, c, l), &d, NULL);
		if (ret) {
			kc_log(kc, CTI_LOG_WARNING, "card %s: line %u (%s): %d",
			       c->name, l, d.name, ret);
			continue;
		}
		c->present[l] = true;
	}
	return 0;
}

void kc_card_add(struct kc *kc, const struct cti_provider_card_info *info)
{
	struct cti_provider_card_info now;
	struct kc_card *c = NULL;
	int64_t cid;
	int ret;

	if (!(info->caps & CTI_CARD_CAP_CALL_CONTROL) ||
	    !kc_config_wants(&kc->cfg, info->name) ||
	    kc_card_by_name(kc, info->name))
		return;
	for (size_t i = 0; i < KC_CARDS_MAX && !c; i++)
		if (!kc->cards[i].used)
			c = &kc->cards[i];
	if (!c) {
		kc_log(kc, CTI_LOG_WARNING, "card %s: more than %u cards; not taken",
		       info->name, KC_CARDS_MAX);
		return;
	}
	cid = kc->api->card_open(kc->host, info->name, (uint64_t)(c - kc->cards));
	if (cid < 0) {
		kc_log(kc, CTI_LOG_WARNING, "card %s: cannot open: %d", info->name,
		       (int)cid);
		return;
	}
	c->used = true;
	c->cid = cid;
	memcpy(c->name, info->name, sizeof(c->name));
	c->name[sizeof(c->name) - 1] = '\0';
	ret = kc->api->card_get_info(kc->host, cid, &now);
	if (!ret) {
		c->nlines = now.num_lines < KC_LINES_MAX ? now.num_lines : KC_LINES_MAX;
		c->nphones = now.num_phones;
		ret = kc_card_lines(kc, c);
	}
	if (!ret)
		ret = kc_resync(kc, c, false);	/* the snapshot seeds the mirror */
	if (ret) {
		kc_log(kc, CTI_LOG_WARNING, "card %s: %d; dropped", c->name, ret);
		kc->api->card_close(kc->host, cid);
		kc_card_gone(kc, c, ret);
		return;
	}
	kc_log(kc, CTI_LOG_NOTICE, "card %s: %u lines, %u phones", c->name,
	       c->nlines, c->nphones);
}

/*
 * The card went away: its requests end (-ENODEV) before its lines go, so
 * that each completes exactly once and by us; the host then ends what the
 * lines still had and tells the clients (EV_LINE_REMOVED).
 */
void kc_card_gone(struct kc *kc, struct kc_card *c, int error)
{
	uint32_t slot = (uint32_t)(c - kc->cards);

	kc_complete_card(kc, slot, error == -ENODEV ? -ENODEV : -EIO);
	for (uint32_t l = 0; c->present && l < c->nlines; l++)
		if (c->present[l])
			kc->api->line_remove(kc->host, kc_local(kc, c, l));
	kc_log(kc, CTI_LOG_NOTICE, "card %s: gone (%d)", c->name, error);
	kc_card_free(c);
}
