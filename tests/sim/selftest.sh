#!/usr/bin/env bash
# selftest.sh - proves that the otharden 2008 host SIMULATOR builds what each host
# description says. For every tests/sim/hosts/*.host (or the names given):
#   make-host.sh -> build/sim/hosts/NAME, then run-in-host.sh runs probe.exe (64-bit and,
#   when wine32 exists, 32-bit) and every line it prints is compared with the description.
#   Hosts with simulated services: in one session (session.sh), every service's Start value
#   and running state (service-state.sh: reg + sc) and what the SCM API says (sim_scm.exe
#   query) are compared with the description, then stop/start through sc, a service that
#   refuses stop, a slow stop, dependencies, ChangeServiceConfigW persistence (across a
#   new session), the delayed-auto-start API and a failing start are exercised.
#
#   tests/sim/selftest.sh [NAME|FILE.host ...]     (default: every tests/sim/hosts/*.host)
#   tests/sim/selftest.sh --part services|others   (the hosts with simulated services, or
#                                                   the others: two halves for CTest -j)
#   Every host is read back as described; the services' and the firewall's behaviour is
#   checked in full on one host each (6003-2022-05-services, 6003-2022-05-firewall), or
#   on every host named on the command line.
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
# (one folder per --part: the two halves run at the same time)
part_dir=""
[ "${1:-}" = --part ] && part_dir="-${2:-}"
PROBE_DIR="$SIM_BUILD/probe$part_dir"
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

# ---- simulated services ---------------------------------------------------------------
# svc_check WHAT GOT WANT
svc_check() {
    checks=$((checks + 1))
    [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}
# field LINE KEY -> value of " KEY=value" in a "NAME k=v k=v" line
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }
svc_state_of() { "$SIM_DIR/service-state.sh" "$@" 2>/dev/null || true; }
# the SCM's state of NAME (sim_state.exe, one process)
sc_state() { field "$(svc_state_of "$1" "$2")" state; }
sim_scm() { local prefix=$1; shift; "$SIM_DIR/run-in-host.sh" "$prefix" "$SIM_WIN_DIR\\sim_scm.exe" "$@" 2>/dev/null | tr -d '\r'; }
# wait (in the open session) until NAME has state WANT (sim_scm.exe wait: polls the SCM,
# at most 30 s); prints the state reached
svc_wait() { field "$(sim_scm "$1" wait "$2" "$3")" state; }
# hold_file PREFIX NAME stop|start: while it exists the transition stays pending
hold_file() { printf '%s/%s/hold/%s.%s' "$1" "$SIM_PREFIX_DIR" "$2" "$3"; }

