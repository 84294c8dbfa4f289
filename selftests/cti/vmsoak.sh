#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make vmsoak`, inside the guest: the soak's kernel variant (tests/soak,
# soak -K). cti.ko and cti_sim.ko are loaded (the payload's `modules`
# file); the soak makes a cti_sim card through configfs, runs ctid with
# the kcard provider over it, and for SOAK_DURATION seconds (the kernel
# command line: CTI_SOAK_DURATION, default 60) mixes calls, monitors and a
# slow reader with ctid killed and restarted, kcard reloaded and the card
# unplugged and plugged again every few seconds; every event and request
# is accounted on the client side. TAP: ok 1 when every rule held.
D=$(cd "$(dirname "$0")" && pwd)
E2E=$D/e2e
. "$E2E/env.sh"
mounted() { grep -q " $1 " /proc/mounts 2>/dev/null; }
mounted /sys/kernel/config ||
	mount -t configfs configfs /sys/kernel/config 2>/dev/null
export CTID=$E2E/bin/ctid CTI_PROVIDER_DIR=$E2E/providers
echo "1..1"
dur=${CTI_SOAK_DURATION:-60}
args=$(echo "${CTI_SOAK_ARGS:-}" | tr ',' ' ')
# shellcheck disable=SC2086 # the arguments are words
if soak -K -d "$dur" $args > /tmp/soak.log 2>&1; then ok=1; else ok=0; fi
grep -E 'RULE|^soak:|progress' /tmp/soak.log | sed 's/^/# /'
[ $ok = 1 ] || { tail -n 40 /tmp/soak.log | sed 's/^/# log: /'; }
if [ $ok = 1 ]; then echo "ok 1 vmsoak"; else echo "not ok 1 vmsoak"; fi
