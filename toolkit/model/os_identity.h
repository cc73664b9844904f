// What a host says about its operating system, as plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace otharden {

// RtlGetVersion's wProductType: 1 workstation, 2 domain controller, 3 server.
enum class ProductType { kUnknown, kWorkstation, kDomainController, kServer };

// GetNativeSystemInfo's wProcessorArchitecture, reduced to what we tell apart.
enum class Architecture { kUnknown, kX86, kX64, kIA64, kArm, kArm64 };

// "workstation", "domain-controller", "server", "unknown" (also the policy spelling).
const char* ProductTypeName(ProductType type);
// Inverse of ProductTypeName; nullopt for any other text.
std::optional<ProductType> ParseProductType(const std::string& text);
// "x86", "x64", "ia64", "arm", "arm64", "unknown" (also the policy spelling).
const char* ArchitectureName(Architecture arch);
std::optional<Architecture> ParseArchitecture(const std::string& text);

// A four-part file version as in VS_FIXEDFILEINFO, e.g. 6.0.6003.20489.
struct FileVersion {
  uint16_t major = 0, minor = 0, build = 0, revision = 0;

  std::string ToString() const;
  // Accepts exactly "a.b.c.d" with each part 0..65535; nullopt otherwise.
  static std::optional<FileVersion> Parse(const std::string& text);
  uint64_t Packed() const {
    return (uint64_t{major} << 48) | (uint64_t{minor} << 32) | (uint64_t{build} << 16) | revision;
  }
  friend bool operator==(const FileVersion& a, const FileVersion& b) { return a.Packed() == b.Packed(); }
  friend bool operator!=(const FileVersion& a, const FileVersion& b) { return !(a == b); }
  friend bool operator<(const FileVersion& a, const FileVersion& b) { return a.Packed() < b.Packed(); }
  friend bool operator<=(const FileVersion& a, const FileVersion& b) { return !(b < a); }
};

// The OS as RtlGetVersion reports it (never the revision).
struct KernelVersionInfo {
  uint32_t major = 0, minor = 0, build = 0;
  std::string csd;  // "Service Pack 2", may be empty
  uint16_t service_pack_major = 0, service_pack_minor = 0;
  ProductType product_type = ProductType::kUnknown;
};

// HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion; a missing value is nullopt.
struct RegistryVersionInfo {
  std::optional<std::string> current_version;       // "6.0"
  std::optional<std::string> current_build_number;  // "6003"
  std::optional<std::string> csd_version;           // "Service Pack 2"
  std::optional<std::string> build_lab;
  std::optional<std::string> build_lab_ex;
  std::optional<std::string> product_name;
};

// Everything `check` needs to identify a host.
struct OsIdentity {
  KernelVersionInfo rtl;          // RtlGetVersion
  RegistryVersionInfo registry;   // CurrentVersion key
  // File version of %SystemRoot%\System32\ntoskrnl.exe (through Sysnative for a
  // 32-bit process on a 64-bit host). nullopt when unreadable; kernel_error says why.
  std::optional<FileVersion> kernel_file_version;
  std::string kernel_path;
  std::string kernel_error;
  Architecture native_architecture = Architecture::kUnknown;
  Architecture process_architecture = Architecture::kUnknown;
  std::string host_name;
  std::string domain_or_workgroup;
  bool domain_joined = false;
};

// "6.0.6003" from the RtlGetVersion fields.
std::string RtlVersionString(const KernelVersionInfo& rtl);

}  // namespace otharden