check_services() {  # check_services PREFIX full|described
    local prefix=$1 mode=$2 t0 names=() line n
    t0=$(sim_now_ms)
    declare -A d_start=() d_state=() d_delayed=() d_deps=() d_refuse=()
    # services.tsv: name start state delayed refuses_stop slow_stop slow_start fail_start depends display
    while IFS=$'\t' read -r n st state delayed refuse _ _ _ deps _; do
        [ "$n" = name ] && continue
        names+=("$n"); d_start[$n]=$st; d_state[$n]=$state; d_delayed[$n]=$delayed; d_deps[$n]=$deps
        d_refuse[$n]=$refuse
    done < "$prefix/sim/services.tsv"

    if ! "$SIM_DIR/session.sh" begin --max-seconds 600 "$prefix" 2>"$prefix/sim/selftest-session.err"; then
        fail "session.sh begin failed: $(head -c 400 "$prefix/sim/selftest-session.err")"
        return
    fi
    open_session=$prefix
    rm -f "$prefix/$SIM_PREFIX_DIR/logs/violations.log"

    # 1. registry + sc (the independent view) against the description
    local out
    out=$("$SIM_DIR/service-state.sh" --long "$prefix" "${names[@]}" 2>&1) || fail "service-state.sh failed: $out"
    for n in "${names[@]}"; do
        line=$(printf '%s\n' "$out" | awk -v n="$n" '$1 == n')
        svc_check "$n start (registry)" "$(field "$line" start)" "${d_start[$n]}"
        svc_check "$n state (sc query) after session start" "$(field "$line" state)" "${d_state[$n]}"
        svc_check "$n DelayedAutostart (registry)" "$(field "$line" delayed)" "${d_delayed[$n]}"
        svc_check "$n DependOnService (registry)" "$(field "$line" depends)" "${d_deps[$n]}"
    done
    case "$out" in *$'\r'*) fail "service-state.sh output contains CR" ;; esac

    # 2. the SCM API (QueryServiceConfigW, QueryServiceStatusEx, EnumDependentServicesW,
    #    QueryServiceConfig2W) as otharden will see it
    out=$(sim_scm "$prefix" query "${names[@]}")
    for n in "${names[@]}"; do
        line=$(printf '%s\n' "$out" | awk -v n="$n" '$1 == n')
        svc_check "$n start (QueryServiceConfigW)" "$(field "$line" start)" "${d_start[$n]}"
        svc_check "$n state (QueryServiceStatusEx)" "$(field "$line" state)" "${d_state[$n]}"
        # Wine 8.0 gaps, checked so that a Wine that fixes them is noticed (README)
        svc_check "$n lpDependencies (Wine 8.0: always empty)" "$(field "$line" deps)" "-"
        svc_check "$n EnumDependentServicesW (Wine 8.0: stub, 0 services)" "$(field "$line" dependents)" "-"
        svc_check "$n QueryServiceConfig2W(DELAYED_AUTO_START_INFO) (Wine 8.0: ERROR_INVALID_LEVEL)" \
            "$(field "$line" delayed)" "err:124"
        if [ "${d_refuse[$n]}" = 1 ] && [ "${d_state[$n]}" = running ]; then
            svc_check "$n dwControlsAccepted without SERVICE_ACCEPT_STOP" "$(field "$line" accepts)" "0x0"
        elif [ "${d_state[$n]}" = running ]; then
            svc_check "$n dwControlsAccepted (STOP|SHUTDOWN)" "$(field "$line" accepts)" "0x5"
        fi
    done

    if [ "$mode" = described ]; then
        # the other hosts: read back as described; the behaviour is checked once, on
        # $FULL_SERVICES_HOST (what the end-to-end tests depend on, not everything twice)
        checks=$((checks + 1))
        "$SIM_DIR/service-state.sh" --violations "$prefix" >/dev/null || fail "violations: $("$SIM_DIR/service-state.sh" --violations "$prefix" | head -3)"
        "$SIM_DIR/session.sh" end "$prefix" 2>/dev/null
        open_session=""
        note "$cur: services read back as described in $(sim_elapsed "$t0")s (${#names[@]} services)"
        return
    fi

    # 3. actions through the API, on services this host is known to have
    local has=" ${names[*]} "
    if [[ "$has" == *" SNMP "* ]]; then
        sim_scm "$prefix" stop SNMP >/dev/null
        svc_check "SNMP after a stop" "$(sc_state "$prefix" SNMP)" stopped
        sim_scm "$prefix" start SNMP >/dev/null
        svc_check "SNMP after a start" "$(sc_state "$prefix" SNMP)" running
    fi
    if [[ "$has" == *" StubbornSvc "* ]]; then
        line=$(sim_scm "$prefix" control StubbornSvc 1)
        svc_check "ControlService(STOP) on a refuses-stop service: error" "$(field "$line" error)" 1052
        svc_check "StubbornSvc still running" "$(sc_state "$prefix" StubbornSvc)" running
    fi
    if [[ "$has" == *" PacsStore "* && "$has" == *" PacsBackup "* ]]; then
        # a stop held by its hold file: STOP_PENDING for as long as the test wants (after
        # the 3 s slow stop), a second STOP is refused with 1061, then STOPPED once released.
        # PacsBackup depends on PacsStore: stop it first (otherwise: a violation).
        sim_scm "$prefix" stop PacsBackup >/dev/null
        svc_check "PacsBackup after a stop" "$(sc_state "$prefix" PacsBackup)" stopped
        mkdir -p "$prefix/$SIM_PREFIX_DIR/hold"
        : > "$(hold_file "$prefix" PacsStore stop)"
        line=$(sim_scm "$prefix" control PacsStore 1)
        svc_check "ControlService(STOP) on the slow-stop service: rc" "$(field "$line" rc)" 1
        svc_check "PacsStore while its stop is held" "$(sc_state "$prefix" PacsStore)" stop_pending
        line=$(sim_scm "$prefix" control PacsStore 1)
        svc_check "second STOP while STOP_PENDING: error" "$(field "$line" error)" 1061
        rm -f "$(hold_file "$prefix" PacsStore stop)"
        svc_check "PacsStore after its stop was released" "$(svc_wait "$prefix" PacsStore stopped)" stopped
        # starting the dependent starts the dependency (Windows SCM; here sim_service does it)
        sim_scm "$prefix" start PacsBackup >/dev/null
        svc_check "PacsBackup after a start" "$(sc_state "$prefix" PacsBackup)" running
        svc_check "PacsStore started as PacsBackup's dependency" "$(sc_state "$prefix" PacsStore)" running
    fi
    checks=$((checks + 1))
    if ! "$SIM_DIR/service-state.sh" --violations "$prefix" >/dev/null; then
        fail "violations after correct stops: $("$SIM_DIR/service-state.sh" --violations "$prefix" | head -3)"
    fi
    if [[ "$has" == *" LanmanWorkstation "* && "$has" == *" Browser "* ]]; then
        # stopping a service with an active dependent: Windows refuses (1051); Wine stops it
        # and the simulated service records a violation
        sim_scm "$prefix" stop LanmanWorkstation >/dev/null
        out=$("$SIM_DIR/service-state.sh" --violations "$prefix") && fail "no violation recorded for stopping LanmanWorkstation under Browser"
        checks=$((checks + 1))
        case "$out" in *"service=LanmanWorkstation stop-with-active-dependent=Browser windows-error=1051"*) ;;
            *) fail "violation line: got '$out'" ;; esac
        sim_scm "$prefix" start LanmanWorkstation >/dev/null
        svc_check "LanmanWorkstation restarted" "$(sc_state "$prefix" LanmanWorkstation)" running
        rm -f "$prefix/$SIM_PREFIX_DIR/logs/violations.log"
    fi
    if [[ "$has" == *" PacsReporter "* ]]; then
        sim_scm "$prefix" start PacsReporter >/dev/null
        svc_check "fail-start service after a start" "$(svc_wait "$prefix" PacsReporter stopped)" stopped
        line=$(svc_state_of --long "$prefix" PacsReporter)
        svc_check "fail-start exit code (ERROR_SERVICE_SPECIFIC_ERROR)" "$(field "$line" exit)" 1066
    fi
    if [[ "$has" == *" PacsBackup "* ]]; then
        line=$(sim_scm "$prefix" set-delayed PacsBackup 1)
        svc_check "ChangeServiceConfig2W(DELAYED_AUTO_START_INFO) (Wine 8.0)" "$(field "$line" error)" 124
    fi
    if [[ "$has" == *" WebClient "* && "$has" == *" SNMP "* && "$has" == *" p2pimsvc "* &&
          "$has" == *" LanmanWorkstation "* && "$has" == *" Browser "* ]]; then
        # ChangeServiceConfigW: the new start type is in the registry at once, StartService
        # refuses a disabled service, and the values survive the end of the session. At the
        # next boot a service whose start type changed boots as on Windows (auto: running;
        # demand/disabled: stopped), and an auto service whose dependency was disabled
        # fails to start (ERROR_SERVICE_DEPENDENCY_FAIL) without failing the boot.
        line=$(sim_scm "$prefix" set-start WebClient disabled)
        svc_check "ChangeServiceConfigW(WebClient, disabled)" "$(field "$line" rc)" 1
        svc_check "WebClient start after ChangeServiceConfigW" "$(field "$(svc_state_of "$prefix" WebClient)" start)" disabled
        line=$(sim_scm "$prefix" start WebClient)
        svc_check "StartService on a disabled service: error" "$(field "$line" error)" 1058
        sim_scm "$prefix" set-start SNMP demand >/dev/null
        sim_scm "$prefix" set-start p2pimsvc auto >/dev/null
        sim_scm "$prefix" set-start LanmanWorkstation disabled >/dev/null
        "$SIM_DIR/session.sh" end "$prefix" 2>/dev/null
        open_session=""
        checks=$((checks + 1))
        awk '/^\[/ { insec = (tolower($1) == "[system\\\\currentcontrolset\\\\services\\\\webclient]") }
             insec && $0 == "\"Start\"=dword:00000004" { found = 1 }
             END { exit !found }' "$prefix/system.reg" ||
            fail "WebClient Start=4 not in system.reg after the session ended"
        "$SIM_DIR/session.sh" begin --max-seconds 600 "$prefix" 2>"$prefix/sim/selftest-session.err" ||
            fail "session.sh begin after start type changes failed: $(head -c 400 "$prefix/sim/selftest-session.err")"
        open_session=$prefix
        out=$("$SIM_DIR/service-state.sh" --long "$prefix" WebClient SNMP p2pimsvc LanmanWorkstation Browser)
        svc_check "after a new boot" "$(printf '%s\n' "$out" | cut -d' ' -f1-3 | tr '\n' ';')" \
            "WebClient start=disabled state=stopped;SNMP start=demand state=stopped;p2pimsvc start=auto state=running;LanmanWorkstation start=disabled state=stopped;Browser start=auto state=stopped;"
        svc_check "Browser's exit code with a disabled dependency" \
            "$(field "$(printf '%s\n' "$out" | grep '^Browser ')" exit)" 1068
        for n in WebClient SNMP p2pimsvc LanmanWorkstation; do
            sim_scm "$prefix" set-start "$n" "${d_start[$n]}" >/dev/null
        done
        out=$("$SIM_DIR/service-state.sh" "$prefix" WebClient SNMP p2pimsvc LanmanWorkstation)
        svc_check "start types restored" "$(printf '%s\n' "$out" | cut -d' ' -f1-2 | tr '\n' ';')" \
            "WebClient start=${d_start[WebClient]};SNMP start=${d_start[SNMP]};p2pimsvc start=${d_start[p2pimsvc]};LanmanWorkstation start=${d_start[LanmanWorkstation]};"
    fi
    checks=$((checks + 1))
    "$SIM_DIR/service-state.sh" --violations "$prefix" >/dev/null || fail "violations: $("$SIM_DIR/service-state.sh" --violations "$prefix" | head -3)"
    "$SIM_DIR/session.sh" end "$prefix" 2>/dev/null
    open_session=""
    checks=$((checks + 1))
    if "$SIM_DIR/session.sh" status "$prefix" >/dev/null 2>&1; then fail "session still open after session.sh end"; fi
    note "$cur: services checked in $(sim_elapsed "$t0")s (${#names[@]} services)"
}
# ---- simulated firewall (tests/sim/firewall) -------------------------------------------
# What fwprobe.exe semantics must print on every simulated firewall (documented
# INetFwRule/INetFwRules/INetFwPolicy2 behaviour; sources in README "Firewall").
FW_SEMANTICS='sem.new.create=0x00000000
sem.new.enabled=0
sem.new.direction=1
sem.new.action=1
sem.new.protocol=256
sem.new.profiles=2147483647
sem.new.edge=0
sem.new.name=<null>
sem.new.lports=<null>
sem.new.raddrs=*
sem.new.laddrs=*
sem.new.iftypes=All
sem.new.group=<null>
sem.new.qi_INetFwRule2=0x80004002
sem.new.qi_INetFwRule3=0x80004002
sem.add_without_name=0x80070057
sem.lports_with_protocol_any=0x80070057
sem.icmp_with_protocol_any=0x80070057
sem.name_with_bar=0x80070057
sem.name_all=0x80070057
sem.desc_with_bar=0x80070057
sem.protocol_257=0x80070057
sem.direction_3=0x80070057
sem.profiles_0=0x80070057
sem.profiles_8=0x80070057
sem.lports_range=0x80070057
sem.lports_70000=0x80070057
sem.lports_teredo_on_tcp=0x80070057
sem.lports_list=0x00000000
sem.lports_list.get=104,11112,RPC-EPMap
sem.rports_unset.get=*
sem.icmp_on_tcp.get=<null>
sem.rports_keyword=0x80070057
sem.protocol_tcp_to_icmp_with_ports=0x80070057
sem.protocol_tcp_to_udp_with_rpc=0x80070057
sem.raddrs_star_and_more=0x80070057
sem.raddrs_bad=0x80070057
sem.raddrs_bad_mask=0x80070057
sem.raddrs=0x00000000
sem.raddrs.get=10.1.2.0/255.255.255.0,192.168.1.5/255.255.255.255,10.0.0.1-10.0.0.9,LocalSubnet,fe80::/64
sem.laddrs_keyword=0x80070057
sem.iftypes.get=Lan,Wireless
sem.iftypes_bad=0x80070057
sem.add=0x00000000
sem.bound_put_enabled=0x00000000
sem.item=0x00000000
sem.item.enabled_after_bound_put=1
sem.item.lports=104,11112,RPC-EPMap
sem.item.put_desc=0x00000000
sem.first_object.desc=first, edited
sem.item.put_icmp_on_tcp=0x80070057
sem.icmp_put=0x00000000
sem.icmp.get=8:*,0:0
sem.icmp.lports=<null>
sem.add_duplicate_name=0x00000000
sem.group_disable=0x00000000
sem.group_is_enabled=0
sem.group_enable=0x00000000
sem.group_is_enabled_after_enable=1
sem.group_missing=0x00000001
sem.remove_one_name=0x00000000
sem.removed_object.name=<hr:0x80070002>
sem.readd_removed_object=0x00000000
sem.readd_removed_object.name=otharden-sim semantics rule
sem.item_missing=0x80070002
sem.remove_missing=0x00000000
sem.count_restored=1
sem.policy.enabled_profile_all=0x80070057
sem.policy.enabled_profile_domain_private=0x80070057
sem.policy.inbound_action_2=0x80070057
sem.policy.service_restriction=0x80004001
sem.policy.modify_state.hr=0x00000000'

