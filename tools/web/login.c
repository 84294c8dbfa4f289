// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * login.c - a libcti session to ctid with a web user's own credentials
 *
 * libcti takes a tls:// password only from a file that its owner alone may
 * read, or from the environment (never the URI: cti.h). The environment is
 * the whole process's, shared by every login thread, so each login writes
 * its password to a fresh 0600 file in ctiweb's private 0700 directory,
 * opens the session, and removes the file at once. The session does not
 * reconnect by itself (CTI_SESSION_NO_RECONNECT), so the password is never
 * needed again: a console whose ctid went away says so and asks the user
 * to log in again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctiweb.h"

static const struct web_config *cfg;

void ctid_set_config(const struct web_config *c)
{
	cfg = c;
}

/* A user name goes into the URI: letters, digits and ._@- only. */
static bool user_ok(const char *user)
{
	size_t n = strlen(user);

	if (!n || n >= WEB_USER_MAX)
		return false;
	return strspn(user, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._@-") == n;
}

static int write_password(const char *password, char *path, size_t n)
{
	size_t len = strlen(password);
	int fd;

	snprintf(path, n, "%s/pw.XXXXXX", cfg->run_dir);
	fd = mkstemp(path);	/* 0600, O_EXCL */
	if (fd < 0)
		return -errno;
	if (write(fd, password, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return -EIO;
	}
	close(fd);
	return 0;
}

static void describe(int err, const char *user, char *msg, size_t msglen)
{
	const char *d = cti_session_error_detail();

	switch (err) {
	case -EACCES:
		snprintf(msg, msglen, "wrong user name or password");
		break;
	case -EAGAIN:
		snprintf(msg, msglen, "too many failed logins for %s: wait a minute", user);
		break;
	default:
		snprintf(msg, msglen, "cannot reach ctid: %s%s%s", strerror(-err),
			 d[0] ? ": " : "", d);
	}
}

int ctid_open(const char *user, const char *password, struct cti_session **out,
	      char *msg, size_t msglen)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.flags = CTI_SESSION_NO_RECONNECT,
		.timeout_ms = 10000,
		.client_name = "ctiweb",
	};
	char path[4096], *uri;
	int ret;

	if (!user_ok(user)) {
		snprintf(msg, msglen, "a user name is 1-31 of A-Z a-z 0-9 . _ @ -");
		return -EINVAL;
	}
	if (!password[0] || strlen(password) >= WEB_PASSWORD_MAX) {
		snprintf(msg, msglen, "a password is 1-%d bytes", WEB_PASSWORD_MAX - 1);
		return -EINVAL;
	}
	ret = write_password(password, path, sizeof(path));
	if (ret) {
		snprintf(msg, msglen, "cannot store the password: %s", strerror(-ret));
		return ret;
	}
	if (asprintf(&uri, "%s%cuser=%s&password_file=%s", cfg->ctid_uri,
		     strchr(cfg->ctid_uri, '?') ? '&' : '?', user, path) < 0) {
		unlink(path);
		return -ENOMEM;
	}
	ret = cti_session_open(uri, &o, out);
	unlink(path);
	free(uri);
	if (ret)
		describe(ret, user, msg, msglen);
	return ret;
}
