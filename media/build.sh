#!/usr/bin/env bash
# The main job, from a fresh Debian bookworm machine:
#   bash media/build.sh
# 1. installs the build dependencies (Debian packages; cmake/install-build-deps.sh);
# 2. builds otharden for Linux (native) and Windows x64 and x86 (static MinGW-w64);
# 3. stages the USB stick in build/media/ with `otharden media build` (the native
#    build: it only handles files): both executables (stripped), policies, profiles
#    each signed (.minisig), keys/trusted/ (public keys only), empty reports/ and
#    journals/, README.txt, run.cmd, and MANIFEST + MANIFEST.minisig. It is signed with
#    a DEMO vendor key generated here (build/demo-keys/, never put on the stick); a
#    vendor builds with its own key: otharden media build --vendor-key VENDOR.key ...
#    Then `otharden media verify build/media`, and build/media.img, a FAT32 image of the
#    stick (media/make-image.sh: dosfstools + mtools) to write to a USB stick with dd;
# 4. shows `otharden check` on two SIMULATED Windows Server 2008 SP2 hosts (Wine
#    prefixes made by tests/sim, a simulator standing in for real hosts):
#    a vanilla 6.0.6002 host and a 6.0.6003 host with the May 2022 rollup;
# 5. runs `media verify` with the stick's own x64 exe under Wine (the production code
#    path) and prints the stick's size, file count and the time verification takes;
# 6. applies the stick's signed baseline profile on a SIMULATED appliance host, shows
#    the signed before/after report verified by Debian's minisign, and rolls it back
#    from that report.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

bash cmake/install-build-deps.sh
for preset in native win64 win32; do
  echo "=== building $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
done

media=build/media
oth=build/native/otharden
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# The DEMO vendor key: made once, kept in build/demo-keys/ (not on the stick).
keys=build/demo-keys
demo_key=$keys/otharden-DEMO-vendor
mkdir -p "$keys"
if [ ! -f "$demo_key.key" ]; then
  "$oth" keygen --out "$demo_key" --unencrypted >/dev/null
fi
echo
echo "################################################################################"
echo "# Signing with a DEMO vendor key: $demo_key.key (unencrypted, made by this script)."
echo "# It proves the mechanism only. A real stick is built by the vendor with its own"
echo "# key:  otharden media build --vendor-key VENDOR.key --out DIR ..."
echo "################################################################################"

# Stripped copies of the executables (the build tree keeps its symbols).
exes=build/media-exes
mkdir -p "$exes/x64" "$exes/x86"
x86_64-w64-mingw32-strip -o "$exes/x64/otharden.exe" build/win64/otharden.exe
i686-w64-mingw32-strip -o "$exes/x86/otharden.exe" build/win32/otharden.exe
profiles_arg=()
[ -d profiles ] && profiles_arg=(--profiles profiles)

rm -rf "$media" "$media.partial"
echo
echo "=== otharden media build"
"$oth" media build --vendor-key "$demo_key.key" --out "$media" --x64 "$exes/x64/otharden.exe" \
  --x86 "$exes/x86/otharden.exe" --policies policies "${profiles_arg[@]}" --template media
echo
echo "=== staged $media:"
(cd "$media" && find . -type f -printf '  %p  %s bytes\n' | sort)
echo
echo "=== otharden media verify $media (native)"
start=$(date +%s%N)
"$oth" media verify "$media"
verify_native_ms=$(ms_since "$start")
"$oth" media verify "$media" --pub "$demo_key.pub" >/dev/null

echo
echo "=== FAT32 image"
bash media/make-image.sh "$media" build/media.img

demo() {
  local host=$1
  local prefix=build/sim/demo/$host
  echo
  echo "=== otharden check on the SIMULATED host '$host' ($(grep '^description=' "tests/sim/hosts/$host.host" | cut -d= -f2-))"
  tests/sim/make-host.sh "tests/sim/hosts/$host.host" "$prefix" >/dev/null
  local code=0
  tests/sim/run-in-host.sh "$prefix" "$media/bin/x64/otharden.exe" check || code=$?
  echo "=== exit code $code"
}
demo vanilla-6002
demo 6003-2022-05-full

echo
echo "=== otharden media verify under Wine, by the stick's own x64 exe (SIMULATED host 6003-2022-05-full)"
start=$(date +%s%N)
tests/sim/run-in-host.sh build/sim/demo/6003-2022-05-full "$media/bin/x64/otharden.exe" media verify
verify_wine_ms=$(ms_since "$start")

# The whole transaction from the stick, on a SIMULATED appliance: apply the
# signed baseline profile with its example site file (the stick's MANIFEST and
# the profile's signature are checked by the gate for real), a signed report
# verified by Debian's minisign, then rollback from that report.
echo
echo "=== otharden apply from the stick on the SIMULATED appliance host 6003-2022-05-appliance"
app=build/sim/demo/6003-2022-05-appliance
tests/sim/make-host.sh tests/sim/hosts/6003-2022-05-appliance.host "$app" >/dev/null
kit=$keys/otharden-DEMO-kit
[ -f "$kit.key" ] || "$oth" keygen --out "$kit" --unencrypted >/dev/null
rm -rf "$media/reports" && mkdir -p "$media/reports"
z() { printf 'Z:%s' "$(readlink -f "$1" | sed 's|/|\\|g')"; }
site=profiles/sites/example-baseline-2008.xml
[ -f "$media/$site" ] && site=$media/$site
tests/sim/session.sh begin "$app" >/dev/null
code=0
tests/sim/run-in-host.sh "$app" "$media/bin/x64/otharden.exe" apply --profile "$(z "$media/profiles/baseline-2008.xml")" \
  --site "$(z "$site")" --key "$(z "$kit.key")" --operator "Demo Technician" --yes || code=$?
echo "=== exit code $code"
report=$(ls -t "$media"/reports/*-apply.xml | head -1)
echo
echo "=== the signed report, checked with Debian's minisign (the officer's view)"
minisign -Vm "$report" -p "$kit.pub"
echo
echo "=== otharden rollback --report (signature verified against the DEMO kit key)"
code=0
tests/sim/run-in-host.sh "$app" "$media/bin/x64/otharden.exe" rollback --report "$(z "$report")" \
  --pub "$(z "$kit.pub")" || code=$?
echo "=== exit code $code"
tests/sim/session.sh end "$app" >/dev/null
rm -rf "$media/reports" && mkdir -p "$media/reports"  # the stick ships with an empty reports folder

echo
echo "=== the stick"
echo "  $media: $(find "$media" -type f | wc -l) files, $(du -sb "$media" | cut -f1) bytes" \
     "($(du -sh "$media" | cut -f1) on disk); build/media.img: $(du -b build/media.img | cut -f1) bytes"
echo "  media verify: ${verify_native_ms} ms native; ${verify_wine_ms} ms under Wine (wall time, Wine start-up included)"
echo "  signed with the DEMO vendor key $demo_key.key - not for production"
echo
echo "Done. The stick's contents are in $media (image: build/media.img);"
echo "'bash tests/run-all.sh' runs every test."
