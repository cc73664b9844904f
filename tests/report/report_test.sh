#!/usr/bin/env bash
# Reports end to end on the native build: every sample report validates
# against the XSD (xmllint), is signed with a kit key, verifies with Debian's
# minisign and with otharden, renders to HTML, and every kind of tampering is
# caught with the right exit code.
#
#   report_test.sh OTHARDEN WRITE_SAMPLE_REPORTS REPO
set -uo pipefail
exe=$1
samples=$2
repo=$3
xsd=$repo/toolkit/report/otharden-report.xsd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../lib/expect.sh"

mkdir -p "$tmp/reports" "$tmp/keys" "$tmp/other"
"$samples" "$repo/policies/esu-6003.xml" "$tmp/reports" >"$tmp/names.txt" || { bad "write_sample_reports failed"; exit 1; }
printf 'correct horse battery staple\n' >"$tmp/pass.txt"
"$exe" keygen --out "$tmp/keys/kit" --passphrase-file "$tmp/pass.txt" >/dev/null || { bad "keygen failed"; exit 1; }
"$exe" keygen --out "$tmp/other/intruder" --unencrypted >/dev/null || { bad "keygen (other) failed"; exit 1; }

while IFS= read -r name; do
  report=$tmp/reports/$name
  if xmllint --noout --schema "$xsd" "$report" 2>"$tmp/xmllint.log"; then
    ok "$name validates against otharden-report.xsd"
  else
    bad "$name does not validate:"; sed 's/^/    | /' "$tmp/xmllint.log"
  fi
  expect 0 '' -- "$exe" sign "$report" --key "$tmp/keys/kit.key" --passphrase-file "$tmp/pass.txt" \
    --trusted-comment "sample report $name"
  expect 0 'Signature and comment signature verified' -- minisign -V -m "$report" -p "$tmp/keys/kit.pub"
  expect 0 'signature verified' -- "$exe" report render "$report" --html "$tmp/$name.html" --trusted "$tmp/keys"
done <"$tmp/names.txt"

first=$tmp/reports/$(sed -n 1p "$tmp/names.txt")
odd=$tmp/reports/$(grep -F 'SCAN' "$tmp/names.txt")
html=$tmp/$(basename "$odd").html
if grep -q '&lt;b&gt;SCAN&amp;&quot;NER&quot;&lt;/b&gt;' "$html" && ! grep -q '<b>SCAN' "$html"; then
  ok "a host name with markup is escaped in the HTML page"
else
  bad "host name markup reached the HTML page unescaped"
fi
grep -q 'Signature verified' "$html" && ok "the page says the signature verified" || bad "no 'Signature verified' on the page"
expect 0 'signature NOT checked' -- "$exe" report render "$first" --html "$tmp/nokeys.html"
grep -q 'Signature not checked' "$tmp/nokeys.html" && ok "the page says when no keys were given" || bad "page without keys"

# Tampering: the report, the trusted comment, the signature, the key.
cp "$first" "$tmp/tampered.xml"; cp "$first.minisig" "$tmp/tampered.xml.minisig"
sed -i 's/operator="Sample Operator"/operator="Someone Else"/' "$tmp/tampered.xml"
expect 1 'did NOT verify' -- "$exe" report render "$tmp/tampered.xml" --html "$tmp/t.html" --trusted "$tmp/keys"
grep -q 'SIGNATURE NOT VALID' "$tmp/t.html" && ok "a tampered report is flagged on the page" || bad "tampered report page"
expect 1 '' -- "$exe" verify "$tmp/tampered.xml" --trusted "$tmp/keys"
if minisign -V -m "$tmp/tampered.xml" -p "$tmp/keys/kit.pub" >/dev/null 2>&1; then
  bad "minisign accepted a tampered report"
else
  ok "minisign rejects the tampered report too"
fi

cp "$first" "$tmp/tc.xml"
sed 's/^trusted comment: .*/trusted comment: verdict=compliant/' "$first.minisig" >"$tmp/tc.xml.minisig"
expect 1 'did NOT verify' -- "$exe" report render "$tmp/tc.xml" --html "$tmp/tc.html" --trusted "$tmp/keys"

cp "$first" "$tmp/unsigned.xml"
expect 1 'no signature file' -- "$exe" report render "$tmp/unsigned.xml" --html "$tmp/u.html" --trusted "$tmp/keys"
grep -q 'UNSIGNED' "$tmp/u.html" && ok "an unsigned report is flagged on the page" || bad "unsigned report page"

expect 1 'did NOT verify' -- "$exe" report render "$first" --html "$tmp/w.html" --trusted "$tmp/other"

head -c 40 "$first.minisig" >"$tmp/trunc.xml.minisig"; cp "$first" "$tmp/trunc.xml"
expect 1 'did NOT verify' -- "$exe" report render "$tmp/trunc.xml" --html "$tmp/tr.html" --trusted "$tmp/keys"

# A report that does not match the schema: xmllint and otharden both refuse it.
grep -v '<verdict ' "$first" >"$tmp/noverdict.xml"
if xmllint --noout --schema "$xsd" "$tmp/noverdict.xml" >/dev/null 2>&1; then
  bad "the XSD accepted a report without a verdict"
else
  ok "the XSD rejects a report without a verdict"
fi
expect 2 "noverdict.xml:[0-9]+: <otharden-report> has no <verdict>" -- \
  "$exe" report render "$tmp/noverdict.xml" --html "$tmp/nv.html"
expect 2 "not an otharden report" -- "$exe" report render "$repo/policies/esu-6003.xml" --html "$tmp/p.html"
expect 2 "cannot open file" -- "$exe" report render "$tmp/none.xml" --html "$tmp/n.html"
[[ ! -e $tmp/nv.html && ! -e $tmp/p.html ]] && ok "nothing is written for a report that was refused" || bad "HTML written for a refused report"

finish "report tests"
