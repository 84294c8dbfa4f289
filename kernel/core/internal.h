/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cti core: what the files of cti.ko share.
 */
#ifndef _CTI_CORE_INTERNAL_H
#define _CTI_CORE_INTERNAL_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/cti.h>

#include "cti_backend.h"

/* Limits on what a backend may describe. */
#define CTI_MAX_LINES		1024
#define CTI_MAX_PHONES		1024
#define CTI_MINORS		256

/**
 * struct cti_call_slot - the core's view of one call
 * @call: the call's handle; CTI_CALL_NONE marks a free slot
 * @state: &enum cti_call_state
 * @reason: as in &struct cti_ev_call_state
 * @origin: &enum cti_call_origin
 * @related_call: the related call or CTI_CALL_NONE
 * @caller: calling party number
 * @called: called party number
 */
struct cti_call_slot {
	u32 call;
	u32 state;
	u32 reason;
	u32 origin;
	u32 related_call;
	char caller[CTI_NUMBER_MAX];
	char called[CTI_NUMBER_MAX];
};

/**
 * struct cti_line_state - the core's view of one line, for snapshots
 * @status: &enum cti_line_status
 * @forward_mode: &enum cti_forward_mode
 * @dnd: do-not-disturb on
 * @num_calls: used entries of @calls
 * @forward_to: forwarding destination
 * @calls: fixed slots, so that posting never allocates
 *
 * All fields are guarded by &cti_card.lock.
 */
struct cti_line_state {
	u32 status;
	u32 forward_mode;
	u32 dnd;
	u32 num_calls;
	char forward_to[CTI_NUMBER_MAX];
	struct cti_call_slot calls[CTI_MAX_CALLS_PER_LINE];
};

/**
 * struct cti_card - a card, owned by the core
 * @dev: the device; its refcount is the card's (backend, open files,
 *	pending link work each hold one)
 * @cdev: the character device /dev/ctiN
 * @ops: the backend's ops; called only inside a cti_srcu read section
 *	and only while @detaching is false
 * @index: the minor number, -1 before registration
 * @name: unique card name (immutable after alloc, like the other
 *	description fields @driver, @vendor, @serial, @caps, @num_lines,
 *	@lines, @num_phones, @phones)
 * @driver: driver name
 * @vendor: vendor name
 * @serial: serial number
 * @caps: CTI_CARD_CAP_* bits
 * @num_lines: lines
 * @lines: line descriptions
 * @num_phones: phones
 * @phones: phone descriptions
 * @registered: set by register, cleared by unregister; guarded by
 *	cti_cards_lock
 * @detaching: set once by unregister before it waits for cti_srcu;
 *	submit checks it inside its read section
 * @lock: guards @dead, @link_state, @files, @ring_bytes, @requests,
 *	@state and every ring's producer side; taken with irqsave since
 *	cti_card_post() and cti_card_complete() run in any context
 * @dead: the card is unregistered: nothing is posted or submitted
 * @link_state: &enum cti_link_state
 * @files: open files (&struct cti_file.node)
 * @ring_bytes: ring memory the open files pin, at most card_ring_limit
 * @requests: pending requests by token (&struct cti_request_entry)
 * @next_token: last token handed out; guarded by @lock
 * @state: per line state tables, @num_lines entries
 * @lost: records lost to ring overflow over all files since the card
 *	appeared; raised under @lock, read without it (netlink, sysfs)
 * @link_work: sends the netlink LINK_STATE notification
 * @priv: backend-private data, cti_card_alloc()'s @priv_size bytes
 */
struct cti_card {
	struct device dev;
	struct cdev cdev;
	const struct cti_card_ops *ops;
	int index;

	char name[CTI_NAME_MAX];
	char driver[CTI_NAME_MAX];
	char vendor[CTI_NAME_MAX];
	char serial[CTI_NAME_MAX];
	u64 caps;
	u32 num_lines;
	struct cti_line_desc *lines;
	u32 num_phones;
	struct cti_phone_desc *phones;

	bool registered;
	bool detaching;

	spinlock_t lock;	/* see @lock above */
	bool dead;
	u32 link_state;
	struct list_head files;
	u64 ring_bytes;
	DECLARE_HASHTABLE(requests, 7);
	u64 next_token;
	struct cti_line_state *state;
	atomic64_t lost;

	struct work_struct link_work;

	u8 priv[] __aligned(8);
};

static inline struct cti_card *cti_card_from_dev(struct device *dev)
{
	return container_of(dev, struct cti_card, dev);
}

