/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wire.h - the client protocol codec of libcti and ctid
 *
 * doc/protocol.md is the specification; this header is its C face. Every
 * frame travels as a 16-byte header (struct cti_wire_hdr) followed by a body
 * whose fields are packed little-endian in the order of the members of the
 * body structs below: u16/u32/s32/u64 as fixed-width integers, a string as
 * a u8 length and that many bytes (no NUL), a byte blob as a u16 length and
 * its bytes, a string list as a u8 count and that many strings.
 *
 * Decoded strings are NUL-terminated in fixed arrays, so a decoded frame
 * owns no memory and needs no free. The decoder validates everything (frame
 * length, type, direction, flags, id rule, reserved fields, enum ranges,
 * string lengths and characters, exact body length) and never reads past the
 * buffer it is given: arbitrary bytes give a precise negative errno, never a
 * crash. The encoder applies the same checks, so neither side can put a
 * frame on the wire that the other would reject.
 *
 * The codec is not part of libcti's public API: ctid links it from
 * build/lib/libcti-wire.a. Names may be added, never renumbered.
 */
#ifndef CTI_WIRE_H
#define CTI_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/cti.h>

#include "cti_userspace.h"

#define CTI_WIRE_VERSION	1	/* the protocol version this codec speaks */
#define CTI_WIRE_HDR_SIZE	16	/* bytes of struct cti_wire_hdr on the wire */
#define CTI_WIRE_FRAME_MAX	4096	/* largest frame, header included */

#define CTI_WIRE_CLIENT_NAME_MAX 32	/* HELLO client name, with NUL */
#define CTI_WIRE_MESSAGE_MAX	128	/* ERROR message, with NUL */
#define CTI_WIRE_PROVIDER_MAX	32	/* provider name, with NUL */
#define CTI_WIRE_AGENT_GROUPS_MAX CTI_AGENT_GROUPS_MAX /* agent group list, with NUL */

/* The first event of a session has sequence number 1; 0 means "none". */
#define CTI_WIRE_SEQ_NONE	0

/**
 * enum cti_wire_type - frame types (struct cti_wire_hdr.type)
 *
 * 1-63 travel from client to server, 64-95 from server to client, 96-127
 * are events (server to client, header id = the session's sequence
 * number). The body of each is the struct named in the comment.
 */
enum cti_wire_type {
	/* client -> server; id: request id > 0 unless noted */
	CTI_WIRE_HELLO = 1,		/* cti_wire_hello; id 0 */
	CTI_WIRE_PING = 2,		/* empty; any id, echoed in PONG */
	CTI_WIRE_LIST_LINES = 3,	/* empty */
	CTI_WIRE_LIST_CALLS = 4,	/* cti_wire_list_calls */
	CTI_WIRE_SNAPSHOT = 5,		/* empty */
	CTI_WIRE_OPEN_LINE = 6,		/* cti_wire_open_line */
	CTI_WIRE_CLOSE_LINE = 7,	/* cti_wire_close_line */
	CTI_WIRE_COMMAND = 8,		/* cti_wire_command */
	CTI_WIRE_SET_PRIVILEGE = 9,	/* cti_wire_set_privilege */
	CTI_WIRE_HANDOFF = 10,		/* cti_wire_handoff */
	CTI_WIRE_LIST_PROVIDERS = 11,	/* empty; admin */
	CTI_WIRE_PROVIDER_LOAD = 12,	/* cti_wire_provider_req; admin */
	CTI_WIRE_PROVIDER_UNLOAD = 13,	/* cti_wire_provider_req; admin */
	CTI_WIRE_PROVIDER_RELOAD = 14,	/* cti_wire_provider_req; admin */
	CTI_WIRE_BYE = 15,		/* empty; id 0; no answer: the session ends */
	CTI_WIRE_LOGIN = 16,		/* cti_wire_login; before HELLO, TLS only */
	CTI_WIRE_SERVER_RELOAD = 17,	/* empty; admin: the whole configuration */
	/* live administration (admin; doc/protocol.md, "Administration") */
	CTI_WIRE_LIST_ACCOUNTS = 18,	/* cti_wire_account_list */
	CTI_WIRE_ACCOUNT_ADD = 19,	/* cti_wire_account_req */
	CTI_WIRE_ACCOUNT_DEL = 20,	/* cti_wire_account_req */
	CTI_WIRE_GRANT = 21,		/* cti_wire_grant */
	CTI_WIRE_REVOKE = 22,		/* cti_wire_grant */
	CTI_WIRE_SET_PASSWORD = 23,	/* cti_wire_set_password */
	CTI_WIRE_LIST_SESSIONS = 24,	/* empty */
	CTI_WIRE_KICK = 25,		/* cti_wire_kick */
	/* phones (CTI_WIRE_FEAT_PHONE_DEV); a phone's id is its line's id */
	CTI_WIRE_LIST_PHONES = 28,	/* cti_wire_phone_req: one phone, or all */
	CTI_WIRE_OPEN_PHONE = 29,	/* cti_wire_open_phone */
	CTI_WIRE_CLOSE_PHONE = 30,	/* cti_wire_phone_req */
	CTI_WIRE_PHONE_COMMAND = 31,	/* cti_wire_phone_command */
	CTI_WIRE_SERVER_STATS = 32,	/* empty; admin, FEAT_STATS: a STATS, then REPLY */

