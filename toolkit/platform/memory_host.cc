#include "toolkit/platform/memory_host.h"

namespace otharden {

Result<OsIdentity> MemoryHost::ReadOsIdentity() {
  if (os_failure) return *os_failure;
  return os;
}

Result<std::vector<CbsPackage>> MemoryHost::ListCbsPackages() {
  if (packages_failure) return *packages_failure;
  return packages;
}

void MemoryHost::AddPackage(const std::string& kb, uint32_t state) {
  const char* arch = os.native_architecture == Architecture::kX86 ? "x86" : "amd64";
  std::string name = "Package_for_" + kb + "~31bf3856ad364e35~" + arch + "~~6.0.1.0";
  packages.push_back(CbsPackage{name, kb, state});
}

}  // namespace otharden
