/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel cards in the host (host/card.c, card_rec.c, card_watch.c): the
 * host opens /dev/ctiN through libcti's card layer, polls it from the
 * io_uring loop and drains its ring in batches for the provider, as link
 * transports (transport_open_card) or as call-control cards
 * (card_open ... card_records), and follows cards arriving and leaving
 * through the kernel's netlink family (card_watch).
 */
#ifndef CTID_HOST_CARD_H
#define CTID_HOST_CARD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cti_provider.h"

struct ctid;
struct provider;
struct cti_card_event;
struct cti_card_desc;

/* Whether @p's ops table is new enough to have op @fn, and has it. */
#define CARD_OP(p, fn) \
	((p)->ops->size >= offsetof(struct cti_provider_ops, fn) + \
	 sizeof((p)->ops->fn) && (p)->ops->fn)

/* Copy @src into @dst of @cap bytes, cut and NUL-terminated. */
static inline void card_copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src ? src : "", cap - 1);

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

/* card_rec.c: @ev as its kernel record into @out (CTI_EVENT_MAX_SIZE
 * bytes); returns the record's size. */
size_t card_rec_build(const struct cti_card_event *ev, void *out);
/* card_rec.c: a card's description as the provider ABI's card info. */
void card_info_from_desc(const struct cti_card_desc *d,
			 struct cti_provider_card_info *info);

/* card.c */
int64_t card_link_open(struct ctid *ctx, struct provider *p, const char *card,
		       uint64_t cookie);
/* 1 if @tid is one of @p's link cards, then *@ret is the result. */
int card_link_send(struct ctid *ctx, struct provider *p, int64_t tid,
		   const void *buf, size_t len, int *ret);
int card_link_close(struct ctid *ctx, struct provider *p, int64_t tid, int *ret);

int64_t card_open(struct ctid *ctx, struct provider *p, const char *card,
		  uint64_t cookie);
int card_get_info(struct provider *p, int64_t cid,
		  struct cti_provider_card_info *info);
int card_get_line(struct provider *p, int64_t cid, uint32_t line,
		  struct cti_provider_line_desc *desc, uint32_t *phone);
int card_submit(struct provider *p, int64_t cid,
		const struct cti_provider_request *req);
int card_snapshot(struct provider *p, int64_t cid,
		  struct cti_provider_card_snapshot *snap);
int card_close(struct ctid *ctx, struct provider *p, int64_t cid);
/* Unload: every card and the watch go, silently. */
void cards_close_all(struct ctid *ctx, struct provider *p);

/* The open call-control card @cid of @p (and the records it lost). */
struct cti_card *card_of(struct provider *p, int64_t cid, uint64_t *lost);

/* card_watch.c */
int card_watch(struct ctid *ctx, struct provider *p, int on);

#endif
