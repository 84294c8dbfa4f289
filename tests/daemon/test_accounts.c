// SPDX-License-Identifier: GPL-2.0
/*
 * accounts and state (daemon/accounts.c, daemon/state.c) alone: the edits
 * of [user]/[group] sections item by item, the state's overlay over the
 * configuration's sections, and the state file written atomically and
 * read back by the configuration's own parser.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts.h"
#include "config.h"
#include "harness.h"
#include "state.h"
#include "wire.h"

static char why[256];

/* The sections of @text (a configuration) as a set of their own. */
static struct acct_set *set_of(const char *text)
{
	struct config *c = config_load_string("t.conf", text, NULL, NULL);
	struct acct_set *s = calloc(1, sizeof(*s));

	T_ASSERT(c && s, "parse");
	T_ASSERT_EQ(acct_set_copy(s, c->acls, c->nacls), 0);
	config_free(c);
	return s;
}

static void set_free(struct acct_set *s)
{
	acct_set_clear(s);
	free(s);
}

static const char *list(struct acct_set *s, bool group, const char *name,
			unsigned int right)
{
	static char buf[256];
	struct cfg_acl *a = acct_find(s, group, name);

	T_ASSERT(a, "no %s", name);
	if (right == CTI_WIRE_RIGHT_MEMBER)
		return a->members ? a->members : "";
	acct_spec_text(right == CTI_WIRE_RIGHT_OWNER ? a->lines :
		       right == CTI_WIRE_RIGHT_MONITOR ? a->monitor : a->pickup,
		       buf, sizeof(buf));
	return buf;
}

#define GRANT(s, n, r, l)  acct_change(s, false, n, r, l, true, why, sizeof(why))
#define REVOKE(s, n, r, l) acct_change(s, false, n, r, l, false, why, sizeof(why))

static void grant_and_revoke_items(void)
{
	struct acct_set *s = set_of("[user a]\nlines = 1-8\n");

	T_EXPECT_EQ(REVOKE(s, "a", CTI_WIRE_RIGHT_OWNER, "3"), 0);
	T_EXPECT_STR(list(s, false, "a", CTI_WIRE_RIGHT_OWNER), "1-2, 4-8");
	T_EXPECT_EQ(REVOKE(s, "a", CTI_WIRE_RIGHT_OWNER, "1-2 8"), 0);
	T_EXPECT_STR(list(s, false, "a", CTI_WIRE_RIGHT_OWNER), "4-7");
	T_EXPECT_EQ(REVOKE(s, "a", CTI_WIRE_RIGHT_OWNER, "9"), -ENOENT);
	T_EXPECT_STR(why, "not granted");
	/* granted twice is granted once; "1-1" is "1" */
	T_EXPECT_EQ(GRANT(s, "a", CTI_WIRE_RIGHT_OWNER, "1-1, 1, sim/2*"), 0);
	T_EXPECT_STR(list(s, false, "a", CTI_WIRE_RIGHT_OWNER), "4-7, 1, sim/2*");
	T_EXPECT_EQ(REVOKE(s, "a", CTI_WIRE_RIGHT_OWNER, "sim/2*"), 0);
	T_EXPECT_EQ(REVOKE(s, "a", CTI_WIRE_RIGHT_OWNER, "4-7 1"), 0);
	T_EXPECT_STR(list(s, false, "a", CTI_WIRE_RIGHT_OWNER), "");
	T_EXPECT_EQ(GRANT(s, "a", CTI_WIRE_RIGHT_MONITOR, "*"), 0);
	T_EXPECT_STR(list(s, false, "a", CTI_WIRE_RIGHT_MONITOR), "*");
	/* what the parser refuses, a live change refuses too */
	T_EXPECT_EQ(GRANT(s, "a", CTI_WIRE_RIGHT_PICKUP, "0"), -EINVAL);
	T_EXPECT_EQ(GRANT(s, "a", CTI_WIRE_RIGHT_PICKUP, "5-2"), -EINVAL);
	T_EXPECT(strstr(why, "5-2") != NULL, "why: %s", why);
	T_EXPECT_EQ(GRANT(s, "b", CTI_WIRE_RIGHT_OWNER, "1"), -ENOENT);
	T_EXPECT_EQ(GRANT(s, "a", CTI_WIRE_RIGHT_MEMBER, "x"), -EINVAL);
	T_EXPECT_EQ(REVOKE(s, "a", CTI_WIRE_RIGHT_ADMIN, ""), -ENOENT);
	T_EXPECT_EQ(GRANT(s, "a", CTI_WIRE_RIGHT_ADMIN, ""), 0);
	T_EXPECT(acct_find(s, false, "a")->admin, "not admin");
	set_free(s);
}

