// SPDX-License-Identifier: GPL-2.0
/*
 * card_rec: a card-layer event (lib/cti_card.h, opaque, read through its
 * getters) made back into the kernel record a provider reads (struct
 * cti_event and its payload, <linux/cti.h>), and a card's description
 * into the provider ABI's card info. The card layer keeps the kernel ABI
 * private to libcti; providers speak that ABI, so the host rebuilds the
 * records field by field: what arrives at a provider is always a
 * well-formed record (sizes, NUL-terminated strings), however the ring
 * looked. These conversions use nothing else of the host.
 */
#include <string.h>

#include <linux/cti.h>

#include "cti_card.h"
#include "host/card.h"

static void hdr_fill(struct cti_event *h, const struct cti_card_event *ev,
		     size_t size)
{
	h->type = (uint16_t)cti_card_event_get_type(ev);
	h->size = (uint16_t)size;
	h->line = cti_card_event_get_line(ev);
	h->seq = cti_card_event_get_seq(ev);
	h->timestamp_ns = cti_card_event_get_timestamp_ns(ev);
}

static size_t rec_call(const struct cti_card_event *ev, void *out)
{
	uint32_t type = cti_card_event_get_type(ev);

	if (type == CTI_EV_CALL_STATE) {
		struct cti_ev_call_state *r = out;

		r->call = cti_card_event_get_call(ev);
		r->state = cti_card_event_get_state(ev);
		r->reason = cti_card_event_get_reason(ev);
		r->related_call = cti_card_event_get_related_call(ev);
		return sizeof(*r);
	} else {
		struct cti_ev_call_info *r = out;

		r->call = cti_card_event_get_call(ev);
		r->origin = cti_card_event_get_origin(ev);
		r->changed = cti_card_event_get_changed(ev);
		r->reason = cti_card_event_get_reason(ev);
		r->related_call = cti_card_event_get_related_call(ev);
		card_copy_str(r->caller, sizeof(r->caller), cti_card_event_get_caller(ev));
		card_copy_str(r->caller_name, sizeof(r->caller_name),
			 cti_card_event_get_caller_name(ev));
		card_copy_str(r->called, sizeof(r->called), cti_card_event_get_called(ev));
		card_copy_str(r->called_name, sizeof(r->called_name),
			 cti_card_event_get_called_name(ev));
		return sizeof(*r);
	}
}

static size_t rec_line(const struct cti_card_event *ev, void *out)
{
	uint32_t type = cti_card_event_get_type(ev);

	if (type == CTI_EV_DIGITS) {
		struct cti_ev_digits *r = out;
		const char *d = cti_card_event_get_text(ev);

		r->call = cti_card_event_get_call(ev);
		r->count = (uint32_t)strnlen(d, sizeof(r->digits));
		memcpy(r->digits, d, r->count);
		return sizeof(*r);
	} else {
		struct cti_ev_line_status *r = out;

		r->status = cti_card_event_get_state(ev);
		r->num_calls = cti_card_event_get_num_calls(ev);
		r->forward_mode = cti_card_event_get_forward_mode(ev);
		r->dnd = (uint32_t)cti_card_event_get_dnd(ev);
		card_copy_str(r->forward_to, sizeof(r->forward_to),
			 cti_card_event_get_text(ev));
		return sizeof(*r);
	}
}

static size_t rec_other(const struct cti_card_event *ev, void *out)
{
	switch (cti_card_event_get_type(ev)) {
	case CTI_EV_REPLY: {
		struct cti_ev_reply *r = out;

		r->id = cti_card_event_get_request_id(ev);
		r->error = cti_card_event_get_error(ev);
		r->call = cti_card_event_get_call(ev);
		r->cmd = cti_card_event_get_cmd(ev);
		return sizeof(*r);
	}
	case CTI_EV_PHONE_HOOK:
	case CTI_EV_PHONE_BUTTON: {
		struct cti_ev_phone_hook *r = out;	/* same layout */

		r->hookswitch = cti_card_event_get_arg(ev);
		r->mode = cti_card_event_get_state(ev);
		return sizeof(*r);
	}
	case CTI_EV_LINK_STATE: {
		struct cti_ev_link_state *r = out;

		r->state = cti_card_event_get_state(ev);
		return sizeof(*r);
	}
	case CTI_EV_OVERFLOW: {
		struct cti_ev_overflow *r = out;

		r->lost = cti_card_event_get_lost(ev);
		return sizeof(*r);
	}
	case CTI_EV_LINK_FRAME: {
		struct cti_ev_link_frame *r = out;
		const void *data = NULL;
		size_t len = cti_card_event_get_data(ev, &data);

		if (len > CTI_LINK_FRAME_MAX)
			len = CTI_LINK_FRAME_MAX;
		r->len = (uint32_t)len;
		if (len)
			memcpy(r->data, data, len);
		return (sizeof(*r) + len + 7) & ~(size_t)7;
	}
	default:
		return sizeof(struct cti_event);	/* a type we do not know */
	}
}

size_t card_rec_build(const struct cti_card_event *ev, void *out)
{
	size_t size;

	memset(out, 0, CTI_EVENT_MAX_SIZE);
	switch (cti_card_event_get_type(ev)) {
	case CTI_EV_CALL_STATE:
	case CTI_EV_CALL_INFO:
		size = rec_call(ev, out);
		break;
	case CTI_EV_DIGITS:
	case CTI_EV_LINE_STATUS:
		size = rec_line(ev, out);
		break;
	default:
		size = rec_other(ev, out);
		break;
	}
	hdr_fill(out, ev, size);
	return size;
}

void card_info_from_desc(const struct cti_card_desc *d,
			 struct cti_provider_card_info *info)
{
	memset(info, 0, sizeof(*info));
	info->index = cti_card_desc_get_index(d);
	info->num_lines = cti_card_desc_get_num_lines(d);
	info->num_phones = cti_card_desc_get_num_phones(d);
	info->link_state = cti_card_desc_get_link_state(d);
	info->caps = cti_card_desc_get_caps(d);
	card_copy_str(info->name, sizeof(info->name), cti_card_desc_get_name(d));
	card_copy_str(info->driver, sizeof(info->driver), cti_card_desc_get_driver(d));
}
