// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_frames: what ctid does with frames no correct client sends.
 *
 * doc/protocol.md ("What ctid does with a bad frame"): a length out of
 * range gets ERROR (id 0) and a close; any other decoding error gets one
 * ERROR carrying the frame's id, with the errno the codec gives, and the
 * connection stays; too many bad frames get a disconnect. Whatever a
 * client sends, the daemon keeps serving everyone else.
 *
 * The expected errno of every crafted frame is first asked of the codec
 * itself (cti_wire_decode), and the test also pins the value it expects, so
 * a test fails both when ctid disagrees with the codec and when the codec
 * accepts what it must not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "rawclient.h"

static struct t_ctid d;

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* A header; returns where the body starts. */
static uint8_t *hdr(uint8_t *b, uint32_t len, uint16_t type, uint16_t flags,
		    uint64_t id)
{
	put32(b, len);
	put16(b + 4, type);
	put16(b + 6, flags);
	put64(b + 8, id);
	return b + CTI_WIRE_HDR_SIZE;
}

static void start(void)
{
	T_ASSERT(t_ctid_start(&d, t_conf_default(4, NULL)) == 0, "ctid start");
}

static void stop(void)
{
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

static void session(struct rc *c, const char *name)
{
	rc_session(c, d.sock, name);
	T_EXPECT_EQ(c->ack.resume, CTI_WIRE_RESUME_NEW);
}

/* A PING on @c is answered by a PONG with its id, and nothing else first. */
static void expect_ping(struct rc *c)
{
	struct cti_wire_frame f;
	int64_t id = rc_simple(c, CTI_WIRE_PING);
	int rc;

	T_ASSERT(id > 0, "send PING: %s", strerror((int)-id));
	rc = rc_recv(c, &f, 5000);
	T_ASSERT(rc == 1, "no PONG: %d", rc);
	T_ASSERT(f.hdr.type == CTI_WIRE_PONG, "got %s instead of PONG",
		 cti_wire_type_name(f.hdr.type));
	T_EXPECT_EQ(f.hdr.id, id);
}

/* ctid is alive and a new client gets served from start to end. */
static void expect_serving(void)
{
	struct cti_wire_line lines[8];
	struct rc c;
	int n;

	T_ASSERT(t_ctid_alive(&d), "ctid died");
	session(&c, "bystander");
	expect_ping(&c);
	n = rc_list_lines(&c, lines, 8);
	T_EXPECT_EQ(n, 4);
	rc_close(&c);
}

/* The peer closes within @ms (reading and discarding what comes first). */
static void expect_closed(struct rc *c, int ms)
{
	int64_t deadline = t_now_ms() + ms;
	struct cti_wire_frame f;
	int rc;

	do {
		rc = rc_recv(c, &f, 200);
		if (rc == -EPIPE)
			return;
	} while (t_now_ms() < deadline);
	T_EXPECT(0, "connection still open after %d ms (last rc %d)", ms, rc);
}

/*
 * Send @len bytes at @buf on a fresh session and check the ERROR: the
 * codec's errno (which must be @want), the frame's id @id, bad_type, and
 * then either a close (@closes) or a connection that still works.
 */
static void expect_error(const void *buf, size_t len, int want, uint64_t id,
			 uint16_t type, bool closes)
{
	struct cti_wire_frame f;
	struct cti_wire_diag diag = { 0, NULL };
	struct rc c;
	ssize_t codec;
	int rc;

	codec = cti_wire_decode(buf, len, CTI_WIRE_FROM_CLIENT, &f, &diag);
	if (codec == -EMSGSIZE || len < CTI_WIRE_HDR_SIZE ||
	    cti_wire_peek(buf, len, &f.hdr) < 0)
		codec = -EMSGSIZE;
	T_EXPECT(codec == want, "the codec says %zd (%s at %s), want %d",
		 codec, codec < 0 ? strerror((int)-codec) : "accepted",
		 diag.field ? diag.field : "-", want);

	session(&c, "bad");
	rc = rc_send_raw(&c, buf, len);
	T_ASSERT(rc == 0, "send: %s", strerror(-rc));
	rc = rc_recv(&c, &f, 5000);
	T_ASSERT(rc == 1, "no ERROR frame (rc %d)", rc);
	T_ASSERT(f.hdr.type == CTI_WIRE_ERROR, "got %s instead of ERROR",
		 cti_wire_type_name(f.hdr.type));
	T_EXPECT_EQ(f.u.error.error, want);
	T_EXPECT_EQ(f.hdr.id, id);
	/* a type beyond the protocol's range may be reported as 0 */
	if (!closes && (type < CTI_WIRE_TYPE_MAX || f.u.error.bad_type))
		T_EXPECT_EQ(f.u.error.bad_type, type);
	if (getenv("CTI_TEST_TRACE"))
		t_note("ERROR %d (%s) bad_type %u offset %u: %s",
		       f.u.error.error, strerror(-f.u.error.error),
		       f.u.error.bad_type, f.u.error.offset, f.u.error.message);
	if (closes)
		expect_closed(&c, 3000);
	else
		expect_ping(&c);	/* still open, and no second answer */
	rc_close(&c);
	expect_serving();
}

/* Length */

static void len_below_header(void)
{
	uint8_t b[32];

	start();
	hdr(b, 15, CTI_WIRE_PING, 0, 5);
	expect_error(b, 16, -EMSGSIZE, 0, 0, true);
	stop();
}

static void len_zero(void)
{
	uint8_t b[16];

	start();
	hdr(b, 0, 0, 0, 0);
	expect_error(b, 16, -EMSGSIZE, 0, 0, true);
	stop();
}

static void len_above_max(void)
{
	uint8_t b[16];

	start();
	hdr(b, CTI_WIRE_FRAME_MAX + 1, CTI_WIRE_PING, 0, 5);
	expect_error(b, 16, -EMSGSIZE, 0, 0, true);
	stop();
}

static void len_huge(void)
{
	uint8_t b[16];

	start();
	hdr(b, 0xffffffffu, CTI_WIRE_COMMAND, 0, 5);
	expect_error(b, 16, -EMSGSIZE, 0, 0, true);
	stop();
}

/*
 * The largest frame is allowed in length; as a PING its body is wrong
 * (EBADMSG), but the length itself must not cost the connection.
 */
static void len_max_is_accepted(void)
{
	static uint8_t b[CTI_WIRE_FRAME_MAX];

	start();
	memset(b, 0, sizeof(b));
	hdr(b, CTI_WIRE_FRAME_MAX, CTI_WIRE_PING, 0, 77);
	expect_error(b, sizeof(b), -EBADMSG, 77, CTI_WIRE_PING, false);
	stop();
}

/* Types, flags, ids */

static void unknown_type(void)
{
	uint8_t b[16];

	start();
	hdr(b, 16, 50, 0, 9);
	expect_error(b, 16, -ENOMSG, 9, 50, false);
	hdr(b, 16, 0, 0, 10);
	expect_error(b, 16, -ENOMSG, 10, 0, false);
	hdr(b, 16, 0xffff, 0, 11);
	expect_error(b, 16, -ENOMSG, 11, 0xffff, false);
	stop();
}

static void server_types_from_client(void)
{
	uint8_t b[64];

	start();
	memset(b, 0, sizeof(b));
	hdr(b, 16, CTI_WIRE_PONG, 0, 3);
	expect_error(b, 16, -ENOMSG, 3, CTI_WIRE_PONG, false);
	hdr(b, 16 + 16, CTI_WIRE_REPLY, 0, 4);
	expect_error(b, 32, -ENOMSG, 4, CTI_WIRE_REPLY, false);
	hdr(b, 16 + 24, CTI_WIRE_EV_CALL_STATE, 0, 5);
	expect_error(b, 40, -ENOMSG, 5, CTI_WIRE_EV_CALL_STATE, false);
	stop();
}

static void nonzero_flags(void)
{
	uint8_t b[16];

	start();
	hdr(b, 16, CTI_WIRE_PING, 0x8000, 12);
	expect_error(b, 16, -EINVAL, 12, CTI_WIRE_PING, false);
	stop();
}

static void request_id_zero(void)
{
	uint8_t b[16];

	start();
	hdr(b, 16, CTI_WIRE_LIST_LINES, 0, 0);
	expect_error(b, 16, -EINVAL, 0, CTI_WIRE_LIST_LINES, false);
	stop();
}

/* Bodies */

static void body_short(void)
{
	uint8_t b[32];

	start();
	memset(b, 0, sizeof(b));
	/* OPEN_LINE wants 8 bytes of body; give 4. */
	hdr(b, 20, CTI_WIRE_OPEN_LINE, 0, 21);
	expect_error(b, 20, -EBADMSG, 21, CTI_WIRE_OPEN_LINE, false);
	stop();
}

static void body_trailing(void)
{
	uint8_t b[32];

	start();
	memset(b, 0, sizeof(b));
	hdr(b, 24, CTI_WIRE_LIST_LINES, 0, 22);
	expect_error(b, 24, -EBADMSG, 22, CTI_WIRE_LIST_LINES, false);
	stop();
}

static void enum_out_of_range(void)
{
	uint8_t b[32], *p;

	start();
	memset(b, 0, sizeof(b));
	p = hdr(b, 24, CTI_WIRE_OPEN_LINE, 0, 23);
	put32(p, 0);
	put32(p + 4, 9);	/* privilege */
	expect_error(b, 24, -EINVAL, 23, CTI_WIRE_OPEN_LINE, false);
	stop();
}

static void reserved_nonzero(void)
{
	uint8_t b[32], *p;

	start();
	memset(b, 0, sizeof(b));
	p = hdr(b, 24, CTI_WIRE_CLOSE_LINE, 0, 24);
	put32(p, 0);
	put32(p + 4, 1);	/* reserved */
	expect_error(b, 24, -EINVAL, 24, CTI_WIRE_CLOSE_LINE, false);
	stop();
}

/* A COMMAND frame with @cmd and the data blob @data of @n bytes. */
static size_t command(uint8_t *b, uint64_t id, uint16_t cmd, uint32_t line,
		      const void *data, size_t n)
{
	uint8_t *p = hdr(b, 0, CTI_WIRE_COMMAND, 0, id);
	size_t len;

	memset(p, 0, 26);
	put16(p, cmd);
	put32(p + 4, line);
	put16(p + 24, (uint16_t)n);
	memcpy(p + 26, data, n);
	len = CTI_WIRE_HDR_SIZE + 26 + n;
	put32(b, (uint32_t)len);
	return len;
}

static void bad_number(void)
{
	uint8_t b[128];
	size_t n;

	start();
	n = command(b, 31, CTI_CMD_MAKE_CALL, 0, "12x4", 4);
	expect_error(b, n, -EILSEQ, 31, CTI_WIRE_COMMAND, false);
	n = command(b, 32, CTI_CMD_MAKE_CALL, 0, "12+4", 4);
	expect_error(b, n, -EILSEQ, 32, CTI_WIRE_COMMAND, false);
	n = command(b, 33, CTI_CMD_MAKE_CALL, 0, "20\0" "1", 4);
	expect_error(b, n, -EILSEQ, 33, CTI_WIRE_COMMAND, false);
	n = command(b, 34, CTI_CMD_MAKE_CALL, 0,
		    "0123456789012345678901234567890123456789", 40);
	expect_error(b, n, -ENAMETOOLONG, 34, CTI_WIRE_COMMAND, false);
	stop();
}

static void bad_digits(void)
{
	uint8_t b[128];
	size_t n;

	start();
	n = command(b, 41, CTI_CMD_GENERATE_DIGITS, 0, "12E", 3);
	expect_error(b, n, -EILSEQ, 41, CTI_WIRE_COMMAND, false);
	stop();
}

static void bad_text(void)
{
	uint8_t b[256];
	size_t n;

	start();
	/* a control character */
	n = command(b, 51, CTI_CMD_SET_DISPLAY, 0, "hi\athere", 8);
	expect_error(b, n, -EILSEQ, 51, CTI_WIRE_COMMAND, false);
	/* an overlong encoding of '/' */
	n = command(b, 52, CTI_CMD_SET_DISPLAY, 0, "a\xc0\xaf", 3);
	expect_error(b, n, -EILSEQ, 52, CTI_WIRE_COMMAND, false);
	/* a UTF-16 surrogate */
	n = command(b, 53, CTI_CMD_SET_DISPLAY, 0, "\xed\xa0\x80", 3);
	expect_error(b, n, -EILSEQ, 53, CTI_WIRE_COMMAND, false);
	/* truncated sequence */
	n = command(b, 54, CTI_CMD_SET_DISPLAY, 0, "ab\xe2\x82", 4);
	expect_error(b, n, -EILSEQ, 54, CTI_WIRE_COMMAND, false);
	stop();
}

static void blob_past_end(void)
{
	uint8_t b[128];
	size_t n;

	start();
	n = command(b, 61, CTI_CMD_MAKE_CALL, 0, "2001", 4);
	/* the blob claims 20 bytes, the frame has 4 */
	put16(b + CTI_WIRE_HDR_SIZE + 24, 20);
	expect_error(b, n, -EBADMSG, 61, CTI_WIRE_COMMAND, false);
	stop();
}

static void unknown_command(void)
{
	uint8_t b[128];
	size_t n;

	start();
	n = command(b, 71, 40, 0, "", 0);
	expect_error(b, n, -EINVAL, 71, CTI_WIRE_COMMAND, false);
	n = command(b, 72, 200, 0, "", 0);
	expect_error(b, n, -EINVAL, 72, CTI_WIRE_COMMAND, false);
	stop();
}

/* A provider name is an ident, never a path (the AMI lesson). */
static void provider_name_is_not_a_path(void)
{
	const char *names[] = { "../../tmp/evil", "/etc/passwd", "a/b",
				".hidden", "" };
	uint8_t b[128], *p;
	size_t i, len;

	start();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		len = strlen(names[i]);
		p = hdr(b, (uint32_t)(CTI_WIRE_HDR_SIZE + 1 + len),
			CTI_WIRE_PROVIDER_LOAD, 0, 80 + i);
		p[0] = (uint8_t)len;
		memcpy(p + 1, names[i], len);
		expect_error(b, CTI_WIRE_HDR_SIZE + 1 + len, -EILSEQ, 80 + i,
			     CTI_WIRE_PROVIDER_LOAD, false);
	}
	stop();
}

