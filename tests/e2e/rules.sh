#!/bin/sh
# contrib/prometheus: the scrape example is a valid Prometheus
# configuration (its rule file included), and every alert rule passes its
# promtool unit tests (gcwatch-rules.test.yml: each alert fires where it
# should and not where it should not), and the systemd unit example passes
# systemd-analyze verify.  Skips without promtool (or systemd).  ~1 s.
. "$(dirname "$0")/lib.sh"
if ! command -v promtool >/dev/null 2>&1; then
	echo "SKIP: rules: no promtool (apt-get install prometheus)"
	exit 0
fi
dir="$ROOT/contrib/prometheus"
cp "$dir"/*.yml "$T"/
(cd "$T" && promtool check config prometheus.yml) || fail "promtool check config prometheus.yml"
(cd "$T" && promtool test rules gcwatch-rules.test.yml) || fail "promtool test rules"
n=$(grep -c '^      - alert:' "$dir/gcwatch-rules.yml")
tested=$(grep -o 'alertname: [A-Za-z]*' "$dir/gcwatch-rules.test.yml" | sort -u | wc -l)
[ "$n" = 5 ] && [ "$tested" = "$n" ] || fail "$n alerts, $tested of them tested"
note "rules: $n alerts, each with promtool unit tests"

# The systemd unit example: systemd-analyze verify, instantiated for a
# service that exists (the unit binds to it).  Skips without systemd.
if command -v systemd-analyze >/dev/null 2>&1; then
	cp "$dir/gcwatch@.service" "$T/gcwatch@api.service"
	printf '[Unit]\nDescription=api\n[Service]\nExecStart=/bin/true\n' >"$T/api.service"
	out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$T/gcwatch@api.service" "$T/api.service" 2>&1) ||
		fail "systemd-analyze verify gcwatch@.service: $out"
	[ -z "$out" ] || fail "systemd-analyze verify gcwatch@.service warns: $out"
	note "rules: gcwatch@.service passes systemd-analyze verify"
else
	echo "SKIP: rules: no systemd-analyze, the unit example is not checked"
fi
