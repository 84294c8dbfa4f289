/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check.h - the few assertions the lib tests use
 *
 * Each CHECK prints "not ok" with its line when it fails, so a failure
 * names itself; a test program is a table of cases run by checks_run(),
 * which runs one case alone when it is named on the command line and
 * ends with "N passed, N failed", exiting non-zero if anything failed
 * (doc/CONVENTIONS.md).
 */
#ifndef CTI_TEST_CHECK_H
#define CTI_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int checks_passed, checks_failed;

/* atomic: the session test checks from its fake server's thread too */
#define CHECK(cond, ...) do {						\
	if (cond) {							\
		__atomic_fetch_add(&checks_passed, 1, __ATOMIC_RELAXED);\
	} else {							\
		__atomic_fetch_add(&checks_failed, 1, __ATOMIC_RELAXED);\
		printf("not ok %s:%d: %s: ", __FILE__, __LINE__, #cond);\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

#define CHECK_EQ(a, b, what) do {					\
	long long _a = (long long)(a), _b = (long long)(b);		\
	CHECK(_a == _b, "%s: got %lld, want %lld", what, _a, _b);	\
} while (0)

static inline int checks_done(void)
{
	printf("%d passed, %d failed\n", checks_passed, checks_failed);
	return checks_failed ? 1 : 0;
}

/* A test case: it builds the state it needs, so that it runs alone. */
struct check_case {
	const char *name;
	void (*run)(void);
};

/*
 * Run the cases named in argv[1..] (all of them without arguments; "-l"
 * lists them), each announced by a "# name" line, and end with the
 * "N passed, N failed" line. A name that matches no case fails.
 */
static inline int checks_run(const struct check_case *cases, size_t n,
			     int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	for (int a = 1; a < argc; a++) {
		size_t i = 0;

		while (i < n && strcmp(argv[a], cases[i].name))
			i++;
		CHECK(i < n, "no test case %s", argv[a]);
	}
	for (size_t i = 0; i < n; i++) {
		int a = 1;

		while (a < argc && strcmp(argv[a], cases[i].name))
			a++;
		if (argc > 1 && a == argc)
			continue;
		printf("# %s\n", cases[i].name);
		cases[i].run();
	}
	return checks_done();
}

#endif /* CTI_TEST_CHECK_H */
