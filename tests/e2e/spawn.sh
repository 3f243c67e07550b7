#!/bin/sh
# Spawning: gcwatch [OPTIONS] -- COMMAND [ARG...], with real processes.
#
# Exit status (DESIGN.md):
#  - exitcode ok/exit3/panic/kill (Go) give 0, 3, 2, 137; "sh -c 'kill -KILL
#    $$'" gives 137, "sh -c 'exit 200'" 200; the summary ends with its "exit" line (the signal named
#    for 137); the panic text reaches stderr;
#  - for the Go programs, the --json records are exactly gc 1..N, N being
#    the NUMGC the program printed;
#  - 127 for a missing command, with a message naming it; 126 for a mode
#    644 file, for a directory, and for a 644 file found through PATH.
# GODEBUG, as the child itself sees it (sh -c 'printf %s "$GODEBUG"'):
#  - none -> "gctrace=1"; "" -> "gctrace=1"; "madvdontneed=1" ->
#    "madvdontneed=1,gctrace=1"; --gctrace 2 -> "gctrace=2" and
#    "madvdontneed=1,gctrace=2";
#  - exactly one GODEBUG entry in the child's environment, and the rest of
#    the environment is the parent's, unchanged;
#  - GODEBUG=gctrace=0 in the parent still gives every record.
# Pass-through (batch is a transparent wrapper):
#  - passthrough (Go) under -b -q: stdout and stderr byte-identical (cmp)
#    to what it wrote to each (escape sequences, invalid UTF-8, NUL, CRLF,
#    a 100 kB and a 1 MB line, unterminated last lines), so no gc line is
#    in them, while --json got all its collections; without -q, stderr is
#    the program's stderr followed by the summary, whose last line is
#    "exit         0";
#  - --json -: stdout holds only the records (1..N), and the program's two
#    streams go to stderr, every byte of them;
#  - stdin is inherited ("echo hi | gcwatch -b -- cat");
#  - the program can open /dev/stdout and /dev/stderr (they are pipes, as
#    with a shell pipeline, not sockets);
#  - the program's fds are the parent's (no descriptor of gcwatch leaks),
#    and SIGPIPE, which gcwatch ignores, is not ignored in the program;
#  - a reader that goes away ("gcwatch -b -- yes | head -n 1") ends the
#    program as it would without gcwatch: SIGPIPE, status 141, promptly.
# Signals:
#  - kill -INT/-HUP/-QUIT (twice each) then -TERM to gcwatch's pid: the
#    program (signals, Go) reports each exactly as often as sent, and
#    gcwatch exits with the program's status (5);
#  - a program that dies of the forwarded signal: 143 (TERM), 129 (HUP);
#  - on a terminal (a pty), Ctrl-C and Ctrl-\ reach the program once each
#    (the terminal signals gcwatch's group, gcwatch passes them on);
#  - a signal sent to the whole process group (as timeout(1) and job
#    control do) reaches the program once;
#  - gcwatch still forwards a signal while its stdout is not being read.
# Faults:
#  - a program that closes its stdout (or its stderr) early and keeps
#    writing to the other: its status, and every byte of the other stream;
#  - 1 MB without a newline on each stream, at the same time: every byte
#    comes through;
#  - a grandchild that keeps the pipes open: gcwatch exits within 5 s with
#    the program's status 0 and its "done"; one that keeps writing: within
#    8 s; meanwhile no zombie child of gcwatch;
#  - gcwatch started with stdin, stdout or stderr closed: the program's
#    status, its output on the streams that are open, and not one of
#    gcwatch's own descriptors as the program's stdin;
#  - no process of the test (everything under $T) is left at the end.
# Every gcwatch run has a time limit; every check runs, and the script
# fails at the end if any did.
# shellcheck disable=SC1091,SC2016
. "$(dirname "$0")/lib.sh"
need_gcwatch
command -v python3 >/dev/null 2>&1 || fail "python3 is needed"
failures=0

