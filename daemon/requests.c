// SPDX-License-Identifier: GPL-2.0
/* requests: the table of requests at providers (requests.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctid.h"
#include "log.h"
#include "requests.h"

struct request *request_new(struct request_table *t, request_done_fn done)
{
	struct request *r;
	uint32_t slot;

	if (t->free_req) {
		slot = t->free_req - 1;
		t->free_req = t->reqs[slot].next_free;
	} else {
		if (t->nreqs == t->capreqs) {
			uint32_t ncap = t->capreqs ? t->capreqs * 2 : 256;
			struct request *n = realloc(t->reqs, ncap * sizeof(*n));

			if (!n)
				return NULL;
			t->reqs = n;
			t->capreqs = ncap;
		}
		slot = t->nreqs++;
	}
	r = &t->reqs[slot];
	memset(r, 0, sizeof(*r));
	r->in_use = true;
	r->done = done;
	/* a generation in the high bits: a late completion finds nothing */
	r->handle = (++t->gen << 32) | slot;
	return r;
}

static void request_free(struct request_table *t, struct request *r)
{
	uint32_t slot = (uint32_t)(r - t->reqs);

	r->in_use = false;
	r->next_free = t->free_req;
	t->free_req = slot + 1;
}

struct request *request_find(struct request_table *t, uint64_t handle)
{
	uint32_t slot = (uint32_t)handle;

	if (slot >= t->nreqs || !t->reqs[slot].in_use ||
	    t->reqs[slot].handle != handle)
		return NULL;
	return &t->reqs[slot];
}

void request_complete(struct request_table *t, uint64_t handle, int error,
		      uint32_t call)
{
	struct request *r = request_find(t, handle);

	if (!r)
		return;
	if (r->prov)
		r->prov->pending--;
	if (r->done)
		r->done(t->ctx, r, error, call);
	request_free(t, r);
}

void requests_complete_provider(struct request_table *t, struct provider *p,
				uint32_t line, int error)
{
	for (uint32_t i = 0; p->pending && i < t->nreqs; i++) {
		struct request *r = &t->reqs[i];

		if (!r->in_use || r->prov != p ||
		    (line != CTI_LINE_NONE && r->line != line))
			continue;
		if (line == CTI_LINE_NONE)
			log_warn(t->log, "provider %s left request %llx open; completing it with %s",
				 p->name, (unsigned long long)r->handle,
				 strerror(-error));
		request_complete(t, r->handle, error, 0);
	}
}

/*
 * A provider that never completes a request must not leave a client
 * waiting forever: after request_timeout the client gets ETIMEDOUT. A late
 * completion then finds no request and is logged (rate-limited).
 */
void requests_expire(struct request_table *t, uint64_t now, uint64_t limit_ns)
{
	for (uint32_t i = 0; i < t->nreqs; i++) {
		struct request *r = &t->reqs[i];

		if (r->in_use && now - r->started > limit_ns) {
			log_rl(t->log, LOG_LVL_WARN, "provider %s did not complete request %llx (command %u) in %llu s",
			       r->prov ? r->prov->name : "?",
			       (unsigned long long)r->handle, r->cmd,
			       (unsigned long long)(limit_ns / 1000000000ull));
			request_complete(t, r->handle, -ETIMEDOUT, 0);
		}
	}
}

void requests_forget_owner(struct request_table *t, const void *owner)
{
	for (uint32_t i = 0; i < t->nreqs; i++)
		if (t->reqs[i].in_use && t->reqs[i].owner == owner)
			t->reqs[i].owner = NULL;
}

void requests_free(struct request_table *t)
{
	free(t->reqs);
	memset(t, 0, sizeof(*t));
}
