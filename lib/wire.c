// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * wire.c - encode and decode the frames of doc/protocol.md
 *
 * Each frame type is described once, by a table of its body's fields (kind,
 * offset in the C struct, bounds, string class). One walker decodes and one
 * encodes by that table, so the two directions cannot drift apart and every
 * field of every type gets the same checks. Each table has its own copy of
 * both walkers, unrolled over its constant fields (CODEC()), so that what
 * runs is straight-line code per type. What a table cannot say (a
 * command's data depends on its cmd, a gap's count on its range) is checked
 * by a small per-type hook that runs after the walk, on the C struct, in
 * both directions.
 *
 * The decoder reads only inside [buf, buf + hdr.len) and writes only into
 * the frame it was given; every length is checked before it is used.
 */
#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "wire.h"

enum field_kind {
	FK_U16,
	FK_U32,
	FK_S32,
	FK_U64,
	FK_STR,		/* u8 length + bytes into a char array */
	FK_BLOB,	/* u16 length + bytes into a u8 array; u32 length field */
	FK_STRLIST,	/* u8 count + strings into char [K][N]; u32 count */
};

enum str_class {
	SC_NONE,
	SC_NUMBER,
	SC_DIGITS,
	SC_NAME,	/* names and text: printable UTF-8 */
	SC_IDENT,
};

/* Field flags. */
#define FF_ZERO		0x01	/* reserved: must be zero */
#define FF_MASK		0x02	/* lim is a mask of allowed bits */
#define FF_NONZERO	0x04	/* must not be zero (call handles) */
#define FF_NOTNONE	0x08	/* must not be CTI_LINE_NONE (line ids) */
#define FF_NUL		0x10	/* FK_BLOB: a NUL follows the data (a command's) */

struct field {
	const char *name;
	uint16_t off;		/* of the value (FK_BLOB: of the data array) */
	uint16_t len_off;	/* FK_BLOB, FK_STRLIST: of the u32 count */
	uint8_t kind;
	uint8_t cls;
	uint8_t flags;
	uint8_t count;		/* FK_STRLIST: strings at most */
	uint32_t size;		/* FK_STR: array size; FK_BLOB: max bytes;
				 * FK_STRLIST: size of one string */
	uint64_t lim;		/* integers: largest value or allowed mask */
};

#define NOLIM UINT64_MAX

#define OFF(st, m) ((uint16_t)offsetof(struct st, m))
#define MSIZE(st, m) ((uint32_t)sizeof(((struct st *)0)->m))

#define INT_(k, st, m, l, fl) \
	{ .name = #st "." #m, .off = OFF(st, m), .kind = (k), .flags = (fl), \
	  .lim = (l) }
#define U16(st, m)		INT_(FK_U16, st, m, NOLIM, 0)
#define U32(st, m)		INT_(FK_U32, st, m, NOLIM, 0)
#define U32L(st, m, l)		INT_(FK_U32, st, m, (l), 0)
#define U32M(st, m, l)		INT_(FK_U32, st, m, (l), FF_MASK)
#define U32F(st, m, fl)		INT_(FK_U32, st, m, NOLIM, (fl))
#define S32(st, m)		INT_(FK_S32, st, m, NOLIM, 0)
#define U64(st, m)		INT_(FK_U64, st, m, NOLIM, 0)
#define U64M(st, m, l)		INT_(FK_U64, st, m, (l), FF_MASK)
#define RSV16(st, m)		INT_(FK_U16, st, m, NOLIM, FF_ZERO)
#define RSV32(st, m)		INT_(FK_U32, st, m, NOLIM, FF_ZERO)
#define LINE_ID(st, m)		U32F(st, m, FF_NOTNONE)
#define CALL_ID(st, m)		U32F(st, m, FF_NONZERO)
#define STR(st, m, c) \
	{ .name = #st "." #m, .off = OFF(st, m), .kind = FK_STR, .cls = (c), \
	  .size = MSIZE(st, m) }
#define BLOB_(st, lenm, m, max, fl) \
	{ .name = #st "." #m, .off = OFF(st, m), .len_off = OFF(st, lenm), \
	  .kind = FK_BLOB, .flags = (fl), .size = (max) }
#define BLOB(st, lenm, m, max)		BLOB_(st, lenm, m, max, 0)
/* A command's data: its array has room for the NUL after @max bytes. */
#define BLOB_NUL(st, lenm, m, max)	BLOB_(st, lenm, m, max, FF_NUL)
#define STRLIST(st, cntm, m, c) \
	{ .name = #st "." #m, .off = OFF(st, m), .len_off = OFF(st, cntm), \
	  .kind = FK_STRLIST, .cls = (c), \
	  .count = sizeof(((struct st *)0)->m) / sizeof(((struct st *)0)->m[0]), \
	  .size = MSIZE(st, m[0]) }

/* Id rules of the header's id field. */
enum id_rule {
	ID_ZERO,	/* must be 0 */
	ID_ANY,		/* anything (PING, ERROR, items of a resync) */
	ID_POS,		/* a request id or a sequence number: > 0 */
};

typedef int (*check_fn)(const struct cti_wire_frame *f,
			struct cti_wire_diag *diag);

struct reader;
struct writer;

/*
 * The helpers that read or write one field: inlined into each table's
 * codec (CODEC()), where the field's description is a constant.
 */
#define FIELD_INLINE static inline __attribute__((always_inline))

struct frame_desc {
	const char *name;
	uint8_t dir;
	uint8_t id_rule;
	uint8_t nfields;
	const struct field *fields;
	check_fn check;
	/* the body's fields, walked by the table unrolled (CODEC()) */
	int (*decode)(struct reader *r, void *body,
		      struct cti_wire_diag *diag);
	int (*encode)(struct writer *w, const void *body,
		      struct cti_wire_diag *diag);
};

static const struct field f_hello[] = {
	U32(cti_wire_hello, version),
	RSV32(cti_wire_hello, flags),
	/* unknown feature bits are not an error: the server grants fewer */
	U64(cti_wire_hello, features),
	U64(cti_wire_hello, resume_session),
	U64(cti_wire_hello, resume_seq),
	STR(cti_wire_hello, client_name, SC_NAME),
};

static const struct field f_hello_ack[] = {
	U32(cti_wire_hello_ack, version),
	U32L(cti_wire_hello_ack, resume, CTI_WIRE_RESUME_MAX - 1),
	U64(cti_wire_hello_ack, features),
	U64(cti_wire_hello_ack, session),
	U64(cti_wire_hello_ack, seq),
	U32(cti_wire_hello_ack, max_frame),
	U32(cti_wire_hello_ack, uid),
	U32M(cti_wire_hello_ack, flags, CTI_WIRE_ACK_F_VALID),
	RSV32(cti_wire_hello_ack, __reserved),
	STR(cti_wire_hello_ack, server_name, SC_NAME),
};

static const struct field f_list_calls[] = {
	U32(cti_wire_list_calls, line),
	RSV32(cti_wire_list_calls, __reserved),
};

static const struct field f_open_line[] = {
	LINE_ID(cti_wire_open_line, line),
	U32L(cti_wire_open_line, privilege, CTI_WIRE_PRIV_MAX - 1),
};

static const struct field f_close_line[] = {
	LINE_ID(cti_wire_close_line, line),
	RSV32(cti_wire_close_line, __reserved),
};

static const struct field f_command[] = {
	U16(cti_wire_command, cmd),
	RSV16(cti_wire_command, flags),
	LINE_ID(cti_wire_command, line),
	U32(cti_wire_command, call),
	U32(cti_wire_command, call2),
	U32(cti_wire_command, arg),
	U32(cti_wire_command, arg2),
	BLOB_NUL(cti_wire_command, data_len, data, CTI_DATA_MAX),
};
static_assert(MSIZE(cti_wire_command, data) > CTI_DATA_MAX,
	      "a command's data has room for its NUL");

static const struct field f_set_privilege[] = {
	LINE_ID(cti_wire_set_privilege, line),
	CALL_ID(cti_wire_set_privilege, call),
	U32L(cti_wire_set_privilege, privilege, CTI_WIRE_PRIV_MAX - 1),
	RSV32(cti_wire_set_privilege, __reserved),
};

static const struct field f_handoff[] = {
	LINE_ID(cti_wire_handoff, line),
	CALL_ID(cti_wire_handoff, call),
	STR(cti_wire_handoff, target, SC_NAME),
};

static const struct field f_provider_req[] = {
	STR(cti_wire_provider_req, name, SC_IDENT),
};

static const struct field f_login[] = {
	STR(cti_wire_login, user, SC_NAME),
	BLOB(cti_wire_login, password_len, password, CTI_WIRE_PASSWORD_MAX),
};

static const struct field f_account_list[] = {
	U32L(cti_wire_account_list, kind, CTI_WIRE_ACCT_GROUP),
	RSV32(cti_wire_account_list, __reserved),
};

