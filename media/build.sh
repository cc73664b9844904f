#!/usr/bin/env bash
# The main job, from a fresh Debian bookworm machine:
#   bash media/build.sh
# 1. installs the build dependencies (Debian packages; cmake/install-build-deps.sh);
# 2. builds otharden for Linux (native) and Windows x64 and x86 (static MinGW-w64);
# 3. stages the USB stick's contents in build/media/ (executables, policies,
#    run.cmd, README.txt; the signed manifest and profiles come with issue 7);
# 4. shows `otharden check` on two SIMULATED Windows Server 2008 SP2 hosts (Wine
#    prefixes made by tests/sim, a simulator standing in for real hosts):
#    a vanilla 6.0.6002 host and a 6.0.6003 host with the May 2022 rollup.
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
rm -rf "$media"
mkdir -p "$media/bin/x64" "$media/bin/x86" "$media/policies" "$media/profiles" "$media/reports"
cp build/win64/otharden.exe "$media/bin/x64/otharden.exe"
cp build/win32/otharden.exe "$media/bin/x86/otharden.exe"
cp policies/*.xml "$media/policies/"
cp media/run.cmd media/README.txt "$media/"
x86_64-w64-mingw32-strip "$media/bin/x64/otharden.exe"
i686-w64-mingw32-strip "$media/bin/x86/otharden.exe"
echo
echo "=== staged $media:"
(cd "$media" && find . -type f -printf '  %p  %s bytes\n' | sort)

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
echo "Done. The stick's contents are in $media; 'bash tests/run-all.sh' runs every test."
