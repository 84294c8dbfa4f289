/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cti.h - libcti, the session API of the cti telephony stack
 *
 * A program opens a session to ctid, picks lines, opens them as owner or
 * monitor, controls calls with asynchronous requests, and receives what
 * happens as messages. TAPI programmers will recognise lineInitialize,
 * lineOpen, lineMakeCall and lineGetMessage; see doc/protocol.md for what
 * travels underneath.
 *
 *	struct cti_session *s;
 *	struct cti_line *line;
 *	uint64_t req;
 *
 *	cti_session_open(NULL, NULL, &s);
 *	cti_session_find_line(s, "101", &line);
 *	cti_line_open(line, CTI_PRIV_OWNER, &req);
 *	cti_session_wait_reply(s, req, 1000, NULL);
 *	cti_line_make_call(line, "102", &req);
 *	... poll(cti_session_get_fd(s)), cti_session_next_msg(s, &msg) ...
 *
 * Programs that drive CTI cards (/dev/ctiN) themselves, without ctid, use
 * the card layer of the same library: cti_card.h.
 */
#ifndef CTI_H
#define CTI_H

#include <stddef.h>
#include <stdint.h>

#include "cti_userspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * DOC: Conventions
 *
 * Errors: every function that returns int returns 0 (or a documented
 * non-negative value) on success and a negative errno on failure; nothing
 * in libcti reads or sets errno for you. Functions that return a pointer
 * are accessors and lookups that cannot fail for valid arguments: NULL
 * means "there is no such thing" and nothing else. Objects are created
 * through an out pointer (cti_session_open(uri, opts, &session)).
 *
 * Asynchronous requests: every call operation returns at once with 0 and a
 * request id (a positive uint64_t) in *req, or a negative errno if the
 * request could not even be sent: -EINVAL a bad argument (among them a
 * number or digit string missing where the command needs one), -EILSEQ a
 * number, digit string or text with a character ctid would refuse,
 * -ENAMETOOLONG one that is too long, -ENODEV the line was removed,
 * -ENOTCONN the session is reconnecting, -EAGAIN a megabyte of requests is
 * already waiting for ctid to read them (dispatch, then retry), -ENOMEM.
 * Whether the line is open and the user may act on it is ctid's to decide:
 * those errors arrive in the reply. Each request id then completes exactly
 * once: either cti_session_wait_reply() returns its result, or a
 * CTI_MSG_REPLY message carries it. If the connection breaks,
 * requests in flight complete with -ECONNRESET.
 *
 * Thread safety: a session and everything obtained from it (lines,
 * messages it has not handed over) belong to one thread at a time; libcti
 * takes no locks. Calls on different sessions may run in parallel in
 * different threads. A message returned by cti_session_next_msg() belongs
 * to the caller and may be used and freed in any thread. No function
 * calls back into the program except cti_session_dispatch() (the message
 * callback), never with any libcti lock held (there are none).
 *
 * Lifetimes: a struct cti_line lives as long as its session; a line that
 * was removed stays valid, answers cti_line_is_removed() with 1 and fails
 * every request with -ENODEV. Strings returned by accessors live as long as
 * the object they came from; the line a message names (cti_msg_get_line())
 * lives as long as the session, even if the message outlives it.
 */

/**
 * DOC: Numbers shared with the kernel ABI
 *
 * Limits, line and call states, commands and their arguments: the same
 * names and values as the kernel's <linux/cti.h>, so that what a program
 * passes travels unchanged to ctid and to a card (lib/abi_check.c proves
 * the values equal at build time). libcti does not need the kernel header
 * and does not install it. A program that includes <linux/cti.h> as well
 * includes it first: this block then steps aside.
 */
#ifndef _UAPI_LINUX_CTI_H

#define CTI_NAME_MAX		32	/* names, including the NUL */
#define CTI_NUMBER_MAX		32	/* directory numbers, including the NUL */
#define CTI_MAX_ADDRESSES	4	/* addresses per line */
#define CTI_DATA_MAX		1024	/* bytes of command data */
#define CTI_DEV_SPECIFIC_MAX	256	/* bytes of a device-specific command */
#define CTI_LINK_FRAME_MAX	1024	/* bytes of one link frame */
#define CTI_DIGITS_MAX		32	/* digits in one DIGITS record */
#define CTI_DISPLAY_MAX		80	/* characters of a phone display */

/* "No line": the line field of a card-wide record. */
#define CTI_LINE_NONE		0xffffffffU
/* "No call": call handles are never zero. */
#define CTI_CALL_NONE		0

/**
 * enum cti_link_state - state of a card's link to its switch
 * @CTI_LINK_DOWN: no link; commands fail with EIO
 * @CTI_LINK_UP: the link works
 */
enum cti_link_state {
	CTI_LINK_DOWN = 0,
	CTI_LINK_UP = 1,
};

/*
 * A listed provider's link (CTI_MSG_PROVIDER, cti_msg_get_reason()): what
 * its last link state event said, NONE if it never sent one (it has no
 * such link, or the server is too old to say).
 */
#define CTI_PROVIDER_LINK_NONE	0
#define CTI_PROVIDER_LINK_DOWN	1
#define CTI_PROVIDER_LINK_UP	2

/**
 * enum cti_line_status - whether a line can carry calls
 * @CTI_LINE_IN_SERVICE: the line works
 * @CTI_LINE_OUT_OF_SERVICE: the line is down
 * @CTI_LINE_MAINTENANCE: the switch has taken the line out for maintenance
 */
enum cti_line_status {
	CTI_LINE_IN_SERVICE = 0,
	CTI_LINE_OUT_OF_SERVICE = 1,
	CTI_LINE_MAINTENANCE = 2,
};

/* Hook switch devices of a phone (cti_phone_info.hookswitches). */
#define CTI_HOOKSWITCH_HANDSET	(1ULL << 0)
#define CTI_HOOKSWITCH_SPEAKER	(1ULL << 1)
#define CTI_HOOKSWITCH_HEADSET	(1ULL << 2)

/**
 * enum cti_hook_mode - state of one hook switch device
 * @CTI_HOOK_ONHOOK: on hook (microphone and speaker off)
 * @CTI_HOOK_MIC: microphone only
 * @CTI_HOOK_SPEAKER: speaker only
 * @CTI_HOOK_MICSPEAKER: off hook
 */
enum cti_hook_mode {
	CTI_HOOK_ONHOOK = 0,
	CTI_HOOK_MIC = 1,
	CTI_HOOK_SPEAKER = 2,
	CTI_HOOK_MICSPEAKER = 3,
};

