#include "toolkit/platform/win32/registry.h"

#include "toolkit/platform/win32/text.h"
#include "toolkit/platform/win32/win32_error.h"

namespace otharden {

RegistryKey::~RegistryKey() {
  if (key_) RegCloseKey(key_);
}

RegistryKey& RegistryKey::operator=(RegistryKey&& other) noexcept {
  if (this != &other) {
    if (key_) RegCloseKey(key_);
    key_ = other.key_;
    path_ = std::move(other.path_);
    other.key_ = nullptr;
  }
  return *this;
}

Result<RegistryKey> RegistryKey::OpenForRead(HKEY root, const std::string& path) {
  RegistryKey key;
  key.path_ = path;
  const LONG rc = RegOpenKeyExW(root, WideFromUtf8(path).c_str(), 0, KEY_READ | KEY_WOW64_64KEY,
                                &key.key_);
  if (rc != ERROR_SUCCESS) {
    key.key_ = nullptr;
    return Win32Failure("registry key '" + path + "'", "RegOpenKeyExW", static_cast<uint32_t>(rc));
  }
  return key;
}

std::optional<std::string> RegistryKey::ReadString(const std::string& name) const {
  const std::wstring wname = WideFromUtf8(name);
  DWORD type = 0, bytes = 0;
  if (RegQueryValueExW(key_, wname.c_str(), nullptr, &type, nullptr, &bytes) != ERROR_SUCCESS) {
    return std::nullopt;
  }
  if (type != REG_SZ && type != REG_EXPAND_SZ) return std::nullopt;
  // Registry strings need not be NUL-terminated: size the buffer from `bytes`
  // and cut at the first NUL ourselves.
  std::wstring buffer(bytes / sizeof(wchar_t) + 1, L'\0');
  DWORD size = bytes;
  if (RegQueryValueExW(key_, wname.c_str(), nullptr, &type, reinterpret_cast<BYTE*>(&buffer[0]),
                       &size) != ERROR_SUCCESS ||
      (type != REG_SZ && type != REG_EXPAND_SZ)) {
    return std::nullopt;
  }
  buffer.resize(std::min<size_t>(size / sizeof(wchar_t), buffer.size()));
  const size_t nul = buffer.find(L'\0');
  if (nul != std::wstring::npos) buffer.resize(nul);
  return Utf8FromWide(buffer);
}

std::optional<uint32_t> RegistryKey::ReadDword(const std::string& name) const {
  DWORD type = 0, value = 0, size = sizeof value;
  if (RegQueryValueExW(key_, WideFromUtf8(name).c_str(), nullptr, &type,
                       reinterpret_cast<BYTE*>(&value), &size) != ERROR_SUCCESS ||
      type != REG_DWORD || size != sizeof value) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(value);
}

Result<std::vector<std::string>> RegistryKey::SubkeyNames() const {
  std::vector<std::string> names;
  // Key names are at most 255 characters (MSDN "Registry Element Size Limits").
  wchar_t name[256];
  for (DWORD index = 0;; ++index) {
    DWORD length = static_cast<DWORD>(sizeof name / sizeof name[0]);
    const LONG rc = RegEnumKeyExW(key_, index, name, &length, nullptr, nullptr, nullptr, nullptr);
    if (rc == ERROR_NO_MORE_ITEMS) break;
    if (rc != ERROR_SUCCESS) {
      return Win32Failure("registry key '" + path_ + "'", "RegEnumKeyExW", static_cast<uint32_t>(rc));
    }
    names.push_back(Utf8FromWide(std::wstring(name, length)));
  }
  return names;
}

}  // namespace otharden
