#!/bin/sh
# The frozen-terminal test (STYLE.md §6): ingest never waits for the screen.
#
# gcwatch -- worker runs on a pseudo-terminal that nobody reads: gcwatch is
# the session leader of the pty, the pty is its controlling terminal (so
# /dev/tty is the frozen pty) and its stdin and stdout.  The pty's buffer
# towards the master is filled beforehand, leaving 4 KiB ("frozen-later":
# the first frame or so goes through, as with Ctrl-S or a stalled link) or
# nothing ("frozen-at-start": gcwatch's first write blocks).
# tests/go/worker.go meanwhile counts the work it completes in 3 s while
# logging ~2000 lines/s to stderr, synchronously, into gcwatch's pipe, with
# 150-200 collections/s.  The same program runs unwatched (stdout and stderr
# to /dev/null, gctrace on as well) for the same time.  Asserted, each case:
#  - the terminal was really frozen: from at most 1.5 s into the run until
#    the worker ended, the pty took not one more byte (probed every 50 ms);
#  - the worker completed, watched, at least 90% of the work it completes
#    unwatched (best of two rounds, runs interleaved; a third round when
#    that misses, for a noisy machine);
#  - gcwatch does not spin while it cannot write: at most 25% of a CPU
#    over the run (it parses ~2000 lines/s; drawing is blocked);
#  - nothing was lost while frozen: once the pty is read again and q typed,
#    gcwatch exits 0 and its --json file holds exactly the worker's NUMGC
#    records, gc 1..n.
# ~20 s.
. "$(dirname "$0")/lib.sh"
need_gcwatch
worker=$(build_go worker)

run_to 120 python3 - "$GCWATCH" "$worker" "$T" <<'EOF'
import atexit, fcntl, json, os, select, signal, struct, subprocess, sys, termios, time

sys.stdout.reconfigure(line_buffering=True)
gcw, worker, tmp = sys.argv[1:4]
SECONDS = 3.0

def fail(msg):
    print("FAIL: frozen: " + msg, file=sys.stderr)
    sys.exit(1)

# gcwatch and its program, in a session of their own: killed on the way out.
started = []
def kill_started():
    for p in started:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
            p.wait()
atexit.register(kill_started)

def result(path):
    d = {}
    for line in open(path):
        k, v = line.split()
        d[k] = int(v)
    return d

def unwatched(i):
    res = os.path.join(tmp, "unwatched%d.txt" % i)
    env = dict(os.environ, GODEBUG="gctrace=1")
    rc = subprocess.call([worker, str(SECONDS), res], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=env, timeout=SECONDS + 30)
    if rc != 0:
        fail("the worker exited %d unwatched" % rc)
    return result(res)["WORK"]

def cpu_ticks(pid):
    """utime + stime of a process, all its threads, in clock ticks."""
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])

def make_ctty():
    # In the child, after setsid (start_new_session): the pty on fd 0
    # becomes the controlling terminal, so /dev/tty is the frozen pty.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)

