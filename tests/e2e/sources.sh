#!/bin/sh
# The sources on their own (src/sources/file.c, src/sources/replay.c), through
# build/tools/srccat, with real files, pipes and fifos:
#  - a regular file, a file on standard input and a pipe on standard input
#    are copied byte for byte (NUL bytes, a 1 MB line, no final newline),
#    with states "running" then "eof";
#  - a fifo without -f ends (exit 0) at its first writer's end;
#  - a fifo with -f reads two writers one after the other, with "state
#    waiting" between them; SIGTERM while it waits for a writer ends it
#    within 2 s with exit 0; waiting burns no CPU (< 5% over 2 s, both
#    before the first writer and between writers);
#  - a followed file (-f): appended lines appear; truncated and rewritten,
#    the new text appears and nothing old again; rotated (mv, new file at
#    the path), the old file's last lines and the new file's lines appear
#    exactly once; removed and created again, its new text appears; at its
#    end it burns no CPU; SIGTERM ends it with exit 0;
#  - pause and resume (SIGUSR1/SIGUSR2 to srccat): nothing is copied while
#    paused, everything after resuming;
#  - errors: a missing file, a directory and a terminal given as PATH exit
#    1 naming the path; a terminal on standard input exits 1; a replay
#    speed of 0 is refused;
#  - replay: a 5 s recording at --replay 10 takes 0.3-1.5 s and comes out
#    unchanged; at 1000 it takes under 0.5 s; the odd-bytes file with its
#    1 MB line comes out unchanged; a time going backwards (a new
#    process) counts on from the time before; text after a gc line goes
#    out with it, and the next gc line waits for its time; pausing stops
#    its clock (nothing comes while paused, the rest keeps its pace);
#    SIGTERM while waiting ends it with exit 0.
# Every check runs; the script fails at the end if any did.
. "$(dirname "$0")/lib.sh"
# srccat from the build that GCWATCH comes from (build or build-asan).
S="$(dirname "$GCWATCH")/tools/srccat"
[ -x "$S" ] || fail "$S is missing (make unit builds it)"
failures=0

