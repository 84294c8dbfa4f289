// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_line.c - a line's settings and its provider's own commands: dnd,
 * forward, devspec, and inbound (the sim's devspec word; its "button" is
 * a phone's: `ctictl phone-button`, cmd_phones.c)
 *
 * Each command opens its line as owner, sends one request and waits for
 * the REPLY.
 */
#include <errno.h>
#include <string.h>

#include "common.h"

static int cmd_dnd(struct ctl *ctl, int argc, char **argv)
{
	static const char *const states[] = { "off", "on" };
	struct cti_line *line;
	uint64_t req;
	uint32_t on;
	int ret;

	ret = ctl_check_argc(argc, 2, 2, argv[0], "LINE on|off");
	if (!ret)
		ret = ctl_parse_name(argv[2], "state", states, 2, &on);
	if (!ret)
		ret = ctl_owner_line(ctl, argv[1], &line);
	if (!ret)
		ret = ctl_wait(ctl, cti_line_set_dnd(line, (int)on, &req), &req,
			       NULL, argv[0]);
	return ret ? ret : ctl_done(ctl, argv[0], CTI_CALL_NONE);
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
	uint32_t mode;
	int ret;

	ret = ctl_check_argc(argc, 2, 3, argv[0], "LINE MODE [NUMBER]");
	if (!ret)
		ret = ctl_parse_name(argv[2], "mode", modes,
				     sizeof(modes) / sizeof(modes[0]), &mode);
	if (ret)
		return ret;
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
		ret = ctl_owner_line(ctl, argv[1], &line);
	if (!ret)
		ret = ctl_wait(ctl, cti_line_set_forward(line,
				(enum cti_forward_mode)mode, number, &req),
			       &req, NULL, argv[0]);
	return ret ? ret : ctl_done(ctl, argv[0], CTI_CALL_NONE);
}

/*
 * Send @prefix (if any) and the words @argv[0..argc) to the provider as
 * one device-specific command, joined by single spaces (the text form
 * the sim and textlink read). The provider alone knows the words: EINVAL
 * from it means it did not understand them.
 */
static int send_devspec(struct ctl *ctl, const char *cmd, const char *arg,
			const char *prefix, int argc, char **argv)
{
	char text[CTI_DEV_SPECIFIC_MAX + 1];
	struct cti_line *line;
	size_t off = 0, len;
	uint64_t req;
	int i, ret, err;

	for (i = prefix ? -1 : 0; i < argc; i++) {
		const char *word = i < 0 ? prefix : argv[i];

		len = strlen(word);
		if (off + !!off + len > CTI_DEV_SPECIFIC_MAX)
			return ctl_usage("%s: the command is longer than %d "
					 "bytes", cmd, CTI_DEV_SPECIFIC_MAX);
		if (off)
			text[off++] = ' ';
		memcpy(text + off, word, len);
		off += len;
	}
	text[off] = '\0';
	if (!off)
		return ctl_usage("%s: missing argument: the provider's command",
				 cmd);
	ret = ctl_owner_line(ctl, arg, &line);
	if (ret)
		return ret;
	err = cti_line_dev_specific(line, text, off, &req);
	if (!err)
		err = cti_session_wait_reply(ctl->session, req, CTL_TIMEOUT_MS,
					     NULL);
	if (err == -EINVAL)
		return ctl_fail(err, "%s: the provider of %s did not accept "
				"'%s'", cmd, arg, text);
	if (err == -EOPNOTSUPP)
		return ctl_fail(err, "%s: the provider of %s takes no "
				"device-specific commands", cmd, arg);
	if (err)
		return ctl_fail(err, "%s", cmd);
	return ctl_done(ctl, cmd, CTI_CALL_NONE);
}

/* devspec LINE [--] WORD...: "--" lets the words start with a dash. */
static int cmd_devspec(struct ctl *ctl, int argc, char **argv)
{
	int first = 2;
	int ret = ctl_check_argc(argc, 2, -1, argv[0], "LINE [--] WORD...");

	if (ret)
		return ret;
	if (!strcmp(argv[2], "--"))
		first = 3;
	return send_devspec(ctl, argv[0], argv[1], NULL, argc - first,
			    argv + first);
}

/* The sim's "inbound FROM [SCRIPT...]": an outside caller rings LINE. */
static int cmd_inbound(struct ctl *ctl, int argc, char **argv)
{
	int ret = ctl_check_argc(argc, 2, -1, argv[0],
				 "LINE FROM [SCRIPT...]");

	if (!ret)
		ret = ctl_parse_number(argv[2]);
	if (ret)
		return ret;
	return send_devspec(ctl, argv[0], argv[1], "inbound", argc - 2,
			    argv + 2);
}

const struct ctl_cmd ctl_line_cmds[] = {
	{ "dnd", "LINE on|off", "set do-not-disturb", cmd_dnd },
	{ "forward", "LINE MODE [NUMBER]",
	  "forward: none|unconditional|busy|noanswer", cmd_forward },
	{ "devspec", "LINE [--] WORD...",
	  "send the provider a device-specific command", cmd_devspec },
	{ "inbound", "LINE FROM [SCRIPT...]",
	  "an outside caller FROM rings LINE (sim)", cmd_inbound },
	{ }
};
