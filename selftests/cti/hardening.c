// SPDX-License-Identifier: GPL-2.0
/*
 * hardening: the regression tests of the ring and file findings of issue 13
 *
 * - read() answers ENODEV only after CARD_REMOVED: a reader spinning on
 *   O_NONBLOCK read() across 300 unplugs never stops early (it did, when
 *   read() looked at the card's death without the card's lock).
 * - loss just before an unplug is reported: OVERFLOW, then CARD_REMOVED.
 * - a removed card's minor is not reused while a file of it is open: a
 *   device node that outlives the card reaches no other card.
 * - limits: ring memory charged to the opener's memory cgroup and bounded
 *   per card (EBUSY), requests per file bounded (EAGAIN), argument sizes
 *   above a page refused (E2BIG), card names printable only (EINVAL), the
 *   ring never executable (EPERM, EACCES).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "cti_test.h"
#include "kselftest_harness.h"

#define PARAM_DIR	"/sys/module/cti/parameters"
#define CGROUP_ROOT	"/sys/fs/cgroup"

/* What one read() user saw of a card until read() failed. */
struct tally {
	unsigned int records, replies, digits, overflows;
	uint64_t lost;
	uint16_t last, before_last;
	int err;		/* read()'s final errno */
};

static void tally_add(struct tally *t, const struct cti_event *ev)
{
	t->records++;
	t->before_last = t->last;
	t->last = ev->type;
	if (ev->type == CTI_EV_REPLY)
		t->replies++;
	else if (ev->type == CTI_EV_DIGITS)
		t->digits++;
	else if (ev->type == CTI_EV_OVERFLOW) {
		t->overflows++;
		t->lost += ((const struct cti_ev_overflow *)ev)->lost;
	}
}

/*
 * Read @fd until read() fails with anything but EAGAIN (a non-blocking
 * reader spins), tallying every record. Return: the final errno.
 */
static int read_until_error(int fd, struct tally *t)
{
	static __thread uint64_t buf[65536 / 8];
	const struct cti_event *ev;
	ssize_t n, off;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n < 0) {
			t->err = errno;
			return errno;
		}
		for (off = 0; off < n; off += ev->size) {
			ev = (const struct cti_event *)((uint8_t *)buf + off);
			tally_add(t, ev);
		}
	}
}

static int param_read(const char *name, unsigned long *val)
{
	char path[128], buf[64];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", PARAM_DIR, name);
	ret = cti_read_file(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	*val = strtoul(buf, NULL, 0);
	return 0;
}

static int param_write(const char *name, unsigned long val)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), "%s/%s", PARAM_DIR, name);
	snprintf(buf, sizeof(buf), "%lu", val);
	return cti_write_file(path, buf);
}

/* ---- read() and the end of a card ------------------------------------ */

struct reader {
	pthread_t thread;
	int fd;
	struct tally t;
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;

	read_until_error(r->fd, &r->t);
	return NULL;
}

/*
 * One card goes live and away 300 times. Each time a reader spins on
 * O_NONBLOCK read() while the test submits requests and unplugs the card:
 * the reader must get every REPLY and CARD_REMOVED last before read()
 * says ENODEV.
 */
FIXTURE(unplugs) {
};

FIXTURE_SETUP(unplugs)
{
}

FIXTURE_TEARDOWN(unplugs)
{
}

