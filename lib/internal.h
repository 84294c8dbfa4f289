/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * internal.h - what the files of libcti share and programs never see
 */
#ifndef CTI_INTERNAL_H
#define CTI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cti.h"
#include "wire.h"

/* Marks the definition of an exported function (see libcti.map). */
#define CTI_API __attribute__((visibility("default")))

/* Reconnect backoff: first delay and ceiling, in milliseconds. */
#define CTI_BACKOFF_MIN_MS	50
#define CTI_BACKOFF_MAX_MS	2000

/* Bytes read from the socket per dispatch at most, so one session cannot
 * starve the rest of the program's loop. */
#define CTI_READ_BUDGET		(1u << 20)
#define CTI_INBUF_SIZE		(16u * 1024)
/* Bytes of requests waiting for ctid to read them before new requests
 * fail with EAGAIN: backpressure instead of unbounded memory. */
#define CTI_OUTBUF_MAX		(1u << 20)

struct cti_line {
	struct cti_session *session;
	struct cti_wire_line info;	/* as ctid last described it */
	enum cti_privilege want;	/* what the program opened it as */
	bool removed;
	bool seen;			/* listed by the resync under way */
};

struct cti_msg {
	struct cti_msg *next;
	enum cti_msg_type type;
	struct cti_line *line;		/* NULL if none or not known */
	uint64_t request;		/* REPLY, LIST_END, CALL, PROVIDER */
	int error;			/* REPLY, DISCONNECTED */
	/* the header of the frame the message came from (type 0: none) */
	struct cti_wire_hdr hdr;
	/* its body, only as large as its type needs: see cti_msg_new() */
	uint64_t body[];
};

/* The union of decoded bodies, and a message's body seen as one. */
typedef __typeof__(((struct cti_wire_frame *)0)->u) cti_wire_body_t;
#define CTI_MSG_BODY(m) ((const cti_wire_body_t *)(const void *)(m)->body)

/* A request in flight. */
struct cti_pending {
	uint64_t id;
	uint16_t type;			/* its frame type */
	uint16_t cmd;
	uint32_t line;			/* line id, or CTI_LINE_NONE */
	uint32_t priv;			/* OPEN_LINE: the privilege asked */
	bool internal;			/* libcti's own: no REPLY message */
};

enum conn_state {
	CONN_DOWN,			/* no socket; the timer will retry */
	CONN_HELLO,			/* HELLO sent, waiting for HELLO_ACK */
	CONN_UP,			/* requests may be sent */
};

struct cti_session {
	char *path;			/* unix socket path */
	char client_name[CTI_WIRE_CLIENT_NAME_MAX];
	uint32_t flags;			/* CTI_SESSION_* */

	int epfd;			/* the fd the program polls */
	int sock;			/* -1 while down */
	int evfd;			/* readable while messages wait */
	int tfd;			/* reconnect timer */
	bool ev_armed;			/* evfd holds a count */
	bool want_out;			/* EPOLLOUT registered on sock */

	enum conn_state state;
	uint64_t session_id;		/* 0 before the first HELLO_ACK */
	uint64_t last_seq;		/* last event processed */
	uint64_t features;
	uint32_t uid;
	bool admin;
	bool ever_up;			/* a session existed before */
	bool resyncing;			/* between RESYNC and its END */
	uint64_t resync_req;		/* internal SNAPSHOT used to resync */
	unsigned int backoff_ms;
	int down_error;			/* why the connection last went down */

	uint64_t next_req;

	uint8_t *in;
	size_t in_len;
	uint8_t *out;
	size_t out_len;
	size_t out_cap;

	struct cti_msg *head;
	struct cti_msg **tail;

	struct cti_line **lines;
	size_t num_lines;
	size_t lines_cap;
	/* id -> line, open addressing; a client may see 100,000 lines */
	struct cti_line **line_index;
	size_t index_size;		/* a power of two, > 2 * num_lines */

	struct cti_pending *pend;
	size_t num_pend;
	size_t pend_cap;

	cti_msg_cb cb;
	void *cb_data;
};

/* uri.c */
int cti_uri_parse(const char *uri, char **pathp);

/* conn.c */
int cti_conn_connect(const char *path, int *sockp);
int cti_conn_queue(struct cti_session *s, const struct cti_wire_frame *f);
int cti_conn_flush(struct cti_session *s);
int cti_conn_read(struct cti_session *s);
int cti_conn_update_epoll(struct cti_session *s);

/* session.c */
int cti_session_handle_frame(struct cti_session *s,
			     const struct cti_wire_frame *f);
int cti_session_process(struct cti_session *s);
uint64_t cti_session_new_req(struct cti_session *s);
int cti_session_request(struct cti_session *s, struct cti_wire_frame *f,
			uint32_t line, uint32_t priv, bool internal,
			uint64_t *req);
struct cti_pending *cti_pending_find(struct cti_session *s, uint64_t id);
void cti_pending_remove(struct cti_session *s, struct cti_pending *p);

/* reconnect.c */
void cti_reconnect_down(struct cti_session *s, int error);
int cti_reconnect_timer(struct cti_session *s);
int cti_reconnect_send_hello(struct cti_session *s);
int cti_reconnect_hello_ack(struct cti_session *s,
			    const struct cti_wire_hello_ack *ack);
int cti_reconnect_reopen(struct cti_session *s);

/* line.c */
struct cti_line *cti_line_update(struct cti_session *s,
				 const struct cti_wire_line *info,
				 bool *created);
void cti_lines_free(struct cti_session *s);
int cti_line_command(struct cti_line *line, unsigned int cmd, uint32_t call,
		     uint32_t call2, uint32_t arg, uint32_t arg2,
		     const void *data, size_t len, uint64_t *req);
int cti_line_usable(struct cti_line *line);

/* msg.c */
struct cti_msg *cti_msg_new(enum cti_msg_type type,
			    const struct cti_wire_frame *f);
void cti_msg_queue(struct cti_session *s, struct cti_msg *m);
struct cti_msg *cti_msg_pop(struct cti_session *s);
struct cti_msg *cti_msg_take_reply(struct cti_session *s, uint64_t req);
void cti_msg_sync_fd(struct cti_session *s);
void cti_msgs_free(struct cti_session *s);

#endif /* CTI_INTERNAL_H */
