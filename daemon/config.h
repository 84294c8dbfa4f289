/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctid configuration: one INI file (see ctid.conf.example), parsed with
 * Debian's libinih and validated here with file:line error messages.
 */
#ifndef CTID_CONFIG_H
#define CTID_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "acl.h"
#include "config_tls.h"

/* ACL sections ([user]/[group]) are bits of a u64 mask: see acl.h. */
#define CFG_MAX_ACL	64
#define CFG_MAX_PROVIDERS 64

struct cfg_param {
	char *key;
	char *value;
	int lineno;
};

struct cfg_provider {
	char *name;		/* instance name, [provider NAME] */
	char *so;		/* module: a bare name or an absolute path */
	bool optional;		/* start without it if it does not load */
	int lineno;
	struct cfg_param *params;
	size_t nparams;
};

struct cfg_acl {
	char *name;		/* user or group name */
	bool is_group;
	bool admin;
	int lineno;
	struct line_spec *lines;	/* owner (and monitor) access */
	struct line_spec *monitor;	/* monitor-only access */
	struct line_spec *pickup;	/* ringing calls it may pick up */
	char *members;		/* [group]: remote users in it, "a,b,c" */
	bool removed;		/* state file: the section is taken away */
};

/* Whether @name is listed in the members of [group] @a. */
bool cfg_acl_has_member(const struct cfg_acl *a, const char *name);

struct config {
	const char *file;	/* for messages */
	/* [server] */
	char *socket_path;
	mode_t socket_mode;
	char *socket_group;
	int log_level;
	bool log_syslog;
	bool log_syslog_set;
	uint32_t replay_log;	/* events kept for resume, in all */
	uint32_t queue_limit;	/* bytes queued per client before a gap */
	uint32_t max_clients;
	uint32_t request_timeout;	/* seconds a provider may take */
	uint32_t max_requests;		/* per session at providers at once */
	uint32_t max_bad_frames;	/* per connection before a close */
	uint32_t max_detached;		/* detached resumable sessions, in all */
	uint32_t max_detached_per_user;	/* ... of one uid */
	char *provider_dir;	/* extra directory searched for modules */
	char *state_path;	/* live changes of users and groups (state.c) */
	char *audit_path;	/* one line per administration request */
	struct cfg_tls tls;	/* the TCP listener with TLS (config_tls.h) */

	struct cfg_provider providers[CFG_MAX_PROVIDERS];
	size_t nproviders;
	struct cfg_acl acls[CFG_MAX_ACL];
	size_t nacls;
};

/*
 * Error sink: every validation error is reported as "file:line: message"
 * through this callback, then parsing continues so that the administrator
 * sees all errors at once.
 */
typedef void (*cfg_error_fn)(void *arg, const char *msg);

/* Returns the configuration, or NULL after reporting at least one error. */
struct config *config_load_file(const char *path, cfg_error_fn err, void *arg);
struct config *config_load_string(const char *name, const char *text,
				  cfg_error_fn err, void *arg);
/*
 * The state file (state.c): [user]/[group] sections only, which may grant
 * nothing and may say "removed = yes". NULL after reporting errors.
 */
struct config *config_load_state(const char *path, cfg_error_fn err, void *arg);
void config_free(struct config *cfg);
/*
 * The [user]/[group] sections of @src replace those of @dst (SIGHUP:
 * only the access rules change while ctid runs); @src keeps none.
 */
void config_take_acls(struct config *dst, struct config *src);
/* The @n sections at @v become @dst's (moved: the caller forgets them). */
void config_set_acls(struct config *dst, struct cfg_acl *v, size_t n);

/*
 * The embedded default: the sim provider with 8 lines, a socket at
 * @socket_path, user @user allowed on every line and admin.
 */
char *config_default_text(const char *socket_path, const char *user);

/* Prints the effective configuration, for `ctid --check-config -v`. */
void config_dump(const struct config *cfg, FILE *f);

#endif
