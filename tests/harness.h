/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * harness: the common part of the userspace integration suites.
 *
 * A suite is a list of test functions run by t_main(). Every test runs in a
 * forked child with an alarm, so that a crash, a hang or a leak report in
 * one test fails that test only and the others still run. A test reports
 * through the T_* macros; it passes when it returns, fails on the first
 * T_ASSERT that does not hold (or at the end if a T_EXPECT did not), and is
 * skipped with t_skip(), which prints one "SKIP:" line (doc/CONVENTIONS.md).
 * The suite ends with the line "N passed, N failed" and exits non-zero if
 * anything failed.
 *
 * The ctid helpers start a daemon of our own on a socket in a fresh
 * temporary directory with a configuration written for the test, so tests
 * never touch a system ctid and may run in parallel.
 */
#ifndef CTI_TESTS_HARNESS_H
#define CTI_TESTS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

/* Exit status of a skipped test child (the automake convention). */
#define T_EXIT_SKIP	77

/*
 * A case is fn(), or fn_arg(arg) when fn is NULL: one function serving
 * many cases made at run time (one per scenario of a data file).
 */
struct t_case {
	const char *name;
	void (*fn)(void);
	unsigned int timeout_s;	/* 0: the default of 30 s */
	void (*fn_arg)(size_t arg);
	size_t arg;
};

#define T_CASE(f)		{ #f, f, 0 }
#define T_CASE_TIMEOUT(f, s)	{ #f, f, s }

/*
 * Run the cases whose name contains argv[1] (all of them without an
 * argument; "-l" lists their names instead) and return the process exit
 * status.
 */
int t_main(int argc, char **argv, const struct t_case *cases, size_t n);

void t_fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void t_fail_cond(const char *file, int line, const char *cond,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void t_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "SKIP: <test>: <why>" and end the test as skipped. */
void t_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* End the running test now, failed, after the message. */
void t_abort(void) __attribute__((noreturn));
/* True once a T_EXPECT has failed in this test. */
bool t_failed(void);

/*
 * The message of a T_EXPECT/T_ASSERT is optional: a string-literal format
 * and its arguments, printed after the failed condition (or the two values
 * of the _EQ forms). " " __VA_ARGS__ turns "no message" into the format
 * " ", which t_fail_*() do not print.
 */
#define T_EXPECT(cond, ...) do {					\
	if (!(cond))							\
		t_fail_cond(__FILE__, __LINE__, #cond, " " __VA_ARGS__);\
} while (0)

#define T_ASSERT(cond, ...) do {					\
	if (!(cond)) {							\
		t_fail_cond(__FILE__, __LINE__, #cond, " " __VA_ARGS__);\
		t_abort();						\
	}								\
} while (0)

void t_fail_eq(const char *file, int line, const char *a, const char *b,
	       long long va, long long vb, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void t_fail_str(const char *file, int line, const char *a, const char *va,
		const char *vb, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#define T_EXPECT_EQ(a, b, ...) do {					\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b)							\
		t_fail_eq(__FILE__, __LINE__, #a, #b, _a, _b,		\
			  " " __VA_ARGS__);				\
} while (0)

#define T_ASSERT_EQ(a, b, ...) do {					\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) {							\
		t_fail_eq(__FILE__, __LINE__, #a, #b, _a, _b,		\
			  " " __VA_ARGS__);				\
		t_abort();						\
	}								\
} while (0)

/* Strings equal (NULL only equals NULL); got and want printed if not. */
#define T_EXPECT_STR(got, want, ...) do {				\
	const char *_g = (got), *_w = (want);				\
	if (_g != _w && (!_g || !_w || strcmp(_g, _w)))			\
		t_fail_str(__FILE__, __LINE__, #got, _g, _w,		\
			   " " __VA_ARGS__);				\
} while (0)

/* Milliseconds of CLOCK_MONOTONIC. */
int64_t t_now_ms(void);
/* Nanoseconds of CLOCK_MONOTONIC. */
uint64_t t_now_ns(void);
void t_sleep_ms(unsigned int ms);

/*
 * Where the pieces under test live. The defaults come from the build
 * (TESTS_O, the build directory the Makefile compiled us for); CTID,
 * CTI_PROVIDER_DIR override them.
 */
const char *t_ctid_path(void);
const char *t_provider_dir(void);

/* Whether t_ctid_start() passes -v (debug log); benchmarks turn it off. */
extern bool t_ctid_verbose;

