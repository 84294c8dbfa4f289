#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-ctictl.sh BUILD [CTICTL]: run ctictl (BUILD/tools/ctictl, or the
# CTICTL given: the sanitized build) against a private ctid of BUILD (the
# sim provider, 8 lines, as the embedded default, but keeping calls whose
# program went away: each ctictl command is a program of its own, and the
# call one makes is the one the next answers). Says SKIP when ctid or the
# sim provider has not been built.
set -u
B=$1
CTID=$B/daemon/ctid
T=${2:-$B/tools/ctictl}
if [ ! -x "$CTID" ] || [ ! -f "$B/providers/sim.so" ]; then
	echo "SKIP: tools: ctictl needs build/daemon/ctid and build/providers/sim.so"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	echo "SKIP: tools: the JSON checks need python3"
	exit 0
fi
DIR=$(mktemp -d /tmp/cti-ctl.XXXXXX)
CTI_URI=unix:$DIR/ctid.sock
export CTI_URI
cat >"$DIR/ctid.conf" <<EOF
[server]
socket = $DIR/ctid.sock
socket_mode = 0600
[provider sim]
so = sim
lines = 8
orphan = keep
[user $(id -un)]
lines = *
admin = yes
EOF
"$CTID" --foreground -c "$DIR/ctid.conf" >"$DIR/ctid.log" 2>&1 &
PID=$!
i=0
while [ ! -S "$DIR/ctid.sock" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

pass=0
fail=0
ok() {
	echo "ok $1"
	pass=$((pass + 1))
}
notok() {
	echo "not ok $1"
	sed 's/^/#   /' "$DIR/out" "$DIR/err"
	fail=$((fail + 1))
}
# run EXPECTED-STATUS ARGS...: ctictl's output in $DIR/out and $DIR/err
run() {
	want=$1
	shift
	timeout 20 "$T" "$@" >"$DIR/out" 2>"$DIR/err"
	rc=$?
	[ $rc -eq "$want" ]
}
json() {
	python3 -m json.tool "$DIR/out" >/dev/null 2>&1
}
# the handle of the call on LINE in STATE, from calls --json
handle() {
	"$T" --json calls "$1" | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    if c["state"] == sys.argv[1]:
        print(c["call"]); break' "$2"
}
# await LINE STATE: the handle of a call on LINE in STATE, once there is
# one (ctid and the provider move calls on their own time)
await() {
	i=0
	while [ $i -lt 50 ]; do
		h=$(handle "$1" "$2")
		[ -n "$h" ] && echo "$h" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

if run 0 --help && grep -q "Usage: ctictl" "$DIR/out"; then
	ok "--help"
else
	notok "--help"
fi
if run 0 --version && grep -q "^ctictl [0-9]" "$DIR/out"; then
	ok "--version"
else
	notok "--version"
fi
if run 0 lines && [ "$(grep -c "ext10[0-7] *sim *10[0-7] *in-service" \
	"$DIR/out")" -eq 8 ] && head -1 "$DIR/out" | grep -q "^ID  *NAME"; then
	ok "lines: a table of 8 sim lines"
else
	notok "lines"
fi
if run 0 --json lines && json && python3 -c '
import json, sys
l = json.load(open(sys.argv[1]))
assert len(l) == 8 and l[1]["name"] == "ext101" and l[1]["addresses"] == ["101"]
' "$DIR/out"; then
	ok "--json lines"
else
	notok "--json lines"
fi
if run 0 providers && grep -q "^sim *up *8$" "$DIR/out"; then
	ok "providers"
else
	notok "providers"
fi
if run 0 --json providers && json && grep -q '"name":"sim"' "$DIR/out"; then
	ok "--json providers"
else
	notok "--json providers"
fi

# a monitor on ext102 that stops by itself after 5 events
"$T" monitor -n 5 ext102 >"$DIR/mon" 2>"$DIR/mon.err" &
MON=$!
"$T" -u "$CTI_URI" --json monitor -n 2 ext101 >"$DIR/monj" \
	2>"$DIR/monj.err" &
MONJ=$!
i=0
while ! { grep -q monitoring "$DIR/mon.err" &&
	  grep -q monitoring "$DIR/monj.err"; } 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

if run 0 call ext101 102 && grep -q "^call [0-9]" "$DIR/out"; then
	ok "call ext101 102"
else
	notok "call ext101 102"
fi
A=$(sed -n 's/^call //p' "$DIR/out")
await ext101 RINGBACK >/dev/null
if run 0 calls && grep -q "ext101 *$A *RINGBACK" "$DIR/out" &&
   grep -q "ext102 *[0-9]* *OFFERING *internal *101 *102" "$DIR/out"; then
	ok "calls: ringback on ext101, offering on ext102"
else
	notok "calls"
fi
if run 0 --json calls && json; then
	ok "--json calls"
else
	notok "--json calls"
fi
C=$(await ext102 OFFERING)
if [ -n "$C" ] && run 0 answer ext102 "$C" && grep -q "answer: ok" "$DIR/out"; then
	ok "answer ext102 $C"
else
	notok "answer ext102 '$C'"
fi
await ext101 CONNECTED >/dev/null
if run 0 calls ext101 && grep -q "ext101 *$A *CONNECTED" "$DIR/out"; then
	ok "calls ext101: connected"
else
	notok "calls ext101: connected"
fi
if run 0 hold ext101 "$A" && run 0 unhold ext101 "$A"; then
	ok "hold and unhold"
else
	notok "hold and unhold"
fi
if run 0 drop ext101 "$A"; then
	ok "drop ext101 $A"
else
	notok "drop ext101 $A"
fi
if run 1 drop ext101 "$A" && grep -q "ENOENT\|EINVAL\|ENODEV\|EPERM" \
	"$DIR/err"; then
	ok "dropping it again fails with an errno name: $(cat "$DIR/err")"
else
	notok "dropping it again fails"
fi
if run 1 answer ext103 999 && grep -q "(E[A-Z]*)$" "$DIR/err"; then
	ok "answer of no such call fails: $(cat "$DIR/err")"
else
	notok "answer of no such call"
fi
# a blind transfer: ext100 calls ext103, ext103 answers and passes it on
C=
run 0 call ext100 103 && C=$(await ext103 OFFERING)
if [ -n "$C" ] && run 0 answer ext103 "$C" &&
   await ext103 CONNECTED >/dev/null && run 0 transfer ext103 "$C" 106 &&
   await ext106 OFFERING >/dev/null && run 0 calls ext106 &&
   grep -q "ext106 *[0-9]* *OFFERING" "$DIR/out"; then
	ok "transfer ext103 $C 106: offered on ext106"
else
	notok "transfer ext103 '$C' 106"
fi
C=$(await ext106 OFFERING)
[ -n "$C" ] && "$T" drop ext106 "$C" >/dev/null

if run 0 dnd ext104 on && run 0 --json lines &&
   python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))[4]["dnd"]' \
	"$DIR/out" && run 0 dnd ext104 off; then
	ok "dnd on and off"
