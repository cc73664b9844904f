#!/usr/bin/env bash
# End-to-end test of the SHIPPED profiles (profiles/*.xml) with their example
# site files (profiles/sites/example-*.xml): for each one, plan, apply and roll
# back with the real otharden.exe on one SIMULATED 2008 host
# (tests/sim/hosts/6003-2022-05-appliance.host: the services the profiles name,
# as sim_service.exe instances in Wine's SCM, and the firewall SIMULATOR).
# Every state is read independently of otharden: services with wine reg query
# and sc query (tests/sim/service-state.sh), the firewall's local store with
# wine reg query (tests/sim/firewall/fw-state.sh).
#
#   profiles_e2e.sh OTHARDEN_EXE
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/expect.sh"
. "$here/../lib/sim_e2e.sh"
sim_e2e_begin profiles-e2e "$1" 6003-2022-05-appliance

services=(fax MSFTPSVC p2pimsvc simptcp TlntSvr RemoteRegistry SSDPSRV upnphost WebClient Browser RpcLocator SNMP
          SNMPTRAP Spooler LanmanWorkstation VendorApp)
svc_state() { "$sim/service-state.sh" "$prefix" "${services[@]}"; }
fw_state() { "$sim/firewall/fw-state.sh" "$prefix"; }

# The one place that knows how apply and rollback are invoked (the apply
# command is being rewritten: keep changes to its flags here).
apply_profile() {  # PROFILE SITE JOURNAL
  # From the build tree, not a stick: the media/profile-signature gate is
  # overridden (tests/e2e/apply_e2e.sh covers the signed report).
  run apply --profile "$(winepath_of "$1")" --site "$(winepath_of "$2")" --yes --journal "$(winepath_of "$3")" \
    --no-report --allow-unverified-media --allow-unsigned-profile
}
rollback_journal() {  # JOURNAL
  run rollback --journal "$(winepath_of "$1")"
}

# What each profile must leave behind with its example site file, written out
# here rather than derived from the profile: the Spooler decision, outbound
# default, the number of rules otharden adds, and one rule string per profile
# exactly as the v2.0 local store must hold it.
declare -A spooler=([baseline-2008]=disabled [medical-imaging]=auto [baggage-handling]=disabled [industrial-hmi]=disabled)
declare -A outbound=([baseline-2008]=allow [medical-imaging]=allow [baggage-handling]=block [industrial-hmi]=block)
declare -A rule_count=([baseline-2008]=2 [medical-imaging]=4 [baggage-handling]=6 [industrial-hmi]=7)
declare -A sample_rule=(
  [baseline-2008]='Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|RA4=10.1.10.0/255.255.255.0|Name=otharden baseline: Remote Desktop from management|'
  [medical-imaging]='Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=104|LPort=11112|RA4=10.20.0.0/255.255.0.0|Name=otharden medical: DICOM from PACS|'
  [baggage-handling]="Action=Allow|Active=TRUE|Dir=In|Protocol=6|$(for p in $(seq 5000 5020); do printf 'LPort=%s|' $p; done)RA4=10.50.0.0/255.255.0.0|Name=otharden baggage: OPC DA DCOM range from control network|"
  [industrial-hmi]='Action=Allow|Active=TRUE|Dir=Out|Protocol=6|RPort=502|RA4=10.60.1.0/255.255.255.0|RA4=10.60.2.10-10.60.2.11|Name=otharden hmi: Modbus/TCP to control network|'
)

expected_services() {  # PROFILE
  local s
  for s in "${services[@]}"; do
    case $s in
      LanmanWorkstation|VendorApp) echo "$s start=auto state=running" ;;  # no profile names them
      Spooler) [[ ${spooler[$1]} == auto ]] && echo "Spooler start=auto state=running" ||
                 echo "Spooler start=disabled state=stopped" ;;
      *) echo "$s start=disabled state=stopped" ;;
    esac
  done
}

# Does this otharden's apply take --site yet? (plan does; apply's rewrite adds it.)

svc_before=$(svc_state)
fw_before=$(fw_state)

