// An in-memory Host for unit tests: returns exactly the data it was given, or the
// Status it was told to fail with. A test double, not a simulation of Windows.
#pragma once

#include <optional>
#include <vector>

#include "toolkit/platform/host.h"

namespace otharden {

class MemoryHost : public Host {
 public:
  OsIdentity os;
  std::vector<CbsPackage> packages;
  std::optional<Status> os_failure;        // when set, ReadOsIdentity fails with it
  std::optional<Status> packages_failure;  // when set, ListCbsPackages fails with it

  Result<OsIdentity> ReadOsIdentity() override;
  Result<std::vector<CbsPackage>> ListCbsPackages() override;

  // Adds a package named like Windows names it, for the given KB and state.
  void AddPackage(const std::string& kb, uint32_t state);
};

}  // namespace otharden
