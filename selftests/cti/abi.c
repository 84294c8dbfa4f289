// SPDX-License-Identifier: GPL-2.0
/*
 * abi: the argument checking of every cti ioctl
 *
 * Struct sizes pinned; for every ioctl with a size-first struct: size - 1
 * (EINVAL), size + 1 with a non-zero tail (E2BIG) and a zero tail
 * (accepted), every size from 0 to a page (the documented answer for
 * smaller, equal and larger; past a page E2BIG), the same command with a size or
 * direction folded into its number (ENOTTY: the numbers are _IO and carry
 * no size), non-zero reserved bytes (EINVAL), bad argument pointers
 * (EFAULT); then the user pointers inside SUBMIT/SNAPSHOT/SET_FILTER,
 * unknown ioctls (ENOTTY), unknown flags and commands (EINVAL), ranges
 * (ENOENT), number strings and data lengths (EINVAL), O_RDONLY (EBADF).
 */
#include <stddef.h>
#include <sys/mman.h>

#include "cti_test.h"
#include "kselftest_harness.h"

#define REPLY_MS	5000

TEST(struct_sizes)
{
	ASSERT_EQ(168, sizeof(struct cti_card_info));
	ASSERT_EQ(200, sizeof(struct cti_line_info));
	ASSERT_EQ(72, sizeof(struct cti_phone_info));
	ASSERT_EQ(64, sizeof(struct cti_request));
	ASSERT_EQ(24, sizeof(struct cti_event));
	ASSERT_EQ(48, sizeof(struct cti_ev_reply));
	ASSERT_EQ(40, sizeof(struct cti_ev_call_state));
	ASSERT_EQ(176, sizeof(struct cti_ev_call_info));
	ASSERT_EQ(64, sizeof(struct cti_ev_digits));
	ASSERT_EQ(72, sizeof(struct cti_ev_line_status));
	ASSERT_EQ(32, sizeof(struct cti_ev_phone_hook));
	ASSERT_EQ(32, sizeof(struct cti_ev_phone_button));
	ASSERT_EQ(32, sizeof(struct cti_ev_link_frame));
	ASSERT_EQ(32, sizeof(struct cti_ev_link_state));
	ASSERT_EQ(32, sizeof(struct cti_ev_overflow));
	ASSERT_EQ(48, sizeof(struct cti_ring_info));
	ASSERT_EQ(56, sizeof(struct cti_line_snapshot));
	ASSERT_EQ(88, sizeof(struct cti_call_snapshot));
	ASSERT_EQ(48, sizeof(struct cti_snapshot));
	ASSERT_EQ(32, sizeof(struct cti_event_filter));
	/* The fields other code reads at fixed places. */
	ASSERT_EQ(8, offsetof(struct cti_request, id));
	ASSERT_EQ(40, offsetof(struct cti_request, data));
	ASSERT_EQ(48, offsetof(struct cti_request, __reserved));
	ASSERT_EQ(8, offsetof(struct cti_event, seq));
	ASSERT_EQ(16, offsetof(struct cti_event, timestamp_ns));
	ASSERT_EQ(24, offsetof(struct cti_ev_reply, id));
	ASSERT_EQ(32, offsetof(struct cti_ev_link_frame, data));
	/* Every record is a multiple of 8 bytes. */
	ASSERT_EQ(0, sizeof(struct cti_ev_call_info) % 8);
	ASSERT_EQ(0, sizeof(struct cti_ev_line_status) % 8);
	ASSERT_EQ(0, CTI_EVENT_MAX_SIZE % 8);
	/*
	 * The numbers are _IO(magic, nr): no size and no direction, so a
	 * struct that grows keeps its number (the size field says how big
	 * the caller's struct is). Numbers 0..6, never reused.
	 */
	ASSERT_EQ(_IO(CTI_IOCTL_MAGIC, 0x00), CTI_IOC_CARD_INFO);
	ASSERT_EQ(_IO(CTI_IOCTL_MAGIC, 0x01), CTI_IOC_LINE_INFO);
	ASSERT_EQ(_IO(CTI_IOCTL_MAGIC, 0x02), CTI_IOC_PHONE_INFO);
	ASSERT_EQ(_IO(CTI_IOCTL_MAGIC, 0x03), CTI_IOC_SUBMIT);
	ASSERT_EQ(_IO(CTI_IOCTL_MAGIC, 0x04), CTI_IOC_RING_INFO);
	ASSERT_EQ(_IO(CTI_IOCTL_MAGIC, 0x05), CTI_IOC_SNAPSHOT);
	ASSERT_EQ(_IO(CTI_IOCTL_MAGIC, 0x06), CTI_IOC_SET_FILTER);
	ASSERT_EQ(0, _IOC_SIZE(CTI_IOC_SUBMIT));
	ASSERT_EQ(_IOC_NONE, _IOC_DIR(CTI_IOC_CARD_INFO));
	ASSERT_EQ(CTI_IOCTL_MAGIC, _IOC_TYPE(CTI_IOC_SET_FILTER));
}

