// SPDX-License-Identifier: GPL-2.0
/*
 * Access control: line specs, per-line masks and principals, and the
 * rule that an entry grants owner or monitor-only access.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "config.h"
#include "harness.h"

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	printf("# %s\n", msg);
}

static void line_specs(void)
{
	struct line_spec *sp = NULL;
	char err[160];

	T_ASSERT(!line_spec_parse("1-3, 7 sim/2?", &sp, err, sizeof(err)), "%s", err);
	T_EXPECT(line_spec_match(sp, 1, "x/1"), "1 in 1-3");
	T_EXPECT(line_spec_match(sp, 3, "x/3"), "3 in 1-3");
	T_EXPECT(!line_spec_match(sp, 4, "x/4"), "4 not in spec");
	T_EXPECT(line_spec_match(sp, 7, NULL), "7");
	T_EXPECT(line_spec_match(sp, 99, "sim/21"), "glob");
	T_EXPECT(!line_spec_match(sp, 99, "sim/2"), "glob needs a char");
	line_spec_free(sp);
}

static void bad_line_specs(void)
{
	struct line_spec *sp = NULL;
	char err[160];

	T_EXPECT(line_spec_parse("1-", &sp, err, sizeof(err)), "1- accepted");
	T_EXPECT(line_spec_parse("4294967295", &sp, err, sizeof(err)), "NONE accepted");
	T_EXPECT(line_spec_parse("a$b", &sp, err, sizeof(err)), "bad glob accepted");
}

/* alice, bob (group ops), carol (groups staff, sup) and nobody. */
static struct config *load(struct acl_principal p[4])
{
	const char *ops[] = { "ops" };
	const char *staff[] = { "staff", "sup" };
	struct config *cfg;

	cfg = config_load_string("acl.conf",
				 "[user alice]\nlines = 1-2\nadmin = yes\n"
				 "[user bob]\nlines = sim/3\n"
				 "[group ops]\nmonitor = *\n"
				 "[group staff]\nlines = 4\nmonitor = 5\n",
				 quiet, NULL);
	T_ASSERT(cfg != NULL, "config");
	acl_principal_from_names(cfg, "alice", NULL, 0, &p[0]);
	acl_principal_from_names(cfg, "bob", ops, 1, &p[1]);
	acl_principal_from_names(cfg, "carol", staff, 2, &p[2]);
	acl_principal_from_names(cfg, "nobody", NULL, 0, &p[3]);
	return cfg;
}

static void owner_and_monitor(void)
{
	struct acl_principal p[4];
	struct config *cfg = load(p);
	struct acl_principal *alice = &p[0], *bob = &p[1], *carol = &p[2];
	uint64_t own, mon;

	T_EXPECT(alice->admin && !bob->admin && !carol->admin, "admin flags");

	acl_line_masks(cfg, 1, "sim/1", &own, &mon);
	T_EXPECT(acl_may_own(alice, own), "alice owns 1");
	T_EXPECT(!acl_may_own(bob, own) && acl_may_see(bob, own, mon),
		 "bob monitors 1 through ops");
	T_EXPECT(!acl_may_see(carol, own, mon), "carol does not see 1");
	T_EXPECT(!acl_may_see(&p[3], own, mon), "nobody sees nothing");

	acl_line_masks(cfg, 3, "sim/3", &own, &mon);
	T_EXPECT(acl_may_own(bob, own), "bob owns sim/3 by name");
	T_EXPECT(!acl_may_see(alice, own, mon), "alice does not see 3");

	acl_line_masks(cfg, 4, "sim/4", &own, &mon);
	T_EXPECT(acl_may_own(carol, own), "carol owns 4 by group");
	acl_line_masks(cfg, 5, "sim/5", &own, &mon);
	T_EXPECT(!acl_may_own(carol, own) && acl_may_see(carol, own, mon),
		 "carol monitors 5 only");
	config_free(cfg);
}

/* NSS: root exists everywhere; an unknown uid gets nothing. */
static void principals_by_uid(void)
{
	struct acl_principal p[4], who;
	struct config *cfg = load(p);

	T_EXPECT(acl_principal_resolve(cfg, 0, &who) == 0 &&
		 !strcmp(who.name, "root"), "root resolves");
	T_EXPECT(acl_principal_resolve(cfg, 4000000000u, &who) < 0 &&
		 who.mask == 0 && !who.admin, "unknown uid has no rights");
	config_free(cfg);
}

static const struct t_case cases[] = {
	T_CASE(line_specs),
	T_CASE(bad_line_specs),
	T_CASE(owner_and_monitor),
	T_CASE(principals_by_uid),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
