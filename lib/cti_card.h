/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cti_card.h - libcti's card layer: CTI cards (/dev/ctiN) without ctid
 *
 * The session API (cti.h) reaches lines through ctid; this layer is the one
 * under it, for ctid's own card host, administration tools and tests: open
 * a card, read what it is, submit commands, and drain its event ring, the
 * way libgpiod wraps the GPIO character device.
 *
 *	struct cti_card *card;
 *	struct cti_card_event_buffer *buf;
 *	struct cti_card_request req = { .size = sizeof(req) };
 *
 *	cti_card_open_index(0, 0, &card);
 *	cti_card_event_buffer_new(64, &buf);
 *	req.cmd = CTI_CMD_MAKE_CALL; req.id = 1; req.line = 0;
 *	req.data = "101"; req.data_len = 3;
 *	cti_card_submit(card, &req);
 *	... poll(cti_card_get_fd(card)), then
 *	n = cti_card_read_events(card, buf, 64);
 *	for (i = 0; i < n; i++)
 *		ev = cti_card_event_buffer_get_event(buf, i); ...
 *
 * Cards come and go: cti_card_list_new() enumerates them and a
 * struct cti_card_monitor reports them arriving and leaving, both through
 * the kernel's generic netlink family "cti".
 */
#ifndef CTI_CARD_H
#define CTI_CARD_H

#include <stddef.h>
#include <stdint.h>

#include "cti.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * DOC: Conventions of the card layer
 *
 * Errors: the rule of cti.h. A function that returns int returns 0 (or a
 * documented non-negative count) on success and a negative errno on
 * failure, never -1 with errno; objects are created through an out
 * pointer. Accessors return 0, "" or NULL for what does not apply. The
 * kernel's errno values pass through unchanged, with their meaning from
 * its table: -ENOTTY not a CTI card, -EINVAL a wrong field, -E2BIG an
 * unknown non-zero tail of an extensible struct, -EOPNOTSUPP a value this
 * card does not support, -ENOENT no such line, phone or call, -EBADF a
 * card opened with CTI_CARD_OPEN_WATCH (or a bad file descriptor), and
 * -ENODEV the card is gone. The library adds -EBADMSG: the ring holds a
 * record that cannot be (size 0, not a multiple of 8, past the tail or
 * past the end of the ring); the card's ring is not read again after it.
 *
 * Unplug: when a card goes away, the last event of its ring is
 * CTI_EV_CARD_REMOVED. Once cti_card_read_events() has returned it, every
 * function that takes the card fails with -ENODEV (cti_card_close() and the
 * getters of the fd and path excepted); before it, the kernel's own -ENODEV
 * comes through. An event is never dropped in silence: records the kernel
 * lost because the ring was full surface as one CTI_EV_OVERFLOW event
 * carrying their count (cti_card_event_get_lost()), and
 * cti_card_snapshot() then recovers the state they described.
 *
 * Thread safety: a struct cti_card, a struct cti_card_event_buffer and a
 * struct cti_card_monitor each belong to one thread at a time; libcti
 * takes no locks. Different cards (even two opens of the same /dev/ctiN)
 * may be used in parallel. Descriptions, line and phone infos, snapshots
 * and lists are values: once made they are never changed by the library,
 * so any number of threads may read one, and any thread may free it.
 */

/**
 * DOC: Numbers shared with the kernel ABI (card layer)
 *
 * The same names and values as the kernel's <linux/cti.h>
 * (lib/abi_check.c proves them equal); they step aside when that header
 * was included first.
 */
#ifndef _UAPI_LINUX_CTI_H

/* Features of the kernel's ABI (cti_card_desc_get_features()). */
#define CTI_FEAT_RING		(1ULL << 0)	/* mmap'd event ring */
#define CTI_FEAT_READ		(1ULL << 1)	/* read() of whole records */
#define CTI_FEAT_SNAPSHOT	(1ULL << 2)	/* snapshots */
#define CTI_FEAT_FILTER		(1ULL << 3)	/* event filters */

/* What kind of card it is (cti_card_desc_get_caps()). */
#define CTI_CARD_CAP_CALL_CONTROL (1ULL << 0)	/* speaks the call model */
#define CTI_CARD_CAP_LINK	(1ULL << 1)	/* carries raw link frames */
#define CTI_CARD_CAP_PHONES	(1ULL << 2)	/* has phone devices */

