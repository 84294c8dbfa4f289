// SPDX-License-Identifier: GPL-2.0
/*
 * stats: the SERVER_STATS request. The counters (struct ctid_stats) are
 * bumped in place by the modules where things happen; what is a state
 * rather than an event (connections open, sessions, lines, calls by
 * state, providers) is counted here from the live tables, so that it can
 * never drift from them. That walk is O(lines + calls + sessions) and
 * runs only when an administrator asks (a scrape every few seconds).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "authz.h"
#include "config.h"
#include "ctid.h"
#include "stats.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void stats_start(struct ctid *ctx)
{
	ctx->stats.start_ns = mono_ns();
}

static void count_calls(struct ctid *ctx, struct cti_wire_stats *w)
{
	/* an id may be known (a key) before the table has grown to it */
	for (uint32_t id = 1; id <= ctx->max_line_id && id < ctx->nlines_cap; id++) {
		const struct line *l = ctx->lines[id];

		if (!l || l->removed)
			continue;
		w->lines++;
		for (const struct call *c = l->calls; c; c = c->next)
			if (c->state < CTI_WIRE_STATS_STATES)
				w->calls[c->state]++;
	}
}

static void count_providers(struct ctid *ctx, struct cti_wire_stats *w)
{
	for (size_t i = 0; i < ctx->cfg->nproviders; i++) {
		const struct provider *p = provider_find(ctx, ctx->cfg->providers[i].name);

		if (p && p->up)
			w->providers_up++;
		else
			w->providers_down++;
	}
}

static void fill(struct ctid *ctx, struct cti_wire_stats *w)
{
	const struct ctid_stats *st = &ctx->stats;

	w->uptime_ms = (mono_ns() - st->start_ns) / 1000000u;
	w->connections = ctx->nconns;
	w->sessions_detached = ctx->ndetached;
	w->sessions_attached = ctx->nsessions - ctx->ndetached;
	count_calls(ctx, w);
	count_providers(ctx, w);
	w->connections_total = st->connections;
	w->requests_total = st->requests;
	w->errors_total = st->errors;
	w->logins_failed_total = st->logins_failed;
	w->events_total = st->events;
	w->gaps_total = st->gaps;
	w->gap_events_total = st->gap_events;
	w->events_lost_total = ctx->events_lost;
	/*
	 * What ctid's own card rings lost. The kernel's count per card, over
	 * every reader (a netlink attribute, issue 11), will be a figure of
	 * its own; CTI_WIRE_STATS_UNKNOWN stays for a figure not measured.
	 */
	w->card_overflows = st->card_events_lost;
}

int stats_answer(struct ctid *ctx, struct conn *c, struct session *s, uint64_t id)
{
	struct cti_wire_frame f;

	if (!authz_is_admin(&s->pr))
		return -EACCES;
	if (!(s->features & CTI_WIRE_FEAT_STATS))
		return -EOPNOTSUPP;
	memset(&f.hdr, 0, sizeof(f.hdr));
	memset(&f.u.stats, 0, sizeof(f.u.stats));
	f.hdr.type = CTI_WIRE_STATS;
	f.hdr.id = id;
	fill(ctx, &f.u.stats);
	conn_queue_frame(ctx, c, &f);
	return 0;
}
