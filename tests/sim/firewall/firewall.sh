# firewall.sh - the firewall part of the otharden 2008 host SIMULATOR (tests/sim).
# Sourced by lib.sh; not executable on its own. Everything here is test tooling.
#
# Wine 8.0 has no working firewall: its hnetcfg.dll creates NetFwPolicy2 but answers
# E_NOTIMPL. The simulator's own COM server (netfw_sim.cc, built as hnetcfg.dll) is put
# in C:\windows\system32 and loaded only by the per-app executables (otharden.exe,
# fwprobe.exe, --app ...) through AppDefaults\<app>\DllOverrides "hnetcfg"="native";
# the global DllOverrides "hnetcfg"="builtin" keeps Wine's own hnetcfg.dll in every
# other process (without it, Wine loads whatever hnetcfg.dll lies in system32 - tested).
# State: the local-store registry format (FirewallPolicy\FirewallRules and the profile
# keys), seeded from the host description. See tests/sim/README.md "Firewall".
# shellcheck shell=bash disable=SC2034

SIM_FW_DIR="$SIM_DIR/firewall"
SIM_FW_POLICY_KEY='HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy'
SIM_FW_OWN_KEY='HKEY_LOCAL_MACHINE\SOFTWARE\otharden-simulator\Firewall'
# the one simulated network adapter (INetFwRule::Interfaces, ExcludedInterfaces)
SIM_FW_ADAPTER_NAME='Local Area Connection'
SIM_FW_ADAPTER_GUID='{8A3E52C4-5B1D-4F0A-9C7E-2D61B0F4A913}'

# sim_fw_build x64|x86: build (once per source/compiler version) the simulator's
# hnetcfg.dll and fwprobe.exe under $SIM_BUILD/firewall/<arch>-<hash>/ and set
# SIM_FW_DLL and SIM_FW_PROBE. Static; the DLL imports ADVAPI32, KERNEL32, msvcrt, ole32,
# OLEAUT32 only.
sim_fw_build() {
    local arch=$1 tc key dir work
    if [ "$arch" = x64 ]; then tc=x86_64-w64-mingw32; else tc=i686-w64-mingw32; fi
    command -v "$tc-g++" >/dev/null 2>&1 || sim_die "$SIM_EXIT_ERROR" "$tc-g++ not found (install g++-mingw-w64)"
    key=$( { cat "$SIM_FW_DIR/netfw_sim.cc" "$SIM_FW_DIR/netfw_sim.def" "$SIM_FW_DIR/fwprobe.c"; "$tc-g++" --version | head -1; } |
           md5sum | cut -c1-12)
    dir="$SIM_BUILD/firewall/$arch-$key"
    SIM_FW_DLL="$dir/hnetcfg.dll"
    SIM_FW_PROBE="$dir/fwprobe.exe"
    [ -f "$SIM_FW_DLL" ] && [ -f "$SIM_FW_PROBE" ] && return 0
    mkdir -p "$SIM_BUILD/firewall"
    # tests run in parallel: one build at a time (fd 7), the others use its result
    exec 7>"$SIM_BUILD/firewall/.build.lock"
    flock 7
    if [ -f "$SIM_FW_DLL" ] && [ -f "$SIM_FW_PROBE" ]; then exec 7>&-; return 0; fi
    work=$(mktemp -d "$SIM_BUILD/firewall/tmp.XXXXXX")
    if ! "$tc-g++" -O2 -std=c++17 -Wall -Wextra -shared -static -static-libgcc -static-libstdc++ -s \
            -D_WIN32_WINNT=0x0600 -DWINVER=0x0600 -o "$work/hnetcfg.dll" \
            "$SIM_FW_DIR/netfw_sim.cc" "$SIM_FW_DIR/netfw_sim.def" -lole32 -loleaut32 -luuid -ladvapi32 \
            >"$work/build.log" 2>&1 ||
       ! "$tc-gcc" -O1 -Wall -Wextra -municode -static -s -D_WIN32_WINNT=0x0600 -DWINVER=0x0600 \
            -o "$work/fwprobe.exe" "$SIM_FW_DIR/fwprobe.c" -lole32 -loleaut32 -luuid >>"$work/build.log" 2>&1; then
        cat "$work/build.log" >&2
        rm -rf "$work"
        sim_die "$SIM_EXIT_ERROR" "cannot build the firewall simulator (tests/sim/firewall/netfw_sim.cc, fwprobe.c)"
    fi
    mkdir -p "$dir"
    mv -f "$work/hnetcfg.dll" "$work/fwprobe.exe" "$dir/"
    rm -rf "$work"
    exec 7>&-
}

