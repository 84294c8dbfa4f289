// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * call.c - requests on calls, on a line's phone and on its agent
 *
 * A call is its line plus its handle, and a line's phone and agent are
 * reached through the line: every function here takes the line first and
 * is named cti_line_*. The CTI_1 names (cti_call_*, cti_phone_*,
 * cti_agent_*), which took a line under another object's name, stay
 * exported as aliases for the programs that use them.
 *
 * Each is one COMMAND frame; cti_line_command() builds it and the codec
 * checks numbers, digits and text exactly as ctid will, so a bad argument
 * fails here with EINVAL/EILSEQ/ENAMETOOLONG instead of a round trip.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static size_t slen(const char *s)
{
	return s ? strlen(s) : 0;
}

static int call_cmd(struct cti_line *line, unsigned int cmd, uint32_t call,
		    uint64_t *req)
{
	if (call == CTI_CALL_NONE)
		return -EINVAL;
	return cti_line_command(line, cmd, call, CTI_CALL_NONE, 0, 0, NULL, 0,
				req);
}

/* A command on two calls of the line (@call2 in the request). */
static int call_pair(struct cti_line *line, unsigned int cmd, uint32_t call,
		     uint32_t call2, uint64_t *req)
{
	if (call == CTI_CALL_NONE || call2 == CTI_CALL_NONE)
		return -EINVAL;
	return cti_line_command(line, cmd, call, call2, 0, 0, NULL, 0, req);
}

static int call_number(struct cti_line *line, unsigned int cmd,
		       uint32_t call, const char *number, uint64_t *req)
{
	if (call == CTI_CALL_NONE)
		return -EINVAL;
	return cti_line_command(line, cmd, call, CTI_CALL_NONE, 0, 0, number,
				slen(number), req);
}

CTI_API int cti_line_answer_call(struct cti_line *line, uint32_t call,
				 uint64_t *req)
{
	return call_cmd(line, CTI_CMD_ANSWER, call, req);
}
CTI_1_NAME(cti_call_answer, cti_line_answer_call);

CTI_API int cti_line_accept_call(struct cti_line *line, uint32_t call,
				 uint64_t *req)
{
	return call_cmd(line, CTI_CMD_ACCEPT, call, req);
}
CTI_1_NAME(cti_call_accept, cti_line_accept_call);

CTI_API int cti_line_drop_call(struct cti_line *line, uint32_t call,
			       uint64_t *req)
{
	return call_cmd(line, CTI_CMD_DROP, call, req);
}
CTI_1_NAME(cti_call_drop, cti_line_drop_call);

CTI_API int cti_line_hold_call(struct cti_line *line, uint32_t call,
			       uint64_t *req)
{
	return call_cmd(line, CTI_CMD_HOLD, call, req);
}
CTI_1_NAME(cti_call_hold, cti_line_hold_call);

CTI_API int cti_line_unhold_call(struct cti_line *line, uint32_t call,
				 uint64_t *req)
{
	return call_cmd(line, CTI_CMD_UNHOLD, call, req);
}
CTI_1_NAME(cti_call_unhold, cti_line_unhold_call);

CTI_API int cti_line_swap_hold(struct cti_line *line, uint32_t active,
			       uint32_t held, uint64_t *req)
{
	return call_pair(line, CTI_CMD_SWAP_HOLD, active, held, req);
}
CTI_1_NAME(cti_call_swap_hold, cti_line_swap_hold);

CTI_API int cti_line_blind_transfer(struct cti_line *line, uint32_t call,
				    const char *number, uint64_t *req)
{
	return call_number(line, CTI_CMD_BLIND_TRANSFER, call, number, req);
}
CTI_1_NAME(cti_call_blind_transfer, cti_line_blind_transfer);

CTI_API int cti_line_setup_transfer(struct cti_line *line, uint32_t call,
				    const char *number, uint64_t *req)
{
	return call_number(line, CTI_CMD_SETUP_TRANSFER, call, number, req);
}
CTI_1_NAME(cti_call_setup_transfer, cti_line_setup_transfer);

CTI_API int cti_line_complete_transfer(struct cti_line *line, uint32_t held,
				       uint32_t consult,
				       enum cti_transfer_mode mode,
				       uint64_t *req)
{
	if (held == CTI_CALL_NONE || consult == CTI_CALL_NONE ||
	    (mode != CTI_TRANSFER_MODE_TRANSFER &&
	     mode != CTI_TRANSFER_MODE_CONFERENCE))
		return -EINVAL;
	return cti_line_command(line, CTI_CMD_COMPLETE_TRANSFER, held,
				consult, mode, 0, NULL, 0, req);
}
CTI_1_NAME(cti_call_complete_transfer, cti_line_complete_transfer);

CTI_API int cti_line_setup_conference(struct cti_line *line, uint32_t call,
				      const char *number, uint64_t *req)
{
	return call_number(line, CTI_CMD_SETUP_CONFERENCE, call, number, req);
}
CTI_1_NAME(cti_call_setup_conference, cti_line_setup_conference);

CTI_API int cti_line_add_to_conference(struct cti_line *line, uint32_t conf,
				       uint32_t call, uint64_t *req)
{
	return call_pair(line, CTI_CMD_ADD_TO_CONFERENCE, conf, call, req);
}
CTI_1_NAME(cti_call_add_to_conference, cti_line_add_to_conference);

CTI_API int cti_line_remove_from_conference(struct cti_line *line,
					    uint32_t call, uint64_t *req)
{
	return call_cmd(line, CTI_CMD_REMOVE_FROM_CONFERENCE, call, req);
}
CTI_1_NAME(cti_call_remove_from_conference, cti_line_remove_from_conference);