/* Session rules */

static void request_before_hello(void)
{
	struct cti_wire_frame f;
	uint8_t b[16];
	struct rc c;
	int rc;

	start();
	T_ASSERT(rc_connect(&c, d.sock) == 0, "connect");
	hdr(b, 16, CTI_WIRE_LIST_LINES, 0, 3);
	T_ASSERT(rc_send_raw(&c, b, 16) == 0, "send");
	rc = rc_recv(&c, &f, 5000);
	T_ASSERT(rc == 1, "no answer (rc %d)", rc);
	T_EXPECT(f.hdr.type == CTI_WIRE_ERROR, "got %s",
		 cti_wire_type_name(f.hdr.type));
	T_EXPECT_EQ(f.u.error.error, -EINVAL);
	expect_closed(&c, 3000);
	rc_close(&c);
	expect_serving();
	stop();
}

static void hello_twice(void)
{
	struct cti_wire_frame f;
	struct rc c;
	int64_t id;
	int rc;

	start();
	session(&c, "twice");
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_HELLO;
	f.u.hello.version = CTI_WIRE_VERSION;
	id = rc_send(&c, &f);
	T_ASSERT(id >= 0, "send");
	rc = rc_recv(&c, &f, 5000);
	/* A second HELLO is a protocol error, answered once, not obeyed. */
	T_ASSERT(rc == 1 || rc == -EPIPE, "rc %d", rc);
	if (rc == 1) {
		T_EXPECT(f.hdr.type == CTI_WIRE_ERROR, "got %s",
			 cti_wire_type_name(f.hdr.type));
		T_EXPECT(f.hdr.type != CTI_WIRE_HELLO_ACK, "HELLO obeyed twice");
	}
	rc_close(&c);
	expect_serving();
	stop();
}

