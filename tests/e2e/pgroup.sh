#!/bin/sh
# Signals and process groups: what gcwatch passes on reaches the program's
# whole process group exactly once, so that wrappers (go run, sh -c)
# behave as without gcwatch.  Real `go run` of tests/go/signals.go (which
# logs every signal it gets to SIGNALS_LOG, with its pid), real ptys, tmux.
# Asserted:
#  batch, no terminal:
#  - gorun_term: `gcwatch -b -- go run signals.go`, kill -TERM <gcwatch>:
#    the program reports TERM=1 and nothing else, gcwatch exits with go's
#    status (143), and no process of the run is left;
#  - gorun_timeout: `timeout 30 gcwatch -b -- go run signals.go`, and
#    timeout's SIGTERM (it signals gcwatch, then its own group): TERM=1,
#    once, and nothing left; the same three times with the program run
#    directly (no go run), TERM=1 each time;
#  - ignterm: `sh -c '(trap "" TERM; exec sleep 60) & wait'`, kill -TERM
#    <gcwatch>: the sleep, which ignores SIGTERM, is killed when the grace
#    period after its leader's exit is over: gcwatch exits within 8 s and
#    leaves nothing behind;
#  batch on a pty:
#  - pty_gorun: a foreground job of a job-control shell: Ctrl-C twice and
#    Ctrl-\ once reach the program (go run ignores both), each once;
#    Ctrl-Z stops gcwatch and the program and gives the shell the terminal
#    back, fg starts both again; SIGTERM to gcwatch: the program reports
#    TERM=1 INT=2 HUP=0 QUIT=1; nothing left;
#  - hangup (tmux kill-window on `gcwatch -b -- go run signals.go`, the
#    kernel's SIGHUP to gcwatch): the program gets SIGHUP once (HUP=1 when
#    a SIGTERM ends it);
#  the dashboard, in tmux:
#  - dash_gorun: Ctrl-C (a key in the dashboard) reaches the program, q
#    stops it: TERM=1 INT=1, the dashboard ends, nothing left;
#  - dash_ignterm: q on a group that ignores SIGTERM: SIGKILL to the group
#    after the grace period: the dashboard ends within 8 s and no process
#    of the group is left;
#  - dash_hup: kill -HUP <gcwatch> reaches the program, which carries on:
#    4 s later it still runs (no SIGKILL), then q: TERM=1 HUP=1.
# ~30 s.  Every process started carries GCWATCH_TEST_TAG in its
# environment: "nothing left" means no such process, and whatever is left
# is killed on the way out.
# shellcheck disable=SC1091,SC2016
. "$(dirname "$0")/lib.sh"
need_gcwatch
command -v tmux >/dev/null 2>&1 || fail "the process group tests need tmux (make deps)"
failures=0
bad() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

signals=$(build_go signals)
SRC=$ROOT/tests/go/signals.go
TAG=gcwatch-pgroup-$$
SOCK=$TAG
tm() { tmux -L "$SOCK" "$@"; }
tagged() { # the pids of the processes that carry the tag (not zombies)
	for _d in /proc/[0-9]*; do
		grep -qzx "GCWATCH_TEST_TAG=$TAG" "$_d/environ" 2>/dev/null || continue
		case $(cut -d' ' -f3 "$_d/stat" 2>/dev/null) in Z | X | "") continue ;; esac
		echo "${_d#/proc/}"
	done
}
reap() {
	tm kill-server >/dev/null 2>&1 || :
	for _p in $(tagged); do kill -9 "$_p" 2>/dev/null || :; done
}
trap 'reap; cleanup' EXIT
trap 'reap; cleanup; trap - EXIT; exit 130' INT
trap 'reap; cleanup; trap - EXIT; exit 143' TERM

# go run, offline, with the build cache of build_go (so it is quick).
GOENV="GO111MODULE=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOCACHE=$T/go/cache GOPATH=$T/go/path CGO_ENABLED=0"
mkdir -p "$T/bin"
ln -s "$(command -v sleep)" "$T/bin/gcw-sleep"
SLEEP=$T/bin/gcw-sleep

