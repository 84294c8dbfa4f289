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

static void sim_button_post(struct sim *sim, uint32_t line, uint32_t id,
			    uint32_t pressed)
{
	struct cti_ev_phone_button ev;

	sim_event_prep(&ev.hdr, CTI_EV_PHONE_BUTTON, sizeof(ev), line);
	ev.button = id;
	ev.pressed = pressed;
	sim_event_queue(sim, &ev.hdr);
}

static int sim_set_script(struct sim *sim, const char *number,
			  const char *text)
{
	struct sim_outside *o;
	struct sim_script s;

	if (!sim_number_valid(number, false) || sim_script_parse(text, &s))
		return -EINVAL;
	for (o = sim->cfg.outside; o; o = o->next)
		if (!strcmp(o->number, number))
			break;
	if (!o) {
		o = calloc(1, sizeof(*o));
		if (!o)
			return -ENOMEM;
		strcpy(o->number, number);
		o->next = sim->cfg.outside;
		sim->cfg.outside = o;
	}
	o->script = s;
	return 0;
}

int sim_dev_specific(struct sim *sim, const struct cti_provider_request *req)
{
	char word[16], arg[CTI_NUMBER_MAX];
	struct sim_script s;
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
		sim->lines[req->line].status = v;
		sim_post_line_status(sim, req->line);
		return 0;
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
			ret = sim_reach(sim, req, arg, CTI_REACH_CONTROL,
					&line);
			if (!ret && line == CTI_LINE_NONE)
				ret = -EINVAL;
		}
		if (ret)
			return ret;
		return word[0] == 'u' ? sim_line_unplug(sim, line) :
					sim_line_plug(sim, line);
	}
	if (!arg[0])
		return -EINVAL;
	if (!strcmp(word, "inbound")) {
		if (sim_script_parse(p, &s))
			return -EINVAL;
		return sim_inbound(sim, req->line, arg, &s);
	}
	if (!strcmp(word, "script")) {
		int ret = sim_authorize(sim, req, CTI_LINE_NONE,
					CTI_REACH_SWITCH);

		return ret ? ret : sim_set_script(sim, arg, p);
	}
	if (!strcmp(word, "farend")) {
		struct sim_call *c;

		if (sim_u32(arg, &v))
			return -EINVAL;
		c = sim_call_find(sim, req->line, v);
		if (!c)
			return -ENOENT;
		if (!c->fe)
			return -EBUSY;
		return sim_farend_cmd(sim, c->fe, p);
	}
	if (!strcmp(word, "button")) {
		if (sim_u32(arg, &v) || v >= SIM_NUM_BUTTONS)
			return -EINVAL;
		if (!*p || !strcmp(p, "press"))
			sim_button_post(sim, req->line, v, 1);
		if (!*p || !strcmp(p, "release"))
			sim_button_post(sim, req->line, v, 0);
		else if (strcmp(p, "press"))
			return -EINVAL;
		return 0;
	}
	return -EINVAL;
}
