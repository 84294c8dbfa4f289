// SPDX-License-Identifier: GPL-2.0
/*
 * Line access control: parsing of line specs, the per-line masks and the
 * per-user principal. See acl.h for the model.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acl.h"
#include "config.h"

static bool glob_char_ok(char c)
{
	return isalnum((unsigned char)c) || strchr("_-./*?[]", c);
}

static int parse_item(const char *item, size_t len, struct line_spec **out,
		      char *err, size_t errlen)
{
	struct line_spec *s;

	if (len == 1 && item[0] == '*') {
		s = calloc(1, sizeof(*s));
		if (!s)
			goto nomem;
		s->kind = LSPEC_ALL;
	} else if (isdigit((unsigned char)item[0])) {
		unsigned long lo, hi;
		char buf[32], *end;

		if (len >= sizeof(buf))
			goto bad;
		memcpy(buf, item, len);
		buf[len] = '\0';
		errno = 0;
		lo = strtoul(buf, &end, 10);
		hi = lo;
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				goto bad;
			hi = strtoul(end + 1, &end, 10);
		}
		if (errno || *end || lo == 0 || hi < lo || hi > UINT32_MAX - 1) {
			snprintf(err, errlen,
				 "bad line id or range \"%s\" (ids start at 1; lo-hi with lo <= hi)",
				 buf);
			return -1;
		}
		s = calloc(1, sizeof(*s));
		if (!s)
			goto nomem;
		s->kind = LSPEC_RANGE;
		s->lo = lo;
		s->hi = hi;
	} else {
		for (size_t i = 0; i < len; i++)
			if (!glob_char_ok(item[i]))
				goto bad;
		if (len > 64)
			goto bad;
		s = calloc(1, sizeof(*s) + len + 1);
		if (!s)
			goto nomem;
		s->kind = LSPEC_GLOB;
		memcpy(s->glob, item, len);
		s->glob[len] = '\0';
	}
	s->next = *out;
	*out = s;
	return 0;
bad:
	snprintf(err, errlen, "bad item \"%.*s\" (want *, an id, a range lo-hi or a line name pattern)",
		 (int)(len > 64 ? 64 : len), item);
	return -1;
nomem:
	snprintf(err, errlen, "out of memory");
	return -1;
}

int line_spec_parse(const char *text, struct line_spec **out,
		    char *err, size_t errlen)
{
	struct line_spec *spec = NULL;
	const char *p = text;

	while (*p) {
		size_t len;

		p += strspn(p, ", \t");
		len = strcspn(p, ", \t");
		if (!len)
			break;
		if (parse_item(p, len, &spec, err, errlen)) {
			line_spec_free(spec);
			return -1;
		}
		p += len;
	}
	if (!spec) {
		snprintf(err, errlen, "empty line list (use * for every line)");
		return -1;
	}
	*out = spec;
	return 0;
}

void line_spec_free(struct line_spec *spec)
{
	while (spec) {
		struct line_spec *next = spec->next;

		free(spec);
		spec = next;
	}
}

bool line_spec_match(const struct line_spec *spec, uint32_t id,
		     const char *name)
{
	for (; spec; spec = spec->next) {
		switch (spec->kind) {
		case LSPEC_ALL:
			return true;
		case LSPEC_RANGE:
			if (id >= spec->lo && id <= spec->hi)
				return true;
			break;
		case LSPEC_GLOB:
			if (name && !fnmatch(spec->glob, name, 0))
				return true;
			break;
		}
	}
	return false;
}

static void print_rev(const struct line_spec *s, FILE *f, bool *first)
{
	if (!s)
		return;
	print_rev(s->next, f, first);
	if (!*first)
		fputs(", ", f);
	*first = false;
	switch (s->kind) {
	case LSPEC_ALL:
		fputc('*', f);
		break;
	case LSPEC_RANGE:
		if (s->lo == s->hi)
			fprintf(f, "%u", s->lo);
		else
			fprintf(f, "%u-%u", s->lo, s->hi);
		break;
	case LSPEC_GLOB:
		fputs(s->glob, f);
		break;
	}
}

void line_spec_print(const struct line_spec *spec, FILE *f)
{
	bool first = true;

	print_rev(spec, f, &first);
}

void acl_line_masks(const struct config *cfg, uint32_t id, const char *name,
		    uint64_t *own, uint64_t *mon)
{
	*own = 0;
	*mon = 0;
	for (size_t i = 0; i < cfg->nacls; i++) {
		const struct cfg_acl *a = &cfg->acls[i];

		if (line_spec_match(a->lines, id, name))
			*own |= 1ull << i;
		else if (line_spec_match(a->monitor, id, name))
			*mon |= 1ull << i;
	}
}

uint64_t acl_line_pickup_mask(const struct config *cfg, uint32_t id,
			      const char *name)
{
	uint64_t pick = 0;

	for (size_t i = 0; i < cfg->nacls; i++)
		if (line_spec_match(cfg->acls[i].pickup, id, name))
			pick |= 1ull << i;
	return pick;
}

void acl_principal_from_names(const struct config *cfg, const char *user,
			      const char *const *groups, size_t ngroups,
			      struct acl_principal *p)
{
	p->mask = 0;
	p->admin = false;
	snprintf(p->name, sizeof(p->name), "%s", user ? user : "?");
	for (size_t i = 0; i < cfg->nacls; i++) {
		const struct cfg_acl *a = &cfg->acls[i];
		bool hit = false;

		if (!a->is_group) {
			hit = user && !strcmp(a->name, user);
		} else {
			for (size_t g = 0; g < ngroups && !hit; g++)
				hit = !strcmp(a->name, groups[g]);
		}
		if (hit) {
			p->mask |= 1ull << i;
			p->admin |= a->admin;
		}
	}
}

#define MAX_GROUPS 256

int acl_principal_resolve(const struct config *cfg, uid_t uid,
			  struct acl_principal *p)
{
	struct passwd pw, *pwp = NULL;
	gid_t gids[MAX_GROUPS];
	int ngids = MAX_GROUPS;
	const char *names[MAX_GROUPS];
	char *gbufs = NULL;
	char buf[4096];
	size_t n = 0;
	int ret = 0;

	p->uid = uid;
	p->mask = 0;
	p->admin = false;
	snprintf(p->name, sizeof(p->name), "uid %u", (unsigned int)uid);
	ret = getpwuid_r(uid, &pw, buf, sizeof(buf), &pwp);
	if (ret)
		return -ret;	/* NSS failed (EMFILE, EIO...): try again later */
	if (!pwp)
		return -ENOENT;	/* no such user: no rights */
	if (getgrouplist(pw.pw_name, pw.pw_gid, gids, &ngids) < 0)
		ngids = MAX_GROUPS;	/* truncated: use what fits */
	/* Group names are copied out of getgrgid_r's buffer one by one. */
	gbufs = calloc(ngids ? ngids : 1, 64);
	if (!gbufs)
		return -ENOMEM;
	for (int i = 0; i < ngids; i++) {
		struct group gr, *grp = NULL;
		char gbuf[4096];

		if (getgrgid_r(gids[i], &gr, gbuf, sizeof(gbuf), &grp) || !grp)
			continue;
		snprintf(gbufs + n * 64, 64, "%s", gr.gr_name);
		names[n] = gbufs + n * 64;
		n++;
	}
	acl_principal_from_names(cfg, pw.pw_name, names, n, p);
	p->uid = uid;
	free(gbufs);
	return ret;
}
