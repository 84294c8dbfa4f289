/* SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later */
/*
 * sw_port.h - what the switch core takes from its host's C environment.
 *
 * The core is built both into cti_sim.ko and into providers/sim, so it
 * uses only what the kernel and a hosted libc both provide under the same
 * names: the fixed-width integer types, bool, size_t, NULL, the errno
 * values, and memset, memcpy, memcmp, strlen, strnlen, strcmp and strchr.
 * The integer types are spelled the kernel's way (u8 .. u64, s64), as
 * checkpatch wants for code built into a module; a hosted build gets them
 * here, the <stdint.h> types under the kernel's names.
 * Anything else (formatting, allocation, timers, logging) goes through
 * &struct sw_host_ops. Keep this list short: every name added here must
 * exist, with the same meaning, on both sides.
 */
#ifndef _SW_PORT_H
#define _SW_PORT_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The compiler's own names of the <stdint.h> types: the same types. */
typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT64_TYPE__ s64;
#endif

#include <linux/cti.h>

#endif /* _SW_PORT_H */
