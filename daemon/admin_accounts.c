// SPDX-License-Identifier: GPL-2.0
/*
 * admin_accounts: live administration (admin_accounts.h).
 *
 * An edit of users and groups is made on copies (the sections in force
 * and the state's overlay), written to the state file, and only then put
 * in force and applied to every session (authz_apply()): a state that
 * cannot be written changes nothing, so what a client was told is what
 * ctid has after a crash. The audit log is checked before and written
 * after, for refusals too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "admin_accounts.h"
#include "admin_sessions.h"
#include "audit.h"
#include "authz.h"
#include "authz_reload.h"
#include "config.h"
#include "ctid.h"
#include "reload.h"
#include "state.h"

#define WHY_MAX	CTI_WIRE_NOTE_MAX

static const char *const right_names[] = {
	[CTI_WIRE_RIGHT_OWNER] = "lines",
	[CTI_WIRE_RIGHT_MONITOR] = "monitor",
	[CTI_WIRE_RIGHT_PICKUP] = "pickup",
	[CTI_WIRE_RIGHT_ADMIN] = "admin",
	[CTI_WIRE_RIGHT_MEMBER] = "members",
};

static const char *kind_name(uint32_t kind)
{
	return kind == CTI_WIRE_ACCT_GROUP ? "group" : "user";
}

/* What the request asks, for the audit log (never the password hash). */
static void describe(const struct cti_wire_frame *f, char *buf, size_t n)
{
	const char *t = cti_wire_type_name(f->hdr.type);

	switch (f->hdr.type) {
	case CTI_WIRE_ACCOUNT_ADD:
	case CTI_WIRE_ACCOUNT_DEL:
		snprintf(buf, n, "%s %s %s%s", t, kind_name(f->u.account_req.kind),
			 f->u.account_req.name,
			 f->u.account_req.flags & CTI_WIRE_ACCT_F_ADMIN ? " admin" : "");
		break;
	case CTI_WIRE_GRANT:
	case CTI_WIRE_REVOKE:
		snprintf(buf, n, "%s %s %s %s \"%s\"", t, kind_name(f->u.grant.kind),
			 f->u.grant.name, right_names[f->u.grant.right], f->u.grant.spec);
		break;
	case CTI_WIRE_SET_PASSWORD:
		snprintf(buf, n, "%s user %s", t, f->u.set_password.user);
		break;
	case CTI_WIRE_KICK:
		snprintf(buf, n, "%s session %016llx", t,
			 (unsigned long long)f->u.kick.session);
		break;
	default:
		snprintf(buf, n, "%s", t);
	}
}

/*
 * @src as the wire's text class takes it: a configuration error quotes
 * the file, whose bytes need not be UTF-8 (and a cut may split a
 * character), so anything but printable ASCII becomes '?'.
 */
static void wire_text(char *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < n && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[i] = '\0';
}

/* The reason of a refusal, before its REPLY, to a client that reads it. */
static void note(struct ctid *ctx, struct conn *c, uint64_t id, int err,
		 const char *why)
{
	struct cti_wire_frame f;

	if (!err || !why[0] || c->closing || !c->s ||
	    !(c->s->features & CTI_WIRE_FEAT_ACCOUNTS))
		return;
	memset(&f, 0, offsetof(struct cti_wire_frame, u) + sizeof(f.u.admin_note));
	f.hdr.type = CTI_WIRE_ADMIN_NOTE;
	f.hdr.id = id;
	f.u.admin_note.error = err;
	wire_text(f.u.admin_note.message, sizeof(f.u.admin_note.message), why);
	conn_queue_frame(ctx, c, &f);
}

static void spec_or_empty(const struct line_spec *spec, char *buf, size_t n)
{
	acct_spec_text(spec, buf, n);
}

static int list_accounts(struct ctid *ctx, struct conn *c, uint64_t id, uint32_t kind)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_ACCOUNT, .hdr.id = id };
	uint32_t count = 0;

	for (size_t i = 0; i < ctx->cfg->nacls; i++) {
		const struct cfg_acl *a = &ctx->cfg->acls[i];
		struct cti_wire_account *w = &f.u.account;

		if (a->is_group != (kind == CTI_WIRE_ACCT_GROUP))
			continue;
		memset(w, 0, sizeof(*w));
		w->kind = kind;
		w->flags = (a->admin ? CTI_WIRE_ACCT_F_ADMIN : 0) |
			   (!a->is_group && users_find(&ctx->auth.users, a->name) ?
			    CTI_WIRE_ACCT_F_PASSWORD : 0);
		snprintf(w->name, sizeof(w->name), "%s", a->name);
		spec_or_empty(a->lines, w->lines, sizeof(w->lines));
		spec_or_empty(a->monitor, w->monitor, sizeof(w->monitor));
		spec_or_empty(a->pickup, w->pickup, sizeof(w->pickup));
		snprintf(w->members, sizeof(w->members), "%s", a->members ? a->members : "");
		conn_queue_frame(ctx, c, &f);
		count++;
	}
	admin_list_end(ctx, c, id, CTI_WIRE_ACCOUNT, count);
	return 0;
}

/* The edit @f asks for, on @set and @ovl (copies): 0 or -errno. */
static int edit(const struct cti_wire_frame *f, struct acct_set *set,
		struct acct_set *ovl, char *why, size_t n)
{
	bool group, del = f->hdr.type == CTI_WIRE_ACCOUNT_DEL;
	const char *name;
	int ret;

