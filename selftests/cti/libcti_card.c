// SPDX-License-Identifier: GPL-2.0
/*
 * libcti_card: libcti's card layer (lib/cti_card.h) against cti_sim
 *
 * Every function of the card layer and every error it documents, through
 * the library only (the kernel ABI is read here just to make the sim
 * cards): open by path and by index, ENOENT/ENOTTY/EINVAL at open, the
 * card, line and phone descriptions, a submit whose REPLY carries its
 * request id, the kernel's EINVAL/E2BIG/EOPNOTSUPP/ENOENT/EBADF/EFAULT
 * passed through, the mmap'd ring drained in batches against the read()
 * fallback (the same events), filters, a snapshot, a flood that overflows
 * the ring (one explicit gap event whose count makes up exactly the
 * records missing), unplug in the middle of a drain (CARD_REMOVED last,
 * then ENODEV from every call), a descriptor closed behind the library's
 * back, and the netlink side: the list of cards and a monitor seeing a
 * card arrive, its link change and the card leave.
 *
 * Linked statically against build/lib/libcti.a and libnl: the guest has
 * no shared libraries.
 */
#include "cti_test.h"
#include "kselftest_harness.h"

#include "cti_card.h"

#define WAIT_MS		10000
#define FLOOD_N		5000

/* What a test remembers of an event, copied through the accessors. */
struct rec {
	uint32_t type, line, call, state, reason, arg, cmd, origin, related;
	uint32_t fwd, ncalls;
	int dnd;
	uint64_t seq, id, lost, changed, ts;
	int error;
	char text[CTI_NUMBER_MAX + 1];
	char caller[CTI_NUMBER_MAX], called[CTI_NUMBER_MAX];
	uint8_t data[16];
	size_t data_len;
};

/*
 * The events read so far. collect() looks for the next match from
 * @cursor on, so that events read in the same batch after a match are
 * kept for the next collect(); @last is the index of the last match.
 */
struct log {
	size_t n, cap, cursor, last;
	struct rec *r;
};

static void log_reset(struct log *l)
{
	l->n = l->cursor = l->last = 0;
}

static void log_init(struct log *l)
{
	log_reset(l);
	l->cap = 16384;
	l->r = calloc(l->cap, sizeof(*l->r));
}

static void log_free(struct log *l)
{
	free(l->r);
	l->r = NULL;
}

static void log_add(struct log *l, const struct cti_card_event *ev)
{
	struct rec *r;
	const void *data;

	if (l->n == l->cap)
		return;
	r = &l->r[l->n++];
	r->type = cti_card_event_get_type(ev);
	r->line = cti_card_event_get_line(ev);
	r->seq = cti_card_event_get_seq(ev);
	r->call = cti_card_event_get_call(ev);
	r->state = cti_card_event_get_state(ev);
	r->reason = cti_card_event_get_reason(ev);
	r->arg = cti_card_event_get_arg(ev);
	r->cmd = cti_card_event_get_cmd(ev);
	r->id = cti_card_event_get_request_id(ev);
	r->error = cti_card_event_get_error(ev);
	r->lost = cti_card_event_get_lost(ev);
	r->origin = cti_card_event_get_origin(ev);
	r->related = cti_card_event_get_related_call(ev);
	r->changed = cti_card_event_get_changed(ev);
	r->ts = cti_card_event_get_timestamp_ns(ev);
	r->fwd = cti_card_event_get_forward_mode(ev);
	r->ncalls = cti_card_event_get_num_calls(ev);
	r->dnd = cti_card_event_get_dnd(ev);
	/* the names are empty on the sim; the accessors must still answer */
	if (!cti_card_event_get_caller_name(ev) ||
	    !cti_card_event_get_called_name(ev))
		r->type = ~0u;
	snprintf(r->text, sizeof(r->text), "%s", cti_card_event_get_text(ev));
	snprintf(r->caller, sizeof(r->caller), "%s",
		 cti_card_event_get_caller(ev));
	snprintf(r->called, sizeof(r->called), "%s",
		 cti_card_event_get_called(ev));
	r->data_len = cti_card_event_get_data(ev, &data);
	if (r->data_len)
		memcpy(r->data, data, r->data_len < 16 ? r->data_len : 16);
}

/*
 * Find the next event of type @type (for REPLY: with request id @id) in
 * @l, reading batches of @batch into it as needed, for up to @timeout_ms.
 * Returns 0 with @l->last its index, the library's error, or -ETIMEDOUT.
 */
static int collect(struct cti_card *card, struct cti_card_event_buffer *buf,
		   size_t batch, struct log *l, uint32_t type, uint64_t id,
		   int timeout_ms)
{
	int64_t end = cti_now_ms() + timeout_ms;

	for (;;) {
		int n;

		for (; l->cursor < l->n; l->cursor++) {
			const struct rec *e = &l->r[l->cursor];

			if (e->type == type &&
			    (type != CTI_EV_REPLY || e->id == id)) {
				l->last = l->cursor++;
				return 0;
			}
		}
		n = cti_card_read_events(card, buf, batch);
		if (n < 0)
			return n;
		for (int i = 0; i < n; i++)
			log_add(l, cti_card_event_buffer_get_event(buf, i));
		if (n == 0) {
			int left = end - cti_now_ms();

			if (left <= 0)
				return -ETIMEDOUT;
			cti_poll(cti_card_get_fd(card), POLLIN, left);
		}
	}
}

