#include "toolkit/engine/firewall_lockdown.h"

#include <cstdio>

namespace otharden {
namespace {

bool IsOurs(const FirewallRule& rule, const Profile& profile) {
  return rule.grouping == OthardenRuleGrouping(profile.name);
}

const FirewallProfileState* FindProfile(const FirewallSnapshot& s, FirewallProfile p) {
  for (const FirewallProfileState& state : s.profiles) {
    if (state.profile == p) return &state;
  }
  return nullptr;
}

std::optional<uint32_t> ParseIpv4(const std::string& text) {
  unsigned a, b, c, d;
  char tail;
  if (std::sscanf(text.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 || c > 255 ||
      d > 255) {
    return std::nullopt;
  }
  return (a << 24) | (b << 16) | (c << 8) | d;
}

uint32_t V4(const std::array<uint8_t, 16>& bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) | bytes[3];
}

// Whether `rule` matches inbound TCP `port` from `address` in `profile`.
// Keywords such as LocalSubnet cannot be judged offline: they do not match,
// which errs towards refusing a plan, never towards a lockout.
bool Matches(const FirewallRule& rule, FirewallProfile profile, uint16_t port, const std::optional<uint32_t>& address) {
  if (!rule.active || rule.direction != FirewallDirection::kIn || !rule.AppliesToProfile(profile)) return false;
  if (rule.protocol && *rule.protocol != 6) return false;
  if (!rule.local_ports.empty()) {
    bool hit = false;
    for (const FirewallPort& p : rule.local_ports) {
      hit = hit || (p.kind == FirewallPort::Kind::kRange && p.first <= port && port <= p.last);
    }
    if (!hit) return false;
  }
  if (!rule.remote_v4.empty() || !rule.remote_v6.empty()) {
    if (!address) return false;  // address unknown: only rules open to every address count
    bool hit = false;
    for (const FirewallAddress& a : rule.remote_v4) {
      const uint32_t first = V4(a.first), last = V4(a.last);
      switch (a.kind) {
        case FirewallAddress::Kind::kSingle: hit = hit || *address == first; break;
        case FirewallAddress::Kind::kRange: hit = hit || (first <= *address && *address <= last); break;
        case FirewallAddress::Kind::kSubnet: {
          const uint32_t mask = a.prefix_length >= 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> a.prefix_length);
          hit = hit || (*address & mask) == (first & mask);
          break;
        }
        case FirewallAddress::Kind::kKeyword: break;
      }
    }
    return hit;
  }
  return true;
}

}  // namespace

std::string FirewallChange::Describe() const {
  switch (kind) {
    case Kind::kAddRule: return "firewall: add rule " + rule.Describe();
    case Kind::kRemoveRule: return "firewall: remove outdated rule " + rule.Describe();
    case Kind::kDisableRule: return "firewall: disable rule " + rule.Describe();
    case Kind::kProfile: return "firewall profile " + before.Describe() + " -> " + after.Describe().substr(after.Describe().find(':') + 2);
  }
  return "?";
}

