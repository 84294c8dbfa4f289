# Top-level build of cti.  Each area (lib/, providers/, daemon/, tools/,
# examples/, tests/, bench/, selftests/cti/, kernel/) has its own Makefile
# (doc/CONVENTIONS.md; the userspace ones share mk/common.mk); this one
# calls them in dependency order and owns what spans areas: the kernel
# modules built once per installed kernel, the static checks of kernel/,
# and the QEMU runs.
#
#   make            build every area, and the modules for every kernel
#   make check      install the build dependencies, run every test
#   make kcheck     sparse (C=2), W=1 and checkpatch --strict on kernel/, switch/,
#                   kernel/cti.yaml against uapi/linux/cti.h (check-ynl)
#   make vmcheck    build the modules and selftests, run them in QEMU on
#                   every Debian kernel and on the debug kernel
#   make bench      every area's benchmarks, then the ring benchmark in QEMU
#   make kbench     the kernel benchmarks alone: the ring, and events through
#                   ctid and kcard against a userspace provider
#   make fuzz       every libFuzzer target (fuzz/) for FUZZ_TIME seconds each
#                   (default 60), then `make kfuzz`; make check runs them
#                   for a few seconds
#   make kfuzz      the kernel ABI fuzzer in a guest for FUZZ_TIME seconds
#                   (the debug kernel when built)
#   make run        start ctid and the web console beside it (tools/web)
#   make vmsoak     the soak's kernel variant in a guest (DURATION=secs):
#                   kcard over a cti_sim card unplugged every few seconds
#   make vmrun      the kernel path's `make run`: boot a guest with the
#                   modules, a cti_sim card, ctid with kcard; run dial and
#                   ctictl lines against it
#   make install    DESTDIR=, PREFIX= (default /usr/local); the man pages
#                   (man/, scdoc) go to PREFIX/share/man
#   make deb        the Debian packages (debian/) into build/deb, lintian
#   make installcheck  install those packages on a freshly booted Debian 12
#                   in QEMU and check the module, udev, ctid, reload, removal
#
# KVERS="6.1.0-56-amd64 ..." narrows the kernels (default: scripts/kernels;
# for vmcheck also "debug", the kernel of scripts/build-debug-kernel, which
# DEBUG_KERNEL=0 leaves out).
# B=DIR puts every build product under DIR instead of build/.

SHELL	:= /bin/bash
TOP	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
B	:= $(TOP)/build
# Absolute, so that recipes may cd, and exported as CTI_BUILD so that the
# scripts (fetch-kernel-tools, vm-run) and selftests/cti use the same tree.
override B := $(abspath $(B))
export CTI_BUILD := $(B)
PREFIX	?= /usr/local
DESTDIR	?=
KVERS	?=
BENCH_KVER ?=

# Userspace areas in dependency order: lib/ first (everything links it or
# includes its headers), ctid and its providers, then what runs against
# them (examples/ before tools/web, whose browser test places a call with
# examples/dial); man/ last (its check reads the sources of all the others).
AREAS	:= lib providers daemon examples tools tools/web tests bench man
# The areas build under O (mk/common.mk); B is this Makefile's name for it
# and must not reach them as a command-line variable, where it would
# override each area's own B (its build directory).
MAKEOVERRIDES := $(filter-out B=%,$(MAKEOVERRIDES))
AREA_MAKE	= $(MAKE) -C $(TOP)/$(1) O=$(B)
SELFTESTS	:= $(MAKE) -C $(TOP)/selftests/cti O=$(B)/selftests
CHECKPATCH	:= $(B)/linux-src/scripts/checkpatch.pl

