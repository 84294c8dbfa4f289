// SPDX-License-Identifier: GPL-2.0
/*
 * ctid configuration.
 *
 * Format: INI, because the file is small, administrators know it, and
 * Debian ships a well-kept, tiny parser for it (libinih) so that we do not
 * write our own. libinih hands us (section, key, value) triples; we feed it
 * through our own line reader so that every triple comes with its line
 * number, and every semantic error names file:line.
 *
 * Sections:
 *   [server]           socket, socket_mode, socket_group, log_level, log,
 *                      replay_log, queue_limit, max_clients,
 *                      request_timeout, max_requests, max_bad_frames,
 *                      provider_dir, state, audit; the TLS listener's keys (tls_listen,
 *                      tls_cert, tls_key, tls_ca, tls_client_cert,
 *                      tls_cert_user, users_file, login_*) in config_tls.c
 *   [provider NAME]    so = module; every other key goes to the provider
 *   [user NAME]        lines, monitor, pickup, admin
 *   [group NAME]       lines, monitor, pickup, admin, members
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"

struct cfg_msg {
	int lineno;
	char *text;
};

struct sec_hdr {
	int lineno;
	int sec;
	void *cur;
	char name[128];
};

enum { SEC_NONE, SEC_SERVER, SEC_PROVIDER, SEC_ACL, SEC_BAD };

struct parse_ctx {
	struct config *cfg;
	struct cfg_msg *msgs;
	size_t nmsgs;
	struct sec_hdr *hdrs;
	size_t nhdrs, hdr_idx;
	cfg_error_fn err;
	void *arg;
	int lineno;		/* line the reader returned last */
	int errors;
	int last_err_line;
	int prescan_errors;	/* syntax errors named by prescan() */
	bool state;		/* the state file: users and groups only */
	/* current section */
	int sec;		/* SEC_* */
	char cur_section[128];
	void *cur;
	/* for ini_parse_stream over the text */
	const char *text;
};

static void cfg_error(struct parse_ctx *ctx, int lineno, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cfg_error(struct parse_ctx *ctx, int lineno, const char *fmt, ...)
{
	char msg[512];
	int n;
	va_list ap;

	struct cfg_msg *nm;

	n = snprintf(msg, sizeof(msg), "%s:%d: ", ctx->cfg->file, lineno);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	ctx->errors++;
	ctx->last_err_line = lineno;
	/* Kept and reported in line order once parsing is over. */
	nm = realloc(ctx->msgs, (ctx->nmsgs + 1) * sizeof(*nm));
	if (!nm)
		return;
	ctx->msgs = nm;
	nm[ctx->nmsgs].lineno = lineno;
	nm[ctx->nmsgs].text = strdup(msg);
	ctx->nmsgs++;
}

static void flush_errors(struct parse_ctx *ctx)
{
	/* stable insertion sort by line: the lists are short */
	for (size_t i = 1; i < ctx->nmsgs; i++) {
		struct cfg_msg m = ctx->msgs[i];
		size_t j = i;

		while (j && ctx->msgs[j - 1].lineno > m.lineno) {
			ctx->msgs[j] = ctx->msgs[j - 1];
			j--;
		}
		ctx->msgs[j] = m;
	}
	for (size_t i = 0; i < ctx->nmsgs; i++) {
		if (ctx->err && ctx->msgs[i].text)
			ctx->err(ctx->arg, ctx->msgs[i].text);
		free(ctx->msgs[i].text);
	}
	free(ctx->msgs);
	ctx->msgs = NULL;
	ctx->nmsgs = 0;
	free(ctx->hdrs);
	ctx->hdrs = NULL;
}

/* An fgets-style reader that counts lines for the handler. */
static char *read_string_line(char *str, int num, void *stream)
{
	struct parse_ctx *ctx = stream;
	const char *nl;
	size_t len;

	if (!*ctx->text)
		return NULL;
	nl = strchr(ctx->text, '\n');
	len = nl ? (size_t)(nl - ctx->text + 1) : strlen(ctx->text);
	if (len > (size_t)num - 1)
		len = num - 1;
	memcpy(str, ctx->text, len);
	str[len] = '\0';
	ctx->text += len;
	ctx->lineno++;
	return str;
}

static bool parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") ||
	    !strcmp(v, "on")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0") ||
	    !strcmp(v, "off")) {
		*out = false;
		return true;
	}
	return false;
}

