// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * session: recorded libcti sessions for the call suites (see session.h).
 */
#define _GNU_SOURCE
#include "session.h"
#include "harness.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int p_timeout_ms = 3000;

const char *p_state_name(uint32_t state)
{
	return cti_call_state_name(state);
}

static void record(struct party *p, struct cti_msg *m)
{
	struct p_rec *r;

	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		void *n = realloc(p->recs, cap * sizeof(*r));

		T_ASSERT(n, "out of memory");
		p->recs = n;
		p->cap = cap;
	}
	r = &p->recs[p->n++];
	memset(r, 0, sizeof(*r));
	r->type = cti_msg_get_type(m);
	r->line = cti_msg_get_line_id(m);
	r->call = cti_msg_get_call(m);
	r->state = cti_msg_get_state(m);
	r->reason = cti_msg_get_reason(m);
	r->related = cti_msg_get_related_call(m);
	r->origin = cti_msg_get_origin(m);
	r->arg = cti_msg_get_arg(m);
	r->priv = cti_msg_get_privilege(m);
	r->req = cti_msg_get_request(m);
	r->seq = cti_msg_get_seq(m);
	r->changed = cti_msg_get_changed(m);
	r->error = cti_msg_get_error(m);
	snprintf(r->caller, sizeof(r->caller), "%s", cti_msg_get_caller(m));
	snprintf(r->called, sizeof(r->called), "%s", cti_msg_get_called(m));
	snprintf(r->text, sizeof(r->text), "%s", cti_msg_get_text(m));
	/* a resync starts a new session, with its own sequence */
	if (r->type == CTI_MSG_RESYNC)
		p->last_seq = 0;
	if (r->seq) {
		/* libcti hands events over in order, each exactly once */
		if (p->last_seq && r->seq <= p->last_seq)
			t_fail_at(__FILE__, __LINE__,
				  "%s: event seq %llu after %llu", p->name,
				  (unsigned long long)r->seq,
				  (unsigned long long)p->last_seq);
		p->last_seq = r->seq;
	}
	if (getenv("CTI_TEST_TRACE"))
		t_note("%s: %s line %u call %u state %s reason %u req %llu err %d",
		       p->name, cti_msg_type_name(r->type), r->line, r->call,
		       r->type == CTI_MSG_CALL_STATE ? p_state_name(r->state) : "-",
		       r->reason, (unsigned long long)r->req, r->error);
}

void p_pump(struct party *p, int ms)
{
	int64_t deadline = t_now_ms() + ms;

	for (;;) {
		struct cti_msg *m;
		int64_t left;
		int rc;

		while ((rc = cti_session_next_msg(p->s, &m)) == 1) {
			record(p, m);
			cti_msg_free(m);
		}
		T_ASSERT(rc == 0, "%s: next_msg: %s", p->name, strerror(-rc));
		left = deadline - t_now_ms();
		if (left <= 0)
			return;
		rc = cti_session_wait(p->s, (int)left);
		T_ASSERT(rc >= 0 || rc == -EINTR, "%s: wait: %s", p->name,
			 strerror(-rc));
	}
}

/* Pump until @done(p, arg) or @ms pass. */
static bool pump_until(struct party *p, int ms,
		       bool (*done)(struct party *, const void *),
		       const void *arg)
{
	int64_t deadline = t_now_ms() + ms;

	while (!done(p, arg)) {
		int64_t left = deadline - t_now_ms();

		if (left <= 0)
			return false;
		p_pump(p, left > 20 ? 20 : (int)left);
	}
	return true;
}

uint64_t p_sent(struct party *p, int rc, uint64_t req, const char *what)
{
	T_ASSERT(rc == 0, "%s: %s: %s", p->name, what, strerror(-rc));
	T_ASSERT(req > 0, "%s: %s: request id 0", p->name, what);
	if (p->nreqs == p->reqcap) {
		size_t cap = p->reqcap ? 2 * p->reqcap : 64;
		void *n = realloc(p->reqs, cap * sizeof(*p->reqs));

		T_ASSERT(n, "out of memory");
		p->reqs = n;
		p->reqcap = cap;
	}
	p->reqs[p->nreqs++] = req;
	return req;
}

static const struct p_rec *find_reply(struct party *p, uint64_t req)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->recs[i].type == CTI_MSG_REPLY && p->recs[i].req == req)
			return &p->recs[i];
	return NULL;
}

static bool have_reply(struct party *p, const void *arg)
{
	return find_reply(p, *(const uint64_t *)arg) != NULL;
}

