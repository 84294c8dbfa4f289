// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ctictl.c - the cti administrator's tool: options and command dispatch
 *
 *	ctictl [-u URI] [--json] COMMAND [ARG...]
 *
 * Every command opens its own session to ctid, does one thing, prints the
 * result as a table (or JSON) and exits 0, 1 if ctid refused, or 2 for a
 * usage error.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const struct ctl_cmd *const cmd_groups[] = {
	ctl_info_cmds,
	ctl_admin_cmds,
	ctl_call_cmds,
	ctl_line_cmds,
	ctl_agent_cmds,
	ctl_monitor_cmds,
	ctl_passwd_cmds,
	ctl_card_cmds,
	ctl_phone_cmds,
	ctl_users_cmds,
};

static void help(FILE *f)
{
	size_t g;
	const struct ctl_cmd *c;

	fputs("Usage: ctictl [-u URI] [--json] COMMAND [ARG...]\n"
	      "\n"
	      "  -u, --uri URI   ctid's socket (default: $CTI_URI, else "
	      CTI_DEFAULT_URI ")\n"
	      "  -j, --json      print JSON for programs, not tables\n"
	      "  -h, --help      show this help\n"
	      "      --version   show the version\n"
	      "\nCommands (LINE: a name, directory number or id; "
	      "CALL: a call handle):\n", f);
	for (g = 0; g < sizeof(cmd_groups) / sizeof(cmd_groups[0]); g++)
		for (c = cmd_groups[g]; c->name; c++)
			fprintf(f, "  %-17s %-28s %s\n", c->name, c->args,
				c->help);
	fputs("\nEach command is a program of its own: a call it makes is "
	      "dropped when it\nexits, unless the provider keeps such calls "
	      "(the sim: orphan = keep).\n"
	      "\nExit status: 0 done, 1 ctid refused or failed, "
	      "2 usage error.\n", f);
}

/*
 * --json --help: the commands as data, [{"name","args","help"}...], for
 * programs and for the bash completion (ctictl.bash), which thus learns
 * every command without a copy of this table.
 */
static void help_json(void)
{
	const struct ctl_cmd *c;
	struct json j;
	size_t g;

	json_init(&j, stdout);
	json_begin(&j, NULL, '[');
	for (g = 0; g < sizeof(cmd_groups) / sizeof(cmd_groups[0]); g++) {
		for (c = cmd_groups[g]; c->name; c++) {
			json_begin(&j, NULL, '{');
			json_str(&j, "name", c->name);
			json_str(&j, "args", c->args);
			json_str(&j, "help", c->help);
			json_end(&j, '}');
		}
	}
	json_end(&j, ']');
	json_finish(&j);
}

static void version_json(void)
{
	struct json j;

	json_init(&j, stdout);
	json_begin(&j, NULL, '{');
	json_str(&j, "version", CTICTL_VERSION);
	json_end(&j, '}');
	json_finish(&j);
}

static const struct ctl_cmd *find_cmd(const char *name)
{
	const struct ctl_cmd *c;
	size_t g;

	for (g = 0; g < sizeof(cmd_groups) / sizeof(cmd_groups[0]); g++)
		for (c = cmd_groups[g]; c->name; c++)
			if (!strcmp(c->name, name))
				return c;
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "uri", required_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ }
	};
	struct ctl ctl = { };
	const struct ctl_cmd *cmd;
	int opt, ret, info = 0;

	/* '+': options after the command belong to the command */
	while ((opt = getopt_long(argc, argv, "+u:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'u':
			ctl.uri = optarg;
			break;
		case 'j':
			ctl.json = true;
			break;
		case 'h':
		case 'V':
			/* after the loop: --json may come later */
			info = info ? info : opt;
			break;
		default:
			/* getopt said what was wrong */
			fputs("Try 'ctictl --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (info == 'h' && ctl.json)
		help_json();
	else if (info == 'h')
		help(stdout);
	else if (info == 'V' && ctl.json)
		version_json();
	else if (info == 'V')
		printf("ctictl " CTICTL_VERSION "\n");
	if (info)
		return fflush(stdout) ? EXIT_FAILURE : EXIT_SUCCESS;
	if (optind >= argc)
		return ctl_usage("missing command");
	cmd = find_cmd(argv[optind]);
	if (!cmd)
		return ctl_usage("unknown command '%s'", argv[optind]);

	ret = cmd->run(&ctl, argc - optind, argv + optind);
	if (ctl.session)
		cti_session_close(ctl.session);
	if (fflush(stdout) && !ret)
		ret = EXIT_FAILURE;
	return ret;
}
