#include "toolkit/cli/lockdown_common.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/media_gate.h"
#include "toolkit/engine/check.h"
#include "toolkit/platform/file_io.h"
#include "toolkit/platform/process.h"
#include "toolkit/report/report_files.h"
#include "toolkit/sign/digest.h"

namespace otharden {

namespace fs = std::filesystem;

void PrintPlan(const Profile& profile, const LockdownPlan& lockdown) {
  const ServicePlan& plan = lockdown.services;
  std::cout << "Profile  " << profile.name << " (" << profile.path << ")\n"
            << "         " << profile.title << "\n";
  if (!profile.parameter_values.empty()) std::cout << DescribeParameters(profile);
  std::cout << "\n";
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

namespace {

// Runs the profile's required policy against the host: a host otharden cannot
// judge (not Windows, not NT 6.0, IA-64) is refused (exit 4); a host that
// fails the policy is refused by apply unless --force, and flagged by plan.
int CheckRequiredPolicy(Host& host, const Profile& profile, bool refuse_failures, PolicyGate* gate) {
  Result<RequiredPolicy> required = LoadRequiredPolicy(profile);
  if (!required.ok()) return ReportError(required.status());
  const Policy& policy = required->policy;
  Result<std::string> sha256 = Sha256HexOfFile(required->path);
  if (!sha256.ok()) return ReportError(sha256.status());
  gate->name = policy.name;
  gate->title = policy.title;
  gate->file = {required->path, *sha256};
  Result<CheckResult> check = RunCheck(host, policy);
  if (!check.ok()) return ReportError(check.status());
  gate->compliant = check->compliant();
  if (gate->compliant) return -1;
  for (const Finding& f : check->findings) {
    if (f.outcome == Outcome::kFail) {
      gate->failures += (gate->failures.empty() ? "" : "; ") + f.title + ": " + f.evidence;
    }
  }
  const std::string message = "this host does not meet policy " + policy.name + " that profile " + profile.name +
                              " requires (" + gate->failures + "); run 'otharden check' for details";
  if (refuse_failures) {
    std::cerr << "otharden: " << message << ". Nothing was changed; --force applies anyway.\n";
    return kExitNotOk;
  }
  std::cout << "WARNING: " << message << "\n\n";
  return -1;
}

}  // namespace

int LoadAndPlan(const ProfileInputs& inputs, Host& host, Profile* profile, PolicyGate* gate, LockdownPlan* plan,
                bool refuse_policy_failures) {
  Result<Profile> loaded = LoadProfileForRun(inputs);
  if (!loaded.ok()) return ReportError(loaded.status());
  *profile = *loaded;
  if (int code = CheckRequiredPolicy(host, *profile, refuse_policy_failures, gate); code >= 0) return code;
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

Status LockoutProblem(Host& host, const Profile& profile, const LockdownPlan& plan) {
  Result<Host::SessionInfo> session = host.ReadSession();
  if (!session.ok()) return session.status();
  Status guard = CheckServiceLockout(plan.services, session->remote);
  if (guard.ok() && profile.firewall.present) guard = CheckLockout(plan.firewall_before, plan.firewall, profile, *session);
  return guard;
}

int RequireElevation(const char* command) {
  Result<bool> elevated = IsElevated();
  if (!elevated.ok()) return ReportError(elevated.status());
  if (!*elevated) {
    return ReportError(Status::AccessDenied(std::string("'otharden ") + command +
                                            "' changes services and the firewall and needs an elevated administrator"));
  }
  return -1;
}

std::vector<std::string> JournalDirectories() {
  std::vector<std::string> dirs{(fs::u8path(MachineStateDirectory()) / "journals").u8string()};
  if (std::optional<std::string> stick = FindMediaRoot()) dirs.push_back((fs::u8path(*stick) / "journals").u8string());
  return dirs;
}

std::vector<UnfinishedJournal> FindUnfinishedJournals(const std::string& host_name,
                                                      std::vector<std::string>* other_hosts,
                                                      std::vector<std::string>* unreadable) {
  std::vector<UnfinishedJournal> found;
  for (const std::string& dir : JournalDirectories()) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(fs::u8path(dir), ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".journal") files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      Result<Journal> journal = ReadJournalFile(file.u8string());
      if (!journal.ok()) {
        unreadable->push_back(file.u8string() + ": " + journal.status().message());
        continue;
      }
      if (journal->end) continue;
      if (!SameServiceName(journal->header.host, host_name)) {
        other_hosts->push_back(file.u8string() + " (host " + journal->header.host + ")");
        continue;
      }
      found.push_back({file.u8string(), *journal});
    }
  }
  return found;
}

Result<std::string> NewJournalPath(const std::string& host_name, const UtcTime& time, const std::string& what) {
  const std::string dir = JournalDirectories().front();
  if (Status s = EnsureDirectory(dir); !s.ok()) return s;
  return (fs::u8path(dir) / (SafeFileComponent(host_name) + "-" + time.Compact() + "-" + what + ".journal"))
      .u8string();
}

Result<OpenedJournal> OpenJournal(const std::string& path, const JournalHeader& header) {
  Result<std::unique_ptr<DurableAppendFile>> file = CreateDurableAppendFile(path);
  if (!file.ok()) return file.status();
  OpenedJournal opened;
  // The copy on the stick: when the host's disk fails or the appliance is
  // re-imaged, the stick still says what was changed.
  std::unique_ptr<DurableAppendFile> mirror;
  const std::vector<std::string> dirs = JournalDirectories();
  if (dirs.size() > 1 && fs::u8path(path).parent_path() != fs::u8path(dirs[1])) {
    const std::string mirror_path = (fs::u8path(dirs[1]) / fs::u8path(path).filename()).u8string();
    if (EnsureDirectory(dirs[1]).ok()) {
      Result<std::unique_ptr<DurableAppendFile>> m = CreateDurableAppendFile(mirror_path);
      if (m.ok()) {
        mirror = std::move(*m);
        opened.mirror_path = mirror_path;
      }
    }
  }
  auto mirrored = std::make_unique<MirroredAppendFile>(std::move(*file), std::move(mirror));
  opened.mirror = mirrored.get();
  Result<std::unique_ptr<JournalWriter>> writer = JournalWriter::Create(std::move(mirrored), path, header);
  if (!writer.ok()) return writer.status();
  opened.writer = std::move(*writer);
  return opened;
}

}  // namespace otharden
