/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ami_reader: splits the byte stream of an Asterisk Manager Interface
 * connection into messages ("Key: Value" lines ended by a blank line).
 *
 * Everything from the peer is untrusted: lines and messages are bounded,
 * a line that is too long, has no ':' or holds a control byte is dropped
 * and counted, a message that grows past its bounds is dropped whole and
 * counted. The reader never allocates; it has no knowledge of what the
 * keys mean. It is its own file so that the fuzzer (ami_fuzz.c) drives
 * exactly the code the provider runs.
 */
#ifndef _CTI_AMI_READER_H
#define _CTI_AMI_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AMI_LINE_MAX	1024	/* bytes of one line, CR LF included */
#define AMI_MSG_MAX	8192	/* bytes of one message's keys and values */
#define AMI_FIELDS_MAX	64	/* lines of one message */

struct ami_field {
	const char *key;
	const char *value;
};

/* One message; its strings live in the reader until the callback returns. */
struct ami_msg {
	size_t n;
	struct ami_field f[AMI_FIELDS_MAX];
};

/* Counters of what the reader dropped, for the rate-limited log. */
struct ami_reader_stats {
	uint64_t messages;	/* delivered */
	uint64_t bad_lines;	/* no ':', empty key, control bytes */
	uint64_t long_lines;	/* longer than AMI_LINE_MAX */
	uint64_t long_msgs;	/* more than AMI_MSG_MAX or AMI_FIELDS_MAX */
};

/*
 * The callback gets each complete message; returning non-zero stops the
 * feed at once (the link was closed inside it), so the rest of the buffer
 * is not looked at.
 */
typedef int (*ami_msg_fn)(void *arg, const struct ami_msg *msg);

struct ami_reader {
	ami_msg_fn fn;
	void *arg;
	bool banner_done;	/* the first line ("Asterisk Call Manager/..") */
	bool skip_line;		/* dropping the rest of a long line */
	bool skip_msg;		/* dropping the rest of a damaged message */
	size_t linelen;
	size_t used;		/* bytes of @store in use */
	struct ami_msg msg;
	struct ami_reader_stats st;
	char line[AMI_LINE_MAX];
	char store[AMI_MSG_MAX];
};

/* Start (or restart, after a reconnect) @r; the banner is expected first. */
void ami_reader_init(struct ami_reader *r, ami_msg_fn fn, void *arg);

/*
 * Feed @len bytes. The banner is delivered as a message with the one key
 * "Banner". Returns 0, or the callback's non-zero value.
 */
int ami_reader_feed(struct ami_reader *r, const void *buf, size_t len);

/* The value of @key in @msg (keys compare without case), or NULL. */
const char *ami_get(const struct ami_msg *msg, const char *key);
/*
 * The value of channel variable @var among the repeated @key lines
 * ("ChanVariable: NAME=VALUE", manager.conf channelvars); NULL if absent.
 */
const char *ami_get_var(const struct ami_msg *msg, const char *key,
			const char *var);

#endif /* _CTI_AMI_READER_H */