/* Drain everything there is now (until an empty read after a quiet poll). */
static int drain_all(struct cti_card *card, struct cti_card_event_buffer *buf,
		     size_t batch, struct log *l)
{
	for (;;) {
		int n = cti_card_read_events(card, buf, batch);

		if (n < 0)
			return n;
		for (int i = 0; i < n; i++)
			log_add(l, cti_card_event_buffer_get_event(buf, i));
		if (n == 0 && cti_poll(cti_card_get_fd(card), POLLIN, 200) <= 0)
			return 0;
	}
}

/*
 * Drain with the library alone, no poll() of ours in between: whatever
 * the kernel needs to hear before it writes a pending OVERFLOW record,
 * the library must do itself.
 */
static int drain_nopoll(struct cti_card *card,
			struct cti_card_event_buffer *buf, size_t batch,
			struct log *l)
{
	int n;

	while ((n = cti_card_read_events(card, buf, batch)) > 0)
		for (int i = 0; i < n; i++)
			log_add(l, cti_card_event_buffer_get_event(buf, i));
	return n;
}

static int flood_wait(struct cti_sim *sim, unsigned int n)
{
	int64_t end = cti_now_ms() + 20000;
	uint64_t left;
	int ret;

	ret = cti_sim_ctl(sim, "flood", "%u", n);
	if (ret)
		return ret;
	do {
		ret = cti_sim_ctl_read_u64(sim, "flood", &left);
		if (ret || !left)
			return ret;
		cti_sleep_ms(2);
	} while (cti_now_ms() < end);
	return -ETIMEDOUT;
}

static void dev_path(const struct cti_sim *sim, char *path, size_t size)
{
	snprintf(path, size, "/dev/%s", sim->dev);
}

static unsigned int dev_index(const struct cti_sim *sim)
{
	return (unsigned int)strtoul(sim->dev + 3, NULL, 10);
}

static struct cti_card_request request(uint16_t cmd, uint64_t id,
				       uint32_t line, const char *s)
{
	struct cti_card_request r = {
		.size = sizeof(r), .cmd = cmd, .id = id, .line = line,
		.data = s, .data_len = s ? strlen(s) : 0,
	};

	return r;
}

FIXTURE(card) {
	struct cti_sim sim;
	struct cti_card *card;
	struct cti_card_event_buffer *buf;
	struct log log;
	char path[64];
};

FIXTURE_SETUP(card)
{
	ASSERT_EQ(0, cti_sim_create(&self->sim, 4, 2, "call"));
	dev_path(&self->sim, self->path, sizeof(self->path));
	ASSERT_EQ(0, cti_card_open(self->path, 0, &self->card));
	ASSERT_EQ(0, cti_card_event_buffer_new(16, &self->buf));
	log_init(&self->log);
}

FIXTURE_TEARDOWN(card)
{
	cti_card_close(self->card);
	cti_card_event_buffer_free(self->buf);
	log_free(&self->log);
	cti_sim_destroy(&self->sim);
}

TEST_F(card, open)
{
	struct cti_card *c = NULL;

	EXPECT_STREQ(self->path, cti_card_get_path(self->card));
	EXPECT_EQ(1, cti_card_uses_ring(self->card));
	EXPECT_LE(0, cti_card_get_fd(self->card));

	ASSERT_EQ(0, cti_card_open_index(dev_index(&self->sim),
					 CTI_CARD_OPEN_NO_MMAP, &c));
	EXPECT_STREQ(self->path, cti_card_get_path(c));
	EXPECT_EQ(0, cti_card_uses_ring(c));
	cti_card_close(c);
	ASSERT_EQ(0, cti_card_open(self->path, CTI_CARD_OPEN_WATCH, &c));
	EXPECT_EQ(0, cti_card_uses_ring(c));
	cti_card_close(c);
	cti_card_close(NULL);

	EXPECT_EQ(-ENOENT, cti_card_open("/dev/cti-no-such-card", 0, &c));
	EXPECT_EQ(-ENOENT, cti_card_open_index(4000, 0, &c));
	EXPECT_EQ(-ENOTTY, cti_card_open("/dev/null", 0, &c));
	EXPECT_EQ(-EINVAL, cti_card_open(self->path, 1u << 7, &c));
	EXPECT_EQ(-EINVAL, cti_card_open(NULL, 0, &c));
	EXPECT_EQ(-EINVAL, cti_card_open(self->path, 0, NULL));
}

