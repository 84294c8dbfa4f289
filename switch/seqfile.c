// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * seqfile - parse sequences.txt and run a scenario (see seqfile.h; the
 * notation is described at the top of sequences.txt).
 *
 * Userspace only: the runners are test programs, so this uses libc
 * freely, unlike the switch core beside it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/cti.h>

#include "seqfile.h"
#include "call_names.h"

#define SEQ_WAIT_MS	3000	/* real time: the longest a record may take */
#define SEQ_PENDING	256
#define SEQ_NO_CALL	999999u	/* a handle no switch gives out in a test */

static const char *const origin_names[] = {
	"UNKNOWN", "OUTBOUND", "INBOUND", "INTERNAL", "CONFERENCE",
};

static const char *const changed_names[] = {
	"ORIGIN", "REASON", "CALLER", "CALLED", "RELATED",
};

static const char *const fwd_names[] = {
	"none", "unconditional", "busy", "noanswer",
};

static const struct { const char *name; int err; } errnos[] = {
	{ "ok", 0 }, { "ENOENT", -ENOENT }, { "EBUSY", -EBUSY },
	{ "EINVAL", -EINVAL }, { "EOPNOTSUPP", -EOPNOTSUPP },
	{ "ENODEV", -ENODEV }, { "EACCES", -EACCES },
};

/* The commands: verb, CTI_CMD_*, and what follows the verb. */
enum { A_NONE, A_NUM, A_CALL, A_CALL_NUM, A_CALL_CALL, A_CALL_OPTNUM,
       A_OPTNUM, A_COMPLETE, A_FORWARD, A_ONOFF, A_CALL_DIGITS };
static const struct { const char *verb; uint32_t cmd; int args; } cmds[] = {
	{ "make", CTI_CMD_MAKE_CALL, A_NUM },
	{ "answer", CTI_CMD_ANSWER, A_CALL },
	{ "accept", CTI_CMD_ACCEPT, A_CALL },
	{ "drop", CTI_CMD_DROP, A_CALL },
	{ "hold", CTI_CMD_HOLD, A_CALL },
	{ "unhold", CTI_CMD_UNHOLD, A_CALL },
	{ "swap", CTI_CMD_SWAP_HOLD, A_CALL_CALL },
	{ "transfer", CTI_CMD_BLIND_TRANSFER, A_CALL_NUM },
	{ "consult", CTI_CMD_SETUP_TRANSFER, A_CALL_NUM },
	{ "complete", CTI_CMD_COMPLETE_TRANSFER, A_COMPLETE },
	{ "conference", CTI_CMD_SETUP_CONFERENCE, A_CALL_NUM },
	{ "add", CTI_CMD_ADD_TO_CONFERENCE, A_CALL_CALL },
	{ "remove", CTI_CMD_REMOVE_FROM_CONFERENCE, A_CALL },
	{ "redirect", CTI_CMD_REDIRECT, A_CALL_NUM },
	{ "park", CTI_CMD_PARK, A_CALL_OPTNUM },
	{ "unpark", CTI_CMD_UNPARK, A_NUM },
	{ "pickup", CTI_CMD_PICKUP, A_OPTNUM },
	{ "forward", CTI_CMD_SET_FORWARD, A_FORWARD },
	{ "dnd", CTI_CMD_SET_DND, A_ONOFF },
	{ "digits", CTI_CMD_GENERATE_DIGITS, A_CALL_DIGITS },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *seq_state_name(uint32_t state)
{
	return state < CTI_CALL_STATE_MAX ? cti_state_names[state] : "?";
}

static int lookup(const char *const *tab, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(tab[i], s))
			return (int)i;
	return -1;
}

/* ---- parsing -------------------------------------------------------- */

struct parser {
	struct seq_file *f;
	struct seq_scenario *sc;	/* the scenario being read */
	int lineno;
	char *err;
	size_t errlen;
	size_t capsc, capst, capexp;
};

static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errlen, "sequences.txt:%d: ", p->lineno);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static void *grow(void *a, size_t *cap, size_t n, size_t size)
{
	void *b;

	if (n < *cap)
		return a;
	*cap = *cap ? *cap * 2 : 64;
	b = realloc(a, *cap * size);
	if (!b)
		abort();	/* a test program out of memory: nothing to save */
	return b;
}

