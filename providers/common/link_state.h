/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * link_state: how a provider with a link to a switch (a TCP, TLS, serial
 * or card link) tells clients that the link came up or went down.
 */
#ifndef CTI_PROVIDERS_LINK_STATE_H
#define CTI_PROVIDERS_LINK_STATE_H

#include <stdint.h>

#include "cti_provider.h"

/*
 * prov_post_link_state() - post the instance-wide CTI_EV_LINK_STATE @state
 * (CTI_LINK_*). Returns what the host's post_event() returns.
 */
int prov_post_link_state(const struct cti_host_api *api, struct cti_host *host,
			 uint32_t state);

#endif /* CTI_PROVIDERS_LINK_STATE_H */
