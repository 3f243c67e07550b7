#!/bin/sh
# The dashboard's cost on the terminal and the CPU (make bench, after the
# parser benchmark):
#   sh bench/tui.sh path/to/gcwatch
# gcwatch runs as the session leader of a 120x40 pseudo-terminal (TERM
# xterm-256color, a UTF-8 locale) whose every byte this harness reads and
# counts.  It watches a fifo that a generator here feeds with real Go 1.18
# gc lines (tests/data/corpus/stream-go1.18-goal-below-heap.log, renumbered,
# "@" times following the clock), after 100 lines up front and 2 s to
# settle, for 10 s:
#   idle       no new collection (the writer stays connected)
#   10/s       one gc line every 100 ms
#   2000/s     20 gc lines every 10 ms
# measuring the bytes per second sent to the terminal and gcwatch's CPU use
# (utime + stime of all its threads, /proc/PID/stat, in % of one core).
# Then, as the reference on a pty of the same size in the same run,
# `top -d 1` for 10 s.  BENCH_TUI_SECONDS=N for another measuring time.
# Prints the figures and the targets: 10/s <= 8 KB/s (8192 B/s) at the
# default interval; idle <= 200 B/s and <= 0.5% of a core.  A missed target
# is reported ("MISSED"), never failed; the script fails only when it
# cannot measure (gcwatch exits early, records are lost, a time limit).
set -eu

GCW=${1:?usage: sh bench/tui.sh path/to/gcwatch}
[ -x "$GCW" ] || { echo "bench: $GCW is not executable" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null 2>&1 || { echo "bench: python3 is needed" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gcwatch-bench-tui.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'rm -rf "$TMP"; exit 130' INT
trap 'rm -rf "$TMP"; exit 143' TERM

timeout -k 5 300 python3 - "$GCW" "$HERE/../tests/data/corpus/stream-go1.18-goal-below-heap.log" \
	"$TMP" "${BENCH_TUI_SECONDS:-10}" "$HERE" <<'EOF'
import os, re, shutil, subprocess, sys, threading, time

gcw, corpus, tmp, secs = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
sys.path.insert(0, sys.argv[5] + "/../tests/tools")
from ptylib import COLS, ROWS, Pty, die
import platform
SETTLE = 2.0

# Real gc lines, renumbered, "@" following the clock.
GC = re.compile(r"^gc \d+ @\d+\.\d{3}s (.*)$")
tails = [m.group(1) for m in (GC.match(l.rstrip("\n")) for l in open(corpus)) if m]
if not tails:
    die("no gc lines in " + corpus)

class Feed:
    def __init__(self, path):
        self.path, self.n, self.t0 = path, 0, time.monotonic()
        self.stop = threading.Event()
        self.f = None

    def lines(self, k):
        out = []
        for _ in range(k):
            self.n += 1
            out.append("gc %d @%.3fs %s\n" % (self.n, time.monotonic() - self.t0,
                                                tails[self.n % len(tails)]))
        return "".join(out).encode()

    def open(self):
        self.f = os.open(self.path, os.O_WRONLY)  # waits for gcwatch

    def run(self, per_tick, tick):
        nxt = time.monotonic()
        while not self.stop.is_set():
            if per_tick:
                os.write(self.f, self.lines(per_tick))
            nxt += tick
            self.stop.wait(max(0.0, nxt - time.monotonic()))

def gcwatch_case(name, per_tick, tick):
    fifo = os.path.join(tmp, name + ".fifo")
    js = os.path.join(tmp, name + ".jsonl")
    os.mkfifo(fifo)
    feed = Feed(fifo)
    opener = threading.Thread(target=feed.open, daemon=True)
    opener.start()
    err = open(os.path.join(tmp, name + ".err"), "wb")
    t = Pty([gcw, "--json", js, fifo], err)
    opener.join(10)
    if feed.f is None:
        die("gcwatch did not open the fifo within 10 s")
    os.write(feed.f, feed.lines(100))
    th = threading.Thread(target=feed.run, args=(per_tick, tick), daemon=True)
    th.start()
    time.sleep(SETTLE)
    n0, t0 = feed.n, time.monotonic()
    bps, cpu = t.measure(secs)
    rate = (feed.n - n0) / (time.monotonic() - t0)
    feed.stop.set()
    th.join(5)
    rc = t.quit()
    os.close(feed.f)
    err.close()
    if rc != 0:
        die("gcwatch exited %d in case %s: %s" % (rc, name, open(err.name, "rb").read()[:300]))
    got = sum(1 for _ in open(js))
    if got != feed.n:
        die("case %s: %d gc lines written, gcwatch recorded %d" % (name, feed.n, got))
    return bps, cpu, feed.n, rate

def top_case():
    if not shutil.which("top"):
        return None
    t = Pty(["top", "-d", "1"], subprocess.DEVNULL)
    time.sleep(1.5)
    bps, cpu = t.measure(secs)
    t.quit()
    return bps, cpu

def ok(cond):
    return "ok" if cond else "MISSED"

idle = gcwatch_case("idle", 0, 0.1)
ten = gcwatch_case("10s", 1, 0.1)
fast = gcwatch_case("2000s", 20, 0.01)
top = top_case()

print()
print("gcwatch dashboard benchmark: %dx%d pty, TERM=xterm-256color, C.UTF-8, "
      "default interval, %.0f s per case" % (COLS, ROWS, secs))
print("  %d CPUs, %s %s, %s" % (os.cpu_count(), platform.system(), platform.release(),
                                time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())))
row = "  %-30s %9.0f B/s  %6.2f%% CPU   %s"
print(row % ("idle (0 collections/s)", idle[0], idle[1],
             "target <= 200 B/s %s, <= 0.5%% CPU %s" % (ok(idle[0] <= 200), ok(idle[1] <= 0.5))))
print(row % ("10 collections/s (%.1f/s)" % ten[3], ten[0], ten[1],
             "target <= 8 KB/s (8192 B/s) %s" % ok(ten[0] <= 8192)))
print(row % ("2000 collections/s (%.0f/s)" % fast[3], fast[0], fast[1], ""))
if top:
    print(row % ("reference: top -d 1", top[0], top[1], ""))
else:
    print("  reference: top not found")
print("  records: idle %d, 10/s %d, 2000/s %d written and recorded" % (idle[2], ten[2], fast[2]))
EOF
