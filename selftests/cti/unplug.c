// SPDX-License-Identifier: GPL-2.0
/*
 * unplug: a card removed while files are open
 *
 * live=0 while one thread sleeps in poll() and another in read() (both
 * seen asleep in /proc first): both wake, the reader with CARD_REMOVED,
 * the poller with EPOLLHUP | EPOLLERR; every later operation fails with
 * ENODEV, poll reports
 * EPOLLHUP | EPOLLERR, and CARD_REMOVED is the last record of every ring;
 * repeated 200 times. The sim's debugfs controls of a card removed while
 * they are open answer EIO, and writers racing the removal fail cleanly.
 * A card removed while its calls ring frees its switch's timers first.
 * Then the backend module itself is unloaded with files still open, and
 * loaded again.
 */
#include <dirent.h>
#include <pthread.h>
#include <sys/syscall.h>

#include "cti_test.h"
#include "kselftest_harness.h"

#define UNPLUG_ROUNDS	200

/* A sleeper in poll() or read(), started before the unplug. */
struct sleeper {
	int fd;
	bool use_read;
	pid_t tid;
	int started;		/* set just before the blocking call */
	int ret;		/* poll: revents; read: bytes or -errno */
	uint64_t buf[512];
};

static void *sleeper_fn(void *arg)
{
	struct sleeper *s = arg;
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	ssize_t n;

	s->tid = syscall(SYS_gettid);
	__atomic_store_n(&s->started, 1, __ATOMIC_RELEASE);
	if (s->use_read) {
		n = read(s->fd, s->buf, sizeof(s->buf));
		s->ret = n < 0 ? -errno : (int)n;
	} else {
		n = poll(&pfd, 1, 20000);
		s->ret = n < 0 ? -errno : n == 0 ? 0 : pfd.revents;
	}
	return NULL;
}

/* Is thread @tid of this process asleep ("S" in its stat)? */
static bool task_sleeping(pid_t tid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

/*
 * Wait until both sleepers really sleep in their poll() and read() (they
 * do nothing else after @started); 0, or -ETIMEDOUT after @ms.
 */
static int sleepers_asleep(const struct sleeper *a, const struct sleeper *b,
			   int ms)
{
	int64_t end = cti_now_ms() + ms;

	while (!__atomic_load_n(&a->started, __ATOMIC_ACQUIRE) ||
	       !__atomic_load_n(&b->started, __ATOMIC_ACQUIRE) ||
	       !task_sleeping(a->tid) || !task_sleeping(b->tid)) {
		if (cti_now_ms() > end)
			return -ETIMEDOUT;
		cti_sleep_ms(1);
	}
	return 0;
}

/*
 * Every operation of a removed card's file fails with ENODEV; read()
 * first hands out the @left records still unread (-1: any number),
 * CARD_REMOVED last.
 * Return: 0, or the number of the check that failed.
 */
static int check_enodev(int fd, int left)
{
	const struct cti_event *ev = NULL;
	int got = 0;
	struct cti_card_info ci;
	struct cti_ring_info ri;
	struct cti_snapshot snap;
	struct cti_line_snapshot lines[8];
	uint64_t buf[512];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int i;
	void *m;

	if (cti_card_info(fd, &ci) != -ENODEV)
		return 1;
	if (cti_submit_cmd(fd, CTI_CMD_SET_DND, 1, 0, 0, 0, 1, 0, NULL) !=
	    -ENODEV)
		return 2;
	if (cti_ring_get_info(fd, &ri) != -ENODEV)
		return 3;
	memset(&snap, 0, sizeof(snap));
	snap.size = sizeof(snap);
	snap.num_lines = 8;
	snap.lines = (uintptr_t)lines;
	if (cti_ioctl(fd, CTI_IOC_SNAPSHOT, &snap) != -ENODEV)
		return 4;
	if (cti_set_filter(fd, CTI_EV_ALL, NULL, 0) != -ENODEV)
		return 5;
	if (poll(&pfd, 1, 0) != 1 ||
	    (pfd.revents & (POLLHUP | POLLERR)) != (POLLHUP | POLLERR))
		return 6;
	/* The records left, CARD_REMOVED last, then ENODEV. */
	for (i = 0; i < 1000; i++) {
		const uint8_t *p = (const void *)buf;
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0)
			break;
		if (n < (ssize_t)sizeof(struct cti_event))
			return 7;
		for (; p < (const uint8_t *)buf + n; p += ev->size) {
			ev = (const void *)p;
			got++;
		}
	}
	if (errno != ENODEV)
		return 8;
	if (left >= 0 && got != left)
		return 12;
	if (got && ev->type != CTI_EV_CARD_REMOVED)
		return 13;
	if (read(fd, buf, sizeof(buf)) != -1 || errno != ENODEV)
		return 9;
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (m != MAP_FAILED) {
		munmap(m, 4096);
		return 10;
	}
	if (errno != ENODEV)
		return 11;
	return 0;
}