def watched(i, name, room):
    res = os.path.join(tmp, "watched%d%s.txt" % (i, name))
    js = os.path.join(tmp, "watched%d%s.jsonl" % (i, name))
    err = open(os.path.join(tmp, "watched%d%s.err" % (i, name)), "wb")
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    # Fill the pty's buffer towards the master, then leave ROOM bytes:
    # with none, gcwatch's very first write to the terminal blocks; with
    # 4 KiB, the first frame or two go through and then the terminal is
    # frozen for the rest of the run.
    # The kernel moves the bytes on asynchronously: the pty is full when
    # writes keep failing for a while.
    fill = os.open(os.ttyname(slave), os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    filled = calm = 0
    while calm < 5:
        try:
            filled += os.write(fill, b"." * 256)
            calm = 0
        except BlockingIOError:
            calm += 1
            time.sleep(0.02)
    while filled > 0 and room > 0:
        n = len(os.read(master, room))
        filled -= n
        room -= n
    env = dict(os.environ, TERM="xterm-256color", LC_ALL="C.UTF-8")
    env.pop("NO_COLOR", None)
    p = subprocess.Popen([gcw, "--json", js, "--", worker, str(SECONDS), res],
                         stdin=slave, stdout=slave, stderr=err, env=env,
                         start_new_session=True, preexec_fn=make_ctty)
    started.append(p)
    os.close(slave)
    # Nobody reads the master until the worker is done, or until it is
    # clearly stuck (its count then shows how much it did in its time).
    t0 = time.monotonic()
    cpu0 = cpu_ticks(p.pid)
    done = lambda: os.path.exists(res) and os.path.getsize(res) > 0
    frozen_at = None  # since when the pty takes no more bytes
    while not done():
        try:
            os.write(fill, b".")
            frozen_at = None
        except BlockingIOError:
            if frozen_at is None:
                frozen_at = time.monotonic() - t0
        if p.poll() is not None:
            fail("%s run %d: gcwatch exited %d before the worker was done: %s"
                 % (name, i, p.returncode, open(err.name, "rb").read()[:500]))
        if time.monotonic() - t0 > SECONDS + 4:
            break
        time.sleep(0.05)
    stuck = not done()
    cpu = (cpu_ticks(p.pid) - cpu0) / os.sysconf("SC_CLK_TCK") / (time.monotonic() - t0)
    time.sleep(0.1)
    os.close(fill)
    # Why gcwatch's threads are waiting (diagnostics only).
    wchan = []
    for tid in sorted(os.listdir("/proc/%d/task" % p.pid)):
        try:
            w = open("/proc/%d/task/%s/wchan" % (p.pid, tid)).read().strip()
            wchan.append("(running)" if w in ("", "0") else w)
        except OSError:
            pass
    # Thaw: read everything, type q, read until gcwatch is gone.
    drained = 0
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
            drained += len(data)
        if not quit_sent and time.monotonic() - t1 > 0.3:
            os.write(master, b"q")
            quit_sent = True
        if p.poll() is not None and not r:
            break
        if time.monotonic() - t1 > 15:
            fail("gcwatch did not quit within 15 s of the terminal being read again and q typed")
    rc = p.wait(timeout=10)
    os.close(master)
    err.close()
    if not done():
        fail("%s run %d: gcwatch exited %d, the worker wrote no result" % (name, i, rc))
    if rc != 0:
        fail("%s run %d: gcwatch exited %d, expected 0 (the worker's status): %s"
             % (name, i, rc, open(err.name, "rb").read()[:500]))
    r = result(res)
    recs = [json.loads(l)["gc"] for l in open(js)]
    if recs != list(range(1, r["NUMGC"] + 1)):
        fail("%s run %d: the worker collected %d times, gcwatch's --json holds %d records "
             "(first %s, last %s): records were lost while the terminal was frozen"
             % (name, i, r["NUMGC"], len(recs), recs[:1], recs[-1:]))
    if frozen_at is None or frozen_at > SECONDS / 2:
        fail("%s run %d: the pty %s: the terminal was not frozen for most of the run, "
             "the test proves nothing" % (name, i, "still took bytes when the worker ended"
                                         if frozen_at is None else
                                         "filled up only %.1f s into the run" % frozen_at))
    if cpu > 0.25:
        problems.append("%s run %d: gcwatch used %.0f%% of a CPU while the terminal was frozen "
                        "(threads waiting in %s): it should wait for the terminal, not spin"
                        % (name, i, 100 * cpu, ", ".join(wchan)))
    print("%s run %d: %d units, %d collections%s; the pty was full from %.2f s on, "
          "gcwatch's threads waited in %s, it used %.0f%% of a CPU"
          % (name, i, r["WORK"], r["NUMGC"],
             " (the worker had not finished %.0f s after it started)" % (SECONDS + 4) if stuck else "",
             frozen_at, ", ".join(wchan), 100 * cpu))
    return r["WORK"]

# Two cases: the terminal frozen after the first frame or two (the usual
# Ctrl-S or stalled link), and frozen before gcwatch starts.
CASES = [("frozen-later", 4096), ("frozen-at-start", 0)]
problems = []
best_u = 0
best_w = dict((name, 0) for name, _ in CASES)
for rnd in range(3):
    u = unwatched(rnd)
    best_u = max(best_u, u)
    line = "round %d: unwatched %d units" % (rnd, u)
    for name, room in CASES:
        w = watched(rnd, name, room)
        best_w[name] = max(best_w[name], w)
        line += ", %s %d (%.1f%%)" % (name, w, 100.0 * w / u)
    print(line)
    if rnd >= 1 and (problems or all(w >= 0.9 * best_u for w in best_w.values())):
        break
bad = [name for name, _ in CASES if best_w[name] < 0.9 * best_u]
for name, _ in CASES:
    print("%s: watched %d units = %.1f%% of unwatched %d (best runs)%s"
          % (name, best_w[name], 100.0 * best_w[name] / best_u, best_u,
             "" if name not in bad else "  < 90%: FAIL"))
if bad:
    problems.append("on a frozen terminal (%s) the worker completed less than 90%% of the "
                    "work it completes unwatched: gcwatch stopped reading its output while "
                    "the terminal would not take more" % ", ".join(bad))
if problems:
    fail("\n  ".join(problems))
print("frozen: ok")
EOF