TEST_F(card, info)
{
	struct cti_card_desc *d;
	struct cti_card_line_info *li;
	struct cti_card_phone_info *pi;

	ASSERT_EQ(0, cti_card_get_desc(self->card, &d));
	EXPECT_EQ(dev_index(&self->sim), cti_card_desc_get_index(d));
	EXPECT_STREQ(self->sim.name, cti_card_desc_get_name(d));
	EXPECT_STREQ("cti_sim", cti_card_desc_get_driver(d));
	EXPECT_NE(NULL, cti_card_desc_get_vendor(d));
	EXPECT_NE(NULL, cti_card_desc_get_serial(d));
	EXPECT_EQ(CTI_FEAT_RING | CTI_FEAT_READ | CTI_FEAT_SNAPSHOT |
		  CTI_FEAT_FILTER,
		  cti_card_desc_get_features(d) &
		  (CTI_FEAT_RING | CTI_FEAT_READ | CTI_FEAT_SNAPSHOT |
		   CTI_FEAT_FILTER));
	EXPECT_TRUE(cti_card_desc_get_caps(d) & CTI_CARD_CAP_CALL_CONTROL);
	EXPECT_TRUE(cti_card_desc_get_caps(d) & CTI_CARD_CAP_PHONES);
	EXPECT_EQ(4, cti_card_desc_get_num_lines(d));
	EXPECT_EQ(2, cti_card_desc_get_num_phones(d));
	EXPECT_EQ(CTI_LINK_UP, cti_card_desc_get_link_state(d));
	cti_card_desc_free(d);
	cti_card_desc_free(NULL);

	ASSERT_EQ(0, cti_card_get_line_info(self->card, 1, &li));
	EXPECT_EQ(1, cti_card_line_info_get_line(li));
	EXPECT_NE(NULL, cti_card_line_info_get_name(li));
	EXPECT_TRUE(cti_card_line_info_get_ops(li) &
		    (1ULL << CTI_CMD_MAKE_CALL));
	EXPECT_EQ(CTI_LINE_IN_SERVICE, cti_card_line_info_get_status(li));
	ASSERT_EQ(1, cti_card_line_info_get_num_addresses(li));
	EXPECT_STREQ("101", cti_card_line_info_get_address(li, 0));
	EXPECT_EQ(NULL, cti_card_line_info_get_address(li, 1));
	EXPECT_EQ(0, cti_card_line_info_get_num_calls(li));
	EXPECT_EQ(3, cti_card_line_info_get_max_calls(li));
	cti_card_line_info_free(li);
	EXPECT_EQ(-ENOENT, cti_card_get_line_info(self->card, 4, &li));

	ASSERT_EQ(0, cti_card_get_phone_info(self->card, 1, &pi));
	EXPECT_EQ(1, cti_card_phone_info_get_phone(pi));
	EXPECT_NE(NULL, cti_card_phone_info_get_name(pi));
	EXPECT_TRUE(cti_card_phone_info_get_hookswitches(pi) &
		    CTI_HOOKSWITCH_HANDSET);
	EXPECT_LE(12, cti_card_phone_info_get_num_buttons(pi));
	EXPECT_EQ(4, cti_card_phone_info_get_num_lamps(pi));
	EXPECT_EQ(2, cti_card_phone_info_get_display_rows(pi));
	EXPECT_EQ(40, cti_card_phone_info_get_display_cols(pi));
	EXPECT_EQ(1, cti_card_phone_info_get_line(pi));
	cti_card_phone_info_free(pi);
	EXPECT_EQ(-ENOENT, cti_card_get_phone_info(self->card, 2, &pi));
	EXPECT_EQ(-EINVAL, cti_card_get_desc(self->card, NULL));
}

/* MAKE_CALL 0 -> 101: REPLY(id, call=a) first, then 0:DIALING
 * 1:OFFERING 0:RINGBACK (kernel/sim/README.md), with CALL_INFO. */
TEST_F(card, submit_reply)
{
	struct cti_card_request r = request(CTI_CMD_MAKE_CALL, 0xfeed0001, 0,
					    "101");
	const struct rec *reply = NULL;
	uint32_t states[8], lines[8], ns = 0, call;
	bool info = false;

	ASSERT_EQ(0, cti_card_submit(self->card, &r));
	ASSERT_EQ(0, collect(self->card, self->buf, 16, &self->log,
			     CTI_EV_REPLY, 0xfeed0001, WAIT_MS));
	reply = &self->log.r[self->log.last];
	EXPECT_EQ(0, reply->error);
	EXPECT_EQ(CTI_CMD_MAKE_CALL, reply->cmd);
	EXPECT_EQ(0, reply->line);
	call = reply->call;
	EXPECT_NE(CTI_CALL_NONE, call);
	/* everything up to RINGBACK on line 0 */
	for (;;) {
		const struct rec *e;

		ASSERT_EQ(0, collect(self->card, self->buf, 16, &self->log,
				     CTI_EV_CALL_STATE, 0, WAIT_MS));
		e = &self->log.r[self->log.last];
		ASSERT_GT(8, ns);
		states[ns] = e->state;
		lines[ns++] = e->line;
		if (e->line == 0 && e->state == CTI_CALL_RINGBACK)
			break;
	}
	for (size_t i = 0; i < self->log.n; i++)
		if (self->log.r[i].type == CTI_EV_CALL_INFO &&
		    self->log.r[i].call == call) {
			EXPECT_STREQ("100", self->log.r[i].caller);
			EXPECT_STREQ("101", self->log.r[i].called);
			EXPECT_EQ(CTI_ORIGIN_INTERNAL, self->log.r[i].origin);
			EXPECT_TRUE(self->log.r[i].changed &
				    CTI_CALL_INFO_CALLER);
			EXPECT_EQ(CTI_CALL_NONE, self->log.r[i].related);
			EXPECT_NE(0, self->log.r[i].ts);
			info = true;
		}
	EXPECT_TRUE(info);
	ASSERT_EQ(3, ns);
	EXPECT_EQ(CTI_CALL_DIALING, states[0]);
	EXPECT_EQ(0, lines[0]);
	EXPECT_EQ(CTI_CALL_OFFERING, states[1]);
	EXPECT_EQ(1, lines[1]);
	EXPECT_EQ(CTI_CALL_RINGBACK, states[2]);

	/* an asynchronous failure: the REPLY carries it */
	r = request(CTI_CMD_ANSWER, 0xfeed0002, 2, NULL);
	r.call = 999;
	ASSERT_EQ(0, cti_card_submit(self->card, &r));
	ASSERT_EQ(0, collect(self->card, self->buf, 16, &self->log,
			     CTI_EV_REPLY, 0xfeed0002, WAIT_MS));
	EXPECT_EQ(-ENOENT, self->log.r[self->log.last].error);
}