	/* server -> client */
	CTI_WIRE_HELLO_ACK = 64,	/* cti_wire_hello_ack; id 0 */
	CTI_WIRE_PONG = 65,		/* empty; the PING's id */
	CTI_WIRE_REPLY = 66,		/* cti_wire_reply; the request's id */
	CTI_WIRE_LINE = 67,		/* cti_wire_line; request id, 0 in a resync */
	CTI_WIRE_CALL = 68,		/* cti_wire_call; request id, 0 in a resync */
	CTI_WIRE_PROVIDER = 69,		/* cti_wire_provider; request id */
	CTI_WIRE_END = 70,		/* cti_wire_end; request id, 0 in a resync */
	CTI_WIRE_ERROR = 71,		/* cti_wire_error; the bad frame's id */
	CTI_WIRE_GAP = 72,		/* cti_wire_gap; id 0 */
	CTI_WIRE_RESYNC = 73,		/* cti_wire_resync; id 0 */
	CTI_WIRE_ACCOUNT = 74,		/* cti_wire_account; request id */
	CTI_WIRE_SESSION_INFO = 75,	/* cti_wire_session_info; request id */
	CTI_WIRE_ADMIN_NOTE = 76,	/* cti_wire_admin_note; request id */
	CTI_WIRE_PHONE = 78,		/* cti_wire_phone; request id, 0 in a resync */
	CTI_WIRE_STATS = 80,		/* cti_wire_stats; request id */

	/* events, server -> client; id: sequence number > 0 */
	CTI_WIRE_EV_CALL_STATE = 96,	/* cti_wire_ev_call_state */
	CTI_WIRE_EV_CALL_INFO = 97,	/* cti_wire_ev_call_info */
	CTI_WIRE_EV_DIGITS = 98,	/* cti_wire_ev_digits */
	CTI_WIRE_EV_LINE_STATUS = 99,	/* cti_wire_ev_line_status */
	CTI_WIRE_EV_PHONE_HOOK = 100,	/* cti_wire_ev_phone_hook */
	CTI_WIRE_EV_PHONE_BUTTON = 101,	/* cti_wire_ev_phone_button */
	CTI_WIRE_EV_LINK_STATE = 102,	/* cti_wire_ev_link_state */
	CTI_WIRE_EV_LINE_ADDED = 103,	/* cti_wire_line */
	CTI_WIRE_EV_LINE_REMOVED = 104,	/* cti_wire_ev_line_removed */
	CTI_WIRE_EV_PRIVILEGE = 105,	/* cti_wire_ev_privilege */
	CTI_WIRE_EV_AGENT_STATE = 106,	/* cti_wire_ev_agent_state */
	CTI_WIRE_EV_PROVIDER_STATE = 107, /* cti_wire_ev_provider_state */
	CTI_WIRE_EV_PHONE_DISPLAY = 108, /* cti_wire_ev_phone_display */
	CTI_WIRE_EV_PHONE_LAMP = 109,	/* cti_wire_ev_phone_lamp */
	CTI_WIRE_EV_PHONE_RING = 110,	/* cti_wire_ev_phone_ring */
	CTI_WIRE_EV_DEV_SPECIFIC = 111,	/* cti_wire_ev_dev_specific */
	CTI_WIRE_EV_PHONE_ADDED = 112,	/* cti_wire_phone */
	CTI_WIRE_EV_PHONE_PRIVILEGE = 113, /* cti_wire_ev_phone_privilege */

	CTI_WIRE_TYPE_MAX = 128,	/* types are below this */
};

/* Directions a decoder accepts (cti_wire_decode()). */
#define CTI_WIRE_FROM_CLIENT	0x1u
#define CTI_WIRE_FROM_SERVER	0x2u
#define CTI_WIRE_FROM_ANY	(CTI_WIRE_FROM_CLIENT | CTI_WIRE_FROM_SERVER)

/* Feature bits negotiated by HELLO / HELLO_ACK (the intersection wins). */
#define CTI_WIRE_FEAT_RESUME	(1ULL << 0)	/* resume from a sequence */
#define CTI_WIRE_FEAT_PHONES	(1ULL << 1)	/* phone events */
#define CTI_WIRE_FEAT_AGENT	(1ULL << 2)	/* agent state */
#define CTI_WIRE_FEAT_ADMIN	(1ULL << 3)	/* provider requests */
#define CTI_WIRE_FEAT_ALL	((1ULL << 4) - 1)
/*
 * The session's OWNER opens are exclusive (doc/protocol.md, open_line).
 * Not in CTI_WIRE_FEAT_ALL: that is what a client asks for by default,
 * and exclusive ownership changes TAPI's shared one, so a client asks for
 * it by name.
 */
#define CTI_WIRE_FEAT_EXCLUSIVE	(1ULL << 4)
/*
 * The server understands BYE: the client ends its session on purpose and
 * it is not kept for a resume (doc/protocol.md, the session). A client
 * sends BYE only to a server that granted this bit.
 */
#define CTI_WIRE_FEAT_BYE	(1ULL << 5)
/*
 * PROVIDER items carry the provider's link state (cti_wire_provider.link):
 * a server sends that field only to a client that asked, since an older
 * decoder refuses a reserved field that is not zero.
 */
#define CTI_WIRE_FEAT_LINK	(1ULL << 6)
/*
 * Live administration: the client understands ADMIN_NOTE, the reason a
 * server gives before the REPLY of a refused administration request
 * (a broken configuration's FILE:LINE). Requests 18-25 work without it.
 */
#define CTI_WIRE_FEAT_ACCOUNTS	(1ULL << 7)
/*
 * Phones as objects of their own (doc/protocol.md, phones): LIST_PHONES,
 * OPEN_PHONE, CLOSE_PHONE, PHONE_COMMAND, PHONE items in snapshots and
 * EV_PHONE_ADDED / EV_PHONE_PRIVILEGE. Not in CTI_WIRE_FEAT_ALL, which
 * older clients send as "everything": they would get frames they refuse.
 */