int p_reply(struct party *p, uint64_t req, uint32_t *call)
{
	const struct p_rec *r;

	if (!pump_until(p, 5000, have_reply, &req)) {
		t_fail_at(__FILE__, __LINE__, "%s: no REPLY for request %llu",
			  p->name, (unsigned long long)req);
		t_abort();
	}
	r = find_reply(p, req);
	if (call)
		*call = r->call;
	return r->error;
}

void p_expect_replies_once(struct party *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		const struct p_rec *r = &p->recs[i];
		unsigned int sent = 0, got = 0;

		if (r->type != CTI_MSG_REPLY)
			continue;
		for (j = 0; j < p->nreqs; j++)
			sent += p->reqs[j] == r->req;
		for (j = 0; j < p->n; j++)
			got += p->recs[j].type == CTI_MSG_REPLY &&
			       p->recs[j].req == r->req;
		T_EXPECT(sent == 1, "%s: REPLY for request %llu never sent",
			 p->name, (unsigned long long)r->req);
		T_EXPECT(got == 1, "%s: %u REPLYs for request %llu", p->name,
			 got, (unsigned long long)r->req);
	}
	for (j = 0; j < p->nreqs; j++)
		T_EXPECT(find_reply(p, p->reqs[j]),
			 "%s: request %llu never answered", p->name,
			 (unsigned long long)p->reqs[j]);
}

void p_open(struct party *p, const char *name, size_t index,
	    enum cti_privilege priv)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.flags = CTI_SESSION_NO_RECONNECT,
		.timeout_ms = 5000,
		.client_name = name,
	};
	uint64_t req;
	int rc;

	memset(p, 0, sizeof(*p));
	p->name = name;
	rc = cti_session_open(NULL, &o, &p->s);
	T_ASSERT(rc == 0, "%s: session open: %s", name, strerror(-rc));
	T_ASSERT(index < cti_session_get_num_lines(p->s),
		 "%s: line %zu of %zu", name, index,
		 cti_session_get_num_lines(p->s));
	p->line = cti_session_get_line(p->s, index);
	p->line_id = cti_line_get_id(p->line);
	snprintf(p->number, sizeof(p->number), "%s",
		 cti_line_get_address(p->line, 0));
	if (priv == CTI_PRIV_NONE)
		return;
	rc = cti_line_open(p->line, priv, &req);
	p_sent(p, rc, req, "line open");
	rc = p_reply(p, req, NULL);
	T_ASSERT(rc == 0, "%s: open line %s: %s", name, p->number,
		 strerror(-rc));
	T_EXPECT_EQ(cti_line_get_privilege(p->line), priv);
}

void p_close(struct party *p)
{
	if (!p->s)
		return;
	p_pump(p, 0);
	p_expect_replies_once(p);
	cti_session_close(p->s);
	p->s = NULL;
	free(p->recs);
	free(p->reqs);
	p->recs = NULL;
	p->reqs = NULL;
}

void p_mark_all(struct party *p)
{
	size_t i;

	p_pump(p, 0);
	for (i = 0; i < p->n; i++)
		p->recs[i].checked = true;
}

struct want {
	uint32_t call;
	size_t n;
};

static size_t unchecked_states(struct party *p, uint32_t call)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		if (!p->recs[i].checked && p->recs[i].type == CTI_MSG_CALL_STATE &&
		    (!call || p->recs[i].call == call))
			n++;
	return n;
}

static bool enough_states(struct party *p, const void *arg)
{
	const struct want *w = arg;
	uint32_t call = w->call;
	size_t i;

	if (!call) {
		for (i = 0; i < p->n; i++)
			if (!p->recs[i].checked &&
			    p->recs[i].type == CTI_MSG_CALL_STATE) {
				call = p->recs[i].call;
				break;
			}
		if (!call)
			return false;
	}
	return unchecked_states(p, call) >= w->n;
}

static void describe(char *buf, size_t size, uint32_t state, int reason)
{
	if (reason >= 0)
		snprintf(buf, size, "%s(%d)", p_state_name(state), reason);
	else
		snprintf(buf, size, "%s", p_state_name(state));
}

