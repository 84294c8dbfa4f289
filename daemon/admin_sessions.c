// SPDX-License-Identifier: GPL-2.0
/*
 * admin_sessions: who is connected (LIST_SESSIONS) and ending a session
 * (KICK). At most max_clients + max_detached items: bounded by the
 * configuration, as a provider list is.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "admin_sessions.h"
#include "ctid.h"
#include "log.h"

static void fill(const struct session *s, struct cti_wire_session_info *w)
{
	const struct conn *c = s->conn;

	memset(w, 0, sizeof(*w));
	w->session = s->id;
	w->since_ns = s->created_ns;
	w->uid = (uint32_t)s->pr.uid;
	w->lines_open = s->nopen;
	w->flags = (c ? CTI_WIRE_SESS_F_ATTACHED : 0) |
		   (c && c->tls ? CTI_WIRE_SESS_F_TLS : 0) |
		   (s->pr.admin ? CTI_WIRE_SESS_F_ADMIN : 0);
	snprintf(w->user, sizeof(w->user), "%s", s->pr.name);
	snprintf(w->client_name, sizeof(w->client_name), "%s", s->client_name);
	if (c && c->tls) {
		snprintf(w->peer, sizeof(w->peer), "%s", c->peer);
	} else if (c) {
		w->pid = (uint32_t)c->pid;
		snprintf(w->peer, sizeof(w->peer), "pid %d", (int)c->pid);
	}
}

void admin_list_end(struct ctid *ctx, struct conn *c, uint64_t id,
		    uint16_t item_type, uint32_t count)
{
	struct cti_wire_frame f;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_END;
	f.hdr.id = id;
	f.u.end.item_type = item_type;
	f.u.end.count = count;
	conn_queue_frame(ctx, c, &f);
}

int admin_list_sessions(struct ctid *ctx, struct conn *c, uint64_t id)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_SESSION_INFO, .hdr.id = id };
	uint32_t count = 0;

	for (const struct session *s = ctx->sessions; s; s = s->next) {
		fill(s, &f.u.session_info);
		conn_queue_frame(ctx, c, &f);
		count++;
	}
	admin_list_end(ctx, c, id, CTI_WIRE_SESSION_INFO, count);
	return 0;
}

int admin_kick(struct ctid *ctx, struct session *self, uint64_t id,
	       char *why, size_t n)
{
	struct session *s;

	for (s = ctx->sessions; s && s->id != id; s = s->next)
		;
	if (!s) {
		snprintf(why, n, "no session %016llx", (unsigned long long)id);
		return -ENOENT;
	}
	if (s == self) {
		snprintf(why, n, "that is this session: close it instead");
		return -EINVAL;
	}
	if (!s->conn) {
		session_destroy(ctx, s);
		return 0;
	}
	/* no resume: the session ends with its connection */
	s->features &= ~CTI_WIRE_FEAT_RESUME;
	session_error(ctx, s->conn, 0, 0, -ECONNABORTED, 0,
		      "session ended by an administrator");
	conn_close_after_send(ctx, s->conn, "kicked by an administrator");
	return 0;
}