# the name the API shows for a stored Name= value (indirect strings resolved)
fw_display() {
    local n=$1 t
    if [[ "$n" == @* ]]; then
        t=$(awk -F'\t' -v k="$n" '$1 == k { print $2; exit }' "$SIM_DIR/firewall/indirect-strings.txt")
        [ -n "$t" ] && n=$t
    fi
    printf '%s\n' "$n"
}
fwprobe_run() {  # fwprobe_run PREFIX OUTFILE ARGS... (fwprobe.exe: the name with the per-app override)
    local prefix=$1 out=$2; shift 2
    "$SIM_DIR/run-in-host.sh" "$prefix" "$FW_PROBE_DIR/fwprobe.exe" "$@" 2>"$out.err" | tr -d '\r' >"$out"
}
fw_rule_of() {   # fw_rule_of STATE ID -> the stored rule string of ID ("" when absent)
    printf '%s\n' "$1" | awk -F'\t' -v id="rule=$2" '$1 == id { print $2; f = 1; exit } END { exit !f }' || true
}

check_firewall() {  # check_firewall PREFIX full|described [HOSTFILE] (host with firewall lines; SIM_HOST_FIREWALL_* from host.env)
    local prefix=$1 mode=$2 hostfile=${3:-} ruleset t0 state dump want line id name p vals before new_id sem
    local -a v
    t0=$(sim_now_ms)
    sim_fw_build x64                          # SIM_FW_PROBE: the fwprobe.exe make-host installed
    FW_PROBE_DIR="$SIM_BUILD/firewall/selftest$part_dir"
    mkdir -p "$FW_PROBE_DIR"
    cp "$SIM_FW_PROBE" "$FW_PROBE_DIR/fwprobe.exe"
    cp "$SIM_FW_PROBE" "$FW_PROBE_DIR/fwprobe-stock.exe"    # no per-app override: Wine's own hnetcfg.dll

    if [ "$SIM_HOST_FIREWALL_API" = wine ]; then
        # firewall_api=wine: the store is seeded, but the API is Wine's (E_NOTIMPL)
        fwprobe_run "$prefix" "$prefix/sim/fw-stock.out" dump
        expect "$prefix/sim/fw-stock.out" fw.create 0x00000000
        expect "$prefix/sim/fw-stock.out" policy.domain.enabled "<hr:0x80004001>"
        state=$("$SIM_DIR/firewall/fw-state.sh" "$prefix")
        svc_check "firewall_api=wine: rules seeded in the registry" "$(printf '%s\n' "$state" | sed -n 's/^rules=//p')" \
            "$SIM_HOST_FIREWALL_RULE_COUNT"
        note "$cur: firewall (stock Wine API, seeded store) checked in $(sim_elapsed "$t0")s"
        return
    fi

    if ! "$SIM_DIR/session.sh" begin --max-seconds 600 "$prefix" 2>"$prefix/sim/selftest-session.err"; then
        fail "firewall: session.sh begin failed: $(head -c 400 "$prefix/sim/selftest-session.err")"
        return
    fi
    open_session=$prefix

    # 0. Wine's own services run (they keep Wine's builtin hnetcfg.dll)
    svc_check "firewall host: Wine's PlugPlay service (sc query)" "$(sc_state "$prefix" PlugPlay)" running

    # 1. the registry (reg.exe, independent of the simulator's DLL) against the description
    state=$("$SIM_DIR/firewall/fw-state.sh" "$prefix") || fail "fw-state.sh failed"
    for p in domain private public; do
        case "$p" in domain) vals=$SIM_HOST_FIREWALL_DOMAIN ;; private) vals=$SIM_HOST_FIREWALL_PRIVATE ;; public) vals=$SIM_HOST_FIREWALL_PUBLIC ;; esac
        read -r -a v <<<"$vals"
        want="profile=$p enabled=${v[0]} inbound=$([ "${v[1]}" = 1 ] && echo block || echo allow) outbound=$([ "${v[2]}" = 1 ] && echo block || echo allow) block_all_inbound=${v[3]} notifications_disabled=${v[4]}"
        svc_check "firewall $p profile (reg query)" "$(printf '%s\n' "$state" | grep "^profile=$p ")" "$want"
    done
    svc_check "firewall rule count (reg query)" "$(printf '%s\n' "$state" | sed -n 's/^rules=//p')" "$SIM_HOST_FIREWALL_RULE_COUNT"
    while IFS=$'\t' read -r id line; do
        [ "$id" = id ] && continue
        svc_check "firewall rule $id (reg query)" "$(fw_rule_of "$state" "$id")" "$line"
    done < "$prefix/sim/firewall-rules.tsv"

    # 2. the API (fwprobe.exe through CoCreateInstance) against the description
    dump="$prefix/sim/fw-dump.out"
    fwprobe_run "$prefix" "$dump" dump
    expect "$dump" fw.create 0x00000000
    expect "$dump" policy.current_profile_types "$SIM_HOST_FIREWALL_CURRENT_PROFILE_TYPES"
    for p in domain private public; do
        case "$p" in domain) vals=$SIM_HOST_FIREWALL_DOMAIN ;; private) vals=$SIM_HOST_FIREWALL_PRIVATE ;; public) vals=$SIM_HOST_FIREWALL_PUBLIC ;; esac
        read -r -a v <<<"$vals"
        expect "$dump" "policy.$p.enabled" "${v[0]}"
        expect "$dump" "policy.$p.inbound" "$([ "${v[1]}" = 1 ] && echo block || echo allow)"
        expect "$dump" "policy.$p.outbound" "$([ "${v[2]}" = 1 ] && echo block || echo allow)"
        expect "$dump" "policy.$p.block_all_inbound" "${v[3]}"
        expect "$dump" "policy.$p.notifications_disabled" "${v[4]}"
    done
    expect "$dump" rules.count "$SIM_HOST_FIREWALL_RULE_COUNT"
    expect "$dump" rules.enumerated "$SIM_HOST_FIREWALL_RULE_COUNT"
    # every stored rule is enumerated, under the name the API shows, with its Active state
    while IFS=$'\t' read -r id line; do
        [ "$id" = id ] && continue
        name=$(printf '%s\n' "$line" | tr '|' '\n' | sed -n 's/^Name=//p')
        want=0; case "$line" in *'|Active=TRUE|'*) want=1 ;; esac
        checks=$((checks + 1))
        grep -qF "rule=$(fw_display "$name")|enabled=$want|" "$dump" ||
            fail "firewall rule $id: no enumerated rule '$(fw_display "$name")' with enabled=$want"
    done < "$prefix/sim/firewall-rules.tsv"

    if [ "$mode" = described ]; then
        "$SIM_DIR/session.sh" end "$prefix" 2>/dev/null
        open_session=""
        note "$cur: firewall read back as described in $(sim_elapsed "$t0")s ($SIM_HOST_FIREWALL_RULE_COUNT rules)"
        return
    fi

    # 3. round trip: API -> registry, in separate processes
    before=$(printf '%s\n' "$state" | grep '^rule=' | cut -f1)
    fwprobe_run "$prefix" "$prefix/sim/fw-add.out" add "otharden-sim selftest rule" 6 104 10.1.2.0/24 "otharden-sim selftest"
    expect "$prefix/sim/fw-add.out" add.hr 0x00000000
    state=$("$SIM_DIR/firewall/fw-state.sh" "$prefix")
    new_id=$(printf '%s\n' "$state" | grep '^rule=' | cut -f1 | grep -vxF "$before" | sed 's/^rule=//')
    checks=$((checks + 1))
    if ! [[ "$new_id" =~ ^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$ ]]; then
        fail "INetFwRules::Add: new rule id '$new_id' is not one {GUID}"
    fi
    svc_check "INetFwRules::Add: stored rule string" "$(fw_rule_of "$state" "$new_id")" \
        'v2.0|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=104|RA4=10.1.2.0/255.255.255.0|Name=otharden-sim selftest rule|EmbedCtxt=otharden-sim selftest|'
    fwprobe_run "$prefix" "$prefix/sim/fw-enable.out" enable "otharden-sim selftest rule" 0
    expect "$prefix/sim/fw-enable.out" enable.hr 0x00000000
    fwprobe_run "$prefix" "$prefix/sim/fw-profile.out" profile public inbound allow
    expect "$prefix/sim/fw-profile.out" profile.hr 0x00000000
    state=$("$SIM_DIR/firewall/fw-state.sh" "$prefix")
    svc_check "put_Enabled(FALSE): stored rule string" "$(fw_rule_of "$state" "$new_id")" \
        'v2.0|Action=Allow|Active=FALSE|Dir=In|Protocol=6|LPort=104|RA4=10.1.2.0/255.255.255.0|Name=otharden-sim selftest rule|EmbedCtxt=otharden-sim selftest|'
    svc_check "put_DefaultInboundAction(public, allow): DefaultInboundAction" \
        "$(printf '%s\n' "$state" | grep '^profile=public ' | tr ' ' '\n' | sed -n 's/^inbound=//p')" allow
    fwprobe_run "$prefix" "$prefix/sim/fw-remove.out" remove "otharden-sim selftest rule"
    expect "$prefix/sim/fw-remove.out" remove.hr 0x00000000
    expect "$prefix/sim/fw-remove.out" remove.count_after "$SIM_HOST_FIREWALL_RULE_COUNT"
    read -r -a v <<<"$SIM_HOST_FIREWALL_PUBLIC"
    fwprobe_run "$prefix" "$prefix/sim/fw-profile.out" profile public inbound "$([ "${v[1]}" = 1 ] && echo block || echo allow)"
    state=$("$SIM_DIR/firewall/fw-state.sh" "$prefix")
    svc_check "INetFwRules::Remove: rule gone from the registry" "$(fw_rule_of "$state" "$new_id")" ""

    # 4. registry -> API: a rule written with reg.exe (fields in another order) reads back
    "$SIM_DIR/run-in-host.sh" "$prefix" reg add \
        'HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\FirewallRules' \
        /v otharden-sim-reg-add /t REG_SZ /f \
        /d 'v2.0|Action=Block|Active=TRUE|Dir=In|LPort=161|Protocol=17|Profile=Public|RA4=10.9.9.9|Name=otharden-sim reg add|' \
        >/dev/null 2>&1 || fail "reg add of a rule failed"
    fwprobe_run "$prefix" "$prefix/sim/fw-item.out" item "otharden-sim reg add"
    expect "$prefix/sim/fw-item.out" item.hr 0x00000000
    svc_check "rule added with reg.exe, read through INetFwRules::Item" "$(grep '^rule=' "$prefix/sim/fw-item.out")" \
        'rule=otharden-sim reg add|enabled=1|dir=in|action=block|protocol=17|lports=161|rports=*|laddrs=*|raddrs=10.9.9.9/255.255.255.255|icmp=<null>|profiles=4|app=<null>|svc=<null>|group=<null>|edge=0|iftypes=All|ifs=<null>|desc=<null>'
    "$SIM_DIR/run-in-host.sh" "$prefix" reg delete \
        'HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\FirewallRules' \
        /v otharden-sim-reg-add /f >/dev/null 2>&1 || fail "reg delete of a rule failed"

    # 5. documented semantics on scratch rules (removed again), with both RulesRemove
    #    settings (which rules INetFwRules::Remove takes when names repeat is undocumented)
    local mode dup
    for mode in first all; do
        "$SIM_DIR/run-in-host.sh" "$prefix" reg add 'HKLM\SOFTWARE\otharden-simulator\Firewall' \
            /v RulesRemove /t REG_SZ /d "$mode" /f >/dev/null 2>&1 || fail "reg add RulesRemove=$mode failed"
        sem="$prefix/sim/fw-semantics-$mode.out"
        fwprobe_run "$prefix" "$sem" semantics
        while IFS= read -r line; do expect "$sem" "${line%%=*}" "${line#*=}"; done <<<"$FW_SEMANTICS"
        before=$(sed -n 's/^sem.count_before=//p' "$sem")
        [ -n "$before" ] || { fail "fwprobe semantics ($mode): no sem.count_before"; continue; }
        expect "$sem" sem.count_after_add $((before + 1))
        expect "$sem" sem.count_after_duplicate $((before + 2))
        dup=$(sed -n 's/^sem.item_with_duplicates.desc=//p' "$sem")
        checks=$((checks + 1))
        case "$dup" in "first, edited"|second) ;; *) fail "Item with duplicate names ($mode) returned '$dup'" ;; esac
        if [ "$mode" = all ]; then
            expect "$sem" sem.count_after_remove "$before"
            expect "$sem" sem.item_after_remove 0x80070002
            expect "$sem" sem.removed_objects 2
            expect "$sem" sem.count_after_readd $((before + 1))
        else
            # the rule Item returned goes; the other stays
            expect "$sem" sem.count_after_remove $((before + 1))
            expect "$sem" sem.item_after_remove 0x00000000
            expect "$sem" sem.removed_objects 1
            checks=$((checks + 1))
            [ "$(sed -n 's/^sem.item_after_remove.desc=//p' "$sem")" != "$dup" ] ||
                fail "INetFwRules::Remove (first): the rule Item returned is still there"
            expect "$sem" sem.count_after_readd $((before + 2))
        fi
    done
    "$SIM_DIR/run-in-host.sh" "$prefix" reg add 'HKLM\SOFTWARE\otharden-simulator\Firewall' \
        /v RulesRemove /t REG_SZ /d "$SIM_HOST_FIREWALL_RULES_REMOVE" /f >/dev/null 2>&1 || fail "reg add RulesRemove failed"

    # 6. no firewall API: Wine's own hnetcfg.dll for the same exe (SIM_FIREWALL_API=wine)
    #    and for an exe without the per-app override - the simulator is per-app only
    SIM_FIREWALL_API=wine fwprobe_run "$prefix" "$prefix/sim/fw-stock.out" dump
    expect "$prefix/sim/fw-stock.out" fw.create 0x00000000
    expect "$prefix/sim/fw-stock.out" policy.domain.enabled "<hr:0x80004001>"
    "$SIM_DIR/run-in-host.sh" "$prefix" "$FW_PROBE_DIR/fwprobe-stock.exe" dump 2>/dev/null | tr -d '\r' >"$prefix/sim/fw-noapp.out"
    expect "$prefix/sim/fw-noapp.out" fw.create 0x00000000
    expect "$prefix/sim/fw-noapp.out" policy.domain.enabled "<hr:0x80004001>"

    # 7. a change survives the end of the session (system.reg) and the next boot
    fwprobe_run "$prefix" "$prefix/sim/fw-enable.out" enable "PACS Web Viewer (HTTP-In)" 0
    "$SIM_DIR/session.sh" end "$prefix" 2>/dev/null
    open_session=""
    checks=$((checks + 1))
    grep -qF 'Active=FALSE|Dir=In|Protocol=6|LPort=8080|Name=PACS Web Viewer (HTTP-In)|' "$prefix/system.reg" ||
        fail "firewall: the disabled rule is not in system.reg after the session ended"
    fwprobe_run "$prefix" "$prefix/sim/fw-item.out" item "PACS Web Viewer (HTTP-In)"
    checks=$((checks + 1))
    grep -qF 'rule=PACS Web Viewer (HTTP-In)|enabled=0|' "$prefix/sim/fw-item.out" ||
        fail "firewall: the disabled rule does not read back disabled after a new boot"
    fwprobe_run "$prefix" "$prefix/sim/fw-enable.out" enable "PACS Web Viewer (HTTP-In)" 1
    checks=$((checks + 1))
    grep -q 'Active=TRUE|Dir=In|Protocol=6|LPort=8080|' "$prefix/system.reg" ||
        fail "firewall: the re-enabled rule is not in system.reg"

    # 8. RestoreLocalFirewallDefaults: the ruleset as shipped, every profile on/block/allow;
    #    then the host is made again, as described
    if [ -n "$hostfile" ]; then
        fwprobe_run "$prefix" "$prefix/sim/fw-restore.out" restore-defaults
        expect "$prefix/sim/fw-restore.out" restore_defaults.hr 0x00000000
        state=$("$SIM_DIR/firewall/fw-state.sh" "$prefix")
        svc_check "RestoreLocalFirewallDefaults: profiles" "$(printf '%s\n' "$state" | grep '^profile=' | cut -d' ' -f1-5 | tr '\n' ';')" \
            "profile=domain enabled=1 inbound=block outbound=allow block_all_inbound=0;profile=private enabled=1 inbound=block outbound=allow block_all_inbound=0;profile=public enabled=1 inbound=block outbound=allow block_all_inbound=0;"
        ruleset=$(sed -n 's/^firewall_ruleset=\([a-z0-9_-]*\).*/\1/p' "$hostfile")
        want=$( { [ -z "$ruleset" ] || [ "$ruleset" = none ] ||
                  awk '!/^[[:space:]]*(#|$)/ { id = $1; sub(/^[^[:space:]]+[[:space:]]+/, ""); printf "rule=%s\t%s\n", id, $0 }' \
                      "$SIM_DIR/firewall/rulesets/$ruleset.rules"; } | sort)
        svc_check "RestoreLocalFirewallDefaults: rules = rulesets/${ruleset:-none}.rules" \
            "$(printf '%s\n' "$state" | grep '^rule=' | sort)" "$want"
        "$SIM_DIR/make-host.sh" "$hostfile" "$prefix" 2>/dev/null || fail "make-host.sh (again) failed"
    fi
    note "$cur: firewall checked in $(sim_elapsed "$t0")s ($SIM_HOST_FIREWALL_RULE_COUNT rules)"
}

