/* SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later */
/*
 * sw.h - the reference switch, written once for every host.
 *
 * One portable switch core (lines that call each other by number, a
 * scriptable far end behind every other number, hold, transfer,
 * conference, redirect, park, pickup, forwarding, do-not-disturb, phones
 * and agent states) built into both cti_sim.ko (kernel/sim) and the sim
 * provider (providers/sim). The sequences of records it produces are the
 * reference of kernel/sim/README.md and providers/sim/README.md; README.md
 * in this folder says which model it keeps and why.
 *
 * A host creates one &struct sw per switch with sw_new(), hands it
 * commands with sw_submit() and fires its timers with sw_tmr_fire(); the
 * core calls back through &struct sw_host_ops for memory, timers, records,
 * the numbering plan and authorisation. The core is single-threaded: a
 * host serialises every call into it (the kernel under the card's
 * spinlock, the provider on ctid's loop thread), callbacks included.
 *
 * Errors are negative errno values with the meanings of <linux/cti.h>.
 */
#ifndef _SW_H
#define _SW_H

#include "sw_port.h"

struct sw;
struct sw_tmr;

/*
 * How a command reaches a line other than its own: the values of
 * &enum cti_provider_reach (providers/cti_provider.h), which the userspace
 * host checks at build time.
 */
#define SW_REACH_CALL		0
#define SW_REACH_PICKUP		1
#define SW_REACH_CONTROL	2
#define SW_REACH_SWITCH		3

/* Log levels of sw_host_ops.log: those of &enum cti_log_level. */
#define SW_LOG_ERR		3
#define SW_LOG_WARNING		4
#define SW_LOG_INFO		6

/* Not a line: the far end, or "every line" for sw_farend_script(). */
#define SW_LINE_NONE		CTI_LINE_NONE

/*
 * Userspace-only commands (&enum cti_ucmd of providers/cti_provider.h,
 * same values, checked there at build time): call-centre agents, which a
 * kernel card does not have. Their changes are reported through
 * sw_host_ops.note, never as records of the core.
 */
#define SW_UCMD_BASE			64
#define SW_UCMD_SET_AGENT_STATE		64
#define SW_UCMD_SET_AGENT_GROUP		65
#define SW_UCMD_SET_AGENT_ACTIVITY	66
#define SW_UCMD_MAX			67

/* Agent states (&enum cti_agent_state, same values). */
#define SW_AGENT_LOGGED_OUT		0
#define SW_AGENT_READY			1
#define SW_AGENT_NOT_READY		2
#define SW_AGENT_AFTER_CALL_WORK	3
#define SW_AGENT_BUSY			4
#define SW_AGENT_GROUPS_MAX		64	/* bytes, with the NUL */

/* What a &struct sw_note reports. */
enum sw_note_kind {
	SW_NOTE_AGENT,		/* @a state, @b reason, @c activity, @text groups */
	SW_NOTE_DISPLAY,	/* @a row, @b col, @text the whole row */
	SW_NOTE_LAMP,		/* @a lamp, @b mode */
	SW_NOTE_RING,		/* @a pattern, @b volume */
};

/**
 * struct sw_note - a change the kernel ABI has no record for
 * @kind: an &enum sw_note_kind
 * @a: first value
 * @b: second value
 * @c: third value
 * @text: text (not NUL-terminated), or NULL
 * @text_len: bytes at @text
 *
 * Agents and the phone's display, lamps and ringer are reported as the
 * userspace-only CTI_UEV_* records of providers/cti_provider.h, whose
 * layout the kernel does not know: the core hands the values to the host,
 * which formats them (userspace) or ignores them (kernel).
 */
struct sw_note {
	u32 kind;
	u32 a;
	u32 b;
	u32 c;
	const char *text;
	size_t text_len;
};

/**
 * struct sw_req - one command for the switch (as &struct
 * cti_provider_request and the kernel's &struct cti_cmd)
 * @handle: the host's id of the request, passed back to authorize()
 * @cmd: an &enum cti_cmd, or a userspace-only command (64 and up)
 * @line: the line the command names; the host checked it exists
 * @call: the call, or CTI_CALL_NONE
 * @call2: the second call, or CTI_CALL_NONE
 * @arg: first argument
 * @arg2: second argument
 * @data_len: bytes at @data
 * @data: the command's text, NUL-terminated at @data[@data_len], never
 *	NULL, without a NUL inside
 */
struct sw_req {
	u64 handle;
	u32 cmd;
	u32 line;
	u32 call;
	u32 call2;
	u32 arg;
	u32 arg2;
	u32 data_len;
	const char *data;
};

/**
 * struct sw_host_ops - what a host does for the core
 * @alloc: zeroed memory of @size bytes, or NULL; must not sleep (the
 *	kernel calls the core under a spinlock)
 * @free: release what @alloc gave (NULL is allowed)
 * @timer_arm: arm a one-shot timer that calls sw_tmr_fire(@tmr, id) after
 *	@ms milliseconds, never from inside this call; timers due at the
 *	same time fire in the order they were armed. Returns an id > 0, or a
 *	negative errno (the step is then lost and logged).
 * @timer_cancel: cancel timer @id; its sw_tmr_fire() will not follow
 * @emit: a record in the format of <linux/cti.h>, header filled but for
 *	seq and timestamp. The host copies it. Records are emitted while a command runs: the host
 *	posts them after that command's REPLY.
 * @line_find: the line whose directory number is @number: 0 and *@line,
 *	or -ENOENT (an outside number). The numbering plan is the host's
 *	configuration.
 * @line_number: the directory number of @line into @buf (CTI_NUMBER_MAX)
 * @authorize: may request @req affect @line (never @req->line) as @reach
 *	(SW_REACH_*) says? 0, or the errno to refuse @req with. A host whose
 *	requests all come from one trusted place (a kernel card has no users)
 *	answers 0.
 * @log: a fixed message at a SW_LOG_* level; the core formats nothing
 * @note: optional (NULL: dropped). A change of an agent or of a phone's
 *	display, lamp or ringer (&struct sw_note)
 *
 * Every op gets the @ctx given to sw_new().
 */
