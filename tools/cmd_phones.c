// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_phones.c - phones: the list, one phone's state, and its commands
 *
 * A phone is named like its line (name, directory number or id: a phone's
 * id is its line's). The commands open the phone as owner for as long as
 * ctictl runs; what they change stays in the phone, so `ctictl phone`
 * afterwards shows it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char *const hook_devices[] = { "handset", "speaker", "headset" };

static const char *const hook_modes[] = {
	[CTI_HOOK_ONHOOK] = "onhook",
	[CTI_HOOK_MIC] = "mic",
	[CTI_HOOK_SPEAKER] = "speaker",
	[CTI_HOOK_MICSPEAKER] = "offhook",
};

static const char *const lamp_modes[] = {
	[CTI_LAMP_OFF] = "off",
	[CTI_LAMP_STEADY] = "steady",
	[CTI_LAMP_WINK] = "wink",
	[CTI_LAMP_FLASH] = "flash",
	[CTI_LAMP_FLUTTER] = "flutter",
};

#define NAMES(a) (sizeof(a) / sizeof(a[0]))

/* The index of @arg in @names, or -1. */
static int lookup(const char *const *names, size_t n, const char *arg)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], arg))
			return (int)i;
	return -1;
}

static const char *name_of(const char *const *names, size_t n, uint32_t v)
{
	return v < n && names[v] ? names[v] : "?";
}

/* Connect and list the phones: 0 or an exit status. */
static int connect_phones(struct ctl *ctl)
{
	uint64_t req;
	int ret = ctl_connect(ctl);

	if (ret)
		return ret;
	if (!cti_session_has_phones(ctl->session))
		return ctl_fail(-EOPNOTSUPP, "phones: this ctid does not serve phones");
	return ctl_wait(ctl, cti_session_list_phones(ctl->session, &req), &req,
			NULL, "phones");
}

/* A phone by name, number or id (its line's). */
static int find_phone(struct ctl *ctl, const char *arg, struct cti_phone **pp)
{
	struct cti_line *line;
	int ret = connect_phones(ctl);

	if (ret)
		return ret;
	if (cti_session_find_phone(ctl->session, arg, pp) == 0)
		return 0;
	ret = ctl_find_line(ctl, arg, &line);
	if (ret)
		return ret;
	*pp = cti_line_get_phone(line);
	if (!*pp)
		return ctl_usage("bad phone '%s': line %s has no phone", arg,
				 cti_line_get_name(line));
	return 0;
}

static void hooks_text(struct cti_phone *p, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < NAMES(hook_devices) && off < len; i++)
		if (cti_phone_get_hookswitches(p) & (1ULL << i))
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
						off ? "," : "", hook_devices[i]);
	if (!off)
		snprintf(buf, len, "-");
}

static void json_caps(struct json *j, struct cti_phone *p)
{
	json_uint(j, "id", cti_phone_get_id(p));
	json_str(j, "name", cti_phone_get_name(p));
	json_uint(j, "line", cti_phone_get_id(p));
	json_begin(j, "hookswitches", '[');
	for (uint32_t i = 0; i < NAMES(hook_devices); i++)
		if (cti_phone_get_hookswitches(p) & (1ULL << i))
			json_str(j, NULL, hook_devices[i]);
	json_end(j, ']');
	json_uint(j, "num_buttons", cti_phone_get_num_buttons(p));
	json_uint(j, "num_lamps", cti_phone_get_num_lamps(p));
	json_uint(j, "display_rows", cti_phone_get_display_rows(p));
	json_uint(j, "display_cols", cti_phone_get_display_cols(p));
	json_uint(j, "ring_patterns", cti_phone_get_num_ring_patterns(p));
	json_bool(j, "may_own", cti_phone_may_open(p, CTI_PRIV_OWNER));
}

static int cmd_phones(struct ctl *ctl, int argc, char **argv)
{
	static const char *const hdr[] = {
		"ID", "NAME", "HOOKSWITCHES", "BUTTONS", "LAMPS", "DISPLAY", "RING",
	};
	size_t n;
	int ret = ctl_check_argc(argc, 0, 0, argv[0], "");

	if (!ret)
		ret = connect_phones(ctl);
	if (ret)
		return ret;
	n = cti_session_get_num_phones(ctl->session);
	if (ctl->json) {
		struct json j;

		json_init(&j, stdout);
		json_begin(&j, NULL, '[');
		for (size_t i = 0; i < n; i++) {
			struct cti_phone *p = cti_session_get_phone(ctl->session, i);

			if (cti_phone_is_removed(p))
				continue;
			json_begin(&j, NULL, '{');
			json_caps(&j, p);
			json_end(&j, '}');
		}
		json_end(&j, ']');
		json_finish(&j);
		return 0;
	}
	{
		struct table *t = table_new(NAMES(hdr), hdr);

		for (size_t i = 0; i < n; i++) {
			struct cti_phone *p = cti_session_get_phone(ctl->session, i);
			char id[16], hooks[64], b[16], l[16], disp[32], ring[16];

			if (cti_phone_is_removed(p))
				continue;
			snprintf(id, sizeof(id), "%u", cti_phone_get_id(p));
			hooks_text(p, hooks, sizeof(hooks));
			snprintf(b, sizeof(b), "%u", cti_phone_get_num_buttons(p));
			snprintf(l, sizeof(l), "%u", cti_phone_get_num_lamps(p));
			snprintf(disp, sizeof(disp), "%ux%u", cti_phone_get_display_rows(p),
				 cti_phone_get_display_cols(p));
			snprintf(ring, sizeof(ring), "%s", cti_phone_get_num_ring_patterns(p) ?
				 "" : "any");
			if (!ring[0])
				snprintf(ring, sizeof(ring), "%u", cti_phone_get_num_ring_patterns(p));
			table_add(t, id, cti_phone_get_name(p), hooks, b, l, disp, ring);
		}
		table_print(t, stdout);
		table_free(t);
	}
	return 0;
}