TEST_F_TIMEOUT(unplugs, read_enodev_only_after_card_removed, 600)
{
	const unsigned int rounds = 300, reqs = 8;
	unsigned int i, j, early = 0, missing = 0;
	struct cti_sim sim;

	ASSERT_EQ(0, cti_sim_setup(&sim, 1, 0, "call"));
	for (i = 0; i < rounds; i++) {
		struct reader r = { 0 };

		ASSERT_EQ(0, cti_sim_set_live(&sim, 1));
		r.fd = cti_sim_open(&sim, O_RDWR | O_NONBLOCK);
		ASSERT_LE(0, r.fd);
		ASSERT_EQ(0, pthread_create(&r.thread, NULL, reader_fn, &r));
		for (j = 0; j < reqs; j++)
			ASSERT_EQ(0, cti_submit_cmd(r.fd, CTI_CMD_SET_DND,
						    j + 1, 0, 0, 0, j & 1, 0,
						    NULL));
		ASSERT_EQ(0, cti_sim_set_live(&sim, 0));
		ASSERT_EQ(0, pthread_join(r.thread, NULL));
		ASSERT_EQ(ENODEV, r.t.err);
		early += r.t.last != CTI_EV_CARD_REMOVED;
		missing += reqs - r.t.replies;
		close(r.fd);
		if (!((i + 1) % 50))
			TH_LOG("%u rounds, %u early", i + 1, early);
	}
	TH_LOG("%u rounds: ENODEV before CARD_REMOVED %u times, %u REPLYs missed",
	       rounds, early, missing);
	EXPECT_EQ(0, early);
	EXPECT_EQ(0, missing);
	cti_sim_destroy(&sim);
}

/* Wait until the ring's tail is @tail, without consuming anything. */
static int wait_tail(const struct cti_ring *r, uint32_t tail)
{
	int64_t end = cti_now_ms() + 10000;

	while (__atomic_load_n(r->tail, __ATOMIC_ACQUIRE) != tail) {
		if (cti_now_ms() > end)
			return -ETIMEDOUT;
		cti_sleep_ms(1);
	}
	return 0;
}

/*
 * Fill a new card's ring past full and unplug it, unread. Whether the
 * OVERFLOW record fits beside CARD_REMOVED depends on the room the flood
 * leaves, so first @extra REPLYs of 48 bytes (DROPs of a call that does
 * not exist) move the flood's alignment.
 */
static void flood_and_unplug(struct __test_metadata *_metadata,
			     unsigned int extra)
{
	struct cti_ring ring;
	struct cti_sim sim;
	struct tally t = { 0 };
	uint64_t left = 1;
	unsigned int flood, i;
	uint32_t tail;
	int64_t end;

	ASSERT_EQ(0, cti_sim_create(&sim, 1, 0, "call"));
	ASSERT_EQ(0, cti_ring_map(sim.fd, &ring));
	tail = __atomic_load_n(ring.tail, __ATOMIC_ACQUIRE);
	for (i = 0; i < extra; i++)
		ASSERT_EQ(0, cti_submit_cmd(sim.fd, CTI_CMD_DROP, i + 1, 0,
					    12345, 0, 0, 0, NULL));
	ASSERT_EQ(0, wait_tail(&ring, tail + extra *
			       sizeof(struct cti_ev_reply)));
	/* DIGITS records are 64 bytes: twice what the ring holds. */
	flood = ring.info.ring_size / 64 * 2;
	ASSERT_EQ(0, cti_sim_ctl(&sim, "flood", "%u", flood));
	end = cti_now_ms() + 60000;
	while (left && cti_now_ms() < end) {
		ASSERT_EQ(0, cti_sim_ctl_read_u64(&sim, "flood", &left));
		cti_sleep_ms(10);
	}
	ASSERT_EQ(0, left);
	ASSERT_EQ(0, cti_sim_set_live(&sim, 0));

	ASSERT_EQ(ENODEV, read_until_error(sim.fd, &t));
	ASSERT_EQ(CTI_EV_CARD_REMOVED, t.last);
	ASSERT_EQ(CTI_EV_OVERFLOW, t.before_last)
		TH_LOG("%u REPLYs first: the loss went unreported", extra);
	ASSERT_LT(0, t.lost);
	ASSERT_EQ(flood, t.digits + t.lost);
	ASSERT_EQ(extra, t.replies);
	cti_ring_unmap(&ring);
	cti_sim_destroy(&sim);
}

