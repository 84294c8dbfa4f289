/* SPDX-License-Identifier: GPL-2.0 */
/* linectl: requests that act on lines (linectl.c). Each returns 0 or a
 * negative errno for the REPLY; linectl_command returns 1 when the REPLY
 * comes later (the provider completes the request). */
#ifndef CTID_LINECTL_H
#define CTID_LINECTL_H

#include <stdint.h>

#include "wire.h"

struct ctid;

struct conn;
struct line;
struct session;

/* A line the session's user may see, or NULL (ENOENT). */
struct line *linectl_line(struct ctid *ctx, struct session *s, uint32_t id);
int linectl_open_line(struct ctid *ctx, struct session *s, uint32_t id, uint32_t priv);
int linectl_close_line(struct ctid *ctx, struct session *s, uint32_t id);
int linectl_command(struct ctid *ctx, struct conn *c, struct session *s,
		    const struct cti_wire_command *cmd, uint64_t id);
/*
 * Hands @cmd on @l (checked by the caller: rights, privilege, support) to
 * the provider as a request whose completion is the REPLY to @id of
 * @req_type. Returns 1 (answered now or later) or -EAGAIN, -ENOMEM.
 */
int linectl_submit(struct ctid *ctx, struct conn *c, struct session *s,
		   struct line *l, const struct cti_wire_command *cmd, uint64_t id,
		   uint16_t req_type);
int linectl_set_privilege(struct ctid *ctx, struct session *s,
			  const struct cti_wire_set_privilege *sp);
int linectl_handoff(struct ctid *ctx, struct session *s, const struct cti_wire_handoff *h);

#endif
