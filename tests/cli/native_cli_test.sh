#!/usr/bin/env bash
# The native (Linux) build's command line: usage errors, bad policy files and
# the refusal to "check" a host that is not Windows, with their exit codes.
set -u
exe=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect CODE PATTERN -- COMMAND...: runs COMMAND, checks its exit code and that
# its combined output matches the extended regex PATTERN.
expect() {
  local want=$1 pattern=$2
  shift 3
  local out code
  out=$("$@" 2>&1)
  code=$?
  if [[ $code -ne $want ]] || ! grep -Eq -- "$pattern" <<<"$out"; then
    echo "FAIL: $* -> exit $code (want $want), output:"
    sed 's/^/    /' <<<"$out"
    echo "    (expected to match: $pattern)"
    failures=$((failures + 1))
  else
    echo "ok:   $* -> exit $code"
  fi
}

expect 0 '^target: native$' -- "$exe" version
expect 0 '^otharden [0-9]+\.[0-9]+\.[0-9]+$' -- "$exe" --version
expect 2 'usage: otharden <command>' -- "$exe"
expect 2 "'chek' is not a command. Did you mean 'check'\?" -- "$exe" chek
expect 2 "the required argument for option '--policy' is missing" -- "$exe" check --policy
expect 2 "--format must be 'text' or 'xml', not 'json'" -- "$exe" check --format json
expect 0 'output format' -- "$exe" check --help

# The native build finds the repository's policy but refuses to inspect Linux.
expect 4 'native \(non-Windows\) build of otharden; it cannot inspect' -- "$exe" check
expect 4 'cannot inspect this host' -- "$exe" check --policy "$src/policies/esu-6003.xml"

# Bad policy files: exit 2, naming the file and line.
printf '<policy format="1" name="x">\n  <title>t</title>\n  <os version="6.0"\n</policy>\n' >"$tmp/broken.xml"
expect 2 "$tmp/broken.xml:[0-9]+: not well-formed XML" -- "$exe" check --policy "$tmp/broken.xml"
sed 's/month="2019-05"/month="2019-5"/' "$src/policies/esu-6003.xml" >"$tmp/badmonth.xml"
line=$(grep -n 'month="2019-5"' "$tmp/badmonth.xml" | cut -d: -f1)
expect 2 "$tmp/badmonth.xml:$line: month '2019-5' must look like 2019-04" -- "$exe" check --policy "$tmp/badmonth.xml"
expect 2 "$tmp/none.xml: cannot open file for reading" -- "$exe" check --policy "$tmp/none.xml"
head -c 5000000 /dev/zero | tr '\0' ' ' >"$tmp/huge.xml"
expect 2 "larger than 4194304 bytes; refusing to read it" -- "$exe" check --policy "$tmp/huge.xml"

if [[ $failures -ne 0 ]]; then
  echo "$failures native CLI check(s) failed"
  exit 1
fi
echo "all native CLI checks passed"
