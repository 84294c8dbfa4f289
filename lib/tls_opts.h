/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tls_opts.h - what a tls:// URI and the environment say (tls_opts.c)
 */
#ifndef CTI_TLS_OPTS_H
#define CTI_TLS_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "wire.h"

struct cti_tls_opts {
	char host[256];			/* a name or an address, no brackets */
	char port[8];
	char servername[256];		/* what the certificate must name */
	char ca[4096], cert[4096], key[4096];	/* "" when not given */
	char user[CTI_WIRE_USER_MAX];	/* "": no LOGIN */
	char password_file[4096];
	/* the password itself, from the file or $CTI_TLS_PASSWORD */
	char password[CTI_WIRE_PASSWORD_MAX + 1];
	size_t password_len;
};

/*
 * tls://HOST:PORT[?key=value&...] with keys ca, cert, key, user,
 * password_file, servername; each defaults to $CTI_TLS_CA, $CTI_TLS_CERT,
 * $CTI_TLS_KEY, $CTI_TLS_USER, $CTI_TLS_PASSWORD_FILE. A password is
 * never in the URI: $CTI_TLS_PASSWORD, or a file that only its owner may
 * read. Returns 0 or -EINVAL/-EPERM/-errno (detail set).
 */
int cti_tls_opts_parse(const char *uri, struct cti_tls_opts *o);
void cti_tls_opts_wipe(struct cti_tls_opts *o);

#endif /* CTI_TLS_OPTS_H */
