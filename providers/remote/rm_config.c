// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The keys of a remote provider's section (README.md has the table):
 *   address     = ADDR[, ADDR...]  ADDR: unix:PATH | tls:HOST:PORT, tried
 *                 in order (one key: ctid refuses a key given twice)
 *   ca, cert, key, server_name, verify_name = yes|no   (TLS)
 *   keepalive_ms, dead_ms, retry_min_ms, retry_max_ms, max_pending
 *   client_name
 * Every key is checked here, so ctid --check-config finds what init would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remote.h"

static int rm_err(const struct cti_host_api *api, struct cti_host *host,
		  const struct cti_provider_config *pc,
		  const struct cti_provider_kv *kv, const char *what)
{
	api->log(host, CTI_LOG_ERR, "%s:%u: %s: %s", pc->file ? pc->file : "?",
		 kv->lineno, kv->key, what);
	return -EINVAL;
}

static int rm_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int rm_address(struct rm_config *cfg, const char *v)
{
	struct rm_addr *a;
	const char *rest, *colon;
	uint32_t port;

	if (cfg->naddrs == RM_MAX_ADDRS)
		return -E2BIG;
	a = &cfg->addrs[cfg->naddrs];
	if (!strncmp(v, "unix:", 5)) {
		rest = v + 5;
		if (rest[0] != '/' || strlen(rest) >= sizeof(a->host))
			return -EINVAL;
		a->kind = RM_UNIX;
		strcpy(a->host, rest);
	} else if (!strncmp(v, "tls:", 4)) {
		rest = v + 4;
		colon = strrchr(rest, ':');
		if (!colon || colon == rest || (size_t)(colon - rest) >= sizeof(a->host) ||
		    rm_u32(colon + 1, 1, 65535, &port))
			return -EINVAL;
		/* [v6]:port: the brackets are the URI's, not the address's */
		if (rest[0] == '[' && colon[-1] == ']') {
			memcpy(a->host, rest + 1, colon - rest - 2);
			a->host[colon - rest - 2] = '\0';
		} else {
			memcpy(a->host, rest, colon - rest);
			a->host[colon - rest] = '\0';
		}
		a->kind = RM_TLS;
		a->port = (uint16_t)port;
	} else {
		return -EINVAL;
	}
	cfg->naddrs++;
	return 0;
}

static int rm_str(char *dst, size_t size, const char *v, bool path)
{
	if (!*v || strlen(v) >= size || (path && v[0] != '/'))
		return -EINVAL;
	strcpy(dst, v);
	return 0;
}

static int rm_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

/* A comma-separated list of addresses, each as rm_address() takes it. */
static int rm_addresses(struct rm_config *cfg, const char *v)
{
	char item[RM_PATH_MAX + 16];

	while (*v) {
		size_t n;
		int ret;

		v += strspn(v, " \t");
		n = strcspn(v, ",");
		while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
			n--;
		if (!n || n >= sizeof(item))
			return -EINVAL;
		memcpy(item, v, n);
		item[n] = '\0';
		ret = rm_address(cfg, item);
		if (ret)
			return ret;
		v += strcspn(v, ",");
		if (*v == ',' && !*++v)
			return -EINVAL;		/* a trailing comma */
	}
	return 0;
}

