// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions: the client protocol of doc/protocol.md on top of server.c's
 * connections. HELLO and resume, requests and their REPLY, event fan-out
 * with per-session sequence numbers, the replay ring, and the slow-client
 * rule (GAP, RESYNC, snapshot).
 *
 * Authorisation happens here, at the point of effect: every request looks
 * up the line through the user's ACL masks (an invisible line answers
 * ENOENT exactly like a missing one), OPEN_LINE checks the right to own or
 * monitor, COMMAND checks the session's privilege on the line and on the
 * call and the user's right to own the line again, admin requests check
 * the admin flag.
 *
 * Events are encoded once into a shared, reference-counted blob; each
 * session gets a copy in its queue with its own sequence number (and its
 * own privilege on the call) patched in, and a reference in its replay
 * ring, so fan-out to N sessions costs N memcpy of ~60 bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "config.h"
#include "authz.h"
#include "ctid.h"
#include "log.h"

#define SESSION_ALIGN	64	/* a cache line */

/* A detached session that asked for resume lives this long. */
#define SESSION_LINGER_NS	(60ull * 1000000000ull)


/* ---- sessions ---- */

static void shash_add(struct ctid *ctx, struct session *s)
{
	if (ctx->nsessions + 1 > ctx->shash_cap) {
		uint32_t ncap = ctx->shash_cap ? ctx->shash_cap * 2 : 256;
		struct session **n = calloc(ncap, sizeof(*n));

		if (n) {
			for (uint32_t i = 0; i < ctx->shash_cap; i++) {
				while (ctx->shash[i]) {
					struct session *x = ctx->shash[i];

					ctx->shash[i] = x->hnext;
					x->hnext = n[x->id & (ncap - 1)];
					n[x->id & (ncap - 1)] = x;
				}
			}
			free(ctx->shash);
			ctx->shash = n;
			ctx->shash_cap = ncap;
		}
	}
	s->hnext = ctx->shash[s->id & (ctx->shash_cap - 1)];
	ctx->shash[s->id & (ctx->shash_cap - 1)] = s;
	ctx->nsessions++;
	s->next = ctx->sessions;
	if (ctx->sessions)
		ctx->sessions->prev = s;
	ctx->sessions = s;
}

static struct session *session_find(struct ctid *ctx, uint64_t id)
{
	if (!ctx->shash_cap)
		return NULL;
	for (struct session *s = ctx->shash[id & (ctx->shash_cap - 1)]; s; s = s->hnext)
		if (s->id == id)
			return s;
	return NULL;
}

static struct session *session_new(struct ctid *ctx, struct conn *c)
{
	const struct acl_principal *pr = principal_get(ctx, c->uid);
	/* its first cache line is what fan-out touches per event (session.h) */
	size_t size = (sizeof(struct session) + SESSION_ALIGN - 1) & ~(size_t)(SESSION_ALIGN - 1);
	struct session *s = aligned_alloc(SESSION_ALIGN, size);

	if (!s || !pr) {
		free(s);
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	do {
		if (getrandom(&s->id, sizeof(s->id), 0) != sizeof(s->id))
			s->id = loop_now_ns() ^ ((uint64_t)c->fd << 48);
	} while (!s->id || session_find(ctx, s->id));
	s->pr = *pr;
	s->created_ns = loop_realtime_ns(&ctx->loop);
	shash_add(ctx, s);
	return s;
}

/* ---- detached sessions ---- */

static struct session **detached_at(struct ctid *ctx, uint32_t i)
{
	return &ctx->detached.v[(ctx->detached.head + i) % ctx->detached.cap];
}

/* Ended ones at the head leave; NULLs elsewhere are compacted when full. */
static void detached_trim(struct ctid *ctx)
{
	while (ctx->detached.count && !*detached_at(ctx, 0)) {
		ctx->detached.head = (ctx->detached.head + 1) % ctx->detached.cap;
		ctx->detached.count--;
	}
}

static void detached_unlink(struct ctid *ctx, struct session *s)
{
	if (!s->detached)
		return;
	for (uint32_t i = 0; i < ctx->detached.count; i++)
		if (*detached_at(ctx, i) == s) {
			*detached_at(ctx, i) = NULL;
			break;
		}
	s->detached = false;
	ctx->ndetached--;
	detached_trim(ctx);
}

static int detached_push(struct ctid *ctx, struct session *s)
{
	if (ctx->detached.count == ctx->detached.cap) {
		uint32_t ncap = ctx->detached.cap ? ctx->detached.cap * 2 : 64;
		struct session **n = malloc(ncap * sizeof(*n));
		uint32_t k = 0;

		if (!n)
			return -ENOMEM;
		for (uint32_t i = 0; i < ctx->detached.count; i++)
			if (*detached_at(ctx, i))
				n[k++] = *detached_at(ctx, i);
		free(ctx->detached.v);
		ctx->detached.v = n;
		ctx->detached.cap = ncap;
		ctx->detached.head = 0;
		ctx->detached.count = k;
	}
	*detached_at(ctx, ctx->detached.count++) = s;
	s->detached = true;
	ctx->ndetached++;
	return 0;
}

/* The oldest detached session of @uid, and how many that uid has. */
static struct session *detached_oldest_of(struct ctid *ctx, uid_t uid, uint32_t *count)
{
	struct session *oldest = NULL;

