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
 * empty when a wait, a dispatch or the open returns to the program, the
 * session's eventfd holds a count, which keeps the pollable fd readable
 * even when the socket has nothing new: a reply waited for can leave
 * events queued, and the program's poll must still wake for them. The
 * eventfd is set and cleared only on the way out of the public functions
 * (cti_msg_sync_fd()), so a message that is queued and taken within one
 * call costs no system call. cti_session_next_msg() only clears it, when
 * its queue empties: a program drains it until it answers 0 (cti.h), so
 * arming the eventfd for the rest of the queue would be a write and a
 * read per wakeup for nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "session.h"

#define BODY(member) sizeof(((struct cti_wire_frame *)0)->u.member)

/* Bytes of the body of a server frame of @type as the codec stores it. */
static size_t body_size(unsigned int type)
{
	switch (type) {
	case CTI_WIRE_HELLO_ACK:
		return BODY(hello_ack);
	case CTI_WIRE_REPLY:
		return BODY(reply);
	case CTI_WIRE_LINE:
	case CTI_WIRE_EV_LINE_ADDED:
		return BODY(line);
	case CTI_WIRE_CALL:
		return BODY(call);
	case CTI_WIRE_PROVIDER:
		return BODY(provider);
	case CTI_WIRE_ACCOUNT:
		return BODY(account);
	case CTI_WIRE_SESSION_INFO:
		return BODY(session_info);
	case CTI_WIRE_ADMIN_NOTE:
		return BODY(admin_note);
	case CTI_WIRE_END:
		return BODY(end);
	case CTI_WIRE_ERROR:
		return BODY(error);
	case CTI_WIRE_GAP:
		return BODY(gap);
	case CTI_WIRE_RESYNC:
		return BODY(resync);
	case CTI_WIRE_EV_CALL_STATE:
		return BODY(call_state);
	case CTI_WIRE_EV_CALL_INFO:
		return BODY(call_info);
	case CTI_WIRE_EV_DIGITS:
		return BODY(digits);
	case CTI_WIRE_EV_LINE_STATUS:
		return BODY(line_status);
	case CTI_WIRE_EV_PHONE_HOOK:
		return BODY(phone_hook);
	case CTI_WIRE_EV_PHONE_BUTTON:
		return BODY(phone_button);
	case CTI_WIRE_EV_LINK_STATE:
		return BODY(link_state);
	case CTI_WIRE_EV_LINE_REMOVED:
		return BODY(line_removed);
	case CTI_WIRE_EV_PRIVILEGE:
		return BODY(privilege);
	case CTI_WIRE_EV_AGENT_STATE:
		return BODY(agent_state);
	case CTI_WIRE_EV_PROVIDER_STATE:
		return BODY(provider_state);
	case CTI_WIRE_EV_PHONE_DISPLAY:
		return BODY(phone_display);
	case CTI_WIRE_EV_PHONE_LAMP:
		return BODY(phone_lamp);
	case CTI_WIRE_EV_PHONE_RING:
		return BODY(phone_ring);
	case CTI_WIRE_EV_DEV_SPECIFIC:
		return BODY(dev_specific);
	case CTI_WIRE_PHONE:
	case CTI_WIRE_EV_PHONE_ADDED:
		return BODY(phone);
	case CTI_WIRE_EV_PHONE_PRIVILEGE:
		return BODY(phone_privilege);
	default:
		return 0;	/* PONG, or no frame at all */
	}
}

/*
 * A message made from frame @f (NULL: none). Only the body of @f's type is
 * allocated and copied: the frame union is sized for a 1 KiB command, a
 * typical event needs a few dozen bytes. Accessors read only the member of
 * the message's own frame type, so they stay inside the allocation.
 */
