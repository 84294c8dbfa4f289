/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cti_test.h - helpers shared by the cti selftests
 *
 * Everything here is static inline and plain C: no harness macros, so the
 * benchmark can use it too. Functions that can fail return 0 (or a count)
 * on success and a negative errno on failure, never -1 with errno, so a
 * test can ASSERT_EQ(-ENODEV, ...) directly.
 *
 * A test builds its own card:
 *
 *	struct cti_sim sim;
 *
 *	ASSERT_EQ(0, cti_sim_create(&sim, 4, 0, "call"));   // /dev/ctiN is open
 *	cti_req_init(&req, CTI_CMD_MAKE_CALL, 1, 0);
 *	cti_req_data(&req, "101");
 *	ASSERT_EQ(0, cti_submit(sim.fd, &req));
 *	ASSERT_EQ(0, cti_wait_reply(&sim.st, 1, &reply, &log, 2000));
 *	...
 *	cti_sim_destroy(&sim);
 *
 * Records are read through a struct cti_stream, either with read() or from
 * the mmap'd ring (cti_stream_init() with a struct cti_ring), so that the
 * same test code can check both paths.
 *
 * A cti_sim card's properties are in configfs, at
 * /sys/kernel/config/cti_sim/<card>/ (cti_sim_write(), cti_sim_read()); its
 * run-time actions and fault knobs are in debugfs, at
 * /sys/kernel/debug/cti_sim/<card>/ (cti_sim_ctl(), cti_sim_ctl_read()).
 * The guest's run script mounts configfs, debugfs and devtmpfs and loads
 * the modules.
 */
#ifndef _CTI_TEST_H
#define _CTI_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <linux/cti.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

#define CTI_SIM_ROOT	"/sys/kernel/config/cti_sim"
#define CTI_SIM_CTL_ROOT "/sys/kernel/debug/cti_sim"
#define CTI_SIM_PATH_MAX 256

/* ---- time ---------------------------------------------------------- */

