#!/usr/bin/env bash
# windows-deps.sh ARCH OUTDIR
#
# Builds the Windows (MinGW-w64, posix threads, fully static, Vista/Server 2008 API level)
# dependencies of otharden from Debian's *source* packages:
#   boost1.74 (Boost.Program_options only), tinyxml2, libcrypto++ ; plus Catch2's header.
#
# Source packages are fetched once with apt's own tools through a PRIVATE apt configuration
# (deb-src entries derived from the machine's apt sources; private lists/cache under
# <repo>/build/deps/src/apt). The system's apt configuration is never modified.
#
# Result:
#   OUTDIR/include/{tinyxml2.h, cryptopp/*.h, boost/..., catch2/catch.hpp}
#   OUTDIR/lib/{libtinyxml2.a, libcryptopp.a, libboost_program_options.a}
#   OUTDIR/logs/*.log, OUTDIR/versions.txt
#
# Idempotent: every step writes a stamp; a second run only checks stamps.
# Environment:
#   OTH_DEPS_JOBS     parallel jobs (default: nproc)
#   OTH_DEPS_VERBOSE  1 = also echo build logs to the terminal
set -euo pipefail

# ---------------------------------------------------------------------------------------
# arguments, paths
# ---------------------------------------------------------------------------------------
usage() { echo "usage: $0 x86_64|i686 OUTDIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
ARCH=$1
case "$ARCH" in
  x86_64|i686) ;;
  *) echo "windows-deps: unknown ARCH '$ARCH' (want x86_64 or i686)" >&2; exit 2 ;;
esac
HOST=$ARCH-w64-mingw32

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SRC=$ROOT/build/deps/src              # shared source cache (all arches)
APTDIR=$SRC/apt                       # private apt configuration/state/cache
mkdir -p "$2"
OUT=$(cd "$2" && pwd)
LOGS=$OUT/logs
STAMPS=$OUT/.stamps
BLD=$OUT/build
mkdir -p "$SRC" "$LOGS" "$STAMPS" "$BLD" "$OUT/include" "$OUT/lib"

# One run per OUTDIR at a time (two configures of the same preset in parallel).
exec 8>"$OUT/.lock"
flock -w 3600 8 || { echo "windows-deps[$ARCH]: ERROR: timed out waiting for $OUT/.lock" >&2; exit 1; }

JOBS=${OTH_DEPS_JOBS:-$(nproc 2>/dev/null || echo 2)}
export LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive

# Debian source package -> binary -dev package whose (installed) version we match,
# so that native and Windows builds use the same upstream + Debian revision.
declare -A DEVPKG=(
  [boost1.74]=libboost-program-options1.74-dev
  [tinyxml2]=libtinyxml2-dev
  [libcrypto++]=libcrypto++-dev
)
PACKAGES=(boost1.74 tinyxml2 libcrypto++)

# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
T0=$SECONDS
say()  { printf 'windows-deps[%s]: %s\n' "$ARCH" "$*" >&2; }
die()  { printf 'windows-deps[%s]: ERROR: %s\n' "$ARCH" "$*" >&2; exit 1; }

# run_logged STEP LOGFILE cmd... : runs cmd with output to LOGFILE; on failure prints
# the step, the log path and the log's tail, then exits.
run_logged() {
  local step=$1 log=$2; shift 2
  {
    echo "### step: $step"
    echo "### date: $(date -u +%FT%TZ)"
    echo "### cwd:  $PWD"
    printf '### cmd: '; printf '%q ' "$@"; echo
  } >>"$log"
  local rc=0
  if [[ ${OTH_DEPS_VERBOSE:-0} == 1 ]]; then
    "$@" 2>&1 | tee -a "$log" || rc=${PIPESTATUS[0]}
  else
    "$@" >>"$log" 2>&1 || rc=$?
  fi
  if [[ $rc -ne 0 ]]; then
    echo "### FAILED with exit code $rc" >>"$log"
    {
      printf 'windows-deps[%s]: ERROR: step "%s" failed (exit code %d)\n' "$ARCH" "$step" "$rc"
      printf 'windows-deps[%s]:        full log: %s\n' "$ARCH" "$log"
      printf 'windows-deps[%s]:        last lines of the log:\n' "$ARCH"
      tail -n 25 "$log" | sed 's/^/    | /'
    } >&2
    exit 1
  fi
}

