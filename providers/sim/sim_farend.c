// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim's far end: whoever sits behind an outside number. It follows a
 * short script ("answer 500, digits 12#, hangup 3000") against the line's
 * call, one step after another, each after its delay on a host timer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static const struct {
	const char *word;
	uint8_t op;
	bool arg_ms;		/* takes an optional delay */
} sim_step_words[] = {
	{ "answer", SIM_STEP_ANSWER, true },
	{ "busy", SIM_STEP_BUSY, true },
	{ "noanswer", SIM_STEP_NOANSWER, false },
	{ "reject", SIM_STEP_REJECT, true },
	{ "unreachable", SIM_STEP_UNREACHABLE, true },
	{ "digits", SIM_STEP_DIGITS, false },
	{ "wait", SIM_STEP_WAIT, true },
	{ "hangup", SIM_STEP_HANGUP, true },
};

static const char *sim_skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static const char *sim_word(const char *p, char *buf, size_t size)
{
	size_t n = 0;

	p = sim_skip_ws(p);
	while (*p && *p != ' ' && *p != '\t' && *p != ',' && *p != ';') {
		if (n + 1 >= size)
			return NULL;
		buf[n++] = *p++;
	}
	buf[n] = '\0';
	return p;
}

static int sim_parse_ms(const char *s, uint32_t *ms)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 9)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*ms = v;
	return 0;
}

/*
 * Parse a script: steps separated by ',' or ';', each a word and an
 * argument. Returns 0 or -EINVAL; @out is written only on success.
 */
int sim_script_parse(const char *text, struct sim_script *out)
{
	struct sim_script s;
	const char *p = text;
	char word[16], arg[CTI_DIGITS_MAX + 1];

	memset(&s, 0, sizeof(s));
	for (;;) {
		struct sim_step *st;
		size_t i;

		p = sim_word(p, word, sizeof(word));
		if (!p)
			return -EINVAL;
		if (!word[0]) {
			p = sim_skip_ws(p);
			if (!*p && !s.count)
				break;	/* the empty script: just ring */
			return -EINVAL;
		}
		if (s.count >= SIM_SCRIPT_MAX)
			return -EINVAL;
		st = &s.steps[s.count++];
		for (i = 0; i < SIM_ARRAY_SIZE(sim_step_words); i++)
			if (!strcmp(word, sim_step_words[i].word))
				break;
		if (i == SIM_ARRAY_SIZE(sim_step_words))
			return -EINVAL;
		st->op = sim_step_words[i].op;
		p = sim_word(p, arg, sizeof(arg));
		if (!p)
			return -EINVAL;
		if (st->op == SIM_STEP_DIGITS) {
			size_t k;

			if (!arg[0])
				return -EINVAL;
			for (k = 0; arg[k]; k++)
				if (!strchr("0123456789*#ABCD", arg[k]))
					return -EINVAL;
			memcpy(st->digits, arg, sizeof(st->digits));
		} else if (arg[0]) {
			if (!sim_step_words[i].arg_ms ||
			    sim_parse_ms(arg, &st->ms))
				return -EINVAL;
		} else if (st->op == SIM_STEP_WAIT) {
			return -EINVAL;
		}
		p = sim_skip_ws(p);
		if (!*p)
			break;
		if (*p != ',' && *p != ';')
			return -EINVAL;
		p++;
	}
	*out = s;
	return 0;
}

static void sim_step_fn(struct sim *sim, struct sim_tmr *tmr);
static void sim_noanswer_fn(struct sim *sim, struct sim_tmr *tmr);

struct sim_farend *sim_farend_new(struct sim *sim, const char *number,
				  const struct sim_script *script,
				  bool inbound)
{
	struct sim_farend *fe = calloc(1, sizeof(*fe));

	(void)sim;
	if (!fe)
		return NULL;
	fe->script = *script;
	fe->inbound = inbound;
	strncpy(fe->number, number, sizeof(fe->number) - 1);
	fe->step_tmr.fn = sim_step_fn;
	fe->noanswer_tmr.fn = sim_noanswer_fn;
	return fe;
}

void sim_farend_free(struct sim *sim, struct sim_farend *fe)
{
	sim_tmr_cancel(sim, &fe->step_tmr);
	sim_tmr_cancel(sim, &fe->noanswer_tmr);
	if (fe->leg && fe->leg->fe == fe)
		fe->leg->fe = NULL;
	free(fe);
}

/* Returns false when the script stops here (or the far end is gone). */
static bool sim_step_apply(struct sim *sim, struct sim_farend *fe,
			   const struct sim_step *st)
{
	struct sim_call *leg = fe->leg;

	if (!leg)
		return false;
	switch (st->op) {
	case SIM_STEP_ANSWER:
		if (!fe->inbound && !fe->connected) {
			fe->connected = true;
			sim_tmr_cancel(sim, &fe->noanswer_tmr);
			sim_call_set(sim, leg, CTI_CALL_CONNECTED, 0);
		}
		return true;
	case SIM_STEP_BUSY:
		if (fe->connected)
			break;
		sim_call_set(sim, leg, CTI_CALL_BUSY, 0);
		sim_party_gone(sim, leg, CTI_DISC_BUSY);
		return false;
	case SIM_STEP_REJECT:
		if (fe->connected)
			break;
		sim_party_gone(sim, leg, CTI_DISC_REJECTED);
		return false;
	case SIM_STEP_UNREACHABLE:
		if (fe->connected)
			break;
		sim_call_set(sim, leg, CTI_CALL_SPECIALINFO, 0);
		sim_party_gone(sim, leg, CTI_DISC_UNREACHABLE);
		return false;
	case SIM_STEP_NOANSWER:
		return false;
	case SIM_STEP_DIGITS:
		if (fe->connected)
			sim_post_digits(sim, leg, st->digits);
		return true;
	case SIM_STEP_WAIT:
		return true;
	case SIM_STEP_HANGUP:
		break;
	default:
		return false;
	}
	/* Hang up: the leg is disconnected and this far end freed. */
	sim_party_gone(sim, leg, CTI_DISC_NORMAL);
	return false;
}

