// SPDX-License-Identifier: GPL-2.0
/*
 * cti core: CTI_IOC_SUBMIT, the one ioctl that reaches the backend.
 *
 * Validation order: copy, size, reserved, flags, command, data length
 * (-EINVAL); card capabilities (-EOPNOTSUPP); line or phone range
 * (-ENOENT); the line's ops mask (-EOPNOTSUPP); the data itself; then the
 * file's count of requests without a REPLY (-EAGAIN at max_requests). A
 * submit that passes creates a request with a unique token and yields exactly one
 * REPLY: the backend's completion, or the core's if the backend refuses.
 */
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/uaccess.h>

#include "internal.h"

#define CTI_REQUEST_SIZE_VER0	64

static unsigned int max_requests = 256;
module_param(max_requests, uint, 0644);
MODULE_PARM_DESC(max_requests,
		 "requests one open file may have without a REPLY; SUBMIT past it fails with EAGAIN (default 256)");

/* What the data of a command is. */
enum cti_data_kind {
	CTI_DATA_NONE,		/* no data: data_len must be 0 */
	CTI_DATA_NUMBER,	/* a dial string, not empty */
	CTI_DATA_NUMBER_OPT,	/* a dial string, may be empty */
	CTI_DATA_DIGITS,	/* DTMF digits, not empty */
	CTI_DATA_DISPLAY,	/* printable text */
	CTI_DATA_FRAME,		/* a link frame, not empty */
	CTI_DATA_BLOB,		/* device-specific bytes */
};

/* Which devices a command is about. */
enum cti_target {
	CTI_TARGET_LINE,	/* a line of a call-control card */
	CTI_TARGET_PHONE,	/* a phone */
	CTI_TARGET_LINK,	/* a link channel of a link card */
	CTI_TARGET_ANY,		/* a line, or CTI_LINE_NONE for the card */
};

struct cti_cmd_rule {
	u8 data;
	u8 target;
	u16 max_len;
};

#define LINE(kind, max)	{ CTI_DATA_##kind, CTI_TARGET_LINE, max }
#define NUMBER_LEN	(CTI_NUMBER_MAX - 1)

static const struct cti_cmd_rule cti_cmd_rules[CTI_CMD_MAX] = {
	[CTI_CMD_MAKE_CALL] = LINE(NUMBER, NUMBER_LEN),
	[CTI_CMD_ANSWER] = LINE(NONE, 0),
	[CTI_CMD_ACCEPT] = LINE(NONE, 0),
	[CTI_CMD_DROP] = LINE(NONE, 0),
	[CTI_CMD_HOLD] = LINE(NONE, 0),
	[CTI_CMD_UNHOLD] = LINE(NONE, 0),
	[CTI_CMD_SWAP_HOLD] = LINE(NONE, 0),
	[CTI_CMD_BLIND_TRANSFER] = LINE(NUMBER, NUMBER_LEN),
	[CTI_CMD_SETUP_TRANSFER] = LINE(NUMBER, NUMBER_LEN),
	[CTI_CMD_COMPLETE_TRANSFER] = LINE(NONE, 0),
	[CTI_CMD_SETUP_CONFERENCE] = LINE(NUMBER, NUMBER_LEN),
	[CTI_CMD_ADD_TO_CONFERENCE] = LINE(NONE, 0),
	[CTI_CMD_REMOVE_FROM_CONFERENCE] = LINE(NONE, 0),
	[CTI_CMD_REDIRECT] = LINE(NUMBER, NUMBER_LEN),
	[CTI_CMD_PARK] = LINE(NUMBER_OPT, NUMBER_LEN),
	[CTI_CMD_UNPARK] = LINE(NUMBER, NUMBER_LEN),
	[CTI_CMD_PICKUP] = LINE(NUMBER_OPT, NUMBER_LEN),
	[CTI_CMD_SET_FORWARD] = LINE(NUMBER_OPT, NUMBER_LEN),
	[CTI_CMD_SET_DND] = LINE(NONE, 0),
	[CTI_CMD_GENERATE_DIGITS] = LINE(DIGITS, CTI_DATA_MAX),
	[CTI_CMD_GENERATE_TONE] = LINE(NONE, 0),
	[CTI_CMD_SET_HOOK] = { CTI_DATA_NONE, CTI_TARGET_PHONE, 0 },
	[CTI_CMD_SET_DISPLAY] = { CTI_DATA_DISPLAY, CTI_TARGET_PHONE,
				  CTI_DISPLAY_MAX },
	[CTI_CMD_SET_LAMP] = { CTI_DATA_NONE, CTI_TARGET_PHONE, 0 },
	[CTI_CMD_SET_RING] = { CTI_DATA_NONE, CTI_TARGET_PHONE, 0 },
	[CTI_CMD_SEND_LINK_FRAME] = { CTI_DATA_FRAME, CTI_TARGET_LINK,
				      CTI_LINK_FRAME_MAX },
	[CTI_CMD_DEV_SPECIFIC] = { CTI_DATA_BLOB, CTI_TARGET_ANY,
				   CTI_DEV_SPECIFIC_MAX },
};

