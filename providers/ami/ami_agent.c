// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Call-centre agents: a line with queues in its configuration is an agent
 * whose groups are those queues, and its device is the queue member
 * (Interface). The agent's state follows the Queue* and Agent* events:
 * a member of no queue is LOGGED_OUT, a paused one NOT_READY (with the
 * pause reason when it is a number) or AFTER_CALL_WORK (paused with the
 * reason "acw"), one on a queue call BUSY, else READY. Commands become
 * QueueAdd, QueuePause and QueueRemove; the state record comes from the
 * events they cause, never from the Response.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ami.h"

#define AMI_QUEUES_MAX	8	/* queues of one line */
/* The pause reason that says after-call work (a word: codes are numbers). */
#define AMI_ACW_REASON	"acw"

/* The index of @queue in the line's list, or -1. */
static int ami_queue_index(const struct ami_line_cfg *lc, const char *queue)
{
	const char *p = lc->queues;
	size_t n = queue ? strlen(queue) : 0;
	int i;

	if (!n)
		return -1;
	for (i = 0; i < AMI_QUEUES_MAX && *p; i++) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && !strncmp(p, queue, n))
			return i;
		if (!comma)
			break;
		p = comma + 1;
	}
	return -1;
}

static int ami_line_of_iface(const struct ami *a, const char *iface)
{
	size_t i;

	if (!iface)
		return -1;
	for (i = 0; i < a->cfg.nlines; i++)
		if (!strcmp(a->cfg.lines[i].device, iface))
			return (int)i;
	return -1;
}

static void ami_agent_post(struct ami *a, uint32_t line)
{
	struct ami_line *l = &a->lines[line];
	struct cti_uev_agent_state ev;
	uint32_t state;

	if (!l->qmask)
		state = CTI_AGENT_LOGGED_OUT;
	else if (l->qbusy & l->qmask)
		state = CTI_AGENT_BUSY;
	else if ((l->qpaused & l->qmask) == l->qmask)
		state = l->acw ? CTI_AGENT_AFTER_CALL_WORK :
			CTI_AGENT_NOT_READY;
	else
		state = CTI_AGENT_READY;
	if (state == l->agent && state != CTI_AGENT_NOT_READY)
		return;
	l->agent = state;
	memset(&ev, 0, sizeof(ev));
	ev.hdr.type = CTI_UEV_AGENT_STATE;
	ev.hdr.size = sizeof(ev);
	ev.hdr.line = line;
	ev.state = state;
	ev.reason = state == CTI_AGENT_NOT_READY ? l->agent_reason : 0;
	snprintf(ev.groups, sizeof(ev.groups), "%s", l->cfg->queues);
	a->api->post_event(a->host, &ev.hdr);
}

static void ami_bit(uint32_t *mask, uint32_t bit, const char *v)
{
	if (!v)
		return;
	if (!strcmp(v, "1") || !strcasecmp(v, "true"))
		*mask |= bit;
	else
		*mask &= ~bit;
}

void ami_agent_event(struct ami *a, const struct ami_msg *m, const char *ev)
{
	int line = ami_line_of_iface(a, ami_get(m, "Interface"));
	const char *reason, *st;
	struct ami_line *l;
	uint32_t bit;
	int q;

	if (line < 0 || strncmp(ev, "QueueMember", 11))
		return;
	l = &a->lines[line];
	q = ami_queue_index(l->cfg, ami_get(m, "Queue"));
	if (q < 0)
		return;		/* a queue the line does not work for */
	bit = 1u << q;
	if (!strcmp(ev, "QueueMemberRemoved")) {
		l->qmask &= ~bit;
	} else {
		l->qmask |= bit;
		ami_bit(&l->qpaused, bit, ami_get(m, "Paused"));
		ami_bit(&l->qbusy, bit, ami_get(m, "InCall"));
		st = ami_get(m, "Status");
		/* 2 in use, 3 busy, 6 ringing-in-use: a call is on. */
		if (st && (atoi(st) == 2 || atoi(st) == 3))
			l->qbusy |= bit;
		reason = ami_get(m, "PausedReason");
		if (!reason)
			reason = ami_get(m, "Reason");
		if (reason && (l->qpaused & bit)) {
			l->acw = !strcmp(reason, AMI_ACW_REASON);
			l->agent_reason = l->acw ? 0 :
				(uint32_t)strtoul(reason, NULL, 10);
		}
	}
	ami_agent_post(a, line);
}

