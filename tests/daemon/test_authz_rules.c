// SPDX-License-Identifier: GPL-2.0
/*
 * authz: the rules of cti_host_api.authorize() (CALL, PICKUP with pickup
 * groups, CONTROL, SWITCH) and of seeing and owning a line, on lines whose
 * masks come from a configuration as ctid computes them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "config.h"
#include "ctid.h"
#include "harness.h"

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	printf("# %s\n", msg);
}

/* Line @id "sim/@id" with the masks ctid gives it under @cfg. */
static void make_line(const struct config *cfg, uint32_t id, struct line *l)
{
	char name[32];

	memset(l, 0, sizeof(*l));
	snprintf(name, sizeof(name), "sim/%u", id);
	l->id = id;
	acl_line_masks(cfg, id, name, &l->own_mask, &l->mon_mask);
	l->pickup_mask = acl_line_pickup_mask(cfg, id, name);
}

/* alice owns 1, monitors 2, picks up in 3 (her group's), sees not 4 */
static struct config *cfg;
static struct acl_principal alice, bob, root;
static struct line l[6];

static void setup(void)
{
	const char *sales[] = { "sales" };

	cfg = config_load_string("authz.conf",
				 "[user alice]\nlines = 1\nmonitor = 2\n"
				 "[group sales]\npickup = sim/3\n"
				 "[user bob]\nlines = 3-4\n"
				 "[user root]\nlines = *\nadmin = yes\n",
				 quiet, NULL);
	T_ASSERT(cfg != NULL, "config");
	acl_principal_from_names(cfg, "alice", sales, 1, &alice);
	acl_principal_from_names(cfg, "bob", NULL, 0, &bob);
	acl_principal_from_names(cfg, "root", NULL, 0, &root);
	for (uint32_t i = 1; i <= 5; i++)
		make_line(cfg, i, &l[i]);
	l[5].removed = true;
}

static void see_and_own(void)
{
	setup();
	T_EXPECT(authz_may_own(&alice, &l[1]) && !authz_may_own(&alice, &l[2]),
		 "owner rights");
	T_EXPECT(authz_may_see(&alice, &l[2]) && !authz_may_see(&alice, &l[3]),
		 "a pickup group does not make a line visible");
	config_free(cfg);
}

/* CALL: any present line, visible or not */
static void reach_call(void)
{
	setup();
	T_EXPECT(authz_reach(&alice, &l[4], CTI_REACH_CALL) == 0, "CALL to an invisible line");
	T_EXPECT(authz_reach(&alice, NULL, CTI_REACH_CALL) == -ENOENT, "CALL to no line");
	T_EXPECT(authz_reach(&alice, &l[5], CTI_REACH_CALL) == -ENOENT, "CALL to a removed line");
	config_free(cfg);
}

/* PICKUP: own right or pickup group */
static void reach_pickup(void)
{
	setup();
	T_EXPECT(authz_reach(&alice, &l[1], CTI_REACH_PICKUP) == 0, "PICKUP on an own line");
	T_EXPECT(authz_reach(&alice, &l[3], CTI_REACH_PICKUP) == 0, "PICKUP in the pickup group");
	T_EXPECT(authz_reach(&alice, &l[2], CTI_REACH_PICKUP) == -EACCES,
		 "PICKUP on a monitored line");
	T_EXPECT(authz_reach(&alice, &l[4], CTI_REACH_PICKUP) == -ENOENT,
		 "PICKUP on an invisible line must look like no line");
	T_EXPECT(authz_reach(&bob, &l[1], CTI_REACH_PICKUP) == -ENOENT, "bob on alice's line");
	T_EXPECT(authz_reach(&bob, &l[3], CTI_REACH_PICKUP) == 0, "bob on his own line");
	config_free(cfg);
}

/* CONTROL: own right only; the pickup group is not enough */
static void reach_control(void)
{
	setup();
	T_EXPECT(authz_reach(&alice, &l[1], CTI_REACH_CONTROL) == 0, "CONTROL of an own line");
	T_EXPECT(authz_reach(&alice, &l[2], CTI_REACH_CONTROL) == -EACCES,
		 "CONTROL of a monitored line");
	T_EXPECT(authz_reach(&alice, &l[3], CTI_REACH_CONTROL) == -ENOENT,
		 "CONTROL of a pickup-group line");
	T_EXPECT(authz_reach(&alice, &l[4], CTI_REACH_CONTROL) == -ENOENT,
		 "CONTROL of an invisible line");
	T_EXPECT(authz_reach(&root, &l[5], CTI_REACH_CONTROL) == -ENOENT,
		 "CONTROL of a removed line");
	config_free(cfg);
}

/* SWITCH: admins only */
static void reach_switch(void)
{
	setup();
	T_EXPECT(authz_reach(&alice, NULL, CTI_REACH_SWITCH) == -EACCES, "SWITCH for a user");
	T_EXPECT(authz_reach(&root, NULL, CTI_REACH_SWITCH) == 0, "SWITCH for an admin");
	T_EXPECT(authz_reach(&root, &l[1], CTI_REACH_MAX) == -EINVAL, "unknown reach");
	config_free(cfg);
}

static const struct t_case cases[] = {
	T_CASE(see_and_own),
	T_CASE(reach_call),
	T_CASE(reach_pickup),
	T_CASE(reach_control),
	T_CASE(reach_switch),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
