// SPDX-License-Identifier: GPL-2.0
/*
 * Providers: loading with dlopen() behind the ABI check of
 * providers/cti_provider.h, init with the host API (host/api.c), and
 * unload/reload while the daemon runs.
 *
 * Unload order (so that no client is left waiting and no pointer into the
 * unloaded code survives): mark the instance down, let it complete what
 * it holds in shutdown(), complete any request it forgot with ECANCELED
 * (and log the bug), drop its timers, end its calls (IDLE) and remove its
 * lines (EV_LINE_REMOVED; the ids stay reserved for its return), announce
 * EV_PROVIDER_STATE down, and only then dlclose(). Other providers' lines
 * are untouched.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "ctid.h"
#include "host/api.h"
#include "host/card.h"
#include "host/timers.h"
#include "log.h"

#ifndef CTID_PROVIDER_DIR
#define CTID_PROVIDER_DIR "/usr/local/lib/" CTI_PROVIDER_DIR
#endif

int ctid_provider_abi(void)
{
	return CTI_PROVIDER_ABI_VERSION;
}

struct provider *provider_find(struct ctid *ctx, const char *name)
{
	for (struct provider *p = ctx->providers; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* ---- loading ---- */

static int find_module(const struct config *cfg, const struct cfg_provider *cp,
		       const char *exe_dir, char *path, size_t len)
{
	const char *dirs[3];
	char build_dir[PATH_MAX];
	size_t n = 0;

	if (cp->so[0] == '/') {
		snprintf(path, len, "%s", cp->so);
		return access(path, R_OK) ? -errno : 0;
	}
	if (cfg->provider_dir)
		dirs[n++] = cfg->provider_dir;
	/* build/daemon/ctid -> build/providers */
	if (snprintf(build_dir, sizeof(build_dir), "%s/../providers",
		     exe_dir) >= (int)sizeof(build_dir))
		return -ENAMETOOLONG;
	dirs[n++] = build_dir;
	dirs[n++] = CTID_PROVIDER_DIR;
	for (size_t i = 0; i < n; i++) {
		if (snprintf(path, len, "%s/%s.so", dirs[i], cp->so) >= (int)len)
			continue;
		if (!access(path, R_OK))
			return 0;
	}
	if (snprintf(path, len, "%s.so (searched %s%s%s, %s)", cp->so,
		     cfg->provider_dir ? cfg->provider_dir : "",
		     cfg->provider_dir ? ", " : "", build_dir,
		     CTID_PROVIDER_DIR) >= (int)len)
		path[len - 1] = '\0';
	return -ENOENT;
}

/* dlopen() and the ABI check; fills p->dl, p->ops, p->path. */
static int open_module(struct ctid *ctx, const struct config *cfg, int idx, const char *exe_dir,
		       struct provider *p)
{
	const struct cfg_provider *cp = &cfg->providers[idx];
	const struct cti_provider_ops *ops;
	int ret;

	ret = find_module(cfg, cp, exe_dir, p->path, sizeof(p->path));
	if (ret) {
		log_err(&ctx->log, "%s:%d: provider %s: module %s not found", cfg->file,
			cp->lineno, cp->name, p->path);
		return ret;
	}
	p->dl = dlopen(p->path, RTLD_NOW | RTLD_LOCAL);
	if (!p->dl) {
		log_err(&ctx->log, "%s:%d: provider %s: %s", cfg->file, cp->lineno,
			cp->name, dlerror());
		return -ENOEXEC;
	}
	ops = dlsym(p->dl, CTI_PROVIDER_SYMBOL);
	if (!ops) {
		log_err(&ctx->log, "%s:%d: provider %s: %s exports no %s: not a cti provider",
			cfg->file, cp->lineno, cp->name, p->path,
			CTI_PROVIDER_SYMBOL);
		ret = -ENOEXEC;
		goto err;
	}
	if (ops->abi_version != CTI_PROVIDER_ABI_VERSION) {
		log_err(&ctx->log, "%s:%d: provider %s: %s was built for provider ABI %u, this ctid speaks %u: rebuild it against this ctid's cti_provider.h",
			cfg->file, cp->lineno, cp->name, p->path,
			ops->abi_version, CTI_PROVIDER_ABI_VERSION);
		ret = -EPROTO;
		goto err;
	}
	if (ops->size < CTI_PROVIDER_OPS_SIZE_V1 || !ops->init ||
	    !ops->shutdown || !ops->submit) {
		log_err(&ctx->log, "%s:%d: provider %s: %s has a truncated ops table (size %u) or lacks init/shutdown/submit",
			cfg->file, cp->lineno, cp->name, p->path, ops->size);
		ret = -EPROTO;
		goto err;
	}
	p->ops = ops;
	return 0;
err:
	dlclose(p->dl);
	p->dl = NULL;
	return ret;
}

