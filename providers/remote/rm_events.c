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
	if (l->ncalls == l->capcalls) {
		uint32_t cap = l->capcalls ? 2 * l->capcalls : 4;
		struct rm_call *n = realloc(l->calls, cap * sizeof(*n));

		if (!n)
			return NULL;
		l->calls = n;
		l->capcalls = cap;
	}
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
	if (rm->nlines == rm->caplines) {
		uint32_t cap = rm->caplines ? 2 * rm->caplines : 16;
		struct rm_line *nl = realloc(rm->lines, cap * sizeof(*nl));

		if (!nl)
			return NULL;
		rm->lines = nl;
		rm->caplines = cap;
	}
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

int rm_post_call_info(struct remote *rm, struct rm_line *l, const struct cti_wire_call *w)
{
	struct cti_ev_call_info ev = {
		.hdr.type = CTI_EV_CALL_INFO,
		.hdr.size = sizeof(ev),
		.hdr.line = l->id,
		.call = w->call,
		.origin = w->origin,
		.changed = CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON | CTI_CALL_INFO_CALLER |
			   CTI_CALL_INFO_CALLED | CTI_CALL_INFO_RELATED,
		.reason = w->reason,
		.related_call = w->related_call,
	};

	memcpy(ev.caller, w->caller, sizeof(ev.caller));
	memcpy(ev.caller_name, w->caller_name, sizeof(ev.caller_name));
	memcpy(ev.called, w->called, sizeof(ev.called));
	memcpy(ev.called_name, w->called_name, sizeof(ev.called_name));
	rm_post(rm, &ev.hdr);
	return rm_call_get(l, w->call) ? 0 : -ENOMEM;
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
		.hdr.type = CTI_EV_CALL_INFO,
		.hdr.size = sizeof(ev),
		.hdr.line = l->id,
		.call = w->call,
		.origin = w->origin,
		.changed = w->changed,
		.reason = w->reason,
		.related_call = w->related_call,
	};

	memcpy(ev.caller, w->caller, sizeof(ev.caller));
	memcpy(ev.caller_name, w->caller_name, sizeof(ev.caller_name));
	memcpy(ev.called, w->called, sizeof(ev.called));
	memcpy(ev.called_name, w->called_name, sizeof(ev.called_name));
	rm_post(rm, &ev.hdr);
	rm_call_get(l, w->call);
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

static void ev_phone(struct remote *rm, struct rm_line *l, const struct cti_wire_frame *f)
{
	union {
		struct cti_ev_phone_hook hook;
		struct cti_ev_phone_button button;
		struct cti_uev_phone_lamp lamp;
		struct cti_uev_phone_ring ring;
	} u;

	memset(&u, 0, sizeof(u));
	switch (f->hdr.type) {
	case CTI_WIRE_EV_PHONE_HOOK:
		u.hook.hdr.type = CTI_EV_PHONE_HOOK;
		u.hook.hdr.size = sizeof(u.hook);
		u.hook.hookswitch = f->u.phone_hook.hookswitch;
		u.hook.mode = f->u.phone_hook.mode;
		break;
	case CTI_WIRE_EV_PHONE_BUTTON:
		u.button.hdr.type = CTI_EV_PHONE_BUTTON;
		u.button.hdr.size = sizeof(u.button);
		u.button.button = f->u.phone_button.button;
		u.button.pressed = f->u.phone_button.pressed;
		break;
	case CTI_WIRE_EV_PHONE_LAMP:
		u.lamp.hdr.type = CTI_UEV_PHONE_LAMP;
		u.lamp.hdr.size = sizeof(u.lamp);
		u.lamp.lamp = f->u.phone_lamp.lamp;
		u.lamp.mode = f->u.phone_lamp.mode;
		break;
	default:
		u.ring.hdr.type = CTI_UEV_PHONE_RING;
		u.ring.hdr.size = sizeof(u.ring);
		u.ring.pattern = f->u.phone_ring.pattern;
		u.ring.volume = f->u.phone_ring.volume;
		break;
	}
	u.hook.hdr.line = l->id;	/* the header is first in each */
	rm_post(rm, &u.hook.hdr);
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
		return rm_post_call_state(rm, l, f->u.call_state.call, f->u.call_state.state,
					  f->u.call_state.reason, f->u.call_state.related_call);
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
