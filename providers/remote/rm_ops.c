// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ops table of the remote provider, and the requests it has at the
 * server. A program's command keeps its line (the server's id), calls and
 * arguments; it is refused at once with -ENOTCONN while the link is not
 * up (it never left the desktop: safe to retry), and fails with
 * -ECONNRESET if the link breaks before the server answered (it may or
 * may not have taken effect, as libcti says for a session of its own).
 *
 * Rights: the desktop's ctid has checked the line a request names with
 * the desktop's rules; the server checks everything again with the rights
 * of our server-side user. What the request's data reaches (a number of
 * another mirrored line, a pickup target) is vetted here with the desktop
 * user's rights through authorize() before it leaves the desktop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remote.h"

int rm_grow(void *v, uint32_t n, uint32_t *cap, size_t size, uint32_t first)
{
	void **pv = v, *nv;
	uint32_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? 2 * *cap : first;
	nv = realloc(*pv, (size_t)ncap * size);
	if (!nv)
		return -ENOMEM;
	*pv = nv;
	*cap = ncap;
	return 0;
}

struct rm_req *rm_req_add(struct remote *rm, enum rm_req_kind kind,
			  uint64_t handle, uint32_t line)
{
	struct rm_req *r;

	if (rm_grow(&rm->reqs, rm->nreqs, &rm->capreqs, sizeof(*r), 32))
		return NULL;
	r = &rm->reqs[rm->nreqs++];
	memset(r, 0, sizeof(*r));
	r->id = ++rm->next_id;
	r->kind = kind;
	r->handle = handle;
	r->line = line;
	return r;
}

struct rm_req *rm_req_find(struct remote *rm, uint64_t id)
{
	for (uint32_t i = 0; i < rm->nreqs; i++)
		if (rm->reqs[i].id == id)
			return &rm->reqs[i];
	return NULL;
}

void rm_req_del(struct remote *rm, struct rm_req *r)
{
	*r = rm->reqs[--rm->nreqs];
}

/*
 * Fail the commands of @line (CTI_LINE_NONE: all requests, ours too, as
 * when the link breaks) with @error: each completes exactly once here.
 */
void rm_reqs_fail(struct remote *rm, int error, uint32_t line)
{
	for (uint32_t i = 0; i < rm->nreqs;) {
		struct rm_req r = rm->reqs[i];

		if (line != CTI_LINE_NONE && (r.kind != RM_REQ_COMMAND || r.line != line)) {
			i++;
			continue;
		}
		rm_req_del(rm, &rm->reqs[i]);
		if (r.kind == RM_REQ_COMMAND)
			rm->api->complete(rm->host, r.handle, error, CTI_CALL_NONE);
	}
}

void rm_reply(struct remote *rm, const struct cti_wire_frame *f)
{
	struct rm_req *p = rm_req_find(rm, f->hdr.id);
	uint32_t call = CTI_CALL_NONE;
	struct rm_req r;
	int error;

	if (!p) {
		if (f->hdr.type == CTI_WIRE_ERROR)
			rm->api->log(rm->host, CTI_LOG_WARNING, "server: error %d: %s",
				     f->u.error.error, f->u.error.message);
		return;
	}
	r = *p;
	rm_req_del(rm, p);
	if (f->hdr.type == CTI_WIRE_ERROR) {
		error = f->u.error.error;
	} else {
		error = f->u.reply.error;
		call = f->u.reply.call;
	}
	if (r.kind == RM_REQ_COMMAND && !error && call != CTI_CALL_NONE) {
		struct rm_line *l = rm_line_find(rm, r.line);

		if (l)
			rm_call_touch(l, call, true);	/* a call a desktop program made */
	}
	if (r.kind == RM_REQ_COMMAND)
		rm->api->complete(rm->host, r.handle, error, error ? CTI_CALL_NONE : call);
	else if (r.kind == RM_REQ_DROP && error && error != -ENOENT)
		rm->api->log(rm->host, CTI_LOG_WARNING, "orphaned call not dropped: %s",
			     strerror(-error));
	else if (r.kind != RM_REQ_DROP)
		rm_sync_request_done(rm, &r, error);
}

