#!/bin/sh
# The command-line contract of DESIGN.md, in batch mode over files and pipes:
#  - -h/--help and -V/--version print to stdout and exit 0;
#  - an unknown option, or an option without its argument, exits 2 with a
#    message on stderr naming it; so do "-" twice, a PATH or -c and a
#    command after "--", a -n naming nothing, -r with several inputs;
#  - options after PATH are taken (up to "--"; after it they are COMMAND's);
#  - a missing file, a directory, an unreadable file (not as root) exit 1
#    with a message on stderr naming it;
#  - empty input exits 0 and the summary says no collection was seen;
#  - "-b FILE", "-b -" and "cat FILE | gcwatch" (stdout not a terminal)
#    give the same records and the same stdout;
#  - --json FILE and --csv FILE hold one row per gc line of the corpus, the
#    CSV header is the DESIGN.md field list, and both carry the same values;
#  - -q suppresses the summary, -s prints it, batch prints it by default;
#  - the DESIGN.md example line gives exactly the DESIGN.md JSON;
#  - from a file, foreign text reaches stdout byte for byte (odd bytes, CRLF,
#    an unterminated last line) and runtime lines do not.
# Every check runs; the script fails at the end if any did.
. "$(dirname "$0")/lib.sh"
need_gcwatch
C="$ROOT/tests/data/corpus"
STREAM="$C/stream-go-run-two-processes.log"
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
	timeout -k 5 30 "$@" <"$_in" >"$T/$_n.out" 2>"$T/$_n.err"
	echo $? >"$T/$_n.rc"
	set -e
}

show() { # a file's first lines, for a failure message
	if [ -s "$1" ]; then head -c 400 "$1" | sed 's/^/      | /'; else echo "      (empty)"; fi
}

# rc NAME WANT: the exit status
rc() {
	_got=$(cat "$T/$1.rc")
	if [ "$_got" != "$2" ]; then
		bad "$1: exit status $_got, expected $2 (124: timed out); stderr:"
		show "$T/$1.err" >&2
		return 1
	fi
}

# names NAME STRING: stderr contains STRING
names() {
	grep -qF -- "$2" "$T/$1.err" ||
		{ bad "$1: stderr does not name '$2':"; show "$T/$1.err" >&2; }
}

nonempty() { # NAME STREAM(out|err)
	[ -s "$T/$1.$2" ] || bad "$1: std$2 is empty"
}

empty() { # NAME STREAM(out|err)
	[ ! -s "$T/$1.$2" ] || { bad "$1: std$2 should be empty, holds:"; show "$T/$1.$2" >&2; }
}

lines() { # FILE: number of lines (0 if absent)
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}

# --- help and version ---------------------------------------------------
for opt in -h --help; do
	run "help$opt" "$GCWATCH" "$opt"
	rc "help$opt" 0 || true
	grep -qi usage "$T/help$opt.out" ||
		{ bad "$opt: stdout has no usage text:"; show "$T/help$opt.out" >&2; }
	# The text is printed as it is, not through printf: one '%' each.
	if grep -q '%%' "$T/help$opt.out" ||
	   ! grep -q "PCT% of mark CPU" "$T/help$opt.out" ||
	   ! grep -q "'gc.cpu > 10%'" "$T/help$opt.out"; then
		bad "$opt: the help text doubles its '%' signs:"; grep '%' "$T/help$opt.out" >&2
	fi
done
for opt in -V --version; do
	run "version$opt" "$GCWATCH" "$opt"
	rc "version$opt" 0 || true
	nonempty "version$opt" out
done

# --- usage errors: 2, naming the argument --------------------------------
run bogus "$GCWATCH" --bogus
rc bogus 2 && names bogus --bogus
run bogus-short "$GCWATCH" -b -Z "$STREAM"
rc bogus-short 2 && names bogus-short -Z
run json-noarg "$GCWATCH" -b "$STREAM" --json
rc json-noarg 2 && names json-noarg json
run csv-noarg "$GCWATCH" -b "$STREAM" --csv
rc csv-noarg 2 && names csv-noarg csv

run two-stdins "$GCWATCH" -b - "$STREAM" -
rc two-stdins 2 && names two-stdins "standard input ('-') given twice"
run name-dangling "$GCWATCH" -b "$STREAM" -n lonely
rc name-dangling 2 && names name-dangling "lonely"
run record-two "$GCWATCH" -b -r "$T/rec" "$STREAM" "$STREAM"
rc record-two 2 && names record-two "-r records one input"
run c-and-command "$GCWATCH" -b -c true -- true
rc c-and-command 2 && names c-and-command "command"
run path-and-command "$GCWATCH" -b "$STREAM" -- true
rc path-and-command 2 && names path-and-command "command"

# --- options after PATH, as getopt_long's permutation takes them ----------
run opts-after "$GCWATCH" -b "$STREAM" --json "$T/opts-after.jsonl" -q
if rc opts-after 0; then
	empty opts-after err
	[ "$(lines "$T/opts-after.jsonl")" = "$(grep -c 'gc [0-9]' "$STREAM")" ] ||
		bad "-b PATH --json FILE -q: $(lines "$T/opts-after.jsonl") records"
