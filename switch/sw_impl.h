/* SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later */
/*
 * The switch core's internal interfaces (hosts include sw.h only).
 *
 * The model changes synchronously inside sw_submit() (so that the REPLY
 * can name the new call) and emits the records that describe the change
 * as it goes; the host posts them after the REPLY. Nothing here locks:
 * the host serialises every entry into the core.
 */
#ifndef _SW_IMPL_H
#define _SW_IMPL_H

#include "sw.h"

#define SW_FORWARD_DEPTH	4	/* forwarding hops before we give up */
#define SW_DISPLAY_ROWS		2
#define SW_DISPLAY_COLS		40
#define SW_NUM_LAMPS		4
#define SW_NUM_BUTTONS		16

#define SW_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define sw_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/*
 * The far end of a call to or from an outside number: it runs its script
 * against the line's call (its leg).
 */
struct sw_farend {
	struct sw_call *leg;			/* NULL once parked */
	struct sw_script script;
	u8 pc;				/* next step */
	bool connected;
	bool waited;				/* the step's delay has passed */
	bool inbound;				/* script waits for the answer */
	char number[CTI_NUMBER_MAX];
	struct sw_tmr step_tmr;
	struct sw_tmr noanswer_tmr;
};

/*
 * One call on one line (TAPI's call appearance, a "leg").
 * An internal call is two of these, each the other's @peer; a call to or
 * from outside has a far end (@fe) instead. A conference is the set of
 * calls carrying its id (@conf): the controlling line's calls (@conf_ctl)
 * and their internal parties.
 */
struct sw_call {
	struct sw_call *next;			/* the line's list, oldest first */
	u32 handle;
	u32 line;
	u32 related;			/* consultation partner, conf id */
	u32 conf;				/* conference id, 0 if none */
	u8 state;
	u8 reason;				/* of the last state */
	u8 origin;
	u8 call_reason;			/* why it arrived */
	bool outgoing;				/* it placed the call: its party is @called */
	bool conf_ctl;
	struct sw_call *peer;
	struct sw_farend *fe;
	struct sw_park *parked;		/* its party waits here */
	char caller[CTI_NUMBER_MAX];
	char called[CTI_NUMBER_MAX];
	struct sw_tmr fwd_tmr;			/* forward on no answer */
};

/* A configured script for one outside number. */
struct sw_outside {
	struct sw_outside *next;
	char number[CTI_NUMBER_MAX];
	struct sw_script script;
};

/* A park slot: holds the parked party until someone unparks it. */
struct sw_park {
	bool used;
	char number[CTI_NUMBER_MAX];
	struct sw_call *call;			/* parked internal party */
	struct sw_farend *fe;			/* or parked outside party */
};

/*
 * A line and its phone. Kept small (the provider's bench targets < 1 KiB
 * per line at 100,000 lines): strings that most lines never set are
 * allocated on use.
 */
struct sw_line {
	struct sw_call *calls;
	char *fwd_to;				/* NULL: not forwarding */
	char *display;				/* rows * cols, NULL: blank */
	char *groups;				/* agent groups, NULL: none */
	u32 agent_reason;
	u32 agent_activity;
	u32 ring_pattern;			/* any value */
	u16 lamps;				/* 3 bits per lamp */
	u8 ncalls;
	u8 fwd_mode;
	u8 dnd;
	u8 status;
	u8 agent_state;
	u8 hook;				/* 2 bits per hookswitch */
	u8 ring_volume;
	u8 unplugged;			/* removed (hot-plug) */
	u8 orphan_keep;			/* keep calls nobody owns */
};

struct sw {
	const struct sw_host_ops *ops;
	void *ctx;
	struct sw_config cfg;
	struct sw_line *lines;
	u32 next_handle;
	struct sw_park *park;
	struct sw_outside *outside;
};

/* sw_core.c: memory, strings, timers, records. */
void *sw_zalloc(struct sw *sw, size_t size);
void sw_mfree(struct sw *sw, void *p);
char *sw_strdup(struct sw *sw, const char *s, size_t len);
void sw_strlcpy(char *dst, const char *src, size_t size);
void sw_utoa(u32 v, char *buf);
void sw_log(const struct sw *sw, int level, const char *msg);
void sw_event_prep(void *rec, u16 type, u16 size, u32 line);
void sw_emit(struct sw *sw, const struct cti_event *ev);
void sw_post_state(struct sw *sw, struct sw_call *c, u8 state,
		   u8 reason);
void sw_post_info(struct sw *sw, struct sw_call *c, u64 changed);
void sw_post_digits(struct sw *sw, struct sw_call *c, const char *digits,
		    size_t len);
void sw_post_line_status(struct sw *sw, u32 line);

/* sw_line.c: lines, numbers and phones. */
void sw_line_number(const struct sw *sw, u32 line, char *buf);
int sw_line_find(const struct sw *sw, const char *number, u32 *line);
int sw_authorize(struct sw *sw, const struct sw_req *req, u32 line,
		 u32 reach);
int sw_reach(struct sw *sw, const struct sw_req *req, const char *number,
	     u32 reach, u32 *line);
void sw_lines_free(struct sw *sw);
int sw_line_set_forward(struct sw *sw, u32 line, u32 mode,
			const char *to);
int sw_line_set_dnd(struct sw *sw, u32 line, u32 on);
int sw_phone_cmd(struct sw *sw, const struct sw_req *req);

/* sw_call.c: call objects and the switch's routing. */
struct sw_call *sw_call_new(struct sw *sw, u32 line);
void sw_call_free(struct sw *sw, struct sw_call *c);
struct sw_call *sw_call_find(const struct sw *sw, u32 line,
			     u32 handle);
void sw_call_set(struct sw *sw, struct sw_call *c, u8 state,
		 u8 reason);
void sw_party_gone(struct sw *sw, struct sw_call *c, u8 reason);
void sw_release(struct sw *sw, struct sw_call *c, u8 reason);
void sw_busy(struct sw *sw, struct sw_call *c);
void sw_conf_check(struct sw *sw, u32 line, u32 conf);
int sw_offer(struct sw *sw, struct sw_call *src, struct sw_farend *fe,
	     const char *caller, const char *called, const char *number,
	     u8 reason, unsigned int hops);
void sw_deflect(struct sw *sw, struct sw_call *c, const char *number,
		u8 idle_reason, u8 offer_reason);
void sw_take_party(struct sw_call *c, struct sw_call *from);
void sw_party_changed(struct sw *sw, struct sw_call *c);

/* sw_callctl.c: the call-control commands. */
int sw_callctl(struct sw *sw, const struct sw_req *req, u32 *out);

/* sw_farend.c: the scriptable far end. */
const struct sw_script *sw_script_find(const struct sw *sw,
				       const char *number);
struct sw_farend *sw_farend_new(struct sw *sw, const char *number,
				const struct sw_script *script, bool inbound);
void sw_farend_free(struct sw *sw, struct sw_farend *fe);
void sw_farend_start(struct sw *sw, struct sw_farend *fe);
void sw_farend_answered(struct sw *sw, struct sw_farend *fe);
void sw_farend_park(struct sw *sw, struct sw_farend *fe);
void sw_farend_resume(struct sw *sw, struct sw_farend *fe);

/* sw_agent.c: call-centre agent states. */
int sw_agent_cmd(struct sw *sw, const struct sw_req *req);
void sw_agent_call_changed(struct sw *sw, u32 line);

#endif /* _SW_IMPL_H */
