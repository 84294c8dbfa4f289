// SPDX-License-Identifier: GPL-2.0
/*
 * accounts: edits of the [user]/[group] sections (see accounts.h).
 *
 * A line list is edited as text, item by item: each item given is parsed
 * alone and printed back, so "1-1" and "1" are the same item and a REVOKE
 * names exactly what a GRANT added. The result is parsed again by
 * line_spec_parse(), the configuration's own parser, so a live change can
 * never make a section the file could not hold.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "users.h"
#include "wire.h"

#define ITEMS_MAX	64

void acct_spec_text(const struct line_spec *spec, char *buf, size_t n)
{
	FILE *f;

	buf[0] = '\0';
	if (!spec || !n)
		return;
	f = fmemopen(buf, n, "w");
	if (!f)
		return;
	line_spec_print(spec, f);
	fclose(f);
	buf[n - 1] = '\0';
}

static void acl_free_one(struct cfg_acl *a)
{
	free(a->name);
	line_spec_free(a->lines);
	line_spec_free(a->monitor);
	line_spec_free(a->pickup);
	free(a->members);
	memset(a, 0, sizeof(*a));
}

void acct_set_clear(struct acct_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		acl_free_one(&s->v[i]);
	s->n = 0;
}

static int spec_dup(const struct line_spec *src, struct line_spec **out)
{
	char text[4096], err[160];

	*out = NULL;
	if (!src)
		return 0;
	acct_spec_text(src, text, sizeof(text));
	return line_spec_parse(text, out, err, sizeof(err)) ? -ENOMEM : 0;
}

static int acl_copy(struct cfg_acl *d, const struct cfg_acl *s)
{
	*d = *s;
	d->lines = d->monitor = d->pickup = NULL;
	d->name = strdup(s->name);
	d->members = s->members ? strdup(s->members) : NULL;
	if (!d->name || (s->members && !d->members) ||
	    spec_dup(s->lines, &d->lines) || spec_dup(s->monitor, &d->monitor) ||
	    spec_dup(s->pickup, &d->pickup)) {
		acl_free_one(d);
		return -ENOMEM;
	}
	return 0;
}

int acct_set_copy(struct acct_set *dst, const struct cfg_acl *src, size_t n)
{
	dst->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (acl_copy(&dst->v[i], &src[i])) {
			acct_set_clear(dst);
			return -ENOMEM;
		}
		dst->n = i + 1;
	}
	return 0;
}

struct cfg_acl *acct_find(struct acct_set *s, bool is_group, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].is_group == is_group && !strcmp(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}

/* Takes section @i out, keeping the order of the others. */
static void set_remove(struct acct_set *s, struct cfg_acl *a)
{
	size_t i = (size_t)(a - s->v);

	acl_free_one(a);
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(s->v[0]));
	s->n--;
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
}

int acct_overlay(struct acct_set *base, const struct acct_set *ovl)
{
	for (size_t i = 0; i < ovl->n; i++) {
		const struct cfg_acl *o = &ovl->v[i];
		struct cfg_acl *b = acct_find(base, o->is_group, o->name);

		if (b && o->removed) {
			set_remove(base, b);
			continue;
		}
		if (o->removed)
			continue;
		if (b) {
			acl_free_one(b);
		} else {
			if (base->n == CFG_MAX_ACL)
				return -ENOSPC;
			b = &base->v[base->n++];
		}
		if (acl_copy(b, o))
			return -ENOMEM;
		b->lineno = 0;
	}
	return 0;
}

int acct_overlay_put(struct acct_set *ovl, const struct cfg_acl *a,
		     bool is_group, const char *name, bool removed)
{
	struct cfg_acl *o = acct_find(ovl, is_group, name);
	struct cfg_acl tomb = { .name = (char *)name, .is_group = is_group,
				.removed = true };

	if (o)
		acl_free_one(o);
	else if (ovl->n == CFG_MAX_ACL)
		return -ENOSPC;	/* cannot happen: one entry per name in force */
	else
		o = &ovl->v[ovl->n++];
	if (acl_copy(o, removed ? &tomb : a)) {
		set_remove(ovl, o);
		return -ENOMEM;
	}
	o->removed = removed;
	return 0;
}

int acct_add(struct acct_set *s, bool is_group, const char *name, bool admin,
	     char *err, size_t errlen)
{
	struct cfg_acl *a;

	if (users_check_name(name, strlen(name))) {
		snprintf(err, errlen, "bad name \"%s\" (letters, digits, _ - . $)", name);
		return -EINVAL;
	}
	if (acct_find(s, is_group, name)) {
		snprintf(err, errlen, "%s %s exists", is_group ? "group" : "user", name);
		return -EEXIST;
	}
	if (s->n == CFG_MAX_ACL) {
		snprintf(err, errlen, "already %d users and groups", CFG_MAX_ACL);
		return -ENOSPC;
	}
	a = &s->v[s->n];
	memset(a, 0, sizeof(*a));
	a->name = strdup(name);
	if (!a->name)
		return -ENOMEM;
	a->is_group = is_group;
	a->admin = admin;
	s->n++;
	return 0;
}

