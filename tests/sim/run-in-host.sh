#!/usr/bin/env bash
# run-in-host.sh - otharden 2008 host SIMULATOR: run a Windows executable in a simulated
# host prefix made by make-host.sh, as if on that 2008 host.
#
#   tests/sim/run-in-host.sh PREFIXDIR EXE [ARGS...]
#
# - EXE is a Linux path to a PE file (or, if no such file exists, a name/path Wine resolves
#   inside the prefix, such as cmd.exe or 'C:\windows\system32\reg.exe').
# - stdin/stdout/stderr pass through; the exit status is EXE's exit status.
# - Each run is its own "boot": the prefix's wineserver is stopped before and after, and
#   runs on the same prefix are serialised with a lock (PREFIXDIR.lock), so tests are
#   isolated and the registry files are flushed when this returns.
#   Exception: while a session is open (tests/sim/session.sh begin PREFIXDIR), EXE runs in
#   that session and the wineserver is left running (still serialised by the lock).
# - At session start the computer name is re-applied (Wine's wineboot resets it from the
#   Unix host name on every session start), and simulated services are started/stopped
#   into the state the host description gives (Wine itself starts only auto services).
# - 32-bit EXEs need wine32 (i386). Without it Wine runs nothing, prints nothing and exits
#   with status 0; this script refuses instead and exits 77 (SKIP) with a loud message.
#
# Exit: EXE's status; 2 bad usage; 77 SKIP (cannot run this EXE here); 125 simulator failure.
# Environment: SIM_WINEDEBUG (default -all), SIM_HAVE_WINE32=0/1 (override detection).
set -euo pipefail
SIM_PROG=run-in-host
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

if [ $# -lt 2 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
    echo "usage: run-in-host.sh PREFIXDIR EXE [ARGS...]" >&2
    exit "$SIM_EXIT_USAGE"
fi
PREFIX=$1; shift
EXE=$1; shift
case "$PREFIX" in /*) ;; *) PREFIX="$(pwd)/$PREFIX" ;; esac
PREFIX=${PREFIX%/}
[ -f "$PREFIX/sim/host.env" ] && [ -f "$PREFIX/system.reg" ] ||
    sim_die "$SIM_EXIT_ERROR" "$PREFIX is not a simulated host (run make-host.sh first)"
# shellcheck disable=SC1091
. "$PREFIX/sim/host.env"
sim_need_wine

if [ -f "$EXE" ]; then
    case "$EXE" in /*) ;; *) EXE="$(pwd)/$EXE" ;; esac
    exe_arch=$(sim_pe_arch "$EXE")
    case "$exe_arch" in
        x64)
            [ "$SIM_HOST_ARCH" = x64 ] ||
                sim_die "$SIM_EXIT_ERROR" "$EXE is a 64-bit program and host $SIM_HOST is x86 (32-bit Windows cannot run it)"
            ;;
        x86)
            sim_have_wine32 ||
                sim_skip "$(basename "$EXE") is a 32-bit (i386) program and this machine cannot run it under Wine: $(sim_no_wine32_reason)"
            ;;
        *) sim_die "$SIM_EXIT_ERROR" "$EXE is not an x86/x64 PE executable (machine: $exe_arch)" ;;
    esac
elif [[ "$EXE" == */* ]] && [[ "$EXE" != [A-Za-z]:* ]]; then
    sim_die "$SIM_EXIT_ERROR" "no such file: $EXE"
fi

sim_lock "$PREFIX.lock" 9
sim_wine_env "$PREFIX"
# a 32-bit program gets the 32-bit loader (checked above: it runs here)
if [ "${exe_arch:-}" = x86 ]; then SIM_WINE=$SIM_WINE32; export WINELOADER=$SIM_WINE32; fi

if [ -f "$(sim_session_marker "$PREFIX")" ]; then
    # A session opened by session.sh begin: run in it, leave it running (no new boot, no
    # wineserver -k; the registry files are flushed by session.sh end).
    sim_wineserver_pid >/dev/null ||
        sim_die "$SIM_EXIT_ERROR" "the session opened in $PREFIX by session.sh begin has ended (no wineserver; watchdog timeout?): run tests/sim/session.sh end $PREFIX"
    rc=0
    sim_wine "$EXE" "$@" || rc=$?
    exit "$rc"
fi

sim_wineserver_stop                   # nothing left over from an earlier run
trap 'sim_wineserver_stop' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# Start the session ("boot"): wineboot runs with the first process (services.exe starts
# the auto-start services), the simulated computer name is re-applied, and simulated
# services are brought into their described state. See sim_session_boot in lib.sh.
sim_session_boot "$PREFIX" || sim_die "$SIM_EXIT_ERROR" "could not start a session in $PREFIX (see $PREFIX/sim/session.log)"

rc=0
sim_wine "$EXE" "$@" || rc=$?
exit "$rc"
