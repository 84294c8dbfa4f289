// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * redis: start redis-server and speak RESP to it (see redis.h).
 */
#define _GNU_SOURCE
#include "redis.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A port the kernel says is free now: bind to 0, read it back, close. */
static int free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd, port = -1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

int redis_start(struct redis *r)
{
	char port[16];
	int i, fd;

	memset(r, 0, sizeof(*r));
	snprintf(r->dir, sizeof(r->dir), "/tmp/cti-bench-redis.XXXXXX");
	if (!mkdtemp(r->dir))
		return -1;
	snprintf(r->sock, sizeof(r->sock), "%s/redis.sock", r->dir);
	r->port = free_port();
	if (r->port < 0)
		return -1;
	snprintf(port, sizeof(port), "%d", r->port);
	fflush(stdout);
	r->pid = fork();
	if (r->pid < 0)
		return -1;
	if (r->pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		/*
		 * No persistence; and no output-buffer limit for pub/sub
		 * clients, because ctid's subscribers are not cut off either:
		 * the publisher paces itself so that no queue grows.
		 */
		execlp("redis-server", "redis-server", "--port", port,
		       "--bind", "127.0.0.1", "--unixsocket", r->sock,
		       "--unixsocketperm", "700", "--save", "",
		       "--appendonly", "no", "--dir", r->dir,
		       "--maxclients", "20000",
		       "--client-output-buffer-limit", "pubsub 0 0 0",
		       (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500; i++) {
		fd = redis_connect(r, 1);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		sleep_ms(10);
	}
	redis_stop(r);
	return -1;
}

void redis_stop(struct redis *r)
{
	char path[160];

	if (r->pid > 0) {
		kill(r->pid, SIGTERM);
		waitpid(r->pid, NULL, 0);
		r->pid = 0;
	}
	unlink(r->sock);
	snprintf(path, sizeof(path), "%s/dump.rdb", r->dir);
	unlink(path);
	rmdir(r->dir);
}

int redis_connect(const struct redis *r, int unix_sock)
{
	int fd, one = 1;

	if (unix_sock) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", r->sock);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
	} else {
		struct sockaddr_in sa = { .sin_family = AF_INET };

		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sa.sin_port = htons(r->port);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
	}
	close(fd);
	return -1;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int redis_subscribe(int fd, const char *channel)
{
	char cmd[256], reply[256];
	size_t want, got = 0;
	int len;

	len = snprintf(cmd, sizeof(cmd), "*2\r\n$9\r\nSUBSCRIBE\r\n$%zu\r\n%s\r\n",
		       strlen(channel), channel);
	if (len < 0 || (size_t)len >= sizeof(cmd) || write_all(fd, cmd, (size_t)len))
		return -1;
	/* *3 $9 subscribe $n channel :1 -- its exact length is known. */
	want = (size_t)snprintf(reply, sizeof(reply),
				"*3\r\n$9\r\nsubscribe\r\n$%zu\r\n%s\r\n:",
				strlen(channel), channel);
	while (got < want + 3) {
		ssize_t n = read(fd, reply + got, sizeof(reply) - got);

		if (n <= 0)
			return -1;
		got += (size_t)n;
		if (got >= want && memchr(reply + want, '\n', got - want))
			break;
	}
	return 0;
}

static size_t digits(size_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

size_t redis_publish_cmd(char *buf, size_t size, const char *channel,
			 const void *payload, size_t len)
{
	int hdr;

	hdr = snprintf(buf, size, "*3\r\n$7\r\nPUBLISH\r\n$%zu\r\n%s\r\n$%zu\r\n",
		       strlen(channel), channel, len);
	if (hdr < 0 || (size_t)hdr + len + 2 > size)
		return 0;
	memcpy(buf + hdr, payload, len);
	memcpy(buf + hdr + len, "\r\n", 2);
	return (size_t)hdr + len + 2;
}

size_t redis_message_size(const char *channel, size_t payload_len)
{
	size_t clen = strlen(channel);

	/* *3\r\n $7\r\nmessage\r\n $c\r\n<ch>\r\n $p\r\n<payload>\r\n */
	return 4 + 13 + (1 + digits(clen) + 2 + clen + 2) +
	       (1 + digits(payload_len) + 2 + payload_len + 2);
}

int redis_drain_replies(int fd, size_t n)
{
	char buf[65536];

	/* Each reply is ":<count>\r\n": count the newlines. */
	while (n) {
		ssize_t r = read(fd, buf, sizeof(buf));
		ssize_t i;

		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		for (i = 0; i < r; i++)
			if (buf[i] == '\n' && n)
				n--;
	}
	return 0;
}
