/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pconf: what every provider needs to read its section of ctid.conf.
 *
 * The host hands a provider its keys in file order, repeats included
 * (struct cti_provider_config): whether a key may repeat is the
 * provider's decision, so each provider states which of its keys are
 * lists and pconf_unique() refuses the others when given twice. Messages
 * take the form ctid uses for its own sections, "FILE:LINE: KEY: what".
 * These objects are linked into each provider's shared object, hidden.
 */
#ifndef CTI_PROVIDERS_PCONF_H
#define CTI_PROVIDERS_PCONF_H

#include <stdint.h>

#include "cti_provider.h"

/*
 * pconf_error() - log "FILE:LINE: KEY: @what" for key @kv of section @pc
 *
 * Returns -EINVAL, so that a parser can end with "return pconf_error(...)".
 */
int pconf_error(const struct cti_host_api *api, struct cti_host *host,
		const struct cti_provider_config *pc,
		const struct cti_provider_kv *kv, const char *what);

/*
 * pconf_u32() - parse @s as a decimal number in [@min, @max]
 *
 * No sign, no blanks, no base prefix. Returns 0 with *@out set, or -EINVAL.
 */
int pconf_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/*
 * pconf_unique() - refuse keys given twice in @pc
 * @repeatable: the keys that may repeat (lists), NULL-terminated; or NULL
 *
 * Logs "FILE:LINE: KEY: given twice (first at line N)" for each repeat of
 * any other key. Returns 0, or -EINVAL if any key was repeated.
 */
int pconf_unique(const struct cti_host_api *api, struct cti_host *host,
		 const struct cti_provider_config *pc,
		 const char *const *repeatable);

#endif /* CTI_PROVIDERS_PCONF_H */
