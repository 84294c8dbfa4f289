/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cti_provider.h - the provider ABI of ctid (the analogue of TAPI's TSPI)
 *
 * This is the only header a vendor needs to write a provider: a shared
 * object that ctid loads with dlopen() and that translates between the
 * uniform call model of <linux/cti.h> and one switch's own CTI protocol.
 */
#ifndef _CTI_PROVIDER_H
#define _CTI_PROVIDER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/cti.h>

#include "cti_userspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * DOC: Overview
 *
 * A provider is a shared object that exports exactly one symbol,
 * CTI_PROVIDER_SYMBOL ("cti_provider_ops"), a &struct cti_provider_ops
 * whose first two fields are the ABI version it was built for and its
 * size. Build it with -fPIC -shared -fvisibility=hidden and mark only that
 * symbol with CTI_PROVIDER_EXPORT. ctid refuses (and logs why) a provider
 * whose @abi_version differs from its own CTI_PROVIDER_ABI_VERSION or whose
 * @size is smaller than the first published &struct cti_provider_ops.
 *
 * The host (ctid) calls the provider's ops; the provider calls back into
 * the host through a &struct cti_host_api handed to @init together with an
 * opaque &struct cti_host, the handle of this provider instance. One shared
 * object may be loaded as several instances (two PBXs of the same make), so
 * a provider keeps all of its state behind the state pointer that @init
 * returns and has no writable globals.
 *
 * The model is the kernel ABI's: lines with addresses, calls with 32-bit
 * handles (never CTI_CALL_NONE), commands from &enum cti_cmd, call states
 * from &enum cti_call_state and event records in the format of &struct
 * cti_event. What the kernel ABI lacks (call-centre agents, phone display
 * and lamp reports, line and provider hot-plug) is added below with numbers
 * from 64 upward (CTI_UCMD_*, CTI_UEV_*): these are userspace-only and are
 * not, and will never be, part of the kernel ABI.
 *
 * Which records a command produces, in which order and on which party, is
 * fixed by the reference switch (kernel/sim/README.md, and for this ABI
 * providers/sim/README.md): a provider for a real switch maps the
 * switch's messages onto the same sequences, so that programs see one
 * behaviour whatever the switch. providers/textlink is a worked example
 * of a provider that talks to a switch through a host transport.
 */

/**
 * DOC: Rules
 *
 * A provider must follow these rules; ctid is single-threaded and trusts
 * them for its latency and its correctness.
 *
 * - Never block. Every op returns promptly; waiting is done by arming a
 *   timer or by returning and letting a transport callback arrive.
 * - Never open sockets, files or devices, never fork or run commands, never
 *   create threads, never install signal handlers. The host provides
 *   transports (TCP, unix, serial, kernel link cards), kernel call-control
 *   cards and timers, driven by its io_uring loop.
 * - Every op and every callback runs on the daemon's loop thread. Host API
 *   functions may be called only from inside an op (including the
 *   callbacks), never from another thread.
 * - Every request handle given to @submit completes exactly once, with
 *   cti_host_api.complete() or by a negative return from @submit. A request
 *   may complete inside @submit. Completing a handle twice, or one never
 *   given, is a provider bug: the host logs it and ignores the call.
 * - @shutdown completes every request the provider still holds (normally
 *   with -ECANCELED). The host completes any it left with -ECANCELED
 *   itself and logs the provider's bug.
 * - Strings the provider passes are NUL-terminated within their fixed-size
 *   fields (CTI_NAME_MAX, CTI_NUMBER_MAX ...); longer strings are a bug and
 *   the host rejects the record or line with -EINVAL.
 * - Events describe the result of commands; they are posted from a timer or
 *   transport callback, not from inside @submit (only the completion may be
 *   synchronous). Clients then see the REPLY first, then the state changes.
 * - What comes from a switch is untrusted: check every field before it
 *   becomes a record (a bad line, an unknown call, a string too long).
 * - Authorise at the point of effect. The host has checked the line a
 *   request names (&struct cti_provider_request.line). Before the provider
 *   acts on any other line of its switch (a number it resolves to one of
 *   its lines: a pickup target, a transfer, redirect or forward
 *   destination, a line named in DEV_SPECIFIC data), it asks
 *   cti_host_api.authorize() with the request's handle, that line and how
 *   the request reaches it (&enum cti_provider_reach), and refuses the
 *   request with the answer if it is not 0. A command whose reach cannot be
 *   bounded to lines (scripting the switch, changing switch-wide settings)
 *   is vetted as CTI_REACH_SWITCH: admins only. Where a command chooses
 *   among lines itself (group pickup with no number), the provider skips
 *   the lines that authorize() refuses, as if they did not exist. This rule
 *   (ABI version 2) is what stops a client that may use one line from
 *   acting on another through the request's data.
 * - A new call's first record is a CALL_INFO (origin, parties, reason),
 *   then its first CALL_STATE; a call ends with CALL_STATE IDLE, after
 *   which its handle may be reused. The host derives the snapshots that
 *   resynchronise its clients from these records, so every change of a
 *   call or line must be posted.
 *
 * Errors are negative errno values throughout, with the meanings of the
 * "Errors" section of <linux/cti.h>: -EINVAL a bad argument (a malformed
 * number), -ENOENT no such call, -EBUSY the line or call is in the wrong
 * state, -EOPNOTSUPP an operation the line lacks, -ENODEV the line is gone,
 * -EIO the link failed, -ETIMEDOUT the switch did not answer.
 */

/* The ABI version of this header; a provider built for another is refused. */
#define CTI_PROVIDER_ABI_VERSION	2

/* The one symbol a provider exports: a const struct cti_provider_ops. */
#define CTI_PROVIDER_SYMBOL		"cti_provider_ops"

/* Marks the ops table as the shared object's only exported symbol. */
#define CTI_PROVIDER_EXPORT		__attribute__((visibility("default")))

/* Where an installed ctid looks for providers, below $(PREFIX)/lib. */
#define CTI_PROVIDER_DIR		"cti/providers"

/* Bytes of one transport_send() and of one transport_data() callback. */
#define CTI_TRANSPORT_CHUNK_MAX		65536

/* Bytes of a provider's or instance's name, including the NUL. */
#define CTI_PROVIDER_NAME_MAX		CTI_NAME_MAX

/**
 * struct cti_uev_agent_state - CTI_UEV_AGENT_STATE: an agent's state
 * @hdr: header; @hdr.line is the line
 * @state: the new &enum cti_agent_state
 * @reason: the reason code given with the state (0: none)
 * @activity: the activity code (0: none)
 * @__reserved: zero
 * @groups: the agent's groups, comma-separated, NUL-terminated
 */
struct cti_uev_agent_state {
	struct cti_event hdr;
	uint32_t state;
	uint32_t reason;
	uint32_t activity;
	uint32_t __reserved;
	char groups[CTI_AGENT_GROUPS_MAX];
};

/**
 * struct cti_uev_phone_display - CTI_UEV_PHONE_DISPLAY: display text
 * @hdr: header; @hdr.line is the phone (its line's index)
 * @row: the row written
 * @col: the first column written
 * @text: the row's whole text after the write, NUL-terminated
 */
struct cti_uev_phone_display {
	struct cti_event hdr;
	uint32_t row;
	uint32_t col;
	char text[CTI_DISPLAY_MAX + 8];
};

/**
 * struct cti_uev_phone_lamp - CTI_UEV_PHONE_LAMP: a lamp changed
 * @hdr: header; @hdr.line is the phone
 * @lamp: the lamp
 * @mode: its &enum cti_lamp_mode
 */
struct cti_uev_phone_lamp {
	struct cti_event hdr;
	uint32_t lamp;
	uint32_t mode;
};

/**
 * struct cti_uev_phone_ring - CTI_UEV_PHONE_RING: the ringer changed
 * @hdr: header; @hdr.line is the phone
 * @pattern: the ring pattern, 0 when silent
 * @volume: the volume, 0-100
 */
struct cti_uev_phone_ring {
	struct cti_event hdr;
	uint32_t pattern;
	uint32_t volume;
};

/**
 * struct cti_uev_dev_specific - CTI_UEV_DEV_SPECIFIC: provider-specific
 * @hdr: header; @hdr.line is the line or CTI_LINE_NONE; @hdr.size covers
 *	@data rounded up to 8 bytes
 * @len: bytes of @data, at most CTI_DEV_SPECIFIC_MAX
 * @__reserved: zero
 * @data: the payload; its meaning is the provider's
 */
struct cti_uev_dev_specific {
	struct cti_event hdr;
	uint32_t len;
	uint32_t __reserved;
	uint8_t data[];
};

/**
 * struct cti_uev_line - CTI_UEV_LINE_CREATED / CTI_UEV_LINE_REMOVED
 * @hdr: header; @hdr.line is the line's stable id in ctid
 * @provider: the provider instance's name
 * @name: the line's name
 */
struct cti_uev_line {
	struct cti_event hdr;
	char provider[CTI_PROVIDER_NAME_MAX];
	char name[CTI_NAME_MAX];
};

/**
 * struct cti_uev_provider_state - CTI_UEV_PROVIDER_STATE
 * @hdr: header; @hdr.line is CTI_LINE_NONE
 * @up: 1 when the instance came up, 0 when it went down
 * @error: why it went down (a negative errno), else 0
 * @name: the provider instance's name
 */
struct cti_uev_provider_state {
	struct cti_event hdr;
	uint32_t up;
	int32_t error;
	char name[CTI_PROVIDER_NAME_MAX];
};

/**
 * enum cti_log_level - log levels of cti_host_api.log(), syslog's numbers
 * @CTI_LOG_ERR: an error; the provider or a line cannot work
 * @CTI_LOG_WARNING: something is wrong but work goes on
 * @CTI_LOG_NOTICE: a normal but significant event (link up)
 * @CTI_LOG_INFO: information
 * @CTI_LOG_DEBUG: debugging detail, shown with ctid -v
 */
enum cti_log_level {
	CTI_LOG_ERR = 3,
	CTI_LOG_WARNING = 4,
	CTI_LOG_NOTICE = 5,
	CTI_LOG_INFO = 6,
	CTI_LOG_DEBUG = 7,
};

/**
 * struct cti_provider_kv - one configuration key of the provider
 * @key: the key, NUL-terminated
 * @value: its value, NUL-terminated (may be empty)
 * @lineno: the line of the configuration file it came from, for messages
 *	("ctid.conf:12: lines: not a number"); 0 when it came from elsewhere
 */
struct cti_provider_kv {
	const char *key;
	const char *value;
	unsigned int lineno;
};

/**
 * struct cti_provider_config - the configuration of one provider instance
 * @name: the instance's name (the configuration section), unique in ctid
 * @file: the configuration file's name, for messages, or "(default)"
 * @count: entries in @kv
 * @kv: the section's keys in file order, without the keys the host
 *	consumes itself; the same key may appear more than once (a list),
 *	and the provider refuses a repeat of a key that is not one
 *
 * Everything is valid only during the op it is passed to; a provider
 * copies what it keeps.
 */
struct cti_provider_config {
	const char *name;
	const char *file;
	size_t count;
	const struct cti_provider_kv *kv;
};

/**
 * struct cti_provider_phone_desc - the phone of a line
 * @hookswitches: CTI_HOOKSWITCH_* devices; 0 when the line has no phone
 * @num_buttons: buttons (ids 0-11 keypad, then features)
 * @num_lamps: lamps
 * @display_rows: display rows, 0 if none
 * @display_cols: display columns, at most CTI_DISPLAY_MAX
 * @num_ring_patterns: ring patterns 1..n the ringer plays (0 stops it);
 *	0: any pattern number (a provider older than the field says 0)
 *
 * A line has at most one phone, addressed by the line's own index in phone
 * commands (CTI_CMD_SET_HOOK ...) and phone records.
 */
struct cti_provider_phone_desc {
	uint64_t hookswitches;
	uint32_t num_buttons;
	uint32_t num_lamps;
	uint32_t display_rows;
	uint32_t display_cols;
	uint32_t num_ring_patterns;
	uint32_t __reserved;
};

/**
 * struct cti_provider_line_desc - a line as a provider describes it
 * @size: sizeof(struct cti_provider_line_desc) as the provider knows it;
 *	the host zero-fills what a smaller (older) provider did not give
 * @max_calls: calls the line can have at once, at least 1
 * @ops: bit (1 << cmd) for each &enum cti_cmd the line accepts; the host
 *	refuses other commands with -EOPNOTSUPP without calling @submit
 * @uops: bit (1 << (cmd - CTI_UCMD_BASE)) for each &enum cti_ucmd
 * @status: the initial &enum cti_line_status
 * @num_addresses: valid entries in @addresses, 1..CTI_MAX_ADDRESSES
 * @name: the line's name, unique within the provider instance; the host
 *	keeps the line's stable id by (instance name, line name), so a line
 *	that comes back after a reload or a hot-plug gets the same id
 * @addresses: the line's directory numbers
 * @phone: the line's phone, all zero if it has none
 */
struct cti_provider_line_desc {
	uint32_t size;
	uint32_t max_calls;
	uint64_t ops;
	uint64_t uops;
	uint32_t status;
	uint32_t num_addresses;
	char name[CTI_NAME_MAX];
	char addresses[CTI_MAX_ADDRESSES][CTI_NUMBER_MAX];
	struct cti_provider_phone_desc phone;
};

/**
 * struct cti_provider_request - one command handed to a provider
 * @handle: the host's handle of the request, never 0; pass it to
 *	cti_host_api.complete() exactly once (it is not the client's id)
 * @cmd: an &enum cti_cmd or &enum cti_ucmd value that the line's @ops or
 *	@uops allow
 * @line: the provider-local line index (for phone commands, the phone of
 *	that line); the host has checked that the line exists
 * @call: the call, or CTI_CALL_NONE (not checked: calls are the provider's)
 * @call2: the second call of two-call commands, or CTI_CALL_NONE
 * @arg: the command's first argument (see &enum cti_cmd)
 * @arg2: the command's second argument
 * @data_len: bytes at @data, at most CTI_DATA_MAX (and the command's own
 *	bound: CTI_NUMBER_MAX - 1 for numbers, CTI_DISPLAY_MAX for text,
 *	CTI_DEV_SPECIFIC_MAX for DEV_SPECIFIC)
 * @uid: the user id of the client that sent the request, for logs only;
 *	the host has already authorised it
 * @data: the number, digits, text or payload; the host guarantees a NUL
 *	at @data[@data_len] but has not validated the characters (a provider
 *	checks numbers and answers -EINVAL)
 *
 * Valid only during @submit; the provider copies what it keeps.
 */
struct cti_provider_request {
	uint64_t handle;
	uint32_t cmd;
	uint32_t line;
	uint32_t call;
	uint32_t call2;
	uint32_t arg;
	uint32_t arg2;
	uint32_t data_len;
	uint32_t uid;
	const char *data;
};

/**
 * struct cti_provider_card_info - a kernel card, as the host reports it
 * @index: the N of /dev/ctiN
 * @num_lines: lines of the card, numbered from 0
 * @num_phones: phones of the card, numbered from 0
 * @link_state: an &enum cti_link_state
 * @caps: CTI_CARD_CAP_* bits
 * @lost: records the card's ring lost for this open (0 from @card_changed)
 * @name: the card's name, unique among cards
 * @driver: its backend driver ("cti_sim")
 */
struct cti_provider_card_info {
	uint32_t index;
	uint32_t num_lines;
	uint32_t num_phones;
	uint32_t link_state;
	uint64_t caps;
	uint64_t lost;
	char name[CTI_NAME_MAX];
	char driver[CTI_NAME_MAX];
};

/**
 * struct cti_provider_card_line - one line in a card snapshot
 * @line: the card's line
 * @status: an &enum cti_line_status
 * @num_calls: its calls
 * @forward_mode: an &enum cti_forward_mode
 * @dnd: 1 if do-not-disturb is on
 * @forward_to: where it forwards to
 */
struct cti_provider_card_line {
	uint32_t line;
	uint32_t status;
	uint32_t num_calls;
	uint32_t forward_mode;
	uint32_t dnd;
	char forward_to[CTI_NUMBER_MAX];
};

/**
 * struct cti_provider_card_call - one call in a card snapshot
 * @line: the card's line
 * @call: the call's handle
 * @state: an &enum cti_call_state
 * @reason: as in its last CALL_STATE record
 * @origin: an &enum cti_call_origin
 * @related: the related call, or CTI_CALL_NONE
 * @caller: the calling party's number
 * @called: the called party's number
 */
struct cti_provider_card_call {
	uint32_t line;
	uint32_t call;
	uint32_t state;
	uint32_t reason;
	uint32_t origin;
	uint32_t related;
	char caller[CTI_NUMBER_MAX];
	char called[CTI_NUMBER_MAX];
};

/**
 * struct cti_provider_card_snapshot - what cti_host_api.card_snapshot fills
 * @seq: out: the sequence number of the last record before the snapshot
 * @max_lines: in: entries at @lines
 * @max_calls: in: entries at @calls
 * @num_lines: out: lines filled (or needed, with -ENOSPC)
 * @num_calls: out: calls filled (or needed, with -ENOSPC)
 * @lines: the provider's array of @max_lines entries
 * @calls: the provider's array of @max_calls entries
 */
struct cti_provider_card_snapshot {
	uint64_t seq;
	uint32_t max_lines;
	uint32_t max_calls;
	uint32_t num_lines;
	uint32_t num_calls;
	struct cti_provider_card_line *lines;
	struct cti_provider_card_call *calls;
};

/* What cti_provider_ops.card_changed reports (the card layer's values). */
#define CTI_PROVIDER_CARD_ADDED		1
#define CTI_PROVIDER_CARD_REMOVED	2
#define CTI_PROVIDER_CARD_LINK_CHANGED	3

/* The opaque handle of one provider instance inside the host. */
struct cti_host;

/* cti_transport_tls.flags: skip the check of the server's name (the chain
 * is still checked). For tests and for servers known by address only. */
#define CTI_TLS_F_NO_VERIFY_NAME	(1u << 0)
#define CTI_TLS_F_VALID			CTI_TLS_F_NO_VERIFY_NAME

/**
 * struct cti_transport_tls - how cti_host_api.transport_open_tls() talks TLS
 * @size: sizeof(struct cti_transport_tls) as the provider knows it
 * @flags: CTI_TLS_F_*; others are refused with -EINVAL
 * @ca_file: PEM file of the CA(s) the server's certificate must chain to;
 *	NULL: the system's default trust store
 * @cert_file: PEM file of the client certificate (and its chain), or NULL
 *	to present none
 * @key_file: PEM file of its private key; needed with @cert_file
 * @server_name: the name the server's certificate must carry (and SNI),
 *	NULL: the @name given to transport_open_tls(). An IP address is
 *	matched against the certificate's IP SANs.
 *
 * Only the call's duration: the host copies or reads what it needs. The
 * protocol is TLS 1.3 only, with OpenSSL's default TLS 1.3 ciphers.
 */
struct cti_transport_tls {
	uint32_t size;
	uint32_t flags;
	const char *ca_file;
	const char *cert_file;
	const char *key_file;
	const char *server_name;
};

/**
 * struct cti_host_api - what the host does for a provider
 *
 * Passed to @init; valid until @shutdown returns. Every function takes the
 * instance's &struct cti_host first. Functions added later go at the end;
 * a provider checks @size (offsetof the function + sizeof the pointer)
 * before it calls one that a later version added.
 *
 * @size: sizeof(struct cti_host_api) of the host
 * @abi_version: the host's CTI_PROVIDER_ABI_VERSION
 *
 * @log: log a message at an &enum cti_log_level; the host prefixes the
 *	instance's name and adds the newline. Rate-limit what a remote party
 *	can trigger.
 * @now_ns: the host's CLOCK_MONOTONIC time in nanoseconds (the clock of
 *	timers and event timestamps)
 *
 * @line_add: announce a line with provider-local index @line (any value but
 *	CTI_LINE_NONE, unique among the instance's present lines). The host
 *	copies @desc, gives the line its stable id (written to @host_id if
 *	not NULL) and tells clients (CTI_UEV_LINE_CREATED). Returns 0, or
 *	-EEXIST (index or name taken), -EINVAL (bad @desc), -ENOMEM.
 *	Lines may be added during @init and at any later time (hot-plug).
 * @line_remove: remove line @line. The provider first completes the
 *	line's pending requests (-ENODEV) and posts IDLE for its calls; the
 *	host ends whatever is left, tells clients (CTI_UEV_LINE_REMOVED) and
 *	answers later requests for the line with -ENODEV. Returns 0 or
 *	-ENOENT.
 *
 * @post_event: report an event: a record in the format of <linux/cti.h>
 *	(&struct cti_event followed by its payload) or a CTI_UEV_* record
 *	that providers may post. The provider fills @ev->type, @ev->size (a
 *	multiple of 8, at most CTI_EVENT_MAX_SIZE) and @ev->line (its local
 *	index, or CTI_LINE_NONE for instance-wide records) and leaves seq
 *	zero; timestamp_ns is zero (the host stamps the record with the time
 *	it is posted) or, where the switch said when the event happened, that
 *	time on the @now_ns clock (CLOCK_MONOTONIC, as a kernel card's
 *	records carry it), which clients then see on their wall clock. The host copies the record.
 *	REPLY, OVERFLOW, PAD, CARD_REMOVED and the host-only CTI_UEV_* types
 *	are refused. Returns 0, or -EINVAL (bad type or size), -ENOENT (no
 *	such line).
 * @complete: finish request @handle with @error (0 or a negative errno)
 *	and, for commands that create a call (MAKE_CALL, SETUP_TRANSFER,
 *	SETUP_CONFERENCE, UNPARK, PICKUP), the new call's handle in @call,
 *	else CTI_CALL_NONE. May be called inside @submit.
 *
 * @timer_start: arm a one-shot timer that calls @timer with @cookie after
 *	@ms milliseconds (0: on the next loop iteration, never inside the
 *	caller). Timers due at the same time fire in the order they were
 *	armed. Returns a timer id > 0, or a negative errno (-ENOMEM).
 * @timer_cancel: cancel timer @timer_id; after it returns, its @timer
 *	callback will not run. Returns 0, or -ENOENT if it already fired or
 *	was cancelled.
 *
 * @transport_open_tcp: start connecting to @host (a name or address)
 *	@port over TCP. Returns a transport id > 0 at once, or a negative
 *	errno; the outcome arrives in @transport_connected. Name resolution
 *	is the host's job and never blocks the loop.
 * @transport_open_unix: likewise for the unix stream socket at @path.
 * @transport_open_serial: likewise for the serial tty @tty (a path under
 *	/dev) at @baud bits/s, 8N1, raw; @transport_connected follows even
 *	though opening a tty has nothing to wait for.
 * @transport_send: queue @len bytes (at most CTI_TRANSPORT_CHUNK_MAX) on
 *	transport @tid; the host copies them and sends them in order. Returns
 *	0, -ENOTCONN (not connected yet or closed), -ENOBUFS (the host's
 *	bounded outgoing buffer for the transport is full: slow link), or
 *	-EINVAL.
 * @transport_close: close transport @tid; no callback for it follows,
 *	queued data may be lost. Returns 0 or -ENOENT.
 *
 * @authorize: may the client that sent request @handle (still being
 *	handled: inside @submit or before its completion) affect the
 *	instance's line @line (provider-local index, or CTI_LINE_NONE with
 *	CTI_REACH_SWITCH) as @reach (&enum cti_provider_reach) says? Returns
 *	0 (go ahead), -ENOENT (no such line, or one the client may not see:
 *	answer the request exactly as for a number that does not exist),
 *	-EACCES (the client sees the line but lacks that right), or -EINVAL
 *	(an unknown or completed @handle, a bad @reach: a provider bug). A
 *	provider refuses the request with the value returned. Added in ABI
 *	version 2: every provider calls it (see "Rules").
 *
 * @transport_open_card: open the kernel link card @card (a path
 *	"/dev/ctiN" or the card's name, see ctictl cards) as a transport: a
 *	card with CTI_CARD_CAP_LINK that carries the switch's own protocol
 *	as frames. The host opens the card and drains its ring from its
 *	loop; @transport_connected follows (0, or the errno of the open);
 *	each frame from the link arrives as one @transport_data call, each
 *	transport_send() (at most CTI_LINK_FRAME_MAX bytes) becomes one
 *	frame on the link, and the card's removal (or a ring the host cannot
 *	read) is @transport_closed with -ENODEV (-EBADMSG). Frames the ring
 *	lost are logged and reported as @transport_closed with -EIO: a
 *	byte-stream protocol cannot go on over a hole. Returns a transport
 *	id > 0, or -EINVAL (a name that is neither), -ENOENT (no such card),
 *	-ENOTTY (not a CTI card), -EPROTOTYPE (not a link card), -ENOMEM.
 *	Added after ABI version 2 (check with CTI_HOST_API_HAS).
 *
 * Call-control cards (CTI_CARD_CAP_CALL_CONTROL) are not byte streams:
 * the provider (providers/kcard) opens a card with @card_open and
 * receives its records, in the format of <linux/cti.h>, in batches through
 * the @card_records op; the host owns the file and polls it from its loop.
 * Each function below was added after ABI version 2 (CTI_HOST_API_HAS).
 *
 * @card_open: open the call-control card @card (a path "/dev/ctiN" or the
 *	card's name). Returns a card id > 0 at once; records follow through
 *	@card_records, never inside the caller. Returns -EINVAL, -ENOENT,
 *	-ENOTTY, -EPROTOTYPE (not a call-control card), -ENODEV (the card is
 *	going away), -ENOMEM, -EMFILE.
 * @card_get_info: describe card @cid as it is now into @info. Returns 0,
 *	-ENOENT (no such card id), -ENODEV (the card is gone).
 * @card_get_line: describe line @line of card @cid as a line descriptor
 *	the provider can hand to @line_add (name, numbers, commands, calls,
 *	the phone attached to the line); @phone receives that phone's index
 *	on the card, or CTI_LINE_NONE. Returns 0, -ENOENT (no such card or
 *	line), -ENODEV.
 * @card_submit: hand card @cid the command @req: @req->handle is the
 *	request id echoed by the card's REPLY record (the provider's choice,
 *	any value), @req->line the card's line (for phone commands its
 *	phone), @req->uid is ignored. Returns 0: exactly one CTI_EV_REPLY
 *	record with that id follows through @card_records, unless the card
 *	goes away first (then @card_closed says so, and no REPLY comes).
 *	Otherwise a negative errno of the card layer (cti_card.h:
 *	-EINVAL, -E2BIG, -EOPNOTSUPP, -ENOENT, -ENODEV ...) and no REPLY.
 * @card_snapshot: the state of every line and call of card @cid at one
 *	instant, into @snap's caller-provided arrays; what the provider
 *	rebuilds its mirror from when it starts and after an OVERFLOW
 *	record. Records numbered above @snap->seq describe later changes.
 *	Returns 0, -ENOSPC (an array is too small: @snap->num_lines and
 *	@snap->num_calls say how many entries are needed), -ENOENT,
 *	-ENODEV, -EOPNOTSUPP, -ENOMEM.
 * @card_close: close card @cid; no callback for it follows. Returns 0 or
 *	-ENOENT.
 * @card_watch: @on 1: report the cards that exist now and every card that
 *	arrives, leaves or changes its link state from now on through the
 *	@card_changed op (the kernel's netlink notifications), never inside
 *	the caller; @on 0: stop. Returns 0, -ENOENT (cti.ko is not loaded:
 *	the provider may try again later), -ENOMEM, or a netlink errno.
 * @resync: the provider lost track of events (its card's ring overflowed)
 *	and has re-posted the state it now knows to be true: every client
 *	that may see one of the instance's lines gets a GAP, then a RESYNC
 *	and a snapshot of the host's mirror, as a slow client does. Returns
 *	0.
 *
 * @transport_open_tls: as @transport_open_tcp, to @name (a numeric address or
 *	"localhost") @port with TLS 1.3 on top, as @tls (&struct
 *	cti_transport_tls) says. The host reads the files it names at once
 *	(never the provider: it opens no files) and runs TLS on memory
 *	buffers, so the loop never blocks. @transport_connected follows the
 *	handshake, which includes the server's certificate check; errors:
 *	-EKEYEXPIRED (the server's certificate is expired or not yet valid),
 *	-EKEYREJECTED (it does not chain to the CA or does not carry the
 *	expected name), -EACCES (the server refused ours), -EPROTO (any other
 *	TLS failure). At open: -EINVAL (a bad @tls), -ENOENT or -EACCES (a file
 *	that cannot be read), -EBADMSG (a file that holds no usable
 *	certificate or key, or a key that does not match the certificate).
 *	@transport_send and @transport_data carry the plaintext. Added after
 *	@resync: check CTI_HOST_API_HAS() first.
 */
struct cti_host_api {
	uint32_t size;
	uint32_t abi_version;

	void (*log)(struct cti_host *host, int level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
	uint64_t (*now_ns)(struct cti_host *host);

	int (*line_add)(struct cti_host *host, uint32_t line,
			const struct cti_provider_line_desc *desc,
			uint32_t *host_id);
	int (*line_remove)(struct cti_host *host, uint32_t line);

	int (*post_event)(struct cti_host *host, const struct cti_event *ev);
	void (*complete)(struct cti_host *host, uint64_t handle, int error,
			 uint32_t call);

	int64_t (*timer_start)(struct cti_host *host, uint64_t ms,
			       uint64_t cookie);
	int (*timer_cancel)(struct cti_host *host, int64_t timer_id);

	int64_t (*transport_open_tcp)(struct cti_host *host, const char *name,
				      uint16_t port, uint64_t cookie);
	int64_t (*transport_open_unix)(struct cti_host *host, const char *path,
				       uint64_t cookie);
	int64_t (*transport_open_serial)(struct cti_host *host, const char *tty,
					 uint32_t baud, uint64_t cookie);
	int (*transport_send)(struct cti_host *host, int64_t tid,
			      const void *buf, size_t len);
	int (*transport_close)(struct cti_host *host, int64_t tid);

	int (*authorize)(struct cti_host *host, uint64_t handle, uint32_t line,
			 uint32_t reach);

	int64_t (*transport_open_card)(struct cti_host *host, const char *card,
				       uint64_t cookie);

	int64_t (*card_open)(struct cti_host *host, const char *card,
			     uint64_t cookie);
	int (*card_get_info)(struct cti_host *host, int64_t cid,
			     struct cti_provider_card_info *info);
	int (*card_get_line)(struct cti_host *host, int64_t cid, uint32_t line,
			     struct cti_provider_line_desc *desc,
			     uint32_t *phone);
	int (*card_submit)(struct cti_host *host, int64_t cid,
			   const struct cti_provider_request *req);
	int (*card_snapshot)(struct cti_host *host, int64_t cid,
			     struct cti_provider_card_snapshot *snap);
	int (*card_close)(struct cti_host *host, int64_t cid);
	int (*card_watch)(struct cti_host *host, int on);
	int (*resync)(struct cti_host *host);

	int64_t (*transport_open_tls)(struct cti_host *host, const char *name,
				      uint16_t port,
				      const struct cti_transport_tls *tls,
				      uint64_t cookie);
};

/**
 * enum cti_provider_reach - how a request affects a line other than its own
 *
 * Passed to cti_host_api.authorize(); the host decides with the principal
 * of the client that sent the request (its user and groups, see the
 * [user]/[group] sections of ctid.conf).
 *
 * @CTI_REACH_CALL: the line is offered a call (a dialled, transferred,
 *	redirected or forwarded-to number of this switch). Any client that
 *	may make calls may ring any number, as on a phone; the host refuses
 *	only a line that is not present.
 * @CTI_REACH_PICKUP: a call ringing on the line is taken (directed or
 *	group pickup). Needs the right to own the line or membership of its
 *	pickup group (the "pickup" key of ctid.conf).
 * @CTI_REACH_CONTROL: the line's own state or settings change (plug or
 *	unplug it, set its forwarding or do-not-disturb, drop its calls).
 *	Needs the right to own the line.
 * @CTI_REACH_SWITCH: the effect reaches beyond lines (scripting the
 *	switch's far end, switch-wide settings); @line is CTI_LINE_NONE.
 *	Admins only.
 * @CTI_REACH_MAX: one past the last value
 */
enum cti_provider_reach {
	CTI_REACH_CALL = 0,
	CTI_REACH_PICKUP = 1,
	CTI_REACH_CONTROL = 2,
	CTI_REACH_SWITCH = 3,
	CTI_REACH_MAX,
};

/*
 * CTI_HOST_API_HAS(api, fn) - whether the host's table has function @fn:
 * test it before calling a function that a later ABI revision added.
 */
#define CTI_HOST_API_HAS(api, fn) \
	((api)->size >= offsetof(struct cti_host_api, fn) + sizeof((api)->fn))

/**
 * struct cti_provider_ops - what a provider does for the host
 *
 * A provider exports one of these as CTI_PROVIDER_SYMBOL:
 *
 *	CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
 *		.abi_version = CTI_PROVIDER_ABI_VERSION,
 *		.size = sizeof(struct cti_provider_ops),
 *		.name = "acme",
 *		...
 *	};
 *
 * @abi_version: CTI_PROVIDER_ABI_VERSION as the provider was built
 * @size: sizeof(struct cti_provider_ops) as the provider was built; ops
 *	added later go at the end and are treated as NULL when @size does
 *	not cover them
 * @name: the provider's name ("sim"), at most CTI_PROVIDER_NAME_MAX - 1
 *	bytes
 * @description: one line for people ("built-in virtual PBX")
 *
 * @check_config: optional. Validate @cfg as @init would, without creating
 *	anything or arming timers, logging each problem with its line number
 *	through @api->log; used by ctid --check-config. Returns 0 or -EINVAL.
 * @init: mandatory. Create an instance from @cfg: parse the keys (refuse
 *	unknown ones with -EINVAL and a logged message naming the line), add
 *	the lines that exist now with @api->line_add, start transports and
 *	timers. On success store the instance's state in @*state and return
 *	0; on failure undo everything (lines added are removed by the host)
 *	and return a negative errno. @api and @host stay valid until
 *	@shutdown returns.
 * @shutdown: mandatory. Destroy the instance (unload, reload, daemon
 *	exit): complete every request still held (-ECANCELED), cancel timers,
 *	close transports, free everything. The provider need not remove its
 *	lines or post IDLE records: the host removes its lines afterwards.
 * @submit: mandatory. Start request @req (see &struct
 *	cti_provider_request). Return 0 when the request is under way or
 *	already completed: then it completes exactly once with @complete.
 *	Return a negative errno to refuse it: the host completes it with that
 *	error and the provider must not. Wrong state -EBUSY, unknown call
 *	-ENOENT, bad number or argument -EINVAL.
 * @timer: optional (needed if the provider arms timers). Timer @timer_id
 *	armed with @cookie has expired; it is gone now.
 * @transport_connected: optional (needed if the provider opens
 *	transports). Transport @tid opened with @cookie is connected (@error
 *	0) or could not be (@error a negative errno; the transport is gone).
 * @transport_data: optional. @len bytes (at most CTI_TRANSPORT_CHUNK_MAX)
 *	arrived on transport @tid; valid only during the call. Byte streams
 *	have no frame boundaries: the provider reassembles.
 * @transport_closed: optional. Transport @tid was closed by the peer
 *	(@error 0) or failed (@error a negative errno); it is gone. Not called
 *	after the provider's own transport_close().
 * @call_orphaned: optional, added after the first published table (check
 *	@size). Call @call on the instance's line @line has lost its last
 *	owner: the session that made, answered or took it ended (its client
 *	exited or closed the line) and no other session owns the line; or
 *	it became DISCONNECTED on a line no session owns, where no program
 *	would ever drop it. As TAPI does when the last owner of a call goes
 *	away, the provider drops the call (the records of CTI_CMD_DROP
 *	follow, posted as for a command), unless its configuration keeps
 *	such calls; it may also ignore the call (unknown or already gone).
 *	No request is involved: nothing to complete. Called on the loop
 *	thread, never inside another op.
 * @card_records: optional, added after ABI version 2 (check @size); needed
 *	by a provider that opens call-control cards. @len bytes of records
 *	drained in one batch from card @cid (opened with @cookie): each a
 *	&struct cti_event and its payload as <linux/cti.h> defines them,
 *	back to back, each hdr.size bytes (a multiple of 8), lines and calls
 *	in the card's own numbering. A CTI_EV_OVERFLOW record marks the
 *	place where records were lost: take a snapshot (card_snapshot) and
 *	resynchronise. CARD_REMOVED never comes here: @card_closed does.
 *	Valid only during the call.
 * @card_closed: optional (needed with @card_records). Card @cid is gone:
 *	removed (@error -ENODEV) or its ring could not be read (-EBADMSG).
 *	REPLY records for requests still pending will never come: complete
 *	them (-ENODEV). Not called after the provider's own card_close().
 * @card_changed: optional. A card arrived, left or changed link state
 *	(@change a CTI_PROVIDER_CARD_* value) while card_watch() is on; at
 *	the start of a watch every present card comes as ADDED.
 */
struct cti_provider_ops {
	uint32_t abi_version;
	uint32_t size;
	const char *name;
	const char *description;

	int (*check_config)(const struct cti_host_api *api,
			    struct cti_host *host,
			    const struct cti_provider_config *cfg);
	int (*init)(const struct cti_host_api *api, struct cti_host *host,
		    const struct cti_provider_config *cfg, void **state);
	void (*shutdown)(void *state);
	int (*submit)(void *state, const struct cti_provider_request *req);
	void (*timer)(void *state, int64_t timer_id, uint64_t cookie);
	void (*transport_connected)(void *state, int64_t tid, uint64_t cookie,
				    int error);
	void (*transport_data)(void *state, int64_t tid, uint64_t cookie,
			       const void *buf, size_t len);
	void (*transport_closed)(void *state, int64_t tid, uint64_t cookie,
				 int error);
	void (*call_orphaned)(void *state, uint32_t line, uint32_t call);
	void (*card_records)(void *state, int64_t cid, uint64_t cookie,
			     const void *recs, size_t len);
	void (*card_closed)(void *state, int64_t cid, uint64_t cookie,
			    int error);
	void (*card_changed)(void *state, uint32_t change,
			     const struct cti_provider_card_info *info);
};

/* The size of the first published struct cti_provider_ops: the minimum. */
#define CTI_PROVIDER_OPS_SIZE_V1 \
	(offsetof(struct cti_provider_ops, transport_closed) + \
	 sizeof(void (*)(void)))

#ifdef __cplusplus
}
#endif

#endif /* _CTI_PROVIDER_H */
