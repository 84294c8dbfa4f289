// SPDX-License-Identifier: GPL-2.0
/* records: provider records -> registry mirror -> wire events (records.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctid.h"
#include "host/records.h"

/* One record being converted. */
struct rec {
	struct provider *p;
	struct line *l;			/* NULL: an instance-wide record */
	const struct cti_event *ev;
	struct cti_wire_frame f;
	uint64_t now;			/* CLOCK_REALTIME for the wire */
};

static bool str_ok(const char *s, size_t max)
{
	return memchr(s, '\0', max) != NULL;
}

static void copy_str(char *dst, const char *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n - 1] = '\0';
}

/* To the line's sessions, or for an instance-wide record to all who see it. */
static void emit(struct ctid *ctx, struct rec *x, const struct call *c)
{
	if (x->l)
		registry_line_event(ctx, x->l, c, &x->f);
	else
		registry_provider_event(ctx, x->p, &x->f);
}

static int rec_call_state(struct ctid *ctx, struct rec *x)
{
	const struct cti_ev_call_state *r = (const void *)x->ev;
	struct cti_wire_ev_call_state *w = &x->f.u.call_state;
	struct call *c;
	bool added;

	if (r->call == CTI_CALL_NONE || r->state >= CTI_CALL_STATE_MAX)
		return -EINVAL;
	c = line_call_get_or_add(x->l, r->call, &added);
	if (!c)
		return -ENOMEM;
	c->state = r->state;
	c->reason = r->reason;
	c->related = r->related_call;
	x->f.hdr.type = CTI_WIRE_EV_CALL_STATE;
	w->line = x->l->id;
	w->call = r->call;
	w->state = r->state;
	w->reason = r->reason;
	w->related_call = r->related_call;
	w->timestamp_ns = x->now;
	emit(ctx, x, c);		/* privilege: patched per session */
	if (r->state == CTI_CALL_IDLE) {
		line_call_del(x->l, c);
		line_status_changed(ctx, x->l);
		return 0;
	}
	if (r->state == CTI_CALL_DISCONNECTED)
		line_call_disconnected(ctx, x->l, c);
	if (added) {
		line_status_changed(ctx, x->l);
	}
	return 0;
}

static int rec_call_info(struct ctid *ctx, struct rec *x)
{
	const struct cti_ev_call_info *r = (const void *)x->ev;
	struct cti_wire_ev_call_info *w = &x->f.u.call_info;
	struct call *c;
	bool added;

	if (r->call == CTI_CALL_NONE || r->origin > CTI_ORIGIN_CONFERENCE)
		return -EINVAL;
	c = line_call_get_or_add(x->l, r->call, &added);
	if (!c)
		return -ENOMEM;
	c->origin = r->origin;
	c->reason = r->reason;
	c->related = r->related_call;
	copy_str(c->caller, r->caller, sizeof(c->caller));
	copy_str(c->caller_name, r->caller_name, sizeof(c->caller_name));
	copy_str(c->called, r->called, sizeof(c->called));
	copy_str(c->called_name, r->called_name, sizeof(c->called_name));
	x->f.hdr.type = CTI_WIRE_EV_CALL_INFO;
	w->line = x->l->id;
	w->call = r->call;
	w->origin = r->origin;
	w->reason = r->reason;
	w->related_call = r->related_call;
	w->changed = r->changed;
	w->timestamp_ns = x->now;
	memcpy(w->caller, c->caller, sizeof(w->caller));
	memcpy(w->caller_name, c->caller_name, sizeof(w->caller_name));
	memcpy(w->called, c->called, sizeof(w->called));
	memcpy(w->called_name, c->called_name, sizeof(w->called_name));
	emit(ctx, x, c);
	if (added)
		line_status_changed(ctx, x->l);
	return 0;
}

static int rec_digits(struct ctid *ctx, struct rec *x)
{
	const struct cti_ev_digits *r = (const void *)x->ev;
	struct cti_wire_ev_digits *w = &x->f.u.digits;

	if (!r->count || r->count > CTI_DIGITS_MAX)
		return -EINVAL;
	x->f.hdr.type = CTI_WIRE_EV_DIGITS;
	w->line = x->l->id;
	w->call = r->call;
	w->timestamp_ns = x->now;
	memcpy(w->digits, r->digits, r->count);
	emit(ctx, x, line_call(x->l, r->call));
	return 0;
}

static int rec_line_status(struct ctid *ctx, struct rec *x)
{
	const struct cti_ev_line_status *r = (const void *)x->ev;
	struct line *l = x->l;

	if (r->status > CTI_LINE_MAINTENANCE ||
	    r->forward_mode > CTI_FORWARD_NO_ANSWER || r->dnd > 1)
		return -EINVAL;
	l->status = r->status;
	l->forward_mode = r->forward_mode;
	l->dnd = r->dnd;
	copy_str(l->forward_to, r->forward_to, sizeof(l->forward_to));
	line_status_changed(ctx, l);	/* with ctid's call count, as in LINE */
	return 0;
}

