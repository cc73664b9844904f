#!/usr/bin/env bash
# End-to-end test of `otharden check`: the real otharden.exe, run in Wine
# prefixes that SIMULATE Windows 2008 hosts (tests/sim: a simulator, not
# Windows). Asserts verdict lines and exit codes for each simulated host.
#
#   check_e2e.sh OTHARDEN_EXE
#
# Exit 0 all passed; 1 a check failed; 77 skipped (a 32-bit exe without wine32),
# with a loud message saying so.
set -uo pipefail
exe=$(readlink -f "$1")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sim=$repo/tests/sim
hosts=$sim/hosts
work=${SIM_BUILD_DIR:-$repo/build/sim}/e2e-$(basename "$(dirname "$exe")")
rm -rf "$work"  # this test owns its work folder: start clean
mkdir -p "$work"

# The 32-bit exe runs only where Wine has 32-bit support.
SIM_PROG=e2e-check . "$sim/lib.sh"
arch=$(x86_64-w64-mingw32-objdump -f "$exe" | awk '/file format/ {print $NF}')
if [[ $arch == pei-i386 ]] && ! sim_have_wine32; then
  cat <<MSG
################################################################################
# e2e-check SKIPPED for the x86 otharden.exe: $(sim_no_wine32_reason).
# The x86 build and its import audit still ran (see cmake/install-build-deps.sh).
################################################################################
MSG
  exit 77
fi

. "$here/../lib/expect.sh"

