// SPDX-License-Identifier: GPL-2.0
/*
 * Access rules changed while ctid runs (SIGHUP): the [user] and [group]
 * sections of the configuration file are read again and applied to every
 * line and every session, attached or detached, so that a right taken
 * away is gone at once, also for a session that resumes later (issue 6,
 * hole 8). Everything else in the file keeps its value until a restart
 * (a provider's keys until that provider is reloaded).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "config.h"
#include "ctid.h"
#include "log.h"

static void reload_error(void *arg, const char *msg)
{
	(void)arg;
	log_err("%s", msg);
}

/* Each present line's masks from the rules now in g.cfg. */
static void lines_remask(void)
{
	char key[CTI_PROVIDER_NAME_MAX + CTI_NAME_MAX + 1];

	for (struct provider *p = g.providers; p; p = p->next)
		p->acl_union = 0;
	for (uint32_t id = 1; id <= g.max_line_id; id++) {
		struct line *l = g.lines[id];

		if (!l || l->removed || !l->prov)
			continue;
		snprintf(key, sizeof(key), "%s/%s", l->prov->name, l->name);
		acl_line_masks(g.cfg, id, key, &l->own_mask, &l->mon_mask);
		l->pickup_mask = acl_line_pickup_mask(g.cfg, id, key);
		l->prov->acl_union |= l->own_mask | l->mon_mask;
	}
}

int ctid_reload_access(void)
{
	struct config *n;

	if (!g.opts || !g.opts->config_path) {
		log_warn("SIGHUP: running on the embedded default; nothing to reload");
		return 0;
	}
	n = config_load_file(g.opts->config_path, reload_error, NULL);
	if (!n) {
		log_err("SIGHUP: %s has errors; access rules unchanged",
			g.opts->config_path);
		return -EINVAL;
	}
	for (size_t i = 0; i < g.cfg->nacls; i++) {
		free(g.cfg->acls[i].name);
		line_spec_free(g.cfg->acls[i].lines);
		line_spec_free(g.cfg->acls[i].monitor);
		line_spec_free(g.cfg->acls[i].pickup);
	}
	memcpy(g.cfg->acls, n->acls, n->nacls * sizeof(n->acls[0]));
	g.cfg->nacls = n->nacls;
	n->nacls = 0;		/* the entries are g.cfg's now */
	config_free(n);
	lines_remask();
	principal_cache_flush();
	for (struct session *s = g.sessions; s; s = s->next)
		session_revalidate(s);
	log_info("SIGHUP: access rules of %s applied (%zu sections)",
		 g.opts->config_path, g.cfg->nacls);
	return 0;
}
