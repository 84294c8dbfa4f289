// SPDX-License-Identifier: GPL-2.0
/*
 * ctid logging. stderr in the foreground (one line per message with the
 * level), syslog when running as a service.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"


static const char *const level_names[] = {
	[LOG_LVL_ERR] = "error",
	[LOG_LVL_WARN] = "warn",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

static const int syslog_prio[] = {
	[LOG_LVL_ERR] = LOG_ERR,
	[LOG_LVL_WARN] = LOG_WARNING,
	[LOG_LVL_INFO] = LOG_INFO,
	[LOG_LVL_DEBUG] = LOG_DEBUG,
};

void log_init(struct log_state *lg, const char *ident, bool use_syslog)
{
	lg->to_syslog = use_syslog;
	lg->level = LOG_LVL_INFO;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_level(struct log_state *lg, enum log_level level)
{
	lg->level = level;
}

enum log_level log_get_level(const struct log_state *lg)
{
	return lg->level;
}

int log_level_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (!strcmp(s, level_names[i]))
			return (int)i;
	return -1;
}

/*
 * While ctid starts, errors also go to stderr when logging to syslog: the
 * one who started it must see why it did not start (the detaching parent
 * waits on the child, whose stderr is still the terminal).
 */
void log_set_startup(struct log_state *lg, bool starting)
{
	lg->startup = starting;
}

static void log_v(const struct log_state *lg, enum log_level level, const char *fmt, va_list ap)
{
	if (level > lg->level)
		return;
	if (lg->to_syslog) {
		va_list copy;

		va_copy(copy, ap);
		vsyslog(syslog_prio[level], fmt, copy);
		va_end(copy);
		if (!lg->startup || level != LOG_LVL_ERR)
			return;
	}
	fprintf(stderr, "ctid: %s: ", level_names[level]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_msg(struct log_state *lg, enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(lg, level, fmt, ap);
	va_end(ap);
}

/*
 * A token bucket of 10 messages refilled once per second: enough to see
 * what a bad client does, too little for it to fill the disk.
 */
void log_rl(struct log_state *lg, enum log_level level, const char *fmt, ...)
{
	struct timespec now;
	va_list ap;

	if (level > lg->level)
		return;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if (now.tv_sec != lg->rl_window) {
		if (lg->rl_suppressed)
			log_msg(lg, LOG_LVL_WARN, "%lu messages suppressed", lg->rl_suppressed);
		lg->rl_window = now.tv_sec;
		lg->rl_budget = 10;
		lg->rl_suppressed = 0;
	}
	if (!lg->rl_budget) {
		lg->rl_suppressed++;
		return;
	}
	lg->rl_budget--;
	va_start(ap, fmt);
	log_v(lg, level, fmt, ap);
	va_end(ap);
}
