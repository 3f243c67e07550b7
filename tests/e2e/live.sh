#!/bin/sh
# Live end to end: real Go 1.19+ programs under GODEBUG=gctrace=1, their
# stdout and stderr merged into one pipe, through
#   gcwatch -b --json -
# (records on stdout, the program's own output and the summary on stderr).
#
# steady: a program that only allocates.
# noisy:  the same while six goroutines log to stderr at thousands of lines
#         a second, so that the runtime's gc lines are torn by whole log
#         lines (the raw stream is kept with tee to prove that they were).
#
# For each, with N from the program's last line "NUMGC N":
#  - gcwatch and the program exit 0 within the time limit;
#  - records.jsonl is JSON Lines with the DESIGN.md keys in order, and its
#    "gc" fields are exactly 1..N in order;
#  - every field is plausible for Go 1.19+ (at_s non-decreasing, times,
#    heap_*, stacks_mb, globals_mb non-null, procs >= 1, forced false,
#    source null);
#  - every record equals, field by field, the gc line that the raw stream
#    holds once the program's own log lines are cut out of it;
#  - the program's own lines reach stderr whole and in order (the log lines
#    of the raw stream, "NUMGC N"), and no line there carries runtime gc
#    text (" ms clock,", " ms cpu,", " MB goal");
#  - noisy only: the raw stream really had torn gc lines (retried with more
#    logging, up to 3 times, when a run happened to have none).
. "$(dirname "$0")/lib.sh"
need_gcwatch
command -v python3 >/dev/null 2>&1 || fail "python3 is needed"

# run_once PROG DIR [ARGS...]: the pipeline, statuses in DIR/*.rc
run_once() {
	_prog=$1 _d=$2
	shift 2
	mkdir -p "$_d"
	set +e
	{
		GODEBUG=gctrace=1 timeout -k 5 60 "$_prog" "$@" 2>&1
		echo $? >"$_d/prog.rc"
	} | tee "$_d/raw.log" |
		timeout -k 5 90 "$GCWATCH" -b --json - >"$_d/records.jsonl" 2>"$_d/other.txt"
	echo $? >"$_d/gcwatch.rc"
	set -e
}

