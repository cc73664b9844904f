# lib.sh - shared helpers of the otharden 2008 host SIMULATOR (tests/sim).
# Sourced by make-host.sh, run-in-host.sh and selftest.sh; not executable on its own.
#
# The simulator stands in for real Windows Server 2008 hosts in tests: it is Wine 8
# with a crafted prefix. Everything here is test tooling, never product code.
# shellcheck shell=bash disable=SC2034   # variables here are used by the scripts that source it

# Exit codes shared by the simulator scripts (the product uses 0..4, see DESIGN.md):
SIM_EXIT_USAGE=2     # bad usage or bad host description
SIM_EXIT_SKIP=77     # cannot simulate this here (e.g. 32-bit without wine32): SKIP, loudly
SIM_EXIT_ERROR=125   # simulator failure (Wine missing, prefix broken, ...)

SIM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SIM_ROOT=$(cd "$SIM_DIR/../.." && pwd)
SIM_BUILD=${SIM_BUILD_DIR:-$SIM_ROOT/build/sim}
# The Wine loaders, named explicitly: Debian's /usr/bin/wine picks the 32-bit loader
# whenever wine32 is installed, also on a machine whose kernel cannot execute it (then
# every Wine call fails, 64-bit ones too). 64-bit prefixes and programs get the 64-bit
# loader, 32-bit ones the 32-bit loader; sim_wine_env sets SIM_WINE from the prefix.
SIM_WINE64=${SIM_WINE64:-/usr/lib/wine/wine64}
SIM_WINE32=${SIM_WINE32:-/usr/lib/wine/wine}
[ -x "$SIM_WINE64" ] || SIM_WINE64=$(command -v wine64 2>/dev/null || echo /usr/lib/wine/wine64)
SIM_WINE=${SIM_WINE:-$SIM_WINE64}
SIM_WINESERVER=${SIM_WINESERVER:-/usr/lib/wine/wineserver64}
[ -x "$SIM_WINESERVER" ] || SIM_WINESERVER=$(command -v wineserver 2>/dev/null || echo wineserver)

# Executables that get the per-application settings (native ntoskrnl.exe, optional
# Wine Version, the simulated firewall). Extend with make-host.sh --app NAME.exe or
# SIM_APPS="a.exe b.exe".
SIM_DEFAULT_APPS="otharden.exe probe.exe fwprobe.exe"

sim_log()  { printf '%s: %s\n' "${SIM_PROG:-sim}" "$*" >&2; }
sim_die()  { local code=$1; shift; printf '%s: error: %s\n' "${SIM_PROG:-sim}" "$*" >&2; exit "$code"; }
sim_skip() { printf '%s: SKIP: %s\n' "${SIM_PROG:-sim}" "$*" >&2; exit "$SIM_EXIT_SKIP"; }

# Milliseconds since the epoch (GNU date).
sim_now_ms() { date +%s%3N; }
# sim_elapsed START_MS -> "1.234"
sim_elapsed() { local d=$(( $(sim_now_ms) - $1 )); printf '%d.%03d' $((d / 1000)) $((d % 1000)); }

sim_need_wine() {
    [ -x "$SIM_WINE64" ] || sim_die "$SIM_EXIT_ERROR" "the 64-bit Wine loader $SIM_WINE64 not found (install Debian's wine + wine64)"
    command -v "$SIM_WINESERVER" >/dev/null 2>&1 || sim_die "$SIM_EXIT_ERROR" "'$SIM_WINESERVER' not found"
}

# Can this Wine run 32-bit (i386) Windows code?  Debian: only with wine32:i386 installed
# (/usr/lib/wine/wine). Without it, a 32-bit exe under the wine64 loader starts in
# "experimental wow64 mode", fails to load syswow64\ntdll.dll and exits with status 0
# and NO output - a silent false pass, which is why callers must check this first.
# Override with SIM_HAVE_WINE32=0/1.
# The 32-bit loader must also *run*: on a kernel without IA32 emulation (the machines
# this project builds on, FACTS.md) wine32 may be installed and still fail with "Exec
# format error". The answer is cached in SIM_HAVE_WINE32 (exported).
sim_have_wine32() {
    if [ -z "${SIM_HAVE_WINE32:-}" ]; then
        SIM_HAVE_WINE32=0
        if [ -x "$SIM_WINE32" ] && "$SIM_WINE32" --version >/dev/null 2>&1; then SIM_HAVE_WINE32=1; fi
        export SIM_HAVE_WINE32
    fi
    [ "$SIM_HAVE_WINE32" = 1 ]
}
# Why 32-bit programs cannot run here, for SKIP messages.
sim_no_wine32_reason() {
    if [ ! -x "$SIM_WINE32" ]; then
        echo "wine32 (i386, $SIM_WINE32) is not installed"
    else
        echo "$SIM_WINE32 does not run on this machine ($("$SIM_WINE32" --version 2>&1 | head -1)): its kernel cannot execute 32-bit programs"
    fi
}

