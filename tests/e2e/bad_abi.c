// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bad_abi: a provider built for a provider ABI this ctid does not speak.
 * test_reload configures it next to the sim: ctid must refuse it with a
 * message that says why, and serve the sim's lines regardless.
 */
#include <errno.h>

#include "cti_provider.h"

static int bad_init(const struct cti_host_api *api, struct cti_host *host,
		    const struct cti_provider_config *cfg, void **state)
{
	(void)api;
	(void)host;
	(void)cfg;
	(void)state;
	/* never reached: ctid must not call a provider of another ABI */
	__builtin_trap();
}

static void bad_shutdown(void *state)
{
	(void)state;
}

static int bad_submit(void *state, const struct cti_provider_request *req)
{
	(void)state;
	(void)req;
	return -EOPNOTSUPP;
}

CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
	.abi_version = CTI_PROVIDER_ABI_VERSION + 1,
	.size = sizeof(struct cti_provider_ops),
	.name = "bad_abi",
	.description = "a provider of a future ABI",
	.init = bad_init,
	.shutdown = bad_shutdown,
	.submit = bad_submit,
};
