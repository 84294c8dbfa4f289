// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Call-centre agent state per line (ready, not ready, after-call work) with
 * reason and activity codes and groups, reported as CTI_UEV_AGENT_STATE.
 * The switch itself moves a READY agent to BUSY while a call is connected
 * and, when the last call ends, to AFTER_CALL_WORK (or back to READY when
 * the configuration turns after-call work off).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static void sim_agent_post(struct sim *sim, uint32_t line)
{
	const struct sim_line *l = &sim->lines[line];
	struct cti_uev_agent_state ev;

	sim_event_prep(&ev.hdr, CTI_UEV_AGENT_STATE, sizeof(ev), line);
	ev.state = l->agent_state;
	ev.reason = l->agent_reason;
	ev.activity = l->agent_activity;
	if (l->groups)
		strncpy(ev.groups, l->groups, sizeof(ev.groups) - 1);
	sim_event_queue(sim, &ev.hdr);
}

static bool sim_group_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
	       ch == '.' || ch == ',';
}

static int sim_agent_groups(struct sim *sim, uint32_t line, const char *data,
			    uint32_t len)
{
	struct sim_line *l = &sim->lines[line];
	char *copy = NULL;
	uint32_t i;

	if (len >= CTI_AGENT_GROUPS_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!sim_group_char(data[i]))
			return -EINVAL;
	if (len) {
		copy = strndup(data, len);
		if (!copy)
			return -ENOMEM;
	}
	free(l->groups);
	l->groups = copy;
	return 0;
}

int sim_agent_cmd(struct sim *sim, const struct cti_provider_request *req)
{
	struct sim_line *l = &sim->lines[req->line];
	int ret;

	switch (req->cmd) {
	case CTI_UCMD_SET_AGENT_STATE:
		/* BUSY is the switch's to set, not a command's. */
		if (req->arg >= CTI_AGENT_BUSY)
			return -EINVAL;
		l->agent_state = req->arg;
		l->agent_reason = req->arg2;
		if (req->arg == CTI_AGENT_LOGGED_OUT)
			l->agent_activity = 0;
		break;
	case CTI_UCMD_SET_AGENT_GROUP:
		ret = sim_agent_groups(sim, req->line, req->data,
				       req->data_len);
		if (ret)
			return ret;
		break;
	case CTI_UCMD_SET_AGENT_ACTIVITY:
		if (l->agent_state == CTI_AGENT_LOGGED_OUT)
			return -EBUSY;
		l->agent_activity = req->arg;
		break;
	default:
		return -EOPNOTSUPP;
	}
	sim_agent_post(sim, req->line);
	return 0;
}

void sim_agent_call_changed(struct sim *sim, uint32_t line)
{
	struct sim_line *l = &sim->lines[line];
	const struct sim_call *c;
	bool talking = false;

	if (l->agent_state != CTI_AGENT_READY &&
	    l->agent_state != CTI_AGENT_BUSY)
		return;
	for (c = l->calls; c; c = c->next)
		if (c->state == CTI_CALL_CONNECTED ||
		    c->state == CTI_CALL_CONFERENCED)
			talking = true;
	if (l->agent_state == CTI_AGENT_READY && talking) {
		l->agent_state = CTI_AGENT_BUSY;
		l->agent_reason = 0;
	} else if (l->agent_state == CTI_AGENT_BUSY && !l->calls) {
		l->agent_state = sim->cfg.after_call_work ?
				 CTI_AGENT_AFTER_CALL_WORK : CTI_AGENT_READY;
		l->agent_reason = 0;
	} else {
		return;
	}
	sim_agent_post(sim, line);
}
