// SPDX-License-Identifier: GPL-2.0
/*
 * sd_notify for ctid.service (Type=notify): systemd considers the service
 * started only once READY=1 arrives, which ctid sends after its socket
 * listens and its providers started, so that `systemctl start ctid`
 * returns when clients can connect and fails when ctid could not start.
 * libsystemd does the protocol (the socket may be abstract, the message
 * needs credentials); without $NOTIFY_SOCKET each call does nothing.
 */
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "config.h"
#include "ctid.h"
#include "log.h"
#include "notify.h"

/* A failure to notify is logged, never fatal: ctid still serves. */
static void send_state(struct ctid *ctx, const char *state)
{
	int ret = sd_notify(0, state);

	if (ret < 0)
		log_warn(&ctx->log, "sd_notify: %s", strerror(-ret));
}

void notify_ready(struct ctid *ctx)
{
	char buf[512];
	uint64_t usec = 0;

	snprintf(buf, sizeof(buf),
		 "READY=1\nSTATUS=listening on unix:%s, %u lines, %zu providers",
		 ctx->cfg->socket_path, ctx->lines_present, ctx->cfg->nproviders);
	send_state(ctx, buf);
	/* > 0 only for the main process of a unit with WatchdogSec= */
	if (sd_watchdog_enabled(0, &usec) > 0 && usec)
		ctx->notify.watchdog_ns = usec * 1000;
	ctx->notify.last_ping_ns = loop_now_ns();
}

void notify_tick(struct ctid *ctx)
{
	uint64_t now;

	if (!ctx->notify.watchdog_ns)
		return;
	now = loop_now_ns();
	/* half the interval, as sd_watchdog_enabled(3) advises; the tick is
	 * once a second, so WatchdogSec below 2 s gets a ping every tick */
	if (now - ctx->notify.last_ping_ns < ctx->notify.watchdog_ns / 2)
		return;
	ctx->notify.last_ping_ns = now;
	send_state(ctx, "WATCHDOG=1");
}

void notify_reloading(struct ctid *ctx)
{
	send_state(ctx, "RELOADING=1\nSTATUS=reloading the configuration");
}

void notify_stopping(struct ctid *ctx)
{
	send_state(ctx, "STOPPING=1\nSTATUS=stopping");
}
