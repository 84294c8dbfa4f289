// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Conferences through ConfBridge (README.md, "Mapping"), offered only
 * when `conf_context` names the dialplan context whose extensions run
 * ConfBridge(${EXTEN}).
 *
 * A conference starts as a consultation (SETUP_CONFERENCE is an Atxfer,
 * like SETUP_TRANSFER, with the held call ONHOLDPENDCONF). Joining
 * (ADD_TO_CONFERENCE, or COMPLETE_TRANSFER in conference mode) moves the
 * three parties into one room with two Redirects under one ActionID:
 * the controller's channel with the held party, then the consulted
 * party. Both go at once, since whichever party leaves Atxfer's bridges
 * alone first ends the attended transfer, and a transferer left with
 * nobody is hung up. The room is the controlling call's Uniqueid
 * (letters and digits), unique at that Asterisk.
 *
 * The consultation's own channel (Atxfer's Local ";2") hangs up on the
 * way, so from then on the consultation call follows the consulted
 * party's channel (its "watch"). The calls become CONFERENCED when
 * Asterisk reports the controller's channel entering a softmix bridge,
 * never from the Response; another line's call that enters that bridge
 * is CONFERENCED too, related to the controlling call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ami.h"

/* The room of a conference controlled by @held: its Uniqueid's alnums. */
static void ami_conf_room(const struct ami_call *held, char *room,
			  size_t size)
{
	const char *s = held->uniqueid;
	size_t n = 0;

	for (; *s && n + 1 < size; s++)
		if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z'))
			room[n++] = *s;
	room[n] = '\0';
}

/* Send both Redirects under @act; 0 once at least the first went. */
static int ami_conf_redirects(struct ami *a, struct ami_action *act,
			      const struct ami_call *held,
			      const struct ami_call *cons, const char *room)
{
	const char *ctx = a->cfg.conf_context;
	int ret;

	act->pending = 2;
	ret = ami_send(a, act, "Action: Redirect\r\nChannel: %s\r\n"
		       "ExtraChannel: %s\r\nContext: %s\r\nExten: %s\r\n"
		       "Priority: 1\r\nExtraContext: %s\r\nExtraExten: %s\r\n"
		       "ExtraPriority: 1\r\n", held->channel, held->held_peer, ctx,
		       room, ctx, room);
	if (ret)
		return ret;
	ret = ami_send(a, act, "Action: Redirect\r\nChannel: %s\r\n"
		       "Context: %s\r\nExten: %s\r\nPriority: 1\r\n",
		       cons->peer, ctx, room);
	if (ret) {
		/* Only the first will be answered. */
		act->pending = 1;
		act->error = ret;
	}
	return 0;
}

/*
 * Join @held's far party, the line and @cons's far party in a room.
 * @held must be the consultation's held call, both parties known.
 */
int ami_conf_join(struct ami *a, const struct cti_provider_request *req,
		  struct ami_call *held, struct ami_call *cons)
{
	struct ami_action *act;
	char room[AMI_UID_MAX];
	int ret;

	if (!a->cfg.conf_context[0])
		return -EOPNOTSUPP;
	if (cons->state != CTI_CALL_CONNECTED || cons->gone ||
	    !held->held_peer[0] || !cons->peer[0] || !cons->peer_uid[0])
		return -EBUSY;
	ami_conf_room(held, room, sizeof(room));
	if (!room[0])
		return -EBUSY;
	act = ami_req_action(a, req);
	if (!act)
		return -ENOMEM;
	ret = ami_conf_redirects(a, act, held, cons, room);
	if (ret) {
		free(act);
		return ret;
	}
	held->conf = held->handle;
	cons->conf = held->handle;
	/* From now on the consultation is the consulted party's channel. */
	ami_copy(cons->watch, sizeof(cons->watch), cons->peer_uid);
	ami_copy(cons->channel, sizeof(cons->channel), cons->peer);
	cons->uniqueid[0] = '\0';
	return 0;
}

/* The Redirects' answer: the request is done; the events tell the rest. */
void ami_conf_response(struct ami *a, struct ami_action *act, int error)
{
	struct ami_call *held = ami_call_find(a, act->line, act->call);
	size_t i;

	if (error && held) {
		for (i = 0; i < a->ncalls; i++)
			if (a->calls[i]->conf == held->handle &&
			    a->calls[i]->line == held->line)
				a->calls[i]->conf = CTI_CALL_NONE;
	}
	act->call = CTI_CALL_NONE;
	ami_action_done(a, act, error);
}

static void ami_conferenced(struct ami *a, struct ami_call *c, uint32_t ctl,
			    bool info)
{
	if (c->gone || c->state == CTI_CALL_CONFERENCED)
		return;
	c->info.related_call = ctl;
	ami_call_state(a, c, CTI_CALL_CONFERENCED, 0);
	if (info)
		ami_call_info(a, c, CTI_CALL_INFO_RELATED);
}

/* The controlling call of the conference in bridge @id, if known. */
static struct ami_call *ami_conf_ctl(struct ami *a, const char *id)
{
	size_t i;

	for (i = 0; i < a->ncalls; i++) {
		struct ami_call *c = a->calls[i];

		if (c->conf == c->handle && !strcmp(c->bridge, id) &&
		    c->state == CTI_CALL_CONFERENCED)
			return c;
	}
	return NULL;
}

/*
 * @c's channel entered the softmix bridge @id (c->bridge is @id): the
 * controller's entry makes its calls CONFERENCED and the calls of other
 * lines already in the room; another line's call entering later joins
 * the controller's conference.
 */
void ami_conf_enter(struct ami *a, struct ami_call *c, const char *id)
{
	struct ami_call *ctl;
	size_t i;

	if (c->conf != c->handle) {
		ctl = ami_conf_ctl(a, id);
		if (ctl && c->conf == CTI_CALL_NONE)
			ami_conferenced(a, c, ctl->handle, true);
		return;
	}
	ami_conferenced(a, c, c->handle, false);
	for (i = 0; i < a->ncalls; i++) {
		struct ami_call *o = a->calls[i];

		if (o == c)
			continue;
		if (o->conf == c->handle && o->line == c->line)
			ami_conferenced(a, o, c->handle, false);
		else if (o->conf == CTI_CALL_NONE && !strcmp(o->bridge, id))
			ami_conferenced(a, o, c->handle, true);
	}
}

/* The channel @uid went: a conference party's call follows it. */
struct ami_call *ami_conf_watched(struct ami *a, const char *uid)
{
	size_t i;

	for (i = 0; uid && i < a->ncalls; i++)
		if (a->calls[i]->watch[0] &&
		    !strcmp(a->calls[i]->watch, uid))
			return a->calls[i];
	return NULL;
}

/*
 * The controlling call @ctl ends: the line is out of the room, so its
 * other calls there (the parties it added) end with it.
 */
void ami_conf_ended(struct ami *a, struct ami_call *ctl)
{
	size_t i;

	for (i = 0; i < a->ncalls; i++) {
		struct ami_call *o = a->calls[i];

		if (o == ctl || o->line != ctl->line || o->conf != ctl->handle)
			continue;
		o->conf = CTI_CALL_NONE;
		o->watch[0] = '\0';
		if (!o->gone) {
			o->gone = true;
			ami_call_state(a, o, CTI_CALL_DISCONNECTED,
				       CTI_DISC_NORMAL);
		}
	}
	ctl->conf = CTI_CALL_NONE;
}
