// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel cards opened by the host for a provider (cti_provider.h:
 * transport_open_card, card_open ... card_close). The provider never
 * touches /dev/ctiN: the host opens it through libcti's card layer, keeps
 * one POLL_ADD in the io_uring loop on its fd, and on each wakeup drains
 * the ring in batches (CARD_BATCH events a read, at most CARD_READS reads
 * a wakeup so that one busy card cannot starve the loop: the poll is
 * re-armed and fires again at once if records remain).
 *
 * A link card is one more transport: each LINK_FRAME is a transport_data
 * call, transport_send() is CTI_CMD_SEND_LINK_FRAME. A call-control card
 * hands the provider its records as they are (card_records).
 *
 * Lifetime: as transports. Closing marks the card closed and cancels its
 * poll; the object (and the card's file) is freed once no completion can
 * refer to it and no provider callback is running.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctid.h"	/* <linux/cti.h> before cti_card.h */
#include "cti_card.h"
#include "host/card.h"
#include "log.h"

#define CARD_BATCH	64
#define CARD_READS	16

struct hcard {
	struct loop_op poll_op, start_op;
	struct hcard *next;
	struct provider *p;		/* NULL once the provider is gone */
	int64_t id;
	uint64_t cookie;
	struct cti_card *card;
	struct cti_card_event_buffer *buf;
	uint8_t *recs;			/* one batch as kernel records */
	uint64_t lost;			/* records the ring lost */
	uint64_t sent;			/* link frames submitted */
	bool is_link, closed, poll_armed, start_armed, in_cb;
};

#define HC_OF(op, member) \
	((struct hcard *)((char *)(op) - offsetof(struct hcard, member)))

static void hc_maybe_free(struct hcard *c)
{
	if (!c->closed || c->poll_armed || c->start_armed || c->in_cb)
		return;
	cti_card_close(c->card);
	cti_card_event_buffer_free(c->buf);
	free(c->recs);
	free(c);
}

static void hc_unlink(struct hcard *c)
{
	if (!c->p)
		return;
	for (struct hcard **pp = &c->p->cards; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
}

static void hc_close(struct ctid *ctx, struct hcard *c)
{
	if (c->closed)
		return;
	c->closed = true;
	hc_unlink(c);
	if (c->poll_armed)
		io_uring_prep_poll_remove(loop_sqe(&ctx->loop, NULL),
					  (uint64_t)(uintptr_t)&c->poll_op);
	if (c->start_armed)
		io_uring_prep_cancel(loop_sqe(&ctx->loop, NULL), &c->start_op, 0);
	hc_maybe_free(c);
}

static struct hcard *hc_find(struct provider *p, int64_t id, bool link)
{
	for (struct hcard *c = p->cards; c; c = c->next)
		if (c->id == id && c->is_link == link)
			return c;
	return NULL;
}

static void hc_arm(struct ctid *ctx, struct hcard *c)
{
	struct io_uring_sqe *sqe = loop_sqe(&ctx->loop, &c->poll_op);

	io_uring_prep_poll_add(sqe, cti_card_get_fd(c->card), POLLIN);
	c->poll_armed = true;
}

/* The card is gone or unreadable: tell the provider, then close. */
static void hc_fail(struct ctid *ctx, struct hcard *c, int error)
{
	struct provider *p = c->p;
	bool tell = !c->closed && p && !p->in_shutdown;
	int64_t id = c->id;
	uint64_t cookie = c->cookie;
	bool link = c->is_link;

	if (error == -EIO)	/* a link's byte stream has a hole now */
		log_rl(&ctx->log, LOG_LVL_WARN, "provider %s: link card %s: its ring lost %llu frames; the transport is closed",
		       p ? p->name : "?", cti_card_get_path(c->card),
		       (unsigned long long)c->lost);
	else
		log_rl(&ctx->log, LOG_LVL_INFO, "provider %s: card %s: %s",
		       p ? p->name : "?", cti_card_get_path(c->card),
		       error == -ENODEV ? "removed" : strerror(-error));
	hc_close(ctx, c);	/* may free c: only the copies are used below */
	if (!tell)
		return;
	if (link && p->ops->transport_closed)
		p->ops->transport_closed(p->state, id, cookie, error);
	else if (!link && CARD_OP(p, card_closed))
		p->ops->card_closed(p->state, id, cookie, error);
}

/* A link card's batch: one transport_data per frame, loss ends it. */
static int hc_deliver_link(struct hcard *c, size_t n)
{
	struct provider *p = c->p;

	for (size_t i = 0; i < n && !c->closed; i++) {
		const struct cti_card_event *ev =
			cti_card_event_buffer_get_event(c->buf, i);
		const void *data;
		size_t len;

		switch (cti_card_event_get_type(ev)) {
		case CTI_EV_LINK_FRAME:
			len = cti_card_event_get_data(ev, &data);
			if (len && p->ops->transport_data)
				p->ops->transport_data(p->state, c->id, c->cookie,
						       data, len);
			break;
		case CTI_EV_OVERFLOW:
			c->lost += cti_card_event_get_lost(ev);
			p->ctx->stats.card_events_lost += cti_card_event_get_lost(ev);
			return -EIO;
		case CTI_EV_CARD_REMOVED:
			return -ENODEV;
		default:
			break;
		}
	}
	return 0;
}

/* A call-control card's batch: the records back to back, in one call. */
static int hc_deliver_records(struct hcard *c, size_t n)
{
	struct provider *p = c->p;
	size_t len = 0;
	int gone = 0;

	for (size_t i = 0; i < n; i++) {
		const struct cti_card_event *ev =
			cti_card_event_buffer_get_event(c->buf, i);
		uint32_t type = cti_card_event_get_type(ev);

		if (type == CTI_EV_CARD_REMOVED) {
			gone = -ENODEV;
			break;
		}
		if (type == CTI_EV_OVERFLOW) {
			c->lost += cti_card_event_get_lost(ev);
			p->ctx->stats.card_events_lost += cti_card_event_get_lost(ev);
		}
		len += card_rec_build(ev, c->recs + len);
	}
	if (len && CARD_OP(p, card_records))
		p->ops->card_records(p->state, c->id, c->cookie, c->recs, len);
	return gone;
}

static void hc_poll_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct ctid *ctx = ctid_of_loop(lp);
	struct hcard *c = HC_OF(op, poll_op);
	int ret = 0;

	c->poll_armed = false;
	if (c->closed || !c->p || c->p->in_shutdown) {
		hc_maybe_free(c);
		return;
	}
	if (cqe->res == -ECANCELED) {
		hc_maybe_free(c);
		return;
	}
	c->in_cb = true;
	for (int i = 0; i < CARD_READS && !ret && !c->closed; i++) {
		int n = cti_card_read_events(c->card, c->buf, CARD_BATCH);

		if (n <= 0) {
			ret = n;
			break;
		}
		ret = c->is_link ? hc_deliver_link(c, (size_t)n) :
				   hc_deliver_records(c, (size_t)n);
		if (n < CARD_BATCH)
			break;
	}
	c->in_cb = false;
	if (c->closed) {
		hc_maybe_free(c);
		return;
	}
	if (ret < 0) {
		hc_fail(ctx, c, ret);
		return;
	}
	hc_arm(ctx, c);
}

/* The start: connected (link) and the first poll, from the loop. */
static void hc_start_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct ctid *ctx = ctid_of_loop(lp);
	struct hcard *c = HC_OF(op, start_op);
	struct provider *p = c->p;

	(void)cqe;
	c->start_armed = false;
	if (c->closed || !p || p->in_shutdown) {
		hc_maybe_free(c);
		return;
	}
	if (c->is_link && p->ops->transport_connected) {
		c->in_cb = true;
		p->ops->transport_connected(p->state, c->id, c->cookie, 0);
		c->in_cb = false;
	}
	if (c->closed) {
		hc_maybe_free(c);
		return;
	}
	hc_arm(ctx, c);
}