/* A call name: a lowercase party letter a..f, then letters or digits. */
static int name_of(struct parser *p, const char *s, bool create)
{
	struct seq_scenario *sc = p->sc;
	size_t i;

	if (!strcmp(s, "0"))
		return SEQ_NONE;
	if (s[0] < 'a' || s[0] >= 'a' + SEQ_LINES || strlen(s) < 2 ||
	    strlen(s) >= sizeof(sc->names[0]))
		return perr(p, "'%s' is no call name (a1, b2, ...)", s) - 1;
	for (i = 0; i < sc->nnames; i++)
		if (!strcmp(sc->names[i], s))
			return (int)i;
	if (!create)
		return perr(p, "call '%s' used before it exists", s) - 1;
	if (sc->nnames == SEQ_NAMES)
		return perr(p, "too many call names") - 1;
	strcpy(sc->names[sc->nnames], s);
	return (int)sc->nnames++;
}

static int copy(struct parser *p, char *dst, size_t size, const char *s)
{
	if (strlen(s) >= size)
		return perr(p, "'%s' is too long", s);
	strcpy(dst, s);
	return 0;
}

static int parse_caller_called(struct parser *p, struct seq_exp *e,
			       const char *tok)
{
	const char *gt = strchr(tok, '>');
	size_t n = gt - tok;

	if (n >= sizeof(e->caller))
		return perr(p, "'%s' is too long", tok);
	/* An empty side is not checked: a party update names one side. */
	if (n) {
		memcpy(e->caller, tok, n);
		e->caller[n] = '\0';
	}
	if (gt[1])
		return copy(p, e->called, sizeof(e->called), gt + 1);
	return 0;
}

static int parse_changed(struct parser *p, struct seq_exp *e, char *list)
{
	char *save = NULL, *w;
	int bit;

	e->changed = 0;
	for (w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		bit = lookup(changed_names, N(changed_names), w);
		if (bit < 0)
			return perr(p, "unknown CALL_INFO field '%s'", w);
		e->changed |= 1ull << bit;
	}
	return 0;
}

/* "a1 STATE[/REASON] [^b1]", "a1 info ...", "a1 digits 12#" */
static int parse_exp(struct parser *p, char *text)
{
	char *tok[12], *save = NULL, *w, *slash;
	struct seq_exp *e;
	int n = 0, i, v;

	for (w = strtok_r(text, " \t", &save); w && n < 12;
	     w = strtok_r(NULL, " \t", &save))
		tok[n++] = w;
	if (!n)
		return 0;
	if (n < 2)
		return perr(p, "a record needs a call and what it is");
	p->f->exp = grow(p->f->exp, &p->capexp, p->f->nexp, sizeof(*e));
	e = &p->f->exp[p->f->nexp];
	memset(e, 0, sizeof(*e));
	e->related = -1;
	e->reason = 0;
	e->origin = SEQ_ANY;
	e->changed = ~0ull;
	strcpy(e->caller, "*");
	strcpy(e->called, "*");
	v = name_of(p, tok[0], true);
	if (v < -2)
		return -1;
	e->name = v;
	e->line = tok[0][0] - 'a';
	i = 2;
	if (!strcmp(tok[1], "digits")) {
		e->type = CTI_EV_DIGITS;
		if (n != 3)
			return perr(p, "digits takes the digits");
		if (copy(p, e->digits, sizeof(e->digits), tok[2]))
			return -1;
		i = 3;
	} else if (!strcmp(tok[1], "info")) {
		e->type = CTI_EV_CALL_INFO;
		e->reason = SEQ_ANY;
	} else {
		e->type = CTI_EV_CALL_STATE;
		slash = strchr(tok[1], '/');
		if (slash)
			*slash++ = '\0';
		v = lookup(cti_state_names, CTI_CALL_STATE_MAX, tok[1]);
		if (v < 0)
			return perr(p, "unknown state '%s'", tok[1]);
		e->state = v;
		if (slash) {
			v = v == CTI_CALL_OFFERING ?
			    lookup(cti_offer_names, N(cti_offer_names), slash) :
			    lookup(cti_disc_names, N(cti_disc_names), slash);
			if (v < 0)
				return perr(p, "unknown reason '%s'", slash);
			e->reason = v;
		}
	}
	for (; i < n; i++) {
		w = tok[i];
		if (w[0] == '^') {
			v = name_of(p, w + 1, true);
			if (v < -2)
				return -1;
			e->related = v;
		} else if (e->type != CTI_EV_CALL_INFO) {
			return perr(p, "unexpected '%s'", w);
		} else if (!strncmp(w, "chg=", 4)) {
			if (parse_changed(p, e, w + 4))
				return -1;
		} else if (strchr(w, '>')) {
			if (parse_caller_called(p, e, w))
				return -1;
		} else if ((v = lookup(origin_names, N(origin_names), w)) >= 0) {
			e->origin = v;
		} else if ((v = lookup(cti_offer_names, N(cti_offer_names), w)) >= 0) {
			e->reason = v;
		} else {
			return perr(p, "unknown CALL_INFO field '%s'", w);
		}
	}
	p->f->nexp++;
	p->f->steps[p->f->nsteps - 1].nexp++;
	return 0;
}

