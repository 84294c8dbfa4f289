// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_admin.c - list, load, unload and reload providers (administrators
 * only), reload the server
 *
 * The protocol names a provider only: ctid finds its module and settings
 * in its own configuration, so a client can never make it load a path.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "common.h"

/* The protocol's ident class: A-Z a-z 0-9 _ . -, not empty, no leading . */
static int parse_provider(const char *arg)
{
	if (!*arg || *arg == '.' ||
	    strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789_.-") != strlen(arg))
		return ctl_usage("bad provider name '%s': only A-Z a-z 0-9 "
				 "_ . -, not starting with .", arg);
	return 0;
}

/*
 * What ctid's answer means for provider @name: ENOENT and EEXIST say
 * different things for load, unload and reload.
 */
static const char *provider_why(const char *cmd, int err)
{
	if (err == -ENOENT && strcmp(cmd, "unload"))
		return "no [provider %s] section in ctid's configuration";
	if (err == -ENOENT)
		return "provider %s is not loaded";
	if (err == -EEXIST)
		return "provider %s is loaded already (reload it instead)";
	return "provider %s";
}

static int cmd_provider(struct ctl *ctl, int argc, char **argv)
{
	const char *name = argv[1];
	uint64_t req;
	int ret, err;

	/* `reload` alone: ctid's configuration, not a provider */
	if (argc == 1 && !strcmp(argv[0], "reload"))
		return ctl_admin_reload(ctl, argc, argv);
	ret = ctl_check_argc(argc, 1, 1, argv[0], "NAME");
	if (!ret)
		ret = parse_provider(name);
	if (!ret)
		ret = ctl_connect(ctl);
	if (ret)
		return ret;
	if (!strcmp(argv[0], "load"))
		err = cti_session_load_provider(ctl->session, name, &req);
	else if (!strcmp(argv[0], "unload"))
		err = cti_session_unload_provider(ctl->session, name, &req);
	else
		err = cti_session_reload_provider(ctl->session, name, &req);
	if (!err)
		err = cti_session_wait_reply(ctl->session, req, CTL_TIMEOUT_MS,
					     NULL);
	if (err) {
		char what[192];

		snprintf(what, sizeof(what), provider_why(argv[0], err), name);
		return ctl_fail(err, "%s", what);
	}
	if (!ctl->json)
		printf("%s %s: ok\n", argv[0], name);
	else
		ctl_done(ctl, argv[0], CTI_CALL_NONE);
	return 0;
}

static void provider_item(struct ctl_list *out, struct cti_msg *msg)
{
	uint32_t link = cti_msg_get_reason(msg);
	/* its link to its switch or server; "-": it has none (or never said) */
	const char *ls = link == CTI_PROVIDER_LINK_UP ? "up" :
			 link == CTI_PROVIDER_LINK_DOWN ? "down" : "-";
	char lines[16];

	if (out->ctl->json) {
		json_begin(&out->j, NULL, '{');
		json_str(&out->j, "name", cti_msg_get_text(msg));
		json_str(&out->j, "state",
			 cti_msg_get_state(msg) ? "up" : "down");
		if (link != CTI_PROVIDER_LINK_NONE)
			json_str(&out->j, "link", ls);
		json_uint(&out->j, "lines", cti_msg_get_arg(msg));
		json_end(&out->j, '}');
		return;
	}
	snprintf(lines, sizeof(lines), "%" PRIu32, cti_msg_get_arg(msg));
	table_add(out->t, cti_msg_get_text(msg),
		  cti_msg_get_state(msg) ? "up" : "down", ls, lines);
}

static int cmd_providers(struct ctl *ctl, int argc, char **argv)
{
	static const char *const hdr[] = { "NAME", "STATE", "LINK", "LINES" };
	uint64_t req;
	int ret;

	ret = ctl_check_argc(argc, 0, 0, argv[0], "");
	if (!ret)
		ret = ctl_connect(ctl);
	if (!ret)
		ret = ctl_wait(ctl,
			       cti_session_list_providers(ctl->session, &req),
			       &req, NULL, "list providers");
	if (ret)
		return ret;
	return ctl_list_print(ctl, req, CTI_MSG_PROVIDER, provider_item,
			      sizeof(hdr) / sizeof(hdr[0]), hdr);
}

static int cmd_reload_server(struct ctl *ctl, int argc, char **argv)
{
	uint64_t req;
	int ret, err;

	ret = ctl_check_argc(argc, 0, 0, argv[0], "");
	if (!ret)
		ret = ctl_connect(ctl);
	if (ret)
		return ret;
	err = cti_session_reload_server(ctl->session, &req);
	ret = ctl_wait(ctl, err, &req, NULL, argv[0]);
	if (!ret && ctl->json)
		ctl_done(ctl, argv[0], CTI_CALL_NONE);
	else if (!ret)
		printf("reload-server: certificates, users and access rules "
		       "reloaded\n");
	return ret;
}

const struct ctl_cmd ctl_admin_cmds[] = {
	{ "providers", "", "list the providers (administrators)",
	  cmd_providers },
	{ "load", "NAME", "load a configured provider", cmd_provider },
	{ "unload", "NAME", "unload a provider", cmd_provider },
	{ "reload", "[NAME]", "reload a provider, or alone ctid's configuration",
	  cmd_provider },
	{ "reload-server", "", "reload TLS certificates, users and access rules",
	  cmd_reload_server },
	{ }
};
