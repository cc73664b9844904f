#!/usr/bin/env bash
# make-host.sh - otharden 2008 host SIMULATOR: build a Wine prefix that stands in for a
# Windows Server 2008 host described by a tests/sim/hosts/*.host file.
#
#   tests/sim/make-host.sh [--app NAME.exe]... HOSTFILE PREFIXDIR
#
# It is a SIMULATOR for tests, not a Windows: see tests/sim/README.md for what is and
# is not faithful. Steps:
#   1. a base prefix per architecture is created once with wineboot under
#      build/sim/base-<arch> (cached; rebuilt when the Wine version changes) and copied
#      (hard links for the immutable PE/NLS files, real copies for everything else);
#   2. the description is applied with regedit /S from a generated .reg file:
#      Windows NT\CurrentVersion (64- and 32-bit views), ProductOptions\ProductType,
#      Control\Windows\CSDVersion, computer name, CBS packages, per-app Wine settings;
#   3. a resource-only PE with the described VERSIONINFO becomes
#      C:\windows\system32\ntoskrnl.exe (x64 hosts: a different revision in syswow64),
#      loaded only by the apps listed (otharden.exe, probe.exe, --app ..., $SIM_APPS)
#      through HKCU\Software\Wine\AppDefaults\<app>\DllOverrides "ntoskrnl.exe"="native";
#   4. simulated services (`service=` lines): sim_service.exe and sim_scm.exe (built from
#      tests/sim/service/, cached under build/sim/service) are copied to C:\otharden-sim
#      and every service is created in Wine's SCM with CreateServiceW (sim_scm.exe
#      install), replacing a Wine service of the same name (never a protected one);
#   5. simulated firewall (`firewall*` lines, tests/sim/firewall/firewall.sh): the local
#      store is seeded and the simulator's hnetcfg.dll replaces system32\hnetcfg.dll, loaded
#      only by the per-app executables ("hnetcfg"="native"; globally "builtin");
#   6. the wineserver is stopped (-k flushes the registry files).
#
# Exit: 0 ready; 2 bad usage / bad host file; 77 SKIP (x86 host needs wine32, which is
# not installed); 125 simulator failure. PREFIXDIR is replaced if it is empty or was
# made by this script; anything else is refused.
set -euo pipefail
SIM_PROG=make-host
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
    cat >&2 <<'EOF'
usage: make-host.sh [--app NAME.exe]... HOSTFILE PREFIXDIR
  Builds a Wine prefix simulating the 2008 host described in HOSTFILE.
  --app NAME.exe   also give NAME.exe the native ntoskrnl.exe override (and the host's
                   wine_version, if any, and the simulated firewall); repeatable.
                   Defaults: otharden.exe probe.exe fwprobe.exe;
                   more from $SIM_APPS (space separated).
  Environment: SIM_BUILD_DIR (cache, default <repo>/build/sim), SIM_COPY_MODE=link|copy,
               SIM_WINEDEBUG (default -all).
EOF
    exit "$SIM_EXIT_USAGE"
}

apps=()
while [ $# -gt 0 ]; do
    case "$1" in
        --app) [ $# -ge 2 ] || usage; apps+=("$2"); shift 2 ;;
        --app=*) apps+=("${1#--app=}"); shift ;;
        -h|--help) usage ;;
        --) shift; break ;;
        -*) sim_log "unknown option $1"; usage ;;
        *) break ;;
    esac
