// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * acct.c - the soak's accounting of one session, by sequence number and
 * request id.
 *
 * The rules (doc/protocol.md, "The session"): events arrive with
 * consecutive sequence numbers; a hole is allowed only where a GAP
 * announced it, and a RESYNC starts the numbering again (a restarted ctid
 * cannot know the session; the snapshot that follows stands in for what
 * was missed). No number twice. Every request id that was sent is
 * answered by exactly one REPLY (libcti answers those in flight at a
 * broken connection with -ECONNRESET), and no REPLY comes for an id that
 * was not sent.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "soak.h"

void acct_init(struct acct *a, const char *name, struct cti_session *s)
{
	memset(a, 0, sizeof(*a));
	a->name = name;
	a->prev = cti_session_get_seq(s);
}

static void count_errno(struct acct *a, int err)
{
	int e = err < 0 ? -err : err;

	a->err_count[e > SOAK_ERRNO_MAX ? SOAK_ERRNO_MAX : e]++;
}

int acct_sent(struct acct *a, int rc, const uint64_t *req)
{
	if (rc < 0) {
		a->send_fail++;
		count_errno(a, rc);
		return rc;
	}
	if (a->npend == SOAK_PEND_MAX) {
		/* the clients never get here: a bug of the soak itself */
		soak_log("%s: more than %d requests in flight", a->name,
			 SOAK_PEND_MAX);
		a->stray_replies++;
		return rc;
	}
	a->pend[a->npend++] = *req;
	a->sent++;
	return rc;
}

size_t acct_pending(const struct acct *a)
{
	return a->npend;
}

static bool was_answered(const struct acct *a, uint64_t req)
{
	size_t n = a->ndone < SOAK_DONE_RING ? a->ndone : SOAK_DONE_RING;

	for (size_t i = 0; i < n; i++)
		if (a->done[i] == req)
			return true;
	return false;
}

static bool on_reply(struct acct *a, uint64_t req, int err)
{
	for (size_t i = 0; i < a->npend; i++) {
		if (a->pend[i] != req)
			continue;
		a->pend[i] = a->pend[--a->npend];
		a->done[a->ndone++ % SOAK_DONE_RING] = req;
		a->answered++;
		count_errno(a, err);
		return true;
	}
	if (was_answered(a, req)) {
		a->dup_replies++;
		soak_log("%s: RULE: request %" PRIu64 " answered twice (%d)",
			 a->name, req, err);
	} else {
		a->stray_replies++;
		soak_log("%s: RULE: REPLY for request %" PRIu64
			 " that was never sent (%d)", a->name, req, err);
	}
	return false;
}

static bool on_event(struct acct *a, uint64_t seq, struct cti_msg *m)
{
	if (a->rebase) {
		a->rebase = false;
		a->prev = seq;
		a->delivered++;
		return true;
	}
	if (seq <= a->prev) {
		a->dup++;
		soak_log("%s: RULE: event seq %" PRIu64 " (%s) after %" PRIu64
			 ": duplicated", a->name, seq,
			 cti_msg_type_name(cti_msg_get_type(m)), a->prev);
		return false;
	}
	if (seq != a->prev + 1) {
		a->lost += seq - a->prev - 1;
		soak_log("%s: RULE: events %" PRIu64 "..%" PRIu64
			 " lost without GAP or RESYNC", a->name, a->prev + 1,
			 seq - 1);
		a->prev = seq;
		a->delivered++;
		return false;
	}
	a->prev = seq;
	a->delivered++;
	return true;
}

static bool on_gap(struct acct *a, struct cti_msg *m)
{
	uint64_t first = 0, last = 0, n = cti_msg_get_gap(m, &first, &last);

	a->gaps++;
	a->announced += n;
	if (a->rebase || first == a->prev + 1) {
		a->prev = last;
		a->rebase = false;
		return true;
	}
	soak_log("%s: RULE: GAP %" PRIu64 "..%" PRIu64 " after seq %" PRIu64,
		 a->name, first, last, a->prev);
	if (first > a->prev + 1)
		a->lost += first - a->prev - 1;
	else
		a->dup++;
	if (last > a->prev)
		a->prev = last;
	return false;
}

bool acct_msg(struct acct *a, struct cti_msg *m)
{
	uint64_t seq = cti_msg_get_seq(m);

	switch (cti_msg_get_type(m)) {
	case CTI_MSG_REPLY:
		return on_reply(a, cti_msg_get_request(m), cti_msg_get_error(m));
	case CTI_MSG_GAP:
		return on_gap(a, m);
	case CTI_MSG_RESYNC:
		a->resyncs++;
		a->rebase = true;
		return true;
	case CTI_MSG_DISCONNECTED:
		a->disconnects++;
		return true;
	case CTI_MSG_RECONNECTED:
		a->reconnects++;
		return true;
	default:
		return seq ? on_event(a, seq, m) : true;
	}
}

void acct_add(struct acct *sum, const struct acct *b)
{
	sum->delivered += b->delivered;
	sum->lost += b->lost;
	sum->dup += b->dup;
	sum->announced += b->announced;
	sum->gaps += b->gaps;
	sum->resyncs += b->resyncs;
	sum->reconnects += b->reconnects;
	sum->disconnects += b->disconnects;
	sum->npend += b->npend;
	sum->sent += b->sent;
	sum->answered += b->answered;
	sum->dup_replies += b->dup_replies;
	sum->stray_replies += b->stray_replies;
	sum->send_fail += b->send_fail;
	for (size_t i = 0; i <= SOAK_ERRNO_MAX; i++)
		sum->err_count[i] += b->err_count[i];
}

static void print_errnos(const struct acct *s)
{
	printf("soak: answers by errno:");
	for (int i = 0; i <= SOAK_ERRNO_MAX; i++)
		if (s->err_count[i])
			printf(" %s=%" PRIu64, i ? strerrorname_np(i) : "ok",
			       s->err_count[i]);
	printf(" (send-time failures %" PRIu64 " included)\n", s->send_fail);
}

int acct_report(const struct acct *s, bool final)
{
	int broken = 0;

	printf("soak: events delivered %" PRIu64 ", lost %" PRIu64
	       ", duplicated %" PRIu64 "; announced: %" PRIu64 " GAPs (%"
	       PRIu64 " events), %" PRIu64 " RESYNCs; %" PRIu64
	       " disconnects, %" PRIu64 " resumed\n", s->delivered, s->lost,
	       s->dup, s->gaps, s->announced, s->resyncs, s->disconnects,
	       s->reconnects);
	printf("soak: requests sent %" PRIu64 ", answered %" PRIu64
	       ", answered twice %" PRIu64 ", stray replies %" PRIu64
	       ", unanswered %zu\n", s->sent, s->answered, s->dup_replies,
	       s->stray_replies, s->npend);
	print_errnos(s);
	broken += s->lost != 0;
	broken += s->dup != 0;
	broken += s->dup_replies != 0;
	broken += s->stray_replies != 0;
	broken += final && s->npend != 0;
	return broken;
}
