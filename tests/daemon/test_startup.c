// SPDX-License-Identifier: GPL-2.0
/*
 * ctid's start-up as the one who starts it sees it: every failure prints
 * one message on stderr and exits non-zero (also when detaching), and the
 * socket path is only ever a stale socket to replace, never a file to
 * delete. Runs the build's ctid (t_ctid_path()) with the test provider
 * tp.so that tests/Makefile builds beside this suite, so that it needs
 * no sim.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

struct env {
	char ctid[4096];
	char dir[64];
	char conf[128];
	char sock[128];
	char err[128];
	char provider_dir[4096];	/* where tp.so is */
};

static void write_conf(struct env *e, const char *sock, const char *so)
{
	FILE *f = fopen(e->conf, "w");
	struct passwd *pw = getpwuid(getuid());

	fprintf(f, "[server]\nsocket = %s\nprovider_dir = %s\n"
		"[provider sim]\nso = %s\n"
		"[user %s]\nlines = *\n", sock, e->provider_dir, so,
		pw ? pw->pw_name : "root");
	fclose(f);
}

/* Runs ctid -c CONF [extra]; its stderr goes to e->err. */
static pid_t start(struct env *e, const char *extra)
{
	pid_t pid = fork();

	if (!pid) {
		int fd = open(e->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(fd, 2);
		execl(e->ctid, "ctid", "-c", e->conf, extra, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int run(struct env *e, const char *extra)
{
	int st;

	waitpid(start(e, extra), &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* The lines ctid printed on stderr that contain @what. */
static int err_lines(const struct env *e, const char *what)
{
	char line[1024];
	FILE *f = fopen(e->err, "r");
	int n = 0, all = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		all++;
		if (strstr(line, what))
			n++;
	}
	fclose(f);
	return all == 1 ? n : -all;	/* exactly one message */
}

static int bound_socket(const char *path, bool do_listen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    (do_listen && listen(fd, 1)))
		return -1;
	return fd;
}

static bool connects(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	bool ok;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ok = !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return ok;
}

static void regular_file_kept(struct env *e)
{
	char buf[16] = "";
	int fd, rc;

	fd = open(e->sock, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	T_EXPECT(write(fd, "precious", 8) == 8, "write");
	close(fd);
	write_conf(e, e->sock, "tp");
	rc = run(e, "--foreground");
	T_EXPECT(rc != 0, "ctid started on a regular file's path (rc %d)", rc);
	T_EXPECT(err_lines(e, "not a socket") == 1, "no precise message");
	fd = open(e->sock, O_RDONLY);
	T_EXPECT(fd >= 0 && read(fd, buf, sizeof(buf)) == 8 &&
	      !memcmp(buf, "precious", 8), "the file at the socket path was destroyed");
	close(fd);
	unlink(e->sock);
}

static void socket_taken(struct env *e)
{
	int fd = bound_socket(e->sock, true);
	int rc;

	write_conf(e, e->sock, "tp");
	rc = run(e, NULL);	/* detaching: the parent must still say why */
	T_EXPECT(rc != 0, "ctid started on a socket somebody listens on");
	T_EXPECT(err_lines(e, "listening there") == 1, "no precise message");
	T_EXPECT(connects(e->sock), "the live socket was replaced");
	close(fd);
	unlink(e->sock);
}

static void missing_provider(struct env *e)
{
	int rc;

	write_conf(e, e->sock, "no_such_provider");
	rc = run(e, NULL);
	T_EXPECT(rc != 0, "ctid started without its provider (rc %d)", rc);
	T_EXPECT(err_lines(e, "not found") == 1, "no precise message");
	T_EXPECT(access(e->sock, F_OK) && errno == ENOENT,
	      "a failed start left its socket");
}

/* ... unless the section says it may be missing */
static void optional_provider(struct env *e)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	FILE *f;
	pid_t pid;
	int st, i;

	write_conf(e, e->sock, "tp");
	f = fopen(e->conf, "a");
	fprintf(f, "[provider extra]\nso = no_such_provider\noptional = yes\n");
	fclose(f);
	pid = start(e, "--foreground");
	for (i = 0; i < 250 && !connects(e->sock); i++)
		nanosleep(&ts, NULL);
	T_EXPECT(i < 250, "ctid did not start without an optional provider");
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	T_EXPECT(WIFEXITED(st) && !WEXITSTATUS(st), "ctid did not stop cleanly");
}

static void stale_socket_replaced(struct env *e)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int fd = bound_socket(e->sock, false);
	pid_t pid;
	int st, i;

	close(fd);		/* a socket file nobody listens on */
	write_conf(e, e->sock, "tp");
	pid = start(e, "--foreground");
	for (i = 0; i < 250 && !connects(e->sock); i++)
		nanosleep(&ts, NULL);
	T_EXPECT(i < 250, "ctid did not replace a stale socket");
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	T_EXPECT(WIFEXITED(st) && !WEXITSTATUS(st), "ctid did not stop cleanly");
}

/* A directory of the case's own for the configuration and the socket. */
static void env_init(struct env *e)
{
	snprintf(e->ctid, sizeof(e->ctid), "%s", t_ctid_path());
	snprintf(e->provider_dir, sizeof(e->provider_dir), "%s",
		 TESTS_O "/tests/daemon");
	snprintf(e->dir, sizeof(e->dir), "/tmp/ctid-startup-XXXXXX");
	T_ASSERT(mkdtemp(e->dir), "mkdtemp");
	snprintf(e->conf, sizeof(e->conf), "%s/ctid.conf", e->dir);
	snprintf(e->sock, sizeof(e->sock), "%s/ctid.sock", e->dir);
	snprintf(e->err, sizeof(e->err), "%s/stderr", e->dir);
}

static void env_exit(struct env *e)
{
	unlink(e->conf);
	unlink(e->err);
	unlink(e->sock);
	rmdir(e->dir);
}

#define STARTUP_CASE(f)				\
static void case_##f(void)			\
{						\
	struct env e;				\
						\
	env_init(&e);				\
	f(&e);					\
	env_exit(&e);				\
}
STARTUP_CASE(regular_file_kept)
STARTUP_CASE(socket_taken)
STARTUP_CASE(missing_provider)
STARTUP_CASE(optional_provider)
STARTUP_CASE(stale_socket_replaced)

/*
 * Started again right after SIGKILL, with clients connected: the dead
 * ctid's socket still takes connections for some milliseconds (its
 * io_uring's files are released by a kernel worker after the reap), and
 * the new ctid used to exit with "another ctid is listening there" (found
 * by tests/soak, issue 13). It must wait for the old socket to go.
 */
static void case_restart_right_after_kill9(void)
{
	struct t_ctid d;
	int fd;

	T_ASSERT(t_ctid_start(&d, t_conf_default(2, NULL)) == 0, "start");
	for (int i = 0; i < 10; i++) {
		fd = t_unix_connect(d.sock);
		T_ASSERT(fd >= 0, "connect");
		t_sleep_ms(20);
		t_ctid_kill9(&d);
		T_ASSERT(t_ctid_restart(&d) == 0, "restart %d", i);
		close(fd);
		t_sleep_ms(300);
		T_ASSERT(t_ctid_alive(&d), "restart %d: ctid exited", i);
	}
	T_EXPECT_EQ(t_ctid_log_count(&d, "another ctid is listening"), 0);
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

static const struct t_case cases[] = {
	{ "regular_file_kept", case_regular_file_kept, 0 },
	{ "socket_taken", case_socket_taken, 0 },
	{ "missing_provider", case_missing_provider, 0 },
	{ "optional_provider", case_optional_provider, 0 },
	{ "stale_socket_replaced", case_stale_socket_replaced, 0 },
	{ "restart_right_after_kill9", case_restart_right_after_kill9, 0 },
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
