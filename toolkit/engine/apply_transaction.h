// `apply` as one transaction: the plan both halves make, the changes made
// journal-first (services, then firewall), and the outcome judged against the
// host as read back afterwards, for the signed report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolkit/engine/firewall_lockdown.h"
#include "toolkit/engine/journal.h"
#include "toolkit/engine/service_lockdown.h"
#include "toolkit/model/snapshot.h"

namespace otharden {

// Both halves of a profile's plan.
struct LockdownPlan {
  ServicePlan services;
  FirewallPlan firewall;
  FirewallSnapshot firewall_before;
  size_t size() const { return services.changes.size() + firewall.changes.size(); }
};

// One planned change as the report records it, and what became of it.
struct PlannedAction {
  std::string area;         // "service", "firewall-profile", "firewall-rule"
  std::string item;         // service name, profile name ("domain"), rule name
  std::string action;       // disable / manual / must-run / add-rule / remove-rule / disable-rule / set-profile
  std::string description;  // as the plan printed it
  std::string reason;
  std::string rule;         // firewall-rule: the rule string (MS-GPFAS)
  std::string before;       // the state planned from
  std::string wanted;       // the state planned
  // Judged from the snapshot taken afterwards:
  std::string result;       // "as-planned", "as-before", "other", "unknown" (not read)
  std::string after;        // the state found
};

// The plan as report rows, in the order apply makes the changes.
std::vector<PlannedAction> DescribePlan(const LockdownPlan& plan);

// Fills result/after of each action from `after`.
void JudgeActions(const HostSnapshot& after, std::vector<PlannedAction>* actions);

// Differences between before and after that no planned action accounts for.
std::vector<SnapshotDifference> UnplannedDifferences(const std::vector<SnapshotDifference>& differences,
                                                     const std::vector<PlannedAction>& actions);

// The outcome of the changes themselves.
struct ApplyOutcome {
  // "applied": every change made and verified; "rolled-back": a change failed
  // and everything was undone; "failed": a change failed and the rollback
  // did not complete (the journal says what is left).
  std::string verdict;
  std::string message;  // the failure, when not applied
};

// Makes `plan`'s changes (services, then firewall) through `journal` and
// records the journal's end. Never throws away the failure: the message says
// what failed and what was undone.
ApplyOutcome ApplyLockdown(Host& host, const LockdownPlan& plan, JournalWriter& journal,
                           const ProgressFn& progress);

// Undoes everything `journal` recorded, newest first: the firewall changes
// (made after the services), then the services. Changes only what differs.
RollbackResult RollbackAll(Host& host, const Journal& journal, const ProgressFn& progress);

// "applied" with every action as planned stays "applied"; an action that is
// not as planned after a successful apply turns the verdict into "deviated".
std::string FinalVerdict(const ApplyOutcome& outcome, const std::vector<PlannedAction>& actions);

}  // namespace otharden
