#!/bin/sh
# The dashboard end to end, in tmux (STYLE.md §14): real Go programs
# (tests/go/tuiprog.go, built here) and real traces replayed, on a tmux
# server of our own (tmux -L gcwatch-test-PID), screens read back with
# capture-pane.  Every wait is bounded; the whole script takes ~40 s.
#
#  layout    gcwatch --json F -- tuiprog at 80x24 and 200x60, after the
#            program has exited: every row fits the pane, the header's
#            state reads "exited 0" at the right edge and its collection
#            count equals the program's "NUMGC n" and the records in F
#            (gc 1..n); the pause "last" figure is the last record's
#            clock_sweep_term_ms + clock_mark_term_ms and the heap "live"
#            figure its heap_live_mb, formatted as the dashboard formats
#            them; UTF-8 block glyphs and colours are drawn.  "exited 3"
#            for tests/go/exitcode.go exit3.
#  sanitise  the program's escape sequences are shown made visible (^[[2J,
#            ^G, ^[]0;title^G ...) and never reach the terminal: the tmux
#            pane's title is not "title", no bell was rung, the program's
#            "\e[31m" does not colour its "RED" red.
#  keys      ? and h show the help, ? and Esc close it; l hides and shows
#            the output pane; the footer says "window 5m" (the time axis),
#            t switches to a column a collection, where + and - step the
#            footer's window figure
#            60 -> 120 -> 300 -> 120 -> 60 -> 60; space shows PAUSED and the
#            count stays still for 1.5 s while the program collects ~36/s,
#            and moves again after a second space; Ctrl-C interrupts the
#            program ("killed by SIGINT"), the dashboard stays; q quits:
#            the summary follows, status 130, and the terminal is as it was
#            (stty -g before = after, alternate screen off, cursor shown,
#            a typed command is echoed and runs).
#  q         q while the program runs stops it (status 143), summary shown.
#  SIGHUP    kill -HUP gcwatch: it exits (status 129, the program got the
#            SIGHUP too), the terminal is restored as after q.
#  resize    while running: 80x24 -> 120x40 -> 50x12 -> 80x24, each screen
#            fits the new size, the header spans it, ? opens and closes
#            the help; at 50x12 only the "terminal too small" message shows
#            (nothing left over from the larger screen); q still quits.
#  ascii     LANG=C (and --ascii in a UTF-8 locale): only ASCII bytes on
#            the screen; "240us" instead of "240µs".
#  colour    NO_COLOR=1 and --no-color: no colour SGR (3x/4x/9x/10x/38/48)
#            in capture-pane -e; bold/reverse are allowed.
#  replay    a trace recorded here (gcwatch -b -r rec.log -- tuiprog) and
#            the corpus stream, with --replay=50: the count and the pause
#            and heap figures equal the records, state "EOF".
#  wide      in a UTF-8 locale at 80x24, a program's CJK line, an emoji
#            with VS16 (U+2714 U+FE0F), a rocket and a combining accent
#            (e U+0301) show as printed in the output pane (capture-pane),
#            the columns after them in place; a line of 60 CJK characters
#            is cut at the pane's edge with the ellipsis in the last column
#            and no half character.
#  TERM      --max-frames 3 under xterm-256color, xterm, screen,
#            tmux-256color, linux, vt100: exits 0, and what it sent to the
#            terminal (tmux pipe-pane) draws the header.
. "$(dirname "$0")/lib.sh"
need_gcwatch
. "$ROOT/tests/tools/tmux.sh"

prog=$(build_go tuiprog)
exitprog=$(build_go exitcode)
CORPUS=$ROOT/tests/data/corpus/stream-go1.18-goal-below-heap.log
UTF8="LC_ALL=C.UTF-8"

# restored NAME BEFORE AFTER: the terminal of pane NAME is as it was.
restored() {
	cmp -s "$2" "$3" ||
		fail "$1: terminal modes not restored: stty -g was $(cat "$2"), is $(cat "$3") after gcwatch"
	[ "$(fmt "$1" '#{alternate_on}')" = 0 ] ||
		fail "$1: the alternate screen is still on after gcwatch exited"
	[ "$(fmt "$1" '#{cursor_flag}')" = 1 ] ||
		fail "$1: the cursor is still hidden after gcwatch exited"
	type_in "$1" "echo typed-\$((40+2))"
	wait_for 5 "$1" '^typed-42$'
	grep -q '^\$ echo typed-\$((40+2))$' "$T/$1.txt" ||
		fail "$1: the command typed after gcwatch was not echoed (echo off?)"
}

