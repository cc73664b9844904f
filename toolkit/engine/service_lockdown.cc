#include "toolkit/engine/service_lockdown.h"

#include <algorithm>
#include <set>

namespace otharden {
namespace {

std::string RunningText(bool running) { return running ? "running" : "stopped"; }

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return SameServiceName(n, name); });
}

// The start type a directive asks for.
ServiceStartType WantedStart(ServiceDirective directive) {
  switch (directive) {
    case ServiceDirective::kDisable: return ServiceStartType::kDisabled;
    case ServiceDirective::kManual: return ServiceStartType::kDemand;
    case ServiceDirective::kMustRun: return ServiceStartType::kAuto;
  }
  return ServiceStartType::kDisabled;
}

// Verifies a change by reading the service back.
Status Verify(Host& host, const ServiceChange& change) {
  Result<std::optional<ServiceConfig>> now = host.ReadService(change.name);
  if (!now.ok()) return now.status();
  if (!*now) return Status::IoError("service '" + change.name + "' disappeared while being changed");
  if ((*now)->start != change.start_after) {
    return Status::IoError("service '" + change.name + "': start type reads back as " +
                           StartTypeName((*now)->start) + ", not " + StartTypeName(change.start_after));
  }
  if ((*now)->running != change.running_after()) {
    return Status::IoError("service '" + change.name + "' reads back as " + RunningText((*now)->running) +
                           ", not " + RunningText(change.running_after()));
  }
  return Status::Ok();
}

// Restores one service to its journalled state; says what it did.
Status RestoreService(Host& host, const JournalServiceBefore& before, bool* changed) {
  *changed = false;
  Result<std::optional<ServiceConfig>> now = host.ReadService(before.name);
  if (!now.ok()) return now.status();
  if (!*now) return Status::NotFound("service '" + before.name + "' is no longer installed");
  const ServiceConfig& current = **now;
  const bool delayed_differs = before.delayed_auto_start && current.delayed_auto_start &&
                               *before.delayed_auto_start != *current.delayed_auto_start;
  if (current.start != before.start || delayed_differs) {
    Status s = host.SetServiceStart(before.name, before.start,
                                    delayed_differs ? before.delayed_auto_start : std::nullopt);
    if (!s.ok()) return s;
    *changed = true;
  }
  if (current.running != before.running) {
    // A service a killed apply left STOP_PENDING or START_PENDING is awaited
    // by the host's start/stop (within kServiceWaitTimeout) before it acts.
    Status s = before.running ? host.StartServiceAndWait(before.name, kServiceWaitTimeout)
                              : host.StopServiceAndWait(before.name, kServiceWaitTimeout);
    if (!s.ok()) return s;
    *changed = true;
  }
  return Status::Ok();
}

}  // namespace

std::string ServiceChange::Describe() const {
  std::string text = "service " + name + ": ";
  std::vector<std::string> parts;
  if (before.start != start_after) {
    parts.push_back("start " + StartDescription(before.start, before.delayed_auto_start) + " -> " +
                    StartTypeName(start_after));
  }
  if (before.running != running_after()) {
    parts.push_back(RunningText(before.running) + " -> " + RunningText(running_after()));
  }
  for (size_t i = 0; i < parts.size(); ++i) text += (i ? ", " : "") + parts[i];
  return text;
}

