#!/bin/sh
# --record and --replay through gcwatch itself: a live run of a real Go
# program that logs while it collects is recorded; the recording, read
# plainly and replayed fast, gives exactly the records the live run gave;
# a 5-second recording replayed at --replay=10 takes about half a second;
# the recording holds every byte of a single-stream input unchanged.
. "$(dirname "$0")/lib.sh"
need_gcwatch

noisy=$(build_go noisy)

# 1. Live run with --record, then the same records from the recording.
run_to 60 "$GCWATCH" -q -r "$T/rec.log" --json "$T/live.json" -- "$noisy" \
	>"$T/out" 2>"$T/err" || fail "live run failed: $(tail -3 "$T/err")"
[ "$(stat -c %a "$T/rec.log")" = 644 ] || fail "recording mode is not 0644"
n=$(wc -l <"$T/live.json")
[ "$n" -gt 20 ] || fail "only $n records in the live run"
grep -q 'request' "$T/rec.log" || fail "the program's own lines are not in the recording"
run_to 60 "$GCWATCH" -q --json "$T/plain.json" "$T/rec.log" >/dev/null ||
	fail "reading the recording failed"
cmp -s "$T/live.json" "$T/plain.json" || fail "records from the recording differ from the live run"
run_to 60 "$GCWATCH" -q --replay=1000 --json "$T/replay.json" "$T/rec.log" >/dev/null ||
	fail "--replay=1000 failed"
cmp -s "$T/live.json" "$T/replay.json" || fail "records of --replay differ from the live run"
note "record: $n records, live = recording = replay"

# 2. A single-stream input is recorded byte for byte.
printf 'a\0b\r\nno newline' >"$T/raw.bin"
run_to 20 "$GCWATCH" -q -r "$T/raw.rec" "$T/raw.bin" >/dev/null || fail "raw run failed"
cmp -s "$T/raw.bin" "$T/raw.rec" || fail "recording of a file is not byte-identical"

# 3. Pace: gc lines at @0..@5 s replayed at 10x take about 0.5 s.
python3 - "$T/slow.log" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(11):
        f.write("gc %d @%d.%03ds 1%%: 0.010+1.0+0.020 ms clock, 0.040+0.10/1.0/0+0.080 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 4 P\n"
                % (i + 1, i // 2, (i % 2) * 500))
PY
t0=$(date +%s%N)
run_to 30 "$GCWATCH" -q --replay=10 --json "$T/slow.json" "$T/slow.log" >/dev/null ||
	fail "--replay=10 failed"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
[ "$(wc -l <"$T/slow.json")" = 11 ] || fail "--replay=10 gave $(wc -l <"$T/slow.json") records, not 11"
[ "$ms" -ge 350 ] && [ "$ms" -le 2000 ] ||
	fail "--replay=10 of a 5 s recording took ${ms} ms (expected about 500)"
note "replay: 5 s at 10x took ${ms} ms"
