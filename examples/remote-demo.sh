#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# remote-demo.sh - a telephony server and a desktop on one machine:
#
#   server ctid  (sim provider, 4 lines)   <- the desktop's remote provider
#   desktop ctid (remote provider "hq")    <- examples/dial
#
# dial runs against the DESKTOP's ctid only: the lines it uses live on the
# server, and it sees them as hq's sim/ext100 ... Both daemons are stopped
# at the end (and on Ctrl-C). Run after `make` from the top of the tree:
#
#   examples/remote-demo.sh             # desktop -> server over the unix socket
#   examples/remote-demo.sh tls         # over TLS 1.3, with fresh test certificates
#
# The transport is only the desktop's "address" key (and, for TLS, its CA,
# certificate and key) plus the server's listener: see server_conf() and
# desk_conf() below. Over TLS the server maps the desktop's client
# certificate (CN=desktop) to its [user desktop].
#
# BUILD (default build/, or $CTI_BUILD) is where `make` put the programs.
set -eu

MODE=${1:-unix}
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${CTI_BUILD:-$TOP/build}
CTID=$B/daemon/ctid
DIAL=$B/examples/dial
CTICTL=$B/tools/ctictl
PORT=${REMOTE_DEMO_PORT:-4443}

case $MODE in
unix|tls) ;;
*) echo "usage: $0 [unix|tls]" >&2; exit 2 ;;
esac
for f in "$CTID" "$DIAL" "$B/providers/sim.so" "$B/providers/remote.so"; do
	if [ ! -e "$f" ]; then
		echo "remote-demo: $f is missing: run make first" >&2
		exit 1
	fi
done

DIR=$(mktemp -d /tmp/cti-remote-demo.XXXXXX)
SPID=
DPID=
cleanup() {
	for p in $DPID $SPID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

USER_NAME=$(id -un)

# The server's listener: its unix socket, and for TLS the TCP port with its
# certificate and the CA its clients' certificates chain to.
server_conf() {
	cat <<EOF
[server]
socket = $DIR/server.sock
socket_mode = 0600
provider_dir = $B/providers
EOF
	if [ "$MODE" = tls ]; then
		cat <<EOF
tls_listen = 127.0.0.1:$PORT
tls_cert = $DIR/certs/server.pem
tls_key = $DIR/certs/server.key
tls_ca = $DIR/certs/ca.pem
EOF
	fi
	cat <<EOF

[provider sim]
so = sim
lines = 4

; The desktop's ctid logs in as this user: what it may see is what every
; desktop user behind it may at most see.
[user $USER_NAME]
lines = *
EOF
	# over TLS it is the user its client certificate names (CN=desktop)
	if [ "$MODE" = tls ]; then
		printf '\n[user desktop]\nlines = *\n'
	fi
}

# The desktop: one [provider NAME] per server, NAME being the server's
# name on the desktop (its lines are NAME/PROVIDER/LINE there).
desk_conf() {
	cat <<EOF
[server]
socket = $DIR/desk.sock
socket_mode = 0600
provider_dir = $B/providers

[provider hq]
so = remote
EOF
	if [ "$MODE" = tls ]; then
		cat <<EOF
address = tls:localhost:$PORT
ca = $DIR/certs/ca.pem
cert = $DIR/certs/client.pem
key = $DIR/certs/client.key
EOF
	else
		echo "address = unix:$DIR/server.sock"
	fi
	cat <<EOF

; admin: for ctictl providers, below
[user $USER_NAME]
lines = hq/*
admin = yes
EOF
}

wait_sock() {
	i=0
	while [ ! -S "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$1" ]
}

if [ "$MODE" = tls ]; then
	sh "$TOP/tests/providers/mkcerts.sh" "$DIR/certs"
fi
server_conf > "$DIR/server.conf"
desk_conf > "$DIR/desk.conf"
if ! "$CTID" --check-config -c "$DIR/server.conf" > "$DIR/check.log" 2>&1; then
	echo "remote-demo: the server ctid refuses its configuration:" >&2
	cat "$DIR/check.log" >&2
	exit 1
fi

if [ "$MODE" = tls ]; then
	echo "== server ctid (sim, 4 lines) on $DIR/server.sock and TLS 127.0.0.1:$PORT"
else
	echo "== server ctid (sim, 4 lines) on $DIR/server.sock"
fi
"$CTID" --foreground -c "$DIR/server.conf" > "$DIR/server.log" 2>&1 &
SPID=$!
wait_sock "$DIR/server.sock" || { cat "$DIR/server.log"; exit 1; }

echo "== desktop ctid (remote provider hq) on $DIR/desk.sock"
"$CTID" --foreground -c "$DIR/desk.conf" > "$DIR/desk.log" 2>&1 &
DPID=$!
wait_sock "$DIR/desk.sock" || { cat "$DIR/desk.log"; exit 1; }

CTI_URI=unix:$DIR/desk.sock
export CTI_URI
# the server's lines appear on the desktop once the remote provider is in sync
i=0
until grep -q "in sync with the server" "$DIR/desk.log" 2>/dev/null; do
	if [ $i -ge 100 ]; then
		echo "remote-demo: the desktop never reached the server:" >&2
		cat "$DIR/desk.log" >&2
		exit 1
	fi
	sleep 0.1
	i=$((i + 1))
done
if [ -x "$CTICTL" ]; then
	echo "== the desktop's lines (ctictl lines)"
	"$CTICTL" lines
	echo "== the desktop's providers: hq's LINK is the server, up or down"
	"$CTICTL" providers
fi
if [ "$MODE" = tls ]; then
	echo "== the server's log: who the desktop is there"
	grep "logged in" "$DIR/server.log" || true
fi

echo "== examples/dial against the desktop"
RC=0
timeout 20 "$DIAL" 100 101 102 || RC=$?
echo "== dial exited with $RC; stopping both daemons"
exit $RC