static struct seq_step *new_step(struct parser *p, enum seq_kind kind)
{
	struct seq_step *st;

	p->f->steps = grow(p->f->steps, &p->capst, p->f->nsteps, sizeof(*st));
	st = &p->f->steps[p->f->nsteps++];
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	st->lineno = p->lineno;
	st->call = st->call2 = st->bind = -1;
	st->first = p->f->nexp;
	p->sc->nsteps++;
	return st;
}

static int arg_call(struct parser *p, int8_t *slot,
		    const char *s)
{
	int v;

	if (!s)
		return perr(p, "a call is missing");
	v = name_of(p, s, true);
	if (v < 0)
		return -1;
	*slot = v;
	return 0;
}

static int arg_text(struct parser *p, struct seq_step *st, const char *s,
		    bool optional)
{
	if (!s)
		return optional ? 0 : perr(p, "a number is missing");
	return copy(p, st->data, sizeof(st->data), s);
}

/* "-> a1" names the REPLY's call, "-> EBUSY" is the REPLY's error. */
static int parse_result(struct parser *p, struct seq_step *st, char **tok,
			int *n)
{
	size_t i;
	int v;

	if (*n < 2 || strcmp(tok[*n - 2], "->"))
		return 0;
	for (i = 0; i < N(errnos); i++)
		if (!strcmp(errnos[i].name, tok[*n - 1]))
			break;
	if (i < N(errnos)) {
		st->result = errnos[i].err;
	} else {
		v = name_of(p, tok[*n - 1], true);
		if (v < 0)
			return -1;
		st->bind = v;
	}
	*n -= 2;
	return 0;
}