/* A list never grows past what a configuration line holds. */
static void bounded(void)
{
	struct acct_set *s = set_of("[group g]\nlines = 1\n");
	char many[128];
	int ret = 0;

	for (int i = 0; i < 40 && !ret; i++) {
		snprintf(many, sizeof(many), "%d", 1000 + 2 * i);
		ret = acct_change(s, true, "g", CTI_WIRE_RIGHT_OWNER, many, true,
				  why, sizeof(why));
	}
	T_EXPECT_EQ(ret, -E2BIG);
	T_EXPECT(strlen(list(s, true, "g", CTI_WIRE_RIGHT_OWNER)) <= 180, "too long");
	T_EXPECT_EQ(acct_change(s, true, "g", CTI_WIRE_RIGHT_MEMBER, "bob,al/ice",
				true, why, sizeof(why)), -EINVAL);
	T_EXPECT_EQ(acct_change(s, true, "g", CTI_WIRE_RIGHT_MEMBER, "bob al", true,
				why, sizeof(why)), 0);
	T_EXPECT_STR(list(s, true, "g", CTI_WIRE_RIGHT_MEMBER), "bob,al");
	for (int i = (int)s->n; i < CFG_MAX_ACL; i++) {
		snprintf(many, sizeof(many), "u%d", i);
		T_ASSERT_EQ(acct_add(s, false, many, false, why, sizeof(why)), 0);
	}
	T_EXPECT_EQ(acct_add(s, false, "one-more", false, why, sizeof(why)), -ENOSPC);
	T_EXPECT_EQ(acct_add(s, false, "u1", false, why, sizeof(why)), -EEXIST);
	T_EXPECT_EQ(acct_add(s, true, "a b", false, why, sizeof(why)), -EINVAL);
	set_free(s);
}

/* The state over the file: replaced, added, removed, the rest kept. */
static void overlay(void)
{
	struct acct_set *base = set_of("[user a]\nlines = 1\n[user b]\nlines = 2\n"
				       "[group b]\nlines = 3\n");
	struct acct_set *ovl = calloc(1, sizeof(*ovl));
	struct acct_set *edit = set_of("[user b]\nmonitor = 9\n[user c]\nadmin = yes\n");

	T_ASSERT(ovl, "calloc");
	T_ASSERT_EQ(acct_overlay_put(ovl, acct_find(edit, false, "b"), false, "b", false), 0);
	T_ASSERT_EQ(acct_overlay_put(ovl, acct_find(edit, false, "c"), false, "c", false), 0);
	T_ASSERT_EQ(acct_overlay_put(ovl, NULL, false, "a", true), 0);
	T_ASSERT_EQ(acct_overlay(base, ovl), 0);
	T_EXPECT(!acct_find(base, false, "a"), "a not removed");
	T_EXPECT_STR(list(base, false, "b", CTI_WIRE_RIGHT_OWNER), "");
	T_EXPECT_STR(list(base, false, "b", CTI_WIRE_RIGHT_MONITOR), "9");
	T_EXPECT(acct_find(base, false, "c") && acct_find(base, false, "c")->admin, "c");
	T_EXPECT_STR(list(base, true, "b", CTI_WIRE_RIGHT_OWNER), "3");
	T_EXPECT_EQ(base->n, 3u);
	/* a name put again replaces its entry */
	T_ASSERT_EQ(acct_overlay_put(ovl, acct_find(edit, false, "b"), false, "b", true), 0);
	T_EXPECT_EQ(ovl->n, 3u);
	set_free(base);
	set_free(ovl);
	set_free(edit);
}

/* Written whole and atomically, read back equal; a broken one is named. */
static void state_file(void)
{
	char dir[] = "/tmp/cti-state.XXXXXX", path[128], tmp[140];
	struct acct_set *ovl = set_of("[user a]\nlines = 1-2, sim/*\npickup = 4\n"
				      "[group g]\nmembers = x, y\nadmin = yes\n");
	struct acct_set *back = calloc(1, sizeof(*back));
	struct stat st;
	FILE *f;

	T_ASSERT(mkdtemp(dir) && back, "mkdtemp");
	snprintf(path, sizeof(path), "%s/state", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	T_ASSERT_EQ(acct_overlay_put(ovl, NULL, false, "gone", true), 0);
	T_EXPECT_EQ(state_load(path, back, why, sizeof(why)), 0);	/* none yet */
	T_EXPECT_EQ(back->n, 0u);
	T_ASSERT_EQ(state_save(path, ovl, why, sizeof(why)), 0);
	T_EXPECT(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode");
	T_EXPECT(access(tmp, F_OK) != 0, "the temporary file stayed");
	T_ASSERT_EQ(state_load(path, back, why, sizeof(why)), 0);
	T_EXPECT_EQ(back->n, 3u);
	T_EXPECT_STR(list(back, false, "a", CTI_WIRE_RIGHT_OWNER), "1-2, sim/*");
	T_EXPECT_STR(list(back, false, "a", CTI_WIRE_RIGHT_PICKUP), "4");
	T_EXPECT_STR(list(back, true, "g", CTI_WIRE_RIGHT_MEMBER), "x,y");
	T_EXPECT(acct_find(back, false, "gone") && acct_find(back, false, "gone")->removed,
		 "the removal was not kept");
	acct_set_clear(back);
	/* a state file the parser refuses: FILE:LINE, nothing read */
	f = fopen(path, "a");
	T_ASSERT(f, "append");
	fputs("[server]\nsocket = /x\n", f);
	fclose(f);
	T_EXPECT_EQ(state_load(path, back, why, sizeof(why)), -EINVAL);
	T_EXPECT(strstr(why, path) && strstr(why, "unknown section [server]"), "why: %s", why);
	/* a directory that is not there: the errno, the old file untouched */
	snprintf(tmp, sizeof(tmp), "%s/no/state", dir);
	T_EXPECT_EQ(state_save(tmp, ovl, why, sizeof(why)), -ENOENT);
	T_EXPECT(strstr(why, "cannot create") != NULL, "why: %s", why);
	unlink(path);
	rmdir(dir);
	set_free(ovl);
	set_free(back);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(grant_and_revoke_items),
		T_CASE(bounded),
		T_CASE(overlay),
		T_CASE(state_file),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