/**
 * enum cti_event_type - what a card event reports
 * @CTI_EV_PAD: never returned by libcti (the ring's filler)
 * @CTI_EV_REPLY: a request completed: cti_card_event_get_request_id(),
 *	_get_error(), _get_call() (the call it created), _get_cmd()
 * @CTI_EV_CALL_STATE: a call changed state: _get_call(), _get_state() (an
 *	&enum cti_call_state), _get_reason(), _get_related_call()
 * @CTI_EV_CALL_INFO: a call's parties: _get_call(), _get_origin(),
 *	_get_reason(), _get_changed(), _get_related_call(), _get_caller(),
 *	_get_caller_name(), _get_called(), _get_called_name()
 * @CTI_EV_DIGITS: DTMF digits arrived: _get_call(), _get_text()
 * @CTI_EV_LINE_STATUS: a line's status: _get_state() (an &enum
 *	cti_line_status), _get_num_calls(), _get_forward_mode(), _get_dnd(),
 *	_get_text() (where it forwards to)
 * @CTI_EV_PHONE_HOOK: a hook switch moved: _get_arg() (the
 *	CTI_HOOKSWITCH_* device), _get_state() (an &enum cti_hook_mode)
 * @CTI_EV_PHONE_BUTTON: a button moved: _get_arg() (the button),
 *	_get_state() (1 pressed, 0 released)
 * @CTI_EV_LINK_FRAME: a frame from the link: _get_data()
 * @CTI_EV_LINK_STATE: the link went up or down: _get_state() (an &enum
 *	cti_link_state)
 * @CTI_EV_OVERFLOW: the gap: events were lost because the ring was full;
 *	_get_lost() says how many
 * @CTI_EV_CARD_REMOVED: the card is gone; nothing follows
 * @CTI_EV_MAX: one past the last type
 *
 * Every event has a line (_get_line(), CTI_LINE_NONE for the card; the
 * phone for phone events), a sequence number and a CLOCK_MONOTONIC
 * timestamp. A kernel newer than the library may report types past
 * CTI_EV_MAX: they come through with only those three and their type.
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

#endif /* _UAPI_LINUX_CTI_H */

/* Every event type, for cti_card_set_filter(). */
#define CTI_CARD_EV_ALL		((1ULL << CTI_EV_MAX) - 1)

struct cti_card;
struct cti_card_desc;
struct cti_card_line_info;
struct cti_card_phone_info;
struct cti_card_event;
struct cti_card_event_buffer;
struct cti_card_snapshot;
struct cti_card_list;
struct cti_card_monitor;

/* ---- Opening a card -------------------------------------------------- */

/* Open flags (cti_card_open()). */
#define CTI_CARD_OPEN_WATCH	(1u << 0) /* read-only: watch, never submit;
					   * events through read() */
#define CTI_CARD_OPEN_NO_MMAP	(1u << 1) /* read() the records, no mmap */

/**
 * cti_card_open() - open a CTI card by the path of its device
 * @path: the character device, e.g. "/dev/cti0"
 * @flags: CTI_CARD_OPEN_* flags, 0 for the usual: read-write, ring mapped
 * @cardp: out: the card
 *
 * Opens the device non-blocking, checks that it is a CTI card and maps
 * its event ring; events are read with read() instead, the fallback the
 * kernel offers, with CTI_CARD_OPEN_NO_MMAP, with CTI_CARD_OPEN_WATCH (the
 * reader writes the ring's head, which a read-only file cannot map) or
 * when the kernel lacks CTI_FEAT_RING. Both ways give the same events. A
 * card opened with CTI_CARD_OPEN_WATCH receives every event but
 * cti_card_submit() fails with -EBADF (the kernel's rule for a read-only
 * file).
 *
 * Return: 0; -EINVAL (NULL argument, unknown flag), -ENOENT (no such
 * file), -EACCES, -ENOTTY (not a CTI card), -ENODEV (the card is going
 * away), -ENOMEM, or another errno of open(2) or mmap(2).
 */
int cti_card_open(const char *path, unsigned int flags,
		  struct cti_card **cardp);

/**
 * cti_card_open_index() - open /dev/cti@index
 * @index: the N of /dev/ctiN, as cti_card_desc_get_index() reports it
 * @flags: as for cti_card_open()
 * @cardp: out: the card
 *
 * Return: as cti_card_open().
 */
int cti_card_open_index(unsigned int index, unsigned int flags,
			struct cti_card **cardp);

/**
 * cti_card_close() - unmap the ring, close the device and free the card
 * @card: the card, or NULL
 *
 * Requests still pending complete in the kernel; their REPLY is dropped.
 */
void cti_card_close(struct cti_card *card);

/**
 * cti_card_get_fd() - the file descriptor for the program's poll loop
 * @card: the card
 *
 * It polls readable (POLLIN) when events wait, and POLLHUP | POLLERR
 * once the card is gone; then call cti_card_read_events(). Never read it
 * or change its flags: the library keeps its own account of the ring.
 *
 * Return: the descriptor (it belongs to the card).
 */
int cti_card_get_fd(struct cti_card *card);

/**
 * cti_card_get_path() - the path the card was opened by
 * @card: the card
 *
 * Return: the path; it lives as long as the card.
 */
const char *cti_card_get_path(struct cti_card *card);

/**
 * cti_card_uses_ring() - whether events come from the mapped ring
 * @card: the card
 *
 * Return: 1 if the ring is mapped, 0 if events are read with read().
 */
int cti_card_uses_ring(struct cti_card *card);

/**
 * cti_card_get_lost() - records this open card lost to ring overflow
 * @card: the card
 *
 * The records the kernel could not put into this file's ring since the
 * open. With the ring mapped it is the kernel's own count, raised as a
 * record is lost (so it may run ahead of the gap events returned so
 * far); with read() it is the sum of the gap events returned so far.
 * Every lost record also surfaces as a gap event (CTI_EV_OVERFLOW).
 *
 * Return: the count; it only grows.
 */
uint64_t cti_card_get_lost(struct cti_card *card);

/* ---- What a card is -------------------------------------------------- */

/**
 * cti_card_get_desc() - describe the card as it is now
 * @card: the card
 * @descp: out: the description; free it with cti_card_desc_free()
 *
 * Return: 0, -ENODEV, -ENOMEM, or the kernel's errno.
 */
int cti_card_get_desc(struct cti_card *card, struct cti_card_desc **descp);

