// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Channels become calls. A line's calls are the channels of its device
 * ("Local/100@phones-00000002;1", "PJSIP/100-0000001a"), followed by
 * Uniqueid; the far party is found through DialBegin and the bridges the
 * channels enter. States follow the reference sequences of the sim
 * (switch/sequences.txt): DIALING, RINGBACK, OFFERING, CONNECTED, BUSY,
 * DISCONNECTED with the reason from the hangup cause, IDLE.
 *
 * A channel that hangs up because of our own command ends its call with
 * IDLE and the command's reason (TRANSFERRED, REDIRECTED, ...); one that
 * hangs up by itself leaves a DISCONNECTED call that the client drops, as
 * on a phone whose far end hung up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ami.h"

#define AMI_ST_DOWN	0	/* ChannelState values */
#define AMI_ST_RING	4
#define AMI_ST_RINGING	5
#define AMI_ST_UP	6
#define AMI_ST_BUSY	7

/* Asterisk's strings into ours, cut to fit; NULL is empty. */
void ami_copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* Caller-id strings from Asterisk: "<unknown>" is no number at all. */
static void ami_party(char *dst, size_t size, const char *src)
{
	if (!src || !strcmp(src, "<unknown>") || !ami_value_safe(src))
		src = "";
	ami_copy(dst, size, src);
}

int ami_line_of_ext(const struct ami *a, const char *ext)
{
	size_t i;

	for (i = 0; i < a->cfg.nlines; i++)
		if (!strcmp(a->cfg.lines[i].ext, ext))
			return (int)i;
	return -1;
}

/*
 * The line whose device @chan is a channel of: the device and a '-' and
 * the channel's sequence; of a Local device only the ";1" half, the one
 * that stands for the phone in the caller's bridge.
 */
int ami_line_of_channel(const struct ami *a, const char *chan)
{
	size_t i, n, len;

	if (!chan)
		return -1;
	len = strlen(chan);
	for (i = 0; i < a->cfg.nlines; i++) {
		const char *dev = a->cfg.lines[i].device;

		n = strlen(dev);
		if (len <= n || strncmp(chan, dev, n) || chan[n] != '-')
			continue;
		if (!strncmp(dev, "Local/", 6) &&
		    (len < 2 || strcmp(chan + len - 2, ";1")))
			continue;
		return (int)i;
	}
	return -1;
}

struct ami_call *ami_call_by_uid(struct ami *a, const char *uid)
{
	size_t i;

	if (!uid || !*uid)
		return NULL;
	for (i = 0; i < a->ncalls; i++)
		if (!strcmp(a->calls[i]->uniqueid, uid))
			return a->calls[i];
	return NULL;
}

static struct ami_call *ami_call_by_chan(struct ami *a, const char *chan)
{
	size_t i;

	if (!chan || !*chan)
		return NULL;
	for (i = 0; i < a->ncalls; i++)
		if (!strcmp(a->calls[i]->channel, chan))
			return a->calls[i];
	return NULL;
}

struct ami_call *ami_call_find(struct ami *a, uint32_t line, uint32_t call)
{
	size_t i;

	for (i = 0; i < a->ncalls; i++)
		if (a->calls[i]->line == line && a->calls[i]->handle == call)
			return a->calls[i];
	return NULL;
}

void ami_line_status(struct ami *a, uint32_t line)
{
	const struct ami_line *l = &a->lines[line];
	struct cti_ev_line_status ev;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.type = CTI_EV_LINE_STATUS;
	ev.hdr.size = sizeof(ev);
	ev.hdr.line = line;
	ev.status = l->status;
	ev.num_calls = l->ncalls;
	ev.forward_mode = l->fwd_mode;
	ev.dnd = l->dnd;
	ami_copy(ev.forward_to, sizeof(ev.forward_to), l->fwd_to);
	a->api->post_event(a->host, &ev.hdr);
}

