/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_check.h - the checks and the TAP runner of the providers' unit tests
 *
 * A failed CHECK prints where and why on stderr and marks the running test
 * as failed; the test goes on, so one run shows every broken check. Each
 * test program includes this once (it defines static state).
 */
#ifndef CTI_PROVIDERS_TEST_CHECK_H
#define CTI_PROVIDERS_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

/* Failed checks of the test that is running; test_run() resets it. */
static int checks_failed;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "  %s:%d: CHECK(%s)\n", __FILE__,	\
			__LINE__, #cond);				\
		checks_failed++;					\
	}								\
} while (0)

#define CHECK_INT(got, want) do {					\
	long long g_ = (got), w_ = (want);				\
	if (g_ != w_) {							\
		fprintf(stderr, "  %s:%d: %s is %lld, want %lld\n",	\
			__FILE__, __LINE__, #got, g_, w_);		\
		checks_failed++;					\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (strcmp(g_, w_)) {						\
		fprintf(stderr, "  %s:%d: %s\n    got  \"%s\"\n"	\
			"    want \"%s\"\n", __FILE__, __LINE__, #got,	\
			g_, w_);					\
		checks_failed++;					\
	}								\
} while (0)

struct test_case {
	const char *name;
	void (*fn)(void);
};

/*
 * test_run() - run @n tests, or only the one called @only if it is not
 * NULL, print a TAP line for each and the closing "N passed, N failed".
 * Returns the exit status: 0 when every test passed.
 */
static inline int test_run(const struct test_case *tests, size_t n,
			   const char *only)
{
	unsigned int passed = 0, failed = 0;
	size_t i;

	setvbuf(stdout, NULL, _IONBF, 0);	/* keep stderr in order */
	for (i = 0; i < n; i++) {
		if (only && strcmp(only, tests[i].name))
			continue;
		checks_failed = 0;
		tests[i].fn();
		printf("%s %zu - %s\n", checks_failed ? "not ok" : "ok", i + 1,
		       tests[i].name);
		if (checks_failed)
			failed++;
		else
			passed++;
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

#endif /* CTI_PROVIDERS_TEST_CHECK_H */
