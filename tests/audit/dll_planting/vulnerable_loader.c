/* The control of tests/audit/dll_planting.sh: a deliberately vulnerable
 * program that loads a DLL by bare name, without SetDllDirectoryW(L"") or
 * SetDefaultDllDirectories, the way otharden.exe must not. A planted DLL of
 * that name next to it must be loaded (its marker appears), or the planting
 * test could not see a planted DLL being loaded at all.
 *   vulnerable_loader.exe NAME.dll   exit 0 if LoadLibraryW succeeded */
#include <windows.h>

int wmain(int argc, wchar_t** argv) {
  if (argc < 2) return 2;
  HMODULE module = LoadLibraryW(argv[1]);
  return module ? 0 : 1;
}
