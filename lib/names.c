// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * names.c - printable names of the enums programs print most
 */
#include "internal.h"
#include "../switch/call_names.h"

#define NAME(tbl, i) \
	((i) < sizeof(tbl) / sizeof(tbl[0]) && tbl[i] ? tbl[i] : "?")

static const char *const msg_types[] = {
	[CTI_MSG_REPLY] = "REPLY",
	[CTI_MSG_CALL_STATE] = "CALL_STATE",
	[CTI_MSG_CALL_INFO] = "CALL_INFO",
	[CTI_MSG_DIGITS] = "DIGITS",
	[CTI_MSG_LINE_STATUS] = "LINE_STATUS",
	[CTI_MSG_PHONE_HOOK] = "PHONE_HOOK",
	[CTI_MSG_PHONE_BUTTON] = "PHONE_BUTTON",
	[CTI_MSG_PHONE_DISPLAY] = "PHONE_DISPLAY",
	[CTI_MSG_PHONE_LAMP] = "PHONE_LAMP",
	[CTI_MSG_PHONE_RING] = "PHONE_RING",
	[CTI_MSG_LINK_STATE] = "LINK_STATE",
	[CTI_MSG_LINE_ADDED] = "LINE_ADDED",
	[CTI_MSG_LINE_REMOVED] = "LINE_REMOVED",
	[CTI_MSG_PRIVILEGE] = "PRIVILEGE",
	[CTI_MSG_AGENT_STATE] = "AGENT_STATE",
	[CTI_MSG_PROVIDER_STATE] = "PROVIDER_STATE",
	[CTI_MSG_DEV_SPECIFIC] = "DEV_SPECIFIC",
	[CTI_MSG_CALL] = "CALL",
	[CTI_MSG_PROVIDER] = "PROVIDER",
	[CTI_MSG_LIST_END] = "LIST_END",
	[CTI_MSG_DISCONNECTED] = "DISCONNECTED",
	[CTI_MSG_RECONNECTED] = "RECONNECTED",
	[CTI_MSG_GAP] = "GAP",
	[CTI_MSG_RESYNC] = "RESYNC",
	[CTI_MSG_PHONE] = "PHONE",
	[CTI_MSG_PHONE_ADDED] = "PHONE_ADDED",
	[CTI_MSG_PHONE_PRIVILEGE] = "PHONE_PRIVILEGE",
	[CTI_MSG_ACCOUNT] = "ACCOUNT",
	[CTI_MSG_SESSION] = "SESSION",
	[CTI_MSG_NOTE] = "NOTE",
};

CTI_API const char *cti_call_state_name(uint32_t state)
{
	return NAME(cti_state_names, state);
}

CTI_API const char *cti_disconnect_reason_name(uint32_t reason)
{
	return NAME(cti_disc_names, reason);
}

static const char *const cmd_names[] = {
	[CTI_CMD_MAKE_CALL] = "MAKE_CALL",
	[CTI_CMD_ANSWER] = "ANSWER",
	[CTI_CMD_ACCEPT] = "ACCEPT",
	[CTI_CMD_DROP] = "DROP",
	[CTI_CMD_HOLD] = "HOLD",
	[CTI_CMD_UNHOLD] = "UNHOLD",
	[CTI_CMD_SWAP_HOLD] = "SWAP_HOLD",
	[CTI_CMD_BLIND_TRANSFER] = "BLIND_TRANSFER",
	[CTI_CMD_SETUP_TRANSFER] = "SETUP_TRANSFER",
	[CTI_CMD_COMPLETE_TRANSFER] = "COMPLETE_TRANSFER",
	[CTI_CMD_SETUP_CONFERENCE] = "SETUP_CONFERENCE",
	[CTI_CMD_ADD_TO_CONFERENCE] = "ADD_TO_CONFERENCE",
	[CTI_CMD_REMOVE_FROM_CONFERENCE] = "REMOVE_FROM_CONFERENCE",
	[CTI_CMD_REDIRECT] = "REDIRECT",
	[CTI_CMD_PARK] = "PARK",
	[CTI_CMD_UNPARK] = "UNPARK",
	[CTI_CMD_PICKUP] = "PICKUP",
	[CTI_CMD_SET_FORWARD] = "SET_FORWARD",
	[CTI_CMD_SET_DND] = "SET_DND",
	[CTI_CMD_GENERATE_DIGITS] = "GENERATE_DIGITS",
	[CTI_CMD_GENERATE_TONE] = "GENERATE_TONE",
	[CTI_CMD_SET_HOOK] = "SET_HOOK",
	[CTI_CMD_SET_DISPLAY] = "SET_DISPLAY",
	[CTI_CMD_SET_LAMP] = "SET_LAMP",
	[CTI_CMD_SET_RING] = "SET_RING",
	[CTI_CMD_SEND_LINK_FRAME] = "SEND_LINK_FRAME",
	[CTI_CMD_DEV_SPECIFIC] = "DEV_SPECIFIC",
};

static const char *const ucmd_names[] = {
	[CTI_UCMD_SET_AGENT_STATE - CTI_UCMD_BASE] = "SET_AGENT_STATE",
	[CTI_UCMD_SET_AGENT_GROUP - CTI_UCMD_BASE] = "SET_AGENT_GROUP",
	[CTI_UCMD_SET_AGENT_ACTIVITY - CTI_UCMD_BASE] = "SET_AGENT_ACTIVITY",
};

CTI_API const char *cti_command_name(uint32_t cmd)
{
	if (cmd >= CTI_UCMD_BASE)
		return NAME(ucmd_names, cmd - CTI_UCMD_BASE);
	return NAME(cmd_names, cmd);
}

CTI_API const char *cti_offer_reason_name(uint32_t reason)
{
	return NAME(cti_offer_names, reason);
}

CTI_API const char *cti_call_reason_name(uint32_t state, uint32_t reason)
{
	switch (state) {
	case CTI_CALL_OFFERING:
		return cti_offer_reason_name(reason);
	case CTI_CALL_DISCONNECTED:
	case CTI_CALL_IDLE:
		return cti_disconnect_reason_name(reason);
	default:
		return "";
	}
}

CTI_API const char *cti_msg_type_name(enum cti_msg_type type)
{
	return NAME(msg_types, (unsigned int)type);
}
