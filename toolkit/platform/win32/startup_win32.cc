#include "toolkit/platform/startup.h"
#include "toolkit/platform/win32/text.h"
#include "toolkit/platform/win32/windows_api.h"
// After windows_api.h: shellapi.h needs <windows.h> first.
#include <shellapi.h>

namespace otharden {

std::vector<std::string> PrepareProcess(int argc, char** argv) {
  // DLL planting: an empty string removes the current directory from the DLL
  // search order (SetDllDirectoryW, XP SP1+). Everything we need is linked
  // statically or is a KnownDLL / System32 DLL.
  SetDllDirectoryW(L"");
  // SetDefaultDllDirectories needs KB2533623 on Server 2008, so it is looked up,
  // never imported.
  using SetDefaultDllDirectoriesFn = BOOL(WINAPI*)(DWORD);
  if (HMODULE kernel32 = GetModuleHandleW(L"kernel32.dll")) {
    if (auto set_default = reinterpret_cast<SetDefaultDllDirectoriesFn>(
            reinterpret_cast<void*>(GetProcAddress(kernel32, "SetDefaultDllDirectories")))) {
      set_default(0x00000800);  // LOAD_LIBRARY_SEARCH_SYSTEM32
    }
  }

  // Arguments as UTF-8 from the UTF-16 command line: the ANSI argv mangles
  // anything outside the console code page.
  std::vector<std::string> args;
  int wargc = 0;
  LPWSTR* wargv = CommandLineToArgvW(GetCommandLineW(), &wargc);
  if (!wargv) return std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc);
  for (int i = 1; i < wargc; ++i) args.push_back(Utf8FromWide(wargv[i]));
  LocalFree(wargv);
  return args;
}

}  // namespace otharden
