// SPDX-License-Identifier: LGPL-2.1-or-later
/* orphan_caller: see orphan_caller.h. */
#include "cti.h"
#include "orphan_caller.h"

int orphan_call_and_exit(const char *from, const char *to)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.flags = CTI_SESSION_NO_RECONNECT,
		.client_name = "caller",
	};
	struct cti_session *s;
	struct cti_line *line;
	uint32_t call = CTI_CALL_NONE;
	uint64_t req;

	if (cti_session_open(NULL, &o, &s))
		return 1;
	if (cti_session_find_line(s, from, &line))
		return 2;
	if (cti_line_open(line, CTI_PRIV_OWNER, &req) ||
	    cti_session_wait_reply(s, req, 5000, NULL))
		return 3;
	if (cti_line_make_call(line, to, &req) ||
	    cti_session_wait_reply(s, req, 5000, &call) ||
	    call == CTI_CALL_NONE)
		return 4;
	return 0;	/* not closed: the process just ends */
}
