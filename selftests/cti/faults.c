// SPDX-License-Identifier: GPL-2.0
/*
 * faults.c - every path of the cti ABI with its Nth fault injected
 *
 * The fail_nth method (Documentation/fault-injection, iommufd's
 * selftests): writing N to /proc/thread-self/fail-nth makes the Nth fault
 * point this thread reaches fail, whatever its kind: a slab allocation
 * (failslab), a page allocation (fail_page_alloc) or a copy to or from
 * user space (fail_usercopy).  Each scenario below runs with N = 1, 2, ...
 * until it completes without reaching the armed point, so every
 * allocation and every user copy on its path fails once.  Each time:
 *
 * - the call fails with a documented errno (ENOMEM for an allocation,
 *   EFAULT for a copy; ENOBUFS too on netlink) or absorbs the failure and
 *   succeeds, and then its result must be the right one;
 * - what failed left nothing behind: no REPLY for a refused SUBMIT, no
 *   configfs directory for a failed mkdir, no device for a failed "live",
 *   a card still usable after a failed unplug;
 * - the card is usable afterwards: CARD_INFO answers and a request gets
 *   its REPLY.
 *
 * Leaks are kmemleak's part: scripts/vm-run scans after the run and fails
 * it on any finding (the leak's allocation trace names the path).
 *
 * Needs CONFIG_FAULT_INJECTION with FAILSLAB, FAIL_PAGE_ALLOC,
 * FAULT_INJECTION_USERCOPY and FAULT_INJECTION_DEBUG_FS: the debug
 * kernel of scripts/build-debug-kernel.  Elsewhere the whole program
 * skips with one line saying why.  Each test prints how many failure
 * points it exercised ("# faults: ...").
 */
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "cti_test.h"
#include "kselftest_harness.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define DEBUGFS		"/sys/kernel/debug"
/* No path of the module is this long: reaching it means a loop. */
#define NTH_MAX		4000
#define WAIT_MS		5000

/**
 * struct sweep - the counts of one scenario's sweep
 * @points: failure points injected (the N that were reached)
 * @enomem: of them, calls that failed with ENOMEM
 * @efault: calls that failed with EFAULT
 * @other: calls that failed with another allowed errno
 * @absorbed: calls that succeeded all the same (the kernel retried, or
 *	the failure hit the debug tools' own allocations)
 */
struct sweep {
	unsigned int points, enomem, efault, other, absorbed;
};

/**
 * struct fx - what a scenario works on
 * @sim: the card every scenario checks for usability (4 lines, 4 phones)
 * @aux: a second card, made and removed by the configfs scenarios
 * @fd: a file a scenario opens (-1 when none)
 * @attr: an attribute file opened before arming (-1 when none)
 * @map: a mapping made by the mmap scenario, @map_len bytes
 * @nl: a generic netlink socket, @family the cti family's id
 * @id: the next request id
 * @req_id: the id of the armed SUBMIT
 * @hit: the armed fault point was reached in this attempt
 */
struct fx {
	struct cti_sim sim, aux;
	int fd, attr, nl, family;
	void *map;
	size_t map_len;
	uint64_t id, req_id;
	bool hit;
};

/* ---- fail_nth -------------------------------------------------------- */

static int nth_fd = -1;

/* nth_arm() - make the @n th fault point of this thread fail. */
static int nth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(nth_fd, buf, len, 0) == len ? 0 : -errno;
}

/*
 * nth_disarm() - whether the armed point was reached, and disarm
 *
 * Reading gives the points still to go: 0 once the failure was injected.
 * The read copies to user space, itself a fault point: when that copy is
 * the one that fails (EFAULT), the scenario did not reach it.  Writing 0
 * disarms what is left.
 */
static bool nth_disarm(void)
{
	char buf[16] = "";
	ssize_t n = pread(nth_fd, buf, sizeof(buf) - 1, 0);
	bool hit = n > 0 && strtoul(buf, NULL, 10) == 0;

	while (pwrite(nth_fd, "0", 1, 0) != 1 && errno == EFAULT)
		;
	return hit;
}

/*
 * setup_knobs() - let fail_nth reach every allocation
 *
 * By default failslab and fail_page_alloc ignore allocations that may
 * sleep (GFP_KERNEL: nearly all of ours) and fail_page_alloc those below
 * order 1; fail_nth obeys these filters.  verbose=0: no stack dump per
 * injected failure (thousands of them on a serial console under TCG).
 * Return: NULL, or why fault injection is not available.
 */
