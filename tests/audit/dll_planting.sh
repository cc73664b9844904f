#!/usr/bin/env bash
# DLL planting: DLLs named like every DLL otharden.exe imports, and like DLLs
# commonly probed for, are planted next to a copy of otharden.exe; it runs
# `version`, `check` and `plan` on a firewall profile (which loads the firewall
# COM server) on a SIMULATED 2008 host (Wine), and none of the planted DLLs may
# be loaded on otharden's behalf. Each planted DLL (planted_dll.c) leaves a
# marker file when its DllMain runs; Wine's loader trace says which file it
# mapped and, since the planted DLLs export nothing, which module imported it.
#
#   dll_planting.sh OTHARDEN.exe PLANTED.dll VULNERABLE_LOADER.exe VULNERABLE_IMPORTER.exe OBJDUMP
#
# How Wine is made to behave like Windows here:
#  - KnownDLLs (below) are never loaded from the executable's folder on Windows;
#    Wine has no KnownDLLs, so they keep Wine's default (its builtin DLL).
#  - Every other planted name is set to native-first (WINEDLLOVERRIDES n,b):
#    Wine then searches for it as Windows does, the executable's folder first
#    unless the program removed it (SetDllDirectoryW / SetDefaultDllDirectories
#    / a full path). Without this Wine would use its builtin DLL and no planted
#    DLL could ever be seen loaded.
#  - Wine's own builtin DLLs import DLLs that the Windows ones do not (Wine's
#    user32.dll imports version.dll): a planted DLL imported ONLY by Wine builtin
#    KnownDLLs is a Wine artifact (on Windows a KnownDLL's imports come from
#    System32). It is reported loudly, and does not fail the test.
# Two deliberately vulnerable controls show the detection works: one loads
# netapi32.dll by bare name with LoadLibraryW, one imports it. Both must be
# caught, or the test fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/expect.sh"
. "$here/../lib/sim_e2e.sh"
otharden=$(readlink -f "$1")
planted=$(readlink -f "$2")
vulnerable_loader=$(readlink -f "$3")
vulnerable_importer=$(readlink -f "$4")
objdump=$5
repo=$(cd "$here/../.." && pwd)

# KnownDLLs on Server 2008 SP2 among the names used here (allowed-imports.txt
# says which imported DLLs are KnownDLLs; version, netapi32 and wtsapi32 are not).
known_dlls=" advapi32.dll kernel32.dll msvcrt.dll ole32.dll oleaut32.dll shell32.dll user32.dll "
# DLLs programs commonly probe for beside themselves (not KnownDLLs).
probed="version.dll netapi32.dll wtsapi32.dll hnetcfg.dll firewallapi.dll dwmapi.dll uxtheme.dll
        cryptbase.dll cryptsp.dll bcrypt.dll secur32.dll sspicli.dll userenv.dll profapi.dll
        iphlpapi.dll dnsapi.dll mpr.dll winsta.dll propsys.dll apphelp.dll crypt32.dll msasn1.dll
        ntmarta.dll samcli.dll wkscli.dll netutils.dll srvcli.dll logoncli.dll ole32.dll oleaut32.dll"

lower() { tr '[:upper:]' '[:lower:]'; }
is_known() { [[ $known_dlls == *" $1 "* ]]; }

# 1. What the loader resolves before main(): only KnownDLLs may be imported.
imports=$("$objdump" -p "$otharden" | awk '/DLL Name:/ {print $3}' | lower | sort -u)
[[ -n $imports ]] || { bad "no imports read from $otharden"; finish "DLL planting"; exit 1; }
not_known=""
for dll in $imports; do is_known "$dll" || not_known+=" $dll"; done
if [[ -z $not_known ]]; then
  ok "otharden.exe imports only KnownDLLs:" $imports
else
  bad "otharden.exe imports DLLs that are not KnownDLLs, loaded from its own folder first on Windows:$not_known" \
      "(call them through platform/win32/system_library.h instead)"
fi

# The plant: a folder with otharden.exe, the policies it looks for, and the DLLs.
plant=$(mktemp -d)
trap 'rm -rf "$plant"' EXIT
mkdir "$plant/app"
cp "$otharden" "$plant/app/otharden.exe"
cp -r "$repo/policies" "$plant/app/policies"
names=$(printf '%s\n' $imports $probed | lower | sort -u)
overrides="winemenubuilder.exe=d"
for dll in $names; do
  cp "$planted" "$plant/app/$dll"
  is_known "$dll" || overrides+=";${dll%.dll}=n,b"
done

# Without wine32 a 32-bit exe cannot run here: the import check above still
# counts (a failure fails the test), the rest is skipped loudly.
if [[ $("$objdump" -f "$otharden" | awk '/file format/ {print $NF}') == pei-i386 ]] &&
   ! sim_have_wine32; then
  echo "################################################################################"
  echo "# dll-planting: the runs under Wine SKIPPED for the x86 otharden.exe:"
  echo "# $(sim_no_wine32_reason). Its imports were checked (above)."
  echo "################################################################################"
  finish "DLL planting (imports only)" || exit 1
  exit 77
fi
sim_e2e_begin dll-planting "$plant/app/otharden.exe" 6003-2022-05-firewall
trap '"$sim/session.sh" end "$prefix" >/dev/null 2>&1; rm -rf "$plant"' EXIT

