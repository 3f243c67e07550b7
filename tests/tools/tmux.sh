# Helpers for the dashboard tests in tmux (STYLE.md §14), sourced after
# tests/e2e/lib.sh:  . "$ROOT/tests/tools/tmux.sh"
# A tmux server of the test's own (tmux -L gcwatch-test-PID); everything
# started in its panes carries GCWATCH_TEST_TAG=$SOCK in its environment
# and whatever of it is left on the way out (a gcwatch that hangs, its
# program) is killed by pid.  Defines:
#   tm ARGS...            tmux on the test's server
#   start NAME W H CMD    a detached WxH session running CMD (/bin/sh)
#   shell NAME W H        a session running an interactive sh, prompt "$ "
#   type_in NAME TEXT     TEXT typed into the pane, then Enter
#   cap NAME / cap_all    the screen (cap_all with the scrollback)
#   wait_for SECS NAME ERE    until a line matches ERE (screen in $T/NAME.txt)
#   wait_gone SECS NAME ERE   until no line matches
#   settle NAME           until two captures 0.4 s apart agree (5 s at most)
#   fmt NAME FORMAT       one tmux format of the pane
# A failed wait names $HINT, when set, as the likely cause.
command -v tmux >/dev/null 2>&1 || fail "the dashboard tests need tmux (make deps)"

SOCK=gcwatch-test-$$
SOCK_PATH=
tm() { tmux -L "$SOCK" "$@"; }
reap() {
	tm kill-server >/dev/null 2>&1 || :
	[ -z "$SOCK_PATH" ] || rm -f "$SOCK_PATH"
	for _d in /proc/[0-9]*; do
		if grep -qzx "GCWATCH_TEST_TAG=$SOCK" "$_d/environ" 2>/dev/null; then
			kill -9 "${_d#/proc/}" 2>/dev/null || :
		fi
	done
}
trap 'reap; cleanup' EXIT
trap 'reap; cleanup; trap - EXIT; exit 130' INT
trap 'reap; cleanup; trap - EXIT; exit 143' TERM

cat >"$T/tmux.conf" <<'CONF'
set -g default-shell /bin/sh
set -g status off
set -g history-limit 100
CONF

start() {
	env GCWATCH_TEST_TAG="$SOCK" tmux -L "$SOCK" -f "$T/tmux.conf" \
		new-session -d -s "$1" -x "$2" -y "$3" "$4" ||
		fail "tmux new-session $1 failed"
	[ -n "$SOCK_PATH" ] || SOCK_PATH=$(tm display-message -p '#{socket_path}')
}

shell() {
	start "$1" "$2" "$3" "unset ENV; PS1='\$ ' exec /bin/sh -i"
	wait_for 5 "$1" '^\$'
}

type_in() {
	tm send-keys -t "$1" -l "$2"
	tm send-keys -t "$1" Enter
}

cap() { tm capture-pane -p -t "$1"; }
cap_all() { tm capture-pane -p -S - -t "$1"; }

wait_for() { _wait "$1" "$2" "$3" 0; }
wait_gone() { _wait "$1" "$2" "$3" 1; }
_wait() {
	_n=$(($1 * 10))
	while :; do
		cap "$2" >"$T/$2.txt" 2>/dev/null || :
		if grep -Eq -- "$3" "$T/$2.txt"; then
			[ "$4" = 0 ] && return 0
		else
			[ "$4" = 1 ] && return 0
		fi
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then
			sed 's/^/    | /' "$T/$2.txt" >&2
			if [ "$4" = 0 ]; then
				fail "$2: after $1 s the screen (above) still shows no line matching '$3'${HINT:+ ($HINT)}"
			else
				fail "$2: after $1 s the screen (above) still shows a line matching '$3'${HINT:+ ($HINT)}"
			fi
		fi
		sleep 0.1
	done
}

settle() {
	_n=12
	cap "$1" >"$T/$1.txt"
	while [ $_n -gt 0 ]; do
		sleep 0.4
		cap "$1" >"$T/$1.next"
		cmp -s "$T/$1.txt" "$T/$1.next" && return 0
		mv "$T/$1.next" "$T/$1.txt"
		_n=$((_n - 1))
	done
}

fmt() { tm display-message -p -t "$1" "$2"; }
