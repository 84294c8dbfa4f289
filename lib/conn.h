/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conn.h - the transport under a session: one unix socket, framed
 *
 * The lowest layer of libcti above the codec. It knows sockets, buffers and
 * frames, nothing of sessions: what it receives goes up through the
 * struct cti_conn_ops the protocol layer registers, and it never calls up
 * while the layer above is sending. A send that fails is remembered and
 * reported by the next cti_conn_pump(), so a request in the middle of being
 * sent never sees the connection (and its own pending entry) torn down
 * under it.
 */
#ifndef CTI_CONN_H
#define CTI_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cti_wire_frame;
struct cti_tls;

/**
 * struct cti_conn_ops - what a connection reports to the layer above
 * @frame: a complete, decoded frame arrived; a negative return stops the
 *	pump and is returned by cti_conn_pump() (a local failure such as
 *	ENOMEM, not a protocol error). The callee may close the connection.
 * @down: the connection broke (EOF, a socket error, a frame the codec
 *	rejects, a failed send); the socket is already closed.
 */
struct cti_conn_ops {
	int (*frame)(void *data, const struct cti_wire_frame *f);
	void (*down)(void *data, int error);
};

struct cti_conn {
	int sock;			/* -1 while closed */
	int epfd;			/* the session's epoll set, not ours */
	bool want_out;			/* EPOLLOUT registered on sock */
	bool rx_drained;		/* the last recv() was short */
	int send_error;			/* a failed send, not yet reported */
	struct cti_tls *tls;		/* tls:// only (tls.c); NULL for unix */

	uint8_t *in;
	size_t in_len;
	uint8_t *out;
	size_t out_len;
	size_t out_cap;

	const struct cti_conn_ops *ops;
	void *data;
};

int cti_conn_init(struct cti_conn *c, int epfd,
		  const struct cti_conn_ops *ops, void *data);
void cti_conn_fini(struct cti_conn *c);
int cti_conn_connect(struct cti_conn *c, const char *path);
void cti_conn_close(struct cti_conn *c);
int cti_conn_send(struct cti_conn *c, const struct cti_wire_frame *f);
int cti_conn_pump(struct cti_conn *c);

static inline bool cti_conn_is_open(const struct cti_conn *c)
{
	return c->sock >= 0;
}

static inline bool cti_conn_has_output(const struct cti_conn *c)
{
	return c->sock >= 0 && c->out_len > 0;
}

/*
 * Whether a pump now would only hear EAGAIN: the last read drained the
 * socket, nothing waits to be sent and no failure waits to be reported.
 * Clears the mark, so that of two pumps in a row without a poll between
 * them the second reads again: what came meanwhile is never left behind
 * for longer than one call, and the socket keeps the fd readable for it.
 */
static inline bool cti_conn_take_drained(struct cti_conn *c)
{
	bool idle = c->rx_drained && c->sock >= 0 && !c->out_len &&
		    !c->send_error;

	c->rx_drained = false;
	return idle;
}

#endif /* CTI_CONN_H */
