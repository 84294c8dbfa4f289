// SPDX-License-Identifier: GPL-2.0
/*
 * cti core: card allocation, registration, unregistration and lifetime.
 *
 * The card's struct device refcount is the card's refcount: the backend
 * holds one from cti_card_alloc() to cti_card_put(), every open file holds
 * one, and so does a queued link-state work item. The release frees only
 * what the core allocated; nothing of the backend's is touched then.
 */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/string.h>

#include "internal.h"

static DEFINE_IDA(cti_minors);

#define CTI_CAPS_VALID	(CTI_CARD_CAP_CALL_CONTROL | CTI_CARD_CAP_LINK | \
			 CTI_CARD_CAP_PHONES)
#define CTI_OPS_VALID	(BIT_ULL(CTI_CMD_MAX) - 1)
#define CTI_HOOKSWITCHES_VALID	(CTI_HOOKSWITCH_HANDSET | \
				 CTI_HOOKSWITCH_SPEAKER | \
				 CTI_HOOKSWITCH_HEADSET)

static void cti_card_release(struct device *dev)
{
	struct cti_card *card = cti_card_from_dev(dev);

	WARN_ON(!hash_empty(card->requests));
	WARN_ON(card->ring_bytes);
	/*
	 * The minor is free only now that no file of the card is open: a
	 * device node that outlived the card (on disk, in a container) must
	 * not reach another card while a file of this one still holds it.
	 * The cdev, whose kobject holds this device, is gone by now, so no
	 * inode caches it any more.
	 */
	if (card->index >= 0)
		ida_free(&cti_minors, card->index);
	kfree(card->state);
	kfree(card->phones);
	kfree(card->lines);
	kfree(card);
}

static void cti_link_work(struct work_struct *work)
{
	struct cti_card *card = container_of(work, struct cti_card, link_work);

	mutex_lock(&cti_cards_lock);
	if (card->registered) {
		sysfs_notify(&card->dev.kobj, NULL, "link_state");
		cti_netlink_notify(card, CTI_NL_CMD_LINK_STATE);
	}
	mutex_unlock(&cti_cards_lock);
	put_device(&card->dev);
}

/*
 * Names reach sysfs, netlink and logs: printable ASCII only, so that no
 * newline forges a line of output and no control character reaches a
 * terminal.
 */
