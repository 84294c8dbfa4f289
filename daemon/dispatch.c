// SPDX-License-Identifier: GPL-2.0
/*
 * dispatch: a client's frames, one handler per frame type. The frame is
 * decoded (a malformed one is answered with ERROR), HELLO must come first
 * (session.c), then the table says who handles it. A handler returns 0 or
 * a negative errno for a plain REPLY, or ANSWERED when it has queued the
 * answer itself (or will, as a list or a command does).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "admin_accounts.h"
#include "auth.h"
#include "authz.h"
#include "config.h"
#include "ctid.h"
#include "dispatch.h"
#include "linectl.h"
#include "log.h"
#include "phonectl.h"

#define ANSWERED	1

typedef int (*frame_fn)(struct ctid *ctx, struct conn *c, struct session *s,
			const struct cti_wire_frame *f);

static int h_hello(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	(void)s;
	session_error(ctx, c, 0, f->hdr.type, -EINVAL, 0, "HELLO was already sent");
	return ANSWERED;
}

/* The program closed its session (cti_session_close()): end it now. */
static int h_bye(struct ctid *ctx, struct conn *c, struct session *s,
		 const struct cti_wire_frame *f)
{
	(void)s;
	(void)f;
	session_bye(ctx, c);
	return ANSWERED;
}

static int h_ping(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	struct cti_wire_frame p;

	(void)s;
	/* PONG has no body: zero the header only, not the 1 KiB union */
	memset(&p.hdr, 0, sizeof(p.hdr));
	p.hdr.type = CTI_WIRE_PONG;
	p.hdr.id = f->hdr.id;
	conn_queue_frame(ctx, c, &p);
	return ANSWERED;
}

static int h_list_lines(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	(void)c;
	return listing_start(ctx, s, f->hdr.id, f->hdr.type, CTI_WIRE_LINE, true,
			     false, CTI_LINE_NONE) ?: ANSWERED;
}

static int h_list_calls(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	uint32_t line = f->u.list_calls.line;

	(void)c;
	if (line != CTI_LINE_NONE) {
		struct line *l = linectl_line(ctx, s, line);

		if (!l)
			return -ENOENT;
		if (session_line_priv(s, l) == CTI_WIRE_PRIV_NONE)
			return -EBADF;
	}
	return listing_start(ctx, s, f->hdr.id, f->hdr.type, CTI_WIRE_CALL, false,
			     true, line) ?: ANSWERED;
}

static int h_snapshot(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	(void)c;
	return listing_start(ctx, s, f->hdr.id, f->hdr.type, 0, true, true,
			     CTI_LINE_NONE) ?: ANSWERED;
}

static int h_open_line(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	int ret = linectl_open_line(ctx, s, f->u.open_line.line, f->u.open_line.privilege);

	session_reply(ctx, c, f->hdr.id, f->hdr.type, ret, f->u.open_line.line, 0, 0);
	return ANSWERED;
}

static int h_close_line(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	int ret = linectl_close_line(ctx, s, f->u.close_line.line);

	session_reply(ctx, c, f->hdr.id, f->hdr.type, ret, f->u.close_line.line, 0, 0);
	return ANSWERED;
}

static int h_command(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	int ret = linectl_command(ctx, c, s, &f->u.command, f->hdr.id);

	/* > 0: the provider has it; its completion is the REPLY */
	if (ret <= 0)
		session_reply(ctx, c, f->hdr.id, f->hdr.type, ret, f->u.command.line, 0,
			      f->u.command.cmd);
	return ANSWERED;
}

static int h_set_privilege(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	int ret = linectl_set_privilege(ctx, s, &f->u.set_privilege);

	session_reply(ctx, c, f->hdr.id, f->hdr.type, ret, f->u.set_privilege.line, 0, 0);
	return ANSWERED;
}

static int h_handoff(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	int ret = linectl_handoff(ctx, s, &f->u.handoff);

	session_reply(ctx, c, f->hdr.id, f->hdr.type, ret, f->u.handoff.line, 0, 0);
	return ANSWERED;
}

static int h_list_providers(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	if (!authz_is_admin(&s->pr))
		return -EACCES;
	admin_list_providers(ctx, c, f->hdr.id);
	return 0;
}

