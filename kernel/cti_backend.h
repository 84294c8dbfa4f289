/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cti backend API: what a CTI card driver uses to plug into the cti core.
 *
 * A driver allocates a card with cti_card_alloc(), describes its lines and
 * phones in the card's public fields, and registers it with
 * cti_card_register(). From then on the core calls the driver's ops for
 * every command a user submits, and the driver reports what happens on its
 * switch with cti_card_post() (events) and cti_card_complete() (results),
 * from any context, hard IRQ included. cti_card_unregister() detaches the
 * driver: once it returns, the core never calls an op again, and the files
 * still open on the card see -ENODEV and a CARD_REMOVED record.
 */
#ifndef _CTI_BACKEND_H
#define _CTI_BACKEND_H

#include <linux/types.h>
#include <linux/cti.h>

struct cti_card;
struct device;
struct module;

/**
 * struct cti_command - a command handed to a backend
 * @token: the core's handle of the request; pass it to cti_card_complete()
 * @cmd: an &enum cti_cmd value, one the line's ops mask allows
 * @line: the line, or for phone commands the phone; already range-checked
 * @call: the call, or CTI_CALL_NONE (not checked: calls are the backend's)
 * @call2: the second call, or CTI_CALL_NONE
 * @arg: the command's first argument
 * @arg2: the command's second argument
 * @data_len: bytes in @data
 * @data: the command's number, digits, text or payload; for strings the
 *	core has checked the characters and added a NUL at @data[@data_len]
 */
struct cti_command {
	u64 token;
	u16 cmd;
	u32 line;
	u32 call;
	u32 call2;
	u32 arg;
	u32 arg2;
	u32 data_len;
	u8 data[CTI_DATA_MAX + 1];
};

/**
 * struct cti_card_ops - what a backend does for the core
 * @owner: the backend's module; the core holds a reference while it calls
 *	an op, so the module cannot go away under a call
 * @submit: mandatory. Start @cmd. Called in process context, may sleep
 *	briefly, must not wait for the switch. Return 0 when the command is
 *	under way: the backend then calls cti_card_complete(@cmd->token)
 *	exactly once, possibly before @submit returns. Return a negative
 *	errno to refuse it: the core then completes the request with that
 *	error itself. The backend must copy what it keeps of @cmd.
 * @cancel_all: optional. Called once from cti_card_unregister() after the
 *	last @submit has returned; the backend must stop its timers and work
 *	that would post or complete. Requests it has not completed are
 *	completed by the core with -ENODEV.
 */
struct cti_card_ops {
	struct module *owner;
	int (*submit)(struct cti_card *card, const struct cti_command *cmd);
	void (*cancel_all)(struct cti_card *card);
};

/**
 * struct cti_line_desc - a line as the backend describes it
 * @name: the line's name
 * @addresses: its directory numbers
 * @num_addresses: valid entries in @addresses
 * @ops: bit (1 << cmd) for each &enum cti_cmd the line accepts; the core
 *	refuses other commands with -EOPNOTSUPP before calling the backend
 * @max_calls: calls the line can have at once (1..CTI_MAX_CALLS_PER_LINE)
 */
struct cti_line_desc {
	char name[CTI_NAME_MAX];
	char addresses[CTI_MAX_ADDRESSES][CTI_NUMBER_MAX];
	u32 num_addresses;
	u64 ops;
	u32 max_calls;
};

/**
 * struct cti_phone_desc - a phone as the backend describes it
 * @name: the phone's name
 * @hookswitches: CTI_HOOKSWITCH_* devices
 * @num_buttons: buttons (ids 0-11 keypad, then features)
 * @num_lamps: lamps
 * @display_rows: display rows, 0 if none
 * @display_cols: display columns
 * @line: the line the phone belongs to, or CTI_LINE_NONE
 */
struct cti_phone_desc {
	char name[CTI_NAME_MAX];
	u64 hookswitches;
	u32 num_buttons;
	u32 num_lamps;
	u32 display_rows;
	u32 display_cols;
	u32 line;
};

/* The most calls the core tracks per line (for snapshots). */
#define CTI_MAX_CALLS_PER_LINE	16

/**
 * struct cti_card_desc - a card as the backend describes it
 * @name: unique name among cards
 * @driver: the driver's name
 * @vendor: the vendor
 * @serial: the serial number, may be empty
 * @caps: CTI_CARD_CAP_* bits
 * @num_lines: number of entries in @lines
 * @lines: the lines, copied by cti_card_alloc()
 * @num_phones: number of entries in @phones
 * @phones: the phones, copied by cti_card_alloc()
 */