/* The mirrored line that has @number as an address, other than @self. */
static struct rm_line *rm_line_of_number(struct remote *rm, const char *number, uint32_t self)
{
	for (uint32_t i = 0; i < rm->nlines; i++) {
		struct rm_line *l = &rm->lines[i];

		for (uint32_t a = 0; a < l->num_addresses && a < CTI_MAX_ADDRESSES; a++)
			if (l->id != self && !strcmp(l->addresses[a], number))
				return l;
	}
	return NULL;
}

static int rm_ask(struct remote *rm, const struct cti_provider_request *req,
		  uint32_t line, uint32_t reach)
{
	if (!CTI_HOST_API_HAS(rm->api, authorize) || !rm->api->authorize)
		return -EACCES;		/* cannot vet: refuse */
	return rm->api->authorize(rm->host, req->handle, line, reach);
}

/* What the request reaches beyond its own line (see cti_provider.h). */
static int rm_vet(struct remote *rm, const struct cti_provider_request *req)
{
	struct rm_line *other;

	switch (req->cmd) {
	case CTI_CMD_DEV_SPECIFIC:
	case CTI_CMD_SEND_LINK_FRAME:
		/* opaque to us: the server's switch may do anything with it */
		return rm_ask(rm, req, CTI_LINE_NONE, CTI_REACH_SWITCH);
	case CTI_CMD_PICKUP:
		/* group pickup: the server chooses among lines we cannot filter */
		if (!req->data_len)
			return rm_ask(rm, req, CTI_LINE_NONE, CTI_REACH_SWITCH);
		other = rm_line_of_number(rm, req->data, req->line);
		return other ? rm_ask(rm, req, other->id, CTI_REACH_PICKUP) : 0;
	case CTI_CMD_MAKE_CALL:
	case CTI_CMD_BLIND_TRANSFER:
	case CTI_CMD_SETUP_TRANSFER:
	case CTI_CMD_SETUP_CONFERENCE:
	case CTI_CMD_REDIRECT:
	case CTI_CMD_SET_FORWARD:
		if (!req->data_len)
			return 0;
		other = rm_line_of_number(rm, req->data, req->line);
		return other ? rm_ask(rm, req, other->id, CTI_REACH_CALL) : 0;
	default:
		return 0;
	}
}

static int rm_submit(void *state, const struct cti_provider_request *req)
{
	struct remote *rm = state;
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_COMMAND };
	struct rm_req *r;
	int ret;

	if (rm->state != RM_UP || !rm_line_find(rm, req->line))
		return -ENOTCONN;
	if (rm->nreqs >= rm->cfg.max_pending)
		return -EAGAIN;
	if (req->data_len > CTI_DATA_MAX)
		return -EINVAL;
	ret = rm_vet(rm, req);
	if (ret)
		return ret;
	f.u.command.cmd = (uint16_t)req->cmd;
	f.u.command.line = req->line;
	f.u.command.call = req->call;
	f.u.command.call2 = req->call2;
	f.u.command.arg = req->arg;
	f.u.command.arg2 = req->arg2;
	f.u.command.data_len = req->data_len;
	memcpy(f.u.command.data, req->data, req->data_len);
	r = rm_req_add(rm, RM_REQ_COMMAND, req->handle, req->line);
	if (!r)
		return -ENOMEM;
	f.hdr.id = r->id;
	ret = rm_send(rm, &f);
	if (!ret) {
		rm_call_touch(rm_line_find(rm, req->line), req->call, false);
		rm_call_touch(rm_line_find(rm, req->line), req->call2, false);
	} else {
		rm_req_del(rm, rm_req_find(rm, f.hdr.id));
		/* the codec's verdicts on the data are the program's mistake */
		if (ret == -EILSEQ || ret == -ENAMETOOLONG)
			return -EINVAL;
		return ret == -ENOBUFS ? -EAGAIN : ret;
	}
	return 0;
}

