// Lockdown profiles (profiles/*.xml) as a validated model: for one class of
// appliance, what to do with each service (and, later, the firewall).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/firewall.h"
#include "toolkit/model/service.h"
#include "toolkit/model/status.h"

namespace otharden {

// What a profile wants for one service.
enum class ServiceDirective {
  kDisable,  // start type disabled, and stopped
  kManual,   // start type manual (demand); left running if it runs
  kMustRun,  // the appliance's own: automatic and running
};
const char* ServiceDirectiveName(ServiceDirective directive);  // "disable", "manual", "must-run"

struct ServiceEntry {
  std::string name;
  ServiceDirective directive = ServiceDirective::kDisable;
  std::string reason;  // why, for the plan and the report
  std::string source;  // the public guidance it follows, if any
  int line = 0;        // where in the profile, for messages
};

// One rule the profile allows, as the firewall will hold it.
struct FirewallAllowEntry {
  FirewallRule rule;        // Name, grouping "otharden:<profile>", description = reason
  bool management = false;  // carries management traffic: the lockout guard protects it
  std::string reason;
  std::string source;
  int line = 0;
};

// What the profile does with inbound allow rules it did not write.
enum class OtherInboundRules { kKeep, kDisable };

struct FirewallSection {
  bool present = false;
  std::vector<FirewallProfileState> profiles;  // only the profiles the file names
  std::vector<FirewallAllowEntry> rules;
  OtherInboundRules other_inbound = OtherInboundRules::kKeep;
};

// The grouping (EmbedCtxt) of every rule otharden adds for `profile_name`: how
// its rules are told apart from everyone else's.
std::string OthardenRuleGrouping(const std::string& profile_name);

// Services no profile may disable or set to manual (policies/protected-services.xml).
struct ProtectedServices {
  struct Entry {
    std::string name;
    std::string reason;
  };
  std::vector<Entry> entries;
  // The entry for `name` (case-insensitive), or nullptr.
  const Entry* Find(const std::string& name) const;
};

// A value the site supplies (issue 8): declared by the profile, given by
// --param NAME=VALUE or a site file (--site FILE), or its default.
struct ProfileParameter {
  enum class Type { kAddressList, kPort, kBoolean };
  std::string name;
  Type type = Type::kAddressList;
  bool required = true;
  std::optional<std::string> default_value;
  std::string description;
  int line = 0;
};

// A parameter's value as used, for the plan and the report.
struct ParameterValue {
  std::string name;
  std::string value;
  std::string source;  // "--param", the site file's path, or "default"
};

struct Profile {
  std::string path;
  std::string name;     // "baseline-2008"
  std::string policy;   // the policy the host must pass first, e.g. "esu-6003"
  std::string title;
  std::string description;
  std::vector<ServiceEntry> services;
  FirewallSection firewall;
  std::vector<ProfileParameter> parameters;      // as declared
  std::vector<ParameterValue> parameter_values;  // as resolved for this run
};

Result<ProtectedServices> LoadProtectedServicesFile(const std::string& path);
Result<ProtectedServices> ParseProtectedServices(const std::string& path, const std::string& text);

// Reads and validates a profile: unknown elements and attributes, duplicate or
// contradictory entries, malformed service names, missing reasons, and any
// protected service in <disable> or <manual> are errors "FILE:LINE: problem".
Result<Profile> ParseProfile(const std::string& path, const std::string& text,
                             const ProtectedServices& protected_services);
Result<Profile> LoadProfileFile(const std::string& path, const ProtectedServices& protected_services);

}  // namespace otharden