# PE machine of a Windows executable: prints x64, x86, arm64 or unknown.
sim_pe_arch() {
    local f=$1 off mz machine
    mz=$(od -An -N2 -tx1 "$f" 2>/dev/null | tr -d ' \n')
    [ "$mz" = 4d5a ] || { echo unknown; return; }
    off=$(od -An -j60 -N4 -tu4 "$f" 2>/dev/null | tr -d ' \n')
    [ -n "$off" ] || { echo unknown; return; }
    machine=$(od -An -j$((off + 4)) -N2 -tx2 "$f" 2>/dev/null | tr -d ' \n')
    case "$machine" in
        8664) echo x64 ;;
        014c) echo x86 ;;
        aa64) echo arm64 ;;
        *) echo unknown ;;
    esac
}

# Environment for every Wine call on prefix $1: quiet, headless, no desktop integration.
# The loader follows the prefix's architecture: $2 (x64|x86), else SIM_HOST_ARCH (host.env).
sim_wine_env() {
    export WINEPREFIX=$1
    if [ "${2:-${SIM_HOST_ARCH:-x64}}" = x86 ]; then SIM_WINE=$SIM_WINE32; else SIM_WINE=$SIM_WINE64; fi
    export WINELOADER=$SIM_WINE WINESERVER=$SIM_WINESERVER
    export WINEDEBUG=${SIM_WINEDEBUG:--all}
    unset DISPLAY WAYLAND_DISPLAY WINEARCH WINELOADERNOEXEC
    # winemenubuilder would write .desktop files under $HOME; it is also disabled in the
    # base prefix registry, this covers prefixes made some other way.
    export WINEDLLOVERRIDES=${SIM_WINEDLLOVERRIDES-winemenubuilder.exe=d}
    # SIM_FIREWALL_API=wine: this run gets Wine's own hnetcfg.dll (no firewall API: E_NOTIMPL)
    # even for the apps with the simulated firewall - the environment beats the per-app key.
    if [ "${SIM_FIREWALL_API:-}" = wine ]; then
        export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:+$WINEDLLOVERRIDES;}hnetcfg=b"
    fi
}

# Run wine / wineserver without the lock descriptors (8, 9): a wineserver started by
# the call would otherwise inherit them and keep a lock after the script is done.
sim_wine()       { "$SIM_WINE" "$@" 7>&- 8>&- 9>&-; }
sim_wineserver() { "$SIM_WINESERVER" "$@" 7>&- 8>&- 9>&-; }

# Stop the wineserver of the current WINEPREFIX (if any) and every process in it;
# -k makes the server write system.reg/user.reg before it exits (verified, Wine 8.0).
sim_wineserver_stop() {
    sim_wineserver -k >/dev/null 2>&1 || true
    sim_wineserver -w >/dev/null 2>&1 || true
}

# sim_lock FILE FD: take an exclusive lock on FILE through file descriptor FD (a number
# 3..9); held until sim_unlock FD or exit. Without flock(1) it only warns.
sim_lock() {
    mkdir -p "$(dirname "$1")"
    eval "exec $2>\"\$1\""
    if command -v flock >/dev/null 2>&1; then
        flock "$2"
    else
        sim_log "warning: flock(1) not found, no locking around $1"
    fi
}
sim_unlock() { eval "exec $1>&-"; }

# ---------------------------------------------------------------------------------------
# Simulated services and sessions (see README "Services" and "Sessions")
# ---------------------------------------------------------------------------------------
# Inside a simulated host everything of the simulator lives in C:\otharden-sim
# (drive_c/otharden-sim): sim_service.exe (the one executable behind every simulated
# service), sim_scm.exe (the SCM helper), install.txt, logs\<service>.log and
# logs\violations.log.
SIM_WIN_DIR='C:\otharden-sim'
SIM_PREFIX_DIR=drive_c/otharden-sim

