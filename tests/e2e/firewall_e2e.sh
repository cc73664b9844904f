#!/usr/bin/env bash
# End-to-end test of a firewall lockdown: the real otharden.exe, through its
# shipped INetFwPolicy2 code, against the firewall SIMULATOR on a SIMULATED
# 2008 host (tests/sim/firewall: a COM server standing in for Windows Firewall,
# persisting to the local-store registry format). Every state is read back
# independently of otharden and of the simulator's DLL with `wine reg query`
# (tests/sim/firewall/fw-state.sh), within one simulated session.
#
#   firewall_e2e.sh OTHARDEN_EXE
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/expect.sh"
. "$here/../lib/sim_e2e.sh"
sim_e2e_begin firewall-e2e "$1" 6003-2022-05-firewall
state() { "$sim/firewall/fw-state.sh" "$prefix"; }
profile=$(winepath_of "$here/profiles/firewall-lockdown.xml")
journal=$work/apply.journal
before=$(state)
printf '%s\n' "$before" >"$work/before.txt"

# The stock Wine firewall API (E_NOTIMPL): refused with exit 4, nothing changed.
out=$(SIM_FIREWALL_API=wine run apply --no-report --allow-unverified-media --allow-unsigned-profile --profile "$profile" --yes --journal "$(winepath_of "$work/refused.journal")" 2>&1); code=$?
if [[ $code -eq 4 ]] && grep -q 'not implemented, so otharden changes nothing' <<<"$out" && [[ $(state) == "$before" ]] &&
   [[ ! -e $work/refused.journal ]]; then
  ok "the stock Wine firewall (E_NOTIMPL) is refused with exit 4 and nothing changes"
else
  bad "stock firewall API (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"
fi

# plan changes nothing
out=$(run plan --profile "$profile" 2>&1); code=$?
out=${out//$'\r'/}
adds=$(grep -c '^  firewall: add rule' <<<"$out")
disables=$(grep -c '^  firewall: disable rule' <<<"$out")
if [[ $code -eq 0 && $adds -eq 8 && $disables -ge 3 ]] && grep -q '^  firewall profile domain: firewall on, inbound allow' <<<"$out" &&
   [[ $(state) == "$before" ]]; then
  ok "plan: 8 rules to add, $disables inbound allow rules to disable, profile changes; nothing changed"
else
  bad "plan (exit $code, $adds adds, $disables disables):"; sed 's/^/    | /' <<<"$out"
fi

# apply, checked with reg query
start_ns=$(date +%s%N)
out=$(run apply --no-report --allow-unverified-media --allow-unsigned-profile --profile "$profile" --yes --journal "$(winepath_of "$journal")" 2>&1); code=$?
apply_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
out=${out//$'\r'/}
after=$(state)
printf '%s\n' "$after" >"$work/after.txt"
problems=""
[[ $code -eq 0 ]] || problems+="exit $code; "
for p in domain private public; do
  grep -q "^profile=$p enabled=1 inbound=block outbound=allow" <<<"$after" || problems+="profile $p not on/block/allow; "
done
ours=$(grep -c 'EmbedCtxt=otharden:e2e-firewall|' <<<"$after")
[[ $ours -eq 8 ]] || problems+="$ours otharden rules stored, want 8; "
grep -q 'Active=TRUE|Dir=In|Protocol=6|LPort=2575|RA4=10.20.5.10|Name=HL7 from the RIS|' <<<"$after" ||
  problems+="the HL7 rule is not stored as a v2.0 rule string with its scope; "
others=$(grep '^rule=' <<<"$after" | grep -v 'EmbedCtxt=otharden:' | grep -i 'Action=Allow' | grep -i 'Dir=In' | grep -ic 'Active=TRUE')
[[ $others -eq 0 ]] || problems+="$others other inbound allow rules still active; "
[[ $(grep -c '^rule=' <<<"$after") -eq $(( $(grep -c '^rule=' <<<"$before") + 8 )) ]] || problems+="rules were deleted; "
if [[ -z $problems ]]; then
  ok "apply: profiles on/block, 8 scoped rules added, other inbound allow rules disabled not deleted ($apply_ms ms)"
else
  bad "apply: $problems"; sed 's/^/    | /' <<<"$out"
fi

out=$(run apply --no-report --allow-unverified-media --allow-unsigned-profile --profile "$profile" --yes 2>&1); code=$?
if [[ $code -eq 0 ]] && grep -q 'Nothing to change' <<<"${out//$'\r'/}" && [[ $(state) == "$after" ]]; then
  ok "a second apply of the same profile plans nothing"
else
  bad "second apply (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"
fi

# rollback restores exactly the state before; twice changes nothing
start_ns=$(date +%s%N)
out=$(run rollback --journal "$(winepath_of "$journal")" 2>&1); code=$?
rollback_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
restored=$(state)
if [[ $code -eq 0 && $restored == "$before" ]]; then
  ok "rollback restored the profiles and every rule exactly, per reg query ($rollback_ms ms)"
else
  bad "rollback (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"
  diff <(echo "$before") <(echo "$restored") | sed 's/^/    /'
fi
out=$(run rollback --journal "$(winepath_of "$journal")" 2>&1); code=$?
if [[ $code -eq 0 ]] && grep -q 'Restored 0' <<<"${out//$'\r'/}" && [[ $(state) == "$before" ]]; then
  ok "a second rollback changes nothing"
else
  bad "second rollback (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"
fi

# The lockout guard: a management port this host's active profile (domain)
# would not admit is refused before anything changes.
sed 's/management="true" reason="vendor remote service"/management="true" profiles="public" reason="vendor remote service"/;
     s/<allow name="RDP from the IT admin subnet"[^>]*>//' "$here/profiles/firewall-lockdown.xml" >"$work/lockout.xml"
out=$(run apply --no-report --allow-unverified-media --allow-unsigned-profile --profile "$(winepath_of "$work/lockout.xml")" --yes 2>&1); code=$?
if [[ $code -eq 2 ]] && grep -q 'lockout guard: .*management port TCP 3389' <<<"${out//$'\r'/}" && [[ $(state) == "$before" ]]; then
  ok "the lockout guard refuses a plan that closes a management port (exit 2), nothing changed"
else
  bad "lockout guard (exit $code):"; sed 's/^/    | /' <<<"${out//$'\r'/}"
fi

echo "firewall-e2e: apply ${apply_ms:-?} ms, rollback ${rollback_ms:-?} ms (wall, in one simulated session)"
finish "firewall-e2e ($(basename "$exe"))"
