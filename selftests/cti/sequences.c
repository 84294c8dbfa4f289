// SPDX-License-Identifier: GPL-2.0
/*
 * sequences: the reference call sequences (switch/sequences.txt) on a
 * cti_sim card.
 *
 * The same file runs in the provider tests and the end-to-end tests; here
 * every scenario is one test (scenario.NAME.run) on its own card of 6 lines
 * (numbers 100..105, 6 phones): commands go in through CTI_IOC_SUBMIT,
 * records come out of the mapped ring, the far end is played through the
 * card's debugfs files and its far_end rules. The Makefile embeds the
 * file as a C string (sequences.inc), so nothing has to be copied into
 * the guest.
 *
 * A scenario the card cannot express (a setting other than its fixed
 * one, a far-end script without a rule, "skip kernel:") is skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "cti_test.h"
#include "seqfile.h"
#include "seq_card.h"

#define MAX_IDS		4096

struct kseq {
	struct cti_sim sim;
	struct cti_ring ring;
	struct cti_evlog early;		/* records read while waiting for a REPLY */
	size_t early_off;
	uint64_t next_id;
	unsigned char replies[MAX_IDS];	/* REPLY records per request id */
	int extra_reply;		/* a second REPLY arrived */
};

static int k_start(void *ctx, const struct seq_scenario *sc, char *why,
		   size_t len)
{
	struct kseq *k = ctx;
	int ret;

	ret = seq_card_can(sc, why, len);
	if (ret)
		return ret;
	ret = cti_sim_create(&k->sim, SEQ_LINES, SEQ_LINES, "call");
	if (ret) {
		snprintf(why, len, "%s: making a card: %s", sc->name,
			 strerror(-ret));
		return SEQ_ERROR;
	}
	ret = seq_card_far_end(&k->sim, sc);
	if (!ret)
		ret = cti_ring_map(k->sim.fd, &k->ring);
	if (ret) {
		snprintf(why, len, "%s: setting the card up: %s", sc->name,
			 strerror(-ret));
		cti_sim_destroy(&k->sim);
		return SEQ_ERROR;
	}
	cti_stream_init(&k->sim.st, k->sim.fd, &k->ring);
	return 0;
}

/* Count a REPLY; a second one for the same request is a failure. */
static void k_reply(struct kseq *k, const struct cti_event *ev)
{
	const struct cti_ev_reply *r = (const void *)ev;

	if (r->id < MAX_IDS && ++k->replies[r->id] > 1)
		k->extra_reply = 1;
}

static int k_submit(struct kseq *k, const struct seq_step *st, uint32_t call,
		    uint32_t call2, uint32_t *newcall, char *why, size_t len)
{
	uint64_t id = ++k->next_id;
	int64_t end = cti_now_ms() + 3000;
	const struct cti_ev_reply *r;
	const struct cti_event *ev;
	int ret;

	ret = cti_submit_cmd(k->sim.fd, st->cmd, id, st->line, call, call2,
			     st->arg, st->arg2, st->data[0] ? st->data : NULL);
	if (ret)
		return ret;	/* refused at once: no REPLY follows */
	for (;;) {
		int left = (int)(end - cti_now_ms());

		ret = cti_stream_next(&k->sim.st, &ev, left > 0 ? left : 0);
		if (ret <= 0) {
			snprintf(why, len, "no REPLY to request %llu: %d",
				 (unsigned long long)id, ret);
			return SEQ_ERROR;
		}
		if (ev->type != CTI_EV_REPLY) {
			/* A record before the REPLY is kept for next(). */
			if (cti_evlog_add(&k->early, ev))
				return SEQ_ERROR;
			continue;
		}
		k_reply(k, ev);
		r = (const void *)ev;
		if (r->id == id) {
			*newcall = r->call;
			return r->error;
		}
	}
}

static int k_act(void *ctx, const struct seq_step *st, uint32_t call,
		 uint32_t call2, uint32_t *newcall, char *why, size_t len)
{
	struct kseq *k = ctx;
	int ret;

	if (st->kind == SEQ_CMD)
		return k_submit(k, st, call, call2, newcall, why, len);
	ret = seq_card_far_act(&k->sim, st, call);
	if (ret)
		snprintf(why, len, "the far end's control failed: %s",
			 strerror(-ret));
	return ret ? SEQ_ERROR : 0;
}