static void hello_newer_version(void)
{
	struct cti_wire_frame f;
	struct rc c;
	int rc;

	start();
	T_ASSERT(rc_connect(&c, d.sock) == 0, "connect");
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_HELLO;
	f.u.hello.version = CTI_WIRE_VERSION + 6;
	f.u.hello.features = CTI_WIRE_FEAT_ALL;
	strcpy(f.u.hello.client_name, "future");
	T_ASSERT(rc_send(&c, &f) >= 0, "send");
	rc = rc_recv(&c, &f, 5000);
	T_ASSERT(rc == 1, "no HELLO_ACK (rc %d)", rc);
	T_ASSERT(f.hdr.type == CTI_WIRE_HELLO_ACK, "got %s",
		 cti_wire_type_name(f.hdr.type));
	T_EXPECT_EQ(f.u.hello_ack.version, CTI_WIRE_VERSION);
	T_EXPECT(f.u.hello_ack.session != 0, "session id 0");
	T_EXPECT_EQ(f.u.hello_ack.uid, getuid());
	T_EXPECT(f.u.hello_ack.max_frame >= 1024 &&
		 f.u.hello_ack.max_frame <= CTI_WIRE_FRAME_MAX,
		 "max_frame %u", f.u.hello_ack.max_frame);
	expect_ping(&c);
	rc_close(&c);
	stop();
}

