#!/bin/sh
# Fidelity benchmark (make bench): how many gc records the parser reads back
# from torn streams, family by family, and whether its drop count equals
# what was really lost.
#   sh bench/fidelity.sh BUILD            (BUILD: the build directory)
#   FIDELITY_BASE=REV sh bench/fidelity.sh BUILD
#                                         the same table for the parser of
#                                         git revision REV first, built from
#                                         `git archive REV` with the same
#                                         measuring tool (before/after)
#   FIDELITY_SEEDS=N                      streams per family (default 20)
#
# 1. build/tools/fidelity: synthetic streams made from the corpus's real gc
#    lines cut at the runtime's write boundaries (see tests/tools/fidelity.c):
#    every collector prefix x whole program lines, each common logger's
#    shape glued onto the runtime's numbers from the first line on,
#    newline-less fragments, the runtime's own torn lines, go build (the
#    go command's own lines with its tools' output printed between and
#    inside them), two runtimes writing one pipe (plain timing and
#    strace-slowed timing).
# 2. Two real Go programs (tests/go/steady.go) run at once, each under
#    GODEBUG=gctrace=1, each one's stderr copied by its own tee(1) into a
#    file (its own recording, the truth) and into one shared pipe read by
#    gcwatch -b --json: records expected (the sum of both recordings, each
#    checked against the program's own NUMGC), recovered exact, dropped (the
#    summary's count), wrong, invented.
# 3. The same two programs writing one pipe themselves (no tee), GOMAXPROCS
#    2 and 1: records expected (both NUMGC), read, dropped, and any record
#    no program printed (a number outside 1..NUMGC of its P, or twice).
# Columns: expected, exact (count and %), dropped (the parser's own count),
# wrong, invented, loss (expected - exact), "=" when dropped equals loss,
# text: the program's text came out exactly.  Targets are printed, not
# failed; a wrong or invented record is reported as MISSED.  Fails only
# when a command fails.
set -eu

