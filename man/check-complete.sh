#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-complete.sh - fail when something a user can name has no man page.
#
#   check-complete.sh TOP           check; exit 1 listing what is missing
#   check-complete.sh --names TOP   print "FUNCTION PAGE" for every libcti
#                                   symbol (man/Makefile's link pages)
#
# The lists come from the sources, never from the pages, so that a new
# name without documentation breaks `make check`:
#   - every symbol of lib/libcti.map must be named in the NAME or SYNOPSIS
#     section of a man/*.3.scd page;
#   - every key the daemon parses (strcmp(key, "...") in daemon/config*.c)
#     or prints in its effective configuration (fprintf(f, "KEY = ...")
#     there) must be in man/ctid.conf.5.scd as *KEY*, and every key a provider
#     parses (providers/NAME/*config*.c) in that page's subsection
#     "## ... (so = NAME)"; a prefix key (strncmp(k, "orphan.", 7)) as
#     *PREFIX..., and a key read after such a prefix (ami's tls_ + "ca")
#     may be written with it (*tls_ca*);
#   - every command of ctictl (the ctl_*_cmds[] tables of tools/*.c) must
#     be in man/ctictl.8.scd as *COMMAND*;
#   - every ioctl of uapi/linux/cti.h (#define CTI_IOC_* _IO...) must be in
#     man/cti.4.scd;
#   - every long option of ctid, ctictl and ctiweb (their getopt_long()
#     tables) must be in its page as *--NAME*;
#   - every reference to one of our pages (*cti_line*(3)) must name a page
#     that exists.
set -u

names=0
if [ "${1:-}" = --names ]; then
	names=1
	shift
fi
top=${1:?usage: check-complete.sh [--names] TOP}
man=$top/man
missing=0

miss() {
	echo "man: MISSING: $*" >&2
	missing=$((missing + 1))
}

# The NAME and SYNOPSIS sections of a page.
synopsis() {
	awk '/^# / { on = ($0 ~ /^# (NAME|SYNOPSIS)$/); next } on' "$1"
}

map_symbols() {
	sed -n 's/^[[:space:]]*\(cti_[A-Za-z0-9_]*\)[[:space:]]*;.*/\1/p' \
		"$top/lib/libcti.map" | sort -u
}

# "PAGE SYMBOL" for every symbol the libcti pages name in NAME/SYNOPSIS.
page_symbols() {
	for p in "$man"/*.3.scd; do
		[ -e "$p" ] || continue
		page=$(basename "$p" .3.scd)
		synopsis "$p" | grep -o 'cti_[A-Za-z0-9_]*' | sort -u |
			sed "s/^/$page /"
	done
}

if [ $names = 1 ]; then
	page_symbols > "${TMPDIR:-/tmp}/cti-man-names.$$"
	for s in $(map_symbols); do
		awk -v s="$s" '$2 == s { print s, $1; exit }' \
			"${TMPDIR:-/tmp}/cti-man-names.$$"
	done
	rm -f "${TMPDIR:-/tmp}/cti-man-names.$$"
	exit 0
fi

# Keys compared by name in C files: strcmp(key, "x"), strncmp(k, "x.", 2).
c_keys() {
	cat "$@" | tr '\n' ' ' |
		grep -o 'strn\{0,1\}cmp( *\(key\|k\|kv->key\|x->kv->key\) *, *"[^"]*"' |
		sed 's/.*"\([^"]*\)"$/\1/' | sort -u
}

# Keys ctid prints in its effective configuration (config_dump(), ctid
# --check-config -v): "KEY = " at the start of a line in a literal of an
# fprintf or fputs, a second source in case a key is parsed from a table.
dump_keys() {
	cat "$@" | tr '\n' ' ' | grep -o 'f\(printf\|puts\)([^;]*;' |
		grep -o '"[^"]*"' | grep -o '\(^"\|\\n\)[a-z_][a-z0-9_]* = ' |
		sed 's/^"//; s/^\\n//; s/ = $//' | sort -u
}

# The text of the subsection "## ... (so = NAME)" of ctid.conf(5).
provider_text() {
	awk -v h="(so = $1)" '/^#/ { on = (substr($0, 1, 3) == "## " &&
		index($0, h) > 0); next } on' "$man/ctid.conf.5.scd"
}

# $1 KEY, $2 the text, $3 the prefix keys of the same parser
key_documented() {
	case $1 in
	*. | *_) printf '%s' "$2" | grep -qF "*$1" && return 0 ;;
	*) printf '%s' "$2" | grep -qF "*$1*" && return 0 ;;
	esac
	for pre in $3; do
		printf '%s' "$2" | grep -qF "*$pre$1*" && return 0
	done
	return 1
}

check_symbols() {
	have=$(page_symbols | awk '{ print $2 }' | sort -u)
	for s in $(map_symbols); do
		printf '%s\n' "$have" | grep -qx "$s" && continue
		miss "libcti symbol $s (lib/libcti.map) is named in no libcti page:" \
			"add it to the NAME or SYNOPSIS of the man/cti_*.3.scd page of" \
			"its group (libcti.3.scd lists the groups), with what it does"
	done
}

check_keys() {
	conf=$man/ctid.conf.5.scd
	text=$(cat "$conf")
	for k in $( (c_keys "$top"/daemon/config*.c
		dump_keys "$top"/daemon/config*.c) | sort -u); do
		key_documented "$k" "$text" "" && continue
		miss "ctid.conf key \"$k\" (daemon/config*.c) is not in" \
			"man/ctid.conf.5.scd: describe it as *$k* in its section"
	done
	for d in "$top"/providers/*/; do
		p=$(basename "$d")
		set -- "$d"*config*.c
		[ -e "$1" ] || continue
		keys=$(c_keys "$@")
		[ -n "$keys" ] || continue
		prefixes=$(printf '%s\n' "$keys" | grep '[._]$')
		text=$(provider_text "$p")
		if [ -z "$text" ]; then
			miss "provider $p (providers/$p) has no subsection in" \
				"man/ctid.conf.5.scd: add \"## The $p provider (so = $p)\"" \
				"under PROVIDER SECTIONS with its keys"
			continue
		fi
		for k in $keys; do
			key_documented "$k" "$text" "$prefixes" && continue
			miss "key \"$k\" of provider $p (providers/$p/*config*.c) is" \
				"not in man/ctid.conf.5.scd: describe it as *$k* in the" \
				"subsection \"(so = $p)\""
		done
	done
}