/**
 * enum cti_cmd - asynchronous commands (cti_line_submit() and the helpers)
 *
 * "number" is a dial string of digits 0-9, *, #, and a leading +, given in
 * the request's data; @call is the call a command acts on.
 *
 * @CTI_CMD_MAKE_CALL: place a call on @line to number; the REPLY carries
 *	the new call's handle
 * @CTI_CMD_ANSWER: answer the offering call @call
 * @CTI_CMD_ACCEPT: accept the offering call @call (stops other lines from
 *	answering it; it keeps ringing here)
 * @CTI_CMD_DROP: hang up @call
 * @CTI_CMD_HOLD: put @call on hold
 * @CTI_CMD_UNHOLD: take @call off hold
 * @CTI_CMD_SWAP_HOLD: put active @call on hold and take held @call2 off hold
 * @CTI_CMD_BLIND_TRANSFER: transfer @call to number without consultation
 * @CTI_CMD_SETUP_TRANSFER: put @call on hold pending transfer and place a
 *	consultation call to number; the REPLY carries the consultation call
 * @CTI_CMD_COMPLETE_TRANSFER: complete the transfer of held @call to the
 *	consultation call @call2; @arg is an &enum cti_transfer_mode
 * @CTI_CMD_SETUP_CONFERENCE: put @call on hold pending conference and place
 *	a consultation call to number; the REPLY carries the consultation call
 * @CTI_CMD_ADD_TO_CONFERENCE: join @call2 to the conference of @call
 * @CTI_CMD_REMOVE_FROM_CONFERENCE: take party @call out of its conference
 * @CTI_CMD_REDIRECT: deflect the offering @call to number
 * @CTI_CMD_PARK: park @call at the park number given (empty: any free slot)
 * @CTI_CMD_UNPARK: retrieve the call parked at number onto @line; the REPLY
 *	carries the new call's handle
 * @CTI_CMD_PICKUP: pick up onto @line the call ringing at number; an empty
 *	number picks up the oldest call ringing in the line's pickup group
 * @CTI_CMD_SET_FORWARD: set forwarding of @line; @arg is an &enum
 *	cti_forward_mode, number the destination (empty with CTI_FORWARD_NONE)
 * @CTI_CMD_SET_DND: do-not-disturb on @line: @arg 1 on, 0 off
 * @CTI_CMD_GENERATE_DIGITS: send the DTMF digits in data on @call
 * @CTI_CMD_GENERATE_TONE: play &enum cti_tone @arg on @call for @arg2 ms
 * @CTI_CMD_SET_HOOK: set hook switch device @arg (one CTI_HOOKSWITCH_* bit)
 *	of phone @line to &enum cti_hook_mode @arg2
 * @CTI_CMD_SET_DISPLAY: write the text in data to the display of phone
 *	@line at row @arg, column @arg2
 * @CTI_CMD_SET_LAMP: set lamp @arg of phone @line to &enum cti_lamp_mode @arg2
 * @CTI_CMD_SET_RING: ring phone @line with pattern @arg (0 stops) at volume
 *	@arg2 (0-100)
 * @CTI_CMD_SEND_LINK_FRAME: send the frame in data on the card's link
 *	(link cards); @line is the link channel, 0 for cards with one link
 * @CTI_CMD_DEV_SPECIFIC: pass up to CTI_DEV_SPECIFIC_MAX bytes of data to
 *	the backend; its meaning is the driver's
 * @CTI_CMD_MAX: one past the last command
 */
enum cti_cmd {
	CTI_CMD_MAKE_CALL = 0,
	CTI_CMD_ANSWER = 1,
	CTI_CMD_ACCEPT = 2,
	CTI_CMD_DROP = 3,
	CTI_CMD_HOLD = 4,
	CTI_CMD_UNHOLD = 5,
	CTI_CMD_SWAP_HOLD = 6,
	CTI_CMD_BLIND_TRANSFER = 7,
	CTI_CMD_SETUP_TRANSFER = 8,
	CTI_CMD_COMPLETE_TRANSFER = 9,
	CTI_CMD_SETUP_CONFERENCE = 10,
	CTI_CMD_ADD_TO_CONFERENCE = 11,
	CTI_CMD_REMOVE_FROM_CONFERENCE = 12,
	CTI_CMD_REDIRECT = 13,
	CTI_CMD_PARK = 14,
	CTI_CMD_UNPARK = 15,
	CTI_CMD_PICKUP = 16,
	CTI_CMD_SET_FORWARD = 17,
	CTI_CMD_SET_DND = 18,
	CTI_CMD_GENERATE_DIGITS = 19,
	CTI_CMD_GENERATE_TONE = 20,
	CTI_CMD_SET_HOOK = 21,
	CTI_CMD_SET_DISPLAY = 22,
	CTI_CMD_SET_LAMP = 23,
	CTI_CMD_SET_RING = 24,
	CTI_CMD_SEND_LINK_FRAME = 25,
	CTI_CMD_DEV_SPECIFIC = 26,
	CTI_CMD_MAX,
};

/**
 * enum cti_transfer_mode - how CTI_CMD_COMPLETE_TRANSFER completes
 * @CTI_TRANSFER_MODE_TRANSFER: connect the held and the consultation party
 *	and drop out
 * @CTI_TRANSFER_MODE_CONFERENCE: join all three in a conference
 */
enum cti_transfer_mode {
	CTI_TRANSFER_MODE_TRANSFER = 0,
	CTI_TRANSFER_MODE_CONFERENCE = 1,
};

/**
 * enum cti_forward_mode - when a line forwards its calls
 * @CTI_FORWARD_NONE: forwarding off
 * @CTI_FORWARD_UNCONDITIONAL: every call
 * @CTI_FORWARD_BUSY: when the line is busy
 * @CTI_FORWARD_NO_ANSWER: when the line does not answer
 */
enum cti_forward_mode {
	CTI_FORWARD_NONE = 0,
	CTI_FORWARD_UNCONDITIONAL = 1,
	CTI_FORWARD_BUSY = 2,
	CTI_FORWARD_NO_ANSWER = 3,
};

/**
 * enum cti_tone - tones a line can generate
 * @CTI_TONE_BEEP: a short beep
 * @CTI_TONE_BILLING: a billing (metering) tone
 * @CTI_TONE_BUSY: busy tone
 * @CTI_TONE_RINGBACK: ringback tone
 */
enum cti_tone {
	CTI_TONE_BEEP = 0,
	CTI_TONE_BILLING = 1,
	CTI_TONE_BUSY = 2,
	CTI_TONE_RINGBACK = 3,
};

/**
 * enum cti_lamp_mode - how a phone lamp lights
 * @CTI_LAMP_OFF: off
 * @CTI_LAMP_STEADY: on
 * @CTI_LAMP_WINK: winking
 * @CTI_LAMP_FLASH: flashing
 * @CTI_LAMP_FLUTTER: fluttering
 */
enum cti_lamp_mode {
	CTI_LAMP_OFF = 0,
	CTI_LAMP_STEADY = 1,
	CTI_LAMP_WINK = 2,
	CTI_LAMP_FLASH = 3,
	CTI_LAMP_FLUTTER = 4,
};

/**
 * enum cti_call_state - the states of a call (TAPI's LINECALLSTATE)
 * @CTI_CALL_IDLE: the call no longer exists; its handle is freed
 * @CTI_CALL_OFFERING: a new inbound call rings here
 * @CTI_CALL_ACCEPTED: an offering call has been accepted here
 * @CTI_CALL_DIALTONE: the line has dial tone
 * @CTI_CALL_DIALING: digits are being sent
 * @CTI_CALL_RINGBACK: the far end rings
 * @CTI_CALL_BUSY: the far end is busy
 * @CTI_CALL_SPECIALINFO: special information tone (number unobtainable...)
 * @CTI_CALL_CONNECTED: talking
 * @CTI_CALL_PROCEEDING: dialing is complete, the network works on it
 * @CTI_CALL_ONHOLD: on hold
 * @CTI_CALL_CONFERENCED: a party of a conference
 * @CTI_CALL_ONHOLDPENDCONF: on hold until a conference is set up
 * @CTI_CALL_ONHOLDPENDTRANSFER: on hold until a transfer completes
 * @CTI_CALL_DISCONNECTED: the far end hung up or the call failed; the
 *	reason is an &enum cti_disconnect_reason
 * @CTI_CALL_UNKNOWN: the card cannot tell
 */
enum cti_call_state {
	CTI_CALL_IDLE = 0,
	CTI_CALL_OFFERING = 1,
	CTI_CALL_ACCEPTED = 2,
	CTI_CALL_DIALTONE = 3,
	CTI_CALL_DIALING = 4,
	CTI_CALL_RINGBACK = 5,
	CTI_CALL_BUSY = 6,
	CTI_CALL_SPECIALINFO = 7,
	CTI_CALL_CONNECTED = 8,
	CTI_CALL_PROCEEDING = 9,
	CTI_CALL_ONHOLD = 10,
	CTI_CALL_CONFERENCED = 11,
	CTI_CALL_ONHOLDPENDCONF = 12,
	CTI_CALL_ONHOLDPENDTRANSFER = 13,
	CTI_CALL_DISCONNECTED = 14,
	CTI_CALL_UNKNOWN = 15,
	CTI_CALL_STATE_MAX,
};

/**
 * enum cti_disconnect_reason - why a call is DISCONNECTED (or IDLE)
 * @CTI_DISC_NONE: not disconnected
 * @CTI_DISC_NORMAL: a party hung up
 * @CTI_DISC_BUSY: the far end was busy
 * @CTI_DISC_NO_ANSWER: the far end did not answer in time
 * @CTI_DISC_REJECTED: the far end rejected the call
 * @CTI_DISC_UNREACHABLE: the number cannot be reached
 * @CTI_DISC_BAD_ADDRESS: the number is not valid
 * @CTI_DISC_CONGESTION: the network is congested
 * @CTI_DISC_PICKUP: another line picked the call up
 * @CTI_DISC_FORWARDED: the call was forwarded away
 * @CTI_DISC_TRANSFERRED: the call was transferred away
 * @CTI_DISC_REDIRECTED: the call was deflected away
 * @CTI_DISC_OUT_OF_ORDER: the line or link failed
 * @CTI_DISC_DND: the far end has do-not-disturb on
 */
