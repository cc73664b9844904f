#!/usr/bin/env bash
# selftest.sh - proves that the otharden 2008 host SIMULATOR builds what each host
# description says. For every tests/sim/hosts/*.host (or the names given):
#   make-host.sh -> build/sim/hosts/NAME, then run-in-host.sh runs probe.exe (64-bit and,
#   when wine32 exists, 32-bit) and every line it prints is compared with the description.
#
#   tests/sim/selftest.sh [NAME|FILE.host ...]     (default: every tests/sim/hosts/*.host)
#
# Exit: 0 all checks passed (skipped parts are reported loudly as SKIP); 1 a mismatch;
# 125 the simulator itself failed. Runs headless, as root or not, with CI=true.
set -uo pipefail
SIM_PROG=selftest
# shellcheck source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

t_all=$(sim_now_ms)
fails=0
skips=()
checks=0
note() { printf 'selftest: %s\n' "$*"; }
fail() { printf 'selftest: FAIL [%s] %s\n' "$cur" "$*"; fails=$((fails + 1)); }

# ---- probe binaries ------------------------------------------------------------------
PROBE_DIR="$SIM_BUILD/probe"
mkdir -p "$PROBE_DIR/x64" "$PROBE_DIR/x86" "$PROBE_DIR/plain"
CFLAGS="-O1 -Wall -Wextra -municode -D_WIN32_WINNT=0x0600 -DWINVER=0x0600"
command -v x86_64-w64-mingw32-gcc >/dev/null || sim_die "$SIM_EXIT_ERROR" "x86_64-w64-mingw32-gcc not found"
# shellcheck disable=SC2086
x86_64-w64-mingw32-gcc $CFLAGS -o "$PROBE_DIR/x64/probe.exe" "$SIM_DIR/probe.c" -lversion ||
    sim_die "$SIM_EXIT_ERROR" "cannot build the 64-bit probe"
# same program under a name that has NO per-app override: must see Wine's own ntoskrnl
cp "$PROBE_DIR/x64/probe.exe" "$PROBE_DIR/plain/no-override.exe"
have_probe32=0
if command -v i686-w64-mingw32-gcc >/dev/null; then
    # shellcheck disable=SC2086
    i686-w64-mingw32-gcc $CFLAGS -o "$PROBE_DIR/x86/probe.exe" "$SIM_DIR/probe.c" -lversion &&
        have_probe32=1
fi

# ---- expectations -------------------------------------------------------------------
# expect FILE KEY VALUE: the probe output FILE must contain exactly "KEY=VALUE"
expect() {
    local file=$1 key=$2 want=$3 got
    checks=$((checks + 1))
    if ! got=$(awk -v k="$key=" 'index($0, k) == 1 { print substr($0, length(k) + 1); f = 1; exit }
                               END { exit !f }' "$file"); then
        fail "$key: missing from probe output (want '$want')"
        return
    fi
    [ "$got" = "$want" ] || fail "$key: got '$got', want '$want'"
}
expect_missing() {  # the value must be reported as absent (<missing:2> = ERROR_FILE_NOT_FOUND)
    expect "$1" "$2" "<missing:2>"
}

# Wine's built-in version table (Wine 8.0 dlls/ntdll/version.c), used when a host sets
# wine_version: major minor build csd sp product_type
wine_table() {
    case "$1" in
        win2008)   echo "6 0 6002 Service_Pack_2 2 3" ;;
        vista)     echo "6 0 6002 Service_Pack_2 2 1" ;;
        win2008r2) echo "6 1 7601 Service_Pack_1 1 3" ;;
        win7)      echo "6 1 7601 Service_Pack_1 1 1" ;;
        *)         echo "" ;;
    esac
}

