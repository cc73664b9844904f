#!/usr/bin/env bash
# media_wine_test.sh - the stick as the technician meets it: built and verified by the
# Windows otharden.exe under Wine on a SIMULATED 2008 host (tests/sim), reached through
# run.cmd from another drive letter and another current directory.
#
#   tests/media/media_wine_test.sh OTHARDEN_EXE     build/win64/otharden.exe or build/win32/...
#
# The exe given is the one under test (x64 or x86, from its PE header). The other
# architecture's exe on the stick is the sibling build (win64 <-> win32) when it
# exists, otherwise a STAND-IN (a tiny MinGW-built PE of that machine type) - said so
# in the output. Steps:
#   keygen (unencrypted TEST vendor key) and `media build` run by the exe under Wine;
#   the stick is mapped as E: (a dosdevices link, how Wine maps drives);
#   from C:\windows\system32: E:\run.cmd media verify -> exit 0, VERIFIED (run.cmd picks
#   this exe's architecture: PROCESSOR_ARCHITECTURE is set to match);
#   E:\bin\<arch>\otharden.exe media verify (no DIR: the stick it runs from) -> exit 0;
#   an executable, the MANIFEST changed, an extra executable -> exit 1 naming the file;
#   a file in reports\ -> still exit 0.
# Measures stick size, file count and the time `media verify` takes under Wine (and,
# as a baseline, `version`: Wine's own start-up is most of it).
# Exit: 0 passed; 1 failed; 2 bad usage; 77 SKIP (no Wine, or a 32-bit exe without
# wine32 - loudly); 125 simulator failure.
set -uo pipefail
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "usage: media_wine_test.sh OTHARDEN_EXE" >&2
    exit 2
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
sim=$repo/tests/sim
if ! command -v wine >/dev/null 2>&1; then
    echo "media_wine_test: SKIP: wine not installed" >&2
    exit 77
fi
# shellcheck source=../sim/lib.sh
SIM_PROG=media_wine_test . "$sim/lib.sh"
arch=$(sim_pe_arch "$exe")
case "$arch" in
    x64) other=x86; sibling=${exe/win64/win32}; cc=i686-w64-mingw32-gcc; wine_arch=AMD64 ;;
    x86) other=x64; sibling=${exe/win32/win64}; cc=x86_64-w64-mingw32-gcc; wine_arch=x86 ;;
    *) echo "media_wine_test: $exe is not an x86 or x64 Windows executable" >&2; exit 2 ;;
esac
if [ "$arch" = x86 ] && ! sim_have_wine32; then
    echo "################################################################################"
    echo "# media_wine_test SKIPPED for the x86 otharden.exe: wine32 (i386) is not installed,"
    echo "# so a 32-bit program cannot run here. run.cmd's choice of bin\\x86 is checked by"
    echo "# media-run-cmd (dry run); media verify by the x86 exe is NOT exercised."
    echo "################################################################################"
    exit 77
fi

simbuild=${SIM_BUILD_DIR:-$repo/build/sim}
mkdir -p "$simbuild"
work=$(mktemp -d "$simbuild/media-wine.XXXXXX")
host=$work/host
cleanup() {
    "$sim/session.sh" end "$host" >/dev/null 2>&1 || true
    rm -rf "$work" "$host.lock"
}
trap cleanup EXIT
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS  $*"; }
bad() { fail=$((fail + 1)); echo "FAIL  $*"; }
winpath() { printf 'Z:%s' "${1//\//\\}"; }
crlf() { sed 's/$/\r/'; }

# --- the other architecture's executable --------------------------------------------------
if [ -f "$sibling" ] && [ "$sibling" != "$exe" ]; then
    other_exe=$sibling
    echo "bin\\$other: the real $other build ($other_exe)"
