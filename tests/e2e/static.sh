#!/bin/sh
# make static: a binary for any node.  Built here (make static into $T),
# then run in an empty chroot that holds nothing but the binary, the input
# and the two device nodes every system has (/dev/tty, /dev/null: the
# dashboard reads its keys from /dev/tty) -- no libraries, no ld.so, no
# terminfo, no locale, no /tmp.  Asserted:
#  - ldd says it is not a dynamic executable;
#  - batch on a trace in the chroot: the --json records and the summary are
#    byte for byte those of the dynamic binary on the same file;
#  - batch running a (static) Go program in the chroot: its records are
#    exactly gc 1..NUMGC, status 0;
#  - the dashboard in tmux, in the chroot, with TERM=tmux-256color, vt100
#    and an unknown TERM (built-in terminfo; vt100 for the unknown one):
#    it draws its header and the collection count, q ends it with status
#    0, and nothing is left in the chroot (the built-in entries' temporary
#    directory is removed).
# Needs root (chroot, mknod): skipped with a message otherwise.  ~10 s.
# shellcheck disable=SC1091
. "$(dirname "$0")/lib.sh"
need_gcwatch
if [ "$(id -u)" != 0 ]; then
	note "static: SKIP: needs root (chroot, mknod)"
	exit 0
fi
failures=0
bad() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

if ! make -C "$ROOT" --no-print-directory static STATIC_OUT="$T/gcwatch-static" \
	>"$T/build.log" 2>&1; then
	sed 's/^/    | /' "$T/build.log" >&2
	fail "make static failed"
fi
grep -i warning "$T/build.log" >&2 && bad "make static: the link warns (above)"
ldd "$T/gcwatch-static" 2>&1 | grep -q "not a dynamic executable" ||
	bad "ldd: $(ldd "$T/gcwatch-static" 2>&1 | head -n 3)"
note "static: $(wc -c <"$T/gcwatch-static") bytes"

TRACE=$ROOT/tests/data/corpus/stream-go1.18-goal-below-heap.log
R=$T/root
mkdir -p "$R/dev" "$T/dyn"
cp "$T/gcwatch-static" "$R/gcwatch"
cp "$TRACE" "$R/trace"
cp "$TRACE" "$T/dyn/trace"
if ! mknod "$R/dev/tty" c 5 0 || ! mknod "$R/dev/null" c 1 3; then
	note "static: SKIP: mknod is not allowed here"
	exit 0
fi

# ---- batch: the same as the dynamic binary -----------------------------------
run_to 20 chroot "$R" /gcwatch -b --json out.jsonl trace >"$T/st.out" 2>"$T/st.err" ||
	bad "batch in the chroot: status $?: $(head -c 300 "$T/st.err")"
(cd "$T/dyn" && run_to 20 "$GCWATCH" -b --json out.jsonl trace >"$T/dy.out" 2>"$T/dy.err") ||
	bad "batch, dynamic: status $?"
cmp "$R/out.jsonl" "$T/dyn/out.jsonl" || bad "the static binary's records differ from the dynamic one's"
[ "$(wc -l <"$R/out.jsonl")" -gt 10 ] || bad "batch in the chroot: only $(wc -l <"$R/out.jsonl") records"
cmp "$T/st.err" "$T/dy.err" || { bad "the summaries differ:"; diff "$T/st.err" "$T/dy.err" >&2 || :; }
cmp "$T/st.out" "$T/dy.out" || bad "the standard outputs differ"
rm "$R/out.jsonl"

# ---- batch: a program run in the chroot ----------------------------------------
steady=$(build_go steady) # CGO_ENABLED=0: static too
cp "$steady" "$R/steady"
run_to 30 chroot "$R" /gcwatch -b -q --json /run.jsonl -- /steady 0.5 >"$T/prog.out" 2>"$T/prog.err" ||
	bad "a program in the chroot: status $?: $(head -c 300 "$T/prog.err")"
n=$(sed -n 's/^NUMGC //p' "$T/prog.out")
python3 - "$R/run.jsonl" "${n:-0}" <<'EOF' || bad "a program in the chroot: records are not gc 1..$n"
import json, sys
gcs = [json.loads(l)["gc"] for l in open(sys.argv[1])]
sys.exit(0 if int(sys.argv[2]) > 0 and gcs == list(range(1, int(sys.argv[2]) + 1)) else 1)
EOF
rm -f "$R/run.jsonl" "$R/steady"

# ---- the dashboard, in tmux, in the chroot ---------------------------------
# Sessions are not killed one by one: the server exits with its last
# session, and a new-session that reaches the dying server fails.
. "$ROOT/tests/tools/tmux.sh"
for term in tmux-256color vt100 gcwatch-unknown-term; do
	start "$term" 100 30 "TERM=$term chroot '$R' /gcwatch trace 2>'$T/$term.err'; echo RC=\$?; exec sleep 60"
	HINT="TERM=$term; stderr: $(head -c 300 "$T/$term.err" 2>/dev/null)" wait_for 10 "$term" "78 gcs"
	grep -q "gcwatch  trace" "$T/$term.txt" || bad "dashboard TERM=$term: no header line"
	tm send-keys -t "$term" q
	wait_for 5 "$term" "^RC="
	rc=$(sed -n 's/^RC=//p' "$T/$term.txt")
	[ "$rc" = 0 ] || bad "dashboard TERM=$term: status '${rc:-none}' after q: $(head -c 300 "$T/$term.err")"
done
left=$(cd "$R" && ls -A | tr '\n' ' ')
[ "$left" = "dev gcwatch trace " ] || bad "the chroot holds more than before: $left"

if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
note "static: all checks passed"
