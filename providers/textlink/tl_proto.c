// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * textlink's wire protocol (README.md): one record a line, fields
 * separated by single spaces. Everything from the switch is checked
 * before it becomes a record: a line that does not parse is dropped with
 * -EPROTO (and logged by the caller), it never reaches a client.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textlink.h"

#define TL_MAX_FIELDS	10

static int tl_split(char *line, char **f, int max)
{
	int n = 0;
	char *save, *tok;

	for (tok = strtok_r(line, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		if (n == max)
			return -1;
		f[n++] = tok;
	}
	return n;
}

static int tl_num(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long long v = 0;

	if (!*s || strlen(s) > 10)
		return -EPROTO;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EPROTO;
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	if (v > max)
		return -EPROTO;
	*out = v;
	return 0;
}

/* "-" is the empty string; others must fit @size with their NUL. */
static int tl_str(const char *s, char *out, size_t size)
{
	size_t n = strlen(s);

	if (!strcmp(s, "-")) {
		out[0] = '\0';
		return 0;
	}
	if (n >= size)
		return -EPROTO;
	memcpy(out, s, n + 1);
	return 0;
}

static void tl_hdr(struct cti_event *hdr, uint16_t type, uint16_t size,
		   uint32_t line)
{
	hdr->type = type;
	hdr->size = size;
	hdr->line = line;
}

/*
 * Post a record the switch sent, if it makes sense here: its line is
 * one the switch announced, and a call's first record is its CALL_INFO.
 */
static int tl_post(struct tl *tl, const struct cti_event *ev, uint32_t call)
{
	const struct cti_ev_call_state *cs = (const void *)ev;

	if (!tl_line_is_present(tl, ev->line))
		return -EPROTO;
	if (ev->type == CTI_EV_CALL_INFO) {
		if (tl_call_track(tl, ev->line, call, true))
			return -ENOMEM;
	} else if (call && !tl_call_known(tl, ev->line, call)) {
		return -EPROTO;
	}
	if (tl->api->post_event(tl->host, ev))
		return -EPROTO;
	if (ev->type == CTI_EV_CALL_STATE && cs->state == CTI_CALL_IDLE)
		tl_call_track(tl, ev->line, call, false);
	return 0;
}

static int tl_line(struct tl *tl, char **f, int n)
{
	struct cti_provider_line_desc d;
	uint32_t idx, max_calls = 4;
	int cmd, ret;

	if (n < 4 || n > 5 || tl_num(f[1], CTI_LINE_NONE - 1, &idx) ||
	    (n == 5 && tl_num(f[4], 64, &max_calls)) || !max_calls)
		return -EPROTO;
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.max_calls = max_calls;
	for (cmd = 0; cmd < CTI_CMD_MAX; cmd++)
		if (cmd != CTI_CMD_SEND_LINK_FRAME)
			d.ops |= 1ULL << cmd;
	d.status = CTI_LINE_IN_SERVICE;
	d.num_addresses = 1;
	if (tl_str(f[2], d.name, sizeof(d.name)) || !d.name[0] ||
	    tl_str(f[3], d.addresses[0], sizeof(d.addresses[0])))
		return -EPROTO;
	ret = tl->api->line_add(tl->host, idx, &d, NULL);
	if (ret && ret != -EEXIST)	/* again after a reconnect: fine */
		return -EPROTO;
	return tl_line_present(tl, idx, d.addresses[0]);
}

static int tl_info(struct tl *tl, char **f, int n)
{
	struct cti_ev_call_info ev;
	uint32_t idx, v[4];

	if (n != 8 || tl_num(f[1], CTI_LINE_NONE - 1, &idx) ||
	    tl_num(f[2], UINT32_MAX, &v[0]) || !v[0] ||
	    tl_num(f[3], CTI_ORIGIN_CONFERENCE, &v[1]) ||
	    tl_num(f[4], CTI_REASON_UNPARK, &v[2]) ||
	    tl_num(f[5], UINT32_MAX, &v[3]))
		return -EPROTO;
	memset(&ev, 0, sizeof(ev));
	tl_hdr(&ev.hdr, CTI_EV_CALL_INFO, sizeof(ev), idx);
	ev.call = v[0];
	ev.origin = v[1];
	ev.reason = v[2];
	ev.related_call = v[3];
	ev.changed = CTI_CALL_INFO_ORIGIN | CTI_CALL_INFO_REASON |
		     CTI_CALL_INFO_CALLER | CTI_CALL_INFO_CALLED |
		     CTI_CALL_INFO_RELATED;
	if (tl_str(f[6], ev.caller, sizeof(ev.caller)) ||
	    tl_str(f[7], ev.called, sizeof(ev.called)))
		return -EPROTO;
	return tl_post(tl, &ev.hdr, ev.call);
}

static int tl_state(struct tl *tl, char **f, int n)
{
	struct cti_ev_call_state ev;
	uint32_t idx, v[4];

	if (n != 6 || tl_num(f[1], CTI_LINE_NONE - 1, &idx) ||
	    tl_num(f[2], UINT32_MAX, &v[0]) || !v[0] ||
	    tl_num(f[3], CTI_CALL_STATE_MAX - 1, &v[1]) ||
	    tl_num(f[4], 255, &v[2]) || tl_num(f[5], UINT32_MAX, &v[3]))
		return -EPROTO;
	memset(&ev, 0, sizeof(ev));
	tl_hdr(&ev.hdr, CTI_EV_CALL_STATE, sizeof(ev), idx);
	ev.call = v[0];
	ev.state = v[1];
	ev.reason = v[2];
	ev.related_call = v[3];
	return tl_post(tl, &ev.hdr, ev.call);
}

static int tl_digits(struct tl *tl, char **f, int n)
{
	struct cti_ev_digits ev;
	uint32_t idx, call;
	size_t i, len;

	if (n != 4 || tl_num(f[1], CTI_LINE_NONE - 1, &idx) ||
	    tl_num(f[2], UINT32_MAX, &call))
		return -EPROTO;
	len = strlen(f[3]);
	if (!len || len > CTI_DIGITS_MAX)
		return -EPROTO;
	for (i = 0; i < len; i++)
		if (!strchr("0123456789*#ABCD", f[3][i]))
			return -EPROTO;
	memset(&ev, 0, sizeof(ev));
	tl_hdr(&ev.hdr, CTI_EV_DIGITS, sizeof(ev), idx);
	ev.call = call;
	ev.count = len;
	memcpy(ev.digits, f[3], len);
	if (!call)
		return -EPROTO;
	return tl_post(tl, &ev.hdr, call);
}

static int tl_status(struct tl *tl, char **f, int n)
{
	struct cti_ev_line_status ev;
	uint32_t idx, v[4];

	if (n < 6 || n > 7 || tl_num(f[1], CTI_LINE_NONE - 1, &idx) ||
	    tl_num(f[2], CTI_LINE_MAINTENANCE, &v[0]) ||
	    tl_num(f[3], CTI_FORWARD_NO_ANSWER, &v[1]) ||
	    tl_num(f[4], 1, &v[2]) || tl_num(f[5], 64, &v[3]))
		return -EPROTO;
	memset(&ev, 0, sizeof(ev));
	tl_hdr(&ev.hdr, CTI_EV_LINE_STATUS, sizeof(ev), idx);
	ev.status = v[0];
	ev.forward_mode = v[1];
	ev.dnd = v[2];
	ev.num_calls = v[3];
	if (n == 7 && tl_str(f[6], ev.forward_to, sizeof(ev.forward_to)))
		return -EPROTO;
	return tl_post(tl, &ev.hdr, 0);
}

static int tl_done(struct tl *tl, char **f, int n)
{
	uint64_t tag;
	uint32_t err, call;
	char *end;

	if (n != 4)
		return -EPROTO;
	errno = 0;
	tag = strtoull(f[1], &end, 10);
	if (errno || *end || !tag || f[1][0] == '-' ||
	    tl_num(f[2], 4095, &err) || tl_num(f[3], UINT32_MAX, &call))
		return -EPROTO;
	tl_complete(tl, tag, -(int)err, call);
	return 0;
}

int tl_proto_line(struct tl *tl, char *line)
{
	char *f[TL_MAX_FIELDS];
	uint32_t idx;
	int n = tl_split(line, f, TL_MAX_FIELDS);

	if (n <= 0)
		return n ? -EPROTO : 0;		/* an empty line is fine */
	if (!strcmp(f[0], "LINE"))
		return tl_line(tl, f, n);
	if (!strcmp(f[0], "GONE")) {
		if (n != 2 || tl_num(f[1], CTI_LINE_NONE - 1, &idx) ||
		    tl_line_present(tl, idx, NULL))
			return -EPROTO;
		tl_line_end_calls(tl, idx);
		return tl->api->line_remove(tl->host, idx) ? -EPROTO : 0;
	}
	if (!strcmp(f[0], "INFO"))
		return tl_info(tl, f, n);
	if (!strcmp(f[0], "STATE"))
		return tl_state(tl, f, n);
	if (!strcmp(f[0], "DIGITS"))
		return tl_digits(tl, f, n);
	if (!strcmp(f[0], "STATUS"))
		return tl_status(tl, f, n);
	if (!strcmp(f[0], "DONE"))
		return tl_done(tl, f, n);
	return -EPROTO;
}

/* "CMD tag cmd line call call2 arg arg2 =data\n" */
int tl_proto_format(char *buf, size_t size,
		    const struct cti_provider_request *req)
{
	int n;

	if (memchr(req->data, '\n', req->data_len) ||
	    memchr(req->data, '\r', req->data_len) ||
	    memchr(req->data, '\0', req->data_len))
		return -EINVAL;
	n = snprintf(buf, size, "CMD %llu %u %u %u %u %u %u =%.*s\n",
		     (unsigned long long)req->handle, req->cmd, req->line,
		     req->call, req->call2, req->arg, req->arg2,
		     (int)req->data_len, req->data);
	if (n < 0 || (size_t)n >= size)
		return -EINVAL;
	return n;
}
