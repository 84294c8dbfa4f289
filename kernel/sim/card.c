// SPDX-License-Identifier: GPL-2.0
/*
 * cti_sim: the backend side of a simulated card: going live (a platform
 * device as the parent, a cti card registered with the core), the ops the
 * core calls, the work items that run the switch, and the flood generator.
 *
 * Submit never touches the switch: it copies the command into a request,
 * queues it and kicks the request work, so that every event comes from
 * workqueue context as a real card's comes from its interrupt handler.
 * Only the fault-injection refusals (link down, fail_next) are decided in
 * submit itself; the core completes those with the returned errno.
 */
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

static struct sim_dev *sim_from_card(struct cti_card *card)
{
	return *(struct sim_dev **)cti_card_priv(card);
}

static void sim_req_work(struct work_struct *work)
{
	struct sim_dev *sd = container_of(work, struct sim_dev, req_work);
	struct sim_req *req;

	for (;;) {
		spin_lock(&sd->lock);
		req = list_first_entry_or_null(&sd->reqs, struct sim_req, node);
		if (!req || !sd->running) {
			spin_unlock(&sd->lock);
			return;
		}
		list_del(&req->node);
		sim_switch_run(sd, req);
		spin_unlock(&sd->lock);
		kfree(req);
		cond_resched();
	}
}

static void sim_timer_work(struct work_struct *work)
{
	struct sim_dev *sd = container_of(to_delayed_work(work),
					  struct sim_dev, timer_work);

	spin_lock(&sd->lock);
	if (sd->running)
		sim_switch_timers(sd);
	spin_unlock(&sd->lock);
}

/*
 * The flood's digits for record @index: its 4 little-endian bytes, or with
 * @dtmf the index modulo 65536 as 4 DTMF symbols, a hex digit each (most
 * significant first) over the 16 symbols "0-9*#A-D": records a client
 * protocol that carries only dialable digits (ctid's) passes on whole.
 */
static void sim_flood_digits(char *digits, u32 index, bool dtmf)
{
	static const char sym[] = "0123456789*#ABCD";
	__le32 le = cpu_to_le32(index);
	int i;

	if (!dtmf) {
		memcpy(digits, &le, sizeof(le));
		return;
	}
	for (i = 0; i < 4; i++)
		digits[i] = sym[(index >> (12 - 4 * i)) & 0xf];
}

/*
 * Post the flood's DIGITS records, SIM_FLOOD_BATCH at a time (one lock,
 * timestamp and wake-up per batch: a card draining its FIFO would do the
 * same): line 0, the index in the digits.
 */
static void sim_flood_work(struct work_struct *work)
{
	struct sim_dev *sd = container_of(work, struct sim_dev, flood_work);
	struct cti_ev_digits ev = {
		.hdr.type = CTI_EV_DIGITS,
		.hdr.size = sizeof(ev),
		.hdr.line = 0,
		.call = CTI_CALL_NONE,
		.count = 4,
	};
	bool dtmf = READ_ONCE(sd->flood_dtmf);
	u32 left, n, i;

	/* ctid's wire carries DIGITS of a call only: call 1 (none needs to exist) */
	if (dtmf)
		ev.call = 1;
	while ((left = atomic_read(&sd->flood_left)) &&
	       !READ_ONCE(sd->flood_stop)) {
		n = min_t(u32, left, SIM_FLOOD_BATCH);
		for (i = 0; i < n; i++) {
			sd->flood_batch[i] = ev;
			sim_flood_digits(sd->flood_batch[i].digits,
					 sd->flood_total - left + i, dtmf);
		}
		cti_card_post_batch(sd->card, sd->flood_batch,
				    n * sizeof(sd->flood_batch[0]));
		atomic_sub(n, &sd->flood_left);
		cond_resched();
	}
}

