// SPDX-License-Identifier: GPL-2.0
/*
 * authz: the access rules (see authz.h). Each check is one AND of two
 * masks: the expensive part (NSS, matching line specs) was done when the
 * client said HELLO and when the line appeared.
 */
#include <errno.h>

#include "authz.h"
#include "ctid.h"

bool authz_may_see(const struct acl_principal *pr, const struct line *l)
{
	return l && acl_may_see(pr, l->own_mask, l->mon_mask);
}

bool authz_may_own(const struct acl_principal *pr, const struct line *l)
{
	return l && acl_may_own(pr, l->own_mask);
}

bool authz_is_admin(const struct acl_principal *pr)
{
	return pr->admin;
}

bool authz_may_see_any(const struct acl_principal *pr, uint64_t lines_union)
{
	return (pr->mask & lines_union) != 0;
}

/* Refused: EACCES if the principal sees the line, else ENOENT. */
static int refuse(const struct acl_principal *pr, const struct line *l)
{
	return authz_may_see(pr, l) && !l->removed ? -EACCES : -ENOENT;
}

int authz_reach(const struct acl_principal *pr, const struct line *l,
		uint32_t reach)
{
	switch (reach) {
	case CTI_REACH_SWITCH:
		return authz_is_admin(pr) ? 0 : -EACCES;
	case CTI_REACH_CALL:
		/* anyone who may call may ring any number, as on a phone */
		return l && !l->removed ? 0 : -ENOENT;
	case CTI_REACH_PICKUP:
		if (!l || l->removed)
			return -ENOENT;
		if (authz_may_own(pr, l) || (pr->mask & l->pickup_mask))
			return 0;
		return refuse(pr, l);
	case CTI_REACH_CONTROL:
		if (!l || l->removed)
			return -ENOENT;
		return authz_may_own(pr, l) ? 0 : refuse(pr, l);
	default:
		return -EINVAL;
	}
}
