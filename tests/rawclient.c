// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * rawclient: the wire protocol by hand (see rawclient.h).
 */
#define _GNU_SOURCE
#include "rawclient.h"
#include "harness.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int rc_connect(struct rc *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->next_id = 1;
	c->fd = t_unix_connect(path);
	return c->fd < 0 ? -errno : 0;
}

void rc_close(struct rc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->queue);
	c->queue = NULL;
	c->q_len = c->q_cap = c->q_head = 0;
}

int rc_send_raw(struct rc *c, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pfd = { c->fd, POLLOUT, 0 };

				if (poll(&pfd, 1, 5000) <= 0)
					return -ETIMEDOUT;
				continue;
			}
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int64_t rc_send(struct rc *c, struct cti_wire_frame *f)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	struct cti_wire_diag diag = { 0, NULL };
	ssize_t n;
	int rc;

	if (!f->hdr.id && f->hdr.type != CTI_WIRE_HELLO)
		f->hdr.id = c->next_id++;
	n = cti_wire_encode(f, buf, sizeof(buf), &diag);
	if (n < 0) {
		printf("#   encode %s: %s at %s\n",
		       cti_wire_type_name(f->hdr.type), strerror((int)-n),
		       diag.field ? diag.field : "?");
		return n;
	}
	rc = rc_send_raw(c, buf, (size_t)n);
	return rc < 0 ? rc : (int64_t)f->hdr.id;
}

/* Decode one frame out of c->in if a whole one is there: 1, 0 or -errno. */
static int take_frame(struct rc *c, struct cti_wire_frame *f)
{
	struct cti_wire_hdr hdr;
	struct cti_wire_diag diag = { 0, NULL };
	ssize_t len, n;

	len = cti_wire_peek(c->in, c->in_len, &hdr);
	if (len < 0)
		return (int)len;
	if (len == 0 || (size_t)len > c->in_len)
		return 0;
	n = cti_wire_decode(c->in, (size_t)len, CTI_WIRE_FROM_SERVER, f, &diag);
	memmove(c->in, c->in + len, c->in_len - (size_t)len);
	c->in_len -= (size_t)len;
	if (n < 0) {
		c->last_decode_error = (int)n;
		printf("#   ctid sent an undecodable %s frame: %s at %s\n",
		       cti_wire_type_name(hdr.type), strerror((int)-n),
		       diag.field ? diag.field : "?");
		return (int)n;
	}
	if (cti_wire_type_is_event(f->hdr.type)) {
		/* a hole without a GAP or a RESYNC before it is silent loss */
		if (c->last_seq && f->hdr.id != c->last_seq + 1)
			t_fail_at(__FILE__, __LINE__,
				  "event seq jumped from %llu to %llu",
				  (unsigned long long)c->last_seq,
				  (unsigned long long)f->hdr.id);
		c->last_seq = f->hdr.id;
	} else if (f->hdr.type == CTI_WIRE_GAP) {
		c->gaps++;
		/* The lost events are accounted for: the next is after them. */
		c->last_seq = f->u.gap.last_seq;
	} else if (f->hdr.type == CTI_WIRE_RESYNC) {
		c->resyncs++;
	} else if (f->hdr.type == CTI_WIRE_END && !f->hdr.id) {
		/* a snapshot: the events after it follow its seq */
		c->last_seq = f->u.end.seq;
	}
	return 1;
}

int rc_recv(struct rc *c, struct cti_wire_frame *f, int timeout_ms)
{
	int64_t deadline = t_now_ms() + timeout_ms;

	for (;;) {
		struct pollfd pfd = { c->fd, POLLIN, 0 };
		int rc = take_frame(c, f);
		int64_t left;
		ssize_t n;

		if (rc)
			return rc;
		left = deadline - t_now_ms();
		if (left < 0)
			left = 0;
		rc = poll(&pfd, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return rc < 0 ? -errno : 0;
		n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
		if (n == 0)
			return -EPIPE;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return errno == ECONNRESET ? -EPIPE : -errno;
		}
		c->in_len += (size_t)n;
	}
}

static void enqueue(struct rc *c, const struct cti_wire_frame *f)
{
	if (c->q_head + c->q_len == c->q_cap) {
		if (c->q_head) {
			memmove(c->queue, c->queue + c->q_head,
				c->q_len * sizeof(*f));
			c->q_head = 0;
		}
		if (c->q_len == c->q_cap) {
			size_t cap = c->q_cap ? 2 * c->q_cap : 64;
			void *q = realloc(c->queue, cap * sizeof(*f));

			if (!q) {
				printf("#   out of memory queueing events\n");
				t_abort();
			}
			c->queue = q;
			c->q_cap = cap;
		}
	}
	c->queue[c->q_head + c->q_len++] = *f;
}

