#!/usr/bin/env bash
# Installs, from Debian's packages, everything that building and testing
# otharden needs on Debian bookworm. Run as root (or with sudo available).
# Quick when everything is already there.
#
# wine32 (the i386 Wine, to run the x86 otharden.exe) needs Debian's i386
# package index. If it cannot be had, this says so loudly and goes on: the x86
# build and its import audit still run; only the x86 end-to-end tests are skipped
# (they print why).
set -euo pipefail
# clang + libclang-rt-14-dev (ASan/UBSan/libFuzzer runtimes) + llvm (llvm-symbolizer,
# for readable sanitizer stacks): the native-asan preset and tests/fuzz.

packages=(
  cmake ninja-build g++ make file
  libboost-program-options-dev libtinyxml2-dev libcrypto++-dev catch2
  g++-mingw-w64-x86-64-posix g++-mingw-w64-i686-posix mingw-w64-tools
  binutils-mingw-w64-x86-64 binutils-mingw-w64-i686
  dpkg-dev xz-utils bzip2
  wine wine64
  minisign libxml2-utils
  dosfstools mtools
  clang libclang-rt-14-dev llvm
)

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

updated=0
apt_update() {
  [[ $updated -eq 1 ]] && return 0
  # A mirror that is mid-sync can fail one index (seen: the i386 security
  # index); apt then still uses the others, so carry on and let the install say.
  as_root apt-get update -q || echo "install-build-deps: apt-get update reported errors (see above); continuing"
  updated=1
}

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-build-deps: installing ${missing[*]}"
  apt_update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! dpkg-query -W -f='${Status}' wine32:i386 2>/dev/null | grep -q "install ok installed"; then
  if ! dpkg --print-foreign-architectures | grep -qx i386; then
    as_root dpkg --add-architecture i386
    updated=0
  fi
  apt_update
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wine32:i386; then
    cat <<'MSG'
################################################################################
# install-build-deps: wine32 (i386) could NOT be installed.
# Debian's i386 package index is incomplete or inconsistent right now (for
# example a mirror in the middle of a sync). The x86 otharden.exe is still built
# and import-audited, but the x86 end-to-end tests under Wine will be SKIPPED.
################################################################################
MSG
  fi
fi
echo "install-build-deps: done"
