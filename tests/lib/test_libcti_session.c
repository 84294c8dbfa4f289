// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_session.c - libcti against a scripted fake ctid
 *
 * In each case a thread plays ctid on a unix socket in a temporary
 * directory, with the real codec, following the case's script; the main
 * thread drives libcti through the public API and checks what the program
 * would see. The two sides meet only through the socket, so each step of
 * a script is a request the client sends or a frame the server sends, in
 * a fixed order. Every case starts from a new session (hello and line
 * list), so it runs alone: test_session CASE... (-l lists them): a call
 * with its events and reply, a gap, a duplicate, an ERROR answering a
 * request; pings; a dropped connection with a request in flight and the
 * resume; a resync with a vanished line and the line opened again; a
 * resync whose reopens meet a broken connection; a malformed frame from
 * the server; the callback mode.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <stdio.h>

#include "harness.h"
#include "session.h"

static char sock_path[108];
static char dir_path[64];
static int listen_fd = -1;

/* ---- the fake server ---- */

static int srv_accept(void)
{
	struct pollfd p = { .fd = listen_fd, .events = POLLIN };

	if (poll(&p, 1, 5000) != 1)
		return -1;
	return accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
}

static int read_full(int fd, uint8_t *p, size_t n)
{
	while (n) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&pf, 1, 5000) != 1)
			return -ETIMEDOUT;
		r = read(fd, p, n);
		if (r <= 0)
			return -EIO;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Read one frame from the client; any failure fails the test. */
static int srv_read(int fd, struct cti_wire_frame *f, unsigned int type)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	struct cti_wire_hdr hdr;
	ssize_t n;

	memset(f, 0, sizeof(*f));
	if (read_full(fd, buf, CTI_WIRE_HDR_SIZE) ||
	    cti_wire_peek(buf, CTI_WIRE_HDR_SIZE, &hdr) <= 0 ||
	    read_full(fd, buf + CTI_WIRE_HDR_SIZE,
		      hdr.len - CTI_WIRE_HDR_SIZE)) {
		T_EXPECT(0, "server: no frame (wanted %s)",
		      cti_wire_type_name(type));
		return -1;
	}
	n = cti_wire_decode(buf, hdr.len, CTI_WIRE_FROM_CLIENT, f, NULL);
	T_EXPECT(n == hdr.len, "server: client frame refused: %zd", n);
	T_EXPECT(f->hdr.type == type, "server: got %s, wanted %s",
	      cti_wire_type_name(f->hdr.type), cti_wire_type_name(type));
	return f->hdr.type == type ? 0 : -1;
}

static void srv_send(int fd, struct cti_wire_frame *f)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	ssize_t n = cti_wire_encode(f, buf, sizeof(buf), NULL);

	T_EXPECT(n > 0, "server: cannot encode %s: %zd",
	      cti_wire_type_name(f->hdr.type), n);
	if (n > 0)
		T_EXPECT(write(fd, buf, (size_t)n) == n, "server: short write");
}

/* The features the fake grants (the next HELLO_ACKs). */
static uint64_t srv_features = CTI_WIRE_FEAT_RESUME;

static void send_ack(int fd, uint32_t resume, uint64_t session, uint64_t seq)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_HELLO_ACK };

	f.u.hello_ack.version = 1;
	f.u.hello_ack.resume = resume;
	f.u.hello_ack.features = srv_features;
	f.u.hello_ack.session = session;
	f.u.hello_ack.seq = seq;
	f.u.hello_ack.max_frame = CTI_WIRE_FRAME_MAX;
	strcpy(f.u.hello_ack.server_name, "fake");
	srv_send(fd, &f);
}

static void send_reply(int fd, const struct cti_wire_frame *req, int error,
		       uint32_t call)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_REPLY };

	f.hdr.id = req->hdr.id;
	f.u.reply.error = error;
	f.u.reply.line = CTI_LINE_NONE;
	f.u.reply.call = call;
	f.u.reply.req_type = req->hdr.type;
	if (req->hdr.type == CTI_WIRE_COMMAND) {
		f.u.reply.cmd = req->u.command.cmd;
		f.u.reply.line = req->u.command.line;
	}
	srv_send(fd, &f);
}

static void send_line(int fd, uint16_t type, uint64_t id, uint32_t line)
{
	struct cti_wire_frame f = { .hdr.type = type, .hdr.id = id };

	f.u.line.line = line;
	f.u.line.ops = 0xff;
	f.u.line.max_calls = 2;
	f.u.line.allowed = 6;
	f.u.line.num_addresses = 1;
	snprintf(f.u.line.name, sizeof(f.u.line.name), "ext%u", 99 + line);
	snprintf(f.u.line.addresses[0], sizeof(f.u.line.addresses[0]), "%u",
		 99 + line);
	strcpy(f.u.line.provider_name, "sim");
	srv_send(fd, &f);
}

static void send_end(int fd, uint64_t id, uint16_t item, uint32_t count,
		     uint64_t seq)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_END, .hdr.id = id };

	f.u.end.item_type = item;
	f.u.end.count = count;
	f.u.end.seq = seq;
	srv_send(fd, &f);
}

static void send_state(int fd, uint64_t seq, uint32_t line, uint32_t call,
		       uint32_t state)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_EV_CALL_STATE };

	f.hdr.id = seq;
	f.u.call_state.line = line;
	f.u.call_state.call = call;
	f.u.call_state.state = state;
	f.u.call_state.privilege = CTI_WIRE_PRIV_OWNER;
	srv_send(fd, &f);
}

/* The start of every conversation: hello, session @id, lines 1..3. */
static int srv_open(uint64_t id)
{
	struct cti_wire_frame f, req;
	int fd = srv_accept();

	T_EXPECT(fd >= 0, "server: no client");
	if (fd < 0 || srv_read(fd, &f, CTI_WIRE_HELLO))
		return -1;
	T_EXPECT(f.u.hello.version == 1 && f.u.hello.resume_session == 0,
	      "hello: version %u session %llu", f.u.hello.version,
	      (unsigned long long)f.u.hello.resume_session);
	T_EXPECT(!strcmp(f.u.hello.client_name, "unit"), "client name %s",
	      f.u.hello.client_name);
	T_EXPECT(!(f.u.hello.features & CTI_WIRE_FEAT_EXCLUSIVE),
	      "exclusive ownership asked for by default");
	send_ack(fd, CTI_WIRE_RESUME_NEW, id, 0);
	if (srv_read(fd, &req, CTI_WIRE_LIST_LINES))
		return -1;
	for (uint32_t i = 1; i <= 3; i++)
		send_line(fd, CTI_WIRE_LINE, req.hdr.id, i);
	send_end(fd, req.hdr.id, CTI_WIRE_LINE, 3, 0);
	send_reply(fd, &req, 0, 0);
	return fd;
}