#define CTI_WIRE_FEAT_PHONE_DEV	(1ULL << 8)
/*
 * The server answers SERVER_STATS (admins only) with a STATS frame. A new
 * frame type that an older decoder refuses, so it is asked for by name.
 */
#define CTI_WIRE_FEAT_STATS	(1ULL << 9)
/* Every bit a server of this version may grant. */
#define CTI_WIRE_FEAT_KNOWN	(CTI_WIRE_FEAT_ALL | CTI_WIRE_FEAT_EXCLUSIVE | \
				 CTI_WIRE_FEAT_BYE | CTI_WIRE_FEAT_LINK | \
				 CTI_WIRE_FEAT_ACCOUNTS | CTI_WIRE_FEAT_PHONE_DEV | \
				 CTI_WIRE_FEAT_STATS)

/* HELLO_ACK flags. */
#define CTI_WIRE_ACK_F_ADMIN	(1u << 0)	/* this user is an administrator */
#define CTI_WIRE_ACK_F_VALID	CTI_WIRE_ACK_F_ADMIN

/**
 * enum cti_wire_resume - what a HELLO_ACK says about the session
 * @CTI_WIRE_RESUME_NEW: a new session; events start at sequence 1
 * @CTI_WIRE_RESUME_OK: the session was resumed; the events after the
 *	client's resume_seq are replayed at once, then live events follow
 * @CTI_WIRE_RESUME_RESYNC: the resume point is unknown or older than the
 *	replay log; a RESYNC frame and a snapshot follow
 */
enum cti_wire_resume {
	CTI_WIRE_RESUME_NEW = 0,
	CTI_WIRE_RESUME_OK = 1,
	CTI_WIRE_RESUME_RESYNC = 2,
	CTI_WIRE_RESUME_MAX,
};

/*
 * A session's privilege on a line or a call: &enum cti_privilege of
 * cti_userspace.h, under the names the codec has always used.
 */
#define CTI_WIRE_PRIV_NONE	CTI_PRIV_NONE
#define CTI_WIRE_PRIV_MONITOR	CTI_PRIV_MONITOR
#define CTI_WIRE_PRIV_OWNER	CTI_PRIV_OWNER
#define CTI_WIRE_PRIV_MAX	CTI_PRIV_MAX

/**
 * enum cti_wire_resync_reason - why a RESYNC was sent
 * @CTI_WIRE_RESYNC_TOO_OLD: the resume point left the replay log
 * @CTI_WIRE_RESYNC_UNKNOWN_SESSION: the server does not know the session
 *	(it restarted, or the session expired)
 * @CTI_WIRE_RESYNC_OVERFLOW: the client's outgoing queue overflowed (a GAP
 *	frame came first)
 */
enum cti_wire_resync_reason {
	CTI_WIRE_RESYNC_TOO_OLD = 0,
	CTI_WIRE_RESYNC_UNKNOWN_SESSION = 1,
	CTI_WIRE_RESYNC_OVERFLOW = 2,
	CTI_WIRE_RESYNC_MAX,
};

/* Provider states (cti_wire_provider.state, EV_PROVIDER_STATE). */
#define CTI_WIRE_PROVIDER_DOWN	0
#define CTI_WIRE_PROVIDER_UP	1

/*
 * cti_wire_provider.link: the provider's link to its switch or server, as
 * its last EV_LINK_STATE said. NONE: it never said (it has no such link,
 * or the session lacks CTI_WIRE_FEAT_LINK).
 */
#define CTI_WIRE_LINK_NONE	0
#define CTI_WIRE_LINK_DOWN	1
#define CTI_WIRE_LINK_UP	2

/* Command numbers of userspace extensions (&enum cti_ucmd): a line
 * advertises them in a 64-bit mask (uops), hence the range. */
#define CTI_WIRE_UCMD_FIRST	CTI_UCMD_BASE
#define CTI_WIRE_UCMD_LAST	(CTI_UCMD_BASE + 63)

/**
 * struct cti_wire_hdr - the header of every frame
 * @len: bytes of the whole frame, header included, 16..CTI_WIRE_FRAME_MAX
 * @type: an &enum cti_wire_type
 * @flags: none are defined in version 1; must be zero
 * @id: request id, sequence number or zero, by type
 */
struct cti_wire_hdr {
	uint32_t len;
	uint16_t type;
	uint16_t flags;
	uint64_t id;
};

struct cti_wire_hello {
	uint32_t version;		/* highest version the client speaks */
	uint32_t flags;			/* zero */
	uint64_t features;		/* CTI_WIRE_FEAT_* wanted */
	uint64_t resume_session;	/* session to resume, 0 for a new one */
	uint64_t resume_seq;		/* last event seq the client processed */
	char client_name[CTI_WIRE_CLIENT_NAME_MAX]; /* name string */
};

struct cti_wire_hello_ack {
	uint32_t version;		/* version both speak (<= the client's) */
	uint32_t resume;		/* enum cti_wire_resume */
	uint64_t features;		/* CTI_WIRE_FEAT_* granted */
	uint64_t session;		/* session id, never 0 */
	uint64_t seq;			/* seq of the last event already sent */
	uint32_t max_frame;		/* largest frame the server accepts */
	uint32_t uid;			/* the user the server sees */
	uint32_t flags;			/* CTI_WIRE_ACK_F_* */
	uint32_t __reserved;		/* zero */
	char server_name[CTI_NAME_MAX];	/* name string */
};

struct cti_wire_list_calls {
	uint32_t line;			/* a line id, or CTI_LINE_NONE for all */
	uint32_t __reserved;		/* zero */
};

struct cti_wire_open_line {
	uint32_t line;			/* line id */
	uint32_t privilege;		/* MONITOR or OWNER */
};

