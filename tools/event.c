// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * event.c - one event as fields, printed as a text line or a JSON object
 *
 * Both forms come from the same list of fields, so the text monitor
 * shows everything the JSON one does (reasons, the forwarded call's
 * parties, agent and phone details): "key=value" after the sequence
 * number, line and event type.
 */
#include <inttypes.h>
#include <string.h>

#include "common.h"
#include "event.h"

struct ev_out {
	bool json;
	struct json j;
};

static void put_str(struct ev_out *o, const char *key, const char *val)
{
	if (o->json)
		json_str(&o->j, key, val);
	else if (val && *val)
		printf(strpbrk(val, " \t\"") ? " %s=\"%s\"" : " %s=%s", key,
		       val);
}

/* @skip0: a zero means "none" and the text form leaves it out. */
static void put_uint(struct ev_out *o, const char *key, uint64_t val,
		     bool skip0)
{
	if (o->json)
		json_uint(&o->j, key, val);
	else if (val || !skip0)
		printf(" %s=%" PRIu64, key, val);
}

static const char *name_of(const char *const *names, size_t n, uint32_t i)
{
	return i < n && names[i] ? names[i] : "?";
}

#define NAME(tbl, i) name_of((tbl), sizeof(tbl) / sizeof((tbl)[0]), (i))

static const char *const hook_modes[] = {
	"onhook", "mic", "speaker", "offhook",	/* as ctictl phone-hook */
};
static const char *const lamp_modes[] = {
	"off", "steady", "wink", "flash", "flutter",
};
static const char *const agent_states[] = {
	"logged-out", "ready", "not-ready", "after-call-work", "busy",
};
static const char *const privileges[] = { "none", "monitor", "owner" };

static const char *hook_device(uint32_t bit)
{
	return bit == CTI_HOOKSWITCH_HANDSET ? "handset" :
	       bit == CTI_HOOKSWITCH_SPEAKER ? "speaker" :
	       bit == CTI_HOOKSWITCH_HEADSET ? "headset" : "?";
}

static void call_fields(struct ev_out *o, struct cti_msg *msg)
{
	uint32_t state = cti_msg_get_state(msg);

	put_uint(o, "call", cti_msg_get_call(msg), false);
	put_str(o, "state", cti_call_state_name(state));
	put_str(o, "reason",
		cti_call_reason_name(state, cti_msg_get_reason(msg)));
	put_uint(o, "related_call", cti_msg_get_related_call(msg), true);
}

static void digits_fields(struct ev_out *o, struct cti_msg *msg)
{
	put_uint(o, "call", cti_msg_get_call(msg), false);
	put_str(o, "digits", cti_msg_get_text(msg));
}

/* A call's parties, and why it came here (offer reasons: FORWARD ...). */
static void info_fields(struct ev_out *o, struct cti_msg *msg)
{
	put_uint(o, "call", cti_msg_get_call(msg), false);
	put_str(o, "origin", ctl_origin_name(cti_msg_get_origin(msg)));
	put_str(o, "reason", cti_offer_reason_name(cti_msg_get_reason(msg)));
	put_str(o, "caller", cti_msg_get_caller(msg));
	put_str(o, "caller_name", cti_msg_get_caller_name(msg));
	put_str(o, "called", cti_msg_get_called(msg));
	put_str(o, "called_name", cti_msg_get_called_name(msg));
	put_str(o, "forwarded_from",
		ctl_forwarded_from(cti_msg_get_reason(msg),
				   cti_msg_get_called(msg)));
	put_uint(o, "related_call", cti_msg_get_related_call(msg), true);
}

static void phone_fields(struct ev_out *o, struct cti_msg *msg,
			 enum cti_msg_type type)
{
	uint32_t arg = cti_msg_get_arg(msg), state = cti_msg_get_state(msg);

	switch (type) {
	case CTI_MSG_PHONE_HOOK:
		put_str(o, "device", hook_device(arg));
		put_str(o, "mode", NAME(hook_modes, state));
		break;
	case CTI_MSG_PHONE_BUTTON:
		put_uint(o, "button", arg, false);
		put_str(o, "action", state ? "press" : "release");
		break;
	case CTI_MSG_PHONE_DISPLAY:
		put_uint(o, "row", arg, false);
		put_str(o, "text", cti_msg_get_text(msg));
		break;
	case CTI_MSG_PHONE_LAMP:
		put_uint(o, "lamp", arg, false);
		put_str(o, "mode", NAME(lamp_modes, state));
		break;
	default:	/* CTI_MSG_PHONE_RING */
		put_uint(o, "pattern", arg, false);
		put_uint(o, "volume", state, false);
		break;
	}
}

