// SPDX-License-Identifier: GPL-2.0
/*
 * ctid as a provider host, end to end with the test provider tp.so:
 * dlopen and the ABI check, line registration and stable ids across an
 * unload/load, transports (connect, data both ways, close on unload),
 * events from the provider to a client, admin requests, SIGTERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "rawclient.h"

static char dir[32], sock[64], peer[64], conf[64];
/* where tp.so and tp_badabi.so are (tests/Makefile builds them) */
#define TP_DIR TESTS_O "/tests/daemon"

static int read_full(int fd, void *buf, size_t len, int ms)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, ms) <= 0)
			return -ETIMEDOUT;
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			return n ? -errno : -EPIPE;
		got += n;
	}
	return 0;
}

static int accept_peer(int lfd)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	if (poll(&p, 1, 3000) <= 0)
		return -1;
	return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

struct host_test {
	int lfd;		/* where the provider's transport connects */
	int pfd;		/* the provider's transport, peer side */
	struct rc c;		/* a client of ctid */
	uint32_t line;		/* t0's id */
	struct t_ctid d;	/* ctid with tp.so */
};

/* A DEV_SPECIFIC command with @data on t0; the REPLY's error. */
static int64_t dev_specific(struct host_test *t, const char *data)
{
	return rc_command_sync(&t->c, CTI_CMD_DEV_SPECIFIC, t->line, 0, 0, 0,
			       0, data, NULL);
}

/* the ABI check: a provider built for another ABI is refused */
static void bad_abi_refused(void)
{
	char cmd[512];
	FILE *cf;

	cf = fopen(conf, "w");
	fprintf(cf, "[server]\nsocket = %s\n[provider bad]\nso = %s/tp_badabi.so\n"
		"[user root]\nlines = *\nadmin = yes\n", sock, TP_DIR);
	fclose(cf);
	snprintf(cmd, sizeof(cmd), "%s --check-config -c %s 2>&1 | grep -q 'built for provider ABI 999'",
		 t_ctid_path(), conf);
	T_EXPECT(system(cmd) == 0, "no clear ABI mismatch message from --check-config");
}

/* ctid with tp.so, whose transport connects to our peer socket */
static void start_with_peer(struct host_test *t)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[64], cf[512];

	t->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", peer);
	T_EXPECT(!bind(t->lfd, (struct sockaddr *)&sa, sizeof(sa)) && !listen(t->lfd, 4),
	      "peer listen");
	snprintf(cf, sizeof(cf), "[server]\nsocket = @SOCK@\nrequest_timeout = 1\n"
		 "[provider tp]\nso = %s/tp.so\npeer = %s\n"
		 "[user root]\nlines = *\nadmin = yes\n", TP_DIR, peer);
	T_ASSERT(t_ctid_start(&t->d, cf) == 0, "ctid with tp.so");

	t->pfd = accept_peer(t->lfd);
	T_EXPECT(t->pfd >= 0, "the provider did not connect to its peer");
	memset(buf, 0, sizeof(buf));
	T_EXPECT(t->pfd >= 0 && !read_full(t->pfd, buf, 5, 3000) && !memcmp(buf, "hello", 5),
	      "peer got \"%s\"", buf);
}

static void hello_and_open(struct host_test *t)
{
	struct cti_wire_line l = { 0 };

	rc_session(&t->c, t->d.sock, "host-test");
	T_EXPECT(rc_list_lines(&t->c, &l, 1) == 1, "list lines");
	t->line = l.line;
	T_EXPECT(!strcmp(l.name, "t0") && !strcmp(l.provider_name, "tp"),
		 "line %s of %s", l.name, l.provider_name);
	T_EXPECT(rc_open_line(&t->c, t->line, CTI_WIRE_PRIV_OWNER) == 0, "open line");
}

/* peer -> provider -> client event; client -> provider -> peer */
static void data_both_ways(struct host_test *t)
{
	struct cti_wire_frame f;
	char buf[64];
	int ret;

	T_EXPECT(write(t->pfd, "world", 5) == 5, "peer write");
	ret = rc_wait_type(&t->c, CTI_WIRE_EV_DEV_SPECIFIC, &f, 3000);
	T_EXPECT(ret == 1 && f.u.dev_specific.data_len == 5 &&
	      !memcmp(f.u.dev_specific.data, "world", 5) && f.u.dev_specific.line == t->line,
	      "client did not get the peer's bytes (%d)", ret);
	T_EXPECT(dev_specific(t, "ping") == 0, "dev-specific command");
	memset(buf, 0, sizeof(buf));
	T_EXPECT(!read_full(t->pfd, buf, 4, 3000) && !memcmp(buf, "ping", 4), "peer got \"%s\"", buf);
}

/* a request the provider never completes times out */
static void forgotten_request(struct host_test *t)
{
	T_EXPECT(dev_specific(t, "never") == -ETIMEDOUT,
	      "a forgotten request did not time out");
}

/*
 * cti_host_api.authorize(): the host finds the request by its handle, the
 * line by its local index, and answers with authz's rule for the sender
 * (root here: owner of every line, admin).
 */