static const struct field f_account_req[] = {
	U32L(cti_wire_account_req, kind, CTI_WIRE_ACCT_GROUP),
	U32M(cti_wire_account_req, flags, CTI_WIRE_ACCT_F_ADMIN),
	STR(cti_wire_account_req, name, SC_NAME),
};

static const struct field f_grant[] = {
	U32L(cti_wire_grant, kind, CTI_WIRE_ACCT_GROUP),
	U32L(cti_wire_grant, right, CTI_WIRE_RIGHT_MAX),
	STR(cti_wire_grant, name, SC_NAME),
	STR(cti_wire_grant, spec, SC_NAME),
};

static const struct field f_set_password[] = {
	STR(cti_wire_set_password, user, SC_NAME),
	STR(cti_wire_set_password, hash, SC_NAME),
};

static const struct field f_kick[] = {
	U64(cti_wire_kick, session),
};

static const struct field f_account[] = {
	U32L(cti_wire_account, kind, CTI_WIRE_ACCT_GROUP),
	U32M(cti_wire_account, flags, CTI_WIRE_ACCT_F_VALID),
	STR(cti_wire_account, name, SC_NAME),
	STR(cti_wire_account, lines, SC_NAME),
	STR(cti_wire_account, monitor, SC_NAME),
	STR(cti_wire_account, pickup, SC_NAME),
	STR(cti_wire_account, members, SC_NAME),
};

static const struct field f_session_info[] = {
	U64(cti_wire_session_info, session),
	U64(cti_wire_session_info, since_ns),
	U32(cti_wire_session_info, uid),
	U32(cti_wire_session_info, pid),
	U32M(cti_wire_session_info, flags, CTI_WIRE_SESS_F_VALID),
	U32(cti_wire_session_info, lines_open),
	STR(cti_wire_session_info, user, SC_NAME),
	STR(cti_wire_session_info, peer, SC_NAME),
	STR(cti_wire_session_info, client_name, SC_NAME),
};

static const struct field f_admin_note[] = {
	S32(cti_wire_admin_note, error),
	RSV32(cti_wire_admin_note, __reserved),
	STR(cti_wire_admin_note, message, SC_NAME),
};

static const struct field f_reply[] = {
	S32(cti_wire_reply, error),
	U32(cti_wire_reply, line),
	U32(cti_wire_reply, call),
	U16(cti_wire_reply, req_type),
	U16(cti_wire_reply, cmd),
};

static const struct field f_line[] = {
	LINE_ID(cti_wire_line, line),
	U32L(cti_wire_line, status, CTI_LINE_MAINTENANCE),
	U64M(cti_wire_line, ops, (1ULL << CTI_CMD_MAX) - 1),
	U64(cti_wire_line, uops),
	U32(cti_wire_line, provider),
	U32(cti_wire_line, num_calls),
	U32(cti_wire_line, max_calls),
	U32M(cti_wire_line, allowed, (1u << CTI_WIRE_PRIV_MONITOR) |
				     (1u << CTI_WIRE_PRIV_OWNER)),
	U32L(cti_wire_line, privilege, CTI_WIRE_PRIV_MAX - 1),
	U32L(cti_wire_line, forward_mode, CTI_FORWARD_NO_ANSWER),
	U32L(cti_wire_line, dnd, 1),
	STR(cti_wire_line, name, SC_NAME),
	STR(cti_wire_line, provider_name, SC_IDENT),
	STRLIST(cti_wire_line, num_addresses, addresses, SC_NUMBER),
	STR(cti_wire_line, forward_to, SC_NUMBER),
};

static const struct field f_call[] = {
	LINE_ID(cti_wire_call, line),
	CALL_ID(cti_wire_call, call),
	U32L(cti_wire_call, state, CTI_CALL_STATE_MAX - 1),
	U32(cti_wire_call, reason),
	U32L(cti_wire_call, origin, CTI_ORIGIN_CONFERENCE),
	U32(cti_wire_call, related_call),
	U32L(cti_wire_call, privilege, CTI_WIRE_PRIV_MAX - 1),
	RSV32(cti_wire_call, __reserved),
	STR(cti_wire_call, caller, SC_NUMBER),
	STR(cti_wire_call, caller_name, SC_NAME),
	STR(cti_wire_call, called, SC_NUMBER),
	STR(cti_wire_call, called_name, SC_NAME),
};

static const struct field f_provider[] = {
	U32(cti_wire_provider, id),
	U32L(cti_wire_provider, state, CTI_WIRE_PROVIDER_UP),
	U32(cti_wire_provider, num_lines),
	U32L(cti_wire_provider, link, CTI_WIRE_LINK_UP),
	STR(cti_wire_provider, name, SC_IDENT),
	STR(cti_wire_provider, version, SC_NAME),
};

static const struct field f_end[] = {
	U16(cti_wire_end, item_type),
	RSV16(cti_wire_end, __reserved),
	U32(cti_wire_end, count),
	U64(cti_wire_end, seq),
};

static const struct field f_error[] = {
	S32(cti_wire_error, error),
	U16(cti_wire_error, bad_type),
	RSV16(cti_wire_error, __reserved),
	U32(cti_wire_error, offset),
	STR(cti_wire_error, message, SC_NAME),
};

static const struct field f_gap[] = {
	U64(cti_wire_gap, first_seq),
	U64(cti_wire_gap, last_seq),
	U64(cti_wire_gap, count),
};

static const struct field f_stats[] = {
	U64(cti_wire_stats, uptime_ms),
	U32(cti_wire_stats, connections),
	U32(cti_wire_stats, sessions_attached),
	U32(cti_wire_stats, sessions_detached),
	U32(cti_wire_stats, lines),
	U32(cti_wire_stats, providers_up),
	U32(cti_wire_stats, providers_down),
	U32(cti_wire_stats, calls[0]),
	U32(cti_wire_stats, calls[1]),
	U32(cti_wire_stats, calls[2]),
	U32(cti_wire_stats, calls[3]),
	U32(cti_wire_stats, calls[4]),
	U32(cti_wire_stats, calls[5]),
	U32(cti_wire_stats, calls[6]),
	U32(cti_wire_stats, calls[7]),
	U32(cti_wire_stats, calls[8]),
	U32(cti_wire_stats, calls[9]),
	U32(cti_wire_stats, calls[10]),
	U32(cti_wire_stats, calls[11]),
	U32(cti_wire_stats, calls[12]),
	U32(cti_wire_stats, calls[13]),
	U32(cti_wire_stats, calls[14]),
	U32(cti_wire_stats, calls[15]),
	U64(cti_wire_stats, connections_total),
	U64(cti_wire_stats, requests_total),
	U64(cti_wire_stats, errors_total),
	U64(cti_wire_stats, logins_failed_total),
	U64(cti_wire_stats, events_total),
	U64(cti_wire_stats, gaps_total),
	U64(cti_wire_stats, gap_events_total),
	U64(cti_wire_stats, events_lost_total),
	U64(cti_wire_stats, card_overflows),
};

static const struct field f_resync[] = {
	U32L(cti_wire_resync, reason, CTI_WIRE_RESYNC_MAX - 1),
	RSV32(cti_wire_resync, __reserved),
};

static const struct field f_ev_call_state[] = {
	LINE_ID(cti_wire_ev_call_state, line),
	CALL_ID(cti_wire_ev_call_state, call),
	U32L(cti_wire_ev_call_state, state, CTI_CALL_STATE_MAX - 1),
	U32(cti_wire_ev_call_state, reason),
	U32(cti_wire_ev_call_state, related_call),
	U32L(cti_wire_ev_call_state, privilege, CTI_WIRE_PRIV_MAX - 1),
	U64(cti_wire_ev_call_state, timestamp_ns),
};

static const struct field f_ev_call_info[] = {
	LINE_ID(cti_wire_ev_call_info, line),
	CALL_ID(cti_wire_ev_call_info, call),
	U32L(cti_wire_ev_call_info, origin, CTI_ORIGIN_CONFERENCE),
	U32L(cti_wire_ev_call_info, reason, CTI_REASON_UNPARK),
	U32(cti_wire_ev_call_info, related_call),
	RSV32(cti_wire_ev_call_info, __reserved),
	U64M(cti_wire_ev_call_info, changed, CTI_CALL_INFO_ORIGIN |
		CTI_CALL_INFO_REASON | CTI_CALL_INFO_CALLER |
		CTI_CALL_INFO_CALLED | CTI_CALL_INFO_RELATED),
	U64(cti_wire_ev_call_info, timestamp_ns),
	STR(cti_wire_ev_call_info, caller, SC_NUMBER),
	STR(cti_wire_ev_call_info, caller_name, SC_NAME),
	STR(cti_wire_ev_call_info, called, SC_NUMBER),
	STR(cti_wire_ev_call_info, called_name, SC_NAME),
};

static const struct field f_ev_digits[] = {
	LINE_ID(cti_wire_ev_digits, line),
	CALL_ID(cti_wire_ev_digits, call),
	U64(cti_wire_ev_digits, timestamp_ns),
	STR(cti_wire_ev_digits, digits, SC_DIGITS),
};

