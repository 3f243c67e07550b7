#!/bin/sh
# Several Go runtimes on one unprefixed stream (DESIGN.md "Several sources
# (feeds)"), with the truth measured, not assumed:
#  - two real programs run at once into one pipe, each through a relay
#    that forwards its stderr a whole line at a time and keeps its own
#    copy: every feed's records must be exactly one program's own, as
#    gcwatch reads that program's copy alone;
#  - two instances of steady written straight into one pipe (the writes
#    interleave as they come): two feeds, each program's collections in
#    one (its own NUMGC count), nothing misattributed by "@" order;
#  - go build -a std with gctrace (a fresh GOCACHE, -p=2): the go command
#    prints each compiler's output after "# PKG"; one feed per package and
#    one for the go command, every record where the raw text says, the
#    collections summed equal to the gc lines, each feed's elapsed time
#    within the build's wall time.
#  - go run: the program's collections are one whole run of the input's
#    feed (its NUMGC); the compiler and linker output is the feed
#    "command-line-arguments".
. "$(dirname "$0")/lib.sh"
need_gcwatch
STEADY=$(build_go steady)
MMU=$(build_go mmutrace)

cat >"$T/relay.py" <<'PY'
# relay.py COPY PROGRAM ARGS...: run PROGRAM with gctrace, forward its
# stderr to ours a whole line per write (atomic in a pipe), as soon as
# each line comes, and keep a copy in COPY.  The program starts only once
# the relay is up, so that no line waits in the pipe for it.
import os, subprocess, sys
copy = open(sys.argv[1], "wb")
env = dict(os.environ, GODEBUG="gctrace=1")
p = subprocess.Popen(sys.argv[2:], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
for line in iter(p.stderr.readline, b""):
    os.write(2, line)
    copy.write(line)
copy.close()
sys.exit(p.wait())
PY

# --- two programs, whole lines: exact truth ------------------------------
(
	python3 "$T/relay.py" "$T/a.txt" "$STEADY" 2 &
	python3 "$T/relay.py" "$T/b.txt" "$MMU" "$T/mmu.out" 2
	wait
) 2>&1 | run_to 60 "$GCWATCH" -b -q --json "$T/mix.jsonl" - >"$T/mix.out" 2>&1 ||
	fail "two programs: gcwatch exited $?"
run_to 30 "$GCWATCH" -b -q --json "$T/a.jsonl" "$T/a.txt" >/dev/null 2>&1 || fail "a alone"
run_to 30 "$GCWATCH" -b -q --json "$T/b.jsonl" "$T/b.txt" >/dev/null 2>&1 || fail "b alone"
python3 - "$T/mix.jsonl" "$T/a.jsonl" "$T/b.jsonl" <<'PY' || fail "two programs: records misattributed (above)"
import collections, json, sys
def load(p):
    return [json.loads(l) for l in open(p)]
mix, a, b = load(sys.argv[1]), load(sys.argv[2]), load(sys.argv[3])
feeds = collections.OrderedDict()
for r in mix:
    # The first process's records say null until the second appears.
    src = r.pop("source") or "#1"
    feeds.setdefault(src, []).append(r)
for r in a + b:
    r.pop("source")
truth = {"a": a, "b": b}
bad = 0
names = {}
for src, recs in feeds.items():
    who = [k for k, t in truth.items() if t and t[0] == recs[0]]
    if not who:
        print("feed %s: its first record is nobody's first" % src); bad += 1; continue
    names[src] = who[0]
    t = truth[who[0]]
    wrong = sum(1 for x, y in zip(recs, t) if x != y) + abs(len(recs) - len(t))
    print("feed %s = program %s: %d records, truth %d, %d misattributed or wrong"
          % (src, who[0], len(recs), len(t), wrong))
    bad += wrong
if sorted(names.values()) != ["a", "b"]:
    print("feeds %s, want one per program" % names); bad += 1
sys.exit(1 if bad else 0)
PY
note "two programs, whole lines: every record in its program's feed"

# --- two programs straight into one pipe ------------------------------
(
	GODEBUG=gctrace=1 "$STEADY" 2 >"$T/a2.num" &
	GODEBUG=gctrace=1 "$STEADY" 1.5 >"$T/b2.num"
	wait
) 2>&1 | run_to 60 "$GCWATCH" -b -q --json "$T/raw.jsonl" --summary-json "$T/raw.sum" - >/dev/null 2>&1 ||
	fail "straight pipe: gcwatch exited $?"
python3 - "$T/raw.jsonl" "$T/raw.sum" "$T/a2.num" "$T/b2.num" <<'PY' || fail "straight pipe: wrong (above)"
import collections, json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
summ = json.load(open(sys.argv[2]))
want = sorted(int(open(p).read().split("NUMGC")[1]) for p in sys.argv[3:5])
by = collections.OrderedDict()
for r in recs:
    by.setdefault(r["source"] or "#1", []).append(r)
bad = 0
# In each feed, one process: numbers rise and "@" never goes back (the
# numbers skipped are records lost to tears: two in a row happen).
for src, rs in by.items():
    for x, y in zip(rs, rs[1:]):
        if not (x["gc"] < y["gc"] and x["at_s"] <= y["at_s"]):
            print("feed %s: gc %d @%s then gc %d @%s" % (src, x["gc"], x["at_s"], y["gc"], y["at_s"]))
            bad += 1
got = sorted(rs[-1]["gc"] for rs in by.values())
print("feeds %d, last numbers %s, NUMGC %s, records %d of %d" %
      (len(by), got, want, len(recs), sum(want)))
if len(by) != 2 or got != want:
    bad += 1
sys.exit(1 if bad else 0)
PY
note "two programs, one pipe: two feeds, each one program's numbering"

# --- go build -a std -----------------------------------------------------
mkdir -p "$T/gocache"
start=$(date +%s%N)
(cd "$T" && GOCACHE="$T/gocache" GOFLAGS=-p=2 GODEBUG=gctrace=1 run_to 240 go build -a std) 2>&1 |
	run_to 260 "$GCWATCH" -b -r "$T/build.rec" --json "$T/build.jsonl" - >/dev/null 2>"$T/build.sum" ||
	fail "go build: gcwatch exited $?"
end=$(date +%s%N)
wall_ms=$(( (end - start) / 1000000 ))
python3 - "$T/build.rec" "$T/build.jsonl" "$T/build.sum" "$wall_ms" <<'PY' || fail "go build: wrong (above)"
import collections, json, re, sys
text = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
raw = text.split("\n")
# Every collection's line, whole or torn by another's write, and "gc " or
# "gc 2" alone: a compiler that exited just after it began a line (the go
# command ends the output it prints with a newline); and the go command's
# own line torn by the output it printed before its " @" ("gc # PKG",
# "gc 48# PKG", the rest after that output).
printed = (len(re.findall(r"gc (?:\d+ @|\d*# )", text)) +
           sum(1 for l in raw if re.match(r"^gc (\d+)?$", l)))
recs = [json.loads(l) for l in open(sys.argv[2])]
summary = open(sys.argv[3]).read()
wall_ms = int(sys.argv[4])
GC = re.compile(r"^gc (\d+) @([0-9.]+)s .* P$")
# The truth from the text: after "# PKG" the compiler's lines numbered
# 1, 2, ...; every other gc line is the go command's.
truth, pkg, nxt, gc_lines = [], None, 0, 0
# A header also ends a line of the go command's that its output tore
# ("gc 46 @9.477s ... 10 MB goal, # crypto/internal/edwards25519").
HEAD = re.compile(r"^gc .*?(?:, |% ?|: ?|\+|/|->)?# (\S+(?: \[\S+\])?)$")
for line in raw:
    m = GC.match(line)
    h = HEAD.match(line) if not m else None
    if line.startswith("# ") or h:
        pkg, nxt = line[2:] if not h else h.group(1), 1
        continue
    if not m:
        pkg = None
        continue
    gc_lines += 1
    n = int(m.group(1))
    if pkg is not None and n == nxt:
        # A record's source holds 47 bytes (GC_SOURCE_MAX).
        truth.append((pkg[:47], n, m.group(2))); nxt += 1
    else:
        pkg = None
        truth.append((None, n, m.group(2)))
bad = 0
got = [(r["source"], r["gc"], "%.3f" % r["at_s"]) for r in recs]
tset = collections.Counter(truth)
# Records the parser put back from torn lines have no whole line: they
# must be the go command's (a block is written whole).
extra = collections.Counter(got) - tset
missing = tset - collections.Counter(got)
for k in extra:
    if k[0] is not None:
        print("record %s is in no whole line of its feed" % (k,)); bad += 1
# The go command is one process: each of its numbers once.
dup = [k for k, c in collections.Counter(g[1] for g in got if g[0] is None).items() if c > 1]
if dup:
    print("the go command's records twice: %s" % dup[:5]); bad += 1
if missing:
    print("missing or misattributed: %s" % list(missing)[:5]); bad += len(missing)
feeds = collections.OrderedDict()
for r in recs:
    feeds.setdefault(r["source"], []).append(r)
pkgs = {p for p, _, _ in truth if p}
# (Two packages alike in their first 47 bytes would be one source here.)
print("wall %d ms; %d gc lines (%d whole), %d records, %d feeds (%d packages + the go command), %d misattributed"
      % (wall_ms, printed, gc_lines, len(recs), len(feeds), len(pkgs), len(missing)))
# A record torn beyond repair is dropped and counted, never guessed.
m = re.search(r"torn records (\d+) put back, (\d+) dropped", summary)
dropped = int(m.group(2)) if m else 0
print("torn records dropped (counted): %d" % dropped)
if len(recs) + dropped != printed:
    print("records %d + dropped %d, gc lines printed %d" % (len(recs), dropped, printed)); bad += 1
if set(feeds) != pkgs | {None}:
    print("feeds %d, packages %d" % (len(feeds), len(pkgs))); bad += 1
# The summary: collections summed, and each feed's elapsed within the wall.
counts = [int(x) for x in re.findall(r"^gc +(\d+) collections?", summary, re.M)]
if sum(counts[:-1]) != len(recs) or counts[-1] != len(recs):
    print("summary counts %d (all %d), records %d" % (sum(counts[:-1]), counts[-1], len(recs))); bad += 1
def ms(s):
    m = re.match(r"^(?:(\d+)m(\d+)s|(\d+)h(\d+)m|([0-9.]+)(us|ms|s))$", s)
    if m.group(1): return (int(m.group(1)) * 60 + int(m.group(2))) * 1000
    if m.group(3): return (int(m.group(3)) * 60 + int(m.group(4))) * 60000
    return float(m.group(5)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(6)]
spans = [ms(s) for s in re.findall(r"^gc +\d+ collections? in (\S+)", summary, re.M)]
over = [s for s in spans if s > wall_ms]
print("feeds with an elapsed: %d, longest %.0f ms" % (len(spans), max(spans) if spans else 0))
if over:
    print("elapsed over the wall time: %s" % over); bad += 1
sys.exit(1 if bad else 0)
PY
note "go build -a std: one feed per package and one for the go command"

# --- a real go build, recorded (gcwatch -r) -------------------------------
# tests/data/torn/gobuild-real.log: go build -a fmt net/http through a
# pipe.  The go command's gc 20 was torn by the compilers' output it
# printed ("gc " + "# internal/syscall/execenv" and that compiler's whole
# gc 1 + "20 @10.018s ..."); its gc 16 comes right after the runtime
# package's compiler's gc 11.  Every record of the go command is its
# feed's, 1 to 34, nothing dropped, and the compiler named in the torn
# line has its feed.
"$GCWATCH" -b --json "$T/real.jsonl" "$ROOT/tests/data/torn/gobuild-real.log" \
	>/dev/null 2>"$T/real.sum" || fail "real go build: gcwatch exited $?"
grep -q "torn records 1 put back, 0 dropped" "$T/real.sum" ||
	fail "real go build: $(grep torn "$T/real.sum")"
python3 - "$T/real.jsonl" <<'PY' || fail "real go build: wrong (above)"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
own = [r["gc"] for r in recs if not r["source"]]
tool = [r["gc"] for r in recs if r["source"] == "internal/syscall/execenv"]
print("go command: %s; internal/syscall/execenv: %s; %d records" % (own, tool, len(recs)))
sys.exit(0 if own == list(range(1, 35)) and tool == [1] and len(recs) == 367 else 1)
PY
note "a real go build's torn record put back; the go command's feed whole"

# --- go run: the go command, its compiler and linker, then the program ----
# The compiler's and linker's output comes after "# command-line-arguments"
# (a feed of its own: the go command may still collect after it, so it is
# not a run of the go command's feed); the program is the go command's
# restart, the last run of the input's own feed, whole and nothing else: a
# collection of the go command's after the program began is in "go".
run_to 120 env GO111MODULE=off GOFLAGS= GOPROXY=off GOCACHE="$T/go/cache" GOPATH="$T/go/path" \
	"$GCWATCH" -b -q --json "$T/run.jsonl" -- go run "$ROOT/tests/go/steady.go" 1 >"$T/run.out" 2>&1 ||
	fail "go run: gcwatch exited $?"
python3 - "$T/run.jsonl" "$T/run.out" <<'PY' || fail "go run: wrong (above)"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
numgc = int(open(sys.argv[2]).read().split("NUMGC")[1].split()[0])
feeds = sorted({r["source"] or "" for r in recs})
own = [r for r in recs if not r["source"]]
# The program's run: from the last gc 1 of the input's own feed.
start = max(i for i, r in enumerate(own) if r["gc"] == 1)
prog = own[start:]
want = list(range(1, numgc + 1))
gcs = [r["gc"] for r in prog]
ok = gcs == want
print("feeds %s; the program's run: %d records, NUMGC %d, %s" %
      (feeds, len(prog), numgc, "exact" if ok else "WRONG: %s" % gcs))
sys.exit(0 if ok and set(feeds) <= {"", "command-line-arguments", "go"} else 1)
PY
note "go run: the program's collections are one run of the input's feed"
