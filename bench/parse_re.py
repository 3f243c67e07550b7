#!/usr/bin/env python3
"""Baseline for the benchmark: the gctrace parser one would write in Python.

    python3 bench/parse_re.py FILE

Reads FILE as bytes a line at a time and, with two compiled regular
expressions, extracts every DESIGN.md field of every gc line of every era
(Go 1.2-1.4 "gcN(P): ...", Go 1.5 five phases and "gc #N", 1.6-1.17,
1.18+ stacks/globals, "(forced)", any prefix before "gc"), converting the
numbers as gcwatch does.  Prints "records N" and a few totals.  It does not
put torn lines back together: a line-at-a-time regex cannot.
"""
import re
import sys

NUM = rb"(\d+(?:\.\d+)?)"
MODERN = re.compile(
    rb"gc #?(\d+) @(\d+\.\d+)s (\d+)%[^:\n]*: "
    + NUM + rb"\+" + NUM + rb"\+" + NUM + rb"(?:\+" + NUM + rb"\+" + NUM + rb")? ms clock, "
    + NUM + rb"\+(?:" + NUM + rb"\+" + NUM + rb"\+)?" + NUM + rb"/" + NUM + rb"/" + NUM
    + rb"\+" + NUM + rb" ms cpu, "
    rb"(\d+)->(\d+)->(\d+) MB, (\d+) MB goal, "
    rb"(?:(\d+) MB stacks, (\d+) MB globals, )?(\d+) P( \(forced\))?")
PRE15 = re.compile(rb"gc(\d+)\((\d+)\): ([\d+]+) (us|ms), (\d+) -> (\d+) MB")


def opt_int(b):
    return None if b is None else int(b)


def parse(line):
    """The DESIGN.md fields of a gc line, as a tuple, or None."""
    m = MODERN.search(line)
    if m:
        (n, at, pct, c1, c2, c3, c4, c5, u1, u2, u3, u4, u5, u6, u7,
         h0, h1, h2, goal, stacks, globs, procs, forced) = m.groups()
        if c4 is None:  # Go 1.6+: three clock phases, a+b/c/d+e cpu
            sweep, mark, markterm = float(c1), float(c2), float(c3)
        else:           # Go 1.5: scan and install-WB go into mark
            sweep, mark, markterm = float(c1), float(c2) + float(c3) + float(c4), float(c5)
        bg = float(u5)
        if u2 is not None:
            bg += float(u2) + float(u3)
        return (int(n), float(at), int(pct), sweep, mark, markterm,
                float(u1), float(u4), bg, float(u6), float(u7),
                int(h0), int(h1), int(h2), int(goal), opt_int(stacks), opt_int(globs),
                int(procs), forced is not None, None)
    m = PRE15.search(line)
    if m:
        n, procs, phases, unit, h0, h1 = m.groups()
        total = sum(int(x) for x in phases.split(b"+"))
        pause = total / 1000.0 if unit == b"us" else float(total)
        return (int(n), None, None, 0.0, None, pause, None, None, None, None, None,
                int(h0), int(h1), int(h1), None, None, None, int(procs), False, None)
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    records = pre15 = forced = 0
    pause = 0.0
    live_max = 0
    with open(sys.argv[1], "rb", buffering=1 << 20) as f:
        for line in f:
            if b"gc" not in line:
                continue
            r = parse(line)
            if r is None:
                continue
            records += 1
            if r[1] is None:
                pre15 += 1
            forced += r[18]
            pause += r[3] + r[5]
            if r[13] > live_max:
                live_max = r[13]
    print("records %d" % records)
    print("pre-1.5 %d, forced %d, pause total %.3f ms, live max %d MB"
          % (pre15, forced, pause, live_max))


if __name__ == "__main__":
    main()
