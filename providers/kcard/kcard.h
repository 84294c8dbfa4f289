/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kcard: the provider of kernel call-control cards (README.md). It
 * presents the lines of the cards /dev/ctiN as ctid lines, through the
 * host's card API (cti_provider.h: card_open ... card_records): the host
 * opens the cards and drains their rings; kcard maps lines, phones and
 * requests, keeps a mirror of the calls to resynchronise from the card's
 * snapshot, and follows cards arriving and leaving.
 */
#ifndef _CTI_KCARD_H
#define _CTI_KCARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../cti_provider.h"

#define KC_CARDS_MAX	64	/* cards at once (a slot each) */
#define KC_NAMES_MAX	16	/* "card" keys */
#define KC_LINE_BITS	16	/* provider-local line = slot << 16 | line */
#define KC_LINES_MAX	(1u << KC_LINE_BITS)

struct kc_call {
	uint32_t line;			/* the card's line */
	uint32_t call;
	uint32_t state;
};

/*
 * What kcard keeps of a line's phone: its size, and the display's rows
 * (rows x cols, NULL until first written), which no kernel record holds.
 */
struct kc_phone {
	uint32_t lamps, rows, cols;
	char *display;
};

struct kc_card {
	bool used;
	int64_t cid;
	char name[CTI_NAME_MAX];
	uint32_t nlines, nphones;
	uint32_t *phone_of_line;	/* card line -> phone, or NONE */
	uint32_t *line_of_phone;	/* phone -> card line, or NONE */
	bool *present;			/* the line was added to the host */
	struct kc_phone *phones;	/* card line -> its phone's state */
	struct kc_call *calls;		/* the mirror */
	size_t ncalls, calls_cap;
	uint64_t skip_upto;		/* records up to here are in the snapshot */
	uint64_t lost;			/* records the ring lost */
	uint32_t resyncs;
};

/*
 * A request under way on a card: completed by its REPLY. A phone command
 * is kept with its arguments (the card's line, not its phone), applied to
 * the phone's state when the REPLY says it succeeded (kc_phone.c).
 */
struct kc_req {
	struct kc_req *next;
	uint64_t handle;		/* the host's, and the card's request id */
	uint32_t slot;
	uint32_t cmd, line, arg, arg2;
	uint32_t text_len;		/* SET_DISPLAY: its text */
	char text[CTI_DISPLAY_MAX];
};

/* The userspace-only records kcard posts for a phone. */
union kc_phone_uev {
	struct cti_event hdr;
	struct cti_uev_phone_display display;
	struct cti_uev_phone_lamp lamp;
	struct cti_uev_phone_ring ring;
};

struct kc_config {
	uint32_t nnames;		/* 0: every call-control card */
	char names[KC_NAMES_MAX][CTI_NAME_MAX];
	uint32_t retry_ms;		/* retry the watch while cti.ko is absent */
};

struct kc {
	const struct cti_host_api *api;
	struct cti_host *host;
	struct kc_config cfg;
	struct kc_card cards[KC_CARDS_MAX];
	struct kc_req *reqs;
	int64_t retry_timer;
	bool watching;
};

#define kc_log(kc, level, ...) \
	((kc)->api->log((kc)->host, (level), __VA_ARGS__))

/* kc_config.c */
int kc_config_parse(struct kc_config *cfg, const struct cti_host_api *api,
		    struct cti_host *host, const struct cti_provider_config *pc);
bool kc_config_wants(const struct kc_config *cfg, const char *name);

/* kc_card.c: cards coming and going, their lines */
void kc_card_add(struct kc *kc, const struct cti_provider_card_info *info);
void kc_card_gone(struct kc *kc, struct kc_card *c, int error);
void kc_card_free(struct kc_card *c);
struct kc_card *kc_card_by_cid(struct kc *kc, int64_t cid);
/* The card and its line of provider-local line @local, or NULL. */
struct kc_card *kc_line(struct kc *kc, uint32_t local, uint32_t *line);
static inline uint32_t kc_local(struct kc *kc, const struct kc_card *c,
				uint32_t line)
{
	return (uint32_t)(c - kc->cards) << KC_LINE_BITS | line;
}

/* kc_mirror.c: records in, the mirror, resynchronisation */
void kc_records(struct kc *kc, struct kc_card *c, const void *recs, size_t len);
int kc_resync(struct kc *kc, struct kc_card *c, bool tell);
void kc_mirror_free(struct kc_card *c);
void kc_call_note(struct kc_card *c, uint32_t line, uint32_t call,
		  uint32_t state);

/* kc_ops.c */
void kc_complete(struct kc *kc, uint32_t slot, uint64_t handle, int error,
		 uint32_t call);
void kc_complete_card(struct kc *kc, uint32_t slot, int error);

/* kc_phone.c: the phone state the kernel has no records for */
void kc_phone_desc(struct kc_phone *p, const struct cti_provider_phone_desc *d);
void kc_phones_free(struct kc_card *c);
void kc_phone_remember(struct kc_req *q, const struct cti_provider_request *req,
		       uint32_t line);
void kc_phone_done(struct kc *kc, const struct kc_req *q);

/* kc_submit.c */
int kc_submit(struct kc *kc, const struct cti_provider_request *req);

#endif
