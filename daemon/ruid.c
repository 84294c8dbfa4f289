// SPDX-License-Identifier: GPL-2.0
/*
 * ruid: remote users' uids (see ruid.h). The table only grows: a uid
 * keeps its name while sessions and the replay log may refer to it, and
 * it is bounded by RUID_MAX names, which only logins can add.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ruid.h"

int ruid_of(struct ruid_table *t, const char *name, uid_t *uid)
{
	for (uint32_t i = 0; i < t->n; i++)
		if (!strcmp(t->names[i], name)) {
			*uid = RUID_BASE + i;
			return 0;
		}
	if (t->n == RUID_MAX)
		return -ENOSPC;
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 16;
		void *p = realloc(t->names, cap * sizeof(*t->names));

		if (!p)
			return -ENOMEM;
		t->names = p;
		t->cap = cap;
	}
	snprintf(t->names[t->n], sizeof(t->names[0]), "%s", name);
	*uid = RUID_BASE + t->n++;
	return 0;
}

const char *ruid_name(const struct ruid_table *t, uid_t uid)
{
	if (!ruid_is_remote(uid) || uid - RUID_BASE >= t->n)
		return NULL;
	return t->names[uid - RUID_BASE];
}

void ruid_free(struct ruid_table *t)
{
	free(t->names);
	t->names = NULL;
	t->n = t->cap = 0;
}
