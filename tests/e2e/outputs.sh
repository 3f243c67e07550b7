#!/bin/sh
# Record outputs that fail (issue 8), with a real Go program
# (tests/go/exitn.go: collects as fast as it can, then exits with the
# status it is given), real pipes and fifos, and a real full tmpfs:
#
#  same      -r f f, --json f f, --csv f f, --json x --csv x and --csv o
#            with stdout on o: usage error (status 2) naming both, before
#            anything is truncated (f keeps its bytes, x is not left).
#  readerr   gcwatch -b /proc/self/mem (pread gives EIO): status 1 and a
#            message naming the file and the error, even with -q.
#  stalled   (gcwatch -b --json - -- exitn 0 1) | a reader that never reads:
#            gcwatch exits within a bounded time (the 3 s it gives readers
#            and slack; it held on for the reader's whole stall before),
#            status 0, and the summary counts the records lost.
#  fifo      --json FIFO with no reader: the program starts and runs (it
#            hung before the start), gcwatch exits 0, the records are
#            counted lost ("no reader opened it"), --fail-if 'lost.records
#            > 0' exits 99; a reader that comes late gets every record.
#  record    -r into a fifo whose reader never reads: the program writes
#            24 MB of log through gcwatch and ends (it was blocked before),
#            the bytes lost are counted and said.
#  full      (root; skipped otherwise) --json and -r on a 64 KiB tmpfs:
#            the first failure is said on stderr at once (while the
#            program still runs), naming the file and the error, with -q
#            too; the summary says "N of M records lost"; the file holds
#            exactly M-N whole JSON lines; the status is the program's own
#            (0, and 3 for exitn 3); --fail-if 'lost > 0' gives 99.
#  devfull   --json /dev/full (every write fails with ENOSPC, no root
#            needed): said at once on stderr; in the dashboard (tmux) the
#            header's second row shows it while the program runs.
# ONLY=NAME runs one part (to check each against an older gcwatch).
. "$(dirname "$0")/lib.sh"
need_gcwatch

exitn=$(build_go exitn)
ms() { echo $(($(date +%s%N) / 1000000)); }
BG=
want() { [ -z "${ONLY:-}" ] || [ "$ONLY" = "$1" ]; }
trap 'for p in $BG; do kill "$p" 2>/dev/null || :; done; cleanup' EXIT

# ---- same file -----------------------------------------------------------
if want same; then
printf 'gc 1 @0.001s 0%%: 0.010+1.0+0.020 ms clock, 0.040+0.10/1.0/0+0.080 ms cpu, 4->4->2 MB, 5 MB goal, 4 P\n' >"$T/f"
size=$(wc -c <"$T/f")
for opt in -r --json --csv; do
	rc=0
	run_to 10 "$GCWATCH" -b "$opt" "$T/f" "$T/f" >/dev/null 2>"$T/err" || rc=$?
	[ "$rc" = 2 ] || fail "same: $opt f f exited $rc, not 2: $(cat "$T/err")"
	grep -q -- "$opt '$T/f' is the input itself" "$T/err" ||
		fail "same: $opt f f: message does not say so: $(cat "$T/err")"
	[ "$(wc -c <"$T/f")" = "$size" ] || fail "same: $opt f f truncated the input"
done
rc=0
run_to 10 "$GCWATCH" -b --json "$T/x" --csv "$T/x" "$T/f" >/dev/null 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q "are the same file" "$T/err" ||
	fail "same: --json x --csv x exited $rc: $(cat "$T/err")"
[ ! -e "$T/x" ] || fail "same: --json x --csv x left x behind"
rc=0
run_to 10 "$GCWATCH" -b --json - --csv "$T/o" "$T/f" >"$T/o" 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q "are the same file" "$T/err" ||
	fail "same: --json - --csv o >o exited $rc: $(cat "$T/err")"
note "same: -r/--json/--csv f f, --json x --csv x, --csv o >o: status 2, nothing truncated"
fi

# ---- read error ------------------------------------------------------------
if want readerr; then
for q in "" -q; do
	rc=0
	run_to 10 "$GCWATCH" -b $q /proc/self/mem >/dev/null 2>"$T/err" || rc=$?
	[ "$rc" = 1 ] || fail "readerr: gcwatch -b $q /proc/self/mem exited $rc, not 1"
	grep -q "cannot read '/proc/self/mem': Input/output error" "$T/err" ||
		fail "readerr: no message naming the file and EIO: $(cat "$T/err")"
done
note "readerr: /proc/self/mem: status 1, EIO said"
fi

# ---- a stalled reader of --json - -------------------------------------------
if want stalled; then
t0=$(ms)
( "$GCWATCH" -b --json - -- "$exitn" 0 1 2>"$T/st.err"; echo $? >"$T/st.rc"; ms >"$T/st.end" ) |
	sleep 60 &
