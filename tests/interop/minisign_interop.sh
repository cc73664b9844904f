#!/usr/bin/env bash
# Debian's minisign (0.11) as the judge of our signatures, in all four directions:
# minisign verifies what we sign; we verify what minisign signs; we sign with keys
# minisign generated (unencrypted, and encrypted at its own 1 GiB cost); minisign
# signs with keys we generated (encrypted at our default cost, password on its
# stdin). Tampering with the file, the trusted comment or the signature must be
# rejected by both; unreadable input is exit 2 with a message naming the file.
#
#   minisign_interop.sh OTHARDEN_EXE
set -u
exe=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v minisign >/dev/null; then
  echo "FAIL: minisign is not installed (apt-get install minisign; cmake/install-build-deps.sh has it)"
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
. "$here/../lib/expect.sh"


# with_stdin TEXT COMMAND...: runs COMMAND with printf TEXT on its standard input
# (minisign reads the password from stdin when it is not a terminal).
with_stdin() {
  local input=$1
  shift
  printf "$input" | "$@"
}

# no_tty COMMAND...: runs COMMAND in a new session, without a controlling terminal.
no_tty() { setsid -w "$@" </dev/null; }

# b64_edit FILE LINE OFFSET BYTE: sets byte OFFSET of base64 line LINE to BYTE (hex).
b64_edit() {
  local file=$1 line=$2 offset=$3 byte=$4 blob
  blob=$(sed -n "${line}p" "$file" | base64 -d | xxd -p | tr -d '\n')
  blob=${blob:0:$((offset * 2))}$byte${blob:$((offset * 2 + 2))}
  blob=$(xxd -r -p <<<"$blob" | base64 -w0)
  sed -i "${line}s|.*|$blob|" "$file"
}

mkdir keys m trusted
printf '<report verdict="COMPLIANT"/>\n' >report.xml
head -c 1048576 /dev/urandom >big.bin
printf 'correct horse\r\n' >pw.txt   # CRLF: the line end is not part of the passphrase

echo "--- our keys: keygen"
expect 0 'new key pair, key id [0-9A-F]{16}' -- "$exe" keygen --out keys/ours --passphrase-file pw.txt
expect 0 '^untrusted comment: minisign public key [0-9A-F]{16}$' -- head -1 keys/ours.pub
expect 0 'encrypted: scrypt N=2\^17, r=8, p=1, 128 MiB' -- "$exe" keygen --out keys/again --passphrase-file pw.txt
expect 2 'keys/again.key already exists; .*--force' -- "$exe" keygen --out keys/again --passphrase-file pw.txt
expect 0 'new key pair' -- "$exe" keygen --out keys/again.key --passphrase-file pw.txt --force
expect 0 'NOT encrypted' -- "$exe" keygen --out keys/plain --unencrypted
expect 0 'scrypt N=2\^14, r=8, p=1, 16 MiB' -- "$exe" keygen --out keys/small --passphrase-file pw.txt --kdf-memory 16
expect 2 'power of two from 16 to 1024 MiB, not 100' -- "$exe" keygen --out keys/x --passphrase-file pw.txt --kdf-memory 100
expect 2 '--unencrypted takes no passphrase' -- "$exe" keygen --out keys/x --unencrypted --passphrase-file pw.txt
: >empty.txt
expect 2 'the passphrase is empty' -- "$exe" keygen --out keys/x --passphrase-file empty.txt
expect 2 'keys/none: no such folder' -- "$exe" keygen --out keys/none/k --passphrase-file pw.txt
expect 2 'Pass --passphrase-file FILE' -- no_tty "$exe" keygen --out keys/x
[[ ! -e keys/x.key && ! -e keys/x.pub ]] && ok "a refused keygen leaves no files" || bad "a refused keygen left files"

echo "--- we sign, minisign verifies"
expect 0 'report.xml.minisig written' -- "$exe" sign report.xml --key keys/ours.key --passphrase-file pw.txt \
  --trusted-comment 'site:A	verdict:COMPLIANT'
expect 0 '^Trusted comment: site:A	verdict:COMPLIANT$' -- minisign -V -H -p keys/ours.pub -m report.xml
expect 0 'big.bin.minisig written' -- no_tty "$exe" sign big.bin --key keys/plain.key
expect 0 'Trusted comment: timestamp:[0-9]+	file:big.bin	hashed' -- minisign -V -H -p keys/plain.pub -m big.bin
expect 2 'wrong passphrase or corrupted key' -- "$exe" sign report.xml --key keys/ours.key --passphrase-file empty.txt
expect 2 'Pass --passphrase-file' -- no_tty "$exe" sign report.xml --key keys/ours.key
expect 2 'one line' -- "$exe" sign report.xml --key keys/plain.key --trusted-comment $'two\nlines'

echo "--- minisign signs with our keys (password on its stdin), we verify"
expect 0 'done' -- with_stdin 'correct horse\n' minisign -S -s keys/ours.key -m big.bin -x big.ours.minisig \
  -t 'minisign with our key'
expect 0 'trusted comment  minisign with our key' -- "$exe" verify big.bin --pub keys/ours.pub --sig big.ours.minisig
expect 0 '' -- with_stdin 'correct horse\n' minisign -S -s keys/small.key -m report.xml -x report.small.minisig
expect 0 'signature VALID' -- "$exe" verify report.xml --pub keys/small.pub --sig report.small.minisig
expect 0 '' -- minisign -S -s keys/plain.key -m report.xml -x report.plain.minisig
expect 0 'signature VALID' -- "$exe" verify report.xml --pub keys/plain.pub --sig report.plain.minisig
expect 2 'Wrong password' -- with_stdin 'wrong\n' minisign -S -s keys/ours.key -m report.xml -x w.minisig