# logwait SECS LOG TEXT [COUNT]: until LOG has COUNT (1) lines TEXT.
logwait() {
	_i=$(($1 * 20))
	while _c=$(grep -cxF -- "$3" "$2" 2>/dev/null || true); [ "${_c:-0}" -lt "${4:-1}" ]; do
		_i=$((_i - 1))
		[ $_i -gt 0 ] || return 1
		sleep 0.05
	done
}
got() { # NAME LOG WANT: the program's GOT line
	_g=$(grep '^GOT ' "$2" 2>/dev/null || true)
	[ "$_g" = "$3" ] || bad "$1: the program reports '${_g:-no GOT line}', expected '$3'" \
		"(its log: $(tr '\n' ' ' <"$2" 2>/dev/null))"
}
nothing_left() { # NAME: no tagged process (a moment to go first)
	_i=20
	while [ -n "$(tagged)" ] && [ $_i -gt 0 ]; do sleep 0.1; _i=$((_i - 1)); done
	_l=$(tagged)
	[ -z "$_l" ] && return 0
	bad "$1: processes left after gcwatch exited:"
	ps -o pid,ppid,pgid,sid,stat,args -p "$(echo $_l | tr ' ' ',')" >&2 || true
	for _p in $_l; do kill -9 "$_p" 2>/dev/null || :; done
}
gone_within() { # NAME SECS PID: PID (not our child) is gone within SECS
	_i=$(($2 * 10))
	while case $(cut -d' ' -f3 "/proc/$3/stat" 2>/dev/null) in Z | X | "") false ;; esac; do
		_i=$((_i - 1))
		if [ $_i -le 0 ]; then
			bad "$1: gcwatch (pid $3) still runs after $2 s; its screen:"
			tm capture-pane -p -t "base:$1" 2>/dev/null | sed 's/^/    | /' >&2 || :
			ps -o pid,ppid,pgid,stat,wchan:20,args -g "$(cut -d' ' -f6 "/proc/$3/stat")" >&2 || :
			return 1
		fi
		sleep 0.1
	done
}
gcwatch_of() { # the pid of the tagged gcwatch
	for _p in $(tagged); do
		[ "$(cat "/proc/$_p/comm" 2>/dev/null)" = gcwatch ] && { echo "$_p"; return 0; }
	done
}

# ---- batch, no terminal ------------------------------------------------------
note "batch: kill -TERM, timeout(1), a group member that ignores SIGTERM"
# shellcheck disable=SC2086
env GCWATCH_TEST_TAG=$TAG SIGNALS_LOG="$T/gorun_term.log" $GOENV \
	"$GCWATCH" -b -q -- go run "$SRC" 0 30 </dev/null >"$T/gorun_term.out" 2>&1 &
gpid=$!
if logwait 30 "$T/gorun_term.log" READY; then
	kill -TERM "$gpid"
	set +e
	wait "$gpid"
	rc=$?
	set -e
	[ "$rc" = 143 ] || bad "gorun_term: gcwatch exited $rc, expected 143 (go's own SIGTERM)"
else
	bad "gorun_term: go run signals.go did not start: $(head -c 300 "$T/gorun_term.out")"
fi
got gorun_term "$T/gorun_term.log" "GOT TERM=1 INT=0 HUP=0 QUIT=0"
nothing_left gorun_term

# timeout(1) signals its child, then its own process group (gcwatch again).
for n in gorun_timeout direct1 direct2 direct3; do
	case $n in
	gorun_timeout) set -- go run "$SRC" 0 30 ;;
	*) set -- "$signals" 0 30 ;;
	esac
	# shellcheck disable=SC2086
	env GCWATCH_TEST_TAG=$TAG SIGNALS_LOG="$T/$n.log" $GOENV \
		timeout 30 "$GCWATCH" -b -q -- "$@" </dev/null >"$T/$n.out" 2>&1 &
	tpid=$!
	if logwait 30 "$T/$n.log" READY; then
		kill -TERM "$tpid" # what timeout does when its time is up
		wait "$tpid" || true
	else
		bad "$n: the program did not start: $(head -c 300 "$T/$n.out")"
	fi
	got "$n" "$T/$n.log" "GOT TERM=1 INT=0 HUP=0 QUIT=0"
	nothing_left "$n"
done

env GCWATCH_TEST_TAG=$TAG "$GCWATCH" -b -q -- sh -c \
	'(trap "" TERM; exec "$0" 60) & echo started; wait' "$SLEEP" </dev/null >"$T/ignterm.out" 2>&1 &
gpid=$!
if logwait 10 "$T/ignterm.out" started && sleep 0.2; then
	t0=$(date +%s)
	kill -TERM "$gpid"
	wait "$gpid" || true
	[ $(($(date +%s) - t0)) -le 8 ] || bad "ignterm: gcwatch took more than 8 s to exit"
else
	bad "ignterm: the command did not start"
fi
nothing_left ignterm