/*
 * Records lost just before an unplug: a read() user sees the OVERFLOW
 * record with their count right before CARD_REMOVED, and every record is
 * either read or counted, wherever the flood left the tail.
 */
TEST(overflow_reported_before_card_removed)
{
	unsigned int extra;

	for (extra = 0; extra < 4; extra++)
		flood_and_unplug(_metadata, extra);
}

/* ---- minors ----------------------------------------------------------- */

static int dev_rdev(const char *dev, dev_t *rdev)
{
	char path[96];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/%s", dev);
	if (stat(path, &st))
		return -errno;
	*rdev = st.st_rdev;
	return 0;
}

/*
 * A node of a removed card, made while the card lived (as a container or
 * a disk keeps one), must not open a card registered after it while a
 * file of the removed card is open: the minor stays taken until then.
 */
TEST(minor_not_reused_while_open)
{
	struct cti_sim a, b;
	char stale[64];
	dev_t ra = 0, rb = 0;
	int fd;

	ASSERT_EQ(0, cti_sim_create(&a, 1, 0, "call"));
	ASSERT_EQ(0, dev_rdev(a.dev, &ra));
	snprintf(stale, sizeof(stale), "/dev/cti-stale-%d", (int)getpid());
	unlink(stale);
	ASSERT_EQ(0, mknod(stale, S_IFCHR | 0600, ra));
	ASSERT_EQ(0, cti_sim_set_live(&a, 0));	/* a.fd stays open */

	ASSERT_EQ(0, cti_sim_create(&b, 1, 0, "call"));
	ASSERT_EQ(0, dev_rdev(b.dev, &rb));
	EXPECT_NE(ra, rb) TH_LOG("minor %u reused while open", minor(ra));
	fd = open(stale, O_RDWR | O_CLOEXEC);
	EXPECT_EQ(-1, fd) TH_LOG("the stale node opened another card");
	if (fd >= 0) {
		close(fd);
	} else {
		EXPECT_EQ(ENXIO, errno);
	}
	/* The removed card's own file still answers for that card. */
	EXPECT_EQ(-ENODEV, cti_ring_get_info(a.fd, &(struct cti_ring_info){0}));

	unlink(stale);
	cti_sim_destroy(&b);
	cti_sim_destroy(&a);
}

/* ---- limits ----------------------------------------------------------- */

/* The ring memory of a card's files has a ceiling: EBUSY past it. */
TEST(card_ring_limit)
{
	unsigned long old, per_file;
	struct cti_ring_info ri;
	struct cti_sim sim;
	int fd2, fd3, fd4;

	ASSERT_EQ(0, param_read("card_ring_limit", &old));
	ASSERT_EQ(0, cti_sim_create(&sim, 1, 0, "call"));
	ASSERT_EQ(0, cti_ring_get_info(sim.fd, &ri));
	per_file = ri.mmap_size;
	ASSERT_EQ(0, param_write("card_ring_limit", 3 * per_file));

	fd2 = cti_sim_open(&sim, O_RDWR);
	fd3 = cti_sim_open(&sim, O_RDONLY);
	fd4 = cti_sim_open(&sim, O_RDWR);
	EXPECT_LE(0, fd2);
	EXPECT_LE(0, fd3);
	EXPECT_EQ(-EBUSY, fd4);
	if (fd4 >= 0)
		close(fd4);
	close(fd2);
	fd4 = cti_sim_open(&sim, O_RDWR);	/* room again */
	EXPECT_LE(0, fd4);
	if (fd4 >= 0)
		close(fd4);
	if (fd3 >= 0)
		close(fd3);
	ASSERT_EQ(0, param_write("card_ring_limit", old));
	cti_sim_destroy(&sim);
}

/* Pin to CPU 0 as SCHED_FIFO: a work item queued there waits for us. */
static bool hold_cpu(bool on)
{
	struct sched_param sp = { .sched_priority = on ? 10 : 0 };
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (on && sched_setaffinity(0, sizeof(set), &set))
		return false;
	return !sched_setscheduler(0, on ? SCHED_FIFO : SCHED_OTHER, &sp);
}