int rc_wait_reply(struct rc *c, uint64_t id, struct cti_wire_frame *out,
		  int timeout_ms)
{
	int64_t deadline = t_now_ms() + timeout_ms;
	struct cti_wire_frame f;

	for (;;) {
		int64_t left = deadline - t_now_ms();
		int rc = rc_recv(c, &f, left > 0 ? (int)left : 0);

		if (rc <= 0)
			return rc ? rc : -ETIMEDOUT;
		if ((f.hdr.type == CTI_WIRE_REPLY ||
		     f.hdr.type == CTI_WIRE_ERROR) && f.hdr.id == id) {
			if (out)
				*out = f;
			return f.hdr.type == CTI_WIRE_REPLY ? f.u.reply.error :
							      f.u.error.error;
		}
		enqueue(c, &f);
	}
}

int rc_next_event(struct rc *c, struct cti_wire_frame *f, int timeout_ms)
{
	if (c->q_len) {
		*f = c->queue[c->q_head++];
		c->q_len--;
		if (!c->q_len)
			c->q_head = 0;
		return 1;
	}
	return rc_recv(c, f, timeout_ms);
}

int rc_wait_type(struct rc *c, unsigned int type, struct cti_wire_frame *f,
		 int timeout_ms)
{
	int64_t deadline = t_now_ms() + timeout_ms;

	for (;;) {
		int64_t left = deadline - t_now_ms();
		int rc = rc_next_event(c, f, left > 0 ? (int)left : 0);

		if (rc <= 0)
			return rc;
		if (f->hdr.type == type)
			return 1;
	}
}

int rc_drain(struct rc *c, int ms)
{
	struct cti_wire_frame f;
	int n = 0;

	while (rc_next_event(c, &f, ms) > 0)
		n++;
	return n;
}

int rc_hello(struct rc *c, const char *name, uint64_t session, uint64_t seq)
{
	struct cti_wire_frame f;
	int rc;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_HELLO;
	f.u.hello.version = CTI_WIRE_VERSION;
	f.u.hello.features = c->hello_features ? c->hello_features :
			     CTI_WIRE_FEAT_ALL;
	f.u.hello.resume_session = session;
	f.u.hello.resume_seq = seq;
	snprintf(f.u.hello.client_name, sizeof(f.u.hello.client_name), "%s",
		 name ? name : "rawclient");
	rc = (int)rc_send(c, &f);
	if (rc < 0)
		return rc;
	for (;;) {
		/*
		 * A ctid that has just started (a sanitized one, on a loaded
		 * machine) may take seconds before its loop runs: it listens
		 * before its providers are up.
		 */
		rc = rc_recv(c, &f, 15000);
		if (rc <= 0)
			return rc ? rc : -ETIMEDOUT;
		if (f.hdr.type == CTI_WIRE_HELLO_ACK) {
			c->ack = f.u.hello_ack;
			/* a resumed session goes on from @seq, others anew */
			c->last_seq = f.u.hello_ack.resume == CTI_WIRE_RESUME_OK ?
				      seq : f.u.hello_ack.seq;
			return 0;
		}
		if (f.hdr.type == CTI_WIRE_ERROR)
			return f.u.error.error;
		enqueue(c, &f);
	}
}

int64_t rc_command(struct rc *c, unsigned int cmd, uint32_t line,
		   uint32_t call, uint32_t call2, uint32_t arg, uint32_t arg2,
		   const char *data)
{
	struct cti_wire_frame f;
	struct cti_wire_command *k = &f.u.command;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_COMMAND;
	k->cmd = (uint16_t)cmd;
	k->line = line;
	k->call = call;
	k->call2 = call2;
	k->arg = arg;
	k->arg2 = arg2;
	if (data) {
		k->data_len = (uint32_t)strlen(data);
		memcpy(k->data, data, k->data_len);
	}
	return rc_send(c, &f);
}

