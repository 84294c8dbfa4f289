// SPDX-License-Identifier: GPL-2.0
/*
 * floodprov: the userspace side of kcard_bench. A provider with one line,
 * "flood"; a DEV_SPECIFIC request "flood N" (1..FP_MAX) on it posts N
 * DIGITS records at once from ctid's loop, the very records cti_sim's
 * "N dtmf" flood posts in the kernel (line 0, call 1, the index modulo
 * 65536 as 4 DTMF symbols), each stamped with CLOCK_MONOTONIC as it is
 * posted. The benchmark compares the kernel card path (ring, ctid's card
 * host, kcard) with this path, where the records start in ctid itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cti_provider.h"

#define FP_MAX	65536

struct fp {
	const struct cti_host_api *api;
	struct cti_host *host;
	uint32_t next;			/* index of the next record */
};

static int fp_init(const struct cti_host_api *api, struct cti_host *host,
		   const struct cti_provider_config *cfg, void **state)
{
	struct cti_provider_line_desc d = {
		.size = sizeof(d), .max_calls = 1,
		.ops = 1ULL << CTI_CMD_DEV_SPECIFIC, .num_addresses = 1,
		.name = "flood", .addresses = { "990" },
	};
	struct fp *fp;
	int ret;

	(void)cfg;
	fp = calloc(1, sizeof(*fp));
	if (!fp)
		return -ENOMEM;
	fp->api = api;
	fp->host = host;
	ret = api->line_add(host, 0, &d, NULL);
	if (ret) {
		free(fp);
		return ret;
	}
	*state = fp;
	return 0;
}

static void fp_shutdown(void *state)
{
	free(state);
}

static uint64_t fp_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int fp_submit(void *state, const struct cti_provider_request *req)
{
	static const char sym[] = "0123456789*#ABCD";
	struct fp *fp = state;
	struct cti_ev_digits ev;
	char text[32];
	unsigned int n;
	char end;

	if (req->cmd != CTI_CMD_DEV_SPECIFIC)
		return -EOPNOTSUPP;
	if (!req->data_len || req->data_len >= sizeof(text))
		return -EINVAL;
	memcpy(text, req->data, req->data_len);
	text[req->data_len] = '\0';
	if (sscanf(text, "flood %u%c", &n, &end) != 1 || !n || n > FP_MAX)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++, fp->next++) {
		memset(&ev, 0, sizeof(ev));
		ev.hdr.type = CTI_EV_DIGITS;
		ev.hdr.size = sizeof(ev);
		ev.hdr.line = 0;
		ev.hdr.timestamp_ns = fp_mono_ns();
		ev.call = 1;	/* as the kernel's dtmf flood */
		ev.count = 4;
		for (int k = 0; k < 4; k++)
			ev.digits[k] = sym[(fp->next >> (12 - 4 * k)) & 0xf];
		if (fp->api->post_event(fp->host, &ev.hdr))
			return -EIO;
	}
	fp->api->complete(fp->host, req->handle, 0, CTI_CALL_NONE);
	return 0;
}

CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.size = sizeof(struct cti_provider_ops),
	.name = "floodprov",
	.description = "bench: floods of DIGITS records from userspace",
	.init = fp_init,
	.shutdown = fp_shutdown,
	.submit = fp_submit,
};
