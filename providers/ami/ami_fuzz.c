// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target of the AMI reader: arbitrary bytes, fed in the chunks
 * the first byte chooses, must never crash, overrun or hand the callback
 * a message outside the reader's bounds.
 *
 *   clang -fsanitize=fuzzer,address,undefined ami_fuzz.c ami_reader.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ami_reader.h"

static int fuzz_msg(void *arg, const struct ami_msg *msg)
{
	size_t i, total = 0;

	(void)arg;
	if (msg->n > AMI_FIELDS_MAX)
		abort();
	for (i = 0; i < msg->n; i++) {
		size_t kl = strlen(msg->f[i].key), vl = strlen(msg->f[i].value);

		if (!kl || kl >= AMI_LINE_MAX || vl >= AMI_LINE_MAX ||
		    memchr(msg->f[i].value, '\n', vl) ||
		    memchr(msg->f[i].value, '\r', vl))
			abort();
		total += kl + vl + 2;
	}
	if (total > AMI_MSG_MAX)
		abort();
	/* What the provider does with every message. */
	(void)ami_get(msg, "Event");
	(void)ami_get(msg, "ActionID");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ami_reader r;
	size_t chunk, off = 1;

	if (!size)
		return 0;
	chunk = data[0] ? data[0] : 1;
	ami_reader_init(&r, fuzz_msg, NULL);
	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk;

		ami_reader_feed(&r, data + off, n);
		off += n;
	}
	return 0;
}
