#!/usr/bin/env bash
# media_test.sh - `otharden media build` and `media verify` with the native build.
#
#   tests/media/media_test.sh OTHARDEN REPO      e.g. build/native/otharden .
#
# Builds a stick with a TEST vendor key (made here) into a temporary folder, checks
# its layout and that it verifies (exit 0), then on fresh copies of it changes an
# executable, a profile, a policy, the MANIFEST, a profile's signature; deletes a
# file; adds an extra executable; replaces MANIFEST.minisig with one by another key;
# re-masters the whole stick with another key: each must be caught (exit 1) with the
# file named. Files in reports/ and journals/ must not matter. Debian's minisign
# judges the signatures. The executables on this stick are STAND-INS (tiny PE files
# built here with MinGW, of the right machine type): this test is about the media
# tooling; tests/media/media_wine_test.sh uses the real otharden.exe.
# Also makes a FAT32 image of the stick (media/make-image.sh) when dosfstools and
# mtools are installed, and says SKIP loudly when not.
# Exit: 0 all passed; 1 a failure; 2 bad usage; 77 MinGW missing (cannot make PE files).
set -uo pipefail
if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -d "$2/policies" ]; then
    echo "usage: media_test.sh OTHARDEN REPO" >&2
    exit 2
fi
oth=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$2" && pwd)
for cc in x86_64-w64-mingw32-gcc i686-w64-mingw32-gcc; do
    command -v "$cc" >/dev/null 2>&1 || { echo "media_test: SKIP: $cc not found (needed for stand-in executables)" >&2; exit 77; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/otharden-media-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS  $*"; }
bad() { fail=$((fail + 1)); echo "FAIL  $*"; }

# expect NAME WANT_RC PATTERN CMD...: PATTERN (grep -E) must be in stdout+stderr; "" = none.
expect() {
    local name=$1 want=$2 pat=$3; shift 3
    local rc=0
    "$@" >"$work/out" 2>&1 || rc=$?
    local why=
    [ "$rc" = "$want" ] || why="exit $rc, wanted $want"
    # Messages are word-wrapped: match the output as lines and as one joined line.
    if [ -n "$pat" ] && ! grep -Eq -- "$pat" "$work/out" &&
       ! tr '\n' ' ' <"$work/out" | tr -s ' ' | grep -Eq -- "$pat"; then
        why="${why:+$why; }no /$pat/ in the output"
    fi
    if [ -z "$why" ]; then ok "$name"; else bad "$name ($why)"; sed 's/^/      | /' "$work/out" | head -30; fi
}

# --- fixtures: stand-in executables, keys, profiles -------------------------------------
printf 'int main(void) { return 0; }\n' >"$work/standin.c"
x86_64-w64-mingw32-gcc -s -o "$work/x64.exe" "$work/standin.c" &&
    i686-w64-mingw32-gcc -s -o "$work/x86.exe" "$work/standin.c" || { echo "media_test: cannot build stand-ins" >&2; exit 1; }
echo "test passphrase" >"$work/pass"
"$oth" keygen --out "$work/test-vendor" --passphrase-file "$work/pass" --kdf-memory 16 >/dev/null &&
    "$oth" keygen --out "$work/other" --unencrypted >/dev/null &&
    "$oth" keygen --out "$work/attacker" --unencrypted >"$work/attacker.out" || { echo "media_test: keygen failed" >&2; exit 1; }
# other.pub: a second trusted key on the stick; attacker: a key the stick does not trust.
attacker_id=$(sed -n 's/.*key id \([0-9A-F]\{16\}\).*/\1/p' "$work/attacker.out" | head -1)
mkdir -p "$work/profiles"
cp "$repo/tests/e2e/profiles/services-lockdown.xml" "$repo/tests/e2e/profiles/firewall-lockdown.xml" "$work/profiles/"
profiles=$work/profiles
build() {  # build OUT [EXTRA ARGS...]; profiles from $profiles
    local out=$1; shift
    "$oth" media build --vendor-key "$work/test-vendor.key" --passphrase-file "$work/pass" --out "$out" \
        --x64 "$work/x64.exe" --x86 "$work/x86.exe" --policies "$repo/policies" --profiles "$profiles" \
        --template "$repo/media" "$@"
}

# --- build and layout ---------------------------------------------------------------------
stick=$work/stick
expect 'media build: exit 0, says it is ready and names the key' 0 "is ready" \
    build "$stick" --trusted-key "$work/other.pub"
want="MANIFEST
MANIFEST.minisig
README.txt
bin/x64/otharden.exe
bin/x86/otharden.exe
keys/trusted/other.pub
keys/trusted/vendor-ID.pub
policies/esu-6003-strict.xml
policies/esu-6003.xml
policies/protected-services.xml
profiles/firewall-lockdown.xml
profiles/firewall-lockdown.xml.minisig
profiles/services-lockdown.xml
profiles/services-lockdown.xml.minisig
run.cmd"
got=$(cd "$stick" && find . -type f | sed 's|^\./||; s|^keys/trusted/vendor-[0-9A-F]\{16\}\.pub$|keys/trusted/vendor-ID.pub|' | LC_ALL=C sort)
if [ "$got" = "$want" ]; then ok "layout: exactly the files a stick has"; else
    bad "layout"; diff <(echo "$want") <(echo "$got") | sed 's/^/      | /'; fi
for d in reports journals; do
    if [ -d "$stick/$d" ] && [ -z "$(ls -A "$stick/$d")" ]; then ok "$d/ exists and is empty"; else bad "$d/ exists and is empty"; fi
done
if grep -rqF "$(sed -n 2p "$work/test-vendor.key")" "$stick" || find "$stick" -iname '*.key' | grep -q . ||
   grep -L '^untrusted comment: minisign public key [0-9A-F]\{16\}$' "$stick"/keys/trusted/* | grep -q .; then
    bad "no secret key on the stick; keys/trusted/ holds public keys only"
else ok "no secret key on the stick; keys/trusted/ holds public keys only"; fi
cmp -s "$stick/run.cmd" "$repo/media/run.cmd" && cmp -s "$stick/README.txt" "$repo/media/README.txt" &&
    ok "run.cmd and README.txt are the template's, byte for byte" || bad "run.cmd and README.txt are the template's"
[ "$(head -1 "$stick/MANIFEST")" = "otharden-manifest 1" ] && [ "$(grep -c . "$stick/MANIFEST")" = 14 ] &&
    ok "MANIFEST: format line and 13 files (all but MANIFEST and its signature)" || bad "MANIFEST format/count"
[ ! -e "$stick.partial" ] && ok "no .partial folder left behind" || bad "no .partial folder left behind"

# --- Debian's minisign as the judge --------------------------------------------------------
if command -v minisign >/dev/null 2>&1; then
    expect 'minisign verifies MANIFEST.minisig with the vendor key' 0 "" \
        minisign -Vm "$stick/MANIFEST" -p "$work/test-vendor.pub"
    expect 'minisign verifies a profile signature with the vendor key' 0 "" \
        minisign -Vm "$stick/profiles/services-lockdown.xml" -p "$work/test-vendor.pub"
else
    echo "SKIP  minisign not installed: no third-party judge of the signatures"
fi

# --- refusals of media build --------------------------------------------------------------
expect 'media build refuses a secret key as --trusted-key (exit 2), builds nothing' 2 "is a SECRET key" \
    build "$work/s1" --trusted-key "$work/other.key"
[ ! -e "$work/s1" ] && ok "  ... and nothing was written" || bad "  ... and nothing was written"
cp "$work/other.key" "$work/disguised.pub"
expect 'media build refuses a secret key renamed .pub' 2 "is a SECRET key" build "$work/s2" --trusted-key "$work/disguised.pub"
expect 'media build refuses an existing, non-empty --out' 2 "already exists and is not empty" build "$stick"
expect 'media build refuses swapped executables' 2 "not for x64" \
    "$oth" media build --vendor-key "$work/test-vendor.key" --passphrase-file "$work/pass" --out "$work/s3" \
    --x64 "$work/x86.exe" --x86 "$work/x64.exe" --policies "$repo/policies" --template "$repo/media"
mkdir -p "$work/badprofiles"
printf '<profile format="1" name="bad" policy="esu-6003"><bogus/></profile>\n' >"$work/badprofiles/bad.xml"
profiles=$work/badprofiles expect 'media build refuses an invalid profile, naming it' 2 "bad\.xml" build "$work/s4"
[ ! -e "$work/s4" ] && [ ! -e "$work/s4.partial" ] && ok "  ... and leaves no half stick" || bad "  ... and leaves no half stick"
mkdir -p "$work/noprofiles"
profiles=$work/noprofiles expect 'media build with no profiles at all works' 0 "0 signed" build "$work/s5"
expect '  ... and that stick verifies' 0 "VERDICT: MEDIA VERIFIED" "$oth" media verify "$work/s5"

# --- verification -------------------------------------------------------------------------
expect 'media verify: the built stick is VERIFIED (exit 0)' 0 "^VERDICT: MEDIA VERIFIED" "$oth" media verify "$stick"
expect 'media verify --pub VENDOR.pub (key from elsewhere): VERIFIED' 0 "^VERDICT: MEDIA VERIFIED" \
    "$oth" media verify "$stick" --pub "$work/test-vendor.pub"
expect 'media verify --pub of a key that did not sign it: NOT VERIFIED (exit 1)' 1 "^VERDICT: MEDIA NOT VERIFIED" \
    "$oth" media verify "$stick" --pub "$work/other.pub"
expect 'media verify of a folder that does not exist: exit 2' 2 "no such folder" "$oth" media verify "$work/nope"
expect 'media verify outside a stick without DIR: exit 2, says to give the folder' 2 "give the stick's folder" \
    "$oth" media verify

n=0
# tamper NAME PATTERN COMMANDS: on a fresh copy ($c), run COMMANDS, expect exit 1 and PATTERN.
tamper() {
    local name=$1 pat=$2 cmds=$3
    n=$((n + 1)); c=$work/copy$n
    cp -a "$stick" "$c"
    (cd "$c" && eval "$cmds") || { bad "$name (could not tamper)"; return; }
    # A tampering that changed nothing would make the case meaningless.
    ! diff -rq "$stick" "$c" >/dev/null || { bad "$name (the tampering changed nothing)"; return; }
    expect "tampered: $name -> NOT VERIFIED, named" 1 "$pat" "$oth" media verify "$c"
    grep -q "^VERDICT: MEDIA NOT VERIFIED" "$work/out" || bad "  ... $name: no NOT VERIFIED verdict"
}
tamper 'x64 executable (one byte appended)' 'changed: bin/x64/otharden\.exe' 'printf x >>bin/x64/otharden.exe'
tamper 'x86 executable (same size, one byte changed)' 'changed: bin/x86/otharden\.exe \(content differs' \
    'printf "\x00" | dd of=bin/x86/otharden.exe bs=1 seek=200 conv=notrunc status=none'
tamper 'profile' 'changed: profiles/services-lockdown\.xml' \
    'sed -i "s/RemoteRegistry/RemoteRegistrX/" profiles/services-lockdown.xml'
tamper 'policy' 'changed: policies/esu-6003\.xml' 'echo "<!-- -->" >>policies/esu-6003.xml'
tamper 'profile signature replaced by one from another key' 'changed: profiles/firewall-lockdown\.xml\.minisig' \
    '"$oth" sign profiles/firewall-lockdown.xml --key "$work/attacker.key" >/dev/null'
tamper 'MANIFEST (a hash edited)' 'MANIFEST\.minisig: .*(signature|altered)' \
    'awk "NR == 2 { c = substr(\$0, 1, 1); \$0 = (c == \"0\" ? \"1\" : \"0\") substr(\$0, 2) } { print }" MANIFEST >M && mv M MANIFEST'
tamper 'MANIFEST (a line removed)' 'MANIFEST\.minisig' 'sed -i "\|run.cmd|d" MANIFEST'
tamper 'MANIFEST.minisig replaced by a signature from another key' "MANIFEST\.minisig.*$attacker_id" \
    '"$oth" sign MANIFEST --key "$work/attacker.key" >/dev/null'
tamper 'MANIFEST.minisig deleted' 'MANIFEST\.minisig is missing' 'rm MANIFEST.minisig'
tamper 'a policy deleted' 'missing: policies/protected-services\.xml' 'rm policies/protected-services.xml'
tamper 'an extra executable added' 'extra \(not in MANIFEST\): bin/x64/helper\.exe' 'cp "$work/x64.exe" bin/x64/helper.exe'
tamper 'an extra profile added' 'extra \(not in MANIFEST\): profiles/new\.xml' 'cp profiles/services-lockdown.xml profiles/new.xml'
tamper 'an extra trusted key added' 'extra \(not in MANIFEST\): keys/trusted/evil\.pub' 'cp "$work/attacker.pub" keys/trusted/evil.pub'
# A full re-master (a changed executable, the attacker's key in keys/trusted/, everything
# re-signed) passes a check against the stick's own keys by design; the vendor key
# obtained separately (--pub) catches it.
cp "$work/x64.exe" "$work/x64-evil.exe" && printf x >>"$work/x64-evil.exe"
"$oth" media build --vendor-key "$work/attacker.key" --out "$work/remaster" --x64 "$work/x64-evil.exe" \
    --x86 "$work/x86.exe" --policies "$repo/policies" --profiles "$profiles" --template "$repo/media" >/dev/null
expect 're-mastered with another key: passes against its own keys/trusted/ (self-consistent)' 0 "MEDIA VERIFIED" \
    "$oth" media verify "$work/remaster"
expect 're-mastered with another key: NOT VERIFIED against the vendor key (--pub)' 1 "MEDIA NOT VERIFIED" \
    "$oth" media verify "$work/remaster" --pub "$work/test-vendor.pub"

# reports/ and journals/ are written on site and never matter.
n=$((n + 1)); c=$work/copy$n
cp -a "$stick" "$c"
echo "<report/>" >"$c/reports/host-2026-report.xml"
echo "sig" >"$c/reports/host-2026-report.xml.minisig"
mkdir -p "$c/journals/sub" && echo "journal" >"$c/journals/sub/apply.journal"
expect 'files in reports/ and journals/ do not matter' 0 "^VERDICT: MEDIA VERIFIED" "$oth" media verify "$c"

# --- FAT32 image --------------------------------------------------------------------------
rc=0
bash "$repo/media/make-image.sh" "$stick" "$work/media.img" >"$work/out" 2>&1 || rc=$?
if [ "$rc" = 77 ]; then
    echo "SKIP  FAT32 image: $(cat "$work/out")"
elif [ "$rc" = 0 ]; then
    ok "FAT32 image: made, read back with mcopy, identical to the staged stick"
    mkdir "$work/fromimage"
    MTOOLS_SKIP_CHECK=1 MTOOLSRC=/dev/null mcopy -s -n -Q -i "$work/media.img" '::/*' "$work/fromimage/"
    expect 'the stick copied out of the FAT32 image verifies' 0 "^VERDICT: MEDIA VERIFIED" \
        "$oth" media verify "$work/fromimage"
    printf x >>"$work/fromimage/run.cmd"
    expect '  ... and a change after the copy is still caught' 1 "changed: run\.cmd" "$oth" media verify "$work/fromimage"
else
    bad "FAT32 image (exit $rc)"; sed 's/^/      | /' "$work/out"
fi

# --- numbers (stand-in executables: the real stick's numbers come from media/build.sh) -----
start=$(date +%s%N)
"$oth" media verify "$stick" >/dev/null
end=$(date +%s%N)
echo "MEASURED (stand-in exes): $(find "$stick" -type f | wc -l) files, $(du -sb "$stick" | cut -f1) bytes, native media verify $(( (end - start) / 1000000 )) ms"

echo "media tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