/* What the kernel refuses comes back unchanged. */
TEST_F(card, submit_errors)
{
	struct {
		struct cti_card_request r;
		uint64_t tail[2];
	} big;
	struct cti_card_request r;
	struct cti_card *watch;

	r = request(200, 1, 0, NULL);
	EXPECT_EQ(-EINVAL, cti_card_submit(self->card, &r));
	r = request(CTI_CMD_MAKE_CALL, 1, 0, "12a");
	EXPECT_EQ(-EINVAL, cti_card_submit(self->card, &r));
	r = request(CTI_CMD_MAKE_CALL, 1, 0, "101");
	r.flags = 1;
	EXPECT_EQ(-EINVAL, cti_card_submit(self->card, &r));
	r = request(CTI_CMD_MAKE_CALL, 1, 0, "101");
	r.__reserved[1] = 1;
	EXPECT_EQ(-EINVAL, cti_card_submit(self->card, &r));
	r = request(CTI_CMD_MAKE_CALL, 1, 0, "101");
	r.size = 8;
	EXPECT_EQ(-EINVAL, cti_card_submit(self->card, &r));
	r = request(CTI_CMD_MAKE_CALL, 1, 4, "101");
	EXPECT_EQ(-ENOENT, cti_card_submit(self->card, &r));
	r = request(CTI_CMD_SEND_LINK_FRAME, 1, 0, "frame");
	EXPECT_EQ(-EOPNOTSUPP, cti_card_submit(self->card, &r));
	r = request(CTI_CMD_MAKE_CALL, 1, 0, NULL);
	r.data = (const void *)8;
	r.data_len = 3;
	EXPECT_EQ(-EFAULT, cti_card_submit(self->card, &r));
	EXPECT_EQ(-EINVAL, cti_card_submit(self->card, NULL));

	/* a newer program's struct: a zero tail is fine, else E2BIG */
	memset(&big, 0, sizeof(big));
	big.r = request(CTI_CMD_SET_DND, 7, 0, NULL);
	big.r.size = sizeof(big);
	big.r.arg = 1;
	EXPECT_EQ(0, cti_card_submit(self->card, &big.r));
	big.tail[1] = 1;
	EXPECT_EQ(-E2BIG, cti_card_submit(self->card, &big.r));
	ASSERT_EQ(0, collect(self->card, self->buf, 16, &self->log,
			     CTI_EV_REPLY, 7, WAIT_MS));
	EXPECT_EQ(0, self->log.r[self->log.last].error);

	/* a watcher may not act */
	ASSERT_EQ(0, cti_card_open(self->path, CTI_CARD_OPEN_WATCH, &watch));
	r = request(CTI_CMD_MAKE_CALL, 1, 0, "101");
	EXPECT_EQ(-EBADF, cti_card_submit(watch, &r));
	cti_card_close(watch);
}

