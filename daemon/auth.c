// SPDX-License-Identifier: GPL-2.0
/*
 * auth: authenticating TLS clients.
 *
 * One answer for every failed login (-EACCES), whether the user exists
 * or not, and the same work done for both (pwcheck.c hashes a dummy for
 * an unknown name). Failures are counted per user name and per peer
 * address over login_window seconds; past login_failures, LOGIN is
 * answered -EAGAIN without looking at the password, whatever the name,
 * so that the limit says nothing about which names exist either.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "ctid.h"
#include "log.h"

static void logged_in(struct ctid *ctx, struct conn *c, const char *name, const char *how)
{
	uid_t uid;
	int ret = ruid_of(&ctx->ruids, name, &uid);

	if (ret) {
		log_rl(&ctx->log, LOG_LVL_WARN, "TLS %s: user %s: %s", c->peer, name, strerror(-ret));
		session_error(ctx, c, 0, 0, ret, 0, "cannot admit more remote users");
		conn_close_after_send(ctx, c, "no room for the user");
		return;
	}
	conn_authenticated(ctx, c, uid);
	log_info(&ctx->log, "TLS %s: user %s logged in by %s", c->peer, name, how);
}

/* ---- failures ---- */

static struct auth_rl *rl_slot(struct ctid *ctx, const char *key, bool create)
{
	uint64_t now = loop_time_ns(&ctx->loop);
	uint64_t window = (uint64_t)ctx->cfg->tls.login_window * 1000000000ull;
	struct auth_rl *victim = NULL;

	for (unsigned int i = 0; i < AUTH_RL_SLOTS; i++) {
		struct auth_rl *r = &ctx->auth.rl[i];

		if (r->key[0] && now - r->since >= window)
			r->key[0] = '\0';	/* its window is over */
		if (r->key[0] && !strcmp(r->key, key))
			return r;
		if (!victim || !r->key[0] || (victim->key[0] && r->since < victim->since))
			victim = r;
	}
	if (!create)
		return NULL;
	/* full: the oldest window makes room (bounded memory, whatever comes) */
	snprintf(victim->key, sizeof(victim->key), "%s", key);
	victim->since = now;
	victim->failures = 0;
	return victim;
}

static void rl_key(char *buf, size_t n, char kind, const char *v)
{
	snprintf(buf, n, "%c:%s", kind, v);
}

static bool rl_blocked(struct ctid *ctx, const char *user, const char *peer)
{
	char k[56];
	struct auth_rl *r;

	rl_key(k, sizeof(k), 'u', user);
	r = rl_slot(ctx, k, false);
	if (r && r->failures >= ctx->cfg->tls.login_failures)
		return true;
	rl_key(k, sizeof(k), 'a', peer);
	r = rl_slot(ctx, k, false);
	return r && r->failures >= ctx->cfg->tls.login_failures;
}

static void rl_fail(struct ctid *ctx, const char *user, const char *peer)
{
	char k[56];

	rl_key(k, sizeof(k), 'u', user);
	rl_slot(ctx, k, true)->failures++;
	rl_key(k, sizeof(k), 'a', peer);
	rl_slot(ctx, k, true)->failures++;
}

/* ---- certificates ---- */

void auth_tls_established(struct ctid *ctx, struct conn *c)
{
	const struct cfg_tls *t = &ctx->cfg->tls;
	const struct user_ent *u;
	char name[USERS_NAME_MAX];
	uint8_t fp[32];
	int ret = tls_conn_cert_user(c->tls, t->cert_user, name, sizeof(name), fp);

	if (ret == -ENOENT)
		return;		/* no certificate: LOGIN must follow */
	if (!ret && t->cert_user == CFG_CERT_USER_FINGERPRINT) {
		u = users_find_fp(&ctx->auth.users, fp);
		if (u)
			snprintf(name, sizeof(name), "%s", u->name);
		else
			ret = -ENOENT;
	}
	if (ret) {
		log_rl(&ctx->log, LOG_LVL_WARN, "TLS %s: the client certificate names no user (tls_cert_user = %s)",
		       c->peer, t->cert_user == CFG_CERT_USER_CN ? "cn" :
		       t->cert_user == CFG_CERT_USER_SAN ? "san" : "fingerprint");
		session_error(ctx, c, 0, 0, -EACCES, 0,
			      "the client certificate names no user of this server");
		conn_close_after_send(ctx, c, "certificate names no user");
		return;
	}
	logged_in(ctx, c, name, "certificate");
}

/* ---- passwords ---- */

