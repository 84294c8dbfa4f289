// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bringing the desktop in line with the server when the session is new
 * (first connection) or could not be resumed (RESYNC: the server
 * restarted, or the outage outlasted its replay log or its 60 s):
 *
 *   1. the lines: LIST_LINES, or the LINE frames of the RESYNC snapshot.
 *      A mirrored line the server no longer lists for our user is
 *      removed on the desktop (so a line the server-side rights exclude
 *      is never shown); a new one is added.
 *   2. OPEN_LINE for each line this session has not open: OWNER where
 *      the server lets our user own it, else MONITOR.
 *   3. LIST_CALLS for all lines: a call the desktop knows and the server
 *      does not is posted IDLE; a call the server has and the desktop
 *      does not is posted (CALL_INFO, then its state); a call whose
 *      state differs gets its state. The server's list shows the state
 *      after every event it sent before, so events that arrive between
 *      the items apply in order.
 *
 * Only then is the link UP: lines get their status back and commands are
 * taken again. A resumed session skips all of this: the replay is exact.
 */
#include <errno.h>
#include <string.h>

#include "remote.h"

static void rm_sync_wait_done(struct remote *rm);

/* OPEN_LINE; counted in the sync while the link is in RM_SYNC. */
void rm_sync_open(struct remote *rm, uint32_t line, uint32_t allowed)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_OPEN_LINE };
	struct rm_req *r = rm_req_add(rm, RM_REQ_OPEN, 0, line);

	if (!r) {
		rm_link_broken(rm, -ENOMEM, "no memory for OPEN_LINE");
		return;
	}
	f.hdr.id = r->id;
	f.u.open_line.line = line;
	f.u.open_line.privilege = (allowed & (1u << CTI_PRIV_OWNER)) ?
				  CTI_PRIV_OWNER : CTI_PRIV_MONITOR;
	r->counted = rm->state == RM_SYNC;
	if (r->counted)
		rm->sync_waits++;
	if (rm_send(rm, &f))
		rm_link_broken(rm, -EIO, "OPEN_LINE not sent");
}

static void rm_list(struct remote *rm, enum rm_req_kind kind)
{
	struct cti_wire_frame f = { 0 };
	struct rm_req *r = rm_req_add(rm, kind, 0, CTI_LINE_NONE);

	if (!r) {
		rm_link_broken(rm, -ENOMEM, "no memory for a listing");
		return;
	}
	f.hdr.id = r->id;
	if (kind == RM_REQ_LIST_LINES) {
		f.hdr.type = CTI_WIRE_LIST_LINES;
	} else {
		f.hdr.type = CTI_WIRE_LIST_CALLS;
		f.u.list_calls.line = CTI_LINE_NONE;
	}
	r->counted = true;
	rm->sync_waits++;
	if (rm_send(rm, &f))
		rm_link_broken(rm, -EIO, "listing not sent");
}

void rm_sync_start(struct remote *rm, bool list_lines)
{
	rm->state = RM_SYNC;
	rm->sync_waits = 0;
	for (uint32_t i = 0; i < rm->nlines; i++) {
		rm->lines[i].seen = false;
		rm->lines[i].open = false;	/* a new session has none open */
	}
	if (list_lines) {
		rm_list(rm, RM_REQ_LIST_LINES);
	} else {
		rm->in_snapshot = true;		/* RESYNC and its snapshot follow */
		rm->sync_waits++;
	}
}

static void rm_sync_line(struct remote *rm, const struct cti_wire_line *w)
{
	struct rm_line *l = rm_line_find(rm, w->line);

	if (!l)
		l = rm_line_add(rm, w);
	if (!l)
		return;
	l->seen = true;
	l->open = w->privilege != CTI_PRIV_NONE;
	l->allowed = w->allowed;
	l->status = w->status;
	l->forward_mode = w->forward_mode;
	l->dnd = w->dnd;
	memcpy(l->forward_to, w->forward_to, sizeof(l->forward_to));
}

/* Step 1 is over: drop what the server no longer shows us, open the rest. */
static void rm_lines_done(struct remote *rm)
{
	for (uint32_t i = 0; i < rm->nlines;) {
		struct rm_line *l = &rm->lines[i];

		if (!l->seen) {
			rm->api->log(rm->host, CTI_LOG_NOTICE, "server line %u is gone", l->id);
			rm_line_remove(rm, l, -ENODEV);	/* moves the last one here */
			continue;
		}
		for (uint32_t c = 0; c < l->ncalls; c++)
			l->calls[c].seen = false;
		if (!l->open)
			rm_sync_open(rm, l->id, l->allowed);
		if (!rm->tid)
			return;
		i++;
	}
	rm_list(rm, RM_REQ_LIST_CALLS);
}