# ---------------------------------------------------------------------------------------
# host description (make-host.sh): firewall, firewall_current, firewall_ruleset,
# firewall_rule, firewall_enable, firewall_api, firewall_rules_remove
# ---------------------------------------------------------------------------------------
SIM_FW_HOST_KEYS="firewall firewall_current firewall_ruleset firewall_rule firewall_enable firewall_api firewall_rules_remove"

# sim_fw_describe ENTRY...: validate the firewall lines of a host description
# ("LINENO:KEY=VALUE" each; errors through make-host.sh's `bad`) and set:
#   SIM_FW_API        none (no firewall line: stock Wine, nothing seeded) | simulator | wine
#   fw_state[P]       "ENABLE INBOUND OUTBOUND BLOCKALL NONOTIFY" registry DWORDs per profile
#   fw_current        1 domain | 2 private | 4 public
#   fw_remove         first | all
#   fw_ids/fw_rules   the rules to seed (value name, rule string), ruleset first
#   fw_factory_ids/fw_factory_rules   the ruleset as shipped (RestoreLocalFirewallDefaults)
sim_fw_describe() {
    local entry key val p w words ruleset="" id s i found line rline
    declare -gA fw_state=([domain]="1 1 0 0 0" [private]="1 1 0 0 0" [public]="1 1 0 0 0")
    fw_current=4; fw_remove=first; SIM_FW_API=none
    fw_ids=(); fw_rules=(); fw_factory_ids=(); fw_factory_rules=()
    local -a enable=() extra_ids=() extra_rules=()
    local -A seen_profile=() seen_key=()
    [ $# -gt 0 ] || return 0
    SIM_FW_API=simulator
    for entry in "$@"; do
        lineno=${entry%%:*}; entry=${entry#*:}
        key=${entry%%=*}; val=${entry#*=}
        case "$key" in
            firewall|firewall_rule|firewall_enable) ;;
            *) [ -z "${seen_key[$key]+x}" ] || bad "duplicate key '$key'"; seen_key[$key]=1 ;;
        esac
        case "$key" in
            firewall)
                # firewall=PROFILE on|off INBOUND OUTBOUND [block-all-inbound] [notifications-disabled]
                read -r -a words <<<"$val"
                [ ${#words[@]} -ge 4 ] || bad "firewall=PROFILE on|off block|allow block|allow [block-all-inbound] [notifications-disabled]"
                p=${words[0]}
                case "$p" in domain|private|public) ;; *) bad "firewall: profile must be domain, private or public" ;; esac
                [ -z "${seen_profile[$p]+x}" ] || bad "firewall: profile $p described twice"
                seen_profile[$p]=1
                local en ib ob ba nn=0
                case "${words[1]}" in on) en=1 ;; off) en=0 ;; *) bad "firewall $p: state must be on or off" ;; esac
                case "${words[2]}" in block) ib=1 ;; allow) ib=0 ;; *) bad "firewall $p: inbound default must be block or allow" ;; esac
                case "${words[3]}" in block) ob=1 ;; allow) ob=0 ;; *) bad "firewall $p: outbound default must be block or allow" ;; esac
                ba=0
                for w in "${words[@]:4}"; do
                    case "$w" in
                        block-all-inbound) ba=1 ;;
                        notifications-disabled) nn=1 ;;
                        *) bad "firewall $p: unknown option '$w'" ;;
                    esac
                done
                fw_state[$p]="$en $ib $ob $ba $nn" ;;
            firewall_current)
                case "$val" in domain) fw_current=1 ;; private) fw_current=2 ;; public) fw_current=4 ;;
                    *) bad "firewall_current must be domain, private or public (NT 6.0 has one active profile)" ;; esac ;;
            firewall_ruleset)
                [[ "$val" =~ ^[a-z0-9_-]+$ ]] || bad "firewall_ruleset: bad name '$val'"
                [ "$val" = none ] || [ -f "$SIM_FW_DIR/rulesets/$val.rules" ] ||
                    bad "firewall_ruleset: no tests/sim/firewall/rulesets/$val.rules"
                ruleset=$val ;;
            firewall_rule)
                [[ "$val" =~ ^([^[:space:]]+)[[:space:]]+(.+)$ ]] || bad "firewall_rule=ID RULE-STRING"
                id=${BASH_REMATCH[1]}; s=${BASH_REMATCH[2]}
                sim_fw_check_rule "$id" "$s"
                extra_ids+=("$id"); extra_rules+=("$s") ;;
            firewall_enable)
                for w in $val; do enable+=("$lineno:$w"); done ;;
            firewall_api)
                case "$val" in simulator|wine) SIM_FW_API=$val ;; *) bad "firewall_api must be simulator or wine" ;; esac ;;
            firewall_rules_remove)
                case "$val" in first|all) fw_remove=$val ;; *) bad "firewall_rules_remove must be first or all" ;; esac ;;
        esac
    done
    lineno='-'
    if [ -n "$ruleset" ] && [ "$ruleset" != none ]; then
        rline=0
        while IFS= read -r line || [ -n "$line" ]; do
            rline=$((rline + 1))
            line=${line%$'\r'}
            [[ "$line" =~ ^[[:space:]]*(#.*)?$ ]] && continue
            [[ "$line" =~ ^([^[:space:]]+)[[:space:]]+(.+)$ ]] ||
                sim_die "$SIM_EXIT_USAGE" "rulesets/$ruleset.rules:$rline: expected RULE-ID RULE-STRING"
            lineno="rulesets/$ruleset.rules:$rline"
            id=${BASH_REMATCH[1]}; s=${BASH_REMATCH[2]}
            sim_fw_check_rule "$id" "$s"
            fw_factory_ids+=("$id"); fw_factory_rules+=("$s")
        done < "$SIM_FW_DIR/rulesets/$ruleset.rules"
        lineno='-'
    fi
    fw_ids=("${fw_factory_ids[@]}"); fw_rules=("${fw_factory_rules[@]}")
    # a firewall_rule with the id of a ruleset rule replaces it; others are appended
    for i in "${!extra_ids[@]}"; do
        found=0
        for p in "${!fw_ids[@]}"; do
            if [ "${fw_ids[$p]}" = "${extra_ids[$i]}" ]; then fw_rules[p]=${extra_rules[$i]}; found=1; fi
        done
        if [ $found = 0 ]; then
            for p in "${extra_ids[@]:0:$i}"; do [ "$p" != "${extra_ids[$i]}" ] || bad "firewall_rule: duplicate id ${extra_ids[$i]}"; done
            fw_ids+=("${extra_ids[$i]}"); fw_rules+=("${extra_rules[$i]}")
        fi
    done
    # firewall_enable=ID...: the rule's Active=FALSE becomes Active=TRUE
    for w in "${enable[@]}"; do
        lineno=${w%%:*}; w=${w#*:}
        found=0
        for p in "${!fw_ids[@]}"; do
            [ "${fw_ids[$p]}" = "$w" ] || continue
            found=1
            case "${fw_rules[$p]}" in
                *'|Active=TRUE|'*) ;;
                *'|Active=FALSE|'*) fw_rules[p]=${fw_rules[$p]/|Active=FALSE|/|Active=TRUE|} ;;
                *) fw_rules[p]=${fw_rules[$p]/|/|Active=TRUE|} ;;
            esac
        done
        [ $found = 1 ] || bad "firewall_enable: no rule with id '$w'"
    done
    lineno='-'
}

