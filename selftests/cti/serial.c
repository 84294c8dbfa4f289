// SPDX-License-Identifier: GPL-2.0
/*
 * serial: cti_serial.ko, the line discipline that makes a tty a link card
 *
 * Each test takes a pair of connected ttys, attaches the discipline
 * (number 29, N_DEVELOPMENT) to one with TIOCSETD and plays the switch on
 * the other, the "far" end: what the far end writes must come out of
 * /dev/ctiN as LINK_FRAME records with the exact bytes, and SEND_LINK_FRAME
 * must put its bytes on the far end. Two variants: a pseudo-terminal pair
 * (the discipline on the slave), and two real 16550 UARTs, the guest's
 * ttyS1 and ttyS2, which scripts/vm-run wires to each other through a
 * socket on the host (skipped where they are not connected). Line noise and over-long frames are dropped and
 * counted in sysfs; a full transmit queue answers ENOBUFS; closing the
 * master (hang-up) or detaching removes the card (ENODEV, CARD_REMOVED
 * last); the module cannot be unloaded while attached, and can after.
 *
 * The module is loaded from cti_serial.ko beside this binary if it is not
 * loaded yet; the last test leaves it unloaded.
 */
#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <termios.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#include "cti_test.h"
#include "kselftest_harness.h"

#define SER_LDISC	29	/* N_DEVELOPMENT, see kernel/serial/serial.c */
#define SER_MODULE	"cti_serial"
#define SER_TX_QUEUE	32	/* the module's default tx_queue */
#define SER_FRAMING	"/sys/module/cti_serial/parameters/framing"

static bool ser_loaded(void)
{
	char line[256];
	bool found = false;
	FILE *f;

	f = fopen("/proc/modules", "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, SER_MODULE " ", strlen(SER_MODULE) + 1);
	fclose(f);
	return found;
}

/* Load cti_serial.ko from this binary's directory; 0 or -errno. */
static int ser_load(void)
{
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n;
	int fd, ret = 0;

	if (ser_loaded())
		return 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s/%s.ko", dirname(exe), SER_MODULE);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(__NR_finit_module, fd, "", 0) && errno != EEXIST)
		ret = -errno;
	close(fd);
	return ret;
}

static int ser_unload(void)
{
	return syscall(__NR_delete_module, SER_MODULE, O_NONBLOCK) ? -errno : 0;
}

/* devtmpfs has /dev/ptmx but nobody mounted devpts in the guest. */
static int pty_open(int *master, int *slave, char *name, size_t size)
{
	struct termios t;
	int m, s, n, unlock = 0;

	m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0) {
		mkdir("/dev/pts", 0755);
		if (mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666") &&
		    errno != EBUSY)
			return -errno;
		m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (m < 0)
			return -errno;
	}
	if (ioctl(m, TIOCSPTLCK, &unlock) || ioctl(m, TIOCGPTN, &n))
		goto err;
	s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0)
		goto err;
	/* Both ends raw: no echo, no CR/LF mapping on the master's side. */
	if (!tcgetattr(m, &t)) {
		cfmakeraw(&t);
		tcsetattr(m, TCSANOW, &t);
	}
	if (!tcgetattr(s, &t)) {
		cfmakeraw(&t);
		tcsetattr(s, TCSANOW, &t);
	}
	snprintf(name, size, "pts%d", n);
	*master = m;
	*slave = s;
	return 0;
err:
	n = -errno;
	close(m);
	return n;
}

static int uart_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return -errno;
	cfmakeraw(&t);
	/* No modem lines between the two: ignore DCD. */
	t.c_cflag |= CLOCAL | CREAD;
	cfsetspeed(&t, B115200);
	if (tcsetattr(fd, TCSANOW, &t) || tcflush(fd, TCIOFLUSH))
		return -errno;
	return fcntl(fd, F_SETFL, 0) ? -errno : 0;
}

/* Read and drop until @fd has been quiet for 300 ms. */
static void uart_drain(int fd)
{
	char buf[4096];

	while (cti_poll(fd, POLLIN, 300) > 0)
		if (read(fd, buf, sizeof(buf)) <= 0)
			break;
}

/*
 * ttyS1 (the link) and ttyS2 (the far end), if a byte written on one
 * arrives on the other; 0 or -errno (-ENOLINK: not connected).
 */
