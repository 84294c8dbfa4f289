// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim's outgoing records. Commands change the model at once but their
 * records wait in a FIFO that a zero-delay timer posts, so the host sends
 * the REPLY before the state changes it caused, and a record is never
 * posted from inside submit (a rule of cti_provider.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

struct sim_ev {
	struct sim_ev *next;
	struct cti_event hdr;			/* the record's payload follows */
};

static void sim_flush_fn(struct sim *sim, struct sim_tmr *tmr)
{
	(void)tmr;
	sim_event_flush(sim);
}

void sim_event_init(struct sim *sim)
{
	sim->evq_head = NULL;
	sim->evq_tail = &sim->evq_head;
	sim->flush_tmr.id = 0;
	sim->flush_tmr.fn = sim_flush_fn;
}

void sim_event_queue(struct sim *sim, const struct cti_event *ev)
{
	struct sim_ev *e = malloc(offsetof(struct sim_ev, hdr) + ev->size);

	if (!e) {
		/* Nothing is lost silently: say so; the host resyncs clients. */
		sim_log(sim, CTI_LOG_ERR, "out of memory: event type %u lost",
			ev->type);
		return;
	}
	e->next = NULL;
	memcpy(&e->hdr, ev, ev->size);
	*sim->evq_tail = e;
	sim->evq_tail = &e->next;
	if (!sim->flush_tmr.id)
		sim_tmr_arm(sim, &sim->flush_tmr, 0);
}

void sim_event_flush(struct sim *sim)
{
	struct sim_ev *e;

	while ((e = sim->evq_head)) {
		int ret;

		sim->evq_head = e->next;
		if (!sim->evq_head)
			sim->evq_tail = &sim->evq_head;
		if (e->hdr.type == SIM_EV_LINE_REMOVE)
			ret = sim->api->line_remove(sim->host, e->hdr.line);
		else if (e->hdr.type == SIM_EV_LINE_ADD)
			ret = sim_line_announce(sim, e->hdr.line);
		else
			ret = sim->api->post_event(sim->host, &e->hdr);
		if (ret)
			sim_log(sim, CTI_LOG_WARNING,
				"post_event(type %u) failed: %d", e->hdr.type, ret);
		free(e);
	}
}

void sim_event_free(struct sim *sim)
{
	struct sim_ev *e;

	sim_tmr_cancel(sim, &sim->flush_tmr);
	while ((e = sim->evq_head)) {
		sim->evq_head = e->next;
		free(e);
	}
	sim->evq_tail = &sim->evq_head;
}

/*
 * Zero a record of @size bytes that starts with @hdr (its first member)
 * and fill in the header: every record goes out with no stale bytes.
 */
void sim_event_prep(struct cti_event *hdr, uint16_t type, uint16_t size,
		    uint32_t line)
{
	memset(hdr, 0, size);
	hdr->type = type;
	hdr->size = size;
	hdr->line = line;
}

void sim_post_state(struct sim *sim, struct sim_call *c, uint8_t state,
		    uint8_t reason)
{
	struct cti_ev_call_state ev;

	sim_event_prep(&ev.hdr, CTI_EV_CALL_STATE, sizeof(ev), c->line);
	ev.call = c->handle;
	ev.state = state;
	ev.reason = reason;
	ev.related_call = c->related;
	sim_event_queue(sim, &ev.hdr);
}

void sim_post_info(struct sim *sim, struct sim_call *c, uint64_t changed)
{
	struct cti_ev_call_info ev;

	sim_event_prep(&ev.hdr, CTI_EV_CALL_INFO, sizeof(ev), c->line);
	ev.call = c->handle;
	ev.origin = c->origin;
	ev.changed = changed;
	ev.reason = c->call_reason;
	ev.related_call = c->related;
	memcpy(ev.caller, c->caller, sizeof(ev.caller));
	memcpy(ev.called, c->called, sizeof(ev.called));
	sim_event_queue(sim, &ev.hdr);
}

void sim_post_digits(struct sim *sim, struct sim_call *c, const char *digits)
{
	struct cti_ev_digits ev;
	size_t n = strnlen(digits, CTI_DIGITS_MAX);

	sim_event_prep(&ev.hdr, CTI_EV_DIGITS, sizeof(ev), c->line);
	ev.call = c->handle;
	ev.count = n;
	memcpy(ev.digits, digits, n);
	sim_event_queue(sim, &ev.hdr);
}

void sim_post_line_status(struct sim *sim, uint32_t line)
{
	const struct sim_line *l = &sim->lines[line];
	struct cti_ev_line_status ev;

	sim_event_prep(&ev.hdr, CTI_EV_LINE_STATUS, sizeof(ev), line);
	ev.status = l->status;
	ev.num_calls = l->ncalls;
	ev.forward_mode = l->fwd_mode;
	ev.dnd = l->dnd;
	if (l->fwd_to)
		strncpy(ev.forward_to, l->fwd_to, sizeof(ev.forward_to) - 1);
	sim_event_queue(sim, &ev.hdr);
}
