#include "toolkit/model/os_identity.h"

#include <cstdlib>

namespace otharden {

const char* ProductTypeName(ProductType type) {
  switch (type) {
    case ProductType::kWorkstation: return "workstation";
    case ProductType::kDomainController: return "domain-controller";
    case ProductType::kServer: return "server";
    case ProductType::kUnknown: break;
  }
  return "unknown";
}

std::optional<ProductType> ParseProductType(const std::string& text) {
  for (ProductType t : {ProductType::kWorkstation, ProductType::kDomainController,
                        ProductType::kServer}) {
    if (text == ProductTypeName(t)) return t;
  }
  return std::nullopt;
}

const char* ArchitectureName(Architecture arch) {
  switch (arch) {
    case Architecture::kX86: return "x86";
    case Architecture::kX64: return "x64";
    case Architecture::kIA64: return "ia64";
    case Architecture::kArm: return "arm";
    case Architecture::kArm64: return "arm64";
    case Architecture::kUnknown: break;
  }
  return "unknown";
}

std::optional<Architecture> ParseArchitecture(const std::string& text) {
  for (Architecture a : {Architecture::kX86, Architecture::kX64, Architecture::kIA64,
                         Architecture::kArm, Architecture::kArm64}) {
    if (text == ArchitectureName(a)) return a;
  }
  return std::nullopt;
}

std::string FileVersion::ToString() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(build) +
         "." + std::to_string(revision);
}

std::optional<FileVersion> FileVersion::Parse(const std::string& text) {
  uint16_t parts[4];
  size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    size_t start = pos;
    uint32_t value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      value = value * 10 + static_cast<uint32_t>(text[pos] - '0');
      if (value > 65535) return std::nullopt;
      ++pos;
    }
    if (pos == start || pos - start > 5) return std::nullopt;
    parts[i] = static_cast<uint16_t>(value);
    if (i < 3) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
  }
  if (pos != text.size()) return std::nullopt;
  return FileVersion{parts[0], parts[1], parts[2], parts[3]};
}

std::string RtlVersionString(const KernelVersionInfo& rtl) {
  return std::to_string(rtl.major) + "." + std::to_string(rtl.minor) + "." +
         std::to_string(rtl.build);
}

}  // namespace otharden