BUILD=${1:?usage: sh bench/fidelity.sh BUILD}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CORPUS=$ROOT/tests/data/corpus
SEEDS=${FIDELITY_SEEDS:-20}
TOOL=$ROOT/$BUILD/tools/fidelity
GCW=$ROOT/$BUILD/gcwatch
[ -x "$TOOL" ] || { echo "bench: $TOOL is missing (make unit)" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gcwatch-fidelity.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'rm -rf "$TMP"; exit 130' INT
trap 'rm -rf "$TMP"; exit 143' TERM
status=0

if [ -n "${FIDELITY_BASE:-}" ]; then
	echo "fidelity of the parser at $FIDELITY_BASE (same tool, same streams):"
	mkdir -p "$TMP/base"
	(cd "$ROOT" && git archive "$FIDELITY_BASE" src/trace include) | tar -x -C "$TMP/base"
	cc -std=c11 -D_GNU_SOURCE -O2 -I"$TMP/base/include" -o "$TMP/fidelity-base" \
		"$ROOT/tests/tools/fidelity.c" "$TMP/base"/src/trace/*.c
	"$TMP/fidelity-base" -s "$SEEDS" "$CORPUS"
	echo
	echo "fidelity now:"
fi
"$TOOL" -s "$SEEDS" "$CORPUS" | tee "$TMP/table.txt"
# Wrong and invented (columns after the %) must be 0 everywhere.
if ! awk 'NR > 1 { n = NF; for (i = 1; i <= NF; i++) if ($i ~ /%$/) { if ($(i+2) != 0 || $(i+3) != 0) bad = 1 } } END { exit bad }' "$TMP/table.txt"; then
	echo "bench: MISSED: wrong or invented records in a synthetic family (target 0)" >&2
fi

# One row of the table from exp, got and drop: NAME WRONG INVENTED.
row() {
	loss=$((exp - got))
	printf '%-34s %8s %8s %6s%% %7s %5s %5s %6s %-4s\n' "$1" "$exp" "$got" \
		"$(awk -v a="$got" -v b="$exp" 'BEGIN { printf "%.2f", b ? 100 * a / b : 100 }')" \
		"$drop" "$2" "$3" "$loss" "$([ "$drop" = "$loss" ] && echo = || echo NO)"
}

# --- two real Go programs through one pipe ------------------------------
if ! command -v go >/dev/null 2>&1; then
	echo "bench: go not found: skipping the two real programs"
	exit $status
fi
mkdir -p "$TMP/go/cache" "$TMP/go/path"
(cd "$TMP/go" && env GO111MODULE=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local \
	GOCACHE="$TMP/go/cache" GOPATH="$TMP/go/path" CGO_ENABLED=0 \
	go build -o "$TMP/steady" "$ROOT/tests/go/steady.go")
ROUNDS=${FIDELITY_ROUNDS:-3}
r=0
exp=0; got=0; drop=0; wrong=0; inv=0
while [ $r -lt $ROUNDS ]; do
	r=$((r + 1))
	# Each program's stderr goes through its own tee: a file of its own
	# (the truth) and the shared pipe, where the two interleave as tee
	# writes what it reads.
	(
		(GODEBUG=gctrace=1 "$TMP/steady" 2>&1 >"$TMP/a.out" | tee "$TMP/a.rec") &
		(GODEBUG=gctrace=1 "$TMP/steady" 2>&1 >"$TMP/b.out" | tee "$TMP/b.rec") &
		wait
	) | "$GCW" -b --json "$TMP/both.jsonl" - >/dev/null 2>"$TMP/both.err"
	for x in a b; do
		"$GCW" -b -q --json "$TMP/$x.jsonl" "$TMP/$x.rec" >/dev/null
		n=$(sed -n 's/^NUMGC //p' "$TMP/$x.out")
		m=$(wc -l <"$TMP/$x.jsonl")
		[ "$n" = "$m" ] || echo "bench: round $r: program $x made $n collections, its own recording reads $m"
	done
	python3 - "$TMP/a.jsonl" "$TMP/b.jsonl" "$TMP/both.jsonl" "$TMP/both.err" >"$TMP/score" <<'EOF'
import json, re, sys
# The record's values; which process it went to (source "#1", "#2") is
# the demultiplexer's, scored by tests/e2e/demux.sh.
def load(p):
    out = []
    for l in open(p):
        if l.strip():
            d = json.loads(l)
            d.pop("source", None)
            out.append(json.dumps(d, sort_keys=True))
    return out
truth = load(sys.argv[1]) + load(sys.argv[2])
got = load(sys.argv[3])
pool = {}
for t in truth:
    pool[t] = pool.get(t, 0) + 1
keys = {(json.loads(t)["gc"], json.loads(t)["at_s"]) for t in truth}
exact = wrong = invented = 0
for g in got:
    if pool.get(g, 0) > 0:
        pool[g] -= 1; exact += 1
    elif (json.loads(g)["gc"], json.loads(g)["at_s"]) in keys:
        wrong += 1
    else:
        invented += 1
m = re.search(r"(\d+) dropped", open(sys.argv[4]).read())
print(len(truth), exact, int(m.group(1)) if m else 0, wrong, invented)
EOF
	read -r e g d w i <"$TMP/score"
	exp=$((exp + e)); got=$((got + g)); drop=$((drop + d)); wrong=$((wrong + w)); inv=$((inv + i))
done
row "two real Go programs, one pipe" "$wrong" "$inv"
echo "  ($ROUNDS rounds of two tests/go/steady.go at once, each through its own tee into one pipe)"
if [ "$wrong" != 0 ] || [ "$inv" != 0 ]; then
	echo "bench: MISSED: wrong or invented records from two real programs (target 0)" >&2
fi

# --- two real Go programs writing one pipe themselves -------------------
# No tee: both runtimes write(2) their tokens straight into the pipe
# gcwatch reads, so they interleave at the runtime's own write boundaries.
# There is no recording of each then, so the truth is each program's NUMGC
# and its P (GOMAXPROCS 2 and 1 tell them apart): every record read must be
# one of 1..NUMGC of its P, none twice ("bad" otherwise); values are checked
# by the tee rounds above.
DROUNDS=${FIDELITY_DIRECT_ROUNDS:-10}
r=0
exp=0; got=0; drop=0; bad=0
while [ $r -lt $DROUNDS ]; do
	r=$((r + 1))
	(
		(GODEBUG=gctrace=1 GOMAXPROCS=2 "$TMP/steady" >"$TMP/a.out") &
		(GODEBUG=gctrace=1 GOMAXPROCS=1 "$TMP/steady" >"$TMP/b.out") &
		wait
	) 2>&1 | "$GCW" -b --json "$TMP/direct.jsonl" - >/dev/null 2>"$TMP/direct.err"
	na=$(sed -n 's/^NUMGC //p' "$TMP/a.out")
	nb=$(sed -n 's/^NUMGC //p' "$TMP/b.out")
	python3 - "$TMP/direct.jsonl" "$TMP/direct.err" "$na" "$nb" >"$TMP/score" <<'EOF2'
import json, re, sys
numgc = {2: int(sys.argv[3]), 1: int(sys.argv[4])}
seen, bad = set(), 0
for l in open(sys.argv[1]):
    if not l.strip():
        continue
    d = json.loads(l)
    k = (d["procs"], d["gc"])
    if k in seen or d["procs"] not in numgc or not 1 <= d["gc"] <= numgc[d["procs"]]:
        bad += 1
    seen.add(k)
m = re.search(r"(\d+) dropped", open(sys.argv[2]).read())
print(numgc[1] + numgc[2], len(seen), int(m.group(1)) if m else 0, bad)
EOF2
	read -r e g d b <"$TMP/score"
	exp=$((exp + e)); got=$((got + g)); drop=$((drop + d)); bad=$((bad + b))
done
row "two real programs, plain pipe" - "$bad"
echo "  ($DROUNDS rounds of two tests/go/steady.go, GOMAXPROCS 2 and 1, both writing one pipe; wrong: not checked, inv: a number no program printed or one read twice)"
if [ "$bad" != 0 ]; then
	echo "bench: MISSED: records no program printed, from two real programs on one pipe (target 0)" >&2
fi
exit $status
