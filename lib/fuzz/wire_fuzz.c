// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * wire_fuzz.c - libFuzzer target for the frame decoder
 *
 * Arbitrary bytes go through cti_wire_peek() and cti_wire_decode() in both
 * directions. Whatever decodes must encode again to the very same bytes:
 * that catches a decoder that accepts what the encoder would refuse (or
 * the reverse), not only crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cti_wire_frame f;
	static uint8_t out[CTI_WIRE_FRAME_MAX];
	struct cti_wire_diag diag;
	struct cti_wire_hdr hdr;
	ssize_t n, m;

	n = cti_wire_peek(data, size, &hdr);
	(void)n;
	n = cti_wire_decode(data, size, CTI_WIRE_FROM_ANY, &f, &diag);
	if (n < 0)
		return 0;
	m = cti_wire_encode(&f, out, sizeof(out), &diag);
	if (m != n || memcmp(out, data, (size_t)n))
		abort();	/* decode and encode disagree */
	return 0;
}
