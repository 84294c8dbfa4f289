// SPDX-License-Identifier: GPL-2.0
/*
 * What a provider asks of an open call-control card (cti_provider.h:
 * card_get_info, card_get_line, card_submit, card_snapshot): the card
 * layer's answers, copied into the provider ABI's plain structs so that a
 * provider never links libcti nor holds its objects. Each is one ioctl
 * (or a few) on the card: quick, never waiting on the switch.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/cti.h>

#include "ctid.h"	/* <linux/cti.h> before cti_card.h */
#include "cti_card.h"
#include "host/card.h"

int card_get_info(struct provider *p, int64_t cid,
		  struct cti_provider_card_info *info)
{
	struct cti_card_desc *d;
	uint64_t lost;
	struct cti_card *card = card_of(p, cid, &lost);
	int ret;

	if (!card || !info)
		return card ? -EINVAL : -ENOENT;
	ret = cti_card_get_desc(card, &d);
	if (ret)
		return ret;
	card_info_from_desc(d, info);
	info->lost = lost;
	cti_card_desc_free(d);
	return 0;
}

/* The phone attached to @line, if any: the card numbers phones apart. */
static int find_phone(struct cti_card *card, uint32_t line,
		      struct cti_provider_phone_desc *ph, uint32_t *phone)
{
	struct cti_card_desc *d;
	uint32_t n;
	int ret;

	*phone = CTI_LINE_NONE;
	ret = cti_card_get_desc(card, &d);
	if (ret)
		return ret;
	n = cti_card_desc_get_num_phones(d);
	cti_card_desc_free(d);
	for (uint32_t i = 0; i < n; i++) {
		struct cti_card_phone_info *pi;

		ret = cti_card_get_phone_info(card, i, &pi);
		if (ret)
			return ret;
		if (cti_card_phone_info_get_line(pi) == line) {
			*phone = i;
			ph->hookswitches = cti_card_phone_info_get_hookswitches(pi);
			ph->num_buttons = cti_card_phone_info_get_num_buttons(pi);
			ph->num_lamps = cti_card_phone_info_get_num_lamps(pi);
			ph->display_rows = cti_card_phone_info_get_display_rows(pi);
			ph->display_cols = cti_card_phone_info_get_display_cols(pi);
			cti_card_phone_info_free(pi);
			return 0;
		}
		cti_card_phone_info_free(pi);
	}
	return 0;
}

int card_get_line(struct provider *p, int64_t cid, uint32_t line,
		  struct cti_provider_line_desc *desc, uint32_t *phone)
{
	struct cti_card *card = card_of(p, cid, NULL);
	struct cti_card_line_info *li;
	uint32_t ph_idx;
	size_t n;
	int ret;

	if (!card)
		return -ENOENT;
	if (!desc)
		return -EINVAL;
	ret = cti_card_get_line_info(card, line, &li);
	if (ret)
		return ret;
	memset(desc, 0, sizeof(*desc));
	desc->size = sizeof(*desc);
	desc->max_calls = cti_card_line_info_get_max_calls(li);
	if (!desc->max_calls)
		desc->max_calls = 1;
	desc->ops = cti_card_line_info_get_ops(li);
	desc->status = cti_card_line_info_get_status(li);
	card_copy_str(desc->name, sizeof(desc->name), cti_card_line_info_get_name(li));
	n = cti_card_line_info_get_num_addresses(li);
	if (n > CTI_MAX_ADDRESSES)
		n = CTI_MAX_ADDRESSES;
	for (size_t i = 0; i < n; i++)
		card_copy_str(desc->addresses[i], CTI_NUMBER_MAX,
			 cti_card_line_info_get_address(li, i));
	desc->num_addresses = (uint32_t)n;
	cti_card_line_info_free(li);
	ret = find_phone(card, line, &desc->phone, &ph_idx);
	if (phone)
		*phone = ph_idx;
	return ret;
}

int card_submit(struct provider *p, int64_t cid,
		const struct cti_provider_request *req)
{
	struct cti_card *card = card_of(p, cid, NULL);
	struct cti_card_request r = { .size = sizeof(r) };

	if (!card)
		return -ENOENT;
	if (!req || req->cmd > UINT16_MAX || req->data_len > CTI_DATA_MAX ||
	    (req->data_len && !req->data))
		return -EINVAL;
	r.cmd = (uint16_t)req->cmd;
	r.id = req->handle;
	r.line = req->line;
	r.call = req->call;
	r.call2 = req->call2;
	r.arg = req->arg;
	r.arg2 = req->arg2;
	r.data = req->data_len ? req->data : NULL;
	r.data_len = req->data_len;
	return cti_card_submit(card, &r);
}

static void snap_copy(const struct cti_card_snapshot *s,
		      struct cti_provider_card_snapshot *snap)
{
	for (uint32_t i = 0; i < snap->num_lines; i++) {
		struct cti_provider_card_line *l = &snap->lines[i];

		memset(l, 0, sizeof(*l));
		l->line = cti_card_snapshot_get_line(s, i);
		l->status = cti_card_snapshot_get_line_status(s, i);
		l->num_calls = cti_card_snapshot_get_line_num_calls(s, i);
		l->forward_mode = cti_card_snapshot_get_line_forward_mode(s, i);
		l->dnd = (uint32_t)cti_card_snapshot_get_line_dnd(s, i);
		card_copy_str(l->forward_to, sizeof(l->forward_to),
			 cti_card_snapshot_get_line_forward_to(s, i));
	}
	for (uint32_t i = 0; i < snap->num_calls; i++) {
		struct cti_provider_card_call *c = &snap->calls[i];

		memset(c, 0, sizeof(*c));
		c->line = cti_card_snapshot_get_call_line(s, i);
		c->call = cti_card_snapshot_get_call(s, i);
		c->state = cti_card_snapshot_get_call_state(s, i);
		c->reason = cti_card_snapshot_get_call_reason(s, i);
		c->origin = cti_card_snapshot_get_call_origin(s, i);
		c->related = cti_card_snapshot_get_call_related(s, i);
		card_copy_str(c->caller, sizeof(c->caller),
			 cti_card_snapshot_get_call_caller(s, i));
		card_copy_str(c->called, sizeof(c->called),
			 cti_card_snapshot_get_call_called(s, i));
	}
}

int card_snapshot(struct provider *p, int64_t cid,
		  struct cti_provider_card_snapshot *snap)
{
	struct cti_card *card = card_of(p, cid, NULL);
	struct cti_card_snapshot *s;
	size_t nl, nc;
	int ret;

	if (!card)
		return -ENOENT;
	if (!snap || (snap->max_lines && !snap->lines) ||
	    (snap->max_calls && !snap->calls))
		return -EINVAL;
	ret = cti_card_snapshot(card, &s);
	if (ret)
		return ret;
	nl = cti_card_snapshot_get_num_lines(s);
	nc = cti_card_snapshot_get_num_calls(s);
	snap->num_lines = (uint32_t)nl;
	snap->num_calls = (uint32_t)nc;
	snap->seq = cti_card_snapshot_get_seq(s);
	if (nl > snap->max_lines || nc > snap->max_calls)
		ret = -ENOSPC;
	else
		snap_copy(s, snap);
	cti_card_snapshot_free(s);
	return ret;
}
