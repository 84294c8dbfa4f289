// SPDX-License-Identifier: GPL-2.0
/*
 * host timers: each provider instance's timers are a binary heap on
 * (deadline, order) behind one loop timer, and the ones due "now" run
 * just before the loop waits (timers_run_due), so a provider's events
 * leave in the same batch as the replies that caused them.
 */
#include <errno.h>
#include <stdlib.h>

#include "ctid.h"
#include "host/timers.h"
#include "log.h"

/* The loop timer of one instance; outlives it until the ring lets go. */
struct ptimer {
	struct loop_timer t;	/* first: loop_timer_release() frees us */
	struct provider *p;
	uint64_t armed_for;	/* deadline the loop timer is set to */
};

/* Timers: a binary heap ordered by (deadline, order of arming). */
static bool t_less(const struct host_timer *a, const struct host_timer *b)
{
	return a->deadline < b->deadline ||
	       (a->deadline == b->deadline && a->order < b->order);
}

static void heap_up(struct provider *p, uint32_t i)
{
	while (i) {
		uint32_t parent = (i - 1) / 2;
		struct host_timer t;

		if (!t_less(&p->timers[i], &p->timers[parent]))
			break;
		t = p->timers[i];
		p->timers[i] = p->timers[parent];
		p->timers[parent] = t;
		i = parent;
	}
}

static void heap_down(struct provider *p, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		struct host_timer t;

		if (l < p->ntimers && t_less(&p->timers[l], &p->timers[m]))
			m = l;
		if (r < p->ntimers && t_less(&p->timers[r], &p->timers[m]))
			m = r;
		if (m == i)
			break;
		t = p->timers[i];
		p->timers[i] = p->timers[m];
		p->timers[m] = t;
		i = m;
	}
}

static void heap_del(struct provider *p, uint32_t i)
{
	p->timers[i] = p->timers[--p->ntimers];
	if (i < p->ntimers) {
		heap_up(p, i);
		heap_down(p, i);
	}
}

static struct ptimer *ptimer_of(struct provider *p)
{
	return p->ptimer;
}

/*
 * Arms the instance's loop timer for its earliest timer. A timer already
 * due is left to providers_run_due(), which runs before the loop waits,
 * unless @force (the last word before waiting): waking the ring for it
 * would cost a system call and a loop iteration per batch of events.
 */
static void ptimer_rearm(struct ctid *ctx, struct provider *p, bool force)
{
	struct ptimer *pt = ptimer_of(p);
	uint64_t now, when;

	if (!pt || !p->ntimers)
		return;
	when = p->timers[0].deadline;
	now = loop_time_ns(&ctx->loop);
	if (!force && when <= now)
		return;
	if (pt->t.armed && pt->armed_for <= when)
		return;
	pt->armed_for = when;
	loop_timer_arm(&ctx->loop, &pt->t, when > now ? when - now : 0);
}

/* Runs @p's timers that are due; false if @p went away meanwhile. */
static bool run_due(struct ctid *ctx, struct provider *p, struct ptimer *pt)
{
	uint64_t now = loop_time_ns(&ctx->loop);
	unsigned int budget = 1024;	/* bounded work per pass */

	while (p->ntimers && p->timers[0].deadline <= now && budget--) {
		struct host_timer ht = p->timers[0];

		heap_del(p, 0);
		if (p->ops->timer && !p->in_shutdown)
			p->ops->timer(p->state, ht.id, ht.cookie);
		if (pt->p != p)
			return false;	/* unloaded meanwhile */
	}
	return true;
}

static void ptimer_fire(struct loop *lp, struct loop_timer *t)
{
	struct ctid *ctx = ctid_of_loop(lp);
	struct ptimer *pt = (struct ptimer *)t;
	struct provider *p = pt->p;

	if (!p)
		return;
	pt->armed_for = 0;
	if (run_due(ctx, p, pt))
		ptimer_rearm(ctx, p, false);
}

/*
 * Called before the loop waits: timers that are already due (the "next
 * iteration" timers a provider arms to post its events) run now, so that
 * their events leave in the same batch as the replies that caused them
 * instead of one ring round trip later.
 */
void timers_run_due(struct ctid *ctx)
{
	struct provider *p, *next;

	/* A few passes: a timer callback may arm "next iteration" timers. */
	for (int pass = 0; pass < 4; pass++) {
		bool ran = false;

		for (p = ctx->providers; p; p = next) {
			next = p->next;
			if (p->ntimers && p->ptimer && !p->in_shutdown &&
			    p->timers[0].deadline <= loop_time_ns(&ctx->loop)) {
				run_due(ctx, p, p->ptimer);
				ran = true;
			}
		}
		if (!ran)
			break;
	}
	/* what is still due (or due later) must wake the ring */
	for (p = ctx->providers; p; p = p->next)
		ptimer_rearm(ctx, p, true);
}

int64_t timers_start(struct ctid *ctx, struct provider *p, uint64_t ms, uint64_t cookie)
{
	struct host_timer *t;

	if (!p || ctx->check_mode || p->in_shutdown)
		return -EINVAL;
	if (ms > 365ull * 24 * 3600 * 1000)
		return -EINVAL;
	if (p->ntimers == p->captimers) {
		uint32_t ncap = p->captimers ? p->captimers * 2 : 64;
		struct host_timer *n = realloc(p->timers, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		p->timers = n;
		p->captimers = ncap;
	}
	t = &p->timers[p->ntimers++];
	t->id = ++p->next_timer_id;
	t->deadline = loop_time_ns(&ctx->loop) + ms * 1000000ull;
	t->order = ++p->timer_order;
	t->cookie = cookie;
	heap_up(p, p->ntimers - 1);
	ptimer_rearm(ctx, p, false);
	return p->next_timer_id;
}

int timers_cancel(struct ctid *ctx, struct provider *p, int64_t id)
{

	if (!p)
		return -EINVAL;
	for (uint32_t i = 0; i < p->ntimers; i++)
		if (p->timers[i].id == id) {
			heap_del(p, i);
			return 0;
		}
	log_debug(&ctx->log, "provider %s: timer %lld cancelled after it fired",
		  p->name, (long long)id);
	return -ENOENT;
}

int timers_init(struct provider *p)
{
	struct ptimer *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return -ENOMEM;
	loop_timer_init(&pt->t, ptimer_fire);
	pt->p = p;
	p->ptimer = pt;
	return 0;
}

/* The loop timer outlives the instance until the ring lets go of it. */
void timers_exit(struct ctid *ctx, struct provider *p)
{
	struct ptimer *pt = ptimer_of(p);

	if (pt) {
		pt->p = NULL;
		loop_timer_release(&ctx->loop, &pt->t);
		p->ptimer = NULL;
	}
	free(p->timers);
	p->timers = NULL;
	p->ntimers = 0;
}