bad() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run NAME [<INPUT] CMD...: run with a time limit, stdin from INPUT or
# /dev/null; leaves $T/NAME.out, $T/NAME.err and $T/NAME.rc.
run() {
	_n=$1
	shift
	_in=/dev/null
	case $1 in "<"*) _in=${1#<}; shift ;; esac
	set +e
	run_to 20 "$@" <"$_in" >"$T/$_n.out" 2>"$T/$_n.err"
	echo $? >"$T/$_n.rc"
	set -e
}

show() { # a file's first bytes, for a failure message
	if [ -s "$1" ]; then head -c 400 "$1" | sed 's/^/      | /'; echo; else echo "      (empty)"; fi
}

rc() { # NAME WANT: the exit status
	_got=$(cat "$T/$1.rc")
	if [ "$_got" != "$2" ]; then
		bad "$1: exit status $_got, expected $2 (124: timed out); stderr:"
		show "$T/$1.err" >&2
		return 1
	fi
}

has() { # NAME STREAM(out|err) STRING: a line of the stream contains STRING
	grep -qF -- "$3" "$T/$1.$2" ||
		{ bad "$1: std$2 does not contain '$3':"; show "$T/$1.$2" >&2; }
}

is() { # NAME STREAM(out|err) TEXT: the stream is exactly TEXT (no newline)
	_got=$(cat "$T/$1.$2"; echo x)
	_got=${_got%x}
	[ "$_got" = "$3" ] || { bad "$1: std$2 is '$_got', expected '$3'"; }
}

same() { # NAME FILE EXPECTED: byte for byte
	cmp "$2" "$3" >/dev/null 2>&1 || bad "$1: $(basename "$2") differs from" \
		"what the program wrote: $(cmp "$2" "$3" 2>&1 | head -n 1)" \
		"(sizes $(wc -c <"$2") and $(wc -c <"$3"))"
}

numgc() { # FILE: N from its line "NUMGC N", or nothing
	sed -n 's/^NUMGC \([0-9][0-9]*\)$/\1/p' "$1" | head -n 1
}

# records NAME FILE N: every line of FILE is a JSON object whose first key is
# "gc", and the gc fields are exactly 1..N in order (N >= 1).
records() {
	python3 - "$2" "$3" <<'EOF' || bad "$1: records in $(basename "$2") are not gc 1..$3"
import json, sys
path, n = sys.argv[1], sys.argv[2]
if not n.isdigit() or int(n) < 1:
    print("  the program printed no NUMGC (got %r)" % n, file=sys.stderr)
    sys.exit(1)
gcs = []
with open(path, "rb") as f:
    for i, line in enumerate(f, 1):
        try:
            obj = json.loads(line, object_pairs_hook=list)
        except ValueError as e:
            print("  line %d is not JSON (%s): %r" % (i, e, line[:120]), file=sys.stderr)
            sys.exit(1)
        if not obj or obj[0][0] != "gc":
            print("  line %d does not start with \"gc\": %r" % (i, line[:120]), file=sys.stderr)
            sys.exit(1)
        gcs.append(obj[0][1])
if gcs != list(range(1, int(n) + 1)):
    print("  %d records, gc %s ... %s" % (len(gcs), gcs[:5], gcs[-5:]), file=sys.stderr)
    sys.exit(1)
EOF
}

# wait_for SECS FILE PATTERN [COUNT]: until FILE has COUNT (1) lines
# matching the fixed string PATTERN; status 1 on timeout.
wait_for() {
	_i=0
	while :; do
		_c=$(grep -cF -- "$3" "$2" 2>/dev/null || true)
		[ "${_c:-0}" -lt "${4:-1}" ] || return 0
		_i=$((_i + 1))
		[ "$_i" -le $(($1 * 20)) ] || return 1
		sleep 0.05
	done
}

