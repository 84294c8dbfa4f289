// SPDX-License-Identifier: GPL-2.0
/*
 * cti core: file operations of /dev/ctiN.
 *
 * After the card is unregistered every operation fails with -ENODEV,
 * except that read() still hands out the records left in the ring (the
 * last of which is CARD_REMOVED) and poll() reports them besides
 * EPOLLHUP | EPOLLERR.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/ktime.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "internal.h"

static unsigned long card_ring_limit = SZ_64M;
module_param(card_ring_limit, ulong, 0644);
MODULE_PARM_DESC(card_ring_limit,
		 "bytes of ring memory all open files of one card may pin together; an open past it fails with EBUSY (default 64 MiB)");

/*
 * Take @bytes of the card's ring budget for a new file. Every open pins
 * its ring (up to 16 MiB), so the openers of one card are bounded as a
 * whole, beside the memory cgroup each ring is charged to.
 */
static int cti_card_charge_locked(struct cti_card *card, u32 bytes)
{
	lockdep_assert_held(&card->lock);
	if (card->dead)
		return -ENODEV;
	if (card->ring_bytes + bytes > READ_ONCE(card_ring_limit))
		return -EBUSY;
	card->ring_bytes += bytes;
	return 0;
}

static int cti_open(struct inode *inode, struct file *filp)
{
	struct cti_card *card = container_of(inode->i_cdev, struct cti_card,
					     cdev);
	u32 size = cti_ring_size_param();
	unsigned long flags;
	struct cti_file *f;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	spin_lock_irqsave(&card->lock, flags);
	ret = cti_card_charge_locked(card, cti_ring_bytes(size));
	spin_unlock_irqrestore(&card->lock, flags);
	if (ret)
		goto err_free;
	ret = cti_ring_alloc(&f->ring, size);
	if (ret)
		goto err_uncharge;
	f->ring.card_lost = &card->lost;
	init_waitqueue_head(&f->wait);
	mutex_init(&f->read_lock);
	f->card = card;
	get_device(&card->dev);

	spin_lock_irqsave(&card->lock, flags);
	if (card->dead) {
		spin_unlock_irqrestore(&card->lock, flags);
		ret = -ENODEV;
		goto err_put;
	}
	list_add_tail(&f->node, &card->files);
	spin_unlock_irqrestore(&card->lock, flags);

	filp->private_data = f;
	return stream_open(inode, filp);

err_put:
	put_device(&card->dev);
	cti_ring_free(&f->ring);
err_uncharge:
	spin_lock_irqsave(&card->lock, flags);
	card->ring_bytes -= cti_ring_bytes(size);
	spin_unlock_irqrestore(&card->lock, flags);
err_free:
	kfree(f);
	return ret;
}

static int cti_release(struct inode *inode, struct file *filp)
{
	struct cti_file *f = filp->private_data;
	struct cti_card *card = f->card;
	struct cti_request_entry *req;
	struct cti_filter *filter;
	unsigned long flags;
	unsigned int bkt;

	spin_lock_irqsave(&card->lock, flags);
	list_del(&f->node);
	card->ring_bytes -= cti_ring_bytes(f->ring.size);
	/* Pending requests stay until completed; their REPLY is dropped. */
	hash_for_each(card->requests, bkt, req, node)
		if (req->file == f)
			req->file = NULL;
	filter = f->filter;
	f->filter = NULL;
	spin_unlock_irqrestore(&card->lock, flags);

	kfree(filter);
	cti_ring_free(&f->ring);
	mutex_destroy(&f->read_lock);
	kfree(f);
	put_device(&card->dev);
	return 0;
}

static bool cti_file_dead(struct cti_file *f)
{
	return READ_ONCE(f->card->dead);
}

/*
 * Whether read() is done for good: the card is dead and the ring empty.
 * Both under the card's lock, in one look: unregister sets @dead in the
 * same section that writes the -ENODEV REPLY records and CARD_REMOVED, so
 * a ring that is empty here after @dead has had them read. Looking at @dead
 * alone, after an earlier look found the ring empty, answered ENODEV to a
 * reader whose ring had just received them.
 */
static bool cti_file_drained(struct cti_file *f, bool *pending)
{
	struct cti_card *card = f->card;
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&card->lock, flags);
	*pending = cti_ring_pending(&f->ring);
	ret = card->dead && !*pending;
	spin_unlock_irqrestore(&card->lock, flags);
	return ret;
}

static bool cti_file_readable(struct cti_file *f)
{
	struct cti_card *card = f->card;
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&card->lock, flags);
	ret = cti_ring_pending(&f->ring) || card->dead;
	spin_unlock_irqrestore(&card->lock, flags);
	return ret;
}

static ssize_t cti_read(struct file *filp, char __user *buf, size_t count,
			loff_t *ppos)
{
	struct cti_file *f = filp->private_data;
	ssize_t ret;

	if (count < sizeof(struct cti_event))
		return -EINVAL;

	if (mutex_lock_interruptible(&f->read_lock))
		return -ERESTARTSYS;
	for (;;) {
		bool pending;

		ret = cti_ring_read(&f->ring, &f->card->lock, buf, count);
		if (ret)
			break;
		/* Empty, and after CARD_REMOVED nothing comes any more. */
		if (cti_file_drained(f, &pending)) {
			ret = -ENODEV;
			break;
		}
		if (pending)
			continue;
		if (filp->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		ret = wait_event_interruptible(f->wait, cti_file_readable(f));
		if (ret)
			break;
	}
	mutex_unlock(&f->read_lock);
	return ret;
}

static __poll_t cti_poll(struct file *filp, struct poll_table_struct *wait)
{
	struct cti_file *f = filp->private_data;
	struct cti_card *card = f->card;
	unsigned long flags;
	__poll_t mask = 0;

	poll_wait(filp, &f->wait, wait);

	spin_lock_irqsave(&card->lock, flags);
	/*
	 * An mmap consumer makes room without a system call: poll() is where
	 * the kernel learns of it, so report pending loss here.
	 */
	cti_ring_flush_overflow(&f->ring, ktime_get_ns());
	if (cti_ring_pending(&f->ring))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (card->dead)
		mask |= EPOLLHUP | EPOLLERR;
	spin_unlock_irqrestore(&card->lock, flags);
	return mask;
}

static int cti_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct cti_file *f = filp->private_data;

	if (cti_file_dead(f))
		return -ENODEV;
	return cti_ring_mmap(&f->ring, vma);
}

const struct file_operations cti_fops = {
	.owner = THIS_MODULE,
	.open = cti_open,
	.release = cti_release,
	.read = cti_read,
	.poll = cti_poll,
	.mmap = cti_mmap,
	.unlocked_ioctl = cti_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};