static bool parse_u32(const char *v, uint32_t min, uint32_t max, int base,
		      uint32_t *out)
{
	unsigned long long n;
	char *end;

	if (!*v || *v == '-' || isspace((unsigned char)*v))
		return false;
	errno = 0;
	n = strtoull(v, &end, base);
	if (errno || *end || n < min || n > max)
		return false;
	*out = (uint32_t)n;
	return true;
}

/*
 * Names from the configuration end up in file paths (modules) and in
 * messages to clients: accept a conservative alphabet only.
 */
static bool valid_name(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (!n || n >= max)
		return false;
	if (!isalnum((unsigned char)s[0]))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
			return false;
	return true;
}

static bool valid_user_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= 32)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.$", *s))
			return false;
	return true;
}

static int begin_section(struct parse_ctx *ctx, const char *section)
{
	struct config *cfg = ctx->cfg;
	const char *sp = strchr(section, ' ');
	char kind[16];
	const char *name;
	size_t klen;

	snprintf(ctx->cur_section, sizeof(ctx->cur_section), "%s", section);
	ctx->cur = NULL;
	if (!strcmp(section, "server") && !ctx->state) {
		ctx->sec = SEC_SERVER;
		return 1;
	}
	ctx->sec = SEC_BAD;
	if (!sp) {
		cfg_error(ctx, ctx->lineno, "unknown section [%s]", section);
		return 0;
	}
	klen = sp - section;
	if (klen >= sizeof(kind)) {
		cfg_error(ctx, ctx->lineno, "unknown section [%s]", section);
		return 0;
	}
	memcpy(kind, section, klen);
	kind[klen] = '\0';
	name = sp + 1;
	while (*name == ' ')
		name++;

	if (!strcmp(kind, "provider") && !ctx->state) {
		struct cfg_provider *p;

		if (!valid_name(name, 32)) {
			cfg_error(ctx, ctx->lineno,
				  "bad provider name \"%s\" (letters, digits, _ - ., at most 31)",
				  name);
			return 0;
		}
		for (size_t i = 0; i < cfg->nproviders; i++)
			if (!strcmp(cfg->providers[i].name, name)) {
				cfg_error(ctx, ctx->lineno,
					  "provider \"%s\" already defined at line %d",
					  name, cfg->providers[i].lineno);
				return 0;
			}
		if (cfg->nproviders == CFG_MAX_PROVIDERS) {
			cfg_error(ctx, ctx->lineno, "more than %d providers",
				  CFG_MAX_PROVIDERS);
			return 0;
		}
		p = &cfg->providers[cfg->nproviders++];
		p->name = strdup(name);
		p->lineno = ctx->lineno;
		ctx->sec = SEC_PROVIDER;
		ctx->cur = p;
		return 1;
	}
	if (!strcmp(kind, "user") || !strcmp(kind, "group")) {
		bool is_group = kind[0] == 'g';
		struct cfg_acl *a;

		if (!valid_user_name(name)) {
			cfg_error(ctx, ctx->lineno, "bad %s name \"%s\"", kind, name);
			return 0;
		}
		for (size_t i = 0; i < cfg->nacls; i++)
			if (cfg->acls[i].is_group == is_group &&
			    !strcmp(cfg->acls[i].name, name)) {
				cfg_error(ctx, ctx->lineno,
					  "%s \"%s\" already defined at line %d",
					  kind, name, cfg->acls[i].lineno);
				return 0;
			}
		if (cfg->nacls == CFG_MAX_ACL) {
			cfg_error(ctx, ctx->lineno,
				  "more than %d [user]/[group] sections (use groups)",
				  CFG_MAX_ACL);
			return 0;
		}
		a = &cfg->acls[cfg->nacls++];
		a->name = strdup(name);
		a->is_group = is_group;
		a->lineno = ctx->lineno;
		ctx->sec = SEC_ACL;
		ctx->cur = a;
		return 1;
	}
	cfg_error(ctx, ctx->lineno, "unknown section [%s]", section);
	return 0;
}

