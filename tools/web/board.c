// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * board.c - one web session's view of ctid, and its JSON
 *
 * Lines are libcti's own objects (the session keeps them current), so
 * they are read at render time. Calls, agents and providers arrive as
 * messages and are kept here: a call from its first message until IDLE,
 * then among the last BOARD_RECENT ended calls, so that a call that came
 * and went between two looks at the page still shows (with how long it
 * lasted). The browser gets the whole board on each change: a board is a
 * few kilobytes, and a full picture can never drift the way patches can.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctiweb.h"

uint64_t web_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const struct board_call *board_find_call(const struct board *b, uint32_t line,
					 uint32_t call)
{
	for (size_t i = 0; i < b->ncalls; i++)
		if (b->calls[i].line == line && b->calls[i].call == call)
			return &b->calls[i];
	return NULL;
}

/* The call's slot, made if new (NULL: the table is full; it is skipped). */
static struct board_call *call_slot(struct board *b, uint32_t line, uint32_t call)
{
	struct board_call *c = (struct board_call *)board_find_call(b, line, call);

	if (c || b->ncalls == BOARD_CALLS)
		return c;
	c = &b->calls[b->ncalls++];
	memset(c, 0, sizeof(*c));
	c->line = line;
	c->call = call;
	c->since_ms = c->state_ms = web_now_ms();
	return c;
}

static void call_ended(struct board *b, struct board_call *c)
{
	size_t slot = (b->recent_head + b->nrecent) % BOARD_RECENT;

	c->ended_ms = web_now_ms();
	if (b->nrecent == BOARD_RECENT) {
		slot = b->recent_head;
		b->recent_head = (b->recent_head + 1) % BOARD_RECENT;
	} else {
		b->nrecent++;
	}
	b->recent[slot] = *c;
	*c = b->calls[--b->ncalls];
}

/*
 * Every state change goes to the log as well: the board the browser gets
 * is the latest, so a call that came and went between two pushes would
 * otherwise leave no trace of its states.
 */
static void log_state(struct board *b, const struct board_call *c)
{
	size_t slot = (b->log_head + b->nlog) % BOARD_LOG;

	if (b->nlog == BOARD_LOG) {
		slot = b->log_head;
		b->log_head = (b->log_head + 1) % BOARD_LOG;
	} else {
		b->nlog++;
	}
	b->log[slot] = (struct board_event){ .at_ms = web_now_ms(), .line = c->line,
					     .call = c->call, .state = c->state,
					     .reason = c->reason };
}

static void set_parties(struct board_call *c, struct cti_msg *msg)
{
	snprintf(c->caller, sizeof(c->caller), "%s", cti_msg_get_caller(msg));
	snprintf(c->called, sizeof(c->called), "%s", cti_msg_get_called(msg));
	snprintf(c->caller_name, sizeof(c->caller_name), "%s", cti_msg_get_caller_name(msg));
	snprintf(c->called_name, sizeof(c->called_name), "%s", cti_msg_get_called_name(msg));
}

static bool apply_call(struct board *b, struct cti_msg *msg, enum cti_msg_type t)
{
	struct board_call *c = call_slot(b, cti_msg_get_line_id(msg), cti_msg_get_call(msg));
	uint32_t state = cti_msg_get_state(msg);

	if (!c)
		return false;
	if (t == CTI_MSG_CALL || t == CTI_MSG_CALL_INFO)
		set_parties(c, msg);
	if (t == CTI_MSG_CALL || t == CTI_MSG_CALL_STATE) {
		if (c->state != state)
			c->state_ms = web_now_ms();
		if (c->state != state || t == CTI_MSG_CALL_STATE) {
			c->state = state;
			c->reason = cti_msg_get_reason(msg);
			log_state(b, c);
		}
		if (state == CTI_CALL_IDLE)
			call_ended(b, c);
	}
	return true;
}

static bool apply_agent(struct board *b, struct cti_msg *msg)
{
	uint32_t line = cti_msg_get_line_id(msg);
	struct board_agent *a = NULL;

	for (size_t i = 0; i < b->nagents && !a; i++)
		if (b->agents[i].line == line)
			a = &b->agents[i];
	if (!a && b->nagents == BOARD_AGENTS)
		return false;
	if (!a)
		a = &b->agents[b->nagents++];
	a->line = line;
	a->state = cti_msg_get_state(msg);
	a->reason = cti_msg_get_reason(msg);
	snprintf(a->groups, sizeof(a->groups), "%s", cti_msg_get_text(msg));
	return true;
}

