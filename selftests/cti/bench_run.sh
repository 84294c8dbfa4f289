#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the ring benchmark inside the guest: load the modules from the
# payload directory (as run does) and run ring_bench once; its figures are
# only meaningful as ratios within this one boot. Prints one TAP result
# with the figures as comments, then "# END-OF-CTI-BENCH".
D=$(cd "$(dirname "$0")" && pwd)
export PATH="$D:$PATH:/bin:/sbin:/usr/bin:/usr/sbin"
mounted() { grep -q " $1 " /proc/mounts 2>/dev/null; }
[ -e /proc/self ] || mount -t proc proc /proc
mounted /sys || mount -t sysfs sysfs /sys
mounted /dev || mount -t devtmpfs devtmpfs /dev 2>/dev/null
if ! grep -q configfs /proc/filesystems; then
	for m in "$D/configfs.ko" \
		 /lib/modules/"$(uname -r)"/kernel/fs/configfs/configfs.ko*; do
		[ -e "$m" ] && insmod "$m" && break
	done
fi
mounted /sys/kernel/config ||
	mount -t configfs configfs /sys/kernel/config 2>/dev/null
grep -q '^cti ' /proc/modules || insmod "$D/cti.ko"
grep -q '^cti_sim ' /proc/modules || insmod "$D/cti_sim.ko"
# One TAP result, so that a runner that judges TAP (scripts/vm-run) can
# tell a benchmark that ran from one that did not; the figures are
# comments.
echo "TAP version 13"
echo "1..1"
rm -f /tmp/bench_rc
{ "$D/ring_bench" "$@" 2>&1; echo $? > /tmp/bench_rc; } | sed -e 's/^/# /'
rc=$(cat /tmp/bench_rc 2>/dev/null || echo 1)
if [ "$rc" = 0 ]; then
	echo "ok 1 ring_bench"
else
	echo "not ok 1 ring_bench # exit=$rc"
fi
echo "# END-OF-CTI-BENCH"
[ "$rc" = 0 ]
