// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * websess.c - web logins: each one a libcti session of its own to ctid
 *
 * A browser that logs in gets a random token (its cookie) for a session
 * opened with the user's own credentials, so ctid's access rules decide
 * what the console shows and allows: ctiweb holds no rights of its own.
 * The session opens every line it may watch as MONITOR, asks for a
 * snapshot of their calls and (for an admin) the providers, and a thread
 * per login reads it from then on, feeding the board and waking the
 * browsers' event streams.
 *
 * Lifetime: the table holds one reference, every request that found the
 * session holds one; the last put frees it. Logout, the idle limit and a
 * lost ctid end the libcti session at once; what still holds a reference
 * then sees @dead.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "ctiweb.h"

#define WEB_SESSIONS_MAX 256

static struct {
	pthread_mutex_t lock;
	struct websess *v[WEB_SESSIONS_MAX];
	unsigned int n;
	const struct web_config *cfg;
} tab = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void end_ws(struct websess *ws);

int websess_init(const struct web_config *cfg)
{
	tab.cfg = cfg;
	if (cfg->max_sessions > WEB_SESSIONS_MAX)
		return -EINVAL;
	return 0;
}

/* Equal without telling by its time how much of @a matched. */
static bool token_eq(const char *a, const char *b)
{
	unsigned char d = 0;

	for (size_t i = 0; i < WEB_TOKEN_HEX; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

static int new_token(char *out)
{
	unsigned char r[WEB_TOKEN_HEX / 2];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -EIO;
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
	return 0;
}

/* How often the sessions panel asks ctid again (and after each action). */
#define SESSIONS_EVERY_MS 2000

/* Take every message queued; caller holds ws->lock. */
static bool drain(struct websess *ws)
{
	struct cti_msg *msg;
	bool changed = false;

	while (cti_session_next_msg(ws->cs, &msg) > 0) {
		if (cti_msg_get_type(msg) == CTI_MSG_DISCONNECTED) {
			ws->dead = true;
			changed = true;
		}
		changed |= board_apply(&ws->board, ws->cs, msg);
		cti_msg_free(msg);
	}
	return changed;
}

static void *reader(void *arg)
{
	struct websess *ws = arg;
	struct pollfd p[2] = {
		{ .fd = cti_session_get_fd(ws->cs), .events = POLLIN },
		{ .fd = ws->stop_pipe[0], .events = POLLIN },
	};

	for (;;) {
		bool changed;

		if (poll(p, 2, 1000) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		pthread_mutex_lock(&ws->lock);
		changed = drain(ws);
		if (!ws->dead)
			sessions_refresh(&ws->board.sessions, ws->cs, false, SESSIONS_EVERY_MS);
		pthread_mutex_unlock(&ws->lock);
		if (changed)
			pthread_cond_broadcast(&ws->changed);
		if (ws->dead)
			break;
	}
	return NULL;
}

/* Watch every line the user may: MONITOR opens, a snapshot, providers. */
static int watch(struct websess *ws)
{
	struct cti_session *s = ws->cs;
	uint64_t req;
	int ret = 0;

	for (size_t i = 0; i < cti_session_get_num_lines(s) && !ret; i++) {
		struct cti_line *l = cti_session_get_line(s, i);

		if (cti_line_may_open(l, CTI_PRIV_MONITOR))
			ret = cti_line_open(l, CTI_PRIV_MONITOR, NULL);
	}
	if (!ret)
		ret = cti_session_snapshot(s, &req);
	if (!ret)
		ret = cti_session_wait_reply(s, req, 10000, NULL);
	if (!ret && ws->admin)
		ret = cti_session_list_providers(s, &ws->board.providers_req);
	if (!ret)
		sessions_refresh(&ws->board.sessions, s, true, 0);
	if (!ret)
		drain(ws);
	return ret;
}

static void free_ws(struct websess *ws)
{
	if (ws->cs)
		cti_session_close(ws->cs);
	close(ws->stop_pipe[0]);
	close(ws->stop_pipe[1]);
	pthread_mutex_destroy(&ws->lock);
	pthread_cond_destroy(&ws->changed);
	free(ws);
}

static struct websess *new_ws(const char *user, const char *peer, struct cti_session *cs)
{
	struct websess *ws = calloc(1, sizeof(*ws));

	if (!ws)
		return NULL;
	if (pipe2(ws->stop_pipe, O_CLOEXEC)) {
		free(ws);
		return NULL;
	}
	pthread_mutex_init(&ws->lock, NULL);
	pthread_cond_init(&ws->changed, NULL);
	snprintf(ws->user, sizeof(ws->user), "%s", user);
	snprintf(ws->peer, sizeof(ws->peer), "%s", peer);
	ws->since_ms = ws->used_ms = web_now_ms();
	ws->cs = cs;
	ws->admin = cti_session_is_admin(cs);
	ws->board.sessions.err = 1;	/* not answered yet */
	ws->refs = 2;		/* the table's and the caller's */
	return ws;
}

static int start(struct websess *ws, char *msg, size_t msglen)
{
	int ret = new_token(ws->token);

	if (!ret)
		ret = watch(ws);
	if (ret) {
		snprintf(msg, msglen, "ctid: %s", strerror(-ret));
		return ret;
	}
	ret = -pthread_create(&ws->thread, NULL, reader, ws);
	if (ret)
		snprintf(msg, msglen, "no thread: %s", strerror(-ret));
	return ret;
}

int websess_login(const char *user, const char *password, const char *peer,
		  struct websess **out, char *msg, size_t msglen)
{
	struct cti_session *cs;
	struct websess *ws;
	int ret;

	if (websess_count() >= tab.cfg->max_sessions) {
		snprintf(msg, msglen, "too many console logins (%u)", tab.cfg->max_sessions);
		return -EUSERS;
	}
	ret = ctid_open(user, password, &cs, msg, msglen);
	if (ret)
		return ret;
	ws = new_ws(user, peer, cs);
	if (!ws) {
		cti_session_close(cs);
		snprintf(msg, msglen, "out of memory");
		return -ENOMEM;
	}
	ret = start(ws, msg, msglen);
	if (ret) {
		free_ws(ws);
		return ret;
	}
	pthread_mutex_lock(&tab.lock);
	if (tab.n < tab.cfg->max_sessions) {
		tab.v[tab.n++] = ws;
		*out = ws;
		ws = NULL;
	}
	pthread_mutex_unlock(&tab.lock);
	if (ws) {	/* others logged in meanwhile: never in the table */
		end_ws(ws);		/* the table's reference */
		websess_put(ws);	/* ours */
		snprintf(msg, msglen, "too many console logins (%u)", tab.cfg->max_sessions);
		return -EUSERS;
	}
	return 0;
}

struct websess *websess_get(const char *token)
{
	struct websess *ws = NULL;

	if (!token || strlen(token) != WEB_TOKEN_HEX)
		return NULL;
	pthread_mutex_lock(&tab.lock);
	for (unsigned int i = 0; i < tab.n; i++)
		if (token_eq(tab.v[i]->token, token)) {
			ws = tab.v[i];
			ws->refs++;
			ws->used_ms = web_now_ms();
			break;
		}
	pthread_mutex_unlock(&tab.lock);
	return ws;
}

void websess_touch(struct websess *ws)
{
	pthread_mutex_lock(&tab.lock);
	ws->used_ms = web_now_ms();
	pthread_mutex_unlock(&tab.lock);
}

void websess_put(struct websess *ws)
{
	bool last;

	pthread_mutex_lock(&tab.lock);
	last = --ws->refs == 0;
	pthread_mutex_unlock(&tab.lock);
	if (last)
		free_ws(ws);
}

/* Out of the table (if there); true if it was. Caller holds tab.lock. */
static bool unlink_ws(struct websess *ws)
{
	for (unsigned int i = 0; i < tab.n; i++)
		if (tab.v[i] == ws) {
			tab.v[i] = tab.v[--tab.n];
			return true;
		}
	return false;
}

/* Stop the reader and close the libcti session; drops the table's ref. */
static void end_ws(struct websess *ws)
{
	if (write(ws->stop_pipe[1], "x", 1) < 0) {
		/* the pipe is ours and empty: cannot fail; the poll timeout ends it anyway */
	}
	pthread_join(ws->thread, NULL);
	pthread_mutex_lock(&ws->lock);
	ws->dead = true;
	cti_session_close(ws->cs);
	ws->cs = NULL;
	pthread_mutex_unlock(&ws->lock);
	pthread_cond_broadcast(&ws->changed);
	websess_put(ws);
}

/* Whoever takes it out of the table ends it: once, whoever comes first. */
void websess_logout(struct websess *ws)
{
	bool mine;

	pthread_mutex_lock(&tab.lock);
	mine = unlink_ws(ws);
	pthread_mutex_unlock(&tab.lock);
	if (mine)
		end_ws(ws);
}

/* End the logins that are dead or idle too long (@all: every one). */
static void reap(bool all)
{
	struct websess *gone[WEB_SESSIONS_MAX];
	uint64_t now = web_now_ms();
	unsigned int n = 0;

	pthread_mutex_lock(&tab.lock);
	for (unsigned int i = 0; i < tab.n;) {
		struct websess *ws = tab.v[i];

		if (all || ws->dead ||
		    now - ws->used_ms > (uint64_t)tab.cfg->idle_s * 1000u) {
			gone[n++] = ws;
			tab.v[i] = tab.v[--tab.n];
		} else {
			i++;
		}
	}
	pthread_mutex_unlock(&tab.lock);
	for (unsigned int i = 0; i < n; i++)
		end_ws(gone[i]);
}

void websess_reap(void)
{
	reap(false);
}

void websess_shutdown(void)
{
	reap(true);
}

unsigned int websess_count(void)
{
	unsigned int n;

	pthread_mutex_lock(&tab.lock);
	n = tab.n;
	pthread_mutex_unlock(&tab.lock);
	return n;
}

struct json_object *websess_list_json(void)
{
	struct json_object *a = json_object_new_array();

	pthread_mutex_lock(&tab.lock);
	for (unsigned int i = 0; i < tab.n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "user", json_object_new_string(tab.v[i]->user));
		json_object_object_add(o, "peer", json_object_new_string(tab.v[i]->peer));
		json_object_object_add(o, "since_ms",
				       json_object_new_int64((int64_t)tab.v[i]->since_ms));
		json_object_object_add(o, "admin", json_object_new_boolean(tab.v[i]->admin));
		json_object_array_add(a, o);
	}
	pthread_mutex_unlock(&tab.lock);
	return a;
}