/* The TLS listener's keys (config_tls.c), or an unknown key. */
static int server_tls_key(struct parse_ctx *ctx, const char *key, const char *v)
{
	char err[256];
	int r = cfg_tls_key(&ctx->cfg->tls, key, v, ctx->lineno, err, sizeof(err));

	if (r < 0)
		cfg_error(ctx, ctx->lineno, "%s", err);
	else if (!r)
		cfg_error(ctx, ctx->lineno, "unknown key \"%s\" in [server]", key);
	return r > 0;
}

/* The files of live administration (state, audit), or the TLS keys. */
static int server_file_key(struct parse_ctx *ctx, const char *key, const char *v)
{
	struct config *cfg = ctx->cfg;
	char **slot;

	if (strcmp(key, "state") && strcmp(key, "audit"))
		return server_tls_key(ctx, key, v);
	slot = key[0] == 's' ? &cfg->state_path : &cfg->audit_path;
	/* room for the ".tmp" of an atomic write beside it */
	if (v[0] != '/' || strstr(v, "/../") || strlen(v) >= PATH_MAX - 8) {
		cfg_error(ctx, ctx->lineno, "%s: want an absolute path", key);
		return 0;
	}
	free(*slot);
	*slot = strdup(v);
	return 1;
}

static int server_key(struct parse_ctx *ctx, const char *key, const char *v)
{
	struct config *cfg = ctx->cfg;
	int ln = ctx->lineno;
	uint32_t n;

	if (!strcmp(key, "socket")) {
		const char *path = v;

		if (!strncmp(path, "unix:", 5))
			path += 5;
		if (path[0] != '/' || strlen(path) >= 108) {
			cfg_error(ctx, ln, "socket: want an absolute path (or unix:PATH) shorter than 108 bytes");
			return 0;
		}
		free(cfg->socket_path);
		cfg->socket_path = strdup(path);
	} else if (!strcmp(key, "socket_mode")) {
		if (!parse_u32(v, 0, 0777, 8, &n)) {
			cfg_error(ctx, ln, "socket_mode: want an octal mode like 0660");
			return 0;
		}
		cfg->socket_mode = n;
	} else if (!strcmp(key, "socket_group")) {
		if (!valid_user_name(v)) {
			cfg_error(ctx, ln, "socket_group: bad group name \"%s\"", v);
			return 0;
		}
		free(cfg->socket_group);
		cfg->socket_group = strdup(v);
	} else if (!strcmp(key, "log_level")) {
		int l = log_level_parse(v);

		if (l < 0) {
			cfg_error(ctx, ln, "log_level: want error, warn, info or debug, not \"%s\"", v);
			return 0;
		}
		cfg->log_level = l;
	} else if (!strcmp(key, "log")) {
		if (strcmp(v, "stderr") && strcmp(v, "syslog")) {
			cfg_error(ctx, ln, "log: want stderr or syslog");
			return 0;
		}
		cfg->log_syslog = !strcmp(v, "syslog");
		cfg->log_syslog_set = true;
	} else if (!strcmp(key, "replay_log")) {
		if (!parse_u32(v, 16, 1u << 24, 10, &cfg->replay_log)) {
			cfg_error(ctx, ln, "replay_log: want a number of events from 16 to 16777216");
			return 0;
		}
	} else if (!strcmp(key, "queue_limit")) {
		if (!parse_u32(v, 4096, 1u << 30, 10, &cfg->queue_limit)) {
			cfg_error(ctx, ln, "queue_limit: want bytes from 4096 to 1073741824");
			return 0;
		}
	} else if (!strcmp(key, "max_clients")) {
		if (!parse_u32(v, 1, 1u << 20, 10, &cfg->max_clients)) {
			cfg_error(ctx, ln, "max_clients: want 1 to 1048576");
			return 0;
		}
	} else if (!strcmp(key, "request_timeout")) {
		if (!parse_u32(v, 1, 3600, 10, &cfg->request_timeout)) {
			cfg_error(ctx, ln, "request_timeout: want seconds from 1 to 3600");
			return 0;
		}
	} else if (!strcmp(key, "max_requests")) {
		if (!parse_u32(v, 1, 1u << 20, 10, &cfg->max_requests)) {
			cfg_error(ctx, ln, "max_requests: want 1 to 1048576");
			return 0;
		}
	} else if (!strcmp(key, "max_bad_frames")) {
		if (!parse_u32(v, 0, 1u << 20, 10, &cfg->max_bad_frames)) {
			cfg_error(ctx, ln, "max_bad_frames: want 0 to 1048576");
			return 0;
		}
	} else if (!strcmp(key, "max_detached")) {
		if (!parse_u32(v, 0, 1u << 20, 10, &cfg->max_detached)) {
			cfg_error(ctx, ln, "max_detached: want 0 to 1048576");
			return 0;
		}
	} else if (!strcmp(key, "max_detached_per_user")) {
		if (!parse_u32(v, 0, 1u << 20, 10, &cfg->max_detached_per_user)) {
			cfg_error(ctx, ln, "max_detached_per_user: want 0 to 1048576");
			return 0;
		}
	} else if (!strcmp(key, "provider_dir")) {
		if (v[0] != '/' || strstr(v, "/../") || strlen(v) >= PATH_MAX) {
			cfg_error(ctx, ln, "provider_dir: want an absolute path");
			return 0;
		}
		free(cfg->provider_dir);
		cfg->provider_dir = strdup(v);
	} else {
		return server_file_key(ctx, key, v);
	}
	return 1;
}

