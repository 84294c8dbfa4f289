// SPDX-License-Identifier: GPL-2.0
/*
 * The line registry: stable ids, access masks, and ctid's mirror of each
 * line's status and calls, updated from the records providers post.
 *
 * Ids: a line is known by "instance/name". The first time a key is seen it
 * gets the next id; the key keeps its id for the daemon's lifetime, so a
 * line that goes away (unplug, provider unload or reload) and comes back
 * has the same id, and a removed line's id keeps answering ENODEV.
 *
 * Memory per line (the 100,000-line target is < 1 KiB): struct line
 * (~160 bytes), its addresses (32 bytes each), one slot in the id array,
 * one in the key table and one in its provider's index map. Calls and
 * openers are allocated only when they exist.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "authz.h"
#include "ctid.h"
#include "log.h"
#include "phone_state.h"


static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static uint32_t hash_u32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352d;
	x ^= x >> 15;
	x *= 0x846ca68b;
	x ^= x >> 16;
	return x;
}

static int keys_grow(struct ctid *ctx)
{
	uint32_t ncap = ctx->keys_cap ? ctx->keys_cap * 2 : 1024;
	struct key_ent *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (uint32_t i = 0; i < ctx->keys_cap; i++) {
		uint32_t j;

		if (!ctx->keys[i].key)
			continue;
		for (j = hash_str(ctx->keys[i].key) & (ncap - 1); n[j].key;
		     j = (j + 1) & (ncap - 1))
			;
		n[j] = ctx->keys[i];
	}
	free(ctx->keys);
	ctx->keys = n;
	ctx->keys_cap = ncap;
	return 0;
}

/* Returns the key's id, giving it a new one if it has none. */
static int key_id(struct ctid *ctx, const char *key, uint32_t *id)
{
	uint32_t j;

	if ((ctx->keys_used + 1) * 2 > ctx->keys_cap && keys_grow(ctx))
		return -ENOMEM;
	for (j = hash_str(key) & (ctx->keys_cap - 1); ctx->keys[j].key;
	     j = (j + 1) & (ctx->keys_cap - 1))
		if (!strcmp(ctx->keys[j].key, key)) {
			*id = ctx->keys[j].id;
			return 0;
		}
	if (ctx->max_line_id >= CTI_LINE_NONE - 1)
		return -ENOSPC;
	ctx->keys[j].key = strdup(key);
	if (!ctx->keys[j].key)
		return -ENOMEM;
	ctx->keys[j].id = ++ctx->max_line_id;
	ctx->keys_used++;
	*id = ctx->keys[j].id;
	return 0;
}

/* Provider-local index -> line id. */
static uint32_t *pmap_slot(struct provider *p, uint32_t local)
{
	uint32_t j;

	if (!p->map_cap)
		return NULL;
	for (j = hash_u32(local) & (p->map_cap - 1); p->map_vals[j];
	     j = (j + 1) & (p->map_cap - 1))
		if (p->map_keys[j] == local)
			return &p->map_vals[j];
	return NULL;
}

static int pmap_put(struct provider *p, uint32_t local, uint32_t id)
{
	uint32_t j;

	if ((p->map_used + 1) * 2 > p->map_cap) {
		uint32_t ncap = p->map_cap ? p->map_cap * 2 : 64;
		uint32_t *nk = calloc(ncap, sizeof(*nk));
		uint32_t *nv = calloc(ncap, sizeof(*nv));

		if (!nk || !nv) {
			free(nk);
			free(nv);
			return -ENOMEM;
		}
		for (uint32_t i = 0; i < p->map_cap; i++) {
			if (!p->map_vals[i])
				continue;
			for (j = hash_u32(p->map_keys[i]) & (ncap - 1); nv[j];
			     j = (j + 1) & (ncap - 1))
				;
			nk[j] = p->map_keys[i];
			nv[j] = p->map_vals[i];
		}
		free(p->map_keys);
		free(p->map_vals);
		p->map_keys = nk;
		p->map_vals = nv;
		p->map_cap = ncap;
	}
	for (j = hash_u32(local) & (p->map_cap - 1); p->map_vals[j];
	     j = (j + 1) & (p->map_cap - 1))
		;
	p->map_keys[j] = local;
	p->map_vals[j] = id;
	p->map_used++;
	return 0;
}