struct ami_call *ami_call_new(struct ami *a, uint32_t line, const char *uid,
			      const char *chan)
{
	struct ami_call *c;

	if (a->ncalls >= AMI_CALLS_MAX)
		return NULL;
	if (a->ncalls == a->calls_cap) {
		size_t cap = a->calls_cap ? a->calls_cap * 2 : 16;
		struct ami_call **n = realloc(a->calls, cap * sizeof(*n));

		if (!n)
			return NULL;
		a->calls = n;
		a->calls_cap = cap;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->line = line;
	do {
		c->handle = ++a->next_handle;
	} while (c->handle == CTI_CALL_NONE || ami_call_find(a, line, c->handle));
	c->state = CTI_CALL_IDLE;
	ami_copy(c->uniqueid, sizeof(c->uniqueid), uid);
	ami_copy(c->channel, sizeof(c->channel), chan);
	c->seen = true;
	c->info.hdr.type = CTI_EV_CALL_INFO;
	c->info.hdr.size = sizeof(c->info);
	c->info.hdr.line = line;
	c->info.call = c->handle;
	c->info.related_call = CTI_CALL_NONE;
	a->calls[a->ncalls++] = c;
	a->lines[line].ncalls++;
	return c;
}

void ami_call_info(struct ami *a, struct ami_call *c, uint64_t changed)
{
	c->info.changed = changed;
	a->api->post_event(a->host, &c->info.hdr);
}

void ami_call_state(struct ami *a, struct ami_call *c, uint32_t state,
		    uint32_t reason)
{
	struct cti_ev_call_state ev;

	if (c->state == state && state != CTI_CALL_IDLE)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.hdr.type = CTI_EV_CALL_STATE;
	ev.hdr.size = sizeof(ev);
	ev.hdr.line = c->line;
	ev.call = c->handle;
	ev.state = state;
	ev.reason = reason;
	ev.related_call = c->info.related_call;
	c->state = state;
	a->api->post_event(a->host, &ev.hdr);
}

/* The call ends: IDLE with @reason, and its handle is free again. */
void ami_call_free(struct ami *a, struct ami_call *c, uint32_t reason)
{
	size_t i;

	ami_call_state(a, c, CTI_CALL_IDLE, reason);
	ami_consult_ended(a, c);
	for (i = 0; i < a->ncalls; i++) {
		if (a->calls[i] == c) {
			a->calls[i] = a->calls[--a->ncalls];
			break;
		}
	}
	a->lines[c->line].ncalls--;
	ami_line_status(a, c->line);
	free(c);
}

/* Q.850 hangup causes as the reasons of <linux/cti.h>. */
static uint32_t ami_cause(const char *cause)
{
	int n = cause ? atoi(cause) : 16;

	switch (n) {
	case 17:
		return CTI_DISC_BUSY;
	case 18:
	case 19:
		return CTI_DISC_NO_ANSWER;
	case 21:
		return CTI_DISC_REJECTED;
	case 1:
	case 3:
	case 28:
		return CTI_DISC_BAD_ADDRESS;
	case 20:
	case 27:
	case 31 + 7:	/* 38: network out of order */
		return CTI_DISC_UNREACHABLE;
	case 34:
	case 42:
		return CTI_DISC_CONGESTION;
	default:
		return CTI_DISC_NORMAL;
	}
}

/* The channel went: end the call as our command or its cause says. */
static void ami_hangup(struct ami *a, struct ami_call *c, const char *cause)
{
	if (c->end_reason) {
		ami_call_free(a, c, c->end_reason);
		return;
	}
	c->gone = true;
	if (c->state != CTI_CALL_DISCONNECTED)
		ami_call_state(a, c, CTI_CALL_DISCONNECTED, ami_cause(cause));
	ami_consult_ended(a, c);
	ami_line_status(a, c->line);
}

/* An outgoing call without a Dial (unpark, pickup) is up when bridged. */
static void ami_outbound_up(struct ami *a, struct ami_call *c)
{
	if (c && !c->gone && c->outbound &&
	    (c->state == CTI_CALL_DIALING || c->state == CTI_CALL_RINGBACK))
		ami_call_state(a, c, CTI_CALL_CONNECTED, 0);
}

static struct ami_bridge *ami_bridge_get(struct ami *a, const char *id,
					 bool create)
{
	size_t i;
	struct ami_bridge *b;

	for (i = 0; i < a->nbridges; i++)
		if (!strcmp(a->bridges[i].id, id))
			return &a->bridges[i];
	if (!create || a->nbridges >= AMI_BRIDGES_MAX)
		return NULL;
	if (!a->bridges) {
		a->bridges = calloc(AMI_BRIDGES_MAX, sizeof(*a->bridges));
		if (!a->bridges)
			return NULL;
	}
	b = memset(&a->bridges[a->nbridges++], 0, sizeof(*b));
	ami_copy(b->id, sizeof(b->id), id);
	return b;
}

static void ami_bridge_enter(struct ami *a, const struct ami_msg *m)
{
	const char *id = ami_get(m, "BridgeUniqueid");
	const char *chan = ami_get(m, "Channel");
	const char *tech;
	struct ami_bridge *b;
	struct ami_call *c;
	size_t i;

	if (!id || !chan || !(b = ami_bridge_get(a, id, true)))
		return;
	/* Two-party bridges are the rule: remember the last two. */
	if (strcmp(b->chan[1], chan)) {
		memcpy(b->chan[0], b->chan[1], sizeof(b->chan[0]));
		ami_copy(b->chan[1], sizeof(b->chan[1]), chan);
	}
	for (i = 0; i < a->ncalls; i++) {
		c = a->calls[i];
		if (!strcmp(c->channel, chan)) {
			ami_copy(c->bridge, sizeof(c->bridge), id);
			if (b->chan[0][0]) {
				ami_copy(c->peer, sizeof(c->peer), b->chan[0]);
				ami_outbound_up(a, c);
			}
		} else if (!strcmp(c->bridge, id)) {
			ami_copy(c->peer, sizeof(c->peer), chan);
			ami_outbound_up(a, c);
		}
	}
	/* ConfBridge mixes: a conference (ami_conf.c). */
	tech = ami_get(m, "BridgeTechnology");
	for (i = 0; tech && !strcmp(tech, "softmix") && i < a->ncalls; i++)
		if (!strcmp(a->calls[i]->channel, chan))
			ami_conf_enter(a, a->calls[i], id);
}

static void ami_bridge_leave(struct ami *a, const struct ami_msg *m)
{
	const char *id = ami_get(m, "BridgeUniqueid");
	const char *chan = ami_get(m, "Channel");
	struct ami_bridge *b = id ? ami_bridge_get(a, id, false) : NULL;
	struct ami_call *c = ami_call_by_chan(a, chan);
	int i;

	if (c && !strcmp(c->bridge, id ? id : ""))
		c->bridge[0] = '\0';
	if (!b || !chan)
		return;
	for (i = 0; i < 2; i++)
		if (!strcmp(b->chan[i], chan))
			b->chan[i][0] = '\0';
	if (!b->chan[0][0] && !b->chan[1][0])
		*b = a->bridges[--a->nbridges];
}

/* @chan was moved with @reason; CTI_REASON_DIRECT: it was not after all. */
void ami_moved(struct ami *a, const char *chan, uint32_t reason)
{
	unsigned int i;

	if (reason == CTI_REASON_DIRECT) {
		for (i = 0; i < 8; i++)
			if (!strcmp(a->moved[i].chan, chan))
				a->moved[i].chan[0] = '\0';
		return;
	}
	i = a->nmoved++ % 8;
	ami_copy(a->moved[i].chan, sizeof(a->moved[i].chan), chan);
	a->moved[i].reason = reason;
}

/*
 * Why the DialBegin @m offers a call: a transfer or redirect of ours;
 * else a forward when the dialled channel carries a redirecting party
 * (a dialplan's or a phone's forward sets REDIRECTING, which Asterisk
 * shows with manager.conf channelvars); else a direct call.
 */
static uint32_t ami_offer_reason(struct ami *a, const struct ami_msg *m)
{
	const char *src = ami_get(m, "Channel");
	const char *from;
	unsigned int i;

	for (i = 0; src && i < 8; i++) {
		if (a->moved[i].chan[0] && !strcmp(a->moved[i].chan, src)) {
			a->moved[i].chan[0] = '\0';
			return a->moved[i].reason;
		}
	}
	from = ami_get_var(m, "DestChanVariable", "REDIRECTING(from-num)");
	return from && *from ? CTI_REASON_FORWARD : CTI_REASON_DIRECT;
}

/* A channel of ours is dialled: a call offered to the line. */
static void ami_offered(struct ami *a, const struct ami_msg *m, int line)
{
	const char *src = ami_get(m, "Channel");
	struct ami_call *c = ami_call_by_uid(a, ami_get(m, "DestUniqueid"));

	if (c && c->outbound)
		return;	/* Originate rings our own device first */
	if (!c) {
		c = ami_call_new(a, line, ami_get(m, "DestUniqueid"),
				 ami_get(m, "DestChannel"));
		if (!c)
			return;
		c->info.origin = ami_line_of_channel(a, src) >= 0 ?
			CTI_ORIGIN_INTERNAL : CTI_ORIGIN_INBOUND;
		c->info.reason = ami_offer_reason(a, m);
	}
	ami_copy(c->peer, sizeof(c->peer), src);
	ami_party(c->info.caller, sizeof(c->info.caller),
		  ami_get(m, "CallerIDNum"));
	ami_party(c->info.caller_name, sizeof(c->info.caller_name),
		  ami_get(m, "CallerIDName"));
	ami_copy(c->info.called, sizeof(c->info.called),
		 a->cfg.lines[line].ext);
	if (c->state != CTI_CALL_IDLE)
		return;
	ami_call_info(a, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
		      CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	ami_call_state(a, c, CTI_CALL_OFFERING, c->info.reason);
	ami_line_status(a, line);
}

static void ami_dial_begin(struct ami *a, const struct ami_msg *m)
{
	struct ami_call *c = ami_call_by_uid(a, ami_get(m, "Uniqueid"));
	int line = ami_line_of_channel(a, ami_get(m, "DestChannel"));

	if (c && !c->gone) {
		ami_copy(c->peer, sizeof(c->peer), ami_get(m, "DestChannel"));
		ami_copy(c->peer_uid, sizeof(c->peer_uid),
			 ami_get(m, "DestUniqueid"));
		if (c->state == CTI_CALL_DIALING)
			ami_call_state(a, c, CTI_CALL_RINGBACK, 0);
	}
	if (line >= 0)
		ami_offered(a, m, line);
}

/* The caller's Dial ended with @st: the outcome of its call @c. */
static void ami_dial_outcome(struct ami *a, struct ami_call *c,
			     const char *st)
{
	if (!c || c->gone || c->state == CTI_CALL_CONNECTED)
		return;
	if (!strcmp(st, "ANSWER")) {
		ami_call_state(a, c, CTI_CALL_CONNECTED, 0);
	} else if (!strcmp(st, "BUSY")) {
		ami_call_state(a, c, CTI_CALL_BUSY, 0);
		ami_call_state(a, c, CTI_CALL_DISCONNECTED, CTI_DISC_BUSY);
	} else if (!strcmp(st, "NOANSWER")) {
		ami_call_state(a, c, CTI_CALL_DISCONNECTED, CTI_DISC_NO_ANSWER);
	} else if (!strcmp(st, "CONGESTION")) {
		ami_call_state(a, c, CTI_CALL_DISCONNECTED, CTI_DISC_CONGESTION);
	} else if (!strcmp(st, "CHANUNAVAIL")) {
		ami_call_state(a, c, CTI_CALL_DISCONNECTED,
			       CTI_DISC_UNREACHABLE);
	}
}

static void ami_dial_end(struct ami *a, const struct ami_msg *m)
{
	const char *st = ami_get(m, "DialStatus");
	int line = ami_line_of_channel(a, ami_get(m, "DestChannel"));
	struct ami_call *c;
	bool fwd;

	if (!st)
		return;
	/*
	 * Unanswered (busy) on a line that forwards on no answer (on busy),
	 * the AstDB convention: the dialplan forwards the call next, so the
	 * caller still hears ringing and the offered call ends
	 * IDLE/FORWARDED with its channel, as the sim has it.
	 */
	fwd = line >= 0 &&
		((!strcmp(st, "NOANSWER") &&
		  a->lines[line].fwd_mode == CTI_FORWARD_NO_ANSWER) ||
		 (!strcmp(st, "BUSY") &&
		  a->lines[line].fwd_mode == CTI_FORWARD_BUSY));
	if (!fwd)
		ami_dial_outcome(a, ami_call_by_uid(a, ami_get(m, "Uniqueid")),
				 st);
	c = ami_call_by_uid(a, ami_get(m, "DestUniqueid"));
	if (!c || c->gone || c->outbound)
		return;
	/* Our device answering an Originate is not the far end's answer. */
	if (!strcmp(st, "ANSWER"))
		ami_call_state(a, c, CTI_CALL_CONNECTED, 0);
	else if (fwd && !c->end_reason && c->state == CTI_CALL_OFFERING)
		c->end_reason = CTI_DISC_FORWARDED;
}

static void ami_newstate(struct ami *a, const struct ami_msg *m)
{
	struct ami_call *c = ami_call_by_uid(a, ami_get(m, "Uniqueid"));
	const char *st = ami_get(m, "ChannelState");

	if (!c || c->gone || !st)
		return;
	ami_copy(c->channel, sizeof(c->channel), ami_get(m, "Channel"));
	/* An offered call is answered; outgoing ones wait for DialEnd. */
	if (atoi(st) == AMI_ST_UP && c->state == CTI_CALL_OFFERING)
		ami_call_state(a, c, CTI_CALL_CONNECTED, 0);
}

/*
 * The Local channel an Atxfer made ("Local/101@from-cti-00000002;2", the
 * half that runs the Dial) carries the consultation call that waits
 * for it.
 */
static bool ami_bind_consult(struct ami *a, const struct ami_msg *m,
			     const char *chan)
{
	size_t i, n, len = chan ? strlen(chan) : 0;

	if (len < 2 || strcmp(chan + len - 2, ";2"))
		return false;
	for (i = 0; i < a->ncalls; i++) {
		struct ami_call *c = a->calls[i];

		n = strlen(c->await);
		if (!n || strncmp(chan, c->await, n))
			continue;
		ami_copy(c->uniqueid, sizeof(c->uniqueid),
			 ami_get(m, "Uniqueid"));
		ami_copy(c->channel, sizeof(c->channel), chan);
		c->await[0] = '\0';
		return true;
	}
	return false;
}

/* A consultation ended without a transfer: the held call is ONHOLD. */
void ami_consult_ended(struct ami *a, struct ami_call *c)
{
	struct ami_call *held;

	if (c->conf == c->handle)
		ami_conf_ended(a, c);
	if (c->info.related_call == CTI_CALL_NONE || c->end_reason ==
	    CTI_DISC_TRANSFERRED)
		return;
	held = ami_call_find(a, c->line, c->info.related_call);
	if (!held || (held->state != CTI_CALL_ONHOLDPENDTRANSFER &&
		      held->state != CTI_CALL_ONHOLDPENDCONF))
		return;
	/*
	 * Held, as the sim says, until Asterisk reports the transferer back
	 * with the far party: its Unhold (which follows at once when an
	 * Atxfer's consultation ends) makes it CONNECTED.
	 */
	held->info.related_call = CTI_CALL_NONE;
	ami_call_state(a, held, CTI_CALL_ONHOLD, 0);
}

/* A phone off-hook on its own (state Ring): a call it dials itself. */
static void ami_newchannel(struct ami *a, const struct ami_msg *m)
{
	const char *chan = ami_get(m, "Channel");
	const char *st = ami_get(m, "ChannelState");
	struct ami_call *c = ami_call_by_uid(a, ami_get(m, "Uniqueid"));
	int line = ami_line_of_channel(a, chan);

	if (c) {
		ami_copy(c->channel, sizeof(c->channel), chan);
		return;
	}
	if (ami_bind_consult(a, m, chan))
		return;
	if (line >= 0 && ami_get(m, "Uniqueid") &&
	    !strncmp(ami_get(m, "Uniqueid"), "cti-", 4)) {
		/* Ours, ahead of the Originate's Response: keep its name. */
		unsigned int i = a->nearly++ % 8;

		ami_copy(a->early[i].uid, sizeof(a->early[i].uid),
			 ami_get(m, "Uniqueid"));
		ami_copy(a->early[i].chan, sizeof(a->early[i].chan), chan);
		return;
	}
	if (line < 0 || !st || atoi(st) != AMI_ST_RING)
		return;
	c = ami_call_new(a, line, ami_get(m, "Uniqueid"), chan);
	if (!c)
		return;
	c->outbound = true;
	c->info.origin = CTI_ORIGIN_OUTBOUND;
	ami_copy(c->info.caller, sizeof(c->info.caller),
		 a->cfg.lines[line].ext);
	ami_party(c->info.called, sizeof(c->info.called), ami_get(m, "Exten"));
	ami_call_info(a, c, CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_CALLER |
		      CTI_CALL_INFO_CALLED);
	ami_call_state(a, c, CTI_CALL_DIALING, 0);
	ami_line_status(a, line);
}

/* The far party changed (an answer elsewhere, a transfer): CALL_INFO. */
static void ami_connected_line(struct ami *a, const struct ami_msg *m)
{
	struct ami_call *c = ami_call_by_uid(a, ami_get(m, "Uniqueid"));
	char num[CTI_NUMBER_MAX], name[CTI_NAME_MAX];
	char *dnum, *dname;
	uint64_t chg;

	if (!c || c->gone)
		return;
	/* While an Originate rings our device, it shows our own number. */
	if (c->outbound && c->state == CTI_CALL_DIALING)
		return;
	ami_party(num, sizeof(num), ami_get(m, "ConnectedLineNum"));
	ami_party(name, sizeof(name), ami_get(m, "ConnectedLineName"));
	if (!num[0])
		return;
	if (c->info.origin == CTI_ORIGIN_OUTBOUND || c->outbound) {
		dnum = c->info.called;
		dname = c->info.called_name;
		chg = CTI_CALL_INFO_CALLED;
	} else {
		dnum = c->info.caller;
		dname = c->info.caller_name;
		chg = CTI_CALL_INFO_CALLER;
	}
	if (!strcmp(dnum, num) && !strcmp(dname, name))
		return;
	memcpy(dnum, num, sizeof(num));
	memcpy(dname, name, sizeof(name));
	if (c->state != CTI_CALL_IDLE)
		ami_call_info(a, c, chg);
}

static void ami_dtmf(struct ami *a, const struct ami_msg *m)
{
	struct ami_call *c = ami_call_by_uid(a, ami_get(m, "Uniqueid"));
	const char *d = ami_get(m, "Digit"), *dir = ami_get(m, "Direction");
	struct cti_ev_digits ev;

	if (!c || c->gone || !d || strlen(d) != 1 ||
	    !strchr("0123456789*#ABCD", d[0]) || !dir ||
	    strcmp(dir, "Received"))
		return;
	memset(&ev, 0, sizeof(ev));
	ev.hdr.type = CTI_EV_DIGITS;
	ev.hdr.size = sizeof(ev);
	ev.hdr.line = c->line;
	ev.call = c->handle;
	ev.count = 1;
	ev.digits[0] = d[0];
	a->api->post_event(a->host, &ev.hdr);
}

/* Someone took a call ringing here (Pickup) or parked ours. */
static void ami_taken(struct ami *a, const char *uid, uint32_t reason)
{
	struct ami_call *c = ami_call_by_uid(a, uid);

	if (c && !c->end_reason)
		c->end_reason = reason;
}

static void ami_orig_response(struct ami *a, const struct ami_msg *m)
{
	const char *resp = ami_get(m, "Response");
	const char *ids = ami_get(m, "ActionID");
	const char *why = ami_get(m, "Reason");
	uint64_t id = ids ? strtoull(ids, NULL, 10) : 0;
	uint32_t reason = CTI_DISC_UNREACHABLE;
	size_t i;

	if (!resp || strcmp(resp, "Failure") || !id)
		return;
	if (why && atoi(why) == 5)
		reason = CTI_DISC_BUSY;
	else if (why && atoi(why) == 3)
		reason = CTI_DISC_NO_ANSWER;
	else if (why && atoi(why) == 8)
		reason = CTI_DISC_CONGESTION;
	for (i = 0; i < a->ncalls; i++) {
		struct ami_call *c = a->calls[i];

		if (c->orig_id == id && !c->gone) {
			c->gone = true;
			ami_call_state(a, c, CTI_CALL_DISCONNECTED, reason);
			return;
		}
	}
}

/* One listed channel after a (re)connect. */
static void ami_listed(struct ami *a, const struct ami_msg *m)
{
	const char *chan = ami_get(m, "Channel");
	const char *st = ami_get(m, "ChannelState");
	struct ami_call *c = ami_call_by_uid(a, ami_get(m, "Uniqueid"));
	int line = ami_line_of_channel(a, chan);
	int s = st ? atoi(st) : AMI_ST_DOWN;
	struct ami_call *party = ami_conf_watched(a, ami_get(m, "Uniqueid"));

	if (party)
		party->seen = true;	/* a conference party still there */
	if (c) {
		c->seen = true;
		if (s == AMI_ST_UP && !c->gone &&
		    (c->state == CTI_CALL_OFFERING ||
		     c->state == CTI_CALL_DIALING ||
		     c->state == CTI_CALL_RINGBACK))
			ami_call_state(a, c, CTI_CALL_CONNECTED, 0);
		return;
	}
	if (line < 0 || !(c = ami_call_new(a, line, ami_get(m, "Uniqueid"),
					   chan)))
		return;
	ami_party(c->info.caller, sizeof(c->info.caller),
		  ami_get(m, "CallerIDNum"));
	ami_party(c->info.called, sizeof(c->info.called),
		  ami_get(m, "ConnectedLineNum"));
	ami_copy(c->bridge, sizeof(c->bridge), ami_get(m, "BridgeId"));
	ami_call_info(a, c, CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED);
	ami_call_state(a, c, s == AMI_ST_UP ? CTI_CALL_CONNECTED :
		       s == AMI_ST_RINGING ? CTI_CALL_OFFERING :
		       CTI_CALL_DIALING, 0);
	ami_line_status(a, line);
}

void ami_calls_resync_begin(struct ami *a)
{
	size_t i;

	a->resyncing = true;
	for (i = 0; i < a->ncalls; i++)
		a->calls[i]->seen = false;
}

/* Calls whose channel went while the link was down: DISCONNECTED. */
void ami_calls_resync_end(struct ami *a)
{
	size_t i;

	if (!a->resyncing)
		return;
	a->resyncing = false;
	for (i = 0; i < a->ncalls; i++) {
		struct ami_call *c = a->calls[i];

		if (!c->seen && !c->gone) {
			c->end_reason = 0;
			ami_hangup(a, c, NULL);
		}
	}
}

/* The call of an Originate: its channel if Asterisk named it already. */
void ami_early_take(struct ami *a, struct ami_call *c)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		if (!strcmp(a->early[i].uid, c->uniqueid)) {
			ami_copy(c->channel, sizeof(c->channel),
				 a->early[i].chan);
			a->early[i].uid[0] = '\0';
		}
	}
}

