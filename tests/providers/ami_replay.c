// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The replay peer (ami_replay.h): a recorded Asterisk, played back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ami_replay.h"

/* Error texts and ids are cut to their buffers on purpose. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#ifndef AMI_TRANSCRIPTS
#define AMI_TRANSCRIPTS "tests/providers/ami/transcripts"
#endif

static int rp_add(struct replay *r, char dir, const char *text)
{
	struct rp_msg *n = realloc(r->m, (r->n + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	r->m = n;
	n[r->n].dir = dir;
	n[r->n].text = strdup(text);
	if (!n[r->n].text)
		return -ENOMEM;
	r->n++;
	return 0;
}

int rp_load(struct replay *r, const char *name)
{
	char path[512], line[2048], msg[16384];
	size_t len = 0;
	char dir = 0;
	FILE *f;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/%s.ami", AMI_TRANSCRIPTS, name);
	f = fopen(path, "r");
	if (!f) {
		snprintf(r->err, sizeof(r->err), "%s: %s", path, strerror(errno));
		return -errno;
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		size_t l = strcspn(line, "\n");

		line[l] = '\0';
		if (!dir) {
			if (!strcmp(line, "<<<") || !strcmp(line, ">>>"))
				dir = line[0], len = 0;
			else if (!strcmp(line, "=== cut"))
				ret = rp_add(r, 'C', "");
			continue;
		}
		if (len + l + 3 >= sizeof(msg)) {
			ret = -E2BIG;
			break;
		}
		memcpy(msg + len, line, l);
		len += l;
		memcpy(msg + len, "\r\n", 3);
		len += 2;
		if (!l) {
			ret = rp_add(r, dir, msg);
			dir = 0;
		}
	}
	fclose(f);
	if (ret)
		snprintf(r->err, sizeof(r->err), "%s: cannot load (%d)", path,
			 ret);
	return ret;
}

void rp_free(struct replay *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->m[i].text);
	free(r->m);
	r->m = NULL;
}

static void rp_map_add(struct replay *r, char kind, const char *from,
		       const char *to)
{
	size_t i;

	for (i = 0; i < r->nmap; i++)
		if (r->map[i].kind == kind && !strcmp(r->map[i].from, from))
			break;
	if (i == RP_MAP_MAX)
		return;
	if (i == r->nmap)
		r->nmap++;
	r->map[i].kind = kind;
	snprintf(r->map[i].from, sizeof(r->map[i].from), "%s", from);
	snprintf(r->map[i].to, sizeof(r->map[i].to), "%s", to);
}

/* The id mapped from @from of kind @kind, or NULL. */
static const char *rp_map_get(const struct replay *r, char kind,
			      const char *from, size_t fl)
{
	size_t i;

	for (i = 0; i < r->nmap; i++)
		if (r->map[i].kind == kind && strlen(r->map[i].from) == fl &&
		    !strncmp(r->map[i].from, from, fl))
			return r->map[i].to;
	return NULL;
}

/*
 * @text with the provider's ids: the value of an ActionID line, and
 * every ChannelId where a value starts with it ("cti-rec-19;2").
 */
static void rp_subst(const struct replay *r, const char *text, char *out,
		     size_t size)
{
	size_t o = 0;

	while (*text) {
		const char *eol = strstr(text, "\r\n");
		const char *v = strstr(text, ": ");
		size_t ll = eol ? (size_t)(eol - text) + 2 : strlen(text);
		const char *to = NULL;
		size_t vl = 0;

		if (v && v < text + ll) {
			v += 2;
			vl = strcspn(v, ";\r");
			to = rp_map_get(r, !strncasecmp(text, "ActionID:", 9) ?
					'A' : 'C', v, vl);
		}
		if (to && o + ll + strlen(to) < size) {
			o += snprintf(out + o, size - o, "%.*s%s%.*s",
				      (int)(v - text), text, to,
				      (int)(ll - (v - text) - vl), v + vl);
		} else if (o + ll < size) {
			memcpy(out + o, text, ll);
			o += ll;
		}
		text += ll;
	}
	out[o] = '\0';
}

/* The value of @key in a message's text, copied to @buf. */
static const char *rp_field(const char *text, const char *key, char *buf,
			    size_t size)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (*p) {
		const char *eol = strstr(p, "\r\n");

		if (!eol)
			break;
		if (!strncasecmp(p, key, kl) && p[kl] == ':') {
			const char *v = p + kl + 1;
			size_t vl;

			if (*v == ' ')
				v++;
			vl = eol - v;
			snprintf(buf, size, "%.*s", (int)vl, v);
			return buf;
		}
		p = eol + 2;
	}
	return NULL;
}

/* Every line of the recorded action is in the provider's, ids mapped. */
static bool rp_match(struct replay *r, const char *want, const char *got)
{
	const char *p = want;
	char key[128], wv[1024], gv[1024];
	size_t nwant = 0, ngot = 0;

	for (; *p; p = strstr(p, "\r\n") + 2) {
		const char *colon = strchr(p, ':');
		const char *eol = strstr(p, "\r\n");

		if (eol == p)
			break;
		if (!colon || colon > eol || (size_t)(colon - p) >= sizeof(key))
			return false;
		snprintf(key, sizeof(key), "%.*s", (int)(colon - p), p);
		rp_field(p, key, wv, sizeof(wv));
		nwant++;
		if (!rp_field(got, key, gv, sizeof(gv))) {
			snprintf(r->err, sizeof(r->err), "no %s in:\n%s", key,
				 got);
			return false;
		}
		if (!strcasecmp(key, "ActionID") || !strcasecmp(key, "ChannelId")) {
			rp_map_add(r, key[1] == 'c' || key[1] == 'C' ? 'A' : 'C',
				   wv, gv);
			continue;
		}
		if (strcmp(wv, gv)) {
			snprintf(r->err, sizeof(r->err),
				 "%s: recorded '%s', provider sent '%s'", key,
				 wv, gv);
			return false;
		}
	}
	for (p = got; *p && strncmp(p, "\r\n", 2); p = strstr(p, "\r\n") + 2)
		ngot++;
	if (ngot != nwant) {
		snprintf(r->err, sizeof(r->err),
			 "provider sent %zu lines, recorded %zu:\n%s", ngot,
			 nwant, got);
		return false;
	}
	return true;
}

