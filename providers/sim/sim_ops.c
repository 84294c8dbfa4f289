// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim provider's ops table and the switch core's host: ctid's memory,
 * timers, records and authorisation handed to the core (struct
 * sw_host_ops), and the provider ops that feed the core its commands.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* The core's numbers are the provider ABI's: a change must break here. */
_Static_assert(SW_REACH_CALL == CTI_REACH_CALL &&
	       SW_REACH_PICKUP == CTI_REACH_PICKUP &&
	       SW_REACH_CONTROL == CTI_REACH_CONTROL &&
	       SW_REACH_SWITCH == CTI_REACH_SWITCH, "reach values");
_Static_assert(SW_UCMD_SET_AGENT_STATE == CTI_UCMD_SET_AGENT_STATE &&
	       SW_UCMD_SET_AGENT_GROUP == CTI_UCMD_SET_AGENT_GROUP &&
	       SW_UCMD_SET_AGENT_ACTIVITY == CTI_UCMD_SET_AGENT_ACTIVITY &&
	       SW_UCMD_MAX == CTI_UCMD_MAX, "agent commands");
_Static_assert(SW_AGENT_BUSY == CTI_AGENT_BUSY &&
	       SW_AGENT_AFTER_CALL_WORK == CTI_AGENT_AFTER_CALL_WORK &&
	       SW_AGENT_READY == CTI_AGENT_READY &&
	       SW_AGENT_GROUPS_MAX == CTI_AGENT_GROUPS_MAX, "agent states");
_Static_assert(SW_LOG_ERR == CTI_LOG_ERR && SW_LOG_WARNING == CTI_LOG_WARNING &&
	       SW_LOG_INFO == CTI_LOG_INFO, "log levels");
_Static_assert(SIM_DISPLAY_COLS <= CTI_DISPLAY_MAX, "display row");

/* ---- the record FIFO ---------------------------------------------------- */

/*
 * The core changes the model inside submit and emits its records as it
 * goes; they wait here until a zero-delay timer posts them, so the host
 * sends the REPLY first and no record is posted from inside submit (a
 * rule of cti_provider.h). They wait in struct sim_evbuf (sim.h), not
 * one allocation each: at 1,000 subscribers a malloc and a free per
 * record were a visible share of ctid's time.
 */
#define EVQ_ALIGN(n)	(((n) + 7u) & ~(size_t)7u)
#define EVQ_MIN		4096u

static bool evbuf_reserve(struct sim_evbuf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : EVQ_MIN;
	uint8_t *p;

	if (b->cap - b->len >= need)
		return true;
	while (cap - b->len < need)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return false;
	b->p = p;
	b->cap = cap;
	return true;
}

void sim_event_queue(struct sim *sim, const struct cti_event *ev)
{
	struct sim_evbuf *b = &sim->evq[sim->evq_cur];
	size_t need = EVQ_ALIGN(ev->size);

	if (ev->size < sizeof(*ev) || !evbuf_reserve(b, need)) {
		/* Nothing is lost silently: say so; the host resyncs clients. */
		sim_log(sim, CTI_LOG_ERR, "out of memory: event type %u lost",
			ev->type);
		return;
	}
	memcpy(b->p + b->len, ev, ev->size);
	b->len += need;
	if (!sim->flush_tmr.id)
		sw_tmr_arm(sim->sw, &sim->flush_tmr, 0);
}

void sim_hotplug_queue(struct sim *sim, uint32_t line, uint16_t type)
{
	struct cti_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.size = sizeof(ev);
	ev.line = line;
	sim_event_queue(sim, &ev);
}