BG="$BG $!"
n=0
while [ ! -s "$T/st.end" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
[ -s "$T/st.end" ] || fail "stalled: gcwatch still running 30 s after start (held by the stalled reader)"
took=$(($(cat "$T/st.end") - t0))
[ "$(cat "$T/st.rc")" = 0 ] || fail "stalled: status $(cat "$T/st.rc"), not 0: $(tail -3 "$T/st.err")"
[ "$took" -lt 15000 ] || fail "stalled: gcwatch took $took ms to exit (1 s of program, 3 s for the reader)"
grep -Eq -- '^output +--json -: [1-9][0-9]* of [0-9]+ records lost \(.*stalled at the end' "$T/st.err" ||
	fail "stalled: the summary does not count the records lost: $(tail -4 "$T/st.err")"
note "stalled: exited after $took ms; $(grep -- '--json -' "$T/st.err")"
fi

# ---- a fifo without a reader --------------------------------------------------
if want fifo; then
mkfifo "$T/p"
rc=0
run_to 30 "$GCWATCH" -b --json "$T/p" --fail-if 'lost.records > 0' -- "$exitn" 0 0.3 \
	>"$T/fi.out" 2>"$T/fi.err" || rc=$?
[ "$rc" != 124 ] || fail "fifo: gcwatch --json FIFO without a reader hung"
[ "$rc" = 99 ] || fail "fifo: status $rc, not 99 (--fail-if 'lost.records > 0'): $(tail -3 "$T/fi.err")"
grep -q '^NUMGC [0-9]' "$T/fi.out" || fail "fifo: the program did not run"
ngc=$(sed -n 's/^NUMGC //p' "$T/fi.out")
grep -Eq -- "--json $T/p: $ngc of $ngc records lost \\(no reader opened it\\)" "$T/fi.err" ||
	fail "fifo: the loss is not said: $(tail -4 "$T/fi.err")"
grep -q "lost.records is $ngc" "$T/fi.err" || fail "fifo: --fail-if does not say lost.records: $(tail -2 "$T/fi.err")"
# A reader that comes late gets everything.
(sleep 0.5; cat "$T/p" >"$T/late.json") &
late=$!
run_to 30 "$GCWATCH" -b --json "$T/p" -- "$exitn" 0 0.3 >"$T/fl.out" 2>"$T/fl.err" ||
	fail "fifo: late reader: gcwatch failed: $(tail -3 "$T/fl.err")"
wait $late
ngc=$(sed -n 's/^NUMGC //p' "$T/fl.out")
[ "$(wc -l <"$T/late.json")" = "$ngc" ] ||
	fail "fifo: the late reader got $(wc -l <"$T/late.json") records of $ngc"
note "fifo: no reader: program ran, all counted lost, status 99 with --fail-if; late reader: $ngc of $ngc"
fi

# ---- -r into a fifo that is never read ------------------------------------------
if want record; then
mkfifo "$T/r"
sh -c 'exec 3<"$1"; sleep 60' sh "$T/r" &
BG="$BG $!"
rc=0
run_to 45 "$GCWATCH" -b -r "$T/r" -- "$exitn" 0 0.2 24 >"$T/rec.out" 2>"$T/rec.err" || rc=$?
[ "$rc" = 0 ] || fail "record: status $rc (124 or 137: timed out, the stalled recording blocked the program)"
grep -q '^LOGGED 24$' "$T/rec.out" || fail "record: the program did not finish its 24 MB of log"
grep -Eq -- "^gcwatch: -r '$T/r': the reader does not keep up: bytes are being dropped" "$T/rec.err" ||
	fail "record: the drop is not said at once: $(grep gcwatch "$T/rec.err" | head -3)"
grep -Eq -- "^output +-r $T/r: [1-9][0-9]* of [0-9]+ bytes lost" "$T/rec.err" ||
	fail "record: the summary does not count the bytes lost: $(tail -3 "$T/rec.err")"
note "record: $(grep -- "-r $T/r" "$T/rec.err" | tail -1 | sed 's/  */ /g')"
fi

# ---- /dev/full: batch and dashboard ------------------------------------------
if want devfull; then
rc=0
run_to 30 "$GCWATCH" -b -q --json /dev/full -- "$exitn" 0 0.3 >"$T/df.out" 2>"$T/df.err" || rc=$?
[ "$rc" = 0 ] || fail "devfull: status $rc, not the program's 0"
ngc=$(sed -n 's/^NUMGC //p' "$T/df.out")
grep -qx "gcwatch: --json '/dev/full': No space left on device: records are being lost" "$T/df.err" &&
	grep -qx "gcwatch: --json /dev/full: $ngc of $ngc records lost (No space left on device)" "$T/df.err" ||
	fail "devfull: not said or not counted: $(cat "$T/df.err")"
if command -v tmux >/dev/null 2>&1; then
	SOCK=gcwatch-outputs-$$
	trap 'tmux -L "$SOCK" kill-server 2>/dev/null || :; for p in $BG; do kill "$p" 2>/dev/null || :; done; cleanup' EXIT
	printf 'set -g default-shell /bin/sh\nset -g status off\n' >"$T/tmux.conf"
	tmux -L "$SOCK" -f "$T/tmux.conf" new-session -d -x 80 -y 24 \
		"LC_ALL=C.UTF-8 '$GCWATCH' --json /dev/full -- '$exitn' 0 20; exec sleep 60" ||
		fail "devfull: tmux failed"
	n=0
	until tmux -L "$SOCK" capture-pane -p >"$T/dash.txt" 2>/dev/null &&
	      sed -n 2p "$T/dash.txt" | grep -q "json '/dev/full': No space left on device"; do
		n=$((n + 1))
		[ $n -lt 150 ] || { cat "$T/dash.txt" >&2; fail "devfull: the dashboard's header does not show the failure"; }
		sleep 0.1
	done
	grep -q running "$T/dash.txt" || fail "devfull: the header showed it only after the program ended"
	tmux -L "$SOCK" send-keys q
	tmux -L "$SOCK" kill-server 2>/dev/null || :
	note "devfull: said at once and counted ($ngc of $ngc); the dashboard's header shows it while running"
else
	note "devfull: said at once and counted ($ngc of $ngc); dashboard part SKIPPED (no tmux)"
fi
fi

# ---- a full file system ----------------------------------------------------------
want full || exit 0
if [ "$(id -u)" != 0 ]; then
	note "full: SKIPPED (needs root to mount a tmpfs)"
	exit 0
fi
mkdir "$T/tfs"
if ! mount -t tmpfs -o size=64k gcwatch-test "$T/tfs" 2>"$T/mount.err"; then
	note "full: SKIPPED (cannot mount a tmpfs: $(cat "$T/mount.err"))"
	exit 0
fi
trap 'umount -l "$T/tfs" 2>/dev/null || :; for p in $BG; do kill "$p" 2>/dev/null || :; done; cleanup' EXIT
for q in "" -q; do
	rm -f "$T/tfs/out.json"
	"$GCWATCH" -b $q --json "$T/tfs/out.json" -- "$exitn" 3 4 >"$T/full.out" 2>"$T/full.err" &
	pid=$!
	n=0
	until grep -q "No space left on device" "$T/full.err" || [ $n -ge 100 ]; do
		sleep 0.05; n=$((n + 1))
	done
	kill -0 "$pid" 2>/dev/null ||
		fail "full: no failure said while the program ran (at the end only?): $(cat "$T/full.err")"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" = 3 ] || fail "full$q: status $rc, not the program's 3"
	grep -q "^gcwatch: --json '$T/tfs/out.json': No space left on device: records are being lost$" "$T/full.err" ||
		fail "full$q: the failure is not said naming the file: $(head -3 "$T/full.err")"
	m=$(sed -n 's/^NUMGC //p' "$T/full.out")
	lost=$(sed -n "s|^.*--json $T/tfs/out.json: \\([0-9]*\\) of $m records lost (No space left on device)\$|\\1|p" "$T/full.err")
	[ -n "$lost" ] || fail "full$q: no 'N of $m records lost' line: $(tail -3 "$T/full.err")"
	python3 - "$T/tfs/out.json" "$((m - lost))" <<'PY' || fail "full$q: the file is not exactly the records not lost"
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
assert lines[-1] == b"", "a cut line at the end"
recs = [json.loads(l) for l in lines[:-1]]
assert len(recs) == int(sys.argv[2]), (len(recs), sys.argv[2])
assert [r["gc"] for r in recs] == list(range(1, len(recs) + 1))
PY
done
rc=0
run_to 30 "$GCWATCH" -b -q -r "$T/tfs/rec" --fail-if 'lost > 0' -- "$exitn" 0 0.3 >/dev/null 2>"$T/fr.err" || rc=$?
[ "$rc" = 99 ] || fail "full: -r with --fail-if 'lost > 0' exited $rc, not 99: $(cat "$T/fr.err")"
grep -Eq -- "-r $T/tfs/rec: [1-9][0-9]* of [0-9]+ bytes lost \\(No space left on device\\)" "$T/fr.err" ||
	fail "full: -r: bytes lost not said: $(cat "$T/fr.err")"
note "full: said at once, with -q too; $lost of $m records lost, the file holds the rest whole; status 3 kept; lost > 0 gives 99"
