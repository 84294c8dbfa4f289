// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * detail.c - why the last connection attempt failed, in words
 *
 * An errno says what kind of failure it was; for TLS that is not enough
 * to act on (which certificate? expired or from another CA?), so the
 * transport keeps its words here, per thread, for the program to print.
 */
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"
#include "tls.h"

static __thread char detail[320];

void cti_error_detail_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
}

CTI_API const char *cti_session_error_detail(void)
{
	return detail;
}
