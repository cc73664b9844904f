// The firewall as plain data: per-profile settings and the rules, as
// Windows Firewall with Advanced Security (INetFwPolicy2) reports them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/firewall_rule.h"

namespace otharden {

// "domain", "private", "public".
const char* FirewallProfileName(FirewallProfile profile);
std::optional<FirewallProfile> ParseFirewallProfileName(const std::string& text);
constexpr FirewallProfile kAllFirewallProfiles[] = {FirewallProfile::kDomain, FirewallProfile::kPrivate,
                                                    FirewallProfile::kPublic};

// One firewall profile's settings.
struct FirewallProfileState {
  FirewallProfile profile = FirewallProfile::kDomain;
  bool enabled = true;
  FirewallAction default_inbound = FirewallAction::kBlock;
  FirewallAction default_outbound = FirewallAction::kAllow;

  // "domain: firewall on, inbound block, outbound allow"
  std::string Describe() const;
  friend bool operator==(const FirewallProfileState& a, const FirewallProfileState& b) {
    return a.profile == b.profile && a.enabled == b.enabled && a.default_inbound == b.default_inbound &&
           a.default_outbound == b.default_outbound;
  }
  friend bool operator!=(const FirewallProfileState& a, const FirewallProfileState& b) { return !(a == b); }
};

// The whole firewall of a host.
struct FirewallSnapshot {
  std::vector<FirewallProfileState> profiles;  // domain, private, public
  std::vector<FirewallRule> rules;             // in the order the API enumerates them
  uint32_t current_profiles = 0;               // FirewallProfile bits active now
};

// A rule's identity for journals and rollback: its rule string with Active
// left out, so the same rule enabled or disabled compares equal.
std::string FirewallRuleIdentity(const FirewallRule& rule);

}  // namespace otharden
