/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * session: a telephone user, for the suites that go through libcti.
 *
 * A party is one libcti session that owns one line, as a desktop program
 * would. Everything the session delivers is recorded in order, so a test
 * can state the exact call-state sequence a party must see
 * (EXPECT_STATES), and every REPLY is counted, so that a request answered
 * twice or never fails the test (p_expect_replies_once, run by p_close).
 */
#ifndef CTI_TESTS_SESSION_H
#define CTI_TESTS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cti.h"

struct p_rec {
	enum cti_msg_type type;
	bool checked;			/* consumed by an expectation */
	uint32_t line, call, state, reason, related, origin, arg;
	enum cti_privilege priv;
	uint64_t req, seq, changed;
	int error;
	char caller[CTI_NUMBER_MAX], called[CTI_NUMBER_MAX];
	char text[96];
};

struct party {
	const char *name;
	struct cti_session *s;
	struct cti_line *line;
	uint32_t line_id;
	char number[CTI_NUMBER_MAX];
	struct p_rec *recs;
	size_t n, cap;
	uint64_t *reqs;			/* requests sent, for exactly-once */
	size_t nreqs, reqcap;
	uint64_t last_seq;
};

/*
 * Open a session named @name on the daemon of $CTI_URI and open its line
 * number @index (in listing order) as @priv. Fails the test on error.
 */
void p_open(struct party *p, const char *name, size_t index,
	    enum cti_privilege priv);
/* Check replies and leftover states, then close. */
void p_close(struct party *p);

/* Record what the session delivers during @ms (at least one poll). */
void p_pump(struct party *p, int ms);

/* Note @req as sent (for the exactly-once check); returns @req. */
uint64_t p_sent(struct party *p, int rc, uint64_t req, const char *what);

/* Run @expr (a libcti request filling @req) and note @req as sent. */
#define P_SEND(p, req, what, expr) do {					\
	int _rc = (expr);						\
									\
	p_sent((p), _rc, (req), (what));				\
} while (0)

/*
 * Wait for the REPLY of @req and return its error; @call gets the call it
 * created. Fails the test on timeout.
 */
int p_reply(struct party *p, uint64_t req, uint32_t *call);

/* Each request sent got exactly one REPLY; no REPLY came for another. */
void p_expect_replies_once(struct party *p);

/* How long EXPECT_STATES waits for the states to arrive (3000 ms). */
extern int p_timeout_ms;

/* State codes for EXPECT_STATES: a state, or a state with its reason. */
#define ST(s)		((int)(s))
#define SR(s, r)	((int)((s) | ((r) << 8) | 0x10000))

/*
 * The next CALL_STATE records of @*callp on @p are exactly the listed
 * ones, in order. With *@callp 0, the call is the one of the first new
 * CALL_STATE record and is written back.
 */
#define EXPECT_STATES(p, callp, ...) \
	p_states_at(__FILE__, __LINE__, (p), (callp), __VA_ARGS__, -1)
void p_states_at(const char *file, int line, struct party *p,
		 uint32_t *callp, ...);

/* No CALL_STATE is left unchecked on @p after @ms more of listening. */
#define EXPECT_QUIET(p, ms) p_quiet_at(__FILE__, __LINE__, (p), (ms))
void p_quiet_at(const char *file, int line, struct party *p, int ms);

/* The last CALL_INFO of @call, or NULL. */
const struct p_rec *p_info(struct party *p, uint32_t call);

/* Wait for a record of @type (unchecked); marks and returns it, or NULL. */
const struct p_rec *p_wait_msg(struct party *p, enum cti_msg_type type,
			       int ms);

/* Forget everything recorded so far (after a scenario's setup). */
void p_mark_all(struct party *p);

const char *p_state_name(uint32_t state);

/*
 * A random walk: p_walk_step() has a random party of @ps fire a random
 * operation (make, answer, drop, hold, transfer, conference, park,
 * pickup, ...) at one of its live calls without waiting for the answer;
 * p_live_calls() lists a party's calls that have not gone IDLE;
 * p_walk_check() fails the test for a state or reason out of range or a
 * state after a call's IDLE; p_walk_end() has every party hang up until
 * no call is left, checks that none is, checks each party's walk and
 * marks all its records seen.
 */
#define P_WALK_MAX_CALLS	32
size_t p_live_calls(struct party *p, uint32_t *out, size_t max);
void p_walk_step(struct party **ps, unsigned int np);
void p_walk_check(struct party *p);
void p_walk_end(struct party **ps, unsigned int np);

#endif /* CTI_TESTS_SESSION_H */
