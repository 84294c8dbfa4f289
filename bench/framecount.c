// SPDX-License-Identifier: LGPL-2.1-or-later
/* framecount: count ctid frames in a byte stream (see framecount.h). */
#include <string.h>

#include "framecount.h"

uint64_t framecount_feed(struct framecount *fc, const uint8_t *buf,
			 size_t len, unsigned int type, uint64_t *of_type)
{
	uint64_t frames = 0;
	size_t pos = 0;

	while (pos < len) {
		const uint8_t *hdr;
		uint32_t flen;

		if (fc->skip) {
			size_t take = len - pos < fc->skip ? len - pos : fc->skip;

			fc->skip -= (uint32_t)take;
			pos += take;
			continue;
		}
		if (!fc->hlen && len - pos >= CTI_WIRE_HDR_SIZE) {
			hdr = buf + pos;	/* read in place */
			pos += CTI_WIRE_HDR_SIZE;
		} else {
			size_t take = CTI_WIRE_HDR_SIZE - fc->hlen;

			if (take > len - pos)
				take = len - pos;
			memcpy(fc->hdr + fc->hlen, buf + pos, take);
			fc->hlen += (uint32_t)take;
			pos += take;
			if (fc->hlen < CTI_WIRE_HDR_SIZE)
				break;
			fc->hlen = 0;
			hdr = fc->hdr;
		}
		frames++;
		if (of_type && cti_wire_frame_type(hdr) == type)
			(*of_type)++;
		flen = cti_wire_frame_len(hdr);
		fc->skip = flen > CTI_WIRE_HDR_SIZE ? flen - CTI_WIRE_HDR_SIZE : 0;
	}
	return frames;
}
