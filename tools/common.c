// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * common.c - argument checks, errors, the session and tables for every
 * ctictl command (JSON: json.c)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

int ctl_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("ctictl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'ctictl --help'.\n", stderr);
	return EXIT_USAGE;
}

const char *ctl_errno_name(int err)
{
	const char *name = strerrorname_np(err < 0 ? -err : err);

	return name ? name : "E?";
}

int ctl_fail(int err, const char *fmt, ...)
{
	va_list ap;

	fputs("ctictl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s (%s)\n", strerror(-err), ctl_errno_name(err));
	return EXIT_FAILURE;
}

int ctl_check_argc(int argc, int min, int max, const char *cmd,
		   const char *args)
{
	if (argc - 1 < min)
		return ctl_usage("%s: missing argument (usage: %s %s)", cmd,
				 cmd, args);
	if (max >= 0 && argc - 1 > max)
		return ctl_usage("%s: too many arguments (usage: %s %s)", cmd,
				 cmd, args);
	return 0;
}

int ctl_parse_u32(const char *arg, const char *what, uint32_t *val)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (arg[0] < '0' || arg[0] > '9')
		return ctl_usage("bad %s '%s': not a number", what, arg);
	v = strtoull(arg, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return ctl_usage("bad %s '%s': not a number up to %u", what,
				 arg, UINT32_MAX);
	*val = (uint32_t)v;
	return 0;
}

int ctl_parse_call(const char *arg, uint32_t *call)
{
	int ret = ctl_parse_u32(arg, "call", call);

	if (!ret && *call == CTI_CALL_NONE)
		return ctl_usage("bad call '%s': call handles start at 1",
				 arg);
	return ret;
}

/* The protocol's number class: +0123456789*#, a + only first. */
int ctl_parse_number(const char *arg)
{
	const char *p;

	if (!*arg)
		return ctl_usage("bad number '': empty");
	for (p = arg; *p; p++) {
		if ((*p >= '0' && *p <= '9') || *p == '*' || *p == '#' ||
		    (*p == '+' && p == arg))
			continue;
		return ctl_usage("bad number '%s': only +0123456789*# "
				 "(a + only first)", arg);
	}
	return 0;
}

int ctl_connect(struct ctl *ctl)
{
	struct cti_session_options opts = {
		.size = sizeof(opts),
		.flags = CTI_SESSION_NO_RECONNECT,
		.timeout_ms = CTL_TIMEOUT_MS,
		.client_name = "ctictl",
	};
	const char *detail;
	int err;

	err = cti_session_open(ctl->uri, &opts, &ctl->session);
	/* over TLS the errno alone does not say which certificate, or why */
	detail = err ? cti_session_error_detail() : "";
	if (err == -EINVAL)
		return ctl_usage("bad URI '%s'%s%s", ctl->uri ? ctl->uri : "",
				 detail[0] ? ": " : "", detail);
	if (err) {
		const char *uri = ctl->uri ? ctl->uri :
				  getenv("CTI_URI") ? getenv("CTI_URI") :
				  CTI_DEFAULT_URI;

		int rc = ctl_fail(err, "cannot reach ctid at %s%s%s", uri,
				  detail[0] ? ": " : "", detail);

		/* no socket, or nobody behind it: say what to do about it */
		if (!detail[0] && (err == -ENOENT || err == -ECONNREFUSED))
			fputs("ctictl: is ctid running? (make run, or systemctl "
			      "start ctid; -u or CTI_URI names another socket)\n",
			      stderr);
		return rc;
	}
	return 0;
}

int ctl_find_line(struct ctl *ctl, const char *arg, struct cti_line **linep)
{
	uint32_t id;
	char *end;

	if (cti_session_find_line(ctl->session, arg, linep) == 0)
		return 0;
	/* a line's stable id, as `ctictl lines` shows it */
	if (arg[0] >= '0' && arg[0] <= '9') {
		id = (uint32_t)strtoul(arg, &end, 10);
		if (!*end) {
			*linep = cti_session_get_line_by_id(ctl->session, id);
			if (*linep)
				return 0;
		}
	}
	return ctl_usage("bad line '%s': no line has that name, number or id",
			 arg);
}

int ctl_wait(struct ctl *ctl, int err, const uint64_t *req, uint32_t *call,
	     const char *what)
{
	if (err == -EILSEQ || err == -ENAMETOOLONG)
		return ctl_usage("%s: ctid would refuse the argument: %s",
				 what, strerror(-err));
	if (!err)
		err = cti_session_wait_reply(ctl->session, *req,
					     CTL_TIMEOUT_MS, call);
	if (err)
		return ctl_fail(err, "%s", what);
	return 0;
}

int ctl_open_line(struct ctl *ctl, struct cti_line *line,
		  enum cti_privilege priv)
{
	uint64_t req;

	return ctl_wait(ctl, cti_line_open(line, priv, &req), &req, NULL,
			cti_line_get_name(line));
}

