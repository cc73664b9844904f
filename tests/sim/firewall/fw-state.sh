#!/usr/bin/env bash
# fw-state.sh - otharden 2008 host SIMULATOR: the simulated host's firewall state as the
# registry holds it, read by the simulator's sim_state.exe (RegEnumValueW in the host, one
# process) - independent of the simulator's hnetcfg.dll and of otharden's code.
#
#   tests/sim/firewall/fw-state.sh PREFIXDIR
#
# Output (LF only), profiles first, then every value of FirewallPolicy\FirewallRules,
# sorted by rule id:
#   profile=domain enabled=1 inbound=block outbound=allow block_all_inbound=0 notifications_disabled=0
#   profile=private ...
#   profile=public ...
#   rules=N
#   rule=ID<TAB>RULE-STRING
# A value that is not there reads "missing" (the simulated API then uses the Windows
# default: on / block / allow / 0 / 0). In an open session (session.sh) it shows that
# session; otherwise it boots the host for the query. Exit: 0; 125 simulator failure.
set -euo pipefail
SIM_PROG=fw-state
# shellcheck source=../lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"

[ $# -eq 1 ] || { echo "usage: fw-state.sh PREFIXDIR" >&2; exit "$SIM_EXIT_USAGE"; }
prefix=$1
rc=0
out=$("$SIM_DIR/run-in-host.sh" "$prefix" "$SIM_WIN_DIR\\sim_state.exe" firewall) || rc=$?
# A read is never retried: an incomplete answer is a failure.
[ "$rc" = 0 ] && grep -q '^profile=public ' <<<"$out" && grep -q '^rules=' <<<"$out" ||
    sim_die "$SIM_EXIT_ERROR" "sim_state.exe firewall in $prefix: exit $rc, incomplete answer"
printf '%s\n' "$out"
