// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * phonetab.c - the session's phones and what ctid's frames do to them
 *
 * A phone shares its line's id, so it hangs off its line object (found
 * through the line index) and is kept, like lines, until the session is
 * closed: a program may hold phone pointers across hot-plug and
 * reconnects. PHONE items and EV_PHONE_ADDED replace its description and
 * state; phone events update the state in between.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

static struct cti_phone *phone_new(struct cti_session *s, struct cti_line *line)
{
	struct cti_phone *p;

	if (s->num_phones == s->phones_cap) {
		size_t cap = s->phones_cap ? s->phones_cap * 2 : 16;
		struct cti_phone **n = realloc(s->phones, cap * sizeof(*n));

		if (!n)
			return NULL;
		s->phones = n;
		s->phones_cap = cap;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->session = s;
	s->phones[s->num_phones++] = p;
	line->phone = p;
	return p;
}

/* A PHONE item or EV_PHONE_ADDED: the phone as ctid describes it now. */
int cti_phone_item(struct cti_session *s, const struct cti_wire_frame *f,
		   bool added)
{
	struct cti_line *line = cti_session_get_line_by_id(s, f->u.phone.line);
	struct cti_phone *p;
	bool fresh;

	if (!line)
		return 0;	/* ctid announces the line first: not ours */
	p = line->phone;
	fresh = !p || p->removed;
	if (!p) {
		p = phone_new(s, line);
		if (!p)
			return -ENOMEM;
	}
	p->info = f->u.phone;
	p->removed = false;
	p->seen = true;
	/* ctid keeps a session's opens while the line is away: follow it */
	if (p->info.privilege != CTI_PRIV_NONE)
		p->want = (enum cti_privilege)p->info.privilege;
	if (added || (fresh && s->resyncing))
		return cti_msg_queue_frame(s, CTI_MSG_PHONE_ADDED, f, line);
	return 0;
}

static void set_row(struct cti_wire_phone *w, const struct cti_wire_ev_phone_display *d)
{
	char *row;
	size_t n;

	if (d->row >= w->num_rows)
		return;
	row = w->display[d->row];
	n = strnlen(d->text, w->display_cols);
	while (n && n < strlen(d->text) && ((unsigned char)d->text[n] & 0xc0) == 0x80)
		n--;	/* as ctid cuts it: at a character boundary */
	memcpy(row, d->text, n);
	row[n] = '\0';
}

static void apply_state(struct cti_wire_phone *w, const struct cti_wire_frame *f)
{
	uint32_t h;

	switch (f->hdr.type) {
	case CTI_WIRE_EV_PHONE_HOOK:
		h = f->u.phone_hook.hookswitch;
		if (w->hookswitches & h)
			w->hook[__builtin_ctz(h)] = f->u.phone_hook.mode;
		break;
	case CTI_WIRE_EV_PHONE_BUTTON:
		if (f->u.phone_button.button < w->num_buttons) {
			w->last_button = f->u.phone_button.button;
			w->last_pressed = f->u.phone_button.pressed;
		}
		break;
	case CTI_WIRE_EV_PHONE_DISPLAY:
		set_row(w, &f->u.phone_display);
		break;
	case CTI_WIRE_EV_PHONE_LAMP:
		if (f->u.phone_lamp.lamp < w->num_lamps)
			w->lamps[f->u.phone_lamp.lamp] = (uint8_t)f->u.phone_lamp.mode;
		break;
	case CTI_WIRE_EV_PHONE_RING:
		w->ring_pattern = f->u.phone_ring.pattern;
		w->ring_volume = f->u.phone_ring.volume;
		break;
	default:
		break;
	}
}

void cti_phone_apply(struct cti_session *s, const struct cti_wire_frame *f)
{
	uint32_t id;
	struct cti_line *line;

	/* every event body but the provider's starts with its line (phone) */
	if (f->hdr.type == CTI_WIRE_EV_PROVIDER_STATE)
		return;
	memcpy(&id, &f->u, sizeof(id));
	line = cti_session_get_line_by_id(s, id);
	if (!line || !line->phone)
		return;
	switch (f->hdr.type) {
	case CTI_WIRE_EV_LINE_REMOVED:
		line->phone->removed = true;
		line->phone->want = CTI_PRIV_NONE;
		line->phone->info.privilege = CTI_PRIV_NONE;
		break;
	case CTI_WIRE_EV_PHONE_PRIVILEGE:
		line->phone->info.privilege = f->u.phone_privilege.privilege;
		break;
	default:
		apply_state(&line->phone->info, f);
		break;
	}
}

void cti_phones_resync_begin(struct cti_session *s)
{
	for (size_t i = 0; i < s->num_phones; i++)
		s->phones[i]->seen = false;
}

/* Open again, as the program had them, the phones the new session lacks. */
static int reopen_phones(struct cti_session *s)
{
	for (size_t i = 0; i < s->num_phones; i++) {
		struct cti_phone *p = s->phones[i];
		struct cti_wire_frame f = { .hdr.type = CTI_WIRE_OPEN_PHONE };
		int err;

		if (p->removed || p->want == CTI_PRIV_NONE ||
		    p->info.privilege == p->want)
			continue;
		f.u.open_phone.phone = p->info.phone;
		f.u.open_phone.privilege = p->want;
		err = cti_request_send(s, &f, p->info.phone, p->want, true, NULL);
		if (err == -ENOTCONN)
			return 0;
		if (err)
			return err;
	}
	return 0;
}

/*
 * The END of a snapshot. Only a ctid that serves phones lists them: from
 * another (an older server after a restart) the phones are unknown, and
 * every one is gone as far as this session can tell.
 */
int cti_phones_resync_end(struct cti_session *s)
{
	for (size_t i = 0; i < s->num_phones; i++) {
		struct cti_phone *p = s->phones[i];

		if (p->seen || p->removed)
			continue;
		p->removed = true;
		p->want = CTI_PRIV_NONE;
		p->info.privilege = CTI_PRIV_NONE;
	}
	return reopen_phones(s);
}

void cti_phones_free(struct cti_session *s)
{
	for (size_t i = 0; i < s->num_phones; i++)
		free(s->phones[i]);
	free(s->phones);
	s->phones = NULL;
	s->num_phones = s->phones_cap = 0;
}

CTI_API size_t cti_session_get_num_phones(struct cti_session *session)
{
	return session->num_phones;
}

CTI_API struct cti_phone *cti_session_get_phone(struct cti_session *session,
						size_t index)
{
	return index < session->num_phones ? session->phones[index] : NULL;
}

CTI_API struct cti_phone *cti_session_get_phone_by_id(struct cti_session *session,
						      uint32_t id)
{
	struct cti_line *line = cti_session_get_line_by_id(session, id);

	return line ? line->phone : NULL;
}

CTI_API int cti_session_find_phone(struct cti_session *session, const char *name,
				   struct cti_phone **phonep)
{
	struct cti_line *line;

	if (!name || !phonep)
		return -EINVAL;
	for (size_t i = 0; i < session->num_phones; i++)
		if (!strcmp(session->phones[i]->info.name, name)) {
			*phonep = session->phones[i];
			return 0;
		}
	/* a line's number finds its phone */
	if (cti_session_find_line(session, name, &line) || !line->phone)
		return -ENOENT;
	*phonep = line->phone;
	return 0;
}

CTI_API struct cti_phone *cti_line_get_phone(struct cti_line *line)
{
	return line->phone;
}