static int parse_cmd(struct parser *p, char **tok, int n)
{
	struct seq_step *st = new_step(p, SEQ_CMD);
	size_t i;
	int v;

	st->line = tok[0][0] - 'A';
	if (parse_result(p, st, tok, &n))
		return -1;
	for (i = 0; i < N(cmds); i++)
		if (!strcmp(cmds[i].verb, tok[1]))
			break;
	if (i == N(cmds))
		return perr(p, "unknown command '%s'", tok[1]);
	st->cmd = cmds[i].cmd;
	tok[n] = NULL;
	switch (cmds[i].args) {
	case A_NUM:
		return arg_text(p, st, tok[2], false);
	case A_OPTNUM:
		return arg_text(p, st, tok[2], true);
	case A_CALL:
		return arg_call(p, &st->call, tok[2]);
	case A_CALL_NUM:
	case A_CALL_DIGITS:
		return arg_call(p, &st->call, tok[2]) ?:
		       arg_text(p, st, n > 3 ? tok[3] : NULL, false);
	case A_CALL_OPTNUM:
		return arg_call(p, &st->call, tok[2]) ?:
		       arg_text(p, st, n > 3 ? tok[3] : NULL, true);
	case A_CALL_CALL:
		return arg_call(p, &st->call, tok[2]) ?:
		       arg_call(p, &st->call2, n > 3 ? tok[3] : NULL);
	case A_COMPLETE:
		if (n != 5)
			return perr(p, "complete HELD CONSULT transfer|conference|N");
		/* A number is a mode the switch must refuse. */
		st->arg = !strcmp(tok[4], "conference") ?
			  CTI_TRANSFER_MODE_CONFERENCE :
			  !strcmp(tok[4], "transfer") ?
			  CTI_TRANSFER_MODE_TRANSFER : strtoul(tok[4], NULL, 10);
		return arg_call(p, &st->call, tok[2]) ?:
		       arg_call(p, &st->call2, tok[3]);
	case A_FORWARD:
		v = n > 2 ? lookup(fwd_names, N(fwd_names), tok[2]) : -1;
		if (v < 0)
			return perr(p, "forward none|unconditional|busy|noanswer [NUMBER]");
		st->arg = v;
		return arg_text(p, st, n > 3 ? tok[3] : NULL, true);
	case A_ONOFF:
		if (n != 3 || (strcmp(tok[2], "on") && strcmp(tok[2], "off")))
			return perr(p, "dnd on|off");
		st->arg = !strcmp(tok[2], "on");
		return 0;
	}
	return 0;
}

/* The rest of the line after @n words, for a far-end script. */
static const char *rest(const char *line, int n)
{
	while (n--) {
		line += strspn(line, " \t");
		line += strcspn(line, " \t");
	}
	return line + strspn(line, " \t");
}

static int parse_directive(struct parser *p, const char *line, char **tok,
			   int n)
{
	struct seq_scenario *sc = p->sc;
	struct seq_step *st;
	int v;

	if (!strcmp(tok[0], "set") && n == 3 && sc->nset < SEQ_KEYS) {
		return copy(p, sc->set_key[sc->nset], 32, tok[1]) ?:
		       copy(p, sc->set_val[sc->nset++], 32, tok[2]);
	}
	if (!strcmp(tok[0], "script") && n >= 2 && sc->nscript < SEQ_KEYS) {
		return copy(p, sc->script_num[sc->nscript], 32, tok[1]) ?:
		       copy(p, sc->script[sc->nscript++], SEQ_TEXT,
			    rest(line, 2));
	}
	if (!strcmp(tok[0], "skip") && n >= 3 && !strcmp(tok[1], "kernel:"))
		return copy(p, sc->skip_kernel, 128, rest(line, 2));
	if (!strcmp(tok[0], "skip") && n >= 3 && !strcmp(tok[1], "e2e:"))
		return copy(p, sc->skip_e2e, 128, rest(line, 2));
	if (!strcmp(tok[0], "wait") && n == 2) {
		st = new_step(p, SEQ_WAIT);
		st->ms = strtoul(tok[1], NULL, 10);
		return 0;
	}
	if (!strcmp(tok[0], "inbound") && n == 3 && strlen(tok[1]) == 1 &&
	    tok[1][0] >= 'A' && tok[1][0] < 'A' + SEQ_LINES) {
		st = new_step(p, SEQ_INBOUND);
		st->line = tok[1][0] - 'A';
		return copy(p, st->data, sizeof(st->data), tok[2]);
	}
	if ((!strcmp(tok[0], "farhangup") && n == 2) ||
	    (!strcmp(tok[0], "fardigits") && n == 3)) {
		st = new_step(p, n == 2 ? SEQ_FAR_HANGUP : SEQ_FAR_DIGITS);
		if (arg_call(p, &st->call, tok[1]))
			return -1;
		st->line = tok[1][0] - 'a';
		return n == 3 ? copy(p, st->data, sizeof(st->data), tok[2]) : 0;
	}
	v = tok[0][0];
	if (strlen(tok[0]) == 1 && v >= 'A' && v < 'A' + SEQ_LINES && n >= 2)
		return parse_cmd(p, tok, n);
	return perr(p, "cannot read '%s'", tok[0]);
}

