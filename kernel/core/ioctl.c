// SPDX-License-Identifier: GPL-2.0
/*
 * cti core: the ioctls of /dev/ctiN (CTI_IOC_SUBMIT is in submit.c).
 *
 * The numbers are _IO(CTI_IOCTL_MAGIC, nr) and matched whole: they carry
 * no size, so the size field is the one length of an argument and a struct
 * can grow without its number changing (uapi/linux/cti.h explains why).
 *
 * Every argument struct is extensible: it starts with its size. Checked
 * in one order: copy, size, reserved bytes, flags, ranges. A size below
 * the first published one is -EINVAL; a larger one must have a zero tail
 * (copy_struct_from_user() answers -E2BIG otherwise), and a size above a
 * page is -E2BIG whatever the tail. Output structs are
 * written back in min(user size, kernel size) bytes, with size set to the
 * number of bytes filled.
 */
#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internal.h"

/* The ABI: these sizes never change (selftests check them again). */
static_assert(sizeof(struct cti_card_info) == 168);
static_assert(sizeof(struct cti_line_info) == 200);
static_assert(sizeof(struct cti_phone_info) == 72);
static_assert(sizeof(struct cti_request) == 64);
static_assert(sizeof(struct cti_event) == 24);
static_assert(sizeof(struct cti_ev_reply) == 48);
static_assert(sizeof(struct cti_ev_call_state) == 40);
static_assert(sizeof(struct cti_ev_call_info) == 176);
static_assert(sizeof(struct cti_ev_digits) == 64);
static_assert(sizeof(struct cti_ev_line_status) == 72);
static_assert(sizeof(struct cti_ev_phone_hook) == 32);
static_assert(sizeof(struct cti_ev_phone_button) == 32);
static_assert(sizeof(struct cti_ev_link_frame) == 32);
static_assert(sizeof(struct cti_ev_link_state) == 32);
static_assert(sizeof(struct cti_ev_overflow) == 32);
static_assert(sizeof(struct cti_ring_info) == 48);
static_assert(sizeof(struct cti_snapshot) == 48);
static_assert(sizeof(struct cti_line_snapshot) == 56);
static_assert(sizeof(struct cti_call_snapshot) == 88);
static_assert(sizeof(struct cti_event_filter) == 32);

/* First published sizes: a caller may not pass less. */
#define CTI_CARD_INFO_SIZE_VER0		168
#define CTI_LINE_INFO_SIZE_VER0		200
#define CTI_PHONE_INFO_SIZE_VER0	72
#define CTI_RING_INFO_SIZE_VER0		48
#define CTI_SNAPSHOT_SIZE_VER0		48
#define CTI_EVENT_FILTER_SIZE_VER0	32

#define CTI_FEATURES	(CTI_FEAT_RING | CTI_FEAT_READ | CTI_FEAT_SNAPSHOT | \
			 CTI_FEAT_FILTER)
#define CTI_FILTER_VALID_FLAGS	CTI_FILTER_F_LINES
#define CTI_FILTER_VALID_TYPES	(BIT_ULL(CTI_EV_MAX) - 1)

/**
 * cti_copy_struct_in() - copy an extensible argument struct from userspace
 * @dst: kernel struct of @ksize bytes
 * @ksize: the kernel's size of the struct
 * @ver0: the first published size
 * @uarg: the user's struct, starting with __u32 size
 * @usize: out: the user's size
 *
 * Return: 0, -EFAULT, -EINVAL (size too small) or -E2BIG (non-zero tail,
 * or a size above a page).
 */
