// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_wire.c - the codec: every frame type round-trips, every class of
 * malformed input is refused with its own errno
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "harness.h"
#include "wire.h"

static uint8_t buf[CTI_WIRE_FRAME_MAX + 64];

/* Bodies of the handshake and the client's requests. */
static void fill_session(unsigned int type, struct cti_wire_frame *f)
{
	switch (type) {
	case CTI_WIRE_BYE:
		f->hdr.id = 0;
		break;
	case CTI_WIRE_HELLO:
		f->hdr.id = 0;
		f->u.hello.version = 1;
		f->u.hello.features = CTI_WIRE_FEAT_ALL | (1ULL << 40);
		f->u.hello.resume_session = 0x1122334455667788ULL;
		f->u.hello.resume_seq = 99;
		strcpy(f->u.hello.client_name, "dial \xc3\xa9t\xc3\xa9");
		break;
	case CTI_WIRE_HELLO_ACK:
		f->hdr.id = 0;
		f->u.hello_ack.version = 1;
		f->u.hello_ack.resume = CTI_WIRE_RESUME_OK;
		f->u.hello_ack.features = CTI_WIRE_FEAT_RESUME;
		f->u.hello_ack.session = 5;
		f->u.hello_ack.seq = 1000;
		f->u.hello_ack.max_frame = CTI_WIRE_FRAME_MAX;
		f->u.hello_ack.uid = 1000;
		f->u.hello_ack.flags = CTI_WIRE_ACK_F_ADMIN;
		strcpy(f->u.hello_ack.server_name, "ctid");
		break;
	case CTI_WIRE_LIST_CALLS:
		f->u.list_calls.line = CTI_LINE_NONE;
		break;
	case CTI_WIRE_OPEN_LINE:
		f->u.open_line.line = 3;
		f->u.open_line.privilege = CTI_WIRE_PRIV_OWNER;
		break;
	case CTI_WIRE_CLOSE_LINE:
		f->u.close_line.line = 3;
		break;
	case CTI_WIRE_COMMAND:
		f->u.command.cmd = CTI_CMD_MAKE_CALL;
		f->u.command.line = 3;
		f->u.command.call = 1;
		f->u.command.call2 = 2;
		f->u.command.arg = 3;
		f->u.command.arg2 = 4;
		f->u.command.data_len = 4;
		memcpy(f->u.command.data, "+101", 4);
		break;
	case CTI_WIRE_SET_PRIVILEGE:
		f->u.set_privilege.line = 1;
		f->u.set_privilege.call = 9;
		f->u.set_privilege.privilege = CTI_WIRE_PRIV_MONITOR;
		break;
	case CTI_WIRE_HANDOFF:
		f->u.handoff.line = 1;
		f->u.handoff.call = 9;
		strcpy(f->u.handoff.target, "recorder");
		break;
	case CTI_WIRE_PROVIDER_LOAD:
	case CTI_WIRE_PROVIDER_UNLOAD:
	case CTI_WIRE_PROVIDER_RELOAD:
		strcpy(f->u.provider_req.name, "sim-2.x_y");
		break;
	case CTI_WIRE_LOGIN:
		strcpy(f->u.login.user, "alice");
		f->u.login.password_len = 6;
		memcpy(f->u.login.password, "s\0cr\xffT", 6);
		break;
	default:
		break;
	}
}

/* Bodies of answers and list items. */
/* Every field of STATS distinct, so that a swapped pair shows. */
static void fill_stats(struct cti_wire_stats *st)
{
	st->uptime_ms = 123456789;
	st->connections = 3;
	st->sessions_attached = 4;
	st->sessions_detached = 5;
	st->lines = 6;
	st->providers_up = 7;
	st->providers_down = 8;
	for (unsigned int i = 0; i < CTI_WIRE_STATS_STATES; i++)
		st->calls[i] = 100 + i;
	st->connections_total = 1ull << 33;
	st->requests_total = 1ull << 34;
	st->errors_total = 1ull << 35;
	st->logins_failed_total = 1ull << 36;
	st->events_total = 1ull << 37;
	st->gaps_total = 1ull << 38;
	st->gap_events_total = 1ull << 39;
	st->events_lost_total = 1ull << 40;
	st->card_overflows = CTI_WIRE_STATS_UNKNOWN;
}

/* The live administration frames (18-25, 74-76). */
static void fill_admin(unsigned int type, struct cti_wire_frame *f)
{
	switch (type) {
	case CTI_WIRE_LIST_ACCOUNTS:
		f->u.account_list.kind = CTI_WIRE_ACCT_GROUP;
		break;
	case CTI_WIRE_ACCOUNT_ADD:
	case CTI_WIRE_ACCOUNT_DEL:
		f->u.account_req.kind = CTI_WIRE_ACCT_GROUP;
		f->u.account_req.flags = type == CTI_WIRE_ACCOUNT_ADD ?
					 CTI_WIRE_ACCT_F_ADMIN : 0;
		strcpy(f->u.account_req.name, "agents");
		break;
	case CTI_WIRE_GRANT:
	case CTI_WIRE_REVOKE:
		f->u.grant.kind = CTI_WIRE_ACCT_USER;
		f->u.grant.right = CTI_WIRE_RIGHT_PICKUP;
		strcpy(f->u.grant.name, "alice");
		strcpy(f->u.grant.spec, "1-4, sim/2*");
		break;
	case CTI_WIRE_SET_PASSWORD:
		strcpy(f->u.set_password.user, "alice");
		strcpy(f->u.set_password.hash, "$y$j9T$salt$hash");
		break;
	case CTI_WIRE_KICK:
		f->u.kick.session = 0x1234567890abcdefULL;
		break;
	case CTI_WIRE_ACCOUNT:
		f->u.account.kind = CTI_WIRE_ACCT_GROUP;
		f->u.account.flags = CTI_WIRE_ACCT_F_VALID;
		strcpy(f->u.account.name, "agents");
		strcpy(f->u.account.lines, "1-8");
		strcpy(f->u.account.monitor, "*");
		strcpy(f->u.account.pickup, "sim/2*");
		strcpy(f->u.account.members, "alice,bob");
		break;
	case CTI_WIRE_SESSION_INFO:
		f->u.session_info.session = 99;
		f->u.session_info.since_ns = 1234567;
		f->u.session_info.uid = 1000;
		f->u.session_info.pid = 4242;
		f->u.session_info.flags = CTI_WIRE_SESS_F_VALID;
		f->u.session_info.lines_open = 3;
		strcpy(f->u.session_info.user, "alice");
		strcpy(f->u.session_info.peer, "[::1]:4433");
		strcpy(f->u.session_info.client_name, "dial");
		break;
	case CTI_WIRE_ADMIN_NOTE:
		f->u.admin_note.error = -EINVAL;
		strcpy(f->u.admin_note.message, "/etc/cti/ctid.conf:12: bad key");
		break;
	}
}

