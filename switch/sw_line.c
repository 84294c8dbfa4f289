// SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later
/*
 * The switch's lines and phones: numbers (resolved by the host's
 * numbering plan), who may reach which line, hot-plug, forwarding and
 * do-not-disturb, line status, and the phone commands (hook switch,
 * display, lamps, ringer, buttons).
 */
#include "sw_impl.h"

/* A dial string: 0-9, * and #, with an optional leading +. */
bool sw_number_valid(const char *s, bool allow_empty)
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

void sw_line_number(const struct sw *sw, u32 line, char *buf)
{
	sw->ops->line_number(sw->ctx, line, buf);
}

/* The numbering plan is the host's configuration. */
int sw_line_find(const struct sw *sw, const char *number, u32 *line)
{
	u32 t;

	if (sw->ops->line_find(sw->ctx, number, &t) || t >= sw->cfg.lines)
		return -ENOENT;
	*line = t;
	return 0;
}

/*
 * The one door through which a request of the sw reaches a line other
 * than the one it names (cti_provider.h, "Rules"): the host checked
 * @req->line itself, every other line is vetted by the host with the
 * principal of the client that sent @req. Returns 0 to go ahead, or the
 * host's answer (-ENOENT: a line the client may not see, to be answered
 * exactly like a number that is not a line; -EACCES: no such right),
 * which the command returns unchanged with nothing done.
 */
int sw_authorize(struct sw *sw, const struct sw_req *req,
		 u32 line, u32 reach)
{
	if (reach != SW_REACH_SWITCH && line == req->line)
		return 0;
	return sw->ops->authorize(sw->ctx, req, line, reach);
}

/*
 * Resolve the @number of @req's data: a number that is not a line of the
 * switch (the far end) gives 0 and *@line CTI_LINE_NONE; a line gives its
 * index in *@line once the host allows @reach on it (sw_authorize()).
 * A call offered to an unplugged line reaches nothing (it ends
 * UNREACHABLE), so that one is not asked about.
 */
int sw_reach(struct sw *sw, const struct sw_req *req,
	     const char *number, u32 reach, u32 *line)
{
	u32 t;
	int ret;

	*line = CTI_LINE_NONE;
	if (sw_line_find(sw, number, &t))
		return 0;
	if (reach != SW_REACH_CALL || !sw->lines[t].unplugged) {
		ret = sw_authorize(sw, req, t, reach);
		if (ret)
			return ret;
	}
	*line = t;
	return 0;
}

/*
 * Pull the line's plug: its calls end (IDLE, OUT_OF_ORDER; their parties
 * are DISCONNECTED), then the host removes the line. Its number is
 * unreachable until it is plugged back.
 */
int sw_line_unplug(struct sw *sw, u32 line)
{
	struct sw_line *l = &sw->lines[line];

	if (l->unplugged)
		return -ENODEV;
	while (l->calls)
		sw_release(sw, l->calls, CTI_DISC_OUT_OF_ORDER);
	l->unplugged = 1;
	return 0;
}

int sw_line_plug(struct sw *sw, u32 line)
{
	struct sw_line *l = &sw->lines[line];

	if (!l->unplugged)
		return -EBUSY;
	l->unplugged = 0;
	return 0;
}

void sw_lines_free(struct sw *sw)
{
	u32 i;

	if (!sw->lines)
		return;
	for (i = 0; i < sw->cfg.lines; i++) {
		struct sw_line *l = &sw->lines[i];

		while (l->calls)
			sw_call_free(sw, l->calls);
		sw_mfree(sw, l->fwd_to);
		sw_mfree(sw, l->display);
		sw_mfree(sw, l->groups);
	}
	sw_mfree(sw, sw->lines);
	sw->lines = NULL;
}

int sw_line_set_forward(struct sw *sw, u32 line, u32 mode,
			const char *to)
{
	struct sw_line *l = &sw->lines[line];
	char self[CTI_NUMBER_MAX];
	char *copy = NULL;

	if (mode > CTI_FORWARD_NO_ANSWER)
		return -EINVAL;
	if (mode == CTI_FORWARD_NONE && *to)
		return -EINVAL;
	if (mode != CTI_FORWARD_NONE) {
		sw_line_number(sw, line, self);
		if (!sw_number_valid(to, false) || !strcmp(to, self))
			return -EINVAL;
		copy = sw_strdup(sw, to, strlen(to));
		if (!copy)
			return -ENOMEM;
	}
	sw_mfree(sw, l->fwd_to);
	l->fwd_to = copy;
	l->fwd_mode = mode;
	sw_post_line_status(sw, line);
	return 0;
}

int sw_line_set_dnd(struct sw *sw, u32 line, u32 on)
{
	if (on > 1)
		return -EINVAL;
	sw->lines[line].dnd = on;
	sw_post_line_status(sw, line);
	return 0;
}

bool sw_line_present(const struct sw *sw, u32 line)
{
	return line < sw->cfg.lines && !sw->lines[line].unplugged;
}

u32 sw_line_status_get(const struct sw *sw, u32 line)
{
	return sw->lines[line].status;
}