	*count = 0;
	for (uint32_t i = 0; i < ctx->detached.count; i++) {
		struct session *x = *detached_at(ctx, i);

		if (x && x->pr.uid == uid) {
			if (!oldest)
				oldest = x;
			(*count)++;
		}
	}
	return oldest;
}

/* The oldest detached session of anyone. */
static struct session *detached_oldest(struct ctid *ctx)
{
	detached_trim(ctx);
	return ctx->detached.count ? *detached_at(ctx, 0) : NULL;
}

/*
 * A resumable session outlives its connection for SESSION_LINGER_NS, but
 * a client can make those in a loop, and max_clients counts only
 * connections: so detached sessions are bounded per user and in all. At
 * the bound the oldest detached session (of that user, else of anyone)
 * goes, as if its resume window had passed: a resume of it gets RESYNC
 * (UNKNOWN_SESSION). Dropping the oldest rather than refusing keeps a
 * client that reconnects at once working (its newest session survives).
 */
static void session_detach(struct ctid *ctx, struct session *s)
{
	struct session *victim;
	uint32_t count;

	s->detached_at = loop_now_ns();
	if (detached_push(ctx, s)) {
		session_destroy(ctx, s);	/* no memory to keep it */
		return;
	}
	victim = detached_oldest_of(ctx, s->pr.uid, &count);
	while (victim && count > ctx->cfg->max_detached_per_user) {
		session_destroy(ctx, victim);
		victim = detached_oldest_of(ctx, s->pr.uid, &count);
	}
	while (ctx->ndetached > ctx->cfg->max_detached && (victim = detached_oldest(ctx)))
		session_destroy(ctx, victim);
}

void session_destroy(struct ctid *ctx, struct session *s)
{
	struct session **pp;

	detached_unlink(ctx, s);

	for (uint32_t i = 0; i < s->nopen; i++) {
		struct line *l = line_get(ctx, s->open[i]);

		if (l)
			line_drop_session(ctx, l, s);
	}
	free(s->open);
	if (ctx->session_ops && ctx->session_ops->ending)
		ctx->session_ops->ending(ctx, s);
	replay_cursor_free(&s->replay);
	listing_drop(s);
	requests_forget_owner(&ctx->requests, s);
	for (pp = ctx->shash_cap ? &ctx->shash[s->id & (ctx->shash_cap - 1)] : NULL;
	     pp && *pp; pp = &(*pp)->hnext)
		if (*pp == s) {
			*pp = s->hnext;
			ctx->nsessions--;
			break;
		}
	if (s->prev)
		s->prev->next = s->next;
	else if (ctx->sessions == s)
		ctx->sessions = s->next;
	if (s->next)
		s->next->prev = s->prev;
	if (s->conn)
		s->conn->s = NULL;
	free(s);
}

void session_conn_closed(struct ctid *ctx, struct conn *c)
{
	struct session *s = c->s;

	if (!s)
		return;
	c->s = NULL;
	s->conn = NULL;
	s->overflow = false;
	listing_cancel(s);
	if ((s->features & CTI_WIRE_FEAT_RESUME) && !ctx->stopping)
		session_detach(ctx, s);
	else
		session_destroy(ctx, s);
}

/*
 * BYE: the program ended its session on purpose, so nothing will resume
 * it. It ends at once, as a session without RESUME does when its
 * connection closes: the calls only it owned are orphaned now, not after
 * the 60 s a resume could take. The connection closes with it (nothing
 * answers a BYE).
 */
void session_bye(struct ctid *ctx, struct conn *c)
{
	if (c->s)
		c->s->features &= ~CTI_WIRE_FEAT_RESUME;
	conn_close(ctx, c, "BYE");
}

/* The detached list is in detach order: only the expired head is walked. */
void sessions_expire(struct ctid *ctx)
{
	uint64_t now = loop_now_ns();
	struct session *s;

	while ((s = detached_oldest(ctx)) && now - s->detached_at > SESSION_LINGER_NS)
		session_destroy(ctx, s);
}

/* ---- events ---- */

void session_event(struct ctid *ctx, struct session *s, struct blob *b, uint32_t priv)
{
	struct conn *c = s->conn;
	uint64_t seq = ++s->seq;

	if (s->features & CTI_WIRE_FEAT_RESUME)
		replay_note(&ctx->replay, &s->replay, seq, b, priv);
	if (!c || c->closing || s->overflow)
		return;
	if (!conn_queue_event(ctx, c, b, seq, priv)) {
		uint64_t first = conn_discard_events(c);

		s->overflow = true;
		s->gap_first = first ? first : seq;
		log_rl(&ctx->log, LOG_LVL_WARN, "session of uid %u (%s) is too slow: events from %llu dropped; GAP and RESYNC follow",
		       (unsigned int)c->uid, s->client_name,
		       (unsigned long long)s->gap_first);
	}
}

/*
 * An event this session should have had could not be made (the provider
 * gave a value the wire cannot carry, or memory ran out). Nothing is lost
 * silently: the event still takes a sequence number, its replay slot stays
 * empty, and the client gets GAP for it, RESYNC (OVERFLOW) and a snapshot,
 * exactly as a slow client does.
 */
void session_event_lost(struct ctid *ctx, struct session *s)
{
	struct conn *c = s->conn;
	uint64_t seq = ++s->seq;

	ctx->events_lost++;
	log_rl(&ctx->log, LOG_LVL_WARN, "session of uid %u (%s) lost event %llu (%llu lost in all); GAP and RESYNC follow",
	       (unsigned int)s->pr.uid, s->client_name,
	       (unsigned long long)seq, (unsigned long long)ctx->events_lost);
	if (s->features & CTI_WIRE_FEAT_RESUME)
		replay_note(&ctx->replay, &s->replay, seq, NULL, 0);
	if (!c || c->closing)
		return;		/* a resume finds the empty slot */
	if (!s->overflow) {
		s->overflow = true;
		s->gap_first = seq;
	}
	/* An idle connection has no send whose completion would say GAP. */
	if (!c->send_armed && !c->pending.len)
		session_drained(ctx, c);
}

/*
 * Many lines changed at once (announce.c): instead of one event per line,
 * the session skips one sequence number and gets GAP for it, RESYNC
 * (OVERFLOW) and a snapshot made as it reads, as a slow client does.
 */
void session_lines_changed(struct ctid *ctx, struct session *s)
{
	struct conn *c = s->conn;
	uint64_t seq = ++s->seq;

	if (s->features & CTI_WIRE_FEAT_RESUME)
		replay_note(&ctx->replay, &s->replay, seq, NULL, 0);
	if (!c || c->closing)
		return;
	if (!s->overflow) {
		s->overflow = true;
		s->gap_first = seq;
	}
	if (!c->send_armed && !c->pending.len)
		session_drained(ctx, c);
}

void session_event_frame(struct ctid *ctx, struct session *s,
			 const struct cti_wire_frame *f, uint32_t priv)
{
	struct blob *b = blob_encode(&ctx->blobs, f);

	if (b) {
		session_event(ctx, s, b, priv);
		blob_put(&ctx->blobs, b);
	} else {
		session_event_lost(ctx, s);
	}
}

void session_privilege_event(struct ctid *ctx, struct session *s, uint32_t line,
			     uint32_t call, uint32_t priv)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_EV_PRIVILEGE };

	f.u.privilege.line = line;
	f.u.privilege.call = call;
	f.u.privilege.privilege = priv;
	f.u.privilege.timestamp_ns = loop_realtime_ns(&ctx->loop);
	session_event_frame(ctx, s, &f, priv);
}

