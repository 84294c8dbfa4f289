/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reload: the configuration read again while ctid runs (SIGHUP,
 * SERVER_RELOAD), and the state file laid over it at start (reload.c).
 */
#ifndef CTID_RELOAD_H
#define CTID_RELOAD_H

#include <stddef.h>

struct ctid;

/*
 * At start, before any provider: reads the state file and lays its
 * sections over the configuration's. 0, or -errno with why in @why (ctid
 * does not start on a broken state file: it would lose the changes).
 */
int reload_state_start(struct ctid *ctx, char *why, size_t n);
void reload_state_stop(struct ctid *ctx);

/*
 * The whole configuration file again, checked first and applied whole or
 * not at all: a file with any error, a users file, certificate, key or CA
 * that does not load, or more sections than CFG_MAX_ACL with the state's,
 * changes nothing (-EINVAL, -ENOSPC...; the first "FILE:LINE: why" in
 * @why, every error in the log). Applied: users and groups (with the
 * state over them) to every line and session at once, the TLS
 * certificate, key, CA, users file and login limits for new connections,
 * and the [server] limits (queue_limit, max_*, request_timeout). The
 * sockets, the state and audit paths and the [provider] sections need a
 * restart (a warning says which changed). On the embedded default there
 * is no file to read: 0.
 */
int server_reload(struct ctid *ctx, char *why, size_t n);

#endif
