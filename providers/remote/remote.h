/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote: the Remote Service Provider. One instance is one server ctid;
 * the instance speaks the client protocol (lib/wire.h, the project's own
 * codec) to it over a host transport and mirrors the server's lines on
 * the desktop. README.md in this directory says what it promises.
 *
 *   rm_config.c  the keys of [provider NAME]
 *   rm_link.c    connect, address list, HELLO, framing, keepalive, backoff
 *   rm_sync.c    line and call listings: what the desktop holds is made
 *                equal to what the server says
 *   rm_events.c  server events -> host records, and the line/call mirror
 *   rm_ops.c     the ops table, requests and their completions
 */
#ifndef CTI_PROVIDER_REMOTE_H
#define CTI_PROVIDER_REMOTE_H

#include <stdbool.h>
#include <stdint.h>

#include "cti_provider.h"
#include "wire.h"

#define RM_MAX_ADDRS	8
#define RM_PATH_MAX	108
#define RM_MAX_CALLS	1024	/* calls mirrored per line, at most */

enum rm_addr_kind { RM_UNIX, RM_TLS };

struct rm_addr {
	enum rm_addr_kind kind;
	uint16_t port;
	char host[RM_PATH_MAX];		/* a path for RM_UNIX */
};

struct rm_config {
	struct rm_addr addrs[RM_MAX_ADDRS];
	unsigned int naddrs;
	char ca[256], cert[256], key[256], server_name[256];
	bool verify_name;
	uint32_t keepalive_ms;		/* PING after this much silence */
	uint32_t dead_ms;		/* silence that breaks the link */
	uint32_t retry_min_ms, retry_max_ms;
	uint32_t max_pending;		/* commands in flight to the server */
	char client_name[CTI_WIRE_CLIENT_NAME_MAX];
};

/* One call as the desktop last heard of it. */
struct rm_call {
	uint32_t call;
	uint32_t state;
	bool seen;			/* in the listing being reconciled */
	bool touched;			/* a desktop program's command named it */
};

/* One of the server's lines; its provider-local index is the server's id. */
struct rm_line {
	uint32_t id;
	bool present;			/* announced to the host */
	bool open;			/* opened in the current server session */
	bool seen;			/* in the listing being reconciled */
	uint32_t allowed;		/* bit (1 << priv) the server lets us open */
	uint32_t status;		/* the server's last line status */
	uint32_t forward_mode, dnd;
	char forward_to[CTI_NUMBER_MAX];
	uint32_t num_addresses;
	char addresses[CTI_MAX_ADDRESSES][CTI_NUMBER_MAX];
	struct rm_call *calls;
	uint32_t ncalls, capcalls;
};

enum rm_req_kind {
	RM_REQ_COMMAND,		/* a program's, with a host handle */
	RM_REQ_LIST_LINES,
	RM_REQ_OPEN,
	RM_REQ_LIST_CALLS,
	RM_REQ_DROP,		/* of an orphaned call: nobody waits for it */
};

/* A request sent to the server and not answered yet. */
struct rm_req {
	uint64_t id;			/* the frame id on the server link */
	uint64_t handle;		/* the host's, for RM_REQ_COMMAND */
	enum rm_req_kind kind;
	uint32_t line;
	bool counted;			/* the sync waits for it */
};

/*
 * Link states. Only UP takes commands; a request in any other state
 * fails at once with -ENOTCONN (it never left the desktop).
 */
enum rm_state {
	RM_DOWN,		/* waiting for the retry timer */
	RM_CONNECTING,		/* transport (and TLS handshake) under way */
	RM_HELLO,		/* HELLO sent */
	RM_SYNC,		/* listing lines, opening them, listing calls */
	RM_UP,
};

struct remote {
	const struct cti_host_api *api;
	struct cti_host *host;
	char name[CTI_PROVIDER_NAME_MAX];
	struct rm_config cfg;

	enum rm_state state;
	bool ever_up;			/* the lines' status says OUT_OF_SERVICE */
	int64_t tid;			/* 0: no transport */
	unsigned int addr_idx;		/* the address being tried */
	unsigned int tries;		/* addresses tried in this round */
	uint32_t retry_ms;
	int64_t retry_timer, alive_timer;
	uint64_t last_rx_ns;		/* when the server last said anything */
	bool ping_out;

	uint64_t session;		/* the server's session id, 0: none */
	uint64_t last_seq;		/* last event applied */
	uint64_t features;		/* granted */
	bool in_snapshot;		/* between RESYNC and its END */
	bool lost;			/* events were lost: resync the programs */
	unsigned int sync_waits;	/* listings and opens not answered */

	uint8_t rx[2 * CTI_WIRE_FRAME_MAX];
	size_t rx_len;

	struct rm_line *lines;
	uint32_t nlines, caplines;
	struct rm_req *reqs;
	uint32_t nreqs, capreqs;
	uint64_t next_id;
	uint64_t resumes, resyncs, breaks;	/* for the log */
};

/*
 * Room for one more element in the array at *@v of @n used, *@cap held,
 * @size bytes each (doubling from @first): 0 or -ENOMEM.
 */
int rm_grow(void *v, uint32_t n, uint32_t *cap, size_t size, uint32_t first);

/* rm_config.c */
int rm_config_parse(const struct cti_host_api *api, struct cti_host *host,
		    const struct cti_provider_config *pc, struct rm_config *cfg);

/* rm_link.c */
void rm_link_start(struct remote *rm);
void rm_link_stop(struct remote *rm);
void rm_link_broken(struct remote *rm, int error, const char *why);
int rm_send(struct remote *rm, struct cti_wire_frame *f);
void rm_on_connected(struct remote *rm, int64_t tid, int error);
void rm_on_data(struct remote *rm, int64_t tid, const void *buf, size_t len);
void rm_on_closed(struct remote *rm, int64_t tid, int error);
void rm_on_timer(struct remote *rm, int64_t timer_id, uint64_t cookie);
void rm_alive_start(struct remote *rm);

/* rm_sync.c */
void rm_sync_start(struct remote *rm, bool list_lines);
int rm_sync_frame(struct remote *rm, const struct cti_wire_frame *f);
void rm_sync_request_done(struct remote *rm, const struct rm_req *r, int error);
void rm_sync_open(struct remote *rm, uint32_t line, uint32_t allowed);

/* rm_events.c */
struct rm_line *rm_line_find(struct remote *rm, uint32_t id);
struct rm_call *rm_call_touch(struct rm_line *l, uint32_t call, bool create);
bool rm_call_droppable(struct rm_line *l, uint32_t call);
struct rm_line *rm_line_add(struct remote *rm, const struct cti_wire_line *w);
void rm_line_remove(struct remote *rm, struct rm_line *l, int error);
void rm_line_post_status(struct remote *rm, struct rm_line *l, uint32_t status);
int rm_post_call_state(struct remote *rm, struct rm_line *l, uint32_t call,
		       uint32_t state, uint32_t reason, uint32_t related);
int rm_post_call_info(struct remote *rm, struct rm_line *l,
		      const struct cti_wire_call *c);
int rm_event(struct remote *rm, const struct cti_wire_frame *f);
void rm_post_link(struct remote *rm, uint32_t state);

/* rm_ops.c */
struct rm_req *rm_req_add(struct remote *rm, enum rm_req_kind kind,
			  uint64_t handle, uint32_t line);
struct rm_req *rm_req_find(struct remote *rm, uint64_t id);
void rm_req_del(struct remote *rm, struct rm_req *r);
void rm_reqs_fail(struct remote *rm, int error, uint32_t line);
void rm_reply(struct remote *rm, const struct cti_wire_frame *f);

#endif
