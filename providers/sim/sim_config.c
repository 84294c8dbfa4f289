// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim's configuration keys (see README.md), checked with the file's
 * line numbers so that ctid --check-config can point at the mistake.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "common/pconf.h"

#define SIM_LINES_MAX	1000000

struct sim_cfg_ctx {
	const struct cti_host_api *api;
	struct cti_host *host;
	const struct cti_provider_config *pc;
	const struct cti_provider_kv *kv;
};

__attribute__((format(printf, 2, 3)))
static int sim_cfg_err(const struct sim_cfg_ctx *x, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x->api->log(x->host, CTI_LOG_ERR, "%s:%u: %s: %s",
		    x->pc->file ? x->pc->file : "(config)", x->kv->lineno,
		    x->kv->key, msg);
	return -EINVAL;
}

static int sim_cfg_u32(const struct sim_cfg_ctx *x, uint32_t min,
		       uint32_t max, uint32_t *out)
{
	const char *s = x->kv->value;
	unsigned long long v = 0;

	if (!*s || strlen(s) > 10)
		return sim_cfg_err(x, "'%s' is not a number", s);
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return sim_cfg_err(x, "'%s' is not a number",
					   x->kv->value);
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	if (v < min || v > max)
		return sim_cfg_err(x, "%llu is not in %u..%u", v, min, max);
	*out = v;
	return 0;
}

static int sim_cfg_bool(const struct sim_cfg_ctx *x, bool *out)
{
	const char *v = x->kv->value;

	if (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true") ||
	    !strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false") ||
		 !strcmp(v, "off"))
		*out = false;
	else
		return sim_cfg_err(x, "'%s' is not a boolean", v);
	return 0;
}

static void sim_free_numbers(char **numbers)
{
	size_t i;

	if (!numbers)
		return;
	for (i = 0; numbers[i]; i++)
		free(numbers[i]);
	free(numbers);
}

/* "100, 101, +4930123": a NULL-terminated array of valid numbers. */
static int sim_cfg_numbers(const struct sim_cfg_ctx *x, char ***out,
			   uint32_t *count)
{
	const char *p = x->kv->value;
	char **v = NULL;
	size_t n = 0, cap = 0;

	for (;;) {
		char buf[CTI_NUMBER_MAX];
		size_t len = 0;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		while (*p && *p != ' ' && *p != ',' && *p != '\t') {
			if (len + 1 >= sizeof(buf))
				goto err_bad;
			buf[len++] = *p++;
		}
		buf[len] = '\0';
		if (!sw_number_valid(buf, false))
			goto err_bad;
		if (n + 2 > cap) {
			char **nv;

			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto err_nomem;
			v = nv;
		}
		v[n] = strdup(buf);
		if (!v[n])
			goto err_nomem;
		v[++n] = NULL;
		if (n > SIM_LINES_MAX)
			goto err_bad;
	}
	if (!n) {
		sim_free_numbers(v);
		return sim_cfg_err(x, "no numbers");
	}
	*out = v;
	*count = n;
	return 0;

err_bad:
	sim_free_numbers(v);
	return sim_cfg_err(x, "not a list of dial numbers");
err_nomem:
	sim_free_numbers(v);
	return -ENOMEM;
}

/* "inbound = <to> <from> [<delay ms>]" */
static int sim_cfg_inbound(const struct sim_cfg_ctx *x, struct sim_config *cfg)
{
	struct sim_inbound *in = calloc(1, sizeof(*in));
	char delay[16] = "";
	int n;

	if (!in)
		return -ENOMEM;
	n = sscanf(x->kv->value, "%31s %31s %15s", in->to, in->from, delay);
	if (n < 2 || !sw_number_valid(in->to, false) ||
	    !sw_number_valid(in->from, false)) {
		free(in);
		return sim_cfg_err(x, "expected '<line number> <caller> [<delay ms>]'");
	}
	if (n == 3) {
		char *end;
		unsigned long v = strtoul(delay, &end, 10);

		if (*end || v > 86400000UL) {
			free(in);
			return sim_cfg_err(x, "bad delay '%s'", delay);
		}
		in->delay = v;
	}
	in->next = cfg->inbound;
	cfg->inbound = in;
	return 0;
}

static int sim_cfg_outside(const struct sim_cfg_ctx *x, struct sim_config *cfg,
			   const char *number)
{
	struct sim_outside *o;

	if (!sw_number_valid(number, false))
		return sim_cfg_err(x, "'%s' is not a dial number", number);
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	if (sw_script_parse(x->kv->value, &o->script)) {
		free(o);
		return sim_cfg_err(x, "bad far-end script '%s'", x->kv->value);
	}
	strcpy(o->number, number);
	o->next = cfg->outside;
	cfg->outside = o;
	return 0;
}

/* "drop" (the default, as TAPI) or "keep" a call whose owner went away. */
static int sim_cfg_orphan_mode(const struct sim_cfg_ctx *x, bool *keep)
{
	if (!strcmp(x->kv->value, "drop"))
		*keep = false;
	else if (!strcmp(x->kv->value, "keep"))
		*keep = true;
	else
		return sim_cfg_err(x, "'%s' is neither drop nor keep",
				   x->kv->value);
	return 0;
}

/* "orphan.<line number> = drop|keep"; the line is checked at init. */
static int sim_cfg_orphan(const struct sim_cfg_ctx *x, struct sim_config *cfg,
			  const char *number)
{
	struct sim_orphan *o;
	bool keep;
	int ret;

	if (!sw_number_valid(number, false))
		return sim_cfg_err(x, "'%s' is not a dial number", number);
	ret = sim_cfg_orphan_mode(x, &keep);
	if (ret)
		return ret;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	strcpy(o->number, number);
	o->keep = keep;
	o->next = cfg->orphan;
	cfg->orphan = o;
	return 0;
}

