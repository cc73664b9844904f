#include "toolkit/model/firewall.h"

namespace otharden {

const char* FirewallProfileName(FirewallProfile profile) {
  switch (profile) {
    case FirewallProfile::kDomain: return "domain";
    case FirewallProfile::kPrivate: return "private";
    case FirewallProfile::kPublic: return "public";
  }
  return "?";
}

std::optional<FirewallProfile> ParseFirewallProfileName(const std::string& text) {
  for (FirewallProfile p : kAllFirewallProfiles) {
    if (text == FirewallProfileName(p)) return p;
  }
  return std::nullopt;
}

std::string FirewallProfileState::Describe() const {
  auto action = [](FirewallAction a) { return a == FirewallAction::kAllow ? "allow" : "block"; };
  return std::string(FirewallProfileName(profile)) + ": firewall " + (enabled ? "on" : "off") + ", inbound " +
         action(default_inbound) + ", outbound " + action(default_outbound);
}

std::string FirewallRuleIdentity(const FirewallRule& rule) {
  FirewallRule copy = rule;
  copy.active = false;
  copy.source.reset();  // written canonically, so the same rule read twice compares equal
  return FormatFirewallRule(copy);
}

}  // namespace otharden