enum cti_disconnect_reason {
	CTI_DISC_NONE = 0,
	CTI_DISC_NORMAL = 1,
	CTI_DISC_BUSY = 2,
	CTI_DISC_NO_ANSWER = 3,
	CTI_DISC_REJECTED = 4,
	CTI_DISC_UNREACHABLE = 5,
	CTI_DISC_BAD_ADDRESS = 6,
	CTI_DISC_CONGESTION = 7,
	CTI_DISC_PICKUP = 8,
	CTI_DISC_FORWARDED = 9,
	CTI_DISC_TRANSFERRED = 10,
	CTI_DISC_REDIRECTED = 11,
	CTI_DISC_OUT_OF_ORDER = 12,
	CTI_DISC_DND = 13,
};

/**
 * enum cti_call_origin - where a call came from
 * @CTI_ORIGIN_UNKNOWN: not known
 * @CTI_ORIGIN_OUTBOUND: placed from this line to the outside
 * @CTI_ORIGIN_INBOUND: arrived from the outside
 * @CTI_ORIGIN_INTERNAL: between two lines of the same switch
 * @CTI_ORIGIN_CONFERENCE: the conference bridge itself
 */
enum cti_call_origin {
	CTI_ORIGIN_UNKNOWN = 0,
	CTI_ORIGIN_OUTBOUND = 1,
	CTI_ORIGIN_INBOUND = 2,
	CTI_ORIGIN_INTERNAL = 3,
	CTI_ORIGIN_CONFERENCE = 4,
};

/**
 * enum cti_call_reason - why a call arrived on this line
 * @CTI_REASON_DIRECT: dialled directly
 * @CTI_REASON_TRANSFER: transferred here
 * @CTI_REASON_FORWARD: forwarded here
 * @CTI_REASON_PICKUP: picked up here
 * @CTI_REASON_REDIRECT: deflected here
 * @CTI_REASON_UNPARK: retrieved from a park slot
 */
enum cti_call_reason {
	CTI_REASON_DIRECT = 0,
	CTI_REASON_TRANSFER = 1,
	CTI_REASON_FORWARD = 2,
	CTI_REASON_PICKUP = 3,
	CTI_REASON_REDIRECT = 4,
	CTI_REASON_UNPARK = 5,
};

/* Fields of a call that a CALL_INFO record reports changed. */
#define CTI_CALL_INFO_ORIGIN	(1ULL << 0)
#define CTI_CALL_INFO_REASON	(1ULL << 1)
#define CTI_CALL_INFO_CALLER	(1ULL << 2)
#define CTI_CALL_INFO_CALLED	(1ULL << 3)
#define CTI_CALL_INFO_RELATED	(1ULL << 4)

#endif /* _UAPI_LINUX_CTI_H */

struct cti_session;
struct cti_line;
struct cti_phone;
struct cti_msg;


/**
 * enum cti_msg_type - what a message reports
 * @CTI_MSG_REPLY: a request completed (cti_msg_get_request, _get_error,
 *	_get_call)
 * @CTI_MSG_CALL_STATE: a call changed state (_get_call, _get_state,
 *	_get_reason, _get_related_call, _get_privilege)
 * @CTI_MSG_CALL_INFO: a call's parties or origin changed (_get_call,
 *	_get_origin, _get_reason, _get_caller, _get_caller_name, _get_called,
 *	_get_called_name, _get_changed, _get_related_call)
 * @CTI_MSG_DIGITS: DTMF digits arrived on a call (_get_call, _get_text)
 * @CTI_MSG_LINE_STATUS: a line's status changed (_get_state is the &enum
 *	cti_line_status; the line's accessors show the new values)
 * @CTI_MSG_PHONE_HOOK: a hook switch moved (_get_arg: the device,
 *	_get_state: &enum cti_hook_mode)
 * @CTI_MSG_PHONE_BUTTON: a button moved (_get_arg: button, _get_state:
 *	1 pressed)
 * @CTI_MSG_PHONE_DISPLAY: the display changed (_get_arg: row, _get_text)
 * @CTI_MSG_PHONE_LAMP: a lamp changed (_get_arg: lamp, _get_state: mode)
 * @CTI_MSG_PHONE_RING: the ringer changed (_get_arg: pattern, _get_state:
 *	volume)
 * @CTI_MSG_LINK_STATE: a provider's link went up or down (_get_state,
 *	_get_text: the provider)
 * @CTI_MSG_LINE_ADDED: a line appeared (cti_msg_get_line)
 * @CTI_MSG_LINE_REMOVED: a line went away (cti_msg_get_line)
 * @CTI_MSG_PRIVILEGE: this session's privilege on a line or call changed
 *	(_get_call, CTI_CALL_NONE for the line; _get_privilege)
 * @CTI_MSG_AGENT_STATE: the agent state of a line changed (_get_state,
 *	_get_reason, _get_arg: activity code, _get_text: groups)
 * @CTI_MSG_PROVIDER_STATE: a provider came up or went down (_get_state,
 *	_get_error, _get_text: its name)
 * @CTI_MSG_DEV_SPECIFIC: a provider-specific notification (_get_data)
 * @CTI_MSG_CALL: one call's full state, answering cti_session_list_calls()
 *	or cti_session_snapshot() or after a resync (the CALL_STATE and
 *	CALL_INFO accessors)
 * @CTI_MSG_PROVIDER: one provider, answering cti_session_list_providers()
 *	(_get_text: name, _get_state: up, _get_arg: number of lines,
 *	_get_reason: its link, CTI_PROVIDER_LINK_*)
 * @CTI_MSG_LIST_END: the end of the items of request _get_request (or of
 *	a resync snapshot, request 0); _get_arg: the number of items
 * @CTI_MSG_DISCONNECTED: the connection to ctid broke; libcti reconnects
 *	by itself (_get_error: why)
 * @CTI_MSG_RECONNECTED: the session was resumed and nothing was lost
 * @CTI_MSG_GAP: events were lost (_get_gap); a CTI_MSG_RESYNC follows
 * @CTI_MSG_RESYNC: the state is being refreshed: the lines have been
 *	updated, CTI_MSG_CALL messages for every call follow, then
 *	CTI_MSG_LIST_END; lines the program had open are opened again
 * @CTI_MSG_PHONE: one phone, answering cti_session_list_phones() or
 *	cti_phone_query(), or in a snapshot (cti_msg_get_phone(); the
 *	phone's accessors show the state it carried). Since CTI_6.
 * @CTI_MSG_PHONE_ADDED: a phone appeared with its line (cti_msg_get_phone)
 * @CTI_MSG_PHONE_PRIVILEGE: this session's privilege on a phone changed
 *	(cti_msg_get_phone, _get_privilege): its user lost the right
 * @CTI_MSG_ACCOUNT: one user or group, answering
 *	cti_session_list_accounts() (cti_msg_get_account())
 * @CTI_MSG_SESSION: one session of ctid, answering
 *	cti_session_list_sessions() (cti_msg_get_session_info())
 * @CTI_MSG_NOTE: why ctid refused an administration request, just before
 *	its REPLY (_get_request, _get_error, _get_text: "FILE:LINE: why" for
 *	a broken configuration)
 *
 * Every phone message (CTI_MSG_PHONE_* and the three above) names its
 * phone: cti_msg_get_phone().
 */