echo "--- minisign's keys: we sign with them, minisign verifies; minisign signs, we verify"
expect 0 'secret key was saved' -- minisign -G -W -p m/w.pub -s m/w.key
expect 0 'written' -- no_tty "$exe" sign report.xml --key m/w.key --sig report.w.minisig --trusted-comment w
expect 0 'Trusted comment: w' -- minisign -V -H -p m/w.pub -m report.xml -x report.w.minisig
# minisign's default cost (opslimit 2^25, memlimit 1 GiB: N=2^20): slow, done once.
expect 0 'secret key was saved' -- with_stdin 'pw 2\npw 2\n' minisign -G -p m/e.pub -s m/e.key
printf 'pw 2\n' >pw2.txt
expect 0 'written' -- "$exe" sign big.bin --key m/e.key --passphrase-file pw2.txt --sig big.e.minisig --trusted-comment e
expect 0 'Trusted comment: e' -- minisign -V -H -p m/e.pub -m big.bin -x big.e.minisig
expect 2 'm/e.key: wrong passphrase or corrupted key' -- "$exe" sign big.bin --key m/e.key --passphrase-file pw.txt
expect 0 '' -- minisign -S -s m/w.key -m big.bin -x big.w.minisig -t 'from minisign'
cp m/w.pub trusted/
cp keys/ours.pub trusted/
expect 0 'trusted comment  from minisign' -- "$exe" verify big.bin --trusted trusted --sig big.w.minisig
expect 0 '' -- minisign -S -l -s m/w.key -m report.xml -x report.legacy.minisig
expect 0 'VALID \(legacy non-prehashed signature\)' -- "$exe" verify report.xml --pub m/w.pub --sig report.legacy.minisig

echo "--- tampering: both reject"
cp report.xml t.xml
cp report.xml.minisig t.xml.minisig
printf ' ' >>t.xml
expect 1 'does not match the data' -- "$exe" verify t.xml --pub keys/ours.pub
expect 1 'Signature verification failed' -- minisign -V -p keys/ours.pub -m t.xml
cp report.xml t.xml
sed -i '3s/.*/trusted comment: site:A	verdict:COMPLIANT (really)/' t.xml.minisig
expect 1 'trusted comment was altered' -- "$exe" verify t.xml --pub keys/ours.pub
expect 1 'Comment signature verification failed' -- minisign -V -p keys/ours.pub -m t.xml
cp report.xml.minisig t.xml.minisig
b64_edit t.xml.minisig 2 40 00
expect 1 'does not match the data' -- "$exe" verify t.xml --pub keys/ours.pub
expect 1 'Signature verification failed' -- minisign -V -p keys/ours.pub -m t.xml
cp report.xml.minisig t.xml.minisig
b64_edit t.xml.minisig 4 10 00
expect 1 'trusted comment was altered' -- "$exe" verify t.xml --pub keys/ours.pub
expect 1 'Comment signature verification failed' -- minisign -V -p keys/ours.pub -m t.xml
expect 1 'which is not a trusted key' -- "$exe" verify report.xml --pub m/w.pub
expect 1 'key id' -- minisign -V -p m/w.pub -m report.xml
mkdir other && cp keys/small.pub other/
expect 1 'which is not a trusted key' -- "$exe" verify report.xml --trusted other

echo "--- unreadable or malformed input: exit 2, naming the file"
expect 2 'none.xml.minisig: cannot open' -- "$exe" verify none.xml --pub keys/ours.pub
expect 2 'none.xml: cannot open' -- "$exe" verify none.xml --pub keys/ours.pub --sig report.xml.minisig
expect 2 'either --pub NAME.pub or --trusted DIR' -- "$exe" verify report.xml
expect 2 'either --pub NAME.pub or --trusted DIR' -- "$exe" verify report.xml --pub keys/ours.pub --trusted trusted
cp report.xml.minisig g.minisig
sed -i '2s/^\(.\{20\}\)./\1*/' g.minisig
expect 2 'g.minisig: not a minisign signature: line 2: .*not base64' -- "$exe" verify report.xml --pub keys/ours.pub --sig g.minisig
expect 2 'base64 conversion failed' -- minisign -V -p keys/ours.pub -m report.xml -x g.minisig
head -c 60 keys/ours.pub >trunc.pub
expect 2 'trunc.pub: not a minisign public key' -- "$exe" verify report.xml --pub trunc.pub
cp keys/ours.pub alg.pub
b64_edit alg.pub 2 1 44   # "Ed" -> "ED"
expect 2 'alg.pub: unsupported signature algorithm' -- "$exe" verify report.xml --pub alg.pub
expect 2 'Unsupported signature algorithm' -- minisign -V -p alg.pub -m report.xml
expect 2 'keys/ours.key: this is a secret key, not a public key' -- "$exe" verify report.xml --pub keys/ours.key
head -c 150 keys/ours.key >trunc.key
expect 2 'trunc.key: not a minisign secret key' -- "$exe" sign report.xml --key trunc.key --passphrase-file pw.txt
cp keys/ours.key costly.key
b64_edit costly.key 2 51 01   # memlimit 2^40
expect 2 'costly.key: refusing to decrypt this secret key: .*over 2048 MiB' -- "$exe" sign report.xml --key costly.key
expect 2 'none.bin: no such file' -- "$exe" sign none.bin --key keys/plain.key
mkdir empty
expect 2 'empty: no trusted public keys' -- "$exe" verify report.xml --trusted empty

finish "minisign interop"