/*
 * Read what a removed card's mapped ring holds: gap-free records ending
 * with exactly one CARD_REMOVED. Return: records before it, or -1.
 */
static int check_ring_removed(struct cti_ring *r)
{
	const struct cti_event *ev;
	uint64_t seq = 0;
	int n = 0, err;

	if (!(cti_ring_flags(r) & CTI_RING_F_REMOVED))
		return -1;
	while ((ev = cti_ring_peek(r, &err))) {
		if (seq && ev->seq != seq + 1)
			return -1;
		seq = ev->seq;
		if (ev->type == CTI_EV_CARD_REMOVED) {
			if (ev->line != CTI_LINE_NONE)
				return -1;
			cti_ring_advance(r, ev->size);
			/* Nothing follows it. */
			if (cti_ring_peek(r, &err) || err)
				return -1;
			return n;
		}
		n++;
		cti_ring_advance(r, ev->size);
	}
	return -1;
}

/* Wait until the sim's flood generator has posted everything. */
static int flood_wait(const struct cti_sim *sim)
{
	uint64_t left = 1;
	int i;

	for (i = 0; i < 5000 && left; i++) {
		if (cti_sim_ctl_read_u64(sim, "flood", &left))
			return -EIO;
		if (left)
			cti_sleep_ms(1);
	}
	return left ? -ETIMEDOUT : 0;
}

/* A fixture only for the longer timeouts these tests need under TCG. */
FIXTURE(unplug) {
	int unused;
};

FIXTURE_SETUP(unplug)
{
}

FIXTURE_TEARDOWN(unplug)
{
}

