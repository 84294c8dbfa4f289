// SPDX-License-Identifier: GPL-2.0
/*
 * ctid start-up and shutdown: the order in which the parts come up and go
 * down, and detaching from the terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "conn_internal.h"
#include "ctid.h"
#include "dispatch.h"
#include "host/timers.h"
#include "log.h"
#include "phonectl.h"
#include "reload.h"
#include "notify.h"

/*
 * Detaching: fork before the ring exists (a ring does not survive fork
 * well); the parent waits on a pipe until the child listens, so that its
 * exit status says whether the service started.
 */
static int detach(int *ready_fd)
{
	int pfd[2];
	pid_t pid;
	char c;

	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(pfd[1]);
		if (read(pfd[0], &c, 1) == 1 && c == 0)
			_exit(0);
		_exit(1);
	}
	close(pfd[0]);
	setsid();
	*ready_fd = pfd[1];
	return 0;
}

static void ready(struct ctid *ctx, int fd, bool ok)
{
	char c = ok ? 0 : 1;
	int devnull;

	if (fd < 0)
		return;
	if (write(fd, &c, 1) != 1)
		log_warn(&ctx->log, "cannot tell the parent that we are ready");
	close(fd);
	devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		close(devnull);
	}
}

/* What the connections tell the layers above them. */
static void before_wait(struct ctid *ctx)
{
	/* first, so that the records of a drop leave with this batch */
	registry_flush_orphans(ctx);
	timers_run_due(ctx);
}

static void tick(struct ctid *ctx)
{
	conn_tls_expire(ctx);
	sessions_expire(ctx);
	requests_expire(&ctx->requests, loop_now_ns(),
			(uint64_t)ctx->cfg->request_timeout * 1000000000ull);
	notify_tick(ctx);
}

/* SIGHUP: errors are logged; a reload that failed changes nothing */
static void reload_access(struct ctid *ctx)
{
	char why[256];

	notify_reloading(ctx);
	server_reload(ctx, why, sizeof(why));
	notify_ready(ctx);
}

/* The service manager hears of the shutdown before the providers stop. */
static void stopping(struct ctid *ctx)
{
	notify_stopping(ctx);
	providers_stop(ctx);
}

/* A connection closes: its session detaches, a password check is forgotten. */
static void conn_closed(struct ctid *ctx, struct conn *c)
{
	auth_conn_gone(ctx, c);
	session_conn_closed(ctx, c);
}

static const struct conn_ops conn_ops = {
	.frame = dispatch_frame,
	.drained = session_drained,
	.closed = conn_closed,
	.before_wait = before_wait,
	.tick = tick,
	.stopping = stopping,
	.reload = reload_access,
	.tls_established = auth_tls_established,
};

static void call_orphaned(struct ctid *ctx, struct line *l, struct call *c)
{
	provider_call_orphaned(ctx, l->prov, l->local, c->call);
}

/*
 * What the registry tells above it: fan-out, line changes in batches,
 * calls nobody owns any more (to their provider).
 */
static const struct registry_ops registry_ops = {
	.line_event = announce_line_event,
	.provider_event = announce_provider_event,
	.line_changed = announce_line,
	.batch = announce_batch,
	.call_orphaned = call_orphaned,
};

/* What a session's end or new rights mean for the phones it opened. */
static const struct session_ops session_ops = {
	.ending = phonectl_drop_session,
	.revalidated = phonectl_revalidate,
};
/* The state file over the configuration's users and groups, before any line. */
static int start_state(struct ctid *ctx)
{
	char why[300];
	int ret = reload_state_start(ctx, why, sizeof(why));

	if (ret)
		log_err(&ctx->log, "state: %s", why);
	return ret;
}

int ctid_run(struct ctid *ctx, struct config *cfg, const struct ctid_options *o)
{
	int ready_fd = -1;
	int ret;

	ctx->cfg = cfg;
	ctx->opts = o;
	ctx->blobs.log = &ctx->log;
	ctx->requests.log = &ctx->log;
	ctx->requests.ctx = ctx;
	for (unsigned int i = 0; i < CONN_MAX_LISTENERS; i++)
		ctx->srv.ls[i].fd = -1;
	registry_set_ops(ctx, &registry_ops);
	ctx->session_ops = &session_ops;
	log_set_startup(&ctx->log, true);
	stats_start(ctx);
	if (!o->foreground) {
		ret = detach(&ready_fd);
		if (ret) {
			log_err(&ctx->log, "cannot detach: %s", strerror(-ret));
			return ret;
		}
	}
	ret = loop_init(&ctx->loop, &ctx->log, 4096);
	if (ret) {
		log_err(&ctx->log, "cannot set up io_uring: %s", strerror(-ret));
		ready(ctx, ready_fd, false);
		return ret;
	}
	ret = lines_init();
	if (!ret)
		ret = replay_log_init(&ctx->replay, cfg->replay_log, &ctx->blobs);
	if (ret)
		log_err(&ctx->log, "out of memory");
	if (!ret)
		ret = start_state(ctx);		/* says why it failed */
	if (!ret)
		ret = auth_start(ctx);		/* says why it failed */
	if (!ret)
		ret = conn_tls_listen(ctx);	/* TCP before unix: see server_start() */
	if (!ret)
		ret = server_start(ctx, &conn_ops);	/* says why it failed */
	/* a provider that does not start is a start-up failure (said above) */
	if (!ret && providers_start(ctx))
		ret = -ENOEXEC;
	if (ret) {
		providers_stop(ctx);
		server_stop(ctx);
		replay_log_exit(&ctx->replay);
		blob_pool_drain(&ctx->blobs);
		lines_exit(ctx);
		ready(ctx, ready_fd, false);
		loop_exit(&ctx->loop);
		auth_stop(ctx);
		reload_state_stop(ctx);
		return ret;
	}
	log_info(&ctx->log, "listening on unix:%s (%u lines, %zu providers configured)",
		 cfg->socket_path, ctx->lines_present, cfg->nproviders);
	for (size_t i = 0; i < cfg->tls.nlisten; i++)
		log_info(&ctx->log, "listening on tls://%s", cfg->tls.listen[i]);
	log_set_startup(&ctx->log, false);
	ready(ctx, ready_fd, true);
	notify_ready(ctx);

	ret = loop_run(&ctx->loop);

	ctx->stopping = true;
	providers_stop(ctx);
	server_stop(ctx);
	while (ctx->sessions)
		session_destroy(ctx, ctx->sessions);
	free(ctx->shash);
	free(ctx->detached.v);
	requests_free(&ctx->requests);
	replay_log_exit(&ctx->replay);
	blob_pool_drain(&ctx->blobs);
	principal_cache_flush(ctx);
	lines_exit(ctx);
	loop_exit(&ctx->loop);
	auth_stop(ctx);		/* the worker's eventfd read went with the ring */
	reload_state_stop(ctx);
	log_info(&ctx->log, "stopped");
	return ret;
}