Result<ServicePlan> PlanServiceLockdown(Host& host, const Profile& profile) {
  ServicePlan plan;
  std::vector<ServiceChange> changes;
  for (const ServiceEntry& entry : profile.services) {
    Result<std::optional<ServiceConfig>> config = host.ReadService(entry.name);
    if (!config.ok()) return config.status();
    if (!*config) {
      plan.absent.push_back(entry.name);
      continue;
    }
    ServiceChange change;
    change.name = (*config)->name;
    change.directive = entry.directive;
    change.reason = entry.reason;
    change.before = **config;
    change.start_after = WantedStart(entry.directive);
    change.stop = entry.directive == ServiceDirective::kDisable && change.before.running;
    change.start = entry.directive == ServiceDirective::kMustRun && !change.before.running;
    if (change.before.start == change.start_after && !change.stop && !change.start) {
      plan.already_set.push_back(change.name);
      continue;
    }
    changes.push_back(std::move(change));
  }

  // Every running dependent of a service we stop must itself be stopped by the
  // plan, and first: the SCM refuses to stop a service others depend on
  // (ERROR_DEPENDENT_SERVICES_RUNNING), and stopping it silently would take the
  // appliance's own services down.
  std::vector<std::string> stopping;
  for (const ServiceChange& c : changes) {
    if (c.stop) stopping.push_back(c.name);
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> dependents_of;
  for (const ServiceChange& c : changes) {
    if (!c.stop) continue;
    Result<std::vector<std::string>> dependents = host.RunningDependents(c.name);
    if (!dependents.ok()) return dependents.status();
    for (const std::string& d : *dependents) {
      const ServiceEntry* entry = nullptr;
      for (const ServiceEntry& e : profile.services) {
        if (SameServiceName(e.name, d)) entry = &e;
      }
      if (entry && entry->directive == ServiceDirective::kMustRun) {
        return Status::InvalidInput("profile '" + profile.name + "' cannot be applied here: disabling " +
                                    c.name + " would stop " + d + ", which the profile says must run (" +
                                    profile.path + " line " + std::to_string(entry->line) + ")");
      }
      if (!Contains(stopping, d)) {
        return Status::InvalidInput("profile '" + profile.name + "' cannot be applied here: disabling " +
                                    c.name + " would also stop " + d + ", which runs and depends on it but "
                                    "is not in the profile; add " + d + " to the profile's <disable> "
                                    "entries, or keep " + c.name);
      }
    }
    dependents_of.emplace_back(c.name, *dependents);
  }

  // Order: stops with their dependents first (a simple topological pass), then
  // the remaining changes in profile order, starts last.
  std::vector<ServiceChange> ordered;
  std::set<std::string> placed;
  auto is_placed = [&](const std::string& name) {
    return std::any_of(placed.begin(), placed.end(), [&](const std::string& p) { return SameServiceName(p, name); });
  };
  for (size_t pass = 0; pass <= changes.size(); ++pass) {
    for (const ServiceChange& c : changes) {
      if (!c.stop || is_placed(c.name)) continue;
      bool ready = true;
      for (const auto& [name, dependents] : dependents_of) {
        if (!SameServiceName(name, c.name)) continue;
        for (const std::string& d : dependents) ready = ready && is_placed(d);
      }
      if (ready) {
        ordered.push_back(c);
        placed.insert(c.name);
      }
    }
  }
  for (const ServiceChange& c : changes) {
    if (!c.stop && !c.start) ordered.push_back(c);
  }
  for (const ServiceChange& c : changes) {
    if (c.start) ordered.push_back(c);
  }
  if (ordered.size() != changes.size()) {
    return Status::Internal("services with circular dependencies cannot be ordered for stopping");
  }
  plan.changes = std::move(ordered);
  return plan;
}

Status CheckServiceLockout(const ServicePlan& plan, bool remote_session) {
  if (!remote_session) return Status::Ok();
  for (const ServiceChange& c : plan.changes) {
    // TermService: Terminal Services, which carries Remote Desktop on Server 2008.
    if (SameServiceName(c.name, "TermService") && (c.stop || c.start_after == ServiceStartType::kDisabled)) {
      return Status::InvalidInput("lockout guard: this plan stops or disables TermService, which carries your "
                                  "Remote Desktop session. Nothing was changed. Apply it from the console, or run "
                                  "again with --allow-lockout if you accept losing the session");
    }
  }
  return Status::Ok();
}

Status ApplyServicePlan(Host& host, const ServicePlan& plan, JournalWriter& journal,
                        const ProgressFn& progress) {
  Status failure;
  for (const ServiceChange& change : plan.changes) {
    // The journal record goes to the device before the change is made.
    failure = journal.RecordServiceBefore(change.before);
    if (!failure.ok()) break;
    failure = host.SetServiceStart(change.name, change.start_after, std::nullopt);
    if (failure.ok() && change.stop) failure = host.StopServiceAndWait(change.name, kServiceWaitTimeout);
    if (failure.ok() && change.start) failure = host.StartServiceAndWait(change.name, kServiceWaitTimeout);
    if (failure.ok()) failure = Verify(host, change);
    if (!failure.ok()) break;
    failure = journal.RecordCompleted(change.name);
    if (!failure.ok()) break;
    progress(change.Describe() + "  done");
  }
  if (failure.ok()) return Status::Ok();

  progress("FAILED: " + failure.message());
  progress("rolling back what was changed...");
  Result<Journal> written = ParseJournal(journal.path(), journal.text());
  if (!written.ok()) {
    return Status(Status::IoError(failure.message() + "; and the journal could not be read back to roll back (" +
                                  written.status().message() + "): run 'otharden rollback --journal " +
                                  journal.path() + "'"));
  }
  RollbackResult undo = RollbackServices(host, *written, progress);
  std::string message = failure.message() + "; rolled back " + std::to_string(undo.restored) + " service" +
                        (undo.restored == 1 ? "" : "s");
  if (!undo.failures.empty()) {
    message += ", but could NOT restore:";
    for (const std::string& f : undo.failures) message += " " + f + ";";
    message += " see the journal " + journal.path();
  }
  Status end = journal.RecordEnd(undo.failures.empty() ? "rolled-back" : "rollback-incomplete");
  (void)end;  // the failure being reported matters more than this record
  return Status::IoError(message);
}

RollbackResult RollbackServices(Host& host, const Journal& journal, const ProgressFn& progress) {
  RollbackResult result;
  std::set<std::string> seen;
  for (auto it = journal.services.rbegin(); it != journal.services.rend(); ++it) {
    // A service journalled twice (two applies into one journal cannot happen,
    // but be safe): the earliest record is the true "before".
    if (!seen.insert(it->name).second) continue;
    const JournalServiceBefore* earliest = &*it;
    for (const JournalServiceBefore& b : journal.services) {
      if (SameServiceName(b.name, it->name)) {
        earliest = &b;
        break;
      }
    }
    bool changed = false;
    Status s = RestoreService(host, *earliest, &changed);
    if (!s.ok()) {
      result.failures.push_back(s.message());
      progress("service " + earliest->name + ": could NOT restore: " + s.message());
    } else if (changed) {
      ++result.restored;
      progress("service " + earliest->name + ": restored to start " +
               StartDescription(earliest->start, earliest->delayed_auto_start) + ", " +
               RunningText(earliest->running));
    } else {
      ++result.already_as_before;
      progress("service " + earliest->name + ": already as before");
    }
  }
  return result;
}

}  // namespace otharden
