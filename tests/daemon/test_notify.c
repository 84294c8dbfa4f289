// SPDX-License-Identifier: GPL-2.0
/*
 * ctid as systemd's Type=notify sees it (daemon/notify.c): the test plays
 * the service manager, a datagram socket named in $NOTIFY_SOCKET, and
 * checks what arrives: READY=1 with a status once clients can connect,
 * WATCHDOG=1 keep-alives only when $WATCHDOG_USEC asks for them,
 * RELOADING=1 then READY=1 around a SIGHUP, STOPPING=1 at SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"

struct mgr {
	int fd;
	char path[108];
	struct t_ctid d;
};

/* Bind the manager's socket and start ctid with it in its environment. */
static void mgr_start(struct mgr *m, const char *watchdog_usec)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(m->path, sizeof(m->path), "/tmp/cti-notify.%d", (int)getpid());
	unlink(m->path);
	m->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	T_ASSERT(m->fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", m->path);
	T_ASSERT(!bind(m->fd, (struct sockaddr *)&sa, sizeof(sa)), "%s", strerror(errno));
	setenv("NOTIFY_SOCKET", m->path, 1);
	unsetenv("WATCHDOG_PID");	/* ctid's pid is not known before it starts */
	if (watchdog_usec)
		setenv("WATCHDOG_USEC", watchdog_usec, 1);
	else
		unsetenv("WATCHDOG_USEC");
	T_ASSERT(!t_ctid_start(&m->d, t_conf_default(2, NULL)));
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
}

static void mgr_stop(struct mgr *m)
{
	if (m->d.pid > 0)
		t_ctid_stop(&m->d);
	close(m->fd);
	unlink(m->path);
}

/* The next message within @ms into @buf; false when none came. */
static bool mgr_recv(struct mgr *m, char *buf, size_t len, int ms)
{
	struct pollfd p = { .fd = m->fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) != 1)
		return false;
	n = recv(m->fd, buf, len - 1, 0);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* Wait up to @ms for a message holding @needle, skipping keep-alives. */
static bool mgr_wait(struct mgr *m, const char *needle, char *buf, size_t len, int ms)
{
	int64_t end = t_now_ms() + ms;

	while (t_now_ms() < end) {
		if (!mgr_recv(m, buf, len, (int)(end - t_now_ms())))
			return false;
		if (strstr(buf, needle))
			return true;
	}
	return false;
}

static void ready_with_status(void)
{
	struct mgr m;
	char buf[1024], want[256];

	mgr_start(&m, NULL);
	T_EXPECT(mgr_wait(&m, "READY=1", buf, sizeof(buf), 3000), "no READY=1");
	snprintf(want, sizeof(want), "STATUS=listening on unix:%s, 2 lines", m.d.sock);
	T_EXPECT(strstr(buf, want), "got \"%s\", want \"%s\"", buf, want);
	mgr_stop(&m);
}

static void watchdog_when_asked(void)
{
	struct mgr m;
	char buf[1024];
	int pings = 0;
	int64_t end;

	mgr_start(&m, "1000000");	/* WatchdogSec=1s */
	T_ASSERT(mgr_wait(&m, "READY=1", buf, sizeof(buf), 3000));
	end = t_now_ms() + 3500;
	while (t_now_ms() < end && mgr_recv(&m, buf, sizeof(buf), (int)(end - t_now_ms())))
		pings += !strcmp(buf, "WATCHDOG=1");
	T_EXPECT(pings >= 2, "%d WATCHDOG=1 in 3.5 s with WatchdogSec=1s", pings);
	mgr_stop(&m);
}

static void no_watchdog_unasked(void)
{
	struct mgr m;
	char buf[1024];

	mgr_start(&m, NULL);
	T_ASSERT(mgr_wait(&m, "READY=1", buf, sizeof(buf), 3000));
	T_EXPECT(!mgr_wait(&m, "WATCHDOG=1", buf, sizeof(buf), 2500),
		 "a keep-alive nobody asked for");
	mgr_stop(&m);
}

static void reload_then_ready(void)
{
	struct mgr m;
	char buf[1024];

	mgr_start(&m, NULL);
	T_ASSERT(mgr_wait(&m, "READY=1", buf, sizeof(buf), 3000));
	T_ASSERT(!kill(m.d.pid, SIGHUP));
	T_EXPECT(mgr_wait(&m, "RELOADING=1", buf, sizeof(buf), 3000), "no RELOADING=1");
	T_EXPECT(mgr_wait(&m, "READY=1", buf, sizeof(buf), 3000), "no READY=1 after the reload");
	mgr_stop(&m);
}

static void stopping_at_sigterm(void)
{
	struct mgr m;
	char buf[1024];

	mgr_start(&m, NULL);
	T_ASSERT(mgr_wait(&m, "READY=1", buf, sizeof(buf), 3000));
	T_ASSERT(!kill(m.d.pid, SIGTERM));
	T_EXPECT(mgr_wait(&m, "STOPPING=1", buf, sizeof(buf), 3000), "no STOPPING=1");
	mgr_stop(&m);
}

static const struct t_case cases[] = {
	{ "ready_with_status", ready_with_status },
	{ "watchdog_when_asked", watchdog_when_asked },
	{ "no_watchdog_unasked", no_watchdog_unasked },
	{ "reload_then_ready", reload_then_ready },
	{ "stopping_at_sigterm", stopping_at_sigterm },
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