static void fill_answers(unsigned int type, struct cti_wire_frame *f)
{
	switch (type) {
	case CTI_WIRE_REPLY:
		f->u.reply.error = -EBUSY;
		f->u.reply.line = 3;
		f->u.reply.call = 17;
		f->u.reply.req_type = CTI_WIRE_COMMAND;
		f->u.reply.cmd = CTI_CMD_SETUP_TRANSFER;
		break;
	case CTI_WIRE_LINE:
	case CTI_WIRE_EV_LINE_ADDED:
		f->u.line.line = 12;
		f->u.line.status = CTI_LINE_MAINTENANCE;
		f->u.line.ops = (1ULL << CTI_CMD_MAX) - 1;
		f->u.line.uops = 7;
		f->u.line.provider = 2;
		f->u.line.num_calls = 1;
		f->u.line.max_calls = 4;
		f->u.line.allowed = 6;
		f->u.line.privilege = CTI_WIRE_PRIV_OWNER;
		f->u.line.forward_mode = CTI_FORWARD_BUSY;
		f->u.line.dnd = 1;
		f->u.line.num_addresses = CTI_MAX_ADDRESSES;
		strcpy(f->u.line.name, "Reception");
		strcpy(f->u.line.provider_name, "sim");
		strcpy(f->u.line.addresses[0], "101");
		strcpy(f->u.line.addresses[1], "+441234567890");
		strcpy(f->u.line.addresses[2], "*9#");
		strcpy(f->u.line.addresses[3], "1234567890123456789012345678901");
		strcpy(f->u.line.forward_to, "200");
		break;
	case CTI_WIRE_CALL:
		f->u.call.line = 12;
		f->u.call.call = 77;
		f->u.call.state = CTI_CALL_DISCONNECTED;
		f->u.call.reason = CTI_DISC_BUSY;
		f->u.call.origin = CTI_ORIGIN_INTERNAL;
		f->u.call.related_call = 78;
		f->u.call.privilege = CTI_WIRE_PRIV_MONITOR;
		strcpy(f->u.call.caller, "101");
		strcpy(f->u.call.caller_name, "Ann");
		strcpy(f->u.call.called, "102");
		strcpy(f->u.call.called_name, "Bob \xe2\x82\xac");
		break;
	case CTI_WIRE_PROVIDER:
		f->u.provider.id = 1;
		f->u.provider.state = CTI_WIRE_PROVIDER_UP;
		f->u.provider.num_lines = 8;
		strcpy(f->u.provider.name, "sim");
		strcpy(f->u.provider.version, "1.0 (built-in)");
		break;
	case CTI_WIRE_STATS:
		fill_stats(&f->u.stats);
		break;
	case CTI_WIRE_END:
		f->u.end.item_type = CTI_WIRE_CALL;
		f->u.end.count = 3;
		f->u.end.seq = 0;
		break;
	case CTI_WIRE_ERROR:
		f->u.error.error = -EILSEQ;
		f->u.error.bad_type = CTI_WIRE_COMMAND;
		f->u.error.offset = 44;
		strcpy(f->u.error.message, "cti_wire_command.data: bad number");
		break;
	case CTI_WIRE_GAP:
		f->hdr.id = 0;
		f->u.gap.first_seq = 10;
		f->u.gap.last_seq = 19;
		f->u.gap.count = 10;
		break;
	case CTI_WIRE_RESYNC:
		f->hdr.id = 0;
		f->u.resync.reason = CTI_WIRE_RESYNC_OVERFLOW;
		break;
	default:
		break;
	}
}

/* Bodies of events about calls. */
static void fill_call_events(unsigned int type, struct cti_wire_frame *f)
{
	switch (type) {
	case CTI_WIRE_EV_CALL_STATE:
		f->u.call_state.line = 1;
		f->u.call_state.call = 2;
		f->u.call_state.state = CTI_CALL_OFFERING;
		f->u.call_state.reason = CTI_REASON_TRANSFER;
		f->u.call_state.related_call = 3;
		f->u.call_state.privilege = CTI_WIRE_PRIV_OWNER;
		f->u.call_state.timestamp_ns = 1234567890123ULL;
		break;
	case CTI_WIRE_EV_CALL_INFO:
		f->u.call_info.line = 1;
		f->u.call_info.call = 2;
		f->u.call_info.origin = CTI_ORIGIN_INBOUND;
		f->u.call_info.reason = CTI_REASON_UNPARK;
		f->u.call_info.related_call = 5;
		f->u.call_info.changed = CTI_CALL_INFO_CALLER |
					 CTI_CALL_INFO_CALLED;
		f->u.call_info.timestamp_ns = 5;
		strcpy(f->u.call_info.caller, "+4930123");
		strcpy(f->u.call_info.caller_name, "Zoë");
		strcpy(f->u.call_info.called, "101");
		strcpy(f->u.call_info.called_name, "");
		break;
	case CTI_WIRE_EV_DIGITS:
		f->u.digits.line = 1;
		f->u.digits.call = 2;
		f->u.digits.timestamp_ns = 3;
		strcpy(f->u.digits.digits, "0123456789*#ABCD0123456789*#ABCD");
		break;
	default:
		break;
	}
}

