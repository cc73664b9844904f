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
#   4. the wineserver is stopped (-k flushes the registry files).
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
                   wine_version, if any); repeatable. Defaults: otharden.exe probe.exe;
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
known_keys=" description arch version build current_build csd sp sp_minor product product_name
 edition_id buildlab buildlabex ntoskrnl syswow64_ntoskrnl computer dns_hostname dns_domain
 wine_version package "
known_keys=" $(printf '%s' "$known_keys" | tr -s '[:space:]' ' ') "
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
    sim_skip "host '$HOSTNAME_' is arch=x86 (a 32-bit 2008 host, WINEARCH=win32 prefix): needs wine32 (i386), which is not installed"
fi
if [ "${H[arch]}" = x64 ]; then
    TC=x86_64-w64-mingw32; WINEARCH_=win64
else
    TC=i686-w64-mingw32; WINEARCH_=win32
fi
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
    printf 'otharden-sim-base v1 %s %s %s %s\n' "$WINEARCH_" "$("$SIM_WINE" --version 2>/dev/null)" "$inf" "$(id -un)"
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
            sim_wine_env "$tmp"
            export WINEARCH=$WINEARCH_
            # no Mono/Gecko install prompts, no desktop integration
            export WINEDLLOVERRIDES="mscoree=d;mshtml=d;winemenubuilder.exe=d"
            sim_wineserver_stop
            log="$SIM_BUILD/base-${H[arch]}.wineboot.log"
            if ! "$SIM_WINEBOOT" -i >"$log" 2>&1 </dev/null 8>&- 9>&-; then
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
        ( sim_wine_env "$PREFIX"; sim_wineserver_stop )
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
} > "$PREFIX/sim/host.env.tmp"

(
    sim_wine_env "$PREFIX"
    sim_wineserver_stop
    # to a file, never a pipe: processes started by this first one inherit its stdout
    log="$PREFIX/sim/make-host.log"
    sim_wine regedit /S "$PREFIX/sim/host.reg" >"$log" 2>&1 </dev/null || {
        cat "$log" >&2
        sim_die "$SIM_EXIT_ERROR" "regedit /S failed on $PREFIX/sim/host.reg"
    }
    sim_wineserver_stop
) || exit $?

# The registry files are flushed; check that the import really landed.
awk -v want="\"CurrentBuildNumber\"=\"${H[build]}\"" '
    /^\[/ { insec = ($0 ~ /^\[Software\\\\Microsoft\\\\Windows NT\\\\CurrentVersion\]/) }
    insec && $0 == want { found = 1 }
    END { exit found ? 0 : 1 }' "$PREFIX/system.reg" ||
    sim_die "$SIM_EXIT_ERROR" "CurrentBuildNumber=${H[build]} not found in $PREFIX/system.reg after import"
mv "$PREFIX/sim/host.env.tmp" "$PREFIX/sim/host.env"
sim_unlock 9

sim_log "$HOSTNAME_ ready in $(sim_elapsed "$t_start")s at $PREFIX (base $base_state, $copy_mode copy)"
