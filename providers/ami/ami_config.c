// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ami provider's configuration keys (README.md, "Configuration"):
 *   host, port          the Asterisk's AMI (port 5038 by default)
 *   username, secret    a manager.conf user
 *   auth                md5 (challenge, the default) or plain
 *   context             where MAKE_CALL and transfers dial (from-cti)
 *   park_context        where a parked call's slot is dialled (parkedcalls)
 *   parkinglot          the lot PARK uses (default)
 *   conf_context        where ConfBridge(${EXTEN}) runs: conferences (none)
 *   timeout_ms          an action Asterisk does not answer fails (5000)
 *   keepalive_ms        a Ping after this much silence (10000)
 *   retry_min_ms, retry_max_ms   reconnect backoff (500, 30000)
 *   filter              yes: ask Asterisk for our events only (yes)
 *   tls                 yes: AMI over TLS 1.3 (no); the host's TLS transport
 *   tls_ca, tls_cert, tls_key   PEM files (the host reads them)
 *   tls_server_name     the name Asterisk's certificate carries (host)
 *   tls_verify_name     no: check the chain only (yes)
 *   line = NAME EXT DEVICE [QUEUE,QUEUE..]   one line (repeatable), or
 *   line.NAME = EXT DEVICE [QUEUE,..]        the same, named by the key
 * Every value that ends up in an action is checked here for bytes that
 * could end an AMI line or field.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ami.h"
#include "common/pconf.h"

/* Names that go into actions: printable, no blanks, no AMI syntax. */
static int ami_word(char *dst, size_t size, const char *v)
{
	size_t i, n = strlen(v);

	if (!n || n >= size)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] > '~' || v[i] == ':')
			return -EINVAL;
	memcpy(dst, v, n + 1);
	return 0;
}

/* An extension: digits, '*', '#', '+' (what a phone can dial). */
static int ami_ext(char *dst, size_t size, const char *v)
{
	size_t i, n = strlen(v);

	if (!n || n >= size)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!strchr("0123456789*#+", v[i]))
			return -EINVAL;
	memcpy(dst, v, n + 1);
	return 0;
}

