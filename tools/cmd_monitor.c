// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_monitor.c - watch lines: open them as monitor and print every event
 * until Ctrl-C or -n COUNT events
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_json(struct cti_msg *msg, const char *line)
{
	enum cti_msg_type type = cti_msg_get_type(msg);
	struct json j;

	json_init(&j, stdout);
	json_begin(&j, NULL, '{');
	json_uint(&j, "seq", cti_msg_get_seq(msg));
	json_uint(&j, "time_ns", cti_msg_get_timestamp_ns(msg));
	json_str(&j, "line", line);
	json_str(&j, "type", cti_msg_type_name(type));
	switch (type) {
	case CTI_MSG_CALL_STATE:
		json_uint(&j, "call", cti_msg_get_call(msg));
		json_str(&j, "state",
			 cti_call_state_name(cti_msg_get_state(msg)));
		json_str(&j, "reason",
			 cti_call_reason_name(cti_msg_get_state(msg),
					      cti_msg_get_reason(msg)));
		json_uint(&j, "related_call", cti_msg_get_related_call(msg));
		break;
	case CTI_MSG_CALL_INFO:
		json_uint(&j, "call", cti_msg_get_call(msg));
		json_str(&j, "origin",
			 ctl_origin_name(cti_msg_get_origin(msg)));
		json_str(&j, "caller", cti_msg_get_caller(msg));
		json_str(&j, "caller_name", cti_msg_get_caller_name(msg));
		json_str(&j, "called", cti_msg_get_called(msg));
		json_str(&j, "called_name", cti_msg_get_called_name(msg));
		break;
	case CTI_MSG_LINE_STATUS:
		json_str(&j, "status",
			 ctl_line_status_name(cti_msg_get_state(msg)));
		break;
	case CTI_MSG_DISCONNECTED:
	case CTI_MSG_PROVIDER_STATE:
		json_int(&j, "error", cti_msg_get_error(msg));
		/* fall through */
	default:
		json_uint(&j, "call", cti_msg_get_call(msg));
		json_uint(&j, "state", cti_msg_get_state(msg));
		json_uint(&j, "arg", cti_msg_get_arg(msg));
		json_str(&j, "text", cti_msg_get_text(msg));
		break;
	}
	json_end(&j, '}');
	json_finish(&j);
}

static void print_text(struct cti_msg *msg, const char *line)
{
	enum cti_msg_type type = cti_msg_get_type(msg);

	printf("%-8" PRIu64 " %-10s %-14s", cti_msg_get_seq(msg), line,
	       cti_msg_type_name(type));
	switch (type) {
	case CTI_MSG_CALL_STATE:
		printf(" call %" PRIu32 " %s", cti_msg_get_call(msg),
		       cti_call_state_name(cti_msg_get_state(msg)));
		if (*cti_call_reason_name(cti_msg_get_state(msg),
					  cti_msg_get_reason(msg)))
			printf(" (%s)", cti_call_reason_name(
					cti_msg_get_state(msg),
					cti_msg_get_reason(msg)));
		break;
	case CTI_MSG_CALL_INFO:
		printf(" call %" PRIu32 " %s from %s to %s",
		       cti_msg_get_call(msg),
		       ctl_origin_name(cti_msg_get_origin(msg)),
		       *cti_msg_get_caller(msg) ? cti_msg_get_caller(msg) : "-",
		       *cti_msg_get_called(msg) ? cti_msg_get_called(msg) : "-");
		break;
	case CTI_MSG_LINE_STATUS:
		printf(" %s", ctl_line_status_name(cti_msg_get_state(msg)));
		break;
	case CTI_MSG_DIGITS:
		printf(" call %" PRIu32 " %s", cti_msg_get_call(msg),
		       cti_msg_get_text(msg));
		break;
	case CTI_MSG_DISCONNECTED:
		printf(" %s", strerror(-cti_msg_get_error(msg)));
		break;
	default:
		if (*cti_msg_get_text(msg))
			printf(" %s", cti_msg_get_text(msg));
		break;
	}
	putchar('\n');
	fflush(stdout);
}

static int cmd_monitor(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ }
	};
	struct sigaction sa = { .sa_handler = on_signal };
	uint32_t count = 0, seen = 0;
	struct cti_msg *msg;
	int opt, ret, i;

	optind = 0;	/* glibc: start a fresh scan of the command's argv */
	while ((opt = getopt_long(argc, argv, "+n:", opts, NULL)) != -1) {
		if (opt != 'n')
			return ctl_usage("monitor: usage: monitor [-n COUNT] "
					 "[LINE...]");
		ret = ctl_parse_u32(optarg, "count", &count);
		if (ret)
			return ret;
		if (!count)
			return ctl_usage("bad count '0': at least 1");
	}
	ret = ctl_connect(ctl);
	if (ret)
		return ret;
	/* check every name before opening any line */
	for (i = optind; i < argc; i++) {
		struct cti_line *line;

		ret = ctl_find_line(ctl, argv[i], &line);
		if (ret)
			return ret;
	}
	for (i = optind; i < argc; i++) {
		struct cti_line *line;

		ctl_find_line(ctl, argv[i], &line);
		ret = ctl_open_line(ctl, line, CTI_PRIV_MONITOR);
		if (ret)
			return ret;
	}
	if (optind == argc) {
		ret = ctl_open_all(ctl, CTI_PRIV_MONITOR);
		if (ret)
			return ret;
	}
	/* no SA_RESTART: the wait returns -EINTR and the loop ends */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* on stderr, so that scripts know the lines are open */
	fprintf(stderr, "ctictl: monitoring; Ctrl-C stops\n");
	if (!ctl->json) {
		printf("%-8s %-10s %-14s %s\n", "SEQ", "LINE", "EVENT",
		       "DETAILS");
		fflush(stdout);
	}
	while (!stop && (!count || seen < count)) {
		ret = cti_session_wait(ctl->session, -1);
		if (ret == -EINTR)
			continue;
		if (ret < 0)
			return ctl_fail(ret, "monitor");
		while ((!count || seen < count) &&
		       cti_session_next_msg(ctl->session, &msg) > 0) {
			struct cti_line *line = cti_msg_get_line(msg);
			const char *name = line ? cti_line_get_name(line) : "-";
			enum cti_msg_type type = cti_msg_get_type(msg);

			/* replies belong to our own requests, not events */
			if (type != CTI_MSG_REPLY) {
				if (ctl->json)
					print_json(msg, name);
				else
					print_text(msg, name);
				seen++;
			}
			cti_msg_free(msg);
			if (type == CTI_MSG_DISCONNECTED)
				return EXIT_FAILURE;
		}
	}
	return 0;
}

const struct ctl_cmd ctl_monitor_cmds[] = {
	{ "monitor", "[-n COUNT] [LINE...]",
	  "print the events of lines (all by default)", cmd_monitor },
	{ }
};
