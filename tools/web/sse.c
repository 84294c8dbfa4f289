// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sse.c - GET /api/events: the board, each time it changes, as
 * Server-Sent Events ("event: board", "data: <the JSON of /api/board>").
 *
 * The connection's own thread (http.c) waits on the login's condition
 * variable, so a change reaches the page as soon as the reader thread has
 * applied it, with no polling. A comment line every 15 s keeps proxies
 * and the connection timeout from closing a quiet stream; the stream ends
 * when the login does (logout, idle, ctid gone) and the page then asks
 * for the board, which answers 401 and shows the login form.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"

#define KEEPALIVE_S	15

struct sse {
	struct websess *ws;
	uint64_t version;	/* the board version last sent */
	bool started;
	char *out;		/* what is being sent */
	size_t len, off;
};

/* Wait for a change (true) or the keepalive time (false). */
static bool wait_change(struct sse *e, bool *dead)
{
	struct websess *ws = e->ws;
	struct timespec until;
	bool changed;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += KEEPALIVE_S;
	pthread_mutex_lock(&ws->lock);
	while (e->started && !ws->dead && ws->board.version == e->version)
		if (pthread_cond_timedwait(&ws->changed, &ws->lock, &until) == ETIMEDOUT)
			break;
	changed = !e->started || ws->board.version != e->version;
	e->version = ws->board.version;
	*dead = ws->dead;
	pthread_mutex_unlock(&ws->lock);
	e->started = true;
	return changed;
}

/* The next piece to send; false at the end of the stream. */
static bool next(struct sse *e)
{
	struct json_object *o;
	bool dead;

	free(e->out);
	e->out = NULL;
	e->off = 0;
	websess_touch(e->ws);
	if (!wait_change(e, &dead)) {
		e->out = strdup(": keepalive\n\n");
	} else if (dead) {
		return false;
	} else {
		o = api_state(e->ws);
		if (asprintf(&e->out, "event: board\ndata: %s\n\n",
			     json_object_to_json_string_ext(o, HTTP_JSON_FLAGS)) < 0)
			e->out = NULL;
		json_object_put(o);
	}
	if (!e->out)
		return false;
	e->len = strlen(e->out);
	return true;
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse *e = cls;
	size_t n;

	(void)pos;
	if ((!e->out || e->off == e->len) && !next(e))
		return MHD_CONTENT_READER_END_OF_STREAM;
	n = e->len - e->off < max ? e->len - e->off : max;
	memcpy(buf, e->out + e->off, n);
	e->off += n;
	return (ssize_t)n;
}

static void done(void *cls)
{
	struct sse *e = cls;

	websess_put(e->ws);
	free(e->out);
	free(e);
}

enum MHD_Result sse_start(struct MHD_Connection *conn)
{
	struct websess *ws = http_session(conn);
	struct MHD_Response *r;
	struct sse *e;

	if (!ws)
		return http_error(conn, MHD_HTTP_UNAUTHORIZED, "log in first");
	e = calloc(1, sizeof(*e));
	if (!e) {
		websess_put(ws);
		return MHD_NO;
	}
	e->ws = ws;
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, e, done);
	if (!r) {
		done(e);
		return MHD_NO;
	}
	return http_send(conn, MHD_HTTP_OK, r, "text/event-stream");
}