/* Arrays the valid SNAPSHOT and FILTER arguments point at. */
static struct cti_line_snapshot snap_lines[8];
static struct cti_call_snapshot snap_calls[64];
static uint64_t filter_lines[1] = { 0x5 };

/**
 * struct abi_ioc - one size-first ioctl and how to make a valid argument
 * @name: for messages
 * @nr: the ioctl number
 * @size: sizeof its struct
 * @ver0: its first published size (below it: EINVAL)
 * @res_off: offset of a reserved field that must be zero
 * @res_len: its length
 * @fill: make a valid argument in @buf (zeroed, @size set already)
 * @reply: a successful call creates a request (its REPLY is awaited)
 * @out: the kernel writes the struct back, with size = bytes written
 */
struct abi_ioc {
	const char *name;
	unsigned long nr;
	size_t size;
	size_t ver0;
	size_t res_off;
	size_t res_len;
	void (*fill)(void *buf);
	bool reply;
	bool out;
};

static void fill_none(void *buf)
{
}

static void fill_line_info(void *buf)
{
	((struct cti_line_info *)buf)->line = 1;
}

static void fill_phone_info(void *buf)
{
	((struct cti_phone_info *)buf)->phone = 1;
}

#define SUBMIT_ID	0xabcdef0123ull
static void fill_submit(void *buf)
{
	struct cti_request *r = buf;

	r->cmd = CTI_CMD_SET_DND;
	r->id = SUBMIT_ID;
	r->line = 0;
	r->arg = 1;
}

static void fill_snapshot(void *buf)
{
	struct cti_snapshot *s = buf;

	s->num_lines = 8;
	s->lines = (uintptr_t)snap_lines;
	s->num_calls = 64;
	s->calls = (uintptr_t)snap_calls;
}

static void fill_filter(void *buf)
{
	struct cti_event_filter *f = buf;

	f->types = CTI_EV_ALL;
	f->flags = CTI_FILTER_F_LINES;
	f->lines = (uintptr_t)filter_lines;
	f->num_lines = 64;
}

/*
 * The first published sizes: the struct sizes of the first ABI. They never
 * change when a struct grows; the kernel keeps the same figures.
 */
#define IOC(n, nr_, type, ver0_, fill_, reply_, out_) \
	{ n, nr_, sizeof(struct type), ver0_, offsetof(struct type, __reserved), \
	  sizeof(((struct type *)0)->__reserved), fill_, reply_, out_ }

static const struct abi_ioc abi_iocs[] = {
	IOC("CARD_INFO", CTI_IOC_CARD_INFO, cti_card_info, 168, fill_none,
	    false, true),
	IOC("LINE_INFO", CTI_IOC_LINE_INFO, cti_line_info, 200, fill_line_info,
	    false, true),
	IOC("PHONE_INFO", CTI_IOC_PHONE_INFO, cti_phone_info, 72,
	    fill_phone_info, false, true),
	IOC("SUBMIT", CTI_IOC_SUBMIT, cti_request, 64, fill_submit, true,
	    false),
	IOC("RING_INFO", CTI_IOC_RING_INFO, cti_ring_info, 48, fill_none,
	    false, true),
	IOC("SNAPSHOT", CTI_IOC_SNAPSHOT, cti_snapshot, 48, fill_snapshot,
	    false, true),
	IOC("SET_FILTER", CTI_IOC_SET_FILTER, cti_event_filter, 32, fill_filter,
	    false, false),
};

FIXTURE(ioc) {
	struct cti_sim sim;
	/* Room for a struct larger than the page the kernel accepts. */
	uint8_t buf[8192] __attribute__((aligned(8)));
};

FIXTURE_VARIANT(ioc) {
	const struct abi_ioc *ioc;
};

FIXTURE_VARIANT_ADD(ioc, card_info) { .ioc = &abi_iocs[0] };
FIXTURE_VARIANT_ADD(ioc, line_info) { .ioc = &abi_iocs[1] };
FIXTURE_VARIANT_ADD(ioc, phone_info) { .ioc = &abi_iocs[2] };
FIXTURE_VARIANT_ADD(ioc, submit) { .ioc = &abi_iocs[3] };
FIXTURE_VARIANT_ADD(ioc, ring_info) { .ioc = &abi_iocs[4] };
FIXTURE_VARIANT_ADD(ioc, snapshot) { .ioc = &abi_iocs[5] };
FIXTURE_VARIANT_ADD(ioc, set_filter) { .ioc = &abi_iocs[6] };

FIXTURE_SETUP(ioc)
{
	ASSERT_EQ(0, cti_sim_create(&self->sim, 4, 2, NULL));
}

FIXTURE_TEARDOWN(ioc)
{
	cti_sim_destroy(&self->sim);
}

/* True if any of the @len bytes at @p is not zero. */
static bool memchr_nonzero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return true;
	return false;
}