static int parse_line(struct parser *p, char *line)
{
	char *copyl, *tok[16], *save = NULL, *w, *c;
	int n = 0, ret = 0;

	/* A comment starts with '#' after a blank: '#' is also a digit. */
	for (c = line; (c = strchr(c, '#')); c++)
		if (c == line || c[-1] == ' ' || c[-1] == '\t') {
			*c = '\0';
			break;
		}
	copyl = strdup(line);
	if (!copyl)
		abort();
	for (w = strtok_r(line, " \t", &save); w && n < 15;
	     w = strtok_r(NULL, " \t", &save))
		tok[n++] = w;
	tok[n] = NULL;
	if (!n)
		goto out;
	if (!strcmp(tok[0], "scenario")) {
		struct seq_file *f = p->f;

		if (n != 2)
			ret = perr(p, "scenario NAME");
		else if (seq_find(f, tok[1]))
			ret = perr(p, "scenario %s twice", tok[1]);
		if (ret)
			goto out;
		f->sc = grow(f->sc, &p->capsc, f->nsc, sizeof(*f->sc));
		p->sc = &f->sc[f->nsc++];
		memset(p->sc, 0, sizeof(*p->sc));
		p->sc->lineno = p->lineno;
		p->sc->first = f->nsteps;
		ret = copy(p, p->sc->name, sizeof(p->sc->name), tok[1]);
		goto out;
	}
	if (!p->sc) {
		ret = perr(p, "outside a scenario");
		goto out;
	}
	if (tok[0][0] >= 'a' && tok[0][0] < 'a' + SEQ_LINES &&
	    tok[0][1] >= '0' && tok[0][1] <= '9') {
		/* Records of the step above, separated by ';'. */
		char *rsave = NULL, *r;

		if (!p->sc->nsteps) {
			ret = perr(p, "a record before any step");
			goto out;
		}
		for (r = strtok_r(copyl, ";", &rsave); r && !ret;
		     r = strtok_r(NULL, ";", &rsave)) {
			c = r;
			while ((c = strchr(c, '#'))) {
				if (c == r || c[-1] == ' ' || c[-1] == '\t') {
					*c = '\0';
					break;
				}
				c++;
			}
			ret = parse_exp(p, r);
		}
		goto out;
	}
	ret = parse_directive(p, copyl, tok, n);
out:
	free(copyl);
	return ret;
}

int seq_parse(struct seq_file *f, const char *text, char *err, size_t len)
{
	struct parser p = { .f = f, .err = err, .errlen = len };
	const char *s = text, *nl;
	char buf[512];
	size_t n;

	memset(f, 0, sizeof(*f));
	while (*s) {
		p.lineno++;
		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		if (n >= sizeof(buf))
			return perr(&p, "line too long");
		memcpy(buf, s, n);
		buf[n] = '\0';
		if (parse_line(&p, buf))
			return -1;
		s += n + (nl ? 1 : 0);
	}
	if (!f->nsc) {
		snprintf(err, len, "sequences.txt: no scenario");
		return -1;
	}
	return 0;
}

int seq_load(struct seq_file *f, const char *path, char *err, size_t len)
{
	FILE *fp = fopen(path, "r");
	char *text;
	long size;
	int ret;

	if (!fp) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	rewind(fp);
	text = calloc(1, size + 1);
	if (!text || fread(text, 1, size, fp) != (size_t)size) {
		snprintf(err, len, "%s: cannot read", path);
		fclose(fp);
		free(text);
		return -1;
	}
	fclose(fp);
	ret = seq_parse(f, text, err, len);
	free(text);
	return ret;
}

void seq_free(struct seq_file *f)
{
	free(f->sc);
	free(f->steps);
	free(f->exp);
	memset(f, 0, sizeof(*f));
}

const struct seq_scenario *seq_find(const struct seq_file *f,
				    const char *name)
{
	size_t i;

	for (i = 0; i < f->nsc; i++)
		if (!strcmp(f->sc[i].name, name))
			return &f->sc[i];
	return NULL;
}

int seq_set_get(const struct seq_scenario *sc, const char *key,
		const char **val)
{
	size_t i;

	for (i = 0; i < sc->nset; i++)
		if (!strcmp(sc->set_key[i], key)) {
			*val = sc->set_val[i];
			return 1;
		}
	return 0;
}

