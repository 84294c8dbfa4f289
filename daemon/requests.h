/* SPDX-License-Identifier: GPL-2.0 */
/*
 * requests: commands handed to providers, by host handle.
 *
 * Each request carries its creator's completion callback, so that the
 * host (below) completes it without knowing who asked: every request id
 * completes exactly once, by the provider, the timeout or the unload.
 */
#ifndef CTID_REQUESTS_H
#define CTID_REQUESTS_H

#include <stdbool.h>
#include <stdint.h>

#include "acl.h"

struct provider;
struct request;

/* @error 0 or a negative errno; @call the new call of call-making commands */
typedef void (*request_done_fn)(struct ctid *ctx, struct request *r, int error,
				uint32_t call);

struct request {
	uint64_t handle;
	uint64_t client_id;
	void *owner;			/* the creator's; NULL once it is gone */
	request_done_fn done;
	struct acl_principal pr;	/* who asked: authorize() decides by it */
	struct provider *prov;
	uint32_t line;
	uint16_t cmd;
	uint16_t req_type;		/* the frame type its REPLY answers */
	bool in_use;
	uint32_t next_free;
	uint64_t started;		/* loop_now_ns() at submit */
};

struct log_state;

struct request_table {
	struct request *reqs;		/* by slot: the low 32 bits of a handle */
	uint32_t nreqs, capreqs, free_req;
	uint64_t gen;
	struct log_state *log;		/* the context's, set at start-up */
	struct ctid *ctx;		/* what the callbacks get */
};

struct request *request_new(struct request_table *t, request_done_fn done);
/* The request of @handle, NULL if it is unknown or completed. */
struct request *request_find(struct request_table *t, uint64_t handle);
/* Completes it: its callback runs, then it is freed. Unknown: nothing. */
void request_complete(struct request_table *t, uint64_t handle, int error,
		      uint32_t call);
/* Completes with @error the requests at @p (for line @line, or any: CTI_LINE_NONE). */
void requests_complete_provider(struct request_table *t, struct provider *p,
				uint32_t line, int error);
/* Completes with ETIMEDOUT those older than @limit_ns. */
void requests_expire(struct request_table *t, uint64_t now, uint64_t limit_ns);
/* The owner is gone: its requests complete with nobody to tell. */
void requests_forget_owner(struct request_table *t, const void *owner);
void requests_free(struct request_table *t);

#endif
