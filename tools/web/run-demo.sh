#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# run-demo.sh - `make run`: ctid (sim provider, 8 lines) with the web
# console beside it, in the foreground until Ctrl-C.
#
#   run-demo.sh BUILD
#
# Everything lives in BUILD/run: a throwaway CA and a self-signed
# certificate for localhost (so the browser warns once), a users file
# with two demo logins, admin/admin-demo (an administrator) and
# agent/agent-demo (may only watch), and ctid's configuration
# (demo-setup.sh). $CTID_TLS_PORT (7443) and $CTIWEB_PORT (8443) move
# the ports.
set -eu

B=$(cd "$1" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$B/run
TLS_PORT=${CTID_TLS_PORT:-7443}
WEB_PORT=${CTIWEB_PORT:-8443}
CTID_PID=
WEB_PID=

"$TOP/tools/web/demo-setup.sh" "$B" "$DIR" "$TLS_PORT"
cleanup() {
	for p in $WEB_PID $CTID_PID; do kill "$p" 2>/dev/null || true; done
	for p in $WEB_PID $CTID_PID; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

"$B/daemon/ctid" -c "$DIR/ctid.conf" --foreground 2>"$DIR/ctid.log" &
CTID_PID=$!
i=0
until grep -q "listening on tls" "$DIR/ctid.log"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 $CTID_PID 2>/dev/null; then
		cat "$DIR/ctid.log" >&2
		echo "run: ctid did not start" >&2
		exit 1
	fi
	sleep 0.1
done
"$B/tools/web/ctiweb" --ctid "tls://127.0.0.1:$TLS_PORT?ca=$DIR/pki/ca.crt" \
	--cert "$DIR/pki/srv.crt" --key "$DIR/pki/srv.key" --listen 127.0.0.1 \
	--port "$WEB_PORT" &
WEB_PID=$!
sleep 0.5
cat <<EOM

ctid is running: unix:$DIR/ctid.sock and tls://127.0.0.1:$TLS_PORT
(sim provider, 8 lines; its log: $DIR/ctid.log).

The web console: https://127.0.0.1:$WEB_PORT/
  log in as admin / admin-demo (an administrator), or agent / agent-demo
  (may only watch). The certificate comes from a demo CA made just now
  ($DIR/pki/ca.crt): the browser warns about it once.

From another shell:
  export CTI_URI=unix:$DIR/ctid.sock
  $B/examples/dial        # A calls B, B transfers to C: watch the board
  $B/tools/ctictl lines   # the lines and their state
  curl --cacert $DIR/pki/ca.crt -u admin:admin-demo https://127.0.0.1:$WEB_PORT/metrics

Stop with Ctrl-C.
EOM
wait $CTID_PID
