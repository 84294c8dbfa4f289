/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cti: computer-telephony integration cards
 *
 * The character device ABI of /dev/ctiN and the generic netlink family "cti".
 */
#ifndef _UAPI_LINUX_CTI_H
#define _UAPI_LINUX_CTI_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: Overview
 *
 * A CTI card is a device through which a computer controls telephone calls:
 * a *call-control* card speaks the uniform call model of this header (lines,
 * calls, call states, commands); a *link* card carries a switch's own CTI
 * protocol as opaque frames for a userspace provider to translate. Both kinds
 * deliver everything through the same per-file event ring.
 *
 * Every open file of /dev/ctiN has its own ring of event records. Each opener
 * receives every event of the card (subject to its own filter, see
 * CTI_IOC_SET_FILTER), except REPLY records, which go only to the file that
 * submitted the request. The ring is read either by mapping it (mmap, offset
 * 0, size and layout from CTI_IOC_RING_INFO) or with read(), which returns
 * whole records only; both consume the same ring.
 *
 * Commands are submitted with CTI_IOC_SUBMIT and a caller-chosen 64-bit
 * request id. A submit that returns 0 has created a request: exactly one
 * REPLY record with that id follows, carrying success or a negative errno.
 * A submit that fails created nothing and no REPLY follows.
 */

/**
 * DOC: Errors
 *
 * Every ioctl reports errors with the same errno values, checked in the
 * order copy, size, reserved bytes, flags, ranges:
 *
 * - ENOTTY: unknown ioctl number.
 * - EFAULT: a pointer (the argument, or a user pointer inside it) is bad.
 * - EINVAL: a field has a wrong value: a size smaller than the first
 *   published version of the struct, a non-zero reserved byte, an unknown
 *   flag or a contradictory combination, an unknown command or record type,
 *   a malformed number or digit string.
 * - E2BIG: the caller's struct is larger than the kernel's and the bytes
 *   past the kernel's size are not all zero, or its size is above a page
 *   (4096 bytes on most machines) whatever the bytes.
 * - EOPNOTSUPP: a known field has a value this card does not support (a
 *   call-control command on a link-only card, a command the line lacks).
 * - ENOENT: no such line, phone or call.
 * - ENOSPC: a snapshot does not fit the caller's arrays; the needed counts
 *   are written back.
 * - EBADF: a file opened O_RDONLY may watch but not submit or change state.
 * - EAGAIN: CTI_IOC_SUBMIT while the file has as many requests without a
 *   REPLY as cti.ko's max_requests parameter allows (256 by default); read
 *   the REPLY records and submit again.
 * - ENODEV: the card has been removed; every later operation on the file
 *   fails with it, poll() reports EPOLLHUP | EPOLLERR. read() returns the
 *   records left (CARD_REMOVED last) before it does.
 *
 * open() of /dev/ctiN fails with EBUSY when the rings of the card's open
 * files already take cti.ko's card_ring_limit (64 MiB by default); each
 * ring is charged to the memory cgroup of the process that opens it.
 * mmap() of the ring fails with EPERM for PROT_EXEC, and mprotect() cannot
 * add it (EACCES).
 *
 * REPLY records use the same values for asynchronous failures, plus EBUSY
 * (the line or call is in a state where the command cannot run), ETIMEDOUT
 * and whatever the card reports (EIO for a link failure).
 */

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

/* Features of the ABI this kernel implements (cti_card_info.features). */
#define CTI_FEAT_RING		_BITULL(0)	/* mmap'd event ring */
#define CTI_FEAT_READ		_BITULL(1)	/* read() of whole records */
#define CTI_FEAT_SNAPSHOT	_BITULL(2)	/* CTI_IOC_SNAPSHOT */
#define CTI_FEAT_FILTER		_BITULL(3)	/* CTI_IOC_SET_FILTER */

