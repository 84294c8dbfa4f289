// SPDX-License-Identifier: GPL-2.0
/*
 * authz_reload: the access rules changed while ctid runs (a reload, or a
 * live change of a user or group): applied at once to every line and
 * every session, attached or detached, so that a right taken away is gone
 * now, also for a session that resumes later (issue 6, hole 8).
 *
 * It sits above the registry and the sessions it updates; authz.c below
 * them stays a set of pure rules.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "authz.h"
#include "authz_reload.h"
#include "config.h"
#include "ctid.h"
#include "log.h"

/*
 * A request at a provider decides authorize() by the principal it was
 * made with, whose mask bits are indices into the old sections: it takes
 * its session's principal as it is now (no rights if the session is gone).
 */
static void requests_repoint(struct ctid *ctx)
{
	for (uint32_t i = 0; i < ctx->requests.nreqs; i++) {
		struct request *r = &ctx->requests.reqs[i];
		const struct session *s = r->owner;

		if (!r->in_use)
			continue;
		if (s) {
			r->pr = s->pr;
		} else {
			r->pr.mask = 0;
			r->pr.admin = false;
		}
	}
}

/* Every line's masks before the change: [id] = own, mon. */
static uint64_t (*masks_save(struct ctid *ctx))[2]
{
	uint64_t (*m)[2] = calloc(ctx->max_line_id + 1, sizeof(*m));

	for (uint32_t id = 1; m && id <= ctx->max_line_id; id++) {
		const struct line *l = line_get(ctx, id);

		if (l && !l->removed) {
			m[id][0] = l->own_mask;
			m[id][1] = l->mon_mask;
		}
	}
	return m;
}

/*
 * Whether a principal that had mask @was sees other lines now with mask
 * @now. Sessions of one user share both masks, so the answers are kept
 * for the few distinct pairs: O(users x lines + sessions), not
 * sessions x lines.
 */
struct vis_memo {
	uint64_t was, now;
	bool changed;
};

static bool vis_changed(struct ctid *ctx, uint64_t (*old)[2], uint64_t was,
			uint64_t now, struct vis_memo *memo, size_t *nmemo)
{
	bool changed = false;

	for (size_t i = 0; i < *nmemo; i++)
		if (memo[i].was == was && memo[i].now == now)
			return memo[i].changed;
	for (uint32_t id = 1; !changed && id <= ctx->max_line_id; id++) {
		const struct line *l = line_get(ctx, id);
		bool before = (was & (old[id][0] | old[id][1])) != 0;
		bool after = l && !l->removed &&
			     (now & (l->own_mask | l->mon_mask)) != 0;

		changed = before != after;
	}
	if (*nmemo < CFG_MAX_ACL * 4) {
		memo[*nmemo].was = was;
		memo[*nmemo].now = now;
		memo[(*nmemo)++].changed = changed;
	}
	return changed;
}

void authz_apply(struct ctid *ctx, struct acct_set *set)
{
	uint64_t (*old)[2] = masks_save(ctx);
	struct vis_memo *memo = calloc(CFG_MAX_ACL * 4, sizeof(*memo));
	size_t nmemo = 0;

	config_set_acls(ctx->cfg, set->v, set->n);
	set->n = 0;
	lines_remask(ctx);
	/* the entries' indices changed: every principal is resolved again */
	principal_cache_flush(ctx);
	for (struct session *s = ctx->sessions; s; s = s->next) {
		uint64_t was = s->pr.mask;

		session_revalidate(ctx, s);
		/* lines it may see came or went: a snapshot tells it which */
		if (!old || !memo ||
		    vis_changed(ctx, old, was, s->pr.mask, memo, &nmemo))
			session_lines_changed(ctx, s);
	}
	requests_repoint(ctx);
	free(old);
	free(memo);
}
