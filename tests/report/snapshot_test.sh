#!/usr/bin/env bash
# Snapshot reports and `diff` end to end on the native build: two sample
# snapshots of an in-memory host (tests/report/write_sample_snapshots.cc: a
# test double, before and after three known changes) validate against the XSD,
# are signed and verify with Debian's minisign; `diff` reports exactly the
# three changes with the documented exit codes, refuses unverified, tampered,
# unsigned and check-report inputs, and writes an escaped HTML page.
#
#   snapshot_test.sh OTHARDEN WRITE_SAMPLE_SNAPSHOTS WRITE_SAMPLE_REPORTS REPO
set -uo pipefail
exe=$1
samples=$2
check_samples=$3
repo=$4
xsd=$repo/toolkit/report/otharden-report.xsd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../lib/expect.sh"

"$samples" "$tmp" || { bad "write_sample_snapshots failed"; exit 1; }
before=$tmp/before.xml after=$tmp/after.xml
for f in "$before" "$after"; do
  if xmllint --noout --schema "$xsd" "$f" 2>"$tmp/xmllint.log"; then
    ok "$(basename "$f") validates against otharden-report.xsd"
  else
    bad "$(basename "$f") does not validate:"; sed 's/^/    | /' "$tmp/xmllint.log"
  fi
done
grep -q 'display-name="PACS &lt;Image&gt; Store &amp; &quot;Co&quot;"' "$before" &&
  ok "host text is escaped in the snapshot XML" || bad "display name not escaped in the XML"

# The exact differences, in the documented order, and exit 1.
expected='3 differences:

Service (1)
  service RemoteRegistry: auto, running -> disabled, stopped

Firewall profile (1)
  firewall profile domain: firewall on, inbound allow, outbound allow -> firewall on, inbound block, outbound allow

Firewall rule (1)
  firewall rule PACS <DICOM> & Store: absent -> enabled, allow in TCP 104 from 10.20.0.0/16'
out=$("$exe" diff "$before" "$after" 2>&1); code=$?
got=$(sed -n '/differences:$/,$p' <<<"$out")
if [[ $code -eq 1 && $got == "$expected" ]]; then
  ok "diff before after: exactly the three changes, exit 1"
else
  bad "diff before after (exit $code, want 1):"; sed 's/^/    | /' <<<"$out"
  diff <(echo "$expected") <(echo "$got") | sed 's/^/    /'
fi
expect 0 '^No differences' -- "$exe" diff "$before" "$before"
out=$("$exe" diff "$after" "$before" 2>&1); code=$?
[[ $code -eq 1 ]] && grep -q 'service RemoteRegistry: disabled, stopped -> auto, running' <<<"$out" &&
  ok "diff the other way round shows the change reversed" || { bad "reverse diff (exit $code)"; sed 's/^/    | /' <<<"$out"; }
expect 2 'holds one snapshot: give a second file' -- "$exe" diff "$before"
expect 2 'diff A.xml \[B.xml\]' -- "$exe" diff
"$check_samples" "$repo/policies/esu-6003.xml" "$tmp/check" >"$tmp/check-names.txt" || bad "write_sample_reports failed"
check=$tmp/check/$(sed -n 1p "$tmp/check-names.txt")
expect 2 'this is a check report' -- "$exe" diff "$check" "$after"
expect 2 'not an otharden report' -- "$exe" diff "$repo/policies/esu-6003.xml" "$after"
expect 2 'cannot open file' -- "$exe" diff "$tmp/none.xml" "$after"
sed 's/start="disabled"/start="off"/' "$after" >"$tmp/badstart.xml"
expect 2 'badstart.xml:[0-9]+: start .off. is not boot, system, auto, manual or disabled' -- \
  "$exe" diff "$before" "$tmp/badstart.xml"

# HTML: verdict first, text escaped.
expect 1 "Wrote $tmp/diff.html" -- "$exe" diff "$before" "$after" --html "$tmp/diff.html"
if grep -q '<h1>3 DIFFERENCES</h1>' "$tmp/diff.html" && grep -q 'PACS &lt;DICOM&gt; &amp; Store' "$tmp/diff.html" &&
   ! grep -q 'PACS <DICOM>' "$tmp/diff.html"; then
  ok "the HTML page leads with the verdict and escapes host text"
else
  bad "diff HTML page"; sed 's/^/    | /' "$tmp/diff.html" | head -20
fi
expect 0 '' -- "$exe" diff "$before" "$before" --html "$tmp/same.html"
grep -q '<h1>NO DIFFERENCES</h1>' "$tmp/same.html" && ok "the page says when there are none" || bad "no-difference page"

# Signed inputs: Debian's minisign verifies our signatures; diff --pub refuses
# anything that does not verify.
printf 'correct horse battery staple\n' >"$tmp/pass.txt"
mkdir -p "$tmp/keys" "$tmp/other"
"$exe" keygen --out "$tmp/keys/kit" --passphrase-file "$tmp/pass.txt" >/dev/null 2>&1 || bad "keygen failed"
"$exe" keygen --out "$tmp/other/intruder" --unencrypted >/dev/null
for f in "$before" "$after"; do
  expect 0 '' -- "$exe" sign "$f" --key "$tmp/keys/kit.key" --passphrase-file "$tmp/pass.txt"
  expect 0 'Signature and comment signature verified' -- minisign -V -m "$f" -p "$tmp/keys/kit.pub"
done
expect 1 '\(signature verified, key id [0-9A-F]{16}\)' -- "$exe" diff "$before" "$after" --pub "$tmp/keys/kit.pub"
expect 1 '3 differences' -- "$exe" diff "$before" "$after" --trusted "$tmp/keys"
expect 2 'before.xml: signature NOT VALID.*not a trusted key.*refusing to compare' -- \
  "$exe" diff "$before" "$after" --trusted "$tmp/other"
cp "$after" "$tmp/tampered.xml"; cp "$after.minisig" "$tmp/tampered.xml.minisig"
sed -i 's/start="disabled"/start="auto"/' "$tmp/tampered.xml"
expect 2 'tampered.xml: signature NOT VALID.*refusing to compare' -- \
  "$exe" diff "$before" "$tmp/tampered.xml" --pub "$tmp/keys/kit.pub"
minisign -V -m "$tmp/tampered.xml" -p "$tmp/keys/kit.pub" >/dev/null 2>&1 &&
  bad "minisign accepted a tampered snapshot" || ok "minisign rejects the tampered snapshot too"
cp "$after" "$tmp/unsigned.xml"
expect 2 'unsigned.xml: not signed.*refusing to compare' -- \
  "$exe" diff "$before" "$tmp/unsigned.xml" --pub "$tmp/keys/kit.pub"
expect 1 '3 differences' -- "$exe" diff "$before" "$tmp/unsigned.xml"

# `snapshot` needs a Windows host: the native build says so and writes nothing.
expect 4 'native \(non-Windows\) build' -- "$exe" snapshot --out "$tmp/native.xml"
[[ ! -e $tmp/native.xml ]] && ok "nothing is written when the host cannot be read" || bad "native snapshot wrote a file"
expect 2 'no such folder' -- "$exe" snapshot --out "$tmp/missing/dir/s.xml"

finish "snapshot tests"