static void hello_version_zero(void)
{
	struct cti_wire_frame f;
	struct cti_wire_diag diag;
	uint8_t b[128], *p;
	struct rc c;
	ssize_t codec;
	int rc;

	start();
	T_ASSERT(rc_connect(&c, d.sock) == 0, "connect");
	memset(b, 0, sizeof(b));
	p = hdr(b, CTI_WIRE_HDR_SIZE + 33, CTI_WIRE_HELLO, 0, 0);
	/* version 0, flags, features, session, seq, empty name */
	memset(p, 0, 33);
	codec = cti_wire_decode(b, CTI_WIRE_HDR_SIZE + 33,
				CTI_WIRE_FROM_CLIENT, &f, &diag);
	T_ASSERT(rc_send_raw(&c, b, CTI_WIRE_HDR_SIZE + 33) == 0, "send");
	rc = rc_recv(&c, &f, 5000);
	T_ASSERT(rc == 1, "no answer (rc %d)", rc);
	T_ASSERT(f.hdr.type == CTI_WIRE_ERROR, "got %s",
		 cti_wire_type_name(f.hdr.type));
	/* The codec's verdict if it refuses version 0, else the session's. */
	T_EXPECT_EQ(f.u.error.error, codec < 0 ? codec : -EPROTONOSUPPORT);
	expect_closed(&c, 3000);
	rc_close(&c);
	expect_serving();
	stop();
}