static const struct field f_ev_line_status[] = {
	LINE_ID(cti_wire_ev_line_status, line),
	U32L(cti_wire_ev_line_status, status, CTI_LINE_MAINTENANCE),
	U32(cti_wire_ev_line_status, num_calls),
	U32L(cti_wire_ev_line_status, forward_mode, CTI_FORWARD_NO_ANSWER),
	U32L(cti_wire_ev_line_status, dnd, 1),
	RSV32(cti_wire_ev_line_status, __reserved),
	U64(cti_wire_ev_line_status, timestamp_ns),
	STR(cti_wire_ev_line_status, forward_to, SC_NUMBER),
};

static const struct field f_ev_phone_hook[] = {
	LINE_ID(cti_wire_ev_phone_hook, line),
	U32(cti_wire_ev_phone_hook, phone),
	U32M(cti_wire_ev_phone_hook, hookswitch, CTI_HOOKSWITCH_HANDSET |
		CTI_HOOKSWITCH_SPEAKER | CTI_HOOKSWITCH_HEADSET),
	U32L(cti_wire_ev_phone_hook, mode, CTI_HOOK_MICSPEAKER),
	U64(cti_wire_ev_phone_hook, timestamp_ns),
};

static const struct field f_ev_phone_button[] = {
	LINE_ID(cti_wire_ev_phone_button, line),
	U32(cti_wire_ev_phone_button, phone),
	U32(cti_wire_ev_phone_button, button),
	U32L(cti_wire_ev_phone_button, pressed, 1),
	U64(cti_wire_ev_phone_button, timestamp_ns),
};

static const struct field f_ev_link_state[] = {
	U32(cti_wire_ev_link_state, line),
	U32L(cti_wire_ev_link_state, state, CTI_LINK_UP),
	U64(cti_wire_ev_link_state, timestamp_ns),
	STR(cti_wire_ev_link_state, provider_name, SC_IDENT),
};

static const struct field f_ev_line_removed[] = {
	LINE_ID(cti_wire_ev_line_removed, line),
	RSV32(cti_wire_ev_line_removed, __reserved),
	U64(cti_wire_ev_line_removed, timestamp_ns),
};

static const struct field f_ev_privilege[] = {
	LINE_ID(cti_wire_ev_privilege, line),
	U32(cti_wire_ev_privilege, call),
	U32L(cti_wire_ev_privilege, privilege, CTI_WIRE_PRIV_MAX - 1),
	RSV32(cti_wire_ev_privilege, __reserved),
	U64(cti_wire_ev_privilege, timestamp_ns),
};

static const struct field f_ev_agent_state[] = {
	LINE_ID(cti_wire_ev_agent_state, line),
	U32L(cti_wire_ev_agent_state, state, 63),
	U32(cti_wire_ev_agent_state, reason),
	U32(cti_wire_ev_agent_state, activity),
	U64(cti_wire_ev_agent_state, timestamp_ns),
	STR(cti_wire_ev_agent_state, groups, SC_NAME),
};

static const struct field f_ev_provider_state[] = {
	U32(cti_wire_ev_provider_state, provider),
	U32L(cti_wire_ev_provider_state, state, CTI_WIRE_PROVIDER_UP),
	S32(cti_wire_ev_provider_state, error),
	RSV32(cti_wire_ev_provider_state, __reserved),
	U64(cti_wire_ev_provider_state, timestamp_ns),
	STR(cti_wire_ev_provider_state, name, SC_IDENT),
};

static const struct field f_ev_phone_display[] = {
	LINE_ID(cti_wire_ev_phone_display, line),
	U32(cti_wire_ev_phone_display, phone),
	U32(cti_wire_ev_phone_display, row),
	U32(cti_wire_ev_phone_display, col),
	U64(cti_wire_ev_phone_display, timestamp_ns),
	STR(cti_wire_ev_phone_display, text, SC_NAME),
};

static const struct field f_ev_phone_lamp[] = {
	LINE_ID(cti_wire_ev_phone_lamp, line),
	U32(cti_wire_ev_phone_lamp, phone),
	U32(cti_wire_ev_phone_lamp, lamp),
	U32L(cti_wire_ev_phone_lamp, mode, CTI_LAMP_FLUTTER),
	U64(cti_wire_ev_phone_lamp, timestamp_ns),
};

static const struct field f_ev_phone_ring[] = {
	LINE_ID(cti_wire_ev_phone_ring, line),
	U32(cti_wire_ev_phone_ring, phone),
	U32(cti_wire_ev_phone_ring, pattern),
	U32L(cti_wire_ev_phone_ring, volume, 100),
	U64(cti_wire_ev_phone_ring, timestamp_ns),
};

static const struct field f_ev_dev_specific[] = {
	U32(cti_wire_ev_dev_specific, line),
	RSV32(cti_wire_ev_dev_specific, __reserved),
	U64(cti_wire_ev_dev_specific, timestamp_ns),
	BLOB(cti_wire_ev_dev_specific, data_len, data, CTI_DEV_SPECIFIC_MAX),
};

static const struct field f_phone_req[] = {
	U32(cti_wire_phone_req, phone),
	RSV32(cti_wire_phone_req, __reserved),
};

static const struct field f_open_phone[] = {
	LINE_ID(cti_wire_open_phone, phone),
	U32L(cti_wire_open_phone, privilege, CTI_WIRE_PRIV_MAX - 1),
};

static const struct field f_phone_command[] = {
	LINE_ID(cti_wire_phone_command, phone),
	U16(cti_wire_phone_command, cmd),
	RSV16(cti_wire_phone_command, flags),
	U32(cti_wire_phone_command, arg),
	U32(cti_wire_phone_command, arg2),
	BLOB_NUL(cti_wire_phone_command, data_len, data, CTI_DEV_SPECIFIC_MAX),
};
static_assert(MSIZE(cti_wire_phone_command, data) > CTI_DEV_SPECIFIC_MAX,
	      "a phone command's data has room for its NUL");

static const struct field f_phone[] = {
	LINE_ID(cti_wire_phone, phone),
	LINE_ID(cti_wire_phone, line),
	U64M(cti_wire_phone, hookswitches, CTI_HOOKSWITCH_HANDSET |
		CTI_HOOKSWITCH_SPEAKER | CTI_HOOKSWITCH_HEADSET),
	U32(cti_wire_phone, num_buttons),
	U32L(cti_wire_phone, num_lamps, CTI_WIRE_PHONE_LAMPS_MAX),
	U32L(cti_wire_phone, display_rows, CTI_WIRE_PHONE_ROWS_MAX),
	U32L(cti_wire_phone, display_cols, CTI_DISPLAY_MAX),
	U32(cti_wire_phone, num_ring_patterns),
	U32M(cti_wire_phone, allowed, (1u << CTI_WIRE_PRIV_MONITOR) |
				      (1u << CTI_WIRE_PRIV_OWNER)),
	U32L(cti_wire_phone, privilege, CTI_WIRE_PRIV_MAX - 1),
	U32L(cti_wire_phone, hook[0], CTI_HOOK_MICSPEAKER),
	U32L(cti_wire_phone, hook[1], CTI_HOOK_MICSPEAKER),
	U32L(cti_wire_phone, hook[2], CTI_HOOK_MICSPEAKER),
	U32(cti_wire_phone, ring_pattern),
	U32L(cti_wire_phone, ring_volume, 100),
	U32(cti_wire_phone, last_button),
	U32L(cti_wire_phone, last_pressed, 1),
	STR(cti_wire_phone, name, SC_NAME),
	BLOB(cti_wire_phone, num_lamps_state, lamps, CTI_WIRE_PHONE_LAMPS_MAX),
	STRLIST(cti_wire_phone, num_rows, display, SC_NAME),
};

static const struct field f_ev_phone_privilege[] = {
	LINE_ID(cti_wire_ev_phone_privilege, phone),
	U32L(cti_wire_ev_phone_privilege, privilege, CTI_WIRE_PRIV_MAX - 1),
	U64(cti_wire_ev_phone_privilege, timestamp_ns),
};

static int fail(struct cti_wire_diag *diag, const char *field, int err)
{
	if (diag)
		diag->field = field;
	return err;
}

/* A field of a body is bad: say where it began. */
static int field_fail(struct cti_wire_diag *diag, size_t at,
		      const char *field, int err)
{
	if (diag)
		diag->offset = (uint32_t)at;
	return fail(diag, field, err);
}

static int is_number_cmd(unsigned int cmd)
{
	switch (cmd) {
	case CTI_CMD_MAKE_CALL:
	case CTI_CMD_BLIND_TRANSFER:
	case CTI_CMD_SETUP_TRANSFER:
	case CTI_CMD_SETUP_CONFERENCE:
	case CTI_CMD_REDIRECT:
	case CTI_CMD_UNPARK:
		return 1;	/* a number is required */
	case CTI_CMD_PARK:		/* empty: any free slot */
	case CTI_CMD_PICKUP:		/* empty: group pickup */
	case CTI_CMD_SET_FORWARD:	/* empty: with CTI_FORWARD_NONE */
		return 2;	/* a number, possibly empty */
	default:
		return 0;
	}
}