/* A reconnection: the HELLO must resume @session from @seq. */
static int srv_reaccept(uint64_t session, uint64_t seq)
{
	struct cti_wire_frame f;
	int fd = srv_accept();

	T_EXPECT(fd >= 0, "server: no reconnect");
	if (fd < 0 || srv_read(fd, &f, CTI_WIRE_HELLO))
		return -1;
	T_EXPECT(f.u.hello.resume_session == session &&
	      f.u.hello.resume_seq == seq,
	      "resume hello: session %llu seq %llu",
	      (unsigned long long)f.u.hello.resume_session,
	      (unsigned long long)f.u.hello.resume_seq);
	return fd;
}

/* Answer the OPEN_LINE of line @line as owner. */
static int srv_open_line(int fd, uint32_t line)
{
	struct cti_wire_frame req;

	if (srv_read(fd, &req, CTI_WIRE_OPEN_LINE))
		return -1;
	T_EXPECT(req.u.open_line.line == line &&
	      req.u.open_line.privilege == CTI_WIRE_PRIV_OWNER,
	      "open line %u as %u", req.u.open_line.line,
	      req.u.open_line.privilege);
	send_reply(fd, &req, 0, 0);
	return 0;
}

static int srv_pong(int fd, unsigned int delay_ms)
{
	struct cti_wire_frame f, req;

	if (srv_read(fd, &req, CTI_WIRE_PING))
		return -1;
	usleep(delay_ms * 1000);
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_PONG;
	f.hdr.id = req.hdr.id;
	srv_send(fd, &f);
	return 0;
}

/* The end of every conversation: the client closes. */
static void srv_done(int fd)
{
	char c;

	if (fd < 0)
		return;
	T_EXPECT(read(fd, &c, 1) == 0, "client closed");
	close(fd);
}

/* A snapshot after RESYNC: lines @lines, the call on line 1, END @seq. */
static void srv_resync(int fd, const uint32_t *lines, size_t n, uint64_t seq)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_RESYNC };

	f.u.resync.reason = CTI_WIRE_RESYNC_UNKNOWN_SESSION;
	srv_send(fd, &f);
	for (size_t i = 0; i < n; i++)
		send_line(fd, CTI_WIRE_LINE, 0, lines[i]);
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_CALL;
	f.u.call.line = 1;
	f.u.call.call = 5;
	f.u.call.state = CTI_CALL_CONNECTED;
	strcpy(f.u.call.called, "101");
	srv_send(fd, &f);
	send_end(fd, 0, 0, (uint32_t)n, seq);
}

/* ---- the client: what a program sees ---- */

static struct cti_msg *next(struct cti_session *s)
{
	struct cti_msg *m = NULL;

	if (cti_session_wait(s, 5000) == 1)
		cti_session_next_msg(s, &m);
	T_EXPECT(m != NULL, "a message in time");
	return m;
}

/* Take the next message; check its type (and free it unless kept). */
static struct cti_msg *want(struct cti_session *s, enum cti_msg_type type,
			    bool keep)
{
	struct cti_msg *m = next(s);

	if (!m)
		return NULL;
	T_EXPECT(cti_msg_get_type(m) == type, "got %s, wanted %s",
	      cti_msg_type_name(cti_msg_get_type(m)), cti_msg_type_name(type));
	if (!keep) {
		cti_msg_free(m);
		return NULL;
	}
	return m;
}

/* Take a message of @type and check its sequence number. */
static void want_seq(struct cti_session *s, enum cti_msg_type type,
		     uint64_t seq)
{
	struct cti_msg *m = want(s, type, true);

	if (m) {
		T_EXPECT_EQ(cti_msg_get_seq(m), seq, "sequence number");
		cti_msg_free(m);
	}
}

static int fd_readable(struct cti_session *s)
{
	struct pollfd p = { .fd = cti_session_get_fd(s), .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

static long cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

static struct cti_session *cl_open(void)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.client_name = "unit",
	};
	struct cti_session *s = NULL;
	int err = cti_session_open(sock_path, &o, &s);

	T_EXPECT_EQ(err, 0, "open");
	return err ? NULL : s;
}

/* Open line @id as owner and wait for the answer. */
static struct cti_line *cl_own(struct cti_session *s, uint32_t id)
{
	struct cti_line *line = cti_session_get_line_by_id(s, id);
	uint64_t req;

	T_EXPECT(line != NULL, "line %u", id);
	if (!line)
		return NULL;
	T_EXPECT_EQ(cti_line_open(line, CTI_PRIV_OWNER, &req), 0, "open line");
	T_EXPECT_EQ(cti_session_wait_reply(s, req, 5000, NULL), 0, "open reply");
	T_EXPECT_EQ(cti_line_get_privilege(line), CTI_PRIV_OWNER, "owner");
	return line;
}

/* Run @server in a thread, as ctid, while @client plays the program. */
static void converse(void *(*server)(void *), void (*client)(void))
{
	pthread_t th;

	pthread_create(&th, NULL, server, NULL);
	client();
	pthread_join(th, NULL);
}

/* ---- the cases: each a conversation of its own ---- */

static void *open_srv(void *arg)
{
	(void)arg;
	srv_done(srv_open(77));
	return NULL;
}