/* A valid argument of @size bytes with the struct's size field @size. */
static void *make_arg(FIXTURE_DATA(ioc) *self, const struct abi_ioc *ioc,
		      size_t size)
{
	memset(self->buf, 0, sizeof(self->buf));
	*(uint32_t *)self->buf = ioc->size;
	ioc->fill(self->buf);
	*(uint32_t *)self->buf = size;
	return self->buf;
}

/* After a successful SUBMIT, its REPLY must come, once, with success. */
static int expect_reply(FIXTURE_DATA(ioc) *self, const struct abi_ioc *ioc)
{
	struct cti_ev_reply rep;
	int ret;

	if (!ioc->reply)
		return 0;
	ret = cti_wait_reply(&self->sim.st, SUBMIT_ID, &rep, NULL, REPLY_MS);
	if (ret)
		return ret;
	if (rep.error || rep.cmd != CTI_CMD_SET_DND || rep.hdr.line != 0)
		return -EPROTO;
	return 0;
}

TEST_F(ioc, valid)
{
	void *arg = make_arg(self, variant->ioc, variant->ioc->size);

	ASSERT_EQ(0, cti_ioctl(self->sim.fd, variant->ioc->nr, arg));
	ASSERT_EQ(0, expect_reply(self, variant->ioc));
}

TEST_F(ioc, size_minus_one)
{
	void *arg = make_arg(self, variant->ioc, variant->ioc->size - 1);

	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, variant->ioc->nr, arg));
}

TEST_F(ioc, size_zero)
{
	void *arg = make_arg(self, variant->ioc, 0);

	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, variant->ioc->nr, arg));
}

TEST_F(ioc, size_plus_one_nonzero_tail)
{
	uint8_t *arg = make_arg(self, variant->ioc, variant->ioc->size + 1);

	arg[variant->ioc->size] = 0x5a;
	ASSERT_EQ(-E2BIG, cti_ioctl(self->sim.fd, variant->ioc->nr, arg));
	/* Far past the end too (the kernel checks the whole tail). */
	arg[variant->ioc->size] = 0;
	*(uint32_t *)arg = variant->ioc->size + 64;
	arg[variant->ioc->size + 63] = 1;
	ASSERT_EQ(-E2BIG, cti_ioctl(self->sim.fd, variant->ioc->nr, arg));
}

TEST_F(ioc, size_plus_one_zero_tail)
{
	uint8_t *arg = make_arg(self, variant->ioc, variant->ioc->size + 1);

	ASSERT_EQ(0, cti_ioctl(self->sim.fd, variant->ioc->nr, arg));
	ASSERT_EQ(0, expect_reply(self, variant->ioc));
	/* Out structs report the bytes the kernel filled: its own size. */
	if (variant->ioc->out)
		ASSERT_EQ(variant->ioc->size, *(uint32_t *)arg);
	/* The kernel never writes past its own struct. */
	ASSERT_EQ(0, arg[variant->ioc->size]);
}

/*
 * Every size a caller might pass, with the documented answer for each
 * (uapi/linux/cti.h, "ioctl numbers and argument sizes"): below the first
 * published size EINVAL; from there up to the kernel's size an older
 * caller, served in its own size; above it a newer caller, served in the
 * kernel's size if its tail is zero, E2BIG if not. The kernel writes no
 * byte past min(size, its own size), which the 0xa5 canary checks.
 */
static int try_size(FIXTURE_DATA(ioc) *self, const struct abi_ioc *ioc,
		    size_t size, bool nonzero_tail)
{
	size_t used = size < ioc->size ? size : ioc->size;
	uint8_t *arg = make_arg(self, ioc, size);
	int ret;

	/* What an older caller does not send (the size field it always does). */
	if (size < ioc->size && size >= sizeof(uint32_t))
		memset(arg + size, 0xa5, ioc->size - size);
	if (nonzero_tail)
		arg[size - 1] = 1;
	ret = cti_ioctl(self->sim.fd, ioc->nr, arg);
	if (ret)
		return ret;
	ret = expect_reply(self, ioc);
	if (ret)
		return ret;
	if (ioc->out && *(uint32_t *)arg != used)
		return -ERANGE;
	if (size < ioc->size && size >= sizeof(uint32_t) && arg[size] != 0xa5)
		return -EOVERFLOW;
	if (size > ioc->size && memchr_nonzero(arg + ioc->size,
					       size - ioc->size))
		return -EOVERFLOW;
	return 0;
}

