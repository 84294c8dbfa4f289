/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * orphan_caller: the program of test_orphan that makes a call through
 * libcti and ends. In a file of its own because libcti's public header
 * and the wire codec's (which the raw client needs) cannot meet in one
 * translation unit.
 */
#ifndef CTI_TESTS_ORPHAN_CALLER_H
#define CTI_TESTS_ORPHAN_CALLER_H

/*
 * What `ctictl call FROM TO` does, on the ctid of $CTI_URI: a session
 * that never reconnects, line @from opened as OWNER, a call to @to.
 * Returns 0 when the call was made, else the step that failed (1..4), for
 * a child's exit status; the session is left open, for the exit to end.
 */
int orphan_call_and_exit(const char *from, const char *to);

/*
 * The same with a session that may resume (libcti's default), closed
 * with cti_session_close() once the call is made: libcti says BYE.
 */
int orphan_call_and_close(const char *from, const char *to);

/*
 * The same, resumable, then one byte on @ready_fd and waiting to be
 * killed (SIGKILL: no BYE, a dropped connection as far as ctid knows).
 */
int orphan_call_and_wait(const char *from, const char *to, int ready_fd);

#endif