struct cti_wire_close_line {
	uint32_t line;
	uint32_t __reserved;		/* zero */
};

/*
 * COMMAND: one enum cti_cmd (0..CTI_CMD_MAX-1) or userspace command
 * (CTI_WIRE_UCMD_FIRST..LAST). The meaning of line, call, call2, arg, arg2
 * and data is the kernel's (struct cti_request), with line a stable line id.
 * data is checked by command: a number ([+0-9*#], '+' first only, at most
 * CTI_NUMBER_MAX - 1) for MAKE_CALL, BLIND_TRANSFER, SETUP_TRANSFER,
 * SETUP_CONFERENCE, REDIRECT, PARK, UNPARK, PICKUP, SET_FORWARD; DTMF digits
 * (0-9*#A-D) for GENERATE_DIGITS; printable UTF-8 of at most
 * CTI_DISPLAY_MAX bytes for SET_DISPLAY and for userspace commands; opaque
 * bytes for SEND_LINK_FRAME and DEV_SPECIFIC (their kernel bounds); empty
 * for every other command. Decoded data has a NUL after data_len bytes.
 */
struct cti_wire_command {
	uint16_t cmd;
	uint16_t flags;			/* zero */
	uint32_t line;
	uint32_t call;
	uint32_t call2;
	uint32_t arg;
	uint32_t arg2;
	uint32_t data_len;		/* u16 on the wire, with the blob */
	uint8_t data[CTI_DATA_MAX + 1];
};

struct cti_wire_set_privilege {
	uint32_t line;
	uint32_t call;			/* CTI_CALL_NONE: no call (invalid) */
	uint32_t privilege;		/* NONE, MONITOR or OWNER */
	uint32_t __reserved;		/* zero */
};

struct cti_wire_handoff {
	uint32_t line;
	uint32_t call;
	/* client name of the target session; empty: any other owner */
	char target[CTI_WIRE_CLIENT_NAME_MAX];
};

struct cti_wire_provider_req {
	char name[CTI_WIRE_PROVIDER_MAX];	/* ident string */
};

/* User name and password bounds of LOGIN (doc/protocol.md, login). */
#define CTI_WIRE_USER_MAX	32	/* with NUL */
#define CTI_WIRE_PASSWORD_MAX	256	/* bytes */

/*
 * LOGIN: a user name and password over TLS, before HELLO. Answered by a
 * REPLY: 0, -EACCES (no such user or a wrong password: one answer),
 * -EAGAIN (too many failures: wait), -EALREADY (already authenticated).
 */
struct cti_wire_login {
	char user[CTI_WIRE_USER_MAX];		/* name string */
	uint32_t password_len;			/* u16 on the wire, with the blob */
	uint8_t password[CTI_WIRE_PASSWORD_MAX];
};

/* Bounds of the phone state ctid mirrors (cti_wire_phone). */
#define CTI_WIRE_PHONE_ROWS_MAX	8	/* display rows */
#define CTI_WIRE_PHONE_LAMPS_MAX 64	/* lamps */
/* cti_wire_phone.last_button before any button moved */
#define CTI_WIRE_BUTTON_NONE	0xffffffffU

/* LIST_PHONES (phone: an id or CTI_LINE_NONE for all) and CLOSE_PHONE. */
struct cti_wire_phone_req {
	uint32_t phone;
	uint32_t __reserved;		/* zero */
};

struct cti_wire_open_phone {
	uint32_t phone;			/* phone id */
	uint32_t privilege;		/* MONITOR or OWNER */
};

/*
 * PHONE_COMMAND: SET_HOOK, SET_DISPLAY, SET_LAMP, SET_RING (arg, arg2 and
 * data as in COMMAND) or DEV_SPECIFIC (the phone's line's provider gets
 * the bytes), addressed to the phone. Data as COMMAND checks it.
 */
struct cti_wire_phone_command {
	uint32_t phone;
	uint16_t cmd;
	uint16_t flags;			/* zero */
	uint32_t arg;
	uint32_t arg2;
	uint32_t data_len;		/* u16 on the wire, with the blob */
	uint8_t data[CTI_DEV_SPECIFIC_MAX + 1];
};

/*
 * A phone, its capabilities and its state (PHONE items, EV_PHONE_ADDED).
 * hook[] is by device: [0] handset, [1] speaker, [2] headset, each an
 * enum cti_hook_mode (ONHOOK for a device the phone lacks).
 */
struct cti_wire_phone {
	uint32_t phone;			/* phone id, never CTI_LINE_NONE */
	uint32_t line;			/* the line it belongs to */
	uint64_t hookswitches;		/* CTI_HOOKSWITCH_* */
	uint32_t num_buttons;
	uint32_t num_lamps;		/* <= CTI_WIRE_PHONE_LAMPS_MAX */
	uint32_t display_rows;		/* <= CTI_WIRE_PHONE_ROWS_MAX */
	uint32_t display_cols;		/* <= CTI_DISPLAY_MAX */
	uint32_t num_ring_patterns;	/* 1..n ring; 0: any pattern number */
	uint32_t allowed;		/* bit (1 << priv) this user may open */
	uint32_t privilege;		/* this session's privilege on it */
	uint32_t hook[3];		/* enum cti_hook_mode by device */
	uint32_t ring_pattern;		/* 0: silent */
	uint32_t ring_volume;		/* 0-100 */
	uint32_t last_button;		/* CTI_WIRE_BUTTON_NONE: none yet */
	uint32_t last_pressed;		/* 0 or 1 */
	char name[CTI_NAME_MAX];	/* name string: its line's name */
	uint32_t num_lamps_state;	/* u16 on the wire, with the blob */
	uint8_t lamps[CTI_WIRE_PHONE_LAMPS_MAX]; /* enum cti_lamp_mode each */
	uint32_t num_rows;		/* u8 on the wire, = display_rows */
	char display[CTI_WIRE_PHONE_ROWS_MAX][CTI_DISPLAY_MAX + 1]; /* text list */
};

