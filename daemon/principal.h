/* SPDX-License-Identifier: GPL-2.0 */
/* principal: a uid's rights, resolved once per PCACHE_TTL_NS (principal.c). */
#ifndef CTID_PRINCIPAL_H
#define CTID_PRINCIPAL_H

#include <stdint.h>
#include <sys/types.h>

#include "acl.h"

struct ctid;

/* Principals by uid: resolved once (NSS may block), then reused. */
struct pcache {
	struct pcache *next;
	struct acl_principal pr;
	uint64_t resolved_at;
};

/* The principal of @uid; NULL if NSS failed (try again later). */
const struct acl_principal *principal_get(struct ctid *ctx, uid_t uid);
/* Forgets every principal (the access rules changed, or ctid stops). */
void principal_cache_flush(struct ctid *ctx);

#endif
