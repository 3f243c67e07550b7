#!/bin/sh
# The time axis end to end, in tmux, on a tmux server of our own:
#  zoom      a live Go program (tests/go/tuiprog.go) at 100x30 in UTF-8:
#            the footer says "window 5m", the axis row under the charts
#            has "now" then the wall clock (HH:MM:SS), relative ticks and
#            the GC CPU chart; + steps 15m 1h 6h 24h and stays at 24h, -
#            steps back to 1m and stays; t gives a column a collection
#            (footer "window N", no GC CPU chart, no axis row) and t again
#            the time axis at the zoom it had.
#  ascii     the same keys with LANG=C at 80x24: only ASCII bytes, the axis
#            row ends "now" + clock.
#  mono      NO_COLOR=1: no colour SGR in capture-pane -e on the time axis,
#            at 1h and per collection.
#  day       10 million collections over a day of trace time, generated
#            from corpus lines (tests/tools/gen_day.py: the live heap rises
#            from 100 MB to 1.1 GB at noon and falls back, one 50 ms pause
#            at noon), read with --replay=0: the dashboard reaches EOF with
#            every collection counted, its RSS stays within 2 x the
#            history's stated maximum (HIST_WIDE_BYTES: the live feed and
#            the snapshot) + 4 MB over a run on a 530-collection trace
#            measured here, and under 64 MB; the 24h view shows the heap's
#            shape (each side's columns no higher than the next ones
#            towards noon, noon's the highest, the ends at most a fifth of
#            noon's) and the 50 ms pause as the pause chart's scale.
#            Under ASan (GCWATCH in build-asan) 1 million collections.
#            HISTORY_DAY_N overrides.  Both open at the zoom that holds
#            their span (auto zoom: 1m for data/demo.trace, 24h for the day).
#  journal   data/demo.trace behind journalctl -o short-iso prefixes
#            stamped 2025-06-01 10:00:00 + "@" (tests/tools/journalize.py),
#            read as a file: 1m by itself, wall-clock ticks (10:00:N0) and
#            the right edge's date and time, not today's.
. "$(dirname "$0")/lib.sh"
need_gcwatch
. "$ROOT/tests/tools/tmux.sh"

prog=$(build_go tuiprog)
key() { tm send-keys -t "$1" "$2"; }

# zoom SESSION: the zoom keys and t, as the header says.
zoom() {
	wait_for 10 "$1" '^ [1-9][0-9]* gcs'
	wait_for 5 "$1" ' \+/- window 5m '
	wait_for 5 "$1" '^GC CPU '
	wait_for 5 "$1" '^5m .*now [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
	wait_for 5 "$1" '^5m .*-[1-4]m '
	for step in +:15m +:1h +:6h +:24h +:24h -:6h -:1h -:15m -:5m -:1m -:1m; do
		key "$1" "${step%%:*}"
		wait_for 5 "$1" " \\+/- window ${step#*:} "
		wait_for 5 "$1" "^${step#*:} .*now"
	done
	key "$1" t
	wait_for 5 "$1" ' \+/- window [0-9]+ '
	wait_gone 5 "$1" '^GC CPU '
	wait_gone 5 "$1" '^1m .*now'
	key "$1" +
	wait_for 5 "$1" ' \+/- window 120 '
	key "$1" t
	wait_for 5 "$1" ' \+/- window 1m '
	wait_for 5 "$1" '^GC CPU '
}

note "zoom keys and t, UTF-8, ASCII, monochrome"
start U 100 30 "LC_ALL=C.UTF-8 '$GCWATCH' -- '$prog' 30; echo RC=\$?; exec sleep 600"
start A 80 24 "env -u LC_ALL -u LC_CTYPE LANG=C '$GCWATCH' -- '$prog' 30; echo RC=\$?; exec sleep 600"
start M 80 24 "LC_ALL=C.UTF-8 NO_COLOR=1 '$GCWATCH' -- '$prog' 30; echo RC=\$?; exec sleep 600"
zoom U
zoom A
LC_ALL=C grep -q '[^ -~]' "$T/A.txt" && fail "A: bytes outside ASCII on the screen: $(LC_ALL=C grep -n '[^ -~]' "$T/A.txt" | head -3)"
grep -q '█' "$T/U.txt" || fail "U: no block glyphs in UTF-8"
wait_for 10 M '^ [1-9][0-9]* gcs'
key M + ; key M +
wait_for 5 M ' \+/- window 1h '
tm capture-pane -p -e -t M >"$T/M1.e"
key M t
wait_for 5 M ' \+/- window [0-9]+ '
tm capture-pane -p -e -t M >"$T/M2.e"
python3 - "$T/M1.e" "$T/M2.e" <<'EOF'
import re, sys
for f in sys.argv[1:]:
    s = open(f, encoding="utf-8", errors="replace").read()
    for m in re.finditer(r"\x1b\[([0-9;:]*)m", s):
        ps = [int(p) for p in re.split("[;:]", m.group(1)) if p]
        if any(p in (38, 48) or 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or
               100 <= p <= 107 for p in ps):
            print("FAIL: M: colour SGR %r with NO_COLOR=1 in %s" % (m.group(0), f), file=sys.stderr)
            sys.exit(1)
