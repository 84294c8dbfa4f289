// SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later
/*
 * The switch core's frame: creating and destroying a switch, the command
 * dispatcher, the host's memory and timers, the records, and the model's
 * invariants. Hosts reach everything through sw.h.
 */
#include "sw_impl.h"

void *sw_zalloc(struct sw *sw, size_t size)
{
	return sw->ops->alloc(sw->ctx, size);
}

void sw_mfree(struct sw *sw, void *p)
{
	if (p)
		sw->ops->free(sw->ctx, p);
}

/* A NUL-terminated copy of the first @len bytes of @s, or NULL. */
char *sw_strdup(struct sw *sw, const char *s, size_t len)
{
	char *p = sw_zalloc(sw, len + 1);

	if (p)
		memcpy(p, s, len);
	return p;
}

/* Copy @src into @dst of @size bytes, cut and always NUL-terminated. */
void sw_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* @v in decimal into @buf, which holds at least 11 bytes. */
void sw_utoa(u32 v, char *buf)
{
	char tmp[11];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

void sw_log(const struct sw *sw, int level, const char *msg)
{
	sw->ops->log(sw->ctx, level, msg);
}

void sw_tmr_arm(struct sw *sw, struct sw_tmr *tmr, u64 ms)
{
	s64 id;

	sw_tmr_cancel(sw, tmr);
	id = sw->ops->timer_arm(sw->ctx, ms, tmr);
	if (id <= 0) {
		/* The step it would run is lost; say so rather than hang. */
		sw_log(sw, SW_LOG_ERR, "cannot arm a timer: a switch step is lost");
		return;
	}
	tmr->id = id;
}

void sw_tmr_cancel(struct sw *sw, struct sw_tmr *tmr)
{
	if (!tmr->id)
		return;
	sw->ops->timer_cancel(sw->ctx, tmr->id);
	tmr->id = 0;
}

void sw_tmr_fire(struct sw *sw, struct sw_tmr *tmr, s64 id)
{
	/* Owners cancel before they free, so a stale id is a host bug. */
	if (!tmr || tmr->id != id) {
		sw_log(sw, SW_LOG_WARNING, "a timer fired that nobody armed");
		return;
	}
	tmr->id = 0;
	tmr->fn(sw, tmr);
}

/*
 * Zero the record @rec of @size bytes, which starts with its struct
 * cti_event, and fill in that header: every record goes out with no stale
 * bytes. (The whole record, not its header field, is passed: a memset
 * past a field is what FORTIFY_SOURCE rightly refuses.)
 */
void sw_event_prep(void *rec, u16 type, u16 size, u32 line)
{
	struct cti_event *hdr = rec;

	memset(rec, 0, size);
	hdr->type = type;
	hdr->size = size;
	hdr->line = line;
}

void sw_emit(struct sw *sw, const struct cti_event *ev)
{
	sw->ops->emit(sw->ctx, ev);
}

void sw_post_state(struct sw *sw, struct sw_call *c, u8 state,
		   u8 reason)
{
	struct cti_ev_call_state ev;

	sw_event_prep(&ev, CTI_EV_CALL_STATE, sizeof(ev), c->line);
	ev.call = c->handle;
	ev.state = state;
	ev.reason = reason;
	ev.related_call = c->related;
	sw_emit(sw, &ev.hdr);
}

void sw_post_info(struct sw *sw, struct sw_call *c, u64 changed)
{
	struct cti_ev_call_info ev;

	sw_event_prep(&ev, CTI_EV_CALL_INFO, sizeof(ev), c->line);
	ev.call = c->handle;
	ev.origin = c->origin;
	ev.changed = changed;
	ev.reason = c->call_reason;
	ev.related_call = c->related;
	memcpy(ev.caller, c->caller, sizeof(ev.caller));
	memcpy(ev.called, c->called, sizeof(ev.called));
	sw_emit(sw, &ev.hdr);
}

/* DIGITS records for @c, CTI_DIGITS_MAX digits at most in each. */
void sw_post_digits(struct sw *sw, struct sw_call *c, const char *digits,
		    size_t len)
{
	struct cti_ev_digits ev;

	while (len) {
		size_t n = len < CTI_DIGITS_MAX ? len : CTI_DIGITS_MAX;

		sw_event_prep(&ev, CTI_EV_DIGITS, sizeof(ev), c->line);
		ev.call = c->handle;
		ev.count = n;
		memcpy(ev.digits, digits, n);
		sw_emit(sw, &ev.hdr);
		digits += n;
		len -= n;
	}
}

void sw_post_line_status(struct sw *sw, u32 line)
{
	const struct sw_line *l = &sw->lines[line];
	struct cti_ev_line_status ev;

	sw_event_prep(&ev, CTI_EV_LINE_STATUS, sizeof(ev), line);
	ev.status = l->status;
	ev.num_calls = l->ncalls;
	ev.forward_mode = l->fwd_mode;
	ev.dnd = l->dnd;
	if (l->fwd_to)
		sw_strlcpy(ev.forward_to, l->fwd_to, sizeof(ev.forward_to));
	sw_emit(sw, &ev.hdr);
}

struct sw *sw_new(const struct sw_host_ops *ops, void *ctx,
		  const struct sw_config *cfg)
{
	struct sw *sw = ops->alloc(ctx, sizeof(*sw));
	u32 i;

	if (!sw)
		return NULL;
	sw->ops = ops;
	sw->ctx = ctx;
	sw->cfg = *cfg;
	sw->lines = sw_zalloc(sw, (size_t)cfg->lines * sizeof(*sw->lines));
	if (cfg->park_slots)
		sw->park = sw_zalloc(sw, cfg->park_slots * sizeof(*sw->park));
	if (!sw->lines || (cfg->park_slots && !sw->park)) {
		sw_free(sw);
		return NULL;
	}
	for (i = 0; i < cfg->lines; i++)
		sw->lines[i].orphan_keep = cfg->orphan_keep;
	return sw;
}

void sw_free(struct sw *sw)
{
	u32 i;

	if (!sw)
		return;
	sw_lines_free(sw);
	if (sw->park) {
		for (i = 0; i < sw->cfg.park_slots; i++)
			if (sw->park[i].fe)
				sw_farend_free(sw, sw->park[i].fe);
		sw_mfree(sw, sw->park);
	}
	sw_script_clear(sw);
	sw_mfree(sw, sw);
}

static bool sw_phone_op(u32 cmd)
{
	return cmd == CTI_CMD_SET_HOOK || cmd == CTI_CMD_SET_DISPLAY ||
	       cmd == CTI_CMD_SET_LAMP || cmd == CTI_CMD_SET_RING;
}

int sw_submit(struct sw *sw, const struct sw_req *req, u32 *call)
{
	*call = CTI_CALL_NONE;
	if (req->line >= sw->cfg.lines || sw->lines[req->line].unplugged)
		return -ENODEV;
	if (req->cmd >= SW_UCMD_BASE)
		return sw_agent_cmd(sw, req);
	if (sw_phone_op(req->cmd))
		return sw_phone_cmd(sw, req);
	if (req->cmd == CTI_CMD_DEV_SPECIFIC ||
	    req->cmd == CTI_CMD_SEND_LINK_FRAME || req->cmd >= CTI_CMD_MAX)
		return -EOPNOTSUPP;
	return sw_callctl(sw, req, call);
}

int sw_call_orphaned(struct sw *sw, u32 line, u32 call)
{
	struct sw_call *c;

	if (line >= sw->cfg.lines)
		return -ENOENT;
	c = sw_call_find(sw, line, call);
	if (!c)
		return -ENOENT;
	if (sw->lines[line].orphan_keep)
		return 1;
	/* As DROP: IDLE here, the party (if any) DISCONNECTED. */
	sw_release(sw, c, CTI_DISC_NORMAL);
	return 0;
}

#define SW_INV(cond, msg) do {			\
	if (!(cond)) {				\
		sw_log(sw, SW_LOG_ERR, "invariant: " msg);	\
		bad++;				\
	}					\
} while (0)

