// SPDX-License-Identifier: GPL-2.0
/* listing: lists and snapshots made as the client reads (listing.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctid.h"
#include "listing.h"
#include "phone_state.h"

/* Room for the next item: under half the limit, as a paused queue resumes. */
static bool has_room(struct ctid *ctx, const struct conn *c)
{
	return conn_queued(c) + CTI_WIRE_FRAME_MAX <= ctx->cfg->queue_limit / 2;
}

/* The next LINE item, or false when the lines are done. */
static bool next_line_item(struct ctid *ctx, struct session *s, struct listing *ls,
			   struct cti_wire_frame *f)
{
	while (ls->next_line <= ctx->max_line_id) {
		struct line *l = line_get(ctx, ls->next_line++);

		if (!line_visible(s, l))
			continue;
		memset(f, 0, sizeof(*f));
		f->hdr.type = CTI_WIRE_LINE;
		f->hdr.id = ls->id;
		line_fill_wire(l, s, &f->u.line);
		return true;
	}
	return false;
}

/* The CALL items of the next open line (a line has few calls). */
static bool next_calls(struct ctid *ctx, struct session *s, struct listing *ls)
{
	struct cti_wire_frame f;

	while (ls->next_open < s->nopen) {
		struct line *l = line_get(ctx, s->open[ls->next_open++]);

		if (!l || (ls->only != CTI_LINE_NONE && l->id != ls->only))
			continue;
		for (struct call *k = l->calls; k; k = k->next) {
			memset(&f, 0, sizeof(f));
			f.hdr.type = CTI_WIRE_CALL;
			f.hdr.id = ls->id;
			call_fill_wire(l, k, s, &f.u.call);
			conn_queue_frame(ctx, s->conn, &f);
			ls->count++;
		}
		return true;
	}
	return false;
}

/* The next PHONE item, or false when the phones are done. */
static bool next_phone_item(struct ctid *ctx, struct session *s, struct listing *ls,
			    struct cti_wire_frame *f)
{
	/* one phone (a query): straight to it, not through every line */
	if (ls->only != CTI_LINE_NONE && ls->next_phone < ls->only)
		ls->next_phone = ls->only;
	while (ls->next_phone <= ctx->max_line_id &&
	       (ls->only == CTI_LINE_NONE || ls->next_phone <= ls->only)) {
		struct line *l = line_get(ctx, ls->next_phone++);

		if (!line_visible(s, l) || !phone_present(l) ||
		    (ls->only != CTI_LINE_NONE && l->id != ls->only))
			continue;
		memset(f, 0, sizeof(*f));
		f->hdr.type = CTI_WIRE_PHONE;
		f->hdr.id = ls->id;
		phone_fill_for(l, s, &f->u.phone);
		return true;
	}
	return false;
}

static void finish(struct ctid *ctx, struct session *s, struct listing *ls)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_END, .hdr.id = ls->id };

	f.u.end.item_type = ls->item_type;
	f.u.end.count = ls->count;
	f.u.end.seq = ls->item_type ? 0 : s->seq;
	conn_queue_frame(ctx, s->conn, &f);
	if (ls->req_type) {
		memset(&f, 0, sizeof(f));
		f.hdr.type = CTI_WIRE_REPLY;
		f.hdr.id = ls->id;
		f.u.reply.req_type = ls->req_type;
		f.u.reply.line = CTI_LINE_NONE;
		conn_queue_frame(ctx, s->conn, &f);
	}
	ls->active = false;
}

/* Produces what fits of @ls; true when it has finished. */
static bool run(struct ctid *ctx, struct session *s, struct listing *ls)
{
	struct cti_wire_frame f;
	bool first = true;

	while (ls->active && (first || has_room(ctx, s->conn))) {
		first = false;	/* always one step: progress on a tiny limit */
		if (!s->conn || s->conn->closing)
			return false;
		if (ls->lines && next_line_item(ctx, s, ls, &f)) {
			conn_queue_frame(ctx, s->conn, &f);
			ls->count++;
			continue;
		}
		ls->lines = false;
		if (ls->calls && next_calls(ctx, s, ls))
			continue;
		ls->calls = false;
		if (ls->phones && next_phone_item(ctx, s, ls, &f)) {
			conn_queue_frame(ctx, s->conn, &f);
			ls->count++;
			continue;
		}
		finish(ctx, s, ls);
	}
	return !ls->active;
}

bool listing_busy(const struct session *s)
{
	return s->lists && (s->lists->resync.active || s->lists->list.active);
}

void listing_drop(struct session *s)
{
	free(s->lists);
	s->lists = NULL;
}

/* Not freed here: a listing being produced may be on the stack above. */
void listing_cancel(struct session *s)
{
	if (s->lists)
		s->lists->list.active = s->lists->resync.active = false;
}

/* Runs what is active; true when all is done (and then frees). */
static bool run_all(struct ctid *ctx, struct session *s)
{
	struct listings *x = s->lists;

	if (x->resync.active && !run(ctx, s, &x->resync))
		return false;
	if (x->list.active && !run(ctx, s, &x->list))
		return false;
	listing_drop(s);
	return true;
}

void listing_pump(struct ctid *ctx, struct session *s)
{
	if (!s->conn || !listing_busy(s))
		return;
	if (!run_all(ctx, s) || !s->conn)
		return;
	/* the last step: a release may read the next request at once */
	conn_hold_input(ctx, s->conn, false);
}

static int start(struct ctid *ctx, struct session *s, uint64_t id, uint16_t req_type,
		 uint16_t item_type, bool lines, bool calls, bool phones, uint32_t only)
{
	struct listing *ls;

	if (!s->lists) {
		s->lists = calloc(1, sizeof(*s->lists));
		if (!s->lists)
			return -ENOMEM;
	}
	ls = req_type ? &s->lists->list : &s->lists->resync;

	/* a new resync snapshot replaces one that has not finished */
	memset(ls, 0, sizeof(*ls));
	ls->id = id;
	ls->req_type = req_type;
	ls->item_type = item_type;
	ls->lines = lines;
	ls->calls = calls;
	ls->phones = phones;
	ls->only = only;
	ls->next_line = 1;
	ls->next_phone = 1;
	ls->active = true;
	if (!run_all(ctx, s) && s->conn)
		conn_hold_input(ctx, s->conn, true);
	return 0;
}

int listing_start(struct ctid *ctx, struct session *s, uint64_t id, uint16_t req_type,
		  uint16_t item_type, bool lines, bool calls, uint32_t only)
{
	/* a snapshot shows the phones to a session that knows them */
	bool phones = lines && calls && (s->features & CTI_WIRE_FEAT_PHONE_DEV);

	return start(ctx, s, id, req_type, item_type, lines, calls, phones, only);
}

int listing_start_phones(struct ctid *ctx, struct session *s, uint64_t id,
			 uint32_t only)
{
	return start(ctx, s, id, CTI_WIRE_LIST_PHONES, CTI_WIRE_PHONE, false,
		     false, true, only);
}