cat >"$T/check.py" <<'EOF'
import json, re, sys, unicodedata

def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)

def text(path):
    return open(path, "rb").read().decode("utf-8")

def screen(path):
    s = text(path)
    return s[:-1].split("\n") if s.endswith("\n") else s.split("\n")

def width(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)

def show(lines):
    return "\n".join("    | " + l for l in lines)

def fits(name, lines, w, h):
    if len(lines) != h:
        fail("%s: the capture has %d rows, the pane %d:\n%s" % (name, len(lines), h, show(lines)))
    for i, l in enumerate(lines):
        if width(l) > w:
            fail("%s: row %d is %d columns wide, the pane %d:\n%s" % (name, i, width(l), w, show(lines)))

def fmt3(v, unit):
    dec = 2 if v < 9.995 else 1 if v < 99.95 else 0
    s = "%.*f" % (dec, v)
    if dec:
        s = s.rstrip("0").rstrip(".")
    return s + unit

def fmt_us(us, ascii):
    if us < 1000:
        return "%d%s" % (us, "us" if ascii else "\u00b5s")
    if us < 999500:
        return fmt3(us / 1e3, "ms")
    return fmt3(us / 1e6, "s")

def fmt_mb(mb):
    if mb < 1024:
        return "%d MB" % mb
    if mb < 1047552:
        return fmt3(mb / 1024, " GB")
    return fmt3(mb / 1048576, " TB")

def after(lines, title, pattern):
    """The first match of pattern on the rows from the one starting with title."""
    for i, l in enumerate(lines):
        if l.startswith(title):
            for l2 in lines[i:]:
                m = re.search(pattern, l2)
                if m:
                    return m.group(1)
            break
    return None

def header(name, lines, w, state):
    top = lines[0].rstrip()
    if not top.startswith(" gcwatch ") or not top.endswith(" " + state):
        fail("%s: the header's first row should name gcwatch and end with the state %r:\n%s"
             % (name, state, show(lines[:3])))
    if width(top) != w - 1:
        fail("%s: the header's state should end one column from the right edge "
             "(column %d), it ends at column %d:\n%s" % (name, w - 1, width(top), show(lines[:3])))
    m = re.match(r" (\d+) gcs? ", lines[1])
    if not m:
        fail("%s: no collection count on the header's second row:\n%s" % (name, show(lines[:3])))
    return int(m.group(1))

def records(path):
    recs = [json.loads(l) for l in open(path, encoding="utf-8")]
    gcs = [r["gc"] for r in recs]
    if gcs != list(range(1, len(recs) + 1)):
        fail("%s: gc fields are not 1..%d: %s" % (path, len(recs), gcs[:20]))
    return recs

def figures(name, lines, recs, ascii):
    last = recs[-1]
    pause_us = round(last["clock_sweep_term_ms"] * 1000) + round(last["clock_mark_term_ms"] * 1000)
    want_pause = fmt_us(pause_us, ascii)
    got = after(lines, "PAUSE", r"\blast +(\S+)")
    if got != want_pause:
        fail("%s: the pause pane's last figure is %r, the last record (gc %d: %r+%r ms) "
             "gives %r:\n%s" % (name, got, last["gc"], last["clock_sweep_term_ms"],
                                last["clock_mark_term_ms"], want_pause, show(lines)))
    want_live = fmt_mb(last["heap_live_mb"])
    got = after(lines, "HEAP", r"\blive +(\S+ [KMGT]B)")
    if got != want_live:
        fail("%s: the heap pane's live figure is %r, the last record (gc %d) gives %r:\n%s"
             % (name, got, last["gc"], want_live, show(lines)))

SGR = re.compile(r"\x1b\[([0-9;:]*)m")