fi
# ... but after "--" they are the command's.
run opts-command "$GCWATCH" -b -q -- sh -c 'echo "$1"' sh --json
if rc opts-command 0; then
	grep -qx -- --json "$T/opts-command.out" || bad "-- sh ... --json: the command did not get --json"
fi

# --- inputs that cannot be read: 1, naming them ---------------------------
run missing "$GCWATCH" -b "$T/no-such-file.log"
rc missing 1 && names missing no-such-file.log
mkdir "$T/a-directory"
run directory "$GCWATCH" -b "$T/a-directory"
rc directory 1 && names directory a-directory
if [ "$(id -u)" != 0 ]; then
	cp "$STREAM" "$T/unreadable.log"
	chmod 000 "$T/unreadable.log"
	run unreadable "$GCWATCH" -b "$T/unreadable.log"
	rc unreadable 1 && names unreadable unreadable.log
else
	note "skip: unreadable-file check (running as root)"
fi

# --- empty input ---------------------------------------------------------
run devnull "$GCWATCH" -b /dev/null
if rc devnull 0; then
	empty devnull out
	grep -Eiq 'no .*collect|collections[^0-9]*0([^0-9.]|$)|(^|[^0-9.])0 collections' "$T/devnull.err" ||
		{ bad "-b /dev/null: the summary does not say that no collection was seen:"; show "$T/devnull.err" >&2; }
fi

# --- three ways to read the same stream ------------------------------------
want=$(grep -c 'gc [0-9]' "$STREAM")
grep -v '^gc [0-9]' "$STREAM" >"$T/stream-foreign.txt"
run mode-file "$GCWATCH" -b --json "$T/mode-file.jsonl" "$STREAM"
run mode-stdin "<$STREAM" "$GCWATCH" -b --json "$T/mode-stdin.jsonl" -
set +e
cat "$STREAM" | timeout -k 5 30 "$GCWATCH" --json "$T/mode-pipe.jsonl" \
	>"$T/mode-pipe.out" 2>"$T/mode-pipe.err"
echo $? >"$T/mode-pipe.rc"
set -e
for m in mode-file mode-stdin mode-pipe; do
	rc $m 0 || continue
	got=$(lines "$T/$m.jsonl")
	[ "$got" = "$want" ] || bad "$m: $got records, expected $want"
	cmp -s "$T/$m.jsonl" "$T/mode-file.jsonl" ||
		bad "$m: records differ from those of -b FILE"
	cmp -s "$T/$m.out" "$T/stream-foreign.txt" ||
		{ bad "$m: stdout is not the stream's non-runtime lines, unchanged:"; show "$T/$m.out" >&2; }
	nonempty $m err
done

# --- --json and --csv files over every gc line of the corpus ---------------
cat "$C"/go1.2-1.4.txt "$C"/go1.5.txt "$C"/go1.6-1.17.txt "$C"/go1.18-1.25.txt \
	"$C"/stream-go-run-two-processes.log "$C"/stream-go1.18-goal-below-heap.log \
	>"$T/all.log"
want=$(grep -Ec 'gc ?#?[0-9]' "$T/all.log")
run files "$GCWATCH" -b -q --json "$T/all.jsonl" --csv "$T/all.csv" "$T/all.log"
if rc files 0; then
	got=$(lines "$T/all.jsonl")
	[ "$got" = "$want" ] || bad "--json FILE: $got lines, expected one per gc line: $want"
	got=$(lines "$T/all.csv")
	[ "$got" = $((want + 1)) ] || bad "--csv FILE: $got lines, expected a header and $want rows"
	python3 - "$T/all.jsonl" "$T/all.csv" <<'EOF' || bad "--json and --csv files disagree (above)"
import csv, json, sys
KEYS = ["gc", "at_s", "cpu_pct", "clock_sweep_term_ms", "clock_mark_ms",
        "clock_mark_term_ms", "cpu_sweep_term_ms", "cpu_assist_ms",
        "cpu_background_ms", "cpu_idle_ms", "cpu_mark_term_ms",
        "heap_start_mb", "heap_end_mb", "heap_live_mb", "heap_goal_mb",
        "stacks_mb", "globals_mb", "procs", "forced", "source"]
ok = True
def bad(msg):
    global ok
    ok = False
    print("FAIL: " + msg, file=sys.stderr)
with open(sys.argv[2], newline="") as f:
    header = f.readline()
    if header.rstrip("\r\n") != ",".join(KEYS):
        bad("CSV header %r, expected %r" % (header.rstrip("\r\n"), ",".join(KEYS)))
    rows = list(csv.reader(f))
recs = []
for i, line in enumerate(open(sys.argv[1], "rb"), 1):
    try:
        obj = json.loads(line, object_pairs_hook=list)
    except ValueError as e:
        bad("JSON line %d invalid (%s): %r" % (i, e, line[:200]))
        continue
    if [k for k, _ in obj] != KEYS:
        bad("JSON line %d: keys %s" % (i, [k for k, _ in obj]))
    recs.append([v for _, v in obj])