/* Post every record of @b, in order, and empty it. */
static void sim_post_all(struct sim *sim, struct sim_evbuf *b)
{
	size_t off;

	for (off = 0; off < b->len;) {
		const struct cti_event *e = (const void *)(b->p + off);
		int ret;

		off += EVQ_ALIGN(e->size);
		if (e->type == SIM_EV_LINE_REMOVE)
			ret = sim->api->line_remove(sim->host, e->line);
		else if (e->type == SIM_EV_LINE_ADD)
			ret = sim_line_announce(sim, e->line);
		else
			ret = sim->api->post_event(sim->host, e);
		if (ret)
			sim_log(sim, CTI_LOG_WARNING,
				"post_event(type %u) failed: %d", e->type, ret);
	}
	b->len = 0;
}

static void sim_flush_fn(struct sw *sw, struct sw_tmr *tmr)
{
	struct sim *sim = sim_container_of(tmr, struct sim, flush_tmr);

	(void)sw;
	/*
	 * What posting makes goes to the other buffer and is posted in the
	 * same flush, as it would have been at the tail of one list.
	 */
	while (sim->evq[sim->evq_cur].len) {
		struct sim_evbuf *b = &sim->evq[sim->evq_cur];

		sim->evq_cur ^= 1;
		sim_post_all(sim, b);
	}
}

static void sim_events_free(struct sim *sim)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		free(sim->evq[i].p);
		memset(&sim->evq[i], 0, sizeof(sim->evq[i]));
	}
}

/* ---- the core's host ------------------------------------------------------ */

static void *sim_h_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return calloc(1, size);
}

static void sim_h_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

static int64_t sim_h_timer_arm(void *ctx, uint64_t ms, struct sw_tmr *tmr)
{
	struct sim *sim = ctx;

	return sim->api->timer_start(sim->host, ms, (uint64_t)(uintptr_t)tmr);
}

static void sim_h_timer_cancel(void *ctx, int64_t id)
{
	struct sim *sim = ctx;

	sim->api->timer_cancel(sim->host, id);
}

static void sim_h_emit(void *ctx, const struct cti_event *ev)
{
	sim_event_queue(ctx, ev);
}

static int sim_h_line_find(void *ctx, const char *number, uint32_t *line)
{
	return sim_line_find(ctx, number, line);
}

static void sim_h_line_number(void *ctx, uint32_t line, char *buf)
{
	sim_line_number(ctx, line, buf);
}

/* The core asks only while it runs a request that submit handed it. */
static int sim_h_authorize(void *ctx, const struct sw_req *req,
			   uint32_t line, uint32_t reach)
{
	struct sim *sim = ctx;

	if (!sim->req || sim->req->handle != req->handle)
		return -EACCES;
	return sim_authorize(sim, sim->req, line, reach);
}

static void sim_h_log(void *ctx, int level, const char *msg)
{
	struct sim *sim = ctx;

	sim_log(sim, level, "%s", msg);
}

/* Agents and phone changes become the userspace-only CTI_UEV_* records. */
static void sim_h_note(void *ctx, uint32_t line, const struct sw_note *n)
{
	union {
		struct cti_event hdr;
		struct cti_uev_agent_state agent;
		struct cti_uev_phone_display display;
		struct cti_uev_phone_lamp lamp;
		struct cti_uev_phone_ring ring;
	} u;
	static const struct {
		uint16_t type, size;
	} kinds[] = {
		[SW_NOTE_AGENT] = { CTI_UEV_AGENT_STATE, sizeof(u.agent) },
		[SW_NOTE_DISPLAY] = { CTI_UEV_PHONE_DISPLAY, sizeof(u.display) },
		[SW_NOTE_LAMP] = { CTI_UEV_PHONE_LAMP, sizeof(u.lamp) },
		[SW_NOTE_RING] = { CTI_UEV_PHONE_RING, sizeof(u.ring) },
	};

	if (n->kind >= sizeof(kinds) / sizeof(kinds[0]))
		return;
	memset(&u, 0, sizeof(u));
	u.hdr.type = kinds[n->kind].type;
	u.hdr.size = kinds[n->kind].size;
	u.hdr.line = line;
	switch (n->kind) {
	case SW_NOTE_AGENT:
		u.agent.state = n->a;
		u.agent.reason = n->b;
		u.agent.activity = n->c;
		if (n->text && n->text_len < sizeof(u.agent.groups))
			memcpy(u.agent.groups, n->text, n->text_len);
		break;
	case SW_NOTE_DISPLAY:
		u.display.row = n->a;
		u.display.col = n->b;
		if (n->text && n->text_len <= sizeof(u.display.text))
			memcpy(u.display.text, n->text, n->text_len);
		break;
	case SW_NOTE_LAMP:
		u.lamp.lamp = n->a;
		u.lamp.mode = n->b;
		break;
	default:
		u.ring.pattern = n->a;
		u.ring.volume = n->b;
		break;
	}
	sim_event_queue(ctx, &u.hdr);
}

