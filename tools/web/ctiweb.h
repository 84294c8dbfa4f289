/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctiweb: the web console of ctid (README.md). One process, three parts:
 *
 *   http.c     libmicrohttpd over HTTPS, a thread per connection: static
 *              files, the JSON API, the event stream, /metrics
 *   websess.c  one web login = one libcti session to ctid over tls:// with
 *              that user's own credentials, and a thread that reads it
 *   board.c    what a session saw (lines, calls, agents, providers), made
 *              into the JSON the browser draws
 *
 * Locking: a web session's mutex guards its libcti session and its board;
 * whoever holds it may call libcti on that session (cti.h: one thread at a
 * time). The session table has its own lock, taken before any session's.
 */
#ifndef CTIWEB_H
#define CTIWEB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cti.h>
#include <json-c/json.h>

#define WEB_TOKEN_HEX	64	/* a session cookie: 32 random bytes in hex */
#define WEB_USER_MAX	32	/* as ctid's LOGIN (CTI_WIRE_USER_MAX) */
#define WEB_PASSWORD_MAX 256
#define WEB_MSG_MAX	160

struct web_config {
	const char *listen_addr;	/* IPv4 address to bind, or NULL: any */
	unsigned int port;
	const char *cert_file, *key_file;	/* the HTTPS certificate */
	const char *ctid_uri;		/* tls://host:port?ca=FILE[&servername=] */
	const char *static_dir;		/* index.html, app.js, style.css */
	const char *run_dir;		/* private: login password files */
	unsigned int max_sessions;	/* web logins at once */
	unsigned int idle_s;		/* a login unused this long ends */
};

/* ---- board.c: one session's view ---- */

struct board_call {
	uint32_t line, call;
	uint32_t state, reason;
	char caller[CTI_NUMBER_MAX], called[CTI_NUMBER_MAX];
	char caller_name[CTI_NAME_MAX], called_name[CTI_NAME_MAX];
	uint64_t since_ms;		/* first seen, CLOCK_REALTIME */
	uint64_t state_ms;		/* entered its state */
	uint64_t ended_ms;		/* 0 while live */
};

struct board_agent {
	uint32_t line;
	uint32_t state, reason;
	char groups[128];
};

struct board_provider {
	char name[32];
	bool up;
	uint32_t lines;
	uint32_t link;			/* CTI_PROVIDER_LINK_* or 0 */
};

/* A call's state change, for the page's event log. */
struct board_event {
	uint64_t at_ms;
	uint32_t line, call, state, reason;
};

#define BOARD_LOG	64
#define BOARD_CALLS	256
#define BOARD_RECENT	32
#define BOARD_AGENTS	256
#define BOARD_PROVIDERS	32
#define BOARD_SESSIONS	64

/* One of ctid's sessions (CTI_MSG_SESSION), for the sessions panel. */
struct board_session {
	uint64_t id, since_ms;
	uint32_t lines_open;
	bool attached, admin;
	char user[32], peer[64], client[32];
};

/*
 * ctid's sessions as last listed. A listing arrives as CTI_MSG_SESSIONs
 * then its REPLY: they gather in @pending and replace @v at the REPLY, so
 * the panel never shows half a list. @err: 0, ctid's refusal (-EACCES
 * for a non-admin), or 1 before the first answer.
 */
struct board_sessions {
	struct board_session v[BOARD_SESSIONS], pending[BOARD_SESSIONS];
	size_t n, npending;
	uint64_t req;			/* the LIST_SESSIONS being answered */
	uint64_t asked_ms;
	int err;
};

struct board {
	struct board_call calls[BOARD_CALLS];
	size_t ncalls;
	struct board_call recent[BOARD_RECENT];	/* a ring, newest last */
	size_t nrecent, recent_head;
	struct board_agent agents[BOARD_AGENTS];
	size_t nagents;
	struct board_provider providers[BOARD_PROVIDERS];
	size_t nproviders;
	struct board_event log[BOARD_LOG];	/* a ring, newest last */
	size_t nlog, log_head;
	uint64_t providers_req;		/* the LIST_PROVIDERS being answered */
	struct board_sessions sessions;
	uint64_t version;		/* bumped on every change */
};