def colour_params(s):
    """The colour-setting SGR parameters in s (default colours 39/49 excluded)."""
    out = []
    for m in SGR.finditer(s):
        ps = [p for p in re.split("[;:]", m.group(1)) if p != ""]
        i = 0
        while i < len(ps):
            p = int(ps[i])
            if p in (38, 48):
                out.append(m.group(0))
                break
            if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
                out.append(m.group(0))
            i += 1
    return out

def fg_at(s, needle):
    """The foreground colour (SGR parameter) in effect at needle's first occurrence."""
    pos = s.find(needle)
    fg = 39
    for m in SGR.finditer(s[:pos]):
        ps = [int(p) for p in re.split("[;:]", m.group(1)) if p != ""] or [0]
        i = 0
        while i < len(ps):
            p = ps[i]
            if p == 0 or p == 39:
                fg = 39
            elif 30 <= p <= 37 or 90 <= p <= 97:
                fg = p
            elif p == 38:
                fg = (38,) + tuple(ps[i + 1:i + 3])
                i += 2
            elif p == 48:
                i += 2
            i += 1
    return fg

cmd = sys.argv[1]
a = sys.argv[2:]

if cmd == "layout":
    # layout NAME SCREEN SCREEN_E W H JSONL: a finished run of tuiprog
    name, w, h = a[0], int(a[3]), int(a[4])
    lines = screen(a[1])
    fits(name, lines, w, h)
    n = header(name, lines, w, "exited 0")
    numgc = [int(m.group(1)) for m in re.finditer(r"^NUMGC (\d+)$", text(a[1]), re.M)]
    if len(numgc) != 1:
        fail("%s: the output pane should show the program's one NUMGC line:\n%s" % (name, show(lines)))
    recs = records(a[5])
    if not (n == numgc[0] == len(recs)):
        fail("%s: the header counts %d collections, the program says NUMGC %d, --json wrote %d records:\n%s"
             % (name, n, numgc[0], len(recs), show(lines)))
    if n < 10:
        fail("%s: only %d collections; expected dozens" % (name, n))
    figures(name, lines, recs, False)
    if not re.search("[\u2581-\u2588\u2591\u2592]", text(a[1])):
        fail("%s: no block glyphs in a UTF-8 locale:\n%s" % (name, show(lines)))
    # The program's own text, sanitised.
    want = ["bell: ^G end", "clear: ^[[2J^[[H end"]
    if h >= 40:
        want += ["tuiprog: plain text on stdout", "esc: ^[[31mRED^[[0m end",
                 "osc: ^[]0;title^G end", "tuiprog: a line on stderr"]
    for s in want:
        if not any(l.rstrip() == s for l in lines):
            fail("%s: the output pane should show the program's line as %r:\n%s" % (name, s, show(lines)))
    e = text(a[2])
    if not colour_params(e):
        fail("%s: no colour in capture-pane -e without NO_COLOR" % name)
    if h >= 40:
        fg = fg_at(e, "RED^[")
        if fg in (31, 91) or fg == (38, 5, 1):
            fail("%s: the program's ESC[31m coloured its RED text red: it reached the terminal" % name)
    print("%s: %d collections, last pause %s, live %s" % (name, n, fmt_us(
        round(recs[-1]["clock_sweep_term_ms"] * 1000) + round(recs[-1]["clock_mark_term_ms"] * 1000), False),
        fmt_mb(recs[-1]["heap_live_mb"])))

elif cmd == "replay":
    # replay NAME SCREEN W H JSONL N ASCII STATE: a trace read to its end
    name, w, h, n_want, ascii = a[0], int(a[2]), int(a[3]), int(a[5]), a[6] == "1"
    lines = screen(a[1])
    fits(name, lines, w, h)
    n = header(name, lines, w, a[7])
    recs = records(a[4])
    if not (n == n_want == len(recs)):
        fail("%s: the header counts %d collections, the trace holds %d, --json wrote %d:\n%s"
             % (name, n, n_want, len(recs), show(lines)))
    figures(name, lines, recs, ascii)

elif cmd == "fits":
    # fits NAME SCREEN W H STATE: the size, and a header spanning it
    name, w, h = a[0], int(a[2]), int(a[3])
    lines = screen(a[1])
    fits(name, lines, w, h)
    header(name, lines, w, a[4])