/*
 * @s may no longer own @l: its line and call privileges drop to MONITOR,
 * and the calls handed to it are shared by the line's owners again (it
 * cannot act on them any more). Tells the client if it owned the line.
 */
static void session_demote(struct ctid *ctx, struct session *s, struct line *l)
{
	bool was_owner = session_line_priv(s, l) == CTI_WIRE_PRIV_OWNER;

	for (struct call *k = l->calls; k; k = k->next) {
		/* TAPI: a call that loses its last owner is dropped */
		if (session_call_priv(s, l, k) == CTI_WIRE_PRIV_OWNER)
			line_call_lost_owner(ctx, l, k, s);
		if (k->owner_sid == s->id)
			k->owner_sid = 0;
		for (struct call_priv *cp = k->privs; cp; cp = cp->next)
			if (cp->s == s && cp->priv == CTI_WIRE_PRIV_OWNER)
				cp->priv = CTI_WIRE_PRIV_MONITOR;
	}
	for (uint32_t j = 0; j < l->nopeners; j++)
		if (l->openers[j].s == s)
			l->openers[j].priv = CTI_WIRE_PRIV_MONITOR;
	if (was_owner)
		session_privilege_event(ctx, s, l->id, 0, CTI_WIRE_PRIV_MONITOR);
}

