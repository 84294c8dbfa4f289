/* SPDX-License-Identifier: GPL-2.0 */
/* host API: the functions a provider calls (host/api.c). */
#ifndef CTID_HOST_API_H
#define CTID_HOST_API_H

#include "cti_provider.h"

struct ctid;

struct line;
struct provider;

const struct cti_host_api *host_api_table(void);
/* Ends what the provider left on a line that goes away (requests, calls). */
void host_end_line(struct ctid *ctx, struct provider *p, struct line *l, int error);

#endif
