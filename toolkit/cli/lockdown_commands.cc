// plan, apply and rollback of a profile's service lockdown.
#include <algorithm>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "toolkit/cli/command.h"
#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/options.h"
#include "toolkit/cli/profile_loading.h"
#include "toolkit/engine/check.h"
#include "toolkit/engine/firewall_lockdown.h"
#include "toolkit/engine/journal.h"
#include "toolkit/engine/service_lockdown.h"
#include "toolkit/model/utc_time.h"
#include "toolkit/platform/console.h"
#include "toolkit/platform/file_io.h"
#include "toolkit/platform/host.h"
#include "toolkit/platform/process.h"
#include "toolkit/report/report_files.h"
#include "toolkit/spec/profile.h"

namespace otharden {
namespace {

namespace po = boost::program_options;

// Both halves of a profile's plan.
struct LockdownPlan {
  ServicePlan services;
  FirewallPlan firewall;
  FirewallSnapshot firewall_before;
  size_t size() const { return services.changes.size() + firewall.changes.size(); }
};

void PrintPlan(const Profile& profile, const LockdownPlan& lockdown) {
  const ServicePlan& plan = lockdown.services;
  std::cout << "Profile  " << profile.name << " (" << profile.path << ")\n"
            << "         " << profile.title << "\n\n";
  if (lockdown.size() == 0) {
    std::cout << "Nothing to change: the host is already as the profile wants.\n";
  } else {
    std::cout << "Changes, in the order they are made (" << lockdown.size() << "):\n";
    for (const ServiceChange& c : plan.changes) {
      std::cout << "  " << c.Describe() << "\n" << "      why: " << Wrap(c.reason, 11, 11) << "\n";
    }
    for (const FirewallChange& c : lockdown.firewall.changes) {
      std::cout << "  " << Wrap(c.Describe(), 2, 6) << "\n" << "      why: " << Wrap(c.reason, 11, 11) << "\n";
    }
  }
  if (!lockdown.firewall.already_set.empty()) {
    std::cout << "\nFirewall already as the profile wants (" << lockdown.firewall.already_set.size() << "):";
    for (const std::string& s : lockdown.firewall.already_set) std::cout << " [" << s << "]";
    std::cout << "\n";
  }
  if (!plan.already_set.empty()) {
    std::cout << "\nAlready as the profile wants (" << plan.already_set.size() << "):";
    for (const std::string& s : plan.already_set) std::cout << " " << s;
    std::cout << "\n";
  }
  if (!plan.absent.empty()) {
    std::cout << "\nNot installed on this host, nothing to do (" << plan.absent.size() << "):";
    for (const std::string& s : plan.absent) std::cout << " " << s;
    std::cout << "\n";
  }
  const bool delayed_unknown = std::any_of(plan.changes.begin(), plan.changes.end(), [](const ServiceChange& c) {
    return !c.before.delayed_auto_start.has_value();
  });
  if (delayed_unknown) {
    std::cout << "\nNote: this host's Service Control Manager does not support delayed auto-start "
                 "(ERROR_INVALID_LEVEL); that setting is neither read nor restored.\n";
  }
}

// Runs the profile's required policy against the host: a host otharden cannot
// judge (not Windows, not NT 6.0, IA-64) is refused (exit 4); a host that
// fails the policy is refused by apply unless --force, and flagged by plan.
int CheckRequiredPolicy(Host& host, const Profile& profile, bool refuse_failures) {
  Result<RequiredPolicy> required = LoadRequiredPolicy(profile);
  if (!required.ok()) return ReportError(required.status());
  const Policy* policy = &required->policy;
  Result<CheckResult> check = RunCheck(host, *policy);
  if (!check.ok()) return ReportError(check.status());
  if (check->compliant()) return -1;
  std::string failed;
  for (const Finding& f : check->findings) {
    if (f.outcome == Outcome::kFail) failed += (failed.empty() ? "" : "; ") + f.title + ": " + f.evidence;
  }
  const std::string message = "this host does not meet policy " + policy->name + " that profile " + profile.name +
                              " requires (" + failed + "); run 'otharden check' for details";
  if (refuse_failures) {
    std::cerr << "otharden: " << message << ". Nothing was changed; --force applies anyway.\n";
    return kExitNotOk;
  }
  std::cout << "WARNING: " << message << "\n\n";
  return -1;
}

// Loads the profile and plans it against this host; prints errors itself.
// Returns the exit code on failure.
int LoadAndPlan(const std::string& profile_path, Host& host, Profile* profile, LockdownPlan* plan,
                bool refuse_policy_failures) {
  Result<Profile> loaded = LoadProfileForRun({profile_path, {}, {}});
  if (!loaded.ok()) return ReportError(loaded.status());
  *profile = *loaded;
  if (int code = CheckRequiredPolicy(host, *profile, refuse_policy_failures); code >= 0) return code;
  // The firewall is read first: a host whose firewall API is missing or not
  // implemented is refused before any service is planned or touched.
  if (profile->firewall.present) {
    Result<FirewallSnapshot> firewall = host.ReadFirewall();
    if (!firewall.ok()) return ReportError(firewall.status());
    plan->firewall_before = *firewall;
    plan->firewall = PlanFirewallLockdown(*firewall, *profile);
  }
  Result<ServicePlan> planned = PlanServiceLockdown(host, *profile);
  if (!planned.ok()) return ReportError(planned.status());
  plan->services = *planned;
  return -1;
}

// The lockout guard, unless the technician accepted the risk.
Status LockoutProblem(Host& host, const Profile& profile, const LockdownPlan& plan) {
  Result<Host::SessionInfo> session = host.ReadSession();
  if (!session.ok()) return session.status();
  Status guard = CheckServiceLockout(plan.services, session->remote);
  if (guard.ok() && profile.firewall.present) guard = CheckLockout(plan.firewall_before, plan.firewall, profile, *session);
  return guard;
}

int GuardLockout(Host& host, const Profile& profile, const LockdownPlan& plan, bool allow_lockout) {
  Status guard = LockoutProblem(host, profile, plan);
  if (guard.ok()) return -1;
  if (allow_lockout) {
    std::cout << "\nWARNING (--allow-lockout): " << guard.message() << "\n";
    return -1;
  }
  return ReportError(guard);
}

// Commands that change the host refuse early, and say how to fix it.
int RequireElevation(const char* command) {
  Result<bool> elevated = IsElevated();
  if (!elevated.ok()) return ReportError(elevated.status());
  if (!*elevated) {
    return ReportError(Status::AccessDenied(std::string("'otharden ") + command +
                                            "' changes services and the firewall and needs an elevated administrator"));
  }
  return -1;
}

}  // namespace

int RunPlanCommand(const std::vector<std::string>& args) {
  po::options_description options("otharden plan --profile FILE");
  std::string profile_path;
  options.add_options()
      ("profile", po::value(&profile_path)->value_name("FILE"), "lockdown profile to plan")
      ("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;
  std::unique_ptr<Host> host = OpenLocalHost();
  Profile profile;
  LockdownPlan plan;
  if (int code = LoadAndPlan(profile_path, *host, &profile, &plan, false); code >= 0) return code;
  PrintPlan(profile, plan);
  if (Status guard = LockoutProblem(*host, profile, plan); !guard.ok()) {
    std::cout << "\nWARNING: apply will refuse this plan: " << guard.message() << "\n";
  }
  std::cout << "\nThis was a plan: nothing was changed. 'otharden apply --profile " << profile_path
            << "' makes these changes.\n";
  return kExitOk;
}

int RunApplyCommand(const std::vector<std::string>& args) {
  po::options_description options("otharden apply --profile FILE [--journal FILE] [--yes] [--allow-lockout] [--force]");
  std::string profile_path, journal_path;
  options.add_options()
      ("profile", po::value(&profile_path)->value_name("FILE"), "lockdown profile to apply")
      ("journal", po::value(&journal_path)->value_name("FILE"),
       "where to journal the changes (default %ProgramData%\\otharden\\journals\\...)")
      ("yes,y", "do not ask for confirmation")
      ("allow-lockout", "apply even if the firewall would cut the remote session or a management port")
      ("force", "apply even though the host fails the profile's required policy")
      ("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;
  if (int code = RequireElevation("apply"); code >= 0) return code;
  std::unique_ptr<Host> host = OpenLocalHost();
  Profile profile;
  LockdownPlan plan;
  if (int code = LoadAndPlan(profile_path, *host, &profile, &plan, !vm.count("force")); code >= 0) return code;
  PrintPlan(profile, plan);
  if (int code = GuardLockout(*host, profile, plan, vm.count("allow-lockout") > 0); code >= 0) return code;
  if (plan.size() == 0) return kExitOk;

  if (!vm.count("yes")) {
    Result<std::string> answer = ReadConsoleLine("\nMake these " + std::to_string(plan.size()) +
                                                 " changes? Type yes to go on: ");
    if (!answer.ok()) {
      return ReportError(Status::InvalidInput("no console to confirm on (" + answer.status().message() +
                                              "); run with --yes to apply without asking"));
    }
    if (*answer != "yes" && *answer != "y") {
      std::cout << "Nothing was changed.\n";
      return kExitOk;
    }
  }

  Result<OsIdentity> os = host->ReadOsIdentity();
  const std::string host_name = os.ok() ? os->host_name : "unknown";
  const UtcTime now = UtcTime::Now();
  if (journal_path.empty()) {
    const std::string dir = MachineStateDirectory() + "/journals";
    Status s = EnsureDirectory(dir);
    if (!s.ok()) return ReportError(s);
    journal_path = (std::filesystem::u8path(dir) /
                    (SafeFileComponent(host_name) + "-" + now.Compact() + "-apply.journal"))
                       .u8string();
  }
  Result<std::unique_ptr<DurableAppendFile>> file = CreateDurableAppendFile(journal_path);
  if (!file.ok()) return ReportError(file.status());
  Result<std::unique_ptr<JournalWriter>> journal =
      JournalWriter::Create(std::move(*file), journal_path, {profile.name, host_name, now.Iso8601()});
  if (!journal.ok()) return ReportError(journal.status());
  std::cout << "\nJournal: " << journal_path << "\n";

  const ProgressFn progress = [](const std::string& line) { std::cout << "  " << line << "\n"; };
  Status applied = ApplyServicePlan(*host, plan.services, **journal, progress);
  if (applied.ok()) applied = ApplyFirewallPlan(*host, plan.firewall, **journal, progress);
  if (!applied.ok()) {
    std::cerr << "otharden apply: " << applied.message() << "\n";
    // Exit 3 promises that everything was undone: only when the journal says so.
    Result<Journal> written = ParseJournal(journal_path, (*journal)->text());
    if (written.ok() && written->end == std::optional<std::string>("rolled-back")) {
      std::cout << "\nAPPLY FAILED and everything was rolled back (exit 3). Journal: " << journal_path << "\n";
      return kExitRolledBack;
    }
    std::cout << "\nAPPLY FAILED and was NOT fully rolled back. Run: otharden rollback --journal \""
              << journal_path << "\"\n";
    return kExitNotOk;
  }
  if (Status end = (*journal)->RecordEnd("applied"); !end.ok()) {
    // Every change is made and verified; only the journal's last line is missing.
    std::cout << "\nWARNING: could not write the journal's end record (" << end.message() << ")\n";
  }
  std::cout << "\nApplied " << plan.size() << " change" << (plan.size() == 1 ? "" : "s")
            << ". To undo: otharden rollback --journal \"" << journal_path << "\"\n";
  return kExitOk;
}

int RunRollbackCommand(const std::vector<std::string>& args) {
  po::options_description options("otharden rollback --journal FILE");
  std::string journal_path;
  options.add_options()
      ("journal", po::value(&journal_path)->value_name("FILE"), "journal written by apply")
      ("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;
  if (journal_path.empty()) return ReportError(Status::InvalidInput("give the journal: --journal FILE"));
  if (int code = RequireElevation("rollback"); code >= 0) return code;
  Result<Journal> journal = ReadJournalFile(journal_path);
  if (!journal.ok()) return ReportError(journal.status());
  std::unique_ptr<Host> host = OpenLocalHost();
  // Fail before changing anything when this is not a host we can change.
  if (Result<OsIdentity> os = host->ReadOsIdentity(); !os.ok()) return ReportError(os.status());

  std::cout << "Rolling back profile " << journal->header.profile << " applied " << journal->header.utc
            << " on " << journal->header.host << " (" << journal->services.size() << " services journalled)\n";
  if (journal->unreadable_bytes > 0) {
    std::cout << "WARNING: the last " << journal->unreadable_bytes << " bytes of the journal could not be read ("
              << journal->unreadable_reason << "); everything before them is restored.\n";
  }
  const ProgressFn progress = [](const std::string& line) { std::cout << "  " << line << "\n"; };
  // Newest first: the firewall changes were made after the services.
  RollbackResult result = RollbackFirewall(*host, *journal, progress);
  RollbackResult services = RollbackServices(*host, *journal, progress);
  result.restored += services.restored;
  result.already_as_before += services.already_as_before;
  result.failures.insert(result.failures.end(), services.failures.begin(), services.failures.end());
  std::cout << "\nRestored " << result.restored << ", already as before " << result.already_as_before;
  if (journal->damaged) {
    std::cout << "\nThe journal is damaged after the records restored above: changes recorded after that point "
                 "were NOT restored. Compare the host with the report taken before the apply.\n";
    return kExitNotOk;
  }
  if (!result.failures.empty()) {
    std::cout << ", could NOT restore " << result.failures.size() << "\n";
    return kExitNotOk;
  }
  std::cout << "\n";
  return kExitOk;
}

}  // namespace otharden