/**
 * cti_card_desc_free() - free a card description
 * @desc: the description, or NULL
 */
void cti_card_desc_free(struct cti_card_desc *desc);

/**
 * cti_card_desc_get_index() - the N of the card's /dev/ctiN
 * @desc: the description
 *
 * Return: the index.
 */
uint32_t cti_card_desc_get_index(const struct cti_card_desc *desc);

/**
 * cti_card_desc_get_name() - the card's name, unique among cards
 * @desc: the description
 *
 * Return: the name; it lives as long as @desc.
 */
const char *cti_card_desc_get_name(const struct cti_card_desc *desc);

/**
 * cti_card_desc_get_driver() - the name of the card's backend driver
 * @desc: the description
 *
 * Return: the driver's name ("cti_sim", ...); it lives as long as @desc.
 */
const char *cti_card_desc_get_driver(const struct cti_card_desc *desc);

/**
 * cti_card_desc_get_vendor() - the card's vendor
 * @desc: the description
 *
 * Return: the vendor, "" if the driver names none; it lives as long as @desc.
 */
const char *cti_card_desc_get_vendor(const struct cti_card_desc *desc);

/**
 * cti_card_desc_get_serial() - the card's serial number
 * @desc: the description
 *
 * Return: the serial number, "" if the card has none; it lives as long as
 * @desc.
 */
const char *cti_card_desc_get_serial(const struct cti_card_desc *desc);

/**
 * cti_card_desc_get_features() - the features of the kernel's card ABI
 * @desc: the description
 *
 * Return: CTI_FEAT_* bits; 0 in a description that came through netlink
 * (cti_card_list_new(), cti_card_monitor_read()), which does not carry them.
 */
uint64_t cti_card_desc_get_features(const struct cti_card_desc *desc);

/**
 * cti_card_desc_get_caps() - what kind of card it is
 * @desc: the description
 *
 * Return: CTI_CARD_CAP_* bits.
 */
uint64_t cti_card_desc_get_caps(const struct cti_card_desc *desc);

/**
 * cti_card_desc_get_num_lines() - how many lines the card has
 * @desc: the description
 *
 * Return: the count; lines are numbered from 0.
 */
uint32_t cti_card_desc_get_num_lines(const struct cti_card_desc *desc);

/**
 * cti_card_desc_get_num_phones() - how many phones the card has
 * @desc: the description
 *
 * Return: the count; phones are numbered from 0.
 */
uint32_t cti_card_desc_get_num_phones(const struct cti_card_desc *desc);

/**
 * cti_card_desc_get_link_state() - the state of the card's link to its switch
 * @desc: the description
 *
 * Return: an &enum cti_link_state, as it was when the description was made.
 */
uint32_t cti_card_desc_get_link_state(const struct cti_card_desc *desc);

/**
 * cti_card_desc_get_lost() - records the card lost to ring overflow
 * @desc: the description
 * @lostp: out: the count, when known
 *
 * The records that did not fit into a reader's ring, over every file
 * opened on the card since it appeared (a record lost by two readers
 * counts twice), as the kernel counted when the description was made.
 * Only descriptions that came through netlink (cti_card_list_new(),
 * cti_card_monitor_read()) from a kernel that reports it carry the count;
 * for one open file see cti_card_get_lost().
 *
 * Return: 0 with *@lostp set; -ENODATA when the description does not
 * carry the count (made by cti_card_get_desc(), or an older cti.ko).
 */
int cti_card_desc_get_lost(const struct cti_card_desc *desc,
			   uint64_t *lostp);
/**
 * cti_card_get_line_info() - describe one line of the card
 * @card: the card
 * @line: the line, 0 .. cti_card_desc_get_num_lines() - 1
 * @infop: out: the info; free it with cti_card_line_info_free()
 *
 * Return: 0, -ENOENT (no such line), -ENODEV, -ENOMEM, or the kernel's
 * errno.
 */
int cti_card_get_line_info(struct cti_card *card, uint32_t line,
			   struct cti_card_line_info **infop);

/**
 * cti_card_line_info_free() - free a line info
 * @info: the info, or NULL
 */
void cti_card_line_info_free(struct cti_card_line_info *info);

/**
 * cti_card_line_info_get_line() - the number of the line described
 * @info: the line info
 *
 * Return: the line number.
 */
uint32_t cti_card_line_info_get_line(const struct cti_card_line_info *info);

/**
 * cti_card_line_info_get_name() - the line's name
 * @info: the line info
 *
 * Return: the name; it lives as long as @info.
 */
const char *cti_card_line_info_get_name(const struct cti_card_line_info *info);

/**
 * cti_card_line_info_get_ops() - the commands the line supports
 * @info: the line info
 *
 * Return: bit (1 << cmd) for every &enum cti_cmd it supports.
 */
uint64_t cti_card_line_info_get_ops(const struct cti_card_line_info *info);

/**
 * cti_card_line_info_get_status() - whether the line can carry calls
 * @info: the line info
 *
 * Return: an &enum cti_line_status.
 */
uint32_t cti_card_line_info_get_status(const struct cti_card_line_info *info);

/**
 * cti_card_line_info_get_num_addresses() - how many directory numbers the line
 * has
 * @info: the line info
 *
 * Return: the count, at most CTI_MAX_ADDRESSES.
 */
size_t cti_card_line_info_get_num_addresses(
	const struct cti_card_line_info *info);

