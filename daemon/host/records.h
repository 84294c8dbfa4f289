/* SPDX-License-Identifier: GPL-2.0 */
/*
 * records: a provider's event records, checked and turned into wire
 * events by one table (one row per record type: its size, whether it
 * needs a line, and its converter), so that adding a record type is one
 * row and one small function.
 */
#ifndef CTID_HOST_RECORDS_H
#define CTID_HOST_RECORDS_H

#include "cti_provider.h"

struct ctid;

struct provider;

/*
 * Checks @ev from provider @p, updates the registry's mirror and hands
 * the wire event to fan-out. Returns 0, -EINVAL (bad type, size or
 * field), -ENOENT (no such line), -ENOMEM.
 */
int records_post(struct ctid *ctx, struct provider *p, const struct cti_event *ev);

#endif