# check NAME DIR: every assertion on one run; prints the torn-line count.
check() {
	python3 - "$1" "$2" <<'EOF'
import json, os, re, sys

name, d = sys.argv[1], sys.argv[2]
def fail(msg):
    print("FAIL: %s: %s" % (name, msg), file=sys.stderr)
    sys.exit(1)

prog_rc = open(os.path.join(d, "prog.rc")).read().strip()
gcw_rc = open(os.path.join(d, "gcwatch.rc")).read().strip()
if prog_rc != "0":
    fail("the Go program exited %s (124: timed out)" % prog_rc)
if gcw_rc != "0":
    fail("gcwatch -b --json - exited %s, expected 0 (124: timed out)" % gcw_rc)

raw = open(os.path.join(d, "raw.log"), "rb").read()
other = open(os.path.join(d, "other.txt"), "rb").read()
recs_text = open(os.path.join(d, "records.jsonl"), "rb").read()

# The program's own lines.  Log lines are written whole, one write each,
# and contain nothing that looks like runtime output, so cutting every one
# of them out of the raw stream gives back what the runtime wrote.
LOG = re.compile(rb"(?:app: )?\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d{6})? worker \d+: [a-z0-9 /]+\n")
OWN = re.compile(rb"(?:NUMGC \d+|allocated \d+ MB in \d+ slices|logged \d+ lines, allocated \d+ MB)\n")
GC = re.compile(rb"gc (\d+) @(\d+\.\d{3})s (\d+)%: ([0-9.]+)\+([0-9.]+)\+([0-9.]+) ms clock, "
                rb"([0-9.]+)\+([0-9.]+)/([0-9.]+)/([0-9.]+)\+([0-9.]+) ms cpu, "
                rb"(\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (\d+) MB stacks, (\d+) MB globals, "
                rb"(\d+) P( \(forced\))?\n")
log_lines = LOG.findall(raw)
runtime_text = LOG.sub(b"", raw)
own_lines = OWN.findall(runtime_text)
runtime_text = OWN.sub(b"", runtime_text)
expected = []
pos = 0
for m in GC.finditer(runtime_text):
    if m.start() != pos:
        fail("raw stream holds unexpected text (not a whole gc line, log line or "
             "the program's own line): %r" % runtime_text[pos:m.start()][:200])
    pos = m.end()
    expected.append(m)
if pos != len(runtime_text):
    fail("raw stream ends with unexpected text: %r" % runtime_text[pos:][:200])

# Torn lines: raw lines that are neither a whole gc line, nor a whole log
# line, nor one of the program's own lines.
torn_lines = 0
for line in raw.splitlines(keepends=True):
    if not (GC.fullmatch(line) or LOG.fullmatch(line) or OWN.fullmatch(line)):
        torn_lines += 1
whole_gc = sum(1 for line in raw.splitlines(keepends=True) if GC.fullmatch(line))
print("%s: raw stream: %d gc lines, %d of them torn, %d torn lines, %d log lines"
      % (name, len(expected), len(expected) - whole_gc, torn_lines, len(log_lines)))

def show_raw(g):
    """The raw bytes of gc line g, log lines abbreviated, on stderr."""
    m = re.search(rb"gc %d @[^\n]*\n" % g, runtime_text)
    if not m:
        return
    # Map the runtime text back to the raw stream.
    rt_pos = raw_pos = 0
    start = end = None
    cuts = list(LOG.finditer(raw)) + [None]
    for c in cuts:
        seg_end = c.start() if c else len(raw)
        seg_len = seg_end - raw_pos
        if start is None and m.start() < rt_pos + seg_len:
            start = raw_pos + m.start() - rt_pos
        if m.end() <= rt_pos + seg_len:
            end = raw_pos + m.end() - rt_pos
            break
        rt_pos += seg_len
        raw_pos = c.end()
    text = LOG.sub(lambda x: b"<log line: " + x.group(0)[:24] + b"...>\n", raw[start:end])
    print("  gc %d in the raw stream:" % g, file=sys.stderr)
    for l in text.splitlines():
        print("    | " + l.decode("utf-8", "replace"), file=sys.stderr)

m = re.findall(rb"^NUMGC (\d+)$", other, re.M)
if len(m) != 1:
    fail("expected one 'NUMGC n' line in gcwatch's stderr, found %d "
         "(the program's own output was lost or altered)" % len(m))
n = int(m[0])
if n < 10:
    fail("the program collected only %d times; expected several dozen" % n)
if len(expected) != n:
    fail("test bug or runtime surprise: raw stream has %d gc lines, NUMGC says %d"
         % (len(expected), n))

KEYS = ["gc", "at_s", "cpu_pct", "clock_sweep_term_ms", "clock_mark_ms",
        "clock_mark_term_ms", "cpu_sweep_term_ms", "cpu_assist_ms",
        "cpu_background_ms", "cpu_idle_ms", "cpu_mark_term_ms",
        "heap_start_mb", "heap_end_mb", "heap_live_mb", "heap_goal_mb",
        "stacks_mb", "globals_mb", "procs", "forced", "source"]
if recs_text and not recs_text.endswith(b"\n"):
    fail("records.jsonl does not end with a newline")
recs = []
for i, line in enumerate(recs_text.splitlines(), 1):
    try:
        obj = json.loads(line.decode("utf-8"), object_pairs_hook=list)
    except Exception as e:
        fail("records.jsonl line %d is not valid JSON (%s): %r" % (i, e, line[:200]))
    keys = [k for k, _ in obj]
    if keys != KEYS:
        fail("records.jsonl line %d: keys %s, expected %s" % (i, keys, KEYS))
    recs.append(dict(obj))

gcs = [r["gc"] for r in recs]
if gcs != list(range(1, n + 1)):
    missing = sorted(set(range(1, n + 1)) - set(g for g in gcs if isinstance(g, int)))
    extra = [g for g in gcs if not isinstance(g, int) or not 1 <= g <= n]
    if missing:
        show_raw(missing[0])
    fail("gc fields are not exactly 1..%d in order: got %d records, missing %s, "
         "unexpected %s, first values %s" % (n, len(gcs), missing[:20], extra[:20], gcs[:10]))

def num(r, k, lo=0):
    v = r[k]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < lo:
        fail("gc %s: %s is %r, expected a number >= %s" % (r["gc"], k, v, lo))
    return v

ncpu = len(os.sched_getaffinity(0))
prev_at = -1.0
for r in recs:
    at = num(r, "at_s")
    if at < prev_at:
        fail("gc %d: at_s %r is before the previous record's %r" % (r["gc"], at, prev_at))
    prev_at = at
    for k in KEYS[2:17]:
        num(r, k)
    if not isinstance(r["cpu_pct"], int) or r["cpu_pct"] > 100:
        fail("gc %d: cpu_pct %r is not a whole percentage" % (r["gc"], r["cpu_pct"]))
    for k in ("heap_start_mb", "heap_end_mb", "heap_live_mb", "heap_goal_mb",
              "stacks_mb", "globals_mb"):
        if not isinstance(r[k], int):
            fail("gc %d: %s is %r, expected whole MB" % (r["gc"], k, r[k]))
    if r["heap_live_mb"] > r["heap_end_mb"] or r["heap_end_mb"] > 4096:
        fail("gc %d: implausible heap %r->%r->%r MB" % (r["gc"], r["heap_start_mb"],
             r["heap_end_mb"], r["heap_live_mb"]))
    num(r, "procs", 1)
    if not isinstance(r["procs"], int) or r["procs"] != recs[0]["procs"]:
        fail("gc %d: procs %r, but gc 1 had %r" % (r["gc"], r["procs"], recs[0]["procs"]))
    if not os.environ.get("GOMAXPROCS") and r["procs"] > ncpu:
        fail("gc %d: procs %r, but this machine gives Go %d CPUs" % (r["gc"], r["procs"], ncpu))
    if r["forced"] is not False:
        fail("gc %d: forced is %r, expected false (nothing calls runtime.GC)" % (r["gc"], r["forced"]))
    if r["source"] is not None:
        fail("gc %d: source is %r, expected null" % (r["gc"], r["source"]))

# Field by field against the raw stream's own gc lines.
for r, m in zip(recs, expected):
    g = m.groups()
    want = [int(g[0]), float(g[1]), int(g[2])] + [float(x) for x in g[3:11]] + \
           [int(x) for x in g[11:18]] + [g[18] is not None, None]
    got = [r[k] for k in KEYS]
    for k, a, b in zip(KEYS, got, want):
        if a != b:
            fail("gc %d: %s is %r, but the runtime printed %r in %r"
                 % (r["gc"], k, a, b, m.group(0).strip()))

# The program's own output, whole and in order, and no runtime text.
other_lines = other.splitlines(keepends=True)
got_logs = [l for l in other_lines if LOG.fullmatch(l)]
if got_logs != log_lines:
    import collections
    lost = collections.Counter(log_lines) - collections.Counter(got_logs)
    extra = collections.Counter(got_logs) - collections.Counter(log_lines)
    if lost or extra:
        fail("gcwatch passed %d whole log lines, the program wrote %d: %d lost (first %r), "
             "%d not written by the program (first %r)"
             % (len(got_logs), len(log_lines), sum(lost.values()), next(iter(lost), None),
                sum(extra.values()), next(iter(extra), None)))
    for i, (a, b) in enumerate(zip(got_logs, log_lines)):
        if a != b:
            fail("log lines out of order: line %d of the program's output is %r, but "
                 "gcwatch passed %r there" % (i + 1, b, a))
got_own = [l for l in other_lines if OWN.fullmatch(l)]
if got_own != own_lines:
    fail("the program's stdout lines %r came out as %r" % (own_lines, got_own))
for i, l in enumerate(other_lines, 1):
    for frag in (b" ms clock,", b" ms cpu,", b" MB goal", b" MB stacks"):
        if frag in l:
            fail("stderr line %d carries runtime gc text %r (a record leaked as "
                 "program output): %r" % (i, frag.decode(), l[:200]))

print("%s: ok: %d records 1..%d, equal to the runtime's lines; %d log lines passed whole"
      % (name, len(recs), n, len(log_lines)))
sys.exit(0 if torn_lines else 3)
EOF
}

steady=$(build_go steady)
noisy=$(build_go noisy)

run_once "$steady" "$T/steady"
check steady "$T/steady" || [ $? = 3 ] || fail "steady: see above"

# Heavy logging (level 4: tens of thousands of lines a second, the
# runtime's writes of one gc line scattered over dozens of log lines) must
# lose nothing either.
run_once "$noisy" "$T/noisy4" 4
check noisy "$T/noisy4" || [ $? = 3 ] || fail "noisy (logging level 4): see above"

# Tearing depends on scheduling: retry with more logging when a run had
# no torn line at all.
for level in 1 2 4 8; do
	run_once "$noisy" "$T/noisy$level" "$level"
	if check noisy "$T/noisy$level"; then
		exit 0
	elif [ $? != 3 ]; then
		fail "noisy (logging level $level): see above"
	fi
	note "noisy: no torn gc line at logging level $level, retrying with more logging"
done
fail "noisy: 4 runs and the runtime's gc lines were never torn; the test proves nothing"