struct sw_host_ops {
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *p);
	s64 (*timer_arm)(void *ctx, u64 ms, struct sw_tmr *tmr);
	void (*timer_cancel)(void *ctx, s64 id);
	void (*emit)(void *ctx, const struct cti_event *ev);
	int (*line_find)(void *ctx, const char *number, u32 *line);
	void (*line_number)(void *ctx, u32 line, char *buf);
	int (*authorize)(void *ctx, const struct sw_req *req, u32 line,
			 u32 reach);
	void (*log)(void *ctx, int level, const char *msg);
	void (*note)(void *ctx, u32 line, const struct sw_note *note);
};

/*
 * A timer owned by an object of the core or of the host. The host's
 * timer cookie is the address of this struct; its owner cancels it before
 * it is freed, so a firing timer always finds its owner alive.
 */
struct sw_tmr {
	s64 id;				/* 0 when not armed */
	void (*fn)(struct sw *sw, struct sw_tmr *tmr);
};

void sw_tmr_arm(struct sw *sw, struct sw_tmr *tmr, u64 ms);
void sw_tmr_cancel(struct sw *sw, struct sw_tmr *tmr);
void sw_tmr_fire(struct sw *sw, struct sw_tmr *tmr, s64 id);

/* One step of a far-end script ("answer 500", "digits 12", ...). */
enum sw_step_op {
	SW_STEP_END = 0,
	SW_STEP_ANSWER,
	SW_STEP_BUSY,
	SW_STEP_NOANSWER,
	SW_STEP_REJECT,
	SW_STEP_UNREACHABLE,
	SW_STEP_DIGITS,
	SW_STEP_WAIT,
	SW_STEP_HANGUP,
};

struct sw_step {
	u8 op;
	u32 ms;		/* delay before the step (noanswer: ring limit) */
	char digits[CTI_DIGITS_MAX + 1];
};

#define SW_SCRIPT_MAX	8

/* What the far end behind one number does: see README.md. */
struct sw_script {
	u8 count;
	struct sw_step steps[SW_SCRIPT_MAX];
};

int sw_script_parse(const char *text, struct sw_script *out);

/**
 * struct sw_config - the switch's shape, fixed for its life
 * @lines: number of lines (indexes 0 .. @lines - 1)
 * @phones: lines 0 .. @phones - 1 have a phone
 * @max_calls: calls a line can have at once (1..255)
 * @noanswer_ms: an unanswered outside party gives up after this; 0: never
 * @forward_noanswer_ms: forward-on-no-answer delay
 * @park_slots: park slots (0..1000)
 * @park_first: the first default park slot number
 * @after_call_work: a busy agent goes to after-call work when its last
 *	call ends (else back to READY)
 * @orphan_keep: calls whose last owner went away are kept (else dropped),
 *	for every line; sw_line_set_orphan() changes one line
 * @outside_default: the far-end script of outside numbers without one
 */
struct sw_config {
	u32 lines;
	u32 phones;
	u32 max_calls;
	u32 noanswer_ms;
	u32 forward_noanswer_ms;
	u32 park_slots;
	u32 park_first;
	bool after_call_work;
	bool orphan_keep;
	struct sw_script outside_default;
};

struct sw *sw_new(const struct sw_host_ops *ops, void *ctx,
		  const struct sw_config *cfg);
void sw_free(struct sw *sw);

/*
 * Run command @req: 0 when done (*@call is the call it created, if any,
 * else CTI_CALL_NONE) with its records emitted, or a negative errno with
 * nothing changed and nothing emitted. DEV_SPECIFIC and SEND_LINK_FRAME
 * are the host's (-EOPNOTSUPP here).
 */
int sw_submit(struct sw *sw, const struct sw_req *req, u32 *call);

/* The world outside the switch and its lines, for the host's controls. */
bool sw_number_valid(const char *s, bool allow_empty);
int sw_script_set(struct sw *sw, const char *number,
		  const struct sw_script *script);
void sw_script_clear(struct sw *sw);
void sw_script_default(struct sw *sw, const struct sw_script *script);
int sw_inbound(struct sw *sw, u32 line, const char *from,
	       const struct sw_script *script);
int sw_farend_script(struct sw *sw, u32 line, u32 call,
		     const char *text);
int sw_farend_hangup(struct sw *sw, u32 line, u32 call);
int sw_farend_digits(struct sw *sw, u32 line, u32 call,
		     const char *digits);
int sw_line_unplug(struct sw *sw, u32 line);
int sw_line_plug(struct sw *sw, u32 line);
bool sw_line_present(const struct sw *sw, u32 line);
u32 sw_line_status_get(const struct sw *sw, u32 line);
int sw_line_set_status(struct sw *sw, u32 line, u32 status);
void sw_line_set_orphan(struct sw *sw, u32 line, bool keep);
int sw_phone_button(struct sw *sw, u32 line, u32 button,
		    u32 pressed);

/*
 * Call @call of @line lost its last owner (the program that made or took
 * it went away): drop it as CTI_CMD_DROP would, unless the line keeps
 * orphans. Returns 0 (dropped), 1 (kept) or -ENOENT.
 */
int sw_call_orphaned(struct sw *sw, u32 line, u32 call);

/* Check the model's invariants; logs each breach, returns their number. */
int sw_check(const struct sw *sw);

#endif /* _SW_H */
