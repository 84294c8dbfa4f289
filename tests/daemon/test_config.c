// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration parser: valid files give the expected values; every kind
 * of invalid line is reported with its own line number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "harness.h"

static char errs[8192];

static void collect(void *arg, const char *msg)
{
	(void)arg;
	strncat(errs, msg, sizeof(errs) - strlen(errs) - 2);
	strcat(errs, "\n");
}

static struct config *parse(const char *text)
{
	errs[0] = '\0';
	return config_load_string("t.conf", text, collect, NULL);
}

/* The text must fail and name "t.conf:LINE:" with @what in the message. */
static void expect_error(const char *text, int line, const char *what)
{
	char want[64];
	struct config *cfg = parse(text);

	snprintf(want, sizeof(want), "t.conf:%d: ", line);
	T_EXPECT(!cfg, "accepted: %s", text);
	T_EXPECT(strstr(errs, want) != NULL, "no error at line %d for %s; got: %s",
	      line, text, errs);
	T_EXPECT(strstr(errs, what) != NULL, "no \"%s\" in: %s", what, errs);
	config_free(cfg);
}

/* The keys of the bounds, pickup groups and optional providers. */
static void bound_and_pickup_keys(void)
{
	struct config *cfg;

	cfg = parse("[server]\nsocket = /tmp/x.sock\n");
	T_EXPECT(cfg && cfg->max_detached == 1024 && cfg->max_detached_per_user == 16 &&
	      cfg->replay_log == 16384, "defaults of the bounds");
	config_free(cfg);
	cfg = parse("[server]\nsocket = /tmp/x.sock\nmax_detached = 10\n"
		    "max_detached_per_user = 0\n[provider p]\nso = sim\noptional = yes\n"
		    "[group sales]\npickup = sim/1-9, 12\n");
	T_EXPECT(cfg != NULL, "valid config refused: %s", errs);
	if (cfg) {
		T_EXPECT(cfg->max_detached == 10 && cfg->max_detached_per_user == 0,
		      "max_detached %u/%u", cfg->max_detached, cfg->max_detached_per_user);
		T_EXPECT(cfg->providers[0].optional && cfg->providers[0].nparams == 0,
		      "optional is ctid's key, not the provider's");
		T_EXPECT(cfg->acls[0].pickup && !cfg->acls[0].lines,
		      "pickup alone is a grant");
	}
	config_free(cfg);
	expect_error("[server]\nmax_detached = -1\n", 2, "max_detached");
	expect_error("[provider p]\nso = sim\noptional = maybe\n", 3, "optional");
	expect_error("[user bob]\npickup = a$b\n", 2, "pickup");
}

static void valid_file(void)
{
	struct config *cfg;

	cfg = parse("; comment\n[server]\nsocket = unix:/tmp/x.sock\nlog_level = debug\n"
		    "replay_log = 128\nqueue_limit = 65536\n"
		    "[provider pbx1]\nso = sim\nlines = 12\nfoo = bar\n"
		    "[user alice]\nlines = 1-4, sim/7\nadmin = yes\n"
		    "[group ops]\nmonitor = *\n");
	T_ASSERT(cfg != NULL, "valid config refused: %s", errs);
	T_EXPECT(!strcmp(cfg->socket_path, "/tmp/x.sock"), "socket %s", cfg->socket_path);
	T_EXPECT(cfg->log_level == 3, "log_level %d", cfg->log_level);
	T_EXPECT(cfg->replay_log == 128, "replay_log");
	T_EXPECT(cfg->queue_limit == 65536, "queue_limit");
	T_EXPECT(cfg->nproviders == 1 && !strcmp(cfg->providers[0].so, "sim"), "provider");
	T_EXPECT(cfg->providers[0].nparams == 2, "params %zu", cfg->providers[0].nparams);
	T_EXPECT(cfg->providers[0].params[0].lineno == 9, "param line %d",
		 cfg->providers[0].params[0].lineno);
	T_EXPECT(cfg->nacls == 2 && cfg->acls[0].admin && cfg->acls[1].is_group, "acls");
	config_free(cfg);
}

