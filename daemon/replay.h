/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay: what a resumed session gets again.
 *
 * One shared, bounded log holds each event once (a blob reference per
 * position, positions counting from 1). A session that asked for resume
 * keeps a cursor: the runs of its own sequence numbers that map onto
 * consecutive log positions with one privilege. An event fanned out to a
 * thousand sessions is one log entry, and for each session usually one
 * compare and one increment (its run grows), so the cost does not grow
 * with sessions x events. Sessions that cannot resume keep nothing.
 *
 * A session's seq numbering stays its own (doc/protocol.md): seq N of a
 * session is found by walking its runs, and it is replayable while the
 * log still holds its position. An event that could not be made takes a
 * seq too: it is kept as a "lost" run so that a resume says GAP there.
 */
#ifndef CTID_REPLAY_H
#define CTID_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "blob.h"

struct replay_log {
	struct blob **ents;	/* [pos % cap] */
	uint32_t cap;
	uint64_t tail, next;	/* positions tail .. next - 1 are held */
	struct blob_pool *pool;
};

struct replay_run {
	uint64_t seq;		/* first seq of the run */
	uint64_t pos;		/* its log position; lost: the log's next */
	uint32_t len;
	uint8_t priv;
	bool lost;
};

/*
 * The newest run is kept inline (@open), so that noting an event that
 * extends it touches the session's own memory only; the older runs are
 * in a ring that is written only when a run ends (a change of privilege,
 * a lost event, or events of other sessions logged in between).
 */
struct replay_cursor {
	struct replay_run open;		/* run count - 1, if count */
	struct replay_run *runs;	/* runs 0 .. count - 2, oldest first */
	uint32_t head, count, cap;
};

int replay_log_init(struct replay_log *log, uint32_t cap, struct blob_pool *pool);
void replay_log_exit(struct replay_log *log);

/*
 * The session's event @seq was @b (NULL: lost) with privilege @priv. The
 * blob is stored in the log the first time any session notes it.
 */
void replay_note(struct replay_log *log, struct replay_cursor *cur,
		 uint64_t seq, struct blob *b, uint32_t priv);

enum replay_result {
	REPLAY_GONE,		/* not held (too old, or never noted) */
	REPLAY_LOST,		/* the event was lost: GAP from here */
	REPLAY_OK,
};

/*
 * Event @seq of the cursor's session: its blob and privilege. @hint (may
 * be NULL; start at 0) makes a walk over ascending seqs linear.
 */
enum replay_result replay_get(const struct replay_log *log,
			      const struct replay_cursor *cur, uint64_t seq,
			      uint32_t *hint, struct blob **b, uint32_t *priv);

void replay_cursor_free(struct replay_cursor *cur);

#endif