done
[ $# -eq 2 ] || usage
HOSTFILE=$1
PREFIX=$2
[ -f "$HOSTFILE" ] || sim_die "$SIM_EXIT_USAGE" "host file not found: $HOSTFILE"
case "$PREFIX" in /*) ;; *) PREFIX="$(pwd)/$PREFIX" ;; esac
PREFIX=${PREFIX%/}
HOSTNAME_=$(basename "$HOSTFILE" .host)
t_start=$(sim_now_ms)

# ---------------------------------------------------------------------------------------
# 1. Parse and validate the host description
# ---------------------------------------------------------------------------------------
declare -A H=()
packages=()
services=()
fw_entries=()      # firewall* lines, validated by sim_fw_describe (firewall/firewall.sh)
known_keys=" description arch version build current_build csd sp sp_minor product product_name
 edition_id buildlab buildlabex ntoskrnl syswow64_ntoskrnl computer dns_hostname dns_domain
 wine_version package service "
known_keys=" $(printf '%s' "$known_keys $SIM_FW_HOST_KEYS" | tr -s '[:space:]' ' ') "
lineno=0
bad() { sim_die "$SIM_EXIT_USAGE" "$HOSTFILE:$lineno: $*"; }
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    line=${line%$'\r'}
    # comments: a line starting with '#', or whitespace followed by '#'
    line=$(printf '%s' "$line" | sed -e 's/^[[:space:]]*#.*$//' -e 's/[[:space:]]#.*$//' \
                                     -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
    [ -n "$line" ] || continue
    case "$line" in *=*) ;; *) bad "expected key=value, got '$line'" ;; esac
    key=${line%%=*}; key=${key%"${key##*[![:space:]]}"}
    val=${line#*=};  val=${val#"${val%%[![:space:]]*}"}
    case "$known_keys" in *" $key "*) ;; *) bad "unknown key '$key'" ;; esac
    if LC_ALL=C printf '%s' "$val" | LC_ALL=C grep -q '[^ -~]'; then
        bad "value of '$key' must be printable ASCII"
    fi
    if [ "$key" = package ]; then
        packages+=("$val")
    elif [ "$key" = service ]; then
        services+=("$lineno:$val")
    elif [[ "$key" == firewall* ]]; then
        fw_entries+=("$lineno:$key=$val")
    else
        [ -z "${H[$key]+x}" ] || bad "duplicate key '$key'"
        H[$key]=$val
    fi
done < "$HOSTFILE"

for k in arch version build sp product ntoskrnl; do
    [ -n "${H[$k]:-}" ] || sim_die "$SIM_EXIT_USAGE" "$HOSTFILE: missing required key '$k'"
done
lineno='-'
case "${H[arch]}" in x64|x86) ;; *) bad "arch must be x64 or x86" ;; esac
[[ "${H[version]}" =~ ^([0-9]+)\.([0-9]+)$ ]] || bad "version must look like 6.0"
[[ "${H[build]}" =~ ^[0-9]+$ ]] || bad "build must be a number"
[[ "${H[sp]}" =~ ^[0-9]+$ ]] && [ "${H[sp]}" -le 255 ] || bad "sp must be 0..255"
: "${H[sp_minor]:=0}"
[[ "${H[sp_minor]}" =~ ^[0-9]+$ ]] && [ "${H[sp_minor]}" -le 255 ] || bad "sp_minor must be 0..255"
: "${H[current_build]:=${H[build]}}"
case "${H[product]}" in
    server) product_type=ServerNT ;;
    workstation) product_type=WinNT ;;
    domain-controller) product_type=LanmanNT ;;
    *) bad "product must be server, workstation or domain-controller" ;;
esac
check_fileversion() {
    [[ "$1" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] || bad "$2 must look like 6.0.6003.20489"
    local i
    for i in 1 2 3 4; do [ "${BASH_REMATCH[$i]}" -le 65535 ] || bad "$2: part > 65535"; done
}
check_fileversion "${H[ntoskrnl]}" ntoskrnl
if [ "${H[arch]}" = x64 ]; then
    # Real x64 Windows has no SysWOW64\ntoskrnl.exe at all; the simulator puts one there on
    # purpose, with another revision, so that a 32-bit process that forgets WOW64 file
    # system redirection reads a WRONG version instead of merely failing.
    : "${H[syswow64_ntoskrnl]:=${H[ntoskrnl]%.*}.11111}"
    [ "${H[syswow64_ntoskrnl]}" = none ] || check_fileversion "${H[syswow64_ntoskrnl]}" syswow64_ntoskrnl
else
    [ -z "${H[syswow64_ntoskrnl]:-}" ] || bad "syswow64_ntoskrnl only makes sense for arch=x64"
fi
if [ -z "${H[csd]+x}" ]; then
    if [ "${H[sp]}" -gt 0 ]; then H[csd]="Service Pack ${H[sp]}"; else H[csd]=""; fi
fi
: "${H[computer]:=SIMHOST}"
[[ "${H[computer]}" =~ ^[A-Za-z0-9-]{1,15}$ ]] || bad "computer must be 1-15 of A-Z a-z 0-9 -"
H[computer]=$(printf '%s' "${H[computer]}" | tr '[:lower:]' '[:upper:]')
: "${H[dns_hostname]:=$(printf '%s' "${H[computer]}" | tr '[:upper:]' '[:lower:]')}"
: "${H[dns_domain]:=}"
if [ -z "${H[product_name]:-}" ]; then
    case "${H[version]}/${H[product]}" in
        6.0/workstation) H[product_name]="Windows Vista (TM) Business" ;;
        6.0/*) H[product_name]="Windows Server (R) 2008 Standard" ;;
        6.1/workstation) H[product_name]="Windows 7 Professional" ;;
        6.1/*) H[product_name]="Windows Server 2008 R2 Standard" ;;
        *) H[product_name]="Windows (simulated ${H[version]})" ;;
    esac
fi
if [ "${H[arch]}" = x64 ]; then pkg_arch=amd64; lab_arch=amd64fre; else pkg_arch=x86; lab_arch=x86fre; fi
: "${H[buildlab]:=${H[build]}.simulated.000101-0000}"
if [ -z "${H[buildlabex]:-}" ]; then
    # BuildLab "6003.vistasp2_ldr_escrow.190320-1700" + ntoskrnl revision ->
    # BuildLabEx "6003.20489.amd64fre.vistasp2_ldr_escrow.190320-1700"
    lab_rest=${H[buildlab]#*.}
    H[buildlabex]="${H[build]}.${H[ntoskrnl]##*.}.${lab_arch}.${lab_rest}"
fi
if [ -n "${H[wine_version]:-}" ]; then
    [[ "${H[wine_version]}" =~ ^[a-z0-9]+$ ]] || bad "wine_version must be a Wine version name such as win2008"
fi

# packages: "KB4493471 0x70 [6.0.1.2]" or "<full package name with ~> 0x70"
pkg_names=(); pkg_states=()
for p in "${packages[@]}"; do
    read -r pname pstate pver extra <<<"$p"
    [ -z "${extra:-}" ] || bad "package: too many fields in '$p'"
    [ -n "${pstate:-}" ] || bad "package: '$p' needs NAME STATE"
    if [[ "$pstate" =~ ^0[xX][0-9a-fA-F]+$ ]]; then pstate_n=$((pstate));
    elif [[ "$pstate" =~ ^[0-9]+$ ]]; then pstate_n=$((10#$pstate));
    else bad "package: bad CurrentState '$pstate'"; fi
    if [[ "$pname" =~ ^KB([0-9]+)$ ]]; then
        kbnum=${BASH_REMATCH[1]}
        # Synthetic but realistically shaped: Package_for_KBn~31bf3856ad364e35~amd64~~6.0.1.N
        : "${pver:=${H[version]}.1.$((10#$kbnum % 10))}"
        [[ "$pver" =~ ^[0-9]+(\.[0-9]+){3}$ ]] || bad "package: bad version '$pver'"
        full="Package_for_${pname}~31bf3856ad364e35~${pkg_arch}~~${pver}"
    elif [[ "$pname" == *~* ]]; then
        [ -z "${pver:-}" ] || bad "package: a full name takes no version field"
        full=${pname//\{arch\}/$pkg_arch}
    else
        bad "package: name must be KBnnnn or a full package name containing '~'"
    fi
    for n in "${pkg_names[@]}"; do [ "$n" != "$full" ] || bad "package: duplicate $full"; done
    pkg_names+=("$full"); pkg_states+=("$pstate_n")
done

# services: "NAME start=auto|demand|disabled state=running|stopped [display="..."]
#            [depends=A,B] [delayed] [refuses-stop] [slow-stop=N] [slow-start=N]
#            [fail-start] [type=own]"
# Wine's own services that a host may not replace (Wine itself needs them).
SIM_PROTECTED_SERVICES=" rpcss plugplay eventlog mountmgr ndis nsiproxy winebus winehid wineusb winmgmt msiserver http "
svc_names=(); svc_start=(); svc_state=(); svc_display=(); svc_deps=(); svc_delayed=()
svc_refuse=(); svc_slow_stop=(); svc_slow_start=(); svc_fail=()
declare -A svc_index=()
declare -A svc_display_seen=()
for entry in "${services[@]}"; do
    lineno=${entry%%:*}
    rest=${entry#*:}
    [[ "$rest" =~ ^([A-Za-z0-9_.-]{1,80})([[:space:]].*)?$ ]] ||
        bad "service: expected a service name (A-Z a-z 0-9 _ . -, at most 80) first, got '$rest'"
    name=${BASH_REMATCH[1]}; rest=${BASH_REMATCH[2]}
    lname=$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')
    [ -z "${svc_index[$lname]+x}" ] || bad "service: duplicate service $name"
    case "$SIM_PROTECTED_SERVICES" in *" $lname "*)
        bad "service: $name is one of Wine's own services the simulator must not replace" ;;
    esac
    s_start=""; s_state=""; s_display=$name; s_deps=""; s_delayed=0; s_refuse=0
    s_slow_stop=0; s_slow_start=0; s_fail=0
    while :; do
        rest=${rest#"${rest%%[![:space:]]*}"}
        [ -n "$rest" ] || break
        if [[ "$rest" =~ ^([a-z-]+)=\"([^\"]*)\"([[:space:]].*)?$ ]] ||
           [[ "$rest" =~ ^([a-z-]+)=([^[:space:]\"]*)([[:space:]].*)?$ ]]; then
            k=${BASH_REMATCH[1]}; v=${BASH_REMATCH[2]}; rest=${BASH_REMATCH[3]}
        elif [[ "$rest" =~ ^([a-z-]+)([[:space:]].*)?$ ]]; then
            k=${BASH_REMATCH[1]}; v=""; rest=${BASH_REMATCH[2]}
            case "$k" in
                delayed|refuses-stop|fail-start) ;;
                start|state|display|depends|slow-stop|slow-start|type) bad "service $name: '$k' needs a value" ;;
                *) bad "service $name: unknown attribute '$k'" ;;
            esac
        else
            bad "service $name: cannot parse '$rest'"
        fi
        case "$k" in
            start) case "$v" in auto|demand|disabled) s_start=$v ;;
                   *) bad "service $name: start must be auto, demand or disabled (boot/system are for drivers)" ;; esac ;;
            state) case "$v" in running|stopped) s_state=$v ;; *) bad "service $name: state must be running or stopped" ;; esac ;;
            display) [ -n "$v" ] || bad "service $name: empty display name"; s_display=$v ;;
            depends) [[ "$v" =~ ^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$ ]] || bad "service $name: depends=NAME[,NAME...]"
                     s_deps=$v ;;
            delayed) s_delayed=1 ;;
            refuses-stop) s_refuse=1 ;;
            fail-start) s_fail=1 ;;
            slow-stop|slow-start)
                [[ "$v" =~ ^[0-9]{1,3}$ ]] && [ "$((10#$v))" -le 120 ] || bad "service $name: $k=SECONDS (0..120)"
                if [ "$k" = slow-stop ]; then s_slow_stop=$((10#$v)); else s_slow_start=$((10#$v)); fi ;;
            type) [ "$v" = own ] || bad "service $name: only type=own (SERVICE_WIN32_OWN_PROCESS) is simulated" ;;
            *) bad "service $name: unknown attribute '$k'" ;;
        esac
    done
    [ -n "$s_start" ] || bad "service $name: start= is required"
    [ -n "$s_state" ] || bad "service $name: state= is required"
    ldisp=$(printf '%s' "$s_display" | tr '[:upper:]' '[:lower:]')
    [ -z "${svc_display_seen[$ldisp]+x}" ] || bad "service $name: display name '$s_display' is used twice (the SCM refuses that)"
    svc_display_seen[$ldisp]=1
    [ "$s_delayed" = 0 ] || [ "$s_start" = auto ] || bad "service $name: delayed needs start=auto"
    if [ "$s_fail" = 1 ] && [ "$s_state" = running ]; then bad "service $name: fail-start and state=running contradict"; fi
    if [ "$s_refuse" = 1 ] && [ "$s_state" = stopped ] && [ "$s_start" = auto ] && [ "$s_delayed" = 0 ]; then
        bad "service $name: refuses-stop + start=auto + state=stopped cannot be simulated (Wine starts it at session start and it cannot be stopped)"
    fi
    svc_index[$lname]=${#svc_names[@]}
    svc_names+=("$name"); svc_start+=("$s_start"); svc_state+=("$s_state"); svc_display+=("$s_display")
    svc_deps+=("$s_deps"); svc_delayed+=("$s_delayed"); svc_refuse+=("$s_refuse")
    svc_slow_stop+=("$s_slow_stop"); svc_slow_start+=("$s_slow_start"); svc_fail+=("$s_fail")
done
lineno='-'
# dependencies: described services only, no cycles; a running service needs running
# dependencies (Windows starts them first). svc_order: dependencies before dependents.
svc_order=()
declare -A svc_mark=()
svc_visit() {
    local i=$1 d ld j
    case "${svc_mark[$i]:-0}" in
        2) return ;;
        1) bad "service ${svc_names[$i]}: circular dependency" ;;
    esac
    svc_mark[$i]=1
    local IFS=,
    for d in ${svc_deps[$i]}; do
        ld=$(printf '%s' "$d" | tr '[:upper:]' '[:lower:]')
        [ -n "${svc_index[$ld]+x}" ] || bad "service ${svc_names[$i]}: depends on $d, which this host does not describe"
        j=${svc_index[$ld]}
        [ "$j" != "$i" ] || bad "service ${svc_names[$i]}: depends on itself"
        if [ "${svc_state[$i]}" = running ] && [ "${svc_state[$j]}" != running ]; then
            bad "service ${svc_names[$i]}: state=running but its dependency $d is state=${svc_state[$j]} (impossible on Windows)"
        fi
        svc_visit "$j"
    done
    svc_mark[$i]=2
    svc_order+=("$i")
}
for i in "${!svc_names[@]}"; do svc_visit "$i"; done
svc_ensure=""
for ((k = ${#svc_order[@]} - 1; k >= 0; k--)); do
    i=${svc_order[$k]}
    if [ "${svc_state[$i]}" = stopped ]; then svc_ensure+="${svc_ensure:+ }${svc_names[$i]}=stopped:${svc_start[$i]}"; fi
done
for i in "${svc_order[@]}"; do
    if [ "${svc_state[$i]}" = running ]; then svc_ensure+="${svc_ensure:+ }${svc_names[$i]}=running:${svc_start[$i]}"; fi
done

sim_fw_describe "${fw_entries[@]}"     # firewall: sets SIM_FW_API, fw_* (firewall/firewall.sh)
lineno='-'

for a in $SIM_DEFAULT_APPS ${SIM_APPS:-}; do apps+=("$a"); done
uniq_apps=()
for a in "${apps[@]}"; do
    [[ "$a" =~ ^[A-Za-z0-9._+-]+$ ]] || sim_die "$SIM_EXIT_USAGE" "bad --app name '$a'"
    case " ${uniq_apps[*]:-} " in *" $a "*) ;; *) uniq_apps+=("$a") ;; esac
done

# ---------------------------------------------------------------------------------------
# 2. Environment checks
# ---------------------------------------------------------------------------------------
sim_need_wine
if [ "${H[arch]}" = x86 ] && ! sim_have_wine32; then
    sim_skip "host '$HOSTNAME_' is arch=x86 (a 32-bit 2008 host, WINEARCH=win32 prefix): needs a working wine32 (i386): $(sim_no_wine32_reason)"
fi
if [ "${H[arch]}" = x64 ]; then
    TC=x86_64-w64-mingw32; WINEARCH_=win64
else
    TC=i686-w64-mingw32; WINEARCH_=win32
fi
# every host gets sim_state.exe (the tests' state reader); service hosts the rest too
sim_build_service_tools "${H[arch]}"     # sets SIM_SERVICE_EXE, SIM_SCM_EXE, SIM_STATE_EXE
for t in "$TC-windres" "$TC-ld" "$TC-objcopy"; do
    command -v "$t" >/dev/null 2>&1 || sim_die "$SIM_EXIT_ERROR" "$t not found (install binutils-mingw-w64 / mingw-w64-tools)"
done
if [ "${H[arch]}" = x64 ] && [ "${H[syswow64_ntoskrnl]}" != none ]; then
    for t in i686-w64-mingw32-windres i686-w64-mingw32-ld i686-w64-mingw32-objcopy; do
        command -v "$t" >/dev/null 2>&1 || sim_die "$SIM_EXIT_ERROR" "$t not found (needed for the syswow64 ntoskrnl.exe)"
    done
fi
mkdir -p "$SIM_BUILD"

# ---------------------------------------------------------------------------------------
# 3. Base prefix (cached per architecture)
# ---------------------------------------------------------------------------------------
base_stamp() {
    local inf=""
    for f in /usr/share/wine/wine.inf /usr/local/share/wine/wine.inf /opt/wine*/share/wine/wine.inf; do
        [ -f "$f" ] && { inf=$(stat -c '%Y' "$f"); break; }
    done
    printf 'otharden-sim-base v1 %s %s %s %s\n' "$WINEARCH_" "$("$SIM_WINE64" --version 2>/dev/null)" "$inf" "$(id -un)"
}
BASE="$SIM_BUILD/base-${H[arch]}"
base_state=cached
want_stamp=$(base_stamp)
if [ "$(cat "$BASE/.sim-base-stamp" 2>/dev/null)" != "$want_stamp" ]; then
    sim_lock "$SIM_BUILD/base-${H[arch]}.lock" 8
    if [ "$(cat "$BASE/.sim-base-stamp" 2>/dev/null)" != "$want_stamp" ]; then
        t_base=$(sim_now_ms)
        tmp="$BASE.tmp.$$"
        rm -rf "$tmp"
        sim_log "creating base prefix $BASE (wineboot, once per architecture; takes a while)"
        (
            sim_wine_env "$tmp" "${H[arch]}"
            export WINEARCH=$WINEARCH_
            # no Mono/Gecko install prompts, no desktop integration
            export WINEDLLOVERRIDES="mscoree=d;mshtml=d;winemenubuilder.exe=d"
            sim_wineserver_stop
            log="$SIM_BUILD/base-${H[arch]}.wineboot.log"
            if ! sim_wine wineboot -i >"$log" 2>&1 </dev/null; then
                cat "$log" >&2
                exit 1
            fi
            sim_wineserver -w
            cat > "$tmp/.sim-base.reg" <<'EOF'
Windows Registry Editor Version 5.00

[HKEY_CURRENT_USER\Software\Wine\DllOverrides]
"winemenubuilder.exe"=""
EOF
            sim_wine regedit /S "$tmp/.sim-base.reg" >>"$log" 2>&1 </dev/null
            sim_wineserver_stop
            rm -f "$tmp/.sim-base.reg"
        ) || { rm -rf "$tmp"; sim_die "$SIM_EXIT_ERROR" "wineboot failed for $BASE"; }
        [ -f "$tmp/system.reg" ] || { rm -rf "$tmp"; sim_die "$SIM_EXIT_ERROR" "wineboot made no system.reg in $tmp"; }
        printf '%s\n' "$want_stamp" > "$tmp/.sim-base-stamp"
        rm -rf "$BASE"
        mv "$tmp" "$BASE"
        base_state="created in $(sim_elapsed "$t_base")s"
        sim_log "base prefix $BASE $base_state"
    fi
    sim_unlock 8
