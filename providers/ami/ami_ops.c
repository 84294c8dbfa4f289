// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ami provider's ops table: an instance, its lines (from the
 * configuration, OUT_OF_SERVICE until the AMI login succeeds) and the
 * host's callbacks handed on to the link (ami_link.c) and the calls
 * (ami_calls.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ami.h"

static int ami_check_config(const struct cti_host_api *api,
			    struct cti_host *host,
			    const struct cti_provider_config *pc)
{
	struct ami_config cfg;
	int ret = ami_config_parse(&cfg, api, host, pc);

	if (!ret)
		ami_config_free(&cfg);
	return ret;
}

static void ami_destroy(struct ami *a)
{
	size_t i;

	ami_fail_all(a, -ECANCELED);
	ami_link_close(a);
	if (a->retry_timer)
		a->api->timer_cancel(a->host, a->retry_timer);
	if (a->reap_timer)
		a->api->timer_cancel(a->host, a->reap_timer);
	for (i = 0; i < a->ncalls; i++)
		free(a->calls[i]);
	free(a->calls);
	free(a->bridges);
	free(a->lines);
	ami_config_free(&a->cfg);
	free(a);
}

static int ami_add_lines(struct ami *a)
{
	struct cti_provider_line_desc d;
	size_t i;
	int ret;

	a->lines = calloc(a->cfg.nlines, sizeof(*a->lines));
	if (!a->lines)
		return -ENOMEM;
	for (i = 0; i < a->cfg.nlines; i++) {
		const struct ami_line_cfg *lc = &a->cfg.lines[i];

		a->lines[i].cfg = lc;
		a->lines[i].status = CTI_LINE_OUT_OF_SERVICE;
		memset(&d, 0, sizeof(d));
		d.size = sizeof(d);
		d.max_calls = 8;
		d.ops = ami_line_ops(lc, a->cfg.conf_context[0] != '\0');
		d.uops = ami_line_uops(lc);
		d.status = CTI_LINE_OUT_OF_SERVICE;
		d.num_addresses = 1;
		snprintf(d.name, sizeof(d.name), "%s", lc->name);
		snprintf(d.addresses[0], sizeof(d.addresses[0]), "%s", lc->ext);
		ret = a->api->line_add(a->host, i, &d, NULL);
		if (ret) {
			ami_log(a, CTI_LOG_ERR, "line %s: %d", lc->name, ret);
			return ret;
		}
	}
	return 0;
}

static int ami_init(const struct cti_host_api *api, struct cti_host *host,
		    const struct cti_provider_config *pc, void **state)
{
	struct ami *a;
	int ret;

	if (!CTI_HOST_API_HAS(api, authorize) || !api->authorize)
		return -EINVAL;	/* no way to vet the lines we reach */
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->api = api;
	a->host = host;
	a->tid = 0;
	ret = ami_config_parse(&a->cfg, api, host, pc);
	if (ret) {
		free(a);
		return ret;
	}
	if (a->cfg.tls && !ami_tls_ok(api)) {
		api->log(host, CTI_LOG_ERR, "tls = yes, but this ctid has no "
			 "TLS transport for providers");
		ami_config_free(&a->cfg);
		free(a);
		return -EOPNOTSUPP;
	}
	a->next_id = AMI_FIRST_ID;
	/* ChannelIds we choose must not meet those of an earlier run. */
	a->uid_seed = api->now_ns(host);
	a->retry_ms = a->cfg.retry_min_ms;
	ret = ami_add_lines(a);
	if (ret) {
		ami_destroy(a);
		return ret;
	}
	ami_connect(a);
	*state = a;
	return 0;
}

static void ami_shutdown(void *state)
{
	ami_destroy(state);
}

static int ami_submit_op(void *state, const struct cti_provider_request *req)
{
	return ami_submit(state, req);
}

static void ami_timer(void *state, int64_t timer_id, uint64_t cookie)
{
	ami_timer_fired(state, timer_id, cookie);
}

static void ami_tr_connected(void *state, int64_t tid, uint64_t cookie,
			     int error)
{
	struct ami *a = state;

	(void)cookie;
	if (tid == a->tid)
		ami_connected(a, error);
}

static void ami_tr_data(void *state, int64_t tid, uint64_t cookie,
			const void *buf, size_t len)
{
	struct ami *a = state;

	(void)cookie;
	if (tid == a->tid)
		ami_data(a, buf, len);
}

static void ami_tr_closed(void *state, int64_t tid, uint64_t cookie,
			  int error)
{
	struct ami *a = state;

	(void)cookie;
	if (tid == a->tid) {
		a->tid = 0;
		ami_link_lost(a, error ? error : -ECONNRESET);
	}
}

/*
 * No program owns the call any more: hang it up, as TAPI does. A call
 * whose channel is gone ends at once.
 */
static void ami_orphaned(void *state, uint32_t line, uint32_t call)
{
	struct ami *a = state;
	struct ami_call *c = ami_call_find(a, line, call);
	struct ami_action *act;

	if (!c || c->reap || c->end_reason)
		return;
	if (c->gone || !ami_chan_ref(c)[0] || a->link != AMI_UP) {
		if (c->gone)
			ami_call_free(a, c, CTI_DISC_NORMAL);
		return;
	}
	act = ami_action_new(a, AMI_ACT_SETUP);
	if (!act)
		return;
	c->end_reason = CTI_DISC_NORMAL;
	if (ami_send(a, act, "Action: Hangup\r\nChannel: %s\r\nCause: 16\r\n",
		     ami_chan_ref(c))) {
		free(act);
		c->end_reason = 0;
	}
}

CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.size = sizeof(struct cti_provider_ops),
	.name = "ami",
	.description = "Asterisk through its Manager Interface (AMI)",
	.check_config = ami_check_config,
	.init = ami_init,
	.shutdown = ami_shutdown,
	.submit = ami_submit_op,
	.timer = ami_timer,
	.transport_connected = ami_tr_connected,
	.transport_data = ami_tr_data,
	.transport_closed = ami_tr_closed,
	.call_orphaned = ami_orphaned,
};
