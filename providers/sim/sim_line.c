// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim's lines as ctid sees them: the numbering plan (computed from
 * first_number, or an explicit list searched in sorted order), announcing
 * a line to the host, and the one door to cti_host_api.authorize().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* Numbers are computed, not stored, unless the config lists them. */
void sim_line_number(const struct sim *sim, uint32_t line, char *buf)
{
	if (sim->cfg.numbers)
		snprintf(buf, CTI_NUMBER_MAX, "%s", sim->cfg.numbers[line]);
	else
		snprintf(buf, CTI_NUMBER_MAX, "%lu",
			 (unsigned long)sim->cfg.first_number + line);
}

static int sim_cmp_sorted(const void *a, const void *b, void *arg)
{
	char **numbers = arg;

	return strcmp(numbers[*(const uint32_t *)a],
		      numbers[*(const uint32_t *)b]);
}

struct sim_key {
	const char *number;
	char **numbers;
};

static int sim_cmp_key(const void *key, const void *elem)
{
	const struct sim_key *k = key;

	return strcmp(k->number, k->numbers[*(const uint32_t *)elem]);
}

int sim_line_find(const struct sim *sim, const char *number, uint32_t *line)
{
	unsigned long n = 0;
	const char *p;

	if (sim->cfg.numbers) {
		struct sim_key k = { number, sim->cfg.numbers };
		const uint32_t *hit = bsearch(&k, sim->sorted, sim->cfg.lines,
					      sizeof(*sim->sorted),
					      sim_cmp_key);

		if (!hit)
			return -ENOENT;
		*line = *hit;
		return 0;
	}
	/* Canonical decimal only: "0100" is an outside number, not 100. */
	if (!*number || (number[0] == '0' && number[1]) ||
	    strlen(number) > 10)
		return -ENOENT;
	for (p = number; *p; p++) {
		if (*p < '0' || *p > '9')
			return -ENOENT;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	if (n < sim->cfg.first_number ||
	    n - sim->cfg.first_number >= sim->cfg.lines)
		return -ENOENT;
	*line = n - sim->cfg.first_number;
	return 0;
}

/* An explicit number list is searched by bsearch over its sorted order. */
int sim_numbers_sort(struct sim *sim)
{
	uint32_t i;

	if (!sim->cfg.numbers)
		return 0;
	sim->sorted = malloc(sim->cfg.lines * sizeof(*sim->sorted));
	if (!sim->sorted)
		return -ENOMEM;
	for (i = 0; i < sim->cfg.lines; i++)
		sim->sorted[i] = i;
	qsort_r(sim->sorted, sim->cfg.lines, sizeof(*sim->sorted),
		sim_cmp_sorted, sim->cfg.numbers);
	return 0;
}

static uint64_t sim_desc_ops(void)
{
	uint64_t ops = 0;
	int cmd;

	for (cmd = 0; cmd < CTI_CMD_MAX; cmd++)
		ops |= 1ULL << cmd;
	/* The sim is a call-control switch, not a link card. */
	return ops & ~(1ULL << CTI_CMD_SEND_LINK_FRAME);
}

/* Tell the host about line @line (at start-up and when plugged back). */
int sim_line_announce(struct sim *sim, uint32_t line)
{
	struct cti_provider_line_desc desc;
	int ret;

	memset(&desc, 0, sizeof(desc));
	desc.size = sizeof(desc);
	desc.max_calls = sim->cfg.max_calls;
	desc.ops = sim_desc_ops();
	desc.uops = (1ULL << (CTI_UCMD_MAX - CTI_UCMD_BASE)) - 1;
	desc.status = sw_line_status_get(sim->sw, line);
	desc.num_addresses = 1;
	desc.phone.hookswitches = SIM_HOOKSWITCHES;
	desc.phone.num_buttons = SIM_NUM_BUTTONS;
	desc.phone.num_lamps = SIM_NUM_LAMPS;
	desc.phone.display_rows = SIM_DISPLAY_ROWS;
	desc.phone.display_cols = SIM_DISPLAY_COLS;
	sim_line_number(sim, line, desc.addresses[0]);
	/* Numbers are unique and never start with letters. */
	if (strlen(desc.addresses[0]) + 4 <= sizeof(desc.name)) {
		memcpy(desc.name, "ext", 3);
		strcpy(desc.name + 3, desc.addresses[0]);
	} else {
		strcpy(desc.name, desc.addresses[0]);
	}
	ret = sim->api->line_add(sim->host, line, &desc, NULL);
	if (ret)
		sim_log(sim, CTI_LOG_ERR, "line_add(%s): %d", desc.name, ret);
	return ret;
}

/*
 * The one door through which a request of the sim reaches a line other
 * than the one it names (cti_provider.h, "Rules"): the host checked
 * @req->line itself, every other line is vetted by the host with the
 * principal of the client that sent @req. Returns 0 to go ahead, or the
 * host's answer (-ENOENT: a line the client may not see, to be answered
 * exactly like a number that is not a line; -EACCES: no such right),
 * which the command returns unchanged with nothing done.
 */
int sim_authorize(struct sim *sim, const struct cti_provider_request *req,
		  uint32_t line, uint32_t reach)
{
	if (reach != CTI_REACH_SWITCH && line == req->line)
		return 0;
	/* A host that cannot vet gets nothing that needs vetting. */
	if (!CTI_HOST_API_HAS(sim->api, authorize) || !sim->api->authorize)
		return -EACCES;
	return sim->api->authorize(sim->host, req->handle, line, reach);
}
