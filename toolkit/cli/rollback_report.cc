#include "toolkit/cli/rollback_report.h"

#include <filesystem>
#include <iostream>

#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/lockdown_common.h"
#include "toolkit/cli/media_gate.h"
#include "toolkit/engine/snapshot.h"
#include "toolkit/platform/event_log.h"
#include "toolkit/report/apply_report.h"
#include "toolkit/sign/minisign.h"
#include "toolkit/spec/xml_input.h"

namespace otharden {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxApplyReportBytes = 64 * 1024 * 1024;

const ServiceConfig* FindService(const HostSnapshot& snapshot, const std::string& name) {
  for (const ServiceConfig& s : snapshot.services) {
    if (SameServiceName(s.name, name)) return &s;
  }
  return nullptr;
}

const FirewallProfileState* FindProfile(const std::optional<FirewallSnapshot>& firewall, const std::string& name) {
  if (!firewall) return nullptr;
  for (const FirewallProfileState& p : firewall->profiles) {
    if (name == FirewallProfileName(p.profile)) return &p;
  }
  return nullptr;
}

const FirewallRule* FindRule(const std::optional<FirewallSnapshot>& firewall, const std::string& identity) {
  if (!firewall) return nullptr;
  for (const FirewallRule& r : firewall->rules) {
    if (FirewallRuleIdentity(r) == identity) return &r;
  }
  return nullptr;
}

std::string ServiceText(const ServiceConfig* s) {
  if (!s) return "absent";
  return std::string(StartTypeName(s->start)) + ", " + (s->running ? "running" : "stopped");
}
bool SameServiceState(const ServiceConfig* a, const ServiceConfig* b) {
  if (!a || !b) return a == b;
  return a->start == b->start && a->running == b->running;
}
std::string RuleText(const FirewallRule* r) {
  if (!r) return "absent";
  return r->active ? "present, enabled" : "present, disabled";
}
bool SameRuleState(const FirewallRule* a, const FirewallRule* b) {
  if (!a || !b) return a == b;
  return a->active == b->active;
}

// One planned item of the report, judged against the host now.
struct ItemToRestore {
  std::string what;                // "service RemoteRegistry"
  std::string now, then_after, target;
  enum class State { kAlreadyBefore, kAsReportLeftIt, kChangedSince } state = State::kAsReportLeftIt;
  JournalServiceBefore service;    // area service: the before state to restore
  std::optional<ServiceConfig> service_now;
  std::optional<JournalFirewallEntry> restore;  // firewall: the entry whose rollback restores "before"
  std::optional<JournalFirewallEntry> safety;   // firewall: the entry whose rollback undoes the restore
  bool is_service = false;
};

Result<ItemToRestore> Judge(const PlannedAction& action, const ApplyReportData& report, const HostSnapshot& now) {
  ItemToRestore item;
  const HostSnapshot& before = report.before;
  const HostSnapshot& after = *report.after;
  if (action.area == "service") {
    item.is_service = true;
    item.what = "service " + action.item;
    const ServiceConfig* b = FindService(before, action.item);
    const ServiceConfig* a = FindService(after, action.item);
    const ServiceConfig* n = FindService(now, action.item);
    if (!b) return Status::InvalidInput("the report's before snapshot has no service " + action.item);
    if (!n) return Status::NotFound("service " + action.item + " is no longer installed on this host");
    item.now = ServiceText(n);
    item.then_after = ServiceText(a);
    item.target = ServiceText(b);
    item.service = {b->name, b->start, b->delayed_auto_start, b->running};
    item.service_now = *n;
    item.state = SameServiceState(n, b)   ? ItemToRestore::State::kAlreadyBefore
                 : SameServiceState(n, a) ? ItemToRestore::State::kAsReportLeftIt
                                          : ItemToRestore::State::kChangedSince;
    return item;
  }
  if (!now.firewall) return Status::HostError("the firewall could not be read: " + now.firewall_error);
  if (action.area == "firewall-profile") {
    item.what = "firewall profile " + action.item;
    const FirewallProfileState* b = FindProfile(before.firewall, action.item);
    const FirewallProfileState* a = FindProfile(after.firewall, action.item);
    const FirewallProfileState* n = FindProfile(now.firewall, action.item);
    if (!b || !n) return Status::InvalidInput("firewall profile " + action.item + " is missing from a snapshot");
    // Describe() starts with the profile's name, which item.what already says.
    auto state = [](const FirewallProfileState& p) {
      const std::string text = p.Describe();
      return text.substr(text.find(": ") == std::string::npos ? 0 : text.find(": ") + 2);
    };
    item.now = state(*n);
    item.then_after = a ? state(*a) : "absent";
    item.target = state(*b);
    JournalFirewallEntry restore, safety;
    restore.kind = safety.kind = JournalFirewallEntry::Kind::kProfile;
    restore.profile_before = *b;
    safety.profile_before = *n;
    item.restore = restore;
    item.safety = safety;
    item.state = *n == *b                ? ItemToRestore::State::kAlreadyBefore
                 : (a && *n == *a)       ? ItemToRestore::State::kAsReportLeftIt
                                         : ItemToRestore::State::kChangedSince;
    return item;
  }
  Result<FirewallRule> rule = ParseFirewallRule(action.rule);
  if (!rule.ok()) return Status::InvalidInput("the report's rule for '" + action.item + "' cannot be read: " +
                                              rule.status().message());
  item.what = "firewall rule '" + action.item + "'";
  const std::string identity = FirewallRuleIdentity(*rule);
  const FirewallRule* b = FindRule(before.firewall, identity);
  const FirewallRule* a = FindRule(after.firewall, identity);
  const FirewallRule* n = FindRule(now.firewall, identity);
  item.now = RuleText(n);
  item.then_after = RuleText(a);
  item.target = RuleText(b);
  item.state = SameRuleState(n, b)   ? ItemToRestore::State::kAlreadyBefore
               : SameRuleState(n, a) ? ItemToRestore::State::kAsReportLeftIt
                                     : ItemToRestore::State::kChangedSince;
  JournalFirewallEntry restore, safety;
  restore.rule = safety.rule = action.rule;
  using Kind = JournalFirewallEntry::Kind;
  if (!b) {  // added by the apply: remove it; the safety record adds it back
    restore.kind = Kind::kAdded;
    safety.kind = Kind::kRemoved;
  } else if (!n) {  // removed by the apply: add it back (as it was before); safety removes it
    restore.kind = Kind::kRemoved;
    restore.rule = FormatFirewallRule(*b);
    safety.kind = Kind::kAdded;
    safety.rule = restore.rule;
  } else if (b->active) {  // disabled by the apply: enable it; safety disables it
    restore.kind = Kind::kDisabled;
    safety.kind = Kind::kEnabled;
  } else {  // enabled since: disable it; safety enables it
    restore.kind = Kind::kEnabled;
    safety.kind = Kind::kDisabled;
  }
  item.restore = restore;
  item.safety = safety;
  return item;
}

}  // namespace

