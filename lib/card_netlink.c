// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * card_netlink.c - finding cards: the generic netlink family "cti"
 *
 * cti_card_list_new() dumps CTI_NL_CMD_GET_CARD through libnl-genl;
 * a monitor joins the "events" multicast group. The monitor reads its
 * socket itself (recv, then libnl's parsers): libnl turns ENOBUFS into
 * the same code as ENOMEM, and a program must be able to tell "the
 * kernel dropped notifications, list again" from "out of memory".
 *
 * libnl reports its own error codes (NLE_*); they become errno values
 * here, so that the card layer keeps cti.h's one error rule.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "card_internal.h"

/* Notifications one datagram may carry before the program takes them. */
#define MONITOR_QUEUE	32
#define MONITOR_RCVBUF	(256 * 1024)

struct cti_card_list {
	size_t count, cap;
	struct cti_card_desc **descs;
	int error;			/* from the parse callback */
};

struct notice {
	int change;
	struct cti_card_desc *desc;
};

struct cti_card_monitor {
	struct nl_sock *sk;
	int family;
	size_t head, count;		/* a FIFO of parsed notifications */
	struct notice q[MONITOR_QUEUE];
	uint8_t buf[65536];
};

static int nl_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_PROTO_MISMATCH:
		return -EPROTONOSUPPORT;
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_MSG_OVERFLOW:
	case NLE_INVAL:
	case NLE_RANGE:
		return -EBADMSG;
	default:
		return -EIO;
	}
}

static struct nla_policy card_policy[CTI_NL_A_MAX + 1] = {
	[CTI_NL_A_CARD_INDEX] = { .type = NLA_U32 },
	[CTI_NL_A_CARD_NAME] = { .type = NLA_STRING },
	[CTI_NL_A_CARD_DRIVER] = { .type = NLA_STRING },
	[CTI_NL_A_CARD_VENDOR] = { .type = NLA_STRING },
	[CTI_NL_A_CARD_SERIAL] = { .type = NLA_STRING },
	[CTI_NL_A_CARD_CAPS] = { .type = NLA_U64 },
	[CTI_NL_A_CARD_LINES] = { .type = NLA_U32 },
	[CTI_NL_A_CARD_PHONES] = { .type = NLA_U32 },
	[CTI_NL_A_CARD_LINK_STATE] = { .type = NLA_U32 },
	[CTI_NL_A_CARD_LOST] = { .type = NLA_U64 },
};

/*
 * A message of the family as a card description; a message without an
 * index describes no card and is -EBADMSG.
 */
static int parse_desc(struct nlmsghdr *nlh, struct cti_card_desc **descp)
{
	struct nlattr *tb[CTI_NL_A_MAX + 1];
	struct cti_card_desc *d;
	int ret;

	ret = genlmsg_parse(nlh, 0, tb, CTI_NL_A_MAX, card_policy);
	if (ret < 0)
		return nl_errno(ret);
	if (!tb[CTI_NL_A_CARD_INDEX])
		return -EBADMSG;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->info.size = sizeof(d->info);
	d->info.index = nla_get_u32(tb[CTI_NL_A_CARD_INDEX]);
	if (tb[CTI_NL_A_CARD_NAME])
		nla_strlcpy(d->info.name, tb[CTI_NL_A_CARD_NAME],
			    sizeof(d->info.name));
	if (tb[CTI_NL_A_CARD_DRIVER])
		nla_strlcpy(d->info.driver, tb[CTI_NL_A_CARD_DRIVER],
			    sizeof(d->info.driver));
	if (tb[CTI_NL_A_CARD_VENDOR])
		nla_strlcpy(d->info.vendor, tb[CTI_NL_A_CARD_VENDOR],
			    sizeof(d->info.vendor));
	if (tb[CTI_NL_A_CARD_SERIAL])
		nla_strlcpy(d->info.serial, tb[CTI_NL_A_CARD_SERIAL],
			    sizeof(d->info.serial));
	if (tb[CTI_NL_A_CARD_CAPS])
		d->info.caps = nla_get_u64(tb[CTI_NL_A_CARD_CAPS]);
	if (tb[CTI_NL_A_CARD_LINES])
		d->info.num_lines = nla_get_u32(tb[CTI_NL_A_CARD_LINES]);
	if (tb[CTI_NL_A_CARD_PHONES])
		d->info.num_phones = nla_get_u32(tb[CTI_NL_A_CARD_PHONES]);
	if (tb[CTI_NL_A_CARD_LINK_STATE])
		d->info.link_state = nla_get_u32(tb[CTI_NL_A_CARD_LINK_STATE]);
	if (tb[CTI_NL_A_CARD_LOST]) {
		d->has_lost = true;
		d->lost = nla_get_u64(tb[CTI_NL_A_CARD_LOST]);
	}
	cti_card_desc_seal(d);
	*descp = d;
	return 0;
}

/* A socket with the family resolved. */
static int open_family(struct nl_sock **skp, int *familyp)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk)
		return -ENOMEM;
	ret = genl_connect(sk);
	if (ret < 0)
		goto err;
	ret = genl_ctrl_resolve(sk, CTI_GENL_NAME);
	if (ret < 0)
		goto err;
	*familyp = ret;
	*skp = sk;
	return 0;
err:
	nl_socket_free(sk);
	return nl_errno(ret);
}

/* ---- the list ------------------------------------------------------------ */

