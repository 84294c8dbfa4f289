// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kcard's requests: a ctid request becomes a command on the card that
 * holds its line, with the host's handle as the card's request id, and
 * completes when the card's REPLY with that id comes back (kc_ops.c).
 *
 * Authorised at the point of effect: the host has vetted the request's
 * own line. A number the command dials, transfers, redirects or forwards
 * to may be another line of the same card (its directory number): that
 * line is vetted with authorize(CTI_REACH_CALL), a pickup target with
 * CTI_REACH_PICKUP. A group pickup lets the card choose among its lines,
 * which kcard cannot steer: it goes ahead only if the client may pick up
 * on every line of the card. DEV_SPECIFIC reaches the backend, beyond
 * lines: CTI_REACH_SWITCH.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kcard.h"

/* The present line of card @c whose directory number is @number. */
static uint32_t kc_number_line(struct kc *kc, struct kc_card *c,
			       const char *number)
{
	for (uint32_t l = 0; l < c->nlines; l++) {
		struct cti_provider_line_desc d;

		if (!c->present[l] ||
		    kc->api->card_get_line(kc->host, c->cid, l, &d, NULL))
			continue;
		for (uint32_t a = 0; a < d.num_addresses && a < CTI_MAX_ADDRESSES; a++)
			if (!strcmp(d.addresses[a], number))
				return l;
	}
	return CTI_LINE_NONE;
}

static int kc_ask(struct kc *kc, const struct cti_provider_request *req,
		  uint32_t local, uint32_t reach)
{
	if (reach != CTI_REACH_SWITCH && local == req->line)
		return 0;
	if (!CTI_HOST_API_HAS(kc->api, authorize) || !kc->api->authorize)
		return -EACCES;
	return kc->api->authorize(kc->host, req->handle, local, reach);
}

static int kc_vet(struct kc *kc, struct kc_card *c,
		  const struct cti_provider_request *req)
{
	uint32_t t;
	int ret;

	switch (req->cmd) {
	case CTI_CMD_MAKE_CALL:
	case CTI_CMD_BLIND_TRANSFER:
	case CTI_CMD_SETUP_TRANSFER:
	case CTI_CMD_SETUP_CONFERENCE:
	case CTI_CMD_REDIRECT:
	case CTI_CMD_SET_FORWARD:
		if (!req->data_len)
			return 0;
		t = kc_number_line(kc, c, req->data);
		return t == CTI_LINE_NONE ? 0 :
			kc_ask(kc, req, kc_local(kc, c, t), CTI_REACH_CALL);
	case CTI_CMD_PICKUP:
		if (req->data_len) {
			t = kc_number_line(kc, c, req->data);
			return t == CTI_LINE_NONE ? 0 :
				kc_ask(kc, req, kc_local(kc, c, t), CTI_REACH_PICKUP);
		}
		for (t = 0; t < c->nlines; t++) {
			if (!c->present[t])
				continue;
			ret = kc_ask(kc, req, kc_local(kc, c, t), CTI_REACH_PICKUP);
			if (ret)
				return ret;
		}
		return 0;
	case CTI_CMD_DEV_SPECIFIC:
		return kc_ask(kc, req, CTI_LINE_NONE, CTI_REACH_SWITCH);
	default:
		return 0;
	}
}

static bool kc_is_phone_cmd(uint32_t cmd)
{
	return cmd == CTI_CMD_SET_HOOK || cmd == CTI_CMD_SET_DISPLAY ||
	       cmd == CTI_CMD_SET_LAMP || cmd == CTI_CMD_SET_RING;
}

int kc_submit(struct kc *kc, const struct cti_provider_request *req)
{
	struct cti_provider_request r = *req;
	struct kc_card *c;
	struct kc_req *q;
	uint32_t line;
	int ret;

	c = kc_line(kc, req->line, &line);
	if (!c)
		return -ENODEV;
	if (req->cmd >= CTI_UCMD_BASE || req->cmd == CTI_CMD_SEND_LINK_FRAME)
		return -EOPNOTSUPP;
	ret = kc_vet(kc, c, req);
	if (ret)
		return ret;
	r.line = line;
	if (kc_is_phone_cmd(req->cmd)) {
		r.line = c->phone_of_line[line];
		if (r.line == CTI_LINE_NONE)
			return -EOPNOTSUPP;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	ret = kc->api->card_submit(kc->host, c->cid, &r);
	if (ret) {
		free(q);
		return ret;
	}
	q->handle = req->handle;
	kc_phone_remember(q, req, line);
	q->slot = (uint32_t)(c - kc->cards);
	q->next = kc->reqs;
	kc->reqs = q;
	return 0;
}
