/* SPDX-License-Identifier: GPL-2.0 */
/* host timers: per-instance timer heaps on the loop (host/timers.c). */
#ifndef CTID_HOST_TIMERS_H
#define CTID_HOST_TIMERS_H

#include <stdint.h>

struct ctid;

struct provider;

int timers_init(struct provider *p);
void timers_exit(struct ctid *ctx, struct provider *p);
/* cti_host_api.timer_start/_cancel for instance @p */
int64_t timers_start(struct ctid *ctx, struct provider *p, uint64_t ms, uint64_t cookie);
int timers_cancel(struct ctid *ctx, struct provider *p, int64_t id);
/* Runs the timers already due, then arms the loop for the next ones. */
void timers_run_due(struct ctid *ctx);

#endif
