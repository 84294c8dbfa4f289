/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctid's objects and how they refer to each other.
 *
 *   provider --lines--> line --openers--> session <--conn-- conn (socket)
 *                        |                  ^
 *                        +--calls--> call --privs (per-session overrides)
 *
 * Everything runs on the loop thread: there are no locks. Ownership:
 * a line belongs to the registry (lines.c) and lives as long as ctid (a
 * removed line stays as a small tombstone so that its id keeps answering
 * ENODEV and comes back with the same id); a session belongs to the
 * session table and outlives its connection for a while so that the client
 * can resume; a conn belongs to the server and dies with its socket.
 */
#ifndef CTID_H
#define CTID_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/cti.h>

#include "acl.h"
#include "announce.h"
#include "blob.h"
#include "conn.h"
#include "fanout.h"
#include "listing.h"
#include "log.h"
#include "loop.h"
#include "principal.h"
#include "registry.h"
#include "replay.h"
#include "requests.h"
#include "wire.h"
#include "cti_provider.h"

struct config;
struct session;
struct provider;

struct ctid_options {
	const char *config_path;
	bool check_only;
	bool foreground;
	bool verbose;
	char exe_dir[PATH_MAX];
};

int ctid_provider_abi(void);
int ctid_check_providers(struct config *cfg, const struct ctid_options *o);
int ctid_run(struct config *cfg, const struct ctid_options *o);

/* A session's own privilege on a call, where it differs from its line's. */
struct call_priv {
	struct call_priv *next;
	struct session *s;
	uint8_t priv;
};

/* ctid's mirror of a provider's call, kept for snapshots and checks. */
struct call {
	struct call *next;
	uint32_t call;
	uint8_t state;
	uint8_t origin;
	uint8_t reason;
	uint8_t __pad;
	uint32_t related;
	struct call_priv *privs;
	char caller[CTI_NUMBER_MAX];
	char caller_name[CTI_NAME_MAX];
	char called[CTI_NUMBER_MAX];
	char called_name[CTI_NAME_MAX];
};

struct opener {
	struct session *s;
	uint8_t priv;
};

struct line {
	uint32_t id;			/* stable id, >= 1 */
	uint32_t local;			/* the provider's index */
	struct provider *prov;		/* NULL while removed */
	uint64_t own_mask, mon_mask;	/* ACL entries, see acl.h */
	uint64_t pickup_mask;		/* entries that may pick up here */
	uint64_t ops, uops;
	uint32_t max_calls;
	uint8_t status, forward_mode, dnd, num_addresses;
	uint16_t num_calls;
	bool removed;
	uint32_t nopeners, capopeners;
	struct opener *openers;
	struct call *calls;
	char name[CTI_NAME_MAX];
	char forward_to[CTI_NUMBER_MAX];
	char (*addresses)[CTI_NUMBER_MAX];	/* num_addresses entries */
};

struct session {
	uint64_t id;
	uint64_t seq;			/* last event seq of this session */
	struct conn *conn;		/* NULL while detached */
	struct session *hnext;		/* session hash chain */
	struct session *next, *prev;	/* all sessions */
	struct acl_principal pr;
	uint64_t features;
	char client_name[CTI_WIRE_CLIENT_NAME_MAX];
	uint64_t detached_at;		/* loop_now_ns() when detached */
	/* the detached list, oldest first (see session_detach()) */
	struct session *dnext, *dprev;
	bool detached;
	/* open lines */
	uint32_t *open;
	uint32_t nopen, capopen;
	/* where its events are in the replay log (only with FEAT_RESUME) */
	struct replay_cursor replay;
	/* lists and snapshots being sent as the client reads */
	struct listing list, resync_list;
	/* slow client */
	bool overflow;
	uint64_t gap_first;
	uint32_t inflight_reqs;
};

struct host_timer {
	int64_t id;
	uint64_t deadline;
	uint64_t order;
	uint64_t cookie;
};

struct cti_host {
	struct provider *p;
};

struct provider {
	struct cti_host host;
	struct provider *next;
	uint32_t id;
	int cfg_index;			/* its [provider] section */
	char name[CTI_PROVIDER_NAME_MAX];
	char path[PATH_MAX];
	void *dl;
	const struct cti_provider_ops *ops;
	void *state;
	bool up;
	bool in_init;
	bool in_shutdown;
	uint64_t acl_union;		/* OR of its lines' masks */
	uint32_t nlines;
	/* provider-local index -> line id (open addressing) */
	uint32_t *map_keys, *map_vals;
	uint32_t map_cap, map_used;
	/* timers: a binary heap on (deadline, order) */
	struct host_timer *timers;
	uint32_t ntimers, captimers;
	int64_t next_timer_id;
	uint64_t timer_order;
	uint32_t pending;		/* requests not completed */
	struct transport *transports;
	int64_t next_transport_id;
	struct ptimer *ptimer;		/* the loop timer of its timers */
};