open_session=""
trap '[ -z "$open_session" ] || "$SIM_DIR/session.sh" end "$open_session" 2>/dev/null' EXIT

# ---- hosts --------------------------------------------------------------------------
# Every host is made and read back as described; the services' and the firewall's
# behaviour is checked in full on one host each (all of them when hosts are named).
FULL_SERVICES_HOST=6003-2022-05-services
FULL_FIREWALL_HOST=6003-2022-05-firewall
all_full=0
part=""
case "${1:-}" in
    --part) part=${2:-}; shift 2 || true ;;
esac
case "$part" in
    ""|services|others) ;;
    *) sim_die "$SIM_EXIT_USAGE" "--part services|others" ;;
esac
[ $# -gt 0 ] && all_full=1
if [ -n "$part" ]; then
    # two halves that run in parallel (CTest): the hosts with simulated services,
    # and all the others
    hostfiles=()
    for hf in "$SIM_DIR"/hosts/*.host; do
        if grep -q '^service=' "$hf"; then [ "$part" = services ] && hostfiles+=("$hf")
        else [ "$part" = others ] && hostfiles+=("$hf"); fi
    done
elif [ $# -gt 0 ]; then
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
fw_stock_done=0
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
        "$SIM_DIR/run-in-host.sh" "$prefix" "$PROBE_DIR/plain/no-override.exe" >"$outn" 2>"$outn.err"
        checks=$((checks + 1))
        got=$(sed -n 's/^ntoskrnl.system32.file_version=//p' "$outn")
        if [ -z "$got" ] || [ "$got" = "$SIM_HOST_NTOSKRNL" ]; then
            fail "no-override.exe read ntoskrnl version '$got'; expected Wine's builtin, not $SIM_HOST_NTOSKRNL"
        else
            note "negative control ok: without the per-app override ntoskrnl.exe reads as $got"
        fi
    fi
    if [ -n "${SIM_HOST_SERVICES:-}" ]; then
        if [ "$all_full" = 1 ] || [ "$cur" = "$FULL_SERVICES_HOST" ]; then check_services "$prefix" full
        else check_services "$prefix" described; fi
    fi
    if [ "${SIM_HOST_FIREWALL_API:-none}" != none ]; then
        if [ "$all_full" = 1 ] || [ "$cur" = "$FULL_FIREWALL_HOST" ]; then check_firewall "$prefix" full "$hf"
        else check_firewall "$prefix" described "$hf"; fi
    fi
    if [ "${SIM_HOST_FIREWALL_API:-none}" = simulator ] && [ $fw_stock_done = 0 ] &&
       { [ "$all_full" = 1 ] || [ "$cur" = "$FULL_FIREWALL_HOST" ]; }; then
        # once: the same host described with firewall_api=wine - the store is seeded, the
        # API is Wine's own (what otharden must refuse with exit 4)
        fw_stock_done=1
        hf_stock="$SIM_BUILD/hosts/$cur-firewall-api-wine.host"
        { cat "$hf"; echo 'firewall_api=wine'; } > "$hf_stock"
        cur="$cur-firewall-api-wine"
        if "$SIM_DIR/make-host.sh" "$hf_stock" "$SIM_BUILD/hosts/$cur"; then
            unset "${!SIM_HOST@}"
            # shellcheck disable=SC1090,SC1091
            . "$SIM_BUILD/hosts/$cur/sim/host.env"
            check_firewall "$SIM_BUILD/hosts/$cur" full
        else
            fail "make-host.sh failed"
        fi
        cur=$(basename "$hf" .host)
    fi
    note "$cur: make-host ${t_make}s, 64-bit probe run ${t_probe}s"
done

# Checker self-check: host A's expectations against host B's probe output must fail,
# otherwise the comparisons above prove nothing.
# Hosts that describe the same OS (the service hosts do) print the same probe output:
# the pair is the first host and the first one whose output differs from it.
b=""
for o in "${x64_outputs[@]:1}"; do
    if ! cmp -s "${x64_outputs[0]#*|}" "${o#*|}"; then b=$o; break; fi
done
if [ ${#x64_outputs[@]} -ge 2 ] && [ -z "$b" ]; then
    note "checker self-check not made here: every host of this run describes the same OS (made by the other --part)"
fi
if [ -n "$b" ]; then
    a=${x64_outputs[0]}
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
