/* SPDX-License-Identifier: GPL-2.0 */
/* authz_reload: SIGHUP applies the access rules again (authz_reload.c). */
#ifndef CTID_AUTHZ_RELOAD_H
#define CTID_AUTHZ_RELOAD_H

struct ctid;

/*
 * Reads the configuration file's [user]/[group] sections again and applies
 * them to every line and session. A file with errors changes nothing
 * (-EINVAL, the errors logged); on the embedded default there is no file
 * to read (0).
 */
int authz_reload(struct ctid *ctx);

#endif