bad() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# Background srccats are killed at exit, whatever happened.
reap() {
	for _p in "$T"/*.pid; do
		[ -f "$_p" ] && kill -9 "$(cat "$_p")" 2>/dev/null
	done
	cleanup
}
trap reap EXIT

show() { # a file's start, for a failure message
	if [ -s "$1" ]; then head -c 300 "$1" | od -c | head -n 8 | sed 's/^/      | /'; else echo "      (empty)"; fi
}

# wait_until SECS CMD...: run CMD every 50 ms until it succeeds; false
# after SECS seconds.
wait_until() {
	_n=$(($1 * 20))
	shift
	while ! "$@" 2>/dev/null; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.05
	done
}

# bg NAME ARGS...: srccat ARGS in the background (at most 60 s), leaving
# $T/NAME.out, .err, .pid (srccat's own pid) and, once it ended, .rc.
bg() {
	_n=$1
	shift
	(
		set +e
		timeout -k 2 60 sh -c 'echo $$ >"$0.pid"; exec "$@"' "$T/$_n" "$S" "$@" \
			</dev/null >"$T/$_n.out" 2>"$T/$_n.err"
		echo $? >"$T/$_n.rc"
	) &
	wait_until 5 test -s "$T/$_n.pid" || bad "$_n: srccat did not start"
}

pid_of() { cat "$T/$1.pid"; }

# ended NAME SECS WANT: srccat ended within SECS with status WANT
ended() {
	if ! wait_until "$2" test -s "$T/$1.rc"; then
		bad "$1: still running after $2 s"
		kill -9 "$(pid_of "$1")" 2>/dev/null
		wait_until 5 test -s "$T/$1.rc"
		return 1
	fi
	rm -f "$T/$1.pid"
	_rc=$(cat "$T/$1.rc")
	[ "$_rc" = "$3" ] || { bad "$1: exit status $_rc, expected $3; stderr:"; show "$T/$1.err" >&2; return 1; }
}

# has NAME TEXT: srccat's output contains TEXT (fixed string, one line)
has() { grep -qF -- "$2" "$T/$1.out"; }

# same NAME FILE: srccat's output is FILE's bytes
same() {
	cmp -s "$T/$1.out" "$2" || { bad "$1: output differs from $2:"; show "$T/$1.out" >&2; }
}

# states NAME WANT: the "state ..." lines of stderr, joined by spaces
states() {
	_got=$(sed -n 's/^state //p' "$T/$1.err" | tr '\n' ' ' | sed 's/ $//')
	[ "$_got" = "$2" ] || bad "$1: states '$_got', expected '$2'"
}

# cpu_ms PID: user + system CPU time so far, in ms
cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"
}

# idle NAME: srccat uses under 5% CPU over 2 s
idle() {
	_p=$(pid_of "$1")
	_a=$(cpu_ms "$_p")
	sleep 2
	_b=$(cpu_ms "$_p")
	[ $((_b - _a)) -lt 100 ] || bad "$1: used $((_b - _a)) ms of CPU in 2 s while waiting"
}

# write_to FIFO TEXT: one writer, bounded
write_to() {
	timeout -k 2 10 sh -c 'printf "%s" "$2" >"$1"' _ "$1" "$2" ||
		bad "writing to $1 failed or blocked"
}

now_ms() { date +%s%3N; }

# ---------------------------------------------------------------------
note "regular file, standard input"

python3 - "$T/bytes" <<'EOF'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"first line\n\x00\x01\x02 NUL bytes \x00\xff\xfe\r\n")
    f.write(b"x" * (1 << 20) + b"\n")            # a 1 MB line
    f.write(bytes(range(256)) * 300)             # every byte value
    f.write(b"gc 1 @0.001s 0%: last line, no newline")
EOF
timeout -k 2 30 "$S" "$T/bytes" >"$T/file.out" 2>"$T/file.err" && echo 0 >"$T/file.rc" || echo $? >"$T/file.rc"
[ "$(cat "$T/file.rc")" = 0 ] || bad "file: exit status $(cat "$T/file.rc")"
same file "$T/bytes"
states file "running eof"

timeout -k 2 30 "$S" - <"$T/bytes" >"$T/stdinfile.out" 2>"$T/stdinfile.err" ||
	bad "stdin file: exit status $?"
same stdinfile "$T/bytes"

# (cat, so that standard input is a pipe)
cat "$T/bytes" | timeout -k 2 30 "$S" - >"$T/pipe.out" 2>"$T/pipe.err" ||
	bad "stdin pipe: exit status $?"
same pipe "$T/bytes"
states pipe "running eof"

printf 'a\0b\nc' | timeout -k 2 30 "$S" - >"$T/small.out" 2>"$T/small.err" ||
	bad "stdin pipe (printf): exit status $?"
printf 'a\0b\nc' >"$T/small"
same small "$T/small"

: >"$T/empty"
timeout -k 2 30 "$S" "$T/empty" >"$T/empty.out" 2>"$T/empty.err" || bad "empty file: exit status $?"
[ -s "$T/empty.out" ] && bad "empty file: output not empty"
states empty "running eof"

# ---------------------------------------------------------------------
note "errors"

set +e
timeout -k 2 10 "$S" "$T/no such file" >/dev/null 2>"$T/missing.err"
rc=$?
set -e
[ "$rc" = 1 ] || bad "missing file: exit status $rc, expected 1"
grep -qF "$T/no such file" "$T/missing.err" || bad "missing file: message does not name it: $(cat "$T/missing.err")"

mkdir "$T/adir"
set +e
timeout -k 2 10 "$S" "$T/adir" >/dev/null 2>"$T/dir.err"
rc=$?
set -e
[ "$rc" = 1 ] || bad "directory: exit status $rc, expected 1"
grep -qF "$T/adir" "$T/dir.err" && grep -qi "directory" "$T/dir.err" ||
	bad "directory: message does not name it: $(cat "$T/dir.err")"

set +e
timeout -k 2 10 "$S" --replay 0 "$T/bytes" >/dev/null 2>"$T/speed.err"
rc=$?
set -e
[ "$rc" != 0 ] || bad "replay speed 0: exit status 0"
grep -qi "speed" "$T/speed.err" || bad "replay speed 0: no message: $(cat "$T/speed.err")"

# A terminal, as PATH and as standard input (a pty from python).
python3 - "$S" <<'EOF' || bad "terminal: see above"
import os, pty, subprocess, sys
m, s = pty.openpty()
name = os.ttyname(s)
for args, stdin, want in (([name], subprocess.DEVNULL, name),
                          (["-"], s, "standard input is a terminal")):
    p = subprocess.run([sys.argv[1]] + args, stdin=stdin, capture_output=True, timeout=10)
    err = p.stderr.decode()
    if p.returncode != 1 or want not in err or "terminal" not in err:
        print("FAIL: terminal %s: status %d, stderr %r" % (args, p.returncode, err), file=sys.stderr)
        sys.exit(1)
EOF

# ---------------------------------------------------------------------
note "fifo"

mkfifo "$T/fifo1"
bg fifo1 "$T/fifo1"
sleep 0.2
write_to "$T/fifo1" "from the first writer
"
ended fifo1 5 0 && {
	printf 'from the first writer\n' >"$T/fifo1.want"
	same fifo1 "$T/fifo1.want"
	states fifo1 "waiting running eof"
}

mkfifo "$T/fifo2"
bg fifo2 -f "$T/fifo2"
wait_until 5 grep -q "state waiting" "$T/fifo2.err" || bad "fifo -f: not waiting at the start"
idle fifo2 # no writer yet
write_to "$T/fifo2" "one
"
wait_until 5 has fifo2 "one" || bad "fifo -f: the first writer's text did not come"
wait_until 5 test "$(grep -c 'state waiting' "$T/fifo2.err")" -ge 2 ||
	bad "fifo -f: no 'state waiting' after the first writer"
idle fifo2 # between writers: a blocking open in the threadpool
write_to "$T/fifo2" "two
"
wait_until 5 has fifo2 "two" || bad "fifo -f: the second writer's text did not come"
printf 'one\ntwo\n' >"$T/fifo2.want"
wait_until 5 test "$(grep -c 'state waiting' "$T/fifo2.err")" -ge 3 ||
	bad "fifo -f: no 'state waiting' after the second writer"
t0=$(now_ms)
kill -TERM "$(pid_of fifo2)"
ended fifo2 2 0 && echo "      SIGTERM while waiting: $(($(now_ms) - t0)) ms"
same fifo2 "$T/fifo2.want"
states fifo2 "waiting running waiting running waiting"

# A writer that comes while srccat has just seen the last one go.
mkfifo "$T/fifo3"
bg fifo3 -f "$T/fifo3"
sleep 0.2
i=0
while [ $i -lt 20 ]; do
	write_to "$T/fifo3" "w$i
"
	i=$((i + 1))
done
wait_until 5 has fifo3 "w19" || bad "fifo -f: 20 quick writers did not all come"
kill -TERM "$(pid_of fifo3)"
ended fifo3 2 0
[ "$(wc -l <"$T/fifo3.out")" = 20 ] || bad "fifo -f: 20 quick writers gave $(wc -l <"$T/fifo3.out") lines"

# Pause and resume on a fifo.
mkfifo "$T/fifo4"
bg fifo4 -f "$T/fifo4"
sleep 0.2
(timeout -k 2 20 sh -c 'exec 3>"$1"; printf "before\n" >&3; sleep 1.5; printf "after\n" >&3; sleep 1' _ "$T/fifo4") &
writer=$!
wait_until 5 has fifo4 "before" || bad "fifo pause: first text did not come"
kill -USR1 "$(pid_of fifo4)"
wait_until 5 grep -q paused "$T/fifo4.err" || bad "fifo4: SIGUSR1 did not pause"
sleep 2 # "after" is written meanwhile
has fifo4 "after" && bad "fifo pause: text came while paused"
kill -USR2 "$(pid_of fifo4)"
wait_until 5 has fifo4 "after" || bad "fifo resume: text written while paused did not come"
kill -TERM "$(pid_of fifo4)"
ended fifo4 5 0
wait "$writer" || true

# ---------------------------------------------------------------------
note "followed file: append, truncate, rotate, remove"

F="$T/log"
printf 'line 1\nline 2\n' >"$F"
bg follow -f "$F"
wait_until 5 has follow "line 2" || bad "follow: the first lines did not come"
wait_until 5 grep -q "state waiting" "$T/follow.err" || bad "follow: not waiting at the end"
idle follow # at the end of the file
printf 'line 3\n' >>"$F"
sleep 0.1
printf 'line 4 ' >>"$F"
printf 'continued\n' >>"$F"
wait_until 5 has follow "line 4 continued" || bad "follow: appended lines did not come"

# Truncate and write less than was there: the new text, nothing old again.
: >"$F"
printf 'new 1\n' >>"$F"
wait_until 5 has follow "new 1" || bad "follow: text after truncation did not come"

# Rotate: the old file gets a last line, then moves; a new file comes.
printf 'old last\n' >>"$F"
mv "$F" "$F.1"
printf 'rotated 1\n' >"$F"
wait_until 5 has follow "rotated 1" || bad "follow: the new file after rotation was not read"
printf 'rotated 2\n' >>"$F"
wait_until 5 has follow "rotated 2" || bad "follow: the new file did not keep being read"

# Removed, then created again after a while.
rm -f "$F"
sleep 0.6
printf 'again 1\n' >"$F"
wait_until 5 has follow "again 1" || bad "follow: a file created again was not read"
sleep 0.6 # time for a wrong second read to show
kill -TERM "$(pid_of follow)"
ended follow 2 0
printf 'line 1\nline 2\nline 3\nline 4 continued\nnew 1\nold last\nrotated 1\nrotated 2\nagain 1\n' >"$T/follow.want"
same follow "$T/follow.want"

# Rotation while srccat is paused: the old file's rest still comes first.
F="$T/log2"
printf 'p1\n' >"$F"
bg pause -f "$F"
wait_until 5 has pause "p1" || bad "pause: the first line did not come"
kill -USR1 "$(pid_of pause)"
wait_until 5 grep -q paused "$T/pause.err" || bad "pause: SIGUSR1 did not pause"
printf 'p2\n' >>"$F"
mv "$F" "$F.1"
printf 'p3\n' >"$F"
sleep 1
has pause "p2" && bad "pause: text came while paused"
kill -USR2 "$(pid_of pause)"
wait_until 5 has pause "p3" || bad "pause: text after resuming did not come"
sleep 0.3
kill -TERM "$(pid_of pause)"
ended pause 2 0
printf 'p1\np2\np3\n' >"$T/pause.want"
same pause "$T/pause.want"

# ---------------------------------------------------------------------
note "replay"

# gc lines at @0..5 s, with the program's own lines and a log prefix.
{
	printf 'program start\n'
	for s in 0 1 2 3 4 5; do
		printf 'gc %d @%d.000s 1%%: 0.010+0.50+0.020 ms clock, 0.080+0.10/0.40/0.30+0.16 ms cpu, 4->4->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 8 P\n' $((s + 1)) "$s"
		printf 'own output %d\n' "$s"
	done
	printf 'no final newline'
} >"$T/rec"

t0=$(now_ms)
timeout -k 2 30 "$S" --replay 10 "$T/rec" >"$T/replay10.out" 2>"$T/replay10.err" || bad "replay 10: exit status $?"
dt=$(($(now_ms) - t0))
note "      --replay 10 of 5 s: $dt ms"
[ "$dt" -ge 300 ] && [ "$dt" -le 1500 ] || bad "replay 10: took $dt ms, expected 300-1500"
same replay10 "$T/rec"
states replay10 "running eof"

t0=$(now_ms)
timeout -k 2 30 "$S" --replay 1000 "$T/rec" >"$T/replay1000.out" 2>"$T/replay1000.err" || bad "replay 1000: exit status $?"
dt=$(($(now_ms) - t0))
[ "$dt" -le 500 ] || bad "replay 1000: took $dt ms, expected under 500"
same replay1000 "$T/rec"

# Odd bytes, a 1 MB line and no final newline go through a replay too.
timeout -k 2 30 "$S" --replay 1000 "$T/bytes" >"$T/replaybytes.out" 2>"$T/replaybytes.err" ||
	bad "replay bytes: exit status $?"
same replaybytes "$T/bytes"

# A second process on the stream: its times start again near 0.  3 s of
# recording in all (0..2, then 2 + (1.5 - 0.5)) = 0.3 s at speed 10.
{
	for s in 0.000 1.000 2.000 0.500 1.500; do
		printf 'gc 1 @%ss 0%%: 0.010+0.50+0.020 ms clock, 0.080+0.10/0.40/0.30+0.16 ms cpu, 4->4->1 MB, 5 MB goal, 8 P\n' "$s"
	done
} >"$T/rec2"
t0=$(now_ms)
timeout -k 2 30 "$S" --replay 10 "$T/rec2" >"$T/replay2.out" 2>"$T/replay2.err" || bad "replay restart: exit status $?"
dt=$(($(now_ms) - t0))
note "      --replay 10 of 3 s across a restart: $dt ms"
[ "$dt" -ge 200 ] && [ "$dt" -le 1200 ] || bad "replay restart: took $dt ms, expected 200-1200"
same replay2 "$T/rec2"

# Pacing: the text after a gc line goes out with it, the next gc line at
# its time (here 1 s later; checked at 0.4 s and at the end).
{
	printf 'before\n'
	printf '2024-05-01T10:00:00.000Z gc 7 @10.000s 0%%: 0.010+0.50+0.020 ms clock, 0.080+0.10/0.40/0.30+0.16 ms cpu, 4->4->1 MB, 5 MB goal, 8 P\n'
	printf 'after first\n'
	printf '2024-05-01T10:00:01.000Z gc 8 @11.000s 0%%: 0.010+0.50+0.020 ms clock, 0.080+0.10/0.40/0.30+0.16 ms cpu, 4->4->1 MB, 5 MB goal, 8 P\n'
	printf 'after second\n'
} >"$T/rec3"
bg replay3 --replay 1 "$T/rec3"
sleep 0.4
head -n 3 "$T/rec3" >"$T/rec3.head"
same replay3 "$T/rec3.head"
ended replay3 3 0
same replay3 "$T/rec3"

# Paused for 1 s in the middle, a 1 s replay takes 1 s more.
t0=$(now_ms)
bg replay5 --replay 5 "$T/rec"
sleep 0.3
kill -USR1 "$(pid_of replay5)"
wait_until 5 grep -q paused "$T/replay5.err" || bad "replay5: SIGUSR1 did not pause"
n1=$(wc -c <"$T/replay5.out")
sleep 1
n2=$(wc -c <"$T/replay5.out")
[ "$n1" = "$n2" ] || bad "replay pause: output grew from $n1 to $n2 bytes while paused"
kill -USR2 "$(pid_of replay5)"
ended replay5 5 0
dt=$(($(now_ms) - t0))
[ "$dt" -ge 1700 ] && [ "$dt" -le 3500 ] || bad "replay pause: took $dt ms, expected 1700-3500"
same replay5 "$T/rec"

# SIGTERM while a replay waits for its next line.
bg replay4 --replay 1 "$T/rec"
wait_until 5 has replay4 "own output 0" || bad "replay: first line did not come"
kill -TERM "$(pid_of replay4)"
ended replay4 2 0

[ "$failures" = 0 ] || fail "$failures check(s) failed"
note "sources: all checks passed"
