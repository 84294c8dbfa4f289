// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Requests become AMI actions (README.md, "Mapping"). Each request sends
 * its action(s) with one ActionID and completes exactly once: on the
 * Response, on its timer (-ETIMEDOUT), when the link fails (-EIO) or at
 * shutdown (-ECANCELED). Every number is checked before it goes into an
 * action, and every line it reaches is put to the host's authorize()
 * first (cti_provider.h, "Rules").
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* strcasestr */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ami.h"

#define B(cmd)	(1ull << (cmd))

/*
 * What AMI can do for any device; hold and answer it cannot. Conferences
 * need a ConfBridge context (@conf).
 */
uint64_t ami_line_ops(const struct ami_line_cfg *lc, bool conf)
{
	uint64_t confs = B(CTI_CMD_SETUP_CONFERENCE) |
		B(CTI_CMD_ADD_TO_CONFERENCE);

	(void)lc;
	return (conf ? confs : 0) | B(CTI_CMD_MAKE_CALL) | B(CTI_CMD_DROP) |
	       B(CTI_CMD_SETUP_TRANSFER) | B(CTI_CMD_COMPLETE_TRANSFER) |
	       B(CTI_CMD_BLIND_TRANSFER) | B(CTI_CMD_REDIRECT) |
	       B(CTI_CMD_PARK) | B(CTI_CMD_UNPARK) | B(CTI_CMD_PICKUP) |
	       B(CTI_CMD_SET_FORWARD) | B(CTI_CMD_SET_DND) |
	       B(CTI_CMD_GENERATE_DIGITS);
}

uint64_t ami_line_uops(const struct ami_line_cfg *lc)
{
	return lc->queues[0] ?
		1ull << (CTI_UCMD_SET_AGENT_STATE - CTI_UCMD_BASE) : 0;
}

/* A number as a phone dials it: 0-9 * # and a leading +. */
int ami_number(const struct cti_provider_request *req)
{
	uint32_t i;

	if (!req->data_len || req->data_len >= CTI_NUMBER_MAX)
		return -EINVAL;
	for (i = 0; i < req->data_len; i++) {
		char ch = req->data[i];

		if (!(ch >= '0' && ch <= '9') && ch != '*' && ch != '#' &&
		    !(ch == '+' && i == 0))
			return -EINVAL;
	}
	return 0;
}

/* Ask the host about the line of @number, if it is another of ours. */
int ami_reach(struct ami *a, const struct cti_provider_request *req,
		     const char *number, uint32_t reach)
{
	int line = ami_line_of_ext(a, number);

	if (line < 0 || (uint32_t)line == req->line)
		return 0;
	return a->api->authorize(a->host, req->handle, line, reach);
}

/* The request's number is one a phone dials, and the client may reach it. */
int ami_vet_number(struct ami *a, const struct cti_provider_request *req,
		   uint32_t reach)
{
	int ret = ami_number(req);

	return ret ? ret : ami_reach(a, req, req->data, reach);
}

struct ami_action *ami_req_action(struct ami *a,
					 const struct cti_provider_request *req)
{
	struct ami_action *act = ami_action_new(a, AMI_ACT_REQ);

	if (!act)
		return NULL;
	act->handle = req->handle;
	act->cmd = req->cmd;
	act->line = req->line;
	act->call = req->call;
	act->arg = req->arg;
	if (req->data && req->data_len < sizeof(act->number))
		memcpy(act->number, req->data, req->data_len);
	return act;
}


