#include <filesystem>

#include "toolkit/platform/file_io.h"
#include "toolkit/platform/win32/text.h"
#include "toolkit/platform/win32/win32_error.h"
#include "toolkit/platform/win32/windows_api.h"

namespace otharden {

Status WriteFileAtomically(const std::string& path, const std::string& data, FileAccess) {
  const std::wstring target = WideFromUtf8(path);
  // Not std::to_wstring: it drags msvcrt's wide stdio (fwprintf) into the imports.
  const std::wstring temp = target + WideFromUtf8(".tmp-" + std::to_string(GetCurrentProcessId()));
  HANDLE file = CreateFileW(temp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                            FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    return Win32Failure(Utf8FromWide(temp), "CreateFileW", GetLastError());
  }
  size_t written = 0;
  Status status;
  while (written < data.size() && status.ok()) {
    const DWORD chunk = static_cast<DWORD>(std::min<size_t>(data.size() - written, 1u << 20));
    DWORD n = 0;
    if (!WriteFile(file, data.data() + written, chunk, &n, nullptr) || n == 0) {
      status = Win32Failure(Utf8FromWide(temp), "WriteFile", GetLastError());
    }
    written += n;
  }
  // FlushFileBuffers pushes the data through the volume's cache to the device:
  // a USB stick may be pulled right after we return.
  if (status.ok() && !FlushFileBuffers(file)) {
    status = Win32Failure(Utf8FromWide(temp), "FlushFileBuffers", GetLastError());
  }
  CloseHandle(file);
  if (status.ok() &&
      !MoveFileExW(temp.c_str(), target.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    status = Win32Failure(path, "MoveFileExW", GetLastError());
  }
  if (!status.ok()) DeleteFileW(temp.c_str());
  return status;
}

namespace {

class Win32AppendFile : public DurableAppendFile {
 public:
  Win32AppendFile(HANDLE file, std::string path) : file_(file), path_(std::move(path)) {}
  ~Win32AppendFile() override { CloseHandle(file_); }
  Status Append(const std::string& data) override {
    DWORD written = 0;
    if (!WriteFile(file_, data.data(), static_cast<DWORD>(data.size()), &written, nullptr) ||
        written != data.size()) {
      return Win32Failure(path_, "WriteFile", GetLastError());
    }
    if (!FlushFileBuffers(file_)) return Win32Failure(path_, "FlushFileBuffers", GetLastError());
    return Status::Ok();
  }

 private:
  HANDLE file_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<DurableAppendFile>> CreateDurableAppendFile(const std::string& path) {
  HANDLE file = CreateFileW(WideFromUtf8(path).c_str(), FILE_APPEND_DATA, FILE_SHARE_READ, nullptr,
                            CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return Win32Failure(path, "CreateFileW", GetLastError());
  return std::unique_ptr<DurableAppendFile>(new Win32AppendFile(file, path));
}

}  // namespace otharden
