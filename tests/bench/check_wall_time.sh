#!/usr/bin/env bash
# Benchmark (not a test): wall time of `otharden check` on a SIMULATED 2008 host
# (Wine prefix from tests/sim), median of N runs. Each run includes starting
# the prefix's wineserver, as run-in-host.sh does for every run; the time of
# otharden.exe alone inside a running session is measured separately.
#
#   tests/bench/check_wall_time.sh OTHARDEN_EXE [HOST] [RUNS]
set -euo pipefail
exe=$(readlink -f "$1")
host=${2:-6003-2022-05-full}
runs=${3:-7}
repo=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$repo/build/sim/bench/$host
"$repo/tests/sim/make-host.sh" "$repo/tests/sim/hosts/$host.host" "$prefix" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "otharden check on simulated host '$host', $runs runs each ($(basename "$(dirname "$exe")"))"
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  "$repo/tests/sim/run-in-host.sh" "$prefix" "$exe" check >/dev/null || true
  echo $(( ($(date +%s%N) - start) / 1000000 ))
done | median | xargs printf '  whole run (session start + check + shutdown): median %s ms\n'

# Inside one running session: start a wineserver that persists, then time the exe.
export WINEPREFIX=$prefix WINEDEBUG=-all
wineserver -p 60
wine cmd /c exit 0 >/dev/null 2>&1 || true
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  wine "$exe" check >/dev/null 2>&1 || true
  echo $(( ($(date +%s%N) - start) / 1000000 ))
done | median | xargs printf '  otharden.exe check in a running session:      median %s ms\n'
wineserver -k || true
