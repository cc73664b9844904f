#include "toolkit/platform/process.h"
#include "toolkit/platform/win32/text.h"
#include "toolkit/platform/win32/win32_error.h"
#include "toolkit/platform/win32/windows_api.h"

namespace otharden {

Result<std::string> ExecutablePath() {
  std::wstring buffer(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, &buffer[0], static_cast<DWORD>(buffer.size()));
    if (n == 0) return Win32Failure("the running executable", "GetModuleFileNameW", GetLastError());
    if (n < buffer.size()) {
      buffer.resize(n);
      return Utf8FromWide(buffer);
    }
    if (buffer.size() >= 32768) return Status::IoError("executable path is too long");
    buffer.resize(buffer.size() * 2);
  }
}

const char* BuildTarget() {
#if defined(_WIN64)
  return "x64";
#else
  return "x86";
#endif
}

Result<bool> IsElevated() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
    return Win32Failure("this process", "OpenProcessToken", GetLastError());
  }
  TOKEN_ELEVATION elevation = {};
  DWORD size = 0;
  const BOOL ok = GetTokenInformation(token, TokenElevation, &elevation, sizeof elevation, &size);
  const DWORD error = GetLastError();
  CloseHandle(token);
  if (!ok) return Win32Failure("this process", "GetTokenInformation(TokenElevation)", error);
  return elevation.TokenIsElevated != 0;
}

std::string MachineStateDirectory() {
  wchar_t buffer[MAX_PATH];
  const DWORD n = GetEnvironmentVariableW(L"ProgramData", buffer, MAX_PATH);
  const std::wstring base = (n > 0 && n < MAX_PATH) ? std::wstring(buffer, n) : L"C:\\ProgramData";
  return Utf8FromWide(base) + "\\otharden";
}

}  // namespace otharden