check_probe() {  # check_probe OUTFILE BITS(64|32)
    local out=$1 bits=$2 want_major want_minor want_build want_csd want_sp want_pt
    local ptype
    case "$SIM_HOST_PRODUCT" in server) ptype=3 ;; workstation) ptype=1 ;; domain-controller) ptype=2 ;; esac
    want_major=${SIM_HOST_VERSION%.*}; want_minor=${SIM_HOST_VERSION#*.}
    want_build=$SIM_HOST_BUILD; want_csd=$SIM_HOST_CSD; want_sp=$SIM_HOST_SP; want_pt=$ptype
    if [ -n "${SIM_HOST_WINE_VERSION:-}" ]; then
        local row
        row=$(wine_table "$SIM_HOST_WINE_VERSION")
        if [ -z "$row" ]; then
            fail "no expectation for wine_version=$SIM_HOST_WINE_VERSION in selftest.sh"
        else
            read -r want_major want_minor want_build want_csd want_sp want_pt <<<"$row"
            want_csd=${want_csd//_/ }
        fi
    fi
    expect "$out" probe.end 1
    expect "$out" rtl.status 0x00000000
    expect "$out" rtl.major "$want_major"
    expect "$out" rtl.minor "$want_minor"
    expect "$out" rtl.build "$want_build"
    expect "$out" rtl.platform 2
    expect "$out" rtl.csd "$want_csd"
    expect "$out" rtl.sp_major "$want_sp"
    expect "$out" rtl.sp_minor "${SIM_HOST_SP_MINOR:-0}"
    expect "$out" rtl.product_type "$want_pt"

    local views=reg64
    [ "$SIM_HOST_ARCH" = x64 ] && views="reg64 reg32"
    for v in $views; do
        expect "$out" "$v.CurrentVersion" "$SIM_HOST_VERSION"
        expect "$out" "$v.CurrentBuildNumber" "$SIM_HOST_BUILD"
        expect "$out" "$v.CurrentBuild" "$SIM_HOST_CURRENT_BUILD"
        if [ -n "$SIM_HOST_CSD" ]; then expect "$out" "$v.CSDVersion" "$SIM_HOST_CSD"; else expect_missing "$out" "$v.CSDVersion"; fi
        expect "$out" "$v.BuildLab" "$SIM_HOST_BUILDLAB"
        expect "$out" "$v.BuildLabEx" "$SIM_HOST_BUILDLABEX"
        expect "$out" "$v.ProductName" "$SIM_HOST_PRODUCT_NAME"
        expect_missing "$out" "$v.CurrentMajorVersionNumber"
        expect_missing "$out" "$v.UBR"
    done
    expect "$out" reg.ProductType "$SIM_HOST_PRODUCT_TYPE_STRING"
    expect "$out" reg.windows.CSDVersion "$(printf '0x%x' $(( (SIM_HOST_SP << 8) | ${SIM_HOST_SP_MINOR:-0} )))"

    expect "$out" arch.native "$SIM_HOST_ARCH"
    if [ "$bits" = 64 ]; then
        expect "$out" arch.process x64
        expect "$out" arch.wow64 0
        expect "$out" ntoskrnl.system32.file_version "$SIM_HOST_NTOSKRNL"
        expect "$out" ntoskrnl.system32.product_version "$SIM_HOST_NTOSKRNL"
    else
        expect "$out" arch.process x86
        if [ "$SIM_HOST_ARCH" = x64 ]; then
            expect "$out" arch.wow64 1
            # System32 is redirected to SysWOW64 (decoy revision); Sysnative and
            # Wow64DisableWow64FsRedirection reach the real one
            if [ "${SIM_HOST_SYSWOW64_NTOSKRNL:-none}" != none ]; then
                expect "$out" ntoskrnl.system32.file_version "$SIM_HOST_SYSWOW64_NTOSKRNL"
            fi
            expect "$out" ntoskrnl.sysnative.file_version "$SIM_HOST_NTOSKRNL"
            expect "$out" ntoskrnl.noredirect.file_version "$SIM_HOST_NTOSKRNL"
        else
            expect "$out" arch.wow64 0
            expect "$out" ntoskrnl.system32.file_version "$SIM_HOST_NTOSKRNL"
        fi
    fi

    local fqdn=$SIM_HOST_DNS_HOSTNAME
    [ -n "$SIM_HOST_DNS_DOMAIN" ] && fqdn="$fqdn.$SIM_HOST_DNS_DOMAIN"
    expect "$out" name.netbios "$SIM_HOST_COMPUTER"
    expect "$out" name.physical_netbios "$SIM_HOST_COMPUTER"
    expect "$out" name.dns_hostname "$SIM_HOST_DNS_HOSTNAME"
    expect "$out" name.dns_domain "$SIM_HOST_DNS_DOMAIN"
    expect "$out" name.dns_fqdn "$fqdn"
    # Wine 8.0's NetGetJoinInformation is a stub: always workgroup "Workgroup"
    expect "$out" join.rc 0
    expect "$out" join.status 2
    expect "$out" join.name Workgroup

    local n=0 p
    for p in $SIM_HOST_PACKAGES; do
        n=$((n + 1))
        expect "$out" "cbs.package.${p%=*}" "${p##*=}"
    done
    expect "$out" cbs.count "$n"
}

# ---- hosts --------------------------------------------------------------------------
if [ $# -gt 0 ]; then
    hostfiles=()
    for n in "$@"; do
        if [ -f "$n" ]; then hostfiles+=("$n"); else hostfiles+=("$SIM_DIR/hosts/${n%.host}.host"); fi
    done
else
    hostfiles=("$SIM_DIR"/hosts/*.host)
fi

note "otharden 2008 host SIMULATOR selftest: ${#hostfiles[@]} host(s), $("$SIM_WINE" --version 2>/dev/null)"
have32=0
sim_have_wine32 && have32=1
[ $have32 = 1 ] || note "SKIP (loud): this Wine cannot run 32-bit programs (wine32 not installed); 32-bit probe runs and x86 hosts are skipped"
negative_done=0
x64_outputs=()      # "prefix|probe output" of the x64 hosts, for the checker self-check

for hf in "${hostfiles[@]}"; do
    cur=$(basename "$hf" .host)
    prefix="$SIM_BUILD/hosts/$cur"
    [ -f "$hf" ] || { fail "no such host file $hf"; continue; }
    t0=$(sim_now_ms)
    "$SIM_DIR/make-host.sh" "$hf" "$prefix"
    rc=$?
    if [ $rc -eq "$SIM_EXIT_SKIP" ]; then skips+=("$cur: host needs wine32"); continue; fi
    if [ $rc -ne 0 ]; then fail "make-host.sh exited $rc"; continue; fi
    t_make=$(sim_elapsed "$t0")
    unset "${!SIM_HOST@}"           # nothing left over from the previous host
    # shellcheck disable=SC1091
    . "$prefix/sim/host.env"
    SIM_HOST_WINE_VERSION=${SIM_HOST_WINE_VERSION:-}
    SIM_HOST_SYSWOW64_NTOSKRNL=${SIM_HOST_SYSWOW64_NTOSKRNL:-}

    t1=$(sim_now_ms)
    out64="$prefix/sim/probe64.out"
    if [ "$SIM_HOST_ARCH" = x64 ]; then
        "$SIM_DIR/run-in-host.sh" "$prefix" "$PROBE_DIR/x64/probe.exe" >"$out64" 2>"$prefix/sim/probe64.err"
        rc=$?
        if [ $rc -ne 0 ]; then
            fail "64-bit probe exited $rc: $(head -c 400 "$prefix/sim/probe64.err")"
        else
            check_probe "$out64" 64
            x64_outputs+=("$prefix|$out64")
        fi
    fi
    t_probe=$(sim_elapsed "$t1")

    if [ $have_probe32 = 1 ]; then
        out32="$prefix/sim/probe32.out"
        "$SIM_DIR/run-in-host.sh" "$prefix" "$PROBE_DIR/x86/probe.exe" >"$out32" 2>"$prefix/sim/probe32.err"
        rc=$?
        if [ $rc -eq "$SIM_EXIT_SKIP" ]; then
            if [ $have32 = 1 ]; then fail "run-in-host.sh skipped the 32-bit probe although wine32 is present"; fi
            skips+=("$cur: 32-bit probe (no wine32)")
            # the skip must be loud and must not be a silent success
            grep -q 'SKIP' "$prefix/sim/probe32.err" || fail "32-bit skip without a SKIP message"
        elif [ $rc -ne 0 ]; then
            fail "32-bit probe exited $rc: $(head -c 400 "$prefix/sim/probe32.err")"
        else
            check_probe "$out32" 32
        fi
    else
        skips+=("$cur: 32-bit probe (i686-w64-mingw32-gcc missing)")
    fi

    if [ $negative_done = 0 ] && [ "$SIM_HOST_ARCH" = x64 ]; then
        # Negative control: an exe without the per-app override reads Wine's own
        # ntoskrnl.exe (6.1.7601.x), not the described one - the override is per-app only.
        negative_done=1
        outn="$prefix/sim/no-override.out"
        "$SIM_DIR/run-in-host.sh" "$prefix" "$PROBE_DIR/plain/no-override.exe" >"$outn" 2>/dev/null
        checks=$((checks + 1))
        got=$(sed -n 's/^ntoskrnl.system32.file_version=//p' "$outn")
        if [ -z "$got" ] || [ "$got" = "$SIM_HOST_NTOSKRNL" ]; then
            fail "no-override.exe read ntoskrnl version '$got'; expected Wine's builtin, not $SIM_HOST_NTOSKRNL"
        else
            note "negative control ok: without the per-app override ntoskrnl.exe reads as $got"
        fi
    fi
    note "$cur: make-host ${t_make}s, 64-bit probe run ${t_probe}s"
done

# Checker self-check: host A's expectations against host B's probe output must fail,
# otherwise the comparisons above prove nothing.
if [ ${#x64_outputs[@]} -ge 2 ]; then
    a=${x64_outputs[0]}; b=${x64_outputs[1]}
    cur="checker-self-check"
    n_bad=$(
        unset "${!SIM_HOST@}"
        # shellcheck disable=SC1091
        . "${a%%|*}/sim/host.env"
        SIM_HOST_WINE_VERSION=${SIM_HOST_WINE_VERSION:-}
        fails=0
        check_probe "${b#*|}" 64 >/dev/null
        echo "$fails"
    )
    checks=$((checks + 1))
    if [ "${n_bad:-0}" -gt 0 ]; then
        note "checker self-check ok: $(basename "${a%%|*}") expectations vs $(basename "${b%%|*}") output -> $n_bad mismatches"
    else
        fail "the checker accepted $(basename "${b%%|*}")'s probe output as $(basename "${a%%|*}")"
    fi
fi

for s in "${skips[@]}"; do note "SKIPPED: $s"; done
note "$checks checks, $fails failure(s), ${#skips[@]} skip(s), $(sim_elapsed "$t_all")s total"
[ $fails -eq 0 ] || exit 1
exit 0