void session_revalidate(struct ctid *ctx, struct session *s)
{
	const struct acl_principal *pr = principal_get(ctx, s->pr.uid);

	if (!pr)
		return;		/* NSS failed: keep what it had, try later */
	s->pr = *pr;
	for (uint32_t i = s->nopen; i-- > 0;) {
		struct line *l = line_get(ctx, s->open[i]);

		if (!l || l->removed)
			continue;	/* checked again when it comes back */
		if (!authz_may_see(&s->pr, l)) {
			s->open[i] = s->open[--s->nopen];
			line_drop_session(ctx, l, s);
			session_privilege_event(ctx, s, l->id, 0,
						CTI_WIRE_PRIV_NONE);
		} else if (!authz_may_own(&s->pr, l)) {
			session_demote(ctx, s, l);
		}
	}
	if (ctx->session_ops && ctx->session_ops->revalidated)
		ctx->session_ops->revalidated(ctx, s);
}

/* ---- replies ---- */

void session_reply(struct ctid *ctx, struct conn *c, uint64_t id, uint16_t req_type, int error,
		  uint32_t line, uint32_t call, uint16_t cmd)
{
	struct cti_wire_frame f;

	/* once per request: zero the header and this body, not the union */
	memset(&f, 0, offsetof(struct cti_wire_frame, u) + sizeof(f.u.reply));
	f.hdr.type = CTI_WIRE_REPLY;
	f.hdr.id = id;
	if (error < 0)
		ctx->stats.errors++;
	f.u.reply.error = error;
	f.u.reply.line = line;
	f.u.reply.call = call;
	f.u.reply.req_type = req_type;
	f.u.reply.cmd = cmd;
	conn_queue_frame(ctx, c, &f);
}

void session_error(struct ctid *ctx, struct conn *c, uint64_t id, uint16_t bad_type,
		       int error, uint32_t offset, const char *msg)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_ERROR, .hdr.id = id };

	ctx->stats.errors++;
	f.u.error.error = error;
	f.u.error.bad_type = bad_type < CTI_WIRE_TYPE_MAX ? bad_type : 0;
	f.u.error.offset = offset;
	snprintf(f.u.error.message, sizeof(f.u.error.message), "%s", msg);
	conn_queue_frame(ctx, c, &f);
}

void session_drained(struct ctid *ctx, struct conn *c)
{
	struct session *s = c->s;
	struct cti_wire_frame f;

	if (!s)
		return;
	if (!s->overflow) {
		listing_pump(ctx, s);
		return;
	}
	/* zeroed only here: this runs after every send, the 1 KiB frame
	 * is for the rare overflow */
	memset(&f, 0, sizeof(f));
	s->overflow = false;
	f.hdr.type = CTI_WIRE_GAP;
	f.u.gap.first_seq = s->gap_first;
	f.u.gap.last_seq = s->seq;
	f.u.gap.count = s->seq - s->gap_first + 1;
	ctx->stats.gaps++;
	ctx->stats.gap_events += f.u.gap.count;
	conn_queue_frame(ctx, c, &f);
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_RESYNC;
	f.u.resync.reason = CTI_WIRE_RESYNC_OVERFLOW;
	conn_queue_frame(ctx, c, &f);
	listing_start(ctx, s, 0, 0, 0, true, true, CTI_LINE_NONE);
}

/* ---- HELLO ---- */

/* The events after @seq are all still held (or there are none). */
static bool session_can_resume(struct ctid *ctx, const struct session *s, uint64_t seq)
{
	struct blob *b;
	uint32_t priv;

	if (seq > s->seq)
		return false;
	return seq == s->seq ||
	       replay_get(&ctx->replay, &s->replay, seq + 1, NULL, &b, &priv) !=
	       REPLAY_GONE;
}