FirewallPlan PlanFirewallLockdown(const FirewallSnapshot& now, const Profile& profile) {
  FirewallPlan plan;
  const FirewallSection& section = profile.firewall;
  if (!section.present) return plan;
  std::vector<std::string> wanted;
  for (const FirewallAllowEntry& entry : section.rules) wanted.push_back(FirewallRuleIdentity(entry.rule));

  // Our own rules from an earlier apply that this profile no longer wants go.
  for (const FirewallRule& rule : now.rules) {
    if (!IsOurs(rule, profile)) continue;
    const std::string identity = FirewallRuleIdentity(rule);
    if (std::find(wanted.begin(), wanted.end(), identity) == wanted.end()) {
      plan.changes.push_back({FirewallChange::Kind::kRemoveRule, rule, {}, {}, "no longer in the profile"});
    }
  }
  for (const FirewallAllowEntry& entry : section.rules) {
    const std::string identity = FirewallRuleIdentity(entry.rule);
    bool present = false;
    for (const FirewallRule& rule : now.rules) present = present || (rule.active && FirewallRuleIdentity(rule) == identity);
    if (present) {
      plan.already_set.push_back("rule " + entry.rule.name);
    } else {
      plan.changes.push_back({FirewallChange::Kind::kAddRule, entry.rule, {}, {}, entry.reason});
    }
  }
  if (section.other_inbound == OtherInboundRules::kDisable) {
    for (const FirewallRule& rule : now.rules) {
      if (IsOurs(rule, profile) || !rule.active || rule.direction != FirewallDirection::kIn ||
          rule.action != FirewallAction::kAllow) {
        continue;
      }
      plan.changes.push_back({FirewallChange::Kind::kDisableRule, rule, {}, {},
                              "other inbound allow rules are disabled by this profile (never deleted)"});
    }
  }
  for (const FirewallProfileState& want : section.profiles) {
    const FirewallProfileState* have = FindProfile(now, want.profile);
    if (have && *have == want) {
      plan.already_set.push_back(std::string("profile ") + FirewallProfileName(want.profile));
    } else {
      plan.changes.push_back({FirewallChange::Kind::kProfile, {}, have ? *have : want, want, "profile settings"});
    }
  }
  return plan;
}

FirewallSnapshot FirewallAfter(const FirewallSnapshot& now, const FirewallPlan& plan) {
  FirewallSnapshot after = now;
  for (const FirewallChange& c : plan.changes) {
    const std::string identity = FirewallRuleIdentity(c.rule);
    switch (c.kind) {
      case FirewallChange::Kind::kAddRule: after.rules.push_back(c.rule); break;
      case FirewallChange::Kind::kRemoveRule:
      case FirewallChange::Kind::kDisableRule:
        for (FirewallRule& r : after.rules) {
          if (FirewallRuleIdentity(r) == identity) r.active = false;
        }
        break;
      case FirewallChange::Kind::kProfile:
        for (FirewallProfileState& p : after.profiles) {
          if (p.profile == c.after.profile) p = c.after;
        }
        break;
    }
  }
  return after;
}

bool InboundTcpAllowed(const FirewallSnapshot& firewall, uint16_t port, const std::optional<std::string>& address) {
  const std::optional<uint32_t> from = address ? ParseIpv4(*address) : std::nullopt;
  for (FirewallProfile profile : kAllFirewallProfiles) {
    if (firewall.current_profiles && !(firewall.current_profiles & static_cast<uint32_t>(profile))) continue;
    const FirewallProfileState* state = FindProfile(firewall, profile);
    if (!state || !state->enabled) continue;
    bool blocked = state->default_inbound == FirewallAction::kBlock;
    for (const FirewallRule& rule : firewall.rules) {
      if (rule.action == FirewallAction::kAllow && Matches(rule, profile, port, from)) blocked = false;
    }
    for (const FirewallRule& rule : firewall.rules) {
      if (rule.action == FirewallAction::kBlock && Matches(rule, profile, port, from)) blocked = true;
    }
    if (blocked) return false;
  }
  return true;
}

