// SPDX-License-Identifier: GPL-2.0
/*
 * principal: who a uid is (its name, groups, and so its ACL entries),
 * resolved through NSS once and kept for PCACHE_TTL_NS: NSS may block
 * (LDAP, sssd), so it is asked when a client says HELLO, never per
 * request or per event.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctid.h"
#include "log.h"
#include "principal.h"
#include "ruid.h"


/* Group changes reach running clients' new connections after this. */
#define PCACHE_TTL_NS	(60ull * 1000000000ull)

/*
 * A remote user has no uid on this machine, so no system groups: its
 * groups are the [group] sections whose members name it, and its rights
 * those of its [user NAME] section and of these groups.
 */
static void remote_principal(const struct config *cfg, const char *name,
			     struct acl_principal *pr)
{
	const char *groups[CFG_MAX_ACL];
	size_t n = 0;

	for (size_t i = 0; i < cfg->nacls; i++)
		if (cfg->acls[i].is_group && cfg_acl_has_member(&cfg->acls[i], name))
			groups[n++] = cfg->acls[i].name;
	acl_principal_from_names(cfg, name, groups, n, pr);
}

const struct acl_principal *principal_get(struct ctid *ctx, uid_t uid)
{
	uint64_t now = loop_now_ns();
	struct acl_principal pr;
	struct pcache *pc;
	int ret;

	for (pc = ctx->pcache; pc; pc = pc->next)
		if (pc->pr.uid == uid) {
			if (now - pc->resolved_at < PCACHE_TTL_NS)
				return &pc->pr;
			break;
		}
	if (ruid_is_remote(uid)) {
		const char *name = ruid_name(&ctx->ruids, uid);

		ret = name ? 0 : -ENOENT;
		remote_principal(ctx->cfg, name ? name : "", &pr);
		pr.uid = uid;
		if (!name) {
			pr.mask = 0;
			pr.admin = false;
		}
	} else {
		ret = acl_principal_resolve(ctx->cfg, uid, &pr);
	}
	if (ret && ret != -ENOENT) {
		/* A failing NSS must not pin "no rights" on a real user. */
		log_rl(&ctx->log, LOG_LVL_WARN, "cannot resolve uid %u: %s",
		       (unsigned int)uid, strerror(-ret));
		return NULL;
	}
	if (!pc) {
		pc = calloc(1, sizeof(*pc));
		if (!pc)
			return NULL;
		pc->next = ctx->pcache;
		ctx->pcache = pc;
	}
	pc->pr = pr;
	pc->resolved_at = now;
	log_debug(&ctx->log, "uid %u is \"%s\"%s", (unsigned int)uid, pc->pr.name,
		  pc->pr.admin ? " (admin)" : "");
	return &pc->pr;
}


void principal_cache_flush(struct ctid *ctx)
{
	while (ctx->pcache) {
		struct pcache *n = ctx->pcache->next;

		free(ctx->pcache);
		ctx->pcache = n;
	}
}