static void embedded_default(void)
{
	char *def = config_default_text("/tmp/d.sock", "someone");
	struct config *cfg = parse(def);

	T_EXPECT(cfg && cfg->nproviders == 1 && cfg->nacls == 1 && cfg->acls[0].admin,
		 "embedded default refused: %s", errs);
	config_free(cfg);
	free(def);
}

/* Invalid files, by the section they go wrong in: the line and the words. */
static const struct bad_conf {
	const char *section;
	const char *text;
	int line;
	const char *what;
} bad_confs[] = {
	{ "server", "[server]\nsocket = relative\n", 2, "absolute path" },
	{ "server", "[server]\nbogus = 1\n", 2, "unknown key" },
	{ "server", "\n\n[nonsense]\nx = 1\n", 3, "unknown section" },
	{ "server", "[server]\nthis line has no equals sign\n", 2, "syntax error" },
	{ "server", "[server\n", 1, "without ']'" },
	{ "server", "[server]\nlog_level = loud\n", 2, "log_level" },
	{ "server", "[server]\nreplay_log = -5\n", 2, "replay_log" },
	{ "server", "[server]\nqueue_limit = 12abc\n", 2, "queue_limit" },
	{ "server", "[server]\nsocket_mode = 999\n", 2, "socket_mode" },
	{ "server", "[server]\nrequest_timeout = 0\n", 2, "request_timeout" },
	{ "server", "[server]\nmax_requests = 0\n", 2, "max_requests" },
	{ "server", "key = 1\n", 1, "outside of any section" },
	{ "provider", "[provider a]\nso = sim\n[provider a]\nso = sim\n", 3, "already defined" },
	{ "provider", "[provider a]\nlines = 3\n", 1, "no so" },
	{ "provider", "[provider a]\nso = ../evil\n", 2, "so:" },
	{ "provider", "[provider ../x]\nso = sim\n", 1, "bad provider name" },
	{ "user", "[user bob]\nlines = 0\n", 2, "ids start at 1" },
	{ "user", "[user bob]\nlines = 5-2\n", 2, "lo <= hi" },
	{ "user", "[user bob]\nlines = a;b\n", 2, "bad item" },
	{ "user", "[user bob]\nlines = ,\n", 2, "empty line list" },
	{ "user", "[user bob]\nadmin = perhaps\n", 2, "admin" },
	{ "user", "[user bob]\nowner = *\n", 2, "unknown key" },
	{ "user", "[user bob]\n", 1, "grants nothing" },
	{ "user", "[user bob]\nlines=*\n[user bob]\nlines=*\n", 3, "already defined" },
	{ "user", "[user bob]\nlines = *\nmembers = carol\n", 3, "only in a [group]" },
	{ "user", "[group g]\nlines = *\nmembers = carol, ../x\n", 3, "bad user name" },
	{ "user", "[group g]\nlines = *\nmembers = a\nmembers = b\n", 4, "given twice" },
};

static void expect_errors(const char *section)
{
	size_t i;

	for (i = 0; i < sizeof(bad_confs) / sizeof(bad_confs[0]); i++)
		if (!strcmp(bad_confs[i].section, section))
			expect_error(bad_confs[i].text, bad_confs[i].line,
				     bad_confs[i].what);
}

static void server_errors(void)
{
	expect_errors("server");
}

static void provider_errors(void)
{
	expect_errors("provider");
}

static void user_errors(void)
{
	expect_errors("user");
}

/* Several errors at once, each with its line. */
static void every_error_reported(void)
{
	expect_error("[server]\nx = 1\n[server]\ny = 2\n", 2, "unknown key");
	T_EXPECT(strstr(errs, "t.conf:4:") != NULL, "second error not reported: %s", errs);
}

static const struct t_case cases[] = {
	T_CASE(valid_file),
	T_CASE(embedded_default),
	T_CASE(server_errors),
	T_CASE(provider_errors),
	T_CASE(user_errors),
	T_CASE(every_error_reported),
	T_CASE(bound_and_pickup_keys),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
