// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * line.c - line objects: their accessors and the requests on a line
 *
 * The lines themselves live in the session's table (linetab.c). A removed
 * line is marked and refuses requests with ENODEV.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

CTI_API uint32_t cti_line_get_id(struct cti_line *line)
{
	return line->info.line;
}

CTI_API const char *cti_line_get_name(struct cti_line *line)
{
	return line->info.name;
}

CTI_API const char *cti_line_get_provider_name(struct cti_line *line)
{
	return line->info.provider_name;
}

CTI_API size_t cti_line_get_num_addresses(struct cti_line *line)
{
	return line->info.num_addresses;
}

CTI_API const char *cti_line_get_address(struct cti_line *line, size_t index)
{
	return index < line->info.num_addresses ?
	       line->info.addresses[index] : NULL;
}

CTI_API uint32_t cti_line_get_status(struct cti_line *line)
{
	return line->info.status;
}

CTI_API uint64_t cti_line_get_ops(struct cti_line *line)
{
	return line->info.ops;
}

CTI_API uint64_t cti_line_get_uops(struct cti_line *line)
{
	return line->info.uops;
}

CTI_API int cti_line_supports(struct cti_line *line, unsigned int cmd)
{
	if (cmd < 64)
		return !!(line->info.ops & (1ULL << cmd));
	if (cmd < 128)
		return !!(line->info.uops & (1ULL << (cmd - 64)));
	return 0;
}

CTI_API uint32_t cti_line_get_max_calls(struct cti_line *line)
{
	return line->info.max_calls;
}

CTI_API uint32_t cti_line_get_num_calls(struct cti_line *line)
{
	return line->info.num_calls;
}

CTI_API uint32_t cti_line_get_forward_mode(struct cti_line *line)
{
	return line->info.forward_mode;
}

CTI_API const char *cti_line_get_forward_to(struct cti_line *line)
{
	return line->info.forward_to;
}

CTI_API int cti_line_get_dnd(struct cti_line *line)
{
	return !!line->info.dnd;
}

CTI_API int cti_line_may_open(struct cti_line *line, enum cti_privilege priv)
{
	if (priv != CTI_PRIV_MONITOR && priv != CTI_PRIV_OWNER)
		return 0;
	return !!(line->info.allowed & (1u << priv));
}

CTI_API enum cti_privilege cti_line_get_privilege(struct cti_line *line)
{
	return (enum cti_privilege)line->info.privilege;
}

CTI_API int cti_line_is_removed(struct cti_line *line)
{
	return line->removed;
}

CTI_API struct cti_session *cti_line_get_session(struct cti_line *line)
{
	return line->session;
}

int cti_line_usable(struct cti_line *line)
{
	if (!line)
		return -EINVAL;
	return line->removed ? -ENODEV : 0;
}

CTI_API int cti_line_open(struct cti_line *line, enum cti_privilege priv,
			  uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_OPEN_LINE };
	int err = cti_line_usable(line);

	if (err)
		return err;
	if (priv != CTI_PRIV_MONITOR && priv != CTI_PRIV_OWNER)
		return -EINVAL;
	f.u.open_line.line = line->info.line;
	f.u.open_line.privilege = priv;
	return cti_request_send(line->session, &f, line->info.line, priv,
				   false, req);
}

CTI_API int cti_line_close(struct cti_line *line, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_CLOSE_LINE };
	int err = cti_line_usable(line);

	if (err)
		return err;
	f.u.close_line.line = line->info.line;
	err = cti_request_send(line->session, &f, line->info.line, 0,
				  false, req);
	if (!err)
		line->want = CTI_PRIV_NONE;	/* no reopen after a resync */
	return err;
}

/* Every command goes through here: one frame, checked by the encoder. */
int cti_line_command(struct cti_line *line, unsigned int cmd, uint32_t call,
		     uint32_t call2, uint32_t arg, uint32_t arg2,
		     const void *data, size_t len, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_COMMAND };
	struct cti_wire_command *c = &f.u.command;
	int err = cti_line_usable(line);

	if (err)
		return err;
	if (cmd > UINT16_MAX || len > CTI_DATA_MAX || (len && !data))
		return -EINVAL;
	c->cmd = (uint16_t)cmd;
	c->line = line->info.line;
	c->call = call;
	c->call2 = call2;
	c->arg = arg;
	c->arg2 = arg2;
	c->data_len = (uint32_t)len;
	if (len)
		memcpy(c->data, data, len);
	return cti_request_send(line->session, &f, line->info.line, 0,
				   false, req);
}

CTI_API int cti_line_submit(struct cti_line *line, unsigned int cmd,
			    uint32_t call, uint32_t call2, uint32_t arg,
			    uint32_t arg2, const void *data, size_t len,
			    uint64_t *req)
{
	return cti_line_command(line, cmd, call, call2, arg, arg2, data, len,
				req);
}

static size_t slen(const char *s)
{
	return s ? strlen(s) : 0;
}

CTI_API int cti_line_make_call(struct cti_line *line, const char *number,
			       uint64_t *req)
{
	return cti_line_command(line, CTI_CMD_MAKE_CALL, CTI_CALL_NONE,
				CTI_CALL_NONE, 0, 0, number, slen(number), req);
}

CTI_API int cti_line_unpark(struct cti_line *line, const char *slot,
			    uint64_t *req)
{
	return cti_line_command(line, CTI_CMD_UNPARK, CTI_CALL_NONE,
				CTI_CALL_NONE, 0, 0, slot, slen(slot), req);
}

CTI_API int cti_line_pickup(struct cti_line *line, const char *number,
			    uint64_t *req)
{
	return cti_line_command(line, CTI_CMD_PICKUP, CTI_CALL_NONE,
				CTI_CALL_NONE, 0, 0, number, slen(number), req);
}

CTI_API int cti_line_set_forward(struct cti_line *line,
				 enum cti_forward_mode mode,
				 const char *number, uint64_t *req)
{
	return cti_line_command(line, CTI_CMD_SET_FORWARD, CTI_CALL_NONE,
				CTI_CALL_NONE, mode, 0, number, slen(number),
				req);
}

CTI_API int cti_line_set_dnd(struct cti_line *line, int on, uint64_t *req)
{
	return cti_line_command(line, CTI_CMD_SET_DND, CTI_CALL_NONE,
				CTI_CALL_NONE, on ? 1 : 0, 0, NULL, 0, req);
}

CTI_API int cti_line_dev_specific(struct cti_line *line, const void *data,
				  size_t len, uint64_t *req)
{
	return cti_line_command(line, CTI_CMD_DEV_SPECIFIC, CTI_CALL_NONE,
				CTI_CALL_NONE, 0, 0, data, len, req);
}

CTI_API int cti_line_send_link_frame(struct cti_line *line, const void *data,
				     size_t len, uint64_t *req)
{
	return cti_line_command(line, CTI_CMD_SEND_LINK_FRAME, CTI_CALL_NONE,
				CTI_CALL_NONE, 0, 0, data, len, req);
}
