#include "toolkit/engine/apply_transaction.h"

#include <algorithm>

namespace otharden {
namespace {

std::string ServiceState(ServiceStartType start, bool running) {
  return std::string(StartTypeName(start)) + ", " + (running ? "running" : "stopped");
}

const ServiceConfig* FindService(const HostSnapshot& snapshot, const std::string& name) {
  for (const ServiceConfig& s : snapshot.services) {
    if (SameServiceName(s.name, name)) return &s;
  }
  return nullptr;
}

const FirewallRule* FindRule(const FirewallSnapshot& firewall, const std::string& identity) {
  for (const FirewallRule& r : firewall.rules) {
    if (FirewallRuleIdentity(r) == identity) return &r;
  }
  return nullptr;
}

std::string RuleState(const FirewallRule* rule) {
  if (!rule) return "absent";
  return rule->active ? "present, enabled" : "present, disabled";
}

std::string ProfileState(const FirewallProfileState& state) {
  const std::string text = state.Describe();
  const size_t colon = text.find(": ");
  return colon == std::string::npos ? text : text.substr(colon + 2);
}

}  // namespace

std::vector<PlannedAction> DescribePlan(const LockdownPlan& plan) {
  std::vector<PlannedAction> actions;
  for (const ServiceChange& c : plan.services.changes) {
    PlannedAction a;
    a.area = "service";
    a.item = c.name;
    a.action = ServiceDirectiveName(c.directive);
    a.description = c.Describe();
    a.reason = c.reason;
    a.before = ServiceState(c.before.start, c.before.running);
    a.wanted = ServiceState(c.start_after, c.running_after());
    actions.push_back(a);
  }
  for (const FirewallChange& c : plan.firewall.changes) {
    PlannedAction a;
    a.description = c.Describe();
    a.reason = c.reason;
    switch (c.kind) {
      case FirewallChange::Kind::kProfile:
        a.area = "firewall-profile";
        a.item = FirewallProfileName(c.after.profile);
        a.action = "set-profile";
        a.before = ProfileState(c.before);
        a.wanted = ProfileState(c.after);
        break;
      case FirewallChange::Kind::kAddRule:
        a.area = "firewall-rule";
        a.item = c.rule.name;
        a.action = "add-rule";
        a.rule = FormatFirewallRule(c.rule);
        a.before = "absent";
        a.wanted = c.rule.active ? "present, enabled" : "present, disabled";
        break;
      case FirewallChange::Kind::kRemoveRule:
        a.area = "firewall-rule";
        a.item = c.rule.name;
        a.action = "remove-rule";
        a.rule = FormatFirewallRule(c.rule);
        a.before = RuleState(&c.rule);
        a.wanted = "absent";
        break;
      case FirewallChange::Kind::kDisableRule:
        a.area = "firewall-rule";
        a.item = c.rule.name;
        a.action = "disable-rule";
        a.rule = FormatFirewallRule(c.rule);
        a.before = "present, enabled";
        a.wanted = "present, disabled";
        break;
    }
    actions.push_back(a);
  }
  return actions;
}

void JudgeActions(const HostSnapshot& after, std::vector<PlannedAction>* actions) {
  for (PlannedAction& a : *actions) {
    if (a.area == "service") {
      const ServiceConfig* s = FindService(after, a.item);
      a.after = s ? ServiceState(s->start, s->running) : "absent";
    } else if (!after.firewall) {
      a.after = "not read (" + after.firewall_error + ")";
      a.result = "unknown";
      continue;
    } else if (a.area == "firewall-profile") {
      a.after = "absent";
      for (const FirewallProfileState& p : after.firewall->profiles) {
        if (a.item == FirewallProfileName(p.profile)) a.after = ProfileState(p);
      }
    } else {
      Result<FirewallRule> rule = ParseFirewallRule(a.rule);
      a.after = rule.ok() ? RuleState(FindRule(*after.firewall, FirewallRuleIdentity(*rule))) : "unreadable rule";
    }
    a.result = a.after == a.wanted ? "as-planned" : a.after == a.before ? "as-before" : "other";
  }
}

std::vector<SnapshotDifference> UnplannedDifferences(const std::vector<SnapshotDifference>& differences,
                                                     const std::vector<PlannedAction>& actions) {
  std::vector<SnapshotDifference> unplanned;
  for (const SnapshotDifference& d : differences) {
    const bool planned = std::any_of(actions.begin(), actions.end(), [&](const PlannedAction& a) {
      if (a.area != d.area) return false;
      return a.area == "service" ? SameServiceName(a.item, d.item) : a.item == d.item;
    });
    if (!planned) unplanned.push_back(d);
  }
  return unplanned;
}

ApplyOutcome ApplyLockdown(Host& host, const LockdownPlan& plan, JournalWriter& journal,
                           const ProgressFn& progress) {
  Status applied = ApplyServicePlan(host, plan.services, journal, progress);
  if (applied.ok()) applied = ApplyFirewallPlan(host, plan.firewall, journal, progress);
  if (applied.ok()) {
    if (Status end = journal.RecordEnd("applied"); !end.ok()) {
      // Every change is made and verified; without the end record, recover
      // would undo them. Say so rather than pretend.
      return {"failed", "every change was made, but the journal's end record could not be written (" +
                            end.message() + "); 'otharden recover' would undo the changes"};
    }
    return {"applied", ""};
  }
  // Exit 3 promises that everything was undone: only when the journal says so.
  Result<Journal> written = ParseJournal(journal.path(), journal.text());
  if (written.ok() && written->end == std::optional<std::string>("rolled-back")) {
    return {"rolled-back", applied.message()};
  }
  return {"failed", applied.message()};
}

RollbackResult RollbackAll(Host& host, const Journal& journal, const ProgressFn& progress) {
  RollbackResult result = RollbackFirewall(host, journal, progress);
  RollbackResult services = RollbackServices(host, journal, progress);
  result.restored += services.restored;
  result.already_as_before += services.already_as_before;
  result.failures.insert(result.failures.end(), services.failures.begin(), services.failures.end());
  return result;
}

std::string FinalVerdict(const ApplyOutcome& outcome, const std::vector<PlannedAction>& actions) {
  if (outcome.verdict != "applied") return outcome.verdict;
  if (actions.empty()) return "already-matched";
  const bool all = std::all_of(actions.begin(), actions.end(),
                               [](const PlannedAction& a) { return a.result == "as-planned"; });
  return all ? "applied" : "deviated";
}

}  // namespace otharden
