// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_info.c - what is there: lines and calls (providers: cmd_admin.c)
 */
#include <inttypes.h>
#include <stdlib.h>

#include "common.h"

static void line_addresses(struct cti_line *line, char *buf, size_t len)
{
	size_t i, n = cti_line_get_num_addresses(line), off = 0;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? "," : "",
					cti_line_get_address(line, i));
	if (!n)
		snprintf(buf, len, "-");
}

/* The names of the commands in @mask (bit n: command @base + n). */
static void json_ops(struct json *j, const char *key, uint64_t mask,
		     uint32_t base)
{
	json_begin(j, key, '[');
	for (uint32_t n = 0; n < 64; n++)
		if (mask & (1ULL << n))
			json_str(j, NULL, cti_command_name(base + n));
	json_end(j, ']');
}

/*
 * A line's call-control operations for the table: the list when it is
 * short, "all but ..." when most are there, "-" for none.
 */
static void ops_text(uint64_t ops, char *buf, size_t len)
{
	uint32_t n, have = 0;
	bool most;
	size_t off;

	for (n = 0; n < CTI_CMD_MAX; n++)
		have += !!(ops & (1ULL << n));
	most = have > CTI_CMD_MAX / 2;
	off = (size_t)snprintf(buf, len, "%s", !have ? "-" :
			       have == CTI_CMD_MAX ? "all" :
			       most ? "all but " : "");
	for (n = 0; n < CTI_CMD_MAX && have < CTI_CMD_MAX && off < len; n++)
		if (!(ops & (1ULL << n)) == most)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
						!off || buf[off - 1] == ' ' ?
						"" : ",", cti_command_name(n));
}

static void json_line(struct json *j, struct cti_line *line)
{
	char ops[2 * 19 + 1];
	size_t i;

	json_begin(j, NULL, '{');
	json_uint(j, "id", cti_line_get_id(line));
	json_str(j, "name", cti_line_get_name(line));
	json_str(j, "provider", cti_line_get_provider_name(line));
	json_begin(j, "addresses", '[');
	for (i = 0; i < cti_line_get_num_addresses(line); i++)
		json_str(j, NULL, cti_line_get_address(line, i));
	json_end(j, ']');
	json_str(j, "status",
		 ctl_line_status_name(cti_line_get_status(line)));
	json_uint(j, "calls", cti_line_get_num_calls(line));
	json_uint(j, "max_calls", cti_line_get_max_calls(line));
	json_ops(j, "ops", cti_line_get_ops(line), 0);
	json_ops(j, "uops", cti_line_get_uops(line), 64);
	/* 64-bit masks as hex strings: JSON numbers lose bits past 2^53 */
	snprintf(ops, sizeof(ops), "0x%016" PRIx64, cti_line_get_ops(line));
	json_str(j, "ops_mask", ops);
	snprintf(ops, sizeof(ops), "0x%016" PRIx64, cti_line_get_uops(line));
	json_str(j, "uops_mask", ops);
	json_bool(j, "dnd", cti_line_get_dnd(line));
	json_str(j, "forward",
		 ctl_forward_name(cti_line_get_forward_mode(line)));
	json_str(j, "forward_to", cti_line_get_forward_to(line));
	json_end(j, '}');
}

static int cmd_lines(struct ctl *ctl, int argc, char **argv)
{
	static const char *const hdr[] = {
		"ID", "NAME", "PROVIDER", "ADDRESSES", "STATUS", "CALLS",
		"DND", "FORWARD", "OPS",
	};
	struct cti_session *s;
	struct json j;
	struct table *t;
	size_t i, n;
	int ret;

	ret = ctl_check_argc(argc, 0, 0, argv[0], "");
	if (!ret)
		ret = ctl_connect(ctl);
	if (ret)
		return ret;
	s = ctl->session;
	n = cti_session_get_num_lines(s);
	if (ctl->json) {
		json_init(&j, stdout);
		json_begin(&j, NULL, '[');
		for (i = 0; i < n; i++)
			json_line(&j, cti_session_get_line(s, i));
		json_end(&j, ']');
		json_finish(&j);
		return 0;
	}
	t = table_new(sizeof(hdr) / sizeof(hdr[0]), hdr);
	for (i = 0; i < n; i++) {
		struct cti_line *line = cti_session_get_line(s, i);
		char id[16], addr[256], calls[32], fwd[64], ops[512];

		snprintf(id, sizeof(id), "%" PRIu32, cti_line_get_id(line));
		line_addresses(line, addr, sizeof(addr));
		snprintf(calls, sizeof(calls), "%" PRIu32 "/%" PRIu32,
			 cti_line_get_num_calls(line),
			 cti_line_get_max_calls(line));
		snprintf(fwd, sizeof(fwd), "%s%s%s",
			 ctl_forward_name(cti_line_get_forward_mode(line)),
			 *cti_line_get_forward_to(line) ? ":" : "",
			 cti_line_get_forward_to(line));
		ops_text(cti_line_get_ops(line), ops, sizeof(ops));
		table_add(t, id, cti_line_get_name(line),
			  cti_line_get_provider_name(line), addr,
			  ctl_line_status_name(cti_line_get_status(line)),
			  calls, cti_line_get_dnd(line) ? "on" : "off", fwd,
			  ops);
	}
	table_print(t, stdout);
	table_free(t);
	return 0;
}