static int sim_cfg_key(const struct sim_cfg_ctx *x, struct sim_config *cfg,
		       bool *have_lines)
{
	const char *k = x->kv->key, *v = x->kv->value;
	uint32_t count = 0;
	int ret;

	if (!strcmp(k, "lines")) {
		*have_lines = true;
		return sim_cfg_u32(x, 1, SIM_LINES_MAX, &cfg->lines);
	}
	if (!strcmp(k, "first_number"))
		return sim_cfg_u32(x, 0, 999999999, &cfg->first_number);
	if (!strcmp(k, "numbers")) {
		sim_free_numbers(cfg->numbers);
		cfg->numbers = NULL;
		ret = sim_cfg_numbers(x, &cfg->numbers, &count);
		if (ret)
			return ret;
		if (*have_lines && count != cfg->lines)
			return sim_cfg_err(x, "%u numbers for %u lines", count,
					   cfg->lines);
		cfg->lines = count;
		return 0;
	}
	if (!strcmp(k, "max_calls"))
		return sim_cfg_u32(x, 1, 16, &cfg->max_calls);
	if (!strcmp(k, "noanswer_ms"))
		return sim_cfg_u32(x, 0, 86400000, &cfg->noanswer_ms);
	if (!strcmp(k, "forward_noanswer_ms"))
		return sim_cfg_u32(x, 1, 86400000, &cfg->forward_noanswer_ms);
	if (!strcmp(k, "park_slots"))
		return sim_cfg_u32(x, 0, 1000, &cfg->park_slots);
	if (!strcmp(k, "park_first"))
		return sim_cfg_u32(x, 0, 999999999, &cfg->park_first);
	if (!strcmp(k, "after_call_work"))
		return sim_cfg_bool(x, &cfg->after_call_work);
	if (!strcmp(k, "outside_default")) {
		if (sw_script_parse(v, &cfg->outside_default))
			return sim_cfg_err(x, "bad far-end script '%s'", v);
		return 0;
	}
	if (!strncmp(k, "outside.", 8))
		return sim_cfg_outside(x, cfg, k + 8);
	if (!strcmp(k, "inbound"))
		return sim_cfg_inbound(x, cfg);
	if (!strcmp(k, "orphan"))
		return sim_cfg_orphan_mode(x, &cfg->orphan_keep);
	if (!strncmp(k, "orphan.", 7))
		return sim_cfg_orphan(x, cfg, k + 7);
	return sim_cfg_err(x, "unknown key");
}

static int sim_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A number listed twice would make two lines one: refuse it here. */
static int sim_cfg_unique(const struct cti_host_api *api,
			  struct cti_host *host, const struct sim_config *cfg)
{
	char **v = malloc(cfg->lines * sizeof(*v));
	uint32_t i;
	int ret = 0;

	if (!v)
		return -ENOMEM;
	memcpy(v, cfg->numbers, cfg->lines * sizeof(*v));
	qsort(v, cfg->lines, sizeof(*v), sim_cmp_str);
	for (i = 1; i < cfg->lines && !ret; i++) {
		if (!strcmp(v[i - 1], v[i])) {
			api->log(host, CTI_LOG_ERR, "numbers: %s is listed twice",
				 v[i]);
			ret = -EINVAL;
		}
	}
	free(v);
	return ret;
}

static void sim_config_defaults(struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->lines = 8;
	cfg->first_number = 100;
	cfg->max_calls = SIM_MAX_CALLS_DEFAULT;
	cfg->noanswer_ms = 0;		/* ring for ever, as the kernel sim */
	cfg->forward_noanswer_ms = 15000;
	cfg->park_slots = 10;
	cfg->park_first = 700;
	cfg->after_call_work = true;
	sw_script_parse("answer 1000", &cfg->outside_default);
}

int sim_config_parse(struct sim_config *cfg, const struct cti_host_api *api,
		     struct cti_host *host,
		     const struct cti_provider_config *pc)
{
	struct sim_cfg_ctx x = { api, host, pc, NULL };
	bool have_lines = false;
	size_t i;
	int ret = 0, r;

	sim_config_defaults(cfg);
	ret = pconf_unique(api, host, pc, NULL);
	if (ret)
		goto err;
	for (i = 0; i < pc->count; i++) {
		x.kv = &pc->kv[i];
		r = sim_cfg_key(&x, cfg, &have_lines);
		if (r == -ENOMEM)
			goto err;
		if (r)
			ret = r;	/* keep going: report every mistake */
	}
	if (ret)
		goto err;
	if (cfg->numbers) {
		ret = sim_cfg_unique(api, host, cfg);
		if (ret)
			goto err;
	}
	if (!cfg->numbers &&
	    (uint64_t)cfg->first_number + cfg->lines > 4000000000ULL) {
		api->log(host, CTI_LOG_ERR, "first_number + lines is too big");
		ret = -EINVAL;
		goto err;
	}
	return 0;
err:
	sim_config_free(cfg);
	return ret ? ret : -ENOMEM;
}

void sim_config_free(struct sim_config *cfg)
{
	struct sim_outside *o;
	struct sim_inbound *in;
	struct sim_orphan *op;

	sim_free_numbers(cfg->numbers);
	cfg->numbers = NULL;
	while ((o = cfg->outside)) {
		cfg->outside = o->next;
		free(o);
	}
	while ((in = cfg->inbound)) {
		cfg->inbound = in->next;
		free(in);
	}
	while ((op = cfg->orphan)) {
		cfg->orphan = op->next;
		free(op);
	}
}