# bg NAME CMD...: start CMD in the background under a time limit, through
# a shell that writes its own pid (which exec makes CMD's) to $T/NAME.pid:
# the pid to signal is gcwatch's, not timeout's.  Output to $T/NAME.out and
# .err; the status to $T/NAME.rc when it ends.  Sets $bgpid (the waiter).
bg() {
	_n=$1
	shift
	rm -f "$T/$_n.pid" "$T/$_n.rc"
	{
		set +e
		run_to 30 sh -c 'echo $$ >"$0"; exec "$@"' "$T/$_n.pid" "$@" \
			</dev/null >"$T/$_n.out" 2>"$T/$_n.err"
		echo $? >"$T/$_n.rc"
	} &
	bgpid=$!
	wait_for 5 "$T/$_n.pid" "" || true
	gpid=$(cat "$T/$_n.pid" 2>/dev/null || true)
}

no_zombie() { # NAME PID: no child of PID is a zombie
	if ps -o stat= --ppid "$2" 2>/dev/null | grep -q Z; then
		bad "$1: gcwatch (pid $2) has a zombie child:"
		ps -o pid,stat,args --ppid "$2" >&2 || true
	fi
}

exitcode=$(build_go exitcode)
signals=$(build_go signals)
passthrough=$(build_go passthrough)

# A sleep with a name of its own, so that what is left can be found.
mkdir -p "$T/bin"
ln -s "$(command -v sleep)" "$T/bin/gcw-sleep"
SLEEP=$T/bin/gcw-sleep

# ---- exit status -----------------------------------------------------------
note "exit status"
for spec in ok:0 exit3:3 panic:2 kill:137; do
	mode=${spec%:*} want=${spec#*:}
	n=exit_$mode
	run "$n" "$GCWATCH" -b --json "$T/$n.jsonl" -- "$exitcode" "$mode"
	rc "$n" "$want" || true
	records "$n" "$T/$n.jsonl" "$(numgc "$T/$n.out")"
	tail -n 1 "$T/$n.err" | grep -q "^exit  *" ||
		{ bad "$n: the summary does not end with its 'exit' line:"; show "$T/$n.err" >&2; }
	case $want in
	137) has "$n" err "killed by signal 9" ;;
	*) [ "$(tail -n 1 "$T/$n.err" | tr -s ' ')" = "exit $want" ] ||
		bad "$n: the summary's last line is '$(tail -n 1 "$T/$n.err")', expected 'exit $want'" ;;
	esac
done
has exit_panic err "panic: exitcode: panicking on purpose"
has exit_panic err "goroutine 1 [running]:"

run shkill "$GCWATCH" -b -- sh -c 'echo before; kill -KILL $$; echo after'
rc shkill 137 || true
is shkill out "before
"
has shkill err "killed by signal 9"

run exit200 "$GCWATCH" -b -q -- sh -c 'exit 200'
rc exit200 200 || true

missing=gcw-no-such-command-$$
run notfound "$GCWATCH" -b -- "$missing" arg
rc notfound 127 || true
has notfound err "$missing"
is notfound out ""

printf '#!/bin/sh\necho should not run\n' >"$T/bin/noexec"
chmod 644 "$T/bin/noexec"
run noexec "$GCWATCH" -b -- "$T/bin/noexec"
rc noexec 126 || true
has noexec err "$T/bin/noexec"
is noexec out ""
run directory "$GCWATCH" -b -- "$T/bin"
rc directory 126 || true
has directory err "$T/bin"
run noexec_path env PATH="$T/bin:$PATH" "$GCWATCH" -b -- noexec
rc noexec_path 126 || true
has noexec_path err noexec

# ---- GODEBUG ---------------------------------------------------------------
note "GODEBUG"
PRINT='printf %s "$GODEBUG"'
run godebug_none env -u GODEBUG "$GCWATCH" -b -q -- sh -c "$PRINT"
is godebug_none out "gctrace=1"
run godebug_empty env GODEBUG= "$GCWATCH" -b -q -- sh -c "$PRINT"
is godebug_empty out "gctrace=1"
run godebug_merge env GODEBUG=madvdontneed=1 "$GCWATCH" -b -q -- sh -c "$PRINT"
is godebug_merge out "madvdontneed=1,gctrace=1"
run godebug_two env -u GODEBUG "$GCWATCH" -b -q --gctrace 2 -- sh -c "$PRINT"
is godebug_two out "gctrace=2"
run godebug_merge2 env GODEBUG=madvdontneed=1 "$GCWATCH" -b -q --gctrace 2 -- sh -c "$PRINT"
is godebug_merge2 out "madvdontneed=1,gctrace=2"
for g in set unset; do
	if [ $g = set ]; then e="GODEBUG=x=1"; else e="-u GODEBUG"; fi
	# shellcheck disable=SC2086
	run "godebug_count_$g" env $e "$GCWATCH" -b -q -- sh -c 'env | grep -c ^GODEBUG='
	is "godebug_count_$g" out "1
