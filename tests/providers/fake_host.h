/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A fake ctid for provider unit tests: it implements the host API in
 * process with a fake clock, records every event and completion, and
 * counts every breach of the rules of cti_provider.h as a violation.
 */
#ifndef _CTI_TEST_HOST_H
#define _CTI_TEST_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cti_provider.h"

#define TH_REC_MAX	512

struct th_event {
	uint64_t time_ms;
	uint64_t rec[TH_REC_MAX / 8];
};

struct th_timer {
	int64_t id;
	uint64_t due_ms;
	uint64_t cookie;
	bool active;
};

struct th_req {
	uint64_t handle;
	uint32_t cmd;
	int completions;
	int error;
	uint32_t call;
};

#define TH_DESCS	64	/* descriptors kept (the first lines only) */

#define TH_TRANSPORTS	8

#define TH_AUTHZ_RULES	16
#define TH_AUTHZ_LOG	64
#define TH_ANY		0xfffffffeu	/* a rule's line or reach: any */

/* One answer of the fake host's authorize(): the test's policy. */
struct th_authz_rule {
	uint32_t line;			/* or TH_ANY */
	uint32_t reach;			/* or TH_ANY */
	int answer;
};

/* One question the provider asked. */
struct th_authz_ask {
	uint64_t handle;
	uint32_t line;
	uint32_t reach;
	int answer;
};

/* A fake transport: the test plays the far side. */
struct th_transport {
	int64_t id;
	uint64_t cookie;
	char kind;			/* 't'cp, 'u'nix, 's'erial, 'c'ard */
	char target[128];
	uint32_t port;			/* or baud */
	bool open;			/* opened and not closed */
	bool connected;
	size_t nsent;
	size_t nsends;			/* transport_send() calls: a card's frames */
	char sent[8192];
};

struct th {
	const struct cti_provider_ops *ops;
	struct cti_host_api api;
	void *state;
	uint64_t now_ms;
	bool in_submit;

	struct th_timer *timers;
	size_t ntimers, timers_cap;
	int64_t next_timer;

	struct th_event *events;
	size_t nevents, events_cap;

	struct th_req *reqs;
	size_t nreqs, reqs_cap;
	uint64_t next_handle;

	uint8_t *lines;			/* 1: the line is present */
	size_t nlines;				/* capacity of @lines */
	size_t nadded;				/* lines present now */
	struct cti_provider_line_desc descs[TH_DESCS];

	uint64_t *live_calls;		/* (line << 32 | call) of live calls */
	size_t nlive, live_cap;

	bool allow_transports;		/* else opening one is a violation */
	struct th_transport tr[TH_TRANSPORTS];
	int ntr;

	/*
	 * authorize(): rules set by the test (first match wins, else 0),
	 * the questions asked, and what was granted to the requests since
	 * the last th_run() so that the host can tell a provider that acts
	 * on another line without asking (a violation).
	 */
	struct th_authz_rule authz[TH_AUTHZ_RULES];
	int nauthz;
	struct th_authz_ask asked[TH_AUTHZ_LOG];
	size_t nasked;
	struct th_authz_ask granted[TH_AUTHZ_LOG];
	size_t ngranted;
	uint32_t req_lines[TH_AUTHZ_LOG];	/* lines of those requests */
	size_t nreq_lines;
	bool reach_overflow;
	bool check_reach;		/* the provider is the switch */

	int violations;
	char last_log[256];
	int log_errors;
};

/*
 * If not 0, the size of the host table the next instances see: an older
 * host, without the functions added after it.
 */
extern uint32_t th_api_size;

/* Start an instance with "key=value" strings (NULL-terminated). */
int th_start(struct th *th, const char *const *kv);
/* The same with another provider's ops table. */
int th_start_ops(struct th *th, const struct cti_provider_ops *ops,
		 const char *const *kv);
/* The same, with transports allowed. */
int th_start_tr(struct th *th, const char *const *kv);
void th_stop(struct th *th);
int th_check_config(const char *const *kv, char *msg, size_t size);

/* Submit a request; returns its handle (the REPLY is looked up later). */
uint64_t th_submit(struct th *th, uint32_t cmd, uint32_t line, uint32_t call,
		   uint32_t call2, uint32_t arg, uint32_t arg2,
		   const char *data);
/* The request's error; -1000 if it has not completed exactly once. */
int th_result(struct th *th, uint64_t handle, uint32_t *call);
int th_completions(struct th *th, uint64_t handle);

/*
 * authorize() answers @answer for @line (TH_ANY: every line) and @reach
 * (TH_ANY: every reach); rules set first win; th_authz_reset() clears
 * them (then everything is allowed).
 */
void th_authz_set(struct th *th, uint32_t line, uint32_t reach, int answer);
void th_authz_reset(struct th *th);
/* How often authorize(@line, @reach) was asked since th_clear(). */
int th_asked(const struct th *th, uint32_t line, uint32_t reach);

/* Advance the fake clock by @ms, firing the timers that fall due. */
void th_run(struct th *th, uint64_t ms);
size_t th_active_timers(const struct th *th);

/* "h:STATE[/REASON] ..." of every CALL_STATE on @line, in order. */
const char *th_states(struct th *th, uint32_t line);
/* Text of the last CALL_INFO of @call on @line ("caller>called o=.. r=.."). */
const char *th_info(struct th *th, uint32_t line, uint32_t call);
/* How many records of @type for @line (CTI_LINE_NONE: any line). */
int th_count(struct th *th, uint16_t type, uint32_t line);
/* The last record of @type for @line, or NULL. */
const void *th_last(struct th *th, uint16_t type, uint32_t line);
void th_clear(struct th *th);

/* Transports (with th->allow_transports): the test is the switch. */
struct th_transport *th_tr_last(struct th *th);
void th_tr_connect(struct th *th, struct th_transport *t, int error);
void th_tr_data(struct th *th, struct th_transport *t, const char *text);
void th_tr_close(struct th *th, struct th_transport *t, int error);
/* What the provider sent since the last call, as a string. */
const char *th_tr_sent(struct th *th, struct th_transport *t);
/* Every CALL_STATE of every line, "L<line>.h:STATE...", in order. */
const char *th_states_all(struct th *th);

#endif /* _CTI_TEST_HOST_H */