elif cmd == "small":
    # small NAME SCREEN W H: only the "too small" message
    name, w, h = a[0], int(a[2]), int(a[3])
    lines = screen(a[1])
    fits(name, lines, w, h)
    msg = ["terminal too small: %dx%d" % (w, h), "gcwatch needs"]
    for m in msg:
        if not any(m in l for l in lines):
            fail("%s: no %r on the screen:\n%s" % (name, m, show(lines)))
    rest = [(i, l) for i, l in enumerate(lines) if l.strip() and not any(m in l for m in msg)]
    if rest:
        fail("%s: besides the message the screen should be blank, but row %d is %r "
             "(left over from the previous size?):\n%s" % (name, rest[0][0], rest[0][1], show(lines)))

elif cmd == "ascii":
    # ascii NAME SCREEN: only ASCII bytes
    b = open(a[1], "rb").read()
    bad = sorted(set(c for c in b if c > 0x7e))
    if bad:
        fail("%s: bytes above 0x7e on the screen (%s) in ASCII mode:\n%s"
             % (a[0], " ".join("%02x" % c for c in bad[:10]), show(screen(a[1]))))
    if b"#" not in b:
        fail("%s: no ASCII bar (#) drawn:\n%s" % (a[0], show(screen(a[1]))))

elif cmd == "mono":
    # mono NAME SCREEN_E: no colour, some attributes
    e = text(a[1])
    c = colour_params(e)
    if c:
        fail("%s: colour escape codes with colour off: %s" % (a[0], " ".join(repr(x) for x in sorted(set(c))[:8])))
    if not SGR.search(e):
        fail("%s: no attributes at all (bold, reverse) in monochrome" % a[0])

elif cmd == "raw":
    # raw NAME FILE: what gcwatch sent draws the header.  (Not the count
    # of collections: curses sends only the cells that changed, so a
    # frame that went from "70 gcs" to "78 gcs" sent an "8" alone; the
    # summary says all 78 were read.)
    b = open(a[1], "rb").read()
    s = re.sub(rb"\x1b(\[[0-9;?>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78DEHMNOZc])", b"", b)
    s = re.sub(rb"[\x00-\x1f]", b"", s)
    for want in (b"gcwatch", b"gcs", b"PAUSE", b"HEAP", b"quit"):
        if want not in s:
            fail("%s: gcwatch sent %d bytes, and without the escape sequences they do not "
                 "contain %r: %r" % (a[0], len(b), want.decode(), s[:300]))

else:
    fail("check.py: unknown check " + cmd)
EOF
check() { python3 "$T/check.py" "$@" || exit 1; }