enum cti_msg_type {
	CTI_MSG_REPLY = 1,
	CTI_MSG_CALL_STATE,
	CTI_MSG_CALL_INFO,
	CTI_MSG_DIGITS,
	CTI_MSG_LINE_STATUS,
	CTI_MSG_PHONE_HOOK,
	CTI_MSG_PHONE_BUTTON,
	CTI_MSG_PHONE_DISPLAY,
	CTI_MSG_PHONE_LAMP,
	CTI_MSG_PHONE_RING,
	CTI_MSG_LINK_STATE,
	CTI_MSG_LINE_ADDED,
	CTI_MSG_LINE_REMOVED,
	CTI_MSG_PRIVILEGE,
	CTI_MSG_AGENT_STATE,
	CTI_MSG_PROVIDER_STATE,
	CTI_MSG_DEV_SPECIFIC,
	CTI_MSG_CALL,
	CTI_MSG_PROVIDER,
	CTI_MSG_LIST_END,
	CTI_MSG_DISCONNECTED,
	CTI_MSG_RECONNECTED,
	CTI_MSG_GAP,
	CTI_MSG_RESYNC,
	CTI_MSG_PHONE,
	CTI_MSG_PHONE_ADDED,
	CTI_MSG_PHONE_PRIVILEGE,
	CTI_MSG_ACCOUNT,
	CTI_MSG_SESSION,
	CTI_MSG_NOTE,
};

/* Session options (struct cti_session_options.flags). */
/*
 * NO_RECONNECT: report DISCONNECTED and stay down. Such a session does not
 * ask ctid to keep it for a resume, so when its connection closes (the
 * program exits) ctid ends it at once and drops the calls only it owned.
 */
#define CTI_SESSION_NO_RECONNECT (1u << 0)
/*
 * EXCLUSIVE: the session's OWNER opens are exclusive (doc/protocol.md,
 * open_line): opening a line another session owns fails with -EBUSY, and
 * while this session owns a line nobody else may own it. A ctid that
 * cannot grant it makes cti_session_open() fail with -EOPNOTSUPP (and a
 * reconnect to one: the session stays down), never a silent shared open.
 */
#define CTI_SESSION_EXCLUSIVE (1u << 1)

/**
 * struct cti_session_options - how to open a session (all optional)
 * @size: sizeof(struct cti_session_options) as the program knows it
 * @flags: CTI_SESSION_* flags
 * @timeout_ms: how long cti_session_open() may wait for ctid in ms
 *	(0: the default, 5000; a negative value waits forever)
 * @client_name: the name ctid shows administrators and that HANDOFF
 *	targets (default: program_invocation_short_name)
 */
struct cti_session_options {
	uint32_t size;
	uint32_t flags;
	int32_t timeout_ms;
	uint32_t __reserved;
	const char *client_name;
};

/* The socket used when neither the URI argument nor $CTI_URI gives one. */
#define CTI_DEFAULT_URI "unix:/run/ctid/ctid.sock"

/**
 * cti_session_open() - connect to ctid and fetch the visible lines
 * @uri: "unix:/path/to/socket" (or a plain absolute path), or a remote
 *	ctid: "tls://host:port[?ca=FILE&cert=FILE&key=FILE&user=NAME&
 *	password_file=FILE&servername=NAME]" (each option defaults to
 *	$CTI_TLS_CA, $CTI_TLS_CERT, ... $CTI_TLS_PASSWORD_FILE; the password
 *	comes from that file, which only its owner may read, or from
 *	$CTI_TLS_PASSWORD, never from the URI); NULL: $CTI_URI if set, else
 *	CTI_DEFAULT_URI
 * @opts: options, or NULL for the defaults
 * @sessionp: out: the new session
 *
 * Blocks until ctid has answered (or the timeout). Returns 0, -EINVAL (bad
 * URI or options), -EPROTONOSUPPORT (a scheme or protocol version we do not
 * speak), -ENOENT/-ECONNREFUSED (no ctid there), -ECONNRESET (ctid went
 * away during the open), -ETIMEDOUT, -ENOMEM; over
 * TLS also -EKEYEXPIRED/-EKEYREJECTED (the server's certificate is expired,
 * or not from the CA or not for that name: it is always checked), -EACCES
 * (the server refused our certificate or login), -EAGAIN (too many failed
 * logins), -EPERM (a password file others may read). On failure,
 * cti_session_error_detail() says why in words.
 */
int cti_session_open(const char *uri, const struct cti_session_options *opts,
		     struct cti_session **sessionp);

/**
 * cti_session_error_detail() - why the last connection attempt of this
 *	thread failed, in words ("" if nothing more than the errno is known)
 *
 * Valid until the next call into libcti from the same thread.
 */
const char *cti_session_error_detail(void);

/*
 * cti_session_close() - end the session, disconnect, free it and its lines.
 *
 * ctid is told that the session ends (BYE): it is not kept for a resume,
 * so the calls only it owned go at once (doc/protocol.md, "Calls nobody
 * owns"). A program that exits without calling it may still be resumed
 * for 60 s, and keeps its calls meanwhile.
 */
void cti_session_close(struct cti_session *session);

/**
 * cti_session_get_fd() - a file descriptor for the program's poll loop
 *
 * It stays the same across reconnects. When it polls readable, call
 * cti_session_dispatch(), or cti_session_next_msg() until it returns 0.
 * It polls readable while ctid sent something not yet read, and after
 * any call but cti_session_next_msg() while messages wait. Never read it.
 */
int cti_session_get_fd(struct cti_session *session);

/* The message callback; @msg is freed by libcti when it returns. */
typedef void (*cti_msg_cb)(struct cti_session *session, struct cti_msg *msg,
			   void *userdata);

/* cti_session_set_callback() - deliver messages to @cb from dispatch. */
void cti_session_set_callback(struct cti_session *session, cti_msg_cb cb,
			      void *userdata);

/**
 * cti_session_dispatch() - do pending I/O and deliver messages
 *
 * Never blocks. Reads what ctid sent, sends what is queued, runs the
 * reconnect timer, then hands every queued message to the callback (if one
 * is set; otherwise they wait for cti_session_next_msg()). Returns the
 * number of messages delivered, or a negative errno for a session that
 * cannot go on (-ENOMEM).
 */
int cti_session_dispatch(struct cti_session *session);

/**
 * cti_session_next_msg() - take the next message
 * @msgp: out: the message, or NULL if there is none; free it with
 *	cti_msg_free()
 *
 * Does pending I/O first, never blocks. Returns 1 with a message, 0 without
 * one, or a negative errno. Call it until it returns 0 before polling the
 * session's fd again: the messages queued behind the one it returns do
 * not make the fd readable (that would cost two system calls per wakeup),
 * and after a 1 the next call that finds nothing queued may answer 0
 * without reading the socket when the last read drained it (what came
 * since keeps the fd readable).
 */
int cti_session_next_msg(struct cti_session *session, struct cti_msg **msgp);

/**
 * cti_session_wait() - block until a message is ready or @timeout_ms passes
 *
 * Returns 1 if a message is ready, 0 on timeout, or a negative errno
 * (-EINTR if a signal interrupted the wait). A negative timeout waits
 * forever.
 */
int cti_session_wait(struct cti_session *session, int timeout_ms);

/**
 * cti_session_wait_reply() - block until request @req completes
 * @call: out, optional: the call the request created (MAKE_CALL,
 *	SETUP_TRANSFER, SETUP_CONFERENCE, UNPARK, PICKUP), else CTI_CALL_NONE
 *
 * Messages that arrive meanwhile are queued, not delivered. The reply is
 * consumed: no CTI_MSG_REPLY follows for @req. Returns the request's
 * result (0 or the negative errno ctid answered), -ETIMEDOUT (the request
 * is still pending; wait again or take its CTI_MSG_REPLY later), -ENOENT
 * (no such request pending), or -EINTR.
 */
int cti_session_wait_reply(struct cti_session *session, uint64_t req,
			   int timeout_ms, uint32_t *call);

/* Session information. */
uint64_t cti_session_get_id(struct cti_session *session);
uint64_t cti_session_get_seq(struct cti_session *session); /* last event */
int cti_session_is_admin(struct cti_session *session);	/* 1 or 0 */
int cti_session_is_connected(struct cti_session *session); /* 1 or 0 */

/* Lines, in the order ctid listed them; index < cti_session_get_num_lines. */
size_t cti_session_get_num_lines(struct cti_session *session);
struct cti_line *cti_session_get_line(struct cti_session *session,
				      size_t index);
/* By stable id; NULL if there is none. */
struct cti_line *cti_session_get_line_by_id(struct cti_session *session,
					    uint32_t id);