/* Open: the lines and their accessors; bad arguments fail unsent. */
static void open_cl(void)
{
	struct cti_session *s = cl_open();
	struct cti_line *l1, *l3;
	uint64_t req;

	if (!s)
		return;
	T_EXPECT_EQ(cti_session_get_num_lines(s), 3, "lines");
	T_EXPECT_EQ(cti_session_get_id(s), 77, "session id");
	T_EXPECT(!fd_readable(s), "fd idle after open");
	T_EXPECT_EQ(cti_session_find_line(s, "101", &l1), 0, "find by number");
	T_EXPECT(!strcmp(cti_line_get_name(l1), "ext101"), "line name");
	T_EXPECT_EQ(cti_session_find_line(s, "ext100", &l1), 0, "find by name");
	T_EXPECT_EQ(cti_session_find_line(s, "999", &l3), -ENOENT, "no line");
	T_EXPECT_EQ(cti_line_get_id(l1), 1, "line id");
	T_EXPECT(cti_line_may_open(l1, CTI_PRIV_OWNER), "may own");
	T_EXPECT(cti_line_supports(l1, CTI_CMD_MAKE_CALL), "make call op");
	T_EXPECT(!cti_line_supports(l1, CTI_CMD_PARK), "no park op");
	T_EXPECT(cti_session_get_line_by_id(s, 3) != NULL, "line 3");

	T_EXPECT_EQ(cti_line_make_call(l1, "12a", &req), -EILSEQ, "bad number");
	T_EXPECT_EQ(cti_line_make_call(l1, NULL, &req), -EINVAL, "no number");
	T_EXPECT_EQ(cti_line_drop_call(l1, CTI_CALL_NONE, &req), -EINVAL,
		 "call 0");
	T_EXPECT_EQ(cti_line_open(l1, CTI_PRIV_NONE, &req), -EINVAL, "priv none");
	T_EXPECT_EQ(cti_session_load_provider(s, "../x", &req), -EINVAL,
		 "provider path");
	cti_session_close(s);
}

static void *call_srv(void *arg)
{
	struct cti_wire_frame f, req;
	int fd = srv_open(77);

	(void)arg;
	if (fd < 0 || srv_open_line(fd, 1) ||
	    srv_read(fd, &req, CTI_WIRE_COMMAND))
		return NULL;
	T_EXPECT(req.u.command.cmd == CTI_CMD_MAKE_CALL &&
	      req.u.command.data_len == 3 &&
	      !memcmp(req.u.command.data, "101", 3), "make call frame");
	send_state(fd, 1, 1, 5, CTI_CALL_DIALING);
	send_reply(fd, &req, 0, 5);
	/* seq 3 after 1 (a jump: GAP), 3 again (a replay: dropped) */
	send_state(fd, 3, 1, 5, CTI_CALL_RINGBACK);
	send_state(fd, 3, 1, 5, CTI_CALL_RINGBACK);
	/* an ERROR completes the request it names */
	if (srv_read(fd, &req, CTI_WIRE_COMMAND))
		return NULL;
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_ERROR;
	f.hdr.id = req.hdr.id;
	f.u.error.error = -EILSEQ;
	f.u.error.bad_type = CTI_WIRE_COMMAND;
	strcpy(f.u.error.message, "bad");
	srv_send(fd, &f);
	srv_done(fd);
	return NULL;
}

/* A call: its reply and events, a gap, a replayed event, an ERROR. */
static void call_cl(void)
{
	struct cti_session *s = cl_open();
	struct cti_line *l1 = s ? cl_own(s, 1) : NULL;
	uint64_t req, first, last;
	struct cti_msg *m;
	uint32_t call;

	if (!l1)
		goto out;
	T_EXPECT_EQ(cti_line_make_call(l1, "101", &req), 0, "make call");
	T_EXPECT_EQ(cti_session_wait_reply(s, req, 5000, &call), 0, "mc reply");
	T_EXPECT_EQ(call, 5, "call handle from the reply");
	T_EXPECT_EQ(cti_session_wait_reply(s, req, 0, NULL), -ENOENT,
		 "a reply is taken once");
	T_EXPECT(fd_readable(s), "fd readable: the event is queued");
	m = want(s, CTI_MSG_CALL_STATE, true);
	if (m) {
		T_EXPECT(cti_msg_get_line(m) == l1, "event line");
		T_EXPECT_EQ(cti_msg_get_call(m), 5, "event call");
		T_EXPECT_EQ(cti_msg_get_state(m), CTI_CALL_DIALING, "dialing");
		T_EXPECT_EQ(cti_msg_get_seq(m), 1, "seq 1");
		cti_msg_free(m);
	}
	m = want(s, CTI_MSG_GAP, true);
	if (m) {
		T_EXPECT_EQ(cti_msg_get_gap(m, &first, &last), 1, "gap count");
		T_EXPECT(first == 2 && last == 2, "gap range");
		cti_msg_free(m);
	}
	want_seq(s, CTI_MSG_CALL_STATE, 3);
	/* the CTI_1 name of cti_line_drop_call() still works */
	T_EXPECT_EQ(cti_call_drop(l1, 5, &req), 0, "drop");
	T_EXPECT_EQ(cti_session_wait_reply(s, req, 5000, NULL), -EILSEQ,
		 "ERROR answers the request");
	T_EXPECT(!fd_readable(s), "the duplicate seq 3 was dropped");
out:
	cti_session_close(s);
}

static void *ping_srv(void *arg)
{
	int fd = srv_open(77);

	(void)arg;
	if (fd >= 0 && !srv_pong(fd, 0) && !srv_pong(fd, 300))
		srv_done(fd);
	return NULL;
}

/*
 * Two pings: the first reply arrives as a message (nobody waits for it)
 * while wait_reply sleeps 300 ms for the second: it must sleep, not spin
 * on the queued message.
 */
static void ping_cl(void)
{
	struct cti_session *s = cl_open();
	uint64_t req, req2;
	struct cti_msg *m;
	long cpu0;

	if (!s)
		return;
	T_EXPECT_EQ(cti_session_ping(s, &req), 0, "ping");
	T_EXPECT_EQ(cti_session_ping(s, &req2), 0, "ping 2");
	T_EXPECT_EQ(cti_session_wait(s, 5000), 1, "the first pong is queued");
	cpu0 = cpu_ms();
	T_EXPECT_EQ(cti_session_wait_reply(s, req2, 5000, NULL), 0, "late pong");
	T_EXPECT(cpu_ms() - cpu0 < 100, "waited %ld ms of CPU for a reply",
	      cpu_ms() - cpu0);
	m = want(s, CTI_MSG_REPLY, true);
	if (m) {
		T_EXPECT_EQ(cti_msg_get_request(m), req, "pong request");
		T_EXPECT_EQ(cti_msg_get_error(m), 0, "pong ok");
		cti_msg_free(m);
	}
	cti_session_close(s);
}

