// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * make -C providers bench: how fast the sim runs calls by itself, with the
 * fake host of the unit tests (no daemon, no socket), so that the end-to-end
 * figures of bench/ can be read against the provider's own cost.
 */
#include <stdio.h>
#include <time.h>

#include "fake_host.h"

int main(void)
{
	static const char *const cfg[] = { "lines=1000", NULL };
	const unsigned int n = 200000;
	struct timespec a, b;
	unsigned int i;
	struct th th;
	double s;

	if (th_start(&th, cfg))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		uint32_t l = (i * 2) % 1000, c = 0;
		char num[16];

		/* 100+l calls 100+l+1, which answers; both hang up. */
		snprintf(num, sizeof(num), "%u", 100 + l + 1);
		th_result(&th, th_submit(&th, CTI_CMD_MAKE_CALL, l, 0, 0, 0, 0,
					 num), &c);
		th_run(&th, 0);
		th_submit(&th, CTI_CMD_ANSWER, l + 1, c + 1, 0, 0, 0, NULL);
		th_run(&th, 0);
		th_submit(&th, CTI_CMD_DROP, l, c, 0, 0, 0, NULL);
		th_run(&th, 0);
		th_submit(&th, CTI_CMD_DROP, l + 1, c + 1, 0, 0, 0, NULL);
		th_run(&th, 0);
		/* Keep the fake host's logs short: its lookups are linear. */
		th_clear(&th);
		th.nreqs = 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	s = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	printf("sim: %u calls (4 requests, 10 records each) in %.2f s: "
	       "%.0f requests/s, %.0f records/s\n", n, s, 4 * n / s,
	       10 * n / s);
	th_stop(&th);
	return th.violations ? 1 : 0;
}
