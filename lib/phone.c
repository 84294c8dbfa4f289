// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * phone.c - phone objects: their accessors and the requests on a phone
 *
 * The phones themselves live in the session's table (phonetab.c). A
 * removed phone is marked and refuses requests with ENODEV; a ctid that
 * does not serve phones is told apart up front (EOPNOTSUPP), before a
 * frame it would refuse is sent.
 */
#include <errno.h>
#include <string.h>

#include "session.h"

CTI_API int cti_session_has_phones(struct cti_session *session)
{
	return !!(session->features & CTI_WIRE_FEAT_PHONE_DEV);
}

CTI_API struct cti_phone *cti_msg_get_phone(struct cti_msg *msg)
{
	switch (msg->type) {
	case CTI_MSG_PHONE_HOOK:
	case CTI_MSG_PHONE_BUTTON:
	case CTI_MSG_PHONE_DISPLAY:
	case CTI_MSG_PHONE_LAMP:
	case CTI_MSG_PHONE_RING:
	case CTI_MSG_PHONE:
	case CTI_MSG_PHONE_ADDED:
	case CTI_MSG_PHONE_PRIVILEGE:
		return msg->line ? msg->line->phone : NULL;
	default:
		return NULL;
	}
}

CTI_API uint32_t cti_phone_get_id(struct cti_phone *phone)
{
	return phone->info.phone;
}

CTI_API const char *cti_phone_get_name(struct cti_phone *phone)
{
	return phone->info.name;
}

CTI_API struct cti_line *cti_phone_get_line(struct cti_phone *phone)
{
	return cti_session_get_line_by_id(phone->session, phone->info.line);
}

CTI_API uint64_t cti_phone_get_hookswitches(struct cti_phone *phone)
{
	return phone->info.hookswitches;
}

CTI_API uint32_t cti_phone_get_num_buttons(struct cti_phone *phone)
{
	return phone->info.num_buttons;
}

CTI_API uint32_t cti_phone_get_num_lamps(struct cti_phone *phone)
{
	return phone->info.num_lamps;
}

CTI_API uint32_t cti_phone_get_display_rows(struct cti_phone *phone)
{
	return phone->info.display_rows;
}

CTI_API uint32_t cti_phone_get_display_cols(struct cti_phone *phone)
{
	return phone->info.display_cols;
}

CTI_API uint32_t cti_phone_get_num_ring_patterns(struct cti_phone *phone)
{
	return phone->info.num_ring_patterns;
}

CTI_API int cti_phone_may_open(struct cti_phone *phone, enum cti_privilege priv)
{
	if (priv != CTI_PRIV_MONITOR && priv != CTI_PRIV_OWNER)
		return 0;
	return !!(phone->info.allowed & (1u << priv));
}

CTI_API enum cti_privilege cti_phone_get_privilege(struct cti_phone *phone)
{
	return (enum cti_privilege)phone->info.privilege;
}

CTI_API int cti_phone_is_removed(struct cti_phone *phone)
{
	return phone->removed;
}

CTI_API struct cti_session *cti_phone_get_session(struct cti_phone *phone)
{
	return phone->session;
}

CTI_API enum cti_hook_mode cti_phone_get_hook(struct cti_phone *phone,
					      uint64_t hookswitch)
{
	if (!hookswitch || (hookswitch & (hookswitch - 1)) ||
	    !(phone->info.hookswitches & hookswitch))
		return CTI_HOOK_ONHOOK;
	return (enum cti_hook_mode)phone->info.hook[__builtin_ctzll(hookswitch)];
}

CTI_API enum cti_lamp_mode cti_phone_get_lamp(struct cti_phone *phone,
					      uint32_t lamp)
{
	if (lamp >= phone->info.num_lamps)
		return CTI_LAMP_OFF;
	return (enum cti_lamp_mode)phone->info.lamps[lamp];
}

CTI_API const char *cti_phone_get_display_row(struct cti_phone *phone,
					      uint32_t row)
{
	return row < phone->info.num_rows ? phone->info.display[row] : "";
}

CTI_API uint32_t cti_phone_get_ring_pattern(struct cti_phone *phone)
{
	return phone->info.ring_pattern;
}

CTI_API uint32_t cti_phone_get_ring_volume(struct cti_phone *phone)
{
	return phone->info.ring_volume;
}

