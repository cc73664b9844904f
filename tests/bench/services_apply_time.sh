#!/usr/bin/env bash
# Benchmark (not a test): wall time of `otharden apply` and `rollback` of the
# e2e services profile (12 changes) on the SIMULATED services host, against a
# minimal program making the same SCM calls (tests/bench/scm_minimal.c) with no
# planning, journal or verification. Median of N rounds, all in one simulated
# session.
#   tests/bench/services_apply_time.sh OTHARDEN_EXE [ROUNDS]
set -euo pipefail
exe=$(readlink -f "$1")
rounds=${2:-5}
repo=$(cd "$(dirname "$0")/../.." && pwd)
sim=$repo/tests/sim
work=$repo/build/sim/bench-services
rm -rf "$work" && mkdir -p "$work"
prefix=$work/host
x86_64-w64-mingw32-gcc -O2 -o "$work/scm_minimal.exe" "$repo/tests/bench/scm_minimal.c"
"$sim/make-host.sh" "$sim/hosts/6003-2022-05-services.host" "$prefix" >/dev/null
"$sim/session.sh" begin "$prefix" >/dev/null
trap '"$sim/session.sh" end "$prefix" >/dev/null 2>&1' EXIT
wp() { printf 'Z:%s' "${1//\//\\}"; }
profile=$(wp "$repo/tests/e2e/profiles/services-lockdown.xml")
ms() { local s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; echo $(( ($(date +%s%N) - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
disable=(RemoteRegistry=disabled:stop Browser=disabled:stop SSDPSRV=disabled:stop upnphost=disabled
         WebClient=disabled SNMP=disabled:stop SNMPTRAP=disabled MSFTPSVC=disabled:stop simptcp=disabled:stop
         fax=disabled p2pimsvc=disabled Spooler=demand)
restore=(Spooler=auto p2pimsvc=demand fax=demand simptcp=auto:start MSFTPSVC=auto:start SNMPTRAP=demand
         SNMP=auto:start WebClient=demand upnphost=demand SSDPSRV=demand:start Browser=auto:start
         RemoteRegistry=auto:start)
: >"$work/apply" >"$work/rollback" >"$work/min-apply" >"$work/min-restore"
for i in $(seq "$rounds"); do
  ms "$sim/run-in-host.sh" "$prefix" "$exe" apply --profile "$profile" --yes --journal "$(wp "$work/j$i")" >>"$work/apply"
  ms "$sim/run-in-host.sh" "$prefix" "$exe" rollback --journal "$(wp "$work/j$i")" >>"$work/rollback"
  ms "$sim/run-in-host.sh" "$prefix" "$work/scm_minimal.exe" "${disable[@]}" >>"$work/min-apply"
  ms "$sim/run-in-host.sh" "$prefix" "$work/scm_minimal.exe" "${restore[@]}" >>"$work/min-restore"
done
a=$(median <"$work/apply"); r=$(median <"$work/rollback"); ma=$(median <"$work/min-apply"); mr=$(median <"$work/min-restore")
echo "services profile (12 changes), median of $rounds rounds, wall ms incl. Wine process start:"
echo "  otharden apply    $a ms   minimal SCM program $ma ms   ratio $(awk "BEGIN {printf \"%.2f\", $a/$ma}")"
echo "  otharden rollback $r ms   minimal SCM program $mr ms   ratio $(awk "BEGIN {printf \"%.2f\", $r/$mr}")"