/* What kind of card this is (cti_card_info.caps); both bits may be set. */
#define CTI_CARD_CAP_CALL_CONTROL _BITULL(0)	/* speaks the call model */
#define CTI_CARD_CAP_LINK	_BITULL(1)	/* carries raw link frames */
#define CTI_CARD_CAP_PHONES	_BITULL(2)	/* has phone devices */

/**
 * enum cti_link_state - state of a card's link to its switch
 * @CTI_LINK_DOWN: no link; commands fail with EIO
 * @CTI_LINK_UP: the link works
 */
enum cti_link_state {
	CTI_LINK_DOWN = 0,
	CTI_LINK_UP = 1,
};

/**
 * struct cti_card_info - what a card is (CTI_IOC_CARD_INFO)
 * @size: in: sizeof(struct cti_card_info) as the caller knows it; out: the
 *	number of bytes the kernel filled
 * @index: the N of /dev/ctiN
 * @features: CTI_FEAT_* bits of this kernel's ABI
 * @caps: CTI_CARD_CAP_* bits of this card
 * @num_lines: number of lines, numbered 0..num_lines-1
 * @num_phones: number of phones, numbered 0..num_phones-1
 * @link_state: an &enum cti_link_state value
 * @__reserved: must be zero
 * @name: the card's name, unique among cards, NUL-terminated
 * @driver: the backend driver's name
 * @vendor: the hardware vendor
 * @serial: the card's serial number, empty if it has none
 */
struct cti_card_info {
	__u32 size;
	__u32 index;
	__aligned_u64 features;
	__aligned_u64 caps;
	__u32 num_lines;
	__u32 num_phones;
	__u32 link_state;
	__u32 __reserved;
	char name[CTI_NAME_MAX];
	char driver[CTI_NAME_MAX];
	char vendor[CTI_NAME_MAX];
	char serial[CTI_NAME_MAX];
};

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

/**
 * struct cti_line_info - what a line is (CTI_IOC_LINE_INFO)
 * @size: as in &struct cti_card_info
 * @line: in: the line number
 * @ops: bit (1 << cmd) for every &enum cti_cmd the line supports
 * @status: an &enum cti_line_status value
 * @num_addresses: number of valid entries in @addresses
 * @num_calls: calls the line has now
 * @max_calls: calls the line can have at once
 * @__reserved: must be zero
 * @name: the line's name
 * @addresses: the line's directory numbers, NUL-terminated
 */
struct cti_line_info {
	__u32 size;
	__u32 line;
	__aligned_u64 ops;
	__u32 status;
	__u32 num_addresses;
	__u32 num_calls;
	__u32 max_calls;
	__u32 __reserved[2];
	char name[CTI_NAME_MAX];
	char addresses[CTI_MAX_ADDRESSES][CTI_NUMBER_MAX];
};

