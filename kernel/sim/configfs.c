// SPDX-License-Identifier: GPL-2.0
/*
 * cti_sim: simulated CTI cards, made at run time through configfs.
 *
 *   mkdir /sys/kernel/config/cti_sim/NAME	a card, not live yet
 *   echo 8 > .../NAME/num_lines		configure it
 *   echo 1 > .../NAME/live			/dev/ctiN appears
 *   rmdir .../NAME				unregister (if live) and remove
 *
 * Card properties live here; the run-time actions and fault knobs are in
 * debugfs (debugfs.c). kernel/sim/README.md describes every attribute and
 * the switch.
 */
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

LIST_HEAD(sim_devs);
DEFINE_SPINLOCK(sim_devs_lock);
static DEFINE_IDA(sim_ids);

static struct sim_dev *to_sim_dev(struct config_item *item)
{
	return container_of(to_config_group(item), struct sim_dev, group);
}

/* Split @s at white space: the next token, or NULL at the end. */
char *sim_token(char **s)
{
	char *tok;

	do {
		tok = strsep(s, " \t\n");
	} while (tok && !*tok);
	return tok;
}

int sim_parse_u32(const char *tok, u32 *val)
{
	return tok ? kstrtou32(tok, 10, val) : -EINVAL;
}

/* ---- card properties (EBUSY while live) ------------------------------- */

static ssize_t sim_num_lines_show(struct config_item *item, char *page)
{
	struct sim_dev *sd = to_sim_dev(item);
	ssize_t ret;

	mutex_lock(&sd->cfg_lock);
	ret = sysfs_emit(page, "%u\n", sd->num_lines);
	mutex_unlock(&sd->cfg_lock);
	return ret;
}

static ssize_t sim_num_lines_store(struct config_item *item, const char *page,
				   size_t count)
{
	struct sim_dev *sd = to_sim_dev(item);
	u32 val;
	int ret;

	ret = kstrtou32(page, 10, &val);
	if (ret)
		return ret;
	if (!val || val > SIM_MAX_LINES)
		return -EINVAL;
	mutex_lock(&sd->cfg_lock);
	if (sd->live) {
		ret = -EBUSY;
	} else if (val != sd->num_lines) {
		/* Numbers were given for the old count: back to defaults. */
		kfree(sd->numbers);
		sd->numbers = NULL;
		sd->num_lines = val;
	}
	mutex_unlock(&sd->cfg_lock);
	return ret ?: count;
}

static ssize_t sim_num_phones_show(struct config_item *item, char *page)
{
	struct sim_dev *sd = to_sim_dev(item);
	ssize_t ret;

	mutex_lock(&sd->cfg_lock);
	ret = sysfs_emit(page, "%u\n", sd->num_phones);
	mutex_unlock(&sd->cfg_lock);
	return ret;
}

static ssize_t sim_num_phones_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct sim_dev *sd = to_sim_dev(item);
	u32 val;
	int ret;

	ret = kstrtou32(page, 10, &val);
	if (ret)
		return ret;
	if (val > SIM_MAX_PHONES)
		return -EINVAL;
	mutex_lock(&sd->cfg_lock);
	if (sd->live)
		ret = -EBUSY;
	else
		sd->num_phones = val;
	mutex_unlock(&sd->cfg_lock);
	return ret ?: count;
}

static ssize_t sim_numbers_show(struct config_item *item, char *page)
{
	struct sim_dev *sd = to_sim_dev(item);
	ssize_t len = 0;
	u32 i;

	mutex_lock(&sd->cfg_lock);
	for (i = 0; i < sd->num_lines; i++) {
		if (sd->numbers)
			len += scnprintf(page + len, PAGE_SIZE - len, "%s%s",
					 i ? " " : "", sd->numbers[i]);
		else
			len += scnprintf(page + len, PAGE_SIZE - len, "%s%u",
					 i ? " " : "", SIM_FIRST_NUMBER + i);
	}
	len += scnprintf(page + len, PAGE_SIZE - len, "\n");
	mutex_unlock(&sd->cfg_lock);
	return len;
}

