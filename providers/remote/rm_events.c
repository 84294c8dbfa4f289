// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Server events become host records of the same meaning on the mirrored
 * line (its provider-local index is the server's line id). Every event
 * carries the server session's sequence number: one at or below the last
 * applied is a replayed copy and is dropped, so a resumed session gives
 * the desktop each event exactly once.
 *
 * The mirror (lines, their calls and states) is what a resync compares
 * the server's listing with; it changes only as records are posted, so it
 * is always what the desktop's programs have been told.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remote.h"

#define RM_ROUND8(n) (((n) + 7u) & ~7u)

struct rm_line *rm_line_find(struct remote *rm, uint32_t id)
{
	for (uint32_t i = 0; i < rm->nlines; i++)
		if (rm->lines[i].id == id)
			return &rm->lines[i];
	return NULL;
}

static struct rm_call *rm_call_find(struct rm_line *l, uint32_t call)
{
	for (uint32_t i = 0; i < l->ncalls; i++)
		if (l->calls[i].call == call)
			return &l->calls[i];
	return NULL;
}

static struct rm_call *rm_call_get(struct rm_line *l, uint32_t call)
{
	struct rm_call *c = rm_call_find(l, call);

	if (c)
		return c;
	/* a server that invents calls does not make us grow without end */
	if (l->ncalls >= RM_MAX_CALLS ||
	    rm_grow(&l->calls, l->ncalls, &l->capcalls, sizeof(*c), 4))
		return NULL;
	c = &l->calls[l->ncalls++];
	memset(c, 0, sizeof(*c));
	c->call = call;
	c->state = CTI_CALL_IDLE;
	return c;
}

/*
 * Desktop programs have a hand in @call: an orphan of theirs is ours to
 * drop. @create for a call the server just said it made (its REPLY may
 * come before its first state); else only a call the mirror knows, so a
 * wrong handle in a command leaves no phantom behind.
 */
struct rm_call *rm_call_touch(struct rm_line *l, uint32_t call, bool create)
{
	struct rm_call *c = NULL;

	if (l && call != CTI_CALL_NONE)
		c = create ? rm_call_get(l, call) : rm_call_find(l, call);

	if (c)
		c->touched = true;
	return c;
}

bool rm_call_droppable(struct rm_line *l, uint32_t call)
{
	struct rm_call *c = rm_call_find(l, call);

	return c && (c->touched || c->state == CTI_CALL_DISCONNECTED);
}

static void rm_post(struct remote *rm, struct cti_event *ev)
{
	int ret = rm->api->post_event(rm->host, ev);

	if (ret)
		rm->api->log(rm->host, CTI_LOG_DEBUG, "record %u on line %u refused: %s",
			     ev->type, ev->line, strerror(-ret));
}

/*
 * The line's name is the server's full name of it, PROVIDER/LINE: the
 * desktop's ctid puts the instance's (the server's) name in front, so
 * "hq/sim/ext100" on the desktop is "sim/ext100" on server hq, and the
 * desktop's access rules can name a server's lines (hq/sim/ext1?? or hq/...).
 */
struct rm_line *rm_line_add(struct remote *rm, const struct cti_wire_line *w)
{
	struct cti_provider_line_desc d = { .size = sizeof(d) };
	struct rm_line *l;
	int n, ret;

	n = snprintf(d.name, sizeof(d.name), "%s/%s", w->provider_name, w->name);
	if (n < 0 || (size_t)n >= sizeof(d.name)) {
		rm->api->log(rm->host, CTI_LOG_WARNING, "line %s/%s: name too long, not shown",
			     w->provider_name, w->name);
		return NULL;
	}
	d.max_calls = w->max_calls ? w->max_calls : 1;
	d.ops = w->ops;
	d.uops = w->uops;
	/* not usable before the sync is over: rm_sync_done() tells the status */
	d.status = rm->state == RM_UP ? w->status : CTI_LINE_OUT_OF_SERVICE;
	d.num_addresses = w->num_addresses ? w->num_addresses : 1;
	memcpy(d.addresses, w->addresses, sizeof(d.addresses));
	if (rm_grow(&rm->lines, rm->nlines, &rm->caplines, sizeof(*l), 16))
		return NULL;
	ret = rm->api->line_add(rm->host, w->line, &d, NULL);
	if (ret) {
		rm->api->log(rm->host, CTI_LOG_WARNING, "line %s not added: %s", d.name,
			     strerror(-ret));
		return NULL;
	}
	l = &rm->lines[rm->nlines++];
	memset(l, 0, sizeof(*l));
	l->id = w->line;
	l->present = true;
	l->status = w->status;
	l->num_addresses = w->num_addresses;
	memcpy(l->addresses, w->addresses, sizeof(l->addresses));
	return l;
}

/* Its commands fail with @error first; the host ends its calls. */
void rm_line_remove(struct remote *rm, struct rm_line *l, int error)
{
	uint32_t idx = (uint32_t)(l - rm->lines);

	rm_reqs_fail(rm, error, l->id);
	if (l->present)
		rm->api->line_remove(rm->host, l->id);
	free(l->calls);
	rm->lines[idx] = rm->lines[--rm->nlines];
}

void rm_line_post_status(struct remote *rm, struct rm_line *l, uint32_t status)
{
	struct cti_ev_line_status ev = {
		.hdr.type = CTI_EV_LINE_STATUS,
		.hdr.size = sizeof(ev),
		.hdr.line = l->id,
		.status = status,
		.num_calls = l->ncalls,
		.forward_mode = l->forward_mode,
		.dnd = l->dnd,
	};

	memcpy(ev.forward_to, l->forward_to, sizeof(ev.forward_to));
	rm_post(rm, &ev.hdr);
}

int rm_post_call_state(struct remote *rm, struct rm_line *l, uint32_t call,
		       uint32_t state, uint32_t reason, uint32_t related)
{
	struct cti_ev_call_state ev = {
		.hdr.type = CTI_EV_CALL_STATE,
		.hdr.size = sizeof(ev),
		.hdr.line = l->id,
		.call = call,
		.state = state,
		.reason = reason,
		.related_call = related,
	};
	struct rm_call *c;

	if (call == CTI_CALL_NONE)
		return -EINVAL;
	rm_post(rm, &ev.hdr);
	c = rm_call_get(l, call);
	if (!c)
		return -ENOMEM;
	c->state = state;
	c->seen = true;
	if (state == CTI_CALL_IDLE)
		*c = l->calls[--l->ncalls];
	return 0;
}

/* A CALL_INFO record from @ev's fields and the four party strings. */
static int rm_post_info(struct remote *rm, struct rm_line *l, struct cti_ev_call_info *ev,
			const char *caller, const char *caller_name, const char *called,
			const char *called_name)
{
	ev->hdr.type = CTI_EV_CALL_INFO;
	ev->hdr.size = sizeof(*ev);
	ev->hdr.line = l->id;
	memcpy(ev->caller, caller, sizeof(ev->caller));
	memcpy(ev->caller_name, caller_name, sizeof(ev->caller_name));
	memcpy(ev->called, called, sizeof(ev->called));
	memcpy(ev->called_name, called_name, sizeof(ev->called_name));
	rm_post(rm, &ev->hdr);
	return rm_call_get(l, ev->call) ? 0 : -ENOMEM;
}

/* A call found in a listing: everything about it is news. */
int rm_post_call_info(struct remote *rm, struct rm_line *l, const struct cti_wire_call *w)
{
	struct cti_ev_call_info ev = {
		.call = w->call,
		.origin = w->origin,
		.changed = CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON | CTI_CALL_INFO_CALLER |
			   CTI_CALL_INFO_CALLED | CTI_CALL_INFO_RELATED,
		.reason = w->reason,
		.related_call = w->related_call,
	};

	return rm_post_info(rm, l, &ev, w->caller, w->caller_name, w->called, w->called_name);
}

void rm_post_link(struct remote *rm, uint32_t state)
{
	struct cti_ev_link_state ev = {
		.hdr.type = CTI_EV_LINK_STATE,
		.hdr.size = sizeof(ev),
		.hdr.line = CTI_LINE_NONE,
		.state = state,
	};

	rm_post(rm, &ev.hdr);
}

static void ev_call_info(struct remote *rm, struct rm_line *l, const struct cti_wire_ev_call_info *w)
{
	struct cti_ev_call_info ev = {
		.call = w->call,
		.origin = w->origin,
		.changed = w->changed,
		.reason = w->reason,
		.related_call = w->related_call,
	};

	rm_post_info(rm, l, &ev, w->caller, w->caller_name, w->called, w->called_name);
}

static void ev_digits(struct remote *rm, struct rm_line *l, const struct cti_wire_ev_digits *w)
{
	struct cti_ev_digits ev = {
		.hdr.type = CTI_EV_DIGITS,
		.hdr.size = sizeof(ev),
		.hdr.line = l->id,
		.call = w->call,
	};
	size_t n = strnlen(w->digits, CTI_DIGITS_MAX);

	ev.count = (uint32_t)n;
	memcpy(ev.digits, w->digits, n);
	rm_post(rm, &ev.hdr);
}

static void ev_line_status(struct remote *rm, struct rm_line *l,
			   const struct cti_wire_ev_line_status *w)
{
	/* the desktop's ctid reports call counts itself: only real changes */
	if (l->status == w->status && l->forward_mode == w->forward_mode &&
	    l->dnd == w->dnd && !strncmp(l->forward_to, w->forward_to, sizeof(l->forward_to)))
		return;
	l->status = w->status;
	l->forward_mode = w->forward_mode;
	l->dnd = w->dnd;
	memcpy(l->forward_to, w->forward_to, sizeof(l->forward_to));
	rm_line_post_status(rm, l, w->status);
}

/*
 * The four phone records are alike on both sides: on the wire line,
 * phone, then two u32 values; as a record the header, then the same two.
 */
struct rm_phone_rec {
	struct cti_event hdr;
	uint32_t a, b;
};

#define RM_SAME_AS_HOOK(w, fa) \
	(offsetof(struct cti_wire_ev_phone_hook, hookswitch) == offsetof(w, fa))
_Static_assert(sizeof(struct rm_phone_rec) == sizeof(struct cti_ev_phone_hook) &&
	       sizeof(struct rm_phone_rec) == sizeof(struct cti_ev_phone_button) &&
	       sizeof(struct rm_phone_rec) == sizeof(struct cti_uev_phone_lamp) &&
	       sizeof(struct rm_phone_rec) == sizeof(struct cti_uev_phone_ring),
	       "phone records: a header and two u32");
_Static_assert(RM_SAME_AS_HOOK(struct cti_wire_ev_phone_button, button) &&
	       RM_SAME_AS_HOOK(struct cti_wire_ev_phone_lamp, lamp) &&
	       RM_SAME_AS_HOOK(struct cti_wire_ev_phone_ring, pattern),
	       "phone events: line, phone, then the two values");

static const struct { uint16_t wire, rec; } rm_phone_types[] = {
	{ CTI_WIRE_EV_PHONE_HOOK, CTI_EV_PHONE_HOOK },
	{ CTI_WIRE_EV_PHONE_BUTTON, CTI_EV_PHONE_BUTTON },
	{ CTI_WIRE_EV_PHONE_LAMP, CTI_UEV_PHONE_LAMP },
	{ CTI_WIRE_EV_PHONE_RING, CTI_UEV_PHONE_RING },
};

static void ev_phone(struct remote *rm, struct rm_line *l, const struct cti_wire_frame *f)
{
	struct rm_phone_rec ev = {
		.hdr.size = sizeof(ev),
		.hdr.line = l->id,
		.a = f->u.phone_hook.hookswitch,	/* the first value of any of them */
		.b = f->u.phone_hook.mode,
	};

	for (size_t i = 0; i < sizeof(rm_phone_types) / sizeof(rm_phone_types[0]); i++)
		if (rm_phone_types[i].wire == f->hdr.type)
			ev.hdr.type = rm_phone_types[i].rec;
	if (ev.hdr.type)
		rm_post(rm, &ev.hdr);
}

static void ev_text(struct remote *rm, struct rm_line *l, const struct cti_wire_frame *f)
{
	if (f->hdr.type == CTI_WIRE_EV_AGENT_STATE) {
		struct cti_uev_agent_state ev = {
			.hdr.type = CTI_UEV_AGENT_STATE,
			.hdr.size = sizeof(ev),
			.hdr.line = l->id,
			.state = f->u.agent_state.state,
			.reason = f->u.agent_state.reason,
			.activity = f->u.agent_state.activity,
		};

		memcpy(ev.groups, f->u.agent_state.groups, sizeof(ev.groups));
		rm_post(rm, &ev.hdr);
	} else {
		struct cti_uev_phone_display ev = {
			.hdr.type = CTI_UEV_PHONE_DISPLAY,
			.hdr.size = sizeof(ev),
			.hdr.line = l->id,
			.row = f->u.phone_display.row,
			.col = f->u.phone_display.col,
		};

		memcpy(ev.text, f->u.phone_display.text, sizeof(f->u.phone_display.text));
		rm_post(rm, &ev.hdr);
	}
}

static void ev_dev_specific(struct remote *rm, struct rm_line *l,
			    const struct cti_wire_ev_dev_specific *w)
{
	union {
		struct cti_uev_dev_specific ev;
		uint8_t buf[sizeof(struct cti_uev_dev_specific) + CTI_DEV_SPECIFIC_MAX + 8];
	} u;

	memset(&u, 0, sizeof(u));
	u.ev.hdr.type = CTI_UEV_DEV_SPECIFIC;
	u.ev.hdr.size = RM_ROUND8(sizeof(u.ev) + w->data_len);
	u.ev.hdr.line = l ? l->id : CTI_LINE_NONE;
	u.ev.len = w->data_len;
	memcpy(u.ev.data, w->data, w->data_len);
	rm_post(rm, &u.ev.hdr);
}

/* Line life: added (mirror and open it), removed, closed on us. */
static void ev_line_life(struct remote *rm, struct rm_line *l, const struct cti_wire_frame *f)
{
	switch (f->hdr.type) {
	case CTI_WIRE_EV_LINE_ADDED:
		if (!l && rm_line_add(rm, &f->u.line))
			rm_sync_open(rm, f->u.line.line, f->u.line.allowed);
		break;
	case CTI_WIRE_EV_LINE_REMOVED:
		if (l)
			rm_line_remove(rm, l, -ENODEV);
		break;
	case CTI_WIRE_EV_PRIVILEGE:
		/* the server's user lost the line: so do the desktop's users */
		if (l && f->u.privilege.call == CTI_CALL_NONE &&
		    f->u.privilege.privilege == CTI_PRIV_NONE)
			rm_line_remove(rm, l, -ENODEV);
		break;
	}
}

/* The line an event is about, or NULL (CTI_LINE_NONE or not ours). */
static uint32_t ev_line_id(const struct cti_wire_frame *f)
{
	/* every event body starts with its line id (EV_PROVIDER_STATE: none) */
	if (f->hdr.type == CTI_WIRE_EV_PROVIDER_STATE)
		return CTI_LINE_NONE;
	return f->u.call_state.line;
}

int rm_event(struct remote *rm, const struct cti_wire_frame *f)
{
	uint64_t seq = f->hdr.id;
	struct rm_line *l;

	if (seq <= rm->last_seq)
		return 0;		/* replayed, already applied */
	rm->last_seq = seq;
	l = rm_line_find(rm, ev_line_id(f));
	switch (f->hdr.type) {
	case CTI_WIRE_EV_LINE_ADDED:
	case CTI_WIRE_EV_LINE_REMOVED:
	case CTI_WIRE_EV_PRIVILEGE:
		ev_line_life(rm, l, f);
		return 0;
	case CTI_WIRE_EV_DEV_SPECIFIC:
		if (l || f->u.dev_specific.line == CTI_LINE_NONE)
			ev_dev_specific(rm, l, &f->u.dev_specific);
		return 0;
	case CTI_WIRE_EV_LINK_STATE:
	case CTI_WIRE_EV_PROVIDER_STATE:
		/* the server's own links: its lines' statuses tell the rest */
		return 0;
	}
	if (!l)
		return 0;
	switch (f->hdr.type) {
	case CTI_WIRE_EV_CALL_STATE:
		/* a call the host refuses is logged there; the link goes on */
		rm_post_call_state(rm, l, f->u.call_state.call, f->u.call_state.state,
				   f->u.call_state.reason, f->u.call_state.related_call);
		break;
	case CTI_WIRE_EV_CALL_INFO:
		ev_call_info(rm, l, &f->u.call_info);
		break;
	case CTI_WIRE_EV_DIGITS:
		ev_digits(rm, l, &f->u.digits);
		break;
	case CTI_WIRE_EV_LINE_STATUS:
		ev_line_status(rm, l, &f->u.line_status);
		break;
	case CTI_WIRE_EV_AGENT_STATE:
	case CTI_WIRE_EV_PHONE_DISPLAY:
		ev_text(rm, l, f);
		break;
	default:
		ev_phone(rm, l, f);
		break;
	}
	return 0;
}