static int h_provider(struct ctid *ctx, struct conn *c, struct session *s, const struct cti_wire_frame *f)
{
	int ret = admin_provider(ctx, s, f->hdr.type, f->u.provider_req.name);

	/* unloading the provider may have closed this very connection */
	return c->closing ? ANSWERED : ret;
}

/* LOGIN after HELLO: over TLS the user is known; over unix, never needed. */
static int h_login(struct ctid *ctx, struct conn *c, struct session *s,
		   const struct cti_wire_frame *f)
{
	(void)ctx;
	(void)s;
	(void)f;
	return c->tls ? -EALREADY : -EOPNOTSUPP;
}

/* Live administration and the whole configuration read again (as SIGHUP). */
static int h_accounts(struct ctid *ctx, struct conn *c, struct session *s,
		      const struct cti_wire_frame *f)
{
	return admin_accounts_request(ctx, c, s, f);
}

static int h_list_phones(struct ctid *ctx, struct conn *c, struct session *s,
			 const struct cti_wire_frame *f)
{
	(void)c;
	return phonectl_list(ctx, s, f->hdr.id, f->u.phone_req.phone);
}

static int h_open_phone(struct ctid *ctx, struct conn *c, struct session *s,
			const struct cti_wire_frame *f)
{
	int ret = phonectl_open(ctx, s, f->u.open_phone.phone, f->u.open_phone.privilege);

	session_reply(ctx, c, f->hdr.id, f->hdr.type, ret, f->u.open_phone.phone, 0, 0);
	return ANSWERED;
}

static int h_close_phone(struct ctid *ctx, struct conn *c, struct session *s,
			 const struct cti_wire_frame *f)
{
	int ret = phonectl_close(ctx, s, f->u.phone_req.phone);

	session_reply(ctx, c, f->hdr.id, f->hdr.type, ret, f->u.phone_req.phone, 0, 0);
	return ANSWERED;
}

static int h_phone_command(struct ctid *ctx, struct conn *c, struct session *s,
			   const struct cti_wire_frame *f)
{
	int ret = phonectl_command(ctx, c, s, &f->u.phone_command, f->hdr.id);

	if (ret <= 0)
		session_reply(ctx, c, f->hdr.id, f->hdr.type, ret, f->u.phone_command.phone,
			      0, f->u.phone_command.cmd);
	return ANSWERED;
}

/* ctid's figures (stats.c): the STATS frame, then the REPLY. */
static int h_server_stats(struct ctid *ctx, struct conn *c, struct session *s,
			  const struct cti_wire_frame *f)
{
	return stats_answer(ctx, c, s, f->hdr.id);
}

static const frame_fn handlers[CTI_WIRE_TYPE_MAX] = {
	[CTI_WIRE_HELLO] = h_hello,
	[CTI_WIRE_PING] = h_ping,
	[CTI_WIRE_BYE] = h_bye,
	[CTI_WIRE_LIST_LINES] = h_list_lines,
	[CTI_WIRE_LIST_CALLS] = h_list_calls,
	[CTI_WIRE_SNAPSHOT] = h_snapshot,
	[CTI_WIRE_OPEN_LINE] = h_open_line,
	[CTI_WIRE_CLOSE_LINE] = h_close_line,
	[CTI_WIRE_COMMAND] = h_command,
	[CTI_WIRE_SET_PRIVILEGE] = h_set_privilege,
	[CTI_WIRE_HANDOFF] = h_handoff,
	[CTI_WIRE_LIST_PROVIDERS] = h_list_providers,
	[CTI_WIRE_PROVIDER_LOAD] = h_provider,
	[CTI_WIRE_PROVIDER_UNLOAD] = h_provider,
	[CTI_WIRE_PROVIDER_RELOAD] = h_provider,
	[CTI_WIRE_LOGIN] = h_login,
	[CTI_WIRE_SERVER_RELOAD] = h_accounts,
	[CTI_WIRE_LIST_ACCOUNTS] = h_accounts,
	[CTI_WIRE_ACCOUNT_ADD] = h_accounts,
	[CTI_WIRE_ACCOUNT_DEL] = h_accounts,
	[CTI_WIRE_GRANT] = h_accounts,
	[CTI_WIRE_REVOKE] = h_accounts,
	[CTI_WIRE_SET_PASSWORD] = h_accounts,
	[CTI_WIRE_LIST_SESSIONS] = h_accounts,
	[CTI_WIRE_KICK] = h_accounts,
	[CTI_WIRE_LIST_PHONES] = h_list_phones,
	[CTI_WIRE_OPEN_PHONE] = h_open_phone,
	[CTI_WIRE_CLOSE_PHONE] = h_close_phone,
	[CTI_WIRE_PHONE_COMMAND] = h_phone_command,
	[CTI_WIRE_SERVER_STATS] = h_server_stats,
};