/* One key; a message for a bad value, NULL for an unknown key. */
static const char *rm_key(struct rm_config *cfg, const char *k, const char *v, bool *known)
{
	*known = true;
	if (!strcmp(k, "address")) {
		int ret = cfg->naddrs ? -EINVAL : rm_addresses(cfg, v);

		if (ret == -E2BIG)
			return "more than 8 addresses";
		return ret ? "want unix:/PATH or tls:HOST:PORT (a numeric address or localhost), comma-separated" : NULL;
	}
	if (!strcmp(k, "ca"))
		return rm_str(cfg->ca, sizeof(cfg->ca), v, true) ? "want an absolute path" : NULL;
	if (!strcmp(k, "cert"))
		return rm_str(cfg->cert, sizeof(cfg->cert), v, true) ? "want an absolute path" : NULL;
	if (!strcmp(k, "key"))
		return rm_str(cfg->key, sizeof(cfg->key), v, true) ? "want an absolute path" : NULL;
	if (!strcmp(k, "server_name"))
		return rm_str(cfg->server_name, sizeof(cfg->server_name), v, false) ?
			"want a name" : NULL;
	if (!strcmp(k, "verify_name"))
		return rm_bool(v, &cfg->verify_name) ? "want yes or no" : NULL;
	if (!strcmp(k, "keepalive_ms"))
		return rm_u32(v, 10, 600000, &cfg->keepalive_ms) ? "want 10..600000" : NULL;
	if (!strcmp(k, "dead_ms"))
		return rm_u32(v, 20, 3600000, &cfg->dead_ms) ? "want 20..3600000" : NULL;
	if (!strcmp(k, "retry_min_ms"))
		return rm_u32(v, 1, 600000, &cfg->retry_min_ms) ? "want 1..600000" : NULL;
	if (!strcmp(k, "retry_max_ms"))
		return rm_u32(v, 1, 3600000, &cfg->retry_max_ms) ? "want 1..3600000" : NULL;
	if (!strcmp(k, "max_pending"))
		return rm_u32(v, 1, 65536, &cfg->max_pending) ? "want 1..65536" : NULL;
	if (!strcmp(k, "client_name"))
		return rm_str(cfg->client_name, sizeof(cfg->client_name), v, false) ||
		       cti_wire_check_name(v, strlen(v)) ? "want printable text, at most 31 bytes" : NULL;
	*known = false;
	return NULL;
}

static void rm_defaults(struct rm_config *cfg, const char *instance)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->verify_name = true;
	cfg->keepalive_ms = 2000;
	cfg->dead_ms = 6000;
	cfg->retry_min_ms = 100;
	cfg->retry_max_ms = 5000;
	cfg->max_pending = 1024;
	snprintf(cfg->client_name, sizeof(cfg->client_name), "ctid-remote %.18s", instance);
}

/* What only the whole section can tell. */
static const char *rm_check(const struct rm_config *cfg)
{
	bool tls = false;

	if (!cfg->naddrs)
		return "no address = ... (where the server is)";
	for (unsigned int i = 0; i < cfg->naddrs; i++)
		tls |= cfg->addrs[i].kind == RM_TLS;
	if (!cfg->cert[0] != !cfg->key[0])
		return "cert and key go together";
	if (!tls && (cfg->ca[0] || cfg->cert[0] || cfg->server_name[0]))
		return "ca, cert, key and server_name need a tls: address";
	if (cfg->dead_ms <= cfg->keepalive_ms)
		return "dead_ms must be longer than keepalive_ms";
	if (cfg->retry_max_ms < cfg->retry_min_ms)
		return "retry_max_ms is below retry_min_ms";
	return NULL;
}

int rm_config_parse(const struct cti_host_api *api, struct cti_host *host,
		    const struct cti_provider_config *pc, struct rm_config *cfg)
{
	const char *msg;
	int ret = 0;
	bool known;

	rm_defaults(cfg, pc->name);
	for (size_t i = 0; i < pc->count; i++) {
		const struct cti_provider_kv *kv = &pc->kv[i];

		msg = rm_key(cfg, kv->key, kv->value, &known);
		if (!known)
			ret = rm_err(api, host, pc, kv, "unknown key");
		else if (msg)
			ret = rm_err(api, host, pc, kv, msg);
	}
	msg = ret ? NULL : rm_check(cfg);
	if (msg) {
		api->log(host, CTI_LOG_ERR, "%s: [provider %s]: %s",
			 pc->file ? pc->file : "?", pc->name, msg);
		ret = -EINVAL;
	}
	return ret;
}
