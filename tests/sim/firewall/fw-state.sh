#!/usr/bin/env bash
# fw-state.sh - otharden 2008 host SIMULATOR: the simulated host's firewall state as the
# registry holds it, read with Wine's reg.exe (`reg query`) - independent of the
# simulator's hnetcfg.dll and of otharden's code.
#
#   tests/sim/firewall/fw-state.sh PREFIXDIR
#
# Output (LF only), profiles first, then every value of FirewallPolicy\FirewallRules in
# the order reg.exe lists them:
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
key='HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy'
cmd="echo @@DomainProfile& reg query $key\\DomainProfile& echo @@StandardProfile& reg query $key\\StandardProfile&"
cmd+=" echo @@PublicProfile& reg query $key\\PublicProfile& echo @@FirewallRules& reg query $key\\FirewallRules"
out=$("$SIM_DIR/run-in-host.sh" "$prefix" cmd /c "$cmd" 2>/dev/null | tr -d '\r') ||
    sim_die "$SIM_EXIT_ERROR" "reg query in $prefix failed"

printf '%s\n' "$out" | awk '
    function hex(s,   i, n) {    # "0x1f" -> 31 (mawk has no strtonum)
        s = tolower(s); sub(/^0x/, "", s); n = 0
        for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
        return n
    }
    function dw(name,   v) { v = val[sec SUBSEP name]; if (v == "") return "missing"; return hex(v) }
    function act(name,   v) { v = dw(name); if (v == "missing") return v; return v ? "block" : "allow" }
    function profile(label, s) {
        sec = s
        printf "profile=%s enabled=%s inbound=%s outbound=%s block_all_inbound=%s notifications_disabled=%s\n",
            label, dw("EnableFirewall"), act("DefaultInboundAction"), act("DefaultOutboundAction"),
            dw("DoNotAllowExceptions"), dw("DisableNotifications")
    }
    /^@@/ { cur = substr($0, 3); next }
    # value lines: 4 spaces, NAME, 4 spaces, TYPE, 4 spaces, DATA (reg.exe layout)
    /^    [^ ]/ {
        line = substr($0, 5)
        if (cur == "FirewallRules") {
            i = index(line, "    REG_SZ    ")
            if (i) { n++; ids[n] = substr(line, 1, i - 1); data[n] = substr(line, i + 14) }
            next
        }
        i = index(line, "    REG_DWORD    ")
        if (i) val[cur SUBSEP substr(line, 1, i - 1)] = substr(line, i + 17)
    }
    END {
        profile("domain", "DomainProfile"); profile("private", "StandardProfile"); profile("public", "PublicProfile")
        printf "rules=%d\n", n
        for (k = 1; k <= n; k++) printf "rule=%s\t%s\n", ids[k], data[k]
    }'
