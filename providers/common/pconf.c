// SPDX-License-Identifier: LGPL-2.1-or-later
/* pconf: reading a provider's configuration section (pconf.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pconf.h"

static const char *pconf_file(const struct cti_provider_config *pc)
{
	return pc->file ? pc->file : "(config)";
}

int pconf_error(const struct cti_host_api *api, struct cti_host *host,
		const struct cti_provider_config *pc,
		const struct cti_provider_kv *kv, const char *what)
{
	api->log(host, CTI_LOG_ERR, "%s:%u: %s: %s", pconf_file(pc),
		 kv->lineno, kv->key, what);
	return -EINVAL;
}

int pconf_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static bool pconf_listed(const char *key, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(key, *list))
			return true;
	return false;
}

int pconf_unique(const struct cti_host_api *api, struct cti_host *host,
		 const struct cti_provider_config *pc,
		 const char *const *repeatable)
{
	int ret = 0;

	for (size_t i = 0; i < pc->count; i++) {
		const struct cti_provider_kv *kv = &pc->kv[i];

		if (pconf_listed(kv->key, repeatable))
			continue;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(pc->kv[j].key, kv->key))
				continue;
			api->log(host, CTI_LOG_ERR,
				 "%s:%u: %s: given twice (first at line %u)",
				 pconf_file(pc), kv->lineno, kv->key,
				 pc->kv[j].lineno);
			ret = -EINVAL;
			break;
		}
	}
	return ret;
}