TEST_F_TIMEOUT(unplug, with_sleepers, 450)
{
	unsigned int round;

	for (round = 0; round < UNPLUG_ROUNDS; round++) {
		struct sleeper ps = { 0 }, rs = { 0 };
		const struct cti_event *ev;
		int fd2, fd3, pending = round % 3, ret;
		struct cti_ring ring;
		struct cti_sim sim;
		pthread_t pt, rt;

		/*
		 * sim.fd (mapped) and fd2 (O_RDONLY) hold 0-2 unread
		 * records; fd3 takes no event type, so it stays empty and
		 * both sleepers really sleep on it.
		 */
		ASSERT_EQ(0, cti_sim_create(&sim, 2, 0, NULL));
		ASSERT_EQ(0, cti_ring_map(sim.fd, &ring));
		fd2 = cti_sim_open(&sim, O_RDONLY);
		ASSERT_LE(0, fd2);
		fd3 = cti_sim_open(&sim, O_RDWR);
		ASSERT_LE(0, fd3);
		ASSERT_EQ(0, cti_set_filter(fd3, 0, NULL, 0));
		if (pending) {
			ASSERT_EQ(0, cti_sim_ctl(&sim, "flood", "%d",
						   pending));
			ASSERT_EQ(0, flood_wait(&sim));
		}
		ASSERT_EQ(0, cti_poll(fd3, POLLIN, 0));

		ps.fd = fd3;
		rs.fd = fd3;
		rs.use_read = true;
		ASSERT_EQ(0, pthread_create(&pt, NULL, sleeper_fn, &ps));
		ASSERT_EQ(0, pthread_create(&rt, NULL, sleeper_fn, &rs));
		/* Both blocked in the syscall, checked, not hoped for. */
		ASSERT_EQ(0, sleepers_asleep(&ps, &rs, 20000))
			TH_LOG("round %u", round);
		cti_sleep_ms(round % 3);

		ASSERT_EQ(0, cti_sim_set_live(&sim, 0));
		ASSERT_EQ(0, pthread_join(pt, NULL));
		ASSERT_EQ(0, pthread_join(rt, NULL));
		/*
		 * The reader was blocked, so the wake-up finds CARD_REMOVED
		 * (always delivered, whatever the filter): that first, only
		 * then ENODEV.
		 */
		ASSERT_EQ(sizeof(struct cti_event), rs.ret)
			TH_LOG("round %u: %d", round, rs.ret);
		ev = (const void *)rs.buf;
		ASSERT_EQ(CTI_EV_CARD_REMOVED, ev->type);
		ASSERT_EQ(CTI_LINE_NONE, ev->line);
		ASSERT_EQ(1, ev->seq);
		/* The poller woke with the hang-up, not a timeout or error. */
		ASSERT_LT(0, ps.ret) TH_LOG("round %u: %d", round, ps.ret);
		ASSERT_EQ(POLLHUP | POLLERR, ps.ret & (POLLHUP | POLLERR))
			TH_LOG("round %u: revents %#x", round, ps.ret);

		/* Pending records, then CARD_REMOVED last, in every file. */
		ret = check_ring_removed(&ring);
		ASSERT_EQ(pending, ret) TH_LOG("round %u", round);
		ASSERT_EQ(0, check_enodev(sim.fd, 0)) TH_LOG("round %u", round);
		ASSERT_EQ(0, check_enodev(fd2, pending + 1))
			TH_LOG("round %u", round);
		ASSERT_EQ(0, check_enodev(fd3, 0))
			TH_LOG("round %u", round);

		cti_ring_unmap(&ring);
		close(fd3);
		close(fd2);
		ASSERT_EQ(0, cti_sim_destroy(&sim));
	}
}

TEST_F_TIMEOUT(unplug, then_live_again, 120)
{
	struct cti_card_info ci;
	struct cti_sim sim;
	int old;

	ASSERT_EQ(0, cti_sim_create(&sim, 2, 0, NULL));
	old = sim.fd;
	ASSERT_EQ(0, cti_sim_set_live(&sim, 0));
	ASSERT_EQ(-ENODEV, cti_card_info(old, &ci));
	/* The card's properties can change only while it is not live. */
	ASSERT_EQ(0, cti_sim_write(&sim, "num_lines", "3"));
	ASSERT_EQ(0, cti_sim_set_live(&sim, 1));
	ASSERT_EQ(-EBUSY, cti_sim_write(&sim, "num_lines", "5"));
	sim.fd = cti_sim_open(&sim, O_RDWR);
	ASSERT_LE(0, sim.fd);
	ASSERT_EQ(0, cti_card_info(sim.fd, &ci));
	ASSERT_EQ(3, ci.num_lines);
	ASSERT_STREQ(sim.name, ci.name);
	/* The old file stays dead: the new card is a new device. */
	ASSERT_EQ(-ENODEV, cti_card_info(old, &ci));
	close(old);
	/* rmdir of a live card unregisters it first. */
	old = sim.fd;
	sim.fd = -1;
	ASSERT_EQ(0, cti_sim_destroy(&sim));
	ASSERT_EQ(-ENODEV, cti_card_info(old, &ci));
	close(old);
}

