// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * stats.c - figures over repeats and the goal lines of the benchmarks
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void series_add(struct series *s, double v)
{
	if (s->n < SERIES_MAX)
		s->v[s->n++] = v;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void sorted(const struct series *s, double *out)
{
	memcpy(out, s->v, s->n * sizeof(*out));
	qsort(out, s->n, sizeof(*out), cmp);
}

double series_min(const struct series *s)
{
	double v[SERIES_MAX];

	if (!s->n)
		return 0;
	sorted(s, v);
	return v[0];
}

double series_max(const struct series *s)
{
	double v[SERIES_MAX];

	if (!s->n)
		return 0;
	sorted(s, v);
	return v[s->n - 1];
}

double series_med(const struct series *s)
{
	double v[SERIES_MAX];

	if (!s->n)
		return 0;
	sorted(s, v);
	return s->n % 2 ? v[s->n / 2] : (v[s->n / 2 - 1] + v[s->n / 2]) / 2;
}

const char *series_fmt(char *buf, size_t size, const struct series *s,
		       const char *fmt)
{
	char a[32], b[32], c[32];

	snprintf(a, sizeof(a), fmt, series_med(s));
	snprintf(b, sizeof(b), fmt, series_min(s));
	snprintf(c, sizeof(c), fmt, series_max(s));
	snprintf(buf, size, "%s (%s-%s)", a, b, c);
	return buf;
}

const char *series_rate(char *buf, size_t size, const struct series *s)
{
	double div = series_max(s) >= 1e6 ? 1e6 : 1e3;
	const char *u = div == 1e6 ? "M" : "k";
	int prec = div == 1e6 ? 2 : 1;

	snprintf(buf, size, "%.*f%s (%.*f-%.*f%s)", prec, series_med(s) / div,
		 u, prec, series_min(s) / div, prec, series_max(s) / div, u);
	return buf;
}

bool goal(const char *what, bool met, const char *detail)
{
	printf("goal: %s: %s (%s)\n", what, met ? "met" : "NOT MET", detail);
	return met;
}