/* Bodies of events about lines, phones, agents and providers. */
static void fill_line_events(unsigned int type, struct cti_wire_frame *f)
{
	switch (type) {
	case CTI_WIRE_EV_LINE_STATUS:
		f->u.line_status.line = 1;
		f->u.line_status.status = CTI_LINE_OUT_OF_SERVICE;
		f->u.line_status.num_calls = 2;
		f->u.line_status.forward_mode = CTI_FORWARD_UNCONDITIONAL;
		f->u.line_status.dnd = 0;
		f->u.line_status.timestamp_ns = 4;
		strcpy(f->u.line_status.forward_to, "555");
		break;
	case CTI_WIRE_EV_PHONE_HOOK:
		f->u.phone_hook.line = 1;
		f->u.phone_hook.hookswitch = CTI_HOOKSWITCH_HEADSET;
		f->u.phone_hook.mode = CTI_HOOK_MICSPEAKER;
		f->u.phone_hook.timestamp_ns = 1;
		break;
	case CTI_WIRE_EV_PHONE_BUTTON:
		f->u.phone_button.line = 1;
		f->u.phone_button.button = 11;
		f->u.phone_button.pressed = 1;
		break;
	case CTI_WIRE_EV_LINK_STATE:
		f->u.link_state.line = CTI_LINE_NONE;
		f->u.link_state.state = CTI_LINK_UP;
		strcpy(f->u.link_state.provider_name, "ami");
		break;
	case CTI_WIRE_EV_LINE_REMOVED:
		f->u.line_removed.line = 4;
		f->u.line_removed.timestamp_ns = 8;
		break;
	case CTI_WIRE_EV_PRIVILEGE:
		f->u.privilege.line = 4;
		f->u.privilege.call = 8;
		f->u.privilege.privilege = CTI_WIRE_PRIV_MONITOR;
		break;
	case CTI_WIRE_EV_AGENT_STATE:
		f->u.agent_state.line = 4;
		f->u.agent_state.state = 3;
		f->u.agent_state.reason = 12;
		f->u.agent_state.activity = 99;
		strcpy(f->u.agent_state.groups, "sales,support");
		break;
	case CTI_WIRE_EV_PROVIDER_STATE:
		f->u.provider_state.provider = 2;
		f->u.provider_state.state = CTI_WIRE_PROVIDER_DOWN;
		f->u.provider_state.error = -EIO;
		strcpy(f->u.provider_state.name, "csta");
		break;
	case CTI_WIRE_EV_PHONE_DISPLAY:
		f->u.phone_display.line = 4;
		f->u.phone_display.row = 1;
		f->u.phone_display.col = 2;
		strcpy(f->u.phone_display.text, "Call from 101");
		break;
	case CTI_WIRE_EV_PHONE_LAMP:
		f->u.phone_lamp.line = 4;
		f->u.phone_lamp.lamp = 3;
		f->u.phone_lamp.mode = CTI_LAMP_FLUTTER;
		break;
	case CTI_WIRE_EV_PHONE_RING:
		f->u.phone_ring.line = 4;
		f->u.phone_ring.pattern = 2;
		f->u.phone_ring.volume = 100;
		break;
	case CTI_WIRE_EV_DEV_SPECIFIC:
		f->u.dev_specific.line = CTI_LINE_NONE;
		f->u.dev_specific.data_len = CTI_DEV_SPECIFIC_MAX;
		for (int i = 0; i < CTI_DEV_SPECIFIC_MAX; i++)
			f->u.dev_specific.data[i] = (uint8_t)i;
	default:
		break;
	}
}

/* Bodies of the phone frames (CTI_WIRE_FEAT_PHONE_DEV). */
static void fill_phones(unsigned int type, struct cti_wire_frame *f)
{
	struct cti_wire_phone *p = &f->u.phone;

	switch (type) {
	case CTI_WIRE_LIST_PHONES:
	case CTI_WIRE_CLOSE_PHONE:
		f->u.phone_req.phone = 3;
		break;
	case CTI_WIRE_OPEN_PHONE:
		f->u.open_phone.phone = 3;
		f->u.open_phone.privilege = CTI_WIRE_PRIV_OWNER;
		break;
	case CTI_WIRE_PHONE_COMMAND:
		f->u.phone_command.phone = 3;
		f->u.phone_command.cmd = CTI_CMD_SET_DISPLAY;
		f->u.phone_command.arg = 1;
		f->u.phone_command.arg2 = 4;
		f->u.phone_command.data_len = 5;
		memcpy(f->u.phone_command.data, "Hallo", 5);
		break;
	case CTI_WIRE_PHONE:
	case CTI_WIRE_EV_PHONE_ADDED:
		p->phone = p->line = 3;
		p->hookswitches = CTI_HOOKSWITCH_HANDSET | CTI_HOOKSWITCH_HEADSET;
		p->num_buttons = 16;
		p->num_lamps = p->num_lamps_state = 2;
		p->display_rows = p->num_rows = 2;
		p->display_cols = 40;
		p->num_ring_patterns = 8;
		p->allowed = 1u << CTI_WIRE_PRIV_MONITOR;
		p->privilege = CTI_WIRE_PRIV_MONITOR;
		p->hook[2] = CTI_HOOK_MICSPEAKER;
		p->ring_pattern = 3;
		p->ring_volume = 70;
		p->last_button = 11;
		p->last_pressed = 1;
		strcpy(p->name, "ext101");
		p->lamps[1] = CTI_LAMP_FLUTTER;
		strcpy(p->display[0], "Zoë calls");
		break;
	case CTI_WIRE_EV_PHONE_PRIVILEGE:
		f->u.phone_privilege.phone = 3;
		f->u.phone_privilege.privilege = CTI_WIRE_PRIV_MONITOR;
		f->u.phone_privilege.timestamp_ns = 9;
		break;
	default:
		break;
	}
}

/* A valid, fully populated frame of each type: every field non-trivial. */
static void fill(unsigned int type, struct cti_wire_frame *f)
{
	memset(f, 0, sizeof(*f));
	f->hdr.type = (uint16_t)type;
	f->hdr.id = cti_wire_type_is_event(type) ? 42 : 7;
	/* each fills the types it knows; the rest have empty bodies */
	fill_session(type, f);
	fill_answers(type, f);
	fill_admin(type, f);
	fill_call_events(type, f);
	fill_line_events(type, f);
	fill_phones(type, f);
}


/*
 * Where a command's data (the one array a decode leaves as it was past the
 * NUL after data_len: wire.h) lies in the union: *@off, *@len; false for
 * the other types.
 */
static bool command_data(const struct cti_wire_frame *f, size_t *off,
			 size_t *len)
{
	switch (f->hdr.type) {
	case CTI_WIRE_COMMAND:
		*off = offsetof(struct cti_wire_command, data);
		*len = f->u.command.data_len;
		return true;
	case CTI_WIRE_PHONE_COMMAND:
		*off = offsetof(struct cti_wire_phone_command, data);
		*len = f->u.phone_command.data_len;
		return true;
	default:
		return false;
	}
}

