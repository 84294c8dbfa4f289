// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * msg.c - messages: the queue the program drains and their accessors
 *
 * A message keeps the decoded frame it came from; accessors read the field
 * that the message's type defines and answer 0, NULL-free "" or
 * CTI_LINE_NONE for fields the type does not have, so a program can print
 * any message without a switch on its type.
 *
 * The queue is a singly linked list with a tail pointer. While it is not
 * empty when control returns to the program, the session's eventfd holds a
 * count, which keeps the pollable fd readable even when the socket has
 * nothing new: a program that stops draining halfway is woken again. The
 * eventfd is set and cleared only on the way out of the public functions
 * (cti_msg_sync_fd()), so a message that is queued and taken within one
 * call costs no system call.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "internal.h"

struct cti_msg *cti_msg_new(enum cti_msg_type type)
{
	struct cti_msg *m = calloc(1, sizeof(*m));

	if (m)
		m->type = type;
	return m;
}

void cti_msg_sync_fd(struct cti_session *s)
{
	eventfd_t v;

	if (s->head && !s->ev_armed) {
		if (eventfd_write(s->evfd, 1) == 0)
			s->ev_armed = true;
	} else if (!s->head && s->ev_armed) {
		if (eventfd_read(s->evfd, &v) == 0 || errno == EAGAIN)
			s->ev_armed = false;
	}
}

void cti_msg_queue(struct cti_session *s, struct cti_msg *m)
{
	m->next = NULL;
	*s->tail = m;
	s->tail = &m->next;
}

struct cti_msg *cti_msg_pop(struct cti_session *s)
{
	struct cti_msg *m = s->head;

	if (m) {
		s->head = m->next;
		if (!s->head)
			s->tail = &s->head;
		m->next = NULL;
	}
	return m;
}

struct cti_msg *cti_msg_take_reply(struct cti_session *s, uint64_t req)
{
	struct cti_msg **pp;

	for (pp = &s->head; *pp; pp = &(*pp)->next) {
		struct cti_msg *m = *pp;

		if (m->type != CTI_MSG_REPLY || m->request != req)
			continue;
		*pp = m->next;
		if (!*pp)
			s->tail = pp;
		m->next = NULL;
		return m;
	}
	return NULL;
}

void cti_msgs_free(struct cti_session *s)
{
	struct cti_msg *m;

	while ((m = s->head)) {
		s->head = m->next;
		free(m);
	}
	s->tail = &s->head;
}

CTI_API void cti_msg_free(struct cti_msg *msg)
{
	free(msg);
}

CTI_API enum cti_msg_type cti_msg_get_type(struct cti_msg *msg)
{
	return msg->type;
}

CTI_API struct cti_line *cti_msg_get_line(struct cti_msg *msg)
{
	return msg->line;
}

/* The line id of the message's frame, whatever its type. */
CTI_API uint32_t cti_msg_get_line_id(struct cti_msg *msg)
{
	const struct cti_wire_frame *f = &msg->f;

	if (msg->line)
		return msg->line->info.line;
	switch (f->hdr.type) {
	case CTI_WIRE_REPLY:
		return f->u.reply.line;
	case CTI_WIRE_CALL:
		return f->u.call.line;
	case CTI_WIRE_EV_CALL_STATE:
		return f->u.call_state.line;
	case CTI_WIRE_EV_CALL_INFO:
		return f->u.call_info.line;
	case CTI_WIRE_EV_LINK_STATE:
		return f->u.link_state.line;
	case CTI_WIRE_EV_DEV_SPECIFIC:
		return f->u.dev_specific.line;
	default:
		return CTI_LINE_NONE;
	}
}

CTI_API uint64_t cti_msg_get_seq(struct cti_msg *msg)
{
	return cti_wire_type_is_event(msg->f.hdr.type) ? msg->f.hdr.id : 0;
}

CTI_API uint64_t cti_msg_get_timestamp_ns(struct cti_msg *msg)
{
	const struct cti_wire_frame *f = &msg->f;

	/* every event body stores it in its own place; see wire.h */
	switch (f->hdr.type) {
	case CTI_WIRE_EV_CALL_STATE:
		return f->u.call_state.timestamp_ns;
	case CTI_WIRE_EV_CALL_INFO:
		return f->u.call_info.timestamp_ns;
	case CTI_WIRE_EV_DIGITS:
		return f->u.digits.timestamp_ns;
	case CTI_WIRE_EV_LINE_STATUS:
		return f->u.line_status.timestamp_ns;
	case CTI_WIRE_EV_PHONE_HOOK:
		return f->u.phone_hook.timestamp_ns;
	case CTI_WIRE_EV_PHONE_BUTTON:
		return f->u.phone_button.timestamp_ns;
	case CTI_WIRE_EV_LINK_STATE:
		return f->u.link_state.timestamp_ns;
	case CTI_WIRE_EV_LINE_REMOVED:
		return f->u.line_removed.timestamp_ns;
	case CTI_WIRE_EV_PRIVILEGE:
		return f->u.privilege.timestamp_ns;
	case CTI_WIRE_EV_AGENT_STATE:
		return f->u.agent_state.timestamp_ns;
	case CTI_WIRE_EV_PROVIDER_STATE:
		return f->u.provider_state.timestamp_ns;
	case CTI_WIRE_EV_PHONE_DISPLAY:
		return f->u.phone_display.timestamp_ns;
	case CTI_WIRE_EV_PHONE_LAMP:
		return f->u.phone_lamp.timestamp_ns;
	case CTI_WIRE_EV_PHONE_RING:
		return f->u.phone_ring.timestamp_ns;
	case CTI_WIRE_EV_DEV_SPECIFIC:
		return f->u.dev_specific.timestamp_ns;
	default:
		return 0;
	}
}

