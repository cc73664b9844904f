# Shared part of the MinGW-w64 toolchain files: included by
# toolchain-mingw-w64-x86_64.cmake and toolchain-mingw-w64-i686.cmake after they
# set OTH_MINGW_ARCH and OTH_MINGW_TRIPLE.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_VERSION 6.0)
set(CMAKE_SYSTEM_PROCESSOR ${OTH_MINGW_ARCH})

# The -posix variants: std::thread/std::mutex via winpthreads (the win32 thread model has
# none in GCC 12). Debian's plain <triple>-g++ is an alternative that may
# point at either model, so name the posix one explicitly.
set(CMAKE_C_COMPILER   ${OTH_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${OTH_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER  ${OTH_MINGW_TRIPLE}-windres)
# CMake cannot derive the binutils prefix from a "-posix" compiler name: name them.
set(CMAKE_AR      ${OTH_MINGW_TRIPLE}-ar      CACHE FILEPATH "archiver")
set(CMAKE_RANLIB  ${OTH_MINGW_TRIPLE}-ranlib  CACHE FILEPATH "ranlib")
set(CMAKE_OBJDUMP ${OTH_MINGW_TRIPLE}-objdump CACHE FILEPATH "objdump")
set(CMAKE_STRIP   ${OTH_MINGW_TRIPLE}-strip   CACHE FILEPATH "strip")

# Look for libraries/headers/packages only in the target's sysroot (and in the directories
# Dependencies.cmake adds explicitly), programs only on the build host.
set(CMAKE_FIND_ROOT_PATH /usr/${OTH_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Windows Vista / Server 2008 API level, for every C/C++/RC source. Debian's mingw-w64
# headers default to 0x0A00 (Windows 10), which silently pulls in Win7+ imports (and makes
# Crypto++ choose BCrypt instead of CryptoAPI). The libraries are built with the same macros.
set(OTH_WINVER_DEFINES "-D_WIN32_WINNT=0x0600 -DWINVER=0x0600")
set(CMAKE_C_FLAGS_INIT   "${OTH_WINVER_DEFINES}")
set(CMAKE_CXX_FLAGS_INIT "${OTH_WINVER_DEFINES}")
set(CMAKE_RC_FLAGS_INIT  "${OTH_WINVER_DEFINES}")

# Fully static: no libgcc_s/libstdc++/libwinpthread DLLs next to the exe (DLL planting,
# nothing to install on the appliance).
set(CMAKE_EXE_LINKER_FLAGS_INIT    "-static -static-libgcc -static-libstdc++")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# Run cross-built executables (tests, try_run, catch_discover_tests) under Wine, with the
# loader of the target's word size named explicitly: Debian's /usr/bin/wine picks the
# 32-bit loader whenever wine32 is installed, even where the kernel cannot run it, and
# then 64-bit programs fail too. Override with -DOTH_WINE=/path/to/loader.
if(OTH_MINGW_ARCH STREQUAL "x86_64")
  find_program(OTH_WINE NAMES wine64 PATHS /usr/lib/wine NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  find_program(OTH_WINE NAMES wine64 NO_CMAKE_FIND_ROOT_PATH)
else()
  find_program(OTH_WINE NAMES wine PATHS /usr/lib/wine NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
endif()
if(OTH_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${OTH_WINE}")
endif()
