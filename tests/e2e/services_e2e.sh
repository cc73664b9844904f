#!/usr/bin/env bash
# End-to-end test of plan / apply / rollback of a service lockdown: the real
# otharden.exe against services in Wine's Service Control Manager on a
# SIMULATED 2008 host (tests/sim; the services are tests/sim/service/
# sim_service.exe instances). Every state is checked independently of otharden
# with tests/sim/service-state.sh (wine reg query + sc query), within one
# simulated boot (tests/sim/session.sh).
#
#   services_e2e.sh OTHARDEN_EXE
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/expect.sh"
. "$here/../lib/sim_e2e.sh"
sim_e2e_begin services-e2e "$1" 6003-2022-05-services
services=(RemoteRegistry Browser SSDPSRV upnphost WebClient SNMP SNMPTRAP TlntSvr MSFTPSVC simptcp fax
          p2pimsvc Spooler PacsStore PacsBackup StubbornSvc LanmanWorkstation)
state() { host_state "${services[@]}"; }

profile=$(winepath_of "$here/profiles/services-lockdown.xml")
journal=$work/apply.journal
before=$(state)

# plan: prints every change, changes nothing.
out=$(run plan --profile "$profile" 2>&1); code=$?
out=${out//$'\r'/}
if [[ $code -eq 0 ]] && grep -q 'service RemoteRegistry: start auto -> disabled, running -> stopped' <<<"$out" &&
   grep -q 'service Spooler: start auto -> manual' <<<"$out" &&
   grep -q 'Not installed on this host, nothing to do (1): NoSuchService' <<<"$out" &&
   [[ $(state) == "$before" ]]; then
  ok "plan lists the changes and changes nothing ($(grep -c '^  service ' <<<"$out") changes)"
else
  bad "plan (exit $code):"; sed 's/^/    | /' <<<"$out"
fi

# apply
start_ns=$(date +%s%N)
out=$(run apply --no-report --allow-unverified-media --allow-unsigned-profile --profile "$profile" --yes --journal "$(winepath_of "$journal")" 2>&1); code=$?
apply_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
out=${out//$'\r'/}
after=$(state)
expected_after=$(cat <<'EOF2'
RemoteRegistry start=disabled state=stopped
Browser start=disabled state=stopped
SSDPSRV start=disabled state=stopped
upnphost start=disabled state=stopped
WebClient start=disabled state=stopped
SNMP start=disabled state=stopped
SNMPTRAP start=disabled state=stopped
TlntSvr start=disabled state=stopped
MSFTPSVC start=disabled state=stopped
simptcp start=disabled state=stopped
fax start=disabled state=stopped
p2pimsvc start=disabled state=stopped
Spooler start=demand state=running
PacsStore start=auto state=running
PacsBackup start=auto state=running
StubbornSvc start=auto state=running
LanmanWorkstation start=auto state=running
EOF2
)
if [[ $code -eq 0 && $after == "$expected_after" && -s $journal ]]; then
  ok "apply changed $(grep -c '  done$' <<<"$out") services, verified by reg query and sc query ($apply_ms ms)"
else
  bad "apply (exit $code):"; sed 's/^/    | /' <<<"$out"
  diff <(echo "$expected_after") <(echo "$after") | sed 's/^/    /'
fi
if "$sim/service-state.sh" --violations "$prefix" >"$work/violations.log" 2>&1; then
  ok "no service was stopped while a dependent still ran"
else
  bad "dependency violations:"; sed 's/^/    | /' "$work/violations.log"
fi

# A second apply plans nothing.
out=$(run apply --no-report --allow-unverified-media --allow-unsigned-profile --profile "$profile" --yes 2>&1); code=$?
if [[ $code -eq 0 ]] && grep -q 'Nothing to change' <<<"$out" && [[ $(state) == "$after" ]]; then
  ok "a second apply of the same profile plans nothing"
else
  bad "second apply (exit $code):"; sed 's/^/    | /' <<<"$out"
fi

# rollback restores exactly the state before; a second rollback changes nothing.
start_ns=$(date +%s%N)
out=$(run rollback --journal "$(winepath_of "$journal")" 2>&1); code=$?
rollback_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
if [[ $code -eq 0 && $(state) == "$before" ]]; then
  ok "rollback restored every start type and running state ($rollback_ms ms)"
else
  bad "rollback (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"
  diff <(echo "$before") <(state) | sed 's/^/    /'
fi
out=$(run rollback --journal "$(winepath_of "$journal")" 2>&1); code=$?
if [[ $code -eq 0 ]] && grep -q 'Restored 0, already as before 12' <<<"${out//$'\r'/}" && [[ $(state) == "$before" ]]; then
  ok "a second rollback changes nothing"
else
  bad "second rollback (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"
fi

# A service that refuses to stop: apply fails, rolls back, exits 3.
out=$(run apply --no-report --allow-unverified-media --allow-unsigned-profile --profile "$(winepath_of "$here/profiles/stubborn.xml")" --yes \
        --journal "$(winepath_of "$work/stubborn.journal")" 2>&1); code=$?
out=${out//$'\r'/}
if [[ $code -eq 3 ]] && grep -q "service 'StubbornSvc': ControlService(STOP) failed" <<<"$out" &&
   grep -q 'RESULT: FAILED AND ROLLED BACK' <<<"$out" && [[ $(state) == "$before" ]]; then
  ok "a service that refuses to stop: exit 3, everything rolled back"
else
  bad "stubborn apply (exit $code):"; sed 's/^/    | /' <<<"$out"
  diff <(echo "$before") <(state) | sed 's/^/    /'
fi

# Refused before anything is read from or done to the host.
out=$(run apply --no-report --allow-unverified-media --allow-unsigned-profile --profile "$(winepath_of "$here/profiles/protected.xml")" --yes 2>&1); code=$?
if [[ $code -eq 2 ]] && grep -q "service 'MpsSvc' is protected and no profile may disable it" <<<"$out" &&
   [[ $(state) == "$before" ]]; then
  ok "a profile disabling a protected service is refused (exit 2), nothing changed"
else
  bad "protected profile (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"
fi
printf '<profile format="1" name="x" policy="esu-6003">\n  <title>t</title>\n  <services>\n    <disable service="Fax">\n  </services>\n</profile>\n' >"$work/malformed.xml"
out=$(run plan --profile "$(winepath_of "$work/malformed.xml")" 2>&1); code=$?
if [[ $code -eq 2 ]] && grep -q 'malformed.xml:[0-9]*: not well-formed XML' <<<"$out"; then
  ok "a malformed profile is refused with file and line (exit 2)"
else
  bad "malformed profile (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"
fi

echo "services-e2e: apply ${apply_ms:-?} ms, rollback ${rollback_ms:-?} ms (wall, in one simulated session)"
finish "services-e2e ($(basename "$exe"))"