static void call_item(struct ctl_list *out, struct cti_msg *msg)
{
	struct cti_line *line = cti_msg_get_line(msg);
	const char *name = line ? cti_line_get_name(line) : "-";
	uint32_t state = cti_msg_get_state(msg);
	const char *reason = cti_call_reason_name(state,
						  cti_msg_get_reason(msg));
	/* only an OFFERING call's reason is an offer reason */
	const char *from = state != CTI_CALL_OFFERING ? "" :
			   ctl_forwarded_from(cti_msg_get_reason(msg),
					      cti_msg_get_called(msg));
	char call[16], rel[16], why[64];

	if (out->ctl->json) {
		json_begin(&out->j, NULL, '{');
		json_str(&out->j, "line", name);
		json_uint(&out->j, "call", cti_msg_get_call(msg));
		json_str(&out->j, "state",
			 cti_call_state_name(cti_msg_get_state(msg)));
		json_str(&out->j, "reason", reason);
		json_str(&out->j, "forwarded_from", from);
		json_str(&out->j, "origin",
			 ctl_origin_name(cti_msg_get_origin(msg)));
		json_str(&out->j, "caller", cti_msg_get_caller(msg));
		json_str(&out->j, "caller_name",
			 cti_msg_get_caller_name(msg));
		json_str(&out->j, "called", cti_msg_get_called(msg));
		json_str(&out->j, "called_name",
			 cti_msg_get_called_name(msg));
		json_uint(&out->j, "related_call",
			  cti_msg_get_related_call(msg));
		json_end(&out->j, '}');
		return;
	}
	snprintf(call, sizeof(call), "%" PRIu32, cti_msg_get_call(msg));
	if (cti_msg_get_related_call(msg))
		snprintf(rel, sizeof(rel), "%" PRIu32,
			 cti_msg_get_related_call(msg));
	else
		snprintf(rel, sizeof(rel), "-");
	snprintf(why, sizeof(why), "%s%s%s", *reason ? reason : "-",
		 *from ? " from " : "", from);
	table_add(out->t, name, call,
		  cti_call_state_name(cti_msg_get_state(msg)),
		  ctl_origin_name(cti_msg_get_origin(msg)),
		  *cti_msg_get_caller(msg) ? cti_msg_get_caller(msg) : "-",
		  *cti_msg_get_called(msg) ? cti_msg_get_called(msg) : "-",
		  rel, why);
}

static int cmd_calls(struct ctl *ctl, int argc, char **argv)
{
	static const char *const hdr[] = {
		"LINE", "CALL", "STATE", "ORIGIN", "CALLER", "CALLED",
		"RELATED", "REASON",
	};
	struct cti_line *line = NULL;
	uint64_t req;
	int ret;

	ret = ctl_check_argc(argc, 0, 1, argv[0], "[LINE]");
	if (!ret)
		ret = ctl_connect(ctl);
	if (!ret && argc > 1)
		ret = ctl_find_line(ctl, argv[1], &line);
	/* ctid lists the calls of lines the session has open */
	if (!ret)
		ret = line ? ctl_open_line(ctl, line, CTI_PRIV_MONITOR) :
			     ctl_open_all(ctl, CTI_PRIV_MONITOR);
	if (!ret)
		ret = ctl_wait(ctl, cti_session_list_calls(ctl->session, line,
							   &req),
			       &req, NULL, "list calls");
	if (ret)
		return ret;
	return ctl_list_print(ctl, req, CTI_MSG_CALL, call_item,
			      sizeof(hdr) / sizeof(hdr[0]), hdr);
}

const struct ctl_cmd ctl_info_cmds[] = {
	{ "lines", "", "list the lines", cmd_lines },
	{ "calls", "[LINE]", "list the calls, of one line or all",
	  cmd_calls },
	{ }
};
