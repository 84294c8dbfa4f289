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

#include "wire.h"
#include "harness.h"

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

static int wsend(int fd, struct cti_wire_frame *f)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	ssize_t n = cti_wire_encode(f, buf, sizeof(buf), NULL);

	if (n < 0)
		return (int)n;
	return write(fd, buf, n) == n ? 0 : -EIO;
}

static int wrecv(int fd, struct cti_wire_frame *f, int ms)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	struct cti_wire_hdr h;
	ssize_t len;
	int ret;

	ret = read_full(fd, buf, CTI_WIRE_HDR_SIZE, ms);
	if (ret)
		return ret;
	len = cti_wire_peek(buf, CTI_WIRE_HDR_SIZE, &h);
	if (len < CTI_WIRE_HDR_SIZE)
		return -EBADMSG;
	ret = read_full(fd, buf + CTI_WIRE_HDR_SIZE, len - CTI_WIRE_HDR_SIZE, ms);
	if (ret)
		return ret;
	return cti_wire_decode(buf, len, CTI_WIRE_FROM_SERVER, f, NULL) == len ?
	       0 : -EBADMSG;
}

/* Waits for a frame of @type (and @id, unless 0), skipping others. */
static int wait_type(int fd, unsigned int type, uint64_t id,
		     struct cti_wire_frame *f)
{
	for (int i = 0; i < 200; i++) {
		if (wrecv(fd, f, 3000))
			return -ETIMEDOUT;
		if (f->hdr.type == type && (!id || f->hdr.id == id))
			return 0;
	}
	return -ENOMSG;
}

static int unix_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	for (int i = 0; i < 300; i++) {
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		usleep(10000);
	}
	close(fd);
	return -1;
}

static int accept_peer(int lfd)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	if (poll(&p, 1, 3000) <= 0)
		return -1;
	return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

static int64_t request(int fd, uint16_t type, uint64_t id,
		       struct cti_wire_frame *f)
{
	f->hdr.type = type;
	f->hdr.id = id;
	if (wsend(fd, f))
		return -EIO;
	if (wait_type(fd, CTI_WIRE_REPLY, id, f))
		return -ETIMEDOUT;
	return f->u.reply.error;
}

/*
 * Sends a request and reads until both its REPLY and an event of @evtype
 * came, in either order (events a request causes may precede its REPLY).
 */
static int64_t request_and_event(int fd, uint16_t type, uint64_t id,
				 struct cti_wire_frame *f, unsigned int evtype,
				 struct cti_wire_frame *ev)
{
	bool got_reply = false, got_ev = false;
	int64_t err = -ETIMEDOUT;

	f->hdr.type = type;
	f->hdr.id = id;
	if (wsend(fd, f))
		return -EIO;
	for (int i = 0; i < 200 && !(got_reply && got_ev); i++) {
		struct cti_wire_frame r;

		if (wrecv(fd, &r, 3000))
			break;
		if (r.hdr.type == CTI_WIRE_REPLY && r.hdr.id == id) {
			got_reply = true;
			err = r.u.reply.error;
		} else if (r.hdr.type == evtype && !got_ev) {
			got_ev = true;
			*ev = r;
		}
	}
	return got_ev ? err : -ENOMSG;
}

static pid_t start_ctid(const char *cfg)
{
	const char *path = t_ctid_path();
	pid_t pid;

	pid = fork();
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2);
		execl(path, "ctid", "-c", cfg, "--foreground", (char *)NULL);
		_exit(127);
	}
	return pid;
}

struct host_test {
	int lfd;		/* where the provider's transport connects */
	int pfd;		/* the provider's transport, peer side */
	int cfd;		/* a client of ctid */
	uint32_t line;		/* t0's id */
	pid_t pid;
};

