/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Line access control.
 *
 * Each [user NAME] or [group NAME] section of the configuration is one ACL
 * entry with an index 0..63. When a line appears, the entries are matched
 * against its id and name once, and the line keeps two u64 masks: entries
 * that may own it and entries that may monitor it. When a client connects,
 * its uid's name and groups give the u64 mask of the entries that apply to
 * it. Every later check on the hot path (each request, each event fanned
 * out to each client) is then one AND of two words, whatever the number of
 * lines, users or rules.
 */
#ifndef CTID_ACL_H
#define CTID_ACL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct config;

enum line_spec_kind {
	LSPEC_ALL,	/* "*" */
	LSPEC_RANGE,	/* "5" or "1-8": line ids */
	LSPEC_GLOB,	/* "sim/201", "sim/2?": line names, fnmatch(3) */
};

struct line_spec {
	struct line_spec *next;
	enum line_spec_kind kind;
	uint32_t lo, hi;
	char glob[];
};

/*
 * Parses "*, 1-8, 12, sim/2*" (items separated by commas or blanks).
 * Returns 0, or -1 with a message in @err.
 */
int line_spec_parse(const char *text, struct line_spec **out,
		    char *err, size_t errlen);
void line_spec_free(struct line_spec *spec);
bool line_spec_match(const struct line_spec *spec, uint32_t id,
		     const char *name);
void line_spec_print(const struct line_spec *spec, FILE *f);

/* What one client may do, from its user and groups. */
struct acl_principal {
	uid_t uid;
	uint64_t mask;		/* ACL entries that apply */
	bool admin;
	char name[32];
};

/* The masks a line gets when it is added. */
void acl_line_masks(const struct config *cfg, uint32_t id, const char *name,
		    uint64_t *own, uint64_t *mon);

/*
 * The entries whose "pickup" list names the line: they may pick up calls
 * ringing on it (a pickup group) without seeing or owning the line.
 */
uint64_t acl_line_pickup_mask(const struct config *cfg, uint32_t id,
			      const char *name);

/*
 * Computes the principal of a user from a name and its group names; kept
 * free of NSS calls so that it can be tested.
 */
void acl_principal_from_names(const struct config *cfg, const char *user,
			      const char *const *groups, size_t ngroups,
			      struct acl_principal *p);

/*
 * Resolves @uid through NSS (getpwuid_r, getgrouplist, getgrgid_r). These
 * calls may block (LDAP, sssd), so ctid makes them once per uid at accept
 * time and caches the result, never per request or per event.
 * Returns 0, -ENOENT for an unknown uid (it gets no rights), or another
 * negative errno when NSS itself failed: then the result is not to be
 * trusted or cached.
 */
int acl_principal_resolve(const struct config *cfg, uid_t uid,
			  struct acl_principal *p);

static inline bool acl_may_own(const struct acl_principal *p, uint64_t own)
{
	return (p->mask & own) != 0;
}

static inline bool acl_may_see(const struct acl_principal *p, uint64_t own,
			       uint64_t mon)
{
	return (p->mask & (own | mon)) != 0;
}

#endif
