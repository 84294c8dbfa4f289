/* SPDX-License-Identifier: GPL-2.0 */
/*
 * registry: stable line ids, the lines, the mirror of their calls
 * (lines.c). The registry sits below sessions and providers' host calls
 * into it; it tells what changed to one observer, the struct
 * registry_ops that run.c registers (fan-out, with the line-change
 * batching of announce.c), as struct cti_card_ops does in the kernel.
 */
#ifndef CTID_REGISTRY_H
#define CTID_REGISTRY_H

#include <stdbool.h>

#include <stdint.h>

#include <linux/cti.h>

#include "wire.h"

struct ctid;

struct cti_provider_line_desc;
struct phone;
struct provider;
struct session;

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
	/*
	 * The session a HANDOFF gave the call to (0: none): its only owner
	 * while that session has the line open (line_drop_session() clears
	 * it), so that the sender cannot take it back (issue 6, hole 8).
	 */
	uint64_t owner_sid;
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
	struct phone *phone;		/* its phone (phone_state.h), or NULL */
};


struct registry_ops {
	/* an event of line @l (and call @c, if it is about one) */
	void (*line_event)(struct ctid *ctx, struct line *l, const struct call *c,
			   const struct cti_wire_frame *f);
	/* an instance-wide event of provider @p */
	void (*provider_event)(struct ctid *ctx, struct provider *p, const struct cti_wire_frame *f);
	/* line @l was added or removed */
	void (*line_changed)(struct ctid *ctx, struct line *l, bool added);
	/* a provider operation that changes many lines begins or ends */
	void (*batch)(struct ctid *ctx, bool begin);
	/*
	 * Call @c of line @l has lost its last owner (registry_flush_orphans()
	 * found nobody owning it since): the provider should drop it.
	 */
	void (*call_orphaned)(struct ctid *ctx, struct line *l, struct call *c);
};

/*
 * Calls whose last owning session went away, by line id and handle: kept
 * until registry_flush_orphans(), so that the provider is told outside
 * the request or teardown that caused it (never inside another op, and
 * never while the registry walks the line's calls).
 */
struct orphan_queue {
	struct orphan { uint32_t line, call; } *v;
	uint32_t n, cap;
};

void registry_set_ops(struct ctid *ctx, const struct registry_ops *ops);
void registry_line_event(struct ctid *ctx, struct line *l, const struct call *c,
			 const struct cti_wire_frame *f);
void registry_provider_event(struct ctid *ctx, struct provider *p, const struct cti_wire_frame *f);
void registry_batch(struct ctid *ctx, bool begin);

/* lines.c: registry, stable ids, event mirror */
int lines_init(void);
void lines_exit(struct ctid *ctx);
struct line *line_get(struct ctid *ctx, uint32_t id);
struct line *line_by_local(struct ctid *ctx, struct provider *p, uint32_t local);
int line_add(struct ctid *ctx, struct provider *p, uint32_t local,
	     const struct cti_provider_line_desc *desc, uint32_t *id);
int line_remove(struct ctid *ctx, struct line *l);
struct call *line_call(struct line *l, uint32_t call);
struct call *line_call_get_or_add(struct line *l, uint32_t handle, bool *added);
void line_call_del(struct line *l, struct call *c);
/* Tells the line's sessions its status (and ctid's count of its calls). */
void line_status_changed(struct ctid *ctx, struct line *l);
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
void line_drop_session(struct ctid *ctx, struct line *l, struct session *s);
/* The access rules in ctx->cfg changed: every present line's masks again. */
void lines_remask(struct ctid *ctx);
/*
 * @s no longer owns call @c of @l (it left the line or lost the right): if
 * no session owns the call now, it is queued as orphaned.
 */
void line_call_lost_owner(struct ctid *ctx, struct line *l, const struct call *c,
			  const struct session *s);
/*
 * Call @c of @l is DISCONNECTED (its other party went away): only an
 * owner drops such a call, so if it has none (its line's owners left, or
 * it never had one: a line nobody owns was rung) it is queued as
 * orphaned too, or it would hold a call of its line for ever.
 */
void line_call_disconnected(struct ctid *ctx, struct line *l, const struct call *c);
/*
 * Tells the observer about the queued calls that still exist and that
 * still nobody owns (a session may have opened the line meanwhile). Runs
 * before the loop waits; ctid stopping tells nobody (its providers are
 * going anyway).
 */
void registry_flush_orphans(struct ctid *ctx);

#endif
