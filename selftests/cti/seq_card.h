/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seq_card.h - what a cti_sim card can express of a scenario of
 * switch/sequences.txt, shared by the runners that play the reference
 * sequences on a card: directly (sequences.c) and through ctid and kcard
 * (kcard_e2e.c).
 */
#ifndef CTI_SEQ_CARD_H
#define CTI_SEQ_CARD_H

#include <stdio.h>
#include <string.h>

#include "cti_test.h"
#include "seqfile.h"

/* The card's fixed settings, as the core's keys name them. */
static const char *const seq_card_fixed[][2] = {
	{ "max_calls", "3" }, { "park_slots", "10" }, { "park_first", "700" },
	{ "forward_noanswer_ms", "100" }, { "noanswer_ms", "0" },
};

/*
 * A core script as a far_end rule, when the card has one: a single
 * answer/busy/reject/noanswer step, or the rules "digits" and "hangup",
 * which the core writes as "answer 20, digits D" and "answer 20,
 * hangup MS" (switch/README.md, the rule table).
 */
static inline int seq_card_far_rule(const char *script, char *rule, size_t len)
{
	char a[32] = "", b[32] = "", c[32] = "";
	int n;

	n = sscanf(script, "answer 20, %31s %31s", a, b);
	if (n == 2 && (!strcmp(a, "digits") || !strcmp(a, "hangup"))) {
		snprintf(rule, len, "%s %s", a, b);
		return 0;
	}
	if (strchr(script, ',') || strchr(script, ';'))
		return -1;
	n = sscanf(script, "%31s %31s %31s", a, b, c);
	if (n < 1 || n > 2)
		return -1;
	if (!strcmp(a, "answer") || !strcmp(a, "noanswer") ||
	    (n == 1 && (!strcmp(a, "busy") || !strcmp(a, "reject")))) {
		snprintf(rule, len, "%s", script);
		return 0;
	}
	return -1;
}

/*
 * seq_card_can() - 0 if a card can play @sc, else SEQ_SKIP with @why:
 * "skip kernel:", a setting other than the card's fixed one, a far-end
 * script without a rule.
 */
static inline int seq_card_can(const struct seq_scenario *sc, char *why,
			       size_t len)
{
	char rule[96];
	size_t i, j;

	if (sc->skip_kernel[0]) {
		snprintf(why, len, "%s: %s", sc->name, sc->skip_kernel);
		return SEQ_SKIP;
	}
	for (i = 0; i < sc->nset; i++) {
		for (j = 0; j < ARRAY_SIZE(seq_card_fixed); j++)
			if (!strcmp(seq_card_fixed[j][0], sc->set_key[i]))
				break;
		if (j == ARRAY_SIZE(seq_card_fixed) ||
		    strcmp(seq_card_fixed[j][1], sc->set_val[i])) {
			snprintf(why, len, "%s: the card cannot set %s %s",
				 sc->name, sc->set_key[i], sc->set_val[i]);
			return SEQ_SKIP;
		}
	}
	for (i = 0; i < sc->nscript; i++)
		if (seq_card_far_rule(sc->script[i], rule, sizeof(rule))) {
			snprintf(why, len, "%s: no far_end rule for '%s'",
				 sc->name, sc->script[i]);
			return SEQ_SKIP;
		}
	return 0;
}

/* Write @sc's far-end scripts as the card's far_end rules; 0 or -errno. */
static inline int seq_card_far_end(struct cti_sim *sim,
				   const struct seq_scenario *sc)
{
	char rule[96];
	int ret = 0;

	for (size_t i = 0; i < sc->nscript && !ret; i++) {
		seq_card_far_rule(sc->script[i], rule, sizeof(rule));
		ret = cti_sim_write(sim, "far_end", "%s %s",
				    sc->script_num[i], rule);
	}
	return ret;
}

/* The far end's part of a step (inbound, hang-up, digits) on @sim. */
static inline int seq_card_far_act(struct cti_sim *sim,
				   const struct seq_step *st, uint32_t call)
{
	switch (st->kind) {
	case SEQ_INBOUND:
		return cti_sim_ctl(sim, "inbound", "%u %s", st->line, st->data);
	case SEQ_FAR_HANGUP:
		return cti_sim_ctl(sim, "far_hangup", "%u", call);
	case SEQ_FAR_DIGITS:
		return cti_sim_ctl(sim, "far_digits", "%u %s", call, st->data);
	default:
		return 0;
	}
}

#endif /* CTI_SEQ_CARD_H */
