#!/bin/sh
# --fail-if, the CI gate: status 99 when a condition on the summary holds
# and the input (or the command) was otherwise fine; the command's own
# failure wins; a malformed expression is a usage error naming what was
# expected.
. "$(dirname "$0")/lib.sh"
need_gcwatch
trace="$ROOT/tests/data/corpus/stream-go1.18-goal-below-heap.log" # p99 6.3 ms, live max 212 MB

st() { set +e; run_to 30 "$GCWATCH" "$@" >"$T/out" 2>"$T/err"; echo $?; set -e; }

[ "$(st -b -q --fail-if 'pause.p99 > 5ms' "$trace")" = 99 ] || fail "p99 > 5ms should hold: $(cat "$T/err")"
grep -q "pause.p99 > 5ms' holds" "$T/err" || fail "the condition that held is not named"
[ "$(st -b -q --fail-if 'pause.p99 > 7ms' "$trace")" = 0 ] || fail "p99 > 7ms should not hold"
[ "$(st -b -q --fail-if 'heap.live.max > 100MB' --fail-if 'gc.cpu > 50%' "$trace")" = 99 ] ||
	fail "heap.live.max > 100MB should hold"
[ "$(st -b -q --fail-if 'heap.live.max > 1GB' --fail-if 'gc.count < 10' "$trace")" = 0 ] ||
	fail "neither condition should hold"
# The command's own failure is reported as such.
[ "$(st -b -q --fail-if 'gc.count == 0' -- sh -c 'exit 3')" = 3 ] || fail "the command's status 3 was not kept"
[ "$(st -b -q --fail-if 'gc.count == 0' -- sh -c 'exit 0')" = 99 ] || fail "gc.count == 0 should hold for sh"
# Malformed: usage error (2) saying what was expected.
[ "$(st -b -q --fail-if 'pause.p99 > 5MB' "$trace")" = 2 ] || fail "a size for a pause was accepted"
grep -q "expected a time" "$T/err" || fail "the message does not say a time was expected: $(cat "$T/err")"
[ "$(st -b -q --fail-if 'pauses > 5ms' "$trace")" = 2 ] || fail "an unknown metric was accepted"
grep -q "pause.p99" "$T/err" || fail "the message does not list the metrics"
note "gate: ok"
