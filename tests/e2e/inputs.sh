#!/bin/sh
# Several inputs (DESIGN.md "Several sources (feeds)"):
#  - batch over two files and standard input (-): each one's records are
#    exactly those it gives alone, in its order, with source its name, and
#    the summary has a block per input and the pooled one;
#  - options after PATHs, -n naming the next input, the same path twice
#    (two inputs, told apart);
#  - two -c commands, one ending with status 3 while the other goes on:
#    batch exits 3, names each command's exit, keeps each one's records
#    and text; the dashboard in tmux shows the first as "exit 3" in the
#    fleet table and the other still live, and q ends the one still
#    running (its whole process group); a third that fails at once (an
#    ssh that cannot connect) is listed with its status and no collection.
. "$(dirname "$0")/lib.sh"
need_gcwatch
command -v python3 >/dev/null 2>&1 || fail "the inputs test needs python3 (make deps)"
C="$ROOT/tests/data/corpus"
A="$C/stream-go1.18-goal-below-heap.log"
# One process each (a concatenation of samples from several Go versions,
# as go1.5.txt, reads as several processes to the demultiplexer).
B="$ROOT/tests/data/demux/saw.trace"
S="$ROOT/tests/data/demux/service.trace"

# same ALONE.jsonl MULTI.jsonl NAME: the records of input NAME in MULTI are
# those of ALONE, in order: a record's source there is NAME, or "NAME: KEY"
# where alone it was KEY (a process the input's demultiplexer told apart).
same() {
	python3 - "$@" <<'PY' || fail "records of $3 differ (above)"
import json, sys
alone = [json.loads(l) for l in open(sys.argv[1])]
multi = [json.loads(l) for l in open(sys.argv[2])]
name = sys.argv[3]
mine = [r for r in multi if r["source"] == name or r["source"].startswith(name + ": ")]
for r in alone:
    r["source"] = name if r["source"] is None else name + ": " + r["source"]
if mine != alone:
    print("%s: %d records, alone %d" % (name, len(mine), len(alone)))
    for a, b in zip(mine, alone):
        if a != b:
            print("  got ", a); print("  want", b); break
    sys.exit(1)
if not alone:
    print(name, ": no records at all"); sys.exit(1)
PY
}

# --- two files and standard input ----------------------------------------
for f in A B S; do
	eval p=\$$f
	run_to 30 "$GCWATCH" -b -q --json "$T/$f.jsonl" "$p" >"$T/$f.out" || fail "$f alone: exit $?"
done
run_to 30 "$GCWATCH" -b "$A" "$B" - --json "$T/multi.jsonl" <"$S" >"$T/multi.out" 2>"$T/multi.err" ||
	fail "two files and stdin: exit $?"
same "$T/A.jsonl" "$T/multi.jsonl" "$A"
same "$T/B.jsonl" "$T/multi.jsonl" "$B"
same "$T/S.jsonl" "$T/multi.jsonl" "standard input"
[ "$(wc -l <"$T/multi.jsonl")" = "$(cat "$T/A.jsonl" "$T/B.jsonl" "$T/S.jsonl" | wc -l)" ] ||
	fail "two files and stdin: records that belong to no input"
for n in "$A" "$B" "standard input" "all: 3 feeds pooled"; do
	grep -qxF "feed         $n" "$T/multi.err" ||
		{ cat "$T/multi.err" >&2; fail "no summary block 'feed $n'"; }
done
# The text that is not runtime output goes to stdout, from each input.
cat "$T/A.out" "$T/B.out" "$T/S.out" | sort >"$T/alone.text"
sort "$T/multi.out" >"$T/multi.text"
cmp -s "$T/alone.text" "$T/multi.text" || fail "two files and stdin: their text differs on stdout"
note "two files and stdin: each input's records exact, a summary block each"

# -n names the next input; the same path twice is two inputs.
run_to 30 "$GCWATCH" -b -q -n first "$A" "$A" --json "$T/named.jsonl" >/dev/null ||
	fail "-n NAME PATH PATH: exit $?"
