// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * frames.c - what each frame from ctid does to an established session
 *
 * Replies complete requests (request.c); lists and snapshots update the
 * line table and become messages, except the items of libcti's own
 * requests; events keep the line state, drop what a resume replayed twice
 * and report a jump in sequence numbers that no GAP announced.
 */
#include <errno.h>
#include <string.h>

#include "session.h"

static bool is_internal(struct cti_session *s, uint64_t id)
{
	struct cti_pending *p;

	if (id == 0)
		return true;	/* a resync snapshot: nobody asked */
	p = cti_pending_find(s, id);
	return p && p->internal;
}

static int handle_line_item(struct cti_session *s,
			    const struct cti_wire_frame *f, bool added)
{
	bool created = false;
	struct cti_line *line = cti_line_update(s, &f->u.line, &created);

	if (!line)
		return -ENOMEM;
	line->seen = true;
	/* ctid keeps a session's opens across a provider reload: follow it,
	 * so that a later resync opens the line again */
	if (line->info.privilege != CTI_PRIV_NONE)
		line->want = (enum cti_privilege)line->info.privilege;
	/* a line that a resync found is announced: it came while we were
	 * away; lines of a list the program asked for are not events */
	if (added || (created && s->resyncing))
		return cti_msg_queue_frame(s, CTI_MSG_LINE_ADDED, f, line);
	return 0;
}

/* A PHONE item: the table first, then a message unless libcti asked. */
static int handle_phone_item(struct cti_session *s, const struct cti_wire_frame *f)
{
	int err = cti_phone_item(s, f, false);

	if (err)
		return err;
	if (f->hdr.id && is_internal(s, f->hdr.id) && f->hdr.id != s->resync_req)
		return 0;
	return cti_msg_queue_frame(s, CTI_MSG_PHONE, f,
				   cti_session_get_line_by_id(s, f->u.phone.line));
}

static int handle_end(struct cti_session *s, const struct cti_wire_frame *f)
{
	bool resync = f->hdr.id == 0 || f->hdr.id == s->resync_req;

	if (resync && f->u.end.item_type == 0 && s->resyncing) {
		int err;

		s->last_seq = f->u.end.seq;
		err = cti_resync_end(s);
		if (err)
			return err;
		return cti_msg_queue_frame(s, CTI_MSG_LIST_END, f, NULL);
	}
	if (is_internal(s, f->hdr.id))
		return 0;
	return cti_msg_queue_frame(s, CTI_MSG_LIST_END, f, NULL);
}

/*
 * Events: drop what a resume replayed twice, report a jump that no GAP
 * announced (a server bug, but the program must know), keep line state.
 */