static void json_state(struct json *j, struct cti_phone *p)
{
	uint32_t button;
	int pressed;

	json_begin(j, "hook", '{');
	for (uint32_t i = 0; i < NAMES(hook_devices); i++)
		if (cti_phone_get_hookswitches(p) & (1ULL << i))
			json_str(j, hook_devices[i], name_of(hook_modes, NAMES(hook_modes),
				 cti_phone_get_hook(p, 1ULL << i)));
	json_end(j, '}');
	json_begin(j, "lamps", '[');
	for (uint32_t i = 0; i < cti_phone_get_num_lamps(p); i++)
		json_str(j, NULL, name_of(lamp_modes, NAMES(lamp_modes),
					  cti_phone_get_lamp(p, i)));
	json_end(j, ']');
	json_begin(j, "display", '[');
	for (uint32_t i = 0; i < cti_phone_get_display_rows(p); i++)
		json_str(j, NULL, cti_phone_get_display_row(p, i));
	json_end(j, ']');
	json_uint(j, "ring_pattern", cti_phone_get_ring_pattern(p));
	json_uint(j, "ring_volume", cti_phone_get_ring_volume(p));
	if (cti_phone_get_last_button(p, &button, &pressed) == 0) {
		json_begin(j, "last_button", '{');
		json_uint(j, "button", button);
		json_bool(j, "pressed", pressed);
		json_end(j, '}');
	}
}

static void print_state(struct cti_phone *p)
{
	uint32_t button;
	int pressed;

	printf("phone %u %s\n", cti_phone_get_id(p), cti_phone_get_name(p));
	for (uint32_t i = 0; i < NAMES(hook_devices); i++)
		if (cti_phone_get_hookswitches(p) & (1ULL << i))
			printf("hook %s: %s\n", hook_devices[i],
			       name_of(hook_modes, NAMES(hook_modes),
				       cti_phone_get_hook(p, 1ULL << i)));
	for (uint32_t i = 0; i < cti_phone_get_num_lamps(p); i++)
		printf("lamp %u: %s\n", i, name_of(lamp_modes, NAMES(lamp_modes),
						   cti_phone_get_lamp(p, i)));
	for (uint32_t i = 0; i < cti_phone_get_display_rows(p); i++)
		printf("display %u: \"%s\"\n", i, cti_phone_get_display_row(p, i));
	printf("ring: pattern %u volume %u\n", cti_phone_get_ring_pattern(p),
	       cti_phone_get_ring_volume(p));
	if (cti_phone_get_last_button(p, &button, &pressed) == 0)
		printf("last button: %u %s\n", button, pressed ? "pressed" : "released");
	else
		printf("last button: -\n");
}

static int cmd_phone(struct ctl *ctl, int argc, char **argv)
{
	struct cti_phone *p;
	int ret = ctl_check_argc(argc, 1, 1, argv[0], "PHONE");

	if (!ret)
		ret = find_phone(ctl, argv[1], &p);
	if (ret)
		return ret;
	if (ctl->json) {
		struct json j;

		json_init(&j, stdout);
		json_begin(&j, NULL, '{');
		json_caps(&j, p);
		json_state(&j, p);
		json_end(&j, '}');
		json_finish(&j);
	} else {
		print_state(p);
	}
	return 0;
}

/* The phone of argv[1], opened as owner. */
static int owner_phone(struct ctl *ctl, char **argv, struct cti_phone **pp)
{
	uint64_t req;
	int ret = find_phone(ctl, argv[1], pp);

	if (ret)
		return ret;
	return ctl_wait(ctl, cti_phone_open(*pp, CTI_PRIV_OWNER, &req), &req,
			NULL, cti_phone_get_name(*pp));
}

/* Sends what @rc and @req say, waits, and says "CMD: ok". */
static int finish(struct ctl *ctl, const char *what, int rc, const uint64_t *req)
{
	int ret = ctl_wait(ctl, rc, req, NULL, what);

	if (!ret && !ctl->json)
		printf("%s: ok\n", what);
	return ret;
}