def same(j, c):
    if j is None:
        return c == ""
    if isinstance(j, bool):
        return c.lower() in (("true", "1") if j else ("false", "0"))
    if isinstance(j, str):
        return c == j
    try:
        return float(c) == float(j)
    except ValueError:
        return False
for i, (r, row) in enumerate(zip(recs, rows), 1):
    if len(row) != len(KEYS):
        bad("CSV row %d has %d fields: %r" % (i, len(row), row))
        continue
    for k, j, c in zip(KEYS, r, row):
        if not same(j, c):
            bad("record %d: %s is %r in JSON, %r in CSV" % (i, k, j, c))
sys.exit(0 if ok else 1)
EOF
fi

# --- the summary: default, -s, -q -------------------------------------------
run summary-default "$GCWATCH" -b "$STREAM"
rc summary-default 0 && nonempty summary-default err
grep -q 26 "$T/summary-default.err" ||
	{ bad "default summary does not give the 26 collections:"; show "$T/summary-default.err" >&2; }
run summary-s "$GCWATCH" -b -s "$STREAM"
rc summary-s 0 && nonempty summary-s err
run summary-q "$GCWATCH" -b -q "$STREAM"
rc summary-q 0 && empty summary-q err
cmp -s "$T/summary-q.out" "$T/stream-foreign.txt" || bad "-q: stdout changed"

# --- the DESIGN.md example, exactly ----------------------------------------
printf '%s\n' 'gc 252 @4316.062s 0%: 0.013+2.9+0.050 ms clock, 0.10+0.23/5.4/12+0.40 ms cpu, 16->17->8 MB, 17 MB goal, 8 P' >"$T/example.log"
printf '%s\n' '{"gc":252,"at_s":4316.062,"cpu_pct":0,"clock_sweep_term_ms":0.013,"clock_mark_ms":2.9,"clock_mark_term_ms":0.05,"cpu_sweep_term_ms":0.1,"cpu_assist_ms":0.23,"cpu_background_ms":5.4,"cpu_idle_ms":12,"cpu_mark_term_ms":0.4,"heap_start_mb":16,"heap_end_mb":17,"heap_live_mb":8,"heap_goal_mb":17,"stacks_mb":null,"globals_mb":null,"procs":8,"forced":false,"source":null}' >"$T/example.want"
set +e
cat "$T/example.log" | timeout -k 5 30 "$GCWATCH" --json - >"$T/example.out" 2>"$T/example.err"
echo $? >"$T/example.rc"
set -e
if rc example 0 && ! cmp -s "$T/example.out" "$T/example.want"; then
	bad "--json - on the DESIGN.md line:"
	echo "    expected: $(cat "$T/example.want")" >&2
	echo "    got:      $(cat "$T/example.out")" >&2
fi

# --- foreign text passes unchanged, runtime text does not ----------------------
# Foreign lines with odd bytes between runtime lines of every kind, ending
# with a line without its newline.
{
	printf 'starting server on :8080\n'
	head -n 3 "$C/go1.18-1.25.txt"
	printf '\ttabbed line with trailing spaces   \n'
	cat "$C/other-lines.txt"
	printf 'crlf line\r\n\n'
	head -n 2 "$C/go1.2-1.4.txt"
	printf 'bytes \377\376\001 and \033[1mescape\033[0m\n'
	head -n 2 "$C/go1.5.txt"
	printf 'log: gc stats look fine, 5 MB used\n'
	head -n 2 "$C/go1.6-1.17.txt"
	printf 'last line without a newline'
} >"$T/mixed.log"
{
	printf 'starting server on :8080\n'
	printf '\ttabbed line with trailing spaces   \n'
	printf 'crlf line\r\n\n'
	printf 'bytes \377\376\001 and \033[1mescape\033[0m\n'
	printf 'log: gc stats look fine, 5 MB used\n'
	printf 'last line without a newline'
} >"$T/mixed.want"
run mixed "$GCWATCH" -b -q --json "$T/mixed.jsonl" "$T/mixed.log"
if rc mixed 0; then
	if ! cmp -s "$T/mixed.out" "$T/mixed.want"; then
		bad "-b FILE: stdout is not the foreign text unchanged; expected then got:"
		od -c "$T/mixed.want" | head -n 20 >&2
		echo "    ---" >&2
		od -c "$T/mixed.out" | head -n 30 >&2
	fi
	got=$(lines "$T/mixed.jsonl")
	[ "$got" = 9 ] || bad "-b FILE on mixed input: $got records, expected 9"
fi
run runtime-only "$GCWATCH" -b -q --json "$T/runtime-only.jsonl" "$C/other-lines.txt"
if rc runtime-only 0; then
	empty runtime-only out
	got=$(lines "$T/runtime-only.jsonl")
	[ "$got" = 0 ] || bad "other-lines.txt: $got records, expected none"
fi

if [ "$failures" != 0 ]; then
	echo "cli.sh: $failures check(s) failed" >&2
	exit 1
fi
note "cli.sh: all checks passed"