/* Every event type the sim can make, through the accessors. */
TEST_F(card, event_fields)
{
	struct cti_card_request r;
	const struct rec *e;
	struct cti_sim link;
	struct cti_card *lc;
	char lpath[64];

	r = request(CTI_CMD_SET_FORWARD, 11, 2, "103");
	r.arg = CTI_FORWARD_UNCONDITIONAL;
	ASSERT_EQ(0, cti_card_submit(self->card, &r));
	ASSERT_EQ(0, collect(self->card, self->buf, 16, &self->log,
			     CTI_EV_LINE_STATUS, 0, WAIT_MS));
	e = &self->log.r[self->log.last];
	EXPECT_EQ(2, e->line);
	EXPECT_STREQ("103", e->text);
	EXPECT_EQ(CTI_LINE_IN_SERVICE, e->state);
	EXPECT_EQ(CTI_FORWARD_UNCONDITIONAL, e->fwd);
	EXPECT_EQ(0, e->dnd);
	EXPECT_EQ(0, e->ncalls);

	r = request(CTI_CMD_SET_HOOK, 12, 1, NULL);
	r.arg = CTI_HOOKSWITCH_HANDSET;
	r.arg2 = CTI_HOOK_MICSPEAKER;
	ASSERT_EQ(0, cti_card_submit(self->card, &r));
	ASSERT_EQ(0, collect(self->card, self->buf, 16, &self->log,
			     CTI_EV_PHONE_HOOK, 0, WAIT_MS));
	e = &self->log.r[self->log.last];
	EXPECT_EQ(1, e->line);
	EXPECT_EQ(CTI_HOOKSWITCH_HANDSET, e->arg);
	EXPECT_EQ(CTI_HOOK_MICSPEAKER, e->state);

	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "link", "down"));
	ASSERT_EQ(0, collect(self->card, self->buf, 16, &self->log,
			     CTI_EV_LINK_STATE, 0, WAIT_MS));
	EXPECT_EQ(CTI_LINK_DOWN, self->log.r[self->log.last].state);
	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "link", "up"));

	ASSERT_EQ(0, cti_sim_ctl(&self->sim, "flood", "1"));
	ASSERT_EQ(0, collect(self->card, self->buf, 16, &self->log,
			     CTI_EV_DIGITS, 0, WAIT_MS));
	EXPECT_EQ(0, self->log.r[self->log.last].line);

	/* a link card echoes a frame */
	ASSERT_EQ(0, cti_sim_create(&link, 1, 0, "link"));
	dev_path(&link, lpath, sizeof(lpath));
	ASSERT_EQ(0, cti_card_open(lpath, 0, &lc));
	r = request(CTI_CMD_SEND_LINK_FRAME, 13, 0, "frame!");
	ASSERT_EQ(0, cti_card_submit(lc, &r));
	log_reset(&self->log);
	ASSERT_EQ(0, collect(lc, self->buf, 16, &self->log,
			     CTI_EV_LINK_FRAME, 0, WAIT_MS));
	e = &self->log.r[self->log.last];
	EXPECT_EQ(6, e->data_len);
	EXPECT_EQ(0, memcmp(e->data, "frame!", 6));
	cti_card_close(lc);
	cti_sim_destroy(&link);

	/* the buffer's own API */
	{
		struct cti_card_event_buffer *b;

		EXPECT_EQ(-EINVAL, cti_card_event_buffer_new(0, &b));
		EXPECT_EQ(-EINVAL, cti_card_event_buffer_new(65537, &b));
		EXPECT_EQ(16, cti_card_event_buffer_get_capacity(self->buf));
		EXPECT_EQ(NULL, cti_card_event_buffer_get_event(self->buf,
			cti_card_event_buffer_get_num_events(self->buf)));
		EXPECT_STREQ("CARD_REMOVED",
			     cti_card_event_type_name(CTI_EV_CARD_REMOVED));
		EXPECT_EQ(-EINVAL, cti_card_read_events(self->card, NULL, 0));
	}
}

/*
 * The same records through the ring, in batches of 7, and through read():
 * identical types, sequence numbers, lines and digits.
 */
TEST_F(card, ring_and_read_agree)
{
	struct cti_card *rd;
	struct log l2;
	size_t digits = 0;

	ASSERT_EQ(0, cti_card_open(self->path, CTI_CARD_OPEN_NO_MMAP, &rd));
	log_init(&l2);
	ASSERT_EQ(0, flood_wait(&self->sim, 300));
	ASSERT_EQ(0, drain_all(self->card, self->buf, 7, &self->log));
	ASSERT_EQ(0, drain_all(rd, self->buf, 16, &l2));
	ASSERT_EQ(self->log.n, l2.n);
	for (size_t i = 0; i < l2.n; i++) {
		const struct rec *a = &self->log.r[i], *b = &l2.r[i];

		ASSERT_EQ(a->type, b->type);
		ASSERT_EQ(a->seq, b->seq);
		ASSERT_EQ(a->line, b->line);
		ASSERT_EQ(0, memcmp(a->text, b->text, sizeof(a->text)));
		EXPECT_EQ(i + 1, a->seq);
		EXPECT_EQ(a->ts, b->ts);
		digits += a->type == CTI_EV_DIGITS;
	}
	EXPECT_EQ(300, digits);
	log_free(&l2);
	cti_card_close(rd);
}

/* Only CALL_STATE of line 1, plus the REPLY that always comes. */
TEST_F(card, filter)
{
	uint64_t bitmap = 1ULL << 1;
	struct cti_card_request r = request(CTI_CMD_MAKE_CALL, 21, 0, "101");
	size_t n_state = 0;

	ASSERT_EQ(0, cti_card_set_filter(self->card,
					 1ULL << CTI_EV_CALL_STATE, &bitmap,
					 64));
	ASSERT_EQ(0, cti_card_submit(self->card, &r));
	ASSERT_EQ(0, collect(self->card, self->buf, 16, &self->log,
			     CTI_EV_CALL_STATE, 0, WAIT_MS));
	ASSERT_EQ(0, drain_all(self->card, self->buf, 16, &self->log));
	for (size_t i = 0; i < self->log.n; i++) {
		const struct rec *e = &self->log.r[i];

		if (e->type == CTI_EV_REPLY)
			continue;
		EXPECT_EQ(CTI_EV_CALL_STATE, e->type);
		EXPECT_EQ(1, e->line);
		n_state++;
	}
	EXPECT_EQ(1, n_state);

	EXPECT_EQ(-EINVAL, cti_card_set_filter(self->card, 1ULL << 63,
					       NULL, 0));
	EXPECT_EQ(-EINVAL, cti_card_set_filter(self->card, CTI_CARD_EV_ALL,
					       NULL, 64));
	EXPECT_EQ(-EINVAL, cti_card_set_filter(self->card, CTI_CARD_EV_ALL,
					       &bitmap, 128));
	EXPECT_EQ(0, cti_card_set_filter(self->card, CTI_CARD_EV_ALL, NULL, 0));
}

