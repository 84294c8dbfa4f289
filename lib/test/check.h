/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check.h - the few assertions the lib tests use
 *
 * Each CHECK prints "ok" or "not ok" with its line, so a failure names
 * itself; the test ends with "N passed, N failed" and exits non-zero if
 * anything failed (doc/CONVENTIONS.md).
 */
#ifndef CTI_TEST_CHECK_H
#define CTI_TEST_CHECK_H

#include <stdio.h>

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

#endif /* CTI_TEST_CHECK_H */
