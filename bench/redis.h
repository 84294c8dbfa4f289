/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * redis: the comparison point of the fan-out benchmark. The bench starts
 * Debian's redis-server itself (no persistence, loopback only) and speaks
 * the few RESP commands it needs over plain sockets: no hiredis.
 */
#ifndef CTI_BENCH_REDIS_H
#define CTI_BENCH_REDIS_H

#include <stddef.h>
#include <sys/types.h>

struct redis {
	pid_t pid;
	int port;		/* loopback TCP port */
	char dir[64];		/* temporary directory */
	char sock[96];		/* its unix socket */
};

/* Start redis-server on a free loopback port and a unix socket; 0 or -1. */
int redis_start(struct redis *r);
void redis_stop(struct redis *r);

/* Connect to it: over the unix socket if @unix_sock, else TCP. */
int redis_connect(const struct redis *r, int unix_sock);

/*
 * SUBSCRIBE @fd to @channel and read the confirmation; 0 or -1. The
 * socket is left blocking.
 */
int redis_subscribe(int fd, const char *channel);

/*
 * Encode "PUBLISH channel payload" into @buf; returns the length, or 0 if
 * it does not fit.
 */
size_t redis_publish_cmd(char *buf, size_t size, const char *channel,
			 const void *payload, size_t len);

/* Bytes of the message push a subscriber receives for one PUBLISH. */
size_t redis_message_size(const char *channel, size_t payload_len);

/* Read and discard the publisher's integer replies: @n of them. */
int redis_drain_replies(int fd, size_t n);

#endif /* CTI_BENCH_REDIS_H */
