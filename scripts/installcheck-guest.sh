#!/bin/sh
# The install test inside the guest (scripts/installcheck copies it to
# the share as /out/guest.sh; installcheck.service runs it after boot and
# powers off).  Each step prints "ok N NAME (Ts)" or "not ok N NAME (Ts)"
# followed by what it saw; the host judges.  The guest has no network:
# apt installs the .debs from /out/debs against what is preinstalled.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive
D=/out
n=0
# the step being run writes here: the host can follow a slow step
log=$D/step.log
card=/sys/kernel/config/cti_sim/pbx1
boot_kver=$(cat $D/boot-kernel)

now() { cut -d' ' -f1 /proc/uptime; }
# step NAME FUNCTION: run it, time it, print its verdict and, on failure,
# the last lines of what it wrote.
step() {
	n=$((n + 1))
	t0=$(now)
	if "$2" > $log 2>&1; then r=ok; else r="not ok"; fi
	dt=$(echo "$(now) $t0" | awk '{ printf "%.1f", $1 - $2 }')
	echo "$r $n $1 (${dt}s)"
	if [ "$r" = ok ]; then sed -n 's/^INFO: /# /p' $log; else tail -n 25 $log | sed 's/^/#   /'; fi
}
# retry SECONDS COMMAND...: until it succeeds, every 0.2 s
retry() {
	t=$(( $1 * 5 ))
	shift
	while ! "$@" 2>/dev/null; do
		t=$((t - 1))
		[ $t -gt 0 ] || return 1
		sleep 0.2
	done
}

