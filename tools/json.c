// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * json.c - ctictl's JSON writer over json-c
 *
 * Commands write a document item by item (json_begin, json_str, ...,
 * json_end); the items are built into a json-c tree and printed whole by
 * json_finish(), so quoting, escaping and commas are json-c's, not ours.
 * The tree is printed compact ("a":1,"b":"x") and one document per line,
 * which keeps `--json monitor` a stream of JSON lines.
 */
#include <stdlib.h>

/*
 * json-c calls its boolean type json_bool, the name of our writer's
 * function: here its type takes another name (it is an int either way).
 */
#define json_bool json_c_bool
#include <json-c/json.h>
#undef json_bool

#include "common.h"

void json_init(struct json *j, FILE *f)
{
	*j = (struct json){ .f = f };
}

/* Print the finished document, if any, and forget it. */
static void json_flush_root(struct json *j)
{
	const char *text;

	if (!j->root)
		return;
	text = json_object_to_json_string_ext(j->root,
					      JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text) {
		fputs("ctictl: out of memory\n", stderr);
		exit(EXIT_FAILURE);
	}
	fputs(text, j->f);
	fputc('\n', j->f);
	json_object_put(j->root);
	j->root = NULL;
}

/*
 * Place @obj: into the innermost open array or object (under @key, "" if
 * a caller gave none inside an object), or as the document itself. A
 * second top-level value ends the first document: both are printed, one
 * line each, rather than one lost.
 */
static void json_put(struct json *j, const char *key, struct json_object *obj)
{
	struct json_object *parent;

	if (!obj) {
		fputs("ctictl: out of memory\n", stderr);
		exit(EXIT_FAILURE);
	}
	if (!j->depth) {
		json_flush_root(j);
		j->root = obj;
		return;
	}
	parent = j->stack[j->depth - 1];
	if (json_object_is_type(parent, json_type_array))
		json_object_array_add(parent, obj);
	else
		json_object_object_add(parent, key ? key : "", obj);
}

void json_begin(struct json *j, const char *key, char open)
{
	struct json_object *obj = open == '[' ? json_object_new_array() :
				  json_object_new_object();

	json_put(j, key, obj);
	/* deeper than ctictl ever nests: items go to the deepest we keep */
	if (j->depth < JSON_MAX_DEPTH)
		j->stack[j->depth++] = obj;
}

void json_end(struct json *j, char close)
{
	(void)close;	/* the tree knows what it closes */
	if (j->depth > 0)
		j->depth--;
}

void json_str(struct json *j, const char *key, const char *val)
{
	json_put(j, key, json_object_new_string(val ? val : ""));
}

void json_uint(struct json *j, const char *key, uint64_t val)
{
	json_put(j, key, json_object_new_uint64(val));
}

void json_int(struct json *j, const char *key, int64_t val)
{
	json_put(j, key, json_object_new_int64(val));
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_put(j, key, json_object_new_boolean(val));
}

void json_finish(struct json *j)
{
	json_flush_root(j);
	fflush(j->f);
	json_init(j, j->f);
}
