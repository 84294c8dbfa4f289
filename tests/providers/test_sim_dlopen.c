// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Load the built sim.so the way ctid does (dlopen, dlsym of
 * CTI_PROVIDER_SYMBOL, version and size checks) and place one call
 * through it, so that the shared object itself is tested, not only the
 * objects it is made of. The object is t_provider_dir()/sim.so: the
 * build's (or CTI_PROVIDER_DIR's).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "fake_host.h"
#include "harness.h"

/* The ops table of the loaded sim.so; the test fails without one. */
static const struct cti_provider_ops *load_sim(void)
{
	const struct cti_provider_ops *ops;
	char path[512];
	void *dl;

	snprintf(path, sizeof(path), "%s/sim.so", t_provider_dir());
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	T_ASSERT(dl, "dlopen %s: %s", path, dlerror());
	ops = dlsym(dl, CTI_PROVIDER_SYMBOL);
	T_ASSERT(ops, "no %s in %s", CTI_PROVIDER_SYMBOL, path);
	return ops;
}

static void ops_table(void)
{
	const struct cti_provider_ops *ops = load_sim();

	T_EXPECT_EQ(ops->abi_version, CTI_PROVIDER_ABI_VERSION);
	T_EXPECT(ops->size >= CTI_PROVIDER_OPS_SIZE_V1, "size %u",
		 (unsigned int)ops->size);
	T_EXPECT_STR(ops->name, "sim");
}

static void one_call(void)
{
	static const char *const cfg[] = { "lines=2", NULL };
	const struct cti_provider_ops *ops = load_sim();
	uint32_t call = 0;
	struct th th;

	T_ASSERT(!th_start_ops(&th, ops, cfg), "init");
	T_ASSERT(!th_result(&th, th_submit(&th, CTI_CMD_MAKE_CALL, 0, 0, 0, 0,
					   0, "101"), &call), "MAKE_CALL");
	T_EXPECT_EQ(call, 1);
	th_run(&th, 0);
	/* 2 x CALL_INFO + 3 x CALL_STATE */
	T_EXPECT_EQ(th.nevents, 5);
	th_stop(&th);
	T_EXPECT_EQ(th.violations, 0);
}

static const struct t_case cases[] = {
	T_CASE(ops_table),
	T_CASE(one_call),
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