static int handle_event(struct cti_session *s, const struct cti_wire_frame *f)
{
	static const enum cti_msg_type map[] = {
		[CTI_WIRE_EV_CALL_STATE - 96] = CTI_MSG_CALL_STATE,
		[CTI_WIRE_EV_CALL_INFO - 96] = CTI_MSG_CALL_INFO,
		[CTI_WIRE_EV_DIGITS - 96] = CTI_MSG_DIGITS,
		[CTI_WIRE_EV_LINE_STATUS - 96] = CTI_MSG_LINE_STATUS,
		[CTI_WIRE_EV_PHONE_HOOK - 96] = CTI_MSG_PHONE_HOOK,
		[CTI_WIRE_EV_PHONE_BUTTON - 96] = CTI_MSG_PHONE_BUTTON,
		[CTI_WIRE_EV_LINK_STATE - 96] = CTI_MSG_LINK_STATE,
		[CTI_WIRE_EV_LINE_ADDED - 96] = CTI_MSG_LINE_ADDED,
		[CTI_WIRE_EV_LINE_REMOVED - 96] = CTI_MSG_LINE_REMOVED,
		[CTI_WIRE_EV_PRIVILEGE - 96] = CTI_MSG_PRIVILEGE,
		[CTI_WIRE_EV_AGENT_STATE - 96] = CTI_MSG_AGENT_STATE,
		[CTI_WIRE_EV_PROVIDER_STATE - 96] = CTI_MSG_PROVIDER_STATE,
		[CTI_WIRE_EV_PHONE_DISPLAY - 96] = CTI_MSG_PHONE_DISPLAY,
		[CTI_WIRE_EV_PHONE_LAMP - 96] = CTI_MSG_PHONE_LAMP,
		[CTI_WIRE_EV_PHONE_RING - 96] = CTI_MSG_PHONE_RING,
		[CTI_WIRE_EV_DEV_SPECIFIC - 96] = CTI_MSG_DEV_SPECIFIC,
		[CTI_WIRE_EV_PHONE_ADDED - 96] = CTI_MSG_PHONE_ADDED,
		[CTI_WIRE_EV_PHONE_PRIVILEGE - 96] = CTI_MSG_PHONE_PRIVILEGE,
	};
	uint64_t seq = f->hdr.id;
	struct cti_line *line = NULL;
	uint32_t id = CTI_LINE_NONE;
	int err;

	if (seq <= s->last_seq)
		return 0;
	if (seq != s->last_seq + 1 && !s->resyncing) {
		struct cti_wire_frame g = { .hdr.type = CTI_WIRE_GAP };

		g.u.gap.first_seq = s->last_seq + 1;
		g.u.gap.last_seq = seq - 1;
		g.u.gap.count = seq - 1 - s->last_seq;
		err = cti_msg_queue_frame(s, CTI_MSG_GAP, &g, NULL);
		if (err)
			return err;
	}
	s->last_seq = seq;
	cti_phone_apply(s, f);	/* before the line's own state: it may go */

	switch (f->hdr.type) {
	case CTI_WIRE_EV_LINE_ADDED:
		return handle_line_item(s, f, true);
	case CTI_WIRE_EV_PHONE_ADDED:
		return cti_phone_item(s, f, true);
	case CTI_WIRE_EV_LINE_STATUS:
		line = cti_session_get_line_by_id(s, f->u.line_status.line);
		if (line) {
			line->info.status = f->u.line_status.status;
			line->info.num_calls = f->u.line_status.num_calls;
			line->info.forward_mode = f->u.line_status.forward_mode;
			line->info.dnd = f->u.line_status.dnd;
			memcpy(line->info.forward_to,
			       f->u.line_status.forward_to,
			       sizeof(line->info.forward_to));
		}
		break;
	case CTI_WIRE_EV_LINE_REMOVED:
		line = cti_session_get_line_by_id(s, f->u.line_removed.line);
		if (line) {
			line->removed = true;
			line->want = CTI_PRIV_NONE;
			line->info.privilege = CTI_PRIV_NONE;
		}
		break;
	case CTI_WIRE_EV_PRIVILEGE:
		line = cti_session_get_line_by_id(s, f->u.privilege.line);
		if (line && f->u.privilege.call == CTI_CALL_NONE)
			line->info.privilege = f->u.privilege.privilege;
		break;
	default:
		break;
	}
	if (!line) {
		/* every event body but the provider's starts with its line */
		if (f->hdr.type != CTI_WIRE_EV_PROVIDER_STATE)
			memcpy(&id, &f->u, sizeof(id));
		line = cti_session_get_line_by_id(s, id);
	}
	return cti_msg_queue_frame(s, map[f->hdr.type - 96], f, line);
}

/* Every frame of an established session (HELLO_ACK is proto.c's). */
int cti_frames_handle(struct cti_session *s, const struct cti_wire_frame *f)
{
	if (cti_wire_type_is_event(f->hdr.type))
		return handle_event(s, f);

	switch (f->hdr.type) {
	case CTI_WIRE_REPLY:
	case CTI_WIRE_PONG:
		return cti_request_complete(s, f);
	case CTI_WIRE_ERROR:
		if (f->hdr.id && cti_pending_find(s, f->hdr.id))
			return cti_request_complete(s, f);
		return 0;	/* nothing of ours to complete */
	case CTI_WIRE_LINE:
		return handle_line_item(s, f, false);
	case CTI_WIRE_CALL:
		if (f->hdr.id && is_internal(s, f->hdr.id) &&
		    f->hdr.id != s->resync_req)
			return 0;
		return cti_msg_queue_frame(s, CTI_MSG_CALL, f,
				   cti_session_get_line_by_id(s, f->u.call.line));
	case CTI_WIRE_PROVIDER:
		return cti_msg_queue_frame(s, CTI_MSG_PROVIDER, f, NULL);
	case CTI_WIRE_PHONE:
		return handle_phone_item(s, f);
	case CTI_WIRE_STATS:
		return cti_stats_handle(s, f);
	case CTI_WIRE_ACCOUNT:
		return cti_msg_queue_frame(s, CTI_MSG_ACCOUNT, f, NULL);
	case CTI_WIRE_SESSION_INFO:
		return cti_msg_queue_frame(s, CTI_MSG_SESSION, f, NULL);
	case CTI_WIRE_ADMIN_NOTE:
		s->note_req = f->hdr.id;
		memcpy(s->note, f->u.admin_note.message, sizeof(s->note));
		return cti_msg_queue_frame(s, CTI_MSG_NOTE, f, NULL);
	case CTI_WIRE_END:
		return handle_end(s, f);
	case CTI_WIRE_GAP:
		if (f->u.gap.last_seq > s->last_seq)
			s->last_seq = f->u.gap.last_seq;
		return cti_msg_queue_frame(s, CTI_MSG_GAP, f, NULL);
	case CTI_WIRE_RESYNC:
		cti_resync_begin(s);
		return cti_msg_queue_frame(s, CTI_MSG_RESYNC, f, NULL);
	default:
		return 0;	/* the codec let a client frame through: ignore */
	}
}
