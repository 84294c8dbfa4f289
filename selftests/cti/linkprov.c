// SPDX-License-Identifier: GPL-2.0
/*
 * linkprov: a test provider for kcard_e2e that reaches its switch over a
 * kernel link card, the host transport transport_open_card() (as a
 * protocol provider such as textlink would). Key "card = NAME" names the
 * card. Once connected it presents one line, "link"; a DEV_SPECIFIC
 * request on it is sent as one frame, and every frame from the link comes
 * back to clients as a DEV_SPECIFIC event of the line. When the card goes
 * (transport_closed) the line goes. It has no switch logic of its own:
 * the test only needs to see frames both ways.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cti_provider.h"

struct lp {
	const struct cti_host_api *api;
	struct cti_host *host;
	int64_t tid;
	int has_line;
};

static int lp_init(const struct cti_host_api *api, struct cti_host *host,
		   const struct cti_provider_config *cfg, void **state)
{
	const char *card = NULL;
	struct lp *lp;

	for (size_t i = 0; i < cfg->count; i++)
		if (!strcmp(cfg->kv[i].key, "card"))
			card = cfg->kv[i].value;
	if (!card || !CTI_HOST_API_HAS(api, transport_open_card))
		return -EINVAL;
	lp = calloc(1, sizeof(*lp));
	if (!lp)
		return -ENOMEM;
	lp->api = api;
	lp->host = host;
	lp->tid = api->transport_open_card(host, card, 0);
	if (lp->tid < 0) {
		int err = (int)lp->tid;

		free(lp);
		return err;
	}
	*state = lp;
	return 0;
}

static void lp_shutdown(void *state)
{
	struct lp *lp = state;

	if (lp->tid > 0)
		lp->api->transport_close(lp->host, lp->tid);
	free(lp);
}

static int lp_submit(void *state, const struct cti_provider_request *req)
{
	struct lp *lp = state;
	int ret;

	if (req->cmd != CTI_CMD_DEV_SPECIFIC)
		return -EOPNOTSUPP;
	ret = lp->api->transport_send(lp->host, lp->tid, req->data,
				      req->data_len);
	if (ret)
		return ret;
	lp->api->complete(lp->host, req->handle, 0, CTI_CALL_NONE);
	return 0;
}

static void lp_connected(void *state, int64_t tid, uint64_t cookie, int error)
{
	struct lp *lp = state;
	struct cti_provider_line_desc d = {
		.size = sizeof(d), .max_calls = 1,
		.ops = 1ULL << CTI_CMD_DEV_SPECIFIC, .num_addresses = 1,
		.name = "link", .addresses = { "900" },
	};

	(void)tid;
	(void)cookie;
	if (error) {
		lp->tid = 0;
		return;
	}
	lp->has_line = !lp->api->line_add(lp->host, 0, &d, NULL);
}

static void lp_data(void *state, int64_t tid, uint64_t cookie,
		    const void *buf, size_t len)
{
	struct lp *lp = state;
	uint64_t rec[(sizeof(struct cti_uev_dev_specific) + CTI_DEV_SPECIFIC_MAX) / 8 + 1];
	struct cti_uev_dev_specific *ev = (void *)rec;

	(void)tid;
	(void)cookie;
	if (len > CTI_DEV_SPECIFIC_MAX || !lp->has_line)
		return;
	memset(rec, 0, sizeof(rec));
	ev->hdr.type = CTI_UEV_DEV_SPECIFIC;
	ev->hdr.size = (uint16_t)((sizeof(*ev) + len + 7) & ~(size_t)7);
	ev->hdr.line = 0;
	ev->len = (uint32_t)len;
	memcpy(ev->data, buf, len);
	lp->api->post_event(lp->host, &ev->hdr);
}

static void lp_closed(void *state, int64_t tid, uint64_t cookie, int error)
{
	struct lp *lp = state;

	(void)tid;
	(void)cookie;
	(void)error;
	lp->tid = 0;
	if (lp->has_line)
		lp->api->line_remove(lp->host, 0);
	lp->has_line = 0;
}

CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.size = sizeof(struct cti_provider_ops),
	.name = "linkprov",
	.description = "test: a line over a kernel link card",
	.init = lp_init,
	.shutdown = lp_shutdown,
	.submit = lp_submit,
	.transport_connected = lp_connected,
	.transport_data = lp_data,
	.transport_closed = lp_closed,
};
