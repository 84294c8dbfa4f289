/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2e_ctid.h - ctid with the kcard provider, started by a guest test, and
 * a libcti session on it (kcard_e2e.c).
 *
 * ctid and kcard.so are dynamic (ctid dlopens its providers): they come
 * with their shared libraries in the payload's e2e/ directory
 * (e2e-payload.sh), whose env.sh sets up the loader; the test itself is
 * static like every selftest.
 */
#ifndef CTI_E2E_CTID_H
#define CTI_E2E_CTID_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cti_test.h"
#include "cti.h"

struct e2e_ctid {
	pid_t pid;
	char dir[64];
	char conf[96];
	char log[96];
	char uri[104];
};

/* The payload's e2e/ directory: beside this binary. */
static inline const char *e2e_dir(void)
{
	static char dir[PATH_MAX];
	char *slash;
	ssize_t n;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 8);
	if (n <= 0)
		return strcpy(dir, "/cti/e2e");
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	strcpy(slash ? slash : dir, "/e2e");
	return dir;
}

/*
 * e2e_ctid_write() - write the configuration: kcard with @kcard_keys
 * ("key = value\n" lines, or "") and root allowed on every line, admin.
 */
static inline int e2e_ctid_write(struct e2e_ctid *d, const char *kcard_keys)
{
	FILE *f;

	snprintf(d->dir, sizeof(d->dir), "/tmp/e2e.XXXXXX");
	if (!mkdtemp(d->dir))
		return -errno;
	snprintf(d->conf, sizeof(d->conf), "%s/ctid.conf", d->dir);
	snprintf(d->log, sizeof(d->log), "%s/ctid.log", d->dir);
	snprintf(d->uri, sizeof(d->uri), "unix:%s/ctid.sock", d->dir);
	f = fopen(d->conf, "w");
	if (!f)
		return -errno;
	fprintf(f, "[server]\nsocket = %s/ctid.sock\nsocket_mode = 0600\n"
		"log_level = debug\n\n[provider kc]\nso = kcard\n%s\n"
		"[user root]\nlines = *\nadmin = yes\n", d->dir, kcard_keys);
	return fclose(f) ? -errno : 0;
}

/* e2e_ctid_spawn() - start ctid on the files of @d, not waiting. */
static inline int e2e_ctid_spawn(struct e2e_ctid *d)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "E2E=%s; . \"$E2E/env.sh\" && exec ctid -c %s --foreground >>%s 2>&1",
		 e2e_dir(), d->conf, d->log);
	d->pid = fork();
	if (d->pid < 0)
		return -errno;
	if (!d->pid) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return 0;
}

/* Print ctid's log, for a failure. */
static inline void e2e_ctid_dump(const struct e2e_ctid *d)
{
	char line[512];
	FILE *f = fopen(d->log, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "# ctid: %s", line);
	fclose(f);
}

/*
 * e2e_session() - open a session on @d's ctid, trying for up to @ms while
 * it starts. Return: 0 or the last errno of cti_session_open().
 */
static inline int e2e_session(struct e2e_ctid *d, int ms,
			      struct cti_session **sp)
{
	int64_t end = cti_now_ms() + ms;
	int ret;

	for (;;) {
		ret = cti_session_open(d->uri, NULL, sp);
		if (!ret || cti_now_ms() > end)
			return ret;
		usleep(50 * 1000);
	}
}

/* SIGKILL (@hard) or SIGTERM, and reap; the exit status or -1. */
static inline int e2e_ctid_stop(struct e2e_ctid *d, int hard)
{
	int status = -1;

	if (d->pid <= 0)
		return -1;
	kill(d->pid, hard ? SIGKILL : SIGTERM);
	if (waitpid(d->pid, &status, 0) != d->pid)
		status = -1;
	d->pid = 0;
	return status;
}

/* The line @card.line@n in @s, or NULL (after dispatching what came). */
static inline struct cti_line *e2e_line(struct cti_session *s,
					const char *card, unsigned int n)
{
	struct cti_line *l = NULL;
	char name[CTI_NAME_MAX + 16];

	cti_session_dispatch(s);
	snprintf(name, sizeof(name), "%s.line%u", card, n);
	if (cti_session_find_line(s, name, &l) || cti_line_is_removed(l))
		return NULL;
	return l;
}

#endif /* CTI_E2E_CTID_H */