static int cmd_hook(struct ctl *ctl, int argc, char **argv)
{
	struct cti_phone *p;
	uint64_t req;
	int dev, mode, ret;

	ret = ctl_check_argc(argc, 3, 3, argv[0], "PHONE DEVICE MODE");
	if (ret)
		return ret;
	dev = lookup(hook_devices, NAMES(hook_devices), argv[2]);
	mode = lookup(hook_modes, NAMES(hook_modes), argv[3]);
	if (dev < 0)
		return ctl_usage("%s: bad device '%s': handset, speaker or headset",
				 argv[0], argv[2]);
	if (mode < 0)
		return ctl_usage("%s: bad mode '%s': onhook, mic, speaker or offhook",
				 argv[0], argv[3]);
	ret = owner_phone(ctl, argv, &p);
	return ret ? ret : finish(ctl, argv[0], cti_phone_set_hookswitch(p,
				  1ULL << dev, (enum cti_hook_mode)mode, &req), &req);
}

static int cmd_display(struct ctl *ctl, int argc, char **argv)
{
	struct cti_phone *p;
	uint32_t row, col;
	uint64_t req;
	int ret;

	ret = ctl_check_argc(argc, 4, 4, argv[0], "PHONE ROW COL TEXT");
	if (!ret)
		ret = ctl_parse_u32(argv[2], "row", &row);
	if (!ret)
		ret = ctl_parse_u32(argv[3], "column", &col);
	if (!ret)
		ret = owner_phone(ctl, argv, &p);
	return ret ? ret : finish(ctl, argv[0], cti_phone_write_display(p, row, col,
				  argv[4], &req), &req);
}

static int cmd_lamp(struct ctl *ctl, int argc, char **argv)
{
	struct cti_phone *p;
	uint32_t lamp;
	uint64_t req;
	int mode, ret;

	ret = ctl_check_argc(argc, 3, 3, argv[0], "PHONE LAMP MODE");
	if (!ret)
		ret = ctl_parse_u32(argv[2], "lamp", &lamp);
	if (ret)
		return ret;
	mode = lookup(lamp_modes, NAMES(lamp_modes), argv[3]);
	if (mode < 0)
		return ctl_usage("%s: bad mode '%s': off, steady, wink, flash or flutter",
				 argv[0], argv[3]);
	ret = owner_phone(ctl, argv, &p);
	return ret ? ret : finish(ctl, argv[0], cti_phone_set_lamp_mode(p, lamp,
				  (enum cti_lamp_mode)mode, &req), &req);
}

static int cmd_ring(struct ctl *ctl, int argc, char **argv)
{
	struct cti_phone *p;
	uint32_t pattern, volume;
	uint64_t req;
	int ret;

	ret = ctl_check_argc(argc, 3, 3, argv[0], "PHONE PATTERN VOLUME");
	if (!ret)
		ret = ctl_parse_u32(argv[2], "pattern", &pattern);
	if (!ret)
		ret = ctl_parse_u32(argv[3], "volume", &volume);
	if (!ret && volume > 100)
		ret = ctl_usage("%s: bad volume %u: 0 to 100", argv[0], volume);
	if (!ret)
		ret = owner_phone(ctl, argv, &p);
	return ret ? ret : finish(ctl, argv[0], cti_phone_set_ringer(p, pattern,
				  volume, &req), &req);
}

/* The sim's devspec "button N [press|release]": the user at the phone. */
static int cmd_button(struct ctl *ctl, int argc, char **argv)
{
	struct cti_phone *p;
	char spec[64];
	uint32_t button;
	uint64_t req;
	int ret;

	ret = ctl_check_argc(argc, 2, 3, argv[0], "PHONE BUTTON [press|release]");
	if (!ret)
		ret = ctl_parse_u32(argv[2], "button", &button);
	if (ret)
		return ret;
	if (argc == 4 && strcmp(argv[3], "press") && strcmp(argv[3], "release"))
		return ctl_usage("%s: bad action '%s': press or release", argv[0],
				 argv[3]);
	snprintf(spec, sizeof(spec), "button %u%s%s", button, argc == 4 ? " " : "",
		 argc == 4 ? argv[3] : "");
	ret = owner_phone(ctl, argv, &p);
	return ret ? ret : finish(ctl, argv[0], cti_phone_dev_specific(p, spec,
				  strlen(spec), &req), &req);
}

const struct ctl_cmd ctl_phone_cmds[] = {
	{ "phones", "", "list the phones and their capabilities", cmd_phones },
	{ "phone", "PHONE", "a phone's state: hook, lamps, display, ringer",
	  cmd_phone },
	{ "phone-hook", "PHONE DEVICE MODE",
	  "set a hook switch: handset|speaker|headset onhook|mic|speaker|offhook",
	  cmd_hook },
	{ "phone-display", "PHONE ROW COL TEXT", "write on a phone's display",
	  cmd_display },
	{ "phone-lamp", "PHONE LAMP MODE",
	  "set a lamp: off|steady|wink|flash|flutter", cmd_lamp },
	{ "phone-ring", "PHONE PATTERN VOLUME", "ring (pattern 0: stop), volume 0-100",
	  cmd_ring },
	{ "phone-button", "PHONE BUTTON [press|release]",
	  "press a button (the sim's devspec; both without an action)", cmd_button },
	{ }
};
