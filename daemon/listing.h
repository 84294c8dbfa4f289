/* SPDX-License-Identifier: GPL-2.0 */
/*
 * listing: LIST_LINES, LIST_CALLS and SNAPSHOT answers (and the snapshot
 * after a RESYNC), generated as the client reads.
 *
 * A list of 20,000 lines is 1.7 MB of frames: made at once it would
 * ignore queue_limit. Instead a listing is a cursor in the session: it
 * produces the next frames while the connection's queue is under half of
 * queue_limit, and again each time the queue drains, so queue_limit is
 * the real bound. While a listing runs ctid reads no more requests from
 * that connection, so replies keep the order of the requests; events go
 * on flowing between the items, and an item shows the state after every
 * event sent before it (doc/protocol.md).
 */
#ifndef CTID_LISTING_H
#define CTID_LISTING_H

#include <stdbool.h>
#include <stdint.h>

struct ctid;

struct conn;
struct session;

struct listing {
	uint64_t id;		/* the request's id; 0: a resync snapshot */
	uint16_t req_type;	/* REPLY at the end for it; 0: no REPLY */
	uint16_t item_type;	/* END.item_type: LINE, CALL, 0 (snapshot) */
	bool active;
	bool lines, calls, phones;
	uint32_t only;		/* calls (phones) of this line only, or CTI_LINE_NONE */
	uint32_t next_line;	/* lines: the next line id to look at */
	uint32_t next_open;	/* calls: the next index in the open lines */
	uint32_t next_phone;	/* phones: the next line id to look at */
	uint32_t count;		/* items sent */
};

/* A session's listings, allocated while one runs: idle clients pay none. */
struct listings {
	struct listing list;		/* for a request */
	struct listing resync;		/* a resync snapshot (no request) */
};

/*
 * Starts a listing on @s's connection (which must have none running) and
 * produces what fits now. @req_type 0: no REPLY (a resync snapshot).
 * Returns 0 or -ENOMEM.
 */
int listing_start(struct ctid *ctx, struct session *s, uint64_t id, uint16_t req_type,
		   uint16_t item_type, bool lines, bool calls, uint32_t only);
/*
 * LIST_PHONES: the PHONE items of the phones @s may see (@only: that one,
 * or CTI_LINE_NONE), then END and REPLY. A SNAPSHOT (and a resync's) has
 * the PHONE items too, after the calls, for a session with
 * CTI_WIRE_FEAT_PHONE_DEV. Returns 0 or -ENOMEM.
 */
int listing_start_phones(struct ctid *ctx, struct session *s, uint64_t id,
			 uint32_t only);
/* Produces the next frames, if a listing runs; called when the queue drains. */
void listing_pump(struct ctid *ctx, struct session *s);
/* Whether a listing runs (then no request is read). */
bool listing_busy(const struct session *s);
/* The connection went: what it asked for is not owed to the next one. */
void listing_cancel(struct session *s);
/* Frees the listings (the session goes). */
void listing_drop(struct session *s);

#endif
