// SPDX-License-Identifier: GPL-2.0
/*
 * The TLS listener's inputs, unit by unit: the users file (users.c), the
 * [server] TLS keys (config_tls.c) and remote uids (ruid.c). Every bad
 * input is refused with a message that names the file, the line and what
 * is wrong; ctid as a program over TLS is test_tls_server.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "harness.h"
#include "ruid.h"
#include "users.h"

#define FP_HEX	"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:" \
		"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"

static char path[64];

/* Writes @text to a fresh file of mode @mode; loads it into @db. */
static int load(const char *text, mode_t mode, struct users_db *db, char *err)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/cti-users.XXXXXX");
	fd = mkstemp(path);
	T_ASSERT(fd >= 0, "mkstemp");
	T_ASSERT(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "write");
	close(fd);
	chmod(path, mode);
	err[0] = '\0';
	fd = users_load(path, db, err, 300);
	unlink(path);
	return fd;
}

static void users_file_good(void)
{
	struct users_db db;
	char err[300];
	const struct user_ent *u;
	uint8_t fp[32];

	T_ASSERT_EQ(load("# remote users\n\nbob:$y$j9T$abc$def\ncarol:*:" FP_HEX "\n", 0600,
			 &db, err), 0);
	T_EXPECT_EQ(db.n, 2);
	u = users_find(&db, "bob");
	T_EXPECT(u && !strcmp(u->hash, "$y$j9T$abc$def") && !u->nfp, "bob");
	T_ASSERT_EQ(users_parse_fp(FP_HEX, strlen(FP_HEX), fp), 0);
	u = users_find_fp(&db, fp);
	T_EXPECT(u && !strcmp(u->name, "carol") && !strcmp(u->hash, "*"), "carol by fingerprint");
	T_EXPECT(!users_find(&db, "dave"), "no dave");
	users_free(&db);
}

static void users_file_errors(void)
{
	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{ "bob\n", ":1: want NAME:HASH" },
		{ "b o b:*\n", ":1: bad user name" },
		{ "a234567890123456789012345678901234:*\n", ":1: bad user name" },
		{ "bob:plaintext\n", ":1: bad hash" },
		{ "bob:\n", ":1: bad hash" },
		{ "# x\nbob:*\nbob:*\n", ":3: user given twice" },
		{ "bob:*:abcd\n", ":1: bad fingerprint" },
		{ "bob:*:" FP_HEX "00\n", ":1: bad fingerprint" },
	};
	struct users_db db;
	char err[300];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		T_EXPECT_EQ(load(bad[i].text, 0600, &db, err), -EINVAL);
		T_EXPECT(strstr(err, bad[i].want) && strstr(err, "/tmp/cti-users."),
			 "%s: want '%s', got '%s'", bad[i].text, bad[i].want, err);
		T_EXPECT_EQ(db.n, 0);
	}
}

/* A users file others may write is refused: it decides who logs in. */
static void users_file_mode(void)
{
	struct users_db db;
	char err[300];

	T_EXPECT_EQ(load("bob:*\n", 0666, &db, err), -EPERM);
	T_EXPECT(strstr(err, "others may write it"), "%s", err);
	T_EXPECT_EQ(load("bob:*\n", 0644, &db, err), 0);	/* readable: hashes only */
	users_free(&db);
	T_EXPECT_EQ(users_load("/nonexistent/users", &db, err, sizeof(err)), -ENOENT);
	T_EXPECT(strstr(err, "/nonexistent/users"), "%s", err);
}

static void listen_addresses(void)
{
	static const struct {
		const char *s;
		int ret;
		const char *host;
		unsigned int port;
	} v[] = {
		{ "127.0.0.1:4443", 0, "127.0.0.1", 4443 },
		{ "[::1]:1", 0, "::1", 1 },
		{ "*:65535", 0, "", 65535 },
		{ "pbx.example.org:4443", 0, "pbx.example.org", 4443 },
		{ "::1:4443", -EINVAL, NULL, 0 },	/* v6 wants brackets */
		{ "127.0.0.1", -EINVAL, NULL, 0 },
		{ ":4443", -EINVAL, NULL, 0 },
		{ "[::1]4443", -EINVAL, NULL, 0 },
		{ "h:0", -ERANGE, NULL, 0 },
		{ "h:65536", -ERANGE, NULL, 0 },
		{ "h:+1", -ERANGE, NULL, 0 },
		{ "h:44x", -ERANGE, NULL, 0 },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char host[64] = "";
		uint16_t port = 0;
		int ret = cfg_tls_split_addr(v[i].s, host, sizeof(host), &port);

		T_EXPECT(ret == v[i].ret, "%s: %d, want %d", v[i].s, ret, v[i].ret);
		if (!ret && !v[i].ret)
			T_EXPECT(!strcmp(host, v[i].host) && port == v[i].port,
				 "%s: %s %u", v[i].s, host, port);
	}
}

static void remote_uids(void)
{
	struct ruid_table t = { 0 };
	uid_t a, b, a2;
	char name[16];

	T_ASSERT_EQ(ruid_of(&t, "alice", &a), 0);
	T_ASSERT_EQ(ruid_of(&t, "bob", &b), 0);
	T_ASSERT_EQ(ruid_of(&t, "alice", &a2), 0);
	T_EXPECT(a == a2 && a != b && a >= RUID_BASE && b >= RUID_BASE, "stable, distinct");
	T_EXPECT(!strcmp(ruid_name(&t, b), "bob"), "name of bob's uid");
	T_EXPECT(!ruid_name(&t, 1000), "a local uid has no remote name");
	T_EXPECT(!ruid_name(&t, RUID_BASE + 99), "an unknown remote uid");
	T_EXPECT(!ruid_is_remote((uid_t)-1), "-1 is nobody's");
	/* many names: the table grows, uids stay */
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "u%d", i);
		T_ASSERT_EQ(ruid_of(&t, name, &a2), 0);
	}
	T_EXPECT(!strcmp(ruid_name(&t, a), "alice"), "alice after growth");
	ruid_free(&t);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(users_file_good),
		T_CASE(users_file_errors),
		T_CASE(users_file_mode),
		T_CASE(listen_addresses),
		T_CASE(remote_uids),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
