/* SPDX-License-Identifier: GPL-2.0 */
/*
 * authz: every access rule of ctid in one place.
 *
 * A client acts with a principal (its user's ACL entries and admin flag,
 * acl.h); a line carries the masks of the entries that may own, monitor
 * and pick up on it. Each rule below is a pure function of the two, so
 * it can be tested alone and the callers (requests, fan-out, the host's
 * authorize()) cannot drift apart.
 *
 * Invisible means ENOENT: a line the principal may not see answers exactly
 * like a line that does not exist, so that probing reveals nothing.
 */
#ifndef CTID_AUTHZ_H
#define CTID_AUTHZ_H

#include <stdbool.h>
#include <stdint.h>

#include "acl.h"

struct line;

/*
 * The principal may see the line (a removed line's tombstone included: it
 * answers ENODEV to those who may see it).
 */
bool authz_may_see(const struct acl_principal *pr, const struct line *l);
/* ... and may open it as owner (act on it). */
bool authz_may_own(const struct acl_principal *pr, const struct line *l);
/* Provider, user and configuration administration. */
bool authz_is_admin(const struct acl_principal *pr);
/* Some line with ACL entries @lines_union is visible to the principal. */
bool authz_may_see_any(const struct acl_principal *pr, uint64_t lines_union);

/*
 * cti_host_api.authorize(): may a request of @pr affect line @l (NULL: not
 * present, or CTI_LINE_NONE for CTI_REACH_SWITCH) as @reach says?
 *   CALL     the line is present
 *   PICKUP   the right to own the line, or the line is in a pickup group
 *            of the principal ("pickup =")
 *   CONTROL  the right to own the line
 *   SWITCH   admins only
 * Returns 0, -ENOENT (no such line, or invisible and not allowed),
 * -EACCES (visible but not allowed; SWITCH for a non-admin) or -EINVAL
 * (unknown @reach).
 */
int authz_reach(const struct acl_principal *pr, const struct line *l,
		uint32_t reach);

#endif
