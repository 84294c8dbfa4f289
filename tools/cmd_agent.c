// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_agent.c - the call-centre agent at a line: its state (with a reason
 * code), its groups and its activity code
 *
 *	ctictl agent LINE state logged-out|ready|not-ready|after-call-work
 *		[REASON]
 *	ctictl agent LINE groups GROUP[,GROUP...]|""
 *	ctictl agent LINE activity CODE
 *
 * The line is opened as owner; `ctictl monitor` shows the AGENT_STATE
 * events that follow.
 */
#include <string.h>

#include "common.h"

#define AGENT_USAGE "LINE state|groups|activity VALUE [REASON]"

/* BUSY is the switch's to set, never a command's: not offered. */
static const char *const agent_states[] = {
	[CTI_AGENT_LOGGED_OUT] = "logged-out",
	[CTI_AGENT_READY] = "ready",
	[CTI_AGENT_NOT_READY] = "not-ready",
	[CTI_AGENT_AFTER_CALL_WORK] = "after-call-work",
};

/* The protocol's group list: names of A-Z a-z 0-9 _ . -, comma-separated. */
static int parse_groups(const char *arg)
{
	if (strlen(arg) >= CTI_AGENT_GROUPS_MAX)
		return ctl_usage("bad groups '%s': at most %d bytes", arg,
				 CTI_AGENT_GROUPS_MAX - 1);
	if (strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789_.-,") != strlen(arg))
		return ctl_usage("bad groups '%s': names of A-Z a-z 0-9 _ . - "
				 "separated by commas", arg);
	return 0;
}

static int cmd_agent(struct ctl *ctl, int argc, char **argv)
{
	static const char *const what[] = { "state", "groups", "activity" };
	struct cti_line *line;
	uint32_t kind, val = 0, reason = 0;
	uint64_t req;
	int ret, err;

	ret = ctl_check_argc(argc, 3, 4, argv[0], AGENT_USAGE);
	if (!ret)
		ret = ctl_parse_name(argv[2], "agent setting", what, 3, &kind);
	if (!ret && kind != 0 && argc > 4)
		ret = ctl_usage("agent: too many arguments (only a state "
				"takes a REASON)");
	if (!ret && kind == 0)
		ret = ctl_parse_name(argv[3], "agent state", agent_states,
				     sizeof(agent_states) /
				     sizeof(agent_states[0]), &val);
	if (!ret && kind == 0 && argc > 4)
		ret = ctl_parse_u32(argv[4], "reason code", &reason);
	if (!ret && kind == 1)
		ret = parse_groups(argv[3]);
	if (!ret && kind == 2)
		ret = ctl_parse_u32(argv[3], "activity code", &val);
	if (!ret)
		ret = ctl_owner_line(ctl, argv[1], &line);
	if (ret)
		return ret;
	if (kind == 0)
		err = cti_line_set_agent_state(line, val, reason, &req);
	else if (kind == 1)
		err = cti_line_set_agent_groups(line, argv[3], &req);
	else
		err = cti_line_set_agent_activity(line, val, &req);
	ret = ctl_wait(ctl, err, &req, NULL, "agent");
	return ret ? ret : ctl_done(ctl, "agent", CTI_CALL_NONE);
}

const struct ctl_cmd ctl_agent_cmds[] = {
	{ "agent", AGENT_USAGE,
	  "set the agent's state, groups or activity code", cmd_agent },
	{ }
};
