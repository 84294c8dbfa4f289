// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * session_fuzz.c - libFuzzer target for libcti's handling of what ctid says
 *
 * The input is a stream of server frames. Every frame the codec accepts is
 * handed to the session's state machine (replies to unknown requests, END
 * without items, events for unknown lines, GAP and RESYNC at odd moments,
 * HELLO_ACK twice ...), then every queued message is read through every
 * accessor, as a program printing them would. A crash, a leak or a
 * sanitizer report is a bug in libcti, whatever ctid sent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_msg(struct cti_msg *m)
{
	const void *p;
	uint64_t a, b;
	volatile size_t sink = 0;

	sink += cti_msg_get_type(m) + cti_msg_get_line_id(m) +
		cti_msg_get_seq(m) + cti_msg_get_timestamp_ns(m) +
		cti_msg_get_request(m) + (size_t)cti_msg_get_error(m) +
		cti_msg_get_call(m) + cti_msg_get_related_call(m) +
		cti_msg_get_state(m) + cti_msg_get_reason(m) +
		cti_msg_get_origin(m) + cti_msg_get_changed(m) +
		cti_msg_get_arg(m) + cti_msg_get_privilege(m) +
		cti_msg_get_gap(m, &a, &b) + cti_msg_get_data(m, &p);
	sink += strlen(cti_msg_get_caller(m)) + strlen(cti_msg_get_called(m)) +
		strlen(cti_msg_get_caller_name(m)) +
		strlen(cti_msg_get_called_name(m)) +
		strlen(cti_msg_get_text(m)) +
		strlen(cti_msg_type_name(cti_msg_get_type(m)));
	if (cti_msg_get_line(m))
		sink += strlen(cti_line_get_name(cti_msg_get_line(m)));
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cti_wire_frame f;
	struct cti_session s;
	struct cti_msg *m;
	size_t off = 0;
	int sv[2];

	memset(&s, 0, sizeof(s));
	s.tail = &s.head;
	s.epfd = s.evfd = s.tfd = -1;
	s.flags = CTI_SESSION_NO_RECONNECT;
	/* a connected transport whose far end nobody reads: requests made
	 * along the way (the resync's reopens) go somewhere */
	if (cti_proto_init(&s) ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0)
		abort();
	s.conn.sock = sv[0];
	s.state = PROTO_UP;
	s.ever_up = true;
	s.session_id = 1;
	/* a few requests in flight for replies to find */
	for (int i = 0; i < 4; i++) {
		struct cti_wire_frame r = { .hdr.type = CTI_WIRE_OPEN_LINE };

		r.u.open_line.line = (uint32_t)i + 1;
		r.u.open_line.privilege = CTI_WIRE_PRIV_OWNER;
		cti_request_send(&s, &r, r.u.open_line.line,
				 CTI_WIRE_PRIV_OWNER, i & 1, NULL);
	}

	while (off < size) {
		struct cti_wire_hdr hdr;
		ssize_t n = cti_wire_peek(data + off, size - off, &hdr);

		if (n <= 0 || (size_t)n > size - off)
			break;
		if (cti_wire_decode(data + off, (size_t)n, CTI_WIRE_FROM_SERVER,
				    &f, NULL) == n)
			cti_proto_frame(&s, &f);
		off += (size_t)n;
	}
	while ((m = cti_msg_pop(&s))) {
		read_msg(m);
		cti_msg_free(m);
	}
	for (size_t i = 0; i < cti_session_get_num_lines(&s); i++)
		cti_line_supports(cti_session_get_line(&s, i), 70);
	cti_lines_free(&s);
	free(s.pend);
	cti_conn_fini(&s.conn);
	close(sv[1]);
	return 0;
}
