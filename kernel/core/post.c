// SPDX-License-Identifier: GPL-2.0
/*
 * cti core: events posted by backends and request completions, delivered
 * into the rings of the open files.
 */
#include <linux/bug.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "internal.h"

/* Records a backend may post; the others only the core writes. */
#define CTI_EV_BACKEND_MASK	(BIT_ULL(CTI_EV_CALL_STATE) | \
				 BIT_ULL(CTI_EV_CALL_INFO) | \
				 BIT_ULL(CTI_EV_DIGITS) | \
				 BIT_ULL(CTI_EV_LINE_STATUS) | \
				 BIT_ULL(CTI_EV_PHONE_HOOK) | \
				 BIT_ULL(CTI_EV_PHONE_BUTTON) | \
				 BIT_ULL(CTI_EV_LINK_FRAME) | \
				 BIT_ULL(CTI_EV_LINK_STATE))

/* Records every filter lets through. */
#define CTI_EV_ALWAYS_MASK	(BIT_ULL(CTI_EV_REPLY) | \
				 BIT_ULL(CTI_EV_OVERFLOW) | \
				 BIT_ULL(CTI_EV_CARD_REMOVED))

/* Records whose line field is a line (the line filter applies). */
#define CTI_EV_LINE_MASK	(BIT_ULL(CTI_EV_CALL_STATE) | \
				 BIT_ULL(CTI_EV_CALL_INFO) | \
				 BIT_ULL(CTI_EV_DIGITS) | \
				 BIT_ULL(CTI_EV_LINE_STATUS))

static const u16 cti_ev_size[CTI_EV_MAX] = {
	[CTI_EV_CALL_STATE] = sizeof(struct cti_ev_call_state),
	[CTI_EV_CALL_INFO] = sizeof(struct cti_ev_call_info),
	[CTI_EV_DIGITS] = sizeof(struct cti_ev_digits),
	[CTI_EV_LINE_STATUS] = sizeof(struct cti_ev_line_status),
	[CTI_EV_PHONE_HOOK] = sizeof(struct cti_ev_phone_hook),
	[CTI_EV_PHONE_BUTTON] = sizeof(struct cti_ev_phone_button),
	[CTI_EV_LINK_FRAME] = sizeof(struct cti_ev_link_frame),
	[CTI_EV_LINK_STATE] = sizeof(struct cti_ev_link_state),
};

static bool cti_filter_pass(const struct cti_filter *flt,
			    const struct cti_event *ev)
{
	u64 bit = BIT_ULL(ev->type);

	if (!flt || (bit & CTI_EV_ALWAYS_MASK))
		return true;
	if (!(flt->types & bit))
		return false;
	if (!flt->lines_on || !(bit & CTI_EV_LINE_MASK) ||
	    ev->line == CTI_LINE_NONE)
		return true;
	if (ev->line >= flt->num_lines)
		return false;
	return flt->lines[ev->line / 64] & BIT_ULL(ev->line % 64);
}

static void cti_wake(struct cti_file *f)
{
	if (wq_has_sleeper(&f->wait))
		wake_up_interruptible_poll(&f->wait, EPOLLIN | EPOLLRDNORM);
}

void cti_wake_all_locked(struct cti_card *card)
{
	struct cti_file *f;

	lockdep_assert_held(&card->lock);
	list_for_each_entry(f, &card->files, node)
		wake_up_interruptible_poll(&f->wait,
					   EPOLLIN | EPOLLRDNORM | EPOLLHUP |
					   EPOLLERR);
}

/* Write @ev, stamped @now, into every file's ring that wants it. */
static void cti_deliver_at_locked(struct cti_card *card,
				  const struct cti_event *ev, u64 now,
				  bool wake)
{
	struct cti_file *f;

	lockdep_assert_held(&card->lock);
	list_for_each_entry(f, &card->files, node) {
		if (!cti_filter_pass(f->filter, ev))
			continue;
		cti_ring_write(&f->ring, ev, now, false);
		if (wake)
			cti_wake(f);
	}
}

void cti_deliver_locked(struct cti_card *card, const struct cti_event *ev)
{
	cti_deliver_at_locked(card, ev, ktime_get_ns(), true);
}

/* Write the REPLY of @req into the submitting file's ring, if it is open. */
void cti_reply_locked(struct cti_card *card, struct cti_request_entry *req,
		      int error, u32 call)
{
	struct cti_ev_reply ev = {
		.hdr.type = CTI_EV_REPLY,
		.hdr.size = sizeof(ev),
		.hdr.line = req->line,
		.id = req->id,
		.error = error,
		.call = call,
		.cmd = req->cmd,
	};

	lockdep_assert_held(&card->lock);
	if (!req->file)
		return;
	req->file->nr_requests--;
	cti_ring_write(&req->file->ring, &ev.hdr, ktime_get_ns(), false);
	cti_wake(req->file);
}

