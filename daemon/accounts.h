/* SPDX-License-Identifier: GPL-2.0 */
/*
 * accounts: the [user NAME] and [group NAME] sections changed while ctid
 * runs (accounts.c), by the administration requests (admin_accounts.c).
 *
 * The sections in force are the configuration file's, with the state
 * file's laid over them: a section of the state replaces the file's of
 * the same kind and name, or adds one; a section marked "removed = yes"
 * takes the file's away. Every live change rewrites the touched section
 * in the state, so a reload or a restart keeps it.
 */
#ifndef CTID_ACCOUNTS_H
#define CTID_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* A set of sections: the ones in force, or the state's overlay. */
struct acct_set {
	struct cfg_acl v[CFG_MAX_ACL];
	size_t n;
};

/* Frees every section of @s (the set itself is the caller's). */
void acct_set_clear(struct acct_set *s);
/* A deep copy of @src into the empty @dst: 0 or -ENOMEM. */
int acct_set_copy(struct acct_set *dst, const struct cfg_acl *src, size_t n);
/* The section of that kind and name, or NULL. */
struct cfg_acl *acct_find(struct acct_set *s, bool is_group, const char *name);

/*
 * @ovl laid over @base (in place): 0, or -ENOSPC when the result has more
 * than CFG_MAX_ACL sections.
 */
int acct_overlay(struct acct_set *base, const struct acct_set *ovl);
/* Records @a (or its removal: @removed) in the overlay: 0 or -ENOMEM. */
int acct_overlay_put(struct acct_set *ovl, const struct cfg_acl *a,
		     bool is_group, const char *name, bool removed);

/* The edits. Each returns 0 or a negative errno, with why in @err. */
int acct_add(struct acct_set *s, bool is_group, const char *name, bool admin,
	     char *err, size_t errlen);
int acct_del(struct acct_set *s, bool is_group, const char *name,
	     char *err, size_t errlen);
/* GRANT (@grant true) or REVOKE of a CTI_WIRE_RIGHT_* with its @spec. */
int acct_change(struct acct_set *s, bool is_group, const char *name,
		unsigned int right, const char *spec, bool grant,
		char *err, size_t errlen);

/* A line list as text ("" for none), cut at @n. */
void acct_spec_text(const struct line_spec *spec, char *buf, size_t n);

#endif