else
	notok "dnd"
fi
if run 0 forward ext105 unconditional 106 && run 0 lines &&
   grep -q "ext105 .*unconditional:106" "$DIR/out" &&
   run 0 forward ext105 none; then
	ok "forward unconditional, then none"
else
	notok "forward"
fi

i=0
while kill -0 "$MON" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
STUCK=0
kill -0 "$MON" 2>/dev/null && STUCK=1
kill "$MON" "$MONJ" 2>/dev/null
wait "$MON"
MRC=$?
[ $STUCK -eq 0 ] || MRC=124	# it had to be killed: -n did not stop it
wait "$MONJ"
if [ $MRC -eq 0 ] && [ "$(grep -c "ext102" "$DIR/mon")" -eq 5 ] &&
   grep -q "CALL_STATE *call [0-9]* OFFERING" "$DIR/mon" &&
   grep -q "CALL_STATE *call [0-9]* CONNECTED" "$DIR/mon"; then
	ok "monitor -n 5 ext102 printed 5 events and stopped"
else
	cp "$DIR/mon" "$DIR/out"
	cp "$DIR/mon.err" "$DIR/err"
	notok "monitor -n 5 (exit $MRC)"
fi
if [ "$(wc -l <"$DIR/monj")" -eq 2 ] && while read -r l; do
	echo "$l" | python3 -m json.tool >/dev/null || exit 1; done <"$DIR/monj"
then
	ok "--json monitor -n 2: two JSON lines"
else
	cp "$DIR/monj" "$DIR/out"
	: >"$DIR/err"
	notok "--json monitor -n 2"
fi

# providers, administered: reload, unload, load back
if run 0 reload sim && run 0 unload sim && run 0 providers &&
   grep -q "^sim *down *0$" "$DIR/out" && run 0 load sim &&
   run 0 providers && grep -q "^sim *up *8$" "$DIR/out"; then
	ok "reload, unload and load sim"
else
	notok "reload, unload and load sim"
fi
if run 1 unload nosuch && grep -q "(E[A-Z]*)$" "$DIR/err"; then
	ok "unload of no such provider fails: $(cat "$DIR/err")"
else
	notok "unload of no such provider"
fi

# usage errors: exit status 2 and one clear message
usage() {
	what=$1
	pattern=$2
	shift 2
	if run 2 "$@" && grep -q "$pattern" "$DIR/err"; then
		ok "usage: $what"
	else
		notok "usage: $what (exit $rc)"
	fi
}
usage "no command" "missing command"
usage "unknown command" "unknown command 'frobnicate'" frobnicate
usage "unknown option" "Try" --bogus lines
usage "bad line" "bad line 'ext999'" calls ext999
usage "bad number" "bad number '12a'" call ext101 12a
usage "bad call" "bad call 'x'" answer ext101 x
usage "call 0" "bad call '0'" drop ext101 0
usage "missing argument" "missing argument" answer ext101
usage "too many arguments" "too many arguments" lines extra
usage "dnd state" "bad state 'maybe'" dnd ext101 maybe
usage "forward mode" "bad mode 'sometimes'" forward ext101 sometimes 1
usage "forward number" "needs a NUMBER" forward ext101 busy
usage "monitor count" "bad count" monitor -n many
usage "provider name" "bad provider name" load ../evil
if run 1 -u unix:$DIR/none.sock lines && grep -q "cannot reach ctid" \
	"$DIR/err"; then
	ok "no ctid: $(cat "$DIR/err")"
else
	notok "no ctid"
fi

usage "cards arguments" "too many arguments" cards extra
# cards asks the kernel, not ctid: here (no cti.ko) it says so; the
# guest test selftests/cti/kcard_e2e (card.ctictl_cards) checks a card
if [ -e /sys/module/cti ]; then
	ok "cards: cti.ko is loaded here; the guest test covers it"
elif run 1 cards && grep -q "is cti.ko loaded" "$DIR/err"; then
	ok "cards without cti.ko: $(cat "$DIR/err")"
else
	notok "cards without cti.ko"
fi

kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
if [ $fail -ne 0 ]; then
	sed 's/^/#   ctid: /' "$DIR/ctid.log"
fi
echo "$pass passed, $fail failed"
rm -rf "$DIR"
[ $fail -eq 0 ]
