// SPDX-License-Identifier: GPL-2.0
/*
 * abi_fuzz: a seeded random-sequence fuzzer of the cti character device,
 * its cti_sim card in configfs and the netlink family (issue 13, "kernel
 * fuzzing in the guest"; the switch half is callctl_random).
 *
 * One run makes a card and executes steps, each drawn from its own
 * random stream (seed, step number): every ioctl of uapi/linux/cti.h with
 * mutated arguments (sizes smaller, equal, larger, above a page, huge;
 * the argument and the pointers inside it bad or straddling an
 * inaccessible page; random fields), mmap/munmap/mprotect of the ring with
 * random lengths, offsets and protections (and random heads written into
 * it), read() of random sizes, poll(), close and reopen (O_RDONLY too),
 * fork (the child uses the inherited files), configfs attribute writes
 * with random values, mkdir/rmdir of a second card, unplug and re-plug,
 * and netlink dumps and gets. After every step: the call answered with an
 * errno of the documented set for it (DOC: Errors in the uapi header,
 * plus what mmap, read and configfs document), records read are well
 * formed, a dead file says ENODEV and EPOLLHUP, and the live card answers
 * CARD_INFO; every 8 steps and at the end a new file of the card gets the
 * REPLY of a request. Kernel memory errors show in the guest's log
 * (slub_debug, KASAN on the debug kernel), which fails the run.
 *
 * Because step i depends only on (seed, i) and the state, a failing
 * sequence can be replayed with steps left out: on a failure the program
 * shrinks it (delta debugging over the step list) and prints the seed and
 * the shortest sequence found, one step per line. Each seed is also
 * written to the kernel log, so that an oops that ends the guest names it.
 *
 * Environment (in the guest: put NAME=value on the kernel command line,
 * e.g. CTI_VM_APPEND="CTI_FUZZ_SECONDS=600 CTI_TEST_TIMEOUT=900"):
 *   CTI_FUZZ_SECONDS  how long to fuzz (default 5)
 *   CTI_FUZZ_STEPS    steps per seed (default 200)
 *   CTI_SEED          the first seed (default 1); seeds go up from it
 *   CTI_FUZZ_REPLAY   "SEED:I,J,K..." runs exactly these steps, verbosely
 */
#define _GNU_SOURCE
#include "cti_test.h"
#include "kselftest_harness.h"
#include "reply_track.h"

#include <signal.h>
#include <sys/param.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#define PAGE		4096
#define NFD		4	/* slot 0 is the main file */
#define NMAP		6
#define NAUX		2
#define MAX_STEPS	100000
#define WAIT_MS		3000
typedef unsigned __int128 errset;	/* bit e: errno e is a right answer */
#define EBIT(e)		((errset)1 << (e))
#define BIT_ULL(n)	(1ULL << (n))

/* Errnos every cti ioctl may give (DOC: Errors). */
#define IOC_COMMON	(EBIT(EFAULT) | EBIT(EINVAL) | EBIT(E2BIG) | EBIT(ENODEV))

/**
 * struct fz - the fuzzer's state; rebuilt for every replay
 * @sim: the card; @sim.fd is slot 0 of @fd
 * @live: the card is registered
 * @gen: bumped at every unplug: a file of an older generation is dead
 * @fd: open files of the card, -1 for none
 * @fd_gen: the generation each was opened in
 * @fd_rw: opened O_RDWR (else O_RDONLY)
 * @trk: the accepted requests of each file and their REPLYs
 * @map: mappings of the ring (NULL: free slot), @map_len their lengths
 * @aux: names of second cards made by mkdir ("" free)
 * @nl: generic netlink socket, @family the cti family
 * @rng: the current step's random state
 * @id: the last request id
 * @arg: three pages, the last PROT_NONE: arguments that straddle it fault
 * @what: what the current step does, for the messages
 * @err: why the step failed
 * @verbose: print every step
 */
struct fz {
	struct cti_sim sim;
	bool live;
	unsigned int gen;
	int fd[NFD];
	unsigned int fd_gen[NFD];
	bool fd_rw[NFD];
	struct reply_track trk[NFD];
	void *map[NMAP];
	size_t map_len[NMAP];
	char aux[NAUX][64];
	int nl, family;
	uint64_t rng, id;
	uint8_t *arg;
	char what[256];
	char err[512];
	bool verbose;
};

/* Counters of the whole run, for the summary line. */
static uint64_t n_steps, n_replays, n_settles, n_blind, settle_ms, n_accepted;

/*
 * A planted failure, for the test of the shrinker: step @planted[1] fails
 * when step @planted[0] ran before it in the same replay.
 */
static int planted[2] = { -1, -1 };
static bool planted_seen;
static struct cti_stream health_st;

/* ---- randomness -------------------------------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rnd(struct fz *z, uint32_t n)
{
	return n ? splitmix(&z->rng) % n : 0;
}

static bool coin(struct fz *z, uint32_t one_in)
{
	return rnd(z, one_in) == 0;
}

/* ---- failures ---------------------------------------------------------- */

