#!/bin/sh
# contrib/prometheus: the scrape example is a valid Prometheus
# configuration (its rule file included), and every alert rule passes its
# promtool unit tests (gcwatch-rules.test.yml: each alert fires where it
# should and not where it should not).  Skips without promtool.  ~1 s.
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
