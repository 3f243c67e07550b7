# Shared helpers for the end-to-end scripts: source it with
#   . "$(dirname "$0")/lib.sh"
# It sets ROOT and GCWATCH when tests/run.sh did not, makes a temporary
# directory $T that is removed on exit, and defines:
#   fail MSG...        print "FAIL: MSG" on stderr and exit 1
#   note MSG...        print a progress line on stdout
#   build_go NAME      build tests/go/NAME.go once (offline, GOPATH mode)
#                      into $T/go and print the binary's path
#   run_to SECS CMD... run CMD with a time limit (status 124 on timeout)
#   need_gcwatch       fail unless $GCWATCH is an executable file
# With E2E_KEEP=1 the temporary directory is kept, and named on exit.
#
# tests/run.sh runs every tests/e2e/*.sh, this one included: run on its own
# it checks that the tools the other scripts need are present.

set -eu

: "${ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${GCWATCH:=$ROOT/build/gcwatch}"
export ROOT GCWATCH

T=$(mktemp -d "${TMPDIR:-/tmp}/gcwatch-e2e.XXXXXX")
cleanup() {
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "kept $T" >&2
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'cleanup; trap - EXIT; exit 130' INT
trap 'cleanup; trap - EXIT; exit 143' TERM

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

note() {
	echo "$*"
}

run_to() {
	_secs=$1
	shift
	timeout -k 5 "$_secs" "$@"
}

need_gcwatch() {
	if [ ! -f "$GCWATCH" ] || [ ! -x "$GCWATCH" ]; then
		fail "GCWATCH=$GCWATCH is not an executable file (run make first)"
	fi
}

# The Go programs use the standard library only.  Build them in GOPATH mode
# with the caches in $T, so that nothing is fetched and nothing outside the
# temporary directory is written.
build_go() {
	_src="$ROOT/tests/go/$1.go"
	_out="$T/go/$1"
	[ -f "$_src" ] || fail "no Go program $_src"
	if [ ! -x "$_out" ]; then
		mkdir -p "$T/go/cache" "$T/go/path"
		if ! (cd "$T/go" &&
			env GO111MODULE=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local \
			    GOCACHE="$T/go/cache" GOPATH="$T/go/path" CGO_ENABLED=0 \
			    timeout -k 5 300 go build -o "$_out" "$_src" >&2); then
			fail "go build $_src failed"
		fi
	fi
	echo "$_out"
}

case $0 in
*lib.sh)
	for tool in go python3 timeout tee; do
		command -v "$tool" >/dev/null 2>&1 ||
			fail "the end-to-end tests need '$tool' (make deps)"
	done
	need_gcwatch
	note "lib.sh: tools present, GCWATCH=$GCWATCH"
	;;
esac
