/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sim provider: ctid's host around the reference switch core
 * (../../switch/sw.h). The switch itself (calls, far end, park, forward,
 * phones, agents) lives in the core, which cti_sim.ko builds too; this
 * side keeps what is ctid's: the configuration keys, the provider ops, the
 * numbering plan, the bridge to cti_host_api.authorize(), the record FIFO
 * that puts every REPLY before its records, and the text commands of
 * CTI_CMD_DEV_SPECIFIC.
 *
 * Everything runs on the host's loop thread; there is no locking.
 */
#ifndef _CTI_SIM_H
#define _CTI_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../cti_provider.h"
#include "../../switch/sw.h"

#define SIM_MAX_CALLS_DEFAULT	3	/* as the kernel's cti_sim */
#define SIM_NUM_BUTTONS		16
#define SIM_NUM_LAMPS		4
#define SIM_DISPLAY_ROWS	2
#define SIM_DISPLAY_COLS	40
#define SIM_HOOKSWITCHES	(CTI_HOOKSWITCH_HANDSET | CTI_HOOKSWITCH_SPEAKER | \
				 CTI_HOOKSWITCH_HEADSET)

#define sim_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* A configured script for one outside number. */
struct sim_outside {
	struct sim_outside *next;
	char number[CTI_NUMBER_MAX];
	struct sw_script script;
};

/* An inbound call from the configuration, placed after @delay ms. */
struct sim_inbound {
	struct sim_inbound *next;
	char to[CTI_NUMBER_MAX];
	char from[CTI_NUMBER_MAX];
	uint32_t delay;
	struct sw_tmr tmr;
	struct sim *sim;			/* set when armed */
};

/* "orphan.<number> = drop|keep": one line's own orphan policy. */
struct sim_orphan {
	struct sim_orphan *next;
	char number[CTI_NUMBER_MAX];
	bool keep;
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
	bool orphan_keep;
	struct sw_script outside_default;
	struct sim_outside *outside;
	struct sim_inbound *inbound;
	struct sim_orphan *orphan;
};

/*
 * The record FIFO's storage: records packed one after the other, each at
 * an 8-byte boundary. Two of them: the flush posts from one while the
 * records its posting makes go to the other, so neither moves under the
 * record being posted. Both keep their memory: in a steady state no
 * record costs an allocation.
 */
struct sim_evbuf {
	uint8_t *p;
	size_t len, cap;
};

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
	struct sw *sw;
	uint32_t *sorted;			/* line indexes by number */
	const struct cti_provider_request *req;	/* in submit, for authorize */
	struct sim_evbuf evq[2];
	unsigned int evq_cur;			/* the one being filled */
	struct sw_tmr flush_tmr;
};

#define sim_log(sim, level, ...) \
	((sim)->api->log((sim)->host, (level), __VA_ARGS__))

/* sim_config.c */
int sim_config_parse(struct sim_config *cfg, const struct cti_host_api *api,
		     struct cti_host *host,
		     const struct cti_provider_config *pc);
void sim_config_free(struct sim_config *cfg);

/* sim_line.c: the numbering plan, the host's lines, authorisation. */
void sim_line_number(const struct sim *sim, uint32_t line, char *buf);
int sim_line_find(const struct sim *sim, const char *number, uint32_t *line);
int sim_numbers_sort(struct sim *sim);
int sim_line_announce(struct sim *sim, uint32_t line);
int sim_authorize(struct sim *sim, const struct cti_provider_request *req,
		  uint32_t line, uint32_t reach);

/* sim_ops.c: the record FIFO. */
void sim_event_queue(struct sim *sim, const struct cti_event *ev);
void sim_hotplug_queue(struct sim *sim, uint32_t line, uint16_t type);

/* sim_devspec.c: the text commands of CTI_CMD_DEV_SPECIFIC. */
int sim_dev_specific(struct sim *sim, const struct cti_provider_request *req);

#endif /* _CTI_SIM_H */