static const char *setup_knobs(void)
{
	static const char *const knobs[][2] = {
		{ DEBUGFS "/failslab/ignore-gfp-wait", "N" },
		{ DEBUGFS "/failslab/verbose", "0" },
		{ DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N" },
		{ DEBUGFS "/fail_page_alloc/ignore-gfp-highmem", "N" },
		{ DEBUGFS "/fail_page_alloc/min-order", "0" },
		{ DEBUGFS "/fail_page_alloc/verbose", "0" },
		{ DEBUGFS "/fail_usercopy/verbose", "0" },
	};
	static char why[160];
	const char *verbose = getenv("CTI_FAULTS_VERBOSE");
	unsigned int i;

	if (access(FAIL_NTH, W_OK))
		return "no " FAIL_NTH " (kernel without CONFIG_FAULT_INJECTION)";
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		/* CTI_FAULTS_VERBOSE=1: a stack trace of each injected fault
		 * in the kernel log, to see which call failed. */
		const char *val = verbose && !strcmp(knobs[i][1], "0") &&
				  strstr(knobs[i][0], "verbose") ? "2" : knobs[i][1];

		if (cti_write_file(knobs[i][0], val)) {
			snprintf(why, sizeof(why), "no %s (kernel without %s)",
				 knobs[i][0], i < 2 ? "CONFIG_FAILSLAB" :
				 i < 6 ? "CONFIG_FAIL_PAGE_ALLOC" :
				 "CONFIG_FAULT_INJECTION_USERCOPY");
			return why;
		}
	}
	return NULL;
}

/* ---- generic netlink, by hand: no library allocating in armed code --- */

struct nlreq {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[64];
};

static int nl_send(int sk, uint16_t type, uint16_t flags, uint8_t cmd,
		   uint16_t attr, const void *val, uint16_t len)
{
	struct nlreq r = { 0 };
	struct nlattr *a = (struct nlattr *)r.attrs;

	r.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r.n.nlmsg_type = type;
	r.n.nlmsg_flags = NLM_F_REQUEST | flags;
	r.g.cmd = cmd;
	r.g.version = 1;
	if (val) {
		a->nla_type = attr;
		a->nla_len = NLA_HDRLEN + len;
		memcpy((char *)a + NLA_HDRLEN, val, len);
		r.n.nlmsg_len += NLA_ALIGN(a->nla_len);
	}
	return send(sk, &r, r.n.nlmsg_len, 0) < 0 ? -errno : 0;
}

/* nl_attr() - attribute @type of a genl message, or NULL. */
static struct nlattr *nl_attr(struct nlmsghdr *n, uint16_t type)
{
	int left = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);

	while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= left) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		left -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

/*
 * nl_recv() - read answers until DONE, an error or (not @multi) one reply
 * @want: the attribute-value pair to look for (the card's index)
 * Return: 1 when a message carried @want_attr = @want, 0 when none did,
 * or -errno (of recv(), or the NLMSG_ERROR's).
 */
static int nl_recv(int sk, bool multi, uint16_t want_attr, uint32_t want)
{
	static char buf[32768] __attribute__((aligned(4)));
	struct nlmsghdr *n;
	struct nlattr *a;
	int found = 0;
	ssize_t len;

	for (;;) {
		len = recv(sk, buf, sizeof(buf), 0);
		if (len < 0)
			return -errno;
		for (n = (struct nlmsghdr *)buf; NLMSG_OK(n, len);
		     n = NLMSG_NEXT(n, len)) {
			/* A dump that failed says so in its DONE. */
			if (n->nlmsg_type == NLMSG_DONE)
				return n->nlmsg_len >= NLMSG_LENGTH(4) &&
				       *(int *)NLMSG_DATA(n) < 0 ?
				       *(int *)NLMSG_DATA(n) : found;
			if (n->nlmsg_type == NLMSG_ERROR) {
				int err = ((struct nlmsgerr *)NLMSG_DATA(n))->error;

				return err ? err : found;
			}
			a = nl_attr(n, want_attr);
			if (a && a->nla_len >= NLA_HDRLEN + 4 &&
			    *(uint32_t *)((char *)a + NLA_HDRLEN) == want)
				found = 1;
			if (!multi)
				return found;
		}
	}
}