static void *resume_srv(void *arg)
{
	struct cti_wire_frame req;
	int fd = srv_open(77);

	(void)arg;
	if (fd < 0 || srv_open_line(fd, 1))
		return NULL;
	send_state(fd, 1, 1, 5, CTI_CALL_CONNECTED);
	/* a request in flight when the connection breaks */
	if (srv_read(fd, &req, CTI_WIRE_COMMAND))
		return NULL;
	T_EXPECT(req.u.command.cmd == CTI_CMD_HOLD, "hold");
	close(fd);
	/* resume: nothing lost, the next event follows */
	fd = srv_reaccept(77, 1);
	if (fd < 0)
		return NULL;
	send_ack(fd, CTI_WIRE_RESUME_OK, 77, 1);
	send_state(fd, 2, 1, 5, CTI_CALL_ONHOLD);
	srv_done(fd);
	return NULL;
}

/* A broken connection: requests in flight reset, then a resume. */
static void resume_cl(void)
{
	struct cti_session *s = cl_open();
	struct cti_line *l1 = s ? cl_own(s, 1) : NULL;
	struct cti_msg *m;
	uint64_t req;

	if (!l1)
		goto out;
	want_seq(s, CTI_MSG_CALL_STATE, 1);
	T_EXPECT_EQ(cti_line_hold_call(l1, 5, &req), 0, "hold");
	m = want(s, CTI_MSG_REPLY, true);
	if (m) {
		T_EXPECT_EQ(cti_msg_get_request(m), req, "hold request");
		T_EXPECT_EQ(cti_msg_get_error(m), -ECONNRESET, "in flight: reset");
		cti_msg_free(m);
	}
	want(s, CTI_MSG_DISCONNECTED, false);
	T_EXPECT_EQ(cti_line_hold_call(l1, 5, &req), -ENOTCONN, "down: ENOTCONN");
	want(s, CTI_MSG_RECONNECTED, false);
	want_seq(s, CTI_MSG_CALL_STATE, 2);
	T_EXPECT_EQ(cti_line_get_privilege(l1), CTI_PRIV_OWNER, "still owner");
out:
	cti_session_close(s);
}

static void *resync_srv(void *arg)
{
	static const uint32_t lines[] = { 1, 2, 4 };	/* 3 went, 4 came */
	int fd = srv_open(77);

	(void)arg;
	if (fd < 0 || srv_open_line(fd, 1) || srv_pong(fd, 0))
		return NULL;
	close(fd);
	fd = srv_reaccept(77, 0);
	if (fd < 0)
		return NULL;
	send_ack(fd, CTI_WIRE_RESUME_RESYNC, 78, 0);
	srv_resync(fd, lines, 3, 100);
	if (srv_open_line(fd, 1))
		return NULL;
	send_state(fd, 101, 1, 5, CTI_CALL_ONHOLD);
	srv_done(fd);
	return NULL;
}

/* A resync: a vanished line, a new one, the call, the line reopened. */
static void resync_cl(void)
{
	struct cti_session *s = cl_open();
	struct cti_line *l1 = s ? cl_own(s, 1) : NULL, *l3, *l4;
	struct cti_msg *m;
	uint64_t req;

	if (!l1)
		goto out;
	l3 = cti_session_get_line_by_id(s, 3);
	T_EXPECT_EQ(cti_session_ping(s, NULL), 0, "ping");
	want(s, CTI_MSG_REPLY, false);	/* the pong, before the break */
	want(s, CTI_MSG_DISCONNECTED, false);
	want(s, CTI_MSG_RESYNC, false);
	m = want(s, CTI_MSG_LINE_ADDED, true);
	if (m) {
		l4 = cti_msg_get_line(m);
		T_EXPECT(l4 && cti_line_get_id(l4) == 4, "line 4 added");
		cti_msg_free(m);
	}
	m = want(s, CTI_MSG_CALL, true);
	if (m) {
		T_EXPECT_EQ(cti_msg_get_call(m), 5, "snapshot call");
		T_EXPECT_EQ(cti_msg_get_state(m), CTI_CALL_CONNECTED, "state");
		T_EXPECT(!strcmp(cti_msg_get_called(m), "101"), "called");
		cti_msg_free(m);
	}
	m = want(s, CTI_MSG_LINE_REMOVED, true);
	if (m) {
		T_EXPECT(cti_msg_get_line(m) == l3, "line 3 removed");
		cti_msg_free(m);
	}
	want(s, CTI_MSG_LIST_END, false);
	T_EXPECT(cti_line_is_removed(l3), "line 3 marked");
	T_EXPECT_EQ(cti_line_open(l3, CTI_PRIV_OWNER, &req), -ENODEV,
		 "removed line: ENODEV");
	T_EXPECT_EQ(cti_session_get_id(s), 78, "new session id");
	want_seq(s, CTI_MSG_CALL_STATE, 101);
	T_EXPECT_EQ(cti_line_get_privilege(l1), CTI_PRIV_OWNER, "reopened");
	T_EXPECT(!fd_readable(s), "no stray message after resync");
out:
	cti_session_close(s);
}

static void *resync_break_srv(void *arg)
{
	static const uint32_t lines[] = { 1, 2, 3 };
	int fd = srv_open(77), seen = 0;

	(void)arg;
	if (fd < 0 || srv_open_line(fd, 1) || srv_open_line(fd, 2) ||
	    srv_pong(fd, 0))
		return NULL;
	close(fd);
	/* the snapshot, from a peer that reads nothing more: the reopens
	 * that follow its END fail to send (EPIPE) */
	fd = srv_reaccept(77, 0);
	if (fd < 0)
		return NULL;
	send_ack(fd, CTI_WIRE_RESUME_RESYNC, 78, 0);
	shutdown(fd, SHUT_RD);
	srv_resync(fd, lines, 3, 10);
	close(fd);
	/* the next resync reopens both lines */
	fd = srv_reaccept(78, 10);
	if (fd < 0)
		return NULL;
	send_ack(fd, CTI_WIRE_RESUME_RESYNC, 79, 0);
	srv_resync(fd, lines, 3, 20);
	for (int i = 0; i < 2; i++) {
		struct cti_wire_frame req;

		if (srv_read(fd, &req, CTI_WIRE_OPEN_LINE))
			return NULL;
		seen |= 1 << req.u.open_line.line;
		send_reply(fd, &req, 0, 0);
	}
	T_EXPECT_EQ(seen, 6, "lines 1 and 2 reopened");
	if (!srv_pong(fd, 0))
		srv_done(fd);
	return NULL;
}