/* Originate from the line's device into @ctx/@exten or an application. */
static int ami_originate(struct ami *a, const struct cti_provider_request *req,
			 const char *ctx, const char *exten, const char *app,
			 const char *data)
{
	const struct ami_line_cfg *lc = &a->cfg.lines[req->line];
	struct ami_action *act = ami_req_action(a, req);

	if (!act)
		return -ENOMEM;
	act->call = CTI_CALL_NONE;
	snprintf(act->chan_id, sizeof(act->chan_id), "cti-%llx-%llu",
		 (unsigned long long)a->uid_seed, (unsigned long long)act->id);
	if (app)
		return ami_go(a, act, "Action: Originate\r\nChannel: %s\r\n"
			      "Application: %s\r\nData: %s\r\n"
			      "CallerID: \"%s\" <%s>\r\nChannelId: %s\r\n"
			      "Async: true\r\n", lc->device, app, data,
			      lc->name, lc->ext, act->chan_id);
	return ami_go(a, act, "Action: Originate\r\nChannel: %s\r\n"
		      "Context: %s\r\nExten: %s\r\nPriority: 1\r\n"
		      "CallerID: \"%s\" <%s>\r\nChannelId: %s\r\n"
		      "Async: true\r\n", lc->device, ctx, exten, lc->name,
		      lc->ext, act->chan_id);
}

