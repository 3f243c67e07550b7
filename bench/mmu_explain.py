#!/usr/bin/env python3
"""Why gcwatch's MMU and `go tool trace`'s differ, on one run (issue 13).

    go tool trace -d trace.out > dump.txt
    python3 bench/mmu_explain.py dump.txt records.jsonl   (gcwatch --json of the same run)

Replays `go tool trace`'s MMU (internal/trace MutatorUtilization: STW takes
every P; a P running an assist or a dedicated/fractional mark worker is
GC; idle workers are free) from the dump, and prints its MMU; then, per
collection, the GC busy time gctrace's figures give ((STW x P + assist +
background) / P) against what the execution trace saw from sweep
termination to the end of mark termination; then gcwatch's model (busy
spread evenly over the mark) fed with either.  Needs only python3.
"""
import json, sys
ev = []
for l in open(sys.argv[1]):
    f = l.split()
    if len(f) < 2 or not f[0].isdigit(): continue
    d = dict(x.split('=',1) for x in f[2:] if '=' in x)
    lab = l.split('label=')[1].strip() if 'label=' in l else None
    ev.append((int(f[0]), f[1], int(d.get('p', -1)), int(d.get('g', -1)), lab))
ev.sort(key=lambda e: e[0])
END = {'GoSched','GoBlock','GoSleep','GoPreempt','GoEnd','GoSysBlock','GoBlockSync','GoBlockGC','GoBlockSend','GoBlockRecv','GoBlockSelect','GoBlockCond','GoBlockNet','GoStop','GoWaiting'}
nprocs = 2; stw = 0
psgc = {}  # p -> count
running = {}  # p -> (g, isbg, isassist-running)
assists = set()
bg = {}
series = []  # (ts, gcPs, nprocs)
kinds = {}
def gcps():
    if stw: return nprocs
    return sum(1 for p in range(nprocs) if psgc.get(p,0) > 0)
def endrun(p):
    r = running.pop(p, None)
    if r is None: return
    g, isbg = r
    if isbg: psgc[p] -= 1
    if g in assists: psgc[p] -= 1
for ts, t, p, g, lab in ev:
    if t == 'Gomaxprocs':
        pass
    if t == 'GCSTWStart': stw += 1
    elif t == 'GCSTWDone': stw -= 1
    elif t == 'GCMarkAssistStart': psgc[p] = psgc.get(p,0)+1; assists.add(g)
    elif t == 'GCMarkAssistDone': psgc[p] = psgc.get(p,0)-1; assists.discard(g)
    elif t in ('GoStart','GoStartLabel'):
        endrun(p)
        isbg = t == 'GoStartLabel' and lab.startswith('GC ') and lab != 'GC (idle)'
        if isbg: psgc[p] = psgc.get(p,0)+1
        if g in assists: psgc[p] = psgc.get(p,0)+1
        running[p] = (g, isbg)
    elif t in END:
        for q, r in list(running.items()):
            if r[0] == g: endrun(q)
    elif t == 'ProcStop':
        endrun(p)
    series.append((ts, gcps()))
# nprocs: use 2 (GOMAXPROCS); set after loop to recompute

import bisect
ts = [x[0]/1000.0 for x in series]
gp = [x[1]/nprocs for x in series]
B = [0.0]
for k in range(1, len(ts)):
    B.append(B[-1] + gp[k-1]*(ts[k]-ts[k-1]))
def busy_at(x):
    i = bisect.bisect_right(ts, x) - 1
    if i < 0: i = 0
    return B[i] + gp[i]*(x - ts[i])
end = ts[-1]
# Only where the GC is: candidate windows near busy changes.
chg = [ts[k] for k in range(1, len(ts)) if gp[k] != gp[k-1]]
for w in (10000, 50000, 100000, 1000000):
    best = (-1, 0)
    for c in chg:
        for x in (c, c - w):
            if x < ts[0] or x + w > end: continue
            b = busy_at(x + w) - busy_at(x)
            if b > best[0]: best = (b, x)
    print(f"trace-replica MMU {w/1000:.0f}ms: {1 - best[0]/w:.3f} worst window at {best[1]/1000:.1f} ms")
# STW pairs: sweep term start .. mark term done per GC
stws = [(e[0]/1000, e[1]) for e in ev if e[1] in ('GCSTWStart','GCSTWDone')]
kinds = [l for l in open(sys.argv[1]) if 'GCSTWStart' in l]
starts = [int(l.split()[0])/1000 for l in kinds if 'sweep termination' in l]
mtstarts = [int(l.split()[0])/1000 for l in kinds if 'mark termination' in l]
dones = [e[0]/1000 for e in ev if e[1] == 'GCSTWDone']
recs = [json.loads(l) for l in open(sys.argv[2])]
print(len(starts), len(recs))
# align: offset from the first record's at vs first sweep start
off = starts[0] - recs[0]['at_s']*1e6
rows = []
for r, s in zip(recs, starts):
    P = r['procs']
    st, mk, mt = r['clock_sweep_term_ms']*1000, r['clock_mark_ms']*1000, r['clock_mark_term_ms']*1000
    ours = (st*P + (r['cpu_assist_ms'] + r['cpu_background_ms'])*1000 + mt*P) / P
    # the trace: from this sweep start to the mark termination done after it
    md = min(d for d in dones if d > min(m for m in mtstarts if m > s))
    theirs = busy_at(md) - busy_at(s)
    rows.append((r['gc'], st, mk, mt, (md - s), ours, theirs, r['cpu_assist_ms'], r['cpu_background_ms'], r['cpu_idle_ms']))
print("gc  gctrace wall(ms)  trace wall(ms)  busy gctrace(ms of machine)  busy trace  assist bg idle")
for x in rows:
    print(f"{x[0]:3d}  {(x[1]+x[2]+x[3])/1000:8.2f} {x[4]/1000:8.2f}   {x[5]/1000:7.2f} {x[6]/1000:7.2f}   {x[7]} {x[8]} {x[9]}")
print("total busy gctrace %.1f ms, trace %.1f ms" % (sum(x[5] for x in rows)/1000, sum(x[6] for x in rows)/1000))

# What gcwatch's model gives with the trace's own busy per collection
# (spread evenly over the mark), and with gctrace's figures, on the
# trace's timeline (collections placed at their sweep-termination start).
def model(use_trace):
    segs = []
    for x, s0 in zip(rows, starts):
        gc, st, mk, mt = x[0], x[1], x[2], x[3]
        busy = (x[6] if use_trace else x[5])
        f = max(0.0, min(1.0, (busy - st - mt) / mk)) if mk > 0 else 0
        segs += [(s0, s0+st, 1.0), (s0+st, s0+st+mk, f), (s0+st+mk, s0+st+mk+mt, 1.0)]
    def b(x0, w):
        return sum(max(0.0, min(bb, x0+w) - max(a, x0)) * f for a, bb, f in segs)
    out = []
    lo, hi = ts[0], ts[-1]
    for w in (10000, 50000, 100000, 1000000):
        best = 0
        for a, bb, f in segs:
            for x0 in (a, bb - w, bb, a - w):
                if lo <= x0 and x0 + w <= hi:
                    best = max(best, b(x0, w))
        out.append(round(1 - best / w, 3))
    return out
print("model with gctrace busy:", model(False))
print("model with trace busy  :", model(True))
