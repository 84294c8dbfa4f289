// SPDX-License-Identifier: GPL-2.0
/*
 * netns: who sees the cards through the generic netlink family "cti"
 *
 * The decision (kernel/README.md, uapi/linux/cti.h): cards are the host's
 * devices, so the family exists in the initial network namespace only,
 * where its notifications go. There every user may dump the cards and
 * join "events", which tell no more than /sys/class/cti tells every user.
 * In another network namespace, made by root or by an unprivileged user
 * with a user namespace of its own (a container), the family is absent.
 *
 * Each probe runs in a child process that changes its credentials or
 * namespaces and reports by exit status.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <sys/wait.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "cti_test.h"
#include "kselftest_harness.h"

/* Exit statuses of a probe. */
enum {
	SEES_CARD = 0,		/* family found, card dumped, events joined */
	NO_FAMILY = 1,		/* the family does not exist here */
	NO_CARD = 2,		/* found, but the dump lacks the card */
	NO_JOIN = 3,		/* the events group refused us */
	PROBE_ERROR = 4,	/* anything else */
	CANNOT_SETUP = 5,	/* the namespace or user change failed */
};

struct dump {
	const char *name;
	bool found;
};

static int on_card(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CTI_NL_A_MAX + 1];
	struct dump *d = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTI_NL_A_MAX, NULL) < 0)
		return NL_SKIP;
	if (tb[CTI_NL_A_CARD_NAME] &&
	    !strcmp(nla_get_string(tb[CTI_NL_A_CARD_NAME]), d->name))
		d->found = true;
	return NL_OK;
}

/* Resolve the family, dump the cards looking for @name, join "events". */
static int probe(const char *name)
{
	struct dump d = { .name = name };
	struct nl_sock *sk = nl_socket_alloc();
	int family, grp, ret = PROBE_ERROR;

	if (!sk || genl_connect(sk))
		return PROBE_ERROR;
	family = genl_ctrl_resolve(sk, CTI_GENL_NAME);
	if (family == -NLE_OBJ_NOTFOUND) {
		ret = NO_FAMILY;
		goto out;
	}
	if (family < 0)
		goto out;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_card, &d);
	if (genl_send_simple(sk, family, CTI_NL_CMD_GET_CARD,
			     CTI_GENL_VERSION, NLM_F_DUMP) < 0 ||
	    nl_recvmsgs_default(sk) < 0)
		goto out;
	if (!d.found) {
		ret = NO_CARD;
		goto out;
	}
	grp = genl_ctrl_resolve_grp(sk, CTI_GENL_NAME, CTI_NL_MCGRP_EVENTS);
	if (grp < 0)
		goto out;
	ret = nl_socket_add_membership(sk, grp) ? NO_JOIN : SEES_CARD;
out:
	nl_socket_free(sk);
	return ret;
}

static int become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -errno;
	return 0;
}

#define AS_NOBODY	1	/* drop to uid/gid 65534 first */
#define NEW_NETNS	2	/* then unshare the network namespace */
#define NEW_USERNS	4	/* ... with a user namespace of its own */

/* Run probe() in a child with @how; return its exit status. */
static int probe_in_child(const char *name, int how)
{
	int status, flags = 0;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		if ((how & AS_NOBODY) && become_nobody())
			_exit(CANNOT_SETUP);
		if (how & NEW_USERNS)
			flags |= CLONE_NEWUSER;
		if (how & NEW_NETNS)
			flags |= CLONE_NEWNET;
		if (flags && unshare(flags))
			_exit(CANNOT_SETUP);
		_exit(probe(name));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -ECHILD;
	return WEXITSTATUS(status);
}

FIXTURE(ns) {
	struct cti_sim sim;
};

FIXTURE_SETUP(ns)
{
	ASSERT_EQ(0, cti_sim_create(&self->sim, 1, 0, "call"));
}

FIXTURE_TEARDOWN(ns)
{
	cti_sim_destroy(&self->sim);
}

/* In the initial namespace root and every user see the card. */
TEST_F(ns, initial_netns_every_user)
{
	ASSERT_EQ(SEES_CARD, probe_in_child(self->sim.name, 0));
	ASSERT_EQ(SEES_CARD, probe_in_child(self->sim.name, AS_NOBODY));
}

/* A network namespace of root's own has no family "cti". */
TEST_F(ns, other_netns_no_family)
{
	ASSERT_EQ(NO_FAMILY, probe_in_child(self->sim.name, NEW_NETNS));
}

/* Nor has a container an unprivileged user makes (user + net namespace). */
TEST_F(ns, unprivileged_container_no_family)
{
	int ret = probe_in_child(self->sim.name,
				 AS_NOBODY | NEW_USERNS | NEW_NETNS);

	if (ret == CANNOT_SETUP)
		SKIP(return, "unprivileged user namespaces are disabled here");
	ASSERT_EQ(NO_FAMILY, ret);
}

TEST_HARNESS_MAIN