static int rec_phone_hook(struct ctid *ctx, struct rec *x)
{
	const struct cti_ev_phone_hook *r = (const void *)x->ev;

	x->f.hdr.type = CTI_WIRE_EV_PHONE_HOOK;
	x->f.u.phone_hook.line = x->l->id;
	x->f.u.phone_hook.hookswitch = r->hookswitch;
	x->f.u.phone_hook.mode = r->mode;
	x->f.u.phone_hook.timestamp_ns = x->now;
	emit(ctx, x, NULL);
	return 0;
}

static int rec_phone_button(struct ctid *ctx, struct rec *x)
{
	const struct cti_ev_phone_button *r = (const void *)x->ev;

	x->f.hdr.type = CTI_WIRE_EV_PHONE_BUTTON;
	x->f.u.phone_button.line = x->l->id;
	x->f.u.phone_button.button = r->button;
	x->f.u.phone_button.pressed = r->pressed;
	x->f.u.phone_button.timestamp_ns = x->now;
	emit(ctx, x, NULL);
	return 0;
}

static int rec_link_state(struct ctid *ctx, struct rec *x)
{
	const struct cti_ev_link_state *r = (const void *)x->ev;

	x->f.hdr.type = CTI_WIRE_EV_LINK_STATE;
	/* the provider's own link (not a line's): listed with the provider */
	if (!x->l)
		x->p->link = r->state == CTI_LINK_UP ? CTI_WIRE_LINK_UP : CTI_WIRE_LINK_DOWN;
	x->f.u.link_state.line = x->l ? x->l->id : CTI_LINE_NONE;
	x->f.u.link_state.state = r->state;
	x->f.u.link_state.timestamp_ns = x->now;
	snprintf(x->f.u.link_state.provider_name,
		 sizeof(x->f.u.link_state.provider_name), "%s", x->p->name);
	emit(ctx, x, NULL);
	return 0;
}

static int rec_agent_state(struct ctid *ctx, struct rec *x)
{
	const struct cti_uev_agent_state *r = (const void *)x->ev;

	if (!str_ok(r->groups, sizeof(r->groups)))
		return -EINVAL;
	x->f.hdr.type = CTI_WIRE_EV_AGENT_STATE;
	x->f.u.agent_state.line = x->l->id;
	x->f.u.agent_state.state = r->state;
	x->f.u.agent_state.reason = r->reason;
	x->f.u.agent_state.activity = r->activity;
	x->f.u.agent_state.timestamp_ns = x->now;
	memcpy(x->f.u.agent_state.groups, r->groups, sizeof(r->groups));
	emit(ctx, x, NULL);
	return 0;
}

static int rec_phone_display(struct ctid *ctx, struct rec *x)
{
	const struct cti_uev_phone_display *r = (const void *)x->ev;

	if (!str_ok(r->text, CTI_DISPLAY_MAX + 1))
		return -EINVAL;
	x->f.hdr.type = CTI_WIRE_EV_PHONE_DISPLAY;
	x->f.u.phone_display.line = x->l->id;
	x->f.u.phone_display.row = r->row;
	x->f.u.phone_display.col = r->col;
	x->f.u.phone_display.timestamp_ns = x->now;
	memcpy(x->f.u.phone_display.text, r->text, CTI_DISPLAY_MAX + 1);
	emit(ctx, x, NULL);
	return 0;
}

static int rec_phone_lamp(struct ctid *ctx, struct rec *x)
{
	const struct cti_uev_phone_lamp *r = (const void *)x->ev;

	x->f.hdr.type = CTI_WIRE_EV_PHONE_LAMP;
	x->f.u.phone_lamp.line = x->l->id;
	x->f.u.phone_lamp.lamp = r->lamp;
	x->f.u.phone_lamp.mode = r->mode;
	x->f.u.phone_lamp.timestamp_ns = x->now;
	emit(ctx, x, NULL);
	return 0;
}

static int rec_phone_ring(struct ctid *ctx, struct rec *x)
{
	const struct cti_uev_phone_ring *r = (const void *)x->ev;

	x->f.hdr.type = CTI_WIRE_EV_PHONE_RING;
	x->f.u.phone_ring.line = x->l->id;
	x->f.u.phone_ring.pattern = r->pattern;
	x->f.u.phone_ring.volume = r->volume;
	x->f.u.phone_ring.timestamp_ns = x->now;
	emit(ctx, x, NULL);
	return 0;
}

