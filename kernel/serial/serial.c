// SPDX-License-Identifier: GPL-2.0
/*
 * cti_serial: a serial port as a link card. A PBX's RS-232 CTI link, once
 * this line discipline is attached to the port (ldattach 29 /dev/ttyS1, or
 * TIOCSETD with N_DEVELOPMENT), shows up as /dev/ctiN with
 * CTI_CARD_CAP_LINK: what the switch sends arrives as CTI_EV_LINK_FRAME
 * records, and CTI_CMD_SEND_LINK_FRAME writes to the port. A protocol
 * provider (textlink, say) then runs over the card as over a socket.
 *
 * Why a line discipline and not a serdev driver: serdev binds a port to a
 * device described by firmware (DT or ACPI) and takes it away from the tty
 * layer for good. A PBX link is plugged into whatever port the server has
 * (a 16550, a USB adapter, a terminal server's pty), which userspace
 * already knows by name and has no firmware node; a line discipline is
 * attached to it at run time, detached with TIOCSETD N_TTY, and learns of
 * hang-up (a USB adapter pulled, the pty's master closed) from the tty
 * core. Detach and hang-up both close the discipline, and close removes
 * the card through the core's unplug path (ENODEV, CARD_REMOVED last).
 *
 * The number: Linux has no free line discipline number (NR_LDISCS is 31
 * and 0..30 are all named in include/uapi/linux/tty.h of 6.1 and 6.12).
 * N_DEVELOPMENT (29) is the one set aside for out-of-tree disciplines, and
 * tty_register_ldisc() replaces whatever holds a number, so we take that
 * one; merged upstream, this would get a number of its own.
 *
 * Framing (the textlink protocol's, and that of most PBX CTI and SMDR
 * links): a frame is one line, ending in LF; a CR before the LF is part of
 * the frame. A frame is delivered exactly as the wire carried it,
 * terminator included, so a provider that parses a byte stream runs
 * unchanged over the card, and at most CTI_LINK_FRAME_MAX bytes long
 * (terminator included, as textlink's 1024-byte line). Frames are sent
 * exactly as given, nothing added. Some switches end their lines with CR
 * alone: with the module parameter framing=cr, read when a tty is
 * attached, a frame ends at CR instead, and an LF right after a frame (the
 * second half of CR LF) is skipped. What does not fit is counted in sysfs,
 * beside the card (/sys/class/cti/ctiN/device/), and logged rate-limited:
 *
 *   rx_noise	bytes outside the framing: controls other than TAB and CR
 *		(LF with framing=cr), DEL, and bytes the UART flagged (parity, framing, overrun,
 *		break). Between frames they are dropped alone; inside a
 *		frame they spoil it (a corrupted command must not be parsed)
 *   rx_dropped	frames dropped for noise
 *   rx_overlong	frames dropped for being longer than CTI_LINK_FRAME_MAX
 *   tx_full	SEND_LINK_FRAME refused with -ENOBUFS: the queue was full
 *
 * Link state: UP when attached; when the port watches carrier (CLOCAL
 * off), DOWN while DCD is low, and then SEND_LINK_FRAME fails with -EIO.
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tty.h>
#include <linux/tty_ldisc.h>
#include <linux/workqueue.h>

#include "cti_backend.h"

#define SER_NAME	"cti_serial"
#define SER_LDISC	N_DEVELOPMENT

static unsigned int tx_queue = 32;
module_param(tx_queue, uint, 0644);
MODULE_PARM_DESC(tx_queue,
		 "frames queued for the port per card before SEND_LINK_FRAME fails with ENOBUFS (1-1024, default 32)");

static char *framing = "lf";
module_param(framing, charp, 0644);
MODULE_PARM_DESC(framing,
		 "how frames end, read at attach: lf (LF, a CR before it kept; the default) or cr (CR alone)");

/* A SEND_LINK_FRAME request waiting for room in the tty. */
struct ser_frame {
	struct list_head node;
	u64 token;
	u32 len;
	u32 sent;
	u8 data[];
};

/* The counters shown in sysfs (ser_counter_attrs[]). */
enum {
	SER_RX_FRAMES,
	SER_RX_BYTES,
	SER_RX_NOISE,
	SER_RX_DROPPED,
	SER_RX_OVERLONG,
	SER_TX_FRAMES,
	SER_TX_BYTES,
	SER_TX_FULL,
	SER_NR_COUNTERS,
};