/* cti_now_ms() - CLOCK_MONOTONIC in milliseconds. */
static inline int64_t cti_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* cti_now_ns() - CLOCK_MONOTONIC in nanoseconds (the records' clock). */
static inline uint64_t cti_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static inline void cti_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- small file helpers -------------------------------------------- */

/*
 * cti_write_file() - write @s to @path in one write()
 * Return: 0, or the negative errno of open() or write() (configfs
 * attributes report validation errors from write()).
 */
static inline int cti_write_file(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

/*
 * cti_read_file() - read up to @size - 1 bytes of @path into @buf, NUL
 * terminated, trailing newline removed.
 * Return: the length, or a negative errno.
 */
static inline int cti_read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return n;
}

/* ---- the simulated card --------------------------------------------- */

/* struct cti_stream - where records come from; see cti_stream_init(). */
struct cti_ring;
struct cti_stream {
	int fd;
	struct cti_ring *ring;	/* NULL: read() the records */
	size_t off, len;	/* unconsumed bytes of buf (read() mode) */
	uint64_t buf[65536 / 8];	/* 8-byte aligned; holds one read() */
};

/**
 * struct cti_sim - a cti_sim card made by this test
 * @name: the configfs directory name, also the card's name
 * @dir: CTI_SIM_ROOT/@name, the card's properties
 * @ctl: CTI_SIM_CTL_ROOT/@name, its run-time controls
 * @dev: the device name while live ("cti3"), else empty
 * @fd: /dev/@dev opened O_RDWR by cti_sim_create(), or -1
 * @st: a read() stream on @fd (cti_stream_init(&st, fd, NULL))
 */
struct cti_sim {
	char name[CTI_NAME_MAX];
	char dir[CTI_SIM_PATH_MAX];
	char ctl[CTI_SIM_PATH_MAX];
	char dev[CTI_NAME_MAX];
	int fd;
	struct cti_stream st;
};

/*
 * cti_sim_write() - write a printf-formatted value to attribute @attr
 * Return: 0 or the write's negative errno.
 */
static inline int __attribute__((format(printf, 3, 4)))
cti_sim_write(const struct cti_sim *sim, const char *attr, const char *fmt, ...)
{
	char path[CTI_SIM_PATH_MAX + 32], val[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", sim->dir, attr);
	return cti_write_file(path, val);
}

/* cti_sim_read() - read attribute @attr into @buf; length or -errno. */
static inline int cti_sim_read(const struct cti_sim *sim, const char *attr,
			       char *buf, size_t size)
{
	char path[CTI_SIM_PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", sim->dir, attr);
	return cti_read_file(path, buf, size);
}

/* cti_sim_read_u64() - read a numeric attribute; 0 or -errno. */
static inline int cti_sim_read_u64(const struct cti_sim *sim, const char *attr,
				   uint64_t *val)
{
	char buf[64];
	int ret = cti_sim_read(sim, attr, buf, sizeof(buf));

	if (ret < 0)
		return ret;
	*val = strtoull(buf, NULL, 0);
	return 0;
}

/*
 * cti_sim_ctl() - write a printf-formatted value to the run-time control
 * @attr (inbound, far_hangup, far_digits, fail_next, link, flood)
 * Return: 0 or the write's negative errno.
 */
static inline int __attribute__((format(printf, 3, 4)))
cti_sim_ctl(const struct cti_sim *sim, const char *attr, const char *fmt, ...)
{
	char path[CTI_SIM_PATH_MAX + 32], val[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", sim->ctl, attr);
	return cti_write_file(path, val);
}

/* cti_sim_ctl_read() - read control @attr into @buf; length or -errno. */
static inline int cti_sim_ctl_read(const struct cti_sim *sim, const char *attr,
				   char *buf, size_t size)
{
	char path[CTI_SIM_PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", sim->ctl, attr);
	return cti_read_file(path, buf, size);
}

/* cti_sim_ctl_read_u64() - read a numeric control; 0 or -errno. */
static inline int cti_sim_ctl_read_u64(const struct cti_sim *sim,
				       const char *attr, uint64_t *val)
{
	char buf[64];
	int ret = cti_sim_ctl_read(sim, attr, buf, sizeof(buf));

	if (ret < 0)
		return ret;
	*val = strtoull(buf, NULL, 0);
	return 0;
}

/*
 * cti_dev_open() - open /dev/@dev with @flags
 *
 * Creates the node from /sys/class/cti/@dev/dev when /dev has none (no
 * devtmpfs). Return: the fd, or a negative errno.
 */
static inline int cti_dev_open(const char *dev, int flags)
{
	char path[96], buf[32];
	unsigned int maj, min;
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", dev);
	fd = open(path, flags | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : -errno;

	snprintf(buf, sizeof(buf), "%s", dev);
	snprintf(path, sizeof(path), "/sys/class/cti/%s/dev", buf);
	if (cti_read_file(path, buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%u:%u", &maj, &min) != 2)
		return -ENOENT;
	snprintf(path, sizeof(path), "/dev/%s", dev);
	if (mknod(path, S_IFCHR | 0600, makedev(maj, min)) && errno != EEXIST)
		return -errno;
	fd = open(path, flags | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

/* cti_sim_open() - open the live card's device; fd or -errno. */
static inline int cti_sim_open(const struct cti_sim *sim, int flags)
{
	if (!sim->dev[0])
		return -ENODEV;
	return cti_dev_open(sim->dev, flags);
}

static inline void cti_stream_init(struct cti_stream *st, int fd,
				   struct cti_ring *ring);

/*
 * cti_sim_set_live() - register (1) or unregister (0) the card
 *
 * Going live reads dev_name into @sim->dev; going down clears it. Does not
 * open or close anything. Return: 0 or -errno.
 */
static inline int cti_sim_set_live(struct cti_sim *sim, int live)
{
	int ret;

	ret = cti_sim_write(sim, "live", "%d", live);
	if (ret)
		return ret;
	if (!live) {
		sim->dev[0] = '\0';
		return 0;
	}
	ret = cti_sim_read(sim, "dev_name", sim->dev, sizeof(sim->dev));
	if (ret < 0)
		return ret;
	return ret ? 0 : -ENODEV;
}

/*
 * cti_sim_setup() - make a card directory and set its properties, not live
 * @sim: filled in; @sim->fd is -1
 * @num_lines: 1..256
 * @num_phones: 0..256
 * @mode: "call", "link", "both", or NULL for the default
 *
 * The name is unique per process and call ("kst<pid>_<n>"). Directory
 * numbers are the default 100+i. Return: 0 or -errno (the directory is
 * removed again on failure).
 */
static inline int cti_sim_setup(struct cti_sim *sim, unsigned int num_lines,
				unsigned int num_phones, const char *mode)
{
	static unsigned int counter;
	int ret;

	memset(sim, 0, sizeof(*sim));
	sim->fd = -1;
	snprintf(sim->name, sizeof(sim->name), "kst%d_%u", (int)getpid(),
		 __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
	snprintf(sim->dir, sizeof(sim->dir), "%s/%s", CTI_SIM_ROOT, sim->name);
	snprintf(sim->ctl, sizeof(sim->ctl), "%s/%s", CTI_SIM_CTL_ROOT,
		 sim->name);
	if (mkdir(sim->dir, 0755))
		return -errno;
	ret = cti_sim_write(sim, "num_lines", "%u", num_lines);
	if (!ret)
		ret = cti_sim_write(sim, "num_phones", "%u", num_phones);
	if (!ret && mode)
		ret = cti_sim_write(sim, "mode", "%s", mode);
	if (ret)
		rmdir(sim->dir);
	return ret;
}

/*
 * cti_sim_create() - cti_sim_setup(), go live, open the device O_RDWR
 *
 * On success @sim->fd is open and @sim->st reads it with read().
 * Return: 0 or -errno (nothing is left behind on failure).
 */
static inline int cti_sim_create(struct cti_sim *sim, unsigned int num_lines,
				 unsigned int num_phones, const char *mode)
{
	int ret;

	ret = cti_sim_setup(sim, num_lines, num_phones, mode);
	if (ret)
		return ret;
	ret = cti_sim_set_live(sim, 1);
	if (!ret) {
		sim->fd = cti_sim_open(sim, O_RDWR);
		if (sim->fd < 0) {
			ret = sim->fd;
			sim->fd = -1;
		}
	}
	if (ret) {
		rmdir(sim->dir);
		return ret;
	}
	cti_stream_init(&sim->st, sim->fd, NULL);
	return 0;
}

/*
 * cti_sim_destroy() - close @sim->fd and remove the card (rmdir unregisters
 * it first if live). Safe on a card already removed.
 */
static inline int cti_sim_destroy(struct cti_sim *sim)
{
	int ret = 0;

	if (sim->fd >= 0)
		close(sim->fd);
	sim->fd = -1;
	if (sim->dir[0] && rmdir(sim->dir) && errno != ENOENT)
		ret = -errno;
	sim->dir[0] = '\0';
	return ret;
}

/* ---- ioctls ---------------------------------------------------------- */

/* cti_ioctl() - ioctl() returning 0 or -errno. */
static inline int cti_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

/* cti_card_info() - CTI_IOC_CARD_INFO of the current size; 0 or -errno. */
static inline int cti_card_info(int fd, struct cti_card_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->size = sizeof(*ci);
	return cti_ioctl(fd, CTI_IOC_CARD_INFO, ci);
}

/* cti_req_init() - a zeroed request of the current size. */
static inline void cti_req_init(struct cti_request *req, uint16_t cmd,
				uint64_t id, uint32_t line)
{
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->cmd = cmd;
	req->id = id;
	req->line = line;
}

/* cti_req_data() - point @req at the string @s (without its NUL). */
static inline void cti_req_data(struct cti_request *req, const char *s)
{
	req->data = (uintptr_t)s;
	req->data_len = s ? strlen(s) : 0;
}

/* cti_submit() - CTI_IOC_SUBMIT; 0 (a REPLY will follow) or -errno. */
static inline int cti_submit(int fd, struct cti_request *req)
{
	return cti_ioctl(fd, CTI_IOC_SUBMIT, req);
}

/*
 * cti_submit_cmd() - build and submit a command in one go
 * @s: the number/digits/text, or NULL
 * Return: as cti_submit().
 */
static inline int cti_submit_cmd(int fd, uint16_t cmd, uint64_t id,
				 uint32_t line, uint32_t call, uint32_t call2,
				 uint32_t arg, uint32_t arg2, const char *s)
{
	struct cti_request req;

	cti_req_init(&req, cmd, id, line);
	req.call = call;
	req.call2 = call2;
	req.arg = arg;
	req.arg2 = arg2;
	cti_req_data(&req, s);
	return cti_submit(fd, &req);
}

/*
 * cti_set_filter() - CTI_IOC_SET_FILTER
 * @types: bits (1 << CTI_EV_*)
 * @lines: a bitmap of @num_lines bits, or NULL for every line
 */
static inline int cti_set_filter(int fd, uint64_t types, const uint64_t *lines,
				 uint32_t num_lines)
{
	struct cti_event_filter f;

	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	f.types = types;
	if (lines) {
		f.flags = CTI_FILTER_F_LINES;
		f.lines = (uintptr_t)lines;
		f.num_lines = num_lines;
	}
	return cti_ioctl(fd, CTI_IOC_SET_FILTER, &f);
}

/* Every record type (for cti_set_filter()). */
#define CTI_EV_ALL	((1ull << CTI_EV_MAX) - 1)

/* ---- poll ------------------------------------------------------------ */

/*
 * cti_poll() - poll @fd for @events for up to @timeout_ms (-1: forever)
 * Return: the revents (> 0), 0 on timeout, or -errno.
 */
static inline int cti_poll(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int64_t end = cti_now_ms() + timeout_ms;
	int ret;

	for (;;) {
		ret = poll(&pfd, 1, timeout_ms);
		if (ret >= 0)
			return ret ? pfd.revents : 0;
		if (errno != EINTR)
			return -errno;
		if (timeout_ms >= 0) {
			timeout_ms = end - cti_now_ms();
			if (timeout_ms < 0)
				timeout_ms = 0;
		}
	}
}

/* ---- the mmap'd ring ------------------------------------------------- */

/**
 * struct cti_ring - a file's event ring as mapped by cti_ring_map()
 * @info: what CTI_IOC_RING_INFO said
 * @map: the mapping, @info.mmap_size bytes
 * @head: the consumer's position (this process writes it)
 * @tail: the producer's position (the kernel writes it)
 * @mask: @info.ring_size - 1 as the kernel published it
 * @overflow: total records lost since the open
 * @flags: CTI_RING_F_* bits
 * @data: the data area
 */
struct cti_ring {
	struct cti_ring_info info;
	void *map;
	uint32_t *head;
	const uint32_t *tail;
	const uint32_t *mask;
	const uint64_t *overflow;
	const uint32_t *flags;
	const uint8_t *data;
};

/* cti_ring_get_info() - CTI_IOC_RING_INFO of the current size. */
static inline int cti_ring_get_info(int fd, struct cti_ring_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->size = sizeof(*ri);
	return cti_ioctl(fd, CTI_IOC_RING_INFO, ri);
}

/* cti_ring_map() - map @fd's ring into @r; 0 or -errno. */
static inline int cti_ring_map(int fd, struct cti_ring *r)
{
	uint8_t *m;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = cti_ring_get_info(fd, &r->info);
	if (ret)
		return ret;
	m = mmap(NULL, r->info.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	r->map = m;
	r->head = (uint32_t *)(m + r->info.head_off);
	r->tail = (const uint32_t *)(m + r->info.tail_off);
	r->mask = (const uint32_t *)(m + r->info.mask_off);
	r->overflow = (const uint64_t *)(m + r->info.overflow_off);
	r->flags = (const uint32_t *)(m + r->info.flags_off);
	r->data = m + r->info.data_off;
	return 0;
}

static inline void cti_ring_unmap(struct cti_ring *r)
{
	if (r->map)
		munmap(r->map, r->info.mmap_size);
	r->map = NULL;
}

/* cti_ring_flags() - the flags word (acquire). */
static inline uint32_t cti_ring_flags(const struct cti_ring *r)
{
	return __atomic_load_n(r->flags, __ATOMIC_ACQUIRE);
}

/* cti_ring_overflow() - the total of lost records (acquire). */
static inline uint64_t cti_ring_overflow(const struct cti_ring *r)
{
	return __atomic_load_n(r->overflow, __ATOMIC_ACQUIRE);
}

/*
 * cti_ring_peek() - the next record in the ring, not consumed
 *
 * Skips (consumes) PAD records. The record stays valid until the head
 * passes it: cti_ring_advance() with its size.
 * Return: the record, NULL when the ring is empty; *@err is set to -EPROTO
 * (and NULL returned) for a record that is malformed.
 */
static inline const struct cti_event *cti_ring_peek(struct cti_ring *r,
						    int *err)
{
	const struct cti_event *ev;
	uint32_t head, tail, mask = *r->mask;

	*err = 0;
	for (;;) {
		head = __atomic_load_n(r->head, __ATOMIC_RELAXED);
		tail = __atomic_load_n(r->tail, __ATOMIC_ACQUIRE);
		if (head == tail)
			return NULL;
		ev = (const struct cti_event *)(r->data + (head & mask));
		/* A PAD may be as short as 8 bytes: type and size only. */
		if (ev->size < (ev->type == CTI_EV_PAD ? 8 : sizeof(*ev)) ||
		    ev->size % 8 || ev->size > tail - head ||
		    (head & mask) + ev->size > mask + 1u) {
			*err = -EPROTO;
			return NULL;
		}
		if (ev->type != CTI_EV_PAD)
			return ev;
		__atomic_store_n(r->head, head + ev->size, __ATOMIC_RELEASE);
	}
}

/* cti_ring_advance() - consume @bytes (release store of the head). */
static inline void cti_ring_advance(struct cti_ring *r, uint32_t bytes)
{
	uint32_t head = __atomic_load_n(r->head, __ATOMIC_RELAXED);

	__atomic_store_n(r->head, head + bytes, __ATOMIC_RELEASE);
}

/* ---- streams: one record at a time, from read() or the ring ----------- */

/*
 * cti_stream_init() - read @fd's records with read() (@ring NULL) or from
 * the mapped @ring.
 */
static inline void cti_stream_init(struct cti_stream *st, int fd,
				   struct cti_ring *ring)
{
	st->fd = fd;
	st->ring = ring;
	st->off = 0;
	st->len = 0;
}

/*
 * cti_stream_next() - the next record, waiting up to @timeout_ms for it
 *
 * In read() mode one read() of up to sizeof(buf) bytes may return many
 * records; they are handed out one by one. The record returned stays valid
 * until the next call.
 * Return: the record's size (> 0) with *@evp set, 0 on timeout, or -errno:
 * the read()'s error (-ENODEV once the card is gone), -EPROTO for a
 * malformed record, -EHOSTDOWN when poll reports EPOLLHUP/EPOLLERR with
 * nothing left to read in ring mode.
 */
static inline int cti_stream_next(struct cti_stream *st,
				  const struct cti_event **evp, int timeout_ms)
{
	int64_t end = cti_now_ms() + timeout_ms;
	const struct cti_event *ev;
	int ret, left;
	ssize_t n;

	for (;;) {
		if (st->ring) {
			ev = cti_ring_peek(st->ring, &ret);
			if (ret)
				return ret;
			if (ev) {
				memcpy(st->buf, ev, ev->size);
				cti_ring_advance(st->ring, ev->size);
				*evp = (const struct cti_event *)st->buf;
				return ev->size;
			}
		} else if (st->off < st->len) {
			ev = (const struct cti_event *)((uint8_t *)st->buf +
							st->off);
			if (st->len - st->off < sizeof(*ev) ||
			    ev->size < sizeof(*ev) || ev->size % 8 ||
			    ev->size > st->len - st->off)
				return -EPROTO;
			st->off += ev->size;
			*evp = ev;
			return ev->size;
		}

		left = timeout_ms < 0 ? -1 : (int)(end - cti_now_ms());
		if (timeout_ms >= 0 && left < 0)
			left = 0;
		ret = cti_poll(st->fd, POLLIN, left);
		if (ret < 0)
			return ret;
		if (!ret)
			return 0;
		if (st->ring) {
			if (ret & (POLLHUP | POLLERR)) {
				ev = cti_ring_peek(st->ring, &ret);
				if (!ev && !ret)
					return -EHOSTDOWN;
			}
			continue;
		}
		n = read(st->fd, st->buf, sizeof(st->buf));
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ENODATA;
		st->off = 0;
		st->len = n;
	}
}

/* ---- collecting records --------------------------------------------- */

/**
 * struct cti_evlog - a growable list of record copies
 * @buf: the records back to back (each 8-byte aligned by its size)
 * @len: bytes used
 * @cap: bytes allocated
 * @count: records held
 *
 * Zero-initialise; cti_evlog_free() when done. Iterate with
 * cti_evlog_for_each().
 */
struct cti_evlog {
	uint8_t *buf;
	size_t len, cap;
	unsigned int count;
};

/* cti_evlog_add() - append a copy of @ev; 0 or -ENOMEM. */
static inline int cti_evlog_add(struct cti_evlog *log, const struct cti_event *ev)
{
	if (log->len + ev->size > log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 4096;
		uint8_t *p;

		while (cap < log->len + ev->size)
			cap *= 2;
		p = realloc(log->buf, cap);
		if (!p)
			return -ENOMEM;
		log->buf = p;
		log->cap = cap;
	}
	memcpy(log->buf + log->len, ev, ev->size);
	log->len += ev->size;
	log->count++;
	return 0;
}

static inline void cti_evlog_free(struct cti_evlog *log)
{
	free(log->buf);
	memset(log, 0, sizeof(*log));
}

#define cti_evlog_for_each(log, ev)					\
	for ((ev) = (const struct cti_event *)(log)->buf;		\
	     (const uint8_t *)(ev) < (log)->buf + (log)->len;		\
	     (ev) = (const struct cti_event *)((const uint8_t *)(ev) + (ev)->size))

/*
 * cti_wait_reply() - wait for the REPLY to request @id
 * @st: the stream to read
 * @id: the request id
 * @reply: the REPLY found (may be NULL)
 * @log: other records seen meanwhile are appended here (may be NULL: they
 *	are dropped)
 * @timeout_ms: the overall limit
 *
 * Return: 0 when the REPLY arrived (its error is in @reply->error),
 * -ETIMEDOUT, or cti_stream_next()'s error. A second REPLY with the same
 * id, arriving later, is not looked for: use cti_drain() for that.
 */
static inline int cti_wait_reply(struct cti_stream *st, uint64_t id,
				 struct cti_ev_reply *reply,
				 struct cti_evlog *log, int timeout_ms)
{
	int64_t end = cti_now_ms() + timeout_ms;
	const struct cti_event *ev = NULL;
	int ret, left;

	for (;;) {
		left = (int)(end - cti_now_ms());
		ret = cti_stream_next(st, &ev, left < 0 ? 0 : left);
		if (ret < 0)
			return ret;
		if (ret == 0)
			return -ETIMEDOUT;
		if (ev->type == CTI_EV_REPLY &&
		    ((const struct cti_ev_reply *)ev)->id == id) {
			if (reply)
				memcpy(reply, ev, sizeof(*reply));
			return 0;
		}
		if (log && cti_evlog_add(log, ev))
			return -ENOMEM;
	}
}

/*
 * cti_drain() - collect records until none arrives for @quiet_ms
 * @log: where they go (may be NULL)
 * Return: the number of records seen, or a negative errno.
 */
static inline int cti_drain(struct cti_stream *st, struct cti_evlog *log,
			    int quiet_ms)
{
	const struct cti_event *ev;
	int ret, n = 0;

	for (;;) {
		ret = cti_stream_next(st, &ev, quiet_ms);
		if (ret < 0)
			return ret;
		if (ret == 0)
			return n;
		n++;
		if (log && cti_evlog_add(log, ev))
			return -ENOMEM;
	}
}

/* Any line, for cti_wait_event(); not a valid line number. */
#define CTI_ANY_LINE	0xfffffffeU

/*
 * cti_wait_event() - wait for a record of @type about @line
 * @line: a line, CTI_LINE_NONE for card-wide records, or CTI_ANY_LINE
 * @out: the record is copied here, at most @out_size bytes (may be NULL)
 * @log: other records seen meanwhile are appended here (may be NULL)
 * Return: 0, -ETIMEDOUT, or cti_stream_next()'s error.
 */
static inline int cti_wait_event(struct cti_stream *st, uint16_t type,
				 uint32_t line, void *out, size_t out_size,
				 struct cti_evlog *log, int timeout_ms)
{
	int64_t end = cti_now_ms() + timeout_ms;
	const struct cti_event *ev;
	int ret, left;

	for (;;) {
		left = (int)(end - cti_now_ms());
		ret = cti_stream_next(st, &ev, left < 0 ? 0 : left);
		if (ret < 0)
			return ret;
		if (ret == 0)
			return -ETIMEDOUT;
		if (ev->type == type && (line == CTI_ANY_LINE || ev->line == line)) {
			if (out)
				memcpy(out, ev, ev->size < out_size ? ev->size : out_size);
			return 0;
		}
		if (log && cti_evlog_add(log, ev))
			return -ENOMEM;
	}
}

/* cti_ev_name() - a record type's name, for messages. */
static inline const char *cti_ev_name(unsigned int type)
{
	static const char *const names[] = {
		"PAD", "REPLY", "CALL_STATE", "CALL_INFO", "DIGITS",
		"LINE_STATUS", "PHONE_HOOK", "PHONE_BUTTON", "LINK_FRAME",
		"LINK_STATE", "OVERFLOW", "CARD_REMOVED",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "?";
}

#endif /* _CTI_TEST_H */
