#!/bin/sh
# Runs every test: the cmocka unit binaries in BUILD/tests, then the
# end-to-end scripts in tests/e2e (real processes, pipes, fifos).  Ends
# with one line "N passed, M failed".
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GCWATCH="$ROOT/$BUILD/gcwatch"
export GCWATCH ROOT
pass=0; fail=0; failed=""
log=$(mktemp -d "${TMPDIR:-/tmp}/gcwatch-tests.XXXXXX")
run() { # name, command...
	name=$1; shift
	if "$@" >"$log/$name.out" 2>&1; then
		pass=$((pass + 1)); echo "PASS $name"
	else
		fail=$((fail + 1)); failed="$failed $name"; echo "FAIL $name"
		sed 's/^/    /' "$log/$name.out" | tail -n 40
	fi
}
for t in "$ROOT/$BUILD"/tests/test_*; do
	case $t in *.d) continue ;; esac
	[ -x "$t" ] || continue
	# A binary left by a test whose source is gone is not a test.
	[ -f "$ROOT/tests/unit/$(basename "$t").c" ] || continue
	run "$(basename "$t")" "$t"
done
if [ -z "$UNIT_ONLY" ]; then
	for t in "$ROOT"/tests/e2e/*.sh; do
		[ -f "$t" ] || continue
		run "e2e_$(basename "$t" .sh)" sh "$t"
	done
fi
rm -rf "$log"
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
