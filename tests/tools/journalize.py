#!/usr/bin/env python3
"""journalize.py START OFFSET_S [IDENT] < TRACE > OUT: TRACE's lines behind
journalctl -o short-iso prefixes ("2026-12-01T13:20:00+0000 node
api[4242]: "), each gc line stamped START (UTC, "YYYY-MM-DDTHH:MM:SS")
plus OFFSET_S plus its own "@" time, the other lines with the stamp of
the gc line before them: a journalctl export to read at once (the
README's screenshots/history-prefix.png)."""
import calendar
import re
import sys
import time

start, off = sys.argv[1], float(sys.argv[2])
ident = sys.argv[3] if len(sys.argv) > 3 else "api[4242]"
t0 = calendar.timegm(time.strptime(start, "%Y-%m-%dT%H:%M:%S")) + off
at = re.compile(r"^gc \d+ @([\d.]+)s ")
last = t0
out = sys.stdout
for line in sys.stdin:
    m = at.match(line)
    if m:
        last = t0 + float(m.group(1))
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(last))
    out.write("%s node %s: %s" % (stamp, ident, line))
