#!/usr/bin/env bash
# End-to-end test of `snapshot` and `diff`: the real otharden.exe on the
# SIMULATED 2008 services host (tests/sim; services are sim_service.exe
# instances in Wine's real Service Control Manager). Every simulated service's
# start type and running state in the snapshot is compared with what Wine's own
# `reg query` and `sc query` say (tests/sim/service-state.sh); then one service
# is changed with Wine's `sc` (Wine's sc.exe has no `config` command: it prints
# its usage and exits 1, so the change is `sc stop`), a second snapshot is
# taken, and `diff` must show exactly that change.
#
#   snapshot_e2e.sh OTHARDEN_EXE
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/expect.sh"
. "$here/../lib/sim_e2e.sh"
sim_e2e_begin snapshot-e2e "$1" 6003-2022-05-services
xsd=$repo/toolkit/report/otharden-report.xsd
services=(RemoteRegistry LanmanWorkstation Browser SSDPSRV upnphost WebClient SNMP SNMPTRAP TlntSvr Spooler
          MSFTPSVC simptcp fax p2pimsvc PacsStore PacsBackup PacsUpdater StubbornSvc PacsReporter)

# One service's attributes in a snapshot file, as "NAME start=.. running=.. ...".
service_line() {
  grep -o "<service name=\"$2\" [^>]*/>" "$1" |
    sed -E 's/<service name="([^"]*)" display-name="[^"]*" start="([^"]*)" delayed-auto-start="([^"]*)" running="([^"]*)" accepts-stop="([^"]*)"\/>/\1 start=\2 running=\4 delayed=\3 accepts-stop=\5/'
}

printf 'snapshot e2e passphrase\n' >"$work/pass.txt"
run keygen --out "$(winepath_of "$work/kit")" --passphrase-file "$(winepath_of "$work/pass.txt")" \
  --kdf-memory 16 >/dev/null 2>&1 || bad "keygen failed"

# Wine starts RpcSs on demand at the first COM call (otharden's firewall read);
# Windows runs it always. A first snapshot lets it start, so that the snapshots
# compared below differ only in what this test changes.
run snapshot --out "$(winepath_of "$work/warm-up.xml")" >/dev/null 2>&1 || bad "warm-up snapshot failed"

start_ns=$(date +%s%N)
out=$(run snapshot --out "$(winepath_of "$work/s1.xml")" --key "$(winepath_of "$work/kit.key")" \
        --passphrase-file "$(winepath_of "$work/pass.txt")" --operator "e2e" 2>&1); code=$?