int ctl_open_all(struct ctl *ctl, enum cti_privilege priv)
{
	size_t i, n = cti_session_get_num_lines(ctl->session);
	int ret;

	for (i = 0; i < n; i++) {
		struct cti_line *line = cti_session_get_line(ctl->session, i);

		if (!cti_line_may_open(line, priv))
			continue;
		ret = ctl_open_line(ctl, line, priv);
		if (ret)
			return ret;
	}
	return 0;
}

const char *ctl_line_status_name(uint32_t status)
{
	switch (status) {
	case CTI_LINE_IN_SERVICE:
		return "in-service";
	case CTI_LINE_OUT_OF_SERVICE:
		return "out-of-service";
	case CTI_LINE_MAINTENANCE:
		return "maintenance";
	}
	return "?";
}

const char *ctl_forward_name(uint32_t mode)
{
	switch (mode) {
	case CTI_FORWARD_NONE:
		return "none";
	case CTI_FORWARD_UNCONDITIONAL:
		return "unconditional";
	case CTI_FORWARD_BUSY:
		return "busy";
	case CTI_FORWARD_NO_ANSWER:
		return "noanswer";
	}
	return "?";
}

const char *ctl_origin_name(uint32_t origin)
{
	switch (origin) {
	case CTI_ORIGIN_UNKNOWN:
		return "unknown";
	case CTI_ORIGIN_OUTBOUND:
		return "outbound";
	case CTI_ORIGIN_INBOUND:
		return "inbound";
	case CTI_ORIGIN_INTERNAL:
		return "internal";
	case CTI_ORIGIN_CONFERENCE:
		return "conference";
	}
	return "?";
}

struct table {
	size_t ncols;
	size_t ncells;	/* the header's cells, then the rows' */
	size_t alloc;
	char **cells;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("ctictl: out of memory\n", stderr);
		exit(EXIT_FAILURE);
	}
	return p;
}

static void table_push(struct table *t, const char *cell)
{
	if (t->ncells == t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 8 * t->ncols;
		t->cells = xrealloc(t->cells, t->alloc * sizeof(*t->cells));
	}
	t->cells[t->ncells++] = strcpy(xrealloc(NULL, strlen(cell) + 1),
				       cell);
}

struct table *table_new(size_t ncols, const char *const *headers)
{
	struct table *t = xrealloc(NULL, sizeof(*t));
	size_t i;

	*t = (struct table){ .ncols = ncols };
	for (i = 0; i < ncols; i++)
		table_push(t, headers[i]);
	return t;
}

void table_add(struct table *t, ...)
{
	va_list ap;
	size_t i;

	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		table_push(t, va_arg(ap, const char *));
	va_end(ap);
}

void table_print(struct table *t, FILE *f)
{
	size_t *width = xrealloc(NULL, t->ncols * sizeof(*width));
	size_t i, col;

	memset(width, 0, t->ncols * sizeof(*width));
	for (i = 0; i < t->ncells; i++) {
		col = i % t->ncols;
		if (strlen(t->cells[i]) > width[col])
			width[col] = strlen(t->cells[i]);
	}
	for (i = 0; i < t->ncells; i++) {
		col = i % t->ncols;
		if (col + 1 < t->ncols)
			fprintf(f, "%-*s  ", (int)width[col], t->cells[i]);
		else
			fprintf(f, "%s\n", t->cells[i]);
	}
	free(width);
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

int ctl_parse_name(const char *arg, const char *what,
		   const char *const *names, size_t n, uint32_t *val)
{
	char list[256];
	size_t i, off = 0;

	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(arg, names[i])) {
			*val = (uint32_t)i;
			return 0;
		}
	}
	list[0] = '\0';
	for (i = 0; i < n && off < sizeof(list); i++)
		if (names[i])
			off += (size_t)snprintf(list + off, sizeof(list) - off,
						"%s%s", off ? ", " : "",
						names[i]);
	return ctl_usage("bad %s '%s': one of %s", what, arg, list);
}

int ctl_owner_line(struct ctl *ctl, const char *arg, struct cti_line **linep)
{
	int ret = ctl_connect(ctl);

	if (!ret)
		ret = ctl_find_line(ctl, arg, linep);
	if (!ret)
		ret = ctl_open_line(ctl, *linep, CTI_PRIV_OWNER);
	return ret;
}

int ctl_done(struct ctl *ctl, const char *cmd, uint32_t call)
{
	if (ctl->json) {
		struct json j;

		json_init(&j, stdout);
		json_begin(&j, NULL, '{');
		json_str(&j, "result", "ok");
		if (call != CTI_CALL_NONE)
			json_uint(&j, "call", call);
		json_end(&j, '}');
		json_finish(&j);
	} else if (call != CTI_CALL_NONE) {
		printf("call %" PRIu32 "\n", call);
	} else {
		printf("%s: ok\n", cmd);
	}
	return 0;
}

const char *ctl_forwarded_from(uint32_t offer_reason, const char *called)
{
	if (offer_reason == CTI_REASON_FORWARD ||
	    offer_reason == CTI_REASON_REDIRECT)
		return called;
	return "";
}
