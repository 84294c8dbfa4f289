// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_passwd.c - set a remote user's password in ctid's users file
 *
 *	ctictl passwd USER [FILE]
 *
 * Runs where the file is (the server), not through ctid: the password is
 * read from the terminal with echo off (twice), or as one line from
 * standard input when that is not a terminal, never from the command line.
 * The file gets the yescrypt hash (libxcrypt), is written whole to a
 * temporary file and renamed over the old one (never half-written), mode
 * 0600; the other users' lines and this user's certificate fingerprints
 * stay. ctid reads it on `ctictl reload-server` or SIGHUP.
 */
#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "common.h"
#include "passwd.h"

#define DEFAULT_USERS_FILE	"/etc/cti/users"

static int read_line(const char *prompt, bool tty, char *buf, size_t n)
{
	struct termios old, quiet;
	size_t len;
	bool ok;

	if (tty) {
		fputs(prompt, stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	ok = fgets(buf, (int)n, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!ok)
		return -EIO;
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	else if (len == n - 1)
		return -ENAMETOOLONG;
	return len ? 0 : -EINVAL;
}

int ctl_get_password(char *pw, size_t n)
{
	bool tty = isatty(STDIN_FILENO);
	char again[PASSWORD_MAX + 2];
	int ret = read_line("New password: ", tty, pw, n);

	if (ret == -ENAMETOOLONG)
		return ctl_usage("the password is longer than %d bytes", PASSWORD_MAX);
	if (ret)
		return ctl_usage("no password given (on the terminal, or one line on standard input)");
	if (!tty)
		return 0;
	ret = read_line("Again: ", tty, again, sizeof(again));
	ret = ret || strcmp(pw, again);
	explicit_bzero(again, sizeof(again));
	return ret ? ctl_usage("the two passwords differ") : 0;
}

int ctl_hash_password(const char *pw, char *out, size_t n)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	const char *h = NULL;

	if (cd && crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)))
		h = crypt_r(pw, salt, cd);
	if (h && h[0] != '*' && strlen(h) < n)
		strcpy(out, h);
	else
		h = NULL;
	if (cd)
		explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return h ? 0 : -EINVAL;
}

/* Copies @in to @out with USER's hash replaced (or added), fingerprints kept. */
static int rewrite(FILE *in, FILE *out, const char *user, const char *hash)
{
	size_t ulen = strlen(user);
	char line[1024];
	bool found = false;

	while (in && fgets(line, sizeof(line), in)) {
		const char *rest;

		if (strncmp(line, user, ulen) || line[ulen] != ':') {
			fputs(line, out);
			continue;
		}
		found = true;
		rest = strchr(line + ulen + 1, ':');	/* :fingerprints */
		fprintf(out, "%s:%s%s", user, hash, rest ? rest : "\n");
	}
	if (!found)
		fprintf(out, "%s:%s\n", user, hash);
	return ferror(out) || (in && ferror(in)) ? -EIO : 0;
}

static int write_file(const char *path, const char *user, const char *hash)
{
	char tmp[4200];
	FILE *in = fopen(path, "re"), *out;
	int fd, ret;

	if (!in && errno != ENOENT)
		return ctl_fail(-errno, "%s", path);
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);	/* mode 0600 */
	if (fd < 0) {
		ret = -errno;
		if (in)
			fclose(in);
		return ctl_fail(ret, "cannot create a file beside %s", path);
	}
	out = fdopen(fd, "w");
	ret = out ? rewrite(in, out, user, hash) : -errno;
	if (in)
		fclose(in);
	if (out && (fflush(out) || fsync(fd)))
		ret = -errno;
	if (out)
		fclose(out);
	else
		close(fd);
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return ctl_fail(ret, "cannot write %s", path);
	}
	return 0;
}

static int check_user(const char *u)
{
	size_t n = strlen(u);

	if (!n || n >= 32 || strspn(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.$") != n)
		return ctl_usage("bad user name '%s': letters, digits, _ - . $, at most 31", u);
	return 0;
}

int ctl_new_hash(char *hash, size_t n)
{
	char pw[PASSWORD_MAX + 2];
	int ret = ctl_get_password(pw, sizeof(pw));

	if (ret)
		return ret;
	ret = ctl_hash_password(pw, hash, n);
	explicit_bzero(pw, sizeof(pw));
	return ret ? ctl_fail(ret, "cannot hash the password (yescrypt)") : 0;
}

static int cmd_passwd(struct ctl *ctl, int argc, char **argv)
{
	const char *file = argc > 2 ? argv[2] :
			   getenv("CTI_USERS_FILE") ? getenv("CTI_USERS_FILE") : DEFAULT_USERS_FILE;
	char hash[256];
	int ret;

	ret = ctl_check_argc(argc, 1, 2, argv[0], "USER [FILE]");
	if (!ret)
		ret = check_user(argv[1]);
	if (!ret)
		ret = ctl_new_hash(hash, sizeof(hash));
	if (ret)
		return ret;
	ret = write_file(file, argv[1], hash);
	if (!ret && ctl->json) {
		struct json j;

		json_init(&j, stdout);
		json_begin(&j, NULL, '{');
		json_str(&j, "result", "ok");
		json_str(&j, "user", argv[1]);
		json_str(&j, "file", file);
		json_end(&j, '}');
		json_finish(&j);
	} else if (!ret) {
		fprintf(stderr, "%s: password of %s set; ctid applies it on `ctictl reload-server` or SIGHUP\n",
			file, argv[1]);
	}
	return ret;
}

const struct ctl_cmd ctl_passwd_cmds[] = {
	{ "passwd", "USER [FILE]", "set a remote user's password in ctid's users file", cmd_passwd },
	{ }
};
