#!/usr/bin/env bash
# Benchmark, not a test: prints numbers, asserts nothing about time.
#
#   verify_throughput.sh OTHARDEN [COUNT] [SIZE_BYTES]
#   OTHARDEN_RUNNER=wine verify_throughput.sh build/win64/otharden.exe 200
#
# Signs COUNT files of SIZE_BYTES (default 1000 x 4096) with one unencrypted key,
# then verifies each one with a separate `otharden verify` process (as a script
# checking a folder of reports would), and the same with minisign when it is
# installed. Also times keygen at the default KDF cost and sign/verify of 1 MiB
# with an encrypted key. Set OTHARDEN_RUNNER to run the executable through
# something (wine for the Windows build).
set -euo pipefail
exe=$(realpath "$1")
count=${2:-1000}
size=${3:-4096}
runner=${OTHARDEN_RUNNER:-}
export WINEDEBUG=${WINEDEBUG:--all}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

run() { $runner "$exe" "$@"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

printf 'bench passphrase\n' >pw.txt
head -c 1048576 /dev/urandom >one-mib.bin

t0=$(now); run keygen --out enc --passphrase-file pw.txt >/dev/null 2>&1; t1=$(now)
echo "keygen, default KDF cost (scrypt N=2^17 r=8 p=1, 128 MiB): $(elapsed "$t0" "$t1") s"
t0=$(now); run sign one-mib.bin --key enc.key --passphrase-file pw.txt >/dev/null; t1=$(now)
echo "sign 1 MiB with the encrypted key (includes the KDF):      $(elapsed "$t0" "$t1") s"
t0=$(now); run verify one-mib.bin --pub enc.pub >/dev/null; t1=$(now)
echo "verify 1 MiB:                                               $(elapsed "$t0" "$t1") s"

run keygen --out plain --unencrypted >/dev/null
t0=$(now); run sign one-mib.bin --key plain.key --sig plain.minisig >/dev/null; t1=$(now)
echo "sign 1 MiB with an unencrypted key:                         $(elapsed "$t0" "$t1") s"

mkdir files trusted
cp plain.pub trusted/
for ((i = 0; i < count; i++)); do head -c "$size" /dev/urandom >"files/r$i.xml"; done
t0=$(now)
for ((i = 0; i < count; i++)); do run sign "files/r$i.xml" --key plain.key --trusted-comment "r$i" >/dev/null; done
t1=$(now)
echo "sign $count x $size bytes, one process each:              $(elapsed "$t0" "$t1") s"

t0=$(now)
for ((i = 0; i < count; i++)); do run verify "files/r$i.xml" --trusted trusted >/dev/null; done
t1=$(now)
secs=$(elapsed "$t0" "$t1")
echo "verify $count x $size bytes, one process each:            $secs s ($(awk -v n="$count" -v s="$secs" 'BEGIN { printf "%.0f", n / s }') files/s)"

if [[ -z $runner ]] && command -v minisign >/dev/null; then
  t0=$(now)
  for ((i = 0; i < count; i++)); do minisign -Vq -p plain.pub -m "files/r$i.xml"; done
  t1=$(now)
  secs=$(elapsed "$t0" "$t1")
  echo "minisign -V, the same files:                                $secs s ($(awk -v n="$count" -v s="$secs" 'BEGIN { printf "%.0f", n / s }') files/s)"
fi
