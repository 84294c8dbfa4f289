// SPDX-License-Identifier: GPL-2.0
/*
 * users_write: a password set through ctid (SET_PASSWORD): the users
 * file written again whole, atomically (state_write_atomic()), with every
 * user's certificate fingerprints kept. Comments in the file are not kept:
 * the file is ctid's once passwords are set through it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "users.h"

int users_set_hash(struct users_db *db, const char *name, const char *hash)
{
	struct user_ent *u = (struct user_ent *)users_find(db, name);
	struct user_ent *nv;

	if (users_check_name(name, strlen(name)) || strlen(hash) >= USERS_HASH_MAX)
		return -EINVAL;
	if (!u) {
		nv = realloc(db->v, (db->n + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		db->v = nv;
		u = &db->v[db->n++];
		memset(u, 0, sizeof(*u));
		snprintf(u->name, sizeof(u->name), "%s", name);
	}
	snprintf(u->hash, sizeof(u->hash), "%s", hash);
	return 0;
}

int users_save(const struct users_db *db, const char *path, char *why, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		return -ENOMEM;
	fputs("# ctid's users: NAME:HASH[:SHA256,...] (written by ctid)\n", f);
	for (size_t i = 0; i < db->n; i++) {
		const struct user_ent *u = &db->v[i];

		fprintf(f, "%s:%s", u->name, u->hash);
		for (unsigned int j = 0; j < u->nfp; j++) {
			fputc(j ? ',' : ':', f);
			for (unsigned int k = 0; k < 32; k++)
				fprintf(f, "%02x", u->fp[j][k]);
		}
		fputc('\n', f);
	}
	if (fclose(f)) {
		free(text);
		return -ENOMEM;
	}
	ret = state_write_atomic(path, text, len, why, n);
	free(text);
	return ret;
}