TEST_F(ioc, size_smaller_equal_larger)
{
	const struct abi_ioc *ioc = variant->ioc;
	size_t size;

	/* Smaller: too old to exist, then (once a struct grows) older. */
	for (size = 0; size < ioc->ver0; size++)
		ASSERT_EQ(-EINVAL, try_size(self, ioc, size, false))
			TH_LOG("%s size %zu", ioc->name, size);
	for (size = ioc->ver0; size < ioc->size; size++)
		ASSERT_EQ(0, try_size(self, ioc, size, false))
			TH_LOG("%s size %zu", ioc->name, size);
	/* Equal. */
	ASSERT_EQ(0, try_size(self, ioc, ioc->size, false));
	/* Larger: every size up to 16 bytes past, and up to a page. */
	for (size = ioc->size + 1; size <= ioc->size + 16; size++) {
		ASSERT_EQ(0, try_size(self, ioc, size, false))
			TH_LOG("%s size %zu", ioc->name, size);
		ASSERT_EQ(-E2BIG, try_size(self, ioc, size, true))
			TH_LOG("%s size %zu", ioc->name, size);
	}
	size = 4096;
	ASSERT_EQ(0, try_size(self, ioc, size, false));
	ASSERT_EQ(-E2BIG, try_size(self, ioc, size, true));
	/* Past a page: E2BIG even with a zero tail (as clone3, openat2). */
	ASSERT_EQ(-E2BIG, try_size(self, ioc, 4096 + 8, false));
}

/*
 * The same command with a size or a direction in its number is another
 * number: ENOTTY, whatever the size field says. Only the _IO number works,
 * so there is one number per command however its struct grows.
 */
TEST_F(ioc, number_with_size)
{
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};
	const struct abi_ioc *ioc = variant->ioc;
	const size_t sizes[] = {
		0, 8, ioc->ver0, ioc->size - 1, ioc->size, ioc->size + 8,
	};
	unsigned long nr;
	unsigned int d, i;
	void *arg;

	for (d = 0; d < ARRAY_SIZE(dirs); d++) {
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			if (dirs[d] == _IOC_NONE && !sizes[i])
				continue;	/* that is the number itself */
			nr = _IOC(dirs[d], CTI_IOCTL_MAGIC,
				  _IOC_NR(ioc->nr), sizes[i]);
			arg = make_arg(self, ioc, ioc->size);
			ASSERT_EQ(-ENOTTY, cti_ioctl(self->sim.fd, nr, arg))
				TH_LOG("%s dir %u size %zu", ioc->name,
				       dirs[d], sizes[i]);
		}
	}
	/* The number itself still works after all that. */
	ASSERT_EQ(0, cti_ioctl(self->sim.fd, ioc->nr,
			       make_arg(self, ioc, ioc->size)));
	ASSERT_EQ(0, expect_reply(self, ioc));
}

TEST_F(ioc, reserved_nonzero)
{
	uint8_t *arg = make_arg(self, variant->ioc, variant->ioc->size);

	arg[variant->ioc->res_off] = 1;
	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, variant->ioc->nr, arg));
	arg = make_arg(self, variant->ioc, variant->ioc->size);
	arg[variant->ioc->res_off + variant->ioc->res_len - 1] = 0x80;
	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, variant->ioc->nr, arg));
}

TEST_F(ioc, efault_arg)
{
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *map;

	ASSERT_EQ(-EFAULT, cti_ioctl(self->sim.fd, variant->ioc->nr, NULL));
	ASSERT_EQ(-EFAULT, cti_ioctl(self->sim.fd, variant->ioc->nr,
				     (void *)8));
	/* Only the size field is readable: the rest faults. */
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	*(uint32_t *)(map + page - 4) = variant->ioc->size;
	ASSERT_EQ(-EFAULT, cti_ioctl(self->sim.fd, variant->ioc->nr,
				     map + page - 4));
	/* A read-only page: the in/out structs cannot be written back. */
	make_arg(self, variant->ioc, variant->ioc->size);
	memcpy(map, self->buf, variant->ioc->size);
	ASSERT_EQ(0, mprotect(map, page, PROT_READ));
	if (variant->ioc->out)
		ASSERT_EQ(-EFAULT, cti_ioctl(self->sim.fd, variant->ioc->nr,
					     map));
	munmap(map, page);
}

FIXTURE(card) {
	struct cti_sim sim;
};

FIXTURE_SETUP(card)
{
	ASSERT_EQ(0, cti_sim_create(&self->sim, 4, 2, NULL));
}

FIXTURE_TEARDOWN(card)
{
	cti_sim_destroy(&self->sim);
}

TEST_F(card, card_info)
{
	struct cti_card_info ci;
	unsigned int idx;

	ASSERT_EQ(0, cti_card_info(self->sim.fd, &ci));
	ASSERT_EQ(sizeof(ci), ci.size);
	ASSERT_EQ(1, sscanf(self->sim.dev, "cti%u", &idx));
	ASSERT_EQ(idx, ci.index);
	ASSERT_EQ(4, ci.num_lines);
	ASSERT_EQ(2, ci.num_phones);
	ASSERT_STREQ(self->sim.name, ci.name);
	ASSERT_STREQ("cti_sim", ci.driver);
	ASSERT_EQ(CTI_LINK_UP, ci.link_state);
	ASSERT_TRUE(ci.caps & CTI_CARD_CAP_CALL_CONTROL);
	ASSERT_TRUE(ci.caps & CTI_CARD_CAP_PHONES);
	ASSERT_FALSE(ci.caps & CTI_CARD_CAP_LINK);
	ASSERT_EQ(CTI_FEAT_RING | CTI_FEAT_READ | CTI_FEAT_SNAPSHOT |
		  CTI_FEAT_FILTER,
		  ci.features & (CTI_FEAT_RING | CTI_FEAT_READ |
				 CTI_FEAT_SNAPSHOT | CTI_FEAT_FILTER));
	ASSERT_EQ(0, ci.__reserved);
}