/* Stream handling */

static void byte_by_byte(void)
{
	uint8_t b[16];
	struct cti_wire_frame f;
	struct rc c;
	int i, rc;

	start();
	session(&c, "slowpoke");
	hdr(b, 16, CTI_WIRE_PING, 0, 4242);
	for (i = 0; i < 16; i++) {
		T_ASSERT(rc_send_raw(&c, b + i, 1) == 0, "send");
		t_sleep_ms(20);
	}
	rc = rc_recv(&c, &f, 5000);
	T_ASSERT(rc == 1, "no PONG (rc %d)", rc);
	T_EXPECT_EQ(f.hdr.type, CTI_WIRE_PONG);
	T_EXPECT_EQ(f.hdr.id, 4242);
	rc_close(&c);
	stop();
}

/* Many frames in one write: each answered once, in order. */
static void many_in_one_write(void)
{
	enum { N = 200 };
	static uint8_t b[N * 16];
	struct cti_wire_frame f;
	struct rc c;
	int i, rc;

	start();
	session(&c, "batch");
	for (i = 0; i < N; i++)
		hdr(b + 16 * i, 16, CTI_WIRE_PING, 0, 1000 + i);
	T_ASSERT(rc_send_raw(&c, b, sizeof(b)) == 0, "send");
	for (i = 0; i < N; i++) {
		rc = rc_recv(&c, &f, 5000);
		T_ASSERT(rc == 1, "PONG %d missing (rc %d)", i, rc);
		T_ASSERT(f.hdr.type == CTI_WIRE_PONG && f.hdr.id == 1000u + i,
			 "frame %d: %s id %llu", i,
			 cti_wire_type_name(f.hdr.type),
			 (unsigned long long)f.hdr.id);
	}
	T_EXPECT_EQ(rc_recv(&c, &f, 200), 0);
	rc_close(&c);
	stop();
}

