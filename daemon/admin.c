// SPDX-License-Identifier: GPL-2.0
/*
 * admin: the provider administration frames (LIST_PROVIDERS, PROVIDER_LOAD,
 * _UNLOAD, _RELOAD), for admins only (authz.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "authz.h"
#include "config.h"
#include "ctid.h"
#include "log.h"

static int cfg_provider_index(struct ctid *ctx, const char *name)
{
	for (size_t i = 0; i < ctx->cfg->nproviders; i++)
		if (!strcmp(ctx->cfg->providers[i].name, name))
			return (int)i;
	return -1;
}

void admin_list_providers(struct ctid *ctx, struct conn *c, uint64_t id)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_PROVIDER, .hdr.id = id };
	uint32_t count = 0;

	for (size_t i = 0; i < ctx->cfg->nproviders; i++) {
		struct provider *p = provider_find(ctx, ctx->cfg->providers[i].name);

		memset(&f.u.provider, 0, sizeof(f.u.provider));
		snprintf(f.u.provider.name, sizeof(f.u.provider.name), "%s",
			 ctx->cfg->providers[i].name);
		if (p) {
			f.u.provider.id = p->id;
			f.u.provider.state = p->up ? CTI_WIRE_PROVIDER_UP
						   : CTI_WIRE_PROVIDER_DOWN;
			f.u.provider.num_lines = p->nlines;
			/* an older client's decoder wants this field zero */
			if (c->s && (c->s->features & CTI_WIRE_FEAT_LINK))
				f.u.provider.link = p->link;
			snprintf(f.u.provider.version, sizeof(f.u.provider.version),
				 "%s abi %u", p->ops->name ? p->ops->name : "?",
				 p->ops->abi_version);
		} else {
			snprintf(f.u.provider.version, sizeof(f.u.provider.version),
				 "not loaded");
		}
		conn_queue_frame(ctx, c, &f);
		count++;
	}
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_END;
	f.hdr.id = id;
	f.u.end.item_type = CTI_WIRE_PROVIDER;
	f.u.end.count = count;
	conn_queue_frame(ctx, c, &f);
}

int admin_provider(struct ctid *ctx, struct session *s, uint16_t type, const char *name)
{
	struct provider *p;
	int idx, ret;

	if (!authz_is_admin(&s->pr))
		return -EACCES;
	idx = cfg_provider_index(ctx, name);
	p = provider_find(ctx, name);
	switch (type) {
	case CTI_WIRE_PROVIDER_LOAD:
		if (p)
			return -EEXIST;
		if (idx < 0)
			return -ENOENT;
		return provider_load(ctx, idx);
	case CTI_WIRE_PROVIDER_UNLOAD:
		if (!p)
			return -ENOENT;
		return provider_unload(ctx, p, 0);
	case CTI_WIRE_PROVIDER_RELOAD:
		if (idx < 0)
			return -ENOENT;
		if (p) {
			ret = provider_unload(ctx, p, 0);
			if (ret)
				return ret;
		}
		return provider_load(ctx, idx);
	}
	return -EINVAL;
}
