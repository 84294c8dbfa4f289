// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * CTI_CMD_DEV_SPECIFIC for the sim: a few text commands that play the
 * world outside the switch, so that tests and demos can script it:
 *
 *   inbound <from> [<script>]   an outside caller rings this line
 *   script <number> <script>    set the far-end script of an outside number
 *   farend <call> <script>      the far end of <call> runs <script> now
 *   button <id> [press|release] the user presses a phone button
 *   status in|out|maint         the line's status changes
 *   unplug [<number>]           a line (this one) goes away (hot-plug)
 *   plug <number>               an unplugged line comes back
 *   flood <n>                   n DIGITS records at once (a load, admins)
 *
 * A line other than the request's is vetted by the host (sim_authorize):
 * unplugging it needs CONTROL of it. Plugging a line back and scripting
 * the far end are CTI_REACH_SWITCH (admins only): the line is not present
 * for the host to check a right on, and a script changes the outside
 * calls of every user.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static const char *sim_arg(const char *p, char *buf, size_t size)
{
	size_t n = 0;

	while (*p == ' ')
		p++;
	while (*p && *p != ' ') {
		if (n + 1 >= size)
			return NULL;
		buf[n++] = *p++;
	}
	buf[n] = '\0';
	while (*p == ' ')
		p++;
	return p;
}

static int sim_u32(const char *s, uint32_t *v)
{
	unsigned long n = 0;

	if (!*s || strlen(s) > 9)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		n = n * 10 + (unsigned long)(*s - '0');
	}
	*v = n;
	return 0;
}

/*
 * Resolve @number to a line the host allows @req to @reach (CONTROL):
 * 0 and *@line, -EINVAL for a number that is no line, or the host's
 * answer.
 */
static int sim_reach_line(struct sim *sim,
			  const struct cti_provider_request *req,
			  const char *number, uint32_t reach, uint32_t *line)
{
	if (sim_line_find(sim, number, line))
		return -EINVAL;
	return sim_authorize(sim, req, *line, reach);
}

static int sim_unplug(struct sim *sim, uint32_t line)
{
	int ret = sw_line_unplug(sim->sw, line);

	/* After the IDLE records of its calls, never before. */
	if (!ret)
		sim_hotplug_queue(sim, line, SIM_EV_LINE_REMOVE);
	return ret;
}

static int sim_plug(struct sim *sim, uint32_t line)
{
	int ret = sw_line_plug(sim->sw, line);

	if (!ret)
		sim_hotplug_queue(sim, line, SIM_EV_LINE_ADD);
	return ret;
}

/*
 * flood: @n DIGITS records on @line (call 1, the index modulo 65536 as
 * four DTMF symbols, from 0 in each flood), the very records cti_sim.ko's "N dtmf" flood posts
 * in the kernel, so that the benchmark (selftests/cti/kcard_bench.c)
 * puts the same load through this provider and through a kernel card.
 * They go through the record FIFO like every record of the sim; the host
 * stamps each as it is posted, as the kernel stamps a card's records
 * when the backend posts them.
 */
#define SIM_FLOOD_MAX	65536

static int sim_flood(struct sim *sim, const struct cti_provider_request *req,
		     const char *count)
{
	static const char sym[] = "0123456789*#ABCD";
	struct cti_ev_digits ev;
	uint32_t n;
	int ret;

	if (sim_u32(count, &n) || !n || n > SIM_FLOOD_MAX)
		return -EINVAL;
	/* a load on the whole daemon, not one line's business */
	ret = sim_authorize(sim, req, CTI_LINE_NONE, CTI_REACH_SWITCH);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < n; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.hdr.type = CTI_EV_DIGITS;
		ev.hdr.size = sizeof(ev);
		ev.hdr.line = req->line;
		ev.call = 1;
		ev.count = 4;
		for (int k = 0; k < 4; k++)
			ev.digits[k] = sym[(i >> (12 - 4 * k)) & 0xf];
		sim_event_queue(sim, &ev.hdr);
	}
	return 0;
}

static int sim_set_script(struct sim *sim, const char *number,
			  const char *text)
{
	struct sw_script s;

	if (!sw_number_valid(number, false) || sw_script_parse(text, &s))
		return -EINVAL;
	return sw_script_set(sim->sw, number, &s);
}

int sim_dev_specific(struct sim *sim, const struct cti_provider_request *req)
{
	char word[16], arg[CTI_NUMBER_MAX];
	struct sw_script s;
	const char *p = req->data;
	uint32_t v;

	if (req->data_len > CTI_DEV_SPECIFIC_MAX ||
	    strlen(req->data) != req->data_len)
		return -EINVAL;
	p = sim_arg(p, word, sizeof(word));
	if (!p)
		return -EINVAL;
	if (!strcmp(word, "status")) {
		static const char *const names[] = { "in", "out", "maint" };

		for (v = 0; v < 3; v++)
			if (!strcmp(p, names[v]))
				break;
		if (v == 3)
			return -EINVAL;
		return sw_line_set_status(sim->sw, req->line, v);
	}
	p = sim_arg(p, arg, sizeof(arg));
	if (!p)
		return -EINVAL;
	if (!strcmp(word, "unplug") || !strcmp(word, "plug")) {
		uint32_t line = req->line;
		int ret = 0;

		if (*p || (!arg[0] && word[0] == 'p'))
			return -EINVAL;
		if (word[0] == 'p') {
			/* The line is not present: nothing to vet it by. */
			ret = sim_authorize(sim, req, CTI_LINE_NONE,
					    CTI_REACH_SWITCH);
			if (!ret && sim_line_find(sim, arg, &line))
				ret = -EINVAL;
		} else if (arg[0]) {
			ret = sim_reach_line(sim, req, arg, CTI_REACH_CONTROL,
					     &line);
		}
		if (ret)
			return ret;
		return word[0] == 'u' ? sim_unplug(sim, line) :
					sim_plug(sim, line);
	}
	if (!arg[0])
		return -EINVAL;
	if (!strcmp(word, "inbound")) {
		if (sw_script_parse(p, &s))
			return -EINVAL;
		return sw_inbound(sim->sw, req->line, arg, &s);
	}
	if (!strcmp(word, "flood"))
		return *p ? -EINVAL : sim_flood(sim, req, arg);
	if (!strcmp(word, "script")) {
		int ret = sim_authorize(sim, req, CTI_LINE_NONE,
					CTI_REACH_SWITCH);

		return ret ? ret : sim_set_script(sim, arg, p);
	}
	if (!strcmp(word, "farend")) {
		if (sim_u32(arg, &v))
			return -EINVAL;
		return sw_farend_script(sim->sw, req->line, v, p);
	}
	if (!strcmp(word, "button")) {
		if (sim_u32(arg, &v) || v >= SIM_NUM_BUTTONS ||
		    (*p && strcmp(p, "press") && strcmp(p, "release")))
			return -EINVAL;
		if (!*p || !strcmp(p, "press"))
			sw_phone_button(sim->sw, req->line, v, 1);
		if (!*p || !strcmp(p, "release"))
			sw_phone_button(sim->sw, req->line, v, 0);
		return 0;
	}
	return -EINVAL;
}