/*
 * @g, decoded over bytes that were all @poison, against the frame @f it
 * was encoded from: the header and the body agree (a command's data as far
 * as the NUL after it), and the decode wrote nothing else.
 */
static bool decoded_as(const struct cti_wire_frame *f,
		       const struct cti_wire_frame *g, uint8_t poison)
{
	const uint8_t *fu = (const uint8_t *)&f->u, *gu = (const uint8_t *)&g->u;
	size_t body = cti_wire_body_size(f->hdr.type), end = body, off, len;

	if (memcmp(&f->hdr, &g->hdr, sizeof(f->hdr)))
		return false;
	if (command_data(f, &off, &len)) {
		end = off + len + 1;
		if (gu[off + len] != 0)
			return false;
		body = off + len;
	}
	if (memcmp(fu, gu, body))
		return false;
	for (size_t i = end; i < sizeof(g->u); i++)
		if (gu[i] != poison)
			return false;
	return true;
}

static void test_roundtrip_all(void)
{
	static struct cti_wire_frame f, g;
	static uint8_t again[CTI_WIRE_FRAME_MAX];
	int types = 0;

	for (unsigned int t = 0; t < CTI_WIRE_TYPE_MAX; t++) {
		struct cti_wire_diag diag = { 0 };
		ssize_t n, m;

		if (!cti_wire_type_dir(t))
			continue;
		types++;
		fill(t, &f);
		n = cti_wire_encode(&f, buf, sizeof(buf), &diag);
		T_EXPECT(n >= CTI_WIRE_HDR_SIZE, "encode %s: %zd at %s",
		      cti_wire_type_name(t), n, diag.field);
		if (n < 0)
			continue;
		memset(&g, 0xa5, sizeof(g));
		m = cti_wire_decode(buf, (size_t)n, cti_wire_type_dir(t), &g,
				    &diag);
		T_EXPECT_EQ(m, n, "%s", cti_wire_type_name(t));
		f.hdr.len = (uint32_t)n;
		T_EXPECT(decoded_as(&f, &g, 0xa5), "%s: decoded differs",
		      cti_wire_type_name(t));
		m = cti_wire_encode(&g, again, sizeof(again), NULL);
		T_EXPECT(m == n && !memcmp(again, buf, (size_t)n),
		      "%s: re-encoding differs", cti_wire_type_name(t));
		/* the other direction refuses it */
		m = cti_wire_decode(buf, (size_t)n,
				    CTI_WIRE_FROM_ANY & ~cti_wire_type_dir(t),
				    &g, NULL);
		T_EXPECT_EQ(m, -ENOMSG, "wrong direction");
		/* every truncation of the body is refused as EBADMSG */
		for (ssize_t cut = CTI_WIRE_HDR_SIZE; cut < n; cut++) {
			uint8_t *p = buf;
			uint32_t len = (uint32_t)cut;
			struct cti_wire_diag d2;

			memcpy(p, &len, 4);	/* the test host is little-endian */
			m = cti_wire_decode(p, (size_t)cut, CTI_WIRE_FROM_ANY,
					    &g, &d2);
			if (m != -EBADMSG) {
				T_EXPECT(0, "%s cut at %zd: %zd",
				      cti_wire_type_name(t), cut, m);
				break;
			}
		}
	}
	/* + phones 4 requests, 1 answer, 2 events; live administration:
	 * 8 requests, 3 answers */
	T_EXPECT_EQ(types, 18 + 11 + 16 + 7 + 8 + 3, "frame types known");
}

/*
 * cti_wire_body_size(): the encoder reads nothing of the union past it
 * (ctid copies only that much of an event before encoding it), so bytes
 * there, however wild, change nothing; and the body's last field ends
 * exactly there.
 */
static void test_body_size(void)
{
	static struct cti_wire_frame f;
	static uint8_t again[CTI_WIRE_FRAME_MAX];

	T_EXPECT_EQ(cti_wire_body_size(0), 0, "unknown type");
	T_EXPECT_EQ(cti_wire_body_size(CTI_WIRE_PING), 0, "empty body");
	T_EXPECT_EQ(cti_wire_body_size(CTI_WIRE_EV_LINE_STATUS),
		    sizeof(f.u.line_status), "EV_LINE_STATUS");
	T_EXPECT_EQ(cti_wire_body_size(CTI_WIRE_REPLY), sizeof(f.u.reply),
		    "REPLY");
	for (unsigned int t = 0; t < CTI_WIRE_TYPE_MAX; t++) {
		size_t body = cti_wire_body_size(t);
		ssize_t n, m;

		if (!cti_wire_type_dir(t))
			continue;
		T_EXPECT(body <= sizeof(f.u), "%s: %zu", cti_wire_type_name(t),
			 body);
		fill(t, &f);
		n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
		memset((uint8_t *)&f.u + body, 0xa5, sizeof(f.u) - body);
		m = cti_wire_encode(&f, again, sizeof(again), NULL);
		T_EXPECT(n > 0 && m == n && !memcmp(buf, again, (size_t)n),
			 "%s: bytes past the body size changed the encoding",
			 cti_wire_type_name(t));
	}
}

/* Encode a valid frame of @type, let @mut damage it, expect @err. */
static void expect(unsigned int type, void (*mut)(struct cti_wire_frame *),
		   int err, const char *what)
{
	static struct cti_wire_frame f, g;
	ssize_t n;

	fill(type, &f);
	if (mut)
		mut(&f);
	n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
	T_EXPECT_EQ(n, err, "%s", what);
	/* the decoder must agree: build the bytes by hand from a good frame
	 * is done in test_bytes(); here the encoder's own refusal counts */
	(void)g;
}

/* Encode a valid frame of @type changed by @mut: true if it encodes. */
static bool expect_ok(unsigned int type, void (*mut)(struct cti_wire_frame *))
{
	static struct cti_wire_frame f;

	fill(type, &f);
	mut(&f);
	return cti_wire_encode(&f, buf, sizeof(buf), NULL) > 0;
}