/* A command's data must match what the command takes (protocol.md). */
static int check_command(const struct cti_wire_frame *f,
			 struct cti_wire_diag *diag)
{
	const struct cti_wire_command *c = &f->u.command;
	const char *s = (const char *)c->data;
	size_t n = c->data_len;
	const char *fd = "cti_wire_command.data";
	int num;

	if (c->cmd >= CTI_CMD_MAX &&
	    (c->cmd < CTI_WIRE_UCMD_FIRST || c->cmd > CTI_WIRE_UCMD_LAST))
		return fail(diag, "cti_wire_command.cmd", -EINVAL);

	if (c->cmd >= CTI_WIRE_UCMD_FIRST || c->cmd == CTI_CMD_SET_DISPLAY) {
		if (n > CTI_DISPLAY_MAX)
			return fail(diag, fd, -ENAMETOOLONG);
		return cti_wire_check_name(s, n) ? fail(diag, fd, -EILSEQ) : 0;
	}
	num = is_number_cmd(c->cmd);
	if (num) {
		if (n > CTI_NUMBER_MAX - 1)
			return fail(diag, fd, -ENAMETOOLONG);
		if (num == 1 && n == 0)
			return fail(diag, fd, -EINVAL);
		return cti_wire_check_number(s, n) ? fail(diag, fd, -EILSEQ) : 0;
	}
	switch (c->cmd) {
	case CTI_CMD_GENERATE_DIGITS:
		if (n > CTI_DIGITS_MAX)
			return fail(diag, fd, -ENAMETOOLONG);
		if (n == 0)
			return fail(diag, fd, -EINVAL);
		return cti_wire_check_digits(s, n) ? fail(diag, fd, -EILSEQ) : 0;
	case CTI_CMD_SEND_LINK_FRAME:
		if (n > CTI_LINK_FRAME_MAX)
			return fail(diag, fd, -ENAMETOOLONG);
		return n == 0 ? fail(diag, fd, -EINVAL) : 0;
	case CTI_CMD_DEV_SPECIFIC:
		return n > CTI_DEV_SPECIFIC_MAX ? fail(diag, fd, -ENAMETOOLONG) : 0;
	default:
		return n ? fail(diag, fd, -EINVAL) : 0;
	}
}

static int check_hello(const struct cti_wire_frame *f,
		       struct cti_wire_diag *diag)
{
	if (f->u.hello.version == 0)
		return fail(diag, "cti_wire_hello.version", -EINVAL);
	return 0;
}

static int check_hello_ack(const struct cti_wire_frame *f,
			   struct cti_wire_diag *diag)
{
	const struct cti_wire_hello_ack *a = &f->u.hello_ack;

	if (a->version == 0)
		return fail(diag, "cti_wire_hello_ack.version", -EINVAL);
	if (a->session == 0)
		return fail(diag, "cti_wire_hello_ack.session", -EINVAL);
	if (a->max_frame < CTI_WIRE_HDR_SIZE)
		return fail(diag, "cti_wire_hello_ack.max_frame", -EINVAL);
	return 0;
}

static int check_open_line(const struct cti_wire_frame *f,
			   struct cti_wire_diag *diag)
{
	if (f->u.open_line.privilege == CTI_WIRE_PRIV_NONE)
		return fail(diag, "cti_wire_open_line.privilege", -EINVAL);
	return 0;
}

static int check_reply(const struct cti_wire_frame *f,
		       struct cti_wire_diag *diag)
{
	const struct cti_wire_reply *r = &f->u.reply;

	if (r->error > 0 || r->error < -4095)
		return fail(diag, "cti_wire_reply.error", -EINVAL);
	if (cti_wire_type_dir(r->req_type) != CTI_WIRE_FROM_CLIENT ||
	    r->req_type == CTI_WIRE_HELLO || r->req_type == CTI_WIRE_PING)
		return fail(diag, "cti_wire_reply.req_type", -EINVAL);
	if (r->req_type != CTI_WIRE_COMMAND &&
	    r->req_type != CTI_WIRE_PHONE_COMMAND && r->cmd)
		return fail(diag, "cti_wire_reply.cmd", -EINVAL);
	return 0;
}

/* The reason field's meaning depends on the state (struct cti_ev_call_state). */
static int check_reason(uint32_t state, uint32_t reason)
{
	switch (state) {
	case CTI_CALL_IDLE:
	case CTI_CALL_DISCONNECTED:
		return reason <= CTI_DISC_DND ? 0 : -EINVAL;
	case CTI_CALL_OFFERING:
		return reason <= CTI_REASON_UNPARK ? 0 : -EINVAL;
	default:
		return reason == 0 ? 0 : -EINVAL;
	}
}

static int check_call(const struct cti_wire_frame *f,
		      struct cti_wire_diag *diag)
{
	if (check_reason(f->u.call.state, f->u.call.reason))
		return fail(diag, "cti_wire_call.reason", -EINVAL);
	return 0;
}

static int check_call_state(const struct cti_wire_frame *f,
			    struct cti_wire_diag *diag)
{
	if (check_reason(f->u.call_state.state, f->u.call_state.reason))
		return fail(diag, "cti_wire_ev_call_state.reason", -EINVAL);
	return 0;
}

static int check_end(const struct cti_wire_frame *f,
		     struct cti_wire_diag *diag)
{
	switch (f->u.end.item_type) {
	case 0:
	case CTI_WIRE_LINE:
	case CTI_WIRE_CALL:
	case CTI_WIRE_PROVIDER:
	case CTI_WIRE_PHONE:
	case CTI_WIRE_ACCOUNT:
	case CTI_WIRE_SESSION_INFO:
		return 0;
	default:
		return fail(diag, "cti_wire_end.item_type", -EINVAL);
	}
}

static int check_error(const struct cti_wire_frame *f,
		       struct cti_wire_diag *diag)
{
	if (f->u.error.error >= 0 || f->u.error.error < -4095)
		return fail(diag, "cti_wire_error.error", -EINVAL);
	return 0;
}

/* A name the request acts on: never empty (a [user] needs a name). */
static int check_account_req(const struct cti_wire_frame *f,
			     struct cti_wire_diag *diag)
{
	if (!f->u.account_req.name[0])
		return fail(diag, "cti_wire_account_req.name", -EINVAL);
	return 0;
}

static int check_grant(const struct cti_wire_frame *f,
		       struct cti_wire_diag *diag)
{
	const struct cti_wire_grant *g = &f->u.grant;

	if (!g->name[0])
		return fail(diag, "cti_wire_grant.name", -EINVAL);
	if (g->right == 0)
		return fail(diag, "cti_wire_grant.right", -EINVAL);
	/* ADMIN is a flag: a list with it means nothing */
	if ((g->right == CTI_WIRE_RIGHT_ADMIN) != !g->spec[0])
		return fail(diag, "cti_wire_grant.spec", -EINVAL);
	return 0;
}

static int check_set_password(const struct cti_wire_frame *f,
			      struct cti_wire_diag *diag)
{
	if (!f->u.set_password.user[0])
		return fail(diag, "cti_wire_set_password.user", -EINVAL);
	if (!f->u.set_password.hash[0])
		return fail(diag, "cti_wire_set_password.hash", -EINVAL);
	return 0;
}

static int check_kick(const struct cti_wire_frame *f,
		      struct cti_wire_diag *diag)
{
	if (!f->u.kick.session)
		return fail(diag, "cti_wire_kick.session", -EINVAL);
	return 0;
}

static int check_admin_note(const struct cti_wire_frame *f,
			    struct cti_wire_diag *diag)
{
	if (f->u.admin_note.error >= 0 || f->u.admin_note.error < -4095)
		return fail(diag, "cti_wire_admin_note.error", -EINVAL);
	return 0;
}

static int check_gap(const struct cti_wire_frame *f,
		     struct cti_wire_diag *diag)
{
	const struct cti_wire_gap *g = &f->u.gap;

	if (g->first_seq == 0 || g->last_seq < g->first_seq)
		return fail(diag, "cti_wire_gap.last_seq", -EINVAL);
	if (g->count != g->last_seq - g->first_seq + 1)
		return fail(diag, "cti_wire_gap.count", -EINVAL);
	return 0;
}

static int check_digits(const struct cti_wire_frame *f,
			struct cti_wire_diag *diag)
{
	if (f->u.digits.digits[0] == '\0')
		return fail(diag, "cti_wire_ev_digits.digits", -EINVAL);
	return 0;
}

static int check_phone_hook(const struct cti_wire_frame *f,
			    struct cti_wire_diag *diag)
{
	uint32_t h = f->u.phone_hook.hookswitch;