struct cti_msg *cti_msg_new(enum cti_msg_type type,
			    const struct cti_wire_frame *f)
{
	size_t body = f ? body_size(f->hdr.type) : 0;
	struct cti_msg *m = calloc(1, sizeof(*m) + body);

	if (!m)
		return NULL;
	m->type = type;
	if (f) {
		m->hdr = f->hdr;
		memcpy(m->body, &f->u, body);
	}
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

/* Queue a message made from frame @f, attached to @line. */
int cti_msg_queue_frame(struct cti_session *s, enum cti_msg_type type,
			const struct cti_wire_frame *f, struct cti_line *line)
{
	struct cti_msg *m = cti_msg_new(type, f);

	if (!m)
		return -ENOMEM;
	m->line = line;
	if (type == CTI_MSG_REPLY || type == CTI_MSG_LIST_END ||
	    type == CTI_MSG_CALL || type == CTI_MSG_PROVIDER ||
	    type == CTI_MSG_PHONE || type == CTI_MSG_ACCOUNT ||
	    type == CTI_MSG_SESSION || type == CTI_MSG_NOTE)
		m->request = f->hdr.id;
	if (type == CTI_MSG_REPLY)
		m->error = f->u.reply.error;
	if (type == CTI_MSG_NOTE)
		m->error = f->u.admin_note.error;
	cti_msg_queue(s, m);
	return 0;
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
	const cti_wire_body_t *u = CTI_MSG_BODY(msg);

	if (msg->line)
		return msg->line->info.line;
	switch (msg->hdr.type) {
	case CTI_WIRE_REPLY:
		return u->reply.line;
	case CTI_WIRE_CALL:
		return u->call.line;
	case CTI_WIRE_EV_CALL_STATE:
		return u->call_state.line;
	case CTI_WIRE_EV_CALL_INFO:
		return u->call_info.line;
	case CTI_WIRE_EV_LINK_STATE:
		return u->link_state.line;
	case CTI_WIRE_EV_DEV_SPECIFIC:
		return u->dev_specific.line;
	default:
		return CTI_LINE_NONE;
	}
}

CTI_API uint64_t cti_msg_get_seq(struct cti_msg *msg)
{
	return cti_wire_type_is_event(msg->hdr.type) ? msg->hdr.id : 0;
}

CTI_API uint64_t cti_msg_get_timestamp_ns(struct cti_msg *msg)
{
	const cti_wire_body_t *u = CTI_MSG_BODY(msg);

	/* every event body stores it in its own place; see wire.h */
	switch (msg->hdr.type) {
	case CTI_WIRE_EV_CALL_STATE:
		return u->call_state.timestamp_ns;
	case CTI_WIRE_EV_CALL_INFO:
		return u->call_info.timestamp_ns;
	case CTI_WIRE_EV_DIGITS:
		return u->digits.timestamp_ns;
	case CTI_WIRE_EV_LINE_STATUS:
		return u->line_status.timestamp_ns;
	case CTI_WIRE_EV_PHONE_HOOK:
		return u->phone_hook.timestamp_ns;
	case CTI_WIRE_EV_PHONE_BUTTON:
		return u->phone_button.timestamp_ns;
	case CTI_WIRE_EV_LINK_STATE:
		return u->link_state.timestamp_ns;
	case CTI_WIRE_EV_LINE_REMOVED:
		return u->line_removed.timestamp_ns;
	case CTI_WIRE_EV_PRIVILEGE:
		return u->privilege.timestamp_ns;
	case CTI_WIRE_EV_AGENT_STATE:
		return u->agent_state.timestamp_ns;
	case CTI_WIRE_EV_PROVIDER_STATE:
		return u->provider_state.timestamp_ns;
	case CTI_WIRE_EV_PHONE_DISPLAY:
		return u->phone_display.timestamp_ns;
	case CTI_WIRE_EV_PHONE_LAMP:
		return u->phone_lamp.timestamp_ns;
	case CTI_WIRE_EV_PHONE_RING:
		return u->phone_ring.timestamp_ns;
	case CTI_WIRE_EV_DEV_SPECIFIC:
		return u->dev_specific.timestamp_ns;
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
	if (msg->hdr.type == CTI_WIRE_EV_PROVIDER_STATE)
		return CTI_MSG_BODY(msg)->provider_state.error;
	return msg->error;
}

CTI_API uint32_t cti_msg_get_call(struct cti_msg *msg)
{
	const cti_wire_body_t *u = CTI_MSG_BODY(msg);

	switch (msg->hdr.type) {
	case CTI_WIRE_REPLY:
		return u->reply.call;
	case CTI_WIRE_CALL:
		return u->call.call;
	case CTI_WIRE_EV_CALL_STATE:
		return u->call_state.call;
	case CTI_WIRE_EV_CALL_INFO:
		return u->call_info.call;
	case CTI_WIRE_EV_DIGITS:
		return u->digits.call;
	case CTI_WIRE_EV_PRIVILEGE:
		return u->privilege.call;
	default:
		return CTI_CALL_NONE;
	}
}

CTI_API uint32_t cti_msg_get_related_call(struct cti_msg *msg)
{
	const cti_wire_body_t *u = CTI_MSG_BODY(msg);

	switch (msg->hdr.type) {
	case CTI_WIRE_CALL:
		return u->call.related_call;
	case CTI_WIRE_EV_CALL_STATE:
		return u->call_state.related_call;
	case CTI_WIRE_EV_CALL_INFO:
		return u->call_info.related_call;
	default:
		return CTI_CALL_NONE;
	}
}

CTI_API uint32_t cti_msg_get_state(struct cti_msg *msg)
{
	const cti_wire_body_t *u = CTI_MSG_BODY(msg);

	switch (msg->hdr.type) {
	case CTI_WIRE_CALL:
		return u->call.state;
	case CTI_WIRE_EV_CALL_STATE:
		return u->call_state.state;
	case CTI_WIRE_EV_LINE_STATUS:
		return u->line_status.status;
	case CTI_WIRE_EV_PHONE_HOOK:
		return u->phone_hook.mode;
	case CTI_WIRE_EV_PHONE_BUTTON:
		return u->phone_button.pressed;
	case CTI_WIRE_EV_PHONE_LAMP:
		return u->phone_lamp.mode;
	case CTI_WIRE_EV_PHONE_RING:
		return u->phone_ring.volume;
	case CTI_WIRE_EV_LINK_STATE:
		return u->link_state.state;
	case CTI_WIRE_EV_AGENT_STATE:
		return u->agent_state.state;
	case CTI_WIRE_EV_PROVIDER_STATE:
		return u->provider_state.state;
	case CTI_WIRE_PROVIDER:
		return u->provider.state;
	default:
		return 0;
	}
}

CTI_API uint32_t cti_msg_get_reason(struct cti_msg *msg)
{
	const cti_wire_body_t *u = CTI_MSG_BODY(msg);

	switch (msg->hdr.type) {
	case CTI_WIRE_CALL:
		return u->call.reason;
	case CTI_WIRE_EV_CALL_STATE:
		return u->call_state.reason;
	case CTI_WIRE_EV_CALL_INFO:
		return u->call_info.reason;
	case CTI_WIRE_EV_AGENT_STATE:
		return u->agent_state.reason;
	case CTI_WIRE_RESYNC:
		return u->resync.reason;
	case CTI_WIRE_PROVIDER:
		/* CTI_WIRE_LINK_* are cti.h's CTI_PROVIDER_LINK_* */
		return u->provider.link;
	default:
		return 0;
	}
}

CTI_API uint32_t cti_msg_get_origin(struct cti_msg *msg)
{
	if (msg->hdr.type == CTI_WIRE_CALL)
		return CTI_MSG_BODY(msg)->call.origin;
	if (msg->hdr.type == CTI_WIRE_EV_CALL_INFO)
		return CTI_MSG_BODY(msg)->call_info.origin;
	return CTI_ORIGIN_UNKNOWN;
}

CTI_API uint64_t cti_msg_get_changed(struct cti_msg *msg)
{
	if (msg->hdr.type == CTI_WIRE_EV_CALL_INFO)
		return CTI_MSG_BODY(msg)->call_info.changed;
	return 0;
}

CTI_API uint32_t cti_msg_get_arg(struct cti_msg *msg)
{
	const cti_wire_body_t *u = CTI_MSG_BODY(msg);

	switch (msg->hdr.type) {
	case CTI_WIRE_EV_PHONE_HOOK:
		return u->phone_hook.hookswitch;
	case CTI_WIRE_EV_PHONE_BUTTON:
		return u->phone_button.button;
	case CTI_WIRE_EV_PHONE_DISPLAY:
		return u->phone_display.row;
	case CTI_WIRE_EV_PHONE_LAMP:
		return u->phone_lamp.lamp;
	case CTI_WIRE_EV_PHONE_RING:
		return u->phone_ring.pattern;
	case CTI_WIRE_EV_AGENT_STATE:
		return u->agent_state.activity;
	case CTI_WIRE_PROVIDER:
		return u->provider.num_lines;
	case CTI_WIRE_END:
		return u->end.count;
	default:
		return 0;
	}
}

CTI_API enum cti_privilege cti_msg_get_privilege(struct cti_msg *msg)
{
	const cti_wire_body_t *u = CTI_MSG_BODY(msg);

	switch (msg->hdr.type) {
	case CTI_WIRE_CALL:
		return (enum cti_privilege)u->call.privilege;
	case CTI_WIRE_EV_CALL_STATE:
		return (enum cti_privilege)u->call_state.privilege;
	case CTI_WIRE_EV_PRIVILEGE:
		return (enum cti_privilege)u->privilege.privilege;
	case CTI_WIRE_EV_PHONE_PRIVILEGE:
		return (enum cti_privilege)u->phone_privilege.privilege;
	case CTI_WIRE_PHONE:
	case CTI_WIRE_EV_PHONE_ADDED:
		return (enum cti_privilege)u->phone.privilege;
	default:
		return CTI_PRIV_NONE;
	}
}

CTI_API const char *cti_msg_get_caller(struct cti_msg *msg)
{
	if (msg->hdr.type == CTI_WIRE_CALL)
		return CTI_MSG_BODY(msg)->call.caller;
	if (msg->hdr.type == CTI_WIRE_EV_CALL_INFO)
		return CTI_MSG_BODY(msg)->call_info.caller;
	return "";
}

CTI_API const char *cti_msg_get_caller_name(struct cti_msg *msg)
{
	if (msg->hdr.type == CTI_WIRE_CALL)
		return CTI_MSG_BODY(msg)->call.caller_name;
	if (msg->hdr.type == CTI_WIRE_EV_CALL_INFO)
		return CTI_MSG_BODY(msg)->call_info.caller_name;
	return "";
}

CTI_API const char *cti_msg_get_called(struct cti_msg *msg)
{
	if (msg->hdr.type == CTI_WIRE_CALL)
		return CTI_MSG_BODY(msg)->call.called;
	if (msg->hdr.type == CTI_WIRE_EV_CALL_INFO)
		return CTI_MSG_BODY(msg)->call_info.called;
	return "";
}

CTI_API const char *cti_msg_get_called_name(struct cti_msg *msg)
{
	if (msg->hdr.type == CTI_WIRE_CALL)
		return CTI_MSG_BODY(msg)->call.called_name;
	if (msg->hdr.type == CTI_WIRE_EV_CALL_INFO)
		return CTI_MSG_BODY(msg)->call_info.called_name;
	return "";
}

CTI_API const char *cti_msg_get_text(struct cti_msg *msg)
{
	const cti_wire_body_t *u = CTI_MSG_BODY(msg);

	switch (msg->hdr.type) {
	case CTI_WIRE_EV_DIGITS:
		return u->digits.digits;
	case CTI_WIRE_EV_PHONE_DISPLAY:
		return u->phone_display.text;
	case CTI_WIRE_EV_LINK_STATE:
		return u->link_state.provider_name;
	case CTI_WIRE_EV_AGENT_STATE:
		return u->agent_state.groups;
	case CTI_WIRE_EV_PROVIDER_STATE:
		return u->provider_state.name;
	case CTI_WIRE_PROVIDER:
		return u->provider.name;
	case CTI_WIRE_ERROR:
		return u->error.message;
	case CTI_WIRE_ADMIN_NOTE:
		return u->admin_note.message;
	default:
		return "";
	}
}

CTI_API size_t cti_msg_get_data(struct cti_msg *msg, const void **data)
{
	if (msg->hdr.type != CTI_WIRE_EV_DEV_SPECIFIC) {
		*data = NULL;
		return 0;
	}
	*data = CTI_MSG_BODY(msg)->dev_specific.data;
	return CTI_MSG_BODY(msg)->dev_specific.data_len;
}

CTI_API uint64_t cti_msg_get_gap(struct cti_msg *msg, uint64_t *first,
				 uint64_t *last)
{
	const struct cti_wire_gap *g = &CTI_MSG_BODY(msg)->gap;

	if (msg->hdr.type != CTI_WIRE_GAP) {
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
