// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * client.c - the soak's load: libcti programs as a desktop would write
 * them (lib/cti.h only; reconnecting and resuming are libcti's job).
 *
 * A caller owns one line: it answers what rings, hangs up after a random
 * while, and calls another caller's line when it has nothing up. A
 * monitor opens every line as MONITOR; the slow one dispatches only every
 * few seconds, so that ctid's queue for it fills. The exiter is a separate
 * program that places a call and exits without closing its session.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soak.h"

/* A call is dropped at the latest this long after it was last dropped. */
#define REDROP_MS	3000
/* A caller keeps fewer requests than this in flight. */
#define CLIENT_INFLIGHT	12

static struct call_slot *slot_of(struct client *c, uint32_t call, bool add)
{
	struct call_slot *free_slot = NULL;

	for (size_t i = 0; i < SOAK_CALLS; i++) {
		if (c->calls[i].call == call)
			return &c->calls[i];
		if (!c->calls[i].call && !free_slot)
			free_slot = &c->calls[i];
	}
	if (add && free_slot) {
		memset(free_slot, 0, sizeof(*free_slot));
		free_slot->call = call;
	}
	return add ? free_slot : NULL;
}

static void track_call(struct client *c, struct cti_msg *m)
{
	uint32_t call = cti_msg_get_call(m), state = cti_msg_get_state(m);
	struct call_slot *sl;

	if (!c->line || call == CTI_CALL_NONE ||
	    cti_msg_get_line_id(m) != cti_line_get_id(c->line))
		return;
	sl = slot_of(c, call, state != CTI_CALL_IDLE);
	if (!sl)
		return;
	if (state == CTI_CALL_IDLE)
		sl->call = 0;
	else
		sl->state = state;
}

static void on_msg(struct cti_session *s, struct cti_msg *m, void *ud)
{
	struct client *c = ud;

	(void)s;
	if (!acct_msg(&c->acct, m))
		c->broken = true;
	switch (cti_msg_get_type(m)) {
	case CTI_MSG_REPLY:
		for (size_t i = 0; i < SOAK_LINES; i++)
			if (c->open_req[i] == cti_msg_get_request(m))
				c->open_req[i] = 0;
		break;
	case CTI_MSG_RESYNC:
		/* the snapshot lists the calls that are still there */
		memset(c->calls, 0, sizeof(c->calls));
		break;
	case CTI_MSG_CALL_STATE:
	case CTI_MSG_CALL:
		track_call(c, m);
		break;
	default:
		break;
	}
}

int client_open(struct client *c, const char *uri, const char *name,
		size_t line_index, bool monitor)
{
	struct cti_session_options o = {
		.size = sizeof(o), .client_name = c->name,
	};
	int rc;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	rc = cti_session_open(uri, &o, &c->s);
	if (rc < 0) {
		soak_log("%s: cti_session_open: %s %s", name, strerror(-rc),
			 cti_session_error_detail());
		return rc;
	}
	c->monitor = monitor;
	if (!monitor) {
		c->line = cti_session_get_line(c->s, line_index);
		if (!c->line) {
			soak_log("%s: no line %zu", name, line_index);
			cti_session_close(c->s);
			return -ENOENT;
		}
	}
	acct_init(&c->acct, c->name, c->s);
	cti_session_set_callback(c->s, on_msg, c);
	return 0;
}

static void open_one(struct client *c, size_t i, struct cti_line *l,
		     enum cti_privilege priv)
{
	uint64_t req = 0;

	if (i >= SOAK_LINES || c->open_req[i] || cti_line_is_removed(l) ||
	    cti_line_get_privilege(l) != CTI_PRIV_NONE ||
	    !cti_line_may_open(l, priv))
		return;
	if (acct_sent(&c->acct, cti_line_open(l, priv, &req), &req) == 0)
		c->open_req[i] = req;
}

/* Open what a resync or a provider reload left closed. */
static void keep_open(struct client *c)
{
	if (!cti_session_is_connected(c->s))
		return;
	if (c->line) {
		/* an unplugged card's line: its calls went with it */
		if (cti_line_is_removed(c->line))
			memset(c->calls, 0, sizeof(c->calls));
		open_one(c, 0, c->line, CTI_PRIV_OWNER);
		return;
	}
	for (size_t i = 0; i < cti_session_get_num_lines(c->s); i++)
		open_one(c, i, cti_session_get_line(c->s, i), CTI_PRIV_MONITOR);
}

static void move_call(struct client *c, struct call_slot *sl, bool stopping,
		      int64_t now)
{
	uint64_t req = 0;

	if (sl->state == CTI_CALL_OFFERING && !sl->drop_at_ms) {
		acct_sent(&c->acct, cti_line_answer_call(c->line, sl->call,
							 &req), &req);
		sl->drop_at_ms = now + 200 + rand() % 1500;
		return;
	}
	if (!sl->drop_at_ms)
		sl->drop_at_ms = now + 100 + rand() % 1500;
	if (stopping || now >= sl->drop_at_ms) {
		acct_sent(&c->acct, cti_line_drop_call(c->line, sl->call, &req),
			  &req);
		sl->drop_at_ms = now + REDROP_MS;
	}
}

static void call_someone(struct client *c, struct soak_load *load)
{
	struct cti_line *to;
	const char *number;
	uint64_t req = 0;

	to = cti_session_get_line(c->s, (size_t)rand() % load->n);
	if (!to || to == c->line || !cti_line_get_num_addresses(to))
		return;
	number = cti_line_get_address(to, 0);
	acct_sent(&c->acct, cti_line_make_call(c->line, number, &req), &req);
}

static void caller_move(struct client *c, struct soak_load *load,
			int64_t now)
{
	bool busy = false;
	uint64_t req = 0;

	if (cti_line_get_privilege(c->line) != CTI_PRIV_OWNER)
		return;
	for (size_t i = 0; i < SOAK_CALLS; i++) {
		if (!c->calls[i].call)
			continue;
		busy = true;
		if (acct_pending(&c->acct) < CLIENT_INFLIGHT)
			move_call(c, &c->calls[i], load->stopping, now);
	}
	if (load->stopping || acct_pending(&c->acct) >= CLIENT_INFLIGHT)
		return;
	if (!busy && rand() % 8 == 0)
		call_someone(c, load);
	else if (rand() % 64 == 0)
		acct_sent(&c->acct, cti_line_set_dnd(c->line, 0, &req), &req);
}

bool client_wants_poll(const struct client *c, int64_t now)
{
	return !c->read_every_ms || now >= c->next_read_ms;
}

bool client_service(struct client *c, struct soak_load *load, int64_t now)
{
	int rc;

	if (!client_wants_poll(c, now))
		return true;
	if (c->read_every_ms)
		c->next_read_ms = now + c->read_every_ms;
	rc = cti_session_dispatch(c->s);
	if (rc < 0) {
		soak_log("%s: RULE: cti_session_dispatch: %s", c->name,
			 strerror(-rc));
		c->broken = true;
		return false;
	}
	if (!load->stopping)
		keep_open(c);
	if (c->line)
		caller_move(c, load, now);
	return !c->broken;
}

/*
 * The exit status for failure @rc, said on stderr (the soak's log) so that
 * a broken rule names its errno. 2: an errno a ctid killed mid-way gives;
 * 1: any other.
 */
static int exit_code(const char *what, int rc)
{
	fprintf(stderr, "soak: exiter: %s: %s\n", what, strerror(-rc));
	switch (-rc) {
	case ECONNRESET: case ENOTCONN: case ECONNREFUSED: case ENOENT:
	case ETIMEDOUT: case ENODEV:
		return 2;
	default:
		return 1;
	}
}

int exiter_run(const char *uri, size_t line_index, const char *number)
{
	struct cti_session_options o = {
		.size = sizeof(o), .client_name = "exiter", .timeout_ms = 3000,
	};
	struct cti_session *s;
	struct cti_line *l;
	uint64_t req = 0;
	int rc;

	rc = cti_session_open(uri, &o, &s);
	if (rc < 0)
		return exit_code("session", rc);
	l = cti_session_get_line(s, line_index);
	if (!l)
		return 2;	/* a provider reload between list and get */
	rc = cti_line_open(l, CTI_PRIV_OWNER, &req);
	if (!rc)
		rc = cti_session_wait_reply(s, req, 3000, NULL);
	if (!rc)
		rc = cti_line_make_call(l, number, &req);
	if (!rc)
		rc = cti_session_wait_reply(s, req, 3000, NULL);
	if (rc < 0)
		return exit_code("line", rc);
	/* exit with the call up and the session not closed */
	return 0;
}
