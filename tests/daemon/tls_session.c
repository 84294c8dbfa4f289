// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tls_session: the libcti side of test_tls_server (see tls_session.h).
 */
#include <stdio.h>
#include <string.h>

#include "cti.h"
#include "tls_session.h"

int ts_open(const char *uri, struct cti_session **sp, char *detail, size_t n)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.flags = CTI_SESSION_NO_RECONNECT,
		.timeout_ms = 8000,
		.client_name = "test_tls",
	};
	int err = cti_session_open(uri, &o, sp);

	snprintf(detail, n, "%s", err ? cti_session_error_detail() : "");
	return err;
}

size_t ts_line_ids(struct cti_session *s, uint32_t *ids, size_t max)
{
	size_t n = cti_session_get_num_lines(s), k = 0;

	for (size_t i = 0; i < n && k < max; i++)
		ids[k++] = cti_line_get_id(cti_session_get_line(s, i));
	/* insertion sort: a handful of lines */
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j && ids[j - 1] > ids[j]; j--) {
			uint32_t t = ids[j];

			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	return k;
}

int ts_ping(struct cti_session *s)
{
	uint64_t req;
	int err = cti_session_ping(s, &req);

	if (err)
		return err;
	return cti_session_wait_reply(s, req, 5000, NULL);
}

int ts_reload(struct cti_session *s)
{
	uint64_t req;
	int err = cti_session_reload_server(s, &req);

	if (err)
		return err;
	return cti_session_wait_reply(s, req, 5000, NULL);
}

void ts_close(struct cti_session *s)
{
	cti_session_close(s);
}
