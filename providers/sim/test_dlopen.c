// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Load the built sim.so the way ctid does (dlopen, dlsym of
 * CTI_PROVIDER_SYMBOL, version and size checks) and place one call
 * through it, so that the shared object itself is tested, not only the
 * objects it is made of.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "test_host.h"

int main(int argc, char **argv)
{
	static const char *const cfg[] = { "lines=2", NULL };
	const struct cti_provider_ops *ops;
	unsigned int passed = 0, failed = 0;
	uint32_t call = 0;
	struct th th;
	void *dl;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SIM.so\n", argv[0]);
		return 2;
	}
	dl = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		printf("not ok 1 - dlopen: %s\n0 passed, 1 failed\n", dlerror());
		return 1;
	}
	ops = dlsym(dl, CTI_PROVIDER_SYMBOL);
	if (ops && ops->abi_version == CTI_PROVIDER_ABI_VERSION &&
	    ops->size >= CTI_PROVIDER_OPS_SIZE_V1 && !strcmp(ops->name, "sim")) {
		printf("ok 1 - %s exports a version %u ops table\n", argv[1],
		       ops->abi_version);
		passed++;
	} else {
		printf("not ok 1 - no usable %s in %s\n", CTI_PROVIDER_SYMBOL,
		       argv[1]);
		printf("%u passed, %u failed\n", passed, failed + 1);
		dlclose(dl);
		return 1;
	}

	if (!th_start_ops(&th, ops, cfg) &&
	    !th_result(&th, th_submit(&th, CTI_CMD_MAKE_CALL, 0, 0, 0, 0, 0,
				      "101"), &call) && call == 1) {
		size_t records;

		th_run(&th, 0);
		records = th.nevents;
		th_stop(&th);
		if (!th.violations &&
		    records == 5) {	/* 2 x CALL_INFO + 3 x CALL_STATE */
			printf("ok 2 - a call through the loaded provider\n");
			passed++;
		} else {
			printf("not ok 2 - %d violations, %zu records\n",
			       th.violations, records);
			failed++;
		}
	} else {
		th_stop(&th);
		printf("not ok 2 - init or MAKE_CALL failed\n");
		failed++;
	}
	dlclose(dl);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
