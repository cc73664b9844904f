// Reading the registry: one RAII owner for HKEY, bounded string reads, missing
// values as std::optional (not errors), always the 64-bit view so the x86 build
// on an x64 host sees the same keys as the x64 build.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/status.h"
#include "toolkit/platform/win32/windows_api.h"

namespace otharden {

class RegistryKey {
 public:
  RegistryKey() = default;
  ~RegistryKey();
  RegistryKey(RegistryKey&& other) noexcept : key_(other.key_) { other.key_ = nullptr; }
  RegistryKey& operator=(RegistryKey&& other) noexcept;
  RegistryKey(const RegistryKey&) = delete;
  RegistryKey& operator=(const RegistryKey&) = delete;

  // Opens root\path for reading (KEY_READ | KEY_WOW64_64KEY). A missing key is
  // kNotFound; a refused one kAccessDenied; the message names the key.
  static Result<RegistryKey> OpenForRead(HKEY root, const std::string& path);

  // A REG_SZ / REG_EXPAND_SZ value (not expanded), bounded by the stored size
  // whether or not it was NUL-terminated. nullopt when the value is missing or
  // of another type.
  std::optional<std::string> ReadString(const std::string& name) const;
  // A REG_DWORD value; nullopt when missing or of another type.
  std::optional<uint32_t> ReadDword(const std::string& name) const;
  // Names of the direct subkeys.
  Result<std::vector<std::string>> SubkeyNames() const;

  HKEY get() const { return key_; }
  const std::string& path() const { return path_; }

 private:
  HKEY key_ = nullptr;
  std::string path_;
};

}  // namespace otharden
