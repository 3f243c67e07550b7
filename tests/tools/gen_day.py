#!/usr/bin/env python3
"""gen_day.py N SECONDS OUT: N collections of one Go process spread evenly
over SECONDS of its own clock ("@" times), from the corpus's real Go
1.6-1.17 lines (their CPU figures in turn; P the first line's for all, as
one process has one: the demultiplexer tells runtimes apart by it), with a
live heap that
rises and falls once over the run (100 MB at the ends, 1100 MB in the
middle: 100 + 1000 sin(pi t / SECONDS)), and one 50 ms pause (mark
termination) at the middle among pauses of a few tens of microseconds.
Prints "peak_s SPIKE_S" on stdout."""
import math
import re
import sys

n, secs, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
here = __file__.rsplit('/', 2)[0]
pat = re.compile(r'^gc \d+ @[\d.]+s (\d+)%: [\d.]+\+([\d.]+)\+[\d.]+ ms clock, '
                 r'([\d.]+)\+([\d./]+)\+([\d.]+) ms cpu, .* (\d+) P$')
tmpl = []
for l in open(here + '/data/corpus/go1.6-1.17.txt'):
    m = pat.match(l.rstrip('\n'))
    if m and float(m.group(2)) < 50:
        tmpl.append(m.groups())
assert tmpl, "no usable corpus lines"
spike = n // 2
step = secs / n
k = len(tmpl)
procs0 = tmpl[0][5]
# The heap moves slowly: one value for each block of BLOCK collections,
# so that a block's lines are the corpus's tails with a new number and
# time (10 million lines in seconds rather than a minute).
BLOCK = 1000
with open(out, 'w', buffering=1 << 22) as f:
    for b0 in range(0, n, BLOCK):
        t = (b0 + BLOCK / 2) * step
        live = int(100 + 1000 * math.sin(math.pi * min(t, secs) / secs))
        heap = '%d->%d->%d MB, %d MB goal, ' % (live + live // 2, live + live // 2 + 1,
                                                  live, 2 * live)
        tails = ['%s%%: 0.010+%s+0.012 ms clock, %s+%s+%s ms cpu, %s%s P' % (
            pct, mark, st, mid, mt, heap, procs0) for pct, mark, st, mid, mt, _ in tmpl]
        b1 = min(n, b0 + BLOCK)
        lines = ['gc %d @%.3fs %s' % (i + 1, (i + 1) * step, tails[i % k])
                 for i in range(b0, b1)]
        if b0 <= spike < b1:
            lines[spike - b0] = lines[spike - b0].replace('+0.012 ms clock', '+50 ms clock', 1)
        f.write('\n'.join(lines))
        f.write('\n')
print('%.3f %.3f' % (secs / 2, (spike + 1) * step))
