/* SPDX-License-Identifier: GPL-2.0 */
/* dispatch: one handler per client frame type (dispatch.c). */
#ifndef CTID_DISPATCH_H
#define CTID_DISPATCH_H

#include <stdbool.h>
#include <stdint.h>

struct ctid;

struct conn;

/* conn_ops.frame: one complete frame; false: read nothing more. */
bool dispatch_frame(struct ctid *ctx, struct conn *c, const uint8_t *buf, uint32_t len);

#endif
