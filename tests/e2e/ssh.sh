#!/bin/sh
# -c with real ssh (issue 10): a real sshd on 127.0.0.1, on a free port,
# with a host key and a user key made for the test in $T (as root, since
# sshd wants to be root; without root, or without openssh-server and
# none can be installed, the test is skipped with a message).
#  - batch: two -c 'ssh ... cat TRACE' and one -c 'ssh ... tail -f FILE'
#    while FILE is still being written: each feed's records are exactly
#    those gcwatch reads from its trace alone; a signal to gcwatch ends the
#    ssh still running (its group), and the summary has a block per feed;
#  - the README's recipe `ssh -t HOST gcwatch -- prog`, in tmux: the
#    dashboard shows over ssh, and q ends the remote program (SIGTERM,
#    once).
. "$(dirname "$0")/lib.sh"
need_gcwatch
if [ "$(id -u)" != 0 ]; then
	note "skip: the ssh test starts sshd and needs root"
	exit 0
fi
if [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null 2>&1; then
	if command -v apt-get >/dev/null 2>&1; then
		note "installing openssh-server and openssh-client"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			openssh-server openssh-client >"$T/apt.log" 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1 &&
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				openssh-server openssh-client >"$T/apt.log" 2>&1; } ||
			{ tail -n 5 "$T/apt.log"; note "skip: openssh-server could not be installed"; exit 0; }
	fi
	if [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null 2>&1; then
		note "skip: no /usr/sbin/sshd or ssh (apt-get install openssh-server openssh-client)"
		exit 0
	fi
fi
. "$ROOT/tests/tools/tmux.sh"
command -v python3 >/dev/null 2>&1 || fail "the ssh test needs python3 (make deps)"

# --- sshd on 127.0.0.1:PORT, keys of the test's own ---------------------------
K="$T/ssh"
mkdir -p "$K"
ssh-keygen -q -t ed25519 -N '' -f "$K/host" || fail "ssh-keygen (host key) failed"
ssh-keygen -q -t ed25519 -N '' -f "$K/user" || fail "ssh-keygen (user key) failed"
cp "$K/user.pub" "$K/authorized_keys"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$K/sshd_config" <<EOF
ListenAddress 127.0.0.1
HostKey $K/host
AuthorizedKeysFile $K/authorized_keys
StrictModes no
UsePAM no
PidFile $K/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
X11Forwarding no
LogLevel ERROR
EOF
# sshd's privilege separation directory (Debian's is made by its service).
[ -d /run/sshd ] || mkdir -p /run/sshd
SSHD_PID=
stop_all() {
	reap
	# The remote tail started below, by its pid (it would wait forever).
	[ -s "$T/tail.pid" ] && kill "$(cat "$T/tail.pid")" 2>/dev/null || :
	[ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || :
	[ -n "$GCW_PID" ] && kill "$GCW_PID" 2>/dev/null || :
	cleanup
}
GCW_PID=
trap stop_all EXIT
trap 'stop_all; trap - EXIT; exit 130' INT
trap 'stop_all; trap - EXIT; exit 143' TERM
/usr/sbin/sshd -D -f "$K/sshd_config" -p "$PORT" -E "$K/sshd.log" &
SSHD_PID=$!
SSH="ssh -F /dev/null -p $PORT -i $K/user -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"
n=100
until $SSH 127.0.0.1 true </dev/null 2>"$T/ssh-probe.err"; do
	n=$((n - 1))
	kill -0 "$SSHD_PID" 2>/dev/null || { cat "$K/sshd.log" >&2; fail "sshd did not start"; }
	[ $n -gt 0 ] || { cat "$T/ssh-probe.err" "$K/sshd.log" >&2; fail "cannot ssh into the test's sshd"; }
	sleep 0.1
done
note "sshd on 127.0.0.1:$PORT, keys in $K"

# --- batch: two cat and one tail -f over ssh ------------------------------------
C="$ROOT/tests/data/corpus"
A="$C/stream-go1.18-goal-below-heap.log"
B="$ROOT/tests/data/demux/service.trace"
L="$ROOT/data/demo.trace"
for f in A B L; do
	eval p=\$$f
	run_to 30 "$GCWATCH" -b -q --json "$T/$f.jsonl" "$p" >/dev/null || fail "$f alone: exit $?"
done
# The live file: a first part now, the rest once gcwatch has read that.
head -n 300 "$L" >"$T/live.log"
CA="$SSH 127.0.0.1 cat $A"
CL="$SSH 127.0.0.1 'echo \$\$ >$T/tail.pid; exec tail -n +1 -f $T/live.log'"
"$GCWATCH" -b --json "$T/ssh.jsonl" -c "$CA" -n node2 -c "$SSH 127.0.0.1 cat $B" \
	-n live -c "$CL" >"$T/ssh.out" 2>"$T/ssh.err" &
GCW_PID=$!

# count NAME: records of input NAME so far (source NAME, or "NAME: KEY"
# for a process its demultiplexer told apart)
count() {
	python3 - "$T/ssh.jsonl" "$1" <<'PY'
import json, sys
n = 0
for l in open(sys.argv[1]):
    if l.endswith("\n"):
        s = json.loads(l)["source"]
        if s == sys.argv[2] or s.startswith(sys.argv[2] + ": "):
            n += 1
print(n)
PY
}
# wait_count NAME N: until NAME has N records
wait_count() {
	_n=600
	while [ "$(count "$1")" -lt "$2" ]; do
		_n=$((_n - 1))
		kill -0 "$GCW_PID" 2>/dev/null || { cat "$T/ssh.err" >&2; fail "gcwatch ended early"; }
		[ $_n -gt 0 ] || { cat "$T/ssh.err" >&2; fail "$1: $(count "$1") records, want $2"; }
		sleep 0.1
	done
}
# A name past 96 bytes is cut in its middle (engine.h).
NA=$(python3 -c 'import sys; s = sys.argv[1]; print(s if len(s) < 96 else s[:46] + "..." + s[-46:])' "$CA")
part=$(head -n 300 "$L" | "$GCWATCH" -b -q --json - - 2>/dev/null | wc -l)
wait_count live "$part"
note "tail -f over ssh: the first $part records while the file is being written"
# The rest, in a few appends.
tail -n +301 "$L" | split -l 100 - "$T/rest."
for p in "$T"/rest.*; do
	cat "$p" >>"$T/live.log"
	sleep 0.2
done
wait_count live "$(wc -l <"$T/L.jsonl")"
wait_count "$NA" "$(wc -l <"$T/A.jsonl")"
wait_count node2 "$(wc -l <"$T/B.jsonl")"
# The tail never ends: a signal to gcwatch goes to its ssh's group.
kill -TERM "$GCW_PID"
set +e
wait "$GCW_PID"
rc=$?
set -e
GCW_PID=
# The first input that did not end with 0: the ssh killed by SIGTERM.
[ "$rc" = 143 ] || { cat "$T/ssh.err" >&2; fail "gcwatch exited $rc after SIGTERM, want 143 (the tail's ssh)"; }

python3 - "$T/ssh.jsonl" "$NA" "$T/A.jsonl" node2 "$T/B.jsonl" live "$T/L.jsonl" <<'PY' || fail "records over ssh differ (above)"
import json, sys
multi = [json.loads(l) for l in open(sys.argv[1])]
bad = 0
args = sys.argv[2:]
names = set()
for name, path in zip(args[0::2], args[1::2]):
    names.add(name)
    alone = [json.loads(l) for l in open(path)]
    for r in alone:
        r["source"] = name if r["source"] is None else name + ": " + r["source"]
    mine = [r for r in multi if r["source"] == name or r["source"].startswith(name + ": ")]
    if mine != alone:
        print("%s: %d records, %d read alone" % (name, len(mine), len(alone)))
        bad += 1
other = [r for r in multi if not any(r["source"] == n or r["source"].startswith(n + ": ")
                                     for n in names)]
if other:
    print("records of no input:", other[:3]); bad += 1
sys.exit(1 if bad else 0)
PY
for n in "$NA" node2 live "all: 3 feeds pooled"; do
	grep -qxF "feed         $n" "$T/ssh.err" ||
		{ cat "$T/ssh.err" >&2; fail "no summary block 'feed $n'"; }
done
grep -qxF "exit         live: killed by signal 15 (SIGTERM), status 143" "$T/ssh.err" ||
	{ cat "$T/ssh.err" >&2; fail "the summary does not say the tail's ssh was killed"; }
grep -qxF "exit         node2: 0" "$T/ssh.err" || { cat "$T/ssh.err" >&2; fail "the summary does not say node2 exited 0"; }
note "three ssh inputs: every record in its own feed, exactly; SIGTERM ended the tail's ssh"

# --- ssh -t HOST gcwatch -- prog, in tmux ---------------------------------------
SIG=$(build_go signals)
cat >"$T/sshT.sh" <<EOF
#!/bin/sh
$SSH -t 127.0.0.1 env SIGNALS_LOG=$T/sig.log LANG=C.UTF-8 $GCWATCH -- $SIG 7 300
echo status=\$? >$T/sshT.status
EOF
start remote 100 30 "sh $T/sshT.sh; exec sleep 600"
wait_for 30 remote 'gcwatch .*signals 7 300.*running'
wait_for 30 remote 'pause'
n=300
until grep -q '^PID ' "$T/sig.log" 2>/dev/null; do
	n=$((n - 1)); [ $n -gt 0 ] || fail "the remote program did not start"; sleep 0.1
done
prog=$(sed -n 's/^PID //p' "$T/sig.log" | head -n 1)
kill -0 "$prog" 2>/dev/null || fail "the remote program ($prog) is not running before q"
tm send-keys -t remote q
n=300
while [ ! -s "$T/sshT.status" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -s "$T/sshT.status" ] || { cap remote >&2; fail "q did not end gcwatch over ssh -t"; }
grep -q '^GOT TERM=1 INT=0 HUP=0 QUIT=0' "$T/sig.log" ||
	{ cat "$T/sig.log" >&2; fail "the remote program did not get one SIGTERM"; }
n=50
while kill -0 "$prog" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
kill -0 "$prog" 2>/dev/null && fail "the remote program ($prog) still runs after q"
# Its own status (7), through gcwatch and ssh.
grep -qx 'status=7' "$T/sshT.status" || fail "ssh -t gcwatch -- prog: $(cat "$T/sshT.status"), want status=7"
note "ssh -t HOST gcwatch -- prog: the dashboard over ssh, q ended the program (SIGTERM once, status 7)"
