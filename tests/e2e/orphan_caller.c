// SPDX-License-Identifier: LGPL-2.1-or-later
/* orphan_caller: see orphan_caller.h. */
#include <unistd.h>

#include "cti.h"
#include "orphan_caller.h"

/* Session with @flags, line @from opened as OWNER, a call to @to. */
static int call(const char *from, const char *to, unsigned int flags,
		struct cti_session **sp)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.flags = flags,
		.client_name = "caller",
	};
	struct cti_session *s;
	struct cti_line *line;
	uint32_t c = CTI_CALL_NONE;
	uint64_t req;

	if (cti_session_open(NULL, &o, &s))
		return 1;
	*sp = s;
	if (cti_session_find_line(s, from, &line))
		return 2;
	if (cti_line_open(line, CTI_PRIV_OWNER, &req) ||
	    cti_session_wait_reply(s, req, 5000, NULL))
		return 3;
	if (cti_line_make_call(line, to, &req) ||
	    cti_session_wait_reply(s, req, 5000, &c) ||
	    c == CTI_CALL_NONE)
		return 4;
	return 0;
}

int orphan_call_and_exit(const char *from, const char *to)
{
	struct cti_session *s;

	return call(from, to, CTI_SESSION_NO_RECONNECT, &s);
	/* not closed: the process just ends */
}

int orphan_call_and_close(const char *from, const char *to)
{
	struct cti_session *s = NULL;
	int ret = call(from, to, 0, &s);

	if (!ret)
		cti_session_close(s);
	return ret;
}

int orphan_call_and_wait(const char *from, const char *to, int ready_fd)
{
	struct cti_session *s = NULL;
	int ret = call(from, to, 0, &s);

	if (ret)
		return ret;
	if (write(ready_fd, "", 1) != 1)
		return 5;
	for (;;)
		pause();	/* until SIGKILL */
}