int sim_flood_start(struct sim_dev *sd, u32 count, bool dtmf)
{
	int ret = 0;

	spin_lock(&sd->lock);
	if (!sd->running)
		ret = -ENODEV;
	else if (atomic_read(&sd->flood_left))
		ret = -EBUSY;
	if (!ret) {
		sd->flood_total = count;
		WRITE_ONCE(sd->flood_dtmf, dtmf);
		atomic_set(&sd->flood_left, count);
		queue_work(system_unbound_wq, &sd->flood_work);
	}
	spin_unlock(&sd->lock);
	return ret;
}

static int sim_queue(struct sim_dev *sd, struct sim_req *req)
{
	spin_lock(&sd->lock);
	if (!sd->running) {
		spin_unlock(&sd->lock);
		kfree(req);
		return -ENODEV;
	}
	list_add_tail(&req->node, &sd->reqs);
	queue_work(system_wq, &sd->req_work);
	spin_unlock(&sd->lock);
	return 0;
}

int sim_queue_action(struct sim_dev *sd, u32 action, u32 line, u32 call,
		     u32 arg, const char *data)
{
	size_t len = data ? strlen(data) : 0;
	struct sim_req *req;

	req = kzalloc(struct_size(req, data, len + 1), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->cmd = action;
	req->line = line;
	req->call = call;
	req->arg = arg;
	req->data_len = len;
	if (len)
		memcpy(req->data, data, len);
	return sim_queue(sd, req);
}

static bool sim_cmd_is_link(u16 cmd)
{
	return cmd == CTI_CMD_SEND_LINK_FRAME || cmd == CTI_CMD_DEV_SPECIFIC;
}

static int sim_submit(struct cti_card *card, const struct cti_command *cmd)
{
	struct sim_dev *sd = sim_from_card(card);
	struct sim_req *req;
	int err = 0;

	if (cmd->data_len > CTI_DATA_MAX)
		return -EINVAL;
	/* The fault injection knobs refuse before anything is queued. */
	spin_lock(&sd->lock);
	if (sd->link_down) {
		err = -EIO;
	} else if (sd->fail_count) {
		sd->fail_count--;
		err = -sd->fail_errno;
	}
	spin_unlock(&sd->lock);
	if (err)
		return err;
	if ((sd->mode == SIM_MODE_LINK && !sim_cmd_is_link(cmd->cmd)) ||
	    (sd->mode == SIM_MODE_CALL && cmd->cmd == CTI_CMD_SEND_LINK_FRAME))
		return -EOPNOTSUPP;

	req = kzalloc(struct_size(req, data, cmd->data_len + 1), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->token = cmd->token;
	req->cmd = cmd->cmd;
	req->line = cmd->line;
	req->call = cmd->call;
	req->call2 = cmd->call2;
	req->arg = cmd->arg;
	req->arg2 = cmd->arg2;
	req->data_len = cmd->data_len;
	memcpy(req->data, cmd->data, cmd->data_len);
	return sim_queue(sd, req);
}

/*
 * Stop everything that would post or complete: the request and timer
 * work, the flood. Queued requests are freed uncompleted; the core
 * completes them with -ENODEV. Idempotent.
 */
static void sim_stop(struct sim_dev *sd)
{
	struct sim_req *req, *tmp;
	LIST_HEAD(reqs);

	spin_lock(&sd->lock);
	sd->running = false;
	WRITE_ONCE(sd->flood_stop, true);
	spin_unlock(&sd->lock);

	/* With @running false nothing queues or arms these again. */
	cancel_work_sync(&sd->req_work);
	cancel_delayed_work_sync(&sd->timer_work);
	cancel_work_sync(&sd->flood_work);

	spin_lock(&sd->lock);
	list_splice_init(&sd->reqs, &reqs);
	atomic_set(&sd->flood_left, 0);
	spin_unlock(&sd->lock);
	list_for_each_entry_safe(req, tmp, &reqs, node)
		kfree(req);
}

static void sim_cancel_all(struct cti_card *card)
{
	sim_stop(sim_from_card(card));
}

static const struct cti_card_ops sim_ops = {
	.owner = THIS_MODULE,
	.submit = sim_submit,
	.cancel_all = sim_cancel_all,
};

/* Digits only, or a dial string (digits, *, #, a leading +) with @dial. */
bool sim_number_ok(const char *s, bool dial)
{
	size_t i, len = strlen(s);

	if (!len || len >= CTI_NUMBER_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (isdigit(s[i]))
			continue;
		if (dial && (s[i] == '*' || s[i] == '#' || (s[i] == '+' && !i)))
			continue;
		return false;
	}
	return true;
}

static u64 sim_line_ops(u32 mode)
{
	u64 link = BIT_ULL(CTI_CMD_SEND_LINK_FRAME) |
		   BIT_ULL(CTI_CMD_DEV_SPECIFIC);
	u64 all = BIT_ULL(CTI_CMD_MAX) - 1;

	switch (mode) {
	case SIM_MODE_LINK:
		return link;
	case SIM_MODE_CALL:
		return all & ~BIT_ULL(CTI_CMD_SEND_LINK_FRAME);
	default:
		return all;
	}
}

static u64 sim_caps(const struct sim_dev *sd)
{
	u64 caps = 0;

	if (sd->mode != SIM_MODE_LINK)
		caps |= CTI_CARD_CAP_CALL_CONTROL;
	if (sd->mode != SIM_MODE_CALL)
		caps |= CTI_CARD_CAP_LINK;
	if (sd->num_phones)
		caps |= CTI_CARD_CAP_PHONES;
	return caps;
}

static int sim_match_any(struct device *dev, void *data)
{
	return 1;
}

static void sim_desc_free(struct cti_card_desc *desc)
{
	kvfree(desc->lines);
	desc->lines = NULL;
	kvfree(desc->phones);
	desc->phones = NULL;
}

/*
 * The card's description, from the configuration. The core copies what it keeps, so
 * the arrays are freed with sim_desc_free() once the card is registered.
 */
static int sim_desc_alloc(struct sim_dev *sd, struct cti_card_desc *desc)
{
	struct cti_phone_desc *phones = NULL;
	struct cti_line_desc *lines;
	u32 i;

	lines = kvcalloc(sd->num_lines, sizeof(*lines), GFP_KERNEL);
	if (sd->num_phones)
		phones = kvcalloc(sd->num_phones, sizeof(*phones), GFP_KERNEL);
	if (!lines || (sd->num_phones && !phones)) {
		kvfree(lines);
		kvfree(phones);
		return -ENOMEM;
	}
	for (i = 0; i < sd->num_lines; i++) {
		snprintf(lines[i].name, sizeof(lines[i].name), "line%u", i);
		sim_number_of(sd, i, lines[i].addresses[0]);
		lines[i].num_addresses = 1;
		lines[i].ops = sim_line_ops(sd->mode);
		lines[i].max_calls = SIM_MAX_CALLS;
	}
	for (i = 0; i < sd->num_phones; i++) {
		snprintf(phones[i].name, sizeof(phones[i].name), "phone%u", i);
		phones[i].hookswitches = CTI_HOOKSWITCH_HANDSET |
					 CTI_HOOKSWITCH_SPEAKER |
					 CTI_HOOKSWITCH_HEADSET;
		phones[i].num_buttons = SIM_PHONE_BUTTONS;
		phones[i].num_lamps = SIM_PHONE_LAMPS;
		phones[i].display_rows = SIM_DISPLAY_ROWS;
		phones[i].display_cols = SIM_DISPLAY_COLS;
		phones[i].line = i < sd->num_lines ? i : CTI_LINE_NONE;
	}
	desc->name = config_item_name(&sd->group.cg_item);
	desc->driver = "cti_sim";
	desc->vendor = "Linux";
	desc->caps = sim_caps(sd);
	desc->num_lines = sd->num_lines;
	desc->lines = lines;
	desc->num_phones = sd->num_phones;
	desc->phones = phones;
	return 0;
}

/*
 * Start the switch and register the card below a new platform device (the
 * card's /dev/ctiN is found as its child). Called with @cfg_lock.
 */
static int sim_card_register(struct sim_dev *sd,
			     const struct cti_card_desc *desc)
{
	struct platform_device *pdev;
	struct cti_card *card;
	struct device *child;
	int ret;

	pdev = platform_device_register_simple("cti_sim", sd->id, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	card = cti_card_alloc(&pdev->dev, &sim_ops, desc, sizeof(sd));
	if (IS_ERR(card)) {
		ret = PTR_ERR(card);
		goto err_pdev;
	}
	*(struct sim_dev **)cti_card_priv(card) = sd;
	sd->card = card;
	sd->pdev = pdev;

	spin_lock(&sd->lock);
	ret = sim_switch_start(sd);
	if (!ret) {
		sd->running = true;
		sd->flood_stop = false;
		atomic_set(&sd->flood_left, 0);
	}
	spin_unlock(&sd->lock);
	if (ret)
		goto err_put;

	/* A link taken down before going live is down from the start. */
	if (READ_ONCE(sd->link_down))
		cti_card_set_link_state(card, CTI_LINK_DOWN);
	ret = cti_card_register(card);
	if (ret)
		goto err_card;

	child = device_find_child(&pdev->dev, NULL, sim_match_any);
	if (child) {
		strscpy(sd->dev_name, dev_name(child), sizeof(sd->dev_name));
		put_device(child);
	}
	if (sd->mode != SIM_MODE_CALL) {
		spin_lock(&sim_devs_lock);
		sd->link_card = card;
		sd->link_lines = sd->num_lines;
		spin_unlock(&sim_devs_lock);
	}
	return 0;

err_card:
	sim_stop(sd);
	sim_switch_stop(sd);
err_put:
	cti_card_put(card);
	sd->card = NULL;
	sd->pdev = NULL;
err_pdev:
	platform_device_unregister(pdev);
	return ret;
}

/* Build the description, register the card. Called with @cfg_lock. */
int sim_card_live(struct sim_dev *sd)
{
	struct cti_card_desc desc = { };
	char serial[CTI_NAME_MAX];
	int ret;

	lockdep_assert_held(&sd->cfg_lock);
	ret = sim_desc_alloc(sd, &desc);
	if (ret)
		return ret;
	snprintf(serial, sizeof(serial), "SIM%08u", sd->id);
	desc.serial = serial;
	ret = sim_card_register(sd, &desc);
	sim_desc_free(&desc);
	if (ret)
		return ret;
	sd->live = true;
	return 0;
}

/* Unregister the card (hot-unplug). Called with @cfg_lock. */
void sim_card_dead(struct sim_dev *sd)
{
	lockdep_assert_held(&sd->cfg_lock);
	if (!sd->live)
		return;
	spin_lock(&sim_devs_lock);
	sd->link_card = NULL;
	spin_unlock(&sim_devs_lock);

	/* Calls cancel_all (sim_stop); stop again in case it did not. */
	cti_card_unregister(sd->card);
	sim_stop(sd);
	cti_card_put(sd->card);
	sd->card = NULL;
	platform_device_unregister(sd->pdev);
	sd->pdev = NULL;

	/* Calls still ringing go with the switch, their timers first. */
	sim_switch_stop(sd);
	sd->dev_name[0] = '\0';
	sd->live = false;
}

void sim_dev_init_work(struct sim_dev *sd)
{
	INIT_WORK(&sd->req_work, sim_req_work);
	INIT_DELAYED_WORK(&sd->timer_work, sim_timer_work);
	INIT_WORK(&sd->flood_work, sim_flood_work);
}