TEST_F(card, line_and_phone_info)
{
	struct cti_line_info li;
	struct cti_phone_info pi;

	memset(&li, 0, sizeof(li));
	li.size = sizeof(li);
	li.line = 3;
	ASSERT_EQ(0, cti_ioctl(self->sim.fd, CTI_IOC_LINE_INFO, &li));
	ASSERT_EQ(3, li.line);
	ASSERT_LE(1, li.num_addresses);
	ASSERT_STREQ("103", li.addresses[0]);
	ASSERT_TRUE(li.ops & (1ull << CTI_CMD_MAKE_CALL));
	ASSERT_EQ(CTI_LINE_IN_SERVICE, li.status);
	ASSERT_EQ(0, li.num_calls);
	ASSERT_LE(1, li.max_calls);

	memset(&pi, 0, sizeof(pi));
	pi.size = sizeof(pi);
	pi.phone = 1;
	ASSERT_EQ(0, cti_ioctl(self->sim.fd, CTI_IOC_PHONE_INFO, &pi));
	ASSERT_EQ(1, pi.phone);
	ASSERT_EQ(1, pi.line);	/* phone i is attached to line i */
}

TEST_F(card, out_of_range)
{
	struct cti_line_info li;
	struct cti_phone_info pi;
	struct cti_ev_reply rep;
	int ret;

	memset(&li, 0, sizeof(li));
	li.size = sizeof(li);
	li.line = 4;
	ASSERT_EQ(-ENOENT, cti_ioctl(self->sim.fd, CTI_IOC_LINE_INFO, &li));
	li.line = CTI_LINE_NONE;
	ASSERT_EQ(-ENOENT, cti_ioctl(self->sim.fd, CTI_IOC_LINE_INFO, &li));

	memset(&pi, 0, sizeof(pi));
	pi.size = sizeof(pi);
	pi.phone = 2;
	ASSERT_EQ(-ENOENT, cti_ioctl(self->sim.fd, CTI_IOC_PHONE_INFO, &pi));
	pi.phone = 0x80000000u;
	ASSERT_EQ(-ENOENT, cti_ioctl(self->sim.fd, CTI_IOC_PHONE_INFO, &pi));

	ASSERT_EQ(-ENOENT, cti_submit_cmd(self->sim.fd, CTI_CMD_MAKE_CALL, 1,
					  4, 0, 0, 0, 0, "101"));
	ASSERT_EQ(-ENOENT, cti_submit_cmd(self->sim.fd, CTI_CMD_SET_DND, 2,
					  CTI_LINE_NONE, 0, 0, 1, 0, NULL));
	/* Phone commands range-check against the phones. */
	ASSERT_EQ(-ENOENT, cti_submit_cmd(self->sim.fd, CTI_CMD_SET_LAMP, 3,
					  2, 0, 0, 0, CTI_LAMP_STEADY, NULL));

	/*
	 * A call that does not exist: refused at submit, or (the calls are
	 * the backend's) completed with -ENOENT.
	 */
	ret = cti_submit_cmd(self->sim.fd, CTI_CMD_DROP, 4, 0, 0x7fffffff, 0,
			     0, 0, NULL);
	if (ret == 0) {
		ASSERT_EQ(0, cti_wait_reply(&self->sim.st, 4, &rep, NULL,
					    REPLY_MS));
		ASSERT_EQ(-ENOENT, rep.error);
	} else {
		ASSERT_EQ(-ENOENT, ret);
	}
}

TEST_F(card, enotty)
{
	struct cti_card_info ci;

	memset(&ci, 0, sizeof(ci));
	ci.size = sizeof(ci);
	ASSERT_EQ(-ENOTTY, cti_ioctl(self->sim.fd,
				     _IOWR(CTI_IOCTL_MAGIC, 0x7f,
					   struct cti_card_info), &ci));
	ASSERT_EQ(-ENOTTY, cti_ioctl(self->sim.fd,
				     _IOWR(CTI_IOCTL_MAGIC, 0x07,
					   struct cti_card_info), &ci));
	ASSERT_EQ(-ENOTTY, cti_ioctl(self->sim.fd,
				     _IOWR('x', 0x00, struct cti_card_info),
				     &ci));
	ASSERT_EQ(-ENOTTY, cti_ioctl(self->sim.fd, _IO(CTI_IOCTL_MAGIC, 0x40),
				     NULL));
	ASSERT_EQ(-ENOTTY, cti_ioctl(self->sim.fd, _IO(CTI_IOCTL_MAGIC, 0x07),
				     &ci));
}