Status CheckLockout(const FirewallSnapshot& now, const FirewallPlan& plan, const Profile& profile,
                    const Host::SessionInfo& session) {
  const FirewallSnapshot after = FirewallAfter(now, plan);
  std::vector<std::string> cut;
  // An unknown client address is judged as "unknown": only rules open to every
  // address keep it (erring towards refusing the plan).
  const std::optional<std::string> client =
      session.client_address.empty() ? std::nullopt : std::optional<std::string>(session.client_address);
  // Remote Desktop listens on TCP 3389 (the RDP-Tcp default).
  if (session.remote && !InboundTcpAllowed(after, 3389, client)) {
    cut.push_back("your Remote Desktop session (TCP 3389 from " +
                  (session.client_address.empty() ? std::string("an unknown client address") : session.client_address) +
                  ")");
  }
  for (const FirewallAllowEntry& entry : profile.firewall.rules) {
    if (!entry.management) continue;
    // Who must still get through: the remote client when there is one, else
    // the first address the rule itself admits.
    std::optional<std::string> from = client;
    if (!session.remote) {
      from.reset();
      if (!entry.rule.remote_v4.empty()) {
        const auto& b = entry.rule.remote_v4.front().first;
        from = std::to_string(b[0]) + "." + std::to_string(b[1]) + "." + std::to_string(b[2]) + "." + std::to_string(b[3]);
      }
    }
    for (const FirewallPort& port : entry.rule.local_ports) {
      if (port.kind != FirewallPort::Kind::kRange) continue;
      if (!InboundTcpAllowed(after, port.first, from)) {
        cut.push_back("management port TCP " + std::to_string(port.first) + " (rule '" + entry.rule.name + "', line " +
                      std::to_string(entry.line) + ")");
      }
    }
  }
  if (cut.empty()) return Status::Ok();
  std::string message = "lockout guard: after this plan the firewall would block ";
  for (size_t i = 0; i < cut.size(); ++i) message += (i ? "; " : "") + cut[i];
  message += ". Nothing was changed. Add an allow rule for it to the profile, or, if you are at the console and "
             "accept losing that connection, run again with --allow-lockout";
  return Status::InvalidInput(message);
}

Status ApplyFirewallPlan(Host& host, const FirewallPlan& plan, JournalWriter& journal, const ProgressFn& progress) {
  if (plan.changes.empty()) return Status::Ok();
  Status failure;
  for (const FirewallChange& change : plan.changes) {
    JournalFirewallEntry entry;
    switch (change.kind) {
      case FirewallChange::Kind::kAddRule: entry.kind = JournalFirewallEntry::Kind::kAdded; break;
      case FirewallChange::Kind::kRemoveRule: entry.kind = JournalFirewallEntry::Kind::kRemoved; break;
      case FirewallChange::Kind::kDisableRule: entry.kind = JournalFirewallEntry::Kind::kDisabled; break;
      case FirewallChange::Kind::kProfile: entry.kind = JournalFirewallEntry::Kind::kProfile; break;
    }
    entry.profile_before = change.before;
    entry.rule = change.kind == FirewallChange::Kind::kProfile ? "" : FormatFirewallRule(change.rule);
    failure = journal.RecordFirewall(entry);
    if (!failure.ok()) break;
    switch (change.kind) {
      case FirewallChange::Kind::kAddRule: failure = host.AddFirewallRule(change.rule); break;
      case FirewallChange::Kind::kRemoveRule: failure = host.RemoveFirewallRule(change.rule); break;
      case FirewallChange::Kind::kDisableRule: failure = host.SetFirewallRuleEnabled(change.rule, false); break;
      case FirewallChange::Kind::kProfile: failure = host.SetFirewallProfile(change.after); break;
    }
    if (!failure.ok()) break;
    progress(change.Describe() + "  done");
  }
  if (failure.ok()) {
    // Read back once: every planned change must be visible.
    Result<FirewallSnapshot> now = host.ReadFirewall();
    if (!now.ok()) {
      failure = now.status();
    } else {
      for (const FirewallChange& c : plan.changes) {
        const std::string identity = FirewallRuleIdentity(c.rule);
        bool ok = c.kind != FirewallChange::Kind::kAddRule;
        for (const FirewallRule& r : now->rules) {
          if (FirewallRuleIdentity(r) != identity) continue;
          if (c.kind == FirewallChange::Kind::kAddRule) ok = ok || r.active;
          if (c.kind == FirewallChange::Kind::kDisableRule) ok = ok && !r.active;
          if (c.kind == FirewallChange::Kind::kRemoveRule) ok = false;
        }
        if (c.kind == FirewallChange::Kind::kProfile) {
          const FirewallProfileState* p = FindProfile(*now, c.after.profile);
          ok = p && *p == c.after;
        }
        if (!ok) {
          failure = Status::IoError("firewall did not read back as planned: " + c.Describe());
          break;
        }
      }
    }
  }
  if (failure.ok()) return Status::Ok();

  progress("FAILED: " + failure.message());
  progress("rolling back what was changed...");
  Result<Journal> written = ParseJournal(journal.path(), journal.text());
  if (!written.ok()) return Status::IoError(failure.message() + "; run 'otharden rollback --journal " + journal.path() + "'");
  RollbackResult firewall = RollbackFirewall(host, *written, progress);
  RollbackResult services = RollbackServices(host, *written, progress);
  const int restored = firewall.restored + services.restored;
  std::string message = failure.message() + "; rolled back " + std::to_string(restored) + " change" +
                        (restored == 1 ? "" : "s");
  std::vector<std::string> failures = firewall.failures;
  failures.insert(failures.end(), services.failures.begin(), services.failures.end());
  if (!failures.empty()) {
    message += ", but could NOT restore:";
    for (const std::string& f : failures) message += " " + f + ";";
    message += " see the journal " + journal.path();
  }
  (void)journal.RecordEnd(failures.empty() ? "rolled-back" : "rollback-incomplete");
  return Status::IoError(message);
}