/**
 * cti_session_find_line() - find a line by name or directory number
 * Returns 0 with *@linep set, or -ENOENT.
 */
int cti_session_find_line(struct cti_session *session, const char *name,
			  struct cti_line **linep);

/*
 * Session-wide requests (asynchronous, see Conventions). Their items come
 * as messages carrying the request id, then CTI_MSG_LIST_END, then the
 * REPLY:
 * - list_lines: refreshes the line objects (no message per line);
 * - list_calls: CTI_MSG_CALL for each call of @line, or of every line the
 *   session has open if @line is NULL;
 * - snapshot: both, for every visible line and every open line's calls;
 * - ping: only the REPLY, when ctid answers.
 */
int cti_session_list_lines(struct cti_session *session, uint64_t *req);
int cti_session_list_calls(struct cti_session *session,
			   struct cti_line *line, uint64_t *req);
int cti_session_snapshot(struct cti_session *session, uint64_t *req);
int cti_session_ping(struct cti_session *session, uint64_t *req);
/* Administrator requests; -EACCES in the reply for other users. */
int cti_session_list_providers(struct cti_session *session, uint64_t *req);
int cti_session_load_provider(struct cti_session *session, const char *name,
			      uint64_t *req);
int cti_session_unload_provider(struct cti_session *session,
				const char *name, uint64_t *req);
int cti_session_reload_provider(struct cti_session *session,
				const char *name, uint64_t *req);
/*
 * ctid reads its whole configuration again (as on SIGHUP): users and
 * groups, certificate, key, CA, users file, limits; established
 * connections stay. A file with any error changes nothing: the REPLY
 * carries -EINVAL, and a CTI_MSG_NOTE before it the first "FILE:LINE:
 * why" (cti_session_get_note()).
 */
int cti_session_reload_server(struct cti_session *session, uint64_t *req);

/* A figure nobody could measure (cti_server_stats.card_overflows). */
#define CTI_STATS_UNKNOWN	UINT64_MAX
/* Slots of cti_server_stats.calls: one per &enum cti_call_state. */
#define CTI_STATS_CALL_STATES	16

/**
 * struct cti_server_stats - ctid's figures at the moment it answered
 * @size: in: sizeof(struct cti_server_stats) as the program knows it
 * @connections: client connections open
 * @sessions_attached: sessions with a connection
 * @sessions_detached: sessions kept for a resume, without one
 * @lines: lines present
 * @providers_up: providers loaded and up
 * @providers_down: providers configured but not loaded, or down
 * @calls: calls ctid knows, by &enum cti_call_state
 * @uptime_ms: since ctid started
 * @connections_total: connections accepted since ctid started
 * @requests_total: requests (frames in a session) dispatched
 * @errors_total: requests answered with an error, and ERROR frames
 * @logins_failed_total: refused LOGINs (wrong user or password)
 * @events_total: events the providers posted
 * @gaps_total: GAP frames sent to slow clients
 * @gap_events_total: the events those GAPs reported lost
 * @events_lost_total: events ctid could give no session at all
 * @card_overflows: events the kernel cards' rings lost for ctid (their
 *	overflow records), or CTI_STATS_UNKNOWN from a ctid that cannot tell
 *
 * Gauges are the value now; the _total fields count since ctid started
 * (a Prometheus counter: a lower value means ctid restarted).
 */
struct cti_server_stats {
	uint32_t size;
	uint32_t connections;
	uint32_t sessions_attached;
	uint32_t sessions_detached;
	uint32_t lines;
	uint32_t providers_up;
	uint32_t providers_down;
	uint32_t calls[CTI_STATS_CALL_STATES];
	uint32_t __reserved;
	uint64_t uptime_ms;
	uint64_t connections_total;
	uint64_t requests_total;
	uint64_t errors_total;
	uint64_t logins_failed_total;
	uint64_t events_total;
	uint64_t gaps_total;
	uint64_t gap_events_total;
	uint64_t events_lost_total;
	uint64_t card_overflows;
};

/**
 * cti_session_server_stats() - ask ctid for its figures (administrators)
 * @req: out, optional: the request id
 *
 * Asynchronous: when the REPLY of @req comes (cti_session_wait_reply()),
 * cti_session_get_server_stats() has the answer. Returns 0, -EOPNOTSUPP
 * (this ctid has no STATS request), -ENOTCONN, -ENOMEM; the REPLY says
 * -EACCES to a user who is not an administrator. Since CTI_6.
 */
int cti_session_server_stats(struct cti_session *session, uint64_t *req);

/**
 * cti_session_get_server_stats() - the last figures ctid sent
 * @stats: out; @stats->size must be set (a smaller, older struct gets its
 *	part, a larger one zeros past what this libcti knows)
 *
 * Returns 0, -ENODATA (no answer yet) or -EINVAL (a @size smaller than
 * the first field). Since CTI_6.
 */
int cti_session_get_server_stats(struct cti_session *session,
				 struct cti_server_stats *stats);

/*
 * Live administration of users, groups and sessions (administrators
 * only; lib/admin.c). Each request is asynchronous (see Conventions) and
 * answered by a REPLY: -EACCES for a user who is not an administrator,
 * and for a refusal a CTI_MSG_NOTE with the reason comes first. A change
 * is in force for every session at once and kept in ctid's state file.
 */

/* Kinds of account: a [user NAME] or a [group NAME] of ctid.conf. */
#define CTI_ACCOUNT_USER	0
#define CTI_ACCOUNT_GROUP	1

/* struct cti_account.flags; CTI_ACCOUNT_ADMIN also for adding one. */
#define CTI_ACCOUNT_ADMIN	(1u << 0)	/* may administer */
#define CTI_ACCOUNT_PASSWORD	(1u << 1)	/* has a password (TLS users) */

/**
 * enum cti_right - what cti_session_grant() gives and _revoke() takes
 * @CTI_RIGHT_OWNER: own and monitor the lines of the list ("lines =")
 * @CTI_RIGHT_MONITOR: monitor only ("monitor =")
 * @CTI_RIGHT_PICKUP: pick up calls ringing there ("pickup =")
 * @CTI_RIGHT_ADMIN: administer ctid ("admin = yes"); the list is empty
 * @CTI_RIGHT_MEMBER: a group's remote (TLS) members; the list: user names
 */
enum cti_right {
	CTI_RIGHT_OWNER = 1,
	CTI_RIGHT_MONITOR = 2,
	CTI_RIGHT_PICKUP = 3,
	CTI_RIGHT_ADMIN = 4,
	CTI_RIGHT_MEMBER = 5,
};

/**
 * struct cti_account - one user or group (cti_msg_get_account())
 * @size: sizeof(struct cti_account) as the program knows it; set it
 * @kind: CTI_ACCOUNT_USER or CTI_ACCOUNT_GROUP
 * @flags: CTI_ACCOUNT_ADMIN, CTI_ACCOUNT_PASSWORD
 * @name: the user or group name
 * @lines: lines it may own, as ctid.conf writes them ("1-4, sim/2*"), or ""
 * @monitor: lines it may only monitor, or ""
 * @pickup: lines whose ringing calls it may pick up, or ""
 * @members: a group's remote members, "alice,bob", or ""
 */
struct cti_account {
	uint32_t size;
	uint32_t kind;
	uint32_t flags;
	char name[32];
	char lines[128];
	char monitor[128];
	char pickup[128];
	char members[128];
};

/* struct cti_session_info.flags */
#define CTI_SESSION_INFO_ATTACHED (1u << 0)	/* connected now */
#define CTI_SESSION_INFO_TLS	(1u << 1)	/* over TLS */
#define CTI_SESSION_INFO_ADMIN	(1u << 2)	/* its user is admin */

/**
 * struct cti_session_info - one session of ctid (cti_msg_get_session_info())
 * @size: sizeof(struct cti_session_info) as the program knows it; set it
 * @id: the session's id, for cti_session_kick()
 * @since_ns: when it began, CLOCK_REALTIME in ns
 * @uid: its user's uid (remote users: 0xF0000000 and above)
 * @pid: the client's process on the unix socket, else 0
 * @flags: CTI_SESSION_INFO_*
 * @lines_open: lines it has open
 * @user: its user's name
 * @peer: "pid N", the TLS peer's "address:port", or "" while detached
 * @client_name: the name the program gave (cti_session_options)
 */