int acct_del(struct acct_set *s, bool is_group, const char *name,
	     char *err, size_t errlen)
{
	struct cfg_acl *a = acct_find(s, is_group, name);

	if (!a) {
		snprintf(err, errlen, "no %s %s", is_group ? "group" : "user", name);
		return -ENOENT;
	}
	set_remove(s, a);
	return 0;
}

/* A value the configuration parser takes back (its lines hold 196). */
#define VALUE_MAX	180

struct items {
	char v[ITEMS_MAX][VALUE_MAX + 1];
	size_t n;
};

/* "a, b c" into items; -E2BIG past ITEMS_MAX or VALUE_MAX. */
static int split_items(const char *text, struct items *it)
{
	it->n = 0;
	for (const char *p = text; p && *p;) {
		size_t len = strcspn(p, ", \t");

		if (len) {
			if (it->n == ITEMS_MAX || len > VALUE_MAX)
				return -E2BIG;
			snprintf(it->v[it->n++], VALUE_MAX + 1, "%.*s", (int)len, p);
		}
		p += len + (p[len] ? 1 : 0);
	}
	return 0;
}

static ssize_t items_find(const struct items *it, const char *s)
{
	for (size_t i = 0; i < it->n; i++)
		if (!strcmp(it->v[i], s))
			return (ssize_t)i;
	return -1;
}

/* One given item in the form the section prints it, or why not. */
static int canonical(unsigned int right, const char *item, char *out,
		     char *err, size_t errlen)
{
	struct line_spec *spec;
	char why[160];

	if (right == CTI_WIRE_RIGHT_MEMBER) {
		if (users_check_name(item, strlen(item))) {
			snprintf(err, errlen, "bad user name \"%s\"", item);
			return -EINVAL;
		}
		snprintf(out, VALUE_MAX + 1, "%s", item);
		return 0;
	}
	if (line_spec_parse(item, &spec, why, sizeof(why))) {
		snprintf(err, errlen, "\"%s\": %s", item, why);
		return -EINVAL;
	}
	acct_spec_text(spec, out, VALUE_MAX + 1);
	line_spec_free(spec);
	return 0;
}

/* "N" or "N-M" (a canonical item of line ids) into [*lo, *hi]. */
static bool id_range(const char *s, uint32_t *lo, uint32_t *hi)
{
	int end = 0;

	if (sscanf(s, "%u-%u%n", lo, hi, &end) == 2 && !s[end])
		return true;
	end = 0;
	if (sscanf(s, "%u%n", lo, &end) == 1 && !s[end]) {
		*hi = *lo;
		return true;
	}
	return false;
}

static void put_range(struct items *it, size_t at, uint32_t lo, uint32_t hi)
{
	if (lo == hi)
		snprintf(it->v[at], VALUE_MAX + 1, "%u", lo);
	else
		snprintf(it->v[at], VALUE_MAX + 1, "%u-%u", lo, hi);
}

/*
 * Line ids [lo, hi] taken out of the ranges of @cur ("1-8" less "3" is
 * "1-2, 4-8"): the number of items that changed, or -E2BIG.
 */
static int cut_range(struct items *cur, uint32_t lo, uint32_t hi)
{
	int changed = 0;

	for (size_t i = 0; i < cur->n; i++) {
		uint32_t a, b;

		if (!id_range(cur->v[i], &a, &b) || b < lo || a > hi)
			continue;
		changed++;
		if (a < lo && b > hi) {		/* split in two */
			if (cur->n == ITEMS_MAX)
				return -E2BIG;
			memmove(cur->v[i + 1], cur->v[i], (cur->n - i) * sizeof(cur->v[0]));
			cur->n++;
			put_range(cur, i, a, lo - 1);
			put_range(cur, ++i, hi + 1, b);
		} else if (a < lo) {
			put_range(cur, i, a, lo - 1);
		} else if (b > hi) {
			put_range(cur, i, hi + 1, b);
		} else {			/* all of it */
			memmove(cur->v[i], cur->v[i + 1], (cur->n - i - 1) * sizeof(cur->v[0]));
			cur->n--;
			i--;
		}
	}
	return changed;
}

