// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ami_reader: AMI messages out of a byte stream (ami_reader.h).
 *
 * A message is a run of "Key: Value" lines, each ended by CR LF (a bare
 * LF is accepted too), and is ended by an empty line. Keys and values are
 * copied into the reader's fixed store as NUL-terminated strings, so a
 * message handed to the callback never points into the caller's buffer.
 */
#include <string.h>
#include <strings.h>

#include "ami_reader.h"

void ami_reader_init(struct ami_reader *r, ami_msg_fn fn, void *arg)
{
	memset(r, 0, offsetof(struct ami_reader, line));
	r->fn = fn;
	r->arg = arg;
}

const char *ami_get(const struct ami_msg *msg, const char *key)
{
	size_t i;

	for (i = 0; i < msg->n; i++)
		if (!strcasecmp(msg->f[i].key, key))
			return msg->f[i].value;
	return NULL;
}

const char *ami_get_var(const struct ami_msg *msg, const char *key,
			const char *var)
{
	size_t i, n = strlen(var);

	for (i = 0; i < msg->n; i++)
		if (!strcasecmp(msg->f[i].key, key) &&
		    !strncmp(msg->f[i].value, var, n) &&
		    msg->f[i].value[n] == '=')
			return msg->f[i].value + n + 1;
	return NULL;
}

/* Copy @len bytes of @s into the store; NULL when the message is full. */
static const char *ami_store(struct ami_reader *r, const char *s, size_t len)
{
	char *p;

	if (len + 1 > sizeof(r->store) - r->used)
		return NULL;
	p = r->store + r->used;
	memcpy(p, s, len);
	p[len] = '\0';
	r->used += len + 1;
	return p;
}

static void ami_msg_reset(struct ami_reader *r)
{
	r->msg.n = 0;
	r->used = 0;
	r->skip_msg = false;
}

/* A line with a key that is empty or not printable ASCII is no field. */
static bool ami_key_ok(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	return true;
}

/* Values may hold any byte but the control bytes (tab excepted). */
static bool ami_value_ok(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < ' ' && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

static void ami_add_field(struct ami_reader *r, const char *s, size_t len,
			  const char *key, size_t klen)
{
	const char *colon = memchr(s, ':', len);
	const char *v;
	size_t vlen;

	if (!key) {
		if (!colon || !ami_key_ok(s, colon - s)) {
			r->st.bad_lines++;
			return;
		}
		key = s;
		klen = colon - s;
		v = colon + 1;
	} else {
		v = s;
	}
	vlen = len - (v - s);
	if (vlen && *v == ' ') {
		v++;
		vlen--;
	}
	if (!ami_value_ok(v, vlen)) {
		r->st.bad_lines++;
		return;
	}
	if (r->msg.n == AMI_FIELDS_MAX) {
		r->skip_msg = true;
		return;
	}
	r->msg.f[r->msg.n].key = ami_store(r, key, klen);
	r->msg.f[r->msg.n].value = ami_store(r, v, vlen);
	if (!r->msg.f[r->msg.n].key || !r->msg.f[r->msg.n].value) {
		r->skip_msg = true;
		return;
	}
	r->msg.n++;
}

/* One complete line (without its end); returns the callback's value. */
static int ami_line(struct ami_reader *r, const char *s, size_t len)
{
	int ret = 0;

	if (!r->banner_done) {
		/* The greeting is one line, before any message. */
		r->banner_done = true;
		if (len && !memchr(s, ':', len)) {
			ami_msg_reset(r);
			ami_add_field(r, s, len, "Banner", 6);
			goto deliver;
		}
	}
	if (len) {
		if (!r->skip_msg)
			ami_add_field(r, s, len, NULL, 0);
		return 0;
	}
	if (r->skip_msg) {
		r->st.long_msgs++;
		ami_msg_reset(r);
		return 0;
	}
	if (!r->msg.n)
		return 0;	/* blank lines between messages */
deliver:
	r->st.messages++;
	ret = r->fn(r->arg, &r->msg);
	ami_msg_reset(r);
	return ret;
}

int ami_reader_feed(struct ami_reader *r, const void *buf, size_t len)
{
	const char *p = buf, *end = p + len;
	int ret;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t chunk = (nl ? nl : end) - p;

		if (!r->skip_line) {
			if (chunk > sizeof(r->line) - r->linelen) {
				/* Too long: drop it and spoil its message. */
				r->st.long_lines++;
				r->skip_line = true;
				r->skip_msg = true;
				r->linelen = 0;
			} else {
				memcpy(r->line + r->linelen, p, chunk);
				r->linelen += chunk;
			}
		}
		if (!nl)
			break;
		p = nl + 1;
		if (r->skip_line) {
			r->skip_line = false;
			continue;
		}
		len = r->linelen;
		r->linelen = 0;
		if (len && r->line[len - 1] == '\r')
			len--;
		ret = ami_line(r, r->line, len);
		if (ret)
			return ret;
	}
	return 0;
}
