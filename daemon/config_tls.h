/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config_tls: the [server] keys of the TLS listener (config_tls.c):
 * where it listens, its certificate, key and CA, what it asks of a
 * client's certificate, how a certificate names a user, the users file
 * (passwords) and the login bounds.
 */
#ifndef CTID_CONFIG_TLS_H
#define CTID_CONFIG_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CFG_TLS_MAX_LISTEN	8

enum cfg_client_cert {
	CFG_CLIENT_CERT_NONE,		/* not asked for: passwords only */
	CFG_CLIENT_CERT_OPTIONAL,	/* asked for; without one, LOGIN */
	CFG_CLIENT_CERT_REQUIRE,	/* the handshake fails without one */
};

enum cfg_cert_user {
	CFG_CERT_USER_CN,		/* the subject's commonName */
	CFG_CERT_USER_SAN,		/* the first DNS or email subjectAltName */
	CFG_CERT_USER_FINGERPRINT,	/* SHA-256 of the certificate, in the users file */
};

struct cfg_tls {
	char *listen[CFG_TLS_MAX_LISTEN];	/* "host:port", "[v6]:port", "*:port" */
	int listen_line[CFG_TLS_MAX_LISTEN];
	size_t nlisten;
	char *cert, *key, *ca;		/* PEM files */
	char *users;			/* the users file (passwords, fingerprints) */
	enum cfg_client_cert client_cert;
	enum cfg_cert_user cert_user;
	uint32_t login_timeout;		/* seconds from accept to authenticated */
	uint32_t max_unauthenticated;	/* connections not yet logged in */
	uint32_t login_failures;	/* per user and per address in a window */
	uint32_t login_window;		/* seconds */
	int line;			/* of the first TLS key, for messages */
};

/*
 * One [server] key: 1 if it is a TLS key and valid, 0 if it is not a TLS
 * key, -1 if it is one with a bad value (the reason in @err).
 */
int cfg_tls_key(struct cfg_tls *t, const char *key, const char *v, int line,
		char *err, size_t errlen);
/* The keys together: 0, or -1 with the reason in @err and its line. */
int cfg_tls_validate(const struct cfg_tls *t, char *err, size_t errlen, int *line);
void cfg_tls_defaults(struct cfg_tls *t);
void cfg_tls_free(struct cfg_tls *t);
void cfg_tls_dump(const struct cfg_tls *t, FILE *f);

/* Splits "host:port" ("[v6]:port", "*:port"); host is "" for any. */
int cfg_tls_split_addr(const char *s, char *host, size_t hostlen, uint16_t *port);

static inline bool cfg_tls_enabled(const struct cfg_tls *t)
{
	return t->nlisten > 0;
}

#endif
