#!/usr/bin/env bash
# Import audit: every DLL an otharden executable imports must ship with Windows
# Server 2008 SP2, and every imported function must be on the allowlist, whose
# entries each cite Microsoft's documented minimum OS. No UCRT, no api-ms-win-*.
#
#   import_audit.sh OBJDUMP ALLOWLIST EXE...
#
# Prints the import table it checked; exits 1 on anything not allowed.
set -euo pipefail
objdump=$1
allowlist=$2
shift 2

declare -A allowed_dll allowed_fn
# Minimum OS versions that Server 2008 SP2 (NT 6.0) satisfies.
allowed_min_os='^(Windows 2000|Windows XP|Windows Server 2003|Windows Vista / Server 2008)$'
bad_list=0
lineno=0
while IFS= read -r line; do
  lineno=$((lineno + 1))
  [[ -z ${line// /} || $line == \#* ]] && continue
  IFS='|' read -r head min_os source <<<"$line"
  read -r kind dll fn <<<"$head"
  dll=${dll,,}
  case $kind in
    dll) allowed_dll[$dll]=1 ;;
    fn)
      min_os=$(sed 's/^ *//; s/ *$//' <<<"$min_os")
      source=$(sed 's/^ *//; s/ *$//' <<<"$source")
      if [[ ! $min_os =~ $allowed_min_os ]]; then
        echo "$allowlist:$lineno: $dll!$fn: minimum OS '$min_os' is not Server 2008 SP2 or older"
        bad_list=1
      fi
      if [[ -z $source ]]; then
        echo "$allowlist:$lineno: $dll!$fn: no source cited for the minimum OS"
        bad_list=1
      fi
      allowed_fn[$dll!$fn]=1
      ;;
    *) echo "$allowlist:$lineno: unknown entry '$kind'"; bad_list=1 ;;
  esac
done <"$allowlist"
[[ $bad_list -eq 0 ]] || exit 1

failures=0
for exe in "$@"; do
  echo "== $exe ($(stat -c %s "$exe") bytes)"
  # objdump -p prints, per DLL: "DLL Name: X" then a header line, then one line
  # per import: "<vma> <hint> <name>" (or an ordinal), ending with a blank line.
  imports=$("$objdump" -p "$exe" | awk '
    /^\tDLL Name: / { dll = $3; next }
    dll != "" && /^$/ { dll = ""; next }
    dll != "" && /vma:/ { next }
    dll != "" && NF >= 3 { print dll "!" $3; next }
    dll != "" && NF == 2 { print dll "!ordinal:" $2 }')
  if [[ -z $imports ]]; then
    echo "   no imports found: is this a PE executable?"
    failures=$((failures + 1))
    continue
  fi
  dlls=$(cut -d'!' -f1 <<<"$imports" | sort -fu)
  for dll in $dlls; do
    echo "   $dll: $(grep -ci "^$dll!" <<<"$imports") functions"
    lower=${dll,,}
    if [[ $lower == api-ms-win-* || $lower == ucrtbase* || $lower == vcruntime* || $lower == msvcp* ]]; then
      echo "   NOT ALLOWED: $dll is not on a stock Server 2008 SP2 (UCRT / API sets need later updates)"
      failures=$((failures + 1))
    elif [[ -z ${allowed_dll[$lower]:-} ]]; then
      echo "   NOT ALLOWED: $dll is not listed as shipping with Server 2008 SP2"
      failures=$((failures + 1))
    fi
  done
  while IFS= read -r entry; do
    dll=${entry%%!*}
    fn=${entry#*!}
    if [[ -z ${allowed_fn[${dll,,}!$fn]:-} ]]; then
      echo "   NOT ALLOWED: $dll!$fn is not on the allowlist ($allowlist); check its minimum OS on"
      echo "                learn.microsoft.com and add it with the citation, or stop using it"
      failures=$((failures + 1))
    fi
  done <<<"$imports"
done

if [[ $failures -ne 0 ]]; then
  echo "import audit: $failures problem(s)"
  exit 1
fi
echo "import audit: all imports ship with Server 2008 SP2"