/* Provider data: as text when it is printable, else as hex. */
static void data_field(struct ev_out *o, struct cti_msg *msg)
{
	char buf[2 * CTI_DEV_SPECIFIC_MAX + 1];
	const unsigned char *p;
	const void *data;
	size_t i, n = cti_msg_get_data(msg, &data);
	bool text = true;

	p = data;
	if (n > CTI_DEV_SPECIFIC_MAX)
		n = CTI_DEV_SPECIFIC_MAX;
	for (i = 0; i < n; i++)
		text = text && p[i] >= 0x20 && p[i] < 0x7f;
	for (i = 0; i < n; i++) {
		if (text)
			buf[i] = (char)p[i];
		else
			snprintf(buf + 2 * i, 3, "%02x", p[i]);
	}
	buf[text ? n : 2 * n] = '\0';
	put_str(o, text ? "data" : "data_hex", buf);
}

static void line_fields(struct ev_out *o, struct cti_msg *msg)
{
	struct cti_line *line = cti_msg_get_line(msg);

	put_str(o, "status", ctl_line_status_name(cti_msg_get_state(msg)));
	if (!line)
		return;
	if (o->json)
		json_bool(&o->j, "dnd", cti_line_get_dnd(line));
	else if (cti_line_get_dnd(line))
		printf(" dnd=on");
	put_str(o, "forward",
		ctl_forward_name(cti_line_get_forward_mode(line)));
	put_str(o, "forward_to", cti_line_get_forward_to(line));
}

static void other_fields(struct ev_out *o, struct cti_msg *msg,
			 enum cti_msg_type type)
{
	uint64_t first, last;

	switch (type) {
	case CTI_MSG_AGENT_STATE:
		put_str(o, "state", NAME(agent_states, cti_msg_get_state(msg)));
		put_uint(o, "reason", cti_msg_get_reason(msg), true);
		put_uint(o, "activity", cti_msg_get_arg(msg), true);
		put_str(o, "groups", cti_msg_get_text(msg));
		break;
	case CTI_MSG_LINK_STATE:
	case CTI_MSG_PROVIDER_STATE:
		put_str(o, "provider", cti_msg_get_text(msg));
		put_str(o, "state", cti_msg_get_state(msg) ? "up" : "down");
		if (type == CTI_MSG_PROVIDER_STATE && cti_msg_get_error(msg))
			put_str(o, "error",
				ctl_errno_name(cti_msg_get_error(msg)));
		break;
	case CTI_MSG_PRIVILEGE:
		put_uint(o, "call", cti_msg_get_call(msg), true);
		put_str(o, "privilege",
			NAME(privileges, cti_msg_get_privilege(msg)));
		break;
	case CTI_MSG_DEV_SPECIFIC:
		data_field(o, msg);
		break;
	case CTI_MSG_DISCONNECTED:
		put_str(o, "error", ctl_errno_name(cti_msg_get_error(msg)));
		break;
	case CTI_MSG_GAP:
		put_uint(o, "lost", cti_msg_get_gap(msg, &first, &last), false);
		put_uint(o, "first", first, false);
		put_uint(o, "last", last, false);
		break;
	default:	/* LINE_ADDED, LINE_REMOVED, RECONNECTED, RESYNC... */
		put_str(o, "text", cti_msg_get_text(msg));
		break;
	}
}

void ctl_print_event(struct ctl *ctl, struct cti_msg *msg)
{
	enum cti_msg_type type = cti_msg_get_type(msg);
	struct cti_line *line = cti_msg_get_line(msg);
	const char *name = line ? cti_line_get_name(line) : "-";
	struct ev_out o = { .json = ctl->json };

	if (o.json) {
		json_init(&o.j, stdout);
		json_begin(&o.j, NULL, '{');
		json_uint(&o.j, "seq", cti_msg_get_seq(msg));
		json_uint(&o.j, "time_ns", cti_msg_get_timestamp_ns(msg));
		json_str(&o.j, "line", name);
		json_str(&o.j, "type", cti_msg_type_name(type));
	} else {
		printf("%-8" PRIu64 " %-10s %-14s", cti_msg_get_seq(msg), name,
		       cti_msg_type_name(type));
	}
	if (type == CTI_MSG_CALL_STATE)
		call_fields(&o, msg);
	else if (type == CTI_MSG_CALL_INFO)
		info_fields(&o, msg);
	else if (type >= CTI_MSG_PHONE_HOOK && type <= CTI_MSG_PHONE_RING)
		phone_fields(&o, msg, type);
	else if (type == CTI_MSG_LINE_STATUS)
		line_fields(&o, msg);
	else if (type == CTI_MSG_DIGITS)
		digits_fields(&o, msg);
	else
		other_fields(&o, msg, type);
	if (o.json) {
		json_end(&o.j, '}');
		json_finish(&o.j);
	} else {
		putchar('\n');
		fflush(stdout);
	}
}
