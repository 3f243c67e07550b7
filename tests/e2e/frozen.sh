#!/bin/sh
# The frozen-terminal test (STYLE.md §6): ingest never waits for the screen.
#
# gcwatch -- worker runs on a pseudo-terminal: gcwatch is the session
# leader of the pty, the pty is its controlling terminal (so /dev/tty is
# the pty) and its stdin and stdout.  tests/go/worker.go counts the work it
# completes (its own progress, read from WORKER_PROGRESS at any moment)
# while it logs ~2000 lines/s to stderr, synchronously, into gcwatch's pipe,
# with 150-200 collections/s: if gcwatch stopped reading that pipe, the
# worker would stop (the pipe is shrunk to 4 KiB, 60 lines of its logging, so
# that it would stop within a phase).
#
# One run, in phases of 0.25 s that alternate: FROZEN (nobody reads the
# pty and its buffer towards the master is kept full: gcwatch's writes to
# the terminal block, as on Ctrl-S or a stalled link) and THAWED (the pty
# is read: gcwatch draws).  The first phase is frozen from before gcwatch
# starts (its very first write blocks); the later ones freeze a dashboard
# that was drawing; the worker's first second (its heap grows) is left
# out.  Twenty-four pairs of adjacent phases (frozen first, then thawed
# first, in turn): the worker's rate frozen over its rate thawed in each
# pair, and the median over the pairs, cancel what a busy machine does to
# both (the earlier comparison of best runs across rounds did not).
# Asserted:
#  - the terminal was really frozen: in each frozen phase, from at most
#    0.1 s into it until its end, the pty took not one more byte (probed
#    every 50 ms);
#  - the median over the pairs of (the worker's rate frozen / its rate
#    thawed) is at least 90%;
#  - in at least half the frozen phases the worker wrote, after the pty
#    was full, more than its pipe holds: it could not have unless gcwatch
#    kept reading;
#  - gcwatch does not spin while it cannot write: at most 25% of a CPU over
#    the frozen phases (it parses ~2000 lines/s; drawing is blocked);
#  - nothing was lost while frozen: once the pty is read again and q typed,
#    gcwatch exits 0 and its --json file holds exactly the worker's NUMGC
#    records, gc 1..n.
# ~15 s.
. "$(dirname "$0")/lib.sh"
need_gcwatch
worker=$(build_go worker)

run_to 120 python3 - "$GCWATCH" "$worker" "$T" <<'EOF'
import fcntl, json, os, select, signal, struct, subprocess, sys, termios, time

sys.stdout.reconfigure(line_buffering=True)
gcw, worker, tmp = sys.argv[1:4]
# Pairs of phases, frozen first in one pair and thawed first in the next,
# so that a trend in the machine's load favours neither.
PHASE = 0.25
PAIRS = 24
MIN_PAIRS = 16  # on a very slow machine the worker may end first
WARMUP = 1.0    # the worker's first second (its heap grows) is not compared
PHASES = sum((["frozen", "thawed"] if k % 2 == 0 else ["thawed", "frozen"]
              for k in range(PAIRS)), [])
SECONDS = len(PHASES) * PHASE * 1.6 + WARMUP + 4.0  # it should outlive the phases

def fail(msg):
    print("FAIL: frozen: " + msg, file=sys.stderr)
    sys.exit(1)

# gcwatch and its program, in a session of their own: killed on the way out.
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "tools"))
from ptylib import track

from ptylib import cpu_ticks

def make_ctty():
    # In the child, after setsid (start_new_session): the pty on fd 0
    # becomes the controlling terminal, so /dev/tty is the frozen pty.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)

res = os.path.join(tmp, "result.txt")
js = os.path.join(tmp, "records.jsonl")
prog = os.path.join(tmp, "progress.txt")
errf = open(os.path.join(tmp, "gcwatch.err"), "wb")
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
fill = os.open(os.ttyname(slave), os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)

