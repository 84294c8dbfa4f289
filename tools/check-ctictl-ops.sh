# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-ctictl-ops.sh: sourced by check-ctictl.sh (its ctid, $T, run, ok,
# notok, await, usage): every call operation, the line's settings and the
# provider's own commands and agents, each in text and with
# --json (validated, with its keys), and the bash completion. The sim has
# just been loaded again: every line is free, at most 3 calls a line.

# jkeys KEY...: $DIR/out is JSON, an object or an array of objects, each
# with every KEY
jkeys() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for o in d if isinstance(d, list) else [d]:
    missing = [k for k in sys.argv[2:] if k not in o]
    assert not missing, "missing keys %s in %s" % (missing, o)
' "$DIR/out" "$@" 2>>"$DIR/err"
}
# check WHAT CONDITION...: ok or not ok, as the condition's status says
check() {
	what=$1
	shift
	if "$@"; then
		ok "$what"
	else
		notok "$what"
	fi
}
# drop_all LINE...: hang up every call of the lines (DISCONNECTED ones
# too: they stay, kept for no program, until dropped)
drop_all() {
	for l in "$@"; do
		for c in $("$T" calls "$l" | awk 'NR > 1 { print $2 }'); do
			"$T" drop "$l" "$c" >/dev/null 2>&1
		done
	done
}
# connect FROM TO: FROM calls TO and TO answers; prints "A B", the handles
connect() {
	a=$("$T" call "$1" "${2#ext}" | sed -n 's/^call //p')
	b=$(await "$2" OFFERING) && "$T" answer "$2" "$b" >/dev/null &&
		await "$1" CONNECTED >/dev/null && echo "$a $b"
}
# watch LINE COUNT CMD...: run ctictl CMD while a JSON monitor of LINE
# takes COUNT events into $DIR/mon (a text monitor if $WATCH_TEXT is set).
# The command waits for the monitor's "monitoring" (up to 30 s: a sanitized
# ctictl on a loaded machine starts slowly), or the events would go by
# before the monitor is there to see them.
watch() {
	wl=$1
	wn=$2
	shift 2
	wfmt=--json
	[ -z "${WATCH_TEXT-}" ] || wfmt=
	"$T" $wfmt monitor -n "$wn" "$wl" >"$DIR/mon" 2>"$DIR/mon.err" &
	wp=$!
	i=0
	while ! grep -q monitoring "$DIR/mon.err" 2>/dev/null && [ $i -lt 300 ]; do
		kill -0 "$wp" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	run 0 "$@"
	wrc=$rc
	i=0
	while kill -0 "$wp" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill "$wp" 2>/dev/null
	wait "$wp" 2>/dev/null
	[ "$wrc" -eq 0 ]
}
# mon_has PYTHON-CONDITION: some event e of $DIR/mon satisfies it
mon_has() {
	python3 -c '
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
assert any(eval("(" + sys.argv[2] + ")", {"e": e}) for e in evs), evs
' "$DIR/mon" "$1" 2>>"$DIR/err"
}

# ---- the forwarded-from party ----
"$T" forward ext105 unconditional 106 >/dev/null
run 0 call ext100 105
C=$(await ext106 OFFERING)
check "a forwarded call shows whom it was for: FORWARD from 105" \
	eval 'run 0 calls ext106 && grep -q "OFFERING .*FORWARD from 105$" "$DIR/out"'
check "--json calls: forwarded_from 105" eval 'run 0 --json calls ext106 &&
	jkeys line call state reason forwarded_from origin caller called &&
	grep -q "\"reason\":\"FORWARD\",\"forwarded_from\":\"105\"" "$DIR/out"'
"$T" forward ext105 none >/dev/null
drop_all ext100 ext106

# ---- redirect: the deflected call says from where ----
run 0 call ext100 106
C=$(await ext106 OFFERING)
check "redirect ext106 $C 107: offered on ext107, REDIRECT from 106" \
	eval 'run 0 redirect ext106 "$C" 107 && grep -q "redirect: ok" "$DIR/out" &&
	await ext107 OFFERING >/dev/null && run 0 calls ext107 &&
	grep -q "REDIRECT from 106$" "$DIR/out"'
drop_all ext100 ext107

