// SPDX-License-Identifier: GPL-2.0
/*
 * netlink: the generic netlink family "cti", through libnl-genl
 *
 * Resolve the family, dump every card (200 of them too, more than one
 * part of a dump holds), get one by index (and ENOENT for an index that
 * does not exist), and the "events" multicast group:
 * CARD_ADDED and CARD_REMOVED when a card goes live and away, LINK_STATE
 * when its link goes down and up; CARD_LOST, the records the card's
 * readers lost to ring overflow since it appeared.
 */
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "cti_test.h"
#include "kselftest_harness.h"

/* What one message of the family said about a card. */
struct nl_card {
	uint8_t cmd;
	bool has_index;
	uint32_t index, lines, phones, link_state;
	uint64_t caps;
	bool has_lost;
	uint64_t lost;
	char name[CTI_NAME_MAX], driver[CTI_NAME_MAX];
};

/* Messages collected by the callback. */
struct nl_collect {
	struct nl_card cards[256];
	unsigned int n;
	size_t bytes;		/* the length of the messages parsed */
	int error;		/* from an error message: a negative errno */
	bool done;
	unsigned int cursor;	/* wait_notify() looks from here on */
};

static int parse_card(struct nl_msg *msg, void *arg)
{
	struct nl_collect *c = arg;
	struct nlattr *tb[CTI_NL_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nl_card *card;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTI_NL_A_MAX, NULL) < 0)
		return NL_SKIP;
	if (c->n >= ARRAY_SIZE(c->cards))
		return NL_SKIP;
	card = &c->cards[c->n++];
	c->bytes += NLMSG_ALIGN(nlmsg_hdr(msg)->nlmsg_len);
	memset(card, 0, sizeof(*card));
	card->cmd = gh->cmd;
	if (tb[CTI_NL_A_CARD_INDEX]) {
		card->has_index = true;
		card->index = nla_get_u32(tb[CTI_NL_A_CARD_INDEX]);
	}
	if (tb[CTI_NL_A_CARD_NAME])
		snprintf(card->name, sizeof(card->name), "%s",
			 nla_get_string(tb[CTI_NL_A_CARD_NAME]));
	if (tb[CTI_NL_A_CARD_DRIVER])
		snprintf(card->driver, sizeof(card->driver), "%s",
			 nla_get_string(tb[CTI_NL_A_CARD_DRIVER]));
	if (tb[CTI_NL_A_CARD_LINES])
		card->lines = nla_get_u32(tb[CTI_NL_A_CARD_LINES]);
	else
		card->lines = ~0u;
	if (tb[CTI_NL_A_CARD_PHONES])
		card->phones = nla_get_u32(tb[CTI_NL_A_CARD_PHONES]);
	if (tb[CTI_NL_A_CARD_CAPS])
		card->caps = nla_get_u64(tb[CTI_NL_A_CARD_CAPS]);
	card->link_state = ~0u;
	if (tb[CTI_NL_A_CARD_LINK_STATE])
		card->link_state = nla_get_u32(tb[CTI_NL_A_CARD_LINK_STATE]);
	if (tb[CTI_NL_A_CARD_LOST]) {
		card->has_lost = true;
		card->lost = nla_get_u64(tb[CTI_NL_A_CARD_LOST]);
	}
	return NL_OK;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct nl_collect *c = arg;

	c->error = err->error;
	c->done = true;
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	((struct nl_collect *)arg)->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	((struct nl_collect *)arg)->done = true;
	return NL_STOP;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

FIXTURE(nl) {
	struct nl_sock *sk;
	struct nl_cb *cb;
	struct nl_collect col;
	int family;
};

FIXTURE_SETUP(nl)
{
	self->sk = nl_socket_alloc();
	ASSERT_NE(NULL, self->sk);
	ASSERT_EQ(0, genl_connect(self->sk));
	self->family = genl_ctrl_resolve(self->sk, CTI_GENL_NAME);
	ASSERT_LT(0, self->family) TH_LOG("family \"cti\" not found");
	self->cb = nl_cb_alloc(NL_CB_CUSTOM);
	ASSERT_NE(NULL, self->cb);
	nl_cb_set(self->cb, NL_CB_VALID, NL_CB_CUSTOM, parse_card, &self->col);
	nl_cb_set(self->cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &self->col);
	nl_cb_set(self->cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &self->col);
	nl_cb_err(self->cb, NL_CB_CUSTOM, on_error, &self->col);
}

FIXTURE_TEARDOWN(nl)
{
	nl_cb_put(self->cb);
	nl_socket_free(self->sk);
}