struct cti_wire_ev_phone_privilege {
	uint32_t phone;
	uint32_t privilege;		/* enum cti_privilege */
	uint64_t timestamp_ns;
};

/* Live administration (doc/protocol.md, "Administration"). */
#define CTI_WIRE_SPEC_MAX	128	/* a line list "1-4, sim/2*", with NUL */
#define CTI_WIRE_HASH_MAX	128	/* a crypt(5) hash, with NUL */
#define CTI_WIRE_PEER_MAX	64	/* "pid 123" or "[::1]:4433", with NUL */
#define CTI_WIRE_NOTE_MAX	256	/* ADMIN_NOTE text, with NUL */

/* Kinds of account: a [user NAME] or a [group NAME] section. */
#define CTI_WIRE_ACCT_USER	0
#define CTI_WIRE_ACCT_GROUP	1

/* cti_wire_account.flags, cti_wire_account_req.flags */
#define CTI_WIRE_ACCT_F_ADMIN	(1u << 0)	/* the account is admin */
#define CTI_WIRE_ACCT_F_PASSWORD (1u << 1)	/* a password in the users file */
#define CTI_WIRE_ACCT_F_VALID	(CTI_WIRE_ACCT_F_ADMIN | CTI_WIRE_ACCT_F_PASSWORD)

/* cti_wire_grant.right: what GRANT adds and REVOKE takes away. */
#define CTI_WIRE_RIGHT_OWNER	1	/* lines = (own and monitor) */
#define CTI_WIRE_RIGHT_MONITOR	2	/* monitor = */
#define CTI_WIRE_RIGHT_PICKUP	3	/* pickup = (a pickup group) */
#define CTI_WIRE_RIGHT_ADMIN	4	/* admin = yes; spec empty */
#define CTI_WIRE_RIGHT_MEMBER	5	/* members = (groups); spec: user names */
#define CTI_WIRE_RIGHT_MAX	CTI_WIRE_RIGHT_MEMBER

/* cti_wire_session_info.flags */
#define CTI_WIRE_SESS_F_ATTACHED (1u << 0)	/* a connection carries it */
#define CTI_WIRE_SESS_F_TLS	(1u << 1)	/* over TLS (else the unix socket) */
#define CTI_WIRE_SESS_F_ADMIN	(1u << 2)	/* its user is admin */
#define CTI_WIRE_SESS_F_VALID	0x7u

struct cti_wire_account_list {
	uint32_t kind;			/* CTI_WIRE_ACCT_* */
	uint32_t __reserved;		/* zero */
};

struct cti_wire_account_req {
	uint32_t kind;			/* CTI_WIRE_ACCT_* */
	uint32_t flags;			/* ADD: CTI_WIRE_ACCT_F_ADMIN; DEL: 0 */
	char name[CTI_WIRE_USER_MAX];	/* name string, a [user]'s rule */
};

struct cti_wire_grant {
	uint32_t kind;			/* CTI_WIRE_ACCT_* */
	uint32_t right;			/* CTI_WIRE_RIGHT_* */
	char name[CTI_WIRE_USER_MAX];
	char spec[CTI_WIRE_SPEC_MAX];	/* text: "*, 1-8, 12, sim/2*" */
};

struct cti_wire_set_password {
	char user[CTI_WIRE_USER_MAX];
	char hash[CTI_WIRE_HASH_MAX];	/* "$y$..." (yescrypt), or "*": none */
};

struct cti_wire_kick {
	uint64_t session;		/* a session id of LIST_SESSIONS */
};

struct cti_wire_account {
	uint32_t kind;			/* CTI_WIRE_ACCT_* */
	uint32_t flags;			/* CTI_WIRE_ACCT_F_* */
	char name[CTI_WIRE_USER_MAX];
	char lines[CTI_WIRE_SPEC_MAX];	/* text; empty: none */
	char monitor[CTI_WIRE_SPEC_MAX];
	char pickup[CTI_WIRE_SPEC_MAX];
	char members[CTI_WIRE_SPEC_MAX];	/* groups: "a,b" */
};

struct cti_wire_session_info {
	uint64_t session;
	uint64_t since_ns;		/* CLOCK_REALTIME of its HELLO */
	uint32_t uid;
	uint32_t pid;			/* unix: the peer's; TLS: 0 */
	uint32_t flags;			/* CTI_WIRE_SESS_F_* */
	uint32_t lines_open;
	char user[CTI_WIRE_USER_MAX];
	char peer[CTI_WIRE_PEER_MAX];	/* text; empty while detached */
	char client_name[CTI_WIRE_CLIENT_NAME_MAX];
};

struct cti_wire_admin_note {
	int32_t error;			/* the REPLY's, negative */
	uint32_t __reserved;		/* zero */
	char message[CTI_WIRE_NOTE_MAX];	/* text: "FILE:LINE: why" */
};

struct cti_wire_reply {
	int32_t error;			/* 0 or a negative errno */
	uint32_t line;			/* the request's line, or CTI_LINE_NONE */
	uint32_t call;			/* the call created, or CTI_CALL_NONE */
	uint16_t req_type;		/* the request's frame type */
	uint16_t cmd;			/* COMMAND's cmd, else 0 */
};