TEST_F(card, snapshot)
{
	struct cti_card_request r = request(CTI_CMD_MAKE_CALL, 31, 0, "101");
	struct cti_card_snapshot *s;
	uint64_t last_seq = 0;
	size_t i;
	bool ringback = false, offering = false;

	ASSERT_EQ(0, cti_card_submit(self->card, &r));
	do {
		ASSERT_EQ(0, collect(self->card, self->buf, 16, &self->log,
				     CTI_EV_CALL_STATE, 0, WAIT_MS));
	} while (self->log.r[self->log.last].state != CTI_CALL_RINGBACK);
	last_seq = self->log.r[self->log.last].seq;

	ASSERT_EQ(0, cti_card_snapshot(self->card, &s));
	EXPECT_LE(last_seq, cti_card_snapshot_get_seq(s));
	ASSERT_EQ(4, cti_card_snapshot_get_num_lines(s));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(i, cti_card_snapshot_get_line(s, i));
		EXPECT_EQ(CTI_LINE_IN_SERVICE,
			  cti_card_snapshot_get_line_status(s, i));
		EXPECT_EQ(i < 2 ? 1 : 0,
			  cti_card_snapshot_get_line_num_calls(s, i));
		EXPECT_EQ(CTI_FORWARD_NONE,
			  cti_card_snapshot_get_line_forward_mode(s, i));
		EXPECT_STREQ("", cti_card_snapshot_get_line_forward_to(s, i));
		EXPECT_EQ(0, cti_card_snapshot_get_line_dnd(s, i));
	}
	ASSERT_EQ(2, cti_card_snapshot_get_num_calls(s));
	for (i = 0; i < 2; i++) {
		uint32_t line = cti_card_snapshot_get_call_line(s, i);
		uint32_t st = cti_card_snapshot_get_call_state(s, i);

		EXPECT_NE(CTI_CALL_NONE, cti_card_snapshot_get_call(s, i));
		EXPECT_EQ(CTI_ORIGIN_INTERNAL,
			  cti_card_snapshot_get_call_origin(s, i));
		EXPECT_STREQ("100", cti_card_snapshot_get_call_caller(s, i));
		EXPECT_STREQ("101", cti_card_snapshot_get_call_called(s, i));
		EXPECT_EQ(0, cti_card_snapshot_get_call_reason(s, i));
		EXPECT_EQ(CTI_CALL_NONE, cti_card_snapshot_get_call_related(s, i));
		ringback |= line == 0 && st == CTI_CALL_RINGBACK;
		offering |= line == 1 && st == CTI_CALL_OFFERING;
	}
	EXPECT_TRUE(ringback);
	EXPECT_TRUE(offering);
	/* out of range: zeros */
	EXPECT_EQ(0, cti_card_snapshot_get_call(s, 2));
	EXPECT_STREQ("", cti_card_snapshot_get_call_caller(s, 99));
	EXPECT_EQ(0, cti_card_snapshot_get_line(s, 4));
	cti_card_snapshot_free(s);
	cti_card_snapshot_free(NULL);
}

static const struct cti_card_desc *find(const struct cti_card_list *l,
					const char *name)
{
	for (size_t i = 0; i < cti_card_list_get_count(l); i++)
		if (!strcmp(cti_card_desc_get_name(cti_card_list_get_desc(l, i)),
			    name))
			return cti_card_list_get_desc(l, i);
	return NULL;
}

/*
 * A flood larger than the ring, read neither way until it is over: the
 * DIGITS that arrive plus the counts of the gap events make up exactly
 * the records posted, with ring and read() alike, and the gap is one
 * explicit OVERFLOW event, never a silent jump. Drained without a poll()
 * of the test's: the gap must come out of the library's reads alone.
 */
