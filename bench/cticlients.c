// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cticlients.c - libcti sessions driven by bench_rtt's loop
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cti.h"
#include "cticlients.h"

struct cti_client {
	struct cti_session *s;
	struct cti_line *line;
	int on;
	size_t replies;		/* counted by the dispatch callback */
};

struct cti_clients {
	size_t n;
	bool ping;
	struct cti_client c[];
};

static void die(const char *what, int err)
{
	fprintf(stderr, "bench_rtt: %s: %s\n", what, strerror(-err));
	exit(1);
}

static void on_msg(struct cti_session *s, struct cti_msg *m, void *data)
{
	struct cti_client *c = data;

	(void)s;
	if (cti_msg_get_type(m) != CTI_MSG_REPLY)
		return;
	if (cti_msg_get_error(m))
		die("reply", cti_msg_get_error(m));
	c->replies++;
}

static void open_one(struct cti_client *c, size_t i)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.flags = CTI_SESSION_NO_RECONNECT,
		.timeout_ms = 20000,
		.client_name = "bench",
	};
	uint64_t req;
	int rc;

	rc = cti_session_open(NULL, &o, &c->s);
	if (rc)
		die("session open", rc);
	c->line = cti_session_get_line(c->s, (unsigned int)i);
	if (!c->line)
		die("no line", -ENOENT);
	rc = cti_line_open(c->line, CTI_PRIV_OWNER, &req);
	if (!rc)
		rc = cti_session_wait_reply(c->s, req, 20000, NULL);
	if (rc)
		die("line open", rc);
	cti_session_set_callback(c->s, on_msg, c);
}

struct cti_clients *cti_clients_open(size_t n)
{
	struct cti_clients *cs = calloc(1, sizeof(*cs) + n * sizeof(cs->c[0]));
	size_t i;

	if (!cs)
		die("calloc", -ENOMEM);
	cs->n = n;
	for (i = 0; i < n; i++)
		open_one(&cs->c[i], i);
	return cs;
}

void cti_clients_close(struct cti_clients *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		cti_session_close(cs->c[i].s);
	free(cs);
}

void cti_clients_set_ping(struct cti_clients *cs, bool ping)
{
	cs->ping = ping;
}

static int cti_fd(void *ctx, size_t i)
{
	return cti_session_get_fd(((struct cti_clients *)ctx)->c[i].s);
}

static void cti_send(void *ctx, size_t i)
{
	struct cti_clients *cs = ctx;
	struct cti_client *c = &cs->c[i];
	uint64_t req;
	int rc;

	c->on ^= 1;
	rc = cs->ping ? cti_session_ping(c->s, &req) :
			cti_line_set_dnd(c->line, c->on, &req);
	if (rc)
		die("request", rc);
}

/* next_msg until it answers 0, as cti.h asks; counts the replies. */
static size_t cti_drain_next(void *ctx, size_t i)
{
	struct cti_client *c = &((struct cti_clients *)ctx)->c[i];
	struct cti_msg *m;
	size_t k = 0;
	int rc;

	while ((rc = cti_session_next_msg(c->s, &m)) == 1) {
		if (cti_msg_get_type(m) == CTI_MSG_REPLY) {
			if (cti_msg_get_error(m))
				die("reply", cti_msg_get_error(m));
			k++;
		}
		cti_msg_free(m);
	}
	if (rc < 0)
		die("next_msg", rc);
	return k;
}

static size_t cti_drain_dispatch(void *ctx, size_t i)
{
	struct cti_client *c = &((struct cti_clients *)ctx)->c[i];
	size_t before = c->replies;
	int rc = cti_session_dispatch(c->s);

	if (rc < 0)
		die("dispatch", rc);
	return c->replies - before;
}

const struct rtt_ops cti_next_msg_ops = {
	.fd = cti_fd,
	.send = cti_send,
	.drain = cti_drain_next,
};

const struct rtt_ops cti_dispatch_ops = {
	.fd = cti_fd,
	.send = cti_send,
	.drain = cti_drain_dispatch,
};