# Kernels are listed when a recipe runs, not when make starts: `make check`
# may install them first.
kernels = $(or $(KVERS),$$($(TOP)/scripts/kernels))
DEBUG_KERNEL ?= 1
vmkernels = $(or $(KVERS),$$($(TOP)/scripts/kernels) $(if $(filter 1,$(DEBUG_KERNEL)),debug))
# The debug kernel's guest: KASAN, lockdep and kmemleak make TCG several
# times slower, and a WARN does not end the boot there (every finding of
# the run is listed; the run fails all the same).
DEBUG_VM_ENV := CTI_VM_PANIC_ON_WARN=0 CTI_VM_TIMEOUT=2700

.PHONY: all check kcheck vmcheck vmrun bench kbench fuzz kfuzz soak vmsoak install run clean deb installcheck

comma := ,
empty :=
space := $(empty) $(empty)

all:
	@set -e; for a in $(AREAS); do $(call AREA_MAKE,$$a) all; done
	$(SELFTESTS) all
	@set -e; for k in $(kernels); do \
		$(TOP)/scripts/build-kmod $$k $(B)/kmod/$$k; done

# Every step runs even when an earlier one failed, so one broken area does
# not hide the state of the others; the step list and timings close the run.
check:
	@failed=(); \
	step() { local name=$$1 t0=$$(date +%s) r=ok; shift; \
		echo "==> check: $$name"; \
		"$$@" || { r=FAILED; failed+=("$$name"); }; \
		echo "==> check: $$name: $$r ($$(( $$(date +%s) - t0 ))s)"; }; \
	step install-deps $(TOP)/scripts/install-deps; \
	step kernel-tools $(TOP)/scripts/fetch-kernel-tools; \
	for a in $(AREAS); do step $$a $(call AREA_MAKE,$$a) check; done; \
	step python $(call AREA_MAKE,python) check; \
	step system $(MAKE) -C $(TOP)/system O=$(B) check; \
	step fuzz $(MAKE) -C $(TOP)/fuzz O=$(B) check; \
	step kcheck $(MAKE) -C $(TOP) kcheck B=$(B); \
	step vmcheck $(MAKE) -C $(TOP) vmcheck B=$(B); \
	step installcheck $(MAKE) -C $(TOP) installcheck B=$(B); \
	if [ $${#failed[@]} != 0 ]; then \
		echo "check: FAILED: $${failed[*]}"; exit 1; fi; \
	echo "check: all steps passed"

# Static analysis of the kernel side, against every kernel: a fresh copy
# each time, since W=1 only warns about files that are compiled and C=2
# runs sparse on every file.  Only findings in our own files count (the
# kernel's headers are not ours to fix).  switch/ is the switch core that
# cti_sim.ko compiles, so it is kernel code too; switch/seqfile.* is the
# userspace runner of the reference sequences, not part of the module.
kcheck:
	@$(TOP)/scripts/fetch-kernel-tools
	@rc=0; for k in $(kernels); do \
		d=$(B)/kcheck/$$k; rm -rf $$d; mkdir -p $$d; \
		echo "kcheck: sparse C=2 W=1 against $$k"; \
		if ! $(TOP)/scripts/build-kmod $$k $$d C=2 W=1 > $$d/build.log 2>&1; then \
			cat $$d/build.log; echo "kcheck: $$k: build failed"; rc=1; continue; fi; \
		grep -E '(warning|error):' $$d/build.log | \
			grep -E "^($$d/)?(kernel|uapi|switch)/" > $$d/findings || true; \
		if [ -s $$d/findings ]; then sed "s|$$d/||" $$d/findings; \
			echo "kcheck: $$k: sparse/W=1 findings above (log: $$d/build.log)"; rc=1; fi; \
	done; \
	echo "kcheck: the YNL spec against the uapi header and the policy"; \
	$(TOP)/scripts/check-ynl || rc=1; \
	$(TOP)/scripts/test-check-ynl || rc=1; \
	files=$$(cd $(TOP) && find kernel uapi switch -name '*.[ch]' ! -name '*.mod.c' \
		! -name 'seqfile.*' | sort); \
	echo "kcheck: checkpatch --strict on" $$files; \
	(cd $(TOP) && $(CHECKPATCH) --strict --no-tree --terse --show-types \
		--summary-file -f $$files) || { echo "kcheck: checkpatch findings above"; rc=1; }; \
	exit $$rc

# Build the modules for each kernel and the selftests, put them together as
# the payload (vm-run's /cti: the test binaries, `run`, cti.ko, cti_sim.ko,
# cti_serial.ko, which the serial test loads itself) and boot each kernel
# with slub_debug on.  "debug" is the kernel of scripts/build-debug-kernel
# (built once, then cached under build/debug-kernel/): its run fails on
# any KASAN, UBSAN, lockdep or debugobjects report, WARN, BUG, and on any
# leak kmemleak finds after the run; it also runs the fault-injection sweep
# (selftests/cti/faults.c), which skips on Debian's kernels. Last, a short
# run of the soak's kernel variant (`make vmsoak`, VMSOAK_SECS seconds, 0
# leaves it out) on the first Debian kernel.
VMSOAK_SECS ?= 20
vmcheck:
	$(SELFTESTS) all
	@mkdir -p $(B)/kmod; rc=0; tp=0 tf=0 ts=0; for k in $(vmkernels); do \
		t0=$$(date +%s) kv=$$k env=CTI_VM_SLUB_DEBUG=1; \
		if [ $$k = debug ]; then \
			kv=$$($(TOP)/scripts/build-debug-kernel) || \
				{ echo "vmcheck: debug: kernel build failed"; rc=1 tf=$$((tf + 1)); continue; }; \
			echo "vmcheck: debug: kernel $$kv ready after $$(( $$(date +%s) - t0 ))s"; \
			env="$(DEBUG_VM_ENV)"; \
		fi; \
		$(TOP)/scripts/build-kmod $$kv $(B)/kmod/$$k > $(B)/kmod/$$k.log 2>&1 || \
			{ cat $(B)/kmod/$$k.log; echo "vmcheck: $$k: module build failed"; rc=1; continue; }; \
		p=$(B)/payload/$$k; mkdir -p $$p; \
		rsync -a --delete $(B)/selftests/ $$p/; \
		cp $(B)/kmod/$$k/kernel/*.ko $$p/; \
		env $$env $(TOP)/scripts/vm-run $$kv $(B)/vm-out/$$k $$p && ok=1 || ok=0; \
		read -r _ _ _ np nf ns < $(B)/vm-out/$$k/summary 2>/dev/null || np=0 nf=0 ns=0; \
		[ $$ok = 1 ] || { rc=1; [ $$nf != 0 ] || nf=1; }; \
		tp=$$((tp + np)) tf=$$((tf + nf)) ts=$$((ts + ns)); \
		echo "vmcheck: $$k: $$([ $$ok = 1 ] && echo passed || echo FAILED) in $$(( $$(date +%s) - t0 ))s"; \
	done; \
	k1=$$(for k in $(kernels); do echo $$k; done | grep -vx debug | head -n1); \
	if [ "$(VMSOAK_SECS)" != 0 ] && [ -n "$$k1" ]; then t0=$$(date +%s); \
		if $(MAKE) --no-print-directory -C $(TOP) vmsoak B=$(B) VMSOAK_KVER=$$k1 \
			DURATION=$(VMSOAK_SECS) > $(B)/vmsoak-check.log 2>&1; then tp=$$((tp + 1)); \
		else cat $(B)/vmsoak-check.log; rc=1 tf=$$((tf + 1)); fi; \
		grep -E '^# soak: (events|requests|card|seed)' $(B)/vmsoak-check.log || true; \
		echo "vmcheck: vmsoak ($(VMSOAK_SECS) s on $$k1) in $$(( $$(date +%s) - t0 ))s"; \
	fi; \
	echo "kernel: $$tp passed, $$tf failed, $$ts skipped"; \
	exit $$rc

# libFuzzer targets (fuzz/Makefile): the switch core, ctid's config parser,
# textlink's protocol, and lib's wire codec and session.  FUZZ_TIME=secs
# each; FUZZ_TARGETS="switch config" narrows the list.
FUZZ_TIME ?= 60
fuzz:
	$(MAKE) -C $(TOP)/fuzz O=$(B) run FUZZ_TIME=$(FUZZ_TIME)
	$(MAKE) -C $(TOP) kfuzz FUZZ_TIME=$(FUZZ_TIME)

# The kernel ABI fuzzer (selftests/cti/abi_fuzz.c) and the switch's random
# call control (callctl_random) in one guest, abi_fuzz for FUZZ_TIME
# seconds, on the debug kernel (KASAN, lockdep, kmemleak) when it is
# built or KFUZZ_KVER names another; vmcheck runs the same for 5 s on
# every kernel. A failure prints the seed and the shortest sequence.
kfuzz:
	$(SELFTESTS) all
	@set -e; k=$${KFUZZ_KVER:-}; env=CTI_VM_SLUB_DEBUG=1; \
	if [ -z "$$k" ] && kd=$$($(TOP)/scripts/build-debug-kernel --print 2>/dev/null); then \
		k=debug; fi; \
	[ -n "$$k" ] || k=$$(for k in $(kernels); do echo $$k; done | head -n1); \
	[ -n "$$k" ] || { echo "kfuzz: no kernel"; exit 1; }; \
	kv=$$k; if [ $$k = debug ]; then kv=$$kd; env="$(DEBUG_VM_ENV)"; fi; \
	mkdir -p $(B)/kmod; \
	$(TOP)/scripts/build-kmod $$kv $(B)/kmod/$$k > $(B)/kmod/$$k.log 2>&1 || \
		{ cat $(B)/kmod/$$k.log; exit 1; }; \
	p=$(B)/payload-kfuzz/$$k; mkdir -p $$p; \
	rsync -a --delete $(B)/selftests/ $$p/; cp $(B)/kmod/$$k/kernel/*.ko $$p/; \
	t=$$(( $(FUZZ_TIME) + 600 )); \
	echo "kfuzz: abi_fuzz for $(FUZZ_TIME)s on $$k"; \
	env $$env CTI_VM_TIMEOUT=$$(( t + 300 )) \
		CTI_VM_APPEND="CTI_TESTS=abi_fuzz,callctl_random CTI_FUZZ_SECONDS=$(FUZZ_TIME) CTI_TEST_TIMEOUT=$$t" \
		$(TOP)/scripts/vm-run $$kv $(B)/vm-out/kfuzz-$$k $$p && rc=0 || rc=$$?; \
	grep -E '^# # abi_fuzz:|^(not )?ok' $(B)/vm-out/kfuzz-$$k/results.tap || true; exit $$rc

# The ring benchmark (not part of check): one boot, no slub_debug, the
# figures are ratios within that boot.  The payload's `run` wraps the
# selftests' bench_run so that vm-run gets a TAP verdict.
# Every area's own benchmarks (those whose Makefile has a bench target:
# the sim provider alone, ctid's round trips, fan-out against redis and
# memory), then the kernel ring benchmark in a guest.
bench:
	@set -e; for a in $(AREAS); do \
		if grep -q '^bench:' $(TOP)/$$a/Makefile; then \
			echo "==> bench: $$a"; $(call AREA_MAKE,$$a) bench; fi; \
	done
	@echo "==> bench: kernel ring"
	@$(MAKE) -C $(TOP) kbench

kbench:
	$(SELFTESTS) bench
	@set -e; k=$${BENCH_KVER:-$$(for k in $(kernels); do echo $$k; done | head -n1)}; \
	[ -n "$$k" ] || { echo "bench: no kernel with headers and image"; exit 1; }; \
	mkdir -p $(B)/kmod; \
	$(TOP)/scripts/build-kmod $$k $(B)/kmod/$$k > $(B)/kmod/$$k.log 2>&1 || \
		{ cat $(B)/kmod/$$k.log; exit 1; }; \
	p=$(B)/payload-bench/$$k; rm -rf $$p; mkdir -p $$p; \
	cp $(B)/selftests/ring_bench $(B)/selftests/kcard_bench $(B)/selftests/bench_run \
		$(B)/kmod/$$k/kernel/*.ko $$p/; \
	cp -a $(B)/selftests/e2e $$p/; \
	printf '%s\n' '#!/bin/sh' 'echo 1..2' './bench_run | tee /tmp/bench.out' \
		'if grep -q "ring_bench exit=0" /tmp/bench.out; then echo "ok 1 ring_bench"; else echo "not ok 1 ring_bench"; fi' \
		'if grep -q "kcard_bench exit=0" /tmp/bench.out; then echo "ok 2 kcard_bench"; else echo "not ok 2 kcard_bench"; fi' \
		> $$p/run; chmod +x $$p/run; \
	CTI_VM_SLUB_DEBUG=0 CTI_VM_QUIET=1 $(TOP)/scripts/vm-run $$k $(B)/vm-out/bench-$$k $$p && rc=0 || rc=$$?; \
	cat $(B)/vm-out/bench-$$k/results.tap; exit $$rc

# The kernel path end to end, shown: one boot of the first kernel (or
# VMRUN_KVER) with cti.ko and cti_sim.ko loaded, a card made through
# configfs, ctid with kcard, then `ctictl lines` and examples/dial
# (selftests/cti/vmrun.sh). The guest's shared libraries come from
# selftests/cti/e2e-payload.sh.
vmrun:
	@set -e; for a in lib providers daemon tools examples; do \
		$(call AREA_MAKE,$$a) all >/dev/null; done
	@set -e; k=$${VMRUN_KVER:-$$(for k in $(kernels); do echo $$k; done | head -n1)}; \
	[ -n "$$k" ] || { echo "vmrun: no kernel with headers and image"; exit 1; }; \
	mkdir -p $(B)/kmod; \
	$(TOP)/scripts/build-kmod $$k $(B)/kmod/$$k > $(B)/kmod/$$k.log 2>&1 || \
		{ cat $(B)/kmod/$$k.log; exit 1; }; \
	p=$(B)/payload-vmrun/$$k; rm -rf $$p; mkdir -p $$p; \
	$(TOP)/selftests/cti/e2e-payload.sh $(B) $$p/e2e; \
	cp $(TOP)/selftests/cti/vmrun.sh $$p/run; \
	cp $(B)/kmod/$$k/kernel/cti.ko $(B)/kmod/$$k/kernel/cti_sim.ko $$p/; \
	printf '%s\n' cti.ko cti_sim.ko > $$p/modules; \
	echo "vmrun: booting $$k (TCG: about a minute)"; \
	CTI_VM_SLUB_DEBUG=0 CTI_VM_QUIET=1 $(TOP)/scripts/vm-run $$k $(B)/vm-out/vmrun-$$k $$p && rc=0 || rc=$$?; \
	cat $(B)/vm-out/vmrun-$$k/results.tap; exit $$rc

# The soak (issue 13; tests/README.md, "The soak"): mixed load through a
# private ctid killed with SIGKILL and restarted every few seconds, with
# provider reloads, for DURATION seconds (default 60); exits non-zero when
# an event is lost or duplicated outside GAP/RESYNC, a request is not
# answered exactly once, ctid crashes or its RSS keeps growing.
# SOAK_ARGS passes more options (-s SEED -k KILL_S -r RELOAD_S -c CALLERS).
soak:
	$(call AREA_MAKE,tests) soak DURATION=$(or $(DURATION),60) SOAK_ARGS="$(SOAK_ARGS)"

# The soak's kernel variant in one guest (VMSOAK_KVER, default the first
# kernel): tests/soak/soak -K, ctid with kcard over a cti_sim card that is
# unplugged and plugged again every few seconds beside ctid's kills and
# kcard's reloads, for DURATION seconds (default 60); SOAK_ARGS as for
# `make soak`, comma-separated (-k,3,-u,2). Prints the soak's figures.
vmsoak:
	@set -e; for a in lib providers daemon tools examples; do \
		$(call AREA_MAKE,$$a) all >/dev/null; done
	@$(call AREA_MAKE,tests) $(B)/tests/soak/soak >/dev/null
	@set -e; k=$${VMSOAK_KVER:-$$(for k in $(kernels); do echo $$k; done | head -n1)}; \
	[ -n "$$k" ] || { echo "vmsoak: no kernel with headers and image"; exit 1; }; \
	d=$(or $(DURATION),60); mkdir -p $(B)/kmod; \
	$(TOP)/scripts/build-kmod $$k $(B)/kmod/$$k > $(B)/kmod/$$k.log 2>&1 || \
		{ cat $(B)/kmod/$$k.log; exit 1; }; \
	p=$(B)/payload-vmsoak/$$k; rm -rf $$p; mkdir -p $$p; \
	$(TOP)/selftests/cti/e2e-payload.sh $(B) $$p/e2e; \
	cp $(B)/tests/soak/soak $$p/e2e/bin/; \
	cp $(TOP)/selftests/cti/vmsoak.sh $$p/run; \
	cp $(B)/kmod/$$k/kernel/cti.ko $(B)/kmod/$$k/kernel/cti_sim.ko $$p/; \
	printf '%s\n' cti.ko cti_sim.ko > $$p/modules; \
	echo "vmsoak: $$d s on $$k"; \
	CTI_VM_SLUB_DEBUG=0 CTI_VM_QUIET=1 CTI_VM_TIMEOUT=$$((d + 600)) \
		CTI_VM_APPEND="CTI_SOAK_DURATION=$$d CTI_SOAK_ARGS=$(subst $(space),$(comma),$(strip $(SOAK_ARGS)))" \
		$(TOP)/scripts/vm-run $$k $(B)/vm-out/vmsoak-$$k $$p && rc=0 || rc=$$?; \
	cat $(B)/vm-out/vmsoak-$$k/results.tap; exit $$rc

install:
	@set -e; for a in $(AREAS); do \
		$(call AREA_MAKE,$$a) install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX); done
	$(SELFTESTS) install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	$(MAKE) -C $(TOP)/system install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	@# Modules go to the running kernel's tree, as on a real server.
	@if [ -e /lib/modules/$$(uname -r)/build/Makefile ]; then \
		$(MAKE) -C $(TOP)/kernel install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX); \
	else echo "SKIP: kernel modules: no headers for the running kernel $$(uname -r)"; fi

# The Debian packages, built by dpkg-buildpackage in a clean copy of the
# tree (scripts/make-deb); lintian errors fail.
deb:
	$(TOP)/scripts/make-deb $(B)/deb

# The packages installed with apt on Debian 12 booted in QEMU (TCG) from a
# cached mmdebstrap image (scripts/installcheck); every step is timed.
installcheck: deb
	$(TOP)/scripts/installcheck $(B)/deb $(B)/installcheck

# ctid with the web console beside it; the programs the user is told to
# try (examples/dial, tools/ctictl) are built first.
run:
	@set -e; for a in lib providers daemon tools tools/web examples; do \
		$(call AREA_MAKE,$$a) all; done
	$(TOP)/tools/web/run-demo.sh $(B)

clean:
	-@for a in $(AREAS); do $(call AREA_MAKE,$$a) clean; done
	-@k=$$(for k in $(kernels); do echo $$k; done | head -n1); \
	[ -z "$$k" ] || $(MAKE) -C $(TOP)/kernel clean KVER=$$k
	rm -rf $(B)