	/* exactly one device per record, as in struct cti_ev_phone_hook */
	if (h == 0 || (h & (h - 1)))
		return fail(diag, "cti_wire_ev_phone_hook.hookswitch", -EINVAL);
	return 0;
}

static int check_open_phone(const struct cti_wire_frame *f,
			    struct cti_wire_diag *diag)
{
	if (f->u.open_phone.privilege == CTI_WIRE_PRIV_NONE)
		return fail(diag, "cti_wire_open_phone.privilege", -EINVAL);
	return 0;
}

/* A phone command's data: display text, device-specific bytes, or none. */
static int check_phone_command(const struct cti_wire_frame *f,
			       struct cti_wire_diag *diag)
{
	const struct cti_wire_phone_command *c = &f->u.phone_command;
	const char *fd = "cti_wire_phone_command.data";

	switch (c->cmd) {
	case CTI_CMD_SET_DISPLAY:
		if (c->data_len > CTI_DISPLAY_MAX)
			return fail(diag, fd, -ENAMETOOLONG);
		return cti_wire_check_name((const char *)c->data, c->data_len) ?
		       fail(diag, fd, -EILSEQ) : 0;
	case CTI_CMD_DEV_SPECIFIC:
		return 0;	/* the blob's bound is the field's */
	case CTI_CMD_SET_HOOK:
	case CTI_CMD_SET_LAMP:
	case CTI_CMD_SET_RING:
		return c->data_len ? fail(diag, fd, -EINVAL) : 0;
	default:
		return fail(diag, "cti_wire_phone_command.cmd", -EINVAL);
	}
}

/* The state must fit the capabilities it is sent with. */
static int check_phone(const struct cti_wire_frame *f,
		       struct cti_wire_diag *diag)
{
	const struct cti_wire_phone *p = &f->u.phone;

	if (p->num_lamps_state != p->num_lamps)
		return fail(diag, "cti_wire_phone.lamps", -EINVAL);
	for (uint32_t i = 0; i < p->num_lamps; i++)
		if (p->lamps[i] > CTI_LAMP_FLUTTER)
			return fail(diag, "cti_wire_phone.lamps", -EINVAL);
	if (p->num_rows != p->display_rows)
		return fail(diag, "cti_wire_phone.display", -EINVAL);
	for (uint32_t i = 0; i < p->num_rows; i++)
		if (strlen(p->display[i]) > p->display_cols)
			return fail(diag, "cti_wire_phone.display", -ENAMETOOLONG);
	if (p->last_button != CTI_WIRE_BUTTON_NONE &&
	    p->last_button >= p->num_buttons)
		return fail(diag, "cti_wire_phone.last_button", -EINVAL);
	return 0;
}

/* String classes. */

int cti_wire_check_number(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if ((c >= '0' && c <= '9') || c == '*' || c == '#')
			continue;
		if (c == '+' && i == 0)
			continue;
		return -EILSEQ;
	}
	return 0;
}

int cti_wire_check_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if ((c >= '0' && c <= '9') || c == '*' || c == '#' ||
		    (c >= 'A' && c <= 'D'))
			continue;
		return -EILSEQ;
	}
	return 0;
}

int cti_wire_check_ident(const char *s, size_t len)
{
	if (len == 0 || s[0] == '.')
		return -EILSEQ;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '-')
			continue;
		return -EILSEQ;
	}
	return 0;
}

/*
 * Printable UTF-8: well-formed (shortest form, no surrogates, at most
 * U+10FFFF) and free of C0 and C1 controls and DEL, so that a name can be
 * logged or shown without escaping.
 */
int cti_wire_check_name(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp, min;
		size_t n;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return -EILSEQ;
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 2, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 3, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return -EILSEQ;
		}
		if (len - i < n)
			return -EILSEQ;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return -EILSEQ;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff) ||
		    (cp >= 0x80 && cp <= 0x9f))
			return -EILSEQ;
		i += n;
	}
	return 0;
}

FIELD_INLINE int check_class(unsigned int cls, const char *s, size_t len)
{
	switch (cls) {
	case SC_NUMBER:
		return cti_wire_check_number(s, len);
	case SC_DIGITS:
		return cti_wire_check_digits(s, len);
	case SC_NAME:
		return cti_wire_check_name(s, len);
	case SC_IDENT:
		return cti_wire_check_ident(s, len);
	default:
		return 0;
	}
}

FIELD_INLINE int check_int(const struct field *fd, uint64_t v)
{
	if (!fd->flags)		/* most fields: one comparison */
		return v > fd->lim ? -EINVAL : 0;
	if ((fd->flags & FF_ZERO) && v)
		return -EINVAL;
	if ((fd->flags & FF_NONZERO) && !v)
		return -EINVAL;
	if ((fd->flags & FF_NOTNONE) && v == CTI_LINE_NONE)
		return -EINVAL;
	if (fd->flags & FF_MASK)
		return (v & ~fd->lim) ? -EINVAL : 0;
	return v > fd->lim ? -EINVAL : 0;
}

static int check_id(unsigned int rule, uint64_t id)
{
	if (rule == ID_ZERO && id)
		return -EINVAL;
	if (rule == ID_POS && !id)
		return -EINVAL;
	return 0;
}

/* Decoding. */

struct reader {
	const uint8_t *p;
	size_t pos;
	size_t end;
	size_t at;		/* where the field being read began */
};

FIELD_INLINE bool rd_has(const struct reader *r, size_t n)
{
	return r->end - r->pos >= n;
}

/*
 * n little-endian bytes, n one of 1, 2, 4, 8 (a constant memcpy each, one
 * load, where a byte loop cost a shift and an or per byte): the low n
 * bytes of a little-endian u64 are the value's n low bytes on any host.
 */
FIELD_INLINE uint64_t le_load(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	switch (n) {
	case 1:
		return p[0];
	case 2:
		memcpy(&v, p, 2);
		break;
	case 4:
		memcpy(&v, p, 4);
		break;
	default:
		memcpy(&v, p, 8);
		break;
	}
	return le64toh(v);
}

FIELD_INLINE void le_store(uint8_t *p, uint64_t v, size_t n)
{
	uint64_t le = htole64(v);

	switch (n) {
	case 1:
		p[0] = (uint8_t)v;
		break;
	case 2:
		memcpy(p, &le, 2);
		break;
	case 4:
		memcpy(p, &le, 4);
		break;
	default:
		memcpy(p, &le, 8);
		break;
	}
}

FIELD_INLINE uint64_t rd_le(struct reader *r, size_t n)
{
	uint64_t v = le_load(r->p + r->pos, n);

	r->pos += n;
	return v;
}

FIELD_INLINE size_t int_width(unsigned int kind)
{
	switch (kind) {
	case FK_U16:
		return 2;
	case FK_U64:
		return 8;
	default:
		return 4;
	}
}

FIELD_INLINE void store_int(void *body, const struct field *fd,
			    uint64_t v)
{
	uint8_t *dst = (uint8_t *)body + fd->off;

	switch (fd->kind) {
	case FK_U16: {
		uint16_t x = (uint16_t)v;

		memcpy(dst, &x, sizeof(x));
		break;
	}
	case FK_U64:
		memcpy(dst, &v, sizeof(v));
		break;
	default: {
		uint32_t x = (uint32_t)v;

		memcpy(dst, &x, sizeof(x));
		break;
	}
	}
}

FIELD_INLINE uint64_t load_int(const void *body, const struct field *fd)
{
	const uint8_t *src = (const uint8_t *)body + fd->off;

	switch (fd->kind) {
	case FK_U16: {
		uint16_t x;

		memcpy(&x, src, sizeof(x));
		return x;
	}
	case FK_U64: {
		uint64_t x;

		memcpy(&x, src, sizeof(x));
		return x;
	}
	case FK_S32: {
		uint32_t x;

		/* compare signed values as their bit pattern: no limits */
		memcpy(&x, src, sizeof(x));
		return x;
	}
	default: {
		uint32_t x;

		memcpy(&x, src, sizeof(x));
		return x;
	}
	}
}

FIELD_INLINE void store_u32(void *body, size_t off, uint32_t v)
{
	memcpy((uint8_t *)body + off, &v, sizeof(v));
}

FIELD_INLINE uint32_t load_u32(const void *body, size_t off)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)body + off, sizeof(v));
	return v;
}

/* One string of class cls, at most max bytes, into dst (NUL added). */
FIELD_INLINE int rd_str(struct reader *r, char *dst, size_t max,
			unsigned int cls)
{
	size_t n;

	if (!rd_has(r, 1))
		return -EBADMSG;
	n = r->p[r->pos];
	if (n > max)
		return -ENAMETOOLONG;
	r->pos++;
	if (!rd_has(r, n))
		return -EBADMSG;
	if (check_class(cls, (const char *)r->p + r->pos, n))
		return -EILSEQ;
	memcpy(dst, r->p + r->pos, n);
	dst[n] = '\0';
	r->pos += n;
	return 0;
}

