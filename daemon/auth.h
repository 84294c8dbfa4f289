/* SPDX-License-Identifier: GPL-2.0 */
/*
 * auth: who a TLS client is (auth.c). A client certificate names a user
 * by the tls_cert_user rule at the end of the handshake; otherwise LOGIN
 * checks a password against the users file on the pwcheck worker. Until
 * then the connection may say nothing but LOGIN (dispatch.c).
 *
 * A logged-in user gets a uid of its own (ruid.h).
 */
#ifndef CTID_AUTH_H
#define CTID_AUTH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "acl.h"
#include "pwcheck.h"
#include "tls_server.h"
#include "users.h"
#include "wire.h"

#define AUTH_RL_SLOTS		1024

struct ctid;
struct conn;

/* Login failures of one user or one address in the current window. */
struct auth_rl {
	char key[56];			/* "u:NAME" or "a:ADDRESS"; "" free */
	uint64_t since;			/* the window's start, loop ns */
	uint32_t failures;
};

struct auth_state {
	struct tls_server tls;
	struct users_db users;
	struct pwcheck pw;
	struct auth_rl rl[AUTH_RL_SLOTS];
	bool started;
};

/* Loads certificates and users, starts the worker: 0 or -errno (logged). */
int auth_start(struct ctid *ctx);
void auth_stop(struct ctid *ctx);
/*
 * Reads certificate, key, CA and users file again. What fails to load
 * keeps its old value; established connections are not touched.
 */
int auth_reload(struct ctid *ctx);
/* The handshake of @c ended: log it in by its certificate, if it has one. */
void auth_tls_established(struct ctid *ctx, struct conn *c);
/* LOGIN on @c (TLS, not yet authenticated): answered with a REPLY. */
void auth_login(struct ctid *ctx, struct conn *c, const struct cti_wire_frame *f);
/* @c goes: a password check under way is forgotten. */
void auth_conn_gone(struct ctid *ctx, struct conn *c);

#endif
