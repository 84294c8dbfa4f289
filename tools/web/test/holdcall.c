// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * holdcall - a call that stays up until told: line A calls line B and B
 * answers; then it waits for its standard input to close, drops the call
 * and exits. The console test (check-web.sh) uses it so that a call is
 * on the board long enough for a user to try an action on it.
 *
 *	CTI_URI=unix:... holdcall A B     (names or numbers)
 *
 * Prints "up LINE CALL" (A's line id and call handle) once B answered.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cti.h>

static struct cti_line *line_of(struct cti_session *s, const char *name)
{
	struct cti_line *l;
	uint64_t req;

	if (cti_session_find_line(s, name, &l)) {
		fprintf(stderr, "holdcall: no line %s\n", name);
		return NULL;
	}
	if (cti_line_open(l, CTI_PRIV_OWNER, &req) ||
	    cti_session_wait_reply(s, req, 5000, NULL)) {
		fprintf(stderr, "holdcall: cannot own %s\n", name);
		return NULL;
	}
	return l;
}

/* Answer B's ringing call; returns once B is CONNECTED (0) or not (-1). */
static int until_answered(struct cti_session *s, struct cti_line *b)
{
	struct cti_msg *msg;
	uint64_t req;

	while (cti_session_wait(s, 5000) == 1) {
		while (cti_session_next_msg(s, &msg) > 0) {
			bool mine = cti_msg_get_line(msg) == b &&
				    cti_msg_get_type(msg) == CTI_MSG_CALL_STATE;
			uint32_t st = cti_msg_get_state(msg), call = cti_msg_get_call(msg);

			cti_msg_free(msg);
			if (mine && st == CTI_CALL_OFFERING)
				cti_line_answer_call(b, call, &req);
			if (mine && st == CTI_CALL_CONNECTED)
				return 0;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct cti_session *s;
	struct cti_line *a, *b;
	uint32_t call = 0;
	uint64_t req;
	char buf[64];

	if (argc != 3) {
		fprintf(stderr, "usage: holdcall A B\n");
		return 2;
	}
	if (cti_session_open(NULL, NULL, &s)) {
		fprintf(stderr, "holdcall: cannot reach ctid\n");
		return 1;
	}
	a = line_of(s, argv[1]);
	b = a ? line_of(s, argv[2]) : NULL;
	if (!b || cti_line_make_call(a, cti_line_get_address(b, 0), &req) ||
	    cti_session_wait_reply(s, req, 5000, &call) || until_answered(s, b)) {
		fprintf(stderr, "holdcall: the call did not come up\n");
		return 1;
	}
	printf("up %u %u\n", cti_line_get_id(a), call);
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	cti_line_drop_call(a, call, &req);
	cti_session_wait_reply(s, req, 2000, NULL);
	cti_session_close(s);
	return 0;
}