static int rec_dev_specific(struct ctid *ctx, struct rec *x)
{
	const struct cti_uev_dev_specific *r = (const void *)x->ev;

	if (r->len > CTI_DEV_SPECIFIC_MAX || sizeof(*r) + r->len > x->ev->size)
		return -EINVAL;
	x->f.hdr.type = CTI_WIRE_EV_DEV_SPECIFIC;
	x->f.u.dev_specific.line = x->l ? x->l->id : CTI_LINE_NONE;
	x->f.u.dev_specific.data_len = r->len;
	x->f.u.dev_specific.timestamp_ns = x->now;
	memcpy(x->f.u.dev_specific.data, r->data, r->len);
	emit(ctx, x, NULL);
	return 0;
}

#define WBODY(member) sizeof(((struct cti_wire_frame *)0)->u.member)

/* The records a provider may post: anything else is refused. */
static const struct record_kind {
	uint16_t type;
	bool line_optional;		/* may be instance-wide */
	uint32_t size;			/* at least */
	uint32_t body;			/* bytes of the wire body it fills */
	int (*convert)(struct ctid *ctx, struct rec *x);
} kinds[] = {
	{ CTI_EV_CALL_STATE, false, sizeof(struct cti_ev_call_state), WBODY(call_state), rec_call_state },
	{ CTI_EV_CALL_INFO, false, sizeof(struct cti_ev_call_info), WBODY(call_info), rec_call_info },
	{ CTI_EV_DIGITS, false, sizeof(struct cti_ev_digits), WBODY(digits), rec_digits },
	{ CTI_EV_LINE_STATUS, false, sizeof(struct cti_ev_line_status), WBODY(line_status), rec_line_status },
	{ CTI_EV_PHONE_HOOK, false, sizeof(struct cti_ev_phone_hook), WBODY(phone_hook), rec_phone_hook },
	{ CTI_EV_PHONE_BUTTON, false, sizeof(struct cti_ev_phone_button), WBODY(phone_button), rec_phone_button },
	{ CTI_EV_LINK_STATE, true, sizeof(struct cti_ev_link_state), WBODY(link_state), rec_link_state },
	{ CTI_UEV_AGENT_STATE, false, sizeof(struct cti_uev_agent_state), WBODY(agent_state), rec_agent_state },
	{ CTI_UEV_PHONE_DISPLAY, false, sizeof(struct cti_uev_phone_display), WBODY(phone_display), rec_phone_display },
	{ CTI_UEV_PHONE_LAMP, false, sizeof(struct cti_uev_phone_lamp), WBODY(phone_lamp), rec_phone_lamp },
	{ CTI_UEV_PHONE_RING, false, sizeof(struct cti_uev_phone_ring), WBODY(phone_ring), rec_phone_ring },
	{ CTI_UEV_DEV_SPECIFIC, true, sizeof(struct cti_uev_dev_specific), WBODY(dev_specific), rec_dev_specific },
};

static const struct record_kind *kind_of(uint32_t type)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].type == type)
			return &kinds[i];
	return NULL;
}

/*
 * When the event happened, on the clients' wall clock: now, or the
 * CLOCK_MONOTONIC time the provider gave (a kernel card's record time),
 * moved onto the wall clock. A time in the future is taken as now.
 */
static uint64_t record_time(struct ctid *ctx, uint64_t mono_ns)
{
	uint64_t real = loop_realtime_ns(&ctx->loop);
	uint64_t mono = loop_time_ns(&ctx->loop);

	if (!mono_ns || mono_ns > mono || mono - mono_ns > real)
		return real;
	return real - (mono - mono_ns);
}

int records_post(struct ctid *ctx, struct provider *p, const struct cti_event *ev)
{
	const struct record_kind *k;
	struct rec x;

	if (!ev || ev->size < sizeof(*ev) || ev->size % 8 ||
	    ev->size > CTI_EVENT_MAX_SIZE)
		return -EINVAL;
	k = kind_of(ev->type);
	if (!k || ev->size < k->size)
		return -EINVAL;
	/*
	 * The frame is a union sized for the largest body (4 KiB): zero only
	 * the header and the body this record fills, not all of it, once per
	 * event.
	 */
	x.p = p;
	x.ev = ev;
	x.l = NULL;
	memset(&x.f, 0, offsetof(struct cti_wire_frame, u) + k->body);
	if (ev->line != CTI_LINE_NONE) {
		x.l = line_by_local(ctx, p, ev->line);
		if (!x.l)
			return -ENOENT;
	} else if (!k->line_optional) {
		return -EINVAL;
	}
	x.now = record_time(ctx, ev->timestamp_ns);
	return k->convert(ctx, &x);
}
