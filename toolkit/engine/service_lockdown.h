// Service lockdown: plan a profile's service changes against a host, apply
// them journal-first, roll them back from the journal.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "toolkit/engine/journal.h"
#include "toolkit/model/service.h"
#include "toolkit/platform/host.h"
#include "toolkit/spec/profile.h"

namespace otharden {

// One service change: the state seen when planning and the state wanted.
struct ServiceChange {
  std::string name;
  ServiceDirective directive = ServiceDirective::kDisable;
  std::string reason;
  ServiceConfig before;
  ServiceStartType start_after = ServiceStartType::kDisabled;
  bool stop = false;   // stop it (it runs and is being disabled)
  bool start = false;  // start it (must-run and not running)

  bool running_after() const { return (before.running && !stop) || start; }
  // "service RemoteRegistry: start auto -> disabled, running -> stopped"
  std::string Describe() const;
};

struct ServicePlan {
  std::vector<ServiceChange> changes;    // in the order apply makes them
  std::vector<std::string> absent;       // named by the profile, not installed here
  std::vector<std::string> already_set;  // already as the profile wants
};

// Reads every service the profile names and plans the changes. Stops are
// ordered dependents first. Fails with kInvalidInput, changing nothing, when the
// plan would stop a service that a running service depends on and that
// dependent is must-run or not named by the profile (the message says which).
Result<ServicePlan> PlanServiceLockdown(Host& host, const Profile& profile);

// The lockout guard's service half: in a Remote Desktop session, a plan that
// stops or disables the Remote Desktop service (TermService on NT 6.0) would
// end the session. kInvalidInput saying so; Ok otherwise.
Status CheckServiceLockout(const ServicePlan& plan, bool remote_session);

// How long to wait for a service to stop or start.
constexpr std::chrono::milliseconds kServiceWaitTimeout{30000};

// Progress lines for the console ("service X: ... done").
using ProgressFn = std::function<void(const std::string&)>;

// Makes the planned changes in order: journal record first, then the change,
// then a read-back that verifies it. The caller records the journal's end once
// every part of the profile is applied. On the first failure, undoes every change
// made so far (journal order, reversed) and returns the failure's Status with
// what was undone in its message.
Status ApplyServicePlan(Host& host, const ServicePlan& plan, JournalWriter& journal,
                        const ProgressFn& progress);

// The outcome of a rollback.
struct RollbackResult {
  int restored = 0;        // services changed back
  int already_as_before = 0;
  std::vector<std::string> failures;  // what could not be restored, and why
};

// Restores every service the journal recorded, newest first, to its recorded
// start type and running state. Changes only what differs, so running it twice
// changes nothing the second time.
RollbackResult RollbackServices(Host& host, const Journal& journal, const ProgressFn& progress);

}  // namespace otharden
