// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * card_event.c - event buffers and the accessors of one event
 *
 * An event is a private copy of its record (card_internal.h). The copy is
 * made safe to read here once, so that no accessor has to check anything:
 * strings the kernel sends in fixed arrays are cut at their last byte, and
 * counts are clamped to their arrays.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "card_internal.h"

#define BUFFER_MAX 65536

CTI_API int cti_card_event_buffer_new(size_t capacity,
				      struct cti_card_event_buffer **bufp)
{
	struct cti_card_event_buffer *buf;

	if (!bufp || capacity == 0 || capacity > BUFFER_MAX)
		return -EINVAL;
	buf = calloc(1, sizeof(*buf) + capacity * sizeof(buf->events[0]));
	if (!buf)
		return -ENOMEM;
	buf->capacity = capacity;
	*bufp = buf;
	return 0;
}

CTI_API void cti_card_event_buffer_free(struct cti_card_event_buffer *buf)
{
	free(buf);
}

CTI_API size_t cti_card_event_buffer_get_capacity(
	const struct cti_card_event_buffer *buf)
{
	return buf->capacity;
}

CTI_API size_t cti_card_event_buffer_get_num_events(
	const struct cti_card_event_buffer *buf)
{
	return buf->num;
}

CTI_API const struct cti_card_event *cti_card_event_buffer_get_event(
	const struct cti_card_event_buffer *buf, size_t index)
{
	return index < buf->num ? &buf->events[index] : NULL;
}

static void cut(char *s, size_t size)
{
	s[size - 1] = '\0';
}

/**
 * cti_card_event_store() - copy a checked record into an event
 * @ev: the event
 * @rec: the record, of @size bytes (cti_card_record_check() passed)
 * @size: its size
 */
void cti_card_event_store(struct cti_card_event *ev, const void *rec,
			  uint32_t size)
{
	uint32_t n = size < sizeof(ev->rec) ? size : sizeof(ev->rec);

	memcpy(&ev->rec, rec, n);
	memset((char *)&ev->rec + n, 0, sizeof(ev->rec) - n);
	ev->len = n;
	ev->text[0] = '\0';
	switch (ev->rec.hdr.type) {
	case CTI_EV_CALL_INFO:
		cut(ev->rec.call_info.caller, sizeof(ev->rec.call_info.caller));
		cut(ev->rec.call_info.caller_name,
		    sizeof(ev->rec.call_info.caller_name));
		cut(ev->rec.call_info.called, sizeof(ev->rec.call_info.called));
		cut(ev->rec.call_info.called_name,
		    sizeof(ev->rec.call_info.called_name));
		break;
	case CTI_EV_DIGITS: {
		uint32_t count = ev->rec.digits.count;

		if (count > CTI_DIGITS_MAX)
			count = CTI_DIGITS_MAX;
		memcpy(ev->text, ev->rec.digits.digits, count);
		ev->text[count] = '\0';
		break;
	}
	case CTI_EV_LINE_STATUS:
		memcpy(ev->text, ev->rec.line_status.forward_to, CTI_NUMBER_MAX);
		ev->text[CTI_NUMBER_MAX - 1] = '\0';
		break;
	case CTI_EV_LINK_FRAME: {
		/* the frame may not reach past what the record holds */
		uint32_t room = n - sizeof(struct cti_ev_link_frame);

		if (n < sizeof(struct cti_ev_link_frame))
			room = 0;
		if (ev->rec.link_frame.len > room)
			ev->rec.link_frame.len = room;
		break;
	}
	default:
		break;
	}
}

static uint32_t type_of(const struct cti_card_event *ev)
{
	return ev->rec.hdr.type;
}

CTI_API uint32_t cti_card_event_get_type(const struct cti_card_event *ev)
{
	return type_of(ev);
}

CTI_API uint32_t cti_card_event_get_line(const struct cti_card_event *ev)
{
	return ev->rec.hdr.line;
}

CTI_API uint64_t cti_card_event_get_seq(const struct cti_card_event *ev)
{
	return ev->rec.hdr.seq;
}

CTI_API uint64_t cti_card_event_get_timestamp_ns(
	const struct cti_card_event *ev)
{
	return ev->rec.hdr.timestamp_ns;
}

CTI_API uint64_t cti_card_event_get_request_id(const struct cti_card_event *ev)
{
	return type_of(ev) == CTI_EV_REPLY ? ev->rec.reply.id : 0;
}

CTI_API int cti_card_event_get_error(const struct cti_card_event *ev)
{
	return type_of(ev) == CTI_EV_REPLY ? ev->rec.reply.error : 0;
}

CTI_API uint32_t cti_card_event_get_cmd(const struct cti_card_event *ev)
{
	return type_of(ev) == CTI_EV_REPLY ? ev->rec.reply.cmd : 0;
}

CTI_API uint32_t cti_card_event_get_call(const struct cti_card_event *ev)
{
	switch (type_of(ev)) {
	case CTI_EV_REPLY:
		return ev->rec.reply.call;
	case CTI_EV_CALL_STATE:
		return ev->rec.call_state.call;
	case CTI_EV_CALL_INFO:
		return ev->rec.call_info.call;
	case CTI_EV_DIGITS:
		return ev->rec.digits.call;
	default:
		return CTI_CALL_NONE;
	}
}

