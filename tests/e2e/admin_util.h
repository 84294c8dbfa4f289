/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * admin_util: the live administration requests through the raw client,
 * for test_admin and test_admin_reload, and a connection made as another
 * uid (ctid knows a unix client by the credentials of its connect()).
 */
#ifndef CTI_TESTS_ADMIN_UTIL_H
#define CTI_TESTS_ADMIN_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rawclient.h"

/* What one request brought: its items, the note, the REPLY's error. */
struct au_answer {
	int error;
	char note[CTI_WIRE_NOTE_MAX];	/* ADMIN_NOTE's message, or "" */
	struct cti_wire_account acct[64];
	struct cti_wire_session_info sess[64];
	size_t nacct, nsess;
	uint32_t end_count;		/* END's count; UINT32_MAX: no END */
};

/*
 * Connects to @sock as @uid/@gid (a child connects and hands the socket
 * over) and says HELLO as @name with @features | CTI_WIRE_FEAT_ACCOUNTS.
 * Fails the running test if it cannot.
 */
void au_session_as(struct rc *c, const char *sock, uid_t uid, gid_t gid,
		   const char *name, uint64_t features);
/* Only the connection (HELLO is the caller's: rc_hello() to resume). */
void au_connect_as(struct rc *c, const char *sock, uid_t uid, gid_t gid);
/* The same as the test's own uid. */
void au_session(struct rc *c, const char *sock, const char *name);

/* Sends @f (id chosen) and collects its answer in @a: returns a->error. */
int au_request(struct rc *c, struct cti_wire_frame *f, struct au_answer *a);

int au_account(struct rc *c, uint16_t type, uint32_t kind, uint32_t flags,
	       const char *name, struct au_answer *a);
int au_grant(struct rc *c, uint16_t type, uint32_t kind, const char *name,
	     uint32_t right, const char *spec, struct au_answer *a);
int au_list_accounts(struct rc *c, uint32_t kind, struct au_answer *a);
int au_list_sessions(struct rc *c, struct au_answer *a);
int au_kick(struct rc *c, uint64_t session, struct au_answer *a);
int au_reload(struct rc *c, struct au_answer *a);
int au_set_password(struct rc *c, const char *user, const char *hash,
		    struct au_answer *a);

/* The listed account of that kind and name, or NULL. */
const struct cti_wire_account *au_find(const struct au_answer *a, uint32_t kind,
				       const char *name);

/* Lines of @path that contain @needle (0 if there is no such file). */
int au_file_count(const char *path, const char *needle);

#endif
