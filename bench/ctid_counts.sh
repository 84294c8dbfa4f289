#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Load-independent costs of ctid per event: instructions (callgrind) and
# system calls (strace -c) per published event, at SUBS subscribers,
# for each ctid build directory given (default: build). Each count is the
# difference of two fixed runs (bench_fanout --count SUBS E1, then E2),
# divided by E2 - E1, so that start-up and shutdown cancel out. Each
# event is one SET_DND request the sim runs, its REPLY and the event to
# the owner and to every subscriber.
#
#   bench/ctid_counts.sh [-c] [-s SUBS] [-e E1,E2] [-m callgrind|strace] DIR...
#
# -c: a closed loop (one request in flight, as bench_rtt's clients), else
# the publisher keeps up to 256 requests in flight (bench_fanout's).
#
# DIR holds daemon/ctid and providers/ (a build directory); bench_fanout
# is taken from ./build/bench.
set -eu
subs=1 e1=2000 e2=6000 mode=callgrind closed=
while getopts cs:e:m: o; do
	case $o in
	c) closed=closed ;;
	s) subs=$OPTARG ;;
	e) e1=${OPTARG%,*} e2=${OPTARG#*,} ;;
	m) mode=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- build
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/ctid-counts.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/wrap" <<'W'
#!/bin/sh
if [ "$CC_MODE" = strace ]; then
	# strace would not pass the harness's SIGTERM on: this shell does
	strace -f -c -o "$CC_OUT" "$CC_BIN" "$@" &
	st=$!
	trap 'kill -TERM $(pgrep -P $st)' TERM
	wait $st || wait $st
	exit 0
fi
exec valgrind -q --tool=callgrind --callgrind-out-file="$CC_OUT" \
	"$CC_BIN" "$@"
W
chmod +x "$tmp/wrap"

# one count for DIR and EVENTS: total Ir, or total system calls
count() {
	CC_MODE=$mode CC_OUT="$tmp/out" CC_BIN="$1/daemon/ctid" \
	CTID="$tmp/wrap" CTI_PROVIDER_DIR="$1/providers" \
		"$here/build/bench/bench_fanout" --count "$subs" "$2" $closed >&2
	if [ "$mode" = strace ]; then
		awk '$NF == "total" { print $4 }' "$tmp/out" | tail -1
	else
		sed -n 's/^summary: //p' "$tmp/out"
	fi
}

for dir in "$@"; do
	dir=$(cd "$dir" && pwd)
	a=$(count "$dir" "$e1")
	b=$(count "$dir" "$e2")
	per=$(awk -v a="$a" -v b="$b" -v e1="$e1" -v e2="$e2" \
		'BEGIN { printf "%.2f", (b - a) / (e2 - e1) }')
	echo "$dir: $subs subscribers: $per $mode per event" \
	     "($a at $e1 events, $b at $e2)"
done
