#include <iostream>

#include "toolkit/platform/console.h"
#include "toolkit/platform/win32/text.h"
#include "toolkit/platform/win32/win32_error.h"
#include "toolkit/platform/win32/windows_api.h"

namespace otharden {
namespace {

// A passphrase longer than this is a mistake (minisign reads at most 1023 bytes).
constexpr size_t kMaxLineChars = 4096;

// Owns a console handle from CreateFileW (invalid value INVALID_HANDLE_VALUE).
class ConsoleHandle {
 public:
  explicit ConsoleHandle(HANDLE h) : h_(h) {}
  ConsoleHandle(const ConsoleHandle&) = delete;
  ConsoleHandle& operator=(const ConsoleHandle&) = delete;
  ~ConsoleHandle() {
    if (valid()) CloseHandle(h_);
  }
  bool valid() const { return h_ != INVALID_HANDLE_VALUE; }
  HANDLE get() const { return h_; }

 private:
  HANDLE h_;
};

Result<std::string> ReadConsoleInputLine(const std::string& prompt, bool echo) {
  // CONIN$ is the console even when standard input is redirected.
  ConsoleHandle in(CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE,
                               FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0,
                               nullptr));
  if (!in.valid()) {
    Status s = Win32Failure("the console (CONIN$)", "CreateFileW", GetLastError());
    return Status::NotSupported("no console to ask on: " + s.message());
  }
  DWORD mode = 0;
  if (!GetConsoleMode(in.get(), &mode)) {
    Status s = Win32Failure("the console (CONIN$)", "GetConsoleMode", GetLastError());
    return Status::NotSupported("no console to ask on: " + s.message());
  }
  std::cerr << prompt << std::flush;
  // Line input, echoed or not; processed input keeps Ctrl+C working.
  DWORD wanted = mode | ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT;
  wanted = echo ? (wanted | ENABLE_ECHO_INPUT) : (wanted & ~static_cast<DWORD>(ENABLE_ECHO_INPUT));
  if (!SetConsoleMode(in.get(), wanted)) {
    return Win32Failure("the console (CONIN$)", "SetConsoleMode", GetLastError());
  }

  std::wstring line;
  line.reserve(kMaxLineChars + 2);  // no reallocation leaves copies behind
  wchar_t buffer[256];
  Status status;
  bool done = false, too_long = false;
  while (!done) {
    DWORD got = 0;
    if (!ReadConsoleW(in.get(), buffer, sizeof buffer / sizeof buffer[0], &got, nullptr)) {
      status = Win32Failure("the console (CONIN$)", "ReadConsoleW", GetLastError());
      break;
    }
    if (got == 0) {
      status = Status::IoError("reading from the console failed (end of input)");
      break;
    }
    for (DWORD i = 0; i < got && !done; ++i) {
      if (buffer[i] == L'\n') {
        done = true;
      } else if (line.size() < kMaxLineChars) {
        line += buffer[i];
      } else {
        too_long = true;
      }
    }
  }
  SecureZeroMemory(buffer, sizeof buffer);
  SetConsoleMode(in.get(), mode);
  if (!echo) std::cerr << "\n";  // the Enter typed was not echoed
  if (!line.empty() && line.back() == L'\r') line.pop_back();

  std::string utf8;
  if (status.ok() && !too_long) utf8 = Utf8FromWide(line);
  line.resize(line.capacity());
  SecureZeroMemory(&line[0], line.size() * sizeof(wchar_t));
  if (!status.ok()) return status;
  if (too_long) {
    return Status::InvalidInput("the line typed is longer than " + std::to_string(kMaxLineChars) +
                                " characters");
  }
  return utf8;
}

}  // namespace

Result<std::string> ReadLineWithoutEcho(const std::string& prompt) { return ReadConsoleInputLine(prompt, false); }

Result<std::string> ReadConsoleLine(const std::string& prompt) { return ReadConsoleInputLine(prompt, true); }

}  // namespace otharden