static int ami_line_parse(struct ami_config *cfg, const char *v)
{
	char buf[512], *save = NULL, *name, *ext, *dev, *queues, *extra;
	struct ami_line_cfg *lc, *n;
	size_t i;

	if (strlen(v) >= sizeof(buf) || cfg->nlines >= AMI_LINES_MAX)
		return -EINVAL;
	strcpy(buf, v);
	name = strtok_r(buf, " \t", &save);
	ext = strtok_r(NULL, " \t", &save);
	dev = strtok_r(NULL, " \t", &save);
	queues = strtok_r(NULL, " \t", &save);
	extra = strtok_r(NULL, " \t", &save);
	if (!dev || extra)
		return -EINVAL;
	n = realloc(cfg->lines, (cfg->nlines + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	cfg->lines = n;
	lc = memset(&n[cfg->nlines], 0, sizeof(*lc));
	if (ami_word(lc->name, sizeof(lc->name), name) ||
	    ami_ext(lc->ext, sizeof(lc->ext), ext) ||
	    ami_word(lc->device, sizeof(lc->device), dev) ||
	    !strchr(lc->device, '/') ||
	    (queues && ami_word(lc->queues, sizeof(lc->queues), queues)))
		return -EINVAL;
	for (i = 0; i < cfg->nlines; i++)
		if (!strcmp(n[i].name, lc->name) || !strcmp(n[i].ext, lc->ext) ||
		    !strcmp(n[i].device, lc->device))
			return -EEXIST;
	cfg->nlines++;
	return 0;
}

/* A file the host opens for us: absolute, printable. */
static const char *ami_tls_key(struct ami_config *cfg, const char *k,
			       const char *v)
{
	char *dst = !strcmp(k, "ca") ? cfg->tls_ca :
		!strcmp(k, "cert") ? cfg->tls_cert :
		!strcmp(k, "key") ? cfg->tls_key :
		!strcmp(k, "server_name") ? cfg->tls_name : NULL;
	size_t size = dst == cfg->tls_name ? sizeof(cfg->tls_name) :
		sizeof(cfg->tls_ca);

	if (!dst)
		return "unknown key";
	if (dst != cfg->tls_name && v[0] != '/')
		return "not an absolute path";
	return ami_word(dst, size, v) ? "bad value" : 0;
}

static void ami_defaults(struct ami_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->port = 5038;
	cfg->md5 = true;
	strcpy(cfg->context, "from-cti");
	strcpy(cfg->park_context, "parkedcalls");
	strcpy(cfg->parkinglot, "default");
	cfg->timeout_ms = 5000;
	cfg->keepalive_ms = 10000;
	cfg->retry_min_ms = 500;
	cfg->retry_max_ms = 30000;
	cfg->filter = true;
}

/* One key; 0, or the message for the log. */
static const char *ami_key(struct ami_config *cfg, const char *k,
			   const char *v)
{
	uint32_t n;
	int ret;

	if (!strcmp(k, "host"))
		return ami_word(cfg->host, sizeof(cfg->host), v) ? "bad host" : 0;
	if (!strcmp(k, "port")) {
		if (pconf_u32(v, 1, 65535, &n))
			return "not a port (1-65535)";
		cfg->port = n;
		return 0;
	}
	if (!strcmp(k, "username"))
		return ami_word(cfg->user, sizeof(cfg->user), v) ?
			"bad user name" : 0;
	if (!strcmp(k, "secret"))
		return ami_word(cfg->secret, sizeof(cfg->secret), v) ?
			"bad secret (printable, no blanks, < 64 bytes)" : 0;
	if (!strcmp(k, "auth")) {
		if (strcmp(v, "md5") && strcmp(v, "plain"))
			return "not md5 or plain";
		cfg->md5 = !strcmp(v, "md5");
		return 0;
	}
	if (!strcmp(k, "filter")) {
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return "not yes or no";
		cfg->filter = !strcmp(v, "yes");
		return 0;
	}
	if (!strcmp(k, "tls") || !strcmp(k, "tls_verify_name")) {
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return "not yes or no";
		if (k[3])
			cfg->tls_no_verify_name = !strcmp(v, "no");
		else
			cfg->tls = !strcmp(v, "yes");
		return 0;
	}
	if (!strncmp(k, "tls_", 4))
		return ami_tls_key(cfg, k + 4, v);
	if (!strcmp(k, "context"))
		return ami_word(cfg->context, sizeof(cfg->context), v) ?
			"bad context" : 0;
	if (!strcmp(k, "park_context"))
		return ami_word(cfg->park_context, sizeof(cfg->park_context),
				v) ? "bad context" : 0;
	if (!strcmp(k, "conf_context"))
		return ami_word(cfg->conf_context, sizeof(cfg->conf_context),
				v) ? "bad context" : 0;
	if (!strcmp(k, "parkinglot"))
		return ami_word(cfg->parkinglot, sizeof(cfg->parkinglot), v) ?
			"bad parking lot" : 0;
	if (!strcmp(k, "timeout_ms"))
		return pconf_u32(v, 10, 600000, &cfg->timeout_ms) ?
			"not a number (10-600000)" : 0;
	if (!strcmp(k, "keepalive_ms"))
		return pconf_u32(v, 100, 3600000, &cfg->keepalive_ms) ?
			"not a number (100-3600000)" : 0;
	if (!strcmp(k, "retry_min_ms"))
		return pconf_u32(v, 10, 600000, &cfg->retry_min_ms) ?
			"not a number (10-600000)" : 0;
	if (!strcmp(k, "retry_max_ms"))
		return pconf_u32(v, 10, 3600000, &cfg->retry_max_ms) ?
			"not a number (10-3600000)" : 0;
	if (!strcmp(k, "line") || !strncmp(k, "line.", 5)) {
		char buf[512];

		/* ctid.conf has no repeated keys: "line.NAME = EXT DEVICE". */
		if (k[4] == '.' && snprintf(buf, sizeof(buf), "%s %s", k + 5, v) <
		    (int)sizeof(buf))
			v = buf;
		else if (k[4] == '.')
			return "too long";
		ret = ami_line_parse(cfg, v);
		if (ret == -EEXIST)
			return "a line with that name, extension or device exists";
		return ret ? "not NAME EXTENSION TECH/DEVICE [QUEUE,..]" : 0;
	}
	return "unknown key";
}

int ami_config_parse(struct ami_config *cfg, const struct cti_host_api *api,
		     struct cti_host *host, const struct cti_provider_config *pc)
{
	static const char *const lists[] = { "line", NULL };
	const char *msg;
	size_t i;

	ami_defaults(cfg);
	if (pconf_unique(api, host, pc, lists))
		return -EINVAL;
	for (i = 0; i < pc->count; i++) {
		msg = ami_key(cfg, pc->kv[i].key, pc->kv[i].value);
		if (msg) {
			ami_config_free(cfg);
			return pconf_error(api, host, pc, &pc->kv[i], msg);
		}
	}
	if (!cfg->host[0] || !cfg->user[0] || !cfg->secret[0] ||
	    !cfg->nlines) {
		api->log(host, CTI_LOG_ERR,
			 "%s: [%s] needs host, username, secret and a line",
			 pc->file ? pc->file : "?", pc->name);
		ami_config_free(cfg);
		return -EINVAL;
	}
	if (!cfg->tls_cert[0] != !cfg->tls_key[0]) {
		api->log(host, CTI_LOG_ERR, "%s: [%s] tls_cert and tls_key go "
			 "together", pc->file ? pc->file : "?", pc->name);
		ami_config_free(cfg);
		return -EINVAL;
	}
	if (cfg->retry_max_ms < cfg->retry_min_ms)
		cfg->retry_max_ms = cfg->retry_min_ms;
	return 0;
}

void ami_config_free(struct ami_config *cfg)
{
	free(cfg->lines);
	cfg->lines = NULL;
	cfg->nlines = 0;
}