/* Send GET_CARD (a dump, or for @index) and collect the answer. */
static int get_card(FIXTURE_DATA(nl) *self, bool dump, uint32_t index)
{
	struct nl_msg *msg = nlmsg_alloc();
	int ret;

	if (!msg)
		return -ENOMEM;
	memset(&self->col, 0, sizeof(self->col));
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, self->family, 0,
			 (dump ? NLM_F_DUMP : 0) | NLM_F_ACK,
			 CTI_NL_CMD_GET_CARD, CTI_GENL_VERSION)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	if (!dump && nla_put_u32(msg, CTI_NL_A_CARD_INDEX, index)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	ret = nl_send_auto(self->sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		return -EIO;
	while (!self->col.done) {
		ret = nl_recvmsgs(self->sk, self->cb);
		if (ret < 0 && !self->col.done)
			return -EIO;
	}
	return self->col.error;
}

static const struct nl_card *find_card(const struct nl_collect *c,
				       const char *name)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->cards[i].name, name))
			return &c->cards[i];
	return NULL;
}

static unsigned int dev_index(const struct cti_sim *sim)
{
	unsigned int idx = ~0u;

	sscanf(sim->dev, "cti%u", &idx);
	return idx;
}

TEST_F(nl, dump_and_get)
{
	struct cti_sim a, b;
	const struct nl_card *c;

	ASSERT_EQ(0, cti_sim_create(&a, 3, 1, NULL));
	ASSERT_EQ(0, cti_sim_create(&b, 5, 0, "link"));

	ASSERT_EQ(0, get_card(self, true, 0));
	c = find_card(&self->col, a.name);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(CTI_NL_CMD_GET_CARD, c->cmd);
	ASSERT_TRUE(c->has_index);
	ASSERT_EQ(dev_index(&a), c->index);
	ASSERT_EQ(3, c->lines);
	ASSERT_EQ(1, c->phones);
	ASSERT_STREQ("cti_sim", c->driver);
	ASSERT_EQ(CTI_LINK_UP, c->link_state);
	ASSERT_TRUE(c->caps & CTI_CARD_CAP_CALL_CONTROL);
	ASSERT_TRUE(c->has_lost);
	ASSERT_EQ(0, c->lost);
	c = find_card(&self->col, b.name);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(dev_index(&b), c->index);
	ASSERT_EQ(5, c->lines);
	ASSERT_TRUE(c->caps & CTI_CARD_CAP_LINK);
	ASSERT_FALSE(c->caps & CTI_CARD_CAP_CALL_CONTROL);

	/* One card by index. */
	ASSERT_EQ(0, get_card(self, false, dev_index(&b)));
	ASSERT_EQ(1, self->col.n);
	ASSERT_STREQ(b.name, self->col.cards[0].name);
	ASSERT_EQ(5, self->col.cards[0].lines);

	/* A card that went away is not found, in get nor in the dump. */
	ASSERT_EQ(0, cti_sim_set_live(&b, 0));
	ASSERT_EQ(-ENOENT, get_card(self, false, dev_index(&a) + 1000));
	ASSERT_EQ(0, get_card(self, true, 0));
	ASSERT_NE(NULL, find_card(&self->col, a.name));
	ASSERT_EQ(NULL, find_card(&self->col, b.name));

	cti_sim_destroy(&b);
	cti_sim_destroy(&a);
}

/* Ask the sim for @n flood records and wait until it has posted them. */
static int flood_wait(struct cti_sim *sim, unsigned int n)
{
	int64_t end = cti_now_ms() + 20000;
	uint64_t left;
	int ret;

	ret = cti_sim_ctl(sim, "flood", "%u", n);
	while (!ret) {
		ret = cti_sim_ctl_read_u64(sim, "flood", &left);
		if (ret || !left)
			break;
		if (cti_now_ms() > end)
			return -ETIMEDOUT;
		cti_sleep_ms(2);
	}
	return ret;
}

/* The card's sysfs "lost", or ~0 if it cannot be read. */
static uint64_t sysfs_lost(const struct cti_sim *sim)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "/sys/class/cti/%s/lost", sim->dev);
	if (cti_read_file(path, buf, sizeof(buf)) < 0)
		return ~0ull;
	return strtoull(buf, NULL, 10);
}

#define LOST_FLOOD	20000

/*
 * CARD_LOST: two readers that read nothing while the card floods past
 * their rings; the card's count is the sum of what their overflow words
 * say, in get, dump and sysfs alike; a reader with room loses nothing;
 * the count outlives the files (it is the card's since it appeared) and
 * a new card starts at 0.
 */
