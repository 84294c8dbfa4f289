// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * silent: a provider that takes every request and never answers, not even
 * when it is unloaded. test_reload uses it to check the host's side of
 * "every request completes exactly once": ctid answers ETIMEDOUT after
 * request_timeout, and ECANCELED for what the provider still held when it
 * was unloaded, each exactly once.
 */
#include <errno.h>
#include <string.h>

#include "cti_provider.h"

static int silent_init(const struct cti_host_api *api, struct cti_host *host,
		       const struct cti_provider_config *cfg, void **state)
{
	struct cti_provider_line_desc desc;

	(void)cfg;
	memset(&desc, 0, sizeof(desc));
	desc.size = sizeof(desc);
	desc.max_calls = 1;
	desc.ops = 1ull << CTI_CMD_SET_DND;
	desc.status = CTI_LINE_IN_SERVICE;
	desc.num_addresses = 1;
	strcpy(desc.name, "mute");
	strcpy(desc.addresses[0], "900");
	*state = NULL;
	return api->line_add(host, 0, &desc, NULL);
}

static void silent_shutdown(void *state)
{
	/* holds its requests: completing them is left to the host */
	(void)state;
}

static int silent_submit(void *state, const struct cti_provider_request *req)
{
	(void)state;
	(void)req;
	return 0;
}

CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.size = sizeof(struct cti_provider_ops),
	.name = "silent",
	.description = "takes every request, answers none",
	.init = silent_init,
	.shutdown = silent_shutdown,
	.submit = silent_submit,
};
