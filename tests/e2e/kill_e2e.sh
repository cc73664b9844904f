#!/usr/bin/env bash
# Crash safety, part 1: otharden.exe killed (SIGKILL) at every journal write of
# an apply on a SIMULATED 2008 appliance (services + firewall SIMULATOR), then
# `otharden recover`: the host must be exactly as before the apply, by the
# independent reads (the simulator's sim_state.exe) and by otharden's own full
# snapshot and diff.
#
# The crash points are exact: tests/e2e/crash_at_journal_write.c, a Linux
# LD_PRELOAD shim under the Wine process (the product is unchanged), kills the
# process just before its K-th write to the journal. Everything the apply did
# after record K-1 - the change that record announced, its read-back - has
# happened; record K never reaches the file. K runs from FIRST in steps of STEP
# until an apply is no longer killed because it wrote fewer journal records
# than K: that apply finished, its journal has the end record, and the host
# must be in its after state (and `recover` must leave it so). What the host
# should look like is decided from the journal the crash left, never assumed.
#
# CTest runs two of these (FIRST 1 and 3, STEP 4: journal writes 1, 5, 9, ...
# and 3, 7, 11, ..., 22 distinct crash points of the 43 writes an apply of this
# profile makes), each on its own simulated host, so that they run in parallel;
# each asserts that all its points recovered, and that it had at least
# MIN_POINTS of them. `kill_e2e.sh EXE 1 1 40` crashes at every write.
#
#   kill_e2e.sh OTHARDEN_EXE [FIRST STEP MIN_POINTS]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/expect.sh"
. "$here/../lib/sim_e2e.sh"
first=${2:-1}
step=${3:-1}
min_points=${4:-20}
sim_e2e_begin "kill-e2e-$first-$step" "$1" 6003-2022-05-apply
services=(RemoteRegistry LanmanWorkstation Browser SSDPSRV upnphost WebClient SNMP SNMPTRAP TlntSvr Spooler
          MSFTPSVC simptcp fax p2pimsvc PacsStore PacsBackup PacsUpdater StubbornSvc PacsReporter)
state() { host_state "${services[@]}"; }
# rules the apply adds get a new {GUID} id each time: the after state is compared without ids
without_ids() { sed 's/^rule=[^\t]*\t/rule=/' | sort; }
w() { winepath_of "$1"; }
profile=$(w "$here/profiles/appliance-lockdown.xml")
jdir=$prefix/drive_c/ProgramData/otharden/journals
apply() { run apply --profile "$profile" --no-report --yes --allow-unverified-media --allow-unsigned-profile "$@"; }

shim=$work/crash_at_journal_write.so
gcc -shared -fPIC -O1 -Wall -o "$shim" "$here/crash_at_journal_write.c" -ldl >"$work/shim.log" 2>&1 ||
  { bad "cannot build the crash shim"; cat "$work/shim.log"; finish kill-e2e; exit 1; }

# Wine starts RpcSs on the first COM call: plan once first (see apply_e2e.sh).
run plan --profile "$profile" >"$work/plan.log" 2>&1 || { bad "plan"; cat "$work/plan.log"; }
before=$(state)
run snapshot --out "$(w "$work/before.xml")" >/dev/null 2>&1 || bad "snapshot before"

