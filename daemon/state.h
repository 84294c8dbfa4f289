/* SPDX-License-Identifier: GPL-2.0 */
/*
 * state: the state file (`state = PATH`, default /var/lib/cti/ctid.state),
 * where ctid keeps the users and groups changed while it runs, so that a
 * crash or a restart loses none of them. Its sections are laid over the
 * configuration file's at start and at every reload (accounts.h).
 */
#ifndef CTID_STATE_H
#define CTID_STATE_H

#include <stddef.h>

struct acct_set;

/*
 * Reads @path into the empty @ovl. A missing file is an empty state (0);
 * otherwise 0 or -EINVAL with the first "path:line: why" in @why.
 */
int state_load(const char *path, struct acct_set *ovl, char *why, size_t n);
/*
 * Writes @ovl to @path atomically: a temporary file beside it, fsync,
 * rename over the old one, fsync of the directory. 0 or -errno, why in
 * @why; on failure the old file is untouched.
 */
int state_save(const char *path, const struct acct_set *ovl, char *why, size_t n);
/*
 * Writes @len bytes of @text to @path the same way, with mode 0600 (the
 * users file too). 0 or -errno, why in @why.
 */
int state_write_atomic(const char *path, const char *text, size_t len,
		       char *why, size_t n);

#endif
