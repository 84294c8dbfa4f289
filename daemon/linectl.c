// SPDX-License-Identifier: GPL-2.0
/*
 * linectl: the requests that act on lines: OPEN_LINE, CLOSE_LINE,
 * COMMAND (handed to the provider as a request whose completion is the
 * REPLY), SET_PRIVILEGE and HANDOFF. Each looks the line up through the
 * user's rights first (authz.c): an invisible line answers ENOENT
 * exactly like a missing one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "config.h"
#include "ctid.h"
#include "linectl.h"
#include "log.h"

/* A visible line or NULL (ENOENT): invisible and missing look the same. */
struct line *linectl_line(struct ctid *ctx, struct session *s, uint32_t id)
{
	struct line *l = line_get(ctx, id);

	if (!l || !authz_may_see(&s->pr, l))
		return NULL;
	return l;
}

/* ---- requests ---- */

/*
 * An OWNER open of @l by @s is refused with EBUSY ("already owned") when
 * it would share the line with an exclusive owner: @s asked for
 * exclusive opens (CTI_WIRE_FEAT_EXCLUSIVE) and another session owns the
 * line, or another session owns it exclusively. A detached session keeps
 * its exclusive open while it may resume.
 */
static int owner_conflict(const struct line *l, const struct session *s)
{
	for (uint32_t i = 0; i < l->nopeners; i++) {
		const struct session *o = l->openers[i].s;

		if (o == s || l->openers[i].priv != CTI_WIRE_PRIV_OWNER)
			continue;
		if ((s->features | o->features) & CTI_WIRE_FEAT_EXCLUSIVE)
			return -EBUSY;
	}
	return 0;
}