TEST_F(card, unknown_flags)
{
	struct cti_request req;
	struct cti_snapshot snap;
	struct cti_event_filter f;
	unsigned int bit;

	for (bit = 0; bit < 16; bit++) {
		cti_req_init(&req, CTI_CMD_SET_DND, 1, 0);
		req.flags = 1u << bit;
		ASSERT_EQ(-EINVAL, cti_submit(self->sim.fd, &req));
	}

	memset(&snap, 0, sizeof(snap));
	snap.size = sizeof(snap);
	snap.flags = 1;
	snap.lines = (uintptr_t)snap_lines;
	snap.num_lines = 8;
	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, CTI_IOC_SNAPSHOT, &snap));
	snap.flags = 0x80000000u;
	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, CTI_IOC_SNAPSHOT, &snap));

	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	f.types = CTI_EV_ALL;
	f.flags = 1u << 1;
	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, CTI_IOC_SET_FILTER, &f));
	f.flags = 0x80000000u;
	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, CTI_IOC_SET_FILTER, &f));
	/* Unknown record types. */
	f.flags = 0;
	f.types = CTI_EV_ALL | (1ull << CTI_EV_MAX);
	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, CTI_IOC_SET_FILTER, &f));
	f.types = 1ull << 63;
	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, CTI_IOC_SET_FILTER, &f));
	/* A line count without CTI_FILTER_F_LINES is contradictory. */
	f.types = CTI_EV_ALL;
	f.num_lines = 64;
	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, CTI_IOC_SET_FILTER, &f));
	/* More bits than the card's lines rounded up to 64. */
	f.flags = CTI_FILTER_F_LINES;
	f.lines = (uintptr_t)filter_lines;
	f.num_lines = 128;
	ASSERT_EQ(-EINVAL, cti_ioctl(self->sim.fd, CTI_IOC_SET_FILTER, &f));
	f.num_lines = 64;
	ASSERT_EQ(0, cti_ioctl(self->sim.fd, CTI_IOC_SET_FILTER, &f));
}

TEST_F(card, unknown_cmd)
{
	ASSERT_EQ(-EINVAL, cti_submit_cmd(self->sim.fd, CTI_CMD_MAX, 1, 0, 0,
					  0, 0, 0, NULL));
	ASSERT_EQ(-EINVAL, cti_submit_cmd(self->sim.fd, 0xffff, 2, 0, 0, 0, 0,
					  0, NULL));
	/* A link command on a call-control-only card: known but unsupported. */
	ASSERT_EQ(-EOPNOTSUPP, cti_submit_cmd(self->sim.fd,
					      CTI_CMD_SEND_LINK_FRAME, 3, 0,
					      0, 0, 0, 0, "frame"));
	/* Nothing was created: no REPLY may follow. */
	ASSERT_EQ(0, cti_drain(&self->sim.st, NULL, 200));
}

/* Known commands a card of the other kind does not support. */
TEST(unsupported_by_card)
{
	struct cti_card_info ci;
	struct cti_sim link, nophones;

	ASSERT_EQ(0, cti_sim_create(&link, 2, 0, "link"));
	ASSERT_EQ(0, cti_card_info(link.fd, &ci));
	ASSERT_EQ(CTI_CARD_CAP_LINK, ci.caps & (CTI_CARD_CAP_LINK |
						CTI_CARD_CAP_CALL_CONTROL));
	ASSERT_EQ(-EOPNOTSUPP, cti_submit_cmd(link.fd, CTI_CMD_MAKE_CALL, 1,
					      0, 0, 0, 0, 0, "101"));
	ASSERT_EQ(-EOPNOTSUPP, cti_submit_cmd(link.fd, CTI_CMD_SET_DND, 2, 0,
					      0, 0, 1, 0, NULL));
	/* ... while its own command works, and is range-checked. */
	ASSERT_EQ(-ENOENT, cti_submit_cmd(link.fd, CTI_CMD_SEND_LINK_FRAME, 3,
					  2, 0, 0, 0, 0, "x"));
	ASSERT_EQ(-EINVAL, cti_submit_cmd(link.fd, CTI_CMD_SEND_LINK_FRAME, 4,
					  0, 0, 0, 0, 0, ""));
	ASSERT_EQ(0, cti_submit_cmd(link.fd, CTI_CMD_SEND_LINK_FRAME, 5, 0, 0,
				    0, 0, 0, "frame"));
	ASSERT_EQ(0, cti_wait_reply(&link.st, 5, NULL, NULL, 5000));

	/* Phone commands on a card without phones. */
	ASSERT_EQ(0, cti_sim_create(&nophones, 2, 0, NULL));
	ASSERT_EQ(-EOPNOTSUPP, cti_submit_cmd(nophones.fd, CTI_CMD_SET_LAMP, 6,
					      0, 0, 0, 0, CTI_LAMP_STEADY,
					      NULL));
	ASSERT_EQ(0, cti_drain(&nophones.st, NULL, 100));
	cti_sim_destroy(&nophones);
	cti_sim_destroy(&link);
}