int cti_copy_struct_in(void *dst, size_t ksize, size_t ver0,
		       const void __user *uarg, u32 *usize)
{
	u32 size;
	int ret;

	if (get_user(size, (const u32 __user *)uarg))
		return -EFAULT;
	if (size < ver0)
		return -EINVAL;
	/*
	 * No struct will ever grow past a page: a larger size is not a newer
	 * caller but a wrong one, and the kernel would otherwise read up to
	 * 4 GiB of user memory for zeros (openat2 and clone3 cap it alike).
	 */
	if (size > PAGE_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(dst, ksize, uarg, size);
	if (ret)
		return ret;
	*usize = size;
	return 0;
}

static int cti_copy_struct_out(void __user *uarg, void *src, size_t ksize,
			       u32 usize)
{
	u32 n = min_t(size_t, ksize, usize);

	*(u32 *)src = n;
	return copy_to_user(uarg, src, n) ? -EFAULT : 0;
}

static int cti_ioc_card_info(struct cti_file *f, void __user *uarg)
{
	struct cti_card *card = f->card;
	struct cti_card_info info;
	u32 usize;
	int ret;

	ret = cti_copy_struct_in(&info, sizeof(info), CTI_CARD_INFO_SIZE_VER0,
				 uarg, &usize);
	if (ret)
		return ret;
	if (info.__reserved)
		return -EINVAL;

	memset(&info, 0, sizeof(info));
	info.index = card->index;
	info.features = CTI_FEATURES;
	info.caps = card->caps;
	info.num_lines = card->num_lines;
	info.num_phones = card->num_phones;
	info.link_state = READ_ONCE(card->link_state);
	strscpy(info.name, card->name, sizeof(info.name));
	strscpy(info.driver, card->driver, sizeof(info.driver));
	strscpy(info.vendor, card->vendor, sizeof(info.vendor));
	strscpy(info.serial, card->serial, sizeof(info.serial));
	return cti_copy_struct_out(uarg, &info, sizeof(info), usize);
}

static int cti_ioc_line_info(struct cti_file *f, void __user *uarg)
{
	struct cti_card *card = f->card;
	const struct cti_line_desc *desc;
	struct cti_line_info info;
	unsigned long flags;
	u32 usize, line, i;
	int ret;

	ret = cti_copy_struct_in(&info, sizeof(info), CTI_LINE_INFO_SIZE_VER0,
				 uarg, &usize);
	if (ret)
		return ret;
	if (memchr_inv(info.__reserved, 0, sizeof(info.__reserved)))
		return -EINVAL;
	line = info.line;
	if (line >= card->num_lines)
		return -ENOENT;

	desc = &card->lines[line];
	memset(&info, 0, sizeof(info));
	info.line = line;
	info.ops = desc->ops;
	info.num_addresses = desc->num_addresses;
	info.max_calls = desc->max_calls;
	strscpy(info.name, desc->name, sizeof(info.name));
	for (i = 0; i < desc->num_addresses; i++)
		strscpy(info.addresses[i], desc->addresses[i],
			sizeof(info.addresses[i]));

	spin_lock_irqsave(&card->lock, flags);
	info.status = card->state[line].status;
	info.num_calls = cti_state_line_calls_locked(card, line);
	spin_unlock_irqrestore(&card->lock, flags);

	return cti_copy_struct_out(uarg, &info, sizeof(info), usize);
}

static int cti_ioc_phone_info(struct cti_file *f, void __user *uarg)
{
	struct cti_card *card = f->card;
	const struct cti_phone_desc *desc;
	struct cti_phone_info info;
	u32 usize, phone;
	int ret;

	ret = cti_copy_struct_in(&info, sizeof(info), CTI_PHONE_INFO_SIZE_VER0,
				 uarg, &usize);
	if (ret)
		return ret;
	if (info.__reserved)
		return -EINVAL;
	phone = info.phone;
	if (phone >= card->num_phones)
		return -ENOENT;

	desc = &card->phones[phone];
	memset(&info, 0, sizeof(info));
	info.phone = phone;
	info.hookswitches = desc->hookswitches;
	info.num_buttons = desc->num_buttons;
	info.num_lamps = desc->num_lamps;
	info.display_rows = desc->display_rows;
	info.display_cols = desc->display_cols;
	info.line = desc->line;
	strscpy(info.name, desc->name, sizeof(info.name));
	return cti_copy_struct_out(uarg, &info, sizeof(info), usize);
}

static int cti_ioc_ring_info(struct cti_file *f, void __user *uarg)
{
	struct cti_ring_info info;
	u32 usize;
	int ret;

	ret = cti_copy_struct_in(&info, sizeof(info), CTI_RING_INFO_SIZE_VER0,
				 uarg, &usize);
	if (ret)
		return ret;
	if (memchr_inv(info.__reserved, 0, sizeof(info.__reserved)))
		return -EINVAL;

	memset(&info, 0, sizeof(info));
	cti_ring_layout(&f->ring, &info);
	return cti_copy_struct_out(uarg, &info, sizeof(info), usize);
}

static int cti_ioc_snapshot(struct cti_file *f, void __user *uarg)
{
	struct cti_card *card = f->card;
	struct cti_line_snapshot *lines = NULL;
	struct cti_call_snapshot *calls = NULL;
	u32 usize, need_calls, max_calls;
	struct cti_snapshot snap;
	unsigned long flags;
	int ret;

	ret = cti_copy_struct_in(&snap, sizeof(snap), CTI_SNAPSHOT_SIZE_VER0,
				 uarg, &usize);
	if (ret)
		return ret;
	if (snap.__reserved)
		return -EINVAL;
	if (snap.flags)
		return -EINVAL;

	/* Sized for the worst case: nothing is allocated under the lock. */
	max_calls = card->num_lines * CTI_MAX_CALLS_PER_LINE;
	if (card->num_lines) {
		lines = kvcalloc(card->num_lines, sizeof(*lines), GFP_KERNEL);
		calls = kvcalloc(max_calls, sizeof(*calls), GFP_KERNEL);
		if (!lines || !calls) {
			ret = -ENOMEM;
			goto out;
		}
	}

	/* Under the card's lock no record reaches the ring: seq matches. */
	spin_lock_irqsave(&card->lock, flags);
	need_calls = cti_state_count_calls_locked(card);
	if (snap.num_lines >= card->num_lines && snap.num_calls >= need_calls)
		cti_state_fill_locked(card, lines, calls);
	snap.seq = f->ring.seq;
	spin_unlock_irqrestore(&card->lock, flags);

	if (snap.num_lines < card->num_lines || snap.num_calls < need_calls) {
		ret = -ENOSPC;
	} else if (copy_to_user(u64_to_user_ptr(snap.lines), lines,
				array_size(card->num_lines, sizeof(*lines))) ||
		   copy_to_user(u64_to_user_ptr(snap.calls), calls,
				array_size(need_calls, sizeof(*calls)))) {
		ret = -EFAULT;
		goto out;
	}
	snap.num_lines = card->num_lines;
	snap.num_calls = need_calls;
	if (cti_copy_struct_out(uarg, &snap, sizeof(snap), usize))
		ret = -EFAULT;
out:
	kvfree(calls);
	kvfree(lines);
	return ret;
}

static int cti_ioc_set_filter(struct cti_file *f, void __user *uarg)
{
	struct cti_card *card = f->card;
	struct cti_event_filter ef;
	struct cti_filter *flt, *old;
	unsigned long flags;
	size_t words;
	u32 usize;
	int ret;

	ret = cti_copy_struct_in(&ef, sizeof(ef), CTI_EVENT_FILTER_SIZE_VER0,
				 uarg, &usize);
	if (ret)
		return ret;
	if (ef.__reserved)
		return -EINVAL;
	if (ef.flags & ~CTI_FILTER_VALID_FLAGS)
		return -EINVAL;
	if (ef.types & ~CTI_FILTER_VALID_TYPES)
		return -EINVAL;
	/* Without the line filter there is no bitmap. */
	if (!(ef.flags & CTI_FILTER_F_LINES) && (ef.num_lines || ef.lines))
		return -EINVAL;
	if (ef.num_lines > round_up(card->num_lines, 64))
		return -EINVAL;

	words = DIV_ROUND_UP(ef.num_lines, 64);
	/* Kept as long as the file: charged to the caller, as the ring. */
	flt = kzalloc(struct_size(flt, lines, words), GFP_KERNEL_ACCOUNT);
	if (!flt)
		return -ENOMEM;
	flt->types = ef.types;
	flt->lines_on = ef.flags & CTI_FILTER_F_LINES;
	flt->num_lines = ef.num_lines;
	if (words && copy_from_user(flt->lines, u64_to_user_ptr(ef.lines),
				    words * sizeof(u64))) {
		kfree(flt);
		return -EFAULT;
	}
	/* Bits past num_lines mean nothing: keep them clear. */
	if (ef.num_lines % 64)
		flt->lines[words - 1] &= BIT_ULL(ef.num_lines % 64) - 1;

	spin_lock_irqsave(&card->lock, flags);
	old = f->filter;
	f->filter = flt;
	spin_unlock_irqrestore(&card->lock, flags);
	kfree(old);
	return 0;
}

long cti_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct cti_file *f = filp->private_data;
	void __user *uarg = (void __user *)arg;

	/* Whole numbers only: a size or direction added to one is ENOTTY. */
	switch (cmd) {
	case CTI_IOC_CARD_INFO:
	case CTI_IOC_LINE_INFO:
	case CTI_IOC_PHONE_INFO:
	case CTI_IOC_SUBMIT:
	case CTI_IOC_RING_INFO:
	case CTI_IOC_SNAPSHOT:
	case CTI_IOC_SET_FILTER:
		break;
	default:
		return -ENOTTY;
	}
	if (READ_ONCE(f->card->dead))
		return -ENODEV;

	switch (cmd) {
	case CTI_IOC_CARD_INFO:
		return cti_ioc_card_info(f, uarg);
	case CTI_IOC_LINE_INFO:
		return cti_ioc_line_info(f, uarg);
	case CTI_IOC_PHONE_INFO:
		return cti_ioc_phone_info(f, uarg);
	case CTI_IOC_SUBMIT:
		/* Watchers may not act on the card. */
		if (!(filp->f_mode & FMODE_WRITE))
			return -EBADF;
		return cti_submit(f, uarg);
	case CTI_IOC_RING_INFO:
		return cti_ioc_ring_info(f, uarg);
	case CTI_IOC_SNAPSHOT:
		return cti_ioc_snapshot(f, uarg);
	default:
		return cti_ioc_set_filter(f, uarg);
	}
}