static int provider_key(struct parse_ctx *ctx, const char *key, const char *v)
{
	struct cfg_provider *p = ctx->cur;
	struct cfg_param *np;
	int ln = ctx->lineno;

	if (!strcmp(key, "so")) {
		/* A bare module name, looked up in the provider directories,
		 * or an absolute path to a .so: never a relative path. */
		bool abs = v[0] == '/';

		if (p->so) {
			cfg_error(ctx, ln, "so: given twice");
			return 0;
		}
		if (abs ? (strstr(v, "/../") != NULL || strlen(v) >= PATH_MAX)
			: !valid_name(v, 64) || strchr(v, '/')) {
			cfg_error(ctx, ln, "so: want a module name like \"sim\" or an absolute path");
			return 0;
		}
		p->so = strdup(v);
		return 1;
	}
	if (!strcmp(key, "optional")) {
		if (!parse_bool(v, &p->optional)) {
			cfg_error(ctx, ln, "optional: want yes or no");
			return 0;
		}
		return 1;
	}
	if (!valid_name(key, 64)) {
		cfg_error(ctx, ln, "bad key \"%s\"", key);
		return 0;
	}
	/* A provider's keys may repeat: it decides which may (lists). */
	np = realloc(p->params, (p->nparams + 1) * sizeof(*np));
	if (!np) {
		cfg_error(ctx, ln, "out of memory");
		return 0;
	}
	p->params = np;
	np[p->nparams].key = strdup(key);
	np[p->nparams].value = strdup(v);
	np[p->nparams].lineno = ln;
	p->nparams++;
	return 1;
}

