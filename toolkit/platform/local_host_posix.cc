// The native Linux build has no Windows host to inspect; it exists to verify
// reports, handle keys and build media. Every host call says so.
#include "toolkit/platform/host.h"

namespace otharden {
namespace {

const char kNotWindows[] =
    "this is the native (non-Windows) build of otharden; it cannot inspect or change "
    "a Windows host. Run bin\\x64\\otharden.exe or bin\\x86\\otharden.exe (or run.cmd) "
    "on the Windows Server 2008 host";

class NotWindowsHost : public Host {
 public:
  Result<OsIdentity> ReadOsIdentity() override { return Status::NotSupported(kNotWindows); }
  Result<std::vector<CbsPackage>> ListCbsPackages() override {
    return Status::NotSupported(kNotWindows);
  }
  Result<std::optional<ServiceConfig>> ReadService(const std::string&) override {
    return Status::NotSupported(kNotWindows);
  }
  Result<std::vector<ServiceConfig>> ListServices() override { return Status::NotSupported(kNotWindows); }
  Result<std::vector<std::string>> RunningDependents(const std::string&) override {
    return Status::NotSupported(kNotWindows);
  }
  Status SetServiceStart(const std::string&, ServiceStartType, std::optional<bool>) override {
    return Status::NotSupported(kNotWindows);
  }
  Status StopServiceAndWait(const std::string&, std::chrono::milliseconds) override {
    return Status::NotSupported(kNotWindows);
  }
  Status StartServiceAndWait(const std::string&, std::chrono::milliseconds) override {
    return Status::NotSupported(kNotWindows);
  }
  Result<FirewallSnapshot> ReadFirewall() override { return Status::NotSupported(kNotWindows); }
  Status SetFirewallProfile(const FirewallProfileState&) override { return Status::NotSupported(kNotWindows); }
  Status AddFirewallRule(const FirewallRule&) override { return Status::NotSupported(kNotWindows); }
  Status RemoveFirewallRule(const FirewallRule&) override { return Status::NotSupported(kNotWindows); }
  Status SetFirewallRuleEnabled(const FirewallRule&, bool) override { return Status::NotSupported(kNotWindows); }
  Result<SessionInfo> ReadSession() override { return Status::NotSupported(kNotWindows); }
};

}  // namespace

std::unique_ptr<Host> OpenLocalHost() { return std::make_unique<NotWindowsHost>(); }

}  // namespace otharden
