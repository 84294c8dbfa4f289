/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * echo.h - the bound of bench_rtt: a minimal server with ctid's framing
 *
 * A process of its own (so that its CPU time is measured like ctid's)
 * with one epoll loop that reads whole frames (cti_wire_peek() lengths)
 * and writes each one straight back, and clients that send a PING frame
 * and count the frames that come back, without decoding. Whatever ctid
 * and libcti do beyond this is their cost; this is what any program here
 * pays for a unix-socket round trip.
 */
#ifndef BENCH_ECHO_H
#define BENCH_ECHO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rtt.h"

struct echo_server {
	pid_t pid;
	char path[108];
};

/* Fork the server on a socket in @dir; 0, or -1 after printing why. */
int echo_start(struct echo_server *e, const char *dir);
/*
 * The same server on io_uring as ctid drives it (echo_uring.c): not a
 * bound of the goals, the floor of ctid's mechanism beside the bound.
 */
int echo_start_uring(struct echo_server *e, const char *dir);
void echo_stop(struct echo_server *e);

/* For the servers: listen on @dir/@name, fork, run @serve_fn in the
 * child (it does not return); 0, or -1 after printing why. */
int echo_spawn(struct echo_server *e, const char *dir, const char *name,
	       void (*serve_fn)(int lfd));
/* Bytes of whole frames at the start of @buf, their number in @count;
 * -1 for a bad header. */
ssize_t echo_whole_frames(const uint8_t *buf, size_t len, size_t *count);

struct echo_clients;
/*
 * Connect @n clients to the server at @path, each greeted by @greet (if
 * set: 0 or a negative errno) before it sends; exits on failure. With a
 * greeting that does ctid's HELLO, the same clients drive ctid.
 */
struct echo_clients *echo_clients_open(const char *path, size_t n,
				       int (*greet)(int fd));
void echo_clients_close(struct echo_clients *c);

extern const struct rtt_ops echo_ops;

#endif /* BENCH_ECHO_H */
