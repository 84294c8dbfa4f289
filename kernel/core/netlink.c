// SPDX-License-Identifier: GPL-2.0
/*
 * cti core: the generic netlink family "cti": card enumeration and the
 * "events" multicast group (card added, card removed, link state).
 */
#include <linux/kernel.h>
#include <net/genetlink.h>

#include "internal.h"

static const struct nla_policy cti_nl_policy[CTI_NL_A_MAX + 1] = {
	[CTI_NL_A_CARD_INDEX] = { .type = NLA_U32 },
	[CTI_NL_A_CARD_NAME] = { .type = NLA_NUL_STRING,
				 .len = CTI_NAME_MAX - 1 },
	[CTI_NL_A_CARD_DRIVER] = { .type = NLA_NUL_STRING,
				   .len = CTI_NAME_MAX - 1 },
	[CTI_NL_A_CARD_VENDOR] = { .type = NLA_NUL_STRING,
				   .len = CTI_NAME_MAX - 1 },
	[CTI_NL_A_CARD_SERIAL] = { .type = NLA_NUL_STRING,
				   .len = CTI_NAME_MAX - 1 },
	[CTI_NL_A_CARD_CAPS] = { .type = NLA_U64 },
	[CTI_NL_A_CARD_LINES] = { .type = NLA_U32 },
	[CTI_NL_A_CARD_PHONES] = { .type = NLA_U32 },
	[CTI_NL_A_CARD_LINK_STATE] = NLA_POLICY_MAX(NLA_U32, CTI_LINK_UP),
	[CTI_NL_A_PAD] = { .type = NLA_UNSPEC },
	[CTI_NL_A_CARD_LOST] = { .type = NLA_U64 },
};

static int cti_nl_get_card_doit(struct sk_buff *skb, struct genl_info *info);
static int cti_nl_get_card_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb);

static const struct genl_small_ops cti_nl_ops[] = {
	{
		.cmd = CTI_NL_CMD_GET_CARD,
		.doit = cti_nl_get_card_doit,
		.dumpit = cti_nl_get_card_dumpit,
	},
};

static const struct genl_multicast_group cti_nl_mcgrps[] = {
	{ .name = CTI_NL_MCGRP_EVENTS },
};

static struct genl_family cti_nl_family __ro_after_init = {
	.name = CTI_GENL_NAME,
	.version = CTI_GENL_VERSION,
	.maxattr = CTI_NL_A_MAX,
	.policy = cti_nl_policy,
	/*
	 * Cards are the host's devices, not a network namespace's: the
	 * family exists in the initial namespace only, where its
	 * notifications go (netnsok false: a container with a network
	 * namespace of its own does not find the family, and sees no card).
	 * There any user may dump the cards and join "events": they tell
	 * what /sys/class/cti tells every user; using a card takes opening
	 * /dev/ctiN. No command changes anything, so none needs
	 * GENL_ADMIN_PERM.
	 */
	.netnsok = false,
	.module = THIS_MODULE,
	.small_ops = cti_nl_ops,
	.n_small_ops = ARRAY_SIZE(cti_nl_ops),
	.mcgrps = cti_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(cti_nl_mcgrps),
};

/*
 * A lookup of the family by name (ctid's kcard provider, `ctictl cards`)
 * loads cti.ko: the module comes when its first user asks, with no
 * modules-load list to keep in step with the packages.
 */
MODULE_ALIAS_GENL_FAMILY(CTI_GENL_NAME);

static int cti_nl_fill(struct sk_buff *skb, struct cti_card *card, u32 portid,
		       u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &cti_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CTI_NL_A_CARD_INDEX, card->index) ||
	    nla_put_string(skb, CTI_NL_A_CARD_NAME, card->name) ||
	    nla_put_string(skb, CTI_NL_A_CARD_DRIVER, card->driver) ||
	    nla_put_string(skb, CTI_NL_A_CARD_VENDOR, card->vendor) ||
	    nla_put_string(skb, CTI_NL_A_CARD_SERIAL, card->serial) ||
	    nla_put_u64_64bit(skb, CTI_NL_A_CARD_CAPS, card->caps,
			      CTI_NL_A_PAD) ||
	    nla_put_u32(skb, CTI_NL_A_CARD_LINES, card->num_lines) ||
	    nla_put_u32(skb, CTI_NL_A_CARD_PHONES, card->num_phones) ||
	    nla_put_u32(skb, CTI_NL_A_CARD_LINK_STATE,
			READ_ONCE(card->link_state)) ||
	    nla_put_u64_64bit(skb, CTI_NL_A_CARD_LOST,
			      atomic64_read(&card->lost), CTI_NL_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int cti_nl_get_card_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cti_card *card;
	struct sk_buff *msg;
	u32 index;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, CTI_NL_A_CARD_INDEX))
		return -EINVAL;
	index = nla_get_u32(info->attrs[CTI_NL_A_CARD_INDEX]);

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&cti_cards_lock);
	card = xa_load(&cti_cards, index);
	if (!card) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[CTI_NL_A_CARD_INDEX],
				    "no such card");
		ret = -ENOENT;
	} else {
		ret = cti_nl_fill(msg, card, info->snd_portid, info->snd_seq,
				  0, CTI_NL_CMD_GET_CARD);
	}
	mutex_unlock(&cti_cards_lock);

	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int cti_nl_get_card_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct cti_card *card;
	unsigned long index;
	int ret = 0;

	/* cb->args[0]: the index to resume from. */
	mutex_lock(&cti_cards_lock);
	xa_for_each_start(&cti_cards, index, card, cb->args[0]) {
		ret = cti_nl_fill(skb, card, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  CTI_NL_CMD_GET_CARD);
		if (ret)
			break;
		cb->args[0] = index + 1;
	}
	mutex_unlock(&cti_cards_lock);

	/* A full skb ends this part of the dump; the next one resumes. */
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

/* Announce @cmd about @card on the events group. Process context. */
void cti_netlink_notify(struct cti_card *card, u8 cmd)
{
	struct sk_buff *msg;

	lockdep_assert_held(&cti_cards_lock);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (cti_nl_fill(msg, card, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		return;
	}
	/* -ESRCH only says that nobody listens. */
	genlmsg_multicast(&cti_nl_family, msg, 0, 0, GFP_KERNEL);
}

int __init cti_netlink_init(void)
{
	return genl_register_family(&cti_nl_family);
}

void cti_netlink_exit(void)
{
	genl_unregister_family(&cti_nl_family);
}
