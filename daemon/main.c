// SPDX-License-Identifier: GPL-2.0
/*
 * ctid: the cti telephony service. Command line, configuration, start-up
 * and shutdown; the work is done in server.c on the loop of loop.c.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts.h"
#include "config.h"
#include "ctid.h"
#include "log.h"
#include "state.h"

#define CTID_VERSION "0.1"

static const char usage[] =
"Usage: ctid [-c FILE] [--check-config] [--foreground] [-v]\n"
"\n"
"The cti telephony service: hosts providers, serves clients (libcti) on a\n"
"unix socket.\n"
"\n"
"  -c, --config FILE   read FILE (INI, see ctid.conf.example); without it,\n"
"                      run the embedded default: the sim provider with 8\n"
"                      lines, the current user allowed on every line and\n"
"                      admin, the socket from $CTI_URI (unix:PATH) if set,\n"
"                      else $XDG_RUNTIME_DIR/ctid.sock, else\n"
"                      build/run/ctid.sock beside the build tree\n"
"      --check-config  validate the configuration (and the providers' keys)\n"
"                      and exit: 0 if valid, 1 with FILE:LINE: messages if\n"
"                      not; with -v, print the effective configuration\n"
"  -f, --foreground    stay in the foreground and log to stderr (default:\n"
"                      detach once listening, log to syslog)\n"
"  -v, --verbose       log at debug level\n"
"  -h, --help          this text\n"
"  -V, --version       print the version\n"
"\n"
"Signals: SIGTERM and SIGINT stop ctid cleanly (clients get ESHUTDOWN).\n";

static void print_cfg_error(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s\n", msg);
}

/* The directory of the running binary, to find build/providers. */
static void exe_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0) {
		snprintf(buf, len, ".");
		return;
	}
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
}

/*
 * The embedded default's socket: $CTI_URI (the client's variable, so that
 * `make run` and its clients agree), $XDG_RUNTIME_DIR, or build/run.
 */
static int default_socket(char *buf, size_t len)
{
	const char *uri = getenv("CTI_URI");
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char dir[PATH_MAX];
	char *slash;

	if (uri && *uri) {
		if (strncmp(uri, "unix:", 5) || uri[5] != '/') {
			fprintf(stderr, "ctid: CTI_URI=%s: want unix:/absolute/path\n", uri);
			return -1;
		}
		snprintf(buf, len, "%s", uri + 5);
		return 0;
	}
	if (xdg && *xdg == '/') {
		snprintf(buf, len, "%s/ctid.sock", xdg);
		return 0;
	}
	exe_dir(dir, sizeof(dir));
	/* build/daemon/ctid -> build/run/ctid.sock */
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	if (snprintf(buf, len, "%s/run/ctid.sock", dir) >= (int)len)
		return -1;
	return 0;
}

/* --check-config reads the state file too: ctid does not start on a broken one. */
static int check_state(const struct config *cfg)
{
	struct acct_set *ovl = calloc(1, sizeof(*ovl));
	char why[300];
	int ret = ovl ? state_load(cfg->state_path, ovl, why, sizeof(why)) : -ENOMEM;

	if (ret)
		fprintf(stderr, "%s\n", ovl ? why : "out of memory");
	if (ovl)
		acct_set_clear(ovl);
	free(ovl);
	return ret;
}

static struct config *load_config(const char *path)
{
	struct passwd *pw;
	char sock[PATH_MAX];
	struct config *cfg;
	char *text;

	if (path)
		return config_load_file(path, print_cfg_error, NULL);
	pw = getpwuid(getuid());
	if (!pw) {
		fprintf(stderr, "ctid: cannot find the name of uid %u\n",
			(unsigned int)getuid());
		return NULL;
	}
	if (default_socket(sock, sizeof(sock)))
		return NULL;
	text = config_default_text(sock, pw->pw_name);
	if (!text)
		return NULL;
	cfg = config_load_string("(default)", text, print_cfg_error, NULL);
	free(text);
	return cfg;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	/* the context: made here, reached by every layer through this pointer */
	struct ctid context = { 0 };
	struct ctid *ctx = &context;
	struct ctid_options o = { 0 };
	struct config *cfg;
	int c, ret;

	while ((c = getopt_long(argc, argv, "c:fvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.config_path = optarg;
			break;
		case 'C':
			o.check_only = true;
			break;
		case 'f':
			o.foreground = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			printf("ctid %s (protocol 1, provider ABI %d)\n",
			       CTID_VERSION, ctid_provider_abi());
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "ctid: unexpected argument \"%s\"\n", argv[optind]);
		fputs(usage, stderr);
		return 2;
	}

	cfg = load_config(o.config_path);
	if (!cfg) {
		if (o.check_only)
			fprintf(stderr, "ctid: configuration is not valid\n");
		return 1;
	}
	exe_dir(o.exe_dir, sizeof(o.exe_dir));

	if (o.check_only) {
		log_init(&ctx->log, "ctid", false);
		log_set_level(&ctx->log, LOG_LVL_WARN);
		ret = ctid_check_providers(ctx, cfg, &o);
		if (!ret)
			ret = check_state(cfg);
		if (!ret && o.verbose)
			config_dump(cfg, stdout);
		if (ret)
			fprintf(stderr, "ctid: configuration is not valid\n");
		else
			fprintf(stderr, "ctid: %s: configuration is valid\n",
				cfg->file);
		config_free(cfg);
		return ret ? 1 : 0;
	}

	log_init(&ctx->log, "ctid", cfg->log_syslog_set ? cfg->log_syslog : !o.foreground);
	log_set_level(&ctx->log, o.verbose ? LOG_LVL_DEBUG : (enum log_level)cfg->log_level);
	ret = ctid_run(ctx, cfg, &o);
	config_free(cfg);
	return ret ? 1 : 0;
}