# sim_fw_check_rule ID STRING: the shape the local store needs (the DLL parses the rest;
# the selftest checks that every seeded rule reads back through the API).
sim_fw_check_rule() {
    [[ "$1" =~ ^[A-Za-z0-9_.{}@-]{1,255}$ ]] || bad "firewall rule id '$1': use A-Z a-z 0-9 _ . { } @ - (at most 255)"
    [[ "$2" =~ ^v[0-9]{1,3}\.[0-9]{1,3}\|.*\|$ ]] || bad "firewall rule $1: a rule string starts with vMAJOR.MINOR| and ends with |"
    case "$2" in *'|Name='*) ;; *) bad "firewall rule $1: no Name= field (INetFwRule::Name is required)" ;; esac
}

# sim_fw_host_reg: the .reg text that seeds the firewall of a host (after sim_fw_describe).
# Needs make-host.sh's q() and dw().
sim_fw_host_reg() {
    [ "$SIM_FW_API" != none ] || return 0
    local p k i line vals
    for p in domain private public; do
        case "$p" in domain) k=DomainProfile ;; private) k=StandardProfile ;; public) k=PublicProfile ;; esac
        read -r -a vals <<<"${fw_state[$p]}"
        echo "[$SIM_FW_POLICY_KEY\\$k]"
        printf '"EnableFirewall"=%s\n' "$(dw "${vals[0]}")"
        printf '"DefaultInboundAction"=%s\n' "$(dw "${vals[1]}")"
        printf '"DefaultOutboundAction"=%s\n' "$(dw "${vals[2]}")"
        printf '"DoNotAllowExceptions"=%s\n' "$(dw "${vals[3]}")"
        printf '"DisableNotifications"=%s\n\n' "$(dw "${vals[4]}")"
    done
    echo "[$SIM_FW_POLICY_KEY\\FirewallRules]"
    for i in "${!fw_ids[@]}"; do printf '%s=%s\n' "$(q "${fw_ids[$i]}")" "$(q "${fw_rules[$i]}")"; done
    echo
    # the simulator's own settings (not Windows keys)
    echo "[$SIM_FW_OWN_KEY]"
    printf '"CurrentProfileTypes"=%s\n' "$(dw "$fw_current")"
    printf '"RulesRemove"=%s\n\n' "$(q "$fw_remove")"
    echo "[$SIM_FW_OWN_KEY\\Interfaces]"
    printf '%s=%s\n\n' "$(q "$SIM_FW_ADAPTER_NAME")" "$(q "$SIM_FW_ADAPTER_GUID")"
    echo "[$SIM_FW_OWN_KEY\\IndirectStrings]"
    while IFS=$'\t' read -r k line; do
        case "$k" in ''|'#'*) continue ;; esac
        printf '%s=%s\n' "$(q "$k")" "$(q "$line")"
    done < "$SIM_FW_DIR/indirect-strings.txt"
    echo
    echo "[$SIM_FW_OWN_KEY\\FactoryRules]"
    for i in "${!fw_factory_ids[@]}"; do printf '%s=%s\n' "$(q "${fw_factory_ids[$i]}")" "$(q "${fw_factory_rules[$i]}")"; done
    echo
    if [ "$SIM_FW_API" = simulator ]; then
        # every process keeps Wine's builtin hnetcfg.dll; the per-app keys override it
        echo '[HKEY_CURRENT_USER\Software\Wine\DllOverrides]'
        echo '"hnetcfg"="builtin"'
        echo
    fi
}

