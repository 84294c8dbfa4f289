/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctid logging: one call, levels, stderr or syslog.
 *
 * Messages a client can trigger go through log_rl(), which rate-limits them
 * so that a misbehaving client cannot flood the log.
 */
#ifndef CTID_LOG_H
#define CTID_LOG_H

#include <stdbool.h>
#include <time.h>

enum log_level {
	LOG_LVL_ERR = 0,
	LOG_LVL_WARN = 1,
	LOG_LVL_INFO = 2,
	LOG_LVL_DEBUG = 3,
};

/*
 * log.c's state, in the context (ctid.h), passed to every call: log.c keeps
 * nothing of its own. Level 0 is LOG_LVL_ERR.
 */
struct log_state {
	enum log_level level;		/* set by log_init() and log_set_level() */
	bool to_syslog;
	bool startup;			/* errors also to stderr, see log.c */
	long rl_window;			/* log_rl()'s token bucket */
	unsigned int rl_budget;
	unsigned long rl_suppressed;
};

void log_init(struct log_state *lg, const char *ident, bool use_syslog);
void log_set_level(struct log_state *lg, enum log_level level);
void log_set_startup(struct log_state *lg, bool starting);
enum log_level log_get_level(const struct log_state *lg);
/* Parses "error", "warn", "info", "debug"; returns -1 on anything else. */
int log_level_parse(const char *s);

void log_msg(struct log_state *lg, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* As log_msg, but at most a few messages per second get through. */
void log_rl(struct log_state *lg, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* @lg: the context's log state (ctid.h), never a global of log.c */
#define log_err(lg, ...)	log_msg(lg, LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(lg, ...)	log_msg(lg, LOG_LVL_WARN, __VA_ARGS__)
#define log_info(lg, ...)	log_msg(lg, LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(lg, ...)	do { if (log_get_level(lg) >= LOG_LVL_DEBUG) \
		log_msg(lg, LOG_LVL_DEBUG, __VA_ARGS__); } while (0)

#endif
