/* SPDX-License-Identifier: GPL-2.0 */
/*
 * registry: stable line ids, the lines, the mirror of their calls
 * (lines.c). The registry sits below sessions and providers' host calls
 * into it; it tells what changed to one observer, the struct
 * registry_ops that run.c registers (fan-out, with the line-change
 * batching of announce.c), as struct cti_card_ops does in the kernel.
 */
#ifndef CTID_REGISTRY_H
#define CTID_REGISTRY_H

#include <stdbool.h>

#include "wire.h"

struct call;
struct line;
struct provider;

struct registry_ops {
	/* an event of line @l (and call @c, if it is about one) */
	void (*line_event)(struct line *l, const struct call *c,
			   const struct cti_wire_frame *f);
	/* an instance-wide event of provider @p */
	void (*provider_event)(struct provider *p, const struct cti_wire_frame *f);
	/* line @l was added or removed */
	void (*line_changed)(struct line *l, bool added);
	/* a provider operation that changes many lines begins or ends */
	void (*batch)(bool begin);
};

void registry_set_ops(const struct registry_ops *ops);
void registry_line_event(struct line *l, const struct call *c,
			 const struct cti_wire_frame *f);
void registry_provider_event(struct provider *p, const struct cti_wire_frame *f);
void registry_batch(bool begin);

#endif