FIELD_INLINE int decode_field(struct reader *r, const struct field *fd,
			      void *body)
{
	uint8_t *b = body;
	size_t n;
	int err;

	switch (fd->kind) {
	case FK_STR:
		return rd_str(r, (char *)b + fd->off, fd->size - 1, fd->cls);
	case FK_BLOB:
		if (!rd_has(r, 2))
			return -EBADMSG;
		n = rd_le(r, 2);
		if (n > fd->size)
			return -ENAMETOOLONG;
		if (!rd_has(r, n))
			return -EBADMSG;
		memcpy(b + fd->off, r->p + r->pos, n);
		if (fd->flags & FF_NUL)
			b[fd->off + n] = 0;
		r->pos += n;
		store_u32(body, fd->len_off, (uint32_t)n);
		return 0;
	case FK_STRLIST:
		if (!rd_has(r, 1))
			return -EBADMSG;
		n = rd_le(r, 1);
		if (n > fd->count)
			return -ENAMETOOLONG;
		for (size_t i = 0; i < n; i++) {
			err = rd_str(r, (char *)b + fd->off + i * fd->size,
				     fd->size - 1, fd->cls);
			if (err)
				return err;
		}
		store_u32(body, fd->len_off, (uint32_t)n);
		return 0;
	default: {
		size_t w = int_width(fd->kind);
		uint64_t v;

		if (!rd_has(r, w))
			return -EBADMSG;
		v = rd_le(r, w);
		/* a plain field's bound inline; flags need check_int() */
		if (fd->flags ? check_int(fd, v) != 0 : v > fd->lim)
			return -EINVAL;
		store_int(body, fd, v);
		return 0;
	}
	}
}

/* Encoding. */

struct writer {
	uint8_t *p;
	size_t pos;
	size_t size;
	size_t at;		/* where the field being written began */
};

FIELD_INLINE int wr_le(struct writer *w, uint64_t v, size_t n)
{
	if (w->size - w->pos < n)
		return -ENOSPC;
	le_store(w->p + w->pos, v, n);
	w->pos += n;
	return 0;
}

FIELD_INLINE int wr_bytes(struct writer *w, const void *src, size_t n)
{
	if (w->size - w->pos < n)
		return -ENOSPC;
	memcpy(w->p + w->pos, src, n);
	w->pos += n;
	return 0;
}

FIELD_INLINE int wr_str(struct writer *w, const char *s, size_t size,
		  unsigned int cls)
{
	size_t n = strnlen(s, size);
	int err;

	if (n == size || n > 255)
		return -ENAMETOOLONG;
	if (check_class(cls, s, n))
		return -EILSEQ;
	err = wr_le(w, n, 1);
	return err ? err : wr_bytes(w, s, n);
}

FIELD_INLINE int encode_field(struct writer *w, const struct field *fd,
			const void *body)
{
	const uint8_t *b = body;
	uint32_t n;
	int err;

	switch (fd->kind) {
	case FK_STR:
		return wr_str(w, (const char *)b + fd->off, fd->size, fd->cls);
	case FK_BLOB:
		n = load_u32(body, fd->len_off);
		if (n > fd->size)
			return -ENAMETOOLONG;
		err = wr_le(w, n, 2);
		return err ? err : wr_bytes(w, b + fd->off, n);
	case FK_STRLIST:
		n = load_u32(body, fd->len_off);
		if (n > fd->count)
			return -ENAMETOOLONG;
		err = wr_le(w, n, 1);
		for (uint32_t i = 0; !err && i < n; i++)
			err = wr_str(w, (const char *)b + fd->off + i * fd->size,
				     fd->size, fd->cls);
		return err;
	default: {
		uint64_t v = load_int(body, fd);

		/* a plain field's bound inline; flags need check_int() */
		if (fd->flags ? check_int(fd, v) != 0 : v > fd->lim)
			return -EINVAL;
		return wr_le(w, v, int_width(fd->kind));
	}
	}
}

FIELD_INLINE size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* The end of an FK_BLOB's or FK_STRLIST's u32 count. */
FIELD_INLINE size_t count_end(const struct field *fd)
{
	return (size_t)fd->len_off + sizeof(uint32_t);
}

/* The end of @fd's storage in its body struct: what the encoder may read. */
FIELD_INLINE size_t field_end(const struct field *fd)
{
	switch (fd->kind) {
	case FK_STR:
		return (size_t)fd->off + fd->size;
	case FK_BLOB:
		return max_size((size_t)fd->off + fd->size, count_end(fd));
	case FK_STRLIST:
		return max_size((size_t)fd->off + (size_t)fd->count * fd->size,
				count_end(fd));
	default:
		return (size_t)fd->off + int_width(fd->kind);
	}
}

/*
 * The bytes of a body a decode zeroes before it walks the fields: all the
 * fields' storage, but a command's data array (FF_NUL) not, as the field
 * writes its data and the NUL after it. Zeroing that 1 KiB was 15 of the
 * 25 ns ctid spent decoding a COMMAND.
 */
FIELD_INLINE size_t zeroed_end(const struct field *fds, unsigned int n)
{
	size_t size = 0;

#pragma GCC unroll 64
	for (unsigned int i = 0; i < n; i++) {
		const struct field *fd = &fds[i];

		size = max_size(size, fd->flags & FF_NUL ?
				max_size(fd->off, count_end(fd)) :
				field_end(fd));
	}
	return size;
}

/*
 * One decoder and one encoder per field table. The walk is the same for
 * every table; instantiated per table and unrolled, it lets the compiler
 * fold each field's kind, offset and bounds into straight-line code. The
 * generic loop spent most of its time finding out what the next field was
 * (the codec was 45% of ctid's instructions per fanned-out event under
 * callgrind; 2,633 instead of 3,456 per event since).
 */
FIELD_INLINE int
decode_fields(struct reader *rp, const struct field *fds, unsigned int n,
	      void *body, struct cti_wire_diag *diag)
{
	/*
	 * A local copy: the fields are stored through byte pointers, which
	 * may alias *rp, so with rp itself each store would reload it.
	 */
	struct reader r = *rp;
	int err = 0;

	memset(body, 0, zeroed_end(fds, n));
#pragma GCC unroll 64
	for (unsigned int i = 0; i < n; i++) {
		r.at = r.pos;
		err = decode_field(&r, &fds[i], body);
		/* diag is written only on failure: this is the hot path */
		if (err) {
			err = field_fail(diag, r.at, fds[i].name, err);
			break;
		}
	}
	*rp = r;
	return err;
}

FIELD_INLINE int
encode_fields(struct writer *wp, const struct field *fds, unsigned int n,
	      const void *body, struct cti_wire_diag *diag)
{
	struct writer w = *wp;	/* as in decode_fields() */
	int err = 0;

#pragma GCC unroll 64
	for (unsigned int i = 0; i < n; i++) {
		w.at = w.pos;
		err = encode_field(&w, &fds[i], body);
		if (err) {
			err = field_fail(diag, w.at, fds[i].name, err);
			break;
		}
	}
	*wp = w;
	return err;
}

#define NFIELDS(t) (sizeof(t) / sizeof((t)[0]))
#define CODEC(t)							\
static int dec_##t(struct reader *r, void *body,			\
		   struct cti_wire_diag *diag)				\
{									\
	return decode_fields(r, t, NFIELDS(t), body, diag);		\
}									\
static int enc_##t(struct writer *w, const void *body,			\
		   struct cti_wire_diag *diag)				\
{									\
	return encode_fields(w, t, NFIELDS(t), body, diag);		\
}

CODEC(f_hello)
CODEC(f_hello_ack)
CODEC(f_list_calls)
CODEC(f_open_line)
CODEC(f_close_line)
CODEC(f_command)
CODEC(f_set_privilege)
CODEC(f_handoff)
CODEC(f_provider_req)
CODEC(f_login)
CODEC(f_account_list)
CODEC(f_account_req)
CODEC(f_grant)
CODEC(f_set_password)
CODEC(f_kick)
CODEC(f_account)
CODEC(f_session_info)
CODEC(f_admin_note)
CODEC(f_reply)
CODEC(f_line)
CODEC(f_call)
CODEC(f_provider)
CODEC(f_end)
CODEC(f_error)
CODEC(f_gap)
CODEC(f_stats)
CODEC(f_resync)
CODEC(f_ev_call_state)
CODEC(f_ev_call_info)
CODEC(f_ev_digits)
CODEC(f_ev_line_status)
CODEC(f_ev_phone_hook)
CODEC(f_ev_phone_button)
CODEC(f_ev_link_state)
CODEC(f_ev_line_removed)
CODEC(f_ev_privilege)
CODEC(f_ev_agent_state)
CODEC(f_ev_provider_state)
CODEC(f_ev_phone_display)
CODEC(f_ev_phone_lamp)
CODEC(f_ev_phone_ring)
CODEC(f_ev_dev_specific)
CODEC(f_phone_req)
CODEC(f_open_phone)
CODEC(f_phone_command)
CODEC(f_phone)
CODEC(f_ev_phone_privilege)

