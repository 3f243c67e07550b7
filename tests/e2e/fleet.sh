#!/bin/sh
# Several processes on one input (DESIGN.md "Several sources (feeds)"):
#  - batch: kubectl --prefix and journald streams of 3 and 60 processes
#    (tests/tools/gen_fleet.py, real corpus lines) give one summary block
#    per process with its true count and runs, every record's source is the
#    process that printed it (its "@" time says which), and --fail-if names
#    the feed;
#  - the dashboard in tmux at 80x24 and 200x60: the fleet table lists every
#    process with its count, s sorts (by gcs: counts fall down the table),
#    j moves, Enter opens that feed's panes (the header names it), Esc goes
#    back; with 60 feeds at 80x24 the table scrolls to the selection.
. "$(dirname "$0")/lib.sh"
need_gcwatch
command -v tmux >/dev/null 2>&1 || fail "the fleet test needs tmux (make deps)"
command -v python3 >/dev/null 2>&1 || fail "the fleet test needs python3 (make deps)"
GEN="$ROOT/tests/tools/gen_fleet.py"

# --- batch: attribution and the summary -------------------------------
for kind in kubectl journald; do
	for n in 3 60; do
		s="$T/$kind$n"
		python3 "$GEN" "$kind" "$n" "$s.log" "$s.truth"
		run_to 30 "$GCWATCH" -b --json "$s.jsonl" "$s.log" >"$s.out" 2>"$s.err" ||
			fail "$kind$n: gcwatch exited $?"
		python3 - "$s.jsonl" "$s.truth" "$s.err" <<'PY' || fail "$kind $n: records or summary wrong (above)"