# ---- layout, exit state, sanitising: 80x24 and 200x60 at once ----------------
note "layout: gcwatch -- tuiprog at 80x24 and 200x60"
for size in 80x24 200x60; do
	w=${size%x*} h=${size#*x}
	start "L$size" "$w" "$h" "$UTF8 '$GCWATCH' --json '$T/L$size.jsonl' -- '$prog' 1.5; echo RC=\$?; exec sleep 600"
done
start exit3 80 24 "$UTF8 '$GCWATCH' -- '$exitprog' exit3; echo RC=\$?; exec sleep 600"
for size in 80x24 200x60; do
	w=${size%x*} h=${size#*x}
	wait_for 30 "L$size" ' exited 0$'
	# The frame after the exit is drawn at once; the output may come
	# just before: wait for the program's last line as well.
	wait_for 5 "L$size" '^NUMGC [0-9]+'
	settle "L$size"
	cp "$T/L$size.txt" "$T/L$size.dash.txt"
	tm capture-pane -p -e -t "L$size" >"$T/L$size.e.txt"
	title=$(fmt "L$size" '#{pane_title}')
	[ "$title" != title ] ||
		fail "L$size: the program's OSC 0 escape reached the terminal: the pane's title is now '$title'"
	[ "$(fmt "L$size" '#{window_bell_flag}')" = 0 ] ||
		fail "L$size: the program's bell reached the terminal (tmux saw a bell)"
	tm send-keys -t "L$size" q
	wait_for 10 "L$size" '^RC=[0-9]+$'
	grep -q '^RC=0$' "$T/L$size.txt" || fail "L$size: gcwatch exited $(grep '^RC=' "$T/L$size.txt"), expected 0"
	cap_all "L$size" >"$T/L$size.txt"
	grep -Eq '^gc +[0-9]+ collections' "$T/L$size.txt" ||
		fail "L$size: no summary after q: $(cat "$T/L$size.txt")"
	check layout "L$size" "$T/L$size.dash.txt" "$T/L$size.e.txt" "$w" "$h" "$T/L$size.jsonl"
done
wait_for 20 exit3 ' exited 3$'
tm send-keys -t exit3 q
wait_for 10 exit3 '^RC=3$'
note "exit state: exited 0, exited 3"

# ---- keys, Ctrl-C, q, and the terminal restored --------------------------
note "keys"
shell K 80 24
type_in K "stty -g >'$T/K.before'; $UTF8 '$GCWATCH' -- '$prog' 60; echo RC=\$?; stty -g >'$T/K.after'"
wait_for 10 K ' running$'
wait_for 10 K '^ [1-9][0-9]* gcs'
tm send-keys -t K '?'
wait_for 5 K 'gcwatch: keys and panes'
wait_for 5 K ' \? close help'
tm send-keys -t K '?'
wait_gone 5 K 'keys and panes'
tm send-keys -t K h
wait_for 5 K 'gcwatch: keys and panes'
tm send-keys -t K Escape
wait_gone 5 K 'keys and panes'
wait_for 5 K ' \? help'
tm send-keys -t K l
wait_gone 5 K '^OUTPUT '
tm send-keys -t K l
wait_for 5 K '^OUTPUT '
# The time axis first (5m), then t: a column a collection (history.sh
# goes through the zooms).
wait_for 5 K ' \+/- window 5m '
tm send-keys -t K t
wait_for 5 K ' \+/- window 60 '
for step in +:120 +:300 -:120 -:60 -:60; do
	tm send-keys -t K "${step%%:*}"
	wait_for 5 K " \+/- window ${step#*:} "
done
# space: the display stands still while the program keeps collecting.
tm send-keys -t K Space
wait_for 5 K 'PAUSED'
wait_for 5 K ' space resume '
count() { sed -n '2s/^ \([0-9][0-9]*\) gcs\{0,1\} .*/\1/p' "$T/K.txt"; }
c1=$(count)
[ -n "$c1" ] || fail "K: no collection count on the paused screen: $(cat "$T/K.txt")"
sleep 1.5
cap K >"$T/K.txt"
c2=$(count)
[ "$c1" = "$c2" ] || fail "K: the count moved from $c1 to $c2 while the display was paused"
grep -q PAUSED "$T/K.txt" || fail "K: PAUSED went away by itself"
tm send-keys -t K Space
wait_gone 5 K 'PAUSED'
# At ~36 collections a second, 1.5 s paused must show at once after it.
c3=$(count)
[ "$c3" -gt $((c1 + 20)) ] ||
	fail "K: after resuming the count is $c3, it was $c1 1.5 s earlier: data was not read while paused?"
note "keys: paused at $c1 collections for 1.5 s, $c3 after resuming"
# Ctrl-C: the program is interrupted, the dashboard stays.
tm send-keys -t K C-c
wait_for 10 K ' killed by SIGINT$'
tm send-keys -t K q
wait_for 10 K '^RC=[0-9]+$'
grep -q '^RC=130$' "$T/K.txt" || fail "K: gcwatch exited $(grep '^RC=' "$T/K.txt"), expected 130 (SIGINT)"
cap_all K >"$T/K.txt"
grep -Eq '^gc +[0-9]+ collections' "$T/K.txt" || fail "K: no summary after q: $(cat "$T/K.txt")"
wait_for 5 K '^\$ *$'
restored K "$T/K.before" "$T/K.after"

# ---- SIGHUP ------------------------------------------------------------------
note "SIGHUP"
shell H 80 24
type_in H "stty -g >'$T/H.before'; sh -c 'echo \$\$ >\"$T/H.pid\"; exec env $UTF8 \"$GCWATCH\" -- \"$prog\" 60'; echo RC=\$?; stty -g >'$T/H.after'"
wait_for 10 H ' running$'
kill -HUP "$(cat "$T/H.pid")"
wait_for 10 H '^RC=[0-9]+$'
grep -q '^RC=129$' "$T/H.txt" || fail "H: gcwatch exited $(grep '^RC=' "$T/H.txt") after SIGHUP, expected 129"
wait_for 5 H '^\$ *$'
restored H "$T/H.before" "$T/H.after"

# ---- resize while running ----------------------------------------------------
note "resize"
start R 80 24 "$UTF8 '$GCWATCH' -- '$prog' 60; echo RC=\$?; exec sleep 600"
wait_for 10 R ' running$'
for size in 120x40 50x12 80x24; do
	w=${size%x*} h=${size#*x}
	tm resize-window -t R -x "$w" -y "$h"
	if [ "$w" -lt 60 ]; then
		wait_for 5 R "terminal too small: ${w}x$h"
		sleep 0.3
		cap R >"$T/R.txt"
		check small "R $size" "$T/R.txt" "$w" "$h"
	else
		# Until the first row is as wide as the pane.
		_i=50
		while :; do
			cap R >"$T/R.txt"
			[ "$(head -n 1 "$T/R.txt" | sed 's/ *$//' | wc -m)" -eq "$w" ] && break
			_i=$((_i - 1))
			[ $_i -gt 0 ] || break
			sleep 0.1
		done
		check fits "R $size" "$T/R.txt" "$w" "$h" running
		# Keys still work after a resize.
		HINT="keys dead after a resize"
		tm send-keys -t R '?'
		wait_for 5 R 'gcwatch: keys and panes'
		tm send-keys -t R '?'
		wait_gone 5 R 'keys and panes'
		HINT=
	fi
done
tm send-keys -t R q
wait_for 10 R '^RC=143$'

# ---- ASCII and monochrome ----------------------------------------------------
note "ascii and monochrome"
start A1 80 24 "env -u LC_ALL -u LC_CTYPE LANG=C '$GCWATCH' --json '$T/A1.jsonl' '$CORPUS'; echo RC=\$?; exec sleep 600"
start A2 80 24 "$UTF8 '$GCWATCH' --ascii '$CORPUS'; echo RC=\$?; exec sleep 600"
start M1 80 24 "$UTF8 NO_COLOR=1 '$GCWATCH' -- '$prog' 60; echo RC=\$?; exec sleep 600"
start M2 80 24 "$UTF8 '$GCWATCH' --no-color '$CORPUS'; echo RC=\$?; exec sleep 600"
# A file is followed: read to its end, the dashboard waits for more.
for s in A1 A2; do
	wait_for 10 $s '^ 78 gcs '
	wait_for 5 $s ' waiting for data$'
	check ascii "$s" "$T/$s.txt"
done
check replay A1 "$T/A1.txt" 80 24 "$T/A1.jsonl" 78 1 "waiting for data"
for s in M1 M2; do
	wait_for 10 $s '^ [1-9][0-9]* gcs '
	tm capture-pane -p -e -t $s >"$T/$s.e.txt"
	check mono "$s" "$T/$s.e.txt"
done
# q while the program runs: SIGTERM, the status says so.
tm send-keys -t M1 q
wait_for 10 M1 '^RC=[0-9]+$'
grep -q '^RC=143$' "$T/M1.txt" || fail "M1: q while the program ran: gcwatch exited $(grep '^RC=' "$T/M1.txt"), expected 143 (SIGTERM)"
grep -Eq '^exit +killed by signal 15' "$T/M1.txt" || fail "M1: the summary does not say the program was stopped by SIGTERM: $(cat "$T/M1.txt")"
for s in A1 A2 M2; do
	tm send-keys -t $s q
	wait_for 10 $s '^RC=0$'
done

# ---- replay a recorded trace -------------------------------------------------
note "replay"
run_to 30 "$GCWATCH" -b -q -r "$T/rec.log" -- "$prog" 1 >"$T/rec.out" 2>&1 ||
	fail "gcwatch -b -r rec.log -- tuiprog failed: $(cat "$T/rec.out")"
n=$(sed -n 's/^NUMGC \([0-9]*\)$/\1/p' "$T/rec.out")
[ -n "$n" ] || fail "the recorded program printed no NUMGC line: $(cat "$T/rec.out")"
start P1 80 24 "$UTF8 '$GCWATCH' --replay=50 --json '$T/P1.jsonl' '$T/rec.log'; echo RC=\$?; exec sleep 600"
start P2 200 60 "$UTF8 '$GCWATCH' --replay=50 --json '$T/P2.jsonl' '$CORPUS'; echo RC=\$?; exec sleep 600"
wait_for 15 P1 ' EOF$'
check replay "P1 (rec.log)" "$T/P1.txt" 80 24 "$T/P1.jsonl" "$n" 0 EOF
wait_for 15 P2 ' EOF$'
check replay "P2 (corpus)" "$T/P2.txt" 200 60 "$T/P2.jsonl" 78 0 EOF
for s in P1 P2; do
	tm send-keys -t $s q
	wait_for 10 $s '^RC=0$'
done

# ---- TERM variants -----------------------------------------------------------
note "TERM variants"
terms="xterm-256color xterm screen tmux-256color linux vt100"
for term in $terms; do
	start "T$term" 80 24 "tmux -L '$SOCK' wait-for 'go-$term'; env TERM=$term $UTF8 '$GCWATCH' --max-frames 3 '$CORPUS' 2>'$T/T$term.err'; echo RC=\$?; exec sleep 600"
	tm pipe-pane -t "T$term" -o "cat >'$T/T$term.raw'"
	tm wait-for -S "go-$term"
done
for term in $terms; do
	# Without an alternate screen (linux, vt100) the last frame stays
	# and RC= is written over the footer's row.
	wait_for 15 "T$term" 'RC=[0-9]+'
	rc=$(grep -o 'RC=[0-9]*' "$T/T$term.txt")
	[ "$rc" = RC=0 ] ||
		fail "TERM=$term: gcwatch --max-frames 3 exited with $rc, expected RC=0: $(cat "$T/T$term.err")"
	grep -Eq '^gc +78 collections' "$T/T$term.err" ||
		fail "TERM=$term: no summary of 78 collections: $(cat "$T/T$term.err")"
	tm pipe-pane -t "T$term"
	check raw "TERM=$term" "$T/T$term.raw"
done
# ---- wide and combining characters -------------------------------------------
note "wide characters"
printf '%s\n' "$(printf '\346\227\245\346\234\254\350\252\236\343\201\256\343\203\255\343\202\260: CJK|')" \
	"$(printf '\342\234\224\357\270\217 ok \360\237\232\200 go|')" \
	"$(printf 'cafe\314\201 ok|')" >"$T/wide.txt"
i=0; : >"$T/wide-long.txt"
while [ $i -lt 60 ]; do printf '\344\270\255' >>"$T/wide-long.txt"; i=$((i + 1)); done
echo >>"$T/wide-long.txt"
start W 80 24 "env $UTF8 '$GCWATCH' -- sh -c 'cat \"\$1\" \"\$2\"; exec sleep 60' sh '$T/wide.txt' '$T/wide-long.txt'; exec sleep 600"
# The long line is the last one printed: the others are drawn by then.
wait_for 15 W "^$(printf '\344\270\255')"
while IFS= read -r want; do
	grep -qxF "$want" "$T/W.txt" || { cat "$T/W.txt" >&2; fail "wide: the pane does not show '$want' as printed"; }
done <"$T/wide.txt"
long=$(grep "^$(printf '\344\270\255')" "$T/W.txt" | head -1)
python3 - "$long" <<'PY' || { cat "$T/W.txt" >&2; fail "wide: the line of CJK is not cut cleanly at the edge"; }
import sys, unicodedata
line = sys.argv[1].rstrip()
cols = sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in line)
assert line.endswith("\u2026"), line
assert set(line[:-1].rstrip()) == {"\u4e2d"}, line
assert cols <= 80 and cols >= 79, cols
PY
tm send-keys -t W q
note "wide: CJK, emoji + VS16, combining accent shown as printed; cut at the edge"

note "tui: ok"
