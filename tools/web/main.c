// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ctiweb - the web console of ctid: a live board of lines, calls, agents,
 * providers and sessions, admin actions, and /metrics (README.md).
 *
 *	ctiweb --ctid 'tls://127.0.0.1:4443?ca=ca.pem' --cert web.pem --key web.key
 *	       [--listen 127.0.0.1] [--port 8443] [--static DIR]
 *	       [--max-logins 64] [--idle SECONDS]
 *
 * The main thread only waits for a signal and ends idle logins; the HTTP
 * server and one reader per login run in threads of their own.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctiweb.h"

#ifndef CTIWEB_STATIC_DIR
#define CTIWEB_STATIC_DIR "/usr/local/share/cti/web"
#endif

static void usage(FILE *f)
{
	fprintf(f, "usage: ctiweb --ctid tls://HOST:PORT?ca=FILE --cert FILE --key FILE\n"
		   "              [--listen IPV4] [--port N] [--static DIR]\n"
		   "              [--max-logins N] [--idle SECONDS]\n"
		   "Serves the console over HTTPS; each browser login opens a session\n"
		   "to ctid with that user's own name and password.\n");
}

static int number(const char *opt, const char *s, unsigned int lo, unsigned int hi,
		  unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi) {
		fprintf(stderr, "ctiweb: --%s wants a number from %u to %u, not \"%s\"\n",
			opt, lo, hi, s);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int parse(int argc, char **argv, struct web_config *c)
{
	static const struct option opts[] = {
		{ "ctid", required_argument, NULL, 'c' },
		{ "cert", required_argument, NULL, 'C' },
		{ "key", required_argument, NULL, 'K' },
		{ "listen", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "static", required_argument, NULL, 's' },
		{ "max-logins", required_argument, NULL, 'm' },
		{ "idle", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int o, ret = 0;

	while (!ret && (o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'c': c->ctid_uri = optarg; break;
		case 'C': c->cert_file = optarg; break;
		case 'K': c->key_file = optarg; break;
		case 'l': c->listen_addr = optarg; break;
		case 's': c->static_dir = optarg; break;
		case 'p': ret = number("port", optarg, 1, 65535, &c->port); break;
		case 'm': ret = number("max-logins", optarg, 1, 256, &c->max_sessions); break;
		case 'i': ret = number("idle", optarg, 10, 86400, &c->idle_s); break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (ret)
		return ret;
	if (optind != argc || !c->ctid_uri || !c->cert_file || !c->key_file) {
		usage(stderr);
		return -1;
	}
	if (strncmp(c->ctid_uri, "tls://", 6)) {
		fprintf(stderr, "ctiweb: --ctid must be a tls:// URI: the console logs in with passwords\n");
		return -1;
	}
	return 0;
}

static char run_dir[64];

static void cleanup(void)
{
	if (run_dir[0])
		rmdir(run_dir);
}

/* Wait for SIGINT/SIGTERM; meanwhile end idle logins every few seconds. */
static void wait_for_signal(void)
{
	struct timespec tick = { .tv_sec = 5 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	for (;;) {
		int sig = sigtimedwait(&set, NULL, &tick);

		if (sig == SIGINT || sig == SIGTERM)
			return;
		websess_reap();
	}
}

int main(int argc, char **argv)
{
	struct web_config cfg = {
		.port = 8443,
		.static_dir = CTIWEB_STATIC_DIR,
		.max_sessions = 64,
		.idle_s = 3600,
	};
	sigset_t set;

	if (parse(argc, argv, &cfg))
		return 2;
	/* the login threads inherit the mask: the signals come here only */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	snprintf(run_dir, sizeof(run_dir), "%s/ctiweb.XXXXXX",
		 getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 40 ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(run_dir)) {
		fprintf(stderr, "ctiweb: %s: %s\n", run_dir, strerror(errno));
		return 1;
	}
	atexit(cleanup);
	cfg.run_dir = run_dir;
	ctid_set_config(&cfg);
	if (websess_init(&cfg) || http_start(&cfg))
		return 1;
	printf("ctiweb: serving https://%s:%u/ for %s\n",
	       cfg.listen_addr ? cfg.listen_addr : "0.0.0.0", cfg.port, cfg.ctid_uri);
	fflush(stdout);
	wait_for_signal();
	http_stop();
	websess_shutdown();
	metrics_shutdown();
	return 0;
}