/**
 * cti_card_line_info_get_address() - one directory number of the line
 * @info: the line info
 * @index: 0 .. cti_card_line_info_get_num_addresses() - 1
 *
 * Return: the number; NULL past the line's numbers. It lives as long as @info.
 */
const char *cti_card_line_info_get_address(
	const struct cti_card_line_info *info, size_t index);

/**
 * cti_card_line_info_get_num_calls() - how many calls the line had when
 * described
 * @info: the line info
 *
 * Return: the count.
 */
uint32_t cti_card_line_info_get_num_calls(
	const struct cti_card_line_info *info);

/**
 * cti_card_line_info_get_max_calls() - how many calls the line can have at once
 * @info: the line info
 *
 * Return: the count.
 */
uint32_t cti_card_line_info_get_max_calls(
	const struct cti_card_line_info *info);
/**
 * cti_card_get_phone_info() - describe one phone of the card
 * @card: the card
 * @phone: the phone, 0 .. cti_card_desc_get_num_phones() - 1
 * @infop: out: the info; free it with cti_card_phone_info_free()
 *
 * Return: 0, -ENOENT (no such phone), -ENODEV, -ENOMEM, or the kernel's
 * errno.
 */
int cti_card_get_phone_info(struct cti_card *card, uint32_t phone,
			    struct cti_card_phone_info **infop);

/**
 * cti_card_phone_info_free() - free a phone info
 * @info: the info, or NULL
 */
void cti_card_phone_info_free(struct cti_card_phone_info *info);

/**
 * cti_card_phone_info_get_phone() - the number of the phone described
 * @info: the phone info
 *
 * Return: the phone number.
 */
uint32_t cti_card_phone_info_get_phone(const struct cti_card_phone_info *info);

/**
 * cti_card_phone_info_get_name() - the phone's name
 * @info: the phone info
 *
 * Return: the name; it lives as long as @info.
 */
const char *cti_card_phone_info_get_name(
	const struct cti_card_phone_info *info);

/**
 * cti_card_phone_info_get_hookswitches() - the phone's hook switch devices
 * @info: the phone info
 *
 * Return: CTI_HOOKSWITCH_* bits.
 */
uint64_t cti_card_phone_info_get_hookswitches(
	const struct cti_card_phone_info *info);

/**
 * cti_card_phone_info_get_num_buttons() - how many buttons the phone has
 * @info: the phone info
 *
 * Return: the count; ids 0-11 are the keypad (0-9, *, #), the rest features.
 */
uint32_t cti_card_phone_info_get_num_buttons(
	const struct cti_card_phone_info *info);

/**
 * cti_card_phone_info_get_num_lamps() - how many lamps the phone has
 * @info: the phone info
 *
 * Return: the count; lamps are numbered from 0.
 */
uint32_t cti_card_phone_info_get_num_lamps(
	const struct cti_card_phone_info *info);

/**
 * cti_card_phone_info_get_display_rows() - the rows of the phone's display
 * @info: the phone info
 *
 * Return: the count, 0 if the phone has no display.
 */
uint32_t cti_card_phone_info_get_display_rows(
	const struct cti_card_phone_info *info);

/**
 * cti_card_phone_info_get_display_cols() - the columns of the phone's display
 * @info: the phone info
 *
 * Return: the count.
 */
uint32_t cti_card_phone_info_get_display_cols(
	const struct cti_card_phone_info *info);

/**
 * cti_card_phone_info_get_line() - the line the phone is attached to
 * @info: the phone info
 *
 * Return: the line, or CTI_LINE_NONE.
 */
uint32_t cti_card_phone_info_get_line(const struct cti_card_phone_info *info);
/* ---- Commands -------------------------------------------------------- */

/**
 * struct cti_card_request - one command for cti_card_submit()
 * @size: sizeof(struct cti_card_request) as the program knows it; a later
 *	libcti accepts an older, smaller struct, and an older libcti passes
 *	the bytes past its own struct on to the kernel, which refuses them
 *	with -E2BIG unless they are zero
 * @cmd: an &enum cti_cmd
 * @flags: none are defined yet; must be zero
 * @id: the program's request id, echoed by the REPLY event; neither the
 *	library nor the kernel interprets it
 * @line: the line, or for phone commands the phone
 * @call: the call the command acts on, or CTI_CALL_NONE
 * @call2: the second call of two-call commands, or CTI_CALL_NONE
 * @arg: a command-specific value (see &enum cti_cmd), else zero
 * @arg2: a second command-specific value, else zero
 * @data_len: bytes at @data: a number, digits or text without its NUL, a
 *	link frame, or device-specific bytes
 * @data: the command's data, or NULL with @data_len 0
 * @__reserved: must be zero
 */
struct cti_card_request {
	uint32_t size;
	uint16_t cmd;
	uint16_t flags;
	uint64_t id;
	uint32_t line;
	uint32_t call;
	uint32_t call2;
	uint32_t arg;
	uint32_t arg2;
	uint32_t data_len;
	const void *data;
	uint64_t __reserved[2];
};

