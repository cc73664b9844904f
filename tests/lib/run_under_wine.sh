#!/usr/bin/env bash
# Runs a cross-built Catch2 test executable under Wine, and refuses the silent
# false pass: without wine32, Wine "runs" a 32-bit exe by printing nothing and
# exiting 0. Exit 77 (skipped, loudly) when Wine cannot run this exe here.
#   run_under_wine.sh TEST.exe [ARGS...]
set -uo pipefail
exe=$1
shift
arch=$(x86_64-w64-mingw32-objdump -f "$exe" | awk '/file format/ {print $NF}')
if [[ $arch == pei-i386 ]] && ! [[ -e /usr/lib/wine/i386-windows/ntdll.dll ]]; then
  echo "################################################################################"
  echo "# $(basename "$exe") SKIPPED: it is a 32-bit program and wine32 (i386) is not installed."
  echo "################################################################################"
  exit 77
fi
out=$(WINEDEBUG=-all wine "$exe" "$@" 2>&1)
code=$?
printf '%s\n' "$out"
if [[ $code -eq 0 ]] && ! grep -q '^All tests passed' <<<"$out"; then
  echo "run_under_wine: $(basename "$exe") exited 0 without Catch2's 'All tests passed': not a real pass"
  exit 1
fi
exit $code