# run_host HOST WANT_EXIT PATTERN... : makes the simulated host, runs check on
# it, and checks the exit code and that every extended regex PATTERN matches a
# line of the output.
run_host() {
  local host=$1 want=$2
  shift 2
  local prefix=$work/$host
  if ! "$sim/make-host.sh" "$hosts/$host.host" "$prefix" >"$work/$host.make.log" 2>&1; then
    bad "$host: the simulator could not build the host:"
    sed 's/^/    /' "$work/$host.make.log"
    return
  fi
  local out code
  out=$("$sim/run-in-host.sh" "$prefix" "$exe" check --policy "$(winepath_of "$repo/policies/esu-6003.xml")" 2>&1)
  code=$?
  out=${out//$'\r'/}  # the Windows C runtime writes CRLF
  local problems=""
  [[ $code -eq $want ]] || problems="exit $code, want $want"
  # Evidence and remedies are word-wrapped: a pattern may match a line, or the
  # output with its wrapped lines joined.
  local flat
  flat=$(tr '\n' ' ' <<<"$out" | tr -s ' ')
  for pattern in "$@"; do
    grep -Eq -- "$pattern" <<<"$out" || grep -Eq -- "$pattern" <<<"$flat" ||
      problems+="${problems:+; }no line matches: $pattern"
  done
  if [[ -n $problems ]]; then
    bad "$host: $problems"
    sed 's/^/    | /' <<<"$out"
  else
    ok "$host: exit $code, $(grep -E '^VERDICT|error:' <<<"$out" | head -1)"
  fi
  printf '%s\n' "$out" >"$work/$host.out"
}

# Wine maps / to Z:, so a Linux path works as Z:\path.
winepath_of() { printf 'Z:%s' "${1//\//\\}"; }

run_host vanilla-6002 1 \
  '^  FAIL  Build 6003 +build 6002, ntoskrnl.exe 6.0.6002.18005' \
  'install KB4489887' \
  '^  FAIL  SHA-2 code signing' \
  '^  WARN  Monthly rollup +no rollup from the catalogue found' \
  '^VERDICT: NOT COMPLIANT'
run_host 6002-kb4489880 1 \
  '^Updates  .*KB4489880|KB4489880 +installed' \
  '^  FAIL  Build 6003 +build 6002, ntoskrnl.exe 6.0.6002.24564' \
  'KB4489880 \(March 12, 2019\)' \
  '^VERDICT: NOT COMPLIANT'
run_host 6003-2019-04 1 \
  '^  PASS  Build 6003 +build 6003, ntoskrnl.exe 6.0.6003.20489' \
  '^  FAIL  SHA-2 code signing' \
  '^  PASS  Servicing stack .*KB4493730 installed' \
  '^  FAIL  ESU licensing prep' \
  'by KB: KB4493471 \(2019-04\)' \
  '81 months behind the final update' \
  '^VERDICT: NOT COMPLIANT \(2 failed'
run_host 6003-2022-05-full 0 \
  '^OS       Windows NT 6.0.6003 Service Pack 2, server, x64' \
  '^Kernel   .*ntoskrnl.exe +6.0.6003.21481' \
  '^  PASS  Version sources' \
  '^  PASS  SHA-2 code signing .*KB4474419 installed' \
  '^  WARN  Monthly rollup +by KB: KB5014010 \(2022-05\)' \
  '44 months behind the final update' \
  '^VERDICT: COMPLIANT \(0 failed, 1 warning'
run_host 6003-missing-kb4474419 1 \
  '  FAIL  SHA-2 code signing.*none of KB4474419 found' \
  '^  PASS  ESU licensing prep' \
  '^VERDICT: NOT COMPLIANT \(1 failed'
run_host r2-7601 4 \
  'cannot inspect this host' \
  'this host runs Windows NT 6.1.7601 Service Pack 1'
run_host vista-workstation 1 \
  'FAIL +Operating system .*not workstation' \
  '^VERDICT: NOT COMPLIANT'
run_host 6003-version-mismatch 1 \
  'WARN +Version sources +registry CurrentBuildNumber is 6003, RtlGetVersion says 6002'

# The XML form of the same result is well-formed and carries the verdict.
xml=$("$sim/run-in-host.sh" "$work/6003-2022-05-full" "$exe" check --format xml \
        --policy "$(winepath_of "$repo/policies/esu-6003.xml")" 2>&1)
if xmllint --noout --schema "$repo/toolkit/report/otharden-report.xsd" - <<<"$xml" 2>/dev/null && grep -q '<verdict result="compliant"' <<<"$xml" &&
   grep -q 'file-version="6.0.6003.21481"' <<<"$xml"; then
  ok "6003-2022-05-full: --format xml validates against the XSD and is compliant"
else
  bad "6003-2022-05-full: --format xml output:"
  sed 's/^/    | /' <<<"$xml"
fi

# Signed reports written on the simulated host: the kit key is made by the
# Windows executable itself; the report must validate against the XSD and
# verify with Debian's minisign.
keys=$work/keys
reports=$work/reports
rm -rf "$keys" "$reports"
mkdir -p "$keys"
printf 'e2e kit passphrase\r\n' >"$keys/pass.txt"
if "$sim/run-in-host.sh" "$work/6003-2022-05-full" "$exe" keygen --out "$(winepath_of "$keys/kit")" \
     --passphrase-file "$(winepath_of "$keys/pass.txt")" >"$work/keygen.log" 2>&1; then
  for host in 6003-2022-05-full vanilla-6002; do
    out=$("$sim/run-in-host.sh" "$work/$host" "$exe" check --policy "$(winepath_of "$repo/policies/esu-6003.xml")" \
          --report "$(winepath_of "$reports")" --key "$(winepath_of "$keys/kit.key")" \
          --passphrase-file "$(winepath_of "$keys/pass.txt")" --operator "E2E Technician" 2>&1)
    code=$?
    report=$(ls -t "$reports"/*-check.xml 2>/dev/null | head -1)
    problems=""
    [[ $code -le 1 ]] || problems+="exit $code; "
    [[ -n $report && -f $report.minisig ]] || problems+="no report and signature in $reports; "
    if [[ -n $report ]]; then
      [[ $(basename "$report") =~ ^scanner-0[0-9]-[0-9]{8}T[0-9]{6}Z-check\.xml$ ]] || problems+="unexpected name $(basename "$report"); "
      xmllint --noout --schema "$repo/toolkit/report/otharden-report.xsd" "$report" 2>"$work/xsd.log" ||
        problems+="XSD: $(cat "$work/xsd.log"); "
      minisign -V -q -m "$report" -p "$keys/kit.pub" >/dev/null 2>&1 || problems+="minisign does not verify it; "
      grep -q 'operator="E2E Technician"' "$report" || problems+="operator not recorded; "
      grep -Eq '<tool [^>]*sha256="[0-9a-f]{64}"' "$report" || problems+="no executable hash; "
      rm -f "$report" "$report.minisig"
    fi
    if [[ -z $problems ]]; then
      ok "$host: check --report wrote a signed report that validates and verifies with minisign"
    else
      bad "$host: check --report: $problems"
      sed 's/^/    | /' <<<"$out"
    fi
  done
else
  bad "keygen on the simulated host:"
  sed 's/^/    | /' "$work/keygen.log"
fi

finish "e2e-check ($(basename "$exe"), $arch)"