static ssize_t sim_numbers_store(struct config_item *item, const char *page,
				 size_t count)
{
	struct sim_dev *sd = to_sim_dev(item);
	char (*numbers)[CTI_NUMBER_MAX] = NULL;
	char *buf, *s, *tok;
	u32 n = 0, i;
	int ret;

	buf = kstrndup(page, count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&sd->cfg_lock);
	ret = -EBUSY;
	if (sd->live)
		goto out;
	ret = -ENOMEM;
	numbers = kcalloc(sd->num_lines, sizeof(*numbers), GFP_KERNEL);
	if (!numbers)
		goto out;
	ret = -EINVAL;
	s = buf;
	while ((tok = sim_token(&s))) {
		if (n == sd->num_lines || !sim_number_ok(tok, false))
			goto out;
		for (i = 0; i < n; i++)
			if (!strcmp(numbers[i], tok))
				goto out;
		strscpy(numbers[n++], tok, sizeof(numbers[0]));
	}
	if (n != sd->num_lines)
		goto out;
	kfree(sd->numbers);
	sd->numbers = numbers;
	numbers = NULL;
	ret = 0;
out:
	mutex_unlock(&sd->cfg_lock);
	kfree(numbers);
	kfree(buf);
	return ret ?: count;
}

static const char *const sim_mode_names[] = {
	[SIM_MODE_CALL] = "call",
	[SIM_MODE_LINK] = "link",
	[SIM_MODE_BOTH] = "both",
};

static ssize_t sim_mode_show(struct config_item *item, char *page)
{
	struct sim_dev *sd = to_sim_dev(item);
	ssize_t ret;

	mutex_lock(&sd->cfg_lock);
	ret = sysfs_emit(page, "%s\n", sim_mode_names[sd->mode]);
	mutex_unlock(&sd->cfg_lock);
	return ret;
}

static ssize_t sim_mode_store(struct config_item *item, const char *page,
			      size_t count)
{
	struct sim_dev *sd = to_sim_dev(item);
	int mode, ret = 0;

	mode = sysfs_match_string(sim_mode_names, page);
	if (mode < 0)
		return -EINVAL;
	mutex_lock(&sd->cfg_lock);
	if (sd->live)
		ret = -EBUSY;
	else
		sd->mode = mode;
	mutex_unlock(&sd->cfg_lock);
	return ret ?: count;
}

static ssize_t sim_link_peer_show(struct config_item *item, char *page)
{
	struct sim_dev *sd = to_sim_dev(item);
	char name[CTI_NAME_MAX];

	spin_lock(&sd->lock);
	strscpy(name, sd->link_peer_name, sizeof(name));
	spin_unlock(&sd->lock);
	return sysfs_emit(page, "%s\n", name);
}

static ssize_t sim_link_peer_store(struct config_item *item, const char *page,
				   size_t count)
{
	struct sim_dev *sd = to_sim_dev(item);
	char name[CTI_NAME_MAX];
	size_t len = count;

	if (len && page[len - 1] == '\n')
		len--;
	if (len >= sizeof(name) || memchr(page, '/', len) ||
	    memchr(page, '\0', len))
		return -EINVAL;
	memcpy(name, page, len);
	name[len] = '\0';
	spin_lock(&sd->lock);
	strscpy(sd->link_peer_name, name, sizeof(sd->link_peer_name));
	spin_unlock(&sd->lock);
	return count;
}

static ssize_t sim_live_show(struct config_item *item, char *page)
{
	struct sim_dev *sd = to_sim_dev(item);
	ssize_t ret;

	mutex_lock(&sd->cfg_lock);
	ret = sysfs_emit(page, "%d\n", sd->live);
	mutex_unlock(&sd->cfg_lock);
	return ret;
}

static ssize_t sim_live_store(struct config_item *item, const char *page,
			      size_t count)
{
	struct sim_dev *sd = to_sim_dev(item);
	bool live;
	int ret;

	ret = kstrtobool(page, &live);
	if (ret)
		return ret;
	mutex_lock(&sd->cfg_lock);
	if (live && !sd->live)
		ret = sim_card_live(sd);
	else if (!live && sd->live)
		sim_card_dead(sd);
	mutex_unlock(&sd->cfg_lock);
	return ret ?: count;
}

static ssize_t sim_dev_name_show(struct config_item *item, char *page)
{
	struct sim_dev *sd = to_sim_dev(item);
	ssize_t ret;

	mutex_lock(&sd->cfg_lock);
	ret = sysfs_emit(page, "%s\n", sd->dev_name);
	mutex_unlock(&sd->cfg_lock);
	return ret;
}