/*
 * A card removed while its calls ring and its switch's timers are armed:
 * far ends about to answer, to hang up, to give up and to send digits, a
 * forward on no answer, an inbound caller. Going dead stops the timer
 * work, then frees the switch, whose calls cancel their own timers: none
 * may fire on freed memory (slub_debug and panic_on_warn in the guest
 * catch it), whatever point of its life the removal hits, so the rounds
 * remove the card after 0 to 70 ms.
 */
TEST_F_TIMEOUT(unplug, with_calls_ringing, 120)
{
	static const char *const rules[] = {
		"5000 answer 40", "5001 hangup 30", "5002 noanswer 50",
		"5003 digits 12",
	};
	static const struct {
		uint32_t line;
		const char *number;
	} calls[] = {
		{ 0, "101" }, { 0, "5000" }, { 0, "5001" },
		{ 3, "5002" }, { 3, "5003" }, { 3, "102" },
	};
	struct cti_sim sim;
	unsigned int round, i;
	uint64_t id;

	for (round = 0; round < 40; round++) {
		ASSERT_EQ(0, cti_sim_create(&sim, 4, 0, NULL));
		for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
			ASSERT_EQ(0, cti_sim_write(&sim, "far_end", rules[i]));
		id = 0;
		ASSERT_EQ(0, cti_submit_cmd(sim.fd, CTI_CMD_SET_FORWARD, ++id,
					    1, 0, 0, CTI_FORWARD_NO_ANSWER, 0,
					    "102"));
		for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			ASSERT_EQ(0, cti_submit_cmd(sim.fd, CTI_CMD_MAKE_CALL,
						    ++id, calls[i].line, 0, 0,
						    0, 0, calls[i].number));
		ASSERT_EQ(0, cti_sim_ctl(&sim, "inbound", "2 777"));
		cti_sleep_ms((round % 8) * 10);
		ASSERT_EQ(0, cti_sim_destroy(&sim));
	}
}

/* Which of the sim's files exist: is the module loaded? */
static bool sim_loaded(void)
{
	return access("/sys/module/cti_sim", F_OK) == 0;
}

static int sim_unload(void)
{
	int i;

	/* A file released just now may still hold it for a moment. */
	for (i = 0; i < 100; i++) {
		if (!syscall(__NR_delete_module, "cti_sim", O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY)
			return -errno;
		cti_sleep_ms(20);
	}
	return -EBUSY;
}

/* Remove every sim card directory; the number removed or -errno. */
static int remove_all_cards(void)
{
	char path[CTI_SIM_PATH_MAX + 64];
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(CTI_SIM_ROOT);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CTI_SIM_ROOT, de->d_name);
		if (!rmdir(path))
			n++;
	}
	closedir(d);
	return n;
}

static int sim_load(void)
{
	const char *path = getenv("CTI_SIM_KO");
	int fd, ret = 0;

	if (!path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(__NR_finit_module, fd, "", 0))
		ret = -errno;
	close(fd);
	return ret;
}

/* The run-time controls of a card, and whether each can be read. */
static const struct {
	const char *name;
	bool rw;
	const char *val;	/* a write that works on a live 2-line card */
} ctls[] = {
	{ "fail_next", true, "0 5" },
	{ "link", true, "up" },
	{ "flood", true, "1" },
	{ "inbound", false, "0 555" },
	{ "far_hangup", false, NULL },	/* needs an outside call */
	{ "far_digits", false, NULL },
};

/*
 * A card removed while its debugfs controls are open: the directory goes
 * with the card, and the open files answer EIO from then on instead of
 * reaching a card that is gone.
 */
