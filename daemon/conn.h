/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conn: the listening socket, client connections, framing and the
 * outgoing queues (conn.c). It knows frames, not sessions: what it has to
 * tell above (a frame arrived, a connection drained or closed, the loop is
 * about to wait, a second passed, a stop or a reload was asked) goes through the
 * struct conn_ops that run.c registers.
 */
#ifndef CTID_CONN_H
#define CTID_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "blob.h"
#include "config_tls.h"
#include "loop.h"
#include "wire.h"

struct ctid;

struct session;
struct tls_conn;
struct pwcheck_job;

/* Bytes queued for a socket: frames back to back. */
struct outbuf {
	uint8_t *data;
	uint32_t len, cap;
};

struct conn {
	struct loop_op recv_op;
	struct loop_op send_op;
	int fd;
	uid_t uid;
	pid_t pid;
	struct session *s;		/* NULL until HELLO */
	struct conn *next, *prev;
	/* receive side: unprocessed bytes (a partial frame, or frames left
	 * while paused); allocated only while there are some */
	uint8_t *rx;
	uint32_t rx_len, rx_cap;
	/* send side: @pending collects frames; @inflight is what the kernel
	 * is sending; both are freed when empty so idle clients cost nothing */
	struct outbuf pending;
	struct outbuf inflight;
	uint32_t inflight_off;
	uint32_t bad_frames;
	bool recv_armed, send_armed;
	bool closing, paused, dirty, fatal;
	bool busy;			/* a completion handler runs for it */
	bool held;			/* the session reads no requests now */
	bool authed;			/* unix: always; TLS: once logged in */
	struct conn *dirty_next;
	const char *fatal_why;		/* why a fatal connection closes */
	/* TLS connections only (conn_tls.c) */
	const struct conn_xport *xport;
	struct tls_conn *tls;
	struct pwcheck_job *login;	/* a password being checked */
	struct conn *unauth_next, *unauth_prev;	/* srv.unauth, by age */
	uint64_t accepted_ns;
	char peer[48];			/* "address" of the TCP peer */
};

/* A listening socket: the unix one, or a TCP one for TLS. */
struct conn_listener {
	struct loop_op op;
	int fd;
	bool armed;
	/* takes an accepted socket; NULL: a local peer (the unix socket) */
	void (*accepted)(struct ctid *ctx, int fd);
};

/*
 * A transport between the socket and the frames (conn_tls.c's TLS):
 * conn.c hands it what a receive brought and the frames to send, and
 * calls nothing of it by name, so that it stays below it.
 */
struct conn_xport {
	/* bytes from the socket; the plaintext goes to conn_process() */
	void (*input)(struct ctid *ctx, struct conn *c, const uint8_t *data, uint32_t len);
	/* @plain (emptied) into the bytes to send, in @out; 0 or -errno */
	int (*seal)(struct ctid *ctx, struct conn *c, struct outbuf *plain, struct outbuf *out);
	/* bytes it holds that are not sent yet */
	bool (*has_output)(const struct conn *c);
	/* @c is being freed */
	void (*release)(struct ctid *ctx, struct conn *c);
};

/* The listener and the connections (ctx->srv); see conn.c. */
#define OUTBUF_POOL_MIN	64
#define OUTBUF_POOL_MAX	4096	/* 64 MiB of free buffers at most */
#define CONN_MAX_LISTENERS	(1 + 2 * CFG_TLS_MAX_LISTEN)
struct conn_server {
	struct conn_listener ls[CONN_MAX_LISTENERS];	/* [0]: the unix socket */
	unsigned int nls;
	struct loop_timer accept_retry;
	struct loop_timer housekeeping;
	struct loop_timer stop_timer;
	struct conn *conns;		/* all connections */
	struct conn *dirty;		/* with frames to send this batch */
	uint8_t **outbuf_pool;		/* free buffers, see outbuf_free() */
	unsigned int outbuf_pooled, outbuf_pool_cap;
	/* TLS connections not yet authenticated, oldest first */
	struct conn *unauth, *unauth_tail;
	uint32_t nunauth;
};

struct conn_ops {
	/* one complete frame; false: read nothing more from @c */
	bool (*frame)(struct ctid *ctx, struct conn *c, const uint8_t *buf, uint32_t len);
	/* @c's queue went out entirely */
	void (*drained)(struct ctid *ctx, struct conn *c);
	/* @c is closing: forget it */
	void (*closed)(struct ctid *ctx, struct conn *c);
	/* the loop is about to wait (providers' due timers run here) */
	void (*before_wait)(struct ctid *ctx);
	/* once a second: expiries */
	void (*tick)(struct ctid *ctx);
	/* SIGTERM/SIGINT: the service begins to stop */
	void (*stopping)(struct ctid *ctx);
	/* SIGHUP: the access rules are to be read again */
	void (*reload)(struct ctid *ctx);
	/* a TLS handshake ended: a client certificate may log @c in */
	void (*tls_established)(struct ctid *ctx, struct conn *c);
};

/* Listens (after checking the socket path); says why it failed. */
int server_start(struct ctid *ctx, const struct conn_ops *ops);
void server_stop(struct ctid *ctx);
void conn_queue_frame(struct ctid *ctx, struct conn *c, const struct cti_wire_frame *f);
/* The shared event @b with @seq and @priv patched in; false: no room. */
bool conn_queue_event(struct ctid *ctx, struct conn *c, const struct blob *b, uint64_t seq,
		      uint32_t priv);
void conn_close(struct ctid *ctx, struct conn *c, const char *why);
/* Drops the queued events (never replies); the first seq dropped, or 0. */
uint64_t conn_discard_events(struct conn *c);
bool conn_idle(const struct conn *c);
uint32_t conn_queued(const struct conn *c);
void conn_hold_input(struct ctid *ctx, struct conn *c, bool hold);
/* A listener for @fd (listening already), its sockets to @accepted. */
int conn_add_listener(struct ctid *ctx, int fd, void (*accepted)(struct ctid *ctx, int fd));
/* Sends what is queued, then closes @c, saying @why in the log. */
void conn_close_after_send(struct ctid *ctx, struct conn *c, const char *why);
/* A TLS connection logged in as @uid (a remote user's, see auth.h). */
void conn_authenticated(struct ctid *ctx, struct conn *c, uid_t uid);

#endif