# ---- consultation transfer ----
set -- $(connect ext100 ext101)
A=${1-}
B=${2-}
K=
if [ -n "$B" ] && run 0 --json transfer-setup ext101 "$B" 102 && jkeys result call; then
	K=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["call"])' "$DIR/out")
	ok "--json transfer-setup ext101 $B 102: consultation call $K"
else
	notok "transfer-setup ext101 '$B' 102"
fi
C=$(await ext102 OFFERING)
check "transfer-complete: ext100 and ext102 talk, ext101 is out" eval '
	run 0 answer ext102 "$C" && await ext101 CONNECTED >/dev/null &&
	run 0 transfer-complete ext101 "$B" "$K" &&
	grep -q "transfer-complete: ok" "$DIR/out" &&
	await ext102 CONNECTED >/dev/null && run 0 calls ext100 &&
	grep -q "ext100 *$A *CONNECTED *internal *100 *102" "$DIR/out"'
drop_all ext100 ext101 ext102

# ---- conference: setup, add, remove ----
set -- $(connect ext103 ext104)
A=${1-}
K=
run 0 conference-setup ext103 "$A" 105 && K=$(sed -n 's/^call //p' "$DIR/out")
C=$(await ext105 OFFERING)
check "conference-setup, -add: two CONFERENCED calls on ext103" eval '
	[ -n "$K" ] && run 0 answer ext105 "$C" &&
	await ext103 CONNECTED >/dev/null &&
	run 0 --json conference-add ext103 "$A" "$K" && jkeys result &&
	run 0 calls ext103 &&
	[ "$(grep -c "CONFERENCED" "$DIR/out")" -eq 2 ]'
check "conference-remove: the party is held again" eval '
	run 0 conference-remove ext103 "$K" && await ext103 ONHOLD >/dev/null'
drop_all ext103 ext104 ext105

# ---- park, unpark ----
set -- $(connect ext100 ext101)
B=${2-}
check "park names the slot: parked at 700" eval '
	run 0 park ext101 "$B" && grep -q "^parked at 700$" "$DIR/out"'
check "--json unpark ext102 700: the call" eval '
	run 0 --json unpark ext102 700 && jkeys result call &&
	await ext102 CONNECTED >/dev/null'
check "unpark of an empty slot says so" eval '
	run 1 unpark ext102 700 && grep -q "nothing is parked at 700" "$DIR/err"'
P=$(await ext102 CONNECTED)
check "--json park at slot 42" eval 'run 0 --json park ext102 "$P" 42 &&
	jkeys result slot && grep -q "\"slot\":\"42\"" "$DIR/out"'
drop_all ext100 ext101 ext102
"$T" unpark ext102 42 >/dev/null 2>&1
drop_all ext102

# ---- pickup ----
run 0 call ext103 104
await ext104 OFFERING >/dev/null
check "pickup ext105 104: the ringing call, answered on ext105" eval '
	run 0 pickup ext105 104 && grep -q "^call [0-9]" "$DIR/out" &&
	await ext105 CONNECTED >/dev/null'
check "pickup with nothing ringing says so" eval '
	run 1 pickup ext105 104 && grep -q "no call rings at 104" "$DIR/err"'
drop_all ext103 ext104 ext105

# ---- hold, swap, digits, tone, accept, handoff ----
set -- $(connect ext100 ext101)
A=${1-}
run 0 hold ext100 "$A"
set -- $(connect ext100 ext102)
K=${1-}
check "swap ext100 $K $A: $A back, $K held" eval '
	run 0 swap ext100 "$K" "$A" && grep -q "swap: ok" "$DIR/out" &&
	run 0 calls ext100 && grep -q "ext100 *$K *ONHOLD" "$DIR/out" &&
	grep -q "ext100 *$A *CONNECTED" "$DIR/out"'
check "digits ext100 $A 12#: DIGITS on ext101" eval '
	watch ext101 1 digits ext100 "$A" "12#" &&
	mon_has "e[\"type\"] == \"DIGITS\" and e[\"digits\"] == \"12#\""'
check "--json tone ext100 $A beep 100" eval '
	run 0 --json tone ext100 "$A" beep 100 && jkeys result'
check "accept of a connected call: EBUSY" eval '
	run 1 accept ext100 "$A" && grep -q "(EBUSY)$" "$DIR/err"'
