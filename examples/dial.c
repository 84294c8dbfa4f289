// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dial.c - libcti in five minutes
 *
 * Line A dials line B, B answers, B transfers the caller to line C without
 * consultation (blind transfer), C answers, A hangs up. Every message
 * libcti delivers is printed, so you see the calls move through their
 * states on all three lines.
 *
 *	make run                      # in one terminal: ctid with 8 sim lines
 *	export CTI_URI=unix:...       # what make run printed
 *	build/examples/dial           # or: dial A B C (names or numbers)
 *
 * The pattern of every libcti program: open a session, open lines, send
 * requests (each returns a request id at once), then poll the session's fd
 * and take messages until the work is done.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cti.h>

static void print_msg(struct cti_msg *msg)
{
	struct cti_line *line = cti_msg_get_line(msg);

	printf("%-8s %-12s", line ? cti_line_get_name(line) : "-",
	       cti_msg_type_name(cti_msg_get_type(msg)));
	switch (cti_msg_get_type(msg)) {
	case CTI_MSG_REPLY:
		printf(" request %llu: %s", (unsigned long long)
		       cti_msg_get_request(msg),
		       cti_msg_get_error(msg) ?
		       strerror(-cti_msg_get_error(msg)) : "ok");
		if (cti_msg_get_call(msg))
			printf(", call %u", cti_msg_get_call(msg));
		break;
	case CTI_MSG_CALL_STATE:
		printf(" call %u %s", cti_msg_get_call(msg),
		       cti_call_state_name(cti_msg_get_state(msg)));
		if (cti_msg_get_state(msg) == CTI_CALL_DISCONNECTED ||
		    cti_msg_get_state(msg) == CTI_CALL_IDLE)
			printf(" (%s)", cti_disconnect_reason_name(
					cti_msg_get_reason(msg)));
		break;
	case CTI_MSG_CALL_INFO:
		printf(" call %u from %s to %s", cti_msg_get_call(msg),
		       cti_msg_get_caller(msg), cti_msg_get_called(msg));
		break;
	case CTI_MSG_LINE_STATUS:
		if (line)
			printf(" %u call(s)", cti_line_get_num_calls(line));
		break;
	default:
		break;
	}
	printf("\n");
}

/* Open @line as owner (owners control calls; monitors only watch). */
static void open_owner(struct cti_session *s, struct cti_line *line)
{
	uint64_t req;
	int err;

	/* every request is asynchronous; wait_reply makes it blocking */
	err = cti_line_open(line, CTI_PRIV_OWNER, &req);
	if (!err)
		err = cti_session_wait_reply(s, req, 2000, NULL);
	if (err) {
		fprintf(stderr, "dial: open %s: %s\n", cti_line_get_name(line),
			strerror(-err));
		exit(1);
	}
}

static struct cti_line *line_arg(struct cti_session *s, int argc,
				 char **argv, int i)
{
	struct cti_line *line = NULL;

	if (argc > i + 1) {
		if (cti_session_find_line(s, argv[i + 1], &line) == 0)
			return line;
		fprintf(stderr, "dial: no line %s\n", argv[i + 1]);
		exit(1);
	}
	line = cti_session_get_line(s, (size_t)i);
	if (!line) {
		fprintf(stderr, "dial: ctid shows fewer than 3 lines\n");
		exit(1);
	}
	return line;
}

int main(int argc, char **argv)
{
	struct cti_line *a, *b, *c;
	struct cti_session *s;
	struct cti_msg *msg;
	uint32_t a_call = 0;	/* the call on A, for the final hang-up */
	int idle = 0;		/* A and C back to IDLE: done */
	uint64_t req;
	int err;

	/* NULL: $CTI_URI, else unix:/run/ctid/ctid.sock */
	err = cti_session_open(NULL, NULL, &s);
	if (err) {
		fprintf(stderr, "dial: cannot reach ctid: %s\n", strerror(-err));
		return 1;
	}
	a = line_arg(s, argc, argv, 0);
	b = line_arg(s, argc, argv, 1);
	c = line_arg(s, argc, argv, 2);
	printf("A=%s (%s) B=%s (%s) C=%s (%s)\n",
	       cti_line_get_name(a), cti_line_get_address(a, 0),
	       cti_line_get_name(b), cti_line_get_address(b, 0),
	       cti_line_get_name(c), cti_line_get_address(c, 0));

	open_owner(s, a);
	open_owner(s, b);
	open_owner(s, c);

	err = cti_line_make_call(a, cti_line_get_address(b, 0), &req);
	if (err) {
		fprintf(stderr, "dial: make call: %s\n", strerror(-err));
		return 1;
	}

	/* The program's own loop: poll the fd, then drain the messages. */
	while (idle < 2) {
		struct pollfd pfd = { .fd = cti_session_get_fd(s),
				      .events = POLLIN };

		if (poll(&pfd, 1, 5000) == 0) {
			fprintf(stderr, "dial: nothing happened for 5 s\n");
			return 1;
		}
		while (cti_session_next_msg(s, &msg) > 0) {
			struct cti_line *line = cti_msg_get_line(msg);
			uint32_t call = cti_msg_get_call(msg);
			uint32_t state = cti_msg_get_state(msg);

			print_msg(msg);
			if (cti_msg_get_type(msg) == CTI_MSG_REPLY &&
			    cti_msg_get_error(msg)) {
				fprintf(stderr, "dial: request failed\n");
				return 1;
			}
			if (cti_msg_get_type(msg) != CTI_MSG_CALL_STATE) {
				cti_msg_free(msg);
				continue;
			}
			if (line == a && state != CTI_CALL_IDLE)
				a_call = call;
			/* B rings: answer. B talks: hand the caller to C. */
			if (line == b && state == CTI_CALL_OFFERING)
				cti_line_answer_call(b, call, &req);
			if (line == b && state == CTI_CALL_CONNECTED)
				cti_line_blind_transfer(b, call,
					cti_line_get_address(c, 0), &req);
			/* C rings: answer. C talks: A hangs up. */
			if (line == c && state == CTI_CALL_OFFERING)
				cti_line_answer_call(c, call, &req);
			if (line == c && state == CTI_CALL_CONNECTED)
				cti_line_drop_call(a, a_call, &req);
			/* The far end hung up: as in TAPI, a DISCONNECTED
			 * call stays until its owner drops it too. */
			if (state == CTI_CALL_DISCONNECTED)
				cti_line_drop_call(line, call, &req);
			/* Done when the call has gone from A and from C. */
			if (state == CTI_CALL_IDLE && (line == a || line == c))
				idle++;
			cti_msg_free(msg);
		}
	}
	cti_session_close(s);
	return 0;
}