static const struct sw_host_ops sim_host_ops = {
	.alloc = sim_h_alloc,
	.free = sim_h_free,
	.timer_arm = sim_h_timer_arm,
	.timer_cancel = sim_h_timer_cancel,
	.emit = sim_h_emit,
	.line_find = sim_h_line_find,
	.line_number = sim_h_line_number,
	.authorize = sim_h_authorize,
	.log = sim_h_log,
	.note = sim_h_note,
};

/* ---- the provider ops ------------------------------------------------------ */

static void sim_timer_op(void *state, int64_t timer_id, uint64_t cookie)
{
	struct sim *sim = state;

	sw_tmr_fire(sim->sw, (struct sw_tmr *)(uintptr_t)cookie, timer_id);
}

static void sim_destroy(struct sim *sim)
{
	struct sim_inbound *in;

	if (sim->sw) {
		for (in = sim->cfg.inbound; in; in = in->next)
			sw_tmr_cancel(sim->sw, &in->tmr);
		sw_tmr_cancel(sim->sw, &sim->flush_tmr);
		sw_free(sim->sw);
	}
	sim_events_free(sim);
	free(sim->sorted);
	sim_config_free(&sim->cfg);
	free(sim);
}

static int sim_check_config(const struct cti_host_api *api,
			    struct cti_host *host,
			    const struct cti_provider_config *pc)
{
	struct sim_config cfg;
	int ret = sim_config_parse(&cfg, api, host, pc);

	if (!ret)
		sim_config_free(&cfg);
	return ret;
}

static void sim_inbound_fn(struct sw *sw, struct sw_tmr *tmr)
{
	struct sim_inbound *in = sim_container_of(tmr, struct sim_inbound, tmr);
	struct sim *sim = in->sim;
	struct sw_script empty = { 0 };
	uint32_t line;
	int ret;

	if (sim_line_find(sim, in->to, &line)) {
		sim_log(sim, CTI_LOG_WARNING, "inbound: %s is not a line",
			in->to);
		return;
	}
	ret = sw_inbound(sw, line, in->from, &empty);
	if (ret)
		sim_log(sim, CTI_LOG_INFO, "inbound %s -> %s: %d", in->from,
			in->to, ret);
}

static struct sw_config sim_sw_config(const struct sim_config *cfg)
{
	struct sw_config c = {
		.lines = cfg->lines,
		.phones = cfg->lines,		/* every line has its phone */
		.max_calls = cfg->max_calls,
		.noanswer_ms = cfg->noanswer_ms,
		.forward_noanswer_ms = cfg->forward_noanswer_ms,
		.park_slots = cfg->park_slots,
		.park_first = cfg->park_first,
		.after_call_work = cfg->after_call_work,
		.orphan_keep = cfg->orphan_keep,
		.outside_default = cfg->outside_default,
	};

	return c;
}

/* The configured far-end scripts and orphan policies go into the core. */
static int sim_install(struct sim *sim)
{
	const struct sim_outside *o;
	const struct sim_orphan *op;
	struct sim_inbound *in;
	uint32_t line;
	int ret;

	for (o = sim->cfg.outside; o; o = o->next) {
		ret = sw_script_set(sim->sw, o->number, &o->script);
		if (ret)
			return ret;
	}
	for (op = sim->cfg.orphan; op; op = op->next) {
		if (sim_line_find(sim, op->number, &line)) {
			sim_log(sim, CTI_LOG_ERR, "orphan.%s: no such line",
				op->number);
			return -EINVAL;
		}
		sw_line_set_orphan(sim->sw, line, op->keep);
	}
	for (in = sim->cfg.inbound; in; in = in->next) {
		in->sim = sim;
		in->tmr.fn = sim_inbound_fn;
	}
	return 0;
}