struct cti_wire_line {
	uint32_t line;			/* stable line id, never CTI_LINE_NONE */
	uint32_t status;		/* enum cti_line_status */
	uint64_t ops;			/* bit n: enum cti_cmd n supported */
	uint64_t uops;			/* bit n: command 64 + n supported */
	uint32_t provider;		/* provider id */
	uint32_t num_calls;
	uint32_t max_calls;
	uint32_t allowed;		/* bit (1 << priv) this user may open */
	uint32_t privilege;		/* this session's privilege on it */
	uint32_t forward_mode;		/* enum cti_forward_mode */
	uint32_t dnd;			/* 0 or 1 */
	uint32_t num_addresses;		/* u8 on the wire, <= CTI_MAX_ADDRESSES */
	char name[CTI_NAME_MAX];	/* name string */
	char provider_name[CTI_WIRE_PROVIDER_MAX]; /* ident string */
	char addresses[CTI_MAX_ADDRESSES][CTI_NUMBER_MAX]; /* string list */
	char forward_to[CTI_NUMBER_MAX];	/* number string */
};

struct cti_wire_call {
	uint32_t line;
	uint32_t call;			/* never CTI_CALL_NONE */
	uint32_t state;			/* enum cti_call_state */
	uint32_t reason;		/* as in struct cti_ev_call_state */
	uint32_t origin;		/* enum cti_call_origin */
	uint32_t related_call;
	uint32_t privilege;		/* this session's privilege on the call */
	uint32_t __reserved;		/* zero */
	char caller[CTI_NUMBER_MAX];
	char caller_name[CTI_NAME_MAX];
	char called[CTI_NUMBER_MAX];
	char called_name[CTI_NAME_MAX];
};

struct cti_wire_provider {
	uint32_t id;
	uint32_t state;			/* CTI_WIRE_PROVIDER_* */
	uint32_t num_lines;
	uint32_t link;			/* CTI_WIRE_LINK_*; 0 without FEAT_LINK */
	char name[CTI_WIRE_PROVIDER_MAX];	/* ident string */
	char version[CTI_NAME_MAX];	/* name string */
};

/* cti_wire_stats fields nobody could measure (card_overflows, for now). */
#define CTI_WIRE_STATS_UNKNOWN	UINT64_MAX
/* Call states counted (the wire's layout is fixed; uapi has fewer). */
#define CTI_WIRE_STATS_STATES	16
_Static_assert(CTI_CALL_STATE_MAX <= CTI_WIRE_STATS_STATES,
	       "cti_wire_stats.calls has a slot per call state");

/*
 * STATS: ctid's figures at the moment it answered (doc/protocol.md,
 * server_stats). Gauges are u32, counters since start u64.
 */
struct cti_wire_stats {
	uint64_t uptime_ms;		/* since ctid started */
	uint32_t connections;		/* client connections open */
	uint32_t sessions_attached;	/* sessions with a connection */
	uint32_t sessions_detached;	/* kept for a resume */
	uint32_t lines;			/* lines present */
	uint32_t providers_up;
	uint32_t providers_down;	/* configured, not loaded or down */
	uint32_t calls[CTI_WIRE_STATS_STATES];	/* by enum cti_call_state */
	uint64_t connections_total;	/* accepted since start */
	uint64_t requests_total;	/* frames dispatched in sessions */
	uint64_t errors_total;		/* REPLY with an error, and ERROR */
	uint64_t logins_failed_total;
	uint64_t events_total;		/* events posted by providers */
	uint64_t gaps_total;		/* GAP frames sent */
	uint64_t gap_events_total;	/* events those GAPs reported lost */
	uint64_t events_lost_total;	/* events no session could be given */
	uint64_t card_overflows;	/* records lost in ctid's card rings,
					 * or CTI_WIRE_STATS_UNKNOWN */
};

struct cti_wire_end {
	uint16_t item_type;		/* LINE, CALL, PROVIDER; 0: a snapshot */
	uint16_t __reserved;		/* zero */
	uint32_t count;			/* item frames sent */
	uint64_t seq;			/* snapshot: state as of this seq */
};

struct cti_wire_error {
	int32_t error;			/* negative errno */
	uint16_t bad_type;		/* type of the offending frame, or 0 */
	uint16_t __reserved;		/* zero */
	uint32_t offset;		/* byte offset of the offending field */
	char message[CTI_WIRE_MESSAGE_MAX];	/* text string */
};

struct cti_wire_gap {
	uint64_t first_seq;		/* first lost event */
	uint64_t last_seq;		/* last lost event */
	uint64_t count;			/* last_seq - first_seq + 1 */
};

struct cti_wire_resync {
	uint32_t reason;		/* enum cti_wire_resync_reason */
	uint32_t __reserved;		/* zero */
};

struct cti_wire_ev_call_state {
	uint32_t line;
	uint32_t call;
	uint32_t state;			/* enum cti_call_state */
	uint32_t reason;		/* as in struct cti_ev_call_state */
	uint32_t related_call;
	uint32_t privilege;		/* this session's privilege on the call */
	uint64_t timestamp_ns;		/* CLOCK_REALTIME, ns, when ctid got it */
};

struct cti_wire_ev_call_info {
	uint32_t line;
	uint32_t call;
	uint32_t origin;		/* enum cti_call_origin */
	uint32_t reason;		/* enum cti_call_reason */
	uint32_t related_call;
	uint32_t __reserved;		/* zero */
	uint64_t changed;		/* CTI_CALL_INFO_* */
	uint64_t timestamp_ns;
	char caller[CTI_NUMBER_MAX];
	char caller_name[CTI_NAME_MAX];
	char called[CTI_NUMBER_MAX];
	char called_name[CTI_NAME_MAX];
};

struct cti_wire_ev_digits {
	uint32_t line;
	uint32_t call;
	uint64_t timestamp_ns;
	char digits[CTI_DIGITS_MAX + 1];	/* DTMF string, not empty */
};