/* nl_open() - a generic netlink socket and the cti family's id. */
static int nl_open(int *family)
{
	int sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	static char buf[8192] __attribute__((aligned(4)));
	struct nlmsghdr *n = (struct nlmsghdr *)buf;
	struct nlattr *a;
	ssize_t len;

	/* A dump that neither ends nor fails is a bug, not a hang. */
	struct timeval tmo = { .tv_sec = WAIT_MS / 1000 };

	if (sk < 0)
		return -errno;
	if (setsockopt(sk, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo)) ||
	    nl_send(sk, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY,
		    CTRL_ATTR_FAMILY_NAME, CTI_GENL_NAME,
		    sizeof(CTI_GENL_NAME)) ||
	    (len = recv(sk, buf, sizeof(buf), 0)) < 0 || !NLMSG_OK(n, len) ||
	    n->nlmsg_type == NLMSG_ERROR ||
	    !(a = nl_attr(n, CTRL_ATTR_FAMILY_ID))) {
		close(sk);
		return -ENOENT;
	}
	*family = *(uint16_t *)((char *)a + NLA_HDRLEN);
	return sk;
}

/* ---- the card's health -------------------------------------------------- */

/* card_index() - the N of /dev/ctiN. */
static uint32_t card_index(const struct cti_sim *sim)
{
	return strtoul(sim->dev + 3, NULL, 10);
}

/*
 * usable() - CARD_INFO answers and SET_DND gets its REPLY 0
 * @refused: the id of a refused SUBMIT, which must get no REPLY, or 0
 * Return: 0, or a negative errno saying what is wrong (-EEXIST: the
 * refused request got a REPLY).
 */
static int usable(struct fx *fx, uint64_t refused)
{
	struct cti_card_info ci;
	struct cti_ev_reply reply;
	struct cti_evlog log = { 0 };
	const struct cti_event *ev;
	uint64_t id = ++fx->id;
	int ret;

	ret = cti_card_info(fx->sim.fd, &ci);
	if (!ret)
		ret = cti_submit_cmd(fx->sim.fd, CTI_CMD_SET_DND, id, 0, 0, 0,
				     0, 0, NULL);
	if (!ret)
		ret = cti_wait_reply(&fx->sim.st, id, &reply, &log, WAIT_MS);
	if (!ret && reply.error)
		ret = reply.error;
	/* REPLYs come in the order of their requests: a refused one's
	 * would have arrived by now. */
	cti_evlog_for_each(&log, ev)
		if (refused && ev->type == CTI_EV_REPLY &&
		    ((const struct cti_ev_reply *)ev)->id == refused)
			ret = -EEXIST;
	cti_evlog_free(&log);
	return ret;
}

/* ---- the sweep ---------------------------------------------------------- */

/**
 * struct scenario - one path, swept
 * @name: for the messages
 * @prepare: unarmed, before each attempt (may be NULL); 0 or -errno
 * @act: the armed part: 0 or the -errno of the first call that failed
 * @settle: unarmed, after each attempt, with @act's result: checks what
 *	it left and undoes it; 0 or -errno when something is wrong
 * @also: one more errno that is a right answer here, or 0
 */
struct scenario {
	const char *name;
	int (*prepare)(struct fx *fx);
	int (*act)(struct fx *fx);
	int (*settle)(struct fx *fx, int ret);
	int also;
};

static bool allowed(const struct scenario *sc, int ret)
{
	return ret == -ENOMEM || ret == -EFAULT || (sc->also && ret == -sc->also);
}

