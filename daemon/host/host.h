/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host: loading providers (dlopen, the ABI check), the host API they call
 * (cti_host_api: lines, events, completion, timers, transports,
 * authorize), their timers and their byte-stream transports
 * (host/provider.c, host/transport.c; records in host/records.c).
 */
#ifndef CTID_HOST_H
#define CTID_HOST_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cti_provider.h"
#include "wire.h"

struct config;
struct line;
struct request;
struct transport;
struct ptimer;
struct hcard;
struct hwatch;

struct host_timer {
	int64_t id;
	uint64_t deadline;
	uint64_t order;
	uint64_t cookie;
};

struct cti_host {
	struct provider *p;
};

struct ctid;

struct provider {
	struct cti_host host;
	struct ctid *ctx;		/* the context it was loaded in */
	struct provider *next;
	uint32_t id;
	int cfg_index;			/* its [provider] section */
	char name[CTI_PROVIDER_NAME_MAX];
	char path[PATH_MAX];
	void *dl;
	const struct cti_provider_ops *ops;
	void *state;
	bool up;
	uint32_t link;			/* CTI_WIRE_LINK_*: its last LINK_STATE */
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
	struct hcard *cards;		/* kernel cards it opened (card.c) */
	int64_t next_card_id;
	struct hwatch *watch;		/* its card watch, or NULL */
};

/* provider.c */
int providers_start(struct ctid *ctx);
void providers_stop(struct ctid *ctx);
struct provider *provider_find(struct ctid *ctx, const char *name);
int provider_load(struct ctid *ctx, int cfg_index);
int provider_unload(struct ctid *ctx, struct provider *p, int error);
int provider_submit(struct provider *p, struct request *r, struct line *l,
		    const struct cti_wire_command *cmd, uid_t uid);
int provider_check_config(struct config *cfg, int index, const char *exe_dir);
/* Call @call of its line @local lost its last owner (the op, if it has it). */
void provider_call_orphaned(struct ctid *ctx, struct provider *p, uint32_t local,
			    uint32_t call);

/* transport.c */
int64_t transport_open_tcp(struct ctid *ctx, struct provider *p, const char *name, uint16_t port,
			   uint64_t cookie);
int64_t transport_open_unix(struct ctid *ctx, struct provider *p, const char *path,
			    uint64_t cookie);
int64_t transport_open_serial(struct ctid *ctx, struct provider *p, const char *tty,
			      uint32_t baud, uint64_t cookie);
int64_t transport_open_tls(struct ctid *ctx, struct provider *p, const char *name, uint16_t port,
			   const struct cti_transport_tls *tls, uint64_t cookie);
int transport_send(struct ctid *ctx, struct provider *p, int64_t tid, const void *buf, size_t len);
int transport_close(struct ctid *ctx, struct provider *p, int64_t tid);
void transports_close_all(struct ctid *ctx, struct provider *p);

#endif