"
done
# The rest of the environment is the parent's.
v='a value with spaces; and = signs'
run env_direct env GODEBUG=madvdontneed=1 GCW_SPAWN_TEST="$v" GCW_SPAWN_TEST2= env
run env_child env GODEBUG=madvdontneed=1 GCW_SPAWN_TEST="$v" GCW_SPAWN_TEST2= \
	"$GCWATCH" -b -q -- env
grep -v -e '^GODEBUG=' -e '^_=' "$T/env_direct.out" | sort >"$T/env_direct.sorted"
grep -v -e '^GODEBUG=' -e '^_=' "$T/env_child.out" | sort >"$T/env_child.sorted"
same env_child "$T/env_child.sorted" "$T/env_direct.sorted"
has env_child out "GCW_SPAWN_TEST=a value with spaces; and = signs"
# gctrace=0 in the parent's GODEBUG: ours comes last, and wins.
run gctrace0 env GODEBUG=gctrace=0 "$GCWATCH" -b -q --json "$T/gctrace0.jsonl" -- "$exitcode" ok
rc gctrace0 0 || true
records gctrace0 "$T/gctrace0.jsonl" "$(numgc "$T/gctrace0.out")"

# ---- pass-through ----------------------------------------------------------
note "pass-through"
run pt "$GCWATCH" -b -q --json "$T/pt.jsonl" -- "$passthrough" "$T/pt.o" "$T/pt.e" "$T/pt.n"
rc pt 0 || true
same pt "$T/pt.out" "$T/pt.o"
same pt "$T/pt.err" "$T/pt.e"
records pt "$T/pt.jsonl" "$(cat "$T/pt.n" 2>/dev/null)"

run pts "$GCWATCH" -b -- "$passthrough" "$T/pts.o" "$T/pts.e"
rc pts 0 || true
same pts "$T/pts.out" "$T/pts.o"
head -c "$(wc -c <"$T/pts.e")" "$T/pts.err" >"$T/pts.err.head"
same pts "$T/pts.err.head" "$T/pts.e"
[ "$(tail -n 1 "$T/pts.err" | tr -s ' ')" = "exit 0" ] ||
	bad "pts: stderr does not end with the summary's 'exit 0' line: $(tail -n 1 "$T/pts.err")"

# --json -: records alone on stdout, the program's output on stderr.
run ptj "$GCWATCH" -b -q --json - -- "$passthrough" "$T/ptj.o" "$T/ptj.e" "$T/ptj.n"
rc ptj 0 || true
records ptj "$T/ptj.out" "$(cat "$T/ptj.n" 2>/dev/null)"
want=$(($(wc -c <"$T/ptj.o") + $(wc -c <"$T/ptj.e")))
[ "$(wc -c <"$T/ptj.err")" -eq "$want" ] ||
	bad "ptj: stderr has $(wc -c <"$T/ptj.err") bytes, the program wrote $want"
for s in "very long: 0123456789abcdef" "stdout line 50 of 50" "stderr line 5 of 5" \
	"passthrough: first line on stdout"; do
	has ptj err "$s"
done
run exit_json "$GCWATCH" -b -q --json - -- "$exitcode" ok
rc exit_json 0 || true
records exit_json "$T/exit_json.out" "$(numgc "$T/exit_json.err")"

# stdin
printf 'hi\n' >"$T/hi.txt"
run stdin "<$T/hi.txt" "$GCWATCH" -b -q -- cat
is stdin out "hi
"
out=$(echo hi | run_to 20 "$GCWATCH" -b -q -- cat) || bad "echo hi | gcwatch -b -- cat: status $?"
[ "$out" = hi ] || bad "echo hi | gcwatch -b -- cat: got '$out'"

