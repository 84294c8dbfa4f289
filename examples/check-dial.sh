#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-dial.sh BUILD: run the dial example against a private ctid (the
# embedded default: sim provider, 8 lines) and expect it to finish. Says
# SKIP when ctid or the sim provider has not been built.
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
timeout 20 "$B/examples/dial" >"$DIR/dial.out" 2>&1
RC=$?
kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
if [ $RC -eq 0 ] && grep -q "IDLE (NORMAL)" "$DIR/dial.out"; then
	echo "ok dial: A called B, B transferred to C, A hung up"
	echo "1 passed, 0 failed"
	rm -rf "$DIR"
	exit 0
fi
echo "not ok dial (exit $RC)"
sed 's/^/#   /' "$DIR/dial.out" "$DIR/ctid.log"
echo "0 passed, 1 failed"
rm -rf "$DIR"
exit 1
