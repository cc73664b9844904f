#include "toolkit/engine/snapshot.h"

#include <algorithm>
#include <cctype>

namespace otharden {
namespace {

bool NameLess(const std::string& a, const std::string& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

Result<HostSnapshot> TakeSnapshot(Host& host) {
  HostSnapshot snapshot;
  snapshot.time = UtcTime::Now();
  Result<OsIdentity> os = host.ReadOsIdentity();
  if (!os.ok()) return os.status();
  snapshot.os = std::move(*os);

  Result<std::vector<CbsPackage>> packages = host.ListCbsPackages();
  if (!packages.ok()) return packages.status();
  snapshot.packages = std::move(*packages);
  std::stable_sort(snapshot.packages.begin(), snapshot.packages.end(),
                   [](const CbsPackage& a, const CbsPackage& b) { return NameLess(a.name, b.name); });

  Result<std::vector<ServiceConfig>> services = host.ListServices();
  if (!services.ok()) return services.status();
  snapshot.services = std::move(*services);
  std::stable_sort(snapshot.services.begin(), snapshot.services.end(),
                   [](const ServiceConfig& a, const ServiceConfig& b) { return NameLess(a.name, b.name); });

  // A host whose firewall otharden cannot read (API missing, service
  // stopped) still has services and updates worth recording.
  Result<FirewallSnapshot> firewall = host.ReadFirewall();
  if (firewall.ok()) {
    snapshot.firewall = std::move(*firewall);
  } else {
    snapshot.firewall_error = firewall.status().message();
  }
  return snapshot;
}

}  // namespace otharden
