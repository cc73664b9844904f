# Shared helpers for the shell tests (source it; bash).
#   expect CODE PATTERN -- COMMAND...   runs COMMAND; passes when it exits CODE and
#                                       its combined output matches the extended
#                                       regex PATTERN (on any line; '' matches all)
#   ok TEXT / bad TEXT                  count a pass / a failure
#   finish NAME                         prints "NAME: N passed, N failed"; returns 1 on failures
passed=0
failures=0

ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failures=$((failures + 1)); }

expect() {
  local want=$1 pattern=$2
  shift 3
  local out code
  out=$("$@" 2>&1)
  code=$?
  if [[ $code -eq $want ]] && grep -Eq -- "$pattern" <<<"$out"; then
    ok "$* -> exit $code"
  else
    bad "$* -> exit $code (want $want), output:"
    sed 's/^/    | /' <<<"$out"
    echo "    (expected to match: $pattern)"
  fi
}

finish() {
  echo "$1: $passed passed, $failures failed"
  [[ $failures -eq 0 ]]
}
