// A full picture of the host at one moment: what `apply` records before and
// after it changes anything, what `snapshot` writes, what `diff` compares and
// what `rollback --report` restores from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/firewall.h"
#include "toolkit/model/os_identity.h"
#include "toolkit/model/service.h"
#include "toolkit/model/update.h"
#include "toolkit/model/utc_time.h"

namespace otharden {

struct HostSnapshot {
  UtcTime time;
  OsIdentity os;
  std::vector<CbsPackage> packages;
  std::vector<ServiceConfig> services;      // every installed service, sorted by name
  std::optional<FirewallSnapshot> firewall;  // nullopt when it could not be read
  std::string firewall_error;                // why, when nullopt
};

// One difference between two snapshots.
struct SnapshotDifference {
  std::string area;    // "os", "update", "service", "firewall-profile", "firewall-rule"
  std::string item;    // "RemoteRegistry", "domain", the rule's name ...
  std::string before;  // human-readable state in the first snapshot ("absent" when missing)
  std::string after;   // ... in the second
};

// What differs from `a` to `b`, in a stable order (area, then item). Time is
// not compared.
std::vector<SnapshotDifference> DiffSnapshots(const HostSnapshot& a, const HostSnapshot& b);

}  // namespace otharden
