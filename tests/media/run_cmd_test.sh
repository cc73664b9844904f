#!/usr/bin/env bash
# run_cmd_test.sh - exercise media/run.cmd under Wine's cmd.exe on a SIMULATED 2008 host.
#
#   tests/media/run_cmd_test.sh OTHARDEN_X64_EXE        e.g. build/win64/otharden.exe
#
# Stages a temporary stick in a folder whose name has spaces, parentheses and "!":
#   bin\x64\otharden.exe   (OTHARDEN_X64_EXE)
#   bin\x86\otharden.exe   (the same path with win64 -> win32, when that file exists)
#   policies\, run.cmd, README.txt
# builds simulated hosts with tests/sim/make-host.sh (6003-2022-05-full: compliant;
# vanilla-6002: not compliant), maps the stick as drive E: (a dosdevices symlink in the
# prefix, which is how Wine maps drive letters), and runs run.cmd through
# `tests/sim/run-in-host.sh PREFIX cmd.exe /c ...` (cmd.exe is not a Linux file, so
# run-in-host lets Wine resolve it in the prefix). Cases that need environment
# variables, another current directory or a path with spaces go through small CRLF
# driver batch files (outside the stick) that then start run.cmd.
#
# What Wine cannot show, and how it is handled:
# - Wine sets PROCESSOR_ARCHITECTURE itself for every process (the test's environment is
#   ignored), so the drivers `set` it inside cmd before calling run.cmd.
# - Wine runs everything as an elevated administrator; there is no unelevated token. The
#   "not elevated" refusal is exercised by pointing SystemRoot at a folder whose
#   fltmc.exe and net.exe always fail (built here with MinGW) - a simulation of the two
#   probes failing, not of UAC.
# - Without wine32 a 32-bit otharden.exe cannot run (Wine prints nothing, exits 0): the
#   x86 choice is then checked with run.cmd's test aid OTHARDEN_RUNCMD_DRYRUN=1 (prints
#   the chosen executable, runs nothing), and the real x86 run is reported as SKIP.
#
# Exit: 0 all passed; 1 a failure; 77 cannot run here (no Wine / no simulator);
# 2 bad usage. Prints "run.cmd tests: N passed, N failed".
set -uo pipefail

if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "usage: run_cmd_test.sh OTHARDEN_X64_EXE (an existing file)" >&2
    exit 2
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exe64=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
exe32=
case "$exe64" in *win64*) exe32=${exe64/win64/win32} ;; esac
[ -n "$exe32" ] && [ -f "$exe32" ] || exe32=

sim=$repo/tests/sim
if ! command -v wine >/dev/null 2>&1; then
    echo "run_cmd_test: SKIP: wine not installed, run.cmd cannot be exercised here" >&2
    exit 77
fi
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || {
    echo "run_cmd_test: SKIP: x86_64-w64-mingw32-gcc not found (needed for the fake fltmc/net)" >&2
    exit 77
}
# shellcheck source=../sim/lib.sh
SIM_PROG=run_cmd_test . "$sim/lib.sh"
have_wine32=0
sim_have_wine32 && have_wine32=1

simbuild=${SIM_BUILD_DIR:-$repo/build/sim}
mkdir -p "$simbuild"
work=$(mktemp -d "$simbuild/media-runcmd.XXXXXX")
host=$work/host            # compliant host
host2=$work/host2          # non-compliant host
cleanup() {
    "$sim/session.sh" end "$host" >/dev/null 2>&1 || true
    rm -rf "$work" "$host.lock" "$host2.lock"
}
trap cleanup EXIT

pass=0; fail=0; skip=0
ok()   { pass=$((pass + 1)); echo "PASS  $*"; }
bad()  { fail=$((fail + 1)); echo "FAIL  $*"; }
skp()  { skip=$((skip + 1)); echo "SKIP  $*"; }
winpath() { printf 'Z:%s' "${1//\//\\}"; }   # Linux path -> Wine's Z: path
crlf() { sed 's/$/\r/'; }

