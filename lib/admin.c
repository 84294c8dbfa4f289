// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * admin.c - live administration: users, groups, line access, passwords
 * and sessions (cti.h, "Live administration"), in the style of the
 * provider requests of session.c: one frame each, answered by items, a
 * note and a REPLY that the program takes like any other.
 *
 * Arguments are checked here only for what the frame cannot carry (too
 * long: -ENAMETOOLONG); the codec refuses the characters ctid would
 * (-EILSEQ), and ctid decides everything else.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "session.h"

/* @src into @dst, or -ENAMETOOLONG: never a silently shortened name. */
static int copy_str(char *dst, size_t n, const char *src)
{
	if (!src)
		return -EINVAL;
	if (strlen(src) >= n)
		return -ENAMETOOLONG;
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

CTI_API int cti_session_list_accounts(struct cti_session *session,
				      uint32_t kind, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LIST_ACCOUNTS };

	f.u.account_list.kind = kind;
	return cti_request_send(session, &f, CTI_LINE_NONE, 0, false, req);
}

static int account_req(struct cti_session *session, uint16_t type,
		       uint32_t kind, const char *name, uint32_t flags,
		       uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = type };
	int ret = copy_str(f.u.account_req.name, sizeof(f.u.account_req.name), name);

	if (ret)
		return ret;
	f.u.account_req.kind = kind;
	f.u.account_req.flags = flags;
	return cti_request_send(session, &f, CTI_LINE_NONE, 0, false, req);
}

CTI_API int cti_session_add_account(struct cti_session *session, uint32_t kind,
				    const char *name, uint32_t flags,
				    uint64_t *req)
{
	return account_req(session, CTI_WIRE_ACCOUNT_ADD, kind, name, flags, req);
}

CTI_API int cti_session_remove_account(struct cti_session *session,
				       uint32_t kind, const char *name,
				       uint64_t *req)
{
	return account_req(session, CTI_WIRE_ACCOUNT_DEL, kind, name, 0, req);
}

static int grant_req(struct cti_session *session, uint16_t type, uint32_t kind,
		     const char *name, enum cti_right right, const char *list,
		     uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = type };
	int ret = copy_str(f.u.grant.name, sizeof(f.u.grant.name), name);

	if (!ret)
		ret = copy_str(f.u.grant.spec, sizeof(f.u.grant.spec), list);
	if (ret)
		return ret;
	f.u.grant.kind = kind;
	f.u.grant.right = (uint32_t)right;
	return cti_request_send(session, &f, CTI_LINE_NONE, 0, false, req);
}

CTI_API int cti_session_grant(struct cti_session *session, uint32_t kind,
			      const char *name, enum cti_right right,
			      const char *list, uint64_t *req)
{
	return grant_req(session, CTI_WIRE_GRANT, kind, name, right, list, req);
}

CTI_API int cti_session_revoke(struct cti_session *session, uint32_t kind,
			       const char *name, enum cti_right right,
			       const char *list, uint64_t *req)
{
	return grant_req(session, CTI_WIRE_REVOKE, kind, name, right, list, req);
}

CTI_API int cti_session_set_password(struct cti_session *session,
				     const char *user, const char *hash,
				     uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_SET_PASSWORD };
	int ret = copy_str(f.u.set_password.user, sizeof(f.u.set_password.user), user);

	if (!ret)
		ret = copy_str(f.u.set_password.hash, sizeof(f.u.set_password.hash), hash);
	if (ret)
		return ret;
	return cti_request_send(session, &f, CTI_LINE_NONE, 0, false, req);
}

CTI_API int cti_session_list_sessions(struct cti_session *session, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LIST_SESSIONS };

	return cti_request_send(session, &f, CTI_LINE_NONE, 0, false, req);
}

CTI_API int cti_session_kick(struct cti_session *session, uint64_t id,
			     uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_KICK };

	f.u.kick.session = id;
	return cti_request_send(session, &f, CTI_LINE_NONE, 0, false, req);
}

/* Copies the first @size bytes of @full into @out, whose size field says. */
static int fill_sized(void *out, const void *full, size_t full_size, size_t min)
{
	uint32_t size;

	memcpy(&size, out, sizeof(size));
	if (size < min)
		return -EINVAL;
	memcpy((char *)out + sizeof(size), (const char *)full + sizeof(size),
	       (size < full_size ? size : full_size) - sizeof(size));
	return 0;
}

CTI_API int cti_msg_get_account(struct cti_msg *msg, struct cti_account *out)
{
	const struct cti_wire_account *w = &CTI_MSG_BODY(msg)->account;
	struct cti_account a = { .size = sizeof(a) };

	if (!out || msg->type != CTI_MSG_ACCOUNT)
		return -EINVAL;
	a.kind = w->kind;
	a.flags = w->flags;
	memcpy(a.name, w->name, sizeof(a.name));
	memcpy(a.lines, w->lines, sizeof(a.lines));
	memcpy(a.monitor, w->monitor, sizeof(a.monitor));
	memcpy(a.pickup, w->pickup, sizeof(a.pickup));
	memcpy(a.members, w->members, sizeof(a.members));
	return fill_sized(out, &a, sizeof(a), offsetof(struct cti_account, lines));
}

CTI_API int cti_msg_get_session_info(struct cti_msg *msg,
				     struct cti_session_info *out)
{
	const struct cti_wire_session_info *w = &CTI_MSG_BODY(msg)->session_info;
	struct cti_session_info si = { .size = sizeof(si) };

	if (!out || msg->type != CTI_MSG_SESSION)
		return -EINVAL;
	si.flags = w->flags;
	si.id = w->session;
	si.since_ns = w->since_ns;
	si.uid = w->uid;
	si.pid = w->pid;
	si.lines_open = w->lines_open;
	memcpy(si.user, w->user, sizeof(si.user));
	memcpy(si.peer, w->peer, sizeof(si.peer));
	memcpy(si.client_name, w->client_name, sizeof(si.client_name));
	return fill_sized(out, &si, sizeof(si), offsetof(struct cti_session_info, user));
}

CTI_API const char *cti_session_get_note(struct cti_session *session, uint64_t req)
{
	if (!session || !req || session->note_req != req)
		return NULL;
	return session->note;
}