# /dev/stdout and /dev/stderr can be opened, as in a pipeline.
run devstd "$GCWATCH" -b -q -- sh -c 'echo to-dev-stdout >/dev/stdout; echo to-dev-stderr >/dev/stderr'
rc devstd 0 || true
is devstd out "to-dev-stdout
"
is devstd err "to-dev-stderr
"

# No descriptor of gcwatch leaks into the program.
run fds_direct sh -c 'ls /proc/$$/fd'
run fds_child "$GCWATCH" -b -q -- sh -c 'ls /proc/$$/fd'
[ "$(sort "$T/fds_child.out")" = "$(sort "$T/fds_direct.out")" ] ||
	bad "the program's descriptors are $(sort "$T/fds_child.out" | tr '\n' ' ')," \
		"a direct run's $(sort "$T/fds_direct.out" | tr '\n' ' ')"

# SIGPIPE (bit 13, mask 0x1000) is not ignored in the program.
run sigign "$GCWATCH" -b -q -- sh -c 'sed -n "s/^SigIgn:[[:space:]]*//p" /proc/$$/status'
ign=$(cat "$T/sigign.out")
case $ign in
????????????????) [ $((0x$ign & 0x1000)) = 0 ] ||
	bad "the program starts with SIGPIPE ignored (SigIgn $ign)" ;;
*) bad "cannot read the program's SigIgn: '$ign'" ;;
esac

# A reader that goes away: the program gets SIGPIPE, as without gcwatch.
{
	set +e
	run_to 8 "$GCWATCH" -b -q -- yes 2>"$T/yeshead.err"
	echo $? >"$T/yeshead.rc"
} | head -n 1 >"$T/yeshead.out"
rc yeshead 141 || true
is yeshead out "y
"

# ---- signals ---------------------------------------------------------------
note "signals"
# kill(1) to gcwatch's pid: INT, HUP, QUIT twice, then TERM.
bg sig "$GCWATCH" -b -q -- "$signals" 5
if ! wait_for 10 "$T/sig.out" READY; then
	bad "sig: the program did not start (no READY)"
else
	no_zombie sig "$gpid"
	for s in INT HUP QUIT INT HUP QUIT; do
		k=$(grep -c "^SIG $s\$" "$T/sig.out" || true)
		kill -"$s" "$gpid" 2>/dev/null || bad "sig: cannot send $s to gcwatch"
		wait_for 5 "$T/sig.out" "SIG $s" $((k + 1)) || bad "sig: the program did not get SIG$s"
	done
	kill -TERM "$gpid" 2>/dev/null || bad "sig: cannot send TERM to gcwatch"
fi
wait "$bgpid" || true
rc sig 5 || true
is_got() { # NAME EXPECTED
	_got=$(grep '^GOT ' "$T/$1.out" || true)
	[ "$_got" = "$2" ] || { bad "$1: the program reports '$_got', expected '$2'; its output:"; show "$T/$1.out" >&2; }
}
is_got sig "GOT TERM=1 INT=2 HUP=2 QUIT=2"