# --- the stick ---------------------------------------------------------------------------
stick="$work/otharden stick (v1)!"
mkdir -p "$stick/bin/x64" "$stick/policies" "$stick/reports"
cp "$exe64" "$stick/bin/x64/otharden.exe"
if [ -n "$exe32" ]; then mkdir -p "$stick/bin/x86"; cp "$exe32" "$stick/bin/x86/otharden.exe"; fi
cp "$repo"/policies/*.xml "$stick/policies/"
cp "$repo/media/run.cmd" "$repo/media/README.txt" "$stick/"
zstick=$(winpath "$stick")

# --- file checks: CRLF and plain ASCII ---------------------------------------------------
for f in run.cmd README.txt; do
    p=$repo/media/$f
    if [ ! -s "$p" ]; then bad "$f exists and is not empty"; continue; fi
    lf=$(tr -cd '\n' <"$p" | wc -c)
    crlfs=$(grep -c $'\r$' "$p" || true)
    last=$(tail -c 2 "$p" | od -An -tx1 | tr -d ' \n')
    if [ "$lf" -gt 0 ] && [ "$lf" -eq "$crlfs" ] && [ "$last" = 0d0a ] &&
       [ "$(tr -cd '\r' <"$p" | wc -c)" -eq "$lf" ]; then
        ok "$f: CRLF line endings ($lf lines, ends with CRLF, no bare CR or LF)"
    else
        bad "$f: CRLF line endings (LF $lf, CRLF $crlfs, last bytes $last)"
    fi
    if LC_ALL=C grep -q '[^ -~'$'\t\r'']' "$p"; then
        bad "$f: plain printable ASCII (found: $(LC_ALL=C grep -n '[^ -~'$'\t\r'']' "$p" | head -3))"
    else
        ok "$f: plain printable ASCII"
    fi
done

# --- simulated hosts, drive E:, fake probes ----------------------------------------------
if ! "$sim/make-host.sh" "$sim/hosts/6003-2022-05-full.host" "$host" >"$work/make-host.log" 2>&1 ||
   ! "$sim/make-host.sh" "$sim/hosts/vanilla-6002.host" "$host2" >>"$work/make-host.log" 2>&1; then
    cat "$work/make-host.log" >&2
    echo "run_cmd_test: simulator failure: make-host.sh failed" >&2
    exit 125
fi
for p in "$host" "$host2"; do ln -sfn "$stick" "$p/dosdevices/e:"; done

fake=$work/fakeroot
mkdir -p "$fake/System32"
printf 'int main(void) { return 5; }\n' >"$work/fail.c"
x86_64-w64-mingw32-gcc -O0 -s -o "$fake/System32/fltmc.exe" "$work/fail.c" &&
    cp "$fake/System32/fltmc.exe" "$fake/System32/net.exe" || {
        echo "run_cmd_test: could not build the fake probes" >&2; exit 125; }
zfake=$(winpath "$fake")

drv=$work/drv
mkdir -p "$drv"
n=0
# driver LINES...: write a CRLF batch file (its last line starts run.cmd) and print its
# Windows path. run.cmd is started WITHOUT `call`: control passes to it and its
# `exit /b N` becomes cmd /c's exit status. (With `call`, Wine 8.0's cmd leaves
# ERRORLEVEL at 1 after a called batch's `exit /b 4`; Windows' cmd gives 4. Not our bug.)
driver() {
    n=$((n + 1))
    { echo '@echo off'; printf '%s\n' "$@"; echo 'echo driver: run.cmd returned to its caller'; echo 'exit /b 99'; } |
        crlf >"$drv/t$n.cmd"
    winpath "$drv/t$n.cmd"
}

"$sim/session.sh" begin "$host" >/dev/null 2>&1 || {
    echo "run_cmd_test: simulator failure: session.sh begin" >&2; exit 125; }

out=$work/out
# expect NAME RC PATTERN PREFIX CMD... : run, then check exit code and output (grep -E).
# PATTERN "" = no output check; a pattern starting with "!" must NOT match.
expect() {
    local name=$1 want=$2 pat=$3 prefix=$4; shift 4
    local rc=0
    "$sim/run-in-host.sh" "$prefix" "$@" >"$out" 2>&1 </dev/null || rc=$?
    tr -d '\r' <"$out" >"$out.u"
    local why=
    [ "$rc" = "$want" ] || why="exit $rc, wanted $want"
    if [ -n "$pat" ]; then
        if [ "${pat:0:1}" = '!' ]; then
            ! grep -Eq -- "${pat:1}" "$out.u" || why="${why:+$why; }output matches /${pat:1}/"
        else
            grep -Eq -- "$pat" "$out.u" || why="${why:+$why; }no /$pat/ in the output"
        fi
    fi
    if [ -z "$why" ]; then ok "$name"; else
        bad "$name ($why)"; sed 's/^/      | /' "$out.u" | head -20
    fi
}
run1() { expect "$1" "$2" "$3" "$host" "${@:4}"; }

# --- direct: cmd /c E:\run.cmd ...  (drive letter E:, current directory Z:\work...) -----
run1 'cmd /c E:\run.cmd version: x64 build' 0 '^target: x64' cmd.exe /c 'E:\run.cmd' version
run1 'cmd /c E:\run.cmd (no arguments) runs check: VERDICT, exit 0' 0 '^VERDICT: COMPLIANT' cmd.exe /c 'E:\run.cmd'
run1 'run.cmd --help: usage, exit 0' 0 '^usage: otharden' cmd.exe /c 'E:\run.cmd' --help
run1 'run.cmd bogus: tool exit code 2 kept' 2 "is not a command" cmd.exe /c 'E:\run.cmd' bogus
run1 'run.cmd check --policy (missing file): exit 2 kept' 2 "" cmd.exe /c 'E:\run.cmd' check --policy 'E:\nonexistent.xml'
expect 'run.cmd on a vanilla 6002 host: NOT COMPLIANT, exit 1 kept' 1 '^VERDICT: NOT COMPLIANT' "$host2" cmd.exe /c 'E:\run.cmd'

# --- other current directories and the Z: path (spaces, parentheses, "!") -----------------
run1 'from C:\windows\system32 via the Z: path with spaces, () and !: check finds its policy' 0 '^VERDICT: COMPLIANT' \
    cmd.exe /c "$(driver 'cd /d C:\windows\system32' "\"$zstick\\run.cmd\"")"
run1 'from E:\bin\x64, relative ..\..\run.cmd version' 0 '^target: x64' \
    cmd.exe /c "$(driver 'cd /d E:\bin\x64' '..\..\run.cmd version')"
run1 'from C:\ to E:\run.cmd, quoted argument with spaces and () passed through unchanged' 0 \
    "policy esu-6003 \\($(printf '%s' "$zstick" | sed 's/[][\\.()!^$*+?{}|]/\\&/g')\\\\policies\\\\esu-6003\\.xml\\)" \
    cmd.exe /c "$(driver 'cd /d C:\' "E:\\run.cmd check --policy \"$zstick\\policies\\esu-6003.xml\"")"
run1 'a variable named ERRORLEVEL=0 does not hide the exit code' 2 "is not a command" \
    cmd.exe /c "$(driver 'set ERRORLEVEL=0' 'E:\run.cmd bogus')"

# --- architectures -----------------------------------------------------------------------
arch() { printf 'set PROCESSOR_ARCHITECTURE=%s\nset PROCESSOR_ARCHITEW6432=%s\n' "$1" "$2"; }
run1 'PROCESSOR_ARCHITECTURE=IA64: exit 4 with the message' 4 'Itanium \(IA-64\)' \
    cmd.exe /c "$(driver "$(arch IA64 '')" 'E:\run.cmd version')"
run1 'PROCESSOR_ARCHITEW6432=IA64 (32-bit cmd on IA-64): exit 4 with the message' 4 'Itanium \(IA-64\)' \
    cmd.exe /c "$(driver "$(arch x86 IA64)" 'E:\run.cmd check')"
run1 'PROCESSOR_ARCHITECTURE=ARM64: exit 4, unsupported architecture' 4 'unsupported processor architecture' \
    cmd.exe /c "$(driver "$(arch ARM64 '')" 'E:\run.cmd version')"
run1 'PROCESSOR_ARCHITECTURE unset: exit 4, unsupported architecture' 4 'unsupported processor architecture' \
    cmd.exe /c "$(driver "$(arch '' '')" 'E:\run.cmd version')"
run1 'x86 with PROCESSOR_ARCHITEW6432=AMD64 (32-bit cmd on x64): runs the x64 build' 0 '^target: x64' \
    cmd.exe /c "$(driver "$(arch x86 AMD64)" 'E:\run.cmd version')"
run1 'x86 with PROCESSOR_ARCHITEW6432=AMD64, dry run: chooses bin\x64' 0 'target x64: ".*\\bin\\x64\\otharden\.exe"' \
    cmd.exe /c "$(driver "$(arch x86 AMD64)" 'set OTHARDEN_RUNCMD_DRYRUN=1' 'E:\run.cmd version')"
if [ -n "$exe32" ]; then
    run1 'PROCESSOR_ARCHITECTURE=x86, dry run: chooses bin\x86' 0 'target x86: "E:\\bin\\x86\\otharden\.exe"' \
        cmd.exe /c "$(driver "$(arch x86 '')" 'set OTHARDEN_RUNCMD_DRYRUN=1' 'E:\run.cmd version')"
    if [ "$have_wine32" = 1 ]; then
        run1 'PROCESSOR_ARCHITECTURE=x86: runs the x86 build' 0 '^target: x86' \
            cmd.exe /c "$(driver "$(arch x86 '')" 'E:\run.cmd version')"
    else
        skp 'PROCESSOR_ARCHITECTURE=x86 real run: no wine32 here, a 32-bit otharden.exe cannot run (only the choice of bin\x86 was checked)'
    fi
else
    skp "no x86 build next to $exe64 (win64 -> win32): the x86 choice is not checked with a real file"
fi
mv "$stick/bin/x86" "$stick/bin/x86.away" 2>/dev/null || true
run1 'x86 host, bin\x86\otharden.exe missing: exit 4, "is missing"' 4 'otharden\.exe" is missing' \
    cmd.exe /c "$(driver "$(arch x86 '')" 'E:\run.cmd version')"
mv "$stick/bin/x86.away" "$stick/bin/x86" 2>/dev/null || true

# --- elevation ---------------------------------------------------------------------------
# Wine: always an administrator, so the check must run for apply and pass.
run1 'apply, dry run: elevation checked and passed (Wine runs as administrator)' 0 'elevation checked, elevated' \
    cmd.exe /c "$(driver 'set OTHARDEN_RUNCMD_DRYRUN=1' 'E:\run.cmd apply --profile x.xml')"
run1 'check, dry run: elevation not needed' 0 'elevation not needed' \
    cmd.exe /c "$(driver 'set OTHARDEN_RUNCMD_DRYRUN=1' 'E:\run.cmd check')"
run1 'apply (real, missing profile): run.cmd lets it through, otharden answers exit 2' 2 '!run\.cmd:' \
    cmd.exe /c 'E:\run.cmd' apply --profile 'E:\nonexistent-profile.xml' --yes
# Simulated unelevated: both probes fail (SystemRoot -> folder with failing fltmc/net).
unelev() { printf 'set "SystemRoot=%s"\n' "$zfake"; }
for c in 'apply --profile E:\profiles\x.xml --yes' 'rollback --journal E:\x.journal' 'APPLY --profile x.xml' 'recover'; do
    run1 "not elevated (probes fail): run.cmd $c -> exit 4, message" 4 'needs an elevated administrator' \
        cmd.exe /c "$(driver "$(unelev)" "E:\\run.cmd $c")"
done
for c in '' 'check' 'check --report E:\reports --key k.key' 'plan --profile x.xml' 'verify r.xml --pub k.pub' \
         'version' 'report render r.xml --html r.html' '--help' 'apply --help'; do
    run1 "not elevated (probes fail), dry run: run.cmd $c runs (elevation not needed)" 0 'elevation not needed' \
        cmd.exe /c "$(driver "$(unelev)" 'set OTHARDEN_RUNCMD_DRYRUN=1' "E:\\run.cmd $c")"
done
run1 'not elevated (probes fail): run.cmd version really runs' 0 '^target: x64' \
    cmd.exe /c "$(driver "$(unelev)" 'E:\run.cmd version')"

echo "run.cmd tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
