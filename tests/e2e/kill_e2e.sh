#!/usr/bin/env bash
# Crash safety, part 1: SIGKILL of otharden.exe at many distinct points of an
# apply on a SIMULATED 2008 appliance (services + firewall SIMULATOR), then
# `otharden recover`: the host must be exactly as before the apply, by the
# independent reads (sc query, wine reg query) and by otharden's own full
# snapshot and diff.
#
# The kill points are positions in the journal: a watcher kills the Wine
# process the moment the journal holds K lines (K = 3 .. the line before the
# end record), so the kill lands somewhere between record K and record K+1 -
# before a change, during it, or between the change and its read-back.
#
#   kill_e2e.sh OTHARDEN_EXE [MIN_POINTS]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/expect.sh"
. "$here/../lib/sim_e2e.sh"
sim_e2e_begin kill-e2e "$1" 6003-2022-05-apply
min_points=${2:-20}
services=(RemoteRegistry LanmanWorkstation Browser SSDPSRV upnphost WebClient SNMP SNMPTRAP TlntSvr Spooler
          MSFTPSVC simptcp fax p2pimsvc PacsStore PacsBackup PacsUpdater StubbornSvc PacsReporter)
state() { settled_services "${services[@]}"; settled_firewall; }
w() { winepath_of "$1"; }
profile=$(w "$here/profiles/appliance-lockdown.xml")
jdir=$prefix/drive_c/ProgramData/otharden/journals
apply() { run apply --profile "$profile" --no-report --yes --allow-unverified-media --allow-unsigned-profile "$@"; }

# Wine starts RpcSs on the first COM call: plan once first (see apply_e2e.sh).
run plan --profile "$profile" >"$work/plan.log" 2>&1 || { bad "plan"; cat "$work/plan.log"; }
before=$(state)
run snapshot --out "$(w "$work/before.xml")" >/dev/null 2>&1 || bad "snapshot before"

# One complete apply tells how long the journal gets; rollback undoes it.
apply >"$work/full.log" 2>&1 || { bad "the uninterrupted apply failed"; cat "$work/full.log"; finish kill-e2e; exit 1; }
full=$(ls -t "$jdir"/*-apply.journal | head -1)
lines=$(grep -c '' "$full")
run rollback --journal "$(w "$full")" >/dev/null 2>&1
[[ $(state) == "$before" ]] || { bad "the rollback of the uninterrupted apply did not restore the host"; finish kill-e2e; exit 1; }
mv "$full" "$full.done"
echo "the uninterrupted apply writes $lines journal lines; killing at lines 3..$((lines - 1))"

declare -A seen=()
failed_points=0
for ((k = 3; k < lines; k++)); do
  apply >"$work/apply-$k.log" 2>&1 &
  runner=$!
  killed_at=""
  for ((t = 0; t < 6000; t++)); do  # at most ~60 s
    j=$(ls -t "$jdir"/*.journal 2>/dev/null | head -1)
    n=0; [[ -n $j ]] && n=$(grep -c '' "$j" 2>/dev/null)
    if [[ $n -ge $k ]]; then
      pkill -KILL -x otharden.exe && killed_at=$n
      break
    fi
    kill -0 "$runner" 2>/dev/null || break
    sleep 0.01
  done
  wait "$runner" 2>/dev/null
  if [[ -z $killed_at ]]; then
    bad "point $k: the apply ended before the journal had $k lines (see $work/apply-$k.log)"
    failed_points=$((failed_points + 1))
    continue
  fi
  last=$(tail -n 1 "$j" | cut -d' ' -f1)
  out=$(run recover 2>&1); code=$?
  run snapshot --out "$(w "$work/after-$k.xml")" >/dev/null 2>&1
  diff_out=$(run diff "$(w "$work/before.xml")" "$(w "$work/after-$k.xml")" 2>&1); diff_code=$?
  now=$(state)
  if [[ $code -eq 0 && $now == "$before" && $diff_code -eq 0 ]]; then
    ok "killed at journal line $killed_at (last record: $last): recover restored the before state"
    seen[$killed_at]=1
  else
    bad "killed at journal line $killed_at (last record: $last): recover exit $code, diff exit $diff_code"
    sed 's/^/    | /' <<<"${out//$'\r'/}"; sed 's/^/    | /' <<<"${diff_out//$'\r'/}"
    diff <(echo "$before") <(echo "$now") | sed 's/^/    /'
    failed_points=$((failed_points + 1))
    # put the host back for the next point
    run rollback --journal "$(w "$full.done")" >/dev/null 2>&1
  fi
done
points=${#seen[@]}
if [[ $points -ge $min_points && $failed_points -eq 0 ]]; then
  ok "$points distinct kill points, each recovered to the exact before state"
else
  bad "$points distinct kill points recovered (want at least $min_points), $failed_points failed"
fi
echo "kill-e2e: $points distinct kill points of $((lines - 3)) tried"
finish kill-e2e
