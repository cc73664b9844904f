#include "toolkit/platform/win32/system_library.h"

#include <string>

namespace otharden {

FARPROC SystemFunction(const wchar_t* dll, const char* function) {
  wchar_t system[MAX_PATH];
  const UINT n = GetSystemDirectoryW(system, MAX_PATH);
  if (n == 0 || n >= MAX_PATH) return nullptr;
  const std::wstring path = std::wstring(system, n) + L"\\" + dll;
  // A full path is never searched for; LOAD_WITH_ALTERED_SEARCH_PATH makes the
  // DLL's own imports come from System32 (its folder) too, not from ours.
  HMODULE module = LoadLibraryExW(path.c_str(), nullptr, LOAD_WITH_ALTERED_SEARCH_PATH);
  if (!module) return nullptr;
  return GetProcAddress(module, function);
}

}  // namespace otharden
