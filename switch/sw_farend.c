// SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later
/*
 * The switch's far end: whoever sits behind an outside number. It follows
 * a short script ("answer 500, digits 12#, hangup 3000") against the
 * line's call, one step after another, each after its delay on a host
 * timer. The far end is an object of its own, not part of the call: it
 * moves with its party (transfer, park, pickup) and takes its timers
 * along, so no timer ever names a call that is gone.
 */
#include "sw_impl.h"

static const struct {
	const char *word;
	u8 op;
	bool arg_ms;		/* takes an optional delay */
} sw_step_words[] = {
	{ "answer", SW_STEP_ANSWER, true },
	{ "busy", SW_STEP_BUSY, true },
	{ "noanswer", SW_STEP_NOANSWER, true },
	{ "reject", SW_STEP_REJECT, true },
	{ "unreachable", SW_STEP_UNREACHABLE, true },
	{ "digits", SW_STEP_DIGITS, false },
	{ "wait", SW_STEP_WAIT, true },
	{ "hangup", SW_STEP_HANGUP, true },
};

static const char *sw_skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static const char *sw_word(const char *p, char *buf, size_t size)
{
	size_t n = 0;

	p = sw_skip_ws(p);
	while (*p && *p != ' ' && *p != '\t' && *p != ',' && *p != ';') {
		if (n + 1 >= size)
			return NULL;
		buf[n++] = *p++;
	}
	buf[n] = '\0';
	return p;
}

