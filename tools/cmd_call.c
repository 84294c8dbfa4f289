// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_call.c - the call operations: make, answer, accept, drop, hold,
 * unhold, swap, transfer (blind, and consultation: setup, complete),
 * conference (setup, add, remove), redirect, park, unpark, pickup,
 * digits, tone and handoff
 *
 * Every command opens its line as owner, sends one request and waits for
 * the REPLY. The operations that are one COMMAND frame are described by a
 * table (which arguments they take, in which order) and go through
 * cti_line_submit(), which checks them as ctid will.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "common.h"

/*
 * What a command takes after LINE, one letter an argument: c a call (the
 * first is the request's call, the second its call2), n a number, o an
 * optional number (last), d DTMF digits, t a tone, m milliseconds, x an
 * optional completion mode (last).
 */
struct call_op {
	const char *name;
	unsigned int cmd;
	const char *args;
};

static const struct call_op call_ops[] = {
	{ "call", CTI_CMD_MAKE_CALL, "n" },
	{ "answer", CTI_CMD_ANSWER, "c" },
	{ "accept", CTI_CMD_ACCEPT, "c" },
	{ "drop", CTI_CMD_DROP, "c" },
	{ "hold", CTI_CMD_HOLD, "c" },
	{ "unhold", CTI_CMD_UNHOLD, "c" },
	{ "swap", CTI_CMD_SWAP_HOLD, "cc" },
	{ "transfer", CTI_CMD_BLIND_TRANSFER, "cn" },
	{ "transfer-setup", CTI_CMD_SETUP_TRANSFER, "cn" },
	{ "transfer-complete", CTI_CMD_COMPLETE_TRANSFER, "ccx" },
	{ "conference-setup", CTI_CMD_SETUP_CONFERENCE, "cn" },
	{ "conference-add", CTI_CMD_ADD_TO_CONFERENCE, "cc" },
	{ "conference-remove", CTI_CMD_REMOVE_FROM_CONFERENCE, "c" },
	{ "redirect", CTI_CMD_REDIRECT, "cn" },
	{ "park", CTI_CMD_PARK, "co" },
	{ "unpark", CTI_CMD_UNPARK, "n" },
	{ "pickup", CTI_CMD_PICKUP, "o" },
	{ "digits", CTI_CMD_GENERATE_DIGITS, "cd" },
	{ "tone", CTI_CMD_GENERATE_TONE, "ctm" },
};

/* A request as cti_line_submit() takes it. */
struct call_req {
	uint32_t call[2];
	size_t ncalls;
	uint32_t arg, arg2;
	const char *data;
};

static const char *const tone_names[] = {
	[CTI_TONE_BEEP] = "beep",
	[CTI_TONE_BILLING] = "billing",
	[CTI_TONE_BUSY] = "busy",
	[CTI_TONE_RINGBACK] = "ringback",
};

static const char *const mode_names[] = {
	[CTI_TRANSFER_MODE_TRANSFER] = "transfer",
	[CTI_TRANSFER_MODE_CONFERENCE] = "conference",
};

static const struct call_op *find_op(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(call_ops) / sizeof(call_ops[0]); i++)
		if (!strcmp(call_ops[i].name, name))
			return &call_ops[i];
	return NULL;
}

/* One argument @arg of kind @kind into @r; 0 or EXIT_USAGE. */
static int parse_arg(char kind, const char *arg, struct call_req *r)
{
	switch (kind) {
	case 'c':
		return ctl_parse_call(arg, &r->call[r->ncalls++]);
	case 'n':
	case 'o':
		r->data = arg;
		return ctl_parse_number(arg);
	case 'd':
		r->data = arg;
		if (!*arg)
			return ctl_usage("bad digits '': empty");
		return 0;
	case 't':
		return ctl_parse_name(arg, "tone", tone_names,
				      sizeof(tone_names) / sizeof(*tone_names),
				      &r->arg);
	case 'm':
		return ctl_parse_u32(arg, "duration in ms", &r->arg2);
	default:	/* 'x' */
		return ctl_parse_name(arg, "mode", mode_names,
				      sizeof(mode_names) / sizeof(*mode_names),
				      &r->arg);
	}
}

