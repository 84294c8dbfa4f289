// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memevents.c - clients that receive events, for bench_mem
 *
 * The clients are bare sockets (no client-side state to speak of), so
 * what grows is ctid's: each session's monitor entry, its queue while
 * the events wait, its replay cursor and its send buffer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "memevents.h"
#include "rawclient.h"

/* Read frames from @fd until @want of @type came (and a REPLY if 0). */
static int read_frames(int fd, unsigned int type, unsigned int want)
{
	static uint8_t buf[1 << 16];
	size_t got = 0, seen = 0;

	while (seen < want) {
		struct pollfd p = { fd, POLLIN, 0 };
		struct cti_wire_hdr h;
		ssize_t n, len;
		size_t off = 0;

		if (poll(&p, 1, 10000) != 1)
			return -ETIMEDOUT;
		n = read(fd, buf + got, sizeof(buf) - got);
		if (n <= 0)
			return -EPIPE;
		got += (size_t)n;
		while ((len = cti_wire_peek(buf + off, got - off, &h)) > 0 &&
		       (size_t)len <= got - off) {
			seen += h.type == type;
			off += (size_t)len;
		}
		if (len < 0)
			return (int)len;
		memmove(buf, buf + off, got - off);
		got -= off;
	}
	return 0;
}

static int monitor(int fd, uint32_t line)
{
	struct cti_wire_frame f;
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	ssize_t n;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_OPEN_LINE;
	f.hdr.id = 1;
	f.u.open_line.line = line;
	f.u.open_line.privilege = CTI_WIRE_PRIV_MONITOR;
	n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
	if (n < 0 || write(fd, buf, (size_t)n) != n)
		return -EPIPE;
	return read_frames(fd, CTI_WIRE_REPLY, 1);
}

static int toggle(struct rc *pub, uint32_t line, unsigned int on)
{
	struct cti_wire_frame f;
	int64_t id;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_COMMAND;
	f.u.command.cmd = CTI_CMD_SET_DND;
	f.u.command.line = line;
	f.u.command.arg = on;
	id = rc_send(pub, &f);
	return id < 0 ? (int)id : rc_wait_reply(pub, (uint64_t)id, NULL, 10000);
}

int mem_events(const char *sock, const int *fds, int n, unsigned int events,
	       void (*queued)(void *arg), void *arg)
{
	static struct rc pub;
	struct cti_wire_line l;
	unsigned int k;
	int i, err = 0;

	if (rc_connect(&pub, sock) || rc_hello(&pub, "pub", 0, 0) ||
	    rc_list_lines(&pub, &l, 1) < 1 ||
	    rc_open_line(&pub, l.line, CTI_WIRE_PRIV_OWNER)) {
		printf("# events: the publisher could not own a line\n");
		return -1;
	}
	for (i = 0; i < n && !err; i++)
		err = monitor(fds[i], l.line);
	for (k = 0; k < events && !err; k++)
		err = toggle(&pub, l.line, (k + 1) & 1);
	if (!err)
		queued(arg);
	for (i = 0; i < n && !err; i++)
		err = read_frames(fds[i], CTI_WIRE_EV_LINE_STATUS, events);
	rc_close(&pub);
	if (err)
		printf("# events: %s\n", strerror(-err));
	return err ? -1 : 0;
}