/* Deletion with backward shift, so that lookups need no tombstones. */
static void pmap_del(struct provider *p, uint32_t local)
{
	uint32_t mask = p->map_cap - 1, i, j;

	if (!p->map_cap)
		return;
	for (i = hash_u32(local) & mask; p->map_vals[i]; i = (i + 1) & mask)
		if (p->map_keys[i] == local)
			break;
	if (!p->map_vals[i])
		return;
	p->map_vals[i] = 0;
	p->map_used--;
	for (j = (i + 1) & mask; p->map_vals[j]; j = (j + 1) & mask) {
		uint32_t h = hash_u32(p->map_keys[j]) & mask;

		/* move j back to i if its home is not in (i, j] */
		if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
			p->map_keys[i] = p->map_keys[j];
			p->map_vals[i] = p->map_vals[j];
			p->map_vals[j] = 0;
			i = j;
		}
	}
}

int lines_init(void)
{
	return 0;
}

static void call_free(struct call *c)
{
	while (c->privs) {
		struct call_priv *n = c->privs->next;

		free(c->privs);
		c->privs = n;
	}
	free(c);
}

static void line_free_calls(struct line *l)
{
	while (l->calls) {
		struct call *n = l->calls->next;

		call_free(l->calls);
		l->calls = n;
	}
	l->num_calls = 0;
}

void lines_exit(struct ctid *ctx)
{
	for (uint32_t i = 1; i <= ctx->max_line_id && i < ctx->nlines_cap; i++) {
		struct line *l = ctx->lines[i];

		if (!l)
			continue;
		line_free_calls(l);
		free(l->openers);
		free(l->addresses);
		phone_free(l->phone);
		free(l);
	}
	free(ctx->lines);
	ctx->lines = NULL;
	free(ctx->orphans.v);
	ctx->orphans = (struct orphan_queue){ 0 };
	for (uint32_t i = 0; i < ctx->keys_cap; i++)
		free(ctx->keys[i].key);
	free(ctx->keys);
	ctx->keys = NULL;
	ctx->keys_cap = ctx->keys_used = 0;
}

struct line *line_get(struct ctid *ctx, uint32_t id)
{
	if (!id || id >= ctx->nlines_cap)
		return NULL;
	return ctx->lines[id];
}

struct line *line_by_local(struct ctid *ctx, struct provider *p, uint32_t local)
{
	uint32_t *slot = pmap_slot(p, local);

	return slot ? line_get(ctx, *slot) : NULL;
}

struct call *line_call(struct line *l, uint32_t call)
{
	for (struct call *c = l->calls; c; c = c->next)
		if (c->call == call)
			return c;
	return NULL;
}

bool line_visible(const struct session *s, const struct line *l)
{
	return l && !l->removed && authz_may_see(&s->pr, l);
}

uint32_t session_line_priv(const struct session *s, const struct line *l)
{
	for (uint32_t i = 0; i < l->nopeners; i++)
		if (l->openers[i].s == s)
			return l->openers[i].priv;
	return CTI_WIRE_PRIV_NONE;
}

uint32_t call_priv_of(const struct call *c, const struct session *s,
			     uint32_t line_priv)
{
	uint32_t priv = line_priv;

	for (const struct call_priv *cp = c->privs; cp; cp = cp->next)
		if (cp->s == s) {
			priv = cp->priv;
			break;
		}
	/*
	 * A call handed off is its receiver's alone while the receiver has
	 * the line open (owner_sid is cleared when it leaves the line), so
	 * the sender and the other owners of the line are MONITORs of it.
	 */
	if (priv == CTI_WIRE_PRIV_OWNER && c->owner_sid &&
	    c->owner_sid != s->id)
		priv = CTI_WIRE_PRIV_MONITOR;
	return priv;
}

uint32_t session_call_priv(const struct session *s, const struct line *l,
			   const struct call *c)
{
	return call_priv_of(c, s, session_line_priv(s, l));
}

void call_set_priv(struct call *c, struct session *s, uint32_t priv)
{
	struct call_priv *cp;

	for (cp = c->privs; cp; cp = cp->next)
		if (cp->s == s) {
			cp->priv = priv;
			return;
		}
	cp = calloc(1, sizeof(*cp));
	if (!cp)
		return;
	cp->s = s;
	cp->priv = priv;
	cp->next = c->privs;
	c->privs = cp;
}

/* Some session other than @except owns call @c of @l. */
static bool call_has_owner(const struct line *l, const struct call *c,
			   const struct session *except)
{
	for (uint32_t i = 0; i < l->nopeners; i++)
		if (l->openers[i].s != except &&
		    call_priv_of(c, l->openers[i].s, l->openers[i].priv) ==
		    CTI_WIRE_PRIV_OWNER)
			return true;
	return false;
}

