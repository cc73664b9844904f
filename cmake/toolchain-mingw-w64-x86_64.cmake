# CMake toolchain file: Windows (x86_64) with MinGW-w64 (posix thread model), fully static,
# targeting Windows Vista / Server 2008 (_WIN32_WINNT 0x0600) as the minimum API level.
# Used by the "win64" preset. Dependencies: see cmake/Dependencies.cmake and
# cmake/windows-deps.sh (compiled from Debian source packages with the same flags).
# Debian's /usr/bin/wine runs 64-bit PEs through wine64 whether or not wine32 is
# installed (without wine32 it prints an install hint on stderr unless WINEDEBUG=-all).
set(OTH_MINGW_ARCH   x86_64)
set(OTH_MINGW_TRIPLE x86_64-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw-w64-common.cmake)