static int __attribute__((format(printf, 2, 3)))
fail(struct fz *z, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(z->err, sizeof(z->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* expect() - @ret (0, or -errno) must be 0 or one of the @allowed bits. */
static int expect(struct fz *z, int ret, errset allowed)
{
	if (ret >= 0 || (-ret < 128 && (allowed & EBIT(-ret))))
		return 0;
	return fail(z, "%s: unexpected errno %d (%s)", z->what, -ret,
		    strerror(-ret));
}

static void what(struct fz *z, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void what(struct fz *z, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(z->what, sizeof(z->what), fmt, ap);
	va_end(ap);
}

/* ---- files ------------------------------------------------------------- */

static bool fd_dead(const struct fz *z, int slot)
{
	return !z->live || z->fd_gen[slot] != z->gen;
}

/* fd_open() - open the card into @slot with random flags; 0 or -errno. */
static int fd_open(struct fz *z, int slot, bool rw)
{
	int fd = cti_sim_open(&z->sim, (rw ? O_RDWR : O_RDONLY) | O_NONBLOCK);

	if (fd < 0)
		return fd;
	z->fd[slot] = fd;
	z->fd_gen[slot] = z->gen;
	z->fd_rw[slot] = rw;
	rt_reset(&z->trk[slot]);
	if (!slot)
		z->sim.fd = fd;
	return 0;
}

static void fd_close(struct fz *z, int slot)
{
	if (z->fd[slot] >= 0)
		close(z->fd[slot]);
	z->fd[slot] = -1;
	rt_reset(&z->trk[slot]);
	if (!slot)
		z->sim.fd = -1;
}

/*
 * pick_fd() - a file to use: mostly one of the card's, sometimes a closed
 * number, -1 or /dev/null. *@kind: 0 a card file (*@slot set), 1 a bad
 * number, 2 not a cti file.
 */
static int pick_fd(struct fz *z, int *slot, int *kind, int devnull)
{
	int s = rnd(z, NFD);

	*slot = -1;
	*kind = 0;
	switch (rnd(z, 16)) {
	case 0:
		*kind = 1;
		return coin(z, 2) ? -1 : 1000 + rnd(z, 1000);
	case 1:
		*kind = 2;
		return devnull;
	}
	if (z->fd[s] < 0)
		s = 0;
	if (z->fd[s] < 0) {
		*kind = 1;
		return 999;
	}
	*slot = s;
	return z->fd[s];
}

/* ---- the card's health -------------------------------------------------- */

/* card_info_ok() - the main file of a live card answers CARD_INFO. */
static int card_info_ok(struct fz *z)
{
	struct cti_card_info ci;
	int ret;

	if (!z->live || z->fd[0] < 0 || fd_dead(z, 0))
		return 0;
	ret = cti_card_info(z->fd[0], &ci);
	if (ret)
		return fail(z, "after %s: CARD_INFO of the live card: %d",
			    z->what, ret);
	if (ci.size != sizeof(ci) || !ci.num_lines)
		return fail(z, "after %s: CARD_INFO size %u lines %u", z->what,
			    ci.size, ci.num_lines);
	return 0;
}

/*
 * request_ok() - a new file of the live card gets the REPLY of SET_DND
 * (or, on a card without call control, EOPNOTSUPP from the submit).
 */
static int request_ok(struct fz *z)
{
	struct cti_ev_reply rep;
	struct cti_card_info ci;
	uint64_t id = ++z->id;
	int fd, ret;

	if (!z->live)
		return 0;
	fd = cti_sim_open(&z->sim, O_RDWR | O_NONBLOCK);
	if (fd < 0)
		return fail(z, "after %s: open of the live card: %d", z->what,
			    fd);
	ret = cti_card_info(fd, &ci);
	if (!ret)
		ret = cti_submit_cmd(fd, CTI_CMD_SET_DND, id, 0, 0, 0, 0, 0,
				     NULL);
	if (ret == -EOPNOTSUPP && !(ci.caps & CTI_CARD_CAP_CALL_CONTROL))
		ret = 0, id = 0;
	cti_stream_init(&health_st, fd, NULL);
	if (!ret && id)
		ret = cti_wait_reply(&health_st, id, &rep, NULL, WAIT_MS);
	close(fd);
	if (ret)
		return fail(z, "after %s: the live card's request: %d",
			    z->what, ret);
	return 0;
}

/* ---- ioctls -------------------------------------------------------------- */

static const struct {
	unsigned long nr;
	const char *name;
	uint32_t size;
	errset allowed;	/* besides IOC_COMMON */
} iocs[] = {
	{ CTI_IOC_CARD_INFO, "CARD_INFO", sizeof(struct cti_card_info), 0 },
	{ CTI_IOC_LINE_INFO, "LINE_INFO", sizeof(struct cti_line_info),
	  EBIT(ENOENT) },
	{ CTI_IOC_PHONE_INFO, "PHONE_INFO", sizeof(struct cti_phone_info),
	  EBIT(ENOENT) },
	{ CTI_IOC_SUBMIT, "SUBMIT", sizeof(struct cti_request),
	  EBIT(ENOENT) | EBIT(EOPNOTSUPP) | EBIT(EAGAIN) | EBIT(EBADF) },
	{ CTI_IOC_RING_INFO, "RING_INFO", sizeof(struct cti_ring_info), 0 },
	{ CTI_IOC_SNAPSHOT, "SNAPSHOT", sizeof(struct cti_snapshot),
	  EBIT(ENOSPC) },
	{ CTI_IOC_SET_FILTER, "SET_FILTER", sizeof(struct cti_event_filter),
	  0 },
};

/* A user pointer: good (into @z->arg), NULL, wild, kernel, or straddling
 * the inaccessible page. */
static uint64_t mut_ptr(struct fz *z, uint32_t len, const char **how)
{
	switch (rnd(z, 8)) {
	case 0:
		*how = "null";
		return 0;
	case 1:
		*how = "wild";
		return 0x1000 + rnd(z, 0x10000);
	case 2:
		*how = "kernel";
		return 0xffffffff81000000ull;
	case 3:
		*how = "edge";
		return (uintptr_t)z->arg + 2 * PAGE - 1 - rnd(z, len + 1);
	}
	*how = "ok";
	return (uintptr_t)z->arg + PAGE + rnd(z, PAGE / 2) * 8 % PAGE;
}

/* A size: 0, below, equal, a little above, a page, above a page, huge. */
static uint32_t mut_size(struct fz *z, uint32_t size)
{
	static const uint32_t odd[] = { 0, 4, 8, 4095, 4096, 4097, 8192,
					0x7fffffff, 0xffffffff };

	switch (rnd(z, 6)) {
	case 0:
		return size - 1 - rnd(z, size - 1);
	case 1:
		return size + 1 + rnd(z, 64);
	case 2:
		return odd[rnd(z, ARRAY_SIZE(odd))];
	}
	return size;
}

/*
 * plausible_request() - a request the kernel accepts as often as not: a
 * line of the card, a readable number where the command takes one and no
 * data where it does not, so that REPLYs flow (the switch answers the
 * call-control errors in them); the fields the fuzzer drew stay otherwise.
 */
static void plausible_request(struct fz *z, struct cti_request *r)
{
	static const uint64_t takes_data = BIT_ULL(CTI_CMD_MAKE_CALL) |
		BIT_ULL(CTI_CMD_BLIND_TRANSFER) | BIT_ULL(CTI_CMD_SETUP_TRANSFER) |
		BIT_ULL(CTI_CMD_SETUP_CONFERENCE) | BIT_ULL(CTI_CMD_REDIRECT) |
		BIT_ULL(CTI_CMD_PARK) | BIT_ULL(CTI_CMD_UNPARK) |
		BIT_ULL(CTI_CMD_PICKUP) | BIT_ULL(CTI_CMD_SET_FORWARD) |
		BIT_ULL(CTI_CMD_GENERATE_DIGITS) | BIT_ULL(CTI_CMD_SET_DISPLAY) |
		BIT_ULL(CTI_CMD_DEV_SPECIFIC);
	static const char *const nums[] = { "101", "102", "103", "1*#", "" };
	char *d = (char *)z->arg + 64;	/* the first page: no argument there */

	r->cmd = rnd(z, CTI_CMD_MAX);
	r->line = rnd(z, 4);
	r->arg = rnd(z, 2);
	snprintf(d, 8, "%s", nums[rnd(z, ARRAY_SIZE(nums))]);
	r->data = (uintptr_t)d;
	r->data_len = (takes_data & BIT_ULL(r->cmd)) ? strlen(d) : 0;
}

/* fill_fields() - plausible values, so that the calls reach past checks. */
static void fill_fields(struct fz *z, int i, uint8_t *p, bool plain)
{
	const char *how;

	switch (iocs[i].nr) {
	case CTI_IOC_LINE_INFO:
	case CTI_IOC_PHONE_INFO:
		((uint32_t *)p)[1] = rnd(z, 6) ? rnd(z, 6) : splitmix(&z->rng);
		break;
	case CTI_IOC_SUBMIT: {
		struct cti_request *r = (void *)p;

		r->cmd = rnd(z, CTI_CMD_MAX + 2);
		r->id = ++z->id;
		r->line = rnd(z, 5);
		r->call = rnd(z, 3) ? rnd(z, 4) : CTI_CALL_NONE;
		r->call2 = rnd(z, 3) ? rnd(z, 4) : CTI_CALL_NONE;
		r->arg = rnd(z, 5);
		r->arg2 = rnd(z, 3) ? rnd(z, 200) : splitmix(&z->rng);
		r->data_len = rnd(z, 2) ? rnd(z, 8) : rnd(z, 2 * PAGE);
		r->data = mut_ptr(z, r->data_len, &how);
		if (plain)
			plausible_request(z, r);
		break;
	}
	case CTI_IOC_SNAPSHOT: {
		struct cti_snapshot *s = (void *)p;

		s->num_lines = rnd(z, 3) ? rnd(z, 8) : splitmix(&z->rng);
		s->num_calls = rnd(z, 3) ? rnd(z, 8) : splitmix(&z->rng);
		s->lines = mut_ptr(z, s->num_lines * 64, &how);
		s->calls = mut_ptr(z, s->num_calls * 64, &how);
		break;
	}
	case CTI_IOC_SET_FILTER: {
		struct cti_event_filter *f = (void *)p;

		f->flags = rnd(z, 4) ? rnd(z, 2) : splitmix(&z->rng);
		f->types = splitmix(&z->rng) >> rnd(z, 64);
		f->num_lines = rnd(z, 3) ? rnd(z, 130) : splitmix(&z->rng);
		f->lines = mut_ptr(z, (f->num_lines + 7) / 8, &how);
		break;
	}
	}
}

/* check_ioctl() - the answer of ioctl @i on a file of @kind in @slot. */
static int check_ioctl(struct fz *z, int i, int kind, int slot, int ret,
		       bool bad_nr)
{
	if (kind == 1)
		return expect(z, ret, EBIT(EBADF));
	if (kind == 2 || bad_nr)
		return expect(z, ret, EBIT(ENOTTY) | EBIT(EINVAL) |
			      (kind ? 0 : EBIT(ENODEV)));
	if (!ret && fd_dead(z, slot))
		return fail(z, "%s: success on a file of a removed card",
			    z->what);
	if (ret == -EBADF && (z->fd_rw[slot] || iocs[i].nr != CTI_IOC_SUBMIT))
		return fail(z, "%s: EBADF for a file opened O_RDWR", z->what);
	if (ret == -ENODEV && !fd_dead(z, slot))
		return fail(z, "%s: ENODEV on a live card's file", z->what);
	return expect(z, ret, IOC_COMMON | iocs[i].allowed);
}

/*
 * note_submit() - an accepted SUBMIT: its id is what the kernel read at
 * @argp (readable, since it was accepted), zero past a short @size.
 */
static void note_submit(struct fz *z, int slot, uint64_t argp, uint32_t size)
{
	struct cti_request r;

	memset(&r, 0, sizeof(r));
	memcpy(&r, (const void *)(uintptr_t)argp, MIN(size, sizeof(r)));
	rt_sent(&z->trk[slot], r.id);
	n_accepted++;
}

static int step_ioctl(struct fz *z, int devnull)
{
	int i = rnd(z, ARRAY_SIZE(iocs)), slot, kind, ret;
	int fd = pick_fd(z, &slot, &kind, devnull);
	/* half the SUBMITs well formed, so that REPLYs flow to be checked */
	bool plain = iocs[i].nr == CTI_IOC_SUBMIT && coin(z, 2);
	uint32_t size = plain ? iocs[i].size : mut_size(z, iocs[i].size);
	unsigned long nr = iocs[i].nr;
	bool bad_nr = !plain && coin(z, 12);
	uint8_t *p = z->arg + PAGE;
	const char *how = "ok";
	uint64_t argp;

	if (bad_nr)
		nr = coin(z, 2) ? _IOC(rnd(z, 4), CTI_IOCTL_MAGIC, rnd(z, 256),
				       rnd(z, 512)) : _IO(CTI_IOCTL_MAGIC,
							   7 + rnd(z, 249));
	memset(z->arg, 0, 2 * PAGE);
	if (!plain && coin(z, 4))
		for (int b = 0; b < 2 * PAGE; b += 8)
			*(uint64_t *)(z->arg + b) = splitmix(&z->rng) &
				(coin(z, 2) ? ~0ull : 0x0101010101010101ull);
	else
		fill_fields(z, i, p, plain);
	*(uint32_t *)p = size;
	argp = (uintptr_t)p;
	if (!plain && coin(z, 6)) {
		argp = mut_ptr(z, size < PAGE ? size : PAGE, &how);
		/* The size as far as it fits before the inaccessible page. */
		if (!strcmp(how, "edge") || !strcmp(how, "ok"))
			memcpy((void *)(uintptr_t)argp, p,
			       MIN(4, (uintptr_t)z->arg + 2 * PAGE - argp));
	}
	what(z, "ioctl %s%s fd=%s%d size=%u arg=%s", iocs[i].name,
	     bad_nr ? "(bad nr)" : plain ? "(plain)" : "",
	     kind == 1 ? "bad" : kind == 2 ? "null" : "slot", slot, size, how);
	ret = ioctl(fd, nr, (void *)(uintptr_t)argp) ? -errno : 0;
	if (!ret && kind == 0 && !bad_nr && nr == CTI_IOC_SUBMIT)
		note_submit(z, slot, argp, size);
	return check_ioctl(z, i, kind, slot, ret, bad_nr);
}

/* ---- the ring: mmap, munmap, mprotect, head ------------------------------ */

static const int prots[] = { PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE,
			     PROT_READ | PROT_EXEC, PROT_NONE,
			     PROT_READ | PROT_WRITE | PROT_EXEC };

/* poke() - read the tail, and maybe write a random head, of a mapping. */
static void poke(struct fz *z, uint8_t *m, size_t len, int prot, int slot)
{
	struct cti_ring_info ri;

	if (slot < 0 || cti_ring_get_info(z->fd[slot], &ri) ||
	    len < ri.data_off)
		return;
	if (prot & PROT_READ)
		(void)*(volatile uint32_t *)(m + ri.tail_off);
	if ((prot & PROT_WRITE) && coin(z, 2)) {
		/* records skipped by the head are out of the tracker's sight */
		z->trk[slot].blind = true;
		*(volatile uint32_t *)(m + ri.head_off) =
			coin(z, 2) ? (uint32_t)splitmix(&z->rng) :
			__atomic_load_n((uint32_t *)(m + ri.tail_off),
					__ATOMIC_ACQUIRE);
	}
}

static int step_mmap(struct fz *z, int devnull)
{
	static const size_t lens[] = { 0, 1, PAGE, 2 * PAGE, 17 * PAGE,
				       65 * PAGE, 1ull << 30 };
	int slot, kind, m = rnd(z, NMAP), prot = prots[rnd(z, 6)];
	int fd = pick_fd(z, &slot, &kind, devnull);
	int flags = coin(z, 5) ? MAP_PRIVATE : MAP_SHARED;
	size_t len = lens[rnd(z, ARRAY_SIZE(lens))];
	off_t off = coin(z, 4) ? (off_t)PAGE * rnd(z, 64) : 0;
	errset allowed = EBIT(EINVAL) | EBIT(EPERM) | EBIT(EACCES) |
			   EBIT(ENOMEM);
	struct cti_ring_info ri;
	void *p;

	what(z, "mmap fd=%s%d len=%zu off=%lld prot=%d %s",
	     kind == 1 ? "bad" : kind == 2 ? "null" : "slot", slot, len,
	     (long long)off, prot, flags == MAP_SHARED ? "shared" : "private");
	if (z->map[m])
		munmap(z->map[m], z->map_len[m]);
	z->map[m] = NULL;
	p = mmap(NULL, len, prot, flags, fd, off);
	if (p == MAP_FAILED) {
		if (kind == 1)
			return expect(z, -errno, EBIT(EBADF));
		if (kind == 2)
			return expect(z, -errno, allowed | EBIT(ENODEV));
		if (errno == ENODEV && !fd_dead(z, slot))
			return fail(z, "%s: ENODEV on a live card", z->what);
		return expect(z, -errno, allowed | EBIT(ENODEV));
	}
	if (kind == 0 && (prot & PROT_EXEC))
		return fail(z, "%s: an executable mapping of the ring", z->what);
	if (kind == 0 && (off || flags != MAP_SHARED))
		return fail(z, "%s: mapped at a bad offset or private", z->what);
	if (kind == 0 && fd_dead(z, slot))
		return fail(z, "%s: mapped a removed card's ring", z->what);
	if (kind == 0 && !cti_ring_get_info(fd, &ri) && len > ri.mmap_size)
		return fail(z, "%s: mapped past mmap_size %llu", z->what,
			    (unsigned long long)ri.mmap_size);
	z->map[m] = p;
	z->map_len[m] = len;
	if (kind == 0)
		poke(z, p, len, prot, slot);
	return 0;
}

static int step_unmap(struct fz *z)
{
	int m = rnd(z, NMAP), prot = prots[rnd(z, 6)], ret;

	if (!z->map[m]) {
		what(z, "munmap (nothing mapped)");
		return 0;
	}
	if (coin(z, 2)) {
		what(z, "munmap map%d len=%zu", m, z->map_len[m]);
		munmap(z->map[m], z->map_len[m]);
		z->map[m] = NULL;
		return 0;
	}
	what(z, "mprotect map%d prot=%d", m, prot);
	ret = mprotect(z->map[m], z->map_len[m], prot) ? -errno : 0;
	if (!ret && (prot & PROT_EXEC))
		return fail(z, "%s: the ring made executable", z->what);
	return expect(z, ret, EBIT(EACCES) | EBIT(ENOMEM));
}

/* ---- read and poll -------------------------------------------------------- */

/*
 * records_ok() - @n bytes read from the file in @slot are whole, aligned,
 * known records; its REPLYs answer accepted requests, once each.
 */
static int records_ok(struct fz *z, int slot, const uint8_t *b, size_t n)
{
	char why[200];
	size_t off = 0;

	while (off < n) {
		const struct cti_event *ev = (const void *)(b + off);

		if (n - off < sizeof(*ev) || ev->size < sizeof(*ev) ||
		    ev->size % 8 || ev->size > n - off ||
		    ev->type >= CTI_EV_MAX || ev->type == CTI_EV_PAD)
			return fail(z, "%s: bad record at %zu (type %u size %u)",
				    z->what, off, ev->type, ev->size);
		if (rt_record(&z->trk[slot], ev, why, sizeof(why)))
			return fail(z, "%s: slot %d: %s", z->what, slot, why);
		off += ev->size;
	}
	return 0;
}

static int step_read(struct fz *z, int devnull)
{
	static const size_t sizes[] = { 0, 1, 7, 8, 24, 64, 4096, 8192 };
	int slot, kind, fd = pick_fd(z, &slot, &kind, devnull);
	size_t len = sizes[rnd(z, ARRAY_SIZE(sizes))];
	uint8_t *buf = z->arg + 2 * PAGE - len;
	const char *how = "ok";
	ssize_t n;

	if (coin(z, 6))
		buf = (uint8_t *)(uintptr_t)mut_ptr(z, len, &how);
	else if (len > 2 * PAGE || coin(z, 2))
		buf = z->arg;
	what(z, "read fd=%s%d len=%zu buf=%s",
	     kind == 1 ? "bad" : kind == 2 ? "null" : "slot", slot, len, how);
	if (kind == 2)
		return 0;	/* /dev/null has nothing to say about cti */
	n = read(fd, buf, len);
	/* records that went to a bad buffer cannot be matched */
	if (kind == 0 && ((n > 0 && strcmp(how, "ok")) ||
			  (n < 0 && errno == EFAULT)))
		z->trk[slot].blind = true;
	if (n < 0) {
		if (kind == 1)
			return expect(z, -errno, EBIT(EBADF));
		return expect(z, -errno, EBIT(EAGAIN) | EBIT(EINVAL) |
			      EBIT(EFAULT) | EBIT(ENODEV));
	}
	if (kind == 1)
		return fail(z, "%s: read a bad fd", z->what);
	if (n > 0 && !strcmp(how, "ok"))
		return records_ok(z, slot, buf, n);
	return 0;
}

/* settle_file() - settle()'s work; 0, or -1 with @z->err set. */
static int settle_file(struct fz *z, int slot)
{
	static uint8_t buf[65536] __attribute__((aligned(8)));
	struct reply_track *t = &z->trk[slot];
	int64_t end = cti_now_ms() + WAIT_MS;
	uint64_t first = 0, missing;
	ssize_t n;

	while (z->fd[slot] >= 0 && !t->blind) {
		n = read(z->fd[slot], buf, sizeof(buf));
		if (n > 0) {
			if (records_ok(z, slot, buf, n))
				return -1;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != ENODEV)
			return fail(z, "after %s: slot %d: read: %s", z->what,
				    slot, strerror(errno));
		missing = rt_missing(t, &first);
		if (missing <= t->lost)
			return 0;
		if (n == 0 || errno == ENODEV || cti_now_ms() >= end)
			return fail(z, "after %s: slot %d%s: no REPLY for request id %#llx (%llu accepted requests unanswered, %llu records lost to overflow)",
				    z->what, slot, fd_dead(z, slot) ?
				    " (removed card)" : "",
				    (unsigned long long)first,
				    (unsigned long long)missing,
				    (unsigned long long)t->lost);
		cti_poll(z->fd[slot], POLLIN, 50);
	}
	return 0;
}

/*
 * settle() - read the file in @slot to its end and wait (up to WAIT_MS)
 * until every request it had accepted has its REPLY, but for as many as
 * its OVERFLOW records say were lost. A removed card's file has all of
 * them already (the -ENODEV REPLYs come before CARD_REMOVED). A blind
 * tracker (records consumed out of its sight) checks nothing.
 */
static int settle(struct fz *z, int slot)
{
	int64_t t0 = cti_now_ms();
	int ret;

	if (z->fd[slot] < 0)
		return 0;
	n_settles++;
	n_blind += z->trk[slot].blind;
	ret = settle_file(z, slot);
	settle_ms += cti_now_ms() - t0;
	return ret;
}

static int step_poll(struct fz *z)
{
	struct pollfd p[NFD];
	short ok = POLLIN | POLLRDNORM | POLLHUP | POLLERR | POLLOUT |
		   POLLWRNORM;

	what(z, "poll every file");
	for (int s = 0; s < NFD; s++)
		p[s] = (struct pollfd){ .fd = z->fd[s], .events = POLLIN };
	if (poll(p, NFD, 0) < 0)
		return fail(z, "poll: %s", strerror(errno));
	for (int s = 0; s < NFD; s++) {
		if (z->fd[s] < 0)
			continue;
		if (p[s].revents & ~ok)
			return fail(z, "poll slot %d: revents %#x", s,
				    p[s].revents);
		if (fd_dead(z, s) && (p[s].revents & (POLLHUP | POLLERR)) !=
				     (POLLHUP | POLLERR))
			return fail(z, "poll slot %d of a removed card: %#x", s,
				    p[s].revents);
		if (!fd_dead(z, s) && (p[s].revents & (POLLHUP | POLLERR)))
			return fail(z, "poll slot %d of a live card: %#x", s,
				    p[s].revents);
	}
	return 0;
}

/* ---- files: close, reopen, fork ------------------------------------------ */

static int step_reopen(struct fz *z)
{
	int slot = rnd(z, NFD), ret;
	bool rw = slot == 0 || coin(z, 2);

	what(z, "close slot%d and reopen %s", slot, rw ? "rw" : "ro");
	if (settle(z, slot))
		return -1;
	fd_close(z, slot);
	if (!z->live)
		return 0;
	ret = fd_open(z, slot, rw);
	if (ret)
		return fail(z, "%s: open of the live card: %d", z->what, ret);
	return 0;
}

/* The child: a few calls on an inherited file; exits 1 on a bad errno. */
static void child_uses(struct fz *z, int slot)
{
	struct cti_card_info ci;
	uint8_t buf[512];
	int fd = z->fd[slot], ret;
	bool dead = fd_dead(z, slot);

	ret = cti_card_info(fd, &ci);
	if (ret != (dead ? -ENODEV : 0))
		_exit(1);
	ret = cti_submit_cmd(fd, CTI_CMD_SET_DND, ++z->id, 0, 0, 0, 1, 0, NULL);
	if (ret && ret != -ENODEV && ret != -EBADF && ret != -EOPNOTSUPP &&
	    ret != -EAGAIN)
		_exit(2);
	if (read(fd, buf, sizeof(buf)) < 0 && errno != EAGAIN &&
	    errno != ENODEV && errno != EINVAL)
		_exit(3);
	if (coin(z, 2))
		close(fd);
	_exit(0);
}

static int step_fork(struct fz *z)
{
	int slot = rnd(z, NFD), st;
	pid_t pid;

	if (z->fd[slot] < 0)
		slot = 0;
	what(z, "fork, child uses slot%d", slot);
	if (z->fd[slot] < 0)
		return 0;
	/* the child reads and submits on the file too */
	z->trk[slot].blind = true;
	pid = fork();
	if (pid < 0)
		return fail(z, "fork: %s", strerror(errno));
	if (!pid)
		child_uses(z, slot);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return fail(z, "%s: child ended with status %#x", z->what, st);
	return 0;
}

/* ---- configfs: attributes, plug, second cards ----------------------------- */

/*
 * kbool() - what kstrtobool() makes of @v, as the live attribute parses
 * it: 1, 0, or -EINVAL. Only the first characters count ("1x" is true).
 * e/t and d/f (enabled, true; disabled, false) are newer than 6.1: there
 * the write fails with EINVAL, which leaves the state as it was too.
 */
static int kbool(const char *v)
{
	switch (v[0]) {
	case 'y': case 'Y': case '1': case 'e': case 'E': case 't': case 'T':
		return 1;
	case 'n': case 'N': case '0': case 'd': case 'D': case 'f': case 'F':
		return 0;
	case 'o': case 'O':
		if (v[1] == 'n' || v[1] == 'N')
			return 1;
		if (v[1] == 'f' || v[1] == 'F')
			return 0;
	}
	return -EINVAL;
}

/*
 * set_live() - write @v to the card's live attribute and follow: a card
 * gone down makes the open files dead, one come up is opened again.
 * Return: the write's 0 or -errno; 1 with @z->err set on a failure.
 */
static int set_live(struct fz *z, const char *v)
{
	int ret = cti_sim_write(&z->sim, "live", "%s", v), on = kbool(v);

	if (!ret && on < 0) {
		fail(z, "%s: live took it", z->what);
		return 1;
	}
	if (ret || on < 0)
		return ret;
	if (!on && z->live) {
		z->live = false;
		z->gen++;
		z->sim.dev[0] = '\0';
	} else if (on && !z->live) {
		z->live = true;
		ret = cti_sim_read(&z->sim, "dev_name", z->sim.dev,
				   sizeof(z->sim.dev));
		if (ret <= 0) {
			fail(z, "%s: no dev_name when live: %d", z->what, ret);
			return 1;
		}
		if (settle(z, 0))
			return 1;
		fd_close(z, 0);
		ret = fd_open(z, 0, true);
		if (ret) {
			fail(z, "%s: open after live: %d", z->what, ret);
			return 1;
		}
	}
	return 0;
}

static int step_plug(struct fz *z)
{
	int ret;

	what(z, "%s", z->live ? "unplug (live 0)" : "plug (live 1)");
	ret = set_live(z, z->live ? "0" : "1");
	if (ret > 0)
		return -1;
	/* A card whose attributes the fuzzer changed may refuse to go live. */
	return expect(z, ret, z->live ? 0 : EBIT(EINVAL));
}

static void rand_value(struct fz *z, char *v, size_t size)
{
	static const char *const words[] = {
		"0", "1", "2", "4", "256", "257", "-1", "4294967296", "",
		"\n", "call", "link", "both", "junk", "100,101,102,103",
		"1,,2", "+1*#", "clear", "101 answer 0", "* busy 10",
		"102 digits 5 12#", "999 hangup 600001", "kst", " 1", "0x10",
	};
	size_t n;

	if (!coin(z, 4)) {
		snprintf(v, size, "%s", words[rnd(z, ARRAY_SIZE(words))]);
		return;
	}
	n = rnd(z, size - 1) + 1;
	for (size_t i = 0; i < n - 1; i++)
		v[i] = coin(z, 4) ? (char)rnd(z, 256) : "0123456789 ,*#ax\n"
			[rnd(z, 17)];
	v[n - 1] = '\0';
}

/* printable() - @v for a message: escaped, cut to @size - 4 bytes. */
static const char *printable(const char *v, char *out, size_t size)
{
	size_t o = 0;

	for (; *v && o + 8 < size; v++)
		o += snprintf(out + o, size - o,
			      *v >= 0x20 && *v < 0x7f && *v != '\\' ? "%c" :
			      "\\x%02x", (unsigned char)*v);
	snprintf(out + o, size - o, "%s", *v ? "..." : "");
	return out;
}

/* configfs itself answers an empty write with EFAULT, before cti_sim. */
static errset empty_write(const char *v)
{
	return v[0] ? 0 : EBIT(EFAULT);
}

static int step_attr(struct fz *z)
{
	static const char *const attrs[] = { "num_lines", "num_phones",
		"numbers", "mode", "link_peer", "far_end", "live" };
	const char *a = attrs[rnd(z, ARRAY_SIZE(attrs))];
	char v[300], shown[64];
	int ret;

	rand_value(z, v, coin(z, 8) ? sizeof(v) : 24);
	what(z, "configfs %s <- \"%s\"", a, printable(v, shown, sizeof(shown)));
	if (!strcmp(a, "live")) {
		ret = set_live(z, v);
		return ret > 0 ? -1 : expect(z, ret, EBIT(EINVAL) |
					       empty_write(v));
	}
	ret = cti_sim_write(&z->sim, a, "%s", v);
	return expect(z, ret, EBIT(EINVAL) | EBIT(ERANGE) | EBIT(EBUSY) |
		      EBIT(ENOSPC) | EBIT(ENOENT) | EBIT(ENAMETOOLONG) |
		      empty_write(v));
}

static int step_aux(struct fz *z)
{
	int a = rnd(z, NAUX), ret;
	char path[CTI_SIM_PATH_MAX + 64], name[64], shown[128];
	size_t n;

	if (z->aux[a][0]) {
		snprintf(path, sizeof(path), "%s/%s", CTI_SIM_ROOT, z->aux[a]);
		if (coin(z, 2)) {
			what(z, "live 1 of second card %d", a);
			snprintf(path + strlen(path), 8, "/live");
			ret = cti_write_file(path, "1");
			return expect(z, ret, EBIT(EINVAL) | EBIT(ENOSPC));
		}
		what(z, "rmdir second card %d", a);
		z->aux[a][0] = '\0';
		ret = rmdir(path) ? -errno : 0;
		return expect(z, ret, 0);
	}
	n = snprintf(name, sizeof(name), "fz%d_%d", (int)getpid(), a);
	if (coin(z, 3))	/* odd characters the name check must refuse */
		snprintf(name + n, sizeof(name) - n, "%c",
			 "\n\t\x01\x7f~ "[rnd(z, 6)]);
	what(z, "mkdir second card \"%s\"",
	     printable(name, shown, sizeof(shown)));
	snprintf(path, sizeof(path), "%s/%s", CTI_SIM_ROOT, name);
	ret = mkdir(path, 0755) ? -errno : 0;
	if (!ret)
		snprintf(z->aux[a], sizeof(z->aux[a]), "%s", name);
	return expect(z, ret, EBIT(EINVAL));
}

/* ---- netlink ---------------------------------------------------------------- */

/*
 * nl_ask() - send one cti request (@attr_len bytes of @val as attribute
 * @attr, or none) and read to its end
 * Return: 1 if an answer named card @want, 0 if none did, or the -errno
 * of the NLMSG_ERROR or DONE.
 */
static int nl_ask(struct fz *z, uint8_t cmd, bool dump, uint16_t attr,
		  const void *val, uint16_t attr_len, uint32_t want)
{
	static char buf[32768] __attribute__((aligned(4)));
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		struct nlattr a;
		char v[16];
	} req = { 0 };
	struct nlmsghdr *n;
	int found = 0;
	ssize_t len;

	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	req.n.nlmsg_type = z->family;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	req.g.cmd = cmd;
	req.g.version = CTI_GENL_VERSION;
	if (val) {
		req.a.nla_type = attr;
		req.a.nla_len = NLA_HDRLEN + attr_len;
		memcpy(req.v, val, attr_len);
		req.n.nlmsg_len += NLA_ALIGN(req.a.nla_len);
	}
	if (send(z->nl, &req, req.n.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		len = recv(z->nl, buf, sizeof(buf), 0);
		if (len < 0)
			return -errno;
		for (n = (void *)buf; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
			int left = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			struct nlattr *a = (void *)((char *)NLMSG_DATA(n) +
						    GENL_HDRLEN);

			if (n->nlmsg_type == NLMSG_ERROR) {
				int err = ((struct nlmsgerr *)NLMSG_DATA(n))->error;

				return err ? err : found;
			}
			if (n->nlmsg_type == NLMSG_DONE) {
				int err = *(int *)NLMSG_DATA(n);

				/* A dump is not ACKed: DONE ends it. */
				return err < 0 ? err : found;
			}
			for (; left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			       a->nla_len <= left;
			     left -= NLA_ALIGN(a->nla_len),
			     a = (void *)((char *)a + NLA_ALIGN(a->nla_len)))
				if (a->nla_type == CTI_NL_A_CARD_INDEX &&
				    *(uint32_t *)(a + 1) == want)
					found = 1;
		}
	}
}

static int nl_family(struct fz *z)
{
	static char buf[8192] __attribute__((aligned(4)));
	struct timeval tmo = { .tv_sec = WAIT_MS / 1000 };
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		struct nlattr a;
		char v[8];
	} req = { 0 };
	struct nlmsghdr *n = (void *)buf;
	struct nlattr *a;
	int left;
	ssize_t len;

	z->nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (z->nl < 0 ||
	    setsockopt(z->nl, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo)))
		return -errno;
	req.n.nlmsg_len = sizeof(req);
	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	req.a.nla_type = CTRL_ATTR_FAMILY_NAME;
	req.a.nla_len = NLA_HDRLEN + sizeof(CTI_GENL_NAME);
	strcpy(req.v, CTI_GENL_NAME);
	if (send(z->nl, &req, req.n.nlmsg_len, 0) < 0)
		return -errno;
	len = recv(z->nl, buf, sizeof(buf), 0);
	if (len < 0 || !NLMSG_OK(n, len) || n->nlmsg_type == NLMSG_ERROR)
		return -ENOENT;
	left = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (a = (void *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);
	     left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN;
	     left -= NLA_ALIGN(a->nla_len),
	     a = (void *)((char *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID) {
			z->family = *(uint16_t *)(a + 1);
			return 0;
		}
	return -ENOENT;
}

static int step_netlink(struct fz *z)
{
	uint32_t me = z->live ? strtoul(z->sim.dev + 3, NULL, 10) : ~0u;
	uint32_t idx = coin(z, 2) ? me : rnd(z, 3) ? rnd(z, 64) : ~0u;
	uint8_t cmd = coin(z, 8) ? rnd(z, 8) : CTI_NL_CMD_GET_CARD;
	uint16_t alen = coin(z, 6) ? rnd(z, 9) : 4;
	uint64_t v = idx;
	int ret;

	if (coin(z, 2)) {
		what(z, "netlink dump cmd %u", cmd);
		ret = nl_ask(z, cmd, true, 0, NULL, 0, me);
		if (cmd == CTI_NL_CMD_GET_CARD && z->live && ret == 0)
			return fail(z, "%s: the live card is missing", z->what);
		return expect(z, ret, EBIT(EOPNOTSUPP));
	}
	what(z, "netlink get cmd %u index %u attr len %u", cmd, idx, alen);
	ret = nl_ask(z, cmd, false, CTI_NL_A_CARD_INDEX, &v, alen, me);
	if (cmd == CTI_NL_CMD_GET_CARD && alen == 4 && idx == me && z->live &&
	    ret != 1)
		return fail(z, "%s: the live card not answered: %d", z->what,
			    ret);
	if (ret == 1 && idx != me)
		return fail(z, "%s: answered for another card", z->what);
	return expect(z, ret, EBIT(ENOENT) | EBIT(EINVAL) | EBIT(ERANGE) |
		      EBIT(EOPNOTSUPP));
}

/* ---- one run ------------------------------------------------------------------ */

static const char *const op_names[] = { "ioctl", "mmap", "munmap", "read",
	"poll", "reopen", "fork", "attr", "plug", "aux", "netlink" };
static uint64_t op_count[ARRAY_SIZE(op_names)];

/* The weights of the steps: ioctls most, unplugs and forks rarely. */
static int pick_op(struct fz *z)
{
	static const uint8_t w[] = { 40, 8, 5, 12, 5, 5, 2, 8, 3, 3, 6 };
	uint32_t r = rnd(z, 97), i;

	for (i = 0; i < ARRAY_SIZE(w) - 1 && r >= w[i]; i++)
		r -= w[i];
	return i;
}

static int step(struct fz *z, uint64_t seed, int idx, int devnull)
{
	int op, ret;

	z->rng = seed * 0x100000001b3ull ^ ((uint64_t)idx << 32 | idx);
	splitmix(&z->rng);
	op = pick_op(z);
	op_count[op]++;
	switch (op) {
	case 0: ret = step_ioctl(z, devnull); break;
	case 1: ret = step_mmap(z, devnull); break;
	case 2: ret = step_unmap(z); break;
	case 3: ret = step_read(z, devnull); break;
	case 4: ret = step_poll(z); break;
	case 5: ret = step_reopen(z); break;
	case 6: ret = step_fork(z); break;
	case 7: ret = step_attr(z); break;
	case 8: ret = step_plug(z); break;
	case 9: ret = step_aux(z); break;
	default: ret = step_netlink(z); break;
	}
	if (idx == planted[0])
		planted_seen = true;
	if (!ret && idx == planted[1] && planted_seen)
		ret = fail(z, "%s: the planted failure", z->what);
	if (z->verbose)
		fprintf(stderr, "#   step %d: %s%s\n", idx, z->what,
			ret ? "  <- FAILS" : "");
	if (!ret)
		ret = card_info_ok(z);
	return ret;
}

static int fz_setup(struct fz *z)
{
	int ret;

	memset(z, 0, sizeof(*z));
	for (int s = 0; s < NFD; s++)
		z->fd[s] = -1;
	z->arg = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (z->arg == MAP_FAILED || mprotect(z->arg + 2 * PAGE, PAGE, PROT_NONE))
		return -errno;
	ret = cti_sim_create(&z->sim, 4, 2, "call");
	if (ret)
		return ret;
	z->live = true;
	z->fd[0] = z->sim.fd;
	z->fd_rw[0] = true;
	fcntl(z->fd[0], F_SETFL, O_NONBLOCK);
	return nl_family(z);
}

static void fz_teardown(struct fz *z)
{
	char path[CTI_SIM_PATH_MAX + 64];

	for (int m = 0; m < NMAP; m++)
		if (z->map[m])
			munmap(z->map[m], z->map_len[m]);
	for (int s = 1; s < NFD; s++)
		fd_close(z, s);
	for (int a = 0; a < NAUX; a++) {
		if (!z->aux[a][0])
			continue;
		snprintf(path, sizeof(path), "%s/%s", CTI_SIM_ROOT, z->aux[a]);
		rmdir(path);
	}
	if (z->nl >= 0)
		close(z->nl);
	cti_sim_destroy(&z->sim);
	munmap(z->arg, 3 * PAGE);
}

/*
 * replay() - run the steps @idx[0..@n) of @seed on a new card
 * Return: the position in @idx of the step that failed, -1 if none did,
 * or -2 when the card could not be made (*@err says why).
 */
static int replay(uint64_t seed, const int *idx, int n, bool verbose,
		  char *err, size_t err_size)
{
	static struct fz z;
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC), at = -1, ret;

	ret = fz_setup(&z);
	z.verbose = verbose;
	planted_seen = false;
	n_replays++;
	if (ret) {
		snprintf(err, err_size, "setup: %s", strerror(-ret));
		at = -2;
	}
	for (int i = 0; !ret && i < n; i++, n_steps++) {
		z.err[0] = '\0';
		ret = step(&z, seed, idx[i], devnull);
		if (!ret && (i % 8 == 7 || i == n - 1))
			ret = request_ok(&z);
		/* at the end, every file's requests must be answered */
		for (int s = 0; !ret && i == n - 1 && s < NFD; s++)
			ret = settle(&z, s);
		if (ret) {
			snprintf(err, err_size, "%s", z.err);
			at = i;
		}
	}
	fz_teardown(&z);
	close(devnull);
	return at;
}

/* ---- shrinking ------------------------------------------------------------------ */

/* Shrinking stops after this many replays, a bound on its time. */
#define SHRINK_REPLAYS	300

/* fails() - the steps @idx[0..@n) still fail; *@n cut after the failing one. */
static bool fails(uint64_t seed, int *idx, int *n, int *budget)
{
	char err[512];
	int at;

	if (--*budget < 0)
		return false;
	at = replay(seed, idx, *n, false, err, sizeof(err));
	if (at < 0)
		return false;
	*n = at + 1;
	return true;
}

/*
 * shrink() - delta debugging (ddmin) over the step list: try leaving out
 * each of @chunks parts of it, keep any removal after which the run still
 * fails, refine the parts while nothing can go.
 * Return: the length of the shortest failing list found, in @idx.
 */
static int shrink(uint64_t seed, int *idx, int n)
{
	static int trial[MAX_STEPS];
	int chunks = 2, budget = SHRINK_REPLAYS;

	while (n > 1 && budget > 0) {
		int size = (n + chunks - 1) / chunks, start;
		bool cut = false;

		for (start = 0; start < n && budget > 0; start += size) {
			int m = 0, end = start + size < n ? start + size : n;

			for (int i = 0; i < n; i++)
				if (i < start || i >= end)
					trial[m++] = idx[i];
			/* The failing step itself must stay. */
			if (end == n || !fails(seed, trial, &m, &budget))
				continue;
			memcpy(idx, trial, m * sizeof(*idx));
			n = m;
			cut = true;
			chunks = chunks > 2 ? chunks - 1 : 2;
			break;
		}
		if (!cut) {
			if (chunks >= n)
				break;
			chunks = chunks * 2 < n ? chunks * 2 : n;
		}
	}
	return n;
}

/* ---- the test ---------------------------------------------------------------------- */

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 0) : def;
}

/* report() - shrink a failing run of @seed and print the sequence. */
static void report(uint64_t seed, int n, const char *err)
{
	static int idx[MAX_STEPS];
	char again[512];
	int m;

	for (int i = 0; i < n; i++)
		idx[i] = i;
	fprintf(stderr, "# abi_fuzz: seed %llu failed at step %d: %s\n",
		(unsigned long long)seed, n - 1, err);
	m = shrink(seed, idx, n);
	fprintf(stderr, "# abi_fuzz: seed %llu: shortest failing sequence, %d of %d steps (CTI_FUZZ_REPLAY=%llu:",
		(unsigned long long)seed, m, n, (unsigned long long)seed);
	for (int i = 0; i < m; i++)
		fprintf(stderr, "%s%d", i ? "," : "", idx[i]);
	fprintf(stderr, "):\n");
	if (replay(seed, idx, m, true, again, sizeof(again)) >= 0)
		fprintf(stderr, "# abi_fuzz: %s\n", again);
	else
		fprintf(stderr, "# abi_fuzz: (the shortened sequence passed this time: timing)\n");
}

/* parse_replay() - "SEED:I,J,K" into @seed and @idx; the count or -1. */
static int parse_replay(const char *s, uint64_t *seed, int *idx)
{
	char *end;
	int n = 0;

	*seed = strtoull(s, &end, 0);
	if (*end != ':')
		return -1;
	while (*end && n < MAX_STEPS) {
		idx[n++] = strtol(end + 1, &end, 0);
		if (*end && *end != ',')
			return -1;
	}
	return n;
}

/*
 * mark_seed() - say which seed runs: in the kernel log, where an oops
 * that ends the guest would follow it, and on stderr every 10 seconds.
 */
static void mark_seed(uint64_t seed, long steps, int64_t elapsed_ms)
{
	static int64_t last = -10000;
	char line[96];
	int fd, n;

	n = snprintf(line, sizeof(line), "abi_fuzz: seed %llu, %ld steps\n",
		     (unsigned long long)seed, steps);
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		/* The log is a help, not a must: a failed write is ignored. */
		ssize_t w = write(fd, line, n);

		(void)w;
		close(fd);
	}
	if (elapsed_ms - last >= 10000) {
		fprintf(stderr, "# %s", line);
		last = elapsed_ms;
	}
}

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
	if (access(CTI_SIM_ROOT, F_OK))
		SKIP(return, "no %s: cti_sim is not loaded", CTI_SIM_ROOT);
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, random_sequences, 86400)
{
	static int idx[MAX_STEPS];
	long secs = env_long("CTI_FUZZ_SECONDS", 5);
	long steps = env_long("CTI_FUZZ_STEPS", 200);
	uint64_t seed = env_long("CTI_SEED", 1), seeds = 0;
	const char *rp = getenv("CTI_FUZZ_REPLAY");
	int64_t t0 = cti_now_ms(), ms;
	char err[512];
	int at, n;

	signal(SIGPIPE, SIG_IGN);
	if (rp) {
		n = parse_replay(rp, &seed, idx);
		ASSERT_LT(0, n) TH_LOG("CTI_FUZZ_REPLAY=SEED:I,J,... not %s", rp);
		at = replay(seed, idx, n, true, err, sizeof(err));
		ASSERT_EQ(-1, at) TH_LOG("%s", err);
		return;
	}
	ASSERT_TRUE(steps > 0 && steps <= MAX_STEPS);
	for (int i = 0; i < steps; i++)
		idx[i] = i;
	do {
		mark_seed(seed, steps, cti_now_ms() - t0);
		at = replay(seed, idx, steps, false, err, sizeof(err));
		ASSERT_NE(-2, at) TH_LOG("%s", err);
		if (at >= 0) {
			report(seed, at + 1, err);
			ASSERT_EQ(-1, at) TH_LOG("seed %llu", (unsigned long long)seed);
		}
		seed++, seeds++;
	} while (cti_now_ms() - t0 < secs * 1000);
	ms = cti_now_ms() - t0;
	fprintf(stderr, "# abi_fuzz: %llu seeds, %llu steps in %lld ms: %.0f steps/s;",
		(unsigned long long)seeds, (unsigned long long)n_steps,
		(long long)ms, ms ? n_steps * 1000.0 / ms : 0.0);
	for (size_t i = 0; i < ARRAY_SIZE(op_names); i++)
		fprintf(stderr, " %s %llu", op_names[i],
			(unsigned long long)op_count[i]);
	fprintf(stderr, "; %llu SUBMITs accepted, REPLYs checked at %llu file ends (%llu blind), %llu ms\n",
		(unsigned long long)n_accepted, (unsigned long long)n_settles,
		(unsigned long long)n_blind, (unsigned long long)settle_ms);
}

