#!/usr/bin/env python3
"""gen_fleet.py KIND N OUT TRUTH: a stream of N Go processes' gc lines
interleaved line by line behind a collector's prefix, from the corpus's
real Go 1.18+ lines, with program lines between them and a restart in
every fifth process.  KIND: kubectl (--prefix) or journald (short).

Each record's "@" time is 1000 * (process index) + its own clock, so a
test can tell from a record alone which process printed it.  TRUTH gets
one line per process: name, records, runs."""
import random
import re
import sys

kind, n, out, truth = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
here = __file__.rsplit('/', 2)[0]
lines = [l.rstrip('\n') for l in open(here + '/data/corpus/go1.18-1.25.txt')
         if l.startswith('gc ')]
rnd = random.Random(n)
names = []
for i in range(n):
    if kind == 'kubectl':
        names.append('pod/api-%02d-%s/app' % (i, ''.join(rnd.choice('bcdfghjklmnpqrstvwxz') for _ in range(5))))
    else:
        names.append('api%d[%d]' % (i, 1000 + 17 * i))
count = [0] * n
runs = [1] * n
gc = [0] * n
clock = [0.0] * n
restart_at = {i: 8 for i in range(n) if i % 5 == 4}
total = 20 * n


def prefix(i):
    if kind == 'kubectl':
        return '[%s] ' % names[i]
    return 'Dec  1 10:00:%02d node7 %s: ' % (sum(count) % 60, names[i])


with open(out, 'w') as f:
    for _ in range(total):
        i = rnd.randrange(n)
        if restart_at.get(i) == gc[i]:
            gc[i] = 0
            clock[i] = 0.0
            runs[i] += 1
        gc[i] += 1
        count[i] += 1
        clock[i] += rnd.uniform(0.01, 0.5)
        line = rnd.choice(lines)
        line = re.sub(r'^gc \d+ @[0-9.]+s', 'gc %d @%.3fs' % (gc[i], 1000 * i + clock[i]), line)
        f.write(prefix(i) + line + '\n')
        if rnd.random() < 0.3:
            f.write(prefix(i) + 'GET /v1/items?id=%d 200 %dms\n' % (rnd.randrange(10**6), rnd.randrange(90)))
with open(truth, 'w') as t:
    for i in range(n):
        t.write('%s %d %d\n' % (names[i], count[i], runs[i]))