static bool apply_provider(struct board *b, struct cti_msg *msg, bool item)
{
	const char *name = cti_msg_get_text(msg);
	struct board_provider *p = NULL;

	for (size_t i = 0; i < b->nproviders && !p; i++)
		if (!strcmp(b->providers[i].name, name))
			p = &b->providers[i];
	if (!p && b->nproviders == BOARD_PROVIDERS)
		return false;
	if (!p) {
		p = &b->providers[b->nproviders++];
		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "%s", name);
	}
	p->up = cti_msg_get_state(msg) != 0;
	if (item) {
		p->lines = cti_msg_get_arg(msg);
		p->link = cti_msg_get_reason(msg);
	}
	return true;
}

bool board_apply(struct board *b, struct cti_session *s, struct cti_msg *msg)
{
	enum cti_msg_type t = cti_msg_get_type(msg);
	bool changed = true;

	(void)s;
	switch (t) {
	case CTI_MSG_CALL:
	case CTI_MSG_CALL_STATE:
	case CTI_MSG_CALL_INFO:
		changed = apply_call(b, msg, t);
		break;
	case CTI_MSG_AGENT_STATE:
		changed = apply_agent(b, msg);
		break;
	case CTI_MSG_PROVIDER:
		changed = cti_msg_get_request(msg) == b->providers_req &&
			  apply_provider(b, msg, true);
		break;
	case CTI_MSG_PROVIDER_STATE:
		changed = apply_provider(b, msg, false);
		break;
	case CTI_MSG_SESSION:
	case CTI_MSG_REPLY:
		changed = sessions_apply(&b->sessions, msg);
		break;
	case CTI_MSG_RESYNC:
		/* every call is listed again after it */
		b->ncalls = 0;
		break;
	case CTI_MSG_LINE_ADDED:
	case CTI_MSG_LINE_REMOVED:
	case CTI_MSG_LINE_STATUS:
	case CTI_MSG_PRIVILEGE:
	case CTI_MSG_LINK_STATE:
		break;		/* the lines are libcti's: just draw again */
	default:
		changed = false;
	}
	if (changed)
		b->version++;
	return changed;
}

static const char *line_status_name(uint32_t st)
{
	static const char *const n[] = { "IN_SERVICE", "OUT_OF_SERVICE", "MAINTENANCE" };

	return st < sizeof(n) / sizeof(n[0]) ? n[st] : "?";
}

static const char *agent_state_name(uint32_t st)
{
	static const char *const n[] = { "LOGGED_OUT", "READY", "NOT_READY",
					 "AFTER_CALL_WORK", "BUSY" };

	return st < sizeof(n) / sizeof(n[0]) ? n[st] : "?";
}

static const char *priv_name(enum cti_privilege p)
{
	return p == CTI_PRIV_OWNER ? "owner" : p == CTI_PRIV_MONITOR ? "monitor" : "none";
}

#define JADD(o, k, v) json_object_object_add((o), (k), (v))

static struct json_object *call_json(const struct board_call *c, struct cti_session *s)
{
	struct json_object *o = json_object_new_object();
	struct cti_line *l = cti_session_get_line_by_id(s, c->line);

	JADD(o, "line", json_object_new_int64(c->line));
	JADD(o, "line_name", json_object_new_string(l ? cti_line_get_name(l) : "?"));
	JADD(o, "call", json_object_new_int64(c->call));
	JADD(o, "state", json_object_new_string(cti_call_state_name(c->state)));
	JADD(o, "reason", json_object_new_string(cti_call_reason_name(c->state, c->reason)));
	JADD(o, "caller", json_object_new_string(c->caller));
	JADD(o, "caller_name", json_object_new_string(c->caller_name));
	JADD(o, "called", json_object_new_string(c->called));
	JADD(o, "called_name", json_object_new_string(c->called_name));
	JADD(o, "since_ms", json_object_new_int64((int64_t)c->since_ms));
	JADD(o, "state_ms", json_object_new_int64((int64_t)c->state_ms));
	if (c->ended_ms)
		JADD(o, "ended_ms", json_object_new_int64((int64_t)c->ended_ms));
	return o;
}