/**
 * cti_card_submit() - hand the card a command
 * @card: the card
 * @req: the command
 *
 * Returns at once. A submit that returns 0 has created a request: exactly
 * one CTI_EV_REPLY event with @req->id follows, with 0 or a negative errno
 * (cti_card_event_get_error()), and only on this card object. A submit
 * that fails created nothing and no REPLY follows.
 *
 * Return: 0; -EINVAL (a NULL argument, a @size smaller than the first
 * published struct, a non-zero reserved field or flag, an unknown command,
 * a bad number, digit string or text, @data_len too large for the
 * command), -E2BIG (bytes past the struct the kernel knows are not zero),
 * -EOPNOTSUPP (the card or line cannot do it), -ENOENT (no such line or
 * phone), -EBADF (opened with CTI_CARD_OPEN_WATCH), -EFAULT (@data is
 * bad), -ENODEV, -ENOMEM.
 */
int cti_card_submit(struct cti_card *card, const struct cti_card_request *req);

/* ---- Events ---------------------------------------------------------- */

/**
 * cti_card_event_buffer_new() - make room for a batch of events
 * @capacity: the most events one cti_card_read_events() call returns
 *	(1 .. 65536)
 * @bufp: out: the buffer; free it with cti_card_event_buffer_free()
 *
 * Each slot holds a whole event, a link frame of CTI_LINK_FRAME_MAX bytes
 * included, so a buffer costs a little over a kilobyte per slot.
 *
 * Return: 0, -EINVAL (@capacity out of range, @bufp NULL), -ENOMEM.
 */
int cti_card_event_buffer_new(size_t capacity,
			      struct cti_card_event_buffer **bufp);

/**
 * cti_card_event_buffer_free() - free an event buffer and its events
 * @buf: the buffer, or NULL
 */
void cti_card_event_buffer_free(struct cti_card_event_buffer *buf);

/**
 * cti_card_event_buffer_get_capacity() - how many events the buffer holds
 * @buf: the buffer
 *
 * Return: the capacity given to cti_card_event_buffer_new().
 */
size_t cti_card_event_buffer_get_capacity(
	const struct cti_card_event_buffer *buf);

/**
 * cti_card_event_buffer_get_num_events() - events of the last read
 * @buf: the buffer
 *
 * Return: the number of events cti_card_read_events() last stored.
 */
size_t cti_card_event_buffer_get_num_events(
	const struct cti_card_event_buffer *buf);

/**
 * cti_card_event_buffer_get_event() - one event of the last read
 * @buf: the buffer
 * @index: 0 .. cti_card_event_buffer_get_num_events() - 1, in the order
 *	the card wrote them
 *
 * Return: the event, valid until the buffer is read into again or freed;
 * NULL past the events stored.
 */
const struct cti_card_event *cti_card_event_buffer_get_event(
	const struct cti_card_event_buffer *buf, size_t index);

/**
 * cti_card_read_events() - take a batch of events, never blocking
 * @card: the card
 * @buf: where they go; its previous events are discarded
 * @max: at most this many (and at most the buffer's capacity); 0 means
 *	the capacity
 *
 * From the mapped ring: loads the tail with acquire ordering, copies the
 * records between head and tail, then publishes the new head once with
 * release ordering, so the kernel may reuse the space; the PAD filler is
 * skipped. Without the ring: read(2) of whole records. Both give the same
 * events. When the ring has lost records and its OVERFLOW record is not
 * yet written (the kernel writes it once it has room, learning of the
 * room from poll), the library prompts the kernel, so that the gap comes
 * out in this batch or the next, never later than the events after it.
 *
 * Return: the number of events stored in @buf (0: none waiting); -EBADMSG
 * (a corrupt record: see Conventions; nothing more is read from the
 * ring), -ENODEV (the card is gone and its CTI_EV_CARD_REMOVED was
 * returned before), -EINVAL (a NULL argument).
 */
int cti_card_read_events(struct cti_card *card,
			 struct cti_card_event_buffer *buf, size_t max);

/**
 * cti_card_event_get_type() - what the event reports
 * @ev: the event
 *
 * Return: an &enum cti_event_type (or a newer kernel's type past CTI_EV_MAX).
 */
uint32_t cti_card_event_get_type(const struct cti_card_event *ev);

/**
 * cti_card_event_get_line() - the line the event is about
 * @ev: the event
 *
 * Return: the line, for phone events the phone, or CTI_LINE_NONE for a card-
 * wide event.
 */
uint32_t cti_card_event_get_line(const struct cti_card_event *ev);

/**
 * cti_card_event_get_seq() - the event's sequence number on this card object
 * @ev: the event
 *
 * Return: 1 for the first event after the open, then one more for each; lost
 * records take no number (their loss is the OVERFLOW event).
 */
uint64_t cti_card_event_get_seq(const struct cti_card_event *ev);

/**
 * cti_card_event_get_timestamp_ns() - when the card posted the event
 * @ev: the event
 *
 * Return: CLOCK_MONOTONIC time in nanoseconds.
 */
uint64_t cti_card_event_get_timestamp_ns(const struct cti_card_event *ev);

/**
 * cti_card_event_get_request_id() - the request a REPLY answers
 * @ev: the event
 *
 * Return: the id given in &struct cti_card_request; 0 for other types.
 */
uint64_t cti_card_event_get_request_id(const struct cti_card_event *ev);

/**
 * cti_card_event_get_error() - the result of a request (REPLY)
 * @ev: the event
 *
 * Return: 0 on success or a negative errno: those of the kernel's table, plus
 * -EBUSY (the line or call cannot do it now), -ETIMEDOUT and what the card
 * reports (-EIO: link failure); 0 for other types.
 */
int cti_card_event_get_error(const struct cti_card_event *ev);

/**
 * cti_card_event_get_cmd() - the command a REPLY answers
 * @ev: the event
 *
 * Return: an &enum cti_cmd; 0 for other types.
 */