/*
 * members = NAME, NAME ...: the remote (TLS) users in a [group]. They have
 * no uid here, so the system's groups (NSS) cannot name them; local users'
 * groups still come from the system only. Kept as "a,b,c".
 */
static int acl_members(struct parse_ctx *ctx, struct cfg_acl *a, const char *v)
{
	size_t n = strlen(v), o = 0;
	char *out = malloc(n + 1);

	if (!a->is_group || a->members || !out) {
		cfg_error(ctx, ctx->lineno, "members: %s", !out ? "out of memory" :
			  a->members ? "given twice" : "only in a [group] section");
		free(out);
		return 0;
	}
	for (const char *p = v; *p;) {
		size_t len = strcspn(p, ", \t");
		char name[64];

		if (len) {
			snprintf(name, sizeof(name), "%.*s", (int)len, p);
			if (len >= sizeof(name) || !valid_user_name(name)) {
				cfg_error(ctx, ctx->lineno, "members: bad user name \"%.*s\"",
					  (int)len, p);
				free(out);
				return 0;
			}
			o += (size_t)sprintf(out + o, "%s%s", o ? "," : "", name);
		}
		p += len + (p[len] ? 1 : 0);
	}
	out[o] = '\0';
	a->members = out;
	return 1;
}

bool cfg_acl_has_member(const struct cfg_acl *a, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = a->members; p && *p;) {
		size_t n = strcspn(p, ",");

		if (n == len && !memcmp(p, name, len))
			return true;
		p += n + (p[n] ? 1 : 0);
	}
	return false;
}

static int acl_key(struct parse_ctx *ctx, const char *key, const char *v)
{
	struct cfg_acl *a = ctx->cur;
	int ln = ctx->lineno;
	char err[160];

	if (!strcmp(key, "lines") || !strcmp(key, "monitor") ||
	    !strcmp(key, "pickup")) {
		struct line_spec **slot = key[0] == 'l' ? &a->lines :
					  key[0] == 'm' ? &a->monitor : &a->pickup;

		if (*slot) {
			cfg_error(ctx, ln, "%s: given twice", key);
			return 0;
		}
		if (line_spec_parse(v, slot, err, sizeof(err))) {
			cfg_error(ctx, ln, "%s: %s", key, err);
			return 0;
		}
		return 1;
	}
	if (!strcmp(key, "members"))
		return acl_members(ctx, a, v);
	if (!strcmp(key, "removed") && ctx->state) {
		if (!parse_bool(v, &a->removed)) {
			cfg_error(ctx, ln, "removed: want yes or no");
			return 0;
		}
		return 1;
	}
	if (!strcmp(key, "admin")) {
		if (!parse_bool(v, &a->admin)) {
			cfg_error(ctx, ln, "admin: want yes or no");
			return 0;
		}
		return 1;
	}
	cfg_error(ctx, ln, "unknown key \"%s\" in [%s]", key, ctx->cur_section);
	return 0;
}

static int ini_handler_fn(void *user, const char *section, const char *name,
			  const char *value)
{
	struct parse_ctx *ctx = user;

	(void)section;
	if (!name)
		return 1;	/* new-section call of some libinih builds */
	/* The prescan has opened every section; find the one this line is
	 * in (the last header before it). */
	while (ctx->hdr_idx < ctx->nhdrs &&
	       ctx->hdrs[ctx->hdr_idx].lineno < ctx->lineno) {
		struct sec_hdr *h = &ctx->hdrs[ctx->hdr_idx++];

		ctx->sec = h->sec;
		ctx->cur = h->cur;
		snprintf(ctx->cur_section, sizeof(ctx->cur_section), "%s", h->name);
	}
	switch (ctx->sec) {
	case SEC_NONE:
		cfg_error(ctx, ctx->lineno, "\"%s\" outside of any section", name);
		return 0;
	case SEC_SERVER:
		return server_key(ctx, name, value);
	case SEC_PROVIDER:
		return provider_key(ctx, name, value);
	case SEC_ACL:
		return acl_key(ctx, name, value);
	default:
		/* the section header was reported already */
		return 1;
	}
}

