/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * framecount: count ctid frames in a byte stream without decoding them.
 *
 * bench_fanout's clients count what they receive from both servers; redis
 * messages are counted with a division or a memchr(), so ctid frames must
 * be counted as cheaply, or the client's own cost would weigh on ctid's
 * side of the comparison: a header that lies whole in the buffer is read
 * in place, and only one split across two reads is gathered.
 */
#ifndef BENCH_FRAMECOUNT_H
#define BENCH_FRAMECOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

struct framecount {
	uint32_t skip;		/* bytes left of the current frame's body */
	uint32_t hlen;		/* bytes of a split header gathered so far */
	uint8_t hdr[CTI_WIRE_HDR_SIZE];
};

/*
 * framecount_feed() - count the frames whose header ends in @buf
 * @fc: the stream's state, zeroed before its first byte
 * @type: a frame type to count apart
 * @of_type: out, optional: incremented once per counted frame of @type
 *
 * Return: the frames counted.
 */
uint64_t framecount_feed(struct framecount *fc, const uint8_t *buf,
			 size_t len, unsigned int type, uint64_t *of_type);

#endif /* BENCH_FRAMECOUNT_H */