static int uart_open(int *far, int *link)
{
	int f, l, ret;
	char c = 0;

	l = open("/dev/ttyS1", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (l < 0)
		return -errno;
	f = open("/dev/ttyS2", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (f < 0) {
		ret = -errno;
		goto err_l;
	}
	ret = uart_raw(l);
	if (!ret)
		ret = uart_raw(f);
	if (ret)
		goto err_f;
	if (write(f, "?", 1) != 1 || cti_poll(l, POLLIN, 2000) <= 0 ||
	    read(l, &c, 1) != 1 || c != '?') {
		ret = -ENOLINK;
		goto err_f;
	}
	/* What an earlier test left in flight between the two goes first. */
	uart_drain(f);
	uart_drain(l);
	*far = f;
	*link = l;
	return 0;
err_f:
	close(f);
err_l:
	close(l);
	return ret;
}

/* The ctiN whose name is @name; 0 or -ENOENT. */
static int ser_find_card(const char *name, char *dev, size_t size)
{
	char path[300], buf[64];
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d;

	d = opendir("/sys/class/cti");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "cti", 3))
			continue;
		snprintf(path, sizeof(path), "/sys/class/cti/%s/name", de->d_name);
		if (cti_read_file(path, buf, sizeof(buf)) >= 0 &&
		    !strcmp(buf, name)) {
			snprintf(dev, size, "%.31s", de->d_name);
			ret = 0;
			break;
		}
	}
	closedir(d);
	return ret;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				cti_poll(fd, POLLOUT, 1000);
				continue;
			}
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/* Read exactly @len bytes from @fd within @ms; 0, -ETIMEDOUT or -errno. */
static int read_exact(int fd, void *buf, size_t len, int ms)
{
	int64_t end = cti_now_ms() + ms;
	char *p = buf;
	ssize_t n;
	int ret;

	while (len) {
		ret = cti_poll(fd, POLLIN, (int)(end - cti_now_ms()));
		if (ret < 0)
			return ret;
		if (!ret)
			return -ETIMEDOUT;
		n = read(fd, p, len);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		if (!n)
			return -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

FIXTURE(serial) {
	int master, slave, fd;	/* far end, link end, the card */
	bool skipped;		/* no such tty pair here */
	char pts[32];		/* the link end's tty name, "pts3", "ttyS1" */
	char name[48];		/* the card's name, "serial-pts3" */
	char dev[32];		/* "cti2" */
	struct cti_stream st;
};

/* Attach the discipline to the slave and open the card it makes. */
static int ser_attach(struct __test_metadata *_metadata,
		      FIXTURE_DATA(serial) *self)
{
	int ld = SER_LDISC, ret;

	if (ioctl(self->slave, TIOCSETD, &ld))
		return -errno;
	ret = ser_find_card(self->name, self->dev, sizeof(self->dev));
	if (ret)
		return ret;
	self->fd = cti_dev_open(self->dev, O_RDWR);
	if (self->fd < 0)
		return self->fd;
	cti_stream_init(&self->st, self->fd, NULL);
	return 0;
}

FIXTURE_VARIANT(serial) {
	bool uart;
};

FIXTURE_VARIANT_ADD(serial, pty) {
	.uart = false,
};

FIXTURE_VARIANT_ADD(serial, uart) {
	.uart = true,
};

/* Skip the test if setup found no tty pair (SKIP does not stop it). */
#define SER_NEED_PAIR() do { if (self->skipped) return; } while (0)

FIXTURE_SETUP(serial)
{
	int ret;

	self->master = self->slave = self->fd = -1;
	ASSERT_EQ(0, ser_load());
	if (variant->uart) {
		ret = uart_open(&self->master, &self->slave);
		if (ret) {
			self->skipped = true;
			SKIP(return, "no UART pair ttyS1-ttyS2 (%s)", strerror(-ret));
		}
		snprintf(self->pts, sizeof(self->pts), "ttyS1");
	} else {
		ASSERT_EQ(0, pty_open(&self->master, &self->slave, self->pts,
				      sizeof(self->pts)));
	}
	snprintf(self->name, sizeof(self->name), "serial-%s", self->pts);
	ASSERT_EQ(0, ser_attach(_metadata, self));
}

FIXTURE_TEARDOWN(serial)
{
	/* framing_cr changes the parameter; put it back even if it failed. */
	if (ser_loaded())
		cti_write_file(SER_FRAMING, "lf");
	if (self->fd >= 0)
		close(self->fd);
	if (self->slave >= 0)
		close(self->slave);
	if (self->master >= 0)
		close(self->master);
}

/* A counter of the card's parent in sysfs; the value, or -errno. */
static long long ser_counter(FIXTURE_DATA(serial) *self, const char *attr)
{
	char path[128], buf[32];
	int ret;

	snprintf(path, sizeof(path), "/sys/class/cti/%s/device/%s",
		 self->dev, attr);
	ret = cti_read_file(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	return strtoll(buf, NULL, 10);
}

/*
 * The next LINK_FRAME must be @want (@len bytes): exact bytes, channel 0,
 * zero reserved field and padding. Other records are not expected.
 */
static void expect_frame(struct __test_metadata *_metadata,
			 FIXTURE_DATA(serial) *self, const char *want,
			 size_t len)
{
	const struct cti_ev_link_frame *lf;
	const struct cti_event *ev;
	const uint8_t *pad;
	size_t i;

	ASSERT_LT(0, cti_stream_next(&self->st, &ev, 5000));
	ASSERT_EQ(CTI_EV_LINK_FRAME, ev->type) {
		TH_LOG("got %s", cti_ev_name(ev->type));
	}
	lf = (const void *)ev;
	ASSERT_EQ(0, ev->line);
	ASSERT_EQ(len, lf->len);
	ASSERT_EQ(0, lf->__reserved);
	ASSERT_EQ((sizeof(*lf) + len + 7) / 8 * 8, ev->size);
	ASSERT_EQ(0, memcmp(lf->data, want, len));
	pad = lf->data + len;
	for (i = 0; i < ev->size - sizeof(*lf) - len; i++)
		ASSERT_EQ(0, pad[i]);
}

static void expect_no_record(struct __test_metadata *_metadata,
			     FIXTURE_DATA(serial) *self, int ms)
{
	const struct cti_event *ev;
	int ret;

	ret = cti_stream_next(&self->st, &ev, ms);
	ASSERT_EQ(0, ret) {
		TH_LOG("unexpected %s", ret > 0 ? cti_ev_name(ev->type) : "error");
	}
}

static int send_frame(int fd, uint64_t id, const void *data, size_t len)
{
	struct cti_request req;

	cti_req_init(&req, CTI_CMD_SEND_LINK_FRAME, id, 0);
	req.data = (uintptr_t)data;
	req.data_len = len;
	return cti_submit(fd, &req);
}

/* The card is a link card of cti_serial, named after its port, link up. */
TEST_F(serial, card_info)
{
	struct cti_card_info ci;
	char path[128], buf[64];
	struct cti_request req;
	struct termios t;
	int ld = -1;

	SER_NEED_PAIR();

	ASSERT_EQ(0, cti_card_info(self->fd, &ci));
	EXPECT_EQ(CTI_CARD_CAP_LINK, ci.caps);
	EXPECT_EQ(0, ci.num_lines);
	EXPECT_EQ(0, ci.num_phones);
	EXPECT_EQ(CTI_LINK_UP, ci.link_state);
	EXPECT_STREQ(self->name, ci.name);
	EXPECT_STREQ("cti_serial", ci.driver);
	EXPECT_STREQ(self->pts, ci.serial);
	ASSERT_EQ(0, ioctl(self->slave, TIOCGETD, &ld));
	EXPECT_EQ(SER_LDISC, ld);
	snprintf(path, sizeof(path), "/sys/class/cti/%s/device/tty", self->dev);
	ASSERT_LE(0, cti_read_file(path, buf, sizeof(buf)));
	EXPECT_STREQ(self->pts, buf);
	EXPECT_EQ(0, ser_counter(self, "rx_frames"));
	EXPECT_EQ(0, ser_counter(self, "tx_frames"));
	/* Call control is not what a link card does; channel 0 only. */
	EXPECT_EQ(-EOPNOTSUPP, cti_submit_cmd(self->fd, CTI_CMD_MAKE_CALL, 1,
					       0, 0, 0, 0, 0, "100"));
	cti_req_init(&req, CTI_CMD_SEND_LINK_FRAME, 2, 1);
	cti_req_data(&req, "X\n");
	EXPECT_EQ(-ENOENT, cti_submit(self->fd, &req));
	/* The termios ioctls still work through the discipline. */
	EXPECT_EQ(0, tcgetattr(self->slave, &t));
}

/* The switch's lines come out as frames, byte for byte, however written. */
TEST_F(serial, frames_in)
{
	static const char one[] = "LINE 0 ext500 500\r\n";
	static const char two[] = "LINE 1 ext501 501\nSTATE 0 7 1 0 0\r\n";

	SER_NEED_PAIR();

	ASSERT_EQ(0, write_all(self->master, one, strlen(one)));
	expect_frame(_metadata, self, one, strlen(one));

	/* Two frames in one write; one frame in three writes. */
	ASSERT_EQ(0, write_all(self->master, two, strlen(two)));
	expect_frame(_metadata, self, "LINE 1 ext501 501\n", 18);
	expect_frame(_metadata, self, "STATE 0 7 1 0 0\r\n", 17);
	ASSERT_EQ(0, write_all(self->master, "DIG", 3));
	cti_sleep_ms(50);
	ASSERT_EQ(0, write_all(self->master, "ITS 0 7 12", 10));
	/* No LF yet: nothing is delivered. */
	expect_no_record(_metadata, self, 100);
	ASSERT_EQ(0, write_all(self->master, "3\r\n", 3));
	expect_frame(_metadata, self, "DIGITS 0 7 123\r\n", 16);
	/* An empty line is a frame too: the provider decides. */
	ASSERT_EQ(0, write_all(self->master, "\r\n", 2));
	expect_frame(_metadata, self, "\r\n", 2);

	EXPECT_EQ(5, ser_counter(self, "rx_frames"));
	EXPECT_EQ(strlen(one) + strlen(two) + 16 + 2,
		  ser_counter(self, "rx_bytes"));
	EXPECT_EQ(0, ser_counter(self, "rx_noise"));
}

/* SEND_LINK_FRAME: the exact bytes on the master, REPLY 0, in order. */
TEST_F(serial, frames_out)
{
	static const char cmd[] = "CMD 1 2 0 0 0 0 0 =100\n";
	struct cti_ev_reply reply;
	char buf[64], want[64];
	int i;

	SER_NEED_PAIR();

	ASSERT_EQ(0, send_frame(self->fd, 7, cmd, strlen(cmd)));
	ASSERT_EQ(0, cti_wait_reply(&self->st, 7, &reply, NULL, 5000));
	EXPECT_EQ(0, reply.error);
	ASSERT_EQ(0, read_exact(self->master, buf, strlen(cmd), 5000));
	EXPECT_EQ(0, memcmp(buf, cmd, strlen(cmd)));

	for (i = 0; i < 10; i++) {
		snprintf(buf, sizeof(buf), "CMD %d 9 0 0 0 0 0 =\r\n", 100 + i);
		ASSERT_EQ(0, send_frame(self->fd, 100 + i, buf, strlen(buf)));
	}
	for (i = 0; i < 10; i++) {
		ASSERT_EQ(0, cti_wait_reply(&self->st, 100 + i, &reply, NULL,
					    5000));
		EXPECT_EQ(0, reply.error);
	}
	for (i = 0; i < 10; i++) {
		snprintf(want, sizeof(want), "CMD %d 9 0 0 0 0 0 =\r\n", 100 + i);
		ASSERT_EQ(0, read_exact(self->master, buf, strlen(want), 5000));
		ASSERT_EQ(0, memcmp(buf, want, strlen(want)));
	}
	EXPECT_EQ(11, ser_counter(self, "tx_frames"));
	/* Nothing more: no byte added to any frame. */
	EXPECT_EQ(0, cti_poll(self->master, POLLIN, 100));
}

/*
 * Nobody reads the master: the tty fills, then the queue; submits past it
 * are answered ENOBUFS. Reading the master then lets every accepted frame
 * through, whole and in order, each completed with 0.
 */
TEST_F(serial, tx_queue_full)
{
	enum { N = 200, LEN = 1000 };
	static char frame[LEN];
	static char got[N * LEN];
	const struct cti_ev_reply *r;
	const struct cti_event *ev;
	int replies = 0, ok = 0, full = 0, i, ret;
	bool accepted[N] = { false };
	size_t have = 0, off;
	int64_t end;
	ssize_t n;

	SER_NEED_PAIR();
	/*
	 * Two emulated UARTs have no flow control between them: the far end
	 * drops what its tty cannot hold, so only the pty can be left unread.
	 */
	if (variant->uart)
		SKIP(return, "no flow control between the UARTs");

	for (i = 0; i < N; i++) {
		memset(frame, 'a' + i % 26, LEN - 1);
		snprintf(frame, 8, "%05d ", i);
		frame[6] = 'x';
		frame[LEN - 1] = '\n';
		ASSERT_EQ(0, send_frame(self->fd, i + 1, frame, LEN));
	}
	ASSERT_EQ(0, fcntl(self->master, F_SETFL, O_NONBLOCK));
	end = cti_now_ms() + 30000;
	while (replies < N || have < (size_t)ok * LEN) {
		ASSERT_GT(end, cti_now_ms()) {
			TH_LOG("%d replies, %d ok, %zu bytes", replies, ok, have);
		}
		n = read(self->master, got + have, sizeof(got) - have);
		if (n > 0)
			have += n;
		ret = cti_stream_next(&self->st, &ev, n > 0 ? 0 : 10);
		ASSERT_LE(0, ret);
		if (!ret)
			continue;
		ASSERT_EQ(CTI_EV_REPLY, ev->type);
		r = (const void *)ev;
		ASSERT_LE(1, r->id);
		ASSERT_GE(N, r->id);
		replies++;
		if (!r->error) {
			ok++;
			accepted[r->id - 1] = true;
		} else {
			ASSERT_EQ(-ENOBUFS, r->error);
			full++;
		}
	}
	EXPECT_LT(0, full);
	EXPECT_LE(SER_TX_QUEUE, ok);
	EXPECT_EQ(full, ser_counter(self, "tx_full"));
	EXPECT_EQ(ok, ser_counter(self, "tx_frames"));
	ASSERT_EQ((size_t)ok * LEN, have);
	/* The accepted frames, whole and in submission order. */
	off = 0;
	for (i = 0; i < N; i++) {
		if (!accepted[i])
			continue;
		memset(frame, 'a' + i % 26, LEN - 1);
		snprintf(frame, 8, "%05d ", i);
		frame[6] = 'x';
		frame[LEN - 1] = '\n';
		ASSERT_EQ(0, memcmp(got + off, frame, LEN)) {
			TH_LOG("frame %d at %zu differs", i, off);
		}
		off += LEN;
	}
}

/* Bytes outside the framing: dropped and counted, good frames survive. */
TEST_F(serial, line_noise)
{
	static const char spoilt[] = "LI\0NE 0 bad 500\r\n";

	SER_NEED_PAIR();

	/* Between frames: the noise goes alone. */
	ASSERT_EQ(0, write_all(self->master, "\0\0\x01LINE 0 ok 500\r\n", 18));
	expect_frame(_metadata, self, "LINE 0 ok 500\r\n", 15);
	EXPECT_EQ(3, ser_counter(self, "rx_noise"));
	EXPECT_EQ(0, ser_counter(self, "rx_dropped"));

	/* Inside a frame: the frame goes with it. */
	ASSERT_EQ(0, write_all(self->master, spoilt, sizeof(spoilt) - 1));
	ASSERT_EQ(0, write_all(self->master, "GONE 1\x7f\n", 8));
	ASSERT_EQ(0, write_all(self->master, "GONE 2\n", 7));
	expect_frame(_metadata, self, "GONE 2\n", 7);
	EXPECT_EQ(5, ser_counter(self, "rx_noise"));
	EXPECT_EQ(2, ser_counter(self, "rx_dropped"));
	EXPECT_EQ(2, ser_counter(self, "rx_frames"));
	expect_no_record(_metadata, self, 100);
}

/* CTI_LINK_FRAME_MAX bytes with the LF fit; one more does not. */
TEST_F(serial, overlong)
{
	static char buf[5000];

	SER_NEED_PAIR();

	memset(buf, 'A', sizeof(buf));
	buf[CTI_LINK_FRAME_MAX - 2] = '\r';
	buf[CTI_LINK_FRAME_MAX - 1] = '\n';
	ASSERT_EQ(0, write_all(self->master, buf, CTI_LINK_FRAME_MAX));
	expect_frame(_metadata, self, buf, CTI_LINK_FRAME_MAX);

	memset(buf, 'B', sizeof(buf));
	buf[CTI_LINK_FRAME_MAX] = '\n';		/* 1025 bytes */
	ASSERT_EQ(0, write_all(self->master, buf, CTI_LINK_FRAME_MAX + 1));
	memset(buf, 'C', sizeof(buf));
	buf[sizeof(buf) - 1] = '\n';
	ASSERT_EQ(0, write_all(self->master, buf, sizeof(buf)));
	ASSERT_EQ(0, write_all(self->master, "NEXT\r\n", 6));
	expect_frame(_metadata, self, "NEXT\r\n", 6);
	EXPECT_EQ(2, ser_counter(self, "rx_overlong"));
	EXPECT_EQ(0, ser_counter(self, "rx_noise"));
	EXPECT_EQ(2, ser_counter(self, "rx_frames"));
}

/*
 * Wait for CARD_REMOVED, collecting the REPLYs before it (@pending of
 * them; those with -ENODEV counted in @enodev); then nothing more, and
 * every operation fails with ENODEV.
 */
static void expect_removed(struct __test_metadata *_metadata,
			   FIXTURE_DATA(serial) *self, int pending,
			   int *enodev)
{
	const struct cti_event *ev;
	struct cti_card_info ci;
	int replies = 0, err;
	char path[300];

	for (;;) {
		ASSERT_LT(0, cti_stream_next(&self->st, &ev, 5000));
		if (ev->type == CTI_EV_CARD_REMOVED)
			break;
		ASSERT_EQ(CTI_EV_REPLY, ev->type) {
			TH_LOG("got %s", cti_ev_name(ev->type));
		}
		err = ((const struct cti_ev_reply *)ev)->error;
		ASSERT_TRUE(err == 0 || err == -ENODEV || err == -EIO ||
			    err == -ENOBUFS) {
			TH_LOG("reply error %d", err);
		}
		if (enodev && err == -ENODEV)
			(*enodev)++;
		replies++;
	}
	EXPECT_EQ(pending, replies);
	/* CARD_REMOVED is the last record. */
	EXPECT_EQ(-ENODEV, cti_stream_next(&self->st, &ev, 100));
	EXPECT_EQ(-ENODEV, cti_card_info(self->fd, &ci));
	EXPECT_EQ(-ENODEV, send_frame(self->fd, 99, "X\n", 2));
	EXPECT_EQ(POLLHUP | POLLERR,
		  cti_poll(self->fd, POLLIN, 0) & (POLLHUP | POLLERR));
	snprintf(path, sizeof(path), "/sys/class/cti/%s", self->dev);
	EXPECT_NE(0, access(path, F_OK));
	EXPECT_EQ(-ENOENT, ser_find_card(self->name, path, sizeof(path)));
}

/*
 * Hang-up with frames still queued because nobody read: the card goes,
 * the queued requests end with it. On the pty the master closes (the
 * switch's end goes away); a UART is hung up as on carrier loss.
 */
TEST_F(serial, hangup)
{
	static char frame[1000];
	int i, enodev = 0;

	SER_NEED_PAIR();

	memset(frame, 'h', sizeof(frame));
	frame[sizeof(frame) - 1] = '\n';
	/* More than the pty and the queue hold: some wait, some ENOBUFS. */
	for (i = 0; i < 120; i++)
		ASSERT_EQ(0, send_frame(self->fd, i + 1, frame, sizeof(frame)));
	cti_sleep_ms(100);
	if (variant->uart) {
		ASSERT_EQ(0, ioctl(self->slave, TIOCVHANGUP));
	} else {
		close(self->master);
		self->master = -1;
	}
	expect_removed(_metadata, self, 120, &enodev);
	/*
	 * The pty's master held what it could and the rest was queued: those
	 * requests ended with the card. (A UART drains too fast to be sure.)
	 */
	if (!variant->uart)
		EXPECT_LT(0, enodev);
}

/* TIOCSETD back to N_TTY removes the card; attaching again makes a new one. */
TEST_F(serial, detach_attach)
{
	struct cti_ev_reply reply;
	int ld = N_TTY;
	char buf[8];

	SER_NEED_PAIR();

	ASSERT_EQ(0, ioctl(self->slave, TIOCSETD, &ld));
	expect_removed(_metadata, self, 0, NULL);
	close(self->fd);
	self->fd = -1;

	ASSERT_EQ(0, ser_attach(_metadata, self));
	ASSERT_EQ(0, write_all(self->master, "AGAIN\n", 6));
	expect_frame(_metadata, self, "AGAIN\n", 6);
	ASSERT_EQ(0, send_frame(self->fd, 1, "BACK\n", 5));
	ASSERT_EQ(0, cti_wait_reply(&self->st, 1, &reply, NULL, 5000));
	EXPECT_EQ(0, reply.error);
	ASSERT_EQ(0, read_exact(self->master, buf, 5, 5000));
	EXPECT_EQ(0, memcmp(buf, "BACK\n", 5));
}

/*
 * framing=cr, read at attach: CR ends a frame, the LF of a CR LF is
 * skipped, an LF inside a frame is noise. A framing it does not know
 * makes the attach fail.
 */
TEST_F(serial, framing_cr)
{
	char path[128], buf[16];
	int ld = N_TTY;

	SER_NEED_PAIR();

	snprintf(path, sizeof(path), "/sys/class/cti/%s/device/framing",
		 self->dev);
	ASSERT_LE(0, cti_read_file(path, buf, sizeof(buf)));
	EXPECT_STREQ("lf", buf);
	ASSERT_EQ(0, ioctl(self->slave, TIOCSETD, &ld));
	expect_removed(_metadata, self, 0, NULL);
	close(self->fd);
	self->fd = -1;

	ASSERT_EQ(0, cti_write_file(SER_FRAMING, "crlf"));
	ld = SER_LDISC;
	EXPECT_EQ(-1, ioctl(self->slave, TIOCSETD, &ld));
	EXPECT_EQ(EINVAL, errno);

	ASSERT_EQ(0, cti_write_file(SER_FRAMING, "cr"));
	ASSERT_EQ(0, ser_attach(_metadata, self));
	snprintf(path, sizeof(path), "/sys/class/cti/%s/device/framing",
		 self->dev);
	ASSERT_LE(0, cti_read_file(path, buf, sizeof(buf)));
	EXPECT_STREQ("cr", buf);
	/* The parameter counts at attach only. */
	ASSERT_EQ(0, cti_write_file(SER_FRAMING, "lf"));

	ASSERT_EQ(0, write_all(self->master, "LINE 0 a 1\r\nLINE 1 b 2\r", 23));
	expect_frame(_metadata, self, "LINE 0 a 1\r", 11);
	expect_frame(_metadata, self, "LINE 1 b 2\r", 11);
	ASSERT_EQ(0, write_all(self->master, "X\nY\rZ\r", 6));
	expect_frame(_metadata, self, "Z\r", 2);
	EXPECT_EQ(3, ser_counter(self, "rx_frames"));
	EXPECT_EQ(1, ser_counter(self, "rx_noise"));
	EXPECT_EQ(1, ser_counter(self, "rx_dropped"));
}

/*
 * While a tty has the discipline the module stays (the tty core holds a
 * reference); detached, it unloads, and a file of a removed card stays
 * harmless. Runs last: it leaves the module unloaded.
 */
TEST_F(serial, unload)
{
	int ld = N_TTY;
	int ret;

	SER_NEED_PAIR();

	ret = ser_unload();
	EXPECT_TRUE(ret == -EWOULDBLOCK || ret == -EBUSY) {
		TH_LOG("delete_module: %d", ret);
	}
	ASSERT_TRUE(ser_loaded());

	ASSERT_EQ(0, ioctl(self->slave, TIOCSETD, &ld));
	expect_removed(_metadata, self, 0, NULL);
	ASSERT_EQ(0, ser_unload());
	ASSERT_FALSE(ser_loaded());
	/* The card's file outlives the module. */
	EXPECT_EQ(-ENODEV, send_frame(self->fd, 1, "X\n", 2));
	/* Without the module the number is unknown again. */
	ld = SER_LDISC;
	EXPECT_NE(0, ioctl(self->slave, TIOCSETD, &ld));
}

TEST_HARNESS_MAIN