static void orphan_push(struct ctid *ctx, uint32_t line, uint32_t call)
{
	struct orphan_queue *q = &ctx->orphans;

	if (q->n == q->cap) {
		uint32_t ncap = q->cap ? q->cap * 2 : 16;
		struct orphan *n = realloc(q->v, ncap * sizeof(*n));

		if (!n) {
			/* the call stays, as it did before ctid told providers */
			log_rl(&ctx->log, LOG_LVL_WARN, "out of memory: call %u of line %u is left to its provider",
			       call, line);
			return;
		}
		q->v = n;
		q->cap = ncap;
	}
	q->v[q->n].line = line;
	q->v[q->n].call = call;
	q->n++;
}

void line_call_lost_owner(struct ctid *ctx, struct line *l, const struct call *c,
			  const struct session *s)
{
	if (!l->removed && !call_has_owner(l, c, s))
		orphan_push(ctx, l->id, c->call);
}

void line_call_disconnected(struct ctid *ctx, struct line *l, const struct call *c)
{
	if (!l->removed && !call_has_owner(l, c, NULL))
		orphan_push(ctx, l->id, c->call);
}

void registry_flush_orphans(struct ctid *ctx)
{
	/*
	 * Taken off the queue first: what the provider does now (records,
	 * a session closed by a slow send) may queue more, for the next
	 * round; a few rounds bound the work of one loop pass.
	 */
	for (int round = 0; round < 4 && ctx->orphans.n; round++) {
		struct orphan_queue q = ctx->orphans;

		ctx->orphans = (struct orphan_queue){ 0 };
		for (uint32_t i = 0; i < q.n && !ctx->stopping; i++) {
			struct line *l = line_get(ctx, q.v[i].line);
			struct call *c = l ? line_call(l, q.v[i].call) : NULL;

			if (!c || l->removed || !l->prov ||
			    call_has_owner(l, c, NULL))
				continue;
			ctx->registry_ops->call_orphaned(ctx, l, c);
		}
		free(q.v);
	}
}

/*
 * Forgets everything @s had on @l (close, session end, a right taken
 * away); the calls it owned and nobody else does are orphans now.
 */
void line_drop_session(struct ctid *ctx, struct line *l, struct session *s)
{
	uint32_t line_priv = session_line_priv(s, l);

	for (struct call *c = l->calls; c; c = c->next)
		if (call_priv_of(c, s, line_priv) == CTI_WIRE_PRIV_OWNER)
			line_call_lost_owner(ctx, l, c, s);
	for (uint32_t i = 0; i < l->nopeners; i++)
		if (l->openers[i].s == s) {
			l->openers[i] = l->openers[--l->nopeners];
			break;
		}
	for (struct call *c = l->calls; c; c = c->next) {
		struct call_priv **pp = &c->privs;

		/* what was handed to @s is shared by the line's owners again */
		if (c->owner_sid == s->id)
			c->owner_sid = 0;

		while (*pp) {
			if ((*pp)->s == s) {
				struct call_priv *d = *pp;

				*pp = d->next;
				free(d);
			} else {
				pp = &(*pp)->next;
			}
		}
	}
}

void line_fill_wire(const struct line *l, const struct session *s,
		    struct cti_wire_line *w)
{
	memset(w, 0, sizeof(*w));
	w->line = l->id;
	w->status = l->status;
	w->ops = l->ops;
	w->uops = l->uops;
	w->provider = l->prov ? l->prov->id : 0;
	w->num_calls = l->num_calls;
	w->max_calls = l->max_calls;
	if (s) {
		if (authz_may_see(&s->pr, l))
			w->allowed |= 1u << CTI_WIRE_PRIV_MONITOR;
		if (authz_may_own(&s->pr, l))
			w->allowed |= 1u << CTI_WIRE_PRIV_OWNER;
		w->privilege = session_line_priv(s, l);
	}
	w->forward_mode = l->forward_mode;
	w->dnd = l->dnd;
	w->num_addresses = l->num_addresses;
	memcpy(w->name, l->name, sizeof(w->name));
	if (l->prov)
		snprintf(w->provider_name, sizeof(w->provider_name), "%s",
			 l->prov->name);
	for (uint32_t i = 0; i < l->num_addresses; i++)
		memcpy(w->addresses[i], l->addresses[i], CTI_NUMBER_MAX);
	memcpy(w->forward_to, l->forward_to, sizeof(w->forward_to));
}

