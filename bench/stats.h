/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stats.h - figures over repeats: min / median / max, and goal verdicts
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>

#define SERIES_MAX 16

struct series {
	double v[SERIES_MAX];
	size_t n;
};

void series_add(struct series *s, double v);
double series_min(const struct series *s);
double series_med(const struct series *s);
double series_max(const struct series *s);
/* "med (min-max)" with @fmt for each number, into @buf. */
const char *series_fmt(char *buf, size_t size, const struct series *s,
		       const char *fmt);
/* "med (min-max)" of rates, in k or M: "3.56M (1.82-4.58M)". */
const char *series_rate(char *buf, size_t size, const struct series *s);
/* Print "goal: @what: met" (or "not met"), with @detail; returns @met. */
bool goal(const char *what, bool met, const char *detail);

#endif /* BENCH_STATS_H */
