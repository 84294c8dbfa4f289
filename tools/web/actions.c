// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * actions.c - what the console's buttons do, through the user's own
 * session, so that ctid alone decides whether they may.
 *
 * One table: a name the browser posts, a label for its button, and the
 * function. An action whose ctid request does not exist in this build has
 * no function: the browser shows its button disabled and a POST answers
 * ENOSYS. Wiring one is a function here and its name in the table.
 *
 *   drop {"line", "call"}: own the line for the moment, drop, watch again
 *   end_session {"session": "hex id"}: cti_session_kick()
 *   grant, revoke {"user", "line": a list, "privilege": "owner"|"monitor"}:
 *	cti_session_grant()/_revoke() of a user's OWNER or MONITOR right
 *
 * The administration requests answer with ctid's errno and, for a
 * refusal, its reason (CTI_MSG_NOTE): both reach the browser. Each is
 * followed by a new listing of the sessions panel (sessions.c).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctiweb.h"

#define REPLY_MS 5000

typedef int (*action_fn)(struct websess *ws, struct json_object *args, char *msg,
			 size_t msglen);

/* Argument @key of @args if it is of type @t, else NULL with @msg. */
static struct json_object *arg_typed(struct json_object *args, const char *key,
				     json_type t, char *msg, size_t msglen)
{
	struct json_object *v;

	if (json_object_object_get_ex(args, key, &v) && json_object_is_type(v, t))
		return v;
	snprintf(msg, msglen, "\"%s\" must be a %s", key,
		 t == json_type_int ? "number" : "string");
	return NULL;
}