/* A DEV_SPECIFIC command with @data on t0; the REPLY's error. */
static int64_t dev_specific(struct host_test *t, uint64_t id, const char *data)
{
	struct cti_wire_frame f;

	memset(&f, 0, sizeof(f));
	f.u.command.cmd = CTI_CMD_DEV_SPECIFIC;
	f.u.command.line = t->line;
	f.u.command.data_len = (uint32_t)strlen(data);
	memcpy(f.u.command.data, data, strlen(data));
	return request(t->cfd, CTI_WIRE_COMMAND, id, &f);
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
	char buf[64];
	FILE *cf;

	t->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", peer);
	T_EXPECT(!bind(t->lfd, (struct sockaddr *)&sa, sizeof(sa)) && !listen(t->lfd, 4),
	      "peer listen");
	cf = fopen(conf, "w");
	fprintf(cf, "[server]\nsocket = %s\nrequest_timeout = 1\n[provider tp]\nso = %s/tp.so\npeer = %s\n"
		"[user root]\nlines = *\nadmin = yes\n", sock, TP_DIR, peer);
	fclose(cf);
	t->pid = start_ctid(conf);

	t->pfd = accept_peer(t->lfd);
	T_EXPECT(t->pfd >= 0, "the provider did not connect to its peer");
	memset(buf, 0, sizeof(buf));
	T_EXPECT(t->pfd >= 0 && !read_full(t->pfd, buf, 5, 3000) && !memcmp(buf, "hello", 5),
	      "peer got \"%s\"", buf);
}

static void hello_and_open(struct host_test *t)
{
	struct cti_wire_frame f;

	t->cfd = unix_connect(sock);
	T_EXPECT(t->cfd >= 0, "connect to ctid");
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_HELLO;
	f.u.hello.version = 1;
	f.u.hello.features = CTI_WIRE_FEAT_ALL;
	strcpy(f.u.hello.client_name, "host-test");
	T_EXPECT(!wsend(t->cfd, &f) && !wait_type(t->cfd, CTI_WIRE_HELLO_ACK, 0, &f), "hello");
	memset(&f, 0, sizeof(f));
	T_EXPECT(wsend(t->cfd, &(struct cti_wire_frame){ .hdr = { .type = CTI_WIRE_LIST_LINES, .id = 1 } }) == 0 &&
	      !wait_type(t->cfd, CTI_WIRE_LINE, 1, &f), "list lines");
	t->line = f.u.line.line;
	T_EXPECT(!strcmp(f.u.line.name, "t0") && !strcmp(f.u.line.provider_name, "tp"),
	      "line %s of %s", f.u.line.name, f.u.line.provider_name);
	memset(&f, 0, sizeof(f));
	f.u.open_line.line = t->line;
	f.u.open_line.privilege = CTI_WIRE_PRIV_OWNER;
	T_EXPECT(request(t->cfd, CTI_WIRE_OPEN_LINE, 2, &f) == 0, "open line");
}

/* peer -> provider -> client event; client -> provider -> peer */
static void data_both_ways(struct host_test *t)
{
	struct cti_wire_frame f;
	char buf[64];
	int ret;

	T_EXPECT(write(t->pfd, "world", 5) == 5, "peer write");
	ret = wait_type(t->cfd, CTI_WIRE_EV_DEV_SPECIFIC, 0, &f);
	T_EXPECT(!ret && f.u.dev_specific.data_len == 5 &&
	      !memcmp(f.u.dev_specific.data, "world", 5) && f.u.dev_specific.line == t->line,
	      "client did not get the peer's bytes (%d)", ret);
	T_EXPECT(dev_specific(t, 3, "ping") == 0, "dev-specific command");
	memset(buf, 0, sizeof(buf));
	T_EXPECT(!read_full(t->pfd, buf, 4, 3000) && !memcmp(buf, "ping", 4), "peer got \"%s\"", buf);
}

