#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# test-lint.sh MANDOC - lint.sh must pass a clean page and fail a page
# with an undefined macro, through mandoc and, with mandoc out of the way
# (MANDOC=true), through man -l alone.
set -u
mandoc=${1:?usage: test-lint.sh MANDOC}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

printf '.TH "x" "1" "2026-01-01"\n.SH NAME\nx \\- a page\n.SH DESCRIPTION\nText.\n' > "$tmp/good.1"
printf '.TH "x" "1" "2026-01-01"\n.SH NAME\nx \\- a page\n.XYZ\n' > "$tmp/bad.1"

check() { # $1 case, $2 want (0 pass, 1 fail), then lint.sh's arguments
	name=$1 want=$2
	shift 2
	if sh "$(dirname "$0")/lint.sh" "$@" >/dev/null 2>&1; then got=0; else got=1; fi
	if [ $got = "$want" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name: lint.sh exit $got, want $want"
		fail=$((fail + 1))
	fi
}

check clean-page 0 "$mandoc" "$tmp/good.1"
check mandoc-finds 1 "$mandoc" "$tmp/bad.1"
check man-l-finds 1 true "$tmp/bad.1"
echo "man: test-lint: $pass passed, $fail failed"
[ $fail = 0 ]