/**
 * struct ser_link - one attached tty
 * @tty: the tty; valid from open to close of the discipline
 * @card: our card, registered from open to close
 * @pdev: the card's parent, which carries the counters in sysfs
 * @tx_work: writes the queue to the tty; the only writer, so @sent of the
 *	first frame needs no lock
 * @lock: guards @tx_list, @tx_count, @running and @carrier_down. Taken
 *	with interrupts off: dcd_change() comes from the UART's interrupt.
 *	Never held across a call into the tty driver, which takes its port
 *	lock, under which the serial core calls dcd_change().
 * @tx_list: queued frames, oldest first
 * @tx_count: entries in @tx_list
 * @running: submit may queue; cleared by cancel_all
 * @carrier_down: DCD is low on a port that watches it
 * @cnt: the counters, atomic: bumped from receive, tx work and submit
 * @eol: the byte that ends a frame, '\n' or '\r' (framing=cr); fixed at
 *	attach, so receive_buf() reads it without a lock
 * @rx_len: bytes of the frame being received in @rx
 * @rx_spoilt: that frame holds noise
 * @rx_long: that frame has outgrown CTI_LINK_FRAME_MAX
 * @rx: the record being received (CTI_LINK_FRAME_MAX bytes of data),
 *	posted as it is; the tty core never runs receive_buf() twice at once
 *	for a tty, so the rx fields need no lock
 */
struct ser_link {
	struct tty_struct *tty;
	struct cti_card *card;
	struct platform_device *pdev;
	struct work_struct tx_work;

	spinlock_t lock;		/* see above */
	struct list_head tx_list;
	unsigned int tx_count;
	bool running;
	bool carrier_down;

	atomic64_t cnt[SER_NR_COUNTERS];

	u8 eol;
	u32 rx_len;
	bool rx_spoilt;
	bool rx_long;
	struct cti_ev_link_frame *rx;
};

static struct ser_link *ser_from_card(struct cti_card *card)
{
	return *(struct ser_link **)cti_card_priv(card);
}

/* ---- receive --------------------------------------------------------- */

/* Inside a frame: printable ASCII, 8-bit bytes (national characters), TAB, CR. */
static bool ser_byte_ok(u8 c)
{
	if (c >= 0x20)
		return c != 0x7f;
	return c == '\t' || c == '\r';
}

static void ser_rx_reset(struct ser_link *link)
{
	link->rx_len = 0;
	link->rx_spoilt = false;
	link->rx_long = false;
}

/* The frame's end has arrived: deliver the frame, or count why not. */
static void ser_rx_end(struct ser_link *link)
{
	struct cti_ev_link_frame *ev = link->rx;
	u32 len = link->rx_len + 1, size;

	if (link->rx_long) {
		atomic64_inc(&link->cnt[SER_RX_OVERLONG]);
		dev_warn_ratelimited(&link->pdev->dev,
				     "frame longer than %u bytes dropped\n",
				     CTI_LINK_FRAME_MAX);
	} else if (link->rx_spoilt) {
		atomic64_inc(&link->cnt[SER_RX_DROPPED]);
		dev_warn_ratelimited(&link->pdev->dev,
				     "frame with line noise dropped\n");
	} else {
		ev->data[link->rx_len] = link->eol;
		size = ALIGN(sizeof(*ev) + len, 8);
		/* Zero the padding: the record goes to userspace as it is. */
		memset(ev->data + len, 0, size - sizeof(*ev) - len);
		ev->hdr.type = CTI_EV_LINK_FRAME;
		ev->hdr.size = size;
		ev->hdr.line = 0;
		ev->len = len;
		/*
		 * Count before posting: a reader that has the frame must see
		 * it counted (the tests read the counters right after).
		 */
		atomic64_inc(&link->cnt[SER_RX_FRAMES]);
		atomic64_add(len, &link->cnt[SER_RX_BYTES]);
		cti_card_post(link->card, &ev->hdr);
	}
	ser_rx_reset(link);
}

static void ser_rx_noise(struct ser_link *link)
{
	atomic64_inc(&link->cnt[SER_RX_NOISE]);
	/* Between frames noise is only dropped; inside one it spoils it. */
	if (link->rx_len)
		link->rx_spoilt = true;
	else
		dev_warn_ratelimited(&link->pdev->dev,
				     "line noise between frames dropped\n");
}