TEST_F(card, overflow_gap)
{
	struct cti_card *rd;
	struct log l2;
	struct log *logs[2] = { &self->log, &l2 };
	struct cti_card *cards[2] = { self->card, NULL };

	struct cti_card_list *list;
	const struct cti_card_desc *d;
	struct cti_card_desc *own;
	uint64_t card_lost = 0, nl_lost = 0;

	/* The helper's own file would lose records too: these two only. */
	close(self->sim.fd);
	self->sim.fd = -1;
	ASSERT_EQ(0, cti_card_open(self->path, CTI_CARD_OPEN_NO_MMAP, &rd));
	cards[1] = rd;
	log_init(&l2);
	ASSERT_EQ(0, flood_wait(&self->sim, FLOOD_N));
	for (int k = 0; k < 2; k++) {
		uint64_t digits = 0, lost = 0, gaps = 0, prev = 0;

		ASSERT_EQ(0, drain_nopoll(cards[k], self->buf, 16, logs[k]));
		for (size_t i = 0; i < logs[k]->n; i++) {
			const struct rec *e = &logs[k]->r[i];

			digits += e->type == CTI_EV_DIGITS;
			if (e->type == CTI_EV_OVERFLOW) {
				gaps++;
				lost += e->lost;
				EXPECT_EQ(CTI_LINE_NONE, e->line);
			}
			/* sequence numbers never jump: loss is the event */
			EXPECT_EQ(prev + 1, e->seq);
			prev = e->seq;
		}
		TH_LOG("%s: %llu digits, %llu lost in %llu gap event(s)",
		       k ? "read()" : "ring", (unsigned long long)digits,
		       (unsigned long long)lost, (unsigned long long)gaps);
		EXPECT_LE(1, gaps);
		EXPECT_LT(0, lost);
		EXPECT_EQ(FLOOD_N, digits + lost);
		/* the file's own count: the gap events' */
		EXPECT_EQ(lost, cti_card_get_lost(cards[k]));
		card_lost += lost;
	}
	/* the card's count through netlink: both files' losses */
	ASSERT_EQ(0, cti_card_list_new(&list));
	d = find(list, self->sim.name);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(0, cti_card_desc_get_lost(d, &nl_lost));
	EXPECT_EQ(card_lost, nl_lost);
	cti_card_list_free(list);
	/* a description made by CARD_INFO does not carry it */
	ASSERT_EQ(0, cti_card_get_desc(self->card, &own));
	nl_lost = 42;
	EXPECT_EQ(-ENODATA, cti_card_desc_get_lost(own, &nl_lost));
	EXPECT_EQ(42, nl_lost);
	cti_card_desc_free(own);
	log_free(&l2);
	cti_card_close(rd);
}

/*
 * Unplug with records still waiting: they come out, CARD_REMOVED last,
 * then every call answers ENODEV; poll says POLLHUP | POLLERR. Both
 * ways of reading.
 */
TEST_F(card, unplug_mid_drain)
{
	struct cti_card *rd, *cards[2];
	struct cti_card_request r = request(CTI_CMD_MAKE_CALL, 41, 0, "101");
	struct cti_card_desc *d;
	struct cti_card_line_info *li;
	struct cti_card_phone_info *pi;
	struct cti_card_snapshot *s;
	uint64_t bitmap = 1;

	ASSERT_EQ(0, cti_card_open(self->path, CTI_CARD_OPEN_NO_MMAP, &rd));
	cards[0] = self->card;
	cards[1] = rd;
	ASSERT_EQ(0, flood_wait(&self->sim, 200));
	/* one batch each, then the card goes */
	ASSERT_EQ(10, cti_card_read_events(self->card, self->buf, 10));
	ASSERT_EQ(10, cti_card_read_events(rd, self->buf, 10));
	ASSERT_EQ(0, cti_sim_destroy(&self->sim));
	/* before CARD_REMOVED is read: the kernel's own ENODEV */
	EXPECT_EQ(-ENODEV, cti_card_submit(self->card, &r));
	EXPECT_EQ(-ENODEV, cti_card_submit(rd, &r));

	for (int k = 0; k < 2; k++) {
		struct cti_card *c = cards[k];
		size_t digits = 10;
		int n;

		log_reset(&self->log);
		ASSERT_EQ(0, collect(c, self->buf, 16, &self->log,
				     CTI_EV_CARD_REMOVED, 0, WAIT_MS));
		for (size_t i = 0; i + 1 < self->log.n; i++)
			digits += self->log.r[i].type == CTI_EV_DIGITS;
		EXPECT_EQ(200, digits);
		n = cti_card_read_events(c, self->buf, 0);
		EXPECT_EQ(-ENODEV, n);
		EXPECT_EQ(0, cti_card_event_buffer_get_num_events(self->buf));
		EXPECT_EQ(POLLHUP | POLLERR,
			  cti_poll(cti_card_get_fd(c), POLLIN, 0) &
			  (POLLHUP | POLLERR));
		EXPECT_EQ(-ENODEV, cti_card_submit(c, &r));
		EXPECT_EQ(-ENODEV, cti_card_get_desc(c, &d));
		EXPECT_EQ(-ENODEV, cti_card_get_line_info(c, 0, &li));
		EXPECT_EQ(-ENODEV, cti_card_get_phone_info(c, 0, &pi));
		EXPECT_EQ(-ENODEV, cti_card_set_filter(c, CTI_CARD_EV_ALL,
						       &bitmap, 64));
		EXPECT_EQ(-ENODEV, cti_card_snapshot(c, &s));
	}
	cti_card_close(cards[1]);
}

