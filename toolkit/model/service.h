// Windows services as plain data: what the SCM reports and what a plan changes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace otharden {

// The SCM's start types (registry `Start`: 0 boot, 1 system, 2 auto, 3 demand, 4 disabled).
enum class ServiceStartType { kBoot, kSystem, kAuto, kDemand, kDisabled };

// "boot", "system", "auto", "manual", "disabled".
const char* StartTypeName(ServiceStartType type);
std::optional<ServiceStartType> ParseStartType(const std::string& text);

// A service as the host reports it.
struct ServiceConfig {
  std::string name;          // the key name, e.g. "RemoteRegistry"
  std::string display_name;
  ServiceStartType start = ServiceStartType::kDemand;
  // Delayed auto-start (Vista+). nullopt where the SCM cannot tell
  // (ChangeServiceConfig2W / QueryServiceConfig2W: ERROR_INVALID_LEVEL).
  std::optional<bool> delayed_auto_start;
  bool running = false;      // SERVICE_RUNNING (or a pending state towards it)
  bool accepts_stop = true;  // SERVICE_ACCEPT_STOP while running
};

// "auto (delayed)", "manual", ...: the start type as the plan and journal print it.
std::string StartDescription(ServiceStartType type, std::optional<bool> delayed);

// Service names compare case-insensitively on Windows (ASCII folding is what
// the SCM does for the names we handle).
bool SameServiceName(const std::string& a, const std::string& b);

}  // namespace otharden
