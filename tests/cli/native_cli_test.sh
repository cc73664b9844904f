#!/usr/bin/env bash
# The native (Linux) build's command line: usage errors, bad policy files and
# the refusal to "check" a host that is not Windows, with their exit codes.
set -u
exe=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../lib/expect.sh"


expect 0 '^target: native$' -- "$exe" version
expect 0 '^otharden [0-9]+\.[0-9]+\.[0-9]+$' -- "$exe" --version
expect 2 'usage: otharden <command>' -- "$exe"
expect 2 "'chek' is not a command. Did you mean 'check'\?" -- "$exe" chek
expect 2 "the required argument for option '--policy' is missing" -- "$exe" check --policy
expect 2 "--format must be 'text' or 'xml', not 'json'" -- "$exe" check --format json
expect 0 'output format' -- "$exe" check --help

# The native build finds the repository's policy but refuses to inspect Linux.
expect 4 'native \(non-Windows\) build of otharden; it cannot inspect' -- "$exe" check
expect 4 'cannot inspect this host' -- "$exe" check --policy "$src/policies/esu-6003.xml"

# Bad policy files: exit 2, naming the file and line.
printf '<policy format="1" name="x">\n  <title>t</title>\n  <os version="6.0"\n</policy>\n' >"$tmp/broken.xml"
expect 2 "$tmp/broken.xml:[0-9]+: not well-formed XML" -- "$exe" check --policy "$tmp/broken.xml"
sed 's/month="2019-05"/month="2019-5"/' "$src/policies/esu-6003.xml" >"$tmp/badmonth.xml"
line=$(grep -n 'month="2019-5"' "$tmp/badmonth.xml" | cut -d: -f1)
expect 2 "$tmp/badmonth.xml:$line: month '2019-5' must look like 2019-04" -- "$exe" check --policy "$tmp/badmonth.xml"
expect 2 "$tmp/none.xml: cannot open file for reading" -- "$exe" check --policy "$tmp/none.xml"
head -c 5000000 /dev/zero | tr '\0' ' ' >"$tmp/huge.xml"
expect 2 "$tmp/huge.xml: file is larger than 4194304 bytes \(4 MiB, .*\): it is 5000000 bytes; refusing to read it" -- "$exe" check --policy "$tmp/huge.xml"

# Profiles: validated (exit 2, file and line) before the host is touched; a
# valid profile then meets the native build's "not Windows" (exit 4).
profiles=$src/tests/e2e/profiles
expect 2 "protected.xml:[0-9]+: service 'MpsSvc' is protected and no profile may disable it" -- \
  "$exe" plan --profile "$profiles/protected.xml"
expect 4 'native \(non-Windows\) build' -- "$exe" plan --profile "$profiles/services-lockdown.xml"
expect 2 'give the profile: --profile FILE' -- "$exe" plan
expect 2 "$tmp/none.xml: cannot open file for reading" -- "$exe" plan --profile "$tmp/none.xml"
expect 2 'not an otharden journal' -- "$exe" rollback --journal "$src/policies/esu-6003.xml"
expect 2 'give the signed apply report \(--report R.xml\) or the journal' -- "$exe" rollback
expect 2 'give --report or --journal, not both' -- "$exe" rollback --report a.xml --journal b.journal
# apply refuses before touching anything: no key for the report, or both --no-report and --key
expect 2 'give the key that signs the apply report: --key KIT.key' -- "$exe" apply --profile "$src/profiles/baseline-2008.xml"
expect 2 '--no-report cannot be combined with --key or --report' -- "$exe" apply --profile x.xml --no-report --key k.key
# rollback --report verifies the signature before anything else
expect 2 'give the key to verify the report with' -- "$exe" rollback --report "$src/policies/esu-6003.xml"
# recover and apply on the native build: not a Windows host
expect 4 'native \(non-Windows\) build' -- "$exe" recover

finish "native CLI checks"
