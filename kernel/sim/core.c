// SPDX-License-Identifier: GPL-2.0
/*
 * cti_sim: the portable switch core (switch/ at the top of the tree),
 * built into cti_sim.ko.
 *
 * The reference switch is written once, for this module and for the
 * userspace provider (providers/sim), against the host interface of
 * switch/sw.h; switch/README.md says which model it keeps and what a
 * host must do. It is compiled here as one translation unit so that
 * Kbuild needs no object outside the module's directory; the core's own
 * files include their headers by relative path. switch/sw_port.h maps the
 * few names it needs onto <linux/string.h> and <linux/types.h>.
 */
#include "../../switch/sw_core.c"
#include "../../switch/sw_line.c"
#include "../../switch/sw_call.c"
#include "../../switch/sw_callctl.c"
#include "../../switch/sw_farend.c"
#include "../../switch/sw_agent.c"
