// SPDX-License-Identifier: GPL-2.0
/*
 * reload: the configuration read again (reload.h). Everything that can
 * fail is done first, into temporaries: the parse, the state laid over
 * the new sections, the users file, the TLS context. Only when all of it
 * succeeded is anything swapped in, so a broken file leaves the service
 * exactly as it was, whatever the error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "authz_reload.h"
#include "config.h"
#include "ctid.h"
#include "log.h"
#include "reload.h"
#include "state.h"

struct reload_err {
	struct ctid *ctx;
	char *why;
	size_t n;
};

/* Every error goes to the log; the first is the answer's. */
static void reload_error(void *arg, const char *msg)
{
	struct reload_err *re = arg;

	log_err(&re->ctx->log, "reload: %s", msg);
	if (!re->why[0])
		snprintf(re->why, re->n, "%s", msg);
}

int reload_state_start(struct ctid *ctx, char *why, size_t n)
{
	struct acct_set *base = calloc(1, sizeof(*base));
	int ret;

	ctx->acct_ovl = calloc(1, sizeof(*ctx->acct_ovl));
	if (!base || !ctx->acct_ovl) {
		free(base);
		snprintf(why, n, "out of memory");
		return -ENOMEM;
	}
	ret = state_load(ctx->cfg->state_path, ctx->acct_ovl, why, n);
	if (!ret) {
		memcpy(base->v, ctx->cfg->acls, ctx->cfg->nacls * sizeof(base->v[0]));
		base->n = ctx->cfg->nacls;
		ctx->cfg->nacls = 0;
		ret = acct_overlay(base, ctx->acct_ovl);
		if (ret == -ENOSPC)
			snprintf(why, n, "%s with %s: more than %d users and groups",
				 ctx->cfg->file, ctx->cfg->state_path, CFG_MAX_ACL);
		config_set_acls(ctx->cfg, base->v, base->n);
	}
	if (!ret && ctx->acct_ovl->n)
		log_info(&ctx->log, "state %s: %zu users and groups over the configuration's",
			 ctx->cfg->state_path, ctx->acct_ovl->n);
	free(base);
	return ret;
}

void reload_state_stop(struct ctid *ctx)
{
	if (ctx->acct_ovl)
		acct_set_clear(ctx->acct_ovl);
	free(ctx->acct_ovl);
	ctx->acct_ovl = NULL;
}

/* The users file and TLS context of @t, loaded aside: 0 or -errno. */
static int tls_prepare(struct ctid *ctx, const struct cfg_tls *t,
		       struct tls_server *ts, struct users_db *db, char *why, size_t n)
{
	char err[300];
	int ret;

	memset(db, 0, sizeof(*db));
	if (!ctx->auth.started)
		return 0;
	if (!cfg_tls_enabled(t)) {
		snprintf(why, n, "tls_listen: the TLS listener can only be removed by a restart");
		return -EINVAL;
	}
	ts->bio_meth = ctx->auth.tls.bio_meth;
	ret = tls_server_load(ts, t, &ctx->log);
	if (ret) {
		snprintf(why, n, "TLS: %s", ts->why);
		return ret;
	}
	if (t->users) {
		ret = users_load(t->users, db, err, sizeof(err));
		if (ret) {
			snprintf(why, n, "users_file: %s", err);
			SSL_CTX_free(ts->ssl_ctx);
			ts->ssl_ctx = NULL;
		}
	}
	return ret;
}

/* New TLS material in force; the listeners stay those ctid started with. */
static void tls_commit(struct ctid *ctx, struct config *nc, struct tls_server *ts,
		       struct users_db *db)
{
	struct cfg_tls old = ctx->cfg->tls, nw = nc->tls;

	if (!ctx->auth.started)
		return;
	SSL_CTX_free(ctx->auth.tls.ssl_ctx);
	ctx->auth.tls.ssl_ctx = ts->ssl_ctx;
	users_free(&ctx->auth.users);
	ctx->auth.users = *db;
	ctx->cfg->tls = nw;
	nc->tls = old;
	/* each keeps its own listen strings: the new ones go with @nc */
	memcpy(ctx->cfg->tls.listen, old.listen, sizeof(old.listen));
	memcpy(ctx->cfg->tls.listen_line, old.listen_line, sizeof(old.listen_line));
	ctx->cfg->tls.nlisten = old.nlisten;
	memcpy(nc->tls.listen, nw.listen, sizeof(nw.listen));
	memcpy(nc->tls.listen_line, nw.listen_line, sizeof(nw.listen_line));
	nc->tls.nlisten = nw.nlisten;
	log_info(&ctx->log, "TLS: certificate, key, CA and users reloaded (%zu users)",
		 ctx->auth.users.n);
}

