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
extern const struct ctl_cmd ctl_monitor_cmds[];
extern const struct ctl_cmd ctl_passwd_cmds[];
extern const struct ctl_cmd ctl_card_cmds[];
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

/* The session; each returns 0 or an exit status after saying why. */
int ctl_connect(struct ctl *ctl);
int ctl_find_line(struct ctl *ctl, const char *arg, struct cti_line **linep);
int ctl_open_line(struct ctl *ctl, struct cti_line *line,
		  enum cti_privilege priv);
int ctl_open_all(struct ctl *ctl, enum cti_privilege priv);
/*
 * ctl_wait() - wait for the REPLY of the request whose sending returned
 * @err; @req is read only after the call that set it, which may be another
 * argument of the same call.
 */
int ctl_wait(struct ctl *ctl, int err, const uint64_t *req, uint32_t *call,
	     const char *what);

/* Names for printing. */
const char *ctl_line_status_name(uint32_t status);
const char *ctl_forward_name(uint32_t mode);
const char *ctl_origin_name(uint32_t origin);
const char *ctl_errno_name(int err);

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
 * JSON for programs: a writer that places commas and escapes strings. @key
 * is NULL inside arrays and at the top.
 */
#define JSON_MAX_DEPTH 16
struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
void json_begin(struct json *j, const char *key, char open);
void json_end(struct json *j, char close);
void json_str(struct json *j, const char *key, const char *val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_int(struct json *j, const char *key, int64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_finish(struct json *j);	/* newline and flush */

#endif /* CTICTL_COMMON_H */
