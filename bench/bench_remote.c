// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_remote: the Remote Service Provider's cost. A server ctid (sim)
 * and a desktop ctid whose remote provider reaches it over the server's
 * unix socket; the same measurements against the server's socket (local)
 * and against the desktop's (remote, one more daemon and hop), then the
 * ratio remote/local:
 *
 *   (1) round trips: one raw client owns a line and keeps one SET_DND in
 *       flight (a closed loop), for DURATION_MS: requests/s, p50, p99;
 *   (2) fan-out: SUBS monitors of one line; a process on the server's
 *       socket toggles the line's DND EVENTS times (windows of 64
 *       requests), each a LINE_STATUS to every monitor: events/s
 *       delivered to all monitors together, until the last one has all.
 *
 * Then the same remote measurements over TLS 1.3: a second server ctid
 * with its TLS listener (tls_listen, fresh test certificates from
 * tests/providers/mkcerts.sh), the desktop's remote provider logged in
 * there by its client certificate.
 *
 * Raw wire clients (tests/rawclient.c), loopback, one run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "rawclient.h"

#define DURATION_MS	2000
#define SUBS		100
#define EVENTS		2000
#define WINDOW		64

static void die(const char *what, int err)
{
	fprintf(stderr, "bench_remote: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static uint32_t line_of(struct rc *c, const char *num)
{
	uint32_t line = rc_line_of_number(c, num);

	if (line == CTI_LINE_NONE)
		die("no such line", ENOENT);
	return line;
}

static void connect_to(struct rc *c, const char *sock, const char *name)
{
	int rc = rc_connect(c, sock);

	if (!rc)
		rc = rc_hello(c, name, 0, 0);
	if (rc)
		die("connect", rc);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* (1): requests/s of a closed loop of SET_DND on line 100 via @sock. */
static double rtt(const char *sock, double *p50, double *p99)
{
	static double lat[1 << 20];
	struct rc c;
	uint32_t line;
	size_t n = 0;
	uint64_t t0, end;

	connect_to(&c, sock, "bench-rtt");
	line = line_of(&c, "100");
	if (rc_open_line(&c, line, CTI_PRIV_OWNER))
		die("open line", EACCES);
	t0 = t_now_ns();
	end = t0 + DURATION_MS * 1000000ull;
	while (t_now_ns() < end && n < sizeof(lat) / sizeof(lat[0])) {
		uint64_t s = t_now_ns();
		int rc = rc_command_sync(&c, CTI_CMD_SET_DND, line, 0, 0, n & 1, 0, NULL, NULL);

		if (rc)
			die("SET_DND", rc);
		lat[n++] = (double)(t_now_ns() - s) / 1000.0;
		rc_drain(&c, 0);	/* its LINE_STATUS events */
	}
	qsort(lat, n, sizeof(lat[0]), cmp_d);
	*p50 = lat[n / 2];
	*p99 = lat[n * 99 / 100];
	rc_close(&c);
	return n / ((double)(t_now_ns() - t0) / 1e9);
}

/* The event source: EVENTS toggles of line 101's DND on the server. */
static pid_t toggler(const char *srv_sock)
{
	pid_t pid = fork();
	struct rc c;
	uint32_t line;

	if (pid)
		return pid;
	connect_to(&c, srv_sock, "bench-toggler");
	line = line_of(&c, "101");
	if (rc_open_line(&c, line, CTI_PRIV_OWNER))
		_exit(1);
	for (int i = 0; i < EVENTS; i += WINDOW) {
		int64_t ids[WINDOW];
		int k = EVENTS - i < WINDOW ? EVENTS - i : WINDOW;

		for (int j = 0; j < k; j++)
			ids[j] = rc_command(&c, CTI_CMD_SET_DND, line, 0, 0, (i + j + 1) & 1, 0, NULL);
		for (int j = 0; j < k; j++)
			if (ids[j] < 0 || rc_wait_reply(&c, (uint64_t)ids[j], NULL, 10000))
				_exit(1);
		rc_drain(&c, 0);
	}
	_exit(0);
}

/* (2): events/s to SUBS monitors of line 101 on @sub_sock. */
static double fanout(const char *srv_sock, const char *sub_sock)
{
	static struct rc subs[SUBS];
	struct pollfd pfd[SUBS];
	int got[SUBS] = { 0 }, done = 0, status;
	uint64_t t0, deadline;
	pid_t pid;

	for (int i = 0; i < SUBS; i++) {
		connect_to(&subs[i], sub_sock, "bench-sub");
		if (rc_open_line(&subs[i], line_of(&subs[i], "101"), CTI_PRIV_MONITOR))
			die("monitor", EACCES);
		pfd[i] = (struct pollfd){ .fd = subs[i].fd, .events = POLLIN };
	}
	t0 = t_now_ns();
	deadline = t0 + 60 * 1000000000ull;
	pid = toggler(srv_sock);
	while (done < SUBS && t_now_ns() < deadline) {
		if (poll(pfd, SUBS, 1000) <= 0)
			continue;
		for (int i = 0; i < SUBS; i++) {
			struct cti_wire_frame f;

			if (!pfd[i].revents || got[i] >= EVENTS)
				continue;
			while (rc_recv(&subs[i], &f, 0) == 1)
				if (f.hdr.type == CTI_WIRE_EV_LINE_STATUS && ++got[i] == EVENTS)
					done++;
			if (got[i] >= EVENTS)
				pfd[i].events = 0;
		}
	}
	t0 = t_now_ns() - t0;
	waitpid(pid, &status, 0);
	for (int i = 0; i < SUBS; i++)
		rc_close(&subs[i]);
	if (done < SUBS || !WIFEXITED(status) || WEXITSTATUS(status))
		die("fan-out did not complete", ETIMEDOUT);
	return (double)EVENTS * SUBS / ((double)t0 / 1e9);
}

static const char *user(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw ? pw->pw_name : "root";
}

/* A desktop ctid whose remote provider "hq" reaches @address. */
static void start_desk(struct t_ctid *desk, const char *address, const char *tls_keys)
{
	char conf[2048];

	snprintf(conf, sizeof(conf),
		 "[server]\nsocket = @SOCK@\nsocket_mode = 0666\nprovider_dir = @PROVIDERS@\n"
		 "[provider hq]\nso = remote\naddress = %s\n%s[user %s]\nlines = *\nadmin = yes\n",
		 address, tls_keys, user());
	if (t_ctid_start(desk, conf))
		die("desktop ctid", EIO);
	for (int i = 0; t_ctid_log_count(desk, "in sync") < 1; i++) {
		if (i == 500)
			die("the desktop never got in sync", ETIMEDOUT);
		t_sleep_ms(20);
	}
}

struct figures {
	double rps, p50, p99, ev;
};

static void measure(struct figures *fg, const char *srv_sock, const char *sock)
{
	fg->rps = rtt(sock, &fg->p50, &fg->p99);
	fg->ev = fanout(srv_sock, sock);
}

/* A server ctid (sim) with its TLS listener on @port, certificates in @certs. */
static int start_tls_server(struct t_ctid *srv, const char *certs, int port)
{
	char conf[2048];

	snprintf(conf, sizeof(conf),
		 "[server]\nsocket = @SOCK@\nsocket_mode = 0666\nprovider_dir = @PROVIDERS@\n"
		 "tls_listen = 127.0.0.1:%d\ntls_cert = %s/server.pem\ntls_key = %s/server.key\n"
		 "tls_ca = %s/ca.pem\n"
		 "[provider sim]\nso = sim\nlines = 4\n[user %s]\nlines = *\nadmin = yes\n"
		 "[user desktop]\nlines = *\n", port, certs, certs, certs, user());
	return t_ctid_start(srv, conf);
}

/* The desktop over the server's TLS listener; 0, or -1 if it cannot be set up. */
static int measure_tls(struct figures *fg)
{
	char certs[] = "/tmp/cti-bench-remote.XXXXXX", cmd[512], addr[64], keys[1200];
	struct t_ctid srv, desk;
	int port = t_free_port(), ret = -1;

	if (port <= 0 || !mkdtemp(certs))
		return -1;
	snprintf(cmd, sizeof(cmd), "%s %s/c > /dev/null", MKCERTS, certs);
	if (!system(cmd)) {
		snprintf(cmd, sizeof(cmd), "%s/c", certs);
		ret = start_tls_server(&srv, cmd, port);
	}
	if (!ret) {
		snprintf(addr, sizeof(addr), "tls:127.0.0.1:%d", port);
		snprintf(keys, sizeof(keys),
			 "ca = %s/c/ca.pem\ncert = %s/c/client.pem\nkey = %s/c/client.key\n",
			 certs, certs, certs);
		start_desk(&desk, addr, keys);
		measure(fg, srv.sock, desk.sock);
		t_ctid_stop(&desk);
		t_ctid_stop(&srv);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", certs);
	if (system(cmd))
		fprintf(stderr, "bench_remote: %s left behind\n", certs);
	return ret ? -1 : 0;
}

static void row(const char *what, double local, double remote, bool ratio)
{
	printf("%-38s %12.1f %12.1f", what, local, remote);
	if (ratio)
		printf(" %8.2f", remote / local);
	printf("\n");
}

int main(void)
{
	struct figures loc, rem, tls;
	struct t_ctid srv, desk;
	char conf[1024], addr[300];
	bool have_tls;

	t_ctid_verbose = false;
	snprintf(conf, sizeof(conf),
		 "[server]\nsocket = @SOCK@\nsocket_mode = 0666\nprovider_dir = @PROVIDERS@\n"
		 "[provider sim]\nso = sim\nlines = 4\n[user %s]\nlines = *\nadmin = yes\n", user());
	if (t_ctid_start(&srv, conf))
		die("server ctid", EIO);
	snprintf(addr, sizeof(addr), "unix:%s", srv.sock);
	start_desk(&desk, addr, "");
	measure(&loc, srv.sock, srv.sock);
	measure(&rem, srv.sock, desk.sock);
	t_ctid_stop(&desk);
	have_tls = !measure_tls(&tls);

	printf("bench_remote: desktop ctid -> server ctid -> sim, beside the server's own socket\n");
	printf("%-38s %12s %12s %8s\n", "", "local", "remote", "ratio");
	row("round trips/s, 1 client (unix)", loc.rps, rem.rps, true);
	row("  p50 us", loc.p50, rem.p50, false);
	row("  p99 us", loc.p99, rem.p99, false);
	row("fan-out events/s, 100 monitors (unix)", loc.ev, rem.ev, true);
	if (have_tls) {
		row("round trips/s, 1 client (TLS)", loc.rps, tls.rps, true);
		row("  p50 us", loc.p50, tls.p50, false);
		row("  p99 us", loc.p99, tls.p99, false);
		row("fan-out events/s, 100 monitors (TLS)", loc.ev, tls.ev, true);
	} else {
		printf("TLS: SKIP (no certificates, or the TLS server did not start)\n");
	}
	t_ctid_stop(&srv);
	return 0;
}