uint32_t cti_card_event_get_cmd(const struct cti_card_event *ev);

/**
 * cti_card_event_get_call() - the call the event is about
 * @ev: the event
 *
 * Return: the call handle (REPLY: the call the command created, MAKE_CALL,
 * SETUP_TRANSFER, SETUP_CONFERENCE, UNPARK, PICKUP), or CTI_CALL_NONE.
 */
uint32_t cti_card_event_get_call(const struct cti_card_event *ev);

/**
 * cti_card_event_get_state() - the new state the event reports
 * @ev: the event
 *
 * Return: CALL_STATE: an &enum cti_call_state; LINE_STATUS: an &enum
 * cti_line_status; PHONE_HOOK: an &enum cti_hook_mode; PHONE_BUTTON: 1
 * pressed, 0 released; LINK_STATE: an &enum cti_link_state; else 0.
 */
uint32_t cti_card_event_get_state(const struct cti_card_event *ev);

/**
 * cti_card_event_get_reason() - why a call is in its state or came here
 * @ev: the event
 *
 * Return: CALL_STATE: for DISCONNECTED and IDLE an &enum
 * cti_disconnect_reason, for OFFERING an &enum cti_call_reason; CALL_INFO: an
 * &enum cti_call_reason; else 0.
 */
uint32_t cti_card_event_get_reason(const struct cti_card_event *ev);

/**
 * cti_card_event_get_related_call() - the call this call belongs with
 * @ev: the event
 *
 * Return: the consultation or conference call (CALL_STATE, CALL_INFO), or
 * CTI_CALL_NONE.
 */
uint32_t cti_card_event_get_related_call(const struct cti_card_event *ev);

/**
 * cti_card_event_get_origin() - where a call came from (CALL_INFO)
 * @ev: the event
 *
 * Return: an &enum cti_call_origin; 0 for other types.
 */
uint32_t cti_card_event_get_origin(const struct cti_card_event *ev);

/**
 * cti_card_event_get_changed() - the fields a CALL_INFO reports changed
 * @ev: the event
 *
 * Return: CTI_CALL_INFO_* bits; 0 for other types.
 */
uint64_t cti_card_event_get_changed(const struct cti_card_event *ev);

/**
 * cti_card_event_get_arg() - the device of a phone event
 * @ev: the event
 *
 * Return: PHONE_HOOK: the CTI_HOOKSWITCH_* device; PHONE_BUTTON: the button
 * id; else 0.
 */
uint32_t cti_card_event_get_arg(const struct cti_card_event *ev);

/**
 * cti_card_event_get_num_calls() - the calls a line has (LINE_STATUS)
 * @ev: the event
 *
 * Return: the count; 0 for other types.
 */
uint32_t cti_card_event_get_num_calls(const struct cti_card_event *ev);

/**
 * cti_card_event_get_forward_mode() - how a line forwards (LINE_STATUS)
 * @ev: the event
 *
 * Return: an &enum cti_forward_mode; 0 for other types.
 */
uint32_t cti_card_event_get_forward_mode(const struct cti_card_event *ev);

/**
 * cti_card_event_get_dnd() - whether do-not-disturb is on (LINE_STATUS)
 * @ev: the event
 *
 * Return: 1 or 0; 0 for other types.
 */
int cti_card_event_get_dnd(const struct cti_card_event *ev);

/**
 * cti_card_event_get_caller() - the calling party's number (CALL_INFO)
 * @ev: the event
 *
 * Return: the number, "" for other types; it lives as long as @ev.
 */
const char *cti_card_event_get_caller(const struct cti_card_event *ev);

/**
 * cti_card_event_get_caller_name() - the calling party's name (CALL_INFO)
 * @ev: the event
 *
 * Return: the name, "" for other types; it lives as long as @ev.
 */
const char *cti_card_event_get_caller_name(const struct cti_card_event *ev);

/**
 * cti_card_event_get_called() - the called party's number (CALL_INFO)
 * @ev: the event
 *
 * Return: the number, "" for other types; it lives as long as @ev.
 */
const char *cti_card_event_get_called(const struct cti_card_event *ev);

/**
 * cti_card_event_get_called_name() - the called party's name (CALL_INFO)
 * @ev: the event
 *
 * Return: the name, "" for other types; it lives as long as @ev.
 */
const char *cti_card_event_get_called_name(const struct cti_card_event *ev);

/**
 * cti_card_event_get_text() - the digits of a DIGITS event, or where a line
 * forwards to
 * @ev: the event
 *
 * Return: DIGITS: the digits received, NUL-terminated; LINE_STATUS: the
 * forwarding destination; "" for other types. It lives as long as @ev.
 */
const char *cti_card_event_get_text(const struct cti_card_event *ev);

/**
 * cti_card_event_get_data() - the bytes of a link frame (LINK_FRAME)
 * @ev: the event
 * @data: out, optional: where the frame's bytes are (NULL for other types);
 *	they live as long as @ev
 *
 * Return: the frame's length in bytes, at most CTI_LINK_FRAME_MAX; 0 for other
 * types.
 */
size_t cti_card_event_get_data(const struct cti_card_event *ev,
			       const void **data);

/**
 * cti_card_event_get_lost() - the size of the gap an OVERFLOW event reports
 * @ev: the event
 *
 * Return: the number of events lost since the previous OVERFLOW event (or the
 * open); 0 for other types. cti_card_snapshot() recovers the state they
 * described.
 */