#define FIELDS(a) .decode = dec_##a, .encode = enc_##a, \
	.nfields = NFIELDS(a), .fields = (a)
#define NO_FIELDS .nfields = 0, .fields = NULL
#define C2S CTI_WIRE_FROM_CLIENT
#define S2C CTI_WIRE_FROM_SERVER

static const struct frame_desc frame_descs[CTI_WIRE_TYPE_MAX] = {
	[CTI_WIRE_HELLO] = { "HELLO", C2S, ID_ZERO, FIELDS(f_hello),
			     check_hello },
	[CTI_WIRE_PING] = { "PING", C2S, ID_ANY, NO_FIELDS, NULL },
	[CTI_WIRE_BYE] = { "BYE", C2S, ID_ZERO, NO_FIELDS, NULL },
	[CTI_WIRE_LOGIN] = { "LOGIN", C2S, ID_POS, FIELDS(f_login), NULL },
	[CTI_WIRE_SERVER_RELOAD] = { "SERVER_RELOAD", C2S, ID_POS, NO_FIELDS,
				     NULL },
	[CTI_WIRE_LIST_ACCOUNTS] = { "LIST_ACCOUNTS", C2S, ID_POS,
				     FIELDS(f_account_list), NULL },
	[CTI_WIRE_ACCOUNT_ADD] = { "ACCOUNT_ADD", C2S, ID_POS,
				   FIELDS(f_account_req), check_account_req },
	[CTI_WIRE_ACCOUNT_DEL] = { "ACCOUNT_DEL", C2S, ID_POS,
				   FIELDS(f_account_req), check_account_req },
	[CTI_WIRE_GRANT] = { "GRANT", C2S, ID_POS, FIELDS(f_grant),
			     check_grant },
	[CTI_WIRE_REVOKE] = { "REVOKE", C2S, ID_POS, FIELDS(f_grant),
			      check_grant },
	[CTI_WIRE_SET_PASSWORD] = { "SET_PASSWORD", C2S, ID_POS,
				    FIELDS(f_set_password),
				    check_set_password },
	[CTI_WIRE_LIST_SESSIONS] = { "LIST_SESSIONS", C2S, ID_POS, NO_FIELDS,
				     NULL },
	[CTI_WIRE_KICK] = { "KICK", C2S, ID_POS, FIELDS(f_kick), check_kick },
	[CTI_WIRE_SERVER_STATS] = { "SERVER_STATS", C2S, ID_POS, NO_FIELDS,
				    NULL },
	[CTI_WIRE_LIST_LINES] = { "LIST_LINES", C2S, ID_POS, NO_FIELDS, NULL },
	[CTI_WIRE_LIST_CALLS] = { "LIST_CALLS", C2S, ID_POS,
				  FIELDS(f_list_calls), NULL },
	[CTI_WIRE_SNAPSHOT] = { "SNAPSHOT", C2S, ID_POS, NO_FIELDS, NULL },
	[CTI_WIRE_OPEN_LINE] = { "OPEN_LINE", C2S, ID_POS,
				 FIELDS(f_open_line), check_open_line },
	[CTI_WIRE_CLOSE_LINE] = { "CLOSE_LINE", C2S, ID_POS,
				  FIELDS(f_close_line), NULL },
	[CTI_WIRE_COMMAND] = { "COMMAND", C2S, ID_POS, FIELDS(f_command),
			       check_command },
	[CTI_WIRE_SET_PRIVILEGE] = { "SET_PRIVILEGE", C2S, ID_POS,
				     FIELDS(f_set_privilege), NULL },
	[CTI_WIRE_HANDOFF] = { "HANDOFF", C2S, ID_POS, FIELDS(f_handoff),
			       NULL },
	[CTI_WIRE_LIST_PROVIDERS] = { "LIST_PROVIDERS", C2S, ID_POS, NO_FIELDS,
				      NULL },
	[CTI_WIRE_PROVIDER_LOAD] = { "PROVIDER_LOAD", C2S, ID_POS,
				     FIELDS(f_provider_req), NULL },
	[CTI_WIRE_PROVIDER_UNLOAD] = { "PROVIDER_UNLOAD", C2S, ID_POS,
				       FIELDS(f_provider_req), NULL },
	[CTI_WIRE_PROVIDER_RELOAD] = { "PROVIDER_RELOAD", C2S, ID_POS,
				       FIELDS(f_provider_req), NULL },
	[CTI_WIRE_LIST_PHONES] = { "LIST_PHONES", C2S, ID_POS,
				   FIELDS(f_phone_req), NULL },
	[CTI_WIRE_OPEN_PHONE] = { "OPEN_PHONE", C2S, ID_POS,
				  FIELDS(f_open_phone), check_open_phone },
	[CTI_WIRE_CLOSE_PHONE] = { "CLOSE_PHONE", C2S, ID_POS,
				   FIELDS(f_phone_req), NULL },
	[CTI_WIRE_PHONE_COMMAND] = { "PHONE_COMMAND", C2S, ID_POS,
				     FIELDS(f_phone_command),
				     check_phone_command },

	[CTI_WIRE_HELLO_ACK] = { "HELLO_ACK", S2C, ID_ZERO,
				 FIELDS(f_hello_ack), check_hello_ack },
	[CTI_WIRE_PONG] = { "PONG", S2C, ID_ANY, NO_FIELDS, NULL },
	[CTI_WIRE_REPLY] = { "REPLY", S2C, ID_POS, FIELDS(f_reply),
			     check_reply },
	[CTI_WIRE_LINE] = { "LINE", S2C, ID_ANY, FIELDS(f_line), NULL },
	[CTI_WIRE_CALL] = { "CALL", S2C, ID_ANY, FIELDS(f_call), check_call },
	[CTI_WIRE_PROVIDER] = { "PROVIDER", S2C, ID_POS, FIELDS(f_provider),
				NULL },
	[CTI_WIRE_STATS] = { "STATS", S2C, ID_POS, FIELDS(f_stats), NULL },
	[CTI_WIRE_END] = { "END", S2C, ID_ANY, FIELDS(f_end), check_end },
	[CTI_WIRE_ERROR] = { "ERROR", S2C, ID_ANY, FIELDS(f_error),
			     check_error },
	[CTI_WIRE_GAP] = { "GAP", S2C, ID_ZERO, FIELDS(f_gap), check_gap },
	[CTI_WIRE_RESYNC] = { "RESYNC", S2C, ID_ZERO, FIELDS(f_resync), NULL },
	[CTI_WIRE_PHONE] = { "PHONE", S2C, ID_ANY, FIELDS(f_phone),
			     check_phone },
	[CTI_WIRE_ACCOUNT] = { "ACCOUNT", S2C, ID_POS, FIELDS(f_account),
			       NULL },
	[CTI_WIRE_SESSION_INFO] = { "SESSION_INFO", S2C, ID_POS,
				    FIELDS(f_session_info), NULL },
	[CTI_WIRE_ADMIN_NOTE] = { "ADMIN_NOTE", S2C, ID_POS,
				  FIELDS(f_admin_note), check_admin_note },

	[CTI_WIRE_EV_CALL_STATE] = { "EV_CALL_STATE", S2C, ID_POS,
				     FIELDS(f_ev_call_state),
				     check_call_state },
	[CTI_WIRE_EV_CALL_INFO] = { "EV_CALL_INFO", S2C, ID_POS,
				    FIELDS(f_ev_call_info), NULL },
	[CTI_WIRE_EV_DIGITS] = { "EV_DIGITS", S2C, ID_POS,
				 FIELDS(f_ev_digits), check_digits },
	[CTI_WIRE_EV_LINE_STATUS] = { "EV_LINE_STATUS", S2C, ID_POS,
				      FIELDS(f_ev_line_status), NULL },
	[CTI_WIRE_EV_PHONE_HOOK] = { "EV_PHONE_HOOK", S2C, ID_POS,
				     FIELDS(f_ev_phone_hook),
				     check_phone_hook },
	[CTI_WIRE_EV_PHONE_BUTTON] = { "EV_PHONE_BUTTON", S2C, ID_POS,
				       FIELDS(f_ev_phone_button), NULL },
	[CTI_WIRE_EV_LINK_STATE] = { "EV_LINK_STATE", S2C, ID_POS,
				     FIELDS(f_ev_link_state), NULL },
	[CTI_WIRE_EV_LINE_ADDED] = { "EV_LINE_ADDED", S2C, ID_POS,
				     FIELDS(f_line), NULL },
	[CTI_WIRE_EV_LINE_REMOVED] = { "EV_LINE_REMOVED", S2C, ID_POS,
				       FIELDS(f_ev_line_removed), NULL },
	[CTI_WIRE_EV_PRIVILEGE] = { "EV_PRIVILEGE", S2C, ID_POS,
				    FIELDS(f_ev_privilege), NULL },
	[CTI_WIRE_EV_AGENT_STATE] = { "EV_AGENT_STATE", S2C, ID_POS,
				      FIELDS(f_ev_agent_state), NULL },
	[CTI_WIRE_EV_PROVIDER_STATE] = { "EV_PROVIDER_STATE", S2C, ID_POS,
					 FIELDS(f_ev_provider_state), NULL },
	[CTI_WIRE_EV_PHONE_DISPLAY] = { "EV_PHONE_DISPLAY", S2C, ID_POS,
					FIELDS(f_ev_phone_display), NULL },
	[CTI_WIRE_EV_PHONE_LAMP] = { "EV_PHONE_LAMP", S2C, ID_POS,
				     FIELDS(f_ev_phone_lamp), NULL },
	[CTI_WIRE_EV_PHONE_RING] = { "EV_PHONE_RING", S2C, ID_POS,
				     FIELDS(f_ev_phone_ring), NULL },
	[CTI_WIRE_EV_DEV_SPECIFIC] = { "EV_DEV_SPECIFIC", S2C, ID_POS,
				       FIELDS(f_ev_dev_specific), NULL },
	[CTI_WIRE_EV_PHONE_ADDED] = { "EV_PHONE_ADDED", S2C, ID_POS,
				      FIELDS(f_phone), check_phone },
	[CTI_WIRE_EV_PHONE_PRIVILEGE] = { "EV_PHONE_PRIVILEGE", S2C, ID_POS,
					  FIELDS(f_ev_phone_privilege), NULL },
};