/*
 * The shrinker itself: a failure planted at step 30 that needs step 5
 * before it must come out as exactly those two steps, out of 40.
 */
TEST_F_TIMEOUT(fuzz, shrinker_finds_planted_failure, 600)
{
	static int idx[40];
	char err[512];
	int at, m;

	for (int i = 0; i < 40; i++)
		idx[i] = i;
	planted[0] = 5;
	planted[1] = 30;
	at = replay(7, idx, 40, false, err, sizeof(err));
	ASSERT_EQ(30, at) TH_LOG("%s", err);
	m = shrink(7, idx, at + 1);
	planted[0] = planted[1] = -1;
	ASSERT_EQ(2, m);
	ASSERT_EQ(5, idx[0]);
	ASSERT_EQ(30, idx[1]);
}

/*
 * The REPLY tracker alone: a REPLY once per accepted request; unknown ids,
 * duplicates and missing REPLYs are caught; overflow excuses as many
 * missing REPLYs as it counts; a blind tracker checks nothing.
 */
TEST(reply_tracker_rules)
{
	static struct reply_track t;
	struct cti_ev_reply r = { .hdr = { .type = CTI_EV_REPLY,
					   .size = sizeof(r) } };
	struct cti_ev_overflow o = { .hdr = { .type = CTI_EV_OVERFLOW,
					      .size = sizeof(o) }, .lost = 1 };
	uint64_t first = 0;
	char why[200];

	rt_reset(&t);
	rt_sent(&t, 5);
	rt_sent(&t, 6);
	rt_sent(&t, 6);
	r.id = 5;
	EXPECT_EQ(0, rt_record(&t, &r.hdr, why, sizeof(why)));
	EXPECT_EQ(-1, rt_record(&t, &r.hdr, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "duplicated")) TH_LOG("%s", why);
	r.id = 7;
	EXPECT_EQ(-1, rt_record(&t, &r.hdr, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "no accepted SUBMIT")) TH_LOG("%s", why);
	r.id = 6;
	EXPECT_EQ(0, rt_record(&t, &r.hdr, why, sizeof(why)));
	EXPECT_EQ(1, rt_missing(&t, &first));
	EXPECT_EQ(6, first);
	EXPECT_EQ(0, rt_record(&t, &r.hdr, why, sizeof(why)));
	EXPECT_EQ(-1, rt_record(&t, &r.hdr, why, sizeof(why)));
	rt_sent(&t, 8);
	EXPECT_EQ(1, rt_missing(&t, &first));
	EXPECT_EQ(8, first);
	EXPECT_EQ(0, t.lost);
	EXPECT_EQ(0, rt_record(&t, &o.hdr, why, sizeof(why)));
	EXPECT_EQ(1, t.lost);
	t.blind = true;
	r.id = 99;
	EXPECT_EQ(0, rt_record(&t, &r.hdr, why, sizeof(why)));
	rt_reset(&t);
	EXPECT_EQ(0, rt_missing(&t, &first));
	for (int i = 0; i < RT_MAX; i++)
		rt_sent(&t, i);
	EXPECT_FALSE(t.blind);
	rt_sent(&t, RT_MAX);
	EXPECT_TRUE(t.blind);
}

