// SPDX-License-Identifier: GPL-2.0
/*
 * card_watch: cards arriving and leaving, for a provider that asked
 * (cti_provider.h: card_watch, the card_changed op). The host owns the
 * netlink socket of libcti's card monitor and polls it from its loop.
 *
 * The start follows the monitor's own rule: open the monitor first, then
 * list the cards, so that no card falls between the two; the list is
 * handed to the provider from the loop (never inside card_watch()), each
 * card as ADDED. A notification overrun (-ENOBUFS) is met the same way:
 * list again and report every card as ADDED; the provider ignores the
 * ones it has, and learns of a card that went from the card's own file
 * (card_closed), which never misses.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "ctid.h"	/* <linux/cti.h> before cti_card.h */
#include "cti_card.h"
#include "host/card.h"
#include "log.h"

struct hwatch {
	struct loop_op poll_op, list_op;
	struct provider *p;		/* NULL once it is stopped */
	struct cti_card_monitor *mon;
	struct cti_card_list *list;	/* waiting for list_op */
	bool poll_armed, list_armed, in_cb;
};

#define HW_OF(op, member) \
	((struct hwatch *)((char *)(op) - offsetof(struct hwatch, member)))

static void hw_maybe_free(struct hwatch *w)
{
	if (w->p || w->poll_armed || w->list_armed || w->in_cb)
		return;
	cti_card_monitor_close(w->mon);
	cti_card_list_free(w->list);
	free(w);
}

static bool hw_live(struct hwatch *w)
{
	return w->p && !w->p->in_shutdown && CARD_OP(w->p, card_changed);
}

static void hw_tell(struct hwatch *w, uint32_t change,
		    const struct cti_card_desc *d)
{
	struct cti_provider_card_info info;

	card_info_from_desc(d, &info);
	w->in_cb = true;
	w->p->ops->card_changed(w->p->state, change, &info);
	w->in_cb = false;
}

static void hw_arm_poll(struct ctid *ctx, struct hwatch *w)
{
	io_uring_prep_poll_add(loop_sqe(&ctx->loop, &w->poll_op),
			       cti_card_monitor_get_fd(w->mon), POLLIN);
	w->poll_armed = true;
}

static int hw_list(struct ctid *ctx, struct hwatch *w)
{
	int ret;

	cti_card_list_free(w->list);
	w->list = NULL;
	ret = cti_card_list_new(&w->list);
	if (ret)
		return ret;
	io_uring_prep_nop(loop_sqe(&ctx->loop, &w->list_op));
	w->list_armed = true;
	return 0;
}

static void hw_list_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct hwatch *w = HW_OF(op, list_op);
	struct cti_card_list *list = w->list;

	(void)lp;
	(void)cqe;
	w->list_armed = false;
	w->list = NULL;
	for (size_t i = 0; list && i < cti_card_list_get_count(list) && hw_live(w); i++)
		hw_tell(w, CTI_PROVIDER_CARD_ADDED, cti_card_list_get_desc(list, i));
	cti_card_list_free(list);
	hw_maybe_free(w);
}

static void hw_poll_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct ctid *ctx = ctid_of_loop(lp);
	struct hwatch *w = HW_OF(op, poll_op);
	int ret = 1;

	w->poll_armed = false;
	if (!hw_live(w) || cqe->res == -ECANCELED) {
		hw_maybe_free(w);
		return;
	}
	/* bounded: at most 64 changes a wakeup, the poll fires again */
	for (int i = 0; i < 64 && ret == 1 && hw_live(w); i++) {
		struct cti_card_desc *d = NULL;
		int change = 0;

		ret = cti_card_monitor_read(w->mon, &change, &d);
		if (ret == 1)
			hw_tell(w, (uint32_t)change, d);
		cti_card_desc_free(d);
	}
	if (ret == -ENOBUFS && !w->list_armed) {
		log_rl(&ctx->log, LOG_LVL_WARN, "provider %s: card notifications overran; listing the cards again",
		       w->p ? w->p->name : "?");
		ret = hw_list(ctx, w);
	}
	if (ret < 0 && ret != -ENOBUFS)
		log_rl(&ctx->log, LOG_LVL_WARN, "card monitor: %s", strerror(-ret));
	if (hw_live(w))
		hw_arm_poll(ctx, w);
	else
		hw_maybe_free(w);
}

static void hw_stop(struct ctid *ctx, struct hwatch *w)
{
	w->p = NULL;
	if (w->poll_armed)
		io_uring_prep_poll_remove(loop_sqe(&ctx->loop, NULL),
					  (uint64_t)(uintptr_t)&w->poll_op);
	if (w->list_armed)
		io_uring_prep_cancel(loop_sqe(&ctx->loop, NULL), &w->list_op, 0);
	hw_maybe_free(w);
}

int card_watch(struct ctid *ctx, struct provider *p, int on)
{
	struct hwatch *w = p->watch;
	int ret;

	if (!on) {
		if (w) {
			p->watch = NULL;
			hw_stop(ctx, w);
		}
		return 0;
	}
	if (w)
		return 0;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->poll_op.done = hw_poll_done;
	w->list_op.done = hw_list_done;
	ret = cti_card_monitor_open(&w->mon);
	if (!ret)
		ret = hw_list(ctx, w);
	if (ret) {
		hw_maybe_free(w);	/* w->p is NULL: freed now */
		return ret;
	}
	w->p = p;
	p->watch = w;
	hw_arm_poll(ctx, w);
	return 0;
}
