#!/bin/sh
# The diagnosis in the dashboard, in tmux: a real trace with an
# assist-heavy workload (tests/data/analysis/assist.log, which raises
# assist and long-stw) shown at 100x40 with --what-if-limit 30MB.
#
#  line     under the header: "DIAGNOSIS assist: ..." (assist outranks
#           long-stw), "(+1 more)" and "d: details".
#  overlay  d opens it: every finding of the summary (gcwatch -b -s on the
#           same file) with its "try", the MMU run row equal to the
#           summary's mmu line, the what-if rows (GOGC 50..400 and the
#           limit) equal to the summary's table, GC CPU, GC/s and peak
#           heap; the footer says "close diagnosis".  Esc closes it, d
#           opens and closes it again, q quits.
. "$(dirname "$0")/lib.sh"
need_gcwatch
. "$ROOT/tests/tools/tmux.sh"
TRACE=$ROOT/tests/data/analysis/assist.log

run_to 30 "$GCWATCH" -b -s --what-if-limit 30MB "$TRACE" >/dev/null 2>"$T/summary" ||
	fail "gcwatch -b -s failed: $(cat "$T/summary")"

start diag 100 40 "env LC_ALL=C.UTF-8 TERM=xterm-256color '$GCWATCH' --what-if-limit 30MB '$TRACE'; exec sleep 600"
wait_for 10 diag '^DIAGNOSIS '
wait_for 10 diag '^ 27 gcs '
grep -Eq '^DIAGNOSIS assist: assists did [0-9]+% of the mark work.*\(\+1 more\) +d: details *$' "$T/diag.txt" ||
	{ sed 's/^/    | /' "$T/diag.txt" >&2; fail "the findings line does not name assist (+1 more)"; }

tm send-keys -t diag d
wait_for 5 diag 'diagnosis of this feed'
wait_for 5 diag 'peak heap'
cp "$T/diag.txt" "$T/overlay.txt"
grep -q 'd close diagnosis' "$T/overlay.txt" || fail "the footer does not say 'd close diagnosis'"
python3 - "$T/summary" "$T/overlay.txt" <<'PY' || { sed 's/^/    | /' "$T/overlay.txt" >&2; fail "the overlay does not agree with the summary"; }
import re, sys
summary = open(sys.argv[1]).read().splitlines()
# In the box: what lies between the borders.
box = []
for l in open(sys.argv[2]).read().splitlines():
    m = re.search(r"│(.*)│", l)
    if m:
        box.append(m.group(1).strip())
text = "\n".join(box)
bad = []
# Every finding, named with a colon, and something to try.
names = [re.match(r"finding ([a-z-]+):", l).group(1) for l in summary if l.startswith("finding ")]
if sorted(names) != ["assist", "long-stw"]:
    bad.append(f"the summary's findings are {names}")
for n in names:
    if not any(b.startswith(n + ": ") for b in box):
        bad.append(f"finding {n} not in the overlay")
if text.count("try ") < len(names):
    bad.append("not every finding says what to try")
# The MMU over the run, as the summary prints it.
mmu = next(l for l in summary if l.startswith("mmu "))
want = re.findall(r"(?:10ms|50ms|100ms|1s) (\S+)", mmu)
run = next((b for b in box if b.startswith("run ")), "")
if run.split()[1:5] != want:
    bad.append(f"MMU run row {run!r}, summary {want}")
if not any(b.startswith("window ") and "(last " in b for b in box):
    bad.append("no MMU window row")
# The what-if table: the summary's columns (now, 50, 100, 200, 400, +limit).
def row(label):
    l = next(l for l in summary if l[13:].startswith(label))
    return l[13 + 10:].split() if label != "peak heap" else re.findall(r"\S+ MB", l[23:])
cpu, rate, peak = row("GC CPU"), row("GC/s"), row("peak heap")
for i, g in enumerate(["50", "100", "200", "400"]):
    r = next((b for b in box if re.match(rf"{g} +- ", b)), None)
    if r is None:
        bad.append(f"no what-if row for GOGC {g}")
        continue
    f = r.split()
    got = (f[2], f[3], f[4] + " " + f[5])
    if got != (cpu[i + 1], rate[i + 1], peak[i + 1]):
        bad.append(f"GOGC {g}: overlay {got}, summary {(cpu[i+1], rate[i+1], peak[i+1])}")
lim = next((b for b in box if re.match(r"\d+ +30 MB ", b)), None)
if lim is None:
    bad.append("no what-if row for the 30 MB limit")
else:
    f = lim.split()
    got = (f[3], f[4], f[5] + " " + f[6])
    if got != (cpu[5], rate[5], peak[5]):
        bad.append(f"limit: overlay {got}, summary {(cpu[5], rate[5], peak[5])}")
now = next((b for b in box if b.startswith("now ")), "")
if now.split()[1:3] != [cpu[0], rate[0]]:
    bad.append(f"measured row {now!r}, summary {cpu[0]} {rate[0]}")
if bad:
    sys.exit("; ".join(bad))
PY

tm send-keys -t diag Escape
wait_gone 5 diag 'diagnosis of this feed'
tm send-keys -t diag d
wait_for 5 diag 'diagnosis of this feed'
tm send-keys -t diag d
wait_gone 5 diag 'diagnosis of this feed'
tm send-keys -t diag q
wait_for 10 diag '^gc +27 collections'
note "diag: findings line, overlay agrees with the summary (findings, MMU, what-if), esc/d close, q quits"
