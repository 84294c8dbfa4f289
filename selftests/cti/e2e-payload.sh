#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Put ctid, the kcard provider, ctictl, examples/dial and the shared
# libraries they need into OUT, for the guest (which has no shared
# libraries of its own: busybox-static and static test programs).
#
# Usage: e2e-payload.sh BUILD OUT
#   BUILD  the build tree holding daemon/ctid, providers/kcard.so,
#          lib/libcti.so.1, tools/ctictl, examples/dial
#   OUT    made afresh: bin/ (ctid, ctictl, dial), providers/kcard.so
#          (ctid looks in its own ../providers), lib/ (every library ldd
#          names, and the dynamic loader)
#
# In the guest, $OUT/env.sh puts the loader where the binaries' ELF
# interpreter path says (/lib64/ld-linux-x86-64.so.2), sets
# LD_LIBRARY_PATH and writes a minimal /etc/passwd and /etc/group (ctid
# looks up the users of its configuration): the binaries run unchanged. This costs about 2.5 MB
# (1 MB compressed) of initramfs: about 0.1 s of boot.
set -euo pipefail
build=$1 out=$2
rm -rf "$out"
mkdir -p "$out/bin" "$out/lib" "$out/providers"
cp "$build/daemon/ctid" "$build/tools/ctictl" "$build/examples/dial" "$out/bin/"
# textlink too: kcard_e2e runs it over a link card; sim: kcard_bench's
# userspace path
cp "$build/providers/kcard.so" "$build/providers/textlink.so" \
	"$build/providers/sim.so" "$out/providers/"
# libcti: by its soname, as the programs ask for it
cp -L "$build/lib/libcti.so.1" "$out/lib/"
interp=
for f in "$out"/bin/* "$out"/providers/*.so "$out/lib/libcti.so.1"; do
	while read -r name arrow path _; do
		case $name in
		*ld-linux*) interp=$name; cp -L "$name" "$out/lib/" ;;
		esac
		[ "$arrow" = "=>" ] || continue
		[ -e "$path" ] || continue
		case $name in libcti.so*) continue ;; esac
		cp -L "$path" "$out/lib/$name"
	done < <(LD_LIBRARY_PATH="$build/lib" ldd "$f" | sed 's/^\s*//')
done
[ -n "$interp" ] || { echo "e2e-payload: no dynamic loader found" >&2; exit 1; }
cat > "$out/env.sh" <<ENV
# Sourced in the guest with E2E set to where this directory is (default
# /cti/e2e): the loader and the libraries.
E2E=\${E2E:-/cti/e2e}


mkdir -p $(dirname "$interp")
[ -e $interp ] || ln -s "\$E2E/lib/$(basename "$interp")" $interp
export LD_LIBRARY_PATH="\$E2E/lib"
# ctid looks its users up ([user root]): the guest has no passwd of its own
[ -e /etc/passwd ] || { mkdir -p /etc; echo 'root:x:0:0:root:/tmp:/bin/sh' > /etc/passwd; }
[ -e /etc/group ] || echo 'root:x:0:' > /etc/group
export PATH="\$E2E/bin:\$PATH"
ENV
