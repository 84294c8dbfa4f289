// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * harness: test runner, ctid process control, users and resources.
 * See harness.h for the contract.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef TESTS_O
#define TESTS_O "build"
#endif

bool t_ctid_verbose = true;

static const char *t_current;
static bool t_fail_flag;

/* Runner */

/* The optional message of harness.h: a format of " " means none. */
static void print_msg(const char *fmt, va_list ap)
{
	if (fmt[0] == ' ' && !fmt[1])
		return;
	printf(": ");
	vprintf(fmt[0] == ' ' ? fmt + 1 : fmt, ap);
}

void t_fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("#   %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	t_fail_flag = true;
}

void t_fail_cond(const char *file, int line, const char *cond,
		 const char *fmt, ...)
{
	va_list ap;

	printf("#   %s:%d: %s", file, line, cond);
	va_start(ap, fmt);
	print_msg(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	t_fail_flag = true;
}

void t_fail_eq(const char *file, int line, const char *a, const char *b,
	       long long va, long long vb, const char *fmt, ...)
{
	va_list ap;

	printf("#   %s:%d: %s == %s: %lld != %lld", file, line, a, b, va, vb);
	va_start(ap, fmt);
	print_msg(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	t_fail_flag = true;
}

void t_fail_str(const char *file, int line, const char *a, const char *va,
		const char *vb, const char *fmt, ...)
{
	va_list ap;

	printf("#   %s:%d: %s is \"%s\", want \"%s\"", file, line, a,
	       va ? va : "(null)", vb ? vb : "(null)");
	va_start(ap, fmt);
	print_msg(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	t_fail_flag = true;
}

void t_note(const char *fmt, ...)
{
	va_list ap;

	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void t_skip(const char *fmt, ...)
{
	va_list ap;

	printf("SKIP: %s: ", t_current ? t_current : "?");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(T_EXIT_SKIP);
}

void t_abort(void)
{
	fflush(stdout);
	exit(1);
}

bool t_failed(void)
{
	return t_fail_flag;
}

/*
 * The child's process group is its own, so that a timeout kills the test
 * and everything it started (its ctid, its forked clients) at once.
 */
static int run_case(const struct t_case *c)
{
	unsigned int timeout = c->timeout_s ? c->timeout_s : 30;
	int64_t deadline;
	int status;
	pid_t pid, r;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		t_current = c->name;
		if (c->fn)
			c->fn();
		else
			c->fn_arg(c->arg);
		fflush(stdout);
		exit(t_fail_flag ? 1 : 0);
	}
	setpgid(pid, pid);
	deadline = t_now_ms() + (int64_t)timeout * 1000;
	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			perror("waitpid");
			return 1;
		}
		if (t_now_ms() > deadline) {
			printf("#   timed out after %u s\n", timeout);
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 1;
		}
		t_sleep_ms(5);
	}
	/* Whatever the test left behind (a ctid it did not stop) goes too. */
	kill(-pid, SIGKILL);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	printf("#   killed by signal %d (%s)\n", WTERMSIG(status),
	       strsignal(WTERMSIG(status)));
	return 1;
}

int t_main(int argc, char **argv, const struct t_case *cases, size_t n)
{
	unsigned int passed = 0, failed = 0, skipped = 0;
	const char *filter = argc > 1 ? argv[1] : NULL;
	size_t i;

	if (filter && !strcmp(filter, "-l")) {
		for (i = 0; i < n; i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	/* A test's peer going away must be an EPIPE, not our death. */
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < n; i++) {
		int rc;

		if (filter && !strstr(cases[i].name, filter))
			continue;
		rc = run_case(&cases[i]);
		if (rc == 0) {
			printf("ok %s\n", cases[i].name);
			passed++;
		} else if (rc == T_EXIT_SKIP) {
			skipped++;
		} else {
			printf("FAIL %s\n", cases[i].name);
			failed++;
		}
	}
	if (skipped)
		printf("# %u skipped\n", skipped);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int t_free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

double t_percentile(double *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

/* Time */

uint64_t t_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int64_t t_now_ms(void)
{
	return (int64_t)(t_now_ns() / 1000000u);
}

void t_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Paths */

const char *t_ctid_path(void)
{
	const char *p = getenv("CTID");

	return p && *p ? p : TESTS_O "/daemon/ctid";
}

const char *t_provider_dir(void)
{
	const char *p = getenv("CTI_PROVIDER_DIR");

	return p && *p ? p : TESTS_O "/providers";
}

/* ctid */

const char *t_conf_default(unsigned int lines, const char *extra)
{
	return t_conf(lines, NULL, NULL, extra);
}

const char *t_conf(unsigned int lines, const char *server_keys,
		   const char *sim_keys, const char *extra)
{
	static char buf[8192];
	struct passwd *pw = getpwuid(getuid());

	/*
	 * The format is ctid's (daemon/ctid.conf.example). socket_mode 0666
	 * because tests connect as other uids: ctid authorises each client
	 * by SO_PEERCRED, so the file mode is not what is under test.
	 */
	snprintf(buf, sizeof(buf),
		 "[server]\n"
		 "socket = @SOCK@\n"
		 "socket_mode = 0666\n"
		 "provider_dir = @PROVIDERS@\n"
		 "state = @DIR@/ctid.state\n"
		 "audit = @DIR@/audit.log\n"
		 "%s"
		 "\n"
		 "[provider sim]\n"
		 "so = sim\n"
		 "lines = %u\n"
		 "%s"
		 "\n"
		 "[user %s]\n"
		 "lines = *\n"
		 "admin = yes\n"
		 "\n%s",
		 server_keys ? server_keys : "",
		 lines, sim_keys ? sim_keys : "", pw ? pw->pw_name : "root", extra ? extra : "");
	return buf;
}

static char *replace_all(const char *in, const char *key, const char *val)
{
	size_t klen = strlen(key), vlen = strlen(val), n = 0, len;
	const char *p;
	char *out, *o;

	for (p = in; (p = strstr(p, key)); p += klen)
		n++;
	len = strlen(in) + n * vlen + 1;
	out = malloc(len);
	if (!out)
		return NULL;
	for (o = out, p = in; *p;) {
		if (!strncmp(p, key, klen)) {
			memcpy(o, val, vlen);
			o += vlen;
			p += klen;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int spawn(struct t_ctid *d)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execl(t_ctid_path(), "ctid", "-c", d->conf, "--foreground",
		      t_ctid_verbose ? "-v" : (char *)NULL, (char *)NULL);
		fprintf(stderr, "exec %s: %s\n", t_ctid_path(), strerror(errno));
		_exit(127);
	}
	d->pid = pid;
	return 0;
}

/* Wait until a connect() succeeds: the daemon listens. */
static int wait_listening(struct t_ctid *d, unsigned int ms)
{
	int64_t deadline = t_now_ms() + ms;

	while (t_now_ms() < deadline) {
		int status, fd;

		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			printf("#   ctid exited early (status 0x%x)\n", status);
			d->pid = 0;
			return -1;
		}
		fd = t_unix_connect(d->sock);
		if (fd >= 0) {
			close(fd);
			/*
			 * Tests spawn clients under other uids: let them
			 * reach the socket; the daemon authorises each one
			 * by SO_PEERCRED, not by file mode.
			 */
			chmod(d->sock, 0666);
			return 0;
		}
		t_sleep_ms(10);
	}
	printf("#   ctid did not listen on %s within %u ms\n", d->sock, ms);
	return -1;
}

/* Replace the @KEY@ placeholders of harness.h and write the file. */
static int expand_conf(const struct t_ctid *d, const char *conf)
{
	char uid[16];
	const char *keys[][2] = {
		{ "@SOCK@", d->sock },
		{ "@DIR@", d->dir },
		{ "@PROVIDERS@", t_provider_dir() },
		{ "@UID@", uid },
	};
	char *text, *next;
	size_t i;
	int rc;

	snprintf(uid, sizeof(uid), "%u", (unsigned int)getuid());
	text = strdup(conf);
	for (i = 0; text && i < sizeof(keys) / sizeof(keys[0]); i++) {
		next = replace_all(text, keys[i][0], keys[i][1]);
		free(text);
		text = next;
	}
	if (!text)
		return -1;
	rc = write_file(d->conf, text);
	free(text);
	return rc;
}

int t_ctid_start(struct t_ctid *d, const char *conf)
{

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "/tmp/cti-test.XXXXXX");
	if (!mkdtemp(d->dir)) {
		perror("mkdtemp");
		return -1;
	}
	/* Other uids must reach the socket inside it. */
	chmod(d->dir, 0755);
	snprintf(d->sock, sizeof(d->sock), "%s/ctid.sock", d->dir);
	snprintf(d->conf, sizeof(d->conf), "%s/ctid.conf", d->dir);
	snprintf(d->log, sizeof(d->log), "%s/ctid.log", d->dir);
	snprintf(d->uri, sizeof(d->uri), "unix:%s", d->sock);
	if (expand_conf(d, conf) < 0) {
		perror("write config");
		return -1;
	}
	setenv("CTI_URI", d->uri, 1);
	return t_ctid_restart(d);
}

int t_ctid_restart(struct t_ctid *d)
{
	/* make -C tests builds ctid first: a missing one is a broken build. */
	if (access(t_ctid_path(), X_OK) < 0) {
		t_fail_at(__FILE__, __LINE__, "no ctid at %s", t_ctid_path());
		return -1;
	}
	if (spawn(d) < 0) {
		perror("fork");
		return -1;
	}
	if (wait_listening(d, 10000) < 0) {
		t_ctid_dump_log(d);
		return -1;
	}
	return 0;
}

bool t_ctid_alive(struct t_ctid *d)
{
	int status;

	if (d->pid <= 0)
		return false;
	if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
		d->pid = 0;
		return false;
	}
	return true;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int t_ctid_stop(struct t_ctid *d)
{
	int status = -1;
	int64_t deadline;

	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		deadline = t_now_ms() + 5000;
		while (waitpid(d->pid, &status, WNOHANG) != d->pid) {
			if (t_now_ms() > deadline) {
				printf("#   ctid ignored SIGTERM for 5 s\n");
				kill(d->pid, SIGKILL);
				waitpid(d->pid, &status, 0);
				status = -1;
				break;
			}
			t_sleep_ms(5);
		}
		d->pid = 0;
	}
	if (status != 0)
		t_ctid_dump_log(d);
	if (d->dir[0] && !getenv("CTI_TEST_KEEP"))
		nftw(d->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	return status;
}

void t_ctid_kill9(struct t_ctid *d)
{
	if (d->pid <= 0)
		return;
	kill(d->pid, SIGKILL);
	waitpid(d->pid, NULL, 0);
	d->pid = 0;
}

long t_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

long t_cpu_ms(pid_t pid)
{
	unsigned long utime, stime;
	char path[64], buf[1024], *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* fields 14 and 15, counted after the ')' that ends the name */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			 &utime, &stime) != 2)
		return -1;
	return (long)((utime + stime) * 1000 / (unsigned long)sysconf(_SC_CLK_TCK));
}

long t_ctid_rss_kb(const struct t_ctid *d)
{
	return d->pid > 0 ? t_rss_kb(d->pid) : -1;
}

void t_ctid_dump_log(const struct t_ctid *d)
{
	char line[512];
	int n = 0;
	FILE *f;

	f = fopen(d->log, "r");
	if (!f)
		return;
	printf("#   --- ctid log (%s) ---\n", d->log);
	while (fgets(line, sizeof(line), f) && n++ < 200)
		printf("#   | %s", line);
	fclose(f);
}

int t_ctid_log_count(const struct t_ctid *d, const char *needle)
{
	char line[1024];
	int n = 0;
	FILE *f;

	f = fopen(d->log, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, needle))
			n++;
	fclose(f);
	return n;
}

