#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# demo-setup.sh - what ctid and ctiweb need to run side by side, in DIR:
#
#   DIR/pki/   a throwaway CA and a certificate for localhost/127.0.0.1
#              (ctid's TLS listener and ctiweb's HTTPS both use it)
#   DIR/users  password logins (yescrypt, written by ctictl passwd)
#   DIR/ctid.conf  the sim provider with 8 lines; TLS on 127.0.0.1:PORT;
#              live administration's state (DIR/ctid.state) and audit log;
#              [user admin] owns every line and is an administrator,
#              [user agent] may only watch them; the local user who runs
#              this may use the unix socket (examples/dial) as admin
#
#   demo-setup.sh BUILD DIR PORT
#
# The passwords come from $CTIWEB_ADMIN_PW and $CTIWEB_AGENT_PW (defaults
# "admin-demo" and "agent-demo": a demo, never a server).
set -eu

B=$(cd "$1" && pwd)
DIR=$2
PORT=$3
ADMIN_PW=${CTIWEB_ADMIN_PW:-admin-demo}
AGENT_PW=${CTIWEB_AGENT_PW:-agent-demo}

mkdir -p "$DIR/pki"
DIR=$(cd "$DIR" && pwd)	# ctid wants the state and audit paths absolute
chmod 700 "$DIR" "$DIR/pki"
P=$DIR/pki
if [ ! -s "$P/srv.crt" ]; then
	key="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
	openssl req -x509 $key -keyout "$P/ca.key" -out "$P/ca.crt" -days 30 \
		-subj "/CN=cti demo CA" >/dev/null 2>&1
	openssl req $key -keyout "$P/srv.key" -out "$P/srv.csr" -subj /CN=localhost \
		>/dev/null 2>&1
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$P/srv.ext"
	openssl x509 -req -in "$P/srv.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" \
		-CAcreateserial -days 30 -extfile "$P/srv.ext" -out "$P/srv.crt" \
		>/dev/null 2>&1
fi
rm -f "$DIR/users"
printf '%s\n' "$ADMIN_PW" | "$B/tools/ctictl" passwd admin "$DIR/users" >/dev/null 2>&1
printf '%s\n' "$AGENT_PW" | "$B/tools/ctictl" passwd agent "$DIR/users" >/dev/null 2>&1

cat >"$DIR/ctid.conf" <<EOC
[server]
socket = $DIR/ctid.sock
socket_mode = 0600
provider_dir = $B/providers
tls_listen = 127.0.0.1:$PORT
tls_cert = $P/srv.crt
tls_key = $P/srv.key
tls_ca = $P/ca.crt
users_file = $DIR/users
state = $DIR/ctid.state
audit = $DIR/audit.log

[provider sim]
so = sim
lines = 8

[user $(id -un)]
lines = *
admin = yes

[user admin]
lines = *
admin = yes

[user agent]
monitor = *
EOC