static void k_rec(const struct cti_event *ev, struct seq_rec *x)
{
	const struct cti_ev_call_state *cs = (const void *)ev;
	const struct cti_ev_call_info *ci = (const void *)ev;
	const struct cti_ev_digits *d = (const void *)ev;

	memset(x, 0, sizeof(*x));
	x->type = ev->type;
	x->line = ev->line < SEQ_LINES ? ev->line : 0xff;
	switch (ev->type) {
	case CTI_EV_CALL_STATE:
		x->call = cs->call;
		x->state = cs->state;
		x->reason = cs->reason;
		x->related = cs->related_call;
		break;
	case CTI_EV_CALL_INFO:
		x->call = ci->call;
		x->origin = ci->origin;
		x->reason = ci->reason;
		x->related = ci->related_call;
		x->changed = ci->changed;
		snprintf(x->caller, sizeof(x->caller), "%.*s",
			 (int)sizeof(ci->caller), ci->caller);
		snprintf(x->called, sizeof(x->called), "%.*s",
			 (int)sizeof(ci->called), ci->called);
		break;
	case CTI_EV_DIGITS:
		x->call = d->call;
		snprintf(x->digits, sizeof(x->digits), "%.*s",
			 (int)(d->count < CTI_DIGITS_MAX ? d->count :
			       CTI_DIGITS_MAX), d->digits);
		break;
	}
}

static int k_next(void *ctx, int timeout_ms, struct seq_rec *x)
{
	struct kseq *k = ctx;
	const struct cti_event *ev;
	int ret;

	if (k->early_off < k->early.len) {
		ev = (const void *)(k->early.buf + k->early_off);
		k->early_off += ev->size;
		k_rec(ev, x);
		return 1;
	}
	ret = cti_stream_next(&k->sim.st, &ev, timeout_ms);
	if (ret < 0)
		return SEQ_ERROR;
	if (!ret)
		return 0;
	if (ev->type == CTI_EV_REPLY) {
		/* Every REPLY belongs to a request already answered. */
		k_reply(k, ev);
		x->type = CTI_EV_REPLY;
		return 1;
	}
	k_rec(ev, x);
	return 1;
}

static void k_stop(void *ctx)
{
	struct kseq *k = ctx;

	cti_ring_unmap(&k->ring);
	cti_evlog_free(&k->early);
	cti_sim_destroy(&k->sim);
}

static const struct seq_host k_host = {
	.start = k_start,
	.act = k_act,
	.next = k_next,
	.stop = k_stop,
	.quiet_ms = 200,	/* TCG is slow: a late record must show */
};

FIXTURE(scenario) {
	struct seq_file file;
	struct kseq k;
};

FIXTURE_VARIANT(scenario) {
	const char *name;
};

/* seq_text[], then one FIXTURE_VARIANT_ADD per scenario. */
#include "sequences.inc"

FIXTURE_SETUP(scenario)
{
	char err[256];

	memset(&self->k, 0, sizeof(self->k));
	self->k.sim.fd = -1;
	ASSERT_EQ(0, seq_parse(&self->file, seq_text, err, sizeof(err)))
		TH_LOG("%s", err);
}

FIXTURE_TEARDOWN(scenario)
{
	seq_free(&self->file);
}

TEST_F(scenario, run)
{
	const struct seq_scenario *sc = seq_find(&self->file, variant->name);
	enum seq_result res;
	char msg[512];

	ASSERT_NE(NULL, sc);
	res = seq_run(&self->file, sc, &k_host, &self->k, msg, sizeof(msg));
	if (res == SEQ_SKIPPED)
		SKIP(return, "%s", msg);
	if (res == SEQ_PASS && self->k.extra_reply) {
		res = SEQ_FAIL;
		snprintf(msg, sizeof(msg), "%s: a request got two REPLY records",
			 sc->name);
	}
	if (res == SEQ_FAIL)
		TH_LOG("%s", msg);
	ASSERT_EQ(SEQ_PASS, res);
}

TEST_HARNESS_MAIN
