// SPDX-License-Identifier: LGPL-2.1-or-later
/* link_state: the link-state record of a provider's switch link. */
#include <string.h>

#include "link_state.h"

int prov_post_link_state(const struct cti_host_api *api, struct cti_host *host,
			 uint32_t state)
{
	struct cti_ev_link_state ev;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.type = CTI_EV_LINK_STATE;
	ev.hdr.size = sizeof(ev);
	ev.hdr.line = CTI_LINE_NONE;
	ev.state = state;
	return api->post_event(host, &ev.hdr);
}
