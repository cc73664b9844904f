#!/usr/bin/env bash
# Commands that change the host (apply, rollback) check elevation FIRST: not
# elevated, they exit 4 before reading any file, and say how to run elevated.
# The native build's IsElevated is "effective uid 0", so this runs otharden as
# an unprivileged user (setpriv, from root) and as root. Commands that change
# nothing on the host (plan, verify, keygen, version) need no elevation.
#   privileges_test.sh OTHARDEN src-dir
set -u
exe=$(readlink -f "$1")
src=$(readlink -f "$2")
. "$(dirname "$0")/../lib/expect.sh"

if [[ $(id -u) -eq 0 ]]; then
  # nobody (65534) must be able to run the binary and read the sources.
  unprivileged=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
  if ! "${unprivileged[@]}" test -x "$exe" -a -r "$src/policies/esu-6003.xml"; then
    echo "################################################################################"
    echo "# privileges SKIPPED: uid 65534 cannot read $exe or $src (folder permissions)."
    echo "################################################################################"
    exit 77
  fi
else
  unprivileged=()
fi
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
profile=$src/tests/e2e/profiles/services-lockdown.xml
elevate_hint="run it elevated: right-click run.cmd or a command prompt and choose 'Run as administrator'"

# Not elevated: exit 4, the command named, how to elevate; checked before any
# file is read (a missing profile or journal is not even looked at).
expect 4 "'otharden apply' changes services and the firewall and needs an elevated administrator" -- \
  "${unprivileged[@]}" "$exe" apply --profile "$profile" --no-report --yes
expect 4 "$elevate_hint" -- "${unprivileged[@]}" "$exe" apply --profile "$profile" --no-report --yes
expect 4 "'otharden apply' .* needs an elevated administrator" -- \
  "${unprivileged[@]}" "$exe" apply --profile "$tmp/missing.xml" --no-report --yes
expect 4 "'otharden rollback' changes services and the firewall and needs an elevated administrator" -- \
  "${unprivileged[@]}" "$exe" rollback --journal "$tmp/missing.journal"
expect 4 "$elevate_hint" -- "${unprivileged[@]}" "$exe" rollback --journal "$tmp/missing.journal"

# Usage errors still come first (exit 2), elevated or not.
expect 2 "unrecognised option|unknown option|not a known option|unrecognized option" -- \
  "${unprivileged[@]}" "$exe" apply --bogus

# Read-only commands run unprivileged: plan reads the profile and then meets the
# native build's "not Windows" (exit 4), not an elevation refusal.
out=$("${unprivileged[@]}" "$exe" plan --profile "$profile" 2>&1); code=$?
if [[ $code -eq 4 ]] && grep -q 'native (non-Windows) build' <<<"$out" && ! grep -q 'elevated' <<<"$out"; then
  ok "plan unprivileged: no elevation needed (exit 4 only for the native build)"
else
  bad "plan unprivileged: exit $code:"; sed 's/^/    | /' <<<"$out"
fi
expect 0 '^target: native$' -- "${unprivileged[@]}" "$exe" version
mkdir "$tmp/user" && [[ $(id -u) -eq 0 ]] && chown 65534:65534 "$tmp/user"
expect 0 'public key' -- "${unprivileged[@]}" "$exe" keygen --out "$tmp/user/k" --unencrypted

# Elevated (root): apply and rollback get past the elevation check to the next
# problem: the native build cannot change a host, a missing journal is named.
if [[ $(id -u) -eq 0 ]]; then
  out=$("$exe" apply --profile "$profile" --no-report --yes 2>&1); code=$?
  if [[ $code -eq 4 ]] && ! grep -q 'needs an elevated' <<<"$out"; then
    ok "apply as root passes the elevation check (then: $(head -1 <<<"$out"))"
  else
    bad "apply as root: exit $code:"; sed 's/^/    | /' <<<"$out"
  fi
  expect 2 "$tmp/missing.journal" -- "$exe" rollback --journal "$tmp/missing.journal"
fi
finish "privileges"