static void ser_receive(struct ser_link *link, const u8 *cp, const u8 *fp,
			size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		u8 c = cp[i];

		if (fp && fp[i] != TTY_NORMAL) {
			ser_rx_noise(link);
			continue;
		}
		if (c == link->eol) {
			ser_rx_end(link);
			continue;
		}
		/* framing=cr: the LF of a CR LF is no frame; inside one, noise. */
		if (c == '\n') {
			if (link->rx_len)
				ser_rx_noise(link);
			continue;
		}
		if (!ser_byte_ok(c)) {
			ser_rx_noise(link);
			continue;
		}
		/* Room is kept for the end: a frame is its bytes plus LF or CR. */
		if (link->rx_len >= CTI_LINK_FRAME_MAX - 1) {
			link->rx_long = true;
			continue;
		}
		link->rx->data[link->rx_len++] = c;
	}
}

/*
 * The hook's types changed to u8 and size_t in 6.6; Kbuild tells which
 * the headers have (SER_RX_SIZE_T), by what they declare, not by version.
 */
#ifdef SER_RX_SIZE_T
static void ser_receive_buf(struct tty_struct *tty, const u8 *cp,
			    const u8 *fp, size_t count)
{
	ser_receive(tty->disc_data, cp, fp, count);
}
#else
static void ser_receive_buf(struct tty_struct *tty, const unsigned char *cp,
			    const char *fp, int count)
{
	ser_receive(tty->disc_data, cp, (const u8 *)fp, count);
}
#endif

/* ---- transmit -------------------------------------------------------- */

/*
 * Write queued frames until the tty has no room; write_wakeup() brings us
 * back when it has. A frame's request completes once all its bytes are
 * in the tty driver's hands.
 */
static void ser_tx_work(struct work_struct *work)
{
	struct ser_link *link = container_of(work, struct ser_link, tx_work);
	struct tty_struct *tty = link->tty;
	struct ser_frame *f;
	unsigned long flags;
	int n;

	for (;;) {
		spin_lock_irqsave(&link->lock, flags);
		f = list_first_entry_or_null(&link->tx_list, struct ser_frame,
					     node);
		if (!f)
			clear_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
		spin_unlock_irqrestore(&link->lock, flags);
		if (!f)
			return;

		/* Set before the write, so that a drain racing it wakes us. */
		set_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
		n = tty->ops->write(tty, f->data + f->sent, f->len - f->sent);
		if (n > 0)
			f->sent += n;
		if (n >= 0 && f->sent < f->len)
			return;

		spin_lock_irqsave(&link->lock, flags);
		list_del(&f->node);
		link->tx_count--;
		spin_unlock_irqrestore(&link->lock, flags);
		if (n >= 0) {
			atomic64_inc(&link->cnt[SER_TX_FRAMES]);
			atomic64_add(f->len, &link->cnt[SER_TX_BYTES]);
		}
		cti_card_complete(link->card, f->token, n < 0 ? n : 0,
				  CTI_CALL_NONE);
		kfree(f);
	}
}