CTI_API int cti_phone_get_last_button(struct cti_phone *phone,
				      uint32_t *button, int *pressed)
{
	if (phone->info.last_button == CTI_WIRE_BUTTON_NONE)
		return -ENOENT;
	if (button)
		*button = phone->info.last_button;
	if (pressed)
		*pressed = (int)phone->info.last_pressed;
	return 0;
}

/* -EINVAL no phone, -EOPNOTSUPP a ctid without phones, -ENODEV gone. */
static int usable(struct cti_phone *phone)
{
	if (!phone)
		return -EINVAL;
	if (!cti_session_has_phones(phone->session))
		return -EOPNOTSUPP;
	return phone->removed ? -ENODEV : 0;
}

CTI_API int cti_session_list_phones(struct cti_session *session, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LIST_PHONES };

	if (!cti_session_has_phones(session))
		return -EOPNOTSUPP;
	f.u.phone_req.phone = CTI_LINE_NONE;
	return cti_request_send(session, &f, CTI_LINE_NONE, 0, false, req);
}

CTI_API int cti_phone_query(struct cti_phone *phone, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LIST_PHONES };
	int err = usable(phone);

	if (err)
		return err;
	f.u.phone_req.phone = phone->info.phone;
	return cti_request_send(phone->session, &f, phone->info.phone, 0,
				false, req);
}

CTI_API int cti_phone_open(struct cti_phone *phone, enum cti_privilege priv,
			   uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_OPEN_PHONE };
	int err = usable(phone);

	if (err)
		return err;
	if (priv != CTI_PRIV_MONITOR && priv != CTI_PRIV_OWNER)
		return -EINVAL;
	f.u.open_phone.phone = phone->info.phone;
	f.u.open_phone.privilege = priv;
	return cti_request_send(phone->session, &f, phone->info.phone, priv,
				false, req);
}

CTI_API int cti_phone_close(struct cti_phone *phone, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_CLOSE_PHONE };
	int err = usable(phone);

	if (err)
		return err;
	/* not opened again by a resync, whatever ctid answers */
	phone->want = CTI_PRIV_NONE;
	f.u.phone_req.phone = phone->info.phone;
	return cti_request_send(phone->session, &f, phone->info.phone, 0,
				false, req);
}

static int phone_command(struct cti_phone *phone, uint16_t cmd, uint32_t arg,
			 uint32_t arg2, const void *data, size_t len,
			 uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_PHONE_COMMAND };
	struct cti_wire_phone_command *c = &f.u.phone_command;
	int err = usable(phone);

	if (err)
		return err;
	if (len > CTI_DEV_SPECIFIC_MAX || (len && !data))
		return -EINVAL;
	c->phone = phone->info.phone;
	c->cmd = cmd;
	c->arg = arg;
	c->arg2 = arg2;
	c->data_len = (uint32_t)len;
	if (len)
		memcpy(c->data, data, len);
	return cti_request_send(phone->session, &f, phone->info.phone, 0,
				false, req);
}

CTI_API int cti_phone_set_hookswitch(struct cti_phone *phone, uint64_t hookswitch,
				     enum cti_hook_mode mode, uint64_t *req)
{
	if (hookswitch > UINT32_MAX)
		return -EINVAL;
	return phone_command(phone, CTI_CMD_SET_HOOK, (uint32_t)hookswitch, mode,
			     NULL, 0, req);
}

CTI_API int cti_phone_write_display(struct cti_phone *phone, uint32_t row,
				    uint32_t col, const char *text, uint64_t *req)
{
	size_t len = text ? strlen(text) : 0;

	if (len > CTI_DISPLAY_MAX)
		return -ENAMETOOLONG;
	return phone_command(phone, CTI_CMD_SET_DISPLAY, row, col, text, len, req);
}

CTI_API int cti_phone_set_lamp_mode(struct cti_phone *phone, uint32_t lamp,
				    enum cti_lamp_mode mode, uint64_t *req)
{
	return phone_command(phone, CTI_CMD_SET_LAMP, lamp, mode, NULL, 0, req);
}

CTI_API int cti_phone_set_ringer(struct cti_phone *phone, uint32_t pattern,
				 uint32_t volume, uint64_t *req)
{
	return phone_command(phone, CTI_CMD_SET_RING, pattern, volume, NULL, 0, req);
}

CTI_API int cti_phone_dev_specific(struct cti_phone *phone, const void *data,
				   size_t len, uint64_t *req)
{
	return phone_command(phone, CTI_CMD_DEV_SPECIFIC, 0, 0, data, len, req);
}