int t_ctid_log_wait(const struct t_ctid *d, const char *needle, int n, int ms)
{
	int64_t deadline = t_now_ms() + ms;
	int got;

	while ((got = t_ctid_log_count(d, needle)) < n && t_now_ms() < deadline)
		t_sleep_ms(20);
	return got;
}

int t_unix_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Users */

void t_need_root(void)
{
	if (geteuid() != 0)
		t_skip("needs root to run clients under other uids");
}

void t_lookup_user(const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam(name);

	if (!pw)
		t_skip("no user %s on this system", name);
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
}

int t_run_as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setgid(gid) < 0 ||
		    setuid(uid) < 0) {
			printf("#   cannot become %u:%u: %s\n", uid, gid,
			       strerror(errno));
			_exit(2);
		}
		status = fn(arg);
		fflush(stdout);
		/* A T_EXPECT that failed in the child fails it too. */
		_exit(status ? status : t_fail_flag ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	printf("#   client as uid %u died of signal %d\n", uid,
	       WTERMSIG(status));
	return 128 + WTERMSIG(status);
}

int t_sync_init(struct t_sync *s)
{
	s->in_child = false;
	if (pipe(s->to_child) < 0)
		return -1;
	if (pipe(s->to_parent) < 0) {
		close(s->to_child[0]);
		close(s->to_child[1]);
		return -1;
	}
	return 0;
}

