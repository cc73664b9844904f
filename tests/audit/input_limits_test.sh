#!/usr/bin/env bash
# Every file a user hands otharden is refused over its size limit BEFORE it is
# parsed: exit 2, and the message names the file, its size and the limit.
# Oversized files are sparse (truncate -s), so even the 64 MiB one costs nothing;
# each is otherwise a valid file of its kind (a valid head), so a refusal for
# any other reason would not match.
#   input_limits_test.sh OTHARDEN src-dir
set -u
exe=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../lib/expect.sh"

# oversize NAME FROM BYTES: a copy of FROM grown to BYTES bytes (NULs after the end).
oversize() { cp "$2" "$tmp/$1"; truncate -s "$3" "$tmp/$1"; }
limit_msg() {  # FILE LIMIT SIZE
  echo "$1: file is larger than $2 bytes \([0-9]+ [MK]iB, the most otharden reads from a file of this kind\): it is $3 bytes; refusing to read it"
}

# Keys and a signature to start from (the native build makes them).
"$exe" keygen --out "$tmp/k" --unencrypted >/dev/null 2>&1
printf 'data\n' >"$tmp/data.txt"
"$exe" sign "$tmp/data.txt" --key "$tmp/k.key" >/dev/null 2>&1 </dev/null
[[ -f $tmp/k.pub && -f $tmp/k.key && -f $tmp/data.txt.minisig ]] || { bad "could not make a key pair and signature"; finish "input limits"; exit 1; }
expect 0 'signature VALID' -- "$exe" verify "$tmp/data.txt" --pub "$tmp/k.pub"

# XML inputs: 4 MiB.
oversize policy.xml "$src/policies/esu-6003.xml" 4194305
expect 2 "$(limit_msg "$tmp/policy.xml" 4194304 4194305)" -- "$exe" check --policy "$tmp/policy.xml"
oversize profile.xml "$src/tests/e2e/profiles/services-lockdown.xml" 5000000
expect 2 "$(limit_msg "$tmp/profile.xml" 4194304 5000000)" -- "$exe" plan --profile "$tmp/profile.xml"
# Exactly at the limit is read, and then refused for its content (the NULs
# after the policy: tinyxml2 would stop at the first and ignore the rest).
oversize at-limit.xml "$src/policies/esu-6003.xml" 4194304
expect 2 "$tmp/at-limit.xml:[0-9]+: a NUL byte \(at byte offset $(stat -c %s "$src/policies/esu-6003.xml")\): not an XML text file" -- \
  "$exe" check --policy "$tmp/at-limit.xml"

# Keys and signatures: 64 KiB.
oversize big.pub "$tmp/k.pub" 65537
expect 2 "$(limit_msg "$tmp/big.pub" 65536 65537)" -- "$exe" verify "$tmp/data.txt" --pub "$tmp/big.pub"
mkdir "$tmp/trusted" && oversize trusted/big.pub "$tmp/k.pub" 70000
expect 2 "$(limit_msg "$tmp/trusted/big.pub" 65536 70000)" -- "$exe" verify "$tmp/data.txt" --trusted "$tmp/trusted"
cp "$tmp/data.txt" "$tmp/data2.txt" && oversize data2.txt.minisig "$tmp/data.txt.minisig" 65537
expect 2 "$(limit_msg "$tmp/data2.txt.minisig" 65536 65537)" -- "$exe" verify "$tmp/data2.txt" --pub "$tmp/k.pub"
oversize big.key "$tmp/k.key" 65537
expect 2 "$(limit_msg "$tmp/big.key" 65536 65537)" -- "$exe" sign "$tmp/data.txt" --key "$tmp/big.key"

# The apply journal: 16 MiB.
printf 'otharden-journal format=1 *77d749f0\n' >"$tmp/j"
oversize big.journal "$tmp/j" 16777217
expect 2 "$(limit_msg "$tmp/big.journal" 16777216 16777217)" -- "$exe" rollback --journal "$tmp/big.journal"

# Reports to render: 64 MiB.
printf '<?xml version="1.0"?>\n' >"$tmp/r"
oversize big-report.xml "$tmp/r" 67108865
expect 2 "$(limit_msg "$tmp/big-report.xml" 67108864 67108865)" -- "$exe" report render "$tmp/big-report.xml" --html "$tmp/out.html"
[[ ! -e $tmp/out.html ]] && ok "no HTML written for a refused report" || bad "HTML written for a refused report"

finish "input limits"