struct cti_card_desc {
	const char *name;
	const char *driver;
	const char *vendor;
	const char *serial;
	u64 caps;
	u32 num_lines;
	const struct cti_line_desc *lines;
	u32 num_phones;
	const struct cti_phone_desc *phones;
};

/**
 * cti_card_alloc() - allocate a card
 * @parent: the parent device, or NULL
 * @ops: the backend's ops; must outlive the card's registration
 * @desc: what the card is; copied
 * @priv_size: bytes of backend-private data, see cti_card_priv()
 *
 * Return: the card, or an ERR_PTR(): -EINVAL for a bad description,
 * -ENOMEM. Free an unregistered card with cti_card_put().
 */
struct cti_card *cti_card_alloc(struct device *parent,
				const struct cti_card_ops *ops,
				const struct cti_card_desc *desc,
				size_t priv_size);

/**
 * cti_card_priv() - the backend-private data of a card
 * @card: the card
 *
 * Return: @priv_size bytes, zeroed at allocation, valid until the card's
 * last reference goes; a backend must not use them after
 * cti_card_unregister() has returned, except from its own release path.
 */
void *cti_card_priv(struct cti_card *card);

/**
 * cti_card_register() - make a card visible as /dev/ctiN
 * @card: an allocated, unregistered card
 *
 * Return: 0, or a negative errno (-EEXIST: the name is taken, -ENOSPC: no
 * minor left).
 */
int cti_card_register(struct cti_card *card);

/**
 * cti_card_unregister() - remove a card
 * @card: a registered card
 *
 * Waits for running ops to return, calls @cancel_all, completes every
 * outstanding request with -ENODEV, writes CARD_REMOVED into every open
 * file's ring and wakes every sleeper. May sleep. Afterwards the backend
 * must call cti_card_put() to drop its reference.
 */
void cti_card_unregister(struct cti_card *card);

/**
 * cti_card_put() - drop the backend's reference to a card
 * @card: the card
 *
 * The card is freed when its last open file is closed as well.
 */
void cti_card_put(struct cti_card *card);

/**
 * cti_card_post() - report an event
 * @card: the card
 * @ev: the record: @ev->type, @ev->size (a multiple of 8, at most
 *	CTI_EVENT_MAX_SIZE) and @ev->line filled, the payload after it; the
 *	core fills seq and timestamp_ns in each file's copy. Must not be
 *	REPLY, OVERFLOW, PAD or CARD_REMOVED, which only the core writes.
 *
 * Safe from any context, hard IRQ included. CALL_STATE, CALL_INFO and
 * LINE_STATUS records also update the core's state tables (snapshots).
 * Does nothing once the card is unregistered.
 */
void cti_card_post(struct cti_card *card, const struct cti_event *ev);

/**
 * cti_card_post_batch() - report a burst of events
 * @card: the card
 * @records: records back to back, each as cti_card_post() takes it
 *	(@ev->size bytes, a multiple of 8)
 * @len: bytes at @records
 *
 * The same as cti_card_post() for each record in turn, under one hold of
 * the card's lock, with one timestamp for all and one wake-up of each
 * reader at the end: for a driver that takes several records at once (an
 * interrupt handler draining a FIFO). A record that cti_card_post() would
 * refuse, or whose size runs past @len, warns once and ends the batch;
 * the records before it are posted.
 *
 * Safe from any context, hard IRQ included. The lock is held, with
 * interrupts off, for the whole batch: post bursts of tens of records,
 * not thousands.
 */
void cti_card_post_batch(struct cti_card *card, const void *records,
			 size_t len);

/**
 * cti_card_complete() - finish a request
 * @card: the card
 * @token: &struct cti_command.token of the request
 * @error: 0 or a negative errno
 * @call: the call the request created, or CTI_CALL_NONE
 *
 * Writes the REPLY record into the submitting file's ring. Safe from any
 * context. Completing a token twice, or one that was never given, is a
 * backend bug: the core warns once and ignores it.
 */
void cti_card_complete(struct cti_card *card, u64 token, int error, u32 call);

/**
 * cti_card_set_link_state() - report that the link went up or down
 * @card: the card
 * @state: an &enum cti_link_state
 *
 * Posts a LINK_STATE record, updates the sysfs attribute and announces it
 * on the netlink multicast group. Safe from any context.
 */
void cti_card_set_link_state(struct cti_card *card, enum cti_link_state state);

#endif /* _CTI_BACKEND_H */