static void login_reply(struct ctid *ctx, struct conn *c, uint64_t req, int err)
{
	session_reply(ctx, c, req, CTI_WIRE_LOGIN, err, CTI_LINE_NONE, 0, 0);
}

void auth_login(struct ctid *ctx, struct conn *c, const struct cti_wire_frame *f)
{
	const struct cti_wire_login *l = &f->u.login;
	const struct user_ent *u;
	struct pwcheck_job *j;

	if (c->authed) {
		login_reply(ctx, c, f->hdr.id, -EALREADY);
		return;
	}
	if (rl_blocked(ctx, l->user, c->peer)) {
		log_rl(&ctx->log, LOG_LVL_WARN, "TLS %s: login as %s refused: too many failures",
		       c->peer, l->user);
		login_reply(ctx, c, f->hdr.id, -EAGAIN);
		return;
	}
	j = calloc(1, sizeof(*j));
	if (!j) {
		login_reply(ctx, c, f->hdr.id, -ENOMEM);
		return;
	}
	j->owner = c;
	j->req = f->hdr.id;
	snprintf(j->user, sizeof(j->user), "%s", l->user);
	memcpy(j->password, l->password, l->password_len);
	/* a NUL inside cannot be what was hashed: it fails like any other */
	if (memchr(l->password, 0, l->password_len) || !l->password_len)
		j->password[0] = '\0';
	u = users_find(&ctx->auth.users, l->user);
	if (u && u->hash[0] == '$' && j->password[0])
		snprintf(j->hash, sizeof(j->hash), "%s", u->hash);
	if (pwcheck_submit(&ctx->auth.pw, j)) {
		free(j);
		login_reply(ctx, c, f->hdr.id, -EAGAIN);
		return;
	}
	c->login = j;
	/* the next frames wait until the answer is out, in order */
	conn_hold_input(ctx, c, true);
}

static void login_done(struct pwcheck *pc, struct pwcheck_job *j)
{
	struct ctid *ctx = (struct ctid *)((char *)pc - offsetof(struct ctid, auth.pw));
	struct conn *c = j->owner;

	if (c) {
		c->login = NULL;
		if (j->ok) {
			logged_in(ctx, c, j->user, "password");
			login_reply(ctx, c, j->req, 0);
		} else {
			rl_fail(ctx, j->user, c->peer);
			ctx->stats.logins_failed++;
			log_rl(&ctx->log, LOG_LVL_INFO, "TLS %s: login as %s failed", c->peer, j->user);
			login_reply(ctx, c, j->req, -EACCES);
		}
		conn_hold_input(ctx, c, false);
	}
	explicit_bzero(j, sizeof(*j));
	free(j);
}

void auth_conn_gone(struct ctid *ctx, struct conn *c)
{
	(void)ctx;
	if (c->login)
		c->login->owner = NULL;	/* the worker never reads it */
	c->login = NULL;
}

/* ---- start, reload, stop ---- */

static int load_users(struct ctid *ctx)
{
	struct users_db db;
	char err[300];
	int ret;

	if (!ctx->cfg->tls.users)
		return 0;
	ret = users_load(ctx->cfg->tls.users, &db, err, sizeof(err));
	if (ret) {
		log_err(&ctx->log, "users_file: %s", err);
		return ret;
	}
	users_free(&ctx->auth.users);
	ctx->auth.users = db;
	return 0;
}

int auth_start(struct ctid *ctx)
{
	int ret;

	if (!cfg_tls_enabled(&ctx->cfg->tls))
		return 0;
	ret = tls_server_load(&ctx->auth.tls, &ctx->cfg->tls, &ctx->log);
	if (!ret)
		ret = load_users(ctx);
	if (!ret)
		ret = pwcheck_start(&ctx->auth.pw, &ctx->loop, login_done);
	if (ret)
		return ret;
	ctx->auth.started = true;
	return 0;
}

int auth_reload(struct ctid *ctx)
{
	int ret, ret2;

	if (!ctx->auth.started)
		return 0;
	ret = tls_server_load(&ctx->auth.tls, &ctx->cfg->tls, &ctx->log);
	ret2 = load_users(ctx);
	if (!ret && !ret2)
		log_info(&ctx->log, "TLS: certificate, key, CA and users reloaded (%zu users)",
			 ctx->auth.users.n);
	return ret ? ret : ret2;
}

void auth_stop(struct ctid *ctx)
{
	pwcheck_stop(&ctx->auth.pw);
	tls_server_exit(&ctx->auth.tls);
	users_free(&ctx->auth.users);
	ruid_free(&ctx->ruids);
	ctx->auth.started = false;
}