# $1 what, $2 the names, $3 the page, $4 bold (as *NAME*) or word,
# $5 where the names come from, $6 where in the page they belong (NAME
# in it becomes the name)
require_names() {
	[ -n "$2" ] || miss "no $1 found in $5: check-complete.sh is out of date"
	for n in $2; do
		if [ "$4" = bold ]; then
			grep -qF "*$n*" "$man/$3" && continue
		else
			grep -qw "$n" "$man/$3" && continue
		fi
		miss "$1 \"$n\" ($5) is not in man/$3: $(echo "$6" | sed "s/NAME/$n/")"
	done
}

check_ctictl() {
	cmds=$(awk '/ctl_cmd ctl_[a-z_]*_cmds\[\] *= *{/ { on = 1; next }
		on && /^};/ { on = 0 } on' "$top"/tools/*.c |
		grep -o '{ *"[^"]*"' | sed 's/.*"\([^"]*\)"/\1/' | sort -u)
	require_names "ctictl command" "$cmds" ctictl.8.scd bold "tools/*.c" \
		"describe it under COMMANDS as *NAME* with its arguments"
}

# The long options of a program's getopt_long() tables: $1 the page,
# then the sources. Each must be in the page as *--NAME*.
check_options() {
	page=$1
	shift
	opts=$(cat "$@" 2>/dev/null |
		grep -o '{ *"[a-z][a-z0-9-]*", *\(no\|required\|optional\)_argument' |
		sed 's/{ *"\([^"]*\)".*/\1/' | sort -u)
	require_names option "$(printf '%s\n' "$opts" | sed 's/^/--/')" "$page" \
		bold "the getopt_long() table of $(basename "$1")" \
		"describe it under OPTIONS as *NAME*"
}

check_ioctls() {
	ioctls=$(sed -n 's/^#define[[:space:]]\{1,\}\(CTI_IOC_[A-Z0-9_]*\)[[:space:]]\{1,\}_IO.*/\1/p' \
		"$top/uapi/linux/cti.h" | sort -u)
	require_names ioctl "$ioctls" cti.4.scd word uapi/linux/cti.h \
		"describe it under IOCTLS with its argument and errors"
}

# A reference to one of our pages (*cti_line*(3)) must name a page that
# exists; other projects' pages (poll(2)) are not checked.
check_xrefs() {
	for r in $(cat "$man"/*.scd | grep -o '\*\(lib\)\{0,1\}cti[a-z_.]*\*([0-9])' |
			sort -u | tr -d '*'); do
		page=${r%(*} sec=${r#*(}
		sec=${sec%)}
		[ -e "$man/$page.$sec.scd" ] && continue
		miss "page $r is referred to but man/$page.$sec.scd does not exist"
	done
}

check_symbols
check_xrefs
check_keys
check_ctictl
check_ioctls
check_options ctid.8.scd "$top"/daemon/main.c
check_options ctictl.8.scd "$top"/tools/ctictl.c "$top"/tools/cmd_*.c
check_options ctiweb.8.scd "$top"/tools/web/main.c
if [ $missing != 0 ]; then
	echo "man: check-complete: $missing undocumented names (above)" >&2
	exit 1
fi
echo "man: check-complete: every symbol, config key, ctictl command, option and ioctl has a page"
