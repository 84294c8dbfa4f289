/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proxy: a unix-socket relay between a desktop ctid and a server ctid that
 * breaks the link on command: stall (bytes stop, the sockets stay open),
 * drop (every connection closed at once), cut (the next frame from the
 * server is cut in its middle, then both sides are closed) and refuse
 * (new connections are accepted and closed at once: a server that is
 * unreachable). It runs in a thread of the test; the controls may be
 * called from the test at any time.
 */
#ifndef CTI_TESTS_PROXY_H
#define CTI_TESTS_PROXY_H

#include <stdbool.h>

struct proxy;

/* Listen on @listen_path, relay each connection to @upstream_path. */
struct proxy *proxy_start(const char *listen_path, const char *upstream_path);

/*
 * The same as a TLS 1.3 server on 127.0.0.1 (the port is written to
 * @port): the desktop's side speaks TLS with @cert/@key, and with @ca
 * must present a certificate that chains to it. The server's side stays
 * plain (the server ctid's unix socket): a stand-in for the server's own
 * TLS listener, so the desktop's TLS client is tested end to end.
 */
struct proxy_tls {
	const char *cert, *key, *ca;
};
struct proxy *proxy_start_tls(const struct proxy_tls *tls, const char *upstream_path,
			      unsigned short *port);
/* TLS handshakes the proxy refused or that failed. */
unsigned int proxy_tls_failures(struct proxy *px);
void proxy_stop(struct proxy *px);

void proxy_stall(struct proxy *px, bool on);
void proxy_drop(struct proxy *px);
void proxy_cut(struct proxy *px);
void proxy_refuse(struct proxy *px, bool on);

/* Connections accepted so far, and relayed ones cut by proxy_cut(). */
unsigned int proxy_accepted(struct proxy *px);
unsigned int proxy_cuts(struct proxy *px);

#endif
