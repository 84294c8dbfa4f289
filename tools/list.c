// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * list.c - print the items a list request brought (calls, providers ...)
 * as a table or a JSON array
 */
#include "common.h"

/*
 * Items of a list request come queued, tagged with its request id, while
 * cti_session_wait_reply() waits for the REPLY; take them afterwards.
 */
static void take_items(struct ctl_list *l, uint64_t req,
		       enum cti_msg_type type,
		       void (*fn)(struct ctl_list *l, struct cti_msg *msg))
{
	struct cti_msg *msg;

	while (cti_session_next_msg(l->ctl->session, &msg) > 0) {
		if (cti_msg_get_type(msg) == type &&
		    cti_msg_get_request(msg) == req)
			fn(l, msg);
		cti_msg_free(msg);
	}
}

int ctl_list_print(struct ctl *ctl, uint64_t req, enum cti_msg_type type,
		   void (*fn)(struct ctl_list *l, struct cti_msg *msg),
		   size_t ncols, const char *const *headers)
{
	struct ctl_list l = { .ctl = ctl };

	if (ctl->json) {
		json_init(&l.j, stdout);
		json_begin(&l.j, NULL, '[');
	} else {
		l.t = table_new(ncols, headers);
	}
	take_items(&l, req, type, fn);
	if (ctl->json) {
		json_end(&l.j, ']');
		json_finish(&l.j);
	} else {
		table_print(l.t, stdout);
		table_free(l.t);
	}
	return 0;
}
