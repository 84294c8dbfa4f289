// SPDX-License-Identifier: GPL-2.0
/*
 * users: the remote users file. It is read at start-up and on every
 * reload (SIGHUP, SERVER_RELOAD), on the loop thread: it is a small local
 * file. A file with errors changes nothing: the caller keeps the users it
 * had, so a typo never locks everyone out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "users.h"

int users_check_name(const char *s, size_t len)
{
	if (!len || len >= USERS_NAME_MAX)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '$'))
			return -EINVAL;
	}
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int users_parse_fp(const char *s, size_t len, uint8_t fp[32])
{
	unsigned int n = 0;

	for (size_t i = 0; i < len;) {
		int hi, lo;

		if (s[i] == ':') {
			i++;
			continue;
		}
		if (i + 1 >= len || n == 32)
			return -EINVAL;
		hi = hexval(s[i]);
		lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		fp[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return n == 32 ? 0 : -EINVAL;
}

/* A hash crypt(3) can check, or "*" (no password). */
int users_check_hash(const char *h, size_t n)
{
	if (n == 1 && h[0] == '*')
		return 0;
	if (!n || n >= USERS_HASH_MAX || h[0] != '$')
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (h[i] <= ' ' || h[i] > '~')
			return -EINVAL;
	return 0;
}

static int parse_fps(struct user_ent *u, const char *s)
{
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);

		if (u->nfp == USERS_MAX_FP || users_parse_fp(s, len, u->fp[u->nfp]))
			return -EINVAL;
		u->nfp++;
		s += len + (comma ? 1 : 0);
	}
	return 0;
}

static const char *parse_line(char *line, struct user_ent *u, const struct users_db *db)
{
	char *c1 = strchr(line, ':'), *c2;

	if (!c1)
		return "want NAME:HASH[:FINGERPRINT,...]";
	c2 = strchr(c1 + 1, ':');
	if (users_check_name(line, (size_t)(c1 - line)))
		return "bad user name (letters, digits, _ - . $; at most 31)";
	memcpy(u->name, line, (size_t)(c1 - line));
	if (users_find(db, u->name))
		return "user given twice";
	if (users_check_hash(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1)))
		return "bad hash (want a crypt(5) hash such as $y$..., or *)";
	memcpy(u->hash, c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1));
	if (c2 && parse_fps(u, c2 + 1))
		return "bad fingerprint (want SHA-256 in hex, at most 8, separated by commas)";
	return NULL;
}

static int add_line(struct users_db *db, char *line)
{
	struct user_ent u = { 0 };
	struct user_ent *nv;
	const char *why = parse_line(line, &u, db);

	if (why) {
		snprintf(line, 128, "%s", why);
		return -EINVAL;
	}
	nv = realloc(db->v, (db->n + 1) * sizeof(*nv));
	if (!nv) {
		snprintf(line, 128, "out of memory");
		return -ENOMEM;
	}
	db->v = nv;
	db->v[db->n++] = u;
	return 0;
}

static int check_file(FILE *f, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fileno(f), &st))
		return -errno;
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return -EINVAL;
	}
	if (st.st_mode & 022) {
		snprintf(err, errlen, "%s: others may write it (mode %04o): refusing it (chmod 600)",
			 path, (unsigned int)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

int users_load(const char *path, struct users_db *db, char *err, size_t errlen)
{
	char line[1024];
	int lineno = 0, ret;
	FILE *f = fopen(path, "re");

	memset(db, 0, sizeof(*db));
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	ret = check_file(f, path, err, errlen);
	while (!ret && fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);

		lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (!feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			ret = -EINVAL;
			break;
		}
		if (!n || line[0] == '#')
			continue;
		ret = add_line(db, line);
		if (ret)
			snprintf(err, errlen, "%s:%d: %s", path, lineno, line);
	}
	fclose(f);
	if (ret)
		users_free(db);
	return ret;
}

void users_free(struct users_db *db)
{
	if (db->v)
		explicit_bzero(db->v, db->n * sizeof(*db->v));
	free(db->v);
	db->v = NULL;
	db->n = 0;
}

const struct user_ent *users_find(const struct users_db *db, const char *name)
{
	for (size_t i = 0; i < db->n; i++)
		if (!strcmp(db->v[i].name, name))
			return &db->v[i];
	return NULL;
}

const struct user_ent *users_find_fp(const struct users_db *db, const uint8_t fp[32])
{
	for (size_t i = 0; i < db->n; i++)
		for (unsigned int j = 0; j < db->v[i].nfp; j++)
			if (!memcmp(db->v[i].fp[j], fp, 32))
				return &db->v[i];
	return NULL;
}
