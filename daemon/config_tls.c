// SPDX-License-Identifier: GPL-2.0
/*
 * config_tls: the TLS keys of [server]. Each is checked alone here (a
 * path is absolute, a number is in range); what depends on several
 * (a listener needs a certificate and a key, a required client
 * certificate needs a CA) is checked by cfg_tls_validate() once the file
 * is read. Whether the files can be read and hold what they should is
 * for tls_server.c, at start-up and on every reload, so that the message names
 * the file and OpenSSL's reason.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_tls.h"

void cfg_tls_defaults(struct cfg_tls *t)
{
	memset(t, 0, sizeof(*t));
	t->client_cert = CFG_CLIENT_CERT_OPTIONAL;
	t->cert_user = CFG_CERT_USER_CN;
	t->login_timeout = 10;
	t->max_unauthenticated = 256;
	t->login_failures = 5;
	t->login_window = 60;
}

void cfg_tls_free(struct cfg_tls *t)
{
	for (size_t i = 0; i < t->nlisten; i++)
		free(t->listen[i]);
	free(t->cert);
	free(t->key);
	free(t->ca);
	free(t->users);
	memset(t, 0, sizeof(*t));
}

int cfg_tls_split_addr(const char *s, char *host, size_t hostlen, uint16_t *port)
{
	const char *colon, *h = s, *hend;
	unsigned long p;
	char *end;

	if (s[0] == '[') {
		hend = strchr(s, ']');
		if (!hend || hend[1] != ':')
			return -EINVAL;
		h = s + 1;
		colon = hend + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || memchr(s, ':', (size_t)(colon - s)))
			return -EINVAL;	/* a bare v6 address needs brackets */
		hend = colon;
	}
	if ((size_t)(hend - h) >= hostlen)
		return -ENAMETOOLONG;
	memcpy(host, h, (size_t)(hend - h));
	host[hend - h] = '\0';
	if (!strcmp(host, "*"))
		host[0] = '\0';
	else if (!host[0])
		return -EINVAL;
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno || *end || colon[1] < '0' || colon[1] > '9' || p < 1 || p > 65535)
		return -ERANGE;
	*port = (uint16_t)p;
	return 0;
}

static int set_path(char **slot, const char *key, const char *v, char *err, size_t n)
{
	if (v[0] != '/' || strstr(v, "/../") || strlen(v) >= PATH_MAX) {
		snprintf(err, n, "%s: want an absolute path", key);
		return -1;
	}
	free(*slot);
	*slot = strdup(v);
	return 1;
}

static int set_u32(uint32_t *slot, const char *key, const char *v, uint32_t lo, uint32_t hi,
		   const char *unit, char *err, size_t n)
{
	unsigned long long x;
	char *end;

	errno = 0;
	x = strtoull(v, &end, 10);
	if (!*v || *v < '0' || *v > '9' || errno || *end || x < lo || x > hi) {
		snprintf(err, n, "%s: want %s from %u to %u", key, unit, lo, hi);
		return -1;
	}
	*slot = (uint32_t)x;
	return 1;
}

static int set_listen(struct cfg_tls *t, const char *v, int line, char *err, size_t n)
{
	char host[256];
	uint16_t port;

	if (cfg_tls_split_addr(v, host, sizeof(host), &port)) {
		snprintf(err, n, "tls_listen: want HOST:PORT, [IPv6]:PORT or *:PORT (port 1-65535), not \"%s\"",
			 v);
		return -1;
	}
	if (t->nlisten == CFG_TLS_MAX_LISTEN) {
		snprintf(err, n, "tls_listen: more than %d addresses", CFG_TLS_MAX_LISTEN);
		return -1;
	}
	t->listen_line[t->nlisten] = line;
	t->listen[t->nlisten++] = strdup(v);
	return 1;
}

static int set_enum(const char *key, const char *v, const char *const *names, int *out,
		    const char *want, char *err, size_t n)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(v, names[i])) {
			*out = i;
			return 1;
		}
	snprintf(err, n, "%s: want %s, not \"%s\"", key, want, v);
	return -1;
}