void call_fill_wire(const struct line *l, const struct call *c,
		    const struct session *s, struct cti_wire_call *w)
{
	memset(w, 0, sizeof(*w));
	w->line = l->id;
	w->call = c->call;
	w->state = c->state;
	w->reason = c->reason;
	w->origin = c->origin;
	w->related_call = c->related;
	w->privilege = s ? session_call_priv(s, l, c) : 0;
	memcpy(w->caller, c->caller, sizeof(w->caller));
	memcpy(w->caller_name, c->caller_name, sizeof(w->caller_name));
	memcpy(w->called, c->called, sizeof(w->called));
	memcpy(w->called_name, c->called_name, sizeof(w->called_name));
}

static bool str_ok(const char *s, size_t max)
{
	return memchr(s, '\0', max) != NULL;
}

static int lines_reserve(struct ctid *ctx, uint32_t id)
{
	uint32_t ncap;
	struct line **n;

	if (id < ctx->nlines_cap)
		return 0;
	ncap = ctx->nlines_cap ? ctx->nlines_cap : 256;
	while (ncap <= id)
		ncap *= 2;
	n = realloc(ctx->lines, ncap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memset(n + ctx->nlines_cap, 0, (ncap - ctx->nlines_cap) * sizeof(*n));
	ctx->lines = n;
	ctx->nlines_cap = ncap;
	return 0;
}

static int check_desc(const struct cti_provider_line_desc *d)
{
	if (d->size < offsetof(struct cti_provider_line_desc, phone))
		return -EINVAL;
	if (!str_ok(d->name, sizeof(d->name)) || !d->name[0] ||
	    cti_wire_check_name(d->name, strlen(d->name)))
		return -EINVAL;
	if (d->num_addresses > CTI_MAX_ADDRESSES || d->status > CTI_LINE_MAINTENANCE)
		return -EINVAL;
	for (uint32_t i = 0; i < d->num_addresses; i++)
		if (!str_ok(d->addresses[i], CTI_NUMBER_MAX) ||
		    cti_wire_check_number(d->addresses[i], strlen(d->addresses[i])))
			return -EINVAL;
	return 0;
}

int line_add(struct ctid *ctx, struct provider *p, uint32_t local,
	     const struct cti_provider_line_desc *desc, uint32_t *idp)
{
	struct cti_provider_line_desc d = { 0 };
	char key[CTI_PROVIDER_NAME_MAX + CTI_NAME_MAX + 1];
	struct line *l;
	uint32_t id;
	int ret;

	if (!desc || local == CTI_LINE_NONE)
		return -EINVAL;
	/* An older, smaller descriptor is zero-extended. */
	memcpy(&d, desc, desc->size < sizeof(d) ? desc->size : sizeof(d));
	ret = check_desc(&d);
	if (ret)
		return ret;
	if (pmap_slot(p, local))
		return -EEXIST;
	snprintf(key, sizeof(key), "%s/%s", p->name, d.name);
	ret = key_id(ctx, key, &id);
	if (ret)
		return ret;
	ret = lines_reserve(ctx, id);
	if (ret)
		return ret;
	l = ctx->lines[id];
	if (l && !l->removed)
		return -EEXIST;		/* the name is taken in this instance */
	if (!l) {
		l = calloc(1, sizeof(*l));
		if (!l)
			return -ENOMEM;
		ctx->lines[id] = l;
	}
	free(l->addresses);
	l->addresses = NULL;
	if (d.num_addresses) {
		l->addresses = calloc(d.num_addresses, CTI_NUMBER_MAX);
		if (!l->addresses)
			return -ENOMEM;
		memcpy(l->addresses, d.addresses, d.num_addresses * CTI_NUMBER_MAX);
	}
	ret = phone_attach(&l->phone, &d.phone);
	if (ret == -ENOMEM)
		return ret;
	if (ret)	/* the line works without the phone ctid cannot show */
		log_rl(&ctx->log, LOG_LVL_WARN, "%s: the phone of line \"%s\" is beyond ctid's bounds: not offered",
		       p->name, d.name);
	ret = pmap_put(p, local, id);
	if (ret)
		return ret;
	l->id = id;
	l->local = local;
	l->prov = p;
	l->removed = false;
	l->ops = d.ops & ((1ull << CTI_CMD_MAX) - 1);
	l->uops = d.uops;
	l->max_calls = d.max_calls ? d.max_calls : 1;
	l->status = d.status;
	l->num_addresses = d.num_addresses;
	l->forward_mode = 0;
	l->dnd = 0;
	l->forward_to[0] = '\0';
	memcpy(l->name, d.name, sizeof(l->name));
	acl_line_masks(ctx->cfg, id, key, &l->own_mask, &l->mon_mask);
	l->pickup_mask = acl_line_pickup_mask(ctx->cfg, id, key);
	p->acl_union |= l->own_mask | l->mon_mask;
	p->nlines++;
	ctx->lines_present++;
	if (idp)
		*idp = id;
	log_debug(&ctx->log, "%s: line %u \"%s\" added (local %u)", p->name, id, key, local);

	ctx->registry_ops->line_changed(ctx, l, true);
	return 0;
}

/*
 * SIGHUP gave new [user]/[group] sections: the entries' indices and what
 * they match may all have changed, so every line's masks (a removed
 * line's too: its tombstone answers whoever may see it) and every
 * provider's union are computed again, by the "instance/name" key the
 * line was added with, as line_add() does.
 */
void lines_remask(struct ctid *ctx)
{
	for (struct provider *p = ctx->providers; p; p = p->next)
		p->acl_union = 0;
	for (uint32_t i = 0; i < ctx->keys_cap; i++) {
		struct line *l = ctx->keys[i].key ? line_get(ctx, ctx->keys[i].id) : NULL;

		if (!l)
			continue;
		acl_line_masks(ctx->cfg, l->id, ctx->keys[i].key, &l->own_mask,
			       &l->mon_mask);
		l->pickup_mask = acl_line_pickup_mask(ctx->cfg, l->id,
						      ctx->keys[i].key);
		if (!l->removed && l->prov)
			l->prov->acl_union |= l->own_mask | l->mon_mask;
	}
}

int line_remove(struct ctid *ctx, struct line *l)
{
	struct provider *p = l->prov;

	if (l->removed || !p)
		return -ENOENT;
	ctx->registry_ops->line_changed(ctx, l, false);

	/*
	 * Sessions keep the line open while it is away: requests fail with
	 * ENODEV until it comes back (a provider reload), then work again
	 * without the clients having to open it anew. Its calls are gone.
	 */
	line_free_calls(l);
	phone_detach(l->phone);
	pmap_del(p, l->local);
	p->nlines--;
	ctx->lines_present--;
	l->removed = true;
	l->prov = NULL;
	log_debug(&ctx->log, "%s: line %u removed", p->name, l->id);
	return 0;
}

struct call *line_call_get_or_add(struct line *l, uint32_t handle, bool *added)
{
	struct call *c = line_call(l, handle);

	*added = false;
	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->call = handle;
	c->next = l->calls;
	l->calls = c;
	l->num_calls++;
	*added = true;
	return c;
}

void line_call_del(struct line *l, struct call *c)
{
	struct call **pp;

	for (pp = &l->calls; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			call_free(c);
			l->num_calls--;
			return;
		}
}

/*
 * ctid keeps each line's number of calls from the call records, so that it
 * is right whatever the provider posts: every change is announced as a
 * LINE_STATUS (after the record that caused it).
 */
void line_status_changed(struct ctid *ctx, struct line *l)
{
	struct cti_wire_frame f;
	struct cti_wire_ev_line_status *w = &f.u.line_status;

	/* once per change: zero the header and this body, not the union */
	memset(&f, 0, offsetof(struct cti_wire_frame, u) + sizeof(*w));
	f.hdr.type = CTI_WIRE_EV_LINE_STATUS;
	w->line = l->id;
	w->status = l->status;
	w->num_calls = l->num_calls;
	w->forward_mode = l->forward_mode;
	w->dnd = l->dnd;
	w->timestamp_ns = loop_realtime_ns(&ctx->loop);
	memcpy(w->forward_to, l->forward_to, sizeof(w->forward_to));
	registry_line_event(ctx, l, NULL, &f);
}

void registry_set_ops(struct ctid *ctx, const struct registry_ops *ops)
{
	ctx->registry_ops = ops;
}

void registry_line_event(struct ctid *ctx, struct line *l, const struct call *c,
			 const struct cti_wire_frame *f)
{
	if (phone_apply(l->phone, f))
		log_rl(&ctx->log, LOG_LVL_WARN, "out of memory: the state of phone %u misses an event",
		       l->id);
	ctx->registry_ops->line_event(ctx, l, c, f);
}

void registry_provider_event(struct ctid *ctx, struct provider *p, const struct cti_wire_frame *f)
{
	ctx->registry_ops->provider_event(ctx, p, f);
}

void registry_batch(struct ctid *ctx, bool begin)
{
	ctx->registry_ops->batch(ctx, begin);
}
