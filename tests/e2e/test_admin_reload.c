// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_admin_reload: SIGHUP and SERVER_RELOAD read the whole configuration
 * again, and a broken one changes nothing (issue 11).
 *
 * ctid starts with the sim's 4 lines, root admin, and the system user
 * "daemon" allowed on line 1 only. Twenty-one broken files, one after the
 * other, are each refused with the FILE:LINE of their first error, in
 * the REPLY's ADMIN_NOTE and in ctid's log; meanwhile a session of
 * "daemon" keeps working with the old rules (line 1 yes, line 2 no), and
 * the users and groups stay as they were. Then a good file is applied.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin_util.h"
#include "harness.h"

static struct t_ctid d;
static uid_t uid_daemon;
static gid_t gid_daemon;

#define GOOD_EXTRA	"[user daemon]\nlines = 1\n"

/* The broken part, appended to the good file, and its first bad line. */
static const struct {
	const char *text;
	int line;		/* of the first error, counted in @text */
} broken[] = {
	{ "[user daemon2]\n", 1 },				/* grants nothing */
	{ "[user bad name]\nlines = 1\n", 1 },
	{ "[group g]\nlines = 1-\n", 1 },			/* then nothing */
	{ "[user x]\nlines = 1\nlines = 2\n", 3 },		/* twice */
	{ "[user x]\nlines = 1\nadmin = maybe\n", 3 },
	{ "[user x]\nlines = 1\ncolour = blue\n", 3 },	/* unknown key */
	{ "[frobnicate]\n", 1 },				/* unknown section */
	{ "[user x\n", 1 },					/* no ']' */
	{ "just some words\n", 1 },				/* syntax */
	{ "[provider sim]\nso = sim\n", 1 },			/* defined twice */
	{ "[provider p2]\nlines = 2\n", 1 },			/* no so = */
	{ "[user x]\nlines = 1\nmembers = a\n", 3 },		/* not a group */
	{ "[group g]\nlines = 1\nmembers = a b/c\n", 3 },
	{ "[user x]\nlines = 1\nmonitor = 5-2\n", 3 },
	{ "[user x]\nlines = 1\npickup = ,\n", 3 },
	{ "[user daemon]\nlines = 2\n", 1 },			/* defined twice */
	{ "[server]\nreplay_log = 3\n", 2 },
	{ "[server]\nsocket_mode = 9999\n", 2 },
	{ "[server]\nlog_level = loud\n", 2 },
	{ "[server]\nstate = relative/path\n", 2 },
	{ "[server]\ntls_listen = 127.0.0.1\n", 2 },
};

/* The configuration t_ctid_start() wrote, as ctid reads it. */
static char *conf_text(void)
{
	FILE *f = fopen(d.conf, "r");
	char *buf = calloc(1, 65536);

	T_ASSERT(f && buf, "read %s", d.conf);
	T_ASSERT(fread(buf, 1, 65535, f) > 0, "empty %s", d.conf);
	fclose(f);
	return buf;
}