# A program that dies of the signal that gcwatch forwards.
for spec in TERM:143 HUP:129; do
	s=${spec%:*} want=${spec#*:}
	n=sigdie_$s
	bg "$n" "$GCWATCH" -b -- "$SLEEP" 20
	i=0
	while [ -z "$(pgrep -P "$gpid" 2>/dev/null || true)" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -"$s" "$gpid" 2>/dev/null || bad "$n: cannot send $s to gcwatch"
	wait "$bgpid" || true
	rc "$n" "$want" || true
	has "$n" err "killed by signal $((want - 128))"
done

# A terminal's Ctrl-C and Ctrl-\, and a signal to the whole process group.
cat >"$T/sigdrive.py" <<'EOF'
# sigdrive.py MODE GCWATCH SIGNALS: run "GCWATCH -b -q -- SIGNALS 5" and
#   pty:   on a pseudo-terminal of its own (gcwatch in the foreground group):
#          Ctrl-C, Ctrl-\ three times each (the kernel signals the group)
#   group: in a session of its own: SIGINT, SIGHUP, SIGQUIT three times each
#          to the whole process group, as timeout(1) or a shell would
# waiting each time for the program's "SIG ..." acknowledgement, then SIGTERM
# to gcwatch alone (pty) or to the group; prints the program's GOT line and
# "status N".
import os, pty, re, select, signal, subprocess, sys, time

mode, gcw, prog = sys.argv[1:4]
argv = [gcw, "-b", "-q", "--", prog, "5"]
if mode == "pty":
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execv(gcw, argv)
        finally:
            os._exit(127)
else:
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    pid, fd = p.pid, p.stdout.fileno()
buf = b""

def pump(secs):
    global buf
    r, _, _ = select.select([fd], [], [], secs)
    if r:
        try:
            d = os.read(fd, 65536)
        except OSError:
            d = b""
        buf += d
        return bool(d)
    return True

def wait_for(pat, count, secs):
    end = time.time() + secs
    while buf.count(pat) < count:
        if time.time() > end or not pump(max(0, end - time.time())):
            return buf.count(pat) >= count
    return True

def fail(msg):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    sys.stderr.write("FAIL: sigdrive %s: %s; output: %r\n" % (mode, msg, buf[-600:]))
    sys.exit(1)

if not wait_for(b"READY", 1, 10):
    fail("no READY")
if mode == "pty":
    sends = [(b"\x03", b"SIG INT"), (b"\x1c", b"SIG QUIT")] * 3
else:
    sends = [(signal.SIGINT, b"SIG INT"), (signal.SIGHUP, b"SIG HUP"),
             (signal.SIGQUIT, b"SIG QUIT")] * 3
for what, ack in sends:
    n = buf.count(ack)
    if mode == "pty":
        os.write(fd, what)
    else:
        os.killpg(pid, what)
    if not wait_for(ack, n + 1, 5):
        fail("no %r after sending %r" % (ack, what))
if mode == "pty":
    os.kill(pid, signal.SIGTERM)
else:
    os.killpg(pid, signal.SIGTERM)
end = time.time() + 8
status = None
while status is None:
    if time.time() > end:
        fail("gcwatch did not exit")
    pump(0.05)
    p_, st = os.waitpid(pid, os.WNOHANG)
    if p_:
        status = os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st)
while pump(0.2) and select.select([fd], [], [], 0)[0]:
    pass
m = re.search(rb"GOT [^\r\n]*", buf)
print(m.group(0).decode() if m else "no GOT line")
print("status %d" % status)
EOF
for mode in pty group; do
	run "sig_$mode" python3 "$T/sigdrive.py" "$mode" "$GCWATCH" "$signals"
	rc "sig_$mode" 0 || continue
	case $mode in
	pty) want="GOT TERM=1 INT=3 HUP=0 QUIT=3" ;;
	group) want="GOT TERM=1 INT=3 HUP=3 QUIT=3" ;;
	esac
	is "sig_$mode" out "$want
status 5
"
done

# A signal reaches the program while gcwatch's stdout is not read.
rm -f "$T/blocked.pid"
{
	set +e
	run_to 10 sh -c 'echo $$ >"$0"; exec "$@"' "$T/blocked.pid" \
		"$GCWATCH" -b -q -- yes 2>"$T/blocked.err"
	echo $? >"$T/blocked.rc"
} | "$SLEEP" 4 &
bgpid=$!
wait_for 5 "$T/blocked.pid" "" || true
gpid=$(cat "$T/blocked.pid" 2>/dev/null || true)
sleep 0.5 # stdout is full by now
child=$(pgrep -P "$gpid" 2>/dev/null || true)
if [ -z "$child" ]; then
	bad "blocked: gcwatch (pid $gpid) has no child running yes"