# esu-6003-strict on this May 2022 host: passes a floor of 2022-05, fails 2023-01.
strict=$(winepath_of "$repo/policies/esu-6003-strict.xml")
out=$(run check --policy "$strict" --param min-rollup=2022-05 2>&1); code=$?
out2=$(run check --policy "$strict" --param min-rollup=2023-01 2>&1); code2=$?
out=${out//$'\r'/}; out2=${out2//$'\r'/}
if [[ $code -eq 0 && $code2 -eq 1 ]] && grep -q 'PASS  Rollup 2022-05 or later' <<<"$out" &&
   grep -q 'FAIL  Rollup 2023-01 or later' <<<"$out2" && grep -q 'parameter min-rollup = 2023-01 (from --param)' <<<"$out2"; then
  ok "check --policy esu-6003-strict: --param min-rollup=2022-05 passes (exit 0), 2023-01 fails (exit 1)"
else
  bad "strict policy (exit $code / $code2):"; sed 's/^/    | /' <<<"$out"$'\n'"$out2"
fi
for name in baseline-2008 medical-imaging baggage-handling industrial-hmi; do
  profile=$repo/profiles/$name.xml
  site=$repo/profiles/sites/example-$name.xml
  journal=$work/$name.journal

  out=$(run plan --profile "$(winepath_of "$profile")" --site "$(winepath_of "$site")" 2>&1); code=$?
  out=${out//$'\r'/}
  if [[ $code -eq 0 ]] && grep -q '^Parameters (' <<<"$out" && grep -q 'from site file .*example-'"$name"'.xml:' <<<"$out" &&
     grep -q '^  firewall: add rule' <<<"$out" && [[ $(svc_state) == "$svc_before" && $(fw_state) == "$fw_before" ]]; then
    ok "$name: plan with the example site file lists $(grep -c '^  firewall: add rule' <<<"$out") rules to add, $(grep -c '^  service ' <<<"$out") service changes; nothing changed"
  else
    bad "$name: plan (exit $code):"; sed 's/^/    | /' <<<"$out"
  fi

  # A required parameter missing: refused, naming it, nothing changed.
  out=$(run plan --profile "$(winepath_of "$profile")" 2>&1); code=$?
  if [[ $code -eq 2 ]] && grep -q "is required and has no value: give --param" <<<"${out//$'\r'/}" &&
     [[ $(svc_state) == "$svc_before" ]]; then
    ok "$name: without the site file plan exits 2 naming the missing parameter"
  else
    bad "$name: plan without parameters (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"
  fi

  out=$(apply_profile "$profile" "$site" "$journal" 2>&1); code=$?
  out=${out//$'\r'/}
  svc_after=$(svc_state)
  fw_after=$(fw_state)
  problems=""
  [[ $code -eq 0 ]] || problems+="exit $code; "
  [[ $svc_after == "$(expected_services "$name")" ]] ||
    problems+="services: $(diff <(expected_services "$name") <(echo "$svc_after") | grep '^[<>]' | tr '\n' ' '); "
  for p in domain private public; do
    grep -q "^profile=$p enabled=1 inbound=block outbound=${outbound[$name]}" <<<"$fw_after" ||
      problems+="firewall profile $p is not on/block/${outbound[$name]} (read: $(grep "^profile=$p " <<<"$fw_after")); "
  done
  ours=$(grep -c "EmbedCtxt=otharden:$name|" <<<"$fw_after")
  [[ $ours -eq ${rule_count[$name]} ]] || problems+="$ours otharden rules stored, want ${rule_count[$name]}; "
  grep -qF "${sample_rule[$name]}" <<<"$fw_after" || problems+="rule string not stored: ${sample_rule[$name]}; "
  others=$(grep '^rule=' <<<"$fw_after" | grep -v 'EmbedCtxt=otharden:' | grep -i 'Action=Allow' | grep -i 'Dir=In' |
           grep -ic 'Active=TRUE')
  [[ $others -eq 0 ]] || problems+="$others other inbound allow rules still active; "
  if [[ -z $problems ]]; then
    ok "$name: apply: services, 3 firewall profiles and ${rule_count[$name]} scoped rules as expected per reg query and sc query"
  else
    bad "$name: apply: $problems"; sed 's/^/    | /' <<<"$out"
  fi

  out=$(rollback_journal "$journal" 2>&1); code=$?
  if [[ $code -eq 0 && $(svc_state) == "$svc_before" && $(fw_state) == "$fw_before" ]]; then
    ok "$name: rollback restored every service and the firewall exactly"
  else
    bad "$name: rollback (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"
    diff <(echo "$svc_before") <(svc_state) | sed 's/^/    /'
    diff <(echo "$fw_before") <(fw_state) | sed 's/^/    /'
  fi
done

finish "profiles-e2e ($(basename "$exe"))"