static bool cti_string_ok(const char *s, size_t max)
{
	size_t i, len = strnlen(s, max);

	if (len == max)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

static int cti_copy_name(char *dst, const char *src, bool may_be_empty)
{
	if (!src)
		src = "";
	if (!may_be_empty && !*src)
		return -EINVAL;
	if (!cti_string_ok(src, CTI_NAME_MAX))
		return -EINVAL;
	strscpy(dst, src, CTI_NAME_MAX);
	return 0;
}

static int cti_check_lines(const struct cti_card_desc *desc)
{
	u32 i, j;

	if (desc->num_lines > CTI_MAX_LINES ||
	    (desc->num_lines && !desc->lines))
		return -EINVAL;
	for (i = 0; i < desc->num_lines; i++) {
		const struct cti_line_desc *l = &desc->lines[i];

		if (!cti_string_ok(l->name, CTI_NAME_MAX) ||
		    l->num_addresses > CTI_MAX_ADDRESSES ||
		    (l->ops & ~CTI_OPS_VALID) ||
		    l->max_calls < 1 ||
		    l->max_calls > CTI_MAX_CALLS_PER_LINE)
			return -EINVAL;
		for (j = 0; j < l->num_addresses; j++)
			if (!cti_string_ok(l->addresses[j], CTI_NUMBER_MAX))
				return -EINVAL;
	}
	return 0;
}

static int cti_check_phones(const struct cti_card_desc *desc)
{
	u32 i;

	if (desc->num_phones > CTI_MAX_PHONES ||
	    (desc->num_phones && !desc->phones))
		return -EINVAL;
	for (i = 0; i < desc->num_phones; i++) {
		const struct cti_phone_desc *p = &desc->phones[i];

		if (!cti_string_ok(p->name, CTI_NAME_MAX) ||
		    (p->hookswitches & ~CTI_HOOKSWITCHES_VALID) ||
		    p->display_cols > CTI_DISPLAY_MAX ||
		    (p->line != CTI_LINE_NONE && p->line >= desc->num_lines))
			return -EINVAL;
	}
	return 0;
}

struct cti_card *cti_card_alloc(struct device *parent,
				const struct cti_card_ops *ops,
				const struct cti_card_desc *desc,
				size_t priv_size)
{
	struct cti_card *card;
	int ret;

	if (!ops || !ops->submit || !desc || (desc->caps & ~CTI_CAPS_VALID))
		return ERR_PTR(-EINVAL);
	ret = cti_check_lines(desc);
	if (ret)
		return ERR_PTR(ret);
	ret = cti_check_phones(desc);
	if (ret)
		return ERR_PTR(ret);

	card = kzalloc(struct_size(card, priv, priv_size), GFP_KERNEL);
	if (!card)
		return ERR_PTR(-ENOMEM);

	card->ops = ops;
	card->index = -1;
	spin_lock_init(&card->lock);
	atomic64_set(&card->lost, 0);
	INIT_LIST_HEAD(&card->files);
	hash_init(card->requests);
	INIT_WORK(&card->link_work, cti_link_work);
	card->link_state = CTI_LINK_UP;

	device_initialize(&card->dev);
	card->dev.class = &cti_class;
	card->dev.parent = parent;
	card->dev.groups = cti_card_groups;
	card->dev.release = cti_card_release;

	/* From here on, put_device() frees everything through the release. */
	ret = cti_copy_name(card->name, desc->name, false);
	if (!ret)
		ret = cti_copy_name(card->driver, desc->driver, false);
	if (!ret)
		ret = cti_copy_name(card->vendor, desc->vendor, true);
	if (!ret)
		ret = cti_copy_name(card->serial, desc->serial, true);
	if (ret)
		goto err_put;

	card->caps = desc->caps;
	card->num_lines = desc->num_lines;
	card->num_phones = desc->num_phones;
	ret = -ENOMEM;
	if (desc->num_lines) {
		card->lines = kmemdup(desc->lines,
				      array_size(desc->num_lines,
						 sizeof(*desc->lines)),
				      GFP_KERNEL);
		if (!card->lines)
			goto err_put;
	}
	if (desc->num_phones) {
		card->phones = kmemdup(desc->phones,
				       array_size(desc->num_phones,
						  sizeof(*desc->phones)),
				       GFP_KERNEL);
		if (!card->phones)
			goto err_put;
	}
	ret = cti_state_alloc(card);
	if (ret)
		goto err_put;

	return card;

err_put:
	put_device(&card->dev);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(cti_card_alloc);

void *cti_card_priv(struct cti_card *card)
{
	return card->priv;
}
EXPORT_SYMBOL_GPL(cti_card_priv);

static bool cti_name_taken(const char *name)
{
	struct cti_card *other;
	unsigned long idx;

	lockdep_assert_held(&cti_cards_lock);
	xa_for_each(&cti_cards, idx, other)
		if (!strcmp(other->name, name))
			return true;
	return false;
}

int cti_card_register(struct cti_card *card)
{
	int index, ret;

	mutex_lock(&cti_cards_lock);
	if (card->registered || card->dead) {
		ret = -EINVAL;
		goto err_unlock;
	}
	if (cti_name_taken(card->name)) {
		ret = -EEXIST;
		goto err_unlock;
	}
	index = ida_alloc_max(&cti_minors, CTI_MINORS - 1, GFP_KERNEL);
	if (index < 0) {
		ret = index;
		goto err_unlock;
	}
	ret = xa_insert(&cti_cards, index, card, GFP_KERNEL);
	if (ret)
		goto err_ida;

	card->index = index;
	card->dev.devt = MKDEV(MAJOR(cti_devt), index);
	ret = dev_set_name(&card->dev, "cti%d", index);
	if (ret)
		goto err_xa;

	cdev_init(&card->cdev, &cti_fops);
	card->cdev.owner = THIS_MODULE;
	ret = cdev_device_add(&card->cdev, &card->dev);
	if (ret)
		goto err_xa;

	card->registered = true;
	cti_netlink_notify(card, CTI_NL_CMD_CARD_ADDED);
	mutex_unlock(&cti_cards_lock);
	return 0;

err_xa:
	xa_erase(&cti_cards, index);
err_ida:
	ida_free(&cti_minors, index);
	card->index = -1;
err_unlock:
	mutex_unlock(&cti_cards_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(cti_card_register);

void cti_card_unregister(struct cti_card *card)
{
	struct cti_request_entry *req;
	struct hlist_node *tmp;
	struct cti_file *f;
	unsigned long flags;
	unsigned int bkt;

	/* No new opens: the node and the sysfs directory go first. */
	mutex_lock(&cti_cards_lock);
	if (WARN_ON(!card->registered)) {
		mutex_unlock(&cti_cards_lock);
		return;
	}
	cdev_device_del(&card->cdev, &card->dev);
	/*
	 * device_del() dropped the parent's reference; the backend may free
	 * its parent device now, while files keep the card alive.
	 */
	card->dev.parent = NULL;
	xa_erase(&cti_cards, card->index);
	card->registered = false;
	mutex_unlock(&cti_cards_lock);

	/*
	 * No new submit: a submit checks @detaching inside its read section,
	 * so once the grace period ends no op runs and none will start.
	 */
	WRITE_ONCE(card->detaching, true);
	synchronize_srcu(&cti_srcu);

	if (card->ops->cancel_all)
		card->ops->cancel_all(card);

	spin_lock_irqsave(&card->lock, flags);
	card->dead = true;
	hash_for_each_safe(card->requests, bkt, tmp, req, node) {
		hash_del(&req->node);
		cti_reply_locked(card, req, -ENODEV, CTI_CALL_NONE);
		kfree(req);
	}
	list_for_each_entry(f, &card->files, node) {
		struct cti_event ev = {
			.type = CTI_EV_CARD_REMOVED,
			.size = sizeof(ev),
			.line = CTI_LINE_NONE,
		};

		cti_ring_write(&f->ring, &ev, ktime_get_ns(), true);
	}
	cti_wake_all_locked(card);
	spin_unlock_irqrestore(&card->lock, flags);

	/* @dead is set: no new work is queued; drop the one pending. */
	if (cancel_work_sync(&card->link_work))
		put_device(&card->dev);

	mutex_lock(&cti_cards_lock);
	cti_netlink_notify(card, CTI_NL_CMD_CARD_REMOVED);
	mutex_unlock(&cti_cards_lock);
	/* The minor stays taken until the release: see cti_card_release(). */
}
EXPORT_SYMBOL_GPL(cti_card_unregister);

void cti_card_put(struct cti_card *card)
{
	if (card)
		put_device(&card->dev);
}
EXPORT_SYMBOL_GPL(cti_card_put);

void cti_card_set_link_state(struct cti_card *card, enum cti_link_state state)
{
	struct cti_ev_link_state ev = {
		.hdr.type = CTI_EV_LINK_STATE,
		.hdr.size = sizeof(ev),
		.hdr.line = CTI_LINE_NONE,
		.state = state,
	};
	unsigned long flags;

	if (WARN_ONCE(state != CTI_LINK_DOWN && state != CTI_LINK_UP,
		      "cti: bad link state %d\n", state))
		return;

	spin_lock_irqsave(&card->lock, flags);
	if (card->dead || card->link_state == state) {
		spin_unlock_irqrestore(&card->lock, flags);
		return;
	}
	card->link_state = state;
	cti_deliver_locked(card, &ev.hdr);
	/*
	 * Netlink and sysfs_notify sleep: leave them to a work item, which
	 * holds a reference. Queued under @lock, so that unregister, which
	 * sets @dead under it, can cancel the last one.
	 */
	get_device(&card->dev);
	if (!schedule_work(&card->link_work))
		put_device(&card->dev);
	spin_unlock_irqrestore(&card->lock, flags);
}
EXPORT_SYMBOL_GPL(cti_card_set_link_state);

/* sysfs attributes of /sys/class/cti/ctiN */

static ssize_t name_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", cti_card_from_dev(dev)->name);
}
static DEVICE_ATTR_RO(name);

static ssize_t driver_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", cti_card_from_dev(dev)->driver);
}
static DEVICE_ATTR_RO(driver);

static ssize_t vendor_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", cti_card_from_dev(dev)->vendor);
}
static DEVICE_ATTR_RO(vendor);

static ssize_t serial_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", cti_card_from_dev(dev)->serial);
}
static DEVICE_ATTR_RO(serial);

