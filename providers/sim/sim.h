/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sim provider's internal interfaces: a virtual PBX whose lines call
 * each other by number and whose outside numbers reach a scriptable far end.
 *
 * The model changes synchronously inside submit (so that the REPLY can name
 * the new call) while the records describing the change are queued and
 * posted from a zero-delay timer (sim_event.c): clients see the REPLY first.
 * Everything runs on the host's loop thread; there is no locking.
 */
#ifndef _CTI_SIM_H
#define _CTI_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../cti_provider.h"

#define SIM_MAX_CALLS_DEFAULT	3	/* as the kernel's cti_sim */
#define SIM_FORWARD_DEPTH	4	/* forwarding hops before we give up */
#define SIM_DISPLAY_ROWS	2
#define SIM_DISPLAY_COLS	40
#define SIM_NUM_LAMPS		4
#define SIM_NUM_BUTTONS		16
#define SIM_HOOKSWITCHES	(CTI_HOOKSWITCH_HANDSET | CTI_HOOKSWITCH_SPEAKER | \
				 CTI_HOOKSWITCH_HEADSET)

struct sim;

/*
 * A host timer owned by an object. The timer's cookie is the address of
 * this struct; the owner cancels it before it is freed, so a firing timer
 * always finds its owner alive.
 */
struct sim_tmr {
	int64_t id;				/* 0 when not armed */
	void (*fn)(struct sim *sim, struct sim_tmr *tmr);
};

void sim_tmr_arm(struct sim *sim, struct sim_tmr *tmr, uint64_t ms);
void sim_tmr_cancel(struct sim *sim, struct sim_tmr *tmr);

#define SIM_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define sim_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* One step of a far-end script ("answer 500", "digits 12", ...). */
enum sim_step_op {
	SIM_STEP_END = 0,
	SIM_STEP_ANSWER,
	SIM_STEP_BUSY,
	SIM_STEP_NOANSWER,
	SIM_STEP_REJECT,
	SIM_STEP_UNREACHABLE,
	SIM_STEP_DIGITS,
	SIM_STEP_WAIT,
	SIM_STEP_HANGUP,
};

struct sim_step {
	uint8_t op;
	uint32_t ms;				/* delay before the step */
	char digits[CTI_DIGITS_MAX + 1];
};

#define SIM_SCRIPT_MAX	8

struct sim_script {
	uint8_t count;
	struct sim_step steps[SIM_SCRIPT_MAX];
};

int sim_script_parse(const char *text, struct sim_script *out);

/*
 * The far end of a call to or from an outside number: it runs its script
 * against the line's call (its leg).
 */
struct sim_farend {
	struct sim_call *leg;			/* NULL once parked */
	struct sim_script script;
	uint8_t pc;				/* next step */
	bool connected;
	bool waited;				/* the step's delay has passed */
	bool inbound;				/* script waits for the answer */
	char number[CTI_NUMBER_MAX];
	struct sim_tmr step_tmr;
	struct sim_tmr noanswer_tmr;
};

/*
 * One call on one line (TAPI's call appearance, the kernel sim's "leg").
 * An internal call is two of these, each the other's @peer; a call to or
 * from outside has a far end (@fe) instead. A conference is the set of
 * calls carrying its id (@conf): the controlling line's calls (@conf_ctl)
 * and their internal parties.
 */
struct sim_call {
	struct sim_call *next;			/* the line's list, oldest first */
	uint32_t handle;
	uint32_t line;
	uint32_t related;			/* consultation partner, conf id */
	uint32_t conf;				/* conference id, 0 if none */
	uint8_t state;
	uint8_t reason;				/* of the last state */
	uint8_t origin;
	uint8_t call_reason;			/* why it arrived */
	bool conf_ctl;
	struct sim_call *peer;
	struct sim_farend *fe;
	struct sim_park *parked;		/* its party waits here */
	char caller[CTI_NUMBER_MAX];
	char called[CTI_NUMBER_MAX];
	struct sim_tmr fwd_tmr;			/* forward on no answer */
};

/*
 * A line and its phone. Kept small (the bench targets < 1 KiB per line at
 * 100,000 lines): strings that most lines never set are allocated on use.
 */
struct sim_line {
	struct sim_call *calls;
	char *fwd_to;				/* NULL: not forwarding */
	char *display;				/* rows * cols, NULL: blank */
	char *groups;				/* agent groups, NULL: none */
	uint32_t agent_reason;
	uint32_t agent_activity;
	uint32_t ring_pattern;			/* any value, as on the kernel sim */
	uint16_t lamps;				/* 3 bits per lamp */
	uint8_t ncalls;
	uint8_t fwd_mode;
	uint8_t dnd;
	uint8_t status;
	uint8_t agent_state;
	uint8_t hook;				/* 2 bits per hookswitch */
	uint8_t ring_volume;
	uint8_t unplugged;			/* removed from the host (hot-plug) */
};

/* A configured script for one outside number. */
struct sim_outside {
	struct sim_outside *next;
	char number[CTI_NUMBER_MAX];
	struct sim_script script;
};

/* A park slot: holds the parked party until someone unparks it. */
struct sim_park {
	bool used;
	char number[CTI_NUMBER_MAX];
	struct sim_call *call;			/* parked internal party */
	struct sim_farend *fe;			/* or parked outside party */
};

/* An inbound call from the configuration, placed after @delay ms. */
struct sim_inbound {
	struct sim_inbound *next;
	char to[CTI_NUMBER_MAX];
	char from[CTI_NUMBER_MAX];
	uint32_t delay;
	struct sim_tmr tmr;
};

