#!/usr/bin/env bash
# Wall time of apply and rollback --report for each shipped profile with its
# example site file on the SIMULATED appliance host (Wine), and report sizes.
#   tests/bench/apply_profiles_time.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/expect.sh"
. "$here/../lib/sim_e2e.sh"
sim_e2e_begin apply-bench "${1:-$here/../../build/win64/otharden.exe}" 6003-2022-05-appliance
w() { winepath_of "$1"; }
run keygen --out "$(w "$work/kit")" --unencrypted >/dev/null 2>&1
run plan --profile "$(w "$repo/profiles/baseline-2008.xml")" --site "$(w "$repo/profiles/sites/example-baseline-2008.xml")" >/dev/null 2>&1
for p in baseline-2008 medical-imaging baggage-handling industrial-hmi; do
  mkdir -p "$work/r-$p"
  s=$(date +%s%N)
  out=$(run apply --profile "$(w "$repo/profiles/$p.xml")" --site "$(w "$repo/profiles/sites/example-$p.xml")" --key "$(w "$work/kit.key")" --report "$(w "$work/r-$p")" --yes --allow-unverified-media --allow-unsigned-profile 2>&1); code=$?
  ms=$(( ($(date +%s%N) - s) / 1000000 ))
  r=$(ls "$work/r-$p"/*.xml)
  n=$(grep -c '<action ' "$r")
  s=$(date +%s%N)
  run rollback --report "$(w "$r")" --pub "$(w "$work/kit.pub")" >/dev/null 2>&1; rc=$?
  rms=$(( ($(date +%s%N) - s) / 1000000 ))
  echo "$p: apply exit $code, $n changes, $ms ms; report $(stat -c %s "$r") bytes; rollback --report exit $rc, $rms ms"
done
