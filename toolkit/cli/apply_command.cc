// `otharden apply`: one safe transaction. Everything that can refuse refuses
// before the first change (unfinished journal, elevation, stick and profile
// signatures, signing key, profile and parameters, required policy, lockout
// guard, confirmation); then before snapshot, journal-first changes with
// read-back, after snapshot, signed report, event log entry.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "toolkit/cli/command.h"
#include "toolkit/cli/console.h"
#include "toolkit/cli/exit_codes.h"
#include "toolkit/cli/lockdown_common.h"
#include "toolkit/cli/media_gate.h"
#include "toolkit/cli/options.h"
#include "toolkit/cli/passphrase.h"
#include "toolkit/cli/report_output.h"
#include "toolkit/engine/snapshot.h"
#include "toolkit/platform/console.h"
#include "toolkit/platform/event_log.h"
#include "toolkit/platform/host.h"
#include "toolkit/report/apply_report.h"
#include "toolkit/report/snapshot_xml.h"
#include "toolkit/platform/file_io.h"
#include "toolkit/sign/digest.h"

namespace otharden {
namespace {

namespace po = boost::program_options;

struct ApplyArgs {
  ProfileInputs inputs;
  std::string journal_path, report_dir, key_path, passphrase_file, operator_name;
  bool yes = false, no_report = false, allow_lockout = false, force = false;
  bool allow_unverified_media = false, allow_unsigned_profile = false;
};

// The refusal when an earlier apply did not finish.
int RefuseUnfinished(const std::vector<UnfinishedJournal>& unfinished) {
  std::cerr << "otharden apply: an earlier apply on this host did not finish, so the host may be half-changed:\n";
  for (const UnfinishedJournal& u : unfinished) {
    std::cerr << "  " << u.path << " (profile " << u.journal.header.profile << ", started " << u.journal.header.utc
              << ")\n";
  }
  std::cerr << "Nothing was changed. Run 'otharden recover' first: it restores the host to how it was before "
               "that apply.\n";
  return kExitNotOk;
}

void WriteEvent(const std::string& verdict, const std::string& profile, const std::string& report_path,
                const std::string& message) {
  EventKind kind = EventKind::kSuccess;
  unsigned id = kEventApplied;
  if (verdict == "already-matched") id = kEventAlreadyMatched;
  if (verdict == "deviated") kind = EventKind::kWarning;
  if (verdict == "rolled-back") kind = EventKind::kWarning, id = kEventRolledBack;
  if (verdict == "failed") kind = EventKind::kError, id = kEventFailed;
  std::string text = "otharden apply of profile " + profile + ": " + verdict + ".";
  if (!message.empty()) text += " " + message;
  text += report_path.empty() ? " No report was written." : " Report: " + report_path;
  Status s = WriteApplicationEvent(kind, id, text);
  if (!s.ok() && s.code() != Status::Code::kNotSupported) {
    std::cout << "WARNING: could not write the Application event log entry: " << s.message() << "\n";
  }
}

int ExitCodeFor(const std::string& verdict) {
  if (verdict == "applied" || verdict == "already-matched") return kExitOk;
  if (verdict == "rolled-back") return kExitRolledBack;
  return kExitNotOk;  // deviated, failed
}

}  // namespace

int RunApplyCommand(const std::vector<std::string>& args) {
  po::options_description options(
      "otharden apply --profile FILE [--param NAME=VALUE]... [--site FILE]\n"
      "               --key KIT.key [--passphrase-file F] [--report DIR] [--operator NAME] [--yes]");
  ApplyArgs a;
  options.add_options()
      ("profile", po::value(&a.inputs.profile_path)->value_name("FILE"), "lockdown profile to apply")
      ("param", po::value(&a.inputs.params)->value_name("NAME=VALUE"), "a site parameter (repeatable)")
      ("site", po::value(&a.inputs.site_file)->value_name("FILE"), "site file with the parameters")
      ("key", po::value(&a.key_path)->value_name("KIT.key"), "secret key that signs the report")
      ("passphrase-file", po::value(&a.passphrase_file)->value_name("FILE"), "read the key's passphrase from FILE")
      ("report", po::value(&a.report_dir)->value_name("DIR"),
       "where the signed report goes (default: the stick's reports folder)")
      ("operator", po::value(&a.operator_name)->value_name("NAME"), "who applied it, recorded in the report")
      ("journal", po::value(&a.journal_path)->value_name("FILE"),
       "where to journal the changes (default %ProgramData%\\otharden\\journals\\...)")
      ("yes,y", po::bool_switch(&a.yes), "do not ask for confirmation")
      ("no-report", po::bool_switch(&a.no_report), "apply without writing a signed report (not for sign-off)")
      ("allow-lockout", po::bool_switch(&a.allow_lockout),
       "apply even if the firewall would cut the remote session or a management port (recorded)")
      ("force", po::bool_switch(&a.force), "apply even though the host fails the profile's required policy (recorded)")
      ("allow-unverified-media", po::bool_switch(&a.allow_unverified_media),
       "apply although the stick's MANIFEST does not verify (recorded)")
      ("allow-unsigned-profile", po::bool_switch(&a.allow_unsigned_profile),
       "apply a profile without a trusted signature (recorded)")
      ("help,h", "show this help");
  po::variables_map vm;
  if (int code = ParseCommandOptions(args, options, &vm); code >= 0) return code;
  // Elevation first: nothing else is worth checking for a technician who
  // has to start again from an elevated prompt.
  if (int code = RequireElevation("apply"); code >= 0) return code;
  if (a.inputs.profile_path.empty()) return ReportError(Status::InvalidInput("give the profile: --profile FILE"));
  if (a.no_report && (!a.key_path.empty() || !a.report_dir.empty())) {
    return ReportError(Status::InvalidInput("--no-report cannot be combined with --key or --report"));
  }
  if (!a.no_report && a.key_path.empty()) {
    return ReportError(Status::InvalidInput(
        "give the key that signs the apply report: --key KIT.key (the officer needs the signed before/after "
        "report); --no-report applies without one"));
  }
  if (!a.no_report && a.report_dir.empty()) {
    std::optional<std::string> stick = FindMediaRoot();
    if (!stick) {
      return ReportError(Status::InvalidInput("give the folder for the signed report: --report DIR"));
    }
    a.report_dir = (std::filesystem::u8path(*stick) / "reports").u8string();
  }

  std::unique_ptr<Host> host = OpenLocalHost();
  Result<OsIdentity> os = host->ReadOsIdentity();
  if (!os.ok()) return ReportError(os.status());

  // 1. An unfinished apply must be recovered first.
  std::vector<std::string> other_hosts, unreadable;
  std::vector<UnfinishedJournal> unfinished = FindUnfinishedJournals(os->host_name, &other_hosts, &unreadable);
  for (const std::string& u : unreadable) std::cout << "WARNING: unreadable journal " << u << "\n";
  if (!unfinished.empty()) return RefuseUnfinished(unfinished);

  // 2. The stick and the profile's signature.
  Result<MediaTrust> trust =
      CheckMediaAndProfile(a.inputs.profile_path, a.allow_unverified_media, a.allow_unsigned_profile);
  if (!trust.ok()) return ReportError(trust.status());

  // 3. The signing key, before anything changes: a wrong passphrase costs
  // seconds, not a half-documented apply.
  std::optional<SecretKey> key;
  if (!a.no_report) {
    Result<SecretKey> opened = OpenSecretKeyFile(a.key_path, a.passphrase_file);
    if (!opened.ok()) return ReportError(opened.status());
    key.emplace(std::move(*opened));
  }

  // 4. Profile, parameters, required policy, plan.
  Profile profile;
  PolicyGate gate;
  LockdownPlan plan;
  if (int code = LoadAndPlan(a.inputs, *host, &profile, &gate, &plan, !a.force); code >= 0) return code;

  ApplyReportData report;
  report.context = CurrentReportContext("apply", a.operator_name);
  report.profile_name = profile.name;
  report.profile_title = profile.title;
  Result<std::string> profile_sha = Sha256HexOfFile(profile.path);
  if (!profile_sha.ok()) return ReportError(profile_sha.status());
  report.profile_file = {profile.path, *profile_sha};
  // The profile whose signature was checked must be the one applied.
  if (!trust->profile_sha256.empty() && trust->profile_sha256 != *profile_sha) {
    return ReportError(Status::InvalidInput(profile.path + " changed between its signature check and its use. "
                                            "Nothing was changed; run apply again"));
  }
  report.policy_name = gate.name;
  report.policy_title = gate.title;
  report.policy_file = gate.file;
  report.policy_result = gate.compliant ? "compliant" : "not-compliant";
  report.policy_failures = gate.failures;
  report.parameters = profile.parameter_values;
  report.media_root = trust->media_root;
  report.media_verified = trust->media_verified;
  report.media_detail = trust->media_detail;
  report.profile_signed = trust->profile_signed;
  report.profile_signature_detail = trust->profile_detail;
  if (a.force && !gate.compliant) report.overrides.emplace_back("--force", "host fails policy " + gate.name + ": " + gate.failures);
  if (trust->media_override) report.overrides.emplace_back("--allow-unverified-media", trust->media_detail);
  if (trust->profile_override) report.overrides.emplace_back("--allow-unsigned-profile", trust->profile_detail);

  PrintPlan(profile, plan);

  // 5. The lockout guard.
  if (Status guard = LockoutProblem(*host, profile, plan); !guard.ok()) {
    if (!a.allow_lockout) return ReportError(guard);
    std::cout << "\nWARNING (--allow-lockout): " << guard.message() << "\n";
    report.overrides.emplace_back("--allow-lockout", guard.message());
  }

  // 6. Confirmation.
  if (plan.size() > 0 && !a.yes) {
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

  // 7. Before snapshot.
  Result<HostSnapshot> before = TakeSnapshot(*host);
  if (!before.ok()) return ReportError(before.status());
  report.before = *before;
  report.actions = DescribePlan(plan);

  // 8. Journal and changes.
  ApplyOutcome outcome{"applied", ""};
  if (plan.size() > 0) {
    if (a.journal_path.empty()) {
      Result<std::string> path = NewJournalPath(os->host_name, report.context.time, "apply");
      if (!path.ok()) return ReportError(path.status());
      a.journal_path = *path;
    }
    // The before snapshot beside the journal, before the first record: if the
    // apply is interrupted there is no report yet, and recover compares the
    // host with this to say exactly what, if anything, it could not undo.
    if (Status s = WriteFileAtomically(a.journal_path + kBeforeSnapshotSuffix,
                                       SnapshotReportXml(*before, report.context));
        !s.ok()) {
      return ReportError(s);
    }
    Result<OpenedJournal> journal =
        OpenJournal(a.journal_path, {profile.name, os->host_name, report.context.time.Iso8601()});
    if (!journal.ok()) return ReportError(journal.status());
    report.journal = a.journal_path;
    std::cout << "\nJournal: " << a.journal_path << "\n";
    if (!journal->mirror_path.empty()) std::cout << "         copy on the stick: " << journal->mirror_path << "\n";
    const ProgressFn progress = [](const std::string& line) { std::cout << "  " << line << "\n"; };
    outcome = ApplyLockdown(*host, plan, *journal->writer, progress);
    if (!journal->mirror->mirror_problem().empty()) {
      std::cout << "WARNING: the journal's copy on the stick could not be written (" << journal->mirror->mirror_problem()
                << "); the host's journal is complete.\n";
    }
  }

  // 9. After snapshot, judged against the plan.
  Result<HostSnapshot> after = TakeSnapshot(*host);
  if (after.ok()) {
    report.after = *after;
    JudgeActions(*after, &report.actions);
    report.differences = DiffSnapshots(*before, *after);
    report.unplanned = UnplannedDifferences(report.differences, report.actions);
  } else {
    for (PlannedAction& action : report.actions) action.result = "unknown", action.after = "not read";
    outcome.message += (outcome.message.empty() ? "" : "; ") +
                       std::string("the host could not be read after the changes: ") + after.status().message();
  }
  report.verdict = after.ok() ? FinalVerdict(outcome, report.actions) : (outcome.verdict == "applied" ? "deviated" : outcome.verdict);
  report.message = outcome.message;

  // 10. The signed report, 11. the event log.
  std::string report_path;
  int code = ExitCodeFor(report.verdict);
  if (key) {
    Result<std::string> written = WriteSignedReport(a.report_dir, os->host_name, report.context, report.verdict,
                                                    ApplyReportXml(report), *key);
    if (written.ok()) {
      report_path = *written;
    } else {
      std::cerr << "otharden apply: the signed report could not be written: " << written.status().message() << "\n";
      if (code == kExitOk) code = kExitEnvironment;
    }
  }
  WriteEvent(report.verdict, profile.name, report_path, report.message);

  std::cout << "\n";
  if (report.verdict == "already-matched") {
    std::cout << "RESULT: NOTHING TO DO - the host already matched profile " << profile.name << ".\n";
  } else if (report.verdict == "applied") {
    std::cout << "RESULT: APPLIED - " << plan.size() << " change" << (plan.size() == 1 ? "" : "s")
              << " made and verified.\n";
  } else if (report.verdict == "deviated") {
    std::cout << "RESULT: APPLIED, BUT THE HOST IS NOT AS PLANNED:\n";
    for (const PlannedAction& action : report.actions) {
      if (action.result != "as-planned") std::cout << "  " << action.area << " " << action.item << ": wanted " << action.wanted << ", found " << action.after << "\n";
    }
  } else if (report.verdict == "rolled-back") {
    std::cout << "RESULT: FAILED AND ROLLED BACK - the host is as it was before (exit 3).\n  " << report.message << "\n";
  } else {
    std::cout << "RESULT: FAILED AND NOT FULLY ROLLED BACK.\n  " << report.message
              << "\n  Run: otharden recover\n";
  }
  if (!report.unplanned.empty()) {
    std::cout << "Note: " << report.unplanned.size() << " change" << (report.unplanned.size() == 1 ? "" : "s")
              << " on the host that the plan did not make (see the report).\n";
  }
  if (!report.overrides.empty()) {
    std::cout << "Overrides recorded in the report:";
    for (const auto& o : report.overrides) std::cout << " " << o.first;
    std::cout << "\n";
  }
  if (!report_path.empty()) std::cout << "Report:  " << report_path << " (signed, key id " << key->KeyIdHex() << ")\n";
  if (!report.journal.empty() && (report.verdict == "applied" || report.verdict == "deviated")) {
    if (!report_path.empty()) {
      std::cout << "To undo: otharden rollback --report \"" << report_path << "\"\n";
    } else {
      std::cout << "To undo: otharden rollback --journal \"" << report.journal << "\"\n";
    }
  }
  return code;
}

}  // namespace otharden