static int sim_init(const struct cti_host_api *api, struct cti_host *host,
		    const struct cti_provider_config *pc, void **state)
{
	struct sw_config swc;
	struct sim_inbound *in;
	struct sim *sim;
	uint32_t i;
	int ret;

	if (!CTI_HOST_API_HAS(api, timer_cancel))
		return -EINVAL;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return -ENOMEM;
	sim->api = api;
	sim->host = host;
	sim->flush_tmr.fn = sim_flush_fn;
	ret = sim_config_parse(&sim->cfg, api, host, pc);
	if (ret) {
		free(sim);
		return ret;
	}
	ret = sim_numbers_sort(sim);
	if (ret)
		goto err;
	swc = sim_sw_config(&sim->cfg);
	sim->sw = sw_new(&sim_host_ops, sim, &swc);
	if (!sim->sw) {
		ret = -ENOMEM;
		goto err;
	}
	ret = sim_install(sim);
	if (ret)
		goto err;
	for (i = 0; i < sim->cfg.lines; i++) {
		ret = sim_line_announce(sim, i);
		if (ret)
			goto err;
	}
	for (in = sim->cfg.inbound; in; in = in->next)
		sw_tmr_arm(sim->sw, &in->tmr, in->delay);
	sim_log(sim, CTI_LOG_INFO, "%u lines", sim->cfg.lines);
	*state = sim;
	return 0;
err:
	sim_destroy(sim);
	return ret;
}

/* The sim holds no request past submit: nothing to complete here. */
static void sim_shutdown(void *state)
{
	sim_destroy(state);
}

static int sim_submit(void *state, const struct cti_provider_request *req)
{
	struct sim *sim = state;
	struct cti_provider_request r = *req;
	uint32_t call = CTI_CALL_NONE;
	struct sw_req sr;
	int ret;

	if (r.line >= sim->cfg.lines || !sw_line_present(sim->sw, r.line))
		return -ENODEV;
	if (!r.data) {
		if (r.data_len)
			return -EINVAL;
		r.data = "";
	}
	/* Every sim command takes text: a NUL inside it is malformed. */
	if (r.data_len > CTI_DATA_MAX || memchr(r.data, '\0', r.data_len))
		return -EINVAL;

	sim->req = &r;
	if (r.cmd == CTI_CMD_DEV_SPECIFIC) {
		ret = sim_dev_specific(sim, &r);
	} else {
		sr = (struct sw_req){
			.handle = r.handle, .cmd = r.cmd, .line = r.line,
			.call = r.call, .call2 = r.call2, .arg = r.arg,
			.arg2 = r.arg2, .data_len = r.data_len, .data = r.data,
		};
		ret = sw_submit(sim->sw, &sr, &call);
	}
	sim->req = NULL;
	if (ret < 0)
		return ret;
	/* Every command completes at once; its records follow from a timer. */
	sim->api->complete(sim->host, r.handle, 0, call);
	return 0;
}

/* ctid: the last session that owned @call went away. */
static void sim_call_orphaned(void *state, uint32_t line, uint32_t call)
{
	struct sim *sim = state;

	if (line < sim->cfg.lines)
		sw_call_orphaned(sim->sw, line, call);
}

CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.size = sizeof(struct cti_provider_ops),
	.name = "sim",
	.description = "built-in virtual PBX",
	.check_config = sim_check_config,
	.init = sim_init,
	.shutdown = sim_shutdown,
	.submit = sim_submit,
	.timer = sim_timer_op,
	.call_orphaned = sim_call_orphaned,
};
