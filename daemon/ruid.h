/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ruid: the uids of remote users (ruid.c). A user logged in over TLS is a
 * name, not a local account; ctid gives each name a uid of its own,
 * RUID_BASE + n, for the life of the process, so that sessions, resumes
 * and per-user bounds work by uid as they do for local users. A local
 * peer with such a uid is refused (conn.c), so the two never mix.
 */
#ifndef CTID_RUID_H
#define CTID_RUID_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define RUID_BASE	0xF0000000u
#define RUID_MAX	65536u
#define RUID_NAME_MAX	32

struct ruid_table {
	char (*names)[RUID_NAME_MAX];	/* uid - RUID_BASE -> name */
	uint32_t n, cap;
};

/* The uid of @name, given now if it has none: 0, -ENOSPC or -ENOMEM. */
int ruid_of(struct ruid_table *t, const char *name, uid_t *uid);
/* The name of remote uid @uid, or NULL. */
const char *ruid_name(const struct ruid_table *t, uid_t uid);
void ruid_free(struct ruid_table *t);

static inline bool ruid_is_remote(uid_t uid)
{
	return uid >= RUID_BASE && uid != (uid_t)-1;
}

#endif
