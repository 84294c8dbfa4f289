// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * metrics.c - /metrics: ctid's figures in the Prometheus text format
 *
 * The scrape authenticates as any console user does, with a ctid user's
 * name and password (HTTP Basic over HTTPS, which Prometheus speaks
 * natively: basic_auth in its scrape config), and ctid decides: its
 * SERVER_STATS request is for administrators only. ctiweb keeps no
 * secret of its own. Logging in costs a TLS handshake and a deliberately
 * slow password hash, so the session is kept between scrapes and reused
 * while the same credentials come (compared by a salted SHA-256, never
 * kept in clear).
 *
 * Gauges are the state now; *_total are counters since ctid started, so
 * "requests per second" is rate(cti_requests_total[1m]) in Prometheus.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ctiweb.h"

#define REPLY_MS 5000

static struct {
	pthread_mutex_t lock;
	struct cti_session *cs;
	char user[WEB_USER_MAX];
	unsigned char salt[16];
	unsigned char digest[32];
} m = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void digest(const char *password, unsigned char out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	memset(out, 0, 32);
	if (!c)
		return;
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	EVP_DigestUpdate(c, m.salt, sizeof(m.salt));
	EVP_DigestUpdate(c, password, strlen(password));
	EVP_DigestFinal_ex(c, out, NULL);
	EVP_MD_CTX_free(c);
}

static void forget(void)
{
	if (m.cs)
		cti_session_close(m.cs);
	m.cs = NULL;
	m.user[0] = '\0';
}

/* The cached session if it is @user's with @password, else a new one. */
static int session_for(const char *user, const char *password, char *msg, size_t msglen)
{
	unsigned char d[32];
	int ret;

	if (m.cs) {
		digest(password, d);
		if (!strcmp(m.user, user) && !CRYPTO_memcmp(d, m.digest, sizeof(d)) &&
		    cti_session_is_connected(m.cs))
			return 0;
		forget();
	}
	ret = ctid_open(user, password, &m.cs, msg, msglen);
	if (ret)
		return ret;
	if (getrandom(m.salt, sizeof(m.salt), 0) != (ssize_t)sizeof(m.salt)) {
		forget();
		return -EIO;
	}
	snprintf(m.user, sizeof(m.user), "%s", user);
	digest(password, m.digest);
	return 0;
}

#define PROVIDERS_MAX 64

struct prov {
	char name[32];
	uint32_t up, link, lines;
};

/* What the providers said to request @req, as metrics; the rest dropped. */
static void providers(FILE *f, uint64_t req)
{
	static const char *const link[] = { "", "down", "up" };
	struct prov p[PROVIDERS_MAX];
	struct cti_msg *msg;
	size_t n = 0;

	while (cti_session_next_msg(m.cs, &msg) > 0) {
		if (cti_msg_get_type(msg) == CTI_MSG_PROVIDER && cti_msg_get_request(msg) == req &&
		    n < PROVIDERS_MAX) {
			snprintf(p[n].name, sizeof(p[n].name), "%s", cti_msg_get_text(msg));
			p[n].up = cti_msg_get_state(msg) ? 1 : 0;
			p[n].link = cti_msg_get_reason(msg) < 3 ? cti_msg_get_reason(msg) : 0;
			p[n].lines = cti_msg_get_arg(msg);
			n++;
		}
		cti_msg_free(msg);
	}
	/* a metric family's samples together, as the format wants */
	fputs("# HELP cti_provider_up Whether the provider is loaded and up.\n"
	      "# TYPE cti_provider_up gauge\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "cti_provider_up{provider=\"%s\",link=\"%s\"} %u\n", p[i].name,
			link[p[i].link], p[i].up);
	fputs("# HELP cti_provider_lines Lines of the provider.\n"
	      "# TYPE cti_provider_lines gauge\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "cti_provider_lines{provider=\"%s\"} %u\n", p[i].name, p[i].lines);
}

static void gauge(FILE *f, const char *name, const char *help, uint64_t v)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s %llu\n", name, help, name, name,
		(unsigned long long)v);
}

static void counter(FILE *f, const char *name, const char *help, uint64_t v)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name,
		(unsigned long long)v);
}