TEST_F(card, bad_numbers)
{
	static const char *const bad[] = {
		"12a", "1 2", "1+2", "++1", "#+1", "-1", "",
		"123456789012345678901234567890123",	/* > CTI_NUMBER_MAX - 1 */
	};
	struct cti_ev_reply rep;
	struct cti_request req;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		cti_req_init(&req, CTI_CMD_MAKE_CALL, 100 + i, 0);
		cti_req_data(&req, bad[i]);
		EXPECT_EQ(-EINVAL, cti_submit(self->sim.fd, &req))
			TH_LOG("number \"%s\"", bad[i]);
	}
	/* An embedded NUL is not a digit. */
	cti_req_init(&req, CTI_CMD_MAKE_CALL, 200, 0);
	req.data = (uintptr_t)"10\0001";
	req.data_len = 4;
	ASSERT_EQ(-EINVAL, cti_submit(self->sim.fd, &req));
	/* Bad digits for GENERATE_DIGITS and the other string commands. */
	ASSERT_EQ(-EINVAL, cti_submit_cmd(self->sim.fd, CTI_CMD_BLIND_TRANSFER,
					  201, 0, 1, 0, 0, 0, "x1"));
	ASSERT_EQ(-EINVAL, cti_submit_cmd(self->sim.fd, CTI_CMD_REDIRECT,
					  202, 0, 1, 0, 0, 0, "1/2"));
	ASSERT_EQ(-EINVAL, cti_submit_cmd(self->sim.fd,
					  CTI_CMD_GENERATE_DIGITS, 203, 0, 1,
					  0, 0, 0, "12x"));
	ASSERT_EQ(0, cti_drain(&self->sim.st, NULL, 200));

	/* The longest number and every legal character are accepted. */
	cti_req_init(&req, CTI_CMD_MAKE_CALL, 300, 0);
	cti_req_data(&req, "+1234567890*#1234567890*#123456");
	ASSERT_EQ(CTI_NUMBER_MAX - 1, req.data_len);
	ASSERT_EQ(0, cti_submit(self->sim.fd, &req));
	ASSERT_EQ(0, cti_wait_reply(&self->sim.st, 300, &rep, NULL, REPLY_MS));
	ASSERT_EQ(CTI_CMD_MAKE_CALL, rep.cmd);
}

TEST_F(card, data_len)
{
	static uint8_t big[CTI_DATA_MAX + 2];
	struct cti_request req;

	memset(big, '1', sizeof(big));
	cti_req_init(&req, CTI_CMD_DEV_SPECIFIC, 1, 0);
	req.data = (uintptr_t)big;
	req.data_len = CTI_DEV_SPECIFIC_MAX + 1;
	ASSERT_EQ(-EINVAL, cti_submit(self->sim.fd, &req));
	req.data_len = CTI_DATA_MAX + 1;
	ASSERT_EQ(-EINVAL, cti_submit(self->sim.fd, &req));
	req.data_len = 0xffffffffu;
	ASSERT_EQ(-EINVAL, cti_submit(self->sim.fd, &req));

	cti_req_init(&req, CTI_CMD_SET_DISPLAY, 2, 0);
	req.data = (uintptr_t)big;
	req.data_len = CTI_DISPLAY_MAX + 1;
	ASSERT_EQ(-EINVAL, cti_submit(self->sim.fd, &req));

	cti_req_init(&req, CTI_CMD_MAKE_CALL, 3, 0);
	req.data = (uintptr_t)big;
	req.data_len = CTI_NUMBER_MAX;
	ASSERT_EQ(-EINVAL, cti_submit(self->sim.fd, &req));
	ASSERT_EQ(0, cti_drain(&self->sim.st, NULL, 200));
}