/* A message of @s: update @b; returns true if the board changed. */
bool board_apply(struct board *b, struct cti_session *s, struct cti_msg *msg);
/* The board as JSON (lines read from @s); the caller puts it. */
struct json_object *board_json(const struct board *b, struct cti_session *s);
/* A call of the board, or NULL. */
const struct board_call *board_find_call(const struct board *b, uint32_t line,
					 uint32_t call);
uint64_t web_now_ms(void);

/* ---- sessions.c: ctid's sessions, for the panel ---- */

/* A CTI_MSG_SESSION or REPLY of a listing: true if the panel changed. */
bool sessions_apply(struct board_sessions *ss, struct cti_msg *msg);
/*
 * Ask ctid for its sessions again if @force or the last listing is
 * @every_ms old (not again after a refusal); caller holds the lock.
 */
void sessions_refresh(struct board_sessions *ss, struct cti_session *s, bool force,
		      uint64_t every_ms);
/* {"sessions": [...]} or {"sessions_error": why} into @o. */
void sessions_json(const struct board_sessions *ss, struct json_object *o);

/* ---- websess.c: web logins ---- */

struct websess {
	char token[WEB_TOKEN_HEX + 1];
	char user[WEB_USER_MAX];
	char peer[64];			/* the browser's address */
	uint64_t since_ms;
	uint64_t used_ms;		/* last request, for the idle end */
	bool admin;
	unsigned int refs;		/* the table's, and each request's */
	bool dead;			/* logged out or ctid went away */
	pthread_mutex_t lock;		/* the libcti session and the board */
	pthread_cond_t changed;		/* board.version moved, or dead */
	struct cti_session *cs;
	struct board board;
	pthread_t thread;
	int stop_pipe[2];		/* wakes the reader to end */
};

int websess_init(const struct web_config *cfg);
void websess_shutdown(void);
/*
 * Log @user in to ctid with @password; 0 with *@out (a reference) or a
 * negative errno (-EACCES wrong user or password, -EAGAIN too many tries,
 * -EUSERS too many web logins, others: ctid unreachable), @msg says why.
 */
int websess_login(const char *user, const char *password, const char *peer,
		  struct websess **out, char *msg, size_t msglen);
/* The live session of @token, with a reference; NULL if none. */
struct websess *websess_get(const char *token);
void websess_put(struct websess *ws);
/* An open event stream is use: the login does not end as idle. */
void websess_touch(struct websess *ws);
/* End it (logout): the ctid session is closed. */
void websess_logout(struct websess *ws);
/* Logins idle past the limit end (called now and then). */
void websess_reap(void);
/* The web logins for the sessions panel: an array (table lock inside). */
struct json_object *websess_list_json(void);
unsigned int websess_count(void);

/* ---- limit.c: failed logins per browser address ---- */

/*
 * Whether @peer may try to log in now (false: too many failures lately).
 * ctid limits failures per user and per address, but every console login
 * reaches ctid from ctiweb's one address: without a limit per browser
 * here, one browser guessing passwords would lock everybody out.
 */
bool limit_may_try(const char *peer);
void limit_failed(const char *peer);

/* ---- actions.c: admin actions through ctid ---- */

/*
 * Run action @name with @args for @ws: 0, or a negative errno with @msg
 * (ctid's refusal, a bad argument, or -ENOSYS: not wired to this ctid).
 */
int action_run(struct websess *ws, const char *name, struct json_object *args,
	       char *msg, size_t msglen);
/* [{name, label, available}] for the browser's buttons. */
struct json_object *action_list_json(void);

/* ---- metrics.c ---- */

/*
 * The Prometheus text of the ctid seen with @user/@password (an admin):
 * 0 with *@text (malloc'd), or a negative errno (-EACCES: refused).
 */
int metrics_render(const char *user, const char *password, char **text,
		   char *msg, size_t msglen);
void metrics_shutdown(void);

/* ---- login.c: a libcti session with a web user's own password ---- */

int ctid_open(const char *user, const char *password, struct cti_session **out,
	      char *msg, size_t msglen);
void ctid_set_config(const struct web_config *cfg);

/* ---- http.c ---- */

int http_start(const struct web_config *cfg);
void http_stop(void);

#endif