static void half_frame_then_close(void)
{
	uint8_t b[16];
	struct rc c;
	int i;

	start();
	for (i = 0; i < 20; i++) {
		session(&c, "half");
		hdr(b, 40, CTI_WIRE_OPEN_LINE, 0, 7);
		T_ASSERT(rc_send_raw(&c, b, 10 + i % 6) == 0, "send");
		rc_close(&c);
	}
	expect_serving();
	stop();
}

/* Bad frames without end: the client is cut off, the daemon is not hurt. */
static void bad_frame_flood(void)
{
	uint8_t b[16];
	struct rc c;
	int i, sent = 0;

	start();
	session(&c, "flood");
	for (i = 0; i < 100000; i++) {
		hdr(b, 16, 50, 0, (uint64_t)i + 1);
		if (rc_send_raw(&c, b, 16) < 0)
			break;
		sent++;
		if (i % 64 == 0)
			rc_drain(&c, 0);
	}
	t_note("%d bad frames sent before the cut", sent);
	expect_closed(&c, 5000);
	rc_close(&c);
	expect_serving();
	stop();
}

static void random_garbage(void)
{
	static uint8_t b[65536];
	struct rc c;
	unsigned int seed;
	size_t i;

	start();
	for (seed = 1; seed <= 16; seed++) {
		srandom(seed);
		for (i = 0; i < sizeof(b); i++)
			b[i] = (uint8_t)random();
		session(&c, "garbage");
		/* ctid may close the socket before it has read it all. */
		rc_send_raw(&c, b, sizeof(b));
		expect_closed(&c, 5000);
		rc_close(&c);
	}
	expect_serving();
	stop();
}

/*
 * Random mutations of valid frames: whatever the codec says of the bytes,
 * ctid answers each frame before it answers the PING sent after it (or
 * closes, if the mutation made a second HELLO), and stays up.
 */
