#include "toolkit/model/firewall.h"

#include <algorithm>

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

namespace {

// One spelling per address: the API hands back "10.20.5.10" as
// "10.20.5.10/255.255.255.255" (Windows does the same), a range a-a is a.
void Canonicalize(std::vector<FirewallAddress>* list) {
  for (FirewallAddress& a : *list) {
    const int host_bits = a.ipv6 ? 128 : 32;
    if ((a.kind == FirewallAddress::Kind::kSubnet && a.prefix_length == host_bits) ||
        (a.kind == FirewallAddress::Kind::kRange && a.first == a.last)) {
      a.kind = FirewallAddress::Kind::kSingle;
      a.last = a.first;
      a.prefix_length = 0;
    }
  }
  std::sort(list->begin(), list->end(), [](const FirewallAddress& x, const FirewallAddress& y) {
    return FormatAddress(x) < FormatAddress(y);
  });
}

}  // namespace

std::string FirewallRuleIdentity(const FirewallRule& rule) {
  FirewallRule copy = rule;
  copy.active = false;
  copy.source.reset();  // written canonically, so the same rule read twice compares equal
  if (copy.profiles == 7u) copy.profiles = 0;  // all three profiles is "all"
  for (auto* list : {&copy.local_v4, &copy.local_v6, &copy.remote_v4, &copy.remote_v6}) Canonicalize(list);
  for (auto* ports : {&copy.local_ports, &copy.remote_ports}) {
    std::sort(ports->begin(), ports->end(), [](const FirewallPort& x, const FirewallPort& y) {
      return FormatPort(x) < FormatPort(y);
    });
  }
  return FormatFirewallRule(copy);
}

}  // namespace otharden