static bool cti_is_number(const u8 *s, u32 len)
{
	u32 i = 0;

	if (len && s[0] == '+')
		i = 1;
	if (i == len)
		return false;
	for (; i < len; i++)
		if (!isdigit(s[i]) && s[i] != '*' && s[i] != '#')
			return false;
	return true;
}

static bool cti_is_digits(const u8 *s, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (!isdigit(s[i]) && s[i] != '*' && s[i] != '#' &&
		    (s[i] < 'A' || s[i] > 'D'))
			return false;
	return true;
}

static bool cti_is_printable(const u8 *s, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

/* The data's characters, and its presence where the command needs it. */
static int cti_check_data(const struct cti_request *req,
			  const struct cti_command *cmd, u8 kind)
{
	switch (kind) {
	case CTI_DATA_NUMBER:
		return cti_is_number(cmd->data, cmd->data_len) ? 0 : -EINVAL;
	case CTI_DATA_NUMBER_OPT:
		/* SET_FORWARD: a destination exactly when forwarding is on. */
		if (req->cmd == CTI_CMD_SET_FORWARD &&
		    !req->arg != !cmd->data_len)
			return -EINVAL;
		if (!cmd->data_len)
			return 0;
		return cti_is_number(cmd->data, cmd->data_len) ? 0 : -EINVAL;
	case CTI_DATA_DIGITS:
		if (!cmd->data_len)
			return -EINVAL;
		return cti_is_digits(cmd->data, cmd->data_len) ? 0 : -EINVAL;
	case CTI_DATA_DISPLAY:
		return cti_is_printable(cmd->data, cmd->data_len) ? 0 : -EINVAL;
	case CTI_DATA_FRAME:
		return cmd->data_len ? 0 : -EINVAL;
	default:
		return 0;
	}
}

/* Command arguments with a fixed range. */
static int cti_check_args(const struct cti_card *card,
			  const struct cti_request *req)
{
	const struct cti_phone_desc *phone;

	switch (req->cmd) {
	case CTI_CMD_COMPLETE_TRANSFER:
		return req->arg <= CTI_TRANSFER_MODE_CONFERENCE ? 0 : -EINVAL;
	case CTI_CMD_SET_FORWARD:
		return req->arg <= CTI_FORWARD_NO_ANSWER ? 0 : -EINVAL;
	case CTI_CMD_SET_DND:
		return req->arg <= 1 ? 0 : -EINVAL;
	case CTI_CMD_GENERATE_TONE:
		return req->arg <= CTI_TONE_RINGBACK ? 0 : -EINVAL;
	case CTI_CMD_SET_HOOK:
		phone = &card->phones[req->line];
		if (hweight32(req->arg) != 1 ||
		    !(req->arg & phone->hookswitches) ||
		    req->arg2 > CTI_HOOK_MICSPEAKER)
			return -EINVAL;
		return 0;
	case CTI_CMD_SET_DISPLAY:
		phone = &card->phones[req->line];
		if (req->arg >= phone->display_rows ||
		    req->arg2 >= phone->display_cols ||
		    req->data_len > phone->display_cols - req->arg2)
			return -EINVAL;
		return 0;
	case CTI_CMD_SET_LAMP:
		phone = &card->phones[req->line];
		if (req->arg >= phone->num_lamps ||
		    req->arg2 > CTI_LAMP_FLUTTER)
			return -EINVAL;
		return 0;
	case CTI_CMD_SET_RING:
		return req->arg2 <= 100 ? 0 : -EINVAL;
	default:
		return 0;
	}
}

/* Capabilities, device range and the line's ops mask. */
static int cti_check_target(const struct cti_card *card,
			    const struct cti_request *req, u8 target)
{
	u64 bit = BIT_ULL(req->cmd);

	switch (target) {
	case CTI_TARGET_LINE:
		if (!(card->caps & CTI_CARD_CAP_CALL_CONTROL))
			return -EOPNOTSUPP;
		break;
	case CTI_TARGET_PHONE:
		if (!(card->caps & CTI_CARD_CAP_PHONES))
			return -EOPNOTSUPP;
		return req->line < card->num_phones ? 0 : -ENOENT;
	case CTI_TARGET_LINK:
		if (!(card->caps & CTI_CARD_CAP_LINK))
			return -EOPNOTSUPP;
		/* A link card without lines has the one channel 0. */
		if (!card->num_lines)
			return req->line == 0 ? 0 : -ENOENT;
		break;
	default:
		if (req->line == CTI_LINE_NONE)
			return 0;
		break;
	}
	if (req->line >= card->num_lines)
		return -ENOENT;
	if (!(card->lines[req->line].ops & bit))
		return -EOPNOTSUPP;
	return 0;
}

/* Hand @cmd to the backend, unless it is being unregistered. */
static int cti_call_submit(struct cti_card *card, const struct cti_command *cmd)
{
	const struct cti_card_ops *ops = card->ops;
	int idx, ret;

	idx = srcu_read_lock(&cti_srcu);
	if (READ_ONCE(card->detaching)) {
		ret = -ENODEV;
	} else if (!try_module_get(ops->owner)) {
		ret = -ENODEV;
	} else {
		ret = ops->submit(card, cmd);
		module_put(ops->owner);
	}
	srcu_read_unlock(&cti_srcu, idx);
	return ret;
}

int cti_submit(struct cti_file *f, void __user *uarg)
{
	struct cti_card *card = f->card;
	const struct cti_cmd_rule *rule;
	struct cti_request_entry *req;
	struct cti_request r;
	struct cti_command *cmd;
	unsigned long flags;
	u32 usize;
	int ret;

	ret = cti_copy_struct_in(&r, sizeof(r), CTI_REQUEST_SIZE_VER0, uarg,
				 &usize);
	if (ret)
		return ret;
	if (memchr_inv(r.__reserved, 0, sizeof(r.__reserved)))
		return -EINVAL;
	if (r.flags)
		return -EINVAL;
	if (r.cmd >= CTI_CMD_MAX)
		return -EINVAL;
	rule = &cti_cmd_rules[r.cmd];
	if (r.data_len > rule->max_len)
		return -EINVAL;
	ret = cti_check_target(card, &r, rule->target);
	if (ret)
		return ret;
	ret = cti_check_args(card, &r);
	if (ret)
		return ret;

	/*
	 * The request lives until its REPLY, however slow the backend: it is
	 * charged to the submitter's memory cgroup, as the ring is.
	 */
	cmd = kzalloc(sizeof(*cmd), GFP_KERNEL);
	req = kzalloc(sizeof(*req), GFP_KERNEL_ACCOUNT);
	if (!cmd || !req) {
		ret = -ENOMEM;
		goto out;
	}
	cmd->cmd = r.cmd;
	cmd->line = r.line;
	cmd->call = r.call;
	cmd->call2 = r.call2;
	cmd->arg = r.arg;
	cmd->arg2 = r.arg2;
	cmd->data_len = r.data_len;
	if (r.data_len &&
	    copy_from_user(cmd->data, u64_to_user_ptr(r.data), r.data_len)) {
		ret = -EFAULT;
		goto out;
	}
	ret = cti_check_data(&r, cmd, rule->data);
	if (ret)
		goto out;

	req->file = f;
	req->id = r.id;
	req->cmd = r.cmd;
	req->line = r.line;

	spin_lock_irqsave(&card->lock, flags);
	if (card->dead) {
		spin_unlock_irqrestore(&card->lock, flags);
		ret = -ENODEV;
		goto out;
	}
	/*
	 * A slow backend must not let one file pile up requests (and their
	 * memory) without bound; its REPLY records make room again.
	 */
	if (f->nr_requests >= READ_ONCE(max_requests)) {
		spin_unlock_irqrestore(&card->lock, flags);
		ret = -EAGAIN;
		goto out;
	}
	f->nr_requests++;
	req->token = ++card->next_token;
	cmd->token = req->token;
	hash_add(card->requests, &req->node, req->token);
	spin_unlock_irqrestore(&card->lock, flags);
	req = NULL;	/* owned by the table now */

	ret = cti_call_submit(card, cmd);
	if (ret) {
		/* Refused: the request still completes, with the error. */
		cti_card_complete(card, cmd->token, ret, CTI_CALL_NONE);
	}
	ret = 0;
out:
	kfree(req);
	kfree(cmd);
	return ret;
}