struct cti_session_info {
	uint32_t size;
	uint32_t flags;
	uint64_t id;
	uint64_t since_ns;
	uint32_t uid;
	uint32_t pid;
	uint32_t lines_open;
	char user[32];
	char peer[64];
	char client_name[32];
};

/* The users (CTI_ACCOUNT_USER) or groups: CTI_MSG_ACCOUNT each. */
int cti_session_list_accounts(struct cti_session *session, uint32_t kind,
			      uint64_t *req);
/* A new user or group (@flags: CTI_ACCOUNT_ADMIN or 0); -EEXIST if there is. */
int cti_session_add_account(struct cti_session *session, uint32_t kind,
			    const char *name, uint32_t flags, uint64_t *req);
/*
 * Removes it, also one of ctid.conf's sections; -ENOENT if there is none,
 * -EBUSY if no administrator would be left (so for cti_session_revoke()).
 */
int cti_session_remove_account(struct cti_session *session, uint32_t kind,
			       const char *name, uint64_t *req);
/*
 * Adds the items of @list ("1-4, 7, sim/2*": line ids, ranges, names with
 * wildcards; user names for CTI_RIGHT_MEMBER; "" for CTI_RIGHT_ADMIN) to
 * the account's @right. A bad item: -EINVAL; no such account: -ENOENT.
 */
int cti_session_grant(struct cti_session *session, uint32_t kind,
		      const char *name, enum cti_right right, const char *list,
		      uint64_t *req);
/* Takes the items of @list away; -ENOENT if none of them was granted. */
int cti_session_revoke(struct cti_session *session, uint32_t kind,
		       const char *name, enum cti_right right, const char *list,
		       uint64_t *req);
/*
 * A remote (TLS) user's password, as a crypt(5) hash made by the program
 * (crypt_gensalt("$y$") and crypt() of libxcrypt: the password itself
 * never travels), or "*" for certificate logins only. ctid writes its
 * users file; -EOPNOTSUPP if it has none.
 */
int cti_session_set_password(struct cti_session *session, const char *user,
			     const char *hash, uint64_t *req);
/* ctid's sessions: CTI_MSG_SESSION each. */
int cti_session_list_sessions(struct cti_session *session, uint64_t *req);
/*
 * Ends session @id at once, without a resume (its program is told
 * ECONNABORTED); -ENOENT if there is none, -EINVAL for this session.
 */
int cti_session_kick(struct cti_session *session, uint64_t id, uint64_t *req);

/**
 * cti_msg_get_account() - the user or group of a CTI_MSG_ACCOUNT
 * @msg: the message
 * @out: filled up to @out->size bytes
 *
 * Returns 0, -EINVAL if @msg is of another type or @out->size is smaller
 * than the first fields (up to @name).
 */
int cti_msg_get_account(struct cti_msg *msg, struct cti_account *out);
/**
 * cti_msg_get_session_info() - the session of a CTI_MSG_SESSION
 * @msg: the message
 * @out: filled up to @out->size bytes
 *
 * Returns 0, or -EINVAL as cti_msg_get_account() does.
 */
int cti_msg_get_session_info(struct cti_msg *msg, struct cti_session_info *out);
/*
 * cti_session_get_note() - the reason ctid gave (CTI_MSG_NOTE) for
 * refusing request @req, or NULL. Valid until the next call into the
 * session; only the latest note is kept.
 */
const char *cti_session_get_note(struct cti_session *session, uint64_t req);

/* Line information. */
uint32_t cti_line_get_id(struct cti_line *line);
const char *cti_line_get_name(struct cti_line *line);
const char *cti_line_get_provider_name(struct cti_line *line);
size_t cti_line_get_num_addresses(struct cti_line *line);
const char *cti_line_get_address(struct cti_line *line, size_t index);
uint32_t cti_line_get_status(struct cti_line *line); /* enum cti_line_status */
uint64_t cti_line_get_ops(struct cti_line *line);	/* bit n: cti_cmd n */
uint64_t cti_line_get_uops(struct cti_line *line);	/* bit n: cmd 64 + n */
int cti_line_supports(struct cti_line *line, unsigned int cmd); /* 1 or 0 */
uint32_t cti_line_get_max_calls(struct cti_line *line);
uint32_t cti_line_get_num_calls(struct cti_line *line);
uint32_t cti_line_get_forward_mode(struct cti_line *line);
const char *cti_line_get_forward_to(struct cti_line *line);
int cti_line_get_dnd(struct cti_line *line);		/* 1 or 0 */
int cti_line_may_open(struct cti_line *line, enum cti_privilege priv);
enum cti_privilege cti_line_get_privilege(struct cti_line *line);
int cti_line_is_removed(struct cti_line *line);	/* 1 or 0 */
struct cti_session *cti_line_get_session(struct cti_line *line);

/*
 * Line requests (asynchronous). An opened line is opened again by libcti
 * after a resync; cti_line_close() stops that.
 */
int cti_line_open(struct cti_line *line, enum cti_privilege priv,
		  uint64_t *req);
int cti_line_close(struct cti_line *line, uint64_t *req);
int cti_line_make_call(struct cti_line *line, const char *number,
		       uint64_t *req);
int cti_line_unpark(struct cti_line *line, const char *slot, uint64_t *req);
/* @number NULL or "": group pickup, the oldest call ringing in the group. */
int cti_line_pickup(struct cti_line *line, const char *number, uint64_t *req);
/* @number NULL or "" with CTI_FORWARD_NONE. */
int cti_line_set_forward(struct cti_line *line, enum cti_forward_mode mode,
			 const char *number, uint64_t *req);
int cti_line_set_dnd(struct cti_line *line, int on, uint64_t *req);
int cti_line_dev_specific(struct cti_line *line, const void *data, size_t len,
			  uint64_t *req);
int cti_line_send_link_frame(struct cti_line *line, const void *data,
			     size_t len, uint64_t *req);
/*
 * cti_line_submit() - any command, as struct cti_request would carry it:
 * @cmd an enum cti_cmd or a userspace command (64..127); @data of @len
 * bytes, checked as doc/protocol.md says for @cmd.
 */
int cti_line_submit(struct cti_line *line, unsigned int cmd, uint32_t call,
		    uint32_t call2, uint32_t arg, uint32_t arg2,
		    const void *data, size_t len, uint64_t *req);

/* Call requests (asynchronous); a call is its line plus its handle, so
 * they are requests on the line. */