static void set_defaults(struct config *cfg)
{
	cfg->socket_path = strdup("/run/ctid/ctid.sock");
	cfg->socket_mode = 0666;
	cfg->log_level = LOG_LVL_INFO;
	cfg->replay_log = 16384;
	cfg->queue_limit = 1u << 20;
	cfg->max_clients = 16384;
	cfg->request_timeout = 30;
	cfg->max_requests = 1024;
	cfg->max_bad_frames = 64;
	cfg->max_detached = 1024;
	cfg->max_detached_per_user = 16;
	cfg->state_path = strdup("/var/lib/cti/ctid.state");
	cfg->audit_path = strdup("/var/lib/cti/audit.log");
	cfg_tls_defaults(&cfg->tls);
}

static void validate(struct parse_ctx *ctx)
{
	struct config *cfg = ctx->cfg;
	char err[256];
	int line;

	if (cfg_tls_validate(&cfg->tls, err, sizeof(err), &line))
		cfg_error(ctx, line, "%s", err);

	for (size_t i = 0; i < cfg->nproviders; i++)
		if (!cfg->providers[i].so)
			cfg_error(ctx, cfg->providers[i].lineno,
				  "[provider %s] has no so = MODULE",
				  cfg->providers[i].name);
	for (size_t i = 0; i < cfg->nacls; i++) {
		const struct cfg_acl *a = &cfg->acls[i];

		/* the state keeps what an administrator made, empty or not */
		if (!ctx->state && !a->lines && !a->monitor && !a->pickup && !a->admin)
			cfg_error(ctx, a->lineno,
				  "[%s %s] grants nothing (give lines, monitor, pickup or admin)",
				  a->is_group ? "group" : "user", a->name);
	}
}

static struct config *parse(struct parse_ctx *ctx, ini_reader reader)
{
	int r;

	/* We count physical lines in the reader; continuation lines would
	 * make libinih report a key on a line after it started. */
	ini_allow_multiline = false;
	set_defaults(ctx->cfg);
	r = ini_parse_stream(reader, ctx, ini_handler_fn, ctx);
	if (r == -2) {
		cfg_error(ctx, 0, "out of memory");
	} else if (r > 0 && !ctx->prescan_errors && r != ctx->last_err_line) {
		/* libinih found a line it could not parse at all, which it
		 * reports without calling us. */
		cfg_error(ctx, r, "syntax error (want [section], key = value or a ; comment)");
	}
	validate(ctx);
	flush_errors(ctx);
	if (ctx->errors) {
		config_free(ctx->cfg);
		return NULL;
	}
	return ctx->cfg;
}

/*
 * The syntax errors libinih finds are reported only as the first line with
 * an error; to name every bad line, we pre-scan lines ourselves for the
 * shapes libinih rejects (no '=' or ':' and not a section or comment).
 */
static void prescan_line(struct parse_ctx *ctx, const char *line, int lineno)
{
	const char *s = line;
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strcspn(s, "\r\n");
	if (!len || *s == ';' || *s == '#')
		return;
	if (len > 196) {
		cfg_error(ctx, lineno, "line longer than 196 characters");
		return;
	}
	if (*s == '[') {
		const char *end = memchr(s, ']', len);
		struct sec_hdr *nh;
		char name[128];
		size_t n;

		if (!end) {
			cfg_error(ctx, lineno, "section header without ']'");
			return;
		}
		s++;
		while (*s == ' ' || *s == '\t')
			s++;
		n = end - s;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, s, n);
		name[n] = '\0';
		nh = realloc(ctx->hdrs, (ctx->nhdrs + 1) * sizeof(*nh));
		if (!nh)
			return;
		ctx->hdrs = nh;
		ctx->lineno = lineno;
		begin_section(ctx, name);
		nh[ctx->nhdrs].lineno = lineno;
		nh[ctx->nhdrs].sec = ctx->sec;
		nh[ctx->nhdrs].cur = ctx->cur;
		snprintf(nh[ctx->nhdrs].name, sizeof(nh[ctx->nhdrs].name), "%s", name);
		ctx->nhdrs++;
		return;
	}
	if (!memchr(s, '=', len) && !memchr(s, ':', len))
		cfg_error(ctx, lineno, "syntax error (want [section], key = value or a ; comment)");
}

