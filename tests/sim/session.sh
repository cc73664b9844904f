#!/usr/bin/env bash
# session.sh - otharden 2008 host SIMULATOR: keep ONE session ("boot") of a simulated host
# open across several commands, e.g. apply, check the SCM state, roll back, check again.
#
#   tests/sim/session.sh begin [--max-seconds N] PREFIXDIR
#   tests/sim/session.sh end PREFIXDIR
#   tests/sim/session.sh status PREFIXDIR
#
# begin   stops whatever runs in the prefix, boots it (as run-in-host.sh does: wineboot,
#         services.exe autostart, computer name, simulated services into their described
#         state) with a persistent wineserver, and records the session in
#         PREFIXDIR/sim/session.open. Until `end`, run-in-host.sh and service-state.sh run
#         inside this session instead of booting afresh, and leave it running.
#         A watchdog ends the session after N seconds (default 1800, or
#         $SIM_SESSION_MAX_SECONDS) in case a test forgets `end`.
# end     stops the session's wineserver and every process in it (wineserver -k flushes
#         system.reg/user.reg) and removes the record. Without an open session it only
#         makes sure nothing runs in the prefix. Always call it (trap ... EXIT).
# status  prints "open ..." and exits 0, or prints "closed" and exits 1.
#
# Exit: 0 ok; 1 status: closed; 2 bad usage or a session is already open;
#       125 simulator failure (prefix not made by make-host.sh, boot failed, ...).
# Environment: SIM_WINEDEBUG, SIM_SESSION_MAX_SECONDS.
set -euo pipefail
SIM_PROG=session
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
    echo "usage: session.sh begin [--max-seconds N] PREFIXDIR | end PREFIXDIR | status PREFIXDIR" >&2
    exit "$SIM_EXIT_USAGE"
}

[ $# -ge 2 ] || usage
cmd=$1; shift
max=${SIM_SESSION_MAX_SECONDS:-1800}
watchdog_id=""
case "$cmd" in
    begin)
        while [ $# -gt 1 ]; do
            case "$1" in
                --max-seconds) [ $# -ge 3 ] || usage; max=$2; shift 2 ;;
                --max-seconds=*) max=${1#*=}; shift ;;
                *) usage ;;
            esac
        done
        [[ "$max" =~ ^[0-9]+$ ]] && [ "$max" -gt 0 ] || sim_die "$SIM_EXIT_USAGE" "--max-seconds must be a positive number"
        ;;
    end|status) ;;
    _watchdog)   # internal: _watchdog ID SECONDS PREFIXDIR (started by begin)
        [ $# -eq 3 ] || usage
        watchdog_id=$1; max=$2; shift 2
        ;;
    *) usage ;;
esac
[ $# -eq 1 ] || usage
PREFIX=$1
case "$PREFIX" in /*) ;; *) PREFIX="$(pwd)/$PREFIX" ;; esac
PREFIX=${PREFIX%/}
[ -f "$PREFIX/sim/host.env" ] && [ -f "$PREFIX/system.reg" ] ||
    sim_die "$SIM_EXIT_ERROR" "$PREFIX is not a simulated host (run make-host.sh first)"
# shellcheck disable=SC1091
. "$PREFIX/sim/host.env"
sim_need_wine
MARKER=$(sim_session_marker "$PREFIX")

case "$cmd" in
    status)
        if [ -f "$MARKER" ]; then
            SIM_SESSION_ID=""; SIM_SESSION_STARTED=0
            # shellcheck disable=SC1090
            . "$MARKER"
            sim_wine_env "$PREFIX"
            if pid=$(sim_wineserver_pid); then
                echo "open id=$SIM_SESSION_ID since=$(date -u -d "@$SIM_SESSION_STARTED" +%Y-%m-%dT%H:%M:%SZ) wineserver=$pid"
                exit 0
            fi
            echo "closed (stale record: the wineserver of session $SIM_SESSION_ID is gone; run session.sh end)"
            exit 1
        fi
        echo closed
        exit 1
        ;;

    _watchdog)
        sleep "$max"
        sim_lock "$PREFIX.lock" 9
        [ -f "$MARKER" ] || exit 0
        SIM_SESSION_ID=""
        # shellcheck disable=SC1090
        . "$MARKER"
        [ "$SIM_SESSION_ID" = "$watchdog_id" ] || exit 0
        sim_wine_env "$PREFIX"
        sim_wineserver_stop
        rm -f "$MARKER"
        echo "session $watchdog_id ended by its watchdog after ${max}s (session.sh end was not called)" >> "$PREFIX/sim/session.log"
        exit 0
        ;;

    end)
        sim_lock "$PREFIX.lock" 9
        sim_wine_env "$PREFIX"
        if [ -f "$MARKER" ]; then
            sim_session_close "$PREFIX"
            sim_log "session in $PREFIX ended"
        else
            sim_wineserver_stop
            sim_log "no open session in $PREFIX (nothing runs there now)"
        fi
        exit 0
        ;;

    begin)
        t0=$(sim_now_ms)
        sim_lock "$PREFIX.lock" 9
        sim_wine_env "$PREFIX"
        if [ -f "$MARKER" ]; then
            if sim_wineserver_pid >/dev/null; then
                sim_die "$SIM_EXIT_USAGE" "a session is already open in $PREFIX (session.sh end first)"
            fi
            sim_log "removing the record of a session whose wineserver is gone"
            sim_session_close "$PREFIX"
        fi
        sim_wineserver_stop
        if ! sim_session_boot "$PREFIX"; then
            sim_session_close "$PREFIX"
            sim_die "$SIM_EXIT_ERROR" "could not start a session in $PREFIX (see $PREFIX/sim/session.log)"
        fi
        server=$(sim_wineserver_pid) || {
            sim_session_close "$PREFIX"
            sim_die "$SIM_EXIT_ERROR" "no wineserver found for $PREFIX after the boot"
        }
        id="$(date +%s)-$$"
        # The watchdog: its own process group (setsid), no inherited descriptors (a test
        # runner waiting for our pipes must not wait for it), ended by `end` by its id.
        setsid bash "$SIM_DIR/session.sh" _watchdog "$id" "$max" "$PREFIX" </dev/null >/dev/null 2>&1 8>&- 9>&- &
        watchdog=$!
        {
            echo "# otharden 2008 host SIMULATOR - open session (session.sh begin); shell syntax"
            printf 'SIM_SESSION_ID=%q\n' "$id"
            printf 'SIM_SESSION_STARTED=%q\n' "$(date +%s)"
            printf 'SIM_SESSION_MAX_SECONDS=%q\n' "$max"
            printf 'SIM_SESSION_WINESERVER=%q\n' "$server"
            printf 'SIM_SESSION_WATCHDOG=%q\n' "$watchdog"
        } > "$MARKER.tmp"
        mv -f "$MARKER.tmp" "$MARKER"
        sim_log "session open in $PREFIX (boot $(sim_elapsed "$t0")s; ends by itself after ${max}s)"
        exit 0
        ;;
esac