/* Take the provider's next whole message from @r->out into @buf. */
static bool rp_next_sent(struct replay *r, struct th *th, char *buf,
			 size_t size)
{
	const char *s = th_tr_sent(th, r->t);
	size_t sl = strlen(s);
	char *end;

	if (sl && r->nout + sl < sizeof(r->out)) {
		memcpy(r->out + r->nout, s, sl + 1);
		r->nout += sl;
	}
	end = strstr(r->out, "\r\n\r\n");
	if (!end)
		return false;
	end += 4;
	snprintf(buf, size, "%.*s", (int)(end - r->out), r->out);
	r->nout -= end - r->out;
	memmove(r->out, end, r->nout + 1);
	return true;
}

static void rp_cut(struct replay *r, struct th *th)
{
	int i;

	th_tr_close(th, r->t, -ECONNRESET);
	r->nout = 0;
	/* The backoff is the provider's: let its timer bring a new link. */
	for (i = 0; i < 600 && th_tr_last(th) == r->t; i++)
		th_run(th, 100);
	r->t = th_tr_last(th);
	if (r->t && r->t->open)
		th_tr_connect(th, r->t, 0);
}

const char *rp_play(struct replay *r, struct th *th)
{
	static char name[64];
	char text[16384], got[16384];

	if (!r->t) {
		r->t = th_tr_last(th);
		if (!r->t) {
			snprintf(r->err, sizeof(r->err), "no transport");
			return NULL;
		}
		th_tr_connect(th, r->t, 0);
	}
	while (r->pos < r->n) {
		struct rp_msg *m = &r->m[r->pos];

		if (m->dir == 'C') {
			rp_cut(r, th);
		} else if (m->dir == '<') {
			rp_subst(r, m->text, text, sizeof(text));
			if (r->t->open)
				th_tr_data(th, r->t, text);
			r->played++;
		} else {
			if (!rp_next_sent(r, th, got, sizeof(got))) {
				if (!rp_field(m->text, "Action", name,
					      sizeof(name)))
					name[0] = '?';
				return name;
			}
			if (!rp_match(r, m->text, got))
				return NULL;
			r->actions++;
		}
		r->pos++;
	}
	return "";
}

const char *rp_next_field(struct replay *r, const char *key)
{
	static char buf[1024];
	size_t i;

	for (i = r->pos; i < r->n; i++)
		if (r->m[i].dir == '>')
			return rp_field(r->m[i].text, key, buf, sizeof(buf)) ?
				buf : "";
	return "";
}

const char *rp_find(struct replay *r, const char *event, const char *key,
		    char *buf, size_t size)
{
	char ev[128];
	size_t i;

	for (i = r->pos; i-- > 0;) {
		if (r->m[i].dir != '<' ||
		    !rp_field(r->m[i].text, "Event", ev, sizeof(ev)) ||
		    strcmp(ev, event))
			continue;
		return rp_field(r->m[i].text, key, buf, size);
	}
	return NULL;
}

/* The ActionIDs the provider sent since the last look, in order. */
static int rp_sent_ids(struct th *th, struct th_transport *t,
		       unsigned long *id, int max)
{
	const char *p = th_tr_sent(th, t);
	int n = 0;

	while (n < max && (p = strstr(p, "ActionID: "))) {
		p += 10;
		id[n++] = strtoul(p, NULL, 10);
	}
	return n;
}

void rp_fake_login(struct th *th, const char *channels)
{
	struct th_transport *t = th_tr_last(th);
	unsigned long id[4];
	char buf[4096];

	th_tr_connect(th, t, 0);
	th_tr_data(th, t, "Asterisk Call Manager/11.0.0\r\n");
	if (rp_sent_ids(th, t, id, 1) != 1)
		return;
	snprintf(buf, sizeof(buf), "Response: Success\r\nActionID: %lu\r\n"
		 "Challenge: 1\r\n\r\n", id[0]);
	th_tr_data(th, t, buf);
	if (rp_sent_ids(th, t, id, 1) != 1)
		return;
	snprintf(buf, sizeof(buf), "Response: Success\r\nActionID: %lu\r\n"
		 "\r\n", id[0]);
	th_tr_data(th, t, buf);
	if (rp_sent_ids(th, t, id, 3) != 3)
		return;
	snprintf(buf, sizeof(buf), "Response: Success\r\nActionID: %lu\r\n"
		 "\r\n%sEvent: CoreShowChannelsComplete\r\nActionID: %lu\r\n"
		 "\r\nEvent: QueueStatusComplete\r\nActionID: %lu\r\n\r\n",
		 id[0], channels, id[1], id[2]);
	th_tr_data(th, t, buf);
}
