#!/bin/sh
# The metrics endpoint's benchmark (make bench):
#   sh bench/metrics.sh BUILD_DIR
# With BUILD/tools/metrics_bench (the real metrics module and HTTP server,
# N sources, a collection for every source and a publish every 250 ms, as
# ingest would), for N = 1, 100 and 1024:
#   - body size of text 0.0.4 and OpenMetrics;
#   - scrape latency (connect to last byte, one connection per scrape as
#     Prometheus does after an idle timeout): median and p90 of 20 scrapes
#     of a snapshot already rendered, and of 10 scrapes each just after a
#     new snapshot (the render included);
#   - CPU of the process over 5 s at 10 scrapes/s against 5 s without
#     scrapes (the ingest-side publishing alone), in the same run.
# Then the same CPU ratio for gcwatch itself, `gcwatch -b -q --listen --
# worker 5` with 10 scrapes/s against without.
# Figures, not pass/fail (they depend on the machine).
set -eu
BUILD=${1:?usage: sh bench/metrics.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gcwatch-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/go/cache" "$TMP/go/path"
(cd "$TMP/go" && env GO111MODULE=off GOFLAGS= GOPROXY=off GOCACHE="$TMP/go/cache" \
    GOPATH="$TMP/go/path" CGO_ENABLED=0 go build -o "$TMP/worker" "$ROOT/tests/go/worker.go")
python3 - "$ROOT/$BUILD" "$TMP/worker" <<'PYEOF'
import os, socket, subprocess, sys, time
build, worker = sys.argv[1:3]
OM = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"
TICK = os.sysconf("SC_CLK_TCK")

def scrape(port, accept=None):
    t0 = time.perf_counter()
    s = socket.create_connection(("127.0.0.1", port))
    req = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    if accept:
        req += "Accept: %s\r\n" % accept
    s.sendall((req + "\r\n").encode())
    data = b""
    while True:
        x = s.recv(1 << 20)
        if not x:
            break
        data += x
    s.close()
    dt = time.perf_counter() - t0
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        sys.exit("bench: scrape failed: %r" % head[:80])
    return dt, len(body)

def cpu(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK

def q(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]

def ms(x):
    return "%.2f ms" % (x * 1000)

def cpu_over(pid, port, secs, rate, accept=None):
    c0, t0 = cpu(pid), time.time()
    n = 0
    while time.time() - t0 < secs:
        if rate:
            scrape(port, accept)
            n += 1
            time.sleep(max(0, t0 + n / rate - time.time()))
        else:
            time.sleep(0.1)
    return (cpu(pid) - c0) / (time.time() - t0), n

print("%-8s %-12s %10s %16s %16s" % ("sources", "format", "body", "cached p50/p90", "fresh p50/p90"))
for n in (1, 100, 1024):
    p = subprocess.Popen([os.path.join(build, "tools/metrics_bench"), str(n), "250"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    port = int(p.stdout.readline().split()[1])
    for name, acc in (("text 0.0.4", None), ("OpenMetrics", OM)):
        scrape(port, acc)
        cached = [scrape(port, acc)[0] for _ in range(20)]
        fresh = []
        for _ in range(10):
            time.sleep(0.3)   # a new snapshot has been published
            dt, size = scrape(port, acc)
            fresh.append(dt)
        print("%-8d %-12s %8.1f KiB %7s/%-8s %7s/%-8s" % (n, name, size / 1024,
              ms(q(cached, .5)), ms(q(cached, .9)), ms(q(fresh, .5)), ms(q(fresh, .9))))
    idle, _ = cpu_over(p.pid, port, 5, 0)
    busy, k = cpu_over(p.pid, port, 5, 10, OM)
    print("%-8d CPU: %.1f%% of a core without scrapes, %.1f%% with %d scrapes in 5 s (+%.1f points)"
          % (n, idle * 100, busy * 100, k, (busy - idle) * 100))
    p.stdin.close()
    p.wait()

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    return port

res = {}
for rate in (0, 10, 0, 10):
    port = free_port()
    g = subprocess.Popen([os.path.join(build, "gcwatch"), "-b", "-q", "--listen",
                          "127.0.0.1:%d" % port, "--", worker, "5"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            scrape(port); break
        except OSError:
            time.sleep(0.05)
    c, k = cpu_over(g.pid, port, 4, rate, OM)
    g.wait()
    res.setdefault(rate, []).append(c)
a, b = min(res[0]), min(res[10])
print("gcwatch -- worker (~2000 lines/s, ~170 gc/s): %.1f%% of a core without scrapes, %.1f%% "
      "with 10 scrapes/s (best of 2 each; ratio %.2f)" % (a * 100, b * 100, b / a if a else 0))
PYEOF