uint64_t cti_card_event_get_lost(const struct cti_card_event *ev);
/**
 * cti_card_event_type_name() - the name of an event type, for printing
 * @type: an &enum cti_event_type
 *
 * Return: "REPLY", "CALL_STATE", ...; "?" for a type it does not know.
 */
const char *cti_card_event_type_name(uint32_t type);

/**
 * cti_card_set_filter() - choose the events this card object receives
 * @card: the card
 * @types: bit (1 << type) for every &enum cti_event_type to receive;
 *	CTI_CARD_EV_ALL for all. REPLY, OVERFLOW and CARD_REMOVED come
 *	whatever the filter says
 * @lines: NULL for every line, or a bitmap of @num_lines bits (bit n of
 *	word n / 64 for line n): events about other lines are not delivered,
 *	card-wide ones are
 * @num_lines: bits at @lines, at most the card's lines rounded up to 64;
 *	0 when @lines is NULL
 *
 * Replaces the previous filter; a new card object receives everything.
 *
 * Return: 0, -EINVAL (an unknown type bit, @num_lines out of range or
 * given without @lines), -EOPNOTSUPP (the kernel lacks CTI_FEAT_FILTER),
 * -ENODEV, -ENOMEM.
 */
int cti_card_set_filter(struct cti_card *card, uint64_t types,
			const uint64_t *lines, uint32_t num_lines);

/* ---- Snapshots ------------------------------------------------------- */

/**
 * cti_card_snapshot() - the state of every line and call, at one instant
 * @card: the card
 * @snapp: out: the snapshot; free it with cti_card_snapshot_free()
 *
 * What a program rebuilds its view from, at start or after a gap. Events
 * whose sequence number is above cti_card_snapshot_get_seq() describe
 * changes after the snapshot; the older ones are already in it. Grows its
 * arrays and asks again when calls appear between two attempts.
 *
 * Return: 0, -EOPNOTSUPP (the kernel lacks CTI_FEAT_SNAPSHOT), -ENODEV,
 * -EAGAIN (the card kept growing for several attempts), -ENOMEM.
 */
int cti_card_snapshot(struct cti_card *card, struct cti_card_snapshot **snapp);

/**
 * cti_card_snapshot_free() - free a snapshot
 * @snap: the snapshot, or NULL
 */
void cti_card_snapshot_free(struct cti_card_snapshot *snap);

/**
 * cti_card_snapshot_get_seq() - where the snapshot stands in the event stream
 * @snap: the snapshot
 *
 * Return: the sequence number of the last event written to this card object
 * before the snapshot; events numbered above it describe later changes.
 */
uint64_t cti_card_snapshot_get_seq(const struct cti_card_snapshot *snap);

/**
 * cti_card_snapshot_get_num_lines() - how many lines the snapshot holds
 * @snap: the snapshot
 *
 * Return: the count.
 */
size_t cti_card_snapshot_get_num_lines(const struct cti_card_snapshot *snap);

/**
 * cti_card_snapshot_get_num_calls() - how many calls the snapshot holds
 * @snap: the snapshot
 *
 * Return: the count.
 */
size_t cti_card_snapshot_get_num_calls(const struct cti_card_snapshot *snap);

/**
 * cti_card_snapshot_get_line() - the line number of a line entry
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_lines() - 1
 *
 * Return: the line; 0 for an index out of range.
 */
uint32_t cti_card_snapshot_get_line(const struct cti_card_snapshot *snap,
				    size_t index);

/**
 * cti_card_snapshot_get_line_status() - whether a line can carry calls
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_lines() - 1
 *
 * Return: an &enum cti_line_status; 0 for an index out of range.
 */
uint32_t cti_card_snapshot_get_line_status(
	const struct cti_card_snapshot *snap, size_t index);

/**
 * cti_card_snapshot_get_line_num_calls() - the calls a line has
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_lines() - 1
 *
 * Return: the count; 0 for an index out of range.
 */
uint32_t cti_card_snapshot_get_line_num_calls(
	const struct cti_card_snapshot *snap, size_t index);

/**
 * cti_card_snapshot_get_line_forward_mode() - how a line forwards
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_lines() - 1
 *
 * Return: an &enum cti_forward_mode; 0 for an index out of range.
 */
uint32_t cti_card_snapshot_get_line_forward_mode(
	const struct cti_card_snapshot *snap, size_t index);

/**
 * cti_card_snapshot_get_line_forward_to() - where a line forwards to
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_lines() - 1
 *
 * Return: the number, "" if none or for an index out of range; it lives as
 * long as @snap.
 */
const char *cti_card_snapshot_get_line_forward_to(
	const struct cti_card_snapshot *snap, size_t index);

/**
 * cti_card_snapshot_get_line_dnd() - whether a line has do-not-disturb on
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_lines() - 1
 *
 * Return: 1 or 0; 0 for an index out of range.
 */
int cti_card_snapshot_get_line_dnd(const struct cti_card_snapshot *snap,
				   size_t index);

/**
 * cti_card_snapshot_get_call_line() - the line of a call entry
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_calls() - 1
 *
 * Return: the line; 0 for an index out of range.
 */
uint32_t cti_card_snapshot_get_call_line(const struct cti_card_snapshot *snap,
					 size_t index);

