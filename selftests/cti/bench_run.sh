#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the ring benchmark inside the guest: load the modules from the
# payload directory (as run does) and run ring_bench once; its figures are
# only meaningful as ratios within this one boot.
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
mounted /sys/kernel/debug ||
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
grep -q '^cti ' /proc/modules || insmod "$D/cti.ko"
grep -q '^cti_sim ' /proc/modules || insmod "$D/cti_sim.ko"
# Each benchmark ends with "# NAME exit=N" (the top-level `make bench`
# wraps this script and turns those lines into TAP verdicts for vm-run),
# the last line is "# END-OF-CTI-BENCH"; the exit status is non-zero when
# one failed. kcard_bench runs when the payload has it and ctid's e2e/
# directory (CTI_BENCH="ring" runs ring_bench alone).
"$D/ring_bench" "$@"
rc=$?
echo "# ring_bench exit=$rc"
if [ "${CTI_BENCH:-all}" = all ] && [ -x "$D/kcard_bench" ] && [ -d "$D/e2e" ]; then
	"$D/kcard_bench"
	kc=$?
	echo "# kcard_bench exit=$kc"
	[ $kc = 0 ] || rc=$kc
fi
echo "# END-OF-CTI-BENCH"
exit $rc