static void sweep(struct __test_metadata *_metadata, struct fx *fx,
		  const struct scenario *sc)
{
	struct sweep s = { 0 };
	unsigned int n;
	bool hit;
	int ret;

	for (n = 1; n <= NTH_MAX; n++) {
		if (sc->prepare)
			ASSERT_EQ(0, sc->prepare(fx)) TH_LOG("%s: prepare, N=%u", sc->name, n);
		ASSERT_EQ(0, nth_arm(n));
		ret = sc->act(fx);
		hit = nth_disarm();
		fx->hit = hit;
		if (!hit) {
			ASSERT_EQ(0, ret) TH_LOG("%s: failed without a fault (N=%u)", sc->name, n);
			ASSERT_EQ(0, sc->settle(fx, ret)) TH_LOG("%s: N=%u, clean run", sc->name, n);
			break;
		}
		s.points++;
		ASSERT_TRUE(!ret || allowed(sc, ret))
			TH_LOG("%s: fault %u: errno %d is not documented", sc->name, n, -ret);
		if (!ret)
			s.absorbed++;
		else if (ret == -ENOMEM)
			s.enomem++;
		else if (ret == -EFAULT)
			s.efault++;
		else
			s.other++;
		ASSERT_EQ(0, sc->settle(fx, ret))
			TH_LOG("%s: fault %u (errno %d) left a wrong state", sc->name, n, -ret);
		ASSERT_EQ(0, usable(fx, 0))
			TH_LOG("%s: fault %u (errno %d): card no longer usable", sc->name, n, -ret);
	}
	ASSERT_GE(NTH_MAX, n) TH_LOG("%s: still failing after %u points", sc->name, NTH_MAX);
	/* The harness ends each test with _exit(): flush what it would lose. */
	ksft_print_msg("faults: %s: %u injected failure points (%u ENOMEM, %u EFAULT, %u other, %u absorbed)\n",
		       sc->name, s.points, s.enomem, s.efault, s.other, s.absorbed);
	fflush(stdout);
}

/* ---- scenarios: the device file ----------------------------------------- */

static int act_open(struct fx *fx)
{
	fx->fd = cti_sim_open(&fx->sim, O_RDWR);
	return fx->fd < 0 ? fx->fd : 0;
}

static int settle_fd(struct fx *fx, int ret)
{
	struct cti_card_info ci;

	if (fx->fd >= 0) {
		ret = cti_card_info(fx->fd, &ci);
		close(fx->fd);
		fx->fd = -1;
		return ret;
	}
	return 0;
}

static int prep_fd(struct fx *fx)
{
	fx->fd = cti_sim_open(&fx->sim, O_RDWR | O_NONBLOCK);
	return fx->fd < 0 ? fx->fd : 0;
}