static int sw_parse_ms(const char *s, u32 *ms)
{
	unsigned long v = 0;

	if (!*s || strnlen(s, 10) > 9)
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
int sw_script_parse(const char *text, struct sw_script *out)
{
	struct sw_script s;
	const char *p = text;
	char word[16], arg[CTI_DIGITS_MAX + 1];

	memset(&s, 0, sizeof(s));
	for (;;) {
		struct sw_step *st;
		size_t i;

		p = sw_word(p, word, sizeof(word));
		if (!p)
			return -EINVAL;
		if (!word[0]) {
			p = sw_skip_ws(p);
			if (!*p && !s.count)
				break;	/* the empty script: just ring */
			return -EINVAL;
		}
		if (s.count >= SW_SCRIPT_MAX)
			return -EINVAL;
		st = &s.steps[s.count++];
		for (i = 0; i < SW_ARRAY_SIZE(sw_step_words); i++)
			if (!strcmp(word, sw_step_words[i].word))
				break;
		if (i == SW_ARRAY_SIZE(sw_step_words))
			return -EINVAL;
		st->op = sw_step_words[i].op;
		p = sw_word(p, arg, sizeof(arg));
		if (!p)
			return -EINVAL;
		if (st->op == SW_STEP_DIGITS) {
			size_t k;

			if (!arg[0])
				return -EINVAL;
			for (k = 0; arg[k]; k++)
				if (!strchr("0123456789*#ABCD", arg[k]))
					return -EINVAL;
			memcpy(st->digits, arg, sizeof(st->digits));
		} else if (arg[0]) {
			if (!sw_step_words[i].arg_ms ||
			    sw_parse_ms(arg, &st->ms))
				return -EINVAL;
		} else if (st->op == SW_STEP_WAIT) {
			return -EINVAL;
		}
		p = sw_skip_ws(p);
		if (!*p)
			break;
		if (*p != ',' && *p != ';')
			return -EINVAL;
		p++;
	}
	*out = s;
	return 0;
}

static void sw_step_fn(struct sw *sw, struct sw_tmr *tmr);
static void sw_noanswer_fn(struct sw *sw, struct sw_tmr *tmr);

struct sw_farend *sw_farend_new(struct sw *sw, const char *number,
				const struct sw_script *script,
				  bool inbound)
{
	struct sw_farend *fe = sw_zalloc(sw, sizeof(*fe));

	if (!fe)
		return NULL;
	fe->script = *script;
	fe->inbound = inbound;
	sw_strlcpy(fe->number, number, sizeof(fe->number));
	fe->step_tmr.fn = sw_step_fn;
	fe->noanswer_tmr.fn = sw_noanswer_fn;
	return fe;
}

void sw_farend_free(struct sw *sw, struct sw_farend *fe)
{
	sw_tmr_cancel(sw, &fe->step_tmr);
	sw_tmr_cancel(sw, &fe->noanswer_tmr);
	if (fe->leg && fe->leg->fe == fe)
		fe->leg->fe = NULL;
	sw_mfree(sw, fe);
}

/* Returns false when the script stops here (or the far end is gone). */
static bool sw_step_apply(struct sw *sw, struct sw_farend *fe,
			  const struct sw_step *st)
{
	struct sw_call *leg = fe->leg;

	if (!leg)
		return false;
	switch (st->op) {
	case SW_STEP_ANSWER:
		if (!fe->inbound && !fe->connected) {
			fe->connected = true;
			sw_tmr_cancel(sw, &fe->noanswer_tmr);
			sw_call_set(sw, leg, CTI_CALL_CONNECTED, 0);
		}
		return true;
	case SW_STEP_BUSY:
		if (fe->connected)
			break;
		sw_call_set(sw, leg, CTI_CALL_BUSY, 0);
		sw_party_gone(sw, leg, CTI_DISC_BUSY);
		return false;
	case SW_STEP_REJECT:
		if (fe->connected)
			break;
		sw_party_gone(sw, leg, CTI_DISC_REJECTED);
		return false;
	case SW_STEP_UNREACHABLE:
		if (fe->connected)
			break;
		sw_call_set(sw, leg, CTI_CALL_SPECIALINFO, 0);
		sw_party_gone(sw, leg, CTI_DISC_UNREACHABLE);
		return false;
	case SW_STEP_NOANSWER:
		/* Its own ring limit replaces the switch-wide noanswer_ms. */
		if (st->ms && !fe->connected)
			sw_tmr_arm(sw, &fe->noanswer_tmr, st->ms);
		return false;
	case SW_STEP_DIGITS:
		if (fe->connected)
			sw_post_digits(sw, leg, st->digits, strlen(st->digits));
		return true;
	case SW_STEP_WAIT:
		return true;
	case SW_STEP_HANGUP:
		break;
	default:
		return false;
	}
	/* Hang up: the leg is disconnected and this far end freed. */
	sw_party_gone(sw, leg, CTI_DISC_NORMAL);
	return false;
}

static void sw_farend_run(struct sw *sw, struct sw_farend *fe)
{
	while (fe->pc < fe->script.count) {
		const struct sw_step *st = &fe->script.steps[fe->pc];

		/* The ms of noanswer is how long it rings, not a delay. */
		if (st->ms && !fe->waited && st->op != SW_STEP_NOANSWER) {
			fe->waited = true;
			sw_tmr_arm(sw, &fe->step_tmr, st->ms);
			return;
		}
		fe->waited = false;
		fe->pc++;
		if (!sw_step_apply(sw, fe, st))
			return;
	}
}

static void sw_step_fn(struct sw *sw, struct sw_tmr *tmr)
{
	sw_farend_run(sw, sw_container_of(tmr, struct sw_farend,
					  step_tmr));
}

/* Nobody answered in time: the caller gives up. */
static void sw_noanswer_fn(struct sw *sw, struct sw_tmr *tmr)
{
	struct sw_farend *fe = sw_container_of(tmr, struct sw_farend,
						 noanswer_tmr);
	struct sw_call *leg = fe->leg;

	if (fe->connected || !leg)
		return;
	sw_party_gone(sw, leg, fe->inbound ? CTI_DISC_NORMAL :
					       CTI_DISC_NO_ANSWER);
}

static bool sw_step_fails(const struct sw_step *st)
{
	return !st->ms && (st->op == SW_STEP_BUSY ||
			   st->op == SW_STEP_REJECT ||
			   st->op == SW_STEP_UNREACHABLE);
}

/* An outbound call reached the far end: it rings unless it fails at once. */
void sw_farend_start(struct sw *sw, struct sw_farend *fe)
{
	if ((!fe->script.count || !sw_step_fails(&fe->script.steps[0])) &&
	    fe->leg->state != CTI_CALL_RINGBACK)
		sw_call_set(sw, fe->leg, CTI_CALL_RINGBACK, 0);
	if (sw->cfg.noanswer_ms)
		sw_tmr_arm(sw, &fe->noanswer_tmr, sw->cfg.noanswer_ms);
	sw_farend_run(sw, fe);
}

/* The line answered (or picked up, or unparked) this outside party. */
void sw_farend_answered(struct sw *sw, struct sw_farend *fe)
{
	bool was = fe->connected;

	fe->connected = true;
	sw_tmr_cancel(sw, &fe->noanswer_tmr);
	if (!was && fe->inbound)
		sw_farend_run(sw, fe);
}

void sw_farend_park(struct sw *sw, struct sw_farend *fe)
{
	sw_tmr_cancel(sw, &fe->step_tmr);
	fe->waited = false;
	fe->leg = NULL;
}

void sw_farend_resume(struct sw *sw, struct sw_farend *fe)
{
	if (fe->connected)
		sw_farend_run(sw, fe);
}

/* The call @call of @line (any line for SW_LINE_NONE), or NULL. */
static struct sw_call *sw_call_anywhere(const struct sw *sw, u32 line,
					u32 call)
{
	struct sw_call *c;
	u32 i;

	if (line != SW_LINE_NONE)
		return line < sw->cfg.lines ? sw_call_find(sw, line, call) :
					      NULL;
	for (i = 0; i < sw->cfg.lines; i++) {
		c = sw_call_find(sw, i, call);
		if (c)
			return c;
	}
	return NULL;
}

/*
 * The far end of @call replaces what is left of its script with @text and
 * runs it now ("hangup", "digits 12"). -ENOENT: no such call; -EBUSY: its
 * party is no far end; -EINVAL: a bad script.
 */
int sw_farend_script(struct sw *sw, u32 line, u32 call,
		     const char *text)
{
	struct sw_call *c = sw_call_anywhere(sw, line, call);
	struct sw_farend *fe;
	struct sw_script s;

	if (!c)
		return -ENOENT;
	fe = c->fe;
	if (!fe)
		return -EBUSY;
	if (sw_script_parse(text, &s))
		return -EINVAL;
	sw_tmr_cancel(sw, &fe->step_tmr);
	fe->script = s;
	fe->pc = 0;
	fe->waited = false;
	/* An inbound party not yet answered runs it after the answer. */
	if (!fe->inbound || fe->connected)
		sw_farend_run(sw, fe);
	return 0;
}

/*
 * The outside party of @call hangs up now, answered or not: the call is
 * DISCONNECTED (NORMAL). An imperative for hosts whose controls act at
 * once (the kernel's far_hangup); a script's "hangup" step of an inbound
 * caller waits for the answer instead. -ENOENT: no such call; -EBUSY: its
 * party is no far end.
 */
int sw_farend_hangup(struct sw *sw, u32 line, u32 call)
{
	struct sw_call *c = sw_call_anywhere(sw, line, call);

	if (!c)
		return -ENOENT;
	if (!c->fe)
		return -EBUSY;
	sw_party_gone(sw, c, CTI_DISC_NORMAL);
	return 0;
}

/* The outside party of @call sends DTMF @digits now (DIGITS on @call). */
int sw_farend_digits(struct sw *sw, u32 line, u32 call,
		     const char *digits)
{
	struct sw_call *c = sw_call_anywhere(sw, line, call);
	size_t i, n = strnlen(digits, CTI_DIGITS_MAX + 1);

	if (!n || n > CTI_DIGITS_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!strchr("0123456789*#ABCD", digits[i]))
			return -EINVAL;
	if (!c)
		return -ENOENT;
	if (!c->fe)
		return -EBUSY;
	sw_post_digits(sw, c, digits, n);
	return 0;
}

/* An outside caller @from rings line @line; its script runs on answer. */
int sw_inbound(struct sw *sw, u32 line, const char *from,
	       const struct sw_script *script)
{
	struct sw_farend *fe;
	char number[CTI_NUMBER_MAX];
	int ret;

	if (line >= sw->cfg.lines)
		return -ENODEV;
	if (!sw_number_valid(from, false))
		return -EINVAL;
	fe = sw_farend_new(sw, from, script, true);
	if (!fe)
		return -ENOMEM;
	sw_line_number(sw, line, number);
	ret = sw_offer(sw, NULL, fe, from, number, number, CTI_REASON_DIRECT,
		       0);
	if (ret) {
		sw_farend_free(sw, fe);
		return ret;
	}
	if (sw->cfg.noanswer_ms)
		sw_tmr_arm(sw, &fe->noanswer_tmr, sw->cfg.noanswer_ms);
	return 0;
}

/* The script of outside number @number: its own, or the default. */
const struct sw_script *sw_script_find(const struct sw *sw,
				       const char *number)
{
	const struct sw_outside *o;

	for (o = sw->outside; o; o = o->next)
		if (!strcmp(o->number, number))
			return &o->script;
	return &sw->cfg.outside_default;
}

/* Give outside number @number its own @script (replacing one it had). */
int sw_script_set(struct sw *sw, const char *number,
		  const struct sw_script *script)
{
	struct sw_outside *o;

	if (!sw_number_valid(number, false))
		return -EINVAL;
	for (o = sw->outside; o; o = o->next)
		if (!strcmp(o->number, number))
			break;
	if (!o) {
		o = sw_zalloc(sw, sizeof(*o));
		if (!o)
			return -ENOMEM;
		sw_strlcpy(o->number, number, sizeof(o->number));
		o->next = sw->outside;
		sw->outside = o;
	}
	o->script = *script;
	return 0;
}

/*
 * The script of outside numbers without one of their own: fixed by
 * sw_new(), changed here when the host's rules change while it runs (the
 * kernel's "*" far-end rule). Calls already placed keep their script.
 */
void sw_script_default(struct sw *sw, const struct sw_script *script)
{
	sw->cfg.outside_default = *script;
}

/* Forget every number's own script: all get the default again. */
void sw_script_clear(struct sw *sw)
{
	struct sw_outside *o;

	while ((o = sw->outside)) {
		sw->outside = o->next;
		sw_mfree(sw, o);
	}
}