# One complete apply gives the after state; rollback undoes it.
apply >"$work/full.log" 2>&1 || { bad "the uninterrupted apply failed"; cat "$work/full.log"; finish kill-e2e; exit 1; }
after=$(state | without_ids)
full=$(ls -t "$jdir"/*-apply.journal | head -1)
lines=$(grep -c '' "$full")
run rollback --journal "$(w "$full")" >/dev/null 2>&1
[[ $(state) == "$before" ]] || { bad "the rollback of the uninterrupted apply did not restore the host"; finish kill-e2e; exit 1; }
mv "$full" "$full.done"
echo "the uninterrupted apply writes $lines journal lines; crashing before journal write $first, $((first + step)), ..."

points=0 failed_points=0 finished=0
for ((k = first; ; k += step)); do
  LD_PRELOAD=$shim OTH_CRASH_BEFORE_JOURNAL_WRITE=$k apply >"$work/apply-$k.log" 2>&1
  code=$?
  j=$(ls -t "$jdir"/*.journal 2>/dev/null | head -1)
  if [[ -z $j ]]; then
    bad "point $k: no journal was written (exit $code, see $work/apply-$k.log)"
    failed_points=$((failed_points + 1))
    break
  fi
  at=$(grep -c '' "$j")
  last=$(tail -n 1 "$j" | cut -d' ' -f1)
  if [[ $last == end ]]; then
    # The apply wrote fewer than k records: it finished. The host is in its after
    # state, and recover must leave it so.
    out=$(run recover 2>&1); rcode=$?
    now=$(state | without_ids)
    if [[ $code -eq 0 && $rcode -eq 0 && $now == "$after" ]]; then
      ok "write $k: the apply had finished (end record, $at lines): the host is in its after state and recover left it so"
      finished=1
    else
      bad "write $k: the apply had finished (exit $code, end record) but recover exit $rcode or the host is not in its after state"
      sed 's/^/    | /' <<<"${out//$'\r'/}"; diff <(echo "$after") <(echo "$now") | sed 's/^/    /'
      failed_points=$((failed_points + 1))
    fi
    run rollback --journal "$(w "$j")" >/dev/null 2>&1
    mv "$j" "$j.done"
    break
  fi
  if [[ $code -ne 137 ]]; then
    bad "write $k: the apply was not killed (exit $code) and left no end record (see $work/apply-$k.log)"
    failed_points=$((failed_points + 1))
    break
  fi
  if [[ $at -eq 0 ]]; then
    # killed before the journal's first record: nothing was changed, and recover
    # finds no journal it can read (it says so, and changes nothing)
    out=$(run recover 2>&1); rcode=$?
    if [[ $(state) == "$before" ]] && grep -q 'No interrupted apply' <<<"${out//$'\r'/}"; then
      ok "crash before journal write $k (an empty journal): nothing was changed, recover (exit $rcode) says there is nothing to recover"
      points=$((points + 1))
    else
      bad "crash before journal write $k (an empty journal): recover exit $rcode or the host changed"
      sed 's/^/    | /' <<<"${out//$'\r'/}"
      failed_points=$((failed_points + 1))
    fi
    mv "$j" "$j.empty"
    continue
  fi
  out=$(run recover 2>&1); rcode=$?
  run snapshot --out "$(w "$work/after-$k.xml")" >/dev/null 2>&1
  diff_out=$(run diff "$(w "$work/before.xml")" "$(w "$work/after-$k.xml")" 2>&1); diff_code=$?
  now=$(state)
  if [[ $rcode -eq 0 && $now == "$before" && $diff_code -eq 0 ]]; then
    ok "crash before journal write $k ($at lines, last record: $last): recover restored the before state"
    points=$((points + 1))
  else
    bad "crash before journal write $k ($at lines, last record: $last): recover exit $rcode, diff exit $diff_code"
    sed 's/^/    | /' <<<"${out//$'\r'/}"; sed 's/^/    | /' <<<"${diff_out//$'\r'/}"
    diff <(echo "$before") <(echo "$now") | sed 's/^/    /'
    failed_points=$((failed_points + 1))
    # put the host back for the next point
    run rollback --journal "$(w "$full.done")" >/dev/null 2>&1
  fi
done
if [[ $points -ge $min_points && $failed_points -eq 0 && $finished -eq 1 ]]; then
  ok "$points distinct crash points, each recovered to the exact before state; the last apply finished"
else
  bad "$points crash points recovered (want at least $min_points), $failed_points failed, finished: $finished"
fi
echo "kill-e2e: $points crash points (journal writes $first, $((first + step)), ...) recovered"
finish kill-e2e