CTI_API uint64_t cti_msg_get_request(struct cti_msg *msg)
{
	return msg->request;
}

CTI_API int cti_msg_get_error(struct cti_msg *msg)
{
	if (msg->f.hdr.type == CTI_WIRE_EV_PROVIDER_STATE)
		return msg->f.u.provider_state.error;
	return msg->error;
}

CTI_API uint32_t cti_msg_get_call(struct cti_msg *msg)
{
	const struct cti_wire_frame *f = &msg->f;

	switch (f->hdr.type) {
	case CTI_WIRE_REPLY:
		return f->u.reply.call;
	case CTI_WIRE_CALL:
		return f->u.call.call;
	case CTI_WIRE_EV_CALL_STATE:
		return f->u.call_state.call;
	case CTI_WIRE_EV_CALL_INFO:
		return f->u.call_info.call;
	case CTI_WIRE_EV_DIGITS:
		return f->u.digits.call;
	case CTI_WIRE_EV_PRIVILEGE:
		return f->u.privilege.call;
	default:
		return CTI_CALL_NONE;
	}
}

CTI_API uint32_t cti_msg_get_related_call(struct cti_msg *msg)
{
	const struct cti_wire_frame *f = &msg->f;

	switch (f->hdr.type) {
	case CTI_WIRE_CALL:
		return f->u.call.related_call;
	case CTI_WIRE_EV_CALL_STATE:
		return f->u.call_state.related_call;
	case CTI_WIRE_EV_CALL_INFO:
		return f->u.call_info.related_call;
	default:
		return CTI_CALL_NONE;
	}
}

CTI_API uint32_t cti_msg_get_state(struct cti_msg *msg)
{
	const struct cti_wire_frame *f = &msg->f;

	switch (f->hdr.type) {
	case CTI_WIRE_CALL:
		return f->u.call.state;
	case CTI_WIRE_EV_CALL_STATE:
		return f->u.call_state.state;
	case CTI_WIRE_EV_LINE_STATUS:
		return f->u.line_status.status;
	case CTI_WIRE_EV_PHONE_HOOK:
		return f->u.phone_hook.mode;
	case CTI_WIRE_EV_PHONE_BUTTON:
		return f->u.phone_button.pressed;
	case CTI_WIRE_EV_PHONE_LAMP:
		return f->u.phone_lamp.mode;
	case CTI_WIRE_EV_PHONE_RING:
		return f->u.phone_ring.volume;
	case CTI_WIRE_EV_LINK_STATE:
		return f->u.link_state.state;
	case CTI_WIRE_EV_AGENT_STATE:
		return f->u.agent_state.state;
	case CTI_WIRE_EV_PROVIDER_STATE:
		return f->u.provider_state.state;
	case CTI_WIRE_PROVIDER:
		return f->u.provider.state;
	default:
		return 0;
	}
}

CTI_API uint32_t cti_msg_get_reason(struct cti_msg *msg)
{
	const struct cti_wire_frame *f = &msg->f;

	switch (f->hdr.type) {
	case CTI_WIRE_CALL:
		return f->u.call.reason;
	case CTI_WIRE_EV_CALL_STATE:
		return f->u.call_state.reason;
	case CTI_WIRE_EV_CALL_INFO:
		return f->u.call_info.reason;
	case CTI_WIRE_EV_AGENT_STATE:
		return f->u.agent_state.reason;
	case CTI_WIRE_RESYNC:
		return f->u.resync.reason;
	default:
		return 0;
	}
}

CTI_API uint32_t cti_msg_get_origin(struct cti_msg *msg)
{
	if (msg->f.hdr.type == CTI_WIRE_CALL)
		return msg->f.u.call.origin;
	if (msg->f.hdr.type == CTI_WIRE_EV_CALL_INFO)
		return msg->f.u.call_info.origin;
	return CTI_ORIGIN_UNKNOWN;
}