static struct cti_provider_kv *make_kv(const struct cfg_provider *cp)
{
	struct cti_provider_kv *kv = calloc(cp->nparams + 1, sizeof(*kv));

	if (!kv)
		return NULL;
	for (size_t i = 0; i < cp->nparams; i++) {
		kv[i].key = cp->params[i].key;
		kv[i].value = cp->params[i].value;
		kv[i].lineno = cp->params[i].lineno;
	}
	return kv;
}

static void provider_announce(struct ctid *ctx, struct provider *p, bool up, int error)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_EV_PROVIDER_STATE };

	if (ctx->stopping)
		return;
	f.u.provider_state.provider = p->id;
	f.u.provider_state.state = up ? CTI_WIRE_PROVIDER_UP : CTI_WIRE_PROVIDER_DOWN;
	f.u.provider_state.error = error;
	f.u.provider_state.timestamp_ns = loop_realtime_ns(&ctx->loop);
	snprintf(f.u.provider_state.name, sizeof(f.u.provider_state.name), "%s",
		 p->name);
	registry_provider_event(ctx, p, &f);
}

static void remove_lines(struct ctid *ctx, struct provider *p)
{
	for (uint32_t i = 1; i <= ctx->max_line_id; i++) {
		struct line *l = line_get(ctx, i);

		if (l && !l->removed && l->prov == p) {
			host_end_line(ctx, p, l, -ENODEV);
			line_remove(ctx, l);
		}
	}
}

static void provider_free(struct ctid *ctx, struct provider *p)
{
	timers_exit(ctx, p);
	transports_close_all(ctx, p);
	cards_close_all(ctx, p);
	if (p->dl)
		dlclose(p->dl);
	free(p->map_keys);
	free(p->map_vals);
	free(p);
}

int provider_load(struct ctid *ctx, int idx)
{
	const struct cfg_provider *cp = &ctx->cfg->providers[idx];
	struct cti_provider_config pcfg;
	struct cti_provider_kv *kv;
	struct provider *p;
	int ret;

	if (provider_find(ctx, cp->name))
		return -EEXIST;
	p = calloc(1, sizeof(*p));
	if (!p || timers_init(p)) {
		free(p);
		return -ENOMEM;
	}
	p->host.p = p;
	p->ctx = ctx;
	p->cfg_index = idx;
	snprintf(p->name, sizeof(p->name), "%s", cp->name);
	ret = open_module(ctx, ctx->cfg, idx, ctx->opts->exe_dir, p);
	if (ret) {
		provider_free(ctx, p);
		return ret;
	}
	kv = make_kv(cp);
	if (!kv) {
		provider_free(ctx, p);
		return -ENOMEM;
	}
	p->id = ++ctx->next_provider_id;
	p->next = ctx->providers;
	ctx->providers = p;
	pcfg.name = cp->name;
	pcfg.file = ctx->cfg->file;
	pcfg.count = cp->nparams;
	pcfg.kv = kv;
	p->in_init = true;
	p->up = true;
	registry_batch(ctx, true);	/* its lines are told in one batch */
	ret = p->ops->init(host_api_table(), &p->host, &pcfg, &p->state);
	p->in_init = false;
	free(kv);
	if (ret) {
		log_err(&ctx->log, "provider %s: init failed: %s", p->name, strerror(-ret));
		p->up = false;
		requests_complete_provider(&ctx->requests, p, CTI_LINE_NONE, -ECANCELED);
		remove_lines(ctx, p);
		registry_batch(ctx, false);
		ctx->providers = p->next;
		provider_free(ctx, p);
		return ret < 0 ? ret : -EINVAL;
	}
	registry_batch(ctx, false);
	log_info(&ctx->log, "provider %s (%s, %s) up with %u lines", p->name,
		 p->ops->name ? p->ops->name : "?", p->path, p->nlines);
	provider_announce(ctx, p, true, 0);
	return 0;
}

