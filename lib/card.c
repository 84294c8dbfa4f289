// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * card.c - a CTI card: open, close, commands, filters, reading events
 *
 * struct cti_card is one open file of /dev/ctiN with its own ring. Events
 * come from the mapped ring (card_ring.c) or, without it, from read(2),
 * which returns whole records; both go through the same record check and
 * the same copy (card_event.c), so a program cannot tell them apart.
 *
 * Unplug: the kernel makes CARD_REMOVED the last record of every ring
 * (it keeps room for it), so the library need not invent one; it only
 * remembers that it returned it and answers -ENODEV from then on.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "card_internal.h"

/* read(2) mode: the bytes of one read, at least one largest record. */
#define READ_BUF_SIZE	(16 * 1024)
#define VALID_OPEN_FLAGS (CTI_CARD_OPEN_WATCH | CTI_CARD_OPEN_NO_MMAP)
/* The first published struct cti_card_request: through @data. */
#define REQUEST_SIZE_VER0 offsetof(struct cti_card_request, __reserved)

struct cti_card {
	int fd;
	unsigned int flags;
	char *path;
	uint64_t features;
	bool removed;			/* CARD_REMOVED was returned */
	bool corrupt;			/* the ring showed a bad record */
	/* mmap mode: the mapping and the ring inside it */
	void *map;
	size_t map_size;
	struct cti_card_ring ring;
	uint64_t lost_reported;		/* sum of the OVERFLOW records seen */
	/* read(2) mode: whole records read but not yet returned */
	uint64_t *rbuf;
	size_t roff, rlen;
};

/* The one place an ioctl's -1/errno becomes this library's -errno. */
static int card_ioctl(struct cti_card *card, unsigned long nr, void *arg)
{
	if (card->removed)
		return -ENODEV;
	return ioctl(card->fd, nr, arg) < 0 ? -errno : 0;
}

