// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * textlink's ops: the link's life (connect, reassemble lines, reconnect
 * after a failure), requests to the switch with a timeout each, and the
 * lines the switch announces. Every request completes exactly once: with
 * the switch's DONE, -ETIMEDOUT, -EIO when the link fails, -ECANCELED at
 * shutdown.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textlink.h"
#include "common/link_state.h"

#define TL_OUT_MAX	(CTI_DATA_MAX + 128)	/* one CMD line */

/* Cookies tell the timers apart: 0 is the reconnect timer. */
#define TL_COOKIE_RETRY	0

static void tl_connect(struct tl *tl);

/* @line is present with @number, or went away (@number NULL). */
int tl_line_present(struct tl *tl, uint32_t line, const char *number)
{
	size_t i;

	for (i = 0; i < tl->nlines; i++)
		if (tl->lines[i].idx == line)
			break;
	if (!number) {
		if (i == tl->nlines)
			return -ENOENT;
		tl->lines[i] = tl->lines[--tl->nlines];
		return 0;
	}
	if (i == tl->nlines && tl->nlines == tl->lines_cap) {
		size_t cap = tl->lines_cap ? tl->lines_cap * 2 : 16;
		struct tl_line *n = realloc(tl->lines, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		tl->lines = n;
		tl->lines_cap = cap;
	}
	if (i == tl->nlines)
		tl->nlines++;
	tl->lines[i].idx = line;
	snprintf(tl->lines[i].number, sizeof(tl->lines[i].number), "%s",
		 number);
	return 0;
}

bool tl_line_is_present(const struct tl *tl, uint32_t line)
{
	size_t i;

	for (i = 0; i < tl->nlines; i++)
		if (tl->lines[i].idx == line)
			return true;
	return false;
}

/*
 * Ask the host about the line of @number, if it is one of the switch's
 * (cti_provider.h, "Rules"); the request's own line and numbers that are
 * no line (outside numbers, park slots) need no question.
 */
static int tl_reach(struct tl *tl, const struct cti_provider_request *req,
		    const char *number, uint32_t reach)
{
	size_t i;

	for (i = 0; i < tl->nlines; i++) {
		const struct tl_line *l = &tl->lines[i];

		if (l->number[0] && !strcmp(l->number, number) &&
		    l->idx != req->line)
			return tl->api->authorize(tl->host, req->handle, l->idx,
						  reach);
	}
	return 0;
}

/*
 * Vet the lines a request reaches through its data before the switch
 * acts on them. The switch resolves numbers itself, so the provider
 * vets by the numbers the switch announced. Where the switch chooses
 * (group pickup) the provider cannot skip a line for it: the request
 * goes only if every other line may be picked up from, else -EACCES.
 * DEV_SPECIFIC data means whatever the switch makes of it, which cannot
 * be bounded to lines: CTI_REACH_SWITCH.
 */
static int tl_vet(struct tl *tl, const struct cti_provider_request *req)
{
	size_t i;

	if (!CTI_HOST_API_HAS(tl->api, authorize) || !tl->api->authorize)
		return -EACCES;
	switch (req->cmd) {
	case CTI_CMD_DEV_SPECIFIC:
		return tl->api->authorize(tl->host, req->handle,
					  CTI_LINE_NONE, CTI_REACH_SWITCH);
	case CTI_CMD_MAKE_CALL:
	case CTI_CMD_BLIND_TRANSFER:
	case CTI_CMD_REDIRECT:
	case CTI_CMD_SETUP_TRANSFER:
	case CTI_CMD_SETUP_CONFERENCE:
	case CTI_CMD_SET_FORWARD:
		return tl_reach(tl, req, req->data, CTI_REACH_CALL);
	case CTI_CMD_UNPARK:
		return tl_reach(tl, req, req->data, CTI_REACH_PICKUP);
	case CTI_CMD_PICKUP:
		if (req->data_len)
			return tl_reach(tl, req, req->data, CTI_REACH_PICKUP);
		for (i = 0; i < tl->nlines; i++)
			if (tl->lines[i].idx != req->line &&
			    tl->api->authorize(tl->host, req->handle,
					       tl->lines[i].idx,
					       CTI_REACH_PICKUP))
				return -EACCES;
		return 0;
	default:
		return 0;
	}
}

static size_t tl_call_index(const struct tl *tl, uint64_t key)
{
	size_t i;

	for (i = 0; i < tl->ncalls; i++)
		if (tl->calls[i] == key)
			return i;
	return SIZE_MAX;
}

bool tl_call_known(const struct tl *tl, uint32_t line, uint32_t call)
{
	return tl_call_index(tl, (uint64_t)line << 32 | call) != SIZE_MAX;
}

/*
 * The calls the switch has told us about: the host wants CALL_INFO
 * before a call's states and IDLE before its line goes, and the switch
 * may not be that careful.
 */
int tl_call_track(struct tl *tl, uint32_t line, uint32_t call, bool live)
{
	uint64_t key = (uint64_t)line << 32 | call;
	size_t i = tl_call_index(tl, key);

	if (!live) {
		if (i != SIZE_MAX)
			tl->calls[i] = tl->calls[--tl->ncalls];
		return 0;
	}
	if (i != SIZE_MAX)
		return 0;
	if (tl->ncalls == tl->calls_cap) {
		size_t cap = tl->calls_cap ? tl->calls_cap * 2 : 16;
		uint64_t *n = realloc(tl->calls, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		tl->calls = n;
		tl->calls_cap = cap;
	}
	tl->calls[tl->ncalls++] = key;
	return 0;
}

/* Before a line goes: its calls end, OUT_OF_ORDER. */
void tl_line_end_calls(struct tl *tl, uint32_t line)
{
	struct cti_ev_call_state ev;
	size_t i = 0;

	while (i < tl->ncalls) {
		if (tl->calls[i] >> 32 != line) {
			i++;
			continue;
		}
		memset(&ev, 0, sizeof(ev));
		ev.hdr.type = CTI_EV_CALL_STATE;
		ev.hdr.size = sizeof(ev);
		ev.hdr.line = line;
		ev.call = (uint32_t)tl->calls[i];
		ev.state = CTI_CALL_IDLE;
		ev.reason = CTI_DISC_OUT_OF_ORDER;
		tl->api->post_event(tl->host, &ev.hdr);
		tl->calls[i] = tl->calls[--tl->ncalls];
	}
}

static struct tl_req *tl_req_take(struct tl *tl, uint64_t handle)
{
	struct tl_req **pp, *r;

	for (pp = &tl->reqs; (r = *pp); pp = &r->next) {
		if (r->handle == handle) {
			*pp = r->next;
			return r;
		}
	}
	return NULL;
}

void tl_complete(struct tl *tl, uint64_t handle, int error, uint32_t call)
{
	struct tl_req *r = tl_req_take(tl, handle);

	if (!r) {
		/* Late (after a timeout) or invented: never complete twice. */
		tl_log(tl, CTI_LOG_WARNING, "DONE for unknown request %llu",
		       (unsigned long long)handle);
		return;
	}
	if (r->timer)
		tl->api->timer_cancel(tl->host, r->timer);
	tl->api->complete(tl->host, handle, error, call);
	free(r);
}

static void tl_fail_all(struct tl *tl, int error)
{
	while (tl->reqs)
		tl_complete(tl, tl->reqs->handle, error, CTI_CALL_NONE);
}

/* The link is gone: fail what waits, drop the lines, try again later. */
static void tl_link_lost(struct tl *tl, int error)
{
	bool was_up = tl->up;

	tl->tid = 0;
	tl->up = false;
	tl->rxlen = 0;
	tl->rx_skip = false;
	tl_fail_all(tl, -EIO);
	while (tl->nlines) {
		uint32_t line = tl->lines[--tl->nlines].idx;

		tl_line_end_calls(tl, line);
		tl->api->line_remove(tl->host, line);
	}
	if (was_up)
		prov_post_link_state(tl->api, tl->host, CTI_LINK_DOWN);
	tl_log(tl, CTI_LOG_WARNING, "link to %s lost (%d), retry in %u ms",
	       tl->cfg.addr, error, tl->cfg.retry_ms);
	if (!tl->retry_timer) {
		int64_t id = tl->api->timer_start(tl->host, tl->cfg.retry_ms,
						  TL_COOKIE_RETRY);

		tl->retry_timer = id > 0 ? id : 0;
	}
}

static void tl_connect(struct tl *tl)
{
	int64_t tid;

	switch (tl->cfg.kind) {
	case TL_TCP:
		tid = tl->api->transport_open_tcp(tl->host, tl->cfg.addr,
						  tl->cfg.port, 0);
		break;
	case TL_UNIX:
		tid = tl->api->transport_open_unix(tl->host, tl->cfg.addr, 0);
		break;
	case TL_CARD:
		tid = tl->api->transport_open_card(tl->host, tl->cfg.addr, 0);
		break;
	default:
		tid = tl->api->transport_open_serial(tl->host, tl->cfg.addr,
						     tl->cfg.baud, 0);
		break;
	}
	if (tid <= 0) {
		tl_link_lost(tl, (int)tid);
		return;
	}
	tl->tid = tid;
}

static void tl_destroy(struct tl *tl)
{
	tl_fail_all(tl, -ECANCELED);
	if (tl->tid)
		tl->api->transport_close(tl->host, tl->tid);
	if (tl->retry_timer)
		tl->api->timer_cancel(tl->host, tl->retry_timer);
	free(tl->lines);
	free(tl->calls);
	free(tl);
}

static int tl_check_config(const struct cti_host_api *api,
			   struct cti_host *host,
			   const struct cti_provider_config *pc)
{
	struct tl_config cfg;

	return tl_config_parse(&cfg, api, host, pc);
}

static int tl_init(const struct cti_host_api *api, struct cti_host *host,
		   const struct cti_provider_config *pc, void **state)
{
	struct tl *tl;
	int ret;

	if (!CTI_HOST_API_HAS(api, transport_close))
		return -EINVAL;
	tl = calloc(1, sizeof(*tl));
	if (!tl)
		return -ENOMEM;
	tl->api = api;
	tl->host = host;
	ret = tl_config_parse(&tl->cfg, api, host, pc);
	if (ret) {
		free(tl);
		return ret;
	}
	/* Lines come when the switch announces them, after the connect. */
	tl_connect(tl);
	*state = tl;
	return 0;
}

static void tl_shutdown(void *state)
{
	tl_destroy(state);
}

static int tl_submit(void *state, const struct cti_provider_request *req)
{
	struct tl *tl = state;
	char buf[TL_OUT_MAX];
	struct tl_req *r;
	int n, ret;

	if (!tl->up)
		return -EIO;
	if (req->cmd >= CTI_CMD_MAX)
		return -EOPNOTSUPP;
	ret = tl_vet(tl, req);
	if (ret)
		return ret;
	n = tl_proto_format(buf, sizeof(buf), req);
	if (n < 0)
		return n;
	/*
	 * Over a link card each send is one frame; a line cut over two
	 * frames could be half sent when the second finds the ring full.
	 */
	if (tl->cfg.kind == TL_CARD && n > CTI_LINK_FRAME_MAX)
		return -E2BIG;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	ret = tl->api->transport_send(tl->host, tl->tid, buf, n);
	if (ret) {
		free(r);
		return ret == -ENOBUFS ? -EBUSY : -EIO;
	}
	r->tl = tl;
	r->handle = req->handle;
	/* The cookie is the handle: a late timer finds nothing to do. */
	r->timer = tl->api->timer_start(tl->host, tl->cfg.timeout_ms,
					req->handle);
	if (r->timer < 0)
		r->timer = 0;
	r->next = tl->reqs;
	tl->reqs = r;
	return 0;
}

static void tl_timer(void *state, int64_t timer_id, uint64_t cookie)
{
	struct tl *tl = state;
	struct tl_req *r;

	if (cookie == TL_COOKIE_RETRY) {
		if (timer_id == tl->retry_timer) {
			tl->retry_timer = 0;
			tl_connect(tl);
		}
		return;
	}
	for (r = tl->reqs; r; r = r->next) {
		if (r->handle == cookie && r->timer == timer_id) {
			r->timer = 0;	/* it has fired: do not cancel it */
			tl_complete(tl, cookie, -ETIMEDOUT, CTI_CALL_NONE);
			return;
		}
	}
}

static void tl_connected(void *state, int64_t tid, uint64_t cookie, int error)
{
	struct tl *tl = state;

	(void)cookie;
	if (tid != tl->tid)
		return;
	if (error) {
		tl_link_lost(tl, error);
		return;
	}
	tl->up = true;
	prov_post_link_state(tl->api, tl->host, CTI_LINK_UP);
	tl_log(tl, CTI_LOG_NOTICE, "link to %s up", tl->cfg.addr);
	/* Ask the switch for its lines; it answers with LINE records. */
	tl->api->transport_send(tl->host, tl->tid, "HELLO 1\n", 8);
}

static void tl_data(void *state, int64_t tid, uint64_t cookie,
		    const void *buf, size_t len)
{
	struct tl *tl = state;
	const char *p = buf;
	size_t i;

	(void)cookie;
	if (tid != tl->tid)
		return;
	/* Byte streams have no frame boundaries: reassemble lines. */
	for (i = 0; i < len; i++) {
		char ch = p[i];

		if (ch == '\n') {
			if (!tl->rx_skip) {
				tl->rx[tl->rxlen] = '\0';
				if (tl->rxlen && tl->rx[tl->rxlen - 1] == '\r')
					tl->rx[tl->rxlen - 1] = '\0';
				if (tl_proto_line(tl, tl->rx))
					tl_log(tl, CTI_LOG_WARNING,
					       "bad line from the switch dropped");
			}
			tl->rxlen = 0;
			tl->rx_skip = false;
			if (tid != tl->tid)
				return;	/* the line closed the link */
			continue;
		}
		if (tl->rx_skip)
			continue;
		if (tl->rxlen + 1 >= sizeof(tl->rx) || ch == '\0') {
			tl_log(tl, CTI_LOG_WARNING,
			       "overlong or binary line from the switch dropped");
			tl->rx_skip = true;
			continue;
		}
		tl->rx[tl->rxlen++] = ch;
	}
}

static void tl_closed(void *state, int64_t tid, uint64_t cookie, int error)
{
	struct tl *tl = state;

	(void)cookie;
	if (tid == tl->tid)
		tl_link_lost(tl, error ? error : -ECONNRESET);
}

CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.size = sizeof(struct cti_provider_ops),
	.name = "textlink",
	.description = "switches speaking the textlink line protocol",
	.check_config = tl_check_config,
	.init = tl_init,
	.shutdown = tl_shutdown,
	.submit = tl_submit,
	.timer = tl_timer,
	.transport_connected = tl_connected,
	.transport_data = tl_data,
	.transport_closed = tl_closed,
};
