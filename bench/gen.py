#!/usr/bin/env python3
"""Generate a large gctrace stream for the benchmark.

    python3 bench/gen.py OUT [SIZE_MB]      (default 256 MiB)

Every gc line is a real one from tests/data/corpus (all eras: Go 1.2-1.4
"gcN(P): ..." lines, Go 1.5 five-phase lines and "gc #N" betas, 1.6-1.17,
1.18+ with stacks and globals, lines behind a syslog prefix), taken in a
fixed pseudo-random order, renumbered 1, 2, 3, ... with strictly increasing
"@...s" times.  About one line in 25 is another runtime line (scvg, scav,
pacer, GC forced) and one in 12 a program log line.  The output is the same
for the same size.  Prints the number of gc lines written on stdout.
"""
import os
import random
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CORPUS = os.path.join(ROOT, "tests", "data", "corpus")
# Files of gc lines, and the share of the output's gc lines each group
# gets: mostly recent releases, as in practice, but every era present.
GC_GROUPS = [(["go1.2-1.4.txt"], 0.05),
             (["go1.5.txt"], 0.10),
             (["go1.6-1.17.txt"], 0.25),
             (["go1.18-1.25.txt", "stream-go-run-two-processes.log",
               "stream-go1.18-goal-below-heap.log"], 0.60)]

# "gc 12 @8.371s ..." or "gc #88 @3.243s ..." (with any prefix), and
# "gc76(1): ..." before Go 1.5.
MODERN = re.compile(r"^(.*?gc #?)\d+ @\d+\.\d{3}s( .*)$")
PRE15 = re.compile(r"^(.*?gc)\d+(\(\d+\): .*)$")


def templates(names):
    """(kind, head, tail) for every gc line of the files."""
    out = []
    for name in names:
        with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                m = MODERN.match(line)
                if m:
                    out.append((1, m.group(1), m.group(2)))
                    continue
                m = PRE15.match(line)
                if m:
                    out.append((0, m.group(1), m.group(2)))
    if not out:
        sys.exit("gen.py: no gc lines in %s under %s" % (names, CORPUS))
    return out


def others():
    with open(os.path.join(CORPUS, "other-lines.txt"), encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    size = int(float(sys.argv[2]) * (1 << 20)) if len(sys.argv) > 2 else 256 << 20
    rng = random.Random(1)
    groups = [(templates(names), share) for names, share in GC_GROUPS]
    other = others()
    logs = ["2026/11/28 17:09:%02d worker %d: request %d handled in %dus"
            % (i % 60, i % 7, i * 37, 40 + i % 97) for i in range(64)]
    logs += ["app: 2026/11/28 17:09:00.%06d cache hit ratio %d/89" % (i * 7919, i % 89)
             for i in range(16)]

    # A fixed sequence of 4096 template picks and time steps, cycled: keeps
    # the inner loop cheap while every template appears many times.
    picks = []
    for _ in range(4096):
        r = rng.random()
        for group, share in groups:
            r -= share
            if r < 0:
                break
        picks.append(rng.choice(group))
    steps = [rng.choice((1, 3, 7, 12, 40, 250, 1500)) for _ in range(4096)]
    extra = [None] * 4096
    for i in range(4096):
        r = rng.random()
        if r < 0.04:
            extra[i] = rng.choice(other)
        elif r < 0.12:
            extra[i] = rng.choice(logs)

    n = 0
    at_ms = 1000  # "@1.000s"
    written = 0
    buf = []
    blen = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        while written < size:
            i = n & 4095
            n += 1
            kind, head, tail = picks[i]
            at_ms += steps[i]
            if kind:
                line = "%s%d @%d.%03ds%s\n" % (head, n, at_ms // 1000, at_ms % 1000, tail)
            else:
                line = "%s%d%s\n" % (head, n, tail)
            buf.append(line)
            blen += len(line)
            x = extra[i]
            if x is not None:
                buf.append(x + "\n")
                blen += len(x) + 1
            if blen >= 1 << 22:
                s = "".join(buf)
                f.write(s)
                written += len(s.encode("utf-8")) if not s.isascii() else len(s)
                buf, blen = [], 0
        if buf:
            f.write("".join(buf))
    print(n)


if __name__ == "__main__":
    main()