/*
 * A file may have max_requests requests without a REPLY: the next submit
 * is EAGAIN until REPLYs make room. The sim completes requests in a work
 * item on the submitter's CPU; holding that CPU keeps every request
 * outstanding, so the count is exact (at least the limit without it).
 */
TEST(requests_per_file)
{
	const unsigned long limit = 16;
	unsigned long old;
	unsigned int n = 0, i;
	struct cti_ev_reply rep;
	struct cti_sim sim;
	bool held;
	int ret = 0;

	ASSERT_EQ(0, param_read("max_requests", &old));
	ASSERT_EQ(256, old) TH_LOG("the documented default");
	ASSERT_EQ(0, param_write("max_requests", limit));
	ASSERT_EQ(0, cti_sim_create(&sim, 1, 0, "call"));

	held = hold_cpu(true);
	while (n < 4 * limit) {
		ret = cti_submit_cmd(sim.fd, CTI_CMD_SET_DND, n + 1, 0, 0, 0,
				     n & 1, 0, NULL);
		if (ret)
			break;
		n++;
	}
	hold_cpu(false);
	EXPECT_EQ(-EAGAIN, ret);
	if (held) {
		EXPECT_EQ(limit, n);
	} else {
		EXPECT_LE(limit, n);
	}
	for (i = 1; i <= n; i++) {
		ASSERT_EQ(0, cti_wait_reply(&sim.st, i, &rep, NULL, 5000));
		EXPECT_EQ(0, rep.error);
	}
	/* The REPLYs made room. */
	EXPECT_EQ(0, cti_submit_cmd(sim.fd, CTI_CMD_SET_DND, 1000, 0, 0, 0, 0,
				    0, NULL));
	ASSERT_EQ(0, param_write("max_requests", old));
	cti_sim_destroy(&sim);
}

/* The size field is capped at a page, whatever the tail (as clone3). */
TEST(size_above_page)
{
	struct cti_sim sim;
	uint8_t *arg;
	long page = sysconf(_SC_PAGESIZE);

	ASSERT_EQ(0, cti_sim_create(&sim, 1, 0, "call"));
	arg = calloc(1, 2 * page);
	ASSERT_NE(NULL, arg);
	*(uint32_t *)arg = page;
	EXPECT_EQ(0, cti_ioctl(sim.fd, CTI_IOC_CARD_INFO, arg));
	memset(arg, 0, 2 * page);
	*(uint32_t *)arg = page + 8;
	EXPECT_EQ(-E2BIG, cti_ioctl(sim.fd, CTI_IOC_CARD_INFO, arg));
	*(uint32_t *)arg = 0xffffffffu;
	EXPECT_EQ(-E2BIG, cti_ioctl(sim.fd, CTI_IOC_RING_INFO, arg));
	EXPECT_EQ(-E2BIG, cti_ioctl(sim.fd, CTI_IOC_SUBMIT, arg));
	free(arg);
	cti_sim_destroy(&sim);
}

/* A card whose name is not printable ASCII does not register. */
TEST(card_names_printable)
{
	static const char *const bad[] = {
		"kst_nl\nx", "kst_tab\tx", "kst_del\x7f", "kst_esc\x1b[2J",
		"kst_utf8\xc3\xa9",
	};
	char dir[CTI_SIM_PATH_MAX], path[CTI_SIM_PATH_MAX + 16];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", CTI_SIM_ROOT, bad[i]);
		ASSERT_EQ(0, mkdir(dir, 0755));
		snprintf(path, sizeof(path), "%s/live", dir);
		EXPECT_EQ(-EINVAL, cti_write_file(path, "1"))
			TH_LOG("name %u registered", i);
		cti_write_file(path, "0");
		ASSERT_EQ(0, rmdir(dir));
	}
	/* Spaces are printable. */
	snprintf(dir, sizeof(dir), "%s/kst ok %d", CTI_SIM_ROOT, (int)getpid());
	ASSERT_EQ(0, mkdir(dir, 0755));
	snprintf(path, sizeof(path), "%s/live", dir);
	EXPECT_EQ(0, cti_write_file(path, "1"));
	EXPECT_EQ(0, cti_write_file(path, "0"));
	ASSERT_EQ(0, rmdir(dir));
}

