/* SPDX-License-Identifier: GPL-2.0 */
/* admin: provider administration frames (admin.c). */
#ifndef CTID_ADMIN_H
#define CTID_ADMIN_H

#include <stdint.h>

struct ctid;

struct conn;
struct session;

/* PROVIDER items and END for request @id (the caller checked the right). */
void admin_list_providers(struct ctid *ctx, struct conn *c, uint64_t id);
/* PROVIDER_LOAD, _UNLOAD or _RELOAD of @name: 0 or a negative errno. */
int admin_provider(struct ctid *ctx, struct session *s, uint16_t type, const char *name);

#endif