/* Every queue of the line, as a mask. */
static uint32_t ami_queues_all(const struct ami_line_cfg *lc)
{
	const char *p = lc->queues;
	uint32_t mask = 0;
	int i;

	for (i = 0; i < AMI_QUEUES_MAX && *p; i++) {
		mask |= 1u << i;
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	return mask;
}

/* Send @fmt for every queue of the line in @mask, one ActionID for all. */
static int ami_queues_send(struct ami *a, struct ami_action *act,
			   uint32_t mask, const char *fmt, const char *dev,
			   const char *extra)
{
	const struct ami_line_cfg *lc = &a->cfg.lines[act->line];
	char queues[CTI_AGENT_GROUPS_MAX], *save = NULL, *q;
	int i = 0, sent = 0, ret = 0;

	snprintf(queues, sizeof(queues), "%s", lc->queues);
	act->pending = 0;
	for (q = strtok_r(queues, ",", &save); q && i < AMI_QUEUES_MAX;
	     q = strtok_r(NULL, ",", &save), i++) {
		if (!(mask & (1u << i)))
			continue;
		act->pending++;
		ret = ami_send(a, act, fmt, q, dev, extra);
		if (ret) {
			act->pending--;
			break;
		}
		sent++;
	}
	if (!sent) {
		free(act);
		return ret ? ret : -EBUSY;
	}
	if (ret)
		act->error = ret;
	return 0;
}

int ami_agent_submit(struct ami *a, const struct cti_provider_request *req)
{
	const struct ami_line_cfg *lc = &a->cfg.lines[req->line];
	struct ami_line *l = &a->lines[req->line];
	struct ami_action *act;
	uint32_t all = ami_queues_all(lc);
	char reason[16];

	if (!lc->queues[0])
		return -EOPNOTSUPP;
	if (req->arg == CTI_AGENT_BUSY || req->arg >= CTI_AGENT_STATE_MAX)
		return -EINVAL;
	/* After-call work is a pause of a logged-in agent's queues. */
	if (req->arg == CTI_AGENT_AFTER_CALL_WORK && !l->qmask)
		return -EBUSY;
	act = ami_req_action(a, req);
	if (!act)
		return -ENOMEM;
	if (req->arg == CTI_AGENT_AFTER_CALL_WORK)
		snprintf(reason, sizeof(reason), "%s", AMI_ACW_REASON);
	else
		snprintf(reason, sizeof(reason), "%u", req->arg2);
	l->agent_reason = req->arg == CTI_AGENT_AFTER_CALL_WORK ? 0 :
		req->arg2;
	if (req->arg == CTI_AGENT_LOGGED_OUT)
		return ami_queues_send(a, act, l->qmask,
				       "Action: QueueRemove\r\nQueue: %s\r\n"
				       "Interface: %s\r\n%s", lc->device, "");
	if (!l->qmask)
		return ami_queues_send(a, act, all,
				       "Action: QueueAdd\r\nQueue: %s\r\n"
				       "Interface: %s\r\nPaused: %s\r\n",
				       lc->device, req->arg == CTI_AGENT_READY ?
				       "false" : "true");
	if (req->arg == CTI_AGENT_READY)
		return ami_queues_send(a, act, l->qmask,
				       "Action: QueuePause\r\nQueue: %s\r\n"
				       "Interface: %s\r\nPaused: false\r\n%s",
				       lc->device, "");
	return ami_queues_send(a, act, l->qmask,
			       "Action: QueuePause\r\nQueue: %s\r\n"
			       "Interface: %s\r\nPaused: true\r\nReason: %s\r\n",
			       lc->device, reason);
}
