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
state = $DIR/ctid.state
audit = $DIR/audit.log
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
# the handle of the call on LINE in STATE, from the calls table (awk,
# not python: this runs in polling loops, and python takes a second to
# start on a loaded machine)
handle() {
	"$T" calls "$1" | awk -v s="$2" 'NR > 1 && $3 == s { print $2; exit }'
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
if run 0 providers && grep -q "^sim *up *- *8$" "$DIR/out"; then
	ok "providers"
else
	notok "providers"
fi
# operations by name: the sim does everything but carry link frames
if run 0 lines && grep -q "ext100 .* all but SEND_LINK_FRAME$" "$DIR/out" &&
   run 0 --json lines && json &&
   python3 -c 'import json, sys; l = json.load(open(sys.argv[1]))[0]
assert "MAKE_CALL" in l["ops"] and "SEND_LINK_FRAME" not in l["ops"]
assert l["uops"] == ["SET_AGENT_STATE", "SET_AGENT_GROUP", "SET_AGENT_ACTIVITY"]
assert l["ops_mask"] == "0x0000000005ffffff"' "$DIR/out"; then
	ok "lines name the operations (text and --json)"
else
	notok "lines: operation names: $(head -3 "$DIR/out")"
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
   grep -q "ext105 .*unconditional:106" "$DIR/out"; then
	ok "forward unconditional"
else
	notok "forward"
fi
# the forwarded call arrives with the offer reason FORWARD, named from the
# offer reasons' table (not the disconnect reasons', where 2 is BUSY)
C=
run 0 call ext100 105 >/dev/null && C=$(await ext106 OFFERING)
if [ -n "$C" ] && run 0 --json calls ext106 && json &&
   grep -q '"state":"OFFERING","reason":"FORWARD"' "$DIR/out"; then
	ok "a forwarded call is offered with reason FORWARD"
else
	notok "forwarded call's reason: $(cat "$DIR/out")"
fi
[ -n "$C" ] && "$T" drop ext106 "$C" >/dev/null
if run 0 forward ext105 none; then
	ok "forward none"
else
	notok "forward none"
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
   grep -q "CALL_STATE *call=[0-9]* state=OFFERING reason=DIRECT" "$DIR/mon" &&
   grep -q "CALL_STATE *call=[0-9]* state=CONNECTED" "$DIR/mon"; then
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
   grep -q "^sim *down *- *0$" "$DIR/out" && run 0 load sim &&
   run 0 providers && grep -q "^sim *up *- *8$" "$DIR/out"; then
	ok "reload, unload and load sim"
else
	notok "reload, unload and load sim"
fi
if run 1 unload nosuch && grep -q "provider nosuch is not loaded.*(ENOENT)$" "$DIR/err"; then
	ok "unload of no such provider fails: $(cat "$DIR/err")"
else
	notok "unload of no such provider"
fi
if run 1 load textlink &&
   grep -q "no \[provider textlink\] section in ctid's configuration" "$DIR/err"; then
	ok "load of an unconfigured provider says so: $(cat "$DIR/err")"
else
	notok "load of an unconfigured provider: $(cat "$DIR/err")"
fi
if run 1 load sim && grep -q "provider sim is loaded already.*(EEXIST)$" "$DIR/err"; then
	ok "load of a loaded provider says so"
else
	notok "load of a loaded provider: $(cat "$DIR/err")"
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
	"$DIR/err" && grep -q "is ctid running?" "$DIR/err"; then
	ok "no ctid: $(cat "$DIR/err")"
else
	notok "no ctid"
fi

# every call operation, devspec, agents, the phone, --json, completion
. "$(dirname "$0")/check-ctictl-ops.sh"

# ---- over TLS: ctictl -u tls://..., passwd, reload-server ----
tls_checks() {
	P=$DIR/pki
	mkdir -p "$P"
	chmod 700 "$P"
	key="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
	openssl req -x509 $key -keyout "$P/ca.key" -out "$P/ca.crt" -days 2 \
		-subj /CN=ca >/dev/null 2>&1 &&
	openssl req $key -keyout "$P/srv.key" -out "$P/srv.csr" -subj /CN=localhost \
		>/dev/null 2>&1 &&
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$P/srv.ext" &&
	openssl x509 -req -in "$P/srv.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" \
		-CAcreateserial -days 2 -extfile "$P/srv.ext" -out "$P/srv.crt" \
		>/dev/null 2>&1 &&
	openssl req $key -keyout "$P/alice.key" -out "$P/alice.csr" -subj /CN=alice \
		>/dev/null 2>&1 &&
	openssl x509 -req -in "$P/alice.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" \
		-CAcreateserial -days 2 -out "$P/alice.crt" >/dev/null 2>&1 || {
		notok "tls: openssl could not make the certificates"
		return
	}
	if printf 'bob-pw\n' | timeout 20 "$T" passwd bob "$P/users" >"$DIR/out" 2>"$DIR/err" &&
	   grep -q '^bob:\$y\$' "$P/users" && [ "$(stat -c %a "$P/users")" = 600 ]; then
		ok "tls: passwd writes a yescrypt hash, mode 600"
	else
		notok "tls: passwd"
	fi
	port=$((20000 + $$ % 20000))
	cat >"$DIR/tls.conf" <<EOF2
[server]
socket = $DIR/tls.sock
state = $DIR/tls.state
audit = $DIR/tls.audit
tls_listen = 127.0.0.1:$port
tls_cert = $P/srv.crt
tls_key = $P/srv.key
tls_ca = $P/ca.crt
users_file = $P/users
[provider sim]
so = sim
lines = 4
[user alice]
lines = 1-2
admin = yes
[user bob]
lines = 3
EOF2
	"$CTID" --foreground -c "$DIR/tls.conf" >"$DIR/tls.log" 2>&1 &
	TPID=$!
	i=0
	while [ ! -S "$DIR/tls.sock" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	U="tls://localhost:$port?ca=$P/ca.crt"
	if run 0 -u "$U&cert=$P/alice.crt&key=$P/alice.key" lines &&
	   grep -q ext100 "$DIR/out" && ! grep -q ext102 "$DIR/out"; then
		ok "tls: lines with a client certificate (alice: 1-2)"
	else
		notok "tls: lines with a client certificate"
	fi
	if CTI_TLS_PASSWORD=bob-pw run 0 -u "$U&user=bob" lines &&
	   grep -q ext102 "$DIR/out" && ! grep -q ext100 "$DIR/out"; then
		ok "tls: lines with a password (bob: 3)"
	else
		notok "tls: lines with a password"
	fi
	printf 'bob-pw\n' >"$P/bob.pw"
	chmod 600 "$P/bob.pw"
	if run 0 -u "$U&user=bob&password_file=$P/bob.pw" lines; then
		ok "tls: a password file"
	else
		notok "tls: a password file"
	fi
	if CTI_TLS_PASSWORD=nope run 1 -u "$U&user=bob" lines &&
	   grep -q "wrong user name or password" "$DIR/err"; then
		ok "tls: a wrong password: $(cat "$DIR/err")"
	else
		notok "tls: a wrong password"
	fi
	if run 2 -u "$U&password=bob-pw" lines && grep -q "never given in a URI" "$DIR/err"; then
		ok "tls: no password in the URI"
	else
		notok "tls: no password in the URI"
	fi
	if run 1 -u "tls://localhost:$port" lines && grep -q "server's certificate" "$DIR/err"; then
		ok "tls: an unknown CA: $(cat "$DIR/err")"
	else
		notok "tls: an unknown CA"
	fi
	if run 0 -u "$U&cert=$P/alice.crt&key=$P/alice.key" reload-server &&
	   CTI_TLS_PASSWORD=bob-pw run 1 -u "$U&user=bob" reload-server; then
		ok "tls: reload-server (admin only)"
	else
		notok "tls: reload-server"
	fi
	kill "$TPID" 2>/dev/null
	wait "$TPID" 2>/dev/null
}
if command -v openssl >/dev/null; then
	tls_checks
else
	echo "SKIP: tools: the TLS checks need the openssl command"
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

# phones (tools/cmd_phones.c): the list, commands, the state they leave
if run 0 phones && [ "$(grep -c "^[0-9]* *ext10[0-7] *handset,speaker,headset *16 *4 *2x40 *any$" \
	"$DIR/out")" -eq 8 ] && run 0 --json phones && json && python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
assert len(p) == 8 and p[0]["num_lamps"] == 4 and p[0]["display_cols"] == 40
assert p[0]["hookswitches"] == ["handset", "speaker", "headset"]' "$DIR/out"; then
	ok "phones: 8 phones with their capabilities, text and --json"
else
	notok "phones"
fi
if run 0 phone-lamp ext107 2 flutter && run 0 phone-hook 107 headset offhook &&
   run 0 phone-display ext107 1 0 "Hi there" && run 0 phone-ring ext107 5 60 &&
   run 0 phone-button ext107 9 press && run 0 phone ext107 &&
   grep -q "^lamp 2: flutter$" "$DIR/out" && grep -q "^hook headset: offhook$" "$DIR/out" &&
   grep -q '^display 1: "Hi there ' "$DIR/out" && grep -q "^ring: pattern 5 volume 60$" "$DIR/out" &&
   grep -q "^last button: 9 pressed$" "$DIR/out" &&
   run 0 --json phone ext107 && json && python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
assert p["lamps"][2] == "flutter" and p["hook"]["headset"] == "offhook"
assert p["display"][1].startswith("Hi there") and p["ring_volume"] == 60
assert p["last_button"] == {"button": 9, "pressed": True}' "$DIR/out"; then
	ok "phone commands leave their state (text and --json)"
else
	notok "phone commands"
fi
if run 1 phone-lamp ext107 4 steady && grep -q "EINVAL" "$DIR/err" &&
   run 1 phone-display ext107 2 0 x && run 1 phone-button ext107 99; then
	ok "phone commands beyond the capabilities: EINVAL from ctid"
else
	notok "phone commands beyond the capabilities"
fi
usage "bad phone" "bad line 'ext999'" phone ext999
usage "hook device" "bad device 'foot'" phone-hook ext107 foot offhook
usage "hook mode" "bad mode 'up'" phone-hook ext107 handset up
usage "lamp mode" "bad mode 'blink'" phone-lamp ext107 1 blink
usage "ring volume" "bad volume 101" phone-ring ext107 1 101
usage "button action" "bad action 'hold'" phone-button ext107 1 hold
usage "phone arguments" "missing argument" phone-display ext107 0 0
# ---- live administration (issue 11): users, groups, grant, revoke,
# sessions, kick, reload, user-passwd; text and --json ----
# jq-like checks without jq: python3 EXPR over the JSON in $DIR/out
jcheck() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$DIR/out" "$1"
}
admin_accounts() {
	me=$(id -un)
	if run 0 users && grep -q "^$me  *yes" "$DIR/out" && run 0 --json users && json &&
	   jcheck "any(u['name'] == '$me' and u['admin'] and u['lines'] == '*' for u in d)"; then
		ok "users: text and --json"
	else
		notok "users"
	fi
	if run 0 groups && grep -q "^GROUP" "$DIR/out" && run 0 --json groups && jcheck "d == []"; then
		ok "groups: none yet"
	else
		notok "groups"
	fi
	if run 0 user-add bin && run 0 grant bin lines 1-3 && run 0 revoke bin lines 2 &&
	   run 0 grant bin pickup ext10* && run 0 --json users &&
	   jcheck "[u['lines'] for u in d if u['name'] == 'bin'] == ['1, 3']"; then
		ok "user-add, grant, revoke"
	else
		notok "user-add, grant, revoke"
	fi
	if run 0 group-add ops admin && run 0 grant --group ops members alice,bob &&
	   run 0 --json groups && jcheck "d[0]['name'] == 'ops' and d[0]['admin'] and d[0]['members'] == 'alice,bob'" &&
	   run 0 groups && grep -q "^ops  *yes.*alice,bob" "$DIR/out"; then
		ok "group-add, members"
	else
		notok "group-add, members"
	fi
	if run 1 revoke bin lines 7 && grep -q "not granted" "$DIR/err" &&
	   run 1 grant bin lines 5-2 && grep -q '"5-2"' "$DIR/err" &&
	   run 1 user-add bin && grep -q "exists" "$DIR/err" &&
	   run 1 grant --group nobody lines 1 && grep -q "no group nobody" "$DIR/err"; then
		ok "refusals say why: $(cat "$DIR/err")"
	else
		notok "refusals"
	fi
	usage "grant right" "unknown right 'colour'" grant bin colour 1
	usage "grant admin list" "admin takes no list" grant bin admin 1
	usage "user-add flag" "want 'admin'" user-add x root
	usage "kick id" "bad session id" kick xyz
	if grep -q "^\[user bin\]" "$DIR/ctid.state" && grep -q "GRANT user bin lines \"1-3\": ok" "$DIR/audit.log" &&
	   grep -q "refused (ENOENT)" "$DIR/audit.log"; then
		ok "state file and audit log written"
	else
		notok "state file and audit log: $(cat "$DIR/audit.log")"
	fi
	if run 0 user-del bin && run 0 group-del ops && run 0 --json users &&
	   jcheck "not any(u['name'] == 'bin' for u in d)" && run 0 --json groups && jcheck "d == []"; then
		ok "user-del, group-del"
	else
		notok "user-del, group-del"
	fi
}
admin_sessions() {
	"$T" monitor ext101 >"$DIR/mon.out" 2>&1 &
	MPID=$!
	i=0
	while [ $i -lt 50 ]; do
		run 0 --json sessions && jcheck "any(s['lines_open'] == 1 for s in d)" && break
		sleep 0.1
		i=$((i + 1))
	done
	id=$(python3 -c 'import json, sys; print([s["id"] for s in json.load(open(sys.argv[1])) if s["lines_open"] == 1][0])' "$DIR/out" 2>/dev/null)
	if [ -n "$id" ] && jcheck "all(s['attached'] and s['peer'].startswith('pid ') for s in d)" &&
	   run 0 sessions && grep -q "^$id .*attached" "$DIR/out"; then
		ok "sessions: text and --json"
	else
		notok "sessions"
	fi
	if [ -n "$id" ] && run 0 kick "$id" && ! (sleep 1; kill -0 $MPID 2>/dev/null) &&
	   run 0 --json sessions && jcheck "not any(s['id'] == '$id' for s in d)" &&
	   run 1 kick "$id" && grep -q "no session" "$DIR/err"; then
		ok "kick ends the monitor's session"
	else
		notok "kick"
	fi
	kill $MPID 2>/dev/null
	wait $MPID 2>/dev/null
}
admin_reload() {
	cp "$DIR/ctid.conf" "$DIR/ctid.conf.good"
	printf '[user broken\n' >>"$DIR/ctid.conf"
	n=$(wc -l <"$DIR/ctid.conf")
	if run 1 reload && grep -q "ctid.conf:$n: section header without" "$DIR/err" &&
	   run 0 lines; then
		ok "reload refuses a broken file with FILE:LINE: $(cat "$DIR/err")"
	else
		notok "reload of a broken file"
	fi
	cp "$DIR/ctid.conf.good" "$DIR/ctid.conf"
	if run 0 reload && run 0 --json reload && json; then
		ok "reload: text and --json"
	else
		notok "reload"
	fi
}
admin_passwd() {
	[ -f "$DIR/tls.conf" ] || return 0
	"$CTID" --foreground -c "$DIR/tls.conf" >"$DIR/tls2.log" 2>&1 &
	TPID=$!
	i=0
	while [ ! -S "$DIR/tls.sock" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if printf 'carol-pw\n' | timeout 20 "$T" -u "$U&cert=$P/alice.crt&key=$P/alice.key" \
		user-passwd carol >"$DIR/out" 2>"$DIR/err" &&
	   grep -q '^carol:\$y\$' "$DIR/pki/users" && grep -q '^bob:\$y\$' "$DIR/pki/users" &&
	   CTI_TLS_PASSWORD=carol-pw run 1 -u "$U&user=carol" users && grep -q "EACCES" "$DIR/err" &&
	   printf 'bob-new\n' | CTI_TLS_PASSWORD=bob-pw run 1 -u "$U&user=bob" user-passwd bob &&
	   grep -q "administrators only" "$DIR/err" &&
	   grep -q "user alice (uid [0-9]*) tls 127.0.0.1.*SET_PASSWORD user carol: ok" "$DIR/tls.audit" &&
	   grep -q "user bob (uid [0-9]*) tls .*SET_PASSWORD user bob: refused (EACCES)" "$DIR/tls.audit"; then
		ok "user-passwd: ctid writes the hash, the user logs in with it"
	else
		notok "user-passwd"
	fi
	kill "$TPID" 2>/dev/null
	wait "$TPID" 2>/dev/null
}
admin_accounts
admin_sessions
admin_reload
admin_passwd

kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
if [ $fail -ne 0 ]; then
	sed 's/^/#   ctid: /' "$DIR/ctid.log"
fi
echo "$pass passed, $fail failed"
rm -rf "$DIR"
[ $fail -eq 0 ]