static void authorize(struct host_test *t)
{
	int64_t ret;

	ret = dev_specific(t, "authz 2 0");
	T_EXPECT(ret == 0, "CONTROL of an own line: %lld", (long long)ret);
	ret = dev_specific(t, "authz 1 0");
	T_EXPECT(ret == 0, "PICKUP on an own line: %lld", (long long)ret);
	ret = dev_specific(t, "authz 0 0");
	T_EXPECT(ret == 0, "CALL to a present line: %lld", (long long)ret);
	ret = dev_specific(t, "authz 0 7");
	T_EXPECT(ret == -ENOENT, "CALL to a line the provider lacks: %lld", (long long)ret);
	ret = dev_specific(t, "authz 2 7");
	T_EXPECT(ret == -ENOENT, "CONTROL of a line the provider lacks: %lld", (long long)ret);
	ret = dev_specific(t, "authz 3 -1");
	T_EXPECT(ret == 0, "SWITCH for an admin: %lld", (long long)ret);
	ret = dev_specific(t, "authz 3 0");
	T_EXPECT(ret == -EINVAL, "SWITCH with a line: %lld", (long long)ret);
	ret = dev_specific(t, "authz 9 0");
	T_EXPECT(ret == -EINVAL, "an unknown reach: %lld", (long long)ret);
}

/*
 * A provider admin request (LOAD, UNLOAD) and the event it causes, which
 * may come before or after the REPLY: the REPLY's error.
 */
static int provider_and_event(struct host_test *t, unsigned int type,
			      unsigned int evtype, struct cti_wire_frame *ev)
{
	int ret = rc_provider(&t->c, type, "tp");

	if (ret == 0 && rc_wait_type(&t->c, evtype, ev, 3000) != 1)
		return -ENOMSG;
	return ret;
}

/* unload: the transport closes, the line goes; load: same id, new transport */
static void unload_load(struct host_test *t)
{
	struct cti_wire_frame ev = { 0 };
	char buf[64];
	int ret;

	ret = provider_and_event(t, CTI_WIRE_PROVIDER_UNLOAD,
				 CTI_WIRE_EV_LINE_REMOVED, &ev);
	T_EXPECT(ret == 0 && ev.u.line_removed.line == t->line,
	      "unload: %d, EV_LINE_REMOVED for %u", ret, ev.u.line_removed.line);
	T_EXPECT(read_full(t->pfd, buf, 1, 3000) == -EPIPE, "peer not closed at unload");
	close(t->pfd);
	T_EXPECT(dev_specific(t, "") == -ENODEV, "command on a removed line");

	ret = provider_and_event(t, CTI_WIRE_PROVIDER_LOAD,
				 CTI_WIRE_EV_LINE_ADDED, &ev);
	T_EXPECT(ret == 0 && ev.u.line.line == t->line,
	      "load: %d; the line came back with id %u, want %u", ret,
	      ev.u.line.line, t->line);
	T_EXPECT(ev.u.line.privilege == CTI_WIRE_PRIV_OWNER,
	      "the session's privilege survived the reload (%u)", ev.u.line.privilege);
	t->pfd = accept_peer(t->lfd);
	T_EXPECT(t->pfd >= 0 && !read_full(t->pfd, buf, 5, 3000), "no reconnect after load");
	T_EXPECT(rc_provider(&t->c, CTI_WIRE_PROVIDER_LOAD, "tp") == -EEXIST, "double load");
	T_EXPECT(rc_provider(&t->c, CTI_WIRE_PROVIDER_RELOAD, "nosuch") == -ENOENT,
		 "unknown provider");
	/* the line is still open for this session after the reload */
	T_EXPECT(dev_specific(t, "hi") == 0, "command after reload");
}

/* SIGTERM: clean exit, socket removed */
static void sigterm(struct host_test *t)
{
	int status = 0;

	kill(t->d.pid, SIGTERM);
	for (int i = 0; i < 300 && waitpid(t->d.pid, &status, WNOHANG) == 0; i++)
		usleep(10000);
	T_EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "ctid exit status 0x%x", status);
	T_EXPECT(access(t->d.sock, F_OK) != 0, "socket file left behind");
	/* t_ctid_stop() would signal again: clean up after ctid by hand. */
	t->d.pid = 0;
	unlink(t->d.conf);
	unlink(t->d.log);
	rmdir(t->d.dir);
}

/* A directory of the case's own for the sockets and the configuration. */
static void make_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ctid-host.XXXXXX");
	T_ASSERT(mkdtemp(dir), "mkdtemp");
	snprintf(sock, sizeof(sock), "%s/ctid.sock", dir);
	snprintf(peer, sizeof(peer), "%s/peer.sock", dir);
	snprintf(conf, sizeof(conf), "%s/ctid.conf", dir);
}

static void remove_dir(void)
{
	unlink(peer);
	unlink(conf);
	rmdir(dir);
}

/* ctid with tp.so running, a client that opened t0 as owner. */
static void started(struct host_test *t)
{
	*t = (struct host_test){ .lfd = -1, .pfd = -1 };
	make_dir();
	start_with_peer(t);
	hello_and_open(t);
	T_ASSERT(!t_failed(), "ctid with tp.so did not start");
}

/* Every case ends as ctid ends: SIGTERM, a clean exit. */
static void finished(struct host_test *t)
{
	sigterm(t);
	if (t->pfd >= 0)
		close(t->pfd);
	rc_close(&t->c);
	close(t->lfd);
	remove_dir();
}

static void abi_refused(void)
{
	make_dir();
	bad_abi_refused();
	remove_dir();
}

#define HOST_CASE(f)				\
static void case_##f(void)			\
{						\
	struct host_test t;			\
						\
	started(&t);				\
	f(&t);					\
	finished(&t);				\
}
HOST_CASE(data_both_ways)
HOST_CASE(forgotten_request)
HOST_CASE(authorize)
HOST_CASE(unload_load)

static void start_and_stop(void)
{
	struct host_test t;

	started(&t);
	finished(&t);
}

static const struct t_case cases[] = {
	T_CASE(abi_refused),
	T_CASE(start_and_stop),
	{ "data_both_ways", case_data_both_ways, 0 },
	{ "forgotten_request", case_forgotten_request, 0 },
	{ "authorize", case_authorize, 0 },
	{ "unload_load", case_unload_load, 0 },
};

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