void t_signal(struct t_sync *s)
{
	char c = 1;
	int fd = s->in_child ? s->to_parent[1] : s->to_child[1];

	if (write(fd, &c, 1) != 1)
		perror("t_signal");
}

bool t_await(struct t_sync *s, int ms)
{
	struct pollfd pfd = {
		.fd = s->in_child ? s->to_child[0] : s->to_parent[0],
		.events = POLLIN,
	};
	char c;

	if (poll(&pfd, 1, ms) != 1)
		return false;
	return read(pfd.fd, &c, 1) == 1;
}

pid_t t_spawn_as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg,
		 struct t_sync *sync)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid != 0)
		return pid;
	if (sync)
		sync->in_child = true;
	if (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0) {
		printf("#   cannot become %u:%u: %s\n", uid, gid,
		       strerror(errno));
		_exit(2);
	}
	status = fn(arg);
	fflush(stdout);
	_exit(status ? status : t_fail_flag ? 1 : 0);
}

int t_wait(pid_t pid)
{
	int status;

	if (pid <= 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	printf("#   child %d died of signal %d\n", (int)pid, WTERMSIG(status));
	return 128 + WTERMSIG(status);
}

unsigned long t_raise_nofile(unsigned long n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_max < n && geteuid() == 0)
		rl.rlim_max = n;
	rl.rlim_cur = n < rl.rlim_max ? n : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	return rl.rlim_cur;
}