struct cti_wire_ev_line_status {
	uint32_t line;
	uint32_t status;		/* enum cti_line_status */
	uint32_t num_calls;
	uint32_t forward_mode;		/* enum cti_forward_mode */
	uint32_t dnd;			/* 0 or 1 */
	uint32_t __reserved;		/* zero */
	uint64_t timestamp_ns;
	char forward_to[CTI_NUMBER_MAX];
};

struct cti_wire_ev_phone_hook {
	uint32_t line;			/* the line the phone is attached to */
	uint32_t phone;			/* the phone's index on that line */
	uint32_t hookswitch;		/* one CTI_HOOKSWITCH_* bit */
	uint32_t mode;			/* enum cti_hook_mode */
	uint64_t timestamp_ns;
};

struct cti_wire_ev_phone_button {
	uint32_t line;
	uint32_t phone;
	uint32_t button;
	uint32_t pressed;		/* 0 or 1 */
	uint64_t timestamp_ns;
};

struct cti_wire_ev_link_state {
	uint32_t line;			/* CTI_LINE_NONE: the provider's link */
	uint32_t state;			/* enum cti_link_state */
	uint64_t timestamp_ns;
	char provider_name[CTI_WIRE_PROVIDER_MAX];
};

struct cti_wire_ev_line_removed {
	uint32_t line;
	uint32_t __reserved;		/* zero */
	uint64_t timestamp_ns;
};

struct cti_wire_ev_privilege {
	uint32_t line;
	uint32_t call;			/* CTI_CALL_NONE: the line itself */
	uint32_t privilege;		/* enum cti_privilege */
	uint32_t __reserved;		/* zero */
	uint64_t timestamp_ns;
};

/* As struct cti_uev_agent_state of providers/cti_provider.h. */
struct cti_wire_ev_agent_state {
	uint32_t line;
	uint32_t state;			/* enum cti_agent_state, < 64 */
	uint32_t reason;		/* reason code, 0: none */
	uint32_t activity;		/* activity code, 0: none */
	uint64_t timestamp_ns;
	/* comma-separated group names, a name string */
	char groups[CTI_WIRE_AGENT_GROUPS_MAX];
};

struct cti_wire_ev_provider_state {
	uint32_t provider;		/* provider id */
	uint32_t state;			/* CTI_WIRE_PROVIDER_* */
	int32_t error;			/* why it went down, else 0 */
	uint32_t __reserved;		/* zero */
	uint64_t timestamp_ns;
	char name[CTI_WIRE_PROVIDER_MAX];
};

struct cti_wire_ev_phone_display {
	uint32_t line;
	uint32_t phone;
	uint32_t row;
	uint32_t col;
	uint64_t timestamp_ns;
	char text[CTI_DISPLAY_MAX + 1];	/* the row's whole text, text string */
};

struct cti_wire_ev_phone_lamp {
	uint32_t line;
	uint32_t phone;
	uint32_t lamp;
	uint32_t mode;			/* enum cti_lamp_mode */
	uint64_t timestamp_ns;
};

struct cti_wire_ev_phone_ring {
	uint32_t line;
	uint32_t phone;
	uint32_t pattern;		/* 0: silent */
	uint32_t volume;		/* 0-100 */
	uint64_t timestamp_ns;
};

struct cti_wire_ev_dev_specific {
	uint32_t line;			/* or CTI_LINE_NONE */
	uint32_t __reserved;		/* zero */
	uint64_t timestamp_ns;
	uint32_t data_len;		/* u16 on the wire, with the blob */
	uint8_t data[CTI_DEV_SPECIFIC_MAX];
};

/**
 * struct cti_wire_frame - one decoded frame
 * @hdr: the header; @hdr.len is filled by the encoder
 * @u: the body selected by @hdr.type (empty bodies have no member)
 */
struct cti_wire_frame {
	struct cti_wire_hdr hdr;
	union {
		struct cti_wire_hello hello;
		struct cti_wire_hello_ack hello_ack;
		struct cti_wire_list_calls list_calls;
		struct cti_wire_open_line open_line;
		struct cti_wire_close_line close_line;
		struct cti_wire_command command;
		struct cti_wire_set_privilege set_privilege;
		struct cti_wire_handoff handoff;
		struct cti_wire_provider_req provider_req;
		struct cti_wire_login login;
		struct cti_wire_account_list account_list;
		struct cti_wire_account_req account_req;
		struct cti_wire_grant grant;
		struct cti_wire_set_password set_password;
		struct cti_wire_kick kick;
		struct cti_wire_account account;
		struct cti_wire_session_info session_info;
		struct cti_wire_admin_note admin_note;
		struct cti_wire_reply reply;
		struct cti_wire_line line;	/* LINE and EV_LINE_ADDED */
		struct cti_wire_call call;
		struct cti_wire_provider provider;
		struct cti_wire_stats stats;
		struct cti_wire_end end;
		struct cti_wire_error error;
		struct cti_wire_gap gap;
		struct cti_wire_resync resync;
		struct cti_wire_ev_call_state call_state;
		struct cti_wire_ev_call_info call_info;
		struct cti_wire_ev_digits digits;
		struct cti_wire_ev_line_status line_status;
		struct cti_wire_ev_phone_hook phone_hook;
		struct cti_wire_ev_phone_button phone_button;
		struct cti_wire_ev_link_state link_state;
		struct cti_wire_ev_line_removed line_removed;
		struct cti_wire_ev_privilege privilege;
		struct cti_wire_ev_agent_state agent_state;
		struct cti_wire_ev_provider_state provider_state;
		struct cti_wire_ev_phone_display phone_display;
		struct cti_wire_ev_phone_lamp phone_lamp;
		struct cti_wire_ev_phone_ring phone_ring;
		struct cti_wire_ev_dev_specific dev_specific;
		struct cti_wire_phone_req phone_req;
		struct cti_wire_open_phone open_phone;
		struct cti_wire_phone_command phone_command;
		struct cti_wire_phone phone;	/* PHONE and EV_PHONE_ADDED */
		struct cti_wire_ev_phone_privilege phone_privilege;
	} u;
};