/**
 * cti_card_snapshot_get_call() - the handle of a call entry
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_calls() - 1
 *
 * Return: the call handle; CTI_CALL_NONE for an index out of range.
 */
uint32_t cti_card_snapshot_get_call(const struct cti_card_snapshot *snap,
				    size_t index);

/**
 * cti_card_snapshot_get_call_state() - the state of a call
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_calls() - 1
 *
 * Return: an &enum cti_call_state; 0 for an index out of range.
 */
uint32_t cti_card_snapshot_get_call_state(
	const struct cti_card_snapshot *snap, size_t index);

/**
 * cti_card_snapshot_get_call_reason() - why a call is in its state
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_calls() - 1
 *
 * Return: as cti_card_event_get_reason() of its CALL_STATE; 0 for an index out
 * of range.
 */
uint32_t cti_card_snapshot_get_call_reason(
	const struct cti_card_snapshot *snap, size_t index);

/**
 * cti_card_snapshot_get_call_origin() - where a call came from
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_calls() - 1
 *
 * Return: an &enum cti_call_origin; 0 for an index out of range.
 */
uint32_t cti_card_snapshot_get_call_origin(
	const struct cti_card_snapshot *snap, size_t index);

/**
 * cti_card_snapshot_get_call_related() - the call this call belongs with
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_calls() - 1
 *
 * Return: the related call, or CTI_CALL_NONE.
 */
uint32_t cti_card_snapshot_get_call_related(
	const struct cti_card_snapshot *snap, size_t index);

/**
 * cti_card_snapshot_get_call_caller() - the calling party's number
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_calls() - 1
 *
 * Return: the number, "" for an index out of range; it lives as long as @snap.
 */
const char *cti_card_snapshot_get_call_caller(
	const struct cti_card_snapshot *snap, size_t index);

/**
 * cti_card_snapshot_get_call_called() - the called party's number
 * @snap: the snapshot
 * @index: 0 .. cti_card_snapshot_get_num_calls() - 1
 *
 * Return: the number, "" for an index out of range; it lives as long as @snap.
 */
const char *cti_card_snapshot_get_call_called(
	const struct cti_card_snapshot *snap, size_t index);
/* ---- Finding cards: generic netlink ---------------------------------- */

/**
 * cti_card_list_new() - list the cards the kernel has now
 * @listp: out: the list; free it with cti_card_list_free()
 *
 * One dump of the generic netlink family "cti", in the kernel's order.
 *
 * Return: 0, -ENOENT (the family is not registered: cti.ko is not
 * loaded), -ENOMEM, or the errno of the netlink socket.
 */
int cti_card_list_new(struct cti_card_list **listp);

/**
 * cti_card_list_free() - free a card list and its descriptions
 * @list: the list, or NULL
 */
void cti_card_list_free(struct cti_card_list *list);

/**
 * cti_card_list_get_count() - the number of cards listed
 * @list: the list
 *
 * Return: the count.
 */
size_t cti_card_list_get_count(const struct cti_card_list *list);

/**
 * cti_card_list_get_desc() - one card of the list
 * @list: the list
 * @index: 0 .. cti_card_list_get_count() - 1
 *
 * Return: its description, owned by the list; NULL past the end.
 */
const struct cti_card_desc *cti_card_list_get_desc(
	const struct cti_card_list *list, size_t index);

/**
 * enum cti_card_change - what a monitor reports
 * @CTI_CARD_ADDED: a card was registered (/dev/ctiN exists)
 * @CTI_CARD_REMOVED: a card was unregistered; its open files see
 *	CTI_EV_CARD_REMOVED
 * @CTI_CARD_LINK_CHANGED: a card's link went up or down
 *	(cti_card_desc_get_link_state())
 */
enum cti_card_change {
	CTI_CARD_ADDED = 1,
	CTI_CARD_REMOVED = 2,
	CTI_CARD_LINK_CHANGED = 3,
};

/**
 * cti_card_monitor_open() - follow cards arriving and leaving
 * @monp: out: the monitor; close it with cti_card_monitor_close()
 *
 * Joins the family's "events" multicast group. Changes made after this
 * returns are reported; to start from a complete picture, open the
 * monitor first, then list the cards.
 *
 * Return: 0, -ENOENT (cti.ko is not loaded), -ENOMEM, or the errno of the
 * netlink socket.
 */
int cti_card_monitor_open(struct cti_card_monitor **monp);

/**
 * cti_card_monitor_close() - leave the group and free the monitor
 * @mon: the monitor, or NULL
 */
void cti_card_monitor_close(struct cti_card_monitor *mon);

/**
 * cti_card_monitor_get_fd() - the descriptor for the program's poll loop
 * @mon: the monitor
 *
 * Return: the netlink socket; it polls readable when a change waits.
 */
int cti_card_monitor_get_fd(struct cti_card_monitor *mon);

/**
 * cti_card_monitor_read() - take the next change, never blocking
 * @mon: the monitor
 * @change: out: an &enum cti_card_change
 * @descp: out: the card as the notification describes it; free it with
 *	cti_card_desc_free()
 *
 * Return: 1 with a change, 0 when none waits, -ENOBUFS when the socket
 * overran and notifications were lost (list the cards again; the monitor
 * goes on), -ENOMEM, or the socket's errno.
 */
int cti_card_monitor_read(struct cti_card_monitor *mon, int *change,
			  struct cti_card_desc **descp);

#ifdef __cplusplus
}
#endif

#endif /* CTI_CARD_H */