/* The Originate is queued: the call exists for the client from now. */
static void ami_originated(struct ami *a, struct ami_action *act)
{
	struct ami_call *c = ami_call_new(a, act->line, act->chan_id, "");
	int line;

	if (!c) {
		ami_action_done(a, act, -ENOMEM);
		return;
	}
	c->outbound = true;
	c->orig_id = act->id;
	ami_early_take(a, c);
	line = ami_line_of_ext(a, act->number);
	c->info.origin = line >= 0 ? CTI_ORIGIN_INTERNAL :
		CTI_ORIGIN_OUTBOUND;
	c->info.reason = act->cmd == CTI_CMD_PICKUP ? CTI_REASON_PICKUP :
		act->cmd == CTI_CMD_UNPARK ? CTI_REASON_UNPARK :
		CTI_REASON_DIRECT;
	snprintf(c->info.caller, sizeof(c->info.caller), "%s",
		 a->cfg.lines[act->line].ext);
	snprintf(c->info.called, sizeof(c->info.called), "%s", act->number);
	act->call = c->handle;
	ami_action_done(a, act, 0);
	ami_call_info(a, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
		      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	ami_call_state(a, c, CTI_CALL_DIALING, 0);
	ami_line_status(a, c->line);
}

/* A call ringing on a line we may take it from (group pickup: any). */
static struct ami_call *ami_pickup_target(struct ami *a,
					  const struct cti_provider_request *req,
					  int *err)
{
	int line = req->data_len ? ami_line_of_ext(a, req->data) : -1;
	size_t i;

	*err = -ENOENT;
	if (req->data_len && line < 0)
		return NULL;
	for (i = 0; i < a->ncalls; i++) {
		struct ami_call *c = a->calls[i];
		int ret;

		if (c->state != CTI_CALL_OFFERING || c->gone ||
		    c->line == req->line || !c->channel[0] ||
		    (line >= 0 && c->line != (uint32_t)line))
			continue;
		ret = a->api->authorize(a->host, req->handle, c->line,
					CTI_REACH_PICKUP);
		if (!ret)
			return c;
		if (line >= 0) {
			*err = ret;
			return NULL;
		}
		/* Group pickup skips lines the client may not take from. */
	}
	return NULL;
}

static int ami_pickup(struct ami *a, const struct cti_provider_request *req)
{
	struct ami_call *t;
	int ret;

	if (req->data_len && (ret = ami_number(req)))
		return ret;
	t = ami_pickup_target(a, req, &ret);
	if (!t)
		return ret;
	if (strchr(t->channel, '&'))
		return -EINVAL;	/* PickupChan would read it as a list */
	return ami_originate(a, req, NULL, NULL, "PickupChan", t->channel);
}

/* The call a request acts on, in a state it allows. */
struct ami_call *ami_req_call(struct ami *a,
				     const struct cti_provider_request *req,
				     uint32_t state, int *err)
{
	struct ami_call *c = ami_call_find(a, req->line, req->call);

	*err = -ENOENT;
	if (!c)
		return NULL;
	*err = -EBUSY;
	if (c->gone || c->end_reason || (state != CTI_CALL_IDLE &&
					 c->state != state))
		return NULL;
	if (!c->channel[0])
		return NULL;
	*err = 0;
	return c;
}

/*
 * How an action names the call's channel: its name, or before Asterisk
 * told us the name, the Uniqueid we chose (Asterisk looks channels up by
 * name or Uniqueid).
 */
const char *ami_chan_ref(const struct ami_call *c)
{
	return c->channel[0] ? c->channel : c->uniqueid;
}

static int ami_drop(struct ami *a, const struct cti_provider_request *req)
{
	struct ami_call *c = ami_call_find(a, req->line, req->call);
	struct ami_action *act;
	int ret;

	if (!c || c->reap)
		return -ENOENT;
	if (c->gone || !ami_chan_ref(c)[0]) {
		/* Nothing left at Asterisk: the IDLE follows from a timer. */
		c->reap = true;
		if (!a->reap_timer) {
			int64_t id = a->api->timer_start(a->host, 0,
							 AMI_COOKIE_REAP);
			a->reap_timer = id > 0 ? id : 0;
		}
		a->api->complete(a->host, req->handle, 0, CTI_CALL_NONE);
		return 0;
	}
	act = ami_req_action(a, req);
	if (!act)
		return -ENOMEM;
	c->end_reason = CTI_DISC_NORMAL;
	ret = ami_go(a, act, "Action: Hangup\r\nChannel: %s\r\nCause: 16\r\n",
		     ami_chan_ref(c));
	if (ret)
		c->end_reason = 0;
	return ret;
}

/* Transfer, redirect, park: the command moves the call away. */
static int ami_move(struct ami *a, const struct cti_provider_request *req)
{
	const char *ctx = a->cfg.context;
	struct ami_action *act;
	struct ami_call *c;
	int ret;

	c = ami_req_call(a, req, req->cmd == CTI_CMD_REDIRECT ?
			 CTI_CALL_OFFERING : CTI_CALL_CONNECTED, &ret);
	if (!c)
		return ret;
	if ((req->cmd != CTI_CMD_BLIND_TRANSFER && !c->peer[0]))
		return -EBUSY;
	act = ami_req_action(a, req);
	if (!act)
		return -ENOMEM;
	switch (req->cmd) {
	case CTI_CMD_BLIND_TRANSFER:
		c->end_reason = CTI_DISC_TRANSFERRED;
		ret = ami_go(a, act, "Action: BlindTransfer\r\nChannel: %s\r\n"
			     "Context: %s\r\nExten: %s\r\n", c->channel, ctx,
			     act->number);
		break;
	case CTI_CMD_REDIRECT:
		/* The caller leaves its Dial for the new number. */
		c->end_reason = CTI_DISC_REDIRECTED;
		ret = ami_go(a, act, "Action: Redirect\r\nChannel: %s\r\n"
			     "Context: %s\r\nExten: %s\r\nPriority: 1\r\n",
			     c->peer, ctx, act->number);
		break;
	default:
		c->end_reason = CTI_DISC_NORMAL;
		ret = ami_go(a, act, "Action: Park\r\nChannel: %s\r\n"
			     "TimeoutChannel: %s\r\nParkinglot: %s\r\n",
			     c->peer, c->channel, a->cfg.parkinglot);
		break;
	}
	if (ret)
		c->end_reason = 0;
	else if (req->cmd != CTI_CMD_PARK && c->peer[0])
		/* Before the Response: Asterisk may send the new Dial first. */
		ami_moved(a, c->peer, req->cmd == CTI_CMD_REDIRECT ?
			  CTI_REASON_REDIRECT : CTI_REASON_TRANSFER);
	return ret;
}

static int ami_digits(struct ami *a, const struct cti_provider_request *req)
{
	struct ami_action *act;
	struct ami_call *c;
	uint32_t i;
	int ret;

	c = ami_req_call(a, req, CTI_CALL_CONNECTED, &ret);
	if (!c)
		return ret;
	if (!req->data_len || req->data_len > CTI_DIGITS_MAX)
		return -EINVAL;
	for (i = 0; i < req->data_len; i++)
		if (!strchr("0123456789*#ABCD", req->data[i]) || !req->data[i])
			return -EINVAL;
	if (!c->peer[0])
		return -EBUSY;
	act = ami_req_action(a, req);
	if (!act)
		return -ENOMEM;
	/* One PlayDTMF a digit, all under one ActionID: one REPLY. */
	act->pending = req->data_len;
	for (i = 0; i < req->data_len; i++) {
		ret = ami_send(a, act, "Action: PlayDTMF\r\nChannel: %s\r\n"
			       "Digit: %c\r\nDuration: 100\r\n", c->peer,
			       req->data[i]);
		if (ret && !i) {
			free(act);
			return ret;
		}
		if (ret) {
			/* The rest will never be answered. */
			act->pending -= req->data_len - i;
			act->error = ret;
			break;
		}
	}
	return 0;
}

static const char *const ami_fwd_names[] = {
	[CTI_FORWARD_NONE] = "",
	[CTI_FORWARD_UNCONDITIONAL] = "unconditional",
	[CTI_FORWARD_BUSY] = "busy",
	[CTI_FORWARD_NO_ANSWER] = "noanswer",
};

/* DND and forwarding live in AstDB, where the dialplan reads them. */
static int ami_settings(struct ami *a, const struct cti_provider_request *req)
{
	const char *ext = a->cfg.lines[req->line].ext;
	struct ami_action *act;
	int ret;

	if (req->cmd == CTI_CMD_SET_DND) {
		if (req->arg > 1)
			return -EINVAL;
		act = ami_req_action(a, req);
		if (!act)
			return -ENOMEM;
		return ami_go(a, act, "Action: DBPut\r\nFamily: cti/dnd\r\n"
			      "Key: %s\r\nVal: %u\r\n", ext, req->arg);
	}
	if (req->arg > CTI_FORWARD_NO_ANSWER)
		return -EINVAL;
	if (req->arg != CTI_FORWARD_NONE &&
	    (ret = ami_vet_number(a, req, CTI_REACH_CALL)))
		return ret;
	act = ami_req_action(a, req);
	if (!act)
		return -ENOMEM;
	if (req->arg == CTI_FORWARD_NONE)
		act->number[0] = '\0';
	return ami_go(a, act, "Action: DBPut\r\nFamily: cti/fwd\r\nKey: %s\r\n"
		      "Val: %s%s%s\r\n", ext, ami_fwd_names[req->arg],
		      act->number[0] ? ":" : "", act->number);
}

static int ami_dial_cmd(struct ami *a, const struct cti_provider_request *req)
{
	uint32_t reach = req->cmd == CTI_CMD_UNPARK ? CTI_REACH_PICKUP :
		CTI_REACH_CALL;
	int ret = ami_vet_number(a, req, reach);

	if (ret)
		return ret;
	switch (req->cmd) {
	case CTI_CMD_MAKE_CALL:
		return ami_originate(a, req, a->cfg.context, req->data, NULL,
				     NULL);
	case CTI_CMD_UNPARK:
		return ami_originate(a, req, a->cfg.park_context, req->data,
				     NULL, NULL);
	default:
		return ami_move(a, req);
	}
}

int ami_submit(struct ami *a, const struct cti_provider_request *req)
{
	if (a->link != AMI_UP)
		return -EIO;	/* the lines are OUT_OF_SERVICE */
	if (req->line >= a->cfg.nlines)
		return -ENODEV;
	switch (req->cmd) {
	case CTI_CMD_MAKE_CALL:
	case CTI_CMD_UNPARK:
	case CTI_CMD_BLIND_TRANSFER:
	case CTI_CMD_REDIRECT:
		return ami_dial_cmd(a, req);
	case CTI_CMD_PARK:
		/* Asterisk picks the space; a chosen one cannot be asked. */
		return req->data_len ? -EOPNOTSUPP : ami_move(a, req);
	case CTI_CMD_DROP:
		return ami_drop(a, req);
	case CTI_CMD_PICKUP:
		return ami_pickup(a, req);
	case CTI_CMD_GENERATE_DIGITS:
		return ami_digits(a, req);
	case CTI_CMD_SET_DND:
	case CTI_CMD_SET_FORWARD:
		return ami_settings(a, req);
	case CTI_UCMD_SET_AGENT_STATE:
		return ami_agent_submit(a, req);
	case CTI_CMD_SETUP_TRANSFER:
	case CTI_CMD_COMPLETE_TRANSFER:
	case CTI_CMD_SETUP_CONFERENCE:
	case CTI_CMD_ADD_TO_CONFERENCE:
		return ami_xfer_submit(a, req);
	default:
		return -EOPNOTSUPP;
	}
}

/* A setting Asterisk stored: the line's status says so. */
static void ami_setting_done(struct ami *a, struct ami_action *act)
{
	struct ami_line *l = &a->lines[act->line];

	if (act->cmd == CTI_CMD_SET_DND) {
		l->dnd = act->arg;
	} else {
		l->fwd_mode = act->arg;
		snprintf(l->fwd_to, sizeof(l->fwd_to), "%s", act->number);
	}
	ami_line_status(a, act->line);
}

/* What a failed action's Message means for the client. */
static int ami_resp_errno(const struct ami_msg *msg)
{
	const char *m = ami_get(msg, "Message");

	if (!m)
		return -EIO;
	if (strcasestr(m, "permission denied"))
		return -EACCES;
	if (strcasestr(m, "no such channel") ||
	    strcasestr(m, "not found") || strcasestr(m, "does not exist"))
		return -ENOENT;
	if (strcasestr(m, "invalid") || strcasestr(m, "missing"))
		return -EINVAL;
	return -EIO;
}

/* A Response to a request's action. */
void ami_req_response(struct ami *a, struct ami_action *act,
		      const struct ami_msg *msg, bool ok)
{
	struct ami_call *c;
	int error = ok ? 0 : ami_resp_errno(msg);

	if (!act->error)
		act->error = error;
	if (--act->pending > 0)
		return;
	error = act->error;
	if (!error && (act->cmd == CTI_CMD_MAKE_CALL ||
		       act->cmd == CTI_CMD_UNPARK ||
		       act->cmd == CTI_CMD_PICKUP)) {
		ami_originated(a, act);
		return;
	}
	if (act->cmd == CTI_CMD_ADD_TO_CONFERENCE ||
	    (act->cmd == CTI_CMD_COMPLETE_TRANSFER &&
	     act->arg == CTI_TRANSFER_MODE_CONFERENCE)) {
		ami_conf_response(a, act, error);
		return;
	}
	if (!error && (act->cmd == CTI_CMD_SETUP_TRANSFER ||
		       act->cmd == CTI_CMD_SETUP_CONFERENCE ||
		       act->cmd == CTI_CMD_COMPLETE_TRANSFER)) {
		ami_xfer_response(a, act);
		return;
	}
	c = ami_call_find(a, act->line, act->call);
	if (error && c && !c->gone)
		c->end_reason = 0;	/* the call stays where it was */
	if (error && c && c->peer[0])
		ami_moved(a, c->peer, CTI_REASON_DIRECT);
	if (!error && (act->cmd == CTI_CMD_SET_DND ||
		       act->cmd == CTI_CMD_SET_FORWARD))
		ami_setting_done(a, act);
	act->call = CTI_CALL_NONE;
	ami_action_done(a, act, error);
}