static int list_add(struct nl_msg *msg, void *arg)
{
	struct cti_card_list *l = arg;
	struct cti_card_desc *d;
	int ret;

	if (l->error)
		return NL_SKIP;
	ret = parse_desc(nlmsg_hdr(msg), &d);
	if (ret) {
		l->error = ret;
		return NL_SKIP;
	}
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *n = realloc(l->descs, cap * sizeof(*l->descs));

		if (!n) {
			free(d);
			l->error = -ENOMEM;
			return NL_SKIP;
		}
		l->descs = n;
		l->cap = cap;
	}
	l->descs[l->count++] = d;
	return NL_OK;
}

CTI_API void cti_card_list_free(struct cti_card_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		free(list->descs[i]);
	free(list->descs);
	free(list);
}

CTI_API int cti_card_list_new(struct cti_card_list **listp)
{
	struct cti_card_list *l;
	struct nl_sock *sk;
	struct nl_msg *msg;
	int family, ret;

	if (!listp)
		return -EINVAL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	ret = open_family(&sk, &family);
	if (ret) {
		free(l);
		return ret;
	}
	msg = nlmsg_alloc();
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
			 CTI_NL_CMD_GET_CARD, CTI_GENL_VERSION)) {
		ret = -ENOMEM;
		goto out;
	}
	ret = nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, list_add, l);
	if (ret >= 0)
		ret = nl_send_auto(sk, msg);
	if (ret >= 0)
		ret = nl_recvmsgs_default(sk);
	ret = ret < 0 ? nl_errno(ret) : l->error;
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	if (ret) {
		cti_card_list_free(l);
		return ret;
	}
	*listp = l;
	return 0;
}

CTI_API size_t cti_card_list_get_count(const struct cti_card_list *list)
{
	return list->count;
}

CTI_API const struct cti_card_desc *cti_card_list_get_desc(
	const struct cti_card_list *list, size_t index)
{
	return index < list->count ? list->descs[index] : NULL;
}

/* ---- the monitor ------------------------------------------------------- */

CTI_API int cti_card_monitor_open(struct cti_card_monitor **monp)
{
	struct cti_card_monitor *m;
	int ret, grp;

	if (!monp)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	ret = open_family(&m->sk, &m->family);
	if (ret) {
		free(m);
		return ret;
	}
	grp = genl_ctrl_resolve_grp(m->sk, CTI_GENL_NAME, CTI_NL_MCGRP_EVENTS);
	if (grp < 0) {
		ret = nl_errno(grp);
		goto err;
	}
	/* Notifications are not answers to our requests: no sequence. */
	nl_socket_disable_seq_check(m->sk);
	ret = nl_socket_add_membership(m->sk, grp);
	if (ret >= 0)
		ret = nl_socket_set_nonblocking(m->sk);
	/* Room for a burst of plug events before the program reads them. */
	if (ret >= 0)
		ret = nl_socket_set_buffer_size(m->sk, MONITOR_RCVBUF, 0);
	if (ret < 0) {
		ret = nl_errno(ret);
		goto err;
	}
	*monp = m;
	return 0;
err:
	nl_socket_free(m->sk);
	free(m);
	return ret;
}

CTI_API void cti_card_monitor_close(struct cti_card_monitor *mon)
{
	if (!mon)
		return;
	for (size_t i = 0; i < mon->count; i++)
		free(mon->q[(mon->head + i) % MONITOR_QUEUE].desc);
	nl_socket_free(mon->sk);
	free(mon);
}

CTI_API int cti_card_monitor_get_fd(struct cti_card_monitor *mon)
{
	return nl_socket_get_fd(mon->sk);
}

/* Parse one datagram into the queue; what does not fit is dropped as
 * an overrun would be, and reported the same way. */
static int monitor_fill(struct cti_card_monitor *m)
{
	struct nlmsghdr *nlh;
	ssize_t got;
	int len, ret = 0;

	got = recv(nl_socket_get_fd(m->sk), m->buf, sizeof(m->buf),
		   MSG_DONTWAIT);
	if (got < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	len = (int)got;
	for (nlh = (struct nlmsghdr *)m->buf; nlmsg_ok(nlh, len);
	     nlh = nlmsg_next(nlh, &len)) {
		struct genlmsghdr *gh;
		struct notice *n;
		int change;

		if (nlh->nlmsg_type != m->family ||
		    nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
			continue;
		gh = nlmsg_data(nlh);
		switch (gh->cmd) {
		case CTI_NL_CMD_CARD_ADDED:
			change = CTI_CARD_ADDED;
			break;
		case CTI_NL_CMD_CARD_REMOVED:
			change = CTI_CARD_REMOVED;
			break;
		case CTI_NL_CMD_LINK_STATE:
			change = CTI_CARD_LINK_CHANGED;
			break;
		default:
			continue;	/* a newer kernel's: not ours to know */
		}
		if (m->count == MONITOR_QUEUE) {
			ret = -ENOBUFS;
			break;
		}
		n = &m->q[(m->head + m->count) % MONITOR_QUEUE];
		ret = parse_desc(nlh, &n->desc);
		if (ret)
			break;
		n->change = change;
		m->count++;
	}
	return ret;
}

CTI_API int cti_card_monitor_read(struct cti_card_monitor *mon, int *change,
				  struct cti_card_desc **descp)
{
	struct notice *n;
	int ret;

	if (!mon || !change || !descp)
		return -EINVAL;
	if (!mon->count) {
		ret = monitor_fill(mon);
		if (ret)
			return ret;
		if (!mon->count)
			return 0;
	}
	n = &mon->q[mon->head];
	mon->head = (mon->head + 1) % MONITOR_QUEUE;
	mon->count--;
	*change = n->change;
	*descp = n->desc;
	return 1;
}