fi

# ---------------------------------------------------------------------------------------
# 4. The host prefix: copy of the base
# ---------------------------------------------------------------------------------------
sim_lock "$PREFIX.lock" 9      # same lock as run-in-host.sh uses for this prefix
if [ -e "$PREFIX" ]; then
    if [ -f "$PREFIX/sim/host.env" ]; then
        ( sim_wine_env "$PREFIX" "${H[arch]}"; sim_session_close "$PREFIX" )
        rm -rf "$PREFIX"
    elif [ -d "$PREFIX" ] && [ -z "$(ls -A "$PREFIX")" ]; then
        rmdir "$PREFIX"
    else
        sim_die "$SIM_EXIT_USAGE" "$PREFIX exists and was not made by make-host.sh; refusing to replace it"
    fi
fi
mkdir -p "$(dirname "$PREFIX")"
# shared lock on the base while copying it: a concurrent rebuild (new Wine version) waits
exec 8>"$SIM_BUILD/base-${H[arch]}.lock"
command -v flock >/dev/null 2>&1 && flock -s 8
[ -f "$BASE/.sim-base-stamp" ] || sim_die "$SIM_EXIT_ERROR" "base prefix $BASE vanished"
copy_mode=${SIM_COPY_MODE:-link}
if [ "$copy_mode" = link ] && cp -al "$BASE" "$PREFIX" 2>/dev/null; then
    # Hard links save ~700 MB and ~3 s per host. Only immutable binaries stay shared;
    # every other file (registry, ini, logs, hosts, ...) becomes a private copy. Tests
    # that must modify a system binary have to replace it (rm + write), never edit it in
    # place - or use SIM_COPY_MODE=copy.
    find "$PREFIX" -type f -links +1 ! \( -iname '*.dll' -o -iname '*.exe' -o -iname '*.sys' \
        -o -iname '*.drv' -o -iname '*.ocx' -o -iname '*.cpl' -o -iname '*.acm' -o -iname '*.tlb' \
        -o -iname '*.ds' -o -iname '*.ax' -o -iname '*.com' -o -iname '*.nls' -o -iname '*.msstyles' \
        -o -iname '*.ttf' -o -iname '*.ttc' -o -iname '*.fon' \) -print0 |
    while IFS= read -r -d '' f; do
        cp -p "$f" "$f.simcopy" && mv -f "$f.simcopy" "$f"
    done
