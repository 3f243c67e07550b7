#!/bin/sh
# The runtime's own SCHED lines torn by a chatty program, for real:
# tests/go/noisy.go (six goroutines logging thousands of whole lines a
# second) run by gcwatch with GODEBUG=schedtrace=1,scheddetail=1 merged
# into its gctrace=1.  The runtime prints each SCHED, P, M and G line a
# value at a time, so the program's lines land inside them ("SCHED 4ms:
# gomaxprocs=2 idleprocs=" then a log line, then "1 threads=..."), and
# right after their heads ("  M2" then a log line).  What must hold:
#  - the raw stream (-r) really had program lines inside runtime lines
#    (else the run proves nothing: retried with more logging);
#  - gcwatch's output is the program's lines and nothing else: as many
#    as it says it logged ("logged N lines" on stdout), each of the log
#    package's shape, none with the runtime's text glued on;
#  - every collection's gc line a record (as many as "gc N @" heads).
. "$(dirname "$0")/lib.sh"
need_gcwatch
NOISY=$(build_go noisy)

try() {
	level=$1
	GODEBUG=schedtrace=1,scheddetail=1 run_to 60 "$GCWATCH" -b -q -r "$T/raw" \
		--json "$T/recs.jsonl" -- "$NOISY" "$level" 1 >"$T/out" 2>"$T/err" ||
		fail "gcwatch exited $? (level $level): $(head -c 300 "$T/err")"
	# A program line inside a runtime line: the log package's date after
	# a SCHED pair's "=" or value, or after a head.
	grep -a -q -E '(=|=-?[0-9]+|^  [PMG][0-9]*|^SCHED [0-9]*)(app: )?[0-9]{4}/[0-9]{2}/[0-9]{2} ' "$T/raw"
}

torn=0
for level in 2 4 8; do
	if try "$level"; then
		torn=1
		break
	fi
	note "no SCHED line torn by the program at logging level $level, retrying"
done
[ "$torn" = 1 ] || fail "the runtime's SCHED lines were never torn by the program's; the test proves nothing"

python3 - "$T/raw" "$T/out" "$T/err" "$T/recs.jsonl" <<'PY' || fail "schedtrace: see above"
import re, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
out = open(sys.argv[2]).read()
err = open(sys.argv[3], "rb").read().decode("utf-8", "replace").split("\n")
recs = open(sys.argv[4]).read().split("\n")[:-1]
m = re.search(r"^logged (\d+) lines", out, re.M)
if not m:
    print("no 'logged N lines' on stdout"); sys.exit(1)
want = int(m.group(1))
LOG = re.compile(r"^(app: )?\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(\.\d{6})? worker \d: "
                 r"(request \d+ handled in \d+us|cache hit ratio \d+/89)$")
lines = [l for l in err if l]
good = [l for l in lines if LOG.match(l)]
bad = [l for l in lines if not LOG.match(l)]
sched = len(re.findall(r"SCHED \d", raw))
heads = int(re.search(r"^NUMGC (\d+)", out, re.M).group(1))
print("logged %d lines, %d out of gcwatch, %d of them exact; %d SCHED lines in the raw stream; %d records of %d gc lines"
      % (want, len(lines), len(good), sched, len(recs), heads))
ok = True
if bad:
    print("not the program's lines: %r" % bad[:5]); ok = False
if len(good) != want:
    print("the program logged %d lines, %d came out" % (want, len(good))); ok = False
if len(recs) != heads:
    print("records %d, gc lines %d" % (len(recs), heads)); ok = False
sys.exit(0 if ok else 1)
PY
note "schedtrace: the program's lines exact around torn SCHED lines"