/*
 * The connection breaks while a resync reopens the lines: the reopen
 * stops (ENOTCONN), the session goes on, the next resync reopens them.
 */
static void resync_break_cl(void)
{
	struct cti_session *s = cl_open();
	struct cti_line *l1 = s ? cl_own(s, 1) : NULL;
	struct cti_line *l2 = l1 ? cl_own(s, 2) : NULL;
	uint64_t req;

	if (!l2)
		goto out;
	T_EXPECT_EQ(cti_session_ping(s, NULL), 0, "ping");
	want(s, CTI_MSG_REPLY, false);
	want(s, CTI_MSG_DISCONNECTED, false);
	for (int i = 0; i < 2; i++) {
		want(s, CTI_MSG_RESYNC, false);
		want(s, CTI_MSG_CALL, false);
		want(s, CTI_MSG_LIST_END, false);
		if (!i)
			want(s, CTI_MSG_DISCONNECTED, false);
	}
	T_EXPECT_EQ(cti_session_ping(s, &req), 0, "ping after the resyncs");
	T_EXPECT_EQ(cti_session_wait_reply(s, req, 5000, NULL), 0, "pong");
	T_EXPECT_EQ(cti_line_get_privilege(l1), CTI_PRIV_OWNER, "1 reopened");
	T_EXPECT_EQ(cti_line_get_privilege(l2), CTI_PRIV_OWNER, "2 reopened");
out:
	cti_session_close(s);
}

static void *junk_srv(void *arg)
{
	uint8_t junk[16] = { 16, 0, 0, 0, 0x99, 0 };
	struct cti_wire_frame req;
	int fd = srv_open(77);

	(void)arg;
	if (fd < 0 || srv_read(fd, &req, CTI_WIRE_PING))
		return NULL;
	T_EXPECT(write(fd, junk, sizeof(junk)) == 16, "junk");
	close(fd);
	fd = srv_reaccept(77, 0);
	if (fd < 0)
		return NULL;
	send_ack(fd, CTI_WIRE_RESUME_OK, 77, 0);
	srv_done(fd);
	return NULL;
}

/* A frame the codec refuses: the client drops the connection, resumes. */
static void junk_cl(void)
{
	struct cti_session *s = cl_open();
	struct cti_msg *m;

	if (!s)
		return;
	T_EXPECT_EQ(cti_session_ping(s, NULL), 0, "ping before junk");
	want(s, CTI_MSG_REPLY, false);
	m = want(s, CTI_MSG_DISCONNECTED, true);
	if (m) {
		T_EXPECT_EQ(cti_msg_get_error(m), -EPROTO, "junk: EPROTO");
		cti_msg_free(m);
	}
	want(s, CTI_MSG_RECONNECTED, false);
	cti_session_close(s);
}

static void *callback_srv(void *arg)
{
	struct cti_wire_frame req;
	int fd = srv_open(77);

	(void)arg;
	if (fd < 0 || srv_read(fd, &req, CTI_WIRE_COMMAND))
		return NULL;
	send_state(fd, 1, 1, 5, CTI_CALL_CONNECTED);
	send_state(fd, 2, 1, 5, CTI_CALL_IDLE);
	send_reply(fd, &req, 0, 0);
	srv_done(fd);
	return NULL;
}

static int cb_count;
static uint32_t cb_last_state;

static void on_msg(struct cti_session *s, struct cti_msg *m, void *data)
{
	(void)s;
	T_EXPECT(data == &cb_count, "callback userdata");
	cb_count++;
	if (cti_msg_get_type(m) == CTI_MSG_CALL_STATE)
		cb_last_state = cti_msg_get_state(m);
}

/* Callback mode: dispatch hands two events and a reply to the program. */
static void callback_cl(void)
{
	struct cti_session *s = cl_open();
	struct cti_line *l1 = s ? cti_session_get_line_by_id(s, 1) : NULL;
	uint64_t req;
	int err;

	if (!l1)
		goto out;
	cb_count = 0;
	cti_session_set_callback(s, on_msg, &cb_count);
	T_EXPECT_EQ(cti_line_unhold_call(l1, 5, &req), 0, "unhold");
	for (int i = 0; i < 50 && cb_count < 3; i++) {
		cti_session_wait(s, 100);
		err = cti_session_dispatch(s);
		T_EXPECT(err >= 0, "dispatch %d", err);
	}
	T_EXPECT_EQ(cb_count, 3, "callback saw 2 events and a reply");
	T_EXPECT_EQ(cb_last_state, CTI_CALL_IDLE, "last state");
out:
	cti_session_close(s);
}

static void test_open(void) { converse(open_srv, open_cl); }
static void test_call(void) { converse(call_srv, call_cl); }
static void test_ping(void) { converse(ping_srv, ping_cl); }
static void test_resume(void) { converse(resume_srv, resume_cl); }
static void test_resync(void) { converse(resync_srv, resync_cl); }
static void test_resync_break(void)
{
	converse(resync_break_srv, resync_break_cl);
}
static void test_junk(void) { converse(junk_srv, junk_cl); }
static void test_callback(void) { converse(callback_srv, callback_cl); }

static void *refuse_main(void *arg)
{
	struct cti_wire_frame f;
	int fd = srv_accept();

	(void)arg;
	T_EXPECT(fd >= 0, "refuser: no client");
	if (fd < 0 || srv_read(fd, &f, CTI_WIRE_HELLO))
		return NULL;
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_ERROR;
	f.u.error.error = -EPROTONOSUPPORT;
	f.u.error.bad_type = CTI_WIRE_HELLO;
	strcpy(f.u.error.message, "version");
	srv_send(fd, &f);
	close(fd);
	return NULL;
}