TEST_F_TIMEOUT(nl, lost_count, 120)
{
	struct cti_sim a, b;
	struct cti_ring r1, r2;
	const struct nl_card *c;
	uint64_t l1, l2;
	int fd1, fd2;

	/* No file of the helper's: the test's two are the card's readers. */
	ASSERT_EQ(0, cti_sim_setup(&a, 2, 0, NULL));
	ASSERT_EQ(0, cti_sim_set_live(&a, 1));
	fd1 = cti_sim_open(&a, O_RDWR);
	fd2 = cti_sim_open(&a, O_RDWR);
	ASSERT_LE(0, fd1);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, cti_ring_map(fd1, &r1));
	ASSERT_EQ(0, cti_ring_map(fd2, &r2));
	ASSERT_EQ(0, get_card(self, false, dev_index(&a)));
	ASSERT_EQ(1, self->col.n);
	ASSERT_TRUE(self->col.cards[0].has_lost);
	ASSERT_EQ(0, self->col.cards[0].lost);

	ASSERT_EQ(0, flood_wait(&a, LOST_FLOOD));
	l1 = cti_ring_overflow(&r1);
	l2 = cti_ring_overflow(&r2);
	TH_LOG("flood of %d: lost %llu and %llu", LOST_FLOOD,
	       (unsigned long long)l1, (unsigned long long)l2);
	ASSERT_LT(0, l1);
	ASSERT_LT(0, l2);
	ASSERT_GT(LOST_FLOOD, l1);

	ASSERT_EQ(0, get_card(self, false, dev_index(&a)));
	ASSERT_EQ(1, self->col.n);
	ASSERT_EQ(l1 + l2, self->col.cards[0].lost);
	ASSERT_EQ(0, get_card(self, true, 0));
	c = find_card(&self->col, a.name);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(l1 + l2, c->lost);
	ASSERT_EQ(l1 + l2, sysfs_lost(&a));

	/* Closed files keep their losses in the card's count. */
	cti_ring_unmap(&r1);
	cti_ring_unmap(&r2);
	close(fd1);
	close(fd2);
	ASSERT_EQ(0, get_card(self, false, dev_index(&a)));
	ASSERT_EQ(l1 + l2, self->col.cards[0].lost);

	/* A reader with room loses nothing, and the count does not move. */
	fd1 = cti_sim_open(&a, O_RDWR);
	ASSERT_LE(0, fd1);
	ASSERT_EQ(0, flood_wait(&a, 100));
	ASSERT_EQ(0, get_card(self, false, dev_index(&a)));
	ASSERT_EQ(l1 + l2, self->col.cards[0].lost);
	close(fd1);

	ASSERT_EQ(0, cti_sim_create(&b, 1, 0, NULL));
	ASSERT_EQ(0, get_card(self, false, dev_index(&b)));
	ASSERT_EQ(1, self->col.n);
	ASSERT_EQ(0, self->col.cards[0].lost);
	ASSERT_EQ(0, sysfs_lost(&b));
	cti_sim_destroy(&b);
	cti_sim_destroy(&a);
}

/*
 * More cards than one dump skb holds: libnl reads in 16 KiB, so the
 * kernel fills dump skbs of at most that (netlink_dump() sizes them by
 * the reader's buffer); ~22 KiB of answers take two parts or more, and
 * the second must resume where the first stopped: every card once.
 */
#define MANY_CARDS	200

TEST_F_TIMEOUT(nl, dump_many, 120)
{
	static struct cti_sim sims[MANY_CARDS];
	unsigned int i, j, seen;

	for (i = 0; i < MANY_CARDS; i++)
		ASSERT_EQ(0, cti_sim_create(&sims[i], 1 + i % 5, 0, NULL));
	ASSERT_EQ(0, get_card(self, true, 0));
	ASSERT_LE(MANY_CARDS, self->col.n);
	ASSERT_LT(16384, self->col.bytes);
	ASSERT_GT(ARRAY_SIZE(self->col.cards), self->col.n);
	for (i = 0; i < MANY_CARDS; i++) {
		const struct nl_card *c = NULL;

		for (seen = 0, j = 0; j < self->col.n; j++) {
			if (!strcmp(self->col.cards[j].name, sims[i].name)) {
				c = &self->col.cards[j];
				seen++;
			}
		}
		ASSERT_EQ(1, seen) TH_LOG("card %s", sims[i].name);
		ASSERT_EQ(dev_index(&sims[i]), c->index);
		ASSERT_EQ(1 + i % 5, c->lines);
	}
	/* Indices in the dump are unique and ascending. */
	for (j = 1; j < self->col.n; j++)
		ASSERT_LT(self->col.cards[j - 1].index,
			  self->col.cards[j].index);
	for (i = 0; i < MANY_CARDS; i++)
		cti_sim_destroy(&sims[i]);
}