install_debs() {
	apt-get install -y $D/debs/*.deb
}

# DKMS built and installed the three modules for every kernel with headers
# (the booted 6.1 and 6.12).
dkms_built() {
	dkms status cti
	rc=0
	for k in $(cat $D/kernels); do
		for m in cti cti_sim cti_serial; do
			f=$(ls /lib/modules/$k/updates/dkms/$m.ko* 2>/dev/null | head -n1)
			if [ -n "$f" ]; then echo "INFO: $k: $f"; else echo "$k: no $m.ko"; rc=1; fi
		done
		dkms status cti -k "$k" | grep -q installed || { echo "$k: dkms says not installed"; rc=1; }
	done
	return $rc
}

card_live() { [ "$(cat $card/live 2>/dev/null)" = 1 ] && [ -c /dev/cti0 ]; }
udev_done() { [ "$(stat -c '%G %a' /dev/cti0)" = "cti 660" ]; }
# modprobe cti_sim (cti.ko comes with it), a card through configfs:
# /dev/cti0 is the group cti's, mode 0660, and systemd sees it.
sim_card() {
	modprobe cti_sim || return 1
	lsmod | grep -E '^cti(_sim)? '
	mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
	mkdir $card && echo 4 > $card/num_lines && echo 4 > $card/num_phones &&
		echo 1 > $card/live || return 1
	retry 10 card_live || { echo "no /dev/cti0"; return 1; }
	udevadm settle
	retry 10 udev_done || { ls -l /dev/cti0; return 1; }
	echo "INFO: $(ls -l /dev/cti0)"
	udevadm info /dev/cti0 | grep -q 'TAGS=.*:systemd:' || { udevadm info /dev/cti0; return 1; }
	systemctl is-active dev-cti0.device
}

# Through sd_notify: Type=notify, and the status text only ctid's
# READY=1 message sets.
ctid_started() {
	systemctl stop ctid
	systemctl start ctid || { journalctl -u ctid --no-pager | tail -n 20; return 1; }
	systemctl status ctid --no-pager | grep -q 'Active: active (running)' || return 1
	systemctl show ctid -p Type -p NotifyAccess -p StatusText -p MainPID -p User
	[ "$(systemctl show ctid -p Type --value)" = notify ] || return 1
	st=$(systemctl show ctid -p StatusText --value)
	echo "INFO: $st"
	case $st in "listening on unix:/run/ctid/ctid.sock"*) ;; *) return 1 ;; esac
	ps -o user= -p "$(systemctl show ctid -p MainPID --value)" | grep -qx ctid
}

has_card_lines() { runuser -u alice -- ctictl lines | grep -q pbx1; }
# A member of cti sees the card's lines; a user outside cti cannot connect.
ctictl_member() {
	useradd -m -G cti alice && useradd -m bob || return 1
	retry 15 has_card_lines || { runuser -u alice -- ctictl lines; journalctl -u ctid --no-pager | tail; return 1; }
	runuser -u alice -- ctictl lines | sed 's/^/INFO: /'
	if runuser -u bob -- ctictl lines; then echo "bob is not in cti but connected"; return 1; fi
	return 0
}

no_card_lines() { ! runuser -u alice -- ctictl lines | grep -q pbx1; }
# systemctl reload: SIGHUP, ctid re-reads the access rules; the group cti
# loses the lines, alice sees none, the service stays up with the same pid.
reload_applies() {
	pid=$(systemctl show ctid -p MainPID --value)
	sed -i '/^\[group cti\]/,$ s/^lines = \*/lines = nosuch\/*/' /etc/cti/ctid.conf
	grep -A1 '^\[group cti\]' /etc/cti/ctid.conf
	systemctl reload ctid || return 1
	retry 10 no_card_lines || { runuser -u alice -- ctictl lines; return 1; }
	[ "$(systemctl show ctid -p MainPID --value)" = "$pid" ] || { echo "ctid restarted"; return 1; }
	systemctl is-active ctid && journalctl -u ctid --no-pager | grep 'SIGHUP' | tail -n 2
}

our_packages() { dpkg-query -W -f '${Package}\n' 'cti*' 'libcti*' 'python3-cti' 2>/dev/null; }
# apt remove: no module file, no unit, no user or group; the configuration
# stays (a conffile) until purge.
removed() {
	rmmod cti_sim cti 2>/dev/null
	pk=$(our_packages)
	[ -n "$pk" ] || { echo "no package of ours to remove"; return 1; }
	apt-get remove -y $pk || return 1
	rc=0
	left=$(find /lib/modules -name 'cti*.ko*')
	[ -z "$left" ] || { echo "modules left: $left"; rc=1; }
	[ -z "$(dkms status cti)" ] || { dkms status cti; rc=1; }
	[ ! -e /lib/systemd/system/ctid.service ] || { echo "unit left"; rc=1; }
	systemctl is-active ctid && { echo "ctid still active"; rc=1; }
	getent group cti && { echo "group cti left"; rc=1; }
	getent passwd ctid && { echo "user ctid left"; rc=1; }
	[ -f /etc/cti/ctid.conf ] || { echo "remove took the configuration"; rc=1; }
	return $rc
}

purged() {
	pk=$(our_packages)
	[ -n "$pk" ] || { echo "no package of ours to purge"; return 1; }
	apt-get purge -y $pk || return 1
	rc=0
	[ ! -e /etc/cti ] || { ls -la /etc/cti; rc=1; }
	left=$(find /etc/systemd /lib/systemd /etc/udev /lib/udev /usr/lib/sysusers.d \
		-name '*ctid*' -o -name '*cti-dkms*' -o -name '60-cti*' 2>/dev/null)
	[ -z "$left" ] || { echo "left: $left"; rc=1; }
	[ -z "$(dpkg -l | awk '$2 ~ /^(cti|libcti|ctid|python3-cti)/')" ] || { dpkg -l | grep cti; rc=1; }
	return $rc
}

echo "installcheck-guest: booted $(uname -r) in $(now)s; $(ls $D/debs | wc -l) packages"
step "apt install of the packages" install_debs
step "DKMS built the modules for $(tr '\n' ' ' < $D/kernels)" dkms_built
step "modprobe cti_sim and a configfs card: /dev/cti0 group cti mode 0660" sim_card
step "systemctl start ctid: active (running) through sd_notify" ctid_started
step "ctictl lines as a member of cti" ctictl_member
step "systemctl reload ctid applies a config change" reload_applies
step "apt remove leaves no module, unit, user or group" removed
step "apt purge removes the configuration" purged
echo "installcheck-guest: end after $(now)s of uptime"
