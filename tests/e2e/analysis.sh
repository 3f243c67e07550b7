#!/bin/sh
# The analysis on the command line: --summary-json (valid JSON in the
# DESIGN.md shape, alone on stdout with '-'), --fail-if on mmu.* and
# finding.NAME, --what-if-limit, and the GOGC a command inherits.
. "$(dirname "$0")/lib.sh"
need_gcwatch
D="$ROOT/tests/data/analysis"

st() { set +e; run_to 30 "$GCWATCH" "$@" >"$T/out" 2>"$T/err"; echo $?; set -e; }

# The summary as JSON, alone on stdout even when the program writes there.
[ "$(st -b -q --summary-json - --what-if-limit 30MB -- sh -c "echo hello; cat '$D/tiny-heap.log' >&2")" = 0 ] ||
	fail "gcwatch failed: $(cat "$T/err")"
grep -q '^hello$' "$T/err" || fail "the program's stdout did not go to stderr"
python3 - "$T/out" <<'PY' || fail "bad --summary-json"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["feeds"][0]
assert len(d["feeds"]) == 1 and d["all"]["gc"]["count"] == f["gc"]["count"] == 58, d
for k in ("source", "gc", "pause", "heap", "mark", "mmu", "findings", "what_if", "what_if_inputs"):
    assert k in f, k
assert 0 < f["mmu"]["10ms"] <= f["mmu"]["50ms"] <= f["mmu"]["100ms"] <= f["mmu"]["1s"] <= 1, f["mmu"]
assert [x["name"] for x in f["findings"]] == ["tiny-heap"], f["findings"]
assert [p["gogc"] for p in f["what_if"]] == [50, 100, 200, 400, 100], f["what_if"]
assert f["what_if"][4]["limit_mb"] == 30
# A command's GOGC comes from the environment (unset: the default).
assert f["what_if_inputs"]["gogc"] == 100 and f["what_if_inputs"]["gogc_from"] == "the default", f["what_if_inputs"]
PY
env GOGC=50 timeout -k 5 30 "$GCWATCH" -b -q --summary-json "$T/s.json" -- \
	sh -c "cat '$D/healthy-gogc100.log' >&2" >"$T/out" 2>"$T/err" ||
	fail "gcwatch failed: $(cat "$T/err")"
python3 -c 'import json,sys; i=json.load(open(sys.argv[1]))["feeds"][0]["what_if_inputs"]; assert i["gogc"]==50 and i["gogc_from"]=="environment", i' \
	"$T/s.json" || fail "GOGC=50 from the environment not taken"
# From a file the GOGC is inferred, and said to be.
[ "$(st -b -q --summary-json - "$D/healthy-gogc100.log")" = 0 ] || fail "gcwatch failed"
grep -q '"gogc_from":"inferred"' "$T/out" || fail "the GOGC of a file is not inferred"

# --fail-if on the analysis.
[ "$(st -b -q --fail-if finding.tiny-heap "$D/tiny-heap.log")" = 99 ] || fail "finding.tiny-heap should hold"
grep -q "finding.tiny-heap' holds" "$T/err" || fail "the finding that held is not named"
[ "$(st -b -q --fail-if finding.assist --fail-if finding.memory-limit "$D/tiny-heap.log")" = 0 ] ||
	fail "finding.assist should not hold"
[ "$(st -b -q --fail-if 'mmu.10ms < 90%' "$D/tiny-heap.log")" = 99 ] || fail "mmu.10ms < 90% should hold"
[ "$(st -b -q --fail-if 'mmu.1s < 10%' "$D/tiny-heap.log")" = 0 ] || fail "mmu.1s < 10% should not hold"
[ "$(st -b -q --fail-if 'finding.assist > 1' "$D/tiny-heap.log")" = 2 ] || fail "finding with an operator accepted"
[ "$(st -b -q --fail-if 'finding.nope' "$D/tiny-heap.log")" = 2 ] || fail "an unknown finding was accepted"
grep -q "finding.periodic-forced" "$T/err" || fail "the message does not list the findings"
[ "$(st -b -q --fail-if 'mmu.10ms < 5ms' "$D/tiny-heap.log")" = 2 ] || fail "a time for an MMU was accepted"

# Usage errors and an unwritable file.
[ "$(st -b -q --what-if-limit lots "$D/tiny-heap.log")" = 2 ] || fail "--what-if-limit lots accepted"
grep -q "what-if-limit: 'lots'" "$T/err" || fail "the bad size is not named"
[ "$(st -b -q --summary-json - --json - "$D/tiny-heap.log")" = 2 ] || fail "two users of stdout accepted"
[ "$(st -b -q --summary-json "$T/no/such/dir/s.json" "$D/tiny-heap.log")" = 1 ] || fail "an unwritable file was not a failure"
grep -q "cannot write $T/no/such/dir/s.json" "$T/err" || fail "the unwritable file is not named"

# Two processes on one input (syslog prefixes): an analysis each, and
# "all" pools the figures but has no timeline of its own.
sed 's/^/app[11]: /' "$D/tiny-heap.log" | head -40 >"$T/a"
sed 's/^/db[22]: /' "$D/healthy-gogc100.log" >"$T/b"
paste -d '\n' "$T/a" "$T/b" | grep -v '^$' >"$T/two.log"
[ "$(st -b -q --summary-json - --fail-if finding.tiny-heap "$T/two.log")" = 99 ] ||
	fail "finding.tiny-heap should hold for app[11]: $(cat "$T/err")"
grep -q "finding.tiny-heap' holds: .* in feed app\[11\]" "$T/err" || fail "the feed is not named: $(cat "$T/err")"
python3 - "$T/out" <<'PY' || fail "bad --summary-json for two feeds"
import json, sys
d = json.load(open(sys.argv[1]))
got = [(f["source"], f["gc"]["count"], [x["name"] for x in f["findings"]]) for f in d["feeds"]]
assert got == [("app[11]", 40, ["tiny-heap"]), ("db[22]", 17, [])], got
assert d["all"]["gc"]["count"] == 57 and d["all"]["mmu"] is None, d["all"]
assert all(f["mmu"]["10ms"] is not None for f in d["feeds"])
PY

# The text summary.
[ "$(st -b "$D/periodic-forced.log")" = 0 ] || fail "gcwatch failed"
grep -q '^mmu          10ms ' "$T/err" || fail "no mmu line"
grep -q '^finding periodic-forced: 3 collections came two minutes after' "$T/err" || fail "no finding line"
grep -q '^what-if      from ' "$T/err" || fail "no what-if line"
note "analysis: ok"
