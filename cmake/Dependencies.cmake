# Dependencies.cmake — the project's third-party libraries as uniform targets:
#
#   dep::tinyxml2         <tinyxml2.h>
#   dep::cryptopp         <cryptopp/...h>         (e.g. <cryptopp/xed25519.h>)
#   dep::program_options  <boost/program_options.hpp>
#   dep::catch2           <catch2/catch.hpp>      (Catch2 v2, header only)
#
# Native builds use Debian's -dev packages. Windows cross builds (MinGW-w64 toolchain files
# in this directory) use static libraries compiled from Debian's source packages by
# cmake/windows-deps.sh, run at configure time into <binary dir>/../deps/<arch>
# (build/win64 -> build/deps/x86_64, build/win32 -> build/deps/i686; override with
# -DOTH_WINDOWS_DEPS_DIR=...). Nothing third-party lives in the source tree.
include_guard(GLOBAL)

if(TARGET dep::tinyxml2)
  return()
endif()

set(_oth_deps_script "${CMAKE_CURRENT_LIST_DIR}/windows-deps.sh")

# Catch2's CMake helpers (include(Catch) / catch_discover_tests) for every build: they run
# on the build host; for cross builds they honour CROSSCOMPILING_EMULATOR (Wine).
foreach(_d /usr/lib/cmake/Catch2 /usr/share/cmake/Catch2 /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/cmake/Catch2)
  if(EXISTS "${_d}/Catch.cmake")
    list(APPEND CMAKE_MODULE_PATH "${_d}")
    break()
  endif()
endforeach()

if(WIN32 AND CMAKE_CROSSCOMPILING)
  # ---------------------------------------------------------------------------------------
  # Windows (cross): static libraries built from Debian source packages.
  # ---------------------------------------------------------------------------------------
  if(DEFINED OTH_MINGW_ARCH)
    set(_oth_arch "${OTH_MINGW_ARCH}")
  elseif(CMAKE_SIZEOF_VOID_P EQUAL 8)
    set(_oth_arch x86_64)
  else()
    set(_oth_arch i686)
  endif()

  get_filename_component(_oth_default_deps_dir "${CMAKE_BINARY_DIR}/../deps/${_oth_arch}" ABSOLUTE)
  set(OTH_WINDOWS_DEPS_DIR "${_oth_default_deps_dir}" CACHE PATH
      "Where cmake/windows-deps.sh puts the Windows (${_oth_arch}) dependencies")

  find_program(OTH_BASH bash REQUIRED NO_CMAKE_FIND_ROOT_PATH)
  message(STATUS "Windows dependencies (${_oth_arch}) from Debian source packages -> ${OTH_WINDOWS_DEPS_DIR}")
  message(STATUS "  (running cmake/windows-deps.sh; this may take a few minutes the first time, "
                 "then it is cached)")
  execute_process(
    COMMAND "${OTH_BASH}" "${_oth_deps_script}" "${_oth_arch}" "${OTH_WINDOWS_DEPS_DIR}"
    RESULT_VARIABLE _oth_rc)
  if(NOT _oth_rc EQUAL 0)
    message(FATAL_ERROR
      "Building the Windows (${_oth_arch}) dependencies failed (exit status: ${_oth_rc}).\n"
      "See the error above and the logs in ${OTH_WINDOWS_DEPS_DIR}/logs "
      "(source download: <repo>/build/deps/src/fetch.log).\n"
      "Rerun by hand: bash ${_oth_deps_script} ${_oth_arch} ${OTH_WINDOWS_DEPS_DIR}")
  endif()
  # Reconfigure when the build script changes.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_oth_deps_script}")

  set(_oth_inc "${OTH_WINDOWS_DEPS_DIR}/include")
  set(_oth_lib "${OTH_WINDOWS_DEPS_DIR}/lib")
  foreach(_f "${_oth_inc}/tinyxml2.h" "${_oth_inc}/cryptopp/xed25519.h"
             "${_oth_inc}/boost/program_options.hpp" "${_oth_inc}/catch2/catch.hpp"
             "${_oth_lib}/libtinyxml2.a" "${_oth_lib}/libcryptopp.a"
             "${_oth_lib}/libboost_program_options.a")
    if(NOT EXISTS "${_f}")
      message(FATAL_ERROR "windows-deps.sh succeeded but ${_f} is missing; "
                          "delete ${OTH_WINDOWS_DEPS_DIR} and reconfigure")
    endif()
  endforeach()

  add_library(dep::tinyxml2 STATIC IMPORTED GLOBAL)
  set_target_properties(dep::tinyxml2 PROPERTIES
    IMPORTED_LOCATION "${_oth_lib}/libtinyxml2.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_oth_inc}")

  add_library(dep::cryptopp STATIC IMPORTED GLOBAL)
  set_target_properties(dep::cryptopp PROPERTIES
    IMPORTED_LOCATION "${_oth_lib}/libcryptopp.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_oth_inc}"
    # OS RNG below _WIN32_WINNT 0x0602 is CryptoAPI (advapi32).
    INTERFACE_LINK_LIBRARIES "advapi32")

  add_library(dep::program_options STATIC IMPORTED GLOBAL)
  set_target_properties(dep::program_options PROPERTIES
    IMPORTED_LOCATION "${_oth_lib}/libboost_program_options.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_oth_inc}"
    INTERFACE_COMPILE_DEFINITIONS "BOOST_ALL_NO_LIB")

  add_library(dep::catch2 INTERFACE IMPORTED GLOBAL)
  set_target_properties(dep::catch2 PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_oth_inc}")

  file(STRINGS "${OTH_WINDOWS_DEPS_DIR}/versions.txt" _oth_versions)
  string(JOIN ", " _oth_versions ${_oth_versions})
  message(STATUS "  ${_oth_versions}")

