// SPDX-License-Identifier: GPL-2.0
/*
 * cti core: the per-file event ring.
 *
 * One producer side (the core, under the card's lock, from any context)
 * and one consumer (userspace through mmap, or read()). The mapping is the
 * control page followed by the data area; head and tail are free-running
 * byte counters. The kernel publishes tail with a release store after the
 * record is complete, reads head with an acquire load (so that it does not
 * overwrite what the consumer is still reading) and never trusts it.
 *
 * Room for the CARD_REMOVED record is always kept free, so that it is
 * never lost: ordinary records may not use the last CTI_RING_RESERVE bytes.
 *
 * Loss is never silent: records that do not fit are counted, and the
 * OVERFLOW record with the count is written as soon as room returns,
 * either by the next producer or by the consumer's read() or poll().
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "internal.h"

/* Offsets in the control page; head and tail on their own cache lines. */
#define CTI_RING_HEAD_OFF	0
#define CTI_RING_TAIL_OFF	64
#define CTI_RING_MASK_OFF	128
#define CTI_RING_OVERFLOW_OFF	136
#define CTI_RING_FLAGS_OFF	144
#define CTI_RING_DATA_OFF	PAGE_SIZE

#define CTI_RING_MIN		SZ_4K
#define CTI_RING_MAX		SZ_16M

/*
 * The reserve holds what unregister writes last: the OVERFLOW record of
 * any loss still pending, then CARD_REMOVED, so that a read() user learns
 * of loss just before an unplug too. Records are 8-aligned, so a record
 * of n bytes needs at most n - 8 bytes of PAD before it; the worst case
 * is a PAD of 24 in front of both (80 bytes): a PAD after the OVERFLOW
 * record is then no longer than 16.
 */
#define CTI_RING_OVF_SIZE	sizeof(struct cti_ev_overflow)
#define CTI_RING_RESERVE	(CTI_RING_OVF_SIZE - 8 + CTI_RING_OVF_SIZE + \
				 sizeof(struct cti_event))

static unsigned int ring_size = SZ_64K;
module_param(ring_size, uint, 0644);
MODULE_PARM_DESC(ring_size,
		 "bytes of each file's event ring (rounded up to a power of two, 4 KiB to 16 MiB; default 64 KiB)");

u32 cti_ring_size_param(void)
{
	u32 size = clamp_t(u32, READ_ONCE(ring_size), CTI_RING_MIN,
			   CTI_RING_MAX);

	return roundup_pow_of_two(size);
}

static u32 *cti_ring_word(const struct cti_ring *r, unsigned int off)
{
	return r->buf + off;
}

u32 cti_ring_bytes(u32 size)
{
	return CTI_RING_DATA_OFF + size;
}

/**
 * cti_ring_alloc() - allocate a ring of @size data bytes
 * @r: the ring
 * @size: from cti_ring_size_param()
 *
 * The memory is charged to the opener's memory cgroup
 * (GFP_KERNEL_ACCOUNT): each open pins up to 16 MiB, and a container must
 * pay for what its processes open. It is zeroed, as it is mapped to
 * userspace. vmalloc_user() cannot take GFP flags, so the mapping is made
 * page by page in cti_ring_mmap().
 *
 * Return: 0 or -ENOMEM.
 */
int cti_ring_alloc(struct cti_ring *r, u32 size)
{
	r->buf = __vmalloc(cti_ring_bytes(size),
			   GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!r->buf)
		return -ENOMEM;
	r->data = r->buf + CTI_RING_DATA_OFF;
	r->size = size;
	r->mask = size - 1;
	*cti_ring_word(r, CTI_RING_MASK_OFF) = r->mask;
	return 0;
}

void cti_ring_free(struct cti_ring *r)
{
	vfree(r->buf);
	r->buf = NULL;
}

static void cti_ring_set_flag(struct cti_ring *r, u32 flag)
{
	u32 *flags = cti_ring_word(r, CTI_RING_FLAGS_OFF);

	WRITE_ONCE(*flags, READ_ONCE(*flags) | flag);
}

/*
 * Take the consumer's head if it is valid: 8-aligned and within [the last
 * valid head, tail]. Otherwise keep the old one and flag it.
 */
u32 cti_ring_refresh_head(struct cti_ring *r)
{
	/*
	 * Acquire: pairs with the consumer's release store of head, so the
	 * consumer's reads of the records before it are done before the
	 * producer reuses their bytes.
	 */
	u32 head = smp_load_acquire(cti_ring_word(r, CTI_RING_HEAD_OFF));

	if (head == r->head)
		return head;
	if (head % 8 || head - r->head > r->tail - r->head) {
		cti_ring_set_flag(r, CTI_RING_F_BAD_HEAD);
		return r->head;
	}
	r->head = head;
	return head;
}

bool cti_ring_pending(struct cti_ring *r)
{
	return cti_ring_refresh_head(r) != r->tail;
}

/* Bytes a record of @len takes at @tail, the PAD before it included. */
static u32 cti_ring_need(const struct cti_ring *r, u32 tail, u32 len)
{
	u32 to_end = r->size - (tail & r->mask);

	return to_end < len ? to_end + len : len;
}