else
    rm -rf "$PREFIX"
    cp -a "$BASE" "$PREFIX"
    copy_mode=copy
fi
sim_unlock 8
rm -f "$PREFIX/.sim-base-stamp"
# never let Wine "update" this prefix (it would reinstall its own ntoskrnl.exe)
echo disable > "$PREFIX/.update-timestamp"
mkdir -p "$PREFIX/sim"
cp "$HOSTFILE" "$PREFIX/sim/host.desc"

mkdir -p "$PREFIX/$SIM_PREFIX_DIR/logs"
cp "$SIM_STATE_EXE" "$PREFIX/$SIM_PREFIX_DIR/"

# Simulated services: the executables and the install list (sim_scm.exe install format:
# NAME TAB START TAB DISPLAY TAB DEPENDS TAB BINPATH TAB DELAYED), plus sim/services.tsv
# for tests (header line first).
if [ ${#svc_names[@]} -gt 0 ]; then
    mkdir -p "$PREFIX/$SIM_PREFIX_DIR/logs"
    cp "$SIM_SERVICE_EXE" "$SIM_SCM_EXE" "$PREFIX/$SIM_PREFIX_DIR/"
    {
        for i in "${!svc_names[@]}"; do
            args=""
            [ "${svc_refuse[$i]}" = 0 ] || args+=" --refuse-stop"
            [ "${svc_slow_stop[$i]}" = 0 ] || args+=" --slow-stop ${svc_slow_stop[$i]}"
            [ "${svc_slow_start[$i]}" = 0 ] || args+=" --slow-start ${svc_slow_start[$i]}"
            [ "${svc_fail[$i]}" = 0 ] || args+=" --fail-start"
            printf '%s\t%s\t%s\t%s\t%s\t%s\r\n' "${svc_names[$i]}" "${svc_start[$i]}" "${svc_display[$i]}" \
                "${svc_deps[$i]:--}" "$SIM_WIN_DIR\\sim_service.exe$args" "${svc_delayed[$i]}"
        done
    } > "$PREFIX/$SIM_PREFIX_DIR/install.txt"
    {
        printf 'name\tstart\tstate\tdelayed\trefuses_stop\tslow_stop\tslow_start\tfail_start\tdepends\tdisplay\n'
        for i in "${!svc_names[@]}"; do
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${svc_names[$i]}" "${svc_start[$i]}" "${svc_state[$i]}" \
                "${svc_delayed[$i]}" "${svc_refuse[$i]}" "${svc_slow_stop[$i]}" "${svc_slow_start[$i]}" \
                "${svc_fail[$i]}" "${svc_deps[$i]:--}" "${svc_display[$i]}"
        done
    } > "$PREFIX/sim/services.tsv"
fi

# ---------------------------------------------------------------------------------------
# 5. ntoskrnl.exe stand-ins: resource-only PE images carrying only a VERSIONINFO
# ---------------------------------------------------------------------------------------
build_ntoskrnl() {  # build_ntoskrnl x64|x86 FILEVERSION OUTFILE
    local arch=$1 ver=$2 out=$3 tc fmt rc key cache
    if [ "$arch" = x64 ]; then tc=x86_64-w64-mingw32; fmt=pe-x86-64; else tc=i686-w64-mingw32; fmt=pe-i386; fi
    local commas=${ver//./,}
    rc=$(cat <<EOF
// otharden 2008 host SIMULATOR: stand-in for ntoskrnl.exe. Resource-only PE image with a
// VERSIONINFO and nothing else (no code, not a kernel). Generated by tests/sim/make-host.sh.
1 VERSIONINFO
FILEVERSION $commas
PRODUCTVERSION $commas
FILEFLAGSMASK 0x3f
FILEFLAGS 0x0
FILEOS 0x40004
FILETYPE 0x1
FILESUBTYPE 0x0
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904B0"
    BEGIN
      VALUE "CompanyName", "Microsoft Corporation"
      VALUE "FileDescription", "NT Kernel & System"
      VALUE "FileVersion", "$ver (${H[buildlab]#*.})"
      VALUE "InternalName", "ntkrnlmp.exe"
      VALUE "LegalCopyright", "(C) Microsoft Corporation. All rights reserved."
      VALUE "OriginalFilename", "ntkrnlmp.exe"
      VALUE "ProductName", "Microsoft (R) Windows (R) Operating System"
      VALUE "ProductVersion", "$ver"
      VALUE "Comments", "otharden 2008 host SIMULATOR stand-in, not a kernel"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
EOF
)
    key=$(printf '%s\n%s\n' "$arch" "$rc" | md5sum | cut -c1-12)
    cache="$SIM_BUILD/ntoskrnl/ntoskrnl-$arch-$ver-$key.exe"
    if [ ! -f "$cache" ]; then
        local work
        work=$(mktemp -d "$SIM_BUILD/ntoskrnl.tmp.XXXXXX")
        printf '%s\n' "$rc" > "$work/ntoskrnl.rc"
        "$tc-windres" -F "$fmt" -O coff -o "$work/ntoskrnl.res.o" "$work/ntoskrnl.rc"
        # -e 0: no entry point; objcopy then drops the linker's empty .text/.idata so
        # that .rsrc is the only section.
        "$tc-ld" --dll -e 0 -s --no-insert-timestamp --subsystem native \
            -o "$work/full.exe" "$work/ntoskrnl.res.o"
        "$tc-objcopy" --remove-section .text --remove-section .idata "$work/full.exe" "$work/ntoskrnl.exe"
        mkdir -p "$SIM_BUILD/ntoskrnl"
        mv "$work/ntoskrnl.exe" "$cache.tmp.$$" && mv -f "$cache.tmp.$$" "$cache"
        rm -rf "$work"
    fi
    rm -f "$out"                   # break the hard link to the base prefix first
    cp "$cache" "$out"
}
build_ntoskrnl "${H[arch]}" "${H[ntoskrnl]}" "$PREFIX/drive_c/windows/system32/ntoskrnl.exe"
# the firewall simulator's hnetcfg.dll (hosts with firewall lines; firewall/firewall.sh)
sim_fw_install "$PREFIX" "${H[arch]}"
if [ "${H[arch]}" = x64 ] && [ "${H[syswow64_ntoskrnl]}" != none ]; then
    mkdir -p "$PREFIX/drive_c/windows/syswow64"
    build_ntoskrnl x86 "${H[syswow64_ntoskrnl]}" "$PREFIX/drive_c/windows/syswow64/ntoskrnl.exe"
fi

# ---------------------------------------------------------------------------------------
# 6. Registry
# ---------------------------------------------------------------------------------------
q() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
dw() { printf 'dword:%08x' "$1"; }

cv_values() {
    printf '"CurrentVersion"=%s\n' "$(q "${H[version]}")"
    printf '"CurrentBuildNumber"=%s\n' "$(q "${H[build]}")"
    printf '"CurrentBuild"=%s\n' "$(q "${H[current_build]}")"
    if [ -n "${H[csd]}" ]; then printf '"CSDVersion"=%s\n' "$(q "${H[csd]}")"; else echo '"CSDVersion"=-'; fi
    printf '"BuildLab"=%s\n' "$(q "${H[buildlab]}")"
    printf '"BuildLabEx"=%s\n' "$(q "${H[buildlabex]}")"
    printf '"ProductName"=%s\n' "$(q "${H[product_name]}")"
    if [ -n "${H[edition_id]:-}" ]; then printf '"EditionID"=%s\n' "$(q "${H[edition_id]}")"; fi
    echo '"CurrentType"="Multiprocessor Free"'
    # Wine prefers these DWORDs over CurrentVersion when both exist; NT 6.0 has none of
    # them (nor UBR), so make sure they are absent.
    echo '"CurrentMajorVersionNumber"=-'
    echo '"CurrentMinorVersionNumber"=-'
    echo '"UBR"=-'
}

session_reg() {
    # Wine's wineboot rewrites the computer name from the Unix host name at the start of
    # every wineserver session, so run-in-host.sh re-applies this file each time.
    cat <<EOF
Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName]
"ComputerName"=$(q "${H[computer]}")

[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ActiveComputerName]
"ComputerName"=$(q "${H[computer]}")

[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters]
"Hostname"=$(q "${H[dns_hostname]}")
"NV Hostname"=$(q "${H[dns_hostname]}")
"Domain"=$(q "${H[dns_domain]}")
"NV Domain"=$(q "${H[dns_domain]}")

EOF
}
session_reg > "$PREFIX/sim/session.reg"

{
    echo 'Windows Registry Editor Version 5.00'
    echo
    echo '; otharden 2008 host SIMULATOR - generated by tests/sim/make-host.sh from'
    echo "; $HOSTNAME_.host. Applied with regedit /S (64-bit regedit: 64-bit registry view)."
    echo
    echo '[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion]'
    cv_values
    echo
    if [ "${H[arch]}" = x64 ]; then
        # 32-bit processes are redirected here; Wine 8's 32-bit ntdll also reads its
        # registry version from here. Real 2008 x64 has the values in both views.
        echo '[HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\Windows NT\CurrentVersion]'
        cv_values
        echo
    fi
    echo '[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ProductOptions]'
    printf '"ProductType"=%s\n\n' "$(q "$product_type")"
    echo '[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Windows]'
    printf '"CSDVersion"=%s\n\n' "$(dw $(( (H[sp] << 8) | H[sp_minor] )))"
    # RtlGetVersion must come from the registry above: no global Wine version setting.
    echo '[HKEY_CURRENT_USER\Software\Wine]'
    echo '"Version"=-'
    echo
    for a in "${uniq_apps[@]}"; do
        echo "[HKEY_CURRENT_USER\\Software\\Wine\\AppDefaults\\$a]"
        if [ -n "${H[wine_version]:-}" ]; then
            printf '"Version"=%s\n' "$(q "${H[wine_version]}")"
        else
            echo '"Version"=-'
        fi
        echo
        echo "[HKEY_CURRENT_USER\\Software\\Wine\\AppDefaults\\$a\\DllOverrides]"
        echo '"ntoskrnl.exe"="native"'
        sim_fw_app_reg                 # "hnetcfg"="native" when the firewall is simulated
        echo
    done
    cbs='HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing'
    echo "[$cbs]"
    echo
    echo "[$cbs\\Packages]"
    echo
    for i in "${!pkg_names[@]}"; do
        n=${pkg_names[$i]}
        echo "[$cbs\\Packages\\$n]"
        printf '"CurrentState"=%s\n' "$(dw "${pkg_states[$i]}")"
        echo '"Visibility"=dword:00000001'
        printf '"InstallName"=%s\n' "$(q "$n.mum")"
        echo '"InstallClient"="WindowsUpdateAgent"'
        echo '"InstallUser"="S-1-5-18"'
        echo
    done
    if [ ${#svc_names[@]} -gt 0 ]; then
        # Wine's services.exe starts DelayedAutostart=1 services AutoStartDelay ms after
        # its autostart (default 120000, like Windows' ~2 min). The simulator starts the
        # delayed services that must run itself at session start; 24 h keeps Wine from
        # changing anything by itself during a session.
        echo '[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control]'
        printf '"AutoStartDelay"=%s\n\n' "$(dw 86400000)"
    fi
    sim_fw_host_reg
    session_reg | sed 1d
} > "$PREFIX/sim/host.reg"

{
    echo "# otharden 2008 host SIMULATOR - parsed host description (generated; shell syntax)"
    echo "SIM_HOST=$(printf '%q' "$HOSTNAME_")"
    for k in $(printf '%s\n' "${!H[@]}" | sort); do
        printf 'SIM_HOST_%s=%q\n' "$(printf '%s' "$k" | tr '[:lower:]' '[:upper:]')" "${H[$k]}"
    done
    printf 'SIM_HOST_PRODUCT_TYPE_STRING=%q\n' "$product_type"
    printf 'SIM_HOST_APPS=%q\n' "${uniq_apps[*]}"
    # space-separated NAME=0xSTATE (package names never contain spaces or '=')
    pk=""
    for i in "${!pkg_names[@]}"; do pk+="${pk:+ }${pkg_names[$i]}=0x$(printf '%x' "${pkg_states[$i]}")"; done
    printf 'SIM_HOST_PACKAGES=%q\n' "$pk"
    printf 'SIM_HOST_SERVICES=%q\n' "${svc_names[*]:-}"
    # what sim_session_boot passes to sim_scm.exe ensure at every session start
    printf 'SIM_HOST_SERVICES_ENSURE=%q\n' "$svc_ensure"
    sim_fw_host_env
} > "$PREFIX/sim/host.env.tmp"

(
    sim_wine_env "$PREFIX" "${H[arch]}"
    sim_wineserver_stop
    # to a file, never a pipe: processes started by this first one inherit its stdout
    log="$PREFIX/sim/make-host.log"
    sim_wine regedit /S "$PREFIX/sim/host.reg" >"$log" 2>&1 </dev/null || {
        cat "$log" >&2
        sim_die "$SIM_EXIT_ERROR" "regedit /S failed on $PREFIX/sim/host.reg"
    }
    if [ ${#svc_names[@]} -gt 0 ]; then
        # CreateServiceW through Wine's SCM (services.exe writes the registry keys)
        sim_wine "$SIM_WIN_DIR\\sim_scm.exe" install "$SIM_WIN_DIR\\install.txt" \
            >"$PREFIX/sim/install.log" 2>&1 </dev/null || {
            cat "$PREFIX/sim/install.log" >&2
            sim_die "$SIM_EXIT_ERROR" "could not create the simulated services (sim_scm.exe install)"
        }
    fi
    sim_wineserver_stop
) || exit $?

# The registry files are flushed; check that the import really landed.
awk -v want="\"CurrentBuildNumber\"=\"${H[build]}\"" '
    /^\[/ { insec = ($0 ~ /^\[Software\\\\Microsoft\\\\Windows NT\\\\CurrentVersion\]/) }
    insec && $0 == want { found = 1 }
    END { exit found ? 0 : 1 }' "$PREFIX/system.reg" ||
    sim_die "$SIM_EXIT_ERROR" "CurrentBuildNumber=${H[build]} not found in $PREFIX/system.reg after import"
# Every simulated service must be in the flushed registry with its Start value.
for i in "${!svc_names[@]}"; do
    case "${svc_start[$i]}" in auto) sv=2 ;; demand) sv=3 ;; disabled) sv=4 ;; esac
    awk -v key="[System\\\\\\\\CurrentControlSet\\\\\\\\Services\\\\\\\\${svc_names[$i]}]" -v want="\"Start\"=dword:0000000$sv" '
        /^\[/ { insec = (tolower($1) == tolower(key)) }
        insec && $0 == want { found = 1 }
        END { exit found ? 0 : 1 }' "$PREFIX/system.reg" ||
        sim_die "$SIM_EXIT_ERROR" "service ${svc_names[$i]}: Start=$sv not found in $PREFIX/system.reg after sim_scm.exe install"
done
if [ ${#svc_names[@]} -gt 0 ]; then
    replaced=$(sed -n 's/^service=\([^ ]*\) install=replaced.*/\1/p' "$PREFIX/sim/install.log" | tr -d '\r' | tr '\n' ' ')
    printf 'SIM_HOST_SERVICES_REPLACED=%q\n' "${replaced% }" >> "$PREFIX/sim/host.env.tmp"
    [ -z "$replaced" ] || sim_log "$HOSTNAME_: replaced Wine's own service(s): ${replaced% }"
fi
sim_fw_verify "$PREFIX"
mv "$PREFIX/sim/host.env.tmp" "$PREFIX/sim/host.env"
sim_unlock 9

sim_log "$HOSTNAME_ ready in $(sim_elapsed "$t_start")s at $PREFIX (base $base_state, $copy_mode copy)"