# ---- batch on a pty ----------------------------------------------------------
note "batch on a pty: Ctrl-C, Ctrl-\\, Ctrl-Z; a terminal hangup"
cat >"$T/ptydrive.py" <<'EOF'
# ptydrive.py LOG CMD...: on a pty of its own, a job-control shell (this
# script, forked: the session leader) runs CMD as a foreground job in a
# process group of its own, as sh -i does.  Then: Ctrl-C twice, Ctrl-\
# once (each acknowledged in LOG), Ctrl-Z (gcwatch and the program both
# stopped, the shell has the terminal back), "fg" (both running again),
# then SIGTERM to gcwatch; prints gcwatch's exit status.
import os, pty, select, signal, sys, time

log, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    try:
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        job = os.fork()
        if job == 0:
            os.setpgid(0, 0)
            os.tcsetpgrp(0, os.getpgrp())
            signal.signal(signal.SIGTTOU, signal.SIG_DFL)
            os.execvp(argv[0], argv)
        try:
            os.setpgid(job, job)
        except OSError:
            pass
        os.tcsetpgrp(0, job)
        os.write(1, b"JOB %d\n" % job)
        _, st = os.waitpid(job, os.WUNTRACED)
        if os.WIFSTOPPED(st):
            os.tcsetpgrp(0, os.getpgrp())
            os.write(1, b"STOPPED\n")
            while b"fg" not in os.read(0, 100):
                pass
            os.tcsetpgrp(0, job)
            os.kill(-job, signal.SIGCONT)
            _, st = os.waitpid(job, 0)
        os.write(1, b"status %d\n" % (os.WEXITSTATUS(st) if os.WIFEXITED(st)
                                      else 128 + os.WTERMSIG(st)))
    finally:
        os._exit(0)

buf = b""
gcw = 0

def pump(secs):
    global buf
    end = time.time() + secs
    while True:
        r, _, _ = select.select([fd], [], [], max(0, min(0.05, end - time.time())))
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                pass
        if time.time() >= end:
            return

def lines():
    try:
        return open(log).read().splitlines()
    except OSError:
        return []

def fail(msg):
    for p in ([-gcw] if gcw else []) + [pid]:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    sys.stderr.write("FAIL: ptydrive: %s; log: %r; terminal: %r\n" % (msg, lines(), buf[-300:]))
    sys.exit(1)

def wait_until(cond, secs, msg):
    end = time.time() + secs
    while not cond():
        if time.time() > end:
            fail(msg())
        pump(0.05)

def state(p):
    try:
        return open("/proc/%d/stat" % p).read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"

wait_until(lambda: b"JOB " in buf and b"\n" in buf.split(b"JOB ", 1)[1], 10, lambda: "no JOB line")
gcw = int(buf.split(b"JOB ", 1)[1].split()[0])
wait_until(lambda: "READY" in lines(), 30, lambda: "no READY")
prog = int(lines()[0].split()[1])
for key, ack, n in [(b"\x03", "SIG INT", 1), (b"\x03", "SIG INT", 2), (b"\x1c", "SIG QUIT", 1)]:
    os.write(fd, key)
    wait_until(lambda: lines().count(ack) >= n, 5, lambda: "no %d x %r" % (n, ack))
os.write(fd, b"\x1a")
wait_until(lambda: b"STOPPED" in buf and (state(gcw), state(prog)) == ("T", "T"), 5,
           lambda: "after Ctrl-Z gcwatch is %s and the program %s, expected both stopped (T)"
                   % (state(gcw), state(prog)))
os.write(fd, b"fg\n")
wait_until(lambda: "T" not in (state(gcw), state(prog)), 5,
           lambda: "after fg gcwatch is %s and the program %s, expected both running"
                   % (state(gcw), state(prog)))
os.kill(gcw, signal.SIGTERM)
wait_until(lambda: b"status " in buf and b"\n" in buf.split(b"status ", 1)[1], 10,
           lambda: "gcwatch did not exit after SIGTERM")
os.waitpid(pid, 0)
print("status " + buf.split(b"status ", 1)[1].split()[0].decode())
EOF
# shellcheck disable=SC2086
env GCWATCH_TEST_TAG=$TAG SIGNALS_LOG="$T/pty_gorun.log" $GOENV timeout -k 5 60 \
	python3 "$T/ptydrive.py" "$T/pty_gorun.log" "$GCWATCH" -b -q -- go run "$SRC" 0 30 \
	</dev/null >"$T/pty_gorun.out" 2>&1 || bad "pty_gorun: $(cat "$T/pty_gorun.out")"
