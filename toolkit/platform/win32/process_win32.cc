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

}  // namespace otharden
