#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-completion.sh CTICTL [URI]: load tools/ctictl.bash into this bash
# and ask it for completions as bash would (COMP_WORDS, COMP_CWORD, then
# the completion function), against the ctid at URI ($CTI_URI by
# default; check-ctictl.sh runs one with 8 sim lines). Prints "ok ..." or
# "not ok ..." a check and ends with "N passed, N failed".
set -u
T=$1
URI=${2:-${CTI_URI-}}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ctictl.bash
. "$HERE/ctictl.bash"

pass=0
fail=0
# complete WORD...: the completions of the last word (may be "")
complete_words() {
	COMP_WORDS=("$T" "$@")
	COMP_CWORD=$#
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_ctictl
	printf '%s\n' "${COMPREPLY[@]}" | sort
}
# expect WHAT "WANTED WORDS" WORD...: the completions are exactly those
expect() {
	local what=$1 want got
	want=$(printf '%s\n' $2 | sort)
	shift 2
	got=$(complete_words "$@")
	if [ "$got" = "$want" ]; then
		echo "ok completion: $what"
		pass=$((pass + 1))
	else
		echo "not ok completion: $what"
		echo "#   want: $(echo $want)"
		echo "#   got:  $(echo $got)"
		fail=$((fail + 1))
	fi
}
# has WHAT "WORDS" WORD...: the completions include each of WORDS
has() {
	local what=$1 w got missing=
	got=$(complete_words "${@:3}")
	for w in $2; do
		grep -qx -- "$w" <<<"$got" || missing="$missing $w"
	done
	if [ -z "$missing" ]; then
		echo "ok completion: $what"
		pass=$((pass + 1))
	else
		echo "not ok completion: $what: missing$missing"
		fail=$((fail + 1))
	fi
}

LINES8="ext100 ext101 ext102 ext103 ext104 ext105 ext106 ext107"
has "every command" "lines calls call answer transfer-setup conference-add park
	pickup digits devspec inbound agent phone-hook monitor load" ""
expect "a command's prefix" "transfer transfer-complete transfer-setup" tr
expect "an option" "--json" --j
expect "line names from ctid" "$LINES8" dnd ""
# -u wins over $CTI_URI, which here names no ctid
SAVED=${CTI_URI-}
export CTI_URI=unix:/nonexistent/sock
expect "line names, -u URI" "$LINES8" -u "$URI" --json answer ""
expect "no ctid: no lines, no error" "" dnd ""
export CTI_URI=$SAVED
expect "a line prefix" "ext104" drop ext104
expect "on|off from the usage" "on off" dnd ext101 ""
expect "forward modes" "none unconditional busy noanswer" forward ext101 ""
expect "no completion for a number" "" call ext101 ""
expect "completion mode" "transfer conference" transfer-complete ext101 1 2 ""
expect "tones" "beep billing busy ringback" tone ext101 1 ""
expect "a phone is named like its line" "$LINES8" phone ""
expect "hook modes" "onhook mic speaker offhook" phone-hook ext101 handset ""
expect "agent settings" "state groups activity" agent ext101 ""
expect "agent states" "logged-out ready not-ready after-call-work" \
	agent ext101 state ""
expect "providers from ctid" "sim" unload ""
expect "monitor: lines, any number" "$LINES8" monitor ext100 ""
expect "monitor options" "-n --count" monitor -
expect "nothing past the last argument" "" hold ext101 1 ""

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
