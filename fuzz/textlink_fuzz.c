// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * textlink_fuzz.c - libFuzzer target for the textlink provider's protocol
 * parser (providers/textlink/tl_proto.c and what it drives)
 *
 * The input plays the switch on the far side of the provider's transport,
 * through the fake host of providers/sim/test_host.c.  NUL bytes split it
 * into chunks, each one read() of the transport, so lines arrive whole,
 * split or several at once.  A chunk that starts with a control byte is an
 * action instead: 0x01 submits a request (the switch may then answer its
 * tag with DONE), 0x02 lets time pass (timeouts, retries), 0x03 breaks the
 * link and lets the provider reconnect (six times at most: the fake
 * host's transports run out then).  What must hold, or the target
 * aborts: the fake host counts no violation of the provider contract
 * (cti_provider.h: records for lines that exist, CALL_INFO before a
 * call's CALL_STATE, every request completed exactly once, no line
 * removed with live calls ...), whatever the switch sends.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fz_cfg[] = {
	"connect=unix:/run/pbx.sock", "retry_ms=500", "timeout_ms=100", NULL,
};

static const char *const fz_data[] = { "", "101", "200", "12#", "hello" };

static struct th_transport *fz_connect(struct th *th)
{
	struct th_transport *t = th_tr_last(th);

	if (!t || !t->open) {
		fprintf(stderr, "textlink_fuzz: the provider did not reconnect\n");
		abort();
	}
	th_tr_connect(th, t, 0);
	return t;
}

/* One chunk: an action, or bytes from the switch. */
static struct th_transport *fz_chunk(struct th *th, struct th_transport *t,
				     const char *c, size_t len)
{
	const uint8_t *u = (const uint8_t *)c;

	switch (len ? u[0] : 0) {
	case 0x01:
		th_submit(th, len > 1 ? u[1] % (CTI_CMD_MAX + 1) : 0,
			  len > 2 ? u[2] % 4 : 0, len > 3 ? u[3] % 4 : 0,
			  len > 4 ? u[4] % 4 : 0, len > 5 ? u[5] : 0, 0,
			  fz_data[(len > 6 ? u[6] : 0) % 5]);
		return t;
	case 0x02:
		th_run(th, (len > 1 ? u[1] : 1) * 10);
		return t;
	case 0x03:
		/* The fake host has TH_TRANSPORTS in all, then EMFILE. */
		if (th->ntr >= TH_TRANSPORTS - 1)
			return t;
		th_tr_close(th, t, -EIO);
		th_run(th, 600);
		return fz_connect(th);
	default:
		th_tr_data(th, t, c);
		return t;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct th th;
	struct th_transport *t;
	char *text, *c, *end;

	if (th_start_tr(&th, fz_cfg))
		abort();
	t = fz_connect(&th);
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	end = text + size;
	for (c = text; c < end; c += strlen(c) + 1)
		t = fz_chunk(&th, t, c, strlen(c));
	free(text);
	th_run(&th, 1000);
	th_stop(&th);
	if (th.violations) {
		fprintf(stderr, "textlink_fuzz: %d violations, the last: %s\n",
			th.violations, th.last_log);
		abort();
	}
	return 0;
}