/**
 * struct cti_ring - one file's event ring
 * @buf: vmalloc_user'd area: the control page, then @size data bytes
 * @data: the data area
 * @size: bytes of the data area, a power of two
 * @mask: @size - 1
 * @head: the last head the kernel validated (consumer position)
 * @tail: the kernel's tail (producer position), as published
 * @seq: sequence number of the last record written
 * @lost_pending: records lost since the last OVERFLOW record
 * @lost_total: records lost since the open
 * @removed: CARD_REMOVED has been written; nothing follows it
 * @card_lost: the card's count of lost records (&cti_card.lost), raised
 *	with @lost_total; the file holds a reference on the card
 *
 * @head, @tail, @seq, @lost_pending, @lost_total and @removed are guarded
 * by &cti_card.lock (every producer holds it). The consumer side of read()
 * also takes it to move @head.
 */
struct cti_ring {
	void *buf;
	u8 *data;
	u32 size;
	u32 mask;
	u32 head;
	u32 tail;
	u64 seq;
	u64 lost_pending;
	u64 lost_total;
	bool removed;
	atomic64_t *card_lost;
};

/**
 * struct cti_filter - which records a file receives
 * @types: bit (1 << type) per &enum cti_event_type
 * @num_lines: bits in @lines, 0 without a line filter
 * @lines_on: the line filter is active
 * @lines: the line bitmap
 */
struct cti_filter {
	u64 types;
	u32 num_lines;
	bool lines_on;
	u64 lines[];
};

/**
 * struct cti_file - one open file of /dev/ctiN
 * @card: the card; the file holds a reference
 * @node: in &cti_card.files, guarded by &cti_card.lock
 * @ring: the event ring
 * @filter: the event filter, NULL for everything; guarded by
 *	&cti_card.lock
 * @wait: readers and pollers
 * @read_lock: serialises read() and SET_FILTER/SNAPSHOT allocations
 * @nr_requests: requests of this file without a REPLY yet, at most
 *	max_requests; guarded by &cti_card.lock
 */
struct cti_file {
	struct cti_card *card;
	struct list_head node;
	struct cti_ring ring;
	struct cti_filter *filter;
	wait_queue_head_t wait;
	struct mutex read_lock;	/* see @read_lock above */
	u32 nr_requests;
};

/**
 * struct cti_request_entry - a submitted request the backend has not
 *	completed yet
 * @node: in &cti_card.requests
 * @token: the core's handle
 * @file: the submitting file, NULL once it is closed
 * @id: the caller's request id
 * @cmd: the command
 * @line: the request's line
 *
 * Guarded by &cti_card.lock.
 */
struct cti_request_entry {
	struct hlist_node node;
	u64 token;
	struct cti_file *file;
	u64 id;
	u16 cmd;
	u32 line;
};

/* main.c */
extern struct class cti_class;
extern dev_t cti_devt;
extern struct mutex cti_cards_lock;
extern struct xarray cti_cards;
extern struct srcu_struct cti_srcu;

/* card.c */
extern const struct attribute_group *cti_card_groups[];

/* file.c */
extern const struct file_operations cti_fops;

/* ioctl.c */
long cti_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);

/* submit.c */
int cti_submit(struct cti_file *f, void __user *uarg);

/* ioctl.c */
int cti_copy_struct_in(void *dst, size_t ksize, size_t ver0,
		       const void __user *uarg, u32 *usize);

/* ring.c */
u32 cti_ring_size_param(void);
u32 cti_ring_bytes(u32 size);
int cti_ring_alloc(struct cti_ring *r, u32 size);
void cti_ring_free(struct cti_ring *r);
bool cti_ring_write(struct cti_ring *r, const struct cti_event *ev,
		    u64 timestamp_ns, bool last);
u32 cti_ring_refresh_head(struct cti_ring *r);
bool cti_ring_pending(struct cti_ring *r);
bool cti_ring_flush_overflow(struct cti_ring *r, u64 timestamp_ns);
ssize_t cti_ring_read(struct cti_ring *r, spinlock_t *lock,
		      char __user *buf, size_t count);
void cti_ring_layout(const struct cti_ring *r, struct cti_ring_info *info);
int cti_ring_mmap(struct cti_ring *r, struct vm_area_struct *vma);

/* post.c */
void cti_deliver_locked(struct cti_card *card, const struct cti_event *ev);
void cti_reply_locked(struct cti_card *card, struct cti_request_entry *req,
		      int error, u32 call);
void cti_wake_all_locked(struct cti_card *card);

/* state.c */
int cti_state_alloc(struct cti_card *card);
void cti_state_update_locked(struct cti_card *card, const struct cti_event *ev);
u32 cti_state_count_calls_locked(const struct cti_card *card);
u32 cti_state_line_calls_locked(const struct cti_card *card, u32 line);
void cti_state_fill_locked(const struct cti_card *card,
			   struct cti_line_snapshot *lines,
			   struct cti_call_snapshot *calls);

/* netlink.c */
int __init cti_netlink_init(void);
void cti_netlink_exit(void);
void cti_netlink_notify(struct cti_card *card, u8 cmd);

#endif /* _CTI_CORE_INTERNAL_H */