EOF
for s in U A M; do key $s q; done
for s in U A M; do wait_for 15 $s '^RC=[0-9]+$'; done

# ---- a day of trace, replayed at once -----------------------------------
case $GCWATCH in
*asan*) N=${HISTORY_DAY_N:-1000000} ;;
*) N=${HISTORY_DAY_N:-10000000} ;;
esac
note "a day: $N collections"
python3 "$ROOT/tests/tools/gen_day.py" "$N" 86400 "$T/day.log" >/dev/null
rss() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }
start B 100 30 "exec env LC_ALL=C.UTF-8 '$GCWATCH' --replay=0 '$ROOT/data/demo.trace'"
wait_for 20 B ' EOF$'
# Read at once, its 30 s: the 1m zoom by itself.
wait_for 5 B ' \+/- window 1m '
base=$(rss "$(tm display -p -t B '#{pane_pid}')")
start D 100 30 "exec env LC_ALL=C.UTF-8 '$GCWATCH' --replay=0 '$T/day.log'"
pid=$(tm display -p -t D '#{pane_pid}')
wait_for 110 D ' EOF$'
got=$(rss "$pid")
# A day read at once opens at 24h by itself.
wait_for 5 D ' \+/- window 24h '
# HIST_WIDE_BYTES, as the unit test prints it (test_history).
hist=$("$(dirname "$GCWATCH")/tests/test_history" 2>/dev/null |
       sed -n 's/^history: at most \([0-9]*\) bytes per wide feed.*/\1/p')
[ -n "$hist" ] || hist=330624
cap_kb=$((base + 2 * hist / 1024 + 4096))
note "RSS (peak) $got kB after $N collections; $base kB on 530; cap $cap_kb kB"
[ "$got" -le "$cap_kb" ] || fail "D: peak RSS $got kB above $cap_kb kB"
[ "$got" -le 65536 ] || fail "D: peak RSS $got kB above 64 MB"
case $N in
10000000) want_count='^ 10M gcs' ;;
1000000) want_count='^ 1M gcs' ;;
*) want_count='^ [0-9.]+[kM]? gcs' ;;
esac
grep -Eq "$want_count" "$T/D.txt" || fail "D: the header does not count $N collections: $(sed -n 2p "$T/D.txt")"
for k in + + + +; do key D $k; done
wait_for 5 D ' \+/- window 24h '
wait_for 5 D '^24h .*now trace @86400\.0s'
python3 - "$T/D.txt" <<'EOF'
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
def pane(title):
    y = next(i for i, r in enumerate(rows) if r.startswith(title))
    end = next(i for i in range(y + 1, len(rows)) if rows[i][:1].isalpha() and not rows[i].startswith(" "))
    return y, rows[y + 1:end]
def fail(msg):
    print("FAIL: D: " + msg + "\n" + "\n".join(rows), file=sys.stderr)
    sys.exit(1)
# The chart area: from x 7 to the figures (24 columns and a space).
w = len(max(rows, key=len))
x0, x1 = 7, 100 - 25
levels = {"▁": 1, "▂": 2, "▃": 3, "▄": 4, "▅": 5, "▆": 6, "▇": 7, "█": 8}
y, heap = pane("HEAP")
cols = []
for x in range(x0, x1):
    h = 0
    for i, r in enumerate(reversed(heap)):
        c = r[x] if x < len(r) else " "
        if c in levels:
            h = i * 8 + levels[c]
    cols.append(h)
cols = [h for h in cols if h > 0]
if len(cols) < 40:
    fail("the 24h heap chart has %d columns of data" % len(cols))
top = max(cols)
mid = cols.index(top)
if not (len(cols) // 3 <= mid <= 2 * len(cols) // 3):
    fail("the heap peaks in column %d of %d, not near noon" % (mid, len(cols)))
if any(cols[i] > cols[i + 1] for i in range(0, len(cols) // 3)) or \
   any(cols[i] < cols[i + 1] for i in range(2 * len(cols) // 3, len(cols) - 1)):
    fail("the heap does not rise then fall: %s" % cols)
if cols[0] * 5 > top or cols[-1] * 5 > top:
    fail("the heap's ends are not low: %s" % cols)
y, pause = pane("PAUSE")
if "60ms" not in pause[0]:
    fail("the pause chart's scale is not the 50 ms spike's: %r" % pause[0])
print("day: heap columns %s..%s..%s" % (cols[0], top, cols[-1]))
EOF
# ---- a journalctl export: its own wall clock ------------------------------
note "journal: short-iso prefixes, read at once"
python3 "$ROOT/tests/tools/journalize.py" 2025-06-01T10:00:00 0 <"$ROOT/data/demo.trace" >"$T/demo.journal"
start J 100 30 "exec env LC_ALL=C.UTF-8 TZ=UTC '$GCWATCH' '$T/demo.journal'"
wait_for 20 J '^ 530 gcs'
wait_for 5 J ' \+/- window 1m '
wait_for 5 J '^1m .*10:00:[0-5]0.*now 2025-06-01 10:00:(29|30) *$'
grep -q -- '-[1-5]0s' "$T/J.txt" && fail "J: relative ticks on a prefixed file: $(grep -- '^1m ' "$T/J.txt")"
key J q
key D q
key B q
note "history ok"
