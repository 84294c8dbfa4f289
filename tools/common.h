/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * common.h - what every ctictl command shares: the session, argument
 * checks, error printing, and table and JSON output
 */
#ifndef CTICTL_COMMON_H
#define CTICTL_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cti.h>

#define CTICTL_VERSION "0.1"

/* How long one request may take before ctictl gives up on it. */
#define CTL_TIMEOUT_MS 5000

/* Exit statuses: 0 done, 1 the request failed, 2 a usage error. */
#define EXIT_USAGE 2

/**
 * struct ctl - one run of ctictl
 * @uri: the -u argument, or NULL for $CTI_URI or the default
 * @json: print JSON instead of tables
 * @session: the session, once ctl_connect() opened it
 */
struct ctl {
	const char *uri;
	bool json;
	struct cti_session *session;
};

/* A command: argv[0] is its name; returns the exit status. */
struct ctl_cmd {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(struct ctl *ctl, int argc, char **argv);
};

extern const struct ctl_cmd ctl_info_cmds[];
extern const struct ctl_cmd ctl_admin_cmds[];
extern const struct ctl_cmd ctl_call_cmds[];
extern const struct ctl_cmd ctl_line_cmds[];
extern const struct ctl_cmd ctl_agent_cmds[];
extern const struct ctl_cmd ctl_monitor_cmds[];
extern const struct ctl_cmd ctl_passwd_cmds[];
extern const struct ctl_cmd ctl_card_cmds[];
extern const struct ctl_cmd ctl_phone_cmds[];
extern const struct ctl_cmd ctl_users_cmds[];
/* `ctictl reload`: ctid's whole configuration (cmd_users.c). */
int ctl_admin_reload(struct ctl *ctl, int argc, char **argv);

/* Errors: each prints one line on stderr and returns the exit status. */
int ctl_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ctl_fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ctl_check_argc(int argc, int min, int max, const char *cmd,
		   const char *args);

/* Arguments; each returns 0 or EXIT_USAGE after saying what is wrong. */
int ctl_parse_u32(const char *arg, const char *what, uint32_t *val);
int ctl_parse_call(const char *arg, uint32_t *call);
int ctl_parse_number(const char *arg);
/*
 * ctl_parse_name() - @arg as the index of its name in @names (@n of them,
 * NULL entries skipped); the usage error lists the names.
 */
int ctl_parse_name(const char *arg, const char *what,
		   const char *const *names, size_t n, uint32_t *val);

/* The session; each returns 0 or an exit status after saying why. */
int ctl_connect(struct ctl *ctl);
int ctl_find_line(struct ctl *ctl, const char *arg, struct cti_line **linep);
int ctl_open_line(struct ctl *ctl, struct cti_line *line,
		  enum cti_privilege priv);
int ctl_open_all(struct ctl *ctl, enum cti_privilege priv);
/* Connect, find line @arg and open it as owner. */
int ctl_owner_line(struct ctl *ctl, const char *arg, struct cti_line **linep);
/*
 * ctl_wait() - wait for the REPLY of the request whose sending returned
 * @err; @req is read only after the call that set it, which may be another
 * argument of the same call.
 */
int ctl_wait(struct ctl *ctl, int err, const uint64_t *req, uint32_t *call,
	     const char *what);

/*
 * ctl_done() - say that @cmd succeeded: "CMD: ok", or "call N" when it
 * made call @call; {"result":"ok"[,"call":N]} with --json. Returns 0.
 */
int ctl_done(struct ctl *ctl, const char *cmd, uint32_t call);

/* Names for printing. */
const char *ctl_line_status_name(uint32_t status);
const char *ctl_forward_name(uint32_t mode);
const char *ctl_origin_name(uint32_t origin);
const char *ctl_errno_name(int err);
/*
 * The number a call was forwarded or deflected from: a call that arrives
 * with @offer_reason FORWARD or REDIRECT keeps the number the caller
 * dialled as @called (doc/protocol.md, ev_call_info); "" for any other.
 */
const char *ctl_forwarded_from(uint32_t offer_reason, const char *called);

/*
 * Tables for people: cells are copied; every column is as wide as its
 * widest cell and the last one is not padded.
 */
struct table;
struct table *table_new(size_t ncols, const char *const *headers);
void table_add(struct table *t, ...);	/* exactly ncols strings */
void table_print(struct table *t, FILE *f);
void table_free(struct table *t);

/*
 * JSON for programs (json.c, over json-c): items go into one document,
 * which json_finish() prints on one line. @key names an item inside an
 * object and is NULL inside arrays and at the top; @open and @close are
 * '{' '}' or '[' ']'.
 */
#define JSON_MAX_DEPTH 16
struct json_object;
struct json {
	FILE *f;
	int depth;			/* containers open */
	struct json_object *root;	/* the document, until printed */
	struct json_object *stack[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
void json_begin(struct json *j, const char *key, char open);
void json_end(struct json *j, char close);
void json_str(struct json *j, const char *key, const char *val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_int(struct json *j, const char *key, int64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_finish(struct json *j);	/* print, newline, flush */

/**
 * struct ctl_list - where ctl_list_print() has an item printed
 * @ctl: the run (ctl->json: into @j, else a row of @t)
 * @j: the JSON array being written
 * @t: the table being filled
 */
struct ctl_list {
	struct ctl *ctl;
	struct json j;
	struct table *t;
};

/**
 * ctl_list_print() - print the items of list request @req (whose REPLY
 * came): each message of @type tagged @req is handed to @fn, which adds
 * a JSON object to @l->j or a row of @ncols cells to @l->t.
 * @headers: the table's column names
 *
 * Returns 0.
 */
int ctl_list_print(struct ctl *ctl, uint64_t req, enum cti_msg_type type,
		   void (*fn)(struct ctl_list *l, struct cti_msg *msg),
		   size_t ncols, const char *const *headers);

#endif /* CTICTL_COMMON_H */