/* "instance/name" -> id, open addressing, never shrinks (lines.c). */
struct key_ent {
	char *key;
	uint32_t id;
};

/*
 * The context: everything ctid holds, made at start-up (run.c), reached
 * by every layer without a call upwards (ctid.c defines the one instance).
 */
struct ctid {
	struct loop loop;		/* loop.c's */
	struct log_state log;		/* log.c's */
	struct config *cfg;
	const struct ctid_options *opts;
	struct line **lines;		/* by id; [0] unused */
	uint32_t nlines_cap, max_line_id;
	uint32_t lines_present;
	struct key_ent *keys;		/* stable ids by "instance/name" */
	uint32_t keys_cap, keys_used;
	bool check_mode;		/* --check-config: providers, no effects */
	struct provider *providers;
	uint32_t next_provider_id;
	struct session *sessions;	/* list of all sessions */
	struct session **shash;
	uint32_t shash_cap, nsessions;
	struct session *detached_head, *detached_tail;	/* oldest first */
	uint32_t ndetached;
	struct request_table requests;
	uint32_t nconns;
	uint64_t events_lost;		/* events no session could be given */
	struct blob_pool blobs;
	struct replay_log replay;
	struct announce_batch announce;
	const struct conn_ops *conn_ops;	/* set by run.c */
	struct conn_server srv;		/* conn.c's */
	const struct registry_ops *registry_ops;	/* set by run.c */
	struct pcache *pcache;		/* principals by uid */
	struct cti_wire_frame rx_frame;	/* the frame being dispatched */
	bool stopping;
};

extern struct ctid g;

/* lines.c: registry, stable ids, event mirror */
int lines_init(void);
void lines_exit(void);
struct line *line_get(uint32_t id);
struct line *line_by_local(struct provider *p, uint32_t local);
int line_add(struct provider *p, uint32_t local,
	     const struct cti_provider_line_desc *desc, uint32_t *id);
int line_remove(struct line *l);
struct call *line_call(struct line *l, uint32_t call);
struct call *line_call_get_or_add(struct line *l, uint32_t handle, bool *added);
void line_call_del(struct line *l, struct call *c);
/* Tells the line's sessions its status (and ctid's count of its calls). */
void line_status_changed(struct line *l);
bool line_visible(const struct session *s, const struct line *l);
void line_fill_wire(const struct line *l, const struct session *s,
		    struct cti_wire_line *w);
void call_fill_wire(const struct line *l, const struct call *c,
		    const struct session *s, struct cti_wire_call *w);
uint32_t session_line_priv(const struct session *s, const struct line *l);
uint32_t session_call_priv(const struct session *s, const struct line *l,
			   const struct call *c);
uint32_t call_priv_of(const struct call *c, const struct session *s,
		      uint32_t line_priv);
void call_set_priv(struct call *c, struct session *s, uint32_t priv);
void line_drop_session(struct line *l, struct session *s);

/* session.c */
void session_event_lost(struct session *s);
void session_lines_changed(struct session *s);
void session_event(struct session *s, struct blob *b, uint32_t priv);
void session_destroy(struct session *s);
void sessions_expire(void);

/* provider.c */
int providers_start(void);
void providers_stop(void);
void providers_run_due(void);
struct provider *provider_find(const char *name);
int provider_load(int cfg_index);
int provider_unload(struct provider *p, int error);
int provider_submit(struct provider *p, struct request *r, struct line *l,
		    const struct cti_wire_command *cmd, uid_t uid);
int provider_check_config(struct config *cfg, int index, const char *exe_dir);

/* transport.c */
int64_t transport_open_tcp(struct provider *p, const char *name, uint16_t port,
			   uint64_t cookie);
int64_t transport_open_unix(struct provider *p, const char *path,
			    uint64_t cookie);
int64_t transport_open_serial(struct provider *p, const char *tty,
			      uint32_t baud, uint64_t cookie);
int transport_send(struct provider *p, int64_t tid, const void *buf, size_t len);
int transport_close(struct provider *p, int64_t tid);
void transports_close_all(struct provider *p);

/* session.c: what conn.c's ops call (see run.c), and the answers */
void session_drained(struct conn *c);
void session_conn_closed(struct conn *c);
void session_hello(struct conn *c, const struct cti_wire_frame *in);
void session_reply(struct conn *c, uint64_t id, uint16_t req_type, int error,
		   uint32_t line, uint32_t call, uint16_t cmd);
void session_error(struct conn *c, uint64_t id, uint16_t bad_type,
		   int error, uint32_t offset, const char *msg);
void session_privilege_event(struct session *s, uint32_t line,
			     uint32_t call, uint32_t priv);

#endif
