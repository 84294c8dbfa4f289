/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The service manager's side of ctid's life (systemd's sd_notify
 * protocol): ready, reloading, stopping, a status line, and the watchdog's
 * keep-alive. Every call is a no-op when ctid was not started by a
 * service manager that listens ($NOTIFY_SOCKET unset).
 */
#ifndef CTID_NOTIFY_H
#define CTID_NOTIFY_H

#include <stdint.h>

struct ctid;

struct notify_state {
	uint64_t watchdog_ns;	/* WatchdogSec, 0 when off */
	uint64_t last_ping_ns;	/* CLOCK_MONOTONIC of the last WATCHDOG=1 */
};

/**
 * notify_ready() - tell the service manager that ctid serves clients.
 * @ctx: the context, listening, its providers started
 *
 * Sends READY=1 with a STATUS= line (socket, lines, providers) and reads
 * the watchdog interval the manager gave ($WATCHDOG_USEC) for notify_tick().
 */
void notify_ready(struct ctid *ctx);

/**
 * notify_tick() - the housekeeping timer's call, about once a second.
 * @ctx: the context
 *
 * Sends WATCHDOG=1 once half the watchdog interval has passed since the
 * last one: a loop that stops turning stops the keep-alives, and the
 * manager restarts ctid.
 */
void notify_tick(struct ctid *ctx);

/**
 * notify_reloading() - a reload (SIGHUP) begins; notify_ready() ends it.
 * @ctx: the context
 */
void notify_reloading(struct ctid *ctx);

/**
 * notify_stopping() - ctid begins its shutdown.
 * @ctx: the context
 */
void notify_stopping(struct ctid *ctx);

#endif