static int ser_submit(struct cti_card *card, const struct cti_command *cmd)
{
	struct ser_link *link = ser_from_card(card);
	struct ser_frame *f;
	unsigned long flags;
	int err = 0;

	if (cmd->cmd != CTI_CMD_SEND_LINK_FRAME)
		return -EOPNOTSUPP;
	if (!cmd->data_len || cmd->data_len > CTI_LINK_FRAME_MAX)
		return -EINVAL;
	f = kmalloc(struct_size(f, data, cmd->data_len), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->token = cmd->token;
	f->len = cmd->data_len;
	f->sent = 0;
	memcpy(f->data, cmd->data, cmd->data_len);

	spin_lock_irqsave(&link->lock, flags);
	if (!link->running)
		err = -ENODEV;
	else if (link->carrier_down)
		err = -EIO;
	else if (link->tx_count >= clamp_val(READ_ONCE(tx_queue), 1, 1024))
		err = -ENOBUFS;
	if (!err) {
		list_add_tail(&f->node, &link->tx_list);
		link->tx_count++;
	}
	spin_unlock_irqrestore(&link->lock, flags);
	if (err) {
		if (err == -ENOBUFS)
			atomic64_inc(&link->cnt[SER_TX_FULL]);
		kfree(f);
		return err;
	}
	schedule_work(&link->tx_work);
	return 0;
}

/*
 * Unregister calls this once no submit runs any more. Frames still queued
 * are freed uncompleted: the core completes their requests with -ENODEV.
 */
static void ser_cancel_all(struct cti_card *card)
{
	struct ser_link *link = ser_from_card(card);
	struct ser_frame *f, *tmp;
	unsigned long flags;
	LIST_HEAD(frames);

	spin_lock_irqsave(&link->lock, flags);
	link->running = false;
	spin_unlock_irqrestore(&link->lock, flags);
	cancel_work_sync(&link->tx_work);

	spin_lock_irqsave(&link->lock, flags);
	list_splice_init(&link->tx_list, &frames);
	link->tx_count = 0;
	spin_unlock_irqrestore(&link->lock, flags);
	list_for_each_entry_safe(f, tmp, &frames, node)
		kfree(f);
}

static const struct cti_card_ops ser_ops = {
	.owner = THIS_MODULE,
	.submit = ser_submit,
	.cancel_all = ser_cancel_all,
};

/* Called by the tty driver, possibly from its interrupt, when room frees. */
static void ser_write_wakeup(struct tty_struct *tty)
{
	struct ser_link *link = tty->disc_data;

	schedule_work(&link->tx_work);
}

/*
 * DCD moved, from the UART's interrupt. A port with CLOCAL set does not
 * watch carrier (three-wire links have none), so we ignore it there too.
 */
static void ser_dcd_change(struct tty_struct *tty, bool active)
{
	struct ser_link *link = tty->disc_data;
	unsigned long flags;

	if (C_CLOCAL(tty))
		return;
	spin_lock_irqsave(&link->lock, flags);
	link->carrier_down = !active;
	spin_unlock_irqrestore(&link->lock, flags);
	cti_card_set_link_state(link->card, active ? CTI_LINK_UP : CTI_LINK_DOWN);
}

/* ---- sysfs: the counters, on the card's parent ------------------------ */

static ssize_t ser_counter_show(struct device *dev,
				struct device_attribute *attr, char *buf);

/* One attribute per counter, indexed by SER_*. */
static struct device_attribute ser_counter_attrs[SER_NR_COUNTERS] = {
	[SER_RX_FRAMES] = __ATTR(rx_frames, 0444, ser_counter_show, NULL),
	[SER_RX_BYTES] = __ATTR(rx_bytes, 0444, ser_counter_show, NULL),
	[SER_RX_NOISE] = __ATTR(rx_noise, 0444, ser_counter_show, NULL),
	[SER_RX_DROPPED] = __ATTR(rx_dropped, 0444, ser_counter_show, NULL),
	[SER_RX_OVERLONG] = __ATTR(rx_overlong, 0444, ser_counter_show, NULL),
	[SER_TX_FRAMES] = __ATTR(tx_frames, 0444, ser_counter_show, NULL),
	[SER_TX_BYTES] = __ATTR(tx_bytes, 0444, ser_counter_show, NULL),
	[SER_TX_FULL] = __ATTR(tx_full, 0444, ser_counter_show, NULL),
};

static ssize_t tty_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct ser_link *link = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", link->tty->name);
}
static DEVICE_ATTR_RO(tty);

static ssize_t framing_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct ser_link *link = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", link->eol == '\r' ? "cr" : "lf");
}
static DEVICE_ATTR_RO(framing);

static struct attribute *ser_attrs[] = {
	&ser_counter_attrs[SER_RX_FRAMES].attr,
	&ser_counter_attrs[SER_RX_BYTES].attr,
	&ser_counter_attrs[SER_RX_NOISE].attr,
	&ser_counter_attrs[SER_RX_DROPPED].attr,
	&ser_counter_attrs[SER_RX_OVERLONG].attr,
	&ser_counter_attrs[SER_TX_FRAMES].attr,
	&ser_counter_attrs[SER_TX_BYTES].attr,
	&ser_counter_attrs[SER_TX_FULL].attr,
	&dev_attr_tty.attr,
	&dev_attr_framing.attr,
	NULL,
};

static ssize_t ser_counter_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct ser_link *link = dev_get_drvdata(dev);
	size_t i = attr - ser_counter_attrs;

	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&link->cnt[i]));
}

static const struct attribute_group ser_group = {
	.attrs = ser_attrs,
};

static const struct attribute_group *ser_groups[] = {
	&ser_group,
	NULL,
};

/* ---- the line discipline --------------------------------------------- */

/* The framing parameter's end-of-frame byte, or 0 for a bad value. */
static u8 ser_eol(void)
{
	u8 eol = 0;

	/* A charp parameter may be replaced by a write to it meanwhile. */
	kernel_param_lock(THIS_MODULE);
	if (sysfs_streq(framing, "lf"))
		eol = '\n';
	else if (sysfs_streq(framing, "cr"))
		eol = '\r';
	kernel_param_unlock(THIS_MODULE);
	return eol;
}

/* Ports without a carrier_raised op (ptys) have no DCD to watch. */
static bool ser_watches_carrier(struct tty_struct *tty)
{
	return tty->port && tty->port->ops && tty->port->ops->carrier_raised;
}