/* Hook switch devices of a phone (cti_phone_info.hookswitches). */
#define CTI_HOOKSWITCH_HANDSET	_BITULL(0)
#define CTI_HOOKSWITCH_SPEAKER	_BITULL(1)
#define CTI_HOOKSWITCH_HEADSET	_BITULL(2)

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
 * struct cti_phone_info - what a phone is (CTI_IOC_PHONE_INFO)
 * @size: as in &struct cti_card_info
 * @phone: in: the phone number (index)
 * @hookswitches: CTI_HOOKSWITCH_* devices the phone has
 * @num_buttons: buttons; ids 0-11 are the keypad (0-9, *, #), then features
 * @num_lamps: lamps, numbered 0..num_lamps-1
 * @display_rows: rows of the display, 0 if none
 * @display_cols: columns of the display
 * @line: the line this phone is attached to, or CTI_LINE_NONE
 * @__reserved: must be zero
 * @name: the phone's name
 */
struct cti_phone_info {
	__u32 size;
	__u32 phone;
	__aligned_u64 hookswitches;
	__u32 num_buttons;
	__u32 num_lamps;
	__u32 display_rows;
	__u32 display_cols;
	__u32 line;
	__u32 __reserved;
	char name[CTI_NAME_MAX];
};

/**
 * enum cti_cmd - asynchronous commands (struct cti_request.cmd)
 *
 * "number" is a dial string of digits 0-9, *, #, and a leading +, given in
 * &struct cti_request.data; @call is the call a command acts on.
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
 * struct cti_request - one asynchronous command (CTI_IOC_SUBMIT)
 * @size: sizeof(struct cti_request) as the caller knows it
 * @cmd: an &enum cti_cmd value
 * @flags: none are defined yet; must be zero
 * @id: the caller's request id, echoed in the REPLY record; the kernel
 *	does not interpret it (ids need not be unique)
 * @line: the line, or for phone commands the phone
 * @call: the call the command acts on, or CTI_CALL_NONE
 * @call2: the second call of two-call commands, or CTI_CALL_NONE
 * @arg: a command-specific value (see &enum cti_cmd), else zero
 * @arg2: a second command-specific value, else zero
 * @data_len: bytes at @data, at most CTI_DATA_MAX (CTI_DEV_SPECIFIC_MAX,
 *	CTI_LINK_FRAME_MAX, CTI_NUMBER_MAX - 1 or CTI_DISPLAY_MAX by command);
 *	strings are given without their NUL
 * @data: user pointer to the command's number, digits, text or payload
 * @__reserved: must be zero
 */
struct cti_request {
	__u32 size;
	__u16 cmd;
	__u16 flags;
	__aligned_u64 id;
	__u32 line;
	__u32 call;
	__u32 call2;
	__u32 arg;
	__u32 arg2;
	__u32 data_len;
	__aligned_u64 data;
	__aligned_u64 __reserved[2];
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

/**
 * enum cti_event_type - types of event records
 * @CTI_EV_PAD: filler at the end of the ring; skip it (never read()). It
 *	may be only 8 or 16 bytes long: just @type and @size of its header
 *	are valid
 * @CTI_EV_REPLY: the result of a request (&struct cti_ev_reply)
 * @CTI_EV_CALL_STATE: a call changed state (&struct cti_ev_call_state)
 * @CTI_EV_CALL_INFO: a call's parties or origin changed
 *	(&struct cti_ev_call_info)
 * @CTI_EV_DIGITS: digits were received on a call (&struct cti_ev_digits)
 * @CTI_EV_LINE_STATUS: a line's status changed (&struct cti_ev_line_status)
 * @CTI_EV_PHONE_HOOK: a phone's hook switch moved (&struct cti_ev_phone_hook)
 * @CTI_EV_PHONE_BUTTON: a phone button was pressed or released
 *	(&struct cti_ev_phone_button)
 * @CTI_EV_LINK_FRAME: a frame arrived on the link (&struct cti_ev_link_frame)
 * @CTI_EV_LINK_STATE: the link went up or down (&struct cti_ev_link_state)
 * @CTI_EV_OVERFLOW: records were lost because the ring was full
 *	(&struct cti_ev_overflow)
 * @CTI_EV_CARD_REMOVED: the card is gone; nothing follows this record
 * @CTI_EV_MAX: one past the last type
 */
enum cti_event_type {
	CTI_EV_PAD = 0,
	CTI_EV_REPLY = 1,
	CTI_EV_CALL_STATE = 2,
	CTI_EV_CALL_INFO = 3,
	CTI_EV_DIGITS = 4,
	CTI_EV_LINE_STATUS = 5,
	CTI_EV_PHONE_HOOK = 6,
	CTI_EV_PHONE_BUTTON = 7,
	CTI_EV_LINK_FRAME = 8,
	CTI_EV_LINK_STATE = 9,
	CTI_EV_OVERFLOW = 10,
	CTI_EV_CARD_REMOVED = 11,
	CTI_EV_MAX,
};

/**
 * struct cti_event - the header every record starts with
 * @type: an &enum cti_event_type value; skip types you do not know
 * @size: bytes of the whole record, header included, a multiple of 8
 * @line: the line (or phone, for phone records) the record is about, or
 *	CTI_LINE_NONE
 * @seq: the record's sequence number in this file: 1 for the first record,
 *	then one more for every record written (PAD excepted); a reader that
 *	sees a jump has a bug, lost records are reported by OVERFLOW
 * @timestamp_ns: CLOCK_MONOTONIC time at which the card posted the event
 */
struct cti_event {
	__u16 type;
	__u16 size;
	__u32 line;
	__aligned_u64 seq;
	__aligned_u64 timestamp_ns;
};

/**
 * struct cti_ev_reply - CTI_EV_REPLY: the result of a request
 * @hdr: header; @hdr.line is the request's line
 * @id: the request id given to CTI_IOC_SUBMIT
 * @error: 0 on success, else a negative errno
 * @call: the call the command created (MAKE_CALL, SETUP_TRANSFER,
 *	SETUP_CONFERENCE, UNPARK, PICKUP), else CTI_CALL_NONE
 * @cmd: the request's &enum cti_cmd
 * @__reserved: zero
 */
struct cti_ev_reply {
	struct cti_event hdr;
	__aligned_u64 id;
	__s32 error;
	__u32 call;
	__u32 cmd;
	__u32 __reserved;
};

/**
 * struct cti_ev_call_state - CTI_EV_CALL_STATE: a call changed state
 * @hdr: header; @hdr.line is the call's line
 * @call: the call's handle, unique on its card while the call exists
 * @state: the new &enum cti_call_state
 * @reason: for DISCONNECTED and IDLE an &enum cti_disconnect_reason, for
 *	OFFERING an &enum cti_call_reason, else zero
 * @related_call: the consultation or conference call this call belongs
 *	with, or CTI_CALL_NONE
 */
struct cti_ev_call_state {
	struct cti_event hdr;
	__u32 call;
	__u32 state;
	__u32 reason;
	__u32 related_call;
};

/* Fields of a call that a CALL_INFO record reports changed. */
#define CTI_CALL_INFO_ORIGIN	_BITULL(0)
#define CTI_CALL_INFO_REASON	_BITULL(1)
#define CTI_CALL_INFO_CALLER	_BITULL(2)
#define CTI_CALL_INFO_CALLED	_BITULL(3)
#define CTI_CALL_INFO_RELATED	_BITULL(4)

/**
 * struct cti_ev_call_info - CTI_EV_CALL_INFO: a call's information
 * @hdr: header
 * @call: the call
 * @origin: an &enum cti_call_origin
 * @changed: CTI_CALL_INFO_* bits of the fields that changed
 * @reason: an &enum cti_call_reason
 * @related_call: the related call, or CTI_CALL_NONE
 * @caller: the calling party's number
 * @caller_name: the calling party's name
 * @called: the called party's number
 * @called_name: the called party's name
 */
struct cti_ev_call_info {
	struct cti_event hdr;
	__u32 call;
	__u32 origin;
	__aligned_u64 changed;
	__u32 reason;
	__u32 related_call;
	char caller[CTI_NUMBER_MAX];
	char caller_name[CTI_NAME_MAX];
	char called[CTI_NUMBER_MAX];
	char called_name[CTI_NAME_MAX];
};

/**
 * struct cti_ev_digits - CTI_EV_DIGITS: DTMF digits received on a call
 * @hdr: header
 * @call: the call
 * @count: number of digits in @digits
 * @digits: the digits (0-9, *, #, A-D), not NUL-terminated
 */
struct cti_ev_digits {
	struct cti_event hdr;
	__u32 call;
	__u32 count;
	char digits[CTI_DIGITS_MAX];
};

/**
 * struct cti_ev_line_status - CTI_EV_LINE_STATUS: a line's status
 * @hdr: header
 * @status: an &enum cti_line_status
 * @num_calls: calls the line has now
 * @forward_mode: an &enum cti_forward_mode
 * @dnd: 1 if do-not-disturb is on
 * @forward_to: where the line forwards to, if it does
 */
struct cti_ev_line_status {
	struct cti_event hdr;
	__u32 status;
	__u32 num_calls;
	__u32 forward_mode;
	__u32 dnd;
	char forward_to[CTI_NUMBER_MAX];
};

/**
 * struct cti_ev_phone_hook - CTI_EV_PHONE_HOOK: a hook switch moved
 * @hdr: header; @hdr.line is the phone
 * @hookswitch: the CTI_HOOKSWITCH_* device
 * @mode: its new &enum cti_hook_mode
 */
struct cti_ev_phone_hook {
	struct cti_event hdr;
	__u32 hookswitch;
	__u32 mode;
};

/**
 * struct cti_ev_phone_button - CTI_EV_PHONE_BUTTON: a button moved
 * @hdr: header; @hdr.line is the phone
 * @button: the button id (0-9 digits, 10 '*', 11 '#', then features)
 * @pressed: 1 when pressed, 0 when released
 */
struct cti_ev_phone_button {
	struct cti_event hdr;
	__u32 button;
	__u32 pressed;
};

/**
 * struct cti_ev_link_frame - CTI_EV_LINK_FRAME: a frame from the link
 * @hdr: header; @hdr.line is the link channel; @hdr.size covers the frame
 *	rounded up to 8 bytes
 * @len: bytes of @data, at most CTI_LINK_FRAME_MAX
 * @__reserved: zero
 * @data: the frame as the link carried it
 */
struct cti_ev_link_frame {
	struct cti_event hdr;
	__u32 len;
	__u32 __reserved;
	__u8 data[];
};

/**
 * struct cti_ev_link_state - CTI_EV_LINK_STATE: the link went up or down
 * @hdr: header; @hdr.line is CTI_LINE_NONE
 * @state: the new &enum cti_link_state
 * @__reserved: zero
 */
struct cti_ev_link_state {
	struct cti_event hdr;
	__u32 state;
	__u32 __reserved;
};

/**
 * struct cti_ev_overflow - CTI_EV_OVERFLOW: records were lost
 * @hdr: header; @hdr.line is CTI_LINE_NONE
 * @lost: records lost since the previous OVERFLOW record (or the open);
 *	CTI_IOC_SNAPSHOT recovers the state they described
 */
struct cti_ev_overflow {
	struct cti_event hdr;
	__aligned_u64 lost;
};

/* The largest record: a link frame of CTI_LINK_FRAME_MAX bytes. */
#define CTI_EVENT_MAX_SIZE	(sizeof(struct cti_ev_link_frame) + CTI_LINK_FRAME_MAX)

/**
 * DOC: The event ring
 *
 * mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) maps the
 * file's ring; CTI_IOC_RING_INFO gives mmap_size and the byte offsets of its
 * fields from the start of the mapping. head and tail are free-running
 * __u32 byte counters; a record starts at data_off + (head & mask), is
 * contiguous (a PAD record fills the end of the data area when the next
 * record would not fit there) and 8-byte aligned. The gap a PAD fills can
 * be as small as 8 bytes, shorter than struct cti_event: a consumer reads
 * only type and size (the first 4 bytes) before it knows that a record is
 * not PAD.
 *
 * The consumer loads tail with acquire ordering, reads records from head up
 * to tail, then stores the new head with release ordering. The kernel
 * stores tail with release ordering after the record is complete. The
 * kernel never trusts head: a head that is not 8-byte aligned or lies
 * outside [the kernel's last known head, tail] is ignored (nothing is taken
 * as consumed) and CTI_RING_F_BAD_HEAD is set in the flags word.
 *
 * overflow holds the total number of records lost since the open (the
 * OVERFLOW records report the same losses). Room for one OVERFLOW record
 * and CARD_REMOVED is always kept, so loss just before an unplug is
 * reported too: OVERFLOW, then CARD_REMOVED, last. Once records have been lost,
 * the OVERFLOW record with their count is written as soon as there is room
 * for it again: before the next record, by read() after it has consumed
 * records, or by poll(), which is how an mmap reader tells the kernel it
 * has moved head. An mmap reader that drained a ring which overflowed
 * therefore polls once more to receive it.
 */

/* Ring flags (the word at flags_off). */
#define CTI_RING_F_BAD_HEAD	_BITULL(0)	/* userspace wrote a bad head */
#define CTI_RING_F_REMOVED	_BITULL(1)	/* the card is gone */

/**
 * struct cti_ring_info - the layout of the mapped ring (CTI_IOC_RING_INFO)
 * @size: as in &struct cti_card_info
 * @ring_size: bytes of the data area, a power of two
 * @mmap_size: bytes to map at offset 0
 * @head_off: offset of the __u32 head (written by userspace)
 * @tail_off: offset of the __u32 tail (written by the kernel)
 * @mask_off: offset of the __u32 mask (ring_size - 1)
 * @overflow_off: offset of the __u64 count of lost records
 * @flags_off: offset of the __u32 CTI_RING_F_* flags
 * @data_off: offset of the first byte of the data area
 * @__reserved: must be zero
 */
struct cti_ring_info {
	__u32 size;
	__u32 ring_size;
	__aligned_u64 mmap_size;
	__u32 head_off;
	__u32 tail_off;
	__u32 mask_off;
	__u32 overflow_off;
	__u32 flags_off;
	__u32 data_off;
	__u32 __reserved[2];
};

/**
 * struct cti_line_snapshot - one line in a snapshot
 * @line: the line number
 * @status: an &enum cti_line_status
 * @num_calls: calls the line has
 * @forward_mode: an &enum cti_forward_mode
 * @dnd: 1 if do-not-disturb is on
 * @__reserved: zero
 * @forward_to: the forwarding destination
 */
struct cti_line_snapshot {
	__u32 line;
	__u32 status;
	__u32 num_calls;
	__u32 forward_mode;
	__u32 dnd;
	__u32 __reserved;
	char forward_to[CTI_NUMBER_MAX];
};

/**
 * struct cti_call_snapshot - one call in a snapshot
 * @line: the call's line
 * @call: the call's handle
 * @state: its &enum cti_call_state
 * @reason: as in &struct cti_ev_call_state
 * @origin: an &enum cti_call_origin
 * @related_call: the related call, or CTI_CALL_NONE
 * @caller: the calling party's number
 * @called: the called party's number
 */
struct cti_call_snapshot {
	__u32 line;
	__u32 call;
	__u32 state;
	__u32 reason;
	__u32 origin;
	__u32 related_call;
	char caller[CTI_NUMBER_MAX];
	char called[CTI_NUMBER_MAX];
};

/**
 * struct cti_snapshot - the state of every line and call (CTI_IOC_SNAPSHOT)
 * @size: sizeof(struct cti_snapshot) as the caller knows it
 * @flags: none are defined yet; must be zero
 * @num_lines: in: entries at @lines; out: lines written (or needed, with
 *	ENOSPC)
 * @num_calls: in: entries at @calls; out: calls written (or needed)
 * @lines: user pointer to an array of &struct cti_line_snapshot
 * @calls: user pointer to an array of &struct cti_call_snapshot
 * @seq: out: the sequence number of the last record written to this
 *	file's ring before the snapshot was taken; records with a higher
 *	sequence number describe changes after it
 * @__reserved: must be zero
 */
struct cti_snapshot {
	__u32 size;
	__u32 flags;
	__u32 num_lines;
	__u32 num_calls;
	__aligned_u64 lines;
	__aligned_u64 calls;
	__aligned_u64 seq;
	__aligned_u64 __reserved;
};

/* Event filter flags. */
#define CTI_FILTER_F_LINES	_BITULL(0)	/* only the lines in @lines */

/**
 * struct cti_event_filter - which records this file receives
 *	(CTI_IOC_SET_FILTER)
 *
 * REPLY, OVERFLOW and CARD_REMOVED records are always delivered. A new
 * file receives everything.
 *
 * @size: sizeof(struct cti_event_filter) as the caller knows it
 * @flags: CTI_FILTER_F_* flags
 * @types: bit (1 << type) for every &enum cti_event_type to receive
 * @lines: with CTI_FILTER_F_LINES: user pointer to a bitmap of @num_lines
 *	bits (an array of __u64, bit n of word n / 64 for line n); records
 *	about other lines are not delivered, card-wide records are
 * @num_lines: bits in the bitmap at @lines, at most the card's lines
 *	rounded up to 64; zero without CTI_FILTER_F_LINES
 * @__reserved: must be zero
 */
struct cti_event_filter {
	__u32 size;
	__u32 flags;
	__aligned_u64 types;
	__aligned_u64 lines;
	__u32 num_lines;
	__u32 __reserved;
};

/**
 * DOC: ioctl numbers and argument sizes
 *
 * Every ioctl number is _IO(CTI_IOCTL_MAGIC, nr): it names the command and
 * nothing else. The length of the argument is the @size field that starts
 * every argument struct, never the number, so a struct can grow without
 * its ioctl changing number, and a program built against an older or a
 * newer header keeps working (the iommufd scheme). The numbers carry no
 * direction and no size on purpose: had they carried _IOC_SIZE, every
 * growth would have given the same command a second number and left the
 * kernel with two sizes to reconcile; a number is matched whole, so any
 * other value, including one with a size or direction bits added, is
 * ENOTTY. A number is never reused; a changed meaning gets a new number.
 *
 * The rules for @size, the same for every ioctl:
 *
 * - @size equal to the kernel's struct: the common case.
 * - @size smaller, but at least the first published size of the struct:
 *   an older caller; the fields it does not know are taken as zero (their
 *   zero value always means "as before") and output is written back in
 *   @size bytes only.
 * - @size below the first published size (today the structs' sizes, all
 *   of them published first in this version): EINVAL.
 * - @size larger: a newer caller; the bytes past the kernel's struct must
 *   be zero (E2BIG otherwise), and output is written back in the kernel's
 *   size only.
 * - @size above a page: E2BIG whatever the bytes (no struct grows that
 *   far; the kernel does not scan more of the caller's memory for zeros).
 *
 * Output structs return in @size the number of bytes the kernel wrote.
 */
#define CTI_IOCTL_MAGIC		0xCA

#define CTI_IOC_CARD_INFO	_IO(CTI_IOCTL_MAGIC, 0x00)	/* cti_card_info */
#define CTI_IOC_LINE_INFO	_IO(CTI_IOCTL_MAGIC, 0x01)	/* cti_line_info */
#define CTI_IOC_PHONE_INFO	_IO(CTI_IOCTL_MAGIC, 0x02)	/* cti_phone_info */
#define CTI_IOC_SUBMIT		_IO(CTI_IOCTL_MAGIC, 0x03)	/* cti_request */
#define CTI_IOC_RING_INFO	_IO(CTI_IOCTL_MAGIC, 0x04)	/* cti_ring_info */
#define CTI_IOC_SNAPSHOT	_IO(CTI_IOCTL_MAGIC, 0x05)	/* cti_snapshot */
#define CTI_IOC_SET_FILTER	_IO(CTI_IOCTL_MAGIC, 0x06)	/* cti_event_filter */

/**
 * DOC: Generic netlink family "cti"
 *
 * CTI_NL_CMD_GET_CARD with CTI_NL_A_CARD_INDEX answers for one card, as a
 * dump for all of them. The multicast group CTI_NL_MCGRP_EVENTS announces
 * CTI_NL_CMD_CARD_ADDED, CTI_NL_CMD_CARD_REMOVED and
 * CTI_NL_CMD_LINK_STATE with the same attributes. The family is also
 * described in kernel/cti.yaml.
 *
 * Cards belong to the host, not to a network namespace: the family exists
 * in the initial network namespace only, where the notifications go; in
 * any other (a container's) it is not found. In the initial namespace any
 * user may dump the cards and join the group, which tell no more than
 * /sys/class/cti does; using a card takes opening /dev/ctiN.
 */
#define CTI_GENL_NAME		"cti"
#define CTI_GENL_VERSION	1
#define CTI_NL_MCGRP_EVENTS	"events"

/**
 * enum cti_nl_cmd - generic netlink commands of the "cti" family
 * @CTI_NL_CMD_UNSPEC: unused
 * @CTI_NL_CMD_GET_CARD: get one card (doit) or all cards (dumpit)
 * @CTI_NL_CMD_CARD_ADDED: notification: a card was registered
 * @CTI_NL_CMD_CARD_REMOVED: notification: a card was unregistered
 * @CTI_NL_CMD_LINK_STATE: notification: a card's link went up or down
 * @__CTI_NL_CMD_MAX: one past the last command
 */
enum cti_nl_cmd {
	CTI_NL_CMD_UNSPEC,
	CTI_NL_CMD_GET_CARD,
	CTI_NL_CMD_CARD_ADDED,
	CTI_NL_CMD_CARD_REMOVED,
	CTI_NL_CMD_LINK_STATE,
	__CTI_NL_CMD_MAX,
};

#define CTI_NL_CMD_MAX (__CTI_NL_CMD_MAX - 1)

/**
 * enum cti_nl_attr - attributes of the "cti" family
 * @CTI_NL_A_UNSPEC: unused
 * @CTI_NL_A_CARD_INDEX: u32, the N of /dev/ctiN
 * @CTI_NL_A_CARD_NAME: string, the card's name
 * @CTI_NL_A_CARD_DRIVER: string, the backend driver
 * @CTI_NL_A_CARD_VENDOR: string, the vendor
 * @CTI_NL_A_CARD_SERIAL: string, the serial number
 * @CTI_NL_A_CARD_CAPS: u64, CTI_CARD_CAP_* bits
 * @CTI_NL_A_CARD_LINES: u32, number of lines
 * @CTI_NL_A_CARD_PHONES: u32, number of phones
 * @CTI_NL_A_CARD_LINK_STATE: u32, an &enum cti_link_state
 * @CTI_NL_A_PAD: padding for 64-bit attributes
 * @CTI_NL_A_CARD_LOST: u64, records lost to ring overflow since the card
 *	appeared, over all the files ever opened on it: each record that
 *	did not fit into one file's ring counts once (the sum of what the
 *	files' OVERFLOW records and overflow words report). Modules older
 *	than this attribute do not send it: its absence means unknown.
 * @__CTI_NL_A_MAX: one past the last attribute
 */
enum cti_nl_attr {
	CTI_NL_A_UNSPEC,
	CTI_NL_A_CARD_INDEX,
	CTI_NL_A_CARD_NAME,
	CTI_NL_A_CARD_DRIVER,
	CTI_NL_A_CARD_VENDOR,
	CTI_NL_A_CARD_SERIAL,
	CTI_NL_A_CARD_CAPS,
	CTI_NL_A_CARD_LINES,
	CTI_NL_A_CARD_PHONES,
	CTI_NL_A_CARD_LINK_STATE,
	CTI_NL_A_PAD,
	CTI_NL_A_CARD_LOST,
	__CTI_NL_A_MAX,
};

#define CTI_NL_A_MAX (__CTI_NL_A_MAX - 1)

#endif /* _UAPI_LINUX_CTI_H */
