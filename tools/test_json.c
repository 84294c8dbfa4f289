// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_json.c - ctictl's JSON writer (json.c): the exact text of nested
 * documents, escapes, the integer limits, several documents in a row and
 * nesting deeper than the writer keeps
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "harness.h"

/* The writer's output into a string: out() starts, text() ends. */
static char *buf;
static size_t len;

static FILE *out(void)
{
	FILE *f = open_memstream(&buf, &len);

	T_ASSERT(f, "open_memstream");
	return f;
}

static const char *text(FILE *f)
{
	fclose(f);
	return buf;
}

static void nested(void)
{
	FILE *f = out();
	struct json j;

	json_init(&j, f);
	json_begin(&j, NULL, '{');
	json_str(&j, "a", "x");
	json_begin(&j, "n", '[');
	json_uint(&j, NULL, 1);
	json_int(&j, NULL, -2);
	json_begin(&j, NULL, '{');
	json_bool(&j, "b", true);
	json_bool(&j, "c", false);
	json_end(&j, '}');
	json_begin(&j, NULL, '[');
	json_end(&j, ']');
	json_end(&j, ']');
	json_str(&j, "z", NULL);
	json_end(&j, '}');
	json_finish(&j);
	T_EXPECT_STR(text(f),
		     "{\"a\":\"x\",\"n\":[1,-2,{\"b\":true,\"c\":false},[]],"
		     "\"z\":\"\"}\n");
	free(buf);
}

/* RFC 8259 escapes; "/" and UTF-8 pass as they are. */
static void escapes(void)
{
	FILE *f = out();
	struct json j;

	json_init(&j, f);
	json_begin(&j, NULL, '{');
	json_str(&j, "k\"ey", "q\"b\\s\n\t\x01/\xc3\xa9");
	json_end(&j, '}');
	json_finish(&j);
	T_EXPECT_STR(text(f),
		     "{\"k\\\"ey\":\"q\\\"b\\\\s\\n\\t\\u0001/\xc3\xa9\"}\n");
	free(buf);
}

static void limits(void)
{
	FILE *f = out();
	struct json j;

	json_init(&j, f);
	json_begin(&j, NULL, '[');
	json_uint(&j, NULL, UINT64_MAX);
	json_int(&j, NULL, INT64_MIN);
	json_int(&j, NULL, INT64_MAX);
	json_end(&j, ']');
	json_finish(&j);
	T_EXPECT_STR(text(f), "[18446744073709551615,-9223372036854775808,"
			      "9223372036854775807]\n");
	free(buf);
}

/* json_finish() starts over: a monitor writes one document an event. */
static void documents(void)
{
	FILE *f = out();
	struct json j;
	int i;

	json_init(&j, f);
	for (i = 0; i < 3; i++) {
		json_begin(&j, NULL, '{');
		json_int(&j, "i", i);
		json_end(&j, '}');
		json_finish(&j);
	}
	/* two values at the top without a finish: both kept, a line each */
	json_str(&j, NULL, "a");
	json_str(&j, NULL, "b");
	json_finish(&j);
	json_finish(&j);	/* nothing left: prints nothing */
	T_EXPECT_STR(text(f), "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n\"a\"\n\"b\"\n");
	free(buf);
}

/* Past JSON_MAX_DEPTH the items go into the deepest array kept: the text
 * stays one valid document, nothing is written out of bounds. */
static void too_deep(void)
{
	FILE *f = out();
	struct json j;
	char want[128];
	int i, n = JSON_MAX_DEPTH + 4;

	json_init(&j, f);
	for (i = 0; i < n; i++)
		json_begin(&j, NULL, '[');
	json_uint(&j, NULL, 7);
	for (i = 0; i < n; i++)
		json_end(&j, ']');
	json_finish(&j);
	T_EXPECT_EQ(j.depth, 0);
	/* the 16 arrays kept, the 4 past them empty in the last, then 7 */
	memset(want, '[', JSON_MAX_DEPTH);
	strcpy(want + JSON_MAX_DEPTH, "[],[],[],[],7");
	i = (int)strlen(want);
	memset(want + i, ']', JSON_MAX_DEPTH);
	strcpy(want + i + JSON_MAX_DEPTH, "\n");
	T_EXPECT_STR(text(f), want);
	free(buf);
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(nested),
		T_CASE(escapes),
		T_CASE(limits),
		T_CASE(documents),
		T_CASE(too_deep),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