# sim_build_service_tools x64|x86: build (once per source/compiler version) sim_service.exe,
# sim_scm.exe and sim_state.exe (the state reader, tests/sim/state) under
# $SIM_BUILD/service/<arch>-<hash>/ and set SIM_SERVICE_EXE, SIM_SCM_EXE and SIM_STATE_EXE. Static, -D_WIN32_WINNT=0x0600; imports KERNEL32, ADVAPI32, msvcrt only.
sim_build_service_tools() {
    local arch=$1 tc key dir work f
    if [ "$arch" = x64 ]; then tc=x86_64-w64-mingw32; else tc=i686-w64-mingw32; fi
    command -v "$tc-gcc" >/dev/null 2>&1 || sim_die "$SIM_EXIT_ERROR" "$tc-gcc not found (install gcc-mingw-w64)"
    key=$( { cat "$SIM_DIR/service/sim_service.c" "$SIM_DIR/service/sim_scm.c" "$SIM_DIR/state/sim_state.c"
             "$tc-gcc" --version | head -1; } | md5sum | cut -c1-12)
    dir="$SIM_BUILD/service/$arch-$key"
    SIM_SERVICE_EXE="$dir/sim_service.exe"
    SIM_SCM_EXE="$dir/sim_scm.exe"
    SIM_STATE_EXE="$dir/sim_state.exe"
    [ -f "$SIM_SERVICE_EXE" ] && [ -f "$SIM_SCM_EXE" ] && [ -f "$SIM_STATE_EXE" ] && return 0
    mkdir -p "$SIM_BUILD/service"
    # tests run in parallel: one build at a time (fd 7), the others use its result
    exec 7>"$SIM_BUILD/service/.build.lock"
    flock 7
    if [ -f "$SIM_SERVICE_EXE" ] && [ -f "$SIM_SCM_EXE" ] && [ -f "$SIM_STATE_EXE" ]; then exec 7>&-; return 0; fi
    work=$(mktemp -d "$SIM_BUILD/service/tmp.XXXXXX")
    for f in service/sim_service service/sim_scm state/sim_state; do
        "$tc-gcc" -O1 -Wall -Wextra -municode -static -s -D_WIN32_WINNT=0x0600 -DWINVER=0x0600 \
            -o "$work/${f#*/}.exe" "$SIM_DIR/$f.c" >"$work/${f#*/}.log" 2>&1 || {
            cat "$work/${f#*/}.log" >&2; rm -rf "$work"
            sim_die "$SIM_EXIT_ERROR" "cannot build tests/sim/$f.c"
        }
    done
    mkdir -p "$dir"
    mv -f "$work/sim_service.exe" "$work/sim_scm.exe" "$work/sim_state.exe" "$dir/"
    rm -rf "$work"
    exec 7>&-
}

# Pid of the wineserver of the current WINEPREFIX (Linux /proc scan), or nothing.
sim_wineserver_pid() {
    local p comm
    for p in /proc/[0-9]*; do
        comm=$(cat "$p/comm" 2>/dev/null) || continue
        case "$comm" in wineserver*) ;; *) continue ;; esac
        if tr '\0' '\n' 2>/dev/null < "$p/environ" | grep -qxF "WINEPREFIX=$WINEPREFIX"; then
            echo "${p#/proc/}"
            return 0
        fi
    done
    return 1
}

# Marker of an open session (session.sh begin ... end); shell syntax.
sim_session_marker() { printf '%s/sim/session.open' "$1"; }

# sim_session_close PREFIX: end an open session (if any): stop its watchdog (a process
# session.sh started, by its process group id) and the wineserver, remove the marker.
# Needs sim_wine_env PREFIX. The caller holds PREFIX.lock.
sim_session_close() {
    local marker SIM_SESSION_WATCHDOG=""
    marker=$(sim_session_marker "$1")
    if [ -f "$marker" ]; then
        # shellcheck disable=SC1090
        . "$marker"
        if [ -n "$SIM_SESSION_WATCHDOG" ] && [ "$SIM_SESSION_WATCHDOG" -gt 1 ] 2>/dev/null; then
            kill -- "-$SIM_SESSION_WATCHDOG" 2>/dev/null || true
        fi
    fi
    sim_wineserver_stop
    rm -f "$marker"
}

# sim_session_boot PREFIX: start a session ("boot") in PREFIX: a persistent wineserver
# (`wineserver -p`: it lives until `wineserver -k`. Service processes do not keep a
# wineserver alive: without -p (default 3 s) services.exe and every running service are
# gone a few seconds after the last ordinary process exits - tested, Wine 8.0),
# the first process (wineboot: services.exe starts every
# auto-start service; then regedit re-applies sim/session.reg, the computer name), then -
# for hosts with simulated services - sim_scm.exe ensure brings every simulated service
# into its described state (SIM_HOST_SERVICES_ENSURE from host.env: stops first,
# dependents before dependencies, then starts, dependencies first).
# All output goes to PREFIX/sim/session.log (never to a pipe: the system processes
# started here inherit it). Needs sim_wine_env PREFIX and host.env sourced.
sim_session_boot() {
    local prefix=$1 log="$1/sim/session.log"
    sim_wineserver -p >/dev/null 2>&1 || true
    if ! sim_wine regedit /S "$prefix/sim/session.reg" >"$log" 2>&1 </dev/null; then
        cat "$log" >&2
        sim_log "could not start a session in $prefix"
        return 1
    fi
    if [ -n "${SIM_HOST_SERVICES_ENSURE:-}" ]; then
        # shellcheck disable=SC2086   # the list is NAME=state words
        if ! sim_wine "$SIM_WIN_DIR\\sim_scm.exe" ensure $SIM_HOST_SERVICES_ENSURE >>"$log" 2>&1 </dev/null; then
            cat "$log" >&2
            sim_log "could not bring the simulated services of $prefix into their described state"
            return 1
        fi
    fi
    return 0
}

# The simulated firewall (Windows Firewall COM API stand-in): firewall/firewall.sh.
# shellcheck source=firewall/firewall.sh
. "$SIM_DIR/firewall/firewall.sh"
