#!/bin/sh
# make install / uninstall honour PREFIX and DESTDIR; the man page renders
# without warnings; make static gives a binary with libuv and ncurses
# linked in that still draws the dashboard (in tmux, with the machine's
# terminfo).
. "$(dirname "$0")/lib.sh"
need_gcwatch
cd "$ROOT"

make -s install DESTDIR="$T/root" PREFIX=/opt/gcw BUILD="$T/build" >"$T/make.log" 2>&1 ||
	fail "make install failed: $(tail -5 "$T/make.log")"
[ -x "$T/root/opt/gcw/bin/gcwatch" ] || fail "no binary under DESTDIR/PREFIX/bin"
[ -f "$T/root/opt/gcw/share/man/man1/gcwatch.1" ] || fail "no man page under DESTDIR/PREFIX/share/man/man1"
"$T/root/opt/gcw/bin/gcwatch" -V | grep -q '^gcwatch ' || fail "the installed binary does not run"
make -s uninstall DESTDIR="$T/root" PREFIX=/opt/gcw >/dev/null 2>&1 || fail "make uninstall failed"
[ -z "$(find "$T/root" -type f)" ] || fail "make uninstall left files: $(find "$T/root" -type f)"

# The man page: every option of --help is in it, and groff has nothing to say.
groff -man -Tutf8 -ww gcwatch.1 >"$T/man.txt" 2>"$T/groff.err" || fail "groff failed"
[ ! -s "$T/groff.err" ] || fail "groff warnings: $(head -5 "$T/groff.err")"
for opt in $("$GCWATCH" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
	grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" gcwatch.1 || fail "the man page lacks $opt"
done

# make static: no libuv/ncurses in ldd, and the dashboard still draws.
make -s static BUILD="$T/build" STATIC_OUT="$T/gcwatch-static" >"$T/static.log" 2>&1 ||
	fail "make static failed: $(tail -5 "$T/static.log")"
if ldd "$T/gcwatch-static" | grep -E 'libuv|ncurses|tinfo'; then
	fail "the static binary still needs libuv or ncurses"
fi
sock=gcwatch-install-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; cleanup' EXIT
tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
	"env TERM=xterm-256color '$T/gcwatch-static' --replay=1000 '$ROOT/tests/data/corpus/stream-go1.18-goal-below-heap.log'; sleep 30"
i=0
while [ $i -lt 50 ]; do
	tmux -L "$sock" capture-pane -p -t 0 >"$T/pane" 2>/dev/null || true
	grep -q '78 gcs' "$T/pane" && break
	sleep 0.1
	i=$((i + 1))
done
grep -q '78 gcs' "$T/pane" || fail "the static binary did not draw the dashboard: $(head -3 "$T/pane")"
note "install: ok (static: $(stat -c %s "$T/gcwatch-static") bytes)"