struct sim_config {
	uint32_t lines;
	uint32_t first_number;
	char **numbers;				/* explicit numbers, or NULL */
	uint32_t max_calls;
	uint32_t noanswer_ms;
	uint32_t forward_noanswer_ms;
	uint32_t park_slots;
	uint32_t park_first;
	bool after_call_work;
	struct sim_script outside_default;
	struct sim_outside *outside;
	struct sim_inbound *inbound;
};

struct sim_ev;

/*
 * Hot-plug steps travel in the record FIFO (never posted) so that the
 * host removes a line only after the IDLE records of its calls.
 */
#define SIM_EV_LINE_REMOVE	0xfffe
#define SIM_EV_LINE_ADD		0xffff

struct sim {
	const struct cti_host_api *api;
	struct cti_host *host;
	struct sim_config cfg;
	struct sim_line *lines;
	uint32_t *sorted;			/* line indexes by number */
	uint32_t next_handle;
	struct sim_park *park;
	struct sim_ev *evq_head;
	struct sim_ev **evq_tail;
	struct sim_tmr flush_tmr;
};

#define sim_log(sim, level, ...) \
	((sim)->api->log((sim)->host, (level), __VA_ARGS__))

/* sim_config.c */
int sim_config_parse(struct sim_config *cfg, const struct cti_host_api *api,
		     struct cti_host *host,
		     const struct cti_provider_config *pc);
void sim_config_free(struct sim_config *cfg);
const struct sim_script *sim_config_script(const struct sim_config *cfg,
					   const char *number);

/* sim_event.c: queue records and post them from a zero-delay timer. */
void sim_event_init(struct sim *sim);
void sim_event_prep(struct cti_event *hdr, uint16_t type, uint16_t size,
		    uint32_t line);
void sim_event_queue(struct sim *sim, const struct cti_event *ev);
void sim_event_flush(struct sim *sim);
void sim_event_free(struct sim *sim);
void sim_post_state(struct sim *sim, struct sim_call *c, uint8_t state,
		    uint8_t reason);
void sim_post_info(struct sim *sim, struct sim_call *c, uint64_t changed);
void sim_post_digits(struct sim *sim, struct sim_call *c, const char *digits);
void sim_post_line_status(struct sim *sim, uint32_t line);

/* sim_line.c: lines, numbers and phones. */
bool sim_number_valid(const char *s, bool allow_empty);
void sim_line_number(const struct sim *sim, uint32_t line, char *buf);
int sim_line_find(const struct sim *sim, const char *number, uint32_t *line);
int sim_authorize(struct sim *sim, const struct cti_provider_request *req,
		  uint32_t line, uint32_t reach);
int sim_reach(struct sim *sim, const struct cti_provider_request *req,
	      const char *number, uint32_t reach, uint32_t *line);
int sim_lines_init(struct sim *sim);
int sim_line_announce(struct sim *sim, uint32_t line);
int sim_line_unplug(struct sim *sim, uint32_t line);
int sim_line_plug(struct sim *sim, uint32_t line);
void sim_lines_free(struct sim *sim);
int sim_line_set_forward(struct sim *sim, uint32_t line, uint32_t mode,
			 const char *to);
int sim_line_set_dnd(struct sim *sim, uint32_t line, uint32_t on);
int sim_phone_cmd(struct sim *sim, const struct cti_provider_request *req);

/* sim_call.c: call objects and the switch's routing. */
struct sim_call *sim_call_new(struct sim *sim, uint32_t line);
void sim_call_free(struct sim *sim, struct sim_call *c);
struct sim_call *sim_call_find(const struct sim *sim, uint32_t line,
			       uint32_t handle);
void sim_call_set(struct sim *sim, struct sim_call *c, uint8_t state,
		  uint8_t reason);
void sim_party_gone(struct sim *sim, struct sim_call *c, uint8_t reason);
void sim_release(struct sim *sim, struct sim_call *c, uint8_t reason);
void sim_busy(struct sim *sim, struct sim_call *c);
void sim_conf_check(struct sim *sim, uint32_t line, uint32_t conf);
int sim_offer(struct sim *sim, struct sim_call *src, struct sim_farend *fe,
	      const char *caller, const char *number, uint8_t reason,
	      unsigned int hops);
void sim_deflect(struct sim *sim, struct sim_call *c, const char *number,
		 uint8_t idle_reason, uint8_t offer_reason);
void sim_take_party(struct sim_call *c, struct sim_call *from);

/* sim_callctl.c: the call-control commands. */
int sim_callctl(struct sim *sim, const struct cti_provider_request *req,
		uint32_t *out);

/* sim_farend.c: the scriptable far end. */
struct sim_farend *sim_farend_new(struct sim *sim, const char *number,
				  const struct sim_script *script,
				  bool inbound);
void sim_farend_free(struct sim *sim, struct sim_farend *fe);
void sim_farend_start(struct sim *sim, struct sim_farend *fe);
void sim_farend_answered(struct sim *sim, struct sim_farend *fe);
void sim_farend_park(struct sim *sim, struct sim_farend *fe);
void sim_farend_resume(struct sim *sim, struct sim_farend *fe);
int sim_farend_cmd(struct sim *sim, struct sim_farend *fe, const char *steps);
void sim_farend_digits(struct sim *sim, struct sim_farend *fe,
		       const char *digits);
int sim_inbound(struct sim *sim, uint32_t line, const char *from,
		const struct sim_script *script);
void sim_inbound_arm(struct sim *sim);

/* sim_agent.c: call-centre agent states. */
int sim_agent_cmd(struct sim *sim, const struct cti_provider_request *req);
void sim_agent_call_changed(struct sim *sim, uint32_t line);

/* sim_devspec.c: the text commands of CTI_CMD_DEV_SPECIFIC. */
int sim_dev_specific(struct sim *sim, const struct cti_provider_request *req);

#endif /* _CTI_SIM_H */
