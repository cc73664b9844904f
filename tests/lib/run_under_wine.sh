#!/usr/bin/env bash
# Runs a cross-built Catch2 test executable under Wine, and refuses the silent
# false pass: without wine32, Wine "runs" a 32-bit exe by printing nothing and
# exiting 0. Exit 77 (skipped, loudly) when Wine cannot run this exe here.
#   run_under_wine.sh TEST.exe [ARGS...]
set -uo pipefail
exe=$1
shift
# The loaders and sim_have_wine32 (tests/sim/lib.sh): the loader is named by word size,
# never /usr/bin/wine (it picks wine32 when installed, even where it cannot run).
SIM_PROG=run_under_wine . "$(cd "$(dirname "${BASH_SOURCE[0]}")/../sim" && pwd)/lib.sh"
arch=$(x86_64-w64-mingw32-objdump -f "$exe" | awk '/file format/ {print $NF}')
loader=$SIM_WINE64
if [[ $arch == pei-i386 ]]; then
  if ! sim_have_wine32; then
    echo "################################################################################"
    echo "# $(basename "$exe") SKIPPED: it is a 32-bit program and $(sim_no_wine32_reason)."
    echo "################################################################################"
    exit 77
  fi
  loader=$SIM_WINE32
fi
out=$(WINEDEBUG=-all WINESERVER=$SIM_WINESERVER "$loader" "$exe" "$@" 2>&1)
code=$?
printf '%s\n' "$out"
if [[ $code -eq 0 ]] && ! grep -q '^All tests passed' <<<"$out"; then
  echo "run_under_wine: $(basename "$exe") exited 0 without Catch2's 'All tests passed': not a real pass"
  exit 1
fi
exit $code
