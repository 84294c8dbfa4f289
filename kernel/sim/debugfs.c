// SPDX-License-Identifier: GPL-2.0
/*
 * cti_sim: the run-time controls of a simulated card, in debugfs.
 *
 *   /sys/kernel/debug/cti_sim/NAME/inbound	the far end calls a line
 *   /sys/kernel/debug/cti_sim/NAME/far_hangup	the far end hangs up
 *   /sys/kernel/debug/cti_sim/NAME/far_digits	the far end sends DTMF
 *   /sys/kernel/debug/cti_sim/NAME/fail_next	refuse the next submits
 *   /sys/kernel/debug/cti_sim/NAME/link		take the link down or up
 *   /sys/kernel/debug/cti_sim/NAME/flood		post records as fast as can be
 *   /sys/kernel/debug/cti_sim/NAME/button	press or release a phone button
 *
 * configfs holds what a card *is* (its properties, kept and listed); these
 * files are what a test *does* to a card while it runs: one-shot events
 * and fault injection, the way netdevsim keeps its faults in debugfs. They
 * are test hooks, not an ABI, and debugfs says so.
 *
 * Lifetime: the directory is made with the card's configfs directory and
 * removed first thing at its rmdir, before anything the files reference is
 * torn down. debugfs_remove_recursive() waits for handlers that are running
 * and makes later calls on files still open fail with -EIO, so no handler
 * ever sees a freed card. A handler may still race with going live or not,
 * which it handles under @cfg_lock or @lock as the configfs side does.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "sim.h"

/* Longest write a control accepts: "LINE CALLER" or "CALL DIGITS". */
#define SIM_DBG_WRITE_MAX	128

static struct dentry *sim_dbg_root;

/* ---- fault injection -------------------------------------------------- */

static int sim_fail_next_show(struct sim_dev *sd, char *buf, size_t size)
{
	int err;
	u32 n;

	spin_lock(&sd->lock);
	n = sd->fail_count;
	err = n ? sd->fail_errno : 0;
	spin_unlock(&sd->lock);
	return scnprintf(buf, size, "%u %d\n", n, err);
}

static int sim_fail_next_store(struct sim_dev *sd, char *buf)
{
	u32 n, err;
	int ret;

	ret = sim_parse_u32(sim_token(&buf), &n);
	if (!ret)
		ret = sim_parse_u32(sim_token(&buf), &err);
	if (ret || sim_token(&buf) || !err || err > MAX_ERRNO)
		return -EINVAL;
	spin_lock(&sd->lock);
	sd->fail_count = n;
	sd->fail_errno = err;
	spin_unlock(&sd->lock);
	return 0;
}

static int sim_link_show(struct sim_dev *sd, char *buf, size_t size)
{
	return scnprintf(buf, size, "%s\n",
			 READ_ONCE(sd->link_down) ? "down" : "up");
}

static int sim_link_store(struct sim_dev *sd, char *buf)
{
	bool down;
	int ret = 0;

	if (sysfs_streq(buf, "up"))
		down = false;
	else if (sysfs_streq(buf, "down"))
		down = true;
	else
		return -EINVAL;
	/* @cfg_lock: the card does not go live or not in between. */
	mutex_lock(&sd->cfg_lock);
	spin_lock(&sd->lock);
	sd->link_down = down;
	spin_unlock(&sd->lock);
	/* The LINK_STATE record comes from the worker, like every event. */
	if (sd->live)
		ret = sim_queue_action(sd, SIM_ACT_LINK, 0, 0,
				       down ? CTI_LINK_DOWN : CTI_LINK_UP,
				       NULL);
	mutex_unlock(&sd->cfg_lock);
	return ret;
}

static int sim_flood_show(struct sim_dev *sd, char *buf, size_t size)
{
	return scnprintf(buf, size, "%d\n", atomic_read(&sd->flood_left));
}

/* "N" (binary digits) or "N dtmf" (DTMF symbols): see sim_flood_digits(). */
static int sim_flood_store(struct sim_dev *sd, char *buf)
{
	char *kind = strim(buf);
	char *num = strsep(&kind, " ");
	bool dtmf = false;
	u32 n;
	int ret;

	ret = kstrtou32(num, 10, &n);
	if (ret)
		return ret;
	if (!n || n > SIM_FLOOD_MAX)
		return -EINVAL;
	if (kind) {
		if (strcmp(skip_spaces(kind), "dtmf"))
			return -EINVAL;
		dtmf = true;
	}
	/* -ENODEV unless live: @running is set and cleared under @lock. */
	return sim_flood_start(sd, n, dtmf);
}

/* ---- the far end's actions -------------------------------------------- */

/*
 * An action on the live card's far end, run at once: -ENODEV when the card
 * is not live, -EOPNOTSUPP for a link-only card, -ENOENT for a line or
 * call it does not have, -EINVAL for a call without an outside party.
 */
static int sim_live_action(struct sim_dev *sd, u32 act, u32 arg,
			   const char *text)
{
	int ret;

	/* @cfg_lock: the card does not go live or not in between. */
	mutex_lock(&sd->cfg_lock);
	ret = sd->live ? 0 : -ENODEV;
	if (!ret && sd->mode == SIM_MODE_LINK)
		ret = -EOPNOTSUPP;
	if (!ret && act == SIM_FAR_ACT_INBOUND && arg >= sd->num_lines)
		ret = -ENOENT;
	if (!ret)
		ret = sim_far_action(sd, act, arg, text);
	mutex_unlock(&sd->cfg_lock);
	return ret;
}

