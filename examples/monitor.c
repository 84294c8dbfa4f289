// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * monitor.c - watch every line you may see, with a message callback
 *
 * dial.c pulls messages with cti_session_next_msg(); this one lets libcti
 * call a function for each (cti_session_dispatch()), the style that fits
 * an existing event loop. Lines are opened as MONITOR: it sees every call
 * but cannot control any. It keeps running across ctid restarts: libcti
 * reconnects, and says whether it resumed without loss or resynced.
 *
 *	build/examples/monitor            # until Ctrl-C
 *	build/examples/monitor -n 20      # stop after 20 messages
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cti.h>

static volatile sig_atomic_t stop;
static long left = -1;	/* messages still to print; -1: no limit */

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_msg(struct cti_session *s, struct cti_msg *msg, void *data)
{
	struct cti_line *line = cti_msg_get_line(msg);
	enum cti_msg_type type = cti_msg_get_type(msg);

	(void)data;
	printf("%6llu %-8s %-14s", (unsigned long long)cti_msg_get_seq(msg),
	       line ? cti_line_get_name(line) : "-", cti_msg_type_name(type));
	switch (type) {
	case CTI_MSG_CALL_STATE:
	case CTI_MSG_CALL:
		printf(" call %u %s", cti_msg_get_call(msg),
		       cti_call_state_name(cti_msg_get_state(msg)));
		break;
	case CTI_MSG_CALL_INFO:
		printf(" call %u %s -> %s", cti_msg_get_call(msg),
		       cti_msg_get_caller(msg), cti_msg_get_called(msg));
		break;
	case CTI_MSG_DISCONNECTED:
		printf(" (%s), reconnecting", strerror(-cti_msg_get_error(msg)));
		break;
	case CTI_MSG_RESYNC:
		printf(" events were lost: fresh state follows");
		break;
	case CTI_MSG_LINE_ADDED: {
		uint64_t req;

		/* a line that appears is watched too */
		if (line && cti_line_may_open(line, CTI_PRIV_MONITOR))
			cti_line_open(line, CTI_PRIV_MONITOR, &req);
		break;
	}
	default:
		break;
	}
	printf("\n");
	fflush(stdout);
	if (left > 0 && --left == 0)
		stop = 1;
	(void)s;
}

int main(int argc, char **argv)
{
	struct cti_session *s;
	size_t watched = 0;
	int opt, err;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n') {
			fprintf(stderr, "usage: monitor [-n COUNT]\n");
			return 2;
		}
		left = atol(optarg);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	err = cti_session_open(NULL, NULL, &s);
	if (err) {
		fprintf(stderr, "monitor: cannot reach ctid: %s\n",
			strerror(-err));
		return 1;
	}
	for (size_t i = 0; i < cti_session_get_num_lines(s); i++) {
		struct cti_line *line = cti_session_get_line(s, i);
		uint64_t req;

		if (!cti_line_may_open(line, CTI_PRIV_MONITOR))
			continue;
		err = cti_line_open(line, CTI_PRIV_MONITOR, &req);
		if (!err)
			err = cti_session_wait_reply(s, req, 2000, NULL);
		if (err)
			fprintf(stderr, "monitor: %s: %s\n",
				cti_line_get_name(line), strerror(-err));
		else
			watched++;
	}
	printf("watching %zu lines; Ctrl-C stops\n", watched);
	fflush(stdout);

	cti_session_set_callback(s, on_msg, NULL);
	while (!stop) {
		struct pollfd pfd = { .fd = cti_session_get_fd(s),
				      .events = POLLIN };

		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			break;
		err = cti_session_dispatch(s);
		if (err < 0) {
			fprintf(stderr, "monitor: %s\n", strerror(-err));
			break;
		}
	}
	cti_session_close(s);
	return 0;
}