/* Calls that DROP ended while their channel was already gone. */
void ami_calls_reap(struct ami *a)
{
	size_t i = 0;

	while (i < a->ncalls) {
		if (a->calls[i]->reap)
			ami_call_free(a, a->calls[i], CTI_DISC_NORMAL);
		else
			i++;
	}
}

static void ami_event_calls(struct ami *a, const struct ami_msg *m,
			    const char *ev)
{
	struct ami_call *c;

	if (!strcmp(ev, "Newchannel"))
		ami_newchannel(a, m);
	else if (!strcmp(ev, "Newstate"))
		ami_newstate(a, m);
	else if (!strcmp(ev, "DialBegin"))
		ami_dial_begin(a, m);
	else if (!strcmp(ev, "DialEnd"))
		ami_dial_end(a, m);
	else if (!strcmp(ev, "Hangup")) {
		c = ami_call_by_uid(a, ami_get(m, "Uniqueid"));
		if (c && !c->gone)
			ami_hangup(a, c, ami_get(m, "Cause"));
		else if (c && c->end_reason)
			ami_call_free(a, c, c->end_reason);
		/* A conference party's call follows the party's channel. */
		c = ami_conf_watched(a, ami_get(m, "Uniqueid"));
		if (c) {
			c->watch[0] = '\0';
			ami_hangup(a, c, ami_get(m, "Cause"));
		}
	} else if (!strcmp(ev, "NewConnectedLine"))
		ami_connected_line(a, m);
	else if (!strcmp(ev, "BridgeEnter"))
		ami_bridge_enter(a, m);
	else if (!strcmp(ev, "BridgeLeave"))
		ami_bridge_leave(a, m);
	else if (!strcmp(ev, "DTMFEnd"))
		ami_dtmf(a, m);
	else if (!strcmp(ev, "Pickup")) {
		ami_taken(a, ami_get(m, "TargetUniqueid"), CTI_DISC_PICKUP);
		ami_outbound_up(a, ami_call_by_uid(a, ami_get(m, "Uniqueid")));
	}
	else if (!strcmp(ev, "OriginateResponse"))
		ami_orig_response(a, m);
}