/* What ctid's refusal means for a call operation, where the errno alone
 * would leave the user guessing. */
static int call_fail(int err, const char *cmd, const char *line,
		     const struct call_req *r)
{
	if (err == -ENOENT && !strcmp(cmd, "unpark"))
		return ctl_fail(err, "unpark: nothing is parked at %s",
				r->data);
	if (err == -ENOENT && !strcmp(cmd, "pickup"))
		return ctl_fail(err, "pickup: no call rings %s%s",
				r->data ? "at " : "in the group of ",
				r->data ? r->data : line);
	if (err == -ENOENT && r->ncalls)
		return ctl_fail(err, "%s: no call %" PRIu32 " on %s", cmd,
				r->call[0], line);
	if (err == -EOPNOTSUPP)
		return ctl_fail(err, "%s: %s does not offer this operation "
				"(see the OPS column of 'ctictl lines')", cmd,
				line);
	if (err == -EPERM || err == -EACCES)
		return ctl_fail(err, "%s: not allowed on %s", cmd, line);
	return ctl_fail(err, "%s", cmd);
}

/*
 * Where PARK put @call: the switch names the slot as the parked call's
 * called number in a CALL_INFO, which may come just before or after the
 * REPLY. "" if none came within a second (a provider that does not say).
 */
static void park_slot(struct ctl *ctl, struct cti_line *line, uint32_t call,
		      char *slot, size_t size)
{
	struct cti_msg *msg;
	int tries;

	slot[0] = '\0';
	for (tries = 0; tries < 10 && !slot[0]; tries++) {
		while (cti_session_next_msg(ctl->session, &msg) > 0) {
			if (cti_msg_get_type(msg) == CTI_MSG_CALL_INFO &&
			    cti_msg_get_line(msg) == line &&
			    cti_msg_get_call(msg) == call &&
			    (cti_msg_get_changed(msg) & CTI_CALL_INFO_CALLED))
				snprintf(slot, size, "%s",
					 cti_msg_get_called(msg));
			cti_msg_free(msg);
		}
		if (!slot[0])
			cti_session_wait(ctl->session, 100);
	}
}

static int park_done(struct ctl *ctl, struct cti_line *line, uint32_t call)
{
	char slot[CTI_NUMBER_MAX];
	struct json j;

	park_slot(ctl, line, call, slot, sizeof(slot));
	if (!ctl->json) {
		printf(slot[0] ? "parked at %s\n" : "park: ok%s\n", slot);
		return 0;
	}
	json_init(&j, stdout);
	json_begin(&j, NULL, '{');
	json_str(&j, "result", "ok");
	json_str(&j, "slot", slot);
	json_end(&j, '}');
	json_finish(&j);
	return 0;
}

static int cmd_call_op(struct ctl *ctl, int argc, char **argv)
{
	const struct call_op *op = find_op(argv[0]);
	size_t n = strlen(op->args), min = n;
	struct call_req r = { };
	struct cti_line *line;
	const char *usage = NULL;
	uint32_t call = CTI_CALL_NONE;
	uint64_t req;
	int ret, err;
	size_t i;

	const struct ctl_cmd *c;

	for (c = ctl_call_cmds; c->name; c++)
		if (!strcmp(c->name, op->name))
			usage = c->args;
	if (n && (op->args[n - 1] == 'o' || op->args[n - 1] == 'x'))
		min--;
	ret = ctl_check_argc(argc, (int)min + 1, (int)n + 1, argv[0], usage);
	for (i = 0; !ret && i + 2 < (size_t)argc; i++)
		ret = parse_arg(op->args[i], argv[i + 2], &r);
	if (!ret)
		ret = ctl_owner_line(ctl, argv[1], &line);
	if (ret)
		return ret;
	err = cti_line_submit(line, op->cmd, r.call[0], r.call[1], r.arg,
			      r.arg2, r.data, r.data ? strlen(r.data) : 0,
			      &req);
	if (err == -EILSEQ || err == -ENAMETOOLONG || err == -EINVAL)
		return ctl_usage("%s: ctid would refuse the argument: %s",
				 argv[0], strerror(-err));
	if (!err)
		err = cti_session_wait_reply(ctl->session, req, CTL_TIMEOUT_MS,
					     &call);
	if (err)
		return call_fail(err, argv[0], argv[1], &r);
	if (op->cmd == CTI_CMD_PARK)
		return park_done(ctl, line, r.call[0]);
	return ctl_done(ctl, argv[0], call);
}