def freeze():
    # Fill the pty's buffer towards the master.  The kernel moves the
    # bytes on asynchronously: it is full when writes keep failing.
    calm = 0
    while calm < 5:
        try:
            os.write(fill, b"." * 256)
            calm = 0
        except BlockingIOError:
            calm += 1
            time.sleep(0.02)

def units():
    try:
        return int(open(prog).read().split()[0])
    except (OSError, IndexError, ValueError):
        return 0

freeze()
env = dict(os.environ, TERM="xterm-256color", LC_ALL="C.UTF-8", WORKER_PROGRESS=prog)
env.pop("NO_COLOR", None)
p = subprocess.Popen([gcw, "--json", js, "--", worker, str(SECONDS), res],
                     stdin=slave, stdout=slave, stderr=errf, env=env,
                     start_new_session=True, preexec_fn=make_ctty)
track(p)
os.close(slave)
t_start = time.monotonic()
while units() == 0:
    if p.poll() is not None:
        fail("gcwatch exited %d before the worker started: %s"
             % (p.returncode, open(errf.name, "rb").read()[:500]))
    if time.monotonic() - t_start > 10:
        fail("the worker did not start within 10 s")
    time.sleep(0.01)
# The worker's stderr pipe, one gcwatch reads, shrunk to 8 KiB (through
# /proc; the pipe is the same): 60 ms of the worker's logging.  A gcwatch
# that stopped reading while the terminal is frozen would stop the worker
# within each frozen phase, not after the 0.45 s a 64 KiB pipe holds.
wpid = None
for line in open("/proc/%d/task/%d/children" % (p.pid, p.pid)).read().split():
    wpid = int(line)
if wpid is None:
    fail("gcwatch has no child")
pfd = os.open("/proc/%d/fd/2" % wpid, os.O_WRONLY | os.O_NONBLOCK)
PIPE = fcntl.fcntl(pfd, 1031, 4096)  # F_SETPIPE_SZ: a page, the least
os.close(pfd)
time.sleep(WARMUP)  # still frozen since before the start

done = lambda: os.path.exists(res) and os.path.getsize(res) > 0
spent = {"frozen": [0, 0.0, 0], "thawed": [0, 0.0, 0]}  # units, seconds, cpu ticks
pair = {}     # this pair's rate of each kind
ratios = []   # per pair: frozen rate / thawed rate
proofs = []   # per frozen phase: the worker wrote more than its pipe holds
LINE = 70     # bytes of the worker's line, one per 100 units
for i, kind in enumerate(PHASES):
    if kind == "frozen" and i > 0:
        freeze()
    u0, t0, c0 = units(), time.monotonic(), cpu_ticks(p.pid)
    full_from = None if kind == "frozen" else 0.0
    while time.monotonic() - t0 < PHASE:
        if kind == "frozen":
            try:
                os.write(fill, b".")
                full_from = None
            except BlockingIOError:
                if full_from is None:
                    full_from = time.monotonic() - t0
                    u_full = units()
            time.sleep(0.05)
        else:
            r, _, _ = select.select([master], [], [], 0.02)
            if r:
                os.read(master, 65536)
        if p.poll() is not None:
            fail("gcwatch exited %d in phase %d: %s"
                 % (p.returncode, i, open(errf.name, "rb").read()[:500]))
        if done():
            break
    if done():
        break  # the phase is not whole: not counted
    u1, t1, c1 = units(), time.monotonic(), cpu_ticks(p.pid)
    if kind == "frozen" and full_from is not None:
        # More lines than the pipe holds, written while the terminal
        # took nothing: gcwatch read them meanwhile.
        proofs.append((u1 - u_full) / 100 * LINE > PIPE)
    s = spent[kind]
    s[0] += u1 - u0
    s[1] += t1 - t0
    s[2] += c1 - c0
    pair[kind] = (u1 - u0) / (t1 - t0)
    if i % 2 == 1:
        ratios.append(pair["frozen"] / max(pair["thawed"], 1e-9))
    cpu = (c1 - c0) / os.sysconf("SC_CLK_TCK") / (t1 - t0)
    print("phase %d %s: %.0f units/s, gcwatch %.0f%% of a CPU%s"
          % (i, kind, (u1 - u0) / (t1 - t0), 100 * cpu,
             "" if kind == "thawed" else
             ", the pty full from %.2f s on" % full_from if full_from is not None else
             ", the pty still took bytes at the end"))
    if kind == "frozen" and (full_from is None or full_from > 0.1):
        fail("phase %d: the terminal was not frozen for the phase (the pty %s): the test "
             "proves nothing" % (i, "took bytes to the end" if full_from is None else
                                 "filled up only %.2f s into it" % full_from))

