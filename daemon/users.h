/* SPDX-License-Identifier: GPL-2.0 */
/*
 * users: the remote users file (users.c), one user per line:
 *
 *	NAME:HASH[:FINGERPRINT,...]
 *
 * HASH is a crypt(5) hash (yescrypt, "$y$...", as `ctictl passwd` writes
 * it) or "*" for a user who logs in with a certificate only; each
 * FINGERPRINT is the SHA-256 of a client certificate in hex (colons
 * allowed), for tls_cert_user = fingerprint. Blank lines and lines that
 * begin with # are ignored.
 */
#ifndef CTID_USERS_H
#define CTID_USERS_H

#include <stddef.h>
#include <stdint.h>

#define USERS_NAME_MAX	32
#define USERS_HASH_MAX	256
#define USERS_MAX_FP	8

struct user_ent {
	char name[USERS_NAME_MAX];
	char hash[USERS_HASH_MAX];
	uint8_t fp[USERS_MAX_FP][32];
	unsigned int nfp;
};

struct users_db {
	struct user_ent *v;
	size_t n;
};

/*
 * Reads @path into @db (empty first). Refuses a file that others may
 * write, and says so. Returns 0 or -errno, with "path:line: why" in @err.
 */
int users_load(const char *path, struct users_db *db, char *err, size_t errlen);
void users_free(struct users_db *db);
const struct user_ent *users_find(const struct users_db *db, const char *name);
const struct user_ent *users_find_fp(const struct users_db *db, const uint8_t fp[32]);
/* "AB:CD:..." or "abcd..." into 32 bytes: 0 or -EINVAL. */
int users_parse_fp(const char *s, size_t len, uint8_t fp[32]);
/*
 * users_write.c: sets @name's hash (adds the user if new): 0 or -EINVAL
 * (a bad name or hash), -ENOMEM.
 */
int users_set_hash(struct users_db *db, const char *name, const char *hash);
/* Writes @db to @path atomically, mode 0600: 0 or -errno, why in @why. */
int users_save(const struct users_db *db, const char *path, char *why, size_t n);
/* A hash the file takes: "*" or a crypt(5) "$..." hash. 0 or -EINVAL. */
int users_check_hash(const char *h, size_t n);
/* Checks a NAME field: what [user NAME] accepts. */
int users_check_name(const char *s, size_t len);

#endif