static int cmd_handoff(struct ctl *ctl, int argc, char **argv)
{
	struct cti_line *line;
	uint32_t call;
	uint64_t req;
	int ret, err;

	ret = ctl_check_argc(argc, 2, 3, argv[0], "LINE CALL [CLIENT]");
	if (!ret)
		ret = ctl_parse_call(argv[2], &call);
	if (!ret && argc > 3 && (!*argv[3] || strlen(argv[3]) >= CTI_NAME_MAX))
		ret = ctl_usage("bad client name '%s': 1 to %d bytes",
				argv[3], CTI_NAME_MAX - 1);
	if (!ret)
		ret = ctl_owner_line(ctl, argv[1], &line);
	if (ret)
		return ret;
	err = cti_line_handoff_call(line, call, argc > 3 ? argv[3] : NULL,
				    &req);
	if (!err)
		err = cti_session_wait_reply(ctl->session, req, CTL_TIMEOUT_MS,
					     NULL);
	/* ENOENT: the call, or a receiver; ctid does not say which */
	if (err == -ENOENT)
		return ctl_fail(err, "handoff: no call %" PRIu32 " on %s, or "
				"no other session %s%s owns the line", call,
				argv[1], argc > 3 ? "named " : "",
				argc > 3 ? argv[3] : "");
	if (err == -ENOTUNIQ)
		return ctl_fail(err, "handoff: more than one session is named "
				"%s", argc > 3 ? argv[3] : "");
	if (err)
		return call_fail(err, argv[0], argv[1],
				 &(struct call_req){ .ncalls = 1,
						     .call = { call } });
	return ctl_done(ctl, argv[0], CTI_CALL_NONE);
}

const struct ctl_cmd ctl_call_cmds[] = {
	{ "call", "LINE NUMBER", "make a call, print its handle",
	  cmd_call_op },
	{ "answer", "LINE CALL", "answer a call", cmd_call_op },
	{ "accept", "LINE CALL", "accept a call (it keeps ringing here)",
	  cmd_call_op },
	{ "drop", "LINE CALL", "hang up a call", cmd_call_op },
	{ "hold", "LINE CALL", "hold a call", cmd_call_op },
	{ "unhold", "LINE CALL", "take a call off hold", cmd_call_op },
	{ "swap", "LINE ACTIVE HELD", "hold the active call, take the held one",
	  cmd_call_op },
	{ "transfer", "LINE CALL NUMBER", "transfer a call blind",
	  cmd_call_op },
	{ "transfer-setup", "LINE CALL NUMBER",
	  "hold a call and consult NUMBER, print the new call", cmd_call_op },
	{ "transfer-complete", "LINE HELD CONSULT [transfer|conference]",
	  "join the held and the consulted party", cmd_call_op },
	{ "conference-setup", "LINE CALL NUMBER",
	  "hold a call to conference NUMBER in, print the new call",
	  cmd_call_op },
	{ "conference-add", "LINE CONF CALL", "add a call to a conference",
	  cmd_call_op },
	{ "conference-remove", "LINE CALL",
	  "take a party out of its conference", cmd_call_op },
	{ "redirect", "LINE CALL NUMBER", "deflect a ringing call",
	  cmd_call_op },
	{ "park", "LINE CALL [SLOT]",
	  "park a call (any free slot by default), print the slot",
	  cmd_call_op },
	{ "unpark", "LINE SLOT", "take a parked call, print its handle",
	  cmd_call_op },
	{ "pickup", "LINE [NUMBER]",
	  "pick up a call ringing at NUMBER (or in the group)", cmd_call_op },
	{ "digits", "LINE CALL DIGITS", "send DTMF digits", cmd_call_op },
	{ "tone", "LINE CALL TONE MS",
	  "play beep|billing|busy|ringback for MS ms", cmd_call_op },
	{ "handoff", "LINE CALL [CLIENT]",
	  "hand a call to another program's session", cmd_handoff },
	{ }
};
