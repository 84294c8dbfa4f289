// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * api.c - the console's JSON requests and /metrics
 *
 *   POST /api/login   {"user", "password"}  -> cookie ctiweb, {"user","admin"}
 *   POST /api/logout
 *   GET  /api/board   the whole state the page draws (api_state())
 *   POST /api/action  {"action", ...its arguments} -> {"message"}
 *   GET  /metrics     Prometheus text; HTTP Basic with a ctid admin's login
 *
 * Every refusal carries ctid's reason in words: the page shows it as is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

/* A JSON object body, or NULL (the reply is then sent: *ret). */
static struct json_object *parse(struct MHD_Connection *conn, const char *body,
				 enum MHD_Result *ret)
{
	struct json_object *o = json_tokener_parse(body);

	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		*ret = http_error(conn, MHD_HTTP_BAD_REQUEST, "the body is not a JSON object");
		return NULL;
	}
	return o;
}

static const char *str_arg(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

enum MHD_Result api_login(struct MHD_Connection *conn, const char *body)
{
	char msg[WEB_MSG_MAX], peer[64], cookie[WEB_TOKEN_HEX + 96];
	struct json_object *o, *out;
	const char *user, *password;
	struct MHD_Response *r;
	struct websess *ws;
	enum MHD_Result ret;
	int err;

	o = parse(conn, body, &ret);
	if (!o)
		return ret;
	user = str_arg(o, "user");
	password = str_arg(o, "password");
	if (!user || !password) {
		json_object_put(o);
		return http_error(conn, MHD_HTTP_BAD_REQUEST, "send \"user\" and \"password\"");
	}
	http_peer(conn, peer, sizeof(peer));
	if (!limit_may_try(peer)) {
		json_object_put(o);
		return http_error(conn, MHD_HTTP_TOO_MANY_REQUESTS,
				  "too many failed logins from this address: wait a minute");
	}
	err = websess_login(user, password, peer, &ws, msg, sizeof(msg));
	json_object_put(o);	/* the password goes with it */
	if (err == -EACCES)
		limit_failed(peer);
	if (err)
		return http_error(conn, err == -EACCES ? MHD_HTTP_UNAUTHORIZED :
				  http_status_of(err), msg);
	out = json_object_new_object();
	json_object_object_add(out, "user", json_object_new_string(ws->user));
	json_object_object_add(out, "admin", json_object_new_boolean(ws->admin));
	snprintf(cookie, sizeof(cookie), "ctiweb=%s; Path=/; Secure; HttpOnly; SameSite=Strict",
		 ws->token);
	websess_put(ws);
	{
		const char *s = json_object_to_json_string(out);

		r = MHD_create_response_from_buffer(strlen(s), (void *)s, MHD_RESPMEM_MUST_COPY);
	}
	json_object_put(out);
	if (r)
		MHD_add_response_header(r, "Set-Cookie", cookie);
	return http_send(conn, MHD_HTTP_OK, r, "application/json");
}

enum MHD_Result api_logout(struct MHD_Connection *conn)
{
	struct websess *ws = http_session(conn);

	if (ws) {
		websess_logout(ws);
		websess_put(ws);
	}
	return http_json(conn, MHD_HTTP_OK, json_object_new_object());
}

struct json_object *api_state(struct websess *ws)
{
	struct json_object *sessions = ws->admin ? websess_list_json() : NULL;
	struct json_object *o;

	pthread_mutex_lock(&ws->lock);
	o = ws->cs ? board_json(&ws->board, ws->cs) : json_object_new_object();
	pthread_mutex_unlock(&ws->lock);
	json_object_object_add(o, "user", json_object_new_string(ws->user));
	json_object_object_add(o, "admin", json_object_new_boolean(ws->admin));
	json_object_object_add(o, "alive", json_object_new_boolean(!ws->dead));
	json_object_object_add(o, "actions", action_list_json());
	if (sessions)
		json_object_object_add(o, "web_sessions", sessions);
	return o;
}

enum MHD_Result api_board(struct MHD_Connection *conn)
{
	struct websess *ws = http_session(conn);
	struct json_object *o;

	if (!ws)
		return http_error(conn, MHD_HTTP_UNAUTHORIZED, "log in first");
	o = api_state(ws);
	websess_put(ws);
	return http_json(conn, MHD_HTTP_OK, o);
}

enum MHD_Result api_action(struct MHD_Connection *conn, const char *body)
{
	struct websess *ws = http_session(conn);
	struct json_object *o, *out;
	char msg[WEB_MSG_MAX] = "";
	const char *name;
	enum MHD_Result ret;
	int err;

	if (!ws)
		return http_error(conn, MHD_HTTP_UNAUTHORIZED, "log in first");
	o = parse(conn, body, &ret);
	if (!o) {
		websess_put(ws);
		return ret;
	}
	name = str_arg(o, "action");
	err = name ? action_run(ws, name, o, msg, sizeof(msg)) : -EINVAL;
	if (!name)
		snprintf(msg, sizeof(msg), "send \"action\"");
	json_object_put(o);
	websess_put(ws);
	if (err)
		return http_error(conn, http_status_of(err), msg);
	out = json_object_new_object();
	json_object_object_add(out, "message", json_object_new_string(msg));
	return http_json(conn, MHD_HTTP_OK, out);
}

static enum MHD_Result ask_auth(struct MHD_Connection *conn, const char *why)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(why), (void *)why,
								  MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	http_headers(r, "text/plain; charset=utf-8");
	/* the 401 with WWW-Authenticate: Basic realm="ctid" */
	ret = MHD_queue_basic_auth_fail_response(conn, "ctid", r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result api_metrics(struct MHD_Connection *conn)
{
	char msg[WEB_MSG_MAX] = "", *password = NULL, *user, *text = NULL, peer[64];
	struct MHD_Response *r;
	int err;

	http_peer(conn, peer, sizeof(peer));
	if (!limit_may_try(peer))
		return http_error(conn, MHD_HTTP_TOO_MANY_REQUESTS,
				  "too many failed logins from this address: wait a minute");
	user = MHD_basic_auth_get_username_password(conn, &password);
	if (!user || !password) {
		MHD_free(user);
		MHD_free(password);
		return ask_auth(conn, "log in with a ctid administrator's name and password\n");
	}
	err = metrics_render(user, password, &text, msg, sizeof(msg));
	explicit_bzero(password, strlen(password));
	MHD_free(user);
	MHD_free(password);
	if (err == -EACCES && strstr(msg, "password")) {
		limit_failed(peer);
		return ask_auth(conn, "wrong user name or password\n");
	}
	if (err)
		return http_error(conn, http_status_of(err), msg);
	r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!r)
		free(text);
	return http_send(conn, MHD_HTTP_OK, r, "text/plain; version=0.0.4; charset=utf-8");
}
