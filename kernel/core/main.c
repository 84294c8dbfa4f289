// SPDX-License-Identifier: GPL-2.0
/*
 * cti core: module init and exit, the "cti" class and the chardev region.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/srcu.h>

#include "internal.h"

struct class cti_class = {
	.name = "cti",
};

dev_t cti_devt;

/* Guards cti_cards and card->registered; register/unregister/netlink. */
DEFINE_MUTEX(cti_cards_lock);
/* Registered cards by index. */
DEFINE_XARRAY(cti_cards);
/* Read side: every call into a backend's ops; unregister waits for it. */
DEFINE_SRCU(cti_srcu);

static int __init cti_init(void)
{
	int ret;

	ret = class_register(&cti_class);
	if (ret)
		return ret;

	ret = alloc_chrdev_region(&cti_devt, 0, CTI_MINORS, "cti");
	if (ret)
		goto err_class;

	ret = cti_netlink_init();
	if (ret)
		goto err_chrdev;

	return 0;

err_chrdev:
	unregister_chrdev_region(cti_devt, CTI_MINORS);
err_class:
	class_unregister(&cti_class);
	return ret;
}

static void __exit cti_exit(void)
{
	cti_netlink_exit();
	unregister_chrdev_region(cti_devt, CTI_MINORS);
	class_unregister(&cti_class);
}

module_init(cti_init);
module_exit(cti_exit);

MODULE_DESCRIPTION("Computer-telephony integration core");
MODULE_LICENSE("GPL");
