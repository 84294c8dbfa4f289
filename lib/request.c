// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * request.c - requests in flight: ids, sending, completion
 *
 * Every request gets a fresh id and an entry here until ctid answers it
 * (REPLY, PONG, or an ERROR in its place) or the connection breaks, when
 * it completes with ECONNRESET: each id completes exactly once. Requests
 * are few at a time, so a small array searched linearly holds them.
 * "Internal" requests are libcti's own (the line list at open, a resync's
 * snapshot and reopens): they complete without a message to the program.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

struct cti_pending *cti_pending_find(struct cti_session *s, uint64_t id)
{
	for (size_t i = 0; i < s->num_pend; i++)
		if (s->pend[i].id == id)
			return &s->pend[i];
	return NULL;
}

static void pending_remove(struct cti_session *s, struct cti_pending *p)
{
	*p = s->pend[--s->num_pend];
}

static int pending_add(struct cti_session *s, const struct cti_pending *p)
{
	if (s->num_pend == s->pend_cap) {
		size_t cap = s->pend_cap ? s->pend_cap * 2 : 16;
		struct cti_pending *n = realloc(s->pend, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->pend = n;
		s->pend_cap = cap;
	}
	s->pend[s->num_pend++] = *p;
	return 0;
}

/*
 * Send request @f (its hdr.type and body filled) with a fresh id and
 * remember it. A request that cannot be encoded is the caller's bad
 * argument and nothing is remembered. -ENOTCONN: the session is not up.
 */
int cti_request_send(struct cti_session *s, struct cti_wire_frame *f,
		     uint32_t line, uint32_t priv, bool internal,
		     uint64_t *req)
{
	struct cti_pending p = {
		.type = f->hdr.type,
		.line = line,
		.priv = priv,
		.internal = internal,
	};
	int err;

	if (s->state != PROTO_UP)
		return -ENOTCONN;
	if (f->hdr.type == CTI_WIRE_COMMAND)
		p.cmd = f->u.command.cmd;
	else if (f->hdr.type == CTI_WIRE_PHONE_COMMAND)
		p.cmd = f->u.phone_command.cmd;
	f->hdr.flags = 0;
	f->hdr.id = p.id = ++s->next_req;	/* from 1; never wraps */
	err = pending_add(s, &p);
	if (err)
		return err;
	err = cti_conn_send(&s->conn, f);
	if (err) {
		pending_remove(s, cti_pending_find(s, p.id));
		return err == -ENOSPC ? -EINVAL : err;
	}
	if (req)
		*req = p.id;
	return 0;
}

/* What a successful open or close changes in the line's state. */
static void apply_reply(struct cti_session *s, const struct cti_pending *p,
			int error)
{
	struct cti_line *line = cti_session_get_line_by_id(s, p->line);

	if (error || !line)
		return;
	if (line->phone && p->type == CTI_WIRE_OPEN_PHONE) {
		line->phone->info.privilege = p->priv;
		line->phone->want = p->priv;
	} else if (line->phone && p->type == CTI_WIRE_CLOSE_PHONE) {
		line->phone->info.privilege = CTI_PRIV_NONE;
	}
	if (p->type == CTI_WIRE_OPEN_LINE) {
		line->info.privilege = p->priv;
		line->want = p->priv;	/* to be opened again after a resync */
	} else if (p->type == CTI_WIRE_CLOSE_LINE) {
		line->info.privilege = CTI_PRIV_NONE;
	}
}

/* A REPLY frame for @p, made up when ctid answered with PONG or ERROR. */
static void reply_of(const struct cti_pending *p,
		     const struct cti_wire_frame *f, struct cti_wire_frame *r)
{
	if (f->hdr.type == CTI_WIRE_REPLY) {
		*r = *f;
		return;
	}
	memset(r, 0, sizeof(*r));
	r->hdr.type = CTI_WIRE_REPLY;
	r->hdr.id = f->hdr.id;
	r->u.reply.error = f->hdr.type == CTI_WIRE_ERROR ? f->u.error.error : 0;
	r->u.reply.line = p->line;
	r->u.reply.req_type = p->type;
	r->u.reply.cmd = p->cmd;
}

/* A REPLY, PONG, or an ERROR that answers a request in its place. */
int cti_request_complete(struct cti_session *s,
			 const struct cti_wire_frame *f)
{
	struct cti_pending *pp = cti_pending_find(s, f->hdr.id);
	struct cti_wire_frame r;
	struct cti_pending p;

	if (!pp)
		return 0;	/* not ours (a stale id): nothing to complete */
	p = *pp;
	pending_remove(s, pp);
	reply_of(&p, f, &r);
	apply_reply(s, &p, r.u.reply.error);
	if (p.internal) {
		if (p.id == s->resync_req)
			s->resync_req = 0;
		return 0;
	}
	return cti_msg_queue_frame(s, CTI_MSG_REPLY, &r,
				   cti_session_get_line_by_id(s, p.line));
}

/* The connection broke: every request in flight completes with @error. */
void cti_request_fail_all(struct cti_session *s, int error)
{
	while (s->num_pend) {
		struct cti_pending p = s->pend[--s->num_pend];
		struct cti_wire_frame f = { .hdr.type = CTI_WIRE_REPLY };

		if (p.internal)
			continue;
		f.hdr.id = p.id;
		f.u.reply.error = error;
		f.u.reply.line = p.line;
		f.u.reply.req_type = p.type;
		f.u.reply.cmd = p.cmd;
		/* ENOMEM: wait_reply still sees -ENOENT, the id is gone */
		cti_msg_queue_frame(s, CTI_MSG_REPLY, &f,
				    cti_session_get_line_by_id(s, p.line));
	}
	s->resync_req = 0;
}
