// SPDX-License-Identifier: GPL-2.0
/*
 * state: the state file (state.h). It is written whole on every change
 * (it holds at most CFG_MAX_ACL sections) and read with the configuration
 * file's own parser, so the two can never disagree on a section.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts.h"
#include "config.h"
#include "state.h"

struct first_error {
	char *buf;
	size_t n;
};

static void keep_first(void *arg, const char *msg)
{
	struct first_error *fe = arg;

	if (!fe->buf[0])
		snprintf(fe->buf, fe->n, "%s", msg);
}

int state_load(const char *path, struct acct_set *ovl, char *why, size_t n)
{
	struct first_error fe = { why, n };
	struct config *c;
	int ret;

	why[0] = '\0';
	ovl->n = 0;
	if (access(path, F_OK) && errno == ENOENT)
		return 0;
	c = config_load_state(path, keep_first, &fe);
	if (!c)
		return -EINVAL;
	ret = acct_set_copy(ovl, c->acls, c->nacls);
	config_free(c);
	if (ret)
		snprintf(why, n, "%s: out of memory", path);
	return ret;
}

static void write_section(FILE *f, const struct cfg_acl *a)
{
	char text[512];

	fprintf(f, "\n[%s %s]\n", a->is_group ? "group" : "user", a->name);
	if (a->removed) {
		fputs("removed = yes\n", f);
		return;
	}
	acct_spec_text(a->lines, text, sizeof(text));
	if (text[0])
		fprintf(f, "lines = %s\n", text);
	acct_spec_text(a->monitor, text, sizeof(text));
	if (text[0])
		fprintf(f, "monitor = %s\n", text);
	acct_spec_text(a->pickup, text, sizeof(text));
	if (text[0])
		fprintf(f, "pickup = %s\n", text);
	if (a->members && a->members[0])
		fprintf(f, "members = %s\n", a->members);
	fprintf(f, "admin = %s\n", a->admin ? "yes" : "no");
}

int state_save(const char *path, const struct acct_set *ovl, char *why, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f) {
		snprintf(why, n, "%s: out of memory", path);
		return -ENOMEM;
	}
	fputs("; ctid's state: users and groups changed while it ran, laid over\n"
	      "; the configuration file's sections. Written by ctid: do not edit\n"
	      "; while it runs (ctictl users, grant, revoke ... change it).\n", f);
	for (size_t i = 0; i < ovl->n; i++)
		write_section(f, &ovl->v[i]);
	if (fclose(f)) {
		free(text);
		snprintf(why, n, "%s: out of memory", path);
		return -ENOMEM;
	}
	ret = state_write_atomic(path, text, len, why, n);
	free(text);
	return ret;
}

static int fail(const char *what, const char *path, char *why, size_t n)
{
	int e = errno;

	snprintf(why, n, "%s %s: %s", what, path, strerror(e));
	return -e;
}

/* The rename is durable only once the directory entry is on disk. */
static int sync_dir(const char *path, char *why, size_t n)
{
	char copy[PATH_MAX];
	int fd, ret = 0;

	snprintf(copy, sizeof(copy), "%s", path);
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail("cannot open the directory of", path, why, n);
	if (fsync(fd))
		ret = fail("cannot sync the directory of", path, why, n);
	close(fd);
	return ret;
}

int state_write_atomic(const char *path, const char *text, size_t len,
		       char *why, size_t n)
{
	char tmp[PATH_MAX];
	size_t off = 0;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		snprintf(why, n, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return fail("cannot create", tmp, why, n);
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!w)
				errno = EIO;
			goto err;
		}
		off += (size_t)w;
	}
	if (fsync(fd))
		goto err;
	if (close(fd)) {
		fd = -1;
		goto err;
	}
	if (rename(tmp, path))
		return fail("cannot rename over", path, why, n);
	return sync_dir(path, why, n);
err:
	{
		int ret = fail("cannot write", tmp, why, n);

		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return ret;
	}
}
