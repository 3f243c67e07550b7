#!/bin/sh
# screenshot.sh OUT.png COLS ROWS SECONDS -- COMMAND...
#   Runs COMMAND (a gcwatch dashboard) in a tmux pane of COLS x ROWS, waits
#   SECONDS, captures the pane with its colours (capture-pane -e), turns it
#   into HTML with aha, and has headless Chromium render that to PNG.
#   SCREENSHOT_KEYS="d" types keys into the pane first (an overlay).
#   Needs tmux, aha, chromium (Debian packages of those names).
set -eu
out=$1 cols=$2 rows=$3 secs=$4
shift 5
sock=gcwatch-shot-$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gcwatch-shot.XXXXXX")
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT
for tool in tmux aha chromium; do
	command -v $tool >/dev/null 2>&1 || { echo "screenshot: needs $tool" >&2; exit 1; }
done
# The command line, quoted for the shell tmux runs.
cmd=""
for a in "$@"; do
	cmd="$cmd '$(printf %s "$a" | sed "s/'/'\\\\''/g")'"
done
tmux -L "$sock" -f /dev/null new-session -d -x "$cols" -y "$rows" \
	"env TERM=xterm-256color LANG=C.UTF-8 $cmd; sleep 60"
sleep "$secs"
# SCREENSHOT_KEYS: keys typed once the wait is over (tmux send-keys
# names: "d", "Escape"), a second before the capture.
if [ -n "${SCREENSHOT_KEYS:-}" ]; then
	# shellcheck disable=SC2086
	tmux -L "$sock" send-keys -t 0 $SCREENSHOT_KEYS
	sleep 1
fi
tmux -L "$sock" capture-pane -e -p -t 0 >"$tmp/pane.ans"
# A dark terminal, a monospace font, the pane's own size.
aha --black --title gcwatch <"$tmp/pane.ans" |
	sed 's|<pre>|<pre style="font-family: DejaVu Sans Mono, monospace; font-size: 14px; line-height: 1.2; margin: 8px;">|' \
	>"$tmp/pane.html"
w=$((cols * 85 / 10 + 16))
h=$((rows * 17 + 16))
timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic \
	--no-first-run --disable-background-networking --disable-component-update \
	--disable-sync --user-data-dir="$tmp/chrome" --hide-scrollbars \
	--window-size="$w,$h" --screenshot="$tmp/shot.png" "file://$tmp/pane.html" \
	>/dev/null 2>&1
mv "$tmp/shot.png" "$out"
echo "screenshot: $out"
