#!/usr/bin/env bash
# Crash safety, part 2: a journal truncated at random byte offsets (a damaged
# file, not just a torn last record). After a complete apply on a SIMULATED
# 2008 appliance, the journal without its end record is cut at an offset and
# left as the unfinished journal; `otharden recover` must never make things
# worse - every service, firewall profile and rule ends either as it was before
# the apply or as the apply left it, never a third state - and must say what
# it could not undo. States are read independently (sc query, wine reg query).
#
#   truncate_e2e.sh OTHARDEN_EXE [OFFSETS] [SEED]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/expect.sh"
. "$here/../lib/sim_e2e.sh"
sim_e2e_begin truncate-e2e "$1" 6003-2022-05-apply
offsets=${2:-16}
RANDOM=${3:-20261122}
services=(RemoteRegistry LanmanWorkstation Browser SSDPSRV upnphost WebClient SNMP SNMPTRAP TlntSvr Spooler
          MSFTPSVC simptcp fax p2pimsvc PacsStore PacsBackup PacsUpdater StubbornSvc PacsReporter)
# One line per item; the rule count line is left out (it moves with every rule).
state() { host_state "${services[@]}" | grep -v '^rules=' | sed 's/^rule=[^\t]*\t/rule=/'; }
sorted_state() { state | sort; }
w() { winepath_of "$1"; }
profile=$(w "$here/profiles/appliance-lockdown.xml")
jdir=$prefix/drive_c/ProgramData/otharden/journals
apply() { run apply --profile "$profile" --no-report --yes --allow-unverified-media --allow-unsigned-profile "$@"; }

run plan --profile "$profile" >"$work/plan.log" 2>&1  # Wine's RpcSs up (see apply_e2e.sh)
before=$(sorted_state)
apply >"$work/apply.log" 2>&1 || { bad "apply failed"; cat "$work/apply.log"; finish truncate-e2e; exit 1; }
after=$(sorted_state)
full=$(ls -t "$jdir"/*-apply.journal | head -1)
grep -v '^end ' "$full" >"$work/journal.noend"
size=$(stat -c %s "$work/journal.noend")
mv "$full" "$full.done"
echo "journal without its end record: $size bytes; cutting at $offsets random offsets (seed ${3:-20261122})"

worse=0 silent=0
for ((i = 0; i < offsets; i++)); do
  offset=$(( (RANDOM * 32768 + RANDOM) % size ))
  head -c "$offset" "$work/journal.noend" >"$jdir/cut-$i.journal"
  out=$(run recover 2>&1); code=$?
  out=${out//$'\r'/}
  now=$(sorted_state)
  third=$(grep -vxF -f <(printf '%s\n' "$before" "$after") <<<"$now")
  lost=$(( $(grep -c '' <<<"$(diff <(echo "$before") <(echo "$now") | grep '^>')") ))
  if [[ -n $third ]]; then
    bad "offset $offset: recover left a state that is neither before nor after:"; sed 's/^/    /' <<<"$third"
    worse=$((worse + 1))
  elif [[ $now != "$before" ]] && ! grep -Eq 'STILL DIFFERENT|DAMAGED|unreadable bytes|not a journal otharden can read' <<<"$out"; then
    bad "offset $offset: the host is not back to before, and recover did not say why (exit $code):"
    sed 's/^/    | /' <<<"$out"
    silent=$((silent + 1))
  else
    restored=$(grep -o 'Restored [0-9]*' <<<"$out" | head -1)
    ok "offset $offset/$size: exit $code, ${restored:-nothing restored}; host: $([[ $now == "$before" ]] && echo 'as before' || echo 'partly as the apply left it, and recover said so')"
  fi
  # Back to the state the apply left, for the next offset: a fresh apply of
  # the same profile (journalled and finished) changes only what recover undid.
  rm -f "$jdir"/cut-$i.journal
  apply >"$work/reapply-$i.log" 2>&1 || { bad "re-apply after offset $offset failed"; cat "$work/reapply-$i.log"; break; }
  now=$(sorted_state)
  if [[ $now != "$after" ]]; then
    bad "re-apply after offset $offset did not reach the applied state:"
    diff <(echo "$after") <(echo "$now") | sed 's/^/    /'
    break
  fi
done
if [[ $worse -eq 0 && $silent -eq 0 ]]; then
  ok "$offsets truncated journals: recover never made things worse and always said what it could not undo"
fi
finish truncate-e2e