static void test_uris(void)
{
	pthread_t th;
	struct cti_session *s;
	struct cti_session_options o = { .size = sizeof(o), .timeout_ms = 500,
					 .flags = CTI_SESSION_NO_RECONNECT };
	char path[200];

	T_EXPECT_EQ(cti_session_open("tcp:host:1", &o, &s), -EPROTONOSUPPORT,
		 "tcp");
	T_EXPECT_EQ(cti_session_open("relative", &o, &s), -EINVAL, "relative");
	snprintf(path, sizeof(path), "unix:%s/none", dir_path);
	T_EXPECT_EQ(cti_session_open(path, &o, &s), -ENOENT, "no socket");
	o.flags = 1u << 5;
	T_EXPECT_EQ(cti_session_open(sock_path, &o, &s), -EINVAL, "bad flags");
	o.size = 2;
	T_EXPECT_EQ(cti_session_open(sock_path, &o, &s), -EINVAL, "bad size");
	o.size = sizeof(o);
	o.flags = CTI_SESSION_NO_RECONNECT;
	setenv("CTI_URI", "tcp:x", 1);
	T_EXPECT_EQ(cti_session_open(NULL, &o, &s), -EPROTONOSUPPORT,
		 "$CTI_URI is used");
	unsetenv("CTI_URI");

	pthread_create(&th, NULL, refuse_main, NULL);
	T_EXPECT_EQ(cti_session_open(sock_path, &o, &s), -EPROTONOSUPPORT,
		 "the server's refusal reaches the program");
	pthread_join(th, NULL);

	T_EXPECT(!strcmp(cti_call_state_name(CTI_CALL_ONHOLD), "ONHOLD"), "name");
	T_EXPECT(!strcmp(cti_call_state_name(99), "?"), "unknown name");
}

static int bp_done[2];	/* a pipe: the client says the server may go */

/* A ctid that says hello, lists no line, then stops reading. */
static void *stall_main(void *arg)
{
	struct cti_wire_frame f, req;
	char c;
	int fd = srv_accept();

	(void)arg;
	T_EXPECT(fd >= 0, "staller: no client");
	if (fd < 0 || srv_read(fd, &f, CTI_WIRE_HELLO))
		return NULL;
	send_ack(fd, CTI_WIRE_RESUME_NEW, 9, 0);
	if (srv_read(fd, &req, CTI_WIRE_LIST_LINES))
		return NULL;
	send_end(fd, req.hdr.id, CTI_WIRE_LINE, 0, 0);
	send_reply(fd, &req, 0, 0);
	T_EXPECT(read(bp_done[0], &c, 1) == 1, "staller: released");
	close(fd);
	return NULL;
}

/* Requests to a ctid that does not read stop at a bound, with EAGAIN. */
static void test_backpressure(void)
{
	struct cti_session_options o = { .size = sizeof(o),
					 .flags = CTI_SESSION_NO_RECONNECT };
	struct cti_session *s;
	pthread_t th;
	long sent = 0;
	int err = 0;

	if (pipe(bp_done))
		return;
	pthread_create(&th, NULL, stall_main, NULL);
	err = cti_session_open(sock_path, &o, &s);
	T_EXPECT_EQ(err, 0, "open a stalled session");
	if (!err) {
		while (sent < 10000000 && (err = cti_session_ping(s, NULL)) == 0)
			sent++;
		T_EXPECT_EQ(err, -EAGAIN, "a stalled ctid: EAGAIN");
		T_EXPECT(sent > 10000 && sent < 1000000,
		      "%ld requests before EAGAIN", sent);
		cti_session_close(s);
	}
	T_EXPECT(write(bp_done[1], "x", 1) == 1, "release");
	pthread_join(th, NULL);
	close(bp_done[0]);
	close(bp_done[1]);
}

/* The id index, through the internal API: many lines, sparse ids. */
static void test_line_index(void)
{
	struct cti_session s = { .tail = &s.head };
	struct cti_wire_line info = { 0 };
	int missing = 0, wrong = 0;
	bool created;

	for (uint32_t i = 0; i < 20000; i++) {
		info.line = i * 7919 + 3;
		if (!cti_line_update(&s, &info, &created) || !created)
			wrong++;
	}
	info.line = 3;
	T_EXPECT(cti_line_update(&s, &info, &created) && !created, "update");
	for (uint32_t i = 0; i < 20000; i++) {
		struct cti_line *l = cti_session_get_line_by_id(&s,
							i * 7919 + 3);

		if (!l)
			missing++;
		else if (l->info.line != i * 7919 + 3 ||
			 cti_session_get_line(&s, i) != l)
			wrong++;
	}
	T_EXPECT_EQ(missing, 0, "lines found by id");
	T_EXPECT_EQ(wrong, 0, "lines in order");
	T_EXPECT(!cti_session_get_line_by_id(&s, 4), "no line 4");
	T_EXPECT_EQ(cti_session_get_num_lines(&s), 20000, "count");
	cti_lines_free(&s);
}

/*
 * EXCLUSIVE is asked for by name (never in the default HELLO) and must be
 * granted: a server that does not grant it makes the open fail rather
 * than share lines the program believes exclusive.
 */
static void *exclusive_srv(void *arg)
{
	struct cti_wire_frame f, req;
	int fd;

	(void)arg;
	fd = srv_accept();
	T_EXPECT(fd >= 0, "server: no client");
	if (fd < 0 || srv_read(fd, &f, CTI_WIRE_HELLO))
		return NULL;
	T_EXPECT(f.u.hello.features & CTI_WIRE_FEAT_EXCLUSIVE, "not asked");
	T_EXPECT(!(f.u.hello.features & CTI_WIRE_FEAT_RESUME),
	      "a session that never reconnects asked for RESUME");
	srv_features = CTI_WIRE_FEAT_EXCLUSIVE;
	send_ack(fd, CTI_WIRE_RESUME_NEW, 5, 0);
	srv_features = CTI_WIRE_FEAT_RESUME;
	if (srv_read(fd, &req, CTI_WIRE_LIST_LINES))
		return NULL;
	send_end(fd, req.hdr.id, CTI_WIRE_LINE, 0, 0);
	send_reply(fd, &req, 0, 0);
	srv_done(fd);
	fd = srv_accept();
	T_EXPECT(fd >= 0, "server: no second client");
	if (fd < 0 || srv_read(fd, &f, CTI_WIRE_HELLO))
		return NULL;
	send_ack(fd, CTI_WIRE_RESUME_NEW, 6, 0);
	srv_done(fd);
	fd = srv_open(7);	/* the default asks for neither */
	srv_done(fd);
	return NULL;
}

