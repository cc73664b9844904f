#!/usr/bin/env bash
# Every test otharden has, from a fresh Debian bookworm machine:
#   bash tests/run-all.sh
# Installs the build dependencies (Debian packages), builds the native, win64
# and win32 presets, and runs each preset's CTest suite:
#   native  unit tests (Catch2) and the native command line
#   win64   win32-backend tests under Wine, import audit, end-to-end tests of
#           otharden.exe on simulated 2008 hosts (Wine prefixes: a simulator)
#   win32   the same for the x86 executable (Wine tests need wine32)
#   native-asan  the native suite again, built with clang under AddressSanitizer
#           and UndefinedBehaviorSanitizer (any finding fails the test), and a
#           few seconds of each libFuzzer target in tests/fuzz (fuzz-smoke)
set -uo pipefail
cd "$(dirname "$0")/.."

bash cmake/install-build-deps.sh || exit 1

mkdir -p build
status=0
declare -a summary
for preset in native win64 win32 native-asan; do
  echo "=== $preset: configure and build"
  if ! cmake --preset "$preset" >"build/$preset.configure.log" 2>&1; then
    cat "build/$preset.configure.log"
    echo "=== $preset: configure FAILED"
    summary+=("$preset: configure failed")
    status=1
    continue
  fi
  rm -f "build/$preset.configure.log"
  if ! cmake --build --preset "$preset"; then
    echo "=== $preset: build FAILED"
    summary+=("$preset: build failed")
    status=1
    continue
  fi
  echo "=== $preset: test"
  ctest --preset "$preset" 2>&1 | tee "build/$preset.ctest.log"
  if [[ ${PIPESTATUS[0]} -eq 0 ]]; then
    summary+=("$preset: all tests passed")
  else
    summary+=("$preset: tests FAILED")
    status=1
  fi
  # CTest hides the output of skipped tests; a skip must be seen, with its reason.
  if grep -q 'Skipped' "build/$preset.ctest.log"; then
    skipped=$(grep -E '^[[:space:]]+[0-9]+ - .*\(Skipped\)' "build/$preset.ctest.log" | sed -E 's/^[[:space:]]*[0-9]+ - //; s/ \(Skipped\)//' | xargs)
    echo "################################################################################"
    echo "# $preset: SKIPPED tests: $skipped"
    grep -h '^# ' "build/$preset/Testing/Temporary/LastTest.log" | awk '!seen[$0]++'
    echo "################################################################################"
    summary+=("$preset: SKIPPED $skipped (see the banner above for why)")
  fi
done

echo
echo "=== summary"
printf '  %s\n' "${summary[@]}"
exit $status
