#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-dial.sh BUILD: run the examples against a private ctid (the
# embedded default: sim provider, 8 lines): monitor watches while dial
# makes, transfers and ends a call. Says SKIP when ctid or the sim provider
# has not been built.
set -u
B=$1
CTID=$B/daemon/ctid
if [ ! -x "$CTID" ] || [ ! -f "$B/providers/sim.so" ]; then
	echo "SKIP: examples: dial needs build/daemon/ctid and build/providers/sim.so"
	exit 0
fi
DIR=$(mktemp -d /tmp/cti-dial.XXXXXX)
CTI_URI=unix:$DIR/ctid.sock
export CTI_URI
"$CTID" --foreground >"$DIR/ctid.log" 2>&1 &
PID=$!
i=0
while [ ! -S "$DIR/ctid.sock" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
"$B/examples/monitor" >"$DIR/monitor.out" 2>&1 &
MON=$!
i=0
while ! grep -q watching "$DIR/monitor.out" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
timeout 20 "$B/examples/dial" >"$DIR/dial.out" 2>&1
RC=$?
sleep 0.3
kill "$MON" 2>/dev/null
wait "$MON"
MRC=$?
kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null

pass=0
fail=0
if [ $RC -eq 0 ] && grep -q "IDLE (NORMAL)" "$DIR/dial.out"; then
	echo "ok dial: A called B, B transferred to C, A hung up"
	pass=$((pass + 1))
else
	echo "not ok dial (exit $RC)"
	sed 's/^/#   /' "$DIR/dial.out"
	fail=$((fail + 1))
fi
# the monitor saw dial's calls on all three lines, and stopped cleanly
n=$(grep -c "CALL_STATE" "$DIR/monitor.out")
if [ $MRC -eq 0 ] && grep -q "watching 8 lines" "$DIR/monitor.out" &&
   [ "$n" -ge 10 ] && grep -q "ext102 *CALL_STATE *call [0-9]* CONNECTED" \
	"$DIR/monitor.out"; then
	echo "ok monitor: saw $n call states"
	pass=$((pass + 1))
else
	echo "not ok monitor (exit $MRC, $n call states)"
	sed 's/^/#   /' "$DIR/monitor.out"
	fail=$((fail + 1))
fi
if [ $fail -ne 0 ]; then
	sed 's/^/#   ctid: /' "$DIR/ctid.log"
fi
echo "$pass passed, $fail failed"
rm -rf "$DIR"
[ $fail -eq 0 ]