static int card_map_ring(struct cti_card *card)
{
	struct cti_ring_info ri = { .size = sizeof(ri) };
	uint8_t *m;
	int ret;

	ret = card_ioctl(card, CTI_IOC_RING_INFO, &ri);
	if (ret)
		return ret;
	/* Offsets from the kernel are checked before they are used. */
	if (ri.ring_size < 64 || ri.ring_size & (ri.ring_size - 1) ||
	    ri.mmap_size > SIZE_MAX || ri.data_off % 8 ||
	    ri.head_off % 4 || ri.tail_off % 4 || ri.flags_off % 4 ||
	    ri.overflow_off % 8 ||
	    (uint64_t)ri.data_off + ri.ring_size > ri.mmap_size ||
	    ri.head_off + 4ULL > ri.mmap_size ||
	    ri.tail_off + 4ULL > ri.mmap_size ||
	    ri.flags_off + 4ULL > ri.mmap_size ||
	    ri.overflow_off + 8ULL > ri.mmap_size)
		return -EBADMSG;
	m = mmap(NULL, ri.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 card->fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	card->map = m;
	card->map_size = ri.mmap_size;
	card->ring.head = (uint32_t *)(m + ri.head_off);
	card->ring.tail = (const uint32_t *)(m + ri.tail_off);
	card->ring.overflow = (const uint64_t *)(m + ri.overflow_off);
	card->ring.flags = (const uint32_t *)(m + ri.flags_off);
	card->ring.data = m + ri.data_off;
	card->ring.size = ri.ring_size;
	return 0;
}

CTI_API int cti_card_open(const char *path, unsigned int flags,
			  struct cti_card **cardp)
{
	struct cti_card_info ci = { .size = sizeof(ci) };
	struct cti_card *card;
	int ret;

	if (!path || !cardp || flags & ~VALID_OPEN_FLAGS)
		return -EINVAL;
	card = calloc(1, sizeof(*card));
	if (!card)
		return -ENOMEM;
	card->flags = flags;
	card->path = strdup(path);
	if (!card->path) {
		ret = -ENOMEM;
		goto err;
	}
	/* Non-blocking: reading events must never put the program to sleep. */
	card->fd = open(path, (flags & CTI_CARD_OPEN_WATCH ? O_RDONLY : O_RDWR) |
			O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (card->fd < 0) {
		ret = -errno;
		goto err;
	}
	/* Not a CTI card: ENOTTY, as the kernel says of a foreign ioctl. */
	ret = card_ioctl(card, CTI_IOC_CARD_INFO, &ci);
	if (ret)
		goto err_close;
	card->features = ci.features;
	/*
	 * The consumer writes head into the mapping, which a read-only file
	 * cannot map writable (EACCES): a watcher reads with read().
	 */
	if (!(flags & (CTI_CARD_OPEN_NO_MMAP | CTI_CARD_OPEN_WATCH)) &&
	    (ci.features & CTI_FEAT_RING)) {
		ret = card_map_ring(card);
		if (ret)
			goto err_close;
	} else {
		card->rbuf = malloc(READ_BUF_SIZE);
		if (!card->rbuf) {
			ret = -ENOMEM;
			goto err_close;
		}
	}
	*cardp = card;
	return 0;

err_close:
	close(card->fd);
err:
	free(card->path);
	free(card);
	return ret;
}

CTI_API int cti_card_open_index(unsigned int index, unsigned int flags,
				struct cti_card **cardp)
{
	char path[32];

	snprintf(path, sizeof(path), "/dev/cti%u", index);
	return cti_card_open(path, flags, cardp);
}

CTI_API void cti_card_close(struct cti_card *card)
{
	if (!card)
		return;
	if (card->map)
		munmap(card->map, card->map_size);
	close(card->fd);
	free(card->rbuf);
	free(card->path);
	free(card);
}

CTI_API int cti_card_get_fd(struct cti_card *card)
{
	return card->fd;
}

CTI_API const char *cti_card_get_path(struct cti_card *card)
{
	return card->path;
}

CTI_API int cti_card_uses_ring(struct cti_card *card)
{
	return card->map != NULL;
}

CTI_API uint64_t cti_card_get_lost(struct cti_card *card)
{
	/*
	 * The ring's overflow word counts a loss as it happens; with read()
	 * only the OVERFLOW records tell, and one may still be on its way.
	 */
	if (card->map)
		return cti_card_ring_lost(&card->ring);
	return card->lost_reported;
}

CTI_API int cti_card_get_desc(struct cti_card *card,
			      struct cti_card_desc **descp)
{
	struct cti_card_desc *d;
	int ret;

	if (!card || !descp)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->info.size = sizeof(d->info);
	ret = card_ioctl(card, CTI_IOC_CARD_INFO, &d->info);
	if (ret) {
		free(d);
		return ret;
	}
	cti_card_desc_seal(d);
	*descp = d;
	return 0;
}

CTI_API int cti_card_get_line_info(struct cti_card *card, uint32_t line,
				   struct cti_card_line_info **infop)
{
	struct cti_card_line_info *li;
	int ret;

	if (!card || !infop)
		return -EINVAL;
	li = calloc(1, sizeof(*li));
	if (!li)
		return -ENOMEM;
	li->info.size = sizeof(li->info);
	li->info.line = line;
	ret = card_ioctl(card, CTI_IOC_LINE_INFO, &li->info);
	if (ret) {
		free(li);
		return ret;
	}
	cti_card_line_info_seal(li);
	*infop = li;
	return 0;
}

CTI_API int cti_card_get_phone_info(struct cti_card *card, uint32_t phone,
				    struct cti_card_phone_info **infop)
{
	struct cti_card_phone_info *pi;
	int ret;

	if (!card || !infop)
		return -EINVAL;
	pi = calloc(1, sizeof(*pi));
	if (!pi)
		return -ENOMEM;
	pi->info.size = sizeof(pi->info);
	pi->info.phone = phone;
	ret = card_ioctl(card, CTI_IOC_PHONE_INFO, &pi->info);
	if (ret) {
		free(pi);
		return ret;
	}
	cti_card_phone_info_seal(pi);
	*infop = pi;
	return 0;
}

/*
 * The program's struct is translated field by field (a pointer is not a
 * __u64 on every ABI). Bytes past the struct this library knows belong to
 * a newer caller: they go to the kernel behind the kernel's struct, which
 * then applies its own rule (zero: ignored, else -E2BIG), so the answer
 * is the kernel's and not a guess of ours.
 */
CTI_API int cti_card_submit(struct cti_card *card,
			    const struct cti_card_request *req)
{
	struct cti_request stackbuf[2], *r = stackbuf;
	size_t tail = 0;
	int ret;

	if (!card || !req)
		return -EINVAL;
	if (req->size < REQUEST_SIZE_VER0)
		return -EINVAL;
	if (req->size > sizeof(*req))
		tail = req->size - sizeof(*req);
	if (tail > UINT32_MAX - sizeof(*r))
		return -E2BIG;
	if (sizeof(*r) + tail > sizeof(stackbuf)) {
		r = malloc(sizeof(*r) + tail);
		if (!r)
			return -ENOMEM;
	}
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r) + tail;
	r->cmd = req->cmd;
	r->flags = req->flags;
	r->id = req->id;
	r->line = req->line;
	r->call = req->call;
	r->call2 = req->call2;
	r->arg = req->arg;
	r->arg2 = req->arg2;
	r->data_len = req->data_len;
	r->data = (uintptr_t)req->data;
	if (req->size >= sizeof(*req)) {
		memcpy(r->__reserved, req->__reserved, sizeof(r->__reserved));
		memcpy(r + 1, req + 1, tail);
	}
	ret = card_ioctl(card, CTI_IOC_SUBMIT, r);
	if (r != stackbuf)
		free(r);
	return ret;
}

CTI_API int cti_card_set_filter(struct cti_card *card, uint64_t types,
				const uint64_t *lines, uint32_t num_lines)
{
	struct cti_event_filter f = {
		.size = sizeof(f),
		.types = types,
		.flags = lines ? CTI_FILTER_F_LINES : 0,
		.lines = (uintptr_t)lines,
		.num_lines = num_lines,
	};

	if (!card)
		return -EINVAL;
	if (card->removed)
		return -ENODEV;
	if (!(card->features & CTI_FEAT_FILTER))
		return -EOPNOTSUPP;
	return card_ioctl(card, CTI_IOC_SET_FILTER, &f);
}

/* ---- reading events ---------------------------------------------------- */

struct read_ctx {
	struct cti_card *card;
	struct cti_card_event_buffer *buf;
};

/* cti_card_record_fn: one record into the next slot of the buffer. */
static int take_record(void *arg, const void *rec, uint32_t size)
{
	struct read_ctx *c = arg;
	struct cti_card_event *ev = &c->buf->events[c->buf->num++];

	cti_card_event_store(ev, rec, size);
	if (ev->rec.hdr.type == CTI_EV_OVERFLOW)
		c->card->lost_reported += ev->rec.overflow.lost;
	if (ev->rec.hdr.type == CTI_EV_CARD_REMOVED) {
		c->card->removed = true;
		return 1;	/* nothing follows it */
	}
	return 0;
}

static int read_ring(struct read_ctx *c, size_t max)
{
	struct cti_card *card = c->card;
	int n, more;

	n = cti_card_ring_drain(&card->ring, max, take_record, c);
	if (n < 0)
		return n;
	/*
	 * Records were lost and their OVERFLOW record is not in the ring yet:
	 * the kernel writes it when it learns of the room we made, which for
	 * an mmap reader is poll(). Ask once, and take it now if there is
	 * room in the batch, so that the gap is never left for later.
	 */
	if (!card->removed && (size_t)n < max &&
	    cti_card_ring_lost(&card->ring) > card->lost_reported) {
		struct pollfd p = { .fd = card->fd, .events = POLLIN };

		poll(&p, 1, 0);
		more = cti_card_ring_drain(&card->ring, max - n, take_record, c);
		if (more > 0)
			n += more;
		else if (more < 0 && n == 0)
			return more;
	}
	return n;
}

/* Fill the read buffer with whole records; 0 or -EAGAIN/-ENODEV/... */
static int read_fill(struct cti_card *card)
{
	ssize_t got = read(card->fd, card->rbuf, READ_BUF_SIZE);

	if (got < 0)
		return -errno;
	card->roff = 0;
	card->rlen = got;
	return got ? 0 : -EAGAIN;
}

static int read_syscall(struct read_ctx *c, size_t max)
{
	struct cti_card *card = c->card;
	size_t n = 0;
	int ret = 0;

	while (n < max && !card->removed) {
		const uint8_t *p = (const uint8_t *)card->rbuf + card->roff;
		uint32_t size;

		if (card->roff == card->rlen) {
			ret = read_fill(card);
			if (ret)
				break;
			continue;
		}
		ret = cti_card_record_check(p, card->rlen - card->roff, &size);
		if (ret)
			break;
		card->roff += size;
		/* read() never returns PAD; skip one if it ever did */
		if (*(const uint16_t *)p == CTI_EV_PAD)
			continue;
		take_record(c, p, size);
		n++;
	}
	/* Empty, or the card is gone with its records all read: not errors. */
	if (ret == -EAGAIN || ret == -ENODEV)
		ret = 0;
	if (ret && n == 0)
		return ret;
	return (int)n;
}

CTI_API int cti_card_read_events(struct cti_card *card,
				 struct cti_card_event_buffer *buf, size_t max)
{
	struct read_ctx c = { .card = card, .buf = buf };
	int n;

	if (!card || !buf)
		return -EINVAL;
	buf->num = 0;
	if (card->removed)
		return -ENODEV;
	if (card->corrupt)
		return -EBADMSG;
	if (max == 0 || max > buf->capacity)
		max = buf->capacity;
	n = card->map ? read_ring(&c, max) : read_syscall(&c, max);
	if (n == -EBADMSG)
		card->corrupt = true;
	return n;
}