# traced_run DIR LOG EXE ARGS...: EXE in the simulated host with the overrides and
# Wine's loader trace (to LOG); stdout+stderr of EXE to LOG.out; returns its status.
traced_run() {
  local log=$2
  shift 2
  SIM_WINEDLLOVERRIDES="$overrides" SIM_WINEDEBUG="warn+module,+loaddll" \
    "$sim/run-in-host.sh" "$prefix" "$@" >"$log" 2>&1
}

# planted_loads LOG DIR: one line "NAME: why" per DLL of DIR that Wine mapped as
# native code in the run of LOG and that is not a Wine artifact (see above).
planted_loads() {
  local text dir_win name importers importer base builtins excused
  text=$(sed 's/\\\\/\\/g' "$1" | tr -d '\r')
  dir_win=$(winepath_of "$2")
  builtins=$(grep -oE 'Loaded L"[^"]*" at [0-9A-Fa-f]+: builtin' <<<"$text" |
             sed -E 's/^Loaded L"(.*\\)?([^\\"]*)".*/\2/' | lower | sort -u)
  grep -F "Loaded L\"$dir_win\\" <<<"$text" | grep -E ': native$' |
    sed -E 's/^.*Loaded L"(.*\\)?([^\\"]*)".*/\2/' | lower | sort -u |
    while read -r name; do
      [[ $name == *.exe ]] && continue
      importers=$(grep -iF "No implementation for $name." <<<"$text" |
                  sed -E 's/.*imported from L"([^"]*)".*/\1/' | sed -E 's/^(.*\\)?//' | lower | sort -u)
      excused=1
      [[ -z $importers ]] && excused=0
      for importer in $importers; do
        if ! is_known "$importer" || ! grep -qx "$importer" <<<"$builtins"; then excused=0; fi
      done
      if [[ $excused -eq 1 ]]; then
        echo "$name: imported only by Wine's builtin$(printf ' %s' $importers) (a Wine artifact)" >&2
      else
        echo "$name: loaded from the plant folder;" \
             "importers: ${importers:-none (LoadLibrary by name)}$(ls "$2" | lower | grep -qx "$name.loaded" && echo '; its DllMain ran')"
      fi
    done
}

# 2. The controls: the detection sees a planted DLL being loaded.
mkdir "$plant/control"
cp "$vulnerable_loader" "$vulnerable_importer" "$plant/control/"
cp "$planted" "$plant/control/netapi32.dll"
traced_run "$plant/control" "$plant/control-loader.log" "$plant/control/$(basename "$vulnerable_loader")" netapi32.dll
found=$(planted_loads "$plant/control-loader.log" "$plant/control" 2>/dev/null)
if grep -q '^netapi32.dll: loaded from the plant folder; importers: none (LoadLibrary by name); its DllMain ran' <<<"$found"; then
  ok "control: LoadLibraryW(L\"netapi32.dll\") without SetDllDirectoryW loads the planted DLL, and this test sees it"
else
  bad "control: the planted netapi32.dll loaded by name was NOT detected (the test could not fail):"
  sed 's/^/    | /' <<<"$found"; grep -i netapi32 "$plant/control-loader.log" | head -5 | sed 's/^/    | /'
fi
rm -f "$plant/control/netapi32.dll.loaded"
traced_run "$plant/control" "$plant/control-importer.log" "$plant/control/$(basename "$vulnerable_importer")"
found=$(planted_loads "$plant/control-importer.log" "$plant/control" 2>/dev/null)
if grep -q "^netapi32.dll: loaded from the plant folder; importers: $(basename "$vulnerable_importer" | lower)" <<<"$found"; then
  ok "control: a program that imports netapi32.dll gets the planted one, and this test sees it"
else
  bad "control: the planted netapi32.dll imported by a program was NOT detected (the test could not fail):"
  sed 's/^/    | /' <<<"$found"; grep -i netapi32 "$plant/control-importer.log" | head -5 | sed 's/^/    | /'
fi

# 3. otharden.exe itself, with every name planted beside it.
app_exe=$plant/app/otharden.exe
profile=$(winepath_of "$repo/tests/e2e/profiles/firewall-lockdown.xml")
check_run() {  # NAME WANT_CODES PATTERN ARGS...
  local name=$1 codes=$2 pattern=$3 code found
  shift 3
  traced_run "$plant/app" "$plant/$name.log" "$app_exe" "$@"
  code=$?
  found=$(planted_loads "$plant/$name.log" "$plant/app" 2>"$plant/$name.artifacts")
  if [[ -s $plant/$name.artifacts ]]; then
    echo "################################################################################"
    echo "# otharden.exe $*: Wine's own DLLs loaded planted DLLs (Wine artifacts, not otharden):"
    sed 's/^/#   /' "$plant/$name.artifacts"
    echo "################################################################################"
  fi
  local out
  out=$(grep -vE ':(trace|warn|fixme|err):' "$plant/$name.log" | tr -d '\r')
  if [[ " $codes " != *" $code "* ]] || ! grep -Eq -- "$pattern" <<<"$out"; then
    bad "otharden.exe $* with planted DLLs: exit $code (want $codes), output:"
    sed 's/^/    | /' <<<"$out" | head -20
  elif [[ -n $found ]]; then
    bad "otharden.exe $* loaded planted DLLs:"; sed 's/^/    | /' <<<"$found"
  else
    ok "otharden.exe $*: exit $code, none of the $(wc -w <<<"$names") planted DLLs loaded on its behalf"
  fi
}
check_run version "0" '^target: ' version
check_run check "0 1" '^otharden check: policy esu-6003' check
check_run plan "0" 'firewall: add rule' plan --profile "$profile"
finish "DLL planting"
