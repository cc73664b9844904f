// DLL planting: otharden.exe runs from a USB stick that passes through many
// hands, and a DLL lying next to it must never be loaded. The loader resolves
// an executable's imports before main() runs, searching the executable's own
// folder first for every DLL that is not a KnownDLL; SetDllDirectoryW(L"") and
// SetDefaultDllDirectories come too late for those, and neither removes the
// executable's folder for implicit loads. On Server 2008, version.dll,
// netapi32.dll and wtsapi32.dll are not KnownDLLs: otharden does not import
// them, it calls their functions through SystemFunction, which loads the DLL
// from System32 by its full path. tests/audit/dll_planting.sh checks it.
#pragma once

#include "toolkit/platform/win32/windows_api.h"

namespace otharden {

// `function` of the DLL `dll` ("version.dll") in the System32 folder, loaded by
// full path (a 32-bit process on x64 gets SysWOW64, as it should); nullptr when
// the DLL or the function is missing, with GetLastError set. The DLL stays
// loaded for the life of the process.
FARPROC SystemFunction(const wchar_t* dll, const char* function);

// The same, as a typed function pointer:
//   auto get_size = SystemFunctionAs<decltype(&GetFileVersionInfoSizeW)>(L"version.dll",
//                                                                         "GetFileVersionInfoSizeW");
template <typename Fn>
Fn SystemFunctionAs(const wchar_t* dll, const char* function) {
  return reinterpret_cast<Fn>(reinterpret_cast<void*>(SystemFunction(dll, function)));
}

}  // namespace otharden
