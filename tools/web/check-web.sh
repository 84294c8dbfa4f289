#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-web.sh - the web console and /metrics against a private ctid:
#
#   1. ctid (sim, TLS, password users) and ctiweb, set up by demo-setup.sh
#   2. the console in headless Chromium (test/console_test.py): log in,
#      a wrong password, a call of examples/dial appearing and ending, a
#      non-admin's drop refused by ctid, an admin's done; the screenshot
#      stays at BUILD/tools/web/console.png
#   3. /metrics: refused without a login and to a non-admin, accepted by
#      `promtool check metrics`, then scraped by a real Prometheus server
#      that is asked back through its HTTP API
#
#   check-web.sh BUILD [CTIWEB]
#
# CTIWEB: the ctiweb to test (default BUILD/tools/web/ctiweb; the check's
# second pass gives the one built with ASan and UBSan); it must exit 0 on
# SIGTERM at the end, with no sanitizer report.
#
# Prints "ok"/"FAIL" per check and "N passed, N failed"; fails if any did.
set -u

B=$(cd "$1" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$B/tools/web
CTIWEB=${2:-$W/ctiweb}
DIR=$W/check
PY=/usr/bin/python3	# Debian's, which has python3-selenium
export CTIWEB_ADMIN_PW=check-admin-pw CTIWEB_AGENT_PW=check-agent-pw
pass=0 fail=0 pids=

ok() { echo "ok $1"; pass=$((pass + 1)); }
notok() { echo "FAIL $1"; fail=$((fail + 1)); }
WEB_PID=
cleanup() {
	for p in $WEB_PID $pids; do kill "$p" 2>/dev/null; done
	for p in $WEB_PID $pids; do wait "$p" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

for t in chromium chromedriver promtool prometheus curl openssl; do
	command -v $t >/dev/null || { echo "FAIL: $t is missing (tools/web/debian-packages)"; exit 1; }
done
$PY -c 'import selenium' 2>/dev/null || { echo "FAIL: python3-selenium is missing"; exit 1; }

# three loopback ports nobody listens on now
set -- $($PY -c 'import socket
ss = [socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
CTID_PORT=$1 WEB_PORT=$2 PROM_PORT=$3
URL=https://127.0.0.1:$WEB_PORT
rm -rf "$DIR"
"$TOP/tools/web/demo-setup.sh" "$B" "$DIR" "$CTID_PORT" || { echo "FAIL: demo-setup.sh"; exit 1; }
CA=$DIR/pki/ca.crt

wait_log() {	# FILE TEXT: up to 15 s
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 150 ] || return 1; sleep 0.1
	done
}

"$B/daemon/ctid" -c "$DIR/ctid.conf" --foreground >"$DIR/ctid.log" 2>&1 &
pids="$pids $!"
wait_log "$DIR/ctid.log" "listening on tls" || { cat "$DIR/ctid.log"; echo "FAIL: ctid did not start"; exit 1; }
"$CTIWEB" --ctid "tls://127.0.0.1:$CTID_PORT?ca=$CA" --cert "$DIR/pki/srv.crt" \
	--key "$DIR/pki/srv.key" --listen 127.0.0.1 --port "$WEB_PORT" >"$DIR/web.log" 2>&1 &
WEB_PID=$!
wait_log "$DIR/web.log" "serving" || { cat "$DIR/web.log"; echo "FAIL: ctiweb did not start"; exit 1; }

# ---- the console in Chromium ----
rm -f "$W/console.png"
$PY "$TOP/tools/web/test/console_test.py" "$URL/" "$B" "$DIR/ctid.sock" "$W/console.png" \
	>"$DIR/browser.out" 2>&1
sed -n 's/^\(ok\|FAIL\) /browser: &/p' "$DIR/browser.out" | sed 's/^browser: \(ok\|FAIL\) /\1 browser: /'
pass=$((pass + $(grep -c '^ok ' "$DIR/browser.out")))
n=$(grep -c '^FAIL ' "$DIR/browser.out")
fail=$((fail + n))
grep -q ' passed, ' "$DIR/browser.out" || { tail -20 "$DIR/browser.out"; notok "browser: the test did not finish"; }
[ -s "$W/console.png" ] && ok "browser: screenshot at $W/console.png" || notok "browser: no screenshot"

# ---- /metrics ----
C="curl -s --cacert $CA -o $DIR/metrics.txt -w %{http_code}"
[ "$($C "$URL/metrics")" = 401 ] && ok "metrics: no login: 401" || notok "metrics: no login"
[ "$($C -u agent:$CTIWEB_AGENT_PW "$URL/metrics")" = 403 ] &&
	ok "metrics: a non-admin: 403 from ctid" || notok "metrics: a non-admin"
if [ "$($C -u admin:$CTIWEB_ADMIN_PW "$URL/metrics")" = 200 ] &&
   grep -q '^cti_lines 8$' "$DIR/metrics.txt" &&
   grep -q '^cti_provider_up{provider="sim",link=""} 1$' "$DIR/metrics.txt"; then
	ok "metrics: an admin gets them"
else
	notok "metrics: an admin"; cat "$DIR/metrics.txt"
fi
if promtool check metrics <"$DIR/metrics.txt" >"$DIR/promtool.out" 2>&1; then
	ok "metrics: promtool check metrics"
else
	notok "metrics: promtool check metrics"; cat "$DIR/promtool.out"
fi

# ---- a real Prometheus scrapes it ----
printf '%s' "$CTIWEB_ADMIN_PW" >"$DIR/prom.pw"
cat >"$DIR/prometheus.yml" <<EOC
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: ctiweb
    scheme: https
    basic_auth:
      username: admin
      password_file: $DIR/prom.pw
    tls_config:
      ca_file: $CA
    static_configs:
      - targets: ["127.0.0.1:$WEB_PORT"]
EOC
prometheus --config.file="$DIR/prometheus.yml" --storage.tsdb.path="$DIR/tsdb" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$DIR/prometheus.log" 2>&1 &
pids="$pids $!"
query() {	# PROMQL: the first value, or nothing
	curl -s "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" |
		$PY -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2>/dev/null
}
i=0 lines= up=
while [ $i -lt 60 ]; do
	up=$(query 'up{job="ctiweb"}') lines=$(query 'cti_lines')
	[ "$up" = 1 ] && [ "$lines" = 8 ] && break
	i=$((i + 1)); sleep 0.5
done
if [ "$up" = 1 ] && [ "$lines" = 8 ] && [ "$(query 'cti_providers{state="up"}')" = 1 ]; then
	ok "prometheus: scraped ctiweb (up 1, cti_lines 8)"
else
	notok "prometheus: up='$up' cti_lines='$lines'"; tail -5 "$DIR/prometheus.log"
fi

# ---- bad requests: each refused with its own status and reason ----
R="curl -s --cacert $CA -o $DIR/bad.txt -w %{http_code}"
JT=Content-Type:application/json
bad() {	# NAME WANT-STATUS WANT-TEXT CURL-ARGS...
	name=$1 want=$2 text=$3
	shift 3
	got=$($R "$@")
	if [ "$got" = "$want" ] && grep -q -- "$text" "$DIR/bad.txt"; then
		ok "bad request: $name: $want"
	else
		notok "bad request: $name: got $got, wanted $want ($text)"; cat "$DIR/bad.txt"
	fi
}
bad "not JSON" 415 "send application/json" -d 'user=admin' "$URL/api/login"
bad "broken JSON" 400 "not a JSON object" -H $JT -d '{"user":' "$URL/api/login"
bad "no password" 400 "send" -H $JT -d '{"user":"admin"}' "$URL/api/login"
bad "a user name that is not one" 400 "a user name is" -H $JT \
	-d '{"user":"a&b=c","password":"x"}' "$URL/api/login"
head -c 9000 /dev/zero | tr '\0' 'x' >"$DIR/big.json"
bad "a body too large" 413 "too large" -H $JT --data-binary @"$DIR/big.json" "$URL/api/login"
bad "an action without a login" 401 "log in first" -H $JT -d '{"action":"drop"}' \
	"$URL/api/action"
bad "the board without a login" 401 "log in first" "$URL/api/board"
bad "no such page" 404 "no such page" "$URL/nosuch"
bad "PUT" 405 "GET or POST only" -X PUT "$URL/"
$R -c "$DIR/jar" -H $JT -d "{\"user\":\"admin\",\"password\":\"$CTIWEB_ADMIN_PW\"}" \
	"$URL/api/login" >/dev/null
bad "a line that is not a number" 400 'must be a number' -b "$DIR/jar" -H $JT \
	-d '{"action":"drop","line":"x","call":1}' "$URL/api/action"
bad "no such call" 404 "no call 999 on line 1" -b "$DIR/jar" -H $JT \
	-d '{"action":"drop","line":1,"call":999}' "$URL/api/action"
bad "no such action" 400 'no action' -b "$DIR/jar" -H $JT -d '{"action":"format"}' \
	"$URL/api/action"
bad "a grant of no such privilege" 400 'must be .*owner.* or .*monitor' -b "$DIR/jar" \
	-H $JT -d '{"action":"grant","user":"agent","line":"1","privilege":"root"}' "$URL/api/action"
bad "a grant without a line" 400 'line.* must be a string' -b "$DIR/jar" -H $JT \
	-d '{"action":"grant","user":"agent","privilege":"owner"}' "$URL/api/action"
bad "a grant to no such user" 404 "ctid refused: No such file" -b "$DIR/jar" -H $JT \
	-d '{"action":"grant","user":"nosuch","line":"1","privilege":"owner"}' "$URL/api/action"
bad "end a session that is no id" 400 'must be a session id' -b "$DIR/jar" -H $JT \
	-d '{"action":"end_session","session":"12x"}' "$URL/api/action"
bad "end no such session" 404 "ctid refused: No such file" -b "$DIR/jar" -H $JT \
	-d '{"action":"end_session","session":"0123456789abcdef"}' "$URL/api/action"
$R -b "$DIR/jar" -H $JT -d '{}' "$URL/api/logout" >/dev/null
bad "the board after logout" 401 "log in first" -b "$DIR/jar" "$URL/api/board"

# ---- failed logins, after the scrape: they may lock this address out ----
[ "$($C -u admin:wrong "$URL/metrics")" = 401 ] && ok "metrics: a wrong password: 401" ||
	notok "metrics: a wrong password"
# ctiweb's own limit per browser address (3 a minute) comes before ctid's
# per-address one, which every console login shares; the failures above
# may already count, so try until refused
J="curl -s --cacert $CA -o $DIR/login.txt -w %{http_code} -H Content-Type:application/json"
i=0 code=
while [ $i -lt 4 ] && [ "$code" != 429 ]; do
	code=$($J -d '{"user":"admin","password":"wrong"}' "$URL/api/login")
	i=$((i + 1))
done
if [ "$code" = 429 ] &&
   [ "$($J -d "{\"user\":\"admin\",\"password\":\"$CTIWEB_ADMIN_PW\"}" "$URL/api/login")" = 429 ] &&
   grep -q "too many failed logins from this address" "$DIR/login.txt"; then
	ok "login: refused for a while after failures, even the right password"
else
	notok "login: no limit on failures ($code)"; cat "$DIR/login.txt"
fi

# ---- ctiweb ends cleanly: its logins closed, nothing leaked ----
kill -TERM $WEB_PID
wait $WEB_PID
rc=$?
WEB_PID=
if [ $rc = 0 ] && ! grep -q -E 'Sanitizer|runtime error' "$DIR/web.log"; then
	ok "ctiweb: exits 0 on SIGTERM, no sanitizer report"
else
	notok "ctiweb: exit status $rc"; tail -30 "$DIR/web.log"
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
