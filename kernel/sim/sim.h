/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cti_sim: virtual CTI cards made through configfs, with the reference
 * switch (switch/ at the top of the tree, built in by core.c) inside.
 * Shared between configfs.c (the configuration tree), debugfs.c (the
 * run-time controls), card.c (the backend ops and the card's lifetime)
 * and host.c (the switch core's host: memory, timers, records, numbers,
 * and the commands the switch does not know).
 */
#ifndef _CTI_SIM_H
#define _CTI_SIM_H

#include <linux/configfs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "../cti_backend.h"

#define SIM_MAX_LINES		256
#define SIM_MAX_PHONES		256
#define SIM_DEFAULT_LINES	4
#define SIM_FIRST_NUMBER	100	/* line i is 100 + i by default */
#define SIM_MAX_CALLS		3	/* calls a line can have at once */
#define SIM_MAX_RULES		32	/* far-end rules per card */
#define SIM_PARK_SLOTS		10	/* park slots, default numbers 700..709 */
#define SIM_PARK_FIRST		700
#define SIM_NOANSWER_MS		100	/* forward-on-no-answer timer */
#define SIM_FAR_ANSWER_MS	20	/* far end answers after (default) */
#define SIM_FAR_HANGUP_MS	100	/* far end hangs up after (default) */
#define SIM_FLOOD_MAX		100000000

/* The card's flavour (the "mode" attribute). */
enum sim_mode {
	SIM_MODE_CALL,
	SIM_MODE_LINK,
	SIM_MODE_BOTH,
};

/* What a far-end rule does with a call to its number. */
enum sim_far_action {
	SIM_FAR_ANSWER,
	SIM_FAR_BUSY,
	SIM_FAR_NOANSWER,
	SIM_FAR_REJECT,
	SIM_FAR_DIGITS,
	SIM_FAR_HANGUP,
};

/**
 * struct sim_rule - how the far end treats calls to one outside number
 * @number: the number, or "*" for every number without its own rule
 * @action: an &enum sim_far_action
 * @arg: delay_ms (answer), ring_ms (noanswer, 0: ring for ever),
 *	after_ms (hangup)
 * @digits: the digits to send (digits), NUL-terminated
 */
struct sim_rule {
	char number[CTI_NUMBER_MAX];
	u32 action;
	u32 arg;
	char digits[CTI_DIGITS_MAX + 1];
};

#define SIM_PHONE_LAMPS		4
#define SIM_PHONE_BUTTONS	16
#define SIM_DISPLAY_ROWS	2
#define SIM_DISPLAY_COLS	40

struct sw;

struct sim_dev;
struct sim_dbg_attr;

/* The run-time controls in debugfs (debugfs.c), one file each. */
#define SIM_DBG_FILES		7

/* Records the flood posts per cti_card_post_batch() call. */
#define SIM_FLOOD_BATCH	32

/**
 * struct sim_dbg_file - what one debugfs control file acts on (its inode's
 *	private data, which must outlive the file: it lives in the card)
 * @sd: the card
 * @attr: the control
 */
struct sim_dbg_file {
	struct sim_dev *sd;
	const struct sim_dbg_attr *attr;
};

/*
 * struct sim_dev - one simulated card (a configfs directory)
 *
 * The configuration (@num_lines .. @dev_name) changes under @cfg_lock, a
 * mutex because going live or not sleeps; it does not change while the
 * card is live, so the switch reads it freely then. The switch (@running
 * .. @link_peer_name) is guarded by @lock, a spinlock never held across a
 * sleep: it is the one lock around the switch core (@sw), which is
 * single-threaded, so every call into the core (a command, a timer, a
 * debugfs action, a far-end rule) holds it, callbacks included. Records
 * and completions are posted under it, so the records of one card come
 * out in the order of its state changes. @link_card and @link_lines are
 * published under sim_devs_lock for link peers, which take it inside
 * their own @lock.
 */
struct sim_dev {
	struct config_group group;
	struct list_head node;		/* in sim_devs, under sim_devs_lock */
	struct mutex cfg_lock;
	u32 id;

	/* configuration, under @cfg_lock */
	u32 num_lines;
	u32 num_phones;
	char (*numbers)[CTI_NUMBER_MAX];	/* NULL: the defaults */
	u32 mode;
	bool live;
	struct cti_card *card;
	struct platform_device *pdev;
	char dev_name[16];

	/* the switch, under @lock */
	spinlock_t lock;
	bool running;			/* work may be queued */
	struct list_head reqs;		/* queued struct sim_req */
	struct work_struct req_work;
	struct sw *sw;			/* the switch core, while live */
	struct list_head timers;	/* struct sim_timer, by expiry */
	struct delayed_work timer_work;
	s64 timer_id;			/* the last timer id handed out */
	struct list_head recs;		/* struct sim_rec, not posted yet */
	struct sim_rule rules[SIM_MAX_RULES];
	u32 num_rules;
	u32 fail_count;			/* fail_next */
	int fail_errno;
	bool link_down;
	char link_peer_name[CTI_NAME_MAX];	/* link_peer attribute */

	/* published for link peers, under sim_devs_lock */
	struct cti_card *link_card;	/* set while live in a link mode */
	u32 link_lines;

	/* run-time controls in debugfs, from mkdir to rmdir */
	struct dentry *dbg_dir;
	struct sim_dbg_file dbg_files[SIM_DBG_FILES];

	/* the flood generator, posting SIM_FLOOD_BATCH records at a time */
	struct work_struct flood_work;
	struct cti_ev_digits flood_batch[SIM_FLOOD_BATCH];
	atomic_t flood_left;
	u32 flood_total;
	bool flood_dtmf;		/* DTMF symbols, not binary indexes */
	bool flood_stop;
};

/* Internal request kinds beyond enum cti_cmd: the link's debugfs knob. */
enum sim_action {
	SIM_ACT_LINK = 0x100,		/* arg = enum cti_link_state */
};

/* The far end's debugfs actions, run at once by sim_far_action(). */
enum sim_far_act {
	SIM_FAR_ACT_INBOUND,		/* line, text = caller */
	SIM_FAR_ACT_HANGUP,		/* call */
	SIM_FAR_ACT_DIGITS,		/* call, text = digits */
};

/**
 * struct sim_req - a command or action queued for the switch's worker
 * @node: in &sim_dev.reqs
 * @token: the core's token, 0 for debugfs actions
 * @cmd: an &enum cti_cmd or &enum sim_action
 * @line: as in &struct cti_cmd
 * @call: as in &struct cti_cmd
 * @call2: as in &struct cti_cmd
 * @arg: as in &struct cti_cmd
 * @arg2: as in &struct cti_cmd
 * @data_len: bytes at @data (a NUL follows them)
 * @data: the command's data
 */
struct sim_req {
	struct list_head node;
	u64 token;
	u32 cmd;
	u32 line;
	u32 call;
	u32 call2;
	u32 arg;
	u32 arg2;
	u32 data_len;
	u8 data[];
};

/* configfs.c */
extern struct list_head sim_devs;
extern spinlock_t sim_devs_lock;
char *sim_token(char **s);
int sim_parse_u32(const char *tok, u32 *val);
bool sim_dtmf_string_ok(const char *s);

/* debugfs.c */
void sim_debugfs_add(struct sim_dev *sd);
void sim_debugfs_remove(struct sim_dev *sd);
void sim_debugfs_init(void);
void sim_debugfs_exit(void);

/* card.c */
int sim_card_live(struct sim_dev *sd);
void sim_card_dead(struct sim_dev *sd);
int sim_queue_action(struct sim_dev *sd, u32 action, u32 line, u32 call,
		     u32 arg, const char *data);
int sim_flood_start(struct sim_dev *sd, u32 count, bool dtmf);
void sim_dev_init_work(struct sim_dev *sd);
bool sim_number_ok(const char *s, bool dial);

/* host.c */
void sim_number_of(const struct sim_dev *sd, u32 line, char *buf);
void sim_switch_init(struct sim_dev *sd);
int sim_switch_start(struct sim_dev *sd);
void sim_switch_stop(struct sim_dev *sd);
void sim_switch_run(struct sim_dev *sd, struct sim_req *req);
void sim_switch_timers(struct sim_dev *sd);
int sim_far_action(struct sim_dev *sd, u32 act, u32 arg, const char *text);
int sim_phone_button(struct sim_dev *sd, u32 line, u32 button, u32 pressed);
void sim_rules_changed(struct sim_dev *sd);

#endif /* _CTI_SIM_H */
