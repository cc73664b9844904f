/* The second control of tests/audit/dll_planting.sh: a deliberately vulnerable
 * program that IMPORTS netapi32.dll (not a KnownDLL), as otharden.exe did
 * before platform/win32/system_library.h. The loader resolves that import
 * before main() from the program's own folder first, so a planted
 * netapi32.dll there is loaded, whatever the program does at run time. */
#include <windows.h>
#include <lm.h>

int main(void) {
  NetApiBufferFree(NULL);
  return 0;
}
