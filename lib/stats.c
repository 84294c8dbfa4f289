// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * stats.c - ctid's figures for an administrator (SERVER_STATS / STATS)
 *
 * The answer is one frame before the REPLY, so it is kept in the session
 * rather than queued as a message: a program asks, waits for the reply
 * and reads the copy, without a message type to switch on. The wire's
 * layout and the public struct are separate so that either can grow.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "session.h"

_Static_assert(CTI_STATS_CALL_STATES == CTI_WIRE_STATS_STATES,
	       "one call-state slot per wire slot");

CTI_API int cti_session_server_stats(struct cti_session *session, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_SERVER_STATS };

	/* the server sends STATS only to a client it granted the bit */
	if (session->state == PROTO_UP &&
	    !(session->features & CTI_WIRE_FEAT_STATS))
		return -EOPNOTSUPP;
	return cti_request_send(session, &f, CTI_LINE_NONE, 0, false, req);
}

int cti_stats_handle(struct cti_session *s, const struct cti_wire_frame *f)
{
	/* an answer to nothing we asked (a confused server): ignore it */
	if (!cti_pending_find(s, f->hdr.id))
		return 0;
	s->stats = f->u.stats;
	s->stats_valid = true;
	return 0;
}

static void from_wire(struct cti_server_stats *o, const struct cti_wire_stats *w)
{
	o->connections = w->connections;
	o->sessions_attached = w->sessions_attached;
	o->sessions_detached = w->sessions_detached;
	o->lines = w->lines;
	o->providers_up = w->providers_up;
	o->providers_down = w->providers_down;
	memcpy(o->calls, w->calls, sizeof(o->calls));
	o->uptime_ms = w->uptime_ms;
	o->connections_total = w->connections_total;
	o->requests_total = w->requests_total;
	o->errors_total = w->errors_total;
	o->logins_failed_total = w->logins_failed_total;
	o->events_total = w->events_total;
	o->gaps_total = w->gaps_total;
	o->gap_events_total = w->gap_events_total;
	o->events_lost_total = w->events_lost_total;
	o->card_overflows = w->card_overflows == CTI_WIRE_STATS_UNKNOWN ?
			    CTI_STATS_UNKNOWN : w->card_overflows;
}

CTI_API int cti_session_get_server_stats(struct cti_session *session,
					 struct cti_server_stats *stats)
{
	struct cti_server_stats all = { 0 };
	uint32_t size;

	if (!stats || stats->size < sizeof(stats->size))
		return -EINVAL;
	if (!session->stats_valid)
		return -ENODATA;
	size = stats->size;
	from_wire(&all, &session->stats);
	all.size = size < sizeof(all) ? size : (uint32_t)sizeof(all);
	if (size > sizeof(all))
		memset((char *)stats + sizeof(all), 0, size - sizeof(all));
	memcpy(stats, &all, all.size);
	return 0;
}
