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
#include "event.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
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
			enum cti_msg_type type = cti_msg_get_type(msg);

			/* replies belong to our own requests, not events */
			if (type != CTI_MSG_REPLY) {
				ctl_print_event(ctl, msg);
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