static void prescan(struct parse_ctx *ctx, const char *text)
{
	int lineno = 0;
	int before = ctx->errors;

	while (*text) {
		const char *nl = strchr(text, '\n');

		prescan_line(ctx, text, ++lineno);
		if (!nl)
			break;
		text = nl + 1;
	}
	ctx->prescan_errors = ctx->errors - before;
	ctx->lineno = 0;
	ctx->sec = SEC_NONE;
	ctx->cur = NULL;
}

static struct config *config_new(const char *name)
{
	struct config *cfg = calloc(1, sizeof(*cfg));

	if (cfg)
		cfg->file = strdup(name);
	return cfg;
}

static struct config *load_text(const char *name, const char *text, bool state,
				cfg_error_fn err, void *arg)
{
	struct parse_ctx ctx = { .err = err, .arg = arg, .text = text,
				 .state = state };

	ctx.cfg = config_new(name);
	if (!ctx.cfg || !ctx.cfg->file) {
		free(ctx.cfg);
		return NULL;
	}
	prescan(&ctx, text);
	return parse(&ctx, read_string_line);
}

struct config *config_load_string(const char *name, const char *text,
				  cfg_error_fn err, void *arg)
{
	return load_text(name, text, false, err, arg);
}

static struct config *load_file(const char *path, bool state, cfg_error_fn err,
				void *arg);

struct config *config_load_file(const char *path, cfg_error_fn err, void *arg)
{
	return load_file(path, false, err, arg);
}

struct config *config_load_state(const char *path, cfg_error_fn err, void *arg)
{
	return load_file(path, true, err, arg);
}

static struct config *load_file(const char *path, bool state, cfg_error_fn err,
				void *arg)
{
	struct config *cfg;
	char *text;
	long size;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s: %s", path, strerror(errno));
		if (err)
			err(arg, msg);
		return NULL;
	}
	/* Configuration files are small: read it whole, then parse from
	 * memory, so that the prescan and libinih see the same bytes. */
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
	    size > (1 << 24) || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		if (err)
			err(arg, "configuration file unreadable or larger than 16 MiB");
		return NULL;
	}
	text = malloc(size + 1);
	if (!text || fread(text, 1, size, f) != (size_t)size) {
		free(text);
		fclose(f);
		if (err)
			err(arg, "cannot read the configuration file");
		return NULL;
	}
	text[size] = '\0';
	fclose(f);
	if (memchr(text, '\0', size)) {
		free(text);
		if (err)
			err(arg, "configuration file contains a NUL byte");
		return NULL;
	}
	cfg = load_text(path, text, state, err, arg);
	free(text);
	return cfg;
}

static void acls_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->nacls; i++) {
		free(cfg->acls[i].name);
		line_spec_free(cfg->acls[i].lines);
		line_spec_free(cfg->acls[i].monitor);
		line_spec_free(cfg->acls[i].pickup);
		free(cfg->acls[i].members);
	}
	cfg->nacls = 0;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	free((char *)cfg->file);
	free(cfg->socket_path);
	free(cfg->socket_group);
	free(cfg->provider_dir);
	free(cfg->state_path);
	free(cfg->audit_path);
	for (size_t i = 0; i < cfg->nproviders; i++) {
		struct cfg_provider *p = &cfg->providers[i];

		free(p->name);
		free(p->so);
		for (size_t j = 0; j < p->nparams; j++) {
			free(p->params[j].key);
			free(p->params[j].value);
		}
		free(p->params);
	}
	acls_free(cfg);
	cfg_tls_free(&cfg->tls);
	free(cfg);
}