same "$T/A.jsonl" "$T/named.jsonl" first
same "$T/A.jsonl" "$T/named.jsonl" "$A"
run_to 30 "$GCWATCH" -b -q "$A" "$A" --json "$T/twice.jsonl" >/dev/null || fail "PATH PATH: exit $?"
same "$T/A.jsonl" "$T/twice.jsonl" "$A"
same "$T/A.jsonl" "$T/twice.jsonl" "$A (2)"
note "-n names an input; the same path twice is two feeds"

# --- two -c commands, one exits 3, the other goes on ------------------------
# Short commands (run in $T): a name is cut in its middle past 96 bytes.
cp "$B" "$T/b.txt"
cp "$S" "$T/s.txt"
C1="cat b.txt; echo first-done >&2; : >first.ended; exit 3"
# The second outlives the first: it waits for the first to have ended
# (its record count is in the summary only at the end; a file tells).
C2="cat s.txt; while [ ! -e first.ended ]; do sleep 0.1; done; echo second-done"
set +e
(cd "$T" && run_to 60 "$GCWATCH" -b --json c.jsonl -c "$C1" -c "$C2" >c.out 2>c.err)
rc=$?
set -e
[ "$rc" = 3 ] || { cat "$T/c.err" >&2; fail "two -c: exit $rc, want 3 (the first to fail)"; }
same "$T/B.jsonl" "$T/c.jsonl" "$C1"
same "$T/S.jsonl" "$T/c.jsonl" "$C2"
grep -qxF "exit         $C1: 3" "$T/c.err" || { cat "$T/c.err" >&2; fail "two -c: the first's exit is not said"; }
grep -qxF "exit         $C2: 0" "$T/c.err" || { cat "$T/c.err" >&2; fail "two -c: the second's exit is not said"; }
grep -qx first-done "$T/c.err" || fail "two -c: the first's stderr did not reach stderr"
grep -qx second-done "$T/c.out" || fail "two -c: the second's stdout did not reach stdout"
note "two -c: exit 3 from the first, each one's records and exit said"

# The dashboard: the first ended with 3 in the fleet table, the second
# still live; q ends the second (its shell and its sleep).
. "$ROOT/tests/tools/tmux.sh"
cat >"$T/dash.sh" <<EOF
#!/bin/sh
echo \$\$ >'$T/dash.pid'
exec env TERM=xterm-256color LANG=C.UTF-8 '$GCWATCH' -q -n one -c "cat '$B'; exit 3" \
	-n two -c "cat '$S'; echo \\\$\\\$ >'$T/two.pid'; exec sleep 300" \
	-n bad -c "echo 'ssh: connect to host n3: Connection refused' >&2; exit 255"
EOF
start dash 120 30 "sh '$T/dash.sh'; echo status=\$? >'$T/dash.status'; exec sleep 600"
wait_for 30 dash '^ *one +exit 3 +35 '
wait_for 30 dash '^ *two +live +104 '
# A command that failed before any collection is listed with its status.
wait_for 30 dash '^ *bad +ex 255 +0 '
[ -s "$T/two.pid" ] || fail "the second command did not start its sleep"
two=$(cat "$T/two.pid")
kill -0 "$two" 2>/dev/null || fail "the second command's sleep is gone before q"
tm send-keys -t dash q
n=100
while [ ! -s "$T/dash.status" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -s "$T/dash.status" ] || { cap dash >&2; fail "q did not end the dashboard"; }
n=50
while kill -0 "$two" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
kill -0 "$two" 2>/dev/null && fail "q left the second command's sleep ($two) running"
# The first to fail decides: 3.
grep -qx 'status=3' "$T/dash.status" || fail "dashboard: $(cat "$T/dash.status"), want status=3"
note "dashboard: 'exit 3' and 'live' in the fleet table; q ended the other command's group"
