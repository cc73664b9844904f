#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 5: the CI run), starting
# from its seed and regression corpus in tests/fuzz/corpus/<target>/, and fails
# if any target crashes, leaks, times out (10 s on one input) or runs out of
# memory (2 GiB). Prints the executions per target.
#
#   cmake --preset native-asan && cmake --build build/native-asan -j2
#   bash tests/fuzz/run-fuzzers.sh [SECONDS] [FUZZERS_TXT] [TARGET...]
#
# FUZZERS_TXT (default build/native-asan/tests/fuzz/fuzzers.txt) is written by
# tests/fuzz/CMakeLists.txt: "name path" per target. TARGET...: only these.
# New inputs the fuzzer finds go to a temporary folder, not into the repository;
# set OTH_FUZZ_WORK=DIR to keep them (DIR/<target>/corpus). A failing input is
# printed and kept in crashes/<target>/ beside FUZZERS_TXT; it belongs in
# corpus/<target>/ once the bug is fixed, as a regression test.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-5}
list=${2:-$here/../../build/native-asan/tests/fuzz/fuzzers.txt}
shift $(( $# < 2 ? $# : 2 ))
only=("$@")

if [[ ! -f $list ]]; then
  echo "run-fuzzers: $list not found; build the fuzz targets first:" >&2
  echo "  cmake --preset native-asan && cmake --build build/native-asan -j2" >&2
  exit 2
fi

# Every corpus folder must belong to a target that is built, or it tests nothing.
# Do not edit this script while it runs: bash reads it as it goes.
status=0
shopt -s nullglob
for dir in "$here"/corpus/*/; do
  name=$(basename "$dir")
  if ! grep -q "^$name " "$list"; then
    echo "run-fuzzers: corpus/$name has no fuzz target in $list (add otharden_add_fuzzer($name ...))" >&2
    status=1
  fi
done

work=${OTH_FUZZ_WORK:-}
if [[ -z $work ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

declare -a summary
while read -r name binary; do
  [[ -z $name ]] && continue
  if [[ ${#only[@]} -gt 0 && ! " ${only[*]} " == *" $name "* ]]; then continue; fi
  mkdir -p "$work/$name/corpus"
  log="$work/$name/fuzz.log"
  dict=()
  [[ -f $here/dicts/$name.dict ]] && dict=(-dict="$here/dicts/$name.dict")
  echo "=== fuzz $name: ${seconds}s"
  # The writable corpus first: libFuzzer adds new inputs to the first folder.
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      "${dict[@]}" -artifact_prefix="$work/$name/" \
      "$work/$name/corpus" "$here/corpus/$name" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [[ $rc -ne 0 ]]; then
    tail -n 60 "$log"
    # Keep the input that failed beside fuzzers.txt (the work folder may be temporary).
    keep=$(dirname "$list")/crashes/$name
    mkdir -p "$keep"
    inputs=$(ls "$work/$name"/crash-* "$work/$name"/leak-* "$work/$name"/timeout-* "$work/$name"/oom-* 2>/dev/null)
    for input in $inputs; do
      cp "$input" "$keep/"
      echo "--- $(basename "$input") ($(wc -c <"$input") bytes), first 256 bytes:"
      head -c 256 "$input" | od -A d -c | head -n 20
    done
    echo "=== fuzz $name: FAILED (exit $rc) after ${execs:-?} executions; input kept in $keep/"
    summary+=("$name: FAILED (exit $rc) after ${execs:-?} executions")
    status=1
  else
    summary+=("$name: ok, ${execs:-?} executions in ${seconds}s")
  fi
done <"$list"

echo "=== fuzz summary"
printf '  %s\n' "${summary[@]}"
if [[ ${#summary[@]} -eq 0 ]]; then
  echo "run-fuzzers: no target ran" >&2
  exit 1
fi
exit $status