# sim_fw_app_reg: the line for a per-app DllOverrides section (empty unless simulated).
sim_fw_app_reg() {
    [ "$SIM_FW_API" = simulator ] && echo '"hnetcfg"="native"'
    return 0
}

# sim_fw_install PREFIX ARCH: put the simulator's hnetcfg.dll into the prefix (replacing
# Wine's fake-DLL file - rm first: it is a hard link to the base prefix), create the
# log directory, write sim/firewall-rules.tsv (id TAB rule string, as seeded).
sim_fw_install() {
    local prefix=$1 arch=$2 i
    [ "$SIM_FW_API" != none ] || return 0
    {
        printf 'id\trule\n'
        for i in "${!fw_ids[@]}"; do printf '%s\t%s\n' "${fw_ids[$i]}" "${fw_rules[$i]}"; done
    } > "$prefix/sim/firewall-rules.tsv"
    [ "$SIM_FW_API" = simulator ] || return 0
    mkdir -p "$prefix/$SIM_PREFIX_DIR/logs"
    sim_fw_build "$arch"
    rm -f "$prefix/drive_c/windows/system32/hnetcfg.dll"
    cp "$SIM_FW_DLL" "$prefix/drive_c/windows/system32/hnetcfg.dll"
    cp "$SIM_FW_PROBE" "$prefix/$SIM_PREFIX_DIR/fwprobe.exe"
    if [ "$arch" = x64 ] && command -v i686-w64-mingw32-g++ >/dev/null 2>&1; then
        # for 32-bit processes (WOW64); untested here without wine32
        sim_fw_build x86
        rm -f "$prefix/drive_c/windows/syswow64/hnetcfg.dll"
        cp "$SIM_FW_DLL" "$prefix/drive_c/windows/syswow64/hnetcfg.dll"
        sim_fw_build x64      # leave SIM_FW_DLL/SIM_FW_PROBE at the host's architecture
    fi
}

# sim_fw_host_env: host.env lines (shell syntax).
sim_fw_host_env() {
    printf 'SIM_HOST_FIREWALL_API=%q\n' "$SIM_FW_API"
    [ "$SIM_FW_API" != none ] || return 0
    printf 'SIM_HOST_FIREWALL_DOMAIN=%q\n' "${fw_state[domain]}"
    printf 'SIM_HOST_FIREWALL_PRIVATE=%q\n' "${fw_state[private]}"
    printf 'SIM_HOST_FIREWALL_PUBLIC=%q\n' "${fw_state[public]}"
    printf 'SIM_HOST_FIREWALL_CURRENT_PROFILE_TYPES=%q\n' "$fw_current"
    printf 'SIM_HOST_FIREWALL_RULES_REMOVE=%q\n' "$fw_remove"
    printf 'SIM_HOST_FIREWALL_RULE_COUNT=%q\n' "${#fw_ids[@]}"
}

# sim_fw_verify PREFIX: after the wineserver flushed system.reg, the seeded store is there.
sim_fw_verify() {
    local prefix=$1 n
    [ "$SIM_FW_API" != none ] || return 0
    n=$(awk '/^\[/ { insec = (tolower($1) == "[system\\\\currentcontrolset\\\\services\\\\sharedaccess\\\\parameters\\\\firewallpolicy\\\\firewallrules]") ; next }
             insec && /^"/ { n++ } END { print n + 0 }' "$prefix/system.reg")
    [ "$n" = "${#fw_ids[@]}" ] ||
        sim_die "$SIM_EXIT_ERROR" "firewall: $n rule values in system.reg after import, want ${#fw_ids[@]}"
}