static void mutated_frames(void)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX + 16];
	struct cti_wire_frame f;
	struct rc c;
	ssize_t n;
	int i, rc, answers, closes = 0, silent = 0;

	start();
	session(&c, "mutant");
	srandom(4711);
	for (i = 0; i < 2000; i++) {
		uint64_t fence = (1ull << 40) + (uint64_t)i;

		memset(&f, 0, sizeof(f));
		f.hdr.type = CTI_WIRE_COMMAND;
		f.hdr.id = (uint64_t)i + 1;
		f.u.command.cmd = CTI_CMD_MAKE_CALL;
		f.u.command.data_len = 4;
		memcpy(f.u.command.data, "2001", 4);
		n = cti_wire_encode(&f, buf, CTI_WIRE_FRAME_MAX, NULL);
		T_ASSERT(n > 0, "encode");
		/* flip one byte past the length field */
		buf[4 + random() % (n - 4)] ^= (uint8_t)(1 + random() % 255);
		hdr(buf + n, 16, CTI_WIRE_PING, 0, fence);
		if (rc_send_raw(&c, buf, (size_t)n + 16) < 0) {
			closes++;
			rc_close(&c);
			session(&c, "mutant");
			continue;
		}
		answers = 0;
		for (;;) {
			rc = rc_recv(&c, &f, 3000);
			if (rc != 1)
				break;
			if (f.hdr.type == CTI_WIRE_PONG && f.hdr.id == fence)
				break;
			answers++;
		}
		if (rc == -EPIPE) {
			closes++;
			rc_close(&c);
			session(&c, "mutant");
			continue;
		}
		T_ASSERT(rc == 1, "frame %d: no PONG (rc %d)", i, rc);
		if (!answers)
			silent++;
	}
	t_note("2000 mutated frames: %d closes, %d unanswered", closes, silent);
	T_EXPECT(silent == 0, "%d frames got no answer", silent);
	T_EXPECT(closes < 100, "%d closes", closes);
	rc_close(&c);
	expect_serving();
	stop();
}

/* Requests ctid understands but refuses get a REPLY, not an ERROR. */
static void refused_requests_reply(void)
{
	struct cti_wire_frame f;
	struct rc c;
	int rc;

	start();
	session(&c, "refused");
	rc = rc_command_sync(&c, CTI_CMD_MAKE_CALL, 987654, 0, 0, 0, 0, "2001",
			     NULL);
	T_EXPECT_EQ(rc, -ENOENT);
	/* A line that exists but is not open. */
	rc = rc_list_lines(&c, &f.u.line, 1);
	T_ASSERT(rc >= 1, "list: %d", rc);
	rc = rc_command_sync(&c, CTI_CMD_MAKE_CALL, f.u.line.line, 0, 0, 0, 0,
			     "2001", NULL);
	T_EXPECT_EQ(rc, -EBADF);
	rc = rc_open_line(&c, 987654, CTI_WIRE_PRIV_OWNER);
	T_EXPECT_EQ(rc, -ENOENT);
	expect_ping(&c);
	rc_close(&c);
	stop();
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(len_below_header),
		T_CASE(len_zero),
		T_CASE(len_above_max),
		T_CASE(len_huge),
		T_CASE(len_max_is_accepted),
		T_CASE(unknown_type),
		T_CASE(server_types_from_client),
		T_CASE(nonzero_flags),
		T_CASE(request_id_zero),
		T_CASE(body_short),
		T_CASE(body_trailing),
		T_CASE(enum_out_of_range),
		T_CASE(reserved_nonzero),
		T_CASE(bad_number),
		T_CASE(bad_digits),
		T_CASE(bad_text),
		T_CASE(blob_past_end),
		T_CASE(unknown_command),
		T_CASE(provider_name_is_not_a_path),
		T_CASE(request_before_hello),
		T_CASE(hello_twice),
		T_CASE(hello_newer_version),
		T_CASE(hello_version_zero),
		T_CASE(byte_by_byte),
		T_CASE(many_in_one_write),
		T_CASE(half_frame_then_close),
		T_CASE_TIMEOUT(bad_frame_flood, 60),
		T_CASE_TIMEOUT(random_garbage, 120),
		T_CASE_TIMEOUT(mutated_frames, 120),
		T_CASE(refused_requests_reply),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