import collections, json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
truth = [l.split() for l in open(sys.argv[2])]
names = [t[0] for t in truth]
err = open(sys.argv[3]).read()
bad = 0
count = collections.Counter()
for r in recs:
    count[r["source"]] += 1
    # The generator put the process's index in the thousands of "@".
    if names[int(r["at_s"] // 1000)] != r["source"]:
        bad += 1
for name, n, runs in truth:
    if count[name] != int(n):
        print("%s: %d records, want %s" % (name, count[name], n)); bad += 1
    block = err.split("feed         " + name + "\n", 1)
    if len(block) != 2:
        print("no summary block for", name); bad += 1; continue
    gc = block[1].split("\n", 1)[0]
    want = "gc           %s collection%s" % (n, "" if n == "1" else "s")
    if not gc.startswith(want) or (", %s run" % runs) not in gc:
        print("%s: summary says %r, want %s records in %s runs" % (name, gc, n, runs)); bad += 1
if "feed         all: %d feeds pooled" % len(truth) not in err:
    print("no pooled block"); bad += 1
if bad:
    print(err[:3000]); sys.exit(1)
PY
	done
done
note "batch: every record attributed to its own process, per-feed summary true"
# --fail-if holds for one feed and names it.
"$GCWATCH" -b -q --fail-if 'gc.count > 20' "$T/kubectl3.log" >/dev/null 2>"$T/gate.err" && fail "--fail-if did not hold"
big=$(sort -k2 -n "$T/kubectl3.truth" | tail -n1 | cut -d' ' -f1)
grep -q "in feed $big\$" "$T/gate.err" || { cat "$T/gate.err" >&2; fail "--fail-if did not name feed $big"; }

# --- the dashboard -------------------------------------------------------
. "$ROOT/tests/tools/tmux.sh"
# watch NAME W H LOG: the dashboard on LOG in a WxH session.
watch() {
	start "$1" "$2" "$3" "env TERM=xterm-256color LANG=C.UTF-8 '$GCWATCH' '$4'; exec sleep 600"
}

watch F3 80 24 "$T/kubectl3.log"
wait_for 10 F3 '^ 3 feeds +60 gcs'
# Every process's row with its true count (waited for: a capture can
# catch the table half drawn).
while read -r name n runs; do
	short=$(printf %.16s "$name")
	wait_for 10 F3 "^ $(printf %s "$short" | sed 's/[][\.*^$/]/\\&/g')[^ ]* +(live|quiet|ended) +$n " ||
		fail "F3: no row for $name with $n gcs"
done <"$T/kubectl3.truth"
# s until the table is sorted by gcs; counts then fall down the table.
for i in 1 2; do tm send-keys -t F3 s; done
wait_for 5 F3 'gcs\*'
settle F3 # (the whole frame: a capture can catch it half drawn)
grep -E '^ pod/' "$T/F3.txt" | awk '{print $3}' >"$T/F3.counts"
sort -rn "$T/F3.counts" | cmp -s - "$T/F3.counts" || { cat "$T/F3.txt" >&2; fail "F3: not sorted by gcs"; }
# j, Enter: the second row's panes, named in the header; Esc: back.
second=$(grep -E '^ pod/' "$T/F3.txt" | sed -n 2p | awk '{print $1}' | sed 's/…$//')
tm send-keys -t F3 j Enter
wait_for 5 F3 "› $(printf %.10s "$second")"
wait_for 5 F3 '^PAUSE'
tm send-keys -t F3 Escape
wait_for 5 F3 '^ 3 feeds'
note "dashboard 80x24, 3 feeds: rows, sorting, Enter and Esc"

# 60 feeds at 80x24: the table scrolls to the selection.
watch F60 80 24 "$T/kubectl60.log"
wait_for 10 F60 '^ 60 feeds'
settle F60
rows=$(grep -cE '^.pod/' "$T/F60.txt")
[ "$rows" = 19 ] || { cat "$T/F60.txt" >&2; fail "F60: $rows feed rows on 24 lines, want 19"; }
grep -q '▼' "$T/F60.txt" || fail "F60: no mark for the rows below"
i=0
while [ $i -lt 40 ]; do tm send-keys -t F60 j; i=$((i + 1)); done
# The table's order is the order of first appearance: the 41st source.
want=$(python3 -c 'import json,sys
seen=[]
for l in open(sys.argv[1]):
    s=json.loads(l)["source"]
    if s not in seen: seen.append(s)
print(seen[40])' "$T/kubectl60.jsonl")
wait_for 5 F60 "^.$(printf %.16s "$want" | sed 's/[][\.*^$/]/\\&/g')"
settle F60
grep -q '▲' "$T/F60.txt" || fail "F60: no mark for the rows above after scrolling"
tm send-keys -t F60 Enter
wait_for 5 F60 "› $(printf %.10s "$want")"
note "dashboard 80x24, 60 feeds: scrolls to the selection, opens the 41st"

# 200x60: full names, every column.
watch W60 200 60 "$T/journald60.log"
wait_for 10 W60 '^ 60 feeds'
grep -q 'GC/s' "$T/W60.txt" && grep -q 'goal' "$T/W60.txt" && grep -q 'runs' "$T/W60.txt" ||
	{ cat "$T/W60.txt" >&2; fail "W60: columns missing at 200 wide"; }
rows=$(grep -cE '^.api[0-9]+\[' "$T/W60.txt")
[ "$rows" = 55 ] || { cat "$T/W60.txt" >&2; fail "W60: $rows feed rows on 60 lines, want 55"; }
note "dashboard 200x60, 60 journald feeds: every column"

# A go command and the tool it ran ('# PKG'): one process to watch, so
# the program's panes, not the table; Esc shows the table with both.
D=$ROOT/tests/data/demux
{ head -5 "$D/saw.trace"; echo "# command-line-arguments"; head -3 "$D/service.trace"
  sed -n 6,20p "$D/saw.trace"; } >"$T/gorun.log"
watch G 80 24 "$T/gorun.log"
wait_for 10 G '^ 20 gcs'
wait_for 5 G '^PAUSE'
tm send-keys -t G Escape
wait_for 5 G '^ 2 feeds +23 gcs'
grep -q 'command-line-argu' "$T/G.txt" || { cat "$T/G.txt" >&2; fail "G: no row for the tool"; }
note "dashboard: a go command and its tool open on the program, Esc shows both"
