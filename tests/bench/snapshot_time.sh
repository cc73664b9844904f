#!/usr/bin/env bash
# Benchmark (not a test): wall time and size of `otharden snapshot` (unsigned)
# on the SIMULATED services host and the SIMULATED firewall host (firewall:
# tests/sim/firewall, a stand-in for INetFwPolicy2). Median of N rounds, each
# in one simulated session, Wine process start included. Each host's snapshot
# is also validated against the XSD and diffed against a second one.
#   tests/bench/snapshot_time.sh OTHARDEN_EXE [ROUNDS]
set -euo pipefail
exe=$(readlink -f "$1")
rounds=${2:-5}
repo=$(cd "$(dirname "$0")/../.." && pwd)
sim=$repo/tests/sim
xsd=$repo/toolkit/report/otharden-report.xsd
wp() { printf 'Z:%s' "${1//\//\\}"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for host in 6003-2022-05-services 6003-2022-05-firewall; do
  work=$repo/build/sim/bench-snapshot-$host
  rm -rf "$work" && mkdir -p "$work"
  prefix=$work/host
  "$sim/make-host.sh" "$sim/hosts/$host.host" "$prefix" >/dev/null
  "$sim/session.sh" begin "$prefix" >/dev/null
  "$sim/run-in-host.sh" "$prefix" "$exe" snapshot --out "$(wp "$work/warm-up.xml")" >/dev/null 2>&1 || true
  : >"$work/ms"
  for i in $(seq "$rounds"); do
    s=$(date +%s%N)
    "$sim/run-in-host.sh" "$prefix" "$exe" snapshot --out "$(wp "$work/s$i.xml")" >"$work/out$i.txt" 2>&1
    echo $(( ($(date +%s%N) - s) / 1000000 )) >>"$work/ms"
  done
  "$sim/session.sh" end "$prefix" >/dev/null 2>&1 || true
  xmllint --noout --schema "$xsd" "$work/s1.xml" 2>/dev/null && valid=valid || valid=INVALID
  diffs=$("$sim/run-in-host.sh" "$prefix" "$exe" diff "$(wp "$work/s1.xml")" "$(wp "$work/s$rounds.xml")" 2>&1 |
          tr -d '\r' | grep -E '^(No differences|[0-9]+ differences?:)' || echo "diff failed")
  echo "$host: snapshot median $(median <"$work/ms") ms wall of $rounds ($(tr '\n' ' ' <"$work/ms")ms)," \
       "$(stat -c %s "$work/s1.xml") bytes, XSD $valid; first vs last: $diffs"
  tr -d '\r' <"$work/out1.txt" | sed -n 's/^  \(services\|firewall\|updates\) */    \1 /p'
done