/*
 * The tracker against a real card's file: settle() passes when the
 * REPLY came, and fails for an id the card never answers (a request the
 * fuzzer believes accepted) and for a REPLY nobody tracked.
 */
TEST_F(fuzz, settle_catches_missing_and_unknown)
{
	static struct fz z;

	ASSERT_EQ(0, fz_setup(&z));
	snprintf(z.what, sizeof(z.what), "test");
	ASSERT_EQ(0, cti_submit_cmd(z.fd[0], CTI_CMD_SET_DND, 77, 0, 0, 0, 1,
				    0, NULL));
	rt_sent(&z.trk[0], 77);
	EXPECT_EQ(0, settle(&z, 0)) TH_LOG("%s", z.err);
	rt_sent(&z.trk[0], 78);
	EXPECT_EQ(-1, settle(&z, 0));
	EXPECT_NE(NULL, strstr(z.err, "no REPLY for request id 0x4e"))
		TH_LOG("%s", z.err);
	rt_reset(&z.trk[0]);
	ASSERT_EQ(0, cti_submit_cmd(z.fd[0], CTI_CMD_SET_DND, 79, 0, 0, 0, 0,
				    0, NULL));
	/* nothing is missing, so settle() waits for nothing: wait here */
	ASSERT_LT(0, cti_poll(z.fd[0], POLLIN, WAIT_MS));
	EXPECT_EQ(-1, settle(&z, 0));
	EXPECT_NE(NULL, strstr(z.err, "id 0x4f, which no accepted SUBMIT"))
		TH_LOG("%s", z.err);
	fz_teardown(&z);
}

TEST_HARNESS_MAIN