/* Put one record at the tail; the caller checked the room. */
static void cti_ring_put(struct cti_ring *r, const struct cti_event *ev,
			 u64 timestamp_ns)
{
	u32 to_end = r->size - (r->tail & r->mask);
	struct cti_event *dst;

	if (to_end < ev->size) {
		/*
		 * The gap may be as small as 8 bytes: a PAD record has only
		 * the type, size and line of the header, never more.
		 */
		dst = (struct cti_event *)(r->data + (r->tail & r->mask));
		dst->type = CTI_EV_PAD;
		dst->size = to_end;
		dst->line = CTI_LINE_NONE;
		r->tail += to_end;
	}
	dst = (struct cti_event *)(r->data + (r->tail & r->mask));
	memcpy(dst, ev, ev->size);
	dst->seq = ++r->seq;
	dst->timestamp_ns = timestamp_ns;
	r->tail += ev->size;
}

static void cti_ring_lose(struct cti_ring *r)
{
	u64 *overflow = (u64 *)cti_ring_word(r, CTI_RING_OVERFLOW_OFF);

	r->lost_pending++;
	r->lost_total++;
	WRITE_ONCE(*overflow, r->lost_total);
	if (r->card_lost)
		atomic64_inc(r->card_lost);
}

/**
 * cti_ring_write() - write one record into a ring
 * @r: the ring
 * @ev: the record, @ev->size bytes; seq and timestamp are filled here
 * @timestamp_ns: the timestamp
 * @last: this is CARD_REMOVED: it may use the reserve, nothing follows
 *
 * A record that does not fit is counted as lost; an OVERFLOW record with
 * the count goes in before the next record that fits with it, or earlier
 * when the consumer makes room (cti_ring_flush_overflow()).
 * Context: any; the card's lock held.
 *
 * Return: whether the record was written.
 */
bool cti_ring_write(struct cti_ring *r, const struct cti_event *ev,
		    u64 timestamp_ns, bool last)
{
	u32 reserve = last ? 0 : CTI_RING_RESERVE;
	u32 head, free, need, ovf_need = 0;
	struct cti_ev_overflow ovf;

	if (r->removed)
		return false;

	head = cti_ring_refresh_head(r);
	free = r->size - (r->tail - head);
	if (r->lost_pending)
		ovf_need = cti_ring_need(r, r->tail, sizeof(ovf));
	need = ovf_need + cti_ring_need(r, r->tail + ovf_need, ev->size);

	if (need + reserve > free) {
		/* CARD_REMOVED alone always fits in the reserve. */
		if (!last || cti_ring_need(r, r->tail, ev->size) > free) {
			cti_ring_lose(r);
			return false;
		}
		ovf_need = 0;
	}

	if (ovf_need) {
		memset(&ovf, 0, sizeof(ovf));
		ovf.hdr.type = CTI_EV_OVERFLOW;
		ovf.hdr.size = sizeof(ovf);
		ovf.hdr.line = CTI_LINE_NONE;
		ovf.lost = r->lost_pending;
		cti_ring_put(r, &ovf.hdr, timestamp_ns);
		r->lost_pending = 0;
	}
	cti_ring_put(r, ev, timestamp_ns);

	if (last) {
		r->removed = true;
		cti_ring_set_flag(r, CTI_RING_F_REMOVED);
	}
	/*
	 * Release: the records are complete before the consumer can see the
	 * tail (pairs with its acquire load of tail).
	 */
	smp_store_release(cti_ring_word(r, CTI_RING_TAIL_OFF), r->tail);
	return true;
}

/**
 * cti_ring_flush_overflow() - report pending loss as soon as room returns
 * @r: the ring
 * @timestamp_ns: the timestamp of the OVERFLOW record
 *
 * The producer writes the OVERFLOW record only in front of the next record
 * that fits with it. A consumer that drained a full ring would then see no
 * loss until some new event came, perhaps never; so the consumer's side
 * (read() once it moved the head, poll()) calls this to write the record
 * right away. Like every producer it keeps the reserve for CARD_REMOVED.
 * Context: process; the card's lock held.
 *
 * Return: whether an OVERFLOW record was written.
 */
bool cti_ring_flush_overflow(struct cti_ring *r, u64 timestamp_ns)
{
	struct cti_ev_overflow ovf;
	u32 head, free;

	if (!r->lost_pending || r->removed)
		return false;
	head = cti_ring_refresh_head(r);
	free = r->size - (r->tail - head);
	if (cti_ring_need(r, r->tail, sizeof(ovf)) + CTI_RING_RESERVE > free)
		return false;

	memset(&ovf, 0, sizeof(ovf));
	ovf.hdr.type = CTI_EV_OVERFLOW;
	ovf.hdr.size = sizeof(ovf);
	ovf.hdr.line = CTI_LINE_NONE;
	ovf.lost = r->lost_pending;
	cti_ring_put(r, &ovf.hdr, timestamp_ns);
	r->lost_pending = 0;
	/* Release: as in cti_ring_write(). */
	smp_store_release(cti_ring_word(r, CTI_RING_TAIL_OFF), r->tail);
	return true;
}

