// SPDX-License-Identifier: GPL-2.0
/*
 * Access control: line specs, per-line masks and principals, and the
 * rule that an entry grants owner or monitor-only access.
 */
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "config.h"
#include "test.h"

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	printf("# %s\n", msg);
}

int main(void)
{
	struct line_spec *sp = NULL;
	char err[160];
	struct config *cfg;
	struct acl_principal alice, bob, carol, nobody;
	const char *ops[] = { "ops" };
	const char *staff[] = { "staff", "sup" };
	uint64_t own, mon;

	CHECK(!line_spec_parse("1-3, 7 sim/2?", &sp, err, sizeof(err)), "%s", err);
	CHECK(line_spec_match(sp, 1, "x/1"), "1 in 1-3");
	CHECK(line_spec_match(sp, 3, "x/3"), "3 in 1-3");
	CHECK(!line_spec_match(sp, 4, "x/4"), "4 not in spec");
	CHECK(line_spec_match(sp, 7, NULL), "7");
	CHECK(line_spec_match(sp, 99, "sim/21"), "glob");
	CHECK(!line_spec_match(sp, 99, "sim/2"), "glob needs a char");
	line_spec_free(sp);
	CHECK(line_spec_parse("1-", &sp, err, sizeof(err)), "1- accepted");
	CHECK(line_spec_parse("4294967295", &sp, err, sizeof(err)), "NONE accepted");
	CHECK(line_spec_parse("a$b", &sp, err, sizeof(err)), "bad glob accepted");

	cfg = config_load_string("acl.conf",
				 "[user alice]\nlines = 1-2\nadmin = yes\n"
				 "[user bob]\nlines = sim/3\n"
				 "[group ops]\nmonitor = *\n"
				 "[group staff]\nlines = 4\nmonitor = 5\n",
				 quiet, NULL);
	CHECK(cfg != NULL, "config");
	if (!cfg)
		return test_done("test_acl");

	acl_principal_from_names(cfg, "alice", NULL, 0, &alice);
	acl_principal_from_names(cfg, "bob", ops, 1, &bob);
	acl_principal_from_names(cfg, "carol", staff, 2, &carol);
	acl_principal_from_names(cfg, "nobody", NULL, 0, &nobody);
	CHECK(alice.admin && !bob.admin && !carol.admin, "admin flags");

	acl_line_masks(cfg, 1, "sim/1", &own, &mon);
	CHECK(acl_may_own(&alice, own), "alice owns 1");
	CHECK(!acl_may_own(&bob, own) && acl_may_see(&bob, own, mon),
	      "bob monitors 1 through ops");
	CHECK(!acl_may_see(&carol, own, mon), "carol does not see 1");
	CHECK(!acl_may_see(&nobody, own, mon), "nobody sees nothing");

	acl_line_masks(cfg, 3, "sim/3", &own, &mon);
	CHECK(acl_may_own(&bob, own), "bob owns sim/3 by name");
	CHECK(!acl_may_see(&alice, own, mon), "alice does not see 3");

	acl_line_masks(cfg, 4, "sim/4", &own, &mon);
	CHECK(acl_may_own(&carol, own), "carol owns 4 by group");
	acl_line_masks(cfg, 5, "sim/5", &own, &mon);
	CHECK(!acl_may_own(&carol, own) && acl_may_see(&carol, own, mon),
	      "carol monitors 5 only");

	/* NSS: root exists everywhere; an unknown uid gets nothing. */
	CHECK(acl_principal_resolve(cfg, 0, &nobody) == 0 &&
	      !strcmp(nobody.name, "root"), "root resolves");
	CHECK(acl_principal_resolve(cfg, 4000000000u, &nobody) < 0 &&
	      nobody.mask == 0 && !nobody.admin, "unknown uid has no rights");
	config_free(cfg);
	return test_done("test_acl");
}