void ami_event(struct ami *a, const struct ami_msg *m, const char *ev)
{
	struct ami_call *c = ami_call_by_uid(a, ami_get(m, "Uniqueid"));

	/* Any event of a call's channel names it (Originate's may not). */
	if (c && !c->channel[0] && ami_get(m, "Channel") &&
	    ami_line_of_channel(a, ami_get(m, "Channel")) == (int)c->line)
		ami_copy(c->channel, sizeof(c->channel), ami_get(m, "Channel"));

	if (!strcmp(ev, "CoreShowChannel")) {
		ami_listed(a, m);
	} else if (!strcmp(ev, "CoreShowChannelsComplete")) {
		ami_calls_resync_end(a);
		ami_list_done(a, m);
	} else if (!strcmp(ev, "QueueStatusComplete")) {
		ami_list_done(a, m);
	} else if (!strcmp(ev, "Hold") || !strcmp(ev, "Unhold")) {
		c = ami_call_by_uid(a, ami_get(m, "Uniqueid"));
		if (c && !c->gone && (c->state == CTI_CALL_CONNECTED ||
				      c->state == CTI_CALL_ONHOLD))
			ami_call_state(a, c, ev[0] == 'H' ? CTI_CALL_ONHOLD :
				       CTI_CALL_CONNECTED, 0);
	} else {
		ami_event_calls(a, m, ev);
	}
}