need_tool() {
  command -v "$1" >/dev/null 2>&1 || die "required tool '$1' not found (install: $2)"
}

# ---------------------------------------------------------------------------------------
# toolchain
# ---------------------------------------------------------------------------------------
CXX=$HOST-g++-posix
CC=$HOST-gcc-posix
AR=$HOST-ar
RANLIB=$HOST-ranlib
need_tool "$CXX"    "g++-mingw-w64-${ARCH//_/-}-posix"
need_tool "$AR"     "binutils-mingw-w64-${ARCH//_/-}"
need_tool "$RANLIB" "binutils-mingw-w64-${ARCH//_/-}"
need_tool apt-get   apt
need_tool dpkg-source dpkg-dev
need_tool flock     util-linux

# Flags shared by every library (the application uses the same API level macros).
WINDEFS="-D_WIN32_WINNT=0x0600 -DWINVER=0x0600"
COMMON_CXXFLAGS="-O2 -DNDEBUG $WINDEFS -pipe"
# Fingerprint of everything that influences the binaries; part of each build stamp.
TOOL_SIG="$($CXX --version | head -n1) | $COMMON_CXXFLAGS | script-rev 1"

# ---------------------------------------------------------------------------------------
# 1. source packages (shared cache, serialized with a lock)
# ---------------------------------------------------------------------------------------
# Private sources list: every "deb" entry of the machine's apt sources becomes "deb-src".
make_private_sources() {
  local out=$1 f
  : >"$out.tmp"
  # one-line format
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    echo "# from $f" >>"$out.tmp"
    sed -n -E 's/^[[:space:]]*deb[[:space:]]+/deb-src /p' "$f" >>"$out.tmp"
  done
  # deb822 format: rewrite 'Types:' to deb-src, keep stanzas that contained 'deb',
  # drop disabled stanzas (Enabled: no).
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    echo "# from $f" >>"$out.tmp"
    awk '
      function flush() {
        if (n > 0 && has_deb && !disabled) {
          for (i = 1; i <= n; i++) print buf[i]
          print ""
        }
        n = 0; has_deb = 0; disabled = 0
      }
      /^[[:space:]]*$/ { flush(); next }
      /^[[:space:]]*#/ { next }
      {
        line = $0
        if (tolower(line) ~ /^types:/) {
          if (line ~ /(^|[[:space:]:])deb([[:space:]]|$)/) has_deb = 1
          line = "Types: deb-src"
        } else if (tolower(line) ~ /^enabled:[[:space:]]*no/) {
          disabled = 1
        } else if (tolower(line) ~ /^architectures:/) {
          next   # irrelevant for sources
        }
        buf[++n] = line
      }
      END { flush() }
    ' "$f" >>"$out.tmp"
  done
  if ! grep -q -E '^(deb-src |Types: deb-src)' "$out.tmp"; then
    rm -f "$out.tmp"
    die "could not derive any deb-src entry from /etc/apt/sources.list{,.d/*} - no apt sources configured?"
  fi
  mv "$out.tmp" "$out"
}

setup_private_apt() {
  mkdir -p "$APTDIR"/{etc/sources.list.d,etc/preferences.d,state/lists/partial,cache/archives/partial}
  local srcs_one=$APTDIR/etc/sources.list srcs822=$APTDIR/etc/sources.list.d/private.sources
  # Split into one-line and deb822 files so apt parses each with the right parser.
  make_private_sources "$APTDIR/etc/all-sources.txt"
  grep -E '^deb-src ' "$APTDIR/etc/all-sources.txt" >"$srcs_one" || : >"$srcs_one"
  grep -v -E '^(deb-src |# from )' "$APTDIR/etc/all-sources.txt" | cat -s >"$srcs822" || true
  grep -q 'Types:' "$srcs822" || rm -f "$srcs822"
  cat >"$APTDIR/apt.conf" <<CONF
// Private apt configuration for otharden's Windows dependency build. Generated.
Dir::State "$APTDIR/state";
Dir::State::lists "$APTDIR/state/lists";
Dir::State::status "/var/lib/dpkg/status";
Dir::Cache "$APTDIR/cache";
Dir::Cache::archives "$APTDIR/cache/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Dir::Etc::sourcelist "$srcs_one";
Dir::Etc::sourceparts "$APTDIR/etc/sources.list.d";
Dir::Etc::preferences "$APTDIR/etc/preferences";
Dir::Etc::preferencesparts "$APTDIR/etc/preferences.d";
Debug::NoLocking "true";
APT::Sandbox::User "root";
Acquire::Languages "none";
Acquire::Retries "3";
#clear APT::Update::Post-Invoke-Success;
#clear APT::Update::Post-Invoke;
#clear DPkg::Post-Invoke;
CONF
}