	if (f->hdr.type == CTI_WIRE_GRANT || f->hdr.type == CTI_WIRE_REVOKE) {
		group = f->u.grant.kind == CTI_WIRE_ACCT_GROUP;
		name = f->u.grant.name;
		ret = acct_change(set, group, name, f->u.grant.right, f->u.grant.spec,
				  f->hdr.type == CTI_WIRE_GRANT, why, n);
	} else {
		group = f->u.account_req.kind == CTI_WIRE_ACCT_GROUP;
		name = f->u.account_req.name;
		if (del && f->u.account_req.flags) {
			snprintf(why, n, "flags: none for a removal");
			return -EINVAL;
		}
		ret = del ? acct_del(set, group, name, why, n)
			  : acct_add(set, group, name,
				     f->u.account_req.flags & CTI_WIRE_ACCT_F_ADMIN, why, n);
	}
	if (!ret)
		ret = acct_overlay_put(ovl, acct_find(set, group, name), group, name, del);
	return ret;
}

static size_t admins(const struct cfg_acl *v, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += v[i].admin;
	return count;
}

static int change_accounts(struct ctid *ctx, const struct cti_wire_frame *f,
			   char *why, size_t n)
{
	struct acct_set *set = calloc(1, sizeof(*set));
	struct acct_set *ovl = calloc(1, sizeof(*ovl));
	int ret = -ENOMEM;

	if (!set || !ovl || acct_set_copy(set, ctx->cfg->acls, ctx->cfg->nacls) ||
	    acct_set_copy(ovl, ctx->acct_ovl->v, ctx->acct_ovl->n))
		goto out;
	ret = edit(f, set, ovl, why, n);
	/* nobody could administer ctid any more but by editing its files */
	if (!ret && !admins(set->v, set->n) && admins(ctx->cfg->acls, ctx->cfg->nacls)) {
		snprintf(why, n, "that would leave no administrator");
		ret = -EBUSY;
	}
	if (!ret)
		ret = state_save(ctx->cfg->state_path, ovl, why, n);
	if (ret)
		goto out;
	/* written: in force now, and the old overlay goes */
	authz_apply(ctx, set);
	acct_set_clear(ctx->acct_ovl);
	*ctx->acct_ovl = *ovl;
	ovl->n = 0;
out:
	if (set)
		acct_set_clear(set);
	if (ovl)
		acct_set_clear(ovl);
	free(set);
	free(ovl);
	return ret;
}

static int set_password(struct ctid *ctx, const struct cti_wire_set_password *p,
			char *why, size_t n)
{
	const char *path = ctx->cfg->tls.users;
	struct users_db copy = { 0 };
	int ret;

	if (!path || !ctx->auth.started) {
		snprintf(why, n, "no TLS listener with a users_file: passwords are not used");
		return -EOPNOTSUPP;
	}
	if (users_check_hash(p->hash, strlen(p->hash))) {
		snprintf(why, n, "want a crypt(5) hash (\"$y$...\") or \"*\"");
		return -EINVAL;
	}
	copy.v = malloc((ctx->auth.users.n + 1) * sizeof(*copy.v));
	if (!copy.v)
		return -ENOMEM;
	memcpy(copy.v, ctx->auth.users.v, ctx->auth.users.n * sizeof(*copy.v));
	copy.n = ctx->auth.users.n;
	ret = users_set_hash(&copy, p->user, p->hash);
	if (!ret)
		ret = users_save(&copy, path, why, n);
	if (ret) {
		users_free(&copy);
		return ret;
	}
	users_free(&ctx->auth.users);
	ctx->auth.users = copy;
	return 0;
}

static int do_request(struct ctid *ctx, struct conn *c, struct session *s,
		      const struct cti_wire_frame *f, char *why, size_t n)
{
	switch (f->hdr.type) {
	case CTI_WIRE_ACCOUNT_ADD:
	case CTI_WIRE_ACCOUNT_DEL:
	case CTI_WIRE_GRANT:
	case CTI_WIRE_REVOKE:
		return change_accounts(ctx, f, why, n);
	case CTI_WIRE_SET_PASSWORD:
		return set_password(ctx, &f->u.set_password, why, n);
	case CTI_WIRE_KICK:
		return admin_kick(ctx, s, f->u.kick.session, why, n);
	case CTI_WIRE_SERVER_RELOAD:
		return server_reload(ctx, why, n);
	}
	(void)c;
	return -ENOMSG;
}

int admin_accounts_request(struct ctid *ctx, struct conn *c, struct session *s,
			   const struct cti_wire_frame *f)
{
	char what[256], why[WHY_MAX] = "";
	bool list = f->hdr.type == CTI_WIRE_LIST_ACCOUNTS ||
		    f->hdr.type == CTI_WIRE_LIST_SESSIONS;
	int ret;

	describe(f, what, sizeof(what));
	if (!authz_is_admin(&s->pr)) {
		snprintf(why, sizeof(why), "administrators only");
		/* a refused look is not worth a line; a refused change is */
		if (!list)
			audit_write(ctx, c, what, -EACCES, why);
		note(ctx, c, f->hdr.id, -EACCES, why);
		return -EACCES;
	}
	if (f->hdr.type == CTI_WIRE_LIST_ACCOUNTS)
		return list_accounts(ctx, c, f->hdr.id, f->u.account_list.kind);
	if (f->hdr.type == CTI_WIRE_LIST_SESSIONS)
		return admin_list_sessions(ctx, c, f->hdr.id);
	/*
	 * A change that could not be audited is not made. A reload changes
	 * nothing a client chose (it reads ctid's own file, as SIGHUP does),
	 * so an audit log that cannot be written is only logged for it.
	 */
	ret = f->hdr.type == CTI_WIRE_SERVER_RELOAD ? 0 : audit_check(ctx, why, sizeof(why));
	if (!ret) {
		ret = do_request(ctx, c, s, f, why, sizeof(why));
		audit_write(ctx, c, what, ret, why);
	}
	note(ctx, c, f->hdr.id, ret, why);
	return ret;
}
