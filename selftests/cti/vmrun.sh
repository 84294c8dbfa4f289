#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make vmrun`, inside the guest: the kernel path's `make run`. cti.ko and
# cti_sim.ko are loaded (the payload's `modules` file); this makes a
# cti_sim card through configfs, starts ctid with the kcard provider, and
# shows `ctictl lines` and examples/dial against the card's lines.
# Output is TAP (ok 1 when dial completed), for scripts/vm-run.
D=$(cd "$(dirname "$0")" && pwd)
E2E=$D/e2e
. "$E2E/env.sh"
echo "1..1"
card=/sys/kernel/config/cti_sim/pbx1
fail() { echo "not ok 1 vmrun # $*"; cat /tmp/ctid.log 2>/dev/null | sed 's/^/# ctid: /'; exit 1; }

mkdir "$card" || fail "mkdir $card"
echo 4 > "$card/num_lines" && echo 4 > "$card/num_phones" &&
	echo 1 > "$card/live" || fail "cannot make the card live"
echo "# card pbx1 is /dev/$(cat "$card/dev_name")"

mkdir -p /run/ctid
cat > /tmp/ctid.conf <<CONF
[server]
socket = /run/ctid/ctid.sock
socket_mode = 0600
[provider kc]
so = kcard
[user root]
lines = *
admin = yes
CONF
ctid -c /tmp/ctid.conf --foreground > /tmp/ctid.log 2>&1 &
ctid_pid=$!
export CTI_URI=unix:/run/ctid/ctid.sock
i=0
until ctictl lines 2>/dev/null | grep -q pbx1; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "ctid did not show the card's lines"
	sleep 0.1
done
echo "\$ ctictl cards"
ctictl cards
echo "\$ ctictl lines"
ctictl lines
echo "\$ dial"
if timeout 30 dial; then ok=1; else ok=0; fi
echo "\$ ctictl lines"
ctictl lines
kill "$ctid_pid"; wait "$ctid_pid"
sed 's/^/# ctid: /' /tmp/ctid.log
[ $ok = 1 ] || fail "dial failed"
echo "ok 1 vmrun"