else()
  # ---------------------------------------------------------------------------------------
  # Native: Debian's -dev packages.
  # ---------------------------------------------------------------------------------------
  # Boost.Program_options (libboost-program-options-dev)
  find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
  add_library(dep::program_options INTERFACE IMPORTED GLOBAL)
  set_target_properties(dep::program_options PROPERTIES
    INTERFACE_LINK_LIBRARIES Boost::program_options)

  # tinyxml2 (libtinyxml2-dev)
  find_path(OTH_TINYXML2_INCLUDE_DIR tinyxml2.h)
  find_library(OTH_TINYXML2_LIBRARY NAMES tinyxml2)
  if(NOT OTH_TINYXML2_INCLUDE_DIR OR NOT OTH_TINYXML2_LIBRARY)
    message(FATAL_ERROR "tinyxml2 not found (apt-get install libtinyxml2-dev)")
  endif()
  add_library(dep::tinyxml2 UNKNOWN IMPORTED GLOBAL)
  set_target_properties(dep::tinyxml2 PROPERTIES
    IMPORTED_LOCATION "${OTH_TINYXML2_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${OTH_TINYXML2_INCLUDE_DIR}")

  # Crypto++ (libcrypto++-dev: library libcrypto++, headers <crypto++/..> and <cryptopp/..>)
  find_path(OTH_CRYPTOPP_INCLUDE_DIR cryptopp/xed25519.h)
  find_library(OTH_CRYPTOPP_LIBRARY NAMES crypto++ cryptopp)
  if(NOT OTH_CRYPTOPP_INCLUDE_DIR OR NOT OTH_CRYPTOPP_LIBRARY)
    message(FATAL_ERROR "Crypto++ not found (apt-get install libcrypto++-dev)")
  endif()
  add_library(dep::cryptopp UNKNOWN IMPORTED GLOBAL)
  set_target_properties(dep::cryptopp PROPERTIES
    IMPORTED_LOCATION "${OTH_CRYPTOPP_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${OTH_CRYPTOPP_INCLUDE_DIR}")

  # Catch2 v2 (catch2)
  find_package(Catch2 REQUIRED)
  add_library(dep::catch2 INTERFACE IMPORTED GLOBAL)
  set_target_properties(dep::catch2 PROPERTIES
    INTERFACE_LINK_LIBRARIES Catch2::Catch2)
endif()

unset(_oth_deps_script)
