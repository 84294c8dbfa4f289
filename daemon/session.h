/* SPDX-License-Identifier: GPL-2.0 */
/*
 * session: the table of sessions (by random 64-bit id), HELLO and
 * resume, detached sessions and their bounds, per-session event
 * sequence numbers, the slow-client rule (GAP, RESYNC, snapshot) and the
 * answers (REPLY, ERROR) to a connection (session.c).
 */
#ifndef CTID_SESSION_H
#define CTID_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "acl.h"
#include "blob.h"
#include "listing.h"
#include "replay.h"
#include "wire.h"

struct ctid;

struct conn;
struct line;

struct session {
	/*
	 * What fan-out reads and writes per event comes first, in one cache
	 * line (session_new() aligns it): seq, conn, features, overflow and
	 * the replay cursor's open run.
	 */
	uint64_t seq;			/* last event seq of this session */
	struct conn *conn;		/* NULL while detached */
	uint64_t features;
	bool overflow;			/* slow client: GAP from gap_first */
	bool detached;			/* in ctx->detached (see session_detach()) */
	uint32_t inflight_reqs;
	/* where its events are in the replay log (only with FEAT_RESUME) */
	struct replay_cursor replay;
	uint64_t id;
	struct session *hnext;		/* session hash chain */
	struct session *next, *prev;	/* all sessions */
	struct acl_principal pr;
	char client_name[CTI_WIRE_CLIENT_NAME_MAX];
	uint64_t detached_at;		/* loop_now_ns() when detached */
	/* open lines */
	uint32_t *open;
	uint32_t nopen, capopen;
	/* open phones (phonectl.c), by id */
	uint32_t *phones;
	uint32_t nphones, capphones;
	/* lists and snapshots being sent as the client reads */
	struct listings *lists;		/* NULL while none runs */
	uint64_t gap_first;
	uint64_t created_ns;		/* CLOCK_REALTIME of its HELLO */
};

/*
 * What a session's end or a change of its rights means above it (the
 * phones it opened, phonectl.c), registered by run.c; either may be NULL.
 */
struct session_ops {
	/* @s ends: forget it everywhere, before it is freed */
	void (*ending)(struct ctid *ctx, struct session *s);
	/* @s's rights were applied again to its lines (session_revalidate()) */
	void (*revalidated)(struct ctid *ctx, struct session *s);
};

/* session.c */
void session_event_lost(struct ctid *ctx, struct session *s);
void session_lines_changed(struct ctid *ctx, struct session *s);
void session_event(struct ctid *ctx, struct session *s, struct blob *b, uint32_t priv);
void session_destroy(struct ctid *ctx, struct session *s);
void sessions_expire(struct ctid *ctx);

/* session.c: what conn.c's ops call (see run.c), and the answers */
void session_drained(struct ctid *ctx, struct conn *c);
void session_conn_closed(struct ctid *ctx, struct conn *c);
/* BYE: the session ends now, without a resume window, and so does @c. */
void session_bye(struct ctid *ctx, struct conn *c);
void session_hello(struct ctid *ctx, struct conn *c, const struct cti_wire_frame *in);
void session_reply(struct ctid *ctx, struct conn *c, uint64_t id, uint16_t req_type, int error,
		   uint32_t line, uint32_t call, uint16_t cmd);
void session_error(struct ctid *ctx, struct conn *c, uint64_t id, uint16_t bad_type,
		   int error, uint32_t offset, const char *msg);
/* One event for @s alone (encoded for it; lost: a GAP for it). */
void session_event_frame(struct ctid *ctx, struct session *s,
			 const struct cti_wire_frame *f, uint32_t priv);
void session_privilege_event(struct ctid *ctx, struct session *s, uint32_t line,
			     uint32_t call, uint32_t priv);
/*
 * Applies the user's rights as they are now (the access rules changed,
 * or the session resumes) to what @s holds: a line it may no longer see
 * is closed, one it may no longer own drops to MONITOR with its calls,
 * each told with an EV_PRIVILEGE for the line (call 0: NONE or MONITOR).
 * If NSS fails now, @s keeps what it had until the next try.
 */
void session_revalidate(struct ctid *ctx, struct session *s);

#endif