static const struct frame_desc *desc_of(unsigned int type)
{
	if (type >= CTI_WIRE_TYPE_MAX || !frame_descs[type].name)
		return NULL;
	return &frame_descs[type];
}

const char *cti_wire_type_name(unsigned int type)
{
	const struct frame_desc *d = desc_of(type);

	return d ? d->name : "?";
}

unsigned int cti_wire_type_dir(unsigned int type)
{
	const struct frame_desc *d = desc_of(type);

	return d ? d->dir : 0;
}

int cti_wire_type_is_event(unsigned int type)
{
	return type >= CTI_WIRE_EV_CALL_STATE && desc_of(type) != NULL;
}

static int parse_hdr(const uint8_t *p, struct cti_wire_hdr *hdr)
{
	struct reader r = { .p = p, .pos = 0, .end = CTI_WIRE_HDR_SIZE };

	hdr->len = (uint32_t)rd_le(&r, 4);
	hdr->type = (uint16_t)rd_le(&r, 2);
	hdr->flags = (uint16_t)rd_le(&r, 2);
	hdr->id = rd_le(&r, 8);
	if (hdr->len < CTI_WIRE_HDR_SIZE || hdr->len > CTI_WIRE_FRAME_MAX)
		return -EMSGSIZE;
	return 0;
}

ssize_t cti_wire_peek(const void *buf, size_t len, struct cti_wire_hdr *hdr)
{
	int err;

	if (len < CTI_WIRE_HDR_SIZE)
		return 0;
	err = parse_hdr(buf, hdr);
	if (err)
		return err;
	return hdr->len;
}

static int check_hdr(const struct cti_wire_hdr *hdr, unsigned int dir,
		     const struct frame_desc **descp,
		     struct cti_wire_diag *diag)
{
	const struct frame_desc *d = desc_of(hdr->type);

	/* diag is written only on failure: every frame passes here */
	if (!d || !(d->dir & dir))
		return field_fail(diag, 4, "hdr.type", -ENOMSG);
	if (hdr->flags)
		return field_fail(diag, 6, "hdr.flags", -EINVAL);
	if (check_id(d->id_rule, hdr->id))
		return field_fail(diag, 8, "hdr.id", -EINVAL);
	*descp = d;
	return 0;
}

ssize_t cti_wire_decode(const void *buf, size_t len, unsigned int dir,
			struct cti_wire_frame *f, struct cti_wire_diag *diag)
{
	const struct frame_desc *d;
	struct reader r;
	int err;

	/* the body is zeroed by its decoder, and only the body (wire.h) */
	memset(&f->hdr, 0, sizeof(f->hdr));
	if (diag) {
		diag->offset = 0;
		diag->field = "hdr.len";
	}
	if (len < CTI_WIRE_HDR_SIZE)
		return -EBADMSG;
	err = parse_hdr(buf, &f->hdr);
	if (err)
		return err;
	if (len < f->hdr.len)
		return -EBADMSG;
	err = check_hdr(&f->hdr, dir, &d, diag);
	if (err)
		return err;

	r.p = buf;
	r.pos = CTI_WIRE_HDR_SIZE;
	r.end = f->hdr.len;
	r.at = 0;
	if (d->decode) {
		err = d->decode(&r, &f->u, diag);
		if (err)
			return err;
	}
	if (r.pos != r.end)
		return field_fail(diag, r.pos, "trailing bytes", -EBADMSG);
	if (d->check) {
		if (diag && d->nfields) {
			diag->offset = (uint32_t)r.at;
			diag->field = d->fields[d->nfields - 1].name;
		}
		err = d->check(f, diag);
		if (err)
			return err;
	}
	return f->hdr.len;
}

ssize_t cti_wire_encode(const struct cti_wire_frame *f, void *buf,
			size_t size, struct cti_wire_diag *diag)
{
	const struct frame_desc *d;
	struct writer w = { .p = buf, .pos = CTI_WIRE_HDR_SIZE, .size = size };
	uint8_t *hdr = buf;
	int err;

	if (size > CTI_WIRE_FRAME_MAX)
		w.size = CTI_WIRE_FRAME_MAX;	/* never produce a bigger frame */
	if (diag) {
		diag->offset = 0;
		diag->field = "hdr";
	}
	err = check_hdr(&f->hdr, CTI_WIRE_FROM_ANY, &d, diag);
	if (err)
		return err;
	if (w.size < CTI_WIRE_HDR_SIZE)
		return fail(diag, "hdr", -ENOSPC);
	if (d->encode) {
		err = d->encode(&w, &f->u, diag);
		if (err)
			return err;
	}
	if (d->check) {
		if (diag && d->nfields) {
			diag->offset = (uint32_t)w.at;
			diag->field = d->fields[d->nfields - 1].name;
		}
		err = d->check(f, diag);
		if (err)
			return err;
	}
	le_store(hdr, w.pos, 4);
	le_store(hdr + 4, f->hdr.type, 2);
	le_store(hdr + 6, f->hdr.flags, 2);
	le_store(hdr + 8, f->hdr.id, 8);
	return (ssize_t)w.pos;
}

/* ---- patching encoded frames (ctid encodes an event once) ---- */

static uint64_t patch_rd_le(const uint8_t *p, unsigned int n)
{
	return le_load(p, n);
}

static void patch_put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	le_store(p, v, n);
}

uint32_t cti_wire_frame_len(const void *frame)
{
	return (uint32_t)patch_rd_le(frame, 4);
}

unsigned int cti_wire_frame_type(const void *frame)
{
	return (unsigned int)patch_rd_le((const uint8_t *)frame + 4, 2);
}

uint64_t cti_wire_frame_id(const void *frame)
{
	return patch_rd_le((const uint8_t *)frame + 8, 8);
}

void cti_wire_frame_set_id(void *frame, uint64_t id)
{
	patch_put_le((uint8_t *)frame + 8, id, 8);
}

/*
 * The offset of a u32 field named "<struct>.privilege" in an encoded frame
 * of @type, found from the type's field table: only fixed-width fields may
 * come before it. 0: the type has none.
 */
static uint32_t privilege_offset(unsigned int type)
{
	const struct frame_desc *d = desc_of(type);
	uint32_t off = CTI_WIRE_HDR_SIZE;

	if (!d)
		return 0;
	for (unsigned int i = 0; i < d->nfields; i++) {
		const struct field *fd = &d->fields[i];
		const char *dot = strrchr(fd->name, '.');

		if (fd->kind > FK_U64)
			return 0;
		if (dot && !strcmp(dot, ".privilege"))
			return fd->kind == FK_U32 ? off : 0;
		off += int_width(fd->kind);
	}
	return 0;
}

uint32_t cti_wire_privilege_offset(unsigned int type)
{
	return privilege_offset(type);
}

int cti_wire_frame_set_privilege(void *frame, uint32_t off, uint32_t privilege)
{
	if (!off || off != privilege_offset(cti_wire_frame_type(frame)) ||
	    off + 4 > cti_wire_frame_len(frame))
		return -EINVAL;
	patch_put_le((uint8_t *)frame + off, privilege, 4);
	return 0;
}

void cti_wire_frame_patch_privilege(void *frame, uint32_t off, uint32_t privilege)
{
	patch_put_le((uint8_t *)frame + off, privilege, 4);
}

size_t cti_wire_body_size(unsigned int type)
{
	const struct frame_desc *d = desc_of(type);
	size_t size = 0;

	if (!d)
		return 0;
	for (unsigned int i = 0; i < d->nfields; i++) {
		size_t end = field_end(&d->fields[i]);

		if (end > size)
			size = end;
	}
	return size;
}