TEST_F(nl, get_enoent_and_einval)
{
	struct nl_msg *msg;
	int ret;

	ASSERT_EQ(-ENOENT, get_card(self, false, 0x7ffffff0));
	ASSERT_EQ(0, self->col.n);

	/* A doit without the index attribute is malformed. */
	msg = nlmsg_alloc();
	ASSERT_NE(NULL, msg);
	memset(&self->col, 0, sizeof(self->col));
	ASSERT_NE(NULL, genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ,
				    self->family, 0, NLM_F_ACK,
				    CTI_NL_CMD_GET_CARD, CTI_GENL_VERSION));
	ASSERT_LT(0, nl_send_auto(self->sk, msg));
	nlmsg_free(msg);
	while (!self->col.done) {
		ret = nl_recvmsgs(self->sk, self->cb);
		if (ret < 0)
			break;
	}
	ASSERT_EQ(-EINVAL, self->col.error);
}

/* Wait for a multicast notification; returns it or NULL. */
static const struct nl_card *wait_notify(struct nl_sock *sk,
					 struct nl_collect *col, uint8_t cmd,
					 const char *name, int timeout_ms)
{
	int64_t end = cti_now_ms() + timeout_ms;
	unsigned int i;

	for (;;) {
		/* Each notification is matched once, in the order it came. */
		for (i = col->cursor; i < col->n; i++) {
			if (col->cards[i].cmd == cmd &&
			    !strcmp(col->cards[i].name, name)) {
				col->cursor = i + 1;
				return &col->cards[i];
			}
		}
		col->cursor = col->n;
		if (col->n == ARRAY_SIZE(col->cards))
			col->n = col->cursor = 0;
		if (cti_now_ms() > end ||
		    cti_poll(nl_socket_get_fd(sk), POLLIN,
			     (int)(end - cti_now_ms())) <= 0)
			return NULL;
		nl_recvmsgs_default(sk);
	}
}

TEST_F(nl, multicast)
{
	const struct nl_card *c;
	struct nl_sock *mc;
	struct cti_sim sim;
	unsigned int idx;
	int grp;

	mc = nl_socket_alloc();
	ASSERT_NE(NULL, mc);
	ASSERT_EQ(0, genl_connect(mc));
	nl_socket_disable_seq_check(mc);
	nl_socket_modify_cb(mc, NL_CB_VALID, NL_CB_CUSTOM, parse_card,
			    &self->col);
	nl_socket_modify_cb(mc, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check,
			    NULL);
	grp = genl_ctrl_resolve_grp(self->sk, CTI_GENL_NAME,
				    CTI_NL_MCGRP_EVENTS);
	ASSERT_LT(0, grp);
	ASSERT_EQ(0, nl_socket_add_membership(mc, grp));
	ASSERT_EQ(0, nl_socket_set_nonblocking(mc));
	memset(&self->col, 0, sizeof(self->col));

	/* Going live announces the card, with its index and name. */
	ASSERT_EQ(0, cti_sim_setup(&sim, 2, 0, NULL));
	ASSERT_EQ(0, cti_sim_set_live(&sim, 1));
	idx = dev_index(&sim);
	c = wait_notify(mc, &self->col, CTI_NL_CMD_CARD_ADDED, sim.name,
			5000);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(idx, c->index);
	ASSERT_EQ(2, c->lines);

	/* The link going down and up. */
	ASSERT_EQ(0, cti_sim_ctl(&sim, "link", "down"));
	c = wait_notify(mc, &self->col, CTI_NL_CMD_LINK_STATE, sim.name,
			5000);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(idx, c->index);
	ASSERT_EQ(CTI_LINK_DOWN, c->link_state);
	ASSERT_EQ(0, cti_sim_ctl(&sim, "link", "up"));
	c = wait_notify(mc, &self->col, CTI_NL_CMD_LINK_STATE, sim.name,
			5000);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(CTI_LINK_UP, c->link_state);

	/* Unplug announces the removal. */
	ASSERT_EQ(0, cti_sim_set_live(&sim, 0));
	c = wait_notify(mc, &self->col, CTI_NL_CMD_CARD_REMOVED,
			sim.name, 5000);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(idx, c->index);

	/* Live again: added again; rmdir of a live card: removed. */
	ASSERT_EQ(0, cti_sim_set_live(&sim, 1));
	c = wait_notify(mc, &self->col, CTI_NL_CMD_CARD_ADDED, sim.name,
			5000);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, cti_sim_destroy(&sim));
	c = wait_notify(mc, &self->col, CTI_NL_CMD_CARD_REMOVED,
			sim.name, 5000);
	ASSERT_NE(NULL, c);
	nl_socket_free(mc);
}

TEST_HARNESS_MAIN
