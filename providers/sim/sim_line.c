// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim's lines and phones: directory numbers, registration with the
 * host, busy rules, forwarding and do-not-disturb, and the phone commands
 * (hook switch, display, lamps, ringer).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* A dial string: 0-9, * and #, with an optional leading +. */
bool sim_number_valid(const char *s, bool allow_empty)
{
	size_t i, n = strnlen(s, CTI_NUMBER_MAX);

	if (n >= CTI_NUMBER_MAX || (!n && !allow_empty))
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if ((ch >= '0' && ch <= '9') || ch == '*' || ch == '#')
			continue;
		if (ch == '+' && i == 0 && n > 1)
			continue;
		return false;
	}
	return true;
}

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

static uint64_t sim_line_ops(void)
{
	uint64_t ops = 0;
	int cmd;

	for (cmd = 0; cmd < CTI_CMD_MAX; cmd++)
		ops |= 1ULL << cmd;
	/* The sim is a call-control switch, not a link card. */
	return ops & ~(1ULL << CTI_CMD_SEND_LINK_FRAME);
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

/*
 * Resolve the @number of @req's data: a number that is not a line of the
 * switch (the far end) gives 0 and *@line CTI_LINE_NONE; a line gives its
 * index in *@line once the host allows @reach on it (sim_authorize()).
 * A call offered to an unplugged line reaches nothing (it ends
 * UNREACHABLE), so that one is not asked about.
 */
int sim_reach(struct sim *sim, const struct cti_provider_request *req,
	      const char *number, uint32_t reach, uint32_t *line)
{
	uint32_t t;
	int ret;

	*line = CTI_LINE_NONE;
	if (sim_line_find(sim, number, &t))
		return 0;
	if (reach != CTI_REACH_CALL || !sim->lines[t].unplugged) {
		ret = sim_authorize(sim, req, t, reach);
		if (ret)
			return ret;
	}
	*line = t;
	return 0;
}

int sim_lines_init(struct sim *sim)
{
	uint32_t i;
	int ret;

	sim->lines = calloc(sim->cfg.lines, sizeof(*sim->lines));
	if (!sim->lines)
		return -ENOMEM;
	if (sim->cfg.numbers) {
		sim->sorted = malloc(sim->cfg.lines * sizeof(*sim->sorted));
		if (!sim->sorted)
			return -ENOMEM;
		for (i = 0; i < sim->cfg.lines; i++)
			sim->sorted[i] = i;
		qsort_r(sim->sorted, sim->cfg.lines, sizeof(*sim->sorted),
			sim_cmp_sorted, sim->cfg.numbers);
		for (i = 1; i < sim->cfg.lines; i++) {
			if (!strcmp(sim->cfg.numbers[sim->sorted[i - 1]],
				    sim->cfg.numbers[sim->sorted[i]])) {
				sim_log(sim, CTI_LOG_ERR, "number %s is listed twice",
					sim->cfg.numbers[sim->sorted[i]]);
				return -EINVAL;
			}
		}
	}

	for (i = 0; i < sim->cfg.lines; i++) {
		ret = sim_line_announce(sim, i);
		if (ret)
			return ret;
	}
	return 0;
}

/* Tell the host about line @line (at start-up and when plugged back). */
int sim_line_announce(struct sim *sim, uint32_t line)
{
	struct cti_provider_line_desc desc;
	int ret;

	memset(&desc, 0, sizeof(desc));
	desc.size = sizeof(desc);
	desc.max_calls = sim->cfg.max_calls;
	desc.ops = sim_line_ops();
	desc.uops = (1ULL << (CTI_UCMD_MAX - CTI_UCMD_BASE)) - 1;
	desc.status = sim->lines[line].status;
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

static void sim_hotplug_queue(struct sim *sim, uint32_t line, uint16_t type)
{
	struct cti_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.size = sizeof(ev);
	ev.line = line;
	sim_event_queue(sim, &ev);
}

/*
 * Pull the line's plug: its calls end (IDLE, OUT_OF_ORDER; their parties
 * are DISCONNECTED), then the host removes the line. Its number is
 * unreachable until it is plugged back.
 */
int sim_line_unplug(struct sim *sim, uint32_t line)
{
	struct sim_line *l = &sim->lines[line];

	if (l->unplugged)
		return -ENODEV;
	while (l->calls)
		sim_release(sim, l->calls, CTI_DISC_OUT_OF_ORDER);
	l->unplugged = 1;
	sim_hotplug_queue(sim, line, SIM_EV_LINE_REMOVE);
	return 0;
}

int sim_line_plug(struct sim *sim, uint32_t line)
{
	struct sim_line *l = &sim->lines[line];

	if (!l->unplugged)
		return -EBUSY;
	l->unplugged = 0;
	sim_hotplug_queue(sim, line, SIM_EV_LINE_ADD);
	return 0;
}

void sim_lines_free(struct sim *sim)
{
	uint32_t i;

	if (!sim->lines)
		return;
	for (i = 0; i < sim->cfg.lines; i++) {
		struct sim_line *l = &sim->lines[i];

		while (l->calls)
			sim_call_free(sim, l->calls);
		free(l->fwd_to);
		free(l->display);
		free(l->groups);
	}
	free(sim->lines);
	free(sim->sorted);
	sim->lines = NULL;
	sim->sorted = NULL;
}

int sim_line_set_forward(struct sim *sim, uint32_t line, uint32_t mode,
			 const char *to)
{
	struct sim_line *l = &sim->lines[line];
	char self[CTI_NUMBER_MAX];
	char *copy = NULL;

	if (mode > CTI_FORWARD_NO_ANSWER)
		return -EINVAL;
	if (mode == CTI_FORWARD_NONE && *to)
		return -EINVAL;
	if (mode != CTI_FORWARD_NONE) {
		sim_line_number(sim, line, self);
		if (!sim_number_valid(to, false) || !strcmp(to, self))
			return -EINVAL;
		copy = strdup(to);
		if (!copy)
			return -ENOMEM;
	}
	free(l->fwd_to);
	l->fwd_to = copy;
	l->fwd_mode = mode;
	sim_post_line_status(sim, line);
	return 0;
}

int sim_line_set_dnd(struct sim *sim, uint32_t line, uint32_t on)
{
	if (on > 1)
		return -EINVAL;
	sim->lines[line].dnd = on;
	sim_post_line_status(sim, line);
	return 0;
}

static int sim_hook_shift(uint32_t sw)
{
	switch (sw) {
	case CTI_HOOKSWITCH_HANDSET:
		return 0;
	case CTI_HOOKSWITCH_SPEAKER:
		return 2;
	case CTI_HOOKSWITCH_HEADSET:
		return 4;
	default:
		return -1;
	}
}

static int sim_phone_hook(struct sim *sim, uint32_t line, uint32_t sw,
			  uint32_t mode)
{
	struct sim_line *l = &sim->lines[line];
	struct cti_ev_phone_hook ev;
	int shift = sim_hook_shift(sw);

	if (shift < 0 || mode > CTI_HOOK_MICSPEAKER)
		return -EINVAL;
	l->hook = (l->hook & ~(3u << shift)) | (mode << shift);
	sim_event_prep(&ev.hdr, CTI_EV_PHONE_HOOK, sizeof(ev), line);
	ev.hookswitch = sw;
	ev.mode = mode;
	sim_event_queue(sim, &ev.hdr);
	return 0;
}

static int sim_phone_display(struct sim *sim, uint32_t line, uint32_t row,
			     uint32_t col, const char *text, uint32_t len)
{
	struct sim_line *l = &sim->lines[line];
	struct cti_uev_phone_display ev;
	uint32_t i;

	if (row >= SIM_DISPLAY_ROWS || col >= SIM_DISPLAY_COLS)
		return -EINVAL;
	/* Text past the end of the row is cut, as on the kernel's sim. */
	if (len > SIM_DISPLAY_COLS - col)
		len = SIM_DISPLAY_COLS - col;
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			return -EINVAL;
	if (!l->display) {
		l->display = malloc(SIM_DISPLAY_ROWS * SIM_DISPLAY_COLS);
		if (!l->display)
			return -ENOMEM;
		memset(l->display, ' ', SIM_DISPLAY_ROWS * SIM_DISPLAY_COLS);
	}
	memcpy(l->display + row * SIM_DISPLAY_COLS + col, text, len);

	sim_event_prep(&ev.hdr, CTI_UEV_PHONE_DISPLAY, sizeof(ev), line);
	ev.row = row;
	ev.col = col;
	memcpy(ev.text, l->display + row * SIM_DISPLAY_COLS, SIM_DISPLAY_COLS);
	sim_event_queue(sim, &ev.hdr);
	return 0;
}

static int sim_phone_lamp(struct sim *sim, uint32_t line, uint32_t lamp,
			  uint32_t mode)
{
	struct sim_line *l = &sim->lines[line];
	struct cti_uev_phone_lamp ev;

	if (lamp >= SIM_NUM_LAMPS || mode > CTI_LAMP_FLUTTER)
		return -EINVAL;
	l->lamps = (l->lamps & ~(7u << (3 * lamp))) | (mode << (3 * lamp));
	sim_event_prep(&ev.hdr, CTI_UEV_PHONE_LAMP, sizeof(ev), line);
	ev.lamp = lamp;
	ev.mode = mode;
	sim_event_queue(sim, &ev.hdr);
	return 0;
}

static int sim_phone_ring(struct sim *sim, uint32_t line, uint32_t pattern,
			  uint32_t volume)
{
	struct sim_line *l = &sim->lines[line];
	struct cti_uev_phone_ring ev;

	if (volume > 100)
		return -EINVAL;
	l->ring_pattern = pattern;
	l->ring_volume = volume;
	sim_event_prep(&ev.hdr, CTI_UEV_PHONE_RING, sizeof(ev), line);
	ev.pattern = pattern;
	ev.volume = volume;
	sim_event_queue(sim, &ev.hdr);
	return 0;
}

int sim_phone_cmd(struct sim *sim, const struct cti_provider_request *req)
{
	switch (req->cmd) {
	case CTI_CMD_SET_HOOK:
		return sim_phone_hook(sim, req->line, req->arg, req->arg2);
	case CTI_CMD_SET_DISPLAY:
		return sim_phone_display(sim, req->line, req->arg, req->arg2,
					 req->data, req->data_len);
	case CTI_CMD_SET_LAMP:
		return sim_phone_lamp(sim, req->line, req->arg, req->arg2);
	case CTI_CMD_SET_RING:
		return sim_phone_ring(sim, req->line, req->arg, req->arg2);
	default:
		return -EOPNOTSUPP;
	}
}