/* The descriptor closed behind the library's back: EBADF, no crash. */
TEST_F(card, bad_fd)
{
	struct cti_card_request r = request(CTI_CMD_MAKE_CALL, 51, 0, "101");
	struct cti_card *c;
	struct cti_card_desc *d;
	struct cti_card_snapshot *s;

	ASSERT_EQ(0, cti_card_open(self->path, CTI_CARD_OPEN_NO_MMAP, &c));
	ASSERT_EQ(0, close(cti_card_get_fd(c)));
	EXPECT_EQ(-EBADF, cti_card_get_desc(c, &d));
	EXPECT_EQ(-EBADF, cti_card_submit(c, &r));
	EXPECT_EQ(-EBADF, cti_card_set_filter(c, CTI_CARD_EV_ALL, NULL, 0));
	EXPECT_EQ(-EBADF, cti_card_snapshot(c, &s));
	EXPECT_EQ(-EBADF, cti_card_read_events(c, self->buf, 0));
	cti_card_close(c);	/* closes a closed fd: harmless */
}

/* ---- netlink ------------------------------------------------------- */

TEST(netlink_list)
{
	struct cti_sim a, b;
	struct cti_card_list *l;
	const struct cti_card_desc *d;
	uint64_t lost = 1;

	ASSERT_EQ(0, cti_sim_create(&a, 3, 1, "call"));
	ASSERT_EQ(0, cti_sim_create(&b, 1, 0, "link"));
	ASSERT_EQ(0, cti_card_list_new(&l));
	EXPECT_LE(2, cti_card_list_get_count(l));
	EXPECT_EQ(NULL, cti_card_list_get_desc(l, cti_card_list_get_count(l)));
	d = find(l, a.name);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(dev_index(&a), cti_card_desc_get_index(d));
	EXPECT_EQ(3, cti_card_desc_get_num_lines(d));
	EXPECT_EQ(1, cti_card_desc_get_num_phones(d));
	EXPECT_STREQ("cti_sim", cti_card_desc_get_driver(d));
	EXPECT_TRUE(cti_card_desc_get_caps(d) & CTI_CARD_CAP_CALL_CONTROL);
	EXPECT_EQ(CTI_LINK_UP, cti_card_desc_get_link_state(d));
	EXPECT_EQ(0, cti_card_desc_get_features(d));
	EXPECT_EQ(0, cti_card_desc_get_lost(d, &lost));
	EXPECT_EQ(0, lost);
	d = find(l, b.name);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(dev_index(&b), cti_card_desc_get_index(d));
	EXPECT_TRUE(cti_card_desc_get_caps(d) & CTI_CARD_CAP_LINK);
	cti_card_list_free(l);
	cti_card_list_free(NULL);
	cti_sim_destroy(&b);
	cti_sim_destroy(&a);
	EXPECT_EQ(-EINVAL, cti_card_list_new(NULL));
}

/* Wait for the change of card @name that is @change; 0 or -ETIMEDOUT. */
static int wait_change(struct cti_card_monitor *m, int want, const char *name,
		       uint32_t *index, uint32_t *link)
{
	int64_t end = cti_now_ms() + WAIT_MS;

	for (;;) {
		struct cti_card_desc *d;
		int change, ret;

		ret = cti_card_monitor_read(m, &change, &d);
		if (ret < 0)
			return ret;
		if (ret == 0) {
			int left = end - cti_now_ms();

			if (left <= 0)
				return -ETIMEDOUT;
			cti_poll(cti_card_monitor_get_fd(m), POLLIN, left);
			continue;
		}
		ret = change == want &&
		      !strcmp(cti_card_desc_get_name(d), name);
		if (ret) {
			*index = cti_card_desc_get_index(d);
			*link = cti_card_desc_get_link_state(d);
		}
		cti_card_desc_free(d);
		if (ret)
			return 0;
	}
}

TEST(netlink_monitor)
{
	struct cti_card_monitor *m;
	struct cti_card_desc *d;
	struct cti_sim s;
	uint32_t index, link;
	int change;

	ASSERT_EQ(0, cti_card_monitor_open(&m));
	EXPECT_LE(0, cti_card_monitor_get_fd(m));
	EXPECT_EQ(-EINVAL, cti_card_monitor_read(m, NULL, &d));
	/* nothing happened yet: nothing to read, never blocks */
	while (cti_card_monitor_read(m, &change, &d) == 1)
		cti_card_desc_free(d);
	EXPECT_EQ(0, cti_card_monitor_read(m, &change, &d));

	ASSERT_EQ(0, cti_sim_create(&s, 2, 0, "call"));
	ASSERT_EQ(0, wait_change(m, CTI_CARD_ADDED, s.name, &index, &link));
	EXPECT_EQ(dev_index(&s), index);
	EXPECT_EQ(CTI_LINK_UP, link);
	ASSERT_EQ(0, cti_sim_ctl(&s, "link", "down"));
	ASSERT_EQ(0, wait_change(m, CTI_CARD_LINK_CHANGED, s.name, &index,
				 &link));
	EXPECT_EQ(CTI_LINK_DOWN, link);
	ASSERT_EQ(0, cti_sim_destroy(&s));
	ASSERT_EQ(0, wait_change(m, CTI_CARD_REMOVED, s.name, &index, &link));
	cti_card_monitor_close(m);
	cti_card_monitor_close(NULL);
	EXPECT_EQ(-EINVAL, cti_card_monitor_open(NULL));
}

TEST_HARNESS_MAIN
