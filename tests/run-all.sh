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
t_all=$SECONDS
# Every Wine test has its own simulated host (prefix), so tests run in parallel;
# the win64 end-to-end suite, the long pole, runs in the background while the
# other presets build and test (it waits on Wine and its simulated services
# about half of the time). Nothing in a test may depend on how fast the machine is.
jobs=${OTHARDEN_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}

# build PRESET: configure and build; prints why on failure. Writes
# build/PRESET.result ("build failed" / "configure failed") on failure.
build() {
  local preset=$1 t0=$SECONDS
  rm -f "build/$preset.result" "build/$preset.times"
  echo "=== $preset: configure and build"
  if ! cmake --preset "$preset" >"build/$preset.configure.log" 2>&1; then
    cat "build/$preset.configure.log"
    echo "=== $preset: configure FAILED"
    echo "configure failed" >"build/$preset.result"
    return 1
  fi
  rm -f "build/$preset.configure.log"
  if ! cmake --build --preset "$preset" -j "$jobs"; then
    echo "=== $preset: build FAILED"
    echo "build failed" >"build/$preset.result"
    return 1
  fi
  echo "$((SECONDS - t0)) s build" >"build/$preset.times"
}

# run_tests PRESET: its CTest suite, output to build/PRESET.ctest.log; the
# outcome to build/PRESET.result.
run_tests() {
  local preset=$1 t0=$SECONDS rc=0
  ctest --preset "$preset" -j "$jobs" >"build/$preset.ctest.log" 2>&1 || rc=$?
  echo "$(cat "build/$preset.times"), $((SECONDS - t0)) s tests" >"build/$preset.times"
  if [[ $rc -eq 0 ]]; then echo "all tests passed" >"build/$preset.result"
  else echo "tests FAILED" >"build/$preset.result"; fi
}

# report PRESET: the CTest output, and every skipped test with its reason (CTest
# hides the output of skipped tests; a skip must be seen).
report() {
  local preset=$1 skipped
  [[ -f build/$preset.ctest.log ]] || return 0
  echo "=== $preset: tests"
  cat "build/$preset.ctest.log"
  if grep -q 'Skipped' "build/$preset.ctest.log"; then
    skipped=$(grep -E '^[[:space:]]+[0-9]+ - .*\(Skipped\)' "build/$preset.ctest.log" | sed -E 's/^[[:space:]]*[0-9]+ - //; s/ \(Skipped\)//' | xargs)
    echo "################################################################################"
    echo "# $preset: SKIPPED tests: $skipped"
    grep -h '^# ' "build/$preset/Testing/Temporary/LastTest.log" | awk '!seen[$0]++'
    echo "################################################################################"
    echo "SKIPPED $skipped (see the banner above for why)" >"build/$preset.skipped"
  fi
}

rm -f build/*.ctest.log build/*.skipped
win64_tests=""
if build win64; then
  echo "=== win64: tests started in the background (output below, at the end)"
  run_tests win64 &
  win64_tests=$!
fi
for preset in native win32 native-asan; do
  build "$preset" || continue
  echo "=== $preset: test"
  run_tests "$preset"
  report "$preset"
done
if [[ -n $win64_tests ]]; then
  wait "$win64_tests"
  report win64
fi

status=0
echo
echo "=== summary ($((SECONDS - t_all)) s in all; the win64 tests ran beside the other presets)"
for preset in native win64 win32 native-asan; do
  result=$(cat "build/$preset.result" 2>/dev/null || echo "not run")
  [[ $result == "all tests passed" ]] || status=1
  echo "  $preset: $result ($(cat "build/$preset.times" 2>/dev/null || echo "-"))"
  [[ -f build/$preset.skipped ]] && echo "  $preset: $(cat "build/$preset.skipped")"
done
exit $status
