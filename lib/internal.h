/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * internal.h - what the files of libcti share and programs never see
 */
#ifndef CTI_INTERNAL_H
#define CTI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* wire.h first: it brings the kernel's <linux/cti.h>, before which cti.h's
 * copy of the same numbers steps aside (see cti.h) */
#include "wire.h"
#include "cti.h"

/* Marks the definition of an exported function (see libcti.map). */
#define CTI_API __attribute__((visibility("default")))

/*
 * Exports @old, a name of CTI_1, as another name of @new: binaries linked
 * against CTI_1 and programs written for it keep working (libcti.map keeps
 * @old in CTI_1, @new is in CTI_2). Both are declared in cti.h.
 */
#define CTI_1_NAME(old, new) \
	extern __typeof__(new) old \
		__attribute__((alias(#new), visibility("default")))

struct cti_line {
	struct cti_session *session;
	struct cti_phone *phone;	/* once ctid listed it (phonetab.c) */
	struct cti_wire_line info;	/* as ctid last described it */
	enum cti_privilege want;	/* what the program opened it as */
	bool removed;
	bool seen;			/* listed by the resync under way */
};

struct cti_phone {
	struct cti_session *session;
	struct cti_wire_phone info;	/* as ctid last described it, then events */
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

/* uri.c */
int cti_uri_parse(const char *uri, char **pathp);

/* linetab.c: the session's lines, by position and by id */
struct cti_line *cti_line_update(struct cti_session *s,
				 const struct cti_wire_line *info,
				 bool *created);
void cti_lines_free(struct cti_session *s);

/* phonetab.c: the session's phones and what frames do to them */
int cti_phone_item(struct cti_session *s, const struct cti_wire_frame *f,
		   bool added);
/* Mirrors a phone event or a line's removal into its phone. */
void cti_phone_apply(struct cti_session *s, const struct cti_wire_frame *f);
void cti_phones_resync_begin(struct cti_session *s);
int cti_phones_resync_end(struct cti_session *s);
void cti_phones_free(struct cti_session *s);

/* request.c: requests in flight */
int cti_request_send(struct cti_session *s, struct cti_wire_frame *f,
		     uint32_t line, uint32_t priv, bool internal,
		     uint64_t *req);
struct cti_pending *cti_pending_find(struct cti_session *s, uint64_t id);
int cti_request_complete(struct cti_session *s,
			 const struct cti_wire_frame *f);
void cti_request_fail_all(struct cti_session *s, int error);

/* resync.c: refreshing the state after the server lost ours */
void cti_resync_begin(struct cti_session *s);
int cti_resync_request(struct cti_session *s);
int cti_resync_end(struct cti_session *s);

/* frames.c: what a frame from ctid does to the session */
int cti_frames_handle(struct cti_session *s, const struct cti_wire_frame *f);

/* proto.c: the protocol state machine over the transport */
int cti_proto_init(struct cti_session *s);
int cti_proto_connect(struct cti_session *s);
int cti_proto_process(struct cti_session *s);
int cti_proto_frame(struct cti_session *s, const struct cti_wire_frame *f);

/* line.c */
int cti_line_command(struct cti_line *line, unsigned int cmd, uint32_t call,
		     uint32_t call2, uint32_t arg, uint32_t arg2,
		     const void *data, size_t len, uint64_t *req);
int cti_line_usable(struct cti_line *line);

/* msg.c */
struct cti_msg *cti_msg_new(enum cti_msg_type type,
			    const struct cti_wire_frame *f);
void cti_msg_queue(struct cti_session *s, struct cti_msg *m);
int cti_msg_queue_frame(struct cti_session *s, enum cti_msg_type type,
			const struct cti_wire_frame *f, struct cti_line *line);
struct cti_msg *cti_msg_pop(struct cti_session *s);
struct cti_msg *cti_msg_take_reply(struct cti_session *s, uint64_t req);
void cti_msg_sync_fd(struct cti_session *s);
void cti_msgs_free(struct cti_session *s);

#endif /* CTI_INTERNAL_H */
