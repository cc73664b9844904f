#!/usr/bin/env bash
# service-state.sh - otharden 2008 host SIMULATOR: what a simulated host's services look
# like, read independently of otharden: the Start value from the registry and the running
# state from the service control manager (QueryServiceStatusEx), both by one run of the
# simulator's sim_state.exe inside the host.
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

# One Windows process: sim_state.exe (tests/sim/state/sim_state.c) reads the Start
# values from the registry and the states from the SCM, in this session.
args=(services "$@")
[ "$long" = 1 ] && args=(--long "${args[@]}")
rc=0
out=$("$SIM_DIR/run-in-host.sh" "$PREFIX" "$SIM_WIN_DIR\\sim_state.exe" "${args[@]}") || rc=$?
# A read is never retried: an answer with the wrong number of lines is a failure.
[ "$rc" -le 1 ] && [ "$(printf '%s\n' "$out" | grep -c .)" -eq $# ] ||
    sim_die "$SIM_EXIT_ERROR" "sim_state.exe in $PREFIX: exit $rc, $(printf '%s\n' "$out" | grep -c .) lines for $# services"
printf '%s\n' "$out"
exit "$rc"