static struct json_object *agent_json(const struct board *b, uint32_t line)
{
	struct json_object *o;

	for (size_t i = 0; i < b->nagents; i++) {
		if (b->agents[i].line != line)
			continue;
		o = json_object_new_object();
		JADD(o, "state", json_object_new_string(agent_state_name(b->agents[i].state)));
		JADD(o, "reason", json_object_new_int64(b->agents[i].reason));
		JADD(o, "groups", json_object_new_string(b->agents[i].groups));
		return o;
	}
	return NULL;
}

static struct json_object *lines_json(const struct board *b, struct cti_session *s)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < cti_session_get_num_lines(s); i++) {
		struct cti_line *l = cti_session_get_line(s, i);
		struct json_object *o;

		if (cti_line_is_removed(l))
			continue;
		o = json_object_new_object();
		JADD(o, "id", json_object_new_int64(cti_line_get_id(l)));
		JADD(o, "name", json_object_new_string(cti_line_get_name(l)));
		JADD(o, "number", json_object_new_string(cti_line_get_num_addresses(l) ?
							  cti_line_get_address(l, 0) : ""));
		JADD(o, "provider", json_object_new_string(cti_line_get_provider_name(l)));
		JADD(o, "status", json_object_new_string(line_status_name(cti_line_get_status(l))));
		JADD(o, "calls", json_object_new_int64(cti_line_get_num_calls(l)));
		JADD(o, "privilege", json_object_new_string(priv_name(cti_line_get_privilege(l))));
		JADD(o, "dnd", json_object_new_boolean(cti_line_get_dnd(l)));
		JADD(o, "agent", agent_json(b, cti_line_get_id(l)));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *calls_json(const struct board *b, struct cti_session *s)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < b->ncalls; i++)
		json_object_array_add(a, call_json(&b->calls[i], s));
	return a;
}

static struct json_object *recent_json(const struct board *b, struct cti_session *s)
{
	struct json_object *a = json_object_new_array();

	/* newest first */
	for (size_t i = b->nrecent; i-- > 0;)
		json_object_array_add(a, call_json(&b->recent[(b->recent_head + i) %
							      BOARD_RECENT], s));
	return a;
}

static struct json_object *log_json(const struct board *b, struct cti_session *s)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = b->nlog; i-- > 0;) {	/* newest first */
		const struct board_event *e = &b->log[(b->log_head + i) % BOARD_LOG];
		struct cti_line *l = cti_session_get_line_by_id(s, e->line);
		struct json_object *o = json_object_new_object();

		JADD(o, "at_ms", json_object_new_int64((int64_t)e->at_ms));
		JADD(o, "line_name", json_object_new_string(l ? cti_line_get_name(l) : "?"));
		JADD(o, "call", json_object_new_int64(e->call));
		JADD(o, "state", json_object_new_string(cti_call_state_name(e->state)));
		JADD(o, "reason", json_object_new_string(cti_call_reason_name(e->state, e->reason)));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *providers_json(const struct board *b)
{
	static const char *const link[] = { "", "down", "up" };
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < b->nproviders; i++) {
		const struct board_provider *p = &b->providers[i];
		struct json_object *o = json_object_new_object();

		JADD(o, "name", json_object_new_string(p->name));
		JADD(o, "state", json_object_new_string(p->up ? "up" : "down"));
		JADD(o, "lines", json_object_new_int64(p->lines));
		JADD(o, "link", json_object_new_string(p->link < 3 ? link[p->link] : "?"));
		json_object_array_add(a, o);
	}
	return a;
}

struct json_object *board_json(const struct board *b, struct cti_session *s)
{
	struct json_object *o = json_object_new_object();

	JADD(o, "version", json_object_new_int64((int64_t)b->version));
	JADD(o, "now_ms", json_object_new_int64((int64_t)web_now_ms()));
	JADD(o, "connected", json_object_new_boolean(cti_session_is_connected(s)));
	JADD(o, "lines", lines_json(b, s));
	JADD(o, "calls", calls_json(b, s));
	JADD(o, "recent", recent_json(b, s));
	JADD(o, "providers", providers_json(b));
	JADD(o, "events", log_json(b, s));
	sessions_json(&b->sessions, o);
	return o;
}