static int act_mmap(struct fx *fx)
{
	struct cti_ring_info ri;
	void *m;
	int ret = cti_ring_get_info(fx->fd, &ri);

	if (ret)
		return ret;
	m = mmap(NULL, ri.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 fx->fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	fx->map = m;
	fx->map_len = ri.mmap_size;
	return 0;
}

/* A mapping made is touched unarmed (a fault there would be SIGBUS). */
static int settle_mmap(struct fx *fx, int ret)
{
	struct cti_ring_info ri;
	volatile uint32_t tail;

	ret = 0;
	if (fx->map) {
		ret = cti_ring_get_info(fx->fd, &ri);
		if (!ret)
			tail = *(uint32_t *)((char *)fx->map + ri.tail_off);
		(void)tail;
		munmap(fx->map, fx->map_len);
		fx->map = NULL;
	}
	return settle_fd(fx, 0) ?: ret;
}

/* dnd() - SET_DND @on on line 0 through the main file, and its REPLY. */
static int dnd(struct fx *fx, uint32_t on)
{
	struct cti_ev_reply reply;
	uint64_t id = ++fx->id;
	int ret = cti_submit_cmd(fx->sim.fd, CTI_CMD_SET_DND, id, 0, 0, 0, on,
				 0, NULL);

	ret = ret ?: cti_wait_reply(&fx->sim.st, id, &reply, NULL, WAIT_MS);
	return ret ?: reply.error;
}

/*
 * read() with records waiting: DND on and off again posts two LINE_STATUS
 * records to every file of the card.  A failed copy is EFAULT.
 */
static int prep_read(struct fx *fx)
{
	int ret = prep_fd(fx);

	ret = ret ?: dnd(fx, 1);
	return ret ?: dnd(fx, 0);
}

static int act_read(struct fx *fx)
{
	static uint64_t buf[512];

	return read(fx->fd, buf, sizeof(buf)) < 0 ? -errno : 0;
}

/* ---- scenarios: every ioctl --------------------------------------------- */

static struct cti_line_snapshot snap_lines[8];
static struct cti_call_snapshot snap_calls[16];
static const uint64_t filter_lines[1] = { 0x5 };

static int act_card_info(struct fx *fx)
{
	struct cti_card_info ci;

	return cti_card_info(fx->sim.fd, &ci);
}

static int act_line_info(struct fx *fx)
{
	struct cti_line_info li = { .size = sizeof(li), .line = 1 };

	return cti_ioctl(fx->sim.fd, CTI_IOC_LINE_INFO, &li);
}

static int act_phone_info(struct fx *fx)
{
	struct cti_phone_info pi = { .size = sizeof(pi), .phone = 1 };

	return cti_ioctl(fx->sim.fd, CTI_IOC_PHONE_INFO, &pi);
}

static int act_ring_info(struct fx *fx)
{
	struct cti_ring_info ri;

	return cti_ring_get_info(fx->sim.fd, &ri);
}

static int act_snapshot(struct fx *fx)
{
	struct cti_snapshot s = {
		.size = sizeof(s),
		.num_lines = ARRAY_SIZE(snap_lines),
		.lines = (uintptr_t)snap_lines,
		.num_calls = ARRAY_SIZE(snap_calls),
		.calls = (uintptr_t)snap_calls,
	};

	return cti_ioctl(fx->sim.fd, CTI_IOC_SNAPSHOT, &s);
}

/* A filter that keeps REPLY (always delivered) and LINE_STATUS, then the
 * default again: usable() depends on neither. */
static int act_set_filter(struct fx *fx)
{
	int ret = cti_set_filter(fx->sim.fd, 1ull << CTI_EV_LINE_STATUS,
				 filter_lines, 4);

	return ret ?: cti_set_filter(fx->sim.fd, CTI_EV_ALL, NULL, 0);
}

static int settle_none(struct fx *fx, int ret)
{
	return 0;
}

/* ---- scenarios: SUBMIT ---------------------------------------------------- */

/* SET_DISPLAY carries data (a user copy); SET_DND does not. */
static int act_submit_display(struct fx *fx)
{
	fx->req_id = ++fx->id;
	return cti_submit_cmd(fx->sim.fd, CTI_CMD_SET_DISPLAY, fx->req_id, 2,
			      0, 0, 1, 3, "hello");
}

static int act_submit_dnd(struct fx *fx)
{
	fx->req_id = ++fx->id;
	return cti_submit_cmd(fx->sim.fd, CTI_CMD_SET_DND, fx->req_id, 1, 0, 0,
			      0, 0, NULL);
}

/*
 * Accepted: exactly its REPLY, with success, or with ENOMEM when the
 * failure hit the request's asynchronous part (uapi: "REPLY records use
 * the same values for asynchronous failures"); refused: no REPLY at all.
 */
static int settle_submit(struct fx *fx, int ret)
{
	struct cti_ev_reply reply;

	if (ret)
		return usable(fx, fx->req_id);
	ret = cti_wait_reply(&fx->sim.st, fx->req_id, &reply, NULL, WAIT_MS);
	if (!ret && fx->hit && reply.error == -ENOMEM)
		return 0;
	return ret ?: reply.error;
}

/* ---- scenarios: configfs and unplug ---------------------------------- */

static int aux_attr_open(struct fx *fx, const char *attr)
{
	char path[CTI_SIM_PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", fx->aux.dir, attr);
	fx->attr = open(path, O_WRONLY | O_CLOEXEC);
	return fx->attr < 0 ? -errno : 0;
}

static int aux_write(struct fx *fx, const char *val)
{
	ssize_t n = write(fx->attr, val, strlen(val));

	return n < 0 ? -errno : 0;
}

/* aux_remove() - close what is open and rmdir the second card. */
static int aux_remove(struct fx *fx)
{
	if (fx->attr >= 0)
		close(fx->attr);
	fx->attr = -1;
	if (fx->fd >= 0)
		close(fx->fd);
	fx->fd = -1;
	return cti_sim_destroy(&fx->aux);
}

static int act_mkdir(struct fx *fx)
{
	return mkdir(fx->aux.dir, 0755) ? -errno : 0;
}

static int settle_mkdir(struct fx *fx, int ret)
{
	struct stat st;

	if (ret)
		return stat(fx->aux.dir, &st) ? 0 : -EEXIST;
	return rmdir(fx->aux.dir) ? -errno : 0;
}

/* The name is set, the directory made once per attempt by the act. */
static int prep_mkdir(struct fx *fx)
{
	static unsigned int n;

	memset(&fx->aux, 0, sizeof(fx->aux));
	fx->aux.fd = -1;
	snprintf(fx->aux.name, sizeof(fx->aux.name), "fault%d_%u", getpid(), n++);
	snprintf(fx->aux.dir, sizeof(fx->aux.dir), "%s/%s", CTI_SIM_ROOT,
		 fx->aux.name);
	snprintf(fx->aux.ctl, sizeof(fx->aux.ctl), "%s/%s", CTI_SIM_CTL_ROOT,
		 fx->aux.name);
	return 0;
}

static int prep_live(struct fx *fx)
{
	int ret = cti_sim_setup(&fx->aux, 2, 1, NULL);

	return ret ?: aux_attr_open(fx, "live");
}

static int act_live(struct fx *fx)
{
	return aux_write(fx, "1");
}

/* Live: a device that answers; refused: none, and live works after. */
static int settle_live(struct fx *fx, int ret)
{
	struct cti_card_info ci;
	char dev[CTI_NAME_MAX];

	if (ret) {
		if (cti_sim_read(&fx->aux, "dev_name", dev, sizeof(dev)) != 0)
			return -EEXIST;
		ret = aux_write(fx, "1");
	}
	if (!ret)
		ret = cti_sim_read(&fx->aux, "dev_name", fx->aux.dev,
				   sizeof(fx->aux.dev)) > 0 ? 0 : -ENODEV;
	if (!ret) {
		fx->fd = cti_sim_open(&fx->aux, O_RDWR);
		ret = fx->fd < 0 ? fx->fd : cti_card_info(fx->fd, &ci);
	}
	return aux_remove(fx) ?: ret;
}

static int prep_unplug(struct fx *fx)
{
	int ret = cti_sim_create(&fx->aux, 2, 1, NULL);

	if (ret)
		return ret;
	fx->fd = fx->aux.fd;
	fx->aux.fd = -1;
	return aux_attr_open(fx, "live");
}

static int act_unplug(struct fx *fx)
{
	return aux_write(fx, "0");
}

/*
 * Unplugged: CARD_REMOVED is the last record, then ENODEV; refused: the
 * card still answers.
 */
static int settle_unplug(struct fx *fx, int ret)
{
	struct cti_card_info ci;
	struct cti_stream st;

	if (ret) {
		ret = cti_card_info(fx->fd, &ci);
	} else {
		cti_stream_init(&st, fx->fd, NULL);
		ret = cti_wait_event(&st, CTI_EV_CARD_REMOVED, CTI_ANY_LINE,
				     NULL, 0, NULL, WAIT_MS);
		if (!ret)
			ret = cti_card_info(fx->fd, &ci) == -ENODEV ? 0 : -EBADE;
	}
	return aux_remove(fx) ?: ret;
}

static int prep_rmdir(struct fx *fx)
{
	int ret = cti_sim_create(&fx->aux, 2, 1, NULL);

	if (!ret) {
		fx->fd = fx->aux.fd;
		fx->aux.fd = -1;
	}
	return ret;
}

static int act_rmdir(struct fx *fx)
{
	return rmdir(fx->aux.dir) ? -errno : 0;
}

/* Removed: the file is dead; refused: the directory is still there. */
static int settle_rmdir(struct fx *fx, int ret)
{
	struct cti_card_info ci;
	struct stat st;

	if (!ret) {
		fx->aux.dir[0] = '\0';
		ret = cti_card_info(fx->fd, &ci) == -ENODEV ? 0 : -EBADE;
	} else {
		ret = stat(fx->aux.dir, &st) ? -errno : 0;
	}
	return aux_remove(fx) ?: ret;
}

/* ---- scenarios: netlink -------------------------------------------------- */

static int prep_nl(struct fx *fx)
{
	fx->nl = nl_open(&fx->family);
	return fx->nl < 0 ? fx->nl : 0;
}

static int act_nl_dump(struct fx *fx)
{
	int ret = nl_send(fx->nl, fx->family, NLM_F_DUMP, CTI_NL_CMD_GET_CARD,
			  0, NULL, 0);

	ret = ret ?: nl_recv(fx->nl, true, CTI_NL_A_CARD_INDEX,
			     card_index(&fx->sim));
	return ret < 0 ? ret : ret == 1 ? 0 : -ENOENT;
}

static int act_nl_get(struct fx *fx)
{
	uint32_t idx = card_index(&fx->sim);
	int ret = nl_send(fx->nl, fx->family, 0, CTI_NL_CMD_GET_CARD,
			  CTI_NL_A_CARD_INDEX, &idx, sizeof(idx));

	ret = ret ?: nl_recv(fx->nl, false, CTI_NL_A_CARD_INDEX, idx);
	return ret < 0 ? ret : ret == 1 ? 0 : -ENOENT;
}

/* Whatever the failure did to the socket, a new one dumps the card. */
static int settle_nl(struct fx *fx, int ret)
{
	close(fx->nl);
	fx->nl = -1;
	if (!ret)
		return 0;
	ret = prep_nl(fx);
	if (!ret)
		ret = act_nl_dump(fx);
	close(fx->nl);
	fx->nl = -1;
	return ret;
}

/* ---- the tests ------------------------------------------------------------ */

FIXTURE(faults) {
	struct fx fx;
};

FIXTURE_SETUP(faults)
{
	memset(&self->fx, 0, sizeof(self->fx));
	self->fx.fd = self->fx.attr = self->fx.nl = -1;
	self->fx.aux.fd = -1;
	/* thread-self is resolved at open: the harness runs each test in a
	 * child of its own, which must arm its own fail_nth. */
	nth_fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, nth_fd);
	ASSERT_EQ(0, cti_sim_create(&self->fx.sim, 4, 4, NULL));
	ASSERT_EQ(0, usable(&self->fx, 0));
}

FIXTURE_TEARDOWN(faults)
{
	if (nth_fd >= 0)
		nth_disarm();
	if (self->fx.map)
		munmap(self->fx.map, self->fx.map_len);
	if (self->fx.nl >= 0)
		close(self->fx.nl);
	aux_remove(&self->fx);
	cti_sim_destroy(&self->fx.sim);
}

#define SCENARIO(test, prep, act, settle, also)			\
	TEST_F_TIMEOUT(faults, test, 1200)				\
	{								\
		static const struct scenario sc = {			\
			#test, prep, act, settle, also			\
		};							\
		sweep(_metadata, &self->fx, &sc);			\
	}

SCENARIO(open, NULL, act_open, settle_fd, 0)
SCENARIO(mmap, prep_fd, act_mmap, settle_mmap, 0)
SCENARIO(read, prep_read, act_read, settle_fd, 0)
SCENARIO(ioctl_card_info, NULL, act_card_info, settle_none, 0)
SCENARIO(ioctl_line_info, NULL, act_line_info, settle_none, 0)
SCENARIO(ioctl_phone_info, NULL, act_phone_info, settle_none, 0)
SCENARIO(ioctl_ring_info, NULL, act_ring_info, settle_none, 0)
SCENARIO(ioctl_snapshot, NULL, act_snapshot, settle_none, 0)
SCENARIO(ioctl_set_filter, NULL, act_set_filter, settle_none, 0)
SCENARIO(submit_with_data, NULL, act_submit_display, settle_submit, 0)
SCENARIO(submit, NULL, act_submit_dnd, settle_submit, 0)
SCENARIO(configfs_create, prep_mkdir, act_mkdir, settle_mkdir, 0)
/*
 * EINVAL: 6.1's platform_device_add() ignores dev_set_name()'s ENOMEM and
 * device_add() then refuses the nameless device with EINVAL (the fault's
 * trace: kvasprintf_const <- dev_set_name <- platform_device_add <-
 * platform_device_register_full <- sim_card_register).  The driver core's,
 * not the module's; the state must still be right.
 */
SCENARIO(configfs_live, prep_live, act_live, settle_live, EINVAL)
SCENARIO(unplug_while_open, prep_unplug, act_unplug, settle_unplug, 0)
SCENARIO(configfs_remove, prep_rmdir, act_rmdir, settle_rmdir, 0)
SCENARIO(netlink_dump, prep_nl, act_nl_dump, settle_nl, ENOBUFS)
SCENARIO(netlink_get, prep_nl, act_nl_get, settle_nl, ENOBUFS)

int main(int argc, char **argv)
{
	const char *why = setup_knobs();

	if (why) {
		printf("1..0 # SKIP %s\n", why);
		return KSFT_SKIP;
	}
	return test_harness_run(argc, argv);
}
