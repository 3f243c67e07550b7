#!/bin/sh
# Checks that what the build and the tests need is installed.  As root it
# installs what is missing with apt-get; otherwise it names the command.
# Debian/Ubuntu package names.
missing=""
need_pkg() { pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }

need_cmd pkg-config pkg-config
need_cmd cc gcc
need_cmd make make
need_pkg libuv libuv1-dev
need_pkg ncursesw libncurses-dev
need_pkg cmocka libcmocka-dev
need_cmd go golang-go
need_cmd python3 python3
need_cmd tmux tmux
need_cmd groff groff-base
need_pkg libevent_extra libevent-dev
need_cmd promtool prometheus
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || missing="$missing python3-prometheus-client"
[ -x /usr/bin/time ] || missing="$missing time"
# tests/e2e/ssh.sh: a real sshd on 127.0.0.1, and ssh into it.
[ -x /usr/sbin/sshd ] || missing="$missing openssh-server"
need_cmd ssh openssh-client

[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null &&
	apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ echo "deps: apt-get install$missing failed" >&2; exit 1; }
	exit 0
fi
echo "deps: missing packages. Install them with:" >&2
echo "  sudo apt-get install$missing" >&2
exit 1
