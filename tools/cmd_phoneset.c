// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_phoneset.c - drive the phone of a line: its hook switches, display,
 * lamps and ringer (libcti's cti_line_set_phone_*)
 *
 * Listing phones is `ctictl phones` (cmd_phones.c); these commands only
 * send one request each, through the line the phone belongs to, opened
 * as owner.
 */
#include <string.h>

#include "common.h"

static const char *const hook_devices[] = {
	"handset", "speaker", "headset",	/* CTI_HOOKSWITCH_* bit n */
};

static const char *const hook_modes[] = {
	[CTI_HOOK_ONHOOK] = "onhook",
	[CTI_HOOK_MIC] = "mic",
	[CTI_HOOK_SPEAKER] = "speaker",
	[CTI_HOOK_MICSPEAKER] = "micspeaker",
};

static const char *const lamp_modes[] = {
	[CTI_LAMP_OFF] = "off",
	[CTI_LAMP_STEADY] = "steady",
	[CTI_LAMP_WINK] = "wink",
	[CTI_LAMP_FLASH] = "flash",
	[CTI_LAMP_FLUTTER] = "flutter",
};

#define NAMES(a) (a), sizeof(a) / sizeof((a)[0])

/* phone-hook, -lamp, -ring: LINE A B; phone-display: LINE ROW COL TEXT */
static int cmd_phone(struct ctl *ctl, int argc, char **argv)
{
	bool display = !strcmp(argv[0], "phone-display");
	uint32_t a = 0, b = 0;
	struct cti_line *line;
	const char *usage;
	uint64_t req;
	int ret, err;

	usage = !strcmp(argv[0], "phone-hook") ? "LINE DEVICE MODE" :
		!strcmp(argv[0], "phone-lamp") ? "LINE LAMP MODE" :
		!strcmp(argv[0], "phone-ring") ? "LINE PATTERN VOLUME" :
		"LINE ROW COL TEXT";
	ret = ctl_check_argc(argc, display ? 4 : 3, display ? 4 : 3, argv[0],
			     usage);
	if (ret)
		return ret;
	switch (argv[0][6]) {
	case 'h':	/* phone-hook */
		ret = ctl_parse_name(argv[2], "hook switch device",
				     NAMES(hook_devices), &a);
		if (!ret)
			ret = ctl_parse_name(argv[3], "hook mode",
					     NAMES(hook_modes), &b);
		a = 1u << a;
		break;
	case 'l':	/* phone-lamp */
		ret = ctl_parse_u32(argv[2], "lamp", &a);
		if (!ret)
			ret = ctl_parse_name(argv[3], "lamp mode",
					     NAMES(lamp_modes), &b);
		break;
	case 'r':	/* phone-ring */
		ret = ctl_parse_u32(argv[2], "ring pattern", &a);
		if (!ret)
			ret = ctl_parse_u32(argv[3], "volume", &b);
		if (!ret && b > 100)
			ret = ctl_usage("bad volume '%s': 0 to 100", argv[3]);
		break;
	default:	/* phone-display */
		ret = ctl_parse_u32(argv[2], "row", &a);
		if (!ret)
			ret = ctl_parse_u32(argv[3], "column", &b);
		break;
	}
	if (!ret)
		ret = ctl_owner_line(ctl, argv[1], &line);
	if (ret)
		return ret;
	switch (argv[0][6]) {
	case 'h':
		err = cti_line_set_phone_hook(line, a, b, &req);
		break;
	case 'l':
		err = cti_line_set_phone_lamp(line, a, b, &req);
		break;
	case 'r':
		err = cti_line_set_phone_ring(line, a, b, &req);
		break;
	default:
		err = cti_line_set_phone_display(line, a, b, argv[4], &req);
		break;
	}
	ret = ctl_wait(ctl, err, &req, NULL, argv[0]);
	return ret ? ret : ctl_done(ctl, argv[0], CTI_CALL_NONE);
}

const struct ctl_cmd ctl_phoneset_cmds[] = {
	{ "phone-hook", "LINE DEVICE MODE",
	  "set handset|speaker|headset to onhook|mic|speaker|micspeaker",
	  cmd_phone },
	{ "phone-display", "LINE ROW COL TEXT", "write on the phone's display",
	  cmd_phone },
	{ "phone-lamp", "LINE LAMP MODE",
	  "set a lamp off|steady|wink|flash|flutter", cmd_phone },
	{ "phone-ring", "LINE PATTERN VOLUME",
	  "ring with PATTERN (0 stops) at VOLUME 0-100", cmd_phone },
	{ }
};
