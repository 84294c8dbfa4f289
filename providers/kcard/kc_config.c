// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kcard's configuration keys:
 *   card     = NAME   a card to take, by its name (ctictl cards); may be
 *                     given up to 16 times. Without it, every
 *                     call-control card is taken, present and future.
 *   retry_ms = how often to try again to follow the cards while cti.ko
 *              is not loaded (default 1000)
 */
#include <errno.h>
#include <string.h>

#include "kcard.h"
#include "common/pconf.h"

/* A card's name as the kernel makes them: printable, no '/', not empty. */
static bool kc_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= CTI_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '/')
			return false;
	return true;
}

static int kc_add_name(struct kc_config *cfg, const char *v)
{
	if (!kc_name_ok(v))
		return -EINVAL;
	if (kc_config_wants(cfg, v) && cfg->nnames)
		return -EEXIST;
	if (cfg->nnames >= KC_NAMES_MAX)
		return -E2BIG;
	strcpy(cfg->names[cfg->nnames++], v);
	return 0;
}

int kc_config_parse(struct kc_config *cfg, const struct cti_host_api *api,
		    struct cti_host *host, const struct cti_provider_config *pc)
{
	static const char *const lists[] = { "card", NULL };
	int ret = 0, err;

	memset(cfg, 0, sizeof(*cfg));
	if (pconf_unique(api, host, pc, lists))
		return -EINVAL;
	cfg->retry_ms = 1000;
	for (size_t i = 0; i < pc->count; i++) {
		const struct cti_provider_kv *kv = &pc->kv[i];

		if (!strcmp(kv->key, "card")) {
			err = kc_add_name(cfg, kv->value);
			if (err == -EINVAL)
				ret = pconf_error(api, host, pc, kv, "not a card name (1-31 printable characters, no '/' or space)");
			else if (err == -EEXIST)
				ret = pconf_error(api, host, pc, kv, "card named twice");
			else if (err)
				ret = pconf_error(api, host, pc, kv, "more than 16 cards named");
		} else if (!strcmp(kv->key, "retry_ms")) {
			if (pconf_u32(kv->value, 10, 3600000, &cfg->retry_ms))
				ret = pconf_error(api, host, pc, kv,
					     "not a number in 10..3600000");
		} else {
			ret = pconf_error(api, host, pc, kv, "unknown key");
		}
	}
	return ret;
}

bool kc_config_wants(const struct kc_config *cfg, const char *name)
{
	if (!cfg->nnames)
		return true;
	for (uint32_t i = 0; i < cfg->nnames; i++)
		if (!strcmp(cfg->names[i], name))
			return true;
	return false;
}