grep -qx "status 143" "$T/pty_gorun.out" ||
	bad "pty_gorun: gcwatch's status is not go's own SIGTERM (143): $(cat "$T/pty_gorun.out")"
got pty_gorun "$T/pty_gorun.log" "GOT TERM=1 INT=2 HUP=0 QUIT=1"
nothing_left pty_gorun

cat >"$T/tmux.conf" <<'EOF'
set -g default-shell /bin/sh
set -g status off
EOF
# The server and its first window untagged: only what the tests start is.
tmux -L "$SOCK" -f "$T/tmux.conf" new-session -d -s base -x 100 -y 30 \
	"exec $SLEEP 300" || fail "tmux new-session failed"
# The window's command is exec'd directly (several arguments): gcwatch is
# the session leader of the pane's terminal, as under ssh -t.
# shellcheck disable=SC2086
tm new-window -d -t base -n hup env GCWATCH_TEST_TAG=$TAG SIGNALS_LOG="$T/hangup.log" $GOENV \
	"$GCWATCH" -b -q -- go run "$SRC" 0 30
if logwait 30 "$T/hangup.log" READY; then
	tm kill-window -t base:hup
	logwait 5 "$T/hangup.log" "SIG HUP" || bad "hangup: the program did not get SIGHUP"
	sleep 0.3
	g=$(gcwatch_of)
	if [ -n "$g" ]; then
		kill -TERM "$g"
		gone_within hangup 8 "$g" || true
	fi
else
	bad "hangup: go run signals.go did not start"
fi
got hangup "$T/hangup.log" "GOT TERM=1 INT=0 HUP=1 QUIT=0"
nothing_left hangup

# ---- the dashboard -----------------------------------------------------------
note "the dashboard: Ctrl-C and q; q on a group that ignores SIGTERM; kill -HUP"
# dash NAME CMD...: the dashboard in a window of its own.
dash() {
	_n=$1
	shift
	# shellcheck disable=SC2086
	tm new-window -d -t base -n "$_n" env GCWATCH_TEST_TAG=$TAG SIGNALS_LOG="$T/$_n.log" \
		TERM=tmux-256color LC_ALL=C.UTF-8 $GOENV "$GCWATCH" -- "$@"
}
dash dash_gorun go run "$SRC" 0 30
if logwait 30 "$T/dash_gorun.log" READY; then
	sleep 0.3
	g=$(gcwatch_of)
	tm send-keys -t base:dash_gorun C-c
	logwait 5 "$T/dash_gorun.log" "SIG INT" || bad "dash_gorun: Ctrl-C did not reach the program"
	tm send-keys -t base:dash_gorun q
	[ -z "$g" ] || gone_within dash_gorun 8 "$g" || true
else
	bad "dash_gorun: go run signals.go did not start"
fi
got dash_gorun "$T/dash_gorun.log" "GOT TERM=1 INT=1 HUP=0 QUIT=0"
nothing_left dash_gorun

dash dash_ignterm sh -c '(trap "" TERM; exec "$0" 60) & echo started >"$1"; wait' \
	"$SLEEP" "$T/dash_ignterm.log"
if logwait 10 "$T/dash_ignterm.log" started; then
	sleep 0.5
	g=$(gcwatch_of)
	tm send-keys -t base:dash_ignterm q
	[ -z "$g" ] || gone_within dash_ignterm 8 "$g" || true
else
	bad "dash_ignterm: the command did not start"
fi
nothing_left dash_ignterm

dash dash_hup "$signals" 0 30
if logwait 10 "$T/dash_hup.log" READY; then
	sleep 0.3
	g=$(gcwatch_of)
	prog=$(sed -n 's/^PID //p' "$T/dash_hup.log")
	kill -HUP "$g"
	logwait 5 "$T/dash_hup.log" "SIG HUP" || bad "dash_hup: SIGHUP did not reach the program"
	sleep 4
	kill -0 "$prog" 2>/dev/null ||
		bad "dash_hup: 4 s after kill -HUP to the dashboard the program is gone (killed?)"
	kill -0 "$g" 2>/dev/null || bad "dash_hup: the dashboard quit on SIGHUP, the program carries on"
	tm send-keys -t base:dash_hup q
	gone_within dash_hup 8 "$g" || true
else
	bad "dash_hup: the program did not start"
fi
got dash_hup "$T/dash_hup.log" "GOT TERM=1 INT=0 HUP=1 QUIT=0"
tm kill-server >/dev/null 2>&1 || :
nothing_left dash_hup

if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
note "pgroup: all checks passed"
