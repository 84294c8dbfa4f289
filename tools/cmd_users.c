// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_users.c - live administration through ctid (administrators only):
 *
 *	users | groups                       list them with their rights
 *	user-add NAME [admin] | group-add NAME [admin]
 *	user-del NAME | group-del NAME
 *	grant [--group] NAME RIGHT [LIST]    RIGHT: lines, monitor, pickup,
 *	revoke [--group] NAME RIGHT [LIST]   admin (no LIST), members (groups)
 *	user-passwd USER                     a TLS user's password, set by ctid
 *	sessions                             who is connected, from where
 *	kick ID                              end a session (ID from sessions)
 *
 * Changes are in force at once for every connected session and kept by
 * ctid in its state file. When ctid refuses, its reason is printed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "passwd.h"

static const char *const right_names[] = {
	[CTI_RIGHT_OWNER] = "lines",
	[CTI_RIGHT_MONITOR] = "monitor",
	[CTI_RIGHT_PICKUP] = "pickup",
	[CTI_RIGHT_ADMIN] = "admin",
	[CTI_RIGHT_MEMBER] = "members",
};

static bool is_group_cmd(const char *cmd)
{
	return !strncmp(cmd, "group", 5);
}

/*
 * The REPLY of the request whose sending returned @err; a refusal is
 * printed with ctid's reason. @req is read only after that call, which
 * may be another argument of the same call (hence a pointer).
 */
static int admin_wait(struct ctl *ctl, int err, const uint64_t *req, const char *what)
{
	const char *note;

	if (err == -EILSEQ || err == -ENAMETOOLONG || err == -EINVAL)
		return ctl_usage("%s: ctid would refuse the argument: %s", what,
				 strerror(-err));
	err = cti_session_wait_reply(ctl->session, *req, CTL_TIMEOUT_MS, NULL);
	if (!err)
		return 0;
	note = cti_session_get_note(ctl->session, *req);
	if (note && note[0])
		return ctl_fail(err, "%s: %s", what, note);
	return ctl_fail(err, "%s", what);
}

static void done(struct ctl *ctl, const char *fmt, const char *a, const char *b)
{
	if (ctl->json) {
		ctl_done(ctl, NULL, CTI_CALL_NONE);	/* {"result":"ok"} */
		return;
	}
	printf(fmt, a, b);
	putchar('\n');
}

/* ---- lists ---- */

static const char *dash(const char *s)
{
	return s[0] ? s : "-";
}

/* Where a list goes: a table for people, or a JSON array. */
struct list_out {
	struct table *t;
	struct json j;
};

/*
 * The items of list request @req, each given to @item (which returns
 * false for a message that is not one), as a table with @hdr or JSON.
 */
static void print_items(struct ctl *ctl, uint64_t req, size_t ncols,
			const char *const *hdr,
			bool (*item)(struct cti_msg *msg, struct list_out *out))
{
	struct list_out out = { 0 };
	struct cti_msg *msg;

	if (ctl->json) {
		json_init(&out.j, stdout);
		json_begin(&out.j, NULL, '[');
	} else {
		out.t = table_new(ncols, hdr);
	}
	while (cti_session_next_msg(ctl->session, &msg) > 0) {
		if (cti_msg_get_request(msg) == req)
			item(msg, &out);
		cti_msg_free(msg);
	}
	if (out.t) {
		table_print(out.t, stdout);
		table_free(out.t);
	} else {
		json_end(&out.j, ']');
		json_finish(&out.j);
	}
}

static void account_json(struct json *j, const struct cti_account *a)
{
	json_begin(j, NULL, '{');
	json_str(j, "name", a->name);
	json_str(j, "kind", a->kind == CTI_ACCOUNT_GROUP ? "group" : "user");
	json_bool(j, "admin", a->flags & CTI_ACCOUNT_ADMIN);
	if (a->kind == CTI_ACCOUNT_USER)
		json_bool(j, "password", a->flags & CTI_ACCOUNT_PASSWORD);
	json_str(j, "lines", a->lines);
	json_str(j, "monitor", a->monitor);
	json_str(j, "pickup", a->pickup);
	if (a->kind == CTI_ACCOUNT_GROUP)
		json_str(j, "members", a->members);
	json_end(j, '}');
}

static bool account_item(struct cti_msg *msg, struct list_out *out)
{
	struct cti_account a = { .size = sizeof(a) };
	const char *admin;

	if (cti_msg_get_account(msg, &a))
		return false;
	if (!out->t) {
		account_json(&out->j, &a);
		return true;
	}
	admin = a.flags & CTI_ACCOUNT_ADMIN ? "yes" : "no";
	if (a.kind == CTI_ACCOUNT_GROUP)
		table_add(out->t, a.name, admin, dash(a.lines), dash(a.monitor),
			  dash(a.pickup), dash(a.members));
	else
		table_add(out->t, a.name, admin,
			  a.flags & CTI_ACCOUNT_PASSWORD ? "yes" : "no",
			  dash(a.lines), dash(a.monitor), dash(a.pickup));
	return true;
}

