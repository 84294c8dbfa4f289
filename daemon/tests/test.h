/* SPDX-License-Identifier: GPL-2.0 */
/* A minimal harness for ctid's unit tests: TAP-like lines, then a total. */
#ifndef CTID_TEST_H
#define CTID_TEST_H

#include <stdio.h>

static int t_pass, t_fail;

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		t_pass++;						\
	} else {							\
		t_fail++;						\
		printf("not ok - %s:%d: ", __FILE__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

static inline int test_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, t_pass, t_fail);
	return t_fail ? 1 : 0;
}

#endif