/* "/dev/ctiN" or a card's name (looked up through netlink). */
static int hc_open_named(const char *card, struct cti_card **cardp)
{
	struct cti_card_list *list;
	size_t len;
	int ret = -ENOENT;

	if (!card || !card[0])
		return -EINVAL;
	if (!strncmp(card, "/dev/", 5)) {
		if (strncmp(card, "/dev/cti", 8) || strstr(card, "/.."))
			return -EINVAL;
		return cti_card_open(card, 0, cardp);
	}
	len = strnlen(card, CTI_NAME_MAX);
	if (len >= CTI_NAME_MAX || strchr(card, '/'))
		return -EINVAL;
	ret = cti_card_list_new(&list);
	if (ret)
		return ret;
	ret = -ENOENT;
	for (size_t i = 0; i < cti_card_list_get_count(list); i++) {
		const struct cti_card_desc *d = cti_card_list_get_desc(list, i);

		if (!strcmp(cti_card_desc_get_name(d), card)) {
			ret = cti_card_open_index(cti_card_desc_get_index(d), 0,
						  cardp);
			break;
		}
	}
	cti_card_list_free(list);
	return ret;
}

static int64_t hc_open(struct ctid *ctx, struct provider *p, const char *name,
		       uint64_t cookie, bool link)
{
	struct cti_card_desc *desc = NULL;
	struct hcard *c;
	uint64_t want = link ? CTI_CARD_CAP_LINK : CTI_CARD_CAP_CALL_CONTROL;
	int ret;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	ret = hc_open_named(name, &c->card);
	if (!ret)
		ret = cti_card_get_desc(c->card, &desc);
	if (!ret && !(cti_card_desc_get_caps(desc) & want))
		ret = -EPROTOTYPE;
	if (!ret)
		ret = cti_card_event_buffer_new(CARD_BATCH, &c->buf);
	if (!ret && !(c->recs = malloc(CARD_BATCH * CTI_EVENT_MAX_SIZE)))
		ret = -ENOMEM;
	if (ret) {
		log_rl(&ctx->log, LOG_LVL_WARN, "provider %s: card %s: %s",
		       p->name, name ? name : "(null)", strerror(-ret));
		cti_card_desc_free(desc);
		c->closed = true;
		hc_maybe_free(c);
		return ret;
	}
	cti_card_desc_free(desc);
	c->p = p;
	c->is_link = link;
	c->cookie = cookie;
	c->id = link ? ++p->next_transport_id : ++p->next_card_id;
	c->poll_op.done = hc_poll_done;
	c->start_op.done = hc_start_done;
	c->next = p->cards;
	p->cards = c;
	/* nothing reaches the provider inside the caller */
	io_uring_prep_nop(loop_sqe(&ctx->loop, &c->start_op));
	c->start_armed = true;
	log_msg(&ctx->log, LOG_LVL_INFO, "provider %s: opened %s card %s",
		p->name, link ? "link" : "call-control", cti_card_get_path(c->card));
	return c->id;
}