static bool cti_post_valid(const struct cti_card *card,
			   const struct cti_event *ev)
{
	u32 min;

	if (ev->type >= CTI_EV_MAX ||
	    !(BIT_ULL(ev->type) & CTI_EV_BACKEND_MASK))
		return false;
	min = cti_ev_size[ev->type];
	if (ev->size % 8 || ev->size < min || ev->size > CTI_EVENT_MAX_SIZE)
		return false;

	switch (ev->type) {
	case CTI_EV_LINK_FRAME: {
		const struct cti_ev_link_frame *lf = (const void *)ev;

		return lf->len <= CTI_LINK_FRAME_MAX &&
		       ev->size == ALIGN(min + lf->len, 8);
	}
	case CTI_EV_LINK_STATE: {
		const struct cti_ev_link_state *ls = (const void *)ev;

		return ev->size == min && ev->line == CTI_LINE_NONE &&
		       ls->state <= CTI_LINK_UP;
	}
	case CTI_EV_PHONE_HOOK:
	case CTI_EV_PHONE_BUTTON:
		return ev->size == min && ev->line < card->num_phones;
	case CTI_EV_DIGITS: {
		const struct cti_ev_digits *d = (const void *)ev;

		if (d->count > CTI_DIGITS_MAX)
			return false;
		break;
	}
	default:
		break;
	}
	/* Call and line records: fixed size, a real line. */
	return ev->size == min && ev->line < card->num_lines;
}

static bool cti_post_checked(const struct cti_card *card,
			     const struct cti_event *ev)
{
	return !WARN_ONCE(!cti_post_valid(card, ev),
			  "cti: %s: bad record type %u size %u line %u\n",
			  card->name, ev->type, ev->size, ev->line);
}

/* The card's state, then the rings; the caller wakes the readers. */
static void cti_post_locked(struct cti_card *card, const struct cti_event *ev,
			    u64 now, bool wake)
{
	if (ev->type == CTI_EV_LINK_STATE) {
		const struct cti_ev_link_state *ls = (const void *)ev;

		card->link_state = ls->state;
	}
	cti_state_update_locked(card, ev);
	cti_deliver_at_locked(card, ev, now, wake);
}

void cti_card_post(struct cti_card *card, const struct cti_event *ev)
{
	unsigned long flags;

	if (!cti_post_checked(card, ev))
		return;

	spin_lock_irqsave(&card->lock, flags);
	if (!card->dead)
		cti_post_locked(card, ev, ktime_get_ns(), true);
	spin_unlock_irqrestore(&card->lock, flags);
}
EXPORT_SYMBOL_GPL(cti_card_post);

/*
 * A burst under one lock, one clock reading and one wake-up per reader:
 * per record, cti_card_post() pays all three, which is most of what the
 * kernel ring costs beyond a userspace ring (ring_bench's streaming).
 */
void cti_card_post_batch(struct cti_card *card, const void *records,
			 size_t len)
{
	const u8 *p = records;
	unsigned long flags;
	struct cti_file *f;
	u64 now;

	spin_lock_irqsave(&card->lock, flags);
	if (card->dead)
		goto out;
	now = ktime_get_ns();
	while (len >= sizeof(struct cti_event)) {
		const struct cti_event *ev = (const void *)p;

		/* a bad record ends the batch: its size cannot be trusted */
		if (WARN_ONCE(ev->size > len, "cti: %s: record of %u bytes in %zu\n",
			      card->name, ev->size, len) ||
		    !cti_post_checked(card, ev))
			break;
		cti_post_locked(card, ev, now, false);
		p += ev->size;
		len -= ev->size;
	}
	if (p != records)
		list_for_each_entry(f, &card->files, node)
			cti_wake(f);
out:
	spin_unlock_irqrestore(&card->lock, flags);
}
EXPORT_SYMBOL_GPL(cti_card_post_batch);

void cti_card_complete(struct cti_card *card, u64 token, int error, u32 call)
{
	struct cti_request_entry *req;
	unsigned long flags;

	spin_lock_irqsave(&card->lock, flags);
	if (card->dead) {
		/* Unregister has completed everything with -ENODEV. */
		spin_unlock_irqrestore(&card->lock, flags);
		return;
	}
	hash_for_each_possible(card->requests, req, node, token)
		if (req->token == token)
			break;
	if (!req) {
		spin_unlock_irqrestore(&card->lock, flags);
		WARN_ONCE(1, "cti: %s: completion of unknown request %llu\n",
			  card->name, token);
		return;
	}
	hash_del(&req->node);
	if (WARN_ONCE(error > 0 || error < -MAX_ERRNO,
		      "cti: %s: bad completion error %d\n", card->name, error))
		error = -EIO;
	cti_reply_locked(card, req, error, call);
	spin_unlock_irqrestore(&card->lock, flags);
	kfree(req);
}
EXPORT_SYMBOL_GPL(cti_card_complete);