static int sw_check_line(const struct sw *sw, u32 i)
{
	const struct sw_line *l = &sw->lines[i];
	const struct sw_call *c;
	u32 n = 0;
	int bad = 0;

	for (c = l->calls; c; c = c->next) {
		n++;
		SW_INV(c->line == i, "a call is listed on another line");
		SW_INV(c->state != CTI_CALL_IDLE, "an IDLE call is kept");
		SW_INV(!(c->peer && c->fe), "a call has a peer and a far end");
		if (c->peer)
			SW_INV(c->peer->peer == c, "peers are not mutual");
		if (c->fe)
			SW_INV(c->fe->leg == c, "a far end is elsewhere");
		if (c->parked)
			SW_INV(c->parked->used && c->parked->call == c,
			       "a park slot does not hold its call");
		if (c->conf_ctl)
			SW_INV(c->conf != 0, "a controller has no conference");
	}
	SW_INV(n == l->ncalls, "a line miscounts its calls");
	SW_INV(n <= sw->cfg.max_calls, "a line has too many calls");
	SW_INV(!l->unplugged || !n, "an unplugged line has calls");
	return bad;
}

static int sw_check_park(const struct sw *sw, const struct sw_park *pk)
{
	int bad = 0;

	if (!pk->used) {
		SW_INV(!pk->call && !pk->fe, "a free slot holds a party");
		return bad;
	}
	SW_INV(!!pk->call != !!pk->fe, "a slot holds two parties or none");
	if (pk->call)
		SW_INV(pk->call->parked == pk && !pk->call->peer,
		       "a parked call is not parked");
	if (pk->fe)
		SW_INV(!pk->fe->leg, "a parked far end has a leg");
	return bad;
}

int sw_check(const struct sw *sw)
{
	u32 i;
	int bad = 0;

	for (i = 0; i < sw->cfg.lines; i++)
		bad += sw_check_line(sw, i);
	for (i = 0; i < sw->cfg.park_slots; i++)
		bad += sw_check_park(sw, &sw->park[i]);
	return bad;
}
