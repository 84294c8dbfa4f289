// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * actions.c - what the console's buttons do, through the user's own
 * session, so that ctid alone decides whether they may.
 *
 * One table: a name the browser posts, a label for its button, and the
 * function. An action whose ctid request does not exist in this build has
 * no function: the browser shows its button disabled and a POST answers
 * ENOSYS. Wiring one is a function here and its name in the table. With
 * the live administration of libcti (CTI_6, lib/admin.c) they become,
 * under ws->lock and each followed by cti_session_wait_reply():
 *
 *   end_session {"session": id}
 *	cti_session_kick(ws->cs, id, &req)
 *   grant {"user", "line", "privilege": "owner"|"monitor"}
 *	cti_session_grant(ws->cs, CTI_ACCOUNT_USER, user,
 *			  owner ? CTI_RIGHT_OWNER : CTI_RIGHT_MONITOR, line, &req)
 *   revoke: the same with cti_session_revoke()
 *
 * and the sessions panel lists ctid's sessions (cti_session_list_sessions(),
 * one CTI_MSG_SESSION each, board.c) with their ids instead of the
 * console's own logins.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctiweb.h"

#define REPLY_MS 5000

typedef int (*action_fn)(struct websess *ws, struct json_object *args, char *msg,
			 size_t msglen);

/* A u32 argument @key of @args: 0, or -EINVAL with @msg. */
static int arg_u32(struct json_object *args, const char *key, uint32_t *out,
		   char *msg, size_t msglen)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(args, key, &v) ||
	    !json_object_is_type(v, json_type_int)) {
		snprintf(msg, msglen, "\"%s\" must be a number", key);
		return -EINVAL;
	}
	n = json_object_get_int64(v);
	if (n < 0 || n > UINT32_MAX) {
		snprintf(msg, msglen, "\"%s\" is out of range", key);
		return -EINVAL;
	}
	*out = (uint32_t)n;
	return 0;
}

/* Open @l with @priv and wait for ctid's answer. */
static int open_as(struct cti_session *s, struct cti_line *l, enum cti_privilege priv)
{
	uint64_t req;
	int ret = cti_line_open(l, priv, &req);

	return ret ? ret : cti_session_wait_reply(s, req, REPLY_MS, NULL);
}

static int drop(struct cti_session *s, struct cti_line *l, uint32_t call)
{
	uint64_t req;
	int ret = cti_line_drop_call(l, call, &req);

	return ret ? ret : cti_session_wait_reply(s, req, REPLY_MS, NULL);
}

/*
 * Drop: a call is dropped by an owner of its line, so the console's
 * session (a monitor) asks to own the line for the moment. ctid refuses
 * that to a user who may not own it, and that refusal is the answer; the
 * line is watched as a monitor again afterwards either way.
 */
static int drop_locked(struct websess *ws, uint32_t line, uint32_t call, char *msg,
		       size_t msglen)
{
	struct cti_line *l = cti_session_get_line_by_id(ws->cs, line);
	int ret;

	if (!l || !board_find_call(&ws->board, line, call)) {
		snprintf(msg, msglen, "no call %u on line %u", call, line);
		return -ENOENT;
	}
	ret = open_as(ws->cs, l, CTI_PRIV_OWNER);
	if (ret) {
		snprintf(msg, msglen, "ctid refused to let %s own %s: %s", ws->user,
			 cti_line_get_name(l), strerror(-ret));
		return ret;
	}
	ret = drop(ws->cs, l, call);
	if (ret)
		snprintf(msg, msglen, "ctid refused the drop: %s", strerror(-ret));
	else
		snprintf(msg, msglen, "call %u on %s dropped", call, cti_line_get_name(l));
	open_as(ws->cs, l, CTI_PRIV_MONITOR);
	return ret;
}

static int act_drop(struct websess *ws, struct json_object *args, char *msg, size_t msglen)
{
	uint32_t line, call;
	int ret;

	ret = arg_u32(args, "line", &line, msg, msglen);
	if (!ret)
		ret = arg_u32(args, "call", &call, msg, msglen);
	if (ret)
		return ret;
	pthread_mutex_lock(&ws->lock);
	if (ws->dead || !ws->cs) {
		snprintf(msg, msglen, "the connection to ctid is gone: log in again");
		ret = -ENOTCONN;
	} else {
		ret = drop_locked(ws, line, call, msg, msglen);
	}
	pthread_mutex_unlock(&ws->lock);
	return ret;
}

static const struct action {
	const char *name;
	const char *label;
	action_fn fn;		/* NULL: ctid's request is not in this build */
} actions[] = {
	{ "drop", "Drop call", act_drop },
	/* live administration (issue 11): lib/admin.c's requests */
	{ "end_session", "End session", NULL },
	{ "grant", "Grant line", NULL },
	{ "revoke", "Revoke line", NULL },
};

int action_run(struct websess *ws, const char *name, struct json_object *args,
	       char *msg, size_t msglen)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcmp(actions[i].name, name))
			continue;
		if (!actions[i].fn) {
			snprintf(msg, msglen, "%s: this ctid build has no such request yet",
				 actions[i].label);
			return -ENOSYS;
		}
		return actions[i].fn(ws, args, msg, msglen);
	}
	snprintf(msg, msglen, "no action \"%.40s\"", name);
	return -EINVAL;
}

struct json_object *action_list_json(void)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(actions[i].name));
		json_object_object_add(o, "label", json_object_new_string(actions[i].label));
		json_object_object_add(o, "available", json_object_new_boolean(actions[i].fn != NULL));
		json_object_array_add(a, o);
	}
	return a;
}
