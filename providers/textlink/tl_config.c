// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * textlink's configuration keys:
 *   connect    = tcp:HOST:PORT | unix:PATH | serial:TTY[:BAUD] |
 *                card:NAME | card:/dev/ctiN                      (required)
 *   retry_ms   = reconnect delay after the link fails (default 1000)
 *   timeout_ms = a request the switch does not answer fails with
 *                -ETIMEDOUT after this long (default 5000)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textlink.h"
#include "common/pconf.h"

/*
 * card:NAME or card:/dev/ctiN. The host resolves the name when it opens
 * the card (the card may come later); here only its form is checked, as
 * the host would refuse it: a name of 1..CTI_NAME_MAX-1 printable bytes
 * without '/' or blanks, or a /dev/cti path with a decimal index.
 */
static int tl_card(struct tl_config *cfg, const char *rest)
{
	size_t len = strlen(rest), i;

	if (!len || len >= CTI_NAME_MAX)
		return -EINVAL;
	if (!strncmp(rest, "/dev/", 5)) {
		if (strncmp(rest, "/dev/cti", 8) || !rest[8] ||
		    strspn(rest + 8, "0123456789") != len - 8)
			return -EINVAL;
	} else {
		for (i = 0; i < len; i++)
			if (rest[i] <= ' ' || rest[i] > '~' || rest[i] == '/')
				return -EINVAL;
	}
	cfg->kind = TL_CARD;
	strcpy(cfg->addr, rest);
	return 0;
}

static int tl_connect(struct tl_config *cfg, const char *v)
{
	const char *rest, *colon;
	uint32_t n;

	if (!strncmp(v, "unix:", 5)) {
		rest = v + 5;
		if (rest[0] != '/' || strlen(rest) >= sizeof(cfg->addr))
			return -EINVAL;
		cfg->kind = TL_UNIX;
		strcpy(cfg->addr, rest);
		return 0;
	}
	if (!strncmp(v, "tcp:", 4)) {
		rest = v + 4;
		colon = strrchr(rest, ':');
		if (!colon || colon == rest ||
		    (size_t)(colon - rest) >= sizeof(cfg->addr) ||
		    pconf_u32(colon + 1, 1, 65535, &n))
			return -EINVAL;
		cfg->kind = TL_TCP;
		memcpy(cfg->addr, rest, colon - rest);
		cfg->addr[colon - rest] = '\0';
		cfg->port = n;
		return 0;
	}
	if (!strncmp(v, "serial:", 7)) {
		rest = v + 7;
		colon = strchr(rest, ':');
		if (strncmp(rest, "/dev/", 5))
			return -EINVAL;
		if (colon) {
			if ((size_t)(colon - rest) >= sizeof(cfg->addr) ||
			    pconf_u32(colon + 1, 50, 4000000, &cfg->baud))
				return -EINVAL;
			memcpy(cfg->addr, rest, colon - rest);
			cfg->addr[colon - rest] = '\0';
		} else {
			if (strlen(rest) >= sizeof(cfg->addr))
				return -EINVAL;
			strcpy(cfg->addr, rest);
			cfg->baud = 9600;
		}
		cfg->kind = TL_SERIAL;
		return 0;
	}
	if (!strncmp(v, "card:", 5))
		return tl_card(cfg, v + 5);
	return -EINVAL;
}

int tl_config_parse(struct tl_config *cfg, const struct cti_host_api *api,
		    struct cti_host *host, const struct cti_provider_config *pc)
{
	bool have_connect = false;
	int ret = 0;
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	if (pconf_unique(api, host, pc, NULL))
		return -EINVAL;
	cfg->retry_ms = 1000;
	cfg->timeout_ms = 5000;
	for (i = 0; i < pc->count; i++) {
		const struct cti_provider_kv *kv = &pc->kv[i];

		if (!strcmp(kv->key, "connect")) {
			if (tl_connect(cfg, kv->value))
				ret = pconf_error(api, host, pc, kv,
					     "expected tcp:HOST:PORT, unix:/PATH, serial:/dev/TTY[:BAUD], card:NAME or card:/dev/ctiN");
			else if (cfg->kind == TL_CARD &&
				 !(CTI_HOST_API_HAS(api, transport_open_card) &&
				   api->transport_open_card))
				ret = pconf_error(api, host, pc, kv,
					     "this host cannot open kernel link cards");
			else
				have_connect = true;
		} else if (!strcmp(kv->key, "retry_ms")) {
			if (pconf_u32(kv->value, 10, 3600000, &cfg->retry_ms))
				ret = pconf_error(api, host, pc, kv,
					     "not a number in 10..3600000");
		} else if (!strcmp(kv->key, "timeout_ms")) {
			if (pconf_u32(kv->value, 10, 3600000, &cfg->timeout_ms))
				ret = pconf_error(api, host, pc, kv,
					     "not a number in 10..3600000");
		} else {
			ret = pconf_error(api, host, pc, kv, "unknown key");
		}
	}
	if (!ret && !have_connect) {
		api->log(host, CTI_LOG_ERR, "%s: provider %s: 'connect' is missing",
			 pc->file ? pc->file : "?", pc->name ? pc->name : "?");
		ret = -EINVAL;
	}
	return ret;
}
