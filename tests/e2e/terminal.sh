#!/bin/sh
# What gcwatch itself prints reaches a terminal sanitised (issue 8): in
# tmux (a server of our own, set-clipboard on so that OSC 52 from the pane
# would fill a paste buffer), a command line holding OSC 2 (title) and
# OSC 52 (clipboard) sequences:
#
#  dashboard  gcwatch -- exitn "0\e]2;PWNED\a\e]52;c;...\a", then q: the
#             header and the summary's first line show the sequences made
#             visible (^[]2;PWNED^G), the pane's title is not PWNED and no
#             paste buffer was made.
#  batch      the same with -b, and a usage error quoting an option value
#             (--replay=...): the same on the terminal.
#  file       with stderr not a terminal the bytes are written unchanged.
. "$(dirname "$0")/lib.sh"
need_gcwatch
command -v tmux >/dev/null 2>&1 || fail "the terminal tests need tmux (make deps)"

exitn=$(build_go exitn)
SOCK=gcwatch-term-$$
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server >/dev/null 2>&1 || :; cleanup' EXIT
cat >"$T/tmux.conf" <<'CONF'
set -g default-shell /bin/sh
set -g status off
set -s set-clipboard on
set -g allow-rename on
CONF
EVIL=$(printf '0\033]2;PWNED\007\033]52;c;cHduZWQ=\007')
printf '%s' "$EVIL" >"$T/evil"

start() { # NAME CMD
	tmux -L "$SOCK" -f "$T/tmux.conf" new-session -d -s "$1" -x 80 -y 24 "$2" ||
		fail "tmux new-session $1 failed"
	tm set -t "$1" remain-on-exit on >/dev/null 2>&1 || :
}
cap() { tm capture-pane -p -t "$1"; }
wait_for() { # SECS NAME ERE
	_n=$(($1 * 10))
	until cap "$2" >"$T/$2.txt" 2>/dev/null && grep -Eq -- "$3" "$T/$2.txt"; do
		_n=$((_n - 1))
		[ $_n -gt 0 ] || { sed 's/^/    | /' "$T/$2.txt" >&2; fail "$2: no line matching '$3' after $1 s"; }
		sleep 0.1
	done
}
clean() { # NAME: title and clipboard untouched
	title=$(tm display -p -t "$1" '#{pane_title}')
	case $title in *PWNED*) fail "$1: the pane's title was set to '$title'" ;; esac
	if tm list-buffers 2>/dev/null | grep -q .; then
		fail "$1: OSC 52 reached the terminal: paste buffer $(tm list-buffers)"
	fi
}

# dashboard, then q: the summary on the terminal.
start D "'$GCWATCH' -- '$exitn' \"\$(cat '$T/evil')\"; echo RC=\$?; sleep 60"
wait_for 20 D 'exited 0'
grep -q '\^\[\]2;PWNED\^G' "$T/D.txt" || { cat "$T/D.txt" >&2; fail "D: the header does not show the sequence made visible"; }
tm send-keys -t D q
wait_for 20 D '^RC=0'
grep -q "^gcwatch: $exitn 0^\\[\\]2;PWNED^G^\\[\\]52;c;cHduZWQ=^G\$" "$T/D.txt" ||
	{ cat "$T/D.txt" >&2; fail "D: the summary's first line is not sanitised"; }
clean D
note "dashboard: header and summary show ^[]2;PWNED^G; title '$(tm display -p -t D '#{pane_title}')', no paste buffer"

# batch, and a usage error quoting an option value.
start B "'$GCWATCH' -b -- '$exitn' \"\$(cat '$T/evil')\" >/dev/null; '$GCWATCH' --replay=\"\$(cat '$T/evil')\" x; echo RC=\$?; sleep 60"
wait_for 20 B '^RC=2'
grep -q "^gcwatch: $exitn 0^\\[\\]2;PWNED^G" "$T/B.txt" || { cat "$T/B.txt" >&2; fail "B: the summary is not sanitised"; }
grep -q "^gcwatch: --replay: '0^\\[\\]2;PWNED^G" "$T/B.txt" || { cat "$T/B.txt" >&2; fail "B: the usage error is not sanitised"; }
clean B
note "batch: summary and usage error sanitised"

# Not a terminal: unchanged bytes.
run_to 30 "$GCWATCH" -b -- "$exitn" "$EVIL" >/dev/null 2>"$T/file.err" || fail "file: gcwatch failed"
grep -qF "gcwatch: $exitn $EVIL" "$T/file.err" || fail "file: the summary in a file is not the bytes unchanged"
note "file: stderr to a file keeps the bytes"