check "handoff to nobody says what is missing" eval '
	run 1 handoff ext100 "$A" nobody &&
	grep -q "no other session named nobody" "$DIR/err"'
drop_all ext100 ext101 ext102

# ---- the provider's own commands: devspec, inbound ----
check "inbound ext106 5551234: an outside call rings" eval '
	run 0 inbound ext106 5551234 && await ext106 OFFERING >/dev/null &&
	run 0 calls ext106 &&
	grep -q "ext106 *[0-9]* *OFFERING *inbound *5551234 *106" "$DIR/out"'
drop_all ext106
check "devspec ext106 -- inbound 5551235" eval '
	run 0 devspec ext106 -- inbound 5551235 &&
	grep -q "devspec: ok" "$DIR/out" && await ext106 OFFERING >/dev/null'
drop_all ext106
check "devspec status maint, then in" eval '
	run 0 --json devspec ext106 status maint && jkeys result &&
	run 0 lines && grep -q "ext106 .* maintenance" "$DIR/out" &&
	run 0 devspec ext106 status in'
check "devspec of an unknown word: the provider did not accept it" eval '
	run 1 devspec ext106 frobnicate &&
	grep -q "did not accept .frobnicate.*(EINVAL)$" "$DIR/err"'
check "devspec ext106 button 3 press: PHONE_BUTTON in the monitor" eval '
	watch ext106 1 devspec ext106 button 3 press &&
	mon_has "e[\"type\"] == \"PHONE_BUTTON\" and e[\"button\"] == 3 and
		e[\"action\"] == \"press\""'

# ---- agents ----
check "agent ext107 state ready: AGENT_STATE ready" eval '
	watch ext107 1 agent ext107 state ready &&
	mon_has "e[\"type\"] == \"AGENT_STATE\" and e[\"state\"] == \"ready\""'
check "agent groups: the groups in AGENT_STATE" eval '
	watch ext107 1 agent ext107 groups sales,support &&
	mon_has "e[\"groups\"] == \"sales,support\""'
check "--json agent activity, and not-ready with a reason" eval '
	run 0 --json agent ext107 activity 7 && jkeys result &&
	watch ext107 1 agent ext107 state not-ready 4 &&
	mon_has "e[\"state\"] == \"not-ready\" and e[\"reason\"] == 4 and
		e[\"activity\"] == 7"'
WATCH_TEXT=1
watch ext107 1 agent ext107 state logged-out
WATCH_TEXT=
cp "$DIR/mon" "$DIR/out"
check "text monitor: agent fields by name" grep -q \
	"AGENT_STATE *state=logged-out groups=sales,support" "$DIR/out"

# ---- --json for the rest ----
check "--json --help: every command with its args" eval '
	run 0 --json --help && jkeys name args help &&
	[ "$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" \
		"$DIR/out")" -ge 30 ]'
check "--json --version" eval 'run 0 --json --version && jkeys version'
check "--json passwd" eval 'printf "pw-carol\n" |
	timeout 20 "$T" --json passwd carol "$DIR/users" >"$DIR/out" 2>"$DIR/err" &&
	jkeys result user file'

# ---- usage errors of these commands ----
usage "tone name" "bad tone 'hoot': one of beep, billing" tone ext101 1 hoot 10
usage "completion mode" "bad mode 'maybe'" transfer-complete ext101 1 2 maybe
usage "agent state" "bad agent state 'busy'" agent ext101 state busy
usage "agent groups" "bad groups 'a b'" agent ext101 groups "a b"
usage "devspec words" "missing argument" devspec ext101 --
usage "park call" "missing argument" park ext101
usage "swap calls" "bad call '0'" swap ext101 1 0
usage "digits" "ctid would refuse" digits ext101 1 "12x"

# ---- bash completion, against this ctid ----
if command -v bash >/dev/null; then
	bash "$(dirname "$0")/check-completion.sh" "$T" "$CTI_URI" >"$DIR/comp" 2>&1
	pass=$((pass + $(grep -c "^ok" "$DIR/comp")))
	fail=$((fail + $(grep -c "^not ok" "$DIR/comp")))
	grep "^ok\|^not ok\|^#" "$DIR/comp"
else
	echo "SKIP: tools: the completion checks need bash"
fi

# last: a reload ends every call
check "--json reload sim" eval 'run 0 --json reload sim && jkeys result'
