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

ServiceConfig* MemoryHost::Find(const std::string& name) {
  for (ServiceConfig& s : services) {
    if (SameServiceName(s.name, name)) return &s;
  }
  return nullptr;
}

ServiceConfig& MemoryHost::AddService(const std::string& name, ServiceStartType start, bool running) {
  ServiceConfig config;
  config.name = name;
  config.display_name = name;
  config.start = start;
  config.delayed_auto_start = delayed_supported ? std::optional<bool>(false) : std::nullopt;
  config.running = running;
  services.push_back(config);
  return services.back();
}

Result<std::vector<ServiceConfig>> MemoryHost::ListServices() {
  if (services_failure) return *services_failure;
  return services;
}

Result<std::optional<ServiceConfig>> MemoryHost::ReadService(const std::string& name) {
  if (ServiceConfig* s = Find(name)) return std::optional<ServiceConfig>(*s);
  return std::optional<ServiceConfig>();
}

Result<std::vector<std::string>> MemoryHost::RunningDependents(const std::string& name) {
  std::vector<std::string> dependents;
  for (const auto& [service, dependencies] : depends_on) {
    for (const std::string& d : dependencies) {
      const ServiceConfig* config = Find(service);
      if (SameServiceName(d, name) && config && config->running) dependents.push_back(service);
    }
  }
  return dependents;
}

Status MemoryHost::SetServiceStart(const std::string& name, ServiceStartType start,
                                   std::optional<bool> delayed) {
  ServiceConfig* s = Find(name);
  if (!s) return Status::NotFound("service '" + name + "' does not exist");
  if (failing_changes.count(name)) {
    return Status::AccessDenied("service '" + name + "': ChangeServiceConfigW failed: Access is denied (5)");
  }
  s->start = start;
  calls.push_back("start " + name + " " + StartTypeName(start));
  if (delayed) {
    if (!delayed_supported) {
      return Status::NotSupported("service '" + name + "': delayed auto-start is not supported");
    }
    s->delayed_auto_start = delayed;
    calls.push_back("delayed " + name + " " + (*delayed ? "1" : "0"));
  }
  return Status::Ok();
}

Status MemoryHost::StopServiceAndWait(const std::string& name, std::chrono::milliseconds) {
  ServiceConfig* s = Find(name);
  if (!s) return Status::NotFound("service '" + name + "' does not exist");
  if (!s->running) return Status::Ok();
  if (!s->accepts_stop) {
    return Status::IoError("service '" + name + "': ControlService failed: The requested control is not "
                           "valid for this service (1052)");
  }
  Result<std::vector<std::string>> dependents = RunningDependents(name);
  if (!dependents->empty()) {
    return Status::IoError("service '" + name + "': ControlService failed: A stop control has been sent "
                           "to a service that other running services are dependent on (2401)");
  }
  s->running = false;
  calls.push_back("stop " + name);
  return Status::Ok();
}

Status MemoryHost::StartServiceAndWait(const std::string& name, std::chrono::milliseconds) {
  ServiceConfig* s = Find(name);
  if (!s) return Status::NotFound("service '" + name + "' does not exist");
  if (s->running) return Status::Ok();
  if (s->start == ServiceStartType::kDisabled) {
    return Status::IoError("service '" + name + "': StartServiceW failed: The service cannot be started, "
                           "either because it is disabled or because it has no enabled devices "
                           "associated with it (1058)");
  }
  s->running = true;
  calls.push_back("run " + name);
  return Status::Ok();
}

namespace {

const char kNoFirewall[] = "the firewall API answered E_NOTIMPL (not implemented)";

}  // namespace

Result<FirewallSnapshot> MemoryHost::ReadFirewall() {
  if (!firewall) return Status::NotSupported(kNoFirewall);
  return *firewall;
}

Status MemoryHost::SetFirewallProfile(const FirewallProfileState& state) {
  if (!firewall) return Status::NotSupported(kNoFirewall);
  for (FirewallProfileState& p : firewall->profiles) {
    if (p.profile == state.profile) p = state;
  }
  calls.push_back("fw-profile " + state.Describe());
  return Status::Ok();
}

Status MemoryHost::AddFirewallRule(const FirewallRule& rule) {
  if (!firewall) return Status::NotSupported(kNoFirewall);
  if (failing_rules.count(rule.name)) {
    return Status::IoError("firewall rule '" + rule.name + "': INetFwRules::Add failed: E_FAIL");
  }
  firewall->rules.push_back(rule);
  calls.push_back("fw-add " + rule.name);
  return Status::Ok();
}

Status MemoryHost::RemoveFirewallRule(const FirewallRule& rule) {
  if (!firewall) return Status::NotSupported(kNoFirewall);
  const std::string identity = FirewallRuleIdentity(rule);
  for (auto it = firewall->rules.begin(); it != firewall->rules.end(); ++it) {
    if (FirewallRuleIdentity(*it) == identity) {
      firewall->rules.erase(it);
      calls.push_back("fw-remove " + rule.name);
      return Status::Ok();
    }
  }
  return Status::NotFound("firewall rule '" + rule.name + "' is not there");
}

Status MemoryHost::SetFirewallRuleEnabled(const FirewallRule& rule, bool enabled) {
  if (!firewall) return Status::NotSupported(kNoFirewall);
  const std::string identity = FirewallRuleIdentity(rule);
  bool found = false;
  for (FirewallRule& r : firewall->rules) {
    if (FirewallRuleIdentity(r) != identity) continue;
    found = true;
    if (r.active == enabled) continue;  // an identical twin already as wanted
    {
      r.active = enabled;
      calls.push_back("fw-enable " + rule.name + (enabled ? " 1" : " 0"));
      return Status::Ok();
    }
  }
  if (found) return Status::Ok();
  return Status::NotFound("firewall rule '" + rule.name + "' is not there");
}

}  // namespace otharden
