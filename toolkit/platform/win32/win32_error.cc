#include "toolkit/platform/win32/win32_error.h"

#include "toolkit/platform/win32/text.h"
#include "toolkit/platform/win32/windows_api.h"

namespace otharden {

std::string SystemMessage(uint32_t code) {
  wchar_t buffer[512];
  const DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
                                 code, 0, buffer, static_cast<DWORD>(sizeof buffer / sizeof buffer[0]),
                                 nullptr);
  std::wstring text(buffer, n);
  while (!text.empty() && (text.back() == L'\n' || text.back() == L'\r' || text.back() == L'.' ||
                           text.back() == L' ')) {
    text.pop_back();
  }
  return text.empty() ? "unknown error" : Utf8FromWide(text);
}

Status Win32Failure(const std::string& what, const char* api, uint32_t code) {
  const std::string message =
      what + ": " + api + " failed: " + SystemMessage(code) + " (" + std::to_string(code) + ")";
  switch (code) {
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD: return Status::AccessDenied(message);
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND: return Status::NotFound(message);
    case ERROR_CALL_NOT_IMPLEMENTED:
    case ERROR_INVALID_LEVEL: return Status::NotSupported(message);
    default: return Status::HostError(message);
  }
}

}  // namespace otharden