/*
 * The desktop's last owner of the call went away, or it was left
 * DISCONNECTED on a line no desktop program owns. Our session owns the
 * line on the server, so the server would keep the call: drop it there,
 * as the server does for a program of its own, if a desktop program had a
 * hand in it (made it, or named it in a command) or it is DISCONNECTED
 * (its other party is gone: nobody will talk on it again). A live call
 * only the server's own programs handled is theirs: another session on
 * the server may own it, which the desktop cannot see (README.md,
 * ownership). A link that is down leaves it be.
 */
static void rm_call_orphaned(void *state, uint32_t line, uint32_t call)
{
	struct remote *rm = state;
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_COMMAND };
	struct rm_line *l = rm_line_find(rm, line);
	struct rm_req *r;

	if (rm->state != RM_UP || !l || !rm_call_droppable(l, call))
		return;
	r = rm_req_add(rm, RM_REQ_DROP, 0, line);
	if (!r)
		return;
	f.hdr.id = r->id;
	f.u.command.cmd = CTI_CMD_DROP;
	f.u.command.line = line;
	f.u.command.call = call;
	f.u.command.call2 = CTI_CALL_NONE;
	if (rm_send(rm, &f))
		rm_req_del(rm, rm_req_find(rm, f.hdr.id));
}

static int rm_check_config(const struct cti_host_api *api, struct cti_host *host,
			   const struct cti_provider_config *cfg)
{
	struct rm_config c;

	return rm_config_parse(api, host, cfg, &c);
}

static int rm_init(const struct cti_host_api *api, struct cti_host *host,
		   const struct cti_provider_config *cfg, void **state)
{
	struct remote *rm = calloc(1, sizeof(*rm));
	int ret;

	if (!rm)
		return -ENOMEM;
	rm->api = api;
	rm->host = host;
	snprintf(rm->name, sizeof(rm->name), "%s", cfg->name);
	ret = rm_config_parse(api, host, cfg, &rm->cfg);
	if (ret) {
		free(rm);
		return ret;
	}
	rm->retry_ms = rm->cfg.retry_min_ms;
	/*
	 * Lines appear once the server has listed them; until then, none,
	 * and the provider's link shows DOWN (ctictl providers).
	 */
	rm_post_link(rm, CTI_LINK_DOWN);
	rm_link_start(rm);
	rm_alive_start(rm);
	*state = rm;
	return 0;
}

static void rm_shutdown(void *state)
{
	struct remote *rm = state;

	rm_link_stop(rm);
	rm_reqs_fail(rm, -ECANCELED, CTI_LINE_NONE);
	for (uint32_t i = 0; i < rm->nlines; i++)
		free(rm->lines[i].calls);
	free(rm->lines);
	free(rm->reqs);
	free(rm);
}

static void rm_timer(void *state, int64_t timer_id, uint64_t cookie)
{
	rm_on_timer(state, timer_id, cookie);
}

static void rm_connected(void *state, int64_t tid, uint64_t cookie, int error)
{
	(void)cookie;
	rm_on_connected(state, tid, error);
}

static void rm_data(void *state, int64_t tid, uint64_t cookie, const void *buf, size_t len)
{
	(void)cookie;
	rm_on_data(state, tid, buf, len);
}

static void rm_closed(void *state, int64_t tid, uint64_t cookie, int error)
{
	(void)cookie;
	rm_on_closed(state, tid, error);
}

CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.size = sizeof(struct cti_provider_ops),
	.name = "remote",
	.description = "lines of another ctid (Remote Service Provider)",
	.check_config = rm_check_config,
	.init = rm_init,
	.shutdown = rm_shutdown,
	.submit = rm_submit,
	.timer = rm_timer,
	.transport_connected = rm_connected,
	.transport_data = rm_data,
	.transport_closed = rm_closed,
	.call_orphaned = rm_call_orphaned,
};