static void exclusive_cl(void)
{
	struct cti_session_options o = {
		.size = sizeof(o),
		.flags = CTI_SESSION_EXCLUSIVE | CTI_SESSION_NO_RECONNECT,
		.client_name = "unit",
		.timeout_ms = 2000,
	};
	struct cti_session *s = NULL;
	int err;

	err = cti_session_open(sock_path, &o, &s);
	T_EXPECT_EQ(err, 0, "granted");
	cti_session_close(s);
	err = cti_session_open(sock_path, &o, &s);
	T_EXPECT_EQ(err, -EOPNOTSUPP, "not granted");
	cti_session_close(cl_open());	/* srv_open() checks its HELLO */
}

static void test_exclusive(void) { converse(exclusive_srv, exclusive_cl); }

/*
 * ctid goes away in the middle of an open (the soak kills it every few
 * seconds): HELLO_ACK, then the socket closes before the client sends
 * LIST_LINES, whose send then meets EPIPE. The open fails with the one
 * errno the documentation gives for that, whichever direction saw it.
 */
#define VANISH_ROUNDS 20

static void *vanish_srv(void *arg)
{
	struct cti_wire_frame f;

	(void)arg;
	for (int i = 0; i < VANISH_ROUNDS; i++) {
		int fd = srv_accept();

		if (fd < 0)
			return NULL;
		if (!srv_read(fd, &f, CTI_WIRE_HELLO))
			send_ack(fd, CTI_WIRE_RESUME_NEW, 1, 0);
		close(fd);
	}
	return NULL;
}

static void vanish_cl(void)
{
	struct cti_session_options o = {
		.size = sizeof(o), .flags = CTI_SESSION_NO_RECONNECT,
		.client_name = "unit", .timeout_ms = 2000,
	};

	for (int i = 0; i < VANISH_ROUNDS; i++) {
		struct cti_session *s = NULL;
		int err = cti_session_open(sock_path, &o, &s);

		T_EXPECT_EQ(err, -ECONNRESET, "round %d: %s", i, strerror(-err));
		cti_session_close(s);
	}
}

static void test_vanish_during_open(void) { converse(vanish_srv, vanish_cl); }

/* SERVER_STATS: a STATS frame, then the REPLY (doc/protocol.md). */
static void *stats_srv(void *arg)
{
	struct cti_wire_frame req, f = { .hdr.type = CTI_WIRE_STATS };
	int fd;

	(void)arg;
	srv_features = CTI_WIRE_FEAT_RESUME | CTI_WIRE_FEAT_STATS;
	fd = srv_open(77);
	srv_features = CTI_WIRE_FEAT_RESUME;
	if (fd < 0 || srv_read(fd, &req, CTI_WIRE_SERVER_STATS))
		return NULL;
	f.hdr.id = req.hdr.id;
	f.u.stats.lines = 3;
	f.u.stats.connections = 2;
	f.u.stats.calls[CTI_CALL_CONNECTED] = 4;
	f.u.stats.requests_total = 1ull << 40;
	f.u.stats.card_overflows = CTI_WIRE_STATS_UNKNOWN;
	srv_send(fd, &f);
	send_reply(fd, &req, 0, 0);
	srv_done(fd);
	return NULL;
}

/* Live administration: a list, a refusal with its note, a kick. */
static void *admin_srv(void *arg)
{
	struct cti_wire_frame f, req;
	int fd = srv_open(5);

	(void)arg;
	if (fd < 0 || srv_read(fd, &req, CTI_WIRE_LIST_ACCOUNTS))
		return NULL;
	T_EXPECT_EQ(req.u.account_list.kind, (uint32_t)CTI_WIRE_ACCT_GROUP);
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_ACCOUNT;
	f.hdr.id = req.hdr.id;
	f.u.account.kind = CTI_WIRE_ACCT_GROUP;
	f.u.account.flags = CTI_WIRE_ACCT_F_ADMIN;
	strcpy(f.u.account.name, "agents");
	strcpy(f.u.account.lines, "1-4");
	strcpy(f.u.account.members, "alice,bob");
	srv_send(fd, &f);
	send_end(fd, req.hdr.id, CTI_WIRE_ACCOUNT, 1, 0);
	send_reply(fd, &req, 0, 0);
	if (srv_read(fd, &req, CTI_WIRE_GRANT))
		return NULL;
	T_EXPECT(req.u.grant.kind == CTI_WIRE_ACCT_USER &&
		 req.u.grant.right == CTI_WIRE_RIGHT_PICKUP &&
		 !strcmp(req.u.grant.name, "alice") && !strcmp(req.u.grant.spec, "5-2"),
		 "grant %u %u %s %s", req.u.grant.kind, req.u.grant.right,
		 req.u.grant.name, req.u.grant.spec);
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_ADMIN_NOTE;
	f.hdr.id = req.hdr.id;
	f.u.admin_note.error = -EINVAL;
	strcpy(f.u.admin_note.message, "bad line id or range \"5-2\"");
	srv_send(fd, &f);
	send_reply(fd, &req, -EINVAL, 0);
	if (srv_read(fd, &req, CTI_WIRE_KICK))
		return NULL;
	T_EXPECT_EQ(req.u.kick.session, 0x77ull);
	send_reply(fd, &req, -ENOENT, 0);
	srv_done(fd);
	return NULL;
}