RollbackResult RollbackFirewall(Host& host, const Journal& journal, const ProgressFn& progress) {
  RollbackResult result;
  if (journal.firewall.empty()) return result;
  Result<FirewallSnapshot> now = host.ReadFirewall();
  if (!now.ok()) {
    result.failures.push_back("the firewall could not be read: " + now.status().message());
    return result;
  }
  for (auto it = journal.firewall.rbegin(); it != journal.firewall.rend(); ++it) {
    Status s;
    bool changed = false;
    std::string what;
    if (it->kind == JournalFirewallEntry::Kind::kProfile) {
      what = std::string("firewall profile ") + FirewallProfileName(it->profile_before.profile);
      const FirewallProfileState* current = FindProfile(*now, it->profile_before.profile);
      if (!current || *current != it->profile_before) {
        s = host.SetFirewallProfile(it->profile_before);
        changed = true;
      }
    } else {
      Result<FirewallRule> rule = ParseFirewallRule(it->rule);
      if (!rule.ok()) {
        result.failures.push_back("a journalled rule cannot be read: " + rule.status().message());
        continue;
      }
      what = "firewall rule '" + rule->name + "'";
      const std::string identity = FirewallRuleIdentity(*rule);
      const FirewallRule* current = nullptr;
      for (const FirewallRule& r : now->rules) {
        if (FirewallRuleIdentity(r) == identity) current = &r;
      }
      switch (it->kind) {
        case JournalFirewallEntry::Kind::kAdded:
          if (current) s = host.RemoveFirewallRule(*rule), changed = true;
          break;
        case JournalFirewallEntry::Kind::kRemoved:
          if (!current) s = host.AddFirewallRule(*rule), changed = true;
          break;
        case JournalFirewallEntry::Kind::kDisabled:
          if (current && !current->active) s = host.SetFirewallRuleEnabled(*rule, true), changed = true;
          if (!current) s = Status::NotFound(what + " is no longer there to enable");
          break;
        case JournalFirewallEntry::Kind::kEnabled:
          if (current && current->active) s = host.SetFirewallRuleEnabled(*rule, false), changed = true;
          break;
        case JournalFirewallEntry::Kind::kProfile: break;
      }
    }
    if (!s.ok()) {
      result.failures.push_back(s.message());
      progress(what + ": could NOT restore: " + s.message());
    } else if (changed) {
      ++result.restored;
      progress(what + ": restored");
    } else {
      ++result.already_as_before;
      progress(what + ": already as before");
    }
    // Later entries are judged against the firewall as it is now.
    if (changed) {
      if (Result<FirewallSnapshot> again = host.ReadFirewall(); again.ok()) now = again;
    }
  }
  return result;
}

}  // namespace otharden