int rc_command_sync(struct rc *c, unsigned int cmd, uint32_t line,
		    uint32_t call, uint32_t call2, uint32_t arg, uint32_t arg2,
		    const char *data, uint32_t *call_out)
{
	struct cti_wire_frame f;
	int64_t id;
	int rc;

	id = rc_command(c, cmd, line, call, call2, arg, arg2, data);
	if (id < 0)
		return (int)id;
	rc = rc_wait_reply(c, (uint64_t)id, &f, 5000);
	if (call_out)
		*call_out = rc == 0 && f.hdr.type == CTI_WIRE_REPLY ?
			    f.u.reply.call : CTI_CALL_NONE;
	return rc;
}

int rc_open_line(struct rc *c, uint32_t line, uint32_t privilege)
{
	struct cti_wire_frame f;
	int64_t id;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_OPEN_LINE;
	f.u.open_line.line = line;
	f.u.open_line.privilege = privilege;
	id = rc_send(c, &f);
	if (id < 0)
		return (int)id;
	return rc_wait_reply(c, (uint64_t)id, NULL, 5000);
}

uint32_t rc_line_of_number(struct rc *c, const char *num)
{
	struct cti_wire_line lines[32];
	int n = rc_list_lines(c, lines, 32);

	for (int i = 0; i < n && i < 32; i++)
		if (!strcmp(lines[i].addresses[0], num))
			return lines[i].line;
	return CTI_LINE_NONE;
}

int rc_close_line(struct rc *c, uint32_t line)
{
	struct cti_wire_frame f;
	int64_t id;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_CLOSE_LINE;
	f.u.close_line.line = line;
	id = rc_send(c, &f);
	if (id < 0)
		return (int)id;
	return rc_wait_reply(c, (uint64_t)id, NULL, 5000);
}

int64_t rc_simple(struct rc *c, unsigned int type)
{
	struct cti_wire_frame f;

	memset(&f, 0, sizeof(f));
	f.hdr.type = (uint16_t)type;
	return rc_send(c, &f);
}

int rc_list_lines(struct rc *c, struct cti_wire_line *lines, size_t max)
{
	struct cti_wire_frame f;
	size_t n = 0;
	int64_t id;
	int rc;

	id = rc_simple(c, CTI_WIRE_LIST_LINES);
	if (id < 0)
		return (int)id;
	for (;;) {
		rc = rc_recv(c, &f, 5000);
		if (rc <= 0)
			return rc ? rc : -ETIMEDOUT;
		if (f.hdr.id == (uint64_t)id && f.hdr.type == CTI_WIRE_LINE) {
			if (n < max)
				lines[n] = f.u.line;
			n++;
		} else if (f.hdr.id == (uint64_t)id &&
			   f.hdr.type == CTI_WIRE_END) {
			if (f.u.end.count != n)
				printf("#   END says %u lines, %zu came\n",
				       f.u.end.count, n);
			/* the list's REPLY follows its END */
			rc = rc_wait_reply(c, (uint64_t)id, NULL, 5000);
			return rc < 0 ? rc : (int)f.u.end.count;
		} else if (f.hdr.id == (uint64_t)id &&
			   f.hdr.type == CTI_WIRE_REPLY) {
			if (f.u.reply.error)
				return f.u.reply.error;
		} else if (f.hdr.id == (uint64_t)id &&
			   f.hdr.type == CTI_WIRE_ERROR) {
			return f.u.error.error;
		} else {
			enqueue(c, &f);
		}
	}
}

int rc_provider(struct rc *c, unsigned int type, const char *name)
{
	struct cti_wire_frame f;
	int64_t id;

	memset(&f, 0, sizeof(f));
	f.hdr.type = (uint16_t)type;
	snprintf(f.u.provider_req.name, sizeof(f.u.provider_req.name), "%s",
		 name);
	id = rc_send(c, &f);
	if (id < 0)
		return (int)id;
	return rc_wait_reply(c, (uint64_t)id, NULL, 10000);
}

void rc_session(struct rc *c, const char *sock, const char *name)
{
	int rc = rc_connect(c, sock);

	T_ASSERT(rc == 0, "connect: %s", strerror(-rc));
	rc = rc_hello(c, name, 0, 0);
	T_ASSERT(rc == 0, "hello: %s", strerror(-rc));
}

void rc_root_lines(const char *sock, struct cti_wire_line *lines, size_t n)
{
	struct rc c;
	int got;

	rc_session(&c, sock, "root");
	got = rc_list_lines(&c, lines, n);
	T_ASSERT(got == (int)n, "root sees %d lines, want %zu", got, n);
	rc_close(&c);
}
