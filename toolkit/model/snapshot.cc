#include "toolkit/model/snapshot.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>
#include <map>

namespace otharden {
namespace {

const char kAbsent[] = "absent";

// The order areas are reported in: the order a technician reads a host.
const char* const kAreaOrder[] = {"os", "update", "service", "firewall", "firewall-profile", "firewall-rule"};

size_t AreaRank(const std::string& area) {
  for (size_t i = 0; i < std::size(kAreaOrder); ++i) {
    if (area == kAreaOrder[i]) return i;
  }
  return std::size(kAreaOrder);
}

std::string Lower(const std::string& text) {
  std::string out = text;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void AddIfDifferent(std::vector<SnapshotDifference>* out, const char* area, const std::string& item,
                    const std::string& before, const std::string& after) {
  if (before != after) out->push_back(SnapshotDifference{area, item, before, after});
}

std::string Optional(const std::optional<std::string>& value) { return value ? *value : "not recorded"; }

std::string KernelText(const OsIdentity& os) {
  return os.kernel_file_version ? os.kernel_file_version->ToString() : "unreadable";
}

void DiffOs(const OsIdentity& a, const OsIdentity& b, std::vector<SnapshotDifference>* out) {
  AddIfDifferent(out, "os", "host name", a.host_name, b.host_name);
  AddIfDifferent(out, "os", "version", RtlVersionString(a.rtl) + (a.rtl.csd.empty() ? "" : " " + a.rtl.csd),
                 RtlVersionString(b.rtl) + (b.rtl.csd.empty() ? "" : " " + b.rtl.csd));
  AddIfDifferent(out, "os", "build number (registry)", Optional(a.registry.current_build_number),
                 Optional(b.registry.current_build_number));
  AddIfDifferent(out, "os", "ntoskrnl.exe", KernelText(a), KernelText(b));
  AddIfDifferent(out, "os", "product", Optional(a.registry.product_name), Optional(b.registry.product_name));
}

std::string PackageText(const CbsPackage& p) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%X", static_cast<unsigned>(p.current_state));
  return CbsStateName(p.current_state) + " (" + code + ")";
}

// Pairs the items of `a` and `b` by name, ignoring case (CBS package names are
// keys of a registry key, service names are SCM keys: both case-insensitive),
// and reports each pair whose Text differs, "absent" for a missing side.
template <typename T, typename Text>
void DiffByName(const char* area, const std::vector<T>& a, const std::vector<T>& b, Text text,
                std::vector<SnapshotDifference>* out) {
  std::map<std::string, std::pair<const T*, const T*>> by_name;
  for (const T& item : a) by_name[Lower(item.name)].first = &item;
  for (const T& item : b) by_name[Lower(item.name)].second = &item;
  for (const auto& entry : by_name) {
    const T* before = entry.second.first;
    const T* after = entry.second.second;
    AddIfDifferent(out, area, (before ? before : after)->name, before ? text(*before) : kAbsent,
                   after ? text(*after) : kAbsent);
  }
}

std::string ServiceText(const ServiceConfig& s) {
  return StartDescription(s.start, s.delayed_auto_start) + (s.running ? ", running" : ", stopped");
}

const char* ActionWord(FirewallAction action) {
  return action == FirewallAction::kAllow ? "allow" : action == FirewallAction::kBlock ? "block" : "bypass";
}

std::string ProfileText(const FirewallProfileState& p) {
  return std::string("firewall ") + (p.enabled ? "on" : "off") + ", inbound " + ActionWord(p.default_inbound) +
         ", outbound " + ActionWord(p.default_outbound);
}

std::string CurrentProfilesText(uint32_t bits) {
  std::string text;
  for (FirewallProfile p : kAllFirewallProfiles) {
    if (bits & static_cast<uint32_t>(p)) text += (text.empty() ? "" : ", ") + std::string(FirewallProfileName(p));
  }
  return text.empty() ? "none" : text;
}

// "enabled, allow in TCP 104 from 10.20.0.0/16": the rule without its name
// (the name is the difference's item).
std::string RuleText(const FirewallRule& rule) {
  FirewallRule shown = rule;
  shown.active = true;
  shown.name.clear();
  return std::string(rule.active ? "enabled, " : "disabled, ") + shown.Describe();
}

std::string RuleItem(const FirewallRule& rule) { return rule.name.empty() ? "(no name)" : rule.name; }

void DiffFirewall(const FirewallSnapshot& a, const FirewallSnapshot& b, std::vector<SnapshotDifference>* out) {
  for (FirewallProfile profile : kAllFirewallProfiles) {
    auto find = [profile](const FirewallSnapshot& f) -> const FirewallProfileState* {
      for (const FirewallProfileState& p : f.profiles) {
        if (p.profile == profile) return &p;
      }
      return nullptr;
    };
    const FirewallProfileState* before = find(a);
    const FirewallProfileState* after = find(b);
    AddIfDifferent(out, "firewall-profile", FirewallProfileName(profile), before ? ProfileText(*before) : kAbsent,
                   after ? ProfileText(*after) : kAbsent);
  }
  AddIfDifferent(out, "firewall-profile", "current profiles", CurrentProfilesText(a.current_profiles),
                 CurrentProfilesText(b.current_profiles));

  // Rules by identity (the rule without its enabled state). A host may hold
  // identical twins: they are paired in order, the surplus is added/removed.
  std::map<std::string, std::pair<std::vector<const FirewallRule*>, std::vector<const FirewallRule*>>> by_identity;
  for (const FirewallRule& r : a.rules) by_identity[FirewallRuleIdentity(r)].first.push_back(&r);
  for (const FirewallRule& r : b.rules) by_identity[FirewallRuleIdentity(r)].second.push_back(&r);
  for (const auto& entry : by_identity) {
    const auto& before = entry.second.first;
    const auto& after = entry.second.second;
    const size_t common = std::min(before.size(), after.size());
    for (size_t i = 0; i < common; ++i) {
      if (before[i]->active != after[i]->active) {
        out->push_back(SnapshotDifference{"firewall-rule", RuleItem(*before[i]), RuleText(*before[i]),
                                          RuleText(*after[i])});
      }
    }
    for (size_t i = common; i < before.size(); ++i) {
      out->push_back(SnapshotDifference{"firewall-rule", RuleItem(*before[i]), RuleText(*before[i]), kAbsent});
    }
    for (size_t i = common; i < after.size(); ++i) {
      out->push_back(SnapshotDifference{"firewall-rule", RuleItem(*after[i]), kAbsent, RuleText(*after[i])});
    }
  }
}

std::string FirewallSummary(const HostSnapshot& s) {
  if (!s.firewall) return "unreadable (" + s.firewall_error + ")";
  return "readable, " + std::to_string(s.firewall->rules.size()) + " rules";
}

}  // namespace

std::vector<SnapshotDifference> DiffSnapshots(const HostSnapshot& a, const HostSnapshot& b) {
  std::vector<SnapshotDifference> out;
  DiffOs(a.os, b.os, &out);
  DiffByName("update", a.packages, b.packages, PackageText, &out);
  DiffByName("service", a.services, b.services, ServiceText, &out);
  if (a.firewall && b.firewall) {
    DiffFirewall(*a.firewall, *b.firewall, &out);
  } else if (a.firewall.has_value() != b.firewall.has_value()) {
    // One side could not read the firewall: comparing rules would report every
    // rule as added or removed, which is not what happened.
    out.push_back(SnapshotDifference{"firewall", "firewall", FirewallSummary(a), FirewallSummary(b)});
  }
  std::stable_sort(out.begin(), out.end(), [](const SnapshotDifference& x, const SnapshotDifference& y) {
    const size_t rx = AreaRank(x.area), ry = AreaRank(y.area);
    if (rx != ry) return rx < ry;
    if (x.area == "os") return false;  // os fields keep their reading order
    const std::string lx = Lower(x.item), ly = Lower(y.item);
    if (lx != ly) return lx < ly;
    if (x.before != y.before) return x.before < y.before;
    return x.after < y.after;
  });
  return out;
}

}  // namespace otharden