static void stats_cl(void)
{
	struct cti_session *s = cl_open();
	struct cti_server_stats st = { .size = sizeof(st) };
	struct { uint32_t size, connections; } old = { .size = sizeof(old) };
	uint64_t req;

	if (!s)
		return;
	T_EXPECT_EQ(cti_session_get_server_stats(s, &st), -ENODATA, "before any answer");
	T_EXPECT_EQ(cti_session_server_stats(s, &req), 0, "send");
	T_EXPECT_EQ(cti_session_wait_reply(s, req, 5000, NULL), 0, "reply");
	T_EXPECT_EQ(cti_session_get_server_stats(s, &st), 0, "the answer");
	T_EXPECT_EQ(st.size, sizeof(st));
	T_EXPECT_EQ(st.lines, 3);
	T_EXPECT_EQ(st.connections, 2);
	T_EXPECT_EQ(st.calls[CTI_CALL_CONNECTED], 4);
	T_EXPECT_EQ(st.requests_total, 1ull << 40);
	T_EXPECT(st.card_overflows == CTI_STATS_UNKNOWN, "overflows known?");
	/* an older, smaller struct gets its part only */
	T_EXPECT_EQ(cti_session_get_server_stats(s, (struct cti_server_stats *)&old), 0);
	T_EXPECT_EQ(old.size, sizeof(old));
	T_EXPECT_EQ(old.connections, 2);
	st.size = 2;
	T_EXPECT_EQ(cti_session_get_server_stats(s, &st), -EINVAL, "size 2");
	cti_session_close(s);
}

static void *no_stats_srv(void *arg)
{
	int fd = srv_open(77);

	(void)arg;
	if (fd >= 0)
		srv_done(fd);
	return NULL;
}

/* A server that did not grant FEAT_STATS is never sent SERVER_STATS. */
static void no_stats_cl(void)
{
	struct cti_session *s = cl_open();
	uint64_t req;

	if (!s)
		return;
	T_EXPECT_EQ(cti_session_server_stats(s, &req), -EOPNOTSUPP);
	cti_session_close(s);
}

static void test_stats(void) { converse(stats_srv, stats_cl); }
static void test_no_stats(void) { converse(no_stats_srv, no_stats_cl); }

static void admin_cl(void)
{
	struct cti_session *s = cl_open();
	struct cti_account a = { .size = sizeof(a) };
	struct cti_account small = { .size = offsetof(struct cti_account, lines) };
	struct cti_msg *m;
	uint64_t req, grant;

	if (!s)
		return;
	T_ASSERT_EQ(cti_session_list_accounts(s, CTI_ACCOUNT_GROUP, &req), 0);
	T_EXPECT_EQ(cti_session_wait_reply(s, req, 5000, NULL), 0);
	m = want(s, CTI_MSG_ACCOUNT, true);
	if (m) {
		T_EXPECT_EQ(cti_msg_get_request(m), req);
		T_EXPECT_EQ(cti_msg_get_account(m, &a), 0);
		T_EXPECT_STR(a.name, "agents");
		T_EXPECT_STR(a.lines, "1-4");
		T_EXPECT_STR(a.members, "alice,bob");
		T_EXPECT_EQ(a.flags, (uint32_t)CTI_ACCOUNT_ADMIN);
		/* an older program's smaller struct gets what it knows */
		strcpy(small.name, "x");
		T_EXPECT_EQ(cti_msg_get_account(m, &small), 0);
		T_EXPECT_STR(small.name, "agents");
		small.size = 8;
		T_EXPECT_EQ(cti_msg_get_account(m, &small), -EINVAL);
		cti_msg_free(m);
	}
	m = want(s, CTI_MSG_LIST_END, true);
	if (m) {
		T_EXPECT_EQ(cti_msg_get_account(m, &a), -EINVAL);
		cti_msg_free(m);
	}
	/* (the REPLY was cti_session_wait_reply()'s) */
	/* a refusal: the note before the REPLY, and by request id */
	T_ASSERT_EQ(cti_session_grant(s, CTI_ACCOUNT_USER, "alice", CTI_RIGHT_PICKUP,
				      "5-2", &grant), 0);
	T_EXPECT_EQ(cti_session_wait_reply(s, grant, 5000, NULL), -EINVAL);
	T_EXPECT_STR(cti_session_get_note(s, grant), "bad line id or range \"5-2\"");
	m = want(s, CTI_MSG_NOTE, true);
	if (m) {
		T_EXPECT_EQ(cti_msg_get_request(m), grant);
		T_EXPECT_EQ(cti_msg_get_error(m), -EINVAL);
		T_EXPECT_STR(cti_msg_get_text(m), "bad line id or range \"5-2\"");
		cti_msg_free(m);
	}
	/* what cannot travel is refused here */
	T_EXPECT_EQ(cti_session_add_account(s, CTI_ACCOUNT_USER,
					    "a-name-longer-than-thirty-one-bytes", 0,
					    &req), -ENAMETOOLONG);
	T_ASSERT_EQ(cti_session_kick(s, 0x77, &req), 0);
	T_EXPECT_EQ(cti_session_wait_reply(s, req, 5000, NULL), -ENOENT);
	T_EXPECT(!cti_session_get_note(s, req), "a note for a request without one");
	cti_session_close(s);
}

static void test_admin(void) { converse(admin_srv, admin_cl); }

static const struct t_case cases[] = {
	{ "uris", test_uris },
	{ "line_index", test_line_index },
	{ "backpressure", test_backpressure },
	{ "open", test_open },
	{ "call", test_call },
	{ "ping", test_ping },
	{ "resume", test_resume },
	{ "resync", test_resync },
	{ "resync_break", test_resync_break },
	{ "junk", test_junk },
	{ "callback", test_callback },
	{ "exclusive", test_exclusive },
	{ "stats", test_stats },
	{ "no_stats", test_no_stats },
	{ "admin", test_admin },
	{ "vanish_during_open", test_vanish_during_open },
};

/* One listening socket for every case; each accepts its own clients. */
int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);	/* a test failure, not a crash */
	strcpy(dir_path, "/tmp/cti-test-XXXXXX");
	if (!mkdtemp(dir_path)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(sock_path, sizeof(sock_path), "%s/s", dir_path);
	strcpy(sa.sun_path, sock_path);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sa,
				  sizeof(sa)) || listen(listen_fd, 4)) {
		perror("listen");
		return 1;
	}
	ret = t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
	close(listen_fd);
	unlink(sock_path);
	rmdir(dir_path);
	return ret;
}