static void rm_sync_call(struct remote *rm, const struct cti_wire_call *w)
{
	struct rm_line *l = rm_line_find(rm, w->line);
	struct rm_call *c = NULL;

	if (!l)
		return;
	for (uint32_t i = 0; i < l->ncalls; i++)
		if (l->calls[i].call == w->call)
			c = &l->calls[i];
	if (!c) {
		rm_post_call_info(rm, l, w);
		rm_post_call_state(rm, l, w->call, w->state, w->reason, w->related_call);
	} else if (c->state != w->state) {
		rm_post_call_state(rm, l, w->call, w->state, w->reason, w->related_call);
	} else {
		c->seen = true;
	}
}

/* Step 3 is over: the calls the server did not list have ended. */
static void rm_calls_done(struct remote *rm)
{
	for (uint32_t i = 0; i < rm->nlines; i++) {
		struct rm_line *l = &rm->lines[i];

		for (uint32_t c = 0; c < l->ncalls;) {
			if (l->calls[c].seen) {
				c++;
				continue;
			}
			/* posting IDLE moves the last call into slot c */
			rm_post_call_state(rm, l, l->calls[c].call, CTI_CALL_IDLE,
					   CTI_DISC_NORMAL, CTI_CALL_NONE);
		}
	}
}

/*
 * The difference is posted, but the programs saw none of what happened in
 * between (intermediate states, digits): the host gives each client that
 * may see one of our lines GAP, RESYNC and a snapshot of the state just
 * posted, so a program knows to rebuild rather than trust its history.
 */
static void rm_sync_tell_lost(struct remote *rm)
{
	if (!rm->lost)
		return;
	rm->lost = false;
	if (CTI_HOST_API_HAS(rm->api, resync))
		rm->api->resync(rm->host);
}

static void rm_sync_done(struct remote *rm)
{
	rm->state = RM_UP;
	rm->retry_ms = rm->cfg.retry_min_ms;
	for (uint32_t i = 0; i < rm->nlines; i++)
		rm_line_post_status(rm, &rm->lines[i], rm->lines[i].status);
	rm->ever_up = true;
	rm_post_link(rm, CTI_LINK_UP);
	rm->api->log(rm->host, CTI_LOG_NOTICE, "in sync with the server: %u lines",
		     rm->nlines);
	rm_sync_tell_lost(rm);
}

static void rm_sync_wait_done(struct remote *rm)
{
	if (rm->sync_waits && --rm->sync_waits == 0 && rm->state == RM_SYNC)
		rm_sync_done(rm);
}

/* RESYNC, snapshot items and listing items; anything else is a bad frame. */
int rm_sync_frame(struct remote *rm, const struct cti_wire_frame *f)
{
	struct rm_req *r = f->hdr.id ? rm_req_find(rm, f->hdr.id) : NULL;
	bool snap = !f->hdr.id && rm->in_snapshot;

	switch (f->hdr.type) {
	case CTI_WIRE_RESYNC:
		rm->api->log(rm->host, CTI_LOG_WARNING, "server resync (reason %u): the desktop is brought in line",
			     f->u.resync.reason);
		if (rm->state == RM_UP)		/* overflow: our session lives on */
			rm_sync_start(rm, false);
		rm->lost = true;
		rm->in_snapshot = true;
		return 0;
	case CTI_WIRE_LINE:
		if (snap || (r && r->kind == RM_REQ_LIST_LINES))
			rm_sync_line(rm, &f->u.line);
		return 0;
	case CTI_WIRE_CALL:
		if (r && r->kind == RM_REQ_LIST_CALLS)
			rm_sync_call(rm, &f->u.call);
		return 0;	/* the snapshot's calls: LIST_CALLS follows */
	case CTI_WIRE_END:
		if (snap) {
			rm->in_snapshot = false;
			if (f->u.end.seq > rm->last_seq)
				rm->last_seq = f->u.end.seq;
			rm_lines_done(rm);
			rm_sync_wait_done(rm);
		} else if (r && r->kind == RM_REQ_LIST_LINES) {
			rm_lines_done(rm);
		} else if (r && r->kind == RM_REQ_LIST_CALLS) {
			rm_calls_done(rm);
		}
		return 0;
	case CTI_WIRE_PROVIDER:
		return 0;
	default:
		return -EPROTO;
	}
}

/* The REPLY of a request of ours (not a program's command). */
void rm_sync_request_done(struct remote *rm, const struct rm_req *r, int error)
{
	if (error && r->kind == RM_REQ_OPEN) {
		struct rm_line *l = rm_line_find(rm, r->line);

		rm->api->log(rm->host, CTI_LOG_WARNING, "server line %u not opened: %s",
			     r->line, strerror(-error));
		if (l)
			rm_line_remove(rm, l, -ENODEV);
	} else if (error) {
		rm_link_broken(rm, error, "the server refused a listing");
		return;
	} else if (r->kind == RM_REQ_OPEN) {
		struct rm_line *l = rm_line_find(rm, r->line);

		if (l)
			l->open = true;
	}
	if (r->counted)
		rm_sync_wait_done(rm);
}
