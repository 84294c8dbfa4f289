// SPDX-License-Identifier: GPL-2.0
/*
 * authz_reload: the access rules changed while ctid runs (SIGHUP). The
 * [user] and [group] sections of the configuration file are read again
 * and applied at once to every line and every session, attached or
 * detached, so that a right taken away is gone now, also for a session
 * that resumes later (issue 6, hole 8). Everything else in the file keeps
 * its value until a restart (a provider's keys until it is reloaded).
 *
 * It sits above the registry and the sessions it updates; authz.c below
 * them stays a set of pure rules.
 */
#include <errno.h>

#include "authz_reload.h"
#include "config.h"
#include "ctid.h"
#include "log.h"

static void reload_error(void *arg, const char *msg)
{
	struct ctid *ctx = arg;

	log_err(&ctx->log, "%s", msg);
}

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

int authz_reload(struct ctid *ctx)
{
	const char *path = ctx->opts ? ctx->opts->config_path : NULL;
	struct config *n;

	if (!path) {
		log_warn(&ctx->log, "SIGHUP: running on the embedded default; nothing to reload");
		return 0;
	}
	n = config_load_file(path, reload_error, ctx);
	if (!n) {
		log_err(&ctx->log, "SIGHUP: %s has errors; access rules unchanged", path);
		return -EINVAL;
	}
	config_take_acls(ctx->cfg, n);
	config_free(n);
	lines_remask(ctx);
	/* the entries' indices changed: every principal is resolved again */
	principal_cache_flush(ctx);
	for (struct session *s = ctx->sessions; s; s = s->next)
		session_revalidate(ctx, s);
	requests_repoint(ctx);
	log_info(&ctx->log, "SIGHUP: access rules of %s applied (%zu sections)", path,
		 ctx->cfg->nacls);
	return 0;
}