/* ---- the far end ------------------------------------------------------ */

static const char *const sim_action_names[] = {
	[SIM_FAR_ANSWER] = "answer",
	[SIM_FAR_BUSY] = "busy",
	[SIM_FAR_NOANSWER] = "noanswer",
	[SIM_FAR_REJECT] = "reject",
	[SIM_FAR_DIGITS] = "digits",
	[SIM_FAR_HANGUP] = "hangup",
};

#define SIM_MAX_DELAY_MS	600000

/* 1..CTI_DIGITS_MAX DTMF digits. */
bool sim_dtmf_string_ok(const char *s)
{
	size_t len = strlen(s);

	return len && len <= CTI_DIGITS_MAX &&
	       strspn(s, "0123456789*#ABCD") == len;
}

static ssize_t sim_far_end_show(struct config_item *item, char *page)
{
	struct sim_dev *sd = to_sim_dev(item);
	const struct sim_rule *r;
	ssize_t len = 0;
	u32 i;

	spin_lock(&sd->lock);
	for (i = 0; i < sd->num_rules; i++) {
		r = &sd->rules[i];
		len += scnprintf(page + len, PAGE_SIZE - len, "%s %s",
				 r->number, sim_action_names[r->action]);
		switch (r->action) {
		case SIM_FAR_ANSWER:
		case SIM_FAR_NOANSWER:
		case SIM_FAR_HANGUP:
			len += scnprintf(page + len, PAGE_SIZE - len, " %u",
					 r->arg);
			break;
		case SIM_FAR_DIGITS:
			len += scnprintf(page + len, PAGE_SIZE - len, " %s",
					 r->digits);
			break;
		}
		len += scnprintf(page + len, PAGE_SIZE - len, "\n");
	}
	spin_unlock(&sd->lock);
	return len;
}

static int sim_parse_rule(char *s, struct sim_rule *r)
{
	char *number, *action, *arg;
	int a;

	number = sim_token(&s);
	action = sim_token(&s);
	arg = sim_token(&s);
	if (!number || !action || sim_token(&s))
		return -EINVAL;
	if (strcmp(number, "*") && !sim_number_ok(number, true))
		return -EINVAL;
	a = match_string(sim_action_names, ARRAY_SIZE(sim_action_names),
			 action);
	if (a < 0)
		return -EINVAL;
	strscpy(r->number, number, sizeof(r->number));
	r->action = a;
	switch (a) {
	case SIM_FAR_ANSWER:
	case SIM_FAR_NOANSWER:
	case SIM_FAR_HANGUP:
		r->arg = a == SIM_FAR_ANSWER ? SIM_FAR_ANSWER_MS :
			 a == SIM_FAR_HANGUP ? SIM_FAR_HANGUP_MS : 0;
		if (arg && (kstrtou32(arg, 10, &r->arg) ||
			    r->arg > SIM_MAX_DELAY_MS))
			return -EINVAL;
		return 0;
	case SIM_FAR_DIGITS:
		if (!arg || !sim_dtmf_string_ok(arg))
			return -EINVAL;
		strscpy(r->digits, arg, sizeof(r->digits));
		return 0;
	default:
		return arg ? -EINVAL : 0;
	}
}