static int cmd_accounts(struct ctl *ctl, int argc, char **argv)
{
	static const char *const uhdr[] = { "USER", "ADMIN", "PASSWORD", "LINES",
					    "MONITOR", "PICKUP" };
	static const char *const ghdr[] = { "GROUP", "ADMIN", "LINES", "MONITOR",
					    "PICKUP", "MEMBERS" };
	uint32_t kind = argv[0][0] == 'g' ? CTI_ACCOUNT_GROUP : CTI_ACCOUNT_USER;
	uint64_t req;
	int ret;

	ret = ctl_check_argc(argc, 0, 0, argv[0], "");
	if (!ret)
		ret = ctl_connect(ctl);
	if (!ret)
		ret = admin_wait(ctl, cti_session_list_accounts(ctl->session, kind, &req),
				 &req, argv[0]);
	if (!ret)
		print_items(ctl, req, 6, kind == CTI_ACCOUNT_GROUP ? ghdr : uhdr,
			    account_item);
	return ret;
}

static void since_text(uint64_t ns, char *buf, size_t n)
{
	time_t sec = (time_t)(ns / 1000000000u);
	struct tm tm;

	if (!gmtime_r(&sec, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, n, "-");
}

static bool session_item(struct cti_msg *msg, struct list_out *out)
{
	struct cti_session_info si = { .size = sizeof(si) };
	char id[20], uid[12], lines[12], since[32];
	struct json *j = &out->j;

	if (cti_msg_get_session_info(msg, &si))
		return false;
	snprintf(id, sizeof(id), "%016" PRIx64, si.id);
	since_text(si.since_ns, since, sizeof(since));
	if (out->t) {
		snprintf(uid, sizeof(uid), "%u", si.uid);
		snprintf(lines, sizeof(lines), "%u", si.lines_open);
		table_add(out->t, id, si.user, uid, dash(si.peer), dash(si.client_name),
			  lines, since,
			  si.flags & CTI_SESSION_INFO_ATTACHED ? "attached" : "detached");
		return true;
	}
	json_begin(j, NULL, '{');
	json_str(j, "id", id);
	json_str(j, "user", si.user);
	json_uint(j, "uid", si.uid);
	json_str(j, "peer", si.peer);
	json_str(j, "client", si.client_name);
	json_uint(j, "lines_open", si.lines_open);
	json_str(j, "since", since);
	json_bool(j, "attached", si.flags & CTI_SESSION_INFO_ATTACHED);
	json_bool(j, "tls", si.flags & CTI_SESSION_INFO_TLS);
	json_bool(j, "admin", si.flags & CTI_SESSION_INFO_ADMIN);
	json_end(j, '}');
	return true;
}

static int cmd_sessions(struct ctl *ctl, int argc, char **argv)
{
	static const char *const hdr[] = { "ID", "USER", "UID", "PEER", "CLIENT",
					   "LINES", "SINCE", "STATE" };
	uint64_t req;
	int ret;

	ret = ctl_check_argc(argc, 0, 0, argv[0], "");
	if (!ret)
		ret = ctl_connect(ctl);
	if (!ret)
		ret = admin_wait(ctl, cti_session_list_sessions(ctl->session, &req), &req,
				 argv[0]);
	if (!ret)
		print_items(ctl, req, 8, hdr, session_item);
	return ret;
}

/* ---- changes ---- */

static int cmd_account_add_del(struct ctl *ctl, int argc, char **argv)
{
	bool del = strstr(argv[0], "-del") != NULL;
	uint32_t kind = is_group_cmd(argv[0]) ? CTI_ACCOUNT_GROUP : CTI_ACCOUNT_USER;
	uint32_t flags = 0;
	uint64_t req;
	int ret, err;

	ret = ctl_check_argc(argc, 1, del ? 1 : 2, argv[0], del ? "NAME" : "NAME [admin]");
	if (ret)
		return ret;
	if (argc == 3) {
		if (strcmp(argv[2], "admin"))
			return ctl_usage("%s: want 'admin' or nothing after the name, not '%s'",
					 argv[0], argv[2]);
		flags = CTI_ACCOUNT_ADMIN;
	}
	ret = ctl_connect(ctl);
	if (ret)
		return ret;
	err = del ? cti_session_remove_account(ctl->session, kind, argv[1], &req)
		  : cti_session_add_account(ctl->session, kind, argv[1], flags, &req);
	ret = admin_wait(ctl, err, &req, argv[0]);
	if (!ret)
		done(ctl, "%s %s: ok", argv[0], argv[1]);
	return ret;
}

static int parse_right(const char *arg, enum cti_right *right)
{
	for (size_t i = 1; i < sizeof(right_names) / sizeof(right_names[0]); i++)
		if (!strcmp(arg, right_names[i])) {
			*right = (enum cti_right)i;
			return 0;
		}
	return ctl_usage("unknown right '%s' (lines, monitor, pickup, admin, members)", arg);
}

static int cmd_grant(struct ctl *ctl, int argc, char **argv)
{
	const char *cmd = argv[0];
	bool grant = !strcmp(cmd, "grant");
	uint32_t kind = CTI_ACCOUNT_USER;
	enum cti_right right = CTI_RIGHT_OWNER;
	const char *list;
	uint64_t req;
	int ret, err;

	if (argc > 1 && !strcmp(argv[1], "--group")) {
		kind = CTI_ACCOUNT_GROUP;
		argv++;
		argc--;
	}
	ret = ctl_check_argc(argc, 2, 3, cmd, "[--group] NAME RIGHT [LIST]");
	if (!ret)
		ret = parse_right(argv[2], &right);
	if (ret)
		return ret;
	list = argc > 3 ? argv[3] : "";
	if ((right == CTI_RIGHT_ADMIN) != !list[0])
		return ctl_usage("%s: %s", cmd, right == CTI_RIGHT_ADMIN ?
				 "admin takes no list" : "give the lines (or names) as LIST");
	ret = ctl_connect(ctl);
	if (ret)
		return ret;
	err = grant ? cti_session_grant(ctl->session, kind, argv[1], right, list, &req)
		    : cti_session_revoke(ctl->session, kind, argv[1], right, list, &req);
	ret = admin_wait(ctl, err, &req, cmd);
	if (!ret)
		done(ctl, "%s %s: ok", cmd, argv[1]);
	return ret;
}

static int cmd_user_passwd(struct ctl *ctl, int argc, char **argv)
{
	char hash[256];
	uint64_t req;
	int ret;

	ret = ctl_check_argc(argc, 1, 1, argv[0], "USER");
	if (!ret)
		ret = ctl_connect(ctl);
	if (!ret)
		ret = ctl_new_hash(hash, sizeof(hash));
	if (ret)
		return ret;
	ret = admin_wait(ctl, cti_session_set_password(ctl->session, argv[1], hash, &req),
			 &req, argv[0]);
	if (!ret)
		done(ctl, "%s %s: ok", argv[0], argv[1]);
	return ret;
}

static int cmd_kick(struct ctl *ctl, int argc, char **argv)
{
	uint64_t id, req;
	char *end;
	int ret;

	ret = ctl_check_argc(argc, 1, 1, argv[0], "ID");
	if (ret)
		return ret;
	errno = 0;
	id = strtoull(argv[1], &end, 16);
	if (errno || !argv[1][0] || *end || !id)
		return ctl_usage("kick: bad session id '%s' (hex, as `sessions` shows it)",
				 argv[1]);
	ret = ctl_connect(ctl);
	if (!ret)
		ret = admin_wait(ctl, cti_session_kick(ctl->session, id, &req), &req,
				 argv[0]);
	if (!ret)
		done(ctl, "%s %s: ok", argv[0], argv[1]);
	return ret;
}

int ctl_admin_reload(struct ctl *ctl, int argc, char **argv)
{
	uint64_t req;
	int ret;

	ret = ctl_check_argc(argc, 0, 0, argv[0], "");
	if (!ret)
		ret = ctl_connect(ctl);
	if (!ret)
		ret = admin_wait(ctl, cti_session_reload_server(ctl->session, &req), &req,
				 argv[0]);
	if (!ret)
		done(ctl, "%s%s: configuration applied", argv[0], "");
	return ret;
}

const struct ctl_cmd ctl_users_cmds[] = {
	{ "users", "", "list users and their line access (admins)", cmd_accounts },
	{ "groups", "", "list groups and their line access (admins)", cmd_accounts },
	{ "user-add", "NAME [admin]", "add a user", cmd_account_add_del },
	{ "user-del", "NAME", "remove a user", cmd_account_add_del },
	{ "group-add", "NAME [admin]", "add a group", cmd_account_add_del },
	{ "group-del", "NAME", "remove a group", cmd_account_add_del },
	{ "grant", "[--group] NAME RIGHT [LIST]", "give lines/monitor/pickup/admin/members",
	  cmd_grant },
	{ "revoke", "[--group] NAME RIGHT [LIST]", "take them away", cmd_grant },
	{ "user-passwd", "USER", "set a TLS user's password through ctid",
	  cmd_user_passwd },
	{ "sessions", "", "list ctid's sessions: who, from where", cmd_sessions },
	{ "kick", "ID", "end a session at once, without resume", cmd_kick },
	{ }
};
