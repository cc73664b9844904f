#!/usr/bin/env bash
# service-state.sh - otharden 2008 host SIMULATOR: what a simulated host's services look
# like, read independently of otharden: the Start value with Wine's `reg query` and the
# running state with Wine's `sc query` (the service control manager's own answer).
#
#   tests/sim/service-state.sh [--long] PREFIXDIR NAME...
#   tests/sim/service-state.sh --violations PREFIXDIR
#
# One line per NAME, in the order given, LF line ends (Wine's CRLF stripped):
#   NAME start=<auto|demand|disabled|boot|system> state=<running|stopped|start_pending|stop_pending|paused|...>
# --long appends: delayed=<0|1> depends=<A,B|-> exit=<WIN32_EXIT_CODE>
#   (delayed = registry value DelayedAutostart; depends = registry DependOnService)
# A service that does not exist: "NAME start=missing state=missing" (and exit 1).
#
# Inside an open session (session.sh begin) it reads that session's state; otherwise it
# boots the host afresh for the query (run-in-host.sh), i.e. it shows the state after a
# reboot.
#
# --violations prints logs\violations.log of the prefix (things the simulated services did
# that Windows would have refused, e.g. a service stopped while a dependent was running);
# exit 0 when there are none, 1 otherwise. Delete
# PREFIXDIR/drive_c/otharden-sim/logs/violations.log to start afresh.
#
# Exit: 0 ok; 1 a service is missing / violations found; 2 bad usage; 125 simulator failure.
set -euo pipefail
SIM_PROG=service-state
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
    echo "usage: service-state.sh [--long] PREFIXDIR NAME... | --violations PREFIXDIR" >&2
    exit "$SIM_EXIT_USAGE"
}
long=0
case "${1:-}" in
    --violations)
        [ $# -eq 2 ] || usage
        f="${2%/}/$SIM_PREFIX_DIR/logs/violations.log"
        [ -f "$2/sim/host.env" ] || sim_die "$SIM_EXIT_ERROR" "$2 is not a simulated host"
        if [ -s "$f" ]; then tr -d '\r' < "$f"; exit 1; fi
        exit 0
        ;;
    --long) long=1; shift ;;
    -h|--help) usage ;;
esac
[ $# -ge 2 ] || usage
PREFIX=$1; shift
for n in "$@"; do
    [[ "$n" =~ ^[A-Za-z0-9_.-]{1,256}$ ]] || sim_die "$SIM_EXIT_USAGE" "bad service name '$n'"
done

# One Windows process for everything: cmd runs reg and sc in turn. For a few names, one
# reg query per service key is faster than the whole Services tree.
if [ $# -le 4 ]; then
    line=""
    for n in "$@"; do line+="${line:+ & }reg query HKLM\System\CurrentControlSet\Services\\$n"; done
else
    line='reg query HKLM\System\CurrentControlSet\Services /s'
fi
for n in "$@"; do line+=" & sc query $n"; done
out=$("$SIM_DIR/run-in-host.sh" "$PREFIX" cmd /c "$line" 2>/dev/null | tr -d '\r') || true
[ -n "$out" ] || sim_die "$SIM_EXIT_ERROR" "no output from reg/sc in $PREFIX"

printf '%s\n' "$out" | awk -v long="$long" -v names="$*" '
    BEGIN { n = split(names, want, " ") }
    # reg query /s: key lines, then "    NAME    TYPE    DATA" value lines
    /^HKEY_LOCAL_MACHINE\\/ {
        key = ""
        if (match(tolower($0), /^hkey_local_machine\\system\\currentcontrolset\\services\\[^\\]+$/)) {
            key = tolower(substr($0, length("HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\") + 1))
            exists[key] = 1
        }
        next
    }
    key != "" && /^    [^ ]/ {
        split(substr($0, 5), f, /    /)
        v = substr($0, 5 + length(f[1]) + 4 + length(f[2]) + 4)
        reg[key, tolower(f[1])] = v
        next
    }
    /^SERVICE_NAME: / { svc = tolower(substr($0, 15)); next }
    /^ +STATE +: / && svc != "" { st[svc] = tolower($4); next }
    /^ +WIN32_EXIT_CODE +: / && svc != "" { ex[svc] = $3; next }
    END {
        bad = 0
        for (i = 1; i <= n; i++) {
            k = tolower(want[i])
            if (!(k in exists)) { print want[i] " start=missing state=missing"; bad = 1; continue }
            s = reg[k, "start"]
            if (s == "0x0") s = "boot"; else if (s == "0x1") s = "system"; else if (s == "0x2") s = "auto"
            else if (s == "0x3") s = "demand"; else if (s == "0x4") s = "disabled"
            else if (s == "") s = "missing"; else s = "unknown:" s
            state = (k in st) ? st[k] : "missing"
            if (state == "missing") bad = 1
            line = want[i] " start=" s " state=" state
            if (long) {
                d = reg[k, "delayedautostart"]; d = (d == "0x1") ? 1 : 0
                dep = reg[k, "dependonservice"]; gsub(/\\0/, ",", dep); sub(/,+$/, "", dep)
                if (dep == "") dep = "-"
                line = line " delayed=" d " depends=" dep " exit=" ((k in ex) ? ex[k] : "-")
            }
            print line
        }
        exit bad
    }'