/* Queues the session's events after @from again, with their seq. */
static void session_replay(struct ctid *ctx, struct conn *c, struct session *s, uint64_t from)
{
	uint32_t hint = 0;

	for (uint64_t q = from + 1; q <= s->seq; q++) {
		struct blob *b = NULL;
		uint32_t priv = 0;

		if (replay_get(&ctx->replay, &s->replay, q, &hint, &b, &priv) !=
		    REPLAY_OK) {
			/* lost before it was queued, or gone: GAP from here */
			s->overflow = true;
			s->gap_first = q;
			return;
		}
		if (!conn_queue_event(ctx, c, b, q, priv)) {
			uint64_t first = conn_discard_events(c);

			s->overflow = true;
			s->gap_first = first ? first : q;
			return;
		}
	}
}

void session_hello(struct ctid *ctx, struct conn *c, const struct cti_wire_frame *in)
{
	const struct cti_wire_hello *h = &in->u.hello;
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_HELLO_ACK };
	struct cti_wire_hello_ack *a = &f.u.hello_ack;
	uint64_t feats = h->features & CTI_WIRE_FEAT_KNOWN;
	struct session *s = NULL, *old = NULL;
	uint32_t resync = 0;

	if (h->version < 1) {
		session_error(ctx, c, 0, CTI_WIRE_HELLO, -EPROTONOSUPPORT, 16,
			   "protocol version 1 is the only one spoken");
		c->fatal = true;
		c->paused = true;
		return;
	}
	a->resume = CTI_WIRE_RESUME_NEW;
	if (h->resume_session && (feats & CTI_WIRE_FEAT_RESUME)) {
		old = session_find(ctx, h->resume_session);
		if (old && old->pr.uid == c->uid && session_can_resume(ctx, old, h->resume_seq)) {
			s = old;
			a->resume = CTI_WIRE_RESUME_OK;
		} else {
			resync = old && old->pr.uid == c->uid ?
				 CTI_WIRE_RESYNC_TOO_OLD :
				 CTI_WIRE_RESYNC_UNKNOWN_SESSION;
			a->resume = CTI_WIRE_RESUME_RESYNC;
			/* the client gave that session up */
			if (old && old->pr.uid == c->uid) {
				if (old->conn)
					conn_close(ctx, old->conn, "session taken over");
				if (session_find(ctx, h->resume_session))
					session_destroy(ctx, old);
			}
		}
	}
	if (s) {
		if (s->conn && s->conn != c) {
			struct conn *oc = s->conn;

			/* the old connection is dead but not yet noticed */
			oc->s = NULL;
			s->conn = NULL;
			conn_close(ctx, oc, "session resumed elsewhere");
		}
	} else {
		s = session_new(ctx, c);
		if (!s) {
			session_error(ctx, c, 0, CTI_WIRE_HELLO, -EAGAIN, 0,
				   "cannot identify the user now; try again");
			c->fatal = true;
			c->paused = true;
			return;
		}
	}
	detached_unlink(ctx, s);
	/*
	 * The rights it had may have been taken away meanwhile; with no
	 * connection yet, what this changes goes into the replay log and
	 * out with the replayed events.
	 */
	if (a->resume == CTI_WIRE_RESUME_OK)
		session_revalidate(ctx, s);
	s->conn = c;
	s->overflow = false;
	s->features = feats;
	snprintf(s->client_name, sizeof(s->client_name), "%s", h->client_name);
	c->s = s;

	a->version = CTI_WIRE_VERSION;
	a->features = feats;
	a->session = s->id;
	a->seq = a->resume == CTI_WIRE_RESUME_OK ? s->seq : 0;
	a->max_frame = CTI_WIRE_FRAME_MAX;
	a->uid = c->uid;
	a->flags = authz_is_admin(&s->pr) ? CTI_WIRE_ACK_F_ADMIN : 0;
	snprintf(a->server_name, sizeof(a->server_name), "ctid");
	conn_queue_frame(ctx, c, &f);
	log_debug(&ctx->log, "session %016llx for uid %u (%s) \"%s\": %s",
		  (unsigned long long)s->id, (unsigned int)c->uid, s->pr.name,
		  s->client_name, a->resume == CTI_WIRE_RESUME_OK ? "resumed" :
		  a->resume == CTI_WIRE_RESUME_NEW ? "new" : "resync");

	if (a->resume == CTI_WIRE_RESUME_OK) {
		session_replay(ctx, c, s, h->resume_seq);
	} else if (a->resume == CTI_WIRE_RESUME_RESYNC) {
		memset(&f, 0, sizeof(f));
		f.hdr.type = CTI_WIRE_RESYNC;
		f.u.resync.reason = resync;
		conn_queue_frame(ctx, c, &f);
		listing_start(ctx, s, 0, 0, 0, true, true, CTI_LINE_NONE);
	}
}