int64_t card_link_open(struct ctid *ctx, struct provider *p, const char *card,
		       uint64_t cookie)
{
	return hc_open(ctx, p, card, cookie, true);
}

int64_t card_open(struct ctid *ctx, struct provider *p, const char *card,
		  uint64_t cookie)
{
	return hc_open(ctx, p, card, cookie, false);
}

int card_link_send(struct ctid *ctx, struct provider *p, int64_t tid,
		   const void *buf, size_t len, int *ret)
{
	struct hcard *c = hc_find(p, tid, true);
	struct cti_card_request req = {
		.size = sizeof(req),
		.cmd = CTI_CMD_SEND_LINK_FRAME,
		.line = 0,
	};

	(void)ctx;
	if (!c)
		return 0;
	if (!buf || !len || len > CTI_LINK_FRAME_MAX) {
		*ret = -EINVAL;
		return 1;
	}
	if (c->start_armed) {
		*ret = -ENOTCONN;
		return 1;
	}
	req.data = buf;
	req.data_len = (uint32_t)len;
	req.id = ++c->sent;	/* its REPLY is not awaited: errors show as -EIO */
	*ret = cti_card_submit(c->card, &req);
	if (*ret == -EAGAIN || *ret == -ENOSPC)
		*ret = -ENOBUFS;
	return 1;
}

int card_link_close(struct ctid *ctx, struct provider *p, int64_t tid, int *ret)
{
	struct hcard *c = hc_find(p, tid, true);

	if (!c)
		return 0;
	hc_close(ctx, c);
	*ret = 0;
	return 1;
}

int card_close(struct ctid *ctx, struct provider *p, int64_t cid)
{
	struct hcard *c = hc_find(p, cid, false);

	if (!c)
		return -ENOENT;
	hc_close(ctx, c);
	return 0;
}

void cards_close_all(struct ctid *ctx, struct provider *p)
{
	while (p->cards) {
		struct hcard *c = p->cards;

		p->cards = c->next;
		c->p = NULL;	/* before hc_close(), which may free it */
		hc_close(ctx, c);
	}
	card_watch(ctx, p, 0);
}

/* ---- what a provider asks of an open call-control card ---- */

struct cti_card *card_of(struct provider *p, int64_t cid, uint64_t *lost)
{
	struct hcard *c = hc_find(p, cid, false);

	if (!c || c->closed)
		return NULL;
	if (lost)
		*lost = c->lost;
	return c->card;
}