/* The line goes in or out of service (or maintenance): LINE_STATUS. */
int sw_line_set_status(struct sw *sw, u32 line, u32 status)
{
	if (status > CTI_LINE_MAINTENANCE)
		return -EINVAL;
	sw->lines[line].status = status;
	sw_post_line_status(sw, line);
	return 0;
}

void sw_line_set_orphan(struct sw *sw, u32 line, bool keep)
{
	sw->lines[line].orphan_keep = keep;
}

static void sw_note(struct sw *sw, u32 line, u32 kind, u32 a,
		    u32 b, const char *text, size_t len)
{
	struct sw_note n = {
		.kind = kind, .a = a, .b = b, .text = text, .text_len = len,
	};

	if (sw->ops->note)
		sw->ops->note(sw->ctx, line, &n);
}

static int sw_hook_shift(u32 hookswitch)
{
	switch (hookswitch) {
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

static int sw_phone_hook(struct sw *sw, u32 line, u32 hookswitch,
			 u32 mode)
{
	struct sw_line *l = &sw->lines[line];
	struct cti_ev_phone_hook ev;
	int shift = sw_hook_shift(hookswitch);

	if (shift < 0 || mode > CTI_HOOK_MICSPEAKER)
		return -EINVAL;
	l->hook = (l->hook & ~(3u << shift)) | (mode << shift);
	sw_event_prep(&ev, CTI_EV_PHONE_HOOK, sizeof(ev), line);
	ev.hookswitch = hookswitch;
	ev.mode = mode;
	sw_emit(sw, &ev.hdr);
	return 0;
}

static int sw_phone_display(struct sw *sw, u32 line, u32 row,
			    u32 col, const char *text, u32 len)
{
	struct sw_line *l = &sw->lines[line];
	u32 i;

	if (row >= SW_DISPLAY_ROWS || col >= SW_DISPLAY_COLS)
		return -EINVAL;
	/* Text past the end of the row is cut. */
	if (len > SW_DISPLAY_COLS - col)
		len = SW_DISPLAY_COLS - col;
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			return -EINVAL;
	if (!l->display) {
		l->display = sw_zalloc(sw, SW_DISPLAY_ROWS * SW_DISPLAY_COLS);
		if (!l->display)
			return -ENOMEM;
		memset(l->display, ' ', SW_DISPLAY_ROWS * SW_DISPLAY_COLS);
	}
	memcpy(l->display + row * SW_DISPLAY_COLS + col, text, len);
	sw_note(sw, line, SW_NOTE_DISPLAY, row, col,
		l->display + row * SW_DISPLAY_COLS, SW_DISPLAY_COLS);
	return 0;
}

static int sw_phone_lamp(struct sw *sw, u32 line, u32 lamp,
			 u32 mode)
{
	struct sw_line *l = &sw->lines[line];

	if (lamp >= SW_NUM_LAMPS || mode > CTI_LAMP_FLUTTER)
		return -EINVAL;
	l->lamps = (l->lamps & ~(7u << (3 * lamp))) | (mode << (3 * lamp));
	sw_note(sw, line, SW_NOTE_LAMP, lamp, mode, NULL, 0);
	return 0;
}

static int sw_phone_ring(struct sw *sw, u32 line, u32 pattern,
			 u32 volume)
{
	struct sw_line *l = &sw->lines[line];

	if (volume > 100)
		return -EINVAL;
	l->ring_pattern = pattern;
	l->ring_volume = volume;
	sw_note(sw, line, SW_NOTE_RING, pattern, volume, NULL, 0);
	return 0;
}

/* The user presses (1) or releases (0) button @button of @line's phone. */
int sw_phone_button(struct sw *sw, u32 line, u32 button,
		    u32 pressed)
{
	struct cti_ev_phone_button ev;

	if (line >= sw->cfg.phones)
		return -ENOENT;
	if (button >= SW_NUM_BUTTONS || pressed > 1)
		return -EINVAL;
	sw_event_prep(&ev, CTI_EV_PHONE_BUTTON, sizeof(ev), line);
	ev.button = button;
	ev.pressed = pressed;
	sw_emit(sw, &ev.hdr);
	return 0;
}

/* A line without a phone (line >= phones) answers -ENOENT. */
int sw_phone_cmd(struct sw *sw, const struct sw_req *req)
{
	if (req->line >= sw->cfg.phones)
		return -ENOENT;
	switch (req->cmd) {
	case CTI_CMD_SET_HOOK:
		return sw_phone_hook(sw, req->line, req->arg, req->arg2);
	case CTI_CMD_SET_DISPLAY:
		return sw_phone_display(sw, req->line, req->arg, req->arg2,
					req->data, req->data_len);
	case CTI_CMD_SET_LAMP:
		return sw_phone_lamp(sw, req->line, req->arg, req->arg2);
	case CTI_CMD_SET_RING:
		return sw_phone_ring(sw, req->line, req->arg, req->arg2);
	default:
		return -EOPNOTSUPP;
	}
}