CTI_API uint32_t cti_card_event_get_state(const struct cti_card_event *ev)
{
	switch (type_of(ev)) {
	case CTI_EV_CALL_STATE:
		return ev->rec.call_state.state;
	case CTI_EV_LINE_STATUS:
		return ev->rec.line_status.status;
	case CTI_EV_PHONE_HOOK:
		return ev->rec.phone_hook.mode;
	case CTI_EV_PHONE_BUTTON:
		return ev->rec.phone_button.pressed;
	case CTI_EV_LINK_STATE:
		return ev->rec.link_state.state;
	default:
		return 0;
	}
}

CTI_API uint32_t cti_card_event_get_reason(const struct cti_card_event *ev)
{
	switch (type_of(ev)) {
	case CTI_EV_CALL_STATE:
		return ev->rec.call_state.reason;
	case CTI_EV_CALL_INFO:
		return ev->rec.call_info.reason;
	default:
		return 0;
	}
}

CTI_API uint32_t cti_card_event_get_related_call(
	const struct cti_card_event *ev)
{
	switch (type_of(ev)) {
	case CTI_EV_CALL_STATE:
		return ev->rec.call_state.related_call;
	case CTI_EV_CALL_INFO:
		return ev->rec.call_info.related_call;
	default:
		return CTI_CALL_NONE;
	}
}

CTI_API uint32_t cti_card_event_get_origin(const struct cti_card_event *ev)
{
	return type_of(ev) == CTI_EV_CALL_INFO ? ev->rec.call_info.origin : 0;
}

CTI_API uint64_t cti_card_event_get_changed(const struct cti_card_event *ev)
{
	return type_of(ev) == CTI_EV_CALL_INFO ? ev->rec.call_info.changed : 0;
}

CTI_API uint32_t cti_card_event_get_arg(const struct cti_card_event *ev)
{
	switch (type_of(ev)) {
	case CTI_EV_PHONE_HOOK:
		return ev->rec.phone_hook.hookswitch;
	case CTI_EV_PHONE_BUTTON:
		return ev->rec.phone_button.button;
	default:
		return 0;
	}
}

CTI_API uint32_t cti_card_event_get_num_calls(const struct cti_card_event *ev)
{
	return type_of(ev) == CTI_EV_LINE_STATUS ?
		ev->rec.line_status.num_calls : 0;
}

CTI_API uint32_t cti_card_event_get_forward_mode(
	const struct cti_card_event *ev)
{
	return type_of(ev) == CTI_EV_LINE_STATUS ?
		ev->rec.line_status.forward_mode : 0;
}

CTI_API int cti_card_event_get_dnd(const struct cti_card_event *ev)
{
	return type_of(ev) == CTI_EV_LINE_STATUS && ev->rec.line_status.dnd;
}

static const char *info_str(const struct cti_card_event *ev, const char *s)
{
	return type_of(ev) == CTI_EV_CALL_INFO ? s : "";
}

CTI_API const char *cti_card_event_get_caller(const struct cti_card_event *ev)
{
	return info_str(ev, ev->rec.call_info.caller);
}

CTI_API const char *cti_card_event_get_caller_name(
	const struct cti_card_event *ev)
{
	return info_str(ev, ev->rec.call_info.caller_name);
}

CTI_API const char *cti_card_event_get_called(const struct cti_card_event *ev)
{
	return info_str(ev, ev->rec.call_info.called);
}

CTI_API const char *cti_card_event_get_called_name(
	const struct cti_card_event *ev)
{
	return info_str(ev, ev->rec.call_info.called_name);
}

/* ev->text is "" for every type that has none (cti_card_event_store()). */
CTI_API const char *cti_card_event_get_text(const struct cti_card_event *ev)
{
	return ev->text;
}

CTI_API size_t cti_card_event_get_data(const struct cti_card_event *ev,
				       const void **data)
{
	if (type_of(ev) != CTI_EV_LINK_FRAME) {
		if (data)
			*data = NULL;
		return 0;
	}
	if (data)
		*data = ev->rec.link_frame.data;
	return ev->rec.link_frame.len;
}

CTI_API uint64_t cti_card_event_get_lost(const struct cti_card_event *ev)
{
	return type_of(ev) == CTI_EV_OVERFLOW ? ev->rec.overflow.lost : 0;
}

CTI_API const char *cti_card_event_type_name(uint32_t type)
{
	static const char *const names[CTI_EV_MAX] = {
		[CTI_EV_PAD] = "PAD",
		[CTI_EV_REPLY] = "REPLY",
		[CTI_EV_CALL_STATE] = "CALL_STATE",
		[CTI_EV_CALL_INFO] = "CALL_INFO",
		[CTI_EV_DIGITS] = "DIGITS",
		[CTI_EV_LINE_STATUS] = "LINE_STATUS",
		[CTI_EV_PHONE_HOOK] = "PHONE_HOOK",
		[CTI_EV_PHONE_BUTTON] = "PHONE_BUTTON",
		[CTI_EV_LINK_FRAME] = "LINK_FRAME",
		[CTI_EV_LINK_STATE] = "LINK_STATE",
		[CTI_EV_OVERFLOW] = "OVERFLOW",
		[CTI_EV_CARD_REMOVED] = "CARD_REMOVED",
	};

	return type < CTI_EV_MAX ? names[type] : "?";
}