void p_states_at(const char *file, int line, struct party *p,
		 uint32_t *callp, ...)
{
	int want[32], code;
	char got_s[512] = "", want_s[512] = "", item[48];
	struct want w = { *callp, 0 };
	size_t i, k = 0, nw = 0;
	bool ok = true;
	va_list ap;

	va_start(ap, callp);
	while ((code = va_arg(ap, int)) != -1 && nw < 32)
		want[nw++] = code;
	va_end(ap);
	w.n = nw;
	pump_until(p, p_timeout_ms, enough_states, &w);
	/* Let stray extra states arrive, so that they are seen here. */
	p_pump(p, 30);

	if (!*callp)
		for (i = 0; i < p->n; i++)
			if (!p->recs[i].checked &&
			    p->recs[i].type == CTI_MSG_CALL_STATE) {
				*callp = p->recs[i].call;
				break;
			}
	for (i = 0; i < nw; i++) {
		describe(item, sizeof(item), (uint32_t)(want[i] & 0xff),
			 want[i] & 0x10000 ? (want[i] >> 8) & 0xff : -1);
		strncat(want_s, item, sizeof(want_s) - strlen(want_s) - 2);
		strcat(want_s, " ");
	}
	for (i = 0; i < p->n && *callp; i++) {
		struct p_rec *r = &p->recs[i];
		bool first_seen;

		if (r->checked || r->call != *callp)
			continue;
		if (r->type != CTI_MSG_CALL_STATE)
			continue;
		first_seen = k < nw;
		describe(item, sizeof(item), r->state, (int)r->reason);
		strncat(got_s, item, sizeof(got_s) - strlen(got_s) - 2);
		strcat(got_s, " ");
		if (!first_seen) {
			ok = false;	/* more states than expected */
			continue;
		}
		if (r->state != (uint32_t)(want[k] & 0xff) ||
		    ((want[k] & 0x10000) &&
		     r->reason != (uint32_t)((want[k] >> 8) & 0xff)))
			ok = false;
		/* a monitor of the line never holds more on its calls */
		if (cti_line_get_privilege(p->line) == CTI_PRIV_MONITOR &&
		    r->priv != CTI_PRIV_MONITOR)
			t_fail_at(file, line, "%s: call %u %s with privilege %d",
				  p->name, r->call, p_state_name(r->state),
				  r->priv);
		r->checked = true;
		k++;
	}
	if (k < nw)
		ok = false;
	if (!ok) {
		t_fail_at(file, line, "%s (%s) call %u: got [ %s] want [ %s]",
			  p->name, p->number, *callp, got_s, want_s);
		t_abort();
	}
}

void p_quiet_at(const char *file, int line, struct party *p, int ms)
{
	size_t i;

	p_pump(p, ms);
	for (i = 0; i < p->n; i++) {
		struct p_rec *r = &p->recs[i];

		if (r->checked || r->type != CTI_MSG_CALL_STATE)
			continue;
		t_fail_at(file, line, "%s: unexpected call %u %s(%u)", p->name,
			  r->call, p_state_name(r->state), r->reason);
		r->checked = true;
	}
}

const struct p_rec *p_info(struct party *p, uint32_t call)
{
	const struct p_rec *last = NULL;
	size_t i;

	p_pump(p, 0);
	for (i = 0; i < p->n; i++)
		if (p->recs[i].type == CTI_MSG_CALL_INFO &&
		    p->recs[i].call == call)
			last = &p->recs[i];
	return last;
}

struct type_arg {
	enum cti_msg_type type;
};

static struct p_rec *first_unchecked(struct party *p, enum cti_msg_type type)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!p->recs[i].checked && p->recs[i].type == type)
			return &p->recs[i];
	return NULL;
}

static bool have_type(struct party *p, const void *arg)
{
	return first_unchecked(p, ((const struct type_arg *)arg)->type);
}

const struct p_rec *p_wait_msg(struct party *p, enum cti_msg_type type,
			       int ms)
{
	struct type_arg a = { type };
	struct p_rec *r;

	pump_until(p, ms, have_type, &a);
	r = first_unchecked(p, type);
	if (r)
		r->checked = true;
	return r;
}

/* The random walk of test_calls and test_reload. */

/* The calls of @p that have not gone IDLE, from its records. */
size_t p_live_calls(struct party *p, uint32_t *out, size_t max)
{
	size_t i, j, n = 0;

	p_pump(p, 0);
	for (i = 0; i < p->n; i++) {
		const struct p_rec *r = &p->recs[i];

		if (r->type != CTI_MSG_CALL_STATE)
			continue;
		for (j = 0; j < n && out[j] != r->call; j++)
			;
		if (r->state == CTI_CALL_IDLE) {
			if (j < n)
				out[j] = out[--n];
		} else if (j == n && n < max) {
			out[n++] = r->call;
		}
	}
	return n;
}