/* A ctid of the test's own. */
struct t_ctid {
	pid_t pid;
	char dir[128];		/* temporary directory, removed at stop */
	char sock[192];		/* the unix socket */
	char conf[192];		/* the configuration file */
	char log[192];		/* its stderr */
	char uri[200];		/* "unix:" sock */
};

/*
 * The configuration every test starts from: the sim provider with @lines
 * lines, the current user allowed on all of them and admin. Expands to
 * text for t_ctid_start(); @extra is appended verbatim (more sections).
 * The result is static and valid until the next call.
 */
const char *t_conf_default(unsigned int lines, const char *extra);
/*
 * The same with @server_keys and @sim_keys ("key = value\n" lines, or
 * NULL) added to [server] and [provider sim].
 */
const char *t_conf(unsigned int lines, const char *server_keys,
		   const char *sim_keys, const char *extra);

/*
 * A loopback TCP port nobody listens on now (the kernel's pick), for a
 * ctid's tls_listen; -1 if there is none.
 */
int t_free_port(void);

/* The @p-th percentile (0..100) of @v (sorted in place); 0 if @n is 0. */
double t_percentile(double *v, size_t n, double p);

/*
 * Create the directory, write @conf with "@SOCK@", "@DIR@", "@PROVIDERS@"
 * and "@UID@" replaced by the socket, the directory, t_provider_dir() and
 * the current uid, start ctid --foreground on it and wait
 * until the socket accepts connections. Returns 0, or -1 after printing
 * why (and the daemon's log). Sets CTI_URI in the environment.
 */
int t_ctid_start(struct t_ctid *d, const char *conf);
/* Start again on the same files (after t_ctid_kill9() or a crash). */
int t_ctid_restart(struct t_ctid *d);
/*
 * SIGTERM, wait up to 5 s for a clean exit (SIGKILL after that). Returns
 * the exit status as waitpid gives it, or -1. Removes the directory.
 */
int t_ctid_stop(struct t_ctid *d);
/* SIGKILL and reap; the directory stays for a restart. */
void t_ctid_kill9(struct t_ctid *d);
/* True while the daemon runs. */
bool t_ctid_alive(struct t_ctid *d);
/* VmRSS of the daemon in KiB, or -1. */
long t_ctid_rss_kb(const struct t_ctid *d);
/* Print the daemon's log to stdout (on failure). */
void t_ctid_dump_log(const struct t_ctid *d);
/* Count lines of the daemon's log that contain @needle. */
int t_ctid_log_count(const struct t_ctid *d, const char *needle);
/* Wait up to @ms for @n such lines (the log may be buffered); the count. */
int t_ctid_log_wait(const struct t_ctid *d, const char *needle, int n, int ms);

/* VmRSS in KiB of any process, or -1. */
long t_rss_kb(pid_t pid);
/*
 * CPU time (user + system) in ms that process @pid has used, or -1: what
 * a cost bound in a test should measure, since wall time grows with
 * whatever else the machine runs.
 */
long t_cpu_ms(pid_t pid);

/*
 * Connect a plain unix stream socket to @path, non-blocking off; -1 with
 * errno on failure.
 */
int t_unix_connect(const char *path);

/*
 * Run @fn(@arg) in a forked child under @uid/@gid (supplementary groups
 * cleared) and return its exit status: 0 when it passed. Call only as root:
 * t_need_root() skips the test otherwise. The child's T_* failures print as
 * usual; the parent must check the returned status.
 */
int t_run_as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg);
void t_need_root(void);
/* The uid and primary gid of user @name; skips the test if there is none. */
void t_lookup_user(const char *name, uid_t *uid, gid_t *gid);

/*
 * The same without waiting: returns the child's pid (or -1); collect its
 * status with t_wait(). With @sync non-NULL, two pipes let the parent and
 * the child take turns: t_signal() on one side wakes t_await() on the other.
 */
struct t_sync {
	int to_child[2];
	int to_parent[2];
	bool in_child;
};
int t_sync_init(struct t_sync *s);
pid_t t_spawn_as(uid_t uid, gid_t gid, int (*fn)(void *), void *arg,
		 struct t_sync *sync);
int t_wait(pid_t pid);
void t_signal(struct t_sync *s);
/* Wait up to @ms for the other side's t_signal(); false on timeout. */
bool t_await(struct t_sync *s, int ms);

/* Raise RLIMIT_NOFILE to @n (or as far as allowed); returns the limit. */
unsigned long t_raise_nofile(unsigned long n);

#endif /* CTI_TESTS_HARNESS_H */
