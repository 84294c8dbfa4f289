/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rawclient: a client that speaks the wire protocol itself, through the
 * codec of lib/wire.h, below libcti. The suites use it where libcti would
 * hide what is tested: exact frames, resume by hand, a client that never
 * reads, and bytes that no correct encoder produces.
 *
 * Every receive has a timeout, so a daemon that goes silent fails a test
 * instead of hanging it. Events that arrive while a helper waits for a
 * reply are queued and handed out in order by rc_next_event().
 */
#ifndef CTI_TESTS_RAWCLIENT_H
#define CTI_TESTS_RAWCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

struct rc {
	int fd;
	uint64_t next_id;		/* request ids: 1, 2, ... */
	struct cti_wire_hello_ack ack;	/* from rc_hello() */
	uint64_t last_seq;		/* last event sequence received */
	uint64_t gaps;			/* GAP frames received */
	uint64_t resyncs;		/* RESYNC frames received */
	/* bytes received but not yet decoded */
	uint8_t in[2 * CTI_WIRE_FRAME_MAX];
	size_t in_len;
	/* events (and other unsolicited frames) received while waiting */
	struct cti_wire_frame *queue;
	size_t q_head, q_len, q_cap;
	int last_decode_error;		/* of the last frame that failed */
	/* features rc_hello() asks for; 0 (rc_connect()'s): CTI_WIRE_FEAT_ALL */
	uint64_t hello_features;
};

/* Connect to the unix socket @path; 0 or -errno. */
int rc_connect(struct rc *c, const char *path);
void rc_close(struct rc *c);

/*
 * HELLO (resume @session from @seq if @session is not 0) and wait for the
 * HELLO_ACK, stored in c->ack. Returns 0, or -errno (an ERROR frame's
 * error, -ETIMEDOUT, -EPIPE when the daemon closed).
 */
int rc_hello(struct rc *c, const char *name, uint64_t session, uint64_t seq);
/*
 * Connect to the ctid at @sock and say HELLO as @name, a new session
 * without features; the running test fails (T_ASSERT) if either does.
 */
void rc_session(struct rc *c, const char *sock, const char *name);

/* Encode and send @f; fills hdr.id with a fresh id if it is 0 and the type
 * is a request. Returns the id used, or -errno. */
int64_t rc_send(struct rc *c, struct cti_wire_frame *f);
/* Send bytes as they are; 0 or -errno. */
int rc_send_raw(struct rc *c, const void *buf, size_t len);

/*
 * Receive the next frame from the socket (not the queue) within
 * @timeout_ms. Returns 1 with @f filled, 0 on timeout, -EPIPE when the
 * peer closed, or the decoder's -errno for a frame ctid should never send.
 */
int rc_recv(struct rc *c, struct cti_wire_frame *f, int timeout_ms);

/*
 * Wait for the REPLY (or ERROR) with id @id; anything else received
 * meanwhile is queued. Returns the reply's error (0 or -errno) with @f
 * filled when not NULL, or -ETIMEDOUT / -EPIPE.
 */
int rc_wait_reply(struct rc *c, uint64_t id, struct cti_wire_frame *f,
		  int timeout_ms);

/* The next queued or received event/marker; as rc_recv(). */
int rc_next_event(struct rc *c, struct cti_wire_frame *f, int timeout_ms);

/*
 * Wait for a frame of @type from the queue or the socket; frames skipped on
 * the way are dropped. Returns 1, 0 on timeout, or -errno.
 */
int rc_wait_type(struct rc *c, unsigned int type, struct cti_wire_frame *f,
		 int timeout_ms);

/* Discard what arrives during @ms. Returns the number of frames. */
int rc_drain(struct rc *c, int ms);

/* COMMAND: returns the request id or -errno. */
int64_t rc_command(struct rc *c, unsigned int cmd, uint32_t line,
		   uint32_t call, uint32_t call2, uint32_t arg, uint32_t arg2,
		   const char *data);
/* COMMAND and wait: the REPLY's error; @call_out gets the call created. */
int rc_command_sync(struct rc *c, unsigned int cmd, uint32_t line,
		    uint32_t call, uint32_t call2, uint32_t arg, uint32_t arg2,
		    const char *data, uint32_t *call_out);

/* OPEN_LINE and wait for its reply. */
int rc_open_line(struct rc *c, uint32_t line, uint32_t privilege);
/*
 * The id of the line whose first address is @num, from a LIST_LINES of at
 * most 32 lines; CTI_LINE_NONE if there is none.
 */
uint32_t rc_line_of_number(struct rc *c, const char *num);

/* CLOSE_LINE and wait for its reply. */
int rc_close_line(struct rc *c, uint32_t line);

/* A request with an empty body (PING, LIST_LINES, SNAPSHOT...): the id. */
int64_t rc_simple(struct rc *c, unsigned int type);

/*
 * LIST_LINES: fills up to @max lines, returns how many the END frame
 * reported (or -errno). Events on the way are queued.
 */
int rc_list_lines(struct rc *c, struct cti_wire_line *lines, size_t max);
/*
 * The @n lines of the ctid at @sock as root (an admin) lists them, on a
 * connection of its own; the running test fails unless there are @n.
 */
void rc_root_lines(const char *sock, struct cti_wire_line *lines, size_t n);

/* Provider admin request (LOAD/UNLOAD/RELOAD) and wait: the error. */
int rc_provider(struct rc *c, unsigned int type, const char *name);

#endif /* CTI_TESTS_RAWCLIENT_H */
