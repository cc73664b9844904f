// Lockdown profiles (profiles/*.xml) as a validated model: for one class of
// appliance, what to do with each service (and, later, the firewall).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/firewall.h"
#include "toolkit/model/service.h"
#include "toolkit/model/status.h"
#include "toolkit/spec/parameters.h"

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

struct Profile {
  std::string path;
  std::string name;     // "baseline-2008"
  std::string policy;   // the policy the host must pass first, e.g. "esu-6003"
  std::string title;
  std::string description;
  std::vector<ServiceEntry> services;
  FirewallSection firewall;
  std::vector<ProfileParameter> parameters;      // as declared (<parameters>)
  std::vector<ParameterValue> parameter_values;  // as resolved for this run, in declaration order
  // Entries left out because their if="..."/unless="..." condition is false
  // this run: "disable Spooler (unless film-printer)", for the plan.
  std::vector<std::string> excluded;
};

Result<ProtectedServices> LoadProtectedServicesFile(const std::string& path);
Result<ProtectedServices> ParseProtectedServices(const std::string& path, const std::string& text);

// Reads and validates a profile: unknown elements and attributes, duplicate or
// contradictory entries, malformed service names, missing reasons, and any
// protected service in <disable> or <manual> are errors "FILE:LINE: problem".
//
// Parameters (parameters.h) are resolved from `given` (--param and site file
// values, already merged) while reading: a required parameter without a value,
// a malformed value, or a given name the profile does not declare is an error
// naming it. Where a profile uses them:
//   remote-addresses="{pacs-addresses},10.1.1.5"   an address-list parameter as a list item
//   local-ports="{dicom-port},11112"              a port parameter as a list item
//   if="film-printer" / unless="film-printer"     on <allow> and service entries: a
//                                                  boolean parameter includes or drops the entry
// Nothing else is substituted, and "{" anywhere else in an entry is an error.
Result<Profile> ParseProfile(const std::string& path, const std::string& text,
                             const ProtectedServices& protected_services,
                             const std::vector<ParameterArgument>& given = {});
// The name="..." of a profile's root element, without validating the rest
// (to match a site file to its profile before the values are resolved).
Result<std::string> ProfileNameOf(const std::string& path, const std::string& text);

Result<Profile> LoadProfileFile(const std::string& path, const ProtectedServices& protected_services,
                                const std::vector<ParameterArgument>& given = {});

}  // namespace otharden