static void stats(FILE *f, const struct cti_server_stats *st)
{
	gauge(f, "cti_uptime_seconds", "Seconds since ctid started.", st->uptime_ms / 1000);
	gauge(f, "cti_connections", "Client connections open.", st->connections);
	fputs("# HELP cti_sessions Client sessions, attached to a connection or kept for a resume.\n"
	      "# TYPE cti_sessions gauge\n", f);
	fprintf(f, "cti_sessions{state=\"attached\"} %u\n", st->sessions_attached);
	fprintf(f, "cti_sessions{state=\"detached\"} %u\n", st->sessions_detached);
	gauge(f, "cti_lines", "Lines present.", st->lines);
	fputs("# HELP cti_calls Calls ctid knows, by state.\n# TYPE cti_calls gauge\n", f);
	for (unsigned int i = 0; i < CTI_STATS_CALL_STATES; i++)
		if (strcmp(cti_call_state_name(i), "?"))
			fprintf(f, "cti_calls{state=\"%s\"} %u\n", cti_call_state_name(i),
				st->calls[i]);
	fputs("# HELP cti_providers Configured providers, up or down.\n"
	      "# TYPE cti_providers gauge\n", f);
	fprintf(f, "cti_providers{state=\"up\"} %u\n", st->providers_up);
	fprintf(f, "cti_providers{state=\"down\"} %u\n", st->providers_down);
	counter(f, "cti_connections_total", "Client connections accepted.", st->connections_total);
	counter(f, "cti_requests_total", "Client requests dispatched.", st->requests_total);
	counter(f, "cti_request_errors_total", "Requests answered with an error, and bad frames.",
		st->errors_total);
	counter(f, "cti_logins_failed_total", "Refused logins over TLS.", st->logins_failed_total);
	counter(f, "cti_events_total", "Line events the providers posted.", st->events_total);
	counter(f, "cti_replay_gaps_total", "GAPs sent to clients too slow to keep up.",
		st->gaps_total);
	counter(f, "cti_replay_gap_events_total", "Events those GAPs reported lost.",
		st->gap_events_total);
	counter(f, "cti_events_lost_total", "Events ctid could give no session.",
		st->events_lost_total);
	if (st->card_overflows != CTI_STATS_UNKNOWN)
		counter(f, "cti_card_events_lost_total",
			"Events the kernel cards' rings lost for ctid (overflows).",
			st->card_overflows);
}

static int render(FILE *f, char *msg, size_t msglen)
{
	struct cti_server_stats st = { .size = sizeof(st) };
	uint64_t req;
	int ret;

	ret = cti_session_server_stats(m.cs, &req);
	if (!ret)
		ret = cti_session_wait_reply(m.cs, req, REPLY_MS, NULL);
	if (!ret)
		ret = cti_session_get_server_stats(m.cs, &st);
	if (ret) {
		snprintf(msg, msglen, ret == -EACCES ? "ctid: only administrators see its figures"
				      : "ctid: %s", strerror(-ret));
		return ret;
	}
	stats(f, &st);
	ret = cti_session_list_providers(m.cs, &req);
	if (!ret)
		ret = cti_session_wait_reply(m.cs, req, REPLY_MS, NULL);
	if (!ret)
		providers(f, req);
	gauge(f, "ctiweb_console_logins", "Web console logins open.", websess_count());
	if (ret)
		snprintf(msg, msglen, "ctid: providers: %s", strerror(-ret));
	return ret;
}

int metrics_render(const char *user, const char *password, char **text, char *msg,
		   size_t msglen)
{
	size_t len;
	FILE *f;
	int ret;

	pthread_mutex_lock(&m.lock);
	ret = session_for(user, password, msg, msglen);
	if (!ret) {
		f = open_memstream(text, &len);
		if (!f) {
			ret = -ENOMEM;
		} else {
			ret = render(f, msg, msglen);
			fclose(f);
			if (ret) {
				free(*text);
				*text = NULL;
			}
		}
		/* a refusal or a broken session: log in afresh next time */
		if (ret)
			forget();
	}
	pthread_mutex_unlock(&m.lock);
	return ret;
}

void metrics_shutdown(void)
{
	pthread_mutex_lock(&m.lock);
	forget();
	pthread_mutex_unlock(&m.lock);
}