static const char *const client_cert_names[] = { "none", "optional", "require", NULL };
static const char *const cert_user_names[] = { "cn", "san", "fingerprint", NULL };

int cfg_tls_key(struct cfg_tls *t, const char *key, const char *v, int line,
		char *err, size_t errlen)
{
	int r = 0, e;

	if (!strcmp(key, "tls_listen"))
		r = set_listen(t, v, line, err, errlen);
	else if (!strcmp(key, "tls_cert"))
		r = set_path(&t->cert, key, v, err, errlen);
	else if (!strcmp(key, "tls_key"))
		r = set_path(&t->key, key, v, err, errlen);
	else if (!strcmp(key, "tls_ca"))
		r = set_path(&t->ca, key, v, err, errlen);
	else if (!strcmp(key, "users_file"))
		r = set_path(&t->users, key, v, err, errlen);
	else if (!strcmp(key, "tls_client_cert")) {
		r = set_enum(key, v, client_cert_names, &e, "none, optional or require", err, errlen);
		t->client_cert = r > 0 ? (enum cfg_client_cert)e : t->client_cert;
	} else if (!strcmp(key, "tls_cert_user")) {
		r = set_enum(key, v, cert_user_names, &e, "cn, san or fingerprint", err, errlen);
		t->cert_user = r > 0 ? (enum cfg_cert_user)e : t->cert_user;
	} else if (!strcmp(key, "login_timeout"))
		r = set_u32(&t->login_timeout, key, v, 1, 600, "seconds", err, errlen);
	else if (!strcmp(key, "max_unauthenticated"))
		r = set_u32(&t->max_unauthenticated, key, v, 1, 1u << 16, "connections", err, errlen);
	else if (!strcmp(key, "login_failures"))
		r = set_u32(&t->login_failures, key, v, 1, 1000, "failures", err, errlen);
	else if (!strcmp(key, "login_window"))
		r = set_u32(&t->login_window, key, v, 1, 86400, "seconds", err, errlen);
	if (r && !t->line)
		t->line = line;
	return r;
}

int cfg_tls_validate(const struct cfg_tls *t, char *err, size_t n, int *line)
{
	*line = t->line;
	if (!t->nlisten) {
		if (t->line)
			snprintf(err, n, "TLS keys given but no tls_listen: ctid would not listen on TCP");
		return t->line ? -1 : 0;
	}
	*line = t->listen_line[0];
	if (!t->cert || !t->key) {
		snprintf(err, n, "tls_listen needs tls_cert and tls_key (the server's certificate and key)");
		return -1;
	}
	if (t->client_cert != CFG_CLIENT_CERT_NONE && !t->ca) {
		snprintf(err, n, "tls_client_cert = %s needs tls_ca (the CA that signs client certificates)",
			 client_cert_names[t->client_cert]);
		return -1;
	}
	if (t->client_cert == CFG_CLIENT_CERT_NONE && !t->users) {
		snprintf(err, n, "tls_client_cert = none leaves passwords as the only login: it needs users_file");
		return -1;
	}
	if (t->cert_user == CFG_CERT_USER_FINGERPRINT && !t->users) {
		snprintf(err, n, "tls_cert_user = fingerprint looks fingerprints up in users_file: give one");
		return -1;
	}
	return 0;
}

void cfg_tls_dump(const struct cfg_tls *t, FILE *f)
{
	for (size_t i = 0; i < t->nlisten; i++)
		fprintf(f, "tls_listen = %s\n", t->listen[i]);
	if (!t->nlisten)
		return;
	fprintf(f, "tls_cert = %s\ntls_key = %s\n", t->cert, t->key);
	if (t->ca)
		fprintf(f, "tls_ca = %s\n", t->ca);
	if (t->users)
		fprintf(f, "users_file = %s\n", t->users);
	fprintf(f, "tls_client_cert = %s\ntls_cert_user = %s\nlogin_timeout = %u\nmax_unauthenticated = %u\nlogin_failures = %u\nlogin_window = %u\n",
		client_cert_names[t->client_cert], cert_user_names[t->cert_user],
		t->login_timeout, t->max_unauthenticated, t->login_failures, t->login_window);
}