else
    command -v "$cc" >/dev/null 2>&1 || { echo "media_wine_test: SKIP: no $other build and no $cc for a stand-in" >&2; exit 77; }
    printf 'int main(void) { return 0; }\n' >"$work/standin.c"
    other_exe=$work/standin-$other.exe
    "$cc" -s -o "$other_exe" "$work/standin.c" || exit 1
    echo "bin\\$other: a STAND-IN (tiny $other PE built here: no $other build beside $exe)"
fi

# --- simulated host, session ---------------------------------------------------------------
if ! "$sim/make-host.sh" "$sim/hosts/6003-2022-05-full.host" "$host" >"$work/make-host.log" 2>&1; then
    cat "$work/make-host.log" >&2
    echo "media_wine_test: simulator failure: make-host.sh" >&2
    exit 125
fi
"$sim/session.sh" begin "$host" >/dev/null 2>&1 || { echo "media_wine_test: simulator failure: session begin" >&2; exit 125; }

out=$work/out
# expect NAME WANT_RC PATTERN CMD...: run in the simulated host; PATTERN (grep -E) must
# be in the output, as lines or as one joined line (messages are word-wrapped).
expect() {
    local name=$1 want=$2 pat=$3; shift 3
    local rc=0
    "$sim/run-in-host.sh" "$host" "$@" >"$out" 2>&1 </dev/null || rc=$?
    tr -d '\r' <"$out" >"$out.u"
    local why=
    [ "$rc" = "$want" ] || why="exit $rc, wanted $want"
    if [ -n "$pat" ] && ! grep -Eq -- "$pat" "$out.u" && ! tr '\n' ' ' <"$out.u" | tr -s ' ' | grep -Eq -- "$pat"; then
        why="${why:+$why; }no /$pat/ in the output"
    fi
    if [ -z "$why" ]; then ok "$name"; else bad "$name ($why)"; sed 's/^/      | /' "$out.u" | head -25; fi
}
n=0
driver() {  # a CRLF batch file whose last line starts run.cmd; prints its Windows path
    n=$((n + 1))
    { echo '@echo off'; printf '%s\n' "$@"; echo 'exit /b 99'; } | crlf >"$work/t$n.cmd"
    winpath "$work/t$n.cmd"
}
setarch="set PROCESSOR_ARCHITECTURE=$wine_arch"

# --- build the stick with the Windows exe --------------------------------------------------
stick="$work/usb stick"
expect "keygen under Wine ($arch exe): a TEST vendor key" 0 "new key pair" \
    "$exe" keygen --out "$(winpath "$work/test-vendor")" --unencrypted
mkdir -p "$work/profiles"
cp "$repo/tests/e2e/profiles/services-lockdown.xml" "$work/profiles/"
x64_exe=$exe; x86_exe=$other_exe
[ "$arch" = x86 ] && { x64_exe=$other_exe; x86_exe=$exe; }
expect "media build under Wine ($arch exe)" 0 "is ready" \
    "$exe" media build --vendor-key "$(winpath "$work/test-vendor.key")" --out "$(winpath "$stick")" \
    --x64 "$(winpath "$x64_exe")" --x86 "$(winpath "$x86_exe")" --policies "$(winpath "$repo/policies")" \
    --profiles "$(winpath "$work/profiles")" --template "$(winpath "$repo/media")"
[ -f "$stick/MANIFEST.minisig" ] || { bad "no stick was built"; echo "media wine tests: $pass passed, $fail failed"; exit 1; }
ln -sfn "$stick" "$host/dosdevices/e:"

# --- verify, as the technician does --------------------------------------------------------
expect "from C:\\windows\\system32: E:\\run.cmd media verify -> VERIFIED, exit 0" 0 "^VERDICT: MEDIA VERIFIED" \
    cmd.exe /c "$(driver "$setarch" 'cd /d C:\windows\system32' 'E:\run.cmd media verify')"
grep -q "trusted keys *E:\\\\keys\\\\trusted\|trusted keys *E:.keys.trusted" "$out.u" &&
    ok "  ... it checked the stick it runs from (E:\\), found by itself" || { bad "  ... checked E:\\"; sed 's/^/      | /' "$out.u"; }