CTI_API int cti_line_redirect_call(struct cti_line *line, uint32_t call,
				   const char *number, uint64_t *req)
{
	return call_number(line, CTI_CMD_REDIRECT, call, number, req);
}
CTI_1_NAME(cti_call_redirect, cti_line_redirect_call);

CTI_API int cti_line_park_call(struct cti_line *line, uint32_t call,
			       const char *slot, uint64_t *req)
{
	return call_number(line, CTI_CMD_PARK, call, slot, req);
}
CTI_1_NAME(cti_call_park, cti_line_park_call);

CTI_API int cti_line_generate_digits(struct cti_line *line, uint32_t call,
				     const char *digits, uint64_t *req)
{
	return call_number(line, CTI_CMD_GENERATE_DIGITS, call, digits, req);
}
CTI_1_NAME(cti_call_generate_digits, cti_line_generate_digits);

CTI_API int cti_line_generate_tone(struct cti_line *line, uint32_t call,
				   enum cti_tone tone, uint32_t ms,
				   uint64_t *req)
{
	if (call == CTI_CALL_NONE || tone > CTI_TONE_RINGBACK)
		return -EINVAL;
	return cti_line_command(line, CTI_CMD_GENERATE_TONE, call,
				CTI_CALL_NONE, tone, ms, NULL, 0, req);
}
CTI_1_NAME(cti_call_generate_tone, cti_line_generate_tone);

CTI_API int cti_line_set_call_privilege(struct cti_line *line, uint32_t call,
					enum cti_privilege priv, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_SET_PRIVILEGE };
	int err = cti_line_usable(line);

	if (err)
		return err;
	if (call == CTI_CALL_NONE || (unsigned int)priv > CTI_PRIV_OWNER)
		return -EINVAL;
	f.u.set_privilege.line = line->info.line;
	f.u.set_privilege.call = call;
	f.u.set_privilege.privilege = priv;
	return cti_request_send(line->session, &f, line->info.line, 0,
				   false, req);
}
CTI_1_NAME(cti_call_set_privilege, cti_line_set_call_privilege);

CTI_API int cti_line_handoff_call(struct cti_line *line, uint32_t call,
				  const char *target, uint64_t *req)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_HANDOFF };
	int err = cti_line_usable(line);

	if (err)
		return err;
	if (call == CTI_CALL_NONE ||
	    slen(target) >= sizeof(f.u.handoff.target))
		return -EINVAL;
	f.u.handoff.line = line->info.line;
	f.u.handoff.call = call;
	if (target)
		strcpy(f.u.handoff.target, target);
	return cti_request_send(line->session, &f, line->info.line, 0,
				   false, req);
}
CTI_1_NAME(cti_call_handoff, cti_line_handoff_call);

CTI_API int cti_line_set_phone_hook(struct cti_line *line, uint32_t hookswitch,
				    enum cti_hook_mode mode, uint64_t *req)
{
	return cti_line_command(line, CTI_CMD_SET_HOOK, CTI_CALL_NONE,
				CTI_CALL_NONE, hookswitch, mode, NULL, 0, req);
}
CTI_1_NAME(cti_phone_set_hook, cti_line_set_phone_hook);

CTI_API int cti_line_set_phone_display(struct cti_line *line, uint32_t row,
				       uint32_t col, const char *text,
				       uint64_t *req)
{
	return cti_line_command(line, CTI_CMD_SET_DISPLAY, CTI_CALL_NONE,
				CTI_CALL_NONE, row, col, text, slen(text), req);
}
CTI_1_NAME(cti_phone_set_display, cti_line_set_phone_display);

CTI_API int cti_line_set_phone_lamp(struct cti_line *line, uint32_t lamp,
				    enum cti_lamp_mode mode, uint64_t *req)
{
	return cti_line_command(line, CTI_CMD_SET_LAMP, CTI_CALL_NONE,
				CTI_CALL_NONE, lamp, mode, NULL, 0, req);
}
CTI_1_NAME(cti_phone_set_lamp, cti_line_set_phone_lamp);

CTI_API int cti_line_set_phone_ring(struct cti_line *line, uint32_t pattern,
				    uint32_t volume, uint64_t *req)
{
	if (volume > 100)
		return -EINVAL;
	return cti_line_command(line, CTI_CMD_SET_RING, CTI_CALL_NONE,
				CTI_CALL_NONE, pattern, volume, NULL, 0, req);
}
CTI_1_NAME(cti_phone_set_ring, cti_line_set_phone_ring);

CTI_API int cti_line_set_agent_state(struct cti_line *line, uint32_t state,
				     uint32_t reason, uint64_t *req)
{
	return cti_line_command(line, CTI_UCMD_SET_AGENT_STATE, CTI_CALL_NONE,
				CTI_CALL_NONE, state, reason, NULL, 0, req);
}
CTI_1_NAME(cti_agent_set_state, cti_line_set_agent_state);

CTI_API int cti_line_set_agent_groups(struct cti_line *line, const char *groups,
				      uint64_t *req)
{
	return cti_line_command(line, CTI_UCMD_SET_AGENT_GROUP, CTI_CALL_NONE,
				CTI_CALL_NONE, 0, 0, groups, slen(groups), req);
}
CTI_1_NAME(cti_agent_set_groups, cti_line_set_agent_groups);

CTI_API int cti_line_set_agent_activity(struct cti_line *line,
					uint32_t activity, uint64_t *req)
{
	return cti_line_command(line, CTI_UCMD_SET_AGENT_ACTIVITY, CTI_CALL_NONE,
				CTI_CALL_NONE, activity, 0, NULL, 0, req);
}
CTI_1_NAME(cti_agent_set_activity, cti_line_set_agent_activity);