CTI_API uint64_t cti_msg_get_changed(struct cti_msg *msg)
{
	if (msg->f.hdr.type == CTI_WIRE_EV_CALL_INFO)
		return msg->f.u.call_info.changed;
	return 0;
}

CTI_API uint32_t cti_msg_get_arg(struct cti_msg *msg)
{
	const struct cti_wire_frame *f = &msg->f;

	switch (f->hdr.type) {
	case CTI_WIRE_EV_PHONE_HOOK:
		return f->u.phone_hook.hookswitch;
	case CTI_WIRE_EV_PHONE_BUTTON:
		return f->u.phone_button.button;
	case CTI_WIRE_EV_PHONE_DISPLAY:
		return f->u.phone_display.row;
	case CTI_WIRE_EV_PHONE_LAMP:
		return f->u.phone_lamp.lamp;
	case CTI_WIRE_EV_PHONE_RING:
		return f->u.phone_ring.pattern;
	case CTI_WIRE_EV_AGENT_STATE:
		return f->u.agent_state.activity;
	case CTI_WIRE_PROVIDER:
		return f->u.provider.num_lines;
	case CTI_WIRE_END:
		return f->u.end.count;
	default:
		return 0;
	}
}

CTI_API enum cti_privilege cti_msg_get_privilege(struct cti_msg *msg)
{
	const struct cti_wire_frame *f = &msg->f;

	switch (f->hdr.type) {
	case CTI_WIRE_CALL:
		return (enum cti_privilege)f->u.call.privilege;
	case CTI_WIRE_EV_CALL_STATE:
		return (enum cti_privilege)f->u.call_state.privilege;
	case CTI_WIRE_EV_PRIVILEGE:
		return (enum cti_privilege)f->u.privilege.privilege;
	default:
		return CTI_PRIV_NONE;
	}
}

CTI_API const char *cti_msg_get_caller(struct cti_msg *msg)
{
	if (msg->f.hdr.type == CTI_WIRE_CALL)
		return msg->f.u.call.caller;
	if (msg->f.hdr.type == CTI_WIRE_EV_CALL_INFO)
		return msg->f.u.call_info.caller;
	return "";
}

CTI_API const char *cti_msg_get_caller_name(struct cti_msg *msg)
{
	if (msg->f.hdr.type == CTI_WIRE_CALL)
		return msg->f.u.call.caller_name;
	if (msg->f.hdr.type == CTI_WIRE_EV_CALL_INFO)
		return msg->f.u.call_info.caller_name;
	return "";
}

CTI_API const char *cti_msg_get_called(struct cti_msg *msg)
{
	if (msg->f.hdr.type == CTI_WIRE_CALL)
		return msg->f.u.call.called;
	if (msg->f.hdr.type == CTI_WIRE_EV_CALL_INFO)
		return msg->f.u.call_info.called;
	return "";
}

CTI_API const char *cti_msg_get_called_name(struct cti_msg *msg)
{
	if (msg->f.hdr.type == CTI_WIRE_CALL)
		return msg->f.u.call.called_name;
	if (msg->f.hdr.type == CTI_WIRE_EV_CALL_INFO)
		return msg->f.u.call_info.called_name;
	return "";
}

CTI_API const char *cti_msg_get_text(struct cti_msg *msg)
{
	const struct cti_wire_frame *f = &msg->f;

	switch (f->hdr.type) {
	case CTI_WIRE_EV_DIGITS:
		return f->u.digits.digits;
	case CTI_WIRE_EV_PHONE_DISPLAY:
		return f->u.phone_display.text;
	case CTI_WIRE_EV_LINK_STATE:
		return f->u.link_state.provider_name;
	case CTI_WIRE_EV_AGENT_STATE:
		return f->u.agent_state.groups;
	case CTI_WIRE_EV_PROVIDER_STATE:
		return f->u.provider_state.name;
	case CTI_WIRE_PROVIDER:
		return f->u.provider.name;
	case CTI_WIRE_ERROR:
		return f->u.error.message;
	default:
		return "";
	}
}

CTI_API size_t cti_msg_get_data(struct cti_msg *msg, const void **data)
{
	if (msg->f.hdr.type != CTI_WIRE_EV_DEV_SPECIFIC) {
		*data = NULL;
		return 0;
	}
	*data = msg->f.u.dev_specific.data;
	return msg->f.u.dev_specific.data_len;
}

CTI_API uint64_t cti_msg_get_gap(struct cti_msg *msg, uint64_t *first,
				 uint64_t *last)
{
	const struct cti_wire_gap *g = &msg->f.u.gap;

	if (msg->f.hdr.type != CTI_WIRE_GAP) {
		if (first)
			*first = 0;
		if (last)
			*last = 0;
		return 0;
	}
	if (first)
		*first = g->first_seq;
	if (last)
		*last = g->last_seq;
	return g->count;
}
