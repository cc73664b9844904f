#!/usr/bin/env bash
# End-to-end test of `apply` as one transaction, and of `rollback --report`,
# `diff` and `recover`: the real otharden.exe on a SIMULATED 2008 appliance
# (tests/sim/hosts/6003-2022-05-apply.host: Wine services backed by the
# simulator's service, the firewall SIMULATOR). Every state is also read
# independently with `sc query` / `wine reg query` (service-state.sh,
# fw-state.sh); reports are verified with Debian's minisign and validated with
# xmllint against the XSD.
#
#   apply_e2e.sh OTHARDEN_EXE
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/expect.sh"
. "$here/../lib/sim_e2e.sh"
sim_e2e_begin apply-e2e "$1" 6003-2022-05-apply
xsd=$repo/toolkit/report/otharden-report.xsd
services=(RemoteRegistry LanmanWorkstation Browser SSDPSRV upnphost WebClient SNMP SNMPTRAP TlntSvr Spooler
          MSFTPSVC simptcp fax p2pimsvc PacsStore PacsBackup PacsUpdater StubbornSvc PacsReporter)
state() { host_state "${services[@]}"; }
w() { winepath_of "$1"; }
profile=$(w "$here/profiles/appliance-lockdown.xml")
keys=$work/keys reports=$work/reports
mkdir -p "$keys" "$reports"
show() { sed 's/^/    | /' <<<"${1//$'\r'/}"; }
# Only the newest report in $reports matching a kind.
newest() { ls -t "$reports"/*-"$1".xml 2>/dev/null | head -1; }
# Every apply here runs from the build tree, not a stick: the media and profile
# signature gate is overridden, and the report must say so.
apply() { run apply --profile "$profile" --key "$(w "$keys/kit.key")" --report "$(w "$reports")" \
            --operator "E2E Technician" --yes --allow-unverified-media --allow-unsigned-profile "$@"; }

run keygen --out "$(w "$keys/kit")" --unencrypted >"$work/keygen.log" 2>&1 ||
  { bad "keygen"; cat "$work/keygen.log"; finish apply-e2e; exit 1; }
# Wine starts its RpcSs on the first COM call and leaves it running: plan once
# (it reads the firewall through COM) so the snapshots compare like with like.
run plan --profile "$profile" >"$work/plan.log" 2>&1 || { bad "plan"; cat "$work/plan.log"; }
before=$(state)
run snapshot --out "$(w "$work/before.xml")" >"$work/snapshot.log" 2>&1 || { bad "snapshot before"; cat "$work/snapshot.log"; }

# 1. apply: signed report, valid, verified by minisign, outcome applied.
start_ns=$(date +%s%N)
# Wine's ReportEventW is a stub that traces its text (+eventlog): the entry
# otharden writes to the Application log is checked through that trace.
out=$(SIM_WINEDEBUG=+eventlog apply 2>&1); code=$?
apply_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
report=$(newest apply)
if grep -q "ReportEventW (.*,0x0000,0x0000,0x000003e8," <<<"$out" &&
   grep -q "ReportEventW L\"otharden apply of profile e2e-appliance: applied. Report: .*$(basename "$report")" <<<"$out"; then
  ok "event log: success entry 1000 (source otharden) naming the outcome and the report file"
else
  bad "event log entry not written as expected:"; grep -i eventlog <<<"$out" | sed 's/^/    | /'
fi
if [[ $code -eq 0 && -n $report ]] && grep -q 'RESULT: APPLIED' <<<"${out//$'\r'/}" && [[ $(state) != "$before" ]]; then
  ok "apply: exit 0, RESULT: APPLIED, host changed ($apply_ms ms wall)"
else
  bad "apply (exit $code):"; show "$out"
fi
if [[ -n $report ]]; then
  expect 0 'validates' -- xmllint --noout --schema "$xsd" "$report"
  expect 0 'Signature and comment signature verified' -- minisign -Vm "$report" -p "$keys/kit.pub"
  if grep -q '<outcome result="applied"' "$report" && grep -q 'option="--allow-unverified-media"' "$report" &&
     grep -q 'option="--allow-unsigned-profile"' "$report" && grep -q '<snapshot role="before"' "$report" &&
     grep -q '<snapshot role="after"' "$report" && ! grep -q 'result="as-before"\|result="other"' "$report"; then
    ok "the report has both snapshots, every action as planned, and the overrides ($(stat -c %s "$report") bytes)"
  else
    bad "report content"; grep -o '<outcome[^>]*>\|<override[^>]*>' "$report" | sed 's/^/    | /'
  fi
  out=$(run report render "$(w "$report")" --html "$(w "$work/apply.html")" --pub "$(w "$keys/kit.pub")" 2>&1); code=$?
  if [[ $code -eq 0 ]] && grep -q 'APPLIED: every change made and verified' "$work/apply.html" &&
     grep -q 'Safety checks overridden by the technician (2)' "$work/apply.html"; then
    ok "report render: the HTML page leads with APPLIED and lists the 2 overrides"
  else
    bad "report render (exit $code):"; show "$out"
  fi
  # diff of the report: before vs after
  out=$(run diff "$(w "$report")" 2>&1); code=$?
  if [[ $code -eq 1 ]] && grep -q 'RemoteRegistry' <<<"${out//$'\r'/}"; then
    ok "diff of the apply report shows its before/after differences (exit 1)"
  else
    bad "diff report (exit $code):"; show "$out"
  fi
fi
after=$(state)

# 2. A second apply: nothing to do, says so, still a signed report.
sleep 1  # report names carry the second
out=$(apply 2>&1); code=$?
second=$(newest apply)
if [[ $code -eq 0 ]] && grep -q 'RESULT: NOTHING TO DO' <<<"${out//$'\r'/}" && [[ $second != "$report" ]] &&
   grep -q '<outcome result="already-matched"' "$second" && [[ $(state) == "$after" ]]; then
  ok "a second apply: nothing to do, report says already-matched"
else
  bad "second apply (exit $code):"; show "$out"
fi

# 3. rollback --report refuses a tampered report and changes nothing.
cp "$report" "$work/tampered.xml"; cp "$report.minisig" "$work/tampered.xml.minisig"
sed -i 's/E2E Technician/E2E Technici4n/' "$work/tampered.xml"
out=$(run rollback --report "$(w "$work/tampered.xml")" --pub "$(w "$keys/kit.pub")" 2>&1); code=$?
if [[ $code -eq 1 ]] && grep -q 'does NOT verify' <<<"${out//$'\r'/}" && [[ $(state) == "$after" ]]; then
  ok "rollback --report refuses a tampered report (exit 1), nothing changed"
else
  bad "tampered rollback (exit $code):"; show "$out"
fi

# 4. A setting changed since the report is shown and skipped without --force.
# (The change is a stop of the Spooler the profile left at manual and running,
# by the simulator's sim_scm.exe, which returns once the service is STOPPED.)
sim_scm stop Spooler >"$work/sc.log" 2>&1 || { bad "sim_scm stop Spooler"; cat "$work/sc.log"; }
out=$(run rollback --report "$(w "$report")" --pub "$(w "$keys/kit.pub")" 2>&1); code=$?
mid=$(state)
if [[ $code -eq 1 ]] && grep -q 'service Spooler: CHANGED SINCE THE REPORT' <<<"${out//$'\r'/}" &&
   grep -q 'Spooler start=demand state=stopped' <<<"$mid" && grep -q 'RemoteRegistry start=auto state=running' <<<"$mid"; then
  ok "rollback --report: Spooler changed since is shown and skipped (exit 1), the rest restored"
else
  bad "rollback with a change since (exit $code):"; show "$out"
fi

# 5. --force restores it too: the host equals the before state, by independent
#    reads and by otharden's own snapshot diff.
start_ns=$(date +%s%N)
out=$(run rollback --report "$(w "$report")" --pub "$(w "$keys/kit.pub")" --force 2>&1); code=$?
rollback_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
if [[ $code -eq 0 && $(state) == "$before" ]]; then
  ok "rollback --report --force restored the before state exactly ($rollback_ms ms wall)"
else
  bad "rollback --force (exit $code):"; show "$out"; diff <(echo "$before") <(state) | sed 's/^/    /'
fi
run snapshot --out "$(w "$work/restored.xml")" >/dev/null 2>&1
out=$(run diff "$(w "$work/before.xml")" "$(w "$work/restored.xml")" 2>&1); code=$?
if [[ $code -eq 0 ]]; then
  ok "diff: the snapshot after the rollback equals the one before the apply"
else
  bad "diff before/restored (exit $code):"; show "$out"
fi

# 6. An unfinished journal blocks apply until recover undoes it.
jdir=$prefix/drive_c/ProgramData/otharden/journals
out=$(apply 2>&1)
journal=$(ls -t "$jdir"/*-apply.journal | head -1)
grep -v '^end ' "$journal" >"$journal.tmp" && mv "$journal.tmp" "$journal"   # as if killed before the end
out=$(apply 2>&1); code=$?
if [[ $code -eq 1 ]] && grep -q "did not finish" <<<"${out//$'\r'/}"; then
  ok "apply refuses while an unfinished journal exists (exit 1)"
else
  bad "apply over an unfinished journal (exit $code):"; show "$out"
fi
out=$(run recover 2>&1); code=$?
if [[ $code -eq 0 && $(state) == "$before" && -e $journal.recovered && ! -e $journal ]] &&
   grep -q 'RESULT: RECOVERED' <<<"${out//$'\r'/}"; then
  ok "recover restored the before state and marked the journal recovered"
else
  bad "recover (exit $code):"; show "$out"; diff <(echo "$before") <(state) | sed 's/^/    /'
fi
expect 0 'No interrupted apply' -- run recover

echo "apply-e2e: apply ${apply_ms:-?} ms, rollback --report ${rollback_ms:-?} ms (wall), report $(stat -c %s "$report" 2>/dev/null) bytes"
finish apply-e2e
