// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * resync.c - refreshing the state when ctid could not resume the session
 *
 * A resync begins with a RESYNC frame (or, from a server that cannot
 * resume at all, with our own SNAPSHOT); every line is marked unseen, the
 * snapshot's lines and calls follow, and its END closes it: lines that
 * were not listed went away while we were gone, and the lines the program
 * had open are opened again, as it had opened them.
 */
#include <errno.h>
#include <string.h>

#include "session.h"

void cti_resync_begin(struct cti_session *s)
{
	s->resyncing = true;
	for (size_t i = 0; i < s->num_lines; i++)
		s->lines[i]->seen = false;
	cti_phones_resync_begin(s);
}

/* Ask for the state ourselves: the server did not say RESYNC. */
int cti_resync_request(struct cti_session *s)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_RESYNC };
	uint64_t req;
	int err;

	f.u.resync.reason = CTI_WIRE_RESYNC_UNKNOWN_SESSION;
	err = cti_msg_queue_frame(s, CTI_MSG_RESYNC, &f, NULL);
	if (err)
		return err;
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_SNAPSHOT;
	cti_resync_begin(s);
	err = cti_request_send(s, &f, CTI_LINE_NONE, 0, true, &req);
	if (!err)
		s->resync_req = req;
	/* broken already: the next connection resyncs again */
	return err == -ENOTCONN ? 0 : err;
}

/* Lines the snapshot did not list went away while we were gone. */
static int forget_unseen_lines(struct cti_session *s)
{
	for (size_t i = 0; i < s->num_lines; i++) {
		struct cti_line *line = s->lines[i];
		struct cti_msg *m;

		if (line->seen || line->removed)
			continue;
		line->removed = true;
		line->want = CTI_PRIV_NONE;
		line->info.privilege = CTI_PRIV_NONE;
		m = cti_msg_new(CTI_MSG_LINE_REMOVED, NULL);
		if (!m)
			return -ENOMEM;
		m->line = line;
		cti_msg_queue(s, m);
	}
	return 0;
}

/*
 * Open again, as the program had them, the lines the new session lacks.
 * -ENOTCONN means the connection broke during the reopen: stop here, the
 * resync that follows the next connection reopens what is still missing.
 */
static int reopen_lines(struct cti_session *s)
{
	for (size_t i = 0; i < s->num_lines; i++) {
		struct cti_line *line = s->lines[i];
		struct cti_wire_frame f = { .hdr.type = CTI_WIRE_OPEN_LINE };
		int err;

		if (line->removed || line->want == CTI_PRIV_NONE ||
		    line->info.privilege == line->want)
			continue;
		f.u.open_line.line = line->info.line;
		f.u.open_line.privilege = line->want;
		err = cti_request_send(s, &f, line->info.line, line->want,
				       true, NULL);
		if (err == -ENOTCONN)
			return 0;
		if (err)
			return err;
	}
	return 0;
}

/* The END of the snapshot: the state is whole again. */
int cti_resync_end(struct cti_session *s)
{
	int err;

	s->resyncing = false;
	err = forget_unseen_lines(s);
	if (!err)
		err = reopen_lines(s);
	if (!err)
		err = cti_phones_resync_end(s);
	return err;
}