/**
 * cti_ring_read() - copy whole records to userspace
 * @r: the ring
 * @lock: the card's lock, which guards the ring's positions
 * @buf: user buffer
 * @count: its size
 *
 * Consumes the records it copies, and PAD records on the way; then, as
 * room has returned, writes the OVERFLOW record of any pending loss.
 * Context: process; the caller serialises readers.
 *
 * Return: bytes copied; 0 if the ring is empty; -EINVAL if the next
 * record does not fit @count; -EFAULT; -EIO if the records in the ring
 * were corrupted through the mapping (they are skipped).
 */
ssize_t cti_ring_read(struct cti_ring *r, spinlock_t *lock,
		      char __user *buf, size_t count)
{
	unsigned long flags;
	u32 head, tail, pos;
	ssize_t copied = 0;
	int err = 0;

	spin_lock_irqsave(lock, flags);
	head = cti_ring_refresh_head(r);
	tail = r->tail;
	spin_unlock_irqrestore(lock, flags);

	/*
	 * [head, tail) belongs to the consumer: the producer does not write
	 * there. Userspace may scribble on it through the mapping, so every
	 * size read from it is checked before use.
	 */
	for (pos = head; pos != tail; ) {
		const struct cti_event *ev = (const void *)(r->data +
							   (pos & r->mask));
		u32 off = pos & r->mask;
		u16 type = READ_ONCE(ev->type);
		u16 size = READ_ONCE(ev->size);

		/* Only a PAD may be shorter than a header: 8 bytes at least. */
		if (size < (type == CTI_EV_PAD ? 8 : sizeof(*ev)) ||
		    size % 8 || size > tail - pos || size > r->size - off) {
			/* Garbage: drop everything up to the tail. */
			pos = tail;
			if (!copied)
				err = -EIO;
			break;
		}
		if (type == CTI_EV_PAD) {
			pos += size;
			continue;
		}
		if (size > count - copied) {
			if (!copied)
				err = -EINVAL;
			break;
		}
		if (copy_to_user(buf + copied, ev, size)) {
			if (!copied)
				err = -EFAULT;
			break;
		}
		copied += size;
		pos += size;
	}

	spin_lock_irqsave(lock, flags);
	/* Only if no mmap consumer moved it meanwhile. */
	if (r->head == head) {
		r->head = pos;
		/* Release: our reads of the records precede the new head. */
		smp_store_release(cti_ring_word(r, CTI_RING_HEAD_OFF), pos);
	}
	cti_ring_flush_overflow(r, ktime_get_ns());
	spin_unlock_irqrestore(lock, flags);

	return copied ? copied : err;
}

void cti_ring_layout(const struct cti_ring *r, struct cti_ring_info *info)
{
	info->ring_size = r->size;
	info->mmap_size = cti_ring_bytes(r->size);
	info->head_off = CTI_RING_HEAD_OFF;
	info->tail_off = CTI_RING_TAIL_OFF;
	info->mask_off = CTI_RING_MASK_OFF;
	info->overflow_off = CTI_RING_OVERFLOW_OFF;
	info->flags_off = CTI_RING_FLAGS_OFF;
	info->data_off = CTI_RING_DATA_OFF;
}

/* vm_flags_mod() came in 6.3, when vm_flags became read-only (Kbuild). */
#ifndef CTI_HAVE_VM_FLAGS_MOD
static void cti_vma_flags(struct vm_area_struct *vma, unsigned long set,
			  unsigned long clear)
{
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
}
#else
static void cti_vma_flags(struct vm_area_struct *vma, vm_flags_t set,
			  vm_flags_t clear)
{
	vm_flags_mod(vma, set, clear);
}
#endif

/**
 * cti_ring_mmap() - map the ring: offset 0, shared, never executable
 * @r: the ring
 * @vma: the mapping
 *
 * Return: 0; -EINVAL for another offset, a longer or a private mapping;
 * -EPERM for PROT_EXEC (and VM_MAYEXEC is cleared, so that mprotect()
 * cannot add it: -EACCES); or vm_insert_page()'s error.
 */
int cti_ring_mmap(struct cti_ring *r, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	unsigned long off;
	int ret;

	if (vma->vm_pgoff || len > cti_ring_bytes(r->size))
		return -EINVAL;
	/* A private copy would hide the consumer's head from the kernel. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	/* Records are data that userspace writes to as well: never code. */
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	/* As remap_vmalloc_range(): the mapping cannot grow, is not dumped. */
	cti_vma_flags(vma, VM_DONTEXPAND | VM_DONTDUMP, VM_MAYEXEC);
	for (off = 0; off < len; off += PAGE_SIZE) {
		ret = vm_insert_page(vma, vma->vm_start + off,
				     vmalloc_to_page(r->buf + off));
		if (ret)
			return ret;
	}
	return 0;
}
