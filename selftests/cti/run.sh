#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the cti selftests inside the guest (busybox sh) as one TAP stream,
# the way kselftest's runner does: a top-level plan, then per test binary
# its own TAP output indented as "# " comments and one "ok N name" or
# "not ok N name" line, and last "# END-OF-CTI-SELFTESTS".
#
# Payload layout (the directory this script is in, /cti in the guest):
#   run, the test binaries, cti.ko, cti_sim.ko, and optionally configfs.ko
#   (Debian builds configfs as a module; otherwise it is taken from
#   /lib/modules/$(uname -r) if the guest has that tree).
# Environment: CTI_TEST_TIMEOUT (seconds per binary, default 600),
# CTI_TESTS (a subset of the tests, in order; spaces or commas between
# them, commas for the kernel command line, which ends a value at a space).

D=$(cd "$(dirname "$0")" && pwd)
TESTS=$(echo "${CTI_TESTS:-"@TESTS@"}" | tr ',' ' ')
TIMEOUT=${CTI_TEST_TIMEOUT:-600}
export CTI_SIM_KO="$D/cti_sim.ko" CTI_KO="$D/cti.ko"
export PATH="$D:$PATH:/bin:/sbin:/usr/bin:/usr/sbin"

mounted() { grep -q " $1 " /proc/mounts 2>/dev/null; }

[ -e /proc/self ] || mount -t proc proc /proc
mounted /sys || mount -t sysfs sysfs /sys
mounted /dev || mount -t devtmpfs devtmpfs /dev 2>/dev/null

# configfs may be a module; load it before cti_sim, which needs it.
if ! grep -q configfs /proc/filesystems; then
	for m in "$D/configfs.ko" \
		 /lib/modules/"$(uname -r)"/kernel/fs/configfs/configfs.ko*; do
		[ -e "$m" ] && insmod "$m" && break
	done
	grep -q configfs /proc/filesystems || modprobe configfs 2>/dev/null
fi
mounted /sys/kernel/config ||
	mount -t configfs configfs /sys/kernel/config 2>/dev/null
# cti_sim's run-time actions and fault knobs are in debugfs.
mounted /sys/kernel/debug ||
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

setup_err=
grep -q '^cti ' /proc/modules || insmod "$CTI_KO" || setup_err="insmod cti.ko"
grep -q '^cti_sim ' /proc/modules || insmod "$CTI_SIM_KO" ||
	setup_err="${setup_err:+$setup_err, }insmod cti_sim.ko"

set -- $TESTS
echo "TAP version 13"
echo "1..$#"
n=0
failed=0
for t in "$@"; do
	n=$((n + 1))
	echo "# selftests: cti: $t"
	if [ -n "$setup_err" ]; then
		echo "not ok $n selftests: cti: $t # $setup_err failed"
		failed=$((failed + 1))
		continue
	fi
	if [ ! -x "$D/$t" ]; then
		echo "not ok $n selftests: cti: $t # missing binary"
		failed=$((failed + 1))
		continue
	fi
	rm -f /tmp/cti_rc
	# Stream the output as it comes (a hang still shows how far it got);
	# the exit status travels through a file, since the pipe eats it.
	{ timeout "$TIMEOUT" "$D/$t" 2>&1; echo $? > /tmp/cti_rc; } |
		sed -e 's/^/# /'
	rc=$(cat /tmp/cti_rc 2>/dev/null || echo 1)
	case $rc in
	0)	echo "ok $n selftests: cti: $t" ;;
	4)	echo "ok $n selftests: cti: $t # SKIP" ;;
	124|143) echo "not ok $n selftests: cti: $t # TIMEOUT $TIMEOUT seconds"
		failed=$((failed + 1)) ;;
	*)	echo "not ok $n selftests: cti: $t # exit=$rc"
		failed=$((failed + 1)) ;;
	esac
done
echo "# END-OF-CTI-SELFTESTS"
# Like kselftest's runner: the status says whether everything passed.
[ $failed = 0 ]
