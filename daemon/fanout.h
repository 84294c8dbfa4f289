/* SPDX-License-Identifier: GPL-2.0 */
/* fanout: events to the sessions concerned, encoded once (fanout.c). */
#ifndef CTID_FANOUT_H
#define CTID_FANOUT_H

struct ctid;

struct call;
struct line;
struct provider;
struct cti_wire_frame;

/* To the sessions that have @l open (with their privilege on call @c). */
void fanout_line(struct ctid *ctx, struct line *l, const struct call *c,
		 const struct cti_wire_frame *f);
/* To the sessions that may see @l (or, @l NULL, some line of @p). */
void fanout_visible(struct ctid *ctx, const struct line *l, struct provider *p,
		    const struct cti_wire_frame *f);

#endif