expect "E:\\bin\\$arch\\otharden.exe media verify (no DIR: the stick it runs from) -> exit 0" 0 "^VERDICT: MEDIA VERIFIED" \
    cmd.exe /c "$(driver 'cd /d C:\' "E:\\bin\\$arch\\otharden.exe media verify" 'exit /b %ERRORLEVEL%')"
expect "media verify of the stick by its Z: path, from the build tree's exe -> exit 0" 0 "^VERDICT: MEDIA VERIFIED" \
    "$exe" media verify "$(winpath "$stick")" --pub "$(winpath "$work/test-vendor.pub")"

# Reports written on site do not matter.
echo "<report/>" >"$stick/reports/host-report.xml"
expect "a report in E:\\reports\\: still VERIFIED" 0 "^VERDICT: MEDIA VERIFIED" \
    cmd.exe /c "$(driver "$setarch" 'E:\run.cmd media verify')"

# --- tampering ---------------------------------------------------------------------------
cp "$stick/bin/$other/otharden.exe" "$work/backup.exe"
printf x >>"$stick/bin/$other/otharden.exe"
expect "bin\\$other\\otharden.exe changed: run.cmd media verify -> NOT VERIFIED, exit 1, named" 1 \
    "changed: bin/$other/otharden\.exe" cmd.exe /c "$(driver "$setarch" 'E:\run.cmd media verify')"
grep -q '^VERDICT: MEDIA NOT VERIFIED' "$out.u" && ok "  ... verdict MEDIA NOT VERIFIED" || bad "  ... verdict"
cp "$work/backup.exe" "$stick/bin/$other/otharden.exe"
cp "$work/backup.exe" "$stick/bin/$arch/extra.exe"
expect "an extra executable bin\\$arch\\extra.exe -> exit 1, named" 1 "extra \(not in MANIFEST\): bin/$arch/extra\.exe" \
    cmd.exe /c "$(driver "$setarch" 'E:\run.cmd media verify')"
rm "$stick/bin/$arch/extra.exe"
cp "$stick/MANIFEST" "$work/MANIFEST.bak"
# One hex digit of the first file's hash, changed.
awk 'NR == 2 { c = substr($0, 11, 1); $0 = substr($0, 1, 10) (c == "0" ? "1" : "0") substr($0, 12) } { print }' \
    "$work/MANIFEST.bak" >"$stick/MANIFEST"
expect "MANIFEST changed -> exit 1, MANIFEST.minisig named" 1 "MANIFEST\.minisig" \
    cmd.exe /c "$(driver "$setarch" 'E:\run.cmd media verify')"
cp "$work/MANIFEST.bak" "$stick/MANIFEST"
expect "restored: VERIFIED again" 0 "^VERDICT: MEDIA VERIFIED" cmd.exe /c "$(driver "$setarch" 'E:\run.cmd media verify')"

# --- numbers -------------------------------------------------------------------------------
ms() { local s; s=$(date +%s%N); "$sim/run-in-host.sh" "$host" "$@" >/dev/null 2>&1 </dev/null; echo $(( ($(date +%s%N) - s) / 1000000 )); }
t_version=$(ms "$stick/bin/$arch/otharden.exe" version)
t_verify=$(ms "$stick/bin/$arch/otharden.exe" media verify)
t_runcmd=$(ms cmd.exe /c "$(driver "$setarch" 'E:\run.cmd media verify')")
echo "MEASURED ($arch exe under Wine, bin\\$other $( [ "$other_exe" = "$sibling" ] && echo real || echo STAND-IN)):" \
     "$(find "$stick" -type f ! -path '*/reports/*' | wc -l) files, $(du -sb --exclude=reports "$stick" | cut -f1) bytes;" \
     "otharden version ${t_version} ms, media verify ${t_verify} ms, run.cmd media verify ${t_runcmd} ms (wall, Wine start-up included)"

echo "media wine tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