/**
 * struct cti_wire_diag - where a decode or encode failed
 * @offset: byte offset in the frame of the offending field
 * @field: a static string naming it ("hdr.len", "call_info.caller", ...)
 */
struct cti_wire_diag {
	uint32_t offset;
	const char *field;
};

/*
 * Errors of cti_wire_peek(), cti_wire_decode() and cti_wire_encode(), all
 * returned as negative errno values:
 *   EMSGSIZE      hdr.len outside [CTI_WIRE_HDR_SIZE, CTI_WIRE_FRAME_MAX]
 *   ENOMSG        unknown type, or a type of the other direction
 *   EINVAL        non-zero flags or reserved field, an id that breaks the
 *                 type's rule, an enum or flag value out of range
 *   EBADMSG       the body ends inside a field, or bytes follow the last one
 *   ENAMETOOLONG  a string or blob longer than its field allows
 *   EILSEQ        a string with a character its class forbids
 *   ENOSPC        (encode) the output buffer is too small
 */

/**
 * cti_wire_peek() - check a frame header and tell the frame's length
 * @buf: received bytes
 * @len: how many
 * @hdr: out: the header, filled when the return value is positive
 *
 * Return: the whole frame's length once @len covers the header, 0 if more
 * bytes are needed for the header, or -EMSGSIZE for a length that can never
 * be valid (the stream is then unusable: send ERROR and close).
 */
ssize_t cti_wire_peek(const void *buf, size_t len, struct cti_wire_hdr *hdr);

/**
 * cti_wire_decode() - decode one complete frame
 * @buf: the frame, starting at its header
 * @len: bytes available at @buf (at least the header's len)
 * @dir: CTI_WIRE_FROM_CLIENT, CTI_WIRE_FROM_SERVER or CTI_WIRE_FROM_ANY
 * @f: out: the decoded frame
 * @diag: out, optional: where the frame is bad
 *
 * Only the header and the body of the frame's type are written: the
 * cti_wire_body_size() bytes at the start of @f->u, where every byte the
 * frame does not carry is zero, but for a command's data (COMMAND,
 * PHONE_COMMAND), which ends with a NUL after data_len bytes and is not
 * touched past it. The rest of the union keeps what it held. On failure
 * the header and the body are unspecified.
 *
 * Return: the bytes consumed (hdr.len) or a negative errno from the list
 * above; -EBADMSG also when @len is shorter than hdr.len.
 */
ssize_t cti_wire_decode(const void *buf, size_t len, unsigned int dir,
			struct cti_wire_frame *f, struct cti_wire_diag *diag);

/**
 * cti_wire_encode() - encode one frame
 * @f: the frame; @f->hdr.len is ignored (computed)
 * @buf: output
 * @size: bytes at @buf
 * @diag: out, optional: the offending field if @f is invalid
 *
 * Return: the bytes written, or a negative errno (the frame is checked
 * exactly as the decoder would check it).
 */
ssize_t cti_wire_encode(const struct cti_wire_frame *f, void *buf,
			size_t size, struct cti_wire_diag *diag);

/* cti_wire_type_name() - "CALL_STATE", ...; "?" for an unknown type */
const char *cti_wire_type_name(unsigned int type);

/* cti_wire_type_dir() - CTI_WIRE_FROM_* of a known type, 0 if unknown */
unsigned int cti_wire_type_dir(unsigned int type);

/* cti_wire_type_is_event() - 1 for EV_* types (they carry a seq) */
int cti_wire_type_is_event(unsigned int type);

/* String checks shared by the codec, libcti and ctid: 0 or -EILSEQ. */
int cti_wire_check_number(const char *s, size_t len);	/* [+0-9*#] */
int cti_wire_check_digits(const char *s, size_t len);	/* [0-9*#A-D] */
int cti_wire_check_name(const char *s, size_t len);	/* printable UTF-8 */
int cti_wire_check_ident(const char *s, size_t len);	/* [A-Za-z0-9_.-] */

/*
 * Reading and patching an encoded frame in place (@frame holds at least
 * its header; the setters need the whole frame). ctid encodes an event
 * once and patches each session's copy: its seq (the id) and, where the
 * type has one, the session's privilege.
 */
uint32_t cti_wire_frame_len(const void *frame);
unsigned int cti_wire_frame_type(const void *frame);
uint64_t cti_wire_frame_id(const void *frame);
void cti_wire_frame_set_id(void *frame, uint64_t id);
/*
 * Where an encoded frame of @type keeps its per-session u32 privilege
 * field, found from the codec's own field table; 0 if it has none. Look
 * it up once per frame, then patch each copy:
 */
uint32_t cti_wire_privilege_offset(unsigned int type);
/* checked: 0, or -EINVAL if @off is not @frame's privilege field */
int cti_wire_frame_set_privilege(void *frame, uint32_t off, uint32_t privilege);
/* unchecked, for the fan-out path: @off from cti_wire_privilege_offset() */
void cti_wire_frame_patch_privilege(void *frame, uint32_t off, uint32_t privilege);

/*
 * The bytes at the start of @f->u that cti_wire_encode() reads for a frame
 * of @type (its fields' storage; 0 for an empty body or an unknown type):
 * a copy of a frame to encode needs its header and these bytes only, not
 * the whole union.
 */
size_t cti_wire_body_size(unsigned int type);

#endif /* CTI_WIRE_H */
