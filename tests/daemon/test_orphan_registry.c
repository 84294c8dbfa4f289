// SPDX-License-Identifier: GPL-2.0
/*
 * Calls nobody owns, without a loop (issue 7): the registry tells its
 * observer about a call only when the last session that owned it left
 * (closed the line, ended, was handed the call and left) and nobody owns
 * it when the queue is flushed; a DISCONNECTED call on a line nobody owns
 * goes the same way; a session that opens the line before the flush
 * keeps the call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctid.h"
#include "linectl.h"
#include "harness.h"

/* the context a ctid would make at start-up (main.c) */
static struct ctid the_ctx;
static struct ctid *const ctx = &the_ctx;

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	printf("# %s\n", msg);
}

/* What the observer was told: line id and call of each orphan. */
static uint32_t told[16][2];
static int ntold;

static void call_orphaned(struct ctid *cx, struct line *l, struct call *c)
{
	(void)cx;
	if (ntold < 16) {
		told[ntold][0] = l->id;
		told[ntold][1] = c->call;
	}
	ntold++;
}

static void line_changed(struct ctid *cx, struct line *l, bool added)
{
	(void)cx;
	(void)l;
	(void)added;
}

static const struct registry_ops ops = {
	.line_changed = line_changed,
	.call_orphaned = call_orphaned,
};

static struct provider prov = { .name = "t", .up = true };

static struct line *add_line(uint32_t local, const char *name)
{
	struct cti_provider_line_desc d = {
		.size = sizeof(d),
		.max_calls = 4,
		.ops = 1ull << CTI_CMD_MAKE_CALL,
	};
	uint32_t id = 0;

	snprintf(d.name, sizeof(d.name), "%s", name);
	T_EXPECT(line_add(ctx, &prov, local, &d, &id) == 0, "line_add %s", name);
	return line_get(ctx, id);
}

static struct session *owner(uint64_t id, struct line *l)
{
	struct session *s = calloc(1, sizeof(*s));

	s->id = id;
	s->pr.mask = 1;		/* the config's one section: every line */
	T_EXPECT(linectl_open_line(ctx, s, l->id, CTI_WIRE_PRIV_OWNER) == 0,
	      "open as owner");
	return s;
}

static struct call *new_call(struct line *l, uint32_t handle)
{
	bool added;
	struct call *c = line_call_get_or_add(l, handle, &added);

	c->state = CTI_CALL_RINGBACK;
	return c;
}

static int flush(void)
{
	ntold = 0;
	registry_flush_orphans(ctx);
	return ntold;
}

/* Two owners: the call goes only when the second leaves too. */
static void last_owner(struct line *l)
{
	struct session *a = owner(101, l), *b = owner(102, l);

	new_call(l, 5);
	T_EXPECT(linectl_close_line(ctx, a, l->id) == 0, "close a");
	T_EXPECT(flush() == 0, "told while b owns the line");
	session_destroy(ctx, b);
	T_EXPECT(flush() == 1 && told[0][0] == l->id && told[0][1] == 5,
	      "not told when the last owner ended (%d)", ntold);
	session_destroy(ctx, a);
	T_EXPECT(flush() == 0, "told twice");
	line_call_del(l, line_call(l, 5));
}

/* A call handed off is the receiver's: its leaving makes it shared again. */
static void handoff(struct line *l)
{
	struct session *a = owner(103, l), *b = owner(104, l);
	struct call *c = new_call(l, 6);

	call_set_priv(c, b, CTI_WIRE_PRIV_OWNER);
	call_set_priv(c, a, CTI_WIRE_PRIV_MONITOR);
	c->owner_sid = b->id;
	T_EXPECT(session_call_priv(a, l, c) == CTI_WIRE_PRIV_MONITOR,
	      "the sender still owns a handed-off call");
	session_destroy(ctx, a);
	T_EXPECT(flush() == 0, "told when the sender left");
	session_destroy(ctx, b);
	T_EXPECT(flush() == 1 && told[0][1] == 6, "not told (%d)", ntold);
	line_call_del(l, line_call(l, 6));
}

/* A session that opens the line before the flush keeps the call. */
static void reopened(struct line *l)
{
	struct session *a = owner(105, l), *b;

	new_call(l, 7);
	session_destroy(ctx, a);
	b = owner(106, l);
	T_EXPECT(flush() == 0, "told although b owns the line now");
	session_destroy(ctx, b);
	T_EXPECT(flush() == 1, "not told when b left");
	line_call_del(l, line_call(l, 7));
}

/* DISCONNECTED with nobody to drop it: told; with an owner: not. */
static void disconnected(struct line *l)
{
	struct call *c = new_call(l, 8);
	struct session *a;

	c->state = CTI_CALL_DISCONNECTED;
	line_call_disconnected(ctx, l, c);
	T_EXPECT(flush() == 1 && told[0][1] == 8, "unowned: not told");
	a = owner(107, l);
	line_call_disconnected(ctx, l, c);
	T_EXPECT(flush() == 0, "told although a owns the line");
	T_EXPECT(linectl_close_line(ctx, a, l->id) == 0, "close");
	T_EXPECT(flush() == 1, "not told when its owner closed the line");
	free(a->open);
	free(a);
	line_call_del(l, line_call(l, 8));
}

/* A gone call, a removed line, a stopping ctid: nobody is told. */
static void nothing_to_tell(struct line *l)
{
	struct session *a = owner(108, l);

	new_call(l, 9);
	session_destroy(ctx, a);
	line_call_del(l, line_call(l, 9));
	T_EXPECT(flush() == 0, "told about a call that is gone");
	a = owner(109, l);
	new_call(l, 10);
	session_destroy(ctx, a);
	ctx->stopping = true;
	T_EXPECT(flush() == 0, "told while ctid stops");
	ctx->stopping = false;
	line_call_del(l, line_call(l, 10));
}

/* ctid's context with one provider "t" and one line, ext100. */
static struct line *setup(void)
{
	struct config *cfg;
	struct line *l;

	cfg = config_load_string("t.conf",
				 "[server]\nsocket = /tmp/unused.sock\n"
				 "[user nobody]\nlines = *\n", quiet, NULL);
	T_ASSERT(cfg != NULL, "config");
	ctx->cfg = cfg;
	ctx->blobs.log = &ctx->log;
	ctx->requests.log = &ctx->log;
	ctx->requests.ctx = ctx;
	registry_set_ops(ctx, &ops);
	T_ASSERT(lines_init() == 0, "lines_init");
	ctx->providers = &prov;
	l = add_line(0, "ext100");
	T_ASSERT(l, "no line");
	return l;
}

static void teardown(void)
{
	lines_exit(ctx);
	free(prov.map_keys);
	free(prov.map_vals);
	config_free(ctx->cfg);
}

/* Each case on a fresh context (the registry keeps no state across). */
#define ORPHAN_CASE(f)				\
static void case_##f(void)			\
{						\
	f(setup());				\
	teardown();				\
}
ORPHAN_CASE(last_owner)
ORPHAN_CASE(handoff)
ORPHAN_CASE(reopened)
ORPHAN_CASE(disconnected)
ORPHAN_CASE(nothing_to_tell)

static const struct t_case cases[] = {
	{ "last_owner", case_last_owner, 0 },
	{ "handoff", case_handoff, 0 },
	{ "reopened", case_reopened, 0 },
	{ "disconnected", case_disconnected, 0 },
	{ "nothing_to_tell", case_nothing_to_tell, 0 },
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
