"""Process and pseudo-terminal helpers for the benchmarks (bench/tui.sh,
bench/feeds.py) and the tests that measure (tests/e2e/frozen.sh, metrics.sh).

Pty runs a program as the session leader of a COLSxROWS pseudo-terminal
(TERM xterm-256color, a UTF-8 locale, NO_COLOR unset) and counts, on a
thread of its own, every byte the program sends to it.  cpu_ticks and
rss_kb read /proc.  Every program started here, or given to track(), has
its process group killed at exit."""
import atexit, fcntl, os, select, signal, struct, subprocess, sys, termios, threading, time

COLS, ROWS = 120, 40
TICK = os.sysconf("SC_CLK_TCK")


def die(msg):
    print("bench: " + msg, file=sys.stderr)
    sys.exit(1)


_started = []


def track(p):
    """Kill p's process group at exit (p leads a session of its own)."""
    _started.append(p)
    return p


def _kill_started():
    for p in _started:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
            p.wait()


atexit.register(_kill_started)


def cpu_ticks(pid):
    """utime + stime of all the process's threads, in clock ticks."""
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])


def rss_kb(pid):
    for l in open("/proc/%d/status" % pid):
        if l.startswith("VmRSS:"):
            return int(l.split()[1])
    return 0


def _make_ctty():
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Pty:
    def __init__(self, argv, stderr=subprocess.DEVNULL, env=None):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        e = dict(os.environ, TERM="xterm-256color", LC_ALL="C.UTF-8", **(env or {}))
        e.pop("NO_COLOR", None)
        self.p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=stderr, env=e,
                                  start_new_session=True, preexec_fn=_make_ctty)
        track(self.p)
        os.close(slave)
        self.bytes = 0
        self.lock = threading.Lock()
        self.th = threading.Thread(target=self._read, daemon=True)
        self.th.start()

    def _read(self):
        while True:
            try:
                r, _, _ = select.select([self.master], [], [], 0.2)
                if not r:
                    if self.p.poll() is not None:
                        return
                    continue
                d = os.read(self.master, 65536)
            except OSError:
                return
            if not d:
                return
            with self.lock:
                self.bytes += len(d)

    def sample(self):
        """(bytes received, CPU ticks, monotonic time)."""
        with self.lock:
            b = self.bytes
        return b, cpu_ticks(self.p.pid), time.monotonic()

    def measure(self, seconds):
        """Bytes/s to the terminal and CPU % of one core over seconds."""
        b0, c0, t0 = self.sample()
        time.sleep(seconds)
        if self.p.poll() is not None:
            die("%s exited early (%s)" % (self.p.args[0], self.p.returncode))
        b1, c1, t1 = self.sample()
        return (b1 - b0) / (t1 - t0), 100.0 * (c1 - c0) / TICK / (t1 - t0)

    def quit(self, key=b"q"):
        os.write(self.master, key)
        try:
            rc = self.p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            die("%s did not quit within 15 s of %r" % (self.p.args[0], key))
        self.th.join(5)
        os.close(self.master)
        return rc
