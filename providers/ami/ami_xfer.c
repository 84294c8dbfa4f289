// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Consultation transfer through Atxfer (README.md, "Mapping").
 *
 * SETUP_TRANSFER sends Atxfer: Asterisk holds the far party and dials the
 * number from the transferer's own channel through a Local channel of
 * the originate context. The consultation is a second call on the line,
 * carried by that Local channel's ";2" half (the one that runs the Dial),
 * which the call waits for by name. COMPLETE_TRANSFER hangs up the
 * transferer's channel, which is how Asterisk completes an attended
 * transfer; both calls end IDLE/TRANSFERRED. SETUP_CONFERENCE is the
 * same consultation with the held call ONHOLDPENDCONF; joining the
 * parties (ADD_TO_CONFERENCE, COMPLETE_TRANSFER as a conference) is
 * ami_conf.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ami.h"

static int ami_xfer_setup(struct ami *a, const struct cti_provider_request *req)
{
	struct ami_action *act;
	struct ami_call *c;
	int ret;

	if (req->cmd == CTI_CMD_SETUP_CONFERENCE && !a->cfg.conf_context[0])
		return -EOPNOTSUPP;
	c = ami_req_call(a, req, CTI_CALL_CONNECTED, &ret);
	if (!c)
		return ret;
	ret = ami_vet_number(a, req, CTI_REACH_CALL);
	if (ret)
		return ret;
	act = ami_req_action(a, req);
	if (!act)
		return -ENOMEM;
	return ami_go(a, act, "Action: Atxfer\r\nChannel: %s\r\nExten: %s\r\n"
		      "Context: %s\r\n", c->channel, act->number,
		      a->cfg.context);
}

static int ami_xfer_complete(struct ami *a,
			     const struct cti_provider_request *req)
{
	struct ami_call *held = ami_call_find(a, req->line, req->call);
	struct ami_call *cons = ami_call_find(a, req->line, req->call2);
	struct ami_action *act;
	int ret;

	if (!held || !cons)
		return -ENOENT;
	/* The held call comes first, and must be this consultation's. */
	if ((held->state != CTI_CALL_ONHOLDPENDTRANSFER &&
	     held->state != CTI_CALL_ONHOLDPENDCONF) ||
	    held->info.related_call != cons->handle || held->end_reason ||
	    !held->channel[0])
		return -EBUSY;
	if (req->cmd == CTI_CMD_ADD_TO_CONFERENCE ||
	    req->arg == CTI_TRANSFER_MODE_CONFERENCE)
		return ami_conf_join(a, req, held, cons);
	if (req->arg != CTI_TRANSFER_MODE_TRANSFER)
		return -EINVAL;
	if (held->state != CTI_CALL_ONHOLDPENDTRANSFER)
		return -EBUSY;
	act = ami_req_action(a, req);
	if (!act)
		return -ENOMEM;
	held->end_reason = CTI_DISC_TRANSFERRED;
	cons->end_reason = CTI_DISC_TRANSFERRED;
	ret = ami_go(a, act, "Action: Hangup\r\nChannel: %s\r\nCause: 16\r\n",
		     held->channel);
	if (ret)
		held->end_reason = cons->end_reason = 0;
	return ret;
}

int ami_xfer_submit(struct ami *a, const struct cti_provider_request *req)
{
	if (req->cmd == CTI_CMD_SETUP_TRANSFER ||
	    req->cmd == CTI_CMD_SETUP_CONFERENCE)
		return ami_xfer_setup(a, req);
	return ami_xfer_complete(a, req);
}

/* Atxfer is under way: the consultation call, waiting for its channel. */
static void ami_xfer_started(struct ami *a, struct ami_action *act)
{
	struct ami_call *held = ami_call_find(a, act->line, act->call);
	struct ami_call *c;
	uint32_t held_state;

	if (!held || held->gone) {
		ami_action_done(a, act, -ENOENT);
		return;
	}
	c = ami_call_new(a, act->line, "", "");
	if (!c) {
		ami_action_done(a, act, -ENOMEM);
		return;
	}
	c->outbound = true;
	snprintf(c->await, sizeof(c->await), "Local/%s@%s-", act->number,
		 a->cfg.context);
	c->info.origin = ami_line_of_ext(a, act->number) >= 0 ?
		CTI_ORIGIN_INTERNAL : CTI_ORIGIN_OUTBOUND;
	c->info.related_call = held->handle;
	snprintf(c->info.caller, sizeof(c->info.caller), "%s",
		 a->cfg.lines[act->line].ext);
	snprintf(c->info.called, sizeof(c->info.called), "%s", act->number);
	held->info.related_call = c->handle;
	memcpy(held->held_peer, held->peer, sizeof(held->held_peer));
	act->call = c->handle;
	held_state = act->cmd == CTI_CMD_SETUP_CONFERENCE ?
		CTI_CALL_ONHOLDPENDCONF : CTI_CALL_ONHOLDPENDTRANSFER;
	ami_action_done(a, act, 0);	/* frees @act */
	ami_call_state(a, held, held_state, 0);
	ami_call_info(a, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_CALLER |
		      CTI_CALL_INFO_CALLED | CTI_CALL_INFO_RELATED);
	ami_call_state(a, c, CTI_CALL_DIALING, 0);
	ami_line_status(a, c->line);
}

void ami_xfer_response(struct ami *a, struct ami_action *act)
{
	struct ami_call *held, *cons;

	if (act->cmd == CTI_CMD_SETUP_TRANSFER ||
	    act->cmd == CTI_CMD_SETUP_CONFERENCE) {
		ami_xfer_started(a, act);
		return;
	}
	/*
	 * Transferred: the consultation's channel now joins the two other
	 * parties and is no call of this line any more; the held call ends
	 * with its channel's Hangup.
	 */
	held = ami_call_find(a, act->line, act->call);
	cons = held ? ami_call_find(a, act->line, held->info.related_call) :
		NULL;
	act->call = CTI_CALL_NONE;
	ami_action_done(a, act, 0);
	if (cons)
		ami_call_free(a, cons, CTI_DISC_TRANSFERRED);
}