else
	kill -TERM "$gpid"
	i=0
	while kill -0 "$child" 2>/dev/null && [ $i -lt 40 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -0 "$child" 2>/dev/null &&
		bad "blocked: 2 s after kill -TERM to gcwatch, the program (yes) still runs:" \
			"gcwatch does not forward signals while its stdout is not read"
fi
wait "$bgpid" || true
rc blocked 143 || true

# ---- faults ----------------------------------------------------------------
note "faults"
run closeout "$GCWATCH" -b -q -- sh -c \
	'echo before; exec >&-; sleep 0.2; echo err1 >&2; sleep 0.2; echo err2 >&2; exit 4'
rc closeout 4 || true
is closeout out "before
"
is closeout err "err1
err2
"
run closeerr "$GCWATCH" -b -q -- sh -c \
	'echo before >&2; exec 2>&-; sleep 0.2; echo out1; sleep 0.2; echo out2; exit 5'
rc closeerr 5 || true
is closeerr out "out1
out2
"
is closeerr err "before
"

head -c 1048576 /dev/zero | tr '\0' a >"$T/mb.a"
head -c 1048576 /dev/zero | tr '\0' b >"$T/mb.b"
run mb "$GCWATCH" -b -q -- sh -c 'cat "$1" & cat "$2" >&2; wait' sh "$T/mb.a" "$T/mb.b"
rc mb 0 || true
same mb "$T/mb.out" "$T/mb.a"
same mb "$T/mb.err" "$T/mb.b"

# A grandchild that holds the pipes and is quiet.
rm -f "$T/gchild.pid"
{
	set +e
	run_to 5 "$GCWATCH" -b -- sh -c '"$0" 30 & echo $! >"$1"; echo done' "$SLEEP" "$T/gchild.pid" \
		</dev/null >"$T/gchild.out" 2>"$T/gchild.err"
	echo $? >"$T/gchild.rc"
}
rc gchild 0 || true
is gchild out "done
"
has gchild err "exit "
[ -s "$T/gchild.pid" ] && kill "$(cat "$T/gchild.pid")" 2>/dev/null || true

# A grandchild that holds the pipes and keeps writing.
bg ticker "$GCWATCH" -b -q -- sh -c \
	'(while :; do echo tick; sleep 0.05; done) & echo $! >"$0"; echo done' "$T/ticker.gpid"
sleep 1
[ -n "$gpid" ] && no_zombie ticker "$gpid"
wait "$bgpid" || true
rc ticker 0 || true
has ticker out "done"
[ -s "$T/ticker.gpid" ] && kill "$(cat "$T/ticker.gpid")" 2>/dev/null || true

# gcwatch started with stdin, stdout or stderr closed: the program's status,
# and no descriptor of gcwatch's own given to the program as one of its
# standard streams (stdin closed: the program's is closed too, or
# /dev/null).
set +e
run_to 20 "$GCWATCH" -b -q -- sh -c \
	'if [ -e /proc/$$/fd/0 ]; then readlink /proc/$$/fd/0; else echo closed; fi; exit 7' \
	<&- >"$T/noin.out" 2>"$T/noin.err"
echo $? >"$T/noin.rc"
run_to 20 "$GCWATCH" -b -q -- sh -c 'echo on-stderr >&2; exit 7' >&- 2>"$T/noout.err"
echo $? >"$T/noout.rc"
run_to 20 "$GCWATCH" -b -q -- sh -c 'echo on-stdout; exit 7' 2>&- >"$T/noerr.out"
echo $? >"$T/noerr.rc"
set -e
for n in noin noout noerr; do
	touch "$T/$n.out" "$T/$n.err"
	rc "$n" 7 || true
done
case $(cat "$T/noin.out") in
closed | /dev/null) ;;
*) bad "noin: gcwatch started with stdin closed gives the program as stdin: $(cat "$T/noin.out")" ;;
esac
is noout err "on-stderr
"
is noerr out "on-stdout
"

# ---- leftovers -------------------------------------------------------------
sleep 0.2
left=$(pgrep -f "$T/" || true)
if [ -n "$left" ]; then
	bad "processes left behind:"
	ps -o pid,stat,args -p "$(echo $left | tr ' ' ',')" >&2 || true
	# shellcheck disable=SC2086
	kill $left 2>/dev/null || true
fi

if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
note "spawn: all checks passed"