static void write_conf(const char *good, const char *extra)
{
	FILE *f = fopen(d.conf, "w");

	T_ASSERT(f, "write %s", d.conf);
	fprintf(f, "%s%s", good, extra);
	fclose(f);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The service as it was: the user works on line 1 and is kept off line 2. */
static void unchanged(struct rc *root, struct rc *user, size_t naccts)
{
	struct au_answer a;

	T_EXPECT_EQ(rc_command_sync(user, CTI_CMD_SET_DND, 1, 0, 0, 1, 0, NULL,
				    NULL), 0);
	T_EXPECT_EQ(rc_open_line(user, 2, CTI_WIRE_PRIV_MONITOR), -ENOENT);
	T_EXPECT_EQ(au_list_accounts(root, CTI_WIRE_ACCT_USER, &a), 0);
	T_EXPECT_EQ(a.nacct, naccts);
}

static void broken_configs_refused(void)
{
	struct rc root, user;
	struct au_answer a;
	char *good, want[300];
	int base, seen;

	t_need_root();
	t_lookup_user("daemon", &uid_daemon, &gid_daemon);
	T_ASSERT(t_ctid_start(&d, t_conf(4, NULL, NULL, GOOD_EXTRA)) == 0, "start");
	good = conf_text();
	base = count_lines(good);
	au_session(&root, d.sock, "root");
	au_session_as(&user, d.sock, uid_daemon, gid_daemon, "user", 0);
	T_ASSERT_EQ(rc_open_line(&user, 1, CTI_WIRE_PRIV_OWNER), 0);
	unchanged(&root, &user, 2);

	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		write_conf(good, broken[i].text);
		snprintf(want, sizeof(want), "%s:%d: ", d.conf, base + broken[i].line);
		seen = t_ctid_log_count(&d, want);
		T_EXPECT_EQ(au_reload(&root, &a), -EINVAL);
		T_EXPECT(!strncmp(a.note, want, strlen(want)),
			 "config %zu: note \"%s\", want \"%s...\"", i, a.note, want);
		/* SIGHUP says the same in the log: the error, then the refusal */
		T_ASSERT(kill(d.pid, SIGHUP) == 0, "SIGHUP");
		T_EXPECT(t_ctid_log_wait(&d, want, seen + 4, 5000) >= seen + 4,
			 "config %zu: %s not in the log", i, want);
		unchanged(&root, &user, 2);
	}
	T_EXPECT(t_ctid_log_count(&d, "refused, nothing changed") >= 40,
		 "refusals not logged");
	/* a good one is applied, to the connected session at once */
	{
		char *fixed = strdup(good);
		char *p = strstr(fixed, GOOD_EXTRA);

		T_ASSERT(p, "the user's section");
		memcpy(p, "[user daemon]\nlines = 2\n", strlen(GOOD_EXTRA));
		write_conf(fixed, "[user bin]\nlines = 3\n");
		free(fixed);
	}
	T_EXPECT_EQ(au_reload(&root, &a), 0);
	T_EXPECT_EQ(rc_open_line(&user, 2, CTI_WIRE_PRIV_OWNER), 0);
	T_EXPECT_EQ(rc_command_sync(&user, CTI_CMD_SET_DND, 1, 0, 0, 0, 0, NULL,
				    NULL), -ENOENT);
	T_EXPECT_EQ(au_list_accounts(&root, CTI_WIRE_ACCT_USER, &a), 0);
	T_EXPECT_EQ(a.nacct, 3u);
	free(good);
	rc_close(&user);
	rc_close(&root);
	if (t_failed())
		t_ctid_dump_log(&d);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);	/* a sanitized ctid: no leak */
}

/*
 * SERVER_RELOAD carries no path: ctid reads only the file it was started
 * with. A frame with a body (a path a client would like read) is refused
 * by the codec, and nothing is read.
 */
static void reload_reads_no_chosen_file(void)
{
	struct cti_wire_frame f;
	struct rc root;
	uint8_t buf[64];
	uint32_t len;
	const char *path = "/etc/shadow";
	int rc;

	T_ASSERT(t_ctid_start(&d, t_conf_default(2, NULL)) == 0, "start");
	rc_session(&root, d.sock, "root");
	memset(buf, 0, sizeof(buf));
	len = CTI_WIRE_HDR_SIZE + 1 + (uint32_t)strlen(path);
	memcpy(buf, &len, 4);
	buf[4] = CTI_WIRE_SERVER_RELOAD;
	buf[8] = 9;
	buf[16] = (uint8_t)strlen(path);
	memcpy(buf + 17, path, strlen(path));
	T_ASSERT_EQ(rc_send_raw(&root, buf, len), 0);
	rc = rc_wait_reply(&root, 9, &f, 3000);
	T_EXPECT_EQ(rc, -EBADMSG);
	T_EXPECT_EQ(f.hdr.type, (uint16_t)CTI_WIRE_ERROR);
	T_EXPECT_EQ(t_ctid_log_count(&d, "reload:"), 0);
	T_EXPECT_EQ(t_ctid_log_count(&d, "shadow"), 0);
	rc_close(&root);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE_TIMEOUT(broken_configs_refused, 120),
		T_CASE(reload_reads_no_chosen_file),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