TEST_F(card, efault_inner_pointers)
{
	struct cti_line_snapshot lines[4];
	struct cti_call_snapshot calls[16];
	struct cti_event_filter f;
	struct cti_snapshot snap;
	struct cti_ev_reply rep;
	struct cti_request req;

	/* SUBMIT: the number behind data. */
	cti_req_init(&req, CTI_CMD_MAKE_CALL, 1, 0);
	req.data = 8;
	req.data_len = 3;
	ASSERT_EQ(-EFAULT, cti_submit(self->sim.fd, &req));
	req.data = 0;
	ASSERT_EQ(-EFAULT, cti_submit(self->sim.fd, &req));

	/* SET_FILTER: the line bitmap. */
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	f.types = CTI_EV_ALL;
	f.flags = CTI_FILTER_F_LINES;
	f.num_lines = 64;
	f.lines = 8;
	ASSERT_EQ(-EFAULT, cti_ioctl(self->sim.fd, CTI_IOC_SET_FILTER, &f));

	/* SNAPSHOT: the line array (a card always has lines). */
	memset(&snap, 0, sizeof(snap));
	snap.size = sizeof(snap);
	snap.num_lines = 4;
	snap.lines = 8;
	snap.num_calls = 16;
	snap.calls = (uintptr_t)calls;
	ASSERT_EQ(-EFAULT, cti_ioctl(self->sim.fd, CTI_IOC_SNAPSHOT, &snap));

	/*
	 * ... and the call array, once there is a call to write. The REPLY
	 * comes before the call's first CALL_STATE, and a snapshot holds
	 * only what the ring has posted: wait for the record.
	 */
	ASSERT_EQ(0, cti_submit_cmd(self->sim.fd, CTI_CMD_MAKE_CALL, 2, 0, 0,
				    0, 0, 0, "101"));
	ASSERT_EQ(0, cti_wait_reply(&self->sim.st, 2, &rep, NULL, REPLY_MS));
	ASSERT_EQ(0, rep.error);
	ASSERT_NE(CTI_CALL_NONE, rep.call);
	ASSERT_EQ(0, cti_wait_event(&self->sim.st, CTI_EV_CALL_STATE, 0,
				    NULL, 0, NULL, REPLY_MS));
	memset(&snap, 0, sizeof(snap));
	snap.size = sizeof(snap);
	snap.num_lines = 4;
	snap.lines = (uintptr_t)lines;
	snap.num_calls = 16;
	snap.calls = 8;
	ASSERT_EQ(-EFAULT, cti_ioctl(self->sim.fd, CTI_IOC_SNAPSHOT, &snap));
	snap.calls = (uintptr_t)calls;
	ASSERT_EQ(0, cti_ioctl(self->sim.fd, CTI_IOC_SNAPSHOT, &snap));
	ASSERT_EQ(4, snap.num_lines);
	ASSERT_LE(1, snap.num_calls);
}

TEST_F(card, snapshot_enospc)
{
	struct cti_line_snapshot lines[4];
	struct cti_snapshot snap;

	memset(&snap, 0, sizeof(snap));
	snap.size = sizeof(snap);
	snap.num_lines = 3;
	snap.lines = (uintptr_t)lines;
	ASSERT_EQ(-ENOSPC, cti_ioctl(self->sim.fd, CTI_IOC_SNAPSHOT, &snap));
	ASSERT_EQ(4, snap.num_lines);
	snap.num_lines = 4;
	ASSERT_EQ(0, cti_ioctl(self->sim.fd, CTI_IOC_SNAPSHOT, &snap));
	ASSERT_EQ(4, snap.num_lines);
	ASSERT_EQ(0, snap.num_calls);
	ASSERT_EQ(3, lines[3].line);
}

TEST_F(card, rdonly)
{
	struct cti_card_info ci;
	struct cti_request req;
	int fd;

	fd = cti_sim_open(&self->sim, O_RDONLY);
	ASSERT_LE(0, fd);
	/* Watching is allowed. */
	ASSERT_EQ(0, cti_card_info(fd, &ci));
	cti_req_init(&req, CTI_CMD_SET_DND, 1, 0);
	req.arg = 1;
	ASSERT_EQ(-EBADF, cti_submit(fd, &req));
	/* A valid request still works on an O_RDWR file. */
	ASSERT_EQ(0, cti_submit(self->sim.fd, &req));
	ASSERT_EQ(0, cti_wait_reply(&self->sim.st, 1, NULL, NULL, REPLY_MS));
	close(fd);

	/* O_WRONLY cannot read or map the ring; it is refused at open or read. */
	fd = cti_sim_open(&self->sim, O_WRONLY);
	if (fd >= 0) {
		char buf[256];

		ASSERT_EQ(-1, read(fd, buf, sizeof(buf)));
		ASSERT_EQ(EBADF, errno);
		close(fd);
	}
}

TEST_F(card, mmap_args)
{
	struct cti_ring_info ri;
	void *m;

	ASSERT_EQ(0, cti_ring_get_info(self->sim.fd, &ri));
	ASSERT_EQ(sizeof(ri), ri.size);
	ASSERT_NE(0, ri.ring_size);
	ASSERT_EQ(0, ri.ring_size & (ri.ring_size - 1));
	ASSERT_LE((uint64_t)ri.data_off + ri.ring_size, ri.mmap_size);
	ASSERT_EQ(0, ri.data_off % 8);
	ASSERT_EQ(0, ri.overflow_off % 8);
	/* Past the end, or at a non-zero offset: refused. */
	m = mmap(NULL, ri.mmap_size + 2 * sysconf(_SC_PAGESIZE),
		 PROT_READ | PROT_WRITE, MAP_SHARED, self->sim.fd, 0);
	ASSERT_EQ(MAP_FAILED, m);
	ASSERT_EQ(EINVAL, errno);
	m = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED,
		 self->sim.fd, sysconf(_SC_PAGESIZE));
	ASSERT_EQ(MAP_FAILED, m);
	ASSERT_EQ(EINVAL, errno);
	m = mmap(NULL, ri.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->sim.fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	ASSERT_EQ(ri.ring_size - 1,
		  *(uint32_t *)((uint8_t *)m + ri.mask_off));
	munmap(m, ri.mmap_size);
}

TEST_HARNESS_MAIN