/* @cur with @given added (grant) or taken away; -ENOENT: none was there. */
static int edit_items(struct items *cur, const struct items *given,
		      unsigned int right, bool grant, char *err, size_t errlen)
{
	char item[VALUE_MAX + 1];
	size_t changed = 0;
	ssize_t at;
	int ret;

	for (size_t i = 0; i < given->n; i++) {
		ret = canonical(right, given->v[i], item, err, errlen);
		if (ret)
			return ret;
		at = items_find(cur, item);
		if (grant && at < 0) {
			if (cur->n == ITEMS_MAX)
				return -E2BIG;
			memcpy(cur->v[cur->n++], item, sizeof(item));
			changed++;
		} else if (!grant && at >= 0) {
			memmove(cur->v[at], cur->v[at + 1],
				(cur->n - (size_t)at - 1) * sizeof(cur->v[0]));
			cur->n--;
			changed++;
		} else if (!grant && right != CTI_WIRE_RIGHT_MEMBER) {
			uint32_t lo, hi;
			int n = id_range(item, &lo, &hi) ? cut_range(cur, lo, hi) : 0;

			if (n < 0)
				return n;
			changed += (size_t)n;
		}
	}
	if (!grant && !changed) {
		snprintf(err, errlen, "not granted");
		return -ENOENT;
	}
	return 0;
}

static int join_items(const struct items *it, const char *sep, char *out,
		      size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < it->n; i++) {
		int w = snprintf(out + o, n - o, "%s%s", i ? sep : "", it->v[i]);

		if (w < 0 || (size_t)w >= n - o)
			return -E2BIG;
		o += (size_t)w;
	}
	return 0;
}

static int set_members(struct cfg_acl *a, const char *text)
{
	char *m = text[0] ? strdup(text) : NULL;

	if (text[0] && !m)
		return -ENOMEM;
	free(a->members);
	a->members = m;
	return 0;
}

static int set_spec(struct line_spec **slot, const char *text, char *err,
		    size_t errlen)
{
	struct line_spec *spec = NULL;
	char why[160];

	if (text[0] && line_spec_parse(text, &spec, why, sizeof(why))) {
		snprintf(err, errlen, "%s", why);
		return -EINVAL;
	}
	line_spec_free(*slot);
	*slot = spec;
	return 0;
}

static int change_list(struct cfg_acl *a, unsigned int right, const char *spec,
		       bool grant, char *err, size_t errlen)
{
	struct line_spec **slot = right == CTI_WIRE_RIGHT_OWNER ? &a->lines :
				  right == CTI_WIRE_RIGHT_MONITOR ? &a->monitor :
				  &a->pickup;
	static struct items cur, given;	/* 12 KiB each: the loop's thread only */
	char text[VALUE_MAX + 1];
	int ret;

	if (right == CTI_WIRE_RIGHT_MEMBER)
		snprintf(text, sizeof(text), "%s", a->members ? a->members : "");
	else
		acct_spec_text(*slot, text, sizeof(text));
	if (split_items(text, &cur) || split_items(spec, &given)) {
		snprintf(err, errlen, "too many items, or one too long");
		return -E2BIG;
	}
	ret = edit_items(&cur, &given, right, grant, err, errlen);
	if (ret)
		return ret;
	if (join_items(&cur, right == CTI_WIRE_RIGHT_MEMBER ? "," : ", ",
		       text, sizeof(text))) {
		snprintf(err, errlen, "the list would be longer than %d characters",
			 VALUE_MAX);
		return -E2BIG;
	}
	if (right == CTI_WIRE_RIGHT_MEMBER)
		return set_members(a, text);
	return set_spec(slot, text, err, errlen);
}

int acct_change(struct acct_set *s, bool is_group, const char *name,
		unsigned int right, const char *spec, bool grant,
		char *err, size_t errlen)
{
	struct cfg_acl *a = acct_find(s, is_group, name);

	if (!a) {
		snprintf(err, errlen, "no %s %s", is_group ? "group" : "user", name);
		return -ENOENT;
	}
	switch (right) {
	case CTI_WIRE_RIGHT_ADMIN:
		if (!grant && !a->admin) {
			snprintf(err, errlen, "not granted");
			return -ENOENT;
		}
		a->admin = grant;
		return 0;
	case CTI_WIRE_RIGHT_MEMBER:
		if (!is_group) {
			snprintf(err, errlen, "members: only a group has members");
			return -EINVAL;
		}
		/* fall through */
	case CTI_WIRE_RIGHT_OWNER:
	case CTI_WIRE_RIGHT_MONITOR:
	case CTI_WIRE_RIGHT_PICKUP:
		return change_list(a, right, spec, grant, err, errlen);
	}
	snprintf(err, errlen, "unknown right %u", right);
	return -EINVAL;
}