snapshot_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
out=${out//$'\r'/}
if [[ $code -eq 0 && -s $work/s1.xml && -s $work/s1.xml.minisig ]] && grep -q '^  services  [0-9]* (' <<<"$out"; then
  ok "snapshot wrote a signed report ($snapshot_ms ms, $(stat -c %s "$work/s1.xml") bytes): $(grep '^  services' <<<"$out" | sed 's/^ *//')"
else
  bad "snapshot (exit $code):"; sed 's/^/    | /' <<<"$out"
fi
if xmllint --noout --schema "$xsd" "$work/s1.xml" 2>"$work/xmllint.log"; then
  ok "the snapshot validates against otharden-report.xsd"
else
  bad "the snapshot does not validate:"; sed 's/^/    | /' "$work/xmllint.log" | head -20
fi
expect 0 'Signature and comment signature verified' -- minisign -V -m "$work/s1.xml" -p "$work/kit.pub"

# Every simulated service, as Wine's reg query and sc query report it.
truth=$("$sim/service-state.sh" --long "$prefix" "${services[@]}")
mismatches=0
while read -r name start state rest; do
  start=${start#start=}; state=${state#state=}
  [[ $start == demand ]] && start=manual
  running=false; [[ $state == running || $state == start_pending ]] && running=true
  got=$(service_line "$work/s1.xml" "$name")
  if [[ $got != "$name start=$start running=$running "* ]]; then
    bad "service $name: sc/reg say start=$start running=$running, the snapshot says: ${got:-nothing}"
    mismatches=$((mismatches + 1))
  fi
done <<<"$truth"
[[ $(grep -c . <<<"$truth") -eq ${#services[@]} ]] || { bad "service-state.sh answered for $(grep -c . <<<"$truth") services, not ${#services[@]}"; mismatches=1; }
[[ $mismatches -eq 0 ]] && ok "all ${#services[@]} simulated services are in the snapshot with the start type and state sc query / reg query report"
[[ $(service_line "$work/s1.xml" StubbornSvc) == *"accepts-stop=false" ]] &&
  ok "StubbornSvc (refuses SERVICE_CONTROL_STOP) is recorded as accepts-stop=false" ||
  bad "StubbornSvc accepts-stop: $(service_line "$work/s1.xml" StubbornSvc)"
# Wine's SCM answers QueryServiceConfig2W(DELAYED_AUTO_START_INFO) with
# ERROR_INVALID_LEVEL (FACTS.md), so the delayed flag of PacsBackup
# (DelayedAutostart=1 in the registry) is honestly "unknown" here.
[[ $(service_line "$work/s1.xml" PacsBackup) == *"delayed=unknown"* ]] &&
  ok "PacsBackup's delayed auto-start is 'unknown', as Wine's SCM cannot report it" ||
  bad "PacsBackup delayed: $(service_line "$work/s1.xml" PacsBackup)"
grep -q '<firewall-unreadable error="[^"]' "$work/s1.xml" &&
  ok "Wine's firewall (no simulator on this host) is recorded as unreadable, with the reason" ||
  bad "firewall on the services host: $(grep -o '<firewall[^>]*>' "$work/s1.xml" | head -1)"

# Nothing changed: no differences. Then one change with sc.
run snapshot --out "$(winepath_of "$work/s1b.xml")" >/dev/null 2>&1 || bad "second snapshot failed"
out=$(run diff "$(winepath_of "$work/s1.xml")" "$(winepath_of "$work/s1b.xml")" 2>&1); code=$?
[[ $code -eq 0 ]] && grep -q '^No differences' <<<"${out//$'\r'/}" &&
  ok "two snapshots of an unchanged host: no differences, exit 0" ||
  { bad "diff of an unchanged host (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"; }

sim_scm stop SNMP >"$work/sc.log" 2>&1 || { bad "sim_scm stop SNMP failed"; cat "$work/sc.log"; }
[[ $("$sim/service-state.sh" "$prefix" SNMP) == "SNMP start=auto state=stopped" ]] &&
  ok "SNMP stopped outside otharden: stopped (start type still auto), says the SCM" || bad "the stop of SNMP did not take"
run snapshot --out "$(winepath_of "$work/s2.xml")" --key "$(winepath_of "$work/kit.key")" \
  --passphrase-file "$(winepath_of "$work/pass.txt")" >/dev/null 2>&1 || bad "snapshot after sc stop failed"

out=$(run diff "$(winepath_of "$work/s1.xml")" "$(winepath_of "$work/s2.xml")" --pub "$(winepath_of "$work/kit.pub")" \
        --html "$(winepath_of "$work/diff.html")" 2>&1); code=$?
out=${out//$'\r'/}
expected='1 difference:

Service (1)
  service SNMP: auto, running -> auto, stopped'
got=$(sed -n '/difference/,$p' <<<"$out" | grep -v '^Wrote ')
if [[ $code -eq 1 && $got == "$expected" ]] && [[ $(grep -c 'signature verified' <<<"$out") -eq 2 ]]; then
  ok "diff shows exactly the sc stop change (exit 1), both inputs verified"
else
  bad "diff after sc stop (exit $code):"; sed 's/^/    | /' <<<"$out"
fi
grep -q '<h1>1 DIFFERENCE</h1>' "$work/diff.html" && ok "the diff page leads with '1 DIFFERENCE'" || bad "diff page"

echo "snapshot-e2e: snapshot ${snapshot_ms:-?} ms wall (signed, in one simulated session), $(stat -c %s "$work/s1.xml" 2>/dev/null || echo ?) bytes"
finish "snapshot-e2e ($(basename "$exe"))"
