#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# lint.sh MANDOC PAGE... - every built page must pass mandoc -T lint at
# level warning and render with man -l without a groff warning.
#
# Two mandoc warnings are scdoc's, not ours, and are left out: scdoc 1.11
# opens every paragraph, including the first one after a heading and the
# one it closes a list with, with .P; mandoc reports those as "skipping
# paragraph macro: PP after SH" (or SS) and "PP empty". Both are dropped by every
# formatter and change nothing in the output. Anything else fails.
set -u
mandoc=$1
shift
rc=0
for p in "$@"; do
	out=$("$mandoc" -T lint -W warning "$p" 2>&1 |
		grep -v -e 'skipping paragraph macro: PP empty$' \
			-e 'skipping paragraph macro: PP after S[HS]$')
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
		echo "man: $p: mandoc -T lint findings above"
		rc=1
	fi
	# man -l: every groff warning (--warnings=w; "all" is not the same
	# set and misses undefined macros) on stderr, in a fixed width
	err=$(MANWIDTH=80 man --warnings=w -l "$p" 2>&1 >/dev/null)
	if [ -n "$err" ]; then
		printf '%s\n' "$err"
		echo "man: $p: man -l findings above"
		rc=1
	fi
done
[ $rc = 0 ] && echo "man: lint: $# pages clean (mandoc -T lint, man -l)"
exit $rc