apt_priv() {
  APT_CONFIG=$APTDIR/apt.conf "$@"
}

# version of the Debian source package we want: the one the native -dev package was built
# from (if installed), otherwise the newest in the private index.
wanted_version() {
  local pkg=$1 dev=${DEVPKG[$1]} v
  v=$(dpkg-query -W -f='${db:Status-Abbrev}|${source:Version}' "$dev" 2>/dev/null || true)
  if [[ $v == ii* ]]; then
    echo "${v#*|}"
    return
  fi
  source_versions "$pkg" | sort -V | tail -n1
}

# source_versions PKG: every version of source package PKG in the private index, one a line.
source_versions() {
  local all
  all=$(apt_priv apt-cache showsrc --only-source "$1" 2>/dev/null) || true
  sed -n 's/^Version: //p' <<<"$all"
}
# has_source_version PKG VER
has_source_version() {
  local versions
  versions=$(source_versions "$1")
  grep -qxF -- "$2" <<<"$versions"
}

fetch_sources() {
  local log=$SRC/fetch.log pkg ver dir need=()
  local have dev
  for pkg in "${PACKAGES[@]}"; do
    if [[ ! -f $SRC/$pkg.stamp ]]; then need+=("$pkg"); continue; fi
    # refetch when the native -dev package was upgraded (native and Windows stay in step)
    have=$(sed -n 1p "$SRC/$pkg.stamp")
    dev=$(dpkg-query -W -f='${db:Status-Abbrev}|${source:Version}' "${DEVPKG[$pkg]}" 2>/dev/null || true)
    if [[ $dev == ii* && ${dev#*|} != "$have" ]]; then
      say "installed ${DEVPKG[$pkg]} is ${dev#*|}, cached source is $have: refetching"
      need+=("$pkg")
    fi
  done
  [[ ${#need[@]} -eq 0 ]] && return 0

  say "fetching Debian source packages: ${need[*]} (once, into $SRC; log: $log)"
  setup_private_apt
  if [[ ! -f $APTDIR/update.stamp ]]; then
    run_logged "apt-get update (private deb-src index, config $APTDIR/apt.conf)" "$log" \
      env APT_CONFIG="$APTDIR/apt.conf" apt-get -q update
    touch "$APTDIR/update.stamp"
  fi
  for pkg in "${need[@]}"; do
    ver=$(wanted_version "$pkg")
    [[ -n $ver ]] || die "no version of source package '$pkg' found in the private index (see $log)"
    # The versions are read into a variable first: "apt-cache ... | grep -q" under
    # pipefail fails when grep exits at the first match and apt-cache, still writing,
    # dies of SIGPIPE (seen: "1.74.0+ds1-21 ... available: 1.74.0+ds1-21").
    if ! has_source_version "$pkg" "$ver"; then
      # index may be stale: refresh once
      run_logged "apt-get update (refresh, looking for $pkg $ver)" "$log" \
        env APT_CONFIG="$APTDIR/apt.conf" apt-get -q update
      has_source_version "$pkg" "$ver" ||
        die "source package $pkg version $ver (the version of the installed ${DEVPKG[$pkg]}) is not in the deb-src index; available: $(source_versions "$pkg" | tr '\n' ' ') (log: $log)"
    fi
    dir="$SRC/$pkg-$ver"
    rm -rf "$dir" "$dir.tmp" "$SRC/dl-$pkg"
    mkdir -p "$SRC/dl-$pkg"
    ( cd "$SRC/dl-$pkg" &&
      run_logged "apt-get source $pkg=$ver" "$log" \
        env APT_CONFIG="$APTDIR/apt.conf" apt-get -q --only-source --download-only source "$pkg=$ver" )
    local dsc
    dsc=$(ls "$SRC/dl-$pkg"/*.dsc 2>/dev/null | head -n1)
    [[ -n $dsc ]] || die "apt-get source $pkg=$ver downloaded no .dsc (log: $log)"
    # Unpack and apply Debian's patches (quilt 3.0 format) with dpkg-source.
    run_logged "dpkg-source -x $(basename "$dsc") (unpack + Debian patches)" "$log" \
      dpkg-source -x "$dsc" "$dir.tmp"
    if [[ ! -d $dir.tmp ]]; then die "unpacking $dsc failed (log: $log)"; fi
    mv "$dir.tmp" "$dir"
    printf '%s\n%s\n' "$ver" "$dir" >"$SRC/$pkg.stamp"
    say "  $pkg $ver unpacked"
  done
}

(
  flock -w 3600 9 || die "timed out waiting for lock $SRC/.lock"
  fetch_sources
) 9>"$SRC/.lock"

srcver() { sed -n 1p "$SRC/$1.stamp"; }
srcdir() { sed -n 2p "$SRC/$1.stamp"; }
for pkg in "${PACKAGES[@]}"; do
  d=$(srcdir "$pkg")
  [[ -d $d ]] || die "source cache is inconsistent: $d missing; delete $SRC/$pkg.stamp and rerun"
done

# ---------------------------------------------------------------------------------------
# 2. per-arch builds
# ---------------------------------------------------------------------------------------
# is_done NAME SIG : true when the stamp for NAME records SIG
is_done()   { [[ -f $STAMPS/$1 && "$(cat "$STAMPS/$1")" == "$2" ]]; }
mark_done() { printf '%s' "$2" >"$STAMPS/$1"; }

# ---- Catch2 (header only, Debian's installed copy) -------------------------------------
CATCH=/usr/include/catch2/catch.hpp
[[ -f $CATCH ]] || die "$CATCH not found (install Debian's 'catch2' package)"
if ! cmp -s "$CATCH" "$OUT/include/catch2/catch.hpp"; then
  mkdir -p "$OUT/include/catch2"
  cp "$CATCH" "$OUT/include/catch2/catch.hpp"
fi

# ---- tinyxml2 ---------------------------------------------------------------------------
build_tinyxml2() {
  local s; s=$(srcdir tinyxml2)
  local sig; sig="tinyxml2 $(srcver tinyxml2) | $TOOL_SIG"
  if is_done tinyxml2 "$sig" && [[ -f $OUT/lib/libtinyxml2.a ]]; then return; fi
  say "building tinyxml2 $(srcver tinyxml2)"
  local log=$LOGS/tinyxml2.log b=$BLD/tinyxml2
  : >"$log"; rm -rf "$b"; mkdir -p "$b"
  ( cd "$b"
    run_logged "tinyxml2: compile" "$log" \
      $CXX $COMMON_CXXFLAGS -std=c++17 -Wall -c "$s/tinyxml2.cpp" -o tinyxml2.o
    run_logged "tinyxml2: archive" "$log" $AR rcs libtinyxml2.a tinyxml2.o )
  cp "$s/tinyxml2.h" "$OUT/include/tinyxml2.h"
  cp "$b/libtinyxml2.a" "$OUT/lib/libtinyxml2.a"
  mark_done tinyxml2 "$sig"
}

# ---- Boost.Program_options --------------------------------------------------------------
build_program_options() {
  local s; s=$(srcdir boost1.74)
  local sig; sig="boost $(srcver boost1.74) | $TOOL_SIG"
  if is_done program_options "$sig" && [[ -f $OUT/lib/libboost_program_options.a ]]; then return; fi
  say "building Boost.Program_options $(srcver boost1.74)"
  local log=$LOGS/boost_program_options.log b=$BLD/boost_program_options
  : >"$log"; rm -rf "$b"; mkdir -p "$b"
  [[ -d $s/libs/config/include/boost && -d $s/libs/program_options/src ]] ||
    die "unexpected layout of the boost source package in $s (no libs/*/include/boost or libs/program_options/src)"
  # Headers: Debian's boost source is the modular git layout (libs/<lib>/include/boost/...);
  # merge them into one boost/ tree like b2's "headers" target does. Hard links into the
  # shared source cache where possible (fast, no extra space), copies otherwise.
  rm -rf "$OUT/include/boost"
  mkdir -p "$OUT/include/boost"
  local inc n=0
  for inc in "$s"/libs/*/include/boost "$s"/libs/numeric/*/include/boost; do
    [[ -d $inc ]] || continue
    cp -al "$inc/." "$OUT/include/boost/" 2>/dev/null || cp -a "$inc/." "$OUT/include/boost/" ||
      die "copying boost headers from $inc failed"
    n=$((n + 1))
  done
  [[ -f $OUT/include/boost/program_options.hpp && -f $OUT/include/boost/config.hpp ]] ||
    die "boost header tree incomplete after merging $n include dirs from $s"
  # Static library, like b2 link=static threading=multi; objects land in $b (cwd).
  local flags
  read -r -a flags <<<"$COMMON_CXXFLAGS -std=c++17 -DBOOST_ALL_NO_LIB=1 -DBOOST_PROGRAM_OPTIONS_NO_LIB=1 -Wno-deprecated-declarations"
  flags+=("-I$OUT/include")
  compile_po() {
    printf '%s\0' "$s"/libs/program_options/src/*.cpp |
      xargs -0 -t -n 1 -P "$JOBS" "$CXX" "${flags[@]}" -c
  }
  ( cd "$b"
    run_logged "boost program_options: compile (-j$JOBS)" "$log" compile_po
    run_logged "boost program_options: archive" "$log" $AR rcs libboost_program_options.a ./*.o )
  cp "$b/libboost_program_options.a" "$OUT/lib/"
  mark_done program_options "$sig"
}

# ---- Crypto++ ---------------------------------------------------------------------------
build_cryptopp() {
  local s; s=$(srcdir libcrypto++)
  local sig; sig="cryptopp $(srcver libcrypto++) | $TOOL_SIG"
  if is_done cryptopp "$sig" && [[ -f $OUT/lib/libcryptopp.a ]]; then return; fi
  say "building Crypto++ $(srcver libcrypto++) (takes a minute or two)"
  local log=$LOGS/cryptopp.log b=$BLD/cryptopp
  : >"$log"; rm -rf "$b"
  # Out of the shared tree: the GNUmakefile builds in its source directory.
  cp -a "$s" "$b"
  ( cd "$b"
    run_logged "cryptopp: make static (GNUmakefile, mingw cross, -j$JOBS)" "$log" \
      make -f GNUmakefile -j"$JOBS" \
        CXX="$CXX" CC="$CC" AR="$AR" RANLIB="$RANLIB" ARFLAGS="rcs" \
        CXXFLAGS="$COMMON_CXXFLAGS -std=c++17" \
        static )
  # Debian's fix_library_name.patch renames the archive to libcrypto++.a; we install it
  # under upstream's name libcryptopp.a.
  local a
  for a in libcryptopp.a libcrypto++.a ''; do
    [[ -n $a ]] || die "cryptopp: neither libcryptopp.a nor libcrypto++.a was produced (log: $log)"
    [[ -f $b/$a ]] && break
  done
  rm -rf "$OUT/include/cryptopp"; mkdir -p "$OUT/include/cryptopp"
  cp "$b"/*.h "$OUT/include/cryptopp/"
  cp "$b/$a" "$OUT/lib/libcryptopp.a"
  mark_done cryptopp "$sig"
}

build_tinyxml2
build_program_options
build_cryptopp

{
  echo "arch=$ARCH host=$HOST"
  echo "compiler=$($CXX --version | head -n1)"
  echo "cxxflags=$COMMON_CXXFLAGS"
  for pkg in "${PACKAGES[@]}"; do echo "$pkg=$(srcver "$pkg")"; done
  echo "catch2=$(dpkg-query -W -f='${Version}' catch2 2>/dev/null || echo unknown)"
} >"$OUT/versions.txt.tmp"
mv "$OUT/versions.txt.tmp" "$OUT/versions.txt"

say "done in $((SECONDS - T0))s -> $OUT"