TEST(controls_open_across_rmdir)
{
	int fds[ARRAY_SIZE(ctls)];
	char path[CTI_SIM_PATH_MAX + 32];
	struct cti_sim sim;
	unsigned int i;
	char buf[32];

	ASSERT_EQ(0, cti_sim_create(&sim, 2, 0, NULL));
	for (i = 0; i < ARRAY_SIZE(ctls); i++) {
		snprintf(path, sizeof(path), "%s/%s", sim.ctl, ctls[i].name);
		fds[i] = open(path, ctls[i].rw ? O_RDWR : O_WRONLY);
		ASSERT_LE(0, fds[i]) TH_LOG("%s: %s", path, strerror(errno));
		if (ctls[i].val)
			ASSERT_EQ((ssize_t)strlen(ctls[i].val),
				  write(fds[i], ctls[i].val,
					strlen(ctls[i].val)))
				TH_LOG("%s: %s", path, strerror(errno));
	}
	ASSERT_EQ(0, cti_sim_destroy(&sim));
	ASSERT_NE(0, access(sim.ctl, F_OK));
	for (i = 0; i < ARRAY_SIZE(ctls); i++) {
		EXPECT_EQ(-1, write(fds[i], "1 1", 3)) TH_LOG("%s",
							     ctls[i].name);
		EXPECT_EQ(EIO, errno) TH_LOG("%s", ctls[i].name);
		/* Every operation, a seek included, is refused. */
		if (ctls[i].rw) {
			EXPECT_EQ(-1, read(fds[i], buf, sizeof(buf)));
			EXPECT_EQ(EIO, errno) TH_LOG("%s", ctls[i].name);
			EXPECT_EQ(-1, lseek(fds[i], 0, SEEK_SET));
			EXPECT_EQ(EIO, errno) TH_LOG("%s", ctls[i].name);
		}
		close(fds[i]);
	}
}

/* A thread that keeps writing to one control until told to stop. */
struct ctl_writer {
	pthread_t thread;
	char path[CTI_SIM_PATH_MAX + 32];
	const char *val;
	int stop;
	unsigned long writes, ok;
	int bad_errno;		/* the first errno not allowed, or 0 */
};

