// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sessions.c - the sessions panel: ctid's own sessions (LIST_SESSIONS,
 * an administrator's request), listed again now and then and after each
 * action, so that a session ended or started elsewhere shows up. ctid
 * decides who may see them: a non-admin's listing is refused once and
 * the panel says so instead of asking again.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ctiweb.h"

#define JADD json_object_object_add

static void copy_info(struct board_session *d, const struct cti_session_info *in)
{
	memset(d, 0, sizeof(*d));	/* the padding too: lists are memcmp'd */
	d->id = in->id;
	d->since_ms = in->since_ns / 1000000;
	d->lines_open = in->lines_open;
	d->attached = in->flags & CTI_SESSION_INFO_ATTACHED;
	d->admin = in->flags & CTI_SESSION_INFO_ADMIN;
	snprintf(d->user, sizeof(d->user), "%s", in->user);
	snprintf(d->peer, sizeof(d->peer), "%s", in->peer);
	snprintf(d->client, sizeof(d->client), "%s", in->client_name);
}

bool sessions_apply(struct board_sessions *ss, struct cti_msg *msg)
{
	struct cti_session_info in;
	bool changed;
	size_t n;
	int err;

	if (!ss->req || cti_msg_get_request(msg) != ss->req)
		return false;
	if (cti_msg_get_type(msg) == CTI_MSG_SESSION) {
		/* more than the panel holds: the first ones are shown */
		memset(&in, 0, sizeof(in));
		in.size = sizeof(in);
		if (ss->npending < BOARD_SESSIONS && !cti_msg_get_session_info(msg, &in))
			copy_info(&ss->pending[ss->npending++], &in);
		return false;
	}
	if (cti_msg_get_type(msg) != CTI_MSG_REPLY)
		return false;
	err = cti_msg_get_error(msg);
	n = err ? 0 : ss->npending;
	changed = err != ss->err || n != ss->n ||
		       memcmp(ss->v, ss->pending, n * sizeof(ss->v[0]));

	ss->req = 0;
	ss->err = err;
	ss->n = n;
	memcpy(ss->v, ss->pending, n * sizeof(ss->v[0]));
	ss->npending = 0;
	return changed;	/* the same list again: no need to redraw */
}

void sessions_refresh(struct board_sessions *ss, struct cti_session *s, bool force,
		      uint64_t every_ms)
{
	uint64_t now = web_now_ms();

	if (ss->req || (ss->err < 0 && ss->err != -ECONNRESET && ss->err != -ETIMEDOUT))
		return;		/* one listing at a time; a refusal stands */
	if (!force && now - ss->asked_ms < every_ms)
		return;
	ss->npending = 0;
	ss->asked_ms = now;
	if (cti_session_list_sessions(s, &ss->req))
		ss->req = 0;	/* queue full: the next tick asks again */
}

void sessions_json(const struct board_sessions *ss, struct json_object *o)
{
	struct json_object *a;

	if (ss->err < 0) {
		JADD(o, "sessions_error", json_object_new_string(ss->err == -EACCES ?
			"ctid shows its sessions to administrators only (Permission denied)" :
			strerror(-ss->err)));
		return;
	}
	a = json_object_new_array();
	for (size_t i = 0; i < ss->n; i++) {
		const struct board_session *v = &ss->v[i];
		struct json_object *e = json_object_new_object();

		char id[17];

		/* 64 random bits: as text, which JavaScript's numbers cannot hold */
		snprintf(id, sizeof(id), "%016" PRIx64, v->id);
		JADD(e, "id", json_object_new_string(id));
		JADD(e, "user", json_object_new_string(v->user));
		JADD(e, "admin", json_object_new_boolean(v->admin));
		JADD(e, "peer", json_object_new_string(v->peer));
		JADD(e, "client", json_object_new_string(v->client));
		JADD(e, "lines_open", json_object_new_int64(v->lines_open));
		JADD(e, "since_ms", json_object_new_int64((int64_t)v->since_ms));
		JADD(e, "attached", json_object_new_boolean(v->attached));
		json_object_array_add(a, e);
	}
	JADD(o, "sessions", a);
}
