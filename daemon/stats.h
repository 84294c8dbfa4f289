/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats: ctid's counters and the admin-only SERVER_STATS request
 * (stats.c). Counters are bumped where their events happen, one
 * increment each on the loop thread (no locks, no atomics); gauges are
 * counted from the live tables when an administrator asks.
 */
#ifndef CTID_STATS_H
#define CTID_STATS_H

#include <stdint.h>

struct ctid;
struct conn;
struct session;

/**
 * struct ctid_stats - counters since start (all only ever grow)
 * @start_ns: CLOCK_MONOTONIC at start-up, for the uptime
 * @connections: connections accepted
 * @requests: frames dispatched in a session
 * @errors: REPLYs with an error, and ERROR frames
 * @logins_failed: LOGINs refused
 * @events: line events the providers posted
 * @gaps: GAP frames sent
 * @gap_events: events those GAPs reported lost
 * @card_events_lost: records the kernel cards' rings lost for ctid (the
 *	CTI_EV_OVERFLOW records, host/card.c)
 */
struct ctid_stats {
	uint64_t start_ns;
	uint64_t connections;
	uint64_t requests;
	uint64_t errors;
	uint64_t logins_failed;
	uint64_t events;
	uint64_t gaps;
	uint64_t gap_events;
	uint64_t card_events_lost;
};

/* Note the start time (run.c, once). */
void stats_start(struct ctid *ctx);
/*
 * SERVER_STATS request @id of session @s: a STATS frame, then 0, or
 * -EACCES (not an admin) / -EOPNOTSUPP (the session lacks FEAT_STATS).
 */
int stats_answer(struct ctid *ctx, struct conn *c, struct session *s, uint64_t id);

#endif
