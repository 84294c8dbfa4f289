/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctid's context, and how its objects refer to each other. Each module's
 * types and functions are in its own header (see README.md's table).
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
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/cti.h>

#include "acl.h"
#include "announce.h"
#include "auth.h"
#include "blob.h"
#include "conn.h"
#include "fanout.h"
#include "listing.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "principal.h"
#include "registry.h"
#include "replay.h"
#include "ruid.h"
#include "requests.h"
#include "session.h"
#include "stats.h"
#include "host/host.h"
#include "wire.h"
#include "cti_provider.h"

struct ctid;

struct acct_set;
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
int ctid_check_providers(struct ctid *ctx, struct config *cfg, const struct ctid_options *o);
int ctid_run(struct ctid *ctx, struct config *cfg, const struct ctid_options *o);

/* "instance/name" -> id, open addressing, never shrinks (lines.c). */
struct key_ent {
	char *key;
	uint32_t id;
};

/*
 * The context: everything ctid holds. main() makes the one instance on its
 * stack and run.c fills it; it reaches every layer explicitly, never
 * through a global: functions take it first (ctx), the objects a callback
 * gets lead to it (a provider's ->ctx, a request table's ->ctx), and a loop
 * callback gets its loop, which is the context's (ctid_of_loop()). log.c
 * and loop.c see only their own part of it.
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
	/*
	 * Detached sessions in the order they detached, oldest at @head; a
	 * resumed or ended one leaves a NULL (no links in every session:
	 * idle clients pay nothing for it).
	 */
	struct {
		struct session **v;
		uint32_t cap, head, count;	/* a ring of @count slots */
	} detached;
	uint32_t ndetached;			/* non-NULL slots */
	struct request_table requests;
	uint32_t nconns;
	uint64_t events_lost;		/* events no session could be given */
	struct blob_pool blobs;
	struct replay_log replay;
	struct announce_batch announce;
	const struct conn_ops *conn_ops;	/* set by run.c */
	struct conn_server srv;		/* conn.c's */
	const struct registry_ops *registry_ops;	/* set by run.c */
	const struct session_ops *session_ops;	/* set by run.c */
	struct orphan_queue orphans;	/* lines.c's, see registry.h */
	struct pcache *pcache;		/* principals by uid */
	struct acct_set *acct_ovl;	/* the state file's sections (reload.h) */
	struct auth_state auth;		/* TLS clients: auth.c's */
	struct ruid_table ruids;	/* remote users' uids (ruid.h) */
	struct ctid_stats stats;	/* stats.c's; bumped where things happen */
	struct cti_wire_frame rx_frame;	/* the frame being dispatched */
	struct notify_state notify;	/* notify.c's */
	bool stopping;
};

/* The context of a loop callback: the loop is the context's own. */
static inline struct ctid *ctid_of_loop(struct loop *lp)
{
	return (struct ctid *)((char *)lp - offsetof(struct ctid, loop));
}

#endif