static int ser_open(struct tty_struct *tty)
{
	struct cti_card_desc desc = {
		.driver = SER_NAME,
		.vendor = "Linux",
		.caps = CTI_CARD_CAP_LINK,
	};
	char name[CTI_NAME_MAX];
	struct platform_device *pdev;
	struct ser_link *link;
	struct cti_card *card;
	u8 eol = ser_eol();
	int ret;

	if (!tty->ops->write)
		return -EOPNOTSUPP;
	if (!eol)
		return -EINVAL;
	/* The card's name says which port it is: "serial-ttyS1". */
	if (snprintf(name, sizeof(name), "serial-%s", tty->name) >= sizeof(name))
		return -ENAMETOOLONG;
	desc.name = name;
	desc.serial = tty->name;
	if (strlen(desc.serial) >= CTI_NAME_MAX)
		desc.serial = "";

	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return -ENOMEM;
	link->rx = kzalloc(struct_size(link->rx, data, CTI_LINK_FRAME_MAX),
			   GFP_KERNEL);
	if (!link->rx) {
		ret = -ENOMEM;
		goto err_free;
	}
	link->tty = tty;
	link->eol = eol;
	spin_lock_init(&link->lock);
	INIT_LIST_HEAD(&link->tx_list);
	INIT_WORK(&link->tx_work, ser_tx_work);

	pdev = platform_device_alloc(SER_NAME, PLATFORM_DEVID_AUTO);
	if (!pdev) {
		ret = -ENOMEM;
		goto err_free;
	}
	pdev->dev.groups = ser_groups;
	platform_set_drvdata(pdev, link);
	ret = platform_device_add(pdev);
	if (ret) {
		platform_device_put(pdev);
		goto err_free;
	}
	link->pdev = pdev;

	card = cti_card_alloc(&pdev->dev, &ser_ops, &desc, sizeof(link));
	if (IS_ERR(card)) {
		ret = PTR_ERR(card);
		goto err_pdev;
	}
	*(struct ser_link **)cti_card_priv(card) = link;
	link->card = card;
	link->running = true;

	/* A port that watches carrier and has none starts with the link down. */
	if (!C_CLOCAL(tty) && ser_watches_carrier(tty) &&
	    !tty_port_carrier_raised(tty->port)) {
		link->carrier_down = true;
		cti_card_set_link_state(card, CTI_LINK_DOWN);
	}

	tty->disc_data = link;
	/* receive_buf() is handed at most this many bytes at a time. */
	tty->receive_room = 65536;
	ret = cti_card_register(card);
	if (ret)
		goto err_card;
	return 0;

err_card:
	tty->disc_data = NULL;
	cti_card_put(card);
err_pdev:
	platform_device_unregister(pdev);
err_free:
	kfree(link->rx);
	kfree(link);
	return ret;
}

/*
 * Detach, hang-up or the last close of the tty: the card goes. The tty
 * core has stopped receive_buf() and write_wakeup() for good before it
 * calls this, and unregister stops submit and the tx work (cancel_all).
 */
static void ser_close(struct tty_struct *tty)
{
	struct ser_link *link = tty->disc_data;

	if (!link)
		return;
	cti_card_unregister(link->card);
	cti_card_put(link->card);
	/* The card no longer uses its parent (see cti_card_unregister()). */
	platform_device_unregister(link->pdev);
	/* The next discipline has not asked for write wake-ups. */
	clear_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
	tty->disc_data = NULL;
	kfree(link->rx);
	kfree(link);
}

/* The termios ioctls keep working, so the port can still be configured. */
static int ser_ioctl(struct tty_struct *tty, unsigned int cmd,
		     unsigned long arg)
{
	return n_tty_ioctl_helper(tty, cmd, arg);
}

static struct tty_ldisc_ops ser_ldisc = {
	.owner		= THIS_MODULE,
	.num		= SER_LDISC,
	.name		= SER_NAME,
	.open		= ser_open,
	.close		= ser_close,
	.ioctl		= ser_ioctl,
	.receive_buf	= ser_receive_buf,
	.write_wakeup	= ser_write_wakeup,
	.dcd_change	= ser_dcd_change,
};

static int __init ser_init(void)
{
	return tty_register_ldisc(&ser_ldisc);
}
module_init(ser_init);

static void __exit ser_exit(void)
{
	/* The tty core holds a module reference per attached tty. */
	tty_unregister_ldisc(&ser_ldisc);
}
module_exit(ser_exit);

MODULE_DESCRIPTION("CTI link cards on serial ports (a tty line discipline)");
MODULE_LICENSE("GPL");
MODULE_ALIAS_LDISC(N_DEVELOPMENT);
