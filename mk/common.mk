# SPDX-License-Identifier: LGPL-2.1-or-later
#
# mk/common.mk - what every area's Makefile shares, written once: paths,
# the warning set, the sanitizer flags, and how to link libcti and its
# wire codec.
#
# How an area uses it (every userspace area does):
#
#	AREA := tools				# names the build directory
#	include ../mk/common.mk			# first, before any rule
#
#	$(B)/%.o: %.c
#		$(CC) $(CPPFLAGS_CTI) $(CPPFLAGS) $(CFLAGS_CTI) $(CFLAGS) -c ...
#	$(B)/prog: $(OBJS) $(LIBCTI)
#		$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS_CTI)
#	check: all
#		... the tests ...
#		$(SAN_PASS) <targets>	# then run them from $(SAN_B)
#
# - Products go to $(B) = $(O)/$(AREA); O defaults to build/ at the top
#   (or to CTI_BUILD, which the top-level Makefile exports for B=DIR).
# - CFLAGS, CPPFLAGS and LDFLAGS are the user's: `make CFLAGS=-O0` replaces
#   the optimisation, never the warnings or the include paths, which are
#   in CFLAGS_CTI and CPPFLAGS_CTI.
# - -Werror is on by default; WERROR=0 turns it off for a local build with
#   a newer compiler, except in CI (CI=true), where it stays on.
# - The codec is compiled once, in lib/: other areas link $(LIBCTI_WIRE)
#   (build/lib/libcti-wire.a), programs link libcti with $(LDLIBS_CTI).
#   Both are built on demand by lib/'s Makefile, into the same O.
# - The sanitizer pass: $(SAN_PASS) is a sub-make of the same Makefile
#   with O=$(SAN_O) and CC='$(CC) $(SAN_FLAGS)', so that the sanitized
#   objects never mix with the plain ones; SANITIZED=1 inside it, so an
#   area's check runs the pass only from the plain build. ASAN=0 skips it.

ifndef CTI_COMMON_MK
CTI_COMMON_MK := 1

# The rules below must not become the including area's default goal.
.DEFAULT_GOAL := all

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
O ?= $(or $(CTI_BUILD),$(TOP)/build)
override O := $(abspath $(O))
B := $(O)/$(AREA)

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include

CC ?= cc
CFLAGS ?= -O2 -g

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers
WERROR ?= 1
ifeq ($(CI),true)
override WERROR := 1
endif
CFLAGS_CTI := -std=gnu11 $(WARN) $(if $(filter 1,$(WERROR)),-Werror)
# The public header only; an area that needs the kernel ABI, the codec or
# the provider ABI adds $(INC_UAPI) or $(INC_PROVIDERS). Feature macros
# (_GNU_SOURCE) are each file's or each area's own choice.
CPPFLAGS_CTI := -I$(TOP)/lib
INC_UAPI := -I$(TOP)/uapi
INC_PROVIDERS := -I$(TOP)/providers

LIBCTI := $(O)/lib/libcti.so
LIBCTI_WIRE := $(O)/lib/libcti-wire.a
# rpath to the build tree, so programs run before libcti is installed
LDLIBS_CTI := -L$(O)/lib -Wl,-rpath,$(O)/lib -lcti

ifneq ($(AREA),lib)
$(LIBCTI) $(LIBCTI_WIRE): FORCE_LIB
	@$(MAKE) --no-print-directory -C $(TOP)/lib O=$(O) $@
.PHONY: FORCE_LIB
FORCE_LIB:
endif

# ASan + UBSan + LeakSanitizer, in their own build tree.
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
SANITIZED ?= 0
ASAN ?= 1
SAN_O := $(O)/asan
SAN_B := $(SAN_O)/$(AREA)
SAN_PASS = $(MAKE) --no-print-directory O=$(SAN_O) SANITIZED=1 \
	CC='$(CC) $(SAN_FLAGS)'
# 1 when this check should end with the sanitizer pass
WANT_SAN_PASS := $(if $(filter 0,$(SANITIZED)),$(if $(filter 0,$(ASAN)),,1))
# Leaks fail the run, and a UBSan report stops it.
export ASAN_OPTIONS ?= detect_leaks=1:exitcode=23:strict_string_checks=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

endif