/* a request the provider never completes times out */
static void forgotten_request(struct host_test *t)
{
	T_EXPECT(dev_specific(t, 10, "never") == -ETIMEDOUT,
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

	ret = dev_specific(t, 20, "authz 2 0");
	T_EXPECT(ret == 0, "CONTROL of an own line: %lld", (long long)ret);
	ret = dev_specific(t, 21, "authz 1 0");
	T_EXPECT(ret == 0, "PICKUP on an own line: %lld", (long long)ret);
	ret = dev_specific(t, 22, "authz 0 0");
	T_EXPECT(ret == 0, "CALL to a present line: %lld", (long long)ret);
	ret = dev_specific(t, 23, "authz 0 7");
	T_EXPECT(ret == -ENOENT, "CALL to a line the provider lacks: %lld", (long long)ret);
	ret = dev_specific(t, 24, "authz 2 7");
	T_EXPECT(ret == -ENOENT, "CONTROL of a line the provider lacks: %lld", (long long)ret);
	ret = dev_specific(t, 25, "authz 3 -1");
	T_EXPECT(ret == 0, "SWITCH for an admin: %lld", (long long)ret);
	ret = dev_specific(t, 26, "authz 3 0");
	T_EXPECT(ret == -EINVAL, "SWITCH with a line: %lld", (long long)ret);
	ret = dev_specific(t, 27, "authz 9 0");
	T_EXPECT(ret == -EINVAL, "an unknown reach: %lld", (long long)ret);
}

/* unload: the transport closes, the line goes; load: same id, new transport */
static void unload_load(struct host_test *t)
{
	struct cti_wire_frame f, ev = { 0 };
	char buf[64];
	int ret;

	memset(&f, 0, sizeof(f));
	strcpy(f.u.provider_req.name, "tp");
	ret = (int)request_and_event(t->cfd, CTI_WIRE_PROVIDER_UNLOAD, 4, &f,
				     CTI_WIRE_EV_LINE_REMOVED, &ev);
	T_EXPECT(ret == 0 && ev.u.line_removed.line == t->line,
	      "unload: %d, EV_LINE_REMOVED for %u", ret, ev.u.line_removed.line);
	T_EXPECT(read_full(t->pfd, buf, 1, 3000) == -EPIPE, "peer not closed at unload");
	close(t->pfd);
	T_EXPECT(dev_specific(t, 5, "") == -ENODEV, "command on a removed line");

	memset(&f, 0, sizeof(f));
	strcpy(f.u.provider_req.name, "tp");
	ret = (int)request_and_event(t->cfd, CTI_WIRE_PROVIDER_LOAD, 6, &f,
				     CTI_WIRE_EV_LINE_ADDED, &ev);
	T_EXPECT(ret == 0 && ev.u.line.line == t->line,
	      "load: %d; the line came back with id %u, want %u", ret,
	      ev.u.line.line, t->line);
	T_EXPECT(ev.u.line.privilege == CTI_WIRE_PRIV_OWNER,
	      "the session's privilege survived the reload (%u)", ev.u.line.privilege);
	t->pfd = accept_peer(t->lfd);
	T_EXPECT(t->pfd >= 0 && !read_full(t->pfd, buf, 5, 3000), "no reconnect after load");
	memset(&f, 0, sizeof(f));
	strcpy(f.u.provider_req.name, "tp");
	T_EXPECT(request(t->cfd, CTI_WIRE_PROVIDER_LOAD, 7, &f) == -EEXIST, "double load");
	strcpy(f.u.provider_req.name, "nosuch");
	T_EXPECT(request(t->cfd, CTI_WIRE_PROVIDER_RELOAD, 8, &f) == -ENOENT, "unknown provider");
	/* the line is still open for this session after the reload */
	T_EXPECT(dev_specific(t, 9, "hi") == 0, "command after reload");
}

/* SIGTERM: clean exit, socket removed */
static void sigterm(struct host_test *t)
{
	int status = 0;

	kill(t->pid, SIGTERM);
	for (int i = 0; i < 300 && waitpid(t->pid, &status, WNOHANG) == 0; i++)
		usleep(10000);
	T_EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "ctid exit status 0x%x", status);
	T_EXPECT(access(sock, F_OK) != 0, "socket file left behind");
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
	*t = (struct host_test){ .lfd = -1, .pfd = -1, .cfd = -1 };
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
	close(t->cfd);
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
