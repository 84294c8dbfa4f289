// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * echo.c - the echo bound of bench_rtt: server and clients
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "echo.h"
#include "harness.h"
#include "wire.h"

#define BUF	(64u * 1024)

struct echo_conn {
	int fd;
	size_t len;
	uint8_t buf[BUF];
};

ssize_t echo_whole_frames(const uint8_t *buf, size_t len, size_t *count)
{
	size_t off = 0;

	*count = 0;
	for (;;) {
		struct cti_wire_hdr h;
		ssize_t n = cti_wire_peek(buf + off, len - off, &h);

		if (n < 0)
			return -1;
		if (n == 0 || (size_t)n > len - off)
			return (ssize_t)off;
		off += (size_t)n;
		(*count)++;
	}
}

/* Read what came and write the whole frames back; false: close it. */
static bool echo_once(struct echo_conn *c)
{
	ssize_t n = recv(c->fd, c->buf + c->len, BUF - c->len, 0), w;
	size_t k;

	if (n <= 0)
		return n < 0 && errno == EAGAIN;
	c->len += (size_t)n;
	w = echo_whole_frames(c->buf, c->len, &k);
	if (w < 0)
		return false;
	/* the client keeps few frames in flight: the socket takes them */
	if (w && send(c->fd, c->buf, (size_t)w, MSG_NOSIGNAL) != w)
		return false;
	memmove(c->buf, c->buf + w, c->len - (size_t)w);
	c->len -= (size_t)w;
	return true;
}

static void accept_one(int ep, int lfd)
{
	struct echo_conn *c = malloc(sizeof(*c));
	struct epoll_event ev = { .events = EPOLLIN };

	if (!c)
		_exit(1);
	c->fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	c->len = 0;
	ev.data.ptr = c;
	if (c->fd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
		if (c->fd >= 0)
			close(c->fd);
		free(c);
	}
}

static void serve(int lfd)
{
	struct epoll_event evs[256], ev = { .events = EPOLLIN };
	int ep = epoll_create1(0), i, n;

	ev.data.ptr = NULL;
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0)
		_exit(1);
	for (;;) {
		n = epoll_wait(ep, evs, 256, -1);
		for (i = 0; i < n; i++) {
			struct echo_conn *c = evs[i].data.ptr;

			if (!c) {
				accept_one(ep, lfd);
			} else if (!echo_once(c)) {
				close(c->fd);
				free(c);
			}
		}
	}
}

int echo_spawn(struct echo_server *e, const char *dir, const char *name,
	       void (*serve_fn)(int lfd))
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd;

	snprintf(e->path, sizeof(e->path), "%s/%s", dir, name);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", e->path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	unlink(e->path);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(lfd, 4096) < 0) {
		fprintf(stderr, "echo: %s: %s\n", e->path, strerror(errno));
		if (lfd >= 0)
			close(lfd);
		return -1;
	}
	e->pid = fork();
	if (e->pid < 0) {
		fprintf(stderr, "echo: fork: %s\n", strerror(errno));
		close(lfd);
		return -1;
	}
	if (e->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		serve_fn(lfd);
		_exit(1);
	}
	close(lfd);
	return 0;
}

int echo_start(struct echo_server *e, const char *dir)
{
	return echo_spawn(e, dir, "echo.sock", serve);
}

void echo_stop(struct echo_server *e)
{
	if (e->pid > 0) {
		kill(e->pid, SIGKILL);
		waitpid(e->pid, NULL, 0);
	}
	unlink(e->path);
	e->pid = 0;
}

struct echo_client {
	int fd;
	size_t len;
	uint8_t in[BUF];
};

struct echo_clients {
	size_t n;
	uint8_t ping[CTI_WIRE_HDR_SIZE];
	ssize_t ping_len;
	struct echo_client c[];
};

struct echo_clients *echo_clients_open(const char *path, size_t n,
				       int (*greet)(int fd))
{
	struct echo_clients *cs = calloc(1, sizeof(*cs) + n * sizeof(cs->c[0]));
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_PING, .hdr.id = 1 };
	size_t i;

	if (!cs)
		exit(1);
	cs->n = n;
	cs->ping_len = cti_wire_encode(&f, cs->ping, sizeof(cs->ping), NULL);
	if (cs->ping_len <= 0) {
		fprintf(stderr, "echo: encode PING: %zd\n", cs->ping_len);
		exit(1);
	}
	for (i = 0; i < n; i++) {
		cs->c[i].fd = t_unix_connect(path);
		if (cs->c[i].fd < 0) {
			fprintf(stderr, "echo: connect: %s\n", strerror(errno));
			exit(1);
		}
		if (greet && greet(cs->c[i].fd)) {
			fprintf(stderr, "echo: %s did not greet\n", path);
			exit(1);
		}
	}
	return cs;
}

void echo_clients_close(struct echo_clients *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		close(cs->c[i].fd);
	free(cs);
}

static int echo_fd(void *ctx, size_t i)
{
	return ((struct echo_clients *)ctx)->c[i].fd;
}

static void echo_send(void *ctx, size_t i)
{
	struct echo_clients *cs = ctx;

	if (send(cs->c[i].fd, cs->ping, (size_t)cs->ping_len,
		 MSG_NOSIGNAL | MSG_DONTWAIT) != cs->ping_len) {
		fprintf(stderr, "echo: send: %s\n", strerror(errno));
		exit(1);
	}
}

/* One recv, as libcti does after a wakeup; counts the whole frames. */
static size_t echo_drain(void *ctx, size_t i)
{
	struct echo_client *c = &((struct echo_clients *)ctx)->c[i];
	ssize_t n = recv(c->fd, c->in + c->len, BUF - c->len, MSG_DONTWAIT), w;
	size_t k;

	if (n <= 0) {
		if (n < 0 && errno == EAGAIN)
			return 0;
		fprintf(stderr, "echo: recv: %s\n", n ? strerror(errno) : "EOF");
		exit(1);
	}
	c->len += (size_t)n;
	w = echo_whole_frames(c->in, c->len, &k);
	if (w < 0) {
		fprintf(stderr, "echo: a bad frame came back\n");
		exit(1);
	}
	memmove(c->in, c->in + w, c->len - (size_t)w);
	c->len -= (size_t)w;
	return k;
}

const struct rtt_ops echo_ops = {
	.fd = echo_fd,
	.send = echo_send,
	.drain = echo_drain,
};