static ssize_t sim_far_end_store(struct config_item *item, const char *page,
				 size_t count)
{
	struct sim_dev *sd = to_sim_dev(item);
	struct sim_rule rule = { };
	char *buf;
	u32 i;
	int ret;

	if (sysfs_streq(page, "clear")) {
		spin_lock(&sd->lock);
		sd->num_rules = 0;
		sim_rules_changed(sd);
		spin_unlock(&sd->lock);
		return count;
	}
	buf = kstrndup(page, count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = sim_parse_rule(buf, &rule);
	kfree(buf);
	if (ret)
		return ret;

	spin_lock(&sd->lock);
	for (i = 0; i < sd->num_rules; i++)
		if (!strcmp(sd->rules[i].number, rule.number))
			break;
	if (i < SIM_MAX_RULES) {
		sd->rules[i] = rule;
		if (i == sd->num_rules)
			sd->num_rules++;
		sim_rules_changed(sd);
	} else {
		ret = -ENOSPC;
	}
	spin_unlock(&sd->lock);
	return ret ?: count;
}

CONFIGFS_ATTR(sim_, num_lines);
CONFIGFS_ATTR(sim_, num_phones);
CONFIGFS_ATTR(sim_, numbers);
CONFIGFS_ATTR(sim_, mode);
CONFIGFS_ATTR(sim_, link_peer);
CONFIGFS_ATTR(sim_, live);
CONFIGFS_ATTR_RO(sim_, dev_name);
CONFIGFS_ATTR(sim_, far_end);

static struct configfs_attribute *sim_dev_attrs[] = {
	&sim_attr_num_lines,
	&sim_attr_num_phones,
	&sim_attr_numbers,
	&sim_attr_mode,
	&sim_attr_link_peer,
	&sim_attr_live,
	&sim_attr_dev_name,
	&sim_attr_far_end,
	NULL,
};

/* ---- directories ------------------------------------------------------ */

static void sim_dev_release(struct config_item *item)
{
	struct sim_dev *sd = to_sim_dev(item);

	ida_free(&sim_ids, sd->id);
	kfree(sd->numbers);
	mutex_destroy(&sd->cfg_lock);
	kfree(sd);
}

static struct configfs_item_operations sim_dev_item_ops = {
	.release = sim_dev_release,
};

static const struct config_item_type sim_dev_type = {
	.ct_item_ops = &sim_dev_item_ops,
	.ct_attrs = sim_dev_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_group *sim_make_group(struct config_group *group,
					   const char *name)
{
	struct sim_dev *sd;
	int id;

	if (strlen(name) >= CTI_NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return ERR_PTR(-ENOMEM);
	id = ida_alloc(&sim_ids, GFP_KERNEL);
	if (id < 0) {
		kfree(sd);
		return ERR_PTR(id);
	}
	sd->id = id;
	mutex_init(&sd->cfg_lock);
	sd->num_lines = SIM_DEFAULT_LINES;
	sd->mode = SIM_MODE_CALL;
	sim_switch_init(sd);
	sim_dev_init_work(sd);
	config_group_init_type_name(&sd->group, name, &sim_dev_type);
	sim_debugfs_add(sd);

	spin_lock(&sim_devs_lock);
	list_add_tail(&sd->node, &sim_devs);
	spin_unlock(&sim_devs_lock);
	return &sd->group;
}

/*
 * rmdir: the debugfs controls go first, so that none runs from here on
 * (debugfs waits for those running), then a live card is unregistered
 * (hot-unplug for its open files), then the last reference is dropped.
 */
static void sim_drop_item(struct config_group *group, struct config_item *item)
{
	struct sim_dev *sd = to_sim_dev(item);

	sim_debugfs_remove(sd);
	mutex_lock(&sd->cfg_lock);
	sim_card_dead(sd);
	mutex_unlock(&sd->cfg_lock);

	spin_lock(&sim_devs_lock);
	list_del(&sd->node);
	spin_unlock(&sim_devs_lock);
	config_item_put(item);
}

static struct configfs_group_operations sim_group_ops = {
	.make_group = sim_make_group,
	.drop_item = sim_drop_item,
};

static const struct config_item_type sim_subsys_type = {
	.ct_group_ops = &sim_group_ops,
	.ct_owner = THIS_MODULE,
};

static struct configfs_subsystem sim_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "cti_sim",
			.ci_type = &sim_subsys_type,
		},
	},
};

static int __init sim_init(void)
{
	int ret;

	/* Before configfs: a card's mkdir makes its debugfs directory. */
	sim_debugfs_init();
	config_group_init(&sim_subsys.su_group);
	mutex_init(&sim_subsys.su_mutex);
	ret = configfs_register_subsystem(&sim_subsys);
	if (ret)
		sim_debugfs_exit();
	return ret;
}

/*
 * Every card directory holds a reference on this module, so none is left
 * here: rmdir has unregistered each card. Files still open on a card's
 * /dev/ctiN do not pin the module: the core never calls into a backend
 * after cti_card_unregister().
 */
static void __exit sim_exit(void)
{
	configfs_unregister_subsystem(&sim_subsys);
	sim_debugfs_exit();
	ida_destroy(&sim_ids);
}

module_init(sim_init);
module_exit(sim_exit);

MODULE_DESCRIPTION("cti_sim: simulated CTI cards with a small switch");
MODULE_AUTHOR("The cti authors");
MODULE_LICENSE("GPL");
