// An in-memory Host for unit tests: returns exactly the data it was given, or the
// Status it was told to fail with, and records every change it is asked to make.
// A test double, not a simulation of Windows.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "toolkit/platform/host.h"

namespace otharden {

class MemoryHost : public Host {
 public:
  OsIdentity os;
  std::vector<CbsPackage> packages;
  std::optional<Status> os_failure;        // when set, ReadOsIdentity fails with it
  std::optional<Status> packages_failure;  // when set, ListCbsPackages fails with it
  std::optional<Status> services_failure;  // when set, ListServices fails with it

  // Services by name; depends_on[name] lists the services `name` depends on.
  std::vector<ServiceConfig> services;
  std::map<std::string, std::vector<std::string>> depends_on;
  bool delayed_supported = true;         // false: like Wine, ERROR_INVALID_LEVEL
  std::set<std::string> failing_changes;  // SetServiceStart on these fails
  // The firewall; nullopt: the API is missing (ReadFirewall fails kNotSupported).
  std::optional<FirewallSnapshot> firewall = FirewallSnapshot{};
  std::set<std::string> failing_rules;  // AddFirewallRule of a rule with this Name fails
  SessionInfo session;
  // Every change made, in order: "start NAME auto", "stop NAME", "run NAME",
  // "fw-profile domain ...", "fw-add NAME", "fw-remove NAME", "fw-enable NAME 0|1".
  std::vector<std::string> calls;

  Result<OsIdentity> ReadOsIdentity() override;
  Result<std::vector<CbsPackage>> ListCbsPackages() override;
  Result<std::optional<ServiceConfig>> ReadService(const std::string& name) override;
  Result<std::vector<ServiceConfig>> ListServices() override;
  Result<std::vector<std::string>> RunningDependents(const std::string& name) override;
  Status SetServiceStart(const std::string& name, ServiceStartType start,
                         std::optional<bool> delayed) override;
  Status StopServiceAndWait(const std::string& name, std::chrono::milliseconds timeout) override;
  Status StartServiceAndWait(const std::string& name, std::chrono::milliseconds timeout) override;
  Result<FirewallSnapshot> ReadFirewall() override;
  Status SetFirewallProfile(const FirewallProfileState& state) override;
  Status AddFirewallRule(const FirewallRule& rule) override;
  Status RemoveFirewallRule(const FirewallRule& rule) override;
  Status SetFirewallRuleEnabled(const FirewallRule& rule, bool enabled) override;
  Result<SessionInfo> ReadSession() override { return session; }

  // Adds a package named like Windows names it, for the given KB and state.
  void AddPackage(const std::string& kb, uint32_t state);
  // Adds a service; returns it for further changes.
  ServiceConfig& AddService(const std::string& name, ServiceStartType start, bool running);
  ServiceConfig* Find(const std::string& name);
};

}  // namespace otharden
