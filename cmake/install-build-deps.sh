#!/usr/bin/env bash
# Installs, from Debian's packages, everything that building and testing
# otharden needs on Debian bookworm. Run as root (or with sudo available).
# Quick when everything is already there.
#
# wine32 (the i386 Wine, to run the x86 otharden.exe) is installed only where a
# 32-bit probe program runs, and needs Debian's i386 package index. Where either
# fails this says so loudly and goes on: the x86 build and its import audit still
# run; only the x86 end-to-end tests are skipped (they print why).
set -euo pipefail
# clang + libclang-rt-14-dev (ASan/UBSan/libFuzzer runtimes) + llvm (llvm-symbolizer,
# for readable sanitizer stacks): the native-asan preset and tests/fuzz.

packages=(
  cmake ninja-build g++ make file binutils
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

# ---- 32-bit programs: can this machine run them at all? ----------------------------
# Probed with a 32-bit static ELF made here by the native binutils (as --32, ld -m
# elf_i386): it needs no i386 package. A kernel without IA32 emulation (seen on the
# machines CI uses) answers "Exec format error".
can_run_32bit() {
  local d rc=0
  d=$(mktemp -d)
  printf '.globl _start\n_start:\n movl $1, %%eax\n movl $42, %%ebx\n int $0x80\n' >"$d/p.s"
  if ! as --32 -o "$d/p.o" "$d/p.s" 2>"$d/err" || ! ld -m elf_i386 -o "$d/p" "$d/p.o" 2>>"$d/err"; then
    echo "install-build-deps: could not make the 32-bit probe: $(cat "$d/err")" >&2
    rm -rf "$d"; return 1
  fi
  "$d/p" 2>"$d/err" || rc=$?
  probe_error=$(sed 's/^.*: cannot execute/cannot execute/' "$d/err" | tr '\n' ' ')
  rm -rf "$d"
  [[ $rc -eq 42 ]]
}

wine32_installed() {
  dpkg-query -W -f='${Status}' wine32:i386 2>/dev/null | grep -q "install ok installed"
}

probe_error=
if can_run_32bit; then
  # wine32 (the i386 Wine, to run the x86 otharden.exe) needs Debian's i386 index.
  if ! wine32_installed; then
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
else
  # Debian's /usr/bin/wine prefers the 32-bit loader whenever wine32 is installed; on
  # a machine that cannot execute it, that breaks every Wine call, 64-bit ones too.
  # The tests name the 64-bit loader themselves, but a wine32 left here would still
  # break a user's own "wine" command: remove it.
  if wine32_installed; then
    echo "install-build-deps: removing wine32:i386 (this machine cannot execute it)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q wine32:i386
  fi
  cat <<MSG
################################################################################
# install-build-deps: this machine CANNOT RUN 32-BIT PROGRAMS.
# A 32-bit probe program failed: ${probe_error:-no exit code 42}
# (the kernel has no IA32 emulation). wine32 is therefore not installed: it
# could not run, and /usr/bin/wine would pick it and fail for 64-bit programs too.
# The x86 otharden.exe is built and import-audited here, but NEVER EXECUTED:
# the x86 end-to-end tests under Wine are SKIPPED on this machine.
################################################################################
MSG
fi
echo "install-build-deps: done"
