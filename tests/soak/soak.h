/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * soak: mixed load through ctid while it is killed and restarted.
 *
 * Each libcti session of the soak has an accountant (acct.c) that sees
 * every message the session delivers: events by sequence number
 * (delivered, lost, duplicated, and what GAP/RESYNC announced), and every
 * request by id (sent, answered once, answered twice, never answered).
 * The clients (client.c) make the load; soak.c runs ctid, kills it,
 * reloads the provider, samples its RSS and prints the verdict.
 */
#ifndef CTI_TESTS_SOAK_H
#define CTI_TESTS_SOAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cti.h"

/* Requests a session may have in flight (the clients stay below). */
#define SOAK_PEND_MAX	64
/* Recently answered ids remembered to tell a second REPLY from a stray. */
#define SOAK_DONE_RING	256
/* errno values counted one by one in the reply histogram. */
#define SOAK_ERRNO_MAX	134

struct acct {
	const char *name;
	uint64_t prev;		/* last event sequence number seen */
	bool rebase;		/* after RESYNC: the next event sets prev */
	uint64_t delivered, lost, dup, announced, gaps, resyncs;
	uint64_t reconnects, disconnects;
	uint64_t pend[SOAK_PEND_MAX];
	size_t npend;
	uint64_t done[SOAK_DONE_RING];
	size_t ndone;
	uint64_t sent, answered, dup_replies, stray_replies, send_fail;
	uint64_t err_count[SOAK_ERRNO_MAX + 1];	/* [0]: success */
};

void acct_init(struct acct *a, const char *name, struct cti_session *s);
/* Account one message; returns false if it broke a rule (printed). */
bool acct_msg(struct acct *a, struct cti_msg *m);
/*
 * A request was sent (@rc 0, *@req its id; a pointer, so that the id is
 * read after the call that fills it) or failed at once (@rc < 0:
 * counted by errno, not as sent). Returns @rc.
 */
int acct_sent(struct acct *a, int rc, const uint64_t *req);
/* Requests still waiting for their REPLY. */
size_t acct_pending(const struct acct *a);
/* Add @b's counts into @sum. */
void acct_add(struct acct *sum, const struct acct *b);
/* Print the totals; returns the number of rules broken. */
int acct_report(const struct acct *sum, bool final);

/* One line of the soak's trace, with the time since the start. */
void soak_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A calling client: one session that owns one line and makes calls. */
struct call_slot {
	uint32_t call;
	uint32_t state;
	int64_t drop_at_ms;	/* when to hang up a connected call */
};

#define SOAK_CALLS	8
/* Lines a client keeps open (the callers' and the exiters'). */
#define SOAK_LINES	80

struct client {
	char name[32];
	struct cti_session *s;
	struct acct acct;
	struct cti_line *line;		/* the line it owns (NULL: monitor) */
	bool monitor;			/* opens every line as MONITOR */
	unsigned int read_every_ms;	/* >0: the slow reader */
	int64_t next_read_ms;
	uint64_t open_req[SOAK_LINES];	/* by line index: an open in flight */
	struct call_slot calls[SOAK_CALLS];
	bool broken;			/* a rule was broken: stop, keep counts */
};

/* The load: numbers of the other lines to call. */
struct soak_load {
	struct client *clients;
	size_t n;
	bool stopping;			/* no new calls, drop what is up */
};

int client_open(struct client *c, const char *uri, const char *name,
		size_t line_index, bool monitor);
/* Do the client's I/O and its next move; false if a rule broke. */
bool client_service(struct client *c, struct soak_load *load, int64_t now);
/* Whether the client's fd should be polled now. */
bool client_wants_poll(const struct client *c, int64_t now);

/*
 * A program that opens line @line_index, makes a call to @number and
 * exits without closing: run in a forked child. Returns its exit status:
 * 0 the call was placed, 2 a documented failure across a restart
 * (ECONNRESET, ENOTCONN, ECONNREFUSED, ENOENT, ETIMEDOUT), 1 otherwise.
 */
int exiter_run(const char *uri, size_t line_index, const char *number);

/* kcard.c: the kernel variant (soak -K): a cti_sim card under kcard. */
#define SOAK_KCARD_PROVIDER	"kc"

struct soak_card {
	char name[32];
	char dir[96];			/* its configfs directory, "" none */
	bool live;
	int64_t back_at;		/* unplugged: when to plug it again */
	unsigned int unplugs, plugs, fail;
};

/* Make the card with @lines lines and plug it; 0 or -errno (logged). */
int soak_card_make(struct soak_card *c, unsigned int lines);
int soak_card_set_live(struct soak_card *c, bool live);
void soak_card_remove(struct soak_card *c);
/* Unplug it if @unplug_due, or plug it back when its time away is over. */
void soak_card_tick(struct soak_card *c, int64_t now, bool unplug_due);
/* ctid's configuration: kcard over the card, the queue limit. */
const char *soak_card_conf(const struct soak_card *c, unsigned int queue_limit);

#endif /* CTI_TESTS_SOAK_H */