static bool str_differs(const char *a, const char *b)
{
	return (a || b) && (!a || !b || strcmp(a, b));
}

/* What a reload does not change: said, so nobody believes it did. */
static void warn_restart(struct ctid *ctx, const struct config *nc)
{
	const struct config *oc = ctx->cfg;
	bool listen = oc->tls.nlisten != nc->tls.nlisten;
	bool prov = oc->nproviders != nc->nproviders;

	for (size_t i = 0; !listen && i < nc->tls.nlisten; i++)
		listen = strcmp(oc->tls.listen[i], nc->tls.listen[i]) != 0;
	for (size_t i = 0; !prov && i < nc->nproviders; i++)
		prov = strcmp(oc->providers[i].name, nc->providers[i].name) ||
		       strcmp(oc->providers[i].so, nc->providers[i].so) ||
		       oc->providers[i].nparams != nc->providers[i].nparams;
	if (str_differs(oc->socket_path, nc->socket_path) || listen)
		log_warn(&ctx->log, "reload: socket or tls_listen changed: takes effect at restart");
	if (str_differs(oc->state_path, nc->state_path) ||
	    str_differs(oc->audit_path, nc->audit_path))
		log_warn(&ctx->log, "reload: state or audit changed: takes effect at restart");
	if (prov)
		log_warn(&ctx->log, "reload: [provider] sections changed: take effect at restart");
}

static void limits_commit(struct config *oc, const struct config *nc)
{
	oc->queue_limit = nc->queue_limit;
	oc->max_clients = nc->max_clients;
	oc->request_timeout = nc->request_timeout;
	oc->max_requests = nc->max_requests;
	oc->max_bad_frames = nc->max_bad_frames;
	oc->max_detached = nc->max_detached;
	oc->max_detached_per_user = nc->max_detached_per_user;
}

/* The new sections with the state's over them, into @base: 0 or -errno. */
static int acls_prepare(struct ctid *ctx, struct config *nc, struct acct_set *base,
			char *why, size_t n)
{
	int ret;

	memcpy(base->v, nc->acls, nc->nacls * sizeof(base->v[0]));
	base->n = nc->nacls;
	nc->nacls = 0;
	ret = ctx->acct_ovl ? acct_overlay(base, ctx->acct_ovl) : 0;
	if (ret == -ENOSPC)
		snprintf(why, n, "%s with %s: more than %d users and groups",
			 nc->file, ctx->cfg->state_path, CFG_MAX_ACL);
	else if (ret)
		snprintf(why, n, "out of memory");
	return ret;
}

int server_reload(struct ctid *ctx, char *why, size_t n)
{
	const char *path = ctx->opts ? ctx->opts->config_path : NULL;
	struct reload_err re = { ctx, why, n };
	struct tls_server *ts = calloc(1, sizeof(*ts));
	struct acct_set *base = calloc(1, sizeof(*base));
	struct users_db db;
	struct config *nc = NULL;
	int ret;

	why[0] = '\0';
	if (!path) {
		log_warn(&ctx->log, "reload: running on the embedded default; nothing to reload");
		ret = 0;
		goto out;
	}
	ret = -ENOMEM;
	if (!ts || !base)
		goto out;
	nc = config_load_file(path, reload_error, &re);
	ret = nc ? acls_prepare(ctx, nc, base, why, n) : -EINVAL;
	if (!ret)
		ret = tls_prepare(ctx, &nc->tls, ts, &db, why, n);
	if (ret) {
		log_err(&ctx->log, "reload: %s refused, nothing changed: %s", path, why);
		goto out;
	}
	warn_restart(ctx, nc);
	tls_commit(ctx, nc, ts, &db);
	limits_commit(ctx->cfg, nc);
	authz_apply(ctx, base);
	log_info(&ctx->log, "reload: configuration and access rules of %s applied (%zu users and groups)", path,
		 ctx->cfg->nacls);
out:
	if (base)
		acct_set_clear(base);
	config_free(nc);
	free(base);
	free(ts);
	return ret;
}