static ssize_t lines_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", cti_card_from_dev(dev)->num_lines);
}
static DEVICE_ATTR_RO(lines);

static ssize_t phones_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", cti_card_from_dev(dev)->num_phones);
}
static DEVICE_ATTR_RO(phones);

static ssize_t caps_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "0x%llx\n", cti_card_from_dev(dev)->caps);
}
static DEVICE_ATTR_RO(caps);

static ssize_t link_state_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	u32 state = READ_ONCE(cti_card_from_dev(dev)->link_state);

	return sysfs_emit(buf, "%s\n", state == CTI_LINK_UP ? "up" : "down");
}
static DEVICE_ATTR_RO(link_state);

/* Records lost to ring overflow over all files, as netlink's CARD_LOST. */
static ssize_t lost_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&cti_card_from_dev(dev)->lost));
}
static DEVICE_ATTR_RO(lost);

static struct attribute *cti_card_attrs[] = {
	&dev_attr_name.attr,
	&dev_attr_driver.attr,
	&dev_attr_vendor.attr,
	&dev_attr_serial.attr,
	&dev_attr_lines.attr,
	&dev_attr_phones.attr,
	&dev_attr_caps.attr,
	&dev_attr_link_state.attr,
	&dev_attr_lost.attr,
	NULL,
};

static const struct attribute_group cti_card_group = {
	.attrs = cti_card_attrs,
};

const struct attribute_group *cti_card_groups[] = {
	&cti_card_group,
	NULL,
};
