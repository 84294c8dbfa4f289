/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * session.h - struct cti_session, the object behind the public handle
 *
 * One struct, three owners: the transport (conn, in conn.c), the protocol
 * state machine (the "protocol" block, in proto.c, request.c, frames.c and
 * resync.c) and the program-facing parts (fds, the message queue, the line
 * table). Each block says which files write it.
 */
#ifndef CTI_SESSION_H
#define CTI_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "internal.h"

enum proto_state {
	PROTO_DOWN,			/* no socket; the timer will retry */
	PROTO_HELLO,			/* HELLO sent, waiting for HELLO_ACK */
	PROTO_UP,			/* requests may be sent */
};

struct cti_session {
	/* set by cti_session_open(), read-only afterwards */
	char *path;			/* unix socket path, or the tls:// URI */
	char client_name[CTI_WIRE_CLIENT_NAME_MAX];
	uint32_t flags;			/* CTI_SESSION_* */
	int epfd;			/* the fd the program polls */
	int evfd;			/* readable while messages wait */
	int tfd;			/* reconnect timer */

	/* the transport (conn.c) */
	struct cti_conn conn;

	/* the protocol (proto.c, resync.c, frames.c) */
	enum proto_state state;
	uint64_t session_id;		/* 0 before the first HELLO_ACK */
	uint64_t last_seq;		/* last event processed */
	uint64_t features;
	uint32_t uid;
	bool admin;
	bool ever_up;			/* a session existed before */
	bool resyncing;			/* between RESYNC and its END */
	uint64_t resync_req;		/* internal SNAPSHOT used to resync */
	/* the latest ADMIN_NOTE: why request @note_req was refused */
	uint64_t note_req;
	char note[CTI_WIRE_NOTE_MAX];
	unsigned int backoff_ms;
	int down_error;			/* why the connection last went down */

	/* requests in flight (request.c) */
	uint64_t next_req;
	struct cti_pending *pend;
	size_t num_pend;
	size_t pend_cap;

	/* messages for the program (msg.c) */
	struct cti_msg *head;
	struct cti_msg **tail;
	bool ev_armed;			/* evfd holds a count */
	bool in_drain;			/* next_msg's last answer was 1 */
	cti_msg_cb cb;
	void *cb_data;

	/* the last STATS answer (stats.c) */
	struct cti_wire_stats stats;
	bool stats_valid;

	/* lines, in the order ctid listed them (linetab.c) */
	struct cti_line **lines;
	size_t num_lines;
	size_t lines_cap;
	/* id -> line, open addressing; a client may see 100,000 lines */
	struct cti_line **line_index;
	size_t index_size;		/* a power of two, > 2 * num_lines */

	/* phones, in the order ctid listed them (phonetab.c); by id: the line's */
	struct cti_phone **phones;
	size_t num_phones;
	size_t phones_cap;
};

#endif /* CTI_SESSION_H */