int provider_unload(struct ctid *ctx, struct provider *p, int error)
{
	struct provider **pp;

	log_info(&ctx->log, "provider %s: unloading", p->name);
	registry_batch(ctx, true);
	p->in_shutdown = true;
	p->up = false;
	p->ops->shutdown(p->state);
	requests_complete_provider(&ctx->requests, p, CTI_LINE_NONE, -ECANCELED);
	p->ntimers = 0;
	transports_close_all(ctx, p);
	cards_close_all(ctx, p);
	remove_lines(ctx, p);
	registry_batch(ctx, false);
	provider_announce(ctx, p, false, error);
	for (pp = &ctx->providers; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	provider_free(ctx, p);
	return 0;
}

int provider_submit(struct provider *p, struct request *r, struct line *l,
		    const struct cti_wire_command *cmd, uid_t uid)
{
	struct cti_provider_request req = {
		.handle = r->handle,
		.cmd = cmd->cmd,
		.line = l->local,
		.call = cmd->call,
		.call2 = cmd->call2,
		.arg = cmd->arg,
		.arg2 = cmd->arg2,
		.data_len = cmd->data_len,
		.uid = uid,
		.data = (const char *)cmd->data,	/* NUL at data_len */
	};

	return p->ops->submit(p->state, &req);
}

/*
 * cti_provider_ops.call_orphaned, which came after the first published
 * table: only a table whose size reaches it has the field at all.
 */
void provider_call_orphaned(struct ctid *ctx, struct provider *p, uint32_t local,
			    uint32_t call)
{
	const struct cti_provider_ops *o = p->ops;

	if (!p->up || p->in_shutdown ||
	    o->size < offsetof(struct cti_provider_ops, call_orphaned) +
		      sizeof(o->call_orphaned) || !o->call_orphaned)
		return;
	log_debug(&ctx->log, "%s: call %u of line %u (local) has no owner left",
		  p->name, call, local);
	o->call_orphaned(p->state, local, call);
}

/*
 * A provider that does not load at start fails the start (said above),
 * unless its section says "optional = yes": then ctid serves without it
 * and an admin can load it later.
 */
int providers_start(struct ctid *ctx)
{
	int failed = 0;

	for (size_t i = 0; i < ctx->cfg->nproviders; i++) {
		if (!provider_load(ctx, (int)i))
			continue;
		if (ctx->cfg->providers[i].optional)
			log_warn(&ctx->log, "provider %s is optional: starting without it",
				 ctx->cfg->providers[i].name);
		else
			failed++;
	}
	return failed;
}

void providers_stop(struct ctid *ctx)
{
	while (ctx->providers)
		provider_unload(ctx, ctx->providers, -ESHUTDOWN);
}

/* --check-config: load each module, check its ABI and its keys. */
int ctid_check_providers(struct ctid *ctx, struct config *cfg, const struct ctid_options *o)
{
	int bad = 0;

	ctx->check_mode = true;
	ctx->cfg = cfg;
	ctx->blobs.log = &ctx->log;
	ctx->requests.log = &ctx->log;
	ctx->requests.ctx = ctx;
	for (size_t i = 0; i < cfg->nproviders; i++) {
		const struct cfg_provider *cp = &cfg->providers[i];
		struct provider p = { 0 };
		struct cti_provider_config pcfg;
		struct cti_provider_kv *kv;

		p.host.p = &p;
		p.ctx = ctx;
		snprintf(p.name, sizeof(p.name), "%s", cp->name);
		if (open_module(ctx, cfg, (int)i, o->exe_dir, &p)) {
			bad++;
			continue;
		}
		kv = make_kv(cp);
		pcfg.name = cp->name;
		pcfg.file = cfg->file;
		pcfg.count = cp->nparams;
		pcfg.kv = kv;
		if (kv && p.ops->check_config &&
		    p.ops->check_config(host_api_table(), &p.host, &pcfg)) {
			fprintf(stderr, "%s:%d: provider %s: configuration refused\n",
				cfg->file, cp->lineno, cp->name);
			bad++;
		}
		free(kv);
		dlclose(p.dl);
	}
	ctx->check_mode = false;
	return bad ? -EINVAL : 0;
}