int linectl_open_line(struct ctid *ctx, struct session *s, uint32_t id, uint32_t priv)
{
	struct line *l = linectl_line(ctx, s, id);

	if (!l)
		return -ENOENT;
	if (l->removed)
		return -ENODEV;
	if (priv == CTI_WIRE_PRIV_OWNER && !authz_may_own(&s->pr, l))
		return -EACCES;
	if (priv != CTI_WIRE_PRIV_OWNER && priv != CTI_WIRE_PRIV_MONITOR)
		return -EINVAL;
	if (priv == CTI_WIRE_PRIV_OWNER && owner_conflict(l, s))
		return -EBUSY;
	for (uint32_t i = 0; i < l->nopeners; i++)
		if (l->openers[i].s == s) {
			l->openers[i].priv = priv;
			return 0;
		}
	if (l->nopeners == l->capopeners) {
		uint32_t ncap = l->capopeners ? l->capopeners * 2 : 2;
		struct opener *n = realloc(l->openers, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		l->openers = n;
		l->capopeners = ncap;
	}
	if (s->nopen == s->capopen) {
		uint32_t ncap = s->capopen ? s->capopen * 2 : 4;
		uint32_t *n = realloc(s->open, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->open = n;
		s->capopen = ncap;
	}
	l->openers[l->nopeners].s = s;
	l->openers[l->nopeners].priv = priv;
	l->nopeners++;
	s->open[s->nopen++] = id;
	return 0;
}

int linectl_close_line(struct ctid *ctx, struct session *s, uint32_t id)
{
	struct line *l = linectl_line(ctx, s, id);

	if (!l)
		return -ENOENT;
	for (uint32_t i = 0; i < s->nopen; i++)
		if (s->open[i] == id) {
			s->open[i] = s->open[--s->nopen];
			/* also shares again what was handed to @s there */
			line_drop_session(ctx, l, s);
			return 0;
		}
	return -EBADF;
}

/* Commands whose @call (and @call2) name calls the session must own. */
static bool cmd_uses_call(uint16_t cmd)
{
	switch (cmd) {
	case CTI_CMD_MAKE_CALL:
	case CTI_CMD_UNPARK:
	case CTI_CMD_PICKUP:
	case CTI_CMD_SET_FORWARD:
	case CTI_CMD_SET_DND:
	case CTI_CMD_SET_HOOK:
	case CTI_CMD_SET_DISPLAY:
	case CTI_CMD_SET_LAMP:
	case CTI_CMD_SET_RING:
	case CTI_CMD_SEND_LINK_FRAME:
	case CTI_CMD_DEV_SPECIFIC:
		return false;
	default:
		return cmd < CTI_CMD_MAX;
	}
}

static int check_call(struct session *s, struct line *l, uint32_t call)
{
	struct call *c;

	if (call == CTI_CALL_NONE)
		return 0;
	c = line_call(l, call);
	/* A call ctid has not heard of yet (its first record is still on
	 * its way) is left to the provider, which answers ENOENT if it
	 * does not exist; a known call must be owned. */
	if (c && session_call_priv(s, l, c) != CTI_WIRE_PRIV_OWNER)
		return -EPERM;
	return 0;
}

/* A command's completion: the REPLY to the session that sent it. */
static void command_done(struct ctid *ctx, struct request *r, int error, uint32_t call)
{
	struct session *s = r->owner;

	/* what providers cancel at shutdown, clients learn as "stopping" */
	if (ctx->stopping && error == -ECANCELED)
		error = -ESHUTDOWN;
	if (!s)
		return;
	s->inflight_reqs--;
	if (s->conn)
		session_reply(ctx, s->conn, r->client_id, r->req_type, error, r->line,
		      error ? CTI_CALL_NONE : call, r->cmd);
}

/* The operations bit of @cmd on @l: -EOPNOTSUPP if @l does not offer it. */
static int check_supported(const struct line *l, uint16_t cmd)
{
	if (cmd < CTI_CMD_MAX)
		return l->ops & (1ull << cmd) ? 0 : -EOPNOTSUPP;
	if (cmd >= CTI_UCMD_BASE && cmd < CTI_UCMD_BASE + 64)
		return l->uops & (1ull << (cmd - CTI_UCMD_BASE)) ? 0 : -EOPNOTSUPP;
	return -EOPNOTSUPP;
}

int linectl_submit(struct ctid *ctx, struct conn *c, struct session *s,
		   struct line *l, const struct cti_wire_command *cmd, uint64_t id,
		   uint16_t req_type)
{
	struct request *r;
	int ret;

	if (s->inflight_reqs >= ctx->cfg->max_requests)
		return -EAGAIN;
	r = request_new(&ctx->requests, command_done);
	if (!r)
		return -ENOMEM;
	r->client_id = id;
	r->owner = s;
	r->pr = s->pr;
	r->prov = l->prov;
	r->line = l->id;
	r->cmd = cmd->cmd;
	r->req_type = req_type;
	r->started = loop_time_ns(&ctx->loop);
	s->inflight_reqs++;
	l->prov->pending++;
	/* The provider may complete it at once: the REPLY is then queued
	 * by request_complete() before we return. */
	ret = provider_submit(l->prov, r, l, cmd, c->uid);
	if (ret < 0) {
		struct request *still = request_find(&ctx->requests, r->handle);

		if (still)
			request_complete(&ctx->requests, still->handle, ret, 0);
	}
	return 1;	/* replied, or the provider will */
}

int linectl_command(struct ctid *ctx, struct conn *c, struct session *s,
		      const struct cti_wire_command *cmd, uint64_t id)
{
	struct line *l = linectl_line(ctx, s, cmd->line);
	uint32_t priv;
	int ret;

	if (!l)
		return -ENOENT;
	if (ctx->stopping)
		return -ESHUTDOWN;
	if (l->removed || !l->prov || !l->prov->up)
		return -ENODEV;
	priv = session_line_priv(s, l);
	if (priv == CTI_WIRE_PRIV_NONE)
		return -EBADF;
	if (priv != CTI_WIRE_PRIV_OWNER)
		return -EPERM;
	if (!authz_may_own(&s->pr, l))
		return -EACCES;
	ret = check_supported(l, cmd->cmd);
	if (ret)
		return ret;
	if (cmd_uses_call(cmd->cmd)) {
		ret = check_call(s, l, cmd->call);
		if (!ret)
			ret = check_call(s, l, cmd->call2);
		if (ret)
			return ret;
	}
	return linectl_submit(ctx, c, s, l, cmd, id, CTI_WIRE_COMMAND);
}

int linectl_set_privilege(struct ctid *ctx, struct session *s, const struct cti_wire_set_privilege *sp)
{
	struct line *l = linectl_line(ctx, s, sp->line);
	struct call *k;
	uint32_t lp;

	if (!l)
		return -ENOENT;
	if (l->removed)
		return -ENODEV;
	lp = session_line_priv(s, l);
	if (lp == CTI_WIRE_PRIV_NONE)
		return -EBADF;
	k = line_call(l, sp->call);
	if (!k)
		return -ENOENT;
	/* a call handed off is the receiver's until it hands it on */
	if (sp->privilege == CTI_WIRE_PRIV_OWNER &&
	    (lp != CTI_WIRE_PRIV_OWNER || !authz_may_own(&s->pr, l) ||
	     (k->owner_sid && k->owner_sid != s->id)))
		return -EPERM;
	call_set_priv(k, s, sp->privilege);
	session_privilege_event(ctx, s, l->id, k->call, sp->privilege);
	return 0;
}

/*
 * The session a HANDOFF of a call on @l by @s gives ownership to: one
 * that is connected, has @l open as OWNER and whose user may own it now,
 * named @name (empty: any). Client names are chosen by clients, so a name
 * that fits more than one such session is refused (ENOTUNIQ) rather than
 * guessed, and sessions without the right are never candidates.
 */
static int handoff_target(const struct line *l, const struct session *s,
			  const char *name, struct session **out)
{
	struct session *t = NULL;

	for (uint32_t i = 0; i < l->nopeners; i++) {
		struct session *o = l->openers[i].s;

		if (o == s || l->openers[i].priv != CTI_WIRE_PRIV_OWNER ||
		    !o->conn || !authz_may_own(&o->pr, l) ||
		    (name[0] && strcmp(name, o->client_name)))
			continue;
		if (t)
			return -ENOTUNIQ;
		t = o;
	}
	if (!t)
		return -ENOENT;
	*out = t;
	return 0;
}

int linectl_handoff(struct ctid *ctx, struct session *s, const struct cti_wire_handoff *h)
{
	struct line *l = linectl_line(ctx, s, h->line);
	struct session *t = NULL;
	struct call *k;
	int ret;

	if (!l)
		return -ENOENT;
	if (l->removed)
		return -ENODEV;
	if (session_line_priv(s, l) == CTI_WIRE_PRIV_NONE)
		return -EBADF;
	k = line_call(l, h->call);
	if (!k)
		return -ENOENT;
	if (session_call_priv(s, l, k) != CTI_WIRE_PRIV_OWNER)
		return -EPERM;
	ret = handoff_target(l, s, h->target, &t);
	if (ret)
		return ret;
	call_set_priv(k, t, CTI_WIRE_PRIV_OWNER);
	call_set_priv(k, s, CTI_WIRE_PRIV_MONITOR);
	k->owner_sid = t->id;
	session_privilege_event(ctx, t, l->id, k->call, CTI_WIRE_PRIV_OWNER);
	session_privilege_event(ctx, s, l->id, k->call, CTI_WIRE_PRIV_MONITOR);
	return 0;
}
