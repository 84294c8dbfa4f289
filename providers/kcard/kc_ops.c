// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kcard's ops table: start (follow the cards), stop, requests, and the
 * host's card callbacks. Every request completes exactly once: by its
 * card's REPLY, with -ENODEV when its card goes, or with -ECANCELED at
 * shutdown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kcard.h"

void kc_complete(struct kc *kc, uint32_t slot, uint64_t handle, int error,
		 uint32_t call)
{
	for (struct kc_req **pp = &kc->reqs; *pp; pp = &(*pp)->next) {
		struct kc_req *q = *pp;

		/* only the card that was asked may answer */
		if (q->handle != handle || q->slot != slot)
			continue;
		*pp = q->next;
		if (error > 0 || error < -4095)
			error = -EIO;	/* not an errno: the card's word is bad */
		/* the new state before the REPLY, as a switch posts it */
		if (!error)
			kc_phone_done(kc, q);
		free(q);
		kc->api->complete(kc->host, handle, error, call);
		return;
	}
	/* a REPLY for no request of ours: the card's word is not trusted */
}

void kc_complete_card(struct kc *kc, uint32_t slot, int error)
{
	struct kc_req **pp = &kc->reqs;

	while (*pp) {
		struct kc_req *q = *pp;

		if (q->slot != slot && slot != UINT32_MAX) {
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		kc->api->complete(kc->host, q->handle, error, CTI_CALL_NONE);
		free(q);
	}
}

static void kc_watch(struct kc *kc)
{
	int ret = kc->api->card_watch(kc->host, 1);

	kc->retry_timer = 0;
	if (!ret) {
		kc->watching = true;
		return;
	}
	kc_log(kc, ret == -ENOENT ? CTI_LOG_INFO : CTI_LOG_WARNING,
	       "cannot follow the cards (%d%s); trying again in %u ms", ret,
	       ret == -ENOENT ? ": cti.ko is not loaded" : "",
	       kc->cfg.retry_ms);
	ret = (int)kc->api->timer_start(kc->host, kc->cfg.retry_ms, 0);
	if (ret > 0)
		kc->retry_timer = ret;
}

static bool kc_host_ok(const struct cti_host_api *api)
{
	return CTI_HOST_API_HAS(api, resync) && api->card_open &&
	       api->card_get_info && api->card_get_line && api->card_submit &&
	       api->card_snapshot && api->card_close && api->card_watch;
}

static int kc_check_config(const struct cti_host_api *api,
			   struct cti_host *host,
			   const struct cti_provider_config *cfg)
{
	struct kc_config c;

	return kc_config_parse(&c, api, host, cfg);
}

static int kc_init(const struct cti_host_api *api, struct cti_host *host,
		   const struct cti_provider_config *cfg, void **state)
{
	struct kc *kc;
	int ret;

	if (!kc_host_ok(api)) {
		api->log(host, CTI_LOG_ERR, "this ctid has no kernel card support");
		return -EPROTO;
	}
	kc = calloc(1, sizeof(*kc));
	if (!kc)
		return -ENOMEM;
	kc->api = api;
	kc->host = host;
	ret = kc_config_parse(&kc->cfg, api, host, cfg);
	if (ret) {
		free(kc);
		return ret;
	}
	kc_watch(kc);	/* the cards come from the loop, as ADDED */
	*state = kc;
	return 0;
}

static void kc_shutdown(void *state)
{
	struct kc *kc = state;

	kc_complete_card(kc, UINT32_MAX, -ECANCELED);
	if (kc->retry_timer)
		kc->api->timer_cancel(kc->host, kc->retry_timer);
	if (kc->watching)
		kc->api->card_watch(kc->host, 0);
	for (size_t i = 0; i < KC_CARDS_MAX; i++) {
		struct kc_card *c = &kc->cards[i];

		if (!c->used)
			continue;
		kc->api->card_close(kc->host, c->cid);
		kc_card_free(c);
	}
	free(kc);
}

static int kc_op_submit(void *state, const struct cti_provider_request *req)
{
	return kc_submit(state, req);
}

static void kc_timer(void *state, int64_t timer_id, uint64_t cookie)
{
	struct kc *kc = state;

	(void)cookie;
	if (timer_id == kc->retry_timer)
		kc_watch(kc);
}

static void kc_card_records(void *state, int64_t cid, uint64_t cookie,
			    const void *recs, size_t len)
{
	struct kc *kc = state;
	struct kc_card *c = kc_card_by_cid(kc, cid);

	(void)cookie;
	if (c)
		kc_records(kc, c, recs, len);
}

static void kc_card_closed(void *state, int64_t cid, uint64_t cookie,
			   int error)
{
	struct kc *kc = state;
	struct kc_card *c = kc_card_by_cid(kc, cid);

	(void)cookie;
	if (c)
		kc_card_gone(kc, c, error);
}

static void kc_card_changed(void *state, uint32_t change,
			    const struct cti_provider_card_info *info)
{
	struct kc *kc = state;

	/* removal is the card's own word (card_closed), which never misses */
	if (change == CTI_PROVIDER_CARD_ADDED)
		kc_card_add(kc, info);
}

CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.size = sizeof(struct cti_provider_ops),
	.name = "kcard",
	.description = "the lines of kernel CTI cards (/dev/ctiN)",
	.check_config = kc_check_config,
	.init = kc_init,
	.shutdown = kc_shutdown,
	.submit = kc_op_submit,
	.timer = kc_timer,
	.card_records = kc_card_records,
	.card_closed = kc_card_closed,
	.card_changed = kc_card_changed,
};
