// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * uri.c - turn a session URI into a socket address
 *
 * Local sockets: "unix:/run/ctid/ctid.sock", a plain absolute path, or
 * "unix:@name" for the abstract namespace. A remote ctid: "tls://host:port"
 * with options, kept whole for the TLS transport (tls_opts.c). Any other
 * scheme ("tcp:", "tls:host") is refused with EPROTONOSUPPORT rather than
 * guessed at, so that a program asking for a remote server never talks to
 * a local one, and never without TLS.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "internal.h"

int cti_uri_parse(const char *uri, char **pathp)
{
	const char *path;
	char *copy;

	if (!uri || !*uri) {
		uri = getenv("CTI_URI");
		if (!uri || !*uri)
			uri = CTI_DEFAULT_URI;
	}
	if (!strncmp(uri, "tls://", 6)) {
		/* the transport parses the rest (tls_opts.c) at each connect */
		copy = strdup(uri);
		if (!copy)
			return -ENOMEM;
		*pathp = copy;
		return 0;
	}
	if (!strncmp(uri, "unix:", 5))
		path = uri + 5;
	else if (uri[0] == '/')
		path = uri;
	else if (strchr(uri, ':'))
		return -EPROTONOSUPPORT;
	else
		return -EINVAL;

	/* sun_path holds the path and, for filesystem sockets, its NUL */
	if (!*path || strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return -EINVAL;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	*pathp = copy;
	return 0;
}
