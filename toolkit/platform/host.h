// The host contract: everything the engine may ask of the machine it inspects or
// changes. This header is the specification; backends implement it:
//   win32/win32_host.cc  the live Windows host (the production path)
//   memory_host.*        an in-memory host for unit tests (a test double, not a host)
//   local_host_posix.cc  the native Linux build: every call says "not Windows"
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/firewall.h"
#include "toolkit/model/os_identity.h"
#include "toolkit/model/service.h"
#include "toolkit/model/status.h"
#include "toolkit/model/update.h"

namespace otharden {

class Host {
 public:
  virtual ~Host() = default;

  // Identifies the OS: RtlGetVersion, the CurrentVersion registry key, the
  // ntoskrnl.exe file version, architecture, host and domain names.
  // On success every field it could read is filled; a field it could not read is
  // left empty and (for the kernel file) explained in kernel_error.
  // On failure: kNotSupported when this is not a Windows host, kAccessDenied when
  // the host refused a read that needs elevation.
  virtual Result<OsIdentity> ReadOsIdentity() = 0;

  // Lists the Component Based Servicing packages with their CurrentState, in
  // the 64-bit registry view. An absent Packages key yields an empty list.
  virtual Result<std::vector<CbsPackage>> ListCbsPackages() = 0;

  // --- Services (through the Service Control Manager) ---

  // The service's configuration and state; nullopt when no such service is
  // installed. delayed_auto_start is nullopt where the SCM cannot report it.
  virtual Result<std::optional<ServiceConfig>> ReadService(const std::string& name) = 0;

  // Every installed Win32 service (own- and shared-process, any state), as
  // ReadService reports each. A service removed between enumeration and query
  // is left out, not an error. Order: as the SCM enumerates them.
  virtual Result<std::vector<ServiceConfig>> ListServices() = 0;

  // Names of the services that depend on `name` and are running now.
  virtual Result<std::vector<std::string>> RunningDependents(const std::string& name) = 0;

  // Sets the start type, and the delayed auto-start flag when `delayed` has a
  // value. kNotSupported when the SCM cannot set the delayed flag
  // (ERROR_INVALID_LEVEL); the start type is then still changed.
  virtual Status SetServiceStart(const std::string& name, ServiceStartType start,
                                 std::optional<bool> delayed) = 0;

  // (Not StartService/StopService: <windows.h> defines StartService as a macro.)
  // Stops / starts the service and waits until it is stopped / running, at most
  // `timeout`. A service that refuses (does not accept stop, fails to start)
  // or does not get there in time is an error naming the service.
  virtual Status StopServiceAndWait(const std::string& name, std::chrono::milliseconds timeout) = 0;
  virtual Status StartServiceAndWait(const std::string& name, std::chrono::milliseconds timeout) = 0;

  // --- Firewall (Windows Firewall with Advanced Security: INetFwPolicy2 only) ---

  // Every profile's settings and every rule. kNotSupported when the firewall
  // API is missing or answers "not implemented", so nothing is changed on a
  // host whose firewall otharden cannot read.
  virtual Result<FirewallSnapshot> ReadFirewall() = 0;
  virtual Status SetFirewallProfile(const FirewallProfileState& state) = 0;
  // Adds `rule` (its Name, Grouping and every field).
  virtual Status AddFirewallRule(const FirewallRule& rule) = 0;
  // Removes / enables / disables the one rule whose FirewallRuleIdentity equals
  // `rule`'s; kNotFound when there is none.
  virtual Status RemoveFirewallRule(const FirewallRule& rule) = 0;
  virtual Status SetFirewallRuleEnabled(const FirewallRule& rule, bool enabled) = 0;

  // --- The session otharden runs in (for the lockout guard) ---

  struct SessionInfo {
    bool remote = false;         // a Remote Desktop session
    std::string client_address;  // the remote client's IPv4 address, when known
  };
  virtual Result<SessionInfo> ReadSession() = 0;
};

// Opens the machine this process runs on. On the native (non-Windows) build this
// returns a host whose every call fails with kNotSupported.
std::unique_ptr<Host> OpenLocalHost();

}  // namespace otharden
