#!/bin/sh
# Parser throughput and memory benchmark (make bench):
#   sh bench/run.sh path/to/gcwatch
# Generates bench/out/trace-256M.log from the corpus's real gc lines (kept
# for the next run; BENCH_MB=N for another size), then on the same machine
# in the same run times, best of 3 with a warm page cache:
#   gcwatch -b -q FILE                 the whole batch path: read, parse, summary
#   wc -l FILE                         the floor: find the newlines
#   python3 bench/parse_re.py FILE     a line-at-a-time regex parser (once)
# and measures gcwatch's peak RSS on FILE and on a file ten times smaller.
# Prints MB/s (10^6 bytes), the ratios, and the targets next to them.
# Fails when a command fails or when gcwatch, the Python parser and the
# generator disagree on the number of records; a missed target is reported,
# not failed (the figures depend on the machine).
set -eu

GCW=${1:?usage: sh bench/run.sh path/to/gcwatch}
[ -x "$GCW" ] || { echo "bench: $GCW is not executable" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/out
MB=${BENCH_MB:-256}
SMALL_MB=$((MB / 10))
BIG=$OUT/trace-${MB}M.log
SMALL=$OUT/trace-${SMALL_MB}M.log
LIMIT=900 # seconds, for any one command
mkdir -p "$OUT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gcwatch-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'rm -rf "$TMP"; exit 130' INT
trap 'rm -rf "$TMP"; exit 143' TERM

# gen FILE SIZE_MB: generate unless present, big enough, and counted.
gen() {
	_want=$(($2 * 1048576))
	if [ -f "$1" ] && [ -s "$1.count" ] && [ "$(wc -c <"$1")" -ge "$_want" ]; then
		echo "bench: reusing $1"
		return
	fi
	echo "bench: generating $1 ($2 MiB)"
	rm -f "$1.count"
	timeout $LIMIT python3 "$HERE/gen.py" "$1" "$2" >"$1.count.tmp"
	mv "$1.count.tmp" "$1.count"
}
gen "$BIG" "$MB"
gen "$SMALL" "$SMALL_MB"
BYTES=$(wc -c <"$BIG")

now_ns() { date +%s%N; }

# best RUNS OUT CMD...: the shortest wall time of RUNS runs, in seconds;
# stdout of CMD goes to OUT, its stderr to $TMP/last.err.
best() {
	_runs=$1
	_out=$2
	shift 2
	_best=""
	_i=0
	while [ $_i -lt "$_runs" ]; do
		_t0=$(now_ns)
		if ! timeout $LIMIT "$@" >"$_out" 2>"$TMP/last.err"; then
			echo "bench: '$*' failed:" >&2
			head -n 5 "$TMP/last.err" >&2
			exit 1
		fi
		_t1=$(now_ns)
		_d=$((_t1 - _t0))
		if [ -z "$_best" ] || [ $_d -lt "$_best" ]; then _best=$_d; fi
		_i=$((_i + 1))
	done
	awk -v ns="$_best" 'BEGIN { printf "%.4f", ns / 1e9 }'
}

mbs() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
# verdict OK-CONDITION-AS-AWK-EXPR
verdict() { awk "BEGIN { print (($1) ? \"ok\" : \"MISSED\") }"; }

cat "$BIG" >/dev/null # warm the page cache
t_gcw=$(best 3 /dev/null "$GCW" -b -q "$BIG")
t_wc=$(best 3 /dev/null wc -l "$BIG")
t_py=$(best 1 "$TMP/py.out" python3 "$HERE/parse_re.py" "$BIG")
n_py=$(sed -n 's/^records //p' "$TMP/py.out")

# Record counts: gcwatch's CSV rows (records alone on stdout), the
# generator's own count, and a grep for gc lines.
timeout $LIMIT "$GCW" -b -q --csv - "$BIG" 2>/dev/null >"$TMP/csv" ||
	{ echo "bench: gcwatch -b -q --csv - failed" >&2; exit 1; }
n_gcw=$(($(wc -l <"$TMP/csv") - 1))
rm -f "$TMP/csv"
n_gen=$(cat "$BIG.count")
n_grep=$(grep -Ec 'gc ?#?[0-9]+[ (]' "$BIG")

rss() { # FILE: peak RSS of gcwatch -b -q FILE, in kB
	timeout $LIMIT /usr/bin/time -v -o "$TMP/time.txt" "$GCW" -b -q "$1" >/dev/null 2>&1 ||
		{ echo "bench: /usr/bin/time -v gcwatch -b -q $1 failed" >&2; exit 1; }
	sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$TMP/time.txt"
}
rss_big=$(rss "$BIG")
rss_small=$(rss "$SMALL")

v_gcw=$(mbs "$t_gcw")
v_wc=$(mbs "$t_wc")
v_py=$(mbs "$t_py")
r_py=$(ratio "$v_gcw" "$v_py")
r_wc=$(ratio "$v_wc" "$v_gcw")
small_bytes=$(wc -c <"$SMALL")

echo
echo "gcwatch benchmark: $BIG, $BYTES bytes, $n_gen gc lines"
echo "  $(nproc) CPUs, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ)"
printf '  %-26s %9s MB/s  %7ss   target >= 1000 MB/s   %s\n' "gcwatch -b -q (best of 3)" \
	"$v_gcw" "$t_gcw" "$(verdict "$v_gcw >= 1000")"
printf '  %-26s %9s MB/s  %7ss\n' "wc -l (best of 3)" "$v_wc" "$t_wc"
printf '  %-26s %9s MB/s  %7ss\n' "python3 parse_re.py (once)" "$v_py" "$t_py"
printf '  %-26s %9sx                  target >= 15x        %s\n' "gcwatch / python" \
	"$r_py" "$(verdict "$r_py >= 15")"
printf '  %-26s %9sx                  target <= 10x        %s\n' "wc -l / gcwatch" \
	"$r_wc" "$(verdict "$r_wc <= 10")"
printf '  %-26s %9s kB on %s bytes, %s kB on %s bytes   target < 8192 kB   %s\n' \
	"gcwatch peak RSS" "$rss_big" "$BYTES" "$rss_small" "$small_bytes" \
	"$(verdict "$rss_big < 8192 && $rss_small < 8192")"
echo "  records: gcwatch $n_gcw, python $n_py, generator $n_gen, grep $n_grep"
if [ "$n_gcw" = "$n_gen" ] && [ "$n_py" = "$n_gen" ] && [ "$n_grep" = "$n_gen" ]; then
	echo "  records agree"
else
	echo "bench: record counts disagree" >&2
	exit 1
fi