void config_set_acls(struct config *dst, struct cfg_acl *v, size_t n)
{
	acls_free(dst);
	memcpy(dst->acls, v, n * sizeof(v[0]));
	dst->nacls = n;
}

void config_take_acls(struct config *dst, struct config *src)
{
	config_set_acls(dst, src->acls, src->nacls);
	src->nacls = 0;		/* the entries are @dst's now */
}

char *config_default_text(const char *socket_path, const char *user)
{
	/* the state and the audit log beside the socket: a directory of ours */
	const char *slash = strrchr(socket_path, '/');
	int dir = slash ? (int)(slash - socket_path) : 0;
	char *text;

	if (!slash)
		return NULL;	/* the callers give an absolute path */

	if (asprintf(&text,
		     "; ctid's embedded default configuration\n"
		     "[server]\n"
		     "socket = %s\n"
		     "socket_mode = 0600\n"
		     "state = %.*s/ctid.state\n"
		     "audit = %.*s/audit.log\n"
		     "\n"
		     "[provider sim]\n"
		     "so = sim\n"
		     "lines = 8\n"
		     "\n"
		     "[user %s]\n"
		     "lines = *\n"
		     "admin = yes\n",
		     socket_path, dir, socket_path, dir, socket_path, user) < 0)
		return NULL;
	return text;
}

void config_dump(const struct config *cfg, FILE *f)
{
	fprintf(f, "[server]\nsocket = %s\nsocket_mode = 0%o\n",
		cfg->socket_path, (unsigned int)cfg->socket_mode);
	if (cfg->socket_group)
		fprintf(f, "socket_group = %s\n", cfg->socket_group);
	fprintf(f, "log_level = %d\nlog = %s\nreplay_log = %u\nqueue_limit = %u\nmax_clients = %u\nrequest_timeout = %u\nmax_requests = %u\nmax_bad_frames = %u\nmax_detached = %u\nmax_detached_per_user = %u\n",
		cfg->log_level, cfg->log_syslog ? "syslog" : "stderr",
		cfg->replay_log, cfg->queue_limit, cfg->max_clients,
		cfg->request_timeout, cfg->max_requests, cfg->max_bad_frames,
		cfg->max_detached, cfg->max_detached_per_user);
	if (cfg->provider_dir)
		fprintf(f, "provider_dir = %s\n", cfg->provider_dir);
	fprintf(f, "state = %s\naudit = %s\n", cfg->state_path, cfg->audit_path);
	cfg_tls_dump(&cfg->tls, f);
	for (size_t i = 0; i < cfg->nproviders; i++) {
		const struct cfg_provider *p = &cfg->providers[i];

		fprintf(f, "\n[provider %s]\nso = %s\n", p->name, p->so);
		if (p->optional)
			fputs("optional = yes\n", f);
		for (size_t j = 0; j < p->nparams; j++)
			fprintf(f, "%s = %s\n", p->params[j].key, p->params[j].value);
	}
	for (size_t i = 0; i < cfg->nacls; i++) {
		const struct cfg_acl *a = &cfg->acls[i];

		fprintf(f, "\n[%s %s]\n", a->is_group ? "group" : "user", a->name);
		if (a->lines) {
			fputs("lines = ", f);
			line_spec_print(a->lines, f);
			fputc('\n', f);
		}
		if (a->monitor) {
			fputs("monitor = ", f);
			line_spec_print(a->monitor, f);
			fputc('\n', f);
		}
		if (a->pickup) {
			fputs("pickup = ", f);
			line_spec_print(a->pickup, f);
			fputc('\n', f);
		}
		if (a->members)
			fprintf(f, "members = %s\n", a->members);
		fprintf(f, "admin = %s\n", a->admin ? "yes" : "no");
	}
}
