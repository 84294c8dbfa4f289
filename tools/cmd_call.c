// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_call.c - call control for testing: call, answer, drop, hold,
 * unhold, transfer, dnd, forward
 *
 * Each command opens its line as owner, sends one request and waits for
 * the REPLY.
 */
#include <inttypes.h>
#include <string.h>

#include "common.h"

/* Say the result: "ok", or the call a request created. */
static int done(struct ctl *ctl, const char *cmd, uint32_t call)
{
	if (ctl->json) {
		struct json j;

		json_init(&j, stdout);
		json_begin(&j, NULL, '{');
		json_str(&j, "result", "ok");
		if (call != CTI_CALL_NONE)
			json_uint(&j, "call", call);
		json_end(&j, '}');
		json_finish(&j);
	} else if (call != CTI_CALL_NONE) {
		printf("call %" PRIu32 "\n", call);
	} else {
		printf("%s: ok\n", cmd);
	}
	return 0;
}

/* Connect and open argv[1] as owner. */
static int owner_line(struct ctl *ctl, char **argv, struct cti_line **linep)
{
	int ret = ctl_connect(ctl);

	if (!ret)
		ret = ctl_find_line(ctl, argv[1], linep);
	if (!ret)
		ret = ctl_open_line(ctl, *linep, CTI_PRIV_OWNER);
	return ret;
}

static int cmd_make_call(struct ctl *ctl, int argc, char **argv)
{
	struct cti_line *line;
	uint32_t call = CTI_CALL_NONE;
	uint64_t req;
	int ret;

	ret = ctl_check_argc(argc, 2, 2, argv[0], "LINE NUMBER");
	if (!ret)
		ret = ctl_parse_number(argv[2]);
	if (!ret)
		ret = owner_line(ctl, argv, &line);
	if (!ret)
		ret = ctl_wait(ctl, cti_line_make_call(line, argv[2], &req),
			       &req, &call, argv[0]);
	return ret ? ret : done(ctl, argv[0], call);
}

/* answer, drop, hold, unhold: LINE CALL */
static int cmd_one_call(struct ctl *ctl, int argc, char **argv)
{
	struct cti_line *line;
	uint32_t call;
	uint64_t req;
	int ret, err;

	ret = ctl_check_argc(argc, 2, 2, argv[0], "LINE CALL");
	if (!ret)
		ret = ctl_parse_call(argv[2], &call);
	if (!ret)
		ret = owner_line(ctl, argv, &line);
	if (ret)
		return ret;
	if (!strcmp(argv[0], "answer"))
		err = cti_line_answer_call(line, call, &req);
	else if (!strcmp(argv[0], "drop"))
		err = cti_line_drop_call(line, call, &req);
	else if (!strcmp(argv[0], "hold"))
		err = cti_line_hold_call(line, call, &req);
	else
		err = cti_line_unhold_call(line, call, &req);
	ret = ctl_wait(ctl, err, &req, NULL, argv[0]);
	return ret ? ret : done(ctl, argv[0], CTI_CALL_NONE);
}

static int cmd_transfer(struct ctl *ctl, int argc, char **argv)
{
	struct cti_line *line;
	uint32_t call;
	uint64_t req;
	int ret;

	ret = ctl_check_argc(argc, 3, 3, argv[0], "LINE CALL NUMBER");
	if (!ret)
		ret = ctl_parse_call(argv[2], &call);
	if (!ret)
		ret = ctl_parse_number(argv[3]);
	if (!ret)
		ret = owner_line(ctl, argv, &line);
	if (!ret)
		ret = ctl_wait(ctl, cti_line_blind_transfer(line, call,
							    argv[3], &req),
			       &req, NULL, argv[0]);
	return ret ? ret : done(ctl, argv[0], CTI_CALL_NONE);
}

static int cmd_dnd(struct ctl *ctl, int argc, char **argv)
{
	struct cti_line *line;
	uint64_t req;
	int ret, on;

	ret = ctl_check_argc(argc, 2, 2, argv[0], "LINE on|off");
	if (ret)
		return ret;
	if (!strcmp(argv[2], "on"))
		on = 1;
	else if (!strcmp(argv[2], "off"))
		on = 0;
	else
		return ctl_usage("dnd: bad state '%s': on or off", argv[2]);
	ret = owner_line(ctl, argv, &line);
	if (!ret)
		ret = ctl_wait(ctl, cti_line_set_dnd(line, on, &req), &req,
			       NULL, argv[0]);
	return ret ? ret : done(ctl, argv[0], CTI_CALL_NONE);
}

static int cmd_forward(struct ctl *ctl, int argc, char **argv)
{
	static const char *const modes[] = {
		[CTI_FORWARD_NONE] = "none",
		[CTI_FORWARD_UNCONDITIONAL] = "unconditional",
		[CTI_FORWARD_BUSY] = "busy",
		[CTI_FORWARD_NO_ANSWER] = "noanswer",
	};
	const char *number = NULL;
	struct cti_line *line;
	uint64_t req;
	size_t mode;
	int ret;

	ret = ctl_check_argc(argc, 2, 3, argv[0], "LINE MODE [NUMBER]");
	if (ret)
		return ret;
	for (mode = 0; mode < sizeof(modes) / sizeof(modes[0]); mode++)
		if (!strcmp(argv[2], modes[mode]))
			break;
	if (mode == sizeof(modes) / sizeof(modes[0]))
		return ctl_usage("forward: bad mode '%s': none, "
				 "unconditional, busy or noanswer", argv[2]);
	if (mode == CTI_FORWARD_NONE && argc > 3)
		return ctl_usage("forward: mode none takes no number");
	if (mode != CTI_FORWARD_NONE) {
		if (argc < 4)
			return ctl_usage("forward: missing argument: mode %s "
					 "needs a NUMBER", argv[2]);
		number = argv[3];
		ret = ctl_parse_number(number);
	}
	if (!ret)
		ret = owner_line(ctl, argv, &line);
	if (!ret)
		ret = ctl_wait(ctl, cti_line_set_forward(line,
				(enum cti_forward_mode)mode, number, &req),
			       &req, NULL, argv[0]);
	return ret ? ret : done(ctl, argv[0], CTI_CALL_NONE);
}

const struct ctl_cmd ctl_call_cmds[] = {
	{ "call", "LINE NUMBER", "make a call, print its handle",
	  cmd_make_call },
	{ "answer", "LINE CALL", "answer a call", cmd_one_call },
	{ "drop", "LINE CALL", "hang up a call", cmd_one_call },
	{ "hold", "LINE CALL", "hold a call", cmd_one_call },
	{ "unhold", "LINE CALL", "take a call off hold", cmd_one_call },
	{ "transfer", "LINE CALL NUMBER", "transfer a call blind",
	  cmd_transfer },
	{ "dnd", "LINE on|off", "set do-not-disturb", cmd_dnd },
	{ "forward", "LINE MODE [NUMBER]",
	  "forward: none|unconditional|busy|noanswer", cmd_forward },
	{ }
};
