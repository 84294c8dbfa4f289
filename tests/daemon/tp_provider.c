// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal provider for ctid's own tests: one line, "t0", and one
 * transport to the unix socket named by the "peer" key. What the peer
 * sends becomes a DEV_SPECIFIC event on the line; a DEV_SPECIFIC command
 * is written to the peer, except "authz R L", which asks the host's
 * authorize() and answers with its result. Built twice: as tp.so, and with -DTP_BAD_ABI as
 * tp_badabi.so, which claims another ABI version and must be refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cti_provider.h"

struct tp {
	const struct cti_host_api *api;
	struct cti_host *host;
	int64_t tid;
	uint64_t held;		/* a request it "forgets" to complete */
	char peer[108];
};

static void tp_post(struct tp *tp, const void *data, size_t len)
{
	struct {
		struct cti_uev_dev_specific ev;
		uint8_t data[CTI_DEV_SPECIFIC_MAX];
	} r;

	if (len > CTI_DEV_SPECIFIC_MAX)
		len = CTI_DEV_SPECIFIC_MAX;
	memset(&r, 0, sizeof(r));
	r.ev.hdr.type = CTI_UEV_DEV_SPECIFIC;
	r.ev.hdr.size = (uint16_t)((sizeof(r.ev) + len + 7) & ~7u);
	r.ev.hdr.line = 0;
	r.ev.len = (uint32_t)len;
	memcpy(r.data, data, len);
	tp->api->post_event(tp->host, &r.ev.hdr);
}

static int tp_init(const struct cti_host_api *api, struct cti_host *host,
		   const struct cti_provider_config *cfg, void **state)
{
	struct cti_provider_line_desc d;
	struct tp *tp = calloc(1, sizeof(*tp));
	int ret;

	if (!tp)
		return -ENOMEM;
	tp->api = api;
	tp->host = host;
	for (size_t i = 0; i < cfg->count; i++) {
		if (!strcmp(cfg->kv[i].key, "peer")) {
			snprintf(tp->peer, sizeof(tp->peer), "%s", cfg->kv[i].value);
		} else {
			api->log(host, CTI_LOG_ERR, "%s:%u: unknown key %s",
				 cfg->file, cfg->kv[i].lineno, cfg->kv[i].key);
			free(tp);
			return -EINVAL;
		}
	}
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.max_calls = 1;
	d.ops = 1ull << CTI_CMD_DEV_SPECIFIC;
	d.num_addresses = 1;
	strcpy(d.name, "t0");
	strcpy(d.addresses[0], "900");
	ret = api->line_add(host, 0, &d, NULL);
	if (ret) {
		free(tp);
		return ret;
	}
	if (tp->peer[0]) {
		tp->tid = api->transport_open_unix(host, tp->peer, 7);
		if (tp->tid < 0) {
			ret = (int)tp->tid;
			free(tp);
			return ret;
		}
	}
	*state = tp;
	return 0;
}

static void tp_shutdown(void *state)
{
	struct tp *tp = state;

	if (tp->held)
		tp->api->complete(tp->host, tp->held, -ECANCELED, CTI_CALL_NONE);
	free(tp);
}

static int tp_submit(void *state, const struct cti_provider_request *req)
{
	struct tp *tp = state;
	int ret;

	if (req->cmd != CTI_CMD_DEV_SPECIFIC)
		return -EOPNOTSUPP;
	/* "authz R L": ask the host whether this request may reach local
	 * line L (-1: CTI_LINE_NONE) as R, and answer with what it says */
	if (req->data_len > 6 && !memcmp(req->data, "authz ", 6)) {
		char text[64];
		unsigned int reach;
		int line;

		snprintf(text, sizeof(text), "%.*s", (int)req->data_len,
			 (const char *)req->data);
		if (sscanf(text + 6, "%u %d", &reach, &line) != 2)
			return -EINVAL;
		ret = tp->api->authorize(tp->host, req->handle,
					 line < 0 ? CTI_LINE_NONE : (uint32_t)line,
					 reach);
		tp->api->complete(tp->host, req->handle, ret, CTI_CALL_NONE);
		return 0;
	}
	if (req->data_len == 5 && !memcmp(req->data, "never", 5)) {
		tp->held = req->handle;	/* the host must time it out */
		return 0;
	}
	ret = tp->api->transport_send(tp->host, tp->tid, req->data, req->data_len);
	if (ret)
		return ret;
	tp->api->complete(tp->host, req->handle, 0, CTI_CALL_NONE);
	return 0;
}

static void tp_connected(void *state, int64_t tid, uint64_t cookie, int error)
{
	struct tp *tp = state;

	if (!error && cookie == 7 && tid == tp->tid)
		tp->api->transport_send(tp->host, tid, "hello", 5);
	else
		tp_post(tp, "connect failed", 14);
}

static void tp_data(void *state, int64_t tid, uint64_t cookie,
		    const void *buf, size_t len)
{
	(void)tid;
	(void)cookie;
	tp_post(state, buf, len);
}

static void tp_closed(void *state, int64_t tid, uint64_t cookie, int error)
{
	(void)tid;
	(void)cookie;
	(void)error;
	tp_post(state, "closed", 6);
}

CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
#ifdef TP_BAD_ABI
	.abi_version = 999,
#else
	.abi_version = CTI_PROVIDER_ABI_VERSION,
#endif
	.size = sizeof(struct cti_provider_ops),
	.name = "tp",
	.description = "ctid test provider",
	.init = tp_init,
	.shutdown = tp_shutdown,
	.submit = tp_submit,
	.transport_connected = tp_connected,
	.transport_data = tp_data,
	.transport_closed = tp_closed,
};