static int sim_inbound_store(struct sim_dev *sd, char *buf)
{
	char *caller;
	u32 line;
	int ret;

	ret = sim_parse_u32(sim_token(&buf), &line);
	caller = sim_token(&buf);
	if (ret || !caller || sim_token(&buf) || !sim_number_ok(caller, true))
		return -EINVAL;
	return sim_live_action(sd, SIM_FAR_ACT_INBOUND, line, caller);
}

static int sim_far_hangup_store(struct sim_dev *sd, char *buf)
{
	u32 call;

	if (kstrtou32(buf, 10, &call) || !call)
		return -EINVAL;
	return sim_live_action(sd, SIM_FAR_ACT_HANGUP, call, NULL);
}

static int sim_far_digits_store(struct sim_dev *sd, char *buf)
{
	char *digits;
	u32 call;
	int ret;

	ret = sim_parse_u32(sim_token(&buf), &call);
	digits = sim_token(&buf);
	if (ret || !call || !digits || sim_token(&buf) ||
	    !sim_dtmf_string_ok(digits))
		return -EINVAL;
	return sim_live_action(sd, SIM_FAR_ACT_DIGITS, call, digits);
}

/*
 * "LINE BUTTON 1|0": a person presses (1) or releases (0) a button of the
 * phone of LINE. -ENODEV when not live, -EOPNOTSUPP for a link-only card,
 * -ENOENT for a line without a phone, -EINVAL for a bad button or state.
 */
static int sim_button_store(struct sim_dev *sd, char *buf)
{
	u32 line, button, pressed;
	int ret;

	ret = sim_parse_u32(sim_token(&buf), &line);
	if (!ret)
		ret = sim_parse_u32(sim_token(&buf), &button);
	if (!ret)
		ret = sim_parse_u32(sim_token(&buf), &pressed);
	if (ret || sim_token(&buf) || pressed > 1)
		return -EINVAL;
	/* @cfg_lock: the card does not go live or not in between. */
	mutex_lock(&sd->cfg_lock);
	ret = sd->live ? 0 : -ENODEV;
	if (!ret && sd->mode == SIM_MODE_LINK)
		ret = -EOPNOTSUPP;
	if (!ret)
		ret = sim_phone_button(sd, line, button, pressed);
	mutex_unlock(&sd->cfg_lock);
	return ret;
}

/* ---- the files -------------------------------------------------------- */

/**
 * struct sim_dbg_attr - what one control file does
 * @name: the file's name
 * @show: format the value into a buffer (NULL: write-only)
 * @store: act on a NUL-terminated write; 0 or a negative errno
 */
struct sim_dbg_attr {
	const char *name;
	int (*show)(struct sim_dev *sd, char *buf, size_t size);
	int (*store)(struct sim_dev *sd, char *buf);
};

static const struct sim_dbg_attr sim_dbg_attrs[] = {
	{ "fail_next", sim_fail_next_show, sim_fail_next_store },
	{ "link", sim_link_show, sim_link_store },
	{ "flood", sim_flood_show, sim_flood_store },
	{ "inbound", NULL, sim_inbound_store },
	{ "far_hangup", NULL, sim_far_hangup_store },
	{ "far_digits", NULL, sim_far_digits_store },
	{ "button", NULL, sim_button_store },
};

static_assert(ARRAY_SIZE(sim_dbg_attrs) == SIM_DBG_FILES);

/* What an open file acts on: its &struct sim_dbg_file (the inode's). */
static struct sim_dbg_file *sim_dbg_file(struct file *file)
{
	return file->private_data;
}

static ssize_t sim_dbg_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct sim_dbg_file *df = sim_dbg_file(file);
	char buf[32];
	int len;

	if (!df->attr->show)
		return -EINVAL;
	len = df->attr->show(df->sd, buf, sizeof(buf));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

/* Each write is one whole command, as with a sysfs attribute. */
static ssize_t sim_dbg_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct sim_dbg_file *df = sim_dbg_file(file);
	char *buf;
	int ret;

	if (!df->attr->store)
		return -EINVAL;
	if (!count || count > SIM_DBG_WRITE_MAX)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = df->attr->store(df->sd, buf);
	kfree(buf);
	return ret ?: count;
}

static const struct file_operations sim_dbg_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_dbg_read,
	.write = sim_dbg_write,
	.llseek = default_llseek,
};

/*
 * Make the card's control directory; called at mkdir. A card without one
 * (debugfs disabled, or out of memory) still works, without its controls:
 * debugfs failures are not errors for its users.
 */
void sim_debugfs_add(struct sim_dev *sd)
{
	const struct sim_dbg_attr *a;
	size_t i;

	sd->dbg_dir = debugfs_create_dir(config_item_name(&sd->group.cg_item),
					 sim_dbg_root);
	for (i = 0; i < SIM_DBG_FILES; i++) {
		a = &sim_dbg_attrs[i];
		sd->dbg_files[i].sd = sd;
		sd->dbg_files[i].attr = a;
		debugfs_create_file(a->name, a->show ? 0600 : 0200,
				    sd->dbg_dir, &sd->dbg_files[i],
				    &sim_dbg_fops);
	}
}

/*
 * Remove the card's control directory; called at rmdir before the card is
 * unregistered or freed. Waits for handlers that are running; files still
 * open answer -EIO from now on. Must not be called with @cfg_lock held
 * (the handlers take it).
 */
void sim_debugfs_remove(struct sim_dev *sd)
{
	debugfs_remove_recursive(sd->dbg_dir);
	sd->dbg_dir = NULL;
}

void sim_debugfs_init(void)
{
	sim_dbg_root = debugfs_create_dir("cti_sim", NULL);
}

void sim_debugfs_exit(void)
{
	debugfs_remove_recursive(sim_dbg_root);
}