static void *ctl_writer_fn(void *arg)
{
	struct ctl_writer *w = arg;
	int ret, fd = -1;

	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		/* Alternately a fresh open and a file kept open across rmdir. */
		if (fd < 0 || w->writes % 2) {
			ret = cti_write_file(w->path, w->val);
		} else {
			ret = write(fd, w->val, strlen(w->val)) < 0 ? -errno : 0;
		}
		if (fd < 0)
			fd = open(w->path, O_WRONLY | O_CLOEXEC);
		w->writes++;
		/*
		 * 0 while the card is there; EBUSY from a flood that still
		 * runs; ENOENT once the directory is gone; EIO from a file
		 * opened before. Anything else is a handler that saw a card
		 * half torn down.
		 */
		if (!ret)
			w->ok++;
		else if (ret != -EBUSY && ret != -ENOENT && ret != -EIO &&
			 !w->bad_errno)
			w->bad_errno = -ret;
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/*
 * Writers hammer every control of a live card while it is removed, 20
 * times: each write succeeds or fails cleanly, and the kernel log stays
 * clean (vm-run fails the run on a WARNING, BUG or KASAN report).
 */
TEST_F_TIMEOUT(unplug, controls_race_rmdir, 300)
{
	static const char *const vals[] = { "3 5", "down", "1000", "0 555" };
	static const char *const names[] = {
		"fail_next", "link", "flood", "inbound",
	};
	struct ctl_writer w[ARRAY_SIZE(names)];
	unsigned long total_ok = 0;
	struct cti_sim sim;
	unsigned int round, i;

	for (round = 0; round < 20; round++) {
		ASSERT_EQ(0, cti_sim_create(&sim, 2, 0, NULL));
		memset(w, 0, sizeof(w));
		for (i = 0; i < ARRAY_SIZE(w); i++) {
			snprintf(w[i].path, sizeof(w[i].path), "%s/%s",
				 sim.ctl, names[i]);
			w[i].val = vals[i];
			ASSERT_EQ(0, pthread_create(&w[i].thread, NULL,
						    ctl_writer_fn, &w[i]));
		}
		/* Let each writer get some writes in first. */
		for (i = 0; i < ARRAY_SIZE(w); i++)
			while (!__atomic_load_n(&w[i].writes, __ATOMIC_RELAXED))
				cti_sleep_ms(1);
		ASSERT_EQ(0, cti_sim_destroy(&sim));
		cti_sleep_ms(5);
		for (i = 0; i < ARRAY_SIZE(w); i++) {
			__atomic_store_n(&w[i].stop, 1, __ATOMIC_RELEASE);
			pthread_join(w[i].thread, NULL);
			EXPECT_EQ(0, w[i].bad_errno)
				TH_LOG("%s: %s", names[i],
				       strerror(w[i].bad_errno));
			total_ok += w[i].ok;
		}
	}
	/* The writes did reach live cards. */
	EXPECT_LT(0, total_ok);
}

TEST_F_TIMEOUT(unplug, unload_with_files_open, 120)
{
	const char *path = getenv("CTI_SIM_KO");
	struct cti_card_info ci;
	struct cti_sim sim, again;
	struct cti_ring ring;
	int fd2, ret;

	if (!path || access(path, R_OK))
		SKIP(return, "CTI_SIM_KO does not name cti_sim.ko");
	if (!sim_loaded())
		ASSERT_EQ(0, sim_load());
	ASSERT_EQ(0, cti_sim_create(&sim, 4, 0, NULL));
	ASSERT_EQ(0, cti_ring_map(sim.fd, &ring));
	fd2 = cti_sim_open(&sim, O_RDWR);
	ASSERT_LE(0, fd2);

	/* A call in progress and records pending when the module goes. */
	ASSERT_EQ(0, cti_submit_cmd(sim.fd, CTI_CMD_MAKE_CALL, 1, 0, 0, 0, 0,
				    0, "101"));
	ASSERT_EQ(0, cti_wait_reply(&sim.st, 1, NULL, NULL, 5000));

	/*
	 * configfs may pin the module while the card's directory exists
	 * (EBUSY); then removing the directory unregisters the card and
	 * the module must go while the files are still open.
	 */
	ret = sim_unload();
	if (ret == -EBUSY) {
		ASSERT_EQ(0, rmdir(sim.dir));
		sim.dir[0] = '\0';
		/* Cards that failed tests left behind pin the module too. */
		ret = remove_all_cards();
		if (ret > 0)
			TH_LOG("removed %d cards left by earlier tests", ret);
		ret = sim_unload();
	}
	ASSERT_EQ(0, ret);
	ASSERT_FALSE(sim_loaded());
	ASSERT_NE(0, access(CTI_SIM_ROOT, F_OK));
	ASSERT_NE(0, access(CTI_SIM_CTL_ROOT, F_OK));

	/* The files outlive the module: ENODEV, and CARD_REMOVED last. */
	ASSERT_LE(0, check_ring_removed(&ring));
	ASSERT_EQ(0, check_enodev(sim.fd, -1));
	ASSERT_EQ(0, check_enodev(fd2, -1));
	cti_ring_unmap(&ring);
	close(fd2);
	close(sim.fd);

	/* Load it again: cards work as before. */
	ASSERT_EQ(0, sim_load());
	ASSERT_EQ(0, cti_sim_create(&again, 2, 0, NULL));
	ASSERT_EQ(0, cti_card_info(again.fd, &ci));
	ASSERT_EQ(2, ci.num_lines);
	ASSERT_EQ(0, cti_submit_cmd(again.fd, CTI_CMD_SET_DND, 2, 1, 0, 0, 1,
				    0, NULL));
	ASSERT_EQ(0, cti_wait_reply(&again.st, 2, NULL, NULL, 5000));
	ASSERT_EQ(0, cti_sim_destroy(&again));
}

TEST_HARNESS_MAIN