static void m_flags(struct cti_wire_frame *f) { f->hdr.flags = 1; }
static void m_id0(struct cti_wire_frame *f) { f->hdr.id = 0; }
static void m_id1(struct cti_wire_frame *f) { f->hdr.id = 1; }
static void m_state(struct cti_wire_frame *f) { f->u.call_state.state = CTI_CALL_STATE_MAX; }
static void m_reason(struct cti_wire_frame *f) { f->u.call_state.reason = 99; }
static void m_call0(struct cti_wire_frame *f) { f->u.call_state.call = 0; }
static void m_linenone(struct cti_wire_frame *f) { f->u.call_state.line = CTI_LINE_NONE; }
static void m_number(struct cti_wire_frame *f) { memcpy(f->u.command.data, "1a1", 3); f->u.command.data_len = 3; }
static void m_plus(struct cti_wire_frame *f) { memcpy(f->u.command.data, "1+1", 3); f->u.command.data_len = 3; }
static void m_empty_number(struct cti_wire_frame *f) { f->u.command.data_len = 0; }
static void m_unpark_empty(struct cti_wire_frame *f) { f->u.command.cmd = CTI_CMD_UNPARK; f->u.command.data_len = 0; }
static void m_pickup_empty(struct cti_wire_frame *f) { f->u.command.cmd = CTI_CMD_PICKUP; f->u.command.data_len = 0; }
static void m_park_empty(struct cti_wire_frame *f) { f->u.command.cmd = CTI_CMD_PARK; f->u.command.data_len = 0; }
static void m_forward_none(struct cti_wire_frame *f) { f->u.command.cmd = CTI_CMD_SET_FORWARD; f->u.command.data_len = 0; }
static void m_pickup_bad(struct cti_wire_frame *f) { f->u.command.cmd = CTI_CMD_PICKUP; memcpy(f->u.command.data, "1a", 2); f->u.command.data_len = 2; }
static void m_long_number(struct cti_wire_frame *f) { memset(f->u.command.data, '1', 32); f->u.command.data_len = 32; }
static void m_cmd(struct cti_wire_frame *f) { f->u.command.cmd = CTI_CMD_MAX; }
static void m_cmd_big(struct cti_wire_frame *f) { f->u.command.cmd = 128; }
static void m_drop_data(struct cti_wire_frame *f) { f->u.command.cmd = CTI_CMD_DROP; }
static void m_digits(struct cti_wire_frame *f) { f->u.command.cmd = CTI_CMD_GENERATE_DIGITS; memcpy(f->u.command.data, "12E", 3); f->u.command.data_len = 3; }
static void m_display(struct cti_wire_frame *f) { f->u.command.cmd = CTI_CMD_SET_DISPLAY; memcpy(f->u.command.data, "a\nb", 3); f->u.command.data_len = 3; }
static void m_devspec(struct cti_wire_frame *f) { f->u.command.cmd = CTI_CMD_DEV_SPECIFIC; f->u.command.data_len = CTI_DEV_SPECIFIC_MAX + 1; }
static void m_ucmd_ok(struct cti_wire_frame *f) { f->u.command.cmd = 65; memcpy(f->u.command.data, "a,b", 3); f->u.command.data_len = 3; }
static void m_name_ctrl(struct cti_wire_frame *f) { strcpy(f->u.hello.client_name, "a\x1b[2J"); }
static void m_name_utf8(struct cti_wire_frame *f) { strcpy(f->u.hello.client_name, "\xc0\xaf"); }
static void m_name_surrogate(struct cti_wire_frame *f) { strcpy(f->u.hello.client_name, "\xed\xa0\x80"); }
static void m_name_c1(struct cti_wire_frame *f) { strcpy(f->u.hello.client_name, "\xc2\x85"); }
static void m_name_trunc(struct cti_wire_frame *f) { strcpy(f->u.hello.client_name, "ab\xe2\x82"); }
static void m_name_nonul(struct cti_wire_frame *f) { memset(f->u.hello.client_name, 'x', sizeof(f->u.hello.client_name)); }
static void m_hello_v0(struct cti_wire_frame *f) { f->u.hello.version = 0; }
static void m_hello_rsv(struct cti_wire_frame *f) { f->u.hello.flags = 4; }
static void m_ident_path(struct cti_wire_frame *f) { strcpy(f->u.provider_req.name, "../../etc/x"); }
static void m_ident_dot(struct cti_wire_frame *f) { strcpy(f->u.provider_req.name, ".hidden"); }
static void m_ident_empty(struct cti_wire_frame *f) { f->u.provider_req.name[0] = 0; }
static void m_gap_count(struct cti_wire_frame *f) { f->u.gap.count = 9; }
static void m_gap_order(struct cti_wire_frame *f) { f->u.gap.last_seq = 5; f->u.gap.count = 0; }
static void m_hook_two(struct cti_wire_frame *f) { f->u.phone_hook.hookswitch = 3; }
static void m_addr_count(struct cti_wire_frame *f) { f->u.line.num_addresses = CTI_MAX_ADDRESSES + 1; }
static void m_allowed(struct cti_wire_frame *f) { f->u.line.allowed = 1; }
static void m_ops(struct cti_wire_frame *f) { f->u.line.ops = 1ULL << 40; }
static void m_reply_pos(struct cti_wire_frame *f) { f->u.reply.error = 1; }
static void m_reply_type(struct cti_wire_frame *f) { f->u.reply.req_type = CTI_WIRE_HELLO; }
static void m_error_zero(struct cti_wire_frame *f) { f->u.error.error = 0; }
static void m_end_type(struct cti_wire_frame *f) { f->u.end.item_type = CTI_WIRE_REPLY; }
static void m_digits_empty(struct cti_wire_frame *f) { f->u.digits.digits[0] = 0; }
static void m_open_none(struct cti_wire_frame *f) { f->u.open_line.privilege = 0; }
static void m_open_big(struct cti_wire_frame *f) { f->u.open_line.privilege = 3; }
static void m_session0(struct cti_wire_frame *f) { f->u.hello_ack.session = 0; }
static void m_rsv_ev(struct cti_wire_frame *f) { f->u.line_removed.__reserved = 1; }
static void m_volume(struct cti_wire_frame *f) { f->u.phone_ring.volume = 101; }
static void m_agent(struct cti_wire_frame *f) { f->u.agent_state.state = 64; }