# Thaw: read everything; when the worker is done, type q; read until
# gcwatch is gone.
quit_sent = False
t1 = time.monotonic()
while True:
    r, _, _ = select.select([master], [], [], 0.05)
    if r:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if not data:
            break
    if not quit_sent and done():
        os.write(master, b"q")
        quit_sent = True
    if p.poll() is not None and not r:
        break
    if time.monotonic() - t1 > SECONDS + 15:
        fail("gcwatch did not quit within 15 s of the worker's end and q")
rc = p.wait(timeout=10)
os.close(master)
errf.close()
if not done():
    fail("gcwatch exited %d, the worker wrote no result" % rc)
if rc != 0:
    fail("gcwatch exited %d, expected 0 (the worker's status): %s"
         % (rc, open(errf.name, "rb").read()[:500]))
r = dict((k, int(v)) for k, v in (line.split() for line in open(res)))
recs = [json.loads(l)["gc"] for l in open(js)]
if recs != list(range(1, r["NUMGC"] + 1)):
    fail("the worker collected %d times, gcwatch's --json holds %d records (first %s, "
         "last %s): records were lost while the terminal was frozen"
         % (r["NUMGC"], len(recs), recs[:1], recs[-1:]))
if len(ratios) < MIN_PAIRS:
    fail("the worker ended after %d pairs of phases, %d are needed: a machine this slow "
         "proves nothing" % (len(ratios), MIN_PAIRS))
rate = dict((k, v[0] / v[1]) for k, v in spent.items())
ratio = sorted(ratios)[len(ratios) // 2] if len(ratios) % 2 else \
    sum(sorted(ratios)[len(ratios) // 2 - 1:len(ratios) // 2 + 1]) / 2
fcpu = spent["frozen"][2] / os.sysconf("SC_CLK_TCK") / spent["frozen"][1]
print("frozen: the worker's stderr pipe holds %d bytes" % PIPE)
print("frozen: pairs (frozen rate / thawed rate): %s"
      % " ".join("%.0f%%" % (100 * r) for r in ratios))
print("frozen: median of the %d pairs %.1f%%; over all phases the worker did %.0f units/s "
      "frozen, %.0f read; gcwatch used %.0f%% of a CPU while frozen; %d records, all there"
      % (len(ratios), 100 * ratio, rate["frozen"], rate["thawed"], 100 * fcpu, len(recs)))
print("frozen: %d of %d frozen phases saw the worker write more than its pipe holds"
      % (sum(proofs), len(proofs)))
problems = []
if ratio < 0.9:
    problems.append("on a frozen terminal the worker did %.1f%% (median of pairs) of the "
                    "work per second it does while the terminal is read (< 90%%): gcwatch "
                    "slowed its program while the terminal would not take more"
                    % (100 * ratio))
# And what could not happen if gcwatch stopped reading: the worker
# writing past its pipe's capacity while the terminal was full.
if sum(proofs) * 2 < len(proofs):
    problems.append("in %d of %d frozen phases the worker wrote no more than its %d-byte pipe "
                    "holds: gcwatch stopped reading its output while the terminal would not "
                    "take more (rate frozen/read, median of pairs: %.1f%%)"
                    % (len(proofs) - sum(proofs), len(proofs), PIPE, 100 * ratio))
if fcpu > 0.25:
    problems.append("gcwatch used %.0f%% of a CPU while the terminal was frozen: it should "
                    "wait for the terminal, not spin" % (100 * fcpu))
if problems:
    fail("\n  ".join(problems))
print("frozen: ok")
EOF
