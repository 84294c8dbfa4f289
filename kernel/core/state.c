// SPDX-License-Identifier: GPL-2.0
/*
 * cti core: the line and call state tables behind CTI_IOC_SNAPSHOT.
 *
 * Kept from the CALL_STATE, CALL_INFO and LINE_STATUS records the backend
 * posts, so snapshots work for every backend. Fixed arrays: updating them
 * from cti_card_post() never allocates.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

int cti_state_alloc(struct cti_card *card)
{
	if (!card->num_lines)
		return 0;
	card->state = kcalloc(card->num_lines, sizeof(*card->state),
			      GFP_KERNEL);
	return card->state ? 0 : -ENOMEM;
}

static struct cti_call_slot *cti_state_find(struct cti_line_state *ls,
					    u32 call, bool create)
{
	struct cti_call_slot *free = NULL;
	unsigned int i;

	for (i = 0; i < CTI_MAX_CALLS_PER_LINE; i++) {
		struct cti_call_slot *s = &ls->calls[i];

		if (s->call == call)
			return s;
		if (!free && s->call == CTI_CALL_NONE)
			free = s;
	}
	if (!create || !free)
		return NULL;
	memset(free, 0, sizeof(*free));
	free->call = call;
	free->state = CTI_CALL_UNKNOWN;
	ls->num_calls++;
	return free;
}

static void cti_state_call_state(struct cti_line_state *ls,
				 const struct cti_ev_call_state *ev)
{
	struct cti_call_slot *s;

	if (ev->call == CTI_CALL_NONE)
		return;
	s = cti_state_find(ls, ev->call, ev->state != CTI_CALL_IDLE);
	if (!s)
		return;
	if (ev->state == CTI_CALL_IDLE) {
		memset(s, 0, sizeof(*s));
		ls->num_calls--;
		return;
	}
	s->state = ev->state;
	s->reason = ev->reason;
	s->related_call = ev->related_call;
}

static void cti_state_call_info(struct cti_line_state *ls,
				const struct cti_ev_call_info *ev)
{
	struct cti_call_slot *s;

	if (ev->call == CTI_CALL_NONE)
		return;
	s = cti_state_find(ls, ev->call, true);
	if (!s)
		return;
	s->origin = ev->origin;
	s->related_call = ev->related_call;
	strscpy_pad(s->caller, ev->caller, sizeof(s->caller));
	strscpy_pad(s->called, ev->called, sizeof(s->called));
}

static void cti_state_line_status(struct cti_line_state *ls,
				  const struct cti_ev_line_status *ev)
{
	ls->status = ev->status;
	ls->forward_mode = ev->forward_mode;
	ls->dnd = ev->dnd;
	strscpy_pad(ls->forward_to, ev->forward_to, sizeof(ls->forward_to));
}

/* @ev has been validated: its line is in range for these types. */
void cti_state_update_locked(struct cti_card *card, const struct cti_event *ev)
{
	struct cti_line_state *ls;

	lockdep_assert_held(&card->lock);
	switch (ev->type) {
	case CTI_EV_CALL_STATE:
	case CTI_EV_CALL_INFO:
	case CTI_EV_LINE_STATUS:
		break;
	default:
		return;
	}
	ls = &card->state[ev->line];
	switch (ev->type) {
	case CTI_EV_CALL_STATE:
		cti_state_call_state(ls, (const void *)ev);
		break;
	case CTI_EV_CALL_INFO:
		cti_state_call_info(ls, (const void *)ev);
		break;
	default:
		cti_state_line_status(ls, (const void *)ev);
		break;
	}
}

u32 cti_state_count_calls_locked(const struct cti_card *card)
{
	u32 i, n = 0;

	lockdep_assert_held(&card->lock);
	for (i = 0; i < card->num_lines; i++)
		n += card->state[i].num_calls;
	return n;
}

u32 cti_state_line_calls_locked(const struct cti_card *card, u32 line)
{
	lockdep_assert_held(&card->lock);
	return card->state[line].num_calls;
}

/* Fill num_lines line entries and every call; the caller sized @calls. */
void cti_state_fill_locked(const struct cti_card *card,
			   struct cti_line_snapshot *lines,
			   struct cti_call_snapshot *calls)
{
	u32 i, j, n = 0;

	lockdep_assert_held(&card->lock);
	for (i = 0; i < card->num_lines; i++) {
		const struct cti_line_state *ls = &card->state[i];
		struct cti_line_snapshot *l = &lines[i];

		memset(l, 0, sizeof(*l));
		l->line = i;
		l->status = ls->status;
		l->num_calls = ls->num_calls;
		l->forward_mode = ls->forward_mode;
		l->dnd = ls->dnd;
		memcpy(l->forward_to, ls->forward_to, sizeof(l->forward_to));

		for (j = 0; j < CTI_MAX_CALLS_PER_LINE; j++) {
			const struct cti_call_slot *s = &ls->calls[j];
			struct cti_call_snapshot *c;

			if (s->call == CTI_CALL_NONE)
				continue;
			c = &calls[n++];
			memset(c, 0, sizeof(*c));
			c->line = i;
			c->call = s->call;
			c->state = s->state;
			c->reason = s->reason;
			c->origin = s->origin;
			c->related_call = s->related_call;
			memcpy(c->caller, s->caller, sizeof(c->caller));
			memcpy(c->called, s->called, sizeof(c->called));
		}
	}
}