int RollbackFromReport(const RollbackFromReportArgs& args) {
  if (int code = RequireElevation("rollback"); code >= 0) return code;
  // 1. The report, and its signature, before anything else.
  Result<std::string> text = ReadInputFile(args.report_path, kMaxApplyReportBytes);
  if (!text.ok()) return ReportError(text.status());
  std::string trusted_dir = args.trusted_dir;
  if (trusted_dir.empty() && args.pub_path.empty()) {
    std::optional<std::string> stick = FindMediaRoot();
    if (!stick) {
      return ReportError(Status::InvalidInput(
          "give the key to verify the report with: --pub KEY.pub or --trusted DIR (a report is verified before "
          "otharden restores anything from it)"));
    }
    trusted_dir = (fs::u8path(*stick) / "keys" / "trusted").u8string();
  }
  Result<std::vector<PublicKey>> keys = LoadKeysToTrust(args.pub_path, trusted_dir);
  if (!keys.ok()) return ReportError(keys.status());
  const std::string sig_path = args.report_path + ".minisig";
  Result<std::string> sig_text = ReadInputFile(sig_path, 64 * 1024);
  if (!sig_text.ok()) {
    return ReportError(Status::InvalidInput(args.report_path + " has no signature (" + sig_text.status().message() +
                                            "); otharden restores only from a signed report"));
  }
  Result<SignatureCheck> check = VerifyData(*text, *sig_text, *keys, sig_path);
  if (!check.ok()) return ReportError(check.status());
  if (!check->valid) {
    std::cerr << "otharden rollback: " << args.report_path << ": the signature does NOT verify (" << check->problem
              << "). Nothing was changed.\n";
    return kExitNotOk;
  }
  Result<ApplyReportData> report = ParseApplyReport(args.report_path, *text);
  if (!report.ok()) return ReportError(report.status());
  if (!report->after) {
    return ReportError(Status::InvalidInput(args.report_path + " has no after snapshot: the apply could not read "
                                            "the host afterwards, so there is nothing safe to restore from it"));
  }
  std::cout << "Report  " << args.report_path << " (signature verified, key id " << check->key_id << ")\n"
            << "        profile " << report->profile_name << " applied " << report->context.time.Iso8601()
            << " on " << report->before.os.host_name << ", outcome " << report->verdict << "\n";

  // 2. This host, elevated, nothing unfinished.
  std::unique_ptr<Host> host = OpenLocalHost();
  Result<OsIdentity> os = host->ReadOsIdentity();
  if (!os.ok()) return ReportError(os.status());
  if (!SameServiceName(os->host_name, report->before.os.host_name)) {
    return ReportError(Status::InvalidInput("this report is from host " + report->before.os.host_name +
                                            ", and this is " + os->host_name + ". Nothing was changed."));
  }
  std::vector<std::string> other_hosts, unreadable;
  std::vector<UnfinishedJournal> unfinished = FindUnfinishedJournals(os->host_name, &other_hosts, &unreadable);
  if (!unfinished.empty()) {
    return ReportError(Status::InvalidInput("an apply on this host did not finish (" + unfinished.front().path +
                                            "); run 'otharden recover' first. Nothing was changed."));
  }

  // 3. Each planned item against the host now.
  Result<HostSnapshot> now = TakeSnapshot(*host);
  if (!now.ok()) return ReportError(now.status());
  std::vector<ItemToRestore> items;
  for (const PlannedAction& action : report->actions) {
    Result<ItemToRestore> item = Judge(action, *report, *now);
    if (!item.ok()) return ReportError(item.status());
    items.push_back(*item);
  }
  Journal restore;
  std::vector<const ItemToRestore*> chosen;
  int changed_since = 0, already = 0;
  std::cout << "\n";
  for (const ItemToRestore& item : items) {
    switch (item.state) {
      case ItemToRestore::State::kAlreadyBefore:
        ++already;
        std::cout << "  " << item.what << ": already as before (" << item.now << ")\n";
        continue;
      case ItemToRestore::State::kChangedSince:
        ++changed_since;
        std::cout << "  " << item.what << ": CHANGED SINCE THE REPORT: the report left it " << item.then_after
                  << ", it is now " << item.now << (args.force ? "; --force: restoring " : "; skipped, before was ")
                  << item.target << "\n";
        if (!args.force) continue;
        break;
      case ItemToRestore::State::kAsReportLeftIt:
        std::cout << "  " << item.what << ": " << item.now << " -> " << item.target << "\n";
        break;
    }
    chosen.push_back(&item);
    if (item.is_service) {
      restore.services.push_back(item.service);
    } else {
      restore.firewall.push_back(*item.restore);
    }
  }
  if (chosen.empty()) {
    std::cout << "\nNothing to restore" << (changed_since ? " (settings changed since the report were skipped; "
                                                            "--force restores them too)" : "") << ".\n";
    return changed_since ? kExitNotOk : kExitOk;
  }

  // 4. Journal what is there now, then restore.
  const UtcTime time = UtcTime::Now();
  Result<std::string> journal_path = NewJournalPath(os->host_name, time, "rollback");
  if (!journal_path.ok()) return ReportError(journal_path.status());
  Result<OpenedJournal> journal =
      OpenJournal(*journal_path, {report->profile_name + " (rollback from report)", os->host_name, time.Iso8601()});
  if (!journal.ok()) return ReportError(journal.status());
  for (const ItemToRestore* item : chosen) {
    Status s = item->is_service ? journal->writer->RecordServiceBefore(*item->service_now)
                                : journal->writer->RecordFirewall(*item->safety);
    if (!s.ok()) return ReportError(s);
  }
  std::cout << "\nJournal: " << *journal_path << "\n";
  const ProgressFn progress = [](const std::string& line) { std::cout << "  " << line << "\n"; };
  RollbackResult result = RollbackAll(*host, restore, progress);
  const bool complete = result.failures.empty();
  Status end = journal->writer->RecordEnd(complete ? "rolled-back-from-report" : "rollback-from-report-incomplete");
  if (!end.ok()) std::cout << "WARNING: could not write the journal's end record: " << end.message() << "\n";
  const std::string summary = "restored " + std::to_string(result.restored) + ", already as before " +
                              std::to_string(result.already_as_before + already) +
                              (changed_since && !args.force ? ", skipped (changed since) " + std::to_string(changed_since) : "");
  (void)WriteApplicationEvent(complete ? EventKind::kSuccess : EventKind::kError, kEventRolledBackFromReport,
                              "otharden rollback of profile " + report->profile_name + " from report " +
                                  fs::u8path(args.report_path).filename().u8string() + ": " + summary);
  std::cout << "\nRESULT: " << (complete ? "ROLLED BACK" : "ROLLBACK INCOMPLETE") << " - " << summary << "\n";
  if (!complete) {
    for (const std::string& f : result.failures) std::cout << "  could NOT restore: " << f << "\n";
    std::cout << "To return to the state before this rollback: otharden rollback --journal \"" << *journal_path << "\"\n";
    return kExitNotOk;
  }
  return changed_since && !args.force ? kExitNotOk : kExitOk;
}

}  // namespace otharden
