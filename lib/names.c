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
};

CTI_API const char *cti_call_state_name(uint32_t state)
{
	return NAME(cti_state_names, state);
}

CTI_API const char *cti_disconnect_reason_name(uint32_t reason)
{
	return NAME(cti_disc_names, reason);
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