/* A u32 argument @key of @args: 0, or -EINVAL with @msg. */
static int arg_u32(struct json_object *args, const char *key, uint32_t *out,
		   char *msg, size_t msglen)
{
	struct json_object *v = arg_typed(args, key, json_type_int, msg, msglen);
	int64_t n;

	if (!v)
		return -EINVAL;
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

/*
 * Take @ws's lock if its ctid session is alive: 0 (locked), or -ENOTCONN
 * (unlocked) with @msg.
 */
static int lock_live(struct websess *ws, char *msg, size_t msglen)
{
	pthread_mutex_lock(&ws->lock);
	if (!ws->dead && ws->cs)
		return 0;
	pthread_mutex_unlock(&ws->lock);
	snprintf(msg, msglen, "the connection to ctid is gone: log in again");
	return -ENOTCONN;
}

static int act_drop(struct websess *ws, struct json_object *args, char *msg, size_t msglen)
{
	uint32_t line, call;
	int ret;

	ret = arg_u32(args, "line", &line, msg, msglen);
	if (!ret)
		ret = arg_u32(args, "call", &call, msg, msglen);
	if (!ret)
		ret = lock_live(ws, msg, msglen);
	if (ret)
		return ret;
	ret = drop_locked(ws, line, call, msg, msglen);
	pthread_mutex_unlock(&ws->lock);
	return ret;
}

/*
 * ctid's answer to administration request @req (sent if @ret is 0), under
 * the lock: @msg is @done, or the refusal with ctid's reason (its NOTE)
 * when it gave one. The sessions panel is listed again either way.
 */
static int admin_answer(struct websess *ws, int ret, uint64_t req, const char *done,
			char *msg, size_t msglen)
{
	const char *note = NULL;

	if (!ret) {
		ret = cti_session_wait_reply(ws->cs, req, REPLY_MS, NULL);
		note = ret ? cti_session_get_note(ws->cs, req) : NULL;
	}
	if (!ret)
		snprintf(msg, msglen, "%s", done);
	else if (note && *note)
		snprintf(msg, msglen, "ctid refused: %s (%s)", strerror(-ret), note);
	else
		snprintf(msg, msglen, "ctid refused: %s", strerror(-ret));
	sessions_refresh(&ws->board.sessions, ws->cs, true, 0);
	return ret;
}

/*
 * A string argument @key of @args, 1 to @max - 1 bytes of printable
 * ASCII (a user name, a line list): 0, or -EINVAL with @msg.
 */
static int arg_str(struct json_object *args, const char *key, size_t max,
		   const char **out, char *msg, size_t msglen)
{
	struct json_object *v = arg_typed(args, key, json_type_string, msg, msglen);
	const char *str;
	size_t n;

	if (!v)
		return -EINVAL;
	str = json_object_get_string(v);
	n = strlen(str);
	if (!n || n >= max || n != (size_t)json_object_get_string_len(v)) {
		snprintf(msg, msglen, "\"%s\" must be 1 to %zu characters", key, max - 1);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if (str[i] < 0x20 || str[i] > 0x7e) {
			snprintf(msg, msglen, "\"%s\" holds a character that cannot be", key);
			return -EINVAL;
		}
	*out = str;
	return 0;
}

/* A session id: its 16 hex digits as ctid lists them (sessions.c). */
static int arg_session(struct json_object *args, uint64_t *id, char *msg, size_t msglen)
{
	const char *str;
	char *end;
	int ret = arg_str(args, "session", 17, &str, msg, msglen);

	if (ret)
		return ret;
	errno = 0;
	*id = strtoull(str, &end, 16);
	if (errno || *end || !isxdigit((unsigned char)*str) || !*id) {
		snprintf(msg, msglen, "\"session\" must be a session id (hex digits)");
		return -EINVAL;
	}
	return 0;
}

static int act_end_session(struct websess *ws, struct json_object *args, char *msg,
			   size_t msglen)
{
	char done[64];
	uint64_t id, req = 0;
	int ret;

	ret = arg_session(args, &id, msg, msglen);
	if (!ret)
		ret = lock_live(ws, msg, msglen);
	if (ret)
		return ret;
	snprintf(done, sizeof(done), "session %016" PRIx64 " ended", id);
	/* sent first: @req is only known after (argument order is unspecified) */
	ret = cti_session_kick(ws->cs, id, &req);
	ret = admin_answer(ws, ret, req, done, msg, msglen);
	pthread_mutex_unlock(&ws->lock);
	return ret;
}

/* grant and revoke: {"user", "line" (a list: "3", "1-4, sim/2"), "privilege"} */
static int access_change(struct websess *ws, struct json_object *args, bool grant,
			 char *msg, size_t msglen)
{
	const char *user, *list, *priv;
	enum cti_right right;
	char done[WEB_MSG_MAX];
	uint64_t req = 0;
	int ret;

	ret = arg_str(args, "user", WEB_USER_MAX, &user, msg, msglen);
	if (!ret)
		ret = arg_str(args, "line", 128, &list, msg, msglen);
	if (!ret)
		ret = arg_str(args, "privilege", 16, &priv, msg, msglen);
	if (ret)
		return ret;
	if (strcmp(priv, "owner") && strcmp(priv, "monitor")) {
		snprintf(msg, msglen, "\"privilege\" must be \"owner\" or \"monitor\"");
		return -EINVAL;
	}
	right = strcmp(priv, "owner") ? CTI_RIGHT_MONITOR : CTI_RIGHT_OWNER;
	ret = lock_live(ws, msg, msglen);
	if (ret)
		return ret;
	snprintf(done, sizeof(done), "%s: %s %s line %.60s", user, grant ? "may now" : "may no longer",
		 right == CTI_RIGHT_OWNER ? "own" : "monitor", list);
	ret = grant ? cti_session_grant(ws->cs, CTI_ACCOUNT_USER, user, right, list, &req) :
		      cti_session_revoke(ws->cs, CTI_ACCOUNT_USER, user, right, list, &req);
	ret = admin_answer(ws, ret, req, done, msg, msglen);
	pthread_mutex_unlock(&ws->lock);
	return ret;
}

static int act_grant(struct websess *ws, struct json_object *args, char *msg, size_t msglen)
{
	return access_change(ws, args, true, msg, msglen);
}

static int act_revoke(struct websess *ws, struct json_object *args, char *msg, size_t msglen)
{
	return access_change(ws, args, false, msg, msglen);
}

static const struct action {
	const char *name;
	const char *label;
	action_fn fn;		/* NULL: ctid's request is not in this build */
} actions[] = {
	{ "drop", "Drop call", act_drop },
	/* live administration (issue 11, lib/admin.c): ctid decides who may */
	{ "end_session", "End session", act_end_session },
	{ "grant", "Grant line", act_grant },
	{ "revoke", "Revoke line", act_revoke },
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