static void sim_farend_run(struct sim *sim, struct sim_farend *fe)
{
	while (fe->pc < fe->script.count) {
		const struct sim_step *st = &fe->script.steps[fe->pc];

		if (st->ms && !fe->waited) {
			fe->waited = true;
			sim_tmr_arm(sim, &fe->step_tmr, st->ms);
			return;
		}
		fe->waited = false;
		fe->pc++;
		if (!sim_step_apply(sim, fe, st))
			return;
	}
}

static void sim_step_fn(struct sim *sim, struct sim_tmr *tmr)
{
	sim_farend_run(sim, sim_container_of(tmr, struct sim_farend,
					     step_tmr));
}

/* Nobody answered in time: the caller gives up. */
static void sim_noanswer_fn(struct sim *sim, struct sim_tmr *tmr)
{
	struct sim_farend *fe = sim_container_of(tmr, struct sim_farend,
						 noanswer_tmr);
	struct sim_call *leg = fe->leg;

	if (fe->connected || !leg)
		return;
	sim_party_gone(sim, leg, fe->inbound ? CTI_DISC_NORMAL :
					       CTI_DISC_NO_ANSWER);
}

static bool sim_step_fails(const struct sim_step *st)
{
	return !st->ms && (st->op == SIM_STEP_BUSY ||
			   st->op == SIM_STEP_REJECT ||
			   st->op == SIM_STEP_UNREACHABLE);
}

/* An outbound call reached the far end: it rings unless it fails at once. */
void sim_farend_start(struct sim *sim, struct sim_farend *fe)
{
	if ((!fe->script.count || !sim_step_fails(&fe->script.steps[0])) &&
	    fe->leg->state != CTI_CALL_RINGBACK)
		sim_call_set(sim, fe->leg, CTI_CALL_RINGBACK, 0);
	if (sim->cfg.noanswer_ms)
		sim_tmr_arm(sim, &fe->noanswer_tmr, sim->cfg.noanswer_ms);
	sim_farend_run(sim, fe);
}

/* The line answered (or picked up, or unparked) this outside party. */
void sim_farend_answered(struct sim *sim, struct sim_farend *fe)
{
	bool was = fe->connected;

	fe->connected = true;
	sim_tmr_cancel(sim, &fe->noanswer_tmr);
	if (!was && fe->inbound)
		sim_farend_run(sim, fe);
}

void sim_farend_park(struct sim *sim, struct sim_farend *fe)
{
	sim_tmr_cancel(sim, &fe->step_tmr);
	fe->waited = false;
	fe->leg = NULL;
}

void sim_farend_resume(struct sim *sim, struct sim_farend *fe)
{
	if (fe->connected)
		sim_farend_run(sim, fe);
}

/* Replace what is left of the script and run it now. */
int sim_farend_cmd(struct sim *sim, struct sim_farend *fe, const char *steps)
{
	struct sim_script s;

	if (sim_script_parse(steps, &s))
		return -EINVAL;
	sim_tmr_cancel(sim, &fe->step_tmr);
	fe->script = s;
	fe->pc = 0;
	fe->waited = false;
	/* An inbound party not yet answered runs it after the answer. */
	if (!fe->inbound || fe->connected)
		sim_farend_run(sim, fe);
	return 0;
}

/* An outside caller @from rings line @line; its script runs on answer. */
int sim_inbound(struct sim *sim, uint32_t line, const char *from,
		const struct sim_script *script)
{
	struct sim_farend *fe;
	char number[CTI_NUMBER_MAX];
	int ret;

	if (!sim_number_valid(from, false))
		return -EINVAL;
	fe = sim_farend_new(sim, from, script, true);
	if (!fe)
		return -ENOMEM;
	sim_line_number(sim, line, number);
	ret = sim_offer(sim, NULL, fe, from, number, CTI_REASON_DIRECT, 0);
	if (ret) {
		sim_farend_free(sim, fe);
		return ret;
	}
	if (sim->cfg.noanswer_ms)
		sim_tmr_arm(sim, &fe->noanswer_tmr, sim->cfg.noanswer_ms);
	return 0;
}

static void sim_inbound_fn(struct sim *sim, struct sim_tmr *tmr)
{
	struct sim_inbound *in = sim_container_of(tmr, struct sim_inbound, tmr);
	struct sim_script empty = { 0 };
	uint32_t line;
	int ret;

	if (sim_line_find(sim, in->to, &line)) {
		sim_log(sim, CTI_LOG_WARNING, "inbound: %s is not a line",
			in->to);
		return;
	}
	ret = sim_inbound(sim, line, in->from, &empty);
	if (ret)
		sim_log(sim, CTI_LOG_INFO, "inbound %s -> %s: %d", in->from,
			in->to, ret);
}

/* Arm the inbound calls the configuration asks for. */
void sim_inbound_arm(struct sim *sim)
{
	struct sim_inbound *in;

	for (in = sim->cfg.inbound; in; in = in->next) {
		in->tmr.fn = sim_inbound_fn;
		sim_tmr_arm(sim, &in->tmr, in->delay);
	}
}