static void test_refusals(void)
{
	expect(CTI_WIRE_COMMAND, m_flags, -EINVAL, "non-zero header flags");
	expect(CTI_WIRE_COMMAND, m_id0, -EINVAL, "request id 0");
	expect(CTI_WIRE_EV_CALL_STATE, m_id0, -EINVAL, "event seq 0");
	expect(CTI_WIRE_HELLO, m_id1, -EINVAL, "HELLO with an id");
	expect(CTI_WIRE_GAP, m_id1, -EINVAL, "GAP with an id");
	expect(CTI_WIRE_EV_CALL_STATE, m_state, -EINVAL, "state out of range");
	expect(CTI_WIRE_EV_CALL_STATE, m_reason, -EINVAL, "reason out of range");
	expect(CTI_WIRE_EV_CALL_STATE, m_call0, -EINVAL, "call handle 0");
	expect(CTI_WIRE_EV_CALL_STATE, m_linenone, -EINVAL, "line NONE");
	expect(CTI_WIRE_COMMAND, m_number, -EILSEQ, "letter in a number");
	expect(CTI_WIRE_COMMAND, m_plus, -EILSEQ, "'+' inside a number");
	expect(CTI_WIRE_COMMAND, m_empty_number, -EINVAL, "MAKE_CALL, no number");
	expect(CTI_WIRE_COMMAND, m_unpark_empty, -EINVAL, "UNPARK, no number");
	expect(CTI_WIRE_COMMAND, m_pickup_empty, 16 + 2 + 2 + 20 + 2,
	       "group PICKUP, no number");
	expect(CTI_WIRE_COMMAND, m_park_empty, 16 + 2 + 2 + 20 + 2,
	       "PARK at any slot");
	expect(CTI_WIRE_COMMAND, m_forward_none, 16 + 2 + 2 + 20 + 2,
	       "SET_FORWARD, no number");
	expect(CTI_WIRE_COMMAND, m_pickup_bad, -EILSEQ, "letter in a PICKUP");
	expect(CTI_WIRE_COMMAND, m_long_number, -ENAMETOOLONG, "32-digit number");
	expect(CTI_WIRE_COMMAND, m_cmd, -EINVAL, "cmd CTI_CMD_MAX");
	expect(CTI_WIRE_COMMAND, m_cmd_big, -EINVAL, "cmd 128");
	expect(CTI_WIRE_COMMAND, m_drop_data, -EINVAL, "DROP with data");
	expect(CTI_WIRE_COMMAND, m_digits, -EILSEQ, "digit E");
	expect(CTI_WIRE_COMMAND, m_display, -EILSEQ, "newline on a display");
	expect(CTI_WIRE_COMMAND, m_devspec, -ENAMETOOLONG, "dev-specific 257");
	expect(CTI_WIRE_COMMAND, m_ucmd_ok, 16 + 2 + 2 + 20 + 2 + 3,
	       "agent group command");
	expect(CTI_WIRE_HELLO, m_name_ctrl, -EILSEQ, "escape in a name");
	expect(CTI_WIRE_HELLO, m_name_utf8, -EILSEQ, "overlong UTF-8");
	expect(CTI_WIRE_HELLO, m_name_surrogate, -EILSEQ, "UTF-8 surrogate");
	expect(CTI_WIRE_HELLO, m_name_c1, -EILSEQ, "C1 control");
	expect(CTI_WIRE_HELLO, m_name_trunc, -EILSEQ, "truncated UTF-8");
	expect(CTI_WIRE_HELLO, m_name_nonul, -ENAMETOOLONG, "unterminated");
	expect(CTI_WIRE_HELLO, m_hello_v0, -EINVAL, "version 0");
	expect(CTI_WIRE_HELLO, m_hello_rsv, -EINVAL, "HELLO flags");
	expect(CTI_WIRE_PROVIDER_LOAD, m_ident_path, -EILSEQ, "path as provider");
	expect(CTI_WIRE_PROVIDER_LOAD, m_ident_dot, -EILSEQ, "dot provider");
	expect(CTI_WIRE_PROVIDER_LOAD, m_ident_empty, -EILSEQ, "empty provider");
	expect(CTI_WIRE_GAP, m_gap_count, -EINVAL, "gap count");
	expect(CTI_WIRE_GAP, m_gap_order, -EINVAL, "gap order");
	expect(CTI_WIRE_EV_PHONE_HOOK, m_hook_two, -EINVAL, "two hookswitches");
	expect(CTI_WIRE_LINE, m_addr_count, -ENAMETOOLONG, "5 addresses");
	expect(CTI_WIRE_LINE, m_allowed, -EINVAL, "allowed bit 0");
	expect(CTI_WIRE_LINE, m_ops, -EINVAL, "unknown op bit");
	expect(CTI_WIRE_REPLY, m_reply_pos, -EINVAL, "positive error");
	expect(CTI_WIRE_REPLY, m_reply_type, -EINVAL, "reply to HELLO");
	expect(CTI_WIRE_ERROR, m_error_zero, -EINVAL, "ERROR 0");
	expect(CTI_WIRE_END, m_end_type, -EINVAL, "END of replies");
	expect(CTI_WIRE_EV_DIGITS, m_digits_empty, -EINVAL, "no digits");
	expect(CTI_WIRE_OPEN_LINE, m_open_none, -EINVAL, "open as NONE");
	expect(CTI_WIRE_OPEN_LINE, m_open_big, -EINVAL, "open as 3");
	expect(CTI_WIRE_HELLO_ACK, m_session0, -EINVAL, "session 0");
	expect(CTI_WIRE_EV_LINE_REMOVED, m_rsv_ev, -EINVAL, "reserved");
	expect(CTI_WIRE_EV_PHONE_RING, m_volume, -EINVAL, "volume 101");
	expect(CTI_WIRE_EV_AGENT_STATE, m_agent, -EINVAL, "agent state 64");
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Damage bytes on the wire: what a hostile peer can send. */
static void test_bytes(void)
{
	static struct cti_wire_frame f, g;
	struct cti_wire_hdr hdr;
	struct cti_wire_diag diag;
	ssize_t n, m;

	/* peek: too short for a header, bad lengths */
	T_EXPECT_EQ(cti_wire_peek(buf, 15, &hdr), 0, "peek short");
	put32(buf, 15);
	T_EXPECT_EQ(cti_wire_peek(buf, 16, &hdr), -EMSGSIZE, "len 15");
	put32(buf, CTI_WIRE_FRAME_MAX + 1);
	T_EXPECT_EQ(cti_wire_peek(buf, 16, &hdr), -EMSGSIZE, "len max+1");
	T_EXPECT_EQ(cti_wire_decode(buf, 16, CTI_WIRE_FROM_ANY, &g, NULL),
		 -EMSGSIZE, "decode len max+1");
	T_EXPECT_EQ(cti_wire_decode(buf, 3, CTI_WIRE_FROM_ANY, &g, NULL),
		 -EBADMSG, "decode 3 bytes");

	/* unknown types */
	fill(CTI_WIRE_PING, &f);
	n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
	T_EXPECT_EQ(n, 16, "PING size");
	T_EXPECT_EQ(cti_wire_peek(buf, (size_t)n, &hdr), 16, "peek PING");
	for (unsigned int t = 0; t < 65536; t += (t < 200 ? 1 : 977)) {
		buf[4] = (uint8_t)t;
		buf[5] = (uint8_t)(t >> 8);
		m = cti_wire_decode(buf, 16, CTI_WIRE_FROM_ANY, &g, NULL);
		if (!cti_wire_type_dir(t))
			T_EXPECT_EQ(m, -ENOMSG, "unknown type");
	}

	/* the buffer is shorter than hdr.len */
	fill(CTI_WIRE_EV_CALL_INFO, &f);
	n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
	T_EXPECT_EQ(cti_wire_decode(buf, (size_t)n - 1, CTI_WIRE_FROM_ANY, &g,
				 NULL), -EBADMSG, "buffer shorter than len");

	/* trailing bytes */
	buf[n] = 0;
	put32(buf, (uint32_t)n + 1);
	m = cti_wire_decode(buf, (size_t)n + 1, CTI_WIRE_FROM_ANY, &g, &diag);
	T_EXPECT_EQ(m, -EBADMSG, "trailing byte");
	T_EXPECT(diag.offset == (uint32_t)n, "trailing offset %u", diag.offset);

	/* a string length past its bound: caller (offset 16 + 40) */
	put32(buf, (uint32_t)n);
	T_EXPECT_EQ(buf[56], 8, "caller length byte");
	buf[56] = 32;
	m = cti_wire_decode(buf, (size_t)n, CTI_WIRE_FROM_ANY, &g, &diag);
	T_EXPECT_EQ(m, -ENAMETOOLONG, "caller 32 bytes");
	T_EXPECT(diag.offset == 56 && !strcmp(diag.field,
					   "cti_wire_ev_call_info.caller"),
	      "diag %u %s", diag.offset, diag.field);
	/* a string length past the frame */
	buf[56] = 30;
	m = cti_wire_decode(buf, (size_t)n, CTI_WIRE_FROM_ANY, &g, &diag);
	T_EXPECT(m == -EBADMSG || m == -EILSEQ, "caller past the frame: %zd", m);
	/* a bad character */
	buf[56] = 8;
	buf[57] = 'x';
	m = cti_wire_decode(buf, (size_t)n, CTI_WIRE_FROM_ANY, &g, &diag);
	T_EXPECT_EQ(m, -EILSEQ, "x in a number");
	/* a NUL inside a name */
	buf[57] = '+';
	buf[67] = 0;	/* inside caller_name "Zoë" */
	m = cti_wire_decode(buf, (size_t)n, CTI_WIRE_FROM_ANY, &g, &diag);
	T_EXPECT_EQ(m, -EILSEQ, "NUL inside a name");

	/* encode into too small a buffer */
	fill(CTI_WIRE_LINE, &f);
	T_EXPECT_EQ(cti_wire_encode(&f, buf, 40, NULL), -ENOSPC, "ENOSPC");
	T_EXPECT_EQ(cti_wire_encode(&f, buf, 8, NULL), -ENOSPC, "ENOSPC hdr");

	/* a blob longer than the frame says */
	fill(CTI_WIRE_COMMAND, &f);
	f.u.command.cmd = CTI_CMD_SEND_LINK_FRAME;
	f.u.command.data_len = CTI_LINK_FRAME_MAX;
	memset(f.u.command.data, 0xff, CTI_LINK_FRAME_MAX);
	n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
	T_EXPECT_EQ(n, 16 + 2 + 2 + 20 + 2 + CTI_LINK_FRAME_MAX, "link frame");
	buf[40] = 0xff;
	buf[41] = 0xff;
	T_EXPECT_EQ(cti_wire_decode(buf, (size_t)n, CTI_WIRE_FROM_CLIENT, &g,
				 NULL), -ENAMETOOLONG, "blob 65535");
	buf[40] = 0x01;
	buf[41] = 0x04;	/* 1025 */
	T_EXPECT_EQ(cti_wire_decode(buf, (size_t)n, CTI_WIRE_FROM_CLIENT, &g,
				 NULL), -ENAMETOOLONG, "blob 1025");
	buf[40] = 0x00;
	buf[41] = 0x04;	/* 1024 */
	T_EXPECT_EQ(cti_wire_decode(buf, (size_t)n, CTI_WIRE_FROM_CLIENT, &g,
				 NULL), n, "blob 1024");
}

/* Random bytes and random damage: never a crash, always a known errno. */
static void test_random(void)
{
	static struct cti_wire_frame f, g;
	unsigned int seed = 12345;
	int bad = 0;

	for (int i = 0; i < 200000; i++) {
		unsigned int t;
		ssize_t n, m;

		do
			t = (unsigned int)rand_r(&seed) % CTI_WIRE_TYPE_MAX;
		while (!cti_wire_type_dir(t));
		fill(t, &f);
		n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
		if (n < 0)
			continue;
		for (int k = rand_r(&seed) % 4; k >= 0; k--)
			buf[rand_r(&seed) % n] = (uint8_t)rand_r(&seed);
		m = cti_wire_decode(buf, (size_t)n, CTI_WIRE_FROM_ANY, &g,
				    NULL);
		if (m >= 0) {
			uint8_t out[CTI_WIRE_FRAME_MAX];

			if (cti_wire_encode(&g, out, sizeof(out), NULL) != m ||
			    memcmp(out, buf, (size_t)m))
				bad++;
		} else if (m != -EMSGSIZE && m != -ENOMSG && m != -EINVAL &&
			   m != -EBADMSG && m != -ENAMETOOLONG &&
			   m != -EILSEQ) {
			bad++;
		}
	}
	T_EXPECT_EQ(bad, 0, "random damage: decoded frames re-encode exactly");
}

static void test_classes(void)
{
	T_EXPECT_EQ(cti_wire_check_number("+123*#", 6), 0, "number");
	T_EXPECT_EQ(cti_wire_check_number("", 0), 0, "empty number");
	T_EXPECT_EQ(cti_wire_check_number("12 3", 4), -EILSEQ, "space");
	T_EXPECT_EQ(cti_wire_check_digits("ABCD*#09", 8), 0, "digits");
	T_EXPECT_EQ(cti_wire_check_digits("a", 1), -EILSEQ, "lower digit");
	T_EXPECT_EQ(cti_wire_check_name("\xf0\x9f\x93\x9e phone", 10), 0, "emoji");
	T_EXPECT_EQ(cti_wire_check_name("\xf4\x90\x80\x80", 4), -EILSEQ,
		 "above U+10FFFF");
	T_EXPECT_EQ(cti_wire_check_name("\x7f", 1), -EILSEQ, "DEL");
	T_EXPECT_EQ(cti_wire_check_name("\xff", 1), -EILSEQ, "0xff");
	T_EXPECT_EQ(cti_wire_check_ident("sim", 3), 0, "ident");
	T_EXPECT_EQ(cti_wire_check_ident("a/b", 3), -EILSEQ, "slash");
	T_EXPECT(!strcmp(cti_wire_type_name(CTI_WIRE_GAP), "GAP"), "GAP name");
	T_EXPECT(!strcmp(cti_wire_type_name(200), "?"), "unknown name");
}

/* test_wire DIR: write one valid frame of each type, the fuzzer's seeds. */
static int write_corpus(const char *dir)
{
	static struct cti_wire_frame f;

	for (unsigned int t = 0; t < CTI_WIRE_TYPE_MAX; t++) {
		char path[4096];
		FILE *fp;
		ssize_t n;

		if (!cti_wire_type_dir(t))
			continue;
		fill(t, &f);
		n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
		snprintf(path, sizeof(path), "%s/%s", dir, cti_wire_type_name(t));
		fp = fopen(path, "wb");
		if (!fp || n < 0 || fwrite(buf, 1, (size_t)n, fp) != (size_t)n) {
			perror(path);
			return 1;
		}
		fclose(fp);
	}
	return 0;
}

static void m_ph_lamps(struct cti_wire_frame *f) { f->u.phone.num_lamps_state = 1; }
static void m_ph_lampmode(struct cti_wire_frame *f) { f->u.phone.lamps[0] = CTI_LAMP_FLUTTER + 1; }
static void m_ph_rows(struct cti_wire_frame *f) { f->u.phone.num_rows = 1; }
static void m_ph_wide(struct cti_wire_frame *f) { f->u.phone.display_cols = 4; }
static void m_ph_button(struct cti_wire_frame *f) { f->u.phone.last_button = 16; }
static void m_ph_nobutton(struct cti_wire_frame *f) { f->u.phone.last_button = CTI_WIRE_BUTTON_NONE; }
static void m_ph_hook(struct cti_wire_frame *f) { f->u.phone.hook[1] = CTI_HOOK_MICSPEAKER + 1; }
static void m_ph_toomany(struct cti_wire_frame *f) { f->u.phone.display_rows = f->u.phone.num_rows = CTI_WIRE_PHONE_ROWS_MAX + 1; }
static void m_pc_cmd(struct cti_wire_frame *f) { f->u.phone_command.cmd = CTI_CMD_MAKE_CALL; }
static void m_pc_hookdata(struct cti_wire_frame *f) { f->u.phone_command.cmd = CTI_CMD_SET_HOOK; }
static void m_pc_ctrl(struct cti_wire_frame *f) { f->u.phone_command.data[0] = '\n'; }
static void m_pc_long(struct cti_wire_frame *f) { f->u.phone_command.data_len = CTI_DISPLAY_MAX + 1; memset(f->u.phone_command.data, 'x', CTI_DISPLAY_MAX + 1); }
static void m_pc_devspec(struct cti_wire_frame *f) { f->u.phone_command.cmd = CTI_CMD_DEV_SPECIFIC; f->u.phone_command.data_len = CTI_DEV_SPECIFIC_MAX; }
static void m_op_none(struct cti_wire_frame *f) { f->u.open_phone.privilege = CTI_WIRE_PRIV_NONE; }
static void m_pr_rsv(struct cti_wire_frame *f) { f->u.phone_req.__reserved = 1; }

/* The phone frames refuse what does not fit their capabilities or command. */
static void test_phone_refusals(void)
{
	expect(CTI_WIRE_PHONE, m_ph_lamps, -EINVAL, "lamp states != lamps");
	expect(CTI_WIRE_PHONE, m_ph_lampmode, -EINVAL, "lamp mode");
	expect(CTI_WIRE_PHONE, m_ph_rows, -EINVAL, "rows != display rows");
	expect(CTI_WIRE_PHONE, m_ph_wide, -ENAMETOOLONG, "row wider than display");
	expect(CTI_WIRE_PHONE, m_ph_button, -EINVAL, "button past the last");
	expect(CTI_WIRE_EV_PHONE_ADDED, m_ph_hook, -EINVAL, "hook mode");
	expect(CTI_WIRE_PHONE, m_ph_toomany, -EINVAL, "rows past the bound");
	T_EXPECT(expect_ok(CTI_WIRE_PHONE, m_ph_nobutton), "no button yet");
	expect(CTI_WIRE_PHONE_COMMAND, m_pc_cmd, -EINVAL, "a line command");
	expect(CTI_WIRE_PHONE_COMMAND, m_pc_hookdata, -EINVAL, "SET_HOOK with data");
	expect(CTI_WIRE_PHONE_COMMAND, m_pc_ctrl, -EILSEQ, "display control character");
	expect(CTI_WIRE_PHONE_COMMAND, m_pc_long, -ENAMETOOLONG, "display text too long");
	T_EXPECT(expect_ok(CTI_WIRE_PHONE_COMMAND, m_pc_devspec), "device-specific bytes");
	expect(CTI_WIRE_OPEN_PHONE, m_op_none, -EINVAL, "open as NONE");
	expect(CTI_WIRE_LIST_PHONES, m_pr_rsv, -EINVAL, "reserved field");
}

static const struct t_case cases[] = {
	{ "roundtrip_all", test_roundtrip_all },
	{ "body_size", test_body_size },
	{ "refusals", test_refusals },
	{ "phone_refusals", test_phone_refusals },
	{ "bytes", test_bytes },
	{ "classes", test_classes },
	{ "random", test_random },
};

/* test_wire --seeds DIR writes the fuzzers' seed corpus instead. */
int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--seeds"))
		return write_corpus(argv[2]);
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