void p_walk_step(struct party **ps, unsigned int np)
{
	struct party *p = ps[random() % np], *q = ps[random() % np];
	uint32_t calls[P_WALK_MAX_CALLS], c1 = 0, c2 = 0;
	size_t n = p_live_calls(p, calls, P_WALK_MAX_CALLS);
	const char *num = random() % 8 ? q->number : "5550009";
	struct cti_line *l = p->line;
	uint64_t req = 0;
	int rc;

	if (n) {
		c1 = calls[random() % n];
		c2 = calls[random() % n];
	}
	switch (random() % 16) {
	case 0: case 1: case 2:
		rc = cti_line_make_call(l, num, &req);
		break;
	case 3: case 4:
		rc = cti_call_answer(l, c1, &req);
		break;
	case 5: case 6:
		rc = cti_call_drop(l, c1, &req);
		break;
	case 7:
		rc = cti_call_hold(l, c1, &req);
		break;
	case 8:
		rc = cti_call_unhold(l, c1, &req);
		break;
	case 9:
		rc = cti_call_blind_transfer(l, c1, num, &req);
		break;
	case 10:
		rc = random() % 2 ? cti_call_setup_transfer(l, c1, num, &req) :
				    cti_call_setup_conference(l, c1, num, &req);
		break;
	case 11:
		rc = cti_call_complete_transfer(l, c1, c2, random() % 2, &req);
		break;
	case 12:
		rc = random() % 2 ? cti_call_add_to_conference(l, c1, c2, &req) :
				    cti_call_swap_hold(l, c1, c2, &req);
		break;
	case 13:
		rc = random() % 2 ? cti_call_redirect(l, c1, num, &req) :
				    cti_line_pickup(l, q->number, &req);
		break;
	case 14:
		rc = random() % 2 ? cti_call_park(l, c1, "", &req) :
				    cti_line_unpark(l, "700", &req);
		break;
	default:
		rc = random() % 2 ? cti_line_set_dnd(l, random() % 4 == 0, &req) :
				    cti_call_generate_digits(l, c1, "1#", &req);
		break;
	}
	/* libcti refuses some combinations itself (call 0): not sent */
	if (rc == 0)
		p_sent(p, rc, req, "walk");
	p_pump(p, 0);
}

/* Every state in range; nothing after a call's IDLE. */
void p_walk_check(struct party *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		const struct p_rec *r = &p->recs[i];

		if (r->type != CTI_MSG_CALL_STATE)
			continue;
		T_EXPECT(r->state < CTI_CALL_STATE_MAX, "%s: state %u", p->name,
			 r->state);
		T_EXPECT(r->reason <= CTI_DISC_DND, "%s: reason %u", p->name,
			 r->reason);
		if (r->state != CTI_CALL_IDLE)
			continue;
		for (j = i + 1; j < p->n; j++) {
			if (p->recs[j].call != r->call)
				continue;
			/* a handle used again starts with its CALL_INFO */
			if (p->recs[j].type == CTI_MSG_CALL_INFO)
				break;
			if (p->recs[j].type == CTI_MSG_CALL_STATE) {
				t_fail_at(__FILE__, __LINE__,
					  "%s: call %u %s after its IDLE", p->name,
					  r->call, p_state_name(p->recs[j].state));
				break;
			}
		}
	}
}

void p_walk_end(struct party **ps, unsigned int np)
{
	uint32_t calls[P_WALK_MAX_CALLS];
	unsigned int i, round;

	/* everybody hangs up, until nothing is left */
	for (round = 0; round < 20; round++) {
		size_t left = 0;

		for (i = 0; i < np; i++) {
			size_t k, n;

			n = p_live_calls(ps[i], calls, P_WALK_MAX_CALLS);
			left += n;
			for (k = 0; k < n; k++) {
				uint64_t req;

				if (!cti_call_drop(ps[i]->line, calls[k], &req))
					p_sent(ps[i], 0, req, "hang up");
			}
		}
		for (i = 0; i < np; i++)
			p_pump(ps[i], 50);
		if (!left)
			break;
	}
	for (i = 0; i < np; i++) {
		p_pump(ps[i], 100);
		T_EXPECT_EQ(p_live_calls(ps[i], calls, P_WALK_MAX_CALLS), 0);
		p_walk_check(ps[i]);
		p_mark_all(ps[i]);
	}
}