/* The ring is data: no PROT_EXEC mapping, and mprotect() cannot add it. */
TEST(ring_not_executable)
{
	struct cti_ring_info ri;
	struct cti_sim sim;
	void *m;

	ASSERT_EQ(0, cti_sim_create(&sim, 1, 0, "call"));
	ASSERT_EQ(0, cti_ring_get_info(sim.fd, &ri));
	m = mmap(NULL, ri.mmap_size, PROT_READ | PROT_EXEC, MAP_SHARED,
		 sim.fd, 0);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EPERM, errno);
	if (m != MAP_FAILED)
		munmap(m, ri.mmap_size);
	m = mmap(NULL, ri.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 sim.fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_EQ(-1, mprotect(m, ri.mmap_size, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	munmap(m, ri.mmap_size);
	cti_sim_destroy(&sim);
}

/* memory.current of the cgroup at @dir, or -1. */
static long long cg_current(const char *dir)
{
	char path[192], buf[64];

	snprintf(path, sizeof(path), "%s/memory.current", dir);
	if (cti_read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	return strtoll(buf, NULL, 10);
}

/* A cgroup with the memory controller that this process is moved into. */
static int cg_enter(char *dir, size_t size)
{
	char path[192], buf[256];

	if (access(CGROUP_ROOT "/cgroup.controllers", F_OK)) {
		mkdir(CGROUP_ROOT, 0755);
		if (mount("none", CGROUP_ROOT, "cgroup2", 0, NULL))
			return -errno;
	}
	if (cti_read_file(CGROUP_ROOT "/cgroup.controllers", buf,
			  sizeof(buf)) < 0 || !strstr(buf, "memory"))
		return -EOPNOTSUPP;
	cti_write_file(CGROUP_ROOT "/cgroup.subtree_control", "+memory");
	snprintf(dir, size, "%s/cti_kst%d", CGROUP_ROOT, (int)getpid());
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	return cti_write_file(path, "0");
}

/*
 * The rings are charged to the memory cgroup of the process that opens
 * the files: 16 more files raise its memory.current by at least half of
 * their rings (the rest is slack for the per-CPU charge batches).
 */
TEST(ring_charged_to_cgroup)
{
	const unsigned int files = 16;
	long long before, after;
	struct cti_ring_info ri;
	struct cti_sim sim;
	char dir[160];
	int fds[16], i, ret;

	ret = cg_enter(dir, sizeof(dir));
	if (ret)
		SKIP(return, "no memory cgroup here (%d)", ret);
	ASSERT_EQ(0, cti_sim_create(&sim, 1, 0, "call"));
	ASSERT_EQ(0, cti_ring_get_info(sim.fd, &ri));
	before = cg_current(dir);
	ASSERT_LE(0, before);
	for (i = 0; i < (int)files; i++) {
		fds[i] = cti_sim_open(&sim, O_RDWR);
		ASSERT_LE(0, fds[i]);
	}
	after = cg_current(dir);
	TH_LOG("memory.current %lld -> %lld for %u rings of %llu bytes",
	       before, after, files, (unsigned long long)ri.mmap_size);
	EXPECT_LE((long long)(files * ri.mmap_size / 2), after - before);
	for (i = 0; i < (int)files; i++)
		close(fds[i]);
	cti_sim_destroy(&sim);
	cti_write_file(CGROUP_ROOT "/cgroup.procs", "0");
	rmdir(dir);
}

TEST_HARNESS_MAIN
