// SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later
/*
 * Call-centre agent state per line (ready, not ready, after-call work) with
 * reason and activity codes and groups, reported through sw_host_ops.note.
 * The switch itself moves a READY agent to BUSY while a call is connected
 * and, when the last call ends, to AFTER_CALL_WORK (or back to READY when
 * the configuration turns after-call work off).
 */
#include "sw_impl.h"

static void sw_agent_post(struct sw *sw, u32 line)
{
	const struct sw_line *l = &sw->lines[line];
	struct sw_note n = {
		.kind = SW_NOTE_AGENT,
		.a = l->agent_state,
		.b = l->agent_reason,
		.c = l->agent_activity,
		.text = l->groups,
		.text_len = l->groups ? strlen(l->groups) : 0,
	};

	if (sw->ops->note)
		sw->ops->note(sw->ctx, line, &n);
}

static bool sw_group_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
	       ch == '.' || ch == ',';
}

static int sw_agent_groups(struct sw *sw, u32 line, const char *data,
			   u32 len)
{
	struct sw_line *l = &sw->lines[line];
	char *copy = NULL;
	u32 i;

	if (len >= SW_AGENT_GROUPS_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!sw_group_char(data[i]))
			return -EINVAL;
	if (len) {
		copy = sw_strdup(sw, data, len);
		if (!copy)
			return -ENOMEM;
	}
	sw_mfree(sw, l->groups);
	l->groups = copy;
	return 0;
}

int sw_agent_cmd(struct sw *sw, const struct sw_req *req)
{
	struct sw_line *l = &sw->lines[req->line];
	int ret;

	switch (req->cmd) {
	case SW_UCMD_SET_AGENT_STATE:
		/* BUSY is the switch's to set, not a command's. */
		if (req->arg >= SW_AGENT_BUSY)
			return -EINVAL;
		l->agent_state = req->arg;
		l->agent_reason = req->arg2;
		if (req->arg == SW_AGENT_LOGGED_OUT)
			l->agent_activity = 0;
		break;
	case SW_UCMD_SET_AGENT_GROUP:
		ret = sw_agent_groups(sw, req->line, req->data, req->data_len);
		if (ret)
			return ret;
		break;
	case SW_UCMD_SET_AGENT_ACTIVITY:
		if (l->agent_state == SW_AGENT_LOGGED_OUT)
			return -EBUSY;
		l->agent_activity = req->arg;
		break;
	default:
		return -EOPNOTSUPP;
	}
	sw_agent_post(sw, req->line);
	return 0;
}

void sw_agent_call_changed(struct sw *sw, u32 line)
{
	struct sw_line *l = &sw->lines[line];
	const struct sw_call *c;
	bool talking = false;

	if (l->agent_state != SW_AGENT_READY &&
	    l->agent_state != SW_AGENT_BUSY)
		return;
	for (c = l->calls; c; c = c->next)
		if (c->state == CTI_CALL_CONNECTED ||
		    c->state == CTI_CALL_CONFERENCED)
			talking = true;
	if (l->agent_state == SW_AGENT_READY && talking) {
		l->agent_state = SW_AGENT_BUSY;
		l->agent_reason = 0;
	} else if (l->agent_state == SW_AGENT_BUSY && !l->calls) {
		l->agent_state = sw->cfg.after_call_work ?
				 SW_AGENT_AFTER_CALL_WORK : SW_AGENT_READY;
		l->agent_reason = 0;
	} else {
		return;
	}
	sw_agent_post(sw, line);
}