int cti_line_answer_call(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_line_accept_call(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_line_drop_call(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_line_hold_call(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_line_unhold_call(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_line_swap_hold(struct cti_line *line, uint32_t active, uint32_t held,
		       uint64_t *req);
int cti_line_blind_transfer(struct cti_line *line, uint32_t call,
			    const char *number, uint64_t *req);
int cti_line_setup_transfer(struct cti_line *line, uint32_t call,
			    const char *number, uint64_t *req);
int cti_line_complete_transfer(struct cti_line *line, uint32_t held,
			       uint32_t consult, enum cti_transfer_mode mode,
			       uint64_t *req);
int cti_line_setup_conference(struct cti_line *line, uint32_t call,
			      const char *number, uint64_t *req);
int cti_line_add_to_conference(struct cti_line *line, uint32_t conf,
			       uint32_t call, uint64_t *req);
int cti_line_remove_from_conference(struct cti_line *line, uint32_t call,
				    uint64_t *req);
int cti_line_redirect_call(struct cti_line *line, uint32_t call,
			   const char *number, uint64_t *req);
/* @slot NULL or "": any free park slot. */
int cti_line_park_call(struct cti_line *line, uint32_t call, const char *slot,
		       uint64_t *req);
int cti_line_generate_digits(struct cti_line *line, uint32_t call,
			     const char *digits, uint64_t *req);
int cti_line_generate_tone(struct cti_line *line, uint32_t call,
			   enum cti_tone tone, uint32_t ms, uint64_t *req);
int cti_line_set_call_privilege(struct cti_line *line, uint32_t call,
				enum cti_privilege priv, uint64_t *req);
/* @target: the client name of the receiving session; NULL: any owner. */
int cti_line_handoff_call(struct cti_line *line, uint32_t call,
			  const char *target, uint64_t *req);

/* The phone of a line (asynchronous): the phone is reached by its line. */
int cti_line_set_phone_hook(struct cti_line *line, uint32_t hookswitch,
			    enum cti_hook_mode mode, uint64_t *req);
int cti_line_set_phone_display(struct cti_line *line, uint32_t row,
			       uint32_t col, const char *text, uint64_t *req);
int cti_line_set_phone_lamp(struct cti_line *line, uint32_t lamp,
			    enum cti_lamp_mode mode, uint64_t *req);
int cti_line_set_phone_ring(struct cti_line *line, uint32_t pattern,
			    uint32_t volume, uint64_t *req);

/* The call-centre agent at a line (asynchronous); @state is an enum
 * cti_agent_state (cti_userspace.h), @reason a reason code (0: none). */
int cti_line_set_agent_state(struct cti_line *line, uint32_t state,
			     uint32_t reason, uint64_t *req);
/* @groups: comma-separated group names, "" for none. */
int cti_line_set_agent_groups(struct cti_line *line, const char *groups,
			      uint64_t *req);
int cti_line_set_agent_activity(struct cti_line *line, uint32_t activity,
				uint64_t *req);

/**
 * DOC: Phones
 *
 * TAPI's phone devices: the terminal of a line, with hook switch devices
 * (handset, speaker, headset), buttons, lamps, a display and a ringer. A
 * phone belongs to one line and shares its stable id (cti_phone_get_id()
 * equals the line's id) and its access: a user sees the phone of a line it
 * may see and may own it if it may own the line. A phone is opened as
 * owner or monitor on its own, without opening its line; its events
 * (CTI_MSG_PHONE_HOOK ...) then reach the session. The phone's state
 * accessors show what ctid last said: the PHONE items of
 * cti_session_list_phones(), cti_phone_query() or a snapshot, and then
 * each phone event the session receives. A phone lives as long as its
 * session; when its line goes away it answers cti_phone_is_removed() with
 * 1 and its requests with -ENODEV. Needs a ctid that grants phones
 * (cti_session_has_phones()); otherwise the phone requests fail with
 * -EOPNOTSUPP. Everything here is since CTI_6.
 */

/* 1 if ctid serves phones as objects (CTI_6 requests), else 0. */
int cti_session_has_phones(struct cti_session *session);

/**
 * cti_session_list_phones() - refresh the phones the user may see
 * @session: the session
 * @req: out: the request id
 *
 * Asynchronous: a CTI_MSG_PHONE message per phone, CTI_MSG_LIST_END, then
 * the REPLY. The phone table (cti_session_get_phone()...) is updated as
 * the items arrive.
 */
int cti_session_list_phones(struct cti_session *session, uint64_t *req);

/* The phones ctid listed so far, in its order; index < _get_num_phones. */
size_t cti_session_get_num_phones(struct cti_session *session);
struct cti_phone *cti_session_get_phone(struct cti_session *session,
					size_t index);
/* By id (its line's id); NULL if none is known. */
struct cti_phone *cti_session_get_phone_by_id(struct cti_session *session,
					      uint32_t id);
/**
 * cti_session_find_phone() - a listed phone by name or by its line's number
 * @session: the session
 * @name: the phone's name (its line's), or a directory number of its line
 * @phonep: out: the phone
 *
 * Return: 0, -EINVAL (NULL arguments) or -ENOENT (none listed: call
 * cti_session_list_phones() first).
 */
int cti_session_find_phone(struct cti_session *session, const char *name,
			   struct cti_phone **phonep);
/* The phone of @line once listed, or NULL. */
struct cti_phone *cti_line_get_phone(struct cti_line *line);
/* The message's phone (phone messages), or NULL. */
struct cti_phone *cti_msg_get_phone(struct cti_msg *msg);

/* Phone information: capabilities. */
uint32_t cti_phone_get_id(struct cti_phone *phone);
const char *cti_phone_get_name(struct cti_phone *phone);
/* The line the phone belongs to; NULL if the session does not know it. */
struct cti_line *cti_phone_get_line(struct cti_phone *phone);
uint64_t cti_phone_get_hookswitches(struct cti_phone *phone); /* HOOKSWITCH bits */
uint32_t cti_phone_get_num_buttons(struct cti_phone *phone);
uint32_t cti_phone_get_num_lamps(struct cti_phone *phone);
uint32_t cti_phone_get_display_rows(struct cti_phone *phone);
uint32_t cti_phone_get_display_cols(struct cti_phone *phone);
/* Patterns 1..n; 0: the phone takes any pattern number. */
uint32_t cti_phone_get_num_ring_patterns(struct cti_phone *phone);
int cti_phone_may_open(struct cti_phone *phone, enum cti_privilege priv);
enum cti_privilege cti_phone_get_privilege(struct cti_phone *phone);
int cti_phone_is_removed(struct cti_phone *phone);	/* 1 or 0 */
struct cti_session *cti_phone_get_session(struct cti_phone *phone);

/**
 * cti_phone_get_hook() - the mode of one hook switch device
 * @phone: the phone
 * @hookswitch: one CTI_HOOKSWITCH_* bit
 *
 * Return: its &enum cti_hook_mode; ONHOOK for a device the phone lacks or
 * a value that is not one bit.
 */
enum cti_hook_mode cti_phone_get_hook(struct cti_phone *phone,
				      uint64_t hookswitch);

/**
 * cti_phone_get_lamp() - how a lamp lights
 * @phone: the phone
 * @lamp: the lamp, from 0
 *
 * Return: its &enum cti_lamp_mode; OFF past the last lamp.
 */
enum cti_lamp_mode cti_phone_get_lamp(struct cti_phone *phone, uint32_t lamp);

/**
 * cti_phone_get_display_row() - the text of a display row
 * @phone: the phone
 * @row: the row, from 0
 *
 * Return: the row's text as the phone shows it (at most the display's
 * columns; a row never written is ""), "" past the last row. It points
 * into the phone, which lives as long as the session: later events of
 * the phone change the text in place.
 */
const char *cti_phone_get_display_row(struct cti_phone *phone, uint32_t row);

/* The ringer: its pattern (0: silent) and its volume (0-100). */
uint32_t cti_phone_get_ring_pattern(struct cti_phone *phone);
uint32_t cti_phone_get_ring_volume(struct cti_phone *phone);

/**
 * cti_phone_get_last_button() - the last button that moved
 * @phone: the phone
 * @button: out, optional: the button (0-11 the keypad, then features)
 * @pressed: out, optional: 1 pressed, 0 released
 *
 * Return: 0, or -ENOENT if no button has moved since the phone appeared.
 */
int cti_phone_get_last_button(struct cti_phone *phone, uint32_t *button,
			      int *pressed);

/*
 * Phone requests (asynchronous, see Conventions). Each fails at once with
 * -EINVAL (no phone or a bad argument libcti can tell), -EOPNOTSUPP (ctid
 * does not serve phones), -ENODEV (the phone's line went away) or the
 * errors of every request; ctid answers in the REPLY with the errnos of
 * doc/protocol.md, "Phones".
 */

/**
 * cti_phone_open() - open a phone as owner or monitor
 * @phone: the phone
 * @priv: CTI_PRIV_OWNER (its commands) or CTI_PRIV_MONITOR (its events)
 * @req: out: the request id
 *
 * The session then gets the phone's events, without opening its line.
 * libcti opens it again, as @priv, after a resync. In the REPLY: -EACCES
 * owner without the right to own the line, -ENOENT a phone the user may
 * not see.
 */
int cti_phone_open(struct cti_phone *phone, enum cti_privilege priv,
		   uint64_t *req);

/**
 * cti_phone_close() - close a phone
 * @phone: the phone
 * @req: out: the request id
 *
 * Its events stop and libcti no longer opens it after a resync. In the
 * REPLY: -EBADF if the session did not have it open.
 */
int cti_phone_close(struct cti_phone *phone, uint64_t *req);

/**
 * cti_phone_query() - ctid's state of one phone
 * @phone: the phone
 * @req: out: the request id
 *
 * One CTI_MSG_PHONE (the phone's accessors then show that state), then
 * CTI_MSG_LIST_END and the REPLY. Needs no open.
 */
int cti_phone_query(struct cti_phone *phone, uint64_t *req);

/**
 * cti_phone_set_hookswitch() - set a hook switch device's mode
 * @phone: a phone the session has open as owner
 * @hookswitch: one CTI_HOOKSWITCH_* bit the phone has
 * @mode: an &enum cti_hook_mode
 * @req: out: the request id
 */
int cti_phone_set_hookswitch(struct cti_phone *phone, uint64_t hookswitch,
			     enum cti_hook_mode mode, uint64_t *req);

/**
 * cti_phone_write_display() - write text on the display
 * @phone: a phone the session has open as owner
 * @row: the row, below cti_phone_get_display_rows()
 * @col: the first column, below cti_phone_get_display_cols()
 * @text: printable UTF-8, at most CTI_DISPLAY_MAX bytes (-ENAMETOOLONG);
 *	what passes the row's end is cut by the phone
 * @req: out: the request id
 */
int cti_phone_write_display(struct cti_phone *phone, uint32_t row,
			    uint32_t col, const char *text, uint64_t *req);

/**
 * cti_phone_set_lamp_mode() - light a lamp
 * @phone: a phone the session has open as owner
 * @lamp: the lamp, below cti_phone_get_num_lamps()
 * @mode: an &enum cti_lamp_mode
 * @req: out: the request id
 */
int cti_phone_set_lamp_mode(struct cti_phone *phone, uint32_t lamp,
			    enum cti_lamp_mode mode, uint64_t *req);

/**
 * cti_phone_set_ringer() - ring the phone, or stop it
 * @phone: a phone the session has open as owner
 * @pattern: 0 stops; 1 up to cti_phone_get_num_ring_patterns() (any when
 *	that is 0)
 * @volume: 0-100
 * @req: out: the request id
 */
int cti_phone_set_ringer(struct cti_phone *phone, uint32_t pattern,
			 uint32_t volume, uint64_t *req);

/**
 * cti_phone_dev_specific() - bytes for the phone's provider
 * @phone: a phone the session has open as owner
 * @data: the bytes, their meaning the provider's (the sim: "button 5
 *	press", see providers/sim/sim_devspec.c)
 * @len: at most CTI_DEV_SPECIFIC_MAX
 * @req: out: the request id
 */
int cti_phone_dev_specific(struct cti_phone *phone, const void *data,
			   size_t len, uint64_t *req);

/* Messages. Accessors that do not apply to a type return 0, NULL or "". */
void cti_msg_free(struct cti_msg *msg);
enum cti_msg_type cti_msg_get_type(struct cti_msg *msg);
const char *cti_msg_type_name(enum cti_msg_type type);
struct cti_line *cti_msg_get_line(struct cti_msg *msg);	/* NULL: none */
uint32_t cti_msg_get_line_id(struct cti_msg *msg);	/* or CTI_LINE_NONE */
uint64_t cti_msg_get_seq(struct cti_msg *msg);		/* events; else 0 */
uint64_t cti_msg_get_timestamp_ns(struct cti_msg *msg);
uint64_t cti_msg_get_request(struct cti_msg *msg);
int cti_msg_get_error(struct cti_msg *msg);		/* 0 or -errno */
uint32_t cti_msg_get_call(struct cti_msg *msg);
uint32_t cti_msg_get_related_call(struct cti_msg *msg);
uint32_t cti_msg_get_state(struct cti_msg *msg);
uint32_t cti_msg_get_reason(struct cti_msg *msg);
uint32_t cti_msg_get_origin(struct cti_msg *msg);
uint64_t cti_msg_get_changed(struct cti_msg *msg);
uint32_t cti_msg_get_arg(struct cti_msg *msg);
enum cti_privilege cti_msg_get_privilege(struct cti_msg *msg);
const char *cti_msg_get_caller(struct cti_msg *msg);
const char *cti_msg_get_caller_name(struct cti_msg *msg);
const char *cti_msg_get_called(struct cti_msg *msg);
const char *cti_msg_get_called_name(struct cti_msg *msg);
const char *cti_msg_get_text(struct cti_msg *msg);
/* Returns the byte count; *@data points into the message. */
size_t cti_msg_get_data(struct cti_msg *msg, const void **data);
/* GAP: the lost range; returns the count of lost events. */
uint64_t cti_msg_get_gap(struct cti_msg *msg, uint64_t *first,
			 uint64_t *last);

/* Names for printing: "CONNECTED", "NORMAL", ...; "?" if unknown. */
const char *cti_call_state_name(uint32_t state);
const char *cti_disconnect_reason_name(uint32_t reason);
/*
 * A command's name, as its enum spells it without the CTI_CMD_ prefix
 * ("MAKE_CALL"), or an agent command's (64 and up: "SET_AGENT_STATE"):
 * for printing a line's operations (cti_line_get_ops(): bit n is command
 * n; cti_line_get_uops(): bit n is command 64 + n). "?" if unknown.
 * Since CTI_5.
 */
const char *cti_command_name(uint32_t cmd);
/* An OFFERING call's reason (CTI_REASON_*): "DIRECT", "FORWARD", ... */
const char *cti_offer_reason_name(uint32_t reason);
/*
 * The reason of a call in @state, from the table that state uses: offer
 * reasons while OFFERING, disconnect reasons once DISCONNECTED or IDLE,
 * "" in any other state (which carries none). Since CTI_5.
 */
const char *cti_call_reason_name(uint32_t state, uint32_t reason);

/*
 * The names of CTI_1, which took a line under the name of another object.
 * They stay, exported under version CTI_1, for binaries and programs that
 * use them; new code uses the cti_line_* names above, which do the same.
 */
int cti_call_answer(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_call_accept(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_call_drop(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_call_hold(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_call_unhold(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_call_swap_hold(struct cti_line *line, uint32_t active,
		       uint32_t held, uint64_t *req);
int cti_call_blind_transfer(struct cti_line *line, uint32_t call,
			    const char *number, uint64_t *req);
int cti_call_setup_transfer(struct cti_line *line, uint32_t call,
			    const char *number, uint64_t *req);
int cti_call_complete_transfer(struct cti_line *line, uint32_t held,
			       uint32_t consult, enum cti_transfer_mode mode,
			       uint64_t *req);
int cti_call_setup_conference(struct cti_line *line, uint32_t call,
			      const char *number, uint64_t *req);
int cti_call_add_to_conference(struct cti_line *line, uint32_t conf,
			       uint32_t call, uint64_t *req);
int cti_call_remove_from_conference(struct cti_line *line, uint32_t call,
				    uint64_t *req);
int cti_call_redirect(struct cti_line *line, uint32_t call,
		      const char *number, uint64_t *req);
int cti_call_park(struct cti_line *line, uint32_t call, const char *slot,
		  uint64_t *req);
int cti_call_generate_digits(struct cti_line *line, uint32_t call,
			     const char *digits, uint64_t *req);
int cti_call_generate_tone(struct cti_line *line, uint32_t call,
			   enum cti_tone tone, uint32_t ms, uint64_t *req);
int cti_call_set_privilege(struct cti_line *line, uint32_t call,
			   enum cti_privilege priv, uint64_t *req);
int cti_call_handoff(struct cti_line *line, uint32_t call,
		     const char *target, uint64_t *req);

int cti_phone_set_hook(struct cti_line *line, uint32_t hookswitch,
		       enum cti_hook_mode mode, uint64_t *req);
int cti_phone_set_display(struct cti_line *line, uint32_t row, uint32_t col,
			  const char *text, uint64_t *req);
int cti_phone_set_lamp(struct cti_line *line, uint32_t lamp,
		       enum cti_lamp_mode mode, uint64_t *req);
int cti_phone_set_ring(struct cti_line *line, uint32_t pattern,
		       uint32_t volume, uint64_t *req);

int cti_agent_set_state(struct cti_line *line, uint32_t state,
			uint32_t reason, uint64_t *req);
int cti_agent_set_groups(struct cti_line *line, const char *groups,
			 uint64_t *req);
int cti_agent_set_activity(struct cti_line *line, uint32_t activity,
			   uint64_t *req);

#ifdef __cplusplus
}
#endif

#endif /* CTI_H */
