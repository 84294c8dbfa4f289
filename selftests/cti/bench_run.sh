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
# The last lines are "# ring_bench exit=N" (the top-level `make bench`
# wraps this script and turns that line into a TAP verdict for vm-run)
# and "# END-OF-CTI-BENCH"; the exit status is ring_bench's.
"$D/ring_bench" "$@"
rc=$?
echo "# ring_bench exit=$rc"
echo "# END-OF-CTI-BENCH"
exit $rc