/*
 * A TLS connection not yet logged in: LOGIN, and nothing else (HELLO
 * included: a session needs a user). The client is told what to do.
 * (A LOGIN after the login, before HELLO, comes here too: EALREADY.)
 */
static bool dispatch_unauthenticated(struct ctid *ctx, struct conn *c,
				     const struct cti_wire_frame *f)
{
	if (f->hdr.type == CTI_WIRE_LOGIN) {
		auth_login(ctx, c, f);
		return !c->held && !c->fatal;
	}
	session_error(ctx, c, f->hdr.id, f->hdr.type, -EACCES, 0,
		      "log in first: LOGIN, or a client certificate");
	conn_close_after_send(ctx, c, "a frame before login");
	return false;
}

/* A frame the codec refuses: ERROR; too many (or before HELLO): close. */
static bool bad_frame(struct ctid *ctx, struct conn *c, const uint8_t *buf, ssize_t n,
		      const struct cti_wire_diag *diag)
{
	char msg[96];

	snprintf(msg, sizeof(msg), "%s: %s", diag->field ? diag->field : "frame",
		 strerror((int)-n));
	session_error(ctx, c, cti_wire_frame_id(buf), (uint16_t)cti_wire_frame_type(buf),
		      (int)n, diag->offset, msg);
	log_rl(&ctx->log, LOG_LVL_INFO, "uid %u: bad frame: %s", (unsigned int)c->uid, msg);
	if (!c->s || ++c->bad_frames > ctx->cfg->max_bad_frames) {
		c->fatal = true;
		c->paused = true;
		return false;
	}
	return true;
}

bool dispatch_frame(struct ctid *ctx, struct conn *c, const uint8_t *buf, uint32_t len)
{
	struct cti_wire_frame *f = &ctx->rx_frame;	/* large: not on the stack */
	struct cti_wire_diag diag = { 0 };
	frame_fn fn;
	ssize_t n;
	int ret;

	n = cti_wire_decode(buf, len, CTI_WIRE_FROM_CLIENT, f, &diag);
	if (n < 0)
		return bad_frame(ctx, c, buf, n, &diag);
	if (!c->s) {
		if (!c->authed || (c->tls && f->hdr.type == CTI_WIRE_LOGIN))
			return dispatch_unauthenticated(ctx, c, f);
		if (f->hdr.type == CTI_WIRE_LOGIN) {
			/*
			 * Unix: the peer credentials said who it is. A
			 * client that tries LOGIN everywhere learns it is
			 * not needed here and may go on with HELLO.
			 */
			session_reply(ctx, c, f->hdr.id, f->hdr.type, -EOPNOTSUPP,
				      CTI_LINE_NONE, 0, 0);
			return true;
		}
		if (f->hdr.type != CTI_WIRE_HELLO) {
			session_error(ctx, c, f->hdr.id, f->hdr.type, -EINVAL, 0,
				      "HELLO must come first");
			c->fatal = true;
			c->paused = true;
			return false;
		}
		session_hello(ctx, c, f);
		return !c->fatal;
	}
	fn = f->hdr.type < CTI_WIRE_TYPE_MAX ? handlers[f->hdr.type] : NULL;
	if (!fn) {
		session_error(ctx, c, f->hdr.id, f->hdr.type, -ENOMSG, 4,
			      "unexpected frame type");
		return true;
	}
	ctx->stats.requests++;
	ret = fn(ctx, c, c->s, f);
	if (ret != ANSWERED)
		session_reply(ctx, c, f->hdr.id, f->hdr.type, ret, CTI_LINE_NONE, 0, 0);
	return true;
}
