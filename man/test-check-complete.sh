#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# test-check-complete.sh TOP - check-complete.sh must fail, naming the
# culprit, when a source gains a name no page documents: a libcti symbol,
# a daemon key, a provider key, a ctictl command, a program's long
# option, an ioctl. Each case runs
# on a copy of the sources it reads, with one undocumented name added.
set -u
top=${1:?usage: test-check-complete.sh TOP}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

copy() {
	rm -rf "$tmp/t"
	mkdir -p "$tmp/t"
	(cd "$top" && tar cf - lib/libcti.map daemon/config*.c \
		providers/*/*config*.c tools/*.c tools/web/main.c \
		daemon/main.c uapi/linux/cti.h man/*.scd \
		man/check-complete.sh) | (cd "$tmp/t" && tar xf -)
}

# $1 case name, $2 the message expected, then the edit as a command
expect_fail() {
	name=$1 want=$2
	shift 2
	copy
	(cd "$tmp/t" && eval "$*")
	if out=$(sh "$tmp/t/man/check-complete.sh" "$tmp/t" 2>&1); then
		echo "FAIL: $name: check-complete passed"
		fail=$((fail + 1))
	elif ! printf '%s' "$out" | grep -qF "$want"; then
		printf '%s\n' "$out"
		echo "FAIL: $name: no message naming \"$want\""
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

copy
if sh "$tmp/t/man/check-complete.sh" "$tmp/t" >/dev/null 2>&1; then
	pass=$((pass + 1))
else
	echo "FAIL: the unchanged copy does not pass"
	fail=$((fail + 1))
fi
expect_fail symbol "cti_undocumented_fn" \
	"printf 'CTI_99 {\nglobal:\n\tcti_undocumented_fn;\n} CTI_5;\n' >> lib/libcti.map"
expect_fail daemon-key '"undocumented_key"' \
	"printf 'int x(const char *key){return !strcmp(key, \"undocumented_key\");}\n' > daemon/config_x.c"
expect_fail daemon-dump-key '"dumped_only_key"' \
	"printf 'void d(FILE *f){fprintf(f,\n\t\"x = 1\\\\ndumped_only_key = %%u\\\\n\", 1);}\n' > daemon/config_y.c"
expect_fail provider-key '"undocumented_sim_key" of provider sim' \
	"printf 'int x(const char *k){return !strcmp(k, \"undocumented_sim_key\");}\n' >> providers/sim/sim_config.c"
expect_fail provider '"## The newprov provider (so = newprov)"' \
	"mkdir providers/newprov && printf 'int x(const char *k){return !strcmp(k, \"x\");}\n' > providers/newprov/np_config.c"
expect_fail ctictl-command '"kickall"' \
	"printf 'const struct ctl_cmd ctl_x_cmds[] = {\n\t{ \"kickall\", \"\", \"x\", f },\n\t{ }\n};\n' > tools/cmd_x.c"
expect_fail option '"--undocumented-opt"' \
	"printf 'static const struct option o[] = {\n\t{ \"undocumented-opt\", no_argument, NULL, 1 },\n};\n' >> tools/web/main.c"
expect_fail ioctl "CTI_IOC_UNDOCUMENTED" \
	"printf '#define CTI_IOC_UNDOCUMENTED\t_IO(CTI_IOCTL_MAGIC, 0x7f)\n' >> uapi/linux/cti.h"
expect_fail xref "cti_nopage(3)" \
	"printf '\\n*cti_nopage*(3)\\n' >> man/libcti.3.scd"
echo "man: test-check-complete: $pass passed, $fail failed"
[ $fail = 0 ]
