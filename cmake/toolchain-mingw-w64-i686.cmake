# CMake toolchain file: Windows (i686) with MinGW-w64 (posix thread model), fully static,
# targeting Windows Vista / Server 2008 (_WIN32_WINNT 0x0600) as the minimum API level.
# Used by the "win32" preset. Dependencies: see cmake/Dependencies.cmake and
# cmake/windows-deps.sh (compiled from Debian source packages with the same flags).
# 32-bit PEs need Debian's wine32:i386 (/usr/lib/wine/wine) and a kernel that runs 32-bit
# programs; wine64 alone cannot run them (Wine 8 in Debian is not built in the new WoW64
# mode). cmake/install-build-deps.sh installs wine32 only where a 32-bit probe runs.
set(OTH_MINGW_ARCH   i686)
set(OTH_MINGW_TRIPLE i686-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw-w64-common.cmake)
if(NOT EXISTS /usr/lib/wine/wine)
  message(STATUS "wine32 (/usr/lib/wine/wine) is not installed: 32-bit test executables "
                 "cannot run under Wine on this machine (see cmake/install-build-deps.sh).")
endif()
