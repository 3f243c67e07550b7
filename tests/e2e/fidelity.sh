#!/bin/sh
# Torn-stream fidelity, family by family (tests/tools/fidelity.c, the same
# tool bench/fidelity.sh prints the whole table with):
#  - whole program lines torn into real gc lines behind every collector
#    prefix (raw, every journalctl -o style, kubectl --timestamps and
#    --prefix, docker -t, RFC 5424, RFC 3164, docker compose), with a
#    letter-first and a date-first program: >= 99.5% recovered exactly,
#    0 wrong, 0 invented, the drop count equal to the real loss, and the
#    program's text (with its prefix) exactly what it wrote;
#  - each common logger's shape glued onto the runtime's numbers from the
#    first line on, raw and behind journald: the same;
#  - the runtime's own torn lines (gc lines inside init/scav/SCHED lines,
#    program lines inside init, scav and SCHED lines, right after their
#    head too: "scav " or "  M2", then the program's line): the same;
#  - two runtimes on one pipe: no wrong and no invented record.
. "$(dirname "$0")/lib.sh"
TOOL="$(dirname "$GCWATCH")/tools/fidelity"
[ -x "$TOOL" ] || fail "no $TOOL (make unit builds it)"
C="$ROOT/tests/data/corpus"
failures=0
for f in prefix first; do
	if ! "$TOOL" -c -s 5 -f "$f" "$C" >"$T/$f.txt"; then
		echo "FAIL: family $f:" >&2
		grep -v "target ok" "$T/$f.txt" >&2
		failures=$((failures + 1))
	fi
done
for n in "self-tears, gc lines" "self-tears, +init/scav" "self-tears, +SCHED" "self-tears, +heads"; do
	if ! "$TOOL" -c -s 5 -n "$n" "$C" >"$T/self.txt"; then
		echo "FAIL: runtime $n:" >&2
		cat "$T/self.txt" >&2
		failures=$((failures + 1))
	fi
done
"$TOOL" -s 5 -n "plain pipe" "$C" >"$T/two.txt"
awk 'NR > 1 { for (i = 1; i <= NF; i++) if ($i ~ /%$/) { if ($(i+2) != 0 || $(i+3) != 0) bad = 1 } } END { exit bad }' "$T/two.txt" ||
	{ echo "FAIL: two runtimes: wrong or invented records:" >&2; cat "$T/two.txt" >&2; failures=$((failures + 1)); }
[ "$failures" = 0 ] || exit 1
echo "fidelity.sh: all checks passed"