/* ---- running -------------------------------------------------------- */

struct run {
	const struct seq_file *f;
	const struct seq_scenario *sc;
	const struct seq_host *h;
	void *ctx;
	uint32_t handle[SEQ_NAMES];	/* 0: not seen yet */
	struct seq_rec pending[SEQ_PENDING];
	size_t npending;
	char *msg;
	size_t len;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fail(struct run *r, int lineno, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(r->msg, r->len, "%s (sequences.txt:%d): ", r->sc->name,
		     lineno);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->len)
		vsnprintf(r->msg + n, r->len - n, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *call_name(const struct run *r, uint32_t h, char *buf)
{
	size_t i;

	if (!h)
		return "0";
	for (i = 0; i < r->sc->nnames; i++)
		if (r->handle[i] == h)
			return r->sc->names[i];
	sprintf(buf, "#%u", h);
	return buf;
}

static void fmt_rec(const struct run *r, const struct seq_rec *x, char *out,
		    size_t len)
{
	char b1[16], b2[16];
	const char *reason = "";
	int i, n;

	if (x->type == CTI_EV_DIGITS) {
		snprintf(out, len, "%c:%s digits %s", 'A' + x->line,
			 call_name(r, x->call, b1), x->digits);
		return;
	}
	if (x->type == CTI_EV_CALL_INFO) {
		n = snprintf(out, len, "%c:%s info %s %s %s>%s ^%s chg=",
			     'A' + x->line, call_name(r, x->call, b1),
			     x->origin < N(origin_names) ?
			     origin_names[x->origin] : "?",
			     x->reason < N(cti_offer_names) ?
			     cti_offer_names[x->reason] : "?",
			     x->caller, x->called,
			     call_name(r, x->related, b2));
		for (i = 0; i < (int)N(changed_names) && n > 0 &&
		     (size_t)n < len; i++)
			if (x->changed & (1ull << i))
				n += snprintf(out + n, len - n, "%s,",
					      changed_names[i]);
		return;
	}
	if (x->state == CTI_CALL_OFFERING && x->reason < N(cti_offer_names))
		reason = cti_offer_names[x->reason];
	else if (x->reason < N(cti_disc_names))
		reason = cti_disc_names[x->reason];
	snprintf(out, len, "%c:%s %s%s%s ^%s", 'A' + x->line,
		 call_name(r, x->call, b1), seq_state_name(x->state),
		 x->reason ? "/" : "", x->reason ? reason : "",
		 call_name(r, x->related, b2));
}

/* Bind or compare the name @name with the handle @h. */
static bool same_call(struct run *r, int name, uint32_t h)
{
	size_t i;

	if (name == SEQ_NONE)
		return h == 0;
	if (r->handle[name])
		return r->handle[name] == h;
	if (!h)
		return false;
	/* A name binds on its first record, to a handle no other has. */
	for (i = 0; i < r->sc->nnames; i++)
		if (r->handle[i] == h)
			return false;
	r->handle[name] = h;
	return true;
}

static bool match(struct run *r, const struct seq_exp *e,
		  const struct seq_rec *x)
{
	if (e->type != x->type || !same_call(r, e->name, x->call))
		return false;
	if (e->related != -1 && !same_call(r, e->related, x->related))
		return false;
	switch (e->type) {
	case CTI_EV_DIGITS:
		return !strcmp(e->digits, x->digits);
	case CTI_EV_CALL_STATE:
		return e->state == x->state && e->reason == x->reason;
	}
	return (e->origin == SEQ_ANY || e->origin == x->origin) &&
	       (e->reason == SEQ_ANY || e->reason == x->reason) &&
	       (e->changed == ~0ull || e->changed == x->changed) &&
	       (!strcmp(e->caller, "*") || !strcmp(e->caller, x->caller)) &&
	       (!strcmp(e->called, "*") || !strcmp(e->called, x->called));
}

/* An expected record, in the file's notation, for messages. */
static void fmt_exp(const struct run *r, const struct seq_exp *e, char *out,
		    size_t len)
{
	const char *name = r->sc->names[e->name];
	const char *rel = e->related == SEQ_NONE ? "0" :
			  e->related >= 0 ? r->sc->names[e->related] : NULL;
	const char *reason = "";

	if (e->type == CTI_EV_DIGITS) {
		snprintf(out, len, "%s digits %s", name, e->digits);
	} else if (e->type == CTI_EV_CALL_INFO) {
		snprintf(out, len, "%s info %s %s %s>%s%s%s", name,
			 e->origin == SEQ_ANY ? "-" : origin_names[e->origin],
			 e->reason == SEQ_ANY ? "-" : cti_offer_names[e->reason],
			 e->caller, e->called, rel ? " ^" : "", rel ? rel : "");
	} else {
		if (e->reason)
			reason = e->state == CTI_CALL_OFFERING ?
				 cti_offer_names[e->reason] : cti_disc_names[e->reason];
		snprintf(out, len, "%s %s%s%s%s%s", name,
			 seq_state_name(e->state), e->reason ? "/" : "",
			 reason, rel ? " ^" : "", rel ? rel : "");
	}
}

/* Take one record into the pending list; other types are not compared. */
static int take(struct run *r, const struct seq_rec *x, int lineno)
{
	if (x->type != CTI_EV_CALL_STATE && x->type != CTI_EV_CALL_INFO &&
	    x->type != CTI_EV_DIGITS)
		return 0;
	if (x->line >= SEQ_LINES)
		return fail(r, lineno, "a record on line %u", x->line);
	if (r->npending == SEQ_PENDING)
		return fail(r, lineno, "more than %d records pending",
			    SEQ_PENDING);
	r->pending[r->npending++] = *x;
	return 0;
}

static size_t count_line(const struct run *r, unsigned int line)
{
	size_t i, n = 0;

	for (i = 0; i < r->npending; i++)
		n += r->pending[i].line == line;
	return n;
}

static bool enough(const struct run *r, const size_t *want)
{
	unsigned int l;

	for (l = 0; l < SEQ_LINES; l++)
		if (count_line(r, l) < want[l])
			return false;
	return true;
}

/* Gather the records of a step: all that are due, or as many as wanted. */
static int collect(struct run *r, const struct seq_step *st,
		   const size_t *want)
{
	struct seq_rec x;
	size_t nwant;
	unsigned int l;
	int64_t end;
	int ret;

	if (r->h->advance) {
		ret = r->h->advance(r->ctx, st->kind == SEQ_WAIT ? st->ms : 0);
		if (ret)
			return fail(r, st->lineno, "the runner failed: %s",
				    r->msg);
		while ((ret = r->h->next(r->ctx, 0, &x)) == 1)
			if (take(r, &x, st->lineno))
				return -1;
		return ret ? fail(r, st->lineno, "reading records failed") : 0;
	}
	for (l = 0, nwant = 0; l < SEQ_LINES; l++)
		nwant += want[l];
	end = now_ms() + (st->kind == SEQ_WAIT ? st->ms : 0);
	if (nwant)
		end += SEQ_WAIT_MS;
	while (!nwant || !enough(r, want)) {
		int64_t left = end - now_ms();

		if (left <= 0)
			break;
		ret = r->h->next(r->ctx, (int)left, &x);
		if (ret == 1) {
			if (take(r, &x, st->lineno))
				return -1;
		} else if (ret) {
			return fail(r, st->lineno, "reading records failed");
		}
	}
	return 0;
}

/* Compare a step's records, party by party, in order. */
static int compare(struct run *r, const struct seq_step *st)
{
	const struct seq_exp *e = &r->f->exp[st->first];
	char got[192], exp[160];
	size_t i, j, k;
	unsigned int l;
	bool used[SEQ_PENDING] = { false };

	for (l = 0; l < SEQ_LINES; l++) {
		j = 0;
		for (i = 0; i < st->nexp; i++) {
			if (e[i].line != l)
				continue;
			while (j < r->npending && r->pending[j].line != l)
				j++;
			fmt_exp(r, &e[i], exp, sizeof(exp));
			if (j == r->npending)
				return fail(r, st->lineno,
					    "%c never saw '%s'", 'A' + l, exp);
			if (!match(r, &e[i], &r->pending[j])) {
				fmt_rec(r, &r->pending[j], got, sizeof(got));
				return fail(r, st->lineno,
					    "%c saw '%s', want '%s'", 'A' + l,
					    got, exp);
			}
			used[j++] = true;
		}
	}
	for (i = k = 0; i < r->npending; i++)
		if (!used[i])
			r->pending[k++] = r->pending[i];
	r->npending = k;
	/* With a fake clock a step's records are all there: none is extra. */
	if (r->h->advance && r->npending) {
		fmt_rec(r, &r->pending[0], got, sizeof(got));
		return fail(r, st->lineno, "unexpected record '%s'", got);
	}
	return 0;
}

static int run_step(struct run *r, const struct seq_step *st)
{
	const struct seq_exp *e = &r->f->exp[st->first];
	uint32_t call = 0, call2 = 0, newcall = 0;
	size_t want[SEQ_LINES] = { 0 }, i;
	char why[160] = "";
	int ret;

	if (st->call >= 0)
		call = r->handle[st->call] ?: SEQ_NO_CALL;
	if (st->call2 >= 0)
		call2 = r->handle[st->call2] ?: SEQ_NO_CALL;
	if (st->kind != SEQ_WAIT) {
		ret = r->h->act(r->ctx, st, call, call2, &newcall, why,
				sizeof(why));
		if (ret == SEQ_SKIP) {
			snprintf(r->msg, r->len, "%s: %s", r->sc->name, why);
			return SEQ_SKIP;
		}
		if (ret == SEQ_ERROR)
			return fail(r, st->lineno, "%s", why);
		if (ret != st->result)
			return fail(r, st->lineno, "REPLY error %d, want %d",
				    ret, st->result);
		if (st->bind >= 0) {
			if (!newcall || r->handle[st->bind])
				return fail(r, st->lineno,
					    "REPLY carries call %u", newcall);
			if (!same_call(r, st->bind, newcall))
				return fail(r, st->lineno,
					    "REPLY's call %u is known", newcall);
		}
	}
	for (i = 0; i < st->nexp; i++)
		want[e[i].line]++;
	if (collect(r, st, want))
		return -1;
	return compare(r, st);
}

enum seq_result seq_run(const struct seq_file *f,
			const struct seq_scenario *sc,
			const struct seq_host *h, void *ctx,
			char *msg, size_t len)
{
	static struct run r;	/* too big for a small stack */
	struct seq_rec x;
	enum seq_result res = SEQ_PASS;
	size_t i;
	int ret;

	memset(&r, 0, sizeof(r));
	r.f = f;
	r.sc = sc;
	r.h = h;
	r.ctx = ctx;
	r.msg = msg;
	r.len = len;
	msg[0] = '\0';
	ret = h->start(ctx, sc, msg, len);
	if (ret == SEQ_SKIP)
		return SEQ_SKIPPED;
	if (ret) {
		if (!msg[0])
			snprintf(msg, len, "%s: the switch did not start",
				 sc->name);
		return SEQ_FAIL;
	}
	for (i = 0; i < sc->nsteps && res == SEQ_PASS; i++) {
		ret = run_step(&r, &f->steps[sc->first + i]);
		if (ret == SEQ_SKIP)
			res = SEQ_SKIPPED;
		else if (ret)
			res = SEQ_FAIL;
	}
	if (res == SEQ_PASS && !h->advance) {
		/* Real time: nothing more may arrive. */
		int64_t end = now_ms() + h->quiet_ms;

		while (now_ms() < end &&
		       (ret = h->next(ctx, (int)(end - now_ms()), &x)) == 1)
			if (take(&r, &x, sc->lineno))
				break;
	}
	if (res == SEQ_PASS && r.npending) {
		char got[192];

		fmt_rec(&r, &r.pending[0], got, sizeof(got));
		fail(&r, sc->lineno, "unexpected record '%s' at the end", got);
		res = SEQ_FAIL;
	}
	h->stop(ctx);
	return res;
}
